"""The privacy guard (toolbox/privacy.py): what it reports and what it lets through, the line it
reports at, bounded work on hostile input, and the case form's copy in the browser
(docs/assets/js/case-form.js), run in Node on the same table, finding exactly the same things.
"""

from __future__ import annotations

import json
import subprocess
import time
import unicodedata
from dataclasses import dataclass, field

import pytest

from helpers import CASE_BODY, ROOT, VALID_CASE, make_doc, need
from toolbox import forms, privacy, vocab

WHY = "Cases og metodekort er offentlige, og persondata må ikke stå i dem (GDPR)."
# What a contributor reads after the quoted value, by kind of finding.
TAILS = {
    "CPR": f" ligner et CPR-nummer. {WHY} Slet det; skriv fx 'en borger' i stedet.",
    "e-mail": f" ligner en personlig e-mailadresse. {WHY} Skriv en rolle eller en enhed (fx 'Center for "
              "Borgerdialog'), eller få adressen godkendt i toolbox/vocabularies/official_contacts.yml, "
              "hvis det er en fælles postkasse.",
    "telefon": f" ligner et telefonnummer. {WHY} Skriv en rolle eller en enhed, eller få nummeret godkendt "
               "i toolbox/vocabularies/official_contacts.yml, hvis det er kommunens hovednummer.",
}


KIND = {"CPR": "cpr", "e-mail": "email", "telefon": "phone"}


def message(kind: str, quoted: str) -> str:
    """The message a contributor sees for a finding of `kind` quoting `quoted`, masked: personal
    data is not repeated in messages (they end up in CI logs and preview pages)."""
    return f"'{privacy.masked(KIND[kind], quoted)}'{TAILS[kind]}"


def test_messages_do_not_repeat_the_personal_data():
    for text, hidden in (("010190-1234", "0190-1234"), ("ring 22 33 44 55", "33 44 55"),
                         ("skriv til anna.hansen@kk.dk", "anna.hansen"), ("navn [at] kk.dk", "navn")):
        (found,) = privacy.find_personal_data(text)
        assert hidden not in found and "•" in found, found


