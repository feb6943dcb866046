"""Open data: the exports hold every label and action of the site, validate against their
schemas, and open in a French spreadsheet as they should."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from bs4 import BeautifulSoup

from palmares.content.model import Action, Label, Records, Site, build_site
from palmares.pipeline import build, check
from palmares.site import exports
from palmares.site.exports import BOM, size_text, spreadsheet_safe
from tests.helpers import commune, write_project

BASE_URL = "https://palmares.example.org/"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Site]:
    """A synthetic corpus built with a base URL, and its model."""
    tmp = tmp_path_factory.mktemp("export")
    source, out = tmp / "source", tmp / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "palmares.dev.synth",
            "--communes",
            "150",
            "--actions",
            "300",
            "--editions",
            "6",
            "--seed",
            "7",
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    result = build(source, out, base_url=BASE_URL)
    assert result.errors == []
    site = check(source).site
    assert site is not None
    return out, site


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    raw = path.read_bytes()
    assert raw.startswith(BOM.encode("utf-8")), "a BOM, so Excel reads UTF-8"
    text = raw.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return list(reader.fieldnames or []), list(reader)


def row_schema(table_schema: dict[str, Any]) -> dict[str, Any]:
    """A Table Schema's fields and constraints as a JSON Schema for one typed CSV row."""
    properties = {}
    required = []
    for field in table_schema["fields"]:
        spec: dict[str, Any] = {"type": field["type"]}
        constraints = dict(field.get("constraints", {}))
        if constraints.pop("required", False):
            required.append(field["name"])
        else:
            spec = {"anyOf": [spec, {"type": "null"}]}
            spec["anyOf"][0].update(constraints)
            constraints = {}
        spec.update(constraints)
        properties[field["name"]] = spec
    return {"type": "object", "properties": properties, "required": required}


def typed(table_schema: dict[str, Any], row: dict[str, str]) -> dict[str, Any]:
    """A CSV row read as the Table Schema says: missing values, integers, booleans."""
    out: dict[str, Any] = {}
    for field in table_schema["fields"]:
        value = row[field["name"]]
        if value in table_schema["missingValues"]:
            out[field["name"]] = None
        elif field["type"] == "integer":
            out[field["name"]] = int(value)
        elif field["type"] == "boolean":
            assert value in field["trueValues"] + field["falseValues"], value
            out[field["name"]] = value in field["trueValues"]
        else:
            out[field["name"]] = value
    return out


def test_exports_hold_every_label_and_action(corpus: tuple[Path, Site]) -> None:
    out, site = corpus
    expected_labels = {(e.annee, c.code) for e in site.editions for c, _ in e.laureates}
    _, labels = read_csv(out / "donnees/palmares.csv")
    assert len(labels) == len(expected_labels)
    assert {(int(r["edition"]), r["code"]) for r in labels} == expected_labels
    as_json = json.loads((out / "donnees/palmares.json").read_text(encoding="utf-8"))
    assert {(r["edition"], r["code"]) for r in as_json} == expected_labels

    # A title a spreadsheet would take for a formula (« @ vos claviers ! ») has a ' before it.
    expected_actions = {(a.annee, a.commune, spreadsheet_safe(a.titre)) for a in site.actions}
    _, actions = read_csv(out / "donnees/actions.csv")
    assert len(actions) == len(site.actions)
    assert {(int(r["edition"]), r["code"], r["titre"]) for r in actions} == expected_actions
    actions_json = json.loads((out / "donnees/actions.json").read_text(encoding="utf-8"))
    assert len(actions_json) == len(site.actions)

    for e in site.editions:
        _, rows = read_csv(out / f"donnees/palmares-{e.annee}.csv")
        assert len(rows) == len(e.laureates)
        assert {r["edition"] for r in rows} == {str(e.annee)}


def test_page_urls_in_the_exports_are_the_pages(corpus: tuple[Path, Site]) -> None:
    out, _ = corpus
    for name in ("palmares.csv", "actions.csv"):
        _, rows = read_csv(out / "donnees" / name)
        for row in rows:
            assert row["url"].startswith(BASE_URL)
            assert (out / row["url"].removeprefix(BASE_URL) / "index.html").is_file(), row["url"]


