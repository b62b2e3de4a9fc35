"""The editor's preview (`make serve`): MkDocs builds the site once, then an edit rebuilds only what
it changes.

The first build is MkDocs' own, with the MkDocs adapter (toolbox.mkdocs_hook) keeping what the
build made (the plan, the files, the navigation, the theme's environment) on the configuration's
`PreviewState`. After an edit to a method card or a case the site is planned again from the content
(toolbox.plan, with the content-hash cache kept in memory) and compared with the plan before:
only the generated pages whose planned content changed, the hand-written pages that embed the
plan's fragments (overviews, decks, counts), the tag listing when any page's tags may have changed,
and the data files whose text changed are rendered again, by MkDocs' own page functions and the
same plugin events as in a build. Anything else (a page added or taken away, a hand-written page,
the toolbox's code, mkdocs.yml) is a whole build, as `mkdocs serve` does for every change.

The search index (Pagefind) is made by the first build and by whole builds only: re-indexing 5,000
pages takes longer than the edit it would show.

Live reload is MkDocs' own server, with two changes: it is told of changes by the operating system
(inotify) instead of polling every file twice a second, and its reload script is a file of the site
rather than an inline script, which the Content-Security-Policy (toolbox.csp) would refuse.
"""

from __future__ import annotations

import gc
import logging
import os
import re
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import watchdog.events
import watchdog.observers
from mkdocs.commands.build import _build_page, _populate_page, build
from mkdocs.config import load_config
from mkdocs.livereload import _SCRIPT_TEMPLATE_STR, LiveReloadServer

from toolbox import mkdocs_hook
from toolbox.cache import ContentCache
from toolbox.plan import FRAGMENT_READS, SitePlan, data_reads, plan_site
from toolbox.site import public_url

log = logging.getLogger("mkdocs.toolbox.preview")
CONTENT = ("methods", "cases")        # folders whose edits are rebuilt in part
RELOAD_JS = "/.forhaandsvisning/livereload.js"
_CALL_RE = re.compile(r"\{\{-?\s*(\w+)\s*\(")     # a macro call in a hand-written page


@dataclass
class PreviewState:
    """What a build made that the preview reuses: filled by the MkDocs adapter's events."""

    cache: ContentCache
    plan: SitePlan | None = None
    files: object = None
    nav: object = None
    env: object = None
    data: dict = field(default_factory=dict)      # data file path -> its text as last written
    converted: dict = field(default_factory=dict)  # generated page -> Python-Markdown's conversion of its Markdown


@dataclass
class Update:
    """What one update did: 'all' (a whole build) or 'part', the pages and data files it wrote and
    how long it took."""

    kind: str
    pages: list[str]
    data: list[str]
    seconds: float


