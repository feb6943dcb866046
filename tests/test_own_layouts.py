"""A source's own layouts/: a template there replaces ours of the same name, or is named by
one that is used (extends, include, import). Any other changes nothing, most often a name
mistyped: check and build say so, with the name it may have meant."""

from __future__ import annotations

from pathlib import Path

import pytest

from palmares.cli import main
from palmares.pipeline import build, check
from palmares.problems import Severity
from tests.helpers import problems, write_project

NO_EFFECT = (
    "avertissement : ce gabarit ne remplace aucun de ceux de Palmarès et aucun gabarit ne "
    "l'utilise (extends, include, import) : il est sans effet ; "
)


def test_a_mistyped_name_is_warned_with_the_one_meant(tmp_path: Path) -> None:
    source = write_project(tmp_path / "projet", {"layouts/comune.html": "<p>Ma page</p>\n"})
    expected = [f"layouts/comune.html: {NO_EFFECT}vouliez-vous le nommer `commune.html` ?"]
    content = check(source)
    assert [str(p) for p in content.problems] == expected
    assert content.problems[0].severity is Severity.WARNING
    built = build(source, tmp_path / "site")
    assert [str(p) for p in built.problems] == expected  # build says what check says
    assert (tmp_path / "site" / "index.html").is_file()  # a warning: the site is built


def test_a_name_in_other_capitals_is_told_that_they_count(tmp_path: Path) -> None:
    # A Mac's or Windows's disk takes Commune.html for commune.html: the preview uses it,
    # the server that builds the public site does not.
    assert problems(tmp_path, {"layouts/Commune.html": "<p>x</p>\n"}) == [
        f"layouts/Commune.html: {NO_EFFECT}vouliez-vous le nommer `commune.html` ? (les "
        "majuscules comptent : le serveur qui construit le site public ne le prend pas pour "
        "lui, même si un Mac ou Windows le fait)"
    ]


def test_a_name_like_none_of_ours_is_told_which_ones_it_may_replace(tmp_path: Path) -> None:
    found = problems(tmp_path, {"layouts/orphelin.html": "<p>x</p>\n"})
    assert found == [
        f"layouts/orphelin.html: {NO_EFFECT}les gabarits qu'il peut remplacer sont 404.html, "
        "accessibilite.html, action.html, az.html, base.html, commune.html, comparaison.html, "
        "comparer.html, domaine.html, domaines.html, donnees.html, edition.html, editions.html, "
        "figures.html, home.html, macros.html, page.html, panneau.html, progression.html, "
        "redirect.html, search.html, territoire.html, territoires.html"
    ]


def test_what_a_used_template_names_is_used_and_the_rest_is_not(tmp_path: Path) -> None:
    base = (Path(__file__).resolve().parent.parent / "layouts" / "base.html").read_text()
    files: dict[str, str | bytes | None] = {
        # An override that includes a part of its own, which imports another.
        "layouts/base.html": base.replace("</footer>", '{% include "parts/pied.html" %}</footer>'),
        "layouts/parts/pied.html": '{% import "parts/outils.html" as outils %}<p>Pied</p>\n',
        "layouts/parts/outils.html": "{% macro rien() %}{% endmacro %}\n",
        # A template named by nothing, and the part only it names: neither is used.
        "layouts/brouillon.html": '{% include "parts/vieux.html" %}\n',
        "layouts/parts/vieux.html": "<p>Vieux</p>\n",
        "layouts/static/extra.css": "p { margin: 0 }\n",  # a static file, not a template
    }
    found = problems(tmp_path, files)
    assert [line.split(":")[0] for line in found] == [
        "layouts/brouillon.html",
        "layouts/parts/vieux.html",
    ]


def test_a_template_named_by_a_variable_leaves_every_one_unwarned(tmp_path: Path) -> None:
    # Which template `{% include name %}` takes cannot be told without rendering.
    base = (Path(__file__).resolve().parent.parent / "layouts" / "base.html").read_text()
    files: dict[str, str | bytes | None] = {
        "layouts/base.html": "{% set part = 'parts/pied.html' %}{% include part %}" + base,
        "layouts/parts/pied.html": "<p>Pied</p>\n",
    }
    assert problems(tmp_path, files) == []


@pytest.mark.parametrize("command", [["check"], ["build", "--out", "SITE"]])
def test_the_warning_leaves_the_exit_code_at_zero(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_project(tmp_path / "projet", {"layouts/acceuil.html": "<p>x</p>\n"})
    arguments = [a.replace("SITE", str(tmp_path / "site")) for a in command]
    assert main(["--source", str(source), "--no-cache", *arguments]) == 0
    assert "layouts/acceuil.html: avertissement : ce gabarit" in capsys.readouterr().err
    assert main(["--source", str(source), "--no-cache", "--strict", *arguments]) == 1
