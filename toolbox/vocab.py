"""Controlled vocabularies: Danish terms with labels and one-line explanations, read from data files.

Every other part of the project (schema, validator, templates, pages, filters, scaffolder) asks
this module for the allowed values; none keeps a list of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .text import slugify

VOCAB_DIR = Path(__file__).parent / "vocabularies"


@dataclass(frozen=True)
class Term:
    """One allowed value: what a contributor writes, how the site labels it, what it means."""

    value: str
    label: str
    description: str = ""
    slug: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Vocabulary:
    """A named, ordered list of terms."""

    name: str
    label: str
    terms: tuple[Term, ...]

    @property
    def values(self) -> list[str]:
        """The values in their defined order."""
        return [term.value for term in self.terms]

    def get(self, value: str) -> Term | None:
        """The term whose value is exactly `value`."""
        for term in self.terms:
            if term.value == value:
                return term
        return None

    def label_of(self, value: str) -> str:
        """The Danish label of `value` (the value itself when unknown)."""
        term = self.get(value)
        return term.label if term else value


@lru_cache(maxsize=None)
def load(name: str) -> Vocabulary:
    """Read `vocabularies/<name>.yml`."""
    data = yaml.safe_load((VOCAB_DIR / f"{name}.yml").read_text(encoding="utf-8"))
    terms = []
    for raw in data["terms"]:
        raw = dict(raw)
        value = str(raw.pop("value"))
        label = str(raw.pop("label", value))
        description = str(raw.pop("description", ""))
        terms.append(Term(value, label, description, slugify(value), raw))
    return Vocabulary(name, data.get("label", name), tuple(terms))


@lru_cache(maxsize=None)
def official_contacts() -> dict[str, frozenset[str]]:
    """E-mail addresses and phone numbers that may appear in content (official, not personal)."""
    data = yaml.safe_load((VOCAB_DIR / "official_contacts.yml").read_text(encoding="utf-8")) or {}
    return {
        "emails": frozenset(str(e).lower() for e in data.get("emails") or []),
        "phones": frozenset("".join(ch for ch in str(p) if ch.isdigit())[-8:] for p in data.get("phones") or []),
    }
