"""The package installs and runs anywhere: the wheel built from the checkout, installed in a
fresh virtual environment outside it, builds the example content byte for byte as the
checkout's own `python build.py` does.

The virtual environment sees this environment's packages (`--system-site-packages`: the
dependencies are not downloaded again) but gets its own copy of palmares from the wheel, and
every test checks that the copy it runs is that one, not the checkout's editable install.

Building the wheel needs setuptools 77 or later (the `test` extra installs it) and pip 22.3
or later (`pip --python`): without them these tests are skipped on a workstation and fail in
CI (`CI=true`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
CHECKOUT = ("pyproject.toml", "README.md", "LICENSE", "build.py", "palmares", "layouts", "schemas")
EXAMPLE = ("communes", "content", "palmares.toml")

pytestmark = pytest.mark.package


def _release(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version(name).split(".")[:2] if part.isdigit())


def _require_tools() -> None:
    missing = []
    if _release("setuptools") < (77,):
        missing.append(f"setuptools>=77 (installed: {version('setuptools')})")
    if _release("pip") < (22, 3):
        missing.append(f"pip>=22.3 (installed: {version('pip')})")
    if missing:
        reason = "building and installing the wheel needs " + ", ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def _run(args: Sequence[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    """A command with nothing of the checkout in its environment; fails the test on failure."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PALMARES_BASE_URL")
    }
    env["SOURCE_DATE_EPOCH"] = "1700000000"
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(
            f"`{' '.join(map(str, args))}` exited {done.returncode}\n"
            f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}",
            pytrace=False,
        )
    return done


def _copy(names: Sequence[str], into: Path) -> Path:
    into.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".cache")
    for name in names:
        path = PROJECT / name
        if path.is_dir():
            shutil.copytree(path, into / name, ignore=ignore)
        elif path.is_file():
            shutil.copy2(path, into / name)
    return into


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the checkout as it is: the wheel and the reference site both come from it,
    so they run the same code even while someone edits the working tree, no build/ is left in
    the checkout, and no stale file of an earlier build gets into the wheel."""
    return _copy(CHECKOUT, tmp_path_factory.mktemp("checkout") / "palmares")


@pytest.fixture(scope="module")
def wheel(checkout: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    _require_tools()
    dist = tmp_path_factory.mktemp("dist")
    _run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "wheel", "-q", "--no-deps",
         "--no-index", "--no-build-isolation", "-w", dist, checkout],
        cwd=dist,
    )  # fmt: skip
    (found,) = dist.glob("palmares-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment outside the checkout with the wheel installed: its bin/."""
    root = tmp_path_factory.mktemp("venv") / "env"
    _run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", root], root.parent
    )
    scripts = root / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / "python"
    _run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "--python", python,
         "install", "-q", "--no-deps", "--no-index", wheel],
        cwd=root.parent,
    )  # fmt: skip
    return scripts


def test_the_wheel_holds_the_code_templates_schemas_data_and_licence(
    wheel: Path, checkout: Path
) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    # Code, data and the starter of `palmares init` (hidden files included).
    package = {
        p.relative_to(checkout).as_posix()
        for p in (checkout / "palmares").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert package - names == set(), (
        "files missing from the wheel: add their folder to [tool.setuptools] packages "
        "(and package-data) in pyproject.toml"
    )
    for folder, shipped in (("layouts", "palmares/layouts"), ("schemas", "palmares/schemas")):
        files = {
            p.relative_to(checkout / folder).as_posix() for p in (checkout / folder).rglob("*")
        }
        expected = {f"{shipped}/{rel}" for rel in files if (checkout / folder / rel).is_file()}
        assert expected and expected - names == set(), folder
    assert not {n for n in names if n.startswith(("layouts/", "schemas/", "tests/"))}
    info = next(n for n in names if n.endswith(".dist-info/METADATA"))
    metadata = zipfile.ZipFile(wheel).read(info).decode()
    assert "License-Expression: MIT" in metadata.splitlines()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


def test_the_installed_package_is_the_wheel_not_the_checkout(venv: Path, tmp_path: Path) -> None:
    probe = (
        "import json, sys, palmares.cli, palmares.pipeline\n"
        "from palmares import resources\n"
        "print(json.dumps({'modules': sorted(m.__file__ for n, m in sys.modules.items()\n"
        "    if n.split('.')[0] == 'palmares' and getattr(m, '__file__', None)),\n"
        "  'folders': [str(resources.layouts()), str(resources.schemas()),\n"
        "    str(resources.data('geographie.zip'))]}))\n"
    )
    found = json.loads(_run([venv / "python", "-c", probe], tmp_path).stdout)
    site_packages = venv.parent.resolve()
    paths = [Path(p).resolve() for p in [*found["modules"], *found["folders"]]]
    assert len(found["modules"]) > 10
    assert [p for p in paths if not p.is_relative_to(site_packages)] == []
    assert all(p.exists() for p in paths)


def test_the_installed_command_answers_help(venv: Path, tmp_path: Path) -> None:
    done = _run([venv / "palmares", "--help"], tmp_path)
    assert done.stdout.startswith("utilisation : palmares")
    assert "init" in done.stdout
    assert _run([venv / "palmares", "init", "--help"], tmp_path).stdout.startswith(
        "utilisation : palmares init"
    )


def test_the_installed_command_builds_the_same_site_as_the_checkout(
    venv: Path, checkout: Path, tmp_path: Path
) -> None:
    # Each build reads its own copy, in a folder of another name: a path of the source or of
    # the engine that leaked into a page would make the two sites differ.
    installed_source = _copy(EXAMPLE, tmp_path / "elsewhere" / "contenu")
    checkout_source = _copy(EXAMPLE, tmp_path / "source")
    _run([venv / "palmares", "check", "--source", installed_source], tmp_path / "elsewhere")
    _run(
        [venv / "palmares", "--source", installed_source, "--out", "site", "--archive"],
        tmp_path / "elsewhere",
    )
    _run(
        [sys.executable, "build.py", "--source", checkout_source,
         "--out", tmp_path / "checkout-site", "--archive"],
        checkout,
    )  # fmt: skip
    installed, reference = tmp_path / "elsewhere" / "site", tmp_path / "checkout-site"

    def tree(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
        }

    built, expected = tree(installed), tree(reference)
    assert len(expected) > 30 and "index.html" in expected
    assert sorted(built) == sorted(expected)
    assert [name for name in expected if built[name] != expected[name]] == []
