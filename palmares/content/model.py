"""Stage 3: the typed records of the content, and the one immutable Site with every index
the pages need, computed once (no page ever scans the whole site)."""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Literal, NamedTuple

from palmares.content.config import DEFAULT, Config
from palmares.problems import Compact
from palmares.territory import DEPARTEMENTS, Departement, Region
from palmares.text import homonym_slug, name_slug, sort_key

CommuneType = Literal["commune", "intercommunalite"]


@dataclass(frozen=True, slots=True)
class Label(Compact):
    annee: int
    arobases: int
    mention: str | None = None
    distinctions: tuple[str, ...] = ()


_LABEL_VALUES = operator.attrgetter(*Label.__slots__)


def label_values(labels: tuple[Label, ...]) -> list[tuple[object, ...]]:
    """Each label's fields as a plain tuple, whose `repr` is what a digest of the labels is
    made of: three times quicker than a dataclass's for the 175 000 labels of 35 000
    collectivités, and every field of `Label` is in it."""
    return [_LABEL_VALUES(label) for label in labels]


@dataclass(frozen=True, slots=True)
class Commune(Compact):
    code: str
    nom: str
    departement: str
    type: CommuneType = "commune"
    population: int | None = None
    site_web: str | None = None
    coordonnees: tuple[float, float] | None = None
    anciens_noms: tuple[str, ...] = ()
    labels: tuple[Label, ...] = ()
    """Sorted by year."""
    source: str = ""
    slug: str = ""
    """Set by `build_site`: readable and unique among all collectivités."""

    @property
    def latest(self) -> Label | None:
        return self.labels[-1] if self.labels else None

    def label(self, annee: int) -> Label | None:
        return next((label for label in self.labels if label.annee == annee), None)


class Link(NamedTuple):
    """A write-up's link to another file of the source (`[Méthode](../pages/methode.md)`):
    where it is written (line and column from 1), as written, and the file it names,
    from the source's root (`content/pages/methode.md`); the page that shows the write-up
    links to that file's page (site/sourcelinks.py)."""

    line: int
    col: int
    written: str
    target: str


@dataclass(frozen=True, slots=True)
class Action(Compact):
    key: str
    """Derived from the file's place under content/actions/: `2017/vocabulons`."""
    titre: str
    commune: str
    annee: int
    domaines: tuple[str, ...]
    body_html: str
    mention_speciale: bool = False
    lien: str | None = None
    source: str = ""
    links: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class Domaine(Compact):
    slug: str
    titre: str
    body_html: str
    ordre: int | None = None
    editions: tuple[int, ...] = ()
    source: str = ""
    links: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class EditionText(Compact):
    annee: int
    body_html: str = ""
    numero: int | None = None
    date: dt.date | None = None
    lieu: str | None = None
    source: str = ""
    publie: bool = True
    """False while the palmarès is under embargo (content/embargo.py)."""
    links: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class Page(Compact):
    slug: str
    titre: str
    body_html: str
    source: str = ""
    links: tuple[Link, ...] = ()


Written = Action | Domaine | EditionText | Page
"""A record with a write-up, whose links may lead to other files (`Link`)."""


def sources(records: Records) -> set[str]:
    """The files of the records: each has its page."""
    found = {c.source for c in records.communes} | {a.source for a in records.actions}
    found |= {d.source for d in records.domaines} | {e.source for e in records.editions}
    return found | {p.source for p in records.pages}


def linking(records: Records) -> list[Written]:
    """The records whose write-ups link to other files of the source."""
    found: list[Written] = [*records.actions, *records.domaines, *records.editions, *records.pages]
    return [r for r in found if r.links]


@dataclass(frozen=True, slots=True)
class Edition:
    annee: int
    text: EditionText
    laureates: tuple[tuple[Commune, Label], ...]
    """Every collectivité labelled that year, in French alphabetical order."""
    actions: tuple[Action, ...]


@dataclass(frozen=True, slots=True)
class Records:
    """What validation hands to the model: every valid record of the content."""

    communes: tuple[Commune, ...]
    actions: tuple[Action, ...]
    domaines: tuple[Domaine, ...]
    editions: tuple[EditionText, ...]
    pages: tuple[Page, ...]


@dataclass(frozen=True)
class Site:
    communes: tuple[Commune, ...]
    """In French alphabetical order."""
    by_code: Mapping[str, Commune]
    actions: tuple[Action, ...]
    actions_by_commune: Mapping[str, tuple[Action, ...]]
    actions_by_domaine: Mapping[str, tuple[Action, ...]]
    domaines: tuple[Domaine, ...]
    by_domaine: Mapping[str, Domaine]
    editions: tuple[Edition, ...]
    """Oldest first."""
    departements: tuple[tuple[Departement, tuple[Commune, ...]], ...]
    """The départements that have a collectivité, in INSEE order."""
    regions: tuple[tuple[Region, tuple[Commune, ...]], ...]
    pages: tuple[Page, ...]
    drafts: tuple[int, ...] = ()
    """Editions under embargo that this site shows all the same (a preview: `--brouillons`)."""
    config: Config = DEFAULT
    """The site's configuration (palmares.toml): its title, organisation, footer links…"""

    @property
    def latest(self) -> Edition | None:
        return self.editions[-1] if self.editions else None


