"""Write-ups are untrusted Markdown: render them, then keep only harmless HTML.

The renderer is Python-Markdown with "extra" and "sane_lists". `_FastPaths` adds to it
processors that skip work which provably changes nothing, so the HTML is byte for byte the
stock one (tests/test_markup_fast.py compares them on generated and real write-ups) for
about half the CPU (bench/markdown.py, docs/benchmarks.md « Markdown »)."""

from __future__ import annotations

import functools
import re
import re._constants as sre_constants
import re._parser as sre_parser
from typing import Any, cast
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.blockprocessors import BlockProcessor, ParagraphProcessor
from markdown.extensions import Extension
from markdown.extensions.md_in_html import HtmlBlockPreprocessor
from markdown.inlinepatterns import Pattern
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString, Registry

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

AUDITED = (3, 11)
"""The Python-Markdown version whose processors `_FastPaths` was checked against, line by
line. Another version renders with the stock processors only (tests/test_markup_fast.py
then fails on purpose: read the processors again, then update this)."""

Needles = frozenset[str]


# -- What a regex needs in the text -----------------------------------------------------------


@functools.cache
def _needles(pattern: str, flags: int) -> Needles | None:
    """Strings one of which is in any text the regex finds a match in, or None when the
    regex could match without any (then its pattern always runs). Derived from the parsed
    regex: a literal run needs itself, a character class of literals needs one of them, an
    alternation needs one of its branches' needles, a group or a repeat of at least one (or a
    lookahead/lookbehind, which also reads the text) needs its content's; anything else
    (`.`, ranges, categories, backreferences, optional parts, case-insensitive matching) needs
    nothing we can name."""
    parsed = sre_parser.parse(pattern, flags)
    return _sequence(list(parsed.data), parsed.state.flags)


def _sequence(items: list[tuple[Any, Any]], flags: int) -> Needles | None:
    """Every item of a sequence is in the match: the needles of any one item will do; keep
    the rarest (the longest strings, then the fewest)."""
    best: Needles | None = None
    run = ""
    for op, av in [*items, (None, None)]:
        if op is sre_constants.LITERAL and not flags & re.IGNORECASE:
            run += chr(av)
            continue
        for candidate in (frozenset([run]) if run else None, _item(op, av, flags)):
            if candidate and (best is None or _rarity(candidate) > _rarity(best)):
                best = candidate
        run = ""
    return best


def _rarity(needles: Needles) -> tuple[int, int]:
    return min(map(len, needles)), -len(needles)


def _item(op: Any, av: Any, flags: int) -> Needles | None:
    c = sre_constants
    if op is c.IN and not flags & re.IGNORECASE:
        if all(kind is c.LITERAL for kind, _ in av):
            return frozenset(chr(code) for _, code in av)
        return None
    if op is c.BRANCH:
        branches = [_sequence(list(branch.data), flags) for branch in av[1]]
        if any(b is None for b in branches):
            return None
        return frozenset().union(*(b for b in branches if b is not None))
    if op is c.SUBPATTERN:
        _group, add_flags, _del_flags, body = av
        return _sequence(list(body.data), flags | add_flags)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        least, _most, body = av
        return _sequence(list(body.data), flags) if least >= 1 else None
    if op is c.ATOMIC_GROUP:
        return _sequence(list(av.data), flags)
    if op is c.ASSERT:  # a lookahead or lookbehind reads the text too
        return _sequence(list(av[1].data), flags)
    return None


@functools.cache
def _any_of(needles: Needles) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(n) for n in sorted(needles)))


# -- The processors ---------------------------------------------------------------------------


