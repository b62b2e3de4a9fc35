"""Shared test helpers: valid documents, a document factory, project copies and builds."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import yaml

from toolbox import model
from toolbox.loader import parse

ROOT = Path(__file__).resolve().parent.parent

VALID_METHOD = {
    "title": "Testmetode",
    "description": "En metode til test.",
    "kind": "metode",
    "levels": ["tilbud og service"],
    "approaches": ["inddragelse"],
    "phases": ["afdækning"],
    "duration": {"min": 30, "max": 60},
    "participants": {"min": 2, "max": 10},
    "audiences": ["borgere"],
    "areas": ["sundhed"],
    "difficulty": "let",
    "materials": ["Papir"],
    "preparation": "Find et lokale.",
    "steps": [{"minutes": 10, "do": "Byd velkommen."}, {"minutes": 20, "do": "Gør det."},
              {"minutes": 10, "do": "Saml op."}],
    "not_when": "der ikke er tid til at følge op.",
    "variations": ["Gør det udendørs."],
    "related": [],
    "sources": [{"title": "Almen praksis"}],
    "tags": ["dialog"],
}
METHOD_BODY = ("\n## Formål\n\nAt teste.\n\n## Tips\n\n- Hold det kort.\n\n"
               "## Overvejelser i en kommune\n\n- Hvem er ikke i rummet?\n")

VALID_CASE = {
    "title": "Testcase",
    "description": "En case til test.",
    "municipality": "Køge",
    "year": 2020,
    "areas": ["sundhed"],
    "methods": ["testmetode"],
    "approach": "inddragelse",
    "roles": ["En sundhedskonsulent"],
    "results": ["Et netværk"],
    "source": {"organisation": "Køge Kommune", "document": "Nyhedsbrev"},
    "contact": "Center for Borgerdialog",
    "tags": ["ældre"],
}
CASE_BODY = "\n## Baggrund\n\nNoget skete.\n\n## Forløbet\n\nVi gjorde noget.\n"


class _NoAliases(yaml.SafeDumper):
    """Writes a value shared by two keys out twice: contributed front matter may hold no YAML aliases."""

    def ignore_aliases(self, data):
        return True


def front_matter(meta: dict) -> str:
    """Front matter text for `meta`, as a contributor would write it."""
    return yaml.dump(meta, Dumper=_NoAliases, allow_unicode=True, sort_keys=False)


def make_doc(meta: dict, body: str, kind: str = "method", name: str | None = None, raw: bytes | None = None):
    """A parsed document from front matter and body, as if read from methods/ or cases/."""
    ctype = model.METHOD if kind == "method" else model.CASE
    name = name or ("testmetode.md" if kind == "method" else "koege-testcase.md")
    if raw is None:
        raw = f"---\n{front_matter(meta)}---\n{body}".encode("utf-8")
    return parse(f"{ctype.folder}/{name}", raw, ctype)


def project_copy(tmp_path: Path) -> Path:
    """A copy of the project (without .venv, site and git) to change and build."""
    dest = tmp_path / "project"
    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(".venv", "site", ".git", "__pycache__", ".pytest_cache", ".cache", "node_modules"))
    return dest


def build(project: Path, out: Path, strict: bool, site_url: str | None = None) -> subprocess.CompletedProcess:
    """Build a project copy with mkdocs; SITE_URL set when given."""
    args = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(out)] + (["--strict"] if strict else [])
    return subprocess.run(args, cwd=project, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **({"SITE_URL": site_url} if site_url else {})})


def write_case(project: Path, name: str, meta: dict, body: str, folder: str = "cases") -> None:
    """Write a content file with front matter into a project copy."""
    (project / folder / name).write_text(f"---\n{front_matter(meta)}---\n{body}", encoding="utf-8")


def search(page, query: str) -> None:
    """Open the header search (the field on a desktop, the button on a phone), type a query as a
    person does, and wait until the results for it are shown (search.js, Pagefind)."""
    field = page.locator(".md-search__input")
    button = page.locator("label.md-header__button[for='__search']")
    if button.is_visible():  # phones: the header shows a search button, not the field
        button.click()
        field.wait_for(state="visible")
    else:
        field.click()
    field.press_sequentially(query, delay=30)
    page.wait_for_function("q => document.querySelector('.md-search-result').dataset.query === q",
                           arg=query.strip(), timeout=20000)


def search_results(page) -> list[str]:
    """The paths of the header search's results, in order."""
    return page.eval_on_selector_all(".md-search-result__link",
                                     "els => els.map(e => new URL(e.href).pathname)")


# A page is ready for a person once it has loaded with its fonts, and no script of ours is still
# fetching the data it needs (the chooser and the case form mark that data-ready="loading").
# Playwright's `networkidle` waited for this too, but always half a second longer.
SETTLED = """() => document.readyState === "complete" && document.fonts.status === "loaded"
    && !document.querySelector("[data-ready='loading']")"""


def visit(page, url: str):
    """Open `url` as a person does and wait until the page is ready (SETTLED); the response."""
    response = page.goto(url)
    page.wait_for_function(SETTLED)
    return response


