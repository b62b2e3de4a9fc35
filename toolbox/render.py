"""HTML for the generated pages and the fragments hand-written pages embed, from Jinja templates.

The templates (toolbox/templates/) get plain data and are rendered by the toolbox's own environment
with autoescape on and undefined names failing. Only four kinds of value are marked safe, each where
it is made: contributed Markdown once converted and sanitised (toolbox.markup), QR code SVG
(toolbox.qr), the theme's icon SVG files (toolbox.icons) and the glossary links added to finished
pages here. URLs are relative to the page they
appear on, so the site works under any base path. Nothing here knows a site generator.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from html import escape, unescape
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import relations, tilemap, vocab
from .facets import Facet, case_facets, method_facets
from .icons import icon
from .identity import badge, card_identity
from .loader import Document
from .problems import Problem
from .text import slugify

TEMPLATES = Path(__file__).parent / "templates"


@functools.cache
def environment() -> jinja2.Environment:
    """The toolbox's template environment: autoescape on, undefined names fail."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=False, keep_trailing_newline=False)


def template(template_name: str, **data) -> str:
    """Render one template with plain data."""
    return environment().get_template(template_name).render(**data)


# ---------------------------------------------------------------------------------------------
# Data for the templates

def _term_links(values, name: str, facet: str, page_url: str, listing: str) -> list[dict]:
    """Labels of vocabulary values, each linking to the overview filtered by that value."""
    v = vocab.load(name)
    values = values if isinstance(values, list) else [values]
    out = []
    for value in values:
        term = v.get(value)
        if term:
            out.append({"text": term.label, "href": rel(page_url, listing) + f"?{facet}={term.slug}",
                        "badge": badge(name, value) if name in ("phases", "kinds", "levels") else None})
    return out


def _row(label: str, items: list[dict], printed: bool = False, as_list: bool = False) -> dict:
    return {"label": label, "entries": items, "printed": printed, "list": as_list}


def _badge_row(label: str, items: list[dict], printed: bool = False) -> dict:
    """A facts row whose entries show their term's icon (and colour, for phases)."""
    return {**_row(label, items, printed), "badges": True}


def _text(value) -> list[dict]:
    return [{"text": str(value), "href": None}]


def method_facts(doc: Document, page_url: str) -> list[dict]:
    """The key facts of a method card, the printed ones marked."""
    m = doc.meta
    rows = [
        _row("Tid", _text(minutes(m["duration"])), printed=True),
        _row("Deltagere", _text(people(m["participants"])), printed=True),
        _badge_row("Type", _term_links(m["kind"], "kinds", "type", page_url, "metoder/"), printed=True),
        _badge_row("Niveau", _term_links(m["levels"], "levels", "niveau", page_url, "metoder/"), printed=True),
        _badge_row("Fase", _term_links(m["phases"], "phases", "fase", page_url, "metoder/"), printed=True),
        _row("Tilgang", _term_links(m["approaches"], "approaches", "tilgang", page_url, "metoder/"), printed=True),
        _row("Målgruppe", _term_links(m["audiences"], "audiences", "maalgruppe", page_url, "metoder/")),
    ]
    if m.get("areas"):
        rows.append(_row("Område", _term_links(m["areas"], "areas", "omraade", page_url, "metoder/")))
    rows.append(_row("Sværhedsgrad", _term_links(m["difficulty"], "difficulty", "svaerhed", page_url, "metoder/")))
    return rows


def municipality_name(value: str) -> str:
    """The municipality's official name: 'Køge Kommune', but 'Københavns Kommune' and 'Bornholms
    Regionskommune' (the vocabulary's `official`, where it has one)."""
    term = vocab.load("municipalities").get(value)
    return str(term.extra.get("official") or f"{term.label} Kommune") if term else f"{value} Kommune"


def case_facts(doc: Document, page_url: str) -> list[dict]:
    """The key facts of a case."""
    m = doc.meta
    term = vocab.load("municipalities").get(m["municipality"])
    rows = [_row("Kommune", [{"text": municipality_name(term.value), "href": rel(page_url, f"kommuner/{term.slug}/")}], printed=True)]
    if "year" in m:
        rows.append(_row("År", _text(m["year"]), printed=True))
    rows += [
        _row("Tilgang", _term_links(m["approach"], "approaches", "tilgang", page_url, "cases/"), printed=True),
        _row("Område", _term_links(m["areas"], "areas", "omraade", page_url, "cases/")),
        _row("Hvem var med", _text_items(m["roles"]), as_list=True),
        _row("Kontakt", _text(m["contact"])),
    ]
    return rows


