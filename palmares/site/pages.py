"""Stage 4: one function per page family → Page(path, html).

Each page is rendered from a context prepared for it: plain values, links already relative,
numbers and dates already in French. Templates never look anything up, so a page is a pure
function of its template and its context.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from palmares.content.config import Config
from palmares.content.markup import SOURCE_SCHEME
from palmares.content.model import Action, Commune, Domaine, Edition, Label, Site
from palmares.content.model import Page as FreePage
from palmares.site import compare, progression, search, sourcelinks, urls
from palmares.site.exports import DataFile, page_context
from palmares.site.figures.charts import bar_chart
from palmares.site.figures.panels import context as panels_context
from palmares.site.figures.panels import share_image
from palmares.site.figures.pictures import edition_charts, editions_chart, france_map, region_map
from palmares.site.meta import commune_jsonld, dataset_jsonld
from palmares.territory import DEPARTEMENTS, Departement, Region
from palmares.text import filing_name, format_date, format_int, initial, plural, sort_key

Context = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Page:
    """A page to render: its path, its template and its context, prepared for it."""

    path: str
    template: str
    context: Context
    files: tuple[tuple[str, bytes], ...] = ()
    """Files published with the page, made with it: the open data beside the page that
    describes them (their sizes, their rows), so that both come from one making."""


# --- shared pieces of context -------------------------------------------------------------


class _Links:
    """Relative links from one page; absolute ones from `root` when it is given (the public
    address of the site)."""

    def __init__(self, path: str, root: str | None = None) -> None:
        self.path = path
        self.root = urls.root_of(path) if root is None else root

    def __call__(self, target: str) -> str:
        return self.root + target


def _base(path: str, title: str, site: Site, section: str = "", root: str | None = None) -> Context:
    to = _Links(path, root)
    latest = site.latest
    config = site.config
    return {
        "title": title,
        "section": section,
        "root": to.root,
        "archive": None,
        "brouillon": None,
        "nav": {
            "home": to(urls.HOME),
            "editions": to(urls.EDITIONS),
            "domaines": to(urls.DOMAINES),
            "territoires": to(urls.TERRITOIRES),
            "az": to(urls.AZ),
            "search": to(urls.SEARCH),
            "comparer": to(urls.COMPARER),
            "latest": to(urls.edition(latest.annee)) if latest else None,
            "latest_year": latest.annee if latest else None,
        },
        "static": to(urls.STATIC),
        "pages": [
            {"titre": p.titre, "url": to(urls.page(p))}
            for p in site.pages
            if urls.page(p) != urls.ACCESSIBILITE
        ],
        # The content's own statement, or the one made from the configuration.
        "accessibilite": to(urls.ACCESSIBILITE),
        "site": {
            "titre": config.titre,
            "organisation": config.organisation,
            "marque": _brand(config),
            "logo": to(urls.logo(config.logo.suffix)) if config.logo else None,
            "liens": [{"titre": link.titre, "url": link.url} for link in config.liens],
            "contact": _contact(config),
            "etat": config.accessibilite.etat,
        },
        "donnees": to(urls.DONNEES),
        "feeds": {"editions": to(urls.FEED_EDITIONS), "actions": to(urls.FEED_ACTIONS)},
        "canonical": None,
        "image": None,
        "image_url": None,
        "jsonld": None,
    }


def _brand(config: Config) -> Context:
    """The header's title, its organisation set apart when the title ends with it
    (« Palmarès » and « Villes Internet »)."""
    titre, organisation = config.titre, config.organisation
    if titre != organisation and titre.endswith(f" {organisation}"):
        return {"titre": titre.removesuffix(f" {organisation}"), "sous_titre": organisation}
    return {"titre": titre, "sous_titre": None}


def _contact(config: Config) -> Context | None:
    """Where to write: a link, and the address as shown."""
    contact = config.contact
    if not contact:
        return None
    if "://" in contact:
        return {"url": contact, "adresse": contact, "courriel": False}
    return {"url": f"mailto:{contact}", "adresse": contact, "courriel": True}


def _arobases(label: Label | None) -> Context | None:
    if label is None:
        return None
    return {
        "annee": label.annee,
        "arobases": label.arobases,
        "mention": label.mention,
        "distinctions": list(label.distinctions),
    }


def _commune_ref(c: Commune, to: _Links, label: Label | None = None) -> Context:
    dept = DEPARTEMENTS[c.departement]
    return {
        "nom": c.nom,
        "url": to(urls.commune(c)),
        "type": c.type,
        "departement": dept.nom,
        "departement_code": dept.code,
        "label": _arobases(label if label is not None else c.latest),
    }


def _action_ref(a: Action, site: Site, to: _Links) -> Context:
    commune = site.by_code[a.commune]
    return {
        "titre": a.titre,
        "url": to(urls.action(a)),
        "annee": a.annee,
        "commune": commune.nom,
        "commune_url": to(urls.commune(commune)),
        "mention_speciale": a.mention_speciale,
        "domaines": [
            {"titre": site.by_domaine[s].titre, "url": to(urls.domaine(site.by_domaine[s]))}
            for s in a.domaines
        ],
    }


class Shared:
    """What every page of one depth shares, made once per build (and worker) rather than
    once per page: the chrome (navigation, footer links), a tenth of the time spent
    preparing contexts. Contexts share it and never modify it. References to actions and
    collectivités are not kept: at national scale they would be hundreds of thousands of
    dicts held to the end of the build, for a few hundredths of a second."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._chrome: dict[str, Context] = {}

    def base(self, path: str, title: str, section: str = "") -> Context:
        root = urls.root_of(path)
        chrome = self._chrome.get(root)
        if chrome is None:
            chrome = self._chrome[root] = _base(path, "", self.site)
        return {**chrome, "title": title, "section": section}

    @functools.cached_property
    def addresses(self) -> dict[str, str]:
        """Each source file's page (site/sourcelinks.py), made when a write-up first links
        to one."""
        return sourcelinks.addresses(self.site)

    def body(self, html: str, path: str) -> str:
        """A write-up's HTML on the page at `path`: its links to source files lead there."""
        return sourcelinks.resolve(html, path, self.addresses) if SOURCE_SCHEME in html else html

    @functools.cached_property
    def comparisons(self) -> compare.Comparisons:
        """Every edition's distributions of @ (site/compare.py), made once for all pages."""
        return compare.Comparisons(self.site)


