"""The engine's table of contents: `check` reads the content, `build` makes the site.

    load       every source file found and read                    content/load.py
    validate   each file on its own, then the rules across files   content/validate.py
    model      one immutable Site with its indexes                  content/model.py
    plan       every output of the site, with the records it shows  site/plan.py
    render     each output whose records changed → its files        site/render.py
    write      into a folder beside the site, swapped in at the end output/write.py

Speed sits behind two seams that the stages do not see: the parse cache, a cached map over
the files shared between the cores (output/cache.py), and the keys of the plan's outputs,
which let render skip what did not change.
"""

from __future__ import annotations

import functools
import hashlib
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from palmares import resources
from palmares.content import config as configuration
from palmares.content import embargo
from palmares.content.load import discover_paths
from palmares.content.model import Commune, Site, build_site
from palmares.content.validate import cross_check
from palmares.output.cache import Found, ParseCache, engine_fingerprint
from palmares.output.parallel import each
from palmares.output.write import Manifest, OutputError, Staging, Written, check_output
from palmares.problems import Problem, Severity, sort_problems
from palmares.site import redirects, templates
from palmares.site.plan import Options, Output, plan
from palmares.site.render import TemplateFailure, render

DEFAULT_LAYOUTS = resources.layouts()
CONTENT_FOLDERS = ("communes", "content", "layouts")

