"""The print-shop deck: every method card as an A5 page with 3 mm bleed and crop marks, for a print
shop or a careful office printer, made with WeasyPrint.

`deck_html` (engine-free: the toolbox's own templates) gives the deck as one HTML document: a cover
sheet in Danish on how to print and cut, then the cards in the print deck's content
(render.printed_card), each optionally followed by a back for long-edge duplex. `write_pdf` turns it
into a tagged PDF (PDF/UA-1) with an outline of the cards; WeasyPrint is imported there only, so the
site build never needs it (it is a test and `make pdf` dependency, see requirements-test.txt).
"""

from __future__ import annotations

import sys
from pathlib import Path

from markupsafe import Markup

from . import render, vocab
from .identity import vocabulary_css
from .loader import Document
from .qr import qr_svg

# The PDF's Title (and the cover's heading).
TITLE = "Værktøjskassen: metodekort til trykkeriet (A5 med beskæring)"
# The bleed the phase colour runs into, beyond the trim box; the PDF's BleedBox is this far out.
BLEED_MM = 3.0
MM = 72 / 25.4               # PDF points per millimetre
# Where /udskriv/ and make pdf put the file in the built site (Danish name, no æøå in URLs).
SITE_PATH = Path("downloads") / "vaerktoejskassen-trykkeri.pdf"


def deck_html(plan, backs: bool = False, slugs: list[str] | None = None) -> str:
    """The print-shop deck as HTML: cover sheet, then each card (by title, or the cards `slugs`
    names, in that order; unknown slugs are the caller's to refuse) on a page of its own, with its back after it when `backs`."""
    docs = _chosen(plan, slugs)
    page_url = "udskriv/"
    cards = [_with_painted_icons(render.printed_card(doc, page_url, plan.site_url, qr_svg, plan.card_body,
                                                     plan.worksheets)) for doc in docs]
    pages = 1 + (1 + 2 * len(cards) if backs else len(cards))
    return render.template("printshop.html", title=TITLE, cards=cards, backs=backs, pages=pages,
                           site=render.short_url(plan.site_url))


def _painted(svg: Markup, colour: str) -> Markup:
    """An icon with its fill colour as an attribute: WeasyPrint draws inline SVG without the
    page's stylesheet, so `fill: currentColor` from CSS would leave every icon black."""
    return Markup(str(svg).replace("<svg ", f'<svg fill="{colour}" ', 1))   # a theme icon, a #rrggbb colour


def _with_painted_icons(card: dict) -> dict:
    """A printed card whose phase icons are painted: in the phase's colour beside the coloured name
    (facts, back), white on the coloured band (`band`)."""
    colours = {term.slug: str(term.extra["colour"]) for term in vocab.load("phases").terms}

    def paint(b: dict | None, colour: str | None = None) -> dict | None:
        if not b or not b.get("icon") or not b["cls"].startswith("vk-phase-"):
            return b
        return {**b, "icon": _painted(b["icon"], colour or colours.get(b["slug"], "#000000"))}

    facts = [{**row, "entries": [{**e, "badge": paint(e.get("badge"))} for e in row["entries"]]}
             for row in card["facts"]]
    return {**card, "facts": facts, "phases": [paint(b) for b in card["phases"]],
            "band": [paint(b, "#ffffff") for b in card["phases"]]}


def _chosen(plan, slugs: list[str] | None) -> list[Document]:
    """The cards of the deck: all, by title, or those `slugs` names, in that order."""
    if not slugs:
        return sorted(plan.index.methods.values(), key=lambda d: str(d.meta["title"]).casefold())
    return [plan.index.methods[slug] for slug in slugs]


def write_pdf(html: str, base_url: str, out: Path) -> int:
    """Write the deck's HTML as a tagged PDF to `out` (PDF/UA-1: structure tree, /Lang from the
    html element, the title shown); return its size in bytes."""
    from weasyprint import CSS, HTML
    pdf = HTML(string=html, base_url=base_url).write_pdf(
        stylesheets=[CSS(string=vocabulary_css())], pdf_variant="pdf/ua-1", finisher=_bleed_box)
    out.write_bytes(pdf)
    return len(pdf)


def _bleed_box(document, pdf) -> None:
    """Set every page's BleedBox to the trim box plus BLEED_MM on each side. WeasyPrint puts it
    at most 10 pt (3.5 mm) out, inside the CSS bleed; ours is 6 mm, so that the crop marks, which
    WeasyPrint draws in the outer half, stay clear of the colour that runs 3 mm beyond the trim."""
    import pydyf
    bleed = BLEED_MM * MM
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page" and "TrimBox" in obj:
            left, top, right, bottom = obj["TrimBox"]
            obj["BleedBox"] = pydyf.Array([left - bleed, top - bleed, right + bleed, bottom + bleed])


def main(argv: list[str] | None = None) -> int:
    """`python -m toolbox printshop OUT.pdf [--backs] [--slugs a,b,c]`: write the print-shop deck."""
    import argparse

    from .cli import project_root
    from .plan import plan_site
    from .static_export import read_config
    parser = argparse.ArgumentParser(description="Skriv metodekortene som PDF til et trykkeri: A5 med 3 mm "
                                     "beskæring, skæremærker og en vejledning forrest.")
    parser.add_argument("out", type=Path, help="PDF-filen, der skal skrives")
    parser.add_argument("--backs", action="store_true", help="en bagside efter hvert kort (dobbeltsidet, lang kant)")
    parser.add_argument("--slugs", default="", metavar="a,b,c", help="kun disse kort (filnavne uden .md), i denne rækkefølge")
    parser.add_argument("--root", type=Path, default=None, help="projektets mappe (standard: den med mkdocs.yml)")
    parser.add_argument("--site-url", default=None, help="sitets adresse (QR-koderne); standard: mkdocs.yml's site_url")
    args = parser.parse_args(argv)
    root = (args.root or project_root()).resolve()
    plan = plan_site(root, args.site_url or read_config(root).get("site_url"))
    if plan.problems:
        for problem in plan.problems:
            print(str(problem))
        print(f"{len(plan.problems)} fejl i indholdet; PDF'en er ikke skrevet.", file=sys.stderr)
        return 1
    slugs = [s.strip() for s in args.slugs.split(",") if s.strip()]
    unknown = [s for s in slugs if s not in plan.index.methods]
    if unknown:
        print("Ukendt kort: " + ", ".join(unknown) + ". Brug metodekortenes filnavne uden .md, "
              "fx world-cafe.", file=sys.stderr)
        return 2
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:   # OSError: WeasyPrint is there, Pango is not
        print(f"WeasyPrint kan ikke bruges ({error}). Installér testafhængighederne (make .venv/.test) "
              "og Pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0).", file=sys.stderr)
        return 1
    size = write_pdf(deck_html(plan, args.backs, slugs), plan.site_url + "udskriv/", args.out)
    print(f"Skrev {args.out} ({size // 1024} KB).")
    return 0
