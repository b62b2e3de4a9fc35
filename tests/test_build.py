"""The real site, built with --strict: pages, links both ways, labels, edit links, open data."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from helpers import CASE_BODY, ROOT, VALID_CASE, build, project_copy, write_case

from toolbox import model, search, vocab
from toolbox.loader import load_all


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def content_of(html: str) -> str:
    """The article only (no navigation, header or footer)."""
    m = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S)
    return m.group(1)


DOCS = load_all(ROOT)[0]
METHODS = [d for d in DOCS if d.ctype is model.METHOD]
CASES = [d for d in DOCS if d.ctype is model.CASE]


@pytest.mark.parametrize("case", CASES, ids=lambda d: d.slug)
def test_case_page_links_its_methods_and_names_its_source(built_site, case):
    html = content_of(page(built_site, f"cases/{case.slug}"))
    for slug in case.meta["methods"]:
        assert f'href="../../metoder/{slug}/"' in html
    assert case.meta["source"]["organisation"] in text_of(html)
    municipality = vocab.load("municipalities").get(case.meta["municipality"])
    assert f'href="../../kommuner/{municipality.slug}/"' in html


@pytest.mark.parametrize("case", CASES, ids=lambda d: d.slug)
def test_each_method_a_case_uses_lists_that_case(built_site, case):
    for slug in case.meta["methods"]:
        html = content_of(page(built_site, f"metoder/{slug}"))
        assert f'href="../../cases/{case.slug}/"' in html, slug


def test_a_method_with_many_cases_names_ten_and_links_to_the_rest():
    """A popular method's page lists its first ten cases and links to /cases/ filtered by it."""
    from dataclasses import replace

    from toolbox import render
    from toolbox.plan import plan_site

    index = plan_site(ROOT).index
    method = METHODS[0]
    many = [replace(CASES[0], slug=f"kolding-case-{i:02d}", meta={**CASES[0].meta, "title": f"Case {i:02d}"})
            for i in range(25)]
    crowded = replace(index, cases_by_method={**index.cases_by_method, method.slug: many})
    html = render.method_parts(method, crowded, method.url, "https://x/", "<svg></svg>")[1]
    section = html.split('id="cases"', 1)[1].split("<h2", 1)[0]
    assert re.findall(r'href="../../cases/(kolding-case-\d+)/"', section) == [f"kolding-case-{i:02d}" for i in range(10)]
    assert (f'<a href="../../cases/?metode={method.slug}">Se alle 25 cases, der knytter sig til metoden</a>'
            in section)
    # A method with few cases lists them all, without the link.
    few = replace(index, cases_by_method={**index.cases_by_method, method.slug: many[:3]})
    section = render.method_parts(method, few, method.url, "https://x/", "<svg></svg>")[1].split('id="cases"', 1)[1]
    assert "Se alle" not in section and section.count("kolding-case-") == 3


def test_method_page_has_danish_labels_and_its_own_edit_link(built_site):
    doc = METHODS[0]
    html = page(built_site, f"metoder/{doc.slug}")
    facts = re.search(r'<dl class="vk-facts[ "].*?</dl>', html, re.S).group(0)
    labels = re.findall(r"<dt>(.*?)</dt>", facts)
    areas = ["Område"] if doc.meta.get("areas") else []
    assert labels == ["Tid", "Deltagere", "Type", "Niveau", "Fase", "Tilgang", "Målgruppe", *areas, "Sværhedsgrad"]
    label = vocab.load("approaches").label_of(doc.meta["approaches"][0])
    assert label in text_of(facts)
    assert f'href="https://github.com/vaerktoejskassen/vaerktoejskassen/edit/main/methods/{doc.slug}.md"' in html
    for heading in (*model.METHOD.sections, "Sådan gør du"):
        assert f">{heading}</h2>" in html
    steps = re.search(r'<ol class="vk-steps">(.*?)</ol>', html, re.S).group(1)
    assert re.findall(r'<span class="vk-step-min">(\d+) min\.</span>', steps) == [str(s["minutes"]) for s in doc.meta["steps"]]
    assert "Brug den ikke, når</strong> " + doc.meta["not_when"] in html


