"""Progression, edition by edition (issue 16, « s'évaluer »): who enters the label, who comes
back, who gains, keeps or loses @, against a corpus where the answers are known; the same
facts on the edition page, in the open data and in the editions feed."""

from __future__ import annotations

import csv
import io
import json
import random
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from bs4 import BeautifulSoup, Tag

from palmares.content.model import Label, Site
from palmares.pipeline import build, check
from palmares.site import exports, progression
from palmares.site.progression import Change, change
from tests.helpers import BASE_COMMUNE, commune, label_entries, write_project

NNBSP = "\u202f"
NBSP = "\u00a0"


# Editions 2014 to 2017, each case at least once, the mention simple (0 @) in all its moves.
CORPUS: dict[str, str | bytes | None] = {
    # Marcq-en-Barœul (BASE): 2017 only, 5 @.
    "communes/01/amberieu.yaml": commune(
        '"01004"',
        nom="Ambérieu-en-Bugey",
        labels=label_entries((2014, 2), (2015, 3), (2016, 3), (2017, 2)),
    ),
    "communes/01/bourg.yaml": commune(
        '"01053"', nom="Bourg-en-Bresse", labels=label_entries((2014, 3), (2016, 4))
    ),
    "communes/01/oyonnax.yaml": commune(
        '"01283"', nom="Oyonnax", labels=label_entries((2014, 0), (2015, 0), (2016, 1), (2017, 0))
    ),
    "communes/01/echenevex.yaml": commune(
        '"01153"', nom="Échenevex", labels=label_entries((2017, 1))
    ),
    "communes/01/gex.yaml": commune(
        '"01173"', nom="Gex", labels=label_entries((2014, 1), (2017, 2))
    ),
}

EXPECTED: dict[int, dict[str, tuple[str, int | None, int | None]] | None] = {
    2014: None,  # the oldest edition: nothing to compare with
    2015: {
        "Ambérieu-en-Bugey": ("hausse", 2, 2014),
        "Oyonnax": ("stable", 0, 2014),
    },
    2016: {
        "Ambérieu-en-Bugey": ("stable", 3, 2015),
        "Bourg-en-Bresse": ("retour", 3, 2014),
        "Oyonnax": ("hausse", 0, 2015),
    },
    2017: {
        "Ambérieu-en-Bugey": ("baisse", 3, 2016),
        "Échenevex": ("premiere", None, None),
        "Gex": ("retour", 1, 2014),
        "Marcq-en-Barœul": ("premiere", None, None),
        "Oyonnax": ("baisse", 1, 2016),
    },
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Site]:
    root = write_project(tmp_path_factory.mktemp("progression") / "src", CORPUS)
    out = root.parent / "site"
    result = build(root, out, base_url="https://palmares.example.org/")
    assert result.errors == []
    site = check(root).site
    assert site is not None
    return out, site


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").replace(NBSP, " ").replace(NNBSP, " ").split())


# --- the function -----------------------------------------------------------------------------


def test_each_case_of_change() -> None:
    a, b, c = Label(2014, 2), Label(2015, 3), Label(2017, 3)
    assert change((a,), a, 2013) == Change("premiere", None)
    assert change((a, b), b, 2014) == Change("hausse", a)
    assert change((b, c), c, 2016) == Change("retour", b), "2016 was an edition: a gap"
    assert change((b, c), c, 2015) == Change("stable", b), "no edition between them"
    assert change((b, Label(2016, 1)), Label(2016, 1), 2015) == Change("baisse", b)


def test_change_finds_the_label_just_before_among_many() -> None:
    """Against the definition, on collectivités labelled in many editions: the label
    compared with is the last one of an earlier year, wherever `label` sits."""
    rnd = random.Random(7)
    for _ in range(300):
        years = sorted(rnd.sample(range(1999, 2026), rnd.randint(1, 20)))
        labels = tuple(Label(y, rnd.randint(0, 5)) for y in years)
        for i, label in enumerate(labels):
            previous_edition = label.annee - rnd.choice((1, 2))
            got = change(labels, label, previous_edition)
            before = labels[i - 1] if i else None
            assert got.previous == before
            if before is None:
                assert got.evolution == "premiere"
            elif before.annee != previous_edition:
                assert got.evolution == "retour"
            else:
                expected = ("stable", "hausse", "baisse")[
                    (label.arobases > before.arobases) - (label.arobases < before.arobases)
                ]
                assert got.evolution == expected


def test_the_mention_simple_is_a_label_with_no_at() -> None:
    simple, one = Label(2014, 0, "Mention simple"), Label(2015, 1)
    assert change((simple, one), one, 2014).evolution == "hausse"
    later = Label(2016, 0, "Mention simple")
    assert change((one, later), later, 2015).evolution == "baisse"
    again = Label(2015, 0, "Mention simple")
    assert change((simple, again), again, 2014) == Change("stable", simple)


