"""What every built page is made of, read from the HTML of the example site and of the
synthetic corpus: a skip link first, the four landmarks, one `h1` and headings in order,
tables with a caption and scoped headers, charts and maps as described images with their
data in a table, link texts that make sense on their own, and the accessibility statement
linked from every footer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from tools import a11y

# Link texts that say nothing once read out of their sentence (a screen reader's list of links).
VAGUE = {"ici", "cliquez ici", "lien", "ce lien", "plus", "en savoir plus", "lire la suite",
         "la suite", "suite", "voir", "page", "cette page", "→"}  # fmt: skip
# _text() folds the narrow no-break space before the colon into a space.
STATUS = re.compile(r"Accessibilité : (totalement conforme|partiellement conforme|non conforme)")


def _soup(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def _text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


def _pages(site: Path) -> Iterator[tuple[str, BeautifulSoup]]:
    for page in a11y.html_pages(site):
        if not a11y.is_redirect(page):
            yield page.relative_to(site).as_posix(), _soup(page)


def problems(name: str, html: BeautifulSoup) -> Iterator[str]:
    """Everything wrong with one page, as `name: problem` lines."""
    body = html.body
    assert body is not None
    if html.html is None or html.html.get("lang") != "fr":
        yield f'{name}: <html lang="fr"> missing'

    focusable = body.find(["a", "button", "input", "select", "textarea", "summary"])
    if not (
        isinstance(focusable, Tag)
        and "skip" in focusable.get_attribute_list("class")
        and focusable.get("href") == "#contenu"
    ):
        yield f"{name}: the first focusable element is not the skip link to #contenu"
    main = body.find_all("main")
    if len(main) != 1 or main[0].get("id") != "contenu":
        yield f'{name}: expected one <main id="contenu">, found {len(main)}'
    for landmark in ("header", "footer"):
        top = [t for t in body.find_all(landmark) if t.find_parent(["main", "article"]) is None]
        if len(top) != 1:
            yield f"{name}: expected one top-level <{landmark}>, found {len(top)}"
    navs = body.find_all("nav")
    if not any(n.get("aria-label") == "Navigation principale" for n in navs):
        yield f"{name}: no <nav aria-label=« Navigation principale »>"
    if any(not n.get("aria-label") and not n.get("aria-labelledby") for n in navs):
        yield f"{name}: a <nav> without a name"

    headings = body.find_all(re.compile(r"^h[1-6]$"))
    if sum(h.name == "h1" for h in headings) != 1 or not headings or headings[0].name != "h1":
        yield f"{name}: expected one <h1>, before any other heading"
    previous = 1
    for h in headings:
        level = int(h.name[1])
        if level > previous + 1:
            yield f"{name}: <{h.name}> « {_text(h)} » follows an <h{previous}>"
        if not _text(h):
            yield f"{name}: empty <{h.name}>"
        previous = level

    for table in body.find_all("table"):
        caption = table.find("caption")
        if caption is None or not _text(caption):
            yield f"{name}: a table without a caption"
        label = _text(caption) if caption else "?"
        for th in table.find_all("th"):
            if th.get("scope") not in ("col", "row", "colgroup", "rowgroup"):
                yield f"{name}: table « {label} »: <th> « {_text(th)} » without scope"

    for svg in body.find_all("svg"):
        if svg.get("aria-hidden") == "true":
            continue
        title, desc = svg.find("title", recursive=False), svg.find("desc", recursive=False)
        ids = [
            *(svg.get("aria-labelledby") or "").split(),
            *(svg.get("aria-describedby") or "").split(),
        ]
        # A picture is an image; a map whose markers are links is a group (the children
        # of an image are not read, its links would be lost).
        role = "group" if svg.find("a") else "img"
        if svg.get("role") != role or title is None or desc is None:
            yield f"{name}: an <svg> without role={role}, <title> and <desc>"
        elif title.get("id") not in ids or desc.get("id") not in ids:
            yield f"{name}: <svg> « {_text(title)} »: aria-labelledby misses its title or desc"
        figure = svg.find_parent("figure")
        table = figure.find_next("table") if figure else None
        if (
            figure is None
            or table is None
            or table.find_parent("section")
            not in (
                figure.find_parent("section"),
                figure,
            )
        ):
            yield f"{name}: <svg> « {_text(title) if title else '?'} »: no table of its data"

    for link in body.find_all("a"):
        words = _text(link).lower().strip(" .:…")
        if not words and not link.get("aria-label"):
            yield f"{name}: a link with no text ({link.get('href')})"
        elif words in VAGUE:
            yield f"{name}: link text « {words} » means nothing out of context"
    for img in body.find_all("img"):
        if img.get("alt") is None:
            yield f"{name}: <img src={img.get('src')}> without alt"


@pytest.mark.parametrize("site_fixture", ["example_site", "synth_site"])
def test_every_page_is_built_for_assistive_technologies(
    site_fixture: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(site_fixture)
    pages = list(_pages(site))
    assert len(pages) > 30
    found = [problem for name, html in pages for problem in problems(name, html)]
    assert found == [], "\n".join(found[:40])


def test_every_footer_links_the_accessibility_statement_with_its_status(
    example_site: Path,
) -> None:
    statement = example_site / "pages/accessibilite/index.html"
    html = _soup(statement)
    declared = re.search(
        r"Ce site est (totalement conforme|partiellement conforme|non conforme)", _text(html)
    )
    assert declared, "the statement names no conformity status"
    assert html.h1 is not None and _text(html.h1) == "Déclaration d’accessibilité"
    for heading in ("État de conformité", "Contenus non accessibles", "Voies de recours"):
        assert html.find(["h2", "h3"], string=heading), heading
    for name, page in _pages(example_site):
        footer = page.find("footer")
        assert footer is not None, name
        links = [a for a in footer.find_all("a") if STATUS.fullmatch(_text(a))]
        assert len(links) == 1, f"{name}: no « Accessibilité : … » link in the footer"
        status = STATUS.fullmatch(_text(links[0]))
        assert status and status.group(1) == declared.group(1), name
        target = (example_site / name).parent / str(links[0]["href"])
        assert target.resolve() == statement.resolve(), name


def test_the_page_checks_see_what_they_look_for() -> None:
    bad = BeautifulSoup(
        '<html><body><a href="#x">x</a><main><h1>a</h1><h3>b</h3><h1>c</h1>'
        "<table><tr><th>t</th></tr></table>"
        '<figure><svg viewBox="0 0 1 1"><rect/></svg></figure>'
        '<p><a href="x.html">ici</a><a href="y.html"></a><img src="z.png"></p></main></body></html>',
        "html.parser",
    )
    found = "\n".join(problems("bad.html", bad))
    for expected in (
        'lang="fr"',
        "skip link",
        "top-level <header>",
        "Navigation principale",
        "expected one <h1>",
        "<h3> « b » follows an <h1>",
        "table without a caption",
        "without scope",
        "without role=img",
        "no table of its data",
        "« ici » means nothing",
        "link with no text",
        "without alt",
    ):
        assert expected in found, expected
