"""The site search in a real browser: Danish queries in the header and in the overview boxes (one
engine, the same pages), results people can use, keys, shared links and what loads when."""

from __future__ import annotations

import pytest

from helpers import ROOT, search, search_results, visit

# Danish as people type it: inflected forms (definite, plural, genitive), words without æ, ø, å
# or accents, and prefixes while typing. Each query must find its page among the first five
# results, in the header search and, for a method card or a case, in its overview's box.
FINDS = [
    ("borgerpanelet", "/metoder/borgerpanel/"),
    ("borgerpaneler", "/metoder/borgerpanel/"),
    ("fremtidsværksteder", "/metoder/fremtidsvaerksted/"),
    ("fremtidsvaerkstedet", "/metoder/fremtidsvaerksted/"),
    ("cafe", "/metoder/world-cafe/"),
    ("caféen", "/metoder/world-cafe/"),
    ("rollespillet", "/metoder/rollespil-som-facilitering/"),
    ("interviewene", "/metoder/semistruktureret-interview/"),
    ("spoergeskemaet", "/metoder/spoergeskema/"),
    ("dialogbordene", "/metoder/dialogborde/"),
    ("aabent moede", "/metoder/aabent-foerste-moede/"),
    ("abent", "/metoder/aabent-foerste-moede/"),
    ("borgerbud", "/metoder/borgerbudget/"),
    ("prototypete", "/metoder/prototypetest-med-borgere/"),
    ("legepladsen", "/cases/billund-fremtidens-legeplads/"),
    ("borgerinddragelseskorpset", "/cases/koege-borgerinddragelseskorps/"),
    ("Køges", "/cases/koege-borgerinddragelseskorps/"),
    ("koege", "/cases/koege-borgerinddragelseskorps/"),
    ("Hedensteds", "/cases/hedensted-fra-vejledning-til-coaching/"),
    ("coachingen", "/cases/hedensted-fra-vejledning-til-coaching/"),
    ("traeningsbanen", "/cases/kolding-traeningsbanen/"),
    ("Koldings", "/cases/kolding-sammen-designer-vi-livet/"),
]
FINDS_NOTHING = ["kvantefysik", "xyzzy", "qwertyuiop"]
OVERVIEW = {"metoder": "metoder/", "cases": "cases/"}


def overview_results(page, kind: str, query: str) -> list[str]:
    """The items the open overview's box shows for a query, in order, as paths."""
    page.fill(f"#{kind}-q", query)
    page.wait_for_function("q => document.querySelector('.vk-filter').dataset.query === q", arg=query)
    return page.eval_on_selector_all(".vk-item a", "els => els.map(e => new URL(e.href).pathname)")


# Each test opens one page: the overview, whose box is asked first, then the header search on the
# same page (the header is the same on every page, and the page loads Pagefind once for both).

@pytest.mark.parametrize("query,path", FINDS)
def test_a_danish_query_finds_its_page_in_the_first_five_in_both_boxes(page, site_url, query, path):
    kind = path.strip("/").split("/")[0]
    visit(page, site_url + OVERVIEW[kind])
    listed = overview_results(page, kind, query)
    assert path in listed[:5], (query, listed[:5])
    search(page, query)
    assert path in search_results(page)[:5], (query, search_results(page)[:5])


@pytest.mark.parametrize("query", FINDS_NOTHING)
def test_a_query_for_what_the_toolbox_does_not_hold_finds_nothing(page, site_url, query):
    visit(page, site_url + OVERVIEW["metoder"])
    assert overview_results(page, "metoder", query) == []
    assert page.locator(".vk-empty").is_visible()
    search(page, query)
    assert search_results(page) == []
    assert page.locator(".md-search-result__meta").inner_text() == "Ingen resultater fundet"


@pytest.mark.parametrize("query", ["borgere", "samtale", "kolding", "workshop", "inddragelsen"])
def test_the_header_and_the_overviews_give_the_same_pages_for_the_same_words(page, site_url, query):
    """The header lists the best pages of every kind; its method cards (and cases) come in the
    same order as the first items of the overview's list."""
    header = None
    for kind in OVERVIEW:
        visit(page, site_url + OVERVIEW[kind])
        listed = overview_results(page, kind, query)
        if header is None:
            search(page, query)
            header = search_results(page)
            assert header
        mine = [p for p in header if p.startswith(f"/{kind}/") and p != f"/{kind}/"]
        assert listed[:len(mine)] == mine, (kind, mine, listed[:len(mine)])


def test_results_say_what_they_are_and_mark_the_words_in_a_clean_excerpt(page, site_url):
    visit(page, site_url)
    search(page, "borgerpanelet")
    first = page.locator(".md-search-result__item").first
    assert first.locator(".vk-kind").text_content() == "Metode"
    assert "Borgerpanel" in first.locator("h1").inner_text()
    excerpt = first.locator("p")
    assert excerpt.locator("mark").count() >= 1
    assert excerpt.locator("mark").first.inner_text().lower().startswith("borgerpanel")
    text = excerpt.inner_text()
    assert "Tid 1" not in text and "Deltagere 2" not in text, "no run-together facts table"
    kinds = page.eval_on_selector_all(".vk-kind", "els => els.map(e => e.textContent)")
    assert set(kinds) <= {"Metode", "Case", "Side"}


