"""The print-shop deck (toolbox.printshop, WeasyPrint): what a print shop and a trainer get from the
PDF. Every card on an A5 trim box inside a bleed box 3 mm larger, crop marks where a cutter looks for
them and no colour beyond the bleed, backs on the same boxes, QR codes that lead to the card's page,
a cover sheet in Danish, and a tagged PDF with an outline of the cards. Without WeasyPrint, Pango or
the poppler and zbar tools these tests skip locally and fail under CI=true, where they must run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import LIMIT_SLUG, ROOT, project_copy, structure_tags, write_limit_method
from toolbox import printshop
from toolbox.plan import plan_site

SITE_URL = "https://kort.example.dk/vk/"
MM = 72 / 25.4
A5 = (148 * MM, 210 * MM)


def need_tools() -> None:
    """WeasyPrint (with Pango) and the command-line tools the checks use, or skip (fail under CI=true)."""
    missing = [tool for tool in ("pdftoppm", "pdftotext", "zbarimg") if shutil.which(tool) is None]
    try:
        import weasyprint  # noqa: F401
        import pypdf  # noqa: F401
    except (ImportError, OSError) as error:        # OSError: WeasyPrint is installed, Pango is not
        missing.append(f"weasyprint ({error})")
    if missing:
        message = "missing for the print-shop deck: " + ", ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (see .ci/run and requirements-test.txt)")
        pytest.skip(message)


PLAN = plan_site(ROOT, SITE_URL)
METHODS = sorted(PLAN.index.methods.values(), key=lambda d: d.slug)
# A few real cards: the one with the longest title and description, one with several phases, and the
# first by title.
CARDS = list({d.slug: d for d in [
    max(METHODS, key=lambda d: len(d.meta["title"] + d.meta["description"])),
    max(METHODS, key=lambda d: len(d.meta["phases"])),
    min(METHODS, key=lambda d: str(d.meta["title"]).casefold()),
]}.values())


def _write(out: Path, slugs: list[str], backs: bool, root: Path = ROOT) -> Path:
    """The deck as `python -m toolbox printshop` writes it."""
    args = [str(out), "--slugs", ",".join(slugs), "--site-url", SITE_URL, "--root", str(root)]
    assert printshop.main(args + (["--backs"] if backs else [])) == 0
    return out


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> dict[str, Path]:
    """The deck of CARDS, without and with backs."""
    need_tools()
    folder = tmp_path_factory.mktemp("printshop")
    slugs = [d.slug for d in CARDS]
    return {"fronts": _write(folder / "forsider.pdf", slugs, False),
            "backs": _write(folder / "bagsider.pdf", slugs, True)}


def _boxes(pdf: Path) -> list[dict[str, tuple[float, ...]]]:
    """Every page's MediaBox, BleedBox and TrimBox as (left, bottom, right, top) in points."""
    from pypdf import PdfReader
    return [{name: tuple(float(v) for v in page[f"/{name}"]) for name in ("MediaBox", "BleedBox", "TrimBox")}
            for page in PdfReader(pdf).pages]


def _text(pdf: Path, number: int) -> str:
    """The words on page `number` (1-based), as pdftotext reads them."""
    out = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def _title(doc) -> str:
    return " ".join(str(doc.meta["title"]).split())


def _unbroken(text: str) -> str:
    """Text without its line-end hyphens (pdftotext joins "check-" + "in" as "checkin")."""
    return re.sub(r"-\s*", "", text)


