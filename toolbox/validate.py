"""The one validator: every rule for contributed files, each a small function whose docstring states
it. Every problem in every file is collected; nothing stops the run and nothing changes a file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from . import model, vocab
from .loader import RESERVED, Document, load_all, read
from .markup import check_markup
from .fields import (KINDS, TAG_RE, THIS_YEAR, URL_RE, YEAR_MIN, _check_url, check_line,  # noqa: F401 (re-exported)
                     check_text)
from .model import CARD_BUDGET, PRINTED_SECTIONS, SECTION_BUDGET
from .names import check_names
from .privacy import check_privacy
from .problems import Problem, shown
from .text import SLUG_MAX, SLUG_RE, danish_list, nearest, shorten_slug, slugify

HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE_RE = re.compile(r"^\s*(```|~~~)")


class Report:
    """Collects problems for one document, each at the line of the key it concerns."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.problems: list[Problem] = []

    def add(self, message: str, *key) -> None:
        """Record `message` at the line of `key` (a missing key points at the front matter's line 1)."""
        self.problems.append(Problem(self.doc.path, self.doc.line_of(*key), message))

    def at(self, line: int, message: str) -> None:
        """Record `message` at an absolute line."""
        self.problems.append(Problem(self.doc.path, line, message))


# ---------------------------------------------------------------------------------------------
# Document checks

def check_name(r: Report) -> None:
    """The file name is the slug: lowercase a-z, 0-9 and hyphens, at most SLUG_MAX of them, ending in .md."""
    doc = r.doc
    name = Path(doc.path).name
    stem, dot, ext = name.rpartition(".")
    if not dot or ext != "md":
        r.at(1, f"filnavnet '{shown(name, 60)}' skal ende på '.md'. Omdøb filen til '{slugify(stem or name)}.md'.")
        return
    if not SLUG_RE.match(stem):
        r.at(1, f"filnavnet '{shown(name, 60)}' er ikke gyldigt: brug små bogstaver a-z, tal og bindestreger "
                f"(æ→ae, ø→oe, å→aa). Omdøb filen til '{shorten_slug(slugify(stem))}.md'.")
    elif len(stem) > SLUG_MAX:
        r.at(1, f"filnavnet '{shown(name, 80)}' er {len(stem)} tegn langt (uden .md); højst {SLUG_MAX} er tilladt, "
                f"så adressen og den korte adresse under QR-koden kan stå på én linje. Omdøb filen til "
                f"'{shorten_slug(stem)}.md'.")


def check_keys(r: Report) -> None:
    """Every required key is there and no unknown key is (with the nearest known key suggested)."""
    ctype = r.doc.ctype
    misspelt = {nearest(k, ctype.field_names) for k in r.doc.meta if not ctype.field(k)}
    for f in ctype.fields:
        if f.required and f.name not in r.doc.meta and f.name not in misspelt:
            r.at(1, f"feltet '{f.name}' ({f.label.lower()}) mangler. {f.help} Se {ctype.folder}/_skabelon.md.")
    for key in r.doc.meta:
        if ctype.field(key):
            continue
        if key in ("render_macros", "ignore_macros"):
            r.add(f"feltet '{key}' er ikke tilladt: indhold i {ctype.folder}/ bliver aldrig kørt som skabelon. "
                  "Slet linjen.", key)
            continue
        hint = nearest(key, ctype.field_names)
        msg = f"ukendt felt '{shown(key, 40)}'."
        msg += f" Mente du '{hint}'?" if hint else f" Tilladte felter: {', '.join(ctype.field_names)}."
        r.add(msg, key)


def check_fields(r: Report) -> None:
    """Each known field's value passes its kind's check."""
    for f in r.doc.ctype.fields:
        if f.name in r.doc.meta:
            f.kind_of.check(r, f, r.doc.meta[f.name])


def _sections(doc: Document) -> list[tuple[str, int, list[str]]]:
    """The body's '## ' sections: (heading, line, lines of text), outside fenced code."""
    sections: list[tuple[str, int, list[str]]] = []
    fenced = False
    for offset, line in enumerate(doc.body.split("\n")):
        if FENCE_RE.match(line):
            fenced = not fenced
        m = None if fenced else HEADING_RE.match(line)
        if m and len(m.group(1)) == 2:
            sections.append((m.group(2), doc.body_line + offset, []))
        elif sections:
            sections[-1][2].append(line)
    return sections


