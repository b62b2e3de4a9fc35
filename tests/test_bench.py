"""The benchmark's generator (scripts/bench.py, scripts/benchmark.py): synthetic content that passes the
validator, and a plain-Material twin with the same pages. No timing here: the performance targets
are read from the benchmark's output, not asserted in tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from helpers import ROOT

import benchmark as bench
from benchmark import Build, Row
from toolbox import vocab
from toolbox.plan import plan_site

CASES, METHODS = 12, 2


def content(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.md") if not p.name.startswith("_"))


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, Path]:
    """A tiny generated project and its twin (bench.prepare fails if the content does not validate)."""
    return bench.prepare(tmp_path_factory.mktemp("bench"), CASES, METHODS)


def test_synthetic_content_validates_and_has_the_size_asked_for(generated):
    project, _ = generated
    assert bench.content_problems(project) == []
    assert len(content(project / "cases")) == CASES   # the real cases, topped up with synthetic ones
    assert len(content(project / "methods")) == len(content(ROOT / "methods")) + METHODS


def test_synthetic_cases_read_like_cases_and_carry_no_personal_data(generated):
    project, _ = generated
    municipalities = {t.value: t.slug for t in vocab.load("municipalities").terms}
    real = {p.name for p in content(ROOT / "cases")}
    synthetic = [p for p in content(project / "cases") if p.name not in real]
    assert synthetic
    for path in synthetic:
        meta = front_matter(path)
        assert path.stem.startswith(municipalities[meta["municipality"]] + "-")
        text = path.read_text(encoding="utf-8")
        body = text.split("---\n", 2)[2]
        assert 250 <= len(body.split()) <= 560, path.name
        assert not re.search(r"\d{8}|@", text), path.name
    assert len({p.stem for p in content(project / "cases")}) == CASES


def test_the_twin_has_the_same_pages_as_plain_markdown(generated):
    project, plain = generated
    docs = plain / "docs"
    expected = {f"metoder/{p.stem}.md" for p in content(project / "methods")}
    expected |= {f"cases/{p.stem}.md" for p in content(project / "cases")}
    expected |= {str(p.relative_to(project / "docs")) for p in (project / "docs").rglob("*.md")
                 if "_includes" not in p.parts}
    # Ours generates a page per municipality with cases; the twin gets them as Markdown.
    index = plan_site(project).index
    slugs = {vocab.load("municipalities").get(name).slug for name in index.cases_by_municipality}
    expected |= {"kommuner/index.md"} | {f"kommuner/{slug}.md" for slug in slugs}
    assert {str(p.relative_to(docs)) for p in docs.rglob("*.md")} == expected
    first = next(iter(index.cases_by_municipality.items()))
    listing = (docs / "kommuner" / f"{vocab.load('municipalities').get(first[0]).slug}.md").read_text(encoding="utf-8")
    assert [f"(../cases/{c.slug}.md)" in listing for c in first[1]] == [True] * len(first[1])
    for path in content(project / "cases"):
        assert (docs / "cases" / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8")
    for page in docs.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        assert "{{" not in text and "{%" not in text and "render_macros" not in text, page
    assert not (docs / "assets").exists()


def test_the_twin_keeps_theme_and_search_but_drops_hooks_macros_and_assets(generated):
    project, plain = generated
    ours, twin = bench.read_config(project), bench.read_config(plain)
    assert twin["theme"] == {k: v for k, v in ours["theme"].items() if k != "custom_dir"}
    # Plain Material brings its own search, the alternative to ours (Pagefind) that the README compares.
    assert twin["plugins"] == [bench.MATERIAL_SEARCH] + [p for p in ours["plugins"]
                                                        if not (isinstance(p, dict) and "macros" in p)]
    # The same Markdown settings, less the one that calls our Python (toc.slugify: anchors with æøå).
    stock = [{"toc": {k: v for k, v in e["toc"].items() if k != "slugify"}} if isinstance(e, dict) and "toc" in e else e
             for e in ours["markdown_extensions"]]
    assert twin["markdown_extensions"] == stock
    for key in ("hooks", "extra_css", "extra_javascript", "watch"):
        assert key not in twin
    # Every page of our nav exists in the twin (the municipality pages are written out there).
    assert twin["nav"] == ours["nav"]


def test_strip_macros_keeps_variables_and_drops_calls():
    text = ("---\ntitle: X\nrender_macros: true\n---\n{{ case_catalogue() }}\n"
            "[Fejl]({{ repository }}/issues) {{ counts().cases }} cases {% if x %}y{% endif %}\n")
    out = bench.strip_macros(text, {"repository": "https://example.org/r"})
    assert out == "---\ntitle: X\n---\n\n[Fejl](https://example.org/r/issues)  cases y\n"


def test_filter_block_is_the_filter_and_its_list():
    html = ('<p>intro</p><div class="vk-filter" data-kind="cases"><form></form><div class="vk-results">'
            '<ul class="vk-list"><li>a</li></ul><p class="vk-empty" hidden>Ingen</p></div></div><p>after</p>')
    block = bench.filter_block(html)
    assert block.startswith('<div class="vk-filter"') and block.endswith("</div></div>")
    assert "after" not in block and "intro" not in block


def test_the_build_ratio_is_the_median_of_back_to_back_pairs():
    """A slow spell of the machine slows both builds of a pair; the ratio is taken pair by pair."""
    r = Row(1000, [Build(s, 100, 0) for s in (10.0, 20.0, 11.0)], [Build(s, 80, 0) for s in (9.0, 19.0, 10.5)])
    assert r.ratio == pytest.approx(20.0 / 19.0)
    assert r.ours_s == 11.0 and r.plain_s == 10.5


def test_targets_say_met_not_met_or_not_measured():
    def row(n, ours, plain, before, gz, cold=None):
        r = Row(n, [Build(ours, 100, 0, cpu=ours)], [Build(plain, 80, 0, cpu=plain)],
                cold=[Build(cold, 100, 0, cpu=cold)] if cold else [])
        r.figures = {"pages": n, "search_before_gz": before, "filter_gz": gz}
        return r
    # CPU warm 1.10 and 1.20, cold 1.20 and not measured; search data 88 and 195 KB
    rows = [row(1000, 11.0, 10.0, 90_000, 100_000, cold=12.0), row(5000, 60.0, 50.0, 200_000, 400_000)]
    browser = {"facet_handler": 5.0, "facet_layout": 9.0, "facet_paint": 20.0,
               "search_first": 350.0, "search_first_max": 400.0}
    met = {t.name: t.met for t in bench.targets(rows, browser)}
    assert list(met.values()) == [True, False, False, None, True, None, None, None, True, False, False, True]
    assert all(t.met is None for i, t in enumerate(bench.targets(rows[:1], None)) if i not in (0, 2))
    # The preview's targets take the slowest edit of each kind at 5,000 cases.
    edits = [bench.Edit("case, its story", 0.8, 0.5, 1), bench.Edit("case, its title", 1.9, 1.0, 4),
             bench.Edit("method, a step", 1.0, 0.6, 1), bench.Edit("method, its title", 2.5, 2.0, 4)]
    seen = {t.name: t for t in bench.targets(rows, {**browser, "preview": {5000: {"edits": edits, "idle_cpu": 0.0}}})}
    case, method = [t for name, t in seen.items() if "make serve" in name]
    assert (case.met, method.met) == (True, False)
    assert "1.90 s (case, its title)" in case.figure and "2.50 s (method, its title)" in method.figure
    assert "NOT MET" in bench.target_lines(bench.targets(rows, browser))


def test_the_warm_build_edits_one_case_and_the_next_edit_undoes_it(tmp_path):
    """The warm build's edit changes one case's body, validly, and the next one restores the file."""
    root = bench.make_project(tmp_path / "p", cases=3)
    before = {p: p.read_bytes() for p in (root / "cases").glob("*.md")}
    edited = bench.edit_one_case(root)
    assert [p for p in before if p.read_bytes() != before[p]] == [edited]
    assert edited.read_text(encoding="utf-8").endswith(f"\n\n{bench.EDIT_MARK}\n")
    assert bench.content_problems(root) == []
    bench.edit_one_case(root)
    assert {p: p.read_bytes() for p in before} == before


def _report(score, lcp, tbt, cls, urls):
    """A Lighthouse JSON report cut down to the parts the benchmark reads."""
    return {"categories": {"performance": {"score": score}},
            "audits": {"largest-contentful-paint": {"numericValue": lcp}, "total-blocking-time": {"numericValue": tbt},
                       "cumulative-layout-shift": {"numericValue": cls},
                       "network-requests": {"details": {"items": [{"url": u, "resourceType": t} for u, t in urls]}}}}


def test_lighthouse_reports_are_read_and_pages_weighed_from_the_site_files(tmp_path):
    """Score, paints and shift come from the report; bytes are the site's own files gzipped, each
    file once, by kind; data: URLs are no request, another host is named."""
    site = tmp_path / "site"
    (site / "cases").mkdir(parents=True)
    (site / "assets").mkdir()
    (site / "cases" / "index.html").write_text("<p>x</p>" * 500, encoding="utf-8")
    (site / "assets" / "a.css").write_text("a{}" * 300, encoding="utf-8")
    (site / "assets" / "f.js").write_text("var a;" * 300, encoding="utf-8")
    (site / "sitemap.xml").write_text("<url/>" * 300, encoding="utf-8")
    base = "http://127.0.0.1:9/"
    urls = [(base + "cases/", "Document"), (base + "assets/a.css", "Stylesheet"), (base + "assets/f.js", "Script"),
            (base + "assets/f.js", "Script"), (base + "sitemap.xml", "XHR"), ("data:image/svg+xml,<svg/>", "Image"),
            ("https://fonts.example.com/x.woff2", "Font")]
    parsed = bench.parse_lighthouse(_report(0.97, 1800.5, 120, 0.002, urls))
    assert (parsed["score"], parsed["lcp"], parsed["tbt"], parsed["cls"]) == (0.97, 1800.5, 120, 0.002)
    weight = bench.page_weight(parsed["requests"], base, site)
    for kind, path in (("html", "cases/index.html"), ("css", "assets/a.css"), ("js", "assets/f.js"),
                       ("data", "sitemap.xml")):
        assert weight[kind] == bench.gz_size(site / path), kind
    assert weight["other"] == 0
    assert weight["other_hosts"] == ["https://fonts.example.com/x.woff2"]


def test_page_kinds_take_the_largest_page_of_each_kind(tmp_path):
    site = tmp_path / "site"
    for path, size in (("metoder/a", 10), ("metoder/b", 30), ("cases/c", 5), ("cases/d", 50), ("kommuner/koege", 9)):
        (site / path).mkdir(parents=True)
        (site / path / "index.html").write_text("x" * size, encoding="utf-8")
    assert bench.page_kinds(site) == {"front page": "/", "/metoder/": "/metoder/", "/cases/": "/cases/",
                                      "a method": "/metoder/b/", "a case": "/cases/d/",
                                      "a municipality page": "/kommuner/koege/"}


def test_lighthouse_targets_say_met_not_met_or_not_measured():
    def page(path, score, html, data, hosts=()):
        return {"path": path, "score": score, "html": html, "data": data, "css": 0, "js": 0, "other": 0,
                "other_hosts": list(hosts)}
    lh = {"front page": page("/", 0.99, 10_000, 0), "/metoder/": page("/metoder/", 0.96, 100_000, 50_000),
          "/cases/": page("/cases/", 0.75, 400_000, 0), "a case": page("/cases/x/", 0.95, 5_000, 0,
                                                                        ["https://cdn.example.org/a.js"])}
    met = [t.met for t in bench.lighthouse_targets(lh)]
    assert met == [True, True, False, True, True, False, False]   # 4 scores, 2 overviews (150 KB), hosts
    assert all(t.met is None for t in bench.lighthouse_targets(None))
    assert "cdn.example.org" in bench.lighthouse_targets(lh)[-1].figure
