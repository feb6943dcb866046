"""The jury's table: CSV (comma or semicolon, UTF-8 with or without BOM) or .xlsx → lines.

Columns are recognised whatever their case and accents: `code`, or `nom` with `departement`;
`arobases` (`3`, `3 @`, `@@@`); optional `mention` and `distinctions` (separated by `;`).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from palmares.content import hygiene
from palmares.content.meant import arobases_written
from palmares.content.read import UTF16_BOMS
from palmares.content.validate import MAX_TEXT
from palmares.problems import Problem, Severity
from palmares.territory import code_written, departement_written
from palmares.text import words


class TableError(Exception):
    """The file cannot be read as a table at all: a usage error, not a content problem."""


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    """The spreadsheet's own row number, as the editor sees it (the header is row 1)."""
    cells: tuple[Any, ...]


def read_table(path: Path, name: str) -> tuple[list[Row], list[Problem], str]:
    """Every non-empty row of the table, header included, and how to name where they are:
    `name`, or for a workbook whose table is not on its first sheet, `name` and the sheet
    (« jury.xlsx (feuille Palmarès) »)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, name)
    if suffix in (".csv", ".txt", ".tsv"):
        return *_read_csv(path.read_bytes(), name), name
    raise TableError(
        f"{name} : format non reconnu ({suffix or 'sans extension'}) ; enregistrez le tableau "
        "en .xlsx ou en « CSV UTF-8 » (séparateur virgule ou point-virgule)"
    )


def _read_csv(raw: bytes, name: str) -> tuple[list[Row], list[Problem]]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    # UTF-16 with its byte order mark: what Excel writes as « Texte Unicode (*.txt) », the
    # cells separated by tabs.
    encoding = "utf-16" if raw.startswith(UTF16_BOMS) else "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1 if encoding == "utf-8" else 0
        what = "n'est pas en UTF-8" if encoding == "utf-8" else "est un UTF-16 abîmé"
        return [], [
            Problem(
                name,
                line,
                0,
                f"le fichier {what} : dans le tableur, enregistrez-le en "
                "« CSV UTF-8 (délimité par des virgules) », ou en .xlsx",
            )
        ]
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append(Row(start, tuple(cells)))
            start = reader.line_num + 1
    except csv.Error as err:  # a cell over the reader's limit (131 072 characters)
        return [], [
            Problem(
                name,
                start,
                0,
                f"cette ligne ne se lit pas comme un tableau ({err}) : une cellule de plus de "
                "100 000 caractères, ou un guillemet jamais refermé ? Corrigez-la dans le tableur",
            )
        ]
    return rows, []


def _read_xlsx(path: Path, name: str) -> tuple[list[Row], list[Problem], str]:
    """The rows of the first sheet that has a header (the jury's workbook may open on a
    « Lisez-moi »), else of the first sheet, the problem of each row whose formulas have no
    result stored (`_unsaved_formulas`), and how to name where they are."""
    import zipfile
    from xml.etree.ElementTree import ParseError

    import openpyxl

    # A damaged file fails when opened or only when its rows are read (its XML cut short).
    unreadable = (zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except unreadable as err:
        raise TableError(f"{name} : ce n'est pas un classeur .xlsx lisible ({err})") from err
    try:
        sheets = ((sheet, *_width(sheet)) for sheet in book.worksheets)  # measured as needed
        first = next(sheets, None)
        if first is None:
            return [], [], name
        sheet, width, _ = first if first[2] else next((s for s in sheets if s[2]), first)
        rows = sheet.iter_rows(max_col=width, values_only=True)
        where = name if sheet is first[0] else f"{name} (feuille {sheet.title})"
        filled = [
            Row(number, tuple(cells)) for number, cells in enumerate(rows, 1) if _filled(cells)
        ]
        empty = {
            (row.line, column)
            for row in filled
            for column, cell in enumerate(row.cells, 1)
            if cell is None
        }
        unsaved = _unsaved_formulas(path, sheet.title, width, empty, where) if empty else []
        return filled, unsaved, where
    except unreadable as err:
        raise TableError(f"{name} : ce n'est pas un classeur .xlsx lisible ({err})") from err
    finally:
        book.close()


def _unsaved_formulas(
    path: Path, title: str, width: int, empty: set[tuple[int, int]], where: str
) -> list[Problem]:
    """The rows where a cell read as empty (`empty`: row, column) is a formula whose result
    the workbook does not store: a workbook written by a program rather than saved by a
    spreadsheet, whose formulas openpyxl cannot compute."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        found = []
        for number, cells in enumerate(book[title].iter_rows(max_col=width, values_only=True), 1):
            formulas = [
                (column, cell)
                for column, cell in enumerate(cells, 1)
                if (number, column) in empty and isinstance(cell, str) and cell.startswith("=")
            ]
            if formulas:
                column, formula = formulas[0]
                found.append(
                    Problem(
                        where,
                        number,
                        0,
                        f"la cellule {get_column_letter(column)}{number} contient une formule "
                        f"(`{formula[:40]}`) dont le classeur n'a pas gardé le résultat (il a été "
                        "écrit par un programme, pas enregistré par un tableur) : ouvrez-le dans "
                        "LibreOffice ou Excel, enregistrez-le, puis relancez l'import",
                    )
                )
        return found
    finally:
        book.close()


