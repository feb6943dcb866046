"""Every output of the site, in order, each with the records it shows.

The plan is the site's table of contents: the page families, the redirects, the search
index, the open data, the feeds and sitemap, the static files. Each output declares the
source files whose records it shows (`shows`), or named values standing for what is not a
file (a distribution of « Se comparer », the fields the open data shows, the library that
draws the panels: pseudo-sources, each with its digest); its key is a digest of those
and of what every page shares (the engine, the templates, the options, the navigation,
every address). An output whose key did not change since the last build need not be
prepared again: declared, not traced (STYLE habit 1). A declaration that forgets a record
makes a stale page; tests/test_incremental.py builds random edits incrementally and from
clean and compares every byte.
"""

from __future__ import annotations

import functools
import hashlib
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from palmares.content.model import (
    Action,
    Commune,
    Domaine,
    Edition,
    Site,
    Written,
    label_values,
)
from palmares.site import compare, exports, feeds, pages, search, sourcelinks, urls
from palmares.site.figures import panels
from palmares.site.figures.charts import population_band
from palmares.site.options import Options
from palmares.site.pages import Page

File = tuple[str, bytes]
"""A file of the output: its path under the site's root, and its bytes."""

EVERYTHING = ("*",)
"""`shows` of an output made from the whole site (the home page, the indexes, search, the
feeds): every source, each collectivité and action as lists show it (LISTED), since none of
them shows a website, a population but by its band, a write-up, nor the open data's rows."""

OPENDATA = "donnees:"
"""Pseudo-source of the open data: its digest is that of the fields it shows
(exports.fingerprint), so a write-up's text does not make it again."""
PANEL_RENDERER = "panneaux:"
"""Pseudo-source of the library that draws the panels' PNG (its version)."""
LISTED = "liste:"
"""Prefix of the pseudo-source of a record as every page but its own shows it. A
collectivité in the lists of editions, domains and territories, its actions' pages, its
panels, and through EVERYTHING the whole-site pages: its file but its website, and its
population as its band; a new population in the same band, or a new website, makes its own
page again and the open data (which has its own key), nothing else. Its digest: `_listed`.
An action in its collectivité's, edition's and domains' lists and the whole-site pages: its
file but its write-up (a list shows its title, year, collectivité, domains); a write-up's
text makes its own page and its full-text search part again, nothing else. Its digest:
`_listed_action`."""


@dataclass(frozen=True, slots=True)
class Output:
    """One output of the site: a page, or a group of files made together."""

    id: str
    """The page's path, or the name of the group."""
    key: str
    """Changes whenever what the output shows changes."""
    make: Callable[[], Page | list[File]]


class Keys:
    """Keys of outputs: what every output shares, plus the digests of what each shows."""

    def __init__(self, shared: str, digests: Mapping[str, str], hidden: Iterable[str] = ()) -> None:
        """`hidden`: the sources EVERYTHING does not show: each collectivité's and action's
        file, seen through its LISTED stand-in, and the open data's fields, which have their
        page."""
        self.shared = hashlib.blake2b(shared.encode(), digest_size=16)
        # Each source as the bytes its outputs' keys are made of, encoded once.
        self.parts = _Parts({source: f"\0{source}\0{d}".encode() for source, d in digests.items()})
        unseen = set(hidden)
        everything = self.shared.copy()
        everything.update(
            b"".join(self.parts[source] for source in sorted(self.parts) if source not in unseen)
        )
        self.everything = everything.hexdigest()

    def __call__(self, id: str, shows: Iterable[str]) -> str:
        if shows is EVERYTHING:
            return f"{self.everything}:{id}"
        h = self.shared.copy()
        h.update(id.encode())
        h.update(b"".join(map(self.parts.__getitem__, shows)))
        return h.hexdigest()


class _Parts(dict[str, bytes]):
    """Each source's bytes in a key; a source with no digest (none was read: an unknown
    domain, say) is its name alone."""

    def __missing__(self, source: str) -> bytes:
        return f"\0{source}\0".encode()


