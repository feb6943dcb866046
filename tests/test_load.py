"""Reading files: encodings, line endings, YAML mistakes and front matter, each at its place.

Bad files go through the whole `check` so the test sees exactly what `check` prints; the
data a good file gives is read from `load_file`, the stage under test.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from palmares.content.load import SourceFile, load_file
from palmares.content.read import Kind
from palmares.freshness import discover
from palmares.pipeline import build, check
from tests.helpers import action, check_one, commune, problems, slipped, write_project

C = "communes/01/amberieu-en-bugey.yaml"
P = "content/pages/a-propos.md"


def loaded(raw: bytes | str, kind: Kind = Kind.COMMUNE, rel: str = C) -> SourceFile:
    file, found = load_file(raw.encode() if isinstance(raw, str) else raw, rel, kind)
    assert found == []
    assert file is not None
    return file


# --- encodings and line endings -----------------------------------------------------------


def test_latin1_file_is_reported_at_the_first_bad_byte(tmp_path: Path) -> None:
    raw = commune(nom="Ambérieu-en-Bugey").encode("latin-1")
    assert problems(tmp_path, {C: raw}) == [
        f"{C}:2:9: le fichier n'est pas en UTF-8 (octet 0xe9) : enregistrez-le en UTF-8 "
        "(dans VS Code : « Enregistrer avec l'encodage » → UTF-8). "
        "Un fichier Latin-1 ou Windows-1252 n'est pas accepté."
    ]


def test_bad_byte_column_counts_characters_not_bytes(tmp_path: Path) -> None:
    # Regression: "Barœul " is 7 characters but 8 bytes; the column was one too far.
    raw = 'code: "59378"\nnom: Barœul '.encode() + "é\n".encode("latin-1")
    assert problems(tmp_path, {C: raw})[0].startswith(f"{C}:2:13: le fichier n'est pas en UTF-8")


def test_windows_1252_apostrophe(tmp_path: Path) -> None:
    raw = "nom: L’Haÿ-les-Roses\n".encode("cp1252")
    assert problems(tmp_path, {C: raw})[0].startswith(
        f"{C}:1:7: le fichier n'est pas en UTF-8 (octet 0x92)"
    )


def test_latin1_markdown(tmp_path: Path) -> None:
    raw = "---\ntitre: À propos\n---\nTexte.\n".encode("latin-1")
    assert problems(tmp_path, {P: raw})[0].startswith(
        f"{P}:2:8: le fichier n'est pas en UTF-8 (octet 0xc0)"
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_is_named(tmp_path: Path, encoding: str) -> None:
    """Notepad's « Unicode » is UTF-16: it was told « pas en UTF-8 (octet 0xff) … un fichier
    Latin-1 ou Windows-1252 n'est pas accepté », which it is not."""
    raw = commune(nom="Ambérieu-en-Bugey").encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    assert problems(tmp_path, {C: raw}) == [
        f"{C}:1:1: le fichier est en UTF-16 (le codage « Unicode » du Bloc-notes de Windows) : "
        "enregistrez-le en UTF-8 (dans VS Code : « Enregistrer avec l'encodage » → UTF-8 ; "
        "dans le Bloc-notes : Enregistrer sous, Codage : UTF-8)"
    ]


def test_nul_byte(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: 'code: "01004"\nnom: A\x00\n'}) == [
        f"{C}:2: le fichier contient un caractère nul : est-ce bien du texte ?"
    ]


def test_bom_and_crlf_leave_no_trace_in_the_data(tmp_path: Path) -> None:
    text = "\ufeff" + commune(extra="anciens_noms: [Ambérieu]\n").replace("\n", "\r\n")
    file = loaded(text)
    assert file.data["code"] == "01004"  # the BOM is not part of the first key
    assert file.data["anciens_noms"] == ["Ambérieu"]
    assert "\ufeff" not in repr(file.data) and "\r" not in repr(file.data)
    assert file.pos("labels", 0, "arobases").line == 7


