"""The case form on /bidrag/ny-case/: its configuration and its HTML, derived from the model.

`case_form_config` collects everything the browser needs (fields in model order, vocabulary
choices, method cards, body sections, the validator's rules and the privacy patterns) as plain
data, which the site serves as a data file (CONFIG_PATH); `case_form_html`
builds the form's markup. docs/assets/js/case-form.js reads the JSON and does the rest in the
browser. Nothing here knows about MkDocs.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from . import model, names, privacy, validate, vocab
from .problems import shown
from .markup import INLINE_HTML as ALLOWED_TAGS
from .markup import TAG_RE as HTML_TAG_RE
from .text import _TRANSLITERATION, SLUG_MAX, SLUG_RE, slugify
from .validate import TAG_RE, THIS_YEAR, URL_RE

ROOT = Path(__file__).resolve().parent.parent
YEAR_MIN = 1970
PREFIX = "vk-cf"

# What the form shows under a field when the model's help is written for someone editing YAML.
FORM_HELP = {
    "year": "Året, arbejdet fandt sted. Lad feltet stå tomt, hvis kilden ikke nævner det.",
    "methods": "De metodekort, I brugte. Sæt kryds ved et eller flere.",
}
KIND_HINTS = {
    "lines": "Skriv én pr. linje.",
    "tags": "Skriv dem adskilt af komma, fx: ældre, aktiv aldring.",
}
SOURCE_LABELS = {"organisation": "Organisation", "document": "Dokument", "url": "Webadresse"}
SOURCE_HELP = {"url": "Begynder med https:// (eller http://). Kan udelades."}
# Fallbacks when the template (cases/_skabelon.md) has no text under a section.
SECTION_HELP = {"Baggrund": "Hvorfor gik I i gang? Hvad var udfordringen?",
                "Forløbet": "Hvad gjorde I, trin for trin?"}

# Everything the script says to the user, in Danish; {placeholders} are filled in by the script.
MESSAGES = {
    "required_text": "Feltet skal udfyldes. {help}",
    "required_choice": "Vælg en mulighed. {help}",
    "required_multi": "Sæt kryds ved mindst én. {help}",
    "required_lines": "Skriv mindst én linje. {help}",
    "required_section": "Afsnittet er tomt. Skriv mindst et par sætninger.",
    "too_long": "Teksten er {n} tegn; højst {max} er tilladt. Skriv den kortere.",
    "item_too_long": "Linje {i} er {n} tegn; højst {max} er tilladt. Skriv den kortere.",
    "angle": "Feltet må ikke indeholde '<' eller '>'. Det er ren tekst, ikke HTML.",
    "year": "Skriv et årstal med fire cifre fra {min} til {max}, eller lad feltet stå tomt.",
    "url": "Skriv en webadresse, der begynder med https:// (eller http://), uden mellemrum.",
    "tag": "Emneordet '{value}' må kun have små bogstaver, tal, mellemrum og bindestreger (højst 30 tegn).",
    "duplicate": "'{value}' står to gange.",
    "slug": "'{value}' er ikke et filnavn på et metodekort.",
    "heading": "Linje {i} begynder med '{value}'. Afsnittets overskrift kommer af sig selv; "
               "brug '###' til en mellemoverskrift.",
    "fence": "En kodeblok, der begynder med ``` eller ~~~, bliver ikke lukket.",
    "html_tag": "HTML-tagget '<{value}>' er ikke tilladt. Skriv almindelig tekst.",
    "html_comment": "HTML-kommentarer ('<!-- ... -->') er ikke tilladt.",
    "attr_list": "'{' efterfulgt af ':', '.', '#' eller '=' er ikke tilladt. Skriv almindelig tekst.",
    "include": "'--8<--' (indsæt en anden fil) er ikke tilladt.",
    "html_attr": "Attributter i '<{value}>' er ikke tilladt. Skriv tagget uden dem.",
    "handler": "'on...=' (en hændelse, der kan køre kode) er ikke tilladt.",
    "link": "Adressen '{value}' er ikke tilladt: links skal begynde med https:// eller http://.",
    "image": "Billedet '{value}' ligger på en anden server. Billeder fra andre servere er ikke tilladt.",
    "cpr": "'{value}' ligner et CPR-nummer. Cases er offentlige, og persondata må ikke stå i dem (GDPR). "
           "Slet det; skriv fx 'en borger' i stedet.",
    "email": "'{value}' ligner en personlig e-mailadresse. Cases er offentlige, og persondata må ikke stå "
             "i dem (GDPR). Skriv en rolle eller en enhed, fx 'Center for Borgerdialog'.",
    "phone": "'{value}' ligner et telefonnummer. Cases er offentlige, og persondata må ikke stå i dem "
             "(GDPR). Skriv en rolle eller en enhed i stedet.",
    "name": names.MESSAGE + " Er det ikke en person, men et sted, et program eller en organisation, så skriv "
            "det til redaktionen, når du sender casen.",
    "placeholder": "Der står stadig skabelonens tekst ('{value}'). Skriv jeres egen tekst i stedet.",
    "placeholder_section": "Der står stadig skabelonens tekst ('{value}'). Skriv jeres eget svar, og slet "
                           "skabelonens tekst.",
    "error_prefix": "Fejl: ",
    "summary_title": "Ret {n} fejl, før filen kan laves",
    "summary_one": "Ret 1 fejl, før filen kan laves",
    "missing_title": "(Titlen mangler)",
    "missing_description": "(Beskrivelsen mangler)",
    "missing_section": "(Afsnittet er tomt)",
    "preview_facts": "Nøgletal for casen",
    "preview_results": "Det kom der ud af",
    "preview_methods": "Metoder i casen",
    "preview_source": "Kilde",
    "preview_tags": "Emneord",
    "ready": "Filen {name} er klar. Kopiér den, hent den, eller åbn GitHub.",
    "stale": "Formularen er ændret og har nu fejl. Tryk på 'Lav filen' for at se dem.",
    "saved": "Kladden er gemt i denne browser kl. {time}.",
    "restored": "Din kladde fra {time} er hentet frem. Tryk på 'Slet kladden' for at starte forfra.",
    "deleted": "Kladden er slettet, og formularen er tom.",
    "no_storage": "Denne browser kan ikke gemme kladden. Lav filen, før du lukker siden.",
    "copied": "Filen er kopieret. Sæt den ind i en ny fil på GitHub.",
    "copy_failed": "Kopieringen lykkedes ikke. Markér teksten i feltet, og kopiér den selv.",
    "downloaded": "Filen {name} er hentet.",
    "long_url": "Filen er lang. Hvis teksten mangler på GitHub, så kopiér den her og sæt den ind.",
    "exists": "Der findes allerede en case med filnavnet {taken}, så filen hedder {name}.",
    # The e-mail to the editors: short, because a mailto: link holds little (the file is attached).
    "mail_subject": "Ny case til Værktøjskassen: {title}",
    "mail_body": "Hej {editors}\n\nHer er en ny case til Værktøjskassen: \"{title}\".\n\n"
                 "Filen {name} er vedhæftet denne mail.\n\nVenlig hilsen\n",
}
# A shared mailbox for the editors (mkdocs.yml, extra.editors.email): one address, nothing a mailto:
# link could read as more headers ('?', '&') or more recipients (',').
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


def _choices(name: str) -> list[dict]:
    return [{"value": t.value, "label": t.label} for t in vocab.load(name).terms]


def _template_sections() -> list[tuple[str, str]]:
    """The '## ' sections of cases/_skabelon.md with their text on one line (the prompt)."""
    template = validate.read_template(model.CASE, ROOT)
    return [(name, " ".join(line.strip() for line in lines if line.strip()))
            for name, lines in (template.sections.items() if template else ())]


def _sections() -> list[dict]:
    """The body sections: the model's required ones, then optional ones the template suggests."""
    prompts = dict(_template_sections())
    names = list(model.CASE.sections) + [n for n in prompts if n not in model.CASE.sections]
    return [{"title": name, "id": slugify(name), "required": name in model.CASE.sections,
             "help": prompts.get(name) or SECTION_HELP.get(name, "")} for name in names]


