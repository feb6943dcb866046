"""The label's panels (« s'afficher »): an SVG and a PNG for every label of every
collectivité, both deterministic and small; its page shows the latest panel, links to each
edition's two files, and gives the HTML to show it elsewhere with its text alternative."""

from __future__ import annotations

import io
import random
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from palmares.content.model import Label
from palmares.output.cache import ParseCache
from palmares.pipeline import build
from palmares.site.figures import panels
from tests.helpers import commune, tree, write_project

SVG = "{http://www.w3.org/2000/svg}"
LABEL = "Label Territoires, Villes et Villages Internet"
NBSP = "\u00a0"
PAGE = "collectivites/amberieu-en-bugey-01/index.html"
LONG = (
    "Communauté d'agglomération de la Presqu'île de Guérande Atlantique et de la Côte "
    "d'Amour (Cap Atlantique) " * 2 + "Saint-Remy-en-Bouzemont-Saint-Genest-et-Isson"
).strip()

# A collectivité labelled three times (a mention without @ first, a mention with @ last),
# whose name needs escaping; another whose name is far too long for one line.
FILES: dict[str, str | bytes | None] = {
    "communes/01/amberieu.yaml": commune(
        nom='"Ambérieu & <Bugey> \\"l\'Œil\\""',
        labels=(
            "  - annee: 2015\n    arobases: 0\n    mention: Mention d’encouragement\n"
            "  - annee: 2016\n    arobases: 2\n"
            "  - annee: 2017\n    arobases: 4\n    mention: Prix spécial du jury\n"
        ),
    ),
    "communes/01/long.yaml": commune(
        '"200041507"',
        nom=LONG,
        extra="type: intercommunalite\n",
        labels="  - annee: 2017\n    arobases: 1\n",
    ),
}


def _page_of(site: Path, name: str) -> Path:
    found = [
        p for p in (site / "collectivites").glob("*/index.html") if name in p.read_text("utf-8")
    ]
    pages = [p for p in found if "panneau-" in p.read_text("utf-8")]
    assert len(pages) == 1, pages
    return pages[0]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("panels")
    source = write_project(root / "src", FILES)
    out = root / "site"
    assert build(source, out).errors == []
    return out


def _svg(path: Path) -> ET.Element:
    return ET.fromstring(path.read_bytes())  # raises on anything but well-formed XML


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_every_label_has_an_svg_and_a_png(site: Path) -> None:
    folder = _page_of(site, "Ambérieu").parent
    assert sorted(p.name for p in folder.iterdir()) == [
        "index.html",
        "panneau-2015.png",
        "panneau-2015.svg",
        "panneau-2016.png",
        "panneau-2016.svg",
        "panneau-2017.png",
        "panneau-2017.svg",
    ]
    svgs = sorted(p.with_suffix("") for p in site.rglob("panneau-*.svg"))
    assert svgs == sorted(p.with_suffix("") for p in site.rglob("panneau-*.png"))


def test_the_panel_shows_the_name_the_year_the_at_signs_and_the_mention(site: Path) -> None:
    folder = _page_of(site, "Ambérieu").parent
    latest = _texts(_svg(folder / "panneau-2017.svg"))
    assert 'Ambérieu & <Bugey> "l\'Œil"' in latest  # escaped in the file, read back whole
    assert latest.count("@") == 4
    assert "2017 · Prix spécial du jury" in latest
    assert LABEL in latest
    assert "Villes Internet" in latest  # the organisation (palmares.toml's, by default)
    assert _texts(_svg(folder / "panneau-2016.svg")).count("@") == 2
    first = _texts(_svg(folder / "panneau-2015.svg"))
    assert first.count("@") == 0
    assert "mention simple" in first
    assert "2015 · Mention d’encouragement" in first


def test_the_svg_is_a_named_image_with_explicit_sizes(site: Path) -> None:
    root = _svg(_page_of(site, "Ambérieu").parent / "panneau-2017.svg")
    alt = f"{LABEL} 2017{NBSP}: 4{NBSP}@, Prix spécial du jury"
    assert root.get("role") == "img"
    assert root.get("aria-label") == alt
    assert root.findtext(f"{SVG}title") == alt
    assert (root.get("width"), root.get("height")) == ("600", "300")
    for text in root.iter(f"{SVG}text"):
        assert text.get("font-size", "").isdigit()
    group = root.find(f"{SVG}g")
    assert group is not None and group.get("font-family", "").endswith("sans-serif")
    assert "href" not in (_page_of(site, "Ambérieu").parent / "panneau-2017.svg").read_text()


