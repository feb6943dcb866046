"""Every field of every kind of file, given each of fifty values an editor, a spreadsheet or a
stranger may write (YAML's other types, tags, empty and blank values, lists and mappings where
a text is meant, dates that do not exist, numbers beyond reason): `check` answers with
problems in French at their place, never a traceback, never a value as Python shows it.

Found this way: a list of texts given `.inf` or a date, an action's `commune` given one
(tracebacks), an empty choice shown as « None » (8 December 2026)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import problems

VALUES = [
    "", "~", "null", "true", "yes", "no", "0", "-1", "3.5", "1e3", ".inf", "-.inf", ".nan",
    "[]", "{}", "[a, b]", "[[a]]", "{a: 1}", '"  "', "2017-02-30", "2017-02-01",
    "2017-02-01 10:00:00", "12:30", "0x10", "0o17", "!!str 5", "!!binary aGVsbG8=",
    "!!set {a}", '"@"', '"=1+1"', '"<b>x</b>"', '"*x*"', '"\\u202e"', "é" * 301, '"59378"',
    "59378", "Lille", "[2017]", "2017", "[2017, 2017]", "[.inf]", "[2017-02-01]", "[~]",
    '[""]', "[[]]", "[{}]", "99999999999999999999999", "-0", "+5", "1_000",
]  # fmt: skip

C = "communes/01/amberieu-en-bugey.yaml"
COMMUNE = (
    'code: "01004"\nnom: Ambérieu-en-Bugey\ndepartement: "01"\ntype: commune\n'
    "population: 14000\nsite_web: https://www.x.fr\ncoordonnees: {lat: 45.96, lon: 5.36}\n"
    "anciens_noms: [Ambérieu]\nlabels:\n  - annee: 2017\n    arobases: 3\n    mention: Verte\n"
    "    distinctions: [Coup de cœur]\n"
)
FILES = {
    C: COMMUNE,
    "content/actions/2017/une-action.md": (
        '---\ntitre: Une action\ncommune: "01004"\nannee: 2017\ndomaines: [teletravail]\n'
        "mention_speciale: true\nlien: https://www.x.fr\n---\nTexte.\n"
    ),
    "content/palmares/2017.md": (
        "---\nannee: 2017\nnumero: 18\ndate: 2017-02-01\nlieu: Lille\npublie: true\n---\nTexte.\n"
    ),
    "content/domaines/teletravail.md": (
        "---\ntitre: Télétravail\nordre: 3\neditions: [2017]\n---\nTexte.\n"
    ),
    "content/pages/a-propos.md": "---\ntitre: À propos\n---\nTexte.\n",
}
FIELD = re.compile(r"^(\s*(?:- )?[a-z_]+:) .+$")
FIELDS = [
    (rel, n, found.group(1))
    for rel, text in FILES.items()
    for n, line in enumerate(text.split("\n"))
    if (found := FIELD.match(line))
]
PYTHON = re.compile(r"\bNone\b|\{'|\['|datetime|\bb'|Traceback|<class")
"""How Python shows a value: never in a message to an editor."""


@pytest.mark.parametrize(("rel", "line", "field"), FIELDS, ids=[f"{r}:{f}" for r, _, f in FIELDS])
def test_odd_values_are_problems_not_tracebacks(
    tmp_path: Path, rel: str, line: int, field: str
) -> None:
    lines = FILES[rel].split("\n")
    for i, value in enumerate(VALUES):
        text = "\n".join([*lines[:line], f"{field} {value}", *lines[line + 1 :]])
        files = {**FILES, rel: text}
        found = problems(tmp_path / str(i), files)  # a traceback fails the test here
        shown = [p for p in found if PYTHON.search(p.split(": ", 1)[1])]
        assert shown == [], (value, shown)
