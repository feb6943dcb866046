"""One test per bad input of CONTENT.md: the exact `path:line:col: message` an editor reads.

Each project is BASE (tests/helpers.py: Marcq-en-Barœul 59378 labelled in 2017, the domain
`teletravail`) plus the one file under test, so the expected list is the whole output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from palmares.pipeline import check
from palmares.problems import Severity
from tests.helpers import BASE, BASE_COMMUNE, BASE_DOMAINE, action, commune, problems, write_project

BASE_COMMUNE_TEXT = BASE[BASE_COMMUNE]

C = "communes/01/amberieu-en-bugey.yaml"
A = "content/actions/2017/une-action.md"


def test_base_project_is_valid(tmp_path: Path) -> None:
    result = check(write_project(tmp_path))
    assert result.problems == []
    assert result.site is not None


# --- collectivités ----------------------------------------------------------------------


def test_unquoted_code_says_how_yaml_read_it(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune("01004")}) == [
        f"{C}:1:7: `code` doit être un texte entre guillemets (code INSEE de cinq caractères) : "
        'écrivez `code: "01004"` ; YAML lit 01004 comme le nombre 516'
    ]


def test_unquoted_code_without_leading_zero(tmp_path: Path) -> None:
    # A spreadsheet's export: the code taken for a number lost its zero; quoting `1004` as
    # was told then met « code INSEE de cinq caractères ».
    assert problems(tmp_path, {C: commune("01004".lstrip("0"), departement='"01"')}) == [
        f"{C}:1:7: `code` doit être un texte entre guillemets (code INSEE de cinq caractères) : "
        "écrivez `code: \"01004\"` (avec le zéro du début, qu'un tableur retire d'un code "
        "qu'il prend pour un nombre)"
    ]
    assert problems(tmp_path / "b", {C: commune('"1004"', departement='"01"')}) == [
        f"{C}:1:7: `code` doit être un code INSEE de cinq caractères ; trouvé : « 1004 » : "
        'écrivez `code: "01004"`'
    ]
    assert problems(tmp_path / "c", {C: commune('"01 004"', departement='"01"')}) == [
        f"{C}:1:7: `code` doit être un code INSEE de cinq caractères ; trouvé : « 01 004 » : "
        'écrivez `code: "01004"`'
    ]


def test_code_of_the_wrong_shape(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune('"0100"')}) == [
        f'{C}:1:7: `code` doit être un code INSEE de cinq caractères, par exemple `code: "59378"` '
        "; trouvé : « 0100 »"
    ]


def test_siren_without_type_intercommunalite(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune('"200041507"')}) == [
        f'{C}:1:7: `code` doit être un code INSEE de cinq caractères, par exemple `code: "59378"` '
        "; trouvé : « 200041507 » ; pour une intercommunalité, ajoutez `type: intercommunalite`"
    ]


def test_intercommunalite_with_siren_is_valid(tmp_path: Path) -> None:
    nom = "Communauté d'agglomération La Riviéra du Levant"
    files = {
        C: commune('"200041507"', nom=nom, departement='"971"', extra="type: intercommunalite\n")
    }
    assert problems(tmp_path, files) == []


def test_code_of_another_departement(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune('"62004"')}) == [
        f"{C}:1:7: le code INSEE « 62004 » n'est pas celui d'une commune du département « 01 » "
        "(il commencerait par 01) : il est d'une commune du département « 62 » "
        '(Pas-de-Calais) : écrivez `departement: "62"` si le code est le bon, sinon corrigez '
        "`code`"
    ]


@pytest.mark.parametrize(
    ("code", "nom", "departement"),
    [
        ('"2A004"', "Ajaccio", '"2A"'),
        ('"2B033"', "Bastia", "2B"),
        ('"97411"', "Saint-Denis", '"974"'),
    ],
)
def test_corsica_and_overseas_codes_are_valid(
    tmp_path: Path, code: str, nom: str, departement: str
) -> None:
    assert problems(tmp_path, {C: commune(code, nom=nom, departement=departement)}) == []


def test_unknown_departement(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune(departement='"96"')}) == [
        f'{C}:3:14: `departement` : département inconnu « 96 » ; écrivez un code de "01" à "95", "2A", "2B" '
        'ou de "971" à "976"'
    ]


def test_unknown_departement_unquoted(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune(departement="977")}) == [
        f'{C}:3:14: `departement` : département inconnu « 977 » ; écrivez entre guillemets un code de "01" à "95", '
        '"2A", "2B" ou de "971" à "976"'
    ]


def test_departement_unquoted(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune(departement="01")}) == [
        f'{C}:3:14: `departement` doit être un texte entre guillemets : écrivez `departement: "01"`'
    ]


def test_departement_without_its_zero(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune(departement='"1"')}) == [
        f'{C}:3:14: `departement` : département inconnu « 1 » ; écrivez `departement: "01"` (Ain)'
    ]


@pytest.mark.parametrize("written", ["Ain", '"ain"', '"01 - Ain"', "Ain (01)"])
def test_departement_written_by_its_name(tmp_path: Path, written: str) -> None:
    # As a list of communes gives it; the import of the jury's table reads it so.
    assert problems(tmp_path, {C: commune(departement=written)}) == [
        f"{C}:3:14: `departement` : département inconnu « {written.strip(chr(34))} » ; "
        'écrivez `departement: "01"` (Ain)'
    ]


def test_six_arobases(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune(labels="  - annee: 2017\n    arobases: 6\n")}) == [
        f"{C}:6:15: `arobases` doit être un nombre entier de 0 à 5 ; trouvé : 6 : "
        "écrivez `arobases: 5` ou moins"
    ]


def test_arobases_as_text(tmp_path: Path) -> None:
    labels = '  - annee: 2017\n    arobases: "@@@"\n'
    assert problems(tmp_path, {C: commune(labels=labels)}) == [
        f"{C}:6:15: `arobases` doit être un nombre entier de 0 à 5, sans guillemets ni espaces ; "
        "trouvé : « @@@ » : écrivez `arobases: 3`"
    ]


def test_zero_arobases_without_mention(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune(labels="  - annee: 2017\n    arobases: 0\n")}) == [
        f"{C}:6:15: `arobases: 0` est réservé à la mention simple sans @ : ajoutez "
        "`mention: Mention simple` ou donnez un nombre d'@ de 1 à 5"
    ]


def test_zero_arobases_with_mention_is_valid(tmp_path: Path) -> None:
    labels = "  - annee: 2001\n    arobases: 0\n    mention: Mention simple\n"
    result = check(write_project(tmp_path, {C: commune(labels=labels)}))
    assert result.problems == []
    assert result.site is not None


def test_two_files_with_the_same_code(tmp_path: Path) -> None:
    # Each names the other: the copy a pull request adds comes first in path order here, and
    # the review must show it, not only the file it copied.
    assert problems(
        tmp_path,
        {"communes/59/copie.yaml": commune('"59378"', nom="Marcq-en-Barœul", departement='"59"')},
    ) == [
        "communes/59/copie.yaml:1:7: `code` : « 59378 » est déjà le code de "
        f"{BASE_COMMUNE} ; chaque collectivité a son propre fichier et son propre code",
        f"{BASE_COMMUNE}:1:7: `code` : « 59378 » est déjà le code de communes/59/copie.yaml ; "
        "chaque collectivité a son propre fichier et son propre code",
    ]


def test_same_year_twice_in_one_file(tmp_path: Path) -> None:
    labels = "  - annee: 2017\n    arobases: 3\n  - annee: 2017\n    arobases: 4\n"
    assert problems(tmp_path, {C: commune(labels=labels)}) == [
        f"{C}:7:12: l'année 2017 figure deux fois dans `labels` (déjà ligne 5) : "
        "une collectivité n'a qu'un label par édition"
    ]


def test_unknown_field_suggests_the_close_one_and_nothing_else(tmp_path: Path) -> None:
    # Regression: `arobase:` also gave "`arobases` est obligatoire", a second, wrong fix.
    labels = "  - annee: 2017\n    arobase: 3\n"
    assert problems(tmp_path, {C: commune(labels=labels)}) == [
        f"{C}:6:5: champ inconnu `arobase` dans un label : vouliez-vous écrire `arobases` ? "
        "(champs possibles : `annee`, `arobases`, `mention`, `distinctions`)"
    ]


def test_unknown_field_is_reported_at_its_name(tmp_path: Path) -> None:
    # Regression: the column was the value's, after the name to rename.
    assert problems(tmp_path, {C: commune(extra="  # commentaire\nsite: https://a.fr\n")}) == [
        f"{C}:5:1: champ inconnu `site` dans une collectivité : vouliez-vous écrire `site_web` ? "
        "(champs possibles : `code`, `nom`, "
        "`type`, `departement`, `population`, `site_web`, `coordonnees`, `anciens_noms`, `labels`)"
    ]


def test_unknown_field_far_from_any(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune(extra="maire: Daniel Fabre\n")}) == [
        f"{C}:4:1: champ inconnu `maire` dans une collectivité (champs possibles : `code`, `nom`, "
        "`type`, `departement`, `population`, `site_web`, `coordonnees`, `anciens_noms`, `labels`)"
    ]


def test_web_site_that_is_not_http(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune(extra="site_web: ftp://ambérieu.fr\n")}) == [
        f"{C}:4:11: `site_web` doit être une adresse web commençant par https:// ou http:// ; "
        "trouvé : « ftp://ambérieu.fr »"
    ]


def test_web_site_without_scheme_gets_the_fix(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune(extra="site_web: www.amberieu.fr\n")}) == [
        f"{C}:4:11: `site_web` doit être une adresse web commençant par https:// ou http:// ; "
        "trouvé : « www.amberieu.fr » : écrivez `site_web: https://www.amberieu.fr`"
    ]


def test_type_outside_the_list(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune(extra="type: autre\n")}) == [
        f"{C}:4:7: `type` vaut `commune` ou `intercommunalite` ; trouvé : « autre »"
    ]


def test_type_misspelt(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune(extra="type: intercommunale\n")}) == [
        f"{C}:4:7: `type` vaut `commune` ou `intercommunalite` ; trouvé : « intercommunale » : "
        "vouliez-vous écrire `type: intercommunalite` ?"
    ]


def test_missing_fields_of_a_known_code_are_given_from_the_official_list(tmp_path: Path) -> None:
    """The schema's example (`nom: Marcq-en-Barœul`) in the file of Ambérieu misled an editor
    (an audit): a file whose code the official list knows gets its own values."""
    text = 'code: "01004"\nlabels:\n  - annee: 2017\n    arobases: 3\n'
    assert problems(tmp_path, {C: text}) == [
        f'{C}:1:1: le champ `departement` est obligatoire : ajoutez une ligne `departement: "01"`',
        f"{C}:1:1: le champ `nom` est obligatoire : ajoutez une ligne `nom: Ambérieu-en-Bugey`",
    ]


def test_missing_required_fields(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: "nom: Ambérieu-en-Bugey\n"}) == [
        f'{C}:1:1: le champ `code` est obligatoire : ajoutez une ligne `code: "59378"`',
        f'{C}:1:1: le champ `departement` est obligatoire : ajoutez une ligne `departement: "59"`',
        f"{C}:1:1: le champ `labels` est obligatoire : ajoutez une ligne "
        "`labels: [{annee: 2017, arobases: 3}]`",
    ]


def test_required_field_left_empty_is_reported_on_its_line(tmp_path: Path) -> None:
    # Regression: `nom:` alone said "ajoutez une ligne" at line 1, though the line is there.
    assert problems(tmp_path, {C: commune(nom="")}) == [
        # The official list's name for the file's code (01004), not the schema's example.
        f"{C}:2:5: `nom` est vide : écrivez par exemple `nom: Ambérieu-en-Bugey`"
    ]


def test_identifiers_left_empty(tmp_path: Path) -> None:
    text = commune('""', departement="''")
    assert problems(tmp_path, {C: text, A: action(commune='""')}) == [
        f'{C}:1:7: `code` est vide : écrivez par exemple `code: "59378"`',
        f'{C}:3:14: `departement` est vide : écrivez par exemple `departement: "59"`',
        f'{A}:3:10: `commune` est vide : écrivez par exemple `commune: "94033"`',
    ]


def test_code_that_is_a_list(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune("[01004]")}) == [
        f"{C}:1:7: `code` doit être un texte entre guillemets (code INSEE de cinq caractères) ; "
        "trouvé : une liste"
    ]


def test_missing_fields_of_a_label(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune(labels="  - mention: Prix spécial\n")}) == [
        f"{C}:5:5: le champ `annee` est obligatoire : ajoutez une ligne `annee: 2017`",
        f"{C}:5:5: le champ `arobases` est obligatoire : ajoutez une ligne `arobases: 3`",
    ]


def test_empty_labels(tmp_path: Path) -> None:
    # Regression: `labels:` with nothing under it was accepted, a collectivité never labelled.
    assert problems(tmp_path, {C: commune(labels="")}) == [
        f"{C}:4:8: `labels` est vide : ajoutez au moins l'édition où la collectivité a été "
        "labellisée, deux lignes sous `labels:`, `  - annee: 2017` puis `    arobases: 3` "
        "(si ces lignes sont là en commentaire, comme `new` les prépare, retirez leurs « # » "
        "et complétez-les)"
    ]


def test_labels_written_as_fields(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune(labels="  annee: 2017\n  arobases: 3\n")}) == [
        f"{C}:5:3: `labels` doit être une liste d'éditions, chacune commençant par `- annee:` ; "
        "par exemple `labels: [{annee: 2017, arobases: 3}]`"
    ]


def test_label_that_is_a_bare_year_is_reported_where_it_is(tmp_path: Path) -> None:
    # Regression: every bad entry was reported on the first entry's line.
    labels = "  - annee: 2016\n    arobases: 3\n  - 2017\n"
    assert problems(tmp_path, {C: commune(labels=labels)}) == [
        f"{C}:7:5: `labels` : l'élément 2 doit être une édition avec ses champs, "
        "`- annee: 2017` puis `arobases: 3` en dessous ; trouvé : « 2017 »"
    ]


def test_year_in_quotes(tmp_path: Path) -> None:
    labels = '  - annee: "2017"\n    arobases: 3\n'
    assert problems(tmp_path, {C: commune(labels=labels)}) == [
        f"{C}:5:12: `annee` doit être un nombre entier de 1999 à 2100, sans guillemets ni espaces "
        "; trouvé : « 2017 » : écrivez `annee: 2017`"
    ]


def test_population_with_a_space(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune(extra="population: 16 000\n")}) == [
        f"{C}:4:13: `population` doit être un nombre entier supérieur ou égal à 1, sans guillemets "
        "ni espaces ; trouvé : « 16 000 » : écrivez `population: 16000`"
    ]


def test_a_population_no_reading_makes_a_number_gets_an_example_said_as_one(
    tmp_path: Path,
) -> None:
    # « écrivez `population: 39000` » read as the number 39,5k stands for.
    assert problems(tmp_path, {C: commune(extra="population: 39,5k\n")}) == [
        f"{C}:4:13: `population` doit être un nombre entier supérieur ou égal à 1, sans guillemets "
        "ni espaces ; trouvé : « 39,5k » : par exemple `population: 39000`"
    ]


def test_latitude_out_of_range(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune(extra="coordonnees: {lat: 95, lon: 5.36}\n")}) == [
        f"{C}:4:20: `coordonnees` : `lat` doit être entre -90 et 90 ; trouvé : 95"
    ]


def test_former_name_that_is_not_text_is_reported_where_it_is(tmp_path: Path) -> None:
    # Regression: the problem pointed at the list, not at the bad entry.
    assert problems(tmp_path, {C: commune(extra="anciens_noms: [Ambérieu, [Bugey]]\n")}) == [
        f"{C}:4:26: `anciens_noms` : l'élément 2 doit être un texte, "
        "par exemple `anciens_noms: [Ancien nom]`"
    ]


def test_a_document_that_is_a_list(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: '- code: "01004"\n  nom: Ambérieu-en-Bugey\n'}) == [
        f"{C}:1:1: le fichier contient une liste : il doit décrire une collectivité par des "
        "champs `nom: valeur`, un par ligne, sans tiret au début (au moins `code`, `nom`, "
        "`departement` et `labels`)"
    ]


def test_a_file_that_is_not_yaml_at_all(tmp_path: Path) -> None:
    prose = "Ambérieu-en-Bugey, labellisée trois @ en 2017.\nSite web de la ville.\n"
    assert problems(tmp_path, {C: prose}) == [
        f"{C}:1:1: le fichier contient un texte seul, sans champs : il doit décrire une "
        "collectivité par des champs `nom: valeur`, un par ligne, sans tiret au début "
        "(au moins `code`, `nom`, `departement` et `labels`)"
    ]


@pytest.mark.parametrize("text", ["", "\n\n", "# à remplir\n"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    assert problems(tmp_path, {C: text}) == [
        f"{C}:1: le fichier est vide : il doit décrire une collectivité, avec au moins `code`, "
        "`nom`, `departement` et `labels` (un champ `nom: valeur` par ligne)"
    ]


# --- actions, domains, editions, pages ----------------------------------------------------


def test_action_pointing_at_no_commune(tmp_path: Path) -> None:
    assert problems(tmp_path, {A: action(commune='"01004"')}) == [
        f'{A}:3:10: `commune: "01004"` ne désigne aucune collectivité : écrivez le `code` '
        "d'un fichier de communes/ (ou créez ce fichier)"
    ]


@pytest.mark.parametrize(
    "written",
    ["Marcq-en-Barœul", "marcq en baroeul", "marcq-en-baroeul", "Marcq-lez-Lille", '"59 378"'],
)
def test_action_naming_its_collectivite_is_told_its_code(tmp_path: Path, written: str) -> None:
    # The collectivité by its name, its file's name or a former name, or its code with a
    # space: the code was to be found by the editor, who was given an example.
    marcq = BASE[BASE_COMMUNE] + "anciens_noms: [Marcq-lez-Lille]\n"
    assert problems(tmp_path, {BASE_COMMUNE: marcq, A: action(commune=written)}) == [
        f"{A}:3:10: `commune` attend le code de la collectivité, cinq caractères ou neuf "
        'chiffres : écrivez `commune: "59378"` (Marcq-en-Barœul, '
        "communes/59/marcq-en-baroeul.yaml)"
    ]


def test_action_naming_no_collectivite_or_two(tmp_path: Path) -> None:
    assert problems(tmp_path, {A: action(commune="Lille")}) == [
        f"{A}:3:10: `commune` doit être le `code` d'une collectivité de communes/ : un code "
        'INSEE de cinq caractères ou un SIREN de neuf chiffres, par exemple `commune: "94033"` '
        "; trouvé : « Lille »"
    ]
    twin = 'code: "01004"\nnom: Marcq-en-Barœul\ndepartement: "01"\nlabels:\n  - annee: 2017\n    arobases: 2\n'
    found = problems(tmp_path / "b", {C: twin, A: action(commune="Marcq-en-Barœul")})
    assert found[-1].startswith(f"{A}:3:10: ")
    assert found[-1].endswith(
        '« Marcq-en-Barœul » ; 2 collectivités portent ce nom : `commune: "01004"` '
        '(communes/01/amberieu-en-bugey.yaml), `commune: "59378"` '
        "(communes/59/marcq-en-baroeul.yaml)"
    )


@pytest.mark.parametrize(
    "broken",
    [
        'code: "59378"\nnom: Marcq-en-Barœul\n\tdepartement: "59"\n',  # not YAML: a tab
        'code: "59378"\nnom: Marcq: la ville\n',  # not YAML: a colon in a value
        'code: "59378"\nnom: Marcq-en-Barœul\ndepartement: "59"\nlabels: []\n',  # YAML, wrong
    ],
)
def test_an_action_of_a_broken_collectivite_file_is_not_reported(
    tmp_path: Path, broken: str
) -> None:
    """The collectivité's file is reported, not the actions pointing at its code: « créez ce
    fichier » would have the editor make a second one."""
    found = problems(tmp_path, {BASE_COMMUNE: broken, A: action()})
    assert found and all(line.startswith(f"{BASE_COMMUNE}:") for line in found), found


def test_an_action_of_a_collectivite_whose_code_is_unquoted_is_not_reported(
    tmp_path: Path,
) -> None:
    """`code: 01004` is the number 516 to YAML: the file is reported (quote the code), and the
    action that names "01004" is not told « créez ce fichier », which would make a second
    one. The code is read from the file's `code:` line, not from what YAML made of it."""
    found = problems(tmp_path, {C: commune("01004"), A: action(commune='"01004"')})
    assert found == [
        f"{C}:1:7: `code` doit être un texte entre guillemets (code INSEE de cinq caractères) : "
        'écrivez `code: "01004"` ; YAML lit 01004 comme le nombre 516'
    ]


