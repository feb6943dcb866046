"""A reader clicks through the built site in a real browser, from the disk with the network cut
and from a web server under /palmares/: every page loads whole, styled, in French, and
nothing is fetched from outside the site's folder."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.browser.conftest import RecordedPage

pytestmark = pytest.mark.browser

# Enough to visit every kind of page of the synthetic site without loading all of it.
PAGE_LIMIT = {"example_site": 1_000, "synth_site": 150}

# What the browser computes for <body> before any author stylesheet.
STYLE_SIGNATURE = """() => {
    const s = getComputedStyle(document.body);
    return [s.margin, s.fontFamily, s.fontSize, s.lineHeight, s.color, s.backgroundColor,
            s.maxWidth, s.padding].join(" | ");
}"""

PAGE_FACTS = """() => ({
    lang: document.documentElement.getAttribute("lang"),
    h1: document.querySelectorAll("h1").length,
    sheets: document.styleSheets.length,
    unloaded: [...document.querySelectorAll('link[rel~="stylesheet"]')]
        .filter((link) => !link.sheet).map((link) => link.href),
    // An SVG link's href is an SVGAnimatedString (the map's markers): resolved here.
    links: [...document.querySelectorAll("a[href], area[href]")].map((a) =>
        a.href instanceof SVGAnimatedString ? new URL(a.href.baseVal, document.baseURI).href
            : a.href),
})"""


def crawl(tab: RecordedPage, base: str, limit: int) -> tuple[list[str], list[str]]:
    """Breadth-first from `base`index.html through every link inside `base`.

    Returns the pages visited and every problem seen, as "page: problem" lines.
    """
    from playwright.sync_api import Error as PlaywrightError

    page = tab.page
    page.set_content("<!doctype html><html><body><p>x</p></body></html>")
    unstyled = page.evaluate(STYLE_SIGNATURE)
    start = base + "index.html"
    queue, seen, visited, problems = deque([start]), {start}, [], []
    while queue and len(visited) < limit:
        url = queue.popleft()
        visited.append(url)
        name = url.removeprefix(base)
        tab.clear()
        try:
            page.goto(url, wait_until="load")
        except PlaywrightError as error:
            problems.append(f"{name}: does not load: {error.message.splitlines()[0]}")
            continue
        facts = page.evaluate(PAGE_FACTS)
        if facts["lang"] != "fr":
            problems.append(f'{name}: <html lang="{facts["lang"]}">, expected lang="fr"')
        if facts["h1"] != 1:
            problems.append(f"{name}: {facts['h1']} <h1>, expected exactly one")
        if facts["sheets"] == 0 or facts["unloaded"]:
            problems.append(f"{name}: stylesheet not loaded {facts['unloaded']}")
        elif page.evaluate(STYLE_SIGNATURE) == unstyled:
            problems.append(f"{name}: <body> has the browser's default style")
        problems.extend(f"{name}: {problem}" for problem in tab.problems())
        problems.extend(
            f"{name}: request outside the site: {u}" for u in tab.requests_outside(base)
        )
        for link in facts["links"]:
            target = link.partition("#")[0].partition("?")[0]
            # Data files, feeds and the archive are not pages: check_links (tests/test_links.py)
            # proves they exist; the browser only opens pages.
            if target.startswith(base) and target.endswith(".html") and target not in seen:
                seen.add(target)
                queue.append(target)
    return visited, problems


SITES = ["example_site", "synth_site"]


@pytest.mark.parametrize("site_fixture", SITES)
def test_every_page_works_from_the_disk_without_network(
    site_fixture: str, request: pytest.FixtureRequest, offline_page: RecordedPage
) -> None:
    site: Path = request.getfixturevalue(site_fixture)
    visited, problems = crawl(offline_page, site.as_uri() + "/", PAGE_LIMIT[site_fixture])
    assert problems == []
    assert len(visited) >= min(PAGE_LIMIT[site_fixture], 20)


@pytest.mark.parametrize("site_fixture", SITES)
def test_every_page_works_under_a_sub_path(
    site_fixture: str,
    request: pytest.FixtureRequest,
    http_site: Callable[[Path], str],
    recorded_page: Callable[[str], RecordedPage],
) -> None:
    site: Path = request.getfixturevalue(site_fixture)
    base = http_site(site)
    visited, problems = crawl(recorded_page(base), base, PAGE_LIMIT[site_fixture])
    assert problems == []
    assert len(visited) >= min(PAGE_LIMIT[site_fixture], 20)


def test_404_page_is_styled_from_the_disk(example_site: Path, offline_page: RecordedPage) -> None:
    offline_page.page.goto((example_site / "404.html").as_uri())
    facts = offline_page.page.evaluate(PAGE_FACTS)
    assert (facts["lang"], facts["h1"], facts["unloaded"]) == ("fr", 1, [])
    assert offline_page.problems() == []


def test_the_network_is_really_cut(offline_page: RecordedPage, tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text(
        '<!doctype html><html lang="fr"><link rel="stylesheet" href="https://example.org/a.css">'
        "<h1>x</h1></html>",
        encoding="utf-8",
    )
    offline_page.page.goto(page.as_uri())
    assert offline_page.blocked_requests == ["https://example.org/a.css"]
    assert offline_page.problems() == ["blocked request: https://example.org/a.css"]


def test_the_server_publishes_only_the_sub_path(
    tmp_path: Path,
    http_site: Callable[[Path], str],
    recorded_page: Callable[[str], RecordedPage],
) -> None:
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="fr"><link rel="stylesheet" href="/style.css"><h1>x</h1>',
        encoding="utf-8",
    )
    (tmp_path / "style.css").write_text("body { margin: 0 }", encoding="utf-8")
    base = http_site(tmp_path)
    assert base.endswith("/palmares/")
    tab = recorded_page(base.removesuffix("palmares/"))
    tab.page.goto(base + "index.html")
    root = base.removesuffix("palmares/")
    assert tab.failed_requests == [f"{root}style.css (HTTP 404)"]
    assert tab.requests_outside(base) == [f"{root}style.css"]


def test_crawl_reports_each_kind_of_problem(tmp_path: Path, offline_page: RecordedPage) -> None:
    head = '<link rel="stylesheet" href="{}static/s.css">'
    files = {
        "index.html": '<html lang="fr">' + head.format("") + "<h1>Accueil</h1>"
        '<a href="a/index.html">a</a> <a href="b/index.html">b</a> <a href="c/index.html">c</a>'
        ' <a href="https://example.org/">dehors</a>',
        "a/index.html": "<html>" + head.format("../") + "<h1>Sans langue</h1><h1>Deux titres</h1>",
        "b/index.html": '<html lang="fr"><h1>Sans style</h1><img src="../absent.png" alt="">',
        "c/index.html": '<html lang="fr">' + head.format("/") + "<h1>Style à la racine</h1>",
        "static/s.css": "body { margin: 0; font-family: sans-serif }",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    base = tmp_path.as_uri() + "/"
    visited, problems = crawl(offline_page, base, 10)
    assert [url.removeprefix(base) for url in visited] == [
        "index.html",
        "a/index.html",
        "b/index.html",
        "c/index.html",
    ]
    assert [p.split(": ")[0:2] for p in problems] == [
        ["a/index.html", '<html lang="None">, expected lang="fr"'],
        ["a/index.html", "2 <h1>, expected exactly one"],
        ["b/index.html", "stylesheet not loaded []"],
        ["b/index.html", "failed request"],
        ["c/index.html", "<body> has the browser's default style"],
        ["c/index.html", "failed request"],
        ["c/index.html", "request outside the site"],
    ]
