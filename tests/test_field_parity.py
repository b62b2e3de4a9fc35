"""One definition per field kind (toolbox.fields): every field's examples get the same verdict from
the validator, the published JSON Schema and the case form's JavaScript (run in Node).

The few rules a schema cannot express are cross-field (fields.CROSS_FIELD_RULES); they are tested
on their own below, so the list cannot hide a disagreement."""

from __future__ import annotations

import json
import subprocess

import jsonschema
import pytest

from helpers import CASE_BODY, METHOD_BODY, ROOT, VALID_CASE, VALID_METHOD, make_doc, need
from toolbox import fields, forms, model
from toolbox.text import slugify
from toolbox.validate import Report, validate_all, validate_document

VALID = {"method": VALID_METHOD, "case": VALID_CASE}
# The validator's messages for the rules between fields (fields.CROSS_FIELD_RULES) and references
# between files: an example changes one field, so these say nothing about its kind.
CROSS_FIELD_MESSAGES = ("trinene tager tilsammen", "feltet 'methods'")
BODY = {"method": METHOD_BODY, "case": CASE_BODY}


def examples():
    for ctype in (model.METHOD, model.CASE):
        for f in ctype.fields:
            good, bad = f.kind_of.examples(f)
            for value in good:
                yield pytest.param(ctype, f, value, True, id=f"{ctype.name}.{f.name}-ok-{value!r}"[:90])
            for value in bad:
                yield pytest.param(ctype, f, value, False, id=f"{ctype.name}.{f.name}-bad-{value!r}"[:90])


CASES = list(examples())


def validator_accepts(ctype, f, value) -> bool:
    """The kind's check, and the whole validator on a document that differs only in this field."""
    # A case's file name begins with its municipality (a rule between name and field, not of the kind).
    name = f"{slugify(value)}-testcase.md" if f.name == "municipality" and isinstance(value, str) and value else None
    doc = make_doc({**VALID[ctype.name], f.name: value}, BODY[ctype.name], kind=ctype.name, name=name)
    report = Report(doc)
    f.kind_of.check(report, f, value)
    whole = [p for p in validate_document(doc) if not p.message.startswith(CROSS_FIELD_MESSAGES)]
    return not report.problems and not whole


def schema_accepts(ctype, f, value) -> bool:
    try:
        jsonschema.validate({**VALID[ctype.name], f.name: value}, model.json_schema(ctype))
        return True
    except jsonschema.ValidationError:
        return False


@pytest.mark.parametrize("ctype, f, value, ok", CASES)
def test_validator_and_schema_agree_on_every_example(ctype, f, value, ok):
    assert validator_accepts(ctype, f, value) is ok
    assert schema_accepts(ctype, f, value) is ok


def form_value(f, value):
    """The value as the case form holds it, or None when the form cannot produce it (a number
    typed into a text box is text; checkboxes cannot be ticked twice)."""
    kind = f.kind
    if kind in ("line", "term"):   # a one-line box: no line breaks, trimmed as the form reads it
        return value.strip() if isinstance(value, str) and "\n" not in value else None
    if kind == "text":
        return value.strip("\n") if isinstance(value, str) else None
    if kind == "year":
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else None
    if kind in ("terms", "slugs", "lines", "tags"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None
        if kind in ("terms", "slugs") and len(set(value)) != len(value):
            return None
        return value
    if kind == "source":
        parts = {p["name"] for p in forms._field(f, [])["parts"]}
        if not isinstance(value, dict) or not set(value) <= parts or not all(isinstance(v, str) for v in value.values()):
            return None
        return {p: value.get(p, "") for p in parts}
    return None


HARNESS = r"""
const fs = require("fs"), vm = require("vm");
const window = {}; const document = { readyState: "complete", getElementById: () => null };
vm.runInNewContext(fs.readFileSync(process.argv[2], "utf8"), { window, document, console });
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const rules = window.vkCaseForm.makeRules(input.config);
const out = input.cases.map(c => {
  const problems = window.vkCaseForm.check({ meta: c.meta, yearBad: false, sections: [] }, input.config, rules);
  return problems.filter(p => p.slot === c.field || p.slot.startsWith(c.field + "-")).map(p => p.message);
});
process.stdout.write(JSON.stringify(out));
"""


def test_the_case_form_agrees_with_the_validator_on_every_example(tmp_path):
    node = need("node")
    config = forms.case_form_config("https://example.org/r", "main", [("testmetode", "Testmetode")], [])
    base = {}
    for f in model.CASE.fields:
        base[f.name] = form_value(f, VALID_CASE[f.name]) if f.name in VALID_CASE else ("" if f.kind != "tags" else [])
    cases, expected = [], []
    for ctype, f, value, ok in (p.values for p in CASES):
        if ctype is not model.CASE:
            continue
        shown = form_value(f, value)
        if shown is None:
            continue
        cases.append({"field": f.name, "meta": {**base, f.name: shown}})
        expected.append((f.name, value, ok))
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS, encoding="utf-8")
    result = subprocess.run([node, str(harness), str(ROOT / "docs/assets/js/case-form.js")],
                            input=json.dumps({"config": config, "cases": cases}), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    verdicts = json.loads(result.stdout)
    assert len(cases) > 30
    disagreements = [(name, value, ok, found) for (name, value, ok), found in zip(expected, verdicts)
                     if (not found) is not ok]
    assert disagreements == []


def test_cross_field_rules_are_the_validators_alone():
    """min > max, and steps whose minutes do not fit the duration, pass the schema (it cannot compare
    two values) but not the validator."""
    f = model.METHOD.field("duration")
    value = {"min": 90, "max": 30}
    assert schema_accepts(model.METHOD, f, value) and not validator_accepts(model.METHOD, f, value)
    steps = [{"minutes": 100, "do": "Alt for længe."}] * 3
    doc = make_doc({**VALID_METHOD, "steps": steps}, METHOD_BODY)
    assert schema_accepts(model.METHOD, model.METHOD.field("steps"), steps)
    assert [p.message for p in validate_document(doc) if p.message.startswith(CROSS_FIELD_MESSAGES[0])]
    assert fields.CROSS_FIELD_RULES == ("a range's min may not exceed its max",
                                        "a card's step minutes add up to a time within its duration")


def test_every_kind_in_the_model_has_examples_that_pass_and_fail():
    used = {f.kind for t in model.TYPES.values() for f in t.fields}
    assert used <= set(fields.KINDS)
    for t in model.TYPES.values():
        for f in t.fields:
            good, bad = f.kind_of.examples(f)
            assert good and bad, f.name


def test_a_taken_former_slug_is_the_validators_alone():
    """'former_slugs' names other files: the schema checks each is a slug, only the validator (which
    sees every card) that it is not a current card's file name."""
    f = model.METHOD.field("former_slugs")
    for value, free in ((["testmetode"], False), (["gammelt-navn"], True)):   # the card is methods/testmetode.md
        doc = make_doc({**VALID_METHOD, f.name: value}, METHOD_BODY)
        assert schema_accepts(model.METHOD, f, value) and validator_accepts(model.METHOD, f, value)
        assert (validate_all([doc]) == []) is free
