"""The whole site as one zip a reader takes home: unzipped anywhere, opened from `file://`,
it browses and searches with no network.

The same sources give the same bytes: entries sorted, every date the same (SOURCE_DATE_EPOCH
when set, as reproducible-builds.org asks, else ARCHIVE_EPOCH), fixed permissions, no extra
fields. The zip holds the site built without the link to the zip (`build --archive` adds it
to the published site only), so no page of the offline copy points at a missing file.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

from palmares.freshness import Result, content_folders
from palmares.output.cache import ParseCache
from palmares.output.write import MARKER, OutputError, file_above, refused
from palmares.pipeline import build
from palmares.site import urls
from palmares.text import shown_path

ARCHIVE_EPOCH = 946_684_800
"""2000-01-01T00:00:00Z, the year of the first edition: the date of every entry unless
SOURCE_DATE_EPOCH says otherwise."""
FOLDER = "palmares-villes-internet"
"""The folder the zip unpacks into."""
_ZIP_MIN = 315_532_800  # 1980-01-01, the earliest date a zip entry can hold
_ZIP_MAX = 4_354_819_198  # 2107-12-31 23:59:58, the latest


def epoch(environ: Mapping[str, str]) -> int:
    """SOURCE_DATE_EPOCH if it is a number, else ARCHIVE_EPOCH; within the dates a zip entry
    can hold (1980 to 2107: later ones ended in a struct.error)."""
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(value) if value.isdigit() and len(value) < 20 else ARCHIVE_EPOCH
    return min(max(seconds, _ZIP_MIN), _ZIP_MAX)


def site_files(site: Path, skip: frozenset[str] = frozenset()) -> list[tuple[str, Path]]:
    """Every file of a built site as (path inside the site, file), sorted; the build's
    marker, caches and the names in `skip` left out."""
    found = []
    for path in site.rglob("*"):
        rel = path.relative_to(site).as_posix()
        if path.is_file() and rel != MARKER and not rel.startswith(".") and rel not in skip:
            found.append((rel, path))
    return sorted(found)


def write_zip(site: Path, out: Path, seconds: int, skip: frozenset[str] = frozenset()) -> int:
    """Zip `site` into `out` (written beside it, then renamed); returns the entry count.
    The system's refusal (a full disk, a folder one may not write) is an OutputError, and
    leaves nothing beside the zip."""
    stamp = dt.datetime.fromtimestamp(seconds, dt.UTC).timetuple()[:6]
    if out.is_symlink() or (out.exists() and not out.is_file()):
        # `--out /dev/null` replaced the device with a zip, run as root (an audit).
        raise OutputError(
            f"{out} existe et n'est pas un fichier : choisissez un autre nom pour l'archive"
        )
    files = site_files(site, skip)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    except OSError as err:
        raise refused(err, out.parent) from None
    os.close(handle)
    try:
        with zipfile.ZipFile(tmp, "w") as archive:
            for rel, path in files:
                info = zipfile.ZipInfo(f"{FOLDER}/{rel}", date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3  # Unix, so the permissions below are read
                info.external_attr = 0o100644 << 16
                archive.writestr(info, path.read_bytes(), compresslevel=9)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except OSError as err:
        raise refused(err, out) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return len(files)


def check_zip(path: Path, source: Path) -> None:
    """Refuse a zip path that names a folder, lies below a file, or inside one of the
    source's folders (a build writes nothing there: `build --out` refuses them too)."""
    where = Path(os.path.realpath(path))
    for folder in content_folders(source):
        if where.is_relative_to(os.path.realpath(folder)):
            raise OutputError(
                f"{shown_path(path)} est dans le dossier {shown_path(folder)} du contenu : "
                f"choisissez un autre chemin avec --out, par exemple {urls.ARCHIVE}"
            )
    if path.is_dir():
        raise OutputError(
            f"{path} est un dossier : donnez le nom du zip à écrire, par exemple "
            f"--out {path / urls.ARCHIVE}"
        )
    above = file_above(path)
    if above is not None:
        raise OutputError(
            f"{above} est un fichier, pas un dossier : le zip ne peut pas être écrit dans "
            f"{path} ; choisissez un autre chemin avec --out"
        )


def write_offline(
    source: Path, zip_path: Path, *, strict: bool = False, cache: ParseCache | None = None
) -> Result:
    """Build the site into a temporary folder, without the link to the zip, and zip it into
    `zip_path`. The build's result, with its problems when it failed (nothing written).
    A `zip_path` that cannot be a file is refused first, before any build."""
    check_zip(zip_path, source)
    with tempfile.TemporaryDirectory(prefix="palmares-archive-") as tmp:
        result = build(source, Path(tmp) / "site", strict=strict, cache=cache)
        if not result.errors:
            write_zip(Path(tmp) / "site", zip_path, epoch(os.environ))
    return result
