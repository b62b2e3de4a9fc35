#!/usr/bin/env python3
"""Check method cards and cases: `python scripts/validate.py [PATH ...]` (all content without paths).

Prints one line per problem, `path:line: message`, in Danish; exits 1 when there is any problem.
With --github the lines are GitHub Actions annotations, so they appear on the changed lines.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolbox.loader import Problem  # noqa: E402
from toolbox.validate import validate_tree  # noqa: E402


def github_annotation(problem: Problem) -> str:
    """One problem as a GitHub Actions `::error` workflow command (with its special characters escaped)."""
    message = problem.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    path = problem.path.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
    return f"::error file={path},line={problem.line},title=Værktøjskassen::{message}"


def main(argv: list[str] | None = None) -> int:
    """Validate, print, and return the exit code."""
    parser = argparse.ArgumentParser(description="Tjek metodekort og cases i Værktøjskassen.")
    parser.add_argument("paths", nargs="*", type=Path, help="filer at tjekke (standard: alle)")
    parser.add_argument("--github", action="store_true", help="skriv fejl som GitHub-annotationer")
    args = parser.parse_args(argv)

    paths, problems = [], []
    for path in args.paths:
        path = path if path.is_absolute() else Path.cwd() / path
        if not path.exists():
            problems.append(Problem(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path), 1,
                                    "filen findes ikke."))
        elif path.is_dir():
            paths += [p for p in sorted(path.rglob("*.md")) if not p.name.startswith("_")]
        elif not path.name.startswith("_") and path.suffix in (".md", ""):
            paths.append(path)
    if not args.paths or paths:
        problems += validate_tree(ROOT, paths)
    for problem in problems:
        print(github_annotation(problem) if args.github else str(problem))
    files = len({p.path for p in problems})
    if problems:
        print(f"{len(problems)} fejl i {files} fil(er). Ret dem, og kør kommandoen igen.", file=sys.stderr)
        return 1
    print("Alt indhold er i orden.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
