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
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from palmares.content.model import Commune
from palmares.problems import Problem, Severity
from palmares.site import urls


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
    redirects: dict[str, tuple[Commune, str]] = {}
    problems: list[Problem] = []
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


def _warning(c: Commune, message: str) -> Problem:
    return Problem(c.source or "communes", 0, 0, message, Severity.WARNING)
