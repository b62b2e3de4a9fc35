"""QR codes for printed cards, made at build time as inline SVG (no external service)."""

from __future__ import annotations

from functools import lru_cache

import segno


@lru_cache(maxsize=None)
def qr_svg(url: str) -> str:
    """A QR code for `url` as an inline <svg> that scales to its box."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True, dark="#000")
