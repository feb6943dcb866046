"""`python build.py check` end to end: what an editor or CI sees, and the exit code.

0: content valid; 1: content problems (printed to stderr as `path:line:col: message`, or as
GitHub annotations on stdout); 2: usage. Content errors never show a Python traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import action, commune, write_project

PROJECT = Path(__file__).resolve().parent.parent

# Mistakes of every stage, one per file: each gives exactly one problem.
BROKEN: dict[str, str | bytes | None] = {
    "communes/01/a.yaml": commune("01004"),
    "communes/01/b.yaml": "nom: Ambérieu\n".encode("latin-1"),
    "communes/01/c.yaml": commune('"01006"', nom="Saint-Denis: la ville"),
    "content/actions/a.md": action(domaines="[jardinage]"),
}
EXPECTED = [
    "communes/01/a.yaml:1:7: `code` doit être un texte entre guillemets (code INSEE de cinq "
    'caractères) : écrivez `code: "01004"` ; YAML lit 01004 comme le nombre 516',
    "communes/01/b.yaml:1:9: le fichier n'est pas en UTF-8 (octet 0xe9) : enregistrez-le en "
    "UTF-8 (dans VS Code : « Enregistrer avec l'encodage » → UTF-8). Un fichier Latin-1 ou "
    "Windows-1252 n'est pas accepté.",
    "communes/01/c.yaml:2:17: la valeur de `nom` contient « : » : mettez-la entre guillemets, "
    '`nom: "Saint-Denis: la ville"`',
    "content/actions/a.md:5:12: `domaines` : le domaine « jardinage » n'existe pas (domaines : teletravail ; "
    "un domaine est un fichier de content/domaines/)",
]
SUMMARY = "4 problèmes à corriger : corrigez-les, puis relancez la vérification."


def check(
    source: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "build.py", "check", "--source", str(source), *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **(env or {})},
    )


def tree(root: Path) -> dict[str, float]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime for p in root.rglob("*")}


def test_shipped_example_content_is_valid_and_nothing_is_written(tmp_path: Path) -> None:
    for folder in ("communes", "content"):
        shutil.copytree(PROJECT / folder, tmp_path / folder)
    before = tree(tmp_path)
    result = check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("Contenu valide : 5 collectivités, 5 actions en ")
    assert len(result.stdout.splitlines()) == 1
    assert tree(tmp_path) == before


def test_problems_go_to_stderr_sorted_with_a_count_and_exit_1(tmp_path: Path) -> None:
    result = check(write_project(tmp_path, BROKEN))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [*EXPECTED, SUMMARY]
    assert not (tmp_path / "site").exists()


def test_github_format_annotates_each_problem_on_stdout(tmp_path: Path) -> None:
    result = check(write_project(tmp_path, BROKEN), "--format", "github")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=communes/01/a.yaml,line=1,col=7::`code` doit être un texte entre guillemets "
        '(code INSEE de cinq caractères) : écrivez `code: "01004"` ; YAML lit 01004 comme le '
        "nombre 516",
        "::error file=communes/01/b.yaml,line=1,col=9::le fichier n'est pas en UTF-8 (octet 0xe9)"
        " : enregistrez-le en UTF-8 (dans VS Code : « Enregistrer avec l'encodage » → UTF-8). "
        "Un fichier Latin-1 ou Windows-1252 n'est pas accepté.",
        "::error file=communes/01/c.yaml,line=2,col=17::la valeur de `nom` contient « : » : "
        'mettez-la entre guillemets, `nom: "Saint-Denis: la ville"`',
        "::error file=content/actions/a.md,line=5,col=12::`domaines` : le domaine « jardinage » n'existe pas "
        "(domaines : teletravail ; un domaine est un fichier de content/domaines/)",
    ]
    assert result.stderr.splitlines() == [SUMMARY]


def test_warning_passes_and_strict_fails(tmp_path: Path) -> None:
    source = write_project(tmp_path, {"content/actions/a.md": action(annee="2016")})
    warning = (
        "content/actions/a.md:4:8: avertissement : Marcq-en-Barœul n'a pas de label en 2016 : "
        "vérifiez `annee` ici ou ajoutez le label 2016 dans communes/59/marcq-en-baroeul.yaml"
    )
    relaxed = check(source)
    assert relaxed.returncode == 0
    assert relaxed.stderr.splitlines() == [warning]
    strict = check(source, "--strict")
    assert strict.returncode == 1
    assert strict.stderr.splitlines() == [
        warning.replace("avertissement : ", ""),
        "1 problème à corriger : corrigez-le, puis relancez la vérification.",
    ]
    github = check(source, "--format", "github")
    assert github.returncode == 0
    assert github.stdout.splitlines()[0] == (
        "::warning file=content/actions/a.md,line=4,col=8::Marcq-en-Barœul n'a pas de label en "
        "2016 : vérifiez `annee` ici ou ajoutez le label 2016 dans "
        "communes/59/marcq-en-baroeul.yaml"
    )


def test_options_written_before_the_command_apply_to_it(tmp_path: Path) -> None:
    """`palmares [--source DIR] [--out DIR] … COMMANDE`, as the usage line says: an option
    written before the command's name is the command's. argparse let each command's own
    default replace it: `--source DIR check` checked the current folder, `--strict check`
    passed a warning, `--out X.zip archive` wrote the zip into the current folder and
    `--source DIR new CODE` wrote into the current folder."""
    source = write_project(tmp_path / "src", {"content/actions/a.md": action(annee="2016")})
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(PROJECT / "build.py"), *args],
            cwd=elsewhere,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    before = run("--source", str(source), "--strict", "check")
    assert before.returncode == 1, before.stderr
    assert before.stderr.splitlines()[-1] == (
        "1 problème à corriger : corrigez-le, puis relancez la vérification."
    )
    assert run("--source", str(source), "check").returncode == 0
    site = tmp_path / "site"
    assert run("--source", str(source), "--out", str(site), "build").returncode == 0
    assert (site / "index.html").is_file()
    links = run("--out", str(site), "links")
    assert links.returncode == 0, links.stderr
    assert str(site) in links.stdout
    archive = tmp_path / "hors-ligne.zip"
    zipped = run("--source", str(source), "--out", str(archive), "archive")
    assert zipped.returncode == 0, zipped.stderr
    assert archive.is_file()
    made = run("--source", str(source), "new", "01004")
    assert made.returncode == 0, made.stderr
    assert (source / "communes/01/amberieu-en-bugey.yaml").is_file()
    assert list(elsewhere.iterdir()) == []  # nothing written where the command ran


def test_no_traceback_on_the_worst_files(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [" + ", ".join([f"*{chr(97 + n)}"] * 9) + "]\n"
        for n in range(10)
    )
    files: dict[str, str | bytes | None] = {
        "communes/01/bombe.yaml": bomb,
        "communes/01/image.yaml": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "communes/01/objet.yaml": "code: !!python/object/apply:os.system [echo]\n",
        "communes/01/liste.yaml": "- 1\n- 2\n",
        "communes/01/vide.yaml": "",
        "communes/01/cles.yaml": "? [a, b]\n: 1\n{x: 1}: 2\n",
        "communes/01/nul.yaml": "nom: \x00\n",
        "communes/01/rien.yaml": commune(
            '""', nom='""', departement='""', labels="  - {annee: , arobases: }\n"
        ),
        "content/actions/a.md": "---\n- [\n---\n",
        "content/actions/b.md": "---\n",
        "content/domaines/x.md": "---\ntitre: [a, {b: c}]\nordre: -1\neditions: [x]\n---\n",
        "content/palmares/2017.md": "---\nannee: 2017\ndate: [1]\nnumero: 0\n---\n",
        "content/pages/p.md": "---\ntitre: 2017-02-01\n---\n",
    }
    result = check(write_project(tmp_path, files))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    printed = result.stderr.splitlines()[:-1]
    assert printed == sorted(printed, key=lambda line: (line.split(":")[0], _line(line)))
    reported = {line.split(":")[0] for line in printed}
    # The page titled by a date is valid; `objet.yaml`'s !!python tag is refused, not run.
    assert reported == {p for p in files if not p.startswith("content/pages/")}


def _line(printed: str) -> int:
    parts = printed.split(":")
    return int(parts[1]) if parts[1].isdigit() else 0


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "xml"],
        ["--frobnicate"],
        ["--source"],
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "build.py", "check", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "utilisation :" in result.stderr and "Traceback" not in result.stderr


def test_missing_source_folder_exits_2(tmp_path: Path) -> None:
    result = check(tmp_path / "absent")
    assert result.returncode == 2
    assert result.stderr == f"palmares : le dossier source {tmp_path / 'absent'} n'existe pas\n"


def test_a_job_summary_stops_at_its_row_limit_and_says_how_many_more() -> None:
    """GitHub refuses a step's summary over 1 MiB, and then shows none: a pull request that
    breaks thousands of files would have lost the whole list."""
    from palmares.console import SUMMARY_ROWS, github_summary
    from palmares.problems import Problem

    message = "« x » " * 80  # a long message, as a schema's can be
    found = [Problem(f"communes/01/c{n:05}.yaml", 1, 1, message) for n in range(4000)]
    text = github_summary(found, "**4 000 problèmes à corriger**.")
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(rows) == SUMMARY_ROWS
    assert rows[-1].startswith(f"| `communes/01/c{SUMMARY_ROWS - 1:05}.yaml` |")
    assert text.endswith(
        f"Et {4000 - SUMMARY_ROWS:,}\u00a0autres problèmes : le journal de l'étape les donne tous.\n\n".replace(
            ",", "\u202f"
        )
    )
    assert len(text.encode()) < 1024 * 1024
    assert github_summary(found[:3], "v").count("| `") == 3  # under the limit: every one


def test_github_format_writes_every_problem_to_the_job_summary(tmp_path: Path) -> None:
    """GitHub shows ten annotations a step: the job's summary page lists them all."""
    files: dict[str, str | bytes | None] = {
        f"communes/01/c{n:02}.yaml": commune(f"0100{n}" if n < 10 else f"010{n}") for n in range(12)
    }
    files["content/actions/a.md"] = action(domaines="[jardinage]")
    summary = tmp_path / "summary.md"
    summary.write_text("Avant.\n", encoding="utf-8")
    source = write_project(tmp_path / "src", files)
    result = check(source, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 1
    text = summary.read_text(encoding="utf-8")
    verdict = "**11\u00a0problèmes à corriger**, 2\u00a0avertissements."
    assert text.startswith(f"Avant.\n## Vérification du contenu\n\n{verdict}\n")
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    annotations = result.stdout.count("::error ") + result.stdout.count("::warning ")
    assert len(rows) == 13 == annotations
    assert (
        "| `content/actions/a.md` | 5:12 | erreur | `domaines` : le domaine « jardinage »" in text
    )
    clean = write_project(tmp_path / "ok")
    summary.write_text("", encoding="utf-8")
    assert (
        check(clean, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)}).returncode
        == 0
    )
    assert summary.read_text(encoding="utf-8").splitlines()[2].startswith("**Contenu valide** : ")
