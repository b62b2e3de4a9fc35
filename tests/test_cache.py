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
