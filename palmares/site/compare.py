"""Se comparer (issue 16): where a collectivité's latest label stands among similar ones, as
distributions, never as a position. The label is neither a contest nor a ranking.

For each edition, `distributions` counts how many of its laureates got each number of @,
among those of each population band (site/search.py's bands, the ones readers filter by),
of each département and of each région: once per edition, for every page. A collectivité's
page shows the three distributions of its own band, département and région for the year
of its latest label (`Comparisons.section`), and what it got among them.

The section's key (site/plan.py) is the collectivité's own file and the digests of exactly
the three distributions it shows (`Comparisons.digests`, `Comparisons.shows`): a
population that stays in its band, or a label of another year, re-renders no other page;
one that moves band re-renders the pages whose counts changed.

The comparison page (`comparer/`) reads every collectivité's label history from a classic
script (`data_script`), so that it works from `file://` as on the web.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from palmares.content.model import Commune, Edition, Site
from palmares.site import search, urls
from palmares.site.figures.charts import figure, population_band, population_band_label
from palmares.site.figures.maps import arobases_label
from palmares.site.figures.pictures import ARO_ORDER
from palmares.territory import DEPARTEMENTS

Counts = tuple[int, int, int, int, int, int]
"""How many collectivités got 0 (mention simple), 1, 2, 3, 4 and 5 @."""

_KEY = "comparer:"
"""The prefix of the pseudo-sources that stand for distributions in the plan's keys: no
source file's path starts so (they are under communes/ and content/)."""


@dataclass(frozen=True, slots=True)
class Distributions:
    """One edition's laureates by number of @, in each group of similar collectivités."""

    annee: int
    bands: Mapping[int, Counts]
    """By population band (charts.population_band: 0 for the smallest); collectivités whose
    population is not known are in no band."""
    departements: Mapping[str, Counts]
    """By département code."""
    regions: Mapping[str, Counts]
    """By région code."""


def distributions(edition: Edition) -> Distributions:
    """How many of `edition`'s laureates got each number of @, by band, département and
    région."""
    bands: dict[int, list[int]] = {}
    departements: dict[str, list[int]] = {}
    regions: dict[str, list[int]] = {}
    for c, label in edition.laureates:
        n = label.arobases
        band = population_band(c.population)
        if band is not None:
            bands.setdefault(band, [0] * 6)[n] += 1
        departements.setdefault(c.departement, [0] * 6)[n] += 1
        regions.setdefault(DEPARTEMENTS[c.departement].region.code, [0] * 6)[n] += 1
    return Distributions(
        annee=edition.annee,
        bands={k: _counts(v) for k, v in bands.items()},
        departements={k: _counts(v) for k, v in departements.items()},
        regions={k: _counts(v) for k, v in regions.items()},
    )


def _counts(values: list[int]) -> Counts:
    a, b, c, d, e, f = values
    return (a, b, c, d, e, f)


Links = Callable[[str], str]


