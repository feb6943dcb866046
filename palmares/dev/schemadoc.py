"""The fields of every kind of file, as French Markdown tables generated from schemas/.

    python -m palmares.dev.schemadoc > docs/champs.md

The schemas are the one description of the fields; this page is never edited by hand (a test
checks that the committed one is up to date).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import Any

from palmares.content import config
from palmares.content.read import PLACES, Kind
from palmares.content.schema import SCHEMA_FILES, bundled, common, flow, raw_schema

Written = Callable[[str, dict[str, Any], Any], str]
"""How a file writes a field with a value: `nom: Lille` in YAML, `titre = "…"` in TOML."""

_FOLDERS = {kind: folder for folder, kind, _suffixes in PLACES}
_WHERE = {
    Kind.COMMUNE: "`communes/**/*.yaml` (ou `.yml`), un fichier par collectivité",
    Kind.ACTION: "l'en-tête de `content/actions/**/*.md`, une action par fichier",
    Kind.DOMAINE: "l'en-tête de `content/domaines/<nom>.md`",
    Kind.EDITION: "l'en-tête de `content/palmares/<annee>.md`",
    Kind.PAGE: "l'en-tête de `content/pages/<nom>.md`",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _number(value: float) -> str:
    return str(value).replace(".", ",")


def shape(schema: dict[str, Any]) -> str:
    """What a value must be, in a few French words."""
    if "enum" in schema:
        return " ou ".join(f"`{v}`" for v in schema["enum"])
    if "x-def" in schema:
        title = str(common(schema["x-def"])["title"])
        plain = {k: v for k, v in schema.items() if k not in ("x-def", "title")}
        detail = shape(plain) if plain.get("type") in ("integer", "number") else ""
        text = f"{title} ({detail})" if detail else title
        return text + (", au moins un élément" if schema.get("minItems") else "")
    types = schema.get("type", [])
    types = types if isinstance(types, list) else [types]
    words: list[str] = []
    for kind in types:
        if kind == "string" and "format" in schema:
            words.append("date année-mois-jour")
        elif kind == "string":
            example = (schema.get("examples") or [""])[0]
            quoted = flow(example).startswith('"') if isinstance(example, str) else False
            words.append("texte entre guillemets" if quoted else "texte")
        elif kind in ("integer", "number"):
            word = "nombre entier" if kind == "integer" else "nombre décimal"
            lo, hi = schema.get("minimum"), schema.get("maximum")
            if lo is not None and hi is not None:
                word += f" de {_number(lo)} à {_number(hi)}"
            elif lo is not None:
                word += f" ≥ {_number(lo)}"
            words.append(word)
        elif kind == "boolean":
            words.append("`true` ou `false`")
        elif kind == "array":
            items = schema.get("items", {})
            if "properties" in items:
                words.append("liste d'éléments (ci-dessous)")
            else:
                words.append(f"liste : {shape(items)}" if items else "liste")
        elif kind == "object":
            words.append("champs (ci-dessous)")
    text = " ou ".join(dict.fromkeys(words))
    if "anyOf" in schema:
        text += " : " + " ou ".join(str(s.get("title", "")) for s in schema["anyOf"])
    if schema.get("minItems"):
        text += ", au moins un élément"
    return text


def _conditions(schema: dict[str, Any], field: str) -> str:
    """Refinements of `field` by the schema's `if`/`then`/`else` (code INSEE or SIREN)."""
    notes: list[str] = []
    for rule in [schema, *schema.get("allOf", [])]:
        test = rule.get("if")
        if not test:
            continue
        condition = ", ".join(
            f"`{name}: {flow(spec['const'])}`"
            for name, spec in test.get("properties", {}).items()
            if "const" in spec
        )
        then = rule.get("then", {})
        other = rule.get("else", {})
        if field in then.get("properties", {}):
            notes.append(f"{then['properties'][field].get('title', '')} si {condition}")
        if field in other.get("properties", {}):
            notes.append(f"{other['properties'][field].get('title', '')} sinon")
        if field in then.get("required", ()):
            notes.append(f"obligatoire si {condition}")
    return " ; ".join(notes)


def _yaml(name: str, field: dict[str, Any], value: Any) -> str:
    return f"{name}: {flow(value)}"


def _toml(name: str, field: dict[str, Any], value: Any) -> str:
    if field.get("type") == "array" and value and all(isinstance(v, dict) for v in value):
        return " ".join(
            f"[[{name}]] " + " ".join(_toml(k, {}, x) for k, x in v.items()) for v in value
        )
    if field.get("type") == "object" and isinstance(value, dict):
        return f"[{name}] " + " ".join(
            _toml(k, field.get("properties", {}).get(k, {}), x) for k, x in value.items()
        )
    return f"{name} = {config.written(field, value)}"


def table(schema: dict[str, Any], written: Written = _yaml) -> Iterator[str]:
    yield "| champ | obligatoire | forme | description | exemple |"
    yield "|---|---|---|---|---|"
    required = set(schema.get("required", ()))
    for name, field in schema.get("properties", {}).items():
        form = shape(field)
        extra = _conditions(schema, name)
        if extra and "obligatoire" not in extra:
            form += f" : {extra}"
        needed = "oui" if name in required else "non"
        if extra and "obligatoire" in extra:
            needed = f"non ({extra})"
        example = field.get("examples", [None])[0]
        shown = f"`{written(name, field, example)}`" if example is not None else ""
        description = str(field.get("description", ""))
        yield (f"| `{name}` | {needed} | {_cell(form)} | {_cell(description)} | {_cell(shown)} |")


def _nested(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, field in schema.get("properties", {}).items():
        if "properties" in field:
            yield f"`{name}`", field
        items = field.get("items", {})
        if "properties" in items:
            yield f"un élément de `{name}` ({str(items.get('title', '')).lower()})", items


def document() -> str:
    lines = [
        "# Les champs du contenu",
        "",
        "<!-- Généré depuis schemas/ par `python -m palmares.dev.schemadoc > docs/champs.md` : "
        "ne pas modifier à la main. -->",
        "",
        "Chaque fichier de contenu a une forme décrite par un schéma JSON de `schemas/`. "
        "`python build.py check` vérifie tout le contenu avec ces schémas ; un éditeur comme "
        "VS Code s'en sert pour compléter et souligner les champs (voir le guide des éditeurs "
        "dans le README).",
        "",
    ]
    for kind, name in SCHEMA_FILES.items():
        schema = bundled(kind)
        lines += [
            f"## {schema.get('title', kind.value)}",
            "",
            f"Où : {_WHERE[kind]}. Schéma : `schemas/{name}`.",
            "",
            str(raw_schema(name).get("description", "")),
            "",
            *table(schema),
            "",
        ]
        for title, nested in _nested(schema):
            lines += [f"### Dans {title}", "", *table(nested), ""]
    schema = config.schema()
    lines += [
        f"## {schema['title']}",
        "",
        f"Où : `{config.FILE}`, à la racine de la source. Schéma : `schemas/{config.SCHEMA}`.",
        "",
        str(raw_schema(config.SCHEMA).get("description", "")),
        "",
        *table(schema, _toml),
        "",
    ]
    for title, nested in _nested(schema):
        lines += [f"### Dans {title}", "", *table(nested, _toml), ""]
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    sys.stdout.write(document())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
