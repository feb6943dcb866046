"""The comparison page (issue 16, « se comparer ») in real Chromium, from the disk with every
network request blocked: a reader picks two collectivités by name (accents and case
forgiven, prefixes enough), sees their label histories as a chart and a table, shares the
address, and without JavaScript is told what the page needs. axe-core finds no violation on
it, on a phone and on a desktop."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from palmares.pipeline import build
from tests.browser.test_axe import axe
from tests.helpers import commune, write_project
from tools import a11y

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from tests.browser.conftest import RecordedPage

pytestmark = pytest.mark.browser


def _labels(*pairs: tuple[int, int]) -> str:
    return "".join(
        f"  - annee: {year}\n    arobases: {n}\n"
        + ("    mention: Mention simple\n" if n == 0 else "")
        for year, n in pairs
    )


FILES: dict[str, str | bytes | None] = {
    "communes/59/marcq-en-baroeul.yaml": commune(
        '"59378"',
        nom="Marcq-en-Barœul",
        departement='"59"',
        extra="population: 39000\n",
        labels=_labels((2014, 0), (2015, 2), (2016, 4), (2017, 5)),
    ),
    "communes/59/villeneuve-d-ascq.yaml": commune(
        '"59009"',
        nom="Villeneuve-d'Ascq",
        departement='"59"',
        extra="population: 62000\n",
        labels=_labels((2015, 3), (2017, 3)),
    ),
    "communes/42/saint-etienne.yaml": commune(
        '"42218"',
        nom="Saint-Étienne",
        departement='"42"',
        extra="population: 173000\n",
        labels=_labels((2016, 2), (2017, 4)),
    ),
    "communes/95/l-isle-adam.yaml": commune(
        '"95313"',
        nom="L'Isle-Adam",
        departement='"95"',
        extra="population: 12000\n",
        labels=_labels((2017, 1)),
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = write_project(tmp_path_factory.mktemp("comparer") / "src", FILES)
    out = source.parent / "site"
    assert build(source, out).errors == []
    return out


def _open(tab: RecordedPage, site: Path, query: str = "") -> Page:
    page = tab.page
    page.goto((site / "comparer" / "index.html").as_uri() + query, wait_until="load")
    page.wait_for_selector("#comparer:not([hidden])")
    return page


def _first(page: Page) -> str:
    """The first collectivité proposed, as seen (its button also says « Ajouter » to a
    screen reader)."""
    text = page.inner_text("#comparer-suggestions li:first-child button")
    return " ".join(text.split()).removeprefix("Ajouter ")


def _table(page: Page) -> tuple[list[str], list[list[str]]]:
    head = [th.inner_text().strip() for th in page.query_selector_all("#comparer-table thead th")]
    rows = [
        [
            row.query_selector("th").inner_text().strip(),  # type: ignore[union-attr]
            *(td.get_attribute("data-value") or "" for td in row.query_selector_all("td")),
        ]
        for row in page.query_selector_all("#comparer-table tbody tr")
    ]
    return head, rows


def test_a_reader_picks_two_collectivites_and_sees_their_histories(
    offline_page: RecordedPage, site: Path
) -> None:
    page = _open(offline_page, site)
    assert page.is_hidden("#comparer-sortie")
    field = page.locator("#comparer-q")
    field.fill("baroeul")  # œ typed as oe, a word's prefix inside the name
    page.wait_for_selector("#comparer-suggestions button")
    assert _first(page).startswith("Marcq-en-Barœul")
    field.press("Enter")  # the first one proposed
    page.wait_for_selector("#comparer-choix li")
    assert "Marcq-en-Barœul ajoutée" in page.inner_text("#comparer-status")
    assert page.evaluate("document.activeElement.id") == "comparer-q"

    field.fill("VILLENEUVE d asc")
    page.wait_for_selector("#comparer-suggestions button:not([disabled])")
    page.click("#comparer-suggestions button")
    assert page.locator("#comparer-choix li").count() == 2

    head, rows = _table(page)
    assert head == ["Édition", "Marcq-en-Barœul", "Villeneuve-d'Ascq"]
    assert rows == [
        ["2017", "5", "3"],
        ["2016", "4", ""],
        ["2015", "2", "3"],
        ["2014", "0", ""],
    ]
    cells = page.inner_text("#comparer-table tbody").replace("\u00a0", " ")
    assert "mention simple" in cells and "non labellisée" in cells
    caption = page.inner_text("#comparer-table caption")
    assert caption == "Labels de Marcq-en-Barœul et Villeneuve-d'Ascq par édition"

    # The chart: one line a collectivité, each with its own dash pattern and markers.
    svg = page.locator("#comparer-dessin svg[role=img]")
    assert svg.count() == 1
    assert "Marcq-en-Barœul" in (svg.locator("title").text_content() or "")
    assert "trait plein" in (svg.locator("desc").text_content() or "")
    series = page.query_selector_all("#comparer-dessin g.serie")
    assert [s.get_attribute("data-code") for s in series] == ["59378", "59009"]
    dashes = [s.query_selector("path.line").get_attribute("stroke-dasharray") for s in series]  # type: ignore[union-attr]
    assert len(set(dashes)) == 2
    assert [len(s.query_selector_all(".marker")) for s in series] == [4, 2]
    shapes = [s.query_selector(".marker").evaluate("n => n.tagName") for s in series]  # type: ignore[union-attr]
    assert shapes == ["circle", "polygon"]
    # Villeneuve-d'Ascq has no label in 2016: its line stops and starts again.
    villeneuve = series[1].query_selector("path.line").get_attribute("d") or ""  # type: ignore[union-attr]
    assert villeneuve.count("M") == 2
    assert page.locator("#comparer-legende li").count() == 2
    box = svg.bounding_box()
    assert box is not None and box["width"] <= page.viewport_size["width"]  # type: ignore[index]

    # The address keeps the choice, and the link to share says the same.
    assert page.url.endswith("comparer/index.html?c=59378,59009")
    href = page.get_attribute("#comparer-lien a", "href")
    assert href == "index.html?c=59378,59009"
    assert offline_page.problems() == []
    assert offline_page.requests_outside("file://") == []


def test_a_shared_address_shows_the_comparison(offline_page: RecordedPage, site: Path) -> None:
    page = _open(offline_page, site, "?c=42218,59009,00000,95313")
    head, rows = _table(page)
    # The unknown code is left out.
    assert head == ["Édition", "Saint-Étienne", "Villeneuve-d'Ascq", "L'Isle-Adam"]
    assert rows[0] == ["2017", "4", "3", "1"]
    assert [r[0] for r in rows] == ["2017", "2016", "2015"]
    # Removing one: the table, the chart and the address follow.
    page.click("#comparer-choix li:nth-child(2) button")
    assert _table(page)[0] == ["Édition", "Saint-Étienne", "L'Isle-Adam"]
    assert page.locator("#comparer-dessin g.serie").count() == 2
    assert page.url.endswith("?c=42218,95313")
    assert offline_page.problems() == []


def test_names_are_found_without_accents_and_four_at_most(
    offline_page: RecordedPage, site: Path
) -> None:
    page = _open(offline_page, site, "?c=59378,59009,95313")
    field = page.locator("#comparer-q")
    for typed in ("st etienne", "SAINT-ÉTI", "etienne", "42218"):
        field.fill(typed)
        page.wait_for_selector("#comparer-suggestions button")
        assert _first(page).startswith("Saint-Étienne"), typed
    field.fill("zzz")
    page.wait_for_function("document.getElementById('comparer-status').textContent.length > 0")
    assert page.inner_text("#comparer-status") == "Aucune collectivité ne porte ce nom"
    field.fill("saint")
    field.press("Enter")
    assert page.locator("#comparer-choix li").count() == 4
    field.fill("isle")
    page.wait_for_selector("#comparer-suggestions button")
    assert page.locator("#comparer-suggestions button:not([disabled])").count() == 0
    assert "Quatre collectivités au plus" in page.inner_text("#comparer-status")
    assert offline_page.problems() == []


def test_without_javascript_the_page_says_what_it_needs(
    chromium_browser: Browser, site: Path
) -> None:
    context = chromium_browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto((site / "comparer" / "index.html").as_uri())
        text = page.inner_text("main")
        assert "La comparaison a besoin de JavaScript" in text
        assert page.is_hidden("#comparer")
        link = page.get_attribute("noscript a, main a[href$='collectivites/index.html']", "href")
        assert link == "../collectivites/index.html"
    finally:
        context.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not a11y.AXE_JS.exists():
        pytest.skip(f"{a11y.AXE_JS} is missing ({a11y.INSTALL})")
    return a11y.AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(params=[a11y.PHONE, a11y.DESKTOP], ids=["phone", "desktop"])
def sized(chromium_browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    width, height = request.param
    context = chromium_browser.new_context(
        viewport={"width": width, "height": height}, service_workers="block"
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_the_comparison(
    sized: Page, site: Path, axe_source: str, scheme: str
) -> None:
    sized.emulate_media(color_scheme=scheme)
    sized.goto((site / "comparer" / "index.html").as_uri() + "?c=59378,59009,42218,95313")
    sized.wait_for_selector("#comparer-dessin svg")
    result = axe(sized, axe_source)
    assert result["passes"] > 10
    assert result["violations"] == []
    # Nothing scrolls sideways, the chart included.
    assert sized.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # A collectivité's page with its « Se comparer » section.
    sized.goto((site / "collectivites" / "marcq-en-baroeul-59" / "index.html").as_uri())
    result = axe(sized, axe_source)
    assert result["violations"] == []


def test_the_drawn_comparison_is_valid_html(offline_page: RecordedPage, site: Path) -> None:
    """The Nu Html Checker on the DOM the script made (four collectivités drawn)."""
    java = shutil.which("java")
    if java is None or not a11y.VNU_JAR.exists():
        pytest.skip(f"java or {a11y.VNU_JAR} is missing ({a11y.INSTALL})")
    page = _open(offline_page, site, "?c=59378,59009,42218,95313")
    page.wait_for_selector("#comparer-dessin svg")
    drawn = site / "comparer" / "dessin.html"
    drawn.write_text("<!DOCTYPE html>\n" + page.content().split(">", 1)[1], encoding="utf-8")
    try:
        assert [str(m) for m in a11y.vnu([drawn], java_bin=java)] == []
    finally:
        drawn.unlink()
