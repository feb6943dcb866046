"""The pages adapt to their reader, in Debian's Chromium: no horizontal scrolling from a
320 px wide screen, text enlarged to 200 % without overflow or overlap, less motion when
asked, a dark theme, and a print stylesheet that prints a collectivité or an edition cleanly.
A table too wide for a small screen scrolls inside its own box (WCAG 1.4.10 allows it for
data tables), never the page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tools import a11y

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

SITES = ["example_site", "synth_site"]

# Interactive things of the header and the main content whose boxes intersect: text resized
# to 200 % must not pile up links, fields and buttons on one another.
OVERLAPS = """() => {
    // One box per line of each element: a link that wraps has two, and its bounding box
    // would cover the start of the next line. A map's markers may touch, as the places
    // they stand for do, whatever the size of the text.
    const seen = [...document.querySelectorAll(
        "header a, header input, header button, main a, main input, main button, main summary")]
        .filter((e) => e.checkVisibility() && !e.closest(".visually-hidden, svg"))
        .slice(0, 300)
        .map((e) => [e, [...e.getClientRects()]]);
    const meet = (r, s) =>
        Math.min(r.right, s.right) - Math.max(r.left, s.left) > 2 &&
        Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top) > 2;
    const out = [];
    for (let i = 0; i < seen.length; i++) {
        for (let j = i + 1; j < seen.length; j++) {
            const [a, rs] = seen[i], [b, ss] = seen[j];
            if (a.contains(b) || b.contains(a)) continue;
            if (rs.some((r) => ss.some((s) => meet(r, s))))
                out.push(`${a.outerHTML.slice(0, 60)} / ${b.outerHTML.slice(0, 60)}`);
        }
    }
    return out;
}"""


@pytest.fixture
def make_tab(chromium_browser: Browser) -> Iterator[object]:
    contexts = []

    def make(width: int, height: int, **options: object) -> Page:
        context = chromium_browser.new_context(
            viewport={"width": width, "height": height},
            service_workers="block",
            **options,  # type: ignore[arg-type]
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("site_fixture", SITES)
def test_no_horizontal_scrolling_from_320_px(
    make_tab: object, site_fixture: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(site_fixture)
    page: Page = make_tab(320, 700)  # type: ignore[operator]
    wide = []
    for family in a11y.families(site):
        a11y.visit(page, site, family)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide.append(f"{family.name} ({family.path}): {width} px wide")
    assert wide == []


@pytest.mark.parametrize("site_fixture", SITES)
def test_text_enlarged_to_200_percent_neither_overflows_nor_overlaps(
    make_tab: object, site_fixture: str, request: pytest.FixtureRequest
) -> None:
    """A reader's 200 % text size is a root font size of 200 %: every size of the stylesheet
    is in rem or em, so everything grows with it. At 640 px, that is 320 px of today's text."""
    site: Path = request.getfixturevalue(site_fixture)
    page: Page = make_tab(640, 900)  # type: ignore[operator]
    found = []
    for family in a11y.families(site):
        a11y.visit(page, site, family)
        before = page.evaluate("document.querySelector('h1').getBoundingClientRect().height")
        page.add_style_tag(content="html { font-size: 200% !important; }")
        after = page.evaluate("document.querySelector('h1').getBoundingClientRect().height")
        if after < before * 1.5:
            found.append(f"{family.name}: the h1 did not grow ({before} → {after})")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 640:
            found.append(f"{family.name} ({family.path}): {width} px wide")
        found += [f"{family.name}: overlap {o}" for o in page.evaluate(OVERLAPS)]
    assert found == []


@pytest.mark.parametrize("family_name", ["commune", "edition"])
def test_print_keeps_the_content_and_drops_the_navigation(
    make_tab: object, example_site: Path, family_name: str
) -> None:
    family = next(f for f in a11y.families(example_site) if f.name == family_name)
    page: Page = make_tab(794, 1123, color_scheme="dark")  # type: ignore[operator]
    page.emulate_media(media="print")
    page.goto(family.url(example_site))
    for hidden in (".skip", ".site-nav", ".search-box", ".site-footer"):
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in (".brand", "main h1", "main table", "main h2"):
        assert page.locator(shown).first.is_visible(), shown
    # Black on white even when the screen is in dark mode.
    colours = page.evaluate(
        """() => [getComputedStyle(document.body).color,
                  getComputedStyle(document.body).backgroundColor,
                  getComputedStyle(document.querySelector("main a")).color]"""
    )
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)", "rgb(0, 0, 0)"]
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000


def test_less_motion_when_the_reader_asks_for_it(make_tab: object, example_site: Path) -> None:
    url = (example_site / "collectivites/index.html").as_uri()
    moving: Page = make_tab(1280, 900, reduced_motion="no-preference")  # type: ignore[operator]
    moving.goto(url)
    still: Page = make_tab(1280, 900, reduced_motion="reduce")  # type: ignore[operator]
    still.goto(url)
    behaviour = "getComputedStyle(document.documentElement).scrollBehavior"
    assert moving.evaluate(behaviour) == "smooth"
    assert still.evaluate(behaviour) == "auto"
    assert still.evaluate("document.getAnimations().length") == 0


def test_the_dark_theme_is_dark(make_tab: object, example_site: Path) -> None:
    """axe checks its contrast (test_axe.py runs in both schemes); here, that it exists."""
    url = (example_site / "index.html").as_uri()
    colours = {}
    for scheme in ("light", "dark"):
        page: Page = make_tab(1280, 900, color_scheme=scheme)  # type: ignore[operator]
        page.goto(url)
        colours[scheme] = page.evaluate(
            "[getComputedStyle(document.body).backgroundColor,"
            " getComputedStyle(document.body).color]"
        )
    assert colours["light"] == ["rgb(255, 255, 255)", "rgb(27, 31, 36)"]
    background = colours["dark"][0]
    assert sum(int(c) for c in background[4:-1].split(",")) < 3 * 48, background
