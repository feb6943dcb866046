"""The label's panel (« s'afficher »): one picture per collectivité and edition it was
labelled in, as SVG and as PNG, in the site's own colours (layouts/static/style.css), never a
copy of the association's artwork.

One function lays the panel out (`layout`: every text with its position and size, every
shape); two draw it, `svg` as text and `png` with Pillow. Long names are wrapped and shrunk
with the metrics of the font the PNG is drawn with (DejaVu Sans, a subset shipped in
palmares/data/, see POLICES.md), which is wider than the fonts a browser picks for the SVG:
what fits in the PNG fits in the SVG. Both are deterministic: the same label, name and
organisation give the same bytes.
"""

from __future__ import annotations

import functools
import io
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont, features

from palmares import resources
from palmares.content.model import Commune, Label
from palmares.site import urls
from palmares.site.figures.maps import arobases_label
from palmares.site.meta import LABEL_NAME
from palmares.text import NBSP

WIDTH = 600
HEIGHT = 300
MARGIN = 24

# The site's colours (style.css, light theme): a picture has no dark mode of its own.
BRAND = "#0b4f6c"
ACCENT = "#c2410c"
PAPER = "#ffffff"
INK = "#1b1f24"
ON_BRAND = (PAPER, BRAND)

FONTS = ("'DejaVu Sans'", "Verdana", "'Segoe UI'", "Arial", "sans-serif")
"""The PNG's font first (its metrics lay the panel out), then as wide or narrower ones."""

RENDERER = f"Pillow {features.version('pil')} zlib {features.version('zlib')}"
"""What the PNG's bytes depend on besides the layout: part of each panel's key."""


@dataclass(frozen=True, slots=True)
class Text:
    """One line of text, centred on `x`, its baseline at `y`."""

    x: float
    y: float
    size: int
    bold: bool
    fill: str
    text: str
    ground: str
    """The colour under all of it: its edges blend the two (the PNG's palette has the
    blends, and `png` blends them with this colour, not with what the shapes put there)."""


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    fill: str
    radius: float = 0


@dataclass(frozen=True, slots=True)
class Disc:
    cx: float
    cy: float
    r: float
    fill: str


@dataclass(frozen=True, slots=True)
class Layout:
    width: int
    height: int
    shapes: tuple[Box | Disc, ...]
    texts: tuple[Text, ...]
    alt: str
    """The panel's text alternative (its <title>, the snippet's alt)."""
    common: int = 0
    """How many of the first texts are the same on every panel with these shapes (the
    label's name, the @): the PNG draws them once for all those panels."""


def alt_text(label: Label) -> str:
    """« Label Territoires, Villes et Villages Internet 2026 : 4 @ », and the mention."""
    level = arobases_label(label.arobases)
    mention = f", {label.mention}" if label.mention else ""
    return f"{LABEL_NAME} {label.annee}{NBSP}: {level}{mention}"


# --- the layout, shared by both drawings -------------------------------------------------------


@functools.cache
def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    name = "panneau-bold.ttf" if bold else "panneau-regular.ttf"
    # BASIC: the same advances whether or not this Pillow was built with libraqm.
    return ImageFont.truetype(str(resources.data(name)), size, layout_engine=ImageFont.Layout.BASIC)


_ADVANCES: dict[tuple[str, int, bool], float] = {}


def _width(text: str, size: int, bold: bool) -> float:
    """The width `text` is drawn at: the sum of its characters' advances (the basic layout
    does not kern), each measured once: laying out 9 000 panels measures many lines."""
    total = 0.0
    for ch in text:
        advance = _ADVANCES.get((ch, size, bold))
        if advance is None:
            advance = _ADVANCES[ch, size, bold] = _font(size, bold).getlength(ch)
        total += advance
    return total


_BREAK = re.compile(r"[^\s-]+-*|-+")


