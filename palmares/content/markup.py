"""Write-ups are untrusted Markdown: bound what one may cost, render it, then keep only
harmless HTML that loads nothing from elsewhere.

The renderer is Python-Markdown with "extra" and "sane_lists", as the library ships it, and
three of pymdown-extensions' (EXTENSIONS: what GitHub's preview shows, the page shows), through
public APIs only (STYLE.md, habit 12; docs/benchmarks.md « Retiring the Markdown fast paths »
and « Addresses made links » say what each costs). Its HTML then has its headings nested under the page's `h1`, goes
through nh3's allow-lists, loses the images of other sites and has its ids prefixed.

Python-Markdown nests by recursion and rebuilds a paragraph's text at each inline match:
lists 2 000 levels deep took 3,2 GB and 22 s for an 8 MB file, and one paragraph of 40 000
unclosed links (`[a](`) more than two minutes for 160 KB. `limits` refuses, before rendering,
what the write-ups never need: nesting deeper than MAX_DEPTH, a write-up over MAX_BYTES, a
paragraph (lines without a blank line between them) over MAX_BLOCK characters or with more
than MAX_LINKS links and images. docs/benchmarks.md « What one write-up may cost » gives the
worst cases measured within them."""

from __future__ import annotations

import bisect
import functools
import html as htmllib
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from palmares.text import format_int

if TYPE_CHECKING:
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
EXTENSIONS = [
    "extra", "sane_lists", "pymdownx.magiclink", "pymdownx.tilde", "pymdownx.saneheaders",
]  # fmt: skip
"""The Markdown the write-ups are written in (CONTENT.md documents it): Python-Markdown's
"extra", and what GitHub's preview, where editors read their text, shows besides: an address
written as it is (`https://…`, `www.…`, `contact@…`) is a link, `~~texte~~` is struck out,
and a heading's `#` needs a space after it (`#VillesInternet` at a line's start is a hashtag,
not a heading)."""
EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    "extra": {"footnotes": {"BACKLINK_TITLE": "Revenir à l’appel de note {}"}},
    "pymdownx.tilde": {"subscript": False},
}
"""What the extensions write that a reader sees, in French: a footnote's link back to where
it is called has a title (its tooltip, and what assistive technology reads beside « ↩ »),
in English by default (« Jump back to footnote 1 in the text »). Text between single tildes
(`H~2~O`) is left as written, where pymdownx.tilde would make it a subscript and GitHub
strikes it out: the site and the preview would disagree either way."""


@functools.cache
def _parser() -> markdown.Markdown:
    # Building a Markdown instance costs more than converting a short write-up: make one per
    # process and reset it between documents (reset() clears every per-document state).
    md = stock_parser()
    _quick_brackets(md)
    return md


def stock_parser() -> markdown.Markdown:
    """Python-Markdown as the write-ups are written for it (EXTENSIONS, EXTENSION_CONFIGS),
    without this module's quick link brackets: what tests and the Markdown benchmark
    compare them with."""
    # Imported here, as nh3 below: a build where no text changed renders none (20 ms less).
    import markdown

    return markdown.Markdown(
        extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html"
    )


BRACKETED = {
    "reference": 170,
    "link": 160,
    "image_link": 150,
    "image_reference": 140,
    "short_reference": 130,
    "short_image_ref": 125,
}
"""Python-Markdown's inline processors that read a text in brackets (`getText`), with the
priorities it registers them at (markdown.inlinepatterns.build_inlinepatterns);
tests/test_markup.py checks that the order of the processors is the library's."""

_BRACKET = re.compile(r"[\[\]]")


def bracket_ends(data: str) -> dict[int, int]:
    """Each index just after a `[` of `data` whose bracket closes → the index just after
    the `]` that closes it (brackets nest)."""
    ends: dict[int, int] = {}
    opened: list[int] = []
    for match in _BRACKET.finditer(data):
        at = match.start()
        if data[at] == "[":
            opened.append(at + 1)
        elif opened:
            ends[opened.pop()] = at + 1
    return ends


def _quick_brackets(md: markdown.Markdown) -> None:
    """Python-Markdown's link processors, each finding where its text in brackets ends
    from the brackets only, through its public API (a subclass of the processor, registered
    under the same name and priority).

    Python-Markdown 3.11 finds the closing bracket of every index of a paragraph at once,
    one character at a time in Python, and again after each link it replaces (the
    paragraph's text changes): the same answer from a regular expression over the
    brackets takes about a tenth of a write-up's Markdown time, more in one with many
    links (docs/benchmarks.md « Markdown »). `getText` is the library's public method for
    it; anything but the text after a `[` is left to the library's own."""
    for name, priority in BRACKETED.items():
        stock = md.inlinePatterns[name]
        md.inlinePatterns.register(_quick(type(stock))(stock.pattern, md), name, priority)


