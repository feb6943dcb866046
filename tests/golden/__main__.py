"""Regenerate the golden site: `python -m tests.golden`.

The example content (communes/, content/) built as `python build.py` builds it, kept in
tests/golden/site/ so that every change to the output shows in review as a diff. The
build's manifest (.palmares-site) is left out: it names the engine's own fingerprint.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from palmares.output.cache import ParseCache
from palmares.pipeline import build

PROJECT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "site"
LEFT_OUT = frozenset({".palmares-site"})


def build_example(out: Path) -> None:
    """The shipped example content built into `out` (which must not exist)."""
    source = out.parent / "source"
    for folder in ("communes", "content"):
        shutil.copytree(PROJECT / folder, source / folder)
    result = build(source, out, cache=ParseCache(None), workers=1)
    if result.errors:
        raise SystemExit("\n".join(str(p) for p in result.errors))
    for name in LEFT_OUT:
        (out / name).unlink()


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="palmares-golden-") as tmp:
        built = Path(tmp) / "site"
        build_example(built)
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(built, GOLDEN)
    count = sum(1 for p in GOLDEN.rglob("*") if p.is_file())
    print(f"{GOLDEN.relative_to(PROJECT)}: {count} files", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
