"""The method chooser in a real browser: a situation in, the expected cards out; the answers in the
URL both ways; keyboard only; axe; 390 px; and the filter when no JavaScript runs."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from helpers import ROOT
from toolbox import chooser, model
from toolbox.loader import parse

DECK = [parse(f"methods/{p.name}", p.read_bytes(), model.METHOD)
        for p in sorted((ROOT / "methods").glob("[a-z0-9]*.md"))]
DOCS = {d.slug: d for d in DECK}
DATA = chooser.chooser_data(DECK)
EXAMPLE = {"fase": "ideudvikling", "tid": "45-90", "deltagere": "16-40", "maalgruppe": "borgere"}
QUERY = "?" + "&".join(f"{k}={v}" for k, v in EXAMPLE.items())
PAGES = ["", "metoder/"]


def ready(page):
    page.wait_for_selector(".vk-chooser[data-ready='1']", state="attached")


def shown(page) -> list[dict]:
    """The suggestions on screen: slug, title, why and watch-out, in order."""
    return page.eval_on_selector_all(".vk-chooser-list > li", """els => els.map(li => ({
        slug: li.dataset.slug, title: li.querySelector('h4').innerText,
        why: li.querySelector('.vk-choice-why .vk-choice-text').innerText,
        watch: li.querySelector('.vk-choice-watch .vk-choice-text').innerText,
        print: li.querySelector('.vk-choice-links a').getAttribute('href')}))""")


def form_state(page) -> dict:
    return page.evaluate("""() => { const f = document.querySelector('.vk-chooser-form');
        return {fase: f.elements.fase.value, tid: f.elements.tid.value, deltagere: f.elements.deltagere.value,
                maalgruppe: f.elements.maalgruppe.value}; }""")


def chooser_params(url: str) -> dict:
    q = parse_qs(urlparse(url).query)
    return {k: q[k][0] for k in chooser.KEYS if k in q}


@pytest.mark.parametrize("path", PAGES)
def test_a_situation_in_the_expected_cards_out(page, site_url, path):
    page.goto(site_url + path)
    ready(page)
    assert page.locator(".vk-chooser-list > li").count() == 0   # nothing answered, nothing suggested
    page.locator(".vk-chooser-form label.vk-chip", has_text="Idéudvikling").click()
    page.select_option("#vk-chooser-tid", "45-90")
    page.select_option("#vk-chooser-deltagere", "16-40")
    page.locator(".vk-chooser-form label.vk-chip", has_text="Borgere").click()
    assert form_state(page) == EXAMPLE
    assert chooser_params(page.url) == EXAMPLE
    got = shown(page)
    ranked = chooser.rank(DATA, EXAMPLE)
    assert [g["slug"] for g in got] == [r["slug"] for r in ranked[:chooser.SHORT_LIST]]
    assert [(g["why"], g["watch"]) for g in got] == [(r["why"], r["watch"]) for r in ranked[:chooser.SHORT_LIST]]
    # Derived from the cards, not from the ranking: every suggestion is for ideas and citizens, can be
    # done in 90 minutes (with a quarter's tolerance) and takes a group of 16-40.
    for g in got:
        m = DOCS[g["slug"]].meta
        assert "idéudvikling" in m["phases"] and "borgere" in m["audiences"]
        assert m["duration"]["min"] <= 90 * 1.25
        assert m["participants"]["max"] >= 16 * 0.8 and m["participants"]["min"] <= 40 * 1.25
        assert g["title"] == m["title"]
        assert g["why"].startswith("Passer til idéudvikling med borgere, ")
        assert g["watch"] == "Brug den ikke, når " + m["not_when"]
        assert g["print"].endswith(f"udskriv/?kort={g['slug']}")
    assert "brainwriting" in [g["slug"] for g in got]
    status = page.locator(".vk-chooser-status").inner_text()
    assert status == f"{len(ranked)} metoder passer. Her er de {chooser.SHORT_LIST} bedste."
    assert chooser_params(page.url) == EXAMPLE
    assert page.watch.errors == [] and page.watch.foreign == []


def test_a_stretch_is_named_in_the_watch_out_line(page, site_url):
    """Ideas with more than 40 citizens in 90 minutes: Brainwriting (6-3-5) is for at most 36 people,
    and says so instead of its 'not_when'."""
    page.goto(site_url + "?fase=ideudvikling&tid=45-90&deltagere=over-40&maalgruppe=borgere")
    ready(page)
    by = {g["slug"]: g for g in shown(page)}
    assert DOCS["brainwriting"].meta["participants"]["max"] == 36
    assert by["brainwriting"]["watch"] == "Passer til højst 36 deltagere; I er over 40 deltagere."
    assert "deltagere" not in by["brainwriting"]["why"]
    assert all(DOCS[s].meta["participants"]["max"] > 40 for s in by if s != "brainwriting")


@pytest.mark.parametrize("path", PAGES)
def test_the_url_holds_the_answers_both_ways(page, site_url, path):
    page.goto(site_url + path + QUERY)
    ready(page)
    assert form_state(page) == EXAMPLE
    assert [g["slug"] for g in shown(page)] == [r["slug"] for r in chooser.rank(DATA, EXAMPLE)[:chooser.SHORT_LIST]]
    page.select_option("#vk-chooser-tid", "1-3-timer")
    changed = {**EXAMPLE, "tid": "1-3-timer"}
    assert chooser_params(page.url) == changed
    assert [g["slug"] for g in shown(page)] == [r["slug"] for r in chooser.rank(DATA, changed)[:chooser.SHORT_LIST]]
    # The link reproduces the list in a new tab.
    other = page.context.new_page()
    other.goto(page.url)
    ready(other)
    assert form_state(other) == changed and shown(other) == shown(page)
    # Unanswering a question takes it out of the URL.
    page.locator(".vk-chooser-form label.vk-chip", has_text="Alle slags").click()
    assert "maalgruppe" not in chooser_params(page.url)


def test_on_metoder_the_filter_follows_the_chooser_and_the_chooser_the_filter(page, site_url):
    page.goto(site_url + "metoder/")
    ready(page)
    page.evaluate("document.querySelector('.vk-chooser').vkKept = true")
    page.select_option("#vk-chooser-deltagere", "over-40")
    page.wait_for_function("() => document.getElementById('metoder-deltagere-over-40').checked")
    assert page.evaluate("document.querySelector('.vk-chooser').vkKept === true"), "the page was loaded again"
    assert page.locator("#metoder-deltagere-over-40").is_checked()
    assert chooser_params(page.url) == {"deltagere": "over-40"}
    assert page.locator(".vk-status").inner_text().startswith("Viser ")
    page.locator("#metoder-fase-opfoelgning").check()
    assert form_state(page)["fase"] == "opfoelgning"
    assert all("opfølgning" in DOCS[g["slug"]].meta["phases"] for g in shown(page)[:1])
    page.locator("#metoder-deltagere-over-40").uncheck()
    assert form_state(page)["deltagere"] == ""
    assert page.watch.errors == []


def test_keyboard_only_from_the_first_question_to_the_first_suggestion(page, site_url):
    page.goto(site_url)
    ready(page)
    page.locator(".vk-chooser-form input[name=fase]").first.focus()
    for _ in range(3):                      # Alle faser -> Planlægning -> Afdækning -> Idéudvikling
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    assert form_state(page)["fase"] == "ideudvikling"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "vk-chooser-tid"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")        # Under 45 minutter -> 45–90 minutter
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")        # 1–5, 6–15, 16–40
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowRight")       # Alle slags -> Borgere
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    assert form_state(page) == EXAMPLE
    assert page.evaluate("document.activeElement.id") == "vk-chooser-results-heading"
    page.keyboard.press("Tab")
    first = chooser.rank(DATA, EXAMPLE)[0]["slug"]
    assert page.evaluate("document.activeElement.getAttribute('href')").endswith(f"metoder/{first}/")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/metoder/{first}/")


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_nothing_and_390_px_has_no_horizontal_scroll(page, site_url, path, width):
    from axe_playwright_python.sync_playwright import Axe

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site_url + path + QUERY)
    ready(page)
    assert page.locator(".vk-chooser-list > li").count() == chooser.SHORT_LIST
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    wide = page.eval_on_selector_all(".vk-chooser *", f"""els => els.filter(e => {{
        const r = e.getBoundingClientRect(); return r.width && (r.right > {width} + 1 || r.left < -1); }})
        .map(e => e.className || e.tagName)""")
    assert violations == []
    assert overflow <= 0
    assert wide == []


def test_without_javascript_the_form_opens_the_filter_with_the_answers(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url)
    page.locator(".vk-chooser-form label.vk-chip", has_text="Idéudvikling").click()
    page.select_option("#vk-chooser-tid", "45-90")
    page.select_option("#vk-chooser-deltagere", "16-40")
    page.locator(".vk-chooser-form label.vk-chip", has_text="Borgere").click()
    page.locator(".vk-chooser-form button[type=submit]").click()
    page.wait_for_url("**/metoder/?**")
    landed = page.url
    assert chooser_params(landed) == EXAMPLE
    context.close()
    # The URL is the filter's: opened where scripts run, the filter shows exactly the cards of those facets.
    from toolbox.facets import matches, method_facets
    with_js = browser.new_context()
    page = with_js.new_page()
    page.goto(landed)
    page.wait_for_selector(".vk-filter[data-ready]", state="attached")
    for key, value in EXAMPLE.items():
        assert page.locator(f"#metoder-{key}-{value}").is_checked()
    want = sorted(d.slug for d in DECK if matches(d, method_facets(), {k: {v} for k, v in EXAMPLE.items()}))
    got = sorted(page.eval_on_selector_all(".vk-list .vk-item", "els => els.map(e => e.dataset.slug)"))
    assert want and got == want
    with_js.close()


def test_print_the_card_prints_that_card_only(page, site_url):
    page.goto(site_url + QUERY)
    ready(page)
    first = shown(page)[0]
    page.locator(".vk-chooser-list > li").first.locator(".vk-choice-links a").click()
    page.wait_for_url(f"**/udskriv/?kort={first['slug']}")
    # Instant navigation swaps the page in: wait until the deck's status says one card.
    expect(page.locator(".vk-deck-status")).to_have_text("1 kort fra dit filter er klar til udskrift.")
    visible = page.eval_on_selector_all(".vk-deck-card:not([hidden])", "els => els.map(e => e.dataset.slug)")
    assert visible == [first["slug"]]
