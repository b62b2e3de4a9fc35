"""The hostile corpus: its manifest, the files made at run time, a bounded runner and an HTML checker.

Shared by tests/test_hostile.py and tests/browser/test_hostile_browser.py. Nothing here writes into
the working tree: files are installed into a project copy under a temporary folder.
"""

from __future__ import annotations

import csv
import io
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import yaml

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.yml"
CLASSES = ("markup", "differential", "resource", "filesystem", "privacy", "injection", "unicode", "valid")
# Written into the file outside the repository that a symlink points at: it must never be echoed.
SECRET = "HEMMELIG-7Q2X-UDENFOR"
# The companion: a case with one known mistake, whose message must print among all the others.
COMPANION = ("cases/koege-ledsager.md", "Skriv 'Køge' (med ø).")
# What a raw character must never be in a message line: C0 and C1 controls, DEL, zero-width and
# bidi formatting characters, the Unicode line and paragraph separators and a stray BOM.
RAW_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
MESSAGE_LINE = re.compile(r"^(?P<path>(?:methods|cases)/.*?):(?P<line>[1-9][0-9]*): (?P<message>\S.*)$")
# English that would mean an exception or an untranslated parser error reached the contributor.
ENGLISH = re.compile(r"Traceback|\b[A-Za-z]*(?:Error|Exception)\b|while (?:scanning|parsing|constructing)|"
                     r"could not (?:find|determine)|found character|unacceptable character|<unicode string>|"
                     r"\bexpected <|Errno|Killed")


# ---------------------------------------------------------------------------------------------
# The manifest

@dataclass(frozen=True)
class Entry:
    """One contributed file of the corpus and what must become of it."""

    file: str
    folder: str
    cls: str
    expect: str                      # reject | accept | bounded
    message: tuple = ()              # groups of alternatives; every group must be in one message
    line: int | None = None
    generate: str | None = None
    args: dict = field(default_factory=dict, hash=False, compare=False)
    shows: tuple = ()
    html: tuple = ()
    note: str = ""

    @property
    def rel(self) -> str:
        """Its path in the project, as the validator names it."""
        return f"{self.folder}/{self.file}"

    @property
    def source(self) -> Path:
        """The committed file (entries without `generate`)."""
        return HERE / self.cls / self.folder / self.file

    @property
    def id(self) -> str:
        """A readable test id without control characters."""
        return f"{self.cls}:{self.folder}/" + (self.file.encode("unicode_escape").decode("ascii"))

    @property
    def slug_url(self) -> str:
        """Where the page of an accepted file is: metoder/<stem>/ or cases/<stem>/."""
        prefix = "metoder" if self.folder == "methods" else "cases"
        return f"{prefix}/{self.file.rsplit('.', 1)[0]}/"

    def wanted(self, message: str) -> bool:
        """Whether `message` has every fragment group of the entry (one alternative of each)."""
        return all(any(alt in message for alt in group) for group in self.message)

def _groups(message) -> tuple:
    """A manifest `message` as groups of alternatives ('a|b' is one group; a list is several)."""
    if not message:
        return ()
    items = [message] if isinstance(message, str) else list(message)
    return tuple(tuple(item.split("|")) for item in items)


def owner(path: str, entries, others=frozenset()) -> Entry | None:
    """The entry a message for `path` is about: the file at that path; else the file lying in that
    subfolder below a content folder; else a file whose name has characters the validator must not
    print raw, when `path` begins with the printable start of its name (longest start wins).
    `others` are the paths of files that belong to no entry (the real content, the companion)."""
    if path in others:
        return None
    for entry in entries:
        if entry.rel == path:
            return entry
    for entry in entries:
        if entry.rel.startswith(path + "/") and path not in ("methods", "cases"):
            return entry
    best = None
    for entry in entries:
        unsafe = RAW_CONTROL.search(entry.rel)
        if unsafe and unsafe.start() > len(entry.folder) + 1 and path.startswith(entry.rel[: unsafe.start()]):
            if best is None or unsafe.start() > RAW_CONTROL.search(best.rel).start():
                best = entry
    return best


def load_manifest() -> list[Entry]:
    """Every entry of tests/hostile/manifest.yml."""
    raw = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return [Entry(file=e["file"], folder=e["folder"], cls=e["class"], expect=e["expect"],
                  message=_groups(e.get("message")), line=e.get("line"), generate=e.get("generate"),
                  args=e.get("args") or {}, shows=tuple(e.get("shows") or ()), html=tuple(e.get("html") or ()),
                  note=e.get("note", "")) for e in raw]


