"""The shapes of every kind of file, from the JSON Schemas of schemas/, and their errors in French.

The schemas are the one description of the fields (editors' tools autocomplete with them, and
docs/champs.md is generated from them). The build validates with the `jsonschema` library and
turns each of its errors into a message an editor can act on: the field, the value found and
what to write instead, at the place the value is written.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import yaml

from palmares import resources
from palmares.content import hygiene
from palmares.content.load import SourceFile
from palmares.content.meant import PAIR, address_meant, integer_meant, type_meant, years_meant
from palmares.content.read import KeyPath, Kind
from palmares.problems import Problem
from palmares.territory import (
    DEPARTEMENTS,
    code_written,
    departement_of_insee,
    departement_written,
)
from palmares.text import de, format_date, written_date

if TYPE_CHECKING:
    import jsonschema

SCHEMA_FOLDER = resources.schemas()
SCHEMA_FILES: dict[Kind, str] = {
    Kind.COMMUNE: "commune.schema.json",
    Kind.ACTION: "action.schema.json",
    Kind.DOMAINE: "domaine.schema.json",
    Kind.EDITION: "edition.schema.json",
    Kind.PAGE: "page.schema.json",
}
COMMON_FILE = "communs.schema.json"

_DEF = "x-def"
"""Set on an inlined `$ref` to `#/$defs/NAME`: the NAME, for messages (texte, url…)."""
_ANNOTATIONS = frozenset({"title", "description", "examples", "default", "$comment"})


@functools.cache
def raw_schema(name: str) -> dict[str, Any]:
    """One schema file as written."""
    data: dict[str, Any] = json.loads((SCHEMA_FOLDER / name).read_text(encoding="utf-8"))
    return data


def _pointer(document: dict[str, Any], pointer: str) -> Any:
    node: Any = document
    for part in filter(None, pointer.split("/")):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _inline(node: Any, current: str) -> Any:
    """`node` with every `$ref` replaced by what it points at (our schemas have no cycles).

    A `$ref` next to other keywords is their conjunction; merging is the same only when the
    two share no validation keyword, which is checked here."""
    if isinstance(node, list):
        return [_inline(item, current) for item in node]
    if not isinstance(node, dict):
        return node
    result = {k: _inline(v, current) for k, v in node.items() if k not in ("$ref", "$defs")}
    ref = node.get("$ref")
    if ref is None:
        return result
    name, _, pointer = ref.partition("#")
    name = name or current
    target = _inline(_pointer(raw_schema(name), pointer), name)
    shared = (set(target) & set(result)) - _ANNOTATIONS
    if shared:  # pragma: no cover - a mistake in schemas/, caught by the tests
        raise ValueError(f"{ref}: {sorted(shared)} both beside and behind the $ref")
    merged = {**target, **result}
    if pointer.startswith("/$defs/"):
        merged.setdefault(_DEF, pointer.rsplit("/", 1)[1])
    return merged


@functools.cache
def bundled(kind: Kind) -> dict[str, Any]:
    """The schema of `kind` with every `$ref` inlined: what the build validates with, and
    where messages find each field's title and examples."""
    return bundled_file(SCHEMA_FILES[kind])


@functools.cache
def bundled_file(name: str) -> dict[str, Any]:
    """A schema file of schemas/ with every `$ref` inlined (the site's configuration has no
    `Kind`: content/config.py)."""
    schema: dict[str, Any] = _inline(raw_schema(name), name)
    return schema


def common(name: str) -> dict[str, Any]:
    """A definition of communs.schema.json (`annee`, `insee`…)."""
    found: dict[str, Any] = _inline(raw_schema(COMMON_FILE)["$defs"][name], COMMON_FILE)
    return found


def _code_meant(text: str) -> str | None:
    """The INSEE or SIREN code a text means, when it is not written as one: its zero lost to
    a spreadsheet (`1004`), its spaces (`01 004`); None when it means none."""
    meant = code_written(text)
    if meant == text:
        return None
    siren = re.fullmatch(common("siren")["pattern"], meant)
    return meant if departement_of_insee(meant) or siren else None


def _is_integer(_checker: Any, instance: Any) -> bool:
    # 3.0 is an integer to JSON Schema; to an editor writing `arobases: 3.0` it is a mistake.
    return isinstance(instance, int) and not isinstance(instance, bool)


