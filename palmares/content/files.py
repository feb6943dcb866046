"""One source file, loaded and validated on its own: the unit of work the parse cache keeps
and the workers share (output/cache.py). The rules across files come after, in
validate.cross_check."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from palmares.content import geography
from palmares.content.load import SourceFile, load_file
from palmares.content.read import Kind, misnamed
from palmares.content.validate import CROSS_FILE_FIELDS, Claim, claim, validate_file
from palmares.problems import Compact, Problem, Severity


@dataclass(frozen=True, slots=True)
class FileResult(Compact):
    """What one source file gave, loaded and validated on its own."""

    rel: str
    kind: Kind
    digest: str
    """The digest of the file's bytes."""
    file: SourceFile | None
    """Only the fields the rules across files need (validate.CROSS_FILE_FIELDS)."""
    record: Any
    problems: tuple[Problem, ...]
    claims: Claim | None = None
    """What a file that has errors names: a collectivité's code, a domain's slug
    (validate.claim)."""
    geography: tuple[Problem, ...] = ()
    """The file's warnings against the official list (geography.FileCheck): none when the
    file has errors of its own (fix those first)."""


def check_file(
    raw: bytes, rel: str, kind: Kind, digest: str, official: geography.FileCheck
) -> FileResult:
    wrong_name = misnamed(rel, kind)
    if wrong_name is not None:  # not read: what it holds is not content
        return FileResult(rel, kind, digest, None, None, (wrong_name,))
    file, problems = load_file(raw, rel, kind)
    if file is None:
        return FileResult(
            rel, kind, digest, None, None, tuple(problems), claim(rel, kind, None, raw)
        )
    record, found = validate_file(file, functools.partial(official.examples, file))
    own = (*problems, *found)
    broken = any(p.severity is Severity.ERROR for p in own)
    return FileResult(
        rel,
        kind,
        digest,
        file.slim(CROSS_FILE_FIELDS),
        record,
        own,
        None if record is not None else claim(rel, kind, file.data, raw),
        () if broken else tuple(official(file, record)),
    )


def unreadable(rel: str, kind: Kind, problem: Problem) -> FileResult:
    """A file that could not be read: its problem only."""
    return FileResult(rel, kind, "", None, None, (problem,))
