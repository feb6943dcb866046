"""Open data: every label and every action as CSV and JSON, with their schemas.

The files follow the French public open-data conventions for tabular files (Etalab,
OpenDataFrance): UTF-8, comma separator, CRLF line ends (RFC 4180), one header row, columns
documented by a Table Schema (frictionless, as schema.data.gouv.fr uses) and the JSON files by
a JSON Schema. Two choices for spreadsheets, explained on the data page too:

- a byte order mark starts each CSV file: without it Excel reads UTF-8 as Windows-1252 and
  breaks every accent; LibreOffice, pandas, R (readr), csvkit and frictionless skip it.
- every text field is quoted, numbers are not: a code like "01004" is text in the schema, and
  LibreOffice keeps it as text with its option « Formater les champs entre guillemets comme
  texte ». Excel has no such option: its import (Données > À partir d'un fichier texte/CSV)
  must be told that `code` is text, and the data page says how.

Columns are declared once, in FIELDS; both schemas are derived from it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from palmares.content.config import DEFAULT, Config
from palmares.content.hygiene import FORMULA_START
from palmares.content.model import Action, Commune, Label, Site, label_values
from palmares.site import progression, urls
from palmares.site.figures import maps
from palmares.territory import DEPARTEMENTS
from palmares.text import slugify

FOLDER = "donnees"
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
LIST_SEPARATOR = ";"
BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: str
    """Table Schema type: string, integer, boolean."""
    description: str
    required: bool = True
    constraints: tuple[tuple[str, Any], ...] = ()
    many: bool = False
    """Several values: joined by LIST_SEPARATOR in CSV, an array in JSON."""


CODE_PATTERN = r"^([0-9]{2}|2[AB])[0-9]{3}$|^97[0-9]{3}$|^[0-9]{9}$"
DEPARTEMENT_PATTERN = r"^([0-9]{2}|2[AB]|97[0-9])$"

_LABEL_FIELDS = (
    Field(
        "edition",
        "integer",
        "Année de l'édition du label",
        constraints=(("minimum", 1990), ("maximum", 2100)),
    ),
    Field(
        "code",
        "string",
        "Code INSEE de la commune (5 caractères, zéro initial compris) ou SIREN de "
        "l'intercommunalité (9 chiffres) : toujours un texte",
        constraints=(("pattern", CODE_PATTERN),),
    ),
    Field("nom", "string", "Nom officiel de la collectivité"),
    Field(
        "type",
        "string",
        "Type de collectivité",
        constraints=(("enum", ["commune", "intercommunalite"]),),
    ),
    Field(
        "departement_code",
        "string",
        "Code INSEE du département",
        constraints=(("pattern", DEPARTEMENT_PATTERN),),
    ),
    Field("departement", "string", "Nom du département"),
    Field("region_code", "string", "Code INSEE de la région (régions de 2016)"),
    Field("region", "string", "Nom de la région"),
    Field(
        "population",
        "integer",
        "Population (nombre d'habitants), vide si elle n'est pas renseignée",
        required=False,
        constraints=(("minimum", 1),),
    ),
    Field(
        "arobases",
        "integer",
        "Nombre d'@ du label, de 1 à 5 ; 0 pour la mention simple sans @ des premières éditions",
        constraints=(("minimum", 0), ("maximum", 5)),
    ),
    Field("mention", "string", "Mention spéciale de cette édition, vide sinon", required=False),
    Field(
        "distinctions",
        "string",
        f"Distinctions de cette édition, séparées par « {LIST_SEPARATOR} »",
        required=False,
        many=True,
    ),
    Field("url", "string", "Adresse de la page de la collectivité sur ce site"),
    Field(
        "evolution",
        "string",
        "Par rapport au label précédent de la collectivité dans ce palmarès : premiere "
        "(aucun label avant celui-ci), retour (labellisée avant, mais pas à l'édition "
        "précédente), hausse, stable ou baisse (labellisée à l'édition précédente, avec plus, "
        "autant ou moins d'@ ; la mention simple compte pour 0 @) ; vide pour la plus ancienne "
        "édition de ce palmarès, qu'aucune ne précède",
        required=False,
        constraints=(("enum", list(progression.EVOLUTIONS)),),
    ),
    Field(
        "arobases_precedent",
        "integer",
        "Nombre d'@ du label précédent de la collectivité (0 pour une mention simple), "
        "vide s'il n'y en a pas",
        required=False,
        constraints=(("minimum", 0), ("maximum", 5)),
    ),
    Field(
        "edition_precedente",
        "integer",
        "Année du label précédent de la collectivité, vide s'il n'y en a pas",
        required=False,
        constraints=(("minimum", 1990), ("maximum", 2100)),
    ),
)

_ACTION_FIELDS = (
    Field(
        "edition",
        "integer",
        "Année de l'édition où l'action a été distinguée",
        constraints=(("minimum", 1990), ("maximum", 2100)),
    ),
    Field(
        "code",
        "string",
        "Code INSEE ou SIREN de la collectivité : toujours un texte",
        constraints=(("pattern", CODE_PATTERN),),
    ),
    Field("collectivite", "string", "Nom de la collectivité"),
    Field("titre", "string", "Titre de l'action"),
    Field(
        "domaines",
        "string",
        f"Identifiants des domaines de l'action, séparés par « {LIST_SEPARATOR} »",
        many=True,
    ),
    Field(
        "domaines_titres",
        "string",
        f"Titres des domaines de l'action, séparés par « {LIST_SEPARATOR} »",
        many=True,
    ),
    Field("mention_speciale", "boolean", "L'action a reçu une mention spéciale"),
    Field("lien", "string", "Lien vers une présentation de l'action, vide sinon", required=False),
    Field("url", "string", "Adresse de la page de l'action sur ce site"),
)


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    title: str
    fields: tuple[Field, ...]


LABELS = Table("palmares", "Palmarès : une ligne par label", _LABEL_FIELDS)
ACTIONS = Table("actions", "Actions distinguées : une ligne par action", _ACTION_FIELDS)


@dataclass(frozen=True, slots=True)
class DataFile:
    """One published file: where it goes, its bytes, and what the data page says of it."""

    path: str
    data: bytes
    format: str
    """CSV, JSON, schéma…"""
    title: str
    rows: int | None = None
    schema: str | None = None
    """The path of the schema this file follows."""
    edition: int | None = None


# --- rows -----------------------------------------------------------------------------------


def _page(base_url: str, path: str) -> str:
    return urls.absolute(base_url, path) if base_url else path


def label_row(
    c: Commune, label: Label, base_url: str, change: progression.Change | None = None
) -> dict[str, Any]:
    """`change`: the label's progression (site/progression.py), None in the oldest edition."""
    dept = DEPARTEMENTS[c.departement]
    previous = change.previous if change else None
    return {
        "edition": label.annee,
        "code": c.code,
        "nom": c.nom,
        "type": c.type,
        "departement_code": dept.code,
        "departement": dept.nom,
        "region_code": dept.region.code,
        "region": dept.region.nom,
        "population": c.population,
        "arobases": label.arobases,
        "mention": label.mention,
        "distinctions": list(label.distinctions),
        "url": _page(base_url, urls.commune(c)),
        "evolution": change.evolution if change else None,
        "arobases_precedent": previous.arobases if previous else None,
        "edition_precedente": previous.annee if previous else None,
    }


