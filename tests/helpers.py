"""Shared test helpers: the project root on sys.path, valid documents and a document factory."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolbox import model  # noqa: E402
from toolbox.loader import parse  # noqa: E402

VALID_METHOD = {
    "title": "Testmetode",
    "description": "En metode til test.",
    "approaches": ["inddragelse"],
    "phases": ["afdækning"],
    "duration": {"min": 30, "max": 60},
    "participants": {"min": 2, "max": 10},
    "audiences": ["borgere"],
    "areas": ["sundhed"],
    "difficulty": "let",
    "materials": ["Papir"],
    "preparation": "Find et lokale.",
    "related": [],
    "sources": [{"title": "Almen praksis"}],
    "tags": ["dialog"],
}
METHOD_BODY = ("\n## Formål\n\nAt teste.\n\n## Sådan gør du\n\n1. Gør det.\n2. Gør det igen.\n\n"
               "## Tips\n\n- Hold det kort.\n\n## Overvejelser i en kommune\n\n- Hvem er ikke i rummet?\n")

VALID_CASE = {
    "title": "Testcase",
    "description": "En case til test.",
    "municipality": "Køge",
    "year": 2020,
    "areas": ["sundhed"],
    "methods": ["testmetode"],
    "approach": "inddragelse",
    "roles": ["En sundhedskonsulent"],
    "results": ["Et netværk"],
    "source": {"organisation": "Køge Kommune", "document": "Nyhedsbrev"},
    "contact": "Center for Borgerdialog",
    "tags": ["ældre"],
}
CASE_BODY = "\n## Baggrund\n\nNoget skete.\n\n## Forløbet\n\nVi gjorde noget.\n"


def make_doc(meta: dict, body: str, kind: str = "method", name: str | None = None, raw: bytes | None = None):
    """A parsed document from front matter and body, as if read from methods/ or cases/."""
    ctype = model.METHOD if kind == "method" else model.CASE
    name = name or ("testmetode.md" if kind == "method" else "koege-testcase.md")
    if raw is None:
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        raw = f"---\n{front}---\n{body}".encode("utf-8")
    return parse(f"{ctype.folder}/{name}", raw, ctype)
