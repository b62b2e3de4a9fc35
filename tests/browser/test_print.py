"""Printing: every card on one A5 page without site chrome, decks from a filter, A4 two-up with cut
marks at the same place on every sheet, the workshop plan, and a QR code that leads back online."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import LIMIT_SLUG, ROOT, need, pdf_pages, next_paint, structure_tags, visit
from toolbox.facets import matches, method_facets
from toolbox.plan import plan_site

INDEX = plan_site(ROOT).index
METHODS = sorted(INDEX.methods.values(), key=lambda d: d.slug)
A5 = (420, 595)            # points, portrait
A4_LANDSCAPE = (842, 595)
CHROME_TEXT = ["Søg", "Redigér", "Indhold under CC BY", "Kom i gang", "Ordliste", "Tilbage til start",
               "Indholdsfortegnelse", "Værktøjskassen\n", "Udskriv kortet"]




def _foot_top(pdf: Path) -> float:
    """How far down the (first) page the QR footer's text begins, in points from the top."""
    import re
    need("pdftotext")
    bbox = subprocess.run(["pdftotext", "-bbox", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout
    return min(float(y) for y, w in re.findall(r'yMin="([\d.]+)"[^>]*>([^<]+)</word>', bbox) if w == "Kortet")


def pdf_text(pdf: Path) -> str:
    need("pdftotext")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout


# The page's scripts have done their work: the deck shows the filter's cards (filter.js) in the
# chosen layout (print.js), and the fonts are loaded. On a loaded machine `networkidle` alone came
# before that now and then, and the PDF had the wrong cards.
READY = """() => document.fonts.status === "loaded" && (!document.querySelector(".vk-deck") ||
    !!document.querySelector(".vk-deck[data-print-ready]"))
    && !document.querySelector(".vk-deck[data-facets]:not([data-ready]):not(.vk-plan-deck)")"""


def print_pdf(page, url: str, path: Path) -> Path:
    visit(page, url)
    page.wait_for_function(READY)
    # A deck shows its cards once the filter has chosen them (asynchronously, filter.js).
    page.wait_for_function("() => !document.querySelector('.vk-deck[data-facets][data-ready]:not([data-chosen])')")
    page.wait_for_timeout(100)
    path.write_bytes(page.pdf(prefer_css_page_size=True))
    return path


def _printed(doc) -> int:
    from toolbox.validate import _printed_length, _sections
    return _printed_length(doc, _sections(doc))


# The card page of the cards with the most printed text (and the one with the least, and the longest
# titles): every card's layout is printed in the whole deck below, in the same print styles.
_CHOSEN = [*sorted(METHODS, key=_printed)[-4:], min(METHODS, key=_printed),
           max(METHODS, key=lambda d: len(d.meta["title"] + d.meta["description"]))]
PAGE_CARDS = sorted({d.slug: d for d in _CHOSEN}.values(), key=lambda d: d.slug)


@pytest.mark.parametrize("doc", PAGE_CARDS, ids=lambda d: d.slug)
def test_a_card_page_prints_on_exactly_one_a5_page_without_site_chrome(page, site_url, tmp_path, doc):
    pdf = print_pdf(page, site_url + f"metoder/{doc.slug}/", tmp_path / "card.pdf")
    assert pdf_pages(pdf) == [A5]
    text = pdf_text(pdf)
    assert " ".join(doc.meta["title"].split()) in " ".join(text.split())   # the whole title, however it wraps
    for label in ("Tid", "Deltagere", "Type", "Tilgang", "Fase", "Materialer", "Forberedelse", "Formål",
                  "Sådan gør du", "Brug den ikke, når", "Tips"):
        assert label in text, label
    assert "Overvejelser i en kommune" not in text and "Variationer" not in text   # online only
    flat = " ".join(text.split())
    assert " ".join(doc.meta["steps"][0]["do"].split()[:4]) in flat   # the timed steps are on the card
    for chrome in CHROME_TEXT:
        assert chrome not in text, chrome
    assert _foot_top(pdf) > A5[1] * 0.85     # the QR footer sits at the foot of the page, however short the card


def test_a_card_page_has_a_print_button_that_works_from_the_keyboard(page, site_url):
    doc = METHODS[0]
    visit(page, site_url + f"metoder/{doc.slug}/")
    # A function is called by evaluate(), so the stub is set inside one.
    page.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    button = page.get_by_role("button", name="Udskriv kortet")
    assert button.is_visible()
    button.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    assert page.evaluate("window.__printed") == 2


def test_a_card_page_without_javascript_offers_no_button_that_cannot_work(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + f"metoder/{METHODS[0].slug}/")
    page.get_by_role("heading", level=1).wait_for()
    assert not page.get_by_text("Udskriv kortet").is_visible()
    context.close()


def _default_card_address(slug: str) -> str:
    """The address a card prints on the published site (mkdocs.yml's default site_url)."""
    import re

    from toolbox.render import short_url
    default = re.search(r'site_url: !ENV \[SITE_URL, "([^"]+)"\]', (ROOT / "mkdocs.yml").read_text()).group(1)
    return short_url(default + f"metoder/{slug}/")


LONGEST_SLUG = max((d.slug for d in METHODS), key=len)


@pytest.mark.parametrize("slug", [LONGEST_SLUG, LIMIT_SLUG])
def test_the_printed_address_stays_on_one_line_inside_the_card(page, site_url, tmp_path, slug):
    """The address under the QR code on the published site, for the deck's longest slug and a slug
    as long as a title may be: one unbroken line that ends inside the page's margin."""
    from toolbox.render import URL_FITS
    address = _default_card_address(slug)
    visit(page, site_url + f"metoder/{LONGEST_SLUG}/")
    page.evaluate("""([text, long]) => { const u = document.querySelector('.vk-url');
        u.textContent = text; u.classList.toggle('vk-url-long', long); }""", [address, len(address) > URL_FITS])
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(page.pdf(prefer_css_page_size=True))
    assert pdf_pages(pdf) == [A5]
    assert any(line.strip() == address for line in pdf_text(pdf).splitlines())
    need("pdftotext")
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True).stdout
    import re
    words = {w: float(x) for x, w in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]+)</word>', bbox)}
    assert address in words, "the address is broken into pieces"
    assert words[address] <= A5[0] - 9 / 25.4 * 72 + 0.5, f"the address runs into the margin: {words[address]}"


