"""The one table of French départements and of today's régions (those of 1 January 2016).

A collectivité's file names its département only; everything territorial (the région, where
to centre a map, the département of an INSEE commune code, its outline and where a
collectivité of it may stand) is derived from here.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from palmares import resources
from palmares.text import words


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    """INSEE région code, e.g. "32"."""
    nom: str
    """Official name, e.g. "Hauts-de-France"."""


@dataclass(frozen=True, slots=True)
class Departement:
    code: str
    """INSEE code: "01".."19", "2A", "2B", "21".."95", "971".."976"."""
    nom: str
    region: Region
    centre: tuple[float, float]
    """Approximate (lat, lon), WGS84, of the département's centre: where its map opens."""


_REGIONS: tuple[tuple[str, str], ...] = (
    ("01", "Guadeloupe"),
    ("02", "Martinique"),
    ("03", "Guyane"),
    ("04", "La Réunion"),
    ("06", "Mayotte"),
    ("11", "Île-de-France"),
    ("24", "Centre-Val de Loire"),
    ("27", "Bourgogne-Franche-Comté"),
    ("28", "Normandie"),
    ("32", "Hauts-de-France"),
    ("44", "Grand Est"),
    ("52", "Pays de la Loire"),
    ("53", "Bretagne"),
    ("75", "Nouvelle-Aquitaine"),
    ("76", "Occitanie"),
    ("84", "Auvergne-Rhône-Alpes"),
    ("93", "Provence-Alpes-Côte d'Azur"),
    ("94", "Corse"),
)

