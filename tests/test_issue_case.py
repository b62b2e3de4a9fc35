"""From a GitHub issue to a case file: sample issue bodies (tests/fixtures/issues/, written the way GitHub
writes an issue form's answers) become the file, the file name, the validator's verdict and the reply
a contributor reads on the issue. Hostile bodies never cause a traceback, a hang or unsafe YAML.
Everything is written into a copy of the project under tmp_path."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from helpers import ROOT
from toolbox import issue_case, model
from toolbox.fields import THIS_YEAR
from toolbox.issue_case import CONSENT, MAX_BODY, convert, reply, slots
from toolbox.loader import parse
from toolbox.validate import validate_tree

ISSUES = ROOT / "tests" / "fixtures" / "issues"
GOOD_NAME = "koege-borgerpanel-om-skolernes-fremtid"


def body(name: str) -> str:
    """A sample issue body exactly as stored (line endings included)."""
    return (ISSUES / f"{name}.md").read_bytes().decode("utf-8")


@pytest.fixture
def root(tmp_path) -> Path:
    """A copy of the project's content: the method cards, the cases and mkdocs.yml."""
    for folder in ("methods", "cases"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def messages(conv) -> list[tuple[str, str]]:
    return [(f.label, f.message) for f in conv.findings]


def front(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


# ---------------------------------------------------------------------------------------------
# The form and the reader agree

def test_every_answer_of_the_issue_form_is_read():
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "ny-case.yml").read_text(encoding="utf-8"))
    labels = [item["attributes"]["label"] for item in form["body"] if item["type"] != "markdown"]
    assert labels == [s.label for s in slots()]
    consent = next(item for item in form["body"] if item["type"] == "checkboxes")
    assert consent["attributes"]["label"] == CONSENT
    required = {item["attributes"]["label"] for item in form["body"]
                if (item.get("validations") or {}).get("required")}
    assert required == {s.label for s in slots() if s.required and s.label != CONSENT}


# ---------------------------------------------------------------------------------------------
# Sample issues

def test_a_good_issue_becomes_a_valid_case(root):
    conv = convert(body("god"), root)
    assert conv.ok and conv.path == f"cases/{GOOD_NAME}.md" and conv.findings == []
    meta = front(conv.text)
    assert list(meta) == [f.name for f in model.CASE.fields]                    # model order
    assert meta["title"] == "Borgerpanel om skolernes fremtid" and meta["municipality"] == "Køge"
    assert meta["year"] == 2023 and meta["areas"] == ["børn og unge", "organisation og ledelse"]
    assert meta["methods"] == ["borgerpanel", "world-cafe"]                     # titles as file names
    assert meta["roles"] == ["En skoleleder", "Forældre fra skolebestyrelserne", "Center for Børn og Unge"]
    assert meta["source"] == {"organisation": "Køge Kommune", "url": "https://www.koege.dk/",
                              "document": 'Referat: "Skolen i 2030" – borgerpanelets anbefalinger'}
    assert meta["tags"] == ["skole", "borgerpanel"]
    # The writer's own subheading stays in its section; the empty optional section is left out.
    assert re.findall(r"^#{2,3} .+$", conv.text, re.M) == ["## Baggrund", "### Hvad vi spurgte om", "## Forløbet"]
    text = reply(conv)
    assert text.startswith("## Tak for casen!\n")
    assert f"Vi har lavet filen `cases/{GOOD_NAME}.md` ud fra dit issue, og tjekket fandt ingen fejl." in text
    assert "Sådan retter du" not in text


def test_an_issue_written_the_way_people_write_gives_the_same_case(root):
    """CRLF line endings, 'Køge Kommune', methods by file name, comma or list mark, headings in another case."""
    conv = convert(body("som-folk-skriver"), root)
    assert conv.ok and conv.path == f"cases/{GOOD_NAME}.md"
    meta = front(conv.text)
    assert meta["municipality"] == "Køge" and meta["methods"] == ["borgerpanel", "world-cafe", "fokusgruppe"]
    assert meta == {**front(convert(body("god"), root).text), "methods": meta["methods"]}
    assert "\r" not in conv.text


