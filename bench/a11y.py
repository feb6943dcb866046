"""How long the accessibility checkers take on generated corpora (what CI spends on them).

    python -m bench.a11y [--sizes 300,2000] [--repeat 1]

For each size: `scripts.check_a11y.check` writes a synthetic corpus (3 actions per
collectivité, 20 editions, seed 1), builds it, runs the Nu Html Checker on every page in one
Java run, then axe-core on each page family at 390×844 and 1280×900 in both colour schemes
(plus the 320 px width check). Prints a Markdown table for docs/benchmarks.md; medians when
--repeat > 1. A problem found is printed too: the figures of a failing check mean little.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from palmares.text import format_int
from scripts.check_a11y import Report, check, missing


def measure(size: int, repeat: int) -> tuple[Report, dict[str, float]]:
    reports = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            reports.append(check(size, 3 * size, 20, 1, Path(tmp)))
    steps = reports[0].seconds
    return reports[-1], {s: statistics.median(r.seconds[s] for r in reports) for s in steps}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,2000", help="collectivités, comma-separated")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    if missing():
        print("\n".join(missing()), file=sys.stderr)
        return 2
    print("| corpus | pages | build | vnu (every page) | axe (each family × 4) | problems |")
    print("|---|---|---|---|---|---|")
    failed = False
    for size in (int(s) for s in args.sizes.split(",")):
        report, seconds = measure(size, args.repeat)
        failed |= bool(report.problems)
        print(
            f"| {format_int(size)} collectivités | {format_int(report.pages)} "
            f"| {seconds['corpus and build']:.0f} s | {seconds['vnu']:.0f} s "
            f"| {seconds['axe']:.0f} s | {len(report.problems)} |"
        )
        for problem in report.problems[:20]:
            print(f"    {problem}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