def _field(f: model.Field, methods: list[tuple[str, str]]) -> dict:
    out = {"name": f.name, "label": f.label, "kind": f.kind, "help": f.help, "required": f.required,
           "max_length": f.max_length}
    hint = KIND_HINTS.get(f.kind, "")
    if "pr. linje" in f.help and f.kind == "lines":
        hint = ""  # the help already says so
    out["form_help"] = FORM_HELP.get(f.name) or " ".join(x for x in (f.help, hint) if x)
    if f.kind in ("term", "terms"):
        out["choices"] = _choices(f.vocabulary)
    if f.kind == "slugs":
        out["choices"] = [{"value": slug, "label": title} for slug, title in methods]
    if f.kind in ("source", "sources"):
        schema = model.field_schema(f)
        props = schema["properties"] if f.kind == "source" else schema["items"]["properties"]
        required = schema.get("required") or schema["items"]["required"]
        out["parts"] = [{"name": key, "label": SOURCE_LABELS.get(key, key),
                         "help": SOURCE_HELP.get(key) or prop.get("description", ""),
                         "required": key in required, "kind": "url" if key == "url" else "line",
                         "max_length": prop.get("maxLength", model.TEXT_MAX)}
                        for key, prop in props.items()]
    return out


def editors_of(value) -> tuple[dict | None, list[str]]:
    """The editors from mkdocs.yml's `extra.editors` ({name, email}) and what is wrong with them;
    (None, []) when the setting is left out (the pages then point to GitHub only)."""
    if value is None:
        return None, []
    name = str(value.get("name") or "").strip() if isinstance(value, dict) else ""
    email = str(value.get("email") or "").strip() if isinstance(value, dict) else ""
    if name and EMAIL_RE.match(email):
        return {"name": name, "email": email}, []
    return None, ["'extra.editors' skal have 'name' (redaktionens navn) og 'email' (en fælles postkasse, fx "
                  f"redaktionen@kommune.dk); '{shown(email, 60)}' er ikke en e-mailadresse."
                  if name else "'extra.editors' skal have 'name' (redaktionens navn) og 'email' (en fælles postkasse)."]