def test_an_action_of_a_broken_domain_file_is_not_reported(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        {
            "content/domaines/teletravail.md": "---\ntitre: Télétravail\nordre: sixième\n---\n",
            A: action(),
        },
    )
    assert [line.split(":")[0] for line in found] == ["content/domaines/teletravail.md"], found


def test_an_action_copied_and_left_as_it_was(tmp_path: Path) -> None:
    """The same collectivité, edition and title in two files (one copied to start another):
    both reported, each naming the other; a title differing only by case and spaces too. A
    warning (two actions may share a title, rarely): the build goes on, `--strict` stops."""
    copy = "content/actions/2017/une-action-copie.md"
    other = "content/actions/2017/une-autre.md"
    found = problems(
        tmp_path,
        {
            A: action(),
            copy: action().replace("titre: Une action", "titre: une  Action"),
            other: action().replace("titre: Une action", "titre: Une autre action"),
        },
    )
    message = (
        "avertissement : cette action est déjà décrite dans {} (même collectivité, même édition, même titre) : "
        "supprimez l'un des deux fichiers, ou donnez à celui-ci le titre de l'action qu'il décrit"
    )
    assert found == [f"{copy}:1: " + message.format(A), f"{A}:1: " + message.format(copy)]
    assert check(tmp_path).site is not None
    assert check(tmp_path, strict=True).site is None