def action_row(site: Site, a: Action, base_url: str) -> dict[str, Any]:
    c = site.by_code[a.commune]
    return {
        "edition": a.annee,
        "code": c.code,
        "collectivite": c.nom,
        "titre": a.titre,
        "domaines": list(a.domaines),
        "domaines_titres": [site.by_domaine[d].titre for d in a.domaines],
        "mention_speciale": a.mention_speciale,
        "lien": a.lien,
        "url": _page(base_url, urls.action(a)),
    }


def fingerprint(site: Site, base_url: str) -> str:
    """A digest of everything the rows above are made of, and nothing else: the key of the
    open data (site/plan.py), so that a build where only a write-up's text or an edition's
    changed does not make them again. tests/test_export.py changes each field of each record
    and checks that the files change only when this does."""
    h = hashlib.blake2b(base_url.encode(), digest_size=16)
    for c in site.communes:
        h.update(
            repr(
                (c.code, c.nom, c.type, c.departement, c.population, label_values(c.labels), c.slug)
            ).encode()
        )
    for a in site.actions:
        h.update(
            repr(
                (a.key, a.annee, a.commune, a.titre, a.domaines, a.mention_speciale, a.lien)
            ).encode()
        )
    for d in site.domaines:
        h.update(repr((d.slug, d.titre)).encode())
    # The years of the editions: a label's progression (`evolution`) depends on them, and on
    # its collectivité's other labels, which are above.
    h.update(repr([e.annee for e in site.editions]).encode())
    return h.hexdigest()