class _FastInline(InlineProcessor):
    """The stock inline processor, minus the patterns that cannot match.

    Each inline pattern's regex needs one of a few strings in the text (`_needles`: `[` for a
    link, `*` or `_` for emphasis, `  \\n` for a line break…). The stock loop runs every
    pattern on every text node; here a pattern is skipped on a text that has none of its
    needles (its regex would find nothing, and a pattern that finds nothing changes nothing).
    Abbreviations are not an inline pattern but a tree processor of their own, untouched."""

    _table: list[tuple[Any, Needles | None]]
    _needles: Needles
    _find: re.Pattern[str]
    _apply: Any
    _all_have_needles: bool

    def run(self, tree: Element, ancestors: list[str] | None = None) -> Element:
        if not hasattr(self, "_table"):  # the first document: the patterns are all in
            self._prepare()
        return super().run(tree, ancestors)

    def _prepare(self) -> None:
        # (types-Markdown types the registry as holding tree processors: it holds patterns.)
        patterns = cast("Registry[Pattern]", self.inlinePatterns)
        regexes = [(p, p.getCompiledRegExp()) for p in patterns]
        self._table = [(p, _needles(regex.pattern, regex.flags)) for p, regex in regexes]
        self._needles = frozenset().union(*(n for _, n in self._table if n is not None))
        self._find = _any_of(self._needles)
        self._all_have_needles = all(n is not None for _, n in self._table)
        # The stock private method, which the stubs do not declare.
        self._apply = getattr(self, "_InlineProcessor__applyPattern")  # noqa: B009

    def _present(self, data: str) -> Needles:
        if not self._find.search(data):
            return frozenset()
        return frozenset(n for n in self._needles if n in data)

    # Python's name mangling makes this InlineProcessor.__handleInline, which the stock run()
    # and __applyPattern() call: the same loop, skipping the patterns whose needles are absent.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, AtomicString):
            return data
        present = self._present(data)
        if not present and self._all_have_needles:
            return data
        table, index, start = self._table, patternIndex, 0
        while index < len(table):
            pattern, needles = table[index]
            if needles is not None and needles.isdisjoint(present):
                index, start = index + 1, 0
                continue
            data, matched, start = self._apply(pattern, data, index, start)
            if matched:
                present = self._present(data)
            else:
                index += 1
        return data


_NOT_PLAIN = re.compile(r"(?:^|\n)[\s#*+\-_=:>\[\d]|[|\x02]")
"""What a block needs for any block processor but the paragraph to take it (Markdown 3.11):
 - a line starting with whitespace: code and indented list content (4 spaces), list items,
   rules, quotes, references and footnotes after up to 3 spaces; a block starting with a
   blank line (empty);
 - a line starting with `#` (heading), `=` or `-` (setext underline, rule, list item),
   `*` or `_` (rule, `*[abbr]:`), `+` (list item), a digit (ordered list), `:` (definition),
   `>` (quote), `[` (reference, footnote definition);
 - a `|` anywhere (table), or STX (a stashed HTML block, which md_in_html may take)."""


class _PlainParagraph(BlockProcessor):
    """A block with none of `_NOT_PLAIN` is a paragraph: every processor before the paragraph
    one would say no (the ones that always test true and then search, footnote, abbr,
    reference and md_in_html, find nothing and put the block back), so give it to the
    paragraph processor without asking the 16 others."""

    def __init__(self, paragraph: ParagraphProcessor) -> None:
        super().__init__(paragraph.parser)
        self.paragraph = paragraph

    def test(self, parent: Element, block: str) -> bool:
        return bool(block) and not _NOT_PLAIN.search(block)

    def run(self, parent: Element, blocks: list[str]) -> None:
        self.paragraph.run(parent, blocks)


class _HtmlBlockWithoutMarkup(Preprocessor):
    """md_in_html's HTML block preprocessor feeds the document to an HTML parser; a document
    without `<` or `&` is all text to it, which the preprocessor returns as it came."""

    def __init__(self, stock: HtmlBlockPreprocessor) -> None:
        super().__init__(stock.md)
        self.stock = stock

    def run(self, lines: list[str]) -> list[str]:
        if not any("<" in line or "&" in line for line in lines):
            return lines
        return self.stock.run(lines)


