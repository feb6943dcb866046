"""`import` and `new`: the jury's spreadsheet of a whole edition into communes/, as an editor
runs them, on real projects in tmp_path.

tests/fixtures/import/ holds the project before the import (`before/`), the jury's table of
the 2018 edition as a French spreadsheet exports it (`jury-2018.csv`: semicolons, BOM, CRLF,
names as the press spells them, one line naming nothing), and the project after it
(`after/`), each file written out whole. To regenerate `after/` after a deliberate change,
copy `before/` to `after/` and run
`python build.py import tests/fixtures/import/jury-2018.csv --edition 2018
--source tests/fixtures/import/after --apply --skip-unresolved`, then read the diff.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from palmares.cli import main
from palmares.importer.table import column_of
from palmares.importer.yamledit import LabelValues, set_label
from palmares.pipeline import check

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
TABLE = FIXTURES / "jury-2018.csv"

UNRESOLVED = (
    "jury-2018.csv:9: aucune collectivité nommée « Saint-Machin » dans le département 59 "
    "(Nord) ; vouliez-vous dire : Saint-Aubin (code 59529) ?"
)
SUMMARY = [
    "Édition 2018 : 8 lignes lues dans {name}",
    "  ligne 2 : « Marcq-en-Baroeul » lu comme Marcq-en-Barœul (59, code 59378)",
    "  ligne 3 : « Villeneuve-D'Ascq » lu comme Villeneuve-d'Ascq (59, code 59009)",
    "  ligne 5 : « St-Denis » lu comme Saint-Denis (93, code 93066)",
    "  ligne 6 : « CA La Riviera du Levant » lu comme Communauté d'agglomération "
    "La Riviéra du Levant (971, code 200041507)",
    "  3 nouvelles collectivités : Villeneuve-d'Ascq (59009), Saint-Denis (93066), "
    "Saint-Denis (97411)",
    "  2 labels ajoutés : Marcq-en-Barœul (59378), Communauté d'agglomération "
    "La Riviéra du Levant (200041507)",
    "  1 label modifié : Ivry-sur-Seine (94041)",
    "  1 label déjà à jour",
    "  1 ligne non résolue",
]


def tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def project(tmp_path: Path) -> Path:
    source = tmp_path / "depot"
    shutil.copytree(FIXTURES / "before", source)
    return source


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def xlsx_from_csv(csv_path: Path, xlsx_path: Path) -> Path:
    """The same table as a workbook, with numbers where a spreadsheet keeps numbers."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle, delimiter=";"):
            sheet.append([int(cell) if cell.isdigit() else (cell or None) for cell in row])
    book.save(xlsx_path)
    return xlsx_path


# ---------------------------------------------------------------------------------------
# A whole edition


def test_dry_run_prints_a_diff_and_a_summary_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project(tmp_path)
    before = tree(source)
    code, out, err = run(capsys, "import", str(TABLE), "--edition", "2018", "--source", str(source))
    assert code == 1
    assert err.splitlines() == [UNRESOLVED]
    assert tree(source) == before
    diff, _, summary = out.partition("Édition 2018")
    assert ("Édition 2018" + summary).splitlines() == [
        *[line.format(name="jury-2018.csv") for line in SUMMARY],
        "Rien n'a été écrit : corrigez le tableau (ou relancez avec --skip-unresolved pour "
        "importer les autres lignes).",
    ]
    headers = [line for line in diff.splitlines() if line.startswith(("---", "+++"))]
    assert headers == [
        "--- a/communes/59/marcq-en-baroeul.yaml",
        "+++ b/communes/59/marcq-en-baroeul.yaml",
        "--- /dev/null",
        "+++ b/communes/59/villeneuve-d-ascq.yaml",
        "--- /dev/null",
        "+++ b/communes/93/saint-denis.yaml",
        "--- a/communes/94/ivry-sur-seine.yaml",
        "+++ b/communes/94/ivry-sur-seine.yaml",
        "--- a/communes/971/la-riviera-du-levant.yaml",
        "+++ b/communes/971/la-riviera-du-levant.yaml",
        "--- /dev/null",
        "+++ b/communes/974/saint-denis.yaml",
    ]
    # The label changed reads as one line out, one line in, with its context.
    assert (
        "@@ -8,4 +8,4 @@\n"
        "   distinctions: ['Mention gouvernement ouvert']\n"
        " # 2018 : relu par le jury le 12 décembre\n"
        " - annee: 2018\n"
        "-  arobases: 3\n"
        "+  arobases: 4\n"
    ) in diff
    assert "\033[" not in out + err  # no colour in a pipe