def test_action_with_unquoted_commune(tmp_path: Path) -> None:
    assert problems(tmp_path, {A: action(commune="01004")}) == [
        f"{A}:3:10: `commune` doit être un texte entre guillemets (le `code` d'une collectivité "
        'de communes/) : écrivez `commune: "01004"` ; YAML lit 01004 comme le nombre 516'
    ]


@pytest.mark.parametrize(
    ("written", "meant"), [("oui", "true"), ("non", "false"), ("Vrai", "true")]
)
def test_a_boolean_written_in_french(tmp_path: Path, written: str, meant: str) -> None:
    assert problems(tmp_path, {A: action(extra=f"mention_speciale: {written}\n")}) == [
        f"{A}:6:19: `mention_speciale` vaut `true` ou `false` ; trouvé : « {written} » : "
        f"écrivez `mention_speciale: {meant}`"
    ]


def test_action_pointing_at_no_domain(tmp_path: Path) -> None:
    assert problems(tmp_path, {A: action(domaines="[teletravail, teletravial, jardinage]")}) == [
        f"{A}:5:25: `domaines` : le domaine « teletravial » n'existe pas : vouliez-vous écrire `teletravail` ? "
        "(domaines : teletravail ; un domaine est un fichier de content/domaines/)",
        f"{A}:5:38: `domaines` : le domaine « jardinage » n'existe pas (domaines : teletravail ; "
        "un domaine est un fichier de content/domaines/)",
    ]


