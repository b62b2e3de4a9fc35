"""A case from a GitHub issue: the body of an issue made with the form .github/ISSUE_TEMPLATE/ny-case.yml
becomes a case file, checked by the validator, with a Danish reply for the issue.

GitHub writes a form's answers into the issue body as `### <label>` blocks, `_No response_` for an
empty answer, ticked checkboxes as `- [X] ...` and a dropdown with several choices as 'a, b'. The
labels are the model's (tests/test_scaffold.py checks the form against the model, and
tests/test_issue_case.py checks that every label of the form is read here). The file is written
with the scaffolder's writer and checked by the real validator in a temporary copy of the content
folders, so the verdict is the one `make check` would give.

The body is a stranger's text: work is bounded by its size, nothing in it is run or interpreted
as YAML, values are quoted by the YAML writer, and every problem is listed at once, by field.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import model, scaffold
from .forms import SOURCE_LABELS, _sections
from .loader import MAX_BYTES, RESERVED, TEMPLATE, parse
from .model import Field
from .privacy import check_privacy
from .problems import is_forbidden, one_line, shown
from .text import SLUG_RE, fold, nearest, slugify
from .validate import validate_tree

CASE = model.CASE
MAX_BODY = 65_536          # characters: GitHub's own limit for an issue body
MAX_HEADINGS = 200         # '### ' lines looked at; a form has about twenty
MAX_ITEMS = 100            # lines of a list field or names of methods read from one answer
MAX_FREE_NAME = 1000       # 'slug-2', 'slug-3', ... tried before giving up
NO_RESPONSE = "_No response_"
CONSENT = "Persondata"     # the form's checkbox about personal data (checked against the form in the tests)
HEADING_RE = re.compile(r"^###[ \t]+(.*?)[ \t]*#*[ \t]*$")
ITEM_MARK_RE = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
TICKED_RE = re.compile(r"^\s*[-*]\s+\[[xX]\]")
KOMMUNE_RE = re.compile(r"\s+kommune$", re.IGNORECASE)
WHOLE = "Hele casen"       # where a problem that belongs to no single answer is listed
FILE_NAME = "Filnavn"
# Answers the issue form lets the proposer leave out although the case needs them ("så vælger
# redaktøren"): left empty, they are filled from another answer, and the pull request says so.
FILLED_FROM = {"tags": "areas"}
FILLED = "filled:"          # marks a filled field in read_issue's set of labels not to report twice


@dataclass(frozen=True)
class Slot:
    """One answer of the form: a field, a part of the source, a body section or the consent box."""

    label: str
    field: Field | None = None
    part: str | None = None
    section: str | None = None
    required: bool = True


@dataclass(frozen=True)
class Finding:
    """One thing to fix, under the label of the answer it is about."""

    label: str
    message: str


@dataclass
class Conversion:
    """What an issue body became: the file (None when none can be made) and everything to fix."""

    slug: str | None
    text: str | None
    meta: dict = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    taken: str | None = None       # the proposed name, when it was taken and another was chosen
    filled: tuple[str, ...] = ()   # fields filled from another answer (FILLED_FROM)
    personal: bool = False         # the validator found personal data: nothing is written

    @property
    def writable(self) -> bool:
        """Whether the file may be written: it was made and holds no personal data (a commit keeps
        what it holds for good; the issue can be edited or deleted)."""
        return self.text is not None and not self.personal

    @property
    def path(self) -> str | None:
        """The file's path in the project, e.g. cases/koege-borgerpanel.md."""
        return f"{CASE.folder}/{self.slug}.md" if self.slug else None

    @property
    def ok(self) -> bool:
        """A file was made and nothing needs fixing."""
        return self.text is not None and not self.findings


def slots() -> list[Slot]:
    """The form's answers in form order: the case's fields (the source in its parts), the body
    sections (required ones, then those the template suggests) and the consent box."""
    out = []
    for f in CASE.fields:
        if f.kind == "source":
            for key, required, *_ in scaffold.parts_of(f):
                out.append(Slot(f"{f.label}: {SOURCE_LABELS.get(key, key).lower()}", f, key, required=required))
        else:
            out.append(Slot(f.label, f, required=f.required and f.name not in FILLED_FROM))
    out += [Slot(s["title"], section=s["title"], required=s["required"]) for s in _sections()]
    return out + [Slot(CONSENT)]


def sentence(message: str) -> str:
    """A message as a sentence: one line, first letter upper case."""
    return scaffold.sentence(one_line(message).strip())


# ---------------------------------------------------------------------------------------------
# Reading the body

