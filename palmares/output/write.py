"""Stage 5: pages and assets into a temporary folder, swapped into place only when the whole
build succeeded. A failed or killed build leaves the previous site as it was."""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MARKER = ".palmares-site"
MARKER_TEXT = "Dossier produit par Palmarès : il est remplacé à chaque construction.\n"


class OutputError(Exception):
    """The output folder cannot be used; the message says why, in French."""


def check_rel(rel: str) -> str:
    """`rel` if it names a file inside the output folder; anything that could land outside
    it (`..`, an absolute path, NUL, an empty or over-long name) is refused."""
    parts = rel.split("/")
    if rel.startswith("/") or any(p in ("", ".", "..") or "\x00" in p or "\\" in p for p in parts):
        raise OutputError(f"chemin de sortie refusé : {rel!r}")
    if any(len(p.encode()) > 255 for p in parts):
        raise OutputError(f"nom de fichier trop long : {rel[:80]}…")
    return rel


def safe_join(root: Path, rel: str) -> Path:
    """`root/rel`, refusing anything that would land outside `root`."""
    return root.joinpath(*check_rel(rel).split("/"))


def check_output(out: Path, protected: Sequence[Path]) -> None:
    """Refuse an output folder that would destroy something: a source folder, a folder
    holding one, the home folder, `/`, or a non-empty folder this tool did not create."""
    target = out.resolve()
    if target == Path(target.anchor) or target == Path.home().resolve():
        raise OutputError(
            f"le dossier de sortie {out} est la racine ou le dossier personnel : choisissez un sous-dossier, par exemple site/"
        )
    for folder in protected:
        folder = folder.resolve()
        if target == folder or folder.is_relative_to(target) or target.is_relative_to(folder):
            raise OutputError(
                f"le dossier de sortie {out} recouvre le dossier source {folder} : choisissez un autre dossier, par exemple site/"
            )
    if target.exists():
        if not target.is_dir():
            raise OutputError(f"{out} existe et n'est pas un dossier")
        if any(target.iterdir()) and not (target / MARKER).is_file():
            raise OutputError(
                f"le dossier de sortie {out} n'est pas vide et n'a pas été créé par Palmarès : "
                "choisissez un dossier vide ou inexistant"
            )


@dataclass(frozen=True)
class Manifest:
    """What an output folder holds: written into it as its marker file."""

    inputs: str = ""
    """Fingerprint of everything the build read: sources, layouts, engine, options."""
    files: dict[str, str] = field(default_factory=dict)
    """Output path → fingerprint of what produced it."""
    summary: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def read(cls, folder: Path) -> Manifest | None:
        try:
            data = json.loads((folder / MARKER).read_text(encoding="utf-8").split("\n", 1)[1])
            return cls(data["inputs"], dict(data["files"]), dict(data["summary"]))
        except (OSError, ValueError, KeyError, IndexError, TypeError):
            return None

    def write(self, folder: Path) -> None:
        body = json.dumps(
            {"inputs": self.inputs, "summary": self.summary, "files": self.files},
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )
        (folder / MARKER).write_text(MARKER_TEXT + body + "\n", encoding="utf-8")


class Output:
    """The live site and its staging twin beside it (`.site.next`).

    A build brings the staging folder up to date, file by file, then exchanges it with the
    live folder in one atomic step. Unchanged files are kept or hard-linked, never rewritten,
    so they keep their mtime; after the exchange the staging folder holds the previous
    generation, which is what the next build starts from. The live folder is never written
    to: a failed or killed build leaves it exactly as it was.
    """

    def __init__(self, out: Path, *, twin: bool = True) -> None:
        self.live = out.resolve()
        self.twin = twin
        """Whether a first build leaves a twin for the next one (not for a site about to be
        thrown away, whose folder the detached twin maker would still be filling)."""
        self.staging = self.live.parent / f".{self.live.name}.next"
        self.live_manifest = Manifest.read(self.live) if self.live.is_dir() else None
        self.staged: Manifest | None = None
        self._lock: int | None = None

    def release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)  # closing the descriptor drops the lock
            self._lock = None

    def begin(self) -> None:
        """Make the staging folder ready; until `commit`, its content is unknown."""
        self.live.parent.mkdir(parents=True, exist_ok=True)
        self._lock = _lock(self.live.parent)  # one build (or twin) at a time here
        if self.staging.is_symlink() or (self.staging.exists() and not self.staging.is_dir()):
            raise OutputError(
                f"{self.staging} existe et n'est pas un dossier de Palmarès : supprimez-le"
            )
        self.staging.mkdir(exist_ok=True)
        self.staged = Manifest.read(self.staging)
        (self.staging / MARKER).unlink(missing_ok=True)

    def task(self) -> Syncer:
        assert self.staged is not None or self.staging.is_dir()
        return Syncer(
            self.staging,
            self.live,
            (self.staged or Manifest()).files,
            (self.live_manifest or Manifest()).files,
        )

    def commit(self, manifest: Manifest) -> None:
        """Drop what the new site no longer has, then swap the staging folder in."""
        keep = set(manifest.files)
        if self.staged is not None:
            stale = [rel for rel in self.staged.files if rel not in keep]
        else:
            stale = [rel for rel in _walk(self.staging) if rel not in keep and rel != MARKER]
        for rel in stale:
            path = safe_join(self.staging, rel)
            path.unlink(missing_ok=True)
            _prune(path.parent, self.staging)
        manifest.write(self.staging)
        os.chmod(self.staging, 0o755)
        swap(self.staging, self.live)
        if not self.staging.exists() and self.twin:
            # A first build: the next one will want a twin to start from. Making it now (a
            # hard-linked copy: thousands of folders) would slow this build down, so a
            # detached process makes it while the editor reads the site.
            _make_twin_later(self.live, self.staging, manifest, self._lock)
        elif Manifest.read(self.staging) is None:
            # What was swapped out was not ours (a first build over an old layout): drop it.
            shutil.rmtree(self.staging, ignore_errors=True)
        self.release()


