"""The scaffolder behind scripts/new_case.py and scripts/new_method.py.

It asks for each field of a content type in model order (label, help text and choices come from
toolbox.model and toolbox.vocab), checks every answer with the validator's own check functions on
a one-field report, proposes a file name, and writes a new file that passes the validator. Every
field can also be given as a command-line option derived from the model, and `--yes` never asks.

Plain functions: the input and output go through two callables (`ask`, `say`), so tests can drive
them without a terminal. Everything a contributor reads is Danish.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import yaml

from . import model, vocab
from .forms import KIND_HINTS, SOURCE_HELP, SOURCE_LABELS
from .loader import Document, load_all, read
from .model import ContentType, Field
from .privacy import check_privacy
from .problems import shown
from .text import SLUG_MAX, SLUG_RE, fold, nearest, shorten_slug, slugify
from .validate import worksheet_slugs
from .validate import (Report, _check_url, check_line, check_municipality_in_name,
                       check_name, check_text, placeholder_problems, read_template, templates, validate_references,
                       validate_tree)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_ABORTED = 0, 1, 2, 130
LIST_KINDS = ("terms", "slugs", "tags")   # written as [a, b]; typed comma-separated
NUMBERED_MAX = 20                          # longer vocabularies (municipalities) are typed by name
MUNICIPALITY = "municipality"              # the case field whose slug begins the file name (see validate)

# Danish words that depend on the content type's grammatical gender.
HEADINGS = {"case": "Ny case til Værktøjskassen", "method": "Nyt metodekort til Værktøjskassen"}
# Used only when the template has no usable text under a section.
FALLBACK_TEXT = "Skriv afsnittet her."
STEP_RE = re.compile(r"^\s*(\d+)\s*(?:min(?:utter)?\.?)?\s*[:.\-–]?\s*(.*)$")   # '10: Byd velkommen'


class Aborted(Exception):
    """The user stopped (Ctrl-C) or the input ended before every question was answered."""


class Refused(Exception):
    """The file already exists; nothing is written."""


class UsageError(Exception):
    """Non-interactive mode cannot go on: fields are missing or wrong."""


@dataclass
class Console:
    """Where questions go and answers come from."""

    ask: Callable[[str], str]
    say: Callable[[str], None]


# ---------------------------------------------------------------------------------------------
# Choices and checks

def sentence(message: str) -> str:
    """A validator message as a sentence: first letter upper case."""
    return message[:1].upper() + message[1:]


def asked_fields(ctype: ContentType) -> list[Field]:
    """The fields a new file has, in model order: not those only an existing file can have
    (Field.asked, e.g. a renamed card's former file names)."""
    return [f for f in ctype.fields if f.asked]


def method_cards(root: Path) -> list[tuple[str, str]]:
    """The method cards under `root` as (slug, title), sorted by title."""
    cards = [(d.slug, str(d.meta.get("title") or d.slug)) for d in load_all(root)[0] if d.ctype is model.METHOD]
    return sorted(cards, key=lambda card: card[1].casefold())


def choices_of(f: Field, methods: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (value, label) pairs a field offers: a vocabulary's terms or the method cards."""
    if f.vocabulary:
        return [(t.value, t.label) for t in vocab.load(f.vocabulary).terms]
    if f.kind == "slugs" and f.name == "worksheets":
        return [(slug, slug) for slug in sorted(worksheet_slugs(PROJECT_ROOT))]
    if f.kind == "slugs":
        return methods
    return []


def numbered(f: Field, methods: list[tuple[str, str]]) -> bool:
    """Whether the choices are shown as a numbered list (short lists) or typed by name."""
    return 0 < len(choices_of(f, methods)) <= NUMBERED_MAX or f.kind == "slugs"


def resolve_choice(token: str, choices: list[tuple[str, str]], by_number: bool = True) -> str:
    """A typed choice as its value: a number from the list, the value, or its label (any case, æøå
    typed as ae/oe/aa). Anything else comes back unchanged, for the validator to explain."""
    token = token.strip()
    if by_number and token.isdigit() and 1 <= int(token) <= len(choices):
        return choices[int(token) - 1][0]
    for value, _ in choices:
        if token == value:
            return value
    key = fold(token)
    for value, label in choices:
        if key in (fold(value), fold(label)):
            return value
    return token


def split_list(text: str) -> list[str]:
    """'a, b ,c' -> ['a', 'b', 'c'] (empty items dropped)."""
    return [item.strip() for item in text.split(",") if item.strip()]


def _number(text):
    text = str(text).strip()
    return int(text) if re.fullmatch(r"-?\d+", text) else text


def parse_range(text: str) -> dict:
    """'30-90', '30 – 90' or '30 til 90' as {'min': 30, 'max': 90}; one number is both."""
    m = re.fullmatch(r"\s*(\S+?)\s*(?:-|–|—|til)\s*(\S+)\s*", text)
    low, high = (m.group(1), m.group(2)) if m else (text, text)
    return {"min": _number(low), "max": _number(high)}


def parse_answer(f: Field, text: str, methods: list[tuple[str, str]] = ()):
    """A typed answer as the value the front matter will hold; None for an empty answer.

    Fields of kind lines, source and sources are asked part by part and never come here."""
    text = (text or "").strip()
    if not text:
        return None
    if f.kind in ("line", "text"):
        return text
    if f.kind == "year":
        return _number(text)
    if f.kind == "range":
        return parse_range(text)
    choices = choices_of(f, methods)
    if f.kind == "term":
        return resolve_choice(text, choices, numbered(f, methods))
    if f.kind in ("terms", "slugs"):
        return [resolve_choice(item, choices, numbered(f, methods)) for item in split_list(text)]
    if f.kind == "tags":
        return split_list(text)
    raise ValueError(f"field kind {f.kind!r} is asked part by part")


def _doc(ctype: ContentType, meta: dict, slug: str = "ny") -> Document:
    return Document(path=f"{ctype.folder}/{slug}.md", ctype=ctype, slug=slug, meta=meta)


def _unique(messages: list[str]) -> list[str]:
    return list(dict.fromkeys(messages))


def check_answer(ctype: ContentType, f: Field, value, known_methods=frozenset()) -> list[str]:
    """The validator's messages about one field's value; empty when the value is fine.

    `None` means no answer: fine for an optional field, 'er tomt' for a required one."""
    doc = _doc(ctype, {} if value is None else {f.name: value})
    r = Report(doc)
    if value is None:
        if f.required:
            check_text(r, f, "")
        return [p.message for p in r.problems]
    f.kind_of.check(r, f, value)
    problems = r.problems + check_privacy(doc)
    if f.kind == "slugs":
        problems += validate_references([doc], set(known_methods))
    return _unique([p.message for p in problems])


def parts_of(f: Field) -> list[tuple[str, bool, str, str]]:
    """A source field's parts as (key, required, label, help), from the field's JSON Schema."""
    schema = model.field_schema(f)
    obj = schema if f.kind == "source" else schema["items"]
    parts = []
    for key, prop in obj["properties"].items():
        description = prop.get("description", "")
        label = SOURCE_LABELS.get(key) or description.rstrip(".") or key
        help_text = SOURCE_HELP.get(key) or (description if description.rstrip(".") != label else "")
        parts.append((key, key in obj["required"], label, help_text))
    return parts


def check_part(ctype: ContentType, f: Field, key: str, value: str | None, required: bool) -> list[str]:
    """The validator's messages about one part of a source ('organisation', 'url', ...)."""
    doc = _doc(ctype, {f.name: {key: value}} if value else {})
    r = Report(doc)
    if not value:
        if required:
            check_line(r, Field(f"{f.name}.{key}", f.label, "line", f.help), "")
    elif key == "url":
        _check_url(r, f"{f.name}.url", value)
    else:
        check_line(r, Field(f"{f.name}.{key}", f.label, "line", f.help), value)
    return _unique([p.message for p in r.problems + check_privacy(doc)])


# ---------------------------------------------------------------------------------------------
# File name, body and file text

def propose_slug(ctype: ContentType, meta: dict) -> str:
    """A file name from the title, at most SLUG_MAX characters; a case's begins with its municipality's slug."""
    slug = slugify(str(meta.get("title") or ""))
    f = ctype.field(MUNICIPALITY)
    if ctype is model.CASE and f and isinstance(meta.get(f.name), str):
        term = vocab.load(f.vocabulary).get(meta[f.name])
        if term and slug != term.slug and not slug.startswith(term.slug + "-"):
            slug = f"{term.slug}-{slug}" if slug else term.slug
    return shorten_slug(slug)   # within the validator's SLUG_MAX, the municipality kept in front


def clean_slug(text: str, ctype: ContentType) -> str:
    """What the user typed as a file name, without a folder or '.md'."""
    text = text.strip()
    if text.startswith(ctype.folder + "/"):
        text = text[len(ctype.folder) + 1:]
    return text[:-3] if text.endswith(".md") else text


def check_slug(ctype: ContentType, slug: str, meta: dict) -> list[str]:
    """The validator's messages about a file name: its form, the municipality prefix, self-reference.
    A name is one file name in the content folder: no folders ('/', '..'), nothing but a-z, 0-9 and '-'."""
    if any(sep in slug for sep in ("/", "\\", "..")):
        suggestion = slugify(slug.replace("/", "-"))
        return [f"filnavnet '{shown(slug, 60)}' kan ikke bruges: det må kun have små bogstaver a-z, tal og "
                "bindestreger (ingen mapper, '/' eller '..')." + (f" Skriv fx '{suggestion}'." if suggestion else "")]
    doc = _doc(ctype, dict(meta), slug)
    r = Report(doc)
    check_name(r)
    check_municipality_in_name(r)
    refs = [ref for f in ctype.fields if f.kind == "slugs" for ref in meta.get(f.name) or []]
    problems = r.problems + validate_references([doc], {slug, *map(str, refs)})  # only self-reference
    return _unique([p.message for p in problems])


def target(root: Path, ctype: ContentType, slug: str) -> Path:
    """Where the new file goes: always directly in the content folder."""
    folder = (root / ctype.folder).resolve()
    path = (folder / f"{slug}.md").resolve()
    if not SLUG_RE.match(slug) or path.parent != folder:
        raise UsageError(f"filnavnet '{shown(slug, 60)}' peger uden for {ctype.folder}/; der er ikke skrevet nogen fil.")
    return path


def section_texts(ctype: ContentType, root: Path) -> dict[str, str]:
    """Placeholder guidance for each body section: the template's text, else a short fallback.

    The template is `<root>/<folder>/_skabelon.md`, or the project's own when `root` has none."""
    template = read_template(ctype, root)
    found = {name: "\n".join(lines).strip() for name, lines in template.sections.items()} if template else {}
    return {name: found.get(name, "") or FALLBACK_TEXT for name in ctype.sections}


class _Dumper(yaml.SafeDumper):
    """Indents list items under their key, as the templates do."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


LINE_BREAKS = "\n\r\x85\u2028\u2029"


def _str(dumper: yaml.SafeDumper, value: str):
    """A text with a line break in it stays on one line, double-quoted with escapes: YAML's other
    styles continue it on indented lines, and one of those reading '---' would end the front
    matter for toolbox.loader, which strips lines before comparing."""
    style = '"' if any(ch in value for ch in LINE_BREAKS) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _yaml(data, flow: bool) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6,
                     default_flow_style=flow)


def front_matter(ctype: ContentType, meta: dict) -> str:
    """The front matter lines, in model order; an optional list field with no value is written as []."""
    lines = []
    for f in asked_fields(ctype):
        if f.name not in meta:
            if not f.required and f.kind in LIST_KINDS:
                lines.append(f"{f.name}: []\n")
            continue
        value = meta[f.name]
        if f.kind in LIST_KINDS:
            lines.append(f"{f.name}: {_yaml(value, True).strip()}\n")
        else:
            lines.append(_yaml({f.name: value}, False))
    return "".join(lines)


def render(ctype: ContentType, meta: dict, sections: dict[str, str]) -> str:
    """The whole new file: front matter, then each body section with its guidance."""
    body = "".join(f"\n## {name}\n\n{sections[name]}\n" for name in ctype.sections)
    return f"---\n{front_matter(ctype, meta)}---\n{body}"


def write_new(path: Path, text: str) -> None:
    """Create the file; never replace one that exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except FileExistsError:
        raise Refused(path) from None


# ---------------------------------------------------------------------------------------------
# Asking

def _indent(text: str) -> str:
    return textwrap.fill(text, width=88, initial_indent="  ", subsequent_indent="  ")


def _show_problems(io: Console, messages: list[str]) -> None:
    for message in messages:
        io.say(f"  Fejl: {sentence(message)}")
    io.say("  Prøv igen.")


def _header(io: Console, f: Field, methods: list[tuple[str, str]]) -> None:
    """The question: label, help text, choices and how to answer."""
    io.say("")
    io.say(f.label + ("" if f.required else " (kan udelades)"))
    io.say(_indent(f.help))
    choices = choices_of(f, methods)
    if f.kind in ("term", "terms", "slugs") and numbered(f, methods):
        descriptions = {t.value: t.description for t in vocab.load(f.vocabulary).terms} if f.vocabulary else {}
        width = len(str(len(choices)))
        for i, (value, label) in enumerate(choices, 1):
            if f.kind == "slugs":
                shown = f"{label} ({value})"          # a method card: its title and file name
            else:
                shown = f"{label} – {descriptions[value]}" if descriptions.get(value) else label
            io.say(f"  {i:>{width}}. {shown}")
        if f.kind == "term":
            io.say("  Skriv nummeret eller navnet.")
        elif f.kind == "terms":
            io.say("  Vælg en eller flere: skriv numrene eller navnene adskilt af komma, fx 1,3.")
        else:
            io.say("  Skriv numrene eller filnavnene adskilt af komma, fx 1,3.")
    elif f.kind == "term":
        io.say(f"  Skriv navnet. Skriv ? for at se alle {len(choices)} muligheder.")
    elif f.kind == "range":
        io.say("  Skriv to hele tal med bindestreg imellem, fx 30-90.")
    elif f.kind in KIND_HINTS:
        io.say(_indent(KIND_HINTS[f.kind]))
    if f.kind == "steps":
        io.say(f"  Skriv ét trin pr. linje: minutter, kolon og hvad I gør, fx '10: Byd velkommen'. "
               f"{f.min_items}–{f.max_items} trin.")
    if f.kind in ("lines", "steps"):
        io.say("  Tryk Enter på en tom linje, når du er færdig.")
    if not f.required:
        io.say("  Tryk Enter for at springe over.")


def ask_simple(io: Console, ctype: ContentType, f: Field, methods, known) -> object:
    """Ask one field that is answered on one line, until the answer passes the validator's check."""
    default = None
    while True:
        text = io.ask("> ")
        if text.strip() == "?" and f.kind == "term":
            io.say(_indent(", ".join(value for value, _ in choices_of(f, methods))))
            continue
        if not text.strip() and default is not None:
            text = default
        value = parse_answer(f, text, methods)
        messages = check_answer(ctype, f, value, known)
        if not messages:
            shown = value if isinstance(value, list) else [value]
            if f.kind in ("term", "terms", "slugs") and value and shown != split_list(text):
                io.say(f"  → {', '.join(map(str, shown))}")
            return value
        _show_problems(io, messages)
        default = None
        if f.kind == "term" and isinstance(value, str):
            default = nearest(value, [choice for choice, _ in choices_of(f, methods)])
            if default:
                io.say(f"  Tryk Enter for at bruge '{default}', eller skriv navnet igen.")


def ask_lines(io: Console, ctype: ContentType, f: Field) -> list[str]:
    """Ask a list of texts one line at a time; an empty line ends it."""
    items: list[str] = []
    while True:
        text = io.ask(f"{len(items) + 1}> ").strip()
        if not text:
            messages = check_answer(ctype, f, items)
            if not messages:
                return items
        else:
            messages = check_answer(ctype, f, [text])
            if not messages:
                items.append(text)
                continue
        _show_problems(io, messages)


def parse_step(text: str):
    """'10: Byd velkommen' as a step; text without minutes first stays text (the check explains)."""
    m = STEP_RE.match(text)
    if not m or not m.group(2).strip():
        return text.strip()
    return {"minutes": int(m.group(1)), "do": m.group(2).strip()}


def ask_steps(io: Console, ctype: ContentType, f: Field, duration: dict | None) -> list[dict]:
    """Ask the timed steps one at a time ('10: Byd velkommen'); an empty line ends them. The steps'
    minutes must fit the duration already given."""
    one = replace(f, min_items=1, max_items=1)
    while True:
        steps: list = []
        while True:
            text = io.ask(f"{len(steps) + 1}> ").strip()
            if not text:
                break
            step = parse_step(text)
            messages = check_answer(ctype, one, [step])
            if messages:
                _show_problems(io, messages)
                continue
            steps.append(step)
        messages = check_answer(ctype, f, steps)
        if not messages and isinstance(duration, dict):
            total, low, high = sum(s["minutes"] for s in steps), duration.get("min"), duration.get("max")
            if isinstance(low, int) and isinstance(high, int) and not low <= total <= high:
                messages = [f"trinene tager tilsammen {total} minutter, men tiden er {low}–{high} minutter. "
                            "Skriv trinene igen, så minutterne passer."]
        if not messages:
            return steps
        _show_problems(io, messages)


def ask_source(io: Console, ctype: ContentType, f: Field, number: int | None = None) -> dict | None:
    """Ask the parts of one source. For a list of sources, an empty first part ends the list (None)."""
    source: dict = {}
    for i, (key, required, label, help_text) in enumerate(parts_of(f)):
        prefix = f"Kilde {number}: " if number else ""
        optional = "" if required else " (kan udelades)"
        io.say(f"  {prefix}{label}{optional}" + (f" – {help_text}" if help_text else ""))
        while True:
            text = io.ask("> ").strip()
            if not text and i == 0 and number and number > 1:
                return None
            messages = check_part(ctype, f, key, text or None, required)
            if not messages:
                break
            _show_problems(io, messages)
        if text:
            source[key] = text
    return source


def ask_field(io: Console, ctype: ContentType, f: Field, methods, known, meta: dict | None = None) -> object:
    """Ask one field, in the way its kind needs; the value is checked before it is returned."""
    _header(io, f, methods)
    if f.kind == "lines":
        return ask_lines(io, ctype, f)
    if f.kind == "steps":
        return ask_steps(io, ctype, f, (meta or {}).get("duration"))
    if f.kind == "source":
        while True:
            value = ask_source(io, ctype, f)
            messages = check_answer(ctype, f, value)
            if not messages:
                return value
            _show_problems(io, messages)
    if f.kind == "sources":
        io.say("  Tryk Enter uden at skrive noget, når der ikke er flere kilder.")
        while True:
            sources = []
            while (source := ask_source(io, ctype, f, len(sources) + 1)) is not None:
                sources.append(source)
            messages = check_answer(ctype, f, sources)
            if not messages:
                return sources
            _show_problems(io, messages)
    return ask_simple(io, ctype, f, methods, known)


def ask_slug(io: Console, ctype: ContentType, root: Path, meta: dict) -> str:
    """Propose a file name the user may accept (Enter) or change; checked like the validator does."""
    proposal = propose_slug(ctype, meta)
    io.say("")
    io.say("Filnavn")
    io.say(_indent(f"Filnavnet bliver sidens adresse: {ctype.folder}/<filnavn>.md bliver til "
                   f"/{ctype.url_prefix}/<filnavn>/. Brug små bogstaver a-z, tal og bindestreger, højst "
                   f"{SLUG_MAX} tegn."))
    if proposal:
        io.say(f"  Forslag: {proposal} (tryk Enter for at bruge det, eller skriv et andet)")
    if proposal and target(root, ctype, proposal).exists():
        io.say(_indent(f"Bemærk: {ctype.folder}/{proposal}.md findes allerede. Skriv et andet filnavn; "
                       "vælger du et, der allerede findes, stopper programmet uden at skrive noget."))
    while True:
        slug = clean_slug(io.ask("> "), ctype) or proposal
        messages = check_slug(ctype, slug, meta) if slug else ["skriv et filnavn."]
        if not messages:
            return slug
        _show_problems(io, messages)


def interview(ctype: ContentType, root: Path, given: dict, io: Console, interactive: bool) -> dict:
    """The front matter: each field from `given` (command-line options) or asked, in model order.

    Without `interactive`, nothing is asked: a missing required field or a wrong value raises
    UsageError with every problem listed."""
    methods = method_cards(root)
    known = {slug for slug, _ in methods}
    meta, missing, wrong = {}, [], []
    for f in asked_fields(ctype):
        if f.name in given:
            messages = check_answer(ctype, f, given[f.name], known)
            if not messages:
                meta[f.name] = given[f.name]
                continue
            if not interactive:
                wrong += [f"{option_of(f)}: {sentence(m)}" for m in messages]
                continue
            io.say("")
            io.say(f"{f.label}: det, du skrev på kommandolinjen, kan ikke bruges.")
            for message in messages:
                io.say(f"  Fejl: {sentence(message)}")
        elif not interactive:
            if f.required:
                missing.append(f)
            continue
        value = ask_field(io, ctype, f, methods, known, meta)
        if value is not None and value != []:
            meta[f.name] = value
    if missing or wrong:
        lines = []
        if missing:
            lines.append("Disse felter mangler:")
            lines += [f"  {option_of(f)}  ({f.label}: {f.help})" for f in missing]
        if wrong:
            lines.append("Disse svar kan ikke bruges:")
            lines += [f"  {line}" for line in wrong]
        lines.append("Giv felterne som tilvalg, eller kør uden --yes for at blive spurgt.")
        raise UsageError("\n".join(lines))
    return meta


# ---------------------------------------------------------------------------------------------
# Command line

def option_of(f: Field) -> str:
    """The command-line option(s) a field needs, e.g. '--source-organisation og --source-document'."""
    base = "--" + f.name.replace("_", "-")
    if f.kind == "range":
        return f"{base}-min og {base}-max"
    if f.kind in ("source", "sources"):
        return " og ".join(f"{base}-{key}" for key, required, *_ in parts_of(f) if required)
    return base


def build_parser(ctype: ContentType, default_root: Path) -> argparse.ArgumentParser:
    """The options: one (or one per part) for each field of the type, derived from the model."""
    parser = argparse.ArgumentParser(
        add_help=False,
        description=f"{HEADINGS.get(ctype.name, ctype.label)}: spørger om felterne ét ad gangen og skriver "
                    f"{ctype.folder}/<filnavn>.md. Alle felter kan også gives som tilvalg.")
    parser.add_argument("-h", "--help", action="help", help="vis denne hjælp, og stop")
    for f in asked_fields(ctype):
        opt = "--" + f.name.replace("_", "-")
        help_text = f.help.replace("%", "%%")
        if f.kind == "range":
            for bound, word in (("min", "mindste"), ("max", "største")):
                parser.add_argument(f"{opt}-{bound}", dest=f"{f.name}__{bound}", metavar="TAL",
                                    help=f"{f.label}: {word} værdi. {help_text}")
        elif f.kind in ("source", "sources"):
            for key, _, label, part_help in parts_of(f):
                more = " Gentag for flere kilder (i samme rækkefølge)." if f.kind == "sources" else ""
                parser.add_argument(f"{opt}-{key}", dest=f"{f.name}__{key}", metavar="TEKST",
                                    action="append" if f.kind == "sources" else "store",
                                    help=f"{f.label}: {label}. {part_help}{more}".replace("%", "%%"))
        elif f.kind == "lines":
            parser.add_argument(opt, dest=f.name, action="append", metavar="TEKST",
                                help=f"{help_text} Gentag tilvalget for hver linje.")
        elif f.kind == "steps":
            parser.add_argument(opt, dest=f.name, action="append", metavar="MIN:TEKST",
                                help=f"{help_text} Skriv fx '10: Byd velkommen', og gentag tilvalget for hvert trin.")
        elif f.kind in LIST_KINDS:
            parser.add_argument(opt, dest=f.name, metavar="A,B", help=f"{help_text} Flere adskilt af komma.")
        else:
            parser.add_argument(opt, dest=f.name, metavar="TEKST" if f.kind != "year" else "ÅR", help=help_text)
    parser.add_argument("--slug", "--filnavn", dest="slug", metavar="FILNAVN",
                        help="filnavnet uden .md (standard: et forslag ud fra titlen)")
    parser.add_argument("--yes", "--ikke-interaktiv", "-y", dest="yes", action="store_true",
                        help="spørg aldrig; alle krævede felter skal gives som tilvalg")
    parser.add_argument("--root", type=Path, default=default_root,
                        help="projektmappen med methods/ og cases/ (standard: denne)")
    return parser


def given_values(ctype: ContentType, args: argparse.Namespace, methods: list[tuple[str, str]]) -> dict:
    """The fields given as options, as front matter values (not yet checked)."""
    given = {}
    for f in asked_fields(ctype):
        if f.kind == "range":
            bounds = {b: getattr(args, f"{f.name}__{b}") for b in ("min", "max")}
            if any(v is not None for v in bounds.values()):
                given[f.name] = {b: _number(v) for b, v in bounds.items() if v is not None}
        elif f.kind == "source":
            parts = {key: getattr(args, f"{f.name}__{key}") for key, *_ in parts_of(f)}
            if any(parts.values()):
                given[f.name] = {k: v.strip() for k, v in parts.items() if v and v.strip()}
        elif f.kind == "sources":
            columns = {key: getattr(args, f"{f.name}__{key}") or [] for key, *_ in parts_of(f)}
            count = max(len(c) for c in columns.values())
            if count:
                given[f.name] = [{k: c[i].strip() for k, c in columns.items() if i < len(c) and c[i].strip()}
                                 for i in range(count)]
        elif f.kind == "lines":
            items = [item.strip() for item in getattr(args, f.name) or [] if item.strip()]
            if items:
                given[f.name] = items
        elif f.kind == "steps":
            items = [parse_step(item) for item in getattr(args, f.name) or [] if item.strip()]
            if items:
                given[f.name] = items
        else:
            raw = getattr(args, f.name)
            if raw is not None and raw.strip():
                given[f.name] = parse_answer(f, raw, methods)
    return given


def main(ctype: ContentType, argv: list[str] | None = None, default_root: Path = PROJECT_ROOT,
         ask: Callable[[str], str] = input, say: Callable[[str], None] = print,
         err: Callable[[str], None] | None = None) -> int:
    """Run the scaffolder and return the exit code: 0 written and valid, 1 refused or invalid,
    2 missing or wrong options with --yes, 130 stopped (Ctrl-C or end of input)."""
    err = err or (lambda text: print(text, file=sys.stderr))
    args = build_parser(ctype, default_root).parse_args(argv)
    root = args.root.resolve()
    if not root.is_dir():
        err(f"Mappen {root} findes ikke. Giv --root en projektmappe med methods/ og cases/.")
        return EXIT_USAGE
    io = Console(ask, say)
    try:
        given = given_values(ctype, args, method_cards(root))
        if not args.yes:
            say(HEADINGS.get(ctype.name, ctype.label))
            say(_indent("Svar på spørgsmålene ét ad gangen. Stop når som helst med Ctrl-C; så bliver "
                        "der ikke skrevet nogen fil."))
        meta = interview(ctype, root, given, io, interactive=not args.yes)
        if args.yes or args.slug:
            slug = clean_slug(args.slug or "", ctype) or propose_slug(ctype, meta)
            messages = check_slug(ctype, slug, meta)
            if messages and args.yes:
                raise UsageError("Filnavnet kan ikke bruges:\n" + "\n".join(f"  {sentence(m)}" for m in messages))
            if messages:
                _show_problems(io, messages)
                slug = ask_slug(io, ctype, root, meta)
        else:
            slug = ask_slug(io, ctype, root, meta)
        path = target(root, ctype, slug)
        if path.exists():
            raise Refused(path)
        text = render(ctype, meta, section_texts(ctype, root))
        write_new(path, text)
    except UsageError as problem:
        err(str(problem))
        return EXIT_USAGE
    except Refused:
        err(f"{ctype.folder}/{slug}.md findes allerede, og den bliver ikke overskrevet (filen er ikke ændret). "
            "Vælg et andet filnavn (fx med --slug), eller ret den eksisterende fil.")
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        say("")
        err("Afbrudt. Der er ikke skrevet nogen fil.")
        return EXIT_ABORTED
    except EOFError:
        say("")
        err("Inputtet sluttede, før alle spørgsmål var besvaret. Der er ikke skrevet nogen fil.")
        return EXIT_ABORTED

    rel = f"{ctype.folder}/{slug}.md"
    say("")
    say(f"Skrevet: {rel}")
    problems = validate_tree(root, [path])
    # The sections still hold the template's guidance: that is the next step, not a mistake.
    guidance = set(placeholder_problems(read(path, root, ctype), templates(root)))
    mistakes = [p for p in problems if p not in guidance]
    for problem in mistakes:
        say(str(problem))
    if mistakes:
        err(f"{len(mistakes)} fejl i {rel}. Ret dem, og tjek igen med: python scripts/validate.py {rel}")
        return EXIT_PROBLEMS
    say("Tjek: felterne er i orden.")
    lines = sorted({p.line for p in problems if p in guidance})
    where = f" (linje {', '.join(map(str, lines))})" if lines else ""
    say(_indent(f"Næste skridt: Åbn {rel}, og skriv afsnittene "
                f"{', '.join(ctype.sections[:-1]) + ' og ' if len(ctype.sections) > 1 else ''}"
                f"{ctype.sections[-1]} færdige i stedet for vejledningen{where}. Indtil da bliver filen "
                f"ikke udgivet. Tjek bagefter med: python scripts/validate.py {rel}"))
    return EXIT_OK


def run(ctype: ContentType, default_root: Path) -> None:
    """Entry point for the scripts: UTF-8 in and out, then exit with main's code."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    try:
        code = main(ctype, default_root=default_root)
    except KeyboardInterrupt:
        print("\nAfbrudt. Der er ikke skrevet nogen fil.", file=sys.stderr)
        code = EXIT_ABORTED
    sys.exit(code)
