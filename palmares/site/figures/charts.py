"""Charts drawn at build time: geometry computed here, the SVG written by a template.

Every chart carries a title and a description, and the page shows the same data as a table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from palmares.site.search import POPULATION_BANDS as SEARCH_BANDS
from palmares.site.search import population_band as search_band
from palmares.text import format_int

BAR = 28
GAP = 10
HEIGHT = 150
TOP = 20
BOTTOM = 26
LEFT = 28
FIT = 344
"""The widest a chart is drawn: a phone's column (390 px, less the page's margins) shows it
at its own size, so its 12 px text stays 12 px. A chart that would be wider is drawn with
horizontal bars instead."""
FONT = 12
"""The size of every text of a chart, in pixels (layouts/static/style.css says the same)."""


def text_width(text: str) -> float:
    """How wide `text` is at FONT px in a sans-serif face, generously (DejaVu Sans, the
    widest of the usual ones): charts make room for their labels before any browser
    measures them."""
    return FONT * sum(_em(c) for c in text)


def _em(c: str) -> float:
    if c in " .,:;'’ilIj()":
        return 0.32
    if c in "mwMW@":
        return 0.92
    if c.isdigit():
        return 0.64
    return 0.72 if c.isupper() else 0.6


def bar_chart(
    items: Sequence[tuple[str, int]],
    *,
    maximum: int,
    title: str,
    unit: str,
    ident: str = "graphique",
) -> dict[str, Any]:
    """Vertical bars, one per item, on a scale from 0 to `maximum`; horizontal ones when
    vertical bars would not fit in FIT pixels (many editions)."""
    top = max([maximum, *(value for _, value in items)]) or 1
    ticks = sorted({0, top // 2, top}) if top > 5 else list(range(0, top + 1))
    left = max(LEFT, math.ceil(text_width(str(top))) + 8)  # room for the ticks' numbers
    width = left + len(items) * (BAR + GAP) + GAP
    if width > FIT:
        return hbar_chart(items, title=title, unit=unit, ident=ident, maximum=maximum)
    bars = []
    for i, (label, value) in enumerate(items):
        h = round(HEIGHT * value / top, 1)
        x = left + GAP + i * (BAR + GAP)
        bars.append(
            {
                "label": label,
                "value": value,
                "text": _text(value, unit),
                "x": x,
                "y": round(TOP + HEIGHT - h, 1),
                "w": BAR,
                "h": h,
                "cx": x + BAR / 2,
            }
        )
    return {
        "kind": "vbar",
        "id": ident,
        "title": title,
        "desc": _desc(bars),
        "width": width,
        "height": TOP + HEIGHT + BOTTOM,
        "base": TOP + HEIGHT,
        "left": left,
        "bars": bars,
        "ticks": [{"value": t, "y": round(TOP + HEIGHT - HEIGHT * t / top, 1)} for t in ticks],
    }


def _text(value: int, unit: str) -> str:
    return f"{format_int(value)}\u00a0{unit}" if unit else format_int(value)


def _desc(bars: Sequence[dict[str, Any]]) -> str:
    return " ; ".join(f"{b['label']} : {b['text']}" for b in bars)


HBAR_ROW = 24
HBAR_THICK = 16
HBAR_LABEL = 130
"""The widest labels written beside their bars; longer ones go on a line of their own above
their bar, so no label is cut and the bars keep their room."""


def hbar_chart(
    items: Sequence[tuple[str, int]],
    *,
    title: str,
    unit: str,
    ident: str,
    maximum: int = 0,
) -> dict[str, Any]:
    """Horizontal bars, one per item, FIT pixels wide; the value is written after each bar,
    the label before it, or above it when it is long."""
    top = max([maximum, *(value for _, value in items)]) or 1
    texts = [_text(value, unit) for _, value in items]
    room = max([text_width(t) for t in texts] or [0]) + 6
    longest = max([text_width(label) for label, _ in items] or [0])
    above = longest > HBAR_LABEL
    left = 0 if above else math.ceil(longest) + 6
    span = FIT - left - room
    row = HBAR_ROW + (FONT + 4 if above else 0)
    bars = []
    for i, ((label, value), text) in enumerate(zip(items, texts, strict=True)):
        y = TOP // 2 + i * row + (FONT + 4 if above else 0)
        w = round(span * value / top, 1)
        middle = y + HBAR_ROW / 2 + 4
        bars.append(
            {
                "label": label,
                "value": value,
                "text": text,
                "x": left,
                "y": y + (HBAR_ROW - HBAR_THICK) / 2,
                "w": w,
                "h": HBAR_THICK,
                # where the label is written, and how it is anchored
                "lx": 0 if above else left - 6,
                "ly": y - 2 if above else middle,
                "vx": round(left + w + 4, 1),
                "vy": middle,
            }
        )
    return {
        "kind": "hbar",
        "id": ident,
        "title": title,
        "desc": _desc(bars),
        "width": FIT,
        "height": TOP + len(items) * row,
        "left": left,
        "anchor": "start" if above else "end",
        "bars": bars,
    }


# --- charts with their table ------------------------------------------------------------------

Row = dict[str, Any]
"""One bar and one table row: `label` (plain text), `value`; optionally `url` (the row's
header links there) and `arobases` (the header shows the @ of a label)."""

POPULATION_BANDS = len(SEARCH_BANDS) + 1
"""How many population bands: the search page's (search.POPULATION_BANDS), so a reader
finds on an edition's chart the bands they filter by."""


def population_band(population: int | None) -> int | None:
    """The band of a population, 0 for the smallest; None when it is unknown."""
    band = search_band(population)
    return None if band < 0 else band


def population_band_label(index: int | None) -> str:
    if index is None:
        return "non renseignée"
    if index == 0:
        return f"moins de {format_int(SEARCH_BANDS[0])}\u00a0hab."
    if index == len(SEARCH_BANDS):
        return f"{format_int(SEARCH_BANDS[-1])}\u00a0hab. et plus"
    return f"de {format_int(SEARCH_BANDS[index - 1])} à {format_int(SEARCH_BANDS[index])}\u00a0hab."


def figure(
    rows: Sequence[Row],
    *,
    title: str,
    header: tuple[str, str],
    unit: str,
    ident: str,
    horizontal: bool,
    maximum: int = 0,
) -> dict[str, Any]:
    """A chart and the table of the same rows: the page shows both, drawn from one list."""
    items = [(str(row["label"]), int(row["value"])) for row in rows]
    svg = (
        hbar_chart(items, title=title, unit=unit, ident=ident, maximum=maximum)
        if horizontal
        else bar_chart(items, maximum=maximum, title=title, unit=unit, ident=ident)
    )
    table_rows = [
        {
            "label": row["label"],
            "value": row["value"],
            "url": row.get("url"),
            "arobases": row.get("arobases"),
        }
        for row in rows
    ]
    return {
        "id": ident,
        "kind": svg["kind"],
        "svg": svg,
        "table": {"caption": title, "header": list(header), "rows": table_rows},
    }
