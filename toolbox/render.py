"""HTML and Markdown for the generated pages. Every contributed value passes through `esc`.

Functions return strings; the MkDocs adapter decides where they go. URLs inside generated HTML are
relative to the page they appear on, so the site works under any base path.
"""

from __future__ import annotations

import functools
import posixpath
import re
import secrets
from html import escape, unescape

from markupsafe import Markup

from . import model, vocab
from .facets import Facet, case_facets, method_facets
from .loader import Document, Problem
from .site import SiteIndex
from .text import slugify


def esc(value) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return escape(str(value), quote=True)


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


def theme_text(value) -> Markup:
    """A value for the theme's own templates, which print page titles and descriptions unescaped
    (even inside attributes, like <meta name="description">): escaped once and marked safe, so
    Jinja's `e` filter does not escape it twice."""
    return Markup(escape(str(value), quote=True))


def minutes(rng: dict) -> str:
    """'30–90 minutter'; long spans in hours ('1–40 timer')."""
    lo, hi = rng["min"], rng["max"]
    if hi < 180:
        return f"{lo}–{hi} minutter" if lo != hi else f"{lo} minutter"

    def hours(m: int) -> str:
        return f"{m / 60:g}".replace(".", ",")
    return f"{hours(lo)}–{hours(hi)} timer" if lo != hi else f"{hours(hi)} timer"


def people(rng: dict) -> str:
    """'4–20 personer'."""
    return f"{rng['min']}–{rng['max']} personer" if rng["min"] != rng["max"] else f"{rng['min']} personer"


# ---------------------------------------------------------------------------------------------
# Metadata panel

def _term_links(values, name: str, facet: str, page_url: str, listing: str) -> str:
    """Labels of vocabulary values, each linking to the overview filtered by that value."""
    v = vocab.load(name)
    values = values if isinstance(values, list) else [values]
    out = []
    for value in values:
        term = v.get(value)
        if term:
            href = rel(page_url, listing) + f"?{facet}={term.slug}"
            out.append(f'<a href="{esc(href)}">{esc(term.label)}</a>')
    return ", ".join(out)


def method_facts(doc: Document, page_url: str) -> list[tuple[str, str]]:
    """The key facts of a method card as (label, HTML) pairs, text labels first."""
    m = doc.meta
    return [
        ("Tid", esc(minutes(m["duration"]))),
        ("Deltagere", esc(people(m["participants"]))),
        ("Tilgang", _term_links(m["approaches"], "approaches", "tilgang", page_url, "metoder/")),
        ("Fase", _term_links(m["phases"], "phases", "fase", page_url, "metoder/")),
        ("Målgruppe", _term_links(m["audiences"], "audiences", "maalgruppe", page_url, "metoder/")),
        ("Område", _term_links(m["areas"], "areas", "omraade", page_url, "metoder/")),
        ("Sværhedsgrad", _term_links(m["difficulty"], "difficulty", "svaerhed", page_url, "metoder/")),
    ]


def case_facts(doc: Document, page_url: str) -> list[tuple[str, str]]:
    """The key facts of a case as (label, HTML) pairs."""
    m = doc.meta
    municipality = vocab.load("municipalities").get(m["municipality"])
    facts = [("Kommune", f'<a href="{esc(rel(page_url, f"kommuner/{municipality.slug}/"))}">'
                         f'{esc(municipality.label)}</a>')]
    if "year" in m:
        facts.append(("År", esc(m["year"])))
    facts += [
        ("Tilgang", _term_links(m["approach"], "approaches", "tilgang", page_url, "cases/")),
        ("Område", _term_links(m["areas"], "areas", "omraade", page_url, "cases/")),
        ("Hvem var med", _list(m["roles"], "vk-roles")),
        ("Kontakt", esc(m["contact"])),
    ]
    return facts


PRINTED_FACTS = {"Tid", "Deltagere", "Tilgang", "Fase", "Kommune", "År"}


