"""Stable addresses: a renamed card's former file names ('former_slugs') keep its old address
working (a redirect page), the validator keeps them unambiguous, and file names stay short."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest

from helpers import CASE_BODY, METHOD_BODY, VALID_CASE, VALID_METHOD, build, make_doc, project_copy
from toolbox import model, search
from toolbox.loader import load_all
from toolbox.qr import qr_svg
from toolbox.static_export import export_site
from toolbox.text import SLUG_MAX
from toolbox.validate import validate_all

SITE_URL = "https://vaerktoej.example.dk/kasse/"


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line of `text` that contains `needle`."""
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


def card(name: str, **meta):
    """A valid method card called methods/<name>.md with changed fields."""
    return make_doc({**VALID_METHOD, "title": name.capitalize(), **meta}, METHOD_BODY, name=f"{name}.md")


def messages(docs) -> list[tuple[str, int, str]]:
    return [(p.path, p.line, p.message) for p in validate_all(docs)]


# ---------------------------------------------------------------------------------------------
# The validator

def test_former_slugs_are_optional_and_pass_when_they_are_free():
    assert messages([card("ny", former_slugs=["gammel", "endnu-aeldre"]), card("anden")]) == []
    assert messages([card("ny", former_slugs=[]), card("anden")]) == []


@pytest.mark.parametrize("former, others, expected", [
    (["anden"], ["anden"], "'anden' er filnavnet på et andet metodekort (methods/anden.md)"),
    (["ny"], [], "'ny' er kortets nuværende filnavn"),
    (["index"], [], "'index' kan ikke bruges som tidligere filnavn"),
    (["gammel", "gammel"], [], "'gammel' står to gange"),
    (["Gammel Navn"], [], "'Gammel Navn' er ikke et filnavn på et metodekort; brug små bogstaver a-z, tal og "
                          "bindestreger uden .md. Mente du 'gammel-navn'?"),
    ("gammel", [], "skal være en liste med firkantede parenteser om"),
])
def test_a_former_slug_that_is_not_free_is_a_danish_error_at_its_line(former, others, expected):
    doc = card("ny", former_slugs=former)
    found = messages([doc] + [card(o) for o in others])
    line = doc.line_of("former_slugs", len(former) - 1) if isinstance(former, list) else doc.line_of("former_slugs")
    assert [(path, at) for path, at, message in found if expected in message] == [(doc.path, line)], found
    assert len([m for m in found if m[0] == doc.path]) == 1, found     # one mistake, one message


def test_two_cards_claiming_one_former_slug_are_both_told():
    a, b = card("a", former_slugs=["gammel"]), card("b", former_slugs=["andet", "gammel"])
    found = messages([a, b])
    assert (a.path, a.line_of("former_slugs", 0),
            "feltet 'former_slugs' (tidligere filnavne): 'gammel' står også under 'former_slugs' i "
            "'methods/b.md'; en gammel adresse kan kun sende videre til ét kort. Slet linjen i det kort, "
            "den ikke hører til.") in found
    assert [(p, line) for p, line, m in found if "står også under" in m] == [
        (a.path, a.line_of("former_slugs", 0)), (b.path, b.line_of("former_slugs", 1))]


def test_a_reference_by_a_former_name_says_the_cards_name_now():
    case = make_doc({**VALID_CASE, "methods": ["gammel"]}, CASE_BODY, kind="case")
    found = messages([card("ny", former_slugs=["gammel"]), case])
    assert found == [(case.path, case.line_of("methods", 0),
                      "feltet 'methods': metodekortet 'gammel' findes ikke i methods/. Kortet er omdøbt; skriv 'ny'.")]


@pytest.mark.parametrize("kind, stem", [
    ("method", "a" * (SLUG_MAX + 1)),
    ("method", "samskabelse-med-foreninger-og-virksomheder-i-lokalsamfundet-og-byen"),
    ("case", "koege-" + "borgerpanel-" * 5 + "om-stier"),
])
def test_a_file_name_longer_than_the_limit_is_a_danish_error_with_a_shorter_name(kind, stem):
    meta = VALID_METHOD if kind == "method" else VALID_CASE
    doc = make_doc(meta, METHOD_BODY if kind == "method" else CASE_BODY, kind=kind, name=f"{stem}.md")
    found = [m for m in messages([doc]) if "tegn langt" in m[2]]
    assert len(found) == 1 and found[0][1] == 1
    message = found[0][2]
    assert f"er {len(stem)} tegn langt (uden .md); højst {SLUG_MAX} er tilladt" in message
    suggested = re.search(r"Omdøb filen til '([a-z0-9-]+)\.md'", message).group(1)
    assert len(suggested) <= SLUG_MAX and stem.startswith(suggested)
    ok = make_doc(meta, METHOD_BODY if kind == "method" else CASE_BODY, kind=kind, name=f"{suggested}.md")
    assert not [m for m in messages([ok]) if "tegn langt" in m[2] or "filnavnet" in m[2]]


def test_a_name_at_the_limit_passes():
    doc = make_doc(VALID_METHOD, METHOD_BODY, name=("kort-" * 12)[:SLUG_MAX - 1] + "x.md")
    assert len(doc.slug) == SLUG_MAX and not [m for m in messages([doc]) if "filnavnet" in m[2]]


# ---------------------------------------------------------------------------------------------
# The build