def test_action_with_empty_domain_list(tmp_path: Path) -> None:
    assert problems(tmp_path, {A: action(domaines="[]")}) == [
        f"{A}:5:11: `domaines` ne peut pas être vide : écrivez `domaines: [solidarite-numerique]`"
    ]


def test_action_missing_required_fields(tmp_path: Path) -> None:
    assert problems(tmp_path, {A: "---\ntitre: Une action\n---\nTexte.\n"}) == [
        f"{A}:2:1: le champ `annee` est obligatoire : ajoutez une ligne `annee: 2017`",
        f'{A}:2:1: le champ `commune` est obligatoire : ajoutez une ligne `commune: "94033"`',
        f"{A}:2:1: le champ `domaines` est obligatoire : ajoutez une ligne "
        "`domaines: [solidarite-numerique]`",
    ]


def test_action_with_link_that_is_not_http(tmp_path: Path) -> None:
    assert problems(tmp_path, {A: action(extra="lien: javascript:alert(1)\n")}) == [
        f"{A}:6:7: `lien` doit être une adresse web commençant par https:// ou http:// ; "
        "trouvé : « javascript:alert(1) »"
    ]


def test_action_special_mention_not_a_boolean(tmp_path: Path) -> None:
    assert problems(tmp_path, {A: action(extra="mention_speciale: oui merci\n")}) == [
        f"{A}:6:19: `mention_speciale` vaut `true` ou `false` ; trouvé : « oui merci »"
    ]


