from __future__ import annotations

import pytest

from palmares.territory import (
    DEPARTEMENTS,
    REGIONS,
    Departement,
    departement,
    departement_of_insee,
)

OVERSEAS = {"971": "01", "972": "02", "973": "03", "974": "04", "976": "06"}


def test_counts() -> None:
    assert len(DEPARTEMENTS) == 101
    assert len(REGIONS) == 18
    assert len({d.region for d in DEPARTEMENTS.values()}) == 18
    metropolitan = {d.region.code for d in DEPARTEMENTS.values() if len(d.code) == 2}
    assert len(metropolitan) == 13


def test_insee_order() -> None:
    expected = [f"{n:02d}" for n in range(1, 20)] + ["2A", "2B"]
    expected += [f"{n:02d}" for n in range(21, 96)] + ["971", "972", "973", "974", "976"]
    assert list(DEPARTEMENTS) == expected
    assert all(code == d.code for code, d in DEPARTEMENTS.items())
    assert all(code == r.code for code, r in REGIONS.items())


@pytest.mark.parametrize(
    ("code", "nom", "region"),
    [
        ("59", "Nord", "Hauts-de-France"),
        ("2A", "Corse-du-Sud", "Corse"),
        ("2B", "Haute-Corse", "Corse"),
        ("974", "La Réunion", "La Réunion"),
        ("976", "Mayotte", "Mayotte"),
        ("94", "Val-de-Marne", "Île-de-France"),
        ("95", "Val-d'Oise", "Île-de-France"),
        ("22", "Côtes-d'Armor", "Bretagne"),
        ("63", "Puy-de-Dôme", "Auvergne-Rhône-Alpes"),
        ("06", "Alpes-Maritimes", "Provence-Alpes-Côte d'Azur"),
        ("90", "Territoire de Belfort", "Bourgogne-Franche-Comté"),
        ("28", "Eure-et-Loir", "Centre-Val de Loire"),
        ("67", "Bas-Rhin", "Grand Est"),
        ("44", "Loire-Atlantique", "Pays de la Loire"),
        ("50", "Manche", "Normandie"),
        ("64", "Pyrénées-Atlantiques", "Nouvelle-Aquitaine"),
        ("66", "Pyrénées-Orientales", "Occitanie"),
    ],
)
def test_known_departements(code: str, nom: str, region: str) -> None:
    found = departement(code)
    assert isinstance(found, Departement)
    assert (found.code, found.nom, found.region.nom) == (code, nom, region)


def test_overseas_regions() -> None:
    for dept, region in OVERSEAS.items():
        assert DEPARTEMENTS[dept].region is REGIONS[region]
    assert DEPARTEMENTS["2A"].region.code == DEPARTEMENTS["2B"].region.code == "94"
    assert DEPARTEMENTS["59"].region.code == "32"


def test_departements_per_region() -> None:
    per_region: dict[str, int] = {}
    for d in DEPARTEMENTS.values():
        per_region[d.region.nom] = per_region.get(d.region.nom, 0) + 1
    assert per_region["Occitanie"] == 13
    assert per_region["Auvergne-Rhône-Alpes"] == 12
    assert per_region["Nouvelle-Aquitaine"] == 12
    assert per_region["Grand Est"] == 10
    assert per_region["Île-de-France"] == 8
    assert per_region["Bretagne"] == 4


def test_names_use_the_ascii_apostrophe() -> None:
    names = [d.nom for d in DEPARTEMENTS.values()] + [r.nom for r in REGIONS.values()]
    assert not any("’" in name for name in names)
    assert len(set(d.nom for d in DEPARTEMENTS.values())) == 101


def test_centres_are_plausible() -> None:
    for d in DEPARTEMENTS.values():
        lat, lon = d.centre
        if len(d.code) == 2:
            assert 41.3 < lat < 51.1 and -5.2 < lon < 9.6, d
        else:
            assert -22 < lat < 17 and -62 < lon < 56, d
        assert round(lat, 2) == lat and round(lon, 2) == lon


def test_tables_are_read_only() -> None:
    with pytest.raises(TypeError):
        DEPARTEMENTS["99"] = DEPARTEMENTS["59"]  # type: ignore[index]
    with pytest.raises(TypeError):
        REGIONS["99"] = REGIONS["32"]  # type: ignore[index]


@pytest.mark.parametrize("code", ["", "1", "00", "20", "96", "975", "2a", "59 ", "978"])
def test_unknown_departement(code: str) -> None:
    assert departement(code) is None


@pytest.mark.parametrize(
    ("insee", "expected"),
    [
        ("59378", "59"),
        ("2A004", "2A"),
        ("2B033", "2B"),
        ("97411", "974"),
        ("97611", "976"),
        ("01004", "01"),
        ("75056", "75"),
        ("95313", "95"),
        # malformed or naming no département
        ("1004", None),
        ("590378", None),
        ("", None),
        ("2a004", None),
        ("2C004", None),
        ("20004", None),
        ("96001", None),
        ("97502", None),
        ("98735", None),
        ("5937A", None),
        ("59 37", None),
        ("５9378", None),
        (" 59378", None),
    ],
)
def test_departement_of_insee(insee: str, expected: str | None) -> None:
    assert departement_of_insee(insee) == expected


def test_departement_of_insee_ignores_non_strings() -> None:
    assert departement_of_insee(516) is None  # type: ignore[arg-type]
