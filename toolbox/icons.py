"""Icons from the Material theme's bundled sets, inlined as SVG at build time.

The files are read from the installed `material` package (found, not imported: the core knows no site
generator), so the site serves them itself and no visitor's browser asks another host. An icon always
stands beside a text label, so it is hidden from screen readers.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

_NAME_RE = re.compile(r"^[a-z0-9-]+/[a-z0-9-]+$")
_SVG_OPEN_RE = re.compile(r"^<svg\b([^>]*)>")
_FILL_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def icon_dir() -> Path:
    """The theme's icon folder (templates/.icons inside the installed material package)."""
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("mkdocs-material er ikke installeret; ikonerne kommer derfra")
    return Path(list(spec.submodule_search_locations)[0]) / "templates" / ".icons"


@lru_cache(maxsize=None)
def icon(name: str, fill: str | None = None) -> Markup:
    """The SVG of icon `name` ('material/lightbulb-on-outline'), decorative (aria-hidden) and sized
    by CSS (class vk-icon). Only names of the form set/icon are read, from the theme's folder.
    `fill` (#rrggbb) paints it as an attribute, for renderers that draw inline SVG without the
    page's stylesheet (WeasyPrint, toolbox.printshop); otherwise CSS colours it."""
    if not _NAME_RE.match(name):
        raise ValueError(f"ikonnavnet {name!r} har ikke formen 'material/navn'")
    if fill is not None and not _FILL_RE.match(fill):
        raise ValueError(f"farven {fill!r} har ikke formen #rrggbb")
    svg = (icon_dir() / f"{name}.svg").read_text(encoding="utf-8").strip()
    painted = f' fill="{fill}"' if fill else ""
    svg = _SVG_OPEN_RE.sub(rf'<svg\1 class="vk-icon" aria-hidden="true" focusable="false"{painted}>', svg, count=1)
    if not svg.startswith("<svg") or "<script" in svg.lower():
        raise ValueError(f"ikonet {name!r} er ikke en ren SVG-fil")
    return Markup(svg)   # a fixed file of the installed theme, not contributed content
