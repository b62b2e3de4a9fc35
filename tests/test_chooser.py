"""The method chooser's ranking (toolbox/chooser.py): its rules on made-up cards, its answers on the
real deck, and the browser's port (docs/assets/js/chooser.js, run in Node) giving the same output on
every situation the form can express."""

from __future__ import annotations

import itertools
import json
import subprocess


from helpers import METHOD_BODY, ROOT, VALID_METHOD, make_doc, need
from toolbox import chooser, model, vocab
from toolbox.loader import parse

# The deck as the site has it (the template, _skabelon.md, is no card); read, not planned: fast.
DECK = [parse(f"methods/{p.name}", p.read_bytes(), model.METHOD)
        for p in sorted((ROOT / "methods").glob("[a-z0-9]*.md"))]
DATA = chooser.chooser_data(DECK)
NOTHING = {k: "" for k in chooser.KEYS}


def card(slug: str, **meta):
    """A valid method card named `slug` with some front matter changed."""
    return make_doc({**VALID_METHOD, **meta}, METHOD_BODY, name=f"{slug}.md")


def situation(**answers) -> dict:
    return {**NOTHING, **answers}


def slugs(data, **answers) -> list[str]:
    return [r["slug"] for r in chooser.rank(data, situation(**answers))]


def band(key: str, value: str) -> dict:
    return next(o for o in DATA[key] if o["id"] == value)


# ---- the rules, on made-up cards ------------------------------------------------------------

def test_nothing_answered_suggests_nothing():
    assert chooser.rank(DATA, NOTHING) == []


def test_time_is_a_hard_filter_with_a_quarter_of_tolerance_and_a_stretch_is_named():
    data = chooser.chooser_data([
        card("fits", duration={"min": 60, "max": 90}),
        card("stretch", duration={"min": 110, "max": 150}),      # 110 <= 90 * 5/4 = 112.5
        card("too-long", duration={"min": 113, "max": 150}),
    ])
    assert slugs(data, tid="45-90") == ["fits", "stretch"]
    stretch = chooser.rank(data, situation(tid="45-90"))[1]
    assert stretch["watch"] == "Tager mindst 110 minutter; I har 45–90 minutter."
    assert "110" not in stretch["why"]   # a stretch is never given as a reason
    assert chooser.rank(data, situation(tid="45-90"))[0]["why"] == "Passer i tid: 60–90 minutter."
    both = chooser.rank(data, situation(tid="45-90", deltagere="6-15"))[0]["why"]
    assert both == "Passer i tid og antal: 60–90 minutter, 2–10 deltagere."


def test_participants_must_reach_the_band_within_the_tolerance_on_either_side():
    data = chooser.chooser_data([
        card("small-stretch", participants={"min": 2, "max": 13}),   # 13 >= 16 * 4/5 = 12.8
        card("too-small", participants={"min": 2, "max": 12}),
        card("overlaps", participants={"min": 30, "max": 80}),
        card("big-stretch", participants={"min": 50, "max": 80}),    # 50 <= 40 * 5/4
        card("too-big", participants={"min": 51, "max": 80}),
    ])
    ranked = chooser.rank(data, situation(deltagere="16-40"))
    assert [r["slug"] for r in ranked] == ["overlaps", "big-stretch", "small-stretch"]
    watch = {r["slug"]: r["watch"] for r in ranked}
    assert watch["small-stretch"] == "Passer til højst 13 deltagere; I er 16–40 deltagere."
    assert watch["big-stretch"] == "Kræver mindst 50 deltagere; I er 16–40 deltagere."
    assert watch["overlaps"] == "Brug den ikke, når " + VALID_METHOD["not_when"]