def _counts_by_arobases(edition: Edition) -> list[Context]:
    counts = Counter(label.arobases for _, label in edition.laureates)
    return [{"arobases": n, "count": counts[n]} for n in (5, 4, 3, 2, 1, 0) if counts[n] or n > 0]


# --- page families ---------------------------------------------------------------------------


def home(site: Site, shared: Shared | None = None) -> Page:
    shared = shared or Shared(site)
    path = urls.HOME
    to = _Links(path)
    latest = site.latest
    glance = None
    if latest is not None:
        glance = {
            "annee": latest.annee,
            "url": to(urls.edition(latest.annee)),
            "total": len(latest.laureates),
            "counts": [
                {
                    **row,
                    "url": to(urls.edition(latest.annee)) + f"#arobases-{row['arobases']}"
                    if row["count"]
                    else None,
                }
                for row in _counts_by_arobases(latest)
            ],
            "date": format_date(latest.text.date) if latest.text.date else None,
            "lieu": latest.text.lieu,
        }
    context = shared.base(
        path, "Palmarès du label Territoires, Villes et Villages Internet", "home"
    )
    context.update(
        glance=glance,
        editions=[
            {"annee": e.annee, "url": to(urls.edition(e.annee)), "count": len(e.laureates)}
            for e in reversed(site.editions)
        ],
        domaines=[{"titre": d.titre, "url": to(urls.domaine(d))} for d in site.domaines],
        regions=[
            {"nom": r.nom, "url": to(urls.region(r)), "count": len(m)} for r, m in site.regions
        ],
        totals={
            "communes": len(site.communes),
            "actions": len(site.actions),
            "editions": len(site.editions),
        },
        editions_chart=editions_chart(site, to) if site.editions else None,
        france=france_map(site, to),
    )
    return Page(path, "home.html", context)


