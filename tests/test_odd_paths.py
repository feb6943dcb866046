"""Paths given on the command line or in the environment that are not plain UTF-8 text: a
folder named in Latin-1 (a USB key formatted on an old Windows machine, or a zip from one),
a name with a line break, a name too long. Python hands such a name over as text with
surrogate escapes (`\\udce9`), which hashing, printing or writing as UTF-8 refuse. Each
command works with the path as the bytes it is and shows it escaped (`caf\\xe9`), as check
shows a source file so named, or refuses it in one French line, never in a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers import wait_for, write_project

PROJECT = Path(__file__).resolve().parent.parent
LATIN1 = os.fsdecode(b"caf\xe9")
"""« café » written in Latin-1: a name that is not UTF-8."""


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "PYTHONPATH": str(PROJECT), **(env or {})}
    return subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), *args],
        capture_output=True, text=True, env=environ, timeout=120, errors="backslashreplace",
    )  # fmt: skip


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    printed = result.stdout + result.stderr
    assert "Traceback" not in printed, printed
    lines = printed.strip().splitlines()
    assert len(lines) == 1, printed
    return lines[0]


def test_regression_a_source_folder_named_in_latin1_builds_and_checks(tmp_path: Path) -> None:
    """The cache folder's name was made from the source's path as UTF-8: every command
    over such a source ended in UnicodeEncodeError."""
    source = write_project(tmp_path / LATIN1)
    out, cache = tmp_path / "site", tmp_path / "cache"
    env = {"PALMARES_CACHE_DIR": str(cache)}
    first = run("build", "--source", str(source), "--out", str(out), env=env)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    assert (out / "index.html").is_file()
    assert len(list(cache.iterdir())) == 1  # its cache folder, as for any source
    again = run("build", "--source", str(source), "--out", str(out), env=env)
    assert again.returncode == 0, again.stderr
    checked = run("check", "--source", str(source), env=env)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("Contenu valide : ")


def test_regression_paths_named_in_latin1_are_shown_escaped(tmp_path: Path) -> None:
    """A folder so named was printed as `caf\\udce9` (or as a raw byte), and diff's GitHub
    summary, which names both sites, ended in UnicodeEncodeError."""
    source = write_project(tmp_path / "source")
    old, new = tmp_path / "old", tmp_path / f"{LATIN1}-site"
    for out in (old, new):
        built = run("build", "--source", str(source), "--out", str(out), "--no-cache")
        assert built.returncode == 0, built.stderr
    assert built.stdout.startswith(f"Site construit dans {tmp_path}/caf\\xe9-site : ")
    summary = tmp_path / "resume.md"
    compared = run(
        "diff", str(old), "--out", str(new), "--format", "github",
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )  # fmt: skip
    assert compared.returncode == 0, compared.stderr
    assert "Traceback" not in compared.stderr
    assert f"`{tmp_path}/caf\\xe9-site`" in summary.read_bytes().decode("utf-8")
    missing = run("check", "--source", str(tmp_path / f"{LATIN1}\nb"))
    assert missing.returncode == 2
    assert _one_line(missing) == (
        f"palmares : le dossier source {tmp_path}/caf\\xe9\\nb n'existe pas"
    )


def test_regression_a_name_too_long_is_a_usage_error(tmp_path: Path) -> None:
    """A path over the system's limits (a name over 255 bytes, a path over 4 096) ended in
    « nom trop long : vérifiez ce fichier et ses droits », exit 1, as if a right were missing."""
    source = write_project(tmp_path / "source")
    long_name = tmp_path / ("a" * 300)
    checked = run("check", "--source", str(long_name), "--no-cache")
    assert checked.returncode == 2
    assert _one_line(checked) == (
        f"palmares : {long_name} : nom trop long : choisissez un chemin plus court"
    )
    deep = tmp_path.joinpath(*["d" * 200] * 22)
    built = run("build", "--source", str(source), "--out", str(deep), "--no-cache")
    assert built.returncode == 2
    assert _one_line(built).endswith(" : nom trop long : choisissez un chemin plus court")


def test_regression_serve_refuses_a_source_named_in_latin1(tmp_path: Path) -> None:
    """The preview built the site, then its file watcher, which takes paths as text, ended
    in a traceback."""
    source = write_project(tmp_path / LATIN1)
    result = run("serve", "--source", str(source), "--port", "0", "--no-cache")
    assert result.returncode == 2
    assert _one_line(result) == (
        f"palmares : l'aperçu ne peut pas surveiller {tmp_path}/caf\\xe9 : son nom n'est pas "
        "en UTF-8 (il a été écrit dans un autre encodage, Latin-1 par exemple) : renommez le "
        "dossier en retapant ses lettres accentuées (build et check le lisent tel quel)"
    )


def test_regression_serve_goes_on_when_a_file_named_in_latin1_appears(tmp_path: Path) -> None:
    """A file so named added to the source while the preview ran (unzipped into it, say)
    stopped the file watcher, and the preview, in a traceback."""
    source = write_project(
        tmp_path / "source", {"content/pages/a-propos.md": "---\ntitre: À propos\n---\n"}
    )
    environ = {**os.environ, "PYTHONPATH": str(PROJECT)}
    server = subprocess.Popen(
        [sys.executable, str(PROJECT / "build.py"), "serve", "--source", str(source),
         "--port", "0", "--no-cache", "--out", str(tmp_path / "site")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environ,
    )  # fmt: skip
    page = tmp_path / "site" / "pages" / "a-propos" / "index.html"
    try:
        assert wait_for(page.is_file), "the preview never built"
        time.sleep(1)  # the watcher starts once the first build is done
        odd = os.path.join(os.fsencode(source / "content" / "pages"), b"caf\xe9.md")
        Path(os.fsdecode(odd)).write_text("---\ntitre: Café\n---\n", encoding="utf-8")
        time.sleep(1.5)
        Path(os.fsdecode(odd)).unlink()
        (source / "content/pages/a-propos.md").write_text(
            "---\ntitre: Qui sommes-nous\n---\n", encoding="utf-8"
        )
        assert wait_for(lambda: "Qui sommes-nous" in page.read_text("utf-8")), (
            "no rebuild after the file named in Latin-1"
        )
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    printed = output.decode("utf-8", "backslashreplace")
    assert "Traceback" not in printed
    assert "content/pages/caf\\xe9.md: le nom de ce fichier n'est pas en UTF-8" in printed
