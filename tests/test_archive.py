"""`python build.py archive` and `build --archive`: the offline site as one zip, the same bytes
for the same sources, linked from every page of the published site and never from itself."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from palmares import archive
from palmares.cli import main
from palmares.site import urls
from tests.helpers import action, write_project

FILES: dict[str, str | bytes | None] = {
    "content/actions/2017/tiers-lieu.md": action(),
}


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return write_project(tmp_path / "source", FILES)


def test_archive_writes_the_whole_offline_site(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "palmares.zip"
    assert main(["archive", "--source", str(source), "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        assert names == sorted(names)
        assert all(n.startswith(f"{archive.FOLDER}/") for n in names)
        inside = {n.removeprefix(f"{archive.FOLDER}/") for n in names}
        for rel in ("index.html", urls.SEARCH, "static/search-index.js", "static/search.js"):
            assert rel in inside
        assert not any(n.endswith((".palmares-site", ".zip")) for n in inside)
        assert all(info.date_time == (2000, 1, 1, 0, 0, 0) for info in z.infolist())
        assert all(info.external_attr >> 16 == 0o100644 for info in z.infolist())
        # The offline copy does not offer to download itself: no link to a missing file.
        assert urls.ARCHIVE not in z.read(f"{archive.FOLDER}/index.html").decode("utf-8")


def test_the_same_sources_give_the_same_bytes(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, dated = tmp_path / "1.zip", tmp_path / "2.zip", tmp_path / "3.zip"
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert main(["archive", "--source", str(source), "--out", str(first)]) == 0
    assert main(["archive", "--source", str(source), "--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert main(["archive", "--source", str(source), "--out", str(dated)]) == 0
    assert dated.read_bytes() != first.read_bytes()
    with zipfile.ZipFile(dated) as z:
        assert z.infolist()[0].date_time == (2023, 11, 14, 22, 13, 20)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("", archive.ARCHIVE_EPOCH),
        ("abc", archive.ARCHIVE_EPOCH),
        ("0", 315_532_800),
        # After 2107 (an audit: struct.error, or a year out of range): the last zip date.
        ("5000000000", 4_354_819_198),
        ("99999999999999", 4_354_819_198),
        ("9" * 40, archive.ARCHIVE_EPOCH),
    ],
)
def test_epoch_falls_back_and_stays_within_what_zip_holds(value: str, seconds: int) -> None:
    assert archive.epoch({"SOURCE_DATE_EPOCH": value}) == seconds


def test_build_archive_links_every_page_to_the_zip_beside_it(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    assert main(["build", "--source", str(source), "--out", str(site), "--archive"]) == 0
    assert "Archive hors ligne écrite dans" in capsys.readouterr().out
    assert zipfile.is_zipfile(site / urls.ARCHIVE)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f'href="{urls.ARCHIVE}"' in home
    page = (site / "collectivites/marcq-en-baroeul-59/index.html").read_text(encoding="utf-8")
    assert f'href="../../{urls.ARCHIVE}"' in page
    # Without --archive, the link goes: no page points at a zip that may not be there.
    assert main(["build", "--source", str(source), "--out", str(site)]) == 0
    assert urls.ARCHIVE not in (site / "index.html").read_text(encoding="utf-8")


def test_archive_of_bad_content_writes_nothing(tmp_path: Path) -> None:
    source = write_project(tmp_path / "source", {"communes/59/bad.yaml": "code: 01004\n"})
    out = tmp_path / "palmares.zip"
    assert main(["archive", "--source", str(source), "--out", str(out)]) == 1
    assert not out.exists()


def test_an_archive_writes_nothing_beside_the_zip_but_the_zip(source: Path, tmp_path: Path) -> None:
    """The archive's build goes to a temporary folder, deleted with everything beside it."""
    out = tmp_path / "zips" / "palmares.zip"
    assert main(["archive", "--source", str(source), "--out", str(out), "--no-cache"]) == 0
    assert sorted(p.name for p in out.parent.iterdir()) == ["palmares.zip"]


def test_an_archive_never_replaces_what_is_not_a_file(source: Path, tmp_path: Path) -> None:
    """`archive --out /dev/null`, run as root, replaced the device with the zip (an audit): a
    special file or a link at --out is refused, and left as it was."""
    import os

    fifo = tmp_path / "tube"
    os.mkfifo(fifo)
    link = tmp_path / "lien.zip"
    link.symlink_to(tmp_path / "ailleurs.zip")
    for out in (fifo, link):
        assert main(["archive", "--source", str(source), "--out", str(out)]) == 2
    assert fifo.is_fifo() and link.is_symlink() and not (tmp_path / "ailleurs.zip").exists()


@pytest.mark.parametrize("folder", ["communes", "content", "layouts"])
def test_an_archive_is_never_written_into_the_content(
    source: Path, folder: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`archive --out content/site.zip` wrote the zip among the write-ups, where `build --out`
    refuses to write: a build writes nothing into the content it reads."""
    (source / folder).mkdir(exist_ok=True)
    before = sorted(p.name for p in (source / folder).iterdir())
    out = source / folder / "site.zip"
    assert main(["archive", "--source", str(source), "--out", str(out)]) == 2
    assert f"est dans le dossier {source / folder} du contenu" in capsys.readouterr().err
    assert sorted(p.name for p in (source / folder).iterdir()) == before
