"""Templates are code: a source's own layouts/ may come from a stranger's pull request, so
templates render in Jinja's sandbox. An escape to Python's internals is a clean French
problem, never a traceback, and never runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from jinja2.exceptions import SecurityError

from palmares.site import templates
from tests.helpers import write_project

PROJECT = Path(__file__).resolve().parent.parent
LAYOUTS = PROJECT / "layouts"

ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ title.__class__ }}",
    "{{ cycler.__init__.__globals__.os.system('touch pwned') }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ self._TemplateReference__context }}",
    "{{ '{0.__class__}'.format(title) }}",
    "{{ nav['__class__'] }}",
]


@pytest.mark.parametrize("escape", ESCAPES)
def test_escapes_are_refused_by_the_environment(escape: str) -> None:
    env = templates.environment([LAYOUTS], None)
    with pytest.raises(SecurityError) as err:
        env.from_string(escape).render(title="Accueil", nav={"home": "index.html"})
    assert "un gabarit ne peut pas" in (err.value.message or "")


def test_dict_keys_first_and_the_sandbox_still_checks_the_rest() -> None:
    env = templates.environment([LAYOUTS], None)
    stock = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    source = "{{ d.nom }} {{ d.url }} {{ s.upper() }} {{ n.real }} {{ l|length }} {{ 1234|nombre }}"
    values = {"d": {"nom": "Évry", "url": "../x/index.html"}, "s": "abc", "n": 3, "l": [1]}
    stock.filters["nombre"] = env.filters["nombre"]
    assert env.from_string(source).render(values) == stock.from_string(source).render(values)
    # A key named like an unsafe attribute is a value like any other: keys are data.
    assert env.from_string("{{ d.__class__ }}").render(d={"__class__": "x"}) == "x"
    with pytest.raises(SecurityError):
        env.from_string("{{ d.__class__ }}").render(d={})
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ d.absent }}").render(d={})


def test_no_compiled_template_is_cached_on_disk() -> None:
    env = templates.environment([LAYOUTS], None)
    assert env.bytecode_cache is None
    assert env.sandboxed


@pytest.mark.parametrize("escape", ESCAPES[:3])
def test_escape_in_a_source_template_is_a_french_problem(tmp_path: Path, escape: str) -> None:
    base = (LAYOUTS / "base.html").read_text(encoding="utf-8")
    source = write_project(tmp_path / "projet", {"layouts/base.html": escape + base})
    out = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "build.py", "--source", str(source), "--out", str(out)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PALMARES_JOBS": "1"},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "SecurityError" not in result.stderr
    problems = [line for line in result.stderr.splitlines() if "un gabarit ne peut pas" in line]
    assert len(problems) == 1, result.stderr
    assert "erreur de gabarit : un gabarit ne peut pas " in problems[0]
    assert not (out / "index.html").exists()
    assert not (PROJECT / "pwned").exists() and not (source / "pwned").exists()
    assert not list(tmp_path.rglob("__jinja2_*"))  # no bytecode cache anywhere


def test_check_finds_a_broken_source_template_as_build_does(tmp_path: Path) -> None:
    """A template of the source's own layouts/ is code that build compiles: check compiles
    it too, so the two agree (check said « Contenu valide » and build failed)."""
    from palmares.cli import main
    from palmares.pipeline import check as read_content

    source = write_project(
        tmp_path / "projet", {"layouts/commune.html": "{% extends 'base.html' %}\n{% block main %}"}
    )
    check = main(["check", "--source", str(source), "--no-cache"])
    build = main(["--source", str(source), "--out", str(tmp_path / "site"), "--no-cache"])
    assert check == build == 1
    content = read_content(source)
    assert [(p.path, p.line) for p in content.errors] == [("layouts/commune.html", 2)]
    assert content.errors[0].message.startswith("gabarit invalide : ")