def test_an_unresolved_line_blocks_apply(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project(tmp_path)
    before = tree(source)
    args = ("import", str(TABLE), "--edition", "2018", "--source", str(source), "--apply")
    code, out, err = run(capsys, *args)
    assert code == 1
    assert err.splitlines() == [UNRESOLVED]
    assert out.splitlines()[-1].startswith("Rien n'a été écrit")
    assert tree(source) == before


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_whole_edition_changes_exactly_the_expected_files_and_a_second_run_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    source = project(tmp_path)
    table = TABLE if kind == "csv" else xlsx_from_csv(TABLE, tmp_path / "jury-2018.xlsx")
    args = ("import", str(table), "--edition", "2018", "--source", str(source))
    modes = {path: path.stat().st_mode & 0o777 for path in (source / "communes").rglob("*.yaml")}
    code, out, err = run(capsys, *args, "--apply", "--skip-unresolved")
    assert code == 1  # one line was left out: a script notices
    assert err.splitlines() == [UNRESOLVED.replace("jury-2018.csv", table.name)]
    assert out.splitlines()[-len(SUMMARY) - 1 :] == [
        *[line.format(name=table.name) for line in SUMMARY],
        "6 fichiers écrits ; les lignes non résolues sont ignorées.",
    ]
    # Whole file texts: comments, key order, quotes, flow and block styles, the trailing
    # comment and the `- annee` indentation of each file are as before, plus the label.
    assert tree(source) == tree(FIXTURES / "after")
    # A file changed keeps its mode (whatever the checkout gave it); a new one has the
    # mode any new file gets here.
    for path in (source / "communes").rglob("*.yaml"):
        assert path.stat().st_mode & 0o777 == modes.get(path, 0o666 & ~current_umask())

    code, out, err = run(capsys, *args, "--apply", "--skip-unresolved")
    assert code == 1
    assert "---" not in out
    assert out.splitlines()[-2:] == [
        "  1 ligne non résolue",
        "Rien à changer : les lignes résolues sont déjà à jour.",
    ]
    assert tree(source) == tree(FIXTURES / "after")
    assert check(source).errors == []


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_expected_files_pass_check_without_warnings(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "after", tmp_path / "after")
    assert check(tmp_path / "after").problems == []


def test_comma_csv_without_bom_codes_only_and_lost_leading_zeros(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project(tmp_path)
    table = tmp_path / "palmares.csv"
    # Excel turned the code 01004 into the number 1004; the mention holds a comma.
    table.write_text(
        'CODE,Arobases,Mention\n1004,0,"Mention simple, première participation"\n',
        encoding="utf-8",
    )
    args = ("import", str(table), "--edition", "2001", "--source", str(source), "--apply")
    code, out, err = run(capsys, *args)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "1 fichier écrit."
    assert (source / "communes/01/amberieu-en-bugey.yaml").read_text(encoding="utf-8") == (
        "# Ambérieu-en-Bugey (Ain)\n"
        'code: "01004"\n'
        "nom: Ambérieu-en-Bugey\n"
        "type: commune\n"
        'departement: "01"\n'
        "population: 15934\n"
        "labels:\n"
        "  - annee: 2001\n"
        "    arobases: 0\n"
        "    mention: Mention simple, première participation\n"
    )
    assert check(source).errors == []


def test_excel_unicode_text_utf16_with_tabs_imports_as_the_csv_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Excel's « Texte Unicode (*.txt) » is UTF-16 with tabs: it was refused as « pas en
    UTF-8 », though nothing in it is ambiguous."""
    written = []
    for name, data in (
        ("csv", b"CODE,Arobases\r\n1004,3\r\n"),
        ("txt", "\ufeffCODE\tArobases\r\n1004\t3\r\n".encode("utf-16-le")),
    ):
        source = project(tmp_path / name)
        table = tmp_path / f"palmares.{name}"
        table.write_bytes(data)
        args = ("import", str(table), "--edition", "2001", "--source", str(source), "--apply")
        code, _out, err = run(capsys, *args)
        assert (code, err) == (0, "")
        written.append(tree(source / "communes"))
    assert written[0] == written[1]
    assert "  - annee: 2001\n    arobases: 3\n" in written[1]["01/amberieu-en-bugey.yaml"].decode()


def test_new_intercommunalite_from_its_usual_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project(tmp_path)
    table = tmp_path / "t.csv"
    table.write_text(
        "nom;departement;arobases\nMétropole européenne de Lille;59;@@@@@\n", encoding="utf-8"
    )
    code, _, err = run(
        capsys, "import", str(table), "--edition", "2019", "--source", str(source), "--apply"
    )
    assert (code, err) == (0, "")
    assert (source / "communes/59/metropole-europeenne-de-lille.yaml").read_text(
        encoding="utf-8"
    ) == (
        "# Métropole Européenne de Lille (Nord)\n"
        'code: "200093201"\n'
        "nom: Métropole Européenne de Lille\n"
        "type: intercommunalite\n"
        'departement: "59"\n'
        "population: 1194040\n"
        "labels:\n"
        "  - annee: 2019\n"
        "    arobases: 5\n"
    )


def test_a_name_as_the_existing_file_spells_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The file still has the name before the rename to Montreuil-sur-Mer; so does the jury.
    source = project(tmp_path)
    (source / "communes/62").mkdir()
    (source / "communes/62/montreuil.yaml").write_text(
        'code: "62588"\nnom: Montreuil\ndepartement: "62"\nlabels:\n  - annee: 2010\n'
        "    arobases: 2\n",
        encoding="utf-8",
    )
    table = tmp_path / "t.csv"
    table.write_text("nom;departement;arobases\nMontreuil;62;3\n", encoding="utf-8")
    args = ("import", str(table), "--edition", "2018", "--source", str(source), "--apply")
    assert run(capsys, *args)[0] == 0
    assert (
        (source / "communes/62/montreuil.yaml")
        .read_text(encoding="utf-8")
        .endswith("  - annee: 2010\n    arobases: 2\n  - annee: 2018\n    arobases: 3\n")
    )


def test_a_column_of_postal_codes_is_left_aside_for_the_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Read as the INSEE code, 62000 would have refused the line (or, without its name,
    # labelled another commune); the number of @ comes under a header with an @.
    source = project(tmp_path)
    table = tmp_path / "t.csv"
    table.write_text("Nom;Code postal;Département;Nombre d’@\nArras;62000;62;3\n", encoding="utf-8")
    args = ("import", str(table), "--edition", "2018", "--source", str(source), "--apply")
    code, out, err = run(capsys, *args)
    assert (code, err) == (0, "")
    assert "1 nouvelle collectivité : Arras (62041)" in out
    written = (source / "communes/62/arras.yaml").read_text(encoding="utf-8")
    assert 'code: "62041"' in written and "annee: 2018\n    arobases: 3\n" in written


# ---------------------------------------------------------------------------------------
# Lines that name nothing, or several things


def problems_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, *, edition: str = "2018"
) -> list[str]:
    source = project(tmp_path)
    before = tree(source)
    table = tmp_path / "t.csv"
    table.write_text(text, encoding="utf-8")
    code, _, err = run(
        capsys, "import", str(table), "--edition", edition, "--source", str(source), "--apply"
    )
    assert code == 1
    assert tree(source) == before
    return err.splitlines()


def test_a_name_two_communes_share_in_the_departement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert problems_of(tmp_path, capsys, "nom;departement;arobases\nBois Pargny;02;2\n") == [
        "t.csv:2: « Bois Pargny » désigne plusieurs collectivités dans le département 02 "
        "(Aisne) : Bois-lès-Pargny (code 02096); Pargny-les-Bois (code 02591) ; ajoutez la "
        "colonne `code` pour dire laquelle"
    ]


def test_a_name_is_looked_for_in_its_departement_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert problems_of(tmp_path, capsys, "nom;departement;arobases\nMarcq-en-Barœul;62;2\n") == [
        "t.csv:2: aucune collectivité nommée « Marcq-en-Barœul » dans le département 62 "
        "(Pas-de-Calais)"
    ]


def test_a_shortened_name_and_a_commune_deleguee_get_candidates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "nom;departement;arobases\nMontreuil;62;2\nBéon;01;1\n"
    assert problems_of(tmp_path, capsys, text) == [
        "t.csv:2: aucune collectivité nommée « Montreuil » dans le département 62 "
        "(Pas-de-Calais) ; vouliez-vous dire : Montreuil-sur-Mer (code 62588); Noreuil (code 62619) ?",
        "t.csv:3: aucune collectivité nommée « Béon » dans le département 01 (Ain) ; "
        "vouliez-vous dire : Béon est une commune déléguée ou associée de Culoz-Béon "
        "(code 01138); Bény (code 01038) ?",
    ]


def test_codes_that_name_nothing_or_someone_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "code;nom;departement;arobases\n"
        "59387;Marcq-en-Baroeul;59;2\n"  # two digits swapped
        "59738;Marcq-en-Baroeul;59;2\n"
        "01039;;;1\n"
        "13201;;;1\n"
        "59378;;62;1\n"
    )
    assert problems_of(tmp_path, capsys, text) == [
        "t.csv:2: le code « 59387 » est celui de Marquette-en-Ostrevant, pas de "
        "« Marcq-en-Baroeul » ; « Marcq-en-Baroeul » est Marcq-en-Barœul (code 59378) : "
        "corrigez le code ou le nom",
        "t.csv:3: le code « 59738 » n'existe pas dans la liste officielle, millésime 2026 ; "
        "« Marcq-en-Baroeul » : Marcq-en-Barœul (code 59378)",
        "t.csv:4: le code « 01039 » (Béon) a disparu dans une fusion : la commune nouvelle "
        "est Culoz-Béon (code « 01138 ») ; écrivez son code",
        "t.csv:5: « 13201 » est le code de Marseille 1er Arrondissement, un arrondissement "
        "municipal : écrivez celui de la commune, « 13055 »",
        "t.csv:6: Marcq-en-Barœul (code « 59378 ») n'est pas dans le département 62 "
        "(Pas-de-Calais) mais 59 : corrigez le code ou le département",
    ]


def test_bad_cells_and_a_collectivite_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "code;arobases;mention\n59378;6;\n59378;trois;\n59378;0;\n59009;2;\n59009;3;\n;3;\n"
    assert problems_of(tmp_path, capsys, text) == [
        "t.csv:2: `arobases` : 6 @ n'existe pas ; le label va de 1 à 5 @",
        "t.csv:3: `arobases` : « trois » n'est pas un nombre d'@ ; écrivez `3`, `3 @` ou `@@@`",
        "t.csv:4: `arobases` : 0 @ n'existe que pour la mention simple ; donnez la `mention`",
        "t.csv:6: Villeneuve-d'Ascq (code « 59009 ») figure déjà ligne 5 : une collectivité "
        "n'a qu'un label par édition",
        "t.csv:7: la ligne ne dit pas quelle collectivité : donnez son `code`, ou son `nom` "
        "et son `departement`",
    ]


def test_missing_columns_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert problems_of(tmp_path, capsys, "Nom;Arobases\nLille;3\n") == [
        "t.csv:1: il faut une colonne `code` (code INSEE ou SIREN), ou les colonnes `nom` et "
        "`departement` ; colonnes trouvées : « Nom », « Arobases »"
    ]


def test_a_folder_or_an_empty_table_is_named_as_such(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder given for the table was said not to exist, and an empty CSV's summary read
    « 1 ligne lue », « 1 ligne non résolue » (an audit); a table of its header alone said
    « tout est déjà à jour » and exited 0."""
    source = project(tmp_path)
    before = tree(source)
    folder = tmp_path / "jury"
    folder.mkdir()
    args = ("--edition", "2018", "--source", str(source), "--apply")
    code, out, err = run(capsys, "import", str(folder), *args)
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"palmares : {folder} est un dossier : donnez le tableau du palmarès, en .csv ou .xlsx"
    ]
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    code, out, err = run(capsys, "import", str(empty), *args)
    assert code == 1
    assert err.splitlines() == [
        "vide.csv: le tableau est vide : il faut une ligne d'en-tête (les noms des colonnes), "
        "puis une ligne par collectivité labellisée"
    ]
    assert out.splitlines() == [
        "Édition 2018 : 0 ligne lue dans vide.csv",
        "Rien n'a été écrit : corrigez le tableau.",
    ]
    header = tmp_path / "entete.csv"
    header.write_text("Code INSEE;Arobases\n\n", encoding="utf-8")
    code, out, err = run(capsys, "import", str(header), *args)
    assert code == 1
    assert err.splitlines() == [
        "entete.csv:1: le tableau n'a que sa ligne d'en-tête : ajoutez une ligne par "
        "collectivité labellisée"
    ]
    assert out.splitlines()[0] == "Édition 2018 : 0 ligne lue dans entete.csv"
    assert tree(source) == before


def test_a_latin1_csv_is_refused_with_the_way_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project(tmp_path)
    table = tmp_path / "t.csv"
    table.write_bytes("code;arobases\n59378;3\n# Écully\n".encode("latin-1"))
    code, _, err = run(capsys, "import", str(table), "--edition", "2018", "--source", str(source))
    assert code == 1
    assert err.splitlines() == [
        "t.csv:3: le fichier n'est pas en UTF-8 : dans le tableur, enregistrez-le en "
        "« CSV UTF-8 (délimité par des virgules) », ou en .xlsx"
    ]


def first_sheet(*rows: list[object]) -> tuple[openpyxl.Workbook, Any]:
    """A workbook whose first sheet holds `rows`."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    return book, sheet


def import_2018(
    capsys: pytest.CaptureFixture[str], table: Path, source: Path
) -> tuple[int, str, str]:
    """`import TABLE --edition 2018 --source SOURCE`, without --apply."""
    return run(capsys, "import", str(table), "--edition", "2018", "--source", str(source))


def test_title_rows_above_the_header_and_spreadsheet_row_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project(tmp_path)
    book, _ = first_sheet(
        ["Palmarès 2018 des Territoires, Villes et Villages Internet"],
        [],
        ["Nom", "Dpt", "@"],
        ["Marcq-en-Baroeul", 59, 5],
        ["Marcq-en-Baroeul", 62, 5],
    )
    book.save(tmp_path / "jury.xlsx")
    code, out, err = import_2018(capsys, tmp_path / "jury.xlsx", source)
    assert code == 1
    assert err.splitlines() == [
        "jury.xlsx:5: aucune collectivité nommée « Marcq-en-Baroeul » dans le département 62 "
        "(Pas-de-Calais)"
    ]
    assert out.splitlines()[0] == "--- a/communes/59/marcq-en-baroeul.yaml"


def test_a_sheet_that_reaches_excel_s_last_column_is_read_as_wide_as_its_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A note left far away (or a whole row formatted once) stretches the sheet to Excel's
    # last column: every row was read 16 384 cells wide, and the import of a 5 KB file
    # took four and a half minutes. The columns are the header's.
    from palmares.importer.table import read_table

    source = project(tmp_path)
    book, sheet = first_sheet(["Palmarès 2018"], ["Code", "Arobases"], ["59378", 4])
    sheet.cell(row=3000, column=16384, value="note : vérifier Marcq")
    sheet.cell(row=3000, column=16384).font = openpyxl.styles.Font(bold=True)
    book.save(tmp_path / "jury.xlsx")
    rows, problems, _ = read_table(tmp_path / "jury.xlsx", "jury.xlsx")
    assert problems == []
    assert [(row.line, row.cells) for row in rows] == [
        (1, ("Palmarès 2018", None)),
        (2, ("Code", "Arobases")),
        (3, ("59378", 4)),
    ]
    code, out, err = import_2018(capsys, tmp_path / "jury.xlsx", source)
    assert (code, err) == (0, "")
    assert "+  - annee: 2018\n+    arobases: 4" in out


def test_formulas_whose_result_the_workbook_does_not_store_stop_the_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A workbook written by a program (openpyxl here) stores a formula without its result:
    # read as empty, the number of @ was « manquant » and a mention silently left out.
    import zipfile

    from palmares.importer.table import read_table

    source = project(tmp_path)
    book, _ = first_sheet(
        ["Nom", "Dpt", "@", "Mention"],
        ["Marcq-en-Barœul", 59, "=2+2", None],
        ["Marcq-en-Barœul", 59, 4, '=CONCATENATE("Prix ";"spécial")'],
    )
    book.save(tmp_path / "jury.xlsx")
    code, out, err = import_2018(capsys, tmp_path / "jury.xlsx", source)
    assert code == 1 and "Rien n'a été écrit" in out
    said = (
        "dont le classeur n'a pas gardé le résultat (il a été écrit par un programme, pas "
        "enregistré par un tableur) : ouvrez-le dans LibreOffice ou Excel, enregistrez-le, "
        "puis relancez l'import"
    )
    assert err.splitlines()[:2] == [
        f"jury.xlsx:2: la cellule C2 contient une formule (`=2+2`) {said}",
        f'jury.xlsx:3: la cellule D3 contient une formule (`=CONCATENATE("Prix ";"spécial")`) '
        f"{said}",
    ]
    # Saved by a spreadsheet, the workbook stores each result beside its formula: read.
    saved = tmp_path / "enregistre.xlsx"
    with zipfile.ZipFile(tmp_path / "jury.xlsx") as old, zipfile.ZipFile(saved, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<f>2+2</f><v />", b"<f>2+2</f><v>4</v>")
                data = data.replace(b"</f><v />", b"</f><v>Prix sp\xc3\xa9cial</v>")
                data = data.replace(b'<c r="D3">', b'<c r="D3" t="str">')
            new.writestr(item, data)
    rows, problems, _ = read_table(saved, "enregistre.xlsx")
    assert problems == []
    assert [row.cells[2:] for row in rows[1:]] == [(4, None), (4, "Prix spécial")]


def test_a_workbook_that_opens_on_another_sheet_is_read_from_the_table_s(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The jury's workbook opens on a « Lisez-moi »: the import said that the column
    # `arobases` was missing, and showed the note's text as the columns found.
    source = project(tmp_path)
    book, note = first_sheet(["Palmarès 2018 : voir la feuille Palmarès"])
    note.title = "Lisez-moi"
    table = book.create_sheet("Palmarès")
    table.append(["Code", "Arobases"])
    table.append(["59378", 4])
    table.append(["99999", 2])
    book.save(tmp_path / "jury.xlsx")
    code, out, err = import_2018(capsys, tmp_path / "jury.xlsx", source)
    assert code == 1
    assert err.splitlines()[0].startswith("jury.xlsx (feuille Palmarès):3: le code « 99999 »")
    assert "Édition 2018 : 2 lignes lues dans jury.xlsx (feuille Palmarès)" in out
    # A workbook without any header is still told about its first sheet.
    del book["Palmarès"]
    book.save(tmp_path / "jury.xlsx")
    code, out, err = import_2018(capsys, tmp_path / "jury.xlsx", source)
    assert code == 1
    assert err.startswith("jury.xlsx:1: la colonne `arobases` manque")


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Code INSEE", "code"),
        ("SIREN", "code"),
        ("Nom de la collectivité", "nom"),
        ("DÉPARTEMENT", "departement"),
        ("Dépt", "departement"),
        ("N° département", "departement"),
        ("@", "arobases"),
        ("Nombre d'arobases", "arobases"),
        ("Arobase", "arobases"),
        ("Mention spéciale", "mention"),
        ("Distinctions", "distinctions"),
        ("Nombre d’@", "arobases"),
        ("Nb @", "arobases"),
        ("@ obtenus", "arobases"),
        ("Nb d'arobases", "arobases"),
        ("Code postal", None),
        ("CP", None),
        ("Code région", None),
        ("Commentaire", None),
    ],
)
def test_columns_whatever_their_case_and_accents(header: str, column: str | None) -> None:
    assert column_of(header) == column


# ---------------------------------------------------------------------------------------
# One file edited in place


def label(annee: int, arobases: int, **extra: object) -> LabelValues:
    return LabelValues(annee, arobases, None, (), **extra)  # type: ignore[arg-type]


def test_label_between_two_years_keeps_the_comment_before_the_later_one() -> None:
    text = (
        "code: '59378'  # Marcq\n"
        "labels:\n"
        "  - annee: 2016\n"
        "    arobases: 3\n"
        "  # 2018 : relu par le jury\n"
        "  - annee: 2018\n"
        "    arobases: 4\n"
    )
    assert set_label(text, label(2017, 5)) == (
        "code: '59378'  # Marcq\n"
        "labels:\n"
        "  - annee: 2016\n"
        "    arobases: 3\n"
        "  - annee: 2017\n"
        "    arobases: 5\n"
        "  # 2018 : relu par le jury\n"
        "  - annee: 2018\n"
        "    arobases: 4\n",
        "added",
    )


def test_crlf_and_bom_survive() -> None:
    text = '\ufeffcode: "59378"\r\nlabels:\r\n  - annee: 2016\r\n    arobases: 3\r\n'
    assert set_label(text, label(2017, 4))[0] == (
        '\ufeffcode: "59378"\r\nlabels:\r\n  - annee: 2016\r\n    arobases: 3\r\n'
        "  - annee: 2017\r\n    arobases: 4\r\n"
    )


def test_mention_and_distinctions_follow_the_table_only_when_it_has_their_column() -> None:
    text = (
        "labels:\n"
        "  - annee: 2017\n"
        "    arobases: 3\n"
        "    mention: Prix spécial du jury\n"
        "    distinctions: [Mention gouvernement ouvert]\n"
    )
    kept = label(2017, 3, set_mention=False, set_distinctions=False)
    assert set_label(text, kept) == (text, "same")
    cleared = label(2017, 3)
    assert set_label(text, cleared) == ("labels:\n  - annee: 2017\n    arobases: 3\n", "changed")
    new = LabelValues(2017, 3, "Coup de cœur", ("Arobase verte", "Mention : ouverte"))
    assert set_label(text, new) == (
        "labels:\n"
        "  - annee: 2017\n"
        "    arobases: 3\n"
        "    mention: Coup de cœur\n"
        "    distinctions: [Arobase verte, 'Mention : ouverte']\n",
        "changed",
    )


# ---------------------------------------------------------------------------------------
# `new CODE`


def test_new_writes_a_file_ready_for_its_first_label(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project(tmp_path)
    code, out, err = run(capsys, "new", "200041507", "--source", str(tmp_path / "autre"))
    assert code == 2  # no such folder
    code, out, err = run(capsys, "new", "2A004", "--source", str(source))
    assert (code, err) == (0, "")
    assert out == "communes/2A/ajaccio.yaml : Ajaccio, prêt pour son premier label (`labels:`)\n"
    text = (source / "communes/2A/ajaccio.yaml").read_text(encoding="utf-8")
    year = text.split("# - annee: ")[1][:4]
    assert text == (
        "# Ajaccio (Corse-du-Sud)\n"
        'code: "2A004"\n'
        "nom: Ajaccio\n"
        "type: commune\n"
        'departement: "2A"\n'
        "population: 76320\n"
        "labels:\n"
        "  # Premier label : retirez les « # » des deux lignes suivantes et complétez.\n"
        f"  # - annee: {year}\n"
        "  #   arobases: 3\n"
    )
    # Until it has a label, `check` says what to add, at the place to add it.
    assert [str(p) for p in check(source).problems] == [
        "communes/2A/ajaccio.yaml:7:8: `labels` est vide : ajoutez au moins l'édition où la "
        "collectivité a été labellisée, deux lignes sous `labels:`, `  - annee: 2017` puis "
        "`    arobases: 3` (si ces lignes sont là en commentaire, comme `new` les prépare, "
        "retirez leurs « # » et complétez-les)"
    ]
    # The import fills the placeholder in.
    table = tmp_path / "t.csv"
    table.write_text("code;arobases\n2A004;@@\n", encoding="utf-8")
    code, _, err = run(
        capsys, "import", str(table), "--edition", "2019", "--source", str(source), "--apply"
    )
    assert (code, err) == (0, "")
    assert (source / "communes/2A/ajaccio.yaml").read_text(encoding="utf-8") == (
        "# Ajaccio (Corse-du-Sud)\n"
        'code: "2A004"\n'
        "nom: Ajaccio\n"
        "type: commune\n"
        'departement: "2A"\n'
        "population: 76320\n"
        "labels:\n"
        "  - annee: 2019\n"
        "    arobases: 2\n"
    )
    assert check(source).problems == []


def test_new_refuses_a_code_that_has_a_file_or_names_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project(tmp_path)
    before = tree(source)
    assert run(capsys, "new", "59378", "--source", str(source)) == (
        1,
        "",
        "palmares : Marcq-en-Barœul a déjà son fichier : communes/59/marcq-en-baroeul.yaml\n",
    )
    assert run(capsys, "new", "01039", "--source", str(source)) == (
        2,
        "",
        "palmares : le code « 01039 » (Béon) a disparu dans une fusion : la commune nouvelle "
        "est Culoz-Béon (code « 01138 ») ; écrivez son code\n",
    )
    # A code that names nothing, or is no code at all, is a mistake of the command line.
    assert run(capsys, "new", "99999", "--source", str(source))[0] == 2
    code, _out, err = run(capsys, "new", "abc", "--source", str(source))
    assert code == 2 and "« abc » n'est ni un code INSEE" in err
    # Shown as typed, an escape sequence (a stray paste) written out, never sent to the terminal.
    code, _out, err = run(capsys, "new", "59\x1b[2J", "--source", str(source))
    assert code == 2 and "« 59\\x1b[2J » n'est ni un code INSEE" in err and "\x1b" not in err
    assert tree(source) == before


def test_new_given_a_name_says_the_codes_it_may_mean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project(tmp_path)
    before = tree(source)
    code, out, err = run(capsys, "new", "Marcq en Baroeul", "--source", str(source))
    assert (code, out) == (2, "")
    assert err.endswith(
        " ni un SIREN (neuf chiffres) ; c'est le nom de Marcq-en-Barœul (Nord) : "
        "`python build.py new 59378`\n"
    )
    code, _, err = run(capsys, "new", "Saint-Denis", "--source", str(source))
    assert code == 2
    assert "ce nom est celui de 4 collectivités : Saint-Denis (Aude) : `python build.py " in err
    assert "Saint-Denis (Seine-Saint-Denis) : `python build.py new 93066`" in err
    assert "Saint-Denis (La Réunion) : `python build.py new 97411`\n" in err
    code, _, err = run(capsys, "new", "Métropole européenne de Lille", "--source", str(source))
    assert code == 2 and err.endswith("(Nord) : `python build.py new 200093201`\n")
    assert tree(source) == before


# ---------------------------------------------------------------------------------------
# The command line


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    return subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("command", ["import", "new"])
def test_help(command: str) -> None:
    result = cli(command, "--help")
    assert result.returncode == 0
    assert "utilisation :" in result.stdout and "--source" in result.stdout


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    source = project(tmp_path)
    assert cli("import", str(TABLE), "--source", str(source)).returncode == 2  # no --edition
    missing = cli(
        "import", str(tmp_path / "absent.csv"), "--edition", "2018", "--source", str(source)
    )
    assert missing.returncode == 2 and "n'existe pas" in missing.stderr
    ods = tmp_path / "jury.ods"
    ods.write_bytes(b"PK")
    wrong = cli("import", str(ods), "--edition", "2018", "--source", str(source))
    assert wrong.returncode == 2 and "« CSV UTF-8 »" in wrong.stderr
    year = cli("import", str(TABLE), "--edition", "18", "--source", str(source))
    assert year.returncode == 2
    assert tree(source) == tree(FIXTURES / "before")


def test_new_never_writes_through_a_link_out_of_the_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`new` wrote /etc/amberieu-en-bugey.yaml through communes/01 -> /etc, and created the
    missing target of a broken link (an audit): refused, nothing written outside."""
    source = project(tmp_path)
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    folder = source / "communes" / "01"
    shutil.rmtree(folder, ignore_errors=True)
    folder.symlink_to(outside, target_is_directory=True)
    code, _out, err = run(capsys, "new", "01004", "--source", str(source))
    assert code == 1 and "lien symbolique" in err and "rien n'a été écrit" in err
    folder.unlink()
    folder.mkdir()
    (folder / "amberieu-en-bugey.yaml").symlink_to(outside / "cible.yaml")
    code, _out, err = run(capsys, "new", "01004", "--source", str(source))
    assert code == 1 and "rien n'a été écrit" in err
    assert list(outside.iterdir()) == []


def test_import_never_writes_through_a_link_out_of_the_source(tmp_path: Path) -> None:
    from palmares.importer.plan import OutsideSource, write_file

    source = tmp_path / "depot"
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    (source / "communes").mkdir(parents=True)
    (source / "communes" / "74").symlink_to(outside, target_is_directory=True)
    with pytest.raises(OutsideSource, match="communes/74"):
        write_file(source, "communes/74/annecy.yaml", "code: x\n")
    with pytest.raises(OutsideSource):
        write_file(source, "communes/74/sous/annecy.yaml", "code: x\n")
    assert list(outside.iterdir()) == []
    write_file(source, "communes/01/ambronay.yaml", "code: x\n")
    assert (source / "communes/01/ambronay.yaml").read_text() == "code: x\n"


def test_a_table_python_cannot_read_is_a_problem_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A CSV cell of 200 000 characters (csv.Error) and a workbook whose sheet's XML is cut
    short (ParseError, raised only when its rows are read) ended in tracebacks (an audit)."""
    import zipfile

    source = project(tmp_path)
    before = tree(source)
    huge = tmp_path / "enorme.csv"
    huge.write_text("code;arobases;mention\n59378;4;" + "x" * 200_000 + "\n", encoding="utf-8")
    code, _out, err = run(capsys, "import", str(huge), "--edition", "2018", "--source", str(source))
    assert code == 1 and "Traceback" not in err
    assert "enorme.csv:2: cette ligne ne se lit pas comme un tableau" in err
    book = xlsx_from_csv(TABLE, tmp_path / "jury.xlsx")
    cut = tmp_path / "coupe.xlsx"
    with zipfile.ZipFile(book) as original, zipfile.ZipFile(cut, "w") as damaged:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            damaged.writestr(item, data)
    code, _out, err = run(capsys, "import", str(cut), "--edition", "2018", "--source", str(source))
    assert code == 2 and "ce n'est pas un classeur .xlsx lisible" in err
    assert tree(source) == before


def unquoted_amberieu(source: Path) -> Path:
    """Ambérieu-en-Bugey's file, its code written unquoted (`code: 01004`, YAML's 516)."""
    amberieu = source / "communes" / "01" / "amberieu.yaml"
    amberieu.parent.mkdir()
    amberieu.write_text(
        '# Ambérieu-en-Bugey\ncode: 01004\nnom: Ambérieu-en-Bugey\ndepartement: "01"\n'
        "labels:\n  - annee: 2017\n    arobases: 3\n",
        encoding="utf-8",
    )
    return amberieu


def test_a_file_whose_code_is_unquoted_is_never_given_a_second_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`code: 01004` (YAML's number 516): import and new took the collectivité for one
    without a file and wrote communes/01/amberieu-en-bugey.yaml beside it (an audit). The
    file is now recognised by its `code:` line, and left alone until the code is quoted."""
    source = project(tmp_path)
    amberieu = unquoted_amberieu(source)
    before = tree(source)
    message = (
        "communes/01/amberieu.yaml:2: le `code` d'Ambérieu-en-Bugey est écrit sans guillemets, "
        'et YAML le lit comme un nombre : écrivez `code: "01004"`, puis relancez ; ce fichier '
        "n'est pas modifié"
    )
    by_code = tmp_path / "code.csv"
    by_code.write_text("code;arobases\n01004;4\n", encoding="utf-8")
    by_name = tmp_path / "nom.csv"
    by_name.write_text("nom;departement;arobases\nAmberieu en Bugey;Ain;4\n", encoding="utf-8")
    args = ("--edition", "2018", "--source", str(source), "--apply", "--skip-unresolved")
    for table in (by_code, by_name):
        code, out, err = run(capsys, "import", str(table), *args)
        assert code == 1 and err.splitlines() == [message]
        assert "nouvelle collectivité :" not in out
    code, _out, err = run(capsys, "new", "01004", "--source", str(source))
    assert code == 1 and err.splitlines() == [message]
    assert tree(source) == before

    amberieu.write_text(amberieu.read_text().replace("01004", '"01004"'), encoding="utf-8")
    code, out, err = run(capsys, "import", str(by_code), *args)
    assert (code, err) == (0, "")
    assert "1 label ajouté : Ambérieu-en-Bugey (01004)" in out
    assert sorted(p.name for p in amberieu.parent.iterdir()) == ["amberieu.yaml"]

    # A code that cannot be read at all (the 0 a spreadsheet dropped): it could be anyone's.
    amberieu.write_text(amberieu.read_text().replace('"01004"', "1004"), encoding="utf-8")
    before = tree(source)
    code, _out, err = run(capsys, "import", str(by_code), *args)
    assert code == 1
    assert err.splitlines() == [
        "communes/01/amberieu.yaml:2: ce fichier ne dit pas de quelle collectivité il est : "
        'écrivez son `code` entre guillemets, par exemple `code: "59378"` (corrigez ce '
        "fichier avant d'importer : `python build.py check`)"
    ]
    assert tree(source) == before


