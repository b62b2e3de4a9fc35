"""Read contributed files into front matter, body and a map from keys to lines, with bounded work.

Reading never raises on a contributor's file and never follows it anywhere: every problem becomes a
`Problem` with a line. The bounds hold whatever a file contains: a file is read only when it is a
regular file (not a link, a folder or a pipe) of at most MAX_BYTES; front matter may hold no YAML
anchors, aliases or tags and no deeper nesting than MAX_DEPTH, so parsing it is linear in its size.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .model import TYPES, ContentType
from .problems import INVISIBLE, Problem, code_point, is_forbidden, shown
from .text import slugify

__all__ = ["Document", "Problem", "parse", "read", "scan", "load_all", "strings", "MAX_BYTES", "MAX_LINE"]

MAX_BYTES = 200 * 1024      # a case or a card is a few KB; 200 KB leaves room for any honest one
MAX_LINE = 5_000            # characters on one line (a long paragraph written without line breaks)
MAX_DEPTH = 4               # levels of lists and fields inside each other in front matter
MAX_REPORTED = 5            # forbidden characters reported per file, the rest counted
TEMPLATE = "_skabelon.md"
# Files an operating system or editor leaves behind: ignored, not reported.
LITTER = {".DS_Store", ".gitkeep", "Thumbs.db", "desktop.ini"}
# Slugs that would collide with pages the site has under every prefix ("side": the folder of the
# cases' list pages, /cases/side/2/).
RESERVED = {"index", "tags", "search", "assets", "404", "sitemap", "data", "schema", "side"}


def reserved_slugs(root: Path) -> frozenset[str]:
    """RESERVED and the slugs taken by hand-written pages under the generated pages' prefixes."""
    taken = set(RESERVED)
    for ctype in TYPES.values():
        folder = root / "docs" / ctype.url_prefix
        if folder.is_dir():
            taken |= {p.stem if p.suffix == ".md" else p.name for p in folder.iterdir()}
    return frozenset(taken)


@dataclass
class Document:
    """A parsed method card or case."""

    path: str                    # relative to the project root, with '/'
    ctype: ContentType
    slug: str
    meta: dict = field(default_factory=dict)
    body: str = ""
    body_line: int = 1           # line number of the first body line
    lines: dict = field(default_factory=dict)   # (key,) / (key, index) / (key, subkey) -> line
    problems: list = field(default_factory=list)
    unreadable: bool = False     # no usable front matter: the field checks are skipped
    digest: str = ""             # the content's cache key (toolbox.cache.key)

    def state(self) -> dict:
        """The parsed document as JSON data (for the content cache)."""
        return {"path": self.path, "folder": self.ctype.folder, "slug": self.slug, "meta": self.meta,
                "body": self.body, "body_line": self.body_line, "unreadable": self.unreadable,
                "lines": [[list(k), v] for k, v in self.lines.items()],
                "problems": [[p.path, p.line, p.message] for p in self.problems]}

    @classmethod
    def from_state(cls, state: dict, digest: str) -> "Document":
        """A document back from `state` (raises on anything that is not one)."""
        return cls(path=state["path"], ctype=TYPES[state["folder"]], slug=state["slug"], meta=dict(state["meta"]),
                   body=state["body"], body_line=int(state["body_line"]),
                   lines={tuple(k): int(v) for k, v in state["lines"]},
                   problems=[Problem(str(a), int(b), str(c)) for a, b, c in state["problems"]],
                   unreadable=bool(state["unreadable"]), digest=digest)

    @property
    def url(self) -> str:
        """The page's URL path, e.g. metoder/world-cafe/."""
        return f"{self.ctype.url_prefix}/{self.slug}/"

    def line_of(self, *key) -> int:
        """The line of a key (or list item), falling back to its parent, then line 1."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return 1

    def problem(self, message: str, *key) -> None:
        """Record a problem at the line of `key`."""
        self.problems.append(Problem(self.path, self.line_of(*key), message))


# ---------------------------------------------------------------------------------------------
# Text

def _decode(raw: bytes) -> tuple[str | None, int | None]:
    """Text without BOM and with LF line endings, or the line of the first non-UTF-8 byte."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return None, raw[: err.start].count(b"\n") + 1
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


_SUSPECT_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(INVISIBLE) + "]")


