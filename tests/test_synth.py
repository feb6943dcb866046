from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from palmares.content.geography import Geography, official, pack, parse
from palmares.dev.synth import _NOTABLE_COMMUNES, WRITEUP_BYTES, _flow, _str, generate, main
from palmares.pipeline import check
from palmares.territory import DEPARTEMENTS, departement_of_insee

PROJECT = Path(__file__).resolve().parent.parent
COMMUNES, ACTIONS, EDITIONS, LAST_YEAR = 300, 600, 10, 2026
YEARS = range(LAST_YEAR - EDITIONS + 1, LAST_YEAR + 1)
SEVEN_OF_2017 = {
    "numerique-educatif": "Numérique éducatif",
    "reseau-social": "Réseau social",
    "gouvernement-ouvert": "Gouvernement ouvert",
    "cooperation-internationale": "Coopération internationale",
    "solidarite-numerique": "Solidarité numérique",
    "teletravail": "Télétravail",
    "accessibilite": "Accessibilité",
}


def _generate(out: Path, seed: int = 1, preset: str = "realistic") -> Path:
    generate(out, communes=COMMUNES, actions=ACTIONS, editions=EDITIONS, seed=seed, preset=preset)
    return out


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _front_matter(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    empty, header, body = text.split("---\n", 2)
    assert empty == "", path
    data = yaml.safe_load(header)
    assert isinstance(data, dict), path
    return data, body


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory.mktemp("synth") / "out")


@pytest.fixture(scope="module")
def collectivites(corpus: Path) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in sorted((corpus / "communes").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict), path
        assert data["code"] not in found, f"duplicate code {data['code']}"
        data["_path"] = path
        found[data["code"]] = data
    return found


def test_same_arguments_give_identical_files(corpus: Path, tmp_path: Path) -> None:
    again = _tree(_generate(tmp_path / "again"))
    assert again == _tree(corpus)
    assert all(b"\r" not in content for content in again.values())


def test_another_seed_gives_another_corpus(corpus: Path, tmp_path: Path) -> None:
    assert _tree(_generate(tmp_path / "other", seed=2)) != _tree(corpus)


def test_counts_match_arguments(corpus: Path, collectivites: dict[str, dict[str, Any]]) -> None:
    assert len(collectivites) == COMMUNES
    assert len(list((corpus / "content" / "actions").rglob("*.md"))) == ACTIONS
    assert sorted(p.stem for p in (corpus / "content" / "palmares").glob("*.md")) == [
        str(y) for y in YEARS
    ]
    intercos = [c for c in collectivites.values() if c.get("type") == "intercommunalite"]
    assert len(intercos) == COMMUNES // 10
    assert (corpus / "content" / "pages" / "a-propos.md").is_file()
    about, _ = _front_matter(corpus / "content" / "pages" / "a-propos.md")
    assert about["titre"] == "À propos"


def test_collectivite_files(collectivites: dict[str, dict[str, Any]]) -> None:
    for code, c in collectivites.items():
        path: Path = c["_path"]
        assert isinstance(code, str) and isinstance(c["departement"], str), path
        assert c["departement"] in DEPARTEMENTS, path
        assert path.parent.name == c["departement"]
        assert path.name.endswith(f"-{code}.yaml")
        assert isinstance(c["nom"], str) and c["nom"], path
        if c.get("type", "commune") == "commune":
            assert departement_of_insee(code) == c["departement"], path
        else:
            assert c["type"] == "intercommunalite"
            assert re.fullmatch(r"2[0-9]{8}", code), path
        if "population" in c:
            assert isinstance(c["population"], int) and c["population"] > 0
        if "site_web" in c:
            assert c["site_web"].startswith("https://www.")
        if "coordonnees" in c:
            lat, lon = c["coordonnees"]["lat"], c["coordonnees"]["lon"]
            centre = DEPARTEMENTS[c["departement"]].centre
            assert abs(lat - centre[0]) < 1.5 and abs(lon - centre[1]) < 1.5, path
        for earlier in c.get("anciens_noms", []):
            assert isinstance(earlier, str) and earlier != c["nom"]


