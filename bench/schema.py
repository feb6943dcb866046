"""What checking the content against the JSON Schemas of schemas/ costs, per file.

    python bench/schema.py [--communes 2000] [--actions 6000] [--editions 20] [--repeat 5]

On a synthetic corpus (palmares.dev.synth, valid: the common case), each file already loaded,
in CPU time of this process (time.process_time: other processes on the machine do not count):

- jsonschema alone: `shape_problems` with the compiled check taken away, so every file goes
  through Draft202012Validator.iter_errors on the bundled schema;
- compiled check first: `shape_problems` as the build runs it (schema.compile_check says yes,
  and only a file it rejects goes through jsonschema);
- the JSON view of the data, which both need, and `validate_file`, the whole validation of a
  file (schema, rules, Markdown of the body), as the build runs it;
- importing jsonschema and building the validators, in a fresh process: what a build that
  validates at least one file pays once when jsonschema is always needed.

Medians of --repeat runs (the two ways alternated), printed as Markdown for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as `python bench/schema.py`, this file's folder comes first on the path, and
# bench/markdown.py would be imported as the `markdown` package: the project's root instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import format_float, format_int, source_files  # noqa: E402
from palmares.content.load import SourceFile  # noqa: E402
from palmares.content.schema import json_view, shape_problems, validator  # noqa: E402
from palmares.content.validate import validate_file  # noqa: E402
from palmares.dev.synth import generate  # noqa: E402


def per_file(files: list[SourceFile], work: Callable[[SourceFile], object]) -> float:
    """CPU seconds for the whole list."""
    started = time.process_time()
    for file in files:
        work(file)
    return time.process_time() - started


def jsonschema_start() -> float:
    """Seconds to import jsonschema and build the validators of every kind, in a new process."""
    code = (
        "import time; t = time.perf_counter(); "
        "from palmares.content.schema import validator, SCHEMA_FILES; "
        "t1 = time.perf_counter(); import jsonschema; [validator(k) for k in SCHEMA_FILES]; "
        "print(time.perf_counter() - t1)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=2000)
    parser.add_argument("--actions", type=int, default=6000)
    parser.add_argument("--editions", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source"
        generate(
            source, communes=args.communes, actions=args.actions, editions=args.editions, seed=1
        )
        files = source_files(source)

    def jsonschema_alone(f: SourceFile) -> object:
        return list(validator(f.kind).iter_errors(json_view(f.data, (), f)))

    def compiled_first(f: SourceFile) -> object:
        return shape_problems(f, "ce fichier")

    steps: dict[str, Callable[[SourceFile], object]] = {
        "jsonschema alone (view + `iter_errors`)": jsonschema_alone,
        "compiled check first (`shape_problems`)": compiled_first,
        "JSON view of the data": lambda f: json_view(f.data, (), f),
        "`validate_file` (all of it)": validate_file,
    }
    assert all(not compiled_first(f) and not jsonschema_alone(f) for f in files)
    runs: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(args.repeat):
        for name, step in steps.items():
            runs[name].append(per_file(files, step))
    start = statistics.median(jsonschema_start() for _ in range(args.repeat))

    print(
        f"{format_int(len(files))} files ({format_int(args.communes)} collectivités, "
        f"{format_int(args.actions)} actions, {args.editions} editions); "
        f"jsonschema {version('jsonschema')}, Python {platform.python_version()}; "
        f"load average {os.getloadavg()[0]:.1f}; medians of {args.repeat} runs, CPU time\n"
    )
    print("| step | µs a file | the corpus, one core |\n|---|---:|---:|")
    for name, times in runs.items():
        total = statistics.median(times)
        print(
            f"| {name} | {format_int(round(1e6 * total / len(files)))} "
            f"| {format_float(total, 2)} s |"
        )
    print(f"\nImporting jsonschema and building the validators: {format_float(1e3 * start, 0)} ms.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
