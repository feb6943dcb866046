"""What checking the content against the JSON Schemas of schemas/ costs, per file.

    python bench/schema.py [--communes 2000] [--actions 6000] [--editions 20] [--repeat 5]

On a synthetic corpus (palmares.dev.synth, valid: the common case), each file already loaded:

- jsonschema: Draft202012Validator.iter_errors on the bundled schema (what a file with an
  error goes through, to get every error);
- fast check: the compiled yes/no check the build runs first (validate/schema.py);
- validate_file: the whole validation of a file (schema, rules, Markdown of the body), as the
  build runs it.

Medians of --repeat runs, in microseconds a file, printed as Markdown for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from palmares.content.load import SourceFile, load  # noqa: E402
from palmares.content.schema import fast_check, json_view, validator  # noqa: E402
from palmares.content.validate import validate_file  # noqa: E402
from palmares.dev.synth import generate  # noqa: E402


def per_file(files: list[SourceFile], work: Callable[[SourceFile], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        for file in files:
            work(file)
        runs.append((time.perf_counter() - started) / len(files) * 1e6)
    return statistics.median(runs)


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
        files = list(load(source).files)
    views = {id(f): json_view(f.data, (), f) for f in files}

    def jsonschema_errors(f: SourceFile) -> object:
        return list(validator(f.kind).iter_errors(views[id(f)]))

    def fast(f: SourceFile) -> object:
        return fast_check(f.kind)(views[id(f)])

    rows = [
        ("jsonschema `iter_errors`", per_file(files, jsonschema_errors, args.repeat)),
        ("fast check", per_file(files, fast, args.repeat)),
        ("JSON view of the data", per_file(files, lambda f: json_view(f.data, (), f), args.repeat)),
        ("`validate_file` (all of it)", per_file(files, validate_file, args.repeat)),
    ]
    print(f"{len(files)} files ({args.communes} collectivités, {args.actions} actions)\n")
    print("| step | µs a file |\n|---|---|")
    for name, micro in rows:
        print(f"| {name} | {micro:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
