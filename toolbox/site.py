"""The site's index of content: which documents are published and how they refer to each other.

Built once per build from the parsed documents; the renderer and the data export read from it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from . import model, vocab
from .loader import Document
from .problems import Problem
from .validate import validate_all


@dataclass
class SiteIndex:
    """Valid methods and cases by slug, the links between them, and the problems of the rest."""

    methods: dict[str, Document] = field(default_factory=dict)
    cases: dict[str, Document] = field(default_factory=dict)
    broken: dict[str, Document] = field(default_factory=dict)      # path -> document with problems
    problems: list[Problem] = field(default_factory=list)
    cases_by_method: dict[str, list[Document]] = field(default_factory=dict)
    cases_by_municipality: dict[str, list[Document]] = field(default_factory=dict)

    def documents(self) -> list[Document]:
        """Every valid document: methods first, then cases, each sorted by slug."""
        return list(self.methods.values()) + list(self.cases.values())


def _title_key(doc: Document) -> str:
    return str(doc.meta.get("title", doc.slug)).casefold()


def build_index(docs, document_problems: list[Problem] | None = None, worksheets: set[str] | None = None,
                placeholders: dict | None = None) -> SiteIndex:
    """Validate `docs` and index the valid ones; a document with any problem is not published.
    (`document_problems`: what validate_document found in each, where that is known already;
    `worksheets`: the worksheet pages there are; `placeholders`: the templates, validate.templates.)"""
    index = SiteIndex()
    index.problems = validate_all(docs, document_problems=document_problems, worksheets=worksheets,
                                  placeholders=placeholders)
    bad_paths = {p.path for p in index.problems}
    for doc in sorted(docs, key=lambda d: (d.ctype.folder if d.ctype else "", d.slug)):
        if doc.ctype is None:
            continue
        if doc.path in bad_paths:
            index.broken[doc.path] = doc
        elif doc.ctype is model.METHOD:
            index.methods[doc.slug] = doc
        else:
            index.cases[doc.slug] = doc
    by_method, by_municipality = defaultdict(list), defaultdict(list)
    for case in sorted(index.cases.values(), key=_title_key):
        for slug in case.meta["methods"]:
            by_method[slug].append(case)
        by_municipality[case.meta["municipality"]].append(case)
    index.cases_by_method = dict(by_method)
    municipalities = vocab.load("municipalities")
    index.cases_by_municipality = {m: by_municipality[m] for m in municipalities.values if m in by_municipality}
    return index


def public_url(configured: str | None) -> str:
    """The site's public base URL with one trailing slash (QR codes, open data); local serve by default."""
    return (configured or "http://127.0.0.1:8000/").rstrip("/") + "/"