def facts_panel(facts: list[tuple[str, str]], label: str) -> str:
    """A definition list of facts, labelled for screen readers."""
    screen_only = ' class="vk-screen-only"'
    # No whitespace between the <div>s: Python-Markdown's md_in_html (the print deck) mis-nests them.
    # The spaces inside keep words apart in the search index ("Tid 1–3 timer Deltagere ...").
    rows = "".join(f"<div{'' if k in PRINTED_FACTS else screen_only}><dt>{esc(k)}</dt> <dd>{v} </dd></div>"
                   for k, v in facts)
    return f'<dl class="vk-facts" aria-label="{esc(label)}">{rows}</dl>'


def _list(items, cls: str = "") -> str:
    cls = f' class="{cls}"' if cls else ""
    return f"<ul{cls}>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


# Marks an element for Material's search plugin to leave out of the index; the plugin removes the
# attribute from the page after indexing, so it never reaches the published HTML.
NOT_INDEXED = ' data-search-exclude="true"'


def _doc_links(docs: list[Document], page_url: str, indexed: bool = True) -> str:
    return f"<ul{'' if indexed else NOT_INDEXED}>" + "".join(
        f'<li><a href="{esc(rel(page_url, d.url))}">{esc(d.meta["title"])}</a>'
        f' <span class="vk-muted">– {esc(d.meta["description"])}</span></li>' for d in docs) + "</ul>"


def _source_html(source: dict) -> str:
    text = esc(source.get("title") or f'{source["organisation"]}: {source["document"]}')
    if source.get("url"):
        return f'<a href="{esc(source["url"])}" rel="noopener">{text}</a>'
    return text


# ---------------------------------------------------------------------------------------------
# Pages

_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_H2_RE = re.compile(r"^##\s+(.*?)\s*#*\s*$")


def wrap_sections(body: str, level: int = 2, skip: tuple[str, ...] = ()) -> str:
    """Wrap each '## ' section in a <section> named after its heading, so print styles can pick sections.

    `level` sets the heading level the sections get; sections named in `skip` are left out.
    """
    out, fenced, inside, skipping = [], False, False, False
    for line in body.split("\n"):
        if _FENCE_RE.match(line):
            fenced = not fenced
        m = None if fenced else _H2_RE.match(line)
        if m:
            if inside:
                out.append("\n</section>\n")
                inside = False
            skipping = m.group(1) in skip
            if skipping:
                continue
            out.append(f'<section class="vk-sec vk-sec-{slugify(m.group(1))}" markdown="1">\n')
            inside = True
            line = "#" * level + " " + m.group(1)
        if not skipping:
            out.append(line)
    if inside:
        out.append("\n</section>")
    return "\n".join(out)


# A method page names this many of its cases; the rest are one link away, on /cases/ filtered by the
# method (a popular method could otherwise list hundreds of cases on its card).
CASES_ON_METHOD_PAGE = 10