def test_bom_and_crlf_markdown_builds(tmp_path: Path) -> None:
    text = "\ufeff" + action(body="Premier.\n\nSecond.\n").replace("\n", "\r\n")
    file = loaded(text, Kind.ACTION, "content/actions/a.md")
    assert file.data["titre"] == "Une action"
    assert file.body == "Premier.\n\nSecond.\n"
    assert file.body_line == 7
    result = check(write_project(tmp_path, {"content/actions/a.md": text}))
    assert result.problems == []
    assert result.site is not None
    (built,) = result.site.actions
    assert "\r" not in built.body_html and "\ufeff" not in built.body_html + built.titre


def test_old_mac_line_endings(tmp_path: Path) -> None:
    file = loaded(commune().replace("\n", "\r"))
    assert file.pos("departement").line == 3
    assert "\r" not in repr(file.data)


# --- YAML that cannot be read ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("labels", "line", "advice"),
    [
        # What the tab stands for depends on the line above: following the advice gives a
        # file that reads (checked below).
        ("  - annee: 2017\n\tarobases: 3\n", 6, "par 4 espaces, pour l'aligner sur `annee` de la ligne 5"),
        ("\t- annee: 2017\n    arobases: 3\n", 5, "par 2 espaces, pour la placer sous `labels:` de la ligne 4"),
        ("  - annee: 2017\n    arobases: 3\n\t- annee: 2018\n    arobases: 2\n", 7, "par 2 espaces, pour l'aligner sur le tiret de l'élément précédent"),
    ],
)  # fmt: skip
def test_tab_indentation(tmp_path: Path, labels: str, line: int, advice: str) -> None:
    text = commune(labels=labels)
    assert problems(tmp_path / "tab", {C: text}) == [
        f"{C}:{line}:1: une tabulation sert d'indentation : YAML n'accepte que des espaces : "
        f"remplacez les tabulations du début de ligne {advice}"
    ]
    spaces = int(advice.split()[1])
    assert problems(tmp_path / "advice followed", {C: text.replace("\t", " " * spaces)}) == []


def test_tab_advice_on_a_field_beside_the_one_above(tmp_path: Path) -> None:
    beside = 'code: "01004"\n\tnom: Ambérieu-en-Bugey\n'
    assert problems(tmp_path / "b", {C: beside})[0].endswith(
        "retirez les tabulations du début de ligne, pour l'aligner sur `code` de la ligne 1"
    )


def test_duplicate_key(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune(extra='departement: "01"\n')}) == [
        f"{C}:4:1: le champ `departement` apparaît deux fois (déjà ligne 3) : gardez-en un seul"
    ]


def test_colon_in_a_value_gets_the_quoted_line(tmp_path: Path) -> None:
    # Regression: PyYAML's English "mapping values are not allowed in this context".
    assert problems(tmp_path, {C: commune(nom="Saint-Denis: la ville")}) == [
        f"{C}:2:17: la valeur de `nom` contient « : » : mettez-la entre guillemets, "
        '`nom: "Saint-Denis: la ville"`'
    ]


def test_line_indented_too_far(tmp_path: Path) -> None:
    text = 'code: "01004"\nnom: Ambérieu\n  departement: "01"\n'
    assert problems(tmp_path, {C: text}) == [
        f"{C}:3:14: deux-points inattendu : vérifiez l'indentation de cette ligne (alignée sur "
        "les champs de même niveau), ou mettez entre guillemets une valeur qui contient « : »"
    ]


def test_unclosed_bracket_points_at_the_bracket(tmp_path: Path) -> None:
    # Regression: reported on the next line, where PyYAML gave up.
    text = commune(extra="anciens_noms: [Ambérieu, Bugey\n")
    assert problems(tmp_path, {C: text}) == [
        f"{C}:4:15: la liste ouverte par `[` n'est pas fermée : séparez les éléments par des "
        "virgules et terminez par `]`, par exemple `domaines: [teletravail, accessibilite]`"
    ]


def test_unclosed_brace(tmp_path: Path) -> None:
    text = commune(extra="coordonnees: {lat: 45.96, lon: 5.36\n")
    assert problems(tmp_path, {C: text}) == [
        f"{C}:4:14: l'accolade `{{` n'est pas fermée : séparez les champs par des virgules et "
        "terminez par `}`, par exemple `coordonnees: {lat: 50.67, lon: 3.10}`"
    ]


