"""The Danish is spelled right: hunspell (Danish dictionary) over all content and pages.

Words that are right but unknown to the dictionary (names, terms) live in tests/spelling/*.txt.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
import yaml

from helpers import ROOT
from toolbox import model
from toolbox.loader import load_all

SPELLING = ROOT / "tests" / "spelling"
# Not Danish prose: file names, addresses, and bibliographic references (titles and authors of
# sources are written in the source's own language).
NOT_PROSE = {"related", "methods", "worksheets", "url", "sources"}


def _strings(value, key=""):
    if key in NOT_PROSE:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for k, item in value.items():
            yield from _strings(item, str(k))


def prose(markdown: str) -> str:
    """The words a reader sees in Markdown: no code, HTML, links' addresses, macros or attributes."""
    text = re.sub(r"^(```|~~~).*?^\1", " ", markdown, flags=re.S | re.M)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{[:.#][^}]*\}|\{ [^}]*\}", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\]\([^)]*\)", "] ", text)
    text = re.sub(r"https?://\S+", " ", text)
    return text


def texts() -> dict[str, str]:
    """Every text to check, by file."""
    out = {}
    for doc in load_all(ROOT)[0]:
        out[doc.path] = "\n".join(_strings(doc.meta)) + "\n" + prose(doc.body)
    for path in sorted((ROOT / "docs").rglob("*.md")):
        raw = path.read_text(encoding="utf-8")
        if raw.startswith("---"):
            _, front, raw = raw.split("---", 2)
            meta = yaml.safe_load(front) or {}
            raw = f"{meta.get('title', '')}\n{meta.get('description', '')}\n{raw}"
        out[str(path.relative_to(ROOT))] = prose(raw)
    for name in ("glossary", "approaches", "phases", "areas", "audiences", "difficulty", "kinds", "levels", "durations"):
        data = yaml.safe_load((ROOT / "toolbox" / "vocabularies" / f"{name}.yml").read_text(encoding="utf-8"))
        out[f"toolbox/vocabularies/{name}.yml"] = "\n".join(
            f"{t.get('label', '')} {t.get('description', '')}" for t in data["terms"])
    for path in (ROOT / "CONTRIBUTING.md",):
        if path.exists():
            out[path.name] = prose(path.read_text(encoding="utf-8"))
    return out


def test_all_danish_text_is_spelled_right(tmp_path):
    hunspell = shutil.which("hunspell")
    if hunspell is None or not list(filter(os.path.exists, ("/usr/share/hunspell/da_DK.dic",))):
        if os.environ.get("CI") == "true":
            pytest.fail("hunspell with the Danish dictionary is missing (apt-get install hunspell hunspell-da)")
        pytest.skip("hunspell-da is not installed")
    words = sorted({w.strip() for f in SPELLING.glob("*.txt") for w in f.read_text(encoding="utf-8").splitlines()
                    if w.strip() and not w.startswith("#")})
    personal = tmp_path / "words.dic"
    personal.write_text("\n".join(words) + "\n", encoding="utf-8")
    # One hunspell run over everything (starting it loads the dictionary), then each unknown word
    # traced back to the files that hold it.
    all_texts = texts()
    result = subprocess.run([hunspell, "-d", "da_DK", "-p", str(personal), "-i", "utf-8", "-l"],
                            input="\n".join(all_texts.values()), capture_output=True, text=True, check=True)
    words_found = set(result.stdout.split())
    unknown = {}
    for name, text in all_texts.items():
        found = sorted(w for w in words_found if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text))
        if found:
            unknown[name] = found
    assert unknown == {}, "Ukendte ord (ret stavningen, eller tilføj ordet i tests/spelling/): " + repr(unknown)


def test_every_vocabulary_value_is_used_by_at_least_one_method_card():
    docs = [d for d in load_all(ROOT)[0] if d.ctype is model.METHOD]
    from toolbox import vocab
    for f in model.METHOD.fields:
        if f.vocabulary:
            used = set()
            for d in docs:
                value = d.meta.get(f.name, [])
                used.update(value if isinstance(value, list) else [value])
            assert set(vocab.load(f.vocabulary).values) <= used, (f.name, set(vocab.load(f.vocabulary).values) - used)


def test_there_are_at_least_45_method_cards_and_the_five_cases():
    docs = load_all(ROOT)[0]
    assert len([d for d in docs if d.ctype is model.METHOD]) >= 45
    cases = {d.slug for d in docs if d.ctype is model.CASE}
    assert {"kolding-traeningsbanen", "kolding-sammen-designer-vi-livet", "koege-borgerinddragelseskorps",
            "billund-fremtidens-legeplads", "hedensted-fra-vejledning-til-coaching"} <= cases