def test_a_long_name_is_wrapped_and_shrunk_within_the_panel() -> None:
    long = LONG
    panel = panels.layout(Label(2017, 1), long, "Villes Internet")
    lines = [t for t in panel.texts if t.fill == panels.INK]
    assert 1 < len(lines) <= 4
    assert all(t.size == lines[0].size < 34 for t in lines)
    band = next(s for s in panel.shapes if isinstance(s, panels.Box) and s.fill == panels.PAPER)
    for t in lines:
        assert panels._width(t.text, t.size, t.bold) <= band.w - 32  # measured in the PNG's font
        assert band.y < t.y < band.y + band.h
    assert lines[-1].text.endswith("…")  # cut at the smallest size, never overflowing
    # Short names stay large, on one line; the same input gives the same layout.
    short = [t for t in panels.layout(Label(2017, 1), "Ivry", "V").texts if t.fill == panels.INK]
    assert [(t.size, t.text) for t in short] == [(34, "Ivry")]
    assert panels.layout(Label(2017, 1), long, "V") == panels.layout(Label(2017, 1), long, "V")


def test_every_png_is_the_panel_small_and_without_metadata(site: Path) -> None:
    pngs = sorted((site / "collectivites").rglob("panneau-*.png"))
    assert len(pngs) == 5  # three labels of Ambérieu, one of each other collectivité
    for path in pngs:
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n"), path
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "PNG"
            assert image.size == (600, 300)
            assert image.mode == "P"
            assert not {"date", "dpi", "Software", "Creation Time"} & set(image.info)
            image.load()
            assert isinstance(image, Image.Image)
        assert len(data) < 10_000, path
    for svg in (site / "collectivites").rglob("panneau-*.svg"):
        assert svg.stat().st_size < 3_000, svg


def test_the_font_has_every_character_it_claims() -> None:
    """A character of panels.COVERED missing from the subset would be drawn as a box."""
    font = panels._font(20, True)
    missing = bytes(font.getmask("\uffff"))
    absent = [
        ch
        for ch in sorted(panels.COVERED)
        if not ch.isspace() and ch != "\u00ad" and bytes(font.getmask(ch)) == missing
    ]
    assert absent == []
    assert panels._drawable("Ǎvrillé 東") == "Avrillé ?"


def test_panels_are_the_same_bytes_build_after_build(site: Path, tmp_path: Path) -> None:
    source = write_project(tmp_path / "src", FILES)
    assert build(source, tmp_path / "again").errors == []
    again = tmp_path / "again"
    files = sorted(p.relative_to(site) for p in site.rglob("panneau-*"))
    assert files
    assert [(site / f).read_bytes() for f in files] == [(again / f).read_bytes() for f in files]
    assert panels.png(panels.layout(Label(2020, 3), "Lille", "V")) == panels.png(
        panels.layout(Label(2020, 3), "Lille", "V")
    )


def test_the_page_shows_the_latest_panel_and_links_to_every_file(site: Path) -> None:
    page = _page_of(site, "Ambérieu")
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    section = soup.find("section", class_="panneau")
    assert section is not None
    img = section.find("img")
    assert img is not None and img["src"] == "panneau-2017.svg"
    assert img["alt"] == f"{LABEL} 2017{NBSP}: 4{NBSP}@, Prix spécial du jury"
    links = [a["href"] for a in section.find_all("a", href=True)]
    assert links == [
        f"panneau-{year}.{ext}" for year in (2017, 2016, 2015) for ext in ("svg", "png")
    ]
    for href in [*links, img["src"]]:
        assert (page.parent / unquote(href)).is_file(), href
    assert section.find("h3", string="Télécharger le panneau") is not None
    # One row an edition, each with its two links named for a screen reader.
    downloads = section.find("ul", class_="panneau-downloads")
    assert downloads is not None
    rows = downloads.find_all("li")
    assert [[a.get_text() for a in row.find_all("a")] for row in rows] == [
        [f"SVG, panneau {year}", f"PNG, panneau {year}"] for year in (2017, 2016, 2015)
    ]