def test_hand_written_page_edit_link_points_at_docs(built_site):
    assert 'edit/main/docs/kom-i-gang.md"' in page(built_site, "kom-i-gang")


def test_overview_lists_every_method_and_case(built_site):
    methods = page(built_site, "metoder")
    for doc in METHODS:
        assert f'href="{doc.slug}/"' in methods
    cases = page(built_site, "cases")
    for doc in CASES:
        assert f'href="{doc.slug}/"' in cases


def test_overviews_are_searchable_by_their_text_but_not_by_their_lists(built_site):
    """The search indexes the overview pages' own text but not their lists (each item is a page of
    its own), and no placeholder reaches any page."""
    indexed = {f["url"]: f for f in search.fragments(built_site).values()}
    for url, docs in (("/cases/", CASES), ("/metoder/", METHODS)):
        assert url in indexed, url
        assert not [d.slug for d in docs if str(d.meta["description"]) in indexed[url]["content"]], url
    for html_file in built_site.rglob("*.html"):
        assert "VKHELD" not in html_file.read_text(encoding="utf-8"), html_file


def test_the_search_index_has_every_card_and_case_with_its_kind_and_no_print_pages(built_site):
    """Each method card and case is indexed once with its kind (the header labels results with it,
    the overviews filter by it); the print deck and the tag index, which repeat every title, are not."""
    indexed = {f["url"]: f for f in search.fragments(built_site).values()}
    for docs, prefix, kind in ((METHODS, "/metoder/", "Metode"), (CASES, "/cases/", "Case")):
        for doc in docs:
            fragment = indexed[f"{prefix}{doc.slug}/"]
            assert fragment["meta"]["type"] == kind and fragment["filters"]["type"] == [kind]
            assert fragment["meta"]["title"] == doc.meta["title"]
    assert indexed["/ordliste/"]["meta"]["type"] == "Side"
    assert not {"/udskriv/", "/udskriv/plan/", "/emneord/", "/404.html"} & set(indexed)
    maps = json.loads((built_site / "search" / "cases.json").read_text(encoding="utf-8"))
    assert sorted(maps.values()) == sorted(d.slug for d in CASES)