def _pieces(text: str) -> list[tuple[str, str]]:
    """`text` cut where a line may end: after a space (kept as the joiner) or a hyphen."""
    found: list[tuple[str, str]] = []
    for word in text.split():
        parts = _BREAK.findall(word) or [word]
        found += [(part, "") for part in parts[:-1]]
        found.append((parts[-1], " "))
    return found


def _wrap(text: str, size: int, bold: bool, width: float) -> list[str]:
    """Greedy lines of at most `width` (a piece longer than that gets a line of its own)."""
    lines: list[str] = []
    current = ""
    joiner = ""
    for piece, after in _pieces(text):
        candidate = current + joiner + piece if current else piece
        if current and _width(candidate, size, bold) > width:
            lines.append(current)
            candidate = piece
        current, joiner = candidate, after
    if current:
        lines.append(current)
    return lines


def _shorten(line: str, size: int, bold: bool, width: float) -> str:
    """`line` cut to fit in `width`, with an ellipsis: its longest start (trailing spaces
    dropped) that fits, found by halving, since a longer start is never narrower (cut a
    character at a time, a name of 100 000 characters took minutes)."""

    def start(end: int) -> str:
        return line if end == len(line) else line[:end].rstrip()

    def fits(end: int) -> bool:
        return _width(start(end) + "…", size, bold) <= width

    low, high = 0, len(line)  # the longest start that fits ends in low..high
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return start(low) + "…"


