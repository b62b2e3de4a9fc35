"""The site plan: everything the site is made of, worked out from the content alone.

`plan_site(root, site_url)` reads and validates methods/ and cases/ and returns a `SitePlan`: each
generated page (its URL, source for the edit link, title, description, tags, the contributed
Markdown, the HTML before and after it, the plain text the search should index), the fragments
hand-written pages embed, the data files (open data, schemas, and the finished pages at renamed
cards' former addresses) and every problem. It imports no site generator: adapters
(toolbox.mkdocs_hook, toolbox.static_export) turn the plan into an engine's pages.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from html import unescape
from pathlib import Path
from typing import Callable


from . import chooser, csp, export, identity, markup, model, render, vocab
from .cache import ContentCache, digest
from .loader import Document, load_with_cache, reserved_slugs
from .problems import Problem
from .qr import qr_svg
from .site import SiteIndex, build_index, public_url
from .text import split_front_matter
from .validate import WORKSHEETS, former_slugs, placeholder_problems, templates, validate_document, worksheet_slugs

_ID_RE = re.compile(r'\sid="([^"]*)"')
_WRAPPER_RE = re.compile(r"^\s*(<div[^>]*\bmarkdown\b[^>]*>|</div>)\s*$")


@dataclass(frozen=True)
class Page:
    """A generated page. `markdown` is the contributed text (converted by the engine, then passed
    to `SitePlan.finish`); `head` and `tail` are the generated HTML around it."""

    src_uri: str                 # the engine's source path, e.g. metoder/world-cafe.md
    url: str                     # metoder/world-cafe/
    kind: str                    # method | case | broken | municipality | municipalities | case-list
    title: str
    description: str = ""
    tags: tuple[str, ...] = ()
    edit_path: str | None = None     # the file a visitor would edit, relative to the repository
    markdown: str = ""
    head: str = ""
    tail: str = ""
    search_text: str = ""
    document: Document | None = field(default=None, compare=False, repr=False)
    indexed: bool = True         # False: left out of the site search (a list of pages found on their own)

    @property
    def anchors(self) -> set[str]:
        """The ids in the generated HTML (engines check links to anchors against a page's ids)."""
        return {unescape(i) for i in _ID_RE.findall(self.head + self.tail)}


@dataclass
class Finished:
    """A generated page's final HTML, what cleaning the engine's conversion took away, and its
    section headings (level, id, text) for the engine's table of contents."""

    html: str
    problems: list[Problem]
    headings: list[tuple[int, str, str]] = field(default_factory=list)


_HEADING_RE = re.compile(r'<h([23])[^>]*\sid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)


def headings(html: str) -> list[tuple[int, str, str]]:
    """The h2 and h3 headings with ids in finished HTML, as (level, id, text)."""
    return [(int(level), unescape(hid), unescape(re.sub(r"<[^>]+>", "", text)).strip())
            for level, hid, text in _HEADING_RE.findall(html)]


@dataclass
class SitePlan:
    """The whole site as data."""

    root: Path
    site_url: str
    repository: str                              # where the content lives (edit and new-file links)
    branch: str
    index: SiteIndex
    pages: dict[str, Page]                       # by src_uri
    data: dict[str, Callable[[], str]]           # file path in the site -> its content, made when asked
    problems: list[Problem]
    editors: dict | None = None                  # who reads contributions: {name, email} (forms.editors_of)
    cache: ContentCache | None = field(default=None, repr=False, compare=False)

    # ---- pages ---------------------------------------------------------------------------

    def finish(self, src_uri: str, converted: str) -> Finished:
        """A generated page's final HTML from the engine's conversion of its Markdown: sanitised,
        its sections marked (method cards), joined with the generated HTML and the glossary linked.
        If cleaning took anything away, the page shows its problems instead (and they are returned)."""
        page = self.pages[src_uri]
        if page.kind not in ("method", "case"):
            return Finished(page.head + page.tail, [])
        clean = self._sanitised(converted)
        if clean is None:
            doc = page.document
            losses = markup.lost(converted, markup.sanitise(converted))
            problems = sorted({Problem(doc.path, doc.body_line, markup.describe(loss)) for loss in losses},
                              key=lambda p: p.message)
            return Finished(render.error_page(doc.path, problems), problems)
        if page.kind == "method":
            body = render.method_body(page.document, clean, page.url, worksheets=self.worksheets)
        else:
            body = clean
        html = f"{page.head}\n{body}\n{page.tail}"
        return Finished(render.with_glossary_links(html, self._glossary_links(html), page.url), [],
                        headings(html))

    def _sanitised(self, converted: str) -> str | None:
        """The engine's conversion cleaned by the sanitiser, or None if cleaning took something away
        (markup.lost). The verdict on the same HTML in an earlier build comes from the cache: the
        HTML is the key, and the cached value is the sanitiser's own output."""
        key = digest("sanitised", converted) if self.cache is not None and self.cache.enabled else None
        entry = self.cache.get(key) if key else None
        if isinstance(entry, dict) and "clean" in entry:
            clean = entry["clean"]
            if clean is True:
                return converted                   # the sanitiser returned it unchanged
            if clean is None or isinstance(clean, str):
                return clean
        clean = markup.sanitise(converted)
        if markup.lost(converted, clean):
            clean = None
        if key:
            self.cache.put(key, {"clean": True if clean == converted else clean})
        return clean

    def _glossary_links(self, html: str) -> list[tuple[int, int, str]]:
        """render.glossary_links of a finished page, from the cache for the same HTML."""
        key = digest("glossary", html) if self.cache is not None and self.cache.enabled else None
        entry = self.cache.get(key) if key else None
        if isinstance(entry, dict) and isinstance(entry.get("links"), list):
            try:
                links = [(int(a), int(b), str(c)) for a, b, c in entry["links"]]
                ends = [0] + [b for _, b, _ in links]
                if all(ends[i] <= a < b <= len(html) for i, (a, b, _) in enumerate(links)):
                    return links
            except (TypeError, ValueError):
                pass
        links = render.glossary_links(html)
        if key:
            self.cache.put(key, {"links": [list(link) for link in links]})
        return links

    def save_cache(self) -> None:
        """Keep this build's cache entries for the next build (see toolbox.cache)."""
        if self.cache is not None:
            self.cache.save()

    # ---- fragments for hand-written pages ------------------------------------------------

    def method_catalogue(self, page_url: str) -> str:
        """The filterable list of method cards."""
        return render.method_catalogue(self.index, page_url)

    def case_catalogue(self, page_url: str) -> str:
        """The filterable list of cases."""
        return render.case_catalogue(self.index, page_url)

    def card_deck(self, page_url: str) -> str:
        """Every method card in print form (the print deck and the workshop plan), from the cache
        when the method cards and the worksheets are the same files as before (it shows nothing
        of the cases)."""
        def make() -> str:
            return render.card_deck(self.index, page_url, self.site_url, qr_svg, self.card_body, self.worksheets,
                                    self.worksheet_html)
        if self.cache is None:
            return make()
        methods = [doc.digest for doc in self.index.methods.values()]
        sheets = [digest(slug, text) for slug, text in self._worksheet_sources.items()]
        return self.cache.html(make, "card_deck", page_url, self.site_url, *methods, *sheets)

    def worksheet_html(self, slug: str) -> str:
        """A worksheet's content converted and sanitised for the print deck (its page's layout
        wrappers dropped: the deck prints it as a plain A4 sheet)."""
        path = f"{WORKSHEETS}/{slug}.md"
        if path not in self._converted:
            _, body = split_front_matter(self._worksheet_sources[slug])
            body = "\n".join(line for line in body.split("\n")
                              if not _WRAPPER_RE.match(line) and not line.startswith("# "))   # the deck titles it
            self._converted[path] = markup.render(body)
        return self._converted[path]

    @cached_property
    def _worksheet_sources(self) -> dict[str, str]:
        """The worksheet pages' files (docs/ark/<slug>.md) by slug, read once per build."""
        return {slug: (self.root / WORKSHEETS / f"{slug}.md").read_text(encoding="utf-8")
                for slug in sorted(worksheet_slugs(self.root))}

    @cached_property
    def worksheets(self) -> dict[str, str]:
        """The worksheet pages (docs/ark/<slug>.md) by slug, with their titles."""
        return {slug: str(split_front_matter(text)[0].get("title") or slug)
                for slug, text in self._worksheet_sources.items()}

    def edit_url(self, path: str) -> str | None:
        """Where a visitor suggests a change to a file of the repository (None without a repository)."""
        return f"{self.repository}/edit/{self.branch}/{path}" if self.repository else None

    def card_body(self, doc: Document) -> str:
        """A method card's body converted and sanitised by the toolbox (fragments are HTML); made
        once per build (the print deck is on two pages)."""
        if doc.path not in self._converted:
            self._converted[doc.path] = markup.render(doc.body)
        return self._converted[doc.path]

    @cached_property
    def _converted(self) -> dict[str, str]:
        """Converted bodies of method cards and worksheets by path, made this build."""
        return {}

    def case_form(self, page_url: str) -> str:
        """The form for writing a case in the browser (its configuration is the data file
        forms.CONFIG_PATH)."""
        from . import forms
        methods = [(slug, str(doc.meta["title"])) for slug, doc in self.index.methods.items()]
        form = forms.case_form(self.repository, self.branch, methods, list(self.index.cases),
                               render.rel(page_url, forms.CONFIG_PATH), self.editors)
        return render.with_assets(form, page_url, "case-form.css", "case-form.js")

    def method_chooser(self, page_url: str) -> str:
        """The guided chooser "Find en metode til jeres situation" and its script."""
        html = chooser.chooser_html(list(self.index.methods.values()), page_url)
        return render.with_assets(html, page_url, "chooser.css", "chooser.js")

    def editors_contact(self) -> str:
        """Who the editors are and how to reach them (a paragraph for the pages Om and Bidrag)."""
        from . import forms
        return forms.editors_contact(self.editors, self.repository)

    @cached_property
    def counts(self) -> dict:
        """How many methods, cases and municipalities the toolbox holds."""
        return {"methods": len(self.index.methods), "cases": len(self.index.cases),
                "municipalities": len(self.index.cases_by_municipality)}

    def changed_pages(self, before: "SitePlan") -> list[str]:
        """The pages (src_uri) whose content differs from the plan `before`, added pages included:
        their planned parts, or the document `finish` renders them from (a method's steps)."""
        out = []
        for src, page in self.pages.items():
            old = before.pages.get(src)
            if old is None or page != old or _document_changed(page.document, old.document):
                out.append(src)
        return out

    def changed_content(self, before: "SitePlan", changed: list[str] | None = None) -> set[str]:
        """What differs from the plan `before`, as the kinds FRAGMENT_READS and data_reads name:
        'methods' / 'cases' when a document's front matter or whether it is published changed,
        'method texts' / 'case texts' when only its text did (`changed`: changed_pages(before), if
        the caller has it already)."""
        kinds = set()
        for src in self.changed_pages(before) if changed is None else changed:
            page, old = self.pages[src], before.pages.get(src)
            a, b = page.document, old.document if old else None
            if a is None and b is None:
                continue                      # a page made from other documents (see CHANGES)
            if old is not None and page.kind == old.kind and a is not None and b is not None and a.meta == b.meta:
                kinds |= TEXTS.get(page.kind, set())
            else:
                kinds |= CHANGES.get(page.kind, set()) | (CHANGES.get(old.kind, set()) if old else set())
        for src, page in before.pages.items():
            if src not in self.pages:
                kinds |= CHANGES.get(page.kind, set())
        return kinds

    def fragments(self) -> dict[str, Callable]:
        """The macros hand-written pages call, by name; those that depend on the page take its URL."""
        return {
            "method_catalogue": self.method_catalogue,
            "case_catalogue": self.case_catalogue,
            "card_deck": self.card_deck,
            "case_form": self.case_form,
            "vocabulary_table": lambda page_url, name: render.vocabulary_table(name),
            "glossary": lambda page_url: render.glossary(),
            "counts": lambda page_url: self.counts,
            "vocabulary_values": lambda page_url, name: list(vocab.load(name).terms),
            "contributing": lambda page_url: contributing(self.root),
            "editors_contact": lambda page_url: self.editors_contact(),
            "worksheet_list": lambda page_url: render.worksheet_list(self.worksheets, page_url),
            "municipality_map": lambda page_url: render.municipality_map(self.index, page_url),
            "method_chooser": lambda page_url: self.method_chooser(page_url),
        }


def _document_changed(a: Document | None, b: Document | None) -> bool:
    """Whether two plans' documents for a page differ: by their content digests where both have one
    (the cache is on), else by their parsed state."""
    if a is b:
        return False
    if a is None or b is None:
        return True
    if a.digest and b.digest:
        return a.digest != b.digest
    return a.state() != b.state()


# What each fragment reads of the content besides the project's own files: a hand-written page that
# embeds only fragments that read none of what an edit changed looks the same after it.
FRAGMENT_READS = {
    "method_catalogue": {"methods", "cases"}, "case_catalogue": {"methods", "cases"},
    "card_deck": {"methods", "method texts"},
    "case_form": {"methods", "cases"}, "vocabulary_table": set(), "glossary": set(), "counts": {"methods", "cases"},
    "vocabulary_values": set(), "contributing": set(), "editors_contact": set(), "worksheet_list": set(),
    "municipality_map": {"cases"}, "method_chooser": {"methods"},
}
# A changed page of a kind means a change to this content (a broken page may have been either);
# TEXTS: the same when only the document's text changed, not its front matter. Pages made from
# several documents (municipality pages, the case lists) change because one of those did: they
# name no kind of their own.
CHANGES = {"method": {"methods"}, "case": {"cases"}, "broken": {"methods", "cases"}}
TEXTS = {"method": {"method texts"}, "case": {"case texts"}, "broken": {"method texts", "case texts"}}


def data_reads(path: str) -> set[str]:
    """What a data file (SitePlan.data) is made from, in the kinds of changed_content: the open
    data of each type reads its front matter, the chooser the methods', the case form's
    configuration the method titles and case names; schemas and the vocabulary CSS read none.
    A file not named here reads everything."""
    from . import forms
    if path.startswith("data/metoder.") or path == chooser.DATA_PATH:
        return {"methods"}
    if path.startswith("data/cases."):
        return {"cases"}
    if path == render.CASE_FILTER_DATA:      # the cases' facts and facet values (method slugs, not titles)
        return {"cases"}
    if path == forms.CONFIG_PATH:
        return {"methods", "cases"}
    if path.startswith("schema/") or path == identity.CSS_PATH:
        return set()
    return {"methods", "cases", "method texts", "case texts"}


def contributing(root: Path) -> str:
    """CONTRIBUTING.md without its first-level heading (the contribution guide on /bidrag/)."""
    lines = (root / "CONTRIBUTING.md").read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if line.startswith("# "):
            del lines[i]
            break
    return "\n".join(lines).strip() + "\n"


def _search_text(doc: Document, index: SiteIndex) -> str:
    """The facts a search should index for a page, as plain text: for a case, its description,
    facts, results, methods and source (a case is found by these, not by every word of its story)."""
    text = render.searchable_text(doc)
    if doc.ctype is model.CASE:
        m = doc.meta
        methods = [str(index.methods[s].meta["title"]) for s in m["methods"] if s in index.methods]
        source = m["source"]
        text = " ".join([text, render.municipality_name(m["municipality"]), str(m.get("year", "")),
                         *map(str, m["roles"]), *map(str, m["results"]), *methods, str(m["contact"]),
                         str(source.get("organisation", "")), str(source.get("document", ""))])
    return text


def _case_parts(doc: Document, index: SiteIndex, url: str, cache: ContentCache) -> tuple[str, str]:
    """A case's head and tail (render.case_parts), from the cache when the same case was rendered
    before with the same methods. The key is what render.case_data reads: the file's content
    (doc.digest), its address and the title and description of each method it names; the
    vocabularies and templates are in the cache file's name (cache.code_version)."""
    if not cache.enabled or not doc.digest:
        return render.case_parts(doc, index, url)
    named = [[s, str(index.methods[s].meta["title"]), str(index.methods[s].meta["description"])]
             for s in doc.meta["methods"] if s in index.methods]
    key = digest("case-parts", doc.digest, url, json.dumps(named, ensure_ascii=False))
    entry = cache.get(key)
    if isinstance(entry, dict) and isinstance(entry.get("parts"), list) and len(entry["parts"]) == 2 \
            and all(isinstance(part, str) for part in entry["parts"]):
        return entry["parts"][0], entry["parts"][1]
    head, tail = render.case_parts(doc, index, url)
    cache.put(key, {"parts": [head, tail]})
    return head, tail


def _municipality_head(name: str, cases: list[Document], url: str, index: SiteIndex, cache: ContentCache) -> str:
    """A municipality's page (render.municipality_page), from the cache when its cases and the
    methods they name are the same files as before (their digests are the key)."""
    named = sorted({s for c in cases for s in c.meta["methods"] if s in index.methods})
    parts = [c.digest for c in cases] + [index.methods[s].digest for s in named]
    def make() -> str:
        return render.municipality_page(name, cases, url, index.methods)
    return cache.html(make, "municipality", name, url, *parts)


def _case_list_head(ordered: list[Document], number: int, url: str, cache: ContentCache) -> str:
    """List page `number` of the cases by title (render.case_list_page), from the cache when the
    same files are on it and the list has as many pages as before (its digests are the key)."""
    first = (number - 1) * render.LIST_PAGE
    shown = ordered[first:first + render.LIST_PAGE]
    parts = [d.digest for d in shown]
    def make() -> str:
        return render.case_list_page(ordered, number, url)
    return cache.html(make, "case-list", url, str(number), str(len(ordered)), *parts)


def _document_page(doc: Document, index: SiteIndex, site_url: str, problems: list[Problem],
                   cache: ContentCache) -> Page:
    src_uri = f"{doc.ctype.url_prefix}/{doc.slug}.md"
    url = f"{doc.ctype.url_prefix}/{doc.slug}/"
    if problems:
        return Page(src_uri, url, "broken", f"Fejl i {doc.path}", edit_path=doc.path,
                    head=render.error_page(doc.path, problems), document=doc)
    meta = doc.meta
    if doc.ctype is model.METHOD:
        card_url = site_url + url
        head, tail = render.method_parts(doc, index, url, card_url, qr_svg(card_url))
        kind = "method"
    else:
        head, tail = _case_parts(doc, index, url, cache)
        kind = "case"
    return Page(src_uri, url, kind, str(meta["title"]), str(meta["description"]),
                tuple(str(t) for t in meta["tags"]), doc.path, doc.body.strip(), head, tail,
                _search_text(doc, index), doc)


def _data_files(index: SiteIndex, site_url: str, repository: str, branch: str,
                editors: dict | None = None) -> dict[str, Callable[[], str]]:
    from . import forms
    methods, cases = list(index.methods.values()), list(index.cases.values())

    def case_form_config() -> str:
        titles = [(slug, str(doc.meta["title"])) for slug, doc in index.methods.items()]
        return json.dumps(forms.case_form_config(repository, branch, titles, list(index.cases), editors),
                          ensure_ascii=False, separators=(",", ":"))

    def schema(ctype):
        return lambda: json.dumps(model.json_schema(ctype), ensure_ascii=False, indent=1)
    return {
        "data/metoder.json": lambda: export.to_json(methods, site_url),
        "data/metoder.csv": lambda: export.to_csv(methods, model.METHOD, site_url),
        "data/cases.json": lambda: export.to_json(cases, site_url),
        "data/cases.csv": lambda: export.to_csv(cases, model.CASE, site_url),
        "schema/metode.schema.json": schema(model.METHOD),
        "schema/case.schema.json": schema(model.CASE),
        forms.CONFIG_PATH: case_form_config,
        identity.CSS_PATH: identity.vocabulary_css,
        chooser.DATA_PATH: lambda: json.dumps(chooser.chooser_data(methods), ensure_ascii=False, separators=(",", ":")),
        render.CASE_FILTER_DATA: lambda: render.case_filter_data(index),
    }


def redirect_pages(index: SiteIndex, site_url: str,
                   reserved: frozenset[str] = frozenset()) -> tuple[dict[str, Callable[[], str]], list[Problem]]:
    """A page at each former address of every published method card (its 'former_slugs'), by
    path in the site (metoder/<old>/index.html): printed QR codes and old links keep working after
    a rename. The validator sees to it that no former slug is a current card's or another card's;
    one that a hand-written page uses (`reserved`) is a problem here, and that page stays."""
    pages, problems = {}, []
    for doc in index.methods.values():
        for i, old in former_slugs(doc):
            if old in reserved:
                problems.append(Problem(doc.path, doc.line_of("former_slugs", i),
                                        f"feltet 'former_slugs' (tidligere filnavne): '{old}' kan ikke bruges som "
                                        "tidligere filnavn: navnet er forbeholdt siden selv. Slet linjen."))
                continue
            url = f"{model.METHOD.url_prefix}/{old}/"
            pages[f"{url}index.html"] = (lambda url=url, doc=doc: csp.with_policy(render.redirect_page(
                str(doc.meta["title"]), url, f"{model.METHOD.url_prefix}/{doc.slug}/", site_url)))
    return pages, problems


def _checked(doc: Document, cache: ContentCache, placeholders: dict, version: str) -> list[Problem]:
    """validate_document's problems for `doc` and the texts it kept from its template
    (validate.placeholder_problems), from the cache when the same content was checked against the
    same templates before (`version`: templates_version of `placeholders`)."""
    entry = cache.get(doc.digest) if doc.digest else None
    if isinstance(entry, dict) and isinstance(entry.get("problems"), list) and entry.get("templates") == version:
        try:
            return [Problem(str(a), int(b), str(c)) for a, b, c in entry["problems"]]
        except (TypeError, ValueError):
            pass
    problems = validate_document(doc) + placeholder_problems(doc, placeholders)
    if doc.digest and isinstance(entry, dict):
        cache.put(doc.digest, {**entry, "problems": [[p.path, p.line, p.message] for p in problems],
                               "templates": version})
    return problems


def templates_version(placeholders: dict) -> str:
    """A digest of the templates' texts: a cached check against other templates is not reused."""
    return digest("templates", *(repr(placeholders[folder]) for folder in sorted(placeholders)))


def plan_site(root: Path, site_url: str | None = None, repository: str = "", branch: str = "main",
              editors=None, save_cache: bool = True, cache: ContentCache | None = None) -> SitePlan:
    """Read, validate and plan the whole site under `root` for the public address `site_url`
    (`repository` and `branch`: where contributors edit and add files; `editors`: mkdocs.yml's
    extra.editors, who receive cases by e-mail). The content cache is saved at the end, or, with
    `save_cache=False`, when the caller calls SitePlan.save_cache (an adapter, once the pages are
    finished; `cache`: a ContentCache kept by the caller between plans, as the preview server does)."""
    from . import forms
    root = Path(root)
    site_url = public_url(site_url)
    cache = ContentCache(root) if cache is None else cache
    reserved = reserved_slugs(root)
    docs, unreadable = load_with_cache(root, reserved, cache)
    placeholders = templates(root)
    version = templates_version(placeholders)
    found = {doc.path: _checked(doc, cache, placeholders, version) for doc in docs}
    index = build_index(docs, [p for ps in found.values() for p in ps], worksheet_slugs(root))
    problems = sorted(set(index.problems) | set(unreadable), key=lambda p: (p.path, p.line, p.message))
    by_path: dict[str, list[Problem]] = {}
    for p in index.problems:
        by_path.setdefault(p.path, []).append(p)
    pages: dict[str, Page] = {}
    for doc in index.documents() + list(index.broken.values()):
        page = _document_page(doc, index, site_url, by_path.get(doc.path, []), cache)
        pages[page.src_uri] = page
    municipalities = vocab.load("municipalities")
    pages["kommuner/index.md"] = Page("kommuner/index.md", "kommuner/", "municipalities", "Kommuner",
                                      "Kommuner, der har delt cases i Værktøjskassen.",
                                      head=render.municipality_index(index, "kommuner/"))
    for name, cases in index.cases_by_municipality.items():
        slug = municipalities.get(name).slug
        url = f"kommuner/{slug}/"
        title = render.municipality_name(name)
        pages[f"kommuner/{slug}.md"] = Page(f"kommuner/{slug}.md", url, "municipality", title,
                                            f"Cases fra {title} i Værktøjskassen.",
                                            head=_municipality_head(name, cases, url, index, cache))
    ordered = render.by_title(index.cases.values())
    for number in range(2, render.list_pages(len(ordered)) + 1):
        url = render.case_list_url(number)
        pages[f"{render.CASE_LIST}/{number}.md"] = Page(
            f"{render.CASE_LIST}/{number}.md", url, "case-list",
            f"Alle cases, side {number} af {render.list_pages(len(ordered))}", "Alle cases i Værktøjskassen efter titel.",
            head=_case_list_head(ordered, number, url, cache), indexed=False)
    repository = repository.rstrip("/")
    editors, wrong = forms.editors_of(editors)
    problems += [Problem("mkdocs.yml", 1, message) for message in wrong]
    redirects, clashes = redirect_pages(index, site_url, reserved)
    problems = sorted(set(problems) | set(clashes), key=lambda p: (p.path, p.line, p.message))
    data = {**_data_files(index, site_url, repository, branch, editors), **redirects}
    plan = SitePlan(root, site_url, repository, branch, index, pages, data, problems, editors, cache)
    if save_cache:
        plan.save_cache()
    return plan
