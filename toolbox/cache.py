"""A content-hash cache of parsed and checked files and of rendered page parts, kept between builds
under `.cache/toolbox/`.

A file's entry is keyed by the SHA-256 of its path and bytes: the parsed document and the problems
validate_document finds in it. A page part's entry is keyed by the SHA-256 of everything it is made
from (`digest`): a case's head and tail by the data its templates get, the sanitiser's verdict on a
conversion by that HTML, the glossary links of a finished page by its HTML and address. The cache
file's name carries a hash of the toolbox's own code, templates and vocabularies and of the
sanitiser's version, so a change to any of them starts a new cache. Cross-file checks run on every
build. A missing, unreadable or corrupt cache is simply empty; the cache never changes a result,
only how fast it is reached.

The cache is JSON (never pickle: a cache file arriving with a pull request must not run code),
read and written with orjson (a build reads and writes all of it: at 5,000 cases tens of
megabytes, which the standard library's json takes a second for). It is not used in CI
(CI=true), where a committed cache file could otherwise hide a file's problems, and a `.cache`
that is a link is not followed.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable

import orjson

FOLDER = Path(".cache") / "toolbox"
KEEP = 2   # cache files of older code versions kept before the oldest are removed


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the toolbox's Python files, templates and vocabularies and of the sanitiser's
    version: everything a cached result depends on besides its own inputs."""
    import nh3
    base = Path(__file__).parent
    digest = hashlib.sha256(f"nh3 {nh3.__version__}".encode())
    for path in sorted([*base.glob("*.py"), *(base / "templates").glob("*.html"),
                        *(base / "vocabularies").glob("*.yml")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def key(path: str, raw: bytes) -> str:
    """The cache key of a file's content at its path."""
    return hashlib.sha256(path.encode() + b"\0" + raw).hexdigest()


def digest(kind: str, *parts: str) -> str:
    """The cache key of a result of kind `kind` made from `parts` (texts)."""
    h = hashlib.sha256(kind.encode())
    for part in parts:
        h.update(b"\0")
        h.update(part.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


class ContentCache:
    """Entries for one build: read once at the start, written once at the end when anything changed."""

    def __init__(self, root: Path | None, remember: bool = False):
        """`remember`: also keep each file's parsed document in memory with its size and change time (`seen`),
        for a caller that plans the same site again in the same process (the editor's preview)."""
        usable = root is not None and os.environ.get("CI") != "true" and not (Path(root) / ".cache").is_symlink()
        self.path = Path(root) / FOLDER / f"content-{code_version()}.json" if usable else None
        self.entries: dict = {}
        self.used: set = set()
        self.dirty = False
        self.seen: dict | None = {} if remember and usable else None
        if self.path and self.path.is_file():
            try:
                entries = orjson.loads(self.path.read_bytes())
                self.entries = entries if isinstance(entries, dict) else {}
            except Exception:   # noqa: BLE001 - a damaged cache is an empty cache
                self.entries = {}

    @property
    def enabled(self) -> bool:
        """Whether this build reads and writes a cache file (not in CI, see above)."""
        return self.path is not None

    def get(self, digest: str):
        """The entry for `digest`, or None."""
        self.used.add(digest)
        return self.entries.get(digest)

    def put(self, digest: str, value) -> None:
        """Remember `value` for `digest`."""
        self.used.add(digest)
        self.entries[digest] = value
        self.dirty = True

    def html(self, make: Callable[[], str], *key: str) -> str:
        """The HTML kept for `key` (what it is made from; an entry of another shape is not used), else
        `make()`, kept. Without a cache, or with an empty part in `key` (a file whose digest is not
        known), it is made and not kept."""
        if not self.enabled or not all(key):
            return make()
        found = digest(*key)
        entry = self.get(found)
        if isinstance(entry, dict) and isinstance(entry.get("html"), str):
            return entry["html"]
        html = make()
        self.put(found, {"html": html})
        return html

    def save(self) -> None:
        """Write the entries of this build's files (atomically), and drop caches of old code versions."""
        if not self.path or not (self.dirty or set(self.entries) - self.used):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            keep = {k: v for k, v in self.entries.items() if k in self.used}
            data = orjson.dumps(keep)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, self.path)
            self.entries, self.dirty = keep, False
            old = sorted(self.path.parent.glob("content-*.json"), key=lambda p: p.stat().st_mtime)
            for stale in old[:-KEEP]:
                stale.unlink(missing_ok=True)
        except (OSError, orjson.JSONEncodeError):
            pass   # a read-only checkout (or a text orjson will not write) builds without a cache
