"""The privacy guard: contributed files must not carry personal data (GDPR).

It looks for what resembles a CPR number, an e-mail address or a Danish phone number in the front
matter and the body, in the forms people type them: with spaces, dots, dashes or no-break spaces,
with +45 or 0045, with '[at]' or '(at)' for '@', percent-encoded in a mailto: link or as '&#64;'.
Official addresses and numbers listed in vocabularies/official_contacts.yml are allowed.

Each pattern is a regular expression that Python's re and JavaScript's RegExp (with the "u" flag)
read the same way, because the case form in the browser (docs/assets/js/case-form.js) runs the
very same sources: character classes are spelled out (never \\d, \\s or \\w, which mean more in
Python than in JavaScript), no inline flags, no named groups, lookbehinds of fixed width. Every
pattern starts only where a word or a number starts and reads a bounded number of characters from
there, so the work is linear in the length of the text, whatever the text. What a regular
expression cannot say simply (a valid date, two years side by side, the official lists) is checked
afterwards, in the same way here and in the browser.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata

from . import vocab
from .loader import Document, Problem, strings

# Character classes (the inside of [...]), written out so that both engines see the same code points.
# Spaces inside a number: space, tab, no-break space, figure space, thin space, narrow no-break space.
_SPACE = r" \t\u00A0\u2007\u2009\u202F"
# Dashes: hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash, em dash, minus sign.
_DASH = r"\-\u2010\u2011\u2012\u2013\u2014\u2212"
# Letters beyond ASCII (Latin-1 and Latin Extended, Greek, Cyrillic, ... CJK, Hangul), without the
# blocks of punctuation, symbols and spaces (U+2000-U+2BFF, U+2E00-U+303F), so that quotes,
# dashes and no-break spaces still end a word: "søren@københavn.dk" is one address.
_LETTER = (r"\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u1FFF\u2C00-\u2DFF\u3040-\uD7FF"
           r"\uF900-\uFDCF\uFDF0-\uFDFF\uFE70-\uFEFE")
_LOCAL = r"A-Za-z0-9._%+\-" + _LETTER     # what an address's local part is made of
_LABEL = r"A-Za-z0-9\-" + _LETTER         # what a domain label is made of
_GAP = f"[{_SPACE}]{{0,3}}"               # a few spaces around an obfuscated '@' or '.'

# '@' as people write it: the sign itself (also full-width and small), ' @ ' with spaces, '%40' in
# a mailto: link, an HTML entity, or an English or Danish word in brackets: '[at]', '(at)', '{at}',
# '<at>', '(snabel-a)', '[@]'. A bare 'at' is not one: it is one of the commonest Danish words.
AT = (r"@|\uFF20|\uFE6B|" + f"[{_SPACE}]{{1,3}}@[{_SPACE}]{{1,3}}" + r"|%40|&#0{0,3}64;|&#[Xx]0{0,3}40;|&commat;|"
      + _GAP + r"[\[({<]" + _GAP + r"(?:[Aa][Tt]|@|[Ss][Nn][Aa][Bb][Ee][Ll]-?[Aa])" + _GAP + r"[\])}>]" + _GAP)
# '.' in a domain: the dot itself or a word in brackets: '[dot]', '(dot)', '[punktum]', '[.]'.
DOT = (r"\.|" + _GAP + r"[\[({<]" + _GAP + r"(?:[Dd][Oo][Tt]|[Pp][Uu][Nn][Kk][Tt][Uu][Mm]|\.)" + _GAP
       + r"[\])}>]" + _GAP)
# A top-level domain: letters only (2-63), or an IDN in its xn-- form.
_TLD = f"(?:[A-Za-z{_LETTER}]{{2,63}}|[Xx][Nn]--[A-Za-z0-9\\-]{{1,59}})"

# An e-mail address: groups (local part, the '@' as written, domain as written). It starts only
# where a word starts (the lookbehind), reads at most 64 characters before the '@' (the most a
# local part may have) and at most 127 labels of at most 63 characters after it, and the domain
# ends in a top-level domain that is not followed by more of a label.
EMAIL_RE = re.compile(
    f"(?<![{_LOCAL}])([{_LOCAL}]{{1,64}})({AT})"
    f"([{_LABEL}]{{1,63}}(?:(?:{DOT})[{_LABEL}]{{1,63}}){{0,125}}(?:{DOT}){_TLD})(?![{_LABEL}])")
DOT_RE = re.compile(DOT)

# A CPR number: DDMMYY, DD.MM.YY, DD-MM-YY or DD/MM/YY (the same separator twice: group 2), then
# nothing, a dash or a space, then four digits. Groups: day, separator, month, year, serial. Not
# when it is part of a longer number: no digit next to it, nor a digit behind a dash, dot, comma
# or slash (a case number like "2019-010190-1234"). Whether DDMMYY is a date is checked afterwards.
_TIGHT = f"[.,/{_DASH}]"
CPR_RE = re.compile(
    f"(?<![0-9])(?<![0-9]{_TIGHT})([0-3][0-9])([./\\-]?)([01][0-9])\\2([0-9]{{2}})"
    f"[{_SPACE}{_DASH}]?([0-9]{{4}})(?![0-9])(?!{_TIGHT}[0-9])")

# A Danish phone number: eight digits, the first not 0 (Danish numbers never begin with 0; '00'
# begins a foreign one), written 2-2-2-2 (one kind of separator throughout: spaces, dots or dashes,
# so "10.00-12.00" is a time, not a number), 4-4 with a space (never a dash: "2500-3000" is a range)
# or 8 in a row. Optionally behind +45, 0045, (+45), (0045), or 45 and a separator. Groups: the
# prefix with its separator, the number. Not when it is part of a longer number: no digit (or '+')
# right next to it, nor a digit one separator away ("12 34 56 78 90" is not a phone number).
_SEP = f"[{_SPACE}.,{_DASH}]"
PHONE_RE = re.compile(
    f"(?<![0-9+])(?<![0-9]{_SEP})"
    f"((?:\\+[{_SPACE}]?45|0045|\\(\\+?45\\)|\\(0045\\)|45(?=[{_SPACE}.{_DASH}]))[{_SPACE}.{_DASH}]?)?"
    f"([1-9][0-9](?:[{_SPACE}][0-9]{{2}}[{_SPACE}][0-9]{{2}}[{_SPACE}][0-9]{{2}}"
    f"|\\.[0-9]{{2}}\\.[0-9]{{2}}\\.[0-9]{{2}}"
    f"|[{_DASH}][0-9]{{2}}[{_DASH}][0-9]{{2}}[{_DASH}][0-9]{{2}}"
    f"|[0-9]{{2}}[{_SPACE}][0-9]{{4}}|[0-9]{{6}}))"
    f"(?![0-9])(?!{_SEP}[0-9])")

# Hints, for speed only: the lines the full patterns are run on. Each begins with a character class,
# which lets Python's re skip ahead to the next candidate character instead of trying the full
# pattern at every position. Every number above has eight digits with at most one character
# between them; every address has one of the forms of '@' (the lookbehinds tell which character
# the class matched). The hints never cross a line break, and neither do the patterns.
_NUMBER_HINT_RE = re.compile(r"[0-9](?:[^0-9\n]?[0-9]){7}")
_AT_HINT_RE = re.compile(
    r"[@\uFF20\uFE6B%&\[({<](?:(?<=[@\uFF20\uFE6B])|(?<=%)40|(?<=&)(?:#|commat;)"
    f"|(?<=[\\[({{<])[{_SPACE}]{{0,3}}(?:[Aa][Tt]|@|[Ss][Nn][Aa][Bb]))")

KINDS = ("cpr", "email", "phone")  # the order of two findings at the same place
WHY = "Cases og metodekort er offentlige, og persondata må ikke stå i dem (GDPR)."
MESSAGES = {
    "cpr": "'{value}' ligner et CPR-nummer. " + WHY + " Slet det; skriv fx 'en borger' i stedet.",
    "email": "'{value}' ligner en personlig e-mailadresse. " + WHY + " Skriv en rolle eller en enhed "
             "(fx 'Center for Borgerdialog'), eller få adressen godkendt i "
             "toolbox/vocabularies/official_contacts.yml, hvis det er en fælles postkasse.",
    "phone": "'{value}' ligner et telefonnummer. " + WHY + " Skriv en rolle eller en enhed, eller få "
             "nummeret godkendt i toolbox/vocabularies/official_contacts.yml, hvis det er kommunens "
             "hovednummer.",
}
SHOWN_MAX = 80  # a message quotes at most this many characters of what it found
# Characters a message shows as their code point, [U+200B]: controls, format characters (zero-width,
# direction marks), line and paragraph separators, surrogates, private use and unassigned ones.
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def _is_date(day: int, month: int, year: int) -> bool:
    """Whether day/month/year is a date in the Gregorian calendar."""
    if not 1 <= month <= 12 or day < 1:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return day <= (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]


def _shown(value: str) -> str:
    """The found text as a message quotes it, on one line and with nothing hidden: tab and line
    breaks as \\t, \\n, \\r, a no-break space as a space, other hidden characters as [U+XXXX],
    shortened to SHOWN_MAX characters with '…' (the same rules as toolbox/problems.shown)."""
    out = []
    for ch in value[:SHOWN_MAX * 4]:
        if ch in "\t\n\r":
            out.append({"\t": "\\t", "\n": "\\n", "\r": "\\r"}[ch])
        elif ch == "\u00a0":
            out.append(" ")
        elif unicodedata.category(ch) in _HIDDEN:
            out.append(f"[U+{ord(ch):04X}]")
        else:
            out.append(ch)
    quoted = "".join(out)
    return quoted if len(quoted) <= SHOWN_MAX else quoted[:SHOWN_MAX - 1] + "…"


def _not_a_phone(number: str) -> bool:
    """Whether a phone-shaped number without a country code is something else: two years side by
    side ("2019 2020", "20192020") or a date written without separators ("20190312", "12032019")."""
    if not "0" <= number[2] <= "9":
        return False  # 2-2-2-2 is how phone numbers are written, and nothing else is
    digits = "".join(ch for ch in number if "0" <= ch <= "9")
    first, last = int(digits[:4]), int(digits[4:])
    if 1900 <= first <= 2099 and 1900 <= last <= 2099:
        return True
    if len(number) == 8:
        year_first = 1900 <= first <= 2099 and _is_date(int(digits[6:]), int(digits[4:6]), first)
        year_last = 1900 <= last <= 2099 and _is_date(int(digits[:2]), int(digits[2:4]), last)
        return year_first or year_last
    return False


def _lines(hint: re.Pattern, text: str):
    """(start, end) of each line of `text` on which `hint` finds something, each line once."""
    pos = 0
    while (m := hint.search(text, pos)) is not None:
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        end = len(text) if end == -1 else end
        yield start, end
        pos = end + 1


def _matches(text: str) -> list[tuple[int, str, str]]:
    """(offset, kind, found text) for each thing in `text` that looks like personal data, kind being
    'cpr', 'email' or 'phone', in the order they occur."""
    found: list[tuple[int, str, str]] = []
    taken: list[tuple[int, int]] = []  # spans of CPR numbers and addresses: not phone numbers too
    allowed = vocab.official_contacts()
    for start, end in _lines(_AT_HINT_RE, text):
        for m in EMAIL_RE.finditer(text, start, end):
            taken.append(m.span())
            address = f"{m.group(1)}@{DOT_RE.sub('.', m.group(3))}".lower()
            if address not in allowed["emails"]:
                found.append((m.start(), "email", m.group(0)))
    lines = list(_lines(_NUMBER_HINT_RE, text))
    for start, end in lines:
        for m in CPR_RE.finditer(text, start, end):
            # A two-digit year is read as 20YY, so 29 February passes whenever YY is divisible by 4.
            if _is_date(int(m.group(1)), int(m.group(3)), 2000 + int(m.group(4))):
                found.append((m.start(), "cpr", m.group(0)))
                taken.append(m.span())
    # A phone number overlaps a taken span if one starting before its end ends after its start.
    taken.sort()
    starts = [s for s, _ in taken]
    reach = list(itertools.accumulate((e for _, e in taken), max))
    for start, end in lines:
        for m in PHONE_RE.finditer(text, start, end):
            before = bisect.bisect_left(starts, m.end())
            if before and reach[before - 1] > m.start():
                continue  # part of a CPR number or an address, reported as that
            if not m.group(1) and _not_a_phone(m.group(2)):
                continue
            digits = "".join(ch for ch in m.group(2) if "0" <= ch <= "9")
            if digits not in allowed["phones"]:
                found.append((m.start(), "phone", m.group(0)))
    found.sort(key=lambda f: (f[0], KINDS.index(f[1])))
    return found


MASK = "•"


def masked(kind: str, value: str) -> str:
    """What a message may quote of personal data it found: enough to find it on its line, not
    enough to repeat it (messages end up in CI logs and on preview pages). Digits after the first
    two become '•'; an address keeps the first letter before '@' and the domain. `value` is the
    text as shown (toolbox.problems.shown's rules), whose [U+XXXX] escapes are kept."""
    if kind == "email":
        at = max(value.find("@"), 0)
        cut = next((m.start() for m in re.finditer(r"@|\[at\]|\(at\)|\{at\}|%40|&#64;|&#x40;|&commat;|＠|﹫", value, re.I)), at)
        return (value[:1] + MASK * 3 + value[cut:]) if cut > 0 else value
    out, digits = [], 0
    for part in re.split(r"(\[U\+[0-9A-F]{4,6}\])", value):   # a shown code point stays as it is
        if part.startswith("[U+"):
            out.append(part)
            continue
        for ch in part:
            if "0" <= ch <= "9":
                digits += 1
                out.append(ch if digits <= 2 else MASK)
            else:
                out.append(ch)
    return "".join(out)


def _findings(text: str) -> list[tuple[int, str]]:
    """(offset, Danish message) for each thing in `text` that looks like personal data, in the
    order they occur, the data itself masked."""
    return [(offset, MESSAGES[kind].format(value=masked(kind, _shown(value))))
            for offset, kind, value in _matches(text)]


def find_personal_data(text: str) -> list[str]:
    """Danish messages for each thing in `text` that looks like personal data."""
    return [message for _, message in _findings(text)]


def browser_config() -> dict:
    """What the case form needs to run the same checks in the browser: the pattern sources and the
    official lists (docs/assets/js/case-form.js reads them)."""
    official = vocab.official_contacts()
    return {
        "cpr": CPR_RE.pattern,
        "email": EMAIL_RE.pattern,
        "phone": PHONE_RE.pattern,
        "dot": DOT_RE.pattern,
        "shown_max": SHOWN_MAX,
        "official_emails": sorted(official["emails"]),
        "official_phones": sorted(official["phones"]),
    }


def check_privacy(doc: Document) -> list[Problem]:
    """Every CPR number, e-mail address or phone number in the file, at its line: a front matter
    value's at the line of its key, the body's at the line the finding starts on."""
    problems = []
    for key, text in strings(doc.meta, numbers=True):
        for message in find_personal_data(text):
            problems.append(Problem(doc.path, doc.line_of(*key), message))
    # The patterns never cross a line break, so the body is searched as a whole.
    line, counted = doc.body_line, 0
    for offset, message in _findings(doc.body):
        line += doc.body.count("\n", counted, offset)
        counted = offset
        problems.append(Problem(doc.path, line, message))
    return problems
