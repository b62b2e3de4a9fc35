"""The MkDocs adapter: brings methods/ and cases/ into the site and wires the toolbox in.

Only wiring lives here; loading, validation, indexing and rendering are in the toolbox modules.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from toolbox import export, model, render, vocab  # noqa: E402
from toolbox.qr import qr_svg  # noqa: E402
from toolbox.site import SiteIndex, pin_index, public_url, unpin_index  # noqa: E402

log = logging.getLogger("mkdocs.hooks.toolbox")


class State:
    """What one build knows: the index and which generated page shows what."""

    index: SiteIndex = SiteIndex()
    pages: dict[str, tuple] = {}
    site_url: str = ""
    edit_base: str = ""
    held: tuple = (None, None)   # (src_uri, render.HeldHtml) of the page being converted


def on_config(config):
    """Remember the site URL and the repository's edit base from mkdocs.yml's `extra`."""
    extra = config.extra
    State.site_url = public_url(config.site_url)
    repository = str(extra.get("repository", "")).rstrip("/")
    State.edit_base = f"{repository}/edit/{extra.get('branch', 'main')}/" if repository else ""
    return config


def _generated(config, files, src_uri: str, kind: str, payload=None, content: str = ""):
    if files.get_file_from_path(src_uri) is not None:
        return
    files.append(File.generated(config, src_uri, content=content))
    State.pages[src_uri] = (kind, payload)


@contextlib.contextmanager
def _no_collections():
    """Python's cyclic garbage collector paused: reading thousands of files allocates objects that
    all live on, and each collection on the way would scan all of them again for nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def on_files(files, config):
    """Validate all content, log every problem, and add the generated pages and data files.

    The index lives until the build is over. Afterwards it is frozen out of the garbage collector
    (gc.freeze), which would otherwise walk all its objects at every full collection of the page
    builds (a fifth of this hook's time at 5,000 cases); on_post_build lets it go again."""
    with _no_collections():
        _add_files(files, config)
    gc.freeze()
    return files


def _add_files(files, config):
    index = pin_index(ROOT)   # the macros get this index until the build is over
    State.index, State.pages = index, {}
    for problem in index.problems:
        log.warning(str(problem))
    for doc in index.documents() + list(index.broken.values()):
        kind = "broken" if doc.path in index.broken else doc.ctype.name
        # No source for MkDocs to read: the file is parsed already, and on_page_markdown writes the
        # page from the parsed document (reading it again would parse its front matter twice).
        _generated(config, files, f"{doc.ctype.url_prefix}/{doc.slug}.md", kind, doc)
    _generated(config, files, "kommuner/index.md", "municipalities")
    municipalities = vocab.load("municipalities")
    for name in index.cases_by_municipality:
        _generated(config, files, f"kommuner/{municipalities.get(name).slug}.md", "municipality", name)
    url = State.site_url
    methods, cases = list(index.methods.values()), list(index.cases.values())
    data = {
        "data/metoder.json": export.to_json(methods, url),
        "data/metoder.csv": export.to_csv(methods, model.METHOD, url),
        "data/cases.json": export.to_json(cases, url),
        "data/cases.csv": export.to_csv(cases, model.CASE, url),
        "schema/metode.schema.json": json.dumps(model.json_schema(model.METHOD), ensure_ascii=False, indent=1),
        "schema/case.schema.json": json.dumps(model.json_schema(model.CASE), ensure_ascii=False, indent=1),
    }
    for uri, content in data.items():
        files.append(File.generated(config, uri, content=content))


@event_priority(100)  # before mkdocs-macros: contributed files are never rendered as templates
def on_page_markdown(markdown, page, config, files):
    """Replace a generated page's Markdown with the rendered content; switch macros off for it.

    The generated HTML (of these pages and of the catalogue macros) is held out of Python-Markdown,
    which only has to convert the contributed text; on_page_content puts it back (render.HeldHtml).
    """
    held = render.HeldHtml()
    State.held = (page.file.src_uri, held)
    render.hold_macro_html(held)
    entry = State.pages.get(page.file.src_uri)
    if entry is None:
        return markdown
    page.meta["render_macros"] = False
    kind, payload = entry
    url = page.url
    index = State.index
    inner = None   # the contributed Markdown inside the generated page
    if kind == "method":
        card_url = State.site_url + payload.url
        markdown = render.method_page(payload, index, url, card_url, qr_svg(card_url))
        inner = render.wrap_sections(payload.body.strip())
    elif kind == "case":
        markdown = render.case_page(payload, index, url)
        inner = payload.body.strip()
    elif kind == "broken":
        problems = [p for p in index.problems if p.path == payload.path]
        markdown = render.error_page(payload, problems)
        page.meta.clear()
        page.meta["render_macros"] = False
        page.meta["title"] = render.theme_text(f"Fejl i {payload.path}")
    elif kind == "municipality":
        markdown = render.municipality_page(payload, index.cases_by_municipality[payload], url)
        page.meta["title"] = render.theme_text(f"{payload} Kommune")
    elif kind == "municipalities":
        markdown = render.municipality_index(index, url)
        page.meta["title"] = "Kommuner"
    if kind in ("method", "case"):
        page.meta["title"] = render.theme_text(payload.meta["title"])
        page.meta["description"] = render.theme_text(payload.meta["description"])
        page.meta["tags"] = list(payload.meta["tags"])
    if kind == "case":
        _index_case(config, page, payload)
    page.title = page.meta.get("title")
    return render.hold_around(held, markdown, inner) if inner is not None else markdown


def _search_entries(config) -> list | None:
    """The entry list of Material's search index, when this Material keeps one where 9.x does."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    entries = getattr(getattr(plugin, "search_index", None), "entries", None)
    return entries if isinstance(entries, list) else None


def _index_case(config, page, doc) -> None:
    """Give the search the case's entry made from its data, and tell Material not to parse the page
    for it: the page's HTML is long, the entry is what the search would take from it anyway
    (render.case_search_entry). Where the index is not reachable, Material indexes the page itself,
    its story marked to be left out (on_page_content)."""
    entries = _search_entries(config)
    if entries is not None:
        entries.append(render.case_search_entry(doc, State.index, page.url))
        page.meta["search"] = {"exclude": True}


def on_page_content(html, page, config, files):
    """Put the held HTML back (a case's story marked for the search to skip first); link the first
    use of each glossary term on method and case pages."""
    render.hold_macro_html(None)
    src_uri, held = State.held
    State.held = (None, None)
    entry = State.pages.get(page.file.src_uri)
    if held is not None and src_uri == page.file.src_uri and held.chunks:
        if entry and entry[0] == "case":
            html = render.story_not_indexed(html)   # only the story is converted HTML at this point
        html = held.restore(html)
        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= held.anchor_ids()
    if entry and entry[0] in ("method", "case"):
        return render.link_glossary(html, page.url)
    return html


def on_page_context(context, page, config, nav):
    """Point the edit link at the page's own source file (no repo_url: it calls a third-party API)."""
    entry = State.pages.get(page.file.src_uri)
    if not State.edit_base:
        page.edit_url = None
    elif entry and entry[0] in ("method", "case", "broken"):
        page.edit_url = State.edit_base + entry[1].path
    elif entry:
        page.edit_url = None
    else:
        page.edit_url = State.edit_base + "docs/" + page.file.src_uri
    return context


def on_post_build(config):
    """The build is over: the next one reads the files again, and the collector may have this one's."""
    unpin_index()
    gc.unfreeze()


def on_build_error(error):
    """Likewise when a build fails."""
    unpin_index()
    gc.unfreeze()