def test_an_import_stopped_by_an_unreadable_file_counts_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An import stopped before comparing the lines with the files (one cannot be read)
    printed « 0 nouvelle collectivité, 0 label ajouté, 0 label modifié, 0 label déjà à
    jour »: counts of work it had not done."""
    source = project(tmp_path)
    (source / "communes/59/lille.yaml").write_text('code: "59350"\nnom: [Lille\n', "utf-8")
    table = tmp_path / "jury.csv"
    table.write_text("code;arobases\n59378;4\n59378;7\n", encoding="utf-8")
    code, out, err = import_2018(capsys, table, source)
    assert code == 1
    assert out.splitlines() == [
        "Édition 2018 : 2 lignes lues dans jury.csv",
        "  1 ligne non résolue",
        "  1 fichier à corriger",
        "Rien n'a été écrit : corrigez le tableau et communes/59/lille.yaml.",
    ]
    assert err.splitlines()[-1].startswith("communes/59/lille.yaml:2:")


def test_the_summary_says_what_to_fix_the_table_or_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After a problem in a collectivité's file, or when no line resolved, the summary still
    advised « corrigez le tableau (ou relancez avec --skip-unresolved …) », and with
    --skip-unresolved said « Rien à changer : les lignes résolues sont déjà à jour. » (an
    audit): it now names what to fix, and advises --skip-unresolved only when it would
    write something."""
    source = project(tmp_path)
    amberieu = unquoted_amberieu(source)
    both = tmp_path / "deux.csv"
    both.write_text("code;arobases\n01004;4\n59378;4\n", encoding="utf-8")
    alone = tmp_path / "seul.csv"
    alone.write_text("code;arobases\n01004;4\n", encoding="utf-8")
    nothing = tmp_path / "rien.csv"
    nothing.write_text("nom;departement;arobases\nSaint-Machin;59;3\n", encoding="utf-8")
    args = ("--edition", "2018", "--source", str(source))
    skip = ("--apply", "--skip-unresolved")

    def verdict(table: Path, *options: str) -> list[str]:
        code, out, _err = run(capsys, "import", str(table), *args, *options)
        assert code == 1
        return out.splitlines()[-2:]

    fix = "communes/01/amberieu.yaml"
    before = tree(source)
    assert verdict(both) == [
        "  1 fichier à corriger",
        f"Rien n'a été écrit : corrigez {fix} (ou relancez avec --skip-unresolved pour "
        "importer les autres lignes).",
    ]
    assert verdict(alone, *skip) == [
        "  1 fichier à corriger",
        f"Rien n'a été écrit : corrigez {fix}.",
    ]
    both.write_text(both.read_text("utf-8") + "99999;3\n", encoding="utf-8")
    assert verdict(both)[-1] == (
        f"Rien n'a été écrit : corrigez le tableau et {fix} (ou relancez avec "
        "--skip-unresolved pour importer les autres lignes)."
    )
    for options in ((), skip):
        assert verdict(nothing, *options) == [
            "  1 ligne non résolue",
            "Rien n'a été écrit : aucune ligne n'est résolue ; corrigez le tableau.",
        ]
    assert tree(source) == before
    assert verdict(both, *skip)[-1] == (
        "1 fichier écrit ; les lignes non résolues et celles des fichiers à corriger sont ignorées."
    )
    # A code that cannot be read at all stops the import before any line is resolved.
    amberieu.write_text(amberieu.read_text("utf-8").replace("01004", "1004"), encoding="utf-8")
    for options in ((), skip):
        assert verdict(alone, *options)[-1] == f"Rien n'a été écrit : corrigez {fix}."


