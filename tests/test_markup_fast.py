"""The fast Markdown paths of palmares.content.markup give byte for byte what stock Python-Markdown
gives: on generated Markdown rich in every character a construct starts with, on every body
of a synthetic corpus and of the shipped content, and on hand-picked edge cases."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from palmares.content import markup
from palmares.content.load import load
from palmares.dev.synth import generate

ROOT = Path(__file__).resolve().parent.parent


def stock() -> markdown.Markdown:
    """The reference: Python-Markdown as the library ships it, nothing of ours."""
    return markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


_STOCK = stock()


def assert_same(body: str) -> None:
    """The parser's HTML and the page's HTML (after the same nesting and cleaning) are
    identical; a fresh parser and the one reused between documents agree too."""
    expected = _STOCK.reset().convert(body)
    assert markup._parser().reset().convert(body) == expected
    assert markup.render_markdown(body) == markup.clean_html(expected)


def test_the_fast_paths_are_on() -> None:
    # Off on a Python-Markdown other than markup.AUDITED: read its processors again, check
    # _NOT_PLAIN and _HtmlBlockWithoutMarkup against them, then update AUDITED.
    assert markdown.__version_info__[:2] == markup.AUDITED
    assert markup.fast_paths() == ["plain_paragraph", "inline", "html_block"]


def test_every_inline_pattern_has_needles() -> None:
    """The needles derived from the patterns registered today, for a reader to check."""
    inline = markup._parser().inlinePatterns
    regexes = {
        name: inline[name].getCompiledRegExp()
        for name in (
            "backtick", "escape", "footnote", "reference", "link", "image_link",
            "image_reference", "short_reference", "short_image_ref", "autolink", "automail",
            "linebreak", "html", "entity", "em_strong",
        )
    }  # fmt: skip
    found = {name: markup._needles(r.pattern, r.flags) for name, r in regexes.items()}
    assert found == {
        "backtick": {"`", "\\"},
        "escape": {"\\"},
        "footnote": {"[^"},
        "reference": {"["},
        "link": {"["},
        "image_link": {"!["},
        "image_reference": {"!["},
        "short_reference": {"["},
        "short_image_ref": {"!["},
        "autolink": {"://"},
        "automail": {"<"},
        "linebreak": {"  \n"},
        "html": {"<"},
        "entity": {"&"},
        "em_strong": {"*", "_"},
    }
    assert len(inline) == len(found)


@pytest.mark.parametrize(
    ("regex", "needles"),
    [
        (r"abc", {"abc"}),
        (r"a|b", {"a", "b"}),
        (r"(?:xy|z)+", {"xy", "z"}),
        (r"x?", None),
        (r"(?i)abc", None),
        (r"(?i:a)b", {"b"}),
        (r"[a-z]", None),
        (r"[^a]", None),
        (r".", None),
        (r"(?=q)", {"q"}),
        (r"(?!q)r", {"r"}),
        (r"(a)\1", {"a"}),
        (r"a*|b", None),
    ],
)
def test_needles_of_a_regex(regex: str, needles: set[str] | None) -> None:
    assert markup._needles(regex, 0) == needles


# Characters and pieces every construct of CONTENT.md is made of, and their neighbours.
_PIECES = st.sampled_from(
    [
        "`", "``", "```", "\\", "*", "**", "_", "__", "[", "]", "(", ")", "!", "<", ">", "&",
        ";", "~", "~~~", "^", "=", "#", "-", "+", ":", "|", "{", "}", ".", '"', "'", "/",
        "@", "1", "2.", "é", "à", "ç", "Œ", "É", "«\u202f", "\u202f»", "\u00a0", "’",
        " ", "  ", "    ", "\t", "\n", "\n\n", "  \n", "\\\n", "\x02", "\x03", "٣",
        "a", "mot", "Ville", "HTML", "W3C", "ABC", "http://x.fr", "mailto:a@b.fr",
        "\n# ", "\n## ", "\n###### ", "\n> ", "\n>> ", "\n- ", "\n* ", "\n+ ", "\n1. ",
        "\n3) ", "\n    ", "\n  - ", "\n---\n", "\n***\n", "\n___\n", "\nTitre\n===\n",
        "\nTitre\n---\n", "\n: ", "\nterme\n:   définition\n",
        "\n| a | b |\n|---|:-:|\n| c | d |\n", "\na | b\n--|--\n", "\n```\ncode\n```\n",
        "\n~~~ python\nx = 1\n~~~\n", "`code`", "``a`b``",
        "\n*[HTML]: HyperText Markup Language\n", "\n*[ABC]: alpha\n", "\n*[W3C]:\n",
        "[^1]", "[^n]", "\n[^1]: une note\n", "\n[^n]:\n    suite\n", "\n[ref]: http://e.fr \"T\"\n",
        "[ref]", "[ref][]", "[texte][ref]", "[lien](http://a.fr)", "[lien](<b c> 't')",
        "![image](i.png \"t\")", "<http://x.fr>", "<a@b.fr>", "&amp;", "&#123;", "&#x41;",
        "&copy;", "&nbsp;", "<div>", "</div>", '<div markdown="1">', "<span>", "</span>",
        "<br>", "<br/>", "<!-- c -->", "<b>", "</b>", "<p>", "</p>", "<script>x</script>",
        "<em>", "<h1>", "</h1>", "<?php ?>", "<![CDATA[x]]>", "{: .c }", "{#id}", "{.c}",
        "\\*", "\\\\", "\\`", "\\[", "\\#",
    ]
)  # fmt: skip
_MARKDOWN = st.lists(_PIECES, max_size=40).map("".join)


@settings(
    max_examples=600,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(_MARKDOWN)
@example("Pas de marque du tout, juste du texte.\n\nEt un second paragraphe.")
@example("un  \nsaut de ligne")
def test_generated_markdown_renders_as_stock(body: str) -> None:
    assert_same(body)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="`\\*_[]()!<>&;~^=#-+:|{}.1 \n\t\"'aé«»HTML@/", max_size=60))
def test_any_text_of_the_trigger_characters_renders_as_stock(body: str) -> None:
    assert_same(body)


def _bodies(source: Path) -> list[tuple[str, str]]:
    return [(f.path, f.body) for f in load(source).files if f.body]


def test_every_write_up_of_a_synthetic_corpus_renders_as_stock(tmp_path: Path) -> None:
    generate(tmp_path / "synth", communes=200, actions=600, editions=5, seed=3)
    bodies = _bodies(tmp_path / "synth")
    assert len(bodies) >= 600
    for rel, body in bodies:
        expected = _STOCK.reset().convert(body)
        assert markup._parser().reset().convert(body) == expected, rel


def test_the_shipped_content_renders_as_stock() -> None:
    bodies = _bodies(ROOT)
    assert bodies
    for rel, body in bodies:
        assert markup.render_markdown(body) == markup.clean_html(_STOCK.reset().convert(body)), rel


@pytest.mark.parametrize(
    "body",
    [
        # An abbreviation defined: every later occurrence becomes <abbr>, plain paragraphs too.
        "Le HTML et le W3C.\n\nDu HTML partout.\n\n*[HTML]: HyperText Markup Language\n"
        "*[W3C]: World Wide Web Consortium",
        "*[ABC]: alpha\n\nABC, ABCD et abc.",
        # Footnotes, defined before and after, with a paragraph of their own.
        "Une note[^1] et une autre[^b].\n\n[^1]: La première.\n\n[^b]:\n    Longue.\n\n    Suite.",
        # Tables, with and without borders.
        "| Commune | @ |\n|---|--:|\n| Lyon | 5 |\n\nA | B\n--|--\n1 | 2",
        # Raw HTML, inline and as blocks, with Markdown inside or not.
        "<div>\n*pas* traité\n</div>\n\nTexte <b>gras</b> &amp; <span>fin</span>",
        '<div markdown="1">\n*traité*\n</div>',
        "<!-- commentaire -->\n\nA < B && C > D",
        # Backslash escapes and entities.
        "\\*pas d'emphase\\* \\\\ \\` \\[x\\] &#42; &copy;",
        # Trailing double spaces: a line break, but not at the end of the paragraph.
        "ligne un  \nligne deux  \n\nfin  ",
        # A paragraph right before a list, a quote, a heading (no blank line).
        "texte\n- un\n- deux\n\ntexte\n> cité\n\ntexte\n# Titre\n\ntexte\n1. un",
        # Setext headings and rules next to plain paragraphs.
        "Titre\n=====\n\nSous-titre\n-----\n\ntexte\n\n---\n\n* * *",
        # Lists with paragraphs and indented continuation, tight and loose.
        "- un\n\n    suite de un\n\n- deux\n\ntexte après",
        "1. un\n2. deux\n\n    paragraphe\n\n3. trois",
        # Definition lists, attribute lists, fenced code.
        "Terme\n:   Définition\n\n## Titre {: #ancre }\n\n```\n*code*\n```",
        # French typography and no markup at all.
        "« Guillemets » et 1\u202f441 personnes, l’été à Marcq-en-Barœul.",
        "",
        "\n\n\n",
    ],
)
def test_edge_cases_render_as_stock(body: str) -> None:
    assert_same(body)
