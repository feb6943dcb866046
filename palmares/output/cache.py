"""The parse cache: for each source file, what loading and validating it on its own gave,
so an unchanged file is neither read nor parsed again. `read_all` is its one entry point.

The cache lives outside the source folder, which may come from a stranger's pull request
and must hold nothing that a build unpickles: by default in `$XDG_CACHE_HOME/palmares/`
(else `~/.cache/palmares/`), one folder per source, named after its resolved path.

An entry is trusted when the file's size, mtime and inode are those recorded; a file
modified in the two seconds before the cache was saved is re-read and compared by content
hash (an edit within one clock tick must not go unnoticed). The cache's file name carries a
fingerprint of the engine's own code and of the versions of the dependencies that shape its
output (SHAPING), so any upgrade of the tool or of one of them starts from a clean cache.
The same folder keeps the templates as Jinja compiled them (`bytecode`), so a build does not
compile them again: they are compiled from the templates the build reads, by this tool, and
never read from the source. The cache is safe to delete.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from palmares import __version__
from palmares.content.read import Kind, read_source
from palmares.output.parallel import each
from palmares.problems import Compact

if TYPE_CHECKING:
    import jinja2

    from palmares.content.files import FileResult

RACY_NS = 2_000_000_000
PICKLE_PROTOCOL = pickle.HIGHEST_PROTOCOL


def default_folder(environ: Mapping[str, str]) -> Path:
    """PALMARES_CACHE_DIR, else the XDG cache folder, else ~/.cache: `palmares/` in it."""
    chosen = environ.get("PALMARES_CACHE_DIR", "").strip()
    if chosen:
        return Path(chosen)
    xdg = environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "palmares"


def folder_for(root: Path, source: Path) -> Path:
    """The cache folder of one source: its resolved path, as a name. The path's bytes are
    hashed (a folder named in Latin-1 has no UTF-8 text), and only the start of its last
    part is kept readable: a name may already take the 255 bytes a folder's name can."""
    resolved = os.path.realpath(source)
    name = hashlib.blake2b(os.fsencode(resolved), digest_size=8).hexdigest()
    return root / f"{(Path(resolved).name or 'racine')[:48]}-{name}"


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


SHAPING = (
    "jinja2", "jsonschema", "markdown", "nh3", "pillow", "pymdown-extensions",
    "python-frontmatter", "python-slugify", "pyyaml",
)  # fmt: skip
"""The dependencies whose code shapes a page, a picture or a problem: a cached result depends
on their versions as on ours (an upgraded Markdown renders a write-up otherwise)."""