def check_body(r: Report) -> None:
    """The body has the type's sections, in order, each with text; a method's steps are a numbered list."""
    doc = r.doc
    if not doc.body.strip():
        r.at(doc.body_line, "siden har ingen tekst under front matter. Skriv afsnittene "
                            f"{danish_list(list(doc.ctype.sections), 'og')}.")
        return
    found = _sections(doc)
    names = [name for name, _, _ in found]
    for wanted in doc.ctype.sections:
        if wanted not in names:
            hint = nearest(wanted, names)
            extra = f" (der står '## {hint}' – ret overskriften)" if hint else ""
            r.at(doc.body_line, f"afsnittet '## {wanted}' mangler{extra}.")
    present = [n for n in names if n in doc.ctype.sections]
    expected = [n for n in doc.ctype.sections if n in present]
    if present != expected and len(set(present)) == len(present):
        r.at(doc.body_line, f"afsnittene skal stå i rækkefølgen {danish_list(list(doc.ctype.sections), 'og')}.")
    for name, line, text in found:
        if doc.ctype is model.METHOD and name not in doc.ctype.sections:
            hint = (" Trinene står nu i front matter under 'steps', med minutter for hvert trin; se "
                    "methods/_skabelon.md." if name == "Sådan gør du" else "")
            r.at(line, f"afsnittet '## {shown(name, 60)}' hører ikke til et metodekort; afsnittene er "
                       f"{danish_list(list(doc.ctype.sections), 'og')}.{hint}")
        if name in doc.ctype.sections and not "".join(text).strip():
            r.at(line, f"afsnittet '## {shown(name, 60)}' er tomt.")


