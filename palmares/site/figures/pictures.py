"""The pictures each page shows, with the table of the same data: prepared contexts for the
macros of layouts/figures.html (geometry from charts.py and maps.py).

Each function takes `to`, the page's relative-link maker, and returns plain values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from palmares.content.model import Commune, Edition, Site
from palmares.site import urls
from palmares.site.figures import maps
from palmares.site.figures.charts import (
    POPULATION_BANDS,
    figure,
    population_band,
    population_band_label,
)
from palmares.territory import Region

Links = Callable[[str], str]
ARO_ORDER = (5, 4, 3, 2, 1, 0)
"""The order of a chart's bars and of its table's rows: as the edition page groups them
(« Se comparer »'s charts, site/compare.py, follow it too)."""


def editions_chart(site: Site, to: Links) -> dict[str, Any]:
    """How many collectivités each edition labelled, across the whole archive."""
    rows = [
        {"label": str(e.annee), "value": len(e.laureates), "url": to(urls.edition(e.annee))}
        for e in site.editions
    ]
    return figure(
        rows,
        title="Collectivités labellisées par édition",
        header=("Édition", "Collectivités labellisées"),
        unit="",
        ident="graphique-editions",
        horizontal=False,
    )


def edition_charts(e: Edition, to: Links) -> dict[str, Any]:
    """An edition's laureates by number of @, by type and by population band."""
    arobases = Counter(label.arobases for _, label in e.laureates)
    types: Counter[str] = Counter(c.type for c, _ in e.laureates)
    bands = Counter(population_band(c.population) for c, _ in e.laureates)
    band_order: list[int | None] = [*range(POPULATION_BANDS), None]
    return {
        "arobases": figure(
            [
                {
                    "label": maps.arobases_label(n),
                    "value": arobases[n],
                    "arobases": n,
                    "url": to(urls.edition(e.annee)) + f"#arobases-{n}" if arobases[n] else None,
                }
                for n in ARO_ORDER
                if arobases[n] or n > 0
            ],
            title="Collectivités par nombre d’@",
            header=("Label", "Collectivités"),
            unit="",
            ident="graphique-arobases",
            horizontal=True,
        ),
        "types": figure(
            [
                {"label": label, "value": types[t]}
                for t, label in (("commune", "communes"), ("intercommunalite", "intercommunalités"))
                if types[t]
            ],
            title="Collectivités par type",
            header=("Type", "Collectivités"),
            unit="",
            ident="graphique-types",
            horizontal=True,
        ),
        "population": figure(
            [
                {"label": population_band_label(b), "value": bands[b]}
                for b in band_order
                if bands[b] or b is not None
            ],
            title="Collectivités par population",
            header=("Population", "Collectivités"),
            unit="",
            ident="graphique-population",
            horizontal=True,
        ),
    }


def france_map(site: Site, to: Links) -> dict[str, Any]:
    """Every labelled collectivité on the map of France, and the table of the same data:
    how many in each région, by latest label (each one is listed on its région's page)."""
    picture = maps.france_map(
        site.communes,
        link=lambda c: to(urls.commune(c)),
        title="Carte des collectivités labellisées, selon leur dernier label",
    )
    columns = [g["arobases"] for g in picture["groups"]]
    rows = []
    for region, members in site.regions:
        counts = Counter(c.latest.arobases for c in members if c.latest is not None)
        if not counts:
            continue
        rows.append(
            {
                "nom": region.nom,
                "url": to(urls.region(region)),
                "counts": [counts[n] for n in columns],
                "total": sum(counts.values()),
            }
        )
    totals = [g["count"] for g in picture["groups"]]
    return {
        "map": picture,
        "table": {
            "caption": "Collectivités labellisées par région et par dernier label",
            "columns": [maps.arobases_label(n) for n in columns],
            "rows": rows,
            "totals": totals,
            "total": sum(totals),
        },
    }


def region_map(region: Region, members: Sequence[Commune], to: Links) -> dict[str, Any]:
    """A région's collectivités on its map; the page's table lists the same ones."""
    return maps.region_map(
        region,
        members,
        link=lambda c: to(urls.commune(c)),
        title=f"Carte des collectivités labellisées de la région {region.nom}, selon leur "
        "dernier label",
    )
