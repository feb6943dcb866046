"""build(): the stages in order, readable as the table of contents of the engine.

analyse   each source file loaded and validated on its own (cached, both cores)
check     the rules across files
model     one immutable Site with its indexes
render    one prepared context per page; a page whose fingerprint did not change is
          neither rendered nor written (incremental by construction, no dependency
          tracing)
write     the staging folder brought up to date, then swapped with the live one
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import marshal
import os
import pickle
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2

from palmares import resources
from palmares.content import geography
from palmares.content.load import Kind, discover_paths, load_file, read_source
from palmares.content.model import Records, Site, assign_slugs, build_site
from palmares.content.validate import CROSS_FILE_FIELDS, claimed_code, cross_check, validate_file
from palmares.output.cache import PICKLE_PROTOCOL, Analysed, ParseCache, digest, engine_fingerprint
from palmares.output.parallel import Shares, run_split, worker_count
from palmares.output.write import Manifest, Output, Syncer, check_output, static_files
from palmares.problems import Problem, Severity, sort_problems
from palmares.site import exports as export
from palmares.site import feeds, redirects, search, urls
from palmares.site import pages as render
from palmares.site.meta import with_base_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LAYOUTS = resources.layouts()
CONTENT_FOLDERS = ("communes", "content", "layouts")

Progress = Callable[[int, int], None]
"""Called with (pages done, pages in all) while rendering."""


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
    inputs: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]


def layout_folders(source: Path) -> list[Path]:
    """The source's own layouts/ first (any template there overrides ours), then ours."""
    own = source / "layouts"
    folders = [own] if own.is_dir() and own.resolve() != DEFAULT_LAYOUTS.resolve() else []
    return [*folders, DEFAULT_LAYOUTS]


def cache_folder(source: Path) -> Path:
    return source / ".cache" / "palmares"


# --- analyse -----------------------------------------------------------------------------


def analyse_one(
    raw: bytes, rel: str, kind: Kind, content_digest: str, official: geography.FileCheck
) -> Analysed:
    file, problems = load_file(raw, rel, kind)
    if file is None:
        return Analysed(rel, kind, content_digest, None, None, tuple(problems))
    record, found = validate_file(file)
    claims = claimed_code(file, record)
    own = (*problems, *found)
    broken = any(p.severity is Severity.ERROR for p in own)
    return Analysed(
        rel,
        kind,
        content_digest,
        file.slim(CROSS_FILE_FIELDS),
        record,
        own,
        claims,
        () if broken else tuple(official(file, record)),
    )


@dataclass(frozen=True, slots=True)
class Scanned:
    """A source file as found: its content digest, and its bytes if they had to be read."""

    path: str
    rel: str
    kind: Kind
    digest: str
    stat: os.stat_result | None
    raw: bytes | None = None
    unreadable: Problem | None = None


def scan(source: Path, cache: ParseCache) -> list[Scanned]:
    """Every source file with its digest: from the cache when its stat is unchanged (no
    read at all), else read and hashed."""
    found: list[Scanned] = []
    for path, rel, kind in discover_paths(source):
        try:
            stat = os.stat(path)
        except OSError:
            stat = None
        known = cache.lookup(rel, stat) if stat is not None else None
        if known is not None:
            found.append(Scanned(path, rel, kind, known, stat))
            continue
        raw, unreadable = read_source(path, rel)
        if stat is None or unreadable is not None:
            found.append(Scanned(path, rel, kind, "", None, None, unreadable))
            continue
        found.append(Scanned(path, rel, kind, digest(raw), stat, raw))
    return found