# ---------------------------------------------------------------------------------------
# Every file or none


def snapshot(root: Path) -> dict[str, tuple[str, bytes | str, int]]:
    """Every file (bytes and mode), folder and link under `root`: what a failed apply must
    leave exactly as it was."""
    found: dict[str, tuple[str, bytes | str, int]] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        mode = path.lstat().st_mode & 0o7777
        if path.is_symlink():
            found[rel] = ("link", os.readlink(path), mode)
        elif path.is_dir():
            found[rel] = ("folder", "", mode)
        else:
            found[rel] = ("file", path.read_bytes(), mode)
    return found


def test_half_applied_import_a_file_where_a_folder_is_needed_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """communes/974 a file where the import needs a folder for its last new file: the five
    files before it were written, the last not (an audit). Now nothing is written, and the
    same import once the file is moved writes them all."""
    source = project(tmp_path)
    (source / "communes" / "974").write_text("pas un dossier\n", encoding="utf-8")
    before = snapshot(source)
    args = ("import", str(TABLE), "--edition", "2018", "--source", str(source))
    code, _out, err = run(capsys, *args, "--apply", "--skip-unresolved")
    assert code == 1
    assert err.splitlines() == [
        UNRESOLVED,
        "palmares : communes/974 : est un fichier, et il faudrait un dossier à sa place pour "
        "écrire communes/974/saint-denis.yaml : déplacez-le ou renommez-le ; rien n'a été écrit",
    ]
    assert snapshot(source) == before
    (source / "communes" / "974").unlink()
    code, out, _err = run(capsys, *args, "--apply", "--skip-unresolved")
    assert code == 1 and out.splitlines()[-1].startswith("6 fichiers écrits")
    assert tree(source) == tree(FIXTURES / "after")


