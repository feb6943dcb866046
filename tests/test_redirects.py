"""Permanent links: a renamed or merged collectivité's earlier addresses lead to its page, and
a redirect never replaces a page."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from palmares.pipeline import build, check
from palmares.problems import Severity
from tests.helpers import commune, write_project

BASE_URL = "https://palmares.example.org/"


def follow(out: Path, rel: str) -> tuple[str, BeautifulSoup]:
    """The page a redirect's meta refresh leads to, as a browser would resolve it."""
    html = BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html.parser")
    refresh = html.select_one('meta[http-equiv="refresh"]')
    assert refresh is not None, rel
    match = re.fullmatch(r"0; url=(.+)", refresh["content"])
    assert match is not None
    target = (out / rel).parent.joinpath(match.group(1)).resolve().relative_to(out.resolve())
    return target.as_posix(), html


def test_a_renamed_collectivites_old_url_leads_to_its_page(tmp_path: Path) -> None:
    root = write_project(
        tmp_path / "p",
        {"communes/50/cherbourg.yaml": commune('"50129"', nom="Cherbourg-Octeville", departement='"50"')},
    )  # fmt: skip
    out = tmp_path / "site"
    assert build(root, out, base_url=BASE_URL).errors == []
    old = "collectivites/cherbourg-octeville-50/index.html"
    assert "Cherbourg-Octeville" in (out / old).read_text(encoding="utf-8")

    # The commune nouvelle: new name, the old one moved into anciens_noms.
    (root / "communes/50/cherbourg.yaml").write_text(
        commune(
            '"50129"',
            nom="Cherbourg-en-Cotentin",
            departement='"50"',
            extra="anciens_noms: [Cherbourg-Octeville]\n",
        ),
        encoding="utf-8",
    )
    result = build(root, out, base_url=BASE_URL)
    assert result.errors == [] and not [p for p in result.problems if "ancien nom" in p.message]
    target, redirect = follow(out, old)
    assert target == "collectivites/cherbourg-en-cotentin-50/index.html"
    page = BeautifulSoup((out / target).read_text(encoding="utf-8"), "html.parser")
    assert page.h1 is not None and page.h1.get_text() == "Cherbourg-en-Cotentin"
    assert "Cherbourg-Octeville" in page.get_text()
    canonical = redirect.select_one('link[rel="canonical"]')
    assert canonical is not None
    assert canonical["href"] == BASE_URL + "collectivites/cherbourg-en-cotentin-50/"
    assert redirect.html is not None and redirect.html["lang"] == "fr"
    assert redirect.h1 is not None
    link = redirect.select_one("main a[href]")
    assert (
        link is not None
        and link["href"] == "../../collectivites/cherbourg-en-cotentin-50/index.html"
    )
    # The redirect is no page of its own: not in the sitemap, which lists the new address.
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "cherbourg-octeville" not in sitemap and "cherbourg-en-cotentin-50/" in sitemap


def test_without_a_base_url_the_canonical_link_is_relative(tmp_path: Path) -> None:
    root = write_project(
        tmp_path / "p",
        {"communes/59/marcq-en-baroeul.yaml": commune(
            '"59378"', nom="Marcq-en-Barœul", departement='"59"', extra="anciens_noms: [Marcq]\n"
        )},
    )  # fmt: skip
    out = tmp_path / "site"
    assert build(root, out).errors == []
    target, redirect = follow(out, "collectivites/marcq-59/index.html")
    assert target == "collectivites/marcq-en-baroeul-59/index.html"
    canonical = redirect.select_one('link[rel="canonical"]')
    assert (
        canonical is not None
        and canonical["href"] == "../../collectivites/marcq-en-baroeul-59/index.html"
    )


def test_an_old_name_spelt_like_the_new_one_needs_no_redirect(tmp_path: Path) -> None:
    root = write_project(
        tmp_path / "p",
        {"communes/59/marcq-en-baroeul.yaml": commune(
            '"59378"', nom="Marcq-en-Barœul", departement='"59"',
            extra="anciens_noms: [Marcq-en-Baroeul]\n",
        )},
    )  # fmt: skip
    out = tmp_path / "site"
    result = build(root, out)
    assert result.errors == [] and not [p for p in result.problems if "ancien nom" in p.message]
    page = (out / "collectivites/marcq-en-baroeul-59/index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh"' not in page


def test_a_redirect_never_replaces_a_page(tmp_path: Path) -> None:
    # Annecy absorbed Seynod, which keeps its own file for the labels it had before.
    root = write_project(
        tmp_path / "p",
        {
            "communes/74/annecy.yaml": commune(
                '"74010"', nom="Annecy", departement='"74"', extra="anciens_noms: [Seynod]\n"
            ),
            "communes/74/seynod.yaml": commune(
                '"74268"',
                nom="Seynod",
                departement='"74"',
                labels="  - annee: 2015\n    arobases: 3\n",
            ),
        },
    )
    result = check(root)
    warnings = [p for p in result.problems if "l'ancien nom « Seynod »" in p.message]
    assert [(p.path, p.severity) for p in warnings] == [
        ("communes/74/annecy.yaml", Severity.WARNING)
    ]
    assert "collectivites/seynod-74/" in warnings[0].message
    assert "pas de redirection" in warnings[0].message
    out = tmp_path / "site"
    assert build(root, out).errors == []
    seynod = BeautifulSoup(
        (out / "collectivites/seynod-74/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert seynod.select_one('meta[http-equiv="refresh"]') is None
    assert seynod.h1 is not None and seynod.h1.get_text() == "Seynod"
    # --strict makes the clash an error: nothing is published.
    assert build(root, tmp_path / "strict", strict=True).errors


def test_two_collectivites_claiming_one_old_address_get_no_redirect(tmp_path: Path) -> None:
    root = write_project(
        tmp_path / "p",
        {
            "communes/74/a.yaml": commune(
                '"74010"', nom="Annecy", departement='"74"', extra="anciens_noms: [Pringy]\n"
            ),
            "communes/74/b.yaml": commune(
                '"74217"', nom="Argonay", departement='"74"', extra="anciens_noms: [Pringy]\n"
            ),
        },
    )
    result = build(root, tmp_path / "site")
    assert result.errors == []
    clashes = [p for p in result.problems if "l'ancien nom « Pringy »" in p.message]
    assert {p.path for p in clashes} == {"communes/74/a.yaml", "communes/74/b.yaml"}
    assert not (tmp_path / "site/collectivites/pringy-74/index.html").exists()
