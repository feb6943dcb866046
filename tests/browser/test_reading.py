"""Pages in the order people read them, in Debian's Chromium (issue 15): an edition's
collectivités before its statistics, each chart with its table folded under it; on a
390 px phone no chart text under 12 px, no label cut off, no table column cut off (a table
either fits, stacked a row per block, or scrolls in a box that takes the focus and is
named); the map's markers lead to the collectivités' pages; the 404 page, styled and with
working links, at a deep address of a web host."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from palmares.site import urls
from tests.conftest import run_or_fail
from tools import a11y

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from tests.browser.conftest import RecordedPage

pytestmark = pytest.mark.browser

SITES = ["example_site", "synth_site"]
PHONE = {"width": 390, "height": 844}
BEFORE = "c => getComputedStyle(c, '::before').content"

# Every text of every chart: its size on the screen (its font size times the scale the
# SVG is drawn at), and whether its box stays inside the chart's viewBox.
CHART_TEXTS = """() => [...document.querySelectorAll("svg.bar-chart text")].map((t) => {
    const svg = t.ownerSVGElement;
    const box = t.getBBox();
    const view = svg.viewBox.baseVal;
    const scale = svg.getScreenCTM().a;
    return {
        text: t.textContent,
        px: parseFloat(getComputedStyle(t).fontSize) * scale,
        inside: box.x >= -0.5 && box.y >= -0.5 &&
            box.x + box.width <= view.width + 0.5 && box.y + box.height <= view.height + 0.5,
    };
})"""

# Cells whose content is wider than the cell, tables wider than their box, and boxes that
# scroll sideways without taking the focus and a name.
TABLE_PROBLEMS = """() => {
    const out = [];
    for (const table of document.querySelectorAll("main table")) {
        if (!table.checkVisibility()) continue;
        const hidden = (cell) => cell.closest("thead")?.getBoundingClientRect().width <= 1;
        for (const cell of table.querySelectorAll("th, td")) {
            if (hidden(cell)) continue;  // visually hidden headers: a stacked table's
            if (cell.checkVisibility() && cell.scrollWidth > cell.clientWidth + 1)
                out.push(`cell cut: ${cell.textContent.trim().slice(0, 40)}`);
        }
        const box = table.closest(".table-scroll");
        if (box) {
            if (box.scrollWidth > box.clientWidth + 1 && !(box.tabIndex === 0 &&
                    (box.getAttribute("aria-label") || box.getAttribute("aria-labelledby"))))
                out.push(`scrolls without focus and name: ${table.caption?.textContent}`);
        } else if (table.getBoundingClientRect().right > document.documentElement.clientWidth) {
            out.push(`table wider than the page: ${table.caption?.textContent}`);
        }
    }
    return out;
}"""


@pytest.fixture
def phone(chromium_browser: Browser) -> Iterator[Page]:
    context = chromium_browser.new_context(viewport=PHONE, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _pages_with_charts(site: Path) -> list[str]:
    editions = sorted(site.glob("palmares/[0-9]*/index.html"))
    families = {f.name: f.path for f in a11y.families(site)}
    return [
        urls.HOME,
        *(p.relative_to(site).as_posix() for p in editions),
        families["commune"],
    ]


@pytest.mark.parametrize("site_fixture", SITES)
def test_no_chart_text_under_12_px_and_no_label_cut_at_390_px(
    phone: Page, site_fixture: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(site_fixture)
    found = []
    seen = 0
    for rel in _pages_with_charts(site):
        phone.goto((site / rel).as_uri())
        texts: list[dict[str, Any]] = phone.evaluate(CHART_TEXTS)
        seen += len(texts)
        found += [f"{rel}: {t}" for t in texts if t["px"] < 11.99 or not t["inside"]]
    assert seen > 20
    assert found == []


@pytest.mark.parametrize("site_fixture", SITES)
def test_no_table_column_is_cut_at_390_px(
    phone: Page, site_fixture: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(site_fixture)
    found = []
    for family in a11y.families(site):
        a11y.visit(phone, site, family)
        found += [f"{family.name}: {p}" for p in phone.evaluate(TABLE_PROBLEMS)]
    assert found == []


def test_the_region_and_the_collectivite_tables_show_every_column_on_a_phone(
    phone: Page, synth_site: Path
) -> None:
    """The two tables the issue saw cut: a région's year ("201") and a collectivité's
    "Distinctions"; stacked, each cell is written after its column's name."""
    families = {f.name: f for f in a11y.families(synth_site)}
    a11y.visit(phone, synth_site, families["region"])
    year = phone.locator("table.territory tbody tr").first.locator("td").last
    assert year.inner_text().startswith("20")
    assert year.evaluate(BEFORE) == '"Édition\u202f: "'
    assert year.evaluate("c => c.getBoundingClientRect().right") <= PHONE["width"]
    a11y.visit(phone, synth_site, families["commune"])
    cells = phone.locator("table.history tbody tr").first.locator("td")
    assert cells.first.evaluate(BEFORE) == '"Nombre d’@\u202f: "'
    # The headers are visually hidden on a phone, still there for screen readers.
    assert phone.locator("table.history thead th").count() == 4
    assert (
        phone.locator("table.history thead").evaluate("h => h.getBoundingClientRect().width") <= 1
    )