def test_unclosed_quote_points_at_the_quote(tmp_path: Path) -> None:
    text = 'code: "01004"\nnom: Ambérieu\ndepartement: "01\n'
    assert problems(tmp_path, {C: text}) == [
        f"{C}:3:14: ces guillemets ne sont jamais refermés : ajoutez le guillemet fermant en fin "
        "de valeur"
    ]


def test_line_without_colon(tmp_path: Path) -> None:
    text = 'code: "01004"\nnom Ambérieu\ndepartement: "01"\n'
    assert problems(tmp_path, {C: text}) == [
        f"{C}:2:1: il manque le deux-points : écrivez chaque champ sous la forme `nom: valeur`"
    ]


def test_missing_space_after_the_colon(tmp_path: Path) -> None:
    # Regression: YAML reads `nom:Ambérieu` as one text and fails on the next line.
    text = 'code: "01004"\nnom:Ambérieu-en-Bugey\ndepartement: "01"\n'
    assert problems(tmp_path, {C: text}) == [
        f"{C}:2:4: il manque une espace après `nom:` : écrivez `nom: Ambérieu-en-Bugey`"
    ]


def test_dash_on_the_line_of_its_field(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune(extra="anciens_noms: - Ambérieu\n")}) == [
        f"{C}:4:15: un tiret `- ` ne peut pas suivre `anciens_noms:` sur la même ligne : passez à "
        "la ligne pour chaque élément de la liste, ou mettez la valeur entre guillemets"
    ]


def test_empty_entry_between_two_commas(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune(extra="anciens_noms: [Ambérieu,, Bugey]\n")}) == [
        f"{C}:4:25: « , » inattendu : une valeur manque avant, ou la valeur contient « , » et "
        "doit être mise entre guillemets"
    ]


@pytest.mark.parametrize("char", ["@", "&", "%", "`"])
def test_value_starting_with_a_yaml_sign(tmp_path: Path, char: str) -> None:
    text = commune(labels=f"  - annee: 2017\n    arobases: 3\n    mention: {char} verte\n")
    assert problems(tmp_path, {C: text}) == [
        f"{C}:7:14: une valeur ne peut pas commencer par « {char} » en YAML : "
        f'mettez-la entre guillemets, `mention: "{char} verte"`'
    ]


def test_tag_on_a_list_is_refused(tmp_path: Path) -> None:
    text = commune(nom="!!python/object/apply:os.system [echo]")
    assert problems(tmp_path, {C: text}) == [
        f"{C}:2:6: `nom` doit être un texte, pas une liste",
        f"{C}:2:6: l'étiquette YAML `!!python/object/apply:os.system` n'est pas acceptée : "
        "retirez-la (une valeur s'écrit telle quelle, ou entre guillemets)",
    ]


def test_number_of_at_signs_written_as_the_label_shows_it(tmp_path: Path) -> None:
    # `@@@@` is how the label is shown; to YAML it is a sign that cannot start a value.
    text = commune(labels="  - annee: 2017\n    arobases: @@@@  # d'après le jury\n")
    assert problems(tmp_path, {C: text}) == [
        f"{C}:6:15: une valeur ne peut pas commencer par « @ » en YAML : écrivez `arobases: 4`"
    ]


def test_value_to_quote_keeps_its_quotes_and_loses_its_comment(tmp_path: Path) -> None:
    text = commune(labels='  - annee: 2017\n    arobases: 3\n    mention: @ "bravo" \\o/ # ok\n')
    assert problems(tmp_path, {C: text}) == [
        f"{C}:7:14: une valeur ne peut pas commencer par « @ » en YAML : "
        'mettez-la entre guillemets, `mention: "@ \\"bravo\\" \\\\o/"`'
    ]