def test_the_qr_code_on_a_printed_card_leads_to_the_online_card(page, site_url, tmp_path):
    zbarimg = need("zbarimg")
    need("pdftoppm")
    doc = METHODS[0]
    pdf = print_pdf(page, site_url + f"metoder/{doc.slug}/", tmp_path / "card.pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "200", str(pdf), str(tmp_path / "card")], check=True)
    image = next(tmp_path.glob("card*.png"))
    decoded = subprocess.run([zbarimg, "--quiet", "--raw", str(image)], capture_output=True, text=True).stdout.strip()
    assert decoded == site_url + f"metoder/{doc.slug}/"
    page.goto(decoded)
    assert page.locator("h1").first.inner_text() == doc.meta["title"]
    short = decoded.split("://", 1)[1].rstrip("/")
    assert short in pdf_text(pdf).replace("\n", "").replace(" ", "")


def test_a_deck_from_a_filter_has_one_page_per_card_the_filter_shows(page, site_url, tmp_path):
    selection = {"tilgang": {"samskabelse"}, "maalgruppe": {"borgere"}}
    want = [d for d in METHODS if matches(d, method_facets(), selection)]
    assert len(want) >= 2
    pdf = print_pdf(page, site_url + "udskriv/?tilgang=samskabelse&maalgruppe=borgere", tmp_path / "deck.pdf")
    assert pdf_pages(pdf) == [A5] * len(want)
    text = pdf_text(pdf)
    for doc in want:
        assert doc.meta["description"][:40] in text.replace("\n", " ").replace("  ", " ") or \
            doc.meta["title"] in text
    for chrome in CHROME_TEXT + ["Udskriv kort", "Tilbage til filteret"]:
        assert chrome not in text, chrome
    assert "Alle kort er klar" not in page.locator(".vk-deck-status").inner_text()


def test_the_whole_deck_prints_every_card_on_one_page_of_its_own(page, site_url, tmp_path):
    """One A5 page per card, in title order, each page beginning with its card's title and ending
    with its QR footer (so no card spilled onto the next page)."""
    pdf = print_pdf(page, site_url + "udskriv/", tmp_path / "deck.pdf")
    assert pdf_pages(pdf) == [A5] * len(METHODS)
    pages = pdf_text(pdf).split("\f")
    for doc, text in zip(sorted(METHODS, key=lambda d: d.meta["title"].casefold()), pages):
        flat = " ".join(text.split())
        assert flat.startswith(" ".join(doc.meta["title"].split())), (doc.slug, flat[:80])
        assert "Sådan gør du" in flat and "Brug den ikke, når" in flat and "Kortet på nettet" in flat, doc.slug


def _dark_columns(pgm: Path, band_mm: tuple[float, float], dpi: int) -> list[int]:
    """Columns with dark pixels within a horizontal band (mm from the top) of a binary PGM image."""
    data = pgm.read_bytes()
    parts = data.split(b"\n", 3)
    assert parts[0] == b"P5"
    width, height = map(int, parts[1].split())
    pixels = parts[3]
    top, bottom = (int(mm / 25.4 * dpi) for mm in band_mm)
    cols = set()
    for y in range(top, bottom):
        row = pixels[y * width:(y + 1) * width]
        cols.update(x for x, value in enumerate(row) if value < 128)
    return sorted(cols)


def test_a4_two_up_puts_the_cut_marks_in_the_same_place_on_every_sheet(page, site_url, tmp_path):
    need("pdftoppm")
    pdf = print_pdf(page, site_url + "udskriv/?papir=a4", tmp_path / "a4.pdf")
    sheets = (len(METHODS) + 1) // 2
    assert pdf_pages(pdf) == [A4_LANDSCAPE] * sheets
    dpi = 50
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(pdf), str(tmp_path / "sheet")], check=True)
    images = sorted(tmp_path.glob("sheet*.pgm"))
    assert len(images) == sheets
    top_marks = [_dark_columns(img, (1.5, 8.0), dpi) for img in images]
    bottom_marks = [_dark_columns(img, (201.5, 208.0), dpi) for img in images]
    centre = 148.5 / 25.4 * dpi
    assert top_marks[0] and all(abs(c - centre) <= 2 for c in top_marks[0]), top_marks[0]
    assert all(marks == top_marks[0] for marks in top_marks)
    assert all(marks == top_marks[0] for marks in bottom_marks)


