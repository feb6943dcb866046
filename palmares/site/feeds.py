"""What the site tells machines: Atom feeds of editions and actions, sitemap.xml, robots.txt.

Deterministic: every date comes from the content (an edition's ceremony date, or the 1st of
January of its year), never from the clock, so an unchanged site gives unchanged files.

Links are absolute when a base URL is configured. Without one, feeds keep links relative to
the feed's own file (Atom allows it and readers resolve them against the feed's address),
and sitemap.xml is not written at all: the protocol requires absolute URLs.
"""

from __future__ import annotations

import datetime as dt
import html
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from palmares.content.model import Action, Edition, Site
from palmares.site import progression, urls
from palmares.territory import DEPARTEMENTS
from palmares.text import format_int, plural

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_ACTION_EDITIONS = 1
"""The actions feed holds the actions of the latest edition that has some: a feed is for
following what is new; the whole archive is in donnees/actions.csv."""
SITEMAP_LIMIT = 50_000
"""URLs per sitemap file, the protocol's limit; beyond it sitemap.xml becomes an index."""


def _link(base_url: str, from_path: str, to_path: str) -> str:
    return urls.absolute(base_url, to_path) if base_url else urls.link(from_path, to_path)


def _id(base_url: str, path: str) -> str:
    """A permanent identifier: a name-based UUID of the site's address and the page."""
    return uuid.uuid5(uuid.NAMESPACE_URL, (base_url or "palmares:") + path).urn


def edition_date(e: Edition) -> dt.date:
    return e.text.date or dt.date(e.annee, 1, 1)


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        node.text = text
    return node


def _feed(
    path: str, title: str, subtitle: str, base_url: str, updated: dt.date, organisation: str
) -> ET.Element:
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "fr"})
    _sub(feed, "id", _id(base_url, path))
    _sub(feed, "title", title)
    _sub(feed, "subtitle", subtitle)
    _sub(feed, "updated", _stamp(updated))
    author = _sub(feed, "author")
    _sub(author, "name", organisation)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=_link(base_url, path, path))
    _sub(feed, "link", rel="alternate", type="text/html", href=_link(base_url, path, urls.HOME))
    _sub(feed, "generator", "Palmarès")
    return feed


def _serialise(feed: ET.Element) -> bytes:
    ET.register_namespace("", ATOM)
    ET.indent(feed)
    data: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def editions_feed(site: Site, base_url: str = "") -> bytes:
    """Every edition, newest first."""
    path = urls.FEED_EDITIONS
    editions = list(reversed(site.editions))
    updated = max((edition_date(e) for e in editions), default=dt.date(2000, 1, 1))
    feed = _feed(
        path,
        f"{site.config.titre} : les éditions",
        "Chaque édition du label Territoires, Villes et Villages Internet",
        base_url,
        updated,
        site.config.organisation,
    )
    for e in editions:
        entry = _sub(feed, "entry")
        _sub(entry, "id", _id(base_url, urls.edition(e.annee)))
        _sub(entry, "title", f"Palmarès {e.annee}")
        _sub(entry, "link", rel="alternate", href=_link(base_url, path, urls.edition(e.annee)))
        _sub(entry, "updated", _stamp(edition_date(e)))
        numero = f"{e.text.numero}e édition" if e.text.numero else f"Édition {e.annee}"
        counts: dict[int, int] = {}
        for _, label in e.laureates:
            counts[label.arobases] = counts.get(label.arobases, 0) + 1
        detail = " ; ".join(
            f"{n} @ : {format_int(counts[n])}" if n else f"mention simple : {counts[n]}"
            for n in sorted(counts, reverse=True)
        )
        where = f", {e.text.lieu}" if e.text.lieu else ""
        summary = f"{numero}{where} : {plural(len(e.laureates), 'collectivité')} labellisée"
        summary += "s" if len(e.laureates) > 1 else ""
        summary += f" ({detail})." if detail else "."
        evolution = progression.sentence(site, e)
        _sub(entry, "summary", f"{summary} {evolution}" if evolution else summary)
    return _serialise(feed)