@pytest.mark.parametrize("sign", [">", "|"])
def test_value_starting_with_a_block_scalar_sign(tmp_path: Path, sign: str) -> None:
    # `>` and `|` start a text written on the lines below; LibYAML said so in English
    # (« did not find expected comment or line break (while scanning a block scalar) »).
    text = commune(labels=f"  - annee: 2017\n    arobases: 3\n    mention: {sign} verte\n")
    assert problems(tmp_path, {C: text}) == [
        f"{C}:7:14: une valeur ne peut pas commencer par « {sign} » en YAML : "
        f'mettez-la entre guillemets, `mention: "{sign} verte"`'
    ]
    below = commune(labels=f"  - annee: 2017\n    arobases: 3\n    mention: {sign}\n      verte\n")
    assert problems(tmp_path / "b", {C: below}) == []


@pytest.mark.parametrize("line", ["%abels:", "% 2017"])
def test_line_starting_with_a_percent_sign(tmp_path: Path, line: str) -> None:
    # A YAML directive to LibYAML, which said so in English.
    text = commune() + line + "\n"
    assert problems(tmp_path, {C: text})[0].endswith(
        ": une ligne ne peut pas commencer par « % » en YAML (elle serait une directive) : "
        "retirez-le, ou mettez entre guillemets la valeur qui le contient"
    )


@pytest.mark.parametrize("before", ["", "# Ambérieu-en-Bugey\n\n"])
def test_first_field_indented_alone(tmp_path: Path, before: str) -> None:
    # LibYAML said « did not find expected <document start> » at the second line.
    line = before.count("\n") + 1
    assert problems(tmp_path, {C: before + "  " + commune()}) == [
        f"{C}:{line}:1: cette ligne commence par des espaces, pas les suivantes : les champs du "
        'fichier commencent en début de ligne, écrivez `code: "01004"` sans espace avant'
    ]


@pytest.mark.parametrize(
    ("written", "col", "meant"),
    [
        # French puts apostrophes in everything: a text in apostrophes ends at the first.
        ("'Coup d'œil'", 22, '"Coup d\'œil"'),
        ("'Coup d'œil'  # du jury", 22, '"Coup d\'œil"'),
        ('"La bonne" appli', 25, "'\"La bonne\" appli'"),
        ("'L'appli \"x\"'", 17, '"L\'appli \\"x\\""'),
    ],
)
def test_text_in_quotes_closed_by_a_quote_it_holds(
    tmp_path: Path, written: str, col: int, meant: str
) -> None:
    # Was « cette ligne ne suit pas la structure des lignes précédentes : vérifiez son
    # indentation… », about a line whose indentation is right.
    text = commune(labels=f"  - annee: 2017\n    arobases: 3\n    mention: {written}\n")
    assert problems(tmp_path, {C: text}) == [
        f"{C}:7:{col}: le texte entre guillemets s'arrête avant la fin de la ligne, au "
        f"guillemet ou à l'apostrophe qu'il contient : écrivez `mention: {meant}`"
    ]


def test_sign_inside_a_list_is_told_to_be_quoted(tmp_path: Path) -> None:
    text = commune(extra="anciens_noms: [Ambérieu, @Bugey]\n")
    assert problems(tmp_path, {C: text}) == [
        f"{C}:4:26: une valeur ne peut pas commencer par « @ » en YAML : mettez-la entre guillemets"
    ]


def test_two_documents_in_one_file(tmp_path: Path) -> None:
    text = commune() + "---\n" + commune('"01005"')
    assert problems(tmp_path, {C: text}) == [
        f"{C}:7:1: une ligne `---` coupe le fichier en deux documents : un fichier n'en décrit "
        "qu'un, retirez cette ligne"
    ]


def test_leading_document_marker_is_fine(tmp_path: Path) -> None:
    assert loaded("---\n" + commune()).pos("code").line == 2


def test_unknown_escape_in_double_quotes(tmp_path: Path) -> None:
    text = commune(nom='"Ambérieu\\Bugey"')
    assert problems(tmp_path, {C: text}) == [
        f"{C}:2:15: entre guillemets doubles, la barre oblique inverse `\\` commence un code "
        "spécial : doublez-la (`\\\\`) ou mettez la valeur entre guillemets simples"
    ]


def test_text_after_a_quoted_value(tmp_path: Path) -> None:
    text = commune(nom='"Ambérieu" en Bugey')
    assert problems(tmp_path, {C: text}) == [
        f"{C}:2:17: le texte entre guillemets s'arrête avant la fin de la ligne, au guillemet "
        "ou à l'apostrophe qu'il contient : écrivez `nom: '\"Ambérieu\" en Bugey'`"
    ]


