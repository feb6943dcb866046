"""Maps drawn at build time: the outline of every département (territory.outlines), a
Mercator projection fitted to a box, and one marker per collectivité, sized and coloured by
its latest number of @, at its coordinates when they are in its département
(territory.placed), else around the département's centre.

Geometry is computed here; the SVG is written by a template. Nothing is fetched, ever.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from palmares.content.model import Commune
from palmares.territory import DEPARTEMENTS, Box, Point, Region, Ring, bbox, outlines, placed
from palmares.text import format_int, plural

CREDIT = (
    "Fond de carte : départements métropolitains d’après MapSVG (licence CC BY 4.0), "
    "outre-mer d’après Natural Earth (domaine public)."
)

OVERSEAS = ("971", "972", "973", "974", "976")
WIDTH = 600
METRO_HEIGHT = 540
INSET_HEIGHT = 96
INSET_LABEL = 18
GAP = 8
SPREAD = 3.2
"""Pixels between markers that share their département's centre (a sunflower pattern)."""
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
ORDER = (5, 4, 3, 2, 1, 0)


def _mercator(lat: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


@dataclass(frozen=True, slots=True)
class Frame:
    """A Mercator projection of a box of the earth onto a box of the picture."""

    lon0: float
    top: float
    """Mercator y of the box's top edge."""
    scale: float
    x: float
    y: float

    def __call__(self, lon: float, lat: float) -> Point:
        return (
            self.x + (lon - self.lon0) * self.scale,
            self.y + (self.top - _mercator(lat)) * self.scale,
        )


def fit(box: Box, x: float, y: float, w: float, h: float) -> tuple[Frame, float, float]:
    """The frame that fits `box` in the w×h rectangle at (x, y), centred; with the width and
    height it actually uses."""
    lon_min, lon_max, lat_min, lat_max = box
    top, bottom = _mercator(lat_max), _mercator(lat_min)
    scale = min(w / max(lon_max - lon_min, 1e-6), h / max(top - bottom, 1e-6))
    used_w, used_h = (lon_max - lon_min) * scale, (top - bottom) * scale
    frame = Frame(lon_min, top, scale, x + (w - used_w) / 2, y + (h - used_h) / 2)
    return frame, used_w, used_h


def _tenths(value: float) -> int:
    return round(value * 10)


def _num(tenths: int) -> str:
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths / 10:.1f}"


def path(rings: Sequence[Ring], frame: Frame) -> str:
    """An SVG path in relative coordinates to a tenth of a pixel: short, and exact because
    the deltas are taken between already rounded points."""
    parts = []
    for ring in rings:
        points = [(_tenths(x), _tenths(y)) for x, y in (frame(lon, lat) for lon, lat in ring)]
        kept = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
        if len(kept) < 3:
            continue
        (x0, y0), rest = kept[0], kept[1:]
        steps = []
        px, py = x0, y0
        for x, y in rest:
            steps.append(f"{_num(x - px)} {_num(y - py)}")
            px, py = x, y
        parts.append(f"M{_num(x0)} {_num(y0)}l" + " ".join(steps) + "z")
    return "".join(parts)


def arobases_label(n: int) -> str:
    return f"{n}\u00a0@" if n else "mention simple"


def radius(arobases: int, factor: float) -> float:
    return round((1.8 + 0.6 * arobases) * factor, 1)


def markers(
    communes: Sequence[Commune],
    frames: Mapping[str, Frame],
    *,
    factor: float,
    link: Callable[[Commune], str],
    titled: bool,
) -> tuple[list[dict[str, Any]], int]:
    """One marker per collectivité that has a label, grouped by its latest @ (biggest first,
    so small markers are drawn over big ones); and how many were placed by coordinates.
    Each marker links to the collectivité's page (`link`), named after it; `titled`, with
    its latest label too, which a pointer shows. Every byte counts: the map of France holds
    every collectivité of the site."""
    at_centre: dict[str, int] = defaultdict(int)
    groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
    exact = 0
    for c in sorted(communes, key=lambda c: c.code):
        latest = c.latest
        frame = frames.get(c.departement)
        if latest is None or frame is None:
            continue
        if c.coordonnees is not None and placed(c.departement, *c.coordonnees):
            lat, lon = c.coordonnees
            x, y = frame(lon, lat)
            exact += 1
        else:
            lat, lon = DEPARTEMENTS[c.departement].centre
            x, y = frame(lon, lat)
            k = at_centre[c.departement]
            at_centre[c.departement] += 1
            distance = SPREAD * factor * math.sqrt(k)
            x += distance * math.cos(k * GOLDEN_ANGLE)
            y += distance * math.sin(k * GOLDEN_ANGLE)
        marker: dict[str, Any] = {
            "x": round(x, 1),
            "y": round(y, 1),
            "r": radius(latest.arobases, factor),
            "url": link(c),
            "nom": c.nom,
        }
        if titled:
            marker["title"] = f"{c.nom} : {arobases_label(latest.arobases)} en {latest.annee}"
        groups[latest.arobases].append(marker)
    return [
        {
            "arobases": n,
            "label": arobases_label(n),
            "count": len(groups[n]),
            "markers": groups[n],
        }
        for n in ORDER
        if groups[n]
    ], exact


