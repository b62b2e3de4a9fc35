"""Finding a method: faceted filtering, URL state, navigation, no-JS and Danish search."""

from __future__ import annotations

import re

import pytest

from helpers import ROOT, next_paint, search, visit
from toolbox.facets import case_facets, matches, method_facets
from toolbox.plan import plan_site

INDEX = plan_site(ROOT).index
METHODS = sorted(INDEX.methods.values(), key=lambda d: d.slug)
CASES = sorted(INDEX.cases.values(), key=lambda d: d.slug)
FACETS = method_facets()


def expected(selection: dict[str, set[str]], docs=METHODS, facets=FACETS) -> list[str]:
    return sorted(d.slug for d in docs if matches(d, facets, selection))


def visible(page) -> list[str]:
    return sorted(page.eval_on_selector_all(".vk-item:not([hidden])", "els => els.map(e => e.dataset.slug)"))


def shows(page, want: list[str]) -> None:
    """Wait until the list shows exactly `want` (the filter redraws it after a change of address)."""
    try:
        page.wait_for_function("""want => JSON.stringify(Array.from(
            document.querySelectorAll('.vk-item:not([hidden])'), e => e.dataset.slug).sort()) === JSON.stringify(want)""",
                               arg=want, timeout=5000)
    except Exception:
        pass
    assert visible(page) == want


def settled(page) -> None:
    """Wait until the list shows what was asked for: /cases/ fetches its data file the first time the
    filter is used, and marks its results busy meanwhile."""
    page.wait_for_selector(".vk-results:not([aria-busy])", state="attached")


def checkbox(page, kind: str, facet: str, option: str):
    return page.locator(f"#{kind}-{facet}-{option}")


def count_of(page, kind: str, facet: str, option: str) -> int:
    text = page.locator(f"label[for='{kind}-{facet}-{option}'] .vk-count").inner_text()
    return int(text.strip("()"))


def test_the_issue_example_samskabelse_under_45_borgere(page, site_url):
    page.goto(site_url + "metoder/")
    for facet, option in (("tilgang", "samskabelse"), ("tid", "under-45"), ("maalgruppe", "borgere")):
        checkbox(page, "metoder", facet, option).check()
    want = expected({"tilgang": {"samskabelse"}, "tid": {"under-45"}, "maalgruppe": {"borgere"}})
    assert want, "the example should match at least one card"
    assert visible(page) == want
    assert page.locator(".vk-status").inner_text() == f"Viser {len(want)} af {len(METHODS)} metoder"
    assert "tilgang=samskabelse" in page.url and "tid=under-45" in page.url and "maalgruppe=borgere" in page.url
    # The URL reproduces the view in a new tab.
    other = page.context.new_page()
    other.goto(page.url)
    assert visible(other) == want
    assert checkbox(other, "metoder", "tid", "under-45").is_checked()
    assert page.watch.errors == [] and page.watch.foreign == []


@pytest.mark.parametrize("facet", FACETS, ids=lambda f: f.id)
def test_each_facet_option_narrows_to_exactly_the_matching_cards_and_shows_its_count(page, site_url, facet):
    page.goto(site_url + "metoder/")
    for option, _label in facet.options:
        want = expected({facet.id: {option}})
        assert count_of(page, "metoder", facet.id, option) == len(want), option
        box = checkbox(page, "metoder", facet.id, option)
        box.check()
        assert visible(page) == want, option
        zero = page.locator(f"label[for='metoder-{facet.id}-{option}']").evaluate(
            "l => l.parentNode.classList.contains('vk-zero')")
        assert zero == (len(want) == 0)
        box.uncheck()
    assert len(visible(page)) == len(METHODS)


def test_or_within_a_facet_and_counts_follow_the_other_facets(page, site_url):
    page.goto(site_url + "metoder/?tilgang=samskabelse,almindelig-opgaveloesning")
    assert visible(page) == expected({"tilgang": {"samskabelse", "almindelig-opgaveloesning"}})
    phases = next(f for f in FACETS if f.id == "fase")
    for option, _ in phases.options:  # counts given the chosen approaches
        want = expected({"tilgang": {"samskabelse", "almindelig-opgaveloesning"}, "fase": {option}})
        assert count_of(page, "metoder", "fase", option) == len(want)
    # A count on the same facet says what ticking it would add (OR within the facet).
    want = expected({"tilgang": {"samskabelse", "almindelig-opgaveloesning", "inddragelse"}})
    assert count_of(page, "metoder", "tilgang", "inddragelse") == len(expected({"tilgang": {"inddragelse"}}))
    checkbox(page, "metoder", "tilgang", "inddragelse").check()
    assert visible(page) == want


def test_free_text_and_reset(page, site_url):
    page.goto(site_url + "metoder/")
    page.fill("#metoder-q", "rollespil")
    page.wait_for_function("() => document.querySelector('.vk-status').textContent.startsWith('Viser')")
    shown = visible(page)
    assert "rollespil-som-facilitering" in shown and len(shown) < len(METHODS)
    assert "q=rollespil" in page.url
    page.get_by_role("button", name="Nulstil", exact=True).click()
    assert len(visible(page)) == len(METHODS)
    assert "?" not in page.url
    assert page.locator("#metoder-q").input_value() == ""