def method_page(doc: Document, index: SiteIndex, page_url: str, card_url: str, qr: str) -> str:
    """The Markdown of a method page: heading, lead, facts, materials, the body, cases and sources."""
    m = doc.meta
    cases = index.cases_by_method.get(doc.slug, [])
    related = [index.methods[s] for s in m.get("related") or [] if s in index.methods]
    parts = [
        f'<h1 id="{esc(doc.slug)}">{esc(m["title"])}</h1>',
        f'<p class="vk-lead">{esc(m["description"])}</p>',
        facts_panel(method_facts(doc, page_url), "Nøgletal for metoden"),
        '<div class="vk-prep">'
        f'<div><h2 id="materialer">Materialer</h2>{_list(m["materials"])}</div>'
        f'<div><h2 id="forberedelse">Forberedelse</h2><p>{esc(m["preparation"])}</p></div></div>',
        "",
        wrap_sections(doc.body.strip()),
        "",
        '<div class="vk-after" markdown="0">',
    ]
    if cases:
        shown = cases[:CASES_ON_METHOD_PAGE]
        parts.append(f'<h2 id="cases">Cases, der har brugt metoden</h2>{_doc_links(shown, page_url, indexed=False)}')
        if len(cases) > len(shown):
            href = rel(page_url, "cases/") + f"?metode={doc.slug}"
            parts.append(f'<p><a href="{esc(href)}">Se alle {len(cases)} cases, der har brugt metoden</a></p>')
    else:
        parts.append('<h2 id="cases">Cases, der har brugt metoden</h2><p>Ingen endnu. '
                     f'<a href="{esc(rel(page_url, "bidrag/"))}">Fortæl, hvordan I har brugt den</a>.</p>')
    if related:
        parts.append(f'<h2 id="beslaegtede">Beslægtede metoder</h2>{_doc_links(related, page_url)}')
    parts.append('<h2 id="kilder">Kilder</h2><ul>'
                 + "".join(f"<li>{_source_html(s)}</li>" for s in m["sources"]) + "</ul>")
    parts.append("</div>")
    parts.append(print_footer(card_url, qr))
    return "\n".join(parts) + "\n"


def print_footer(card_url: str, qr: str) -> str:
    """What only the printed card shows: a QR code and a short URL back to the online card."""
    short = re.sub(r"^https?://", "", card_url).rstrip("/")
    return (f'<div class="vk-print-only vk-card-foot" data-search-exclude><span class="vk-qr" role="img" '
            f'aria-label="QR-kode til kortet på nettet">{qr}</span>'
            f'<p>Kortet på nettet, med cases:<br><span class="vk-url">{esc(short)}</span></p></div>')


def case_page(doc: Document, index: SiteIndex, page_url: str) -> str:
    """The Markdown of a case page: heading, lead, facts, the body, results, methods and source."""
    m = doc.meta
    methods = [index.methods[s] for s in m["methods"] if s in index.methods]
    parts = [
        f'<h1 id="{esc(doc.slug)}">{esc(m["title"])}</h1>',
        f'<p class="vk-lead">{esc(m["description"])}</p>',
        facts_panel(case_facts(doc, page_url), "Nøgletal for casen"),
        "",
        doc.body.strip(),
        "",
        '<div class="vk-after" markdown="0">',
        f'<h2 id="resultater">Det kom der ud af</h2>{_list(m["results"])}',
        f'<h2 id="metoder">Metoder i casen</h2>{_doc_links(methods, page_url)}',
        f'<h2 id="kilde">Kilde</h2><p>{_source_html(m["source"])}</p>',
        "</div>",
    ]
    return "\n".join(parts) + "\n"


def error_page(doc: Document, problems: list[Problem]) -> str:
    """What a page with problems shows instead of its content (only seen in a local preview)."""
    items = "".join(f"<li><code>{esc(p)}</code></li>" for p in problems)
    return (f'<h1 id="fejl">Filen {esc(doc.path)} har fejl</h1>'
            '<div class="admonition failure"><p class="admonition-title">Siden bliver ikke udgivet, '
            f'før fejlene er rettet</p><ul>{items}</ul></div>\n')


def municipality_page(name: str, cases: list[Document], page_url: str) -> str:
    """A municipality's page: its cases."""
    return (f'<h1 id="kommune">{esc(name)} Kommune</h1>\n'
            f'<p>Cases fra {esc(name)} Kommune i Værktøjskassen:</p>{_doc_links(cases, page_url, indexed=False)}\n')


def municipality_index(index: SiteIndex, page_url: str) -> str:
    """The list of municipalities with cases, with counts."""
    v = vocab.load("municipalities")
    items = "".join(
        f'<li><a href="{esc(rel(page_url, f"kommuner/{v.get(name).slug}/"))}">{esc(name)}</a> '
        f'({len(cases)} {"case" if len(cases) == 1 else "cases"})</li>'
        for name, cases in index.cases_by_municipality.items())
    return ('<h1 id="kommuner">Kommuner</h1>\n<p>Kommuner, der har delt cases i Værktøjskassen.</p>'
            f'<ul class="vk-columns">{items}</ul>\n')


