"""Search forgives what people type (issue 15), in real Chromium from the disk (and the
main queries over http): a typo in words of three letters or more, saint/st and the
initials of intercommunalités, missing accents; the results with most words when none has
them all; the text of write-ups; suggestions when nothing is found; the phone layout; the
focus when arriving from the header's search box.

The site is the example content (communes/, content/) with one collectivité and one
action more, whose write-up names a place its title does not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from palmares.pipeline import build
from tests.browser.test_search_in_browser import open_search, results, type_query
from tests.helpers import commune, write_project

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.browser.conftest import RecordedPage

pytestmark = pytest.mark.browser

PROJECT = Path(__file__).resolve().parents[2]

EXTRA: dict[str, str | bytes | None] = {
    "communes/69/sainte-foy-les-lyon.yaml": commune(
        '"69202"',
        nom="Sainte-Foy-lès-Lyon",
        departement='"69"',
        extra="population: 22000\n",
        labels="  - annee: 2017\n    arobases: 2\n",
    ),
    "content/actions/2017/sainte-foy-mediation.md": (
        '---\ntitre: "Des médiateurs dans les quartiers"\ncommune: "69202"\nannee: 2017\n'
        "domaines: [solidarite-numerique]\n---\n"
        "Les médiateurs de la ville animent aussi des **ateliers** à la *Croix-Rousse*, "
        "avec les centres sociaux de Lyon.\n\n"
        "- une permanence le mardi ;\n- un guide imprimé.\n"
    ),
}


def _example() -> dict[str, str | bytes | None]:
    files: dict[str, str | bytes | None] = {}
    for folder in ("communes", "content"):
        for path in sorted((PROJECT / folder).rglob("*")):
            if path.is_file():
                files[path.relative_to(PROJECT).as_posix()] = path.read_bytes()
    return {**files, **EXTRA}


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("forgiving")
    result = build(write_project(tmp / "source", _example()), tmp / "site")
    assert result.errors == []
    return tmp / "site"


MARCQ = "Collectivité: Marcq-en-Barœul"
RIVIERA = "Intercommunalité: Communauté d'agglomération La Riviéra du Levant"
SAINTE_FOY = "Collectivité: Sainte-Foy-lès-Lyon"

FORGIVEN = [
    ("marcq en bareul", MARCQ),  # worked before: keep it working
    ("marq en bareul", MARCQ),  # a typo in a word of four letters
    ("marq", MARCQ),
    ("MARQ-EN-BARŒUL", MARCQ),
    ("ivri sur seine", "Collectivité: Ivry-sur-Seine"),
    ("ivry sur sene", "Collectivité: Ivry-sur-Seine"),
    ("aix les bain", "Collectivité: Aix-les-Bains"),
    ("aix le bains", "Collectivité: Aix-les-Bains"),  # a typo in a word of three letters
    ("fontenai", "Collectivité: Fontenay-sous-Bois"),
    ("fontenay sou bois", "Collectivité: Fontenay-sous-Bois"),
    ("73", "Département: Savoie"),
    ("ca riviera", RIVIERA),
    ("ca riviéra du levant", RIVIERA),
    ("communaute d agglomeration riviera", RIVIERA),
    ("communauté d'agglomération la riviera", RIVIERA),
    ("ste foy les lyon", SAINTE_FOY),
    ("st foy", SAINTE_FOY),
    ("sainte-foy-les-lyon", SAINTE_FOY),
    ("sainte foy lès lyon", SAINTE_FOY),
    ("vocabulon", "Action: Vocabulons"),
    ("ateliers apprentissage", "Action: Vocabulons"),  # only in its write-up
]


def check_forgiven(page: Page) -> None:
    for query, first in FORGIVEN:
        found = type_query(page, query)
        assert found[:1] == [first], (query, found)
        assert not page.text_content("#search-status").startswith("Aucun"), query  # type: ignore[union-attr]


def test_typos_accents_saint_and_initials_are_forgiven_from_file(
    example_site: Path, offline_page: RecordedPage
) -> None:
    page = offline_page.page
    open_search(page, example_site.as_uri() + "/")
    check_forgiven(page)
    assert "Collectivité: Aix-les-Bains" in type_query(page, "73")
    assert offline_page.problems() == []
    assert offline_page.requests_outside(example_site.as_uri()) == []


def test_the_same_forgiveness_over_http(
    example_site: Path,
    http_site: Callable[[Path], str],
    recorded_page: Callable[[str], RecordedPage],
) -> None:
    base = http_site(example_site)
    tab = recorded_page(base)
    open_search(tab.page, base)
    check_forgiven(tab.page)
    assert tab.problems() == []


def test_write_ups_are_searched_after_the_titles(
    example_site: Path, offline_page: RecordedPage
) -> None:
    page = offline_page.page
    open_search(page, example_site.as_uri() + "/")
    check_write_ups(page)
    assert offline_page.problems() == []


def test_write_ups_are_found_whatever_the_parts_sizes(
    tmp_path: Path, offline_page: RecordedPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page gives the n-th text to the n-th action whatever the parts: actions two a
    part, texts four a part, the write-ups still lead to their own actions."""
    from palmares.site import search

    monkeypatch.setattr(search, "ACTIONS_PER_PART", 2)
    monkeypatch.setattr(search, "TEXT_ACTIONS_PER_PART", 4)
    site = tmp_path / "site"
    assert build(write_project(tmp_path / "source", _example()), site).errors == []
    assert len(list((site / "static").glob("search-actions-*.js"))) == 3
    assert len(list((site / "static").glob("search-text-*.js"))) == 2
    page = offline_page.page
    open_search(page, site.as_uri() + "/")
    check_write_ups(page)
    assert offline_page.problems() == []