def test_python_tag_is_refused(tmp_path: Path) -> None:
    text = commune(nom="!!python/object:os.system echo")
    assert problems(tmp_path, {C: text}) == [
        f"{C}:2:6: l'étiquette YAML `!!python/object:os.system` n'est pas acceptée : retirez-la "
        "(une valeur s'écrit telle quelle, ou entre guillemets)"
    ]


def test_key_that_is_not_a_word(tmp_path: Path) -> None:
    assert problems(tmp_path, {C: commune(extra="2017-02-01: 3\n")}) == [
        f"{C}:4:1: un nom de champ doit être un mot, par exemple `nom:`"
    ]


def test_a_label_written_as_year_and_number_of_at_signs(tmp_path: Path) -> None:
    # « 2017 : 3 @ », as a table of the palmarès says it: the message was the example
    # `nom:`, beside « `annee` » and « `arobases` » missing.
    found = problems(tmp_path, {C: commune(labels="  - 2017: 3\n")})
    assert found[0] == (
        f"{C}:5:5: `2017: 3` : un nom de champ doit être un mot : un label s'écrit "
        "`- annee: 2017` puis, dessous, `arobases: 3`"
    )
    assert problems(
        tmp_path / "b", {"content/pages/a.md": "---\ntitre: A\n2017: 3\n---\nT.\n"}
    ) == ["content/pages/a.md:3:1: `2017: 3` : un nom de champ doit être un mot"]


def test_alias_is_refused_where_it_is_used(tmp_path: Path) -> None:
    text = commune(nom="&n Ambérieu", extra="anciens_noms: [*n]\n")
    assert problems(tmp_path, {C: text}) == [
        f"{C}:4:16: l'alias YAML `*n` n'est pas accepté : recopiez la valeur elle-même "
        "(et retirez `&n`)"
    ]


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["@", "@", "@", "@", "@", "@", "@", "@", "@"]']
    for n in range(1, 12):  # 9**12 leaves if expanded
        prev, name = chr(ord("a") + n - 1), chr(ord("a") + n)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    found = problems(tmp_path, {C: "\n".join(lines) + "\n"})
    assert time.perf_counter() - started < 2
    assert found == [
        f"{C}:2:8: l'alias YAML `*a` n'est pas accepté : recopiez la valeur elle-même "
        "(et retirez `&a`)"
    ]


def test_huge_flat_file_is_read(tmp_path: Path) -> None:
    names = "".join(f"  - Nom {n}\n" for n in range(5000))
    file = loaded(commune(extra=f"anciens_noms:\n{names}"))
    assert len(file.data["anciens_noms"]) == 5000


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(tmp_path, {C: commune()})
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "amberieu-en-bugey.yaml":
            raise PermissionError(13, "Permission non accordée")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert [str(p) for p in check(tmp_path).problems] == [
        f"{C}: le fichier ne peut pas être lu (permission refusée) : rendez-le lisible "
        f"(chmod a+r {C}), ou retirez-le"
    ]