@functools.cache
def engine_fingerprint() -> str:
    """The tool's version, the bytes of its code and data (the official list checks each
    collectivité's file) and the versions of the SHAPING dependencies: what a cached result
    depends on."""
    h = hashlib.blake2b(__version__.encode(), digest_size=12)
    for name in SHAPING:
        h.update(f"\0{name}=={metadata.version(name)}".encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted([*package.rglob("*.py"), *(package / "data").iterdir()]):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class Entry(Compact):
    size: int
    mtime_ns: int
    inode: int
    digest: str


@dataclass(frozen=True, slots=True)
class Found:
    """A source file as discovered: where it is, its name under the source, its kind."""

    path: str
    rel: str
    kind: Kind


class ParseCache:
    """The cached results of one source's files. `folder` None: a cache that only lasts as
    long as this object (`--no-cache`, or kept warm by `serve` across its rebuilds)."""

    def __init__(self, folder: Path | None, *, warm: bool = False) -> None:
        self.folder = folder
        self.entries: dict[str, Entry] = {}
        """Each file's stat and digest: all a build that finds nothing changed reads."""
        self._blobs: dict[str, bytes] | None = None if folder is not None else {}
        """Each file's pickled FileResult, read from the cache file when first needed."""
        self._offset = 0
        self.saved_ns = 0
        self.dirty = False
        self.warm = warm
        """Keep what was unpickled: for a cache used build after build, as in `serve`."""
        self.loaded: dict[str, FileResult] = {}
        self._stats: dict[str, os.stat_result | None] = {}
        """The stats `digests` took, for `read_all` in the same build (one stat a file)."""
        if folder is not None:
            self._read()

    def bytecode(self) -> jinja2.BytecodeCache | None:
        """Where Jinja keeps the templates it compiled, beside the parse cache (a template
        whose text changed is compiled again); None without a cache folder."""
        import jinja2  # here: a build that finds nothing changed never imports Jinja

        if self.folder is None:
            return None
        folder = self.folder / f"jinja-{engine_fingerprint()}"
        try:
            if not folder.is_dir():
                for old in self.folder.glob("jinja-*"):
                    shutil.rmtree(old, ignore_errors=True)
                folder.mkdir(parents=True)
        except OSError:
            return None  # an unwritable cache folder compiles the templates each time
        return jinja2.FileSystemBytecodeCache(str(folder))

    @property
    def path(self) -> Path | None:
        return None if self.folder is None else self.folder / f"parse-{engine_fingerprint()}.pickle"

    def _read(self) -> None:
        path = self.path
        if path is None or not path.is_file():
            return
        try:
            with path.open("rb") as stream:
                saved_ns, entries = pickle.load(stream)
                self._offset = stream.tell()
        except Exception:  # a damaged cache is only a slower build
            return
        self.saved_ns, self.entries = saved_ns, entries

    @property
    def blobs(self) -> dict[str, bytes]:
        """The pickled results, after the index in the same file (a file saved since by
        another build is not mixed with this index: its results are not used)."""
        if self._blobs is None:
            self._blobs = {}
            try:
                with self.path.open("rb") as stream:  # type: ignore[union-attr]
                    stream.seek(self._offset)
                    saved_ns, blobs = pickle.load(stream)
                if saved_ns == self.saved_ns:
                    self._blobs = blobs
            except Exception:  # a damaged or replaced cache is only a slower build
                pass
        return self._blobs

    def digests(self, found: list[Found]) -> dict[str, str | None]:
        """Each file's content digest: from the cache when its stat says it did not change
        (no read at all), else read and hashed; None for a file that cannot be read."""
        known: dict[str, str | None] = {}
        self._stats = {item.rel: _stat(item.path) for item in found}
        for item in found:
            known[item.rel] = self._lookup(item.rel, self._stats[item.rel])
            if known[item.rel] is None:
                raw, problem = read_source(item.path, item.rel)
                known[item.rel] = None if problem is not None else digest(raw)
        return known

    def _lookup(self, rel: str, stat: os.stat_result | None) -> str | None:
        entry = self.entries.get(rel)
        if entry is None or stat is None:
            return None
        if (entry.size, entry.mtime_ns, entry.inode) != (
            stat.st_size,
            stat.st_mtime_ns,
            stat.st_ino,
        ):
            return None
        if stat.st_mtime_ns >= self.saved_ns - RACY_NS:
            return None  # too close to the last save to trust the clock: re-read
        return entry.digest

    def _known(self, item: Found, content_digest: str | None) -> FileResult | None:
        """What the file of that content gave last time, if the cache has it."""
        entry = self.entries.get(item.rel)
        if content_digest is None or entry is None or entry.digest != content_digest:
            return None
        known = self.loaded.get(item.rel)
        if known is not None and known.digest == content_digest:
            return known
        blob = self.blobs.get(item.rel)
        if blob is None:
            return None
        # Written by this engine (its fingerprint names the file): a FileResult, of that kind
        # unless the file changed kind (moved to another folder).
        result: FileResult = pickle.loads(blob)
        if getattr(result, "kind", None) is not item.kind:
            return None
        if self.warm:
            self.loaded[item.rel] = result
        return result

    def _remember(self, result: FileResult, stat: os.stat_result, blob: bytes) -> None:
        self.entries[result.rel] = Entry(stat.st_size, stat.st_mtime_ns, stat.st_ino, result.digest)
        self.blobs[result.rel] = blob
        if self.warm:
            self.loaded[result.rel] = result
        self.dirty = True

    def read_all(self, found: list[Found], workers: int | None = None) -> list[FileResult]:
        """Every source file loaded and validated on its own: from the cache when the file
        did not change, else read and checked (on every core when there are many). The
        cache is then saved, unless warm (its owner saves it when it suits)."""
        # Imported here, where files are checked: what `digests` needs (a build that finds
        # nothing changed) imports none of the parsers and validators.
        from palmares.content import geography
        from palmares.content.files import check_file, unreadable

        results: dict[str, FileResult] = {}
        todo: list[tuple[Found, bytes, os.stat_result]] = []
        taken, self._stats = self._stats, {}
        for item in found:
            stat = taken.get(item.rel) or _stat(item.path)
            hit = self._known(item, self._lookup(item.rel, stat))
            if hit is not None:
                results[item.rel] = hit
                continue
            raw, problem = read_source(item.path, item.rel)
            if problem is not None:
                results[item.rel] = unreadable(item.rel, item.kind, problem)
                continue
            hit = self._known(item, digest(raw))  # touched, or too recent to trust its date
            if hit is not None and stat is not None:
                results[item.rel] = hit
                self._remember(hit, stat, self.blobs[item.rel])
            elif stat is not None:
                todo.append((item, raw, stat))

        def work(share: Iterable[tuple[Found, bytes, os.stat_result]]) -> list[bytes]:
            # Each result is pickled on the worker's core: the same bytes carry it back to
            # the parent and go into the cache as they are.
            official = geography.FileCheck()
            return [
                pickle.dumps(check_file(raw, f.rel, f.kind, digest(raw), official), PICKLE_PROTOCOL)
                for f, raw, _stat in share
            ]

        stats = {item.rel: stat for item, _raw, stat in todo}
        for blobs in each(todo, work, workers):
            for blob in blobs:
                result = pickle.loads(blob)
                results[result.rel] = result
                self._remember(result, stats[result.rel], blob)
        gone = [rel for rel in self.entries if rel not in results]
        for rel in gone:
            del self.entries[rel]
            self.blobs.pop(rel, None)
            self.loaded.pop(rel, None)
        self.dirty = self.dirty or bool(gone)
        if not self.warm:
            self.save()
            # Not needed any more: the render workers need not inherit them.
            self.entries, self._blobs = {}, {}
        return [results[item.rel] for item in found if item.rel in results]

    def save(self) -> None:
        path = self.path
        if path is None or not self.dirty:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            for old in path.parent.glob("parse-*.pickle"):
                if old != path:
                    old.unlink(missing_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".parse-")
            saved_ns = time.time_ns()
            with os.fdopen(fd, "wb") as stream:
                pickle.dump((saved_ns, self.entries), stream, protocol=PICKLE_PROTOCOL)
                pickle.dump((saved_ns, self.blobs), stream, protocol=PICKLE_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            return  # an unwritable cache folder builds without a cache
        self.dirty = False


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None