A16 = "content/actions/2016/une-action.md"


def test_action_in_a_year_without_label_is_a_warning(tmp_path: Path) -> None:
    result = check(write_project(tmp_path, {A16: action(annee="2016")}))
    assert [str(p) for p in result.problems] == [
        f"{A16}:4:8: avertissement : Marcq-en-Barœul n'a pas de label en 2016 : vérifiez `annee` "
        f"ici ou ajoutez le label 2016 dans {BASE_COMMUNE}"
    ]
    assert result.problems[0].severity is Severity.WARNING
    assert result.site is not None  # a warning does not stop the build


def test_strict_makes_the_warning_an_error(tmp_path: Path) -> None:
    result = check(write_project(tmp_path, {A16: action(annee="2016")}), strict=True)
    assert [p.severity for p in result.problems] == [Severity.ERROR]
    assert str(result.problems[0]).startswith(f"{A16}:4:8: Marcq-en-Barœul n'a pas de label")
    assert result.site is None


def test_domain_without_title(tmp_path: Path) -> None:
    path = "content/domaines/accessibilite.md"
    assert problems(tmp_path, {path: "---\nordre: 7\n---\nTexte.\n"}) == [
        f"{path}:2:1: le champ `titre` est obligatoire : ajoutez une ligne `titre: Télétravail`"
    ]


def test_domain_editions_not_a_list_of_years(tmp_path: Path) -> None:
    path = "content/domaines/accessibilite.md"
    assert problems(tmp_path, {path: "---\ntitre: Accessibilité\neditions: {a: 1}\n---\n"}) == [
        f"{path}:3:11: `editions` doit être une liste d'années, par exemple "
        "`editions: [2016, 2017]`"
    ]


def test_domain_editions_of_one_year_written_alone(tmp_path: Path) -> None:
    # The example (2016 and 2017) was the suggestion whatever the year written.
    path = "content/domaines/accessibilite.md"
    assert problems(tmp_path, {path: "---\ntitre: Accessibilité\neditions: 2019\n---\n"}) == [
        f"{path}:3:11: `editions` doit être une liste d'années ; écrivez `editions: [2019]`"
    ]