_BLOCK_PROCESSORS = [
    ("markdown_block", "markdown.extensions.md_in_html.MarkdownInHtmlProcessor"),
    ("empty", "markdown.blockprocessors.EmptyBlockProcessor"),
    ("indent", "markdown.blockprocessors.ListIndentProcessor"),
    ("defindent", "markdown.extensions.def_list.DefListIndentProcessor"),
    ("code", "markdown.blockprocessors.CodeBlockProcessor"),
    ("table", "markdown.extensions.tables.TableProcessor"),
    ("hashheader", "markdown.blockprocessors.HashHeaderProcessor"),
    ("setextheader", "markdown.blockprocessors.SetextHeaderProcessor"),
    ("hr", "markdown.blockprocessors.HRProcessor"),
    ("olist", "markdown.extensions.sane_lists.SaneOListProcessor"),
    ("ulist", "markdown.extensions.sane_lists.SaneUListProcessor"),
    ("deflist", "markdown.extensions.def_list.DefListProcessor"),
    ("quote", "markdown.blockprocessors.BlockQuoteProcessor"),
    ("footnote", "markdown.extensions.footnotes.FootnoteBlockProcessor"),
    ("abbr", "markdown.extensions.abbr.AbbrBlockprocessor"),
    ("reference", "markdown.blockprocessors.ReferenceProcessor"),
    ("paragraph", "markdown.blockprocessors.ParagraphProcessor"),
]
"""The block processors `_NOT_PLAIN` was written against, in their order."""


def _qualname(obj: object) -> str:
    return f"{type(obj).__module__}.{type(obj).__qualname__}"


class _FastPaths(Extension):
    """Adds `_PlainParagraph` before every block processor, and registers `_FastInline` and
    `_HtmlBlockWithoutMarkup` in place of the stock processors they stand for (same name, same
    priority, so the same order): each only if the stock processors are exactly the ones it
    was checked against. `active` names what was done."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        self.active: list[str] = []
        md.registerExtension(self)
        if markdown.__version_info__[:2] != AUDITED:
            return
        blocks = md.parser.blockprocessors
        if [_qualname(p) for p in blocks] == [cls for _, cls in _BLOCK_PROCESSORS] and all(
            blocks.get_index_for_name(name) == i for i, (name, _) in enumerate(_BLOCK_PROCESSORS)
        ):
            paragraph = blocks["paragraph"]
            assert isinstance(paragraph, ParagraphProcessor)
            # Above every other block processor (md_in_html's, the first, is 105).
            blocks.register(_PlainParagraph(paragraph), "plain_paragraph", 200)
            self.active.append("plain_paragraph")
        inline = md.treeprocessors["inline"]
        if type(inline) is InlineProcessor:
            self._replace(md.treeprocessors, "inline", 20, _FastInline(md))
        html_block = md.preprocessors["html_block"]
        if type(html_block) is HtmlBlockPreprocessor:
            self._replace(md.preprocessors, "html_block", 20, _HtmlBlockWithoutMarkup(html_block))

    def _replace(self, registry: Registry[Any], name: str, priority: int, item: object) -> None:
        index = registry.get_index_for_name(name)
        registry.register(item, name, priority)
        # The stock priority (Markdown 3.11's), so the processors run in the same order.
        assert registry.get_index_for_name(name) == index, name
        self.active.append(name)


@functools.cache
def _parser() -> markdown.Markdown:
    # Building a Markdown instance costs more than converting a short write-up: make one per
    # process and reset it between documents (reset() clears every per-document state).
    return markdown.Markdown(extensions=[*EXTENSIONS, _FastPaths()], output_format="html")


def fast_paths() -> list[str]:
    """The names of the processors `_FastPaths` replaced in this process's parser."""
    return [
        name
        for ext in _parser().registeredExtensions
        if isinstance(ext, _FastPaths)
        for name in ext.active
    ]


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
