"""Hostile and broken text (issue 14): control, invisible and bidirectional characters, names in
decomposed Unicode, text a spreadsheet would run, YAML and Markdown nested or grown past what
any file of the palmarès needs. Each case goes through `check`, as an editor sees it."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from palmares.problems import Problem
from tests.helpers import BASE_COMMUNE, action, commune, problems, write_project

PROJECT = Path(__file__).resolve().parent.parent
C = "communes/01/amberieu-en-bugey.yaml"
A = "content/actions/2017/vocabulons.md"
DEPTH = (
    "les listes et les champs s’imbriquent ici sur plus de 20 niveaux : aucun fichier du "
    "palmarès n’en a besoin (le plus profond, `labels` puis `distinctions`, en compte quatre) "
    "; vérifiez les crochets `[` et l’indentation"
)
CONTROL = (
    "caractère de contrôle invisible {} : retirez-le (il vient souvent d’un copier-coller "
    "depuis un traitement de texte ou un terminal)"
)


# --- control characters -------------------------------------------------------------------


def test_control_character_in_a_yaml_file_is_refused_at_its_column(tmp_path: Path) -> None:
    text = commune(nom="Ambérieu\x1b[31m-en-Bugey")
    assert problems(tmp_path, {C: text}) == [f"{C}:2:14: {CONTROL.format('U+001B')}"]


def test_control_character_in_a_write_up_is_refused_at_its_line(tmp_path: Path) -> None:
    text = action(body="Premier paragraphe.\n\nUn retour\x08 arrière, un\x85 NEL.\n")
    assert problems(tmp_path, {A: text}) == [
        f"{A}:9:10: {CONTROL.format('U+0008')}",
        f"{A}:9:23: {CONTROL.format('U+0085')}",
    ]


def test_tab_and_newline_in_a_write_up_are_fine(tmp_path: Path) -> None:
    assert problems(tmp_path, {A: action(body="Un\ttableau\n\n\tdu code\n")}) == []


def test_a_problem_never_prints_a_control_character() -> None:
    problem = Problem("a\x1b.md", 1, 1, "« \x1b[2J\x07 »\n::error::x \u202e")
    assert str(problem) == "aU+001B.md:1:1: « U+001B[2JU+0007 »U+000A::error::x U+202E"


# --- YAML nested too deep -----------------------------------------------------------------


def test_yaml_nested_500_levels_is_refused_at_its_line(tmp_path: Path) -> None:
    # RecursionError until issue 14; a hundred thousand levels crashed the interpreter.
    text = commune(extra="anciens_noms: " + "[" * 500 + "]" * 500 + "\n")
    assert problems(tmp_path, {C: text}) == [f"{C}:4:34: {DEPTH}"]


def test_yaml_nested_100000_levels_is_refused_quickly(tmp_path: Path) -> None:
    text = 'code: "01004"\nanciens_noms:\n' + "- " * 100_000 + "x\n"
    start = time.perf_counter()
    assert problems(tmp_path, {C: text}) == [f"{C}:3:39: {DEPTH}"]
    assert time.perf_counter() - start < 5


def test_yaml_block_nesting_in_a_front_matter_is_refused_at_its_line(tmp_path: Path) -> None:
    nested = "".join("  " * i + "a:\n" for i in range(1, 30))
    text = action(extra=f"liens:\n{nested}")
    assert problems(tmp_path, {A: text}) == [f"{A}:26:41: {DEPTH}"]


def test_the_deepest_file_of_the_contract_is_fine(tmp_path: Path) -> None:
    labels = (
        "  - annee: 2017\n    arobases: 3\n    distinctions:\n      - Territoire d'excellence\n"
    )
    assert problems(tmp_path, {C: commune(labels=labels)}) == []


def test_check_does_not_crash_on_deep_yaml_in_a_subprocess(tmp_path: Path) -> None:
    write_project(tmp_path, {C: "a: " + "[" * 200_000 + "\n"})
    done = subprocess.run(
        [sys.executable, "build.py", "check", "--source", str(tmp_path), "--no-cache"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert f"{C}:1:23: {DEPTH}" in done.stderr


def test_base_commune_is_untouched_by_the_rules(tmp_path: Path) -> None:
    assert problems(tmp_path, {BASE_COMMUNE: None, C: commune()}) == []


# --- escapes, invisible and bidirectional characters, decomposed Unicode ------------------


def test_a_control_character_written_as_an_escape_is_refused_at_its_value(
    tmp_path: Path,
) -> None:
    # `titre: "Voca\x08"` built until issue 14, and made flux/actions.xml invalid XML.
    text = action().replace("titre: Une action", 'titre: "Voca\\x08"')
    assert problems(tmp_path, {A: text}) == [
        f"{A}:2:8: `titre` contient un {CONTROL.format('U+0008')}"
    ]


def test_a_newline_in_a_name_is_refused(tmp_path: Path) -> None:
    # A name with a newline then `::error …` was a workflow command in GitHub's log.
    text = commune(nom='"Ambérieu\\n::error file=x::piège"')
    assert problems(tmp_path, {C: text}) == [
        f"{C}:2:6: `nom` tient sur une ligne : retirez le saut de ligne (U+000A) qu’il contient"
    ]


def test_a_block_scalar_title_keeps_its_final_newline_without_a_word(tmp_path: Path) -> None:
    text = action().replace("titre: Une action", "titre: |\n  Vocabulons")
    assert problems(tmp_path, {A: text}) == []


def test_bidirectional_override_and_zero_width_in_names_are_refused(tmp_path: Path) -> None:
    text = commune(
        nom='"Ambérieu\\u202e-en-Bugey"',
        extra='anciens_noms: ["Ambé\\u200brieu", "Ambé\\u200drieu"]\n',
    )
    assert problems(tmp_path, {C: text}) == [
        f"{C}:2:6: `nom` contient un caractère de direction d’écriture (U+202E) : retirez-le ; "
        "retapez le texte s’il a été copié d’une autre application",
        f"{C}:4:16: `anciens_noms` (élément 1) contient un caractère invisible (U+200B) : "
        "retirez-le ; retapez le texte s’il a été copié d’une autre application",
        f"{C}:4:34: `anciens_noms` (élément 2) contient un caractère de liaison invisible "
        "(U+200D) : retirez-le",
    ]


def test_a_joiner_in_a_title_is_only_a_warning(tmp_path: Path) -> None:
    # 👩‍💻: an emoji sequence needs its zero-width joiner.
    text = action().replace("titre: Une action", "titre: Code\u00a0\U0001f469\u200d\U0001f4bb")
    assert problems(tmp_path, {A: text}) == [
        f"{A}:2:8: avertissement : `titre` contient un caractère de liaison invisible "
        "(U+200D) : retirez-le s’il ne sert pas à une suite d’émojis ou à une écriture qui en "
        "a besoin"
    ]


def test_a_name_in_decomposed_unicode_is_used_composed_with_a_warning(tmp_path: Path) -> None:
    decomposed = "Ambe\u0301rieu-en-Bugey"
    write_project(tmp_path, {C: commune(nom=decomposed)})
    from palmares.pipeline import check

    result = check(tmp_path)
    assert [str(p) for p in result.problems] == [
        f"{C}:2:6: avertissement : `nom` est écrit en Unicode décomposé (NFD : chaque accent "
        "est un caractère à part, comme l’enregistrent certaines applications du Mac) ; le site "
        "utilise la forme composée (NFC) « Ambérieu-en-Bugey » : retapez la valeur ou "
        "enregistrez le fichier en NFC pour ne plus voir cet avertissement"
    ]


# --- what a spreadsheet would run -----------------------------------------------------------


def test_a_name_a_spreadsheet_would_run_is_refused(tmp_path: Path) -> None:
    text = commune(nom='"=HYPERLINK(""http://x"")"'.replace('""', '\\"'))
    assert problems(tmp_path, {C: text}) == [
        f"{C}:2:6: `nom` commence par « = » : un tableur qui ouvre les données ouvertes "
        "(donnees/*.csv) le prendrait pour une formule ; commencez par une lettre ou un "
        'chiffre, par exemple `HYPERLINK("http://x")`'
    ]


def test_former_names_and_titles_a_spreadsheet_would_run(tmp_path: Path) -> None:
    files = {
        C: commune(extra='anciens_noms: ["+33 Ambérieu", "@Ambérieu"]\n'),
        A: action().replace("titre: Une action", 'titre: "=1+1"'),
        # A title may play on the sign: the open data puts a ' before it.
        "content/actions/2017/claviers.md": action().replace(
            "titre: Une action", 'titre: "@ vos claviers !"'
        ),
    }
    assert problems(tmp_path, files) == [
        f"{C}:4:16: `anciens_noms` (élément 1) commence par « + » : un tableur qui ouvre les "
        "données ouvertes (donnees/*.csv) le prendrait pour une formule ; commencez par une "
        "lettre ou un chiffre, par exemple `33 Ambérieu` (« Plus de… » pour « + de… »)",
        f"{C}:4:32: `anciens_noms` (élément 2) commence par « @ » : un tableur qui ouvre les "
        "données ouvertes (donnees/*.csv) le prendrait pour une formule ; commencez par une "
        "lettre ou un chiffre, par exemple `Ambérieu`",
        f"{A}:2:8: `titre` commence par « = » : un tableur qui ouvre les données ouvertes "
        "(donnees/*.csv) le prendrait pour une formule ; commencez par une lettre ou un "
        "chiffre, par exemple `1+1`",
    ]


def test_csv_cells_a_spreadsheet_would_run_start_with_a_quote(tmp_path: Path) -> None:
    from palmares.pipeline import build

    labels = (
        '  - annee: 2017\n    arobases: 3\n    mention: "+ de services"\n'
        '    distinctions: ["-50 % de papier", "Arobase verte"]\n'
    )
    claviers = action(commune='"01004"').replace("titre: Une action", 'titre: "@ vos claviers !"')
    source = write_project(
        tmp_path / "source",
        {C: commune(labels=labels), "content/actions/2017/claviers.md": claviers},
    )
    result = build(source, tmp_path / "site")
    assert result.errors == []
    labels_csv = (tmp_path / "site/donnees/palmares.csv").read_text(encoding="utf-8-sig")
    assert '"\'+ de services","\'-50 % de papier;Arobase verte"' in labels_csv
    actions_csv = (tmp_path / "site/donnees/actions.csv").read_text(encoding="utf-8-sig")
    assert '"\'@ vos claviers !"' in actions_csv
    # JSON is no spreadsheet: its texts are as written.
    actions_json = (tmp_path / "site/donnees/actions.json").read_text(encoding="utf-8")
    assert '"titre":"@ vos claviers !"' in actions_json


def test_the_data_page_says_what_is_done_for_spreadsheets(tmp_path: Path) -> None:
    from palmares.pipeline import build

    build(write_project(tmp_path / "source"), tmp_path / "site")
    page = (tmp_path / "site/donnees/index.html").read_text(encoding="utf-8")
    assert "Aucun nom ne commence par" in page
    assert "précédée d’une apostrophe" in page


# --- what a write-up may pull in, and its ids ------------------------------------------------


def test_an_image_from_another_site_is_refused_at_its_line(tmp_path: Path) -> None:
    body = (
        "Une action.\n\n![pixel](https://suivi.example/p.gif)\n\n"
        '<img src="//suivi.example/q.gif" alt="">\n\n'
        '<img src="../../../static/photo.jpg" alt="une image du site">\n'
    )
    message = (
        "l’image « {0} » vient d’un autre site : elle ne s’afficherait pas hors ligne, et ce "
        "site saurait qui lit la page ; retirez-la, ou faites-en un lien "
        "(`[description de l’image]({0})`)"
    )
    assert problems(tmp_path, {A: action(body=body)}) == [
        f"{A}:9:10: {message.format('https://suivi.example/p.gif')}",
        f"{A}:11:11: {message.format('//suivi.example/q.gif')}",
    ]


@pytest.mark.parametrize(
    "image",
    [
        '<img src="h&#10;ttp://suivi.example/p.png">',
        '<img src="/&#10;/suivi.example/p.png">',
        '<img src="&#9;//suivi.example/p.png">',
        "Texte ![a](<h\nttps://suivi.example/a.png>)",
    ],
)
def test_an_image_from_another_site_with_a_line_break_in_its_address(
    image: str, tmp_path: Path
) -> None:
    """A browser removes tabs and line breaks from an address (WHATWG URL): `h⏎ttp://site` is
    another site's image, and is refused like one (an audit loaded it in Chromium)."""
    from palmares.content.markup import render

    html, external, _ = render(image)
    assert "<img" not in html and len(external) == 1
    found = problems(tmp_path, {A: action(body=image + "\n")})
    assert len(found) == 1 and "vient d’un autre site" in found[0], found