def test_edition_date_that_is_not_a_date(tmp_path: Path) -> None:
    path = "content/palmares/2017.md"
    assert problems(tmp_path, {path: "---\nannee: 2017\ndate: 2017-02-30\n---\n"}) == [
        f"{path}:3:7: `date` doit être une date réelle écrite `date: 2017-02-01` (année-mois-jour) "
        "; trouvé : « 2017-02-30 »"
    ]


@pytest.mark.parametrize(
    ("written", "iso", "read"),
    [
        ("1er février 2017", "2017-02-01", "1er février 2017"),
        ("mercredi 1er fevrier 2017", "2017-02-01", "1er février 2017"),
        ("12/06/2017", "2017-06-12", "12 juin 2017"),
        ("12.06.2017", "2017-06-12", "12 juin 2017"),
    ],
)
def test_edition_date_written_the_french_way_gets_the_line_to_write(
    tmp_path: Path, written: str, iso: str, read: str
) -> None:
    # Day first, as French writes it; the reading is spelled out, so that a date meant the
    # other way round is seen.
    path = "content/palmares/2017.md"
    assert problems(tmp_path, {path: f"---\nannee: 2017\ndate: {written}\n---\n"}) == [
        f"{path}:3:7: `date` doit être une date réelle écrite année-mois-jour ; trouvé : "
        f"« {written} » : écrivez `date: {iso}` ({read})"
    ]


def test_edition_date_that_no_reading_makes_real(tmp_path: Path) -> None:
    path = "content/palmares/2017.md"
    assert problems(tmp_path, {path: "---\nannee: 2017\ndate: 31/02/2017\n---\n"}) == [
        f"{path}:3:7: `date` doit être une date réelle écrite `date: 2017-02-01` (année-mois-jour) "
        "; trouvé : « 31/02/2017 »"
    ]


def test_edition_year_differs_from_file_name(tmp_path: Path) -> None:
    # Most often last year's text copied to start this year's: its `annee` to change first.
    path = "content/palmares/2016.md"
    assert problems(tmp_path, {path: "---\nannee: 2017\n---\n"}) == [
        f"{path}:2:8: `annee: 2017` ne correspond pas au nom du fichier : écrivez `annee: 2016`, "
        "ou renommez-le `2017.md`"
    ]


def test_edition_file_not_named_after_a_year(tmp_path: Path) -> None:
    path = "content/palmares/edition-2017.md"
    assert problems(tmp_path, {path: "---\nannee: 2017\n---\n"}) == [
        f"{path}:2:8: `annee: 2017` ne correspond pas au nom du fichier : renommez-le `2017.md`"
    ]


def test_action_in_another_years_folder_is_a_warning(tmp_path: Path) -> None:
    # Last year's write-up copied into this year's folder to start a new one, its `annee`
    # left as it was: it would be published in last year's edition.
    moved = "content/actions/2016/une-action.md"
    result = check(write_project(tmp_path, {moved: action()}))
    assert [str(p) for p in result.problems] == [
        f"{moved}:4:8: avertissement : `annee: 2017` mais le fichier est dans le dossier 2016 : "
        "écrivez `annee: 2016`, ou déplacez le fichier dans content/actions/2017/"
    ]
    assert result.site is not None and [a.annee for a in result.site.actions] == [2017]


@pytest.mark.parametrize(
    "path", ["content/actions/une-action.md", "content/actions/marcq/une-action.md"]
)
def test_action_outside_a_years_folder_is_not_warned(tmp_path: Path, path: str) -> None:
    assert problems(tmp_path, {path: action()}) == []


def test_page_with_unknown_field(tmp_path: Path) -> None:
    path = "content/pages/a-propos.md"
    assert problems(tmp_path, {path: "---\ntitre: À propos\ntitle: About\n---\n"}) == [
        f"{path}:3:1: champ inconnu `title` dans une page : vouliez-vous écrire `titre` ? "
        "(champs possibles : `titre`)"
    ]


def test_page_with_empty_front_matter(tmp_path: Path) -> None:
    path = "content/pages/a-propos.md"
    assert problems(tmp_path, {path: "---\n---\nTexte.\n"}) == [
        f"{path}:1: l'en-tête est vide : il doit décrire une page, avec au moins `titre` "
        "(un champ `nom: valeur` par ligne)"
    ]


def test_two_actions_with_the_same_address(tmp_path: Path) -> None:
    files = {
        "content/actions/2017/Vocabulons.md": action(),
        "content/actions/2017/vocabulons.md": action(),
    }
    assert problems(tmp_path, files) == [
        "content/actions/2017/Vocabulons.md:1: cette action aurait la même adresse que "
        "content/actions/2017/vocabulons.md : renommez l'un des deux fichiers",
        "content/actions/2017/vocabulons.md:1: cette action aurait la même adresse que "
        "content/actions/2017/Vocabulons.md : renommez l'un des deux fichiers",
    ]


def test_a_domain_or_an_edition_in_two_files(tmp_path: Path) -> None:
    """`.MD` beside `.md` (an audit): the index showed one title, the page the other."""
    domaine = "---\ntitre: Télétravail\n---\nTexte.\n"
    edition = "---\nannee: 2017\n---\nTexte.\n"
    found = problems(
        tmp_path,
        {
            "content/domaines/teletravail.MD": domaine,
            "content/palmares/2017.md": edition,
            "content/palmares/2017.MD": edition,
        },
    )
    assert found == [
        "content/domaines/teletravail.MD:1: le domaine « teletravail » est déjà décrit dans "
        "content/domaines/teletravail.md : gardez un seul des deux fichiers",
        "content/domaines/teletravail.md:1: le domaine « teletravail » est déjà décrit dans "
        "content/domaines/teletravail.MD : gardez un seul des deux fichiers",
        "content/palmares/2017.MD:1: l'édition 2017 est déjà décrite dans "
        "content/palmares/2017.md : gardez un seul des deux fichiers",
        "content/palmares/2017.md:1: l'édition 2017 est déjà décrite dans "
        "content/palmares/2017.MD : gardez un seul des deux fichiers",
    ]