def _quick(base: type[Any]) -> type[Any]:
    class Quick(base):  # type: ignore[misc]
        _found: tuple[str, dict[int, int]] | None = None
        """The paragraph's text last seen, and its brackets' ends."""

        def getText(self, data: str, index: int) -> tuple[str, int, bool]:
            if index == 0 or data[index - 1] != "[":
                return super().getText(data, index)  # type: ignore[no-any-return]
            found = self._found
            if found is None or found[0] is not data:  # the paragraph's text changed since
                found = self._found = (data, bracket_ends(data))
            end = found[1].get(index)
            if end is None:
                return data[index:], len(data), False
            return data[index : end - 1], end, True

    Quick.__name__ = Quick.__qualname__ = f"Quick{base.__name__}"
    return Quick


def convert(body: str) -> str:
    """Markdown → HTML, before cleaning: the library's, with quick link brackets."""
    return _parser().reset().convert(body)


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
    import nh3

    return nh3.Cleaner(
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(body: str) -> str:
    """Markdown → sanitized HTML; headings nest under the page's `h1` (see nest_headings),
    images from other sites are left out (see `external_images`), ids are prefixed (see
    `prefix_ids`)."""
    return render(body)[0]


class Rendered(NamedTuple):
    """A write-up as a page shows it, and what its text asked for that the page leaves out:
    the images of other sites (their addresses), and what the sanitizer drops (`Dropped`),
    each in its order."""

    html: str
    external: tuple[str, ...]
    dropped: tuple[Dropped, ...]


def render(body: str) -> Rendered:
    """`render_markdown`, and what it left out."""
    converted = convert(body)
    html, external = drop_external_images(clean_html(converted))
    return Rendered(prefix_ids(html), external, dropped(converted))


# --- what the sanitizer drops ----------------------------------------------------------------


class Dropped(NamedTuple):
    """Something of a write-up that its page leaves out: what to look for in its text (a
    tag's `<name`, a link's address, as written), and why, in French."""

    written: str
    message: str


_EMBEDS = frozenset({
    "iframe", "frame", "frameset", "object", "embed", "applet", "video", "audio", "picture",
    "source", "track", "canvas", "map", "area", "form", "input", "button", "select",
    "textarea", "noscript", "link", "meta", "base",
})  # fmt: skip
"""What a page would load or run from elsewhere, or ask a reader to fill in: dropped."""
_CODE_TAGS = frozenset({"script", "style", "template", "svg"})
"""Dropped with what they hold (nh3's `clean_content_tags`, and foreign content)."""
_DROPPED_TAGS = _EMBEDS | _CODE_TAGS
_TAG_NAME = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)")
_SCHEME_AFTER_EQUALS = re.compile(r"""=\s*["']?\s*([a-zA-Z][a-zA-Z0-9+.-]*):""")
"""Where an attribute's value may start with a scheme: a first look, ten times quicker than
_ANY_ADDRESS, which reads the values only where it finds one not in _SCHEMES."""
_ANY_ADDRESS = re.compile(r"""\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)


def dropped(converted: str) -> tuple[Dropped, ...]:
    """What the sanitizer leaves out of Markdown's HTML that an editor meant to show: an
    embedded player, map or form (a page loads nothing from elsewhere), a script or a style
    (and what they hold), a link whose scheme is not one of _SCHEMES (`javascript:`). Each
    kind of tag and each address once. Tags nh3 unwraps (`span`, `div`, `font`) keep their
    text and are not said."""
    found: dict[str, Dropped] = {}
    tags = _DROPPED_TAGS.intersection(map(str.lower, _TAG_NAME.findall(converted)))
    lowered = converted.lower() if tags else ""
    for tag in sorted(tags, key=lambda tag: lowered.find(f"<{tag}")):
        if tag in _CODE_TAGS:
            why = (
                f"`<{tag}>` n’est pas publié, ni ce qu’il contient : un texte ne porte ni "
                "programme, ni style, ni dessin ; retirez-le"
            )
        else:
            why = (
                f"`<{tag}>` n’est pas publié : un texte n’intègre rien (vidéo, carte, "
                "formulaire…), qui ne s’afficherait pas hors ligne ; faites plutôt un lien "
                "vers la page qui le montre (`[titre](https://…)`)"
            )
        found[tag] = Dropped(f"<{tag}", why)
    schemes = {scheme.lower() for scheme in _SCHEME_AFTER_EQUALS.findall(converted)}
    if schemes <= _SCHEMES:
        return tuple(found.values())
    for match in _ANY_ADDRESS.finditer(converted):
        written = htmllib.unescape(next(g for g in match.groups() if g is not None))
        scheme = _SCHEME.match(written.strip(_AROUND).translate(_INSIDE))
        if scheme is None or scheme.group(1).lower() in _SCHEMES or written in found:
            continue
        shown = written if len(written) <= 60 else written[:59] + "…"
        found[written] = Dropped(
            written,
            f"le lien « {shown} » n’est pas publié (son texte reste, sans lien) : une "
            "adresse commence par https://, http://, mailto: ou tel:",
        )
    return tuple(found.values())


# --- ids and images ------------------------------------------------------------------------

ID_PREFIX = "r-"
"""Before every id a write-up writes (`{#ancre}`, `id="…"`, footnotes): the page's own ids
(`contenu`, `actions`…) never start with it, so the two can never collide."""

_TAG = re.compile(r'<([a-z][a-z0-9]*)((?:\s+[^\s"\'>/=]+(?:="[^"]*")?)*)\s*/?>')
"""A start tag as nh3 writes it: every attribute value double-quoted, `"` escaped inside."""
_ID = re.compile(r'(\sid=")([^"]*)"')
_HREF = re.compile(r'(\shref="#)([^"]*)"')
_SRC = re.compile(r'\ssrc="([^"]*)"')
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>\n?")
"""What an image alone in its paragraph leaves when it is dropped."""
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|[/\\]{2})", re.IGNORECASE)
"""A scheme (`https:`), or two slashes (`//site`, which a browser reads as `\\\\site` too)."""


def prefix_ids(html: str) -> str:
    """Every id of a write-up prefixed with ID_PREFIX, and the links to them within it."""
    if ' id="' not in html:
        return html
    ids = {match.group(2) for match in _ID.finditer(html)}

    def tag(match: re.Match[str]) -> str:
        attributes = _ID.sub(lambda m: f'{m.group(1)}{ID_PREFIX}{m.group(2)}"', match.group(2))
        attributes = _HREF.sub(
            lambda m: f'{m.group(1)}{ID_PREFIX}{m.group(2)}"' if m.group(2) in ids else m.group(),
            attributes,
        )
        return match.group().replace(match.group(2), attributes, 1)

    return _TAG.sub(tag, html)


_AROUND = "\x20" + "".join(map(chr, range(32)))
_INSIDE = str.maketrans("", "", "\t\n\r")


def external_source(src: str) -> bool:
    """Whether an image's address leads to another site, read as a browser reads it (the
    WHATWG URL standard): without the spaces and control characters around it, nor the
    tabs and line breaks inside it (`h⏎ttps://site`, `/⏎/site`)."""
    return _EXTERNAL.match(src.strip(_AROUND).translate(_INSIDE)) is not None


def drop_external_images(html: str) -> tuple[str, tuple[str, ...]]:
    """The HTML without the images that other sites would serve (a tracking pixel; nothing a
    reader offline can see), and their addresses. nh3 already drops frames, objects and
    styles: `img` is the one allowed tag that loads anything."""
    if "<img" not in html:
        return html, ()
    dropped: list[str] = []

    def image(match: re.Match[str]) -> str:
        if match.group(1) != "img":
            return match.group()
        src = _SRC.search(match.group(2))
        if src is None or not external_source(src.group(1)):
            return match.group()
        dropped.append(src.group(1).replace("&amp;", "&"))
        return ""

    html = _TAG.sub(image, html)
    return (_EMPTY_PARAGRAPH.sub("", html) if dropped else html), tuple(dropped)


def address_at(body: str, address: str, start: int = 0) -> tuple[int, int, int]:
    """Where a write-up gives an address: its line and column (both from 1), looking from
    `start` first (the same address twice), and where to look for the next one."""
    at = body.find(address, start)
    if at < 0:
        at = body.find(address)
    if at < 0:
        return 1, 1, start
    return body.count("\n", 0, at) + 1, at - body.rfind("\n", 0, at), at + len(address)


# --- links to the source's files -------------------------------------------------------------

SOURCE_SCHEME = "source:"
"""What a link to another file of the source (`[Méthode](methode.md)`) holds in a write-up's
HTML, `source:content/pages/methode.md`, until the page that shows the write-up makes it a
link from there (site/sourcelinks.py). nh3 keeps no scheme but _SCHEMES: in sanitized HTML,
only this module writes it."""

_LINK_ADDRESS = re.compile(r'\shref="([^"]*)"')


class Address(NamedTuple):
    """A relative address of a write-up's link: as the HTML writes it, and as the write-up
    wrote it (`&amp;` is `&`)."""

    raw: str
    written: str


def relative_links(html: str) -> list[Address]:
    """The links of sanitized HTML that lead to no other site nor to an anchor of the page:
    relative addresses, in their order."""
    if 'href="' not in html:
        return []
    found = (_relative(match.group(1)) for match in _LINK_ADDRESS.finditer(html))
    return [address for address in found if address is not None]


def relative_images(html: str) -> list[Address]:
    """The images of sanitized HTML whose address is relative (the others are dropped:
    `drop_external_images`), in their order."""
    if "<img" not in html:
        return []
    sources = (_SRC.search(m.group(2)) for m in _TAG.finditer(html) if m.group(1) == "img")
    found = (_relative(src.group(1)) for src in sources if src is not None)
    return [address for address in found if address is not None]


def _relative(raw: str) -> Address | None:
    """An address as sanitized HTML writes it, when it leads neither to another site nor to
    an anchor of the page."""
    written = htmllib.unescape(raw)
    if written.strip(_AROUND) and not written.startswith("#") and not external_source(written):
        return Address(raw, written)
    return None


def link_to_source(html: str, raw: str, target: str, fragment: str) -> str:
    """`html` with its links to `raw` (as the HTML writes it) leading to the source file
    `target` and its `fragment` (without `#`), until a page makes them relative."""
    anchor = f"#{fragment}" if fragment else ""
    value = htmllib.escape(f"{SOURCE_SCHEME}{target}{anchor}")
    return html.replace(f' href="{raw}"', f' href="{value}"')


# --- what one write-up may cost ------------------------------------------------------------

MAX_DEPTH = 10
"""Lists and block quotes nested in each other in Markdown; and, apart, HTML blocks (lists,
quotes, tables, `div`…) nested in each other."""
MAX_BYTES = 100_000
"""A write-up's text, in bytes of UTF-8: twenty times the longest of the example content."""
MAX_BLOCK = 10_000
"""A paragraph, list or table written without a blank line, in characters."""
MAX_LINKS = 100
"""Links and images (`](`) in one paragraph, list or table written without a blank line."""


