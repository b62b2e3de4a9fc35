"""The validator: per-field pass and fail cases, and known-bad fixtures whose messages are pinned."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import CASE_BODY, METHOD_BODY, ROOT, VALID_CASE, VALID_METHOD, make_doc, project_copy
from toolbox.validate import THIS_YEAR, validate_all, validate_tree

FIXTURES = ROOT / "tests" / "fixtures"

PINNED = [
    ('koege-fejl.md', 4, "ukendt felt 'muncipality'. Mente du 'municipality'?"),
    ('koege-fejl.md', 5, "feltet 'municipality' (kommune): 'Koge' findes ikke. Skriv 'Køge' (med ø)."),
    ('koege-fejl.md', 6, f"feltet 'year' (år) er 3024, som ikke er et muligt årstal: skriv et årstal fra 1970 til {THIS_YEAR}."),
    ('koege-fejl.md', 7, "feltet 'areas' (område): 'helbred' findes ikke. Tilladt er 'børn og unge', 'beskæftigelse', 'sundhed', 'senior', 'social', 'fritid og idræt', 'kultur', 'by og miljø' eller 'organisation og ledelse'."),
    ('koege-fejl.md', 8, "feltet 'methods': metodekortet 'findes-ikke' findes ikke i methods/."),
    ('koege-fejl.md', 9, "feltet 'approach' (tilgang) skal have én værdi, ikke en liste."),
    ('koege-fejl.md', 14, "'source' kan ikke have 'dokument'; mente du 'document'? Tilladt er 'organisation', 'document' og 'url'."),
    ('koege-fejl.md', 18, "afsnittet '## Forløbet' mangler."),
    ('koege-fejl.md', 21, "'01••••-••••' ligner et CPR-nummer. Cases og metodekort er offentlige, og persondata må ikke stå i dem (GDPR). Slet det; skriv fx 'en borger' i stedet."),
    ('koege-latin1.md', 2, "filen er ikke gemt som UTF-8. Gem den igen som 'UTF-8' i din editor (æ, ø og å bliver ellers forkerte)."),
    ('koege-uden-front-matter.md', 1, "filen mangler front matter: første linje skal være '---', derefter felterne og så en linje med '---'. Se skabelonen cases/_skabelon.md."),
    ('koege-yaml.md', 4, "front matter kan ikke læses som YAML (et anførselstegn eller en parentes bliver aldrig lukket). Tjek kolon efter feltnavnet, indrykning med mellemrum (ikke tabulator) og anførselstegn om tekst, der indeholder ': ' eller '#'."),
    ('Daarlig_Metode.md', 1, "filnavnet 'Daarlig_Metode.md' er ikke gyldigt: brug små bogstaver a-z, tal og bindestreger (æ→ae, ø→oe, å→aa). Omdøb filen til 'daarlig-metode.md'."),
    ('Daarlig_Metode.md', 2, "feltet 'title' (titel) må ikke indeholde '<' eller '>': '<b>Dårlig</b> metode'. Metadata er ren tekst, ikke HTML."),
    ('Daarlig_Metode.md', 3, "feltet 'description' (beskrivelse) skal være tekst, ikke et tal ('42'). Sæt teksten i anførselstegn, hvis den ligner et tal eller en dato."),
    ('Daarlig_Metode.md', 4, "feltet 'kind' (type): 'workshop' findes ikke. Tilladt er 'metode', 'forløb' eller 'praksis'."),
    ('Daarlig_Metode.md', 5, "feltet 'levels' (niveau): 'borgernes sag' findes ikke. Mente du 'egen sag'? Tilladt er 'egen sag', 'tilbud og service', 'lokalsamfund og politik' eller 'internt i organisationen'."),
    ('Daarlig_Metode.md', 6, "feltet 'approaches' (tilgang): 'samskabning' findes ikke. Mente du 'samskabelse'? Tilladt er 'almindelig opgaveløsning', 'inddragelse' eller 'samskabelse'."),
    ('Daarlig_Metode.md', 7, "feltet 'phases' (fase) skal være en liste med firkantede parenteser om, ikke tekst. Skriv fx: phases: [afdækning]"),
    ('Daarlig_Metode.md', 9, "'duration': min (90) er større end max (30); byt om på dem."),
    ('Daarlig_Metode.md', 12, "'participants.min' skal være et helt tal på 0 eller derover, ikke '-1'."),
    ('Daarlig_Metode.md', 14, "feltet 'audiences' (målgruppe): 'borgere' står to gange."),
    ('Daarlig_Metode.md', 16, "feltet 'difficulty' (sværhedsgrad): 'svær' findes ikke. Tilladt er 'let', 'middel' eller 'krævende'."),
    ('Daarlig_Metode.md', 17, "feltet 'materials' (materialer) er tomt; skriv mindst én. Det, der skal bruges, én kort ting pr. linje (højst 5)."),
    ('Daarlig_Metode.md', 19, "feltet 'steps' (sådan gør du) har 2 trin; skriv 3–8 trin."),
    ('Daarlig_Metode.md', 20, "trin 1 i 'steps': 'minutes' skal være et helt antal minutter, 1 eller flere, ikke '0'."),
    ('Daarlig_Metode.md', 22, "trin 2 i 'steps' mangler 'minutes:' (hvor mange minutter trinnet tager)."),
    ('Daarlig_Metode.md', 23, "feltet 'not_when' (brug den ikke, når) må ikke indeholde '<' eller '>': 'der er <b>travlt</b>.'. Metadata er ren tekst, ikke HTML."),
    ('Daarlig_Metode.md', 24, "feltet 'variations' (variationer) er tomt; skriv mindst én. Andre måder at gøre det på, én pr. linje (1–3)."),
    ('Daarlig_Metode.md', 25, "feltet 'worksheets': arbejdsarket 'findes-ikke' findes ikke i docs/ark/."),
    ('Daarlig_Metode.md', 26, "feltet 'related': metodekortet 'world-kafe' findes ikke i methods/."),
    ('Daarlig_Metode.md', 29, "'sources.url' skal være en webadresse, der begynder med https:// (eller http://), ikke 'javascript:alert(1)'."),
    ('Daarlig_Metode.md', 30, "emneordet 'Dialog!' må kun have små bogstaver, tal, mellemrum og bindestreger (højst 30 tegn). Skriv fx 'dialog'."),
    ('Daarlig_Metode.md', 31, "feltet 'render_macros' er ikke tilladt: indhold i methods/ bliver aldrig kørt som skabelon. Slet linjen."),
    ('Daarlig_Metode.md', 33, "afsnittet '## Overvejelser i en kommune' mangler."),
    ('Daarlig_Metode.md', 36, "'12 •• •• ••' ligner et telefonnummer. Cases og metodekort er offentlige, og persondata må ikke stå i dem (GDPR). Skriv en rolle eller en enhed, eller få nummeret godkendt i toolbox/vocabularies/official_contacts.yml, hvis det er kommunens hovednummer."),
    ('Daarlig_Metode.md', 36, "'p•••@example.com' ligner en personlig e-mailadresse. Cases og metodekort er offentlige, og persondata må ikke stå i dem (GDPR). Skriv en rolle eller en enhed (fx 'Center for Borgerdialog'), eller få adressen godkendt i toolbox/vocabularies/official_contacts.yml, hvis det er en fælles postkasse."),
    ('Daarlig_Metode.md', 38, "afsnittet '## Sådan gør du' hører ikke til et metodekort; afsnittene er 'Formål', 'Tips' og 'Overvejelser i en kommune'. Trinene står nu i front matter under 'steps', med minutter for hvert trin; se methods/_skabelon.md."),
    ('Daarlig_Metode.md', 44, "HTML-tagget '<script>' er ikke tilladt og bliver fjernet. Skriv med Markdown i stedet; af HTML er kun <abbr>, <br>, <kbd>, <sub>, <sup>, <mark>, <small>, <s>, <del>, <ins> tilladt."),
]


def test_known_bad_fixtures_give_exactly_the_pinned_messages():
    problems = validate_tree(FIXTURES / "bad")
    assert [(Path(p.path).name, p.line, p.message) for p in problems] == PINNED


def messages(meta, body, kind="method", name=None):
    known = {"testmetode", "world-cafe"}
    return [p.message for p in validate_all([make_doc(meta, body, kind, name)], known)]


def test_valid_method_and_case_pass():
    assert messages(VALID_METHOD, METHOD_BODY) == []
    assert messages(VALID_CASE, CASE_BODY, "case") == []


def with_field(base, key, value):
    meta = copy.deepcopy(base)
    if value is DELETE:
        meta.pop(key)
    else:
        meta[key] = value
    return meta


DELETE = object()

METHOD_FIELD_CASES = [
    # (field, value, expected fragment or None for "passes")
    ("title", "En god titel", None),
    ("title", "", "er tomt"),
    ("title", 2024, "skal være tekst, ikke et tal"),
    ("title", "x" * 61, "højst 60"),
    ("materials", ["a", "b", "c", "d", "e", "f"], "højst 5 er tilladt"),
    ("materials", ["x" * 46], "højst 45"),
    ("title", "<img src=x onerror=alert(1)>", "må ikke indeholde '<' eller '>'"),
    ("title", DELETE, "feltet 'title' (titel) mangler"),
    ("description", "Kort og klart.", None),
    ("description", ["en", "liste"], "skal være tekst"),
    ("approaches", ["samskabelse", "inddragelse"], None),
    ("approaches", ["samskabning"], "Mente du 'samskabelse'?"),
    ("approaches", [], "er tomt"),
    ("approaches", "samskabelse", "skal være en liste"),
    ("phases", ["idéudvikling"], None),
    ("phases", ["ideudvikling"], "Skriv 'idéudvikling' (med é)."),
    ("duration", {"min": 40, "max": 40}, None),
    ("duration", {"min": 60, "max": 30}, "min (60) er større end max (30)"),
    ("duration", {"min": 10, "max": 20}, "trinene tager tilsammen 40 minutter, men 'duration' siger 10–20"),
    ("steps", [{"minutes": 30, "do": "Et trin."}] * 3, "trinene tager tilsammen 90 minutter"),
    ("steps", [{"minutes": 20, "do": "Et trin."}, {"minutes": 10, "do": "x"}, {"minutes": 10, "do": "y"}], None),
    ("steps", [{"minutes": 20, "do": "Et trin."}] * 2, "har 2 trin; skriv 3–8 trin"),
    ("steps", [{"minutes": 15, "do": "a"}, {"minutes": 15, "do": "b"}, {"minutes": 10, "gør": "c"}], "mente du 'do'?"),
    ("steps", [{"minutes": 15, "do": "a"}, {"minutes": 15, "do": "b"}, {"minutes": "ti", "do": "c"}], "helt antal minutter"),
    ("steps", [{"minutes": 20, "do": "a"}, {"minutes": 20, "do": "b"}, "10 minutter: byd velkommen"],
     "skal have to linjer, 'minutes:' og 'do:'"),
    ("not_when", "", "er tomt"),
    ("not_when", DELETE, "feltet 'not_when' (brug den ikke, når) mangler"),
    ("variations", ["a", "b", "c", "d"], "højst 3 er tilladt"),
    ("kind", "workshop", "Tilladt er 'metode', 'forløb' eller 'praksis'"),
    ("levels", ["egen sag", "tilbud og service", "lokalsamfund og politik"], "højst 2 er tilladt"),
    ("areas", DELETE, None),
    ("duration", {"min": 30}, "mangler 'max:'"),
    ("duration", 45, "skal have to linjer under sig"),
    ("duration", {"min": "kort", "max": 30}, "skal være et helt tal"),
    ("participants", {"min": 1, "max": 1}, None),
    ("participants", {"min": 0, "max": 0}, "mindst 1"),
    ("audiences", ["medarbejdere", "ledere"], None),
    ("audiences", ["borger"], "Mente du 'borgere'?"),
    ("areas", ["fritid og idræt"], None),
    ("areas", ["fritid og idraet"], "Skriv 'fritid og idræt' (med æ)."),
    ("difficulty", "krævende", None),
    ("difficulty", "kraevende", "Skriv 'krævende' (med æ)."),
    ("difficulty", ["let"], "én værdi, ikke en liste"),
    ("materials", ["Post-its", "Tusser"], None),
    ("materials", "Post-its", "skal være en liste"),
    ("preparation", "x" * 251, "højst 250"),
    ("related", ["world-cafe"], None),
    ("related", ["findes-ikke"], "metodekortet 'findes-ikke' findes ikke"),
    ("related", ["World Café"], "Mente du 'world-cafe'?"),
    ("related", ["testmetode"], "kan ikke henvise til sig selv"),
    ("related", DELETE, None),
    ("sources", [{"title": "Bog", "url": "https://example.org/bog"}], None),
    ("sources", [{"title": "Bog", "url": "data:text/html,hej"}], "skal være en webadresse"),
    ("sources", [{"titel": "Bog"}], "mente du 'title'?"),
    ("sources", ["Bog"], "skal have linjerne 'title:' og 'url:'"),
    ("tags", ["borgerdialog", "store grupper"], None),
    ("tags", ["<script>"], "må kun have små bogstaver"),
    ("tags", ["dialog", "dialog"], "står to gange"),
    ("render_macros", True, "aldrig kørt som skabelon"),
    ("muncipality", "Køge", "ukendt felt 'muncipality'"),
]


@pytest.mark.parametrize("key,value,expected", METHOD_FIELD_CASES)
def test_method_field(key, value, expected):
    found = messages(with_field(VALID_METHOD, key, value), METHOD_BODY)
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1 and expected in found[0], found


CASE_FIELD_CASES = [
    ("municipality", "Køge", None),
    ("municipality", "Koge", "'Koge' findes ikke. Skriv 'Køge' (med ø)."),
    ("municipality", "Aarhus", "filnavnet skal begynde med kommunens navn: 'aarhus-...md'"),
    ("year", 2019, None),
    ("year", 3024, "som ikke er et muligt årstal"),
    ("year", 1850, "som ikke er et muligt årstal"),
    ("year", "sidste år", "årstal med fire cifre"),
    ("year", DELETE, None),
    ("methods", ["testmetode", "world-cafe"], None),
    ("methods", ["findes-ikke"], "findes ikke i methods/"),
    ("methods", [], "er tomt"),
    ("approach", "samskabelse", None),
    ("approach", "co-creation", "findes ikke"),
    ("roles", ["Borgere", "Medarbejdere"], None),
    ("source", {"organisation": "Køge Kommune", "document": "Nyhedsbrev", "url": "https://koege.dk/"}, None),
    ("source", {"organisation": "Køge Kommune"}, "mangler 'document:'"),
    ("source", {"organisation": "K", "document": "D", "url": "javascript:alert(1)"}, "skal være en webadresse"),
    ("contact", "anna.hansen@gmail.com", "personlig e-mailadresse"),
    ("contact", "Ring på 12345678", "telefonnummer"),
    ("results", ["Et netværk for ældre i 2019-2020"], None),
    ("results", ["CPR 0102031234 blev brugt"], "CPR-nummer"),
]


@pytest.mark.parametrize("key,value,expected", CASE_FIELD_CASES)
def test_case_field(key, value, expected):
    found = messages(with_field(VALID_CASE, key, value), CASE_BODY, "case")
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1 and expected in found[0], found


BODY_CASES = [
    (METHOD_BODY.replace("## Tips", "## Tip"), "afsnittet '## Tips' mangler (der står '## Tip'"),
    (METHOD_BODY + "\n## Sådan gør du\n\n1. Gør det.\n", "Trinene står nu i front matter under 'steps'"),
    (METHOD_BODY + "\n<iframe src=x></iframe>\n", "HTML-tagget '<iframe>' er ikke tilladt"),
    (METHOD_BODY + "\n[klik](javascript:alert(1))\n", "adressen 'javascript:alert(1"),
    (METHOD_BODY + "\n![billede](https://tracker.example/x.png)\n", "ligger på en anden server"),
    (METHOD_BODY + "\n<abbr onclick=alert(1) title=x>x</abbr>\n", "attributten 'onclick'"),
    (METHOD_BODY + "\nTekst\n{: onclick=alert(1) }\n", "attributliste"),
    (METHOD_BODY + "\n### Mellemrubrik { hidden }\n", "attributliste"),
    (METHOD_BODY + "\nEt *ord*{ hidden } her.\n", "attributliste"),
    (METHOD_BODY + "\n<!-- material/tags -->\n", "HTML-kommentarer"),
    (METHOD_BODY + "\n--8<-- \"/etc/passwd\"\n", "--8<--"),
    (METHOD_BODY + "\nSkriv `<script>` i kode er fint.\n", None),
    (METHOD_BODY + "\nBrug <kbd>Ctrl</kbd> og <abbr title=\"Borgerens Centrum\">BC</abbr>.\n", None),
    (METHOD_BODY.replace("At teste.", "At teste. " + "Meget lang tekst. " * 40), "afsnittet '## Formål' er"),
    ("", "siden har ingen tekst"),
    (METHOD_BODY + "\nEn {# kommentar #} her, som siden viser som tekst.\n", None),
    (METHOD_BODY + "\nRegn {{ 7*7 }} og {% include 'x' %} ud.\n", None),
]


@pytest.mark.parametrize("body,expected", BODY_CASES)
def test_method_body(body, expected):
    found = messages(VALID_METHOD, body)
    if expected is None:
        assert found == []
    else:
        assert any(expected in m for m in found), found


def test_crlf_and_bom_are_accepted():
    good = make_doc(VALID_METHOD, METHOD_BODY)
    raw = ("\ufeff" + "---\n" + "\n".join(f"{line}" for line in
           __import__("yaml").safe_dump(VALID_METHOD, allow_unicode=True, sort_keys=False).splitlines())
           + "\n---\n" + METHOD_BODY).replace("\n", "\r\n").encode("utf-8")
    doc = make_doc({}, "", raw=raw)
    assert validate_all([doc], {"testmetode"}) == []
    assert doc.meta == good.meta


def test_yes_and_no_stay_text():
    doc = make_doc({}, "", raw=b"---\ntitle: no\n---\n")
    assert doc.meta["title"] == "no"


def test_duplicate_slugs_are_reported():
    a = make_doc(VALID_METHOD, METHOD_BODY, name="world-cafe.md")
    b = make_doc(VALID_METHOD, METHOD_BODY, name="World-Cafe.md")
    found = [str(p) for p in validate_all([a, b])]
    assert any("adressen 'world-cafe' bruges af flere filer" in m for m in found), found


def test_every_problem_of_a_three_mistake_case_is_reported_with_file_and_line(tmp_path):
    """In a copy of the project (no test writes into the working tree)."""
    project = project_copy(tmp_path)
    raw = make_doc(with_field(with_field(with_field(VALID_CASE, "municipality", "Koge"), "year", 3024),
                              "methods", ["worldcafe"]), CASE_BODY, "case")
    text = "---\n" + __import__("yaml").safe_dump(raw.meta, allow_unicode=True, sort_keys=False) + "---\n" + CASE_BODY
    target = project / "cases" / "koege-tre-fejl.md"
    target.write_text(text, encoding="utf-8")
    before = target.read_bytes()
    result = subprocess.run([sys.executable, "scripts/validate.py", "cases/koege-tre-fejl.md"], cwd=project,
                            capture_output=True, text=True)
    after = target.read_bytes()
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3, lines
    assert all(line.startswith("cases/koege-tre-fejl.md:") for line in lines)
    assert "Skriv 'Køge' (med ø)." in lines[0] and "3024" in lines[1] and "worldcafe" in lines[2]
    assert "Traceback" not in result.stderr
    assert before == after


def test_validator_passes_on_the_real_content_and_github_format():
    result = subprocess.run([sys.executable, "scripts/validate.py"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    bad = subprocess.run([sys.executable, "scripts/validate.py", "--github", str(FIXTURES / "bad" / "cases" / "koege-fejl.md")],
                         cwd=ROOT, capture_output=True, text=True)
    first = bad.stdout.splitlines()[0]
    assert first.startswith("::error file=tests/fixtures/bad/cases/koege-fejl.md,line=4,title=Værktøjskassen::")
    assert "muncipality" in first


def test_a_missing_path_is_reported_not_crashed():
    result = subprocess.run([sys.executable, "scripts/validate.py", "cases/findes-ikke.md"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "filen findes ikke" in result.stdout and "Traceback" not in result.stderr


def test_the_published_json_schema_agrees_with_the_validator():
    """All real content passes the JSON Schema editors use; the known-bad fixtures fail it too."""
    import datetime

    import jsonschema

    from toolbox import model
    from toolbox.loader import load_all

    def plain(value):
        return value.isoformat() if isinstance(value, (datetime.date, datetime.datetime)) else value

    for doc in load_all(ROOT)[0]:
        schema = model.json_schema(doc.ctype)
        jsonschema.validate({k: plain(v) for k, v in doc.meta.items()}, schema)
    bad = make_doc({**VALID_CASE, "municipality": "Koge", "year": 3024}, CASE_BODY, "case")
    errors = list(jsonschema.Draft202012Validator(model.json_schema(model.CASE)).iter_errors(bad.meta))
    assert {e.path[0] for e in errors} == {"municipality", "year"}