class Comparisons:
    """Every edition's distributions, made once per build, and what the collectivité pages
    take from them."""

    def __init__(self, site: Site) -> None:
        self.by_year = {e.annee: distributions(e) for e in site.editions}
        # Each distribution's chart, drawn for the first page that shows it and shared by the
        # others (thousands of pages show the same band's): pages never modify a context.
        self._figures: dict[tuple[int, str, str], dict[str, Any]] = {}

    def digests(self) -> dict[str, str]:
        """Each distribution as a pseudo-source of the plan's keys: its name (`shows`) and a
        digest of its counts."""
        found: dict[str, str] = {}
        for year, d in self.by_year.items():
            for kind, groups in (
                ("bande", d.bands),
                ("departement", d.departements),
                ("region", d.regions),
            ):
                for code, counts in groups.items():
                    found[f"{_KEY}{year}:{kind}:{code}"] = repr(counts)
        return found

    def shows(self, c: Commune) -> list[str]:
        """The pseudo-sources of the distributions `c`'s page shows: those of its band (when
        its population is known), département and région, the year of its latest label."""
        latest = c.latest
        if latest is None:
            return []
        year = latest.annee
        band = population_band(c.population)
        region = DEPARTEMENTS[c.departement].region.code
        return [
            *([f"{_KEY}{year}:bande:{band}"] if band is not None else []),
            f"{_KEY}{year}:departement:{c.departement}",
            f"{_KEY}{year}:region:{region}",
        ]

    def section(self, c: Commune, to: Links) -> dict[str, Any] | None:
        """The « Se comparer » section of `c`'s page, for the year of its latest label; None
        when it has none."""
        latest = c.latest
        if latest is None:
            return None
        year, n = latest.annee, latest.arobases
        d = self.by_year[year]
        dept = DEPARTEMENTS[c.departement]
        band = population_band(c.population)
        groups = []
        if band is not None:
            groups.append(
                self._group(
                    "population",
                    str(band),
                    d.bands[band],
                    n,
                    year,
                    f"Collectivités de {_band_words(band)} labellisées en {year}",
                    band=_band_words(band),
                )
            )
        groups.append(
            self._group(
                "departement",
                dept.code,
                d.departements[dept.code],
                n,
                year,
                f"Collectivités du département {dept.nom} ({dept.code}) labellisées en {year}",
                nom=f"{dept.nom} ({dept.code})",
                url=to(urls.departement(dept)),
            )
        )
        groups.append(
            self._group(
                "region",
                dept.region.code,
                d.regions[dept.region.code],
                n,
                year,
                f"Collectivités de la région {dept.region.nom} labellisées en {year}",
                nom=dept.region.nom,
                url=to(urls.region(dept.region)),
            )
        )
        return {
            "nom": c.nom,
            "annee": year,
            "edition": to(urls.edition(year)),
            "label": {"arobases": n},
            "population": band is not None,
            "groups": groups,
            "page": f"{to(urls.COMPARER)}?c={c.code}",
        }

    def _group(
        self, kind: str, key: str, counts: Counts, n: int, year: int, title: str, **extra: Any
    ) -> dict[str, Any]:
        """One distribution of the section: its chart, and how many got `n` @ among all."""
        drawn = self._figures.get((year, kind, key))
        if drawn is None:
            drawn = self._figures[year, kind, key] = _figure(kind, counts, title)
        return {
            "kind": kind,
            "id": f"comparer-{kind}",
            "total": sum(counts),
            "same": counts[n],
            "figure": drawn,
            **extra,
        }


def _band_words(band: int) -> str:
    """`3 000 à 20 000 habitants`, `moins de 3 000 habitants`, `100 000 habitants et plus`."""
    words = population_band_label(band).removeprefix("de ")
    return words.replace("hab.", "habitants")


def _figure(kind: str, counts: Counts, title: str) -> dict[str, Any]:
    rows = [
        {"label": arobases_label(k), "value": counts[k], "arobases": k}
        for k in ARO_ORDER
        if counts[k] or k > 0
    ]
    return figure(
        rows,
        title=f"{title}, par nombre d’@",
        header=("Label", "Collectivités"),
        unit="",
        ident=f"graphique-comparer-{kind}",
        horizontal=True,
    )


# --- the comparison page's data ---------------------------------------------------------


def data(site: Site) -> dict[str, Any]:
    """Every collectivité's label history, as compact columns: its code, name, département
    (an index into `departements`), page (search.split_common's prefix, middle, suffix) and
    labels (year index × 6 + number of @, as the search index writes them). Links are
    relative to the comparison page."""
    years = [e.annee for e in site.editions]
    year_index = {year: i for i, year in enumerate(years)}
    departements = [dept for dept, _ in site.departements]
    dept_index = {dept.code: i for i, dept in enumerate(departements)}
    return {
        "years": years,
        "departements": {
            "code": [d.code for d in departements],
            "name": [d.nom for d in departements],
        },
        "communes": {
            "code": [c.code for c in site.communes],
            "name": [c.nom for c in site.communes],
            "departement": [dept_index[c.departement] for c in site.communes],
            "url": search.url_columns(
                [urls.link(urls.COMPARER, urls.commune(c)) for c in site.communes]
            ),
            "labels": [search.label_codes(c, year_index) for c in site.communes],
        },
    }


def data_script(site: Site) -> bytes:
    """`window.PalmaresIndex.comparer = …`: a classic script, read from `file://` too."""
    return search.part_script("comparer", data(site)).encode("utf-8")
