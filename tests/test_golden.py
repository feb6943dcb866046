"""The example content's built site is the golden one checked in under tests/golden/site/:
every change to the output shows in review as a diff. Regenerate it with
`python -m tests.golden` when a change of the output is intended."""

from __future__ import annotations

from pathlib import Path

from tests.golden.__main__ import GOLDEN, build_example

REGENERATE = "if this change of the output is intended, run `python -m tests.golden` and commit"


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_the_example_site_is_the_golden_one(tmp_path: Path) -> None:
    build_example(tmp_path / "site")
    built, golden = _files(tmp_path / "site"), _files(GOLDEN)
    assert sorted(built) == sorted(golden), REGENERATE
    changed = [rel for rel in built if built[rel] != golden[rel]]
    assert changed == [], f"{len(changed)} files differ (first: {changed[:5]}): {REGENERATE}"
