"""Contributed Markdown to published HTML: converted, then cleaned by a real sanitiser.

The guarantee is `sanitise`: nh3 (the Python binding of Ammonia, html5ever's parser) keeps only the
tags, attributes and URL schemes of the allow-list below, whatever the source looked like, and every
adapter passes contributed HTML through it. `lost` compares the HTML before and after cleaning and
names what the page would lose; `check_markup` converts a file's body with markdown-it (CommonMark)
and turns each loss into a Danish `path:line` message. Those messages help contributors; they are
not what keeps a page safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

import nh3

from .problems import Problem, shown

# What contributed Markdown may become. Everything else is dropped by the sanitiser (script and
# style with their content).
TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
    "dl", "dt", "dd", "div", "abbr", "kbd", "sub", "sup", "mark", "small", "s", "del", "ins",
}
ATTRIBUTES = {
    "a": {"href", "title"}, "img": {"src", "alt", "title"}, "abbr": {"title"}, "ol": {"start"},
    "code": {"class"},
    "th": {"style", "align"}, "td": {"style", "align"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
}
CLASSES = {"div": {"admonition", "note", "tip", "info", "warning", "example", "quote", "abstract",
                   "success", "question", "failure", "danger", "bug"},
           "p": {"admonition-title"}}
SCHEMES = {"http", "https", "mailto"}
# The HTML a contributor may write by hand (the rest of TAGS comes from Markdown syntax); the
# validator's messages and the case form name these.
INLINE_HTML = ("abbr", "br", "kbd", "sub", "sup", "mark", "small", "s", "del", "ins")
# A tag as the case form looks for it on a line (the form's friendly check; the sanitiser decides).
TAG_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9:-]*)([^>]*)>?")
STYLE_PROPERTIES = {"text-align"}
DROPPED_WITH_CONTENT = {"script", "style"}
# Heading ids the Markdown converter makes from heading text; anything else (an id chosen to clobber
# one of the theme's own, such as '__search') is dropped.
ID_RE = re.compile(r"^[a-zæøå0-9][a-zæøå0-9_-]{0,80}$")
# The class a fenced code block gets for its language (```python).
LANGUAGE_RE = re.compile(r"^language-[a-z0-9_+#-]{1,30}$")
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    """Images only from this site (a relative address), ids only of the converter's own form."""
    if element == "img" and attribute == "src":
        text = value.strip()
        return None if text.startswith(("//", "\\")) or _SCHEME_RE.match(text) else value
    if attribute == "id":
        return value if ID_RE.match(value) else None
    if element == "code" and attribute == "class":
        return value if LANGUAGE_RE.match(value) else None
    return value


def sanitise(html: str) -> str:
    """`html` with only the allow-list's tags, attributes, classes and URL schemes left."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, allowed_classes=CLASSES, url_schemes=SCHEMES,
                     clean_content_tags=DROPPED_WITH_CONTENT, filter_style_properties=STYLE_PROPERTIES,
                     attribute_filter=_attribute_filter, strip_comments=True, link_rel=None)


# ---------------------------------------------------------------------------------------------
# What cleaning took away

@dataclass(frozen=True)
class Loss:
    """Something the sanitiser removed: a tag, an attribute of a tag, or a comment."""

    tag: str
    attribute: str | None = None
    value: str | None = None


class _Tags(HTMLParser):
    """The start tags (with attributes) and comments of an HTML fragment, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.items.append((tag, {k: (v or "") for k, v in attrs}))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data):
        self.items.append(("!--", {}))

    def handle_decl(self, decl):
        self.items.append(("!--", {}))

    def handle_pi(self, data):
        self.items.append(("?", {}))

    def unknown_decl(self, data):
        self.items.append(("!--", {}))


def _tags(html: str) -> list[tuple]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.items


def _style(value: str) -> set[tuple[str, str]]:
    return {(k.strip().lower(), v.strip()) for k, _, v in (p.partition(":") for p in value.split(";")) if k.strip()}


WINDOW = 64   # how far ahead a kept tag is looked for among the original ones


def lost(before: str, after: str) -> list[Loss]:
    """What `after` (the sanitised HTML) lacks of `before`: dropped tags and comments, and the
    attributes dropped or changed on the tags it kept. The sanitiser only removes, so the kept tags
    are found in order among the original ones."""
    if before == after:
        return []
    old, new = _tags(before), _tags(after)
    losses, i = [], 0
    for tag, attrs in new:
        j = next((k for k in range(i, min(len(old), i + WINDOW)) if old[k][0] == tag), None)
        if j is None:
            continue                      # a tag the HTML parser added (tbody, say): nothing lost
        losses += [Loss(t) for t, _ in old[i:j]]
        for name, value in old[j][1].items():
            if name not in attrs:
                losses.append(Loss(tag, name, value))
            elif name == "style" and _style(value) != _style(attrs[name]):
                losses.append(Loss(tag, name, value))
        i = j + 1
    losses += [Loss(t) for t, _ in old[i:]]
    return losses


