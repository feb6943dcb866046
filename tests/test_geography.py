"""The official geography: the shipped data file, names as people write them, and the
warnings `check` gives when a collectivité's file disagrees with the official list."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from palmares.content import geography
from palmares.content.geography import (
    DATA_FILE,
    EPCI,
    NameIndex,
    loose_key,
    name_key,
    official,
    pack,
    parse,
)
from palmares.output.cache import ParseCache
from palmares.pipeline import build, check
from tests.helpers import BASE_COMMUNE, commune, problems, write_project

PROJECT = Path(__file__).resolve().parent.parent
LISTE = "liste officielle, millésime 2026"


# ---------------------------------------------------------------------------------------
# The data file


def test_data_file_is_compact_and_says_where_it_comes_from() -> None:
    assert DATA_FILE.stat().st_size < 2_000_000
    geography = official()
    assert (geography.version, geography.millesime) == ("6.0.0", 2026)
    notice = (DATA_FILE.parent / "GEOGRAPHIE.md").read_text(encoding="utf-8")
    assert "@etalab/decoupage-administratif" in notice
    assert "6.0.0" in notice and "Licence Ouverte" in notice
    assert "scripts/geographie.py" in notice
    assert hashlib.sha256(DATA_FILE.read_bytes()).hexdigest() in notice


def test_lookups_by_code() -> None:
    geography = official()
    marcq = geography.get("59378")
    assert marcq is not None
    assert (marcq.nom, marcq.type, marcq.departement, marcq.region) == (
        "Marcq-en-Barœul",
        "commune",
        "59",
        "32",
    )
    riviera = geography.get("200041507")
    assert riviera is not None
    assert (riviera.nom, riviera.nom_usuel, riviera.type, riviera.departement) == (
        "CA La Riviéra du Levant",
        "Communauté d'agglomération La Riviéra du Levant",
        "intercommunalite",
        "971",
    )
    assert riviera.members == ("97110", "97113", "97125", "97128")
    grand_paris = geography.get("200054781")
    assert grand_paris is not None and grand_paris.departements[0] == "75"
    assert {"92", "93", "94"} <= set(grand_paris.departements)
    assert geography.get("2A004") is not None and geography.get("97411") is not None
    assert geography.get("59999") is None


def test_codes_that_disappeared_name_what_they_became() -> None:
    geography = official()
    beon = geography.former("01039")
    assert beon is not None and (beon.nom, beon.successor, beon.merged) == ("Béon", "01138", True)
    nouvelle = geography.successor("01039")
    assert nouvelle is not None and nouvelle.nom == "Culoz-Béon"
    assert geography.former("75033") is not None  # Fontenay-sous-Bois before 1968: 94033
    assert geography.former("59378") is None
    assert geography.arrondissements["13201"] == ("Marseille 1er Arrondissement", "13055")


def test_a_lookup_reads_only_its_part() -> None:
    """A build that re-checks one collectivité's file reads its département's part of the
    list, not the 35 000 communes."""
    geography = parse(DATA_FILE.read_bytes())
    assert geography.loaded == frozenset()
    marcq = geography.get("59378")
    assert marcq is not None and marcq.nom == "Marcq-en-Barœul"
    assert geography.loaded == {"59"}
    assert geography.arrondissements["13201"][1] == "13055"  # in the list's meta.json
    assert geography.former("59378") is None and geography.loaded == {"59"}
    assert geography.get("2A004") is not None and geography.get("97411") is not None
    assert geography.successor("01039") is not None  # Béon, merged into Culoz-Béon
    assert geography.loaded == {"59", "2A", "974", "01"}
    assert geography.get("200041507") is not None
    assert geography.loaded == {"59", "2A", "974", "01", EPCI}


def test_each_lookup_reads_what_it_needs() -> None:
    geography = parse(DATA_FILE.read_bytes())
    guadeloupe = geography.by_departement["971"]
    assert "97101" in guadeloupe and "200041507" in guadeloupe
    assert geography.loaded == {"971", EPCI}
    assert "20" not in geography.by_departement  # codes of Corsica before 1976 only
    assert [f.successor for f in geography.formers_in("20") if f.code == "20004"] == ["2A004"]
    assert geography.loaded == {"971", "20", EPCI}
    # Codes of 98: the collectivités d'outre-mer, by their own three characters.
    papeete = geography.get("98735")
    assert papeete is not None and papeete.departement == "987"
    assert "98735" in geography.by_departement["987"]
    marcq = geography.by_siren("215903782")  # a commune's SIREN: every part read
    assert marcq is not None and marcq.code == "59378"
    assert geography.loaded > {"01", "2A", "2B", "59", "95", "971", "976", "988", EPCI}
    with zipfile.ZipFile(DATA_FILE) as archive:
        assert len(geography.loaded) == len(archive.namelist()) - 1  # all but meta.json


def test_everything_from_every_part() -> None:
    geography = parse(DATA_FILE.read_bytes())
    everything = list(geography.all())
    assert len(everything) == 34_969 + 1_266
    communes, intercommunalites = everything[:34_969], everything[34_969:]
    assert {o.type for o in communes} == {"commune"} and communes[0].code == "01001"
    assert {o.type for o in intercommunalites} == {"intercommunalite"}
    assert [o.code for o in communes] == sorted(o.code for o in communes)
    formers = list(geography.all_formers())
    assert len(formers) == 4_824
    assert [f.code for f in formers] == sorted(f.code for f in formers)
    assert {f.code for f in formers} & {o.code for o in everything}  # déléguées' old names
    assert sum(len(codes) for codes in geography.by_departement.values()) > 36_235


# ---------------------------------------------------------------------------------------
# Names as people write them


@pytest.mark.parametrize(
    ("written", "official_name"),
    [
        ("Marcq-en-Baroeul", "Marcq-en-Barœul"),
        ("MARCQ EN BARŒUL", "Marcq-en-Barœul"),
        ("Villeneuve-D'Ascq", "Villeneuve-d'Ascq"),
        ("Villeneuve d’Ascq", "Villeneuve-d'Ascq"),
        ("St-Denis", "Saint-Denis"),
        ("Ste Anne", "Sainte-Anne"),
        ("Communauté d'agglomération La Riviera du Levant", "CA La Riviéra du Levant"),
        ("Communauté de communes Cœur de Sologne", "CC Coeur de Sologne"),
        ("Communauté urbaine de Dunkerque", "CU de Dunkerque"),
    ],
)
def test_spellings_that_share_a_key(written: str, official_name: str) -> None:
    assert name_key(written) == name_key(official_name)


def test_the_loose_key_ignores_order_articles_and_kind() -> None:
    assert loose_key("Métropole de Toulouse") == loose_key("Toulouse Métropole") == "toulouse"
    assert loose_key("Communauté de communes Pays de Fayence") == loose_key("CC du Pays de Fayence")
    assert loose_key("Gosier") == loose_key("Le Gosier")


@pytest.mark.parametrize(
    ("nom", "departement", "codes"),
    [
        ("Marcq-en-Baroeul", "59", ["59378"]),
        ("Villeneuve-D'Ascq", "59", ["59009"]),
        ("Saint-Denis", "93", ["93066"]),  # homonyms: the département decides
        ("Saint-Denis", "974", ["97411"]),
        ("St Pierre", "974", ["97416"]),
        ("St Pierre", "972", ["97225"]),
        ("CA La Riviera du Levant", "971", ["200041507"]),
        ("Métropole de Toulouse", "31", ["243100518"]),  # the métropole, not the commune
        ("Toulouse", "31", ["31555"]),
        ("Grand Reims", "51", ["200067213"]),
        ("Métropole européenne de Lille", "59", ["200093201"]),
        ("Métropole du Grand Paris", "93", ["200054781"]),  # any of its départements
        ("Bois Pargny", "02", ["02096", "02591"]),  # ambiguous
        ("Lille", "62", []),
    ],
)
def test_names_within_a_departement(nom: str, departement: str, codes: list[str]) -> None:
    found = NameIndex(official()).find(nom, departement).found
    assert [o.code for o in found] == codes


def test_candidates_for_a_name_that_matches_nothing() -> None:
    index = NameIndex(official())
    assert index.find("Marq-en-Bareul", "59").candidates == (
        "Marcq-en-Barœul (code 59378)",
        "Mons-en-Barœul (code 59410)",
    )
    assert index.find("Béon", "01").candidates[0] == (
        "Béon est une commune déléguée ou associée de Culoz-Béon (code 01138)"
    )


# ---------------------------------------------------------------------------------------
# `check` against the list: warnings, at the field to fix


def test_a_misspelled_name_gets_the_official_spelling(tmp_path: Path) -> None:
    files = {BASE_COMMUNE: commune('"59378"', nom="Marcq-en-Baroeul", departement='"59"')}
    assert problems(tmp_path, files) == [
        f"{BASE_COMMUNE}:2:6: avertissement : `nom` : le nom officiel de « 59378 » est "
        "« Marcq-en-Barœul » (trouvé : « Marcq-en-Baroeul ») : écrivez `nom: Marcq-en-Barœul` "
        f"({LISTE})"
    ]


def test_a_mistyped_code_gets_the_right_one(tmp_path: Path) -> None:
    files = {
        BASE_COMMUNE: commune('"59387"', nom="Marcq-en-Barœul", departement='"59"'),
        "communes/59/lille.yaml": commune('"59953"', nom="Lille", departement='"59"'),
    }
    assert problems(tmp_path, files) == [
        "communes/59/lille.yaml:1:7: avertissement : le code INSEE « 59953 » n'existe pas dans "
        f"la {LISTE} : celui de Lille (59) est « 59350 »",
        f"{BASE_COMMUNE}:1:7: avertissement : `code` : « 59387 » est le code de "
        "Marquette-en-Ostrevant ; celui de Marcq-en-Barœul est « 59378 » : écrivez "
        f'`code: "59378"` (ou corrigez `nom`) ({LISTE})',
    ]


def test_a_renamed_commune_and_a_typo(tmp_path: Path) -> None:
    files = {
        "communes/62/montreuil.yaml": commune('"62588"', nom="Montreuil", departement='"62"'),
        "communes/59/lille.yaml": commune('"59350"', nom="Lile", departement='"59"'),
    }
    assert problems(tmp_path, files) == [
        "communes/59/lille.yaml:2:6: avertissement : `nom` : le nom officiel de « 59350 » est "
        f"« Lille » (trouvé : « Lile ») : écrivez `nom: Lille` ({LISTE})",
        "communes/62/montreuil.yaml:2:6: avertissement : `nom` : le nom officiel de « 62588 » "
        "est « Montreuil-sur-Mer » (trouvé : « Montreuil ») : écrivez "
        f"`nom: Montreuil-sur-Mer`, et gardez l'ancien nom dans `anciens_noms` ({LISTE})",
    ]


def test_codes_that_disappeared(tmp_path: Path) -> None:
    files = {
        "communes/01/beon.yaml": commune('"01039"', nom="Béon"),
        "communes/75/fontenay.yaml": commune(
            '"75033"', nom="Fontenay-sous-Bois", departement='"75"'
        ),
        "communes/13/marseille.yaml": commune('"13201"', nom="Marseille", departement='"13"'),
    }
    assert problems(tmp_path, files) == [
        "communes/01/beon.yaml:1:7: avertissement : le code « 01039 » (Béon) a disparu dans "
        "une fusion : la commune nouvelle est Culoz-Béon, code « 01138 » ; écrivez "
        '`code: "01138"` et `nom: Culoz-Béon`, et gardez « Béon » dans `anciens_noms` '
        f"({LISTE})",
        "communes/13/marseille.yaml:1:7: avertissement : « 13201 » est le code de Marseille "
        "1er Arrondissement, un arrondissement municipal : la commune est Marseille, "
        '`code: "13055"`',
        "communes/75/fontenay.yaml:1:7: avertissement : le code « 75033 » n'existe plus : il a "
        f'été remplacé par « 94033 » (Fontenay-sous-Bois) ; écrivez `code: "94033"` ({LISTE})',
    ]


def interco(code: str, nom: str, departement: str) -> str:
    return commune(
        f'"{code}"', nom=nom, departement=f'"{departement}"', extra="type: intercommunalite\n"
    )


def test_intercommunalites(tmp_path: Path) -> None:
    files = {
        # The official abbreviation and the name in full are both the official name.
        "communes/971/a.yaml": interco("200041507", "CA La Riviéra du Levant", "971"),
        "communes/971/b.yaml": interco(
            "249710070", "Communauté d'agglomération Grand Sud Caraïbe", "972"
        ),
        "communes/971/c.yaml": interco("200099999", "CA du Nord Grande Terre", "971"),
        "communes/59/d.yaml": interco("215900093", "Villeneuve-d'Ascq", "59"),
    }
    assert problems(tmp_path, files) == [
        "communes/59/d.yaml:1:7: avertissement : « 215900093 » est le SIREN de la commune "
        'Villeneuve-d\'Ascq : pour une commune, écrivez son code INSEE, `code: "59009"`, et '
        "`type: commune`",
        "communes/971/b.yaml:3:14: avertissement : `departement` : Communauté d'agglomération "
        "Grand Sud Caraïbe (« 249710070 ») est dans le département « 971 », pas « 972 » : "
        f'écrivez `departement: "971"` ({LISTE})',
        "communes/971/c.yaml:1:7: avertissement : aucune intercommunalité à fiscalité propre "
        f"(ni aucun EPT) n'a le SIREN « 200099999 » dans la {LISTE} : celui de Communauté "
        "d'agglomération du Nord Grande Terre est « 200044691 »",
    ]


def test_typographic_apostrophe_is_the_official_name(tmp_path: Path) -> None:
    files = {"communes/59/v.yaml": commune('"59009"', nom="Villeneuve-d’Ascq", departement='"59"')}
    assert problems(tmp_path, files) == []


def test_a_file_with_an_error_gets_no_geography_warning(tmp_path: Path) -> None:
    files = {
        BASE_COMMUNE: commune('"59378"', nom="Lile", departement='"59"', extra="population: 0\n")
    }
    found = problems(tmp_path, files)
    assert len(found) == 1 and "`population`" in found[0] and "avertissement" not in found[0]


def test_warnings_are_kept_with_each_files_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild that re-reads no collectivité file reports the same warnings from the
    parse cache without reading the official list (a tenth of a one-change build)."""
    files = {BASE_COMMUNE: commune('"59378"', nom="Marcq-en-Baroeul", departement='"59"')}
    root = write_project(tmp_path / "src", files)
    first = build(root, tmp_path / "site", cache=ParseCache(tmp_path / "cache"))
    assert [p.message for p in first.problems if "nom officiel" in p.message]

    def unread() -> None:
        raise AssertionError("the official list was read again")

    monkeypatch.setattr(geography, "official", unread)
    action = next((root / "content").rglob("*.md"))
    action.write_text(action.read_text(encoding="utf-8") + "Une ligne.\n", encoding="utf-8")
    again = build(root, tmp_path / "site", cache=ParseCache(tmp_path / "cache"))
    assert again.stats.rendered > 0
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems]


