"""Open data: the published methods and cases as JSON and CSV, from the same model as the pages.

Output is deterministic: documents sorted by slug, keys in the content model's order.
"""

from __future__ import annotations

import csv
import io
import json

from . import model
from .loader import Document


def record(doc: Document, site_url: str) -> dict:
    """One document as a flat-ish dict: slug, url, then every front matter field in model order."""
    out = {"slug": doc.slug, "url": site_url.rstrip("/") + "/" + doc.url}
    for f in doc.ctype.fields:
        if f.name in doc.meta:
            out[f.name] = doc.meta[f.name]
    return out


def to_json(docs: list[Document], site_url: str) -> str:
    """A JSON array of records, one record per line (readable, and a change shows as one line in a
    diff; json's C encoder writes each line, where an indented dump would take its slow path)."""
    lines = [json.dumps(record(d, site_url), ensure_ascii=False) for d in sorted(docs, key=lambda d: d.slug)]
    return "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"


def _cell(value) -> str:
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values())
    text = "" if value is None else str(value)
    # A leading = + - @ makes spreadsheets run the cell as a formula (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


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
    writer.writerow(cols)
    for doc in sorted(docs, key=lambda d: d.slug):
        rec = record(doc, site_url)
        row = []
        for col in cols:
            if col.endswith(("_min", "_max")) and col.rsplit("_", 1)[0] in rec:
                name, bound = col.rsplit("_", 1)
                row.append(str(rec[name][bound]))
            else:
                row.append(_cell(rec.get(col)))
        writer.writerow(row)
    return buf.getvalue()
