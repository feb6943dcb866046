"""The command line as editors and CI use it: help, exit codes, summary, preview server."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import free_port, wait_for

PROJECT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path = PROJECT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    return subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), *args],
        cwd=cwd, capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("command", [[], ["build"], ["serve"], ["check"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0
    assert "utilisation :" in result.stdout and "--source" in result.stdout


def test_usage_errors_exit_2() -> None:
    assert run("--no-such-option").returncode == 2
    assert run("frobnicate").returncode == 2
    missing = run("--source", "/nonexistent/palmares")
    assert missing.returncode == 2 and "n'existe pas" in missing.stderr


def test_a_source_that_is_no_content_folder_is_a_usage_error(tmp_path: Path) -> None:
    """Not « 1 problème à corriger » at a path `.` (an audit): the folder is the mistake."""
    (tmp_path / "fichier.txt").write_text("x", encoding="utf-8")
    for command in (["check"], ["build", "--out", str(tmp_path / "site")]):
        empty = run(*command, "--source", str(tmp_path))
        assert empty.returncode == 2 and empty.stdout == ""
        assert empty.stderr.splitlines() == [
            f"palmares : aucun dossier communes/ ni content/ dans {tmp_path.resolve()} : "
            "indiquez le dossier du contenu avec --source, ou créez-en un avec "
            "`python build.py init DOSSIER`"
        ]
        a_file = run(*command, "--source", str(tmp_path / "fichier.txt"))
        assert a_file.returncode == 2
        assert a_file.stderr.strip().endswith("fichier.txt n'est pas un dossier")
    assert not (tmp_path / "site").exists()


def test_build_prints_one_summary_line(tmp_path: Path) -> None:
    result = run("--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        f"Site construit dans {tmp_path / 'site'} : 5 collectivités, 5 actions, "
    )
    assert lines[0].endswith(" s")
    assert "\033[" not in result.stdout + result.stderr  # no colour when piped
    assert (tmp_path / "site/index.html").is_file()


def test_build_with_source_reads_another_folder(tmp_path: Path) -> None:
    source = tmp_path / "depot"
    shutil.copytree(PROJECT / "communes", source / "communes")
    shutil.copytree(PROJECT / "content", source / "content")
    shutil.rmtree(source / "content/actions")
    (source / "content/palmares/2017.md").unlink()  # it links to the actions
    result = run("--source", str(source), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert ", 0 action, " in result.stdout
    assert not (tmp_path / "out/actions").exists()


def test_build_refuses_a_folder_it_did_not_create(tmp_path: Path) -> None:
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "precieux.txt").write_text("à garder")
    result = run("--out", str(foreign))
    assert result.returncode == 2
    assert "n'a pas été créé par Palmarès" in result.stderr
    assert (foreign / "precieux.txt").read_text() == "à garder"
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("target", ["site", "nulle-part"])
def test_build_refuses_an_out_that_is_a_broken_or_looping_link(tmp_path: Path, target: str) -> None:
    """A --out link in a loop ended in pathlib's RuntimeError; a broken one was replaced by
    the site. Both are refused as a usage error, the link left as it was."""
    out = tmp_path / "site"
    out.symlink_to(target)
    result = run("--out", str(out))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"palmares : {out} est un lien symbolique cassé ou en boucle : retirez-le, ou "
        "choisissez un autre dossier avec --out"
    ]
    assert out.is_symlink() and os.readlink(out) == target


def test_build_with_content_problem_exits_1_without_traceback(tmp_path: Path) -> None:
    source = tmp_path / "depot"
    shutil.copytree(PROJECT / "communes", source / "communes")
    shutil.copytree(PROJECT / "content", source / "content")
    aix = source / "communes/73/aix-les-bains.yaml"
    aix.write_text(
        aix.read_text(encoding="utf-8").replace('code: "73008"', "code: 73008"), encoding="utf-8"
    )
    result = run("--source", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "communes/73/aix-les-bains.yaml:" in result.stderr
    assert 'code: "73008"' in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_stream_that_cannot_encode_french_shows_it_escaped(tmp_path: Path) -> None:
    """Output piped into an ASCII file (or a cp1252 one on Windows, which has no narrow
    no-break space): the accents come out escaped, and the command does what it says, where
    the first « é » ended it in a UnicodeEncodeError."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "PYTHONIOENCODING": "ascii"}
    for args in (["check"], ["--out", str(tmp_path / "site")]):
        result = subprocess.run(
            [sys.executable, str(PROJECT / "build.py"), "--source", str(PROJECT), *args],
            capture_output=True, env=env, timeout=120,
        )  # fmt: skip
        assert b"Traceback" not in result.stderr, result.stderr
        assert result.returncode == 0, result.stderr
        assert b"5 collectivit\\xe9s" in result.stdout, result.stdout
    assert (tmp_path / "site/index.html").is_file()