def fit(
    text: str, *, bold: bool, width: float, height: float, sizes: Sequence[int], leading: float
) -> tuple[int, list[str]]:
    """The largest of `sizes` at which `text`, wrapped, fits in `width` × `height` (lines
    `leading` times the size apart); at the smallest, the lines that fit, the last one cut
    with an ellipsis."""
    for size in sizes:
        lines = _wrap(text, size, bold, width)
        tall = size + (len(lines) - 1) * size * leading
        if tall <= height and all(_width(line, size, bold) <= width for line in lines):
            return size, lines
    size = sizes[-1]
    lines = _wrap(text, size, bold, width)
    room = max(1, int((height - size) // (size * leading)) + 1)
    kept = [
        line if _width(line, size, bold) <= width else _shorten(line, size, bold, width)
        for line in lines[:room]
    ]
    if len(lines) > room:
        kept[-1] = _shorten(" ".join(lines[room - 1 :]), size, bold, width)
    return size, kept


def _lines(
    lines: Sequence[str],
    size: int,
    bold: bool,
    colours: tuple[str, str],
    centre: float,
    leading: float,
) -> list[Text]:
    """`lines` centred on the height `centre` (from the baselines' cap height)."""
    fill, ground = colours
    step = size * leading
    first = centre - (len(lines) - 1) * step / 2 + size * 0.36
    return [
        Text(WIDTH / 2, round(first + i * step, 1), size, bold, fill, line, ground)
        for i, line in enumerate(lines)
    ]


def layout(label: Label, commune: str, organisation: str) -> Layout:
    """The panel of `label` for the collectivité named `commune`, given by `organisation`."""
    inner = WIDTH - 2 * MARGIN
    texts: list[Text] = []
    shapes: list[Box | Disc] = [
        Box(0, 0, WIDTH, HEIGHT, BRAND),
        Box(0, 0, WIDTH, 8, ACCENT),
    ]
    size, lines = fit(
        organisation, bold=False, width=inner, height=16, sizes=(15, 14, 13, 12), leading=1.2
    )
    texts += _lines(lines[:1], size, False, ON_BRAND, 32, 1.2)
    size, lines = fit(
        LABEL_NAME, bold=True, width=inner, height=24, sizes=(22, 21, 20, 19, 18), leading=1.2
    )
    texts += _lines(lines[:1], size, True, ON_BRAND, 60, 1.2)

    # The @ drawn as @ signs, each in a disc like the site's header; a mention without @
    # (the first editions) written instead.
    row = 110
    if label.arobases:
        r, step = 27, 66
        left = WIDTH / 2 - (label.arobases - 1) * step / 2
        for i in range(label.arobases):
            cx = left + i * step
            shapes.append(Disc(cx, row, r, PAPER))
            texts.append(Text(cx, row + 13, 36, True, BRAND, "@", PAPER))
    else:
        size, lines = fit(
            "mention simple", bold=True, width=inner, height=30, sizes=(28,), leading=1.2
        )
        texts += _lines(lines, size, True, ON_BRAND, row, 1.2)

    # The collectivité's name on a band of paper, as large as it fits.
    band_top, band_height = 152, 92
    shapes.append(Box(MARGIN, band_top, inner, band_height, PAPER, radius=10))
    common = len(texts)
    size, lines = fit(
        commune,
        bold=True,
        width=inner - 32,
        height=band_height - 22,
        sizes=tuple(range(34, 13, -2)),
        leading=1.15,
    )
    texts += _lines(lines, size, True, (INK, PAPER), band_top + band_height / 2, 1.15)

    # The year, and the mention when there is one.
    year = str(label.annee) + (f" · {label.mention}" if label.mention else "")
    size, lines = fit(
        year, bold=True, width=inner, height=30, sizes=tuple(range(26, 13, -2)), leading=1.2
    )
    texts += _lines(lines, size, True, ON_BRAND, 272, 1.2)
    return Layout(WIDTH, HEIGHT, tuple(shapes), tuple(texts), alt_text(label), common)


# --- the two drawings ------------------------------------------------------------------------


def _n(value: float) -> str:
    """A coordinate as short as it reads: 12, 12.5."""
    return f"{value:.1f}".removesuffix(".0")


def svg(panel: Layout) -> bytes:
    """The panel as a standalone SVG file: its title and label for assistive technologies,
    every text escaped, sizes explicit, no external reference."""
    # Here, not above: xml.sax.saxutils imports urllib.request and ssl (12 ms), which a
    # build that draws no panel (one write-up changed) need not pay.
    from xml.sax.saxutils import escape, quoteattr

    w, h = panel.width, panel.height
    fonts = ", ".join(FONTS).replace("'", "&apos;")
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" role="img" aria-label={quoteattr(panel.alt)}>\n',
        f"<title>{escape(panel.alt)}</title>\n",
    ]
    for shape in panel.shapes:
        if isinstance(shape, Disc):
            out.append(
                f'<circle cx="{_n(shape.cx)}" cy="{_n(shape.cy)}" r="{_n(shape.r)}" '
                f'fill="{shape.fill}"/>\n'
            )
        else:
            rounded = f' rx="{_n(shape.radius)}"' if shape.radius else ""
            out.append(
                f'<rect x="{_n(shape.x)}" y="{_n(shape.y)}" width="{_n(shape.w)}" '
                f'height="{_n(shape.h)}"{rounded} fill="{shape.fill}"/>\n'
            )
    out.append(f'<g font-family="{fonts}" text-anchor="middle" aria-hidden="true">\n')
    for t in panel.texts:
        weight = ' font-weight="bold"' if t.bold else ""
        out.append(
            f'<text x="{_n(t.x)}" y="{_n(t.y)}" font-size="{t.size}"{weight} '
            f'fill="{t.fill}">{escape(t.text)}</text>\n'
        )
    out.append("</g>\n</svg>\n")
    return "".join(out).encode("utf-8")


BLENDS = 8
"""Steps between a text's colour and its ground in the PNG's palette: enough for smooth
edges, few enough for a small file."""


def _palette(shapes: Sequence[Box | Disc], pairs: Sequence[tuple[str, str]]) -> Image.Image:
    """The PNG's colours, fixed by the layout (never chosen from the pixels, which is slower
    and may vary): each shape's, and the blends of each text's colour with its ground."""
    colours: list[tuple[int, int, int]] = []

    def add(colour: tuple[int, int, int]) -> None:
        if colour not in colours:
            colours.append(colour)

    for shape in shapes:
        add(_rgb(shape.fill))
    for fill, ground in pairs:
        a, b = _rgb(fill), _rgb(ground)
        for i in range(BLENDS + 1):
            add(
                (
                    round(a[0] + (b[0] - a[0]) * i / BLENDS),
                    round(a[1] + (b[1] - a[1]) * i / BLENDS),
                    round(a[2] + (b[2] - a[2]) * i / BLENDS),
                )
            )
    palette = Image.new("P", (1, 1))
    palette.putpalette([v for colour in colours for v in colour])
    return palette


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def png(panel: Layout) -> bytes:
    """The same panel drawn by Pillow, in a palette of a few colours; no metadata (no date,
    no text chunk), so the same layout gives the same bytes.

    Drawn as palette indices, from parts made once: what panels with the same shapes share
    (`_ground`) and each other line of text (`_indexed`: a collectivité's name is the same
    on all its panels, a year on everyone's). The bytes are those of drawing the whole panel
    in RGB, then mapping each pixel to the palette (`quantize`), as `png` did before: 1,3 ms
    a panel then, 0,65 ms now, of which zlib and the file 0,48 ms (docs/benchmarks.md,
    « The label's panels »)."""
    pairs = tuple(sorted({(t.fill, t.ground) for t in panel.texts}))
    ground = _ground(panel.width, panel.height, panel.shapes, panel.texts[: panel.common], pairs)
    image = ground.indices.copy()
    for t in panel.texts[panel.common :]:
        image.paste(*_indexed(t, ground.tables[t.fill, t.ground]))
    image.putpalette(ground.palette)  # "L" → "P": the indices take their colours
    out = io.BytesIO()
    # zlib's level 3: 0,4 ms and 5,7 KB a panel, where the default (6) takes 1,1 ms for
    # 4,3 KB and level 9 8 ms for 3,9 KB; levels 1 and 2 save under 0,1 ms for 6,4 and
    # 6,0 KB.
    image.save(out, "PNG", compress_level=3, pnginfo=None)
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class _Ground:
    """What panels with the same shapes and first texts start from."""

    indices: Image.Image
    """Mode "L", each pixel the index of its colour in `palette`; never modified: each
    panel draws on a copy."""
    palette: bytes
    tables: dict[tuple[str, str], bytes]
    """For each text colour and ground: a pixel's coverage by the text (0 to 255) → the
    index of its colour."""


@functools.lru_cache(maxsize=32)
def _ground(
    width: int,
    height: int,
    shapes: tuple[Box | Disc, ...],
    texts: tuple[Text, ...],
    pairs: tuple[tuple[str, str], ...],
) -> _Ground:
    palette = _palette(shapes, pairs)
    image = Image.new("RGB", (width, height), PAPER)
    _draw(image, shapes, texts)
    indices = image.quantize(palette=palette, dither=Image.Dither.NONE).tobytes()
    # Every coverage, drawn in a text's colour over its ground as `draw.text` blends them,
    # then mapped to the palette as `quantize` maps any pixel.
    coverages = Image.frombytes("L", (256, 1), bytes(range(256)))
    tables = {}
    for fill, ground in pairs:
        blends = Image.new("RGB", (256, 1), ground)
        ImageDraw.Draw(blends).bitmap((0, 0), coverages, fill=fill)
        tables[fill, ground] = blends.quantize(palette=palette, dither=Image.Dither.NONE).tobytes()
    return _Ground(
        Image.frombytes("L", (width, height), indices), bytes(palette.getpalette() or ()), tables
    )


def _draw(image: Image.Image, shapes: Sequence[Box | Disc], texts: Sequence[Text]) -> None:
    """`shapes` then `texts` drawn on `image`, in RGB."""
    draw = ImageDraw.Draw(image)
    for shape in shapes:
        if isinstance(shape, Disc):
            box = (shape.cx - shape.r, shape.cy - shape.r, shape.cx + shape.r, shape.cy + shape.r)
            draw.ellipse(box, fill=shape.fill)
        else:
            corners = (shape.x, shape.y, shape.x + shape.w - 1, shape.y + shape.h - 1)
            draw.rounded_rectangle(corners, radius=shape.radius, fill=shape.fill)
    for t in texts:
        font = _font(t.size, t.bold)
        draw.text((t.x, t.y), _drawable(t.text), fill=t.fill, font=font, anchor="ms")


@functools.lru_cache(maxsize=128)
def _indexed(t: Text, table: bytes) -> tuple[Image.Image, tuple[int, int], Image.Image]:
    """`t` as palette indices (`table`: a pixel's coverage → its colour's index) in a box
    of its own, where that box goes on the panel, and the mask of the pixels it covers.
    Drawn at the same fraction of a pixel as on the panel, so the same pixels: a name once
    for all the panels of its collectivité, a year once for all the panels with @ (their
    tables are the same bytes). Up to 128 boxes of about 25 KB at most are kept."""
    font = _font(t.size, t.bold)
    shown = _drawable(t.text)
    left, top, right, bottom = font.getbbox(shown, anchor="ms")
    # A pixel of margin around the box, for the rounding of where the glyphs fall.
    x0, y0 = math.floor(t.x + left) - 1, math.floor(t.y + top) - 1
    coverage = Image.new("L", (math.ceil(right - left) + 3, math.ceil(bottom - top) + 3))
    ImageDraw.Draw(coverage).text((t.x - x0, t.y - y0), shown, fill=255, font=font, anchor="ms")
    inked = coverage.point(lambda v: 255 if v else 0, "1")
    return coverage.point(list(table)), (x0, y0), inked


COVERED = frozenset(
    chr(c)
    for first, last in ((0x20, 0x7E), (0xA0, 0x17F), (0x2010, 0x2027), (0x2039, 0x203A))
    for c in range(first, last + 1)
) | {"\u202f", "€"}
"""The characters of the PNG's font (palmares/data/POLICES.md: the same ranges)."""


def _drawable(text: str) -> str:
    """`text` in the PNG's font: a letter it lacks drawn as its base letter (ǎ → a), or « ? »."""
    if all(ch in COVERED for ch in text):
        return text
    out = []
    for ch in text:
        if ch in COVERED:
            out.append(ch)
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if c in COVERED)
            out.append(base or "?")
    return "".join(out)