# (text, kind, what the message quotes): each text holds exactly one finding.
FOUND = [
    # CPR numbers: every separator people type, and only valid dates
    ("Borgeren har CPR 010190-1234.", "CPR", "010190-1234"),
    ("CPR 0101901234 blev brugt", "CPR", "0101901234"),
    ("Født 010190 1234 i Køge", "CPR", "010190 1234"),
    ("CPR: 01.01.90-1234", "CPR", "01.01.90-1234"),
    ("CPR: 01.01.90 1234", "CPR", "01.01.90 1234"),
    ("CPR: 01-01-90-1234", "CPR", "01-01-90-1234"),
    ("en dash 010190\u20131234", "CPR", "010190\u20131234"),
    ("em dash 010190\u20141234", "CPR", "010190\u20141234"),
    ("bindestreg 010190\u20111234", "CPR", "010190\u20111234"),
    ("minus 010190\u22121234", "CPR", "010190\u22121234"),
    ("hårdt mellemrum 010190\u00a01234", "CPR", "010190 1234"),
    ("smalt hårdt mellemrum 010190\u202f1234", "CPR", "010190\u202f1234"),
    ("skuddag (290200-1234)", "CPR", "290200-1234"),
    ("nytårsaften 311299-4321.", "CPR", "311299-4321"),
    # e-mail addresses: plain, Danish letters, obfuscated, encoded
    ("Skriv til anna.hansen@gmail.com.", "e-mail", "anna.hansen@gmail.com"),
    ("navn@københavn.dk", "e-mail", "navn@københavn.dk"),
    ("Kontakt søren@kommune.dk i dag", "e-mail", "søren@kommune.dk"),
    ("SØREN.ÅBY@KØGE.DK", "e-mail", "SØREN.ÅBY@KØGE.DK"),
    ("anna+nyhedsbrev@firma.co.uk", "e-mail", "anna+nyhedsbrev@firma.co.uk"),
    ("navn@xn--kbenhavn-54a.dk", "e-mail", "navn@xn--kbenhavn-54a.dk"),
    ("Skriv til navn [at] kommune.dk", "e-mail", "navn [at] kommune.dk"),
    ("Skriv til navn (at) kommune.dk", "e-mail", "navn (at) kommune.dk"),
    ("navn{at}kommune.dk", "e-mail", "navn{at}kommune.dk"),
    ("navn [AT] kommune [dot] dk", "e-mail", "navn [AT] kommune [dot] dk"),
    ("navn(at)kommune(dot)dk", "e-mail", "navn(at)kommune(dot)dk"),
    ("navn [snabel-a] kommune [punktum] dk", "e-mail", "navn [snabel-a] kommune [punktum] dk"),
    ('<a href="mailto:navn%40kommune.dk">skriv</a>', "e-mail", "navn%40kommune.dk"),
    ("navn&#64;kommune.dk", "e-mail", "navn&#64;kommune.dk"),
    ("navn&#x40;kommune.dk", "e-mail", "navn&#x40;kommune.dk"),
    ("navn @ kommune.dk", "e-mail", "navn @ kommune.dk"),
    ("navn\uff20kommune.dk", "e-mail", "navn\uff20kommune.dk"),
    ("[Anna](mailto:anna@kk.dk)", "e-mail", "anna@kk.dk"),
    # Danish phone numbers: each grouping and separator, with and without the country code
    ("Ring på 22 33 44 55.", "telefon", "22 33 44 55"),
    ("tlf. 2233 4455", "telefon", "2233 4455"),
    ("tlf. 22334455", "telefon", "22334455"),
    ("tlf. 22.33.44.55", "telefon", "22.33.44.55"),
    ("tlf. 22-33-44-55", "telefon", "22-33-44-55"),
    ("tlf. 22\u201333\u201344\u201355", "telefon", "22\u201333\u201344\u201355"),
    ("tlf. 22\u00a033\u00a044\u00a055", "telefon", "22 33 44 55"),
    ("tlf. 22\u202f33\u202f44\u202f55", "telefon", "22\u202f33\u202f44\u202f55"),
    ("tlf.\t22\t33\t44\t55", "telefon", "22\\t33\\t44\\t55"),
    ("Ring +45 22 33 44 55", "telefon", "+45 22 33 44 55"),
    ("Ring +4522334455", "telefon", "+4522334455"),
    ("Ring 0045 22334455", "telefon", "0045 22334455"),
    ("Ring (+45) 22 33 44 55", "telefon", "(+45) 22 33 44 55"),
    ("Ring +45 2233 4455", "telefon", "+45 2233 4455"),
    ("Ring 45 22 33 44 55", "telefon", "45 22 33 44 55"),
    ("Ring 12 34 56 78", "telefon", "12 34 56 78"),
    ("Ring 20 19 20 20", "telefon", "20 19 20 20"),
    ("Ring +45 2019 2020", "telefon", "+45 2019 2020"),
]

