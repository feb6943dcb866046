"""A write-up links another page of the site by naming its file, from its own folder (as on
GitHub): `check` says at the line what leads nowhere, and the page links to the file's
page, relative and ending in `index.html` (site/sourcelinks.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from palmares.content.body import preview_slips
from palmares.content.markup import render_markdown
from palmares.linkcheck import check_links
from palmares.pipeline import build
from tests.helpers import BASE_COMMUNE, action, commune, problems, tree, write_project

PROJECT = Path(__file__).resolve().parent.parent
A = "content/actions/2017/vocabulons.md"
OTHER = "content/actions/2017/bonne-appli.md"
PAGE = "content/pages/methode.md"
EDITION = "content/palmares/2017.md"
C = "communes/01/amberieu-en-bugey.yaml"
WHAT = (
    ": un lien nomme le fichier d’un texte de content/ ou d’une collectivité de communes/, "
    "depuis ce fichier"
)


def page(body: str) -> str:
    return f"---\ntitre: Méthode\n---\n{body}"


def links_of(html: Path) -> dict[str, str]:
    """Each link of a page's write-up: its text → its address."""
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    prose = soup.select_one(".prose")
    assert prose is not None
    return {a.get_text(): str(a.get("href", "")) for a in prose.find_all("a")}


def test_links_to_each_kind_of_file_lead_to_its_page(tmp_path: Path) -> None:
    body = (
        "Voir [la méthode](../../pages/methode.md#criteres), "
        "[l’autre action](bonne-appli.md), [Marcq](../../../communes/59/marcq-en-baroeul.yaml), "
        "[Ambérieu](/communes/01/amberieu-en-bugey.yaml#actions), "
        "[le domaine](../../domaines/teletravail.md), [l’édition](../../palmares/2017.md), "
        "[ici même](vocabulons.md), [un nom encodé](../../pages/m%C3%A9thode%202.md) et "
        "[avec une requête](bonne-appli.md?depuis=accueil).\n\n"
        "Restent tels quels : [une ancre](#plus-bas), [un site](https://www.example.org/a.md) "
        "et [un courriel](mailto:contact@example.org).\n"
    )
    source = write_project(
        tmp_path / "src",
        {
            A: action(body=body),
            OTHER: action(body="Une autre.\n").replace("Une action", "Bonne appli"),
            PAGE: page("## Critères {#criteres}\n\nLes critères.\n"),
            "content/pages/méthode 2.md": page("Deux.\n"),
            EDITION: "---\nannee: 2017\n---\nLa cérémonie.\n",
            C: commune(),
        },
    )
    out = tmp_path / "site"
    result = build(source, out)
    assert result.errors == []
    assert links_of(out / "actions/2017/vocabulons/index.html") == {
        "la méthode": "../../../pages/methode/index.html#r-criteres",
        "l’autre action": "../../../actions/2017/bonne-appli/index.html",
        "Marcq": "../../../collectivites/marcq-en-baroeul-59/index.html",
        "Ambérieu": "../../../collectivites/amberieu-en-bugey-01/index.html#actions",
        "le domaine": "../../../domaines/teletravail/index.html",
        "l’édition": "../../../palmares/2017/index.html",
        "ici même": "../../../actions/2017/vocabulons/index.html",
        "un nom encodé": "../../../pages/methode-2/index.html",
        "avec une requête": "../../../actions/2017/bonne-appli/index.html",
        "une ancre": "#plus-bas",
        "un site": "https://www.example.org/a.md",
        "un courriel": "mailto:contact@example.org",
    }
    # Every one of them leads to a page of the site, and the anchor to its heading.
    broken = [str(p) for p in check_links(out) if "plus-bas" not in p.message]
    assert broken == []
    # The search's text of the write-up has the links' words, not their addresses.
    assert "source:" not in "".join(p.read_text("utf-8") for p in out.rglob("*.js"))


