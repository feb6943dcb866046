"""What an import would change, file by file, and writing it: nothing is written by
`plan_import`, and `apply` writes every file or none (each whole, swapped into place)."""

from __future__ import annotations

import contextlib
import difflib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from palmares.content.geography import Geography
from palmares.content.load import load_file
from palmares.content.read import Kind, inside, read_source
from palmares.content.validate import validate_commune
from palmares.importer.resolve import Existing, Resolver, Target, existing_files
from palmares.importer.table import Line, parse_lines, read_table
from palmares.importer.yamledit import LabelError, LabelValues, new_file_text, new_path, set_label
from palmares.problems import Problem, Severity
from palmares.text import de, plain_spaces, plural, shown_path, system_reason

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
    stopped: bool = False
    """The lines were not compared with the collectivités' files: one of them cannot be
    read (`problems` name it), so there is nothing to count yet."""

    @property
    def unresolved(self) -> int:
        return len({p.line for p in self.problems if p.path == self.table})

    @property
    def files_to_fix(self) -> tuple[str, ...]:
        """The collectivités' files the import stopped at (one it cannot read, a code
        written unquoted, a file the label would make invalid), each once."""
        return tuple(sorted({p.path for p in self.problems if p.path != self.table}))

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for change in self.changes if change.kind == kind)


def plan_import(
    table: Path, source: Path, edition: int, geography: Geography, *, name: str | None = None
) -> Plan:
    """Everything the import would change, and every line it cannot resolve. Writes nothing."""
    rows, problems, shown = read_table(table, name or shown_path(table.name))
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
        return Plan(edition, shown, parsed.read, problems=(*parsed.problems, *notes), stopped=True)
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
        parsed.read,
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
        if target.existing.unquoted:
            return Problem(path, target.existing.unquoted, 0, unquoted(target.existing))
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