def test_pagefind_reading_whole_pages_finds_what_the_searched_parts_give(built_site, tmp_path):
    """The build hands Pagefind each page's searched part only (toolbox.search.searched_part):
    Pagefind reading the whole built pages indexes the same pages with the same text, titles,
    filters, anchors and weights."""
    whole = tmp_path / "site"
    shutil.copytree(built_site, whole, ignore=shutil.ignore_patterns("pagefind"))
    run = subprocess.run(search.command(whole), capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    ours = {f["url"]: f for f in search.fragments(built_site).values()}
    theirs = {f["url"]: f for f in search.fragments(whole).values()}
    assert len(theirs) > 50 and sorted(ours) == sorted(theirs)
    assert [url for url in theirs if ours[url] != theirs[url]] == []


def test_pages_outside_the_navigation_get_materials_own_navigation(tmp_path, built_site, site_port):
    """The theme renders the navigation once for all pages outside it with the same relative links
    (toolbox/theme/main.html): every page is byte for byte what Material's own block makes (the
    session's site against a copy built the same way without the memo)."""
    project = project_copy(tmp_path)
    main = project / "toolbox" / "theme" / "main.html"
    text = main.read_text(encoding="utf-8")
    main.write_text(text[:text.index("{#- Material's site_nav block")], encoding="utf-8")
    out = tmp_path / "material"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://127.0.0.1:{site_port}/"}
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                         cwd=project, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    sites = {name: {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}
             for name, site in (("memo", built_site), ("material", out))}
    assert len(sites["memo"]) > 50 and sorted(sites["memo"]) == sorted(sites["material"])
    assert [k for k in sites["memo"] if sites["memo"][k] != sites["material"][k]] == []


def test_a_case_excerpt_reads_as_sentences(built_site):
    """The facts table is indexed as sentences (its cells would run together in an excerpt)."""
    indexed = {f["url"]: f for f in search.fragments(built_site).values()}
    content = indexed["/cases/koege-borgerinddragelseskorps/"]["content"]
    assert "Kommune: Køge Kommune." in content
    method = indexed["/metoder/world-cafe/"]["content"]
    assert "Tid: " in method and "Deltagere: " in method
    assert not re.search(r"Tid \d", method), "no run-together facts table"


def test_municipality_pages_list_their_cases(built_site):
    index = page(built_site, "kommuner")
    for doc in CASES:
        term = vocab.load("municipalities").get(doc.meta["municipality"])
        assert f'href="{term.slug}/"' in index
        assert f'href="../../cases/{doc.slug}/"' in page(built_site, f"kommuner/{term.slug}")


def test_tags_page_lists_tags(built_site):
    tags = text_of(page(built_site, "emneord"))
    for doc in METHODS[:3]:
        assert doc.meta["tags"][0] in tags


def test_open_data_matches_the_content(built_site):
    methods = json.loads((built_site / "data" / "metoder.json").read_text(encoding="utf-8"))
    assert sorted(m["slug"] for m in methods) == sorted(d.slug for d in METHODS)
    with open(built_site / "data" / "cases.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(r["slug"] for r in rows) == sorted(d.slug for d in CASES)
    schema = json.loads((built_site / "schema" / "case.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["municipality"]["enum"][:2] == ["Albertslund", "Allerød"]


def test_broken_files_show_their_problems_and_broken_links_fail_strict(tmp_path):
    """A non-strict build publishes a broken file's error page instead of its content. A strict build
    stops on broken files with every one's validator message at its line, before any page is made;
    with the content valid, links in a case's story to a missing page or anchor (MkDocs warnings)
    still fail it."""
    project = project_copy(tmp_path)
    write_case(project, "koege-uden-titel.md", {**VALID_CASE, "title": ""}, CASE_BODY)
    write_case(project, "koege-fejl.md", {**VALID_CASE, "municipality": "Koge", "methods": [METHODS[0].slug]}, CASE_BODY)
    method = next(d for d in load_all(project)[0] if d.ctype is model.METHOD)
    for name in ("koege-link-a.md", "koege-link-b.md"):
        write_case(project, name, {**VALID_CASE, "title": name, "methods": [method.slug]},
                   CASE_BODY + "\nSe [kortet](../metoder/findes-ikke.md) og "
                   f"[afsnittet](../metoder/{method.slug}.md#findes-ikke).\n")
    out = tmp_path / "loose"
    result = build(project, out, strict=False)
    assert result.returncode == 0, result.stderr[-3000:]
    page = (out / "cases/koege-uden-titel/index.html").read_text(encoding="utf-8")
    assert "Filen cases/koege-uden-titel.md har fejl" in page and "feltet &#39;title&#39; (titel) er tomt" in page
    published = json.loads((out / "data/cases.json").read_text(encoding="utf-8"))
    assert "koege-uden-titel" not in {r["slug"] for r in published} and "koege-link-a" in {r["slug"] for r in published}
    result = build(project, tmp_path / "strict", strict=True)
    assert result.returncode != 0
    assert "cases/koege-fejl.md:4: feltet 'municipality' (kommune): 'Koge' findes ikke. Skriv 'Køge' (med ø)." in result.stderr
    assert "cases/koege-uden-titel.md:2: feltet 'title' (titel) er tomt." in result.stderr
    for name in ("koege-uden-titel.md", "koege-fejl.md"):   # valid content: the link warnings are what fails
        (project / "cases" / name).unlink()
    result = build(project, tmp_path / "strict", strict=True)
    found = [line for line in result.stderr.splitlines() if line.startswith("WARNING") and "koege-link-" in line]
    assert result.returncode != 0
    assert {"koege-link-a", "koege-link-b"} == {n for n in ("koege-link-a", "koege-link-b")
                                                  for line in found if n in line and "#findes-ikke" in line}