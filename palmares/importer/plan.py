"""What an import would change, file by file, and writing it: nothing is written by
`plan_import`, and `apply` writes each file whole, swapped into place."""

from __future__ import annotations

import difflib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from palmares.content.geography import Geography
from palmares.content.load import load_file
from palmares.content.read import Kind, inside
from palmares.content.validate import validate_commune
from palmares.importer.resolve import Resolver, Target, existing_files
from palmares.importer.table import Line, parse_lines, read_table
from palmares.importer.yamledit import LabelError, LabelValues, new_file_text, new_path, set_label
from palmares.problems import Problem, Severity
from palmares.text import plural

ChangeKind = Literal["new", "added", "changed"]


@dataclass(frozen=True, slots=True)
class Change:
    path: str
    before: str | None
    """None for a file the import creates."""
    after: str
    kind: ChangeKind
    code: str
    nom: str
    line: int


@dataclass(frozen=True)
class Plan:
    edition: int
    table: str
    lines: int
    changes: tuple[Change, ...] = ()
    unchanged: tuple[Target, ...] = ()
    problems: tuple[Problem, ...] = ()
    readings: tuple[tuple[Line, Target], ...] = ()
    """Lines whose name is not the official spelling, and what they were read as."""

    @property
    def unresolved(self) -> int:
        return len({p.line for p in self.problems if p.path == self.table})

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for change in self.changes if change.kind == kind)


def plan_import(
    table: Path, source: Path, edition: int, geography: Geography, *, name: str | None = None
) -> Plan:
    """Everything the import would change, and every line it cannot resolve. Writes nothing."""
    shown = name or table.name
    rows, problems = read_table(table, shown)
    if problems:
        return Plan(edition, shown, 0, problems=tuple(problems))
    parsed = parse_lines(rows, shown)
    existing, unreadable = existing_files(source)
    if unreadable:
        notes = [
            Problem(
                p.path,
                p.line,
                p.col,
                f"{p.message} (corrigez ce fichier avant d'importer : `python build.py check`)",
            )
            for p in unreadable
        ]
        return Plan(edition, shown, len(rows) - 1, problems=(*parsed.problems, *notes))
    resolver = Resolver(geography, existing)
    problems = list(parsed.problems)
    targets: dict[str, Target] = {}
    readings: list[tuple[Line, Target]] = []
    for line in parsed.lines:
        resolved = resolver.resolve(line, shown)
        if isinstance(resolved, Problem):
            problems.append(resolved)
            continue
        first = targets.get(resolved.code)
        if first is not None:
            problems.append(
                Problem(
                    shown,
                    line.number,
                    0,
                    f"{resolved.nom} (code « {resolved.code} ») figure déjà ligne "
                    f"{first.line.number} : une collectivité n'a qu'un label par édition",
                )
            )
            continue
        targets[resolved.code] = resolved
        if line.nom is not None and line.nom != resolved.nom:
            readings.append((line, resolved))
    changes: list[Change] = []
    unchanged: list[Target] = []
    taken = {e.path for e in existing.values()}
    for target in targets.values():
        values = LabelValues(
            edition,
            target.line.arobases,
            target.line.mention,
            target.line.distinctions,
            "mention" in parsed.columns,
            "distinctions" in parsed.columns,
        )
        change = _change(target, values, taken, source)
        if isinstance(change, Problem):
            problems.append(change)
        elif change is None:
            unchanged.append(target)
        else:
            taken.add(change.path)
            changes.append(change)
    return Plan(
        edition,
        shown,
        len(parsed.lines) + len(parsed.problems),
        tuple(sorted(changes, key=lambda c: c.path)),
        tuple(unchanged),
        tuple(sorted(problems, key=lambda p: (p.path, p.line, p.message))),
        tuple(readings),
    )


def _change(
    target: Target, values: LabelValues, taken: set[str], source: Path
) -> Change | Problem | None:
    if target.existing is not None:
        before = target.existing.text
        path = target.existing.path
        kind: ChangeKind
        try:
            after, outcome = set_label(before, values)
        except LabelError as err:
            return Problem(path, 0, 0, str(err))
        if outcome == "same":
            return None
        kind = outcome
    else:
        assert target.official is not None
        path = new_path(target.official, taken, source)
        before = None
        after, _ = set_label(new_file_text(target.official, values.annee), values)
        kind = "new"
    file, problems = load_file(after.encode("utf-8"), path, Kind.COMMUNE)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if file is not None:
        found: list[Problem] = []
        validate_commune(file, found)
        errors += [p for p in found if p.severity is Severity.ERROR]
    if errors:
        return Problem(
            path,
            0,
            0,
            "le fichier ne serait pas valide après l'import, il n'est pas modifié : "
            + " ; ".join(str(p) for p in errors),
        )
    return Change(path, before, after, kind, target.code, target.nom, target.line.number)