# Texts with nothing to report.
NOT_FOUND = [
    "1234567890",                      # ten digits, but 12/34 is not a date
    "3201901234",                      # the 32nd
    "3102901234",                      # 31 February
    "290201-1234",                     # 29 February in a year not divisible by 4
    "010190-12345",                    # part of a longer number
    "2019-010190-1234",                # part of a longer number (a case number)
    "Projektet kørte 2019-2020.",      # two years side by side
    "Projektet kørte 2019\u20132020.",
    "Projektet kørte 2019 2020.",
    "i 20192020",
    "12 34 56 78 90",                  # a longer run of groups
    "123456789",
    "123456789012",
    "01 23 45 67",                     # Danish numbers never begin with 0
    "Mødet var kl. 10.00-12.00.",      # a time range, not 2-2-2-2
    "Prisen var 2500-3000 kr.",        # a range, not 4-4
    "d. 12.03.2019, 12-03-2019 eller 12/03/2019",
    "Datoen 20190312 og 12032019",     # dates without separators
    "Budgettet var 12.500.000 kr.",
    "+4722334455",                     # a foreign number
    "Vi var 45 deltagere i 2 timer.",
    "pakken pkg@1.2.3",
    "Følg @KøgeKommune",
    "følg os @koege.kommune",          # a handle, not ' @ '
    "navn at kommune dot dk",          # 'at' is a common Danish word; only [at], (at) ... count
    "anna@localhost",
    "e-mail: anna@",
    "Se https://www.koege.dk/kontakt",
    "CPR-nummeret 010190-xxxx",
    "\u0660\u0661\u0660\u0661\u0669\u0660-\u0661\u0662\u0663\u0664",  # digits other than 0-9: no one types them
    "\uff12\uff12\uff13\uff13\uff14\uff14\uff15\uff15",
]

# (text, [(kind, quoted), ...] in the order they occur)
SEVERAL = [
    ("Borgeren (010190-1234) skrev til hans@example.dk.",
     [("CPR", "010190-1234"), ("e-mail", "hans@example.dk")]),
    ("Ring 22 33 44 55 eller 33 44 55 66", [("telefon", "22 33 44 55"), ("telefon", "33 44 55 66")]),
    ("0101901234@x.dk", [("CPR", "0101901234"), ("e-mail", "0101901234@x.dk")]),
    ("22334455@sms.dk", [("e-mail", "22334455@sms.dk")]),   # not a phone number as well
    ("\U0001F600 anna@kommune.dk \U0001F600 22 33 44 55", [("e-mail", "anna@kommune.dk"), ("telefon", "22 33 44 55")]),
    ("anna@" + "afdeling." * 10 + "kommune.dk", [("e-mail", ("anna@" + "afdeling." * 10)[:79] + "…")]),
]

OFFICIAL = {"emails": frozenset({"kontakt@koege.dk"}), "phones": frozenset({"56676767"})}
# Official contacts pass, in any spelling; others at the same places do not.
OFFICIAL_CASES = [
    ("kontakt@koege.dk", []),
    ("KONTAKT@Koege.DK", []),
    ("kontakt [at] koege [dot] dk", []),
    ("+45 56 67 67 67", []),
    ("5667 6767", []),
    ("anna@koege.dk", [("e-mail", "anna@koege.dk")]),
    ("56 67 67 68", [("telefon", "56 67 67 68")]),
]


@pytest.mark.parametrize("text,kind,quoted", FOUND)
def test_personal_data_is_found_and_quoted(text, kind, quoted):
    assert privacy.find_personal_data(text) == [message(kind, quoted)]


@pytest.mark.parametrize("text", NOT_FOUND)
def test_what_is_not_personal_data_passes(text):
    assert privacy.find_personal_data(text) == []


@pytest.mark.parametrize("text,expected", SEVERAL)
def test_several_findings_in_order(text, expected):
    assert privacy.find_personal_data(text) == [message(k, q) for k, q in expected]


@pytest.mark.parametrize("text,expected", OFFICIAL_CASES)
def test_official_contacts_pass(monkeypatch, text, expected):
    monkeypatch.setattr(vocab, "official_contacts", lambda: OFFICIAL)
    assert privacy.find_personal_data(text) == [message(k, q) for k, q in expected]


def test_offsets_point_at_the_finding():
    text = "Ring (+45) 22 33 44 55 eller skriv til anna [at] kk.dk"
    assert [offset for offset, _ in privacy._findings(text)] == [text.index("(+45)"), text.index("anna")]


def test_every_message_is_one_line_with_one_explanation():
    texts = [t for t, _, _ in FOUND] + [t for t, _ in SEVERAL] + ["tlf. 22\t33\t44\t55\u2028"]
    for found in map(privacy.find_personal_data, texts):
        assert found
        for m in found:
            assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in m), m
            assert m.count("(GDPR)") == 1 and len(m) < 500, m


