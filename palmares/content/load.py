"""Stage 1: files → SourceFile, each field with the line and column it came from.

Reading never guesses: bytes that are not UTF-8 are reported, never decoded another way.
YAML is parsed with PyYAML's node API so every value keeps its position, and identifiers are
never coerced behind the editor's back (`code: 01004` stays visible as the text `01004`).
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

try:  # the C parser is several times faster; the pure-Python one is a fine fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from palmares.content.hygiene import (
    CONTROL_IN_TEXT,
    MAX_YAML_DEPTH,
    control_message,
    depth_message,
    yaml_too_deep,
)
from palmares.content.meant import uncommented
from palmares.content.read import KeyPath, Kind, Pos, decode
from palmares.problems import Compact, Problem, Severity

MAX_NODES = 200_000
"""More YAML nodes than any real file holds: a guard against alias bombs."""


@dataclass(frozen=True, slots=True)
class SourceFile(Compact):
    path: str
    """Relative to the source folder, with `/` separators: how editors name the file."""
    kind: Kind
    data: Any
    positions: Mapping[KeyPath, Pos] = field(default_factory=dict)
    """Position of each value, by its path: ("labels", 0, "arobases")."""
    body: str = ""
    body_line: int = 1
    keys: Mapping[KeyPath, Pos] = field(default_factory=dict)
    """Position of each field's name, by the path of its value: where to rename or remove it."""

    def pos(self, *keys: str | int) -> Pos:
        """The position of a value, or of its nearest enclosing value that has one."""
        path: KeyPath = tuple(keys)
        while path:
            found = self.positions.get(path)
            if found is not None:
                return found
            path = path[:-1]
        return self.positions.get((), Pos(1, 1))

    def key_pos(self, *keys: str | int) -> Pos:
        """Where a field's name is written; its value's position if it has no name."""
        return self.keys.get(tuple(keys)) or self.pos(*keys)

    def slim(self, fields: Collection[str]) -> SourceFile:
        """What the rules across files need once a file is validated: its place and the
        positions of the given top-level fields (the cache keeps no more)."""
        return replace(
            self,
            data=None,
            body="",
            positions={k: v for k, v in self.positions.items() if not k or k[0] in fields},
            keys={},
        )

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        # The positions travel as one pickle of their own, unpickled the first time a
        # problem asks for one (Positions): the parse cache holds a file for each source,
        # and nearly none of them ever reports across files.
        cls, values = Compact.__reduce__(self)  # not super(): slots=True remakes the class
        positions = self.positions
        if not isinstance(positions, Positions):
            positions = Positions(pickle.dumps(dict(positions), pickle.HIGHEST_PROTOCOL))
        fields = zip(self.__slots__, values, strict=True)
        return cls, tuple(positions if name == "positions" else v for name, v in fields)


class Positions(Mapping[KeyPath, Pos]):
    """A file's positions as a pickle, unpickled when one is first asked for. Unpickling
    every cached file's positions took half the time of loading the parse cache (8 033
    files: 0,14 -> 0,07 s; 95 000 at national scale: about 0,9 s), for the few files that
    report a duplicate code or a broken reference. The bytes are the engine's own, from the
    parse cache outside the source (output/cache.py), like the rest of a cached result."""

    __slots__ = ("_blob", "_found")

    def __init__(self, blob: bytes) -> None:
        self._blob = blob
        self._found: dict[KeyPath, Pos] | None = None

    def _positions(self) -> dict[KeyPath, Pos]:
        if self._found is None:
            self._found = pickle.loads(self._blob)
        return self._found

    def __getitem__(self, key: KeyPath) -> Pos:
        return self._positions()[key]

    def __iter__(self) -> Iterator[KeyPath]:
        return iter(self._positions())

    def __len__(self) -> int:
        return len(self._positions())

    def __reduce__(self) -> tuple[type, tuple[bytes]]:
        return (Positions, (self._blob,))


def load_file(raw: bytes, rel: str, kind: Kind) -> tuple[SourceFile | None, list[Problem]]:
    """Parse one file's bytes; a file that cannot be read yields problems and no SourceFile."""
    text, problem = decode(raw, rel)
    if problem is not None:
        return None, [problem]
    if CONTROL_IN_TEXT.search(text) is not None:
        return None, control_characters(text, rel)
    if kind is Kind.COMMUNE:
        return parse_yaml(text, rel, kind, line_offset=0, body="", body_line=1)
    return parse_markdown(text, rel, kind)