def test_a_link_from_a_free_page_and_an_edition_is_relative_from_theirs(tmp_path: Path) -> None:
    source = write_project(
        tmp_path / "src",
        {
            PAGE: page("Voir [l’action](../actions/2017/vocabulons.md).\n"),
            EDITION: "---\nannee: 2017\n---\nLe [palmarès de Marcq](../../communes/59/marcq-en-baroeul.yaml).\n",
            A: action(),
        },
    )
    out = tmp_path / "site"
    assert build(source, out).errors == []
    assert links_of(out / "pages/methode/index.html") == {
        "l’action": "../../actions/2017/vocabulons/index.html"
    }
    assert links_of(out / "palmares/2017/index.html") == {
        "palmarès de Marcq": "../../collectivites/marcq-en-baroeul-59/index.html"
    }


def test_a_link_to_a_missing_file_is_an_error_at_its_line_with_the_closest_one(
    tmp_path: Path,
) -> None:
    body = (
        "Le texte.\n\nVoir [l’autre](bonne-apli.md) ou [rien](../../pages/rien.md).\n\n"
        "Voir [Marcq](../../../communes/59/Marcq-en-Baroeul.yaml) et [lisez-moi](../../LISEZ-MOI.md).\n"
    )
    files = {
        "content/LISEZ-MOI.md": "Un fichier sans page.\n",
        A: action(body=body),
        OTHER: action(body="Une autre.\n").replace("Une action", "Bonne appli"),
    }
    assert problems(tmp_path / "src", files) == [
        f"{A}:9:16: le lien « bonne-apli.md » mène à content/actions/2017/bonne-apli.md, qui "
        f"n’a pas de page sur le site {WHAT} ; vouliez-vous écrire `bonne-appli.md` ?",
        f"{A}:9:41: le lien « ../../pages/rien.md » mène à content/pages/rien.md, qui n’a pas "
        f"de page sur le site {WHAT}",
        f"{A}:11:14: le lien « ../../../communes/59/Marcq-en-Baroeul.yaml » mène à "
        f"communes/59/Marcq-en-Baroeul.yaml, qui n’a pas de page sur le site {WHAT} ; "
        "vouliez-vous écrire `../../../communes/59/marcq-en-baroeul.yaml` ?",
        f"{A}:11:73: le lien « ../../LISEZ-MOI.md » mène à content/LISEZ-MOI.md, qui n’a pas "
        f"de page sur le site {WHAT}",
    ]


def test_an_image_or_a_document_beside_a_write_up_is_an_error_at_its_line(
    tmp_path: Path,
) -> None:
    # GitHub shows them in its preview of the file; the site publishes no file of content/
    # but the write-ups' pages: they would be a broken image and a broken link.
    body = (
        "![Le tiers-lieu](photo.jpg)\n\n"
        "Voir [le dossier](docs/dossier%20complet.pdf?v=2) et ![plan](/content/plan.png).\n\n"
        "Restent : ![le logo](../../../static/logo.png), "
        "[le panneau](../../../collectivites/a-01/panneau-2017.png), [l’édition](../2017/) "
        "et [une action](../autre/index.html).\n"
    )
    files = {
        A: action(body=body),
        "content/actions/2017/photo.jpg": b"\xff\xd8\xff",
        PAGE: page("![Carte](../../communes/carte.svg)\n"),
    }
    why = "un fichier que le site ne publie pas"
    image = (
        "retirez l’image, ou faites-en un lien vers la page d’un site qui la montre "
        "(`[description de l’image](https://www.exemple.fr/page-de-la-photo)`)"
    )
    assert problems(tmp_path / "src", files) == [
        f"{A}:7:18: l’image « photo.jpg » est content/actions/2017/photo.jpg, {why} : une page "
        f"ne montre que le texte de son fichier ; {image}",
        f"{A}:9:19: le lien « docs/dossier%20complet.pdf?v=2 » mène à content/actions/2017/docs/"
        f"dossier complet.pdf, {why} : seuls les textes de content/ et les collectivités de "
        "communes/ y ont une page ; liez plutôt le document là où il est en ligne "
        "(`[Le document](https://www.exemple.fr/document.pdf)`)",
        f"{A}:9:62: l’image « /content/plan.png » est content/plan.png, {why} : une page ne "
        f"montre que le texte de son fichier ; {image}",
        f"{PAGE}:4:10: l’image « ../../communes/carte.svg » est communes/carte.svg, {why} : une "
        f"page ne montre que le texte de son fichier ; {image}",
    ]


