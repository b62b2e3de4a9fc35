"""Writing a case in the browser (/bidrag/ny-case/): filled in as a user would, by label, the file it
makes passes the validator; errors are shown and announced in Danish; the draft survives a reload;
nothing leaves the page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import yaml
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]

from toolbox import model, vocab  # noqa: E402
from toolbox.privacy import find_personal_data  # noqa: E402
from toolbox.plan import plan_site  # noqa: E402
from toolbox.text import SLUG_MAX, shorten_slug, slugify  # noqa: E402
from toolbox.validate import validate_tree  # noqa: E402


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml even if it holds tags such as !ENV."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)
EXTRA = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)["extra"]
NEW_FILE = f'{EXTRA["repository"].rstrip("/")}/new/{EXTRA["branch"]}/cases'
METHODS = sorted(plan_site(ROOT).index.methods.values(), key=lambda d: d.slug)

TITLE = "Borgerpanel om skolernes fremtid"
MUNICIPALITY = "Køge"
FILENAME = f"{slugify(MUNICIPALITY)}-{slugify(TITLE)}.md"
DOCUMENT = 'Referat: "Skolen i 2030" – borgerpanelets anbefalinger'


def label(name: str) -> str:
    return model.CASE.field(name).label


def field(page, name: str):
    """The control a visible label names (optional fields say "(valgfri)" after the label)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label(name))}( \(valgfri\))?$"))


def open_form(page, site_url):
    page.goto(site_url + "bidrag/ny-case/")
    form = page.get_by_role("form", name="Skriv casen")
    form.wait_for()
    return form


def fill_case(page):
    """Everything a case needs, typed and ticked the way a person would."""
    field(page, "title").fill(TITLE)
    field(page, "description").fill("Kommunen spurgte 30 borgere til råds om, hvordan skolerne skal se ud om ti år.")
    field(page, "municipality").select_option(label=MUNICIPALITY)
    field(page, "year").fill("2023")
    areas = page.get_by_role("group", name=label("areas"))
    areas.get_by_label(vocab.load("areas").label_of("børn og unge"), exact=True).check()
    methods = page.get_by_role("group", name=label("methods"))
    for doc in METHODS[:2]:
        methods.get_by_label(doc.meta["title"], exact=True).check()
    field(page, "approach").select_option(label=vocab.load("approaches").label_of("inddragelse"))
    field(page, "roles").fill("En skoleleder\nForældre fra skolebestyrelserne\n\nCenter for Børn og Unge")
    field(page, "results").fill("En anbefaling til byrådet.\nEt fast samarbejde: skole og lokalråd.")
    page.get_by_label("Organisation", exact=True).fill("Køge Kommune")
    page.get_by_label("Dokument", exact=True).fill(DOCUMENT)
    page.get_by_label("Webadresse").fill("https://www.koege.dk/")
    field(page, "contact").fill("Center for Børn og Unge")
    field(page, "tags").fill("skole, borgerpanel, børn og unge")
    page.get_by_label("Baggrund", exact=True).fill(
        "Byrådet skulle beslutte, hvordan skolerne skal se ud i 2030.\n\n"
        "Det ville vi ikke gøre uden borgerne:\n\n- forældre\n- elever\n- naboer # og andre")
    page.get_by_label("Forløbet", exact=True).fill("1. Vi inviterede 30 borgere.\n2. De mødtes fire gange.")
    page.get_by_label("Det lærte vi").fill("Tag tid til at forklare rammerne, før I går i gang.")