def unquoted(existing: Existing) -> str:
    """What to do before a file whose code is written unquoted gets its label."""
    return (
        f"le `code` {de(existing.nom)} est écrit sans guillemets, et YAML le lit comme un "
        f'nombre : écrivez `code: "{existing.code}"`, puis relancez ; ce fichier n\'est pas '
        "modifié"
    )


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
        return plain_spaces(plural(n, singular, plural_form))

    lines = [
        f"Édition {plan.edition} : {count(plan.lines, 'ligne lue', 'lignes lues')} dans {plan.table}"
    ]
    if not plan.lines and plan.problems:  # the table refused as a whole: nothing to count
        return [*lines, "Rien n'a été écrit : corrigez le tableau."]
    if plan.stopped:  # the lines were not compared with the files: no count would be true
        files = plan.files_to_fix
        if plan.unresolved:
            lines.append("  " + count(plan.unresolved, "ligne non résolue", "lignes non résolues"))
        return [
            *lines,
            "  " + count(len(files), "fichier à corriger", "fichiers à corriger"),
            _unwritten(plan, files, skip_unresolved=skip_unresolved),
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
    files = plan.files_to_fix
    if files:
        lines.append("  " + count(len(files), "fichier à corriger", "fichiers à corriger"))
    if plan.problems and not (skip_unresolved and plan.changes):
        lines.append(_unwritten(plan, files, skip_unresolved=skip_unresolved))
    elif applied and plan.changes:
        skipped = ["les lignes non résolues"] if plan.unresolved else []
        if files:
            skipped.append(f"{'celles' if skipped else 'les lignes'} des fichiers à corriger")
        lines.append(
            f"{count(len(plan.changes), 'fichier écrit', 'fichiers écrits')}"
            + (f" ; {' et '.join(skipped)} sont ignorées." if skipped else ".")
        )
    elif plan.changes:
        lines.append(
            "Essai : rien n'a été écrit. Relancez avec --apply pour écrire ces changements."
        )
    else:
        lines.append("Rien à changer : tout est déjà à jour.")
    return lines


def _unwritten(plan: Plan, files: tuple[str, ...], *, skip_unresolved: bool) -> str:
    """Why nothing was written, and what to fix: the table, the files named above, or both;
    --skip-unresolved is advised only when it would write something."""
    if not files and not plan.changes and not plan.unchanged:
        return "Rien n'a été écrit : aucune ligne n'est résolue ; corrigez le tableau."
    if skip_unresolved and not files:  # the lines left out are the only problems
        return "Rien à changer : les lignes résolues sont déjà à jour."
    fix = ["le tableau"] if plan.unresolved else []
    if files:
        fix.append(files[0] if len(files) == 1 else f"les {len(files)} fichiers signalés")
    advice = f"corrigez {' et '.join(fix)}"
    if plan.changes:
        advice += " (ou relancez avec --skip-unresolved pour importer les autres lignes)"
    return f"Rien n'a été écrit : {advice}."


class OutsideSource(Exception):
    """A file to write that a symlink would put outside the source folder; in French."""


class ApplyError(Exception):
    """Why an import was not written, in French; the source is as it was before."""


def write_file(source: Path, rel: str, text: str) -> None:
    """`text` as the file `rel` of the source, whole: a temporary file beside it, then
    swapped into place (a link at `rel` is replaced, never followed). Refused, before any
    folder is made, when a symlinked folder on the way leads out of the source."""
    outside = _outside(source, rel)
    if outside is not None:
        raise OutsideSource(f"{outside} ; rien n'a été écrit")
    path = source / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary(path, text)
    try:
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def apply(plan: Plan, source: Path) -> None:
    """Every changed file, or none. Each target is checked first; each new text is written
    to a temporary file beside its target; only then are they swapped in, the previous
    files kept under a second name until the last swap. Whatever fails, what was swapped
    is put back and what was made is removed, and ApplyError says what failed."""
    for change in plan.changes:
        refused = _refusal(source, change)
        if refused is not None:
            raise ApplyError(f"{refused} ; rien n'a été écrit")
    writing = _Writing(source)
    try:
        for change in plan.changes:
            writing.stage(change)
        writing.swap()
    except BaseException as err:
        left = writing.undo()
        if not isinstance(err, OSError):
            raise
        what = f"{writing.at} : {system_reason(err)}"
        if left:
            raise ApplyError(
                f"{what} ; l'import est annulé, mais ces fichiers n'ont pas pu être remis "
                f"comme avant : {left}"
            ) from err
        raise ApplyError(f"{what} ; rien n'a été écrit") from err
    writing.done()


class _Writing:
    """One `apply` under way: the folders it made, and for each file its temporary and
    the name it keeps the previous file under; `at`, the file or folder it is at."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.made: list[Path] = []
        self.staged: list[tuple[Path, str, str | None]] = []
        self.swapped = 0
        self.at = ""

    def stage(self, change: Change) -> None:
        path = self.source / change.path
        missing = []
        folder = path.parent
        while not os.path.lexists(folder):
            missing.append(folder)
            folder = folder.parent
        for folder in reversed(missing):
            self.at = folder.relative_to(self.source).as_posix()
            folder.mkdir()
            self.made.append(folder)
        self.at = change.path
        temporary = _temporary(path, change.after)
        self.staged.append((path, temporary, None))
        if change.before is not None:
            self.staged[-1] = (path, temporary, _keep(path))

    def swap(self) -> None:
        for path, temporary, _ in self.staged:
            self.at = path.relative_to(self.source).as_posix()
            os.replace(temporary, path)
            self.swapped += 1

    def undo(self) -> str:
        """Put back what was swapped, remove what was made; what could not be put back."""
        left: list[str] = []
        for number, (path, temporary, kept) in reversed(list(enumerate(self.staged))):
            rel = path.relative_to(self.source).as_posix()
            if number >= self.swapped:
                _discard(temporary)
                _discard(kept)
                continue
            try:
                if kept is None:
                    path.unlink()
                else:
                    os.replace(kept, path)
            except OSError:
                keeper = Path(kept).relative_to(self.source).as_posix() if kept else None
                left.append(f"{rel} (son contenu d'avant est dans {keeper})" if keeper else rel)
        for folder in reversed(self.made):
            with contextlib.suppress(OSError):  # not empty: something else is in it
                folder.rmdir()
        return ", ".join(reversed(left))

    def done(self) -> None:
        for _, _, kept in self.staged:
            _discard(kept)


def _discard(name: str | None) -> None:
    """Remove a temporary or kept file: one left behind is a dot file, never read."""
    if name is not None:
        with contextlib.suppress(OSError):
            os.unlink(name)


def _refusal(source: Path, change: Change) -> str | None:
    """Why `change` cannot be written, as far as can be known before writing anything."""
    outside = _outside(source, change.path)
    if outside is not None:
        return outside
    path = source / change.path
    folder = path.parent
    while not os.path.lexists(folder):
        folder = folder.parent
    if not folder.is_dir():
        what = "un lien symbolique cassé" if folder.is_symlink() else "un fichier"
        return (
            f"{folder.relative_to(source).as_posix()} : est {what}, et il faudrait un dossier "
            f"à sa place pour écrire {change.path} : déplacez-le ou renommez-le"
        )
    if change.before is None:
        if os.path.lexists(path):
            return f"{change.path} : existe déjà : vérifiez ce fichier, puis relancez l'import"
        return None
    raw, unreadable = read_source(path, change.path)
    if unreadable is not None:
        return str(unreadable)
    if raw.decode("utf-8-sig", "replace") != change.before:
        return f"{change.path} : a changé depuis sa lecture : relancez l'import"
    return None


def _outside(source: Path, rel: str) -> str | None:
    """Why `rel` may not be written, if a symlinked folder on its way leads out of the source."""
    reached = (source / rel).parent
    while not os.path.lexists(reached) and reached != source:
        reached = reached.parent
    if inside(os.path.realpath(reached), os.path.realpath(source)):
        return None
    return (
        f"{rel} : un lien symbolique ({reached.relative_to(source).as_posix()}) mène hors "
        "du dossier source : remplacez-le par un dossier"
    )


def _temporary(path: Path, text: str) -> str:
    """`text` in a new file beside `path`, with the mode of the file it will replace (or
    that of a new file): its name."""
    mode = path.stat().st_mode & 0o7777 if path.is_file() else 0o666 & ~_umask()
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".import-", suffix=".yaml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.chmod(temporary, mode)  # not mkstemp's 0600: the file is shared like the others
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def _keep(path: Path) -> str:
    """A second name for the file (or link) at `path`, to put it back with: a hard link, or
    a copy where the file system has no hard links."""
    handle, kept = tempfile.mkstemp(dir=path.parent, prefix=".import-", suffix=".avant")
    os.close(handle)
    try:
        os.unlink(kept)
        try:
            os.link(path, kept, follow_symlinks=False)
        except OSError:
            shutil.copy2(path, kept, follow_symlinks=False)
    except BaseException:
        Path(kept).unlink(missing_ok=True)
        raise
    return kept


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