def editors_contact(editors: dict | None, repository: str) -> str:
    """Who the editors are and how to reach them, as one paragraph of HTML for a page."""
    issues = f' eller gennem <a href="{esc(repository)}/issues">projektets fejl- og forslagsliste på GitHub</a>' \
        if repository else ""
    if not editors:
        return (f"Redaktørerne er dem, der har skriveadgang til projektet på GitHub. Du når dem{issues}."
                if repository else "Redaktørerne er dem, der har skriveadgang til projektet.")
    return (f'Bidragene bliver læst af <strong>{esc(editors["name"])}</strong>, som du når på e-mail: '
            f'<a href="mailto:{esc(editors["email"])}">{esc(editors["email"])}</a>{issues}. Du behøver ikke '
            "en GitHub-konto for at skrive til redaktionen.")


def template_placeholders() -> dict:
    """The case template's own texts as the validator compares them (validate.check_placeholders):
    normalised free-text values by field ('source.document'), lines and questions under sections."""
    template = validate.read_template(model.CASE, ROOT)
    if template is None:
        return {"values": {}, "lines": [], "questions": []}
    values: dict[str, list[str]] = {}
    for name, norm in sorted(template.values):
        values.setdefault(name, []).append(norm)
    return {"values": values, "lines": sorted(template.lines), "questions": sorted(q for q, _ in template.questions)}


