"""Permanent links: the address a collectivité had under each of its earlier names leads to
its page.

A collectivité's page lives at `collectivites/<name>-<département>/`, from its current name,
so the address reads like the place it shows (model.assign_slugs). When it is renamed or
merged, the editor moves the old name into `anciens_noms`; the address the old name gave is
then written as a small HTML page with a meta refresh and a canonical link to the new page:
it works on any static host and from `file://`, and search engines treat it as a permanent
move. No address that was ever published stops working.

A redirect never replaces a page: when an old name's address is the page of another
collectivité (a merged commune that keeps its own file for its earlier labels), or two
collectivités claim the same old address, the build warns and writes no redirect there.

Homonyms of one département: the elder keeps the name's address, the newcomer's has its
code added (model.assign_slugs), and the build says so. The elder's address with its code
added (where it lived when both had one) leads to its page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from palmares.content.model import Commune, seniority
from palmares.problems import Problem, Severity
from palmares.site import urls
from palmares.text import name_slug


def plan(communes: Iterable[Commune]) -> tuple[Mapping[str, tuple[Commune, str]], list[Problem]]:
    """Each old address → (the collectivité it leads to, the old name); and the clashes.
    `communes` carry their slugs (model.assign_slugs)."""
    communes = list(communes)
    pages = {urls.commune(c): c for c in communes}
    claims: dict[str, list[tuple[Commune, str]]] = defaultdict(list)
    for c in communes:
        own = urls.commune(c)
        for nom in c.anciens_noms:
            old = urls.former_commune(c, nom)
            if old != own and (c, nom) not in claims[old]:
                claims[old].append((c, nom))
    problems: list[Problem] = []
    for elder, younger in _homonyms(communes):
        claims[urls.homonym_commune(elder)].append((elder, elder.nom))
        problems.extend(_homonym_warning(c, elder) for c in younger)
    redirects: dict[str, tuple[Commune, str]] = {}
    for old, claimants in sorted(claims.items()):
        holder = pages.get(old)
        codes = {c.code for c, _ in claimants}
        if holder is not None:
            for c, nom in claimants:
                problems.append(
                    _warning(
                        c,
                        f"l'ancien nom « {nom} » donnerait l'adresse {urls.public(old)}, qui est "
                        f"la page de {holder.nom} ({holder.code}) : pas de redirection vers "
                        f"{c.nom}, la page de {holder.nom} reste à cette adresse",
                    )
                )
        elif len(codes) > 1:
            names = ", ".join(f"{c.nom} ({c.code})" for c, _ in claimants)
            for c, nom in claimants:
                problems.append(
                    _warning(
                        c,
                        f"l'ancien nom « {nom} » donnerait l'adresse {urls.public(old)}, que "
                        f"réclament aussi d'autres collectivités ({names}) : pas de redirection",
                    )
                )
        else:
            redirects[old] = claimants[0]
    return redirects, problems


def _homonyms(communes: list[Commune]) -> list[tuple[Commune, list[Commune]]]:
    """Each name a département holds more than once: the elder who keeps its address, and
    the others."""
    by_name: dict[str, list[Commune]] = defaultdict(list)
    for c in communes:
        by_name[name_slug(c.nom, c.departement)].append(c)
    found = []
    for slug, group in sorted(by_name.items()):
        if len(group) > 1:
            elder = next(c for c in group if c.slug == slug)
            found.append((elder, sorted((c for c in group if c is not elder), key=seniority)))
    return found


def _homonym_warning(c: Commune, elder: Commune) -> Problem:
    since = elder.labels[0].annee if elder.labels else "?"
    return _warning(
        c,
        f"{c.nom} ({c.code}) a le même nom que {elder.nom} ({elder.code}, {elder.source}) "
        f"dans le département {c.departement} : sa page est à l'adresse "
        f"{urls.public(urls.commune(c))}, l'adresse {urls.public(urls.commune(elder))} "
        f"reste celle de {elder.nom} ({elder.code}), labellisée depuis {since}",
    )


def _warning(c: Commune, message: str) -> Problem:
    return Problem(c.source or "communes", 0, 0, message, Severity.WARNING)
