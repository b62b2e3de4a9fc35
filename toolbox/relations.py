"""What the cases say about the methods and the municipalities: which methods are used together and
which methods a municipality has used. Derived from the cases' `methods` lists alone; no mapping is
kept by hand.
"""

from __future__ import annotations

from collections import Counter

from .loader import Document


def _ranked(counts: Counter, methods: dict[str, Document]) -> list[tuple[str, int]]:
    """(slug, count) for the published methods, most cases first, then by title."""
    return sorted(((s, n) for s, n in counts.items() if s in methods),
                  key=lambda item: (-item[1], str(methods[item[0]].meta["title"]).casefold()))


def used_together(slug: str, cases_by_method: dict[str, list[Document]],
                  methods: dict[str, Document]) -> list[tuple[str, int]]:
    """The methods named in the same cases as `slug`, with how many cases name both; most shared
    cases first, then by title. A case that names a method twice counts once."""
    counts: Counter = Counter()
    for case in cases_by_method.get(slug, []):
        counts.update({s for s in case.meta["methods"] if s != slug})
    return _ranked(counts, methods)


def methods_used(cases: list[Document], methods: dict[str, Document]) -> list[tuple[str, int]]:
    """The methods `cases` name, with how many of the cases name each; most first, then by title."""
    counts: Counter = Counter()
    for case in cases:
        counts.update(set(case.meta["methods"]))
    return _ranked(counts, methods)
