"""Trust without a browser: Jinja payloads never run, every internal link resolves, builds repeat."""

from __future__ import annotations

import hashlib
import re
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from helpers import CASE_BODY, VALID_CASE, VALID_METHOD, build, project_copy, write_case

JINJA_PAYLOADS = [
    "{{ 7*7 }}",
    "{% include 'mkdocs.yml' %}",
    "{{ ''.__class__.__mro__ }}",
    "{{ config.site_name }}",
    "{% for x in range(3) %}løkke{% endfor %}",
    "{{ macros_info() }}",
    "{{ context() }}",
    "{% raw %}rå{% endraw %}",
    "{% raw %} uden slutning",
    "{{ undefined_variable_xyz }}",
]


def _text(html: str) -> str:
    m = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S)
    return unescape(re.sub(r"<[^>]+>", "", m.group(1)))


@pytest.fixture(scope="module")
def jinja_site(tmp_path_factory):
    """A project copy with a case and a method full of Jinja, built with --strict."""
    tmp = tmp_path_factory.mktemp("jinja")
    project = project_copy(tmp)
    body_lines = "\n\n".join(f"Linje {i}: `{p}` og {p}" for i, p in enumerate(JINJA_PAYLOADS))
    case = {**VALID_CASE, "title": "Skabelon {{ 7*7 }}", "description": "Beskrivelse {% include 'x' %}",
            "methods": ["world-cafe"], "roles": ["{{ config }}"], "results": ["{{ 6*7 }}"],
            "contact": "{{ 8*8 }}"}
    write_case(project, "koege-jinja.md", case, CASE_BODY + "\n" + body_lines + "\n")
    method = {**VALID_METHOD, "title": "Metode {{ 7*7 }}", "materials": ["{{ 9*9 }}"],
              "preparation": "{% include 'mkdocs.yml' %}"}
    # The card's sections have print budgets: the payloads are spread over all three.
    lines = [f"Linje {i}: `{p}` og {p}" for i, p in enumerate(JINJA_PAYLOADS)]
    thirds = ["\n\n".join(lines[k::3]) for k in range(3)]
    card_body = (f"\n## Formål\n\n{thirds[0]}\n\n## Tips\n\n{thirds[1]}\n\n"
                 f"## Overvejelser i en kommune\n\n{thirds[2]}\n")
    write_case(project, "jinja-metode.md", method, card_body, folder="methods")
    out = tmp / "site"
    result = build(project, out, strict=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.mark.parametrize("url", ["cases/koege-jinja", "metoder/jinja-metode"])
def test_jinja_payloads_render_literally_and_never_execute(jinja_site, url):
    html = (jinja_site / url / "index.html").read_text(encoding="utf-8")
    text = _text(html)
    for payload in JINJA_PAYLOADS:
        assert payload in text.replace("<strong>", ""), payload
    for evaluated in ("49", "42", "64", "81", "løkkeløkke", "<class", "site_name:", "Værktøjskassen Macros"):
        assert evaluated not in text, evaluated


def test_jinja_in_titles_reaches_overviews_and_data_literally(jinja_site):
    overview = _text((jinja_site / "cases" / "index.html").read_text(encoding="utf-8"))
    assert "Skabelon {{ 7*7 }}" in overview and "Skabelon 49" not in overview
    data = (jinja_site / "data" / "metoder.json").read_text(encoding="utf-8")
    assert '"Metode {{ 7*7 }}"' in data


def test_render_macros_in_a_contribution_is_rejected_and_never_executes(tmp_path):
    project = project_copy(tmp_path)
    meta = {**VALID_CASE, "methods": ["world-cafe"], "render_macros": True}
    write_case(project, "koege-makro.md", meta, CASE_BODY + "\nSvaret er {{ 7*7 }}.\n")
    strict = build(project, tmp_path / "strict", strict=True)
    assert strict.returncode != 0
    assert "cases/koege-makro.md:" in strict.stderr and "'render_macros' er ikke tilladt" in strict.stderr
    loose = build(project, tmp_path / "loose", strict=False)
    assert loose.returncode == 0
    html = (tmp_path / "loose" / "cases" / "koege-makro" / "index.html").read_text(encoding="utf-8")
    assert "Svaret er 49" not in html
    assert "har fejl" in _text(html)


# ---------------------------------------------------------------------------------------------

def _links(html: str):
    for m in re.finditer(r'<a\s(?:[^>]*?\s)?href="([^"]*)"', html):
        yield unescape(m.group(1))


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html)) | set(re.findall(r'\sname="([^"]+)"', html))


def test_every_internal_link_and_anchor_resolves(built_site):
    pages = {p: p.read_text(encoding="utf-8") for p in built_site.rglob("*.html")}
    ids = {p: _ids(html) for p, html in pages.items()}
    broken = []
    for path, html in pages.items():
        for href in _links(html):
            parsed = urlparse(href)
            if parsed.scheme or href.startswith(("//", "mailto:")) or not href:
                if parsed.scheme in ("http", "https") and parsed.hostname in ("127.0.0.1", "localhost"):
                    pass
                else:
                    continue
            if parsed.scheme or parsed.path.startswith("/"):
                # Root-relative (404.html) or absolute on this site: the test build's site_url is "/".
                target_path = built_site / unquote(parsed.path).lstrip("/")
            else:
                target_path = (path.parent / unquote(parsed.path)) if parsed.path else path
            if target_path.is_dir() or str(target_path).endswith("/"):
                target_path = target_path / "index.html"
            target_path = Path(str(target_path.resolve()))
            if not target_path.exists():
                broken.append(f"{path.relative_to(built_site)} -> {href}")
                continue
            if parsed.fragment and target_path.suffix == ".html":
                if parsed.fragment not in ids.get(target_path, set()) and parsed.fragment != "__search":
                    broken.append(f"{path.relative_to(built_site)} -> {href} (anker mangler)")
    assert broken == []


def _digest(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


# Pagefind 1.5.2 writes a filter's values in hash-map order, so its filter chunk, and the metadata
# file and entry that name the chunk by its hash, differ from run to run (the same content in another
# order). Every other file, the index chunks and page fragments included, is byte for byte the same.
PAGEFIND_UNORDERED = re.compile(r"^pagefind/(filter/.*\.pf_filter|pagefind\..*\.pf_meta|pagefind-entry\.json)$")


def test_two_builds_of_the_same_commit_give_the_same_files(tmp_path):
    project = project_copy(tmp_path)
    first = build(project, tmp_path / "a", strict=True)
    second = build(project, tmp_path / "b", strict=True)
    assert first.returncode == 0 and second.returncode == 0
    a, b = _digest(tmp_path / "a"), _digest(tmp_path / "b")
    unordered = [name for name in a if PAGEFIND_UNORDERED.match(name)]
    assert len(unordered) == 3 == len([name for name in b if PAGEFIND_UNORDERED.match(name)])
    a = {k: v for k, v in a.items() if k not in unordered}
    b = {k: v for k, v in b.items() if not PAGEFIND_UNORDERED.match(k)}
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
