"""The cards' visual identity, read from the vocabularies: a colour per phase, an icon per kind, level
and phase. Colour never carries meaning alone: every badge names its term in text beside its icon.

The colours are defined once, in toolbox/vocabularies/phases.yml; `vocabulary_css` turns them into
the stylesheet the site serves (the Content-Security-Policy allows no inline styles).
"""

from __future__ import annotations

import re

from . import vocab
from .icons import icon
from .loader import Document

# The vocabularies whose terms carry an icon, and the CSS class prefix of each.
CLASS_PREFIX = {"phases": "vk-phase", "kinds": "vk-kind", "levels": "vk-level"}
# The stylesheet made from the vocabulary (served with the site; mkdocs.yml lists it in extra_css).
CSS_PATH = "assets/css/vocabulary.css"
_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def badge(name: str, value: str) -> dict | None:
    """A term as a badge: its label, its icon and its CSS class (None for an unknown value)."""
    term = vocab.load(name).get(value)
    if term is None:
        return None
    name_icon = term.extra.get("icon")
    return {"label": term.label, "slug": term.slug, "icon": icon(str(name_icon)) if name_icon else None,
            "cls": f"{CLASS_PREFIX.get(name, 'vk-term')}-{term.slug}"}


def _badges(name: str, values) -> list[dict]:
    values = values if isinstance(values, list) else [values]
    return [b for b in (badge(name, v) for v in values) if b]


def card_identity(doc: Document) -> dict:
    """A method card's kind, phases and levels as badges; its accent is its first phase's class."""
    m = doc.meta
    phases = _badges("phases", m["phases"])
    return {"kind": badge("kinds", m["kind"]), "phases": phases, "levels": _badges("levels", m["levels"]),
            "accent": phases[0]["cls"] if phases else ""}


def vocabulary_css() -> str:
    """The stylesheet of the phase colours: one class per phase, setting --vk-c (the colour) and
    --vk-t (its light tint), which the site's stylesheet uses for borders, badges and bands."""
    rules = ["/* Made at build time from toolbox/vocabularies/phases.yml: edit the colours there. */"]
    for term in vocab.load("phases").terms:
        colour, tint = str(term.extra.get("colour", "")), str(term.extra.get("tint", ""))
        if not (_COLOUR_RE.match(colour) and _COLOUR_RE.match(tint)):
            raise ValueError(f"fasen {term.value!r} mangler en farve og en lys tone i formen #rrggbb")
        rules.append(f".vk-phase-{term.slug} {{ --vk-c: {colour}; --vk-t: {tint}; }}")
    return "\n".join(rules) + "\n"
