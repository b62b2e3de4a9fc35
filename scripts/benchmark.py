"""The performance benchmark: synthetic content, timed builds of this project and of the same pages
with plain Material (and its own search), and browser timings for the case filter and both searches:
ours (Pagefind, toolbox/search.py) and Material's, which the README compares.

Everything is a small function so the tests can use the generator without running the benchmark;
`scripts/bench.py` is the command line. The targets are read from the output, never asserted in tests.
"""

from __future__ import annotations

import datetime
import functools
import gzip
import http.server
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from toolbox import model, vocab
from toolbox.text import SLUG_MAX, shorten_slug, slugify, split_front_matter

ROOT = Path(__file__).resolve().parent.parent
THIS_YEAR = datetime.date.today().year
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")   # Debian's; as in tests/browser/conftest.py
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
COPY_IGNORE = shutil.ignore_patterns(".venv", "site", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", ".cache",
                                     "node_modules")

# ---------------------------------------------------------------------------------------------
# A small Danish pool: sentences with slots, filled from the lists below.

ACTIVITIES = ["Borgerpanel", "Dialogmøder", "Fremtidsværksted", "Walk and talk", "Borgertopmøde",
              "Workshopforløb", "Netværk", "Idéværksted", "Følgegruppe", "Ungepanel", "Åbent hus",
              "Temadag", "Borgersamling", "Prototypeforløb", "Samtalesalon", "Dialogborde"]
TOPICS = ["fremtidens ældrepleje", "en ny legeplads", "trafikken i bymidten", "fritidstilbud til unge",
          "sundhed i lokalområdet", "et nyt bibliotek", "klimatilpasning", "den sikre skolevej",
          "ensomhed blandt ældre", "frivillighed i foreningslivet", "vejen til job for ledige",
          "kulturlivet på landet", "byens grønne områder", "madspild i daginstitutionerne",
          "et nyt medborgerhus", "trivsel i udskolingen", "en helhedsorienteret indsats for familier",
          "rekruttering til plejecentrene", "stier og cykelruter", "bevægelse for seniorer"]
GROUPS = ["borgerne", "de unge", "forældrene", "de ældre", "foreningerne", "medarbejderne",
          "de lokale erhvervsdrivende", "de frivillige", "lederne", "beboerne i området",
          "de pårørende", "de ledige"]
UNITS = ["forvaltningen", "jobcentret", "Kultur og Fritid", "Sundhed og Omsorg", "Teknik og Miljø",
         "Børn og Unge", "kommunikationsafdelingen", "sekretariatet", "plejecentret", "biblioteket"]
PLACES = ["i bymidten", "på biblioteket", "i medborgerhuset", "på skolen", "i idrætshallen",
          "ude i landsbyerne", "på rådhuset", "i det lokale forsamlingshus", "på plejecentret"]
SENTENCES = [
    "Kommunen ønskede at inddrage {group} tidligere i arbejdet med {topic}.",
    "I {unit} havde man oplevet, at det ofte var de samme ressourcestærke borgere, der deltog.",
    "Udgangspunktet var et ønske om at forstå, hvad {group} selv oplever som vigtigst.",
    "Politikerne havde bedt om et bedre grundlag for at træffe beslutninger om {topic}.",
    "Der var en fornemmelse af, at tidligere høringer ikke havde nået de mennesker, det handlede om.",
    "Derfor satte {unit} sig for at prøve en ny måde at arbejde på.",
    "Det første møde blev holdt {place}, og der kom flere end ventet.",
    "Deltagerne talte i små grupper om, hvad der fungerer i dag, og hvad der kunne gøres bedre.",
    "En medarbejder fra {unit} var vært ved hvert bord og skrev de vigtigste pointer ned.",
    "Undervejs blev der samlet op i plenum, så alle kunne høre, hvad de andre grupper var nået frem til.",
    "Mellem møderne arbejdede en lille gruppe videre med idéerne og lavede enkle prototyper.",
    "Prototyperne blev afprøvet sammen med {group}, og forslagene blev justeret efter deres erfaringer.",
    "Forløbet strakte sig over nogle måneder med møder {place} og korte opfølgninger imellem.",
    "Det var vigtigt for projektgruppen at være ærlig om, hvad der var til forhandling.",
    "Rammerne blev fortalt tydeligt fra starten, så ingen fik forventninger, der ikke kunne indfries.",
    "Mange af deltagerne havde aldrig før været med til et møde med kommunen.",
    "Invitationen blev delt gennem foreninger, skoler og opslag {place} og ikke kun på kommunens hjemmeside.",
    "Projektlederen fortæller, at samtalerne gav et helt andet billede end de skriftlige høringssvar.",
    "Flere deltagere sagde bagefter, at de for første gang følte sig hørt.",
    "Resultaterne blev samlet i en kort rapport, som blev sendt til alle deltagerne.",
    "Et halvt år senere blev der holdt et opfølgende møde om, hvad der var sket med forslagene.",
    "Arbejdet har givet {unit} en fælles forståelse af, hvordan inddragelse kan gribes an.",
    "Samarbejdet på tværs af afdelingerne var nyt for mange af medarbejderne.",
    "Det tog længere tid end planlagt, men til gengæld blev løsningen bedre forankret.",
    "Erfaringerne bruges nu i andre projekter om {topic}.",
    "En af de vigtigste erfaringer er, at man skal møde {group} dér, hvor de er.",
    "Det kræver tid og ressourcer at følge op, og det skal der være plads til i planen.",
    "Processen viste, at små og konkrete skridt skaber mere tillid end store planer.",
]
BULLETS = [
    "Første møde handlede om at forstå udfordringen og lytte til {group}.",
    "Andet møde samlede idéerne og prioriterede dem sammen med deltagerne.",
    "Tredje møde afprøvede de bedste forslag i praksis {place}.",
    "En følgegruppe med repræsentanter for {group} fulgte hele forløbet.",
    "{unit} sørgede for forplejning, materialer og en tydelig dagsorden.",
    "Alle input blev skrevet ned og sendt ud efter hvert møde.",
]
LESSONS = [
    "Start tidligt, og invitér bredt og opsøgende.",
    "Sig tydeligt, hvad deltagerne kan få indflydelse på.",
    "Fortæl bagefter, hvad input er blevet brugt til.",
    "Sæt tid af til at følge op, også når projektet er slut.",
    "Lad deltagerne se hinandens idéer, så de kan bygge videre på dem.",
]
ROLES = ["En projektleder i {unit}", "Borgere fra lokalområdet", "Repræsentanter for foreningerne",
         "Medarbejdere fra {unit}", "En konsulent fra kommunikationsafdelingen", "Unge fra udskolingen",
         "Lokale erhvervsdrivende", "Pårørende til beboerne", "Frivillige fra området",
         "Politikere fra fagudvalget"]
RESULTS = ["Et katalog med forslag, som fagudvalget har behandlet.",
           "En ny måde at holde møder med borgerne på, som nu bruges i flere afdelinger.",
           "Et netværk af frivillige, der mødes hver måned.",
           "Konkrete ændringer af {topic}, som blev gennemført året efter.",
           "Større tillid mellem kommunen og {group}.",
           "En evaluering, der viser, at deltagerne vil være med igen."]
TAGS = ["dialog", "workshop", "ældre", "unge", "frivillighed", "sundhed", "byudvikling", "trivsel",
        "forældre", "lokalsamfund", "klima", "foreninger", "beskæftigelse", "netværk", "kultur",
        "bevægelse", "ensomhed", "medborgerskab", "prototyper", "evaluering"]
CONTACTS = ["Center for Borgerdialog", "Kommunikationsafdelingen i {muni} Kommune", "Sekretariatet for {unit}",
            "Projektgruppen i {unit}"]
DOCUMENTS = ["Evaluering af forløbet om {topic}", "Nyhedsbrev om {topic}", "Rapport fra {activity}",
             "Artikel på kommunens hjemmeside om {topic}"]


def _fill(rng: random.Random, template: str, **fixed) -> str:
    """A template with its slots filled from the pools (or from `fixed`)."""
    values = {"group": rng.choice(GROUPS), "topic": rng.choice(TOPICS), "unit": rng.choice(UNITS),
              "place": rng.choice(PLACES), **fixed}
    text = template.format(**values)
    return text[0].upper() + text[1:]


