"""check_links on small hand-written sites: each kind of broken link gives its exact problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from palmares.linkcheck import check_links
from palmares.problems import Problem


def make_site(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def page(body: str) -> str:
    """A page whose body starts on line 3, so a tag on the body's first line is at 3:1."""
    return f'<!doctype html>\n<html lang="fr"><head><title>t</title></head><body>\n{body}\n</body></html>\n'


GOOD_SITE = {
    "index.html": page(
        '<a href="collectivites/index.html">A–Z</a>\n'
        '<a href="collectivites/index.html#lettre-m">M</a>\n'
        '<a href="#contenu">aller au contenu</a> <a href="#">haut</a> <a href="#top">haut</a>\n'
        '<main id="contenu"><a>sans lien</a><a name="ancienne-ancre"></a>\n'
        '<a href="#ancienne-ancre">ancre nommée</a>\n'
        '<a href="https://www.villes-internet.net/">Villes Internet</a>\n'
        '<a href="http://example.org/a,b">http</a>\n'
        '<a href="mailto:contact@villes-internet.net">écrire</a> <a href="tel:+33100000000">tél</a>\n'
        '<img src="static/logo.png" srcset="static/logo.png 1x, static/logo-2x.png 2x" alt="">\n'
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="">\n'
        '<a href="caf%C3%A9/index.html">café</a> <a href="index.html?q=marcq">recherche</a>\n'
        '<form action="collectivites/index.html"><button>ok</button></form>\n'
        '<a href="">cette page</a></main>'
    ),
    "404.html": page('<a href="index.html">accueil</a>'),
    "collectivites/index.html": page(
        '<link rel="stylesheet" href="../static/site.css">\n'
        '<h2 id="lettre-m">M</h2><a href="marcq-en-baroeul/index.html#labels">Marcq</a>\n'
        '<a href="../index.html#contenu">accueil</a>'
    ),
    "collectivites/marcq-en-baroeul/index.html": page(
        '<section id="labels"><a href="../../index.html">accueil</a>'
        '<a href="../index.html#lettre-m">M</a></section>'
    ),
    "café/index.html": page('<a href="../index.html">accueil</a>'),
    "static/site.css": "body { margin: 0 }",
    "static/logo.png": "",
    "static/logo-2x.png": "",
}


def test_correct_site_has_no_problem(tmp_path: Path) -> None:
    assert check_links(make_site(tmp_path, GOOD_SITE)) == []


def test_empty_site_has_no_problem(tmp_path: Path) -> None:
    assert check_links(tmp_path) == []


def one_page_problems(tmp_path: Path, body: str, **extra: str) -> list[Problem]:
    make_site(tmp_path, {"index.html": page(body), "a.html": page('<p id="x">a</p>'), **extra})
    return check_links(tmp_path)


ROOT = (
    "lien depuis la racine du serveur ; le site doit s'ouvrir depuis file:// "
    "et sous un sous-chemin, écrire un lien relatif"
)


def test_root_relative_links(tmp_path: Path) -> None:
    body = (
        '<a href="/a.html">a</a>\n'
        '<link rel="stylesheet" href="/static/site.css">\n'
        '<script src="/static/site.js"></script>\n'
        '<form action="/recherche/"></form>'
    )
    assert one_page_problems(tmp_path, body) == [
        Problem("index.html", 3, 4, f"href=« /a.html » : {ROOT}"),
        Problem("index.html", 4, 24, f"href=« /static/site.css » : {ROOT}"),
        Problem("index.html", 5, 9, f"src=« /static/site.js » : {ROOT}"),
        Problem("index.html", 6, 7, f"action=« /recherche/ » : {ROOT}"),
    ]


def test_protocol_relative_link(tmp_path: Path) -> None:
    assert one_page_problems(tmp_path, '<img src="//cdn.example.org/x.png" alt="">') == [
        Problem(
            "index.html",
            3,
            6,
            "src=« //cdn.example.org/x.png » : lien sans protocole, depuis file:// il mène "
            "à un fichier local ; écrire https://… ou un lien relatif",
        )
    ]


def test_absolute_links_to_the_site_itself(tmp_path: Path) -> None:
    body = (
        '<a href="https://palmares.example.org/palmares/a.html">a</a>\n'
        '<a href="https://PALMARES.example.org/palmares">accueil</a>\n'
        '<a href="https://palmares.example.org/palmares-2/">autre site</a>\n'
        '<a href="https://palmares.example.org/">racine du domaine, autre site</a>\n'
        '<a href="http://localhost:8000/a.html">local</a>\n'
        '<a href="http://127.0.0.1/">local</a>\n'
        '<link rel="canonical" href="https://palmares.example.org/palmares/index.html">'
    )
    make_site(tmp_path, {"index.html": page(body)})
    own = "URL absolue vers le site lui-même ; écrire un lien relatif"
    assert check_links(tmp_path, own_urls=["https://palmares.example.org/palmares/"]) == [
        Problem(
            "index.html", 3, 4, f"href=« https://palmares.example.org/palmares/a.html » : {own}"
        ),
        Problem("index.html", 4, 4, f"href=« https://PALMARES.example.org/palmares » : {own}"),
        Problem("index.html", 7, 4, f"href=« http://localhost:8000/a.html » : {own}"),
        Problem("index.html", 8, 4, f"href=« http://127.0.0.1/ » : {own}"),
    ]