def unreferenced_card(project: Path):
    """A method card no case and no other card names, so renaming it breaks no reference."""
    docs = load_all(project)[0]
    named = {s for d in docs for key in ("methods", "related") for s in d.meta.get(key) or []}
    return next(d for d in docs if d.ctype is model.METHOD and d.slug not in named)


def rename(project: Path, doc, new: str) -> Path:
    """Rename a card's file as a contributor does and list the old name under 'former_slugs'."""
    old = project / doc.path
    text = old.read_text(encoding="utf-8")
    assert "former_slugs" not in text
    path = old.with_name(f"{new}.md")
    head, sep, body = text[4:].partition("\n---\n")
    path.write_text(f"---\n{head}\nformer_slugs: [{doc.slug}]\n---\n{body}", encoding="utf-8")
    old.unlink()
    return path


def test_a_renamed_card_keeps_its_old_address_as_a_redirect(tmp_path):
    project = project_copy(tmp_path)
    doc = unreferenced_card(project)
    old, new = doc.slug, doc.slug + "-ny"
    rename(project, doc, new)
    out = tmp_path / "site"
    result = build(project, out, strict=True, site_url=SITE_URL)
    assert result.returncode == 0, result.stderr[-3000:]

    # The old address serves a page that sends the reader on to the card's address now.
    redirect = (out / "metoder" / old / "index.html").read_text(encoding="utf-8")
    refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', redirect).group(1)
    assert urljoin(SITE_URL + f"metoder/{old}/", unescape(refresh)) == SITE_URL + f"metoder/{new}/"
    assert f'<link rel="canonical" href="{SITE_URL}metoder/{new}/">' in redirect
    assert '<meta name="robots" content="noindex">' in redirect and '<html lang="da">' in redirect
    visible = unescape(re.sub(r"<[^>]+>", "", redirect.split("<body", 1)[1]))
    assert f"Kortet er flyttet til {doc.meta['title']}." in " ".join(visible.split())
    link = re.search(r'<a href="([^"]+)">', redirect).group(1)
    assert urljoin(SITE_URL + f"metoder/{old}/", unescape(link)) == SITE_URL + f"metoder/{new}/"
    # It carries the site's policy and needs no script.
    assert 'http-equiv="Content-Security-Policy"' in redirect and "<script" not in redirect

    # The card is at its new address, and its QR code and short address point there.
    card_html = (out / "metoder" / new / "index.html").read_text(encoding="utf-8")
    short = re.search(r'<span class="vk-url[^"]*">([^<]+)</span>', card_html).group(1)
    assert short == f"vaerktoej.example.dk/kasse/metoder/{new}"
    assert str(qr_svg(SITE_URL + f"metoder/{new}/")) in card_html
    assert str(qr_svg(SITE_URL + f"metoder/{old}/")) not in card_html

    # The search does not find the old address, and the sitemap does not list it.
    urls = {f["url"] for f in search.fragments(out).values()}
    assert any(u.rstrip("/").endswith(f"metoder/{new}") for u in urls)
    assert not any(u.rstrip("/").endswith(f"metoder/{old}") for u in urls)
    assert f"metoder/{old}/" not in (out / "sitemap.xml").read_text(encoding="utf-8")

    # The static export writes the same page.
    exported = tmp_path / "export"
    assert export_site(project, exported, SITE_URL) == 0
    assert (exported / "docs" / "metoder" / old / "index.html").read_text(encoding="utf-8") == redirect


def test_a_former_slug_that_is_a_current_cards_fails_the_build_at_its_line(tmp_path):
    project = project_copy(tmp_path)
    docs = [d for d in load_all(project)[0] if d.ctype is model.METHOD]
    doc, other = docs[0], docs[1]
    path = project / doc.path
    text = path.read_text(encoding="utf-8")
    head, sep, body = text[4:].partition("\n---\n")
    path.write_text(f"---\n{head}\nformer_slugs:\n  - gammelt-navn\n  - {other.slug}\n---\n{body}", encoding="utf-8")
    line = line_of(path.read_text(encoding="utf-8"), f"  - {other.slug}")
    result = build(project, tmp_path / "site", strict=True)
    assert result.returncode != 0
    assert (f"{doc.path}:{line}: feltet 'former_slugs' (tidligere filnavne): '{other.slug}' er filnavnet på et "
            f"andet metodekort (methods/{other.slug}.md)") in result.stderr


def test_a_former_slug_a_hand_written_page_uses_is_a_problem_and_the_page_stays(tmp_path):
    from toolbox.plan import plan_site
    project = project_copy(tmp_path)
    (project / "docs" / "metoder" / "om-kortene.md").write_text("# Om kortene\n\nTekst.\n", encoding="utf-8")
    doc = unreferenced_card(project)
    path = project / doc.path
    head, sep, body = path.read_text(encoding="utf-8")[4:].partition("\n---\n")
    path.write_text(f"---\n{head}\nformer_slugs: [om-kortene]\n---\n{body}", encoding="utf-8")
    plan = plan_site(project, SITE_URL)
    line = line_of(path.read_text(encoding="utf-8"), "former_slugs:")
    assert [(p.path, p.line) for p in plan.problems if "'om-kortene' kan ikke bruges" in p.message] == [(doc.path, line)]
    assert "metoder/om-kortene/index.html" not in plan.data
