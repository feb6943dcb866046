"""The one place that finds the files shipped with the engine: the built-in templates and
static files, the JSON Schemas of the content, and the reference data.

In the repository, `layouts/` and `schemas/` sit at the top, beside the package (a content
repository has the same `layouts/` for its overrides, and the example content's `$schema`
lines point at `schemas/`); the wheel ships them inside the package as `palmares/layouts/`
and `palmares/schemas/` (pyproject.toml, `[tool.setuptools.package-dir]`). The same calls
work from a checkout run as `python build.py`, from an editable install and from a wheel.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from pathlib import Path


@functools.cache
def _package() -> Path:
    root = files(__package__ or "palmares")
    # Jinja's loader, the static files' copy and the schemas' reads want real paths: an
    # installed wheel is a folder on disk, never a zip, for pip and for every installer.
    if not isinstance(root, Path):
        raise RuntimeError(f"palmares must be installed as files on disk, not in {root}")
    return root.resolve()


def _builtin(name: str) -> Path:
    package = _package()
    shipped = package / name
    if shipped.is_dir():
        return shipped
    # A checkout (run in place or installed in editable mode): the folder beside the package.
    checkout = package.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / name).is_dir():
        return checkout / name
    raise FileNotFoundError(f"palmares : the built-in folder {name}/ is missing from {package}")


def layouts() -> Path:
    """The built-in templates and `static/` files."""
    return _builtin("layouts")


def schemas() -> Path:
    """The JSON Schemas of the content (`commune.schema.json`…)."""
    return _builtin("schemas")


def starter() -> Path:
    """What `palmares init` copies into a new content repository."""
    return _package() / "starter"


def data(name: str) -> Path:
    """One file of the reference data (`geographie.zip`, `france-contours.json`)."""
    return _package() / "data" / name