def _sentences(rng: random.Random, words: int, topic: str) -> list[str]:
    """Sentences until there are at least `words` words."""
    out, count = [], 0
    while count < words:
        sentence = _fill(rng, rng.choice(SENTENCES), topic=topic)
        out.append(sentence)
        count += len(sentence.split())
    return out


def _paragraphs(sentences: list[str], rng: random.Random) -> str:
    """Sentences grouped into paragraphs of three to five."""
    paragraphs, i = [], 0
    while i < len(sentences):
        n = rng.randint(3, 5)
        paragraphs.append(" ".join(sentences[i:i + n]))
        i += n
    return "\n\n".join(paragraphs)


def case_body(rng: random.Random, topic: str, words: int | None = None) -> str:
    """A case body of ~250–500 words: 'Baggrund', 'Forløbet' with a list, 'Det lærte vi'."""
    words = words or rng.randint(250, 500)
    bullets = [_fill(rng, b, topic=topic) for b in rng.sample(BULLETS, rng.randint(3, 5))]
    lessons = [_fill(rng, lesson) for lesson in rng.sample(LESSONS, rng.randint(2, 3))]
    fixed = sum(len(t.split()) for t in bullets + lessons)
    text = _sentences(rng, max(words - fixed, 60), topic)
    cut = max(3, len(text) * 2 // 5)
    return ("\n## Baggrund\n\n" + _paragraphs(text[:cut], rng)
            + "\n\n## Forløbet\n\n" + _paragraphs(text[cut:], rng) + "\n\n"
            + "\n".join(f"- {b}" for b in bullets)
            + "\n\n## Det lærte vi\n\n" + "\n".join(f"- {lesson}" for lesson in lessons) + "\n")


def _name(slug: str, i: int) -> str:
    """The file name of synthetic file number `i`: the slug, cut so that it and '-<i>' stay within
    the validator's SLUG_MAX, then '-<i>.md'."""
    return f"{shorten_slug(slug, SLUG_MAX - len(str(i)) - 1)}-{i}.md"


def synthetic_case(i: int, rng: random.Random, method_slugs: list[str]) -> tuple[str, dict, str]:
    """File name, front matter and body of case number `i` (valid; the name starts with the municipality)."""
    municipality = rng.choice(vocab.load("municipalities").terms)
    activity, topic = rng.choice(ACTIVITIES), rng.choice(TOPICS)
    group, unit = rng.choice(GROUPS), rng.choice(UNITS)
    title = f"{activity} om {topic}"
    meta = {
        "title": title,
        "description": f"{municipality.value} Kommune inddrog {group} i arbejdet med {topic}.",
        "municipality": municipality.value,
        "year": rng.randint(2010, THIS_YEAR),
        "areas": rng.sample(vocab.load("areas").values, rng.randint(1, 3)),
        "methods": rng.sample(method_slugs, min(len(method_slugs), rng.randint(1, 4))),
        "approach": rng.choice(vocab.load("approaches").values),
        "roles": [_fill(rng, r, unit=unit) for r in rng.sample(ROLES, rng.randint(2, 4))],
        "results": [_fill(rng, r, topic=topic, group=group) for r in rng.sample(RESULTS, rng.randint(1, 3))],
        "source": {"organisation": f"{municipality.value} Kommune",
                   "document": _fill(rng, rng.choice(DOCUMENTS), topic=topic, activity=activity.lower())},
        "contact": _fill(rng, rng.choice(CONTACTS), muni=municipality.value, unit=unit),
        "tags": rng.sample(TAGS, rng.randint(2, 4)),
    }
    if rng.random() < 0.1:
        del meta["year"]
    name = _name(f"{municipality.slug}-{slugify(title)}", i)
    return name, meta, case_body(rng, topic)


def synthetic_method(i: int, rng: random.Random) -> tuple[str, dict, str]:
    """File name, front matter and body of synthetic method card number `i` (fits one A5 card)."""
    activity = rng.choice(ACTIVITIES)
    lo = rng.choice([15, 30, 45, 60, 90, 120])
    people = rng.choice([2, 4, 6, 10, 20])
    steps = [{"minutes": lo // 4, "do": _fill(rng, b)[:110]} for b in rng.sample(BULLETS, 4)]
    steps[-1]["minutes"] += lo - sum(s["minutes"] for s in steps)
    meta = {
        "title": f"{activity} variant {i}"[:60],
        "description": f"En variant af {activity.lower()}, hvor {rng.choice(GROUPS)} løser en fælles opgave.",
        "kind": "metode",
        "levels": rng.sample(vocab.load("levels").values, rng.randint(1, 2)),
        "approaches": rng.sample(vocab.load("approaches").values, rng.randint(1, 2)),
        "phases": rng.sample(vocab.load("phases").values, rng.randint(1, 3)),
        "duration": {"min": lo, "max": lo * 2},
        "participants": {"min": people, "max": people * 3},
        "audiences": rng.sample(vocab.load("audiences").values, rng.randint(1, 3)),
        "areas": rng.sample(vocab.load("areas").values, rng.randint(1, 3)),
        "difficulty": rng.choice(vocab.load("difficulty").values),
        "materials": ["Papir og tusser", "Post-its", "Et lokale med borde"],
        "preparation": "Find et lokale, og send en invitation i god tid.",
        "steps": steps,
        "not_when": "der ikke er tid til at følge op på det, deltagerne siger.",
        "variations": ["En kortere udgave på et personalemøde."],
        "sources": [{"title": "Syntetisk metode til ydelsestest"}],
        "tags": rng.sample(TAGS, 2),
    }
    body = (f"\n## Formål\n\n{_fill(rng, SENTENCES[0])}\n\n"
            f"## Tips\n\n- {LESSONS[0]}\n- {LESSONS[2]}\n\n## Overvejelser i en kommune\n\n- {LESSONS[1]}\n")
    return _name(f"syntetisk-{slugify(activity)}", i), meta, body


def write_doc(folder: Path, name: str, meta: dict, body: str) -> Path:
    """Write one content file (front matter + body)."""
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    path = folder / name
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    return path


def copy_project(dest: Path, source: Path = ROOT) -> Path:
    """A copy of the project without .venv, site, git and caches."""
    shutil.copytree(source, dest, ignore=COPY_IGNORE)
    return dest


def make_project(dest: Path, cases: int, methods: int = 0, seed: int = 1, source: Path = ROOT) -> Path:
    """A project copy whose methods/ has the real cards plus `methods` synthetic ones and whose cases/
    has `cases` cases in all: the real ones (hand-written pages link to them) topped up with synthetic ones."""
    rng = random.Random(seed)
    root = copy_project(dest, source)
    for i in range(1, methods + 1):
        write_doc(root / "methods", *synthetic_method(i, rng))
    slugs = sorted(p.stem for p in (root / "methods").glob("*.md") if not p.name.startswith("_"))
    real = len([p for p in (root / "cases").glob("*.md") if not p.name.startswith("_")])
    for i in range(1, cases - real + 1):
        write_doc(root / "cases", *synthetic_case(i, rng, slugs))
    return root


def content_problems(root: Path) -> list:
    """Every validation problem in a generated project (should be none)."""
    from toolbox.validate import validate_tree
    return validate_tree(root)


# ---------------------------------------------------------------------------------------------
# The plain-Material twin: the same Markdown pages, none of our hooks, macros, theme overrides or assets.

_EXPR_RE = re.compile(r"\{\{\s*(.*?)\s*\}\}")
_BLOCK_RE = re.compile(r"\{%.*?%\}", re.DOTALL)
TWIN_DROP = ("hooks", "watch", "extra_css", "extra_javascript")


def read_config(root: Path) -> dict:
    """A project's mkdocs.yml as data (the static export's reader: `!ENV` resolved, `!!python/name`
    kept as a name)."""
    from toolbox.static_export import read_config as read
    return read(root)


def strip_macros(text: str, variables: dict[str, str]) -> str:
    """A page without template code: `{{ name }}` of a plain variable becomes its value, macro calls
    and `{% %}` blocks disappear, and `render_macros` leaves the front matter."""
    text = _BLOCK_RE.sub("", text)
    text = _EXPR_RE.sub(lambda m: variables.get(m.group(1), ""), text)
    return re.sub(r"^render_macros:.*\n", "", text, flags=re.MULTILINE)


def _prune_nav(nav, docs: Path):
    """The nav without entries whose page the twin does not have."""
    out = []
    for item in nav:
        if isinstance(item, str):
            if (docs / item).exists():
                out.append(item)
        elif isinstance(item, dict):
            (title, value), = item.items()
            if isinstance(value, list):
                value = _prune_nav(value, docs)
                if value:
                    out.append({title: value})
            elif (docs / value).exists():
                out.append({title: value})
    return out


MATERIAL_SEARCH = {"search": {"lang": "da"}}


def twin_config(config: dict, docs: Path) -> dict:
    """Our mkdocs.yml for plain Material: same theme, features and Markdown settings, Material's own
    search in place of ours; no hooks, no macros, no theme overrides, no extra CSS or JavaScript."""
    from toolbox.static_export import stock_config
    twin = {k: v for k, v in config.items() if k not in TWIN_DROP}
    twin["markdown_extensions"] = stock_config(config, "")["markdown_extensions"]   # no Python of ours
    twin["theme"] = {k: v for k, v in config["theme"].items() if k != "custom_dir"}
    plugins = []
    for plugin in config.get("plugins", []):
        name = plugin if isinstance(plugin, str) else next(iter(plugin))
        if name != "macros":
            plugins.append(plugin)
    # Plain Material with its own search: the alternative to Pagefind that the README compares.
    twin["plugins"] = [MATERIAL_SEARCH] + [p for p in plugins if p != MATERIAL_SEARCH]
    twin["nav"] = _prune_nav(config.get("nav", []), docs)
    return twin


def _municipality_pages(project: Path, docs: Path) -> None:
    """The /kommuner/ pages ours generates from the cases, written as plain Markdown for the twin:
    a heading and a list of links with descriptions, so that both builds have the same pages."""
    from toolbox.site import build_index
    from toolbox.loader import load_all
    index = build_index(load_all(project)[0])
    municipalities = vocab.load("municipalities")
    folder = docs / "kommuner"
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for name, cases in index.cases_by_municipality.items():
        slug = municipalities.get(name).slug
        names.append(f"- [{name}]({slug}.md) ({len(cases)} cases)")
        items = "\n".join(f"- [{c.meta['title']}](../cases/{c.slug}.md) – {c.meta['description']}" for c in cases)
        (folder / f"{slug}.md").write_text(f"# {name} Kommune\n\nCases fra {name} Kommune i Værktøjskassen:\n\n"
                                           f"{items}\n", encoding="utf-8")
    (folder / "index.md").write_text("# Kommuner\n\nKommuner, der har delt cases i Værktøjskassen.\n\n"
                                     + "\n".join(names) + "\n", encoding="utf-8")


def make_plain_twin(project: Path, dest: Path) -> Path:
    """A second project with the same pages as plain Markdown files: methods and cases copied (with
    their front matter) to docs/metoder/<slug>.md and docs/cases/<slug>.md, the municipality pages
    written out, the hand-written pages with their macro calls removed."""
    config = read_config(project)
    variables = {"repository": str(config.get("extra", {}).get("repository", "")),
                 "config.site_url": str(config.get("site_url") or "")}
    docs = dest / "docs"
    shutil.copytree(project / "docs", docs, ignore=shutil.ignore_patterns("assets", "_includes"))
    for page in docs.rglob("*.md"):
        page.write_text(strip_macros(page.read_text(encoding="utf-8"), variables), encoding="utf-8")
    for ctype in model.TYPES.values():
        target = docs / ctype.url_prefix
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted((project / ctype.folder).glob("*.md")):
            if not path.name.startswith(("_", ".")):
                shutil.copyfile(path, target / f"{slugify(path.stem)}.md")
    _municipality_pages(project, docs)
    twin = twin_config(config, docs)
    site_url = twin.pop("site_url", None)
    text = yaml.safe_dump(twin, allow_unicode=True, sort_keys=False)
    if site_url is not None:   # like ours: SITE_URL, when set, gives the address
        text = f"site_url: !ENV [SITE_URL, {json.dumps(site_url)}]\n" + text
    (dest / "mkdocs.yml").write_text(text, encoding="utf-8")
    return dest


# ---------------------------------------------------------------------------------------------
# Builds: wall time and the build process's own peak memory (from wait4's rusage).

@dataclass
class Build:
    """One timed build."""

    seconds: float
    peak_mb: float
    returncode: int
    log: str = ""
    cpu: float = 0.0       # user + system seconds of the build and the processes it waited for
    load: float = 0.0      # the machine's 1-minute load average when the build started


ONE_CORE = ["taskset", "-c", "0"] if shutil.which("taskset") else []   # builds pinned to one CPU


def timed_build(project: Path, out: Path, strict: bool, site_url: str) -> Build:
    """`python -m mkdocs build` in a fresh process pinned to one CPU (taskset -c 0, so CPU time
    is comparable whatever a build might parallelise); its peak RSS comes from wait4 for that child."""
    args = ONE_CORE + [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(out)] + (["--strict"] if strict else [])
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url}
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
    return Build(seconds, usage.ru_maxrss / 1024, proc.returncode, text, usage.ru_utime + usage.ru_stime, load)


# ---------------------------------------------------------------------------------------------
# What a built site weighs.

def filter_block(html: str) -> str:
    """The filter list of an overview page (`<div class="vk-filter" ...>` to its end): the filter data."""
    start = html.find('<div class="vk-filter"')
    if start < 0:
        return ""
    end = html.find("</div></div>", html.find('<p class="vk-empty"', start))
    return html[start:end + len("</div></div>")]


def directory_bytes(path: Path) -> int:
    """Total size of the files under `path`."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def gz_size(path: Path) -> int:
    """What a file costs over the wire: Pagefind's own files are gzip already, text is gzipped here."""
    data = path.read_bytes()
    return len(data) if data[:2] == b"\x1f\x8b" else len(gzip.compress(data, 6))


def material_search_figures(site: Path) -> dict:
    """Material's search: the whole index (search/search_index.json) is loaded before the first
    query, with its worker; the average bytes of the entries of a case page."""
    index = site / "search" / "search_index.json"
    raw = index.read_bytes()
    docs = json.loads(raw)["docs"]
    per_page: dict[str, int] = {}
    for entry in docs:
        location = entry["location"].split("#")[0]
        if location.startswith("cases/") and location != "cases/":
            per_page[location] = per_page.get(location, 0) + len(json.dumps(entry, ensure_ascii=False,
                                                                               separators=(",", ":")).encode())
    workers = list((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    return {"engine": "Material", "search_bytes": len(raw),
            "search_before_gz": gz_size(index) + sum(gz_size(w) for w in workers),
            "search_per_case": sum(per_page.values()) / len(per_page) if per_page else 0.0}


def pagefind_figures(site: Path) -> dict:
    """Pagefind: the whole bundle on disk, what a page loads before the first query (the script,
    its worker, the Danish WebAssembly, the entry and the page metadata; the index chunks, filter,
    fragments and the overviews' id maps come with queries), and the bytes per case page."""
    bundle = site / "pagefind"
    before = [bundle / "pagefind.js", bundle / "pagefind-worker.js", bundle / "wasm.da.pagefind",
              bundle / "pagefind-entry.json", *bundle.glob("pagefind.*.pf_meta")]
    chunks = [p for p in bundle.rglob("*") if p.is_file() and p.suffix in (".pf_index", ".pf_filter", ".pf_fragment")]
    cases = sum(1 for p in (site / "cases").iterdir() if (p / "index.html").exists())
    maps = site / "search" / "cases.json"
    return {"engine": "Pagefind", "search_bytes": sum(p.stat().st_size for p in chunks),
            "search_before_gz": sum(gz_size(p) for p in before),
            "search_per_case": sum(p.stat().st_size for p in chunks) / cases if cases else 0.0,
            "id_map_gz": gz_size(maps) if maps.exists() else 0}


def search_figures(site: Path) -> dict:
    """The search of a built site: Pagefind where the site has it, else Material's."""
    return pagefind_figures(site) if (site / "pagefind").is_dir() else material_search_figures(site)


def site_figures(site: Path) -> dict:
    """Output size, HTML pages, search index and the /cases/ filter data (raw and gzipped: the
    page's filter block and the data file it fetches)."""
    pages = sum(1 for _ in site.rglob("*.html"))
    figures = {"output_bytes": directory_bytes(site), "pages": pages, **search_figures(site)}
    cases = site / "cases" / "index.html"
    block = filter_block(cases.read_text(encoding="utf-8")).encode() if cases.exists() else b""
    # The filter's data: what /cases/ holds, plus the data file it fetches when first used.
    data = site / "assets" / "data" / "case-filter.json"
    figures["filter_raw"] = len(block) + (data.stat().st_size if data.exists() else 0)
    figures["filter_gz"] = len(gzip.compress(block, 6)) + (gz_size(data) if data.exists() else 0)
    figures["cases_page"] = cases.stat().st_size if cases.exists() else 0
    return figures


# ---------------------------------------------------------------------------------------------
# The browser: serve a site on 127.0.0.1 and time the facet filter and Material's search.

def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(site: Path, port: int):
    """The built site over HTTP on 127.0.0.1:`port` (a thread) for the duration of the block."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


# Before any page script: note when Material's search leaves "Initialiserer søgning" (index ready),
# and keep the time of the last key pressed in the search field and of the first result after it
# (ours uses Material's dialog and classes, so the same observer times both).
INIT_SCRIPT = r"""
(() => {
  window.__vk = { ready: null, lastKey: null, firstResult: null };
  const check = () => {
    const meta = document.querySelector('.md-search-result__meta');
    const text = meta ? meta.textContent.trim() : '';
    if (window.__vk.ready === null && text && text !== 'Initialiserer søgning') {
      window.__vk.ready = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, characterData: true });
  document.addEventListener('keydown', (ev) => {
    if (ev.target.matches && ev.target.matches('.md-search__input')) {
      window.__vk.lastKey = performance.now();
      window.__vk.firstResult = null;
    }
  }, true);
  document.addEventListener('DOMContentLoaded', () => {
    const list = document.querySelector('.md-search-result__list');
    if (!list) return;
    new MutationObserver(() => {
      if (window.__vk.lastKey !== null && window.__vk.firstResult === null
          && list.querySelector('.md-search-result__item')) {
        window.__vk.firstResult = performance.now();
      }
    }).observe(list, { childList: true, subtree: true });
  });
})();
"""

# Toggle facet boxes one at a time (check, then uncheck; a different facet each pair) and time each
# change: the change handler (filter.js applies synchronously), the handler plus a forced layout,
# and the next frame after it (requestAnimationFrame, then a task: after style, layout and paint).
FACET_SCRIPT = r"""
async ([changes, warmup]) => {
  const sets = [...document.querySelectorAll('.vk-facets fieldset[data-facet]')];
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve(performance.now());
    ch.port2.postMessage(0);
  }));
  const out = [];
  for (let i = 0; i < warmup + changes; i++) {
    const set = sets[Math.floor(i / 2) % sets.length];
    const boxes = set.querySelectorAll('input[type=checkbox]');
    const box = boxes[(Math.floor(i / (2 * sets.length)) * 3) % boxes.length];
    await frame();
    const t0 = performance.now();
    box.click();
    const t1 = performance.now();
    void document.body.offsetHeight;
    const t2 = performance.now();
    const t3 = await frame();
    // /cases/ fetches its filter data on the first change (a warm-up one): timed changes run on it.
    while (document.querySelector('.vk-results[aria-busy]')) await frame();
    if (i < warmup) continue;   // the first changes also compile the handler: not counted
    out.push({ facet: set.dataset.facet, checked: box.checked, handler: t1 - t0, layout: t2 - t0,
               paint: t3 - t0, shown: document.querySelectorAll('.vk-item:not([hidden])').length });
  }
  return out;
}
"""

# Words both engines find (Material's finds nothing for koege or legepladsen, and a query without
# results has no first result to time).
SEARCH_WORDS = ("sundhed", "Kolding", "frivillige", "legeplads", "borgerpanel", "ensomhed")
# The index is ready: Material's dialog has left "Initialiserer søgning"; ours has loaded Pagefind.
READY_JS = ("async () => { if (window.vkSearch) { await window.vkSearch.load(); return true; } "
            "const m = document.querySelector('.md-search-result__meta'); "
            "return m && m.textContent.trim() !== 'Initialiserer søgning'; }")
READY_AT_JS = ("async () => { if (window.vkSearch) { await window.vkSearch.load(); return performance.now(); } "
               "return window.__vk.ready; }")


def _search_once(page, word: str, timeout: float) -> float:
    """Type `word` into Material's search (all but the last key, let it settle, then the last key);
    milliseconds from the last keydown to the first result item."""
    field = page.locator(".md-search__input")
    field.press("Control+a")
    field.press("Backspace")
    page.wait_for_function("() => !document.querySelector('.md-search-result__item')", timeout=timeout)
    field.press_sequentially(word[:-1], delay=40)
    page.wait_for_timeout(600)
    field.press_sequentially(word[-1])
    page.wait_for_function("() => window.__vk.firstResult !== null", timeout=timeout)
    return page.evaluate("() => window.__vk.firstResult - window.__vk.lastKey")


def browser_figures(base_url: str, changes: int = 40, warmup: int = 10, words=SEARCH_WORDS, chromium: str = CHROMIUM,
                    timeout_ms: float = 300_000, facets: bool = True) -> dict:
    """Facet change (unless `facets` is off: plain Material has no filter) and search timings on
    /cases/ of the served site (medians, in milliseconds), and the search files a page requested
    before the first query."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
            page = context.new_page()
            page.add_init_script(INIT_SCRIPT)
            page.goto(base_url + "cases/", wait_until="load", timeout=timeout_ms)
            facet = []
            if facets:
                page.wait_for_selector(".vk-filter[data-ready]", state="attached", timeout=timeout_ms)
                facet = page.evaluate(FACET_SCRIPT, [changes, warmup])
            loaded: list[str] = []
            page.on("request", lambda r: loaded.append(r.url))
            focused = page.evaluate("() => performance.now()")
            page.locator(".md-search__input").click()
            page.wait_for_function(READY_JS, timeout=timeout_ms)
            ready = max(0.0, page.evaluate(READY_AT_JS) - focused)   # Material loads on page load: 0
            page.wait_for_timeout(300)
            before_query = list(loaded)
            searches = [_search_once(page, w, timeout_ms) for w in words]
            after = loaded[len(before_query):]
        finally:
            browser.close()
    return {
        "facet_handler": statistics.median(f["handler"] for f in facet) if facet else None,
        "facet_handler_max": max(f["handler"] for f in facet) if facet else None,
        "facet_layout": statistics.median(f["layout"] for f in facet) if facet else None,
        "facet_paint": statistics.median(f["paint"] for f in facet) if facet else None,
        "facet_changes": len(facet),
        "search_ready": ready,
        "search_first": statistics.median(searches),
        "search_first_max": max(searches),
        "search_queries": len(searches),
        "search_requests_before": [u for u in before_query if "/pagefind/" in u or "/search/" in u],
        "search_requests_queries": len([u for u in after if "/pagefind/" in u or "/search/" in u]),
    }


# ---------------------------------------------------------------------------------------------
# Lighthouse: each page kind as a phone would load it (Lighthouse's mobile profile, Debian's
# Chromium), served gzip-compressed as a static host would; score, LCP, TBT, CLS, and the bytes a
# page fetches before the first interaction.

LIGHTHOUSE = ROOT / "scripts" / "lighthouse"     # package.json + package-lock.json pin the version
LIGHTHOUSE_CLI = LIGHTHOUSE / "node_modules" / "lighthouse" / "cli" / "index.js"
GZIP_TYPES = (".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".csv")
PAGE_SCORE_TARGET = 0.95
OVERVIEW_BYTES_TARGET = 150 * 1024    # HTML + data, gzipped, before the first interaction
OVERVIEWS = ("/metoder/", "/cases/")


def install_lighthouse(log=print) -> Path | None:
    """The Lighthouse command line, installed from the lock file (npm ci) into
    scripts/lighthouse/node_modules (ignored by git) if it is not there yet; None without npm."""
    if LIGHTHOUSE_CLI.exists():
        return LIGHTHOUSE_CLI
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        log("node/npm not found: no Lighthouse figures")
        return None
    log("installing Lighthouse (npm ci in scripts/lighthouse)")
    run = subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=LIGHTHOUSE,
                         capture_output=True, text=True)
    if run.returncode != 0 or not LIGHTHOUSE_CLI.exists():
        log(f"npm ci failed: no Lighthouse figures\n{run.stderr[-2000:]}")
        return None
    return LIGHTHOUSE_CLI


class _GzipQuiet(_Quiet):
    """Text files gzip-compressed when the browser accepts it, as GitHub Pages and most static
    hosts serve them (Lighthouse's simulated phone network counts the bytes on the wire)."""

    def do_GET(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if (not path.endswith(GZIP_TYPES) or not os.path.isfile(path)
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().do_GET()
        with open(path, "rb") as f:
            body = gzip.compress(f.read(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve_gzip(site: Path, port: int):
    """The built site over HTTP on 127.0.0.1:`port`, text gzipped (see _GzipQuiet)."""
    handler = functools.partial(_GzipQuiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


def _largest(folder: Path) -> str | None:
    """The sub-page of `folder` (site path) with the largest index.html: the worst case of its kind."""
    pages = [p for p in folder.glob("*/index.html")]
    if not pages:
        return None
    return max(pages, key=lambda p: (p.stat().st_size, p.parent.name)).parent.name


def page_kinds(site: Path) -> dict[str, str]:
    """Each page kind of a built site and the path measured for it: the front page, the two
    overviews, and the largest method card, case and municipality page."""
    kinds = {"front page": "/", "/metoder/": "/metoder/", "/cases/": "/cases/"}
    for label, folder in (("a method", "metoder"), ("a case", "cases"), ("a municipality page", "kommuner")):
        name = _largest(site / folder)
        if name:
            kinds[label] = f"/{folder}/{name}/"
    return kinds


def lighthouse_command(cli: Path, url: str, out: Path) -> list[str]:
    """Lighthouse's performance category in its default (mobile) profile, for one URL, as JSON."""
    return ["node", str(cli), url, "--only-categories=performance", "--output=json", f"--output-path={out}",
            "--quiet", "--chrome-flags=" + " ".join(CHROMIUM_ARGS)]


def parse_lighthouse(report: dict) -> dict:
    """What the benchmark reads from a Lighthouse JSON report: the performance score, largest
    contentful paint and total blocking time (ms), cumulative layout shift, and every request (URL
    and resource type) the page made while loading."""
    audits = report["audits"]
    items = audits.get("network-requests", {}).get("details", {}).get("items", [])
    return {
        "score": report["categories"]["performance"]["score"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "requests": [(item["url"], item.get("resourceType") or "") for item in items],
    }


def _category(path: str, resource_type: str) -> str:
    """html, css, js, data or other for a requested file."""
    if resource_type == "Document" or path.endswith(".html"):
        return "html"
    if path.endswith(".css"):
        return "css"
    if path.endswith((".js", ".mjs")):
        return "js"
    if path.endswith((".json", ".xml", ".csv", ".pagefind")) or ".pf_" in path:
        return "data"
    return "other"


def page_weight(requests: list[tuple[str, str]], base_url: str, site: Path) -> dict:
    """The gzipped bytes a page fetched before any interaction, by category (html, css, js, data,
    other), from the site's own files; `other_hosts` lists requests that left the site (data: URLs
    are no request)."""
    from urllib.parse import unquote, urlsplit
    weight = {"html": 0, "css": 0, "js": 0, "data": 0, "other": 0, "other_hosts": []}
    seen = set()
    for url, resource_type in requests:
        if url.startswith("data:"):
            continue
        if not url.startswith(base_url):
            weight["other_hosts"].append(url)
            continue
        path = unquote(urlsplit(url).path)[len(urlsplit(base_url).path):]
        if path in seen:
            continue
        seen.add(path)
        file = site / path
        if path == "" or path.endswith("/"):
            file = file / "index.html"
        if file.is_file():
            weight[_category(file.name, resource_type)] += gz_size(file)
    return weight


def lighthouse_figures(site: Path, base_url: str, cli: Path, runs: int = 3, chromium: str = CHROMIUM,
                       log=print) -> dict:
    """Lighthouse `runs` times on each page kind of the served site: medians of score, LCP, TBT and
    CLS, and the page's weight (page_weight) from the first run."""
    env = {**os.environ, "CHROME_PATH": chromium}
    out: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind, path in page_kinds(site).items():
            results = []
            for i in range(runs):
                report = Path(tmp) / f"report-{len(out)}-{i}.json"
                done = subprocess.run(lighthouse_command(cli, base_url + path.lstrip("/"), report), env=env,
                                      capture_output=True, text=True)
                if done.returncode != 0 or not report.exists():
                    raise RuntimeError(f"Lighthouse failed on {path}:\n{done.stderr[-3000:]}")
                results.append(parse_lighthouse(json.loads(report.read_text(encoding="utf-8"))))
            figure = {key: statistics.median(r[key] for r in results) for key in ("score", "lcp", "tbt", "cls")}
            figure.update(path=path, runs=runs, **page_weight(results[0]["requests"], base_url, site))
            log(f"  Lighthouse {kind} {path}: {figure['score']:.2f}, LCP {figure['lcp']:.0f} ms, "
                f"TBT {figure['tbt']:.0f} ms, CLS {figure['cls']:.3f}")
            out[kind] = figure
    return out


def lighthouse_table(cases: int | None, lh: dict) -> str:
    """The Lighthouse figures per page kind, and each page's gzipped bytes before interaction."""
    where = f"{cases:,} cases" if cases else "the site"
    lines = [f"| Lighthouse (mobile), {where} | path | score | LCP ms | TBT ms | CLS | HTML KB gz | CSS KB gz "
             "| JS KB gz | data KB gz | total KB gz |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for kind, f in lh.items():
        total = f["html"] + f["css"] + f["js"] + f["data"] + f["other"]
        lines.append(f"| {kind} | {f['path']} | {f['score']:.2f} | {f['lcp']:,.0f} | {f['tbt']:,.0f} | "
                     f"{f['cls']:.3f} | {f['html'] / 1024:,.1f} | {f['css'] / 1024:,.1f} | {f['js'] / 1024:,.1f} | "
                     f"{f['data'] / 1024:,.1f} | {total / 1024:,.1f} |")
    runs = {f["runs"] for f in lh.values()}
    lines.append(f"\nMedian of {'/'.join(map(str, sorted(runs)))} Lighthouse runs per page; bytes are the "
                 "site's files gzipped (level 6), as fetched before any interaction (other: images).")
    return "\n".join(lines)


def lighthouse_targets(lh: dict | None, cases: int | None = 5000) -> list[Target]:
    """The page targets: every page kind ≥ 0.95 in Lighthouse's mobile profile, the overviews
    ≤ 150 KB gzipped of HTML and data before interaction, no request to another host."""
    where = f"at {cases:,} cases" if cases else ""
    out = []
    kinds = lh or {k: None for k in ("front page", "/metoder/", "/cases/", "a method", "a case",
                                     "a municipality page")}
    for kind, f in kinds.items():
        out.append(Target(f"Lighthouse performance (mobile) of {kind} ≥ {PAGE_SCORE_TARGET} {where}".rstrip(),
                          f"{f['score']:.2f} ({f['path']})" if f else "-",
                          f["score"] >= PAGE_SCORE_TARGET if f else None))
    for path in OVERVIEWS:
        f = (lh or {}).get(path)
        first = f["html"] + f["data"] if f else 0
        out.append(Target(f"first load of {path} ≤ 150 KB gzipped of HTML + data before interaction {where}".rstrip(),
                          f"{first / 1024:,.1f} KB" if f else "-", first <= OVERVIEW_BYTES_TARGET if f else None))
    hosts = sorted({u for f in (lh or {}).values() for u in f["other_hosts"]})
    out.append(Target("no request to another host from any page kind",
                      ", ".join(hosts[:3]) or "none" if lh else "-", not hosts if lh else None))
    return out


# ---------------------------------------------------------------------------------------------
# One size: generate, check, build ours and plain `repeat` times; medians.

@dataclass
class Row:
    """The figures for one size. `ours` are warm builds (the content cache from the build before,
    one case edited since), `cold` builds without a cache; `plain` is plain Material."""

    cases: int
    ours: list[Build] = field(default_factory=list)
    plain: list[Build] = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    plain_figures: dict = field(default_factory=dict)
    cold: list[Build] = field(default_factory=list)

    @property
    def ours_s(self) -> float:
        return statistics.median(b.seconds for b in self.ours)

    @property
    def cold_s(self) -> float:
        return statistics.median(b.seconds for b in self.cold)

    @property
    def plain_s(self) -> float:
        return statistics.median(b.seconds for b in self.plain)

    @property
    def ratio(self) -> float:
        """Median of ours / plain over the runs, each run's builds back to back: the machine's
        speed drifts by 20-40 % over minutes on a shared VM, and a pair shares its conditions."""
        return statistics.median(o.seconds / p.seconds for o, p in zip(self.ours, self.plain))

    @property
    def ms_per_page(self) -> float:
        return 1000 * self.ours_s / self.figures["pages"]

    @property
    def cpu_ratio(self) -> float:
        """CPU time (user + system) of a warm build / plain's, per run as `ratio`: all the work ours
        does, where `ratio` is the time it takes."""
        return statistics.median(o.cpu / p.cpu for o, p in zip(self.ours, self.plain))

    @property
    def cold_cpu_ratio(self) -> float | None:
        """CPU time of a build without a cache / plain's, per run; None when not measured."""
        if not self.cold:
            return None
        return statistics.median(c.cpu / p.cpu for c, p in zip(self.cold, self.plain))

    @property
    def ours_mb(self) -> float:
        return statistics.median(b.peak_mb for b in self.ours)

    @property
    def plain_mb(self) -> float:
        return statistics.median(b.peak_mb for b in self.plain)


def prepare(work: Path, cases: int, methods: int = 0, seed: int = 1) -> tuple[Path, Path]:
    """Generate the project and its plain twin under `work`; fail if the content does not validate."""
    project = make_project(work / "ours", cases, methods, seed)
    problems = content_problems(project)
    if problems:
        raise RuntimeError("synthetic content does not validate:\n" + "\n".join(map(str, problems[:20])))
    plain = make_plain_twin(project, work / "plain")
    return project, plain


EDIT_MARK = "Redigeret til ydelsestest."


def edit_one_case(project: Path) -> Path:
    """Change one case a little (a sentence added at the end, or taken away again), as a
    contributor's edit between two builds."""
    path = sorted(p for p in (project / "cases").glob("*.md") if not p.name.startswith("_"))[-1]
    text = path.read_text(encoding="utf-8")
    mark = f"\n\n{EDIT_MARK}\n"
    path.write_text(text.replace(mark, "\n") if mark in text else text.rstrip("\n") + mark, encoding="utf-8")
    return path


def measure_size(work: Path, cases: int, repeat: int, site_url: str, methods: int = 0, log=print) -> Row:
    """Build ours (--strict) cold and warm and plain Material `repeat` times each, back to back.
    Cold: no content cache (.cache/ removed first). Warm: right after the cold build, with its cache
    and one case edited in between (the everyday build). Plain goes first in every second run;
    the last warm output of ours is kept in work/site-ours, plain's in work/site-plain.

    Every build writes into a new, empty folder (work/sites/<build>-<run>), not over the last
    build's output. On this machine's file system (ext4 without a journal) creating a file right
    after many were deleted costs system time that grows with how many were deleted nearby in
    the last half minute or more: MkDocs' cleaning of the output folder then cost up to a second
    per 1,000 pages, more for whichever build's folder happened to sit among more deletions, which
    is the file system's cost and not the build's. The folders are removed at the end of the size."""
    project, plain = prepare(work, cases, methods)
    row = Row(cases)
    sites = work / "sites"
    last = {}
    for run in range(repeat):
        builds = [("cold", project, True, row.cold), ("plain", plain, False, row.plain),
                  ("warm", project, True, row.ours)]
        if run % 2:
            builds = [builds[1], builds[0], builds[2]]
        for name, root, strict, runs in builds:
            if name == "cold":
                shutil.rmtree(root / ".cache", ignore_errors=True)
            elif name == "warm":
                edit_one_case(root)
            out = sites / f"{name}-{run + 1}"
            build = timed_build(root, out, strict, site_url)
            last["plain" if name == "plain" else "ours"] = out
            if build.returncode != 0:
                raise RuntimeError(f"{name} build failed at {cases} cases:\n{build.log[-4000:]}")
            runs.append(build)
            log(f"  {cases} cases, run {run + 1}/{repeat}: {name} {build.seconds:.1f} s, CPU {build.cpu:.1f} s, "
                f"{build.peak_mb:.0f} MB")
    for kind, out in last.items():
        shutil.rmtree(work / f"site-{kind}", ignore_errors=True)
        out.rename(work / f"site-{kind}")
    shutil.rmtree(sites, ignore_errors=True)
    row.figures = site_figures(work / "site-ours")
    row.plain_figures = site_figures(work / "site-plain")
    return row


# ---------------------------------------------------------------------------------------------
# Report.

def _kb(n: float) -> str:
    return f"{n / 1024:,.0f}"


def table(rows: list[Row]) -> str:
    """A Markdown table: one line per size."""
    head = ("| cases | pages | build ours warm (s) | build plain (s) | ours / plain | CPU ours warm / plain "
            "| CPU ours cold / plain | ms per page "
            "| peak MB ours | peak MB plain | output MB | search index KB | search B per case page "
            "| search data before 1st query KB gz (ours / Material) "
            "| filter data KB | filter data KB gz |")
    lines = [head, "|" + "---:|" * (head.count("|") - 1)]
    for r in rows:
        f = r.figures
        lines.append(
            f"| {r.cases:,} | {f['pages']:,} | {r.ours_s:.1f} | {r.plain_s:.1f} | {r.ratio:.2f} | {r.cpu_ratio:.2f} | "
            f"{'-' if r.cold_cpu_ratio is None else f'{r.cold_cpu_ratio:.2f}'} | "
            f"{r.ms_per_page:.1f} | {r.ours_mb:.0f} | {r.plain_mb:.0f} | {f['output_bytes'] / 2**20:,.1f} | "
            f"{_kb(f['search_bytes'])} | {f['search_per_case']:,.0f} | "
            f"{_kb(f['search_before_gz'])} / {_kb(r.plain_figures.get('search_before_gz', 0))} | {_kb(f['filter_raw'])} | "
            f"{_kb(f['filter_gz'])} |")
    return "\n".join(lines)


def browser_table(cases: int, b: dict) -> str:
    """The Chromium figures at one size, as a Markdown table."""
    return "\n".join([
        f"| Chromium, /cases/ with {cases:,} cases | median | max |",
        "|---|---:|---:|",
        (f"| facet change: change handler, ms ({b['facet_changes']} changes) | {b['facet_handler']:.1f} | "
         f"{b['facet_handler_max']:.1f} |"),
        f"| facet change: handler + layout, ms | {b['facet_layout']:.1f} | |",
        f"| facet change: to the next frame (paint), ms | {b['facet_paint']:.1f} | |",
        f"| search ready after the search field is focused (Pagefind loaded), ms | {b['search_ready']:,.0f} | |",
        (f"| search: last keystroke to first result, ms ({b['search_queries']} queries) | "
         f"{b['search_first']:.0f} | {b['search_first_max']:.0f} |"),
    ])


def engine_table(row: Row, ours: dict, plain: dict | None) -> str:
    """Pagefind (ours) against Material's own search on the same pages, as a Markdown table."""
    f, p = row.figures, row.plain_figures

    def both(key: str, fmt) -> str:
        return f"{fmt(ours[key])} | {fmt(plain[key]) if plain else '-'}"
    return "\n".join([
        f"| {row.cases:,} cases | Pagefind (ours) | Material's search |",
        "|---|---:|---:|",
        f"| search data a page loads before the first query, KB gzipped | {_kb(f['search_before_gz'])} | "
        f"{_kb(p.get('search_before_gz', 0))} |",
        f"| search index on disk, KB | {_kb(f['search_bytes'])} | {_kb(p.get('search_bytes', 0))} |",
        f"| requests for search files before the first query | {len(ours['search_requests_before'])} | "
        f"{len(plain['search_requests_before']) if plain else '-'} |",
        f"| search ready after focusing the field, ms (Material: loaded with the page) | {both('search_ready', lambda v: f'{v:,.0f}')} |",
        (f"| last keystroke to first result, median, ms ({ours['search_queries']} queries) | "
         f"{both('search_first', lambda v: f'{v:.0f}')} |"),
        f"| last keystroke to first result, max, ms | {both('search_first_max', lambda v: f'{v:.0f}')} |",
    ])


@dataclass(frozen=True)
class Target:
    """One performance target and how it fared."""

    name: str
    figure: str
    met: bool | None   # None: not measured in this run


def targets(rows: list[Row], browser: dict | None) -> list[Target]:
    """The issue's targets, each met, not met or not measured."""
    by = {r.cases: r for r in rows}
    out = []
    for n in (1000, 5000):
        r = by.get(n)
        out.append(Target(f"build CPU at {n:,} cases on one core ≤ 1.15 × plain Material's, warm (the cache "
                          "from the build before, one case edited)",
                          f"{r.cpu_ratio:.2f} ×" if r else "-", r.cpu_ratio <= 1.15 if r else None))
    for n in (1000, 5000):
        r = by.get(n)
        cold = r.cold_cpu_ratio if r else None
        out.append(Target(f"build CPU at {n:,} cases on one core ≤ 1.15 × plain Material's, cold (no cache: "
                          "a fresh clone, CI)",
                          f"{cold:.2f} ×" if cold is not None else "-", cold <= 1.15 if cold is not None else None))
    if 1000 in by and 5000 in by:
        change = by[5000].ms_per_page / by[1000].ms_per_page - 1
        out.append(Target("time per page at 5,000 within 20 % of 1,000",
                          f"{by[5000].ms_per_page:.1f} vs {by[1000].ms_per_page:.1f} ms ({change:+.0%})",
                          change <= 0.20))
    else:
        out.append(Target("time per page at 5,000 within 20 % of 1,000", "-", None))
    checked = (browser or {}).get("validator", {}).get(5000)
    out.append(Target("the pull request's verdict (make check) within 30 s at 5,000 cases once dependencies are cached",
                      f"{checked['total']['wall']:.1f} s wall, {checked['total']['cpu']:.1f} s CPU" if checked else "-",
                      checked["total"]["wall"] <= 30 if checked else None))
    seen = (browser or {}).get("preview", {}).get(5000)
    for kind in ("case", "method"):
        edits = [e for e in (seen or {}).get("edits", []) if e.name.startswith(kind)]
        worst = max(edits, key=lambda e: e.seconds) if edits else None
        out.append(Target(f"an edit to a {kind} is served within 2 s at 5,000 cases in make serve, with every page "
                          "that shows it updated (slowest of its edits)",
                          f"{worst.seconds:.2f} s ({worst.name})" if worst else "-",
                          worst.seconds <= 2 if worst else None))
    big = by.get(5000)
    b = browser if big and browser and "facet_layout" in browser else None
    out.append(Target("a facet change updates the list within 16 ms at 5,000 cases (change handler plus "
                      "style and layout of the updated list, median)",
                      f"{b['facet_layout']:.1f} ms (handler alone {b['facet_handler']:.1f}; next frame "
                      f"{b['facet_paint']:.1f}, see README)" if b else "-",
                      b["facet_layout"] <= 16 if b else None))
    out.append(Target("first search results ≤ 300 ms after the last keystroke at 5,000 cases (median)",
                      f"{b['search_first']:.0f} ms (max {b['search_first_max']:.0f})" if b else "-",
                      b["search_first"] <= 300 if b else None))
    out.append(Target("no page loads more than 150 KB (gzipped) of search data before the first query at 5,000 cases",
                      f"{_kb(big.figures['search_before_gz'])} KB" if big else "-",
                      big.figures["search_before_gz"] <= 150 * 1024 if big else None))
    out.append(Target("filter data for 5,000 cases ≤ 500 KB gzipped",
                      f"{_kb(big.figures['filter_gz'])} KB" if big else "-",
                      big.figures["filter_gz"] <= 500 * 1024 if big else None))
    return out


def target_lines(items: list[Target]) -> str:
    """One line per target: met, not met or not measured."""
    word = {True: "met", False: "NOT MET", None: "not measured"}
    return "\n".join(f"- {word[t.met]}: {t.name}: {t.figure}" for t in items)


def machine() -> str:
    """nproc, CPU model, memory and Python version of this machine."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"{mem_kb / 2**20:.0f} GB RAM"
    except (OSError, AttributeError):
        memory = "unknown memory"
    return f"{os.cpu_count()} CPUs ({cpu}), {memory}, Python {sys.version.split()[0]}"


def run(sizes: list[int], repeat: int, browser: bool, methods: int = 0, keep: Path | None = None,
        log=print, lighthouse_runs: int = 3, preview: bool = False) -> tuple[list[Row], dict | None]:
    """The benchmark: every size (the pull request's check, and with `preview` the editor's preview,
    at each), then Chromium and Lighthouse (`lighthouse_runs` per page kind, 0: none) on the largest.
    Returns the rows (the largest with figures["lighthouse"]) and the other figures."""
    if browser and not Path(CHROMIUM).exists():
        log(f"{CHROMIUM} not found: no browser figures (apt-get install chromium)")
        browser = False
    port = free_port()
    site_url = f"http://127.0.0.1:{port}/"
    rows, figures = [], None
    base = Path(tempfile.mkdtemp(prefix="vk-bench-", dir=keep))
    try:
        for n in sizes:
            log(f"{n} cases: generating and validating")
            work = base / str(n)
            work.mkdir()
            rows.append(measure_size(work, n, repeat, site_url, methods, log))
            log(f"{n} cases: the pull request's check (make check)")
            figures = figures or {}
            figures.setdefault("validator", {})[n] = validator_figures(work / "ours", log)
            if preview:
                log(f"{n} cases: the editor's preview (make serve), then plain Material's mkdocs serve")
                found = preview_edits(work / "ours", port, log)
                found["plain"] = plain_serve_edit(work / "plain", port, log)
                figures = figures or {}
                figures.setdefault("preview", {})[n] = found
            if browser and n == max(sizes):
                log(f"{n} cases: Chromium")
                with serve(work / "site-ours", port) as url:
                    figures = {**(figures or {}), **browser_figures(url)}
                log(f"{n} cases: Chromium, plain Material's search")
                with serve(work / "site-plain", port) as url:
                    figures["plain"] = browser_figures(url, facets=False)
            if browser and lighthouse_runs and n == max(sizes):
                cli = install_lighthouse(log)
                if cli is not None:
                    log(f"{n} cases: Lighthouse")
                    with serve_gzip(work / "site-ours", port) as url:
                        rows[-1].figures["lighthouse"] = lighthouse_figures(work / "site-ours", url, cli,
                                                                            lighthouse_runs, log=log)
            if keep is None:
                shutil.rmtree(work, ignore_errors=True)
    finally:
        if keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return rows, figures


def report(rows: list[Row], figures: dict | None) -> str:
    """The whole printed report: machine, table, Chromium figures, targets."""
    loads = [b.load for r in rows for b in r.ours + r.plain]
    parts = [f"Machine: {machine()}", f"Load average when builds started: {min(loads):.2f}–{max(loads):.2f} "
             "(every build runs on one CPU, taskset -c 0, so the builds keep it near 1; well above 1, "
             "something else was running and wall times are less comparable; CPU times much less so).", "", table(rows)]
    if figures and figures.get("validator"):
        parts += ["", "The pull request's check (make check with pip's cache warm), wall (CPU) seconds:", "",
                  validator_table(figures["validator"])]
    if figures and figures.get("preview"):
        parts += ["", "The editor's preview (make serve), each edit from the save until every page and data "
                  "file that shows it serves it:", "", preview_table(figures["preview"])]
    if figures and "facet_layout" in figures:
        parts += ["", browser_table(max(r.cases for r in rows), figures)]
        parts += ["", engine_table(max(rows, key=lambda r: r.cases), figures, figures.get("plain"))]
    lighthouse = [r for r in rows if "lighthouse" in r.figures]
    if lighthouse:
        parts += ["", lighthouse_table(lighthouse[-1].cases, lighthouse[-1].figures["lighthouse"])]
    items = targets(rows, figures)
    if any(r.cases == 5000 for r in rows):
        items += lighthouse_targets(next((r.figures["lighthouse"] for r in lighthouse if r.cases == 5000), None))
    parts += ["", "Targets:", target_lines(items)]
    return "\n".join(parts)


def lighthouse_report(site: Path, runs: int = 3, log=print) -> str:
    """Lighthouse and page weights of one already built site (scripts/bench.py --site), with the
    page targets: the quick loop while working on a page."""
    cli = install_lighthouse(log)
    if cli is None:
        return "Lighthouse not available (node and npm are needed)."
    before = os.getloadavg()[0]
    with serve_gzip(site, free_port()) as url:
        lh = lighthouse_figures(site, url, cli, runs, log=log)
    cases = sum(1 for p in (site / "cases").glob("*/index.html"))
    load = f"load average {before:.2f} before, {os.getloadavg()[0]:.2f} after the runs"
    return "\n".join([f"Machine: {machine()}; {load} (TBT grows with the load)", "",
                      lighthouse_table(cases, lh), "", "Targets:", target_lines(lighthouse_targets(lh, cases))])


# ---------------------------------------------------------------------------------------------
# The editor's preview: from saving a file to every page that shows it being served anew.

@dataclass
class Edit:
    """One timed edit in a running preview server."""

    name: str
    seconds: float            # from the write to the last of `urls` serving the new text
    cpu: float                # the server's CPU seconds meanwhile
    urls: int                 # how many pages and data files had to show it


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _fetch(url: str) -> str:
    import urllib.request
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.read().decode("utf-8", "replace")


def _until(urls: list[str], text: str, limit: float) -> float:
    """Seconds until every one of `urls` serves `text` (polled every 20 ms), or `limit`."""
    start = time.perf_counter()
    waiting = list(urls)
    while waiting and time.perf_counter() - start < limit:
        try:
            if text in _fetch(waiting[0]):
                waiting.pop(0)
                continue
        except OSError:
            pass
        time.sleep(0.02)
    return time.perf_counter() - start if not waiting else float("inf")


def _rewrite(path: Path, old: str, new: str) -> str:
    """Replace the first `old` in a file, or add `new` at its end when `old` is empty (as an
    editor's save); returns the text before."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1) if old else text + new, encoding="utf-8")
    return text


@contextmanager
def _server(args: list[str], cwd: Path, url: str, log):
    """A preview server process pinned to one CPU, once it serves `url`; yields its pid."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": url}
    env.pop("CI", None)
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(ONE_CORE + args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            started = time.perf_counter()
            if _until([url], "</html>", 900) == float("inf"):
                raise RuntimeError("the preview server did not start")
            log(f"    serving after {time.perf_counter() - started:.1f} s")
            yield proc.pid
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def preview_edits(project: Path, port: int, log=print) -> dict:
    """`python -m toolbox serve` on a generated project: the idle CPU, then four edits (a case's
    story and title, a method's steps and title), each timed from the save until every page that
    shows the edit serves it, and undone again."""
    url = f"http://127.0.0.1:{port}/"
    case = sorted(p for p in (project / "cases").glob("*.md") if not p.name.startswith("_"))[-1]
    method = project / "methods" / "world-cafe.md"
    meta, _ = split_front_matter(case.read_text(encoding="utf-8"))
    municipality = vocab.load("municipalities").get(meta["municipality"]).slug
    user = next(p for p in sorted((project / "cases").glob("*.md"))
                if not p.name.startswith("_") and "world-cafe" in p.read_text(encoding="utf-8"))
    edits = [
        ("case, a sentence added to its story", case, "", "\nTilføjet i forhåndsvisningen.\n",
         "Tilføjet i forhåndsvisningen", [f"cases/{case.stem}/"]),
        ("case, its title", case, "title: ", "title: Rettet i forhåndsvisningen – ", "Rettet i forhåndsvisningen",
         [f"cases/{case.stem}/", f"kommuner/{municipality}/", "emneord/", "data/cases.json"]),
        ("method, a step's text", method, 'do: "', 'do: "Rettet trin. ', "Rettet trin.", ["metoder/world-cafe/"]),
        ("method, its title (shown on every case that used it)", method, "title: ", "title: Rettet metode – ",
         "Rettet metode", ["metoder/world-cafe/", f"cases/{user.stem}/", "metoder/", "data/metoder.json"]),
    ]
    figures: dict = {"edits": []}
    with _server([sys.executable, "-m", "toolbox", "serve", "--root", str(project), "--port", str(port)],
                 project, url, log) as pid:
        time.sleep(2)
        before = _process_cpu(pid)
        time.sleep(10)
        figures["idle_cpu"] = (_process_cpu(pid) - before) / 10
        for name, path, old, new, mark, urls in edits:
            cpu = _process_cpu(pid)
            text = _rewrite(path, old, new)
            seconds = _until([url + u for u in urls], mark, 120)
            figures["edits"].append(Edit(name, seconds, _process_cpu(pid) - cpu, len(urls)))
            log(f"    {name}: {seconds:.2f} s")
            path.write_text(text, encoding="utf-8")
            _until([url + urls[0]], "</html>", 120)
            while mark in _fetch(url + urls[0]):
                time.sleep(0.05)
    return figures


def plain_serve_edit(plain: Path, port: int, log=print) -> Edit:
    """`mkdocs serve` on plain Material's twin: a case's title edited, until its page serves it."""
    url = f"http://127.0.0.1:{port}/"
    case = sorted(p for p in (plain / "docs" / "cases").glob("*.md") if p.name != "index.md")[-1]
    with _server([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"], plain, url, log) as pid:
        time.sleep(2)
        cpu = _process_cpu(pid)
        text = _rewrite(case, "title: ", "title: Rettet i forhåndsvisningen – ")
        seconds = _until([f"{url}cases/{case.stem}/"], "Rettet i forhåndsvisningen", 300)
        edit = Edit("case, its title (plain Material, mkdocs serve)", seconds, _process_cpu(pid) - cpu, 1)
        case.write_text(text, encoding="utf-8")
    log(f"    plain: {seconds:.2f} s")
    return edit


def preview_table(by_size: dict[int, dict]) -> str:
    """Edit-to-visible in the preview at each size, with plain Material's `mkdocs serve` beside it."""
    lines = ["| cases | edit | pages and data files that show it | save to served (s) | server CPU (s) |",
             "|---:|---|---:|---:|---:|"]
    for n, fig in sorted(by_size.items()):
        for e in fig["edits"] + ([fig["plain"]] if fig.get("plain") else []):
            lines.append(f"| {n:,} | {e.name} | {e.urls} | {e.seconds:.2f} | {e.cpu:.2f} |")
        lines.append(f"| {n:,} | idle server, share of one CPU | | | {fig['idle_cpu']:.1%} |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# The pull request's wait: the steps of .github/workflows/pr.yml up to the validator's verdict.

def _timed(args: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (the process and its children) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):     # 1: the validator found problems
        raise RuntimeError(f"{' '.join(args)} failed")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def validator_figures(project: Path, log=print) -> dict:
    """What `make check` does on a pull request once pip's cache holds the wheels (setup-python's
    `cache: pip`): a fresh virtual environment, requirements-check.txt and the toolbox installed,
    then the validator on all content with CI=true (no content cache, as on GitHub)."""
    with tempfile.TemporaryDirectory(prefix="vk-check-") as tmp:
        venv = Path(tmp) / "venv"
        py = str(venv / "bin" / "python")
        steps = {"venv": _timed([sys.executable, "-m", "venv", str(venv)], project)}
        pip = [py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        steps["install"] = _timed(pip + ["-r", str(ROOT / "requirements-check.txt")], project)
        editable = _timed(pip + ["--no-deps", "-e", str(ROOT)], project)
        steps["install"] = (steps["install"][0] + editable[0], steps["install"][1] + editable[1])
        steps["validate"] = _timed([py, "-m", "toolbox", "validate", "--root", str(project)], project, {"CI": "true"})
    figures = {name: {"wall": w, "cpu": c} for name, (w, c) in steps.items()}
    figures["total"] = {"wall": sum(f["wall"] for f in figures.values()), "cpu": sum(f["cpu"] for f in figures.values())}
    log(f"    make check: {figures['total']['wall']:.1f} s ({figures['validate']['wall']:.1f} s validating)")
    return figures


def validator_table(by_size: dict[int, dict]) -> str:
    """The pull request's check at each size: wall (CPU) seconds per step."""
    lines = ["| cases | new venv | install (pip cache warm) | validate (CI=true) | verdict after |",
             "|---:|---:|---:|---:|---:|"]
    for n, f in sorted(by_size.items()):
        cell = lambda k: f"{f[k]['wall']:.1f} s ({f[k]['cpu']:.1f} CPU)"
        lines.append(f"| {n:,} | {cell('venv')} | {cell('install')} | {cell('validate')} | {cell('total')} |")
    return "\n".join(lines)