@functools.cache
def validator(kind: Kind) -> Any:
    # jsonschema is imported here, not at the top: only a rejected file needs it, and its
    # import is a tenth of the start-up of a one-change build.
    import jsonschema

    base = jsonschema.Draft202012Validator
    checker = base.TYPE_CHECKER.redefine("integer", _is_integer)
    extended = jsonschema.validators.extend(base, type_checker=checker)
    return extended(bundled(kind), format_checker=_formats())


@functools.cache
def _formats() -> Any:
    from jsonschema import FormatChecker

    return FormatChecker(formats=("date",))


Check = Callable[[Any], bool]
_TYPES: dict[str, Check] = {
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "string": lambda x: isinstance(x, str),
    "integer": lambda x: _is_integer(None, x),
    "number": lambda x: isinstance(x, (int, float)) and not isinstance(x, bool),
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
}
_SKIPPED = _ANNOTATIONS | {_DEF, "$schema", "$id"}


def _same(a: Any, b: Any) -> bool:
    """Equality as JSON Schema has it: 1 and 1.0 are the same number, true is not 1."""
    number = _TYPES["number"]
    if number(a) and number(b):
        return bool(a == b)
    return type(a) is type(b) and bool(a == b)


def compile_check(schema: dict[str, Any]) -> Check:
    """A fast yes/no for `schema`, for the keywords our schemas use (anything else raises).

    Only a file it rejects goes through jsonschema, which then finds every error; a property
    test (tests/test_schemas.py) holds the two to the same answer. Kept because it measurably
    pays (bench/schema.py, docs/benchmarks.md « Retiring the Markdown fast paths »): a valid
    file costs about 30 µs here against 100 to 115 µs with jsonschema, 0.6 to 0.7 s of CPU over the
    realistic corpus's 8 000 files (0.3 to 0.35 s of a cold build on two cores), and a
    one-change build of a valid collectivité or write-up never imports jsonschema (55 to
    180 ms). It is our code on jsonschema's public API, not a private path into a library."""
    checks: list[Check] = []
    for key, value in schema.items():
        if key in _SKIPPED:
            continue
        checks.append(_keyword(key, value, schema))
    return lambda x: all(check(x) for check in checks)


def _keyword(key: str, value: Any, schema: dict[str, Any]) -> Check:
    if key == "type":
        types = [_TYPES[t] for t in (value if isinstance(value, list) else [value])]
        return lambda x: any(t(x) for t in types)
    if key == "required":
        return lambda x: not isinstance(x, dict) or all(k in x for k in value)
    if key == "properties":
        props = {k: compile_check(v) for k, v in value.items()}
        return lambda x: (
            not isinstance(x, dict) or all(props[k](v) for k, v in x.items() if k in props)
        )
    if key == "additionalProperties" and value is False and "patternProperties" not in schema:
        known = frozenset(schema.get("properties", {}))
        return lambda x: not isinstance(x, dict) or all(k in known for k in x)
    if key == "items" and isinstance(value, dict):
        item = compile_check(value)
        return lambda x: not isinstance(x, list) or all(item(v) for v in x)
    if key == "minItems":
        return lambda x: not isinstance(x, list) or len(x) >= value
    if key == "maxItems":
        return lambda x: not isinstance(x, list) or len(x) <= value
    if key in ("minimum", "maximum"):
        number = _TYPES["number"]
        if key == "minimum":
            return lambda x: not number(x) or x >= value
        return lambda x: not number(x) or x <= value
    if key == "maxLength":
        return lambda x: not isinstance(x, str) or len(x) <= value
    if key == "pattern":
        regex = re.compile(value)
        return lambda x: not isinstance(x, str) or regex.search(x) is not None
    if key == "enum":
        return lambda x: any(_same(x, v) for v in value)
    if key == "const":
        return lambda x: _same(x, value)
    if key == "format" and value == "date":
        return lambda x: _formats().conforms(x, "date")
    if key == "if":
        test = compile_check(value)
        then = compile_check(schema.get("then", {}))
        other = compile_check(schema.get("else", {}))
        return lambda x: then(x) if test(x) else other(x)
    if key in ("then", "else"):
        return lambda x: True  # with its `if`
    if key == "allOf":
        parts = [compile_check(v) for v in value]
        return lambda x: all(p(x) for p in parts)
    if key == "anyOf":
        parts = [compile_check(v) for v in value]
        return lambda x: any(p(x) for p in parts)
    raise ValueError(f"compile_check: keyword {key!r} not supported")