def case_form_config(repository: str, branch: str, methods: list[tuple[str, str]] = (),
                     existing: list[str] = (), editors: dict | None = None) -> dict:
    """Everything the case form needs, as JSON-ready data.

    `methods` are the published method cards as (slug, title); `existing` the slugs of the cases
    already published (the form never proposes a file name that is taken); `editors` who receive a
    case by e-mail (editors_of), or None.
    """
    repository = repository.rstrip("/")
    methods = sorted(((str(s), str(t)) for s, t in methods), key=lambda m: m[1].casefold())
    return {
        "type": model.CASE.name,
        "folder": model.CASE.folder,
        "repository": repository,
        "branch": branch,
        "new_file_url": f"{repository}/new/{branch}/{model.CASE.folder}",
        "fields": [_field(f, methods) for f in model.CASE.fields],
        "sections": _sections(),
        "required_sections": list(model.CASE.sections),
        "existing": sorted(existing),
        "editors": editors,
        "rules": {
            "slug": SLUG_RE.pattern,
            "slug_max": SLUG_MAX,
            "tag": TAG_RE.pattern,
            "url": URL_RE.pattern,
            "line_forbidden": "[<>]",
            "year_min": YEAR_MIN,
            "year_max": THIS_YEAR,
        },
        "privacy": privacy.browser_config(),
        "names": names.browser_config(),
        "placeholders": template_placeholders(),
        "markup": {"tag": HTML_TAG_RE.pattern, "allowed_tags": sorted(ALLOWED_TAGS)},
        "transliteration": dict(_TRANSLITERATION),
        "messages": MESSAGES,
    }


# ---------------------------------------------------------------------------------------------
# Markup. Every text passes through `esc`; ids are built from model names only.

def esc(value) -> str:
    return escape(str(value), quote=True)


def _id(*parts: str) -> str:
    return "-".join([PREFIX] + [slugify(p) for p in parts])


def _help(help_id: str, text: str) -> str:
    return f'<p class="vk-cf-help" id="{help_id}">{esc(text)}</p>' if text else ""


def _error(error_id: str) -> str:
    return f'<p class="vk-cf-error" id="{error_id}" hidden></p>'


def _optional(required: bool) -> str:
    return "" if required else ' <span class="vk-cf-optional">(valgfri)</span>'


def _control(slot: str, label: str, help_text: str, required: bool, make) -> str:
    """A labelled control: label, help, error slot, control (given its id and describedby)."""
    cid = _id(slot)
    help_id, error_id = cid + "-help", cid + "-error"
    described = help_id if help_text else ""
    return (f'<div class="vk-cf-field" data-slot="{esc(slot)}" data-label="{esc(label)}">'
            f'<label for="{cid}">{esc(label)}{_optional(required)}</label>'
            f'{_help(help_id, help_text)}{_error(error_id)}{make(cid, described)}</div>')


def _describedby(described: str) -> str:
    return f' aria-describedby="{described}"' if described else ""


def _text_input(name: str, required: bool, input_type: str = "text", extra: str = ""):
    req = ' aria-required="true"' if required else ""

    def make(cid: str, described: str) -> str:
        return (f'<input type="{input_type}" id="{cid}" name="{esc(name)}"{req}{extra}'
                f'{_describedby(described)} autocomplete="off">')
    return make


def _textarea(name: str, required: bool, rows: int, extra: str = ""):
    req = ' aria-required="true"' if required else ""

    def make(cid: str, described: str) -> str:
        return (f'<textarea id="{cid}" name="{esc(name)}" rows="{rows}"{req}{extra}'
                f'{_describedby(described)}></textarea>')
    return make


def _select(name: str, required: bool, label: str, choices: list[dict]):
    req = ' aria-required="true"' if required else ""

    def make(cid: str, described: str) -> str:
        options = f'<option value="">Vælg {esc(label.lower())}</option>' + "".join(
            f'<option value="{esc(c["value"])}">{esc(c["label"])}</option>' for c in choices)
        return f'<select id="{cid}" name="{esc(name)}"{req}{_describedby(described)}>{options}</select>'
    return make


def _checkboxes(f: dict) -> str:
    """A group of checkboxes in a fieldset: the legend is the label, the help describes the group."""
    gid = _id(f["name"])
    help_id, error_id = gid + "-help", gid + "-error"
    wide = " vk-cf-columns" if len(f["choices"]) > 8 else ""
    boxes = "".join(
        f'<li><input type="checkbox" id="{gid}-{i}" name="{esc(f["name"])}" value="{esc(c["value"])}">'
        f'<label for="{gid}-{i}">{esc(c["label"])}</label></li>'
        for i, c in enumerate(f["choices"], 1))
    if not f["choices"]:
        boxes = '<li class="vk-muted">Der er ingen at vælge imellem endnu.</li>'
    return (f'<fieldset class="vk-cf-field vk-cf-group" id="{gid}" data-slot="{esc(f["name"])}" '
            f'data-label="{esc(f["label"])}" aria-describedby="{help_id}">'
            f'<legend>{esc(f["label"])}{_optional(f["required"])}</legend>'
            f'{_help(help_id, f["form_help"])}{_error(error_id)}'
            f'<ul class="vk-cf-choices{wide}">{boxes}</ul></fieldset>')


