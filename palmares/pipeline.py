"""The engine's table of contents: `check` reads the content, `build` makes the site.

    fresh?     the sources' list and stats against the last build  freshness.py
    load       every source file found and read                    content/read.py, load.py
    validate   each file on its own, then the rules across files   content/validate.py
    model      one immutable Site with its indexes                  content/model.py
    plan       every output of the site, with the records it shows  site/plan.py
    render     each output whose records changed → its files        site/render.py
    write      into a folder beside the site, swapped in at the end output/write.py

`check` stops after model; on a source with its own templates it also rehearses render
(`rehearse`: every page rendered, nothing written), so that it fails where build would.

Speed sits behind two seams that the stages do not see: the parse cache, a cached map over
the files shared between the cores (output/cache.py), and the keys of the plan's outputs,
which let render skip what did not change.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from palmares import freshness
from palmares.content import config as configuration
from palmares.content import embargo
from palmares.content.model import Commune, Site, build_site
from palmares.content.validate import cross_check
from palmares.freshness import Result, Sources
from palmares.output.cache import Found, ParseCache
from palmares.output.parallel import each
from palmares.output.write import Manifest, OutputError, Staging, Written
from palmares.problems import Problem, Severity, sort_problems
from palmares.site import layouts as layout_files
from palmares.site import redirects, templates
from palmares.site.options import Options
from palmares.site.plan import Output, plan
from palmares.site.render import TemplateFailure, render

Progress = Callable[[int, int], None]
"""Called with (outputs done, outputs in all) while rendering."""


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
    `loaded`: what `freshness.discover(source)` gave, when the caller has it already;
    `drafts`: the editions under embargo are modelled too (a preview), else left out;
    `config`: what `configuration.read(source)` gave (palmares.toml), when the caller has it
    already."""
    settings = config or configuration.read(source)
    found, missing = loaded or freshness.discover(source)
    problems = list(missing) + settings.problems
    problems += filter(None, [layout_files.own_link(source)])
    cache = cache or ParseCache(None)
    files = cache.read_all(found, workers)
    problems += [p for f in files for p in f.problems]
    valid = [(f.file, f.record) for f in files if f.file and f.record]
    records, across = cross_check(
        valid, {f.claims for f in files if f.claims}, {f.rel for f in found}
    )
    problems += across + [p for f in files for p in f.geography]
    digests = {f.rel: f.digest for f in files}
    layouts = layout_files.folders(source)
    if len(layouts) > 1:  # the source's own templates are code that build compiles: so does check
        names, refused = layout_files.inventory(layouts[0], source)
        refusals = [
            template_problem(templates.UnsafeLayout(why, where, where), source, layouts)
            for where, why in refused
        ]  # each link out or pipe, read by a template or not; compiling would meet them again
        problems += refusals
        if not refusals:
            # Kept compiled in the cache: build's render stage finds them there, not twice.
            own = compiled(layouts, source, cache.bytecode(), names=names)
            if isinstance(own, Problem):
                problems.append(own)
            else:
                problems += templates.unused(own, names)
    if any(p.severity is Severity.ERROR for p in problems):
        return Content(_final(problems, strict), None, digests, {})
    years = embargo.embargoed(records)
    if drafts:
        site = build_site(records, drafts=years, config=settings.config)
    else:
        public = embargo.public(records, years)
        problems += embargo.leaks(public, records)
        site = build_site(public, config=settings.config)
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
    stale: Sources | None = None,
) -> Result:
    """Build the site of `source` into `out`, which changes only if the build succeeds.
    With `base_url` (the site's public address; palmares.toml's `url` when none is given),
    pages carry absolute canonical links and sitemap.xml is written; with `archive`, every
    page links to the zip of the offline site (which the caller writes: palmares/archive.py);
    with `drafts`, the editions under embargo are shown, marked as drafts. `cache`: the
    parse cache to use, kept warm by a caller that builds again and again (serve); none,
    nothing is kept. `stale`: what freshness.read gave a caller that found the site out of
    date already (the command line asks before it imports this module); its options are
    then the build's, and `strict`, `base_url`, `archive` and `drafts` are not read."""
    started = time.perf_counter()
    cache = cache or ParseCache(None)
    sources = stale
    if sources is None:
        sources = freshness.read(
            source, out, strict=strict, base_url=base_url, archive=archive, drafts=drafts
        )
        unchanged = freshness.unchanged(out, sources, cache)
        if unchanged is not None:
            return freshness.timed(unchanged, started)
    inputs = sources.inputs
    content = check(
        source,
        strict=inputs.strict,
        cache=cache,
        workers=workers,
        loaded=(sources.found, sources.missing),
        drafts=inputs.options.drafts,
        config=sources.settings,
    )
    if content.site is None:
        return Result(content.problems)
    outputs = plan(
        content.site,
        content.digests,
        content.redirects,
        functools.partial(templates.static_files, sources.layouts, source),
        inputs.options,
        inputs.salt,
    )
    made = render_and_write(
        outputs, sources.layouts, source, out, inputs.salt, workers, progress, cache.bytecode()
    )
    if isinstance(made, Problem):
        return Result([made])
    staging, written = made
    summary = _summary(content, written)
    staging.commit(Manifest(inputs.key(content.digests) or "", written.outputs, summary))
    stats = freshness.stats(summary, written.count)
    return freshness.timed(Result(content.problems, stats, content.site), started)


