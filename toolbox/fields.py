"""Field kinds: each kind of front matter value defined once.

A kind says how a value is checked (Danish messages at the value's line), what its JSON Schema is
(published for editors and checked against in the tests), and which values pass and fail (the
examples the parity test runs through the validator, the schema and the case form's JavaScript).
The content model (toolbox.model) declares fields of these kinds; the validator, the schema, the
case form's rules (served as data), the scaffolder and the templates all go through here.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Callable

from . import vocab
from .problems import shown
from .text import SLUG_RE, danish_list, nearest, slugify

TEXT_MAX = 160        # one-line texts: title, description, list items
LONG_TEXT_MAX = 600   # preparation, results
THIS_YEAR = datetime.date.today().year
YEAR_MIN = 1970
URL_RE = re.compile(r"^https?://[^\s<>\"']+$")
TAG_RE = re.compile(r"^[a-z0-9æøåé][a-z0-9æøåé -]{0,29}$")
LINE_RE = r"^(?=[^\n]*\S)[^<>\n]*$"   # one line, not only spaces, no '<' or '>'
TEXT_RE = r"\S"                         # not only spaces


@dataclass(frozen=True)
class Field:
    """One front matter key."""

    name: str
    label: str
    kind: str          # a key of KINDS: line | text | year | range | term | terms | lines | slugs | ...
    help: str
    required: bool = True
    vocabulary: str | None = None
    max_length: int = TEXT_MAX
    max_items: int | None = None
    min_items: int = 1
    min_value: int = 0             # range: the smallest allowed bound (participants: max at least 1)
    asked: bool = True             # the scaffolder asks for it in a new file; False for what only an
                                   # existing file can have (a renamed card's former file names)

    @property
    def kind_of(self) -> "Kind":
        """The field's kind."""
        return KINDS[self.kind]



# ---------------------------------------------------------------------------------------------
# Checks: one function per kind. Each gets the report (r.add(message, *key)), the field and the value.

def _kind_of(value) -> str:
    """A Danish name for the YAML type a contributor wrote."""
    if isinstance(value, bool):
        return "sand/falsk"
    if isinstance(value, int):
        return "et tal"
    if isinstance(value, float):
        return "et decimaltal"
    if isinstance(value, str):
        return "tekst"
    if isinstance(value, list):
        return "en liste"
    if isinstance(value, dict):
        return "felter"
    return "tom" if value is None else type(value).__name__


# ---------------------------------------------------------------------------------------------
# Field checks: one function per kind. Each gets the report, the field and the value.

def check_line(r, f: Field, value, *key) -> None:
    """A one-line text: a non-empty string within its length, without line breaks or '<' and '>'."""
    key = key or (f.name,)
    if not isinstance(value, str):
        r.add(f"feltet '{f.name}' ({f.label.lower()}) skal være tekst, ikke {_kind_of(value)} ('{shown(value)}'). "
              "Sæt teksten i anførselstegn, hvis den ligner et tal eller en dato.", *key)
        return
    if not value.strip():
        r.add(f"feltet '{f.name}' ({f.label.lower()}) er tomt. {f.help}", *key)
    elif "\n" in value.strip():
        r.add(f"feltet '{f.name}' ({f.label.lower()}) skal være én linje; fjern linjeskiftet.", *key)
    elif len(value) > f.max_length:
        r.add(f"feltet '{f.name}' ({f.label.lower()}) er {len(value)} tegn; højst {f.max_length} er tilladt. "
              "Skriv det kortere.", *key)
    if f.kind == "line" and isinstance(value, str) and re.search(r"[<>]", value):
        r.add(f"feltet '{f.name}' ({f.label.lower()}) må ikke indeholde '<' eller '>': '{shown(value)}'. "
              "Metadata er ren tekst, ikke HTML.", *key)


def check_text(r, f: Field, value, *key) -> None:
    """A text that may run over several lines: a non-empty string within its length."""
    if not isinstance(value, str):
        r.add(f"feltet '{f.name}' ({f.label.lower()}) skal være tekst, ikke {_kind_of(value)} ('{shown(value)}').",
              *(key or (f.name,)))
        return
    if not value.strip():
        r.add(f"feltet '{f.name}' ({f.label.lower()}) er tomt. {f.help}", *(key or (f.name,)))
    elif len(value) > f.max_length:
        r.add(f"feltet '{f.name}' ({f.label.lower()}) er {len(value)} tegn; højst {f.max_length} er tilladt. "
              "Skriv det kortere.", *(key or (f.name,)))