def test_method_cards_and_cases_come_before_help_pages_for_the_same_word(page, site_url):
    visit(page, site_url)
    search(page, "workshops")
    kinds = page.eval_on_selector_all(".md-search-result__item .vk-kind", "els => els.map(e => e.textContent)")
    assert kinds[0] in ("Metode", "Case") and "Side" in kinds
    assert kinds.index("Side") > 0


def test_a_shared_link_with_a_query_opens_the_overview_with_it_and_no_overlay(page, site_url):
    visit(page, site_url + "metoder/?q=cafe")
    page.wait_for_function("() => document.querySelector('.vk-filter').dataset.query === 'cafe'")
    assert page.locator("#metoder-q").input_value() == "cafe"
    shown = page.eval_on_selector_all(".vk-item", "els => els.map(e => e.dataset.slug)")
    assert shown[0] == "world-cafe"
    assert not page.locator("#__search").is_checked()
    assert not page.locator(".md-search__output").is_visible()
    assert page.locator(".md-search__input").input_value() == ""


def test_the_overview_box_and_the_facets_combine_and_counts_follow(page, site_url):
    visit(page, site_url + "metoder/")
    page.fill("#metoder-q", "samtale")
    page.wait_for_function("() => document.querySelector('.vk-filter').dataset.query === 'samtale'")
    items = page.eval_on_selector_all(".vk-item", "els => els.map(e => e.dataset.tilgang.split(' '))")
    assert 0 < len(items) < 54
    for option in ("inddragelse", "samskabelse", "almindelig-opgaveloesning"):
        want = sum(1 for values in items if option in values)
        label = page.locator(f"label[for='metoder-tilgang-{option}'] .vk-count").inner_text()
        assert int(label.strip("()")) == want, option
    page.locator("#metoder-tilgang-inddragelse").check()
    page.wait_for_function("() => document.querySelector('.vk-status').textContent.startsWith('Viser')")
    narrowed = page.eval_on_selector_all(".vk-item", "els => els.map(e => e.dataset.tilgang)")
    assert narrowed and all("inddragelse" in t.split(" ") for t in narrowed)
    assert "q=samtale" in page.url and "tilgang=inddragelse" in page.url


def test_the_keys_of_materials_search_work(page, site_url):
    visit(page, site_url + "om/")
    page.keyboard.press("/")
    field = page.locator(".md-search__input")
    assert page.evaluate("() => document.activeElement.classList.contains('md-search__input')")
    field.press_sequentially("samtale", delay=30)   # a word several cards share
    page.wait_for_function("() => document.querySelector('.md-search-result').dataset.query === 'samtale'")
    assert len(search_results(page)) >= 2
    page.keyboard.press("ArrowDown")
    first = page.evaluate("() => new URL(document.activeElement.href).pathname")
    page.keyboard.press("ArrowDown")
    second = page.evaluate("() => new URL(document.activeElement.href).pathname")
    assert first != second and [first, second] == search_results(page)[:2]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("() => document.activeElement.classList.contains('md-search__input')")
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()
    page.keyboard.press("s")
    assert page.locator("#__search").is_checked()
    page.keyboard.press("Enter")   # the first result
    page.wait_for_url("**" + first)
    # Instant navigation changes the URL before it swaps the page in; then the dialog closes.
    page.wait_for_function("() => !document.getElementById('__search').checked")
    assert "amtale" in page.locator(".md-content h1").first.inner_text()
    assert page.watch.errors == [] and page.watch.foreign == []


def test_nothing_of_the_search_loads_before_it_is_used(fresh_page, site_url):
    """A page loads no index: Pagefind and its chunks come when the search is opened or typed in."""
    page = fresh_page   # it counts the requests: no listener on the shared tab, no cache
    loaded = []
    page.on("request", lambda r: loaded.append(r.url))
    visit(page, site_url + "cases/")
    assert not [u for u in loaded if "/pagefind/" in u or "/search/" in u]
    search(page, "koege")
    assert [u for u in loaded if u.endswith(".pf_meta")] and [u for u in loaded if u.endswith(".pf_index")]
    assert page.watch.foreign == []


def test_without_javascript_the_header_shows_no_search_that_cannot_work(browser, site_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_url + "metoder/")
    assert not page.locator(".md-search__input").is_visible()
    assert not page.locator("label.md-header__button[for='__search']").is_visible()
    assert page.locator(".vk-item").count() > 0   # the overview lists everything instead
    context.close()


def test_a_method_result_shows_its_phases_as_the_card_does(page, site_url):
    """The card identity reaches the search results: each method card's phases, by name (not colour
    alone) and in their colour class, as on the card and the overview."""
    from toolbox import vocab
    from toolbox.plan import plan_site
    methods = plan_site(ROOT).index.methods
    visit(page, site_url)
    search(page, "samtale")
    found = page.eval_on_selector_all(
        ".md-search-result__link",
        "els => els.map(e => [new URL(e.href).pathname, Array.from(e.querySelectorAll('.vk-search-phases .vk-badge'),"
        " b => [b.textContent, b.className])])")
    cards = [(path, badges) for path, badges in found if path.startswith("/metoder/")]
    assert len(cards) >= 2
    phases = vocab.load("phases")
    for path, badges in cards:
        doc = methods[path.split("/")[2]]
        assert badges == [[phases.label_of(v), f"vk-badge vk-phase-{phases.get(v).slug}"] for v in doc.meta["phases"]]
