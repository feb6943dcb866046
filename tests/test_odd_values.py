"""Every field of every kind of file, given each of fifty values an editor, a spreadsheet or a
stranger may write (YAML's other types, tags, empty and blank values, lists and mappings where
a text is meant, dates that do not exist, numbers beyond reason): `check` answers with
problems in French at their place, never a traceback, never a value as Python shows it.

palmares.toml the same, with TOML's values. And what `check` accepts, `build` builds.

Found this way: a list of texts given `.inf` or a date, an action's `commune` given one,
palmares.toml's `url` given a date (tracebacks), an empty choice shown as « None », a site
whose one edition is under embargo (`publie: no`), which check accepted and build did not
(8 December 2026)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from palmares.pipeline import build, check
from palmares.problems import Severity
from tests.helpers import problems, write_project
from tests.test_config import problems as config_problems

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


TOML_VALUES = [
    '""', '" "', "true", "1", "-1", "1.5", "inf", "nan", "[]", "{}", '[1, "a"]', '["a"]',
    "{ a = 1 }", "2026-03-15", "2026-03-15T10:00:00", "2026-03-15T10:00:00Z", "10:00:00",
    '"' + "é" * 301 + '"', "'''a\nb'''", '"\\u202e"', '"=1+1"', '"<b>x</b>"',
    '"mailto:a@b.fr"', '"x@y"', '"../../etc/passwd"', '"/etc/passwd"', "0x10", "1_000",
    "9999999999999999999999",
]  # fmt: skip
CONFIG = (
    'titre = "T"\norganisation = "O"\nurl = "https://x.fr/"\ncontact = "a@b.fr"\n'
    '[accessibilite]\netat = "non conforme"\ndate_audit = 2026-03-15\nreferentiel = "RGAA 4.1"\n'
    'date_declaration = 2026-03-16\n[[liens]]\ntitre = "M"\nurl = "https://x.fr/m"\n'
)
KEYS = [
    (n, found.group(1))
    for n, line in enumerate(CONFIG.split("\n"))
    if (found := re.match(r"^([a-z_]+) = ", line))
]


@pytest.mark.parametrize(("line", "key"), KEYS, ids=[f"{n}:{k}" for n, k in KEYS])
def test_odd_values_of_palmares_toml_are_problems(tmp_path: Path, line: int, key: str) -> None:
    lines = CONFIG.split("\n")
    for i, value in enumerate(TOML_VALUES):
        text = "\n".join([*lines[:line], f"{key} = {value}", *lines[line + 1 :]])
        found = config_problems(tmp_path / str(i), text)
        assert [p for p in found if PYTHON.search(p.split(": ", 1)[1])] == [], value


def _accepted() -> list[tuple[str, dict[str, str]]]:
    """Every odd value above that `check` accepts: what build must build."""
    cases = []
    for rel, line, field in FIELDS:
        lines = FILES[rel].split("\n")
        for value in VALUES:
            text = "\n".join([*lines[:line], f"{field} {value}", *lines[line + 1 :]])
            cases.append((f"{rel}:{field} {value[:20]}", {**FILES, rel: text}))
    for line, key in KEYS:
        lines = CONFIG.split("\n")
        for value in TOML_VALUES:
            text = "\n".join([*lines[:line], f"{key} = {value}", *lines[line + 1 :]])
            cases.append((f"palmares.toml:{key} = {value[:20]}", {**FILES, "palmares.toml": text}))
    return cases


def test_what_check_accepts_builds(tmp_path: Path) -> None:
    built = 0
    for i, (case, files) in enumerate(_accepted()):
        source = write_project(tmp_path / str(i), files)
        if any(p.severity is Severity.ERROR for p in check(source).problems):
            continue
        result = build(source, tmp_path / f"{i}-site", workers=1)  # a traceback fails here
        assert result.errors == [], case
        built += 1
    assert built > 250  # most odd values are texts a title or a name may hold


_MARCQ = 'code: "59378"\nnom: Marcq-en-Barœul\ndepartement: "59"\nlabels:\n'
SHAPES: dict[str, dict[str, str | None]] = {
    "no content/": {"content/domaines/teletravail.md": None},
    "no communes/": {"communes/59/marcq-en-baroeul.yaml": None},
    "a page alone": {
        "communes/59/marcq-en-baroeul.yaml": None,
        "content/domaines/teletravail.md": None,
        "content/pages/a.md": "---\ntitre: À propos\n---\nTexte.\n",
    },
    "every edition under embargo": {
        "communes/59/marcq-en-baroeul.yaml": _MARCQ
        + "  - annee: 2017\n    arobases: 5\n  - annee: 2018\n    arobases: 4\n",
        "content/palmares/2017.md": "---\nannee: 2017\npublie: false\n---\nÀ venir.\n",
        "content/palmares/2018.md": "---\nannee: 2018\npublie: false\n---\nÀ venir.\n",
        "content/actions/2017/a.md": (
            '---\ntitre: Une action\ncommune: "59378"\nannee: 2017\ndomaines: [teletravail]\n'
            "---\nTexte.\n"
        ),
    },
    "a simple mention alone": {
        "communes/59/marcq-en-baroeul.yaml": _MARCQ
        + "  - annee: 2017\n    arobases: 0\n    mention: Mention simple\n"
    },
    "an intercommunalité alone": {
        "communes/59/marcq-en-baroeul.yaml": None,
        "communes/59/mel.yaml": (
            'code: "200093201"\ntype: intercommunalite\nnom: Métropole européenne de Lille\n'
            'departement: "59"\nlabels:\n  - annee: 2017\n    arobases: 4\n'
        ),
    },
    "overseas alone": {
        "communes/59/marcq-en-baroeul.yaml": None,
        "communes/971/les-abymes.yaml": (
            'code: "97101"\nnom: Les Abymes\ndepartement: "971"\nlabels:\n'
            "  - annee: 2017\n    arobases: 4\n"
        ),
    },
    "the first and last years": {
        "communes/59/marcq-en-baroeul.yaml": _MARCQ
        + "  - annee: 1999\n    arobases: 5\n  - annee: 2100\n    arobases: 1\n"
    },
}


@pytest.mark.parametrize("shape", SHAPES)
def test_a_source_of_an_odd_shape_builds_as_check_says(tmp_path: Path, shape: str) -> None:
    # The public site and its preview (`--brouillons`), whatever is left of the palmarès.
    source = write_project(tmp_path / "src", SHAPES[shape])
    assert check(source).errors == []
    for drafts in (False, True):
        assert build(source, tmp_path / f"site-{drafts}", workers=1, drafts=drafts).errors == []
        assert (tmp_path / f"site-{drafts}" / "index.html").is_file()
