"""`palmares init DIR`: a new content repository, ready to check, build and publish.

It copies `palmares/starter/` (one example of each kind of file, the editors' VS Code
settings, the two GitHub workflows of a content repository) and the JSON Schemas, so that the
`$schema` lines and the VS Code settings resolve inside the new repository. Everything is
written into a folder beside DIR, which then takes DIR's place (or, when DIR is an empty
folder already, whose entries move into it): nothing half-written.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import TextIO

from palmares import __version__, resources

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
    if target.exists() and not target.is_dir():
        print(f"palmares: {target} existe déjà et n'est pas un dossier", file=err)
        return EXIT_USAGE
    if target.is_dir() and any(target.iterdir()):
        print(
            f"palmares: le dossier {target} existe déjà et n'est pas vide : "
            "choisissez un dossier nouveau ou vide",
            file=err,
        )
        return EXIT_USAGE
    shown, target = target, target.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.palmares-init-{os.getpid()}"
    try:
        for rel, data in starter_files(package).items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if target.is_dir():
            # The folder stays (a terminal may be in it: `init .` replaced it, and left the
            # shell in a deleted folder); what was made beside it moves in, a name at a time.
            for entry in sorted(staging.iterdir()):
                entry.rename(target / entry.name)
            staging.rmdir()
        else:
            staging.rename(target)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"palmares: impossible de créer {target} : {error.strerror or error}", file=err)
        return EXIT_USAGE
    print(
        f"Dépôt de contenu créé dans {shown} : une collectivité, une action, un domaine, "
        "une édition, les schémas et les vérifications GitHub.\n"
        f"Ensuite : palmares check --source {shown}, puis palmares serve --source {shown}",
        file=out,
    )
    return EXIT_OK
