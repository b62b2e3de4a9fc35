"""The editor's preview in a browser: a page open in `make serve` reloads by itself when its file is
saved, under the site's Content-Security-Policy."""

from __future__ import annotations

from helpers import edit, preview_server, project_copy


def test_an_open_page_reloads_with_the_saved_edit(browser, tmp_path):
    """An editor has a case open, saves a new title: the page shows it without a click, and the
    reload script broke no rule of the Content-Security-Policy."""
    project = project_copy(tmp_path)
    case = next(p for p in sorted((project / "cases").glob("*.md")) if not p.name.startswith("_"))
    with preview_server(project) as server:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
        page = context.new_page()
        refused, errors = [], []
        page.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(f"{server.url}cases/{case.stem}/")
        page.wait_for_function("() => window.livereload !== undefined")
        edit(case, "title: ", "title: Gemt i editoren – ")
        page.wait_for_function("() => document.querySelector('h1').textContent.includes('Gemt i editoren')",
                               timeout=60000)
        context.close()
    assert refused == [] and errors == [], (refused, errors)