def _visible_length(lines: list[str]) -> int:
    """Characters a reader sees: Markdown markers and line breaks not counted."""
    text = " ".join(re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", t) for t in lines if t.strip())
    return len(re.sub(r"[*_`]|\]\([^)]*\)|\[", "", text).strip())


def _printed_length(doc: Document, sections: list) -> int:
    """Characters the printed card holds besides its fixed parts: the printed sections, the steps,
    'not_when' and the preparation."""
    meta = doc.meta
    total = sum(_visible_length(text) for name, _, text in sections if name in PRINTED_SECTIONS)
    steps = meta.get("steps") if isinstance(meta.get("steps"), list) else []
    total += sum(len(str(s.get("do", ""))) for s in steps if isinstance(s, dict))
    for key in ("not_when", "preparation"):
        total += len(meta[key]) if isinstance(meta.get(key), str) else 0
    return total


def check_card_length(r: Report) -> None:
    """A method card fits one printed A5 page: each section within its budget, and what prints
    (printed sections, steps, 'not_when', preparation) within CARD_BUDGET together."""
    if r.doc.ctype is not model.METHOD:
        return
    sections = _sections(r.doc)
    for name, line, text in sections:
        size = _visible_length(text)
        budget = SECTION_BUDGET.get(name)
        if budget and size > budget:
            r.at(line, f"afsnittet '## {name}' er {size} tegn; højst {budget} er tilladt, så kortet kan "
                       f"udskrives på én A5-side. Skær {size - budget} tegn væk.")
    total = _printed_length(r.doc, sections)
    if total > CARD_BUDGET:
        printed = danish_list(list(PRINTED_SECTIONS), "og")
        r.at(r.doc.body_line, f"det, der bliver udskrevet ({printed}, trinene, 'not_when' og forberedelsen), er "
                              f"tilsammen {total} tegn; højst {CARD_BUDGET} kan stå på ét A5-kort. Skær "
                              f"{total - CARD_BUDGET} tegn væk.")


def check_step_time(r: Report) -> None:
    """A card's step minutes add up to a time within its duration (min to max)."""
    meta = r.doc.meta
    steps, duration = meta.get("steps"), meta.get("duration")
    if not isinstance(steps, list) or not isinstance(duration, dict):
        return
    minutes = [s.get("minutes") for s in steps if isinstance(s, dict)]
    low, high = duration.get("min"), duration.get("max")
    if not minutes or not all(isinstance(m, int) and not isinstance(m, bool) for m in minutes + [low, high]):
        return
    total = sum(minutes)
    if low <= high and not low <= total <= high:
        r.add(f"trinene tager tilsammen {total} minutter, men 'duration' siger {low}–{high} minutter. Ret "
              "minutterne i trinene eller 'duration', så de passer sammen.", "steps")


def check_municipality_in_name(r: Report) -> None:
    """A case's file name begins with its municipality's slug, so name and metadata agree."""
    doc = r.doc
    municipality = doc.meta.get("municipality")
    if doc.ctype is not model.CASE or not isinstance(municipality, str):
        return
    term = vocab.load("municipalities").get(municipality)
    if term and not (doc.slug == term.slug or doc.slug.startswith(term.slug + "-")):
        r.add(f"filnavnet skal begynde med kommunens navn: '{term.slug}-...md', fordi casen er fra "
              f"{municipality}. Omdøb filen, eller ret 'municipality'.", "municipality")


# Python-Markdown's reading of '[' is quadratic in the number of brackets in one paragraph (5,000
# take seconds, 30,000 minutes); an honest paragraph has a handful of links.
MAX_BRACKETS = 200
# Lists and quotes inside each other: Python-Markdown recurses once per level (600 levels exhaust
# its stack); an honest text has two or three.
MAX_NESTING = 8
MAX_INDENT = 48
NESTING_RE = re.compile(r"^(?:[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))+")
NESTING_MARK_RE = re.compile(r">|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)")
# A fence opens and closes a code block; Python-Markdown wants the closing line to repeat the
# opening fence exactly, at the start of a line, and reads an unclosed fence as text.
FENCE_LINE_RE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
# A link address whose scheme has a space or tab in it ('java<TAB>script:'): browsers drop it.
SPACED_SCHEME_RE = re.compile(r"\]\(\s*<?([A-Za-z][A-Za-z0-9+.-]*[ \t]+[A-Za-z0-9+. \t-]*:[^)\s]*)")
# Where Python-Markdown's attr_list extension reads '{...}' as attributes of an element: a line of
# its own that ends a block, the end of a heading or a table cell, right after an inline element.
ATTR_LIST_RES = (
    ("line", re.compile(r"^\s*\{(?!\{)[^{}\n]*\}\s*$")),
    ("heading", re.compile(r"^\s{0,3}#{1,6}\s.*\s\{(?!\{)[^{}\n]*\}\s*#*\s*$")),
    ("cell", re.compile(r"\{(?!\{)[^{}|\n]*\}\s*\|")),
    ("inline", re.compile(r"[*_`\])]\{(?!\{)[^{}\n]*\}")),
)
INLINE_CODE_RE = re.compile(r"(`+)(?:(?!\1).)+?\1")


def _paragraphs(doc: Document):
    """(first line, lines) of each run of non-blank body lines."""
    start, block = None, []
    for offset, line in enumerate(doc.body.split("\n") + [""]):
        if line.strip():
            if start is None:
                start = doc.body_line + offset
            block.append(line)
        elif block:
            yield start, block
            start, block = None, []


def check_markdown(r: Report) -> None:
    """The body uses no syntax the site cannot publish as written: no attribute lists ('{: ... }',
    '{ hidden }'), no file includes ('--8<--'), no paragraph with more than MAX_BRACKETS '[', and
    nothing the sanitiser would remove (toolbox.markup)."""
    doc = r.doc
    check_fences(r)
    for start, block in _paragraphs(doc):
        if sum(line.count("[") for line in block) > MAX_BRACKETS:
            r.at(start, f"afsnittet har over {MAX_BRACKETS} '[': klammer i klammer bliver indlejret for dybt til, at "
                        "siden kan vises. Skriv teksten uden de mange klammer.")
        for k, line in enumerate(block):
            nesting = NESTING_RE.match(line)
            indent = len(line) - len(line.lstrip(" \t"))
            if (nesting and len(NESTING_MARK_RE.findall(nesting.group(0))) > MAX_NESTING) or indent > MAX_INDENT:
                r.at(start + k, f"lister og citater er indlejret for dybt (højst {MAX_NESTING} niveauer i hinanden); "
                                "skriv teksten med færre niveauer.")
            spaced = SPACED_SCHEME_RE.search(line)
            if spaced:
                r.at(start + k, f"adressen '{shown(spaced.group(1), 60)}' er ikke tilladt: der står et mellemrum eller "
                                "en tabulator i den. Links skal begynde med https:// eller http://.")
            if line.startswith("    ") or ("{" not in line and "--8<--" not in line):
                continue
            text = INLINE_CODE_RE.sub("", line)
            if "--8<--" in text:
                r.at(start + k, "'--8<--' (indsæt en anden fil) er ikke tilladt i bidrag; slet linjen.")
            m = next((m for kind, rx in ATTR_LIST_RES for m in [rx.search(text)]
                      if m and (kind != "line" or k > 0)), None)
            if m:
                r.at(start + k, f"'{shown(m.group(0), 40)}' er ikke tilladt: tekst i '{{ }}' bliver læst som en "
                                "attributliste og ændrer siden. Skriv teksten uden krøllede parenteser.")
    r.problems.extend(check_markup(doc.path, doc.body, doc.body_line))


def check_fences(r: Report) -> None:
    """Every code block fence ('```' or '~~~') starts a line and is closed by the same fence."""
    doc = r.doc
    opened = None
    for offset, line in enumerate(doc.body.split("\n")):
        m = FENCE_LINE_RE.match(line)
        if not m:
            continue
        indent, fence, rest = m.groups()
        if opened is None:
            if indent:
                r.at(doc.body_line + offset, "en kodeblok skal begynde helt ude i venstre side ('```' uden "
                                             "mellemrum foran).")
            opened = (fence, doc.body_line + offset)
        elif fence == opened[0] and not indent and not rest.strip():
            opened = None
    if opened is not None:
        r.at(opened[1], f"kodeblokken, der begynder med '{opened[0]}', bliver aldrig lukket. Afslut den med en linje, "
                        f"hvor der kun står '{opened[0]}'.")


# ---------------------------------------------------------------------------------------------
# The template's own texts

TEMPLATE_NAME = "_skabelon.md"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
SUBTEXT = {"source": ("organisation", "document"), "sources": ("title",), "steps": ("do",)}
_MARKER_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_SENTENCE_RE = re.compile(r"[^.!?]+[?]")
MIN_QUESTION = 15   # a template's question shorter than this could be anyone's own words


def _norm(text: str) -> str:
    """A line as compared with the template's: no list marker, spaces collapsed, any case."""
    return " ".join(_MARKER_RE.sub("", text).split()).casefold()


def free_texts(ctype, meta: dict):
    """(key path, label, text) of every free-text value in front matter (titles, descriptions, list
    items, a source's document, a step's 'do'): the values a template fills with instructions."""
    for f in ctype.fields:
        value = meta.get(f.name)
        if f.kind in ("line", "text") and isinstance(value, str):
            yield (f.name,), f.label, value
        elif f.kind == "lines" and isinstance(value, list):
            yield from (((f.name, i), f.label, v) for i, v in enumerate(value) if isinstance(v, str))
        elif f.kind in SUBTEXT:
            items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
            for i, item in enumerate(items):
                for sub in SUBTEXT[f.kind]:
                    if isinstance(item, dict) and isinstance(item.get(sub), str):
                        key = (f.name, i, sub) if isinstance(value, list) else (f.name, sub)
                        yield key, f.label, item[sub]


def _field_name(key: tuple) -> str:
    """'source.document' for ('source', 'document'), 'roles' for ('roles', 2)."""
    return ".".join(str(k) for k in key if not isinstance(k, int))


@dataclass(frozen=True)
class Template:
    """What a type's template (<folder>/_skabelon.md) writes where a contributor's own words belong:
    its free-text values, its sections' text (the scaffolder and the case form show it as guidance),
    the lines of text under its sections and the questions it asks there."""

    path: str
    sections: dict    # '## ' heading -> the lines under it, as written, in order
    values: dict      # (field, normalised value) -> as written
    lines: dict       # normalised body line -> as written
    questions: tuple  # (normalised question, as written), for lines that begin with one


def read_template(ctype, root: Path) -> Template | None:
    """The template of `ctype` under `root` (or the project's own when `root` has none)."""
    for base in (Path(root), PROJECT_ROOT):
        path = base / ctype.folder / TEMPLATE_NAME
        if path.is_file():
            doc = read(path, base, ctype)
            break
    else:
        return None
    values = {(_field_name(key), _norm(text)): text for key, _, text in free_texts(ctype, doc.meta) if _norm(text)}
    lines, questions = {}, []
    sections = {name: text for name, _, text in _sections(doc)}
    for text in sections.values():
        for line in text:
            if _norm(line):
                lines[_norm(line)] = line.strip()
                questions += [(_norm(q), q.strip()) for q in _SENTENCE_RE.findall(line)
                              if len(q.strip()) >= MIN_QUESTION]
    return Template(f"{ctype.folder}/{TEMPLATE_NAME}", sections, values, lines, tuple(questions))


def templates(root: Path) -> dict:
    """Each content type's template under `root`, by folder."""
    found = {ctype.folder: read_template(ctype, root) for ctype in (model.METHOD, model.CASE)}
    return {folder: t for folder, t in found.items() if t}


def check_placeholders(r: Report, template: Template) -> None:
    """No text is left as the template wrote it: neither a free-text value (a title, a
    description, a list item) nor a line or a question under a section."""
    for key, label, text in free_texts(r.doc.ctype, r.doc.meta):
        name = _field_name(key)
        if (name, _norm(text)) in template.values:
            r.add(f"feltet '{name}' ({label.lower()}) står stadig, som det står i skabelonen "
                  f"('{shown(text, 60)}'). Skriv jeres egen tekst i stedet.", *key)
    for name, line, text in _sections(r.doc):
        for k, written in enumerate(text, start=1):
            norm = _norm(written)
            asked = next((q for q, _ in template.questions if norm.startswith(q)), None) if norm else None
            if norm in template.lines or asked:
                r.at(line + k, f"afsnittet '## {shown(name, 60)}' har stadig skabelonens tekst "
                               f"('{shown(template.lines.get(norm) or written.strip(), 60)}'). Skriv jeres "
                               "eget svar, og slet skabelonens tekst.")


def placeholder_problems(doc: Document, placeholders: dict | None) -> list[Problem]:
    """check_placeholders for one document against its type's template (none without one)."""
    template = (placeholders or {}).get(doc.ctype.folder) if doc.ctype and not doc.unreadable else None
    if not template:
        return []
    r = Report(doc)
    check_placeholders(r, template)
    return r.problems


DOCUMENT_CHECKS = (check_name, check_keys, check_fields, check_body, check_card_length, check_step_time,
                   check_municipality_in_name, check_markdown)


def validate_document(doc: Document) -> list[Problem]:
    """Every problem in one file, without looking at other files."""
    r = Report(doc)
    r.problems.extend(doc.problems)
    if doc.unreadable:
        check_name(r)
        return r.problems
    for check in DOCUMENT_CHECKS:
        check(r)
    r.problems.extend(check_privacy(doc))
    r.problems.extend(check_names(doc))
    return r.problems


def former_slugs(doc: Document) -> list[tuple[int, str]]:
    """A method card's former file names (field 'former_slugs') that are slugs, with their positions."""
    value = doc.meta.get("former_slugs") if doc.ctype is model.METHOD else None
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, str) and SLUG_RE.match(item)]


