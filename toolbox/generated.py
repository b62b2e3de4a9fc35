"""The pages the site generates from content: method cards, cases, pages for files with problems and
the municipality pages. What each shows is decided here, from the index alone, so it can be worked
out ahead of the build (toolbox.background) and any site generator can place it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import render
from .qr import qr_svg
from .site import SiteIndex


@dataclass
class GeneratedPage:
    """A generated page's Markdown (its own HTML held out, see render.HeldHtml) and what the page
    tells the theme: title, description and tags (escaped for the theme's templates), whether the
    front matter is replaced, and the page's search entry when it is made from data."""

    markdown: str
    held: render.HeldHtml
    meta: dict = field(default_factory=dict)
    replace_meta: bool = False
    search_entry: dict | None = None


@dataclass
class ConvertedPage:
    """A generated page converted to its final HTML ahead of the build (by the site generator's own
    conversion, in the second process): what the build would otherwise have made of `page`, and the
    log records of that conversion, for the build to log."""

    page: GeneratedPage
    html: str
    toc: object                      # the site generator's table of contents
    anchor_ids: set | None
    links_to_anchors: dict           # target file's source path -> {anchor: link as written}
    log_records: list                # (logger name, level, message)


def generated_page(kind: str, payload, index: SiteIndex, url: str, site_url: str) -> GeneratedPage:
    """The page of `kind` ('method', 'case', 'broken', 'municipality', 'municipalities') at `url`."""
    held = render.HeldHtml()
    inner = None   # the contributed Markdown inside the page
    page = GeneratedPage("", held)
    if kind == "method":
        card_url = site_url + payload.url
        markdown = render.method_page(payload, index, url, card_url, qr_svg(card_url))
        inner = render.wrap_sections(payload.body.strip())
    elif kind == "case":
        markdown = render.case_page(payload, index, url)
        inner = payload.body.strip()
        page.search_entry = render.case_search_entry(payload, index, url)
    elif kind == "broken":
        problems = [p for p in index.problems if p.path == payload.path]
        markdown = render.error_page(payload, problems)
        page.replace_meta = True
        page.meta["title"] = render.theme_text(f"Fejl i {payload.path}")
    elif kind == "municipality":
        markdown = render.municipality_page(payload, index.cases_by_municipality[payload], url)
        page.meta["title"] = render.theme_text(f"{payload} Kommune")
    elif kind == "municipalities":
        markdown = render.municipality_index(index, url)
        page.meta["title"] = "Kommuner"
    else:
        raise ValueError(f"unknown page kind {kind!r}")
    if kind in ("method", "case"):
        page.meta["title"] = render.theme_text(payload.meta["title"])
        page.meta["description"] = render.theme_text(payload.meta["description"])
        page.meta["tags"] = list(payload.meta["tags"])
    page.markdown = render.hold_around(held, markdown, inner) if inner is not None else markdown
    return page