def _source(f: dict) -> str:
    """The source: a fieldset with one input per part (organisation, document, url)."""
    gid = _id(f["name"])
    parts = "".join(
        _control(f'{f["name"]}-{p["name"]}', p["label"], p["help"], p["required"],
                 _text_input(f'{f["name"]}.{p["name"]}', p["required"],
                             "url" if p["kind"] == "url" else "text",
                             ' inputmode="url"' if p["kind"] == "url" else ""))
        for p in f["parts"])
    return (f'<fieldset class="vk-cf-group vk-cf-source" id="{gid}" aria-describedby="{gid}-help">'
            f'<legend>{esc(f["label"])}{_optional(f["required"])}</legend>'
            f'{_help(gid + "-help", f["form_help"])}{parts}</fieldset>')


def _field_html(f: dict) -> str:
    kind, name = f["kind"], f["name"]
    if kind in ("terms", "slugs"):
        return _checkboxes(f)
    if kind == "source":
        return _source(f)
    if kind == "term":
        make = _select(name, f["required"], f["label"], f["choices"])
    elif kind == "year":
        make = _text_input(name, f["required"], "number",
                           f' inputmode="numeric" min="{YEAR_MIN}" max="{THIS_YEAR}" step="1"')
    elif kind in ("lines", "text"):
        make = _textarea(name, f["required"], 4)
    else:  # line, tags
        make = _text_input(name, f["required"], "text", ' spellcheck="true"' if kind == "line" else "")
    return _control(name, f["label"], f["form_help"], f["required"], make)


def _section_html(s: dict) -> str:
    slot = "section-" + s["id"]
    return _control(slot, s["title"], s["help"], s["required"],
                    _textarea(slot, s["required"], 8, ' spellcheck="true"'))


