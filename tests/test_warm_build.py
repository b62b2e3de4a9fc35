"""A build with the caches of an earlier build (Python-Markdown's conversions of generated pages,
toolbox.mkdocs_hook.Conversions, and Pagefind's bundle, toolbox.search) writes the same site,
byte for byte, as a build without them, and still stops on what a cold build stops on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import cbor2
from helpers import CASE_BODY, VALID_CASE, project_copy, write_case
from toolbox import search


def run_build(project: Path, out: Path, cached: bool) -> subprocess.CompletedProcess:
    """`mkdocs build --strict`, with the caches (no CI) or without them (CI=true)."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update({"NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000", **({} if cached else {"CI": "true"})})
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                          cwd=project, env=env, capture_output=True, text=True)


def tree(site: Path) -> dict[str, bytes]:
    """Every file of a built site by its path. Pagefind writes a filter's values in a different
    order on each run (and so names the filter and metadata files differently): those files are
    replaced by what they say, in order."""
    files = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    unordered = [k for k in files if k.endswith((".pf_filter", ".pf_meta")) or k == "pagefind/pagefind-entry.json"]
    for name in unordered:
        del files[name]
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        meta = cbor2.loads(search._unpacked((site / "pagefind" / f"pagefind.{language['hash']}.pf_meta").read_bytes()))
        filters = {}
        for name, filter_hash in meta[3]:
            [_, values] = cbor2.loads(search._unpacked((site / "pagefind" / "filter" / f"{filter_hash}.pf_filter").read_bytes()))
            filters[name] = sorted((value, sorted(pages)) for value, pages in values)
        files[f"pagefind ({language['wasm']})"] = repr((language["page_count"], meta[1], meta[2], filters)).encode()
    return files


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted({k for k in a.keys() | b.keys() if a.get(k) != b.get(k)})


def test_a_warm_build_writes_the_cold_build_and_uses_its_caches(tmp_path):
    project = project_copy(tmp_path)
    write_case(project, "koege-bliver-slettet.md", {**VALID_CASE, "title": "En case der forsvinder", "methods": ["world-cafe"]}, CASE_BODY)
    first = run_build(project, tmp_path / "first", cached=True)
    assert first.returncode == 0, first.stderr[-3000:]
    cache = project / ".cache"
    [content] = (cache / "toolbox").glob("content-*.json")
    conversions = {k: v for k, v in json.loads(content.read_text(encoding="utf-8")).items() if "converted" in v}
    assert len(conversions) > 50                       # every method card and case was kept
    bundle = cache / "pagefind" / "bundle"
    assert len(list((bundle / "fragment").glob("*.pf_fragment"))) > 50

    # Contributors edit a case and a method card and remove a case; the warm build is the cold build.
    case = project / "cases" / "koege-borgerinddragelseskorps.md"
    case.write_text(case.read_text(encoding="utf-8") + "\nEn ny sætning om frivillige i Køge.\n", encoding="utf-8")
    method = project / "methods" / "world-cafe.md"
    method.write_text(method.read_text(encoding="utf-8").replace("## Tips\n", "## Tips\n\nEt nyt tip fra en træner.\n", 1),
                      encoding="utf-8")
    (project / "cases" / "koege-bliver-slettet.md").unlink()
    warm = run_build(project, tmp_path / "warm", cached=True)
    assert warm.returncode == 0, warm.stderr[-3000:]
    cold = run_build(project, tmp_path / "cold", cached=False)
    assert cold.returncode == 0, cold.stderr[-3000:]
    warm_files, cold_files = tree(tmp_path / "warm"), tree(tmp_path / "cold")
    assert differences(warm_files, cold_files) == []
    assert not any("forsvinder" in page.get("meta", {}).get("title", "")
                   for page in search.fragments(tmp_path / "warm").values())
    # The cache keeps only the current bundle: the removed case's fragment is gone from it too.
    assert sorted(p.name for p in (bundle / "fragment").iterdir()) == \
        sorted(p.name for p in (tmp_path / "cold" / "pagefind" / "fragment").iterdir())

    # The warm build did read the caches: a conversion changed in the cache is what it publishes
    # (so a cache must never come from someone else: CI does not use one), and a bundle left by a
    # build stopped half-way is made again rather than trusted.
    entries = json.loads(content.read_text(encoding="utf-8"))
    key, entry = next((k, v) for k, v in entries.items()
                      if "converted" in v and "Forløbet" in v["converted"] and "frivillige i Køge" in v["converted"])
    entries[key] = {**entry, "converted": entry["converted"].replace("frivillige i Køge", "frivillige fra cachen")}
    for other in [k for k, v in entries.items() if "converted" in v and k != key][:3]:
        entries[other]["toc"] = "ødelagt"             # an entry of the wrong shape is converted again
    content.write_text(json.dumps(entries), encoding="utf-8")
    fragment = sorted((bundle / "fragment").iterdir())[0]
    fragment.write_bytes(b"halvt skrevet")
    (cache / "pagefind" / "bundle.ok").unlink()
    again = run_build(project, tmp_path / "again", cached=True)
    assert again.returncode == 0, again.stderr[-3000:]
    again_files = tree(tmp_path / "again")
    page = "cases/koege-borgerinddragelseskorps/index.html"
    assert "frivillige fra cachen" in again_files[page].decode()
    assert [k for k in differences(again_files, cold_files) if not k.startswith(("pagefind", "search/"))] == [page]
    assert not fragment.exists() or fragment.read_bytes() != b"halvt skrevet"
    assert len(search.fragments(tmp_path / "again")) == len(search.fragments(tmp_path / "cold"))   # all readable


def test_a_warm_strict_build_still_stops_on_a_broken_link(tmp_path):
    """A conversion that warned is not kept: the next build converts it again, warns again, and
    --strict stops it again."""
    project = project_copy(tmp_path)
    write_case(project, "koege-med-brudt-link.md", {**VALID_CASE, "title": "Case med brudt link", "methods": ["world-cafe"]},
               CASE_BODY + "\nSe [den anden case](findes-ikke.md).\n")
    for _ in range(2):
        result = run_build(project, tmp_path / "site", cached=True)
        assert result.returncode != 0
        assert "findes-ikke.md" in result.stderr


def test_a_build_that_cannot_keep_the_search_bundle_indexes_all_the_same(tmp_path):
    """Where .cache/pagefind cannot be made (here a file is in its way), the search is indexed
    without keeping anything, and the build does not fail."""
    project = project_copy(tmp_path)
    (project / ".cache").mkdir()
    (project / ".cache" / "pagefind").write_text("ikke en mappe", encoding="utf-8")
    result = run_build(project, tmp_path / "site", cached=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(search.fragments(tmp_path / "site")) > 50
    assert (project / ".cache" / "pagefind").read_text(encoding="utf-8") == "ikke en mappe"