def test_the_form_makes_a_file_that_passes_the_validator(page, site_url, tmp_path):
    open_form(page, site_url)
    fill_case(page)
    page.get_by_role("button", name="Lav filen").click()
    output = page.get_by_role("region", name="Filen", exact=True)
    output.wait_for()
    assert page.locator(".vk-cf-filename").inner_text() == FILENAME
    text = page.get_by_label("Filens indhold").input_value()

    with page.expect_download() as info:
        page.get_by_role("button", name="Hent filen").click()
    download = info.value
    assert download.suggested_filename == FILENAME

    # A copy of the project's content folders, with the new case in cases/.
    shutil.copytree(ROOT / "methods", tmp_path / "methods")
    (tmp_path / "cases").mkdir()
    target = tmp_path / "cases" / FILENAME
    download.save_as(target)
    assert target.read_text(encoding="utf-8") == text

    assert [str(p) for p in validate_tree(tmp_path, [target])] == []
    # And the real command line, run in the copy.
    for folder in ("toolbox", "scripts"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    result = subprocess.run([sys.executable, str(tmp_path / "scripts" / "validate.py"), str(target)],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr

    # The front matter holds what was typed, in the model's order.
    front = yaml.safe_load(text.split("---\n")[1])
    assert list(front) == [f.name for f in model.CASE.fields if f.name in front]
    assert front["title"] == TITLE and front["municipality"] == MUNICIPALITY and front["year"] == 2023
    assert front["roles"] == ["En skoleleder", "Forældre fra skolebestyrelserne", "Center for Børn og Unge"]
    assert front["source"] == {"organisation": "Køge Kommune", "document": DOCUMENT, "url": "https://www.koege.dk/"}
    assert sorted(front["methods"]) == [d.slug for d in METHODS[:2]]
    assert front["tags"] == ["skole", "borgerpanel", "børn og unge"]
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings[:len(model.CASE.sections)] == list(model.CASE.sections)

    # GitHub's new-file page, in the configured repository, with the file name and the file.
    href = page.get_by_role("link", name=re.compile("Åbn GitHub")).get_attribute("href")
    assert href.startswith(f"{NEW_FILE}?filename={FILENAME}&value=")
    query = parse_qs(urlparse(href).query)
    assert query["filename"] == [FILENAME] and query["value"] == [text]

    # The preview shows the page's text.
    preview = page.get_by_role("region", name="Forhåndsvisning")
    assert TITLE in preview.inner_text() and "Tag tid til at forklare rammerne" in preview.inner_text()
    assert page.watch.foreign == [] and page.watch.errors == [] and page.watch.dialogs == []


def test_a_missing_field_is_shown_and_announced_in_danish(page, site_url):
    open_form(page, site_url)
    fill_case(page)
    field(page, "title").fill("")
    page.get_by_role("button", name="Lav filen").click()

    alert = page.get_by_role("alert")
    assert alert.is_visible()
    assert alert.evaluate("el => el === document.activeElement")
    assert "Ret 1 fejl" in alert.inner_text()
    link = alert.get_by_role("link", name=re.compile("^Titel: Feltet skal udfyldes"))
    assert link.get_attribute("href") == "#" + field(page, "title").get_attribute("id")

    title = field(page, "title")
    error_id = title.get_attribute("aria-describedby").split()[0]
    error = page.locator(f"#{error_id}")
    assert error.is_visible()
    assert "Feltet skal udfyldes." in error.inner_text()
    assert "Fejl:" in error.text_content()
    assert title.get_attribute("aria-invalid") == "true"
    assert not page.get_by_role("region", name="Filen", exact=True).is_visible()

    link.click()
    assert title.evaluate("el => el === document.activeElement")
    title.fill(TITLE)
    expect(error).to_be_hidden()
    expect(title).not_to_have_attribute("aria-invalid", "true")
    expect(alert).to_be_hidden()
    assert page.watch.foreign == [] and page.watch.errors == []


def test_the_form_works_from_the_keyboard(page, site_url):
    open_form(page, site_url)
    field(page, "title").focus()
    page.keyboard.type(TITLE)
    page.keyboard.press("Enter")  # submits the form, like any form
    alert = page.get_by_role("alert")
    expect(alert).to_be_focused()
    page.keyboard.press("Tab")
    first = alert.get_by_role("link").first
    expect(first).to_be_focused()
    assert first.inner_text().startswith(label("description") + ":")
    page.keyboard.press("Enter")
    expect(field(page, "description")).to_be_focused()
    page.keyboard.press("Tab")
    expect(field(page, "municipality")).to_be_focused()
    page.keyboard.press("Tab")
    expect(field(page, "year")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the first area
    assert page.get_by_role("group", name=label("areas")).get_by_role("checkbox").first.is_checked()
    assert page.watch.foreign == [] and page.watch.errors == []


def test_personal_data_and_bad_values_are_caught_like_the_validator_does(page, site_url):
    open_form(page, site_url)
    fill_case(page)
    contact = "Ring på 22 33 44 55"
    background = "Borgeren (010190-1234) skrev til hans@example.dk."
    assert len(find_personal_data(contact)) == 1 and len(find_personal_data(background)) == 2
    field(page, "contact").fill(contact)
    page.get_by_label("Baggrund", exact=True).fill(background)
    field(page, "tags").fill("Skole, skole")
    field(page, "year").fill("1969")
    page.get_by_label("Webadresse").fill("javascript:alert(1)")
    field(page, "description").fill("Et <b>fedt</b> projekt")
    page.get_by_role("button", name="Lav filen").click()
    summary = page.get_by_role("alert").inner_text()
    assert "ligner et telefonnummer" in summary
    assert "ligner et CPR-nummer" in summary and "ligner en personlig e-mailadresse" in summary
    assert "Emneordet 'Skole' må kun have små bogstaver" in summary
    assert "fra 1970 til" in summary
    assert "https://" in summary and "'<' eller '>'" in summary
    assert page.watch.dialogs == [] and page.watch.errors == []


TRICKY = ["Køge", "Høje-Taastrup", "Ærø", "Café Über Ål", "  --Hvad nu?--  ", "Ñandú & Söhne", "1. maj",
          'Citat: "ja" # nej', "Tab\there", "back\\slash", "yes", "null", "- dash", "@at", "'single'",
          "emoji 🙂 ok", "line\u2028sep", "nul\u0001x", "{ a: b }", "[x]", "*star", "&anchor", "!tag", "%pct"]


def test_slugs_and_yaml_quoting_match_python(page, site_url):
    open_form(page, site_url)
    transliteration = page.evaluate(
        "() => fetch(document.querySelector('#vk-cf').dataset.config).then(r => r.json()).then(c => c.transliteration)")
    slugs = page.evaluate("([xs, map]) => xs.map(x => window.vkCaseForm.slugify(x, map))", [TRICKY, transliteration])
    assert slugs == [slugify(x) for x in TRICKY]
    long = ["a" * 61, "samskabelse-med-foreninger-og-virksomheder-i-lokalsamfundet-og-byen", "ab-" + "c" * 70,
            ("x-" * 40).strip("-"), "kort"]
    assert page.evaluate("xs => xs.map(x => window.vkCaseForm.shortenSlug(x, 60))", long) == \
        [shorten_slug(x) for x in long]
    # The proposed file name of a case with a long title fits the validator's limit, a taken one too.
    config = {"transliteration": transliteration, "rules": {"slug_max": SLUG_MAX},
              "existing": ["lyngby-taarbaek-samskabelse-med-foreninger-og-virksomheder-i"]}
    proposed = page.evaluate("c => window.vkCaseForm.fileSlug({meta: {municipality: 'Lyngby-Taarbæk', title: "
                             "'Samskabelse med foreninger og virksomheder i lokalsamfundet'}}, c)", config)
    assert proposed["taken"] == config["existing"][0]
    assert len(proposed["slug"]) <= SLUG_MAX and proposed["slug"].endswith("-2")
    quoted = page.evaluate("xs => xs.map(x => window.vkCaseForm.yamlString(x))", TRICKY)
    for original, scalar in zip(TRICKY, quoted):
        assert "\n" not in scalar and yaml.safe_load(f"key: {scalar}") == {"key": original}


def test_the_preview_writes_text_never_markup(page, site_url):
    open_form(page, site_url)
    field(page, "results").fill('<img src="x" onerror="alert(1)"> og <b>fed</b>')
    preview = page.get_by_role("region", name="Forhåndsvisning")
    assert '<img src="x" onerror="alert(1)"> og <b>fed</b>' in preview.inner_text()
    assert preview.locator("img, b").count() == 0
    assert page.watch.dialogs == [] and page.watch.errors == []


def test_the_draft_survives_a_reload_until_it_is_deleted(page, site_url):
    open_form(page, site_url)
    field(page, "title").fill(TITLE)
    page.get_by_role("group", name=label("areas")).get_by_label("Sundhed", exact=True).check()
    page.get_by_label("Forløbet", exact=True).fill("Vi mødtes.")
    page.reload()
    page.get_by_role("form", name="Skriv casen").wait_for()
    assert field(page, "title").input_value() == TITLE
    assert page.get_by_role("group", name=label("areas")).get_by_label("Sundhed", exact=True).is_checked()
    assert page.get_by_label("Forløbet", exact=True).input_value() == "Vi mødtes."
    expect(page.locator(".vk-cf-live")).to_contain_text("Din kladde fra")
    assert TITLE in page.get_by_role("region", name="Forhåndsvisning").inner_text()

    page.get_by_role("button", name="Slet kladden").click()
    assert field(page, "title").input_value() == ""
    page.reload()
    page.get_by_role("form", name="Skriv casen").wait_for()
    assert field(page, "title").input_value() == ""
    assert page.watch.foreign == [] and page.watch.errors == []


def test_the_form_attaches_when_reached_by_a_link_and_keeps_the_draft(page, site_url):
    page.goto(site_url + "bidrag/")
    page.locator("a[href$='ny-case/']").first.click()
    page.get_by_role("form", name="Skriv casen").wait_for()
    field(page, "title").fill(TITLE)
    assert TITLE in page.get_by_role("region", name="Forhåndsvisning").inner_text()
    # Away and back again: the form comes back with the draft.
    page.locator("a[href$='/metoder/']").first.click()
    page.get_by_role("heading", name="Metoder", level=1).wait_for()
    page.go_back()
    page.get_by_role("form", name="Skriv casen").wait_for()
    expect(field(page, "title")).to_have_value(TITLE)
    assert page.locator("#vk-cf-form").count() == 1
    assert page.watch.foreign == [] and page.watch.errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_fits_the_screen_and_passes_axe(page, site_url, width):
    from axe_playwright_python.sync_playwright import Axe

    pg = page
    pg.set_viewport_size({"width": width, "height": 800})
    pg.goto(site_url + "bidrag/ny-case/")
    pg.get_by_role("form", name="Skriv casen").wait_for()
    fill_case(pg)
    pg.get_by_role("button", name="Lav filen").click()
    pg.get_by_role("region", name="Filen", exact=True).wait_for()
    assert pg.evaluate("document.scrollingElement.scrollWidth") <= width
    wide = pg.eval_on_selector_all(
        ".vk-cf input, .vk-cf select, .vk-cf textarea, .vk-cf button, .vk-cf a",
        "(els, w) => els.filter(e => e.getBoundingClientRect().right > w + .5).map(e => e.id || e.name || e.textContent)",
        width)
    assert wide == []
    results = Axe().run(pg, context={"include": [["#vk-cf"]]})
    assert results.violations_count == 0, results.generate_report()
    # And with errors showing.
    field(pg, "title").fill("")
    field(pg, "tags").fill("Store Bogstaver")
    pg.get_by_role("button", name="Lav filen").click()
    pg.get_by_role("alert").wait_for()
    results = Axe().run(pg, context={"include": [["#vk-cf"]]})
    assert results.violations_count == 0, results.generate_report()


def test_without_a_github_account_the_file_goes_to_the_editors_by_e_mail(page, site_url, tmp_path):
    """The configured editors (mkdocs.yml, extra.editors) get an e-mail with a short text; the file is
    downloaded and attached by hand, so the link stays short whatever the case holds."""
    editors = EXTRA["editors"]
    open_form(page, site_url)
    fill_case(page)
    page.get_by_label("Baggrund", exact=True).fill("Lang tekst. " * 3000)        # far beyond any mailto: limit
    page.get_by_role("button", name="Lav filen").click()
    page.get_by_role("region", name="Filen", exact=True).wait_for()
    output = page.get_by_role("region", name="Filen", exact=True)
    expect(output.get_by_role("heading", name="Uden GitHub-konto: send filen til redaktionen")).to_be_visible()
    steps = output.locator(".vk-cf-mail-steps li").all_inner_texts()
    assert steps[0].startswith("Tryk på Hent filen.") and "Vedhæft filen, du hentede" in steps[2]
    assert f"send filen til {editors['name']} ({editors['email']})" in output.inner_text()
    href = page.get_by_role("link", name="Send til redaktionen").get_attribute("href")
    assert href.startswith(f"mailto:{editors['email']}?subject=") and len(href) < 2000
    query = parse_qs(urlparse(href).query)
    assert query["subject"] == [f"Ny case til Værktøjskassen: {TITLE}"]
    assert f"Filen {FILENAME} er vedhæftet denne mail." in query["body"][0]
    assert "Lang tekst" not in query["body"][0]
    with page.expect_download() as info:
        page.get_by_role("button", name="Hent filen").click()
    assert info.value.suggested_filename == FILENAME
    assert page.watch.foreign == [] and page.watch.errors == []


def test_the_templates_own_texts_are_caught_like_the_validator_does(page, site_url, tmp_path):
    """The case template's title and a section's prompt, typed into the form: the form refuses them
    as the validator refuses the same texts in a file (cases/_skabelon.md is the one source)."""
    from helpers import CASE_BODY, VALID_CASE, make_doc
    from toolbox.validate import placeholder_problems, templates
    title, prompt = "Hvad gjorde I?", "Hvorfor gik I i gang? Hvad var udfordringen?"
    open_form(page, site_url)
    fill_case(page)
    field(page, "title").fill(title)
    page.get_by_label("Baggrund", exact=True).fill(f"- {prompt}")
    page.get_by_role("button", name="Lav filen").click()
    summary = page.get_by_role("alert").inner_text()
    assert f"Der står stadig skabelonens tekst ('{title}'). Skriv jeres egen tekst i stedet." in summary
    assert f"Der står stadig skabelonens tekst ('- {prompt}'). Skriv jeres eget svar" in summary
    doc = make_doc({**VALID_CASE, "title": title}, CASE_BODY.replace("Noget skete.", f"- {prompt}"), kind="case")
    found = [p.message for p in placeholder_problems(doc, templates(ROOT))]
    assert len(found) == 2 and all("skabelonen" in m or "skabelonens" in m for m in found), found
    field(page, "title").fill("Borgerpanel om skolerne")
    page.get_by_label("Baggrund", exact=True).fill("Hvorfor gik vi i gang? Skolerne skulle fornyes.")
    page.get_by_role("button", name="Lav filen").click()
    expect(page.get_by_text("skabelonens tekst")).to_have_count(0)   # own words that ask a question pass