_HEADING_RE = re.compile(r"<(h[2-6])(?=[\s>])")


def story_not_indexed(html: str) -> str:
    """A case's converted story with every heading, and so every section under it, marked for
    the search to leave out: cases are found by their facts (title, description, municipality,
    year, approach, areas, roles, contact, results, methods, source and tags), not by every word of
    the story (see README, "Performance")."""
    return _HEADING_RE.sub(lambda m: f"<{m.group(1)}{NOT_INDEXED}", html)


def case_search_entry(doc: Document, index: SiteIndex, page_url: str) -> dict:
    """A case's one entry in Material's search index, made from its data: what the search would
    take from the page once the story is left out (title, description, facts, results, methods and
    source), without parsing the page's HTML again. Text is escaped as Material's indexer escapes it."""
    m = doc.meta

    def text(value) -> str:
        return escape(str(value), quote=False)

    facts = [("Kommune", text(m["municipality"]))]
    if "year" in m:
        facts.append(("År", text(m["year"])))
    facts += [("Tilgang", text(vocab.load("approaches").label_of(m["approach"]))),
              ("Område", ", ".join(text(vocab.load("areas").label_of(a)) for a in m["areas"])),
              ("Hvem var med", "<ul>" + "".join(f"<li>{text(r)}</li>" for r in m["roles"]) + "</ul>"),
              ("Kontakt", text(m["contact"])),
              ("Det kom der ud af", "<ul>" + "".join(f"<li>{text(r)}</li>" for r in m["results"]) + "</ul>"),
              ("Metoder i casen", ", ".join(text(index.methods[s].meta["title"])
                                            for s in m["methods"] if s in index.methods)),
              ("Kilde", text(m["source"].get("title") or f'{m["source"]["organisation"]}: {m["source"]["document"]}'))]
    return {"location": page_url, "title": text(m["title"]),
            "text": f"<p>{text(m['description'])}</p> " + " ".join(f"{k} {v}" for k, v in facts),
            "tags": [str(t) for t in m["tags"]]}


# ---------------------------------------------------------------------------------------------
# Generated HTML held out of Python-Markdown

class HeldHtml:
    """Generated HTML kept out of Python-Markdown while one page converts, then put back.

    Markdown passes raw HTML blocks through unchanged, but only after parsing every tag of them: on
    a generated page that was half the conversion time, and on /cases/ most of it. Instead the
    page's Markdown carries a placeholder paragraph (`<p>token</p>` after conversion, exactly where
    Markdown would have put the raw block) and `restore` swaps the HTML in. The tokens carry a
    random part, so contributed text cannot imitate one.
    """

    def __init__(self):
        self.chunks: list[str] = []
        self.nonce = secrets.token_hex(6)

    def hold(self, html: str) -> str:
        """The placeholder that stands for `html` in the Markdown."""
        self.chunks.append(html)
        return f"VKHELD{self.nonce}N{len(self.chunks) - 1}X"

    def restore(self, html: str) -> str:
        """The converted page with every placeholder replaced by its HTML."""
        for i, chunk in enumerate(self.chunks):
            token = f"VKHELD{self.nonce}N{i}X"
            paragraph = f"<p>{token}</p>"
            html = html.replace(paragraph if paragraph in html else token, chunk, 1)
        return html

    def mark_not_indexed(self, html: str) -> str:
        """The converted page with each placeholder paragraph wrapped in an element the search
        leaves out, for `restore_marked` to swap for its HTML once the search has read the page:
        the search then never parses (or cleans up after) the long generated lists."""
        for i in range(len(self.chunks)):
            paragraph = f"<p>VKHELD{self.nonce}N{i}X</p>"
            html = html.replace(paragraph, f"<div{NOT_INDEXED}>{paragraph}</div>", 1)
        return html

    def restore_marked(self, html: str) -> str:
        """`restore` for a page that went through `mark_not_indexed` (and perhaps the search, which
        strips the data-search-exclude="true" marks it has read; the held HTML gets the same)."""
        for i, chunk in enumerate(self.chunks):
            paragraph = f"<p>VKHELD{self.nonce}N{i}X</p>"
            for wrapped in (f"<div{NOT_INDEXED}>{paragraph}</div>", f"<div>{paragraph}</div>", paragraph):
                if wrapped in html:
                    html = html.replace(wrapped, chunk.replace(NOT_INDEXED, ""), 1)
                    break
        return html

    def anchor_ids(self) -> set[str]:
        """The ids in the held HTML (MkDocs checks links to anchors against a page's ids)."""
        return {unescape(i) for chunk in self.chunks for i in _ID_RE.findall(chunk)}