# --- a whole run --------------------------------------------------------------------------


def test_ten_mistakes_give_their_problems_in_one_run_sorted(tmp_path: Path) -> None:
    """Ten mistakes, eleven lines: the code two files share is reported on both."""
    files: dict[str, str | bytes | None] = {
        "communes/01/a.yaml": commune("01004"),
        "communes/01/b.yaml": commune('"01005"', departement='"96"'),
        "communes/01/c.yaml": commune('"01006"', labels="  - annee: 2017\n    arobases: 6\n"),
        "communes/01/d.yaml": commune('"59378"', nom="Marcq-en-Barœul", departement='"59"'),
        "communes/01/e.yaml": "nom: Ambérieu: la ville\n",
        "communes/01/f.yaml": "nom: Ambérieu\n".encode("latin-1"),
        "content/actions/a.md": action(commune='"01999"'),
        "content/actions/b.md": action(domaines="[jardinage]"),
        "content/palmares/2017.md": "---\nannee: 2017\ndate: 2017-02-30\n---\n",
        "content/pages/p.md": "Pas d'en-tête.\n",
    }
    found = problems(tmp_path, files)
    assert len(found) == 11
    assert [line.split(":")[0] for line in found] == [
        "communes/01/a.yaml",
        "communes/01/b.yaml",
        "communes/01/c.yaml",
        "communes/01/d.yaml",
        "communes/01/e.yaml",
        "communes/01/f.yaml",
        BASE_COMMUNE,  # 59378, which d.yaml has too
        "content/actions/a.md",
        "content/actions/b.md",
        "content/pages/p.md",
        "content/palmares/2017.md",
    ]
    assert found == sorted(found, key=lambda line: line.split(":")[0])


def test_problems_of_one_file_are_sorted_by_line(tmp_path: Path) -> None:
    text = commune(
        "01004",
        departement='"96"',
        extra="type: village\n",
        labels="  - annee: 2017\n    arobases: 6\n",
    )
    lines = [int(p.split(":")[1]) for p in problems(tmp_path, {C: text})]
    assert lines == [1, 3, 4, 7]


def test_duplicate_key_names_the_line_of_the_first(tmp_path: Path) -> None:
    # Regression: "déjà ligne" gave the line of the first value, here the line after `labels:`.
    text = commune(labels="  - annee: 2017\n    arobases: 3\nlabels: []\n")
    assert problems(tmp_path, {C: text}) == [
        f"{C}:7:1: le champ `labels` apparaît deux fois (déjà ligne 4) : gardez-en un seul"
    ]


def test_duplicate_key_does_not_hide_the_other_problems(tmp_path: Path) -> None:
    text = commune(extra="nom: Ambérieu\n", labels="  - annee: 2017\n    arobases: 6\n")
    assert problems(tmp_path, {C: text}) == [
        f"{C}:4:1: le champ `nom` apparaît deux fois (déjà ligne 2) : gardez-en un seul",
        f"{C}:7:15: `arobases` doit être un nombre entier de 0 à 5 ; trouvé : 6 : "
        "écrivez `arobases: 5` ou moins",
    ]


def test_domain_file_name_must_be_its_slug(tmp_path: Path) -> None:
    # Regression: `Télé Travail.md` was accepted, its name put as is in actions and URLs.
    path = "content/domaines/Télé Travail.md"
    assert problems(tmp_path, {path: "---\ntitre: Télétravail\n---\n"}) == [
        f"{path}: le nom du fichier « Télé Travail » sert d'identifiant au domaine (dans "
        "`domaines:` des actions et dans son adresse) : renommez-le `tele-travail.md` "
        "(minuscules, sans accents ni espaces)"
    ]


def test_edition_write_up_for_a_year_without_labels_is_a_warning(tmp_path: Path) -> None:
    path = "content/palmares/2016.md"
    result = check(write_project(tmp_path, {path: "---\nannee: 2016\n---\nLa cérémonie.\n"}))
    assert [str(p) for p in result.problems] == [
        f"{path}:2:8: avertissement : aucune collectivité n'a de label en 2016 : vérifiez "
        "`annee` ici, ou ajoutez les labels 2016 dans communes/"
    ]
    assert result.site is not None


def test_coordinates_out_of_the_departement_are_a_warning_with_what_to_write(
    tmp_path: Path,
) -> None:
    # Ambérieu-en-Bugey (Ain) is at lat 45.96, lon 5.36. Swapped, the point is in the Gulf of
    # Guinea; Paris's coordinates are not in the Ain: the map would show either at the Ain's
    # centre, without a word.
    swapped = commune(extra="coordonnees: {lat: 5.36, lon: 45.96}\n")
    paris = commune(extra="coordonnees:\n  lat: 48.8566\n  lon: 2.3522\n")
    assert problems(tmp_path / "a", {C: swapped}) == [
        f"{C}:4:14: avertissement : `coordonnees` : lat 5.36, lon 45.96 n'est pas dans le "
        "département 01 (Ain) ; la latitude et la longitude semblent inversées : écrivez "
        "`coordonnees: {lat: 45.96, lon: 5.36}` ; en attendant, la carte place la collectivité "
        "au centre du département"
    ]
    found = problems(tmp_path / "b", {C: paris})
    assert len(found) == 1 and found[0].startswith(
        f"{C}:5:3: avertissement : `coordonnees` : lat 48.8566, lon 2.3522 n'est pas dans le "
        "département 01 (Ain) ; il va de lat 45."
    )
    assert found[0].endswith(
        " : vérifiez-les (en degrés décimaux) ; en attendant, la carte "
        "place la collectivité au centre du département"
    )
    right = commune(extra="coordonnees: {lat: 45.96, lon: 5.36}\n")
    assert problems(tmp_path / "c", {C: right}) == []