def test_frames_never_reach_a_page() -> None:
    from palmares.content.markup import render

    html, external, dropped = render('<iframe src="https://suivi.example/"></iframe>\n\nTexte')
    assert html == "<p>Texte</p>" and external == ()
    assert [d.written for d in dropped] == ["<iframe"]


def test_what_the_sanitizer_drops_is_a_warning_at_its_line(tmp_path: Path) -> None:
    # Until now a pasted video player, a script or a `javascript:` link vanished from the
    # page without a word.
    body = (
        "Notre vidéo :\n\n"
        '<iframe src="https://video.example/embed/1" width="560"></iframe>\n\n'
        "<SCRIPT>alert(1)</SCRIPT> et <script>encore</script>\n\n"
        "[ouvrir](javascript:alert(1)) et `<iframe>` en code, et <span>un mot</span>.\n"
    )
    embed = (
        "`<iframe>` n’est pas publié : un texte n’intègre rien (vidéo, carte, formulaire…), "
        "qui ne s’afficherait pas hors ligne ; faites plutôt un lien vers la page qui le "
        "montre (`[titre](https://…)`)"
    )
    assert problems(tmp_path / "src", {A: action(body=body)}) == [
        f"{A}:9:1: avertissement : {embed}",
        f"{A}:11:1: avertissement : `<script>` n’est pas publié, ni ce qu’il contient : un "
        "texte ne porte ni programme, ni style, ni dessin ; retirez-le",
        f"{A}:13:10: avertissement : le lien « javascript:alert(1) » n’est pas publié (son "
        "texte reste, sans lien) : une adresse commence par https://, http://, mailto: ou tel:",
    ]
    from palmares.pipeline import build

    out = tmp_path / "site"
    assert build(write_project(tmp_path / "src"), out).errors == []
    html = (out / "actions/2017/vocabulons/index.html").read_text(encoding="utf-8")
    assert "<iframe" not in html and "alert" not in html and "encore" not in html
    assert "un mot" in html and "&lt;iframe&gt;" in html