_ID_RE = re.compile(r'<[a-zA-Z][^>]*?\sid="([^"]*)"')
_held: HeldHtml | None = None


def hold_macro_html(held: HeldHtml | None) -> None:
    """Hold the HTML of the catalogue macros in `held` from now on (None: stop); the hook sets it per page."""
    global _held
    _held = held


def held(html: str) -> str:
    """`html`, or its placeholder while the page being converted holds its generated HTML."""
    return _held.hold(html) if _held is not None else html


def hold_around(held_html: HeldHtml, markdown: str, inner: str) -> str:
    """A generated page's Markdown with the HTML before and after `inner` (the contributed Markdown,
    which stands between blank lines) held out. Markdown ends the first raw block with a line break,
    so the held head does too; the output is byte for byte what Markdown makes of the whole."""
    head, sep, tail = markdown.partition(f"\n\n{inner}\n\n")
    if not sep or not head or not tail.strip():
        return markdown
    return f"{held_html.hold(head + chr(10))}\n\n{inner}\n\n{held_html.hold(tail.rstrip(chr(10)))}\n"


# ---------------------------------------------------------------------------------------------
# Filter pages (the complete list works without JavaScript; filter.js adds the facets)

def _facet_html(facet: Facet, counts: dict[str, int], prefix: str) -> str:
    options = []
    for oid, label in facet.options:
        n = counts.get(oid, 0)
        input_id = f"{prefix}-{facet.id}-{oid}"
        options.append(
            f'<li><input type="checkbox" id="{esc(input_id)}" name="{esc(facet.id)}" value="{esc(oid)}">'
            f'<label for="{esc(input_id)}">{esc(label)} <span class="vk-count">({n})</span></label></li>')
    return (f'<fieldset class="vk-facet" data-facet="{esc(facet.id)}"><legend>{esc(facet.label)}</legend>'
            f'<ul>{"".join(options)}</ul></fieldset>')


def _item_html(doc: Document, facets: list[Facet], page_url: str, summary: str, search: str) -> str:
    data = "".join(f' data-{facet.id}="{esc(" ".join(facet.values(doc)))}"' for facet in facets)
    return (f'<li class="vk-item" data-slug="{esc(doc.slug)}" data-q="{esc(search.casefold())}"{data}>'
            f'<h2><a href="{esc(rel(page_url, doc.url))}">{esc(doc.meta["title"])}</a></h2>'
            f'<p>{esc(doc.meta["description"])}</p><p class="vk-item-facts">{esc(summary)}</p></li>')