def test_the_workshop_plan_keeps_its_state_in_the_url_and_prints_plan_then_cards(page, site_url, tmp_path):
    first, second = METHODS[0], METHODS[1]
    page.goto(site_url + "udskriv/plan/")
    page.get_by_label("Workshoppens navn").fill("Borgermøde i hallen")
    page.get_by_label("Tilføj et kort").select_option(first.slug)
    page.get_by_role("button", name="Tilføj", exact=True).click()
    page.get_by_label("Tilføj et kort").select_option(second.slug)
    page.get_by_role("button", name="Tilføj", exact=True).click()
    minutes = page.get_by_label(f"Minutter til {second.meta['title']}")
    minutes.fill("25")
    minutes.press("Tab")
    total = first.meta["duration"]["min"] + 25
    assert page.locator(".vk-plan-total").inner_text().startswith(f"{total} min")
    page.get_by_role("button", name=f"Flyt {second.meta['title']} op").click()
    rows = page.locator(".vk-plan-table tbody tr td:nth-child(2)").all_inner_texts()
    assert rows == [second.meta["title"], first.meta["title"]]
    assert f"plan={second.slug}%3A25%2C{first.slug}%3A" in page.url or f"plan={second.slug}:25,{first.slug}:" in page.url
    # A shared link shows the same plan.
    other = page.context.new_page()
    other.goto(page.url)
    assert other.locator(".vk-plan-table tbody tr td:nth-child(2)").all_inner_texts() == rows
    assert other.locator(".vk-plan-heading").inner_text() == "Plan: Borgermøde i hallen"
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(other.pdf(prefer_css_page_size=True))
    assert pdf_pages(pdf) == [A5] * 3
    text = pdf_text(pdf)
    plan_page, _, cards = text.partition("\f")
    assert "Plan: Borgermøde i hallen" in plan_page and f"{total} min" in plan_page
    flat = " ".join(cards.split())
    assert flat.index(" ".join(second.meta["title"].split())) < flat.index(" ".join(first.meta["title"].split()))
    assert page.watch.errors == []