Progress = Callable[[int, int], None]
"""Called with (outputs done, outputs in all) while rendering."""


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
class Content:
    """The content read and checked: the site, or the problems that prevent it."""

    problems: list[Problem]
    site: Site | None
    """None when there is an error."""
    digests: Mapping[str, str]
    """Each source file's content digest."""
    redirects: Mapping[str, tuple[Commune, str]]
    """The addresses of earlier names (site/redirects.py)."""
    embargoed: tuple[int, ...] = ()
    """The editions under embargo (content/embargo.py), left out unless drafts are shown."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]


def check(
    source: Path,
    *,
    strict: bool = False,
    cache: ParseCache | None = None,
    workers: int | None = None,
    loaded: tuple[list[Found], list[Problem]] | None = None,
    drafts: bool = False,
    config: configuration.Loaded | None = None,
) -> Content:
    """Load, validate and model the content; nothing is written (but the cache).
    `loaded`: what `load(source)` gave, when the caller has it already; `drafts`: the
    editions under embargo are modelled too (a preview), else left out; `config`: what
    `configuration.read(source)` gave (palmares.toml), when the caller has it already."""
    settings = config or configuration.read(source)
    found, missing = loaded or load(source)
    problems = list(missing) + settings.problems
    cache = cache or ParseCache(None)
    files = cache.read_all(found, workers)
    problems += [p for f in files for p in f.problems]
    valid = [(f.file, f.record) for f in files if f.file and f.record]
    records, across = cross_check(valid, {f.claims for f in files if f.claims})
    problems += across + [p for f in files for p in f.geography]
    digests = {f.rel: f.digest for f in files}
    layouts = layout_folders(source)
    if len(layouts) > 1:  # the source's own templates are code that build compiles: so does check
        # Kept compiled in the cache: build's render stage finds them there, not compiled twice.
        own = compiled(layouts, source, cache.bytecode(), names=templates.names(layouts[0]))
        if isinstance(own, Problem):
            problems.append(own)
    if any(p.severity is Severity.ERROR for p in problems):
        return Content(_final(problems, strict), None, digests, {})
    years = embargo.embargoed(records)
    if drafts:
        site = build_site(records, drafts=years, config=settings.config)
    else:
        site = build_site(embargo.public(records, years), config=settings.config)
    moved, clashes = redirects.plan(site.communes)
    problems = _final(problems + clashes, strict)
    if any(p.severity is Severity.ERROR for p in problems):
        return Content(problems, None, digests, {}, years)
    return Content(problems, site, digests, moved, years)


def build(
    source: Path,
    out: Path,
    *,
    strict: bool = False,
    base_url: str = "",
    archive: bool = False,
    drafts: bool = False,
    cache: ParseCache | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Result:
    """Build the site of `source` into `out`, which changes only if the build succeeds.
    With `base_url` (the site's public address; palmares.toml's `url` when none is given),
    pages carry absolute canonical links and sitemap.xml is written; with `archive`, every
    page links to the zip of the offline site (which the caller writes: palmares/archive.py);
    with `drafts`, the editions under embargo are shown, marked as drafts. `cache`: the
    parse cache to use, kept warm by a caller that builds again and again (serve); none,
    nothing is kept."""
    started = time.perf_counter()
    check_output(out, [source / name for name in CONTENT_FOLDERS])
    cache = cache or ParseCache(None)
    layouts = layout_folders(source)
    settings = configuration.read(source)
    inputs = Inputs(
        templates.fingerprint(layouts, source),
        Options(base_url or settings.config.url, archive, drafts),
        strict,
        settings.digest,
    )
    loaded = load(source)
    unchanged = _up_to_date(out, inputs, lambda: cache.digests(loaded[0]))
    if unchanged is not None:
        return _timed(unchanged, started)
    content = check(
        source,
        strict=strict,
        cache=cache,
        workers=workers,
        loaded=loaded,
        drafts=drafts,
        config=settings,
    )
    if content.site is None:
        return Result(content.problems)
    outputs = plan(
        content.site,
        content.digests,
        content.redirects,
        functools.partial(templates.static_files, layouts, source),
        inputs.options,
        inputs.salt,
    )
    made = render_and_write(
        outputs, layouts, source, out, inputs.salt, workers, progress, cache.bytecode()
    )
    if isinstance(made, Problem):
        return Result([made])
    staging, written = made
    summary = _summary(content, written)
    staging.commit(Manifest(inputs.key(content.digests) or "", written.outputs, summary))
    return _timed(Result(content.problems, _stats(summary, written.count), content.site), started)


def render_and_write(
    outputs: list[Output],
    layouts: list[Path],
    source: Path,
    out: Path,
    salt: str,
    workers: int | None,
    progress: Progress | None,
    bytecode: jinja2.BytecodeCache | None = None,
) -> tuple[Staging, Written] | Problem:
    """Every output rendered and written into a folder beside the site, shared between the
    processes; a template's mistake instead, and nothing written. `bytecode`: the compiled
    templates kept by the cache."""
    env = compiled(layouts, source, bytecode)  # once, here, for every worker
    if isinstance(env, Problem):
        return env
    staging = Staging(out)
    try:

        def share(outputs: Iterator[Output]) -> Written | Problem | OutputError:
            try:
                return staging.write(render(outputs, env, staging.known, salt))
            except jinja2.TemplateError as err:
                return template_problem(err, source, layouts)
            except OutputError as err:  # a full disk: back from a worker as a value
                return err

        parts = each(outputs, share, workers, progress)
    except BaseException:
        staging.close()
        raise
    refusals = [p for p in parts if isinstance(p, OutputError)]
    if refusals:
        staging.discard()
        raise refusals[0]
    problems = [p for p in parts if isinstance(p, Problem)]
    if problems:
        staging.close()
        return problems[0]
    return staging, Written.merged(p for p in parts if isinstance(p, Written))


# --- the stages' helpers ---------------------------------------------------------------------


def load(source: Path) -> tuple[list[Found], list[Problem]]:
    """Every source file under `source`, or the problem of a folder with none."""
    if not (source / "communes").is_dir() and not (source / "content").is_dir():
        message = (
            f"aucun dossier communes/ ni content/ dans {source} : "
            "indiquez le bon dossier avec --source"
        )
        return [], [Problem(".", 0, 0, message)]
    return [Found(path, rel, kind) for path, rel, kind in discover_paths(source)], []


def _final(problems: list[Problem], strict: bool) -> list[Problem]:
    if strict:  # every warning is an error
        problems = [Problem(p.path, p.line, p.col, p.message) for p in problems]
    return sort_problems(problems)


def compiled(
    layouts: list[Path],
    source: Path,
    bytecode: jinja2.BytecodeCache | None = None,
    names: list[str] | None = None,
) -> jinja2.Environment | Problem:
    """The templates' environment with the templates `names` (all of them when None)
    compiled; a template's first mistake instead."""
    try:
        env = templates.environment(layouts, source, bytecode)
        for name in env.list_templates(extensions=["html"]) if names is None else names:
            env.get_template(name)
    except jinja2.TemplateError as err:
        return template_problem(err, source, layouts)
    return env


