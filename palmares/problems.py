"""The one type every stage uses to report what is wrong with the content."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


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

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        prefix = "" if self.severity is Severity.ERROR else "avertissement : "
        return f"{where}: {prefix}{self.message}"


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """All problems of a run, by file then position, each once."""
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.col, p.message))
