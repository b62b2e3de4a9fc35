"""The MkDocs adapter: turns the site plan (toolbox.plan) into MkDocs files and pages.

It hands Python-Markdown only the contributed Markdown of a generated page and joins the generated
HTML around the result (SitePlan.finish, which also sanitises it); a hand-written page that ends with
a long fragment (catalogue, print deck, case form) gets it joined after conversion the same way. It
alone knows MkDocs' events and the theme's need for pre-escaped meta values. After the build it has
Pagefind index the site (toolbox.search). The plan lives on the config object for the length of one
build; no module keeps build state.
"""

from __future__ import annotations

import logging
import re
from html import escape, unescape
from pathlib import Path

from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import normalize_url

from toolbox import csp, render, search
from toolbox.cache import ContentCache, digest
from toolbox.plan import SitePlan, plan_site
from toolbox.site import public_url

log = logging.getLogger("mkdocs.hooks.toolbox")
PLAN = "toolbox_plan"           # the config key the plan is kept under during a build
TRAILING = "toolbox_trailing"   # the config key: hand-written page -> the fragment that ends it
PREVIEW = "toolbox_preview"     # the config key of the editor's preview (toolbox.mkdocs_preview), if any
CONVERSIONS = "toolbox_conversions"   # the config key of this build's Conversions
NAV = "toolbox_nav"             # the config key of this build's NavMemo


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
    preview = config.get(PREVIEW)
    plan = plan_site(Path(config.config_file_path).parent, public_url(config.site_url),
                     str(config.extra.get("repository", "")), str(config.extra.get("branch", "main")),
                     config.extra.get("editors"), save_cache=False,
                     cache=preview.cache if preview is not None else None)
    config[PLAN] = plan
    for problem in plan.problems:
        log.warning(str(problem))
    if plan.problems:
        plan.save_cache()   # the build may stop here (--strict); the files read are kept all the same
    _fail_if_strict(config, plan.problems)
    generated = []
    for page in plan.pages.values():
        if files.get_file_from_path(page.src_uri) is None:
            # A leading line break: a body that starts with '---' is text, not front matter to MkDocs.
            file = File.generated(config, page.src_uri, content="\n" + page.markdown)
            files.append(file)
            generated.append(file)
    config[CONVERSIONS] = Conversions(plan.cache, config, files)
    for file in generated:
        PlannedPage(None, file, config)     # MkDocs takes a file's page as it finds it (as Material's blog does)
    for path, make in plan.data.items():
        files.append(File.generated(config, path, content=make()))
    macros = config.plugins.get("macros")
    if macros is not None:
        macros.register_variables({"toolbox_fragments": plan.fragments()})
    return files


class Conversions:
    """Python-Markdown's conversions of generated pages, kept in the content cache between builds
    (toolbox.cache) and keyed by what the conversion reads: the page's Markdown and source path,
    the Markdown settings and the versions of the converting libraries, and, when the Markdown could
    hold a link or an image (whose address MkDocs checks and rewrites against the site's files), the
    list of the site's files. A conversion that logged a warning (a broken link) or links to
    another page's anchor (checked after all pages are converted) is never kept, so it is made,
    and warns, again in the next build."""

    def __init__(self, cache: ContentCache | None, config, files):
        self.cache = cache if cache is not None and cache.enabled else None
        if self.cache is None:
            return
        from importlib.metadata import version
        libraries = [f"{name} {version(name)}" for name in ("mkdocs", "markdown", "pymdown-extensions")]
        self.engine = digest("engine", *libraries, _stable(config["markdown_extensions"]),
                             _stable(config["mdx_configs"]), _stable(dict(config["validation"])))
        self.files = digest("files", *sorted(f.src_uri for f in files))

    def key(self, page: Page) -> str | None:
        if self.cache is None:
            return None
        text = page.markdown or ""
        linked = self.files if ("](" in text or "]:" in text or "<" in text) else ""
        return digest("conversion", self.engine, linked, page.file.src_uri, text)


def _stable(value) -> str:
    """A text of settings that is the same in every process: functions by name, not address."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{_stable(k)}:{_stable(v)}" for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))) + "}"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return "[" + ",".join(_stable(v) for v in items) + "]"
    if value is None or isinstance(value, (str, int, float, bool)):
        return repr(value)
    name = getattr(value, "__qualname__", None) or type(value).__qualname__
    return f"<{getattr(value, '__module__', type(value).__module__)}.{name}>"


class _Warnings(logging.Handler):
    """Counts the warnings MkDocs logs while a page is converted."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