def feed_actions(site: Site) -> list[Action]:
    """The actions the feed holds: those of the last editions that have some, newest first."""
    years = sorted({a.annee for a in site.actions}, reverse=True)[:FEED_ACTION_EDITIONS]
    by_year = {e.annee: e for e in site.editions}
    return [a for year in years for a in by_year[year].actions]


def actions_feed(site: Site, base_url: str = "") -> bytes:
    path = urls.FEED_ACTIONS
    actions = feed_actions(site)
    dates = {e.annee: edition_date(e) for e in site.editions}
    updated = max((dates[a.annee] for a in actions), default=dt.date(2000, 1, 1))
    feed = _feed(
        path,
        f"{site.config.titre} : les actions distinguées",
        "Les actions de la dernière édition ; toutes sont dans les données ouvertes du site",
        base_url,
        updated,
        site.config.organisation,
    )
    for a in actions:
        c = site.by_code[a.commune]
        entry = _sub(feed, "entry")
        _sub(entry, "id", _id(base_url, urls.action(a)))
        _sub(entry, "title", a.titre)
        _sub(entry, "link", rel="alternate", href=_link(base_url, path, urls.action(a)))
        _sub(entry, "updated", _stamp(dates[a.annee]))
        domaines = [site.by_domaine[d].titre for d in a.domaines]
        for titre in domaines:
            _sub(entry, "category", term=titre)
        dept = DEPARTEMENTS[c.departement]
        _sub(
            entry,
            "summary",
            f"{c.nom} ({dept.nom}), palmarès {a.annee} : {', '.join(domaines)}.",
        )
    return _serialise(feed)


def sitemaps(paths: Sequence[str], base_url: str) -> list[tuple[str, bytes]]:
    """sitemap.xml listing every page; an index of numbered files past the protocol's limit.
    Nothing without a base URL."""
    if not base_url:
        return []
    locs = [urls.absolute(base_url, p) for p in paths]
    chunks = [locs[i : i + SITEMAP_LIMIT] for i in range(0, len(locs), SITEMAP_LIMIT)] or [[]]
    if len(chunks) == 1:
        return [(urls.SITEMAP, _urlset(chunks[0]))]
    files = [(f"sitemap-{i}.xml", _urlset(chunk)) for i, chunk in enumerate(chunks, 1)]
    index = ET.Element(f"{{{SITEMAP_NS}}}sitemapindex")
    for name, _ in files:
        item = ET.SubElement(index, f"{{{SITEMAP_NS}}}sitemap")
        ET.SubElement(item, f"{{{SITEMAP_NS}}}loc").text = urls.absolute(base_url, name)
    return [(urls.SITEMAP, _xml(index)), *files]


def _urlset(locs: Sequence[str]) -> bytes:
    """Written as text: tens of thousands of elements, one line each, no tree needed."""
    lines = [f"  <url><loc>{html.escape(loc, quote=False)}</loc></url>" for loc in locs]
    head = f"<?xml version='1.0' encoding='utf-8'?>\n<urlset xmlns=\"{SITEMAP_NS}\">"
    return "\n".join([head, *lines, "</urlset>", ""]).encode("utf-8")


def _xml(root: ET.Element) -> bytes:
    ET.register_namespace("", SITEMAP_NS)
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def robots(base_url: str) -> bytes:
    lines = ["User-agent: *", "Disallow:"]
    if base_url:
        lines.append(f"Sitemap: {urls.absolute(base_url, urls.SITEMAP)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def files(site: Site, pages: Sequence[str], base_url: str = "") -> list[tuple[str, bytes]]:
    """The feeds, robots.txt and (with a base URL) the sitemap of `pages`."""
    return [
        (urls.FEED_EDITIONS, editions_feed(site, base_url)),
        (urls.FEED_ACTIONS, actions_feed(site, base_url)),
        (urls.ROBOTS, robots(base_url)),
        *sitemaps(pages, base_url),
    ]