def test_the_snippet_embeds_the_panel_with_its_text_alternative(site: Path) -> None:
    page = _page_of(site, "Ambérieu")
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    area = soup.find("textarea", id="panneau-code-html")
    assert area is not None and area.has_attr("readonly")
    label = soup.find("label", attrs={"for": "panneau-code-html"})
    assert label is not None and label.get_text() == "Code HTML du panneau 2017"
    # What a reader copies is HTML: parsed, an image with the panel's alternative.
    copied = BeautifulSoup(area.get_text(), "html.parser")
    img = copied.find("img")
    assert img is not None
    assert img["alt"] == f"{LABEL} 2017{NBSP}: 4{NBSP}@, Prix spécial du jury"
    assert img["src"] == "panneau-2017.svg"  # no public address: beside the reader's page
    # The copy button appears only with JavaScript, which says so in a live region.
    button = soup.find("button", attrs={"data-copy": "panneau-code-html"})
    assert button is not None and button.has_attr("hidden")
    status = soup.find(id=button["data-status"])
    assert status is not None and status["role"] == "status"


def test_the_snippet_escapes_a_name_that_plays_with_html(tmp_path: Path) -> None:
    source = write_project(
        tmp_path / "src",
        {
            "communes/01/amberieu.yaml": commune(
                labels="  - annee: 2017\n    arobases: 3\n    mention: 'Prix « <b>&</b> »'\n"
            )
        },
    )
    out = tmp_path / "site"
    assert build(source, out, base_url="https://palmares.exemple.fr/label/").errors == []
    page = out / PAGE
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    area = soup.find("textarea", id="panneau-code-html")
    assert area is not None
    copied = BeautifulSoup(area.get_text(), "html.parser")
    link, img = copied.find("a"), copied.find("img")
    assert link is not None and img is not None
    assert copied.find("b") is None  # the mention stays text
    assert img["alt"] == f"{LABEL} 2017{NBSP}: 3{NBSP}@, Prix « <b>&</b> »"
    # With a public address, the image's own, linking to the page that explains it.
    address = "https://palmares.exemple.fr/label/collectivites/amberieu-en-bugey-01/"
    assert link["href"] == address
    assert img["src"] == address + "panneau-2017.svg"
    svg = _svg(page.parent / "panneau-2017.svg")
    assert "2017 · Prix « <b>&</b> »" in _texts(svg)


def test_a_changed_label_redraws_that_collectivite_s_panels_only(tmp_path: Path) -> None:
    source = write_project(tmp_path / "src", FILES)
    out = tmp_path / "site"
    assert build(source, out, cache=ParseCache(tmp_path / "cache")).errors == []
    before = tree(out)
    path = source / "communes/01/amberieu.yaml"
    path.write_text(path.read_text("utf-8").replace("arobases: 4", "arobases: 5"), "utf-8")
    assert build(source, out, cache=ParseCache(tmp_path / "cache")).errors == []
    clean = tmp_path / "clean"
    assert build(source, clean).errors == []
    assert tree(out) == tree(clean)
    changed = {rel for rel, digest in tree(out).items() if before.get(rel) != digest}
    panels_changed = {rel for rel in changed if "/panneau-" in rel}
    folder = _page_of(out, "Ambérieu").parent.relative_to(out).as_posix()
    assert panels_changed == {f"{folder}/panneau-2017.svg", f"{folder}/panneau-2017.png"}
    assert _texts(_svg(out / folder / "panneau-2017.svg")).count("@") == 5


def test_the_organisation_comes_from_the_configuration(tmp_path: Path) -> None:
    source = write_project(
        tmp_path / "src",
        {"palmares.toml": 'titre = "Palmarès Réseau"\norganisation = "Réseau des villes"\n'},
    )
    out = tmp_path / "site"
    assert build(source, out).errors == []
    (svg,) = out.rglob("panneau-*.svg")
    assert "Réseau des villes" in _texts(_svg(svg))


