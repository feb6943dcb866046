"""What a page tells the web about itself: its canonical address, and schema.org JSON-LD.

Canonical and OpenGraph addresses must be absolute, so they exist only when a base URL is
configured (`build --base-url`); site/plan.py adds them to each page's context. JSON-LD links
stay relative like every link of the site: JSON-LD resolves them against the page's address.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from palmares.content.config import DEFAULT, Config
from palmares.content.model import Commune
from palmares.territory import DEPARTEMENTS

if TYPE_CHECKING:
    from palmares.site.exports import DataFile

LABEL_NAME = "Label Territoires, Villes et Villages Internet"


def commune_jsonld(c: Commune, page: str) -> dict[str, Any]:
    """A collectivité as a schema.org GovernmentOrganization, its labels as awards."""
    dept = DEPARTEMENTS[c.departement]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "@id": page + "#collectivite",
        "name": c.nom,
        "identifier": {
            "@type": "PropertyValue",
            "propertyID": "SIREN" if c.type == "intercommunalite" else "INSEE",
            "value": c.code,
        },
        "mainEntityOfPage": page,
        "areaServed": {
            "@type": "AdministrativeArea",
            "name": c.nom,
            "containedInPlace": {
                "@type": "AdministrativeArea",
                "name": f"{dept.nom} ({dept.code})",
                "containedInPlace": {"@type": "AdministrativeArea", "name": dept.region.nom},
            },
        },
        "address": {
            "@type": "PostalAddress",
            "addressLocality": c.nom,
            "addressRegion": dept.region.nom,
            "addressCountry": "FR",
        },
        "award": [_award(label.annee, label.arobases, label.mention) for label in c.labels],
    }
    if c.anciens_noms:
        data["alternateName"] = list(c.anciens_noms)
    if c.site_web:
        data["url"] = c.site_web
    if c.coordonnees:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": c.coordonnees[0],
            "longitude": c.coordonnees[1],
        }
    return data


def _award(annee: int, arobases: int, mention: str | None) -> str:
    level = f"{arobases} @" if arobases else "mention simple"
    return f"{LABEL_NAME} {annee} : {level}" + (f" ({mention})" if mention else "")


def dataset_jsonld(
    files: Sequence[DataFile],
    link: Callable[[str], str],
    years: Sequence[int],
    config: Config = DEFAULT,
) -> dict[str, Any]:
    """The open data as a schema.org Dataset, so dataset search engines can list it."""
    from palmares.site.exports import LICENCE

    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": config.titre,
        "description": (
            "Palmarès du label Territoires, Villes et Villages Internet : chaque label "
            "attribué (édition, collectivité, nombre d'@, mentions et distinctions) et chaque "
            "action distinguée, en CSV et en JSON."
        ),
        "inLanguage": "fr",
        "license": LICENCE["path"],
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": config.organisation},
        "distribution": [
            {
                "@type": "DataDownload",
                "name": f.path.rsplit("/", 1)[-1],
                "encodingFormat": "text/csv" if f.format == "CSV" else "application/json",
                "contentUrl": link(f.path),
            }
            for f in files
            if f.format in ("CSV", "JSON") and f.edition is None
        ],
    }
    if years:
        data["temporalCoverage"] = f"{min(years)}/{max(years)}"
    return data