def test_unreadable_file_through_gather(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(tmp_path, {C: commune()})
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "amberieu-en-bugey.yaml":
            raise PermissionError(13, "Permission non accordée")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert [str(p) for p in check(tmp_path).problems] == [
        f"{C}: le fichier ne peut pas être lu (permission refusée) : rendez-le lisible "
        f"(chmod a+r {C}), ou retirez-le"
    ]


# --- front matter ---------------------------------------------------------------------------


NO_HEADER = (
    "l'en-tête manque : le fichier doit commencer par une ligne `---`, les champs (par exemple "
    "`titre: …`), puis une ligne `---` avant le texte ; si ce n'est pas un texte du site (un "
    "README…), déplacez-le hors de content/, ou faites commencer son nom par `_` : il ne sera "
    "pas lu"
)


def test_markdown_without_front_matter(tmp_path: Path) -> None:
    assert problems(tmp_path, {P: "# À propos\n\nTexte.\n"}) == [f"{P}:1:1: {NO_HEADER}"]


def test_a_readme_named_with_an_underscore_is_not_read(tmp_path: Path) -> None:
    # What the message above offers: a file whose name starts with `_` is not read.
    readme = "# Les actions\n\nUne action par fichier, rangée par année.\n"
    assert problems(tmp_path, {"content/actions/README.md": readme}) == [
        f"content/actions/README.md:1:1: {NO_HEADER}"
    ]
    assert problems(tmp_path / "b", {"content/actions/_README.md": readme}) == []


def test_markdown_front_matter_not_closed(tmp_path: Path) -> None:
    assert problems(tmp_path, {P: "---\ntitre: À propos\n\nTexte.\n"}) == [
        f"{P}:1:1: l'en-tête n'est pas fermé : ajoutez une ligne `---` après les champs"
    ]


def test_empty_markdown_file(tmp_path: Path) -> None:
    assert problems(tmp_path, {P: ""}) == [f"{P}:1:1: {NO_HEADER}"]


def test_front_matter_lines_are_the_file_lines(tmp_path: Path) -> None:
    text = action(extra="mention_speciale: peut-être\n")
    assert problems(tmp_path, {"content/actions/a.md": text}) == [
        "content/actions/a.md:6:19: `mention_speciale` vaut `true` ou `false` ; "
        "trouvé : « peut-être »"
    ]


def test_front_matter_yaml_error_line(tmp_path: Path) -> None:
    text = "---\ntitre: À propos\ndomaines: [a, b\n---\nTexte.\n"
    assert problems(tmp_path, {P: text})[0].startswith(f"{P}:3:11: la liste ouverte par `[`")


def test_front_matter_tab_line(tmp_path: Path) -> None:
    text = "---\ntitre: À propos\nlieu:\n\tParis\n---\n"
    assert problems(tmp_path, {P: text})[0].startswith(f"{P}:4:1: une tabulation")


def test_front_matter_starting_with_a_blank_line(tmp_path: Path) -> None:
    # Regression: python-frontmatter's `---\s*$` swallowed the blank line: one line short.
    file = loaded("---\n\ntitre: À propos\nlieu: Lille\n---\nTexte.\n", Kind.PAGE, P)
    assert (file.pos("titre").line, file.pos("lieu").line) == (3, 4)


def test_front_matter_fences_with_trailing_spaces_and_more_dashes(tmp_path: Path) -> None:
    file = loaded("----  \ntitre: À propos\n---- \n\n\nTexte.\n---\nEncore.\n", Kind.PAGE, P)
    assert file.data == {"titre": "À propos"}
    assert file.body == "Texte.\n---\nEncore.\n"
    assert file.body_line == 6


def test_body_is_not_parsed_as_yaml(tmp_path: Path) -> None:
    body = "Texte : avec deux-points.\n\n\t- et une tabulation\n"
    file = loaded(f"---\ntitre: À propos\n---\n{body}", Kind.PAGE, P)
    assert file.body == body


# --- which files are read -------------------------------------------------------------------


def test_discovery_reads_yml_and_subfolders_and_skips_hidden_files(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "communes/01/ain/amberieu.yml": commune(),
            "communes/01/.amberieu.yaml.swp": "pas du YAML : {",
            "communes/01/_brouillon.yaml": "pas du YAML : {",
            "communes/.cache/x.yaml": "pas du YAML : {",
            "communes/01/notes.csv": "pas du YAML : {",
        },
    )
    found, missing = discover(tmp_path)
    assert missing == [] and check(tmp_path).problems == []
    assert [f.rel for f in found] == [
        "communes/01/ain/amberieu.yml",
        "communes/59/marcq-en-baroeul.yaml",
        "content/domaines/teletravail.md",
    ]


COMMUNES = ("communes/", ".yaml et .yml", "une collectivité")