def diff(plan: Plan) -> str:
    out: list[str] = []
    for change in plan.changes:
        before = [] if change.before is None else change.before.splitlines(keepends=True)
        after = change.after.splitlines(keepends=True)
        out.extend(
            difflib.unified_diff(
                before,
                after,
                fromfile="/dev/null" if change.before is None else f"a/{change.path}",
                tofile=f"b/{change.path}",
            )
        )
    return "".join(line if line.endswith("\n") else line + "\n" for line in out)


def summary(plan: Plan, *, applied: bool, skip_unresolved: bool) -> list[str]:
    def count(n: int, singular: str, plural_form: str) -> str:
        return plural(n, singular, plural_form).replace("\u00a0", " ").replace("\u202f", " ")

    lines = [
        f"Édition {plan.edition} : {count(plan.lines, 'ligne lue', 'lignes lues')} dans {plan.table}"
    ]
    for line, target in plan.readings:
        dept = target.official.departement if target.official else target.line.departement
        lines.append(
            f"  ligne {line.number} : « {line.nom} » lu comme {target.nom} ({dept}, code {target.code})"
        )
    kinds: tuple[tuple[ChangeKind, str, str], ...] = (
        ("new", "nouvelle collectivité", "nouvelles collectivités"),
        ("added", "label ajouté", "labels ajoutés"),
        ("changed", "label modifié", "labels modifiés"),
    )
    for kind, singular, plural_form in kinds:
        changes = [change for change in plan.changes if change.kind == kind]
        names = ", ".join(f"{change.nom} ({change.code})" for change in changes)
        lines.append(
            f"  {count(len(changes), singular, plural_form)}" + (f" : {names}" if names else "")
        )
    lines.append("  " + count(len(plan.unchanged), "label déjà à jour", "labels déjà à jour"))
    if plan.unresolved:
        lines.append("  " + count(plan.unresolved, "ligne non résolue", "lignes non résolues"))
    blocked = bool(plan.problems) and not skip_unresolved
    if blocked:
        lines.append(
            "Rien n'a été écrit : corrigez le tableau (ou relancez avec --skip-unresolved "
            "pour importer les autres lignes)."
        )
    elif applied and plan.changes:
        lines.append(
            f"{count(len(plan.changes), 'fichier écrit', 'fichiers écrits')}"
            + (" ; les lignes non résolues sont ignorées." if plan.problems else ".")
        )
    elif plan.changes:
        lines.append(
            "Essai : rien n'a été écrit. Relancez avec --apply pour écrire ces changements."
        )
    else:
        lines.append(
            "Rien à changer : "
            + (
                "les lignes résolues sont déjà à jour."
                if plan.problems
                else "tout est déjà à jour."
            )
        )
    return lines


class OutsideSource(Exception):
    """A file to write that a symlink would put outside the source folder; in French."""


def write_file(source: Path, rel: str, text: str) -> None:
    """`text` as the file `rel` of the source, whole: a temporary file beside it, then
    swapped into place (a link at `rel` is replaced, never followed). Refused, before any
    folder is made, when a symlinked folder on the way leads out of the source."""
    path = source / rel
    root = os.path.realpath(source)
    reached = path.parent
    while not os.path.lexists(reached) and reached != source:
        reached = reached.parent
    if not inside(os.path.realpath(reached), root):
        raise OutsideSource(
            f"{rel} : un lien symbolique ({reached.relative_to(source).as_posix()}) mène hors "
            "du dossier source : remplacez-le par un dossier, rien n'a été écrit"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o7777 if path.is_file() else 0o666 & ~_umask()
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".import-", suffix=".yaml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.chmod(temporary, mode)  # not mkstemp's 0600: the file is shared like the others
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def apply(plan: Plan, source: Path) -> None:
    """Write each changed file whole (`write_file`)."""
    for change in plan.changes:
        write_file(source, change.path, change.after)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
