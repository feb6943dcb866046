"""`import`: the jury's spreadsheet of one edition → a label in each collectivité's file.

    table.py     CSV (comma or semicolon, UTF-8 with or without BOM) or .xlsx → Line
                 (code, or nom + département; arobases; mention; distinctions)
    resolve.py   each line → the collectivité it names, in the official geography and
                 communes/, or a Problem naming the candidates
    yamledit.py  a file's text with the label set (ruamel.yaml round trip); a new file's text
    plan.py      plan_import → Change (each file's text before and after); diff, summary;
                 apply writes, `plan_import` never does

An existing file is edited with ruamel.yaml's round trip: its comments, key order, quoting and
layout stay as the editor wrote them, and only the edition's label changes. A new file is the
one `new CODE` writes, filled from the official list, plus the label.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from palmares.content.geography import Geography
from palmares.content.validate import FIRST_YEAR, LAST_YEAR, is_code
from palmares.importer.plan import (
    ApplyError,
    OutsideSource,
    Plan,
    apply,
    diff,
    plan_import,
    summary,
    unquoted,
    write_file,
)
from palmares.importer.resolve import Resolver, existing_files, named
from palmares.importer.table import Line, TableError
from palmares.importer.yamledit import new_file_text, new_path
from palmares.territory import DEPARTEMENTS, code_written
from palmares.text import shown_path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

__all__ = ["Output", "Plan", "apply", "diff", "plan_import", "run_import", "run_new", "summary"]


@dataclass
class Output:
    out: TextIO
    err: TextIO
    colour: bool = False
    paint: dict[str, str] = field(default_factory=lambda: {"+": "32", "-": "31", "@": "36"})

    def diff(self, text: str) -> None:
        for line in text.splitlines():
            code = self.paint.get(line[:1]) if self.colour else None
            if line.startswith(("+++", "---")):
                code = "1" if self.colour else None
            print(f"\033[{code}m{line}\033[0m" if code else line, file=self.out)


def run_import(
    source: Path,
    table: Path,
    edition: int,
    *,
    apply_changes: bool,
    skip_unresolved: bool,
    output: Output,
    geography: Geography,
) -> int:
    if not FIRST_YEAR <= edition <= LAST_YEAR:
        print(
            f"palmares : --edition {edition} : une année de {FIRST_YEAR} à {LAST_YEAR}",
            file=output.err,
        )
        return EXIT_USAGE
    if not table.is_file():
        if table.is_dir():
            what = f"{shown_path(table)} est un dossier"
        elif table.exists():
            what = f"{shown_path(table)} n'est pas un fichier"
        else:
            what = f"le fichier {shown_path(table)} n'existe pas"
        print(
            f"palmares : {what} : donnez le tableau du palmarès, en .csv ou .xlsx", file=output.err
        )
        return EXIT_USAGE
    try:
        plan = plan_import(table, source, edition, geography)
    except TableError as err:
        print(f"palmares : {err}", file=output.err)
        return EXIT_USAGE
    for problem in plan.problems:
        print(str(problem), file=output.err)
    output.diff(diff(plan))
    writes = apply_changes and (not plan.problems or skip_unresolved)
    if writes:
        try:
            apply(plan, source)
        except ApplyError as err:
            print(f"palmares : {err}", file=output.err)
            return EXIT_PROBLEMS
    for line in summary(plan, applied=writes, skip_unresolved=skip_unresolved):
        print(line, file=output.out)
    return EXIT_PROBLEMS if plan.problems else EXIT_OK


def _codes_of(geography: Geography, written: str, shown: int = 6) -> str:
    """When `written` is a name of the list, the command to give for each collectivité it
    names (the first `shown`)."""
    found = named(geography, written.strip()) if written.strip() else []
    if not found:
        return ""
    commands = [
        f"{o.nom_usuel} ({', '.join(DEPARTEMENTS[d].nom for d in o.departements)}) : "
        f"`python build.py new {o.code}`"
        for o in found[:shown]
    ]
    if len(found) == 1:
        return f" ; c'est le nom de {commands[0]}"
    more = f" ; et {len(found) - shown} autres" if len(found) > shown else ""
    return f" ; ce nom est celui de {len(found)} collectivités : {' ; '.join(commands)}{more}"


def run_new(
    source: Path, code: str, *, output: Output, geography: Geography, year: int | None = None
) -> int:
    """`new CODE`: the file of a collectivité from the official list, ready for its first label."""
    written, code = code, code_written(code.strip())
    if not is_code(code):
        print(
            f"palmares : « {shown_path(written)} » n'est ni un code INSEE (cinq caractères, par exemple "
            f"59378 ou 2A004) ni un SIREN (neuf chiffres){_codes_of(geography, written)}",
            file=output.err,
        )
        return EXIT_USAGE
    official = geography.get(code)
    if official is None:  # the argument names nothing: a usage mistake, not the content's
        line = Line(0, code, None, None, 3, None, ())
        message = Resolver(geography, {}).unknown(line, code)
        print(f"palmares : {message}", file=output.err)
        return EXIT_USAGE
    existing, unreadable = existing_files(source)
    if unreadable:  # a file that cannot be read (a link out of the source) may be this one
        for problem in unreadable:
            print(f"{problem} (corrigez ce fichier d'abord : rien n'a été écrit)", file=output.err)
        return EXIT_PROBLEMS
    if code in existing:
        has = existing[code]
        print(
            f"{has.path}:{has.unquoted}: {unquoted(has)}"
            if has.unquoted
            else f"palmares : {official.nom_usuel} a déjà son fichier : {has.path}",
            file=output.err,
        )
        return EXIT_PROBLEMS
    rel = new_path(official, {e.path for e in existing.values()}, source)
    if os.path.lexists(source / rel):  # a file of another collectivité, or a broken link
        print(f"palmares : {rel} existe déjà : rien n'a été écrit", file=output.err)
        return EXIT_PROBLEMS
    try:
        write_file(source, rel, new_file_text(official, year or dt.date.today().year))
    except OutsideSource as err:
        print(f"palmares : {err}", file=output.err)
        return EXIT_PROBLEMS
    print(f"{rel} : {official.nom_usuel}, prêt pour son premier label (`labels:`)", file=output.out)
    return EXIT_OK
