"""Progression, edition by edition (« s'évaluer », issue 16): for each label of an edition,
how it compares with the collectivité's previous label. Computed here only, by `change`, and
used by the edition page (`page_context`), the open data (exports.label_row) and the
editions feed (`sentence`).

The five cases, for a label of year Y, the edition before Y being P (the year before Y
among the site's editions, `Site.editions`, whether or not P labelled anyone):

- `premiere`: the collectivité has no label before Y in this palmarès;
- `retour`: it has one, but none in P (labelled in 2015 and 2017 while 2016 was an
  edition: a return in 2017);
- `hausse`, `stable`, `baisse`: it was labelled in P, with fewer, as many, more @ than in Y.

The mention simple of the early editions (`arobases: 0`) is a label with 0 @: a
collectivité going from it to 1 @ is `hausse`, from 1 @ to it `baisse`, and from it to it
again `stable`; after a gap, it is `retour` like any label.

The oldest edition of the site has no progression (None): nothing in the palmarès comes
before it, and calling all its laureates `premiere` would be wrong whenever the palmarès
starts after the label did (the example content starts with the 18th edition).

A change depends only on the collectivité's own labels and on the list of editions: the
edition page's `shows` (site/plan.py) names its laureates' files, and the years of the
editions are in every page's key; the open data's key (exports.fingerprint) holds both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from palmares.content.model import Edition, Label, Site
from palmares.text import NARROW_NBSP, plural

Evolution = Literal["premiere", "retour", "hausse", "stable", "baisse"]
EVOLUTIONS: tuple[Evolution, ...] = ("premiere", "retour", "hausse", "stable", "baisse")
"""In the order the page and the feed give them."""


@dataclass(frozen=True, slots=True)
class Change:
    """How one label compares with the collectivité's label before it."""

    evolution: Evolution
    previous: Label | None
    """The collectivité's last label before this one; None for a `premiere`."""


def change(labels: Sequence[Label], label: Label, previous_edition: int) -> Change:
    """The change of `label`, one of a collectivité's `labels` (sorted by year, as
    `Commune.labels` are), `previous_edition` being the year of the edition just before
    `label.annee`."""
    before: Label | None = None
    for earlier in labels:
        if earlier.annee >= label.annee:
            break
        before = earlier
    if before is None:
        return Change("premiere", None)
    if before.annee != previous_edition:
        return Change("retour", before)
    if label.arobases > before.arobases:
        return Change("hausse", before)
    if label.arobases < before.arobases:
        return Change("baisse", before)
    return Change("stable", before)


def previous_edition(site: Site, edition: Edition) -> Edition | None:
    """The edition just before `edition` among the site's, None for the oldest."""
    years = [e.annee for e in site.editions]
    index = years.index(edition.annee)
    return site.editions[index - 1] if index > 0 else None


def changes(site: Site, edition: Edition) -> tuple[Change, ...] | None:
    """The change of each laureate of `edition`, in the order of `edition.laureates`
    (French alphabetical order); None for the oldest edition of the site."""
    previous = previous_edition(site, edition)
    if previous is None:
        return None
    return tuple(change(c.labels, label, previous.annee) for c, label in edition.laureates)


def counts(found: Sequence[Change]) -> dict[Evolution, int]:
    """How many laureates in each case, every case present (0 when none)."""
    result: dict[Evolution, int] = dict.fromkeys(EVOLUTIONS, 0)
    for item in found:
        result[item.evolution] += 1
    return result


def sentence(site: Site, edition: Edition) -> str:
    """The editions feed's sentence: « D’une édition à l’autre : 12 collectivités labellisées
    pour la première fois, 1 collectivité de retour après une absence, 20 collectivités avec
    plus d’@ qu’en 2016… », the cases with no laureate left out; "" for the oldest edition
    and for an edition that labels no one."""
    previous = previous_edition(site, edition)
    found = changes(site, edition)
    if previous is None or not found:
        return ""
    than = f"qu’en {previous.annee}"
    phrases: dict[Evolution, str] = {
        "premiere": "pour la première fois",
        "retour": "de retour après une absence",
        "hausse": f"avec plus d’@ {than}",
        "stable": f"avec autant d’@ {than}",
        "baisse": f"avec moins d’@ {than}",
    }
    parts = [
        f"{plural(n, 'collectivité')} "
        + (f"labellisée{'s' if n > 1 else ''} " if evolution == "premiere" else "")
        + phrases[evolution]
        for evolution, n in counts(found).items()
        if n
    ]
    return f"D’une édition à l’autre{NARROW_NBSP}: {', '.join(parts)}."


def page_context(
    site: Site, edition: Edition, refs: Sequence[dict[str, Any]]
) -> dict[str, Any] | None:
    """What the edition page's « D'une édition à l'autre » shows (the edition before is the
    page's own `previous`): each case with its count and its collectivités (French
    alphabetical order, never a rank), each as the page refers to it with its label
    (`refs`, one a laureate, in the edition's order), plus its previous label. None when
    the edition labels no one; no case in the oldest edition."""
    if not edition.laureates:
        return None
    found = changes(site, edition)
    if found is None:
        return {"groups": []}
    members: dict[Evolution, list[dict[str, Any]]] = {evolution: [] for evolution in EVOLUTIONS}
    for ref, item in zip(refs, found, strict=True):
        before = item.previous
        members[item.evolution].append(
            {
                **ref,
                "precedent": {"annee": before.annee, "arobases": before.arobases}
                if before
                else None,
            }
        )
    return {
        "groups": [
            {"evolution": evolution, "count": len(communes), "communes": communes}
            for evolution, communes in members.items()
            if communes
        ],
    }
