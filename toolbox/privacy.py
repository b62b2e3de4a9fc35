"""The privacy guard: contributed files must not carry personal data (GDPR).

It looks for what resembles a CPR number, an e-mail address or a Danish phone number in the front
matter and the body. Official addresses and numbers listed in vocabularies/official_contacts.yml
are allowed.
"""

from __future__ import annotations

import bisect
import datetime
import re

from . import vocab
from .loader import Document, Problem

CPR_RE = re.compile(r"(?<![\d-])(\d{2})(\d{2})(\d{2})-?(\d{4})(?![\d-])")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# Separators are spaces, tabs or hyphens, never a line break: a number is looked for within a line.
PHONE_RE = re.compile(r"(?<![\d+])(?:(?:\+|00)45[ \t-]?)?(\d{2}[ \t-]?\d{2}[ \t-]?\d{2}[ \t-]?\d{2}|\d{8})(?![\d])")

YEARS_RE = re.compile(r"(?:19|20)\d\d[ \t-]*(?:19|20)\d\d")
# Nothing above can match without eight digits in a row (separators aside) or an '@': a text
# without either is skipped at once.
_CANDIDATE_RE = re.compile(r"@|\d(?:[ \t-]?\d){7}")
WHY = ("Cases og metodekort er offentlige, og persondata må ikke stå i dem (GDPR).")


def _is_date(dd: str, mm: str, yy: str) -> bool:
    try:
        datetime.date(2000 + int(yy), int(mm), int(dd))
        return True
    except ValueError:
        return False


def _strings(value, key=()):
    """Every string in a front matter value, with the key path that leads to it."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, key + (i,))
    elif isinstance(value, dict):
        for k, item in value.items():
            yield from _strings(item, key + (str(k),))


def find_personal_data(text: str) -> list[str]:
    """Danish messages for each thing in `text` that looks like personal data."""
    return [message for _, message in _findings(text)]


def _findings(text: str) -> list[tuple[int, str]]:
    """(offset, Danish message) for each thing in `text` that looks like personal data, in the
    order: CPR numbers, e-mail addresses, phone numbers."""
    if not _CANDIDATE_RE.search(text):
        return []
    allowed = vocab.official_contacts()
    found = []
    for m in CPR_RE.finditer(text):
        if _is_date(m.group(1), m.group(2), m.group(3)) and ("-" in m.group(0) or len(m.group(0)) == 10):
            found.append((m.start(), f"'{m.group(0)}' ligner et CPR-nummer. {WHY} Slet det; skriv fx 'en borger' i stedet."))
    for m in EMAIL_RE.finditer(text):
        if m.group(0).lower() not in allowed["emails"]:
            found.append((m.start(), f"'{m.group(0)}' ligner en personlig e-mailadresse. {WHY} Skriv en rolle eller en enhed "
                         "(fx 'Center for Borgerdialog'), eller få adressen godkendt i "
                         "toolbox/vocabularies/official_contacts.yml, hvis det er en fælles postkasse."))
    for m in PHONE_RE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))[-8:]
        if CPR_RE.fullmatch(m.group(0)) or digits in allowed["phones"]:
            continue
        if YEARS_RE.fullmatch(m.group(0).strip()):
            continue  # two years side by side ("2019-2020") are not a phone number
        found.append((m.start(), f"'{m.group(0).strip()}' ligner et telefonnummer. {WHY} Skriv en rolle eller en enhed, "
                     "eller få nummeret godkendt i toolbox/vocabularies/official_contacts.yml, hvis det er "
                     "kommunens hovednummer."))
    return found


def check_privacy(doc: Document) -> list[Problem]:
    """Every CPR number, e-mail address or phone number in the file, at its line.

    The body is searched as a whole (the patterns never cross a line break), and each finding gets
    the line its match starts on."""
    problems = []
    for key, text in _strings(doc.meta):
        for message in find_personal_data(text):
            problems.append(Problem(doc.path, doc.line_of(*key), message))
    findings = _findings(doc.body)
    if findings:
        starts = [0] + [i + 1 for i, ch in enumerate(doc.body) if ch == "\n"]
        for offset, message in sorted(findings, key=lambda f: bisect.bisect_right(starts, f[0])):
            line = bisect.bisect_right(starts, offset) - 1
            problems.append(Problem(doc.path, doc.body_line + line, message))
    return problems