# ---------------------------------------------------------------------------------------------
# Files made at run time

METHOD_FRONT = """\
title: {title}
description: En metode til test.
approaches: [inddragelse]
phases: [afdækning]
duration:
  min: 30
  max: 60
participants:
  min: 2
  max: 10
audiences: [borgere]
areas: [sundhed]
difficulty: let
materials: [Papir]
preparation: Find et lokale.
related: [world-cafe]
sources:
  - title: Almen praksis
tags: [dialog]
"""
METHOD_BODY = ("\n## Formål\n\nAt teste.\n\n## Sådan gør du\n\n1. Gør det.\n2. Gør det igen.\n\n"
               "## Tips\n\n- Hold det kort.\n\n## Overvejelser i en kommune\n\n- Hvem er ikke i rummet?\n\n"
               "## Eksempler\n\n{payload}\n")
CASE_FRONT = """\
title: {title}
description: En case til test.
municipality: Køge
year: 2020
areas: [sundhed]
methods: [world-cafe]
approach: inddragelse
roles: [En sundhedskonsulent]
results: [Et netværk]
source:
  organisation: Køge Kommune
  document: Nyhedsbrev
contact: Center for Borgerdialog
tags: [ældre]
"""
CASE_BODY = "\n## Baggrund\n\nNoget skete.\n\n## Forløbet\n\n{payload}\n"


def valid_text(folder: str, title: str = "Prøve", payload: str = "Vi gjorde noget.", front: dict | None = None) -> str:
    """A method card or case that passes validation, with `payload` at the end of the body and
    `front` replacing whole front matter lines (key -> text after 'key: ')."""
    lines = (METHOD_FRONT if folder == "methods" else CASE_FRONT).format(title=title).splitlines()
    for key, value in (front or {}).items():
        lines = [f"{key}: {value}" if line.startswith(key + ":") else line for line in lines]
    body = (METHOD_BODY if folder == "methods" else CASE_BODY).replace("{payload}", payload)
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def _body(target: Path, entry: Entry, project: Path, outside: Path) -> None:
    """A valid file whose body ends in `unit` repeated `count` times (between `prefix` and `suffix`)."""
    a = entry.args
    target.write_text(valid_text(entry.folder, payload=a.get("prefix", "") + a["unit"] * a["count"] + a.get("suffix", "")),
                      encoding="utf-8")


def _front(target: Path, entry: Entry, project: Path, outside: Path) -> None:
    """A valid file whose front matter field `key` is `unit` repeated `count` times."""
    a = entry.args
    target.write_text(valid_text(entry.folder, front={a["key"]: a["unit"] * a["count"]}), encoding="utf-8")


def _lines(target: Path, entry: Entry, project: Path, outside: Path) -> None:
    """A valid file whose body ends in `line` repeated `count` times, each on its own line(s)."""
    a = entry.args
    line = a["line"] if a["line"].endswith("\n") else a["line"] + "\n"
    target.write_text(valid_text(entry.folder, payload=line * a["count"]), encoding="utf-8")


def _padded(target: Path, entry: Entry, project: Path, outside: Path) -> None:
    """A valid file grown with ordinary prose lines to at least `bytes` bytes."""
    head = valid_text(entry.folder).encode("utf-8")
    filler = "Noget skete igen, og det gik fint. " * 2 + "\n"
    chunk = (filler * 4096).encode("utf-8")
    with open(target, "wb") as f:
        f.write(head)
        written = len(head)
        while written < entry.args["bytes"]:
            f.write(chunk)
            written += len(chunk)


def _symlink(target: Path, entry: Entry, project: Path, outside: Path) -> None:
    """A symbolic link to `to` ('outside': a valid file outside the project holding SECRET)."""
    to = entry.args["to"]
    if to == "outside":
        secret = outside / "hemmelig.md"
        secret.write_text(valid_text("methods", title=SECRET, payload=f"{SECRET} {SECRET}"), encoding="utf-8")
        to = str(secret)
    os.symlink(to, target)


def _valid(target: Path, entry: Entry, project: Path, outside: Path) -> None:
    """A valid file: only its name or place is wrong."""
    target.write_text(valid_text(entry.folder), encoding="utf-8")


