"""Issue #16 in a real browser: the facts panel and the card grid lay out cleanly at phone and desktop
widths (no word broken inside, no horizontal scroll), the new pages pass axe, the map's tiles stay out
of the tab order, and the Danish 404 page works with the site at the root and under a sub-path."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from helpers import ROOT, QuietHandler, build, free_port, served, visit
from toolbox import vocab
from toolbox.plan import plan_site

INDEX = plan_site(ROOT).index
CASE = next(iter(INDEX.cases.values()))
MUNICIPALITY = vocab.load("municipalities").get(CASE.meta["municipality"]).slug
WIDTHS = [390, 1280]

# Every word inside `selector` whose letters the browser laid out on more than one line. Words are
# split at spaces and after hyphens and slashes, where a line may break; a break anywhere else is a
# word broken inside.
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.getClientRects().length) continue;   // not shown
      const re = /[^\\s\\-\\/–]+/g;
      let m;
      while ((m = re.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""
NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _open(page, url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    visit(page, url)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("slug", list(INDEX.cases))
def test_case_facts_panel_lays_out_cleanly(page, site_url, width, slug):
    case = INDEX.cases[slug]
    _open(page, site_url + f"cases/{slug}/", width)
    assert page.evaluate(BROKEN_WORDS, ".vk-facts") == []
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    # 'Hvem var med' spans the panel instead of being squeezed into one of its columns.
    panel = page.locator(".vk-facts").bounding_box()
    roles = page.locator(".vk-facts .vk-facts-wide").bounding_box()
    assert roles["width"] > 0.85 * panel["width"]
    shown = page.locator(".vk-facts .vk-roles li").all_inner_texts()
    assert shown == [str(r) for r in case.meta["roles"]]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["metoder/world-cafe/", "metoder/ambassadoernetvaerk/", f"kommuner/{MUNICIPALITY}/",
                                  "kommuner/", "", *[f"cases/{slug}/" for slug in INDEX.cases]])
def test_pages_with_badges_and_maps_lay_out_cleanly(page, site_url, width, path):
    _open(page, site_url + path, width)
    assert page.evaluate(BROKEN_WORDS, "article.md-content__inner") == []
    assert page.evaluate(NO_HORIZONTAL_SCROLL)


@pytest.mark.parametrize("width", WIDTHS)
def test_card_grid_is_a_grid_of_whole_words(page, site_url, width):
    _open(page, site_url + "metoder/", width)
    page.wait_for_selector(".vk-list .vk-card")
    assert page.evaluate(BROKEN_WORDS, ".vk-list") == []
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    lefts = page.evaluate("() => Array.from(document.querySelectorAll('.vk-list > li.vk-item')).slice(0, 6)"
                          ".map(li => Math.round(li.getBoundingClientRect().left))")
    assert len(set(lefts)) == (1 if width == 390 else 2)   # one column on a phone, two beside the filter
    # Each card names its kind and its phases in text (colour and icon are extra).
    first = min(INDEX.methods.values(), key=lambda d: str(d.meta["title"]).casefold())
    card = page.locator(f'.vk-list > li[data-slug="{first.slug}"]')
    text = card.inner_text()
    assert vocab.load("kinds").label_of(first.meta["kind"]).upper() in text.upper()
    for phase in first.meta["phases"]:
        assert vocab.load("phases").label_of(phase) in text
    # The card is one link: clicking its description opens the card page.
    card.scroll_into_view_if_needed()   # the chooser above the grid may push it below the fold
    box = card.locator(".vk-card-desc").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(f"**/metoder/{first.slug}/")


def test_phase_badges_take_their_colour_from_the_vocabulary(page, site_url):
    visit(page, site_url + "metoder/world-cafe/")
    for value in INDEX.methods["world-cafe"].meta["phases"]:
        term = vocab.load("phases").get(value)
        badge = page.locator(f".vk-facts .vk-phase-{term.slug}")
        colour = badge.evaluate("el => getComputedStyle(el).color")
        r, g, b = (int(term.extra["colour"][i:i + 2], 16) for i in (1, 3, 5))
        assert colour == f"rgb({r}, {g}, {b})"
        assert badge.locator("svg").count() == 1 and badge.inner_text().strip() == term.label


def test_the_map_is_one_image_and_the_list_below_carries_the_links(page, site_url):
    visit(page, site_url + "kommuner/")
    svg = page.locator("svg.vk-map-wide")
    assert svg.get_attribute("role") == "img"
    assert svg.locator("a, [tabindex]").count() == 0
    assert page.get_by_role("img", name="Danmarks 98 kommuner efter region").count() >= 1
    reached = []
    for _ in range(150):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.closest('svg') ? 'svg' : "
                                     "(document.activeElement.href || '')"))
        if reached[-1].endswith(f"/kommuner/{MUNICIPALITY}/"):
            break
    assert reached[-1].endswith(f"/kommuner/{MUNICIPALITY}/") and "svg" not in reached, reached
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/kommuner/{MUNICIPALITY}/")


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("path", ["kommuner/", "metoder/", f"kommuner/{MUNICIPALITY}/", "findes-ikke/"])
def test_axe_finds_no_violations_on_the_new_pages(page, site_404, width, path):
    from axe_playwright_python.sync_playwright import Axe
    _open(page, site_404 + path, width)
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    assert violations == []


# ---- the 404 page ---------------------------------------------------------------------------------

class _Host(QuietHandler):
    """A static host like GitHub Pages: the site under `prefix`, and its 404.html (status 404) for
    any address that is not a file."""

    prefix = "/"

    def send_head(self):
        path = self.path.split("?")[0]
        if path.startswith(self.prefix):
            self.path = "/" + path[len(self.prefix):]
            local = Path(self.translate_path(self.path))
            if local.is_file() or (local / "index.html").is_file():
                return super().send_head()
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io
        return io.BytesIO(body)


@contextlib.contextmanager
def _serve(directory: Path, prefix: str, port: int):
    with served(directory, port, type("Host", (_Host,), {"prefix": prefix})) as root:
        yield root + prefix[1:]


@pytest.fixture(scope="module")
def site_404(built_site, site_port):
    """The session's site (built for the root of site_port) served there by a host that answers
    unknown addresses with 404.html. The session's own server does not, so this one takes the port
    after the test session's site server has been set up... on a port of its own: Material's links
    depend on the host, not the port, so the root build serves correctly anywhere at the root."""
    with _serve(built_site, "/", free_port()) as url:
        yield url


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory):
    """The site built for /vaerktoejskassen/ and served there."""
    port = free_port()
    out = tmp_path_factory.mktemp("subpath") / "site"
    result = build(ROOT, out, strict=True, site_url=f"http://127.0.0.1:{port}/vaerktoejskassen/")
    assert result.returncode == 0, result.stderr[-3000:]
    with _serve(out, "/vaerktoejskassen/", port) as url:
        yield url


# What the page loaded besides itself and did not get (Resource Timing's responseStatus).
FAILED_RESOURCES = """() => performance.getEntriesByType("resource")
    .filter(e => e.responseStatus >= 400).map(e => e.name)"""


def _check_404(page, base: str, missing: str):
    response = visit(page, base + missing)
    assert response.status == 404
    assert page.locator("article h1").inner_text() == "Siden findes ikke"
    assert "Not found" not in page.content()
    assert page.evaluate("() => performance.getEntriesByType('resource').length") > 3
    assert page.evaluate(FAILED_RESOURCES) == []                      # stylesheets and scripts found
    assert page.locator(".md-header").evaluate("el => getComputedStyle(el).position") == "sticky"
    assert page.locator(".vk-suggest-link").count() == 0
    for name, target, heading in (("gå til forsiden", "", "Værktøjskassen"), ("finde en metode", "metoder/", "Metoder"),
                                  ("se kommunerne med cases", "kommuner/", "Kommuner")):
        visit(page, base + missing)
        page.get_by_role("link", name=name).click()
        page.wait_for_url(base + target)
        page.wait_for_function("h => document.querySelector('article h1')?.textContent.trim() === h", arg=heading)


@pytest.mark.parametrize("missing", ["findes-ikke", "metoder/findes-ikke/", "a/b/c/d/"])
def test_404_at_the_root(page, site_404, missing):
    _check_404(page, site_404, missing)


@pytest.mark.parametrize("missing", ["findes-ikke", "metoder/findes-ikke/", "a/b/c/d/"])
def test_404_under_a_sub_path(page, sub_path_site, missing):
    _check_404(page, sub_path_site, missing)
