"""Trust in a real browser: no payload ever runs, nothing leaves the visitor's browser, and axe-core
finds no accessibility violation on any kind of page at phone and desktop widths."""

from __future__ import annotations


import pytest

from helpers import CASE_BODY, METHOD_BODY, VALID_CASE, VALID_METHOD, built_and_served, next_paint, project_copy, search, visit, write_case

HTML_PAYLOADS = [
    '<script>alert("xss-1")</script>',
    '<img src=x onerror=alert("xss-2")>',
    '"><svg onload=alert("xss-3")>',
    "' onmouseover='alert(4)' x='",
    "</textarea><script>alert(5)</script>",
    "javascript:alert(6)",
]
# One-line fields may not hold '<' or '>', so they get attribute break-outs instead.
LINE_PAYLOAD = '" onmouseover="alert(7)" data-x="'


@pytest.fixture(scope="module")
def payload_url(browser, tmp_path_factory):
    """A project copy whose method and case carry payloads in every field, built and served."""
    tmp = tmp_path_factory.mktemp("payload")
    project = project_copy(tmp)
    joined = " ".join(HTML_PAYLOADS)
    method = {**VALID_METHOD, "title": f"Angreb {LINE_PAYLOAD}", "description": f"Beskrivelse {LINE_PAYLOAD}",
              "materials": HTML_PAYLOADS[:5], "preparation": joined[:290],
              "sources": [{"title": f"Kilde {LINE_PAYLOAD}", "url": "https://example.org/?a=1&b=javascript:alert(8)"}],
              "tags": ["angreb"]}
    write_case(project, "angreb.md", method, METHOD_BODY, folder="methods")
    case = {**VALID_CASE, "title": f"Casen {LINE_PAYLOAD}", "description": LINE_PAYLOAD,
            "methods": ["angreb"], "roles": HTML_PAYLOADS, "results": HTML_PAYLOADS,
            "contact": LINE_PAYLOAD, "source": {"organisation": LINE_PAYLOAD, "document": LINE_PAYLOAD},
            "tags": ["angreb"]}
    write_case(project, "koege-angreb.md", case, CASE_BODY)
    with built_and_served(project, tmp / "site") as url:
        yield url


INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) found.push(el.tagName + ' ' + attr.name);
      if (attr.name === 'data-x') found.push(el.tagName + ' data-x');
    }
  }
  for (const s of document.querySelectorAll('script')) {
    if (/alert\\(|xss/.test(s.textContent)) found.push('script: ' + s.textContent.slice(0, 40));
  }
  for (const el of document.querySelectorAll('img[src="x"], svg[onload]')) found.push(el.outerHTML);
  return found;
}"""


@pytest.mark.parametrize("path", ["metoder/angreb/", "cases/koege-angreb/", "metoder/", "cases/",
                                  "metoder/?q=angreb", "cases/?omraade=sundhed", "udskriv/", "kommuner/koege/",
                                  "udskriv/plan/?plan=angreb:30", "emneord/"])
def test_no_payload_ever_runs_or_becomes_markup(page, payload_url, path):
    page.watch.origin = payload_url.split("/")[2]
    visit(page, payload_url + path)
    page.mouse.move(300, 300)
    assert page.evaluate(INJECTED) == []
    assert page.watch.dialogs == []
    assert page.watch.errors == []
    text = page.locator("article.md-content__inner").inner_text()
    if path in ("metoder/angreb/", "cases/koege-angreb/"):
        assert 'alert("xss-2")' in text  # shown as text
    assert page.watch.foreign == []


def test_search_results_show_payloads_as_text(page, payload_url):
    page.watch.origin = payload_url.split("/")[2]
    visit(page, payload_url)
    search(page, "angreb")
    next_paint(page)
    assert page.evaluate(INJECTED) == []
    assert page.watch.dialogs == []
    assert page.watch.foreign == []


# ---------------------------------------------------------------------------------------------
# Every kind of page, as a visitor sees it

PAGES = {
    "forside": ("", None),
    "metode": ("metoder/world-cafe/", None),
    "case": ("cases/koege-borgerinddragelseskorps/", None),
    "kommune": ("kommuner/kolding/", None),
    "emneord": ("emneord/", None),
    "filter": ("metoder/?tilgang=samskabelse&tid=under-45", None),
    "case-filter": ("cases/?kommune=kolding", None),
    "soegning": ("", "borgerne"),
    "udskriv": ("udskriv/?tilgang=samskabelse", None),
    "workshopplan": ("udskriv/plan/?plan=world-cafe:45,brainwriting:20", None),
    "case-formular": ("bidrag/ny-case/", None),
    "bidrag": ("bidrag/", None),
    "ordliste": ("ordliste/", None),
    "tilgaengelighed": ("tilgaengelighed/", None),
}


def _open(page, site_url, path, query):
    visit(page, site_url + path)
    if query:
        search(page, query)
    next_paint(page)


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name", PAGES)
def test_nothing_leaves_the_visitors_browser_and_axe_finds_no_violations(page, site_url, name, width):
    """Each kind of page, opened once at a phone's and a desktop's width: no request to another
    host, no script error, and nothing for axe to report."""
    from axe_playwright_python.sync_playwright import Axe

    page.set_viewport_size({"width": width, "height": 900})
    path, query = PAGES[name]
    _open(page, site_url, path, query)
    assert page.watch.foreign == []
    assert page.watch.errors == []
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    assert violations == []
    assert page.watch.foreign == []      # axe's own checks fetch nothing either


def test_skip_link_and_visible_focus(page, site_url):
    page.goto(site_url + "metoder/world-cafe/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('md-skip')")
    assert page.locator(".md-skip").is_visible()
    assert page.locator(".md-skip").inner_text().strip() == "Gå til indholdet"
    seen = 0
    for _ in range(12):
        page.keyboard.press("Tab")
        tag = page.evaluate("document.activeElement.tagName")
        if tag == "BODY":
            continue
        seen += 1
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("none", ""), page.evaluate("document.activeElement.outerHTML.slice(0, 160)")
    assert seen >= 8