def read_blocks(body: str, known: list[Slot]) -> tuple[dict[str, str], list[str]]:
    """The text under each known `### <label>` (by label) and the headings that are not labels.

    A label is known however it is capitalised or spelt with ae/oe/aa. Only its first heading counts.
    Under a body section a `### ` line that is not a label is the writer's own subheading; under
    any other answer it ends the answer, and the heading is reported (a label changed by hand)."""
    by_key = {fold(s.label): s for s in known}
    blocks: dict[str, list[str]] = {}
    unknown: list[str] = []
    current: list[str] | None = None
    in_section = False
    headings = 0
    for line in body.split("\n"):
        m = HEADING_RE.match(line) if line.startswith("###") and headings < MAX_HEADINGS else None
        if m:
            headings += 1
            slot = by_key.get(fold(m.group(1)))
            if slot is not None and slot.label not in blocks:
                current = blocks[slot.label] = []
                in_section = slot.section is not None
                continue
            if not in_section:
                unknown.append(m.group(1))
                current = None
                continue
        if current is not None:
            current.append(line)
    texts = {}
    for label, lines in blocks.items():
        text = "\n".join(lines).strip()
        texts[label] = "" if text == NO_RESPONSE else text
    return texts, unknown


def _items(text: str) -> list[str]:
    """The lines of an answer as list items, list marks ('- ', '1. ') taken off."""
    items = [ITEM_MARK_RE.sub("", line).strip() for line in text.split("\n")]
    return [item for item in items if item][:MAX_ITEMS]


def _municipality(text: str, f: Field):
    """The municipality as its vocabulary value: 'Køge', 'koege' and 'Køge Kommune' are all Køge."""
    choices = scaffold.choices_of(f, [])
    value = scaffold.resolve_choice(text, choices, by_number=False)
    if value == text.strip() and KOMMUNE_RE.search(text.strip()):
        shorter = KOMMUNE_RE.sub("", text.strip())
        resolved = scaffold.resolve_choice(shorter, choices, by_number=False)
        if resolved != shorter or resolved in dict(choices):
            return resolved
    return value


def _methods(text: str, cards: list[tuple[str, str]], label: str) -> tuple[list[str], list[Finding]]:
    """Method cards named by title or file name, one per line or separated by commas, as file names;
    a name that is no card is reported with the nearest title."""
    by_key: dict[str, str] = {}
    for slug, title in cards:
        for key in (slug, slugify(title), fold(title)):
            by_key.setdefault(key, slug)

    def find(name: str) -> str | None:
        return by_key.get(fold(name)) or by_key.get(slugify(name))

    found, findings = [], []
    for item in _items(text):
        slug = find(item)
        names = [item] if slug else [part.strip() for part in item.split(",") if part.strip()]
        for name in names:
            slug = find(name)
            if slug:
                if slug not in found:
                    found.append(slug)
                continue
            hint = nearest(name[:100], [title for _, title in cards])
            findings.append(Finding(label, f"'{shown(name, 60)}' er ikke et metodekort i Værktøjskassen. "
                                           + (f"Mente du '{hint}'? " if hint else "")
                                           + "Skriv metodernes navne, som de står på sitet under Metoder, ét pr. linje."))
    return found, findings


def _value(f: Field, text: str, cards, label: str) -> tuple[object, list[Finding]]:
    """An answer as the front matter value; None for no answer (an optional field is then left out)."""
    if not text:
        return None, []
    if f.kind == "lines":
        return _items(text), []
    if f.kind == "slugs":
        return _methods(text, cards, label)
    if f.name == scaffold.MUNICIPALITY:
        return _municipality(text, f), []
    return scaffold.parse_answer(f, text, cards), []


def _empty(f: Field):
    """The value a required field gets when its answer is empty, so the validator says it is empty."""
    return [] if f.kind in ("terms", "slugs", "tags", "lines", "sources") else ""


NOT_THE_FORM = ("issuet er ikke lavet med formularen 'Foreslå en case': ingen af formularens overskrifter "
                "('### Titel', '### Kommune' og de andre) står i det. Opret et nyt issue med formularen, eller "
                "skriv casen i formularen på sitet (Bidrag → Ny case i browseren).")


