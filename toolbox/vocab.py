"""Controlled vocabularies: Danish terms with labels and one-line explanations, read from data files.

Every other part of the project (schema, validator, templates, pages, filters, scaffolder) asks
this module for the allowed values; none keeps a list of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .text import fold, nearest, slugify

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

    def suggest(self, value: str) -> tuple[str, str] | None:
        """The term a contributor most likely meant by `value`, and how it is written, in Danish
        ('med lille forbogstav'; empty for a near spelling): the same word in other capitals,
        without æ/ø/å, with ' Kommune' or an official name, or spelt close. None when nothing is."""
        if not isinstance(value, str) or not value.strip():
            return None
        text = " ".join(value.split())
        if text in self.values:
            return text, ""
        for term in self.terms:
            if text.casefold() == term.value.casefold():
                if text[1:] == term.value[1:]:
                    return term.value, ("med lille forbogstav" if term.value[0].islower()
                                        else "med stort forbogstav")
                return term.value, ("med små bogstaver" if term.value == term.value.lower()
                                    else "med små og store bogstaver som i listen")
        for term in self.terms:
            if fold(text) == fold(term.value):
                letters = [ch for ch in "æøåé" if ch in term.value.lower() and ch not in text.lower()]
                return term.value, ("med " + " og ".join(letters)) if letters else "stavet som i listen"
        for term in self.terms:
            official = str(term.extra.get("official", f"{term.value} Kommune"))
            if self.name == "municipalities" and fold(text) == fold(official):
                return term.value, "kun kommunens navn, uden 'Kommune'"
        bare = re.sub(r"(?i)[ -]*(?:regions)?kom+un+es?$", "", text).strip()   # also "Komune"
        if self.name == "municipalities" and bare != text and bare:
            hint = self._near(bare)
            if hint:
                return hint, "kun kommunens navn, uden 'Kommune'"
        hint = self._near(text)
        return (hint, "") if hint else None

    def _near(self, text: str) -> str | None:
        """A value spelt close to `text`, or one that begins with it ('Ikast' for 'Ikast-Brande')."""
        return nearest(text, self.values) or next(
            (t.value for t in self.terms if fold(t.value).startswith(fold(text) + "-")), None)

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