def _character_problems(path: str, text: str) -> list[Problem]:
    """Control characters, NUL and invisible or direction-changing characters, at their lines."""
    problems, count = [], 0
    for m in _SUSPECT_RE.finditer(text):
        ch = m.group(0)
        if not is_forbidden(ch):
            continue
        count += 1
        if count <= MAX_REPORTED:
            what = INVISIBLE.get(ch, "et kontroltegn")
            line = text.count("\n", 0, m.start()) + 1
            problems.append(Problem(path, line, f"linjen indeholder {what} ({code_point(ch)}), som ikke kan "
                                    "ses, men ændrer, hvordan teksten vises eller læses. Slet tegnet (skriv "
                                    "ordene omkring det igen, hvis du ikke kan se det)."))
    if count > MAX_REPORTED:
        problems.append(Problem(path, 1, f"filen har {count - MAX_REPORTED} flere usynlige tegn eller "
                                "kontroltegn end dem, der er nævnt; slet dem alle."))
    return problems


def _long_lines(path: str, lines: list[str]) -> list[Problem]:
    """Lines longer than MAX_LINE characters (the first few)."""
    found = [(i + 1, len(line)) for i, line in enumerate(lines) if len(line) > MAX_LINE]
    return [Problem(path, n, f"linjen er for lang ({size} tegn; højst {MAX_LINE} pr. linje). Del teksten i "
                    "flere linjer eller afsnit.") for n, size in found[:MAX_REPORTED]]


# ---------------------------------------------------------------------------------------------
# Front matter

class _Loader(yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans only ('no' and 'on' stay text), dates kept as text (an
    impossible date such as 2023-02-29 is then a value the validator explains, not a crash), and
    numbers too long to be a number kept as text."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers
          if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool",
                              re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _construct_int(loader, node):
    """An integer of at most 18 digits; anything longer stays text (Python refuses very long ones)."""
    digits = sum(ch.isdigit() for ch in node.value)
    if digits > 18:
        return node.value
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:
        return node.value


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)

YAML_PROBLEMS = {
    "could not find expected ':'": "der mangler et kolon efter et feltnavn",
    "found unexpected end of stream": "et anførselstegn eller en parentes bliver aldrig lukket",
    "mapping values are not allowed here": "et kolon står et sted, hvor det ikke må stå",
    "found character '\\t' that cannot start any token": "der er brugt tabulator; brug mellemrum",
    "found character that cannot start any token": "en linje begynder med et tegn, der ikke må stå der",
    "expected ',' or ']', but got": "en liste i [ ] er ikke lukket rigtigt",
    "did not find expected ',' or ']'": "en liste i [ ] er ikke lukket rigtigt",
    "expected <block end>, but found": "indrykningen passer ikke",
    "did not find expected key": "indrykningen passer ikke",
    "found undefined alias": "'*' i starten af en værdi skal stå i anførselstegn",
    "found duplicate anchor": "'&' i starten af en værdi skal stå i anførselstegn",
}


def _yaml_problem(problem: str) -> str:
    """PyYAML's English problem text in Danish, where we know it."""
    for english, danish in YAML_PROBLEMS.items():
        if problem.startswith(english):
            return danish
    return "teksten følger ikke YAML-reglerne"


_OPEN = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken,
         yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)
_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def _token_problems(front: str) -> list[tuple[int, str]]:
    """(YAML line, Danish message) for anchors, aliases, tags and too deep nesting, found by the
    scanner alone (linear; nothing is built). Empty when the scanner itself fails: the parse reports that."""
    found, depth = [], 0
    try:
        for token in yaml.scan(front, Loader=_Loader):
            line = token.start_mark.line
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                sign = "&" if isinstance(token, yaml.AnchorToken) else "*"
                found.append((line, f"YAML-anker og henvisninger ('{sign}{shown(token.value, 30)}') er ikke "
                                    f"tilladt i front matter. Skriv værdien ud, og sæt den i anførselstegn, hvis "
                                    f"den begynder med '{sign}'."))
            elif isinstance(token, yaml.TagToken):
                handle, suffix = token.value
                found.append((line, f"YAML-mærket '{shown((handle or '') + (suffix or ''), 40)}' er ikke tilladt "
                                    "i front matter. Slet det, og sæt værdien i anførselstegn, hvis den begynder "
                                    "med '!'."))
            elif isinstance(token, _OPEN):
                depth += 1
                if depth > MAX_DEPTH:
                    found.append((line, f"front matter er indlejret for dybt (mere end {MAX_DEPTH} niveauer af "
                                        "lister og felter i hinanden). Se skabelonen for, hvordan felterne skrives."))
                    break
            elif isinstance(token, _CLOSE):
                depth -= 1
            if len(found) >= MAX_REPORTED:
                break
    except yaml.YAMLError:
        return found
    return found