def test_an_action_in_a_domain_its_edition_s_referential_did_not_hold(tmp_path: Path) -> None:
    # The list of domains says « éditions 2018 » beside the action of 2017.
    commune = BASE_COMMUNE_TEXT + "  - annee: 2018\n    arobases: 5\n"
    domaine = "---\ntitre: Télétravail\neditions: [2018, 2019]\n---\nTravailler autrement.\n"
    files = {BASE_COMMUNE: commune, BASE_DOMAINE: domaine}
    a17 = "content/actions/2017/une-action.md"
    a18 = "content/actions/2018/une-action.md"
    assert problems(tmp_path / "a", {**files, a17: action(), a18: action(annee="2018")}) == [
        f"{a17}:5:12: avertissement : `domaines` : le domaine « Télétravail » (`teletravail`) "
        "n'est au référentiel que des éditions 2018, 2019 (`editions` de "
        "content/domaines/teletravail.md), pas de 2017 : vérifiez `annee` ou `domaines` ici, "
        "ou ajoutez 2017 à ses `editions`"
    ]
    # A domain that does not say its editions holds every year's actions.
    assert (
        problems(tmp_path / "b", {BASE_COMMUNE: commune, a17: action(), a18: action(annee="2018")})
        == []
    )


def test_a_list_written_as_one_text_with_commas(tmp_path: Path) -> None:
    # YAML reads `a, b` as one text, a list of one: a domain « a, b » that does not exist, a
    # single distinction « Arobase verte, Territoire innovant ».
    labels = (
        "  - annee: 2017\n    arobases: 3\n    distinctions: Arobase verte, Territoire innovant\n"
    )
    files = {
        A: action(domaines="teletravail, gouvernement-ouvert"),
        C: commune(extra="anciens_noms: Ambérieu, Amberieux\n", labels=labels),
    }
    one = "pour un seul qui contient une virgule, écrivez-le entre crochets et guillemets"
    assert problems(tmp_path, files) == [
        f"{C}:4:15: avertissement : `anciens_noms` est lu comme un seul texte, « Ambérieu, "
        "Amberieux » : pour plusieurs, écrivez `anciens_noms: [Ambérieu, Amberieux]` ; "
        f'{one}, `anciens_noms: ["Ambérieu, Amberieux"]`',
        f"{C}:8:19: avertissement : `distinctions` (label 1) est lu comme un seul texte, "
        "« Arobase verte, Territoire innovant » : pour plusieurs, écrivez `distinctions: "
        f'[Arobase verte, Territoire innovant]` ; {one}, `distinctions: ["Arobase verte, '
        'Territoire innovant"]`',
        f"{A}:5:11: `domaines` est une liste : écrivez `domaines: [teletravail, gouvernement-ouvert]`",
    ]
    listed = {
        A: action(domaines="[teletravail]"),
        C: commune(
            labels=labels.replace("distinctions: Arobase", 'distinctions: ["Arobase').replace(
                "innovant\n", 'innovant"]\n'
            )
        ),
    }
    assert problems(tmp_path / "b", listed) == []  # a comma inside a list's text is meant


@pytest.mark.parametrize(
    ("date", "said"),
    [
        ("2071-02-01", "le 1er février 2071 : vérifiez l'année de `date` (`date: 2017-02-01` ?)"),
        ("2072-02-29", "le 29 février 2072 : vérifiez l'année de `date`"),
    ],
)
def test_a_ceremony_far_from_its_edition_is_a_warning(tmp_path: Path, date: str, said: str) -> None:
    path = "content/palmares/2017.md"
    result = check(write_project(tmp_path, {path: f"---\nannee: 2017\ndate: {date}\n---\n"}))
    assert [str(p) for p in result.problems] == [
        f"{path}:3:7: avertissement : la cérémonie de l'édition 2017 serait {said}"
    ]
    assert result.site is not None


@pytest.mark.parametrize("date", ["2016-12-05", "2017-02-01", "2018-01-15"])
def test_a_ceremony_near_its_edition_is_not_warned(tmp_path: Path, date: str) -> None:
    path = "content/palmares/2017.md"
    assert problems(tmp_path, {path: f"---\nannee: 2017\ndate: {date}\n---\n"}) == []


@pytest.mark.parametrize("written", [".inf", ".nan", "2017-02-01", "2017-02-01 10:00:00"])
def test_action_whose_commune_yaml_reads_as_no_text(tmp_path: Path, written: str) -> None:
    # Left to the rules across files since bf51dfe, a value YAML reads as a number or a
    # date reached them as such, and ended in an AttributeError (found by the odd-values
    # trial of every field): it is the text written.
    assert problems(tmp_path, {A: action(commune=written)}) == [
        f"{A}:3:10: `commune` doit être le `code` d'une collectivité de communes/ : un code "
        'INSEE de cinq caractères ou un SIREN de neuf chiffres, par exemple `commune: "94033"` '
        f"; trouvé : « {written} »"
    ]