def rehearse(
    source: Path,
    content: Content,
    workers: int | None = None,
    bytecode: jinja2.BytecodeCache | None = None,
) -> Content:
    """`content` with what only rendering finds, when the source has its own layouts/:
    their templates run on every page and their static files read, as build's render stage
    does, nothing written (a template that reads a value the page lacks compiles well).
    `check` calls it so that it fails where build would; the built-in templates need not
    (they are tested with the engine). `bytecode`: the compiled templates check kept."""
    layouts = layout_files.folders(source)
    if content.site is None or len(layouts) < 2:
        return content
    env = compiled(layouts, source, bytecode)
    if isinstance(env, Problem):
        found: list[Problem] = [env]
    else:
        outputs = plan(
            content.site,
            content.digests,
            content.redirects,
            functools.partial(templates.static_files, layouts, source),
            Options(),
            "",
        )

        def share(outputs: Iterator[Output]) -> Problem | None:
            try:
                for _rendered in render(outputs, env, {}, ""):
                    pass
            except jinja2.TemplateError as err:
                return template_problem(err, source, layouts)
            return None

        found = [p for p in each(outputs, share, workers) if p is not None][:1]
    if not found:
        return content
    problems = sort_problems([*content.problems, *found])
    return Content(problems, None, content.digests, {}, content.embargoed)


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
    name = ""
    try:
        env = templates.environment(layouts, source, bytecode)
        for name in env.list_templates(extensions=["html"]) if names is None else names:
            env.get_template(name)
    except jinja2.TemplateError as err:
        return template_problem(err, source, layouts)
    except UnicodeDecodeError as err:
        where = next((folder / name for folder in layouts if (folder / name).is_file()), None)
        return Problem(
            _relative(where, source) if where else "layouts",
            0,
            0,
            f"le gabarit n'est pas en UTF-8 (octet 0x{err.object[err.start]:02x}) : "
            "enregistrez-le en UTF-8",
        )
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


def _relative(path: Path, source: Path) -> str:
    """`path` under the source (or the built-in layouts), as written: a link is named as
    itself, never by where it leads."""
    written = os.path.abspath(path)
    for base in (source, layout_files.DEFAULT.parent):
        root = os.path.abspath(base)
        if written.startswith(root + os.sep):
            return Path(written[len(root) + 1 :]).as_posix()
    return path.as_posix()