def _load(front: str):
    """The front matter's node tree (for line numbers) and its data."""
    loader = _Loader(front)
    try:
        node = loader.get_single_node()
        return (None, None) if node is None else (node, loader.construct_document(node))
    finally:
        loader.dispose()


def _map_lines(node, offset: int, lines: dict, duplicates: list) -> None:
    """Record the line of each top-level key, list item and nested key."""
    if not isinstance(node, yaml.MappingNode):
        return
    seen = set()
    for key_node, value_node in node.value:
        key = str(key_node.value)
        line = key_node.start_mark.line + offset
        if key in seen:
            duplicates.append((key, line))
        seen.add(key)
        lines[(key,)] = line
        if isinstance(value_node, yaml.SequenceNode):
            for i, item in enumerate(value_node.value):
                lines[(key, i)] = item.start_mark.line + offset
                if isinstance(item, yaml.MappingNode):
                    for sub_key, _ in item.value:
                        lines[(key, i, str(sub_key.value))] = sub_key.start_mark.line + offset
        elif isinstance(value_node, yaml.MappingNode):
            for sub_key, _ in value_node.value:
                lines[(key, str(sub_key.value))] = sub_key.start_mark.line + offset


# Keys a line of front matter may begin with: the fields and the keys inside them.
_KEYS = {f.name for ctype in TYPES.values() for f in ctype.fields} | {
    "min", "max", "minutes", "do", "title", "url", "organisation", "document"}
# Spaces that look like a space but are not one to YAML: no-break space (Word puts one after a colon
# in some languages), narrow no-break, figure, thin and ideographic space.
_ODD_SPACES = {"\u00a0": "et hårdt mellemrum", "\u202f": "et smalt hårdt mellemrum",
               "\u2007": "et tal-mellemrum", "\u2009": "et tyndt mellemrum", "\u3000": "et bredt mellemrum"}
_KEY_LINE_RE = re.compile(r"^([ \u00a0\u202f\u2007\u2009\u3000]*(?:- )?)([A-Za-z_]{1,20}):(.?)")


def _line_slips(front_lines: list[str]) -> list[tuple[int, str]]:
    """(YAML line, Danish message) for slips that break YAML on a line a person can see is right:
    no space after a key's colon ('year:2022') and odd spaces from Word before or after it."""
    found = []
    for index, line in enumerate(front_lines):
        m = _KEY_LINE_RE.match(line)
        if not m or m.group(2) not in _KEYS:
            continue
        indent, key, after = m.groups()
        odd = next((ch for ch in indent + after if ch in _ODD_SPACES), None)
        if odd:
            where = "foran feltnavnet" if odd in indent else f"efter '{key}:'"
            found.append((index, f"{where} står {_ODD_SPACES[odd]} ({code_point(odd)}, typisk fra Word eller "
                                 "en webside). Det ligner et almindeligt mellemrum, men YAML læser det ikke som "
                                 "ét. Slet det, og skriv et almindeligt mellemrum med mellemrumstasten."))
        elif after and not after.isspace():
            value = line[m.end(2) + 1:].strip()
            found.append((index, f"der mangler et mellemrum efter kolon i '{shown(key + ':' + value, 40)}'. "
                                 f"Skriv linjen sådan: {key}: {shown(value, 40)}"))
    return found[:MAX_REPORTED]


def _curly_fix(line: str) -> str:
    """The line with Word's curly quotes around its value made straight."""
    key, sep, value = line.partition(":")
    if not sep:
        return line
    value = value.strip().strip("“”„‘’\"'").strip()
    if '"' in value:   # single quotes then, with a single quote inside written twice (YAML's rule)
        return f"{key.strip()}: '{value.replace(chr(39), chr(39) * 2)}'"
    return f'{key.strip()}: "{value}"'