def test_shipped_example_content_agrees_with_the_official_list(tmp_path: Path) -> None:
    for folder in ("communes", "content"):
        shutil.copytree(PROJECT / folder, tmp_path / folder)
    assert check(tmp_path).problems == []


def test_strict_check_fails_on_a_geography_warning(tmp_path: Path) -> None:
    files = {BASE_COMMUNE: commune('"59378"', nom="Marcq-en-Baroeul", departement='"59"')}
    problems(tmp_path, files)
    result = check(tmp_path, strict=True)
    assert [p.severity.name for p in result.problems] == ["ERROR"]


# ---------------------------------------------------------------------------------------
# The script that makes the data file


def fake_package(root: Path) -> Path:
    """A package laid out like @etalab/decoupage-administratif, a few rows of each kind."""
    data = root / "package" / "data"
    data.mkdir(parents=True)
    communes = [
        {"code": "59378", "nom": "Marcq-en-Barœul", "departement": "59", "region": "32",
         "type": "commune-actuelle", "siren": "215903782", "population": 40184},
        {"code": "01138", "nom": "Culoz-Béon", "departement": "01", "region": "84",
         "type": "commune-actuelle", "siren": "200084721", "population": 3400,
         "anciensCodes": ["01039", "01999"]},
        {"code": "01039", "nom": "Béon", "departement": "01", "region": "84",
         "type": "commune-deleguee", "chefLieu": "01138"},
        {"code": "13055", "nom": "Marseille", "departement": "13", "region": "93",
         "type": "commune-actuelle", "siren": "211300553", "population": 877215},
        {"code": "13201", "nom": "Marseille 1er Arrondissement", "departement": "13",
         "region": "93", "type": "arrondissement-municipal", "commune": "13055"},
    ]  # fmt: skip
    epci = [
        {"code": "200093201", "nom": "Métropole Européenne de Lille", "type": "METRO",
         "populationMunicipale": 40184,
         "membres": [{"code": "59378", "populationMunicipale": 40184}]},
    ]  # fmt: skip
    (data / "communes.json").write_text(json.dumps(communes), encoding="utf-8")
    (data / "epci.json").write_text(json.dumps(epci), encoding="utf-8")
    (root / "package" / "README.md").write_text(
        "| Année | Version |\n|---|---|\n| 2026  | 6.0.0 |\n", encoding="utf-8"
    )
    return root / "package"