def test_the_phase_outranks_everything_else_and_the_audience_comes_next():
    data = chooser.chooser_data([
        card("phase-only", phases=["idéudvikling"], audiences=["ledere"]),
        card("audience-only", phases=["opfølgning"], audiences=["borgere"]),
        card("both", phases=["afdækning", "idéudvikling"], audiences=["medarbejdere", "borgere"]),
        card("neither", phases=["opfølgning"], audiences=["ledere"]),
    ])
    ranked = chooser.rank(data, situation(fase="ideudvikling", maalgruppe="borgere"))
    assert [r["slug"] for r in ranked] == ["both", "phase-only", "audience-only", "neither"]
    by = {r["slug"]: r for r in ranked}
    assert by["both"]["why"] == "Passer til idéudvikling med borgere."
    assert by["audience-only"]["why"] == "Passer til borgere."
    assert by["phase-only"]["watch"] == "Er beskrevet til ledere, ikke borgere."
    assert by["audience-only"]["watch"] == "Er ikke beskrevet til idéudvikling."
    assert by["neither"]["watch"] == "Er ikke beskrevet til idéudvikling; er beskrevet til ledere, ikke borgere."
    assert by["neither"]["why"] == "Det nærmeste bud blandt kortene."


def test_a_card_sized_for_the_time_ranks_above_one_that_fills_a_corner_of_it():
    data = chooser.chooser_data([
        card("short", duration={"min": 10, "max": 20}),
        card("sized", duration={"min": 60, "max": 90}, difficulty="krævende"),
    ])
    assert slugs(data, tid="45-90") == ["sized", "short"]


def test_ties_go_to_the_easier_card_then_the_shorter_preparation_then_the_file_name():
    data = chooser.chooser_data([
        card("b-hard", difficulty="krævende"),
        card("c-long-prep", preparation="Find et lokale, og inviter alle i god tid."),
        card("d-easy"),
        card("a-easy"),
    ])
    assert slugs(data, fase="afdaekning") == ["a-easy", "d-easy", "c-long-prep", "b-hard"]


def test_why_names_every_match_with_the_cards_own_numbers():
    data = chooser.chooser_data([card("x", phases=["idéudvikling"], duration={"min": 60, "max": 90},
                                      participants={"min": 8, "max": 40}, audiences=["borgere"])])
    [only] = chooser.rank(data, situation(fase="ideudvikling", tid="45-90", deltagere="16-40", maalgruppe="borgere"))
    assert only["why"] == "Passer til idéudvikling med borgere, 60–90 minutter, 8–40 deltagere."
    assert only["score"] == chooser.PHASE + chooser.AUDIENCE + chooser.TIME_FIT + chooser.SLOT + chooser.PEOPLE_FIT


def test_the_situation_is_read_from_the_filters_parameters_and_unknown_values_are_ignored():
    params = {"fase": ["bogus,ideudvikling", "afproevning"], "tid": "90", "deltagere": ["16-40"], "q": "x"}
    assert chooser.situation_from(params, DATA) == {"fase": "ideudvikling", "tid": "", "deltagere": "16-40",
                                                    "maalgruppe": ""}


def test_the_questions_are_the_filters_facets_with_the_same_option_ids():
    from toolbox.facets import method_facets
    facets = {f.id: [oid for oid, _ in f.options] for f in method_facets()}
    for key in chooser.KEYS:
        assert [o["id"] for o in DATA[key]] == facets[key], key


# ---- the real deck ----------------------------------------------------------------------------

def fits_hard_filters(doc, answers: dict) -> bool:
    """The hard filters, written from the card's front matter and the vocabularies."""
    m = doc.meta
    if answers.get("tid"):
        top = next(t for t in vocab.load("durations").terms if t.value == answers["tid"]).extra["max"]
        if m["duration"]["min"] > top * 1.25:
            return False
    if answers.get("deltagere"):
        t = next(t for t in vocab.load("group_sizes").terms if t.value == answers["deltagere"]).extra
        if m["participants"]["max"] < t["min"] * 0.8 or m["participants"]["min"] > t["max"] * 1.25:
            return False
    return True


SITUATIONS = [dict(zip(chooser.KEYS, combo)) for combo in itertools.product(
    [""] + [o["id"] for o in DATA["fase"]], [""] + [o["id"] for o in DATA["tid"]],
    [""] + [o["id"] for o in DATA["deltagere"]], [""] + [o["id"] for o in DATA["maalgruppe"]])]


