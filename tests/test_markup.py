"""What render_markdown guarantees: the Markdown of the write-ups (Python-Markdown's "extra"
and "sane_lists") rendered, only harmless HTML kept, nothing carried from one write-up to the
next, and headings under the page's `h1`, in order, whatever levels the editor used."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from palmares.content import markup
from palmares.content.load import load_file
from palmares.content.markup import render_markdown
from palmares.content.read import discover_paths

ROOT = Path(__file__).resolve().parent.parent


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


@pytest.mark.parametrize(
    ("body", "html"),
    [
        ("Du *texte* et du **gras**.", "<p>Du <em>texte</em> et du <strong>gras</strong>.</p>"),
        ("ligne un  \nligne deux", "<p>ligne un<br>\nligne deux</p>"),
        (
            "- un\n    - sous\n- deux",
            "<ul>\n<li>un<ul>\n<li>sous</li>\n</ul>\n</li>\n<li>deux</li>\n</ul>",
        ),
        # sane_lists: an ordered list keeps its first number.
        ("3. trois\n4. quatre", '<ol start="3">\n<li>trois</li>\n<li>quatre</li>\n</ol>'),
        (
            "| Commune | @ |\n|---|--:|\n| Lyon | 5 |",
            "<table>\n<thead>\n<tr>\n<th>Commune</th>\n<th>@</th>\n</tr>\n</thead>\n"
            "<tbody>\n<tr>\n<td>Lyon</td>\n<td>5</td>\n</tr>\n</tbody>\n</table>",
        ),
        ("Terme\n:   Définition", "<dl>\n<dt>Terme</dt>\n<dd>Définition</dd>\n</dl>"),
        ("```\n*code*\n```", "<pre><code>*code*\n</code></pre>"),
        (
            "Le HTML.\n\n*[HTML]: HyperText Markup Language",
            '<p>Le <abbr title="HyperText Markup Language">HTML</abbr>.</p>',
        ),
        # An attribute list gives a heading its anchor (and a language), kept by the cleaner;
        # the anchor prefixed, so that it cannot be one of the page's own ids.
        ("## Titre {: #ancre lang=en }", '<h2 id="r-ancre" lang="en">Titre</h2>'),
        ("\\*pas d'emphase\\* &copy;", "<p>*pas d'emphase* ©</p>"),
        ("« Guillemets » et 1\u202f441", "<p>« Guillemets » et 1\u202f441</p>"),
        ("", ""),
        ("\n\n\n", ""),
    ],
)
def test_the_markdown_of_the_write_ups(body: str, html: str) -> None:
    assert render_markdown(body) == html


@pytest.mark.parametrize(
    ("body", "html"),
    [
        (
            "Voir https://www.ville.fr/appli.",
            '<p>Voir <a href="https://www.ville.fr/appli" rel="noopener noreferrer">'
            "https://www.ville.fr/appli</a>.</p>",
        ),
        (
            "(sur www.ville.fr)",
            '<p>(sur <a href="http://www.ville.fr" rel="noopener noreferrer">www.ville.fr</a>)</p>',
        ),
        (
            "Écrire à contact@ville.fr.",
            '<p>Écrire à <a href="mailto:contact@ville.fr" rel="noopener noreferrer">'
            "contact@ville.fr</a>.</p>",
        ),
        ("~~Ancien~~ nouveau", "<p><del>Ancien</del> nouveau</p>"),
        # A hashtag at a line's start is text, as on GitHub; it was a heading (`#Label2017`).
        (
            "Texte.\n\n#VillesInternet #Label2017",
            "<p>Texte.</p>\n<p>#VillesInternet #Label2017</p>",
        ),
        ("Un paragraphe.\n#1 de la région", "<p>Un paragraphe.\n#1 de la région</p>"),
        ("## Les axes ##", "<h2>Les axes</h2>"),
        # Not an address, and not struck out: the label's @, code, one tilde.
        (
            "4 @ en 2017, `https://a.fr`, H~2~O",
            "<p>4 @ en 2017, <code>https://a.fr</code>, H~2~O</p>",
        ),
        # A link written as a link stays one link.
        (
            "[le site](https://a.fr/x) <https://b.fr>",
            '<p><a href="https://a.fr/x" rel="noopener noreferrer">le site</a> '
            '<a href="https://b.fr" rel="noopener noreferrer">https://b.fr</a></p>',
        ),
    ],
)
def test_what_github_s_preview_shows_the_page_shows(body: str, html: str) -> None:
    # Editors read their write-up in GitHub's preview, where an address written as it is
    # is a link and `~~…~~` is struck out; the page showed both as plain text.
    assert render_markdown(body) == html


def test_footnotes_link_both_ways() -> None:
    html = render_markdown("Une note[^1].\n\n[^1]: La première.")
    assert '<sup id="r-fnref:1"><a href="#r-fn:1" rel="noopener noreferrer">1</a></sup>' in html
    assert '<li id="r-fn:1">' in html and 'href="#r-fnref:1"' in html


def test_a_footnote_s_way_back_is_titled_in_french() -> None:
    # The title is what a pointer shows and assistive technology reads beside « ↩ ».
    html = render_markdown("Une note[^1] et une autre[^b].\n\n[^1]: Une.\n\n[^b]: Deux.")
    assert 'title="Revenir à l’appel de note 1"' in html
    assert 'title="Revenir à l’appel de note 2"' in html
    assert "Jump" not in html


@pytest.mark.parametrize(
    ("body", "html"),
    [
        ("<script>alert(1)</script>\n\nSuite", "<p>Suite</p>"),
        ('<p style="color:red" class="c" onclick="x()" lang="en">x</p>', '<p lang="en">x</p>'),
        ("[lien](javascript:alert(1))", '<p><a rel="noopener noreferrer">lien</a></p>'),
        (
            "[site](https://a.fr) [écrire](mailto:a@b.fr)",
            '<p><a href="https://a.fr" rel="noopener noreferrer">site</a> '
            '<a href="mailto:a@b.fr" rel="noopener noreferrer">écrire</a></p>',
        ),
        # An editor's target or rel never reaches the page.
        (
            '<a href="https://a.fr" target="_blank" rel="opener">z</a>',
            '<p><a href="https://a.fr" rel="noopener noreferrer">z</a></p>',
        ),
        ("<!-- commentaire -->\n\nA < B && C > D", "<p>A &lt; B &amp;&amp; C &gt; D</p>"),
        # A tag out of the allow-list goes, its text stays.
        ("Texte <span>fin</span> <iframe src=x></iframe>", "<p>Texte fin </p>"),
        ('<div markdown="1">\n*traité*\n</div>', "<p><em>traité</em></p>"),
    ],
)
def test_only_harmless_html_is_kept(body: str, html: str) -> None:
    assert render_markdown(body) == html


def test_nothing_carries_over_from_one_write_up_to_the_next() -> None:
    # The parser is built once per process and reset between write-ups: abbreviations,
    # footnotes and link references are each write-up's own. Python-Markdown 3.5 and 3.6
    # kept the abbreviations across reset(): hence markdown>=3.7 in pyproject.toml.
    render_markdown("*[HTML]: HyperText\n\n[ref]: https://a.fr\n\nUne note[^1].\n\n[^1]: A.")
    assert render_markdown("Du HTML, [ref] et [^1].") == "<p>Du HTML, [ref] et [^1].</p>"


def test_the_parser_reused_renders_as_a_new_one() -> None:
    """Every write-up shipped, in order through the one parser, as a parser of its own would."""
    read = (
        load_file(Path(path).read_bytes(), rel, kind)[0] for path, rel, kind in discover_paths(ROOT)
    )
    bodies = [f.body for f in read if f is not None and f.body]
    assert bodies
    for body in bodies:
        fresh = markup.stock_parser()
        assert render_markdown(body) == markup.clean_html(fresh.convert(body))


def test_bracket_ends_pair_nested_brackets_and_leave_unclosed_ones() -> None:
    #                     0123456789012345678
    assert markup.bracket_ends("[a [b] c](u) [d") == {1: 9, 4: 6}
    assert markup.bracket_ends("]][x]") == {3: 5}
    assert markup.bracket_ends("[[[") == {}


def test_the_link_processors_keep_their_place_among_the_library_s() -> None:
    """The quick link processors replace the library's under the same names, at the same
    priorities: if a version of Python-Markdown registered them elsewhere, BRACKETED must
    follow."""
    stock, ours = markup.stock_parser(), markup._parser()
    assert [type(p).__name__ for p in stock.inlinePatterns] == [
        type(p).__name__.removeprefix("Quick") for p in ours.inlinePatterns
    ]
    for name in markup.BRACKETED:
        index = stock.inlinePatterns.get_index_for_name(name)
        assert ours.inlinePatterns.get_index_for_name(name) == index
        assert (
            type(ours.inlinePatterns[name]).__name__
            == "Quick" + type(stock.inlinePatterns[name]).__name__
        )


def test_quick_brackets_render_as_the_library_does() -> None:
    """Texts made of brackets, parentheses, quotes, escapes and the odd reference, through the
    quick processors and through the library's own: the same HTML, every time."""
    rnd = random.Random(13)
    alphabet = "[[]]()!a  \n\"'<>\\*_`:#^"
    stock = markup.stock_parser()
    for i in range(4000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 60)))
        if i % 3 == 0:
            text = "[x]: /u\n[y]: /v 'w'\n\n" + text
        expected = stock.reset().convert(text)
        assert markup.convert(text) == expected, text