def test_file_javascript_and_data_links(tmp_path: Path) -> None:
    body = (
        '<a href="file:///home/moi/site/a.html">a</a>\n'
        '<a href="javascript:void(0)">rien</a>\n'
        '<a href="data:text/html,coucou">data</a>\n'
        '<a href="data:image/png;base64,AAAA">image ouverte comme page</a>\n'
        '<img src="data:image/svg+xml,%3Csvg%3E" alt="">'
    )
    assert one_page_problems(tmp_path, body) == [
        Problem(
            "index.html",
            3,
            4,
            "href=« file:///home/moi/site/a.html » : lien file:, il ne mène nulle part "
            "ailleurs que sur cette machine",
        ),
        Problem(
            "index.html",
            4,
            4,
            "href=« javascript:void(0) » : schéma « javascript: » non permis "
            "(seuls http, https, mailto et tel)",
        ),
        Problem(
            "index.html",
            5,
            4,
            "href=« data:text/html,coucou » : une URL data: n'est permise que pour une image",
        ),
        Problem(
            "index.html",
            6,
            4,
            "href=« data:image/png;base64,AAAA » : une URL data: n'est permise que pour une image",
        ),
    ]


def test_missing_targets(tmp_path: Path) -> None:
    body = (
        '<a href="b.html">b</a>\n'
        '<a href="collectivites/marcq/index.html">marcq</a>\n'
        '<img src="static/absent.png" srcset="a.html 1x, static/absent-2x.png 2x" alt="">\n'
        '<a href="a.html/">barre finale sur un fichier</a>\n'
        '<a href="A.html">la casse compte</a>'
    )
    assert one_page_problems(tmp_path, body) == [
        Problem(
            "index.html",
            3,
            4,
            "href=« b.html » : cible introuvable : « b.html » n'existe pas dans le site",
        ),
        Problem(
            "index.html",
            4,
            4,
            "href=« collectivites/marcq/index.html » : cible introuvable : "
            "« collectivites/marcq/index.html » n'existe pas dans le site",
        ),
        Problem(
            "index.html",
            5,
            6,
            "src=« static/absent.png » : cible introuvable : « static/absent.png » n'existe pas "
            "dans le site",
        ),
        Problem(
            "index.html",
            5,
            30,
            "srcset=« static/absent-2x.png » : cible introuvable : « static/absent-2x.png » "
            "n'existe pas dans le site",
        ),
        Problem(
            "index.html",
            6,
            4,
            "href=« a.html/ » : cible introuvable : « a.html » n'existe pas dans le site",
        ),
        Problem(
            "index.html",
            7,
            4,
            "href=« A.html » : cible introuvable : « A.html » n'existe pas dans le site",
        ),
    ]


def test_links_escaping_the_site(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "site",
        {
            "index.html": page('<a href="../site/index.html">moi, mais par le parent</a>'),
            "sub/index.html": page(
                '<a href="../index.html">accueil</a>\n<a href="../../secret.html">dehors</a>'
            ),
        },
    )
    (tmp_path / "secret.html").write_text("hors du site", encoding="utf-8")
    escape = "le lien sort du dossier du site"
    assert check_links(site) == [
        Problem("index.html", 3, 4, f"href=« ../site/index.html » : {escape}"),
        Problem("sub/index.html", 4, 4, f"href=« ../../secret.html » : {escape}"),
    ]


def test_links_to_folders(tmp_path: Path) -> None:
    body = (
        '<a href="collectivites/">A–Z</a>\n'
        '<a href="collectivites">A–Z</a>\n'
        '<a href="./">accueil</a>\n'
        '<a href=".">accueil</a>\n'
        '<a href="collectivites/#lettre-m">M</a>'
    )
    extra = {"collectivites/index.html": page('<h2 id="lettre-m">M</h2>')}

    def folder(line: int, url: str, index: str) -> Problem:
        return Problem(
            "index.html",
            line,
            4,
            f"href=« {url} » : lien vers un dossier, qui depuis file:// affiche la liste de ses "
            f"fichiers ; viser « {index} »",
        )

    assert one_page_problems(tmp_path, body, **extra) == [
        folder(3, "collectivites/", "collectivites/index.html"),
        folder(4, "collectivites", "collectivites/index.html"),
        folder(5, "./", "./index.html"),
        folder(6, ".", "./index.html"),
        folder(7, "collectivites/#lettre-m", "collectivites/index.html"),
    ]