def describe(loss: Loss) -> str:
    """A Danish sentence on what a loss means and what to write instead."""
    if loss.tag in ("!--", "?"):
        return "HTML-kommentarer og -erklæringer ('<!-- ... -->') er ikke tilladt i bidrag; slet dem."
    if loss.attribute is None:
        if loss.tag == "h1":
            return "overskrifter med ét '#' er ikke tilladt; sidens titel kommer fra 'title'. Brug '## ' eller '### '."
        allowed = ", ".join(f"<{t}>" for t in INLINE_HTML)
        return (f"HTML-tagget '<{shown(loss.tag, 30)}>' er ikke tilladt og bliver fjernet. Skriv med Markdown i stedet; "
                f"af HTML er kun {allowed} tilladt.")
    name, value = loss.attribute, shown(loss.value or "", 60)
    if name.startswith("on"):
        return f"attributten '{shown(name, 30)}' i '<{loss.tag}>' kan køre kode og er ikke tilladt."
    if loss.tag == "img" and name == "src":
        return (f"billedet '{value}' ligger på en anden server, og det er ikke tilladt: sidens besøgende ville "
                "sende data til en tredjepart. Læg billedet i projektet, eller slet det.")
    if name in ("href", "src", "action", "formaction", "xlink:href"):
        return (f"adressen '{value}' er ikke tilladt: links skal begynde med https://, http:// eller mailto: "
                "eller pege på en side i Værktøjskassen.")
    if name == "`":
        return (f"'`' i HTML-tagget '<{shown(loss.tag, 30)}>' er ikke tilladt: koden bliver en del af tagget. "
                "Skriv tagget uden '`', eller skriv teksten uden HTML.")
    if name == "id":
        return (f"id'et '{value}' er ikke tilladt (attributlister som '{{#...}}' må ikke bruges); skriv "
                "overskriften uden.")
    return (f"attributten '{shown(name, 30)}' i '<{shown(loss.tag, 30)}>' er ikke tilladt (attributlister som "
            "'{: ... }' og HTML-attributter må ikke bruges); skriv almindelig tekst.")


# ---------------------------------------------------------------------------------------------
# Messages for contributors

_TRIGGER_RE = re.compile(r"[<&{]|\]\s*[(:\[]|^ {0,3}#(?!#)", re.MULTILINE)


@lru_cache(maxsize=1)
def _converter():
    """CommonMark with tables, made to read a body the way the site's Markdown does where that
    matters for safety: every link address kept as written (not percent-encoded or refused), so
    the sanitiser, not the converter, decides on it. (An unclosed fence, which CommonMark and
    Python-Markdown read differently, is a validation problem of its own: validate.check_markdown.)"""
    from markdown_it import MarkdownIt
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.validateLink = lambda url: True
    md.normalizeLink = lambda url: url
    return md


def _line_of(source_lines: list[str], start: int, end: int, loss: Loss) -> int:
    """The line (0-based) where a loss is written: within its block if it is there (a reference
    link's address may stand elsewhere in the body), else the block's first line."""
    needles = [loss.value or "", loss.attribute or ""] if loss.attribute else ["<" + loss.tag]
    if loss.tag == "!--":
        needles = ["<!"]
    for lo, hi in ((start, end), (0, len(source_lines))):
        for needle in filter(None, needles):
            low = needle.lower()
            for n in range(lo, min(hi, len(source_lines))):
                if low in source_lines[n].lower():
                    return n
    return start


# How Python-Markdown finds code spans and inline raw HTML (markdown/inlinepatterns.py, BACKTICK_RE
# and HTML_RE). CommonMark reads some tag-like text as text that Python-Markdown passes through as
# HTML (a '/' between tag name and attribute, '\\<', a code span inside a tag), so the inline source
# is also read the way Python-Markdown reads it.
PY_MARKDOWN_CODE_RE = re.compile(r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)(`+)(.+?)(?<!`)\2(?!`))", re.DOTALL)
PY_MARKDOWN_HTML_RE = re.compile(r"(<(\/?[a-zA-Z][^<>@ ]*( [^<>]*)?|!--(?:(?!<!--|-->).)*--)>)", re.DOTALL)
_CODE_MARK = "\x02"


def _raw_inline_losses(content: str) -> list[Loss]:
    """What the sanitiser would take from the raw HTML Python-Markdown finds in an inline source."""
    if "<" not in content:
        return []
    text = PY_MARKDOWN_CODE_RE.sub(_CODE_MARK, content).replace("\\<", "<")
    losses = []
    for m in PY_MARKDOWN_HTML_RE.finditer(text):
        tag = m.group(1)
        name = re.match(r"</?([a-zA-Z][a-zA-Z0-9:-]*)", tag)
        if _CODE_MARK in tag and name:
            losses.append(Loss(name.group(1).lower(), "`", tag))
        else:
            losses += lost(tag, sanitise(tag))
    return losses


def check_markup(path: str, body: str, body_line: int) -> list[Problem]:
    """A problem at its line for each thing in the body that the published page would lose:
    the body converted as CommonMark, block by block, then sanitised and compared.
    A body with nothing that could turn into disallowed HTML is not converted at all."""
    if not _TRIGGER_RE.search(body):
        return []
    md = _converter()
    tokens = md.parse(body)
    source_lines = body.split("\n")
    problems, seen = [], set()
    i = 0
    while i < len(tokens):
        # One top-level block: from an opening token at level 0 to its closing token.
        j = i
        if tokens[i].nesting == 1:
            depth = 0
            for j in range(i, len(tokens)):
                depth += tokens[j].nesting
                if depth == 0:
                    break
        block = tokens[i:j + 1]
        start, end = (block[0].map or [0, 0])
        html = md.renderer.render(block, md.options, {})
        losses = lost(html, sanitise(html))
        for token in block:
            if token.type == "inline":
                losses += [loss for loss in _raw_inline_losses(token.content) if loss not in losses]
        for loss in losses:
            line = body_line + _line_of(source_lines, start, end, loss)
            message = describe(loss)
            if (line, message) not in seen:
                seen.add((line, message))
                problems.append(Problem(path, line, message))
        i = j + 1
    return problems


def convert(body: str) -> str:
    """A body converted as CommonMark, not yet sanitised (the toolbox's own converter, for the
    static export and the print deck; SitePlan.finish and `render` sanitise it)."""
    return _converter().render(body)


def render(body: str) -> str:
    """A body converted as CommonMark and sanitised."""
    return sanitise(convert(body))
