"""Small text helpers shared by the validator, the renderer and the scripts."""

from __future__ import annotations

import difflib
import re
import unicodedata

_TRANSLITERATION = {"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe", "ä": "ae"}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# The longest file name (without .md) of a method card or a case: its address, and the short address
# under a printed card's QR code, stay on one line (tests/browser/test_print.py prints a card with a
# slug this long).
SLUG_MAX = 60


def slugify(text: str) -> str:
    """Lowercase a-z, 0-9 and hyphens; æ/ø/å become ae/oe/aa, other accents are dropped."""
    text = text.lower()
    text = "".join(_TRANSLITERATION.get(ch, ch) for ch in text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def shorten_slug(slug: str, limit: int = SLUG_MAX) -> str:
    """A slug of at most `limit` characters, cut after a whole word where it has a hyphen to cut at."""
    if len(slug) <= limit:
        return slug
    cut = slug[:limit]
    if slug[limit] != "-" and "-" in cut:
        cut = cut.rsplit("-", 1)[0]
    return cut.strip("-")


def split_front_matter(text: str) -> tuple[dict, str]:
    """A hand-written page's front matter (YAML between '---' lines) and the text after it; no
    front matter gives ({}, text). For the project's own pages, not for contributed files
    (toolbox.loader reads those, with bounds and Danish messages)."""
    import yaml
    head, sep, body = text.partition("\n---\n") if text.startswith("---\n") else ("", "", text)
    meta = yaml.safe_load(head[4:]) if sep else {}
    return (meta if isinstance(meta, dict) else {}), (body if sep else text)


def heading_id(value: str, separator: str = "-") -> str:
    """A heading's anchor as Python-Markdown's toc extension calls it (mkdocs.yml, toc.slugify):
    Danish letters kept readable, 'Forløbet' -> 'forloebet', not 'forlbet'."""
    return slugify(value).replace("-", separator)


def fold(text: str) -> str:
    """A comparison key that forgives case, Danish letters typed as ASCII and accents."""
    text = text.casefold().strip()
    text = "".join({"æ": "ae", "ø": "o", "å": "a", "é": "e"}.get(ch, ch) for ch in text)
    return text.replace("aa", "a").replace("oe", "o")


def nearest(value: str, choices: list[str]) -> str | None:
    """The choice closest to `value`, or None when nothing is close enough to suggest."""
    if not choices:
        return None
    by_key = {}
    for choice in choices:
        by_key.setdefault(fold(choice), choice)
    key = fold(value)
    if key in by_key:
        return by_key[key]
    match = difflib.get_close_matches(key, list(by_key), n=1, cutoff=0.6)
    return by_key[match[0]] if match else None


def danish_list(items: list[str], last: str = "eller") -> str:
    """'a', 'b' eller 'c' — values quoted, joined the Danish way."""
    quoted = [f"'{item}'" for item in items]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + f" {last} " + quoted[-1]