def control_characters(text: str, rel: str) -> list[Problem]:
    """Each control character of a file's text (tab and newline excepted) at its line and
    column: invisible to the editor, they would reach the pages, and break the feeds (XML
    cannot carry them) and the terminal (an escape sequence). The first ones only: one is
    enough to show what to look for."""
    found: list[Problem] = []
    for match in CONTROL_IN_TEXT.finditer(text):
        start = match.start()
        line_start = text.rfind("\n", 0, start) + 1
        line = text.count("\n", 0, start) + 1
        found.append(Problem(rel, line, start - line_start + 1, control_message(match.group())))
        if len(found) == _CONTROLS_SHOWN:
            break
    return found


_CONTROLS_SHOWN = 10


# python-frontmatter's own definition of a front matter fence. The lines are matched one by
# one rather than split with its handler, so that every field keeps its line number (the
# handler's split shifts them after a blank line).
_FENCE = YAMLHandler.FM_BOUNDARY


def parse_markdown(text: str, rel: str, kind: Kind) -> tuple[SourceFile | None, list[Problem]]:
    lines = text.split("\n")
    if not _FENCE.match(lines[0]):
        return None, [
            Problem(
                rel,
                1,
                1,
                "l'en-tête manque : le fichier doit commencer par une ligne `---`, "
                "les champs (par exemple `titre: …`), puis une ligne `---` avant le texte ; "
                "si ce n'est pas un texte du site (un README…), déplacez-le hors de content/, "
                "ou faites commencer son nom par `_` : il ne sera pas lu",
            )
        ]
    close = next((n for n in range(1, len(lines)) if _FENCE.match(lines[n])), None)
    if close is None:
        return None, [
            Problem(
                rel, 1, 1, "l'en-tête n'est pas fermé : ajoutez une ligne `---` après les champs"
            )
        ]
    head = "\n".join(lines[1:close])
    body = "\n".join(lines[close + 1 :])
    stripped = body.lstrip("\n")
    body_line = close + 2 + (len(body) - len(stripped))
    # The front matter starts on line 2: its line numbers are shifted by the opening `---`.
    return parse_yaml(head, rel, kind, line_offset=1, body=stripped, body_line=body_line)


def parse_yaml(
    text: str, rel: str, kind: Kind, *, line_offset: int, body: str, body_line: int
) -> tuple[SourceFile | None, list[Problem]]:
    """One YAML document → SourceFile. An empty document gives `data=None`: validation,
    which knows the fields each kind of file needs, says what to write."""
    deep = yaml_too_deep(text, _Loader)
    if deep is not None:
        return None, [Problem(rel, deep[0] + line_offset, deep[1], depth_message())]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        return None, [_yaml_error(err, text, rel, line_offset)]
    except yaml.YAMLError as err:  # pragma: no cover - PyYAML marks every parse error
        return None, [Problem(rel, 1, 0, f"YAML illisible : {err}")]
    if node is None:
        return SourceFile(rel, kind, None, {(): Pos(1, 0)}, body, body_line), []
    converter = _Converter(rel, kind, line_offset, text)
    data = converter.convert(node, ())
    if converter.alias:
        # Aliases make the data a graph, not what an editor sees: never build on it.
        return None, [*converter.problems, _alias_problem(text, rel, line_offset)]
    # Duplicate keys and odd keys are reported, and the rest of the file is still checked.
    file = SourceFile(rel, kind, data, converter.positions, body, body_line, converter.keys)
    return file, converter.problems


def _alias_problem(text: str, rel: str, line_offset: int) -> Problem:
    """The first `*nom` of the file (the node graph only knows where the anchor is)."""
    alias = next(
        (e for e in yaml.parse(text, Loader=_Loader) if isinstance(e, yaml.AliasEvent)), None
    )
    line, col, name = 1, 0, "nom"
    if alias is not None:
        name = alias.anchor or name
        if alias.start_mark is not None:
            line = alias.start_mark.line + 1 + line_offset
            col = alias.start_mark.column + 1
    return Problem(
        rel,
        line,
        col,
        f"l'alias YAML `*{name}` n'est pas accepté : recopiez la valeur elle-même "
        f"(et retirez `&{name}`)",
    )