def _legend(groups: list[dict[str, Any]], factor: float) -> list[dict[str, Any]]:
    return [
        {
            "arobases": g["arobases"],
            "label": g["label"],
            "count": g["count"],
            "r": radius(g["arobases"], factor),
        }
        for g in groups
    ]


def _description(where: str, groups: list[dict[str, Any]], exact: int) -> str:
    total = sum(g["count"] for g in groups)
    counts = " ; ".join(f"{g['label']} : {format_int(g['count'])}" for g in groups)
    if total < 2:
        placed = "à sa position" if exact else "au centre de son département"
        label = "son dernier label"
    else:
        placed = (
            f"{format_int(exact)} à leur position, les autres au centre de leur département"
            if exact < total
            else "toutes à leur position"
        )
        label = "leur dernier label"
    return f"{where} : {plural(total, 'collectivité')} selon {label} ({placed}). {counts}."


def france_map(
    communes: Sequence[Commune],
    *,
    link: Callable[[Commune], str],
    ident: str = "carte",
    title: str,
) -> dict[str, Any]:
    """Metropolitan France, and the five overseas départements as insets along the bottom."""
    shapes = outlines()
    metro_codes = [code for code in DEPARTEMENTS if code not in OVERSEAS]
    metro, _, metro_h = fit(bbox(metro_codes), 0, 0, WIDTH, METRO_HEIGHT)
    frames: dict[str, Frame] = {code: metro for code in metro_codes}
    departements = [{"code": c, "d": path(shapes[c], metro)} for c in metro_codes]
    insets = []
    cell = (WIDTH - GAP * (len(OVERSEAS) - 1)) / len(OVERSEAS)
    top = metro_h + GAP * 2
    for i, code in enumerate(OVERSEAS):
        x = i * (cell + GAP)
        frame, _, _ = fit(bbox([code]), x + 4, top + 4, cell - 8, INSET_HEIGHT - 8)
        frames[code] = frame
        departements.append({"code": code, "d": path(shapes[code], frame)})
        insets.append(
            {
                "x": round(x, 1),
                "y": round(top, 1),
                "w": round(cell, 1),
                "h": INSET_HEIGHT,
                "label": DEPARTEMENTS[code].nom,
                "lx": round(x + cell / 2, 1),
                "ly": round(top + INSET_HEIGHT + INSET_LABEL - 5, 1),
            }
        )
    groups, exact = markers(communes, frames, factor=1.0, link=link, titled=False)
    return {
        "id": ident,
        "title": title,
        "desc": _description("Carte de France", groups, exact),
        "width": WIDTH,
        "height": round(top + INSET_HEIGHT + INSET_LABEL, 1),
        "departements": departements,
        "insets": insets,
        "groups": groups,
        "legend": _legend(groups, 1.0),
        "credit": CREDIT,
    }


def region_map(
    region: Region,
    communes: Sequence[Commune],
    *,
    link: Callable[[Commune], str],
    ident: str = "carte",
    title: str,
) -> dict[str, Any]:
    """One région's départements, filling the picture, with its collectivités."""
    shapes = outlines()
    codes = [code for code, d in DEPARTEMENTS.items() if d.region == region]
    frame, w, h = fit(bbox(codes), 4, 4, WIDTH - 8, METRO_HEIGHT - 8)
    # Re-anchor at the top-left corner: the picture is as tall as the région needs.
    frame = Frame(frame.lon0, frame.top, frame.scale, 4, 4)
    factor = 1.6
    groups, exact = markers(
        communes, {code: frame for code in codes}, factor=factor, link=link, titled=True
    )
    return {
        "id": ident,
        "title": title,
        "desc": _description(f"Carte de la région {region.nom}", groups, exact),
        "width": round(w + 8, 1),
        "height": round(h + 8, 1),
        "departements": [{"code": c, "d": path(shapes[c], frame)} for c in codes],
        "insets": [],
        "groups": groups,
        "legend": _legend(groups, factor),
        "credit": CREDIT,
    }