@pytest.mark.parametrize(
    ("rel", "name", "where"),
    [
        ("communes/59/lille.yaml.txt", "lille.yaml", COMMUNES),
        ("communes/59/lille.txt", "lille.yaml", COMMUNES),
        (
            "content/actions/2017/lille.markdown",
            "lille.md",
            ("content/actions/", ".md", "une action"),
        ),
        (
            "content/actions/2017/lille.md.txt",
            "lille.md",
            ("content/actions/", ".md", "une action"),
        ),
        ("content/pages/lille.MKD", "lille.md", ("content/pages/", ".md", "une page")),
    ],
)
def test_a_file_meant_to_be_read_but_not_named_so_is_a_warning(
    tmp_path: Path, rel: str, name: str, where: tuple[str, str, str]
) -> None:
    # Notepad adds `.txt`, which Windows hides: `lille.yaml` on screen, and the
    # collectivité missing from the site without a word. Not read: what it holds is not
    # checked either (here, a good collectivité's file).
    write_project(tmp_path, {rel: commune(code='"59350"', nom="Lille", departement='"59"')})
    place, endings, what = where
    hidden = rel.endswith(".txt") and name in rel  # `lille.yaml.txt`, not `lille.txt`
    result = check(tmp_path)
    assert [str(p) for p in result.problems] == [
        f"{rel}: avertissement : ce fichier n'est pas lu (seuls les fichiers {endings} de "
        f"{place} le sont) : s'il décrit {what}, renommez-le `{name}`"
        + (" (Windows masque peut-être la fin .txt de son nom)" if hidden else "")
    ]
    assert result.site is not None and "59350" not in result.site.by_code
    assert build(tmp_path, tmp_path / "site").problems == result.problems  # build agrees


def test_int_tag_without_digits_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    # Regression: PyYAML raises IndexError building `!!int` from nothing; found by fuzzing.
    text = commune(labels="  - annee: !!int\n    arobases: 3\n")
    assert problems(tmp_path, {C: text}) == [
        f"{C}:5:12: `annee` doit être un nombre entier de 1999 à 2100, sans guillemets ni espaces "
        "; trouvé : une valeur vide : par exemple `annee: 2017`"
    ]


PIECES = [
    *" \n\t:-[]{},\"'#&*!|>%@`?~0é\\",
    *["null", "2017-02-30", "---", "  - ", ": ", "\r\n", "\ufeff", "labels:", "annee:"],
    *["&a", "*a", "!!int", "!!binary", "\x00"],
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(PIECES), max_size=40),
    st.sampled_from([Kind.COMMUNE, Kind.ACTION, Kind.PAGE]),
)
def test_no_text_makes_reading_or_checking_raise(parts: list[str], kind: Kind) -> None:
    raw = "".join(parts).encode("utf-8")
    rel = "communes/x.yaml" if kind is Kind.COMMUNE else "content/pages/x.md"
    for text in (raw, b"---\n" + raw + b"\n---\n"):
        check_one(text, rel, kind)


def test_a_message_quoting_pages_keeps_its_start_and_its_advice() -> None:
    from palmares.problems import MESSAGE_MAX, Problem

    message = "`nom` : trouvé : « " + "A" * 100_000 + " » : écrivez `nom: Aix-les-Bains`"
    cut = Problem("communes/73/aix.yaml", 4, 6, message).message
    assert len(cut) < MESSAGE_MAX + 40
    assert cut.startswith("`nom` : trouvé : « AAA") and cut.endswith("écrivez `nom: Aix-les-Bains`")
    assert "[…99" in cut
    assert Problem("a", 1, 1, "court").message == "court"


def test_a_very_long_line_is_told_at_once(tmp_path: Path) -> None:
    # The patterns that read a field's line were quadratic in its length: 28 s for 100 000
    # characters of spaces and tabs after a sign YAML reserves (found by timing them). Now a
    # search: were it quadratic again, this line of 400 000 would take minutes.
    line = "    mention: @" + " \t" * 200_000 + "x\n"
    found = problems(tmp_path, {C: commune(labels="  - annee: 2017\n    arobases: 3\n" + line)})
    assert found[0].startswith(f"{C}:7:14: une valeur ne peut pas commencer par « @ » en YAML")


