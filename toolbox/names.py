"""The name guard: a case must not name a person (GDPR), only roles ("en projektleder").

What looks like a person's name, in the front matter and the body of a case:
- a role followed by two capitalised words: "Projektleder Mette Hansen", "konsulent Xenia Brandt";
- a common Danish first name (vocabularies/first_names.yml, from Danmarks Statistik's name
  statistics) followed by a capitalised word: "Mette Hansen", "Anne-Mette Nielsen";
- a common first name inside a sentence (after a word in small letters or a comma): "borgeren
  Mette fortalte". At the start of a sentence a lone first name is not reported ("Per deltager").
A finding that overlaps a phrase in vocabularies/not_persons.yml (places, programmes,
organisations) is not reported.

As in toolbox/privacy.py, the pattern is one regular expression that Python's re and JavaScript's
RegExp (with the "u" flag) read the same way, because the case form (docs/assets/js/case-form.js)
runs the same source: no \\b (ASCII-only in JavaScript), no inline flags, lookbehinds of fixed
width, every repetition bounded. Method cards may name the authors of a method; only cases are
checked.
"""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from . import model
from .loader import Document, Problem, strings
from .problems import shown
from .vocab import VOCAB_DIR

# Letters, as privacy.py counts them (Latin-1 and beyond, without punctuation and spaces).
_LETTER = r"A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u1FFF\u2C00-\u2DFF\u3040-\uD7FF"
_UPPER = r"A-Z\u00C0-\u00D6\u00D8-\u00DE"
_LOWER = r"a-z\u00DF-\u00F6\u00F8-\u00FF"
CAPITALISED = f"[{_UPPER}][{_LOWER}]{{1,30}}(?:-[{_UPPER}][{_LOWER}]{{1,30}})?"
# The endings of Danish job titles and roles: projektleder, sundhedskonsulent, borgmester, ...
ROLES = ("leder", "chef", "konsulent", "rådgiver", "medarbejder", "koordinator", "direktør", "mester",
         "rådmand", "formand", "sekretær", "assistent", "terapeut", "sygeplejerske", "pædagog", "lærer",
         "udvikler", "planlægger", "specialist", "ansvarlig", "ambassadør", "facilitator", "partner")
ROLE = (f"(?:(?:[{_UPPER}{_LOWER}][{_LOWER}]{{0,30}})?(?:{'|'.join(ROLES)})"
        f"|(?:{'|'.join(r.capitalize() for r in ROLES)}))")
MESSAGE = ("'{value}' ligner en persons navn. Cases er offentlige, og personer må ikke kunne genkendes "
           "(GDPR): skriv rollen i stedet, fx 'projektlederen' eller 'en borger'.")
ALLOW_HINT = (" Er det ikke en person, men et sted, et program eller en organisation, så skriv det i "
              "toolbox/vocabularies/not_persons.yml.")


@lru_cache(maxsize=None)
def first_names() -> tuple[str, ...]:
    """The common first names, longest first (so 'Anne-Mette' is read before 'Anne')."""
    data = yaml.safe_load((VOCAB_DIR / "first_names.yml").read_text(encoding="utf-8"))
    names = {str(n) for group in ("women", "men") for n in data.get(group) or []}
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


@lru_cache(maxsize=None)
def not_persons() -> tuple[str, ...]:
    """Phrases that carry a first name but name no person."""
    data = yaml.safe_load((VOCAB_DIR / "not_persons.yml").read_text(encoding="utf-8")) or {}
    return tuple(str(p) for p in data.get("phrases") or [])


@lru_cache(maxsize=None)
def pattern() -> str:
    """The name pattern's source: a role and a name, a first name and a surname, or a lone first
    name inside a sentence (in that order, so the longest reading wins where they start together)."""
    first = "(?:" + "|".join(re.escape(n) for n in first_names()) + ")"
    firsts = f"{first}(?:-{first})?"
    edge, end = f"(?<![{_LETTER}])", f"(?![{_LETTER}])"
    return (f"{edge}{ROLE} {CAPITALISED} {CAPITALISED}{end}"
            f"|{edge}{firsts}(?: {firsts})? {CAPITALISED}{end}"
            f"|(?<=[{_LOWER},;:] ){firsts}{end}")


@lru_cache(maxsize=None)
def _compiled() -> re.Pattern:
    return re.compile(pattern())


def find_names(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each likely personal name in `text`, allowed phrases left out."""
    allowed = [(m.start(), m.end()) for phrase in not_persons() for m in re.finditer(re.escape(phrase), text)]
    found = []
    for m in _compiled().finditer(text):
        if not any(start < m.end() and m.start() < end for start, end in allowed):
            found.append((m.start(), m.group(0)))
    return found


def check_names(doc: Document) -> list[Problem]:
    """Each likely personal name in a case, at its line (a front matter value's at its key's line)."""
    if doc.ctype is not model.CASE or doc.unreadable:
        return []
    problems = []
    for key, text in strings(doc.meta, skip={"url"}):
        for _, name in find_names(text):
            problems.append(Problem(doc.path, doc.line_of(*key),
                                    MESSAGE.format(value=shown(name, 60)) + ALLOW_HINT))
    for offset, line in enumerate(doc.body.split("\n")):
        for _, name in find_names(line):
            problems.append(Problem(doc.path, doc.body_line + offset,
                                    MESSAGE.format(value=shown(name, 60)) + ALLOW_HINT))
    return problems


def browser_config() -> dict:
    """What the case form needs to run the same check: the pattern's source and the allowed phrases."""
    return {"pattern": pattern(), "allowed": list(not_persons())}
