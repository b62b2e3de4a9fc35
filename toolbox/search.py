"""The site search: a Pagefind index of the built site, and the page-id maps the overviews use.

Pagefind (https://pagefind.app, its PyPI package ships the binary) reads the finished HTML and writes
a chunked index into <site>/pagefind/: a browser loads only the chunks a query needs, stems Danish
(`<html lang="da">`) and ignores accents (cafe finds Café, abent finds Åbent). What it indexes is
set in the theme (toolbox/theme/main.html marks each page's content with data-pagefind-body, its
kind as a filter and its weight) and by EXCLUDED below. The overviews (/metoder/, /cases/) ask the
same index for the pages a query finds and need each result's slug without loading a fragment
per result: `write_id_maps` writes, per kind, Pagefind's page id -> slug.

Two things keep the indexing cheap. Pagefind reads each page's indexed part only (`searched_part`:
the page's <html> tag, its <title> and the data-pagefind-body element), not the navigation and
scripts around it. And outside CI the bundle is kept between builds under `.cache/pagefind/`:
Pagefind names its index files by the hash of their content and does not write (or compress) a
file that is already there, so a build after a small edit compresses only the files that changed.
The site gets a copy of exactly the files the new index names (`bundle_files`), and the cache
keeps only those.
"""

from __future__ import annotations

import fcntl
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from html import escape
from pathlib import Path

import cbor2

BUNDLE = "pagefind"              # the index's folder in the site (Pagefind's default)
ID_MAPS = "search"               # <site>/search/<kind>.json: Pagefind page id -> slug
# A page's kind as Pagefind filters it, by the first segment of its URL (toolbox/theme/main.html
# writes the same labels); the overview boxes ask for one kind.
KINDS = {"metoder": "Metode", "cases": "Case"}
# Inside a page's content but not what the page is about: headings' link anchors, the edit button,
# the facts table (its words come again, as sentences, in .vk-search-facts), tags, print-only
# parts, QR codes, a step's minutes ("3 t."), a card page's print button, the descriptions of
# linked pages (a method card would be found by its cases' words), the catalogue lists and print
# deck (each item has a page of its own) and the case form. Left out so a page is found by its own
# words and excerpts read as text. A page without data-pagefind-body is not indexed at all: the
# pages at renamed cards' former addresses (plan.redirect_pages) are such pages.
EXCLUDED = (".headerlink", ".md-content__button", ".vk-facts", ".md-tags", ".vk-print-only", ".vk-qr",
            ".vk-step-min", ".vk-muted", "#cases", ".vk-filter", ".vk-deck", ".vk-case-form",
            ".md-source-file", ".vk-map", ".vk-suggest", ".vk-chooser", ".vk-card-print",
            # links to other pages (cases of a method, related methods): those pages answer for their words
            ".vk-links", ".vk-together", ".vk-none", "#bruges-sammen-med", "#beslaegtede")


def facts_sentences(rows: list[dict]) -> str:
    """A page's facts table (render.method_facts / case_facts rows) as Danish sentences, e.g.
    'Kommune: Køge Kommune. År: 2021.': what the index reads in place of the table, whose cells
    would run together in an excerpt ('Tid 1-4 timer Deltagere 2-8 personer')."""
    out = []
    for row in rows:
        values = ", ".join(str(e["text"]).strip() for e in row["entries"] if str(e["text"]).strip())
        if values:
            out.append(f"{row['label']}: {values.rstrip('.')}.")
    return " ".join(out)


def facts_paragraph(rows: list[dict]) -> str:
    """The facts as sentences in a hidden paragraph at the end of the page: indexed, never shown."""
    text = facts_sentences(rows)
    return f'\n<p class="vk-search-facts" hidden>{escape(text, quote=False)}</p>' if text else ""


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site (its own message is kept)."""


def executable() -> list[str]:
    """Pagefind's binary from the pagefind-bin wheel (pinned in requirements.txt), or, if that is
    not there, the pagefind package's own launcher, which looks for it elsewhere."""
    try:
        from pagefind_bin import get_executable
        return [str(get_executable())]
    except (ImportError, OSError):
        return [sys.executable, "-m", "pagefind"]


def command(site: Path, output: Path | None = None) -> list[str]:
    """The Pagefind command line that indexes `site` as Danish, writing the bundle to `output`
    (default: <site>/pagefind)."""
    args = [*executable(), "--site", str(site), "--force-language", "da", "--quiet"]
    if output is not None:
        args += ["--output-path", str(output)]
    for selector in EXCLUDED:
        args += ["--exclude-selectors", selector]
    return args