@pytest.mark.parametrize("failing", [1, 4, 6])
def test_half_applied_import_a_failed_swap_puts_back_what_was_swapped(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    failing: int,
) -> None:
    """The disk refusing the n-th of the six files (first, a changed one midway, the last,
    new, in a folder the import made): the files swapped before it are put back, the new
    ones and their new folders removed, no temporary left."""
    import errno

    source = project(tmp_path)
    before = snapshot(source)
    replace = os.replace
    swaps: list[str] = []

    def full_disk(src: str, dst: str) -> None:
        if os.path.basename(src).startswith(".import-") and src.endswith(".yaml"):
            swaps.append(dst)
            if len(swaps) == failing:
                raise OSError(errno.ENOSPC, "No space left on device", dst)
        replace(src, dst)

    monkeypatch.setattr(os, "replace", full_disk)
    args = ("import", str(TABLE), "--edition", "2018", "--source", str(source))
    code, out, err = run(capsys, *args, "--apply", "--skip-unresolved")
    failed = Path(swaps[-1]).relative_to(source).as_posix()
    assert code == 1
    assert err.splitlines()[-1] == (
        f"palmares : {failed} : plus de place sur le disque ; rien n'a été écrit"
    )
    assert "fichiers écrits" not in out
    assert snapshot(source) == before
    monkeypatch.setattr(os, "replace", replace)
    run(capsys, *args, "--apply", "--skip-unresolved")
    assert tree(source) == tree(FIXTURES / "after")


def test_half_applied_import_a_temporary_the_disk_refuses_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk full when the last new file's text is written beside it, before any swap."""
    import errno
    import tempfile

    source = project(tmp_path)
    before = snapshot(source)
    mkstemp = tempfile.mkstemp

    def full_disk(suffix: str = "", prefix: str = "", dir: str = "") -> tuple[int, str]:
        if suffix == ".yaml" and Path(dir).name == "974":
            raise OSError(errno.ENOSPC, "No space left on device")
        return mkstemp(suffix, prefix, dir)

    monkeypatch.setattr(tempfile, "mkstemp", full_disk)
    args = ("import", str(TABLE), "--edition", "2018", "--source", str(source))
    code, _out, err = run(capsys, *args, "--apply", "--skip-unresolved")
    assert code == 1
    assert err.splitlines()[-1] == (
        "palmares : communes/974/saint-denis.yaml : plus de place sur le disque ; rien n'a été écrit"
    )
    assert snapshot(source) == before
