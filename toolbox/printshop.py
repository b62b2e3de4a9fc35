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

from . import render, vocab
from .icons import icon
from .identity import vocabulary_css
from .loader import Document
from .qr import qr_svg

# The PDF's Title (and the cover's heading).
TITLE = "Værktøjskassen: metodekort til trykkeriet (A5 med beskæring)"
# The bleed the phase colour runs into, beyond the trim box; the PDF's BleedBox is this far out.
BLEED_MM = 3.0
MM = 72 / 25.4               # PDF points per millimetre
# The files `make pdf` puts in the built site, which /udskriv/ offers (Danish names, no æøå in
# URLs): the deck without and with backs.
SITE_FILES = {Path("downloads") / "vaerktoejskassen-trykkeri.pdf": False,
              Path("downloads") / "vaerktoejskassen-trykkeri-bagsider.pdf": True}


def deck_html(plan, backs: bool = False, slugs: list[str] | None = None) -> str:
    """The print-shop deck as HTML: cover sheet, then each card (by title as on /udskriv/, or the
    cards `slugs` names in that order; the caller refuses unknown ones) on a page of its own, with
    its back after it when `backs`."""
    docs = _chosen(plan, slugs)
    page_url = "udskriv/"
    cards = [_with_painted_icons(render.printed_card(doc, page_url, plan.site_url, qr_svg, plan.card_body,
                                                     plan.worksheets)) for doc in docs]
    pages = 1 + (1 + 2 * len(cards) if backs else len(cards))
    return render.template("printshop.html", title=TITLE, cards=cards, backs=backs, pages=pages,
                           ordered=not slugs, site=render.short_url(plan.site_url))


def _with_painted_icons(card: dict) -> dict:
    """A printed card whose phase icons are painted (WeasyPrint draws inline SVG without the page's
    stylesheet, so CSS's `fill: currentColor` would leave them black): in the phase's colour beside
    its coloured name (facts, back), white on the coloured band (`band`)."""
    phases = {term.slug: term for term in vocab.load("phases").terms}

    def paint(b: dict | None, colour: str | None = None) -> dict | None:
        term = phases.get(b["slug"]) if b and b["cls"].startswith("vk-phase-") else None
        if term is None or not term.extra.get("icon"):
            return b
        return {**b, "icon": icon(str(term.extra["icon"]), colour or str(term.extra["colour"]))}

    facts = [{**row, "entries": [{**e, "badge": paint(e.get("badge"))} for e in row["entries"]]}
             for row in card["facts"]]
    return {**card, "facts": facts, "phases": [paint(b) for b in card["phases"]],
            "band": [paint(b, "#ffffff") for b in card["phases"]]}


def _chosen(plan, slugs: list[str] | None) -> list[Document]:
    """The cards of the deck: all, in the print deck's order (by title), or those `slugs` names."""
    if not slugs:
        return render.by_title(plan.index.methods.values())
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


def write_site_files(root: Path, site: Path) -> int:
    """Write SITE_FILES into the built site `site` (make pdf), for mkdocs.yml's site_url. Without a
    usable WeasyPrint it says so and writes nothing (0: the site works without the files); 1 if the
    content has problems."""
    problem = weasyprint_problem()
    if problem:
        print(f"Springer trykkerifilen over: {problem}")
        return 0
    for path, backs in SITE_FILES.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        args = [str(site / path), "--root", str(root)] + (["--backs"] if backs else [])
        if main(args) != 0:
            return 1
    return 0


def weasyprint_problem() -> str | None:
    """Why WeasyPrint cannot run here, in Danish (None when it can)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:   # OSError: WeasyPrint is installed, Pango is not
        return (f"WeasyPrint kan ikke bruges ({error}). Installér testafhængighederne (make .venv/.test) "
                "og Pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0).")
    return None


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
    problem = weasyprint_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    size = write_pdf(deck_html(plan, args.backs, slugs), plan.site_url + "udskriv/", args.out)
    print(f"Skrev {args.out} ({size // 1024} KB).")
    return 0