def validate_former_slugs(docs: Iterable[Document], known_methods: set[str],
                          others: Iterable[Document] = ()) -> list[Problem]:
    """A renamed card's former file names are its own: none is the file name of a current card (its
    own included) or a name the site reserves, and no other card (in `docs` or `others`) claims it."""
    docs = list(docs)
    paths = {d.path for d in docs}
    claims = defaultdict(dict)            # former slug -> the cards (by path) that list it
    for doc in docs + [d for d in others if d.path not in paths]:
        for _, slug in former_slugs(doc):
            claims[slug][doc.path] = doc
    problems = []
    for doc in docs:
        for i, slug in former_slugs(doc):
            line = doc.line_of("former_slugs", i)
            if slug == doc.slug:
                msg = (f"'{slug}' er kortets nuværende filnavn; under 'former_slugs' står kun navne, kortet "
                       "havde før. Slet linjen.")
            elif slug in known_methods:
                msg = (f"'{slug}' er filnavnet på et andet metodekort (methods/{slug}.md); den gamle adresse kan "
                       "ikke sende videre hertil, mens det kort findes. Slet linjen, eller omdøb det andet kort.")
            elif slug in RESERVED:
                msg = f"'{slug}' kan ikke bruges som tidligere filnavn: navnet er forbeholdt siden selv. Slet linjen."
            elif len(claims[slug]) > 1:
                names = danish_list([path for path in claims[slug] if path != doc.path], "og")
                msg = (f"'{slug}' står også under 'former_slugs' i {names}; en gammel adresse kan kun sende "
                       "videre til ét kort. Slet linjen i det kort, den ikke hører til.")
            else:
                continue
            problems.append(Problem(doc.path, line, f"feltet 'former_slugs' (tidligere filnavne): {msg}"))
    return problems


