"""A reader searches in real Chromium, from the disk with every network request blocked and
from a web server under /palmares/: folding, prefixes, typos, plurals, former names,
départements, exact names first, facets, the keyboard, and the page without JavaScript."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from palmares.pipeline import build
from tests.helpers import commune, write_project

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from tests.browser.conftest import RecordedPage

pytestmark = pytest.mark.browser

TRAP = "Titre </script><!-- piégé"


def _action(titre: str, code: str, annee: int, domaines: str) -> str:
    return (
        f'---\ntitre: "{titre}"\ncommune: "{code}"\nannee: {annee}\n'
        f"domaines: [{domaines}]\n---\nTexte.\n"
    )


FILES: dict[str, str | bytes | None] = {
    "communes/59/marcq-en-baroeul.yaml": commune(
        '"59378"',
        nom="Marcq-en-Barœul",
        departement='"59"',
        extra="population: 39000\nanciens_noms: [Marque-Bourg]\n",
        labels="  - annee: 2016\n    arobases: 4\n  - annee: 2017\n    arobases: 5\n",
    ),
    "communes/59/villeneuve-d-ascq.yaml": commune(
        '"59009"',
        nom="Villeneuve-d'Ascq",
        departement='"59"',
        extra="population: 62000\n",
        labels="  - annee: 2017\n    arobases: 3\n",
    ),
    "communes/59/mel.yaml": commune(
        '"200093201"',
        nom="Métropole Européenne de Lille",
        departement='"59"',
        extra="type: intercommunalite\npopulation: 1180000\n",
        labels="  - annee: 2017\n    arobases: 4\n",
    ),
    "communes/95/l-isle-adam.yaml": commune(
        '"95313"',
        nom="L'Isle-Adam",
        departement='"95"',
        extra="population: 12000\n",
        labels="  - annee: 2016\n    arobases: 2\n",
    ),
    "communes/08/marcq.yaml": commune(
        '"08277"',
        nom="Marcq",
        departement='"08"',
        extra="population: 100\n",
        labels="  - annee: 2017\n    arobases: 1\n",
    ),
    "content/domaines/solidarite-numerique.md": "---\ntitre: Solidarité numérique\n---\nTexte.\n",
    "content/actions/2017/mediation.md": _action(
        "Médiation numérique", "59378", 2017, "solidarite-numerique"
    ),
    "content/actions/2017/tiers-lieu.md": _action(
        "Tiers-lieu de télétravail", "59009", 2017, "teletravail"
    ),
    "content/actions/2016/ateliers.md": _action(
        "Ateliers numériques", "95313", 2016, "solidarite-numerique"
    ),
    "content/actions/2017/piege.md": _action(
        TRAP.replace('"', '\\"'), "200093201", 2017, "teletravail"
    ),
}


@pytest.fixture(scope="module")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("search-site")
    result = build(write_project(tmp / "source", FILES), tmp / "site")
    assert result.errors == []
    return tmp / "site"


def results(page: Page) -> list[str]:
    """Each result as its kind and name, once the page shows them."""
    names: list[str] = page.locator("#search-results li a").evaluate_all(
        "links => links.map(a => a.querySelector('.kind').textContent + ': '"
        " + a.querySelector('.name').textContent)"
    )
    return names


def type_query(page: Page, query: str) -> list[str]:
    page.fill("#q", "")
    page.locator("#q").press_sequentially(query)
    page.wait_for_function(
        "() => document.getElementById('search-status').textContent !== ''", timeout=5_000
    )
    return results(page)


def open_search(page: Page, base: str, actions: bool = True) -> None:
    page.goto(base + "recherche/index.html")
    if actions:
        # The actions part comes after the first keystroke; let it arrive before asserting.
        page.locator("#q").press_sequentially("a")
        page.wait_for_function("performance.getEntriesByName('search-parts-ready').length > 0")
        page.fill("#q", "")


FOLDING = [
    ("baroeul", "Collectivité: Marcq-en-Barœul"),
    ("MARCQ-EN-BARŒUL", "Collectivité: Marcq-en-Barœul"),
    ("isle adam", "Collectivité: L'Isle-Adam"),
    ("l'isle-adam", "Collectivité: L'Isle-Adam"),
    ("villeneuve d ascq", "Collectivité: Villeneuve-d'Ascq"),
    ("villeneuve d'ascq", "Collectivité: Villeneuve-d'Ascq"),
    ("marque bourg", "Collectivité: Marcq-en-Barœul"),  # a former name
    ("metropole europeenne", "Intercommunalité: Métropole Européenne de Lille"),
    ("marcq", "Collectivité: Marcq"),  # the exact name before Marcq-en-Barœul
    ("teletravail", "Domaine: Télétravail"),
    ("teletravial", "Domaine: Télétravail"),  # two letters swapped
    ("télétravaik", "Domaine: Télétravail"),  # one letter wrong
    ("solidarite numeriques", "Domaine: Solidarité numérique"),  # plural
    ("2017", "Édition: Palmarès 2017"),
]


def check_folding(page: Page) -> None:
    for query, first in FOLDING:
        assert type_query(page, query)[:1] == [first], query


def test_folding_typos_plurals_and_former_names_from_file(
    search_site: Path, offline_page: RecordedPage
) -> None:
    open_search(offline_page.page, search_site.as_uri() + "/")
    check_folding(offline_page.page)
    assert offline_page.problems() == []
    assert offline_page.requests_outside(search_site.as_uri()) == []


def test_the_same_search_over_http(
    search_site: Path,
    http_site: Callable[[Path], str],
    recorded_page: Callable[[str], RecordedPage],
) -> None:
    base = http_site(search_site)
    tab = recorded_page(base)
    open_search(tab.page, base)
    check_folding(tab.page)
    assert tab.problems() == []


def test_prefixes_plurals_and_departements(search_site: Path, offline_page: RecordedPage) -> None:
    page = offline_page.page
    open_search(page, search_site.as_uri() + "/")
    assert {"Collectivité: Marcq", "Collectivité: Marcq-en-Barœul"} <= set(type_query(page, "mar"))
    numeriques = type_query(page, "numériques")
    assert {"Action: Médiation numérique", "Action: Ateliers numériques"} <= set(numeriques)
    assert "Action: Ateliers numériques" in type_query(page, "numerique")
    nord = {
        "Département: Nord",
        "Collectivité: Marcq-en-Barœul",
        "Collectivité: Villeneuve-d'Ascq",
        "Intercommunalité: Métropole Européenne de Lille",
    }
    assert set(type_query(page, "nord")) == nord
    assert set(type_query(page, "59")) == nord
    assert type_query(page, "nord")[0] == "Département: Nord"
    assert "Collectivité: L'Isle-Adam" in type_query(page, "val d oise")
    assert type_query(page, "zzzz") == []
    assert page.text_content("#search-status") == "Aucun résultat"


def test_results_are_links_of_each_kind_with_their_details(
    search_site: Path, offline_page: RecordedPage
) -> None:
    page = offline_page.page
    open_search(page, search_site.as_uri() + "/")
    type_query(page, "baroeul")
    meta = page.locator("#search-results li .meta").first.text_content() or ""
    assert meta.startswith("Nord (59) · ") and meta.endswith(" · anciennement Marque-Bourg")
    assert "5 arobases en 2017" in meta  # the @ are read out as words
    type_query(page, "mediation")
    assert page.locator("#search-results li .meta").first.inner_text() == (
        "Marcq-en-Barœul · 2017 · Solidarité numérique"
    )
    # The trap title is shown as text, and its link opens its page.
    assert type_query(page, "titre piege") == [f"Action: {TRAP}"]
    page.click("#search-results a")
    page.wait_for_url("**/actions/2017/piege/index.html")
    assert page.locator("h1").inner_text() == TRAP
    assert offline_page.problems() == []


def test_facet_counts_follow_the_query_and_filter_by_label(
    search_site: Path, offline_page: RecordedPage
) -> None:
    page = offline_page.page
    open_search(page, search_site.as_uri() + "/")

    def count(facet: str, value: str) -> str:
        box = page.locator(f'input[name="{facet}"][value="{value}"]')
        item = page.locator("#search-facets li", has=box)
        return "" if item.is_hidden() else item.locator(".count").inner_text()

    type_query(page, "nord")
    assert (count("type", "commune"), count("type", "intercommunalite")) == ("2", "1")
    assert (count("arobases", "5"), count("arobases", "4"), count("arobases", "3")) == (
        "1",
        "2",
        "1",
    )
    assert (count("population", "2"), count("population", "3"), count("population", "0")) == (
        "2",
        "1",
        "",
    )
    page.click("summary:has-text('Édition')")
    page.check('input[name="edition"][value="2017"]')
    # Marcq-en-Barœul had 4 @ in 2016, not in 2017: the @ counts are those of 2017.
    assert (count("arobases", "5"), count("arobases", "4"), count("arobases", "3")) == (
        "1",
        "1",
        "1",
    )
    page.check('input[name="arobases"][value="4"]')
    assert results(page) == ["Intercommunalité: Métropole Européenne de Lille"]
    assert page.text_content("#search-status") == "1 résultat"
    # Another query keeps the filters; clearing them brings every result back.
    type_query(page, "marcq")
    assert results(page) == []
    page.click("#search-clear")
    assert results(page)[:2] == ["Collectivité: Marcq", "Collectivité: Marcq-en-Barœul"]
    assert page.evaluate("document.activeElement.id") == "q"


def test_facets_alone_browse_the_palmares(search_site: Path, offline_page: RecordedPage) -> None:
    page = offline_page.page
    open_search(page, search_site.as_uri() + "/")
    page.click("summary:has-text('Domaine')")
    page.check('input[name="domaine"][value="teletravail"]')
    assert set(results(page)) == {
        "Domaine: Télétravail",
        "Action: Tiers-lieu de télétravail",
        f"Action: {TRAP}",
    }


def test_keyboard_arrows_enter_and_the_announced_count(
    search_site: Path, offline_page: RecordedPage
) -> None:
    page = offline_page.page
    open_search(page, search_site.as_uri() + "/")
    assert page.get_attribute("#search-status", "aria-live") == "polite"
    found = type_query(page, "marcq")
    assert page.text_content("#search-status") == f"{len(found)} résultats"

    def focused() -> str:
        return str(page.evaluate("document.activeElement.id || document.activeElement.textContent"))

    page.keyboard.press("ArrowDown")
    assert focused() == "CollectivitéMarcq"
    page.keyboard.press("ArrowDown")
    assert focused() == "CollectivitéMarcq-en-Barœul"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert focused() == "q"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/collectivites/marcq-en-baroeul-59/index.html")
    assert page.locator("h1").inner_text() == "Marcq-en-Barœul"


def test_focus_stays_on_its_result_when_the_actions_arrive(
    search_site: Path, offline_page: RecordedPage
) -> None:
    page = offline_page.page
    page.goto(search_site.as_uri() + "/recherche/index.html")
    page.locator("#q").press_sequentially("marcq en")
    page.keyboard.press("ArrowDown")
    page.wait_for_function("performance.getEntriesByName('search-parts-ready').length > 0")
    assert page.evaluate("document.activeElement.textContent") == "CollectivitéMarcq-en-Barœul"


def test_the_actions_part_loads_only_once_the_reader_types(
    search_site: Path, offline_page: RecordedPage
) -> None:
    page = offline_page.page
    page.goto(search_site.as_uri() + "/recherche/index.html")
    loaded = [url.rsplit("/", 1)[-1] for url in offline_page.requests]
    assert "search-index.js" in loaded and "search-actions-1.js" not in loaded
    page.locator("#q").press_sequentially("ateliers")
    page.wait_for_function("performance.getEntriesByName('search-parts-ready').length > 0")
    assert any(url.endswith("/static/search-actions-1.js") for url in offline_page.requests)
    page.wait_for_function(
        "() => document.getElementById('search-results').textContent.includes('Ateliers')"
    )
    assert results(page) == ["Action: Ateliers numériques"]


def test_the_header_search_box_leads_to_the_results(
    search_site: Path, offline_page: RecordedPage
) -> None:
    page = offline_page.page
    page.goto(search_site.as_uri() + "/collectivites/l-isle-adam-95/index.html")
    landmark = page.locator('header [role="search"]')
    assert landmark.locator('label[for="q-header"]').count() == 1
    page.fill("#q-header", "baroeul")
    page.press("#q-header", "Enter")
    page.wait_for_url("**/recherche/index.html?q=baroeul")
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
    assert results(page)[0] == "Collectivité: Marcq-en-Barœul"
    assert page.input_value("#q") == "baroeul"
    assert offline_page.problems() == []


@pytest.fixture
def no_js_page(chromium_browser: Browser) -> Iterator[Page]:
    context = chromium_browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_without_javascript_the_page_offers_the_a_to_z_index(
    search_site: Path, no_js_page: Page
) -> None:
    page = no_js_page
    page.goto(search_site.as_uri() + "/recherche/index.html?q=marcq")
    assert page.locator("#search-facets").is_hidden()
    link = page.get_by_role("link", name="toutes les collectivités de A à Z")
    assert link.is_visible()
    link.click()
    page.wait_for_url("**/collectivites/index.html")
    assert "Marcq-en-Barœul" in page.locator("main").inner_text()


def test_the_synthetic_archive_searches_from_file(
    synth_site: Path, offline_page: RecordedPage
) -> None:
    page = offline_page.page
    open_search(page, synth_site.as_uri() + "/")
    assert type_query(page, "baroeul")[0] == "Collectivité: Marcq-en-Barœul"
    assert type_query(page, "haÿ les roses")[0] == "Collectivité: L'Haÿ-les-Roses"
    # Every link of a broad query opens a page whose title is the result's name.
    type_query(page, "saint")
    links = page.locator("#search-results li a").evaluate_all(
        "links => links.slice(0, 8).map(a => [a.href, a.querySelector('.name').textContent])"
    )
    for href, name in links:
        page.goto(href)
        assert page.locator("h1").inner_text().startswith(name.split(" ")[0]), href
    assert offline_page.problems() == []


def test_the_archive_unzipped_searches_offline(tmp_path: Path, offline_page: RecordedPage) -> None:
    from palmares import archive
    from palmares.cli import main

    source = write_project(tmp_path / "source", FILES)
    assert main(["archive", "--source", str(source), "--out", str(tmp_path / "p.zip")]) == 0
    with zipfile.ZipFile(tmp_path / "p.zip") as z:
        z.extractall(tmp_path / "key")
    site = tmp_path / "key" / archive.FOLDER
    page = offline_page.page
    page.goto(site.as_uri() + "/index.html")
    page.fill("#q-header", "isle adam")
    page.press("#q-header", "Enter")
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
    assert results(page)[0] == "Collectivité: L'Isle-Adam"
    assert offline_page.problems() == []
    assert offline_page.requests_outside(site.as_uri()) == []
