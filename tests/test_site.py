"""What a reader sees: every page family, built from real projects in temporary folders."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from palmares.pipeline import build

PROJECT = Path(__file__).resolve().parent.parent
NARROW_NBSP = "\u202f"


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def commune(code: str, nom: str, dept: str, labels: str, extra: str = "") -> str:
    return f'code: "{code}"\nnom: "{nom}"\ndepartement: "{dept}"\n{extra}labels:\n{labels}'


CORPUS = {
    "communes/59/marcq.yaml": commune(
        "59378",
        "Marcq-en-Barœul",
        "59",
        "  - {annee: 2016, arobases: 4}\n  - {annee: 2017, arobases: 5, distinctions: [Arobase verte]}\n",
        "population: 39000\nsite_web: https://www.marcq-en-baroeul.org\nanciens_noms: [Marcq]\n",
    ),
    "communes/69/ecully.yaml": commune("69081", "Écully", "69", "  - {annee: 2017, arobases: 3}\n"),
    "communes/40/dax.yaml": commune("40088", "Dax", "40", "  - {annee: 2017, arobases: 3}\n"),
    "communes/35/fougeres.yaml": commune(
        "35115", "Fougères", "35", "  - {annee: 2017, arobases: 3}\n"
    ),
    "communes/93/saint-denis.yaml": commune(
        "93066", "Saint-Denis", "93", "  - {annee: 2017, arobases: 2}\n"
    ),
    "communes/974/saint-denis.yaml": commune(
        "97411", "Saint-Denis", "974", "  - {annee: 2016, arobases: 1}\n"
    ),
    "communes/2A/ajaccio.yaml": commune(
        "2A004", "Ajaccio", "2A", "  - {annee: 2017, arobases: 0, mention: Mention simple}\n"
    ),
    "communes/73/aix.yaml": commune(
        "73008", "Aix-les-Bains", "73", "  - {annee: 2017, arobases: 5}\n"
    ),
    "communes/971/riviera.yaml": commune(
        "200041507",
        "Communauté d'agglomération La Riviera du Levant",
        "971",
        "  - {annee: 2017, arobases: 3}\n",
        "type: intercommunalite\n",
    ),
    "content/domaines/teletravail.md": "---\ntitre: Télétravail\nordre: 2\n---\nTravailler autrement.\n",
    "content/domaines/gouvernement-ouvert.md": "---\ntitre: Gouvernement ouvert\nordre: 1\n---\nTransparence.\n",
    "content/actions/2017/tiers-lieu.md": (
        '---\ntitre: Un tiers-lieu concerté\ncommune: "73008"\nannee: 2017\n'
        "domaines: [teletravail]\n---\nLes habitants sont **consultés**.\n"
    ),
    "content/actions/2016/appli.md": (
        '---\ntitre: La « bonne appli »\ncommune: "59378"\nannee: 2016\n'
        "domaines: [teletravail, gouvernement-ouvert]\nmention_speciale: true\n---\nEntraide.\n"
    ),
    "content/palmares/2017.md": "---\nannee: 2017\nnumero: 18\ndate: 2017-02-01\nlieu: Lille\n---\nLa cérémonie.\n",
    "content/pages/a-propos.md": "---\ntitre: À propos\n---\nCe site.\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    write(root, CORPUS)
    out = root / "out"
    result = build(root, out)
    assert result.errors == [], result.problems
    return out


def soup(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")


def text(node: Tag | BeautifulSoup) -> str:
    return " ".join(node.get_text(" ").split())


def test_every_page_family_exists(site: Path) -> None:
    expected = [
        "index.html",
        "404.html",
        "collectivites/index.html",
        "collectivites/marcq-en-baroeul-59/index.html",
        "actions/2017/tiers-lieu/index.html",
        "domaines/index.html",
        "domaines/teletravail/index.html",
        "palmares/index.html",
        "palmares/2016/index.html",
        "palmares/2017/index.html",
        "territoires/index.html",
        "territoires/59-nord/index.html",
        "territoires/region-hauts-de-france/index.html",
        "pages/a-propos/index.html",
        "recherche/index.html",
        "static/style.css",
        "static/search-index.js",
    ]
    for rel in expected:
        assert (site / rel).is_file(), rel


def test_every_page_is_french_with_one_h1(site: Path) -> None:
    for page in site.rglob("*.html"):
        html = soup(site, page.relative_to(site).as_posix())
        assert html.html is not None and html.html.get("lang") == "fr", page
        assert len(html.find_all("h1")) == 1, page


def test_edition_groups_by_arobases_in_french_order(site: Path) -> None:
    html = soup(site, "palmares/2017/index.html")
    groups = {}
    for section in html.select('section[aria-labelledby="labellisees"] > section.group'):
        heading = section.find("h3")
        assert heading is not None
        groups[heading["id"]] = [text(a) for a in section.select("ul.commune-list > li > a")]
    assert list(groups) == ["arobases-5", "arobases-3", "arobases-2", "arobases-0"]
    assert groups["arobases-5"] == ["Aix-les-Bains", "Marcq-en-Barœul"]
    # Écully files under E, between Dax and Fougères; accents and case do not count.
    assert groups["arobases-3"] == [
        "Communauté d'agglomération La Riviera du Levant",
        "Dax",
        "Écully",
        "Fougères",
    ]
    assert groups["arobases-0"] == ["Ajaccio"]
    lead = " ".join(html.select_one("p.lead").get_text().split())
    assert "18e édition" in lead and "1er février 2017" in lead and "Lille" in lead


def test_edition_counts_per_arobases_type_and_region(site: Path) -> None:
    html = soup(site, "palmares/2017/index.html")
    tables = {text(t.caption): t for t in html.select("table.counts")}
    rows = lambda caption: [  # noqa: E731
        (text(tr.th), text(tr.td)) for tr in tables[caption].select("tbody tr")
    ]
    assert rows("Collectivités par nombre d’@")[0] == ("@@@@@ 5 arobases", "2")
    assert ("communes", "7") in rows("Collectivités par type")
    assert ("intercommunalités", "1") in rows("Collectivités par type")
    assert ("Hauts-de-France", "1") in rows("Collectivités par région")
    assert ("Corse", "1") in rows("Collectivités par région")


def test_commune_page_history_table_and_chart_carry_the_same_data(site: Path) -> None:
    html = soup(site, "collectivites/marcq-en-baroeul-59/index.html")
    assert text(html.h1) == "Marcq-en-Barœul"
    facts = text(html.select_one("dl.facts"))
    assert f"39{NARROW_NBSP}000 habitants".replace(NARROW_NBSP, " ") in facts.replace(
        NARROW_NBSP, " "
    )
    assert NARROW_NBSP in html.select_one("dl.facts").get_text()
    assert "Hauts-de-France" in facts and "Nord (59)" in facts and "Marcq" in facts
    table = {
        text(tr.th): text(tr.find_all("td")[0]) for tr in html.select("table.history tbody tr")
    }
    assert table == {"2017": "@@@@@ 5 arobases", "2016": "@@@@ 4 arobases"}
    svg = html.select_one("svg[role=img]")
    assert svg is not None and svg.title is not None and svg.desc is not None
    bars = {
        bar.title.get_text().split(" : ")[0]: float(bar["height"]) for bar in svg.select("rect.bar")
    }
    assert set(bars) == {"2016", "2017"}
    assert bars["2017"] / bars["2016"] == pytest.approx(5 / 4)
    assert "Arobase verte" in text(html.select_one("table.history"))
    actions = [text(a) for a in html.select("ul.action-list > li > a")]
    assert actions == ["La « bonne appli »"]


def test_homonyms_get_distinct_readable_urls(site: Path) -> None:
    assert (site / "collectivites/saint-denis-93/index.html").is_file()
    assert (site / "collectivites/saint-denis-974/index.html").is_file()
    reunion = soup(site, "collectivites/saint-denis-974/index.html")
    assert "La Réunion" in text(reunion.select_one("dl.facts"))


def test_a_to_z_index_files_accented_names_under_their_letter(site: Path) -> None:
    html = soup(site, "collectivites/index.html")
    e_section = html.find(id="lettre-E")
    assert e_section is not None
    assert "Écully" in text(e_section.parent)
    letters = [text(a) for a in html.select("nav.letters a")]
    assert letters == sorted(letters)


def test_domain_page_groups_actions_by_edition(site: Path) -> None:
    html = soup(site, "domaines/teletravail/index.html")
    years = [h3["id"] for h3 in html.select("#actions ~ h3, section h3")]
    assert years == ["edition-2017", "edition-2016"]
    distinguished = [text(a) for a in html.select("ul.commune-list > li > a")]
    assert distinguished == ["Aix-les-Bains", "Marcq-en-Barœul"]


def test_territory_pages_list_latest_labels(site: Path) -> None:
    html = soup(site, "territoires/region-ile-de-france/index.html")
    rows = [text(tr.th) for tr in html.select("table.territory tbody tr")]
    assert rows == ["Saint-Denis"]
    dept = soup(site, "territoires/974-la-reunion/index.html")
    cells = [text(td) for td in dept.select("table.territory tbody td")]
    assert cells == ["@ 1 arobase", "2016"]


def test_write_up_markdown_is_rendered_and_sanitized(tmp_path: Path) -> None:
    files = dict(CORPUS)
    files["content/actions/2017/tiers-lieu.md"] = (
        '---\ntitre: "Titre </script><!-- \\"piégé\\""\ncommune: "73008"\nannee: 2017\n'
        "domaines: [teletravail]\n---\n**Gras** <script>alert(1)</script> [x](javascript:alert(1))\n"
        "[site](https://example.org)\n"
    )
    root = write(tmp_path, files)
    assert build(root, tmp_path / "out").errors == []
    html = (tmp_path / "out/actions/2017/tiers-lieu/index.html").read_text(encoding="utf-8")
    assert "<strong>Gras</strong>" in html
    assert "<script>alert" not in html and "javascript:" not in html
    assert 'rel="noopener noreferrer"' in html
    assert "</script><!--" not in html
    index = (tmp_path / "out/static/search-index.js").read_text(encoding="utf-8")
    assert "</script>" not in index and "<!--" not in index


def test_links_are_relative_and_name_index_html(site: Path) -> None:
    for page in site.rglob("*.html"):
        for a in soup(site, page.relative_to(site).as_posix()).find_all(["a", "link", "script"]):
            target = a.get("href") or a.get("src")
            if not target or target.startswith(("https://", "http://", "#", "mailto:")):
                continue
            assert not target.startswith("/"), (page, target)
            path = target.split("#")[0].split("?")[0]
            assert not path.endswith("/"), (page, target)
            assert (page.parent / path).resolve().is_file(), (page, target)


def test_same_sources_give_same_bytes(tmp_path: Path) -> None:
    root = write(tmp_path / "p", CORPUS)
    build(root, tmp_path / "a")
    build(root, tmp_path / "b")
    first = {
        p.relative_to(tmp_path / "a"): p.read_bytes()
        for p in (tmp_path / "a").rglob("*")
        if p.is_file()
    }
    second = {
        p.relative_to(tmp_path / "b"): p.read_bytes()
        for p in (tmp_path / "b").rglob("*")
        if p.is_file()
    }
    assert first == second


def test_failed_build_leaves_previous_site_untouched(tmp_path: Path) -> None:
    root = write(tmp_path / "p", CORPUS)
    out = tmp_path / "out"
    assert build(root, out).errors == []
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (root / "communes/73/aix.yaml").write_text(
        'code: "73008"\nnom: Aix\ndepartement: "73"\nlabels:\n  - {annee: 2017, arobases: 6}\n'
    )
    result = build(root, out)
    assert [str(p) for p in result.errors] == [
        "communes/73/aix.yaml:5:29: `arobases` doit être un nombre entier de 0 à 5 ; trouvé : 6 : "
        "écrivez `arobases: 5` ou moins"
    ]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    # Only the twin the next build starts from may stand beside the site.
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".out.")] in (
        [],
        [".out.next"],
    )


def test_source_layouts_override_default_templates(tmp_path: Path) -> None:
    files = dict(CORPUS)
    files["layouts/page.html"] = (
        '{% extends "base.html" %}{% block main %}<h1>Gabarit maison : {{ page.titre }}</h1>{% endblock %}'
    )
    root = write(tmp_path, files)
    assert build(root, tmp_path / "out").errors == []
    html = soup(tmp_path / "out", "pages/a-propos/index.html")
    assert text(html.h1) == "Gabarit maison : À propos"
    assert (tmp_path / "out/static/style.css").is_file()  # the rest falls back to ours


def test_example_content_shows_aix_les_bains_under_five_arobases(tmp_path: Path) -> None:
    result = build(PROJECT, tmp_path / "site")
    assert result.errors == [], result.problems
    html = soup(tmp_path / "site", "palmares/2017/index.html")
    five = html.find(id="arobases-5")
    assert five is not None
    names = [text(a) for a in five.find_parent("section").select("ul.commune-list a")]
    assert "Aix-les-Bains" in names
    assert re.search(r"1er février 2017", text(html))