# --- the site's files and the page's context ---------------------------------------------------


def files(c: Commune, organisation: str) -> list[tuple[str, bytes]]:
    """Every panel of `c`, one per label, as SVG and as PNG (an SVG takes about 0,1 ms to
    make and 1,3 KB, a PNG 0,65 ms and 5,6 KB: docs/benchmarks.md, « The label's panels »)."""
    found: list[tuple[str, bytes]] = []
    for label in c.labels:
        panel = layout(label, c.nom, organisation)
        found.append((urls.panel(c, label.annee, "svg"), svg(panel)))
        found.append((urls.panel(c, label.annee, "png"), png(panel)))
    return found


def share_image(c: Commune) -> dict[str, object] | None:
    """The latest panel of `c` as the image of its page on a social network (OpenGraph):
    its path under the site's root, its text alternative and its size; None without a
    label."""
    if not c.labels:
        return None
    latest = c.labels[-1]
    path = urls.panel(c, latest.annee, "png")
    return {"path": path, "alt": alt_text(latest), "width": WIDTH, "height": HEIGHT}


def context(c: Commune, page: str) -> dict[str, object] | None:
    """The panels of `c` as its page (at `page`) shows and offers them, the latest first.
    Links are relative to the page's folder, where the panels are: the same name resolves
    against the page's public address, for the snippet to copy."""
    if not c.labels:
        return None
    editions = [
        {
            "annee": label.annee,
            "alt": alt_text(label),
            "svg": urls.sibling(page, urls.panel(c, label.annee, "svg")),
            "png": urls.sibling(page, urls.panel(c, label.annee, "png")),
        }
        for label in reversed(c.labels)
    ]
    return {"latest": editions[0], "editions": editions, "width": WIDTH, "height": HEIGHT}