def check_year(r, f: Field, value) -> None:
    """A year: a whole number from 1970 up to this year."""
    if isinstance(value, str) and value.strip().isdigit():
        r.add(f"feltet 'year' (år) står i anførselstegn ('{shown(value, 40)}') og bliver derfor læst som tekst, "
              f"ikke som et årstal. Fjern anførselstegnene, så linjen hedder: year: {value.strip()}", "year")
    elif isinstance(value, bool) or not isinstance(value, int):
        r.add(f"feltet 'year' (år) skal være et årstal med fire cifre, fx 2024, ikke '{shown(value, 40)}'.", "year")
    elif not YEAR_MIN <= value <= THIS_YEAR:
        r.add(f"feltet 'year' (år) er {shown(value, 40)}, som ikke er et muligt årstal: skriv et årstal fra "
              f"{YEAR_MIN} til {THIS_YEAR}.", "year")


def check_range(r, f: Field, value) -> None:
    """A range: 'min' and 'max', whole numbers, not negative, with min not greater than max."""
    if not isinstance(value, dict):
        r.add(f"feltet '{f.name}' ({f.label.lower()}) skal have to linjer under sig, 'min:' og 'max:' "
              f"med hele tal, ikke {_kind_of(value)} ('{shown(value)}').", f.name)
        return
    ok = True
    for bound in ("min", "max"):
        if bound not in value:
            r.add(f"feltet '{f.name}' ({f.label.lower()}) mangler '{bound}:'.", f.name)
            ok = False
            continue
        number = value[bound]
        if isinstance(number, str) and number.strip().isdigit():
            r.add(f"'{f.name}.{bound}' står i anførselstegn ('{shown(number, 40)}') og bliver derfor læst som "
                  f"tekst, ikke som et tal. Fjern anførselstegnene, så linjen hedder: {bound}: {number.strip()}",
                  f.name, bound)
            ok = False
        elif isinstance(number, bool) or not isinstance(number, int) or number < 0:
            r.add(f"'{f.name}.{bound}' skal være et helt tal på 0 eller derover, ikke '{shown(number, 40)}'.", f.name, bound)
            ok = False
    for extra in value:
        if extra not in ("min", "max"):
            r.add(f"'{f.name}' kan kun have 'min' og 'max', ikke '{extra}'.", f.name, str(extra))
            ok = False
    if ok and value["min"] > value["max"]:
        r.add(f"'{f.name}': min ({value['min']}) er større end max ({value['max']}); byt om på dem.", f.name, "min")
    if ok and value["max"] < f.min_value:
        r.add(f"'{f.name}.max' skal være mindst {f.min_value}.", f.name, "max")


def _vocab_message(f: Field, value, allowed: list[str]) -> str:
    """'<field>: '<value>' findes ikke. Skriv '<x>' (how)' or 'Mente du '<x>'?', then what is allowed."""
    msg = f"feltet '{f.name}' ({f.label.lower()}): '{shown(value)}' findes ikke."
    found = vocab.load(f.vocabulary).suggest(value) if isinstance(value, str) else None
    if found and found[1]:
        msg += f" Skriv '{found[0]}' ({found[1]})."
    elif found:
        msg += f" Mente du '{found[0]}'?"
    if len(allowed) <= 12:
        msg += f" Tilladt er {danish_list(allowed)}."
    elif not (found and found[1]):   # a sure suggestion needs no list; a guess points at it
        msg += f" Se listen i toolbox/vocabularies/{f.vocabulary}.yml."
    return msg


def check_term(r, f: Field, value) -> None:
    """One value from the field's vocabulary."""
    allowed = vocab.load(f.vocabulary).values
    if isinstance(value, list):
        r.add(f"feltet '{f.name}' ({f.label.lower()}) skal have én værdi, ikke en liste.", f.name)
    elif value not in allowed:
        r.add(_vocab_message(f, value, allowed), f.name)