def _yaml_error(path: str, front_lines: list[str], err: Exception) -> Problem:
    """A YAML error as a Danish problem at its line, naming what Word leaves behind when it is there."""
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    index = mark.line if mark else 0
    line = index + 2
    what = _yaml_problem(str(getattr(err, "problem", None) or err))
    text = front_lines[index] if index < len(front_lines) else ""
    if "\u00a0" in text:
        return Problem(path, line, "linjen indeholder et hårdt mellemrum (fra Word eller en webside), som YAML "
                                   "ikke læser som mellemrum. Slet mellemrummet efter kolon, og skriv et "
                                   "almindeligt mellemrum.")
    if any(q in text for q in "“”„‘’"):
        return Problem(path, line, "linjen har krumme anførselstegn (“ ” fra Word), som YAML ikke læser som "
                                   "anførselstegn; derfor forvirrer kolonet i værdien. Brug lige anførselstegn, "
                                   f"så linjen hedder: {shown(_curly_fix(text), 100)}")
    return Problem(path, line, f"front matter kan ikke læses som YAML ({what}). Tjek kolon efter feltnavnet, "
                               "indrykning med mellemrum (ikke tabulator) og anførselstegn om tekst, der "
                               "indeholder ': ' eller '#'.")


# ---------------------------------------------------------------------------------------------
# Files

def _too_large(path: str, size: int) -> Problem:
    kb = f"{size // 1024:,}".replace(",", ".")   # Danish thousands separator
    return Problem(path, 1, f"filen er {kb} KB; højst {MAX_BYTES // 1024} KB er tilladt. Et metodekort eller en "
                   "case fylder normalt nogle få KB; er der kommet billeder eller kopieret tekst med?")


def parse(path: str, raw: bytes, ctype: ContentType) -> Document:
    """Parse one file's bytes. Problems found while reading are kept on the document."""
    slug = slugify(Path(path).stem)
    doc = Document(path=path, ctype=ctype, slug=slug, unreadable=True)
    if len(raw) > MAX_BYTES:
        doc.problems.append(_too_large(path, len(raw)))
        return doc
    text, bad_line = _decode(raw)
    if text is None:
        doc.problems.append(Problem(path, bad_line, "filen er ikke gemt som UTF-8. Gem den igen som "
                                    "'UTF-8' i din editor (æ, ø og å bliver ellers forkerte)."))
        return doc
    lines = text.split("\n")
    doc.problems += _character_problems(path, text) + _long_lines(path, lines)
    if lines[0].strip() != "---":
        doc.problems.append(Problem(path, 1, "filen mangler front matter: første linje skal være '---', "
                                    "derefter felterne og så en linje med '---'. Se skabelonen "
                                    f"{ctype.folder}/{TEMPLATE}."))
        doc.body = text
        return doc
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        doc.problems.append(Problem(path, 1, "front matter slutter aldrig: tilføj en linje med '---' "
                                    "efter det sidste felt."))
        return doc
    front_lines = lines[1:end]
    front = "\n".join(front_lines)
    doc.body = "\n".join(lines[end + 1:])
    doc.body_line = end + 2
    unsafe = _token_problems(front)
    if unsafe:
        doc.problems += [Problem(path, line + 2, message) for line, message in unsafe]
        return doc
    try:
        node, data = _load(front)
    except yaml.YAMLError as err:
        slips = _line_slips(front_lines)
        doc.problems += ([Problem(path, line + 2, message) for line, message in slips] if slips
                         else [_yaml_error(path, front_lines, err)])
        return doc
    except (ValueError, TypeError, OverflowError, RecursionError) as err:   # a value YAML could not build
        doc.problems.append(Problem(path, 2, f"front matter kan ikke læses ({shown(err, 60)}). Sæt "
                                    "værdier i anførselstegn, og se skabelonen for, hvordan felterne skrives."))
        return doc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        slips = _line_slips(front_lines)
        doc.problems += ([Problem(path, line + 2, message) for line, message in slips] if slips else
                         [Problem(path, 2, "front matter skal bestå af felter på formen 'navn: værdi'.")])
        return doc
    duplicates: list = []
    _map_lines(node, 2, doc.lines, duplicates)  # YAML line 0 is file line 2
    doc.lines[()] = 1
    for key, line in duplicates:
        doc.problems.append(Problem(path, line, f"feltet '{shown(key, 40)}' står mere end én gang; "
                                    "slet den ene, så det er klart, hvilken værdi der gælder."))
    doc.meta = {str(k): v for k, v in data.items()}
    doc.unreadable = False
    doc.problems += _escaped_characters(doc)
    return doc