def read_issue(body: str, cards: list[tuple[str, str]]) -> tuple[dict, dict[str, str], list[Finding], set[str]]:
    """The front matter, the body sections, what could not be read, and the labels whose heading is
    missing (the validator's 'empty' for those would only repeat it), from an issue body."""
    known = slots()
    texts, unknown = read_blocks(body, known)
    meta: dict = {}
    sections: dict[str, str] = {}
    findings: list[Finding] = []
    missing: set[str] = set()
    if not texts:
        return meta, sections, [Finding(WHOLE, NOT_THE_FORM)], {s.label for s in known}
    for slot in known:
        text = texts.get(slot.label)
        if text is None:
            hint = nearest(slot.label, unknown)
            where = f" Der står '### {shown(hint, 60)}': ret den overskrift til '### {slot.label}'." if hint else ""
            if slot.required:
                missing.add(slot.label)
                findings.append(Finding(slot.label, f"overskriften '### {slot.label}' mangler i issuet, så svaret kan "
                                                    f"ikke findes.{where} Skriv svaret under overskriften."))
            if slot.label == CONSENT:
                continue
            text = ""
        if slot.label == CONSENT:
            if not any(TICKED_RE.match(line) for line in text.split("\n")):
                findings.append(Finding(CONSENT, "sæt kryds ved, at du har skrevet roller og ikke navne og ingen "
                                                 "CPR-numre, personlige e-mailadresser eller telefonnumre."))
        elif slot.section:
            if text or slot.required:
                sections[slot.section] = text
        elif slot.part:
            if text:
                meta.setdefault(slot.field.name, {})[slot.part] = text
            elif slot.field.required:
                meta.setdefault(slot.field.name, {})
        else:
            value, found = _value(slot.field, text, cards, slot.label)
            findings += found
            if value not in (None, []):
                meta[slot.field.name] = value
            elif slot.field.required:
                meta[slot.field.name] = _empty(slot.field)
    for name, source in FILLED_FROM.items():
        if not meta.get(name) and isinstance(meta.get(source), list) and meta[source]:
            meta[name] = list(meta[source])
            missing.add(f"{FILLED}{name}")
    unread = [h for h in unknown if nearest(h, [s.label for s in known]) is None][:5]
    for heading in unread:
        findings.append(Finding(WHOLE, f"overskriften '### {shown(heading, 60)}' hører ikke til formularen, og "
                                       "teksten under den er ikke med i casen. Skriv teksten under en af formularens "
                                       "overskrifter."))
    return meta, sections, findings, missing


# ---------------------------------------------------------------------------------------------
# The file

def taken_names(root: Path) -> set[str]:
    """File names a new case may not get: the cases there are, the template and the names the
    site reserves (its own pages under cases/)."""
    from .loader import reserved_slugs
    names = {Path(TEMPLATE).stem} | RESERVED | set(reserved_slugs(root))
    folder = root / CASE.folder
    if folder.is_dir():
        names |= {Path(name).stem.lower() for name in os.listdir(folder)}
    return names


def free_name(slug: str, taken: set[str]) -> str | None:
    """`slug`, or `slug-2`, `slug-3`, ... : the first that no file has."""
    for n in range(1, MAX_FREE_NAME + 1):
        name = slug if n == 1 else f"{slug}-{n}"
        if name not in taken:
            return name
    return None


def file_text(meta: dict, sections: dict[str, str]) -> str:
    """The case file: the scaffolder's front matter, then each section under its '## ' heading."""
    body = "".join(f"\n## {name}\n\n{text}\n" for name, text in sections.items())
    return f"---\n{scaffold.front_matter(CASE, meta)}---\n{body}"


def check(root: Path, slug: str, text: str) -> list:
    """The validator's problems with the file, checked as cases/<slug>.md in a temporary copy of the
    content folders (the method cards and the template), so the real tree is never written to."""
    with tempfile.TemporaryDirectory(prefix="vk-issue-") as tmp:
        copy = Path(tmp)
        (copy / CASE.folder).mkdir()
        (copy / model.METHOD.folder).mkdir()
        for folder in (model.METHOD.folder, CASE.folder):
            source = root / folder
            if not source.is_dir() or source.is_symlink():
                continue
            for entry in os.scandir(source):
                if entry.name.endswith(".md") and entry.is_file(follow_symlinks=False) \
                        and (folder == model.METHOD.folder or entry.name == TEMPLATE):
                    shutil.copyfile(entry.path, copy / folder / entry.name)
        path = copy / CASE.folder / f"{slug}.md"
        path.write_text(text, encoding="utf-8", newline="\n")
        return validate_tree(copy, [path])