def test_back_and_forward_restore_the_filter(page, site_url):
    page.goto(site_url + "metoder/")
    checkbox(page, "metoder", "tilgang", "samskabelse").check()
    first = visible(page)
    checkbox(page, "metoder", "svaerhed", "let").check()
    second = visible(page)
    assert first != second
    page.go_back()
    page.wait_for_function("() => !location.search.includes('svaerhed')")
    shows(page, first)
    assert not checkbox(page, "metoder", "svaerhed", "let").is_checked()
    page.go_forward()
    page.wait_for_function("() => location.search.includes('svaerhed')")
    shows(page, second)


def test_navigating_from_the_front_page_attaches_the_filter(fresh_page, site_url):
    """A link from the front page loads /metoder/ with its own script, and no page fetches the
    sitemap (Material's instant navigation, which would, is off: see mkdocs.yml)."""
    page = fresh_page   # it counts the requests: no listener on the shared tab, no cache
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    visit(page, site_url)
    page.locator(".md-nav--primary").get_by_role("link", name="Metoder", exact=True).first.click()
    page.wait_for_url(re.compile(r".*/metoder/$"))
    page.wait_for_selector(".vk-filter[data-ready]", state="attached")
    assert visible(page) == sorted(d.slug for d in METHODS)
    assert page.locator("noscript").count() == 0
    assert any(u.endswith("/assets/js/filter.js") for u in requested)
    assert not any("sitemap" in u for u in requested), [u for u in requested if "sitemap" in u]
    checkbox(page, "metoder", "tilgang", "samskabelse").check()
    assert visible(page) == expected({"tilgang": {"samskabelse"}})
    assert page.watch.errors == []


def test_without_javascript_the_page_is_the_complete_list(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(site_url + "metoder/?tilgang=samskabelse")
    assert len(visible(pg)) == len(METHODS)
    assert not pg.locator(".vk-facets").is_visible()
    assert pg.locator(".vk-item h2 a").count() == len(METHODS)
    context.close()


SHIFTS = """window.__shifts = [];
new PerformanceObserver(list => { for (const e of list.getEntries()) window.__shifts.push(e.value); })
  .observe({type: "layout-shift", buffered: true});"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", ["cases/", "metoder/"])
def test_nothing_moves_when_the_filter_attaches(browser, site_url, path, width):
    """The facet form and the first items are in the page from the first paint: attaching the
    filter shifts no layout, on a phone (facets folded) or a desktop (facets open)."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    pg = context.new_page()
    pg.add_init_script(SHIFTS)
    visit(pg, site_url + path)
    pg.wait_for_selector(".vk-filter[data-ready]", state="attached")
    next_paint(pg)
    assert pg.evaluate("window.__shifts") == []
    assert pg.locator(".vk-facets").is_visible()
    details_open = pg.evaluate("document.querySelector('.vk-facet-details').open")
    assert details_open == (width >= 800)
    assert pg.locator(".vk-facet").first.is_visible() == (width >= 800)
    context.close()


def test_keyboard_alone_operates_the_filter(page, site_url):
    page.goto(site_url + "metoder/")
    page.locator("#metoder-q").focus()
    page.keyboard.press("Tab")
    first, second = FACETS[0].options[0][0], FACETS[0].options[1][0]
    assert page.evaluate("document.activeElement.id") == f"metoder-{FACETS[0].id}-{first}"
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert visible(page) == expected({FACETS[0].id: {second}})
    assert page.evaluate("getComputedStyle(document.activeElement.nextElementSibling).outlineStyle") != "none"


def test_status_is_announced_to_screen_readers(page, site_url):
    page.goto(site_url + "metoder/?fase=afproevning")
    status = page.locator(".vk-status")
    assert status.get_attribute("role") == "status"
    assert status.inner_text() == f"Viser {len(expected({'fase': {'afproevning'}}))} af {len(METHODS)} metoder"


def test_print_link_carries_the_filter(page, site_url):
    page.goto(site_url + "metoder/?tilgang=samskabelse&tid=under-45")
    link = page.locator("#vk-print-shown")
    want = expected({"tilgang": {"samskabelse"}, "tid": {"under-45"}})
    assert link.inner_text() == f"Udskriv de {len(want)} viste kort"
    link.click()
    page.wait_for_url(re.compile(r".*/udskriv/\?tilgang=samskabelse&tid=under-45"))
    page.wait_for_selector(".vk-deck[data-ready]")
    shown = sorted(page.eval_on_selector_all(".vk-deck-card:not([hidden])", "els => els.map(e => e.dataset.slug)"))
    assert shown == want


def test_case_filter_by_municipality_and_method(page, site_url):
    facets = case_facets(CASES, INDEX.methods)
    page.goto(site_url + "cases/")
    assert len(visible(page)) == len(CASES)
    for facet in facets:
        for option, _ in facet.options:
            want = expected({facet.id: {option}}, CASES, facets)
            assert count_of(page, "cases", facet.id, option) == len(want), (facet.id, option)
    checkbox(page, "cases", "kommune", "kolding").check()
    settled(page)
    assert visible(page) == expected({"kommune": {"kolding"}}, CASES, facets)
    assert len(visible(page)) == 2
    checkbox(page, "cases", "kommune", "koege").check()   # the data is there now: at once
    assert visible(page) == expected({"kommune": {"kolding", "koege"}}, CASES, facets)


@pytest.mark.parametrize("query,expected_url", [
    ("borgerne", "metoder/"),            # "borgerne" finds pages that say "borger"
    ("inddragelsen", "metoder/"),        # "inddragelsen" finds "inddragelse"
    ("Hedensted", "cases/hedensted-fra-vejledning-til-coaching/"),
    ("stationer", "metoder/traening-paa-stationer/"),
])
def test_danish_search_finds_inflected_forms(page, site_url, query, expected_url):
    visit(page, site_url)
    search(page, query)
    hrefs = page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.getAttribute('href'))")
    assert any(expected_url in h for h in hrefs), hrefs
    kinds = page.eval_on_selector_all(
        ".md-search-result__link",
        "els => els.filter(e => e.querySelector('.vk-kind')).map(e => [e.getAttribute('href'), "
        "e.querySelector('.vk-kind').textContent])")
    assert kinds, "every page result says what kind of page it is"
    for href, kind in kinds:
        path = href.split("?")[0]
        want = "Metode" if "/metoder/" in path and not path.endswith("/metoder/") else \
            "Case" if "/cases/" in path and not path.endswith("/cases/") else "Side"
        assert kind == want, (href, kind)
    assert page.watch.foreign == []