def test_ids_of_a_write_up_cannot_collide_with_the_page_s(tmp_path: Path) -> None:
    # id="contenu" appeared three times on an action's page until issue 14.
    from bs4 import BeautifulSoup

    from palmares.pipeline import build

    body = (
        '<h2 id="contenu">Contenu</h2>\n\n## Suite {#actions}\n\n'
        "[Plus haut](#contenu), [le contenu de la page](#top), une note[^1].\n\n[^1]: La note.\n"
    )
    source = write_project(tmp_path / "source", {A: action(body=body)})
    assert build(source, tmp_path / "site").errors == []
    page = (tmp_path / "site/actions/2017/vocabulons/index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), ids
    assert {"contenu", "r-contenu", "r-actions", "r-fn:1", "r-fnref:1"} <= set(ids)
    hrefs = {a["href"] for a in soup.find_all("a", href=True) if a["href"].startswith("#")}
    assert {"#r-contenu", "#top", "#r-fn:1", "#r-fnref:1"} <= hrefs


def test_no_id_of_the_page_starts_with_the_write_ups_prefix() -> None:
    import re

    for template in (PROJECT / "layouts").glob("*.html"):
        for value in re.findall(r'\bid="([^"]*)"', template.read_text(encoding="utf-8")):
            assert not value.startswith("r-"), (template.name, value)


# --- what one write-up may cost ---------------------------------------------------------------

NESTED = (
    "listes et citations imbriquées sur plus de 10 niveaux : regroupez-les sur moins de "
    "niveaux (un niveau de liste, c’est quatre espaces de retrait ; de citation, un `>`)"
)


def test_markdown_lists_2000_levels_deep_are_refused_at_their_line_quickly(
    tmp_path: Path,
) -> None:
    # 8 MB, 2 000 levels: 3,2 GB and 22 s to render until issue 14.
    body = "\n".join("    " * i + "- item" for i in range(2000)) + "\n"
    start = time.perf_counter()
    found = problems(tmp_path, {A: action(body=body)})
    assert time.perf_counter() - start < 10
    assert found[:2] == [
        f"{A}:7:1: ce paragraphe (ou cette liste, ce tableau) dépasse 10\u202f000 caractères "
        "sans ligne vide : coupez-le par des lignes vides",
        f"{A}:17:1: {NESTED}",
    ]
    assert found[2].startswith(f"{A}:229:1: le texte dépasse 100 ko à partir d’ici")


def test_block_quotes_and_html_nested_too_deep(tmp_path: Path) -> None:
    files = {
        A: action(body="Début.\n\n" + "\n".join(">" * n + " citation" for n in range(1, 13))),
        "content/pages/html.md": "---\ntitre: Page\n---\n" + '<div markdown="1">\n' * 12,
    }
    assert problems(tmp_path, files) == [
        f"{A}:19:1: {NESTED}",
        f"content/pages/html.md:14:1: {NESTED}",
    ]


def test_ten_levels_and_fenced_code_are_fine(tmp_path: Path) -> None:
    lists = "\n".join("    " * i + "- item" for i in range(10))
    code = "```\n" + "\n".join("    " * i + "- code" for i in range(30)) + "\n```\n"
    rule = "- - - - - - - - - - - - -\n"
    body = f"{lists}\n\n{code}\n{rule}"
    assert problems(tmp_path, {A: action(body=body)}) == []


def test_a_paragraph_of_unclosed_links_is_refused_before_rendering(tmp_path: Path) -> None:
    # 40 000 `[a](` in one paragraph took more than two minutes to render.
    body = "Début.\n\n" + "[a](" * 2000 + "\n"
    start = time.perf_counter()
    assert problems(tmp_path, {A: action(body=body)}) == [
        f"{A}:9:1: ce paragraphe (ou cette liste, ce tableau) a plus de 100 liens ou images, "
        "ou des liens non fermés (`[texte](` sans `)`) : vérifiez les parenthèses, ou "
        "coupez-le par des lignes vides"
    ]
    assert time.perf_counter() - start < 5


# --- the jury's table -------------------------------------------------------------------------


def test_import_refuses_a_name_cell_a_spreadsheet_would_run(tmp_path: Path) -> None:
    from palmares.importer.table import parse_lines, read_table

    table = tmp_path / "jury.csv"
    table.write_text(
        "nom;departement;arobases;mention\n"
        '"=HYPERLINK(""http://x"";""Lille"")";59;3;\n'
        "Lille;59;3;Prix\u202e spécial\n"
        "Lille\u200b;59;3;\n"
        "Lille;59;3;+ de services\n",
        encoding="utf-8",
    )
    rows, found, _ = read_table(table, "jury.csv")
    parsed = parse_lines(rows, "jury.csv")
    assert [str(p) for p in (*found, *parsed.problems)] == [
        'jury.csv:2: `nom` : « =HYPERLINK("http://x";"Lille") » commence par « = », comme une '
        "formule de tableur : écrivez le nom de la collectivité lui-même",
        "jury.csv:3: `mention` contient un caractère de direction d’écriture (U+202E) : "
        "retirez-le ; retapez le texte s’il a été copié d’une autre application",
        "jury.csv:4: `nom` contient un caractère invisible (U+200B) : retirez-le ; retapez le "
        "texte s’il a été copié d’une autre application",
    ]
    # A mention may start so: the open data puts a ' before it.
    assert [line.mention for line in parsed.lines] == ["+ de services"]


def test_import_refuses_a_text_over_300_characters_at_its_line(tmp_path: Path) -> None:
    # Said at the table's line, where it is to be shortened, not at the file it would
    # make invalid.
    from palmares.importer.table import parse_lines, read_table

    table = tmp_path / "jury.csv"
    long = "Prix " + "x" * 300
    table.write_text(
        "nom,departement,arobases,mention,distinctions\n"
        f"Lille,59,3,{long},\n"
        f"Roubaix,59,3,,Arobase verte ; {long}\n"
        f"Tourcoing,59,3,{'x' * 300},\n",
        encoding="utf-8",
    )
    rows, found, _ = read_table(table, "jury.csv")
    parsed = parse_lines(rows, "jury.csv")
    assert [str(p) for p in (*found, *parsed.problems)] == [
        "jury.csv:2: `mention` fait 305 caractères, 300 au plus : raccourcissez-le dans le tableau",
        "jury.csv:3: `distinctions` fait 305 caractères, 300 au plus : raccourcissez-le dans le "
        "tableau",
    ]
    assert [line.nom for line in parsed.lines] == ["Tourcoing"]  # 300: the limit itself


def test_markdown_or_html_in_a_title_or_a_mention_is_warned_with_the_plain_text(
    tmp_path: Path,
) -> None:
    # A title, a mention, a distinction show as they are written: `*` and tags would show.
    labels = (
        "  - annee: 2017\n    arobases: 3\n"
        '    mention: "**Prix** du [jury](https://www.exemple.fr)"\n'
        '    distinctions: [Arobase verte, "<i>Territoire</i> innovant"]\n'
    )
    files = {
        A: action().replace("titre: Une action", "titre: La *bonne* appli"),
        C: commune(labels=labels),
    }
    shown = "s’affiche tel quel, sans mise en forme"
    assert problems(tmp_path, files) == [
        f"{C}:7:14: avertissement : `mention` (label 1) {shown} : « **Prix** » y garderait "
        "ses signes ; écrivez « Prix du jury »",
        f"{C}:8:35: avertissement : `distinctions` (label 1, élément 2) {shown} : « <i> » y "
        "garderait ses signes ; écrivez « Territoire innovant »",
        f"{A}:2:8: avertissement : `titre` {shown} : « *bonne* » y garderait ses signes ; "
        "écrivez « La bonne appli »",
    ]


@pytest.mark.parametrize(
    "title",
    ["Les 3 * de 2017", "@ vos claviers !", "Internet <3 Marcq", "2 < 3 > 1", "Le fichier_nom_x"],
)
def test_signs_that_are_not_markup_are_not_warned(tmp_path: Path, title: str) -> None:
    text = action().replace("titre: Une action", f'titre: "{title}"')
    assert problems(tmp_path, {A: text}) == []