def _directory(target: Path, entry: Entry, project: Path, outside: Path) -> None:
    """A folder with a .md name, a valid file inside it."""
    target.mkdir()
    (target / "indhold.md").write_text(valid_text(entry.folder), encoding="utf-8")


def _fifo(target: Path, entry: Entry, project: Path, outside: Path) -> None:
    """A named pipe: opening it for reading blocks until someone writes, which nobody does."""
    os.mkfifo(target)


def _empty(target: Path, entry: Entry, project: Path, outside: Path) -> None:
    """A file of zero bytes."""
    target.write_bytes(b"")


GENERATORS = {"body": _body, "front": _front, "lines": _lines, "padded": _padded, "symlink": _symlink,
              "valid": _valid, "directory": _directory, "fifo": _fifo, "empty": _empty}


def install(project: Path, entries, outside: Path) -> None:
    """Put each entry's file into the project copy (committed bytes copied as they are, the rest
    made by its generator); `outside` is a folder outside the project for symlink targets."""
    outside.mkdir(parents=True, exist_ok=True)
    for entry in entries:
        target = project / entry.folder / entry.file
        target.parent.mkdir(parents=True, exist_ok=True)
        if entry.generate:
            GENERATORS[entry.generate](target, entry, project, outside)
        else:
            target.write_bytes(entry.source.read_bytes())


def install_companion(project: Path) -> None:
    """The case with one known mistake (municipality 'Koge')."""
    text = valid_text("cases", title="Ledsager", front={"municipality": "Koge"})
    (project / COMPANION[0]).write_text(text, encoding="utf-8")


def remove_big_files(project: Path, entries, limit: int = 1024 * 1024) -> None:
    """Delete the generated files over `limit` bytes again (pytest keeps old temporary folders)."""
    for entry in entries:
        target = project / entry.folder / entry.file
        if entry.generate == "padded" and not target.is_symlink() and target.is_file() and target.stat().st_size > limit:
            target.unlink()


# ---------------------------------------------------------------------------------------------
# Running a child within bounds

@dataclass
class Run:
    """What a bounded child did."""

    returncode: int | None
    stdout: bytes
    stderr: bytes
    timed_out: bool
    peak_mb: float       # the child's peak resident memory
    seconds: float

    @property
    def out(self) -> str:
        """stdout as text (invalid UTF-8 shown as U+FFFD)."""
        return self.stdout.decode("utf-8", "replace")

    @property
    def err(self) -> str:
        """stderr as text."""
        return self.stderr.decode("utf-8", "replace")

    def describe(self) -> str:
        """A short account for an assertion message."""
        state = "timed out" if self.timed_out else f"exit {self.returncode}"
        return (f"{state} after {self.seconds:.1f} s, peak {self.peak_mb:.0f} MB\n--- stdout (end)\n"
                f"{self.out[-2500:]}\n--- stderr (end)\n{self.err[-2500:]}")


def _limit_address_space(megabytes: int):
    """A preexec function that caps the child's address space."""
    def apply():
        # A backstop so a runaway child fails with MemoryError instead of taking the machine.
        resource.setrlimit(resource.RLIMIT_AS, (megabytes * 1024 * 1024, megabytes * 1024 * 1024))
    return apply


