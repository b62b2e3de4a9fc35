"""The editor's preview (`make serve`, toolbox.mkdocs_preview): an edit to a method card or a case
rebuilds only what it changes, and the result is the same site a whole build makes."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from helpers import edit, get, preview_server, project_copy, wait_for

# Pagefind's index is made by whole builds only (see toolbox.mkdocs_preview); everything else must match.
NOT_COMPARED = ("pagefind", "search")
URL = "http://127.0.0.1:8765/"


def files_of(site: Path) -> dict[str, bytes]:
    """Every file of a built site by its path, but the search index."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.relative_to(site).parts[0] not in NOT_COMPARED}


def whole_build(project: Path, out: Path) -> dict[str, bytes]:
    from toolbox.mkdocs_preview import Preview
    preview = Preview(project, out, URL)
    preview.build_all()
    preview.close()
    return files_of(out)


@pytest.fixture
def preview(tmp_path, monkeypatch):
    from toolbox.mkdocs_preview import Preview
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.delenv("CI", raising=False)      # the preview keeps its cache in memory, as on a laptop
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    project = project_copy(tmp_path)
    p = Preview(project, tmp_path / "site", URL)
    p.build_all()
    yield p
    p.close()


def _a_case(project: Path) -> Path:
    return next(p for p in sorted((project / "cases").glob("*.md")) if not p.name.startswith("_"))


def test_an_edit_to_a_case_and_a_method_gives_the_pages_of_a_whole_build(preview, tmp_path):
    """A case's title, tags and story and a method's description and steps edited: only the pages
    that show them are rebuilt, and the site is byte for byte what a whole build makes of it."""
    project = preview.root
    case, method = _a_case(project), project / "methods" / "world-cafe.md"
    edit(case, "title: ", "title: Rettet i forhåndsvisningen – ")
    edit(case, "tags: [", "tags: [emne fra forhåndsvisningen, ")
    case.write_text(case.read_text(encoding="utf-8") + "\nEt nyt afsnit skrevet i forhåndsvisningen.\n", encoding="utf-8")
    edit(method, "description: ", "description: Rettet beskrivelse. ")
    edit(method, "title: ", "title: Omdøbt i forhåndsvisningen – ")
    done = preview.update({str(case), str(method)})
    edit(method, 'do: "', 'do: "Et trin rettet i forhåndsvisningen. ')      # the steps are rendered from the file
    step = preview.update({str(method)})
    assert step.kind == "part" and "metoder/world-cafe.md" in step.pages
    assert "Et trin rettet i forhåndsvisningen." in (preview.site_dir / "metoder/world-cafe/index.html").read_text(encoding="utf-8")
    assert done.kind == "part"
    assert len(done.pages) < 60, done.pages                 # not every page of the site
    assert "udskriv/index.md" in done.pages and "emneord.md" in done.pages
    site = preview.site_dir
    slug, title = case.stem, "Rettet i forhåndsvisningen"
    for shown in (f"cases/{slug}/index.html", "cases/index.html", "emneord/index.html"):
        assert title in (site / shown).read_text(encoding="utf-8"), shown
    assert "Et nyt afsnit skrevet i forhåndsvisningen." in (site / f"cases/{slug}/index.html").read_text(encoding="utf-8")
    assert "emne fra forhåndsvisningen" in (site / "emneord/index.html").read_text(encoding="utf-8")
    cases = json.loads((site / "data/cases.json").read_text(encoding="utf-8"))
    assert any(str(c.get("title", "")).startswith(title) for c in (cases if isinstance(cases, list) else cases["cases"]))
    assert files_of(site) == whole_build(project, tmp_path / "whole")


def test_an_edit_to_the_text_alone_rebuilds_only_what_shows_the_text(preview, tmp_path):
    """A case's story and a method card's text edited, no front matter: the case page, the method
    page and the print deck (which prints the cards' text) are rebuilt, the overviews and data
    files are not, and the site is still what a whole build makes."""
    project = preview.root
    case, method = _a_case(project), project / "methods" / "world-cafe.md"
    case.write_text(case.read_text(encoding="utf-8") + "\nEn sætning mere i historien.\n", encoding="utf-8")
    edit(method, "## Tips\n", "## Tips\n\nEt ekstra råd til facilitatoren.\n")
    done = preview.update({str(case), str(method)})
    assert done.kind == "part" and done.data == []
    assert {f"cases/{case.name}", "metoder/world-cafe.md", "udskriv/index.md"} <= set(done.pages)
    assert "cases/index.md" not in done.pages and "metoder/index.md" not in done.pages
    assert "Et ekstra råd til facilitatoren." in (preview.site_dir / "udskriv/index.html").read_text(encoding="utf-8")
    assert files_of(preview.site_dir) == whole_build(project, tmp_path / "whole")


def test_an_edit_that_breaks_a_case_shows_its_problem_in_danish(preview):
    """A contributor's slip while the preview runs: the page shows the problem at its line, as a
    build would, and the next save that fixes it brings the case back."""
    case = _a_case(preview.root)
    good = case.read_text(encoding="utf-8")
    edit(case, "municipality: ", "municipality: [")
    preview.update({str(case)})
    html = (preview.site_dir / "cases" / case.stem / "index.html").read_text(encoding="utf-8")
    assert f"cases/{case.name}:" in html and "front matter" in html
    case.write_text(good, encoding="utf-8")
    preview.update({str(case)})
    html = (preview.site_dir / "cases" / case.stem / "index.html").read_text(encoding="utf-8")
    assert f"cases/{case.name}:" not in html


def test_a_new_file_or_a_changed_page_is_a_whole_build(preview):
    """A case added, or a hand-written page edited: the preview builds everything, as mkdocs serve does."""
    case = _a_case(preview.root)
    new = preview.root / "cases" / f"{case.stem.split('-')[0]}-ny-case-fra-forhaandsvisningen.md"
    new.write_text(case.read_text(encoding="utf-8").replace("title: ", "title: Helt ny – ", 1), encoding="utf-8")
    done = preview.update({str(new)})
    assert done.kind == "all"
    assert "Helt ny" in (preview.site_dir / "cases" / new.stem / "index.html").read_text(encoding="utf-8")
    om = preview.root / "docs" / "om.md"
    om.write_text(om.read_text(encoding="utf-8") + "\nTilføjet i forhåndsvisningen.\n", encoding="utf-8")
    assert preview.update({str(om)}).kind == "all"
    assert "Tilføjet i forhåndsvisningen." in (preview.site_dir / "om" / "index.html").read_text(encoding="utf-8")


def test_make_serve_shows_a_saved_edit_with_a_reload_script_the_policy_allows(tmp_path):
    """`python -m toolbox serve` (what `make serve` runs): the pages carry the live-reload script as
    a file of the site (the Content-Security-Policy refuses inline scripts), and a saved edit is
    served without restarting it."""
    project = project_copy(tmp_path)
    case = _a_case(project)
    with preview_server(project) as server:
        page = wait_for(f"{server.url}cases/{case.stem}/", "</html>", 10)
        assert '<script src="/.forhaandsvisning/livereload.js" data-epoch=' in page
        assert "livereload(" in get(server.url + ".forhaandsvisning/livereload.js")
        edit(case, "title: ", "title: Gemt i editoren – ")
        wait_for(f"{server.url}cases/{case.stem}/", "Gemt i editoren", 60)
        wait_for(f"{server.url}cases/", "Gemt i editoren", 10)
    assert "Traceback" not in server.output, server.output[-3000:]
    assert "Opdateret:" in server.output, server.output[-3000:]
