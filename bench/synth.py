"""What a synthetic corpus costs to make, and what `check` and `build` say about it.

    python bench/synth.py [--corpus realistic|national|both] [--build] [--repeat 1]

For each corpus (realistic: 2 000 collectivités, 6 000 actions, 20 editions; national:
35 000, 60 000, 25; seed 1), in fresh processes as a user runs them:

- `python -m palmares.dev.synth`: wall time, CPU time (user + system) and peak memory;
- `python build.py check --source`: wall time, and the errors and warnings it prints (the
  collectivités come from the official list, so there should be none);
- with --build, `python build.py --source --out`: wall time, peak memory, its summary line.

Medians of --repeat runs (of the generation; check and build run once) are printed as
Markdown, for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Spec:
    name: str
    communes: int
    actions: int
    editions: int


SPECS = {
    "realistic": Spec("réaliste", 2000, 6000, 20),
    "national": Spec("national", 35000, 60000, 25),
}


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mib: float
    stdout: str
    stderr: str
    code: int


def run(args: list[str]) -> Run:
    """One command of the project in a fresh process: its own peak memory is measured by
    running it under a small wrapper that reports its child's rusage."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "started = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:])\n"
        "wall = time.perf_counter() - started\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(f'@@ {wall} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}', "
        "file=sys.stderr)\n"
        "sys.exit(done.returncode)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", wrapper, sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stderr.splitlines()
    wall, cpu, peak = lines[-1].split()[1:]
    return Run(
        float(wall),
        float(cpu),
        int(peak) / 1024,
        done.stdout,
        "\n".join(lines[:-1]),
        done.returncode,
    )


def synth_args(spec: Spec, out: Path) -> list[str]:
    return [
        "-m", "palmares.dev.synth", "--communes", str(spec.communes), "--actions",
        str(spec.actions), "--editions", str(spec.editions), "--seed", "1", str(out),
    ]  # fmt: skip


_PROBLEM = re.compile(r"^\S+?(?::\d+){0,2}: (avertissement : )?")


def problems(output: str) -> tuple[int, int]:
    """(errors, warnings) among the lines `path[:line[:col]]: [avertissement : ]message`."""
    found = [m for line in output.splitlines() if (m := _PROBLEM.match(line))]
    warnings = sum(1 for m in found if m.group(1))
    return len(found) - warnings, warnings


def measure(spec: Spec, repeat: int, build: bool, tmp: Path) -> list[str]:
    rows: list[str] = []
    runs = []
    for index in range(repeat):
        out = tmp / f"{spec.communes}-{index}"
        runs.append(run(synth_args(spec, out)))
        if runs[-1].code != 0:
            raise SystemExit(f"palmares.dev.synth failed:\n{runs[-1].stderr}")
    source = tmp / f"{spec.communes}-0"
    files = sum(len(names) for _, _, names in os.walk(source))
    wall = statistics.median(r.wall for r in runs)
    cpu = statistics.median(r.cpu for r in runs)
    peak = statistics.median(r.peak_mib for r in runs)
    rows.append(
        f"| {spec.name}: `palmares.dev.synth` ({files} files) | {wall:.1f} s wall, "
        f"{cpu:.1f} s CPU, {peak:.0f} MiB peak |"
    )
    checked = run(["build.py", "check", "--source", str(source)])
    errors, warnings = problems(checked.stdout + checked.stderr)
    rows.append(
        f"| {spec.name}: `build.py check` (exit {checked.code}) | {checked.wall:.1f} s wall, "
        f"{errors} errors, {warnings} warnings |"
    )
    if build:
        site = tmp / f"{spec.communes}-site"
        built = run(["build.py", "--source", str(source), "--out", str(site)])
        summary = (built.stdout + built.stderr).strip().splitlines()[-1:] or ["(no output)"]
        rows.append(
            f"| {spec.name}: `build.py` (exit {built.code}) | {built.wall:.0f} s wall, "
            f"{built.peak_mib:.0f} MiB peak: « {summary[0]} » |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=["realistic", "national", "both"], default="both")
    parser.add_argument("--build", action="store_true", help="also build each corpus")
    parser.add_argument("--repeat", type=int, default=1, help="generations per corpus")
    args = parser.parse_args()
    names = ["realistic", "national"] if args.corpus == "both" else [args.corpus]
    load = os.getloadavg()[0]
    print(f"Load average at start: {load:.1f}; {os.cpu_count()} cores.\n")
    print(f"| measure (median of {args.repeat}) | figure |")
    print("|---|---|")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-synth-") as tmp:
        for name in names:
            for row in measure(SPECS[name], args.repeat, args.build, Path(tmp)):
                print(row, flush=True)
    print(f"\n({time.perf_counter() - started:.0f} s in all; peak of this process "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)")  # fmt: skip


if __name__ == "__main__":
    main()