def _width(sheet: Any) -> tuple[int, bool]:
    """How many columns to read, and whether the sheet has a header (the first row naming
    the columns, in the first HEADER_SEARCH filled rows): its columns, else up to the last
    filled cell of these rows. The sheet's own extent is no measure: it reaches Excel's last
    column (XFD, 16 384) and row (1 048 576) once a whole row or column was formatted or a
    note left far away, and every row read that wide cost a quarter of a second per
    thousand (the import of a 5 KB file took four and a half minutes)."""
    widest = seen = 0
    for number, cells in enumerate(sheet.iter_rows(values_only=True), 1):
        if cells.count(None) == len(cells) or not _filled(cells):
            continue
        columns = _columns(Row(number, cells))
        if not _missing_columns(columns):
            return max(columns.values()) + 1, True
        widest = max(widest, max(i for i, cell in enumerate(cells) if _filled((cell,))) + 1)
        seen += 1
        if seen == HEADER_SEARCH:
            break
    return max(widest, 1), False


def _filled(cells: Sequence[Any]) -> bool:
    return any(cell is not None and str(cell).strip() for cell in cells)


Column = Literal["code", "nom", "departement", "arobases", "mention", "distinctions"]

# Headers as folded words (`words`), then the column they name; None for codes that are not
# a collectivité's, which a table may hold beside the names (postal codes, régions): read as
# the `code`, every line would be refused (or, without its name, be another commune).
_HEADERS: tuple[tuple[str, Column | None], ...] = (
    ("code postal", None),
    ("cp", None),
    ("code region", None),
    ("code reg", None),
    ("code", "code"),
    ("insee", "code"),
    ("siren", "code"),
    ("nom", "nom"),
    ("collectivite", "nom"),
    ("commune", "nom"),
    ("libelle", "nom"),
    ("territoire", "nom"),
    ("departement", "departement"),
    ("dept", "departement"),
    ("dep", "departement"),
    ("dpt", "departement"),
    ("arobase", "arobases"),
    ("nombre d arobase", "arobases"),
    ("nb arobase", "arobases"),
    ("nombre de arobase", "arobases"),
    ("nb d arobase", "arobases"),
    ("label", "arobases"),
    ("mention", "mention"),
    ("prix", "mention"),
    ("distinction", "distinctions"),
)


def column_of(header: Any) -> Column | None:
    """The column a header names, whatever its case and accents (`Département`, `CODE INSEE`,
    `Nombre d'arobases`, `@`, `Nombre d'@`); None for a column the import does not read
    (`Code postal`, `Population`)."""
    text = "" if header is None else str(header).strip()
    if "@" in text:  # `@`, `Nombre d'@`, `Nb @`, `@ obtenus`
        return "arobases"
    folded = words(text)
    if folded.startswith("code dep") or folded.startswith("n dep") or folded.startswith("num"):
        return "departement"
    for start, column in _HEADERS:
        if folded == start or folded.startswith(f"{start} ") or folded.startswith(f"{start}s"):
            return column
    return None


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the jury's table, read but not yet resolved."""

    number: int
    code: str | None
    nom: str | None
    departement: str | None
    arobases: int
    mention: str | None
    distinctions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    lines: tuple[Line, ...]
    problems: tuple[Problem, ...]
    columns: frozenset[Column]
    """The optional columns present: without `mention`, an existing mention is kept."""
    read: int = 0
    """The rows under the header, each a line or a problem: 0 when the table as a whole is
    refused (empty, or its columns missing), its one problem then the table's."""


HEADER_SEARCH = 10
"""How many rows may stand above the header (a title, a date, a blank line)."""