@pytest.mark.parametrize("site_fixture", SITES)
def test_an_edition_lists_its_collectivites_before_its_statistics(
    phone: Page, site_fixture: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(site_fixture)
    edition = max(site.glob("palmares/[0-9]*/index.html"))
    phone.goto(edition.as_uri())
    headings = phone.locator("main h2").evaluate_all("hs => hs.map((h) => h.id)")
    assert headings.index("labellisees") < headings.index("chiffres")
    assert headings[0] == "labellisees"
    charts = phone.locator("#chiffres ~ .figures figure.chart")
    assert charts.count() == 3
    for i in range(3):
        chart = charts.nth(i)
        table = chart.locator("details.chart-data table")
        assert chart.locator("svg").is_visible()
        assert not table.is_visible()  # folded: the chart says it, the table is at hand
        chart.locator("summary").click()
        assert table.is_visible()


def test_a_map_marker_leads_to_its_collectivite(
    example_site: Path, offline_page: RecordedPage
) -> None:
    page = offline_page.page
    page.set_viewport_size(PHONE)
    page.goto((example_site / urls.HOME).as_uri())
    marker = page.get_by_role("link", name="Aix-les-Bains", exact=True)
    assert marker.evaluate("a => a.closest('svg') !== null")
    marker.click()
    page.wait_for_url("**/collectivites/aix-les-bains-73/index.html")
    assert page.locator("h1").inner_text() == "Aix-les-Bains"
    assert offline_page.problems() == []


class _Host(SimpleHTTPRequestHandler):
    """A static host that shows the site's 404.html for any missing path, as GitHub Pages,
    GitLab Pages or an `ErrorDocument 404` do, under /palmares/ like a project page."""

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + path.removeprefix("/palmares/"))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / urls.NOT_FOUND
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def list_directory(self, path: Any) -> None:
        self.send_error(404)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def host(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder, and the address that serves it under /palmares/ (the site's 404 page for
    what is missing)."""
    folder = tmp_path / "site"
    handler = functools.partial(_Host, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}/palmares/"
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_404_page_is_styled_with_working_links_at_a_deep_address(
    host: tuple[Path, str], recorded_page: Callable[[str], RecordedPage]
) -> None:
    folder, base = host
    run_or_fail("build.py", "--out", str(folder), "--base-url", base)
    tab = recorded_page(base)
    response = tab.page.goto(base + "une/adresse/perdue")
    assert response is not None and response.status == 404
    assert tab.page.locator("h1").inner_text() == "Page introuvable"
    header = tab.page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert header == "rgb(11, 79, 108)"  # the stylesheet is there: --brand
    assert tab.failed_requests == [f"{base}une/adresse/perdue (HTTP 404)"]
    tab.clear()
    tab.page.get_by_role("link", name="page d’accueil").click()
    tab.page.wait_for_url(base + "index.html")
    assert tab.page.locator("h1").inner_text().startswith("Palmarès du label")
    assert tab.problems() == []
