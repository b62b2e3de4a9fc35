"""The static adapter: `python -m toolbox export OUT` writes a site a stock engine builds without our
hook or macros, with the same pages as our own build (plain MkDocs + Material, and ProperDocs)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import CASE_BODY, ROOT, VALID_CASE, project_copy, write_case

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def pages(site: Path) -> list[str]:
    """The site's pages, as the paths of their index.html files."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export") / "site-src"
    result = subprocess.run([sys.executable, "-m", "toolbox", "export", str(out), "--root", str(ROOT)],
                            capture_output=True, text=True, env=ENV)
    assert result.returncode == 0, result.stderr
    return out


def test_the_export_asks_nothing_of_ours_at_build_time(exported):
    config = yaml.safe_load((exported / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "hooks" not in config and "watch" not in config
    plugin_names = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    # No search plugin either: the site search is Pagefind, a step after any engine's build.
    assert "macros" not in plugin_names and "search" not in plugin_names
    text = "".join(p.read_text(encoding="utf-8") for p in (exported / "docs").rglob("*.md"))
    left = re.findall(r"\{\{\s*(\w+)\s*[(.]", text) + re.findall(r"\{%\s*\w+", text)
    assert left == [], "macro calls were left for the engine to run"
    assert not re.search(r"^render_macros:", text, re.MULTILINE)


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_a_stock_engine_builds_the_export_with_our_pages(exported, built_site, tmp_path, engine):
    out = tmp_path / engine
    result = subprocess.run([sys.executable, "-m", engine, "build", "--strict", "-f", "mkdocs.yml", "--site-dir", str(out)],
                            cwd=exported, capture_output=True, text=True, env=ENV)
    assert result.returncode == 0, result.stderr[-3000:]
    assert pages(out) == pages(built_site)
    card = (out / "metoder/world-cafe/index.html").read_text(encoding="utf-8")
    assert "<h1 id=\"world-cafe\">World Café</h1>" in card and "vk-sec-saadan-goer-du" in card
    assert "Cases, der knytter sig til metoden" in card
    exported_data = (out / "data/metoder.json").read_text(encoding="utf-8")
    assert exported_data.count('"slug"') == (built_site / "data/metoder.json").read_text(encoding="utf-8").count('"slug"')


def test_the_export_never_overwrites_and_refuses_broken_content(tmp_path):
    project = project_copy(tmp_path)
    target = tmp_path / "taken"
    target.mkdir()
    (target / "keep.txt").write_text("min fil", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "toolbox", "export", str(target), "--root", str(project)],
                            capture_output=True, text=True, env=ENV)
    assert result.returncode == 1 and "findes allerede" in result.stderr
    assert (target / "keep.txt").read_text(encoding="utf-8") == "min fil"
    write_case(project, "koege-uden-titel.md", {**VALID_CASE, "title": ""}, CASE_BODY)
    result = subprocess.run([sys.executable, "-m", "toolbox", "export", str(tmp_path / "new"), "--root", str(project)],
                            capture_output=True, text=True, env=ENV)
    assert result.returncode == 1 and "cases/koege-uden-titel.md:" in result.stdout
    assert not (tmp_path / "new").exists()