def strings(value, key=(), *, keys: bool = False, numbers: bool = False, skip=frozenset()):
    """Every string in a front matter value, with the key path that leads to it: with `keys` the
    keys themselves too, with `numbers` a whole number as its digits (an unquoted `contact:
    22334455` is a number to YAML); keys in `skip` (such as 'url') and what is under them left out."""
    if isinstance(value, str):
        yield key, value
    elif numbers and isinstance(value, int) and not isinstance(value, bool):
        yield key, str(value)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from strings(item, key + (i,), keys=keys, numbers=numbers, skip=skip)
    elif isinstance(value, dict):
        for k, item in value.items():
            if k in skip:
                continue
            if keys:
                yield key + (str(k),), str(k)
            yield from strings(item, key + (str(k),), keys=keys, numbers=numbers, skip=skip)


def _escaped_characters(doc: Document) -> list[Problem]:
    """Control and invisible characters written as YAML escapes ("\\u202e") in front matter values:
    the text check cannot see them, the parsed values show them."""
    found = []
    for key, text in strings(doc.meta, keys=True):
        m = _SUSPECT_RE.search(text)
        bad = next((ch for ch in text[m.start():] if is_forbidden(ch)), None) if m else None
        if bad is not None and len(found) < MAX_REPORTED:
            what = INVISIBLE.get(bad, "et kontroltegn")
            found.append(Problem(doc.path, doc.line_of(*key), f"værdien indeholder {what} ({code_point(bad)}), "
                                 "skrevet som en YAML-kode; slet den."))
    return found


class TooLarge(Exception):
    """A file over MAX_BYTES: its size, never read."""

    def __init__(self, size: int):
        super().__init__(size)
        self.size = size


