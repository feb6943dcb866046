"""Editions under embargo: the palmarès is prepared before the ceremony and must not be
public before it. An edition whose text says `publie: false` is left out of the public site
entirely, as if it were not written yet: its text, its labels, its actions, and the
collectivités labelled in it alone. Everything downstream (pages, search, open data, feeds,
sitemap, pictures) is made from what is left, so nothing of it can leak.

A preview (`build --brouillons`, `serve`) keeps it all and marks the pages that show it
(site/plan.py: `Site.drafts`).
"""

from __future__ import annotations

from dataclasses import replace

from palmares.content.model import Records, linking, sources
from palmares.problems import Problem


def embargoed(records: Records) -> tuple[int, ...]:
    """The years of the editions under embargo, in order."""
    return tuple(sorted(e.annee for e in records.editions if not e.publie))


def public(records: Records, years: tuple[int, ...]) -> Records:
    """`records` without anything of the editions of `years`."""
    if not years:
        return records
    hidden = set(years)
    communes = []
    for commune in records.communes:
        labels = tuple(label for label in commune.labels if label.annee not in hidden)
        if len(labels) == len(commune.labels):
            communes.append(commune)
        elif labels:  # labelled in that edition alone: not on the site before it is public
            communes.append(replace(commune, labels=labels))
    return Records(
        communes=tuple(communes),
        actions=tuple(a for a in records.actions if a.annee not in hidden),
        domaines=tuple(
            replace(d, editions=tuple(y for y in d.editions if y not in hidden))
            if hidden.intersection(d.editions)
            else d
            for d in records.domaines
        ),
        editions=tuple(e for e in records.editions if e.annee not in hidden),
        pages=records.pages,
    )


def leaks(public: Records, records: Records) -> list[Problem]:
    """Each link of the public site's write-ups to a file it leaves out (model.Link): the
    page would tell what is under embargo, and lead nowhere."""
    linking_records = linking(public)
    if public is records or not linking_records:
        return []
    hidden = sources(records) - sources(public)
    return [
        Problem(
            record.source,
            link.line,
            link.col,
            f"le lien « {link.written} » mène à {link.target}, qui n’est pas encore public "
            "(son édition est sous embargo, `publie: false`) : retirez-le jusqu’à la "
            "publication du palmarès",
        )
        for record in linking_records
        for link in record.links
        if link.target in hidden
    ]