def commune(site: Site, c: Commune, shared: Shared | None = None) -> Page:
    shared = shared or Shared(site)
    path = urls.commune(c)
    to = _Links(path)
    dept = DEPARTEMENTS[c.departement]
    actions = site.actions_by_commune.get(c.code, ())
    history = [
        {**(_arobases(label) or {}), "url": to(urls.edition(label.annee))}
        for label in reversed(c.labels)
    ]
    context = shared.base(path, c.nom, "az")
    context.update(
        commune={
            "nom": c.nom,
            "code": c.code,
            "type": c.type,
            "departement": {"nom": dept.nom, "code": dept.code, "url": to(urls.departement(dept))},
            "region": {"nom": dept.region.nom, "url": to(urls.region(dept.region))},
            "population": format_int(c.population) if c.population is not None else None,
            "site_web": c.site_web,
            "anciens_noms": list(c.anciens_noms),
        },
        history=history,
        chart=bar_chart(
            [(str(label.annee), label.arobases) for label in c.labels],
            maximum=5,
            title=f"Nombre d’@ de {c.nom} par édition",
            unit="@",
        )
        if c.labels
        else None,
        actions=[_action_ref(a, site, to) for a in reversed(actions)],
        jsonld=commune_jsonld(c, to(path)),
        comparer=shared.comparisons.section(c, to),
        panneau=panels_context(c, path),
        # Shared on a social network, the page shows its latest panel (with --base-url:
        # its address must be absolute, plan._page makes it so).
        image=share_image(c),
    )
    return Page(path, "commune.html", context)


def action(site: Site, a: Action, shared: Shared | None = None) -> Page:
    shared = shared or Shared(site)
    path = urls.action(a)
    to = _Links(path)
    context = shared.base(path, a.titre, "domaines")
    context.update(
        action={
            **_action_ref(a, site, to),
            "edition_url": to(urls.edition(a.annee)),
            "lien": a.lien,
            "body": shared.body(a.body_html, path),
        }
    )
    return Page(path, "action.html", context)


def domaines_index(site: Site, shared: Shared | None = None) -> Page:
    shared = shared or Shared(site)
    path = urls.DOMAINES
    to = _Links(path)
    context = shared.base(path, "Domaines", "domaines")
    context.update(
        domaines=[
            {
                "titre": d.titre,
                "url": to(urls.domaine(d)),
                "count": len(site.actions_by_domaine.get(d.slug, ())),
                "editions": list(d.editions),
            }
            for d in site.domaines
        ]
    )
    return Page(path, "domaines.html", context)


def domaine(site: Site, d: Domaine, shared: Shared | None = None) -> Page:
    shared = shared or Shared(site)
    path = urls.domaine(d)
    to = _Links(path)
    actions = site.actions_by_domaine.get(d.slug, ())
    years = sorted({a.annee for a in actions}, reverse=True)
    communes = sorted(
        {site.by_code[a.commune] for a in actions}, key=lambda c: (*sort_key(c.nom), c.code)
    )
    context = shared.base(path, d.titre, "domaines")
    context.update(
        domaine={
            "titre": d.titre,
            "body": shared.body(d.body_html, path),
            "editions": list(d.editions),
        },
        groups=[
            {
                "annee": year,
                "url": to(urls.edition(year)),
                "actions": [_action_ref(a, site, to) for a in actions if a.annee == year],
            }
            for year in years
        ],
        communes=[_commune_ref(c, to) for c in communes],
    )
    return Page(path, "domaine.html", context)


def editions_index(site: Site, shared: Shared | None = None) -> Page:
    shared = shared or Shared(site)
    path = urls.EDITIONS
    to = _Links(path)
    context = shared.base(path, "Toutes les éditions", "editions")
    context.update(
        editions=[
            {
                "annee": e.annee,
                "numero": e.text.numero,
                "url": to(urls.edition(e.annee)),
                "count": len(e.laureates),
                "actions": len(e.actions),
                "date": format_date(e.text.date) if e.text.date else None,
                "lieu": e.text.lieu,
            }
            for e in reversed(site.editions)
        ]
    )
    return Page(path, "editions.html", context)


