"""The site search: a Pagefind index of the built site, and the page-id maps the overviews use.

Pagefind (https://pagefind.app, its PyPI package ships the binary) reads the finished HTML and writes
a chunked index into <site>/pagefind/: a browser loads only the chunks a query needs, stems Danish
(`<html lang="da">`) and ignores accents (cafe finds Café, abent finds Åbent). What it indexes is
set in the theme (toolbox/theme/main.html marks each page's content with data-pagefind-body, its
kind as a filter and its weight) and by EXCLUDED below. The overviews (/metoder/, /cases/) ask the
same index for the pages a query finds and need each result's slug without loading a fragment
per result: `write_id_maps` writes, per kind, Pagefind's page id -> slug.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from html import escape
from pathlib import Path

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


def command(site: Path) -> list[str]:
    """The Pagefind command line that indexes `site` as Danish (the bundled binary, via Python)."""
    args = [sys.executable, "-m", "pagefind", "--site", str(site), "--force-language", "da", "--quiet"]
    for selector in EXCLUDED:
        args += ["--exclude-selectors", selector]
    return args


def index_site(site: Path) -> None:
    """Index the built site at `site` with Pagefind and write the overviews' id maps."""
    site = Path(site)
    run = subprocess.run(command(site), capture_output=True, text=True)
    if run.returncode != 0:
        raise SearchIndexError((run.stderr or run.stdout).strip() or f"pagefind stoppede med kode {run.returncode}")
    write_id_maps(site)


def read_fragment(data: bytes) -> dict:
    """One of Pagefind's fragment files (gzip: a 'pagefind_dcd' signature, then JSON with the page's
    url, content, meta and filters)."""
    raw = gzip.decompress(data)
    if raw.startswith(b"pagefind_dcd"):
        raw = raw[len(b"pagefind_dcd"):]
    return json.loads(raw.decode("utf-8"))


def fragments(site: Path) -> dict[str, dict]:
    """Every indexed page of a built site as Pagefind stored it, by Pagefind's page id."""
    return {f.stem: read_fragment(f.read_bytes())
            for f in sorted((Path(site) / BUNDLE / "fragment").glob("*.pf_fragment"))}


def id_maps(site: Path) -> dict[str, dict[str, str]]:
    """For each overview kind, Pagefind's page id -> the page's slug."""
    maps: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
    for page_id, fragment in fragments(site).items():
        parts = [p for p in fragment["url"].split("/") if p]
        if len(parts) >= 2 and parts[-2] in maps:
            maps[parts[-2]][page_id] = parts[-1]
    return maps


def write_id_maps(site: Path) -> None:
    """<site>/search/<kind>.json for each overview kind (compact JSON)."""
    folder = Path(site) / ID_MAPS
    folder.mkdir(parents=True, exist_ok=True)
    for kind, ids in id_maps(site).items():
        (folder / f"{kind}.json").write_text(json.dumps(ids, separators=(",", ":"), sort_keys=True),
                                             encoding="utf-8")
