"""Issue #16 without a browser: methods used together and by a municipality, derived from the cases;
the municipality vocabulary's regions and the tile map; the phase colours and icons; and what the
built site shows (method, municipality, front and 404 pages, where the edit link is)."""

from __future__ import annotations

import re

import pytest

from helpers import VALID_CASE, VALID_METHOD, make_doc
from test_build import CASES, METHODS, content_of, page, text_of

from toolbox import identity, relations, tilemap, vocab
from toolbox.icons import icon
from toolbox.site import build_index


def _method(slug: str, title: str):
    return make_doc({**VALID_METHOD, "title": title}, "\n## Formål\n\nX.\n", name=f"{slug}.md")


def _case(name: str, methods: list[str], municipality: str = "Køge"):
    return make_doc({**VALID_CASE, "methods": methods, "municipality": municipality}, "\nX\n", kind="case", name=name)


@pytest.fixture
def methods():
    return {s: _method(s, t) for s, t in [("a", "Alfa"), ("b", "Beta"), ("c", "Cirkel"), ("d", "Dialog")]}


def test_used_together_counts_shared_cases_most_first_then_by_title(methods):
    cases = [_case("koege-1.md", ["a", "b", "c"]), _case("koege-2.md", ["a", "c"]), _case("koege-3.md", ["a", "d"]),
             _case("koege-4.md", ["b", "d"])]
    by_method = {s: [c for c in cases if s in c.meta["methods"]] for s in methods}
    assert relations.used_together("a", by_method, methods) == [("c", 2), ("b", 1), ("d", 1)]
    assert relations.used_together("d", by_method, methods) == [("a", 1), ("b", 1)]
    assert relations.used_together("x", by_method, methods) == []


def test_used_together_counts_a_case_once_and_leaves_out_unpublished_methods(methods):
    cases = [_case("koege-1.md", ["a", "b", "b", "gone"])]
    by_method = {"a": cases, "b": cases}
    assert relations.used_together("a", by_method, methods) == [("b", 1)]
    assert relations.used_together("b", by_method, methods) == [("a", 1)]


def test_methods_used_by_a_municipality(methods):
    cases = [_case("koege-1.md", ["b", "a"]), _case("koege-2.md", ["a", "a"])]
    assert relations.methods_used(cases, methods) == [("a", 2), ("b", 1)]
    assert relations.methods_used([], methods) == []


def test_the_real_cases_give_each_method_page_its_used_together_list(built_site):
    index = build_index(METHODS + CASES)
    shown = 0
    for slug in index.methods:
        html = content_of(page(built_site, f"metoder/{slug}"))
        expected = relations.used_together(slug, index.cases_by_method, index.methods)
        if not expected:
            assert "Bruges ofte sammen med" not in html
            continue
        section = re.search(r'<ul class="vk-together">(.*?)</ul>', html, re.S).group(1)
        titles = [text_of(t).strip() for t in re.findall(r"<a [^>]*>(.*?)</a>", section)]
        assert titles == [str(index.methods[s].meta["title"]) for s, _ in expected[:6]]
        shown += 1
    assert shown >= 5


# ---- municipalities and the map ------------------------------------------------------------------

def test_every_municipality_has_one_of_the_five_regions():
    assert tilemap.region_problems() == []
    regions = {}
    for term in vocab.load("municipalities").terms:
        regions.setdefault(term.extra["region"], []).append(term.value)
    assert {r: len(v) for r, v in regions.items()} == {
        "Hovedstaden": 29, "Sjælland": 17, "Syddanmark": 22, "Midtjylland": 19, "Nordjylland": 11}
    # A few that are easy to get wrong.
    assert "Bornholm" in regions["Hovedstaden"] and "Køge" in regions["Sjælland"]
    assert "Hedensted" in regions["Midtjylland"] and "Billund" in regions["Syddanmark"]
    assert "Læsø" in regions["Nordjylland"] and "Samsø" in regions["Midtjylland"] and "Ærø" in regions["Syddanmark"]


@pytest.mark.parametrize("columns", [6, 3])
def test_tile_map_places_98_tiles_without_overlap_and_marks_those_with_cases(columns):
    m = tilemap.tile_map({"Køge": 2, "Kolding": 1}, columns)
    tiles = [t for g in m["groups"] for t in g["tiles"]]
    assert len(tiles) == 98 == m["total"] and m["with_cases"] == 2
    corners = {(t["x"], t["y"]) for t in tiles}
    assert len(corners) == 98
    assert all(0 <= t["x"] <= m["width"] - m["tile_w"] and 0 <= t["y"] <= m["height"] - m["tile_h"] for t in tiles)
    assert {t["name"]: t["count"] for t in tiles if t["count"]} == {"Køge": 2, "Kolding": 1}
    assert [g["label"] for g in m["groups"]][0] == "Region Nordjylland"
    assert [g["with_cases"] for g in m["groups"]] == [0, 0, 1, 0, 1]


def test_tiles_are_in_danish_alphabetical_order():
    names = ["Aabenraa", "Assens", "Ærø", "Vejle", "Faaborg-Midtfyn", "Fanø", "Fredericia"]
    assert sorted(names, key=tilemap.danish_key) == ["Assens", "Fanø", "Fredericia", "Faaborg-Midtfyn", "Vejle",
                                                     "Ærø", "Aabenraa"]


