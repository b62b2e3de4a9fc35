"""The facets of the filter pages, derived from the content model and the vocabularies.

A facet has an id (the Danish URL query key), a label, its options (id and label) and a function
giving the option ids a document belongs to. The filter pages, the print deck and the tests all use
these definitions; the browser code only reads what they put in the HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import vocab
from .loader import Document


@dataclass(frozen=True)
class Facet:
    """One filter group."""

    id: str
    label: str
    options: tuple[tuple[str, str], ...]
    values: Callable[[Document], list[str]]


def _terms(key: str, name: str) -> Callable[[Document], list[str]]:
    """Option ids of a term or list-of-terms field."""
    def values(doc: Document) -> list[str]:
        raw = doc.meta.get(key)
        raw = raw if isinstance(raw, list) else [raw]
        v = vocab.load(name)
        return [v.get(x).slug for x in raw if isinstance(x, str) and v.get(x)]
    return values


def _bands(key: str, name: str) -> Callable[[Document], list[str]]:
    """Option ids of the bands a min/max range overlaps."""
    def values(doc: Document) -> list[str]:
        rng = doc.meta[key]
        return [t.value for t in vocab.load(name).terms
                if rng["min"] <= t.extra["max"] and rng["max"] >= t.extra["min"]]
    return values


def _vocab_facet(fid: str, key: str, name: str) -> Facet:
    v = vocab.load(name)
    return Facet(fid, v.label, tuple((t.slug, t.label) for t in v.terms), _terms(key, name))


def _band_facet(fid: str, key: str, name: str) -> Facet:
    v = vocab.load(name)
    return Facet(fid, v.label, tuple((t.value, t.label) for t in v.terms), _bands(key, name))


def method_facets() -> list[Facet]:
    """Kind, level, approach, phase, time, group size, audience, area and difficulty."""
    return [
        _vocab_facet("type", "kind", "kinds"),
        _vocab_facet("niveau", "levels", "levels"),
        _vocab_facet("tilgang", "approaches", "approaches"),
        _vocab_facet("fase", "phases", "phases"),
        _band_facet("tid", "duration", "durations"),
        _band_facet("deltagere", "participants", "group_sizes"),
        _vocab_facet("maalgruppe", "audiences", "audiences"),
        _vocab_facet("omraade", "areas", "areas"),
        _vocab_facet("svaerhed", "difficulty", "difficulty"),
    ]


def case_facets(cases: list[Document], methods: dict[str, Document]) -> list[Facet]:
    """Municipality, area, year, approach and method used; options are those the cases have."""
    municipalities = vocab.load("municipalities")
    used = {c.meta["municipality"] for c in cases}
    years = sorted({c.meta["year"] for c in cases if "year" in c.meta}, reverse=True)
    year_options = tuple((str(y), str(y)) for y in years) + (("ukendt", "År ikke oplyst"),)
    used_methods = sorted({m for c in cases for m in c.meta["methods"] if m in methods},
                          key=lambda s: str(methods[s].meta["title"]).casefold())
    return [
        Facet("kommune", municipalities.label,
              tuple((t.slug, t.label) for t in municipalities.terms if t.value in used),
              _terms("municipality", "municipalities")),
        _vocab_facet("omraade", "areas", "areas"),
        Facet("aar", "År", year_options, lambda d: [str(d.meta["year"]) if "year" in d.meta else "ukendt"]),
        _vocab_facet("tilgang", "approach", "approaches"),
        Facet("metode", "Metode", tuple((s, str(methods[s].meta["title"])) for s in used_methods),
              lambda d: [m for m in d.meta["methods"] if m in methods]),
    ]


def matches(doc: Document, facets: list[Facet], selection: dict[str, set[str]]) -> bool:
    """AND between facets, OR within a facet (the same rule as the browser code)."""
    for facet in facets:
        chosen = selection.get(facet.id)
        if chosen and not chosen.intersection(facet.values(doc)):
            return False
    return True
