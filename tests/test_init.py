"""`palmares init DIR`: a content repository that checks, builds and publishes as it is."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

from palmares import __version__
from palmares.cli import main
from tests.test_workflows import lint

PROJECT = Path(__file__).resolve().parent.parent
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.MULTILINE)
EXPECTED = {
    ".gitignore",
    ".github/workflows/publier.yml",
    ".github/workflows/verifier.yml",
    ".vscode/extensions.json",
    ".vscode/settings.json",
    "README.md",
    "communes/73/aix-les-bains.yaml",
    "content/actions/2017/aix-les-bains-tiers-lieu.md",
    "content/domaines/teletravail.md",
    "content/palmares/2017.md",
    *(f"schemas/{p.name}" for p in (PROJECT / "schemas").glob("*.json")),
}


@pytest.fixture
def repo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    target = tmp_path / "palmares-contenu"
    assert main(["init", str(target)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"Dépôt de contenu créé dans {target} : ") and err == ""
    return target


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_init_writes_one_example_of_each_kind_the_schemas_and_the_settings(repo: Path) -> None:
    assert files(repo) == EXPECTED
    assert repo.joinpath(".gitignore").read_text(encoding="utf-8").count("site/") == 1
    for name in (p.name for p in (PROJECT / "schemas").glob("*.json")):
        assert (repo / "schemas" / name).read_bytes() == (PROJECT / "schemas" / name).read_bytes()
    extensions = json.loads((repo / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert extensions == {"recommendations": ["redhat.vscode-yaml"]}
    # Nothing left beside the new repository (the staging folder was renamed into place).
    assert [p.name for p in repo.parent.iterdir()] == [repo.name]


def test_the_new_repository_checks_strictly_and_builds(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--strict", "--source", str(repo)]) == 0
    assert capsys.readouterr().out.startswith("Contenu valide : 1 collectivité, 1 action")
    site = tmp_path / "site"
    assert main(["--strict", "--source", str(repo), "--out", str(site)]) == 0
    assert (site / "index.html").is_file()
    assert [p for p in site.rglob("*.html") if "aix-les-bains" in p.as_posix()]
    assert files(repo) == EXPECTED  # the build wrote nothing into the repository


def test_every_schema_reference_resolves_inside_the_repository(repo: Path) -> None:
    yamls = sorted(repo.glob("communes/**/*.yaml"))
    assert yamls
    for path in yamls:
        (reference,) = SCHEMA_LINE.findall(path.read_text(encoding="utf-8"))
        target = (path.parent / reference).resolve()
        assert target.is_file() and target.is_relative_to(repo.resolve()), path
    settings = json.loads((repo / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    for schema, globs in settings["yaml.schemas"].items():
        assert (repo / schema).resolve().is_file(), schema
        assert any(repo.glob(globs[0])), globs


def test_a_folder_that_is_not_empty_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("à garder\n", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"palmares : le dossier {tmp_path} existe déjà et n'est pas vide : "
        "choisissez un dossier nouveau ou vide\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    assert main(["init", str(tmp_path / "notes.txt")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_an_empty_folder_is_filled(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """In place: `init .` replaced the folder by another, leaving the shell in a deleted
    folder (an audit). The same inode before and after."""
    inode = tmp_path.stat().st_ino
    assert main(["init", str(tmp_path)]) == 0
    assert files(tmp_path) == EXPECTED
    assert tmp_path.stat().st_ino == inode
    assert [p.name for p in tmp_path.parent.iterdir() if "palmares-init" in p.name] == []


def test_init_has_help() -> None:
    done = subprocess.run(
        [sys.executable, "build.py", "init", "--help"],
        cwd=PROJECT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0
    assert done.stdout.startswith("utilisation : palmares init") and "DIR" in done.stdout


def test_the_workflows_install_the_package_and_run_the_commands(tmp_path: Path) -> None:
    spec = f"palmares @ git+https://example.org/villes-internet/palmares@v{__version__}"
    repo = tmp_path / "depot"
    assert main(["init", str(repo), "--package", spec]) == 0
    workflows = repo / ".github" / "workflows"
    check, publish = (
        yaml.safe_load((workflows / name).read_text(encoding="utf-8"))
        for name in ("verifier.yml", "publier.yml")
    )
    assert check["env"]["PALMARES"] == publish["env"]["PALMARES"] == spec
    assert list(check[True]) == ["pull_request"]  # YAML 1.1 reads `on:` as true
    (job,) = check["jobs"].values()
    runs = [s.get("run", "") for s in job["steps"]]
    assert 'python -m pip install "$PALMARES"' in runs
    assert "palmares check --strict --format github" in runs
    assert any("palmares --strict --out site" in run for run in runs)
    assert "palmares links --out site --format github" in runs
    assert job["steps"][-1]["uses"].startswith("actions/upload-artifact@")
    build = publish["jobs"]["construire"]
    assert any("palmares --strict --out site" in s.get("run", "") for s in build["steps"])
    assert publish["jobs"]["publier"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert f"python -m pip install '{spec}'" in (repo / "README.md").read_text(encoding="utf-8")


def test_the_default_workflows_pin_this_version(repo: Path) -> None:
    text = (repo / ".github" / "workflows" / "verifier.yml").read_text(encoding="utf-8")
    assert f'  PALMARES: "palmares=={__version__}"\n' in text


def test_the_workflows_pass_actionlint(repo: Path) -> None:
    result = lint(*sorted((repo / ".github" / "workflows").glob("*.yml")))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def _listing(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def test_odd_targets_are_refused_in_one_french_line_and_nothing_is_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken link, a link in a loop, a file on the way, a name too long: Python's « Not a
    directory » or « File name too long », exit 1, and a parent folder left behind (an
    audit). Each is refused with exit 2, in French, leaving the folder as it was."""
    (tmp_path / "fichier").write_text("", encoding="utf-8")
    (tmp_path / "vers-fichier").symlink_to("fichier")
    (tmp_path / "casse").symlink_to("absent")
    (tmp_path / "boucle").symlink_to("boucle")
    os.mkfifo(tmp_path / "tube")
    before = _listing(tmp_path)
    refused = {
        "casse": "casse est un lien symbolique cassé (sa cible, absent, n'existe pas) : "
        "choisissez un dossier nouveau ou vide",
        "boucle": "boucle est un lien symbolique en boucle : choisissez un dossier nouveau ou vide",
        "casse/dedans": "casse est un lien symbolique cassé (sa cible, absent, n'existe pas) : "
        "impossible d'y créer {target}",
        "fichier/dedans": "fichier n'est pas un dossier : impossible d'y créer {target}",
        "vers-fichier": "vers-fichier existe déjà et n'est pas un dossier : choisissez un "
        "dossier nouveau ou vide",
        "tube": "tube existe déjà et n'est pas un dossier : choisissez un dossier nouveau ou vide",
        f"nouveau/{'a' * 300}": "impossible de créer {target} : nom trop long",
    }
    for rel, message in refused.items():
        target = tmp_path / rel
        assert main(["init", str(target)]) == 2, rel
        out, err = capsys.readouterr()
        expected = message.format(target=target)
        if not expected.startswith("impossible"):
            expected = f"{tmp_path}/{expected}"
        assert (out, err) == ("", f"palmares : {expected}\n"), rel
        assert _listing(tmp_path) == before, rel


def test_a_link_to_an_empty_folder_on_another_file_system_is_filled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What init made beside the link could not move into a folder of another file system
    (« Invalid cross-device link », an audit): it is made inside the folder itself."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no other file system to link to")
    with tempfile.TemporaryDirectory(dir=shm) as elsewhere:
        (tmp_path / "depot").symlink_to(elsewhere)
        assert main(["init", str(tmp_path / "depot")]) == 0
        assert capsys.readouterr().err == ""
        assert files(Path(elsewhere)) == EXPECTED
        assert _listing(tmp_path) == ["depot"]