def analyse(
    scanned: list[Scanned], cache: ParseCache, workers: int | None = None
) -> list[Analysed]:
    """Every source file loaded and validated on its own: from the cache when its content is
    known, else parsed (on both cores when there are many)."""
    results: dict[str, Analysed] = {}
    todo: list[Scanned] = []
    for item in scanned:
        if item.stat is None:
            problems = (item.unreadable,) if item.unreadable else ()
            results[item.rel] = Analysed(item.rel, item.kind, "", None, None, problems)
            continue
        hit = cache.analysed(item.rel, item.digest)
        if hit is not None and hit.kind is item.kind:
            results[item.rel] = hit
            cache.store(hit, item.stat)
            continue
        if item.raw is None:  # cached digest but no usable entry: read it after all
            raw, unreadable = read_source(item.path, item.rel)
            if unreadable is not None:
                results[item.rel] = Analysed(item.rel, item.kind, "", None, None, (unreadable,))
                continue
            item = replace(item, raw=raw)
        todo.append(item)

    def task(k: int, n: int) -> list[bytes]:
        # Each analysis is pickled here, on the worker's core: the same bytes carry it back
        # to the parent and go into the cache as they are.
        official = geography.FileCheck()
        return [
            pickle.dumps(
                analyse_one(t.raw or b"", t.rel, t.kind, t.digest, official), PICKLE_PROTOCOL
            )
            for t in todo[k::n]
        ]

    blobs: dict[str, bytes] = {}
    for batch in run_split(task, worker_count(len(todo), workers)):
        for blob in batch:
            analysed = pickle.loads(blob)
            results[analysed.rel] = analysed
            blobs[analysed.rel] = blob
    for item in todo:
        assert item.stat is not None
        cache.store(results[item.rel], item.stat, blobs[item.rel])
    cache.keep_only(set(results))
    return [results[item.rel] for item in scanned]


def inputs_fingerprint(scanned: list[Scanned], layouts: list[Path], options: dict[str, Any]) -> str:
    """Everything the output depends on: sources, layouts, the engine and the options."""
    h = hashlib.blake2b(engine_fingerprint().encode(), digest_size=16)
    h.update(repr(sorted(options.items())).encode())
    for item in scanned:
        h.update(f"{item.rel}\0{item.digest}\0".encode())
    h.update(layouts_fingerprint(layouts).encode())
    return h.hexdigest()


def _options(strict: bool, base_url: str, archive: bool = False) -> dict[str, Any]:
    """The options that change the output or what a build reports."""
    return {"strict": strict, "base_url": base_url, "archive": archive}