BODY = "<div data-pagefind-body"
CONTENT_END = "</article>"     # Material's content column (md-content__inner) closes the indexed part


def searched_part(html: str) -> str | None:
    """The part of a built page Pagefind reads, as a page of its own: the <html> start tag (the
    language), the <title> (a page without an h1 takes its result title from it) and everything from
    the data-pagefind-body element to the end of Material's content column. None for a page
    without data-pagefind-body, which Pagefind leaves out (it does when any page has one).
    Navigation, header, footer and scripts are outside data-pagefind-body, so Pagefind would only
    read past them."""
    start = html.find(BODY)
    if start < 0:
        return None
    end = html.rfind(CONTENT_END)
    body = html[start:end] if end > start else html[start:]
    html_start = html.find("<html")
    tag = html[html_start:html.find(">", html_start) + 1] if html_start >= 0 else "<html>"
    t0, t1 = html.find("<title>"), html.find("</title>")
    title = html[t0:t1 + len("</title>")] if 0 <= t0 < t1 < start else ""
    return f'<!doctype html>{tag}<head><meta charset="utf-8">{title}</head><body>{body}</body></html>'


def write_searched_parts(site: Path, out: Path) -> None:
    """Each built page's searched part (searched_part) under `out` at the page's own path, so
    Pagefind gives it the page's address. `out` can be kept between builds: with the same pages as
    before, only a part whose text changed is written again, in place; when pages come or go, `out`
    is made again from scratch.

    Pagefind numbers the pages in the order it finds the files, which is the order the folder lists
    them in: on ext4 by a hash of the name, on tmpfs by when the file was made. Written in the order of
    their paths into an empty folder, and rewritten in place (a file keeps its place in the folder),
    the parts are found in the same order by a build with a kept folder as by one without."""
    parts = {}
    for path in sorted(site.rglob("*.html"), key=lambda p: p.relative_to(site).as_posix()):
        part = searched_part(path.read_text(encoding="utf-8", errors="replace"))
        if part is not None:
            parts[path.relative_to(site).as_posix()] = part.encode("utf-8")
    present = {Path(folder, name).relative_to(out).as_posix()
               for folder, _, names in os.walk(out) for name in names}
    if present and present != parts.keys():
        shutil.rmtree(out)
        out.mkdir(parents=True)
        present = set()
    for name, data in parts.items():
        target = out / name
        if name in present:
            if target.read_bytes() == data:
                continue
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)      # opened with truncation: the file keeps its place in its folder


