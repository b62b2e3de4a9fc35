"""QR codes for printed cards, made at build time as inline SVG (no external service)."""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

import segno

_made_ahead: dict[str, str] = {}
_source: Callable[[str], str] | None = None


@lru_cache(maxsize=None)
def qr_svg(url: str) -> str:
    """A QR code for `url` as an inline <svg> that scales to its box."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True, dark="#000")


def use_made_ahead(source: Callable[[str], str] | None) -> None:
    """Take QR codes from `source` (codes made ahead of time, toolbox.background) until called with
    None. Encoding a code takes several milliseconds (segno tries all eight masks), and a build
    needs one per method card."""
    global _source
    _source = source
    _made_ahead.clear()


def qr_code(url: str) -> str:
    """qr_svg(url), from the codes made ahead of time where there are some."""
    if _source is None:
        return qr_svg(url)
    if url not in _made_ahead:
        _made_ahead[url] = _source(url)
    return _made_ahead[url]