def _as_list_hint(f: Field, text: str) -> str:
    """How a one-line text meant as a list is written as one: '[a, b]', each part as the field
    wants it (a vocabulary's own spelling, a file name, a tag in small letters)."""
    parts = [" ".join(p.split()) for p in re.split(r"[,;]", text) if p.strip()][:12]
    if f.kind == "terms":
        parts = [(vocab.load(f.vocabulary).suggest(p) or (p,))[0] for p in parts]
    elif f.kind == "slugs":
        parts = [slugify(p) or p for p in parts]
    elif f.kind == "tags":
        parts = [p.lower() for p in parts]
    return "[" + ", ".join(parts) + "]"


def _list(r, f: Field, value, allow_empty: bool = False) -> list | None:
    """The value as a list, or None (with a problem recorded) when it is not a usable list."""
    if isinstance(value, str) and value.strip():
        hint = _as_list_hint(f, value)
        r.add(f"feltet '{f.name}' ({f.label.lower()}) skal være en liste med firkantede parenteser om, "
              f"ikke tekst. Skriv fx: {f.name}: {shown(hint, 100)}", f.name)
        return None
    if not isinstance(value, list):
        r.add(f"feltet '{f.name}' ({f.label.lower()}) skal være en liste, ikke {_kind_of(value)}.", f.name)
        return None
    if not value and not allow_empty:
        r.add(f"feltet '{f.name}' ({f.label.lower()}) er tomt; skriv mindst én. {f.help}", f.name)
    return value


def _duplicates(r, f: Field, items: list) -> None:
    seen = set()
    for i, item in enumerate(items):
        if isinstance(item, str) and item in seen:
            r.add(f"feltet '{f.name}' ({f.label.lower()}): '{shown(item)}' står to gange.", f.name, i)
        seen.add(item if isinstance(item, str) else id(item))


def check_terms(r, f: Field, value) -> None:
    """A non-empty list of values from the field's vocabulary, each once."""
    items = _list(r, f, value)
    if items is None:
        return
    allowed = vocab.load(f.vocabulary).values
    if f.max_items and len(items) > f.max_items:
        r.add(f"feltet '{f.name}' ({f.label.lower()}) har {len(items)} værdier; højst {f.max_items} er tilladt. "
              "Vælg de vigtigste.", f.name)
    for i, item in enumerate(items):
        if item not in allowed:
            r.add(_vocab_message(f, item, allowed), f.name, i)
    _duplicates(r, f, items)


def check_lines(r, f: Field, value) -> None:
    """A non-empty list of short texts, no more than the field allows."""
    items = _list(r, f, value)
    if items and f.max_items and len(items) > f.max_items:
        r.add(f"feltet '{f.name}' ({f.label.lower()}) har {len(items)} punkter; højst {f.max_items} er "
              "tilladt. Slå nogle sammen.", f.name)
    for i, item in enumerate(items or []):
        check_text(r, f, item, f.name, i)


def check_slugs(r, f: Field, value) -> None:
    """A list of file names (without .md) of method cards; whether they exist is checked across files."""
    items = _list(r, f, value, allow_empty=not f.required)
    for i, item in enumerate(items or []):
        if not isinstance(item, str) or not SLUG_RE.match(item):
            hint = f" Mente du '{slugify(str(item))}'?" if slugify(str(item)) else ""
            r.add(f"feltet '{f.name}' ({f.label.lower()}): '{shown(item)}' er ikke et filnavn på et metodekort; "
                  f"brug små bogstaver a-z, tal og bindestreger uden .md.{hint}", f.name, i)
    _duplicates(r, f, items or [])


def check_tags(r, f: Field, value) -> None:
    """A non-empty list of tags: lowercase letters (æøå too), digits, spaces and hyphens, up to 30."""
    items = _list(r, f, value)
    for i, item in enumerate(items or []):
        if not isinstance(item, str) or not TAG_RE.match(item):
            suggestion = re.sub(r"[^a-z0-9æøåé -]", "", str(item).lower()).strip()[:30]
            hint = f" Skriv fx '{suggestion}'." if suggestion else ""
            r.add(f"emneordet '{shown(item)}' må kun have små bogstaver, tal, mellemrum og bindestreger "
                  f"(højst 30 tegn).{hint}", f.name, i)
    _duplicates(r, f, items or [])


