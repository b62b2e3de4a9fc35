"""The privacy guard: contributed files must not carry personal data (GDPR).

It looks for what resembles a CPR number, an e-mail address or a Danish phone number in the front
matter and the body. Official addresses and numbers listed in vocabularies/official_contacts.yml
are allowed.
"""

from __future__ import annotations

import datetime
import re

from . import vocab
from .loader import Document, Problem

CPR_RE = re.compile(r"(?<![\d-])(\d{2})(\d{2})(\d{2})-?(\d{4})(?![\d-])")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE_RE = re.compile(r"(?<![\d+])(?:(?:\+|00)45[\s-]?)?(\d{2}[\s-]?\d{2}[\s-]?\d{2}[\s-]?\d{2}|\d{8})(?![\d])")

YEARS_RE = re.compile(r"(?:19|20)\d\d[\s-]*(?:19|20)\d\d")
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
    allowed = vocab.official_contacts()
    found = []
    for m in CPR_RE.finditer(text):
        if _is_date(m.group(1), m.group(2), m.group(3)) and ("-" in m.group(0) or len(m.group(0)) == 10):
            found.append(f"'{m.group(0)}' ligner et CPR-nummer. {WHY} Slet det; skriv fx 'en borger' i stedet.")
    for m in EMAIL_RE.finditer(text):
        if m.group(0).lower() not in allowed["emails"]:
            found.append(f"'{m.group(0)}' ligner en personlig e-mailadresse. {WHY} Skriv en rolle eller en enhed "
                         "(fx 'Center for Borgerdialog'), eller få adressen godkendt i "
                         "toolbox/vocabularies/official_contacts.yml, hvis det er en fælles postkasse.")
    for m in PHONE_RE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))[-8:]
        if CPR_RE.fullmatch(m.group(0)) or digits in allowed["phones"]:
            continue
        if YEARS_RE.fullmatch(m.group(0).strip()):
            continue  # two years side by side ("2019-2020") are not a phone number
        found.append(f"'{m.group(0).strip()}' ligner et telefonnummer. {WHY} Skriv en rolle eller en enhed, "
                     "eller få nummeret godkendt i toolbox/vocabularies/official_contacts.yml, hvis det er "
                     "kommunens hovednummer.")
    return found


def check_privacy(doc: Document) -> list[Problem]:
    """Every CPR number, e-mail address or phone number in the file, at its line."""
    problems = []
    for key, text in _strings(doc.meta):
        for message in find_personal_data(text):
            problems.append(Problem(doc.path, doc.line_of(*key), message))
    for offset, line in enumerate(doc.body.split("\n")):
        for message in find_personal_data(line):
            problems.append(Problem(doc.path, doc.body_line + offset, message))
    return problems
