"""The JSON Schemas of schemas/: valid, documented in French, the same answer as the build,
and the generated field documentation up to date."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from palmares.content.load import load_file
from palmares.content.read import Kind
from palmares.content.schema import (
    SCHEMA_FILES,
    SCHEMA_FOLDER,
    bundled,
    fast_check,
    json_view,
    validator,
)
from palmares.dev.schemadoc import document
from palmares.territory import DEPARTEMENTS

PROJECT = Path(__file__).resolve().parent.parent
SCHEMAS = sorted(SCHEMA_FOLDER.glob("*.schema.json"))
_ANNOTATED = ("title", "description", "examples")


def _registry() -> Registry:
    return Registry().with_resources(
        (path.name, Resource.from_contents(json.loads(path.read_text(encoding="utf-8"))))
        for path in SCHEMAS
    )


def _as_written(kind: Kind) -> Any:
    """A validator of the schema file as an editor's tool reads it, `$ref`s and all."""
    schema = json.loads((SCHEMA_FOLDER / SCHEMA_FILES[kind]).read_text(encoding="utf-8"))
    return Draft202012Validator(
        schema, registry=_registry(), format_checker=FormatChecker(formats=("date",))
    )


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_each_schema_is_valid_draft_2020_12(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def _fields(schema: dict[str, Any], prefix: str = "") -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    for name, field in schema.get("properties", {}).items():
        found.append((prefix + name, field))
        found += _fields(field, f"{prefix}{name}.")
        found += _fields(field.get("items", {}), f"{prefix}{name}[].")
    return found


@pytest.mark.parametrize("kind", list(SCHEMA_FILES), ids=lambda k: k.value)
def test_every_field_has_a_french_title_description_and_valid_examples(kind: Kind) -> None:
    schema = bundled(kind)
    assert schema["title"] and schema["description"]
    for name, field in _fields(schema):
        for key in _ANNOTATED:
            assert field.get(key), f"{kind.value}: `{name}` has no {key}"
        check = Draft202012Validator(field, format_checker=FormatChecker(formats=("date",)))
        for example in field["examples"]:
            assert check.is_valid(example), f"{kind.value}: `{name}` example {example!r}"


def test_departement_pattern_accepts_exactly_the_table_of_departements() -> None:
    pattern = bundled(Kind.COMMUNE)["properties"]["departement"]["pattern"]
    check = Draft202012Validator({"pattern": pattern})
    alphabet = "0123456789AB"
    candidates = {"".join(p) for n in (1, 2, 3) for p in itertools.product(alphabet, repeat=n)}
    accepted = {c for c in candidates if check.is_valid(c)}
    assert accepted == set(DEPARTEMENTS)


def test_each_example_file_names_its_schema_for_editors_tools() -> None:
    for path in sorted((PROJECT / "communes").rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target == (SCHEMA_FOLDER / "commune.schema.json").resolve(), path


def test_shipped_examples_are_valid_for_the_schema_as_written() -> None:
    for path in sorted((PROJECT / "communes").rglob("*.yaml")):
        rel = path.relative_to(PROJECT).as_posix()
        file, problems = load_file(path.read_bytes(), rel, Kind.COMMUNE)
        assert file is not None and not problems
        errors = list(_as_written(Kind.COMMUNE).iter_errors(json_view(file.data, (), file)))
        assert errors == [], rel


# --- the build's validator gives the same answer as the schema files ---------------------

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from(
        [0, 5, 6, 1998, 1999, 2017, 2100, 2101, 39000, 50.67, 3.1, -95.0, 200.5, 0.0, 3.0]
    ),
    st.sampled_from(
        ["", " ", "x", "59378", "2A004", "2b033", "97411", "0100", "200041507", "59", "2A", "96"]
    ),
    st.sampled_from(["971", "1", "commune", "intercommunalite", "village", "https://a.fr"]),
    st.sampled_from(["ftp://a.fr", "www.a.fr", "2017-02-01", "2017-02-30", "Mention simple"]),
)
_KEYS = st.sampled_from(
    [
        "code", "nom", "type", "departement", "population", "site_web", "coordonnees",
        "anciens_noms", "labels", "annee", "arobases", "mention", "distinctions", "lat", "lon",
        "titre", "commune", "domaines", "mention_speciale", "lien", "ordre", "editions",
        "numero", "date", "lieu", "arobase",
    ]
)  # fmt: skip
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=5)),
    max_leaves=12,
)


def _valid_base(kind: Kind) -> dict[str, Any]:
    return {
        Kind.COMMUNE: {
            "code": "59378",
            "nom": "Marcq-en-Barœul",
            "departement": "59",
            "labels": [{"annee": 2017, "arobases": 3}],
        },
        Kind.ACTION: {"titre": "T", "commune": "59378", "annee": 2017, "domaines": ["a"]},
        Kind.DOMAINE: {"titre": "T"},
        Kind.EDITION: {"annee": 2017},
        Kind.PAGE: {"titre": "T"},
    }[kind]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(list(SCHEMA_FILES)),
    st.dictionaries(_KEYS, _VALUES, max_size=4),
    st.lists(_KEYS, max_size=2),
)
def test_fast_check_jsonschema_and_the_schema_files_agree(
    kind: Kind, changes: dict[str, Any], removed: list[str]
) -> None:
    document_ = {**_valid_base(kind), **changes}
    for key in removed:
        document_.pop(key, None)
    expected = _as_written(kind).is_valid(document_)
    assert validator(kind).is_valid(document_) == expected
    assert fast_check(kind)(document_) == expected


# --- the generated documentation ---------------------------------------------------------


def test_docs_champs_is_up_to_date() -> None:
    committed = (PROJECT / "docs" / "champs.md").read_text(encoding="utf-8")
    assert committed == document(), (
        "docs/champs.md is stale: run `python -m palmares.dev.schemadoc > docs/champs.md`"
    )


def test_schemadoc_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "palmares.dev.schemadoc"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith("# Les champs du contenu\n")
    assert "| `arobases` | oui | nombre entier de 0 à 5 |" in done.stdout
