"""The one type every stage uses to report what is wrong with the content."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

HIDDEN = "\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff"
"""Characters a reader cannot see, or that change how the text around them is shown: C0 and C1
controls, zero-width characters, line and paragraph separators, bidirectional marks and
overrides (a regular-expression class, without its brackets)."""
_HIDDEN = re.compile(f"[{HIDDEN}]")


def shown(text: str) -> str:
    """`text` with each hidden character written as its code point (`U+0008`): what a
    terminal, a log or a workflow annotation may print of an editor's text."""
    if _HIDDEN.search(text) is None:
        return text
    return _HIDDEN.sub(lambda m: f"U+{ord(m.group()):04X}", text)


class Compact:
    """Pickles a slotted dataclass as its class and field values: the parse cache holds
    tens of thousands of records, and dataclasses' own pickling looks up their fields
    each time."""

    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        names: tuple[str, ...] = self.__slots__
        return (type(self), tuple(getattr(self, name) for name in names))


class Severity(Enum):
    ERROR = "erreur"
    WARNING = "avertissement"


@dataclass(frozen=True, slots=True, order=True)
class Problem(Compact):
    """Something an editor must fix, at a place in a file.

    `path` is relative to the content folder (the `--source` folder), with `/` separators.
    `line` and `col` start at 1; 0 means "the whole file".
    """

    path: str
    line: int
    col: int
    message: str
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        # A message quotes what the editor wrote, and a path is a contributor's file name: an
        # escape sequence or a newline in either must not reach the terminal (nor start a
        # workflow command on a line of its own).
        if _HIDDEN.search(self.message) is not None:
            object.__setattr__(self, "message", shown(self.message))
        if len(self.message) > MESSAGE_MAX:  # it quotes pages of what was written
            object.__setattr__(self, "message", _cut(self.message))
        if _HIDDEN.search(self.path) is not None:
            object.__setattr__(self, "path", shown(self.path))

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        prefix = "" if self.severity is Severity.ERROR else "avertissement : "
        return f"{where}: {prefix}{self.message}"


MESSAGE_MAX = 600
"""The longest message printed whole: one that quotes a value of 100 000 characters keeps its
start (what is wrong) and its end (what to write instead)."""


def _cut(message: str) -> str:
    left = message[: MESSAGE_MAX // 2]
    right = message[-MESSAGE_MAX // 3 :]
    return f"{left} […{len(message) - len(left) - len(right)} caractères…] {right}"


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """All problems of a run, by file then position, each once."""
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.col, p.message))
