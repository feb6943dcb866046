"""Before the stages: what a build reads to know whether there is anything to do.

A build whose sources, templates, configuration, options and engine are those of the site
already in the output folder has nothing to do: its result is the manifest's (the last
build's counts and warnings). Answering takes a walk over the source, a stat of each file
and the manifest's first line; this module imports none of the stages (no parser, no
Jinja), so such a build costs little more than Python's start (docs/benchmarks.md, no-op).
The command line asks here first and imports the stages (pipeline.py) only when there is
work; `pipeline.build` asks here too, for every other caller.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from palmares.content import config as configuration
from palmares.content.read import discover_paths
from palmares.output.cache import Found, ParseCache, engine_fingerprint
from palmares.output.write import Manifest, check_output
from palmares.problems import Problem, Severity
from palmares.site import layouts as layout_files
from palmares.site.options import Options
from palmares.text import shown_path

if TYPE_CHECKING:
    from palmares.content.model import Site

CONTENT_FOLDERS = ("communes", "content", "layouts")
"""The source's folders: no output folder may overlap them, `serve` watches them."""


def content_folders(source: Path) -> list[Path]:
    """The source's folders (CONTENT_FOLDERS) under `source`, whether they exist or not."""
    return [source / name for name in CONTENT_FOLDERS]


@dataclass(frozen=True)
class Stats:
    communes: int = 0
    actions: int = 0
    pages: int = 0
    seconds: float = 0.0
    rendered: int = 0
    """Output files actually (re)written by this build."""


@dataclass(frozen=True)
class Result:
    problems: list[Problem] = field(default_factory=list)
    stats: Stats = Stats()
    site: Site | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]


@dataclass(frozen=True)
class Inputs:
    """Everything the output depends on besides the sources."""

    templates: str
    options: Options
    strict: bool
    config: str = ""
    """The digest of the site's configuration (palmares.toml and its logo): every page shows
    the site's title and the footer's links."""
    own_link: str = ""
    """The problem of the source's `layouts` when it is a link left out (site/layouts.py,
    to our own layouts/ or out of the source): no page changes, but the build's problems
    do."""

    @property
    def salt(self) -> str:
        """What every page depends on besides its own content."""
        return f"{engine_fingerprint()}\0{self.templates}\0{self.options!r}\0{self.config}"

    @property
    def fingerprint(self) -> str:
        """The key's first part: everything but the sources."""
        text = f"{self.salt}\0{self.strict}\0{self.own_link}"
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

    def key(self, digests: Mapping[str, str | None]) -> str | None:
        """With the sources' digests: the key of the whole site, `fingerprint:sources`;
        None when a source cannot be read."""
        if any(d is None for d in digests.values()):
            return None
        h = hashlib.blake2b(digest_size=16)
        for rel in sorted(digests):
            h.update(f"{rel}\0{digests[rel]}\0".encode())
        return f"{self.fingerprint}:{h.hexdigest()}"


@dataclass(frozen=True)
class Sources:
    """What a build reads before it knows whether there is anything to do."""

    source: Path
    layouts: list[Path]
    """The layouts folders, the source's own first (site/layouts.py)."""
    settings: configuration.Loaded
    """palmares.toml, read and checked."""
    inputs: Inputs
    found: list[Found]
    """Every source file, as discovered (not read)."""
    missing: list[Problem]
    """The problem of a source with no content folder at all."""


def check_out(source: Path, out: Path) -> None:
    """An OutputError when `out` cannot be the output folder of `source`: it would overlap
    the source's folders, or destroy something (write.check_output)."""
    check_output(out, content_folders(source))


def read(
    source: Path,
    out: Path,
    *,
    strict: bool = False,
    base_url: str = "",
    archive: bool = False,
    drafts: bool = False,
) -> Sources:
    """The sources' list and everything else a build depends on; an OutputError when `out`
    cannot be the output folder (it would overlap the source, say)."""
    check_out(source, out)
    layouts = layout_files.folders(source)
    settings = configuration.read(source)
    inputs = Inputs(
        layout_files.fingerprint(layouts, source),
        Options(base_url or settings.config.url, archive, drafts),
        strict,
        settings.digest,
        str(layout_files.own_link(source) or ""),
    )
    found, missing = discover(source)
    return Sources(source, layouts, settings, inputs, found, missing)


def no_content(source: Path) -> str | None:
    """Why `source` is no content folder (neither communes/ nor content/), None when it is
    one: the command line's usage error, and the problem of `discover`."""
    if (source / "communes").is_dir() or (source / "content").is_dir():
        return None
    return (
        f"aucun dossier communes/ ni content/ dans {shown_path(source.resolve())} : indiquez "
        "le dossier du contenu avec --source, ou créez-en un avec `python build.py init DOSSIER`"
    )


def discover(source: Path) -> tuple[list[Found], list[Problem]]:
    """Every source file under `source`, or the problem of a folder with none."""
    message = no_content(source)
    if message is not None:
        return [], [Problem(".", 0, 0, message)]
    return [Found(path, rel, kind) for path, rel, kind in discover_paths(source)], []


def unchanged(out: Path, sources: Sources, cache: ParseCache) -> Result | None:
    """The result of the last build into `out`, when nothing it depends on changed since;
    None when there is something to build. The sources' digests are asked of the cache
    only when there is a last build, made by the same engine with the same templates,
    configuration and options."""
    manifest = Manifest.read(out, outputs=False) if out.is_dir() else None
    if manifest is None or not manifest.inputs.startswith(f"{sources.inputs.fingerprint}:"):
        return None  # another engine, templates or options: no need to read the sources
    if manifest.inputs != sources.inputs.key(cache.digests(sources.found)):
        return None
    summary = manifest.summary
    warnings = [
        Problem(str(path), int(line), int(col), str(message), Severity.WARNING)
        for path, line, col, message in summary.get("warnings", [])
    ]
    return Result(warnings, stats(summary))


def stats(summary: Mapping[str, Any], rendered: int = 0) -> Stats:
    """The counts a manifest's summary keeps (pipeline.py writes it)."""
    return Stats(
        int(summary["communes"]), int(summary["actions"]), int(summary["pages"]), 0.0, rendered
    )


def timed(result: Result, started: float) -> Result:
    """`result` with the time since `started` (time.perf_counter)."""
    s = result.stats
    stats = Stats(s.communes, s.actions, s.pages, time.perf_counter() - started, s.rendered)
    return Result(result.problems, stats, result.site)