def test_the_example_site_panels(example_site: Path) -> None:
    """Every collectivité of the example content has its panel, well-formed."""
    pages = sorted((example_site / "collectivites").glob("*/index.html"))
    with_panel = [p for p in pages if (p.parent / "panneau-2017.svg").is_file()]
    assert with_panel
    for page in with_panel:
        root = _svg(page.parent / "panneau-2017.svg")
        assert root.findtext(f"{SVG}title", "").startswith(f"{LABEL} 2017{NBSP}: ")
        assert (page.parent / "panneau-2017.png").is_file()


def test_an_embargoed_edition_has_no_panel(tmp_path: Path) -> None:
    source = write_project(
        tmp_path / "src",
        {
            "communes/01/amberieu.yaml": commune(
                labels="  - annee: 2017\n    arobases: 3\n  - annee: 2019\n    arobases: 4\n"
            ),
            "content/palmares/2019.md": "---\nannee: 2019\npublie: false\n---\nÀ venir.\n",
        },
    )
    out = tmp_path / "site"
    folder = out / PAGE.removesuffix("index.html")
    assert build(source, out).errors == []
    assert sorted(p.name for p in folder.glob("panneau-*")) == [
        "panneau-2017.png",
        "panneau-2017.svg",
    ]
    shutil.rmtree(out)
    assert build(source, out, drafts=True).errors == []
    assert sorted(p.name for p in folder.glob("panneau-*")) == [
        "panneau-2017.png",
        "panneau-2017.svg",
        "panneau-2019.png",
        "panneau-2019.svg",
    ]


def _drawn_whole(panel: panels.Layout) -> bytes:
    """The PNG drawn the plain way, as panels.png drew it before: every shape and text in
    RGB, then each pixel mapped to the palette."""
    image = Image.new("RGB", (panel.width, panel.height), panels.PAPER)
    panels._draw(image, panel.shapes, panel.texts)
    palette = panels._palette(panel.shapes, sorted({(t.fill, t.ground) for t in panel.texts}))
    out = io.BytesIO()
    image.quantize(palette=palette, dither=Image.Dither.NONE).save(out, "PNG", compress_level=3)
    return out.getvalue()


@pytest.mark.parametrize(
    ("label", "name"),
    [
        (Label(2017, 4, "Prix spécial du jury"), 'Ambérieu & <Bugey> "l\'Œil"'),
        (Label(2016, 2), 'Ambérieu & <Bugey> "l\'Œil"'),  # the same name, from the cache
        (Label(2015, 0, "Mention d’encouragement"), "Saint-Remy-en-Bouzemont"),
        (Label(2017, 1), LONG),
        (Label(2020, 5), "Ǎvrillé 東 Wy"),
    ],
)
def test_the_png_is_the_panel_drawn_whole(label: Label, name: str) -> None:
    """png draws from parts made once (the ground, each line of text): the same bytes as
    the whole panel drawn in RGB and mapped to the palette."""
    panel = panels.layout(label, name, "Villes Internet")
    assert panels.png(panel) == _drawn_whole(panel)


def _shorten_a_character_at_a_time(line: str, size: int, bold: bool, width: float) -> str:
    """What `_shorten` did before it halved: its definition."""
    while line and panels._width(line + "…", size, bold) > width:
        line = line[:-1].rstrip()
    return line + "…"


def test_a_line_is_shortened_as_a_character_at_a_time_would() -> None:
    rng = random.Random(3)
    for _ in range(2000):
        line = "".join(rng.choice("abcij KLMWéè—  ") for _ in range(rng.randrange(80)))
        size, bold, width = rng.choice([20, 28, 40]), rng.random() < 0.5, rng.uniform(0, 600)
        expected = _shorten_a_character_at_a_time(line, size, bold, width)
        assert panels._shorten(line, size, bold, width) == expected, (line, size, width)


def test_a_name_of_100_000_characters_is_measured_a_few_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Cut a character at a time, a name of 100 000 characters was measured 100 000 times
    (minutes of build, an audit); halving measures it about 17 times."""
    measured = []
    width = panels._width

    def counted(text: str, size: int, bold: bool) -> float:
        measured.append(len(text))
        return width(text, size, bold)

    monkeypatch.setattr(panels, "_width", counted)
    assert panels._shorten("A" * 100_000, 28, True, 500).endswith("…")
    assert len(measured) < 40