def test_parent_folder_link_from_a_sub_page(tmp_path: Path) -> None:
    make_site(tmp_path, {"index.html": page(""), "sub/index.html": page('<a href="../">up</a>')})
    assert check_links(tmp_path) == [
        Problem(
            "sub/index.html",
            3,
            4,
            "href=« ../ » : lien vers un dossier, qui depuis file:// affiche la liste de ses "
            "fichiers ; viser « ../index.html »",
        )
    ]


def test_missing_fragments(tmp_path: Path) -> None:
    body = (
        '<a href="#contenu">contenu</a>\n'
        '<a href="a.html#x">présent</a> <a href="a.html#y">absent</a>\n'
        '<a href="index.html#contenu">même page par son nom</a>\n'
        '<a href="#bas">plus bas</a>\n'
        '<p id="bas"></p>\n'
        '<a href="a.html#caf%C3%A9">encodé</a>'
    )
    assert one_page_problems(tmp_path, body) == [
        Problem(
            "index.html",
            3,
            4,
            "href=« #contenu » : ancre « #contenu » introuvable, aucun id « contenu » "
            "dans « index.html »",
        ),
        Problem(
            "index.html",
            4,
            35,
            "href=« a.html#y » : ancre « #y » introuvable, aucun id « y » dans « a.html »",
        ),
        Problem(
            "index.html",
            5,
            4,
            "href=« index.html#contenu » : ancre « #contenu » introuvable, aucun id « contenu » "
            "dans « index.html »",
        ),
        Problem(
            "index.html",
            8,
            4,
            "href=« a.html#caf%C3%A9 » : ancre « #caf%C3%A9 » introuvable, aucun id « café » "
            "dans « a.html »",
        ),
    ]


def test_fragment_to_a_page_in_another_folder(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "index.html": page('<a href="b/index.html#ici">ici</a>'),
            "b/index.html": page('<a href="../index.html#la">là</a><h2 id="ici">ici</h2>'),
        },
    )
    assert check_links(tmp_path) == [
        Problem(
            "b/index.html",
            3,
            4,
            "href=« ../index.html#la » : ancre « #la » introuvable, aucun id « la » "
            "dans « index.html »",
        )
    ]


def test_fragment_of_a_file_that_is_not_html_is_not_checked(tmp_path: Path) -> None:
    body = '<svg><use href="static/icons.svg#loupe"></use></svg>'
    assert one_page_problems(tmp_path, body, **{"static/icons.svg": "<svg/>"}) == []


def test_position_of_an_attribute_on_a_later_line(tmp_path: Path) -> None:
    body = '<a class="x"\n   title="href=/faux"\n     href="/a.html">a</a>'
    assert one_page_problems(tmp_path, body) == [
        Problem("index.html", 5, 6, f"href=« /a.html » : {ROOT}")
    ]


def test_whitespace_around_urls_is_ignored(tmp_path: Path) -> None:
    assert one_page_problems(tmp_path, '<a href="  a.html#x\n">a</a>') == []


def test_problem_paths_use_slashes(tmp_path: Path) -> None:
    make_site(tmp_path, {"a/b/index.html": page('<a href="/">racine</a>')})
    assert check_links(tmp_path) == [Problem("a/b/index.html", 3, 4, f"href=« / » : {ROOT}")]


@pytest.mark.parametrize(
    ("srcset", "urls"),
    [
        ("a.png", ["a.png"]),
        ("a.png 1x, b.png 2x", ["a.png", "b.png"]),
        ("a.png 480w,b.png 800w", ["a.png", "b.png"]),
        ("img,1.png 1x, img,2.png 2x", ["img,1.png", "img,2.png"]),
        (" a.png, b.png 2x ", ["a.png", "b.png"]),
    ],
)
def test_every_srcset_candidate_is_checked(tmp_path: Path, srcset: str, urls: list[str]) -> None:
    problems = one_page_problems(tmp_path, f'<img srcset="{srcset}" alt="">')
    assert [p.message.partition(" : ")[0] for p in problems] == [f"srcset=« {u} »" for u in urls]


def test_many_pages_each_parsed_once(tmp_path: Path) -> None:
    count = 300
    files = {
        f"p/{i}/index.html": page(
            f'<h1 id="t{i}">{i}</h1><a href="../{(i + 1) % count}/index.html#t{(i + 1) % count}">'
            f'suivant</a><a href="../{(i + 7) % count}/index.html#absent">x</a>'
        )
        for i in range(count)
    }
    make_site(tmp_path, files)
    problems = check_links(tmp_path)
    assert sorted(p.path for p in problems) == sorted(files)
    assert all("ancre « #absent » introuvable" in p.message for p in problems)


def test_an_address_python_cannot_split_is_reported_not_a_traceback(tmp_path: Path) -> None:
    """`lien: "http://[::1/x"` passes check and build; `links` ended in ValueError (an audit)."""
    found = one_page_problems(tmp_path, '<a href="http://[::1/x">a</a>')
    assert [p.message for p in found] == [
        "href=« http://[::1/x » : adresse illisible : son hôte est mal écrit"
    ]