def _check_url(r, name: str, value, *key) -> None:
    """An external address: http:// or https://, nothing else (no javascript:, data: or mailto:)."""
    if not isinstance(value, str) or not URL_RE.match(value.strip()):
        r.add(f"'{name}' skal være en webadresse, der begynder med https:// (eller http://), ikke '{shown(value)}'.",
              *key)


def _check_object(r, f: Field, value, allowed: dict[str, bool], key: tuple) -> None:
    """A mapping with the given keys (True = required); 'url' must be http(s)."""
    if not isinstance(value, dict):
        names = " og ".join(f"'{k}:'" for k in allowed)
        r.add(f"feltet '{f.name}' ({f.label.lower()}) skal have linjerne {names} under sig, "
              f"ikke {_kind_of(value)} ('{shown(value)}').", *key)
        return
    misspelt = {nearest(str(k), list(allowed)) for k in value if str(k) not in allowed}
    for sub, required in allowed.items():
        if required and sub not in value and sub not in misspelt:
            r.add(f"feltet '{f.name}' ({f.label.lower()}) mangler '{sub}:'.", *key)
    for sub, item in value.items():
        sub = str(sub)
        if sub not in allowed:
            hint = nearest(sub, list(allowed))
            r.add(f"'{f.name}' kan ikke have '{shown(sub, 40)}'" + (f"; mente du '{hint}'?" if hint else ".")
                  + f" Tilladt er {danish_list(list(allowed), 'og')}.", *key, sub)
        elif sub == "url":
            _check_url(r, f"{f.name}.url", item, *key, sub)
        else:
            check_line(r, Field(f"{f.name}.{sub}", f.label, "line", f.help), item, *key, sub)


def check_sources(r, f: Field, value) -> None:
    """A non-empty list of sources, each with a 'title' and optionally an http(s) 'url'."""
    for i, item in enumerate(_list(r, f, value) or []):
        _check_object(r, f, item, {"title": True, "url": False}, (f.name, i))


def check_source(r, f: Field, value) -> None:
    """One source: 'organisation' and 'document', optionally an http(s) 'url'."""
    _check_object(r, f, value, {"organisation": True, "document": True, "url": False}, (f.name,))



def check_steps(r, f: Field, value) -> None:
    """Timed steps: a list of min_items to max_items steps, each with whole 'minutes' (at least 1)
    and 'do', one line within the field's length."""
    items = _list(r, f, value)
    if items is None:
        return
    if items and not f.min_items <= len(items) <= (f.max_items or len(items)):
        r.add(f"feltet '{f.name}' ({f.label.lower()}) har {len(items)} trin; skriv {f.min_items}–{f.max_items} trin.",
              f.name)
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            r.add(f"trin {i + 1} i '{f.name}' skal have to linjer, 'minutes:' og 'do:', ikke {_kind_of(item)} "
                  f"('{shown(item)}'). Se skabelonen.", f.name, i)
            continue
        unknown = [str(key) for key in item if str(key) not in ("minutes", "do")]
        missing = [key for key in ("minutes", "do") if key not in item]
        for key in unknown:
            # An unknown key where exactly one is missing is that key, misspelt ('gør' for 'do').
            hint = nearest(key, ["minutes", "do"]) or (missing[0] if len(missing) == 1 and len(unknown) == 1 else None)
            r.add(f"trin {i + 1} i '{f.name}' kan ikke have '{shown(key, 30)}'" + (f"; mente du '{hint}'?" if hint else
                  "; kun 'minutes' og 'do' er tilladt."), f.name, i, key)
            if hint in missing:
                missing.remove(hint)
        minutes = item.get("minutes")
        if "minutes" in missing:
            r.add(f"trin {i + 1} i '{f.name}' mangler 'minutes:' (hvor mange minutter trinnet tager).", f.name, i)
        elif "minutes" in item and (isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1):
            r.add(f"trin {i + 1} i '{f.name}': 'minutes' skal være et helt antal minutter, 1 eller flere, ikke "
                  f"'{shown(minutes, 30)}'.", f.name, i, "minutes")
        if "do" in missing:
            r.add(f"trin {i + 1} i '{f.name}' mangler 'do:' (hvad I gør).", f.name, i)
        elif "do" in item:
            check_line(r, Field(f"{f.name}.do", f.label, "line", f.help, max_length=f.max_length), item["do"],
                       f.name, i, "do")


