"""A built site's files as the commands that read one (diff, links) see them: found without
opening anything but regular files inside the site.

Our builds write regular files only, but such a folder can hold anything: a named pipe
(FIFO) that makes whoever opens it wait forever, a device, a symlink to a file elsewhere on
the machine. Each entry says what it is without being opened, and only a regular file, or a
symlink to one inside the site, is ever read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple

from palmares.content.read import dangling, inside, special


class Entry(NamedTuple):
    """A file of a built site."""

    path: str
    """What to read: the file itself, or the file inside the site a symlink leads to."""
    stat: os.stat_result
    """Of `path`; of the entry itself (not followed) when it is `odd`."""
    odd: str = ""
    """Why it may not be read, in French (« tube nommé (FIFO) », « lien symbolique cassé »);
    empty for a regular file, which may."""

    @property
    def symlink(self) -> bool:
        return stat.S_ISLNK(self.stat.st_mode)


class Tree(NamedTuple):
    files: dict[str, Entry]
    """Every entry that is not a folder, by its path relative to the site, with `/`."""
    folders: frozenset[str]
    """Every folder (and symlink to one) relative to the site; the site itself is `.`."""


def walk(site: Path, *, hidden: bool = True) -> Tree:
    """Every entry under `site`; without `hidden`, none whose name starts with a dot (the
    marker, a dot-folder). Nothing is opened, and no symlink is followed out of the site.
    A folder that cannot be listed raises its OSError: os.walk would leave it out, and its
    files would be told removed, or the links to them broken."""
    root = os.fspath(site)
    real_root = os.path.realpath(root)
    files: dict[str, Entry] = {}
    folders = {"."}
    for dirpath, dirnames, filenames in os.walk(root, onerror=_raise):
        if not hidden:
            dirnames[:] = [name for name in dirnames if not name.startswith(".")]
            filenames = [name for name in filenames if not name.startswith(".")]
        rel = os.path.relpath(dirpath, root).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        folders.update(prefix + name for name in dirnames)
        for name in filenames:
            files[prefix + name] = _entry(os.path.join(dirpath, name), real_root)
    return Tree(files, frozenset(folders))


def entry(site: Path, rel: str) -> Entry | None:
    """The file `rel` of `site` as `walk` sees it (the marker, say); None when there is no
    file there (nothing, or a folder)."""
    try:
        found = _entry(os.path.join(os.fspath(site), rel), os.path.realpath(site))
    except FileNotFoundError:
        return None
    return None if stat.S_ISDIR(found.stat.st_mode) else found


def _raise(error: OSError) -> None:
    raise error


def _entry(path: str, real_root: str) -> Entry:
    own = os.lstat(path)
    if not stat.S_ISLNK(own.st_mode):
        return Entry(path, own, special(own.st_mode))
    nowhere = dangling(path)
    if nowhere:
        return Entry(path, own, nowhere)
    real = os.path.realpath(path)
    if not inside(real, real_root):
        return Entry(path, own, "lien symbolique vers l'extérieur du site")
    target = os.stat(real)
    kind = special(target.st_mode)
    if kind:
        return Entry(path, own, f"lien symbolique vers un {kind}")
    return Entry(real, target)
