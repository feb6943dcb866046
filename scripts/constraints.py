"""constraints.txt: the exact version installed here of every runtime and test dependency,
direct or transitive, so that the workflows install what the tests passed with.

    python -m scripts.constraints > constraints.txt

The dependencies are read from pyproject.toml (`dependencies` and the `test` extra), then
followed through the metadata of the installed distributions, with their markers evaluated
for this machine.
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement

PROJECT = Path(__file__).resolve().parent.parent
EXTRAS = ("test",)
HEADER = """\
# The exact versions the tests pass with: runtime and test dependencies, direct or transitive.
# Regenerate after a change of pyproject.toml or of the environment:
#     python -m scripts.constraints > constraints.txt
# Used as: python -m pip install -c constraints.txt .
"""


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def direct() -> list[Requirement]:
    """The project's own requirements: its dependencies and those of EXTRAS."""
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"])
    for extra in EXTRAS:
        lines += project["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


def _applies(requirement: Requirement, extras: frozenset[str]) -> bool:
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": extra}) for extra in extras or {""})


def closure() -> dict[str, str]:
    """Every distribution the project needs here, by normalized name → installed version."""
    found: dict[str, str] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [(r, frozenset[str]()) for r in direct()]
    while todo:
        requirement, extras = todo.pop()
        if not _applies(requirement, extras):
            continue
        name, wanted = normalize(requirement.name), frozenset(requirement.extras)
        if (name, wanted) in seen:
            continue
        seen.add((name, wanted))
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            sys.exit(f"{requirement.name} is required but not installed: install '.[test]' first")
        found[name] = dist.version
        todo += [(Requirement(line), wanted) for line in dist.requires or []]
    return found


def main() -> None:
    pins = closure()
    print(HEADER + "".join(f"{name}=={pins[name]}\n" for name in sorted(pins)), end="")


if __name__ == "__main__":
    main()
