"""Write-ups' headings sit under the page's `h1`, in order, whatever levels the editor used."""

from __future__ import annotations

import re

import pytest

from palmares.content.markup import render_markdown


def levels(markdown: str) -> list[int]:
    return [int(n) for n in re.findall(r"<h([1-6])>", render_markdown(markdown))]


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("# Titre\n\n## Sous-titre\n\n# Autre", [2, 3, 2]),
        # An editor who starts at `##` (as a free page usually does) still gets an h2.
        ("## Un label\n\ntexte\n\n## Mentions\n\n### Détail", [2, 2, 3]),
        # A skipped level closes up: `#` then `###` is h2 then h3.
        ("# A\n\n### B\n\n##### C", [2, 3, 4]),
        # A deeper heading first cannot skip from the page's h1.
        ("### A\n\n## B\n\n### C", [2, 2, 3]),
        ("###### A", [2]),
        ("Pas de titre.", []),
    ],
)
def test_headings_nest_under_the_page_title_in_order(markdown: str, expected: list[int]) -> None:
    assert levels(markdown) == expected


def test_closing_tags_follow_their_heading() -> None:
    html = render_markdown("## Un *label*\n\n#### Détail")
    assert html == "<h2>Un <em>label</em></h2>\n<h3>Détail</h3>"


def test_a_raw_h1_in_a_write_up_becomes_a_section_heading() -> None:
    assert levels("<h1>Brut</h1>\n\n## Suite") == [2, 3]