_STRUCTURE = (
    "cette ligne ne suit pas la structure des lignes précédentes : vérifiez son indentation "
    "(des espaces, alignés sur les champs de même niveau) et que les guillemets ouverts "
    "plus haut sont refermés"
)


def _tab_advice(lines: list[str], tab_line: int, line_offset: int) -> str:
    """What to write instead of the tabs that start line `tab_line`: as many spaces as its
    place under the line above asks for (a field of the same list item, the first field
    under `labels:`, or a field beside the one above)."""
    start = "une tabulation sert d'indentation : YAML n'accepte que des espaces"
    above = next(
        (
            (n, line)
            for n, line in zip(
                range(tab_line - 1, 0, -1), reversed(lines[: tab_line - 1]), strict=True
            )
            if line.strip() and not line.strip().startswith("#")
        ),
        None,
    )
    if above is None or re.match(r"^ *\t", above[1]):
        return f"{start} : remplacez les tabulations du début de ligne par des espaces"
    n, line = above
    indent = len(line) - len(line.lstrip(" "))
    item = _ITEM.match(line)
    key = line[item.end() if item else indent :].split(":", 1)[0].strip()
    dash = None
    if lines[tab_line - 1].lstrip(" \t").startswith("- "):  # another item: under the dash above
        dash = next((m for m in map(_DASH.match, reversed(lines[:n])) if m), None)
    n += line_offset
    if dash is not None:
        spaces, where = dash.end() - 1, "pour l'aligner sur le tiret de l'élément précédent"
    elif item:  # a field of the same list item: under its first field
        spaces, where = item.end(), f"pour l'aligner sur `{key}` de la ligne {n}"
    elif line.rstrip().endswith(":"):  # the first line under `labels:`
        spaces, where = indent + 2, f"pour la placer sous `{key}:` de la ligne {n}"
    else:  # a field beside the one above
        spaces, where = indent, f"pour l'aligner sur `{key}` de la ligne {n}"
    if spaces == 0:
        return f"{start} : retirez les tabulations du début de ligne, {where}"
    return f"{start} : remplacez les tabulations du début de ligne par {spaces} espaces, {where}"


_ITEM = re.compile(r"^ *- +")
_DASH = re.compile(r"^ *-(?= )")


def _yaml_error(err: yaml.MarkedYAMLError, text: str, rel: str, line_offset: int) -> Problem:
    """A PyYAML error → where the editor should look and what to change, in French."""
    lines = text.split("\n")
    tab_line = next((n for n, content in enumerate(lines, 1) if re.match(r"^ *\t", content)), None)
    if tab_line is not None:
        return Problem(rel, tab_line + line_offset, 1, _tab_advice(lines, tab_line, line_offset))
    problem = err.problem or ""
    context = err.context or ""
    if "<document start>" in problem:
        # The first field is indented and the next is not: the first is what to fix.
        first = next(
            (n for n, content in enumerate(lines, 1) if content.strip()[:1] not in ("", "#")),
            None,
        )
        if first is not None and lines[first - 1][:1] == " ":
            field = lines[first - 1].strip()
            return Problem(
                rel,
                first + line_offset,
                1,
                "cette ligne commence par des espaces, pas les suivantes : les champs du "
                f"fichier commencent en début de ligne, écrivez `{field}` sans espace avant",
            )
        if first is not None and not re.match(r"[A-Za-z_][\w-]*:(\s|$)", lines[first - 1]):
            # `!code: "59378"`, `"code: "59378"`, `[a, b]`: the first line is no field's
            return Problem(
                rel,
                first + line_offset,
                1,
                "cette ligne ne se lit pas comme un champ : écrivez-la `nom: valeur`, le nom en "
                "début de ligne, sans signe ni guillemet devant",
            )
    mark = err.problem_mark or err.context_mark
    last = min(mark.line + 1, len(lines)) if mark else len(lines)
    glued = next(
        (n for n in range(last, 0, -1) if _GLUED_COLON.match(lines[n - 1])),
        None,
    )
    if glued is not None:
        # `nom:Ambérieu` is one plain text to YAML; it only fails a line or more later.
        key = _GLUED_COLON.match(lines[glued - 1])
        assert key is not None
        return Problem(
            rel,
            glued + line_offset,
            key.end(1) + 1,
            f"il manque une espace après `{key.group(1)}:` : écrivez `{key.group(1)}: "
            f"{lines[glued - 1][key.end(1) + 1 :].strip()}`",
        )
    if err.context_mark is not None and (
        "expected ','" in problem
        or "end of stream" in problem
        or "expected ':'" in problem
        or "alphabetic or numeric" in problem
        or "block scalar" in context
    ):
        # The opening bracket, quote or key is what to fix; the error surfaces far after it.
        mark = err.context_mark
    line = mark.line + 1 if mark else 1
    col = mark.column + 1 if mark else 0
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    message = _misaligned_dash(lines, line) if "expected key" in problem else None
    message = message or _yaml_message(problem, context, source_line, col)
    return Problem(rel, line + line_offset, col, message)


