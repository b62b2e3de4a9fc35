"""The MkDocs adapter: turns the site plan (toolbox.plan) into MkDocs files and pages.

It hands Python-Markdown only the contributed Markdown of a generated page and joins the generated
HTML around the result (SitePlan.finish, which also sanitises it); it alone knows MkDocs' events,
Material's search markers and the theme's need for pre-escaped meta values. The plan lives on the
config object for the length of one build; no module keeps build state.
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

from toolbox import csp
from toolbox.plan import SitePlan, plan_site
from toolbox.site import public_url

log = logging.getLogger("mkdocs.hooks.toolbox")
PLAN = "toolbox_plan"           # the config key the plan is kept under during a build
# Material's search leaves out any element with this attribute (it strips it after indexing).
NOT_INDEXED = "data-search-exclude"


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
                     str(config.extra.get("repository", "")), str(config.extra.get("branch", "main")),
                     config.extra.get("editors"))
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
        macros.register_variables({"toolbox_fragments": _fragments(plan, config)})
    return files


def _fragments(plan: SitePlan, config) -> dict:
    """The plan's fragments for macros.py, the long lists marked for Material's search to skip."""
    fragments = plan.fragments()

    def unindexed(make):
        return lambda *args: f"<div {NOT_INDEXED}>{make(*args)}</div>"
    for name in ("method_catalogue", "case_catalogue", "card_deck", "case_form", "municipality_map", "method_chooser"):
        fragments[name] = unindexed(fragments[name])
    return fragments


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


@event_priority(50)  # before Material's search reads the page
def on_page_context(context, page, config, nav):
    """Point the edit link at the page's own source file (no repo_url: it calls a third-party API);
    give the search a case's entry made from its data (see _index_case)."""
    plan = _plan(config)
    planned = plan.pages.get(page.file.src_uri)
    if planned is not None and planned.kind == "case":
        _index_case(config, page, planned)
    if planned is None:
        page.edit_url = plan.edit_url("docs/" + page.file.src_uri)
    else:
        page.edit_url = plan.edit_url(planned.edit_path) if planned.edit_path else None
    if "edit" in (page.meta.get("hide") or []):
        page.edit_url = None    # an overview made from data: nothing on it a visitor could correct
    return context


def _index_case(config, page, planned) -> None:
    """A case's one search entry, made from the plan's facts, and the page marked for Material's
    search to skip: thousands of case pages would otherwise each be parsed again for the index.
    (Material's index is the plugin's `search_index.entries`; where that is not there, Material
    indexes the page itself.)"""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    entries = getattr(getattr(plugin, "search_index", None), "entries", None)
    if not isinstance(entries, list):
        return
    entries.append({"location": page.url, "title": escape(planned.title, quote=False),
                    "text": escape(planned.search_text, quote=False),
                    "tags": list(planned.tags)})
    page.meta["search"] = {"exclude": True}


def on_post_page(output, page, config):
    """Every page carries the Content-Security-Policy (toolbox.csp)."""
    return csp.with_policy(output)


def on_post_build(config):
    """The build is over: let the plan go."""
    config.pop(PLAN, None)
