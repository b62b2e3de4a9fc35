#!/usr/bin/env python3
"""Benchmark the build and the browser: `python scripts/bench.py [--sizes 100,1000,5000] [--repeat 3]`.

Generates synthetic cases, builds them with this project and with plain Material, measures time,
memory and sizes, times the case filter and Material's search in Chromium at the largest size, and
prints a table and one line per performance target; at the largest size Lighthouse (mobile) scores
each page kind and weighs what it loads. `--site DIR` runs only Lighthouse on a built site. `--quick`
is a smoke test (20 and 100 cases, one run, no browser). The logic lives in scripts/benchmark.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import benchmark as bench  # scripts/benchmark.py: the benchmark stays out of the runtime package


def sizes(text: str) -> list[int]:
    """'100,1000,5000' as sorted numbers."""
    return sorted({int(part) for part in text.split(",") if part.strip()})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Performance benchmark of Værktøjskassen.")
    parser.add_argument("--sizes", type=sizes, default=[100, 1000, 5000],
                        help="numbers of cases (default 100,1000,5000)")
    parser.add_argument("--repeat", type=int, default=5, help="build pairs (ours, plain) per size; the median counts (default 5)")
    parser.add_argument("--methods", type=int, default=0, help="synthetic method cards on top of the real ones")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    parser.add_argument("--no-preview", action="store_true", help="skip the editor's preview (make serve) measurements")
    parser.add_argument("--quick", action="store_true", help="smoke test: 20 and 100 cases, one run, no browser")
    parser.add_argument("--keep", type=Path, help="keep the generated projects and sites under this folder")
    parser.add_argument("--lighthouse-runs", type=int, default=3,
                        help="Lighthouse runs per page kind at the largest size; the median counts (0: none)")
    parser.add_argument("--site", type=Path,
                        help="only Lighthouse and page weights of this already built site (no builds)")
    args = parser.parse_args(argv)
    if args.site:
        print(bench.lighthouse_report(args.site, max(1, args.lighthouse_runs),
                                      log=lambda line: print(line, file=sys.stderr, flush=True)))
        return 0
    if args.quick:
        args.sizes, args.repeat, args.no_browser, args.no_preview = [20, 100], 1, True, True
    rows, figures = bench.run(args.sizes, args.repeat, not args.no_browser, args.methods, args.keep,
                              log=lambda line: print(line, file=sys.stderr, flush=True),
                              lighthouse_runs=args.lighthouse_runs, preview=not args.no_preview)
    print(bench.report(rows, figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