def test_a_card_at_every_length_limit_still_prints_on_one_a5_page(browser, tmp_path):
    """The budgets in toolbox/model.py are measured: a card that uses all of them (the longest title,
    description, materials and facts, eight steps, and the printed text at CARD_BUDGET, under a slug
    as long as a title gives) fits one page, and shows everything a trainer needs from it: the timed
    steps, the preparation, every phase in its colour with its icon, and the QR code with its address
    on one line at the foot of the page."""
    from helpers import built_and_served, project_copy, write_limit_method
    from toolbox import vocab

    project = project_copy(tmp_path)
    meta = write_limit_method(project, LIMIT_SLUG)
    preparation, not_when = meta["preparation"], meta["not_when"]
    from toolbox.validate import validate_tree
    assert [str(p) for p in validate_tree(project) if LIMIT_SLUG in p.path] == []
    phases = vocab.load("phases").terms
    with built_and_served(project, tmp_path / "site") as url:
        page = browser.new_page()
        pdf = print_pdf(page, url + f"metoder/{LIMIT_SLUG}/", tmp_path / "graense.pdf")
        page.emulate_media(media="print")
        rule = page.eval_on_selector(".vk-card-foot", "e => getComputedStyle(e).borderTopColor")
        icons = page.eval_on_selector_all('.vk-facts a[href*="fase="] svg.vk-icon', "els => els.length")
        page.close()
    assert pdf_pages(pdf) == [A5]
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    assert flat.count("10 min.") == 8 and "I alt: 80 minutter" in flat      # every timed step
    assert " ".join(preparation.split()) in flat and " ".join(not_when.split()) in flat
    assert all(term.label in flat for term in phases) and icons == len(phases)
    first = str(phases[0].extra["colour"]).lstrip("#")
    assert rule == "rgb({}, {}, {})".format(*(int(first[i:i + 2], 16) for i in (0, 2, 4)))
    address = url.split("://", 1)[1] + f"metoder/{LIMIT_SLUG}"
    assert any(line.strip() == address for line in text.splitlines())
    zbarimg, _ = need("zbarimg"), need("pdftoppm")
    subprocess.run(["pdftoppm", "-png", "-r", "200", str(pdf), str(tmp_path / "limit")], check=True)
    decoded = subprocess.run([zbarimg, "--quiet", "--raw", str(next(tmp_path.glob("limit*.png")))],
                             capture_output=True, text=True).stdout.strip()
    assert decoded == url + f"metoder/{LIMIT_SLUG}/"
    assert _foot_top(pdf) > A5[1] * 0.85