# Hostile input: each is checked as a whole, must finish quickly, and gives what is asked for.
HOSTILE = [
    ("a" * 150_000 + "@", 0),
    ("ø" * 150_000 + "@kommune.dk", 0),     # a local part longer than an address may have
    ("1" * 200_000, 0),
    ("a." * 100_000, 0),
    ("1 " * 100_000, 0),
    ("1." * 100_000, 0),
    ("1-" * 100_000, 0),
    ("1\u00a0" * 100_000, 0),
    ("22 " * 70_000, 0),
    ("0101901234" * 20_000, 0),
    ("01.01.90." * 20_000, 0),
    ("+45 " * 50_000, 0),
    ("[at]" * 50_000, 0),
    ("a [at] " * 30_000, 0),
    ("a@" * 100_000, 0),
    ("a@" + "a." * 100_000, 0),
    ("a@" + "a-" * 100_000, 0),
    ("a@b." * 50_000, 0),
    ("a%40" * 50_000, 0),
    ("a&#64;" * 40_000, 0),
    ("a@b" + " [ dot ]" * 30_000, 0),
    ("x [ " * 50_000, 0),
    (" " * 200_000, 0),
    ("anna@kommune.dk " * 10_000, 10_000),
    ("22 33 44 55, " * 10_000, 10_000),
    ("010190-1234, 22 33 44 55; " * 5_000, 10_000),
]


@pytest.mark.parametrize("text,count", HOSTILE, ids=[f"{t[:12]!r}x{len(t)}" for t, _ in HOSTILE])
def test_hostile_input_is_checked_in_bounded_time(text, count):
    start = time.process_time()   # CPU time: a hang shows, a busy machine does not
    found = privacy.find_personal_data(text)
    assert time.process_time() - start < 5.0
    assert len(found) == count


