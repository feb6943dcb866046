"""The last stage: the site into a temporary folder beside it, swapped into place only when
the whole build succeeded. A failed or killed build leaves the previous site as it was."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from palmares.text import shown_path

if TYPE_CHECKING:
    from palmares.site.render import Rendered

MARKER = ".palmares-site"
MARKER_TEXT = "Dossier produit par Palmarès : il est remplacé à chaque construction.\n"


class OutputError(Exception):
    """The output folder cannot be used; the message says why, in French. `usage`: the
    person chose a folder that cannot work (exit 2), rather than the system failing
    under a good choice (a full disk, exit 1)."""

    def __init__(self, message: str, *, usage: bool = True) -> None:
        super().__init__(message)
        self.usage = usage

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in a worker process, it comes back to the parent pickled.
        return (_output_error, (str(self), self.usage))


def _output_error(message: str, usage: bool) -> OutputError:
    return OutputError(message, usage=usage)


_NO_ROOM = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_NOT_ALLOWED = (errno.EACCES, errno.EPERM, errno.EROFS)


def refused(err: OSError, where: Path | str) -> OutputError:
    """What the system's refusal to write `where` (or the file it names) means, and what to
    do about it, in one line."""
    path = shown_path(err.filename if err.filename else where)
    if err.errno in _NO_ROOM:
        return OutputError(
            f"plus de place sur le disque pour écrire {path} : libérez de la place, puis "
            "relancez ; rien n'a été publié, le site précédent est intact",
            usage=False,
        )
    if err.errno in _NOT_ALLOWED:  # in the folder that holds what could not be made
        return OutputError(
            f"pas le droit d'écrire dans {os.path.dirname(path)} : donnez-vous ce droit, ou "
            "choisissez un autre dossier avec --out ; rien n'a été publié"
        )
    if err.errno in (errno.ENOTDIR, errno.EEXIST):
        return OutputError(
            f"{path} n'est pas un dossier : choisissez un autre dossier avec --out ; "
            "rien n'a été publié"
        )
    return OutputError(
        f"impossible d'écrire {path} ({err.strerror or err}) : vérifiez ce dossier, ou "
        "choisissez-en un autre avec --out ; rien n'a été publié",
        usage=False,
    )


def file_above(path: Path) -> Path | None:
    """The first of `path`'s parents that exists and is not a folder: nothing can be made
    below it."""
    for parent in path.parents:
        if parent.exists():
            return None if parent.is_dir() else parent
    return None


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
    if os.path.islink(out) and not os.path.exists(out):
        raise OutputError(
            f"{shown_path(out)} est un lien symbolique cassé ou en boucle : retirez-le, ou choisissez un "
            "autre dossier avec --out"
        )
    target = Path(os.path.realpath(out))
    above = file_above(target)
    if above is not None:
        raise OutputError(
            f"{shown_path(above)} est un fichier, pas un dossier : le site ne peut pas être "
            f"écrit dans {shown_path(out)} ; choisissez un autre dossier avec --out"
        )
    if target == Path(target.anchor) or target == Path.home().resolve():
        raise OutputError(
            f"le dossier de sortie {shown_path(out)} est la racine ou le dossier personnel : choisissez un sous-dossier, par exemple site/"
        )
    for folder in protected:
        folder = Path(os.path.realpath(folder))  # not resolve(): a link in a loop raises
        if target == folder or folder.is_relative_to(target) or target.is_relative_to(folder):
            raise OutputError(
                f"le dossier de sortie {shown_path(out)} recouvre le dossier source {shown_path(folder)} : choisissez un autre dossier, par exemple site/"
            )
    if target.exists():
        if not target.is_dir():
            raise OutputError(
                f"{shown_path(out)} existe et n'est pas un dossier : choisissez un autre dossier "
                "avec --out"
            )
        if any(target.iterdir()) and not (target / MARKER).is_file():
            raise OutputError(
                f"le dossier de sortie {shown_path(out)} n'est pas vide et n'a pas été créé par Palmarès : "
                "choisissez un dossier vide ou inexistant"
            )


class Record(NamedTuple):
    """What the manifest keeps of one output of the plan."""

    key: str
    """The key of what the output shows (site/plan.py)."""
    made: str
    """For a page: the digest of its template and prepared context (site/render.py);
    "" for other outputs."""
    files: tuple[str, ...]

    @property
    def ident(self) -> str:
        """Equal for two records whose files have the same bytes."""
        return self.made or self.key


@dataclass(frozen=True)
class Manifest:
    """What an output folder holds: written into it as its marker file."""

    inputs: str = ""
    """Fingerprint of everything the build read: sources, layouts, engine, options."""
    outputs: dict[str, Record] = field(default_factory=dict)
    """Each output of the plan → its record."""
    summary: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def read(cls, folder: Path, *, outputs: bool = True) -> Manifest | None:
        """The manifest of `folder`, if it has one; without `outputs`, its first lines only
        (the inputs and the summary: what a build that finds nothing changed needs)."""
        try:
            with (folder / MARKER).open(encoding="utf-8") as stream:
                stream.readline()  # MARKER_TEXT, for whoever opens the file
                head = json.loads(stream.readline())
                records = json.loads(stream.readline()) if outputs else {}
            found = {
                id: Record(str(key), str(made), tuple(files))
                for id, (key, made, files) in records.items()
            }
            return cls(str(head["inputs"]), found, dict(head["summary"]))
        except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError):
            return None

    @property
    def files(self) -> list[str]:
        return sorted(rel for record in self.outputs.values() for rel in record.files)

    def write(self, folder: Path) -> None:
        def line(value: object) -> str:
            return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

        head = line({"inputs": self.inputs, "summary": self.summary})
        text = f"{MARKER_TEXT}{head}\n{line(self.outputs)}\n"
        (folder / MARKER).write_text(text, encoding="utf-8")


@dataclass
class Written:
    """What a writer did: each output's key and files, and how many files it wrote."""

    outputs: dict[str, Record] = field(default_factory=dict)
    count: int = 0

    @classmethod
    def merged(cls, parts: Iterable[Written]) -> Written:
        """What the writers of all the processes did, the outputs in order."""
        done = cls()
        for part in parts:
            done.outputs.update(part.outputs)
            done.count += part.count
        done.outputs = dict(sorted(done.outputs.items()))
        return done