def test_a_partly_empty_issue_says_what_to_fill_in(root):
    conv = convert(body("delvist-tom"), root)
    assert conv.writable and not conv.ok
    assert messages(conv) == [
        ("Beskrivelse", "Feltet 'description' (beskrivelse) er tomt. Én linje om, hvad det handler om."),
        ("Forløbet", "Afsnittet '## Forløbet' er tomt."),
    ]
    meta = front(conv.text)
    assert "year" not in meta and "url" not in meta["source"]                    # optional answers left out
    assert "## Det lærte vi" not in conv.text
    # The form lets the proposer leave the tags to the editor: they are the areas, and the PR says so.
    assert meta["tags"] == meta["areas"] == ["børn og unge", "organisation og ledelse"]
    assert ("Feltet `tags` (emneord) var tomt i issuet og er sat til det samme som `areas` (område). Ret det gerne, "
            "før casen bliver flettet.") in issue_case.pr_body(conv, 7)
    assert "tags" not in issue_case.pr_body(convert(body("god"), root), 7)
    text = reply(conv)
    assert text.startswith("## Tak for casen! Der er 2 ting, der skal rettes\n")
    assert (f"Vi har lavet filen `cases/{GOOD_NAME}.md` ud fra dit issue, men tjekket fandt 2 ting, der skal "
            "rettes, før casen kan udgives.") in text
    assert "**Beskrivelse**\n\n- Feltet 'description' (beskrivelse) er tomt." in text
    assert "**Forløbet**\n\n- Afsnittet '## Forløbet' er tomt.\n" in text
    assert "### Sådan retter du" in text and "vælg **Edit**" in text and "**Update comment**" in text


def test_wrong_values_and_personal_data_are_listed_at_once_and_nothing_is_written(root):
    conv = convert(body("fejl-i-felterne"), root)
    assert conv.personal and not conv.writable
    found = messages(conv)
    assert ("År", f"Feltet 'year' (år) er 22, som ikke er et muligt årstal: skriv et årstal fra 1970 til "
                  f"{THIS_YEAR}.") in found
    assert ("Metoder", "'World Kafe' er ikke et metodekort i Værktøjskassen. Mente du 'World Café'? Skriv "
                       "metodernes navne, som de står på sitet under Metoder, ét pr. linje.") in found
    assert ("Kilde: dokument", "Feltet 'source' (kilde) mangler 'document:'.") in found
    assert ("Kilde: webadresse", "'source.url' skal være en webadresse, der begynder med https:// (eller "
                                 "http://), ikke 'www.vejle.dk'.") in found
    assert ("Baggrund", "Afsnittet '## Baggrund' er tomt.") in found
    assert ("Persondata", "Sæt kryds ved, at du har skrevet roller og ikke navne og ingen CPR-numre, personlige "
                          "e-mailadresser eller telefonnumre.") in found
    assert any(label == "Hvem var med" and "ligner en personlig e-mailadresse" in m for label, m in found)
    assert any(label == "Kontakt" and "ligner et telefonnummer" in m for label, m in found)
    # In the form's order, each answer's problems together.
    labels = [label for label, _ in found]
    order = [s.label for s in slots()]
    assert labels == sorted(labels, key=order.index)
    text = reply(conv, written=False)
    assert text.startswith("## Tak for casen! Vi har ikke lavet filen endnu\n")
    assert "Issuet er offentligt, så ret det hurtigst muligt." in text
    # The reply repeats no personal data, and GitHub makes no mention, link or tag of the values.
    assert "mette.hansen" not in text and "20 30 40 50" not in text and "@gmail" not in text
    assert "&lt;b&gt;Fed&lt;/b&gt;" in text and "<b>" not in text


def test_changed_headings_are_named_with_the_heading_to_write(root):
    conv = convert(body("overskrifter-aendret"), root)
    assert conv.text is None                                                    # no title: no file name
    assert messages(conv) == [
        ("Hele casen", "Overskriften '### Mine noter' hører ikke til formularen, og teksten under den er ikke med i "
                       "casen. Skriv teksten under en af formularens overskrifter."),
        ("Titel", "Overskriften '### Titel' mangler i issuet, så svaret kan ikke findes. Der står '### Title': ret "
                  "den overskrift til '### Titel'. Skriv svaret under overskriften."),
        ("Kilde: dokument", "Overskriften '### Kilde: dokument' mangler i issuet, så svaret kan ikke findes. Der står "
                            "'### Kilde – dokumentet': ret den overskrift til '### Kilde: dokument'. Skriv svaret "
                            "under overskriften."),
        ("Kontakt", "Overskriften '### Kontakt' mangler i issuet, så svaret kan ikke findes. Skriv svaret under "
                    "overskriften."),
    ]
    assert reply(conv).startswith("## Tak for casen! Vi kunne ikke lave filen endnu\n")


@pytest.mark.parametrize("name, expected", [
    ("tom", "Issuet er tomt. Udfyld formularen 'Foreslå en case'."),
    ("fri-tekst", issue_case.sentence(issue_case.NOT_THE_FORM)),
])
def test_an_issue_that_is_not_the_form_gets_one_message(root, name, expected):
    conv = convert(body(name), root)
    assert conv.text is None and messages(conv) == [("Hele casen", expected)]
    assert "Opret et nyt issue med formularen" in expected or name == "tom"