def edition(site: Site, e: Edition, shared: Shared | None = None) -> Page:
    shared = shared or Shared(site)
    path = urls.edition(e.annee)
    to = _Links(path)
    refs = [_commune_ref(c, to, label) for c, label in e.laureates]
    members: dict[int, list[Context]] = {}
    for ref, (_, label) in zip(refs, e.laureates, strict=True):
        members.setdefault(label.arobases, []).append(ref)
    groups = [{"arobases": n, "communes": members[n]} for n in (5, 4, 3, 2, 1, 0) if n in members]
    types = Counter(c.type for c, _ in e.laureates)
    regions = Counter(DEPARTEMENTS[c.departement].region for c, _ in e.laureates)
    index = [x.annee for x in site.editions].index(e.annee)
    previous = progression.previous_edition(site, e)
    following = site.editions[index + 1] if index + 1 < len(site.editions) else None
    context = shared.base(path, f"Palmarès {e.annee}", "editions")
    context.update(
        edition={
            "annee": e.annee,
            "numero": e.text.numero,
            "date": format_date(e.text.date) if e.text.date else None,
            "lieu": e.text.lieu,
            "body": shared.body(e.text.body_html, path),
            "total": len(e.laureates),
        },
        groups=groups,
        counts={
            "arobases": _counts_by_arobases(e),
            "types": [
                {"type": t, "count": types[t]} for t in ("commune", "intercommunalite") if types[t]
            ],
            "regions": [
                {"nom": r.nom, "url": to(urls.region(r)), "count": count}
                for r, count in sorted(regions.items(), key=lambda item: sort_key(item[0].nom))
            ],
        },
        charts=edition_charts(e, to),
        actions=[_action_ref(a, site, to) for a in e.actions],
        progression=progression.page_context(site, e, refs),
        previous={"annee": previous.annee, "url": to(urls.edition(previous.annee))}
        if previous
        else None,
        following={"annee": following.annee, "url": to(urls.edition(following.annee))}
        if following
        else None,
    )
    return Page(path, "edition.html", context)


def territoires_index(site: Site, shared: Shared | None = None) -> Page:
    shared = shared or Shared(site)
    path = urls.TERRITOIRES
    to = _Links(path)
    by_region: dict[str, list[Context]] = {}
    for dept, members in site.departements:
        by_region.setdefault(dept.region.code, []).append(
            {
                "nom": dept.nom,
                "code": dept.code,
                "url": to(urls.departement(dept)),
                "count": len(members),
            }
        )
    context = shared.base(path, "Régions et départements", "territoires")
    context.update(
        regions=[
            {
                "nom": r.nom,
                "code": r.code,
                "url": to(urls.region(r)),
                "count": len(m),
                "departements": by_region[r.code],
            }
            for r, m in site.regions
        ]
    )
    return Page(path, "territoires.html", context)


def departement(
    site: Site, dept: Departement, members: tuple[Commune, ...], shared: Shared | None = None
) -> Page:
    shared = shared or Shared(site)
    path = urls.departement(dept)
    to = _Links(path)
    context = shared.base(path, f"{dept.nom} ({dept.code})", "territoires")
    context.update(
        territoire={
            "kind": "departement",
            "nom": dept.nom,
            "code": dept.code,
            "region": {"nom": dept.region.nom, "url": to(urls.region(dept.region))},
        },
        communes=[_commune_ref(c, to) for c in members],
        departements=[],
    )
    return Page(path, "territoire.html", context)


def region(
    site: Site, r: Region, members: tuple[Commune, ...], shared: Shared | None = None
) -> Page:
    shared = shared or Shared(site)
    path = urls.region(r)
    to = _Links(path)
    context = shared.base(path, r.nom, "territoires")
    context.update(
        territoire={"kind": "region", "nom": r.nom, "code": r.code, "region": None},
        communes=[_commune_ref(c, to) for c in members],
        map=region_map(r, members, to),
        departements=[
            {"nom": d.nom, "code": d.code, "url": to(urls.departement(d)), "count": len(m)}
            for d, m in site.departements
            if d.region == r
        ],
    )
    return Page(path, "territoire.html", context)


def az_index(site: Site, shared: Shared | None = None) -> Page:
    shared = shared or Shared(site)
    path = urls.AZ
    to = _Links(path)
    # An intercommunalité is filed under its distinctive name, not all of them under C.
    filed = sorted(
        ((filing_name(c.nom) if c.type == "intercommunalite" else c.nom, c) for c in site.communes),
        key=lambda item: (*sort_key(item[0]), item[1].code),
    )
    letters: dict[str, list[Context]] = {}
    for nom, c in filed:
        letters.setdefault(initial(nom), []).append({**_commune_ref(c, to), "nom": nom})
    context = shared.base(path, "Toutes les collectivités de A à Z", "az")
    context.update(
        letters=[{"letter": letter, "communes": members} for letter, members in letters.items()],
        total=plural(len(site.communes), "collectivité"),
        count=len(site.communes),
    )
    return Page(path, "az.html", context)