def test_another_site_or_an_email_written_without_its_start_is_said_so(tmp_path: Path) -> None:
    # Without https:// or mailto:, an address is relative: a file beside the write-up. Said
    # as what it is, with the address to write, not as a document that is not published.
    body = (
        "Voir [le site](www.marcq-en-baroeul.org), [l’appli](marcq.fr/appli?v=2#haut) et "
        "[écrire](contact@marcq.fr).\n\n"
        "![La photo](www.exemple.fr/photo.jpg)\n\n"
        "Restent : [le dossier](dossier.pdf), [l’édition](../2017/index.html).\n"
    )
    found = problems(tmp_path / "src", {A: action(body=body)})
    file = "la page le prendrait pour un fichier posé à côté de ce texte"
    assert found == [
        f"{A}:7:16: le lien « www.marcq-en-baroeul.org » est l’adresse d’un site sans "
        f"`https://` : {file} ; écrivez `(https://www.marcq-en-baroeul.org)`",
        f"{A}:7:53: le lien « marcq.fr/appli?v=2#haut » est l’adresse d’un site sans "
        f"`https://` : {file} ; écrivez `(https://marcq.fr/appli?v=2#haut)`",
        f"{A}:7:90: le lien « contact@marcq.fr » est une adresse électronique sans `mailto:` : "
        f"{file} ; écrivez `(mailto:contact@marcq.fr)`",
        f"{A}:9:13: l’image « www.exemple.fr/photo.jpg » est l’adresse d’un autre site sans "
        "`https://` : une page ne montre pas les images d’autres sites (elles ne "
        "s’afficheraient pas hors ligne) ; faites-en un lien, "
        "`[description de l’image](https://www.exemple.fr/photo.jpg)`",
        f"{A}:11:24: le lien « dossier.pdf » mène à content/actions/2017/dossier.pdf, un fichier "
        "que le site ne publie pas : seuls les textes de content/ et les collectivités de "
        "communes/ y ont une page ; liez plutôt le document là où il est en ligne "
        "(`[Le document](https://www.exemple.fr/document.pdf)`)",
    ]