def _catalogue(kind: str, docs: list[Document], facets: list[Facet], page_url: str, noun: tuple[str, str],
               summaries, texts, print_link: bool) -> str:
    counts = {f.id: {} for f in facets}
    for doc in docs:
        for f in facets:
            for oid in set(f.values(doc)):
                counts[f.id][oid] = counts[f.id].get(oid, 0) + 1
    facet_html = "".join(_facet_html(f, counts[f.id], kind) for f in facets)
    items = "".join(_item_html(d, facets, page_url, summaries(d), texts(d)) for d in docs)
    printing = (f'<a class="md-button" id="vk-print-shown" href="{esc(rel(page_url, "udskriv/"))}">'
                'Udskriv de viste kort</a>') if print_link else ""
    return (
        f'<div class="vk-filter"{NOT_INDEXED} data-kind="{kind}" data-noun="{esc(noun[0])}" '
        f'data-nouns="{esc(noun[1])}">'
        f'<form class="vk-facets" hidden role="search" aria-label="Filtrér {esc(noun[1])}">'
        f'<p class="vk-search"><label for="{kind}-q">Søg i {esc(noun[1])}</label>'
        f'<input type="search" id="{kind}-q" name="q" autocomplete="off"></p>'
        f'<details class="vk-facet-details" open><summary>Filtre</summary>{facet_html}</details>'
        f'<p><button type="reset" class="md-button">Nulstil</button></p></form>'
        f'<div class="vk-results"><p class="vk-status" role="status" aria-live="polite">'
        f'{len(docs)} {esc(noun[1] if len(docs) != 1 else noun[0])}</p>{printing}'
        f'<noscript class="vk-all"><ul class="vk-list">{items}</ul></noscript>'
        f'<p class="vk-empty" hidden>Ingen {esc(noun[1])} passer til filteret. Fjern et valg, eller tryk '
        '“Nulstil”.</p></div></div>')


def method_summary(doc: Document) -> str:
    """One line of facts for a list: time, participants, difficulty."""
    m = doc.meta
    return (f"Tid: {minutes(m['duration'])} · Deltagere: {people(m['participants'])} · "
            f"Sværhedsgrad: {vocab.load('difficulty').label_of(m['difficulty'])}")


def searchable_text(doc: Document) -> str:
    """The metadata the free-text filter searches: title, description, tags and vocabulary labels."""
    m = doc.meta
    words = [m["title"], m["description"], *m["tags"]]
    for f in doc.ctype.fields:
        if f.vocabulary and f.name in m:
            values = m[f.name] if isinstance(m[f.name], list) else [m[f.name]]
            words += [vocab.load(f.vocabulary).label_of(v) for v in values]
    return " ".join(str(w) for w in words)


def method_catalogue(index: SiteIndex, page_url: str) -> str:
    """The /metoder/ list with its facets."""
    docs = sorted(index.methods.values(), key=lambda d: str(d.meta["title"]).casefold())
    return held(_catalogue("metoder", docs, method_facets(), page_url, ("metode", "metoder"),
                           method_summary, searchable_text, print_link=True))


def case_summary(doc: Document) -> str:
    """One line of facts for a list: municipality, year, approach."""
    m = doc.meta
    year = f" · {m['year']}" if "year" in m else ""
    return f"{m['municipality']} Kommune{year} · {vocab.load('approaches').label_of(m['approach'])}"


def case_catalogue(index: SiteIndex, page_url: str) -> str:
    """The /cases/ list with its facets."""
    docs = sorted(index.cases.values(), key=lambda d: str(d.meta["title"]).casefold())
    return held(_catalogue("cases", docs, case_facets(docs, index.methods), page_url, ("case", "cases"),
                           case_summary, searchable_text, print_link=False))


# ---------------------------------------------------------------------------------------------
# Vocabularies and glossary

def vocabulary_table(name: str) -> str:
    """A table of a vocabulary's labels and explanations."""
    v = vocab.load(name)
    rows = "".join(f"<tr><td>{esc(t.label)}</td><td>{esc(t.description)}</td></tr>" for t in v.terms)
    return f'<table><thead><tr><th>{esc(v.label)}</th><th>Betydning</th></tr></thead><tbody>{rows}</tbody></table>'


