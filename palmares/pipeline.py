"""build(): the stages in order, readable as the table of contents of the engine."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from palmares import render, search
from palmares.load import load
from palmares.model import Site, build_site
from palmares.problems import Problem, Severity, sort_problems
from palmares.validate import validate
from palmares.write import check_output, static_files, write_site

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LAYOUTS = PROJECT_ROOT / "layouts"
CONTENT_FOLDERS = ("communes", "content", "layouts")

Progress = Callable[[int, int], None]
"""Called with (pages done, pages in all) while rendering."""


@dataclass(frozen=True)
class Stats:
    communes: int = 0
    actions: int = 0
    pages: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class Result:
    problems: list[Problem] = field(default_factory=list)
    stats: Stats = Stats()
    site: Site | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]


def layout_folders(source: Path) -> list[Path]:
    """The source's own layouts/ first (any template there overrides ours), then ours."""
    own = source / "layouts"
    folders = [own] if own.is_dir() and own.resolve() != DEFAULT_LAYOUTS.resolve() else []
    return [*folders, DEFAULT_LAYOUTS]


def gather(source: Path, *, strict: bool = False) -> Result:
    """Load, validate and model the content, writing nothing."""
    started = time.perf_counter()
    if not (source / "communes").is_dir() and not (source / "content").is_dir():
        problem = Problem(
            ".",
            0,
            0,
            f"aucun dossier communes/ ni content/ dans {source} : indiquez le bon dossier avec --source",
        )
        return Result([problem])
    records, problems = validate(load(source))
    if strict:
        problems = [Problem(p.path, p.line, p.col, p.message) for p in problems]
    problems = sort_problems(problems)
    if any(p.severity is Severity.ERROR for p in problems):
        return Result(problems)
    site = build_site(records)
    stats = Stats(len(site.communes), len(site.actions), 0, time.perf_counter() - started)
    return Result(problems, stats, site)


def pages(
    site: Site, layouts: list[Path], progress: Progress | None = None
) -> Iterator[tuple[str, bytes]]:
    """Every output file: rendered pages, the search index, the static assets."""
    env = render.environment(layouts)
    jobs = list(render.jobs(site))
    for done, job in enumerate(jobs, 1):
        page = render.render(env, job)
        yield page.path, page.html.encode("utf-8")
        if progress is not None:
            progress(done, len(jobs))
    yield search.INDEX_FILE, search.script(site).encode("utf-8")
    yield from static_files(layouts)


def build(
    source: Path, out: Path, *, strict: bool = False, progress: Progress | None = None
) -> Result:
    started = time.perf_counter()
    check_output(out, [source / name for name in CONTENT_FOLDERS])
    result = gather(source, strict=strict)
    if result.site is None:
        return result
    site = result.site
    layouts = layout_folders(source)
    try:
        written = write_site(out, pages(site, layouts, progress))
    except jinja2.TemplateSyntaxError as err:
        where = _relative(Path(err.filename or err.name or "layouts"), source)
        return Result([Problem(where, err.lineno, 0, f"gabarit invalide : {err.message}")])
    except jinja2.TemplateError as err:
        return Result([Problem("layouts", 0, 0, f"erreur de gabarit : {err.message}")])
    html = sum(1 for path in written if path.endswith(".html"))
    stats = Stats(len(site.communes), len(site.actions), html, time.perf_counter() - started)
    return Result(result.problems, stats, site)


def _relative(path: Path, source: Path) -> str:
    for base in (source, PROJECT_ROOT):
        if path.resolve().is_relative_to(base.resolve()):
            return path.resolve().relative_to(base.resolve()).as_posix()
    return path.as_posix()