def check_write_ups(page: Page) -> None:
    croix_rousse = "Action: Des médiateurs dans les quartiers"
    assert type_query(page, "croix rousse") == [croix_rousse]
    assert type_query(page, "croix rouse") == [croix_rousse]  # a typo in the write-up's word
    assert type_query(page, "ateliers croix-rousse") == [croix_rousse]
    assert type_query(page, "permanence sainte foy") == [croix_rousse]  # text and collectivité
    ateliers = type_query(page, "ateliers")
    assert set(ateliers) == {"Action: Vocabulons", croix_rousse}
    # A title match comes before a match in a write-up only.
    assert type_query(page, "mediateurs")[0] == croix_rousse
    assert page.text_content("#search-status") == f"{len(results(page))} résultat"


def test_the_results_with_most_words_when_none_has_them_all(
    example_site: Path, offline_page: RecordedPage
) -> None:
    page = offline_page.page
    open_search(page, example_site.as_uri() + "/")
    assert type_query(page, "marcq en baroeul zzzz") == [MARCQ]
    assert page.text_content("#search-status") == (
        "Aucun résultat ne contient tous les mots\u202f; voici ceux qui en contiennent le plus"
        "\u00a0: 1 résultat"
    )
    assert page.locator("#search-none").is_hidden()
    # Two words of three: only those with both, not those with one.
    found = type_query(page, "ivry seine zzzz")
    assert found[0] == "Collectivité: Ivry-sur-Seine"
    assert "Collectivité: Aix-les-Bains" not in found
    # Every word found again: the message goes.
    type_query(page, "marcq en baroeul")
    assert page.text_content("#search-status") == "2 résultats"


def test_no_result_suggests_names_and_ways_to_browse(
    example_site: Path, offline_page: RecordedPage
) -> None:
    page = offline_page.page
    open_search(page, example_site.as_uri() + "/")
    assert type_query(page, "telatravaol") == []  # two typos: not forgiven…
    assert page.text_content("#search-status") == "Aucun résultat"
    suggestion = page.locator("#search-suggestion")
    assert suggestion.inner_text() == "Vouliez-vous dire Télétravail\u202f?"  # …but suggested
    assert page.locator("#search-facets details.facet:visible").count() == 0
    assert page.locator("#search-filters").is_hidden()
    none = page.locator("#search-none")
    assert none.get_by_role("link", name="toutes les collectivités de A à Z").get_attribute(
        "href"
    ) == ("../collectivites/index.html")
    assert none.get_by_role("link", name="les régions et départements").get_attribute("href") == (
        "../territoires/index.html"
    )
    suggestion.get_by_role("link", name="Télétravail").click()
    assert page.input_value("#q") == "Télétravail"
    assert results(page)[0] == "Domaine: Télétravail"
    assert page.evaluate("document.activeElement.id") == "q"
    assert none.is_hidden()
    # Nothing close: no suggestion, the ways to browse still.
    type_query(page, "zzzz")
    assert suggestion.is_hidden() and none.is_visible()
    assert offline_page.problems() == []


def test_on_a_phone_the_results_come_before_the_folded_filters(
    example_site: Path, offline_page: RecordedPage
) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(example_site.as_uri() + "/recherche/index.html?q=marcq")
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
    toggle = page.locator("#search-filters-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert toggle.inner_text() == "Filtrer les résultats"
    assert page.locator("#search-facets").is_hidden()
    first = page.locator("#search-results li").first.bounding_box()
    assert first is not None and first["y"] + first["height"] < 844  # on the first screen
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#search-facets").is_visible()
    page.check('input[name="type"][value="commune"]')
    assert toggle.inner_text() == "Filtrer les résultats (1 filtre choisi)"
    # On a wide screen the filters are beside the results, and the button is not there.
    page.set_viewport_size({"width": 1280, "height": 900})
    assert toggle.is_hidden() and page.locator("#search-facets").is_visible()
    assert offline_page.problems() == []


def test_the_header_search_box_puts_the_focus_in_the_field(
    example_site: Path, offline_page: RecordedPage
) -> None:
    page = offline_page.page
    page.goto(example_site.as_uri() + "/collectivites/ivry-sur-seine-94/index.html")
    page.fill("#q-header", "marq")
    page.press("#q-header", "Enter")
    page.wait_for_url("**/recherche/index.html?q=marq")
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
    assert page.evaluate("document.activeElement.id") == "q"
    assert page.input_value("#q") == "marq"
    assert results(page)[0] == MARCQ
    page.keyboard.press("ArrowDown")  # at once, no click first
    assert page.evaluate("document.activeElement.textContent") == "CollectivitéMarcq-en-Barœul"
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == "q"
    assert offline_page.problems() == []
