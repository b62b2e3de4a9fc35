"""The case form's configuration and markup (toolbox/forms.py): derived from the model and the
vocabularies, with the validator's rules, and safe to embed in the page.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

from toolbox import forms, model, privacy, validate, vocab  # noqa: E402
from toolbox.text import SLUG_RE  # noqa: E402

REPO = "https://github.com/vaerktoejskassen/vaerktoejskassen"
METHODS = [("world-cafe", "World Café"), ("borgerpanel", "Borgerpanel"), ("aabent-foerste-moede", "Åbent første møde")]


def config(**kwargs):
    return forms.case_form_config(REPO, "main", kwargs.pop("methods", METHODS), **kwargs)


def test_fields_follow_the_model_in_order():
    fields = config()["fields"]
    assert [f["name"] for f in fields] == model.CASE.field_names
    for f, spec in zip(fields, model.CASE.fields):
        assert (f["label"], f["kind"], f["help"], f["required"], f["max_length"]) == \
            (spec.label, spec.kind, spec.help, spec.required, spec.max_length)
        assert f["form_help"]


def test_choices_come_from_the_vocabularies():
    fields = {f["name"]: f for f in config()["fields"]}
    for spec in model.CASE.fields:
        if spec.kind in ("term", "terms"):
            terms = vocab.load(spec.vocabulary).terms
            assert fields[spec.name]["choices"] == [{"value": t.value, "label": t.label} for t in terms]
    assert len(fields["municipality"]["choices"]) == 98


def test_method_choices_are_the_given_cards_sorted_by_title():
    methods = {f["name"]: f for f in config()["fields"]}["methods"]["choices"]
    assert [m["label"] for m in methods] == ["Borgerpanel", "World Café", "Åbent første møde"]  # Å comes last
    assert {m["value"] for m in methods} == {s for s, _ in METHODS}


def test_source_parts_follow_the_schema():
    source = {f["name"]: f for f in config()["fields"]}["source"]
    schema = model.field_schema(model.CASE.field("source"))
    assert [p["name"] for p in source["parts"]] == list(schema["properties"])
    assert {p["name"] for p in source["parts"] if p["required"]} == set(schema["required"])
    assert [p["kind"] for p in source["parts"]] == ["line", "line", "url"]


def test_sections_required_by_the_model_come_first():
    c = config()
    assert c["required_sections"] == list(model.CASE.sections)
    required = [s["title"] for s in c["sections"] if s["required"]]
    assert required == list(model.CASE.sections)
    assert [s["title"] for s in c["sections"]][:len(required)] == required
    assert all(s["help"] for s in c["sections"])


def test_rules_are_the_validators():
    c = config()
    rules = c["rules"]
    assert rules["slug"] == SLUG_RE.pattern
    assert rules["tag"] == validate.TAG_RE.pattern
    assert rules["url"] == validate.URL_RE.pattern
    assert (rules["year_min"], rules["year_max"]) == (1970, validate.THIS_YEAR)
    assert re.search(rules["line_forbidden"], "a <b>") and not re.search(rules["line_forbidden"], "a b")
    p = c["privacy"]
    assert (p["cpr"], p["email"], p["phone"]) == \
        (privacy.CPR_RE.pattern, privacy.EMAIL_RE.pattern, privacy.PHONE_RE.pattern)
    assert c["transliteration"]["æ"] == "ae" and c["transliteration"]["ø"] == "oe" and c["transliteration"]["å"] == "aa"


def test_rules_agree_with_the_schema():
    schema = model.json_schema(model.CASE)["properties"]
    rules = config()["rules"]
    assert schema["tags"]["items"]["pattern"] == rules["tag"]
    assert schema["source"]["properties"]["url"]["pattern"] == rules["url"]
    assert re.fullmatch(schema["methods"]["items"]["pattern"], "world-cafe")
    assert re.fullmatch(rules["slug"], "world-cafe") and not re.fullmatch(rules["slug"], "World_Cafe")


def test_new_file_url_and_existing_cases():
    c = config(existing=["koege-x"])
    assert c["new_file_url"] == f"{REPO}/new/main/cases"
    assert forms.case_form_config(REPO + "/", "dev")["new_file_url"] == f"{REPO}/new/dev/cases"
    assert c["existing"] == ["koege-x"]


def test_every_message_is_danish_text():
    for key, text in config()["messages"].items():
        assert text.strip() and not re.search(r"\b(the|must|field|error)\b", text, re.I), key


def test_the_form_has_no_inline_script_and_names_its_configuration_file():
    """The configuration is a data file (no inline script for the Content-Security-Policy to
    refuse, after instant navigation too); a hostile method title reaches the markup escaped."""
    evil = '</script><script>alert(1)</script><!-- & "quoted" \u2028'
    html = forms.case_form(REPO, "main", [("ond", evil)], [], config_href="../../assets/data/case-form.json")
    assert "<script" not in html.replace("&lt;script", "")
    assert 'data-config="../../assets/data/case-form.json"' in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    data = json.loads(json.dumps(forms.case_form_config(REPO, "main", [("ond", evil)], [])))
    assert {"value": "ond", "label": evil} in data["fields"][model.CASE.field_names.index("methods")]["choices"]


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[dict] = []
        self.described: list[str] = []
        self.fieldsets = 0
        self.legends = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "label" and "for" in a:
            self.label_for.add(a["for"])
        if tag in ("input", "select", "textarea"):
            self.controls.append({"tag": tag, **a})
        if "aria-describedby" in a:
            self.described += a["aria-describedby"].split()
        self.fieldsets += tag == "fieldset"
        self.legends += tag == "legend"


def test_markup_labels_every_control_and_ties_help_to_it():
    html = forms.case_form_html(config())
    parsed = _Markup()
    parsed.feed(html)
    assert len(parsed.ids) == len(set(parsed.ids)), "ids are unique"
    for control in parsed.controls:
        assert control["id"] in parsed.label_for, control
    assert set(parsed.described) <= set(parsed.ids)
    assert parsed.fieldsets == parsed.legends
    by_name = {}
    for c in parsed.controls:
        by_name.setdefault(c.get("name"), []).append(c)
    assert by_name["title"][0]["type"] == "text"
    assert by_name["year"][0]["type"] == "number"
    assert by_name["municipality"][0]["tag"] == "select"
    assert by_name["approach"][0]["tag"] == "select"
    assert {c["type"] for c in by_name["areas"]} == {"checkbox"}
    assert len(by_name["areas"]) == len(vocab.load("areas").terms)
    assert len(by_name["methods"]) == len(METHODS)
    for section in model.CASE.sections:
        from toolbox.text import slugify
        assert by_name[f"section-{slugify(section)}"][0]["tag"] == "textarea"
    for name in ("title", "description", "contact", "tags", "roles", "results"):
        assert by_name[name][0].get("aria-describedby", "").endswith("-help")


def test_markup_escapes_labels():
    html = forms.case_form_html(config(methods=[("x", 'A "quote" & <tag>')]))
    assert 'A &quot;quote&quot; &amp; &lt;tag&gt;' in html and "<tag>" not in html


# ---------------------------------------------------------------------------------------------
# The editors (mkdocs.yml, extra.editors): configuration, never hard-coded

def test_the_editors_come_from_configuration_and_reach_the_form_and_the_pages():
    editors, wrong = forms.editors_of({"name": "Borgerdialog & Co", "email": "dialog@kommune.dk"})
    assert wrong == [] and editors == {"name": "Borgerdialog & Co", "email": "dialog@kommune.dk"}
    config = forms.case_form_config("https://example.org/r", "main", editors=editors)
    assert config["editors"] == editors
    html = forms.case_form_html(config)
    assert '<a class="md-button vk-cf-mail" href="mailto:dialog@kommune.dk">Send til redaktionen</a>' in html
    assert "send filen til Borgerdialog &amp; Co" in html and "vedhæft filen" in html
    contact = forms.editors_contact(editors, "https://example.org/r")
    assert '<strong>Borgerdialog &amp; Co</strong>' in contact and 'href="mailto:dialog@kommune.dk"' in contact
    # Left out: no e-mail button, and the pages point to GitHub.
    assert forms.editors_of(None) == (None, [])
    assert "vk-cf-mail" not in forms.case_form_html(forms.case_form_config("https://example.org/r", "main"))
    assert "mailto:" not in forms.editors_contact(None, "https://example.org/r")


def test_the_project_names_its_editors_in_mkdocs_yml_only():
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  editors:\n    name: " in text and "SKIFT" in text
    for path in [ROOT / "docs" / "om.md", *(ROOT / "docs" / "bidrag").glob("*.md"), ROOT / "toolbox" / "forms.py"]:
        assert "redaktionen@example.org" not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("value", [
    {"name": "Redaktionen", "email": "a@b.dk?cc=c@d.dk"},     # a second header in the mailto: link
    {"name": "Redaktionen", "email": "a@b.dk,c@d.dk"},        # a second recipient
    {"name": "Redaktionen", "email": "ikke en adresse"},
    {"name": "", "email": "a@b.dk"},
    "redaktionen@kommune.dk",
])
def test_a_wrong_editors_setting_is_a_danish_problem_not_a_link(value):
    editors, wrong = forms.editors_of(value)
    assert editors is None and len(wrong) == 1 and wrong[0].startswith("'extra.editors' skal have 'name'")