# code, name, région code, latitude, longitude of the centre
_DEPARTEMENTS: tuple[tuple[str, str, str, float, float], ...] = (
    ("01", "Ain", "84", 46.10, 5.35),
    ("02", "Aisne", "32", 49.56, 3.56),
    ("03", "Allier", "84", 46.39, 3.19),
    ("04", "Alpes-de-Haute-Provence", "93", 44.11, 6.24),
    ("05", "Hautes-Alpes", "93", 44.66, 6.26),
    ("06", "Alpes-Maritimes", "93", 43.94, 7.12),
    ("07", "Ardèche", "84", 44.75, 4.42),
    ("08", "Ardennes", "44", 49.62, 4.64),
    ("09", "Ariège", "76", 42.92, 1.50),
    ("10", "Aube", "44", 48.30, 4.16),
    ("11", "Aude", "76", 43.10, 2.41),
    ("12", "Aveyron", "76", 44.28, 2.68),
    ("13", "Bouches-du-Rhône", "93", 43.54, 5.09),
    ("14", "Calvados", "28", 49.10, -0.36),
    ("15", "Cantal", "84", 45.05, 2.67),
    ("16", "Charente", "75", 45.72, 0.20),
    ("17", "Charente-Maritime", "75", 45.78, -0.67),
    ("18", "Cher", "24", 47.06, 2.49),
    ("19", "Corrèze", "75", 45.36, 1.88),
    ("2A", "Corse-du-Sud", "94", 41.86, 8.99),
    ("2B", "Haute-Corse", "94", 42.39, 9.21),
    ("21", "Côte-d'Or", "27", 47.42, 4.77),
    ("22", "Côtes-d'Armor", "53", 48.44, -2.86),
    ("23", "Creuse", "75", 46.09, 2.02),
    ("24", "Dordogne", "75", 45.10, 0.74),
    ("25", "Doubs", "27", 47.17, 6.36),
    ("26", "Drôme", "84", 44.68, 5.17),
    ("27", "Eure", "28", 49.11, 1.00),
    ("28", "Eure-et-Loir", "24", 48.39, 1.37),
    ("29", "Finistère", "53", 48.26, -4.06),
    ("30", "Gard", "76", 43.99, 4.18),
    ("31", "Haute-Garonne", "76", 43.36, 1.17),
    ("32", "Gers", "76", 43.69, 0.45),
    ("33", "Gironde", "75", 44.83, -0.58),
    ("34", "Hérault", "76", 43.58, 3.37),
    ("35", "Ille-et-Vilaine", "53", 48.15, -1.64),
    ("36", "Indre", "24", 46.78, 1.58),
    ("37", "Indre-et-Loire", "24", 47.26, 0.69),
    ("38", "Isère", "84", 45.26, 5.58),
    ("39", "Jura", "27", 46.73, 5.70),
    ("40", "Landes", "75", 43.97, -0.78),
    ("41", "Loir-et-Cher", "24", 47.62, 1.43),
    ("42", "Loire", "84", 45.73, 4.17),
    ("43", "Haute-Loire", "84", 45.13, 3.81),
    ("44", "Loire-Atlantique", "52", 47.36, -1.68),
    ("45", "Loiret", "24", 47.91, 2.34),
    ("46", "Lot", "76", 44.62, 1.61),
    ("47", "Lot-et-Garonne", "75", 44.37, 0.46),
    ("48", "Lozère", "76", 44.52, 3.50),
    ("49", "Maine-et-Loire", "52", 47.39, -0.56),
    ("50", "Manche", "28", 49.08, -1.33),
    ("51", "Marne", "44", 48.95, 4.24),
    ("52", "Haute-Marne", "44", 48.11, 5.23),
    ("53", "Mayenne", "52", 48.15, -0.66),
    ("54", "Meurthe-et-Moselle", "44", 48.79, 6.16),
    ("55", "Meuse", "44", 48.99, 5.38),
    ("56", "Morbihan", "53", 47.85, -2.81),
    ("57", "Moselle", "44", 49.04, 6.66),
    ("58", "Nièvre", "27", 47.12, 3.50),
    ("59", "Nord", "32", 50.45, 3.22),
    ("60", "Oise", "32", 49.41, 2.41),
    ("61", "Orne", "28", 48.62, 0.13),
    ("62", "Pas-de-Calais", "32", 50.49, 2.29),
    ("63", "Puy-de-Dôme", "84", 45.73, 3.14),
    ("64", "Pyrénées-Atlantiques", "75", 43.26, -0.76),
    ("65", "Hautes-Pyrénées", "76", 43.05, 0.16),
    ("66", "Pyrénées-Orientales", "76", 42.60, 2.52),
    ("67", "Bas-Rhin", "44", 48.67, 7.55),
    ("68", "Haut-Rhin", "44", 47.86, 7.27),
    ("69", "Rhône", "84", 45.87, 4.64),
    ("70", "Haute-Saône", "27", 47.64, 6.09),
    ("71", "Saône-et-Loire", "27", 46.64, 4.54),
    ("72", "Sarthe", "52", 47.99, 0.22),
    ("73", "Savoie", "84", 45.48, 6.44),
    ("74", "Haute-Savoie", "84", 46.03, 6.43),
    ("75", "Paris", "11", 48.86, 2.34),
    ("76", "Seine-Maritime", "28", 49.65, 1.03),
    ("77", "Seine-et-Marne", "11", 48.63, 2.93),
    ("78", "Yvelines", "11", 48.81, 1.84),
    ("79", "Deux-Sèvres", "75", 46.56, -0.32),
    ("80", "Somme", "32", 49.96, 2.28),
    ("81", "Tarn", "76", 43.79, 2.17),
    ("82", "Tarn-et-Garonne", "76", 44.09, 1.28),
    ("83", "Var", "93", 43.46, 6.22),
    ("84", "Vaucluse", "93", 44.00, 5.17),
    ("85", "Vendée", "52", 46.67, -1.30),
    ("86", "Vienne", "75", 46.56, 0.46),
    ("87", "Haute-Vienne", "75", 45.89, 1.24),
    ("88", "Vosges", "44", 48.20, 6.38),
    ("89", "Yonne", "27", 47.84, 3.56),
    ("90", "Territoire de Belfort", "27", 47.63, 6.93),
    ("91", "Essonne", "11", 48.52, 2.24),
    ("92", "Hauts-de-Seine", "11", 48.85, 2.25),
    ("93", "Seine-Saint-Denis", "11", 48.92, 2.48),
    ("94", "Val-de-Marne", "11", 48.78, 2.47),
    ("95", "Val-d'Oise", "11", 49.08, 2.13),
    ("971", "Guadeloupe", "01", 16.19, -61.55),
    ("972", "Martinique", "02", 14.64, -61.02),
    ("973", "Guyane", "03", 3.93, -53.13),
    ("974", "La Réunion", "04", -21.13, 55.53),
    ("976", "Mayotte", "06", -12.82, 45.15),
)

REGIONS: Mapping[str, Region] = MappingProxyType(
    {code: Region(code, nom) for code, nom in _REGIONS}
)
"""The 18 régions (13 metropolitan, 5 overseas), by INSEE code."""