def test_a_taken_name_gets_the_next_free_one_and_says_so(root):
    assert (root / "cases" / "koege-borgerinddragelseskorps.md").exists()
    conv = convert(body("navnet-er-taget"), root)
    assert conv.ok and conv.path == "cases/koege-borgerinddragelseskorps-2.md"
    assert ("Der findes allerede en case med filnavnet `koege-borgerinddragelseskorps.md`, så den nye fil hedder "
            "`koege-borgerinddragelseskorps-2.md`.") in reply(conv)
    (root / "cases" / "koege-borgerinddragelseskorps-2.md").write_text("x", encoding="utf-8")
    assert convert(body("navnet-er-taget"), root).path == "cases/koege-borgerinddragelseskorps-3.md"


def test_unknown_methods_are_named_and_left_out(root):
    conv = convert(body("ukendte-metoder"), root)
    assert front(conv.text)["methods"] == ["borgerpanel"]
    assert messages(conv) == [
        ("Metoder", "'Verdenscafé' er ikke et metodekort i Værktøjskassen. Skriv metodernes navne, som de står på "
                    "sitet under Metoder, ét pr. linje."),
        ("Metoder", "'Et helt andet møde' er ikke et metodekort i Værktøjskassen. Skriv metodernes navne, som de står "
                    "på sitet under Metoder, ét pr. linje."),
    ]


def test_yaml_and_template_text_stays_text(root):
    conv = convert(body("yaml-injektion"), root)
    doc = parse(conv.path, conv.text.encode("utf-8"), model.CASE)
    assert doc.problems == [] and not doc.unreadable
    assert set(doc.meta) == set(model.CASE.field_names)                        # no key of the issue's own
    assert doc.meta["title"] == 'Borgerpanel: --- "citat" {{ config.extra }} #ikke-en-kommentar'
    assert doc.meta["description"] == "---\nrender_macros: true\ntitle: Overtaget\n---"
    assert doc.meta["contact"] == "!!python/object/apply:os.system ['ls']\n---\nrender_macros: true"
    assert doc.meta["roles"] == ["&anker En skoleleder", "*anker", "key: value"]
    assert "{{ config }} og {% include 'x' %}" in doc.body
    assert messages(conv) == [
        ("Beskrivelse", "Feltet 'description' (beskrivelse) skal være én linje; fjern linjeskiftet."),
        ("Kontakt", "Feltet 'contact' (kontakt) skal være én linje; fjern linjeskiftet."),
    ]


def test_html_is_refused_by_the_validator_and_quoted_inertly_in_the_reply(root):
    conv = convert(body("html-injektion"), root)
    found = messages(conv)
    assert ("Baggrund", "Attributten 'onerror' i '<img>' kan køre kode og er ikke tilladt.") in found
    assert any(label == "Baggrund" and m.startswith("HTML-tagget '<script>' er ikke tilladt") for label, m in found)
    assert any(label == "Baggrund" and m.startswith("Adressen 'javascript:alert(1)' er ikke tilladt") for label, m in found)
    text = reply(conv)
    assert "<script>" not in text and "<img" not in text and "@nogen" not in text
    assert "'&#64;nogen'" in text and "'&lt;script&gt;'" in text


# ---------------------------------------------------------------------------------------------
# Hostile bodies: bounded work, no traceback, safe YAML

def test_a_body_over_githubs_limit_is_refused_unread(root):
    start = time.perf_counter()
    conv = convert(body("god") + "x" * MAX_BODY, root)
    assert time.perf_counter() - start < 1                                      # not read further
    assert conv.text is None
    assert messages(conv)[0][1].startswith("Issuet er ") and "højst 65.536 kan læses" in messages(conv)[0][1]


def test_huge_answers_and_many_headings_are_bounded(root):
    many = "\n".join(f"### Overskrift {i}\n\ntekst" for i in range(5000))
    conv = convert(body("god").replace("### Titel", many + "\n### Titel", 1)[:MAX_BODY], root)
    assert len([f for f in conv.findings if f.label == "Hele casen"]) <= 5
    long_title = body("god").replace("Borgerpanel om skolernes fremtid", "Borgerpanel " * 4000, 1)
    conv = convert(long_title[:MAX_BODY], root)
    assert len(conv.slug) <= 60 + len("koege-")
    assert any(f.label == "Titel" and "højst" in f.message for f in conv.findings)


def test_control_and_invisible_characters_are_named_and_never_written(root):
    text = body("god").replace("Borgerpanel om skolernes fremtid", "Borger\x00panel \u202eom skolen\x1b", 1)
    conv = convert(text, root)
    assert not conv.writable
    assert any("U+0000" in f.message for f in conv.findings)
    assert any("U+202E" in f.message and "vender tekstretningen" in f.message for f in conv.findings)
    assert "\x00" not in reply(conv) and "\u202e" not in reply(conv)