NOTABLE = {
    "93066": "Saint-Denis",
    "97411": "Saint-Denis",
    "59378": "Marcq-en-Barœul",
    "94038": "L'Haÿ-les-Roses",
    "59009": "Villeneuve-d'Ascq",
    "95313": "L'Isle-Adam",
    "69081": "Écully",
    "2A004": "Ajaccio",
    "2B033": "Bastia",
    "97101": "Les Abymes",
    "97209": "Fort-de-France",
    "97302": "Cayenne",
    "97416": "Saint-Pierre",
    "97611": "Mamoudzou",
}


def test_every_collectivite_is_the_official_one(collectivites: dict[str, dict[str, Any]]) -> None:
    geography = official()
    for code, c in collectivites.items():
        found = geography.get(code)
        assert found is not None, c["_path"]
        assert found.type == c.get("type", "commune"), c["_path"]
        # Exactly the list's spelling; an intercommunalité's kind written in full.
        assert c["nom"] == (found.nom if found.type == "commune" else found.nom_usuel)
        assert c["departement"] == found.departement, c["_path"]
        assert c.get("population", found.population) == found.population, c["_path"]


def test_notable_communes_come_first_with_their_official_names(
    collectivites: dict[str, dict[str, Any]],
) -> None:
    assert [code for code, _ in _NOTABLE_COMMUNES[: len(NOTABLE)]] == list(NOTABLE)
    geography = official()
    for code, _ in _NOTABLE_COMMUNES:
        found = geography.get(code)
        assert found is not None and found.type == "commune", code
    for code, nom in NOTABLE.items():
        assert geography.get(code).nom == nom  # type: ignore[union-attr]
        assert collectivites[code]["nom"] == nom
        assert "population" in collectivites[code]


def test_two_communes_are_the_two_saint_denis(tmp_path: Path) -> None:
    generate(tmp_path / "two", communes=2, actions=2, editions=1, seed=9)
    found = sorted(
        p.relative_to(tmp_path / "two").as_posix() for p in (tmp_path / "two").rglob("*.yaml")
    )
    assert found == ["communes/93/saint-denis-93066.yaml", "communes/974/saint-denis-97411.yaml"]


def test_check_has_nothing_to_say(corpus: Path) -> None:
    """The geography checks, the redirects of earlier names and the cross-file rules."""
    assert [str(p) for p in check(corpus).problems] == []


def test_earlier_names(collectivites: dict[str, dict[str, Any]]) -> None:
    geography = official()
    earlier = {
        code: c["anciens_noms"] for code, c in collectivites.items() if c.get("anciens_noms")
    }
    assert earlier
    merged = {(former.successor, former.nom) for former in geography.all_formers() if former.merged}
    real = [
        (code, nom) for code, names in earlier.items() for nom in names if (code, nom) in merged
    ]
    assert real, "some earlier names are communes merged into a commune nouvelle"


def _small_geography() -> Geography:
    """Twenty communes of the Ain (the last with no inhabitants, like the villages of Verdun
    « morts pour la France »), one of Saint-Pierre-et-Miquelon (a territory CONTENT.md does
    not know) and one intercommunalité."""
    communes = [[f"01{n:03d}", f"Village-{n}", "01", "84", 100 + n, None] for n in range(1, 20)]
    communes.append(["01020", "Village-20", "01", "84", 0, None])
    data = {
        "source": "test",
        "version": "test",
        "millesime": 2026,
        "licence": "test",
        "communes": [*communes, ["97502", "Saint-Pierre", "975", "975", 5194, None]],
        "arrondissements": [],
        "anciens": [["01099", "Hameau", "01001"]],
        "epci": [["200000001", "CC du Bugey", "CC", 3000, ["01"], ["01001", "01002"]]],
    }
    return parse(pack(data))


def _codes(root: Path) -> list[str]:
    return sorted(
        yaml.safe_load(p.read_text(encoding="utf-8"))["code"]
        for p in (root / "communes").rglob("*.yaml")
    )