def test_the_deck_has_a_cover_then_one_page_per_card_and_with_backs_a_back_after_each(decks):
    from pypdf import PdfReader
    fronts, backs = PdfReader(decks["fronts"]), PdfReader(decks["backs"])
    assert len(fronts.pages) == 1 + len(CARDS)
    # With backs: cover, its empty reverse (so every front lands on the front of a sheet), front, back ...
    assert len(backs.pages) == 2 + 2 * len(CARDS)
    assert "Sådan skærer I" in _text(decks["fronts"], 1) and "faktisk størrelse" in _text(decks["fronts"], 1)
    assert "enkeltsidet" in _text(decks["fronts"], 1)
    assert "vend på den lange kant" in _text(decks["backs"], 1) and "ikke spejles" in _text(decks["backs"], 1)
    assert _text(decks["backs"], 2) == "Denne side er tom med vilje."
    for i, doc in enumerate(CARDS):
        front = _text(decks["fronts"], 2 + i)
        assert _title(doc) in front
        assert "Sådan gør du" in front and "Forberedelse" in front and "Materialer" in front
        assert " ".join(str(doc.meta["preparation"]).split()) in front
        assert _title(doc) in _text(decks["backs"], 3 + 2 * i) and "Sådan gør du" in _text(decks["backs"], 3 + 2 * i)
        back = _text(decks["backs"], 4 + 2 * i)
        assert _unbroken(_title(doc)) in _unbroken(back) and "Sådan gør du" not in back
        assert SITE_URL.split("://")[1] + f"metoder/{doc.slug}" in back


def test_every_page_has_an_a5_trim_box_inside_a_bleed_box_3_mm_larger(decks):
    """The boxes a print shop's imposition reads: TrimBox = A5, BleedBox 3 mm beyond it on every
    side, MediaBox larger still (room for the crop marks). The same on every page, backs and cover
    included, so the file has one page size."""
    for pdf in decks.values():
        boxes = _boxes(pdf)
        for page in boxes:
            left, bottom, right, top = page["TrimBox"]
            assert right - left == pytest.approx(A5[0], abs=0.1) and top - bottom == pytest.approx(A5[1], abs=0.1)
            bleed = page["BleedBox"]
            assert [bleed[0] - left, bleed[1] - bottom, bleed[2] - right, bleed[3] - top] == pytest.approx(
                [-3 * MM, -3 * MM, 3 * MM, 3 * MM], abs=0.05)
            media = page["MediaBox"]
            assert media[0] < bleed[0] and media[1] < bleed[1] and media[2] > bleed[2] and media[3] > bleed[3]
        assert all(page == boxes[0] for page in boxes)


def _render(pdf: Path, page: int, out: Path, dpi: int = 50):
    """Page `page` as a greyscale image (PIL), at `dpi`."""
    from PIL import Image
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(out)], check=True)
    return Image.open(f"{out}.pgm")


def _region(image, pdf_boxes: dict, x_mm: tuple[float, float], y_mm: tuple[float, float]) -> list[int]:
    """The grey values in a rectangle given in mm from the MediaBox's top-left corner."""
    media = pdf_boxes["MediaBox"]
    px_per_mm = image.width / ((media[2] - media[0]) / MM)
    x0, x1 = (round(v * px_per_mm) for v in x_mm)
    y0, y1 = (round(v * px_per_mm) for v in y_mm)
    return [image.getpixel((x, y)) for x in range(x0, max(x1, x0 + 1)) for y in range(y0, max(y1, y0 + 1))]


