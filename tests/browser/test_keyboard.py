"""A reader with a keyboard only, in Debian's Chromium: the skip link comes first and takes
the focus to the content, Tab and Shift+Tab walk the header and the navigation in order, the
header's search box leads to the results and the arrows walk them, and whatever has the
focus shows it (an outline of a few pixels) on every page family."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tools import a11y

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

NAV = ["Éditions", "Domaines", "Territoires", "Collectivités de A à Z", "Recherche"]

FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const s = getComputedStyle(e);
    const r = e.getBoundingClientRect();
    return {
        tag: e.tagName.toLowerCase(),
        id: e.id,
        text: (e.innerText || e.value || e.getAttribute("aria-label") || "").trim(),
        cls: e.className,
        visible: e.matches(":focus-visible"),
        outline: s.outlineStyle === "none" ? 0 : parseFloat(s.outlineWidth),
        shown: r.width > 0 && r.height > 0,
        footer: !!e.closest("footer"),
    };
}"""


@pytest.fixture
def page(chromium_browser: Browser) -> Iterator[Page]:
    context = chromium_browser.new_context(
        viewport={"width": 1280, "height": 900}, service_workers="block"
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def focused(page: Page) -> dict[str, Any]:
    state: dict[str, Any] | None = page.evaluate(FOCUSED)
    assert state is not None, "the focus is on no element"
    return state


def family(site: Path, name: str) -> a11y.Family:
    return next(f for f in a11y.families(site) if f.name == name)


def test_the_skip_link_comes_first_and_moves_the_focus_to_the_content(
    page: Page, example_site: Path
) -> None:
    page.goto(family(example_site, "commune").url(example_site))
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["cls"] == "skip" and skip["text"] == "Aller au contenu"
    assert skip["shown"] and skip["visible"] and skip["outline"] >= 2
    assert page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    # The next Tab goes on from the content, not from the top of the page.
    page.keyboard.press("Tab")
    after = page.evaluate("document.activeElement.closest('main') !== null")
    assert after, focused(page)


def test_tab_and_shift_tab_walk_the_header_and_the_navigation(
    page: Page, example_site: Path
) -> None:
    page.goto(family(example_site, "edition").url(example_site))
    forward = []
    for _ in range(4 + len(NAV)):
        page.keyboard.press("Tab")
        forward.append(focused(page))
    assert forward[0]["cls"] == "skip"
    assert forward[1]["tag"] == "a" and forward[1]["text"].endswith("Palmarès Villes Internet")
    assert forward[2]["id"] == "q-header"
    assert forward[3]["tag"] == "button" and forward[3]["text"] == "Rechercher"
    assert [f["text"] for f in forward[4:]] == NAV
    backward = []
    for _ in range(len(NAV) - 1):
        page.keyboard.press("Shift+Tab")
        backward.append(focused(page)["text"])
    assert backward == NAV[-2::-1]
    for stop in forward:
        assert stop["visible"] and stop["outline"] >= 2, stop


def test_search_from_the_header_then_walk_the_results_with_the_arrows(
    page: Page, example_site: Path
) -> None:
    page.goto(family(example_site, "action").url(example_site))
    for _ in range(3):  # skip link, brand, search field
        page.keyboard.press("Tab")
    assert focused(page)["id"] == "q-header"
    page.keyboard.type("marcq")
    page.keyboard.press("Enter")
    page.wait_for_url("**/recherche/index.html?q=marcq")
    page.wait_for_selector("#search-results li a")
    # The results page puts the focus in its search field, holding the query (issue 15).
    assert focused(page)["id"] == "q"
    assert page.input_value("#q") == "marcq"
    page.keyboard.press("ArrowDown")
    first = focused(page)
    assert first["tag"] == "a" and "Marcq-en-Barœul" in first["text"]
    assert first["visible"] and first["outline"] >= 2
    page.keyboard.press("ArrowUp")
    assert focused(page)["id"] == "q"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/collectivites/marcq-en-baroeul-59/index.html")
    assert page.locator("h1").inner_text() == "Marcq-en-Barœul"


@pytest.mark.parametrize("site_fixture", ["example_site", "synth_site"])
def test_every_focus_is_visible_on_every_page_family(
    page: Page, site_fixture: str, request: pytest.FixtureRequest
) -> None:
    """Tab through each family's page (the whole page for the example site, the first 80
    stops of the corpus's bigger pages): every stop shows a focus outline, and on the
    example site the footer's accessibility statement link is reached."""
    site: Path = request.getfixturevalue(site_fixture)
    limit = 400 if site_fixture == "example_site" else 80
    found = []
    for f in a11y.families(site):
        a11y.visit(page, site, f)
        reached_footer = False
        for stop in range(limit):
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUSED)
            if state is None or (stop and state["cls"] == "skip"):
                break  # past the last stop: back to the page itself, or round to the top
            if not (state["visible"] and state["outline"] >= 2 and state["shown"]):
                found.append(f"{f.name}: {state}")
            reached_footer |= state["footer"] and state["text"].startswith("Accessibilité")
        if site_fixture == "example_site" and not reached_footer:
            found.append(f"{f.name}: Tab never reached the footer's accessibility link")
    assert found == []