def test_long_lists_show_the_first_hundred_and_vis_flere_shows_the_rest(browser, tmp_path):
    """With many cases the page keeps at most 100 results on screen, so a facet change stays cheap;
    counts still cover every match, and "Vis flere" shows the next ones."""
    from helpers import built_and_served
    import benchmark as bench

    project = bench.make_project(tmp_path / "project", cases=130)
    with built_and_served(project, tmp_path / "site") as url:
        page = browser.new_page()
        requested = []
        page.on("request", lambda r: requested.append(r.url))
        visit(page, url + "cases/")
        # Only the first hundred are in the page; the rest wait in the filter's data file, which is
        # fetched only when the list or the filter is used.
        assert page.locator(".vk-item").count() == 100
        assert not any("case-filter.json" in u for u in requested)
        # The list the script makes lines up with the status line above it.
        lefts = page.evaluate("() => ['.vk-status', '.vk-list > li'].map(s => "
                              "Math.round(document.querySelector(s).getBoundingClientRect().left))")
        assert lefts[0] == lefts[1], lefts
        assert len(visible(page)) == 100
        assert page.locator(".vk-status").inner_text() == "130 cases – de første 100 vises"
        more = page.get_by_role("button", name="Vis flere (30 mere)")
        more.click()
        settled(page)
        assert len(visible(page)) == 130 and not more.is_visible()
        assert any("case-filter.json" in u for u in requested)
        n = count_of(page, "cases", "tilgang", "samskabelse")
        checkbox(page, "cases", "tilgang", "samskabelse").check()
        assert len(visible(page)) == min(n, 100)
        page.close()
        # Without JavaScript: the first hundred, and the list pages hold the rest, in title order.
        context = browser.new_context(java_script_enabled=False)
        pg = context.new_page()
        pg.goto(url + "cases/")
        assert not pg.locator(".vk-facets").is_visible()
        seen = [pg.eval_on_selector_all(".vk-item", "els => els.map(e => e.dataset.slug)")]
        assert pg.locator(".vk-status").inner_text() == "130 cases – de første 100 vises"
        pg.get_by_role("link", name="Næste side").click()
        pg.wait_for_url(url + "cases/side/2/")
        assert pg.locator("h1").inner_text() == "Alle cases, side 2 af 2"
        seen.append(pg.eval_on_selector_all(".vk-item", "els => els.map(e => e.dataset.slug)"))
        assert [len(s) for s in seen] == [100, 30]
        titles = pg.eval_on_selector_all(".vk-item h2 a", "els => els.map(e => e.textContent)")
        assert titles == sorted(titles, key=str.casefold)
        assert sorted(seen[0] + seen[1]) == sorted(p.stem for p in (project / "cases").glob("*.md")
                                                   if not p.name.startswith("_"))
        pg.get_by_role("link", name="Forrige side").click()
        pg.wait_for_url(url + "cases/")
        context.close()
        # The overview with its list-page links and a list page pass axe.
        from axe_playwright_python.sync_playwright import Axe
        for path in ("cases/", "cases/side/2/"):
            pg = browser.new_page()
            visit(pg, url + path)
            if path == "cases/":
                pg.evaluate("document.querySelector('.vk-pager').hidden = false")   # as without JavaScript
            results = Axe().run(pg, options={"resultTypes": ["violations"]})
            assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]] == []
            pg.close()
