"""Open data: the published methods and cases as JSON and CSV, from the same model as the pages.

Output is deterministic: documents sorted by slug, keys in the content model's order.

Both files are safe to open as they are: no CSV cell starts a spreadsheet formula, and no string in
either file carries a raw control character or a character that reorders or hides text (see
`clean`). The validator refuses such characters written raw in a file, but a YAML escape ("\\u202e"
in a double-quoted value) still brings them in; this is the last guard, whatever the way in.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata

from . import model
from .loader import Document

# Characters no exported string may carry raw:
# - control characters except tab and line break (C0, DEL, C1): CR, VT, FF, FS/GS/RS and NEL are
#   read as a record or line end by some CSV readers and editors, NUL ends a string in C tools, and
#   the rest are invisible;
# - bidirectional controls (embeddings, overrides, isolates, marks): they reorder how a row or a
#   JSON line is displayed, so what a reader sees differs from what a program reads ("Trojan
#   Source", CVE-2021-42574);
# - zero-width characters and the BOM: they hide text inside a value.
# Each is replaced by a visible escape such as [U+202E] rather than deleted: the data does not
# silently differ from its source, and a reader sees that something was there.
_UNSAFE = ("\x00-\x08\x0b-\x1f\x7f-\x9f"
           "\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff")
_UNSAFE_RE = re.compile(f"[{_UNSAFE}]")

# A cell whose first visible character is one of these is run as a formula by Excel, LibreOffice
# or Google Sheets (CSV injection). Their compatibility forms (full-width ＝ ＋ － ＠, small ﹦ ﹢ ﹣ ﹫,
# super- and subscript), which NFKC folds to these, and U+2212 (the minus sign) count too: cheap to
# catch, in case an import step or a spreadsheet's locale normalises them.
_FORMULA_START = frozenset("=+-@\u2212")


def _escape(match: re.Match) -> str:
    """[U+202E] for an unsafe character."""
    return f"[U+{ord(match.group(0)):04X}]"


def clean(value):
    """The value with every unsafe character in its strings (at any depth) made a visible escape;
    a string without one is returned as it is."""
    if isinstance(value, str):
        return _UNSAFE_RE.sub(_escape, value) if _UNSAFE_RE.search(value) else value
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    return value


def record(doc: Document, site_url: str) -> dict:
    """One document as a flat-ish dict: slug, url, then every front matter field in model order."""
    out = {"slug": doc.slug, "url": site_url.rstrip("/") + "/" + doc.url}
    for f in doc.ctype.fields:
        if f.name in doc.meta:
            out[f.name] = doc.meta[f.name]
    return out


# In a line json.dumps wrote: an unsafe character left raw (json escapes only C0), or the escape json
# wrote for a C0 character other than tab and line break. A literal backslash in a value can match
# too; that only costs a second dump of the same text. The first pattern is the quick scan (one
# character class, no backslash in most lines); the second decides.
_JSON_SCAN_RE = re.compile(f"[{_UNSAFE}\\\\]")
_JSON_SUSPECT_RE = re.compile(f"[{_UNSAFE}]" + r"|\\u00[01][0-9a-f]|\\[bfr]")


def _json_line(rec: dict) -> str:
    """One record as one line of JSON, its strings cleaned (dumped twice only when it needs it)."""
    line = json.dumps(rec, ensure_ascii=False)
    if _JSON_SCAN_RE.search(line) and _JSON_SUSPECT_RE.search(line):
        return json.dumps(clean(rec), ensure_ascii=False)
    return line


def to_json(docs: list[Document], site_url: str) -> str:
    """A JSON array of records, one record per line (readable, and a change shows as one line in a
    diff; json's C encoder writes each line, where an indented dump would take its slow path)."""
    lines = [_json_line(record(d, site_url)) for d in sorted(docs, key=lambda d: d.slug)]
    text = "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"
    # U+2028/U+2029 are valid in JSON strings but end a line in older JavaScript and in some
    # editors; as \u escapes the value stays the same and the file keeps one record per line.
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _text(value) -> str:
    """A value as the text of one cell: list items joined with '; ', a dict's values with ' '."""
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return " ".join(_text(v) for v in value.values())
    return "" if value is None else str(value)


def _guard(text: str) -> str:
    """The cell text with a leading ' when a spreadsheet would read it as a formula.

    What counts is the finished cell: a nested value or a joined list item only matters when it
    ends up first. Some spreadsheets drop leading spaces (and invisible format characters) before
    they look for '=', so those are skipped; a leading tab or CR is a trigger by itself.
    """
    first = text[:1]
    if first.isalnum() or not first:          # the common case: a letter or a digit of any script
        return text
    if first in ("\t", "\r"):
        return "'" + text
    for ch in text:
        if ch.isspace() or unicodedata.category(ch) == "Cf":
            continue
        if ch in _FORMULA_START or unicodedata.normalize("NFKC", ch)[:1] in _FORMULA_START:
            return "'" + text
        break
    return text


def _cell(value) -> str:
    """One CSV cell: the finished text, cleaned, then guarded against formulas."""
    return _guard(clean(_text(value)))


def columns(ctype: model.ContentType) -> list[str]:
    """CSV columns: ranges split into _min and _max."""
    cols = ["slug", "url"]
    for f in ctype.fields:
        cols += [f"{f.name}_min", f"{f.name}_max"] if f.kind == "range" else [f.name]
    return cols


def to_csv(docs: list[Document], ctype: model.ContentType, site_url: str) -> str:
    """A CSV table with one row per document; lists joined with '; '."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    cols = columns(ctype)
    ranges = {f.name for f in ctype.fields if f.kind == "range"}
    writer.writerow(cols)
    for doc in sorted(docs, key=lambda d: d.slug):
        rec = record(doc, site_url)
        row = []
        for col in cols:
            name, _, bound = col.rpartition("_")
            if name in ranges and bound in ("min", "max"):
                value = rec.get(name)
                row.append(_cell(value.get(bound) if isinstance(value, dict) else None))
            else:
                row.append(_cell(rec.get(col)))
        writer.writerow(row)
    return buf.getvalue()