def _text_items(values) -> list[dict]:
    """Plain-text entries of a facts row."""
    return [{"text": str(v), "href": None} for v in values]


def _doc_link(doc: Document, page_url: str) -> dict:
    return {"href": rel(page_url, doc.url), "title": str(doc.meta["title"]), "description": str(doc.meta["description"])}


def _source(item: dict) -> dict:
    text = item.get("title") or f'{item["organisation"]}: {item["document"]}'
    return {"text": str(text), "href": item.get("url")}


def short_url(card_url: str) -> str:
    """A card's address as printed under its QR code: without scheme and trailing slash."""
    return re.sub(r"^https?://", "", card_url).rstrip("/")


# The printed address stays on one line beside the QR code (a slug broken in two cannot be typed).
# Measured in Chromium: up to this many characters fit at 7.5 pt in Liberation Sans Narrow; longer
# addresses print at 6.5 pt (class vk-url-long), which holds a 60-character slug on the default host.
URL_FITS = 95


# A method page names this many of its cases; the rest are one link away, on /cases/ filtered by the
# method (a popular method could otherwise list hundreds of cases on its card).
CASES_ON_METHOD_PAGE = 10
# A method page names at most this many methods the cases use together with it.
TOGETHER = 6


def method_parts(doc: Document, index, page_url: str, card_url: str, qr: Markup) -> tuple[str, str]:
    """The HTML before and after a method card's body."""
    m = doc.meta
    cases = index.cases_by_method.get(doc.slug, [])
    identity = card_identity(doc)
    data = {
        "slug": doc.slug, "title": str(m["title"]), "description": str(m["description"]),
        "facts": method_facts(doc, page_url), "materials": [str(x) for x in m["materials"]],
        "preparation": str(m["preparation"]),
        "cases": [_doc_link(c, page_url) for c in cases[:CASES_ON_METHOD_PAGE]],
        "more_cases": ({"href": rel(page_url, "cases/") + f"?metode={doc.slug}", "count": len(cases)}
                       if len(cases) > CASES_ON_METHOD_PAGE else None),
        "contribute_href": rel(page_url, "bidrag/"),
        "related": [_doc_link(index.methods[s], page_url) for s in m.get("related") or [] if s in index.methods],
        "together": [{**_doc_link(index.methods[s], page_url), "count": n}
                     for s, n in relations.used_together(doc.slug, index.cases_by_method, index.methods)[:TOGETHER]],
        "identity": identity,
        "sources": [_source(s) for s in m["sources"]],
        "card": {"qr": qr, "short_url": short_url(card_url), "url_fits": URL_FITS, "accent": identity["accent"]},
        "print_icon": icon("material/printer-outline"),
        "scripts": script_hrefs(page_url, "print.js"),   # the "Udskriv kortet" button
    }
    return template("method_head.html", doc=data), template("method_tail.html", doc=data)


def redirect_page(title: str, page_url: str, target_url: str, site_url: str) -> str:
    """The page at a renamed card's old address (`page_url`): it sends the reader on to the card at
    `target_url` at once (a refresh, no script: the CSP allows none inline), says so with a visible
    link for a browser that does not follow, names the new address as canonical and asks search
    engines not to index it. Search (Pagefind) skips it: it has no data-pagefind-body."""
    return template("redirect.html", title=title, target=rel(page_url, target_url), canonical=site_url + target_url)


def case_parts(doc: Document, index, page_url: str) -> tuple[str, str]:
    """The HTML before and after a case's story."""
    return case_html(case_data(doc, index, page_url))


def case_data(doc: Document, index, page_url: str) -> dict:
    """What a case's head and tail show, as plain data (JSON types only)."""
    m = doc.meta
    return {
        "slug": doc.slug, "title": str(m["title"]), "description": str(m["description"]),
        "facts": case_facts(doc, page_url), "results": [str(r) for r in m["results"]],
        "methods": [_doc_link(index.methods[s], page_url) for s in m["methods"] if s in index.methods],
        "source": _source(m["source"]),
    }


