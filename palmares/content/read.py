"""Stage 1, first half: find the source files and read their bytes, safely.

Discovery follows a symlink only when its target stays inside the source folder; reading
never goes through a link discovery refused, and never decodes bytes another way than UTF-8.
This module imports no parser: a build that finds nothing changed reads no more than this
(content/load.py parses what it reads).
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import NamedTuple

from palmares.problems import Problem, Severity
from palmares.text import shown_path

KeyPath = tuple[str | int, ...]


class Kind(Enum):
    COMMUNE = "commune"
    ACTION = "action"
    DOMAINE = "domaine"
    EDITION = "edition"
    PAGE = "page"


class Pos(NamedTuple):
    """Where a value is written. A named tuple: the parse cache holds many of them, and
    tuples pickle several times faster than dataclasses."""

    line: int
    col: int
    raw: str | None = None
    """The scalar exactly as written, with `quoted` telling whether quotes surrounded it."""
    quoted: bool = False


# Where each kind of file lives, relative to the source folder, and its suffixes.
PLACES: tuple[tuple[str, Kind, tuple[str, ...]], ...] = (
    ("communes", Kind.COMMUNE, (".yaml", ".yml")),
    ("content/actions", Kind.ACTION, (".md",)),
    ("content/domaines", Kind.DOMAINE, (".md",)),
    ("content/palmares", Kind.EDITION, (".md",)),
    ("content/pages", Kind.PAGE, (".md",)),
)


_WHAT = {
    Kind.COMMUNE: "une collectivité",
    Kind.ACTION: "une action",
    Kind.DOMAINE: "un domaine",
    Kind.EDITION: "une édition",
    Kind.PAGE: "une page",
}
_MARKDOWN = (".markdown", ".mdown", ".mkd", ".mkdn")
"""Other endings of Markdown files, which some editors write."""


def _meant(ext: str, suffixes: tuple[str, ...]) -> bool:
    """Whether a file of a place that ends with `ext` was meant to be read by it: a text
    file (Notepad's `.txt`, which Windows hides: `lille.yaml.txt`) or Markdown with
    another ending (`.markdown`)."""
    return ext == ".txt" or (".md" in suffixes and ext in _MARKDOWN)


def misnamed(rel: str, kind: Kind) -> Problem | None:
    """The warning of a file discovery found under a place without its files' ending, that
    was meant to be one of them (`_meant`): it is not read; it says the name to give it.
    None for any other."""
    place = next(p for p in PLACES if p[1] is kind)
    stem, ext = os.path.splitext(rel)
    if not _meant(ext.lower(), place[2]):
        return None  # one of its files, or a link discovery refused (`communes/boucle`)
    hidden = os.path.splitext(stem)[1].lower() in place[2]  # `lille.yaml.txt`
    name = os.path.basename(stem if hidden else stem + place[2][0])
    endings = " et ".join(place[2])
    return Problem(
        rel,
        0,
        0,
        f"ce fichier n'est pas lu (seuls les fichiers {endings} de {place[0]}/ le sont) : "
        f"s'il décrit {_WHAT[kind]}, renommez-le `{name}`"
        + (" (Windows masque peut-être la fin .txt de son nom)" if hidden else ""),
        Severity.WARNING,
    )


def discover(source: Path) -> Iterator[tuple[Path, str, Kind]]:
    """Every content file under `source`, in a stable order whatever the file system's."""
    for path, rel, kind in discover_paths(source):
        yield Path(path), rel, kind


def discover_paths(source: Path) -> Iterator[tuple[str, str, Kind]]:
    """`discover` with plain string paths: making a Path per file would cost more than the
    stat that a build then makes of it.

    A symlink is followed only when its target stays inside the source folder. One that
    does not (or that is broken, or loops, or leads to a folder read already) is still
    yielded, at its own path, and `read_source` reports it without reading its target: a
    link silently left out would hide a mistake. So is a named pipe, a socket or a device
    named like a source file (a folder copied from a zip or a USB key may hold one), and
    `read_source` reports it without opening it."""
    walk = _Walk(os.fspath(source))
    places: list[tuple[str, str, tuple[str, ...], bool]] = []
    links = {folder: walk.links_in(folder) for folder, _, _ in PLACES}
    # Places reached through a link last: a folder reached both ways is read at its own path.
    for folder, kind, suffixes in sorted(PLACES, key=lambda p: bool(links[p[0]])):
        root = os.path.join(walk.source, folder)
        refused = next((link for link in links[folder] if not walk.may_follow(link)), None)
        if (
            refused is None
            and links[folder]
            and os.path.isdir(root)
            and os.path.realpath(root) in walk.visited
        ):
            refused = links[folder][-1]
        if refused is not None:
            walk.refuse(folder, refused, os.path.join(walk.source, refused))
            continue
        if not os.path.isdir(root):
            continue
        walk.visited.add(os.path.realpath(root))
        places.append((folder, root, suffixes, kind in (Kind.COMMUNE, Kind.ACTION)))
    # Real folders first, links after, for the same reason.
    for folder, root, suffixes, recursive in places:
        walk.scan(folder, root, f"{folder}/", os.path.realpath(root), suffixes, recursive)
    for folder, _, suffixes, recursive in places:
        walk.follow(folder, suffixes, recursive)
    for folder, kind, _ in PLACES:
        for rel, path in sorted(walk.found.get(folder, ())):
            yield path, rel, kind


def inside(real: str, root: str) -> bool:
    """Whether the real path `real` is `root` or lies under it."""
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


class _Walk:
    """One discovery: the folders already read, by real path, so that no folder is read
    twice and no link loops; and, by place, the files found as (relative path, path)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.real_source = os.path.realpath(source)
        self.visited: set[str] = set()
        self.found: dict[str, list[tuple[str, str]]] = {}
        self.links: dict[str, list[tuple[str, str, str, str]]] = {}
        """Folder links still to follow, by place: (path, relative path, real, real parent)."""
        self.reported: set[str] = set()

    def links_in(self, folder: str) -> list[str]:
        """The components of a place's folder that are links, relative to the source
        (`content` for a `content/` linked elsewhere): a few lstat a build."""
        found: list[str] = []
        rel = ""
        for part in folder.split("/"):
            rel = f"{rel}/{part}" if rel else part
            if os.path.islink(os.path.join(self.source, rel)):
                found.append(rel)
        return found

    def may_follow(self, rel: str) -> bool:
        """Whether the link at `rel` leads inside the source, to a folder that neither
        holds it nor was read already."""
        path = os.path.join(self.source, rel)
        target = self.target(path)
        if target is None or target in self.visited:
            return False
        return not inside(os.path.realpath(os.path.dirname(path)), target)

    def refuse(self, place: str, rel: str, path: str) -> None:
        """A link `read_source` will report, once whatever the places behind it."""
        if rel not in self.reported:
            self.reported.add(rel)
            self.found.setdefault(place, []).append((rel, path))

    def scan(
        self,
        place: str,
        folder: str,
        prefix: str,
        real: str,
        suffixes: tuple[str, ...],
        recursive: bool,
    ) -> None:
        """One folder and its real sub-folders (scandir: one system call a folder, no stat
        a file); links to folders are kept for `follow`."""
        found = self.found.setdefault(place, [])
        links = self.links.setdefault(place, [])
        pending = [(folder, prefix, real)]
        while pending:
            folder, prefix, real = pending.pop()
            try:
                entries = os.scandir(folder)
            except OSError:  # read_source says why
                self.refuse(place, prefix.rstrip("/"), folder)
                continue
            with entries:
                for entry in entries:
                    name = entry.name
                    if name.startswith((".", "_")):
                        continue
                    ext = os.path.splitext(name)[1].lower()
                    matches = ext in suffixes or _meant(ext, suffixes)  # `misnamed` says so
                    if entry.is_symlink():
                        if not (matches or recursive):
                            continue  # neither read nor walked: not worth resolving
                        rel = prefix + name
                        target = self.target(entry.path)
                        if target is None:
                            # Refused unless it leads out to a file that would not be read;
                            # a broken link or a loop might have been a folder.
                            if matches or not os.path.isfile(entry.path):
                                found.append((rel, entry.path))  # read_source says why
                        elif os.path.isdir(target):
                            if recursive:
                                links.append((entry.path, rel, target, real))
                        elif matches:
                            # The link itself when it leads to a named pipe: read_source says why.
                            found.append((rel, target if os.path.isfile(target) else entry.path))
                    elif entry.is_dir(follow_symlinks=False):
                        inner = real + os.sep + name
                        if recursive and inner not in self.visited:
                            self.visited.add(inner)
                            pending.append((entry.path, f"{prefix}{name}/", inner))
                    elif matches:  # a regular file, or a named pipe read_source refuses
                        found.append((prefix + name, entry.path))

    def follow(self, place: str, suffixes: tuple[str, ...], recursive: bool) -> None:
        """The links to folders inside the source, each read once, in a stable order; a link
        to a folder already read, or to one that holds it, is reported by read_source."""
        links = self.links.setdefault(place, [])
        while links:
            links.sort(reverse=True)
            path, rel, real, parent = links.pop()
            if real in self.visited or inside(parent, real):
                self.found.setdefault(place, []).append((rel, path))
                continue
            self.visited.add(real)
            self.scan(place, path, rel + "/", real, suffixes, recursive)

    def target(self, path: str) -> str | None:
        """Where a link leads, when it may be followed: fully resolved, inside the source."""
        try:
            real = os.path.realpath(path, strict=True)
        except OSError:
            return None  # broken, or a loop of links
        return real if inside(real, self.real_source) else None


_LINK_OUTSIDE = (
    "lien symbolique vers l'extérieur du dossier source : remplacez-le par le {what} lui-même"
)
_LINK_BROKEN = (
    "lien symbolique cassé (sa cible n'existe pas) : retirez-le, ou remplacez-le par le "
    "fichier lui-même"
)
_LINK_LOOP = (
    "lien symbolique en boucle (il mène à lui-même ou à un dossier qui le contient) : retirez-le"
)
_LINK_SPECIAL = (
    "lien symbolique vers un {kind}, et non vers un fichier ordinaire : remplacez-le par le "
    "fichier lui-même"
)
_SPECIAL = "{kind} et non un fichier ordinaire : remplacez-le par le fichier lui-même"
_LINK_TWICE = (
    "lien symbolique vers le dossier `{target}`, déjà lu : retirez-le, ses fichiers sont "
    "déjà pris en compte"
)


def link_problem(path: str, rel: str) -> str | None:
    """What is wrong with the link at `path`, whose place in the source is `rel` (so the
    source is `path` without `rel`); None for a link to a file inside the source. Never
    reads the target: the message cannot show what it holds."""
    source = path[: -len(rel)] if rel and path.endswith(rel) else ""
    try:
        real = os.path.realpath(path, strict=True)
    except OSError as err:
        return _LINK_LOOP if err.errno == errno.ELOOP else _LINK_BROKEN
    mode = os.stat(real).st_mode
    is_dir = stat.S_ISDIR(mode)
    real_source = os.path.realpath(source) if source else None
    if real_source is None or not inside(real, real_source):
        return _LINK_OUTSIDE.format(what="dossier" if is_dir else "fichier")
    if not is_dir:
        return special_problem(mode, link=True)
    if inside(os.path.realpath(os.path.dirname(path)), real):
        return _LINK_LOOP
    target = os.path.relpath(real, real_source).replace(os.sep, "/")
    return _LINK_TWICE.format(target=target)


def dangling(path: str | Path) -> str:
    """What a symlink that leads nowhere is: « lien symbolique en boucle » or « lien
    symbolique cassé »; empty when it leads somewhere."""
    try:
        os.path.realpath(path, strict=True)
    except OSError as err:
        return f"lien symbolique {'en boucle' if err.errno == errno.ELOOP else 'cassé'}"
    return ""


def special(mode: int) -> str:
    """What a file that is not a regular one is, in French (« tube nommé (FIFO) »); empty
    for a regular file."""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISFIFO(mode):
        return "tube nommé (FIFO)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "périphérique"
    return "fichier spécial"


def special_problem(mode: int, link: bool = False) -> str | None:
    """Why a file of that mode (reached through a link, with `link`) may not be read: a
    named pipe makes whoever opens it wait forever, a device may do anything. None for a
    regular file or a folder."""
    kind = special(mode)
    if not kind or stat.S_ISDIR(mode):
        return None
    return (_LINK_SPECIAL if link else _SPECIAL).format(kind=kind)


def read_source(path: str | Path, rel: str) -> tuple[bytes, Problem | None]:
    """A file's bytes, or the problem of reading it (permissions, a file gone meanwhile, a
    link `discover_paths` did not follow, a named pipe). A link is never read through here:
    discovery gives the target's own path for a link it accepts; and what is not a regular
    file is never opened (one lstat a file read, a few microseconds against the read itself)."""
    if not rel.isascii():
        try:
            rel.encode("utf-8")
        except UnicodeEncodeError:  # undecodable bytes of the name, kept as surrogates
            return b"", Problem(
                shown_path(rel),
                0,
                0,
                "le nom de ce fichier n'est pas en UTF-8 (il a été écrit dans un autre "
                "encodage, Latin-1 par exemple) : renommez-le en retapant ses lettres accentuées",
            )
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        mode = stat.S_IFREG  # gone meanwhile, or out of reach: reading it says why
    if stat.S_ISLNK(mode):
        message = link_problem(os.fspath(path), rel)
        if message is not None:
            return b"", Problem(rel, 0, 0, message)
        path = os.path.realpath(path)
    elif (message := special_problem(mode)) is not None:
        return b"", Problem(rel, 0, 0, message)
    try:
        return Path(path).read_bytes(), None
    except OSError as err:
        return b"", Problem(rel, 0, 0, unreadable(path, rel, err))


def unreadable(path: str | Path, rel: str, err: OSError) -> str:
    """Why the file or folder at `path` (`rel` in the source) cannot be read, and what to do."""
    if os.path.isdir(path):
        try:
            os.scandir(path).close()
        except OSError as inner:
            err = inner
        what, mode = "le dossier", "a+rx"
    else:
        what, mode = "le fichier", "a+r"
    if err.errno in (errno.EACCES, errno.EPERM):
        return (
            f"{what} ne peut pas être lu (permission refusée) : rendez-le lisible "
            f"(chmod {mode} {rel}), ou retirez-le"
        )
    return f"{what} ne peut pas être lu ({err.strerror or err}) : vérifiez-le, ou retirez-le"


UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
"""How a UTF-16 file starts (Windows' Notepad calls it « Unicode », Excel's « Texte
Unicode » export is one)."""


def decode(raw: bytes, rel: str) -> tuple[str, Problem | None]:
    """UTF-8 with or without BOM, any line endings; anything else is reported at its line
    (UTF-16, which Windows' Notepad calls « Unicode », by its name)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith(UTF16_BOMS):
        return "", Problem(
            rel,
            1,
            1,
            "le fichier est en UTF-16 (le codage « Unicode » du Bloc-notes de Windows) : "
            "enregistrez-le en UTF-8 (dans VS Code : « Enregistrer avec l'encodage » → UTF-8 ; "
            "dans le Bloc-notes : Enregistrer sous, Codage : UTF-8)",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        # What precedes the bad byte is valid UTF-8: count characters, as editors do.
        line_start = raw.rfind(b"\n", 0, err.start) + 1
        col = len(raw[line_start : err.start].decode("utf-8")) + 1
        snippet = raw[err.start : err.start + 1].hex()
        return "", Problem(
            rel,
            line,
            col,
            f"le fichier n'est pas en UTF-8 (octet 0x{snippet}) : enregistrez-le en UTF-8 "
            "(dans VS Code : « Enregistrer avec l'encodage » → UTF-8). "
            "Un fichier Latin-1 ou Windows-1252 n'est pas accepté.",
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return "", Problem(
            rel, line, 0, "le fichier contient un caractère nul : est-ce bien du texte ?"
        )
    return text, None