def glossary() -> str:
    """The glossary as a definition list, one anchor per term."""
    v = vocab.load("glossary")
    rows = []
    for t in sorted(v.terms, key=lambda t: t.value.casefold()):
        source = t.extra.get("source")
        note = f' <span class="vk-muted">(Kilde: {esc(source)})</span>' if source else ""
        rows.append(f'<dt id="{esc(t.slug)}">{esc(t.value)}</dt><dd>{esc(t.description)}{note}</dd>')
    return f'<dl class="vk-glossary">{"".join(rows)}</dl>'


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
    """Link the first use of each glossary term in a page's running text to its explanation.

    Running text is the text between two tags, outside links, code, headings, labels and the like;
    each stretch of it links at most one term: the longest one not yet linked on the page, where it
    first occurs in the stretch. Only the places where a term occurs are looked at, and only the
    tags that open or close a skipped element are followed.
    """
    try:
        patterns = _glossary_patterns()
    except FileNotFoundError:
        return html
    positions = _term_positions(html, patterns)
    wanted = {patterns[k][0].slug for _, k in positions}
    done: set[str] = set()
    stack: list[str] = []
    tags = (m for m in _SKIP_TAG_RE.finditer(html) if not m.group(0).endswith("/>"))
    tag = next(tags, None)
    token_end, emitted, out, href = -1, 0, [], None
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
        match = pattern.match(html, best_at)
        href = href or esc(rel(page_url, glossary_url))
        out += [html[emitted:best_at], f'<a class="vk-term" href="{href}#{term.slug}" '
                f'title="Se forklaringen i ordlisten">{match.group(1)}</a>']
        emitted = match.end()
        done.add(term.slug)
        if len(done) == len(wanted):
            break
    return "".join(out) + html[emitted:] if out else html


# ---------------------------------------------------------------------------------------------
# Print deck and workshop plan

def deck_card(doc: Document, page_url: str, card_url: str, qr: str, facets: list[Facet]) -> str:
    """One method card as it prints: title, lead, key facts, materials, purpose, steps, tips, QR code."""
    m = doc.meta
    data = "".join(f' data-{facet.id}="{esc(" ".join(facet.values(doc)))}"' for facet in facets)
    facts = [(k, v) for k, v in method_facts(doc, page_url) if k in PRINTED_FACTS]
    minutes_default = m["duration"]["min"]
    return "\n".join([
        f'<article class="vk-deck-card" data-slug="{esc(doc.slug)}" data-title="{esc(m["title"])}" '
        f'data-minutes="{minutes_default}" data-q="{esc(searchable_text(doc).casefold())}"{data} markdown="1">',
        f'<h2 class="vk-deck-title" id="kort-{esc(doc.slug)}">{esc(m["title"])}</h2>',
        f'<p class="vk-lead">{esc(m["description"])}</p>',
        facts_panel(facts, "Nøgletal for metoden"),
        f'<div class="vk-prep"><div><h3>Materialer</h3>{_list(m["materials"])}</div></div>',
        "",
        wrap_sections(doc.body.strip(), level=3,
                      skip=tuple(n for n in model.METHOD.sections if n not in model.PRINTED_SECTIONS)),
        "",
        print_footer(card_url, qr),
        "</article>",
    ])


def card_deck(index: SiteIndex, page_url: str, site_url: str, qr) -> str:
    """Every method card in print form, for /udskriv/ and the workshop plan; filter.js picks the cards."""
    facets = method_facets()
    docs = sorted(index.methods.values(), key=lambda d: str(d.meta["title"]).casefold())
    cards = [deck_card(d, page_url, site_url + d.url, qr(site_url + d.url), facets) for d in docs]
    ids = " ".join(f.id for f in facets)
    return f'<div class="vk-deck" data-facets="{ids}" markdown="1">\n\n' + "\n\n".join(cards) + "\n\n</div>"