def case_html(data: dict) -> tuple[str, str]:
    """The HTML before and after a case's story, from case_data."""
    return template("case_head.html", doc=data), template("case_tail.html", doc=data)


def error_page(path: str, problems: list[Problem]) -> str:
    """What a page with problems shows instead of its content."""
    return template("error.html", path=path, problems=[str(p) for p in problems])


def municipality_page(name: str, cases: list[Document], page_url: str, methods: dict[str, Document] | None = None) -> str:
    """A municipality's page: its cases (newest first), the methods they used and where to go on."""
    term = vocab.load("municipalities").get(name)
    region = vocab.load("regions").get(str(term.extra.get("region"))) if term else None
    ordered = sorted(cases, key=lambda c: -int(c.meta.get("year") or 0))
    items = [{**_doc_link(c, page_url), "year": c.meta.get("year"),
              "approach": vocab.load("approaches").label_of(c.meta["approach"]),
              "methods": [str(methods[s].meta["title"]) for s in c.meta["methods"] if s in (methods or {})]}
             for c in ordered]
    used = [{**_doc_link(methods[s], page_url), "count": n, "identity": card_identity(methods[s])}
            for s, n in relations.methods_used(cases, methods or {})]
    slug = term.slug if term else name
    return template("municipality.html", name=municipality_name(name), region=region.label if region else "",
                    cases=items, methods=used,
                    links={"cases": rel(page_url, "cases/") + f"?kommune={slug}", "all": rel(page_url, "kommuner/"),
                           "methods": rel(page_url, "metoder/"), "new_case": rel(page_url, "bidrag/ny-case/")})


def _municipality_rows(index, page_url: str) -> list[dict]:
    """The municipalities with cases: official name, link and number of cases."""
    v = vocab.load("municipalities")
    return [{"name": municipality_name(name), "href": rel(page_url, f"kommuner/{v.get(name).slug}/"), "count": len(cases)}
            for name, cases in index.cases_by_municipality.items()]


def _map_data(index, page_url: str, map_id: str, compact: bool) -> dict:
    """The data of municipality_map.html for the page at `page_url`."""
    v = vocab.load("municipalities")
    counts = {name: len(cases) for name, cases in index.cases_by_municipality.items()}
    # Wide screens get six tiles to a row; /kommuner/ adds three to a row for phones, where six
    # would make the names too small to read (CSS shows one of the two).
    maps = [{"id": map_id, "cls": "vk-map-wide" if not compact else "", "data": tilemap.tile_map(counts)}]
    if not compact:
        maps.append({"id": f"{map_id}-smal", "cls": "vk-map-narrow", "data": tilemap.tile_map(counts, 3)})
    return {"maps": maps, "map_id": map_id, "compact": compact, "total": len(v.terms), "with_cases": len(counts),
            "municipalities": _municipality_rows(index, page_url), "all_href": rel(page_url, "kommuner/")}


def municipality_map(index, page_url: str, map_id: str = "kommunekort") -> str:
    """The tile map of the 98 municipalities, those with cases marked, counted and linked, followed
    by its text alternative: the list of the municipalities with cases (the front page embeds it)."""
    return template("municipality_map.html", **_map_data(index, page_url, map_id, True))


def municipality_index(index, page_url: str) -> str:
    """The /kommuner/ page: the municipality map and the list of municipalities with cases."""
    return template("municipalities.html", **_map_data(index, page_url, "kommunekort", False))


# ---------------------------------------------------------------------------------------------
# Sections of a converted body

_H2_RE = re.compile(r"<h2(?=[\s>])")


def split_sections(html: str, level: int = 2) -> list[tuple[str, Markup]]:
    """Sanitised body HTML cut at its <h2> headings: (heading text, the section's HTML from its
    heading on, the heading renumbered to `level`). Text before the first heading has the name ''.
    The input is the sanitiser's output, so its tags are exactly as the sanitiser writes them."""
    parts = _H2_RE.split(html)
    out = [("", Markup(parts[0]))] if parts[0].strip() else []
    for part in parts[1:]:
        head, _, rest = part.partition("</h2>")
        name = unescape(re.sub(r"<[^>]*>", "", head.partition(">")[2])).strip()
        out.append((name, Markup(f"<h{level}{head}</h{level}>{rest}")))   # sanitised, renumbered
    return out