def test_progression_of_a_known_corpus(built: tuple[Path, Site]) -> None:
    _, site = built
    assert [e.annee for e in site.editions] == [2014, 2015, 2016, 2017]
    for e in site.editions:
        found = progression.changes(site, e)
        expected = EXPECTED[e.annee]
        if expected is None:
            assert found is None
            continue
        assert found is not None
        got = {
            c.nom: (
                x.evolution,
                x.previous.arobases if x.previous else None,
                x.previous.annee if x.previous else None,
            )
            for (c, _), x in zip(e.laureates, found, strict=True)
        }
        assert got == expected, e.annee


# --- the edition page ---------------------------------------------------------------------------


def _section(page: BeautifulSoup) -> Tag:
    section = page.find("section", attrs={"aria-labelledby": "progression"})
    assert isinstance(section, Tag)
    return section


def test_edition_page_lists_each_case_with_counts_in_french_order(
    built: tuple[Path, Site],
) -> None:
    out, _ = built
    page_path = out / "palmares/2017/index.html"
    page = _soup(page_path)
    section = _section(page)
    assert _text(section.h2) == "D’une édition à l’autre"
    groups = section.find_all("section", class_="group")
    found = {}
    for group in groups:
        heading = _text(group.h3)
        names = [_text(a) for a in group.select("li > a")]
        found[heading] = names
        for a in group.select("li > a"):
            assert (page_path.parent / a["href"]).resolve().is_file(), a["href"]
    assert found == {
        "Labellisées pour la première fois (2 collectivités)": ["Échenevex", "Marcq-en-Barœul"],
        "De retour après une absence (1 collectivité)": ["Gex"],
        "Moins d’@ qu’en 2016 (2 collectivités)": ["Ambérieu-en-Bugey", "Oyonnax"],
    }
    assert "\u00a0collectivités)" in str(groups[0].h3), "a no-break space before the noun"
    items = {_text(li.a): _text(li) for li in section.find_all("li")}
    assert items["Gex"] == "Gex Ain (01) @@ 2 arobases contre @ 1 arobase en 2014"
    assert items["Oyonnax"] == "Oyonnax Ain (01) mention simple contre @ 1 arobase en 2016"
    # After the list of labelled collectivités, never before it.
    labelled = page.find(id="labellisees")
    assert labelled is not None
    assert str(page).index('id="labellisees"') < str(page).index('id="progression"')


def test_edition_page_gains_and_keeps(built: tuple[Path, Site]) -> None:
    out, _ = built
    section = _section(_soup(out / "palmares/2016/index.html"))
    headings = [_text(h) for h in section.find_all("h3")]
    assert headings == [
        "De retour après une absence (1 collectivité)",
        "Plus d’@ qu’en 2015 (1 collectivité)",
        "Autant d’@ qu’en 2015 (1 collectivité)",
    ]
    items = [_text(li) for li in section.find_all("li")]
    assert "Ambérieu-en-Bugey Ain (01) @@@ 3 arobases comme en 2015" in items
    assert "Oyonnax Ain (01) @ 1 arobase contre mention simple en 2015" in items
    link = section.find("a", string="palmarès 2015")
    assert isinstance(link, Tag) and link["href"] == "../../palmares/2015/index.html"


def test_the_oldest_edition_compares_with_nothing(built: tuple[Path, Site]) -> None:
    out, _ = built
    section = _section(_soup(out / "palmares/2014/index.html"))
    assert section.find("h3") is None
    assert "Ce palmarès commence avec cette édition" in _text(section)


# --- the open data ------------------------------------------------------------------------------


def _evolutions(rows: list[dict[str, Any]]) -> dict[tuple[int, str], tuple[Any, Any, Any]]:
    return {
        (int(r["edition"]), r["nom"]): (
            r["evolution"],
            r["arobases_precedent"],
            r["edition_precedente"],
        )
        for r in rows
    }


def _expected_rows(empty: Any, number: Any) -> dict[tuple[int, str], tuple[Any, Any, Any]]:
    rows: dict[tuple[int, str], tuple[Any, Any, Any]] = {}
    for year, names in EXPECTED.items():
        if names is None:
            for nom in ("Ambérieu-en-Bugey", "Bourg-en-Bresse", "Gex", "Oyonnax"):
                rows[(year, nom)] = (empty, empty, empty)
            continue
        for nom, (evolution, arobases, annee) in names.items():
            rows[(year, nom)] = (
                evolution,
                empty if arobases is None else number(arobases),
                empty if annee is None else number(annee),
            )
    return rows