def test_the_cards_have_crop_marks_outside_the_bleed_and_the_cover_has_none(decks, tmp_path):
    """Rendered at 50 dpi: at each corner of a card, dark marks on the lines of the trim box in the
    paper outside the bleed; nothing there on the cover; the phase colour runs into the bleed at the
    top of the card but not past it, and the middle of every edge outside the bleed is blank."""
    pdf = decks["backs"]
    boxes = _boxes(pdf)
    media_w = (boxes[0]["MediaBox"][2] - boxes[0]["MediaBox"][0]) / MM
    media_h = (boxes[0]["MediaBox"][3] - boxes[0]["MediaBox"][1]) / MM
    off = (boxes[0]["TrimBox"][0] - boxes[0]["MediaBox"][0]) / MM       # the trim line, from the edge (6 mm)
    outer = off - 3                                                      # the paper outside the bleed (3 mm)

    def dark(values):                     # a 0.75 pt line is half a pixel at 50 dpi: grey, not black
        return min(values) < 200

    def mark_zones():
        """Both marks at each corner: a short line along each trim edge, outside the bleed."""
        for x_edge in (0, media_w - outer):
            for y_edge in (0, media_h - outer):
                x_line = off if x_edge == 0 else media_w - off
                y_line = off if y_edge == 0 else media_h - off
                yield (x_edge, x_edge + outer), (y_line - .8, y_line + .8)     # horizontal mark
                yield (x_line - .8, x_line + .8), (y_edge, y_edge + outer)     # vertical mark

    for number in (3, 4):                                                # a front and its back
        image = _render(pdf, number, tmp_path / f"p{number}")
        assert all(dark(_region(image, boxes[number - 1], x, y)) for x, y in mark_zones())
        middle = [((0, outer - .5), (media_h / 2 - 5, media_h / 2 + 5)),
                  ((media_w - outer + .5, media_w), (media_h / 2 - 5, media_h / 2 + 5)),
                  ((media_w / 2 - 5, media_w / 2 + 5), (0, outer - .5)),
                  ((media_w / 2 - 5, media_w / 2 + 5), (media_h - outer + .5, media_h))]
        assert all(min(_region(image, boxes[number - 1], x, y)) > 240 for x, y in middle)
        # The band in the phase colour: in the bleed at the top (it will be cut off, so the card's
        # colour reaches its edge however the cut falls) ...
        assert max(_region(image, boxes[number - 1], (media_w / 2 - 5, media_w / 2 + 5), (outer + .8, off - .3))) < 200
    # ... and the back's tint fills the whole card and its bleed, down to the bottom edge.
    back = _render(pdf, 4, tmp_path / "back")
    assert max(_region(back, boxes[3], (media_w / 2 - 5, media_w / 2 + 5), (media_h - off + .3, media_h - outer - .8))) < 248
    assert max(_region(back, boxes[3], (outer + .8, off - .3), (media_h / 2 - 5, media_h / 2 + 5))) < 248
    cover = _render(pdf, 1, tmp_path / "cover")
    assert not any(dark(_region(cover, boxes[0], x, y)) for x, y in mark_zones())


def _qr(pdf: Path, page: int, tmp_path: Path) -> str:
    subprocess.run(["pdftoppm", "-png", "-r", "200", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(tmp_path / f"qr{page}")], check=True)
    return subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / f"qr{page}.png")],
                          capture_output=True, text=True).stdout.strip()


def test_the_qr_codes_on_a_front_and_a_back_lead_to_the_cards_page(decks, tmp_path):
    doc = CARDS[0]
    assert _qr(decks["backs"], 3, tmp_path) == SITE_URL + f"metoder/{doc.slug}/"
    assert _qr(decks["backs"], 4, tmp_path) == SITE_URL + f"metoder/{doc.slug}/"
    assert _qr(decks["fronts"], 1 + len(CARDS), tmp_path) == SITE_URL + f"metoder/{CARDS[-1].slug}/"



def test_the_pdf_is_tagged_in_danish_with_a_title_and_an_outline_of_the_cards(decks):
    """What a screen reader and a PDF viewer's sidebar use: a structure tree, /Lang da, the title
    shown, and one outline entry per card (not the cover, not the backs) leading to its front."""
    from pypdf import PdfReader
    for name, pdf in decks.items():
        reader = PdfReader(pdf)
        root = reader.trailer["/Root"]
        assert bool(root["/MarkInfo"]["/Marked"]) is True and "/StructTreeRoot" in root
        assert {"/H1", "/H2", "/H3", "/L", "/LI", "/P", "/Art"} <= structure_tags(root["/StructTreeRoot"])
        assert root["/Lang"] == "da"
        assert reader.metadata.title == printshop.TITLE
        assert root["/ViewerPreferences"]["/DisplayDocTitle"]
        outline = [item for item in reader.outline if not isinstance(item, list)]
        assert [" ".join(item.title.split()) for item in outline] == [_title(d) for d in CARDS]
        assert not any(isinstance(item, list) for item in reader.outline)
        first = 2 if name == "backs" else 1
        step = 2 if name == "backs" else 1
        assert [reader.get_destination_page_number(item) for item in outline] == [
            first + step * i for i in range(len(CARDS))]