class Limit(NamedTuple):
    """A write-up over one of the limits: where (line and column from its first line, both
    from 1), and the message."""

    line: int
    col: int
    message: str


_FENCE = re.compile(
    r"""(~{3,}|`{3,})[ ]*(?:\{.*\}|(?:\.?[\w#.+-]*[ ]*)?(?:hl_lines=(["']).*?\2[ ]*)?)$"""
)
"""An opening fence as Python-Markdown's fenced_code reads one: at the start of a line, with
an optional language or attributes; what it opens ends at the same fence alone on a line. A
fence it would not read is not skipped: the lines after it are Markdown to it."""
_RULE = re.compile(r"[ ]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
"""A horizontal rule (`- - -`), not three nested list markers."""
_QUOTE_OR_LIST = re.compile(r"[ \t]*(?:>|(?:[*+-]|\d+\.)(?:[ \t]|$))")
_CONTAINER = re.compile(
    r"<(/?)(?:blockquote|ul|ol|dl|div|table|section|article|aside|details|figure)\b",
    re.IGNORECASE,
)
_DEEP_UNITS = f"[ \t>*+.\\d-]{{{MAX_DEPTH}}}"
_DEEP_FIRST = re.compile(_DEEP_UNITS)
_DEEP = re.compile(f"\n{_DEEP_UNITS}")
"""A line that may nest more than MAX_DEPTH deep: each level takes at least one of these
characters (a `>`, a list marker, a tab, four spaces). A write-up without one, and with few
HTML containers, needs no look line by line. (`\\n`, not `^` with re.MULTILINE: the search
then jumps from line to line, six times faster.)"""


def limits(body: str) -> list[Limit]:
    """The limits a write-up goes over, each at the first line that does: checked before
    rendering, so that what goes over them is never rendered."""
    found: list[Limit] = []
    if len(body) * 4 > MAX_BYTES and len(body.encode("utf-8")) > MAX_BYTES:
        found.append(_too_long(body))
    deep = (
        _DEEP_FIRST.match(body) is not None
        or _DEEP.search(body) is not None
        or len(_CONTAINER.findall(body)) > MAX_DEPTH
    )
    if not deep and len(body) <= MAX_BLOCK and body.count("](") <= MAX_LINKS:
        return found
    depth_reported = block_reported = links_reported = False
    html_depth = 0
    for number, line, block_start, block_size, links in _lines(body):
        if not depth_reported:
            html_depth = _html_depth(line, html_depth)
            if html_depth > MAX_DEPTH or _line_depth(line) > MAX_DEPTH:
                depth_reported = True
                found.append(Limit(number, 1, _DEPTH))
        if not block_reported and block_size > MAX_BLOCK:
            block_reported = True
            found.append(Limit(block_start, 1, _BLOCK))
        if not links_reported and links > MAX_LINKS:
            links_reported = True
            found.append(Limit(block_start, 1, _LINKS))
        if depth_reported and block_reported and links_reported:
            break
    return found


_DEPTH = (
    f"listes et citations imbriquées sur plus de {MAX_DEPTH} niveaux : regroupez-les sur "
    "moins de niveaux (un niveau de liste, c’est quatre espaces de retrait ; de citation, un `>`)"
)
_BLOCK = (
    f"ce paragraphe (ou cette liste, ce tableau) dépasse {format_int(MAX_BLOCK)} "
    "caractères sans ligne vide : coupez-le par des lignes vides"
)
_LINKS = (
    f"ce paragraphe (ou cette liste, ce tableau) a plus de {MAX_LINKS} liens ou images, "
    "ou des liens non fermés (`[texte](` sans `)`) : vérifiez les parenthèses, ou coupez-le "
    "par des lignes vides"
)


def _too_long(body: str) -> Limit:
    size = 0
    for number, line in enumerate(body.split("\n"), 1):
        size += len(line.encode("utf-8")) + 1
        if size > MAX_BYTES:
            return Limit(
                number,
                1,
                f"le texte dépasse {MAX_BYTES // 1000} ko à partir d’ici : gardez l’essentiel, "
                "ou répartissez-le en plusieurs pages",
            )
    return Limit(1, 1, "")  # pragma: no cover - the caller measured it over


def _lines(body: str) -> Iterator[tuple[int, str, int, int, int]]:
    """Each line outside fenced code, with the first line, the size so far and the links so
    far of its paragraph (lines without a blank one between them)."""
    lines = body.split("\n")
    closings: dict[str, list[int]] = {}
    for number, line in enumerate(lines):
        if line.startswith(("```", "~~~")) and not line.rstrip(" ").lstrip(line[0]):
            closings.setdefault(line.rstrip(" "), []).append(number)
    block_start, block_size, links = 0, 0, 0
    index = 0
    while index < len(lines):
        line = lines[index]
        fence = _FENCE.match(line) if line.startswith(("```", "~~~")) else None
        if fence is not None:
            after = closings.get(fence.group(1), [])
            close = bisect.bisect_right(after, index)
            if close < len(after):
                index = after[close] + 1
                block_start, block_size, links = 0, 0, 0
                continue
        if not line.strip():
            block_start, block_size, links = 0, 0, 0
        else:
            if not block_start:
                block_start = index + 1
            block_size += len(line) + 1
            links += line.count("](")
            yield index + 1, line, block_start, block_size, links
        index += 1


def _line_depth(line: str) -> int:
    """How deep a line nests lists and block quotes: one level a `>`, one a list marker, one
    each four columns of indentation before a marker (a tab counts four)."""
    if _RULE.match(line):
        return 0
    depth = 0
    position = 0
    while True:
        marker = _QUOTE_OR_LIST.match(line, position)
        if marker is None:
            return depth
        indent = line[position : marker.end()].expandtabs(4)
        columns = len(indent) - len(indent.lstrip(" \t"))
        depth += 1 + columns // 4
        position = marker.end()


def _html_depth(line: str, depth: int) -> int:
    for match in _CONTAINER.finditer(line):
        depth = max(0, depth - 1) if match.group(1) else depth + 1
    return depth
