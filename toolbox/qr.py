"""QR codes for printed cards, made at build time as inline SVG (no external service)."""

from __future__ import annotations

from functools import lru_cache

import segno
from markupsafe import Markup

# segno otherwise encodes each code eight times to choose the mask with the lowest penalty; any
# mask gives a valid code, and a fixed one costs an eighth of the work.
MASK = 0


@lru_cache(maxsize=4096)
def qr_svg(url: str) -> Markup:
    """A QR code for `url` as an inline <svg> that scales to its box (segno's own SVG, marked safe:
    it holds no contributed text, only the code's modules)."""
    svg = segno.make(url, error="m", mask=MASK).svg_inline(scale=4, border=2, omitsize=True, dark="#000")
    return Markup(svg)