def parse_lines(rows: Sequence[Row], name: str) -> Table:
    if not rows:
        message = (
            "le tableau est vide : il faut une ligne d'en-tête (les noms des colonnes), puis "
            "une ligne par collectivité labellisée"
        )
        return Table((), (Problem(name, 0, 0, message),), frozenset())
    # The header is the first row naming the columns: a title row may come before it.
    start = next(
        (n for n, row in enumerate(rows[:HEADER_SEARCH]) if not _missing_columns(_columns(row))),
        0,
    )
    header, *body = rows[start:]
    columns = _columns(header)
    missing = _missing_columns(columns)
    if missing:
        found = ", ".join(f"« {cell} »" for cell in header.cells if cell not in (None, ""))
        return Table(
            (),
            (Problem(name, header.line, 0, f"{missing} ; colonnes trouvées : {found}"),),
            frozenset(columns),
        )
    if not body:
        message = (
            "le tableau n'a que sa ligne d'en-tête : ajoutez une ligne par collectivité labellisée"
        )
        return Table((), (Problem(name, header.line, 0, message),), frozenset(columns))
    lines: list[Line] = []
    problems: list[Problem] = []
    for row in body:
        line, problem = _line(row, columns, name)
        if problem is not None:
            problems.append(problem)
        elif line is not None:
            lines.append(line)
    return Table(tuple(lines), tuple(problems), frozenset(columns), len(body))


def _columns(header: Row) -> dict[Column, int]:
    columns: dict[Column, int] = {}
    for index, cell in enumerate(header.cells):
        column = column_of(cell)
        if column is not None and column not in columns:
            columns[column] = index
    return columns


def _missing_columns(columns: dict[Column, int]) -> str | None:
    if "arobases" not in columns:
        return "la colonne `arobases` manque (le nombre d'@ : `3`, `3 @` ou `@@@`)"
    if "code" not in columns and not {"nom", "departement"} <= set(columns):
        return (
            "il faut une colonne `code` (code INSEE ou SIREN), ou les colonnes `nom` et "
            "`departement`"
        )
    return None


def _cell(row: Row, columns: dict[Column, int], column: Column) -> str:
    index = columns.get(column)
    if index is None or index >= len(row.cells):
        return ""
    value = row.cells[index]
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def _line(row: Row, columns: dict[Column, int], name: str) -> tuple[Line | None, Problem | None]:
    def problem(message: str) -> tuple[None, Problem]:
        return None, Problem(name, row.line, 0, message)

    code = code_written(_cell(row, columns, "code")) or None
    nom = _cell(row, columns, "nom") or None
    refused = _refused_text(row, columns)
    if refused is not None:
        return problem(refused)
    dept_text = _cell(row, columns, "departement")
    departement = departement_written(dept_text) if dept_text else None
    if dept_text and departement is None:
        return problem(f"département inconnu « {dept_text} » : écrivez son numéro, par exemple 59")
    if code is None and (nom is None or departement is None):
        return problem(
            "la ligne ne dit pas quelle collectivité : donnez son `code`, ou son `nom` "
            "et son `departement`"
        )
    text = _cell(row, columns, "arobases")
    arobases = arobases_written(text)
    if arobases is None:
        return problem(
            f"`arobases` : « {text} » n'est pas un nombre d'@ ; écrivez `3`, `3 @` ou `@@@`"
        )
    mention = _cell(row, columns, "mention") or None
    if not 0 <= arobases <= 5:
        return problem(f"`arobases` : {arobases} @ n'existe pas ; le label va de 1 à 5 @")
    if arobases == 0 and mention is None:
        return problem("`arobases` : 0 @ n'existe que pour la mention simple ; donnez la `mention`")
    distinctions = tuple(
        part.strip() for part in _cell(row, columns, "distinctions").split(";") if part.strip()
    )
    return Line(row.line, code, nom, departement, arobases, mention, distinctions), None


def _refused_text(row: Row, columns: dict[Column, int]) -> str | None:
    """What check would refuse in the texts the import writes (content/hygiene.py): a name a
    spreadsheet takes for a formula (`=HYPERLINK(…)`), control or invisible characters."""
    nom = _cell(row, columns, "nom")
    if nom.startswith(hygiene.FORMULA_START):
        return (
            f"`nom` : « {nom} » commence par « {nom[0]} », comme une formule de tableur : "
            "écrivez le nom de la collectivité lui-même"
        )
    for column in ("nom", "mention", "distinctions"):
        text = _cell(row, columns, column)
        for message, severity in hygiene.value_problems(text, f"`{column}`", name=column == "nom"):
            if severity is Severity.ERROR:
                return message
        # Distinctions are one cell, `;` between them: each is a text of the file.
        for part in text.split(";") if column == "distinctions" else [text]:
            if len(part.strip()) > MAX_TEXT:
                return hygiene.too_long(
                    part.strip(), f"`{column}`", MAX_TEXT, "raccourcissez-le dans le tableau"
                )
    return None