@dataclass
class FakeDoc:
    """The parts of a document the privacy check reads."""

    meta: dict
    body: str
    body_line: int
    lines: dict = field(default_factory=dict)
    path: str = "cases/koege-test.md"

    def line_of(self, *key):
        """The line of a key, falling back to its parent, then line 1."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return 1


def test_front_matter_findings_are_at_their_keys_line_and_body_findings_at_theirs():
    doc = FakeDoc(
        meta={"title": "Fint", "year": 2020, "contact": "Ring 22 33 44 55", "phone": 22334455, "ok": True, "results": ["ok", "skriv til a@b.dk"],
              "source": {"organisation": "CPR 010190-1234"}},
        lines={("contact",): 5, ("phone",): 6, ("results",): 7, ("results", 1): 9, ("source",): 10, ("source", "organisation"): 11},
        body="\nA\nB 010190-1234\n\nC\nD anna@x.dk og 22 33 44 55\n",
        body_line=14,
    )
    got = [(p.line, p.message) for p in privacy.check_privacy(doc)]
    assert got == [
        (5, message("telefon", "22 33 44 55")),
        (6, message("telefon", "22334455")),
        (9, message("e-mail", "a@b.dk")),
        (11, message("CPR", "010190-1234")),
        (16, message("CPR", "010190-1234")),
        (19, message("e-mail", "anna@x.dk")),
        (19, message("telefon", "22 33 44 55")),
    ]


def test_lines_in_a_real_file_point_at_the_text():
    meta = {**VALID_CASE, "contact": "Ring 22 33 44 55", "results": ["Et netværk", "Skriv til anna@kk.dk"]}
    body = CASE_BODY + "\nBorgeren (010190-1234) var med.\n"
    doc = make_doc(meta, body, "case")
    raw_lines = doc_raw_lines(meta, body)
    got = [(p.line, p.message.split("'")[1]) for p in privacy.check_privacy(doc)]
    assert sorted(got) == sorted((line_containing(raw_lines, v), privacy.masked(k, v))
                                 for k, v in (("phone", "22 33 44 55"), ("email", "anna@kk.dk"), ("cpr", "010190-1234")))


def doc_raw_lines(meta, body):
    """The lines of the file make_doc parses (YAML as helpers.make_doc writes it)."""
    import yaml
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n{body}".split("\n")


def line_containing(lines, value):
    """The 1-based number of the only line containing `value`."""
    hits = [i + 1 for i, line in enumerate(lines) if value in line]
    assert len(hits) == 1, (value, hits)
    return hits[0]


def test_the_case_form_gets_the_patterns_and_lists():
    config = forms.case_form_config("https://github.com/o/r", "main")["privacy"]
    assert config == privacy.browser_config()
    assert (config["cpr"], config["email"], config["phone"]) == \
        (privacy.CPR_RE.pattern, privacy.EMAIL_RE.pattern, privacy.PHONE_RE.pattern)
    json.dumps(config)


# -- The browser's copy, run in Node ------------------------------------------------------------

JS = ROOT / "docs" / "assets" / "js" / "case-form.js"
NODE_SCRIPT = r"""
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const api = new Function(input.block + "\nreturn { compilePrivacy, personalFindings };")();
const p = api.compilePrivacy(input.privacy);
function codePoints(text) {
  // UTF-16 index -> code point index (Python's offsets), only when the text has astral characters
  if (!/[\uD800-\uDFFF]/.test(text)) return (i) => i;
  return (i) => Array.from(text.slice(0, i)).length;
}
const out = input.texts.map((text) => {
  const cp = codePoints(text);
  const raw = {};
  for (const name of ["cpr", "email", "phone"]) {
    const re = new RegExp(input.privacy[name], "gu");
    raw[name] = [];
    let m;
    while ((m = re.exec(text)) !== null) raw[name].push([cp(m.index), ...Array.from(m, (g) => g === undefined ? null : g)]);
  }
  const start = process.hrtime.bigint();
  const found = api.personalFindings(text, p).map((f) => [cp(f.index), f.kind, f.value, f.shown]);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { raw, found, ms };
});
process.stdout.write(JSON.stringify(out));
"""


def js_block() -> str:
    """The privacy part of case-form.js: the lines between its two marker comments."""
    text = JS.read_text(encoding="utf-8")
    begin, end = text.index("// privacy:begin"), text.index("// privacy:end")
    return text[begin:end]


def python_side(text: str) -> dict:
    """What Python finds in `text`, shaped like the Node script's answer."""
    raw = {name: [[m.start(), m.group(0), *m.groups()] for m in rx.finditer(text)]
           for name, rx in (("cpr", privacy.CPR_RE), ("email", privacy.EMAIL_RE), ("phone", privacy.PHONE_RE))}
    found = [[o, k, v, privacy._shown(v)] for o, k, v in privacy._matches(text)]
    return {"raw": raw, "found": found}


def test_the_browser_finds_exactly_what_python_finds():
    node = need("node")
    texts = ([t for t, _, _ in FOUND] + NOT_FOUND + [t for t, _ in SEVERAL] + [t for t, _ in OFFICIAL_CASES]
             + [t for t, _ in HOSTILE])
    config = privacy.browser_config()
    result = subprocess.run([node, "-e", NODE_SCRIPT], input=json.dumps({"block": js_block(), "privacy": config,
                            "texts": texts}), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    answers = json.loads(result.stdout)
    assert len(answers) == len(texts)
    for text, js in zip(texts, answers):
        py = python_side(text)
        label = repr(text[:60])
        assert js["raw"] == py["raw"], label
        assert js["found"] == py["found"], label
        assert js["ms"] < 10000, label   # a hang, not a speed target: generous under load
    # The table is not empty on either side: both found what FOUND holds.
    assert sum(len(a["found"]) for a in answers[:len(FOUND)]) == len(FOUND)