@functools.cache
def fast_check(kind: Kind) -> Check:
    return compile_check(bundled(kind))


def json_view(value: Any, path: KeyPath, file: SourceFile) -> Any:
    """The data as JSON Schema sees it: YAML's dates as the ISO text they were written as,
    and a number that is not finite (`.nan`, `.inf`) as the text written."""
    if isinstance(value, dict):
        return {k: json_view(v, (*path, k), file) for k, v in value.items()}
    if isinstance(value, list):
        return [json_view(v, (*path, i), file) for i, v in enumerate(value)]
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return file.pos(*path).raw or str(value)
    return value


# --- French messages -------------------------------------------------------------------------

_ITEM_NAMES = {"labels": "un label"}
"""How an unknown field's message names an element of a list of mappings."""

_REFERENCES = {"commune": "le `code` d'une collectivité de communes/"}
"""Identifiers that point at another file, and how to say what they hold."""

_CONDITIONAL = {
    "mention": (
        "arobases",
        "`arobases: 0` est réservé à la mention simple sans @ : ajoutez `mention: Mention "
        "simple` ou donnez un nombre d'@ de 1 à 5",
    )
}
"""A field a rule of the schema (`if`/`then`) requires: where to report it, and what to say."""

_DEPARTEMENTS_HINT = 'un code de "01" à "95", "2A", "2B" ou de "971" à "976"'
_BLANK_PATTERN = "\\S"
_YAML_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"})
_YAML_SPECIAL = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]|[#,\[\]{}]|: |\s$")


def flow(value: Any) -> str:
    """A value as YAML on one line, the way an editor writes it: `[a, b]`, `{lat: 1}`,
    `"01004"` quoted because YAML would read it as a number."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    text = str(value)
    tag = yaml.resolver.Resolver().resolve(  # type: ignore[no-untyped-call]
        yaml.ScalarNode, text, (True, False)
    )
    if text and tag in _YAML_PLAIN_TAGS and not _YAML_SPECIAL.search(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _needs_quotes(value: Any) -> bool:
    return isinstance(value, str) and flow(value).startswith('"')


class _Translator:
    """Turns the jsonschema errors of one file into Problems."""

    def __init__(
        self,
        file: SourceFile,
        what: str,
        known: Known | None = None,
        deferred: frozenset[KeyPath] = frozenset(),
    ) -> None:
        self.file = file
        self.what = what
        self.known = known
        self.deferred = deferred
        self.schema = bundled(file.kind)
        self.problems: list[Problem] = []
        self.misspelt: set[tuple[KeyPath, str]] = set()
        self.reported: set[tuple[KeyPath, str]] = set()

    # -- looking things up

    def at(self, path: KeyPath) -> dict[str, Any]:
        """The schema of the value at `path` (empty for a field the schema does not know)."""
        node: dict[str, Any] = self.schema
        for key in path:
            if isinstance(key, int):
                node = node.get("items", {})
            else:
                node = node.get("properties", {}).get(key, {})
        return node

    def value(self, path: KeyPath) -> Any:
        node: Any = self.file.data
        for key in path:
            node = node[key]
        return node

    def found(self, path: KeyPath) -> str:
        pos = self.file.positions.get(path)
        if pos is None or pos.raw is None:
            value = self.value(path)
            return "une liste" if isinstance(value, list) else "un ensemble de champs"
        return f"« {pos.raw} »" if pos.raw != "" else "une valeur vide"

    def name(self, path: KeyPath) -> str:
        """How a message names the value at `path`: `arobases`, `coordonnees` : `lat`,
        `anciens_noms` : l'élément 2."""
        last = path[-1]
        if isinstance(last, int):
            return f"`{path[-2]}` : l'élément {last + 1}"
        if len(path) >= 2 and isinstance(path[-2], str):
            return f"`{path[-2]}` : `{last}`"
        return f"`{last}`"

    def example(self, path: KeyPath) -> str:
        """`champ: valeur` to write, from the schema's first example (the enclosing field's,
        for an element of a list or a field of a one-line mapping)."""
        if len(path) >= 2 and (isinstance(path[-1], int) or isinstance(path[-2], str)):
            return self.example(path[:-1])
        known = self.known() if self.known is not None else {}
        if path in known:  # what the official list says of this very file's code
            return f"{path[-1]}: {flow(known[path])}"
        examples = self.at(path).get("examples") or [None]
        key = path[-1]
        return f"{key}: {flow(examples[0])}" if examples[0] is not None else f"{key}: …"

    def required(self, path: KeyPath) -> bool:
        return isinstance(path[-1], str) and path[-1] in self.at(path[:-1]).get("required", ())

    # -- reporting

    def report(self, path: KeyPath, message: str, *, at_key: bool = False) -> None:
        if (path, message) in self.reported:
            return
        self.reported.add((path, message))
        pos = self.file.key_pos(*path) if at_key else self.file.pos(*path)
        self.problems.append(Problem(self.file.path, pos.line, pos.col, message))

    def translate(self, errors: list[jsonschema.ValidationError]) -> list[Problem]:
        # Unknown fields first: a misspelt name stands for the required field it resembles.
        errors = sorted(errors, key=lambda e: e.validator != "additionalProperties")
        for error in errors:
            path: KeyPath = tuple(error.absolute_path)
            handler = getattr(self, f"_{error.validator}", None)
            if handler is None:  # pragma: no cover - a keyword our schemas do not use
                self.report(path, f"{self._label(path)} : valeur refusée ({error.message})")
                continue
            handler(error, path)
        return self.problems

    def _label(self, path: KeyPath) -> str:
        return self.name(path) if path else "le fichier"

    # -- one method per JSON Schema keyword

    def _additionalProperties(self, error: jsonschema.ValidationError, path: KeyPath) -> None:
        known = tuple(self.at(path).get("properties", {}))
        allowed = ", ".join(f"`{k}`" for k in known)
        if not path:
            where = f"dans {self.what}"
        elif isinstance(path[-1], int):
            where = f"dans {_ITEM_NAMES.get(str(path[-2]), 'cet élément')}"
        else:
            where = f"dans `{path[-1]}`"
        for key in error.instance:
            if key in known:
                continue
            bare = key.strip(_SPACES)
            close = [bare] if bare in known else difflib.get_close_matches(key, known, n=1)
            hint = f" : vouliez-vous écrire `{close[0]}` ?" if close else ""
            if close and close[0] not in error.instance:
                self.misspelt.add((path, close[0]))
            if bare != key and bare in known:
                # `titre :` typed with the non-breaking space French typography puts before a
                # colon (a word processor, a Mac's keyboard): YAML keeps it in the name.
                self.report(
                    (*path, key),
                    f"une espace insécable colle au nom `{bare}` (la typographie française en "
                    "met une avant « : », YAML la lit comme une lettre du nom) : écrivez "
                    f"`{bare}:`, le deux-points collé au nom",
                    at_key=True,
                )
                continue
            self.report(
                (*path, key),
                f"champ inconnu `{key}` {where}{hint} (champs possibles : {allowed})",
                at_key=True,
            )

    def _required(self, error: jsonschema.ValidationError, path: KeyPath) -> None:
        conditional = "then" in error.schema_path
        split = None if conditional else self._split_item(path, set(error.validator_value))
        if split is not None:
            if split:
                self.report(path, split)
            return  # the item's other half says it, or it is this one
        for key in error.validator_value:
            if key in error.instance:
                continue
            if conditional and key in _CONDITIONAL:
                where, message = _CONDITIONAL[key]
                self.report((*path, where), message)
            elif (path, key) in self.misspelt:
                continue  # the misspelt field is reported, with this name as the suggestion
            elif path and isinstance(path[-1], str):
                self.report(
                    path, f"{self.name((*path, key))} manque : écrivez `{self.example(path)}`"
                )
            else:
                example = self.example((*path, key))
                self.report(
                    path, f"le champ `{key}` est obligatoire : ajoutez une ligne `{example}`"
                )

    def _split_item(self, path: KeyPath, required: set[str]) -> str | None:
        """An element of a list of mappings written as several, a dash before each of its
        fields (`- annee: 2017`, `- arobases: 3`, `- mention: …`): consecutive elements that
        each lack a required field, share none, and together have them all; or elements with
        none of them right after a whole one. The message at each dash after the first, "" at
        the first; None for any other element."""
        if len(path) < 2 or not isinstance(path[-1], int):
            return None
        items = self.value(path[:-1])
        if not isinstance(items, list):
            return None

        def part(k: int) -> set[str] | None:
            item = items[k] if 0 <= k < len(items) else None
            return set(item) if isinstance(item, dict) and not required <= set(item) else None

        index = path[-1]
        start, end, seen = index, index, part(index) or set()
        if not seen:
            return None
        while (before := part(start - 1)) is not None and not before & seen:
            start, seen = start - 1, seen | before
        while (after := part(end + 1)) is not None and not after & seen:
            end, seen = end + 1, seen | after
        previous = items[start - 1] if start > 0 else None
        if not seen & required and isinstance(previous, dict) and not seen & set(previous):
            start = start - 1  # `- mention: …` after a whole label: a field of it, dashed
        elif start == end or not required <= seen:
            return None
        if index == start:
            return ""
        first = next(iter(items[start]))
        line = self.file.pos(*path[:-1], start, first).line
        what = _ITEM_NAMES.get(str(path[-2]), "un élément")
        return (
            f"ce tiret commence {what.replace('un ', 'un autre ', 1)} : retirez-le et alignez "
            f"`{next(iter(items[index]))}` sous `{first}` (ligne {line}) ; {what} s'écrit en un "
            "bloc, un seul tiret devant son premier champ"
        )

    def _blank(self, path: KeyPath) -> None:
        """A value left empty (`nom:` with nothing after it, or `""`)."""
        if path == ("labels",):
            self.report(
                path,
                "`labels` est vide : ajoutez au moins l'édition où la collectivité a été "
                "labellisée, deux lignes sous `labels:`, `  - annee: 2017` puis "
                "`    arobases: 3` (si ces lignes sont là en commentaire, comme `new` les "
                "prépare, retirez leurs « # » et complétez-les)",
            )
        elif isinstance(path[-1], int):
            self.report(
                path, f"{self.name(path)} doit être un texte, par exemple `{self.example(path)}`"
            )
        else:
            remove = "" if self.required(path) else ", ou retirez la ligne"
            self.report(
                path,
                f"{self.name(path)} est vide : écrivez par exemple `{self.example(path)}`{remove}",
            )

    def _type(self, error: jsonschema.ValidationError, path: KeyPath) -> None:
        instance = error.instance
        if instance is None:
            self._blank(path)
            return
        schema = self.at(path)
        expected = error.validator_value
        expected = expected[0] if isinstance(expected, list) else expected
        scalar = not isinstance(instance, (list, dict))
        if schema.get(_DEF) == "texte" and scalar:
            return  # free text: `titre: 2048` is the text written
        if "enum" in schema:
            return  # the enum's message says it all
        key = path[-1]
        name = self.name(path)
        if key == "departement":
            self._departement_type(path, instance)
        elif _needs_quotes((schema.get("examples") or [None])[0]) and isinstance(key, str):
            self._unquoted_identifier(path)
        elif schema.get("format") == "date":
            self._date(path)
        elif schema.get(_DEF) == "url":
            self._url(path)
        elif expected in ("integer", "number"):
            bounds = self._bounds(schema, expected)
            what = "un nombre entier" if expected == "integer" else "un nombre décimal"
            spaces = "sans guillemets ni espaces" if expected == "integer" else "sans guillemets"
            # The number meant (`16 000`, `3.0`, `@@@` for a number of @), else an example,
            # said as one (`39,5k` is not 39000).
            written = self.file.pos(*path).raw
            number = integer_meant(instance, key, written) if expected == "integer" else None
            meant = f"{key}: {number}" if number is not None and isinstance(key, str) else None
            if isinstance(key, int) and isinstance(path[-2], str):
                # An element of a list of years: `[2015, 2017-2020]` is a list of five.
                years = years_meant(", ".join(map(str, self.value(path[:-1]))))
                meant = f"{path[-2]}: {flow(years)}" if years else None
            write = self._write(path, meant)
            self.report(
                path,
                f"{name} doit être {what}{bounds}, {spaces} ; trouvé : {self.found(path)} : "
                f"{write}",
            )
        elif expected == "boolean":
            said = str(self.value(path)).strip().lower()
            meant = "true" if said in _YES else "false" if said in _NO else None
            hint = (
                f" : écrivez `{path[-1]}: {meant}`" if meant and isinstance(path[-1], str) else ""
            )
            self.report(path, f"{name} vaut `true` ou `false` ; trouvé : {self.found(path)}{hint}")
        elif expected == "array" and path == ("labels",):
            self.report(
                path,
                "`labels` doit être une liste d'éditions, chacune commençant par `- annee:` ; "
                f"par exemple `{self.example(path)}`",
            )
        elif expected == "array":
            items = schema.get("items", {}).get("title", "")
            of = f" {de(_plural(items), mute_h=True)}" if items else ""
            # One value written alone (`editions: 2017`): the list of it.
            raw = self.file.positions.get(path)
            one = raw.raw if raw is not None and raw.raw and isinstance(path[-1], str) else None
            meant = f"{path[-1]}: [{one}]" if one else None
            if one and schema.get("items", {}).get("type") == "integer":
                years = years_meant(one)  # `2017-2020`; `depuis 2017` says no list
                meant = f"{path[-1]}: {flow(years)}" if years else None
            self.report(
                path,
                f"{name} doit être une liste{of}{' ;' if meant else ','} {self._write(path, meant)}",
            )
        elif expected == "object" and len(path) == 2 and path[0] == "labels":
            self.report(
                path,
                f"{name} doit être une édition avec ses champs, `- annee: 2017` puis "
                f"`arobases: 3` en dessous ; trouvé : {self.found(path)}",
            )
        elif expected == "object":
            # Two numbers as a map gives them (`50.67, 3.10`): the fields to write them in.
            pair = PAIR.fullmatch(str(self.value(path))) if path == ("coordonnees",) else None
            meant = f"coordonnees: {{lat: {pair[1]}, lon: {pair[2]}}}" if pair else None
            write = self._write(path, meant) + (" (la latitude d'abord)" if pair else "")
            self.report(
                path,
                f"{name} doit être un ensemble de champs ; trouvé : {self.found(path)} : {write}",
            )
        elif isinstance(key, int):
            self.report(path, f"{name} doit être un texte, par exemple `{self.example(path)}`")
        else:
            self.report(path, f"{name} doit être un texte, pas {self.found(path)}")

    @staticmethod
    def _bounds(schema: dict[str, Any], expected: str) -> str:
        lo, hi = schema.get("minimum"), schema.get("maximum")
        if expected == "number" and lo is not None and hi is not None:
            return f" entre {lo} et {hi}"
        if lo is not None and hi is not None:
            return f" de {lo} à {hi}"
        if lo is not None:
            return f" supérieur ou égal à {lo}"
        return ""

    def _unquoted_identifier(self, path: KeyPath) -> None:
        key = str(path[-1])
        if key in _REFERENCES:
            what = _REFERENCES[key]
        else:
            kind = self.file.data.get("type") if isinstance(self.file.data, dict) else None
            what = common("siren" if kind == "intercommunalite" else "insee")["title"]
        value = self.value(path)
        if isinstance(value, (list, dict)):
            self.report(
                path,
                f"`{key}` doit être un texte entre guillemets ({what}) ; trouvé : "
                f"{self.found(path)}",
            )
            return
        pos = self.file.positions.get(path)
        raw = pos.raw if pos is not None and pos.raw else str(value)
        note = ""
        if isinstance(value, bool):
            note = f" ; YAML lit {raw} comme un oui ou un non, pas comme un texte"
        elif isinstance(value, int) and raw != str(value):
            note = f" ; YAML lit {raw} comme le nombre {value}"
        meant = _code_meant(raw) if key == "code" else None
        if meant is not None and len(meant) > len(raw):
            note += (
                " (avec le zéro du début, qu'un tableur retire d'un code qu'il prend pour un "
                "nombre)"
            )
        self.report(
            path,
            f"`{key}` doit être un texte entre guillemets ({what}) : écrivez "
            f'`{key}: "{meant or raw}"`{note}',
        )

    def _departement_type(self, path: KeyPath, value: Any) -> None:
        guess = departement_written(str(value)) if isinstance(value, (int, str)) else None
        if guess is not None:
            self.report(
                path,
                f'`departement` doit être un texte entre guillemets : écrivez `departement: "{guess}"`',
            )
        else:
            self.report(
                path,
                f"`departement` : département inconnu {self.found(path)} ; écrivez entre "
                f"guillemets {_DEPARTEMENTS_HINT}",
            )

    def _write(self, path: KeyPath, meant: str | None) -> str:
        """`écrivez` the line the value meant, when it says one; else an example of the
        field, said as one."""
        return f"écrivez `{meant}`" if meant else f"par exemple `{self.example(path)}`"

    def _date(self, path: KeyPath) -> None:
        key = path[-1]
        read = written_date(self.value(path))
        found = f"trouvé : {self.found(path)}"
        self.report(
            path,
            f"`{key}` doit être une date réelle écrite année-mois-jour ; {found} : écrivez "
            f"`{key}: {read.isoformat()}` ({format_date(read)})"
            if read
            else f"`{key}` doit être une date réelle écrite `{key}: 2017-02-01` "
            f"(année-mois-jour) ; {found}",
        )

    def _url(self, path: KeyPath) -> None:
        value = self.value(path)
        key = path[-1]
        meant = address_meant(value) if isinstance(value, str) else None
        hint = f" : écrivez `{key}: {meant}`" if meant else ""
        self.report(
            path,
            f"{self.name(path)} doit être une adresse web commençant par https:// ou http:// ; "
            f"trouvé : {self.found(path)}{hint}",
        )

    def _pattern(self, error: jsonschema.ValidationError, path: KeyPath) -> None:
        value: str = error.instance
        if not value.strip() or error.validator_value == _BLANK_PATTERN:
            self._blank(path)
            return
        key = path[-1]
        if key == "departement":
            code = departement_written(value)
            if code is not None:
                hint = f' ; écrivez `departement: "{code}"` ({DEPARTEMENTS[code].nom})'
            else:
                hint = f" ; écrivez {_DEPARTEMENTS_HINT}"
            self.report(path, f"`departement` : département inconnu « {value} »{hint}")
        elif key == "code":
            what = error.schema.get("title", "code")
            example = flow((error.schema.get("examples") or [""])[0])
            meant = _code_meant(value)
            extra = ""
            if error.schema is not None and re.fullmatch(common("siren")["pattern"], value):
                extra = " ; pour une intercommunalité, ajoutez `type: intercommunalite`"
            if meant is not None and re.fullmatch(error.schema.get("pattern", "$^"), meant):
                # `1004`, `01 004`: the code meant, its lost zero or its spaces put right.
                message = f' ; trouvé : « {value} » : écrivez `code: "{meant}"`'
            else:
                message = f", par exemple `code: {example}` ; trouvé : « {value} »"
            self.report(path, f"`code` doit être un {what}{message}{extra}")
        elif self.at(path).get(_DEF) == "url":
            self._url(path)
        else:
            self.report(
                path,
                f"{self.name(path)} n'a pas la forme attendue ; trouvé : {self.found(path)} : "
                f"écrivez par exemple `{self.example(path)}`",
            )

    def _anyOf(self, error: jsonschema.ValidationError, path: KeyPath) -> None:
        value = error.instance
        if isinstance(value, str) and not value.strip():
            self._blank(path)
            return
        if isinstance(value, str) and path in self.deferred:
            return  # the rules across files say it, and can name the one meant
        self.report(
            path,
            _none_of(
                self.name(path),
                str(path[-1]),
                error.validator_value,
                self.example(path),
                self.found(path),
            ),
        )

    def _enum(self, error: jsonschema.ValidationError, path: KeyPath) -> None:
        values = [str(v) for v in error.validator_value]
        listed = " ou ".join(
            [", ".join(f"`{v}`" for v in values[:-1]), f"`{values[-1]}`"]
            if len(values) > 1
            else [f"`{values[0]}`"]
        )
        value = error.instance
        if value is None or (isinstance(value, str) and not value.strip()):
            self._blank(path)  # `type:` was « None », which resembles `commune`
            return
        if isinstance(value, (list, dict)):
            self.report(path, f"{self.name(path)} vaut {listed} ; trouvé : {self.found(path)}")
            return
        found = str(self.file.pos(*path).raw or value)
        close = difflib.get_close_matches(found, values, n=1, cutoff=0.5)
        kind = type_meant(found) if not close and path[-1] == "type" else None
        close = close or ([kind] if kind else [])
        hint = f" : vouliez-vous écrire `{path[-1]}: {close[0]}` ?" if close else ""
        self.report(path, f"{self.name(path)} vaut {listed} ; trouvé : « {found} »{hint}")

    def _minimum(self, error: jsonschema.ValidationError, path: KeyPath) -> None:
        schema = self.at(path)
        expected = schema.get("type", "integer")
        raw = self.file.pos(*path).raw or str(error.instance)
        what = " un nombre entier" if expected == "integer" else ""
        lo, hi = schema.get("minimum"), schema.get("maximum")
        value, key = error.instance, path[-1]
        nearest = ""
        if isinstance(key, str) and isinstance(value, int) and expected == "integer":
            if hi is not None and value > hi:
                nearest = f" : écrivez `{key}: {hi}` ou moins"
            elif lo is not None and value < lo:
                nearest = f" : écrivez `{key}: {lo}` ou plus"
        self.report(
            path,
            f"{self.name(path)} doit être{what}{self._bounds(schema, expected)} ; trouvé : "
            f"{raw}{nearest}",
        )

    _maximum = _minimum

    def _minItems(self, error: jsonschema.ValidationError, path: KeyPath) -> None:
        if path == ("labels",):
            self._blank(path)
            return
        self.report(
            path, f"{self.name(path)} ne peut pas être vide : écrivez `{self.example(path)}`"
        )

    def _maxItems(self, error: jsonschema.ValidationError, path: KeyPath) -> None:
        # Only `anciens_noms` has a limit: each name is an address of the site (a redirect).
        self.report(
            path,
            f"{self.name(path)} compte {len(error.instance)} noms, {error.validator_value} au plus : "
            "gardez les noms sous lesquels la collectivité a vraiment été connue (chacun "
            "donne une adresse du site)",
        )

    def _maxLength(self, error: jsonschema.ValidationError, path: KeyPath) -> None:
        # A title that is the write-up pasted on its line, most often.
        where = (
            "mettez le reste dans le texte, sous l'en-tête"
            if path == ("titre",) and self.file.kind is not Kind.COMMUNE
            else "raccourcissez-le"
        )
        self.report(
            path, hygiene.too_long(error.instance, self.name(path), error.validator_value, where)
        )

    def _format(self, error: jsonschema.ValidationError, path: KeyPath) -> None:
        self._date(path)


_YES = ("oui", "vrai", "o")
_NO = ("non", "faux", "n")
"""What editors write for a boolean that YAML reads as text (it reads `yes`, `no`, `on`
and `off` as booleans itself)."""


def _none_of(name: str, key: str, choices: list[Any], example: str, found: str) -> str:
    """The message of an identifier that is none of the codes it may be (`anyOf`)."""
    titles = " ou un ".join(str(choice.get("title", "")) for choice in choices)
    return (
        f"{name} doit être {_REFERENCES.get(key, 'un code')} : un {titles}, par exemple "
        f"`{example}` ; trouvé : {found}"
    )


def not_a_reference(kind: Kind, key: str, written: str) -> str:
    """The message of a top-level `key` of a kind of file (an action's `commune`) that is
    none of the codes it may be: what the schema says of a field it leaves to the rules
    across files (`shape_problems`' `deferred`)."""
    node = bundled(kind)["properties"][key]
    example = f"{key}: {flow(node['examples'][0])}"
    return _none_of(f"`{key}`", key, node["anyOf"], example, f"« {written} »")


_SPACES = " \t\u00a0\u202f\u2007"
"""The spaces a field's name may carry unseen: YAML strips the ordinary ones only."""


def _plural(word: str) -> str:
    word = word[:1].lower() + word[1:]
    return word if word.endswith(("s", "x")) else word + "s"


Known = Callable[[], Mapping[KeyPath, Any]]
"""What is known of a file's fields besides it (the official list, for a collectivité's
code), asked for when a message needs an example: `nom: Aix-les-Bains` for the file of
73008, rather than the schema's example."""


def shape_problems(
    file: SourceFile,
    what: str,
    known: Known | None = None,
    deferred: frozenset[KeyPath] = frozenset(),
) -> list[Problem]:
    """Every way `file`'s data departs from its kind's schema, in French, at its place;
    but a text in a `deferred` field that is none of the identifiers it may be: the rules
    across files report it, with the one meant."""
    view = json_view(file.data, (), file)
    if fast_check(file.kind)(view):
        return []
    errors = list(validator(file.kind).iter_errors(view))
    if not errors:
        return []
    return _Translator(file, what, known, deferred).translate(errors)


@functools.cache
def lists_of_texts(kind: Kind) -> frozenset[str]:
    """The fields of a kind of file, at any depth, that are lists of texts (`domaines`,
    `distinctions`, `anciens_noms`): a text written alone is a list of one."""
    return frozenset(name for name, node in fields(bundled(kind)) if node.get(_DEF) == "textes")


def fields(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every field a bundled schema describes, at any depth (in mappings, and in the
    mappings of lists), with its own schema."""
    for name, node in schema.get("properties", {}).items():
        if isinstance(node, dict):
            yield name, node
            yield from fields(node)
    items = schema.get("items")
    if isinstance(items, dict):
        yield from fields(items)


def properties(kind: Kind) -> Iterator[str]:
    """The top-level field names of a kind of file, in the schema's order."""
    yield from bundled(kind).get("properties", {})