def run_bounded(args: list, cwd: Path, timeout: float, env: dict | None = None, address_space_mb: int = 4096) -> Run:
    """Run a child in its own process group with a time limit and an address-space limit; report its
    own peak memory (os.wait4 gives the rusage of exactly this child). On timeout the group is killed."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    start = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env,
                                start_new_session=True, preexec_fn=_limit_address_space(address_space_mb))
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)   # reaped here; keeps Popen from waiting again
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        return Run(None if timed_out else proc.returncode, out.read(), err.read(), timed_out,
                   usage.ru_maxrss / 1024, seconds)


def validate(project: Path, *flags: str, timeout: float = 30) -> Run:
    """scripts/validate.py in a project copy, bounded."""
    return run_bounded([sys.executable, "scripts/validate.py", *flags], project, timeout)


def build(project: Path, out: Path, *flags: str, site_url: str | None = None, timeout: float = 120) -> Run:
    """`mkdocs build` of a project copy with extra flags (--strict, -q), bounded."""
    env = {"SITE_URL": site_url} if site_url else {}
    return run_bounded([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(out), *flags], project, timeout,
                       env=env)


def message_lines(stdout: str) -> tuple[list[tuple[str, int, str]], list[str]]:
    """(path, line, message) of every well-formed line, and the lines that are not well-formed.
    Lines are split on '\\n' only, so any other line break inside a line shows as a raw character."""
    good, bad = [], []
    for raw in stdout.split("\n"):
        if raw == "":
            continue
        m = MESSAGE_LINE.match(raw)
        if m and not RAW_CONTROL.search(raw):
            good.append((m.group("path"), int(m.group("line")), m.group("message")))
        else:
            bad.append(raw)
    return good, bad


# ---------------------------------------------------------------------------------------------
# What a published page may not contain

FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "portal"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite",
                  "srcset", "imagesrcset", "ping", "lowsrc", "dynsrc", "codebase", "longdesc", "usemap", "manifest"}
RESOURCE_TAGS = {"img", "iframe", "link", "object", "embed", "source", "video", "audio", "image", "script",
                 "input", "track", "frame", "use", "feimage", "picture", "form", "button"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
_STRIP = re.compile(r"[\x00-\x20\x7f-\x9f]")


def url_as_browsers_read(value: str) -> str:
    """An attribute's address as a browser's URL parser sees it (entities are decoded by the HTML
    parser already): C0 controls and spaces trimmed from both ends, tab and line breaks removed
    anywhere, lower case (so 'java&#9;script:' and ' JAVASCRIPT:' are both 'javascript:')."""
    return re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(0x21))))).lower()


def _relative(text: str) -> str:
    """A theme script or path with its page-depth prefix ('../../', '.', '..') made the same on every page."""
    text = re.sub(r'"(?:\.\./)*\.\.?/?"', '"REL"', text)
    return re.sub(r"(?:\.\./)+|^\./|^/", "REL/", text)


@dataclass
class Baseline:
    """The theme's own scripts and styles, taken from the pages of the unmodified site."""

    script_srcs: set = field(default_factory=set)
    inline_scripts: set = field(default_factory=set)
    styles: set = field(default_factory=set)
    meta_equivs: set = field(default_factory=set)    # http-equiv values (the Content-Security-Policy)

    @classmethod
    def from_site(cls, site: Path) -> "Baseline":
        """Every script, style and http-equiv of every page of `site`."""
        base = cls()
        for page in site.rglob("*.html"):
            collector = _Elements()
            collector.feed(page.read_text(encoding="utf-8"))
            collector.close()
            base.script_srcs |= {_relative(s) for s in collector.script_srcs}
            base.inline_scripts |= {(a, _relative(t)) for a, t in collector.inline_scripts}
            base.styles |= {_relative(t) for t in collector.styles}
            base.meta_equivs |= set(collector.meta_equivs)
        return base


