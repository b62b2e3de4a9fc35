"""The content-hash cache (toolbox/cache.py): a warm build plans exactly what a cold one does, a
damaged cache is ignored, a changed file is read again, and CI never uses it."""

from __future__ import annotations

import json

from helpers import CASE_BODY, VALID_CASE, project_copy, write_case
from toolbox.cache import FOLDER
from toolbox.plan import plan_site


def summary(plan):
    return ([str(p) for p in plan.problems],
            {uri: (p.kind, p.title, p.head, p.tail, p.markdown, p.search_text) for uri, p in plan.pages.items()})


def test_a_warm_plan_is_the_cold_plan(tmp_path, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    project = project_copy(tmp_path)
    write_case(project, "koege-uden-titel.md", {**VALID_CASE, "title": "", "methods": ["world-cafe"]}, CASE_BODY)
    cold = summary(plan_site(project))
    files = list((project / FOLDER).glob("content-*.json"))
    assert len(files) == 1 and len(json.loads(files[0].read_text(encoding="utf-8"))) > 50
    assert summary(plan_site(project)) == cold
    # A changed file is read and checked again; its old entry is not used.
    write_case(project, "koege-uden-titel.md", {**VALID_CASE, "title": "Nu med titel", "methods": ["world-cafe"]}, CASE_BODY)
    assert "cases/koege-uden-titel.md" not in {p.path for p in plan_site(project).problems}
    # A damaged cache is an empty cache.
    files[0].write_text("{ikke json", encoding="utf-8")
    assert summary(plan_site(project))[0] == summary(plan_site(project))[0]


def test_ci_builds_never_read_or_write_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CI", "true")
    project = project_copy(tmp_path)
    plan_site(project)
    assert not (project / FOLDER).exists()


def finished(plan):
    """Every method and case page finished from its contributed Markdown (as the static export does)."""
    from toolbox import markup
    return {uri: plan.finish(uri, markup.convert(page.markdown)).html
            for uri, page in plan.pages.items() if page.kind in ("method", "case")}


def test_warm_pages_are_the_cold_pages_and_damaged_entries_are_ignored(tmp_path, monkeypatch):
    """Case heads and tails, the sanitiser's verdicts and the glossary links come from the cache on
    a warm build: the finished pages are the same, and entries that do not fit are made again."""
    monkeypatch.delenv("CI", raising=False)
    project = project_copy(tmp_path)
    write_case(project, "koege-ordliste.md", {**VALID_CASE, "methods": ["world-cafe"]},
               CASE_BODY + "\nVi brugte samskabelse og en tekst med &quot;citat&quot;.\n")
    cold_plan = plan_site(project, save_cache=False)
    cold = finished(cold_plan)
    assert 'class="vk-term"' in "".join(cold.values())          # the glossary linked something
    cold_plan.save_cache()
    [file] = (project / FOLDER).glob("content-*.json")
    entries = json.loads(file.read_text(encoding="utf-8"))
    kinds = {k for v in entries.values() for k in v}
    assert {"parts", "clean", "links"} <= kinds
    assert summary(plan_site(project)) == summary(cold_plan)
    warm_plan = plan_site(project)
    assert finished(warm_plan) == cold
    for _ in range(2):   # what cleaning takes away is reported, also when the verdict comes from the cache
        assert warm_plan.finish("cases/koege-ordliste.md", "<p>x</p><script>y</script>").problems
    # Links out of place and parts of the wrong shape are not used.
    for value in entries.values():
        if "links" in value:
            value["links"] = [[0, 10**9, "samskabelse"]]
        if "parts" in value:
            value["parts"] = ["<h1>forkert</h1>"]
    file.write_text(json.dumps(entries), encoding="utf-8")
    assert finished(plan_site(project)) == cold
