"""The scaffolders (scripts/new_case.py, scripts/new_method.py): driven end to end with answers on
standard input, in a temporary project root (a copy of methods/) so the real content is never touched.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT
from toolbox.text import SLUG_MAX, SLUG_RE, slugify
from toolbox import model, scaffold
from toolbox.scaffold import section_texts
from toolbox.loader import parse, read

SCRIPTS = ROOT / "scripts"


@pytest.fixture
def root(tmp_path) -> Path:
    """A project root with a copy of the real method cards and no cases/ folder."""
    project = tmp_path / "projekt"
    project.mkdir()
    shutil.copytree(ROOT / "methods", project / "methods")
    return project


def run(script: str, root: Path, *args: str, answers: list[str] | None = None) -> subprocess.CompletedProcess:
    """Run a scaffolder with `answers` on standard input (one per line; the input then ends)."""
    stdin = "".join(a + "\n" for a in answers) if answers is not None else ""
    return subprocess.run([sys.executable, str(SCRIPTS / script), "--root", str(root), *args],
                          input=stdin, capture_output=True, text=True, encoding="utf-8", timeout=120,
                          cwd=root.parent, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def validator(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPTS / "validate.py"), str(path)],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def assert_valid(path: Path) -> None:
    """A scaffolded file: the validator names each section that still holds the template's guidance
    (at that section's text), and nothing else; once the sections are written, the file passes."""
    result = validator(path)
    assert result.returncode == 1, result.stdout + result.stderr
    ctype = model.TYPES[path.parent.name]
    lines = path.read_text(encoding="utf-8").split("\n")
    reported = [re.match(r"^.*?:(\d+): (.*)$", line).groups() for line in result.stdout.strip().split("\n")]
    assert len(reported) == len(ctype.sections), reported
    for name, (at, message) in zip(ctype.sections, reported):
        at = int(at)
        assert lines[at - 3] == f"## {name}", (name, message)   # the guidance two lines below
        assert f"afsnittet '## {name}' har stadig skabelonens tekst (" in message
        assert message.endswith("Skriv jeres eget svar, og slet skabelonens tekst.")
    written = []
    for line in lines:
        written.append(line)
        if line.startswith("## "):
            written.append("")
            written.append("Vi skrev det selv, med egne ord.")
    text = "\n".join(written)
    for guidance in section_texts(ctype, ROOT).values():
        text = text.replace(guidance, "")
    path.write_text(text, encoding="utf-8")
    result = validator(path)
    assert result.returncode == 0, result.stdout + result.stderr


def front_matter(path: Path, ctype: model.ContentType) -> dict:
    return parse(f"{ctype.folder}/{path.name}", path.read_bytes(), ctype).meta


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


CASE_ANSWERS = [
    "",                                  # empty title: re-asked
    "Borgermøde om stier",
    "Borgerne tegnede selv de nye stier ind på et kort.",
    "Kooge",                             # near miss: 'Mente du Køge?'
    "",                                  # Enter accepts the suggestion
    "3024",                              # impossible year: re-asked
    "2023",
    "sundhed, helbred",                  # unknown area: re-asked
    "3,senior",                          # a number and a value
    "world-kafe",                        # unknown method card: re-asked with the nearest
    "dialogborde, world-cafe",
    "2",                                 # approach by number
    "En sundhedskonsulent",
    "Borgere fra lokalområdet",
    "",
    "Et nyt stinet",
    "",
    "Køge Kommune",
    "Nyhedsbrev om stierne",
    "ftp://example.com",                 # not http(s): re-asked
    "https://www.koege.dk/",
    "anna@example.com",                  # personal data: re-asked
    "Center for Borgerdialog",
    "Stier, ældre",                      # upper case tag: re-asked
    "stier, ældre",
    "",                                  # accept the proposed file name
]


def test_new_case_asks_every_field_reasks_wrong_answers_and_writes_a_valid_file(root):
    result = run("new_case.py", root, answers=CASE_ANSWERS)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for f in model.CASE.fields:                       # one question per field, in model order
        assert f.label in out and f.help in out
    positions = [out.index("\n" + f.label) for f in model.CASE.fields]
    assert positions == sorted(positions)
    for message in (
        "Feltet 'title' (titel) er tomt.",
        "'Kooge' findes ikke. Mente du 'Køge'?",
        "Tryk Enter for at bruge 'Køge'",
        "er 3024, som ikke er et muligt årstal",
        "'helbred' findes ikke.",
        "metodekortet 'world-kafe' findes ikke i methods/. Mente du 'world-cafe'?",
        "'source.url' skal være en webadresse, der begynder med https://",
        "'a•••@example.com' ligner en personlig e-mailadresse.",
        "Emneordet 'Stier' må kun have små bogstaver",
        "Forslag: koege-borgermoede-om-stier",
        "Tjek: felterne er i orden.",
        "Næste skridt: Åbn cases/koege-borgermoede-om-stier.md, og skriv afsnittene Baggrund og\n"
        "  Forløbet færdige i stedet for vejledningen (linje 24, 28).",
    ):
        assert message in out, message
    assert "Traceback" not in result.stderr

    path = root / "cases" / "koege-borgermoede-om-stier.md"
    meta = front_matter(path, model.CASE)
    assert meta == {
        "title": "Borgermøde om stier",
        "description": "Borgerne tegnede selv de nye stier ind på et kort.",
        "municipality": "Køge",
        "year": 2023,
        "areas": ["sundhed", "senior"],
        "methods": ["dialogborde", "world-cafe"],
        "approach": "inddragelse",
        "roles": ["En sundhedskonsulent", "Borgere fra lokalområdet"],
        "results": ["Et nyt stinet"],
        "source": {"organisation": "Køge Kommune", "document": "Nyhedsbrev om stierne",
                   "url": "https://www.koege.dk/"},
        "contact": "Center for Borgerdialog",
        "tags": ["stier", "ældre"],
    }
    assert list(meta) == [f.name for f in model.CASE.fields if f.name in meta]
    text = path.read_text(encoding="utf-8")
    for section in model.CASE.sections:
        assert f"\n## {section}\n" in text
    assert_valid(path)


METHOD_ANSWERS = [
    "Stille idérunde",
    "Alle skriver idéer i stilhed, før nogen taler.",
    "metode",
    "tilbud og service",
    "inddragelse, samskabning",          # misspelt: re-asked with the suggestion
    "2,3",
    "idéudvikling",
    "90-30",                             # min greater than max: re-asked
    "20-45",
    "abc",                               # not numbers: re-asked
    "3 til 30",
    "1",
    "sundhed,senior",
    "svær",                              # not in the vocabulary: re-asked
    "let",
    "Papir",
    "Kuglepenne",
    "",
    "Skriv spørgsmålet op, så alle kan se det.",
    "5: Præsentér spørgsmålet.",
    "Alle skriver i stilhed.",           # no minutes: re-asked
    "10: Alle skriver i stilhed.",
    "2: Læs op.",
    "",                                  # 17 minutes, not within 20-45: the steps are asked again
    "5: Præsentér spørgsmålet.",
    "10: Alle skriver i stilhed.",
    "10: Del idéerne i en runde.",
    "",
    "der skal træffes en hurtig beslutning.",
    "Skriv på post-its i stedet for papir.",
    "",
    "",                                  # worksheets, optional
    "brainwriting",                      # related, optional
    "",                                  # first source without a title: re-asked
    "Egen praksis",
    "",
    "En bog om idéudvikling",
    "https://example.org/bog",
    "",                                  # no more sources
    "idéer, stilhed",
    "Stille Idérunde",                   # not a valid file name: re-asked
    "stille-runde",
]


def test_new_method_reasks_wrong_answers_and_writes_a_valid_card_with_timed_steps(root):
    result = run("new_method.py", root, answers=METHOD_ANSWERS)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for message in (
        "'samskabning' findes ikke. Mente du 'samskabelse'?",
        "'duration': min (90) er større end max (30); byt om på dem.",
        "'participants.min' skal være et helt tal på 0 eller derover, ikke 'abc'.",
        "Feltet 'difficulty' (sværhedsgrad): 'svær' findes ikke.",
        "Feltet 'sources.title' (kilder) er tomt.",
        "Filnavnet 'Stille Idérunde.md' er ikke gyldigt",
        "Forslag: stille-iderunde",
        "skal have to linjer, 'minutes:' og 'do:'",
        "Trinene tager tilsammen 17 minutter, men tiden er 20–45 minutter.",
    ):
        assert message in out, message
    path = root / "methods" / "stille-runde.md"
    meta = front_matter(path, model.METHOD)
    assert meta["approaches"] == ["inddragelse", "samskabelse"]
    assert meta["duration"] == {"min": 20, "max": 45}
    assert meta["participants"] == {"min": 3, "max": 30}
    assert meta["audiences"] == ["borgere"]
    assert meta["materials"] == ["Papir", "Kuglepenne"]
    assert meta["related"] == ["brainwriting"]
    assert meta["sources"] == [{"title": "Egen praksis"},
                               {"title": "En bog om idéudvikling", "url": "https://example.org/bog"}]
    assert meta["steps"] == [{"minutes": 5, "do": "Præsentér spørgsmålet."},
                             {"minutes": 10, "do": "Alle skriver i stilhed."},
                             {"minutes": 10, "do": "Del idéerne i en runde."}]
    assert meta["not_when"] == "der skal træffes en hurtig beslutning."
    # Every field a new card can have, in model order; a new card has no former file names to ask for.
    assert list(meta) == [f.name for f in model.METHOD.fields if f.asked]
    assert "former_slugs" not in meta and "Tidligere filnavne" not in out
    assert_valid(path)


@pytest.mark.parametrize("script, answers, folder", [
    ("new_case.py", CASE_ANSWERS[:9], "cases"),
    ("new_method.py", METHOD_ANSWERS[:8], "methods"),
    ("new_case.py", [], "cases"),
])
def test_end_of_input_midway_stops_cleanly_and_writes_nothing(root, script, answers, folder):
    before = files_in(root / folder)
    result = run(script, root, answers=answers)
    assert result.returncode == 130
    assert "Traceback" not in result.stderr + result.stdout
    assert "Inputtet sluttede, før alle spørgsmål var besvaret. Der er ikke skrevet nogen fil." in result.stderr
    assert files_in(root / folder) == before


def test_ctrl_c_stops_cleanly_and_writes_nothing(root):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen([sys.executable, str(SCRIPTS / "new_case.py"), "--root", str(root)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    seen = b""
    while not seen.endswith(b"> "):                 # wait for the first question
        chunk = os.read(proc.stdout.fileno(), 1)
        assert chunk, seen.decode("utf-8", "replace")
        seen += chunk
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    proc.stdin.close()
    assert proc.returncode == 130
    assert b"Traceback" not in err
    assert "Afbrudt. Der er ikke skrevet nogen fil." in err.decode("utf-8")
    assert not (root / "cases").exists()


CASE_OPTIONS = [
    "--title", "Borgermøde om stier",
    "--description", "Borgerne tegnede selv de nye stier ind på et kort.",
    "--municipality", "Køge",
    "--year", "2023",
    "--areas", "sundhed,senior",
    "--methods", "dialogborde,world-cafe",
    "--approach", "inddragelse",
    "--roles", "En sundhedskonsulent", "--roles", "Borgere fra lokalområdet",
    "--results", "Et nyt stinet, som borgerne selv har tegnet",
    "--source-organisation", "Køge Kommune",
    "--source-document", "Nyhedsbrev om stierne",
    "--source-url", "https://www.koege.dk/",
    "--contact", "Center for Borgerdialog",
    "--tags", "stier, ældre",
]

METHOD_OPTIONS = [
    "--title", "Stille idérunde",
    "--description", "Alle skriver idéer i stilhed, før nogen taler.",
    "--kind", "metode",
    "--levels", "tilbud og service",
    "--steps", "5: Præsentér spørgsmålet.", "--steps", "10: Alle skriver i stilhed.",
    "--steps", "10: Del idéerne i en runde.",
    "--not-when", "der skal træffes en hurtig beslutning.",
    "--variations", "Skriv på post-its i stedet for papir.",
    "--approaches", "inddragelse,samskabelse",
    "--phases", "idéudvikling",
    "--duration-min", "20", "--duration-max", "45",
    "--participants-min", "3", "--participants-max", "30",
    "--audiences", "borgere",
    "--areas", "sundhed",
    "--difficulty", "let",
    "--materials", "Papir",
    "--preparation", "Skriv spørgsmålet op.",
    "--sources-title", "Egen praksis",
    "--tags", "idéer",
]


def test_non_interactive_case_from_options_never_asks_and_passes_the_validator(root):
    result = run("new_case.py", root, *CASE_OPTIONS, "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "> " not in result.stdout
    path = root / "cases" / "koege-borgermoede-om-stier.md"
    meta = front_matter(path, model.CASE)
    assert meta["roles"] == ["En sundhedskonsulent", "Borgere fra lokalområdet"]
    assert meta["results"] == ["Et nyt stinet, som borgerne selv har tegnet"]
    assert meta["source"]["url"] == "https://www.koege.dk/"
    assert "Skrevet: cases/koege-borgermoede-om-stier.md" in result.stdout
    assert_valid(path)


def test_non_interactive_method_with_its_own_slug_passes_the_validator(root):
    result = run("new_method.py", root, *METHOD_OPTIONS, "--ikke-interaktiv", "--slug", "stille-runde")
    assert result.returncode == 0, result.stdout + result.stderr
    path = root / "methods" / "stille-runde.md"
    assert front_matter(path, model.METHOD)["related"] == []
    assert_valid(path)


def test_non_interactive_lists_every_missing_field_and_exits_2(root):
    result = run("new_case.py", root, "--title", "Kun en titel", "--areas", "helbred", "--yes")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "Disse felter mangler:" in result.stderr
    for f in model.CASE.fields:
        if f.required and f.name not in ("title", "areas"):
            assert scaffold.option_of(f) in result.stderr, f.name
    assert "--year" not in result.stderr                    # optional
    assert "--areas: Feltet 'areas' (område): 'helbred' findes ikke." in result.stderr
    assert not (root / "cases").exists()


def test_never_overwrites_an_existing_file(root):
    first = run("new_case.py", root, *CASE_OPTIONS, "--yes")
    assert first.returncode == 0, first.stderr
    path = root / "cases" / "koege-borgermoede-om-stier.md"
    path.write_bytes(path.read_bytes() + b"\nEgen tekst, der ikke m\xc3\xa5 forsvinde.\n")
    before = path.read_bytes()

    again = run("new_case.py", root, *CASE_OPTIONS, "--yes")
    assert again.returncode == 1
    assert "cases/koege-borgermoede-om-stier.md findes allerede, og den bliver ikke overskrevet" in again.stderr
    assert "Traceback" not in again.stderr
    assert path.read_bytes() == before

    # Interactively: the prompt warns, and accepting the taken name stops without writing.
    interactive = run("new_case.py", root, answers=CASE_ANSWERS)
    assert interactive.returncode == 1
    assert "Bemærk: cases/koege-borgermoede-om-stier.md findes allerede." in interactive.stdout
    assert path.read_bytes() == before

    # An existing method card in the copied methods/.
    card = root / "methods" / "world-cafe.md"
    card_before = card.read_bytes()
    taken = run("new_method.py", root, *METHOD_OPTIONS, "--slug", "world-cafe", "--yes")
    assert taken.returncode == 1
    assert card.read_bytes() == card_before


def test_options_fill_fields_and_only_the_rest_is_asked(root):
    answers = CASE_ANSWERS[1:]                       # everything but the empty title ...
    answers.remove("Borgermøde om stier")            # ... and the title itself, given as an option
    result = run("new_case.py", root, "--title", "Borgermøde om stier", answers=answers)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "\nTitel\n" not in result.stdout
    assert_valid(root / "cases" / "koege-borgermoede-om-stier.md")


def test_a_wrong_option_is_explained_and_asked_again_interactively(root):
    answers = CASE_ANSWERS[3:]                        # from the municipality on
    result = run("new_case.py", root, "--title", "Borgermøde om stier", "--description", "<b>fed</b>",
                 answers=["Borgerne tegnede selv de nye stier ind på et kort.", *answers])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Beskrivelse: det, du skrev på kommandolinjen, kan ikke bruges." in result.stdout
    assert "må ikke indeholde '<' eller '>'" in result.stdout


# ---------------------------------------------------------------------------------------------
# The functions behind the scripts

def test_every_field_of_both_types_has_an_option_derived_from_the_model():
    for ctype in (model.CASE, model.METHOD):
        parser = scaffold.build_parser(ctype, ROOT)
        options = {o for action in parser._actions for o in action.option_strings}
        assert "--former-slugs" not in options       # a new card has no former names (Field.asked)
        for f in scaffold.asked_fields(ctype):
            base = "--" + f.name.replace("_", "-")
            if f.kind == "range":
                assert {base + "-min", base + "-max"} <= options
            elif f.kind in ("source", "sources"):
                assert {f"{base}-{key}" for key, *_ in scaffold.parts_of(f)} <= options
            else:
                assert base in options
        assert {"--yes", "--ikke-interaktiv", "--root", "--slug"} <= options


def test_check_answer_gives_the_validators_messages():
    municipality = model.CASE.field("municipality")
    assert scaffold.check_answer(model.CASE, municipality, "Køge") == []
    assert scaffold.check_answer(model.CASE, municipality, "Kooge") == [
        "feltet 'municipality' (kommune): 'Kooge' findes ikke. Mente du 'Køge'? "
        "Se listen i toolbox/vocabularies/municipalities.yml."]
    assert scaffold.check_answer(model.CASE, model.CASE.field("year"), None) == []
    assert scaffold.check_answer(model.CASE, model.CASE.field("title"), None) == [
        "feltet 'title' (titel) er tomt. Navnet, som det står i overskriften."]
    methods = model.CASE.field("methods")
    assert scaffold.check_answer(model.CASE, methods, ["world-kafe"], {"world-cafe"}) == [
        "feltet 'methods': metodekortet 'world-kafe' findes ikke i methods/. Mente du 'world-cafe'?"]


def test_choices_are_resolved_by_number_value_or_label():
    areas = model.CASE.field("areas")
    choices = scaffold.choices_of(areas, [])
    assert scaffold.parse_answer(areas, "1, Sundhed, by og miljoe", []) == [choices[0][0], "sundhed", "by og miljø"]
    municipality = model.CASE.field("municipality")
    assert scaffold.parse_answer(municipality, "koege", []) == "Køge"
    assert scaffold.parse_answer(municipality, "1", []) == "1"          # not numbered: 98 choices
    assert scaffold.parse_answer(model.METHOD.field("duration"), "30 – 90") == {"min": 30, "max": 90}


def test_proposed_slug_begins_with_the_municipality():
    assert scaffold.propose_slug(model.CASE, {"title": "Fremtidens legeplads", "municipality": "Billund"}) \
        == "billund-fremtidens-legeplads"
    assert scaffold.propose_slug(model.CASE, {"title": "Køge får et korps", "municipality": "Køge"}) \
        == "koege-faar-et-korps"
    assert scaffold.propose_slug(model.METHOD, {"title": "World Café"}) == "world-cafe"
    assert scaffold.check_slug(model.CASE, "fremtidens-legeplads", {"municipality": "Billund"})
    assert scaffold.check_slug(model.METHOD, "world-cafe", {"related": ["world-cafe"]}) == [
        "et metodekort kan ikke henvise til sig selv."]


@pytest.mark.parametrize("ctype, meta", [
    (model.METHOD, {"title": "a" * 61}),                                   # one word, no hyphen to cut at
    (model.METHOD, {"title": "Samskabelse med foreninger og virksomheder i lokalsamfundet og byen"}),
    (model.CASE, {"title": "Samskabelse med foreninger og virksomheder i lokalsamfundet",
                  "municipality": "Lyngby-Taarbæk"}),                     # the longest prefix there is
    (model.CASE, {"title": "Borgerpanel " * 6, "municipality": "Ringkøbing-Skjern"}),
])
def test_a_proposed_file_name_is_never_longer_than_the_validator_allows(ctype, meta):
    """However long the title, the proposal is within SLUG_MAX, passes the validator's file name
    rules (a case's begins with its municipality) and ends on a whole word where it can."""
    slug = scaffold.propose_slug(ctype, meta)
    assert 0 < len(slug) <= SLUG_MAX and SLUG_RE.match(slug)
    assert scaffold.check_slug(ctype, slug, meta) == []
    long = slug + "-" + "x" * (SLUG_MAX - len(slug) + 1)
    assert any("højst 60 er tilladt" in m for m in scaffold.check_slug(ctype, long, meta))
    if "-" in slug and not meta["title"].startswith("a"):
        assert slugify(meta["title"]).startswith(slug.removeprefix(slugify(meta.get("municipality", "")) + "-"))


def test_rendered_front_matter_reads_back_exactly(root):
    meta = {"title": "Ja: nej # 2024", "description": "no", "municipality": "Køge", "year": 2020,
            "areas": ["by og miljø"], "methods": ["world-cafe"], "approach": "inddragelse",
            "roles": ["'Citat' og \"mere\""], "results": ["null", "1.5", "[ikke en liste]"],
            "source": {"organisation": "Køge Kommune", "document": "- liste?"},
            "contact": "true", "tags": ["ældre"]}
    text = scaffold.render(model.CASE, meta, scaffold.section_texts(model.CASE, root))
    path = root / "cases" / "koege-test.md"
    scaffold.write_new(path, text)
    assert read(path, root).meta == meta
    assert_valid(path)
    with pytest.raises(scaffold.Refused):
        scaffold.write_new(path, "andet")


# ---------------------------------------------------------------------------------------------
# The contribution guide, the issue form, pre-commit and the workflows

def test_contributing_guide_is_the_bidrag_page_without_a_second_copy(built_site):
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    page = (ROOT / "docs" / "bidrag" / "index.md").read_text(encoding="utf-8")
    assert "{{ contributing() }}" in page and "render_macros: true" in page
    assert len(page) < 400                                    # the text lives in CONTRIBUTING.md only
    html = (built_site / "bidrag" / "index.html").read_text(encoding="utf-8")
    # Two parts, staff without git first, then the git users, each with its tasks under it.
    parts = [line[3:] for line in guide.splitlines() if line.startswith("## ")]
    assert parts == ["Del 1: Uden git", "Del 2: Med git"]
    tasks = [line[4:] for line in guide.splitlines() if line.startswith("### ")]
    assert len(tasks) >= 8
    staff = guide[guide.index("## Del 1"):guide.index("## Del 2")]
    assert "make " not in staff and ".venv" not in staff      # no commands in the staff's part
    for heading in parts + tasks:
        assert f">{heading}</h2>" in html or f">{heading}</h3>" in html or f">{heading}<" in html, heading
    assert html.count("<h1") == 1                              # the guide's own '# ' heading is dropped


def test_contributing_links_work_on_github_and_in_the_site():
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for address in re.findall(r"\]\(([^)]*)\)", guide):
        assert address.startswith("https://"), address
    assert "/bidrag/ny-case/" in guide
    example = next(line for line in guide.splitlines() if re.match(r"^cases/\S+\.md:\d+: ", line))
    path, line, message = example.split(":", 2)
    fixture = validate_fixture_messages()
    assert (Path(path).name, int(line), message.strip()) in fixture


def validate_fixture_messages():
    from toolbox.validate import validate_tree
    return {(Path(p.path).name, p.line, p.message) for p in validate_tree(ROOT / "tests" / "fixtures" / "bad")}


def test_issue_form_follows_the_case_model():
    import yaml
    from toolbox import vocab
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "ny-case.yml").read_text(encoding="utf-8"))
    items = {item.get("id"): item for item in form["body"]}
    for name in ("title", "description", "municipality", "year", "areas", "methods", "approach", "roles",
                 "results", "contact", "tags"):
        f = model.CASE.field(name)
        attributes = items[name]["attributes"]
        assert attributes["label"] == f.label
        if name != "methods":
            assert attributes["description"].startswith(f.help)
        if f.vocabulary and items[name]["type"] == "dropdown":      # municipalities: typed (98 names)
            assert attributes["options"] == vocab.load(f.vocabulary).values
            assert attributes["multiple"] == (f.kind == "terms")
    for key, *_ in scaffold.parts_of(model.CASE.field("source")):
        assert f"source-{key}" in items
    for section in model.CASE.sections:
        assert any(item.get("attributes", {}).get("label") == section for item in form["body"])
    assert "GDPR" in form["body"][0]["attributes"]["value"]
    config = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "config.yml").read_text(encoding="utf-8"))
    assert config["contact_links"]