def plan(
    site: Site,
    digests: Mapping[str, str],
    redirects: Mapping[str, tuple[Commune, str]],
    static: Callable[[], list[File]],
    options: Options,
    salt: str,
) -> list[Output]:
    """Every output of the site in order: the heaviest first (they start first when the
    work is shared between processes), the feeds, sitemap and static files last."""
    # A collectivité's address is in the key of every page that shows it: it may change with
    # another file (a homonym gives both their codes).
    addresses = {c.source: f"{digests.get(c.source, '')}:{c.slug}" for c in site.communes}
    shared = pages.Shared(site)
    # A collectivité's « Se comparer » section shows its band's, département's and région's
    # distributions of @ (site/compare.py): each is a pseudo-source, its digest its counts.
    comparisons = shared.comparisons
    values = {
        OPENDATA: exports.fingerprint(site, options.base_url),
        PANEL_RENDERER: panels.RENDERER,
    }
    in_lists = {LISTED + c.source: _listed(c) for c in site.communes}
    in_lists |= {LISTED + a.source: _listed_action(a) for a in site.actions}
    keys = Keys(
        _shared(site, salt),
        {**digests, **addresses, **in_lists, **comparisons.digests(), **values},
        hidden=[*addresses, *(a.source for a in site.actions), OPENDATA],
    )
    drafts = _draft_sources(site)

    def page(path: str, family: Callable[..., Page], shows: Iterable[str], *args: Any) -> Output:
        draft = bool(drafts) and (shows is EVERYTHING or not drafts.isdisjoint(shows))
        make = functools.partial(_page, family, site, args, shared, options, draft)
        return Output(path, keys(path, shows), make)

    def group(id: str, shows: Iterable[str], make: Callable[[], list[File]]) -> Output:
        return Output(id, keys(id, shows), make)

    outputs = [
        # The files made from the whole site first: in a build that changes one record, they
        # are most of the work, and started first they run beside the pages on another core.
        # The open data shows every collectivité and action, but only some of their fields;
        # its files are made with the page that describes them.
        page(urls.DONNEES, _donnees, (OPENDATA,), options.base_url),
        group("recherche/", EVERYTHING, lambda: list(search.main_files(site))),
        page(urls.HOME, pages.home, EVERYTHING),
        page(urls.EDITIONS, pages.editions_index, EVERYTHING),
        *(
            page(urls.edition(e.annee), pages.edition, _edition_shows(site, e), e)
            for e in site.editions
        ),
        page(urls.DOMAINES, pages.domaines_index, EVERYTHING),
        *(page(urls.domaine(d), pages.domaine, _domaine_shows(site, d), d) for d in site.domaines),
        *(page(urls.action(a), pages.action, _action_shows(site, a), a) for a in site.actions),
        # The A–Z list shows every collectivité as lists show it, and nothing else.
        page(urls.AZ, pages.az_index, _as_listed(site.communes)),
        *(
            page(urls.commune(c), pages.commune, _commune_shows(site, c, comparisons), c)
            for c in site.communes
        ),
        # Each collectivité's panels: its name and labels, the organisation (in every key),
        # and the library that draws the PNG.
        *(
            group(
                urls.panels(c),
                (LISTED + c.source, PANEL_RENDERER),
                functools.partial(panels.files, c, site.config.organisation),
            )
            for c in site.communes
            if c.labels
        ),
        page(urls.TERRITOIRES, pages.territoires_index, EVERYTHING),
        *(page(urls.region(r), pages.region, _as_listed(m), r, m) for r, m in site.regions),
        *(
            page(urls.departement(d), pages.departement, _as_listed(m), d, m)
            for d, m in site.departements
        ),
        *(page(urls.page(p), pages.free_page, [p.source, *_links(p)], p) for p in site.pages),
        *(
            [page(urls.ACCESSIBILITE, pages.accessibility, ())]
            if not pages.has_statement(site)
            else []
        ),
        page(urls.SEARCH, pages.search_page, EVERYTHING),
        # The comparison page shows no record; its data file, every collectivité's labels.
        page(urls.COMPARER, pages.comparer, ()),
        group(
            urls.COMPARER_DATA,
            _as_listed(site.communes),
            lambda: [(urls.COMPARER_DATA, compare.data_script(site))],
        ),
        page(urls.NOT_FOUND, functools.partial(pages.not_found, base_url=options.base_url), ()),
        *(
            Output(
                old,
                keys(old, (LISTED + c.source,)),
                functools.partial(pages.redirect, site, old, c, nom, options.base_url),
            )
            for old, (c, nom) in redirects.items()
        ),
        # Each part of the write-ups' text shows its actions only.
        *(
            group(
                search.text_file(n),
                _sources(chunk),
                functools.partial(search.text_file_of, n, chunk),
            )
            for n, chunk in enumerate(search.text_chunks(site), 1)
        ),
    ]
    listed = sorted(
        o.id
        for o in outputs
        if o.id.endswith(".html") and o.id != urls.NOT_FOUND and o.id not in redirects
    )
    outputs += [
        group("flux/", EVERYTHING, lambda: feeds.files(site, listed, options.base_url)),
        group("static/", (), static),
    ]
    logo = site.config.logo
    if logo is not None:  # its bytes are in the configuration's digest, thus in every key
        outputs.append(group(urls.LOGO, (), lambda: [(urls.logo(logo.suffix), logo.data)]))
    return outputs