def case_form_html(config: dict) -> str:
    """The form, the preview and the place for the finished file (hidden until the script runs)."""
    fields = "".join(_field_html(f) for f in config["fields"])
    sections = "".join(_section_html(s) for s in config["sections"])
    return (
        '<div class="vk-cf" id="vk-cf">'
        '<p class="vk-cf-nojs admonition warning">Formularen virker kun, når JavaScript er slået til. '
        'Du kan i stedet kopiere skabelonen <code>cases/_skabelon.md</code> og udfylde den.</p>'
        '<div class="vk-cf-app" hidden>'
        '<p class="vk-cf-live" role="status" aria-live="polite"></p>'
        '<div class="vk-cf-summary" id="vk-cf-summary" tabindex="-1" role="alert" '
        'aria-labelledby="vk-cf-summary-title" hidden>'
        '<h2 id="vk-cf-summary-title"></h2><ul></ul></div>'
        '<div class="vk-cf-layout">'
        '<form class="vk-cf-form" id="vk-cf-form" novalidate aria-labelledby="vk-cf-form-title">'
        '<h2 id="vk-cf-form-title">Skriv casen</h2>'
        '<p class="vk-cf-note">Skriv roller, ikke navne (fx “en sundhedskonsulent”), og ingen personlige '
        'e-mailadresser, telefonnumre eller CPR-numre. Felter uden “(valgfri)” skal udfyldes.</p>'
        f'{fields}'
        '<h3 id="vk-cf-body-title">Teksten</h3>'
        '<p class="vk-cf-note">Skriv almindelig tekst. En tom linje begynder et nyt afsnit, og en linje, '
        'der begynder med “- ”, bliver et punkt i en liste.</p>'
        f'{sections}'
        '<div class="vk-cf-buttons">'
        '<button type="submit" class="md-button md-button--primary">Lav filen</button>'
        '<button type="button" class="md-button vk-cf-clear">Slet kladden</button></div>'
        '<p class="vk-cf-saved vk-muted"></p>'
        '</form>'
        '<section class="vk-cf-preview" aria-labelledby="vk-cf-preview-title" tabindex="0">'
        '<h2 id="vk-cf-preview-title">Forhåndsvisning</h2>'
        '<p class="vk-cf-note">Omtrent sådan kommer siden til at se ud. Den bliver opdateret, mens du skriver.</p>'
        '<div class="vk-cf-preview-page"></div></section>'
        '</div>'
        '<section class="vk-cf-output" id="vk-cf-output" aria-labelledby="vk-cf-output-title" hidden>'
        '<h2 id="vk-cf-output-title" tabindex="-1">Filen</h2>'
        '<p>Filnavn: <code class="vk-cf-filename"></code></p>'
        '<label for="vk-cf-file">Filens indhold</label>'
        '<textarea id="vk-cf-file" class="vk-cf-file" rows="16" readonly spellcheck="false"></textarea>'
        '<div class="vk-cf-buttons">'
        '<button type="button" class="md-button vk-cf-copy">Kopiér</button>'
        '<button type="button" class="md-button vk-cf-download">Hent filen</button>'
        '<a class="md-button md-button--primary vk-cf-github" href="#" target="_blank" rel="noopener noreferrer">'
        'Åbn GitHub med filen <span class="vk-cf-sr">(åbner i en ny fane)</span></a></div>'
        '<p class="vk-cf-long vk-muted" hidden></p>'
        '<p class="vk-cf-note">På GitHub skriver du en kort besked om casen og trykker på “Commit changes” '
        'eller “Propose changes”. Så kan en redaktør se den igennem, før den bliver udgivet.</p>'
        f'{_mail_html(config.get("editors"))}'
        '</section>'
        '</div></div>'
    )


def _mail_html(editors: dict | None) -> str:
    """Sending the file to the editors by e-mail, for someone without a GitHub account: download it,
    open the e-mail (the script fills in subject and text) and attach the file."""
    if not editors:
        return ""
    href = f'mailto:{editors["email"]}'
    return (
        '<h3 id="vk-cf-mail-title">Uden GitHub-konto: send filen til redaktionen</h3>'
        f'<p>Har du ikke en konto på GitHub, så send filen til {esc(editors["name"])} '
        f'(<span class="vk-cf-mail-address">{esc(editors["email"])}</span>) på e-mail:</p>'
        '<ol class="vk-cf-mail-steps">'
        '<li>Tryk på <strong>Hent filen</strong>. Filen bliver gemt på din computer, som regel i mappen '
        '“Overførsler” (“Downloads”).</li>'
        '<li>Tryk på <strong>Send til redaktionen</strong>. Dit e-mailprogram åbner en ny mail med emne og en kort '
        'tekst.</li>'
        '<li>Vedhæft filen, du hentede, og send mailen. Sæt ikke teksten ind i selve mailen; vedhæft filen.</li>'
        '</ol>'
        f'<a class="md-button vk-cf-mail" href="{esc(href)}">Send til redaktionen</a>'
        '<p class="vk-cf-note">Åbner der ikke noget e-mailprogram, så skriv selv til adressen ovenfor og vedhæft '
        'filen. En redaktør ser casen igennem, før den bliver udgivet.</p>'
    )


CONFIG_PATH = "assets/data/case-form.json"   # where the site serves case_form_config as data


def case_form(repository: str, branch: str, methods: list[tuple[str, str]] = (),
              existing: list[str] = (), config_href: str = CONFIG_PATH, editors: dict | None = None) -> str:
    """The form's markup; the script fetches its configuration from `config_href` (a data file,
    so no inline script has to pass the Content-Security-Policy)."""
    config = case_form_config(repository, branch, methods, existing, editors)
    return case_form_html(config).replace('<div class="vk-cf" id="vk-cf">',
                                          f'<div class="vk-cf" id="vk-cf" data-config="{esc(config_href)}">', 1)
