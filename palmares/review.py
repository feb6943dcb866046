"""Which files of a pull request are code, to be reviewed as code before merging.

Content (`communes/`, `content/`) is data: the build checks it. Templates and static files
(`layouts/`), workflows (`.github/`, `.ci/`), the engine (`palmares/`, `build.py`,
`pyproject.toml`), its tests and tools, the versions installed, and any Python file run, in
the readers' browsers, in CI or in the build: `check --base REF` lists the ones a pull
request changes, so the reviewer reads them as code.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from palmares.console import github_property
from palmares.text import plain_spaces, plural

CODE_FOLDERS = (
    "layouts/", ".github/", ".ci/", "palmares/", "tests/", "scripts/", "tools/", "bench/",
)  # fmt: skip
"""Relative to the repository's root; `layouts/` also relative to the source folder."""
CODE_FILES = (
    "build.py", "pyproject.toml", "constraints.txt", "package.json", "package-lock.json",
    ".pre-commit-config.yaml", ".pre-commit-hooks.yaml",
)  # fmt: skip
"""What runs or chooses what runs: the engine's entry and packaging, the versions installed,
the hooks."""
CODE_SUFFIXES = (".py", ".pth", ".sh")
"""Anywhere: a Python module beside one that imports it is imported first (`yaml.py`)."""

NOTICE = (
    "ce fichier est du code (gabarit, script, workflow ou moteur) : faites-le relire comme du "
    "code avant de fusionner"
)


class ReviewError(Exception):
    """Git could not list the changes; the message says so in French."""


def is_code(path: str, prefix: str = "") -> bool:
    """Whether `path` (relative to the repository's root) is code. `prefix` is the source
    folder's place in the repository (`site/` or ""), whose own `layouts/` is code too."""
    if path in CODE_FILES or path.startswith(CODE_FOLDERS) or path.endswith(CODE_SUFFIXES):
        return True
    return bool(prefix) and path.startswith(f"{prefix}layouts/")


def code_files(paths: Iterable[str], prefix: str = "") -> list[str]:
    return sorted({path for path in paths if is_code(path, prefix)})


def _git(source: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=source,
            capture_output=True,
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError) as err:
        raise ReviewError(f"git ne peut pas être lancé ({err})") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReviewError(f"git a échoué ({lines[0] if lines else f'code {done.returncode}'})")
    return done.stdout.decode("utf-8", "surrogateescape")


def changed_code(source: Path, base: str) -> list[str]:
    """The code files changed between `base` and HEAD (as a pull request shows them: since
    their common ancestor), relative to the repository's root."""
    if base.startswith("-"):
        raise ReviewError(f"« {base} » n'est pas une révision git")
    prefix = _git(source, "rev-parse", "--show-prefix").strip()
    # -z: names exactly as stored (no quoting of accents); --no-renames: a template moved
    # out of layouts/ shows its old name too.
    listed = _git(source, "diff", "--name-only", "--no-renames", "-z", f"{base}...HEAD", "--")
    return code_files((p for p in listed.split("\0") if p), prefix)


def report(source: Path, base: str, fmt: str, out: TextIO) -> None:
    """One line per code file changed since `base` (a `::notice` in GitHub's format), then
    a summary; a warning line, never a traceback, when git cannot tell."""
    try:
        found = changed_code(source, base)
    except ReviewError as err:
        message = f"les fichiers modifiés depuis {base} sont inconnus : {err}"
        print(
            f"::warning::{message}" if fmt == "github" else f"avertissement : {message}", file=out
        )
        return
    for path in found:
        if fmt == "github":
            print(f"::notice file={github_property(path)}::{NOTICE}", file=out)
        else:
            print(f"{path}: {NOTICE}", file=out)
    if found:
        summary = (
            f"{plural(len(found), 'fichier')} de code modifié{'s' if len(found) > 1 else ''} "
            f"depuis {base} : à relire comme du code avant de fusionner"
        )
    else:
        summary = (
            f"Aucun fichier de code (gabarit, script, workflow ou moteur) modifié depuis {base}"
        )
    print(plain_spaces(summary), file=out)