def _label_of(problem, doc, labels: dict[str, str], sections: list[str]) -> str:
    """The answer a validator problem is about: the field it names, else the field or section at its line."""
    m = re.match(r"(?:feltet '|')([a-z_]+)(?:\.([a-z_]+))?'", problem.message)
    if m and m.group(1) in labels:
        parts = [m.group(2)] + re.findall(r"'([a-z_]+):'", problem.message)   # "mangler 'document:'"
        return next((labels[f"{m.group(1)}.{part}"] for part in parts if f"{m.group(1)}.{part}" in labels),
                    labels[m.group(1)])
    if "filnavn" in problem.message:
        return FILE_NAME
    if problem.line < doc.body_line:
        at = [(line, key) for key, line in doc.lines.items() if key and line <= problem.line]
        if at:
            key = max(at, key=lambda item: (item[0], len(item[1])))[1]
            name = ".".join(str(k) for k in key[:2] if isinstance(k, str))
            return labels.get(name) or labels.get(str(key[0])) or WHOLE
        return WHOLE
    heading = WHOLE
    for offset, line in enumerate(doc.body.split("\n")):
        if doc.body_line + offset > problem.line:
            break
        if line.startswith("## ") and line[3:].strip() in sections:
            heading = line[3:].strip()
    return heading


def _finished(conv: Conversion) -> Conversion:
    """Each finding once, as a sentence, in the form's order (what concerns the whole case first)."""
    order = {s.label: i for i, s in enumerate(slots())}
    unique = list(dict.fromkeys(Finding(f.label, sentence(f.message)) for f in conv.findings))
    unique.sort(key=lambda f: order.get(f.label, -1 if f.label in (WHOLE, FILE_NAME) else len(order)))
    conv.findings = unique
    return conv


def convert(body: str, root: Path) -> Conversion:
    """An issue body as a case file for the project at `root`: its free file name, its text and
    every problem (from reading the issue and from the validator), each under the form's label."""
    body = str(body or "").replace("\r\n", "\n").replace("\r", "\n")
    if len(body) > MAX_BODY:
        size = f"{len(body):,}".replace(",", ".")
        return _finished(Conversion(None, None, findings=[Finding(WHOLE, f"issuet er {size} tegn langt; højst "
                                                          f"{MAX_BODY:,} kan læses. Skriv casen kortere.".replace(",", "."))]))
    if not body.strip():
        return _finished(Conversion(None, None, findings=[Finding(WHOLE, "issuet er tomt. Udfyld formularen 'Foreslå en case'.")]))
    cards = scaffold.method_cards(root)
    meta, sections, findings, missing = read_issue(body, cards)
    proposal = scaffold.propose_slug(CASE, meta) if str(meta.get("title") or "").strip() else ""
    if not proposal or not SLUG_RE.match(proposal):
        if CASE.field("title").label not in missing:
            findings.append(Finding(FILE_NAME, "filen kan ikke få et navn, fordi titlen mangler eller ikke har bogstaver "
                                               "eller tal. Skriv en titel."))
        return _finished(Conversion(None, None, meta, findings))
    slug = free_name(proposal, taken_names(root))
    if slug is None:
        findings.append(Finding(FILE_NAME, f"der findes allerede over {MAX_FREE_NAME} cases, der hedder "
                                           f"'{proposal}'. Giv casen en anden titel."))
        return _finished(Conversion(None, None, meta, findings))
    text = file_text(meta, sections)
    if len(text.encode("utf-8")) > MAX_BYTES:
        findings.append(Finding(WHOLE, f"casen fylder {len(text.encode('utf-8')) // 1024} KB; højst "
                                       f"{MAX_BYTES // 1024} KB er tilladt. Skriv den kortere."))
        return _finished(Conversion(None, None, meta, findings))
    doc = parse(f"{CASE.folder}/{slug}.md", text.encode("utf-8"), CASE)
    labels = {s.field.name + (f".{s.part}" if s.part else ""): s.label for s in slots() if s.field}
    for f in CASE.fields:
        labels.setdefault(f.name, f.label)
    problems = check(root, slug, text)
    checked = [Finding(_label_of(p, doc, labels, list(sections)), p.message) for p in problems]
    findings += [f for f in checked if f.label not in missing]
    # A commit keeps what it holds for good: no file with personal data or invisible characters.
    personal = {p.message for p in check_privacy(doc)} & {p.message for p in problems}
    personal = bool(personal) or any(is_forbidden(ch) for ch in text)
    filled = tuple(sorted(m[len(FILLED):] for m in missing if m.startswith(FILLED)))
    return _finished(Conversion(slug, text, meta, findings, taken=proposal if slug != proposal else None,
                                personal=personal, filled=filled))


# ---------------------------------------------------------------------------------------------
# The reply on the issue