def action_sort_key(action: Action) -> tuple[int, tuple[str, str], str]:
    return (action.annee, sort_key(action.titre), action.key)


def _freeze(groups: Mapping[str, list[Action]]) -> Mapping[str, tuple[Action, ...]]:
    """Groups filled from the sorted actions are sorted already."""
    return MappingProxyType({key: tuple(items) for key, items in groups.items()})


def seniority(c: Commune) -> tuple[int, str]:
    """Who keeps a name's address among homonyms of one département: the one labelled first,
    then the smaller code. A newcomer, labelled at the latest edition, never takes it."""
    return (c.labels[0].annee if c.labels else 10**4, c.code)


def assign_slugs(communes: tuple[Commune, ...]) -> tuple[Commune, ...]:
    """`nom-departement`, so homonyms in different départements differ. When one département
    holds two, the elder (`seniority`) keeps that address and the other gets its code
    added: adding a homonym never moves a published page, whatever the files' order."""
    base = {c.code: name_slug(c.nom, c.departement) for c in communes}
    elder: dict[str, Commune] = {}
    for c in communes:
        held = elder.get(base[c.code])
        if held is None or seniority(c) < seniority(held):
            elder[base[c.code]] = c
    return tuple(
        _replace_slug(
            c,
            base[c.code]
            if elder[base[c.code]] is c
            else homonym_slug(c.nom, c.departement, c.code),
        )
        for c in communes
    )


def _replace_slug(commune: Commune, slug: str) -> Commune:
    return replace(commune, slug=slug)


def build_site(records: Records, drafts: tuple[int, ...] = (), config: Config = DEFAULT) -> Site:
    communes = tuple(
        sorted(assign_slugs(records.communes), key=lambda c: (*sort_key(c.nom), c.code))
    )
    by_code = MappingProxyType({c.code: c for c in communes})
    actions = tuple(sorted(records.actions, key=action_sort_key))  # one key per action

    by_commune: dict[str, list[Action]] = defaultdict(list)
    by_domaine_actions: dict[str, list[Action]] = defaultdict(list)
    by_year_actions: dict[int, list[Action]] = defaultdict(list)
    for action in actions:
        by_commune[action.commune].append(action)
        by_year_actions[action.annee].append(action)
        for slug in action.domaines:
            by_domaine_actions[slug].append(action)

    laureates: dict[int, list[tuple[Commune, Label]]] = defaultdict(list)
    for commune in communes:  # already in French order, so each year's list is too
        for label in commune.labels:
            laureates[label.annee].append((commune, label))
    texts = {text.annee: text for text in records.editions}
    # An action's year is an edition too, even before any label names it (write-ups
    # prepared ahead of the palmarès, which check only warns about): its pages link there.
    years = sorted(set(laureates) | set(texts) | set(by_year_actions))
    editions = tuple(
        Edition(
            annee=year,
            text=texts.get(year, EditionText(annee=year)),
            laureates=tuple(laureates.get(year, ())),
            actions=tuple(by_year_actions.get(year, ())),
        )
        for year in years
    )

    rank = {c.code: i for i, c in enumerate(communes)}  # French order, computed once
    by_dept: dict[str, list[Commune]] = defaultdict(list)
    for commune in communes:
        by_dept[commune.departement].append(commune)
    departements = tuple(
        (dept, tuple(by_dept[code])) for code, dept in DEPARTEMENTS.items() if code in by_dept
    )
    by_region: dict[str, list[Commune]] = defaultdict(list)
    region_of: dict[str, Region] = {}
    for dept, members in departements:
        by_region[dept.region.code].extend(members)
        region_of[dept.region.code] = dept.region
    regions = tuple(
        (region_of[code], tuple(sorted(members, key=lambda c: rank[c.code])))
        for code, members in sorted(
            by_region.items(), key=lambda item: sort_key(region_of[item[0]].nom)
        )
    )
    domaines = tuple(
        sorted(
            records.domaines,
            key=lambda d: (d.ordre if d.ordre is not None else 10**6, *sort_key(d.titre)),
        )
    )
    return Site(
        communes=communes,
        by_code=by_code,
        actions=actions,
        actions_by_commune=_freeze(by_commune),
        actions_by_domaine=_freeze(by_domaine_actions),
        domaines=domaines,
        by_domaine=MappingProxyType({d.slug: d for d in domaines}),
        editions=editions,
        departements=departements,
        regions=regions,
        pages=tuple(sorted(records.pages, key=lambda p: sort_key(p.titre))),
        drafts=drafts,
        config=config,
    )
