"""What an ambassador meets: the slips office users make in a case file, the template's own texts
left in, and a person's name, each with its exact Danish message at its line.

Each file is the case template (cases/_skabelon.md) filled in as a contributor would, with one
slip made by editing one line as a person would in an editor; the validator runs on a copy of the
project, the way `make check` does."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from helpers import ROOT
from toolbox.validate import validate_tree

TEMPLATE = (ROOT / "cases" / "_skabelon.md").read_text(encoding="utf-8")
# The template filled in: every instruction replaced by a case's own words.
FILLED = {
    "title: Hvad gjorde I?": "title: Borgermøde om stier",
    "description: En kort sætning om casen.": "description: Borgerne tegnede selv de nye stier ind på et kort.",
    "  - Én rolle pr. linje, fx sundhedskonsulenter": "  - Sundhedskonsulenter\n  - Borgere fra lokalområdet",
    "  - Hvad der skete bagefter.": "  - Et nyt stinet",
    "  organisation: Kommunen eller organisationen bag kilden": "  organisation: Køge Kommune",
    "  document: Navnet på rapporten, artiklen eller siden": "  document: Nyhedsbrev om stierne",
    "contact: En rolle eller en enhed, man kan spørge": "contact: Center for Borgerdialog",
    "Hvorfor gik I i gang? Hvad var udfordringen?": "Stierne i lokalområdet var for få og for smalle.",
    "Hvad gjorde I, trin for trin?": "Vi holdt et borgermøde med kort og tusser.",
    "Hvad ville I gøre igen, og hvad ville I gøre anderledes?": "Vi ville invitere flere unge.",
}


def filled() -> str:
    text = TEMPLATE
    for old, new in FILLED.items():
        assert old in text, f"the template no longer says {old!r}"
        text = text.replace(old, new)
    return text


def line_of(text: str, fragment: str) -> int:
    """The 1-based line where `fragment` stands in `text`."""
    return text[:text.index(fragment)].count("\n") + 1


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project's content (cards, template, worksheets) to add case files to."""
    root = tmp_path_factory.mktemp("slips")
    for folder in ("methods", "cases"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copytree(ROOT / "docs" / "ark", root / "docs" / "ark")
    return root


def check(project: Path, name: str, text: str) -> list[tuple[int, str]]:
    """(line, message) of every problem the validator finds in one new case file."""
    path = project / "cases" / name
    path.write_bytes(text.encode("utf-8"))
    try:
        return [(p.line, p.message) for p in validate_tree(project, [path])]
    finally:
        path.unlink()


def test_the_filled_template_passes(project):
    assert check(project, "koege-stier.md", filled()) == []


def test_a_copy_of_the_template_names_every_text_to_write(project):
    found = check(project, "koege-kopi.md", TEMPLATE)
    expected = [
        (line_of(TEMPLATE, "title: Hvad"), "feltet 'title' (titel) står stadig, som det står i skabelonen "
                                            "('Hvad gjorde I?'). Skriv jeres egen tekst i stedet."),
        (line_of(TEMPLATE, "description: En kort"), "feltet 'description' (beskrivelse) står stadig, som det står i "
                                                     "skabelonen ('En kort sætning om casen.'). Skriv jeres egen tekst "
                                                     "i stedet."),
        (line_of(TEMPLATE, "  - Én rolle"), "feltet 'roles' (hvem var med) står stadig, som det står i skabelonen "
                                            "('Én rolle pr. linje, fx sundhedskonsulenter'). Skriv jeres egen tekst "
                                            "i stedet."),
        (line_of(TEMPLATE, "  - Hvad der skete"), "feltet 'results' (det kom der ud af) står stadig, som det står i "
                                                  "skabelonen ('Hvad der skete bagefter.'). Skriv jeres egen tekst i "
                                                  "stedet."),
        (line_of(TEMPLATE, "  organisation:"), "feltet 'source.organisation' (kilde) står stadig, som det står i "
                                               "skabelonen ('Kommunen eller organisationen bag kilden'). Skriv jeres "
                                               "egen tekst i stedet."),
        (line_of(TEMPLATE, "  document:"), "feltet 'source.document' (kilde) står stadig, som det står i skabelonen "
                                           "('Navnet på rapporten, artiklen eller siden'). Skriv jeres egen tekst i "
                                           "stedet."),
        (line_of(TEMPLATE, "contact:"), "feltet 'contact' (kontakt) står stadig, som det står i skabelonen ('En rolle "
                                        "eller en enhed, man kan spørge'). Skriv jeres egen tekst i stedet."),
        (line_of(TEMPLATE, "Hvorfor gik I"), "afsnittet '## Baggrund' har stadig skabelonens tekst ('Hvorfor gik I i "
                                             "gang? Hvad var udfordringen?'). Skriv jeres eget svar, og slet "
                                             "skabelonens tekst."),
        (line_of(TEMPLATE, "Hvad gjorde I, trin"), "afsnittet '## Forløbet' har stadig skabelonens tekst ('Hvad gjorde "
                                                   "I, trin for trin?'). Skriv jeres eget svar, og slet skabelonens "
                                                   "tekst."),
        (line_of(TEMPLATE, "Hvad ville I"), "afsnittet '## Det lærte vi' har stadig skabelonens tekst ('Hvad ville I "
                                            "gøre igen, og hvad ville I gøre anderledes?'). Skriv jeres eget svar, og "
                                            "slet skabelonens tekst."),
    ]
    assert sorted(found) == sorted(expected)


@pytest.mark.parametrize("kept, section", [
    ("Hvorfor gik I i gang? Fordi stierne var for smalle.", "Baggrund"),   # the question kept, answered after it
    ("- Hvad gjorde I, trin for trin?", "Forløbet"),                       # made into a list item
    ("hvad gjorde i,   trin for trin?", "Forløbet"),                       # other case and spaces
])
def test_a_prompt_left_in_a_section_is_named_at_its_line(project, kept, section):
    text = filled()
    own = FILLED["Hvad gjorde I, trin for trin?"] if section == "Forløbet" else FILLED[
        "Hvorfor gik I i gang? Hvad var udfordringen?"]
    text = text.replace(own, f"{own}\n\n{kept}")
    found = check(project, "koege-stier.md", text)
    assert len(found) == 1, found
    line, message = found[0]
    assert line == line_of(text, kept)
    assert message.startswith(f"afsnittet '## {section}' har stadig skabelonens tekst (")


def test_own_words_that_share_a_word_with_the_template_pass(project):
    text = filled().replace("Vi holdt et borgermøde med kort og tusser.",
                            "Hvad gjorde vi? Vi holdt et borgermøde, trin for trin.")
    assert check(project, "koege-stier.md", text) == []


SLIPS = [
    ("municipality: Køge", "municipality: Vejle Kommune", "koege-",
     "feltet 'municipality' (kommune): 'Vejle Kommune' findes ikke. Skriv 'Vejle' (kun kommunens navn, uden "
     "'Kommune')."),
    ("municipality: Køge", "municipality: Aarhus Kommune", "koege-",
     "feltet 'municipality' (kommune): 'Aarhus Kommune' findes ikke. Skriv 'Aarhus' (kun kommunens navn, uden "
     "'Kommune')."),
    ("municipality: Køge", "municipality: Ærø Kommune", "koege-",
     "feltet 'municipality' (kommune): 'Ærø Kommune' findes ikke. Skriv 'Ærø' (kun kommunens navn, uden 'Kommune')."),
    ("municipality: Køge", "municipality: Bornholms Regionskommune", "koege-",
     "feltet 'municipality' (kommune): 'Bornholms Regionskommune' findes ikke. Skriv 'Bornholm' (kun kommunens "
     "navn, uden 'Kommune')."),
    ("municipality: Køge", "municipality: køge", "koege-",
     "feltet 'municipality' (kommune): 'køge' findes ikke. Skriv 'Køge' (med stort forbogstav)."),
    ("municipality: Køge", "municipality: Koge", "koege-",
     "feltet 'municipality' (kommune): 'Koge' findes ikke. Skriv 'Køge' (med ø)."),
    ("municipality: Køge", "municipality: Aeroe", "koege-",
     "feltet 'municipality' (kommune): 'Aeroe' findes ikke. Skriv 'Ærø' (med æ og ø)."),
    ("approach: inddragelse", "approach: Inddragelse", "",
     "feltet 'approach' (tilgang): 'Inddragelse' findes ikke. Skriv 'inddragelse' (med lille forbogstav). Tilladt er "
     "'almindelig opgaveløsning', 'inddragelse' eller 'samskabelse'."),
    ("areas: [sundhed]", "areas: [Sundhed]", "",
     "feltet 'areas' (område): 'Sundhed' findes ikke. Skriv 'sundhed' (med lille forbogstav). Tilladt er 'børn og "
     "unge', 'beskæftigelse', 'sundhed', 'senior', 'social', 'fritid og idræt', 'kultur', 'by og miljø' eller "
     "'organisation og ledelse'."),
    ("areas: [sundhed]", "areas: By og Miljø, Kultur", "",
     "feltet 'areas' (område) skal være en liste med firkantede parenteser om, ikke tekst. Skriv fx: areas: "
     "[by og miljø, kultur]"),
    ("year: 2024", "year: '2022'", "",
     "feltet 'year' (år) står i anførselstegn ('2022') og bliver derfor læst som tekst, ikke som et årstal. Fjern "
     "anførselstegnene, så linjen hedder: year: 2022"),
    ("year: 2024", 'year: "2022"', "",
     "feltet 'year' (år) står i anførselstegn ('2022') og bliver derfor læst som tekst, ikke som et årstal. Fjern "
     "anførselstegnene, så linjen hedder: year: 2022"),
    ("year: 2024", "year:2022", "",
     "der mangler et mellemrum efter kolon i 'year:2022'. Skriv linjen sådan: year: 2022"),
    ("approach: inddragelse", "approach:inddragelse", "",
     "der mangler et mellemrum efter kolon i 'approach:inddragelse'. Skriv linjen sådan: approach: inddragelse"),
    ("year: 2024", "year:\u00a02022", "",
     "efter 'year:' står et hårdt mellemrum (U+00A0, typisk fra Word eller en webside). Det ligner et almindeligt "
     "mellemrum, men YAML læser det ikke som ét. Slet det, og skriv et almindeligt mellemrum med mellemrumstasten."),
    ("contact: Center", "contact:\u202fCenter", "",
     "efter 'contact:' står et smalt hårdt mellemrum (U+202F, typisk fra Word eller en webside). Det ligner et "
     "almindeligt mellemrum, men YAML læser det ikke som ét. Slet det, og skriv et almindeligt mellemrum med "
     "mellemrumstasten."),
    ("description: Borgerne tegnede selv de nye stier ind på et kort.",
     "description: “Borgerne sagde: vi vil have stier”", "",
     "linjen har krumme anførselstegn (“ ” fra Word), som YAML ikke læser som anførselstegn; derfor forvirrer kolonet "
     "i værdien. Brug lige anførselstegn, så linjen hedder: description: \"Borgerne sagde: vi vil have stier\""),
]


@pytest.mark.parametrize("old, new, prefix, message", SLIPS, ids=[s[1] for s in SLIPS])
def test_each_slip_gets_a_message_that_says_what_to_type_at_its_line(project, old, new, prefix, message):
    text = filled()
    assert old in text
    text = text.replace(old, new, 1)
    found = check(project, "koege-stier.md", text)
    assert found == [(line_of(text, new), message)], found
    assert not re.search(r"[A-Za-z]+Error|Traceback", message)


def test_a_slip_after_another_line_is_still_reported_at_its_own_line(project):
    """PyYAML reports 'year:2022' one line further down; the message stands at the line to fix."""
    text = filled().replace("year: 2024", "year:2022").replace("approach: inddragelse", "approach:inddragelse")
    found = check(project, "koege-stier.md", text)
    assert [line for line, _ in found] == [line_of(text, "year:2022"), line_of(text, "approach:inddragelse")]


NAMED = [
    ("  - Sundhedskonsulenter", "  - Projektleder Mette Hansen", "Projektleder Mette Hansen"),
    ("  - Sundhedskonsulenter", "  - sundhedskonsulent Xenia Brandt", "sundhedskonsulent Xenia Brandt"),
    ("  - Et nyt stinet", "  - Et nyt stinet, som Lars Jensen tegnede", "Lars Jensen"),
    ("Vi holdt et borgermøde med kort og tusser.", "Vi holdt et borgermøde, og borgeren Mette fortalte om stien.",
     "Mette"),
    ("Vi holdt et borgermøde med kort og tusser.", "Anne-Mette Nielsen holdt et borgermøde.", "Anne-Mette Nielsen"),
]


@pytest.mark.parametrize("old, new, name", NAMED, ids=[n[2] for n in NAMED])
def test_a_persons_name_is_rejected_with_an_explanation(project, old, new, name):
    text = filled().replace(old, new, 1)
    found = check(project, "koege-stier.md", text)
    assert found == [(line_of(text, new), f"'{name}' ligner en persons navn. Cases er offentlige, og personer må "
                      "ikke kunne genkendes (GDPR): skriv rollen i stedet, fx 'projektlederen' eller 'en borger'. Er "
                      "det ikke en person, men et sted, et program eller en organisation, så skriv det i "
                      "toolbox/vocabularies/not_persons.yml.")], found


@pytest.mark.parametrize("words", [
    "Per deltager var udgiften lav.",                 # a first name that is a Danish word, first in a sentence
    "Hans rolle var at samle trådene.",               # 'hans' (his) at the start of a sentence
    "Mødet blev holdt til Sankt Hans i Køge.",        # an allowed phrase
    "En sundhedskonsulent og en borger fra Billund.",
    "Kolding Kommune og Hedensted Kommune samarbejdede med World Café og Open Space.",
])
def test_words_that_are_not_a_persons_name_pass(project, words):
    text = filled().replace("Vi holdt et borgermøde med kort og tusser.", words)
    assert check(project, "koege-stier.md", text) == []
