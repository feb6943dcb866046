"""Contributions are data: the parse cache lives outside the source, nothing found in the
source is ever unpickled, and a build writes nothing into the folder it reads."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from palmares.cli import main
from palmares.output.cache import default_folder, engine_fingerprint, folder_for
from tests.helpers import action, write_project

PROJECT = Path(__file__).resolve().parent.parent


class _Bomb:
    """Unpickling this runs code: it leaves a file behind."""

    def __init__(self, mark: Path) -> None:
        self.mark = mark

    def __reduce__(self) -> tuple[object, tuple[str, ...]]:
        return (os.system, (f"touch {self.mark}",))


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size)
        for p in sorted(root.rglob("*"))
    }


def test_regression_a_poisoned_cache_in_the_source_is_never_unpickled(tmp_path: Path) -> None:
    """Regression (issue 13): `.cache/palmares/parse-<fingerprint>.pickle` added by a pull
    request was unpickled by build, serve and archive."""
    source = write_project(tmp_path / "source")
    mark = tmp_path / "pwned"
    payload = pickle.dumps((0, _Bomb(mark)))
    for folder in (source / ".cache" / "palmares", source / ".cache" / "palmares" / "jinja"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"parse-{engine_fingerprint()}.pickle").write_bytes(payload)
    assert main(["--source", str(source), "--out", str(tmp_path / "site")]) == 0
    assert main(["--source", str(source), "--out", str(tmp_path / "site")]) == 0  # no-op
    assert main(["check", "--source", str(source)]) == 0
    assert main(["archive", "--source", str(source), "--out", str(tmp_path / "a.zip")]) == 0
    assert not mark.exists()


def test_a_build_writes_nothing_into_the_source(tmp_path: Path) -> None:
    source = write_project(
        tmp_path / "source", {"content/actions/2017/x.md": action(domaines="[teletravail]")}
    )
    before = _snapshot(source)
    cache = tmp_path / "cache"
    for args in (
        ["--source", str(source), "--out", str(tmp_path / "site"), "--cache-dir", str(cache)],
        ["check", "--source", str(source), "--cache-dir", str(cache)],
        ["archive", "--source", str(source), "--out", str(tmp_path / "a.zip")],
    ):
        assert main(args) == 0
    assert _snapshot(source) == before
    assert list(cache.glob("*/parse-*.pickle")), "the cache went where it was asked to"


def test_the_cache_folder_is_chosen_outside_the_source(tmp_path: Path) -> None:
    home = Path.home()
    assert default_folder({}) == home / ".cache" / "palmares"
    assert default_folder({"XDG_CACHE_HOME": "/var/cache/x"}) == Path("/var/cache/x/palmares")
    assert default_folder({"XDG_CACHE_HOME": "relative"}) == home / ".cache" / "palmares"
    assert default_folder({"PALMARES_CACHE_DIR": "/c", "XDG_CACHE_HOME": "/x"}) == Path("/c")
    # One folder per source, named after its resolved path: two sources never share one.
    a, b = tmp_path / "a" / "site", tmp_path / "b" / "site"
    a.mkdir(parents=True)
    b.mkdir(parents=True)
    assert folder_for(tmp_path, a) != folder_for(tmp_path, b)
    assert folder_for(tmp_path, a) == folder_for(tmp_path, a / ".." / "site")


def test_a_cache_inside_the_source_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_project(tmp_path / "source")
    code = main(["check", "--source", str(source), "--cache-dir", str(source / ".cache")])
    assert code == 2
    assert "ne peut pas être dans le dossier source" in capsys.readouterr().err
    assert not (source / ".cache").exists()


def test_a_cache_inside_the_site_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--cache-dir site/cache`: each build swaps the site folder whole, so the cache went
    with the previous site into the staging folder, the next build wrote it into the live
    site, and a deploy of site/ would have published it."""
    source = write_project(tmp_path / "source")
    site = tmp_path / "site"
    args = ["--source", str(source), "--out", str(site), "--cache-dir", str(site / "cache")]
    assert main(args) == 2
    assert "ne peut pas être dans le dossier du site" in capsys.readouterr().err
    assert not site.exists()
    assert main([*args[:4], "--cache-dir", str(tmp_path / "cache")]) == 0
    assert main(args) == 2  # and so once the site is there
    assert not (site / "cache").exists()


