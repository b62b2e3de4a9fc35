#!/usr/bin/env python3
"""Write the full card deck as a PDF into the built site: `python scripts/make_pdf.py site`.

Serves the built site on 127.0.0.1, prints /udskriv/ with Debian's chromium (one A5 card per page)
and writes site/downloads/vaerktoejskassen-kort.pdf, which /udskriv/ then offers for download.
It also writes the print-shop deck (toolbox.printshop, made with WeasyPrint: A5 with bleed and crop
marks, without and with duplex backs) as site/downloads/vaerktoejskassen-trykkeri*.pdf.
The PDF is accessible: tagged (a structure tree a screen reader follows), with an outline (one entry
per card, its sections below), the page's language (da) and a title of its own.
Without chromium it says so and exits 0: the site works without the PDF.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import threading
from pathlib import Path

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TARGET = Path("downloads") / "vaerktoejskassen-kort.pdf"
# The PDF's Title (Chromium takes it from the document's <title> when it prints).
TITLE = "Værktøjskassen: alle metodekort (A5, ét kort pr. side)"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main(argv: list[str]) -> int:
    """Print the deck to PDF; return the exit code."""
    site = Path(argv[1] if len(argv) > 1 else "site")
    if not (site / "udskriv" / "index.html").exists():
        print(f"Fandt ikke det byggede site i '{site}'. Kør 'make build' først.", file=sys.stderr)
        return 1
    # The print-shop deck needs no browser: WeasyPrint lays it out from the toolbox's own HTML.
    from toolbox import printshop
    if printshop.write_site_files(Path(__file__).resolve().parent.parent, site) != 0:
        return 1
    chromium = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if chromium is None:
        print("Springer PDF'en over: Chromium er ikke installeret (apt-get install chromium).")
        return 0
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/udskriv/")
            # The deck's scripts have run (filter.js marks it ready) and the fonts are loaded. A function,
            # not an expression: Playwright runs an expression through eval(), which the page's
            # Content-Security-Policy refuses whenever the wait has to poll.
            page.wait_for_function('() => document.fonts.status === "loaded" && !!document.querySelector(".vk-deck[data-chosen]")')
            page.evaluate("title => { document.title = title; }", TITLE)
            # tagged: a structure tree with headings, lists and reading order; outline: bookmarks made
            # from the headings (each card's title, and its sections below it).
            pdf = page.pdf(prefer_css_page_size=True, print_background=True, tagged=True, outline=True)
            browser.close()
    finally:
        server.shutdown()
    out = site / TARGET
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    print(f"Skrev {out} ({len(pdf) // 1024} KB).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
