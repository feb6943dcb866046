"""Stage 1: files → SourceFile, each field with the line and column it came from.

Reading never guesses: bytes that are not UTF-8 are reported, never decoded another way.
YAML is parsed with PyYAML's node API so every value keeps its position, and identifiers are
never coerced behind the editor's back (`code: 01004` stays visible as the text `01004`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

try:  # the C parser is several times faster; the pure-Python one is a fine fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from palmares.problems import Problem

MAX_NODES = 200_000
"""More YAML nodes than any real file holds: a guard against alias bombs."""

KeyPath = tuple[str | int, ...]


class Kind(Enum):
    COMMUNE = "commune"
    ACTION = "action"
    DOMAINE = "domaine"
    EDITION = "edition"
    PAGE = "page"


@dataclass(frozen=True, slots=True)
class Pos:
    line: int
    col: int
    raw: str | None = None
    """The scalar exactly as written, with `quoted` telling whether quotes surrounded it."""
    quoted: bool = False


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: str
    """Relative to the source folder, with `/` separators: how editors name the file."""
    kind: Kind
    data: Any
    positions: Mapping[KeyPath, Pos] = field(default_factory=dict)
    """Position of each value, by its path: ("labels", 0, "arobases")."""
    body: str = ""
    body_line: int = 1

    def pos(self, *keys: str | int) -> Pos:
        """The position of a value, or of its nearest enclosing value that has one."""
        path: KeyPath = tuple(keys)
        while path:
            found = self.positions.get(path)
            if found is not None:
                return found
            path = path[:-1]
        return self.positions.get((), Pos(1, 1))


@dataclass(frozen=True, slots=True)
class Loaded:
    files: tuple[SourceFile, ...]
    problems: tuple[Problem, ...]


# Where each kind of file lives, relative to the source folder, and its suffixes.
_PLACES: tuple[tuple[str, Kind, tuple[str, ...]], ...] = (
    ("communes", Kind.COMMUNE, (".yaml", ".yml")),
    ("content/actions", Kind.ACTION, (".md",)),
    ("content/domaines", Kind.DOMAINE, (".md",)),
    ("content/palmares", Kind.EDITION, (".md",)),
    ("content/pages", Kind.PAGE, (".md",)),
)


def discover(source: Path) -> Iterator[tuple[Path, str, Kind]]:
    """Every content file under `source`, in a stable order whatever the file system's."""
    for folder, kind, suffixes in _PLACES:
        root = source / folder
        if not root.is_dir():
            continue
        recursive = kind in (Kind.COMMUNE, Kind.ACTION)
        candidates = root.rglob("*") if recursive else root.glob("*")
        for path in sorted(candidates, key=lambda p: p.as_posix()):
            if path.suffix.lower() in suffixes and path.is_file() and not _hidden(path, root):
                yield path, path.relative_to(source).as_posix(), kind


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith((".", "_")) for part in path.relative_to(root).parts)


def load(source: Path) -> Loaded:
    files: list[SourceFile] = []
    problems: list[Problem] = []
    for path, rel, kind in discover(source):
        file, found = load_file(path.read_bytes(), rel, kind)
        problems.extend(found)
        if file is not None:
            files.append(file)
    return Loaded(tuple(files), tuple(problems))


def load_file(raw: bytes, rel: str, kind: Kind) -> tuple[SourceFile | None, list[Problem]]:
    """Parse one file's bytes; a file that cannot be read yields problems and no SourceFile."""
    text, problem = decode(raw, rel)
    if problem is not None:
        return None, [problem]
    if kind is Kind.COMMUNE:
        return parse_yaml(text, rel, kind, line_offset=0, body="", body_line=1)
    return parse_markdown(text, rel, kind)


