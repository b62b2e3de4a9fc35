"""The name guard (toolbox/names.py): what reads as a person's name, what does not, and the case
form's JavaScript finding exactly the same on the same pattern source."""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from helpers import VALID_CASE, VALID_METHOD, METHOD_BODY, ROOT, make_doc, need
from toolbox import names
from toolbox.validate import validate_document

FOUND = [
    ("Projektleder Mette Hansen stod for det.", ["Projektleder Mette Hansen"]),
    ("Det var sundhedskonsulent Xenia Brandt, der inviterede.", ["sundhedskonsulent Xenia Brandt"]),
    ("Borgmester Jens Jensen åbnede mødet.", ["Borgmester Jens Jensen"]),
    ("Mette Hansen fortalte om forløbet.", ["Mette Hansen"]),
    ("Anne-Mette Nielsen og Søren Ørsted var med.", ["Anne-Mette Nielsen", "Søren Ørsted"]),
    ("Anne Mette Hansen var med.", ["Anne Mette Hansen"]),
    ("Borgeren Mette fortalte, at hun var glad.", ["Mette"]),
    ("Vi talte med Lars og med Lærke bagefter.", ["Lars", "Lærke"]),
    ("Kontakt: Louise Bak-Christensen", ["Louise Bak-Christensen"]),
]
NOT_FOUND = [
    "Per deltager var udgiften lav.",
    "Hans rolle var at samle trådene.",
    "Bo selv i egen bolig så længe som muligt.",
    "Mødet blev holdt til Sankt Hans.",
    "Sundhedskonsulenter og borgere fra lokalområdet",
    "Kolding Kommune, Køge Kommune og Hedensted Kommune",
    "World Café, Open Space og Fremtidsværksted",
    "hans kollega og per telefon",
    "PROJEKTLEDER METTE HANSEN",   # all capitals is not how a name is written in running text
    "",
]


@pytest.mark.parametrize("text, expected", FOUND)
def test_likely_names_are_found(text, expected):
    assert [found for _, found in names.find_names(text)] == expected


@pytest.mark.parametrize("text", NOT_FOUND)
def test_words_that_name_no_person_are_not_found(text):
    assert names.find_names(text) == []


def test_a_case_is_checked_and_a_method_card_may_name_its_authors():
    body = "\n## Baggrund\n\nProjektleder Mette Hansen gik i gang.\n\n## Forløbet\n\nVi gjorde noget.\n"
    case = make_doc({**VALID_CASE, "roles": ["Konsulent Lars Jensen"]}, body, kind="case")
    messages = [(p.line, p.message.split(" ligner")[0]) for p in validate_document(case)]
    roles_line = case.line_of("roles", 0)
    assert messages == [(roles_line, "'Konsulent Lars Jensen'"), (case.body_line + 3, "'Projektleder Mette Hansen'")]
    method = make_doc({**VALID_METHOD, "sources": [{"title": "Juanita Brown og David Isaacs: The World Café"}]},
                      METHOD_BODY)
    assert validate_document(method) == []


def test_the_allow_list_is_data_a_contributor_can_extend():
    text = "Vi mødtes ved Karen Blixens Plads og Niels Bohr Institutet."
    assert names.find_names(text) == []
    assert names.find_names("Vi mødtes med Karen Jensen.") == [(14, "Karen Jensen")]


def test_work_is_bounded_on_a_hostile_line():
    """200 KB of capitalised words and first names: found in well under the time a hang would take."""
    text = ("Mette Hansen " * 8000 + "Anne-" * 8000)[: 200 * 1024]
    start = time.process_time()
    names.find_names(text)
    assert time.process_time() - start < 10


NODE_SCRIPT = r"""
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const api = new Function(input.block + "\nreturn { compileNames, nameFindings };")();
const n = api.compileNames(input.names);
process.stdout.write(JSON.stringify(input.texts.map((t) => api.nameFindings(t, n))));
"""


def test_the_case_form_finds_exactly_what_python_finds():
    node = need("node")
    source = (ROOT / "docs" / "assets" / "js" / "case-form.js").read_text(encoding="utf-8")
    block = source[source.index("// names:begin"):source.index("// names:end")]
    texts = [t for t, _ in FOUND] + NOT_FOUND + ["Ved Sankt Hans talte Mette Hansen og Sankt Hans igen.",
                                                 "æøå Åse Ølgaard, Ærø: Birthe Ærbø."]
    result = subprocess.run([node, "-e", NODE_SCRIPT], capture_output=True, text=True, timeout=120,
                            input=json.dumps({"block": block, "names": names.browser_config(), "texts": texts}))
    assert result.returncode == 0, result.stderr[-2000:]
    js = json.loads(result.stdout)
    assert js == [[list(f) for f in names.find_names(t)] for t in texts]
    assert sum(map(len, js)) >= len(FOUND)