class _Elements(HTMLParser):
    """Collects scripts and style elements (source, inline text with its attributes)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.script_srcs: list[str] = []
        self.inline_scripts: list[tuple[str, str]] = []
        self.styles: list[str] = []
        self.meta_equivs: list[str] = []
        self._open: tuple | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "meta" and dict(attrs).get("http-equiv") is not None:
            self.meta_equivs.append((dict(attrs)["http-equiv"] or "").strip().lower())
        if tag == "script":
            src = dict(attrs).get("src")
            if src is not None:
                self.script_srcs.append(src)
            else:
                self._open = ("script", " ".join(f"{k}={v}" for k, v in sorted(attrs, key=lambda kv: kv[0])))
                self._text = []
        elif tag == "style":
            self._open, self._text = ("style", ""), []

    def handle_data(self, data):
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            text = "".join(self._text)
            if tag == "script":
                self.inline_scripts.append((self._open[1], text))
            else:
                self.styles.append(text)
            self._open = None


class _Checker(_Elements):
    """The elements of a page, with a finding for each thing unsafe_html forbids."""

    def __init__(self, baseline: Baseline, own_hosts: set):
        super().__init__()
        self.baseline, self.own_hosts = baseline, own_hosts
        self.findings: list[str] = []

    def _foreign(self, url: str) -> bool:
        """Whether an address (as browsers read it) names a host other than the site's own."""
        url = url.replace("\\", "/")
        if not re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url):
            return False
        return urlsplit(url if "://" in url else "http:" + url).netloc not in self.own_hosts

    def handle_starttag(self, tag, attrs):
        """Record each finding a start tag and its attributes give."""
        super().handle_starttag(tag, attrs)
        where = f"<{tag}>"
        if tag in FORBIDDEN_TAGS:
            self.findings.append(f"forbidden element {where}")
        equiv = dict(attrs).get("http-equiv")
        if tag == "meta" and equiv is not None and (equiv or "").strip().lower() not in self.baseline.meta_equivs:
            self.findings.append(f"<meta http-equiv={equiv!r}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.findings.append(f"event attribute {name} on {where}")
            if name == "style" and re.search(r"url\(|expression\(|@import", _STRIP.sub("", value).lower()):
                self.findings.append(f"style with url() on {where}")
            if name in URL_ATTRIBUTES:
                urls = [u.strip().split(" ")[0] for u in value.split(",")] if name.endswith("srcset") else [value]
                for url in urls:
                    clean = url_as_browsers_read(url)
                    if clean.startswith(BAD_SCHEMES):
                        self.findings.append(f"{name}={url!r} on {where}")
                    elif (tag in RESOURCE_TAGS or name != "href") and self._foreign(clean):
                        self.findings.append(f"{name} from another host {url!r} on {where}")
        if tag == "script":
            src = dict(attrs).get("src")
            if src is not None and _relative(src) not in self.baseline.script_srcs:
                self.findings.append(f"script src {src!r} is not the theme's")

    def handle_endtag(self, tag):
        """An inline script or style element must be one the theme itself puts on its pages."""
        was = self._open
        super().handle_endtag(tag)
        if was and was[0] == tag:
            if tag == "script" and (was[1], _relative(self.inline_scripts[-1][1])) not in self.baseline.inline_scripts:
                self.findings.append(f"inline script not the theme's: {self.inline_scripts[-1][1][:60]!r}")
            if tag == "style" and _relative(self.styles[-1]) not in self.baseline.styles:
                self.findings.append(f"style element not the theme's: {self.styles[-1][:60]!r}")


def unsafe_html(html: str, baseline: Baseline, own_hosts: set = frozenset()) -> list[str]:
    """Everything in a page that could run code or call another host, except what the theme itself
    puts on every page: scripts other than the theme's, on* attributes, javascript:/vbscript:/data:
    addresses (read as a browser reads them, see url_as_browsers_read), resources and form
    targets on other hosts, frames, objects, <base>, <meta http-equiv> other than the theme's (its
    Content-Security-Policy), and url() in style attributes."""
    checker = _Checker(baseline, set(own_hosts))
    checker.feed(html)
    checker.close()
    if checker._open:
        checker.findings.append(f"unclosed <{checker._open[0]}>")
    return checker.findings


class _Text(HTMLParser):
    """The visible text of a page's article (scripts and styles left out)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside = 0
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.inside += tag == "article"
        self.skip += tag in ("script", "style")

    def handle_startendtag(self, tag, attrs):
        pass   # <br/>, <img/>: no text, and no end tag to balance

    def handle_endtag(self, tag):
        if tag == "article" and self.inside:
            self.inside -= 1
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if self.inside and not self.skip:
            self.parts.append(data)


def article_text(html: str) -> str:
    """The article's text with runs of whitespace made one space."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return re.sub(r"\s+", " ", "".join(parser.parts))


def formula_cells(site: Path) -> list[str]:
    """Cells of the open-data CSV files that a spreadsheet would run as a formula."""
    found = []
    for path in sorted((site / "data").glob("*.csv")):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
            found += [f"{path.name}: {cell[:60]!r}" for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    return found


def small_copy(root: Path, dest: Path) -> Path:
    """The least of the project the validator needs (mkdocs.yml, scripts/, toolbox/, the one method
    card the corpus's cases and cards name, the templates and the hand-written pages that reserve
    names), for one file's check: the other 50-odd cards would only add their own checking to every
    run (about half of it)."""
    import shutil
    dest.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "node_modules")   # make bench's Lighthouse: 176 MB
    shutil.copy2(root / "mkdocs.yml", dest / "mkdocs.yml")
    for folder in ("scripts", "toolbox"):
        shutil.copytree(root / folder, dest / folder, ignore=ignore)
    for folder, names in (("methods", ("_skabelon.md", "world-cafe.md")), ("cases", ("_skabelon.md",))):
        (dest / folder).mkdir()
        for name in names:
            shutil.copy2(root / folder / name, dest / folder / name)
    for folder in ("docs/metoder", "docs/cases"):
        if (root / folder).is_dir():
            shutil.copytree(root / folder, dest / folder, ignore=ignore)
    return dest