def _lock(folder: Path) -> int:
    """An exclusive lock on the folder that holds the site and its twin."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)
    except (ImportError, OSError):
        pass  # no flock here: builds are not expected to overlap anyway
    return fd


def _make_twin_later(live: Path, staging: Path, manifest: Manifest, held: int | None) -> None:
    if not hasattr(os, "fork") or os.environ.get("PALMARES_NO_TWIN"):
        return
    pid = os.fork()
    if pid:
        os.waitpid(pid, 0)  # the child exits at once, leaving the grandchild to work
        return
    try:  # pragma: no cover - runs detached
        if held is not None:
            os.close(held)  # the build's own lock, inherited: it must not hold it too
        if os.fork():
            os._exit(0)
        os.setsid()
        lock = _lock(live.parent)
        if not staging.exists() and Manifest.read(live) == manifest:
            _link_tree(live, staging)
            manifest.write(staging)  # last: a twin without its manifest is never trusted
        os.close(lock)
    finally:
        os._exit(0)


def _link_tree(source: Path, target: Path) -> None:
    for folder, _dirs, files in os.walk(source):
        here = os.path.join(target, os.path.relpath(folder, source))
        os.makedirs(here, exist_ok=True)
        for name in files:
            if name != MARKER:
                os.link(os.path.join(folder, name), os.path.join(here, name))


def _walk(root: Path) -> list[str]:
    found: list[str] = []
    for folder, _dirs, files in os.walk(root):
        base = Path(folder).relative_to(root).as_posix()
        for name in files:
            found.append(name if base == "." else f"{base}/{name}")
    return found


def _prune(folder: Path, root: Path) -> None:
    while folder != root:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


class Syncer:
    """Brings files of the staging folder to a wanted fingerprint (one per worker)."""

    def __init__(
        self, staging: Path, live: Path, staged: dict[str, str], live_files: dict[str, str]
    ) -> None:
        self.staging = os.fspath(staging)
        self.live = os.fspath(live)
        self.staged = staged
        self.live_files = live_files
        self.folders: dict[str, bool] = {}
        """Folders seen, each with whether this syncer created it: nothing is in a folder it
        created but what it wrote, so a file goes straight to its place there."""
        self.written: list[str] = []

    def sync(self, rel: str, fingerprint: str, produce: Callable[[], bytes]) -> None:
        if self.staged.get(rel) == fingerprint:
            return
        # Plain strings, not pathlib: this runs once per page of a 100 000-page site.
        target = os.path.join(self.staging, check_rel(rel))
        parent, name = os.path.split(target)
        fresh = self.folders.get(parent)
        if fresh is None:
            fresh = self.folders[parent] = _make_folder(parent)
        # Elsewhere, never into an existing file (it may share its inode with the live
        # site): through a temporary name, then a rename; a fifth of the writing time of a
        # first build, which a folder made just now spares.
        place = target if fresh else os.path.join(parent, f".{name}.tmp")
        if self.live_files.get(rel) == fingerprint:
            try:
                if not fresh and os.path.lexists(place):
                    os.unlink(place)
                os.link(os.path.join(self.live, rel), place)
                if not fresh:
                    os.replace(place, target)
                return
            except OSError:
                pass  # no such file any more, or no hard links here: write it
        data = produce()
        with open(place, "xb" if fresh else "wb") as stream:
            stream.write(data)
        if not fresh:
            os.replace(place, target)
        self.written.append(rel)


def _make_folder(path: str) -> bool:
    """Make the folder (and its parents) if missing; whether it was made here."""
    try:
        os.mkdir(path)
    except FileExistsError:
        return False
    except FileNotFoundError:
        os.makedirs(path, exist_ok=True)
    return True


def swap(new: Path, out: Path) -> None:
    """Put `new` at `out` in one step; the old site, if any, ends up at `new`."""
    if not out.exists():
        os.rename(new, out)
        return
    if not _exchange(new, out):
        # No atomic exchange on this system: two renames, the old site kept until the end.
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rename(out, old / "site")
        os.rename(new, out)
        os.rename(old / "site", new)
        old.rmdir()


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): both paths swapped atomically."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def static_files(folders: Sequence[Path]) -> list[tuple[str, bytes]]:
    """Assets from each layouts' `static/`, the first folder winning for a given name."""
    found: dict[str, Path] = {}
    for folder in reversed(folders):
        static = folder / "static"
        if static.is_dir():
            for path in static.rglob("*"):
                if path.is_file() and not path.name.startswith("."):
                    found[f"static/{path.relative_to(static).as_posix()}"] = path
    return [(rel, found[rel].read_bytes()) for rel in sorted(found)]