def test_make_pdf_writes_the_whole_deck_into_the_site(built_site, tmp_path, browser):
    import sys

    from conftest import chromium_path  # noqa: F401  (the browser fixture has already checked it)
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_pdf.py"), str(site)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    pdf = site / "downloads" / "vaerktoejskassen-kort.pdf"
    assert pdf_pages(pdf) == [A5] * len(METHODS)
    _assert_accessible_deck(pdf, sorted(METHODS, key=lambda d: d.meta["title"].casefold()))
    # The print-shop deck (toolbox.printshop, checked in detail in tests/test_printshop.py): a cover,
    # then every card, and with backs an empty reverse of the cover and a back after every card.
    from pypdf import PdfReader
    assert len(PdfReader(site / "downloads" / "vaerktoejskassen-trykkeri.pdf").pages) == 1 + len(METHODS)
    assert len(PdfReader(site / "downloads" / "vaerktoejskassen-trykkeri-bagsider.pdf").pages) == 2 + 2 * len(METHODS)



def _assert_accessible_deck(pdf: Path, cards: list) -> None:
    """A deck PDF a screen reader can use: tagged (MarkInfo, a structure tree with headings and
    lists), in Danish, with a title, real text, and an outline with one entry per card, in order,
    each pointing at its card's page."""
    from pypdf import PdfReader
    from pypdf.generic import BooleanObject
    import importlib.util
    spec = importlib.util.spec_from_file_location("make_pdf", ROOT / "scripts" / "make_pdf.py")
    make_pdf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_pdf)
    reader = PdfReader(pdf)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert "/StructTreeRoot" in root
    assert {"/H2", "/L", "/LI", "/P"} <= structure_tags(root["/StructTreeRoot"], set())
    assert root["/Lang"] == "da"
    assert reader.metadata.title == make_pdf.TITLE
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [" ".join(item.title.split()) for item in top] == [" ".join(d.meta["title"].split()) for d in cards]
    assert [reader.get_destination_page_number(item) for item in top] == list(range(len(cards)))
    for number in (0, len(cards) - 1):
        text = " ".join(reader.pages[number].extract_text().split())
        assert " ".join(cards[number].meta["title"].split()) in text and "Sådan gør du" in text


def test_the_deck_page_offers_the_pdf_only_when_it_exists(page, site_url):
    visit(page, site_url + "udskriv/")
    assert not page.locator(".vk-pdf-kort").is_visible()
    page.route("**/downloads/vaerktoejskassen-kort.pdf", lambda route: route.fulfill(status=200, body=b"%PDF"))
    visit(page, site_url + "udskriv/")
    link = page.locator(".vk-pdf-kort a")
    link.wait_for(state="visible")
    assert link.get_attribute("href") == "../downloads/vaerktoejskassen-kort.pdf"
    assert not page.locator(".vk-pdf-trykkeri").is_visible()


def test_the_deck_page_offers_the_print_shop_pdfs_only_when_both_exist(page, site_url):
    """The print-shop deck (make pdf: with and without backs) is offered once both files are there;
    with one of them missing the trainer sees no link that leads nowhere."""
    fronts, backs = "vaerktoejskassen-trykkeri.pdf", "vaerktoejskassen-trykkeri-bagsider.pdf"
    page.route(f"**/downloads/{fronts}", lambda route: route.fulfill(status=200, body=b"%PDF"))
    with page.expect_response(lambda r: r.url.endswith(backs)) as missing:   # print.js asks for both
        visit(page, site_url + "udskriv/")
    assert missing.value.status == 404
    next_paint(page)
    assert not page.locator(".vk-pdf-trykkeri").is_visible()
    page.route(f"**/downloads/{backs}", lambda route: route.fulfill(status=200, body=b"%PDF"))
    visit(page, site_url + "udskriv/")
    box = page.locator(".vk-pdf-trykkeri")
    box.wait_for(state="visible")
    assert "skæremærker" in box.inner_text()
    assert [a.get_attribute("href") for a in box.locator("a").all()] == [f"../downloads/{fronts}", f"../downloads/{backs}"]
    assert [a.inner_text() for a in box.locator("a").all()] == ["kun forsider", "med bagsider (dobbeltsidet)"]


