"""Stage 5: pages and assets into a temporary folder, swapped into place only when the whole
build succeeded. A failed or killed build leaves the previous site as it was."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

MARKER = ".palmares-site"
MARKER_TEXT = "Dossier produit par Palmarès : il est remplacé à chaque construction.\n"


class OutputError(Exception):
    """The output folder cannot be used; the message says why, in French."""


def safe_join(root: Path, rel: str) -> Path:
    """`root/rel`, refusing anything that would land outside `root`."""
    parts = PurePosixPath(rel).parts
    if (
        not parts
        or PurePosixPath(rel).is_absolute()
        or any(p in ("..", "") or "\x00" in p for p in parts)
    ):
        raise OutputError(f"chemin de sortie refusé : {rel!r}")
    if any(len(p.encode()) > 255 for p in parts):
        raise OutputError(f"nom de fichier trop long : {rel[:80]}…")
    return root.joinpath(*parts)


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


def write_site(out: Path, files: Iterable[tuple[str, bytes]]) -> list[str]:
    """Write every file into a fresh folder beside `out`, then swap it in. Returns their paths."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    written: list[str] = []
    try:
        made: set[Path] = {tmp}
        for rel, data in files:
            path = safe_join(tmp, rel)
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            path.write_bytes(data)
            written.append(rel)
        (tmp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        os.chmod(tmp, 0o755)
        swap(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return written


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
