"""constraints.txt pins exactly what the project needs: every name a dependency, direct or
transitive, of the runtime or the tests, and every direct dependency pinned.

Regenerate it with `python -m scripts.constraints > constraints.txt`.
"""

from __future__ import annotations

import re
from pathlib import Path

from scripts.constraints import closure, direct, normalize

PROJECT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^=\s]+)$")


def pins() -> dict[str, str]:
    found: dict[str, str] = {}
    for line in (PROJECT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"not an exact pin: {line!r}"
        name = normalize(match[1])
        assert name not in found, f"pinned twice: {name}"
        found[name] = match[2]
    return found


def test_every_pinned_name_is_a_dependency() -> None:
    assert sorted(set(pins()) - set(closure())) == []


def test_every_direct_dependency_is_pinned() -> None:
    assert sorted({normalize(r.name) for r in direct()} - set(pins())) == []


def test_every_pin_satisfies_pyproject() -> None:
    pinned = pins()
    assert [str(r) for r in direct() if not r.specifier.contains(pinned[normalize(r.name)])] == []