def test_print_controls_work_from_the_keyboard(page, site_url):
    visit(page, site_url + "udskriv/")
    page.locator("#format-a5").focus()
    page.keyboard.press("ArrowDown")
    assert page.locator("#format-a4").is_checked()
    assert "papir=a4" in page.url
    assert page.locator(".vk-sheet").count() == (len(METHODS) + 1) // 2
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.locator(".vk-print-button").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("window.__printed === true")


A4_PORTRAIT = (595, 842)


def test_the_deck_adds_the_worksheets_its_cards_name_on_a4_when_asked(page, site_url, tmp_path):
    """With 'Udskriv også de arbejdsark' ticked, the deck prints the worksheets the shown cards name,
    once each, on A4 after the cards; the choice is kept in the address."""
    facets = method_facets()
    chosen = [d for d in METHODS if matches(d, facets, {"type": {"praksis"}})]
    named = sorted({s for d in chosen for s in d.meta.get("worksheets") or []})
    assert named, "at least one practice card should name a worksheet"
    page.goto(site_url + "udskriv/?type=praksis")
    page.get_by_label("Udskriv også de arbejdsark (A4), kortene henviser til").check()
    page.wait_for_url("**ark=1**")
    shown = page.eval_on_selector_all(".vk-deck-sheet:not([hidden])", "els => els.map(e => e.dataset.sheet)")
    assert sorted(shown) == named
    pdf = tmp_path / "deck.pdf"
    pdf.write_bytes(page.pdf(prefer_css_page_size=True))
    sizes = pdf_pages(pdf)
    assert sizes[:len(chosen)] == [A5] * len(chosen)          # the cards, one A5 page each
    assert set(sizes[len(chosen):]) == {A4_PORTRAIT} and len(sizes) - len(chosen) >= len(named)
    sheets_text = " ".join("\f".join(pdf_text(pdf).split("\f")[len(chosen):]).split())
    from toolbox.plan import plan_site as plan
    titles = plan(ROOT).worksheets
    assert all(" ".join(titles[s].split()) in sheets_text for s in named)
    # Unticked, no worksheet prints.
    page.get_by_label("Udskriv også de arbejdsark (A4), kortene henviser til").uncheck()
    assert page.eval_on_selector_all(".vk-deck-sheet:not([hidden])", "els => els.length") == 0


def test_a_worksheet_page_prints_on_a4(page, site_url, tmp_path):
    pdf = print_pdf(page, site_url + "ark/persona/", tmp_path / "persona.pdf")
    assert set(pdf_pages(pdf)) == {A4_PORTRAIT}
    assert "Arbejdsark: Persona" in pdf_text(pdf)


def _clock(start: str, minutes: int) -> str:
    h, m = map(int, start.split(":"))
    t = (h * 60 + m + minutes) % (24 * 60)
    return f"{t // 60:02d}:{t % 60:02d}"