def _read_regular(path: Path) -> bytes:
    """The bytes of a regular file, never following a link and never reading past MAX_BYTES + 1."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise IsADirectoryError(path)
        if info.st_size > MAX_BYTES:
            raise TooLarge(info.st_size)
        chunks, size = [], 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, MAX_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def scan(root: Path, reserved: set[str] = frozenset()) -> tuple[list[tuple[Path, ContentType]], list[Problem]]:
    """The content files under methods/ and cases/, and a problem for everything else found there:
    links, folders, pipes, hidden files, other templates and names the site reserves (`reserved`:
    slugs taken by hand-written pages). Nothing is followed or opened here."""
    files, problems = [], []
    taken = RESERVED | set(reserved)
    for folder, ctype in TYPES.items():
        base = root / folder
        if base.is_symlink() or not base.is_dir():
            continue
        for entry in sorted(os.scandir(base), key=lambda e: e.name):
            rel = f"{folder}/{entry.name}"
            name = entry.name
            if name in LITTER or name == TEMPLATE:
                continue
            if entry.is_symlink():
                problems.append(Problem(rel, 1, "filen er et symbolsk link. Læg selve filen i mappen i stedet "
                                        "for et link til den."))
            elif entry.is_dir(follow_symlinks=False):
                if name.endswith(".md"):
                    problems.append(Problem(rel, 1, "er en mappe, ikke en almindelig fil. Et metodekort eller en "
                                            "case er én .md-fil."))
                else:
                    problems.append(Problem(rel, 1, f"mappen ligger som undermappe i {folder}/, og filer i den "
                                            f"bliver ikke udgivet. Læg filerne direkte i {folder}/."))
            elif not entry.is_file(follow_symlinks=False):
                problems.append(Problem(rel, 1, "er ikke en almindelig fil (men fx en pipe eller en enhed) og "
                                        "kan ikke læses. Slet den."))
            elif name.startswith("."):
                problems.append(Problem(rel, 1, "er en skjult fil (navnet begynder med '.') og bliver ikke "
                                        "udgivet. Giv den et navn uden punktum foran, eller slet den."))
            elif name.startswith("_"):
                problems.append(Problem(rel, 1, f"navne, der begynder med '_', er reserveret til skabelonen "
                                        f"{folder}/{TEMPLATE}. Giv filen et navn uden '_' foran."))
            elif slugify(Path(name).stem) in taken:
                problems.append(Problem(rel, 1, f"navnet '{shown(Path(name).stem, 40)}' er reserveret til en side "
                                        "i Værktøjskassen. Giv filen et andet navn."))
            else:
                files.append((Path(entry.path), ctype))
    return files, problems


def read(path: Path, root: Path, ctype: ContentType | None = None, cache=None) -> Document:
    """Read and parse one file (its type from the folder it lies in, unless given); with a
    toolbox.cache.ContentCache, a file parsed before with the same bytes is not parsed again."""
    rel = os.path.relpath(path, root).replace(os.sep, "/")
    ctype = ctype or TYPES.get(Path(path).parent.name) or TYPES["cases"]
    try:
        raw = _read_regular(path)
    except TooLarge as big:
        doc = Document(rel, ctype, slugify(Path(path).stem), unreadable=True)
        doc.problems.append(_too_large(rel, big.size))
        return doc
    except FileNotFoundError:
        doc = Document(rel, ctype, slugify(Path(path).stem), unreadable=True)
        doc.problems.append(Problem(rel, 1, "filen findes ikke."))
        return doc
    except OSError:
        doc = Document(rel, ctype, slugify(Path(path).stem), unreadable=True)
        kind = "et symbolsk link" if Path(path).is_symlink() else "ikke en almindelig fil"
        doc.problems.append(Problem(rel, 1, f"filen er {kind} og kan ikke læses. Læg selve filen i mappen."))
        return doc
    if cache is None:
        return parse(rel, raw, ctype)
    from .cache import key
    digest = key(rel, raw)
    entry = cache.get(digest)
    if isinstance(entry, dict) and isinstance(entry.get("doc"), dict):
        try:
            doc = Document.from_state(entry["doc"], digest)
            if doc.ctype is ctype:
                return doc
        except (KeyError, TypeError, ValueError):
            pass
    doc = parse(rel, raw, ctype)
    doc.digest = digest
    cache.put(digest, {"doc": doc.state()})
    return doc


def fingerprint(root: Path) -> tuple:
    """(name, mtime, size) of every entry in methods/ and cases/: changes when any file does."""
    out = []
    for folder in TYPES:
        base = root / folder
        if base.is_dir():
            for entry in sorted(os.scandir(base), key=lambda e: e.name):
                st = entry.stat(follow_symlinks=False)
                out.append((f"{folder}/{entry.name}", st.st_mtime_ns, st.st_size, st.st_mode))
    return tuple(out)


@lru_cache(maxsize=2)
def _load_cached(root: str, reserved: frozenset, fingerprint: tuple) -> tuple[tuple[Document, ...], tuple[Problem, ...]]:
    files, problems = scan(Path(root), set(reserved))
    return tuple(read(p, Path(root), ctype) for p, ctype in files), tuple(problems)


def load_with_cache(root: Path, reserved: frozenset, cache) -> tuple[list[Document], list[Problem]]:
    """All content under `root` and the problems of what could not be read, files unchanged since
    an earlier build taken from `cache` (toolbox.cache.ContentCache). A cache kept in memory
    between plans (the editor's preview) also remembers each file's documents by the file's size
    and change time, so a file that was not saved again is not read again."""
    files, problems = scan(Path(root), set(reserved))
    if cache is None or cache.seen is None:
        return [read(p, Path(root), ctype, cache) for p, ctype in files], problems
    docs = []
    for path, ctype in files:
        try:
            st = os.stat(path, follow_symlinks=False)
            stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            stamp = None
        seen_stamp, doc = cache.seen.get(str(path), (None, None))   # one entry per file: a save replaces it
        if stamp is None or seen_stamp != stamp or doc.ctype is not ctype:
            doc = read(path, Path(root), ctype, cache)
            if stamp and doc.digest:
                cache.seen[str(path)] = (stamp, doc)
        elif doc.digest:
            cache.get(doc.digest)     # still in use: kept when the cache is saved
        docs.append(doc)
    return docs, problems


def load_all(root: Path, reserved: frozenset = frozenset()) -> tuple[tuple[Document, ...], tuple[Problem, ...]]:
    """All content under `root` and the problems of what could not be read as content, parsed once
    per change of the files."""
    return _load_cached(str(root), frozenset(reserved), fingerprint(root))