def decode(raw: bytes, rel: str) -> tuple[str, Problem | None]:
    """UTF-8 with or without BOM, any line endings; anything else is reported at its line."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        snippet = raw[err.start : err.start + 1].hex()
        return "", Problem(
            rel,
            line,
            col,
            f"le fichier n'est pas en UTF-8 (octet 0x{snippet}) : enregistrez-le en UTF-8 "
            "(dans VS Code : « Enregistrer avec l'encodage » → UTF-8). "
            "Un fichier Latin-1 ou Windows-1252 n'est pas accepté.",
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return "", Problem(
            rel, line, 0, "le fichier contient un caractère nul : est-ce bien du texte ?"
        )
    return text, None


def parse_markdown(text: str, rel: str, kind: Kind) -> tuple[SourceFile | None, list[Problem]]:
    handler = YAMLHandler()
    if not handler.detect(text):
        return None, [
            Problem(
                rel,
                1,
                1,
                "l'en-tête manque : le fichier doit commencer par une ligne `---`, "
                "les champs (par exemple `titre: …`), puis une ligne `---` avant le texte",
            )
        ]
    try:
        head, body = handler.split(text)
    except ValueError:
        return None, [
            Problem(
                rel, 1, 1, "l'en-tête n'est pas fermé : ajoutez une ligne `---` après les champs"
            )
        ]
    stripped = body.lstrip("\n")
    body_line = text[: len(text) - len(stripped)].count("\n") + 1
    # The front matter text starts right after the first `---`, on line 1's end: its line
    # numbers are the file's.
    return parse_yaml(head, rel, kind, line_offset=0, body=stripped, body_line=body_line)


def parse_yaml(
    text: str, rel: str, kind: Kind, *, line_offset: int, body: str, body_line: int
) -> tuple[SourceFile | None, list[Problem]]:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        return None, [_yaml_error(err, text, rel, line_offset)]
    except yaml.YAMLError as err:
        return None, [Problem(rel, 1, 0, f"YAML illisible : {err}")]
    if node is None:
        return None, [Problem(rel, 1, 0, "le fichier est vide : il doit contenir des champs")]
    converter = _Converter(rel, line_offset)
    data = converter.convert(node, ())
    if converter.problems:
        return None, converter.problems
    return (
        SourceFile(rel, kind, data, converter.positions, body, body_line),
        [],
    )


def _yaml_error(err: yaml.MarkedYAMLError, text: str, rel: str, line_offset: int) -> Problem:
    mark = err.problem_mark or err.context_mark
    line = (mark.line + 1 + line_offset) if mark else 1
    col = (mark.column + 1) if mark else 0
    problem = err.problem or ""
    tab_line = next(
        (n for n, content in enumerate(text.split("\n"), 1) if re.match(r"^ *\t", content)), None
    )
    if tab_line is not None:
        line, col = tab_line + line_offset, 1
        message = (
            "une tabulation sert d'indentation : YAML n'accepte que des espaces, "
            "remplacez chaque tabulation par deux espaces"
        )
    else:
        message = f"YAML invalide : {problem}"
        if err.context:
            message += f" ({err.context})"
        message += " : vérifiez l'indentation, les deux-points et les guillemets de cette ligne"
    return Problem(rel, line, col, message)


class _Converter:
    """Node graph → plain Python values, recording positions; refuses aliases and duplicates."""

    def __init__(self, rel: str, line_offset: int) -> None:
        self.rel = rel
        self.line_offset = line_offset
        self.positions: dict[KeyPath, Pos] = {}
        self.problems: list[Problem] = []
        self._constructor = yaml.constructor.SafeConstructor()
        self._seen: set[int] = set()

    def _pos(self, node: yaml.Node) -> Pos:
        raw = node.value if isinstance(node, yaml.ScalarNode) else None
        quoted = isinstance(node, yaml.ScalarNode) and node.style in ("'", '"')
        return Pos(
            node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1, raw, quoted
        )

    def convert(self, node: yaml.Node, path: KeyPath) -> Any:
        self.positions[path] = self._pos(node)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if id(node) in self._seen or len(self._seen) > MAX_NODES:
            pos = self._pos(node)
            self.problems.append(
                Problem(
                    self.rel,
                    pos.line,
                    pos.col,
                    "les alias YAML (`&nom` / `*nom`) ne sont pas acceptés : recopiez la valeur",
                )
            )
            return None
        self._seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                pos = self._pos(key_node)
                self.problems.append(
                    Problem(
                        self.rel,
                        pos.line,
                        pos.col,
                        "un nom de champ doit être un mot, par exemple `nom:`",
                    )
                )
                continue
            if key in result:
                pos = self._pos(key_node)
                first = self.positions[(*path, key)]
                self.problems.append(
                    Problem(
                        self.rel,
                        pos.line,
                        pos.col,
                        f"le champ `{key}` apparaît deux fois (déjà ligne {first.line}) : "
                        "gardez-en un seul",
                    )
                )
                continue
            result[key] = self.convert(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        try:
            value = self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):
            # A scalar YAML resolves as a date or number but cannot build (2017-02-30):
            # keep the text, validation explains what was expected.
            return node.value
        if isinstance(value, dt.datetime):
            return value
        return value