class PlannedPage(Page):
    """A generated page: converted by Python-Markdown as any page, or, when the same conversion was
    made in an earlier build, taken from the content cache (Conversions)."""

    def render(self, config, files) -> None:
        conversions = config.get(CONVERSIONS)
        key = conversions.key(self) if conversions is not None else None
        entry = conversions.cache.get(key) if key else None
        if isinstance(entry, dict) and isinstance(entry.get("converted"), str):
            try:
                toc, anchors = get_toc(entry["toc"]), {str(a) for a in entry["anchors"]}
            except (KeyError, TypeError, AttributeError):
                pass    # an entry of the wrong shape is converted again
            else:
                self.content, self.toc, self.present_anchor_ids = entry["converted"], toc, anchors
                self._title_from_render = entry.get("title") if isinstance(entry.get("title"), str) else None
                self.links_to_anchors = {}
                return
        warnings = _Warnings()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(warnings)
        try:
            super().render(config, files)
        finally:
            logger.removeHandler(warnings)
        if key and not warnings.count and not self.links_to_anchors:
            conversions.cache.put(key, {"converted": self.content, "toc": _tokens(self.toc),
                                        "title": self._title_from_render,
                                        "anchors": sorted(self.present_anchor_ids or ())})


def _tokens(toc) -> list[dict]:
    """A table of contents as the tokens it was made from (mkdocs.structure.toc.get_toc)."""
    return [{"level": item.level, "id": item.id, "name": item.title, "children": _tokens(item.children)}
            for item in toc]


# The fragments that are whole blocks of HTML: joined after conversion when they end a page.
BLOCK_FRAGMENTS = ("method_catalogue", "case_catalogue", "card_deck", "case_form")
# A hand-written page that ends with one of them called on a line of its own, after a blank line.
_TRAILING_RE = re.compile(r"\n[ \t]*\n\{\{[ \t]*(" + "|".join(BLOCK_FRAGMENTS) + r")\(\)[ \t]*\}\}\s*\Z")
_ID_RE = re.compile(r"""\sid=["']([^"']+)["']""")


@event_priority(100)  # before mkdocs-macros: contributed files are never rendered as templates
def on_page_markdown(markdown, page, config, files):
    """A generated page's title, description and tags for the theme; macros off for it. A
    hand-written page that ends with a block fragment leaves it out (see _trailing_fragment)."""
    planned = _plan(config).pages.get(page.file.src_uri)
    if planned is None:
        return _trailing_fragment(markdown, page, config)
    page.meta.clear()
    page.meta.update({"title": theme_text(planned.title), "render_macros": False})
    if planned.description:
        page.meta["description"] = theme_text(planned.description)
    if planned.tags:
        page.meta["tags"] = list(planned.tags)
    if not planned.indexed:
        page.meta["search"] = {"exclude": True}
    page.title = page.meta["title"]
    return markdown


def _trailing_fragment(markdown: str, page, config) -> str:
    """A hand-written page that opts in to macros and ends with a block fragment (`{{ card_deck() }}`
    after a blank line), without that call: on_page_content joins the fragment's HTML to the page's
    conversion as Python-Markdown would have joined it. Python-Markdown would only have read every
    tag of the long lists twice and passed them through unchanged."""
    m = _TRAILING_RE.search(markdown) if page.meta.get("render_macros") is True else None
    if m is None:
        return markdown
    join = config[TRAILING]
    join.waiting = _plan(config).fragments()[m.group(1)](page.url)
    join.tail = ""
    return markdown[:m.start()] + "\n"


class _KeepTail(Postprocessor):
    """Python-Markdown's last step before its final strip: for a page with a trailing fragment, keeps
    the whitespace the converted HTML ends with (a block of raw HTML keeps its line break there).
    Its last call in a conversion is on the whole page; earlier ones (the toc extension's, on
    heading text) are overwritten."""

    def __init__(self, md, join: "_TrailingFragment"):
        super().__init__(md)
        self.join = join

    def run(self, text: str) -> str:
        if self.join.waiting is not None:
            end = len(text)
            while end and text[end - 1].isspace():
                end -= 1
            self.join.tail = text[end:]
        return text


