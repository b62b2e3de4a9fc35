"""Browser fixtures: the built site served on 127.0.0.1 and Debian's chromium driven by Playwright.

No browser is downloaded: Playwright launches /usr/bin/chromium through `executable_path`. When it
is missing the browser tests skip locally, but fail under CI=true, where they must run.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from urllib.parse import urlparse

import pytest

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


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url(built_site, site_port):
    """The built site, served on 127.0.0.1 (at the port its site_url names) for the whole session."""
    handler = functools.partial(_Quiet, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", site_port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


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


class Watch:
    """What a page did that a visitor would not want: requests to other hosts, dialogs, errors."""

    def __init__(self, origin: str):
        self.origin = origin
        self.foreign: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.csp: list[str] = []         # what the Content-Security-Policy refused


@pytest.fixture
def page(browser, site_url):
    """A fresh page at 1280 px; `page.watch` records foreign requests, dialogs and script errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    pg = context.new_page()
    origin = urlparse(site_url).netloc
    watch = Watch(origin)

    def on_request(request):
        netloc = urlparse(request.url).netloc
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and netloc != watch.origin:
            watch.foreign.append(request.url)

    def on_dialog(dialog):
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    context.on("request", on_request)
    pg.on("dialog", on_dialog)
    pg.on("pageerror", lambda err: watch.errors.append(str(err)))
    pg.on("console", lambda msg: watch.csp.append(f"{pg.url}: {msg.text}")
          if "Content Security Policy" in msg.text else None)
    pg.watch = watch
    yield pg
    context.close()
    # Every page kind works under the site's Content-Security-Policy: no browser test may have made
    # the page do something the policy refused.
    assert watch.csp == [], watch.csp
