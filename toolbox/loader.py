"""Read a contributed Markdown file into its front matter, body and a map from keys to lines.

Reading never raises on a contributor's file: every problem becomes a `Problem` with a line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .model import TYPES, ContentType
from .text import slugify


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, at one line, in Danish."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Document:
    """A parsed method card or case."""

    path: str                    # as given, relative to the project root where possible
    ctype: ContentType
    slug: str
    meta: dict = field(default_factory=dict)
    body: str = ""
    body_line: int = 1           # line number of the first body line
    lines: dict = field(default_factory=dict)   # (key,) / (key, index) / (key, subkey) -> line
    problems: list = field(default_factory=list)

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


def _decode(raw: bytes) -> tuple[str | None, int | None]:
    """Text without BOM and with LF line endings, or the line of the first non-UTF-8 byte."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return None, raw[: err.start].count(b"\n") + 1
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that keeps YAML 1.2 booleans only (so 'no' and 'on' stay text)."""


_LineLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

_FastLineLoader = None
if getattr(yaml, "__with_libyaml__", False):
    class _FastLineLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """The same loader on libyaml's parser (about ten times faster; MkDocs reads front matter with it too)."""

    _FastLineLoader.yaml_implicit_resolvers = {k: list(v) for k, v in _LineLoader.yaml_implicit_resolvers.items()}


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


class _Unusual(Exception):
    """The node tree has something the short path below leaves to PyYAML's constructor."""


def _plain_data(loader, node):
    """The data of a node tree of plain strings, lists and mappings, built directly (PyYAML's
    constructor spent a third of the parse on bookkeeping this tree does not need); other scalars
    (numbers, booleans, dates) go through the loader's own constructors. Anything else (merge keys,
    explicit tags on collections, unhashable keys) raises _Unusual."""
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR else loader.construct_object(node, deep=True)
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        return [_plain_data(loader, item) for item in node.value]
    if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
        data = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                raise _Unusual
            data[_plain_data(loader, key_node)] = _plain_data(loader, value_node)
        return data
    raise _Unusual


def _parse_front(loader_class, front: str):
    loader = loader_class(front)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        try:
            return node, _plain_data(loader, node)
        except (_Unusual, TypeError):
            return node, loader.construct_document(node)
    finally:
        loader.dispose()


def _compose_and_load(front: str):
    """The front matter's node tree (for line numbers) and its data, from a single parse.

    libyaml parses when available; if it finds a problem, the pure-Python parser parses again, so the
    error (whose English text YAML_PROBLEMS translates) is exactly the one it has always been.
    libyaml accepts a tab after a colon where the Python parser does not, so text with tabs skips it.
    """
    if _FastLineLoader is not None and "\t" not in front:
        try:
            return _parse_front(_FastLineLoader, front)
        except (yaml.YAMLError, UnicodeError):
            pass
    return _parse_front(_LineLoader, front)


YAML_PROBLEMS = {
    "could not find expected ':'": "der mangler et kolon efter et feltnavn",
    "found unexpected end of stream": "et anførselstegn eller en parentes bliver aldrig lukket",
    "mapping values are not allowed here": "et kolon står et sted, hvor det ikke må stå",
    "found character '\\t' that cannot start any token": "der er brugt tabulator; brug mellemrum",
    "expected ',' or ']', but got": "en liste i [ ] er ikke lukket rigtigt",
    "expected <block end>, but found": "indrykningen passer ikke",
    "found undefined alias": "'*' i starten af en værdi skal stå i anførselstegn",
}


def _yaml_problem(problem: str) -> str:
    """PyYAML's English problem text in Danish, where we know it."""
    for english, danish in YAML_PROBLEMS.items():
        if problem.startswith(english):
            return danish
    return problem


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