def test_pre_commit_runs_the_validator_on_changed_content_only():
    import yaml
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = config["repos"][0]["hooks"][0]
    assert config["repos"][0]["repo"] == "local" and hook["language"] == "system"
    assert hook["entry"].endswith("scripts/validate.py")
    files = re.compile(hook["files"])
    assert files.search("methods/world-cafe.md") and files.search("cases/koege-borgerinddragelseskorps.md")
    assert not files.search("methods/_skabelon.md") and not files.search("docs/index.md")


@pytest.mark.parametrize("slug, message", [("koege-a/../../x", "ingen mapper"), ("../../x", "ingen mapper"),
                                           ("/tmp/koege-x", "ingen mapper"), ("koege-x/y", "ingen mapper"),
                                           ("koege-x\\..\\y", "ingen mapper"), ("koege x", "er ikke gyldigt")])
def test_a_file_name_can_never_leave_the_content_folder(root, slug, message):
    """--slug is a file name in cases/, never a path: anything else is refused before a file is written."""
    before = {p for p in root.parent.rglob("*")}
    result = run("new_case.py", root, *CASE_OPTIONS, "--slug", slug, "--yes")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "kan ikke bruges" in result.stderr and message in result.stderr
    assert {p for p in root.parent.rglob("*")} == before
