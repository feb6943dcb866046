"""Pictures: every chart is an SVG with role="img", every map a group of links (one a
collectivité), each with a title and a description, and shows exactly the data of the
table beside it."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from palmares import territory
from palmares.content.model import Site
from palmares.pipeline import build, check
from palmares.site import search, urls
from palmares.site.figures import maps
from palmares.site.figures.charts import (
    POPULATION_BANDS,
    hbar_chart,
    population_band,
    population_band_label,
)
from tests.helpers import commune, write_project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Site]:
    tmp = tmp_path_factory.mktemp("charts")
    source, out = tmp / "source", tmp / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "palmares.dev.synth",
            "--communes",
            "200",
            "--actions",
            "300",
            "--editions",
            "6",
            "--seed",
            "5",
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    assert build(source, out).errors == []
    site = check(source).site
    assert site is not None
    return out, site


def soup(out: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html.parser")


def text(node: Tag) -> str:
    return " ".join(node.get_text(" ").split())


def number(value: str) -> int:
    return int(re.sub(r"\s", "", value))


def test_every_picture_is_an_accessible_svg(built: tuple[Path, Site]) -> None:
    out, _ = built
    seen = 0
    for path in out.rglob("*.html"):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for svg in page.select("figure svg"):
            if svg.get("aria-hidden") == "true":
                continue  # a legend swatch: the text beside it says the same
            seen += 1
            title, desc = svg.find("title"), svg.find("desc")
            assert title is not None and text(title), path
            assert desc is not None and text(desc), path
            if "map-svg" in svg["class"]:
                # A map's markers are links: a group (an image's children are not read).
                assert svg.get("role") == "group", path
                assert (svg["aria-labelledby"], svg["aria-describedby"]) == (
                    title["id"],
                    desc["id"],
                )
                continue
            assert svg.get("role") == "img", path
            labelled = svg["aria-labelledby"].split()
            assert labelled == [title["id"], desc["id"]]
    assert seen > 20


def test_each_chart_shows_the_data_of_its_table(built: tuple[Path, Site]) -> None:
    out, site = built
    pages = [urls.HOME, *(urls.edition(e.annee) for e in site.editions)]
    charts = 0
    for rel in pages:
        for figure in soup(out, rel).select("figure.chart"):
            charts += 1
            bars = figure.select("svg rect.bar")
            rows = figure.select("table tbody tr")
            assert len(bars) == len(rows) > 0, rel
            for bar, row in zip(bars, rows, strict=True):
                value = int(bar["data-value"])
                assert value == int(row.td["data-value"]) == number(text(row.td)), rel
                label = text(bar.title).rsplit(" : ", 1)[0]
                header = text(row.th)
                assert label in header or label.replace(" @", " arobase") in header, (
                    label,
                    header,
                )
            heights = [
                float(b.get("height") if "hbar" not in figure["class"][1] else b["width"])
                for b in bars
            ]
            values = [int(b["data-value"]) for b in bars]
            top = max(values)
            for size, value in zip(heights, values, strict=True):
                assert size == pytest.approx(max(heights) * value / top, abs=0.2)
    assert charts == 1 + 3 * len(site.editions)


def test_edition_charts_count_every_laureate(built: tuple[Path, Site]) -> None:
    out, site = built
    for e in site.editions:
        page = soup(out, urls.edition(e.annee))
        for ident in ("graphique-arobases", "graphique-types", "graphique-population"):
            figure = page.find(id=ident)
            assert figure is not None
            total = sum(int(b["data-value"]) for b in figure.select("rect.bar"))
            assert total == len(e.laureates), (e.annee, ident)


def test_home_chart_counts_each_edition(built: tuple[Path, Site]) -> None:
    out, site = built
    figure = soup(out, urls.HOME).find(id="graphique-editions")
    assert figure is not None
    rows = {text(tr.th): number(text(tr.td)) for tr in figure.select("tbody tr")}
    assert rows == {str(e.annee): len(e.laureates) for e in site.editions}


def test_france_map_shows_every_labelled_collectivite_as_its_table_counts(
    built: tuple[Path, Site],
) -> None:
    out, site = built
    page = soup(out, urls.HOME)
    figure = page.find(id="carte", name="figure")
    assert figure is not None
    groups = {
        int(g["data-arobases"]): len(g.find_all("circle")) for g in figure.select("g.markers")
    }
    latest = Counter(c.latest.arobases for c in site.communes if c.latest is not None)
    assert groups == dict(latest)
    table = page.select_one("table.map-data")
    heads = [text(th) for th in table.select("thead th")][1:-1]
    totals = [number(text(td)) for td in table.select("tfoot td")]
    assert totals[-1] == sum(groups.values())
    for head, total in zip(heads, totals, strict=False):
        n = 0 if head == "mention simple" else int(head.split()[0])
        assert groups[n] == total
    legend = {
        text(li).split(" (")[0]: number(text(li).split("(")[1].rstrip(")"))
        for li in figure.select(".map-legend li")
    }
    assert legend == {maps.arobases_label(n).replace("\u00a0", " "): k for n, k in groups.items()}
    # Every marker lies inside the picture.
    svg = figure.find("svg")
    _, _, width, height = (float(v) for v in svg["viewbox"].split())
    for circle in svg.find_all("circle"):
        assert 0 <= float(circle["cx"]) <= width and 0 <= float(circle["cy"]) <= height


def test_region_map_shows_the_collectivites_of_its_table(built: tuple[Path, Site]) -> None:
    out, site = built
    for region, members in site.regions:
        page = soup(out, urls.region(region))
        figure = page.find(id="carte", name="figure")
        assert figure is not None, region.nom
        links = figure.select("g.markers a")
        markers = sorted((a["aria-label"].rsplit(" : ", 1)[0], a["href"]) for a in links)
        rows = sorted(
            (text(tr.th.a), tr.th.a["href"]) for tr in page.select("table.territory tbody tr")
        )
        assert [nom for nom, _ in markers] == sorted(c.nom for c in members if c.latest is not None)
        assert markers == rows
        for link in links:
            assert link.title is not None and link.title.get_text() == link["aria-label"]
            assert link.circle is not None
            label = link["aria-label"].rsplit(" : ", 1)[1]
            group = link.find_parent("g")["data-arobases"]
            assert label.startswith(maps.arobases_label(int(group)))


def test_each_marker_of_the_map_of_france_links_to_its_collectivite(
    built: tuple[Path, Site],
) -> None:
    """Named after the collectivité (its name is what a reader looks for), and nothing more:
    the map of France holds every collectivité of the site, each byte counts."""
    out, site = built
    figure = soup(out, urls.HOME).find(id="carte", name="figure")
    assert figure is not None
    links = figure.select("svg g.markers a")
    labelled = [c for c in site.communes if c.latest is not None]
    assert sorted((a["aria-label"], a["href"]) for a in links) == sorted(
        (c.nom, urls.commune(c)) for c in labelled
    )
    assert all(a.title is None and a.circle is not None for a in links)
    skip = figure.find("a", class_="skip-map")
    assert skip is not None and skip["href"] == "#tableau-carte"
    assert soup(out, urls.HOME).find(id="tableau-carte") is not None


def test_coordinates_place_a_marker_and_a_wrong_one_falls_back_to_the_centre(
    tmp_path: Path,
) -> None:
    root = write_project(
        tmp_path,
        {
            "communes/59/marcq-en-baroeul.yaml": commune(
                '"59378"', nom="Marcq-en-Barœul", departement='"59"',
                extra="coordonnees: {lat: 50.67, lon: 3.10}\n",
            ),
            "communes/59/lille.yaml": commune(
                '"59350"', nom="Lille", departement='"59"',
                extra="coordonnees: {lat: 43.3, lon: 5.4}\n",  # Marseille's: a typo
            ),
        },
    )  # fmt: skip
    site = check(root).site
    assert site is not None
    picture = maps.france_map(site.communes, link=lambda c: c.code, title="t")
    placed = [m for g in picture["groups"] for m in g["markers"]]
    frame, _, _ = maps.fit(
        territory.bbox([c for c in territory.outlines() if c not in maps.OVERSEAS]),
        0,
        0,
        maps.WIDTH,
        maps.METRO_HEIGHT,
    )
    exact = frame(3.10, 50.67)
    centre = frame(*reversed(site.by_code["59350"].coordonnees or (0, 0)))
    nord = frame(3.22, 50.45)
    assert any(abs(m["x"] - exact[0]) < 0.1 and abs(m["y"] - exact[1]) < 0.1 for m in placed)
    assert not any(abs(m["x"] - centre[0]) < 1 and abs(m["y"] - centre[1]) < 1 for m in placed)
    assert any(abs(m["x"] - nord[0]) < 0.1 and abs(m["y"] - nord[1]) < 0.1 for m in placed)


def test_outlines_cover_every_departement() -> None:
    from palmares.territory import DEPARTEMENTS

    shapes = territory.outlines()
    assert set(shapes) == set(DEPARTEMENTS)
    for code, d in DEPARTEMENTS.items():
        lon_min, lon_max, lat_min, lat_max = territory.bbox([code])
        lat, lon = d.centre
        assert lon_min - 0.2 <= lon <= lon_max + 0.2 and lat_min - 0.2 <= lat <= lat_max + 0.2, code
    assert territory.OUTLINES.stat().st_size < 60_000


def test_population_bands_are_the_search_pages() -> None:
    assert len(search.POPULATION_BANDS) + 1 == POPULATION_BANDS
    assert population_band(None) is None
    assert population_band(2_999) == 0
    assert population_band(3_000) == 1
    assert population_band(250_000) == POPULATION_BANDS - 1
    assert population_band_label(0) == "moins de 3\u202f000\u00a0hab."
    assert population_band_label(1) == "de 3\u202f000 à 20\u202f000\u00a0hab."
    assert population_band_label(POPULATION_BANDS - 1) == "100\u202f000\u00a0hab. et plus"
    assert population_band_label(None) == "non renseignée"


def test_hbar_lengths_are_proportional_and_zero_is_drawn_empty() -> None:
    chart = hbar_chart([("a", 10), ("b", 5), ("c", 0)], title="t", unit="", ident="x")
    widths = [b["w"] for b in chart["bars"]]
    assert widths[0] == 2 * widths[1] and widths[2] == 0
    assert chart["desc"] == "a : 10 ; b : 5 ; c : 0"