FRAGMENTS = ["### Titel", "### Baggrund", "### Kilde: dokument", "### Persondata", "### ", "---", "...", "\n",
             "\r\n", "_No response_", "- [X] ja", "{{ x }}", "{%", "<script>", "a: b", "- ", "'", '"', "\\", "#",
             "&a", "*a", "!!python/object", "\t", "\u2028", "\x85", "\u00a0", "Køge", "\x00", "\ufeff", "[x](y)"]


def test_random_bodies_never_break_the_reader_or_the_yaml(root):
    rng = random.Random(18)                                                  # fixed: the same bodies each run
    for _ in range(30):
        text = "".join(rng.choice(FRAGMENTS) + rng.choice(["", " ", "\n"]) for _ in range(rng.randint(0, 80)))
        text = body("god").replace("Borgerpanel om skolernes fremtid", text, 1) if rng.random() < 0.7 else text
        conv = convert(text, root)
        out = reply(conv)
        assert "\x00" not in out and "\u2028" not in out
        if conv.text is not None:
            doc = parse(conv.path, conv.text.encode("utf-8"), model.CASE)
            assert not doc.unreadable and set(doc.meta) <= set(model.CASE.field_names), conv.text[:500]
            # What was written is what was read: the writer's quoting held.
            assert all(doc.meta[k] == v for k, v in conv.meta.items()), conv.text[:500]


# ---------------------------------------------------------------------------------------------
# The validator's verdict is the one `make check` gives

def test_the_verdict_is_the_validators_on_the_written_file(root):
    for name in ("god", "delvist-tom", "yaml-injektion", "html-injektion"):
        conv = convert(body(name), root)
        path = root / conv.path
        path.write_text(conv.text, encoding="utf-8")
        problems = validate_tree(root, [path])
        assert {issue_case.sentence(p.message) for p in problems} <= {f.message for f in conv.findings}, name
        assert bool(problems) == (not conv.ok), name
        path.unlink()


# ---------------------------------------------------------------------------------------------
# The command line

def run(root: Path, *args: str, body_text: str | None = None, env_body: str | None = None):
    env = {"PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"}
    if env_body is not None:
        env["ISSUE_BODY"] = env_body
    return subprocess.run([sys.executable, "-m", "toolbox", "issue-to-case", "--root", str(root), *args],
                          input=body_text, capture_output=True, text=True, env=env, cwd=root, timeout=120)


def test_the_command_writes_the_case_and_the_reply_from_the_environment(root):
    before = set((root / "cases").iterdir())
    result = run(root, "--reply", str(root / "svar.md"), "--pr-body", str(root / "pr.md"), "--issue", "42",
                 env_body=body("god"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"cases/{GOOD_NAME}.md\n"
    assert set((root / "cases").iterdir()) - before == {root / "cases" / f"{GOOD_NAME}.md"}
    assert (root / "cases" / f"{GOOD_NAME}.md").read_text(encoding="utf-8") == convert(body("god"), ROOT).text
    assert (root / "svar.md").read_text(encoding="utf-8").startswith("## Tak for casen!\n")
    pr = (root / "pr.md").read_text(encoding="utf-8")
    assert "ud fra #42" in pr and pr.rstrip().endswith("Closes #42")
    assert validate_tree(root, [root / "cases" / f"{GOOD_NAME}.md"]) == []


def test_the_command_never_overwrites_and_reads_stdin(root):
    first = run(root, env_body=body("god"))
    kept = (root / "cases" / f"{GOOD_NAME}.md").read_bytes()
    second = run(root, body_text=body("god"))
    assert first.returncode == second.returncode == 0
    assert second.stdout == f"cases/{GOOD_NAME}-2.md\n"
    assert (root / "cases" / f"{GOOD_NAME}.md").read_bytes() == kept


def test_the_command_writes_no_file_with_personal_data_and_exits_1(root):
    before = sorted((root / "cases").iterdir())
    result = run(root, "--reply", str(root / "svar.md"), env_body=body("fejl-i-felterne"))
    assert result.returncode == 1 and result.stdout == ""
    assert sorted((root / "cases").iterdir()) == before
    assert "Der er ikke skrevet nogen fil. 14 ting skal rettes." in result.stderr
    assert "Traceback" not in result.stderr
    assert (root / "svar.md").read_text(encoding="utf-8").startswith("## Tak for casen! Vi har ikke lavet filen endnu")


def test_the_command_without_a_body_says_how_to_give_one(root):
    result = run(root, body_text="")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == "Der er ingen tekst: sæt miljøvariablen ISSUE_BODY, eller send issuets tekst på stdin."