def test_the_script_regenerates_the_same_bytes(tmp_path: Path) -> None:
    package = fake_package(tmp_path)
    outputs = []
    for name in ("a.zip", "b.zip"):
        out = tmp_path / name
        subprocess.run(
            [sys.executable, str(PROJECT / "scripts/geographie.py"), "6.0.0",
             "--from", str(package), "--out", str(out)],
            check=True, capture_output=True,
        )  # fmt: skip
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    geography = parse(outputs[0])
    assert (geography.version, geography.millesime) == ("6.0.0", 2026)
    assert sorted(o.code for o in geography.all()) == ["01138", "13055", "200093201", "59378"]
    assert geography.former("01039") is not None and geography.former("01039").nom == "Béon"  # type: ignore[union-attr]
    assert geography.former("01999") is not None  # an anciensCode without its own row
    assert geography.arrondissements == {"13201": ("Marseille 1er Arrondissement", "13055")}
    lille = geography.get("200093201")
    assert lille is not None and lille.departements == ("59",)
    archive = zipfile.ZipFile(io.BytesIO(outputs[0]))
    assert archive.namelist() == [
        "communes/01.json", "communes/13.json", "communes/59.json", "epci.json", "meta.json"
    ]  # fmt: skip
    for info in archive.infolist():
        assert (info.date_time, info.extra, info.compress_type) == (
            (1980, 1, 1, 0, 0, 0),
            b"",
            zipfile.ZIP_DEFLATED,
        )
    text = archive.read("communes/01.json").decode("utf-8")
    assert text == (
        '{"communes":[["01138","Culoz-Béon","01","84",3400,"200084721"]],"anciens":'
        '[["01039","Béon","01138"],\n["01999",null,"01138"]]}'
    )
    assert json.loads(archive.read("meta.json"))["format"] == 2


def test_a_list_the_parts_could_not_answer_is_refused() -> None:
    """A commune in the part of another département would be missing from its own
    département's names: `pack` says so rather than write it."""
    data = {
        "source": "test", "version": "test", "millesime": None, "licence": "test",
        "communes": [["98735", "Papeete", "98", "98", 26654, None]],
        "anciens": [], "arrondissements": [], "epci": [],
    }  # fmt: skip
    with pytest.raises(ValueError, match="commune 98735 of département 98"):
        pack(data)
