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

from toolbox import export, model, qr, render, vocab  # noqa: E402
from toolbox.background import Background  # noqa: E402
from toolbox.generated import ConvertedPage, generated_page  # noqa: E402
from toolbox.site import SiteIndex, pin_index, public_url, unpin_index  # noqa: E402

log = logging.getLogger("mkdocs.hooks.toolbox")


class State:
    """What one build knows: the index, which generated page shows what, and the work done ahead."""

    index: SiteIndex = SiteIndex()
    pages: dict[str, tuple] = {}     # src_uri -> (kind, payload, url)
    data: dict[str, File] = {}       # open-data and schema files, filled in on_env
    deferred: dict = {}              # src_uri -> render.HeldHtml put back in on_page_context
    ahead: set = set()               # generated pages the second process converts to HTML too
    converted: dict = {}             # src_uri -> what it made of one of them
    config = None
    files = None
    work: Background | None = None
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


def _generated(config, files, src_uri: str, kind: str, payload=None):
    if files.get_file_from_path(src_uri) is not None:
        return
    file = File.generated(config, src_uri, content="")
    files.append(file)
    State.pages[src_uri] = (kind, payload, file.url)


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
    """Validate all content, log every problem, add the generated pages and data files, and start
    working out their content ahead of the build.

    The index lives until the build is over. It is frozen out of the garbage collector (gc.freeze),
    which would otherwise walk all its objects at every full collection of the page builds (a fifth
    of this hook's time at 5,000 cases); on_post_build lets it go again. Freezing before the fork also
    keeps the child from copying the pages the collector would have touched."""
    with _no_collections():
        _add_files(files, config)
    gc.freeze()
    methods = list(State.index.methods.values())
    keys = ([("qr", State.site_url + doc.url) for doc in methods]
            + [("page", uri) for uri in State.pages] + [("data", uri) for uri in State.data])
    # Every second generated page is converted to HTML by the second process as well, so the two
    # processes share MkDocs' Markdown work (which is most of the work a page takes).
    State.config, State.files, State.converted = config, files, {}
    State.ahead = set(list(State.pages)[1::2])   # only _compute_ahead, in the child, looks at it
    State.work = Background(_compute_ahead, keys, local=_compute)
    log.debug(f"{len(keys)} pieces of work done ahead " + ("in a second process" if State.work.forked else "on demand"))
    qr.use_made_ahead(lambda url: State.work.get(("qr", url)))
    return files


def _add_files(files, config):
    index = pin_index(ROOT)   # the macros get this index until the build is over
    State.index, State.pages, State.data, State.deferred = index, {}, {}, {}
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
    for uri in DATA_FILES:
        State.data[uri] = File.generated(config, uri, content="")
        files.append(State.data[uri])


DATA_FILES = ("data/metoder.json", "data/metoder.csv", "data/cases.json", "data/cases.csv",
              "schema/metode.schema.json", "schema/case.schema.json")


def _data_file(uri: str) -> str:
    index, url = State.index, State.site_url
    methods, cases = list(index.methods.values()), list(index.cases.values())
    if uri == "data/metoder.json":
        return export.to_json(methods, url)
    if uri == "data/metoder.csv":
        return export.to_csv(methods, model.METHOD, url)
    if uri == "data/cases.json":
        return export.to_json(cases, url)
    if uri == "data/cases.csv":
        return export.to_csv(cases, model.CASE, url)
    ctype = model.METHOD if uri == "schema/metode.schema.json" else model.CASE
    return json.dumps(model.json_schema(ctype), ensure_ascii=False, indent=1)


def _compute(key):
    """One piece of the work done ahead (in the background process where there is one)."""
    what, name = key
    if what == "qr":
        return qr.qr_svg(name)
    if what == "page":
        kind, payload, url = State.pages[name]
        return generated_page(kind, payload, State.index, url, State.site_url)
    return _data_file(name)


def _compute_ahead(key):
    """_compute in the second process, which also converts the pages in State.ahead to HTML."""
    result = _compute(key)
    if key[0] == "page" and key[1] in State.ahead:
        return _convert(key[1], result)
    return result


class _Records(logging.Handler):
    """Keeps the log records of a conversion in the second process, to be logged by the first."""

    def __init__(self):
        super().__init__()
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record):
        self.records.append((record.name, record.levelno, record.getMessage()))