def validate_references(docs: Iterable[Document], known_methods: set[str],
                        worksheets: set[str] | None = None, renamed: dict[str, str] | None = None) -> list[Problem]:
    """References to method cards and worksheets point at ones that exist (a reference by a renamed
    card's former name says its name now, from `renamed`); no two files share a slug.
    (`worksheets`: the worksheet pages there are, docs/ark/<slug>.md; None leaves them unchecked.)"""
    problems = []
    by_slug = defaultdict(list)
    for doc in docs:
        if doc.ctype is None:
            continue
        by_slug[(doc.ctype.folder, doc.slug)].append(doc)
        sheets = doc.meta.get("worksheets") if doc.ctype is model.METHOD else None
        if worksheets is not None and isinstance(sheets, list):
            for i, sheet in enumerate(sheets):
                if isinstance(sheet, str) and SLUG_RE.match(sheet) and sheet not in worksheets:
                    hint = nearest(sheet, sorted(worksheets))
                    problems.append(Problem(doc.path, doc.line_of("worksheets", i),
                                            f"feltet 'worksheets': arbejdsarket '{sheet}' findes ikke i docs/ark/."
                                            + (f" Mente du '{hint}'?" if hint else "")))
        key = "methods" if doc.ctype is model.CASE else "related"
        refs = doc.meta.get(key)
        if not isinstance(refs, list):
            continue
        for i, ref in enumerate(refs):
            if isinstance(ref, str) and SLUG_RE.match(ref) and ref not in known_methods:
                hint = nearest(ref, sorted(known_methods))
                msg = f"feltet '{key}': metodekortet '{ref}' findes ikke i methods/."
                if ref in (renamed or {}):
                    msg += f" Kortet er omdøbt; skriv '{renamed[ref]}'."
                elif hint:
                    msg += f" Mente du '{hint}'?"
                problems.append(Problem(doc.path, doc.line_of(key, i), msg))
            if doc.ctype is model.METHOD and ref == doc.slug:
                problems.append(Problem(doc.path, doc.line_of(key, i), "et metodekort kan ikke henvise til sig selv."))
    for (folder, slug), same in by_slug.items():
        if len(same) > 1:
            names = ", ".join(d.path for d in same)
            for doc in same:
                problems.append(Problem(doc.path, 1, f"adressen '{slug}' bruges af flere filer ({names}); "
                                                     "giv filerne forskellige navne."))
    return problems