class _TrailingFragment(Extension):
    """Adds _KeepTail to each page's converter. `waiting` holds the trailing fragment of the page
    being built, if it has one, and `tail` the whitespace Python-Markdown's conversion ended with."""

    def __init__(self):
        super().__init__()
        self.waiting: str | None = None
        self.tail = ""

    def extendMarkdown(self, md):
        md.postprocessors.register(_KeepTail(md, self), "toolbox_keep_tail", 0)   # the last one


def joined(html: str, tail: str, fragment: str) -> str:
    """A page's conversion with a fragment as its last block, as Python-Markdown joins a last block
    of raw HTML: after the whitespace the conversion ended with (`tail`, see _KeepTail) and a line
    break, the whole then stripped."""
    return f"{html}{tail}\n{fragment}".strip() if html else fragment.strip()


def on_config(config):
    """Trailing fragments of hand-written pages are joined after conversion (_trailing_fragment)."""
    join = _TrailingFragment()
    config[TRAILING] = join
    config.markdown_extensions.append(join)
    return config


def on_page_content(html, page, config, files):
    """A generated page's final HTML: the engine's conversion of the contributed Markdown, cleaned
    and joined with the generated HTML by the plan. A hand-written page gets its trailing fragment,
    and the fragment's ids count for MkDocs' anchor checks."""
    plan = _plan(config)
    planned = plan.pages.get(page.file.src_uri)
    if planned is None:
        join = config[TRAILING]
        fragment, join.waiting = join.waiting, None
        if fragment is None:
            return html
        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= {unescape(i) for i in _ID_RE.findall(fragment)}
        return joined(html, join.tail, fragment)
    if config.get(PREVIEW) is not None:
        config[PREVIEW].converted[planned.src_uri] = html    # reused while the page's Markdown is the same
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
    if "edit" in (page.meta.get("hide") or []):
        page.edit_url = None    # an overview made from data: nothing on it a visitor could correct
    memo = config.get(NAV)
    context["toolbox_nav_key"] = memo.key(page) if memo is not None else None
    context["toolbox_nav_memo"] = memo.memo if memo is not None else {}
    return context


class NavMemo:
    """The navigation as the theme renders it for pages that are not in it (toolbox/theme/main.html).
    Such a page marks no entry of the navigation, so what it shows depends on the page only through
    the entries' addresses relative to it (MkDocs' `url` filter): `key` is those addresses, and
    `memo` holds the navigation rendered for each key in this build."""

    def __init__(self, nav, config):
        self.in_nav = {page.file.src_uri for page in nav.pages}
        self.urls = [nav.homepage.url if nav.homepage else "", str(config.theme.get("logo") or ""),
                     str(config.extra.get("homepage") or ""), *_urls(nav.items)]
        self.memo: dict[str, str] = {}

    def key(self, page) -> str | None:
        if page is None or page.file.src_uri in self.in_nav:
            return None
        return "\n".join(normalize_url(url, page=page) if url else "" for url in self.urls)


def _urls(items) -> list[str]:
    """Every address in a navigation tree (pages, links, sections' children), in order."""
    found = []
    for item in items:
        if getattr(item, "children", None):
            found += _urls(item.children)
        if getattr(item, "url", None) is not None:
            found.append(item.url)
    return found


def on_nav(nav, config, files):
    """The theme's memo of the navigation for this build; the editor's preview keeps the
    navigation for the pages it rebuilds later."""
    config[NAV] = NavMemo(nav, config)
    if config.get(PREVIEW) is not None:
        config[PREVIEW].nav = nav
    return nav


def on_env(env, config, files):
    """The editor's preview keeps the theme's environment and the files for the pages it rebuilds later."""
    if config.get(PREVIEW) is not None:
        config[PREVIEW].env, config[PREVIEW].files = env, files
    return env


def on_post_page(output, page, config):
    """Every page carries the Content-Security-Policy (toolbox.csp)."""
    return csp.with_policy(output)


def on_post_build(config):
    """The build is over: keep the cache entries of its pages for the next build, index the site
    for the search (Pagefind) and let the plan go (the editor's preview keeps it)."""
    plan = config.pop(PLAN, None)
    cached = plan is not None and plan.cache is not None and plan.cache.enabled
    if plan is not None:
        plan.save_cache()
    if config.get(PREVIEW) is not None:
        config[PREVIEW].plan = plan
    try:
        search.index_site(Path(config.site_dir),
                          Path(config.config_file_path).parent / ".cache" / "pagefind" if cached else None)
    except (OSError, search.SearchIndexError) as err:
        raise PluginError(f"Søgeindekset kunne ikke bygges (pagefind): {err}") from None
