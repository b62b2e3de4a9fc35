"""Browser fixtures: the built site served on 127.0.0.1 and Debian's chromium driven by Playwright.

No browser is downloaded: Playwright launches /usr/bin/chromium through `executable_path`. When it
is missing the browser tests skip locally, but fail under CI=true, where they must run.
"""

from __future__ import annotations

import os
import shutil
from urllib.parse import urlparse

import pytest

from helpers import served

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    """Debian's chromium, or CHROMIUM if set."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def site_url(built_site, site_port):
    """The built site, served on 127.0.0.1 (at the port its site_url names) for the whole session."""
    with served(built_site, site_port) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium."""
    path = chromium_path()
    if path is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + ": browser tests must run in CI")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


DESKTOP = {"width": 1280, "height": 900}


class Watch:
    """What a page did that a visitor would not want: requests to other hosts, dialogs, errors."""

    def __init__(self, origin: str):
        self.origin = origin
        self.foreign: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.csp: list[str] = []         # what the Content-Security-Policy refused
        self.origins: set[str] = set()   # where the tab has been (its storage is cleared after the test)


def _watch(context, pg) -> None:
    """Record into `pg.watch` (the running test's Watch) what the page does."""
    def on_request(request):
        netloc = urlparse(request.url).netloc
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and netloc != pg.watch.origin:
            pg.watch.foreign.append(request.url)

    def on_dialog(dialog):
        pg.watch.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_navigated(frame):
        url = urlparse(frame.url)
        if url.scheme in ("http", "https"):
            pg.watch.origins.add(f"{url.scheme}://{url.netloc}")

    context.on("request", on_request)
    pg.on("dialog", on_dialog)
    pg.on("pageerror", lambda err: pg.watch.errors.append(str(err)))
    pg.on("console", lambda msg: pg.watch.csp.append(f"{pg.url}: {msg.text}")
          if "Content Security Policy" in msg.text else None)
    pg.on("framenavigated", on_navigated)


def _watched_page(browser, origin: str = ""):
    """A page in a new browser context at the desktop size, watched (`pg.watch`, see _watch)."""
    context = browser.new_context(viewport=DESKTOP, locale="da-DK")
    pg = context.new_page()
    pg.watch = Watch(origin)
    _watch(context, pg)
    return pg


def _listeners(pg) -> int:
    """How many event listeners the tab and its context have (Playwright keeps them in pyee emitters;
    there is no public count)."""
    emitters = (pg._impl_obj, pg.context._impl_obj)
    return sum(len(e.listeners(name)) for e in emitters for name in e.event_names())


class _Tab:
    """The worker's one tab that `page` hands to every test. A new browser context starts a new
    renderer process, and a page's first load in it costs about three times a load in a warm one
    (about 0.9 against 0.3 s of CPU here), which was most of the browser tests' time."""

    def __init__(self, browser):
        self.browser = browser
        self.page = None

    def get(self):
        if self.page is None:
            self.page = _watched_page(self.browser)
        return self.page

    def discard(self) -> None:
        """Throw the tab away (a test left it in a state it cannot be reset from)."""
        if self.page is not None:
            try:
                self.page.context.close()
            except Exception:
                pass
            self.page = None


@pytest.fixture(scope="session")
def _tab(browser):
    tab = _Tab(browser)
    yield tab
    tab.discard()


def _reset(pg) -> None:
    """Leave the tab as a new one: no other tabs, routes, media emulation or cookies, no local
    storage of any origin it went to and no session storage of the last one, the desktop size, and
    an empty document (so nothing of the last page runs on)."""
    for other in pg.context.pages:
        if other is not pg:
            other.close()
    pg.unroute_all(behavior="ignoreErrors")
    if pg.url.startswith("http"):
        pg.evaluate("() => { try { sessionStorage.clear(); } catch (e) {} }")
    pg.goto("about:blank")
    cdp = pg.context.new_cdp_session(pg)
    for origin in pg.watch.origins:
        cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "local_storage,indexeddb"})
    cdp.detach()
    pg.context.clear_cookies()
    pg.emulate_media(media="null")
    pg.set_viewport_size(DESKTOP)


def _check_policy(watch: Watch) -> None:
    # Every page kind works under the site's Content-Security-Policy: no browser test may have made
    # the page do something the policy refused.
    assert watch.csp == [], watch.csp


@pytest.fixture
def page(_tab, site_url):
    """The worker's tab at 1280 px (DESKTOP), as new: `page.watch` records foreign requests, dialogs
    and script errors. It is reused (see _Tab): a test that adds event listeners or init scripts, or
    must see every request the page makes (no cache), takes `fresh_page`. Routes, other tabs, media
    emulation, storage and the size are undone after each test; a listener left behind fails it."""
    pg = _tab.get()
    pg.watch = Watch(urlparse(site_url).netloc)
    listeners = _listeners(pg)
    yield pg
    watch, left = pg.watch, not pg.is_closed() and _listeners(pg) > listeners
    try:
        _reset(pg)
    except Exception:        # a dialog, a crash, a closed tab: the next test gets a new one
        _tab.discard()
    if left:
        _tab.discard()
    assert not left, "the test left an event listener on the shared tab: use fresh_page"
    _check_policy(watch)


@pytest.fixture
def fresh_page(browser, site_url):
    """A page in a browser context of its own (empty cache, nothing shared), at 1280 px, watched as
    `page` is."""
    pg = _watched_page(browser, urlparse(site_url).netloc)
    yield pg
    pg.context.close()
    _check_policy(pg.watch)
