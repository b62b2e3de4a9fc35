"""Printing from where cards are found: a method card's search result has an "Udskriv" link that
prints exactly that card, and the chooser's short list prints exactly its cards or opens a workshop
plan already filled in with them, whose times add up. From the keyboard, at 390 px, in Danish."""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from helpers import ROOT, need, pdf_pages, search, visit
from toolbox import chooser
from toolbox.plan import plan_site

METHODS = plan_site(ROOT).index.methods
DATA = chooser.chooser_data(list(METHODS.values()))
SITUATION = {"fase": "ideudvikling", "tid": "45-90", "deltagere": "16-40", "maalgruppe": "borgere"}
QUERY = "?" + "&".join(f"{k}={v}" for k, v in SITUATION.items())
A5 = (420, 595)




def pdf_text(pdf: Path) -> str:
    return " ".join(subprocess.run([need("pdftotext"), "-layout", str(pdf), "-"],
                                   capture_output=True, text=True).stdout.split())


def flat(text: str) -> str:
    return " ".join(text.split())


def deck_ready(page, count: int) -> None:
    """The deck has chosen its cards (filter.js) and print.js has laid them out."""
    expect(page.locator(".vk-deck-status")).to_have_text(f"{count} kort fra dit filter er klar til udskrift.")
    page.wait_for_function("() => document.querySelector('.vk-deck[data-chosen][data-print-ready]')")
    page.evaluate("document.fonts.ready")


def printed_titles(page, tmp_path: Path) -> tuple[list[str], str, list[tuple[int, int]]]:
    """What print shows: the titles of the deck's cards visible in print media, the PDF's text and
    its page sizes."""
    page.emulate_media(media="print")
    titles = page.eval_on_selector_all(
        ".vk-deck-card", "els => els.filter(e => e.getClientRects().length).map(e => e.querySelector('.vk-deck-title').innerText)")
    pdf = tmp_path / "print.pdf"
    pdf.write_bytes(page.pdf(prefer_css_page_size=True))
    page.emulate_media(media="screen")
    return titles, pdf_text(pdf), pdf_pages(pdf)


# ---------------------------------------------------------------------------------------------
# Search results

def test_a_method_result_prints_exactly_that_card_from_the_keyboard(page, site_url, tmp_path):
    doc = METHODS["brainwriting"]
    title = doc.meta["title"]
    visit(page, site_url)
    search(page, "brainwriting")
    result = page.locator(".md-search-result__item").filter(
        has=page.locator(f".md-search-result__link[href$='/metoder/{doc.slug}/']"))
    link = result.get_by_role("link", name=f"Udskriv kortet: {title}")
    expect(link).to_be_visible()
    assert "Udskriv" not in result.locator(".md-search-result__link").inner_text()   # not the page's button text
    # What is seen is "Udskriv" (the title is for screen readers), and it begins the accessible name.
    seen = link.evaluate("a => Array.from(a.childNodes).filter(n => n.nodeType === 3 || "
                         "n.getBoundingClientRect().width > 1).map(n => n.textContent).join('')")
    assert seen == "Udskriv"
    # Only method cards have one: cases and help pages are not printed as cards.
    for item in page.locator(".md-search-result__item").all():
        href = item.locator(".md-search-result__link").get_attribute("href")
        assert item.locator(".vk-search-print").count() == (1 if "/metoder/" in href and href.rstrip("/").split("/")[-1]
                                                            in METHODS else 0), href
    # Tab from the result's own link reaches it; its focus is visible; Enter follows it.
    result.locator(".md-search-result__link").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == f"Udskriv kortet: {title}"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/udskriv/?kort={doc.slug}")
    deck_ready(page, 1)
    titles, text, pages = printed_titles(page, tmp_path)
    assert titles == [title]
    assert pages == [A5] and flat(title) in text and flat(doc.meta["description"])[:40] in text
    other = next(d for s, d in METHODS.items() if s != doc.slug)
    assert flat(other.meta["title"]) not in text
    assert page.watch.errors == []


def test_the_print_link_of_a_result_fits_a_phone(page, site_url):
    from axe_playwright_python.sync_playwright import Axe

    page.set_viewport_size({"width": 390, "height": 844})
    visit(page, site_url)
    search(page, "samtale")
    links = page.locator(".vk-search-print a")
    assert links.count() >= 2
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    results = Axe().run(page, context=".vk-search-print", options={"resultTypes": ["violations"]})
    assert [v["id"] for v in results.response["violations"]] == []


# ---------------------------------------------------------------------------------------------
# The chooser's short list

