"""The method deck as a trainer and a practitioner need it (issue #15): every card has timed steps
that fit its duration, says when not to use it, has a variation and a source, names only worksheets
that exist, and the time facet splits the deck. Each rule is also shown to catch a bad card."""

from __future__ import annotations

import re

import pytest

from helpers import METHOD_BODY, ROOT, VALID_METHOD, make_doc
from toolbox import model, vocab
from toolbox.facets import method_facets
from toolbox.loader import load_all
from toolbox.validate import validate_all, validate_document, worksheet_slugs

CARDS = [d for d in load_all(ROOT)[0] if d.ctype is model.METHOD]
# Words that say a card relies on a template of some kind; such a card must name its worksheet.
TEMPLATE_WORDS = re.compile(r"\b(skabelon\w*|arbejdsark\w*|drejebog\w*|firefeltsskema\w*|spørgeguide\w*)\b", re.I)


def test_the_deck_has_the_methods_danish_municipalities_expect():
    slugs = {d.slug for d in CARDS}
    assert len(slugs) >= 45
    expected = {"borgersamling", "opgaveudvalg", "hoering-og-raad", "fokusgruppe", "anerkendende-udforskning",
                "dobbelt-diamant", "pop-up-inddragelse", "digital-inddragelse", "open-space", "forandringsteori",
                "motiverende-samtale", "netvaerksmoede", "observation-og-skygning", "en-to-fire-alle",
                "hvad-saa-hvad-nu", "triz", "trojka-konsultation", "borgerbudget", "boern-og-unge-inddragelse",
                "spoergeskema", "prikafstemning", "scenarievaerksted", "rekruttering-af-deltagere", "honorering",
                "tilbagemelding-til-deltagerne", "gdpr-tjekliste", "tilgaengelige-moeder"}
    assert expected <= slugs, expected - slugs
    kinds = {d.meta["kind"] for d in CARDS}
    assert kinds == {"metode", "forløb", "praksis"}


def test_every_card_passes_the_validator_with_all_new_fields():
    problems = validate_all(CARDS, worksheets=worksheet_slugs(ROOT))
    assert [str(p) for p in problems] == []
    for card in CARDS:
        meta = card.meta
        assert 3 <= len(meta["steps"]) <= 8 and all(s["minutes"] >= 1 for s in meta["steps"]), card.slug
        assert meta["duration"]["min"] <= sum(s["minutes"] for s in meta["steps"]) <= meta["duration"]["max"]
        assert meta["not_when"].strip() and meta["variations"] and meta["sources"], card.slug


@pytest.mark.parametrize("card", CARDS, ids=lambda d: d.slug)
def test_a_card_that_relies_on_a_template_names_a_worksheet_that_exists(card):
    own_text = " ".join([card.body, str(card.meta["materials"]), str(card.meta["preparation"]),
                         " ".join(s["do"] for s in card.meta["steps"])])
    sheets = set(card.meta.get("worksheets") or [])
    assert sheets <= worksheet_slugs(ROOT)
    if TEMPLATE_WORDS.search(own_text):
        assert sheets, f"{card.slug} mentions {TEMPLATE_WORDS.search(own_text).group(0)!r} but names no worksheet"
    for sheet in sheets:
        page = (ROOT / "docs" / "ark" / f"{sheet}.md").read_text(encoding="utf-8")
        assert page.startswith("---\n") and "\n# Arbejdsark" in page


def test_no_time_band_holds_half_the_deck():
    facet = next(f for f in method_facets() if f.id == "tid")
    counts = {oid: sum(oid in facet.values(d) for d in CARDS) for oid, _ in facet.options}
    assert all(0 < n <= len(CARDS) / 2 for n in counts.values()), counts


def test_every_level_and_kind_is_used():
    for field, name in (("levels", "levels"), ("kind", "kinds")):
        used = {v for d in CARDS for v in (d.meta[field] if isinstance(d.meta[field], list) else [d.meta[field]])}
        assert used == set(vocab.load(name).values), field


def test_one_spelling_of_imperatives_across_the_deck():
    """Verbs in -ere take the accent in the imperative everywhere (Invitér, Formulér), never both."""
    text = " ".join(" ".join([d.body, str(d.meta)]) for d in CARDS)
    plain = set(re.findall(r"\b([A-ZÆØÅ][a-zæøå]+er)\b(?=[ ,.:;])", text))
    accented = {w for w in re.findall(r"\b([A-ZÆØÅ][a-zæøå]+ér)\b", text)}
    nouns = {"Grupper", "Noter"}           # plural nouns that look like the plain imperative
    both = {w for w in accented if w[:-2] + "er" in plain - nouns}
    assert both == set(), both
    assert len(accented) >= 5


BAD = [
    ({"steps": [{"minutes": 10, "do": "Et trin."}] * 2}, "skriv 3–8 trin"),
    ({"steps": [{"minutes": 60, "do": "For længe."}] * 3}, "trinene tager tilsammen 180 minutter"),
    ({"steps": [{"do": "Uden minutter."}] * 3}, "mangler 'minutes:'"),
    ({"not_when": None}, "feltet 'not_when' (brug den ikke, når)"),
    ({"variations": []}, "feltet 'variations' (variationer) er tomt"),
    ({"worksheets": ["findes-ikke"]}, "arbejdsarket 'findes-ikke' findes ikke i docs/ark/"),
]


@pytest.mark.parametrize("change, message", BAD, ids=[m for _, m in BAD])
def test_each_rule_catches_a_bad_card(change, message):
    meta = {**VALID_METHOD, **change}
    meta = {k: v for k, v in meta.items() if v is not None}
    doc = make_doc(meta, METHOD_BODY)
    found = [p.message for p in validate_all([doc], worksheets=worksheet_slugs(ROOT))]
    assert any(message in m for m in found), found


def test_a_card_over_the_print_budget_is_caught():
    long = {**VALID_METHOD, "preparation": "x" * 250, "not_when": "y" * 170,
            "steps": [{"minutes": 5, "do": "z" * 110}] * 8, "duration": {"min": 40, "max": 40}}
    body = METHOD_BODY.replace("At teste.", "Lang tekst. " * 23)
    found = [p.message for p in validate_document(make_doc(long, body))]
    assert any("kan stå på ét A5-kort" in m for m in found), found