_MD_SPECIAL = re.compile(r"([\\`*_\[\]~|])")
_HTML = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "@": "&#64;"}


def md(text: str) -> str:
    """Text quoted from an issue as inert Markdown on one line: no link, image, mention, HTML or
    heading can come of it (GitHub renders the comment)."""
    text = _MD_SPECIAL.sub(r"\\\1", one_line(str(text)))
    return "".join(_HTML.get(ch, ch) for ch in text)    # after the escapes: '#' of '&#64;' stays


HOW_TO_EDIT = (
    "### Sådan retter du\n\n"
    "1. Gå op til dit issue øverst på siden, tryk på de tre prikker (**…**) i dets øverste højre hjørne, "
    "og vælg **Edit**.\n"
    "2. Ret teksten under de overskrifter, der er nævnt ovenfor. Lad overskrifterne (linjerne, der "
    "begynder med `###`) stå, som de er.\n"
    "3. Tryk på **Update comment**. Så laver vi filen igen og svarer her. Du behøver ikke at oprette et nyt issue.\n")


def reply(conv: Conversion, written: bool = True) -> str:
    """The comment for the issue, in Danish Markdown: the file that was made (or why none was) and,
    answer by answer, what to fix and how to edit the issue so the file is made again."""
    n = len(conv.findings)
    what = "1 ting" if n == 1 else f"{n} ting"
    if conv.personal:
        lines = ["## Tak for casen! Vi har ikke lavet filen endnu", "",
                 "Issuet ser ud til at indeholde persondata (se herunder). Issuet er offentligt, så ret det "
                 "hurtigst muligt. Vi laver først filen, når der ikke er persondata i det.", ""]
    elif conv.text is None or not written:
        lines = ["## Tak for casen! Vi kunne ikke lave filen endnu", "",
                 "Ret det, der står herunder, i issuet, så prøver vi igen:", ""]
    elif conv.ok:
        lines = ["## Tak for casen!", "",
                 f"Vi har lavet filen `{conv.path}` ud fra dit issue, og tjekket fandt ingen fejl. Filen ligger i en "
                 "pull request, hvor en redaktør ser den igennem, før casen bliver udgivet. Du hører fra os her, "
                 "hvis der er spørgsmål.", ""]
    else:
        lines = [f"## Tak for casen! Der er {what}, der skal rettes", "",
                 f"Vi har lavet filen `{conv.path}` ud fra dit issue, men tjekket fandt {what}, der skal rettes, "
                 "før casen kan udgives. Ret det i issuet, så laver vi filen igen:", ""]
    if conv.taken and conv.text is not None and written and not conv.personal:
        lines += [f"Der findes allerede en case med filnavnet `{conv.taken}.md`, så den nye fil hedder "
                  f"`{conv.slug}.md`.", ""]
    by_label: dict[str, list[str]] = {}
    for finding in conv.findings:
        by_label.setdefault(finding.label, []).append(finding.message)
    for label, messages in by_label.items():
        lines += [f"**{md(label)}**", "", *(f"- {md(m)}" for m in messages), ""]
    if conv.findings:
        lines.append(HOW_TO_EDIT)
    lines.append("*Dette svar er lavet automatisk af Værktøjskassens tjek.*")
    return "\n".join(lines).rstrip() + "\n"


def pr_body(conv: Conversion, issue: int | None) -> str:
    """The pull request's description: where the file comes from, what was filled in for the
    proposer and what the check said."""
    ref = f"#{issue}" if issue else "et issue"
    lines = [f"Casen `{conv.path}` er lavet automatisk ud fra {ref} med formularen *Foreslå en case*.", ""]
    for name in conv.filled:
        f, source = CASE.field(name), CASE.field(FILLED_FROM[name])
        lines += [f"Feltet `{name}` ({f.label.lower()}) var tomt i issuet og er sat til det samme som `{source.name}` "
                  f"({source.label.lower()}). Ret det gerne, før casen bliver flettet.", ""]
    if conv.findings:
        lines += [f"Tjekket fandt {len(conv.findings)} fejl; forslagsstilleren har fået besked i issuet. "
                  "Når issuet bliver rettet, bliver filen lavet igen her.", ""]
    else:
        lines += ["Tjekket fandt ingen fejl. Læs casen igennem, før den bliver flettet.", ""]
    lines += ["En pull request, som en workflow har lavet, starter ikke selv tjekket *Tjek bidrag*. Luk og genåbn "
              "pull requesten for at køre det.", ""]
    if issue:
        lines.append(f"Closes #{issue}")
    return "\n".join(lines) + "\n"