class Staging:
    """The folder beside the site (`.site.next`) where the next site is made, then swapped
    with the live one in one step.

    After a swap, the staging folder holds the previous site: the next build brings it up
    to date rather than making a whole new folder, so a build that changes one page
    touches a few files, not one folder per page (making and removing folders is what
    costs most on a disk). An output the staging folder already holds with the same key is
    left as it is; one the live site holds with that key is hard-linked from it; the
    others are written. A file is never written into in place: it may share its inode with
    the live site, which is never written to. A failed or killed build leaves the live site
    as it was.
    """

    def __init__(self, out: Path) -> None:
        self.live = out.resolve()
        previous = Manifest.read(self.live) if self.live.is_dir() else None
        self.live_outputs = previous.outputs if previous else {}
        self.known = {id: (r.key, r.made) for id, r in self.live_outputs.items()}
        """What each output of the live site was made from: render skips what is the same."""
        self.folder = self.live.parent / f".{self.live.name}.next"
        self._lock: int | None = None
        self._ours = False
        try:
            self.live.parent.mkdir(parents=True, exist_ok=True)
            self._lock = self._claim()
            self._ours = True
            staged = Manifest.read(self.folder)
            if staged is None or not staged.inputs:  # killed mid-way: its content is unknown
                _empty(self.folder)
                staged = Manifest()
            self.staged = staged.outputs
            Manifest().write(self.folder)  # in progress: the content is unknown until commit
        except OSError as err:
            self.discard()
            raise refused(err, self.folder) from None
        self._folders: set[str] = set()

    def _claim(self) -> int | None:
        """Make the staging folder, or take the one a previous build left; locked while
        this build uses it. Never a folder this tool did not make, but an empty one: the
        output folder may have been an empty folder made by hand (`mkdir site`, a host's
        `www/`), which the first build's swap leaves here without a marker, and an empty
        folder holds nothing to lose (check_output takes one as --out for that reason)."""
        folder = self.folder
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise OutputError(
                f"{shown_path(folder)} existe et n'est pas un dossier de Palmarès : supprimez-le"
            )
        with contextlib.suppress(FileExistsError):
            folder.mkdir()
        if not (folder / MARKER).is_file():
            if any(folder.iterdir()):
                raise OutputError(
                    f"{shown_path(folder)} existe et n'a pas été créé par Palmarès : supprimez-le ou "
                    "choisissez un autre dossier de sortie"
                )
            Manifest().write(folder)
        return _lock(folder)

    def write(self, rendered: Iterable[Rendered]) -> Written:
        """Bring each output's files up to date in the staging folder (one writer per
        process, each with its own outputs). The system's refusal is an OutputError; what
        making an output raises (`rendered` renders as it goes) is not the disk's, and
        passes through as it is."""
        done = Written()
        for item in rendered:
            try:
                done.outputs[item.id] = self._store(item, done)
            except OSError as err:
                raise refused(err, self.folder) from None
        return done

    def _store(self, item: Rendered, done: Written) -> Record:
        staged = self.staged.get(item.id)
        if item.files is None:  # the live site's files are still right
            live = self.live_outputs[item.id]
            if staged is None or (staged.ident, staged.files) != (live.ident, live.files):
                for rel in live.files:
                    self._link(rel)
            return Record(item.key, item.made, live.files)
        known = item.id in self.live_outputs  # else its files are new (a first build)
        for rel, data in item.files:
            if known and self._same_as_live(rel, data):
                self._link(rel)  # made again, the same bytes: it keeps its date
            else:
                self._put(rel, data)
                done.count += 1
        return Record(item.key, item.made, tuple(rel for rel, _ in item.files))

    def _target(self, rel: str) -> str:
        # Plain strings, not pathlib: this runs once per page of a 100 000-page site.
        target = os.path.join(self.folder, check_rel(rel))
        parent = os.path.dirname(target)
        if parent not in self._folders:
            os.makedirs(parent, exist_ok=True)
            self._folders.add(parent)
        return target

    def _same_as_live(self, rel: str, data: bytes) -> bool:
        try:
            with open(os.path.join(self.live, rel), "rb") as stream:
                return stream.read(len(data) + 1) == data
        except OSError:
            return False

    def _put(self, rel: str, data: bytes) -> None:
        def put(target: str) -> None:
            with open(target, "xb") as stream:
                stream.write(data)

        _replacing(self._target(rel), put)

    def _link(self, rel: str) -> None:
        source = os.path.join(self.live, rel)

        def link(target: str) -> None:
            try:
                os.link(source, target, follow_symlinks=False)
            except FileExistsError:
                raise
            except OSError:  # no hard links on this file system (a USB key's FAT)
                shutil.copy2(source, target, follow_symlinks=False)

        _replacing(self._target(rel), link)

    def commit(self, manifest: Manifest) -> None:
        """Drop what the new site no longer has, then swap it in."""
        try:
            kept: set[str] | None = None  # every file of the new site, if needed
            for id, record in self.staged.items():
                now = manifest.outputs.get(id)
                if now is not None and now.files == record.files:
                    continue  # the same files: none to drop (most outputs)
                if kept is None:
                    kept = {rel for r in manifest.outputs.values() for rel in r.files}
                for rel in record.files:
                    if rel not in kept:
                        path = safe_join(self.folder, rel)
                        path.unlink(missing_ok=True)
                        _prune(path.parent, self.folder)
            manifest.write(self.folder)
            os.chmod(self.folder, 0o755)
            swap(self.folder, self.live)
        except OSError as err:
            self.discard()
            raise refused(err, self.folder) from None
        finally:
            self.close()

    def discard(self) -> None:
        """Remove the staging folder, once it is ours, and let go of it: after a failure,
        nothing of a build stays on the disk (a full one most of all); the next build
        writes every file again."""
        if self._ours:
            shutil.rmtree(self.folder, ignore_errors=True)
            self._ours = False
        self.close()

    def close(self) -> None:
        """Let go of the staging folder (a failed build leaves it for the next one)."""
        if self._lock is not None:
            os.close(self._lock)  # closing the descriptor drops the lock
            self._lock = None