class Preview:
    """The site under `root` built into `site_dir` for `site_url`, kept up to date by `update`."""

    def __init__(self, root: Path, site_dir: Path, site_url: str):
        self.root, self.site_dir, self.site_url = Path(root).resolve(), Path(site_dir), public_url(site_url)
        self.config = None

    def build_all(self) -> Update:
        """A whole build by MkDocs; what it made is kept for the next update."""
        started = time.perf_counter()
        if self.config is not None:
            self.config.plugins.on_shutdown()
        config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.site_dir), site_url=self.site_url)
        config[mkdocs_hook.PREVIEW] = PreviewState(ContentCache(self.root, remember=True))
        config.plugins.on_startup(command="serve", dirty=False)
        self.config = config
        build(config, serve_url=self.site_url)
        state = self.state
        state.data = {path: state.files.get_file_from_path(path).content_string for path in state.plan.data}
        pages = [f.src_uri for f in state.files.documentation_pages()]
        return Update("all", pages, list(state.data), time.perf_counter() - started)

    @property
    def state(self) -> PreviewState:
        """The state the MkDocs adapter filled in during the last build."""
        return self.config[mkdocs_hook.PREVIEW]

    def close(self) -> None:
        """The plugins' last event."""
        if self.config is not None:
            self.config.plugins.on_shutdown()

    def update(self, changed: set[str]) -> Update:
        """Show the edits to the files `changed` (absolute paths): in part if only method cards and
        cases were edited and the same pages still exist, else by a whole build."""
        started = time.perf_counter()
        if not changed or any(not self._is_content(path) for path in changed):
            return self.build_all()
        config, state = self.config, self.state
        old = state.plan
        new = plan_site(self.root, self.site_url, str(config.extra.get("repository", "")),
                        str(config.extra.get("branch", "main")), config.extra.get("editors"),
                        save_cache=False, cache=state.cache)
        if set(new.pages) != set(old.pages) or set(new.data) != set(old.data):
            return self.build_all()
        for problem in sorted(set(new.problems) - set(old.problems), key=lambda p: (p.path, p.line)):
            log.warning(str(problem))
        config[mkdocs_hook.PLAN] = new
        try:
            pages, data = self._rebuild(old, new)
        finally:
            config.pop(mkdocs_hook.PLAN, None)
        state.plan = new
        return Update("part", pages, data, time.perf_counter() - started)

    def _is_content(self, path: str) -> bool:
        """Whether `path` is a method card or a case (a Markdown file right inside methods/ or cases/)."""
        p = Path(path)
        return p.suffix == ".md" and p.parent.parent == self.root and p.parent.name in CONTENT

    def _rebuild(self, old: SitePlan, new: SitePlan) -> tuple[list[str], list[str]]:
        """Render again the pages the new plan changes and write the data files whose text changed."""
        config, state = self.config, self.state
        files = state.files
        macros = config.plugins.get("macros")
        if macros is not None:
            macros.variables["toolbox_fragments"] = new.fragments()
        changed = new.changed_pages(old)
        for src in changed:
            files.get_file_from_path(src).content_string = "\n" + new.pages[src].markdown
        kinds = new.changed_content(old, changed)
        embedding = [f.src_uri for f in files.documentation_pages()
                     if f.src_uri not in new.pages and f.page is not None and f.page.meta.get("render_macros") is True
                     and self._reads(f, kinds)]
        tags = config.plugins.get("material/tags") or config.plugins.get("tags")
        # The tag listing shows each tagged page's title under its tags.
        retagged = any((new.pages[s].tags, new.pages[s].title) != (old.pages[s].tags, old.pages[s].title)
                       and (new.pages[s].tags or old.pages[s].tags) for s in changed)
        pages = [files.get_file_from_path(src).page for src in changed + embedding]
        for page in pages:
            src = page.file.src_uri
            if src in new.pages and self._same_text(old.pages[src], new.pages[src]) and src in state.converted:
                # Only the generated HTML around the contributed text changed (a case whose method was
                # renamed): the conversion of the same Markdown is reused, and the plugins' page
                # content event (the MkDocs adapter's) joins it with the new plan's HTML.
                page.content = config.plugins.on_page_content(state.converted[src], page=page, config=config, files=files)
                continue
            if tags is not None:
                tags.mappings.data.pop(page.url, None)      # the plugin adds it again if it still has tags
            _populate_page(page, config, files)
        if tags is not None and retagged:
            # In the order of a build (the pages' order), which the listings and the export keep.
            order = [f.page.url for f in files.documentation_pages() if f.page is not None]
            tags.mappings.data = {url: tags.mappings.data[url] for url in order if url in tags.mappings.data}
            pages += self._relist(tags)
        doc_files = files.documentation_pages()
        pages = list({page.file.src_uri: page for page in pages}.values())    # MkDocs' pages are unhashable
        for page in pages:
            _build_page(page, config, doc_files, state.nav, state.env)
        written = []
        for path, make in new.data.items():
            if not data_reads(path) & kinds:
                continue
            text = make()
            if text != state.data.get(path):
                file = files.get_file_from_path(path)
                file.content_string = text
                file.copy_file()
                state.data[path] = text
                written.append(path)
        return [page.file.src_uri for page in pages], written

    @staticmethod
    def _same_text(old, new) -> bool:
        """Whether two plans' versions of a page give MkDocs the same Markdown, title, description
        and tags: what the page's Markdown events and Python-Markdown's conversion read."""
        return (old.markdown, old.title, old.description, old.tags) == (new.markdown, new.title, new.description, new.tags)

    @staticmethod
    def _reads(file, kinds: set[str]) -> bool:
        """Whether a hand-written page calls a fragment that reads content of `kinds`, calls something
        the plan does not know or has a Jinja statement (an include, a loop): to be safe, those too."""
        text = file.content_string
        if "{%" in text:
            return True
        return any(FRAGMENT_READS.get(name, kinds) & kinds for name in _CALL_RE.findall(text))

    def _relist(self, tags) -> list:
        """The pages with tag listings (Material's tags plugin), made again from every page's tags
        by the plugin's own event (which also writes its export of the tags, if configured)."""
        config, state = self.config, self.state
        listed = {listing.page.file.src_uri: listing.page for listing in tags.listings}
        tags.listings.data = set()          # made again below, when each listing page is read again
        for page in listed.values():
            _populate_page(page, config, state.files)
        tags.on_env(state.env, config=config, files=state.files)   # every listing is new: none is filled twice
        return list(listed.values())


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server told of changes by the operating system, collecting the changed
    paths for Preview.update, with its reload script served as a file."""

    def __init__(self, preview: Preview, host: str, port: int):
        super().__init__(builder=self._update, host=host, port=port, root=str(preview.site_dir))
        self.preview = preview
        self.observer = watchdog.observers.Observer()     # inotify on Linux: no polling of every file
        # How long the files must be quiet before an update starts (MkDocs waits 0.1 s): an editor's
        # save (write, or write to a temporary file and rename) reports its events within a few ms.
        self.build_delay = 0.05
        self._changed: set[str] = set()
        self._lock = threading.Lock()

    def watch(self, path: str, func=None, *, recursive: bool = True) -> None:
        """Rebuild when a file under `path` changes, remembering which."""
        path = os.path.abspath(path)
        if path in self._watched_paths:
            return
        self._watched_paths[path] = 1
        server = self

        class Handler(watchdog.events.FileSystemEventHandler):
            def on_any_event(self, event):
                if event.is_directory or event.event_type in ("opened", "closed_no_write"):
                    return
                with server._lock:
                    server._changed.update(p for p in (event.src_path, getattr(event, "dest_path", ""))
                                           if p and not Path(p).name.startswith((".", "~")) and not p.endswith("~"))
                with server._rebuild_cond:
                    server._want_rebuild = True
                    server._rebuild_cond.notify_all()

        self._watch_refs[path] = self.observer.schedule(Handler(), path, recursive=recursive)

    def _update(self) -> None:
        with self._lock:
            changed, self._changed = self._changed, set()
        if not changed:
            return
        try:
            done = self.preview.update(changed)
        except Exception as err:   # noqa: BLE001 - the preview must not stop at an edit it could not show in part
            log.warning(f"Kunne ikke opdatere siderne enkeltvis ({type(err).__name__}: {err}); bygger hele siden.")
            done = self.preview.build_all()
        if done.kind == "all":
            _keep_out_of_gc()
        what = "hele siden" if done.kind == "all" else f"{len(done.pages)} sider og {len(done.data)} datafiler"
        log.info(f"Opdateret: {what} på {done.seconds:.2f} s")

    def _serve_request(self, environ, start_response):
        path = environ["PATH_INFO"]
        if path == RELOAD_JS:
            body = (_SCRIPT_TEMPLATE_STR.split("livereload(${epoch}")[0]
                    + "livereload(+document.currentScript.dataset.epoch, +document.currentScript.dataset.request);\n").encode()
            start_response("200 OK", [("Content-Type", "application/javascript"), ("Content-Length", str(len(body)))])
            return [body]
        return super()._serve_request(environ, start_response)

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        """The reload script as a file of the site (the page's policy refuses inline scripts)."""
        tag = f'<script src="{RELOAD_JS}" data-epoch="{epoch}" data-request="{time.monotonic_ns() // 1000}"></script>'
        end = content.rfind(b"</body>")
        end = len(content) if end < 0 else end
        return content[:end] + tag.encode() + content[end:]


def _keep_out_of_gc() -> None:
    """What a whole build made lives as long as the server: moved out of the garbage collector's
    sight (gc.freeze), so its collections walk only what an update makes, instead of millions of
    objects at 5,000 cases (up to half a second at random in the middle of an update). Reference
    counting still frees them when a later build replaces them."""
    gc.collect()
    gc.freeze()


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Build the site under `root` into a temporary folder and serve it at http://host:port/,
    showing edits as they are saved."""
    # mkdocs-macros reads its include_dir relative to the working directory, as `mkdocs serve` run in
    # the project would: the server runs there, whatever folder it was started from.
    os.chdir(root)
    with tempfile.TemporaryDirectory(prefix="vaerktoejskassen-") as site_dir:
        preview = Preview(root, Path(site_dir), f"http://{host}:{port}/")
        done = preview.build_all()
        _keep_out_of_gc()
        log.info(f"Bygget på {done.seconds:.1f} s")
        server = PreviewServer(preview, host, port)
        server.error_handler = lambda code: _error_page(Path(site_dir), code)
        for name in ("docs", "methods", "cases", "toolbox", "macros.py", "mkdocs.yml", "CONTRIBUTING.md"):
            if (preview.root / name).exists():
                server.watch(str(preview.root / name))
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Stopper ...")
        finally:
            server.shutdown()
            preview.close()


def _error_page(site_dir: Path, code: int) -> bytes | None:
    """The site's own 404 page, as `mkdocs serve` shows it."""
    page = site_dir / f"{code}.html"
    return page.read_bytes() if code == 404 and page.is_file() else None