def step_minutes(value: int) -> str:
    """'10 min.' for a step; long steps in hours ('3 t.', '1,5 t.')."""
    return f"{value} min." if value < 120 else f"{value / 60:g}".replace(".", ",") + " t."


def method_body(doc: Document, html: str, page_url: str, level: int = 2, printed: bool = False,
                worksheets: dict[str, str] | None = None) -> str:
    """A method card's body in reading order: Formål, the timed steps, 'Brug den ikke, når', Tips,
    then (online) variations, worksheets and the municipal considerations; `html` is the
    sanitised conversion of the contributed sections."""
    return template("method_body.html", body=method_body_data(doc, html, page_url, level, printed, worksheets))


def method_body_data(doc: Document, html: str, page_url: str, level: int = 2, printed: bool = False,
                     worksheets: dict[str, str] | None = None) -> dict:
    """The data of method_body.html (the card page and each card of the print deck)."""
    m = doc.meta
    sections = [{"name": name, "slug": slugify(name) if name else "indledning", "html": part}
                for name, part in split_sections(html, level)]
    steps = [{"minutes": step_minutes(s["minutes"]), "do": str(s["do"])} for s in m["steps"]]
    total = sum(s["minutes"] for s in m["steps"])
    sheets = [{"title": (worksheets or {}).get(slug, slug), "href": rel(page_url, f"ark/{slug}/")}
              for slug in m.get("worksheets") or []]
    return {"sections": sections, "steps": steps, "total": minutes({"min": total, "max": total}),
            "not_when": str(m["not_when"]), "variations": [str(v) for v in m["variations"]], "worksheets": sheets,
            "level": level, "printed": printed}


# ---------------------------------------------------------------------------------------------
# Fragments for hand-written pages (the complete lists work without JavaScript; filter.js adds facets)

def _counts(docs, facets: list[Facet]) -> dict:
    counts = {f.id: {} for f in facets}
    for doc in docs:
        for f in facets:
            for oid in set(f.values(doc)):
                counts[f.id][oid] = counts[f.id].get(oid, 0) + 1
    return counts


# A long list shows this many items at a time: the cases overview and each of its list pages
# (/cases/side/2/ ...) without JavaScript, and filter.js before "Vis flere" (its PAGE).
LIST_PAGE = 100
CASE_LIST = "cases/side"                        # /cases/side/<n>/: the cases by title, page n (n ≥ 2)
CASE_FILTER_DATA = "assets/data/case-filter.json"   # what filter.js loads for /cases/ when first used


def _catalogue(kind: str, docs: list[Document], facets: list[Facet], page_url: str, noun: tuple[str, str],
               summary, print_href: str | None, light: bool = False) -> str:
    """A filterable list. The whole list sits in <noscript> for filter.js to read, unless `light`:
    then the page holds only the first LIST_PAGE items and links to the list pages, and filter.js
    loads the filter data (CASE_FILTER_DATA) when the filter is first used."""
    counts = _counts(docs, facets)
    facet_data = [{"id": f.id, "label": f.label,
                   "options": [{"id": oid, "label": label, "count": counts[f.id].get(oid, 0)} for oid, label in f.options]}
                  for f in facets]
    shown = docs[:LIST_PAGE] if light else docs
    items = [{"slug": d.slug, "q": searchable_text(d).casefold(), "href": rel(page_url, d.url),
              "title": str(d.meta["title"]), "description": str(d.meta["description"]), "summary": summary(d),
              "card": card_identity(d) if kind == "metoder" else None,
              "data": [(f.id, " ".join(f.values(d))) for f in facets]} for d in shown]
    light_data = None
    if light:
        # Item links in the data are the prefix + slug + "/"; from the overview itself that is "<slug>/",
        # as the links on the page are written.
        prefix = rel(page_url, f"{kind}/")
        light_data = {"src": rel(page_url, CASE_FILTER_DATA), "href": "" if prefix == "./" else prefix,
                      "total": len(docs), "pager": list_pager(len(docs), 1, page_url)}
    return template("catalogue.html", kind=kind, noun=noun[0], nouns=noun[1], facets=facet_data, items=items,
                    print_href=print_href, light=light_data, page_size=LIST_PAGE, scripts=script_hrefs(page_url, "filter.js"))