def short_list(page) -> list[str]:
    page.wait_for_selector(".vk-chooser[data-ready='1']", state="attached")
    return page.eval_on_selector_all(".vk-chooser-list > li", "els => els.map(li => li.dataset.slug)")


@pytest.mark.parametrize("path", ["", "metoder/"])
def test_print_these_cards_prints_exactly_the_short_list(page, site_url, tmp_path, path):
    page.goto(site_url + path + QUERY)
    slugs = short_list(page)
    assert slugs == [r["slug"] for r in chooser.rank(DATA, SITUATION)[:chooser.SHORT_LIST]]
    button = page.get_by_role("link", name="Udskriv disse kort")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/udskriv/?kort=*")
    assert parse_qs(urlparse(page.url).query)["kort"] == [",".join(slugs)]
    deck_ready(page, len(slugs))
    titles, text, pages = printed_titles(page, tmp_path)
    want = [METHODS[s].meta["title"] for s in slugs]
    assert sorted(titles) == sorted(want)                    # the deck prints in title order
    assert pages == [A5] * len(slugs)
    for title in want:
        assert flat(title) in text
    assert page.watch.errors == []


def _clock(start: str, minutes: int) -> str:
    h, m = map(int, start.split(":"))
    t = (h * 60 + m + minutes) % (24 * 60)
    return f"{t // 60:02d}:{t % 60:02d}"


def test_a_plan_from_the_short_list_starts_filled_in_with_its_cards_in_order(page, site_url, tmp_path):
    page.goto(site_url + QUERY)
    slugs = short_list(page)
    page.get_by_role("link", name="Lav en workshopplan med disse kort").click()
    page.wait_for_url("**/udskriv/plan/?plan=*")
    rows = page.locator(".vk-plan-table tbody tr")
    expect(rows).to_have_count(len(slugs))
    # The cards as blocks, in the short list's order, each with its card's shortest time.
    assert page.locator(".vk-plan-table tbody .vk-plan-what a").all_inner_texts() == \
        [METHODS[s].meta["title"] for s in slugs]
    minutes = [METHODS[s].meta["duration"]["min"] for s in slugs]
    assert [int(v) for v in page.locator(".vk-plan-minutes").evaluate_all("els => els.map(e => e.value)")] == minutes
    elapsed = 0
    for shown, block in zip(page.locator(".vk-plan-time").all_inner_texts(), minutes, strict=True):
        assert shown == f"{_clock('09:00', elapsed)}–{_clock('09:00', elapsed + block)}"
        elapsed += block
    assert page.locator(".vk-plan-total").inner_text().startswith(f"{elapsed} min")
    assert page.locator(".vk-plan-caption").inner_text() == f"Start 09:00, slut {_clock('09:00', elapsed)}"
    # The deck under the plan holds exactly those cards, in plan order; the share link is this plan.
    shown = page.eval_on_selector_all(".vk-deck-card:not([hidden])", "els => els.map(e => e.dataset.slug)")
    assert shown == slugs
    assert page.get_by_label("Link til planen (del det med en kollega)").input_value() == page.url
    titles, text, pages = printed_titles(page, tmp_path)
    assert titles == [METHODS[s].meta["title"] for s in slugs]
    assert pages == [A5] * (len(slugs) + 1)                  # the agenda, then one page per card
    assert page.watch.errors == []


def test_without_a_short_list_there_is_nothing_to_print(page, site_url):
    page.goto(site_url)
    assert short_list(page) == []
    expect(page.get_by_role("link", name="Udskriv disse kort")).to_be_hidden()
    expect(page.get_by_role("link", name="Lav en workshopplan med disse kort")).to_be_hidden()
    # Answered, the list and its links appear; answered away again, both go.
    page.locator(".vk-chooser-form label.vk-chip", has_text="Idéudvikling").click()
    expect(page.get_by_role("link", name="Udskriv disse kort")).to_be_visible()
    page.locator(".vk-chooser-form label.vk-chip", has_text="Alle faser").click()
    expect(page.get_by_role("link", name="Udskriv disse kort")).to_be_hidden()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_short_lists_links_fit_and_pass_axe(page, site_url, width):
    from axe_playwright_python.sync_playwright import Axe

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site_url + "metoder/" + QUERY)
    assert short_list(page)
    for name in ("Udskriv disse kort", "Lav en workshopplan med disse kort"):
        box = page.get_by_role("link", name=name).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, name
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    results = Axe().run(page, context=".vk-chooser-actions", options={"resultTypes": ["violations"]})
    assert [v["id"] for v in results.response["violations"]] == []
