"""`palmares init DIR`: a new content repository, ready to check, build and publish.

It copies `palmares/starter/` (one example of each kind of file, the editors' VS Code
settings, the two GitHub workflows of a content repository) and the JSON Schemas, so that the
`$schema` lines and the VS Code settings resolve inside the new repository. Everything is
written into a folder beside DIR, which then takes DIR's place (or, when DIR is an empty
folder already, into a folder inside it, whose entries move up): nothing half-written. Every
refusal is one line in French, and leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path
from typing import TextIO

from palmares import __version__, resources
from palmares.content.read import dangling
from palmares.text import shown_path, system_reason

EXIT_OK, EXIT_USAGE = 0, 2
DEFAULT_PACKAGE = f"palmares=={__version__}"
MARKER = "__PALMARES__"
"""Where the starter's workflows and README name what to install."""


def starter_files(package: str) -> dict[str, bytes]:
    """Every file of a new content repository by its path in it, `package` filled in."""
    files: dict[str, bytes] = {}
    starter = resources.starter()
    for path in sorted(starter.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        rel = path.relative_to(starter).as_posix()
        text = path.read_text(encoding="utf-8")
        # A workflow's value is YAML, which reads a JSON string as a quoted scalar.
        text = text.replace(MARKER, json.dumps(package) if rel.endswith(".yml") else package)
        files[rel] = text.encode("utf-8")
    for path in sorted(resources.schemas().glob("*.json")):
        files[f"schemas/{path.name}"] = path.read_bytes()
    return files


def init(target: Path, *, package: str = DEFAULT_PACKAGE, out: TextIO, err: TextIO) -> int:
    refusal = _refusal(target)
    if refusal is not None:
        print(f"palmares : {refusal}", file=err)
        return EXIT_USAGE
    shown, target = shown_path(target), target.absolute()
    made = _first_missing(target.parent)
    fill = os.path.isdir(target)
    moved: list[Path] = []
    staging: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Beside a new folder, which it becomes; inside an empty one, whose entries then
        # move up: a symlink may lead that one to another file system, where nothing
        # moves in with a rename.
        folder = (target if fill else target.parent) / f".palmares-init-{os.getpid()}"
        folder.mkdir()
        staging = folder  # made, so to remove if what follows fails
        for rel, data in starter_files(package).items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if fill:
            # The folder stays (a terminal may be in it: `init .` replaced it, and left the
            # shell in a deleted folder); what was made in it moves up, a name at a time.
            for entry in sorted(staging.iterdir()):
                entry.rename(target / entry.name)
                moved.append(target / entry.name)
            staging.rmdir()
        else:
            staging.rename(target)
    except OSError as error:
        for made_here in (staging, *moved, made):
            if made_here is not None:
                _remove(made_here)
        print(f"palmares : impossible de créer {shown} : {system_reason(error)}", file=err)
        return EXIT_USAGE
    print(
        f"Dépôt de contenu créé dans {shown} : une collectivité, une action, un domaine, "
        "une édition, les schémas et les vérifications GitHub.\n"
        f"Ensuite : palmares check --source {shown}, puis palmares serve --source {shown}",
        file=out,
    )
    return EXIT_OK


def _refusal(target: Path) -> str | None:
    """Why `target` cannot become a new content repository, in French; None when it can:
    a new folder (under folders that may be new too), an empty folder or a symlink to one."""
    shown = shown_path(target)
    if os.path.islink(target) and not os.path.exists(target):
        return f"{shown} est un {_dangling(target)} : choisissez un dossier nouveau ou vide"
    if os.path.isdir(target):
        try:
            empty = not any(os.scandir(target))
        except OSError as error:
            return f"le dossier {shown} ne peut pas être lu ({system_reason(error)})"
        if empty:
            return None
        return (
            f"le dossier {shown} existe déjà et n'est pas vide : "
            "choisissez un dossier nouveau ou vide"
        )
    if os.path.lexists(target):
        return (
            f"{shown} existe déjà et n'est pas un dossier : choisissez un dossier nouveau ou vide"
        )
    above = next(p for p in target.absolute().parents if os.path.lexists(p))
    if not os.path.exists(above):
        return f"{shown_path(above)} est un {_dangling(above)} : impossible d'y créer {shown}"
    if not os.path.isdir(above):
        return f"{shown_path(above)} n'est pas un dossier : impossible d'y créer {shown}"
    return None


def _dangling(link: Path) -> str:
    """A symlink that leads nowhere, as what it is (a broken one with its target)."""
    nowhere = dangling(link)
    if nowhere.endswith("cassé"):
        return f"{nowhere} (sa cible, {shown_path(os.readlink(link))}, n'existe pas)"
    return nowhere


def _first_missing(folder: Path) -> Path | None:
    """The outermost of `folder` and the folders above it that do not exist yet: what
    making it creates, to remove if init fails."""
    missing = None
    for path in (folder, *folder.parents):
        if os.path.lexists(path):
            break
        missing = path
    return missing


def _remove(path: Path) -> None:
    """What init made at `path`, gone (nothing if it was not made)."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        with contextlib.suppress(OSError):
            os.unlink(path)
