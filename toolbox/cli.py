"""Command-line entry points (installed as console scripts, see pyproject.toml): validate,
scaffold, export, serve, the print-shop deck and issue-to-case. Each is thin: the logic lives in the toolbox modules."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .problems import Problem, one_line, shown


def project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` (the working directory) that holds mkdocs.yml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    return here


def github_annotation(problem: Problem) -> str:
    """One problem as a GitHub Actions `::error` workflow command, its special characters escaped
    (the message is one line already; '%', CR and LF are encoded as the runner expects)."""
    message = one_line(problem.message).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    path = shown(problem.path, 200).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    path = path.replace(",", "%2C").replace(":", "%3A")
    return f"::error file={path},line={problem.line},title=Værktøjskassen::{message}"


def validate_main(argv: list[str] | None = None) -> int:
    """`vk-validate [PATH ...]`: check method cards and cases; one Danish line per problem."""
    from .loader import reserved_slugs
    from .validate import validate_tree
    parser = argparse.ArgumentParser(description="Tjek metodekort og cases i Værktøjskassen.")
    parser.add_argument("paths", nargs="*", type=Path, help="filer at tjekke (standard: alle)")
    parser.add_argument("--github", action="store_true", help="skriv fejl som GitHub-annotationer")
    parser.add_argument("--root", type=Path, default=None, help="projektets mappe (standard: den med mkdocs.yml)")
    args = parser.parse_args(argv)
    root = (args.root or project_root()).resolve()

    paths, problems = [], []
    for path in args.paths:
        path = path if path.is_absolute() else Path.cwd() / path
        shown_path = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        if not path.exists() and not path.is_symlink():
            problems.append(Problem(shown_path, 1, "filen findes ikke."))
        elif path.is_dir() and not path.is_symlink():
            paths += [p for p in sorted(path.glob("*.md")) if not p.name.startswith("_")]
        elif not path.name.startswith("_"):
            paths.append(path)
    if not args.paths or paths:
        problems += validate_tree(root, paths, reserved_slugs(root))
    for problem in problems:
        print(github_annotation(problem) if args.github else str(problem))
    files = len({p.path for p in problems})
    if problems:
        print(f"{len(problems)} fejl i {files} fil(er). Ret dem, og kør kommandoen igen.", file=sys.stderr)
        return 1
    print("Alt indhold er i orden.", file=sys.stderr)
    return 0


def new_case_main() -> None:
    """`vk-new-case`: write a new case, asking for each field in Danish."""
    from . import model, scaffold
    scaffold.run(model.CASE, default_root=project_root())


def new_method_main() -> None:
    """`vk-new-method`: write a new method card, asking for each field in Danish."""
    from . import model, scaffold
    scaffold.run(model.METHOD, default_root=project_root())


def export_main(argv: list[str] | None = None) -> int:
    """`vk-export OUT`: the whole site as plain Markdown, assets and data for a stock engine."""
    from .static_export import export_site
    parser = argparse.ArgumentParser(description="Eksportér Værktøjskassen som almindelige Markdown-sider.")
    parser.add_argument("out", type=Path, help="mappen, eksporten skrives i (må ikke findes i forvejen)")
    parser.add_argument("--root", type=Path, default=None)
    parser.add_argument("--site-url", default=None)
    args = parser.parse_args(argv)
    return export_site((args.root or project_root()).resolve(), args.out, args.site_url)


def serve_main(argv: list[str] | None = None) -> int:
    """`vk-serve`: build the site and show it at http://127.0.0.1:8000/, updating the pages an edit
    changes as it is saved (toolbox.mkdocs_preview)."""
    import logging
    parser = argparse.ArgumentParser(description="Byg Værktøjskassen, og vis den i browseren, mens du retter.")
    parser.add_argument("--port", type=int, default=8000, help="porten (standard: 8000)")
    parser.add_argument("--host", default="127.0.0.1", help="adressen (standard: 127.0.0.1)")
    parser.add_argument("--root", type=Path, default=None, help="projektets mappe (standard: den med mkdocs.yml)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    from .mkdocs_preview import serve
    serve((args.root or project_root()).resolve(), args.host, args.port)
    return 0


def printshop_main(argv: list[str] | None = None) -> int:
    """`vk-printshop OUT.pdf [--backs] [--slugs a,b,c]`: the cards as a PDF for a print shop (toolbox.printshop)."""
    from .printshop import main
    return main(argv)


def issue_to_case_main(argv: list[str] | None = None) -> int:
    """`python -m toolbox issue-to-case`: an issue made with the form 'Foreslå en case' as a new file in
    cases/ (never overwriting one), with the Danish reply for the issue. The body comes from the
    environment variable --env (so a workflow never pastes it into a script), else from stdin.
    Prints the written file's path; exit 0: written and valid, 1: something to fix, 2: no body."""
    from . import issue_case, model, scaffold
    parser = argparse.ArgumentParser(description="Lav en case ud fra et issue lavet med formularen 'Foreslå en case'.")
    parser.add_argument("--env", default="ISSUE_BODY", metavar="NAVN",
                        help="miljøvariablen med issuets tekst (standard: ISSUE_BODY; findes den ikke, læses stdin)")
    parser.add_argument("--reply", type=Path, metavar="FIL", help="skriv svaret til issuet (Markdown) i denne fil")
    parser.add_argument("--pr-body", type=Path, metavar="FIL", help="skriv pull requestens beskrivelse i denne fil")
    parser.add_argument("--issue", type=int, default=None, metavar="NUMMER", help="issuets nummer")
    parser.add_argument("--root", type=Path, default=None, help="projektets mappe (standard: den med mkdocs.yml)")
    args = parser.parse_args(argv)
    root = (args.root or project_root()).resolve()
    body = os.environ.get(args.env)
    if body is None:
        if hasattr(sys.stdin, "reconfigure"):
            sys.stdin.reconfigure(encoding="utf-8", errors="replace")
        body = sys.stdin.read(issue_case.MAX_BODY + 1)
    if not body.strip():
        print(f"Der er ingen tekst: sæt miljøvariablen {args.env}, eller send issuets tekst på stdin.", file=sys.stderr)
        return 2
    conv = issue_case.convert(body, root)
    written = False
    if conv.writable:
        try:
            scaffold.write_new(scaffold.target(root, model.CASE, conv.slug), conv.text)
            written = True
        except (scaffold.Refused, scaffold.UsageError):
            conv.findings.append(issue_case.Finding(issue_case.FILE_NAME, f"{conv.path} findes allerede og bliver "
                                                    "ikke overskrevet. Prøv igen om lidt."))
    if args.reply:
        args.reply.write_text(issue_case.reply(conv, written), encoding="utf-8")
    if args.pr_body and written:
        args.pr_body.write_text(issue_case.pr_body(conv, args.issue), encoding="utf-8")
    if written:
        print(conv.path)
    for finding in conv.findings:
        print(f"{one_line(finding.label)}: {one_line(finding.message)}", file=sys.stderr)
    print(("Skrevet: " + conv.path if written else "Der er ikke skrevet nogen fil.")
          + (f" {len(conv.findings)} ting skal rettes." if conv.findings else " Tjek: filen er i orden."), file=sys.stderr)
    return 0 if written and conv.ok else 1
