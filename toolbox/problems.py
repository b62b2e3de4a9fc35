"""Problems found in contributed files, and how a contributed value is quoted in a message.

A message is always one line: a value quoted in it has its line breaks, control characters and
invisible or direction-changing characters written as visible escapes, and it is shortened when it
is long. So a contributed value can neither forge a second line (such as a GitHub Actions workflow
command, `::error`) nor hide what it contains.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

QUOTE_MAX = 80   # characters of a contributed value quoted in a message

# Characters that change or hide what a reader sees: bidirectional controls and zero-width marks.
INVISIBLE = {
    "\u200b": "et usynligt mellemrum", "\u200c": "et usynligt tegn", "\u200d": "et usynligt tegn",
    "\u2060": "et usynligt tegn", "\ufeff": "et usynligt tegn (BOM)",
    "\u202a": "et tegn, der ændrer tekstretningen", "\u202b": "et tegn, der ændrer tekstretningen",
    "\u202c": "et tegn, der ændrer tekstretningen", "\u202d": "et tegn, der ændrer tekstretningen",
    "\u202e": "et tegn, der vender tekstretningen", "\u2066": "et tegn, der ændrer tekstretningen",
    "\u2067": "et tegn, der ændrer tekstretningen", "\u2068": "et tegn, der ændrer tekstretningen",
    "\u2069": "et tegn, der ændrer tekstretningen", "\u061c": "et tegn, der ændrer tekstretningen",
    "\u200e": "et tegn, der ændrer tekstretningen", "\u200f": "et tegn, der ændrer tekstretningen",
}


def code_point(ch: str) -> str:
    """'U+202E' for a character."""
    return f"U+{ord(ch):04X}"


def is_forbidden(ch: str) -> bool:
    """Whether a character may not stand in contributed text: control characters other than tab
    and line break (C0, DEL, C1), and the invisible and direction-changing characters above."""
    if ch in "\t\n":
        return False
    return ch in INVISIBLE or unicodedata.category(ch) == "Cc"


def shown(value, limit: int = QUOTE_MAX) -> str:
    """A contributed value as it may be quoted in a one-line message: line breaks, tabs, control
    and invisible characters escaped (\\n, U+202E), shortened to `limit` characters with '…'."""
    text = str(value)
    if len(text) > limit * 4:
        text = text[: limit * 4]
    out = []
    for ch in text:
        if ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\u00a0":
            out.append(" ")
        elif is_forbidden(ch) or unicodedata.category(ch) in ("Zl", "Zp", "Cf", "Cs", "Co", "Cn"):
            out.append(f"[{code_point(ch)}]")
        else:
            out.append(ch)
    quoted = "".join(out)
    return quoted if len(quoted) <= limit else quoted[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, at one line, in Danish."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        """`path:line: message` on one line, whatever the message quotes."""
        return f"{shown(self.path, 200)}:{self.line}: {one_line(self.message)}"


def one_line(message: str) -> str:
    """A message with anything that would break or hide a line escaped (values are quoted with
    `shown` already; this is the last guard for the ones that are not)."""
    if all(ch.isprintable() or ch == " " for ch in message):
        return message
    return shown(message, limit=len(message) + 1)
