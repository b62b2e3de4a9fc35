"""The raw-HTML policy for contributed Markdown.

Contributed text is Markdown, not HTML. A few harmless inline tags are allowed (ALLOWED_TAGS, with
no attributes except `title` on <abbr>); everything else that would reach the page as markup is
rejected with a message: other tags (among them <script>, <iframe>, <object>, <form>, <style>),
event-handler attributes, HTML comments, attribute lists ("{: ... }"), snippet includes, links
whose address is not http(s) or relative (javascript:, data:, vbscript:, file:), and images from
other hosts (they would make visitors' browsers call a third party).
Text inside `code` and fenced code blocks is shown literally by Markdown and is not checked.
"""

from __future__ import annotations

import re

from .loader import Document, Problem

ALLOWED_TAGS = {"abbr": {"title"}, "br": set(), "kbd": set(), "sub": set(), "sup": set(),
                "mark": set(), "small": set(), "s": set(), "del": set(), "ins": set()}
TAG_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9:-]*)([^>]*)>?")
ATTR_RE = re.compile(r"([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*(?:=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
LINK_RE = re.compile(r"(!?)\[[^\]]*\]\(\s*<?([^)\s>]*)")
REFDEF_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
AUTOLINK_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")
SCHEME_RE = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*)\s*:")
INLINE_CODE_RE = re.compile(r"(`+)(.+?)\1")
FENCE_RE = re.compile(r"^\s*(```|~~~)")
SAFE_SCHEMES = {"http", "https"}
# Every rule below needs one of these in the line; a line (or a body) without any is skipped.
_TRIGGERS = ("<", "{", "=", "](", "]:")


def _may_offend(text: str) -> bool:
    return any(t in text for t in _TRIGGERS)


def _code_free_lines(body: str):
    """Yield (offset, line) with fenced blocks dropped and inline code blanked; lines that no rule
    could object to are left out."""
    fenced = False
    for offset, line in enumerate(body.split("\n")):
        if ("`" in line or "~" in line) and FENCE_RE.match(line):
            fenced = not fenced
            continue
        if not fenced and _may_offend(line):
            yield offset, INLINE_CODE_RE.sub(lambda m: " " * len(m.group(0)), line) if "`" in line else line


def check_url(url: str, image: bool) -> str | None:
    """Why a link or image address is not allowed, or None when it is."""
    m = SCHEME_RE.match(url)
    scheme = m.group(1).lower() if m else ""
    if scheme and scheme not in SAFE_SCHEMES and scheme != "mailto":
        return (f"adressen '{url}' er ikke tilladt: links skal begynde med https:// eller http:// "
                "eller pege på en side i Værktøjskassen.")
    if image and scheme:
        return (f"billedet '{url}' ligger på en anden server. Billeder skal ligge i projektet, "
                "fordi sidens besøgende ellers sender data til en tredjepart.")
    return None


def check_markup(doc: Document) -> list[Problem]:
    """Every piece of disallowed markup in the body, one problem per finding."""
    problems = []

    def add(offset: int, message: str) -> None:
        problems.append(Problem(doc.path, doc.body_line + offset, message))

    if not _may_offend(doc.body):
        return problems

    for offset, line in _code_free_lines(doc.body):
        if "<!--" in line:
            add(offset, "HTML-kommentarer ('<!-- ... -->') er ikke tilladt i bidrag; slet dem.")
        if "--8<--" in line:
            add(offset, "'--8<--' (indsæt en anden fil) er ikke tilladt i bidrag.")
        if "{#" in line:
            add(offset, "'{#' er ikke tilladt i bidrag (det bruges til skabeloner og attributlister); "
                        "skriv teksten uden '{#'.")
        elif re.search(r"\{\s*[:.#]|\{[^{}]*=", line):
            add(offset, "attributlister som '{: ... }' er ikke tilladt i bidrag; skriv almindelig tekst.")
        for m in TAG_RE.finditer(line):
            name = m.group(2).lower()
            attrs = m.group(3) or ""
            if name not in ALLOWED_TAGS:
                add(offset, f"HTML-tagget '<{name}>' er ikke tilladt. Skriv med Markdown i stedet; tilladt er "
                            f"kun {', '.join('<' + t + '>' for t in ALLOWED_TAGS)}.")
                continue
            for attr in ATTR_RE.finditer(attrs.strip(" /")):
                attr_name = attr.group(1).lower()
                if attr_name.startswith("on"):
                    add(offset, f"attributten '{attr_name}' i '<{name}>' kan køre kode og er ikke tilladt.")
                elif attr_name not in ALLOWED_TAGS[name]:
                    add(offset, f"attributten '{attr_name}' i '<{name}>' er ikke tilladt.")
        if re.search(r"\bon[a-z]+\s*=", line) and not TAG_RE.search(line):
            add(offset, "'on...=' (en hændelse, der kan køre kode) er ikke tilladt i bidrag.")
        for m in LINK_RE.finditer(line):
            reason = check_url(m.group(2), image=bool(m.group(1)))
            if reason:
                add(offset, reason)
        for m in AUTOLINK_RE.finditer(line):
            reason = check_url(m.group(1), image=False)
            if reason:
                add(offset, reason)
        m = REFDEF_RE.match(line)
        if m:
            reason = check_url(m.group(1), image=False)
            if reason:
                add(offset, reason)
    return problems
