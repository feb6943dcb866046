"""The messages of the schema-driven checks that tests/test_validate.py does not already pin:
one test per shape mistake, with the exact `path:line:col: message` an editor reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import action, commune, problems

C = "communes/01/amberieu-en-bugey.yaml"
A = "content/actions/2017/une-action.md"
E = "content/palmares/2017.md"
D = "content/domaines/accessibilite.md"


def one(tmp_path: Path, files: dict[str, str | bytes | None]) -> str:
    found = problems(tmp_path, files)
    assert len(found) == 1, found
    return found[0]


def test_optional_field_left_empty(tmp_path: Path) -> None:
    assert one(tmp_path, {C: commune(extra="site_web:\n")}) == (
        f"{C}:4:10: `site_web` est vide : écrivez par exemple "
        "`site_web: https://www.marcq-en-baroeul.org`, ou retirez la ligne"
    )


def test_coordinates_that_are_not_a_mapping(tmp_path: Path) -> None:
    assert one(tmp_path, {C: commune(extra="coordonnees: 12\n")}) == (
        f"{C}:4:14: `coordonnees` doit être un ensemble de champs ; trouvé : « 12 » : par "
        "exemple `coordonnees: {lat: 50.67, lon: 3.1}`"
    )


@pytest.mark.parametrize(
    ("written", "found"),
    [
        ("45.96, 5.36", "« 45.96, 5.36 »"),
        ("(45.96; 5.36)", "« (45.96; 5.36) »"),
        ("45.96 5.36", "« 45.96 5.36 »"),
        ("[45.96, 5.36]", "une liste"),
    ],
)
def test_coordinates_as_a_map_gives_them(tmp_path: Path, written: str, found: str) -> None:
    # Copied from a map or a GPS: two numbers, which the message puts in their fields.
    assert one(tmp_path, {C: commune(extra=f"coordonnees: {written}\n")}) == (
        f"{C}:4:14: `coordonnees` doit être un ensemble de champs ; trouvé : {found} : "
        "écrivez `coordonnees: {lat: 45.96, lon: 5.36}` (la latitude d'abord)"
    )


def test_coordinates_missing_a_field(tmp_path: Path) -> None:
    assert one(tmp_path, {C: commune(extra="coordonnees: {lat: 12}\n")}) == (
        f"{C}:4:14: `coordonnees` : `lon` manque : écrivez `coordonnees: {{lat: 50.67, lon: 3.1}}`"
    )


@pytest.mark.parametrize("value", ["nord", ".nan", '"50.6"', "true"])
def test_latitude_that_is_not_a_number(tmp_path: Path, value: str) -> None:
    assert one(tmp_path, {C: commune(extra=f"coordonnees: {{lat: {value}, lon: 3}}\n")}) == (
        f"{C}:4:20: `coordonnees` : `lat` doit être un nombre décimal entre -90 et 90, sans "
        f"guillemets ; trouvé : « {value.strip(chr(34))} » : par exemple "
        "`coordonnees: {lat: 50.67, lon: 3.1}`"
    )


def test_a_number_of_at_signs_is_read_as_meant(tmp_path: Path) -> None:
    # The example (3) was the suggestion whatever the value: `@@@@` was told `arobases: 3`.
    found = one(tmp_path, {C: commune(labels="  - annee: 2017\n    arobases: '@@@@'\n")})
    assert found.endswith("trouvé : « @@@@ » : écrivez `arobases: 4`")
    found = one(tmp_path / "b", {C: commune(labels="  - annee: 2017\n    arobases: 4.0\n")})
    assert found.endswith("trouvé : « 4.0 » : écrivez `arobases: 4`")


@pytest.mark.parametrize("written", ["4 @", "4@", "4 arobases", "4 Arobase"])
def test_a_number_of_at_signs_written_with_its_sign_is_read_as_meant(
    tmp_path: Path, written: str
) -> None:
    # As the jury's table may say it, and its import reads it: the example (3) was told.
    found = one(tmp_path, {C: commune(labels=f"  - annee: 2017\n    arobases: {written}\n")})
    assert found.endswith(f"trouvé : « {written} » : écrivez `arobases: 4`")
    found = one(tmp_path / "b", {C: commune(labels="  - annee: 2017\n    arobases: 4/5\n")})
    assert found.endswith("trouvé : « 4/5 » : par exemple `arobases: 3`")


@pytest.mark.parametrize("written", ["24e", "24ème", "24 e", "24ᵉ"])
def test_an_edition_number_written_as_an_ordinal_is_read_as_meant(
    tmp_path: Path, written: str
) -> None:
    # « la 24e édition »: the example (18) was the suggestion whatever the number.
    found = one(tmp_path, {E: f"---\nannee: 2017\nnumero: {written}\n---\n"})
    assert found.endswith(f"trouvé : « {written} » : écrivez `numero: 24`")


def test_a_title_over_300_characters_is_refused(tmp_path: Path) -> None:
    # The write-up pasted on the title's line: it would be the page's heading, every list's
    # line and the search's result. 300 characters pass; the message counts in characters.
    title = "É" * 300
    assert problems(tmp_path, {A: action().replace("titre: Une action", f"titre: {title}")}) == []
    long = action().replace("titre: Une action", f"titre: {title}. Le projet est né…")
    assert one(tmp_path / "b", {A: long}) == (
        f"{A}:2:8: `titre` fait 319 caractères, 300 au plus : mettez le reste dans le texte, "
        "sous l'en-tête"
    )
    mention = "  - annee: 2017\n    arobases: 3\n    mention: " + "a" * 1200 + "\n"
    assert one(tmp_path / "c", {C: commune(labels=mention)}) == (
        f"{C}:7:14: `mention` fait 1\u202f200 caractères, 300 au plus : raccourcissez-le"
    )


def test_arobases_written_as_a_decimal(tmp_path: Path) -> None:
    assert one(tmp_path, {C: commune(labels="  - annee: 2017\n    arobases: 3.0\n")}) == (
        f"{C}:6:15: `arobases` doit être un nombre entier de 0 à 5, sans guillemets ni espaces "
        "; trouvé : « 3.0 » : écrivez `arobases: 3`"
    )


def test_type_that_is_a_number(tmp_path: Path) -> None:
    assert one(tmp_path, {C: commune(extra="type: 3\n")}) == (
        f"{C}:4:7: `type` vaut `commune` ou `intercommunalite` ; trouvé : « 3 »"
    )


def test_name_that_is_a_list(tmp_path: Path) -> None:
    assert one(tmp_path, {C: commune(nom="[Ambérieu]")}) == (
        f"{C}:2:6: `nom` doit être un texte, pas une liste"
    )


def test_free_text_written_as_a_number_or_a_date_is_the_text_written(tmp_path: Path) -> None:
    files = {
        A: action().replace("titre: Une action", "titre: 2048"),
        "content/pages/p.md": "---\ntitre: 2017-02-01\n---\n",
    }
    assert problems(tmp_path, files) == []


def test_distinction_that_is_a_list(tmp_path: Path) -> None:
    labels = "  - annee: 2017\n    arobases: 2\n    distinctions: [[a]]\n"
    assert one(tmp_path, {C: commune(labels=labels)}) == (
        f"{C}:7:20: `distinctions` : l'élément 1 doit être un texte, par exemple "
        "`distinctions: [Mention gouvernement ouvert]`"
    )


def test_mention_left_empty(tmp_path: Path) -> None:
    labels = "  - annee: 2017\n    arobases: 0\n    mention:\n"
    assert one(tmp_path, {C: commune(labels=labels)}) == (
        f"{C}:7:13: `mention` est vide : écrivez par exemple `mention: Prix spécial du jury`, "
        "ou retirez la ligne"
    )


def test_action_commune_of_the_wrong_shape(tmp_path: Path) -> None:
    assert one(tmp_path, {A: action(commune='"abc"')}) == (
        f"{A}:3:10: `commune` doit être le `code` d'une collectivité de communes/ : un code "
        "INSEE de cinq caractères ou un SIREN de neuf chiffres, par exemple "
        '`commune: "94033"` ; trouvé : « abc »'
    )


def test_action_domains_left_blank(tmp_path: Path) -> None:
    assert one(tmp_path, {A: action(domaines='""')}) == (
        f"{A}:5:11: `domaines` est vide : écrivez par exemple `domaines: [solidarite-numerique]`"
    )


def test_action_domains_that_are_a_mapping(tmp_path: Path) -> None:
    assert one(tmp_path, {A: action(domaines="{a: 1}")}) == (
        f"{A}:5:11: `domaines` doit être une liste de textes, par exemple "
        "`domaines: [solidarite-numerique]`"
    )


def test_action_link_that_is_a_number(tmp_path: Path) -> None:
    assert one(tmp_path, {A: action(extra="lien: 12\n")}) == (
        f"{A}:6:7: `lien` doit être une adresse web commençant par https:// ou http:// ; "
        "trouvé : « 12 »"
    )


def test_action_domain_given_as_one_text_is_a_list_of_one(tmp_path: Path) -> None:
    assert problems(tmp_path, {A: action(domaines="teletravail")}) == []


def test_domain_edition_that_is_not_a_year(tmp_path: Path) -> None:
    assert one(tmp_path, {D: "---\ntitre: Accessibilité\neditions: [2017, x]\n---\n"}) == (
        f"{D}:3:18: `editions` : l'élément 2 doit être un nombre entier de 1999 à 2100, sans "
        "guillemets ni espaces ; trouvé : « x » : par exemple `editions: [2016, 2017]`"
    )


def test_domain_negative_order(tmp_path: Path) -> None:
    assert one(tmp_path, {D: "---\ntitre: Accessibilité\nordre: -1\n---\n"}) == (
        f"{D}:3:8: `ordre` doit être un nombre entier supérieur ou égal à 0 ; trouvé : -1 : "
        "écrivez `ordre: 0` ou plus"
    )


def test_edition_date_with_a_time(tmp_path: Path) -> None:
    assert one(tmp_path, {E: "---\nannee: 2017\ndate: 2017-02-01 10:00\n---\n"}) == (
        f"{E}:3:7: `date` doit être une date réelle écrite `date: 2017-02-01` (année-mois-jour) "
        "; trouvé : « 2017-02-01 10:00 »"
    )


def test_edition_date_in_quotes_is_a_date(tmp_path: Path) -> None:
    assert problems(tmp_path, {E: '---\nannee: 2017\ndate: "2017-02-01"\n---\n'}) == []


def test_edition_number_zero(tmp_path: Path) -> None:
    assert one(tmp_path, {E: "---\nannee: 2017\nnumero: 0\n---\n"}) == (
        f"{E}:3:9: `numero` doit être un nombre entier supérieur ou égal à 1 ; trouvé : 0 : "
        "écrivez `numero: 1` ou plus"
    )


def test_unknown_field_in_coordinates(tmp_path: Path) -> None:
    assert one(tmp_path, {C: commune(extra="coordonnees: {lat: 1, lon: 2, altitude: 3}\n")}) == (
        f"{C}:4:31: champ inconnu `altitude` dans `coordonnees` (champs possibles : `lat`, `lon`)"
    )


@pytest.mark.parametrize("space", ["\u00a0", "\u202f"])
def test_a_field_name_with_the_space_french_typography_puts_before_a_colon(
    tmp_path: Path, space: str
) -> None:
    # A word processor or a Mac's keyboard puts a non-breaking space before « : »; YAML keeps
    # it in the name, and `titre ` was told « vouliez-vous écrire `titre` ? », the same to
    # the eye. The required field it stands for is not reported missing as well.
    text = action().replace("titre:", f"titre{space}:")
    assert one(tmp_path, {A: text}) == (
        f"{A}:2:1: une espace insécable colle au nom `titre` (la typographie française en met "
        "une avant « : », YAML la lit comme une lettre du nom) : écrivez `titre:`, le "
        "deux-points collé au nom"
    )
    labels = f"  - annee{space}: 2017\n    arobases: 3\n"
    assert one(tmp_path / "b", {C: commune(labels=labels)}).startswith(
        f"{C}:5:5: une espace insécable colle au nom `annee` "
    )


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("amberieu.fr", "https://amberieu.fr"),
        ("http//www.amberieu.fr", "http://www.amberieu.fr"),
        ("https:/www.amberieu.fr/", "https://www.amberieu.fr/"),
        ("htps://amberieu.fr", "https://amberieu.fr"),
    ],
)
def test_a_web_address_mistyped_is_told_as_meant(tmp_path: Path, written: str, meant: str) -> None:
    # `http//www.amberieu.fr` was told `https://http//www.amberieu.fr`.
    assert one(tmp_path, {C: commune(extra=f"site_web: {written}\n")}) == (
        f"{C}:4:11: `site_web` doit être une adresse web commençant par https:// ou http:// ; "
        f"trouvé : « {written} » : écrivez `site_web: {meant}`"
    )


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("14.000", 14000),
        ("1.234.567", 1234567),
        ("14 000 habitants", 14000),
        ("'14 000 hab.'", 14000),
    ],
)
def test_a_population_as_french_writes_it(tmp_path: Path, written: str, meant: int) -> None:
    # A point between thousands, as French writes them: YAML reads `14.000` as 14.0, and the
    # message said `population: 14`.
    assert one(tmp_path, {C: commune(extra=f"population: {written}\n")}).endswith(
        f" : écrivez `population: {meant}`"
    )


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("communauté de communes", "intercommunalite"),
        ("Communauté d'agglomération", "intercommunalite"),
        ("EPCI", "intercommunalite"),
        ("Métropole", "intercommunalite"),
        ("ville", "commune"),
        ("commune nouvelle", "commune"),
    ],
)
def test_a_kind_of_collectivite_named_as_people_name_it(
    tmp_path: Path, written: str, meant: str
) -> None:
    assert one(tmp_path, {C: commune(extra=f"type: {written}\n")}) == (
        f"{C}:4:7: `type` vaut `commune` ou `intercommunalite` ; trouvé : « {written} » : "
        f"vouliez-vous écrire `type: {meant}` ?"
    )


@pytest.mark.parametrize(
    ("written", "col", "meant"),
    [
        ("2017-2020", 11, "[2017, 2018, 2019, 2020]"),
        ("2017 et 2019", 11, "[2017, 2019]"),
        ("[2017 à 2019]", 12, "[2017, 2018, 2019]"),
        ("[2015, 2017-2018]", 18, "[2015, 2017, 2018]"),
    ],
)
def test_years_of_a_domain_as_people_write_them(
    tmp_path: Path, written: str, col: int, meant: str
) -> None:
    # A range was told `editions: [2017-2020]`, which then failed as an element.
    text = f"---\ntitre: Accessibilité\nordre: 3\neditions: {written}\n---\nTexte.\n"
    assert one(tmp_path, {D: text}).endswith(f" écrivez `editions: {meant}`")
    assert one(tmp_path, {D: text}).startswith(f"{D}:4:{col}: ")


def test_years_a_text_does_not_list_are_not_made_a_list(tmp_path: Path) -> None:
    # `depuis 2017` was told `editions: [depuis 2017]`.
    text = "---\ntitre: Accessibilité\nordre: 3\neditions: depuis 2017\n---\nTexte.\n"
    assert one(tmp_path, {D: text}) == (
        f"{D}:4:11: `editions` doit être une liste d'années, par exemple `editions: [2016, 2017]`"
    )


@pytest.mark.parametrize("written", [".inf", ".nan", "2017-02-01"])
def test_a_list_of_texts_written_as_a_value_yaml_reads_otherwise(
    tmp_path: Path, written: str
) -> None:
    # One text for a list of texts is a list of one; YAML reads these as a number or a date,
    # which validation took for a list and ended in a TypeError (found by trying every
    # field with odd values).
    assert problems(tmp_path, {C: commune(extra=f"anciens_noms: {written}\n")}) == []
    found = one(tmp_path / "b", {A: action(domaines=written)})
    assert found.startswith(f"{A}:5:11: `domaines` : le domaine « {written} » n'existe pas")


@pytest.mark.parametrize(
    ("written", "found"),
    [("", None), ("'  '", None), ("[a, b]", "une liste"), ("{a: 1}", "un ensemble de champs")],
)
def test_a_choice_left_empty_or_given_a_list(
    tmp_path: Path, written: str, found: str | None
) -> None:
    # `type:` was « trouvé : « None » : vouliez-vous écrire `type: commune` ? », and a list
    # was shown as Python writes it, « ['a', 'b'] ».
    message = one(tmp_path, {C: commune(extra=f"type: {written}\n")})
    if found is None:
        assert message.endswith(
            "`type` est vide : écrivez par exemple `type: commune`, ou retirez la ligne"
        )
    else:
        assert message.endswith(f"`type` vaut `commune` ou `intercommunalite` ; trouvé : {found}")


def test_a_code_yaml_reads_as_yes_or_no(tmp_path: Path) -> None:
    assert one(tmp_path, {C: commune("yes")}) == (
        f"{C}:1:7: `code` doit être un texte entre guillemets (code INSEE de cinq caractères) : "
        'écrivez `code: "yes"` ; YAML lit yes comme un oui ou un non, pas comme un texte'
    )


@pytest.mark.parametrize(
    ("labels", "line", "first", "second", "above"),
    [
        ("  - annee: 2017\n  - arobases: 3\n", 6, "arobases", "annee", 5),
        ("  - annee: 2017\n  - arobases: 3\n    mention: Verte\n", 6, "arobases", "annee", 5),
        (
            "  - annee: 2016\n    arobases: 2\n  - annee: 2017\n  - arobases: 3\n",
            8,
            "arobases",
            "annee",
            7,
        ),
        ("  - annee: 2017\n    arobases: 3\n  - mention: Verte\n", 7, "mention", "annee", 5),
    ],
)
def test_a_label_written_as_two_a_dash_before_each_field(
    tmp_path: Path, labels: str, line: int, first: str, second: str, above: int
) -> None:
    # Each half was told the field the other holds: « le champ `arobases` est obligatoire »
    # at the first, « le champ `annee` est obligatoire » at the second.
    assert one(tmp_path, {C: commune(labels=labels)}) == (
        f"{C}:{line}:5: ce tiret commence un autre label : retirez-le et alignez `{first}` "
        f"sous `{second}` (ligne {above}) ; un label s'écrit en un bloc, un seul tiret devant "
        "son premier champ"
    )


def test_two_labels_each_missing_a_field_are_not_one(tmp_path: Path) -> None:
    labels = "  - annee: 2017\n  - annee: 2018\n"
    assert problems(tmp_path, {C: commune(labels=labels)}) == [
        f"{C}:5:5: le champ `arobases` est obligatoire : ajoutez une ligne `arobases: 3`",
        f"{C}:6:5: le champ `arobases` est obligatoire : ajoutez une ligne `arobases: 3`",
    ]


def test_a_label_written_as_three_is_told_at_each_dash(tmp_path: Path) -> None:
    found = problems(
        tmp_path, {C: commune(labels="  - annee: 2017\n  - arobases: 3\n  - mention: V\n")}
    )
    assert len(found) == 2
    assert found[0].startswith(
        f"{C}:6:5: ce tiret commence un autre label : retirez-le et alignez `arobases` sous `annee` (ligne 5)"
    )
    assert found[1].startswith(
        f"{C}:7:5: ce tiret commence un autre label : retirez-le et alignez `mention` sous `annee` (ligne 5)"
    )