def test_on_the_real_deck_every_suggestion_passes_the_hard_filters_and_none_is_left_out():
    docs = {d.slug: d for d in DECK}
    for answers in SITUATIONS[1:]:
        found = slugs(DATA, **answers)
        assert sorted(found) == sorted(d.slug for d in DECK if fits_hard_filters(d, answers)), answers
        assert all(fits_hard_filters(docs[s], answers) for s in found)


def test_the_issue_example_idea_stage_90_minutes_30_citizens():
    """'We have 90 minutes, 30 citizens and are at the idea stage': every suggestion is for ideas,
    with citizens, fits the time and takes 30 people; the best is easy."""
    ranked = chooser.rank(DATA, situation(fase="ideudvikling", tid="45-90", deltagere="16-40", maalgruppe="borgere"))
    top = ranked[:chooser.SHORT_LIST]
    docs = {d.slug: d for d in DECK}
    assert len(top) == chooser.SHORT_LIST
    for r in top:
        m = docs[r["slug"]].meta
        assert "idéudvikling" in m["phases"] and "borgere" in m["audiences"], r
        assert m["duration"]["min"] <= 90 and m["participants"]["min"] <= 40 <= m["participants"]["max"] + 10, r
        assert r["watch"].startswith("Brug den ikke, når "), r
    assert docs[top[0]["slug"]].meta["difficulty"] == "let"
    assert "brainwriting" in [r["slug"] for r in top]          # 25–45 min, 4–36 people, ideas, citizens
    assert "borgersamling" not in [r["slug"] for r in ranked]  # 15–40 hours: never in 90 minutes


def test_a_large_group_of_staff_for_half_an_hour_gets_no_card_for_a_handful_of_people():
    ranked = chooser.rank(DATA, situation(tid="under-45", deltagere="over-40", maalgruppe="medarbejdere"))
    docs = {d.slug: d for d in DECK}
    assert ranked and "en-to-fire-alle" in [r["slug"] for r in ranked[:chooser.SHORT_LIST]]
    assert all(docs[r["slug"]].meta["participants"]["max"] >= 33 for r in ranked)


# ---- the browser's port -----------------------------------------------------------------------

HARNESS = r"""
const fs = require("fs"), vm = require("vm");
const window = {};
vm.runInNewContext(fs.readFileSync(process.argv[2], "utf8"), { window, URLSearchParams, console });
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const out = {
  ranked: input.situations.map(s => window.vkChooser.rank(input.data, s)),
  read: input.queries.map(q => window.vkChooser.situationFrom(q, input.data)),
};
process.stdout.write(JSON.stringify(out));
"""


def test_the_browser_ranks_exactly_as_the_core_on_every_situation(tmp_path):
    node = need("node")
    made_up = chooser.chooser_data(DECK + [
        card("zz-stretch", duration={"min": 110, "max": 150}, participants={"min": 50, "max": 60},
             audiences=["ledere", "medarbejdere", "samarbejdspartnere"], phases=["afprøvning"]),
        card("zz-small", participants={"min": 1, "max": 13})])
    queries = ["", "?fase=ideudvikling", "?fase=bogus,afproevning&tid=90&deltagere=16-40&deltagere=1-5",
               "?maalgruppe=ledere&q=fase", "?tid=forloeb&fase=&maalgruppe=borgere,ledere"]
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS, encoding="utf-8")
    result = subprocess.run([node, str(harness), str(ROOT / "docs/assets/js/chooser.js")], capture_output=True,
                            text=True, timeout=120,
                            input=json.dumps({"data": made_up, "situations": SITUATIONS, "queries": queries}))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert len(out["ranked"]) == len(SITUATIONS) > 800
    for answers, got in zip(SITUATIONS, out["ranked"]):
        assert got == chooser.rank(made_up, answers), answers
    from urllib.parse import parse_qs
    for query, got in zip(queries, out["read"]):
        assert got == chooser.situation_from(parse_qs(query.lstrip("?"), keep_blank_values=True), made_up), query