def test_csv_and_json_hold_the_progression(built: tuple[Path, Site]) -> None:
    out, _ = built
    text = (out / "donnees/palmares.csv").read_text(encoding="utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert header[-3:] == ["evolution", "arobases_precedent", "edition_precedente"]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert _evolutions(rows) == _expected_rows("", str)
    data = json.loads((out / "donnees/palmares.json").read_text(encoding="utf-8"))
    assert _evolutions(data) == _expected_rows(None, int)
    # The file of one edition is a slice of the whole: the same columns and values.
    one = list(
        csv.DictReader(io.StringIO((out / "donnees/palmares-2016.csv").read_text("utf-8-sig")))
    )
    assert _evolutions(one) == {k: v for k, v in _expected_rows("", str).items() if k[0] == 2016}


def test_the_schemas_document_the_progression(built: tuple[Path, Site]) -> None:
    out, _ = built
    table = json.loads((out / "donnees/palmares.tableschema.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in table["fields"]}
    evolution = fields["evolution"]
    assert evolution["type"] == "string"
    assert evolution["constraints"] == {
        "enum": ["premiere", "retour", "hausse", "stable", "baisse"]
    }, "not required: empty in the oldest edition"
    assert "mention simple compte pour 0" in evolution["description"]
    assert fields["arobases_precedent"]["type"] == "integer"
    assert fields["edition_precedente"]["type"] == "integer"
    schema = json.loads((out / "donnees/palmares.schema.json").read_text(encoding="utf-8"))
    properties = schema["items"]["properties"]
    assert properties["evolution"]["anyOf"][0]["enum"] == list(progression.EVOLUTIONS)
    assert {"evolution", "arobases_precedent", "edition_precedente"} <= set(
        schema["items"]["required"]
    )
    jsonschema.validate(
        json.loads((out / "donnees/palmares.json").read_text(encoding="utf-8")), schema
    )
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{**json.loads((out / "donnees/palmares.json").read_text())[0],
                              "evolution": "progres"}], schema)  # fmt: skip


def test_the_data_page_describes_the_columns(built: tuple[Path, Site]) -> None:
    out, _ = built
    page = _text(_soup(out / "donnees/index.html").body)
    for name in ("evolution", "arobases_precedent", "edition_precedente"):
        assert name in page
    assert "retour (labellisée avant, mais pas à l'édition précédente)" in page


# --- the feed -----------------------------------------------------------------------------------


def test_the_editions_feed_says_the_counts(built: tuple[Path, Site]) -> None:
    out, _ = built
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.parse(out / "flux/editions.xml").getroot()
    summaries = {
        entry.findtext(f"{atom}title"): entry.findtext(f"{atom}summary") or ""
        for entry in root.iter(f"{atom}entry")
    }
    assert summaries["Palmarès 2017"].endswith(
        f" D’une édition à l’autre{NNBSP}: 2{NBSP}collectivités labellisées pour la première "
        f"fois, 1{NBSP}collectivité de retour après une absence, 2{NBSP}collectivités avec "
        "moins d’@ qu’en 2016."
    )
    assert summaries["Palmarès 2015"].endswith(
        f" D’une édition à l’autre{NNBSP}: 1{NBSP}collectivité avec plus d’@ qu’en 2014, "
        f"1{NBSP}collectivité avec autant d’@ qu’en 2014."
    )
    assert "D’une édition à l’autre" not in summaries["Palmarès 2014"]


# --- what an edition is -------------------------------------------------------------------------


def test_an_edition_that_labels_no_one_still_makes_a_gap(tmp_path: Path) -> None:
    """2016 is an edition of the site (its text is there) though nobody is labelled in it:
    a collectivité labelled in 2015 and 2017 comes back in 2017. The open data's key
    (exports.fingerprint) follows the editions, so its files are made again."""
    files: dict[str, str | bytes | None] = {
        BASE_COMMUNE: None,
        "communes/01/gex.yaml": commune(
            '"01173"', nom="Gex", labels=label_entries((2015, 2), (2017, 2))
        ),
    }
    without = check(write_project(tmp_path / "a", files)).site
    text = "---\nannee: 2016\n---\nUne édition.\n"
    with_text = check(write_project(tmp_path / "b", {**files, "content/palmares/2016.md": text}))
    site = with_text.site
    assert without is not None and site is not None
    assert [x.evolution for x in progression.changes(without, without.editions[-1]) or ()] == [
        "stable"
    ]
    assert [e.annee for e in site.editions] == [2015, 2016, 2017]
    assert [x.evolution for x in progression.changes(site, site.editions[-1]) or ()] == ["retour"]
    assert exports.fingerprint(site, "") != exports.fingerprint(without, "")
    row = next(r for _, r in exports.label_rows(site, "") if r["edition"] == 2017)
    assert (row["evolution"], row["arobases_precedent"], row["edition_precedente"]) == (
        "retour",
        2,
        2015,
    )
    # An edition with no laureate has no progression section.
    out = tmp_path / "site"
    assert build(tmp_path / "b", out).errors == []
    assert _soup(out / "palmares/2016/index.html").find(id="progression") is None