def test_check_and_build_agree_and_nothing_is_published(tmp_path: Path) -> None:
    source = write_project(tmp_path / "src", {A: action()})
    out = tmp_path / "site"
    assert build(source, out).errors == []
    before = tree(out)
    (source / A).write_text(action(body="[x](../../pages/rien.md)\n"), encoding="utf-8")
    runs = [
        subprocess.run(
            [sys.executable, str(PROJECT / "build.py"), *command, "--source", str(source)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        for command in (["check"], ["build", "--out", str(out)])
    ]
    assert [run.returncode for run in runs] == [1, 1]
    lines = [run.stderr.splitlines()[0] for run in runs]
    assert lines[0] == lines[1]
    assert lines[0].startswith(f"{A}:7:5: le lien « ../../pages/rien.md » mène à")
    assert "Traceback" not in runs[1].stderr
    assert tree(out) == before


def test_a_link_to_a_file_with_its_own_errors_is_not_reported_again(tmp_path: Path) -> None:
    found = problems(
        tmp_path / "src",
        {A: action(body="[la page](../../pages/methode.md)\n"), PAGE: "---\n---\nSans titre.\n"},
    )
    assert len(found) == 1 and found[0].startswith(f"{PAGE}:")


def test_a_link_out_of_the_source_is_an_error_and_the_site_s_own_addresses_stay(
    tmp_path: Path,
) -> None:
    body = (
        "[le palmarès](../../../palmares/2017/index.html), "
        "[les données](../../../donnees/palmares.csv)\n\n"
        "[le mot de passe](../../../../secret.md)\n"
    )
    assert problems(tmp_path / "src", {A: action(body=body)}) == [
        f"{A}:9:19: le lien « ../../../../secret.md » sort du dossier source : un lien vers une "
        "page du site nomme un fichier de content/ ou de communes/, depuis ce fichier "
        "(`[Méthode](../../pages/methode.md)`)",
    ]
    out = tmp_path / "site"
    source = write_project(tmp_path / "src", {A: action(body=body.split("\n")[0] + "\n")})
    assert build(source, out).errors == []
    assert links_of(out / "actions/2017/vocabulons/index.html") == {
        "le palmarès": "../../../palmares/2017/index.html",
        "les données": "../../../donnees/palmares.csv",
    }


def test_a_public_page_cannot_link_to_an_edition_under_embargo(tmp_path: Path) -> None:
    files = {
        "content/palmares/2018.md": "---\nannee: 2018\npublie: false\n---\nBientôt.\n",
        BASE_COMMUNE: commune(
            '"59378"',
            nom="Marcq-en-Barœul",
            departement='"59"',
            labels="  - annee: 2018\n    arobases: 5\n",
        ),
        C: commune(),
        "content/actions/2018/secrete.md": action(
            annee="2018", body="Comme [Ambérieu](../../../communes/01/amberieu-en-bugey.yaml).\n"
        ),
        A: action(commune='"01004"', body="Voir [l’action primée](../2018/secrete.md).\n"),
    }
    source = write_project(tmp_path / "src", files)
    found = problems(tmp_path / "src", files)
    # The action under embargo may link anywhere: it is not on the public site.
    assert found == [
        f"{A}:7:24: le lien « ../2018/secrete.md » mène à content/actions/2018/secrete.md, qui "
        "n’est pas encore public (son édition est sous embargo, `publie: false`) : retirez-le "
        "jusqu’à la publication du palmarès"
    ]
    # The preview shows the edition, and the link.
    out = tmp_path / "apercu"
    assert build(source, out, drafts=True).errors == []
    assert links_of(out / "actions/2017/vocabulons/index.html") == {
        "l’action primée": "../../../actions/2018/secrete/index.html"
    }


def test_a_renamed_collectivite_moves_the_links_to_it_in_an_incremental_build(
    tmp_path: Path,
) -> None:
    from palmares.output.cache import ParseCache

    files = {
        A: action(body="Voir [Ambérieu](../../../communes/01/amberieu-en-bugey.yaml).\n"),
        C: commune(),
    }
    source = write_project(tmp_path / "src", files)
    out, cache = tmp_path / "site", ParseCache(tmp_path / "cache")
    assert build(source, out, cache=cache).errors == []
    (source / C).write_text(commune(nom="Ambérieu-la-Neuve"), encoding="utf-8")
    assert build(source, out, cache=ParseCache(tmp_path / "cache")).errors == []
    assert links_of(out / "actions/2017/vocabulons/index.html") == {
        "Ambérieu": "../../../collectivites/amberieu-la-neuve-01/index.html"
    }
    clean = tmp_path / "clean"
    assert build(source, clean).errors == []
    assert tree(out) == tree(clean)


def test_a_write_up_cannot_write_the_engine_s_own_marker(tmp_path: Path) -> None:
    # `source:` is what validation writes for a link to a file; written by hand, the
    # sanitizer drops it as any unknown scheme, so no page makes it a link.
    body = '[x](source:content/pages/methode.md) <a href="source:communes/59/m.yaml">y</a>\n'
    source = write_project(tmp_path / "src", {A: action(body=body), PAGE: page("Texte.\n")})
    out = tmp_path / "site"
    assert build(source, out).errors == []
    assert links_of(out / "actions/2017/vocabulons/index.html") == {"x": "", "y": ""}


@pytest.mark.parametrize(
    ("body", "heading"),
    [
        ("# Vocabulons\n\nLe texte.\n", "Vocabulons"),
        ("## VOCABULONS !\n\nLe texte.\n", "VOCABULONS !"),
        ("Vocabulons\n==========\n\nLe texte.\n", "Vocabulons"),
        ("# Vocabulons ##\t\n\nLe texte.\n", "Vocabulons"),
        ("Vocabulons \n---\n\nLe texte.\n", "Vocabulons"),
    ],
)
def test_a_first_heading_that_repeats_the_title_is_a_warning(
    tmp_path: Path, body: str, heading: str
) -> None:
    # Pasted from a document with its title: the page shows the title above the text.
    text = action(body=body).replace("titre: Une action", "titre: Vocabulons")
    assert problems(tmp_path / "src", {A: text}) == [
        f"{A}:7:1: avertissement : le texte commence par un titre, « {heading} », qui répète "
        "`titre` : la page l’affiche déjà au-dessus du texte ; retirez cette ligne"
    ]


@pytest.mark.parametrize(
    "body",
    [
        "# Le projet\n\nTexte.\n",
        "Vocabulons, c'est…\n\nTexte.\n",
        "Texte.\n\n# Vocabulons\n",
        "#Vocabulons\n\nTexte.\n",  # a hashtag, not a heading
        "# Vocabulons#2\n\nTexte.\n",
        "# a" + " \t" * 4_000 + "b\n\nTexte.\n",  # 1,2 s with the lazy pattern; now at once
    ],
)
def test_a_text_that_does_not_start_with_its_title_is_not_warned(tmp_path: Path, body: str) -> None:
    text = action(body=body).replace("titre: Une action", "titre: Vocabulons")
    assert problems(tmp_path / "src", {A: text}) == []


@pytest.mark.parametrize(
    ("body", "line", "col", "what"),
    [
        ("Trois axes :\n- former\n- équiper\n", 8, 1, "glued"),
        ("Trois axes :\n1. former\n2. équiper\n", 8, 1, "glued"),
        ("> Une citation\n- former\n", 8, 1, "glued"),
        ("Les chiffres :\n| année | projets |\n|---|--:|\n| 2017 | 12 |\n", 8, 1, "table"),
        ("- former\n  - les agents\n- équiper\n", 8, 3, "shallow"),
        ("1. former\n   - les agents\n2. équiper\n", 8, 4, "shallow"),
    ],
)
def test_a_list_or_table_the_page_shows_otherwise_than_github_is_a_warning(
    tmp_path: Path, body: str, line: int, col: int, what: str
) -> None:
    # Editors read their text in GitHub's preview: a list or a table right under a line of
    # text, an item 2 spaces in, are a list, a table and a sub-list there; text and a
    # sibling on the page.
    text = action(body=body).replace("titre: Une action", "titre: Vocabulons")
    found = problems(tmp_path / "src", {A: text})
    assert len(found) == 1 and found[0].startswith(f"{A}:{line}:{col}: avertissement : ")
    if what == "table":
        assert "un tableau collé à la ligne du dessus" in found[0]
        assert "<table>" not in render_markdown(body)
    elif what == "glued":
        assert "une liste collée à la ligne du dessus" in found[0]
        # What the warning says of the page is what the page shows.
        assert "\n" in render_markdown(body).split("</p>")[0]
        assert not render_markdown(body).startswith("<ul>")
    else:
        assert "il lui faut 4 espaces" in found[0]
        assert render_markdown(body).count("<ul>") + render_markdown(body).count("<ol>") == 1


@pytest.mark.parametrize(
    "body",
    [
        "Trois axes :\n\n- former\n- équiper\n",
        "# Les axes\n- former\n",
        "Les chiffres :\n\n| année | projets |\n|---|--:|\n| 2017 | 12 |\n",
        "# Les chiffres\n| année | projets |\n|---|--:|\n",
        "Titre\n---\n\nTexte | avec une barre\n",
        "- former\n    - les agents\n- équiper\n",
        "- former\ndes agents\n- équiper\n",
        "En\n2017. la ville…\n",
        "```\nTexte\n- pas une liste\n```\n",
        "Texte\n\n    - du code\n",
    ],
)
def test_lists_and_tables_the_page_shows_as_github_does_are_not_warned(
    tmp_path: Path, body: str
) -> None:
    text = action(body=body).replace("titre: Une action", "titre: Vocabulons")
    assert problems(tmp_path / "src", {A: text}) == []


def test_a_long_line_is_read_in_linear_time() -> None:
    # A table's delimiter row read with a pattern whose trailing spaces two quantifiers
    # could take: 0,14 s for 9 000 spaces, a minute for this line; now at once.
    body = "Texte\n| a |\n|---" + " \t" * 100_000 + "x\n"
    assert preview_slips(body) == []
