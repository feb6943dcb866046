"""Hostile and broken text (issue 14): control, invisible and bidirectional characters, names in
decomposed Unicode, text a spreadsheet would run, YAML and Markdown nested or grown past what
any file of the palmarès needs. Each case goes through `check`, as an editor sees it."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from palmares.problems import Problem
from tests.helpers import BASE_COMMUNE, action, commune, problems, write_project

PROJECT = Path(__file__).resolve().parent.parent
C = "communes/01/amberieu-en-bugey.yaml"
A = "content/actions/2017/vocabulons.md"
DEPTH = (
    "les listes et les champs s’imbriquent ici sur plus de 20 niveaux : aucun fichier du "
    "palmarès n’en a besoin (le plus profond, `labels` puis `distinctions`, en compte quatre) "
    "; vérifiez les crochets `[` et l’indentation"
)
CONTROL = (
    "caractère de contrôle invisible {} : retirez-le (il vient souvent d’un copier-coller "
    "depuis un traitement de texte ou un terminal)"
)


# --- control characters -------------------------------------------------------------------


def test_control_character_in_a_yaml_file_is_refused_at_its_column(tmp_path: Path) -> None:
    text = commune(nom="Ambérieu\x1b[31m-en-Bugey")
    assert problems(tmp_path, {C: text}) == [f"{C}:2:14: {CONTROL.format('U+001B')}"]


def test_control_character_in_a_write_up_is_refused_at_its_line(tmp_path: Path) -> None:
    text = action(body="Premier paragraphe.\n\nUn retour\x08 arrière, un\x85 NEL.\n")
    assert problems(tmp_path, {A: text}) == [
        f"{A}:9:10: {CONTROL.format('U+0008')}",
        f"{A}:9:23: {CONTROL.format('U+0085')}",
    ]


def test_tab_and_newline_in_a_write_up_are_fine(tmp_path: Path) -> None:
    assert problems(tmp_path, {A: action(body="Un\ttableau\n\n\tdu code\n")}) == []


def test_a_problem_never_prints_a_control_character() -> None:
    problem = Problem("a\x1b.md", 1, 1, "« \x1b[2J\x07 »\n::error::x \u202e")
    assert str(problem) == "aU+001B.md:1:1: « U+001B[2JU+0007 »U+000A::error::x U+202E"


# --- YAML nested too deep -----------------------------------------------------------------


def test_yaml_nested_500_levels_is_refused_at_its_line(tmp_path: Path) -> None:
    # RecursionError until issue 14; a hundred thousand levels crashed the interpreter.
    text = commune(extra="anciens_noms: " + "[" * 500 + "]" * 500 + "\n")
    assert problems(tmp_path, {C: text}) == [f"{C}:4:34: {DEPTH}"]


def test_yaml_nested_100000_levels_is_refused_quickly(tmp_path: Path) -> None:
    text = 'code: "01004"\nanciens_noms:\n' + "- " * 100_000 + "x\n"
    start = time.perf_counter()
    assert problems(tmp_path, {C: text}) == [f"{C}:3:39: {DEPTH}"]
    assert time.perf_counter() - start < 5


def test_yaml_block_nesting_in_a_front_matter_is_refused_at_its_line(tmp_path: Path) -> None:
    nested = "".join("  " * i + "a:\n" for i in range(1, 30))
    text = action(extra=f"liens:\n{nested}")
    assert problems(tmp_path, {A: text}) == [f"{A}:26:41: {DEPTH}"]


def test_the_deepest_file_of_the_contract_is_fine(tmp_path: Path) -> None:
    labels = (
        "  - annee: 2017\n    arobases: 3\n    distinctions:\n      - Territoire d'excellence\n"
    )
    assert problems(tmp_path, {C: commune(labels=labels)}) == []


def test_check_does_not_crash_on_deep_yaml_in_a_subprocess(tmp_path: Path) -> None:
    write_project(tmp_path, {C: "a: " + "[" * 200_000 + "\n"})
    done = subprocess.run(
        [sys.executable, "build.py", "check", "--source", str(tmp_path), "--no-cache"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert f"{C}:1:23: {DEPTH}" in done.stderr


def test_base_commune_is_untouched_by_the_rules(tmp_path: Path) -> None:
    assert problems(tmp_path, {BASE_COMMUNE: None, C: commune()}) == []
