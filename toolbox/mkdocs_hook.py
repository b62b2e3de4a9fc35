"""The MkDocs adapter: turns the site plan (toolbox.plan) into MkDocs files and pages.

It hands Python-Markdown only the contributed Markdown of a generated page and joins the generated
HTML around the result (SitePlan.finish, which also sanitises it); it alone knows MkDocs' events and
the theme's need for pre-escaped meta values. After the build it has Pagefind index the site
(toolbox.search). The plan lives on the config object for the length of one build; no module keeps
build state.
"""

from __future__ import annotations

import logging
from html import escape
from pathlib import Path

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc

from toolbox import csp, render, search
from toolbox.plan import SitePlan, plan_site
from toolbox.site import public_url

log = logging.getLogger("mkdocs.hooks.toolbox")
PLAN = "toolbox_plan"           # the config key the plan is kept under during a build


def _plan(config) -> SitePlan:
    return config[PLAN]


def theme_text(value) -> Markup:
    """A value for the theme's own templates, which print page titles and descriptions unescaped
    (even inside attributes, like <meta name="description">): escaped once and marked safe, so
    Jinja's `e` filter does not escape it twice."""
    return Markup(escape(str(value), quote=True))


def _fail_if_strict(config, problems) -> None:
    """Under --strict a validation problem ends the build with its messages, however quiet the log
    is (-q drops the warnings --strict would otherwise count)."""
    if problems and config.strict:
        lines = "\n".join(str(p) for p in problems)
        raise PluginError(f"{len(problems)} fejl i indholdet; siden bliver ikke bygget:\n{lines}")


def on_files(files, config):
    """Plan the site, report every problem, and add the generated pages and data files."""
    plan = plan_site(Path(config.config_file_path).parent, public_url(config.site_url),
                     str(config.extra.get("repository", "")), str(config.extra.get("branch", "main")))
    config[PLAN] = plan
    for problem in plan.problems:
        log.warning(str(problem))
    _fail_if_strict(config, plan.problems)
    for page in plan.pages.values():
        if files.get_file_from_path(page.src_uri) is None:
            # A leading line break: a body that starts with '---' is text, not front matter to MkDocs.
            files.append(File.generated(config, page.src_uri, content="\n" + page.markdown))
    for path, make in plan.data.items():
        files.append(File.generated(config, path, content=make()))
    macros = config.plugins.get("macros")
    if macros is not None:
        macros.register_variables({"toolbox_fragments": plan.fragments()})
    return files


@event_priority(100)  # before mkdocs-macros: contributed files are never rendered as templates
def on_page_markdown(markdown, page, config, files):
    """A generated page's title, description and tags for the theme; macros off for it."""
    planned = _plan(config).pages.get(page.file.src_uri)
    if planned is None:
        return markdown
    page.meta.clear()
    page.meta.update({"title": theme_text(planned.title), "render_macros": False})
    if planned.description:
        page.meta["description"] = theme_text(planned.description)
    if planned.tags:
        page.meta["tags"] = list(planned.tags)
    page.title = page.meta["title"]
    return markdown


def on_page_content(html, page, config, files):
    """A generated page's final HTML: the engine's conversion of the contributed Markdown, cleaned
    and joined with the generated HTML by the plan."""
    plan = _plan(config)
    planned = plan.pages.get(page.file.src_uri)
    if planned is None:
        return html
    finished = plan.finish(planned.src_uri, html)
    for problem in finished.problems:
        log.warning(str(problem))
    _fail_if_strict(config, finished.problems)
    if page.present_anchor_ids is not None:
        page.present_anchor_ids |= planned.anchors
    if finished.headings:
        page.toc = get_toc(_toc_tokens(finished.headings))
    if planned.kind in ("method", "case") and not finished.problems:
        facts = (render.method_facts if planned.kind == "method" else render.case_facts)(planned.document, planned.url)
        return finished.html + search.facts_paragraph(facts)
    return finished.html


def _toc_tokens(found: list[tuple[int, str, str]]) -> list[dict]:
    """Headings as the tokens MkDocs builds a table of contents from (h3 under the h2 before it)."""
    tokens: list[dict] = []
    for level, hid, text in found:
        token = {"level": level, "id": hid, "name": text, "children": []}
        if level > 2 and tokens:
            tokens[-1]["children"].append(token)
        else:
            tokens.append(token)
    return tokens


def on_page_context(context, page, config, nav):
    """Point the edit link at the page's own source file (no repo_url: it calls a third-party API)."""
    plan = _plan(config)
    planned = plan.pages.get(page.file.src_uri)
    if planned is None:
        page.edit_url = plan.edit_url("docs/" + page.file.src_uri)
    else:
        page.edit_url = plan.edit_url(planned.edit_path) if planned.edit_path else None
    return context


def on_post_page(output, page, config):
    """Every page carries the Content-Security-Policy (toolbox.csp)."""
    return csp.with_policy(output)


def on_post_build(config):
    """The build is over: index the site for the search (Pagefind) and let the plan go."""
    config.pop(PLAN, None)
    try:
        search.index_site(Path(config.site_dir))
    except (OSError, search.SearchIndexError) as err:
        raise PluginError(f"Søgeindekset kunne ikke bygges (pagefind): {err}") from None