def validate_all(docs: Iterable[Document], extra_methods: set[str] = frozenset(),
                 document_problems: list[Problem] | None = None, worksheets: set[str] | None = None,
                 placeholders: dict | None = None, others: Iterable[Document] = ()) -> list[Problem]:
    """Every problem in every document, sorted by file and line (`document_problems`: what
    validate_document found in each of `docs`, where that is known already; `worksheets`: the
    worksheet pages there are, see validate_references; `placeholders`: the templates by folder,
    see templates(); `others`: the rest of the content when `docs` is part of it, whose cards'
    former file names count too)."""
    docs, others = list(docs), list(others)
    known = {d.slug for d in docs if d.ctype is model.METHOD} | set(extra_methods)
    if document_problems is None:
        document_problems = [p for doc in docs for p in validate_document(doc)]
    problems = list(document_problems)
    renamed = {old: d.slug for d in docs + others for _, old in former_slugs(d)}
    problems += validate_references(docs, known, worksheets, renamed)
    problems += validate_former_slugs(docs, known, others)
    for doc in docs:
        problems += placeholder_problems(doc, placeholders)
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.message))


def validate_tree(root: Path, paths: Iterable[Path] = (), reserved: frozenset = frozenset()) -> list[Problem]:
    """Validate all content under `root` (with what could not be read as content), or only `paths`
    (checked against all methods under root)."""
    everything, unreadable = load_all(root, reserved)
    sheets = worksheet_slugs(root)
    paths = list(paths)
    if not paths:
        return sorted(set(unreadable) | set(validate_all(everything, worksheets=sheets, placeholders=templates(root))),
                      key=lambda p: (p.path, p.line, p.message))
    chosen = [read(p, root) for p in paths]
    methods = {d.slug for d in everything if d.ctype is model.METHOD}
    chosen_paths = {d.path for d in chosen}
    return validate_all(chosen, methods, worksheets=sheets, placeholders=templates(root),
                        others=[d for d in everything if d.path not in chosen_paths])


WORKSHEETS = Path("docs") / "ark"   # the printable worksheets a card may name


def worksheet_slugs(root: Path) -> set[str]:
    """The worksheets under `root` (docs/ark/<slug>.md, the folder's index page aside)."""
    folder = Path(root) / WORKSHEETS
    return {p.stem for p in folder.glob("*.md") if p.stem != "index"} if folder.is_dir() else set()
