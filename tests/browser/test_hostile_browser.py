"""The hostile corpus in a real browser: built without --strict (so rejected files get their error
pages) and served on 127.0.0.1, no page of any kind opens a dialog, throws a script error or makes
a request to another host, even when its hostile links are clicked and a hostile word is searched.

The resource-exhaustion files are left out here: they are about the validator and the build, which
tests/test_hostile.py bounds; everything else of the corpus is installed.
"""

from __future__ import annotations

import pytest

from helpers import free_port, next_paint, project_copy, search, served, visit
from hostile.corpus import build, install, install_companion, load_manifest

ENTRIES = [e for e in load_manifest() if e.cls != "resource"]

# One page of each kind: what an accepted method and case look like, the error pages of rejected
# files, a page whose file the validator accepted with a link the sanitiser must have cleaned, a
# municipality page and the catalogues, print sheet and tag index that list every accepted file.
PAGES = {
    "metode": "metoder/gyldig-tilladte-tags/",
    "case": "cases/koege-gyldig-inline-kode/",
    "formel-i-titel": "metoder/formel-hyperlink/",
    "fejlside-img": "cases/koege-img-onerror/",
    "fejlside-script": "metoder/script-tag/",
    "fejlside-bidi": "cases/koege-bidi-broedtekst/",
    "tabulator-i-link": "cases/koege-tabulator-i-skema/",
    "protokolrelativt-link": "cases/koege-a-protokolrelativ/",
    "kommune": "kommuner/koege/",
    "metoder": "metoder/",
    "cases": "cases/",
    "udskriv": "udskriv/",
    "emneord": "emneord/",
}

# Every link in the article whose address a browser would run or send elsewhere: clicked, so a
# javascript: the sanitiser missed (spelt with a tab, an entity, capitals) gets its chance to run.
CLICK_SUSPICIOUS = """() => {
  const hits = [];
  for (const a of document.querySelectorAll('article a[href]')) {
    // as a browser's URL parser reads it: ends trimmed of controls and spaces, tab and line breaks gone
    const raw = a.getAttribute('href').replace(/^[\\u0000-\\u0020]+|[\\u0000-\\u0020]+$/g, '')
      .replace(/[\\t\\n\\r]/g, '').toLowerCase();
    if (/^(javascript|vbscript|data):/.test(raw)) { hits.push(raw); a.click(); }
  }
  return hits;
}"""


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    """The corpus (less the exhaustion files) built without --strict for its own port, and served."""
    tmp = tmp_path_factory.mktemp("hostile-browser")
    project = project_copy(tmp)
    install(project, ENTRIES, tmp / "outside")
    install_companion(project)
    port = free_port()
    out = tmp / "site"
    run = build(project, out, site_url=f"http://127.0.0.1:{port}/", timeout=180)
    assert not run.timed_out and run.returncode == 0, run.describe()
    with served(out, port) as url:
        yield url


def shown(page, query: str) -> None:
    """Wait until the header search shows its results for `query`, and they are painted."""
    page.wait_for_function("q => document.querySelector('.md-search-result').dataset.query === q", arg=query)
    next_paint(page)


def _stir(page) -> None:
    """What a visitor does to a page: move over it, tab through it, scroll."""
    for x, y in ((200, 200), (600, 400), (900, 600), (400, 800)):
        page.mouse.move(x, y)
    for _ in range(6):
        page.keyboard.press("Tab")
    page.mouse.wheel(0, 2000)
    next_paint(page)


@pytest.mark.parametrize("name", PAGES)
def test_no_page_of_the_corpus_runs_code_or_calls_another_host(page, hostile_url, name):
    """Opened, stirred and its suspicious links clicked, the page opens no dialog, throws no script
    error and asks no other host for anything."""
    page.watch.origin = hostile_url.split("/")[2]
    response = visit(page, hostile_url + PAGES[name])
    assert response is not None and response.ok, PAGES[name]
    _stir(page)
    page.evaluate(CLICK_SUSPICIOUS)
    page.wait_for_timeout(300)   # a window for what a click sets off (a navigation, an error event)
    assert page.watch.dialogs == []
    assert page.watch.errors == []
    assert page.watch.foreign == []


def test_a_hostile_search_shows_text_and_runs_nothing(page, hostile_url):
    """Searching for a tag with an event handler, then for a word the corpus is full of."""
    page.watch.origin = hostile_url.split("/")[2]
    visit(page, hostile_url)
    search(page, "Prøve")   # every corpus file's title begins with it
    field = page.locator(".md-search__input")
    field.fill("")
    field.press_sequentially('"><img src=x onerror=alert(1)>', delay=20)
    shown(page, '"><img src=x onerror=alert(1)>')
    assert page.locator(".md-search-result img[src='x']").count() == 0
    field.fill("")
    field.press_sequentially("<script>alert(1)</script>", delay=20)
    shown(page, "<script>alert(1)</script>")
    assert page.watch.dialogs == []
    assert page.watch.errors == []
    assert page.watch.foreign == []