def bundle_files(bundle: Path) -> list[str]:
    """The files of the Pagefind bundle in `bundle` that its current index names (paths relative to
    the bundle): the entry file and the other files Pagefind writes on every run, each language's
    metadata file and the fragment, word index and filter files that metadata lists."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    names = [p.name for p in bundle.iterdir() if p.is_file() and p.suffix != ".pf_meta"]
    for language in entry["languages"].values():
        meta_name = f"pagefind.{language['hash']}.pf_meta"
        # Pagefind's MetaIndex: version, pages (hash, word count), word index chunks (from, to,
        # hash), filters (name, hash), sorts.
        meta = cbor2.loads(_unpacked((bundle / meta_name).read_bytes()))
        names.append(meta_name)
        names += [f"fragment/{page[0]}.pf_fragment" for page in meta[1]]
        names += [f"index/{chunk[2]}.pf_index" for chunk in meta[2]]
        names += [f"filter/{item[1]}.pf_filter" for item in meta[3]]
    return sorted(set(names))


def _run(args: list[str]) -> None:
    run = subprocess.run(args, capture_output=True, text=True)
    if run.returncode != 0:
        raise SearchIndexError((run.stderr or run.stdout).strip() or f"pagefind stoppede med kode {run.returncode}")


def index_site(site: Path, cache: Path | None = None) -> None:
    """Index the built site at `site` with Pagefind and write the overviews' id maps. With `cache`
    (a folder kept between builds), the searched parts and Pagefind's bundle are kept there, and
    the site gets a copy of the files the new index names."""
    site = Path(site)
    lock = None
    if cache is not None:
        try:
            Path(cache).mkdir(parents=True, exist_ok=True)
            lock = open(Path(cache) / "lock", "w")
        except OSError:
            lock = None    # a read-only checkout indexes without keeping anything
    if lock is None:
        with _scratch(site) as tmp:
            write_searched_parts(site, Path(tmp))
            _run(command(Path(tmp), site / BUNDLE))
        write_id_maps(site, urls_of(fragments(site)))
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)     # two builds at once take turns with the folder
        _index_with_cache(site, Path(cache))


def _scratch(site: Path) -> tempfile.TemporaryDirectory:
    """A folder for the searched parts of a build that keeps nothing, next to the site: on the site's
    file system, as the kept folder (.cache/pagefind) normally is, because Pagefind numbers the pages
    in the order the file system lists the files (see write_searched_parts). Elsewhere if the site's
    parent folder cannot take it."""
    try:
        return tempfile.TemporaryDirectory(prefix=".vk-soeg-", dir=site.resolve().parent)
    except OSError:
        return tempfile.TemporaryDirectory(prefix="vk-soeg-")


def _index_with_cache(site: Path, cache: Path) -> None:
    """Pagefind's bundle made in `cache`/bundle and copied to the site. A bundle without the mark
    of a finished run (a build stopped half-way may leave a file half-written) is thrown away first."""
    parts, bundle, done, known = cache / "sider", cache / "bundle", cache / "bundle.ok", cache / "urls.json"
    if not done.exists():
        shutil.rmtree(bundle, ignore_errors=True)
        known.unlink(missing_ok=True)
    done.unlink(missing_ok=True)
    parts.mkdir(exist_ok=True)
    write_searched_parts(site, parts)
    _run(command(parts, bundle))
    keep = bundle_files(bundle)
    target = site / BUNDLE
    shutil.rmtree(target, ignore_errors=True)
    for name in keep:
        source, copy = bundle / name, target / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        if "/" in name:     # named by its content: Pagefind never writes it again, so it can be shared
            try:
                os.link(source, copy)
                continue
            except OSError:
                pass
        shutil.copyfile(source, copy)
    keep_set = set(keep)
    for path in bundle.rglob("*.pf_*"):
        if path.relative_to(bundle).as_posix() not in keep_set:
            path.unlink()
    # Each fragment's page address, by the fragment's name (its content's hash): read once.
    try:
        urls = json.loads(known.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        urls = {}
    urls = urls if isinstance(urls, dict) else {}
    current = [Path(name).stem for name in keep if name.startswith("fragment/")]
    urls = {page_id: urls[page_id] if isinstance(urls.get(page_id), str)
            else read_fragment((bundle / "fragment" / f"{page_id}.pf_fragment").read_bytes())["url"]
            for page_id in current}
    known.write_text(json.dumps(urls, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    write_id_maps(site, urls)
    done.touch()


SIGNATURE = b"pagefind_dcd"      # what Pagefind writes before the content of each compressed file


def read_fragment(data: bytes) -> dict:
    """One of Pagefind's fragment files (gzip: a 'pagefind_dcd' signature, then JSON with the page's
    url, content, meta and filters)."""
    return json.loads(_unpacked(data).decode("utf-8"))


def _unpacked(data: bytes) -> bytes:
    """A compressed Pagefind file's content: gunzipped, without the signature."""
    raw = gzip.decompress(data)
    return raw[len(SIGNATURE):] if raw.startswith(SIGNATURE) else raw


def fragments(site: Path) -> dict[str, dict]:
    """Every indexed page of a built site as Pagefind stored it, by Pagefind's page id."""
    return {f.stem: read_fragment(f.read_bytes())
            for f in sorted((Path(site) / BUNDLE / "fragment").glob("*.pf_fragment"))}


def urls_of(found: dict[str, dict]) -> dict[str, str]:
    """Pagefind's page id -> the page's address, from its fragments (fragments)."""
    return {page_id: fragment["url"] for page_id, fragment in found.items()}


def id_maps(urls: dict[str, str]) -> dict[str, dict[str, str]]:
    """For each overview kind, Pagefind's page id -> the page's slug."""
    maps: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
    for page_id, url in urls.items():
        parts = [p for p in url.split("/") if p]
        if len(parts) >= 2 and parts[-2] in maps:
            maps[parts[-2]][page_id] = parts[-1]
    return maps


def write_id_maps(site: Path, urls: dict[str, str]) -> None:
    """<site>/search/<kind>.json for each overview kind (compact JSON)."""
    folder = Path(site) / ID_MAPS
    folder.mkdir(parents=True, exist_ok=True)
    for kind, ids in id_maps(urls).items():
        (folder / f"{kind}.json").write_text(json.dumps(ids, separators=(",", ":"), sort_keys=True),
                                             encoding="utf-8")