def _misaligned_dash(lines: list[str], line: int) -> str | None:
    """What to write for a list's element whose dash is not under the dash of the element
    above it (`  - annee: 2017` … `    - annee: 2018`): LibYAML says only that it found no
    field's name there."""
    here = _DASH.match(lines[line - 1]) if 0 < line <= len(lines) else None
    if here is None:
        return None
    for number in range(line - 1, 0, -1):
        above = _DASH.match(lines[number - 1])
        if above is None:
            if lines[number - 1].strip() and not lines[number - 1].startswith(" "):
                return None  # a field at the top: no list above in this block
            continue
        shift = here.end() - above.end()  # where each dash stands
        if shift == 0:
            return None
        spaces = f"{abs(shift)} espace{'s' if abs(shift) > 1 else ''}"
        return (
            f"ce tiret est décalé de {spaces} {'à droite' if shift > 0 else 'à gauche'} de "
            f"celui de la ligne {number} : alignez-le dessous, les éléments d'une liste "
            "commencent à la même colonne"
        )
    return None


_FIELD = re.compile(r"^(\s*(?:- )?)([^\s:#][^:#]*?):[ \t]+(\S.*)$")
"""`nom: valeur`, in a list or not (linear in the line's length: a line of 100 000 spaces
took 28 s with a lazy value before an optional comment)."""


def _written(field: re.Match[str]) -> str:
    """A field's value as written, its comment and its trailing spaces left out."""
    return uncommented(field.group(3))


