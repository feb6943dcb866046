"""`check --base REF`: in a pull request, the files that are code (templates, scripts,
workflows, the engine) are pointed out to be reviewed as code; content is not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from palmares.review import NOTICE, is_code
from tests.helpers import BASE_COMMUNE, commune, write_project

PROJECT = Path(__file__).resolve().parent.parent
SUMMARY_NONE = "Aucun fichier de code (gabarit, script, workflow ou moteur) modifié depuis HEAD~1"


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"},
    )


def repository(root: Path, changes: dict[str, str | None], source: str = "") -> Path:
    """A git repository: a valid project (under `source` inside it), committed, then
    `changes` committed on top. Returns the source folder."""
    folder = root / source if source else root
    # A template of its own (valid: check renders the source's templates, as build does).
    write_project(folder, {"layouts/page.html": "<p>page</p>\n"})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "départ")
    write_project(folder, changes)
    for rel, text in changes.items():
        if text is None:
            (folder / rel).unlink()
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "contribution")
    return folder


def check(source: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "build.py", "check", "--source", str(source), *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_changed_template_is_noticed_and_a_changed_yaml_is_not(tmp_path: Path) -> None:
    source = repository(
        tmp_path,
        {
            "layouts/page.html": "<h1>{{ titre }}</h1>\n",
            "layouts/static/menu.js": "alert(1);\n",
            BASE_COMMUNE: commune('"59378"', nom="Marcq-en-Barœul", departement='"59"'),
        },
    )
    result = check(source, "--format", "github", "--base", "HEAD~1")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("::")] == [
        f"::notice file=layouts/page.html::{NOTICE}",
        f"::notice file=layouts/static/menu.js::{NOTICE}",
    ]
    assert lines[-1] == (
        "2 fichiers de code modifiés depuis HEAD~1 : à relire comme du code avant de fusionner"
    )


def test_content_only_changes_get_no_notice(tmp_path: Path) -> None:
    source = repository(tmp_path, {"content/pages/a-propos.md": "---\ntitre: À propos\n---\n"})
    result = check(source, "--format", "github", "--base", "HEAD~1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "::notice" not in result.stdout
    assert result.stdout.splitlines()[-1] == SUMMARY_NONE


def test_paths_are_the_repository_s_when_the_source_is_a_sub_folder(tmp_path: Path) -> None:
    source = repository(
        tmp_path,
        {"layouts/base.html": "x\n", "build.py": "print()\n"},
        source="palmares-contenu",
    )
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text("on: push\n", encoding="utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "workflow")
    result = check(source, "--format", "github", "--base", "HEAD~2")
    notices = [line for line in result.stdout.splitlines() if line.startswith("::notice")]
    assert notices == [
        f"::notice file=.github/workflows/ci.yml::{NOTICE}",
        # Not the engine's entry, but Python all the same: code wherever it is.
        f"::notice file=palmares-contenu/build.py::{NOTICE}",
        f"::notice file=palmares-contenu/layouts/base.html::{NOTICE}",
    ]


def test_content_problems_keep_their_exit_code_with_notices(tmp_path: Path) -> None:
    source = repository(tmp_path, {"layouts/page.html": "x\n", "communes/x.yaml": "code: 1\n"})
    result = check(source, "--format", "github", "--base", "HEAD~1")
    assert result.returncode == 1
    assert f"::notice file=layouts/page.html::{NOTICE}" in result.stdout.splitlines()


@pytest.mark.parametrize("base", ["origin/nulle-part", "--output=/tmp/x"])
def test_an_unknown_revision_is_one_warning_not_a_traceback(tmp_path: Path, base: str) -> None:
    source = repository(tmp_path, {"layouts/page.html": "x\n"})
    result = check(source, "--format", "github", f"--base={base}")
    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    warnings = [line for line in result.stdout.splitlines() if line.startswith("::warning")]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"::warning::les fichiers modifiés depuis {base} sont inconnus")
    assert not Path("/tmp/x...HEAD").exists()


def test_not_a_repository_is_one_warning(tmp_path: Path) -> None:
    source = write_project(tmp_path / "projet")
    result = check(source, "--format", "github", "--base", "origin/main")
    assert result.returncode == 0
    assert [line for line in result.stdout.splitlines() if line.startswith("::")] == [
        result.stdout.splitlines()[-1]
    ]
    assert "git a échoué" in result.stdout


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("layouts/page.html", True),
        ("layouts/static/search.js", True),
        (".github/workflows/verifier.yml", True),
        ("palmares/cli.py", True),
        ("build.py", True),
        ("pyproject.toml", True),
        ("communes/59/marcq.yaml", False),
        ("content/actions/x.md", False),
        ("palmares.toml", False),
        ("docs/notes.md", False),
        # Imported before the library of that name when beside build.py (an audit).
        ("yaml.py", True),
        ("docs/build.py", True),
        ("tests/conftest.py", True),
        ("constraints.txt", True),
        (".github/dependabot.yml", True),
    ],
)
def test_what_is_code(path: str, code: bool) -> None:
    assert is_code(path) is code