def test_no_cache_reads_and_writes_no_cache(tmp_path: Path) -> None:
    source = write_project(tmp_path / "source")
    cache = tmp_path / "cache"
    env = {**os.environ, "PALMARES_CACHE_DIR": str(cache)}
    command = [sys.executable, "build.py", "--source", str(source), "--no-cache"]
    done = subprocess.run(
        [*command, "--out", str(tmp_path / "s")],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert not cache.exists()
    done = subprocess.run(
        [sys.executable, "build.py", "check", "--source", str(source)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert list(cache.glob("*/parse-*.pickle")), "PALMARES_CACHE_DIR chooses the cache"


def test_a_staging_folder_the_tool_did_not_make_is_never_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The folder beside the site where the next one is made (`.site.next`) is taken only
    when a build of Palmarès made it: someone's own folder of that name is left as it is."""
    source = write_project(tmp_path / "source")
    mine = tmp_path / ".site.next"
    mine.mkdir()
    (mine / "notes.txt").write_text("à garder", encoding="utf-8")
    assert main(["--source", str(source), "--out", str(tmp_path / "site")]) == 2
    assert "n'a pas été créé par Palmarès" in capsys.readouterr().err
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "à garder"
    assert not (tmp_path / "site").exists()
    # Once it is gone, the build makes its own and the next build takes it up.
    (mine / "notes.txt").unlink()
    mine.rmdir()
    assert main(["--source", str(source), "--out", str(tmp_path / "site")]) == 0
    assert main(["--source", str(source), "--out", str(tmp_path / "site")]) == 0


@pytest.mark.parametrize("linked", [False, True])
def test_an_empty_folder_made_by_hand_builds_again_and_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], linked: bool
) -> None:
    """`mkdir site` (or a host's `www/`, `site` a link to it), then builds: the first swap
    left the empty folder as `.site.next`, without a marker, and every later build refused
    it (« n'a pas été créé par Palmarès : supprimez-le »)."""
    source = write_project(tmp_path / "source")
    folder = tmp_path / "www"
    folder.mkdir()
    out = folder
    if linked:
        out = tmp_path / "site"
        out.symlink_to(folder)
    for year in ("2024", "2025", "2026"):
        url = f"https://palmares-{year}.exemple.fr/"
        assert main(["--source", str(source), "--out", str(out), "--base-url", url]) == 0
        assert url in (out / "index.html").read_text(encoding="utf-8")
    assert "Palmarès" not in capsys.readouterr().err
    assert out.is_symlink() is linked


def test_compiled_templates_are_kept_in_the_cache_and_follow_their_template(
    tmp_path: Path,
) -> None:
    """The templates Jinja compiled are kept beside the parse cache (never in the source),
    and a template edited since is compiled again: the page shows the edit."""
    source = write_project(tmp_path / "source")
    cache, site = tmp_path / "cache", tmp_path / "site"
    build = ["--source", str(source), "--out", str(site), "--cache-dir", str(cache)]
    assert main(build) == 0
    compiled = list(cache.glob("*/jinja-*/*"))
    assert compiled, "the compiled templates are kept in the cache folder"
    assert not list(source.rglob("*.cache")) and not (source / ".cache").exists()
    layouts = source / "layouts"
    layouts.mkdir(exist_ok=True)
    base = (PROJECT / "layouts" / "base.html").read_text(encoding="utf-8")
    (layouts / "base.html").write_text(base + "<!-- gabarit modifié -->\n", encoding="utf-8")
    assert main(build) == 0
    assert "<!-- gabarit modifié -->" in (site / "index.html").read_text(encoding="utf-8")
    (layouts / "base.html").write_text(base, encoding="utf-8")
    assert main(build) == 0
    assert "gabarit modifié" not in (site / "index.html").read_text(encoding="utf-8")
