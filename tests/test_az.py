"""The A–Z list files an intercommunalité under its distinctive name, with its full name
shown, rather than all of them under C (« Communauté d'agglomération… »)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from palmares.pipeline import build
from palmares.site import urls
from palmares.text import filing_name
from tests.helpers import commune, write_project


@pytest.mark.parametrize(
    ("nom", "filed"),
    [
        (
            "Communauté d'agglomération de la Riviera du Levant",
            "Riviera du Levant (Communauté d'agglomération de la)",
        ),
        (
            "Communauté d'agglomération La Riviéra du Levant",
            "Riviéra du Levant (Communauté d'agglomération La)",
        ),
        ("Communauté de communes des Vallons", "Vallons (Communauté de communes des)"),
        ("Communauté urbaine d’Arras", "Arras (Communauté urbaine d’)"),
        ("Communauté de communes de l'Ouest", "Ouest (Communauté de communes de l')"),
        ("CC du Pays de Saint-Omer", "Pays de Saint-Omer (CC du)"),
        ("CA Grand Lac", "Grand Lac (CA)"),
        ("Métropole européenne de Lille", "Lille (Métropole européenne de)"),
        ("Métropole du Grand Paris", "Grand Paris (Métropole du)"),
        ("Eurométropole de Strasbourg", "Strasbourg (Eurométropole de)"),
        ("communauté de communes du val", "Val (communauté de communes du)"),
        # Already its distinctive name first, or only a kind: left as it is.
        ("Bordeaux Métropole", "Bordeaux Métropole"),
        ("Plaine Commune", "Plaine Commune"),
        ("Métropole", "Métropole"),
        ("Cazères", "Cazères"),
        ("Ca Marche", "Ca Marche"),
    ],
)
def test_filing_name(nom: str, filed: str) -> None:
    assert filing_name(nom) == filed


def test_the_az_list_files_intercommunalites_under_their_distinctive_name(
    tmp_path: Path,
) -> None:
    source = write_project(
        tmp_path / "source",
        {
            "communes/06/riviera.yaml": commune(
                '"200039907"',
                nom="Communauté d'agglomération de la Riviera du Levant",
                departement='"06"',
                extra="type: intercommunalite\n",
            ),
            "communes/01/ambronay.yaml": commune('"01007"', nom="Communauté", departement='"01"'),
            "communes/06/roquebrune.yaml": commune(
                '"06104"', nom="Roquebrune-Cap-Martin", departement='"06"'
            ),
        },
    )
    out = tmp_path / "site"
    assert build(source, out).errors == []
    page = BeautifulSoup((out / urls.AZ).read_text(encoding="utf-8"), "html.parser")
    filed = {
        section.h2.get_text(): [a.get_text() for a in section.select(".commune-list li > a")]
        for section in page.select("main section")
    }
    assert filed == {
        "C": ["Communauté"],  # a commune keeps its name as it is
        "M": ["Marcq-en-Barœul"],
        "R": [
            "Riviera du Levant (Communauté d'agglomération de la)",
            "Roquebrune-Cap-Martin",
        ],
    }
    letters = [a.get_text() for a in page.select("nav.letters a")]
    assert letters == ["C", "M", "R"]