def next_paint(page) -> None:
    """Wait until the browser has painted twice: whatever the last change moves has moved."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def free_port() -> int:
    """A free port on 127.0.0.1."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server that does not log each request."""

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that closes a page before its last file has arrived is no error of the site's.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def served(directory: Path, port: int | None = None, handler=QuietHandler):
    """Serve `directory` on 127.0.0.1 (at `port`, or a free one) for the block; yields the root URL."""
    server = _Server(("127.0.0.1", port or free_port()), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def built_and_served(project: Path, out: Path):
    """Build a project copy with --strict for a free port on 127.0.0.1, serve it there, yield its URL."""
    port = free_port()
    result = build(project, out, strict=True, site_url=f"http://127.0.0.1:{port}/")
    assert result.returncode == 0, result.stderr[-3000:]
    with served(out, port) as url:
        yield url


def edit(path: Path, old: str, new: str) -> None:
    """Change the first `old` in a file to `new`, as an editor saving it."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def get(url: str) -> str:
    """The text at `url`."""
    import urllib.request
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def wait_for(url: str, text: str, seconds: float) -> str:
    """The page at `url` once it shows `text` (polling, as a reloading browser would see it)."""
    import time
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            page = get(url)
            if text in page:
                return page
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not show {text!r} within {seconds} s")


@contextlib.contextmanager
def preview_server(project: Path):
    """`python -m toolbox serve` (what `make serve` runs) for a project copy on a free port, once it
    serves the site; yields an object with `url`, and `output` (its log) after the block."""
    import signal
    import types

    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("CI", None)      # the preview keeps its cache, as on a contributor's machine
    server = types.SimpleNamespace(url=f"http://127.0.0.1:{port}/", output="")
    proc = subprocess.Popen([sys.executable, "-m", "toolbox", "serve", "--root", str(project), "--port", str(port)],
                            cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(server.url, "</html>", 240)
        yield server
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            server.output, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            server.output, _ = proc.communicate()

# A title at its 60-character limit gives a slug of about that length.
LIMIT_SLUG = ("samskabelse-med-foreninger-og-virksomheder-i-lokalsamfundet-x" * 2)[:60].rstrip("-")


def filler(length: int) -> str:
    """Danish running text of at most `length` characters, ending a sentence."""
    words = ("Deltagerne taler sammen om forløbet og skriver de vigtigste idéer ned på store ark, "
             "så alle kan se dem bagefter. ") * 40
    return words[:length].rsplit(" ", 1)[0].rstrip(",") + "."


def write_limit_method(project: Path, slug: str = LIMIT_SLUG) -> dict:
    """Write methods/<slug>.md into `project`: a card at every length limit of toolbox/model.py (the
    longest title, description, materials and facts, eight steps, and the printed text at
    CARD_BUDGET). Returns its front matter (the print tests look for its texts)."""
    from toolbox import vocab

    method = model.METHOD
    budget = model.CARD_BUDGET
    preparation = filler(method.field("preparation").max_length)
    not_when = filler(method.field("not_when").max_length)
    purpose = filler(200)
    tips = [filler(64) for _ in range(3)]
    left = budget - len(preparation) - len(not_when) - len(purpose) - sum(len(t) for t in tips)
    steps = [{"minutes": 10, "do": filler(left // 8)} for _ in range(8)]
    body = "\n".join([
        "## Formål", "", purpose, "",
        "## Tips", "", *[f"- {t}" for t in tips], "",
        "## Overvejelser i en kommune", "",
        *[f"- {filler(model.SECTION_BUDGET['Overvejelser i en kommune'] // 3 - 1)}" for _ in range(3)], "",
    ])
    materials = method.field("materials")
    meta = {**VALID_METHOD,
            "title": filler(method.field("title").max_length).rstrip(".")[:method.field("title").max_length],
            "description": filler(method.field("description").max_length),
            "levels": sorted(vocab.load("levels").values, key=len)[-2:],
            "approaches": vocab.load("approaches").values, "phases": vocab.load("phases").values,
            "materials": [filler(materials.max_length) for _ in range(materials.max_items)],
            "preparation": preparation, "not_when": not_when, "steps": steps,
            "duration": {"min": 80, "max": 2400}, "participants": {"min": 100, "max": 1000}}
    write_case(project, f"{slug}.md", meta, "\n" + body, folder="methods")
    return meta


def need(tool: str) -> str:
    """The path of a command-line tool the test needs: skipped locally without it, failed under
    CI=true, where .ci/run installs it."""
    import pytest
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} is missing: install it (see .ci/run)")
        pytest.skip(f"{tool} is not installed")
    return path


def pdf_pages(pdf: Path) -> list[tuple[int, int]]:
    """The size of every page of a PDF in points, rounded (pdfinfo)."""
    out = subprocess.run([need("pdfinfo"), "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True).stdout
    sizes = []
    for line in out.splitlines():
        if line.startswith("Page") and "size:" in line:
            w, h = line.split("size:")[1].split("pts")[0].split("x")
            sizes.append((round(float(w)), round(float(h))))
    return sizes


def structure_tags(node, found: set | None = None) -> set:
    """The structure types (/H2, /P, /L ...) in a PDF's structure tree below `node` (pypdf)."""
    found = set() if found is None else found
    node = node.get_object()
    if isinstance(node, list):
        for kid in node:
            structure_tags(kid, found)
    elif hasattr(node, "get"):
        if "/S" in node:
            found.add(str(node["/S"]))
        if "/K" in node:
            structure_tags(node["/K"], found)
    return found