def parse(path: str, raw: bytes, ctype: ContentType) -> Document:
    """Parse one file's bytes. Problems found while reading are kept on the document."""
    slug = slugify(Path(path).stem)
    doc = Document(path=path, ctype=ctype, slug=slug)
    text, bad_line = _decode(raw)
    if text is None:
        doc.problems.append(Problem(path, bad_line, "filen er ikke gemt som UTF-8. Gem den igen som "
                                    "'UTF-8' i din editor (æ, ø og å bliver ellers forkerte)."))
        return doc
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        doc.problems.append(Problem(path, 1, "filen mangler front matter: første linje skal være '---', "
                                    "derefter felterne og så en linje med '---'. Se skabelonen "
                                    f"{ctype.folder}/_skabelon.md."))
        doc.body = text
        return doc
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        doc.problems.append(Problem(path, 1, "front matter slutter aldrig: tilføj en linje med '---' "
                                    "efter det sidste felt."))
        return doc
    front = "\n".join(lines[1:end])
    doc.body = "\n".join(lines[end + 1:])
    doc.body_line = end + 2
    try:
        node, data = _compose_and_load(front)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = mark.line + 2 if mark else 1
        what = _yaml_problem(getattr(err, "problem", None) or str(err))
        doc.problems.append(Problem(path, line, f"front matter kan ikke læses som YAML ({what}). Tjek "
                                    "kolon efter feltnavnet, indrykning med mellemrum (ikke tabulator) "
                                    "og anførselstegn om tekst, der indeholder ': ' eller '#'."))
        return doc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        doc.problems.append(Problem(path, 2, "front matter skal bestå af felter på formen 'navn: værdi'."))
        return doc
    duplicates: list = []
    _map_lines(node, 2, doc.lines, duplicates)  # YAML line 0 is file line 2
    doc.lines[()] = 1
    for key, line in duplicates:
        doc.problems.append(Problem(path, line, f"feltet '{key}' står mere end én gang; "
                                    "slet den ene, så det er klart, hvilken værdi der gælder."))
    doc.meta = {str(k): v for k, v in data.items()}
    return doc


def type_of(path: Path, root: Path) -> ContentType | None:
    """The content type of a file by the top-level folder it lies in."""
    try:
        rel = path.resolve().relative_to(root.resolve())
    except ValueError:
        rel = path
    for part in rel.parts[:-1]:
        if part in TYPES:
            return TYPES[part]
    return TYPES.get(path.parent.name)


def content_files(root: Path) -> list[Path]:
    """Every file in methods/ and cases/ that is not a template (name starting with '_') or hidden."""
    found = []
    for folder in TYPES:
        base = root / folder
        if base.is_dir():
            found += [p for p in sorted(base.iterdir())
                      if p.is_file() and not p.name.startswith(("_", "."))]
    return found


def read(path: Path, root: Path) -> Document:
    """Read and parse one file."""
    rel = os.path.relpath(path, root) if path.is_absolute() else str(path)
    ctype = type_of(path, root)
    return parse(rel.replace(os.sep, "/"), path.read_bytes(), ctype)


def read_listed(paths: list) -> list[Document]:
    """Parse files listed by content_files (root/<folder>/<name>: the folder gives the type, and the
    document's path is folder/name)."""
    docs = []
    for p in paths:
        path = Path(p)
        folder = path.parent.name
        docs.append(parse(f"{folder}/{path.name}", path.read_bytes(), TYPES[folder]))
    return docs


def fingerprint(root: Path) -> tuple:
    """(path, mtime, size) of every content file: changes when any file does."""
    return tuple((str(p), st.st_mtime_ns, st.st_size) for p in content_files(root) for st in [p.stat()])


@lru_cache(maxsize=4)
def _load_cached(root: str, fingerprint: tuple) -> tuple[Document, ...]:
    return tuple(read_listed([p for p, _, _ in fingerprint]))


def load_all(root: Path) -> tuple[Document, ...]:
    """All content under `root`, parsed once per change of the files (shared by hook and macros)."""
    return _load_cached(str(root), fingerprint(root))