def test_a_day_plan_with_pauses_and_notes_prints_an_agenda_whose_times_add_up(page, site_url, tmp_path):
    """Cards, a pause and a free block with their own minutes and notes, from 09:30: each block's
    clock time is the start plus the minutes before it; the agenda page in front of the cards lists
    them with the notes and the cards' materials, once each; the link opens the same plan."""
    first, second = METHODS[2], METHODS[3]
    page.goto(site_url + "udskriv/plan/")
    page.get_by_label("Workshoppens navn").fill("Temadag for frivillige")
    page.get_by_label("Starttidspunkt").fill("09:30")
    page.get_by_label("Starttidspunkt").press("Tab")
    page.get_by_label("Tilføj et kort").select_option(first.slug)
    page.get_by_role("button", name="Tilføj", exact=True).click()
    page.get_by_role("button", name="Tilføj pause").click()
    page.get_by_label("Minutter til Pause (punkt 2)").fill("45")
    page.get_by_label("Minutter til Pause (punkt 2)").press("Tab")
    page.get_by_label("Noter til Pause (punkt 2)").fill("Frokost i kantinen")
    page.get_by_label("Noter til Pause (punkt 2)").press("Tab")
    page.get_by_role("button", name="Tilføj fri blok").click()
    page.get_by_label("Minutter til Fri blok (punkt 3)").fill("20")
    page.get_by_label("Minutter til Fri blok (punkt 3)").press("Tab")
    page.get_by_label("Noter til Fri blok (punkt 3)").fill("Opsamling og næste skridt")
    page.get_by_label("Noter til Fri blok (punkt 3)").press("Tab")
    page.get_by_label("Tilføj et kort").select_option(second.slug)
    page.get_by_role("button", name="Tilføj", exact=True).click()

    minutes = [first.meta["duration"]["min"], 45, 20, second.meta["duration"]["min"]]
    times = page.locator(".vk-plan-table tbody .vk-plan-time").all_inner_texts()
    elapsed = 0
    for shown, block in zip(times, minutes, strict=True):
        assert shown == f"{_clock('09:30', elapsed)}–{_clock('09:30', elapsed + block)}"
        elapsed += block
    assert page.locator(".vk-plan-caption").inner_text() == f"Start 09:30, slut {_clock('09:30', elapsed)}"
    assert page.locator(".vk-plan-total").inner_text().startswith(f"{elapsed} min")

    want = []
    for doc in (first, second):
        for item in doc.meta["materials"]:
            if item.casefold() not in {w.casefold() for w in want}:
                want.append(item)
    assert page.locator(".vk-plan-materials-list li").all_inner_texts() == want

    link = page.get_by_label("Link til planen (del det med en kollega)")
    assert link.input_value() == page.url
    other = page.context.new_page()
    other.goto(link.input_value())
    assert other.locator(".vk-plan-table tbody .vk-plan-time").all_inner_texts() == times
    assert other.get_by_label("Noter til Pause (punkt 2)").input_value() == "Frokost i kantinen"
    assert other.locator(".vk-plan-heading").inner_text() == "Plan: Temadag for frivillige"

    other.emulate_media(media="print")
    pause_bg = other.eval_on_selector(".vk-plan-block td", "e => getComputedStyle(e).backgroundColor")
    rule = other.eval_on_selector(".vk-plan-table thead th", "e => getComputedStyle(e).borderBottomWidth")
    assert pause_bg not in ("rgba(0, 0, 0, 0)", "transparent") and rule != "0px"   # a styled agenda
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(other.pdf(prefer_css_page_size=True, print_background=True))
    assert pdf_pages(pdf) == [A5] * 3                 # the agenda, then one page per card
    agenda, _, cards = pdf_text(pdf).partition("\f")
    flat = " ".join(agenda.split())
    for shown in times:
        assert shown in flat
    for text in ("Plan: Temadag for frivillige", "Pause", "Frokost i kantinen", "Fri blok",
                 "Opsamling og næste skridt", "Materialer til hele dagen", *want):
        assert " ".join(text.split()) in flat, text
    assert "Noter" not in flat.replace("Punkt og noter", "")   # no empty input boxes on paper
    assert " ".join(first.meta["title"].split()) in " ".join(cards.split())
    assert page.watch.errors == []


def test_the_workshop_plan_fits_a_phone_without_sideways_scrolling(browser, site_url):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    slugs = [d.slug for d in sorted(METHODS, key=lambda d: -len(d.meta["title"]))[:3]]
    notes = "%0A".join(["En+lang+note+om+hvem+der+gør+hvad+og+hvornår+i+denne+blok"] * 5)
    page.goto(site_url + f"udskriv/plan/?plan={slugs[0]}:30,_pause:15,{slugs[1]}:45,_fri:20,{slugs[2]}:60"
              f"&noter={notes}&titel=Workshop")
    page.locator(".vk-plan-table tbody tr").nth(4).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for control in ("Workshoppens navn", "Tilføj et kort", "Link til planen (del det med en kollega)",
                    "Noter til Pause (punkt 2)"):
        box = page.get_by_label(control).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, control
    page.close()