def test_a_card_at_every_length_limit_still_fits_its_page(tmp_path):
    """The at-limit card of the Chromium print test (tests/helpers.py) on the print-shop page: one
    front page (overflow would push the card onto a page of its own), everything a trainer needs on
    it, the text ending above the QR footer, the address on one line, the QR code readable."""
    need_tools()
    project = project_copy(tmp_path)
    meta = write_limit_method(project)
    pdf = _write(tmp_path / "graense.pdf", [LIMIT_SLUG], True, root=project)
    assert "alfabetisk" not in _text(pdf, 1)                       # cards chosen by --slugs keep their order
    from pypdf import PdfReader
    assert len(PdfReader(pdf).pages) == 4
    front = _text(pdf, 3)
    assert front.count("10 min.") == 8 and "I alt: 80 minutter" in front
    assert " ".join(meta["preparation"].split()) in front and " ".join(meta["not_when"].split()) in front
    from toolbox import vocab
    assert all(term.label in front for term in vocab.load("phases").terms)
    layout = subprocess.run(["pdftotext", "-layout", "-f", "3", "-l", "3", str(pdf), "-"],
                            capture_output=True, text=True).stdout
    address = SITE_URL.split("://")[1] + f"metoder/{LIMIT_SLUG}"
    assert any(line.strip().endswith(address) for line in layout.splitlines())
    bbox = subprocess.run(["pdftotext", "-bbox", "-f", "3", "-l", "3", str(pdf), "-"],
                          capture_output=True, text=True).stdout
    words = [(float(y0), float(y1), w) for y0, y1, w in
             re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)</word>', bbox)]
    foot = min(y0 for y0, _, w in words if w == "Kortet")
    last_tip = max(y1 for y0, y1, w in words if y0 < foot - 1)
    assert last_tip < foot - 2                                    # the text stops above the footer
    assert _qr(pdf, 3, tmp_path) == SITE_URL + f"metoder/{LIMIT_SLUG}/"


def test_an_unknown_card_is_refused_in_danish_and_nothing_is_written(tmp_path, capsys):
    out = tmp_path / "kort.pdf"
    assert printshop.main([str(out), "--slugs", "world-cafe,findes-ikke", "--site-url", SITE_URL]) == 2
    assert "Ukendt kort: findes-ikke" in capsys.readouterr().err
    assert not out.exists()


def test_the_deck_html_is_made_without_weasyprint():
    """The core makes the deck's HTML from the plan with its own templates; WeasyPrint is imported
    only to write the PDF (the site build does not need it)."""
    code = ("import sys, pathlib\nfrom toolbox import printshop\nfrom toolbox.plan import plan_site\n"
            f"html = printshop.deck_html(plan_site(pathlib.Path({str(ROOT)!r})), backs=True)\n"
            "print('weasyprint' in sys.modules, html.count('class=\"ps-card ps-front'), html.count('class=\"ps-card ps-back'),"
            " 'alfabetisk orden' in html)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", str(len(METHODS)), str(len(METHODS)), "True"]


def test_contributed_text_is_escaped_in_the_deck():
    """A title with markup characters prints as text (the templates autoescape)."""
    from helpers import VALID_METHOD, make_doc
    doc = make_doc({**VALID_METHOD, "title": "Møde <b>& mere"}, "\n## Formål\n\nAt teste.\n")
    from toolbox import render
    card = render.printed_card(doc, "udskriv/", SITE_URL, lambda url: "", lambda d: "<p>krop</p>")
    html = render.template("printshop.html", title=printshop.TITLE, cards=[card | {"band": []}], backs=True,
                           pages=4, ordered=True, site="x")
    assert "Møde &lt;b&gt;&amp; mere" in html and "<b>&" not in html
