"""The one place that maps an object to its output path, and a path to a relative link.

Every page is a folder's `index.html` and every link names that file, so the site works
under any sub-path, from any static host, and opened from `file://` on a USB key.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from palmares.text import homonym_slug, name_slug, slugify

if TYPE_CHECKING:
    from palmares.content.model import Action, Commune, Domaine, Page
    from palmares.territory import Departement, Region

HOME = "index.html"
NOT_FOUND = "404.html"
AZ = "collectivites/index.html"
EDITIONS = "palmares/index.html"
DOMAINES = "domaines/index.html"
TERRITOIRES = "territoires/index.html"
SEARCH = "recherche/index.html"
STATIC = "static"
DONNEES = "donnees/index.html"
COMPARER = "comparer/index.html"
"""The comparison page: two to four collectivités' label histories side by side."""
COMPARER_DATA = "comparer/collectivites.js"
"""Every collectivité's label history, the data the comparison page loads (site/compare.py)."""
FEED_EDITIONS = "flux/editions.xml"
FEED_ACTIONS = "flux/actions.xml"
SITEMAP = "sitemap.xml"
# The accessibility statement: the free page content/pages/accessibilite.md, or the one the
# engine makes from the configuration (pages.accessibility). Every page's footer links to it.
ACCESSIBILITE = "pages/accessibilite/index.html"
ROBOTS = "robots.txt"
LOGO = "logo"
"""The configuration's logo (palmares.toml), beside the home page: `logo.svg`, `logo.png`…"""
ARCHIVE = "palmares-villes-internet.zip"
"""The whole offline site in one zip, beside the home page (`build --archive`)."""
ACTIONS = "actions"
"""The folder of the actions' pages, which has no index page of its own."""


def commune(c: Commune) -> str:
    return f"collectivites/{c.slug}/index.html"


def panel(c: Commune, annee: int, ext: str) -> str:
    """The panel of `c`'s label of `annee` (`svg` or `png`), beside its page: the page's
    public address resolves its name (site/figures/panels.py)."""
    return f"collectivites/{c.slug}/panneau-{annee}.{ext}"


def panels(c: Commune) -> str:
    """The name of the group of `c`'s panels in the plan (not a file)."""
    return f"collectivites/{c.slug}/panneau-*"


def former_commune(c: Commune, nom: str) -> str:
    """The address an earlier name of `c` gave: a redirect to its page lives there."""
    return f"collectivites/{name_slug(nom, c.departement)}/index.html"


def homonym_commune(c: Commune) -> str:
    """The address `c` has when an elder homonym of its département keeps the plain one
    (model.assign_slugs): the elder's page is redirected from there too."""
    return f"collectivites/{homonym_slug(c.nom, c.departement, c.code)}/index.html"


def action(a: Action) -> str:
    return f"{ACTIONS}/{a.key}/index.html"


def domaine(d: Domaine) -> str:
    return f"domaines/{d.slug}/index.html"


def edition(annee: int) -> str:
    return f"palmares/{annee}/index.html"


def departement(d: Departement) -> str:
    return f"territoires/{d.code.lower()}-{slugify(d.nom)}/index.html"


def region(r: Region) -> str:
    return f"territoires/region-{slugify(r.nom)}/index.html"


def page(p: Page) -> str:
    return f"pages/{p.slug}/index.html"


def static(name: str) -> str:
    return f"{STATIC}/{name}"


def logo(suffix: str) -> str:
    """The logo's output path, with its file's suffix (`.svg`)."""
    return f"{LOGO}{suffix}"


def root_of(path: str) -> str:
    """The relative prefix from a page back to the site's root: `a/b/index.html` → `../../`."""
    return "../" * path.count("/")


def link(from_path: str, to_path: str) -> str:
    """A relative link from one output file to another."""
    return root_of(from_path) + to_path


def sibling(from_path: str, to_path: str) -> str:
    """A relative link from one output file to another, from the first one's folder:
    `a/b/index.html` → `a/b/c.svg` is `c.svg`, and resolves as well against the page's
    absolute address."""
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")


def public(path: str) -> str:
    """The address to show and share: `a/b/index.html` → `a/b/`, `index.html` → ``."""
    return path.removesuffix("index.html")


def absolute(base_url: str, path: str) -> str:
    """`https://example.org/palmares/` + a page's public address."""
    return base_url.rstrip("/") + "/" + public(path)