@pytest.mark.parametrize("name", ["palmares", "actions"])
def test_json_files_validate_against_their_json_schema(
    corpus: tuple[Path, Site], name: str
) -> None:
    out, _ = corpus
    schema = json.loads((out / f"donnees/{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads((out / f"donnees/{name}.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)


@pytest.mark.parametrize("name", ["palmares", "actions", "palmares-*"])
def test_csv_files_validate_against_their_table_schema(
    corpus: tuple[Path, Site], name: str
) -> None:
    out, _ = corpus
    base = name.removesuffix("-*")
    schema = json.loads((out / f"donnees/{base}.tableschema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(row_schema(schema))
    files = sorted((out / "donnees").glob(f"{name}.csv"))
    assert files
    for path in files:
        header, rows = read_csv(path)
        assert header == [f["name"] for f in schema["fields"]], path
        for row in rows:
            validator.validate(typed(schema, row))


def test_csv_follows_the_french_open_data_conventions(corpus: tuple[Path, Site]) -> None:
    out, _ = corpus
    raw = (out / "donnees/palmares.csv").read_bytes()
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith('"edition","code","nom"'), "comma separator, header row"
    assert lines[-1] == "", "CRLF after every line, the last one too"
    assert "\n" not in "".join(lines)
    # numbers are not quoted, texts are: 2019,"59378","Marcq-en-Barœul",…
    first = next(csv.reader([lines[1]]))
    assert lines[1].startswith(first[0] + ',"'), lines[1]


def test_codes_with_leading_zeros_stay_text(tmp_path: Path) -> None:
    root = write_project(
        tmp_path / "p",
        {
            "communes/01/amberieu.yaml": commune('"01004"'),
            "communes/2A/ajaccio.yaml": commune('"2A004"', nom="Ajaccio", departement='"2A"'),
        },
    )
    out = tmp_path / "out"
    assert build(root, out).errors == []
    text = (out / "donnees/palmares.csv").read_text(encoding="utf-8-sig")
    assert '"01004"' in text and '"2A004"' in text and ',"01",' in text
    _, rows = read_csv(out / "donnees/palmares.csv")
    assert {r["code"] for r in rows} >= {"01004", "2A004"}
    data = json.loads((out / "donnees/palmares.json").read_text(encoding="utf-8"))
    codes = {r["code"] for r in data}
    assert "01004" in codes and all(isinstance(c, str) for c in codes)
    schema = json.loads((out / "donnees/palmares.tableschema.json").read_text(encoding="utf-8"))
    code = next(f for f in schema["fields"] if f["name"] == "code")
    assert code["type"] == "string"
    # Without a base URL, page addresses are relative to the site's root.
    row = next(r for r in rows if r["code"] == "01004")
    assert (out / row["url"]).is_file()


def test_data_page_lists_each_file_with_size_rows_schema_and_licence(
    corpus: tuple[Path, Site],
) -> None:
    out, site = corpus
    html = BeautifulSoup((out / "donnees/index.html").read_text(encoding="utf-8"), "html.parser")
    listed = {}
    for table in html.select("table.data-files"):
        for tr in table.select("tbody tr"):
            link = tr.find("a", href=True)
            assert link is not None
            cells = [" ".join(td.get_text(" ").split()) for td in tr.find_all(["th", "td"])]
            listed[link["href"]] = cells
    on_disk = {p.name for p in (out / "donnees").iterdir() if p.name != "index.html"}
    assert {href.rsplit("/", 1)[-1] for href in listed} == on_disk
    main = listed["../donnees/palmares.csv"]
    size = size_text((out / "donnees/palmares.csv").stat().st_size)
    assert size.replace("\u00a0", " ") in main
    labels = sum(len(e.laureates) for e in site.editions)
    assert any(cell.replace("\u202f", "") == str(labels) for cell in main)
    assert "palmares.tableschema.json" in main
    text = html.get_text(" ")
    assert "Licence Ouverte" in text and "Citez" in text
    assert html.select_one('a[rel="license"]')["href"].startswith("https://www.etalab.gouv.fr/")
    assert BASE_URL + "donnees/" in html.select_one("blockquote.citation").get_text()
    jsonld = json.loads(html.select_one('script[type="application/ld+json"]').string)
    assert jsonld["@type"] == "Dataset" and jsonld["license"].startswith("https://")


def test_datapackage_describes_every_csv(corpus: tuple[Path, Site]) -> None:
    out, _ = corpus
    package = json.loads((out / "donnees/datapackage.json").read_text(encoding="utf-8"))
    resources = {r["path"]: r for r in package["resources"]}
    assert set(resources) == {p.name for p in (out / "donnees").glob("*.csv")}
    for path, resource in resources.items():
        assert resource["bytes"] == (out / "donnees" / path).stat().st_size
        assert (out / "donnees" / resource["schema"]).is_file()
    assert package["licenses"][0]["name"] == "etalab-2.0"


def test_size_text_is_french() -> None:
    assert size_text(850) == "850\u00a0octets"
    assert size_text(12_345) == "12,3\u00a0ko"
    assert size_text(1_234_567) == "1,2\u00a0Mo"


def _altered(record: Any, name: str, site: Site) -> Any:
    """`record` with its field `name` changed, still a record the model accepts; None for
    the fields that name the record itself (its code, its slug)."""
    if name.startswith("labels."):  # a field of its first label
        first = record.labels[0]
        changed = _altered(first, name.removeprefix("labels."), site)
        return dataclasses.replace(record, labels=(changed, *record.labels[1:]))
    value = getattr(record, name)
    if name in ("code", "slug") and not isinstance(record, Action):
        return None
    if name == "commune":  # another collectivité
        other = next(c.code for c in site.communes if c.code != value)
        return dataclasses.replace(record, commune=other)
    if name == "departement":
        return dataclasses.replace(record, departement="02" if value != "02" else "03")
    if name == "arobases":
        return dataclasses.replace(record, arobases=value % 5 + 1)
    if name == "distinctions":
        return dataclasses.replace(record, distinctions=(*value, "Prix ·"))
    if name == "domaines":
        others = [d.slug for d in site.domaines if d.slug not in value]
        return dataclasses.replace(record, domaines=(*value, others[0]))
    if isinstance(value, bool):
        return dataclasses.replace(record, **{name: not value})
    if isinstance(value, int) or (name == "population" and value is None):
        return dataclasses.replace(record, **{name: (value or 0) + 1})
    if isinstance(value, str) or value is None:
        return dataclasses.replace(record, **{name: f"{value or ''}·"})
    return dataclasses.replace(record, **{name: ()}) if value else None


def test_the_open_data_is_made_again_whenever_what_it_shows_changes(
    corpus: tuple[Path, Site],
) -> None:
    """exports.fingerprint is the open data's key (site/plan.py): every change of a record
    that changes the files changes it, and a write-up's text does not."""
    _, site = corpus
    records = Records(
        site.communes, site.actions, site.domaines, tuple(e.text for e in site.editions), site.pages
    )
    before = exports.fingerprint(site, BASE_URL), exports.files(site, BASE_URL)
    changed = 0
    for kind in ("communes", "actions", "domaines", "editions"):
        record = getattr(records, kind)[0]
        names = [f.name for f in dataclasses.fields(record) if f.name != "labels"]
        if kind == "communes":  # each field of a label (but its year, which names it)
            names += [f"labels.{f.name}" for f in dataclasses.fields(Label) if f.name != "annee"]
        for name in names:
            new = _altered(record, name, site)
            if new is None:
                continue
            altered = build_site(
                dataclasses.replace(records, **{kind: (new, *getattr(records, kind)[1:])})
            )
            files = exports.files(altered, BASE_URL)
            key = exports.fingerprint(altered, BASE_URL)
            if files != before[1]:
                changed += 1
                assert key != before[0], f"{kind}.{name} changes the open data"
            if name == "body_html":
                assert key == before[0], "a text is not in the open data"
    assert changed >= 12


def test_csv_cells_are_converted_and_safe_and_runs_are_slices() -> None:
    """Lists joined, booleans as true/false, nothing as an empty cell, a text that a
    spreadsheet would run (in any text column, lists included) quoted with ', numbers
    left as numbers; each run of rows named by `cuts` is the slice of the body it starts."""
    from palmares.site.exports import ACTIONS, LABELS, csv_parts

    def label(edition: int, **values: object) -> dict[str, object]:
        row: dict[str, object] = {f.name: None for f in LABELS.fields}
        row.update(edition=edition, code="01043", nom="Beynost", population=5198, arobases=3)
        row["distinctions"] = []
        row.update(values)
        return row

    rows = [
        label(2019, mention="=1+1", distinctions=["+Prix", "Autre"]),
        label(2020, mention="Mention", evolution="hausse", arobases_precedent=3),
        label(2020, nom="@ccueil"),
    ]
    header, body, starts = csv_parts(LABELS, rows, [1])
    assert header.startswith('"edition","code","nom",')
    assert body.split("\r\n") == [
        '2019,"01043","Beynost","","","","","",5198,3,"\'=1+1","\'+Prix;Autre","","","",""',
        '2020,"01043","Beynost","","","","","",5198,3,"Mention","","","hausse",3,""',
        '2020,"01043","\'@ccueil","","","","","",5198,3,"","","","","",""',
        "",
    ]
    assert sorted(starts) == [0, 1, 3]
    assert body[starts[1] : starts[3]] == body[body.index("2020") :]

    action = {f.name: "" for f in ACTIONS.fields}
    action.update(edition=2020, domaines=["a", "b"], domaines_titres=[], mention_speciale=True)
    assert csv_parts(ACTIONS, [action])[1] == '2020,"","","","a;b","","true","",""\r\n'