DEPARTEMENTS: Mapping[str, Departement] = MappingProxyType(
    {
        code: Departement(code, nom, REGIONS[region], (lat, lon))
        for code, nom, region, lat, lon in _DEPARTEMENTS
    }
)
"""The 101 départements, by code, in INSEE order (01..19, 2A, 2B, 21..95, 971..976)."""

# Metropolitan: 2 characters (digits, or 2A/2B) then 3 digits; overseas: 97x then 2 digits.
_INSEE_COMMUNE = re.compile(r"(97[0-9])[0-9]{2}|([0-9][0-9]|2[AB])[0-9]{3}")


def departement(code: str) -> Departement | None:
    """The département of that code ("59", "2A", "974"), None if there is none."""
    return DEPARTEMENTS.get(code)


def departement_written(text: str) -> str | None:
    """The département a text names as people write it: `59`, `1`, `2a`, `974`, `Nord`,
    `59 - Nord`, `Nord (59)` → its code; None when it names none."""
    named = _departements_by_name().get(words(text))
    if named is not None:
        return named
    match = re.search(r"(?<![0-9A-Za-z])(97[0-9]|2[AaBb]|[0-9]{1,2})(?![0-9A-Za-z])", text)
    if match is None:
        return None
    code = match.group(1).upper()
    code = code.zfill(2) if code.isdigit() and len(code) < 3 else code
    return code if code in DEPARTEMENTS else None


@functools.cache
def _departements_by_name() -> Mapping[str, str]:
    """Each département's code by its name as `words` folds it (`bouches du rhone`): made
    once, where each reading folded the 101 names again."""
    return {words(dept.nom): dept.code for dept in DEPARTEMENTS.values()}


def code_written(text: str) -> str:
    """An INSEE or SIREN code as people write it, as it is meant: without its spaces, in
    capitals (`2a004`), its leading zero back where a spreadsheet, taking it for a number,
    dropped it (`1004` → `01004`)."""
    code = text.replace(" ", "").upper()
    if code.isdigit() and len(code) in (4, 8):
        code = "0" + code
    return code


def departement_of_insee(code: str) -> str | None:
    """The département code of an INSEE commune code: "59378" → "59", "2A004" → "2A",
    "97411" → "974"; None if the code is malformed or names no département."""
    if not isinstance(code, str):
        return None
    match = _INSEE_COMMUNE.fullmatch(code)
    if match is None:
        return None
    dept = match.group(1) or match.group(2)
    return dept if dept in DEPARTEMENTS else None


# --- outlines ---------------------------------------------------------------------------------

OUTLINES = resources.data("france-contours.json")
"""Each département's outline (made by `scripts/contours.py`, sources and licences in
`palmares/data/CONTOURS.md`)."""

Point = tuple[float, float]
Ring = tuple[Point, ...]
"""(longitude, latitude) pairs."""
Box = tuple[float, float, float, float]
"""(lon min, lon max, lat min, lat max)."""

MARGIN = 0.25
"""Degrees around a département's outline within which its collectivités' coordinates are
trusted; a point farther away (a typo, a swapped latitude) is not where the collectivité
is: the map puts it at its département's centre, and `check` says so."""


@functools.cache
def outlines() -> Mapping[str, tuple[Ring, ...]]:
    """Every département's outline, read once from the shipped file."""
    data = json.loads(OUTLINES.read_text(encoding="utf-8"))
    return MappingProxyType(
        {
            code: tuple(
                tuple((flat[i] / 100, flat[i + 1] / 100) for i in range(0, len(flat), 2))
                for flat in rings
            )
            for code, rings in data["departements"].items()
        }
    )


def bbox(codes: Iterable[str]) -> Box:
    points = [p for code in codes for ring in outlines()[code] for p in ring]
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    return (min(lons), max(lons), min(lats), max(lats))


@functools.cache
def box(code: str) -> Box:
    """The box around one département's outline."""
    return bbox([code])


def placed(departement: str, lat: float, lon: float) -> bool:
    """Whether a collectivité of `departement` may stand at (lat, lon): within MARGIN degrees
    of the box around the département's outline."""
    lon_min, lon_max, lat_min, lat_max = box(departement)
    return (
        lon_min - MARGIN <= lon <= lon_max + MARGIN and lat_min - MARGIN <= lat <= lat_max + MARGIN
    )