def script_hrefs(page_url: str, *names: str) -> list[str]:
    """The site's own scripts (docs/assets/js/<name>) that a fragment or generated page needs,
    relative to the page: a page loads only the scripts of what it shows (the templates write them
    deferred with _macros.html's script_tags; Material's instant navigation runs them again on each
    page that has them)."""
    return [rel(page_url, f"assets/js/{name}") for name in names]


def scripts(page_url: str, *names: str) -> str:
    """The script tags of script_hrefs, as HTML."""
    return template("scripts.html", hrefs=script_hrefs(page_url, *names))


def with_assets(html: str, page_url: str, stylesheet: str, script: str) -> str:
    """A fragment (one element) with its own style sheet (docs/assets/css/<stylesheet>) linked as
    the element's first child and its script (script_hrefs) after it: only the pages with the
    fragment load them, and the browser renders the fragment once its styles are there. Inside the
    element, because Python-Markdown takes a line that starts with <link> for a paragraph."""
    end = html.index(">") + 1
    link = template("stylesheet.html", href=rel(page_url, f"assets/css/{stylesheet}"))
    return f"{html[:end]}{link}{html[end:]}{scripts(page_url, script)}"   # joined as text: all HTML


def list_pages(count: int) -> int:
    """How many list pages `count` cases fill (one at least: the overview)."""
    return max(1, -(-count // LIST_PAGE))


def case_list_url(number: int) -> str:
    """The site URL of list page `number` of the cases: the overview is page 1."""
    return "cases/" if number == 1 else f"{CASE_LIST}/{number}/"


def list_pager(count: int, number: int, page_url: str) -> dict | None:
    """Links to every list page of `count` cases, page `number` the current one (None: one page)."""
    total = list_pages(count)
    if total == 1:
        return None
    return {"number": number, "total": total,
            "pages": [{"number": n, "href": rel(page_url, case_list_url(n)), "current": n == number}
                      for n in range(1, total + 1)],
            "previous": rel(page_url, case_list_url(number - 1)) if number > 1 else None,
            "next": rel(page_url, case_list_url(number + 1)) if number < total else None,
            "municipalities": rel(page_url, "kommuner/")}


def case_list_page(docs: list[Document], number: int, page_url: str) -> str:
    """List page `number` of the cases by title (`docs`, as by_title orders them), for reading
    without JavaScript: its LIST_PAGE cases, the links to the other pages and back to the overview
    with the filter."""
    first = (number - 1) * LIST_PAGE
    items = [{"slug": d.slug, "href": rel(page_url, d.url), "title": str(d.meta["title"]),
              "description": str(d.meta["description"]), "summary": case_summary(d), "card": None}
             for d in docs[first:first + LIST_PAGE]]
    return template("case_list.html", items=items, first=first + 1, last=first + len(items), count=len(docs),
                    pager=list_pager(len(docs), number, page_url), overview=rel(page_url, "cases/"))


def case_filter_data(index) -> str:
    """The /cases/ filter's data (CASE_FILTER_DATA), every case by title: the facet ids, then per
    case its slug, title, description, facts line, the rest of the text the plain filter searches
    (searchable_terms: filter.js lowercases title, description and these together), and its values
    of each facet (space-separated option ids, in the order of `facets`)."""
    docs = by_title(index.cases.values())
    facets = case_facets(docs, index.methods)
    items = [[d.slug, str(d.meta["title"]), str(d.meta["description"]), case_summary(d),
              searchable_terms(d), *(" ".join(f.values(d)) for f in facets)] for d in docs]
    return json.dumps({"facets": [f.id for f in facets], "items": items}, ensure_ascii=False, separators=(",", ":"))


def method_summary(doc: Document) -> str:
    """One line of facts for a list: time, participants, difficulty."""
    m = doc.meta
    return (f"Tid: {minutes(m['duration'])} · Deltagere: {people(m['participants'])} · "
            f"Sværhedsgrad: {vocab.load('difficulty').label_of(m['difficulty'])}")


def searchable_text(doc: Document) -> str:
    """The metadata the free-text filter searches: title, description, tags and vocabulary labels."""
    m = doc.meta
    return " ".join([str(m["title"]), str(m["description"]), searchable_terms(doc)])


def searchable_terms(doc: Document) -> str:
    """The part of searchable_text after the title and description: tags and vocabulary labels."""
    m = doc.meta
    words = list(m["tags"])
    for f in doc.ctype.fields:
        if f.vocabulary and f.name in m:
            values = m[f.name] if isinstance(m[f.name], list) else [m[f.name]]
            words += [vocab.load(f.vocabulary).label_of(v) for v in values]
    return " ".join(str(w) for w in words)


def by_title(docs) -> list[Document]:
    """Documents in the order of their titles, as the lists show them."""
    return sorted(docs, key=lambda d: str(d.meta["title"]).casefold())


def method_catalogue(index, page_url: str) -> str:
    """The /metoder/ list with its facets."""
    return _catalogue("metoder", by_title(index.methods.values()), method_facets(), page_url,
                      ("metode", "metoder"), method_summary, rel(page_url, "udskriv/"))


def case_summary(doc: Document) -> str:
    """One line of facts for a list: municipality, year, approach."""
    m = doc.meta
    year = f" · {m['year']}" if "year" in m else ""
    return f"{municipality_name(m['municipality'])}{year} · {vocab.load('approaches').label_of(m['approach'])}"


def case_catalogue(index, page_url: str) -> str:
    """The /cases/ list with its facets: light at any number of cases (see _catalogue)."""
    docs = by_title(index.cases.values())
    return _catalogue("cases", docs, case_facets(docs, index.methods), page_url, ("case", "cases"),
                      case_summary, None, light=True)


def vocabulary_table(name: str) -> str:
    """A table of a vocabulary's labels and explanations."""
    v = vocab.load(name)
    return template("vocabulary_table.html", label=v.label, terms=v.terms)


def worksheet_list(worksheets: dict[str, str], page_url: str) -> str:
    """The worksheets as a list of links (the /ark/ page)."""
    items = [{"href": rel(page_url, f"ark/{slug}/"), "title": title} for slug, title in worksheets.items()]
    return template("worksheet_list.html", items=items)


def glossary() -> str:
    """The glossary as a definition list, one anchor per term."""
    terms = [{"slug": t.slug, "value": t.value, "description": t.description, "source": t.extra.get("source")}
             for t in sorted(vocab.load("glossary").terms, key=lambda t: t.value.casefold())]
    return template("glossary.html", terms=terms)


def printed_card(doc: Document, page_url: str, site_url: str, qr, body_html, worksheets: dict[str, str] | None = None) -> dict:
    """What a printed card shows, as data: the print deck's cards and the print-shop deck's
    (toolbox.printshop) are made from it, so both print the same content."""
    m = doc.meta
    card_url = site_url + doc.url
    identity = card_identity(doc)
    return {
        "slug": doc.slug, "title": str(m["title"]), "description": str(m["description"]),
        "facts": [row for row in method_facts(doc, page_url) if row["printed"]],
        "materials": [str(x) for x in m["materials"]], "preparation": str(m["preparation"]),
        "body": method_body_data(doc, body_html(doc), page_url, level=3, printed=True, worksheets=worksheets),
        "url": card_url, "qr": qr(card_url), "short_url": short_url(card_url), "url_fits": URL_FITS,
        "accent": identity["accent"], "phases": identity["phases"],
    }


def card_deck(index, page_url: str, site_url: str, qr, body_html, worksheets: dict[str, str] | None = None,
              worksheet_html=None) -> str:
    """Every method card in print form, for /udskriv/ and the workshop plan; filter.js picks the cards,
    print.js adds the worksheets the shown cards name when asked. `body_html(doc)` is the card's
    converted and sanitised body, `qr(url)` its QR code, `worksheet_html(slug)` a worksheet's."""
    facets = method_facets()
    cards = []
    for doc in by_title(index.methods.values()):
        m = doc.meta
        cards.append({
            **printed_card(doc, page_url, site_url, qr, body_html, worksheets),
            "minutes": m["duration"]["min"], "q": searchable_text(doc).casefold(),
            # 'kort' picks cards by file name (?kort=world-cafe): the chooser's "Udskriv kortet".
            "data": [(f.id, " ".join(f.values(doc))) for f in facets] + [("kort", doc.slug)],
            "worksheets": " ".join(m.get("worksheets") or []),
        })
    named = sorted({slug for d in index.methods.values() for slug in d.meta.get("worksheets") or []})
    sheets = [{"slug": slug, "title": (worksheets or {}).get(slug, slug),
               "parts": [part for _, part in split_sections(worksheet_html(slug))]}
              for slug in named if worksheet_html is not None]
    return template("deck.html", cards=cards, sheets=sheets, facet_ids=" ".join([f.id for f in facets] + ["kort"]),
                    scripts=script_hrefs(page_url, "filter.js", "print.js"))


# ---------------------------------------------------------------------------------------------
# Helpers

def _relpath(path: str, start: str) -> str:
    """posixpath.relpath of two site paths. Plain paths (no '.', '..', empty or absolute parts) are
    compared part by part; this runs for every link of every generated page, and posixpath.relpath
    asks the OS for the working directory each time."""
    start = start[:-1] if len(start) > 1 and start.endswith("/") else start
    path = path[:-1] if len(path) > 1 and path.endswith("/") else path
    a = [] if start in ("", ".") else start.split("/")
    b = [] if path in ("", ".") else path.split("/")
    if any(p in ("", ".", "..") for p in a) or any(p in ("", ".", "..") for p in b):
        a_, b_ = posixpath.normpath(start), posixpath.normpath(path)
        if a_.startswith(("..", "/")) or b_.startswith(("..", "/")):
            return posixpath.relpath(path, start)
        return posixpath.relpath("/" + b_, "/" + a_)
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    parts = [".."] * (len(a) - common) + b[common:]
    return "/".join(parts) if parts else "."


def rel(from_url: str, to_url: str) -> str:
    """A relative link from the page at `from_url` to `to_url` (both site-relative, directory style)."""
    base = posixpath.dirname(from_url.rstrip("/") + "/x") if from_url else ""
    target, _, fragment = to_url.partition("#")
    path = _relpath(target or ".", base or ".")
    if target.endswith("/") and not path.endswith("/"):
        path += "/"
    path = "./" if path in (".", "./") else path
    return path + (f"#{fragment}" if fragment else "")


def minutes(rng: dict) -> str:
    """'30–90 minutter'; long spans in hours ('1–40 timer')."""
    lo, hi = rng["min"], rng["max"]
    if hi < 180:
        return f"{lo}–{hi} minutter" if lo != hi else f"{lo} minutter"

    def hours(m: int) -> str:
        return f"{m / 60:g}".replace(".", ",")
    # An end that is no whole or half hour stays in minutes ('80 min–40 timer', not '1,33333–40').
    if lo % 30 or hi % 30:
        def part(m: int) -> str:
            return f"{hours(m)} timer" if m % 30 == 0 else f"{m} min"
        return f"{part(lo)}–{part(hi)}" if lo != hi else part(hi)
    return f"{hours(lo)}–{hours(hi)} timer" if lo != hi else f"{hours(hi)} timer"


def people(rng: dict) -> str:
    """'4–20 personer'."""
    return f"{rng['min']}–{rng['max']} personer" if rng["min"] != rng["max"] else f"{rng['min']} personer"


# ---------------------------------------------------------------------------------------------
# Glossary links on finished pages

_SKIP = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style", "dt", "svg", "button", "label"}


_SKIP_TAG_RE = re.compile(r"<(/?)(" + "|".join(sorted(_SKIP, key=len, reverse=True)) + r")(?![a-zA-Z0-9])[^>]*>",
                          re.IGNORECASE)
# Letters re.IGNORECASE equates with 'i' and 's' where str.lower() does not.
_FOLD_TRAPS = ("İ", "ı", "ſ")


@functools.cache
def _glossary_patterns() -> list:
    """(term, pattern) for each glossary term, longest term first."""
    terms = sorted(vocab.load("glossary").terms, key=lambda t: -len(t.value))
    return [(t, re.compile(r"(?<![\wæøå-])(" + re.escape(t.value) + r")(?![\wæøå-])", re.IGNORECASE))
            for t in terms]


@functools.cache
def _lowered(text: str) -> str:
    return text.lower()


def _term_positions(html: str, patterns: list) -> list[tuple[int, int]]:
    """(offset, number of the term in `patterns`) for every place in `html` where a glossary term
    matches (inside tags too; the caller sorts that out), sorted by offset.

    str.find on the lowercased page finds the candidates, the term's own pattern confirms each."""
    found = []
    if any(trap in html for trap in _FOLD_TRAPS):
        for k, (_, pattern) in enumerate(patterns):
            found += [(m.start(), k) for m in pattern.finditer(html)]
        return sorted(found)
    low = html.lower()
    for k, (term, pattern) in enumerate(patterns):
        value = _lowered(term.value)
        at = low.find(value)
        while at >= 0:
            if pattern.match(html, at):
                found.append((at, k))
            at = low.find(value, at + 1)
    return sorted(found)


def link_glossary(html: str, page_url: str, glossary_url: str = "ordliste/") -> str:
    """Link the first use of each glossary term in a page's running text to its explanation
    (the places glossary_links finds)."""
    return with_glossary_links(html, glossary_links(html), page_url, glossary_url)


def with_glossary_links(html: str, links: list[tuple[int, int, str]], page_url: str,
                        glossary_url: str = "ordliste/") -> str:
    """`html` with each (start, end, slug) of `links` (in order, not overlapping) made a link to
    that term's explanation in the glossary."""
    if not links:
        return html
    href = escape(rel(page_url, glossary_url), quote=True)
    out, emitted = [], 0
    for start, end, slug in links:
        out += [html[emitted:start], f'<a class="vk-term" href="{href}#{slug}" '
                f'title="Se forklaringen i ordlisten">{html[start:end]}</a>']
        emitted = end
    return "".join(out) + html[emitted:]


def glossary_links(html: str) -> list[tuple[int, int, str]]:
    """Where the first use of each glossary term in a page's running text is, as (start, end, slug).

    Running text is the text between two tags, outside links, code, headings, labels and the like;
    each stretch of it links at most one term: the longest one not yet linked on the page, where it
    first occurs in the stretch. Only the places where a term occurs are looked at, and only the
    tags that open or close a skipped element are followed.
    """
    try:
        patterns = _glossary_patterns()
    except FileNotFoundError:
        return []
    positions = _term_positions(html, patterns)
    wanted = {patterns[k][0].slug for _, k in positions}
    done: set[str] = set()
    stack: list[str] = []
    tags = (m for m in _SKIP_TAG_RE.finditer(html) if not m.group(0).endswith("/>"))
    tag = next(tags, None)
    token_end, links = -1, []
    count = len(positions)
    for i, (at, k) in enumerate(positions):
        if at < token_end or patterns[k][0].slug in done:
            continue                                  # in the stretch just looked at, or linked already
        while tag is not None and tag.end() <= at:    # follow the skipped elements up to here
            name = tag.group(2).lower()
            if not tag.group(1):
                stack.append(name)
            elif name in stack:
                while stack and stack.pop() != name:
                    pass
            tag = next(tags, None)
        start = html.rfind(">", 0, at) + 1
        if html.rfind("<", 0, at) >= start:
            continue                                  # inside a tag (an attribute value)
        token_end = html.find("<", at)
        token_end = len(html) if token_end < 0 else token_end
        if stack:
            continue
        # The longest term not yet linked that occurs in this stretch (patterns are longest first),
        # at its first place in the stretch.
        best, best_at = k, at
        j = i + 1
        while j < count and positions[j][0] < token_end:
            at_j, k_j = positions[j]
            if k_j < best and patterns[k_j][0].slug not in done:
                best, best_at = k_j, at_j
            j += 1
        term, pattern = patterns[best]
        links.append((best_at, pattern.match(html, best_at).end(), term.slug))
        done.add(term.slug)
        if len(done) == len(wanted):
            break
    return links