def layouts_fingerprint(layouts: list[Path]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for index, folder in enumerate(layouts):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                h.update(f"{index}\0{path.relative_to(folder).as_posix()}\0".encode())
                h.update(path.read_bytes())
    return h.hexdigest()


# --- the stages together -----------------------------------------------------------------


@dataclass(frozen=True)
class Collected:
    problems: list[Problem]
    records: Records | None
    """None when there is an error."""
    inputs: str = ""
    seconds: float = 0.0


def collect(
    source: Path,
    *,
    strict: bool = False,
    cache: ParseCache | None = None,
    workers: int | None = None,
    base_url: str = "",
    scanned: list[Scanned] | None = None,
    archive: bool = False,
) -> Collected:
    """Every file analysed, then the rules across files: the records, or the problems."""
    started = time.perf_counter()
    if not (source / "communes").is_dir() and not (source / "content").is_dir():
        problem = Problem(
            ".",
            0,
            0,
            f"aucun dossier communes/ ni content/ dans {source} : indiquez le bon dossier avec --source",
        )
        return Collected([problem], None)
    cache = cache if cache is not None else ParseCache(None)
    scanned = scanned if scanned is not None else scan(source, cache)
    analysed = analyse(scanned, cache, workers)
    problems = [p for item in analysed for p in item.problems]
    validated = [(item.file, item.record) for item in analysed if item.file and item.record]
    claimed = {item.claims for item in analysed if item.claims}
    records, across = cross_check(validated, claimed)
    official = [p for item in analysed for p in item.geography]
    problems = problems + across + official
    problems += redirects.plan(assign_slugs(records.communes))[1]
    if strict:
        problems = [Problem(p.path, p.line, p.col, p.message) for p in problems]
    problems = sort_problems(problems)
    if any(p.severity is Severity.ERROR for p in problems):
        return Collected(problems, None)
    options = _options(strict, base_url, archive)
    inputs = inputs_fingerprint(scanned, layout_folders(source), options)
    return Collected(problems, records, inputs, time.perf_counter() - started)


def gather(
    source: Path,
    *,
    strict: bool = False,
    cache: ParseCache | None = None,
    workers: int | None = None,
) -> Result:
    """Load, validate and model the content, writing nothing (but the cache, if given)."""
    started = time.perf_counter()
    collected = collect(source, strict=strict, cache=cache, workers=workers)
    if collected.records is None:
        return Result(collected.problems)
    site = build_site(collected.records)
    stats = Stats(len(site.communes), len(site.actions), 0, time.perf_counter() - started)
    return Result(collected.problems, stats, site, collected.inputs)


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[Callable[[], None]]:
    """The stages before rendering make a few million objects (the cached analyses, the
    model) and hardly any reference cycle: CPython's cycle collector would walk them over
    and over, a fifth of a one-change build. It is paused for them; the function given
    resumes it for rendering (where templates do make cycles), with everything made so far
    frozen out of its sight."""
    enabled = gc.isenabled()

    def resume() -> None:
        gc.freeze()
        if enabled:
            gc.enable()

    gc.disable()
    try:
        yield resume
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def build(
    source: Path,
    out: Path,
    *,
    strict: bool = False,
    progress: Progress | None = None,
    use_cache: bool = True,
    workers: int | None = None,
    base_url: str = "",
    archive: bool = False,
    cache: ParseCache | None = None,
    twin: bool = True,
) -> Result:
    """Build the site into `out`. With `base_url` (the site's public address), pages carry
    absolute canonical links and sitemap.xml is written. With `archive`, every page links to
    the zip of the offline site (urls.ARCHIVE), which the caller writes (palmares.archive).
    A `cache` given (see `source_cache`) is used instead of reading the source's own, and
    stays warm for the caller's next build: what `serve` does. With `twin` false, a first
    build makes no staging twin for a next one (an output about to be deleted)."""
    with _cycle_collector_paused() as resume:
        return _build(
            source,
            out,
            resume,
            strict=strict,
            progress=progress,
            use_cache=use_cache,
            workers=workers,
            base_url=base_url,
            archive=archive,
            cache=cache,
            twin=twin,
        )


def source_cache(source: Path) -> ParseCache:
    """The source's parse cache, to keep across builds (see `build`)."""
    return ParseCache(cache_folder(source), warm=True)


def _build(
    source: Path,
    out: Path,
    resume_collector: Callable[[], None],
    *,
    strict: bool,
    progress: Progress | None,
    use_cache: bool,
    workers: int | None,
    base_url: str,
    archive: bool,
    cache: ParseCache | None,
    twin: bool,
) -> Result:
    started = time.perf_counter()
    check_output(out, [source / name for name in CONTENT_FOLDERS])
    if cache is None:
        cache = ParseCache(cache_folder(source) if use_cache else None)
    output = Output(out, twin=twin)
    live = output.live_manifest
    if live is not None and (source / "communes").is_dir() | (source / "content").is_dir():
        scanned = scan(source, cache)
        options = _options(strict, base_url, archive)
        inputs = inputs_fingerprint(scanned, layout_folders(source), options)
        if live.inputs == inputs:
            # Nothing the site depends on changed: the live site is already this build's,
            # and so are its warnings.
            cache.checkpoint()
            summary = live.summary
            stats = Stats(
                int(summary.get("communes", 0)),
                int(summary.get("actions", 0)),
                int(summary.get("pages", 0)),
                time.perf_counter() - started,
            )
            warnings = [
                Problem(str(path), int(line), int(col), str(message), Severity.WARNING)
                for path, line, col, message in summary.get("warnings", [])
            ]
            return Result(warnings, stats, None, inputs)
    else:
        scanned = None
    collected = collect(
        source,
        strict=strict,
        cache=cache,
        workers=workers,
        base_url=base_url,
        scanned=scanned,
        archive=archive,
    )
    cache.done()
    if collected.records is None:
        return Result(collected.problems)
    site = build_site(collected.records)
    resume_collector()
    summary = {
        "communes": len(site.communes),
        "actions": len(site.actions),
        "warnings": [[p.path, p.line, p.col, p.message] for p in collected.problems],
    }
    layouts = layout_folders(source)
    try:
        bytecode = cache_folder(source) / "jinja" if use_cache else None
        files, written = _write(
            site, layouts, output, progress, workers, base_url, bytecode, archive
        )
    except jinja2.TemplateSyntaxError as err:
        output.release()
        where = _relative(Path(err.filename or err.name or "layouts"), source)
        return Result([Problem(where, err.lineno, 0, f"gabarit invalide : {err.message}")])
    except jinja2.TemplateError as err:
        output.release()
        return Result([Problem("layouts", 0, 0, f"erreur de gabarit : {err.message}")])
    except BaseException:
        output.release()
        raise
    pages = sum(1 for path in files if path.endswith(".html"))
    output.commit(Manifest(collected.inputs, files, {**summary, "pages": pages}))
    stats = Stats(
        len(site.communes), len(site.actions), pages, time.perf_counter() - started, written
    )
    return Result(collected.problems, stats, site, collected.inputs)


def _write(
    site: Site,
    layouts: list[Path],
    output: Output,
    progress: Progress | None,
    workers: int | None,
    base_url: str = "",
    bytecode: Path | None = None,
    archive: bool = False,
) -> tuple[dict[str, str], int]:
    """Bring the staging folder up to date: every page and file, each with its fingerprint."""
    env = render.environment(layouts, bytecode)
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)  # compiled once here, shared by the forked workers
    moved = redirects.jobs(site.communes, base_url)
    plan = [
        *(functools.partial(_with_base_url, make, base_url, archive) for make in render.plan(site)),
        *(functools.partial(_given, job) for job in moved),
    ]
    base = hashlib.blake2b(
        (engine_fingerprint() + layouts_fingerprint(layouts)).encode(), digest_size=16
    ).digest()
    output.begin()
    count = worker_count(len(plan), workers)
    shares = Shares(len(plan))  # the plan starts with its heaviest pages

    def sync_page(sync: Syncer, job: render.Job, fingerprints: dict[str, str]) -> None:
        h = hashlib.blake2b(base, digest_size=16)
        h.update(job.template.encode())
        # marshal version 2 writes values without back-references, so equal contexts
        # give equal bytes whatever objects they share (pickle's memo does not).
        h.update(marshal.dumps(job.context, 2))
        fingerprints[job.path] = h.hexdigest()
        sync.sync(job.path, fingerprints[job.path], functools.partial(_html, env, job))

    def task(k: int, n: int) -> tuple[dict[str, str], list[str]]:
        sync = output.task()
        fingerprints: dict[str, str] = {}
        if k == n - 1:
            # The files made from the whole site (open data and its page, the search
            # index) go to the last worker, alongside its share of the pages.
            exports = export.files(site, base_url)
            donnees = functools.partial(render.donnees, site, exports)
            sync_page(sync, _with_base_url(donnees, base_url, archive), fingerprints)
            for rel, data in [*search.files(site), *((f.path, f.data) for f in exports)]:
                fingerprints[rel] = digest(data)
                sync.sync(rel, fingerprints[rel], functools.partial(bytes, data))
        for index in shares:
            sync_page(sync, plan[index](), fingerprints)
            if progress is not None and k == 0 and index % 50 == 0:
                progress(shares.claimed, len(plan))
        if progress is not None and k == 0:
            progress(len(plan), len(plan))
        return fingerprints, sync.written

    files: dict[str, str] = {}
    written = 0
    for fingerprints, rewritten in run_split(task, count):
        files.update(fingerprints)
        written += len(rewritten)
    sync = output.task()
    skip = {urls.NOT_FOUND, *(job.path for job in moved)}
    pages = sorted(p for p in files if p.endswith(".html") and p not in skip)
    for rel, data in [*static_files(layouts), *feeds.files(site, pages, base_url)]:
        files[rel] = digest(data)
        sync.sync(rel, files[rel], functools.partial(bytes, data))
    return dict(sorted(files.items())), written + len(sync.written)


def _with_base_url(make: Callable[[], render.Job], base_url: str, archive: bool) -> render.Job:
    job = with_base_url(make(), base_url)
    if archive and "root" in job.context:  # pages built on the shared base context
        job = replace(job, context={**job.context, "archive": job.context["root"] + urls.ARCHIVE})
    return job


def _given(job: render.Job) -> render.Job:
    return job


def _html(env: jinja2.Environment, job: render.Job) -> bytes:
    return render.render(env, job).html.encode("utf-8")


def _relative(path: Path, source: Path) -> str:
    for base in (source, PROJECT_ROOT):
        if path.resolve().is_relative_to(base.resolve()):
            return path.resolve().relative_to(base.resolve()).as_posix()
    return path.as_posix()