def _convert(src_uri: str, generated):
    """A generated page converted to its final HTML exactly as the build would: MkDocs' own
    Page.render (same Markdown extensions, link checks and table of contents), then on_page_content.
    Runs in the second process only (it makes a Page object for the file there)."""
    from mkdocs.structure.pages import Page
    config, files = State.config, State.files
    page = Page(None, files.get_file_from_path(src_uri), config)
    page.markdown = generated.markdown
    mkdocs_log = logging.getLogger("mkdocs")
    handlers, propagate = mkdocs_log.handlers, mkdocs_log.propagate
    records = _Records()
    mkdocs_log.handlers, mkdocs_log.propagate = [records], False   # the first process prints them
    try:
        page.render(config, files)
    finally:
        mkdocs_log.handlers, mkdocs_log.propagate = handlers, propagate
    State.held = (src_uri, generated.held)
    html = on_page_content(page.content, page, config, files)
    links = {f.src_uri: anchors for f, anchors in (page.links_to_anchors or {}).items()}
    return ConvertedPage(generated, html, page.toc, page.present_anchor_ids, links, records.records)


@event_priority(100)  # before mkdocs-macros: contributed files are never rendered as templates
def on_page_markdown(markdown, page, config, files):
    """Replace a generated page's Markdown with its content; switch macros off for it.

    The generated HTML (of these pages and of the catalogue macros) is held out of Python-Markdown,
    which only has to convert the contributed text; on_page_content puts it back (render.HeldHtml).
    """
    src_uri = page.file.src_uri
    if src_uri not in State.pages:
        held = render.HeldHtml()
        State.held = (src_uri, held)
        render.hold_macro_html(held)
        return markdown
    generated = State.work.get(("page", src_uri)) if State.work else _compute(("page", src_uri))
    if isinstance(generated, ConvertedPage):   # converted in the second process: nothing left to do
        State.converted[src_uri] = generated
        generated = generated.page
        State.held = (None, None)
    else:
        State.held = (src_uri, generated.held)
    if generated.replace_meta:
        page.meta.clear()
    page.meta.update(generated.meta)
    page.meta["render_macros"] = False
    if generated.search_entry is not None:
        _index_from_data(config, page, generated.search_entry)
    page.title = page.meta.get("title")
    return "" if src_uri in State.converted else generated.markdown


def _search_entries(config) -> list | None:
    """The entry list of Material's search index, when this Material keeps one where 9.x does."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    entries = getattr(getattr(plugin, "search_index", None), "entries", None)
    return entries if isinstance(entries, list) else None


def _index_from_data(config, page, entry: dict) -> None:
    """Give the search the page's entry made from its data, and tell Material not to parse the page
    for it: the page's HTML is long, the entry is what the search would take from it anyway
    (render.case_search_entry). Where the index is not reachable, Material indexes the page itself,
    its story marked to be left out (on_page_content)."""
    entries = _search_entries(config)
    if entries is not None:
        entries.append(entry)
        page.meta["search"] = {"exclude": True}


def on_page_content(html, page, config, files):
    """Put the held HTML back (a case's story marked for the search to skip first); link the first
    use of each glossary term on method and case pages."""
    render.hold_macro_html(None)
    converted = State.converted.pop(page.file.src_uri, None)
    if converted is not None:
        for name, level, message in converted.log_records:
            logging.getLogger(name).log(level, message)
        page.toc, page.present_anchor_ids = converted.toc, converted.anchor_ids
        if page.links_to_anchors is not None:
            page.links_to_anchors = {files.get_file_from_path(uri): a for uri, a in converted.links_to_anchors.items()}
        return converted.html
    src_uri, held = State.held
    State.held = (None, None)
    entry = State.pages.get(page.file.src_uri)
    if held is not None and src_uri == page.file.src_uri and held.chunks:
        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= held.anchor_ids()
        if entry is None:
            # A hand-written page's catalogues and decks: put back after the search has read the
            # page (on_page_context), so it never parses the lists it would leave out anyway.
            State.deferred[src_uri] = held
            return held.mark_not_indexed(html)
        if entry[0] == "case":
            html = render.story_not_indexed(html)   # only the story is converted HTML at this point
        html = held.restore(html)
    if entry and entry[0] in ("method", "case"):
        return render.link_glossary(html, page.url)
    return html


@event_priority(-100)  # after Material's search plugin has indexed the page
def on_page_context(context, page, config, nav):
    """Put a hand-written page's generated HTML back (see on_page_content); point the edit link at
    the page's own source file (no repo_url: it calls a third-party API)."""
    held = State.deferred.pop(page.file.src_uri, None)
    if held is not None:
        page.content = held.restore_marked(page.content)
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


def on_env(env, config, files):
    """The open-data files, just before MkDocs writes them (worked out in the background meanwhile)."""
    for uri, file in State.data.items():
        file.content_string = State.work.get(("data", uri)) if State.work else _data_file(uri)
    return env


def _end_of_build() -> None:
    unpin_index()
    qr.use_made_ahead(None)
    if State.work is not None:
        State.work.close()
        State.work = None
    gc.unfreeze()


def on_post_build(config):
    """The build is over: the next one reads the files again, and the collector may have this one's."""
    _end_of_build()


def on_build_error(error):
    """Likewise when a build fails."""
    _end_of_build()
