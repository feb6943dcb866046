"""Charts drawn at build time: geometry computed here, the SVG written by a template.

Every chart carries a title and a description, and the page shows the same data as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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