def _double_quoted(value: str) -> str:
    """A text as YAML writes it between double quotes: its `\\` and `"` escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quoted(source_line: str, col: int) -> str:
    """The line meant when a field's value starts with a sign YAML reserves: `arobases: 4`
    for `arobases: @@@@` (the label as it is shown), else the value between quotes."""
    field = _FIELD.match(source_line)
    if field is None or field.start(3) != col - 1:
        return "mettez-la entre guillemets"
    key, value = field.group(2), _written(field)
    arobases = value.replace(" ", "")
    if key == "arobases" and set(arobases) == {"@"}:
        return f"écrivez `arobases: {len(arobases)}`"
    return f"mettez-la entre guillemets, `{key}: {_double_quoted(value)}`"


def _closed_early(source_line: str, col: int) -> str | None:
    """What to write for `titre: 'L'appli'` or `titre: "La bonne" appli`: a value in quotes
    that a quote inside closes before the line's end. The whole text, between the quotes it
    does not hold."""
    field = _FIELD.match(source_line)
    if field is None or field.group(3)[0] not in "'\"" or col - 1 <= field.start(3):
        return None
    key, value = field.group(2), _written(field)
    if len(value) >= 2 and value[-1] == value[0]:
        value = value[1:-1]  # its own quotes, around a text that holds one
    if '"' not in value:
        meant = f'"{value}"'
    elif "'" not in value:
        meant = f"'{value}'"
    else:
        meant = _double_quoted(value)
    return (
        "le texte entre guillemets s'arrête avant la fin de la ligne, au guillemet ou à "
        f"l'apostrophe qu'il contient : écrivez `{key}: {meant}`"
    )


_GLUED_COLON = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*):(?![\s/])\S")
"""`nom:Ambérieu`: a field name and its value without the space YAML needs."""


def _yaml_message(problem: str, context: str, source_line: str, col: int) -> str:
    char = source_line[col - 1] if 0 < col <= len(source_line) else ""
    if "mapping values are not allowed" in problem:
        field = _FIELD.match(source_line)
        if field and col > len(field.group(1)) + len(field.group(2)) + 1:
            return (
                f"la valeur de `{field.group(2)}` contient « : » : mettez-la entre guillemets, "
                f"`{field.group(2)}: {_double_quoted(_written(field))}`"
            )
        return (
            "deux-points inattendu : vérifiez l'indentation de cette ligne (alignée sur les "
            "champs de même niveau), ou mettez entre guillemets une valeur qui contient « : »"
        )
    if "expected ','" in problem and "]" in problem:
        return (
            "la liste ouverte par `[` n'est pas fermée : séparez les éléments par des virgules "
            "et terminez par `]`, par exemple `domaines: [teletravail, accessibilite]`"
        )
    if "expected ','" in problem and "}" in problem:
        return (
            "l'accolade `{` n'est pas fermée : séparez les champs par des virgules et terminez "
            "par `}`, par exemple `coordonnees: {lat: 50.67, lon: 3.10}`"
        )
    if "end of stream" in problem and "quoted scalar" in context:
        return (
            "ces guillemets ne sont jamais refermés : ajoutez le guillemet fermant en fin de valeur"
        )
    if "expected ':'" in problem:
        return "il manque le deux-points : écrivez chaque champ sous la forme `nom: valeur`"
    if "cannot start any token" in problem or ("alphabetic or numeric" in problem and char in "&*"):
        return f"une valeur ne peut pas commencer par « {char} » en YAML : " + _quoted(
            source_line, col
        )
    if "directive" in context:
        return (
            "une ligne ne peut pas commencer par « % » en YAML (elle serait une directive) : "
            "retirez-le, ou mettez entre guillemets la valeur qui le contient"
        )
    if "scanning a tag" in context:
        return (
            "« ! » devant une valeur en fait une étiquette YAML : retirez-le, ou mettez la "
            "valeur entre guillemets"
        )
    if "block scalar" in context:
        # `|` and `>` start a text written on the lines below; a value that starts with one
        # and goes on is text to quote.
        return f"une valeur ne peut pas commencer par « {char} » en YAML : " + _quoted(
            source_line, col
        )
    if "unknown escape character" in problem:
        return (
            "entre guillemets doubles, la barre oblique inverse `\\` commence un code spécial : "
            "doublez-la (`\\\\`) ou mettez la valeur entre guillemets simples"
        )
    if "undefined alias" in problem:
        return (
            "une valeur qui commence par `*` est lue comme un alias YAML : "
            "mettez-la entre guillemets"
        )
    if "block sequence entries are not allowed" in problem:
        key = re.match(r"^\s*(?:-\s+)?([^\s:#][^:#]*?):", source_line)
        name = f"`{key.group(1)}:`" if key else "le deux-points"
        return (
            f"un tiret `- ` ne peut pas suivre {name} sur la même ligne : passez à la ligne pour "
            "chaque élément de la liste, ou mettez la valeur entre guillemets"
        )
    if "expected node content" in problem:
        if char and char in "]},":
            return (
                f"« {char} » inattendu : une valeur manque avant, ou la valeur contient « {char} » "
                "et doit être mise entre guillemets"
            )
        return "une valeur manque ici : vérifiez que chaque `[` a son `]` et chaque `{` son `}`"
    if "another document" in problem:
        return (
            "une ligne `---` coupe le fichier en deux documents : un fichier n'en décrit qu'un, "
            "retirez cette ligne"
        )
    if (
        "expected key" in problem
        or "expected <block end>" in problem
        or "expected '-' indicator" in problem
    ):
        return _closed_early(source_line, col) or _STRUCTURE
    detail = f"{problem} ({context})" if context else problem
    return (
        f"YAML invalide ({detail}) : vérifiez l'indentation, les deux-points et les guillemets "
        "de cette ligne"
    )


_STR = "tag:yaml.org,2002:str"
_PLAIN_TAGS = ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map")
"""What `[…]`, `- …` and `nom: valeur` are; any other tag on a list or mapping was written."""


def _key_message(key: yaml.Node, value: yaml.Node, kind: Kind) -> str:
    """A field's name that is no word. In a collectivité's file, `2017: 3` is a label written
    as « year: number of @ »: told the two lines it is."""
    numbers = isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)
    if numbers and key.tag.endswith(":int") and value.tag.endswith(":int"):
        where = (
            f" : un label s'écrit `- annee: {key.value}` puis, dessous, `arobases: {value.value}`"
            if kind is Kind.COMMUNE
            else ""
        )
        return f"`{key.value}: {value.value}` : un nom de champ doit être un mot{where}"
    return "un nom de champ doit être un mot, par exemple `nom:`"


class _Converter:
    """Node graph → plain Python values, recording positions; refuses aliases and duplicates."""

    def __init__(self, rel: str, kind: Kind, line_offset: int, text: str) -> None:
        self.rel = rel
        self.kind = kind
        self.line_offset = line_offset
        self.text = text
        self.positions: dict[KeyPath, Pos] = {}
        self.keys: dict[KeyPath, Pos] = {}
        self.problems: list[Problem] = []
        self.alias = False
        """Set when a node is reached twice, which only an alias (`*nom`) does."""
        self._constructor = yaml.constructor.SafeConstructor()
        self._seen: set[int] = set()

    def _pos(self, node: yaml.Node) -> Pos:
        raw = node.value if isinstance(node, yaml.ScalarNode) else None
        quoted = isinstance(node, yaml.ScalarNode) and node.style in ("'", '"')
        return Pos(
            node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1, raw, quoted
        )

    def _problem(self, node: yaml.Node, message: str) -> None:
        pos = self._pos(node)
        self.problems.append(Problem(self.rel, pos.line, pos.col, message))

    def convert(self, node: yaml.Node, path: KeyPath) -> Any:
        if id(node) in self._seen:
            self.alias = True
            return None
        self._seen.add(id(node))
        if len(self._seen) > MAX_NODES:
            self.alias = True  # only an alias bomb gets here; stop walking it
            return None
        self.positions[path] = self._pos(node)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if len(path) >= MAX_YAML_DEPTH:
            # yaml_too_deep lets through a little more than the limit, never much more.
            self._problem(node, depth_message())
            return None
        if node.tag not in _PLAIN_TAGS:
            self._refuse_tag(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self._problem(key_node, _key_message(key_node, value_node, self.kind))
                continue
            if key in result:
                first = self.keys[(*path, key)]
                self._problem(
                    key_node,
                    f"le champ `{key}` apparaît deux fois (déjà ligne {first.line}) : "
                    "gardez-en un seul",
                )
                continue
            self.keys[(*path, key)] = self._pos(key_node)
            result[key] = self.convert(value_node, (*path, key))
        return result

    def _refuse_tag(self, node: yaml.Node) -> None:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        self._problem(
            node,
            f"l'étiquette YAML `{tag}` n'est pas acceptée : retirez-la "
            "(une valeur s'écrit telle quelle, ou entre guillemets)",
        )

    def _joined_dash(self, node: yaml.ScalarNode) -> None:
        """A warning when a text goes on over a line that starts with a dash: `- Prix A`
        then `   - Prix B`, its dash one space right of the one above, is one text to
        YAML, « Prix A - Prix B », and one element where two were meant."""
        first, last = node.start_mark.line, node.end_mark.line
        lines = self.text.split("\n")  # only for a text over several lines, which is rare
        dashed = next(
            (n for n in range(first + 1, min(last, len(lines) - 1) + 1)
             if lines[n].lstrip().startswith("- ")),
            None,
        )  # fmt: skip
        if dashed is None:
            return
        pos = self._pos(node)
        self.problems.append(
            Problem(
                self.rel,
                dashed + 1 + self.line_offset,
                lines[dashed].index("-") + 1,
                f"ce tiret continue le texte de la ligne {pos.line}, lu « {node.value} » : pour "
                "un élément de plus, alignez ce tiret sous celui de l'élément au-dessus ; pour "
                "un seul texte, mettez-le entre guillemets",
                Severity.WARNING,
            )
        )

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if not node.style and node.end_mark.line > node.start_mark.line:  # plain, C or not
            self._joined_dash(node)
        if node.tag == _STR:
            return node.value  # what SafeConstructor gives a string, without its dispatch
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError:
            self._refuse_tag(node)
            return node.value
        except (ArithmeticError, LookupError, TypeError, ValueError):
            # A scalar YAML resolves as a date or number but cannot build (2017-02-30, or
            # `!!int` with no digits, which PyYAML fails on with an IndexError): keep the
            # text, validation explains what was expected.
            return node.value