def template_problem(err: jinja2.TemplateError, source: Path, layouts: list[Path]) -> Problem:
    """A template's mistake, at its line in its file."""
    if isinstance(err, TemplateFailure):
        where = _relative(Path(err.filename), source)
        return Problem(where, err.lineno, 0, err.message or "")
    if isinstance(err, jinja2.TemplateSyntaxError):
        where = _relative(Path(err.filename or err.name or "layouts"), source)
        return Problem(where, err.lineno, 0, f"gabarit invalide : {err.message}")
    return Problem("layouts", 0, 0, f"erreur de gabarit : {err.message}")


def layout_folders(source: Path) -> list[Path]:
    """The source's own layouts/ first (any template there overrides ours), then ours."""
    own = source / "layouts"
    folders = [own] if own.is_dir() and own.resolve() != DEFAULT_LAYOUTS.resolve() else []
    return [*folders, DEFAULT_LAYOUTS]


def _summary(content: Content, written: Written) -> dict[str, Any]:
    """What the manifest keeps of a build, for the next one that finds nothing changed."""
    assert content.site is not None
    pages = [f for r in written.outputs.values() for f in r.files if f.endswith(".html")]
    return {
        "communes": len(content.site.communes),
        "actions": len(content.site.actions),
        "pages": len(pages),
        "warnings": [[p.path, p.line, p.col, p.message] for p in content.problems],
    }


def _stats(summary: Mapping[str, Any], rendered: int = 0) -> Stats:
    return Stats(
        int(summary["communes"]), int(summary["actions"]), int(summary["pages"]), 0.0, rendered
    )


def _timed(result: Result, started: float) -> Result:
    s = result.stats
    stats = Stats(s.communes, s.actions, s.pages, time.perf_counter() - started, s.rendered)
    return Result(result.problems, stats, result.site)


# --- a build where nothing changed -------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """Everything the output depends on besides the sources."""

    templates: str
    options: Options
    strict: bool
    config: str = ""
    """The digest of the site's configuration (palmares.toml and its logo): every page shows
    the site's title and the footer's links."""

    @property
    def salt(self) -> str:
        """What every page depends on besides its own content."""
        return f"{engine_fingerprint()}\0{self.templates}\0{self.options!r}\0{self.config}"

    @property
    def fingerprint(self) -> str:
        """The key's first part: everything but the sources."""
        return hashlib.blake2b(f"{self.salt}\0{self.strict}".encode(), digest_size=16).hexdigest()

    def key(self, digests: Mapping[str, str | None]) -> str | None:
        """With the sources' digests: the key of the whole site, `fingerprint:sources`;
        None when a source cannot be read."""
        if any(d is None for d in digests.values()):
            return None
        h = hashlib.blake2b(digest_size=16)
        for rel in sorted(digests):
            h.update(f"{rel}\0{digests[rel]}\0".encode())
        return f"{self.fingerprint}:{h.hexdigest()}"


def _up_to_date(
    out: Path, inputs: Inputs, digests: Callable[[], Mapping[str, str | None]]
) -> Result | None:
    """The result of the last build, when nothing it depends on changed since (the sources'
    `digests` are asked for only when there is a last build, made by the same engine with
    the same templates and options)."""
    manifest = Manifest.read(out, outputs=False) if out.is_dir() else None
    if manifest is None or not manifest.inputs.startswith(f"{inputs.fingerprint}:"):
        return None  # another engine, templates or options: no need to read the sources
    if manifest.inputs != inputs.key(digests()):
        return None
    summary = manifest.summary
    warnings = [
        Problem(str(path), int(line), int(col), str(message), Severity.WARNING)
        for path, line, col, message in summary.get("warnings", [])
    ]
    return Result(warnings, _stats(summary))


def _relative(path: Path, source: Path) -> str:
    """`path` under the source (or the built-in layouts), as written: a link is named as
    itself, never by where it leads."""
    written = os.path.abspath(path)
    for base in (source, DEFAULT_LAYOUTS.parent):
        root = os.path.abspath(base)
        if written.startswith(root + os.sep):
            return Path(written[len(root) + 1 :]).as_posix()
    return path.as_posix()