def test_output_cut_short_by_its_reader_stops_quietly(tmp_path: Path) -> None:
    """`palmares check --format github | head -1`: once the reader has gone, the command stops
    without a word (it printed « palmares: Broken pipe », in English, and Python complained
    again as it exited), with the status of a tool that SIGPIPE ends."""
    folder = tmp_path / "depot/communes/01"
    folder.mkdir(parents=True)
    for n in range(600):  # three problems each: far more than a pipe holds
        (folder / f"c{n}.yaml").write_text("nom: x\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    for where in ("stdout", "stderr"):
        args = ["check", "--format", "github"] if where == "stdout" else ["check"]
        process = subprocess.Popen(
            [sys.executable, str(PROJECT / "build.py"), "--source", str(tmp_path / "depot"), *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )  # fmt: skip
        read, other = (
            (process.stdout, process.stderr)
            if where == "stdout"
            else (process.stderr, process.stdout)
        )
        assert read is not None and other is not None
        assert read.readline()  # the first problem, then the reader goes
        read.close()
        said = other.read()
        assert process.wait(timeout=120) == 141
        assert b"Broken pipe" not in said and b"Traceback" not in said
        assert b"Exception ignored" not in said


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def test_serve_rebuilds_on_change_and_keeps_last_good_site(tmp_path: Path) -> None:
    source = tmp_path / "depot"
    shutil.copytree(PROJECT / "communes", source / "communes")
    shutil.copytree(PROJECT / "content", source / "content")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    server = subprocess.Popen(
        [sys.executable, str(PROJECT / "build.py"), "serve", "--source", str(source), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/pages/a-propos/index.html"
    try:
        assert wait_for(lambda: _get(url) is not None), "the preview never answered"
        assert "À propos" in (_get(url) or "")
        page = source / "content/pages/a-propos.md"
        page.write_text("---\ntitre: Qui sommes-nous\n---\nNouveau texte.\n", encoding="utf-8")
        assert wait_for(lambda: "Qui sommes-nous" in (_get(url) or "")), "no rebuild after a change"
        page.write_text("---\ntitre: [cassé\n---\n", encoding="utf-8")
        time.sleep(2.5)
        assert "Qui sommes-nous" in (_get(url) or ""), (
            "a failed rebuild must keep the last good site"
        )
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    assert "content/pages/a-propos.md:" in output
    assert "le dernier site valide reste affiché" in output
    assert "Traceback" not in output


def test_serve_on_port_0_says_the_port_the_system_chose(tmp_path: Path) -> None:
    """`--port 0`: a free port, said in the address printed and used by the pages' reload
    script (both said 0: the address led nowhere and pages never reloaded)."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    server = subprocess.Popen(
        [sys.executable, str(PROJECT / "build.py"), "serve", "--source", str(PROJECT), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        line = ""
        while "Aperçu sur" not in line:
            line = server.stdout.readline()
            assert line, "serve ended without an address"
        found = re.search(r"http://127\.0\.0\.1:(\d+)/ ", line)
        assert found is not None, line
        port = int(found[1])
        assert port > 0
        page = _get(f"http://127.0.0.1:{port}/index.html") or ""
        assert f"/livereload.js?port={port}" in page
    finally:
        server.terminate()
        server.communicate(timeout=10)


def test_serve_listens_on_loopback_only_by_default(tmp_path: Path) -> None:
    result = run("serve", "--help")
    assert "127.0.0.1" in result.stdout


ARGPARSE_ENGLISH = (
    "usage:",
    "positional arguments",
    "options:",
    "show this help",
    "show program's version",
    "invalid choice",
    "the following arguments are required",
    "unrecognized arguments",
    "expected one argument",
    "error:",
)


@pytest.mark.parametrize(
    "command",
    [[], ["build"], ["serve"], ["check"], ["import"], ["new"], ["archive"], ["links"], ["diff"]],
)
def test_help_is_in_french(command: list[str]) -> None:
    """Issue 15: no English in what editors read, argparse's own words included."""
    result = run(*command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("utilisation : palmares")
    assert "afficher cette aide et quitter" in result.stdout
    assert not [w for w in ARGPARSE_ENGLISH if w in result.stdout]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["frobnicate"], "palmares : COMMANDE : « frobnicate » n'existe pas ; possibles : build,"),
        (
            ["serve", "--port", "abc"],
            "palmares serve : --port : « abc » n'est pas un nombre entier",
        ),
        (
            ["serve", "--port", "70000"],  # the system's lookup wrapped it: it listened on 4464
            "palmares serve : --port : 70000 n'est pas un port : choisissez un nombre de 1024 à",
        ),
        (["import"], "palmares import : il manque : FICHIER, --edition"),
        (["--bogus"], "palmares : arguments inconnus : --bogus"),
        (["check", "--format", "xml"], "« xml » n'existe pas ; possibles : text, github"),
        (["check", "--source"], "palmares check : --source attend une valeur"),
    ],
)
def test_usage_errors_are_in_french(args: list[str], said: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("utilisation : palmares")
    assert said in result.stderr
    assert not [w for w in ARGPARSE_ENGLISH if w in result.stderr]


@pytest.mark.parametrize(
    ("env", "colours"),
    [
        ({}, True),
        ({"CI": "true"}, False),
        ({"CI": "1"}, False),
        ({"CI": "false"}, True),  # a CI variable that says « not in CI » (an audit)
        ({"CI": "0"}, True),
        ({"NO_COLOR": "1"}, False),
    ],
)
def test_colours_and_progress_only_for_a_person_at_a_terminal(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], colours: bool
) -> None:
    import io

    from palmares.console import interactive

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for name in ("CI", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert interactive(Terminal()) is colours
    assert interactive(io.StringIO()) is False  # a pipe, whatever the variables


def test_help_texts_never_start_a_line_with_a_colon() -> None:
    """argparse wraps at spaces: « (dates⏎: SOURCE_DATE_EPOCH » (an audit). Help texts get
    French typography's no-break spaces, so a sign never begins a line."""
    from palmares.cli import COMMANDS

    for command in ("", *COMMANDS):
        result = run(*([command] if command else []), "--help")
        assert result.returncode == 0
        starts = [line.strip()[:1] for line in result.stdout.splitlines() if line.strip()]
        assert not set(starts) & set(":;!?»"), (command, result.stdout)
        headings = ("utilisation :", "options :", "arguments :")  # never wrapped
        text = result.stdout
        for heading in headings:
            text = text.replace(heading, "")
        assert " :" not in text


def test_the_progress_bar_counts_what_it_says() -> None:
    """It counts the plan's outputs, not pages: « pages 48/48 » beside « 38 pages » (an audit)."""
    import io

    from palmares.console import Console

    err = io.StringIO()
    Console(io.StringIO(), err).progress(48, 48)
    assert err.getvalue().strip().startswith("construction ") and "pages" not in err.getvalue()