def test_intercommunalites_are_capped_by_the_list(tmp_path: Path) -> None:
    small = _small_geography()
    # Two in twenty would be intercommunalités; the list has one, so nineteen communes.
    generate(tmp_path / "a", communes=20, actions=4, editions=2, seed=1, geography=small)
    codes = _codes(tmp_path / "a")
    assert len(codes) == 20 and codes[-1] == "200000001"
    assert all(code.startswith("01") for code in codes[:-1])
    generate(tmp_path / "b", communes=21, actions=4, editions=2, seed=1, geography=small)
    assert _codes(tmp_path / "b") == [*(f"01{n:03d}" for n in range(1, 21)), "200000001"]
    (empty,) = (tmp_path / "b" / "communes").rglob("*-01020.yaml")
    assert "population" not in yaml.safe_load(empty.read_text(encoding="utf-8"))
    with pytest.raises(ValueError, match="20 communes and 1 intercommunalités"):
        generate(tmp_path / "c", communes=22, actions=4, editions=2, seed=1, geography=small)
    assert not (tmp_path / "c").exists()


def test_cli_refuses_more_collectivites_than_the_list_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    geography = official()
    capacity = sum(1 for c in geography.all() if c.departement in DEPARTEMENTS)
    with pytest.raises(SystemExit) as exit_info:
        main(["--communes", str(capacity + 1), str(tmp_path / "out")])
    assert exit_info.value.code == 2
    assert f"{capacity} collectivités in all" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_labels(collectivites: dict[str, dict[str, Any]]) -> None:
    early = set(YEARS[: EDITIONS // 3])
    for c in collectivites.values():
        years = [label["annee"] for label in c["labels"]]
        assert years, c["_path"]
        assert years == sorted(set(years)), c["_path"]
        assert set(years) <= set(YEARS)
        for label in c["labels"]:
            assert label["arobases"] in range(6)
            if label["arobases"] == 0:
                assert label["mention"] and label["annee"] in early
            assert isinstance(label.get("mention", ""), str)
            assert all(isinstance(d, str) for d in label.get("distinctions", []))
    arobases = [label["arobases"] for c in collectivites.values() for label in c["labels"]]
    assert arobases.count(2) + arobases.count(3) > 2 * arobases.count(5)
    assert set(arobases) >= {1, 2, 3, 4, 5}


def test_names(collectivites: dict[str, dict[str, Any]]) -> None:
    names = [c["nom"] for c in collectivites.values()]
    assert any("œ" in name for name in names)
    assert any("'" in name for name in names)
    assert {"Marcq-en-Barœul", "L'Haÿ-les-Roses", "Villeneuve-d'Ascq", "Écully"} <= set(names)
    assert any(name.startswith(("Saint-", "Sainte-")) for name in names)
    assert any(name.startswith(("Communauté", "Métropole")) for name in names)
    saint_denis = {c["code"]: c["departement"] for c in collectivites.values()}
    assert collectivites["93066"]["nom"] == collectivites["97411"]["nom"] == "Saint-Denis"
    assert saint_denis["93066"] == "93" and saint_denis["97411"] == "974"
    by_name: dict[str, set[str]] = {}
    for c in collectivites.values():
        by_name.setdefault(c["nom"], set()).add(c["departement"])
    assert sum(len(depts) > 1 for depts in by_name.values()) >= 3


def test_territories_covered(collectivites: dict[str, dict[str, Any]]) -> None:
    depts = {c["departement"] for c in collectivites.values()}
    assert {"2A", "2B", "971", "972", "973", "974", "976"} <= depts
    populations = [c.get("population", 0) for c in collectivites.values()]
    assert any(p > 100_000 for p in populations)
    assert sorted(populations)[len(populations) // 2] < 5_000


def test_domains(corpus: Path) -> None:
    domains = {p.stem: _front_matter(p)[0] for p in (corpus / "content" / "domaines").glob("*.md")}
    assert len(domains) >= 12
    for slug, titre in SEVEN_OF_2017.items():
        assert domains[slug]["titre"] == titre
    assert all(isinstance(d["ordre"], int) for d in domains.values())
    assert any("editions" in d for d in domains.values())


def test_actions(corpus: Path, collectivites: dict[str, dict[str, Any]]) -> None:
    domains = {p.stem for p in (corpus / "content" / "domaines").glob("*.md")}
    for path in (corpus / "content" / "actions").rglob("*.md"):
        action, body = _front_matter(path)
        assert isinstance(action["titre"], str) and action["titre"], path
        assert isinstance(action["commune"], str), path
        assert action["annee"] == int(path.parent.name)
        labelled = [label["annee"] for label in collectivites[action["commune"]]["labels"]]
        assert action["annee"] in labelled, path
        assert 1 <= len(action["domaines"]) <= 2
        assert set(action["domaines"]) <= domains, path
        assert action.get("mention_speciale", True) is True
        assert action.get("lien", "https://").startswith("https://")
        assert body.strip().count("\n\n") >= 1, path


def test_editions(corpus: Path) -> None:
    for year in YEARS:
        edition, body = _front_matter(corpus / "content" / "palmares" / f"{year}.md")
        assert edition["annee"] == year
        assert edition["numero"] == year - 1999
        assert isinstance(edition["date"], dt.date)
        assert edition["date"].year == year and edition["date"].month in (1, 2)
        assert isinstance(edition["lieu"], str) and body.strip()


def test_tricky_strings_are_quoted(corpus: Path) -> None:
    titles = [_front_matter(p)[0]["titre"] for p in (corpus / "content" / "actions").rglob("*.md")]
    assert any("«" in t for t in titles)
    assert any(":" in t or "#" in t or t.startswith("@") for t in titles)


def test_a_single_commune_is_saint_denis(tmp_path: Path) -> None:
    generate(tmp_path / "one", communes=1, actions=3, editions=1, seed=5)
    (only,) = (tmp_path / "one" / "communes").rglob("*.yaml")
    assert only.relative_to(tmp_path / "one").as_posix() == "communes/93/saint-denis-93066.yaml"


def test_larger_corpus(tmp_path: Path) -> None:
    generate(tmp_path / "big", communes=2000, actions=6000, editions=20, seed=1)
    communes = list((tmp_path / "big" / "communes").rglob("*.yaml"))
    assert len(communes) == 2000
    assert len({p.name.rsplit("-", 1)[1] for p in communes}) == 2000
    assert len(list((tmp_path / "big" / "content" / "actions").rglob("*.md"))) == 6000
    assert len(list((tmp_path / "big" / "content" / "palmares").glob("*.md"))) == 20


def test_cli(tmp_path: Path) -> None:
    args = ["--communes", "20", "--actions", "30", "--editions", "3", "--seed", "4"]
    assert main([*args, "--last-year", "2024", str(tmp_path / "cli")]) == 0
    assert sorted(p.stem for p in (tmp_path / "cli" / "content" / "palmares").glob("*.md")) == [
        "2022",
        "2023",
        "2024",
    ]


def test_cli_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    assert "--communes" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--communes", "0", "OUT"],
        ["--communes", "many", "OUT"],
        ["--actions", "-1", "OUT"],
        ["--editions", "0", "OUT"],
        ["--editions", "40", "--last-year", "2026", "OUT"],
        ["--unknown", "OUT"],
    ],
)
def test_cli_usage_errors(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    assert "usage:" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["--communes", "5", "--actions", "5", "--editions", "2", str(tmp_path)])
    assert exit_info.value.code == 2
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize(
    "value",
    [
        "L'Haÿ-les-Roses",
        "Marcq-en-Barœul",
        "Territoire d'excellence numérique",
        "yes",
        "No",
        "null",
        "Le #Réseau des habitants",
        "Numérique : mode d'emploi",
        "« Allô, le maire ? »",
        "@ vos claviers !",
        "100 % accessible",
        'Le "Café" numérique',
        "- tiret",
        "[crochets]",
        "Virgule, ici",
        "espace final ",
        "Commune (Doubs)",
        "back\\slash",
    ],
)
def test_yaml_strings_read_back_unchanged(value: str) -> None:
    assert yaml.safe_load(f"k: {_str(value)}") == {"k": value}
    assert yaml.safe_load(f"k: {_flow([value, value])}") == {"k": [value, value]}


# -- the "writeups" preset: 1–3 KB write-ups in all the Markdown editors use ----------------


@pytest.fixture(scope="module")
def writeups(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory.mktemp("writeups") / "out", preset="writeups")


def _bodies(corpus: Path) -> dict[str, str]:
    root = corpus / "content" / "actions"
    return {p.relative_to(root).as_posix(): _front_matter(p)[1] for p in root.rglob("*.md")}


def test_writeups_same_arguments_give_identical_files(writeups: Path, tmp_path: Path) -> None:
    again = _tree(_generate(tmp_path / "again", preset="writeups"))
    assert again == _tree(writeups)
    assert _tree(_generate(tmp_path / "other", seed=2, preset="writeups")) != again


def test_writeups_are_the_realistic_corpus_with_other_bodies(corpus: Path, writeups: Path) -> None:
    """Only the bodies differ: the same files, the same front matter, so the two presets
    measure the same site with more Markdown in it."""
    realistic, long = _tree(corpus), _tree(writeups)
    assert realistic.keys() == long.keys()
    differ = {path for path in realistic if realistic[path] != long[path]}
    assert differ and all(path.startswith("content/actions/") for path in differ)
    for path in differ:
        assert realistic[path].split(b"\n---\n", 1)[0] == long[path].split(b"\n---\n", 1)[0]


def test_writeups_sizes(writeups: Path) -> None:
    low, high = WRITEUP_BYTES
    sizes = [len(body.encode("utf-8")) for body in _bodies(writeups).values()]
    assert len(sizes) == ACTIONS
    assert 1000 <= low <= min(sizes) and max(sizes) <= high <= 3000
    assert high - low > 1000 and max(sizes) - min(sizes) > 1000  # varied, not one size


def test_writeups_use_the_markdown_editors_use(writeups: Path) -> None:
    bodies = list(_bodies(writeups).values())

    def share(pattern: str) -> float:
        return sum(bool(re.search(pattern, b, re.MULTILINE)) for b in bodies) / len(bodies)

    assert share(r"^- |^\* ") > 0.5  # bulleted lists
    assert share(r"^1\. ") > 0.3  # numbered lists
    assert share(r"^    - ") > 0.2  # nested lists
    assert share(r"(?<!\*)\*[^*\s][^*]*\*(?!\*)") > 0.5  # emphasis
    assert share(r"\*\*[^*]+\*\*") > 0.5  # strong
    assert share(r"\]\(https?://") > 0.3  # absolute links
    assert share(r"\]\(\.\./") > 0.3  # relative links
    assert 0.05 < share(r"^## ") < 0.6  # the odd heading
    assert 0.05 < share(r"^\| --- \|") < 0.5  # the odd table


def test_writeups_pass_check(writeups: Path) -> None:
    done = subprocess.run(
        [sys.executable, "build.py", "check", "--source", str(writeups)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_writeups_markdown_reaches_the_built_pages(tmp_path: Path) -> None:
    from bs4 import BeautifulSoup

    source, out = tmp_path / "source", tmp_path / "site"
    generate(source, communes=40, actions=120, editions=3, seed=3, preset="writeups")
    done = subprocess.run(
        [sys.executable, "build.py", "--source", str(source), "--out", str(out)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    pages = [
        BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
        for p in (out / "actions").rglob("index.html")
    ]
    assert len(pages) == 120
    mains = [page.find("main") or page for page in pages]
    assert any(m.find("table") and m.find("th") for m in mains)
    assert any(m.select("li > ul") for m in mains)
    assert any(m.select("ol > li") for m in mains)
    assert any(m.select("a[href^='https://']") for m in mains)
    assert any(m.select("a[href^='../../../palmares/']") for m in mains)
    assert any(m.find("em") and m.find("strong") for m in mains)
    assert any(m.find("h2") for m in mains)


def test_cli_preset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--communes", "5", "--actions", "8", "--editions", "2"]
    assert main([*args, "--preset", "writeups", str(tmp_path / "w")]) == 0
    low, high = WRITEUP_BYTES
    assert all(low <= len(b.encode("utf-8")) <= high for b in _bodies(tmp_path / "w").values())
    with pytest.raises(SystemExit) as exit_info:
        main([*args, "--preset", "novels", str(tmp_path / "n")])
    assert exit_info.value.code == 2
    assert "--preset" in capsys.readouterr().err
    assert not (tmp_path / "n").exists()
