"""The layouts folders as files: which folders a build reads (the source's own `layouts/`
first, then ours), the files in them, the links that would lead out of them, and one
fingerprint of it all. No Jinja here: a build that finds nothing changed reads this much of
the templates and no more (site/templates.py makes them an environment)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from palmares import resources
from palmares.content.read import inside, special_problem
from palmares.problems import Problem, Severity

DEFAULT = resources.layouts()
"""The built-in templates and static files, shipped with the package."""

_OUTSIDE = (
    "lien symbolique vers l'extérieur du dossier {where} : remplacez-le par le {what} lui-même"
)
_BROKEN = "lien symbolique cassé (sa cible n'existe pas) : remplacez-le par le fichier lui-même"

_OWN_OUTSIDE = (
    "lien symbolique vers l'extérieur du dossier source : aucun de ses gabarits n'est lu ; "
    "remplacez-le par un vrai dossier layouts/ qui contient les gabarits eux-mêmes"
)
_NO_FOLDER = (
    "lien symbolique cassé, en boucle ou vers un fichier : aucun gabarit n'est lu par lui ; "
    "remplacez-le par un vrai dossier layouts/ qui contient les gabarits eux-mêmes, ou "
    "retirez-le"
)
_BUILT_IN = (
    "lien symbolique vers les gabarits intégrés de Palmarès eux-mêmes : il ne remplace aucun "
    "gabarit, retirez-le (sans dossier layouts/, ce sont ces gabarits qui servent)"
)

Bound = tuple[str, str, str]
"""A layouts folder, the real folder its files must stay in, and how to name that bound."""


def folders(source: Path) -> list[Path]:
    """The source's own layouts/ first (any template there overrides ours), then ours. A
    `layouts` that is a symlink to ours, or out of the source, is left out (`own_link`)."""
    own = source / "layouts"
    # The engine's own repository: its real layouts/ is ours, no override.
    ours = os.path.realpath(own) == os.path.realpath(DEFAULT)
    found = [own] if own.is_dir() and not ours and own_link(source) is None else []
    return [*found, DEFAULT]


def own_link(source: Path) -> Problem | None:
    """The problem of a source whose `layouts` is a symlink `folders` leaves out, at
    `layouts` itself: to our own layouts/, a warning (it overrides nothing, and a
    contributor who made it may believe it does); out of the source, broken, in a loop or to
    a file, an error (nothing is read through it, and each of its templates named as a link
    would send the editor to a file that is none). None for any other source; the engine's
    own repository, whose real layouts/ is ours, says nothing."""
    own = source / "layouts"
    if not os.path.islink(own):
        return None
    if not os.path.isdir(own):  # broken, in a loop, or to a file: the built-in ones serve
        return Problem("layouts", 0, 0, _NO_FOLDER)
    real = os.path.realpath(own)
    if real == os.path.realpath(DEFAULT):
        return Problem("layouts", 0, 0, _BUILT_IN, Severity.WARNING)
    if os.path.isdir(real) and not inside(real, os.path.realpath(source)):
        return Problem("layouts", 0, 0, _OWN_OUTSIDE)
    return None


def bounds(layouts: Sequence[Path], source: Path | None) -> list[Bound]:
    """Each layouts folder with the real folder its files must stay in: the source for a
    folder inside it, else the layouts folder itself; and how to name that bound."""
    real_source = os.path.realpath(source) if source is not None else None
    found = []
    for folder in layouts:
        real = os.path.realpath(folder)
        # The folder as written, not resolved: a `layouts` linked out of the source is refused.
        written = os.path.abspath(folder)
        if real_source is not None and inside(written, os.path.abspath(source or ".")):
            found.append((str(folder), real_source, "source"))
        else:
            found.append((str(folder), real, "des gabarits"))
    return found


def refusal(path: str, bound: Bound) -> tuple[str, str] | None:
    """Why the file at `path`, under the layouts folder of `bound`, may not be read (a
    broken link, a link out of the bound, a named pipe or a device), and the path to name:
    the file's, or that of the link to a folder on its way that leads out (layouts/partials,
    not each template read through it). Found without reading it; None when it may."""
    folder, real_bound, where = bound
    if os.path.islink(path) and not os.path.exists(path):
        return path, _BROKEN
    if not inside(os.path.realpath(path), real_bound):
        way = folder
        for part in os.path.relpath(path, folder).split(os.sep)[:-1]:
            way = os.path.join(way, part)
            if not inside(os.path.realpath(way), real_bound):
                return way, _OUTSIDE.format(where=where, what="dossier")
        return path, _OUTSIDE.format(
            where=where, what="dossier" if os.path.isdir(path) else "fichier"
        )
    message = special_problem(os.stat(path).st_mode, link=os.path.islink(path))
    return None if message is None else (path, message)


def walk(folder: str, prefix: str, within: str) -> list[tuple[str, str]]:
    """The files under `folder` whose name does not start with a dot, as (relative path,
    path). A link to a folder that stays `within` (a real path: the source, or the layouts
    folder itself) is walked like a folder, each folder once (a loop is not walked again),
    as Jinja's loader reads through it; a link to a folder out of it is listed as a file,
    and so is a named pipe or a device: `refusal` refuses them, rather than leave them out
    without a word."""
    found: list[tuple[str, str]] = []
    pending = [(folder, prefix)]
    walked = {os.path.realpath(folder)}
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    walked.add(os.path.realpath(entry.path))
                    pending.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.is_symlink() and os.path.isdir(entry.path):
                    real = os.path.realpath(entry.path)
                    if not inside(real, within):
                        found.append((prefix + entry.name, entry.path))
                    elif real not in walked:
                        walked.add(real)
                        pending.append((entry.path, f"{prefix}{entry.name}/"))
                else:
                    found.append((prefix + entry.name, entry.path))
    return found


def is_template(rel: str) -> bool:
    """A file of a layouts folder that is a template (the others are static files)."""
    return rel.endswith(".html") and not rel.startswith("static/")


def built_in() -> list[str]:
    """The names of our own templates, sorted: those a source's layouts/ may replace."""
    return sorted(rel for rel, _ in walk(str(DEFAULT), "", str(DEFAULT)) if is_template(rel))


def inventory(folder: Path, source: Path) -> tuple[list[str], list[tuple[str, str]]]:
    """A source's own layouts folder in one walk: the names of its templates (not its static
    files), sorted, and every file or folder link in it that may not be read (a link out of
    the source, a broken one, a named pipe) as (path to name, why), reported by check and
    build whether or not a template reads it."""
    bound = bounds([folder], source)[0]
    names: list[str] = []
    refused: set[tuple[str, str]] = set()
    for rel, path in walk(str(folder), "", bound[1]):
        why = refusal(path, bound)
        if why is not None:
            refused.add(why)
        elif is_template(rel):
            names.append(rel)
    return sorted(names), sorted(refused)


def fingerprint(layouts: Sequence[Path], source: Path | None) -> str:
    """The names and bytes of every template and static file, and which folder each comes
    from: what the pages depend on besides their content. A file refused here (a link out)
    counts by its name only; rendering reports it."""
    h = hashlib.blake2b(digest_size=16)
    for index, bound in enumerate(bounds(layouts, source)):
        if not os.path.isdir(bound[0]):
            continue
        for rel, path in sorted(walk(bound[0], "", bound[1])):
            h.update(f"{index}\0{rel}\0".encode())
            if refusal(path, bound) is None:
                h.update(Path(path).read_bytes())
    return h.hexdigest()
