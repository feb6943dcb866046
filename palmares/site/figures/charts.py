"""Charts drawn at build time: geometry computed here, the SVG written by a template.

Every chart carries a title and a description, and the page shows the same data as a table.
"""

from __future__ import annotations

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


def bar_chart(
    items: Sequence[tuple[str, int]],
    *,
    maximum: int,
    title: str,
    unit: str,
    ident: str = "graphique",
) -> dict[str, Any]:
    """Vertical bars, one per item, on a scale from 0 to `maximum`."""
    top = max([maximum, *(value for _, value in items)]) or 1
    width = LEFT + len(items) * (BAR + GAP) + GAP
    bars = []
    for i, (label, value) in enumerate(items):
        h = round(HEIGHT * value / top, 1)
        x = LEFT + GAP + i * (BAR + GAP)
        bars.append(
            {
                "label": label,
                "value": value,
                "text": f"{format_int(value)}\u00a0{unit}" if unit else format_int(value),
                "x": x,
                "y": round(TOP + HEIGHT - h, 1),
                "w": BAR,
                "h": h,
                "cx": x + BAR / 2,
            }
        )
    ticks = sorted({0, top // 2, top}) if top > 5 else list(range(0, top + 1))
    desc = " ; ".join(f"{b['label']} : {b['text']}" for b in bars)
    return {
        "id": ident,
        "title": title,
        "desc": desc,
        "width": width,
        "height": TOP + HEIGHT + BOTTOM,
        "base": TOP + HEIGHT,
        "left": LEFT,
        "bars": bars,
        "ticks": [{"value": t, "y": round(TOP + HEIGHT - HEIGHT * t / top, 1)} for t in ticks],
    }


# --- charts with their table ------------------------------------------------------------------

Row = dict[str, Any]
"""One bar and one table row: `label` (plain text), `value`; optionally `url` (the row's
header links there) and `arobases` (the header shows the @ of a label)."""

HBAR_LABEL = 150
HBAR_SPAN = 280
HBAR_ROW = 24
HBAR_VALUE = 70

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


def _text(value: int, unit: str) -> str:
    return f"{format_int(value)}\u00a0{unit}" if unit else format_int(value)


def hbar_chart(
    items: Sequence[tuple[str, int]], *, title: str, unit: str, ident: str
) -> dict[str, Any]:
    """Horizontal bars, one per item, for long labels; the value is written after each bar."""
    top = max([value for _, value in items] or [0]) or 1
    bars = []
    for i, (label, value) in enumerate(items):
        w = round(HBAR_SPAN * value / top, 1)
        y = TOP // 2 + i * HBAR_ROW
        bars.append(
            {
                "label": label,
                "value": value,
                "text": _text(value, unit),
                "x": HBAR_LABEL,
                "y": y + 4,
                "w": w,
                "h": HBAR_ROW - 8,
                "ty": y + HBAR_ROW / 2 + 4,
            }
        )
    desc = " ; ".join(f"{b['label']} : {b['text']}" for b in bars)
    return {
        "id": ident,
        "title": title,
        "desc": desc,
        "width": HBAR_LABEL + HBAR_SPAN + HBAR_VALUE,
        "height": TOP + len(items) * HBAR_ROW,
        "left": HBAR_LABEL,
        "bars": bars,
    }


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
        hbar_chart(items, title=title, unit=unit, ident=ident)
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
        "kind": "hbar" if horizontal else "vbar",
        "svg": svg,
        "table": {"caption": title, "header": list(header), "rows": table_rows},
    }