@pytest.mark.parametrize(
    ("second", "col", "said"),
    [
        ("    - annee: 2018\n      arobases: 4\n", 5, "de 2 espaces à droite"),
        (" - annee: 2018\n   arobases: 4\n", 2, "de 1 espace à gauche"),
    ],
)
def test_a_list_element_whose_dash_is_not_under_the_one_above(
    tmp_path: Path, second: str, col: int, said: str
) -> None:
    # LibYAML says it found no field's name there; the message was about indentation in
    # general and quotes left open above.
    labels = "  - annee: 2017\n    arobases: 3\n" + second
    assert problems(tmp_path, {C: commune(labels=labels)}) == [
        f"{C}:7:{col}: ce tiret est décalé {said} de celui de la ligne 5 : alignez-le dessous, "
        "les éléments d'une liste commencent à la même colonne"
    ]


@pytest.mark.parametrize(("start", "col"), [('!code: "01004"', 1), ('"code: "01004"', 1)])
def test_a_first_line_that_is_no_field(tmp_path: Path, start: str, col: int) -> None:
    # LibYAML: « did not find expected <document start> », at the second line.
    text = commune().replace('code: "01004"', start, 1)
    assert problems(tmp_path, {C: text}) == [
        f"{C}:1:{col}: cette ligne ne se lit pas comme un champ : écrivez-la `nom: valeur`, le "
        "nom en début de ligne, sans signe ni guillemet devant"
    ]


def test_a_tag_glued_to_a_quoted_value(tmp_path: Path) -> None:
    # LibYAML: « did not find expected whitespace or line break (while scanning a tag) ».
    assert problems(tmp_path, {C: commune(departement='!"01"')}) == [
        f"{C}:3:15: « ! » devant une valeur en fait une étiquette YAML : retirez-le, ou mettez "
        "la valeur entre guillemets"
    ]


def test_random_slips_in_a_valid_file_are_said_in_french(tmp_path: Path) -> None:
    """1 200 seeded random slips (a sign of YAML inserted, replaced or deleted, once or twice)
    in a valid collectivité: none falls through to LibYAML's own words (« YAML invalide
    (did not find expected …) »). How this session found six of them; 2 s."""
    valid = (
        'code: "59378"\nnom: Marcq-en-Barœul\ndepartement: "59"\n'
        "site_web: https://www.marcq.fr\ncoordonnees: {lat: 50.67, lon: 3.10}\n"
        'anciens_noms: [Marcq, "Marcq-lez-Lille"]\nlabels:\n  - annee: 2017\n    arobases: 5\n'
        "    mention: Arobase verte\n    distinctions:\n      - Territoire innovant\n"
    )
    signs = [*":-[]{},'\"#&*!|>%@`?\t ", "\n", "  ", ": ", "- ", "“", "«", "\u00a0"]
    english = []
    for name, text in slipped(valid, signs, seeds=8, each=150):
        found = problems(tmp_path / name, {C: text})
        english += [p for p in found if "YAML invalide (" in p]
    assert english == []


def test_a_dash_one_space_too_far_joins_two_elements(tmp_path: Path) -> None:
    # `   - Bugey` one space right of `  - Ambérieu`: YAML reads one text, « Ambérieu -
    # Bugey », and the collectivité had one former name where two were meant, silently.
    found = problems(tmp_path, {C: commune(extra="anciens_noms:\n  - Ambérieu\n   - Bugey\n")})
    assert found == [
        f"{C}:6:4: avertissement : ce tiret continue le texte de la ligne 5, lu « Ambérieu - "
        "Bugey » : pour un élément de plus, alignez ce tiret sous celui de l'élément au-dessus ; "
        "pour un seul texte, mettez-le entre guillemets"
    ]
    text = action(domaines="\n  - teletravail\n   - accessibilite")
    found = problems(tmp_path / "b", {"content/actions/2017/a.md": text})
    assert [p[:60] for p in found] == [
        "content/actions/2017/a.md:6:5: `domaines` : le domaine « tel",
        "content/actions/2017/a.md:7:4: avertissement : ce tiret cont",
    ]
    # A text over two lines with no dash, two elements aligned: nothing to say.
    ok = "anciens_noms:\n  - Ambérieu, un nom\n    sur deux lignes\n  - Bugey\n"
    assert problems(tmp_path / "c", {C: commune(extra=ok)}) == []