def _page(
    family: Callable[..., Page],
    site: Site,
    args: tuple[Any, ...],
    shared: pages.Shared,
    options: Options,
    draft: bool = False,
) -> Page:
    """A page of `family`, with what the options add to every page; `draft`: it shows
    something of an edition under embargo (a preview), and says so."""
    page = family(site, *args, shared=shared)
    context = page.context
    if "canonical" not in context:  # a redirect says where it leads itself
        return page
    extra: dict[str, Any] = {}
    if draft:
        extra["brouillon"] = list(site.drafts)
    if options.base_url and page.path != urls.NOT_FOUND:
        extra["canonical"] = urls.absolute(options.base_url, page.path)
        if context.get("image"):  # a social network takes only an absolute address
            extra["image_url"] = urls.absolute(options.base_url, context["image"]["path"])
    if options.archive:
        extra["archive"] = context["root"] + urls.ARCHIVE
    return replace(page, context={**context, **extra}) if extra else page


def _donnees(site: Site, base_url: str, shared: pages.Shared) -> Page:
    """The open data's page, with the files it describes (their sizes)."""
    return pages.donnees(site, exports.files(site, base_url), shared=shared)


def _draft_sources(site: Site) -> frozenset[str]:
    """The sources of what the site shows of the editions under embargo (`Site.drafts`):
    their texts, their actions, the collectivités they label. A page that shows one of
    them is marked as a draft."""
    if not site.drafts:
        return frozenset()
    years = set(site.drafts)
    found = {e.text.source for e in site.editions if e.annee in years and e.text.source}
    found |= {c.source for c in site.communes if years.intersection(x.annee for x in c.labels)}
    found |= {a.source for a in site.actions if a.annee in years}
    found |= {LISTED + source for source in found}
    return frozenset(found | {OPENDATA})  # every label and action of the preview


def _sources(records: Iterable[Commune | Action]) -> list[str]:
    return [r.source for r in records]


def _as_listed(records: Iterable[Commune | Action]) -> list[str]:
    return [LISTED + r.source for r in records]


def _listed(c: Commune) -> str:
    """The digest of `c` as the pages that list it show it (LISTED): every field of its file
    but its website, its population as its band. tests/test_incremental.py changes each
    field and checks which pages change."""
    shown = (
        c.code, c.nom, c.type, c.departement, c.slug, c.coordonnees, c.anciens_noms,
        label_values(c.labels),
        population_band(c.population),
    )  # fmt: skip
    return _digest(shown)


_ACTION_LISTED = operator.attrgetter(
    *(name for name in Action.__slots__ if name not in ("body_html", "links"))
)


def _listed_action(a: Action) -> str:
    """The digest of `a` as the pages that list it show it (LISTED): every field of its file
    but its write-up, taken from `Action`'s fields so that a new one is in it.
    tests/test_incremental.py edits write-ups and titles and checks which pages change."""
    return _digest(_ACTION_LISTED(a))


def _digest(shown: tuple[object, ...]) -> str:
    return hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()


def _domaines_of(site: Site, actions: Iterable[Action]) -> list[str]:
    """The sources of the actions' domains, each once, in order (a few: a list is quicker
    than a set)."""
    found: list[str] = []
    for a in actions:
        for slug in a.domaines:
            source = site.by_domaine[slug].source
            if source not in found:
                found.append(source)
    return found


def _commune_shows(site: Site, c: Commune, comparisons: compare.Comparisons) -> list[str]:
    actions = site.actions_by_commune.get(c.code, ())
    return [c.source, *_as_listed(actions), *_domaines_of(site, actions), *comparisons.shows(c)]


def _links(record: Written) -> list[str]:
    """What a write-up's links to source files show: the collectivités' addresses, which
    LISTED holds (sourcelinks.shows)."""
    return [LISTED + source for source in sourcelinks.shows(record)] if record.links else []


def _action_shows(site: Site, a: Action) -> list[str]:
    return [
        a.source,
        LISTED + site.by_code[a.commune].source,
        *_domaines_of(site, (a,)),
        *_links(a),
    ]


def _domaine_shows(site: Site, d: Domaine) -> list[str]:
    actions = site.actions_by_domaine.get(d.slug, ())
    communes = sorted({LISTED + site.by_code[a.commune].source for a in actions})
    return [d.source, *_as_listed(actions), *communes, *_domaines_of(site, actions), *_links(d)]


def _edition_shows(site: Site, edition: Edition) -> list[str]:
    """Its text, its laureates, its actions and their domains. Its progression (each
    laureate against its previous label, site/progression.py) needs no more: a laureate's
    earlier labels are in its own file, listed here, and the years of the editions are in
    every page's key (`_shared`)."""
    actions = edition.actions
    communes = {LISTED + c.source for c, _ in edition.laureates}
    communes |= {LISTED + site.by_code[a.commune].source for a in actions}
    return [
        edition.text.source,
        *sorted(communes),
        *_as_listed(actions),
        *_domaines_of(site, actions),
        *_links(edition.text),
    ]


def _shared(site: Site, salt: str) -> str:
    """What every page shows or depends on, whichever its records: the engine, the
    templates and the options (`salt`), the navigation (free pages, editions)."""
    parts = [
        salt,
        repr([(p.slug, p.titre) for p in site.pages]),
        repr([e.annee for e in site.editions]),
        repr(site.drafts),
    ]
    return "\0".join(parts)