def _replacing(target: str, make: Callable[[str], None]) -> None:
    """`make(target)`, a new file; the one a previous build left there is removed first, never
    written into (it may share its inode with the live site). Made first, removed only when
    that fails: in a first build, or the first after one, no file is there yet, and 26 000
    removals that fail cost 60 ms."""
    try:
        make(target)
    except FileExistsError:
        os.unlink(target)
        make(target)


def _empty(folder: Path) -> None:
    """Everything in `folder` removed but its marker, which says that it is ours."""
    for entry in os.scandir(folder):
        if entry.name == MARKER:
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)


def _prune(folder: Path, root: Path) -> None:
    while folder != root:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _lock(folder: Path) -> int | None:
    """An exclusive lock on the staging folder: one build at a time into the same site."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no flock here (Windows)
        return None
    fd = os.open(folder, os.O_RDONLY)
    with contextlib.suppress(OSError):  # no locks on this file system: nothing to wait for
        fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def swap(new: Path, out: Path) -> None:
    """Put `new` at `out` in one step (renameat2 where the system has it); the old site, if
    any, ends up at `new`."""
    if not out.exists():
        os.rename(new, out)
        return
    if not _exchange(new, out):
        # No atomic exchange on this system: two renames, the old site kept until the end.
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rename(out, old / "site")
        try:
            os.rename(new, out)
        except OSError:
            os.rename(old / "site", out)  # the old site back where it was
            old.rmdir()
            raise
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