def label_rows(site: Site, base_url: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(year, row): editions oldest first, each in French alphabetical order."""
    for e in site.editions:
        changes = progression.changes(site, e)
        for i, (c, label) in enumerate(e.laureates):
            yield e.annee, label_row(c, label, base_url, changes[i] if changes else None)


# --- formats --------------------------------------------------------------------------------


def _cell(field: Field, value: Any) -> str | int:
    if value is None:
        return ""
    if field.many:
        return LIST_SEPARATOR.join(value)
    if field.type == "boolean":
        return "true" if value else "false"
    if field.type == "integer":
        return int(value)
    return str(value)


def spreadsheet_safe(cell: Any) -> Any:
    """A cell, with a `'` before a text a spreadsheet would take for a formula (OWASP's
    advice for CSV files). Names never start so, nor titles with `=` (validation refuses
    them): this is for the other free texts, a title playing on a sign (« @ vos
    claviers ! »), mentions and distinctions."""
    return "'" + cell if cell.__class__ is str and cell.startswith(FORMULA_START) else cell


def _cells(table: Table) -> Callable[[dict[str, Any]], list[Any]]:
    """A row → its cells as the CSV file writes them (`_cell`), each safe for a
    spreadsheet: only the columns that need it are converted, only texts are checked."""
    values = operator.itemgetter(*(f.name for f in table.fields))
    convert = [
        (i, f)
        for i, f in enumerate(table.fields)
        if f.many or f.type == "boolean" or not f.required
    ]
    texts = [i for i, f in enumerate(table.fields) if f.type == "string"]

    def cells(row: dict[str, Any]) -> list[Any]:
        found = list(values(row))
        for i, f in convert:
            found[i] = _cell(f, found[i])
        for i in texts:
            found[i] = spreadsheet_safe(found[i])
        return found

    return cells


def csv_parts(
    table: Table, rows: Sequence[dict[str, Any]], cuts: Iterable[int] = ()
) -> tuple[str, str, dict[int, int]]:
    """The header line, the body, and where in the body the rows at `cuts` (and the end)
    start: a run of rows (one edition's) is a slice of the body, written once."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow([f.name for f in table.fields])
    header = out.getvalue()
    out.seek(0)
    out.truncate()
    cells = _cells(table)
    starts = {}
    first = 0
    for cut in sorted({*cuts, len(rows)}):
        starts[first] = out.tell()
        writer.writerows(map(cells, rows[first:cut]))
        first = cut
    starts[len(rows)] = out.tell()
    return header, out.getvalue(), starts


def to_csv(table: Table, rows: Sequence[dict[str, Any]]) -> bytes:
    header, body, _ = csv_parts(table, rows)
    return (BOM + header + body).encode("utf-8")


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def to_json(rows: Sequence[dict[str, Any]]) -> bytes:
    """A JSON array, one record a line: small, and a change shows as a one-line diff."""
    lines = [_JSON.encode(row) for row in rows]
    return ("[\n" + ",\n".join(lines) + "\n]\n").encode("utf-8")


def _dump(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def table_schema(table: Table) -> dict[str, Any]:
    """Frictionless Table Schema of the CSV file."""
    fields = []
    for f in table.fields:
        spec: dict[str, Any] = {"name": f.name, "type": f.type, "description": f.description}
        if f.type == "boolean":
            spec["trueValues"] = ["true"]
            spec["falseValues"] = ["false"]
        constraints = dict(f.constraints)
        if f.required:
            constraints["required"] = True
        if f.many and "pattern" in constraints:
            del constraints["pattern"]
        if constraints:
            spec["constraints"] = constraints
        fields.append(spec)
    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": table.name,
        "title": table.title,
        "fields": fields,
        "missingValues": [""],
    }


_JSON_TYPES = {"string": "string", "integer": "integer", "boolean": "boolean"}


def json_schema(table: Table) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the JSON file: an array of records."""
    properties: dict[str, Any] = {}
    for f in table.fields:
        item: dict[str, Any] = {"type": _JSON_TYPES[f.type]}
        item.update(dict(f.constraints))
        if f.many:
            spec: dict[str, Any] = {"type": "array", "items": item}
        elif f.required:
            spec = item
        else:
            spec = {"anyOf": [item, {"type": "null"}]}
        spec["description"] = f.description
        properties[f.name] = spec
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": table.title,
        "type": "array",
        "items": {
            "type": "object",
            "properties": properties,
            "required": [f.name for f in table.fields],
            "additionalProperties": False,
        },
    }


# --- the files --------------------------------------------------------------------------------


def path(name: str) -> str:
    return f"{FOLDER}/{name}"


def files(site: Site, base_url: str = "") -> tuple[DataFile, ...]:
    """Every published data file, built once from the model (one pass over labels and one
    over actions)."""
    labels: list[dict[str, Any]] = []
    spans: dict[int, list[int]] = {}
    for year, row in label_rows(site, base_url):  # editions in order: each a run of rows
        spans.setdefault(year, [len(labels), len(labels)])[1] = len(labels) + 1
        labels.append(row)
    actions = [action_row(site, a, base_url) for a in site.actions]

    out: list[DataFile] = []
    bodies: dict[str, tuple[str, str, dict[int, int]]] = {}
    cuts = [first for first, _last in spans.values()]
    for table, rows, at in ((LABELS, labels, cuts), (ACTIONS, actions, [])):
        ts = path(f"{table.name}.tableschema.json")
        js = path(f"{table.name}.schema.json")
        header, body, starts = bodies[table.name] = csv_parts(table, rows, at)
        csv_bytes = (BOM + header + body).encode("utf-8")
        out += [
            DataFile(path(f"{table.name}.csv"), csv_bytes, "CSV", table.title, len(rows), ts),
            DataFile(path(f"{table.name}.json"), to_json(rows), "JSON", table.title, len(rows), js),
            DataFile(ts, _dump(table_schema(table)), "Table Schema", f"Schéma de {table.name}.csv"),
            DataFile(js, _dump(json_schema(table)), "JSON Schema", f"Schéma de {table.name}.json"),
        ]  # fmt: skip
    header, body, starts = bodies[LABELS.name]
    for year in sorted(spans):
        first, last = spans[year]
        out.append(
            DataFile(
                path(f"palmares-{year}.csv"),
                (BOM + header + body[starts[first] : starts[last]]).encode("utf-8"),
                "CSV",
                f"Palmarès {year}",
                last - first,
                path(f"{LABELS.name}.tableschema.json"),
                edition=year,
            )
        )
    out.append(
        DataFile(
            path("datapackage.json"),
            _dump(datapackage(out, site.config)),
            "Data Package",
            "Description",
        )
    )
    return tuple(out)


def datapackage(data: Sequence[DataFile], config: Config = DEFAULT) -> dict[str, Any]:
    """Frictionless Data Package describing the CSV files, paths relative to donnees/; named
    and titled after the site, published by its organisation (palmares.toml)."""
    resources = []
    for f in data:
        if f.format != "CSV":
            continue
        resources.append(
            {
                "name": f.path.removeprefix(f"{FOLDER}/").removesuffix(".csv"),
                "title": f.title,
                "path": f.path.removeprefix(f"{FOLDER}/"),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "bytes": len(f.data),
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                "schema": (f.schema or "").removeprefix(f"{FOLDER}/"),
            }
        )
    return {
        "name": slugify(config.titre) or "palmares",
        "title": config.titre,
        "description": "Palmarès du label Territoires, Villes et Villages Internet",
        "contributors": [{"title": config.organisation, "role": "publisher"}],
        "licenses": [LICENCE],
        "resources": resources,
    }


# --- the data page --------------------------------------------------------------------------


def size_text(size: int) -> str:
    """`850 octets`, `12,3 ko`, `1,2 Mo`: as a French reader expects."""
    if size < 1000:
        return f"{size}\u00a0octets"
    if size < 1_000_000:
        return f"{size / 1000:.1f}".replace(".", ",") + "\u00a0ko"
    return f"{size / 1_000_000:.1f}".replace(".", ",") + "\u00a0Mo"


def page_context(site: Site, data: Sequence[DataFile], to: Callable[[str], str]) -> dict[str, Any]:
    """What the data page shows: each file with its size, rows and schema, the columns,
    the licence and how to cite."""

    def entry(f: DataFile) -> dict[str, Any]:
        return {
            "name": f.path.removeprefix(f"{FOLDER}/"),
            "url": to(f.path),
            "title": f.title,
            "format": f.format,
            "size": size_text(len(f.data)),
            "rows": f.rows,
            "edition": f.edition,
            "schema": {"name": f.schema.removeprefix(f"{FOLDER}/"), "url": to(f.schema)}
            if f.schema
            else None,
        }

    years = [e.annee for e in site.editions]
    labels = sum(len(e.laureates) for e in site.editions)
    # No edition at all on a public site whose only edition is under embargo (`publie: false`).
    span = (
        (f"éditions {years[0]} à {years[-1]}" if len(years) > 1 else f"édition {years[0]}")
        if years
        else ""
    )
    return {
        "files": [entry(f) for f in data if f.edition is None],
        "editions": [entry(f) for f in reversed(data) if f.edition is not None],
        "tables": [
            {
                "name": t.name,
                "title": t.title,
                "fields": [
                    {
                        "name": f.name,
                        "type": f"liste de textes séparés par « {LIST_SEPARATOR} »"
                        if f.many
                        else _TYPE_NAMES[f.type],
                        "required": f.required,
                        "description": f.description,
                    }
                    for f in t.fields
                ],
            }
            for t in (LABELS, ACTIONS)
        ],
        "licence": {"titre": LICENCE["title"], "url": LICENCE["path"]},
        "map_credit": maps.CREDIT,
        "totals": {
            "labels": labels,
            "communes": len(site.communes),
            "actions": len(site.actions),
            "first": years[0] if years else None,
            "last": years[-1] if years else None,
        },
        "citation": (
            f"{site.config.organisation}, Palmarès du label Territoires, Villes et Villages "
            "Internet" + (f", {span}" if span else "") + f", {LICENCE['title']}"
        ),
    }


_TYPE_NAMES = {"string": "texte", "integer": "nombre entier", "boolean": "booléen (true, false)"}
