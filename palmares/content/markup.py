"""Write-ups are untrusted Markdown: render them, then keep only harmless HTML.

The renderer is Python-Markdown with "extra" and "sane_lists", as the library ships it (its
public API only: STYLE.md, habit 12; docs/benchmarks.md « Retiring the Markdown fast paths »
says what that costs). Its HTML then has its headings nested under the page's `h1` and goes
through nh3's allow-lists."""

from __future__ import annotations

import functools
import re

import markdown
import nh3

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "*": {"id", "lang"},
}
_SCHEMES = {"http", "https", "mailto", "tel"}
_HEADING = re.compile(r"<(/?)h([1-6])\b")
EXTENSIONS = ["extra", "sane_lists"]
"""The Markdown the write-ups are written in (CONTENT.md documents it)."""


@functools.cache
def _parser() -> markdown.Markdown:
    # Building a Markdown instance costs more than converting a short write-up: make one per
    # process and reset it between documents (reset() clears every per-document state).
    return markdown.Markdown(extensions=EXTENSIONS, output_format="html")


def nest_headings(html: str) -> str:
    """Renumber a write-up's headings to sit under the page's `h1`, in order: the levels used
    become h2, h3… in their rank, and no heading goes more than one level below the one
    before it (an editor's `##` first, or `#` then `###`, would otherwise skip a level)."""
    levels = sorted({int(level) for slash, level in _HEADING.findall(html) if not slash})
    rank = {level: i + 2 for i, level in enumerate(levels)}
    previous, current = 1, 2

    def renumber(match: re.Match[str]) -> str:
        nonlocal previous, current
        if not match.group(1):
            current = min(rank[int(match.group(2))], previous + 1, 6)
            previous = current
        return f"<{match.group(1)}h{current}"

    return _HEADING.sub(renumber, html)


def clean_html(html: str) -> str:
    """Markdown's HTML → what a page shows: headings nested (see nest_headings), then only
    harmless tags, attributes and link schemes kept."""
    return _cleaner().clean(nest_headings(html)).strip()


@functools.cache
def _cleaner() -> nh3.Cleaner:
    """nh3's sanitizer, its allow-lists converted once per process (`nh3.clean` converts
    them on every call: twice the time, over the 6 000 write-ups of a first build)."""
    return nh3.Cleaner(
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(body: str) -> str:
    """Markdown → sanitized HTML; headings nest under the page's `h1` (see nest_headings)."""
    return clean_html(_parser().reset().convert(body))
