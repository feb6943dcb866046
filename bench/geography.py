"""What the official geography costs `check`, and how long a whole edition's import takes.

    python bench/geography.py [--repeat 5] [--lines 400] [--communes 3000]

- load: the official list in a fresh process, as `check`, `build` and `import` pay it once
  per process (time from the import of palmares.content.geography, peak memory added to a
  bare interpreter, and the time from the end of the work to the process's exit, which
  the CLI's gc.freeze shortens and this bench does not): one lookup (`get("59378")`, what
  a build that re-checks one collectivité's file needs), then every part (`by_siren`);
  where PYTHONDONTWRITEBYTECODE is set, run `python -m compileall -q palmares` first, or
  the compilation of each module changed since counts too;
- check: geography.check() alone on the shipped example content and on a synthetic corpus
  (palmares.dev.synth, whose invented names give a warning nearly every file: its worst case);
- import: plan_import() of a jury table of N real collectivités, names spelt as the press
  does (no accents, « St », upper case), into an empty project, then the same table again
  after --apply (the second run, which changes nothing).

Medians of --repeat runs are printed as Markdown, for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from palmares.content import geography  # noqa: E402
from palmares.content.load import SourceFile, load_file  # noqa: E402
from palmares.content.model import Commune  # noqa: E402
from palmares.content.read import Kind, Pos, discover  # noqa: E402
from palmares.content.validate import validate_file  # noqa: E402
from palmares.importer import apply, plan_import  # noqa: E402
from palmares.text import fold  # noqa: E402

_LOAD = """
import resource, time
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
from palmares.content.geography import official
{work}
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
print(time.time(), flush=True)
"""
ONE_LOOKUP = 'official().get("59378")'
EVERY_PART = 'official().by_siren("000000000")'


def median(values: list[float]) -> float:
    return statistics.median(values)


def load(repeat: int, work: str) -> tuple[float, float, float]:
    """Medians of the work's time, its peak memory (KiB) and the time to the exit."""
    seconds, kilobytes, exits = [], [], []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", _LOAD.format(work=work)],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
        exited = time.time()
        seconds.append(float(out[0]))
        kilobytes.append(float(out[1]))
        exits.append(exited - float(out[2]))
    return median(seconds), median(kilobytes), median(exits)


def check(source: Path, repeat: int) -> tuple[int, int, float]:
    pairs = []
    for path, rel, kind in discover(source):
        file, _ = load_file(path.read_bytes(), rel, kind)
        if file is not None and kind is Kind.COMMUNE:
            record, _ = validate_file(file)
            if record is not None:
                pairs.append((file, record))
    official = geography.official()
    times, found = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        found = geography.check(pairs, (), official)
        times.append(time.perf_counter() - started)
    return len(pairs), len(found), median(times)


def national(repeat: int) -> tuple[int, int, float]:
    """Every commune and intercommunalité of the list, as correct files would state them:
    the cost `check` adds to a national corpus (one lookup and one comparison each)."""
    official = geography.official()
    pairs = []
    for n, row in enumerate(official.all()):
        file = SourceFile(f"communes/{n}.yaml", Kind.COMMUNE, None, {("code",): Pos(1, 7)})
        commune = Commune(row.code, row.nom_usuel, row.departement, row.type, source=file.path)
        pairs.append((file, commune))
    times, found = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        found = geography.check(pairs, (), official)
        times.append(time.perf_counter() - started)
    return len(pairs), len(found), median(times)


def press(nom: str) -> str:
    """A name as a newspaper might print it."""
    text = nom.replace("Saint-", "St-").replace("Sainte-", "Ste-")
    return fold(text).upper() if len(nom) % 3 == 0 else fold(text).title()


def table(path: Path, lines: int) -> None:
    official = geography.official()
    rows = [o for o in official.all() if o.type == "commune"][:: 34_969 // lines][:lines]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Collectivité", "Département", "Arobases"])
        for n, row in enumerate(rows):
            writer.writerow([press(row.nom), row.departement, f"{n % 5 + 1} @"])


def edition(lines: int, repeat: int) -> tuple[float, float, int]:
    official = geography.official()
    first, second = [], []
    changes = 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "communes").mkdir()
            table(root / "jury.csv", lines)
            started = time.perf_counter()
            plan = plan_import(root / "jury.csv", root, 2027, official)
            first.append(time.perf_counter() - started)
            assert not plan.problems, plan.problems[:3]
            changes = len(plan.changes)
            apply(plan, root)
            started = time.perf_counter()
            again = plan_import(root / "jury.csv", root, 2027, official)
            second.append(time.perf_counter() - started)
            assert not again.changes
    return median(first), median(second), changes


def synth(communes: int, into: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "palmares.dev.synth", "--communes", str(communes), "--actions", "0",
         "--editions", "10", "--seed", "1", str(into)],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return into


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lines", type=int, default=400)
    parser.add_argument("--communes", type=int, default=3000)
    args = parser.parse_args()

    loads = {
        "the geography module alone (no list read)": load(args.repeat, "pass"),
        "the official list and one lookup": load(args.repeat, ONE_LOOKUP),
        "the official list, every part": load(args.repeat, EVERY_PART),
    }
    with tempfile.TemporaryDirectory() as tmp:
        example = Path(tmp) / "example"
        for folder in ("communes", "content"):
            shutil.copytree(ROOT / folder, example / folder)
        ex = check(example, args.repeat)
        sy = check(synth(args.communes, Path(tmp) / "synth"), args.repeat)
    na = national(args.repeat)
    first, second, changes = edition(args.lines, args.repeat)

    print(f"| measure (median of {args.repeat}) | figure |")
    print("|---|---|")
    for what, (seconds, kilobytes, to_exit) in loads.items():
        print(
            f"| {what}, fresh process | {seconds * 1000:.0f} ms, +{kilobytes / 1024:.0f} MiB "
            f"peak, then {to_exit * 1000:.0f} ms to exit |"
        )
    print(
        f"| check() on the example ({ex[0]} collectivités, {ex[1]} warnings) | {ex[2] * 1000:.2f} ms |"
    )
    print(
        f"| check() on synth --communes {args.communes} ({sy[0]} collectivités, {sy[1]} warnings) | {sy[2] * 1000:.0f} ms |"
    )
    print(
        f"| check() on the whole list as files ({na[0]} collectivités, {na[1]} warnings) | {na[2] * 1000:.0f} ms |"
    )
    print(
        f"| import of {args.lines} lines by name, dry run ({changes} new files) | {first * 1000:.0f} ms |"
    )
    print(f"| the same import again after --apply (nothing to change) | {second * 1000:.0f} ms |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
