"""The cases overview stays light at any number of cases: /cases/ holds its first page of cases and
links to the list pages; every case is on exactly one list page, in title order, and in the filter's
data file with the facet values the filter counts. Pages load only the scripts they use."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

import benchmark as bench
from toolbox import render
from toolbox.facets import case_facets
from toolbox.plan import plan_site

CASES = 230   # three list pages: 100, 100 and 30


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    root = bench.make_project(tmp_path_factory.mktemp("light") / "p", cases=CASES)
    return plan_site(root, "https://example.org/vk/")


def slugs_in(html: str) -> list[str]:
    return re.findall(r'<li class="vk-item" data-slug="([^"]+)"', html)


def links_in(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'<a[^>]*href="([^"]+)"', html)]


def by_title(plan) -> list[str]:
    return [d.slug for d in sorted(plan.index.cases.values(), key=lambda d: str(d.meta["title"]).casefold())]


def test_the_overview_holds_the_first_page_and_links_every_list_page(plan):
    html = plan.case_catalogue("cases/")
    assert slugs_in(html) == by_title(plan)[:render.LIST_PAGE]
    assert 'data-src="../assets/data/case-filter.json"' in html and f'data-total="{CASES}"' in html
    assert f"{CASES} cases – de første 100 vises" in html
    links = links_in(html)
    assert "side/2/" in links and "side/3/" in links and "side/4/" not in links
    assert "../kommuner/" in links      # the other way through every case without JavaScript
    # The overview does not grow with the cases: only the first page's items are in it.
    assert html.count('class="vk-item"') == render.LIST_PAGE


def test_every_case_is_on_exactly_one_list_page_in_title_order(plan):
    pages = {p.url: p for p in plan.pages.values() if p.kind == "case-list"}
    assert sorted(pages) == ["cases/side/2/", "cases/side/3/"]
    listed = slugs_in(plan.case_catalogue("cases/"))
    for number in (2, 3):
        page = pages[f"cases/side/{number}/"]
        assert page.title == f"Alle cases, side {number} af 3" and page.indexed is False
        listed += slugs_in(page.head)
        # Links from a list page reach the cases and the other list pages.
        links = links_in(page.head)
        assert f"../../{slugs_in(page.head)[0]}/" in links
        assert "../../" in links and ("../3/" in links if number == 2 else "../2/" in links)
    assert listed == by_title(plan)


def test_the_filter_data_has_every_case_with_its_facet_values(plan):
    data = json.loads(plan.data[render.CASE_FILTER_DATA]())
    docs = sorted(plan.index.cases.values(), key=lambda d: str(d.meta["title"]).casefold())
    facets = case_facets(docs, plan.index.methods)
    assert data["facets"] == [f.id for f in facets]
    assert [item[0] for item in data["items"]] == [d.slug for d in docs]
    for doc, item in zip(docs, data["items"]):
        assert item[1:4] == [doc.meta["title"], doc.meta["description"], render.case_summary(doc)]
        assert " ".join(item[1:3] + [item[4]]) == render.searchable_text(doc)
        assert item[5:] == [" ".join(f.values(doc)) for f in facets]


def test_a_short_list_has_no_list_pages(tmp_path):
    plan = plan_site(bench.make_project(tmp_path / "p", cases=20))
    html = plan.case_catalogue("cases/")
    assert len(slugs_in(html)) == 20 and 'class="vk-pager"' not in html and "de første" not in html
    assert not [p for p in plan.pages.values() if p.kind == "case-list"]


def test_a_case_may_not_take_the_list_pages_folder_name(tmp_path):
    root = bench.make_project(tmp_path / "p", cases=6)
    source = next(p for p in sorted((root / "cases").glob("*.md")) if not p.name.startswith("_"))
    (root / "cases" / "side.md").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    problems = plan_site(root).problems
    assert any(p.path == "cases/side.md" and "reserveret" in p.message for p in problems)


def scripts_of(html: str) -> set[str]:
    return {Path(s).name for s in re.findall(r'<script src="([^"]+)"', html)}


def test_pages_name_only_the_scripts_they_use(plan):
    """The scripts come with the fragments and pages that use them (the header search is on every
    page, from mkdocs.yml)."""
    fragments = plan.fragments()
    assert scripts_of(fragments["case_catalogue"]("cases/")) == {"filter.js"}
    assert scripts_of(fragments["method_catalogue"]("metoder/")) == {"filter.js"}
    assert scripts_of(fragments["method_chooser"]("")) == {"chooser.js"}
    assert scripts_of(fragments["case_form"]("bidrag/ny-case/")) == {"case-form.js"}
    assert scripts_of(fragments["card_deck"]("udskriv/")) == {"filter.js", "print.js"}
    kinds = {}
    for page in plan.pages.values():
        kinds.setdefault(page.kind, set()).update(scripts_of(page.head + page.tail))
    assert kinds["method"] == {"print.js"}
    assert kinds["case"] == kinds["municipality"] == kinds["case-list"] == set()
