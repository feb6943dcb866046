"""Failures of the system are messages too (issue 14, item 2): an output below a regular
file, a folder one may not write, a full disk, `archive --out` an existing folder, a source
file or folder one may not read. Each ends in one French line naming the path and what to
do, exit 2 (a choice that cannot work) or 1, the previous site as it was, and nothing of
the failed build left on the disk.

The tests may run as root, for whom permissions do not hold: the system's refusal is then
made at the seam where the engine meets it (os.mkdir, open, os.scandir), as the system
would make it.
"""

from __future__ import annotations

import errno
import io
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest

from palmares import cli
from palmares.output import write
from tests.helpers import tree, write_project

ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = cli.main([*args, "--no-cache"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _one_line(printed: str) -> str:
    lines = printed.strip().splitlines()
    assert len(lines) == 1, printed
    assert "Traceback" not in printed
    return lines[0]


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """A source and its site, built twice: the folder beside the site where the next one
    is made holds the one before, as it does after any build but the first."""
    source, out = write_project(tmp_path / "source"), tmp_path / "out" / "site"
    for page in ("a", "b"):
        write_project(source, {f"content/pages/{page}.md": "---\ntitre: Une page\n---\n"})
        code, printed = run(capsys, "build", "--source", str(source), "--out", str(out))
        assert code == 0, printed
    assert _beside(out) == [".site.next", "site"]
    return source, out


def _changed(source: Path) -> None:
    """An edit that changes many pages, so the next build writes files."""
    path = source / "communes/59/marcq-en-baroeul.yaml"
    path.write_text(path.read_text("utf-8") + "population: 39000\n", encoding="utf-8")


def _beside(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir())


def test_out_below_a_regular_file_is_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_project(tmp_path / "source")
    (tmp_path / "fichier").write_text("pas un dossier\n", encoding="utf-8")
    out = tmp_path / "fichier" / "site"
    code, printed = run(capsys, "build", "--source", str(source), "--out", str(out))
    assert code == 2
    assert _one_line(printed) == (
        f"palmares : {tmp_path / 'fichier'} est un fichier, pas un dossier : le site ne peut "
        f"pas être écrit dans {out} ; choisissez un autre dossier avec --out"
    )
    assert (tmp_path / "fichier").read_text("utf-8") == "pas un dossier\n"


def test_a_folder_one_may_not_write_is_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_project(tmp_path / "source")
    folder = tmp_path / "lecture-seule"
    folder.mkdir()
    out = folder / "site"
    if ROOT:  # root writes anywhere: the system's answer to anyone else, at its seam
        real_mkdir = os.mkdir

        def mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
            if Path(path).parent == folder:
                raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
            real_mkdir(path, *args, **kwargs)

        monkeypatch.setattr(os, "mkdir", mkdir)
    folder.chmod(0o555)
    try:
        code, printed = run(capsys, "build", "--source", str(source), "--out", str(out))
    finally:
        folder.chmod(0o755)
    assert code == 2
    assert _one_line(printed) == (
        f"palmares : pas le droit d'écrire dans {folder} : donnez-vous ce droit, ou choisissez "
        "un autre dossier avec --out ; rien n'a été publié"
    )
    assert list(folder.iterdir()) == []


def test_a_site_that_cannot_be_swapped_in_stays_as_it_was(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last step refused (the folder holding the site made read-only meanwhile): the
    previous site is still there, whole."""
    source, out = project
    site = tree(out)
    _changed(source)

    def swap(new: Path, live: Path) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", os.fspath(live))

    monkeypatch.setattr(write, "swap", swap)
    code, printed = run(capsys, "build", "--source", str(source), "--out", str(out))
    assert code == 2
    assert _one_line(printed) == (
        f"palmares : pas le droit d'écrire dans {out.parent} : donnez-vous ce droit, ou "
        "choisissez un autre dossier avec --out ; rien n'a été publié"
    )
    assert tree(out) == site
    assert _beside(out) == ["site"]


class _FullDisk(io.BufferedWriter):
    """A file on a disk that fills up after `room` bytes."""

    room = 0

    def write(self, data: Any) -> int:
        if _FullDisk.room < len(data):
            super().write(bytes(data)[: max(_FullDisk.room, 0)])
            _FullDisk.room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        _FullDisk.room -= len(data)
        return super().write(data)


def _fill_the_disk(monkeypatch: pytest.MonkeyPatch, room: int) -> None:
    """Files the staging folder writes (Staging._put) meet a full disk after `room` bytes."""
    _FullDisk.room = room

    def full_open(path: str, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if mode != "xb":  # reading takes no room
            return open(path, mode, *args, **kwargs)
        return _FullDisk(io.FileIO(path, "x"))

    monkeypatch.setattr(write, "open", full_open, raising=False)


@pytest.mark.parametrize("room", [0, 20_000])
def test_a_full_disk_leaves_the_previous_site_and_nothing_else(
    project: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    room: int,
) -> None:
    source, out = project
    site = tree(out)
    _changed(source)
    _fill_the_disk(monkeypatch, room)
    code, printed = run(capsys, "build", "--source", str(source), "--out", str(out))
    assert code == 1
    line = _one_line(printed)
    assert line.startswith(f"palmares : plus de place sur le disque pour écrire {out.parent}/")
    assert line.endswith(
        " : libérez de la place, puis relancez ; rien n'a été publié, le site précédent est intact"
    )
    assert tree(out) == site
    # The half-made site (and the previous one it held) is gone: nothing keeps the disk full.
    assert _beside(out) == ["site"]
    monkeypatch.undo()  # room made
    code, printed = run(capsys, "build", "--source", str(source), "--out", str(out))
    assert code == 0, printed
    assert tree(out) != site


def test_a_full_disk_while_zipping_leaves_no_zip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_project(tmp_path / "source")
    (tmp_path / "zips").mkdir()

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", full)
    target = tmp_path / "zips" / "site.zip"
    code, printed = run(capsys, "archive", "--source", str(source), "--out", str(target))
    assert code == 1
    assert _one_line(printed) == (
        f"palmares : plus de place sur le disque pour écrire {target} : libérez de la place, "
        "puis relancez ; rien n'a été publié, le site précédent est intact"
    )
    assert list((tmp_path / "zips").iterdir()) == []


def test_archive_out_an_existing_folder_is_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_project(tmp_path / "source")
    folder = tmp_path / "dossier"
    folder.mkdir()
    (folder / "garde.txt").write_text("à garder\n", encoding="utf-8")
    code, printed = run(capsys, "archive", "--source", str(source), "--out", str(folder))
    assert code == 2
    assert _one_line(printed) == (
        f"palmares : {folder} est un dossier : donnez le nom du zip à écrire, par exemple "
        f"--out {folder / 'palmares-villes-internet.zip'}"
    )
    assert tree(folder) == {"garde.txt": tree(folder)["garde.txt"]}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dossier", "source"]


def test_archive_out_below_a_regular_file_is_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_project(tmp_path / "source")
    (tmp_path / "fichier").write_text("x\n", encoding="utf-8")
    target = tmp_path / "fichier" / "site.zip"
    code, printed = run(capsys, "archive", "--source", str(source), "--out", str(target))
    assert code == 2
    assert _one_line(printed) == (
        f"palmares : {tmp_path / 'fichier'} est un fichier, pas un dossier : le zip ne peut "
        f"pas être écrit dans {target} ; choisissez un autre chemin avec --out"
    )


def _unreadable(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """`path` may not be read: chmod for anyone but root; for root, the system's answer
    to anyone else, at the seams the engine reads through."""
    if not ROOT:
        path.chmod(0o000)
        return
    refusal = PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
    real_scandir, real_read_bytes = os.scandir, Path.read_bytes

    def scandir(folder: Any = ".") -> Any:
        if Path(folder) == path:
            raise refusal
        return real_scandir(folder)

    def read_bytes(self: Path) -> bytes:
        if self == path:
            raise refusal
        return real_read_bytes(self)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        (
            "communes/59/marcq-en-baroeul.yaml",
            "communes/59/marcq-en-baroeul.yaml: le fichier ne peut pas être lu (permission "
            "refusée) : rendez-le lisible (chmod a+r communes/59/marcq-en-baroeul.yaml), ou "
            "retirez-le",
        ),
        (
            "communes/59",
            "communes/59: le dossier ne peut pas être lu (permission refusée) : rendez-le "
            "lisible (chmod a+rx communes/59), ou retirez-le",
        ),
    ],
)
def test_an_unreadable_source_is_a_problem_at_its_path(
    project: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    rel: str,
    expected: str,
) -> None:
    source, out = project
    site = tree(out)
    _changed(source)
    _unreadable(monkeypatch, source / rel)
    try:
        checked, check_printed = run(capsys, "check", "--source", str(source))
        built, build_printed = run(capsys, "build", "--source", str(source), "--out", str(out))
    finally:
        (source / rel).chmod(0o755)
    assert (checked, built) == (1, 1)
    for printed in (check_printed, build_printed):
        assert printed.splitlines()[0] == expected
        assert "Traceback" not in printed
    assert tree(out) == site


def test_a_swap_without_exchange_puts_the_old_site_back_when_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the system cannot exchange two folders in one step, the old site is moved
    aside first: when the new one then cannot take its place, the old one goes back."""
    new, live = tmp_path / ".site.next", tmp_path / "site"
    for folder, text in ((new, "nouveau"), (live, "ancien")):
        folder.mkdir()
        (folder / "index.html").write_text(text, encoding="utf-8")
    real_rename = os.rename

    def rename(a: Any, b: Any) -> None:
        if Path(a) == new:
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(a))
        real_rename(a, b)

    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(PermissionError):
        write.swap(new, live)
    assert (live / "index.html").read_text("utf-8") == "ancien"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.next", "site"]


def test_a_template_one_may_not_read_is_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refusal no stage foresaw still ends in a line naming the file, never a traceback."""
    source = write_project(
        tmp_path / "source", {"layouts/base.html": "{% block main %}{% endblock %}"}
    )
    _unreadable(monkeypatch, source / "layouts/base.html")
    try:
        code, printed = run(
            capsys, "build", "--source", str(source), "--out", str(tmp_path / "site")
        )
    finally:
        (source / "layouts/base.html").chmod(0o644)
    assert code == 1
    assert _one_line(printed) == (
        f"palmares : {source / 'layouts/base.html'} : permission refusée : vérifiez ce fichier "
        "et ses droits, puis relancez"
    )
    assert not (tmp_path / "site").exists()


def test_a_refusal_names_a_folder_as_a_folder(tmp_path: Path) -> None:
    """The line that ends a command the system stopped says what to check: the folder it
    could not list (`links` or `diff` on a site with a folder one may not read), or the file."""
    folder = tmp_path / "collectivites"
    folder.mkdir()
    (tmp_path / "index.html").write_text("")
    refused = PermissionError(errno.EACCES, "Permission denied", os.fspath(folder))
    assert cli.system_error(refused) == (
        f"{folder} : permission refusée : vérifiez ce dossier et ses droits, puis relancez"
    )
    refused = PermissionError(errno.EACCES, "Permission denied", os.fspath(tmp_path / "index.html"))
    assert cli.system_error(refused).endswith("vérifiez ce fichier et ses droits, puis relancez")