def free_page(site: Site, p: FreePage, shared: Shared | None = None) -> Page:
    shared = shared or Shared(site)
    path = urls.page(p)
    context = shared.base(path, p.titre, "pages")
    context.update(page={"titre": p.titre, "body": shared.body(p.body_html, path)})
    return Page(path, "page.html", context)


def has_statement(site: Site) -> bool:
    """Whether the content has its own accessibility statement (content/pages/accessibilite.md);
    else the engine writes one from the configuration (`accessibility`)."""
    return any(urls.page(p) == urls.ACCESSIBILITE for p in site.pages)


def accessibility(site: Site, shared: Shared | None = None) -> Page:
    """The accessibility statement the RGAA requires, from the configuration: the status and
    its basis, what is not accessible, when and how it was made, whom to write to, and the
    Défenseur des droits."""
    shared = shared or Shared(site)
    path = urls.ACCESSIBILITE
    to = _Links(path)
    a11y = site.config.accessibilite
    established = a11y.date_declaration or a11y.date_audit
    context = shared.base(path, "Déclaration d’accessibilité", "pages")
    context.update(
        declaration={
            "etat": a11y.etat,
            "referentiel": a11y.referentiel,
            "date_audit": format_date(a11y.date_audit) if a11y.date_audit else None,
            "date": format_date(established) if established else None,
            "az": to(urls.AZ),
            "territoires": to(urls.TERRITOIRES),
        }
    )
    return Page(path, "accessibilite.html", context)


def search_page(site: Site, shared: Shared | None = None) -> Page:
    shared = shared or Shared(site)
    path = urls.SEARCH
    to = _Links(path)
    context = shared.base(path, "Rechercher", "search")
    context.update(
        index=to(search.INDEX_FILE),
        library=to(search.LIBRARY),
        az=to(urls.AZ),
        facets=search.facets(site),
        bands=list(search.POPULATION_BANDS),
    )
    return Page(path, "search.html", context)


def comparer(site: Site, shared: Shared | None = None) -> Page:
    """The comparison page: its script draws the histories of the collectivités a reader
    picks, from the data file of site/compare.py."""
    shared = shared or Shared(site)
    path = urls.COMPARER
    to = _Links(path)
    context = shared.base(path, "Comparer des collectivités", "comparer")
    context.update(data=to(urls.COMPARER_DATA), az=to(urls.AZ))
    return Page(path, "comparaison.html", context)


def donnees(site: Site, files: Sequence[DataFile], shared: Shared | None = None) -> Page:
    shared = shared or Shared(site)
    path = urls.DONNEES
    to = _Links(path)
    context = shared.base(path, "Données ouvertes", "donnees")
    context.update(
        page_context(site, files, to),
        jsonld=dataset_jsonld(files, to, [e.annee for e in site.editions], site.config),
    )
    return Page(path, "donnees.html", context, tuple((f.path, f.data) for f in files))


def not_found(site: Site, shared: Shared | None = None, base_url: str = "") -> Page:
    """A web host shows 404.html at the missing address, whatever its depth
    (`/palmares/une/adresse/perdue`), where links relative to the site's root would lead
    nowhere: with the public address, every link and style of the page is absolute."""
    path = urls.NOT_FOUND
    title = "Page introuvable"
    if base_url:
        context = _base(path, title, site, root=urls.absolute(base_url, urls.HOME))
    else:
        context = (shared or Shared(site)).base(path, title, "")
    return Page(path, "404.html", context)


def redirect(site: Site, old: str, c: Commune, nom: str, base_url: str) -> Page:
    """The address an earlier name gave (site/redirects.py), leading to the page."""
    target = urls.commune(c)
    link = urls.link(old, target)
    context = {
        "title": c.nom,
        "ancien_nom": nom,
        "target": link,
        "canonical": urls.absolute(base_url, target) if base_url else link,
        "static": urls.link(old, urls.STATIC),
        "site": {"titre": site.config.titre},
    }
    return Page(old, "redirect.html", context)