# ---------------------------------------------------------------------------------------------
# JSON Schema

def _string(description: str, max_length: int) -> dict:
    return {"type": "string", "minLength": 1, "maxLength": max_length, "pattern": TEXT_RE, "description": description}


def field_schema(f: Field) -> dict:
    """The JSON Schema of one field."""
    if f.kind == "line":
        return {**_string(f.help, f.max_length), "pattern": LINE_RE}
    if f.kind == "text":
        return _string(f.help, f.max_length)
    if f.kind == "year":
        return {"type": "integer", "minimum": YEAR_MIN, "maximum": THIS_YEAR, "description": f.help}
    if f.kind == "range":
        bound = {"type": "integer", "minimum": 0}
        return {"type": "object", "description": f.help + " (min må ikke være større end max.)",
                "additionalProperties": False, "required": ["min", "max"],
                "properties": {"min": bound, "max": {"type": "integer", "minimum": max(0, f.min_value)}}}
    if f.kind in ("term", "terms"):
        v = vocab.load(f.vocabulary)
        enum = {"enum": v.values}
        if f.kind == "term":
            return {**enum, "description": f.help}
        schema = {"type": "array", "minItems": 1, "uniqueItems": True, "items": enum, "description": f.help}
        return {**schema, "maxItems": f.max_items} if f.max_items else schema
    if f.kind == "lines":
        schema = {"type": "array", "minItems": f.min_items, "items": _string("", f.max_length), "description": f.help}
        return {**schema, "maxItems": f.max_items} if f.max_items else schema
    if f.kind == "slugs":
        return {"type": "array", "uniqueItems": True, "description": f.help,
                "items": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"}}
    if f.kind == "tags":
        return {"type": "array", "minItems": 1, "uniqueItems": True, "description": f.help,
                "items": {"type": "string", "pattern": r"^[a-z0-9æøåé][a-z0-9æøåé -]{0,29}$"}}
    if f.kind == "steps":
        step = {"type": "object", "additionalProperties": False, "required": ["minutes", "do"],
                "properties": {"minutes": {"type": "integer", "minimum": 1, "description": "Minutter."},
                               "do": {**_string("Hvad I gør.", f.max_length), "pattern": LINE_RE}}}
        return {"type": "array", "minItems": f.min_items, "maxItems": f.max_items, "items": step,
                "description": f.help + " (Minutterne skal tilsammen ligge inden for 'duration'.)"}
    url = {"type": "string", "pattern": r"^https?://[^\s<>\"']+$"}
    if f.kind == "sources":
        item = {"type": "object", "additionalProperties": False, "required": ["title"],
                "properties": {"title": _string("Kildens titel.", TEXT_MAX), "url": url}}
        return {"type": "array", "minItems": 1, "items": item, "description": f.help}
    if f.kind == "source":
        return {"type": "object", "additionalProperties": False, "description": f.help,
                "required": ["organisation", "document"],
                "properties": {"organisation": _string("Organisationen bag kilden.", TEXT_MAX),
                               "document": _string("Dokumentets titel.", TEXT_MAX), "url": url}}
    raise ValueError(f"unknown field kind {f.kind!r}")




# ---------------------------------------------------------------------------------------------
# The kinds

@dataclass(frozen=True)
class Kind:
    """A kind of field: its check, its schema and values that must pass or fail both."""

    name: str
    check: Callable          # (report, field, value) -> None; problems via report.add
    examples: Callable       # (field) -> (values that pass, values that fail)

    def schema(self, f: Field) -> dict:
        """The JSON Schema of a field of this kind."""
        return field_schema(f)


def _vocab_values(f: Field) -> list[str]:
    return vocab.load(f.vocabulary).values


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("line", check_line, lambda f: (["Borgermøde om stier", "a" * f.max_length],
                                        ["", "   ", "a" * (f.max_length + 1), "a<b", "to\nlinjer", 42, ["liste"]])),
    Kind("text", check_text, lambda f: (["Et afsnit.", "a" * f.max_length],
                                        ["", "a" * (f.max_length + 1), 42])),
    Kind("year", check_year, lambda f: ([YEAR_MIN, 2020, THIS_YEAR],
                                        [YEAR_MIN - 1, THIS_YEAR + 1, "2020", 20.5, True])),
    Kind("range", check_range, lambda f: ([{"min": 0, "max": max(1, f.min_value)}, {"min": 5, "max": 5 + f.min_value}],
                                          [{"min": -1, "max": 3}, {"min": 2}, {"min": 1, "max": 2, "x": 3},
                                           {"min": "1", "max": 2}, "1-2"]
                                          + ([{"min": 0, "max": f.min_value - 1}] if f.min_value > 0 else []))),
    Kind("term", check_term, lambda f: ([_vocab_values(f)[0]], ["findes ikke", [_vocab_values(f)[0]], ""])),
    Kind("terms", check_terms, lambda f: ([_vocab_values(f)[:1], _vocab_values(f)[:2]],
                                          [[], ["findes ikke"], _vocab_values(f)[:1] * 2, _vocab_values(f)[0]]
                                          + ([_vocab_values(f)[:f.max_items + 1]]
                                             if f.max_items and len(_vocab_values(f)) > f.max_items else []))),
    Kind("lines", check_lines, lambda f: ([["En ting"], ["a" * f.max_length] * min(2, f.max_items or 2)],
                                          [[], ["a" * (f.max_length + 1)], "tekst"]
                                          + ([["x"] * (f.max_items + 1)] if f.max_items else []))),
    Kind("slugs", check_slugs, lambda f: ([["world-cafe"], ["a", "b-2"]] + ([[]] if not f.required else []),
                                          [["World Café"], ["a", "a"], ["x.md"], "world-cafe"])),
    Kind("tags", check_tags, lambda f: ([["ældre"], ["aktiv aldring", "by-og-land"]],
                                        [[], ["Stort"], ["a!"], ["a" * 31], ["a", "a"]])),
    Kind("steps", check_steps, lambda f: ([[{"minutes": 10, "do": "Byd velkommen."}] * f.min_items,
                                           [{"minutes": 1, "do": "a" * f.max_length}] * (f.max_items or 1)],
                                          [[], [{"minutes": 0, "do": "Byd velkommen."}] * f.min_items,
                                           [{"do": "Byd velkommen."}] * f.min_items,
                                           [{"minutes": 5, "do": ""}] * f.min_items,
                                           [{"minutes": 5, "do": "x", "hvem": "y"}] * f.min_items,
                                           [{"minutes": "10", "do": "x"}] * f.min_items,
                                           [{"minutes": 5, "do": "x"}] * ((f.max_items or 1) + 1), "Byd velkommen."]
                                          + ([[{"minutes": 5, "do": "x"}] * (f.min_items - 1)] if f.min_items > 1 else []))),
    Kind("sources", check_sources, lambda f: ([[{"title": "En bog"}], [{"title": "En side", "url": "https://x.dk/a"}]],
                                              [[], [{"url": "https://x.dk"}], [{"title": "x", "url": "javascript:alert(1)"}],
                                               [{"title": "x", "forfatter": "y"}], "En bog"])),
    Kind("source", check_source, lambda f: ([{"organisation": "Køge Kommune", "document": "Nyhedsbrev"},
                                             {"organisation": "X", "document": "Y", "url": "https://x.dk/"}],
                                            [{"organisation": "X"}, {"organisation": "X", "document": "Y", "url": "ftp://x"},
                                             {"organisation": "X", "document": "Y", "dokument": "Z"}, "X"])),
)}

# Cross-field rules a JSON Schema cannot express: the validator checks them, the schema says them
# in words (parity test: tests/test_field_parity.py lists them as known differences).
CROSS_FIELD_RULES = ("a range's min may not exceed its max",
                     "a card's step minutes add up to a time within its duration")
