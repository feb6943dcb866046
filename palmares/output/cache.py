"""The parse cache: for each source file, what loading and validating it gave, so an
unchanged file is neither read nor parsed again.

An entry is trusted when the file's size, mtime and inode are those recorded; a file
modified in the two seconds before the cache was saved is re-read and compared by content
hash (an edit within one clock tick must not go unnoticed). The cache lives in
`<source>/.cache/palmares/`, is safe to delete, and its file name carries a fingerprint of
the engine's own code, so any upgrade of the tool starts from a clean cache.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from palmares import __version__
from palmares.content.load import Kind, SourceFile
from palmares.problems import Compact, Problem

RACY_NS = 2_000_000_000
PICKLE_PROTOCOL = pickle.HIGHEST_PROTOCOL


@dataclass(frozen=True, slots=True)
class Analysed(Compact):
    """One source file after loading and validating it on its own."""

    rel: str
    kind: Kind
    digest: str
    file: SourceFile | None
    record: Any
    problems: tuple[Problem, ...]
    claims: str | None = None
    """The code a collectivité file names even when it has errors (see validate.cross_check)."""
    geography: tuple[Problem, ...] = ()
    """The file's warnings against the official list (geography.FileCheck): none when the
    file has errors of its own (fix those first)."""


@dataclass(frozen=True, slots=True)
class Entry(Compact):
    size: int
    mtime_ns: int
    inode: int
    digest: str
    blob: bytes
    """The pickled Analysed: unpickled only when a build needs the records, never for a
    build that finds nothing changed."""


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@functools.cache
def engine_fingerprint() -> str:
    """The tool's version and the bytes of its code and data (the official list checks each
    collectivité's file): what a cached result depends on."""
    h = hashlib.blake2b(__version__.encode(), digest_size=12)
    package = Path(__file__).resolve().parent.parent
    for path in sorted([*package.rglob("*.py"), *(package / "data").iterdir()]):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


class ParseCache:
    def __init__(self, folder: Path | None, *, warm: bool = False) -> None:
        self.folder = folder
        self.entries: dict[str, Entry] = {}
        self.saved_ns = 0
        self.dirty = False
        self.warm = warm
        """Keep what was unpickled (`loaded`): for a cache used by build after build, as in
        `serve`. A single build does not: the analyses are freed once the model is made."""
        self.loaded: dict[str, Analysed] = {}
        if folder is not None:
            self._read()

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
        except Exception:  # a damaged cache is only a slower build
            return
        self.saved_ns, self.entries = saved_ns, entries

    def lookup(self, rel: str, stat: os.stat_result) -> str | None:
        """The content digest of an unchanged file, without reading it."""
        entry = self.entries.get(rel)
        if entry is None:
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

    def analysed(self, rel: str, content_digest: str) -> Analysed | None:
        """What the file of that content gave last time, if the cache has it."""
        entry = self.entries.get(rel)
        if entry is None or entry.digest != content_digest:
            return None
        known = self.loaded.get(rel)
        if known is not None and known.digest == content_digest:
            return known
        result = pickle.loads(entry.blob)
        if not isinstance(result, Analysed):
            return None
        if self.warm:
            self.loaded[rel] = result
        return result

    def store(self, analysed: Analysed, stat: os.stat_result, blob: bytes | None = None) -> None:
        """Remember `analysed` for the file of that stat; `blob`, if given, is its pickle."""
        old = self.entries.get(analysed.rel)
        if old is not None and old.digest == analysed.digest:
            blob = old.blob
            if (old.size, old.mtime_ns, old.inode) == (stat.st_size, stat.st_mtime_ns, stat.st_ino):
                return
        else:
            if blob is None:
                blob = pickle.dumps(analysed, protocol=PICKLE_PROTOCOL)
            if self.warm:
                self.loaded[analysed.rel] = analysed
        self.entries[analysed.rel] = Entry(
            stat.st_size, stat.st_mtime_ns, stat.st_ino, analysed.digest, blob
        )
        self.dirty = True

    def keep_only(self, rels: set[str]) -> None:
        gone = [rel for rel in self.entries if rel not in rels]
        for rel in gone:
            del self.entries[rel]
            self.loaded.pop(rel, None)
        self.dirty = self.dirty or bool(gone)

    def checkpoint(self) -> None:
        """Save now, unless warm: a warm cache's owner saves it when it suits (serve: once
        the browsers have been told to reload, which the save would otherwise delay)."""
        if not self.warm:
            self.save()

    def done(self) -> None:
        """The build is past reading its sources: save (see `checkpoint`), then, unless
        warm, drop the entries, which the forked render workers would otherwise inherit
        (100 MB at national scale)."""
        self.checkpoint()
        if not self.warm:
            self.entries = {}

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
            with os.fdopen(fd, "wb") as stream:
                pickle.dump((time.time_ns(), self.entries), stream, protocol=PICKLE_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            return  # a read-only source folder builds without a cache
        self.dirty = False
