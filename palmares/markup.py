"""Write-ups are untrusted Markdown: render them, then keep only harmless HTML."""

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
_HEADING = re.compile(r"<(/?)h([1-5])\b")


@functools.cache
def _parser() -> markdown.Markdown:
    # Building a Markdown instance costs more than converting a short write-up: make one per
    # process and reset it between documents (reset() clears every per-document state).
    return markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


def render_markdown(body: str) -> str:
    """Markdown → sanitized HTML; headings shift down one level, the page owns the `h1`."""
    html = _parser().reset().convert(body)
    html = _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