def test_municipality_page_shows_cases_methods_and_links_onward(built_site):
    index = build_index(METHODS + CASES)
    for name, cases in index.cases_by_municipality.items():
        term = vocab.load("municipalities").get(name)
        html = content_of(page(built_site, f"kommuner/{term.slug}"))
        for case in cases:
            assert f'href="../../cases/{case.slug}/"' in html
        used = relations.methods_used(cases, index.methods)
        listed = re.search(r'<ul class="vk-used-methods">(.*?)</ul>', html, re.S).group(1)
        assert re.findall(r'href="../../metoder/([^/"]+)/"', listed) == [s for s, _ in used]
        assert f'href="../../cases/?kommune={term.slug}"' in html
        assert term.extra["region"] in text_of(html)


def test_front_page_and_kommuner_show_the_map_with_its_text_alternative(built_site):
    for url, svgs in (("", 1), ("kommuner", 2)):
        html = content_of(page(built_site, url))
        found = re.findall(r'<svg class="vk-map-svg[^"]*" role="img" aria-labelledby="([^"]+)"', html)
        assert len(found) == svgs
        for ids in found:
            for part in ids.split():
                assert f'id="{part}"' in html
        assert text_of(html).count("af 98 kommuner har delt cases") == 1
        for case in CASES:
            slug = vocab.load("municipalities").get(case.meta["municipality"]).slug
            assert re.search(rf'<ul class="vk-columns vk-map-list">.*href="[./]*kommuner/{slug}/"|'
                             rf'<ul class="vk-columns vk-map-list">.*href="{slug}/"', html, re.S)


# ---- phase colours and icons -------------------------------------------------------------------

def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_each_phase_colour_passes_wcag_aa_on_white_and_on_its_tint():
    colours = set()
    for term in vocab.load("phases").terms:
        colour, tint = term.extra["colour"], term.extra["tint"]
        assert _contrast(colour, "#ffffff") >= 4.5, term.value
        assert _contrast(colour, tint) >= 4.5, term.value
        colours.add(colour)
    assert len(colours) == len(vocab.load("phases").terms)


def test_the_stylesheet_is_made_from_the_vocabulary():
    css = identity.vocabulary_css()
    for term in vocab.load("phases").terms:
        assert f".vk-phase-{term.slug} {{ --vk-c: {term.extra['colour']}; --vk-t: {term.extra['tint']}; }}" in css


@pytest.mark.parametrize("name", ["phases", "kinds", "levels"])
def test_every_term_has_a_decorative_icon_from_the_theme_and_its_label(name):
    for term in vocab.load(name).terms:
        b = identity.badge(name, term.value)
        assert b["label"] == term.label
        assert str(b["icon"]).startswith("<svg") and 'aria-hidden="true"' in str(b["icon"])


def test_icon_names_outside_the_theme_are_refused():
    for bad in ("../../etc/passwd", "material/../x", "material/Magnify", "magnify"):
        with pytest.raises(ValueError):
            icon(bad)


def test_method_cards_show_kind_and_phases_as_icon_and_text(built_site):
    html = content_of(page(built_site, "metoder"))
    doc = METHODS[0]
    item = re.search(rf'<li class="vk-item" data-slug="{doc.slug}".*?</li>', html, re.S).group(0)
    phases = [vocab.load("phases").get(p) for p in doc.meta["phases"]]
    assert f'class="vk-card vk-phase-{phases[0].slug}"' in item
    for term in phases:
        assert re.search(rf'<span class="vk-badge vk-phase-{term.slug}"><svg[^>]*aria-hidden="true".*?</svg>'
                         rf'<span class="vk-badge-text">{term.label}</span>', item, re.S)
    assert vocab.load("kinds").label_of(doc.meta["kind"]) in text_of(item)


# ---- edit link and 404 -------------------------------------------------------------------------

@pytest.mark.parametrize("url, shown", [
    ("metoder/world-cafe", True), (f"cases/{CASES[0].slug}", True), ("om", True), ("", True),
    ("metoder", False), ("cases", False), ("kommuner", False), ("kommuner/koege", False),
    ("udskriv", False), ("emneord", False)])
def test_the_edit_link_says_what_it_does_where_it_helps(built_site, url, shown):
    html = page(built_site, url)
    links = re.findall(r'<a href="([^"]+)" class="vk-suggest-link" rel="edit">.*?<span>Foreslå en rettelse</span></a>',
                       html, re.S)
    assert len(links) == (1 if shown else 0)
    assert 'rel="edit"' not in html.replace('class="vk-suggest-link" rel="edit"', "")   # no second edit link
    if shown:
        assert links[0].startswith("https://github.com/vaerktoejskassen/vaerktoejskassen/edit/main/")


def test_the_404_page_is_danish_and_has_no_edit_link(built_site):
    html = (built_site / "404.html").read_text(encoding="utf-8")
    assert "<h1" in html and "Siden findes ikke" in html and "Not found" not in html
    assert "Foreslå en rettelse" not in html
