"""The search index, written as a classic script so it loads from `file://` too
(no fetch, no module, no worker)."""

from __future__ import annotations

import json

from palmares import urls
from palmares.model import Site
from palmares.territory import DEPARTEMENTS
from palmares.text import words

INDEX_FILE = urls.static("search-index.js")


def _doc(kind: str, title: str, detail: str, url: str, *terms: str) -> list[str]:
    return [kind, title, detail, url, words(" ".join((title, *terms)))]


def index_documents(site: Site) -> list[list[str]]:
    """One entry per collectivité, action, domain and edition: kind, title, detail, URL from
    the site's root, and the folded words a query is matched against."""
    docs: list[list[str]] = []
    for c in site.communes:
        dept = DEPARTEMENTS[c.departement]
        latest = c.latest
        detail = f"{dept.nom} ({dept.code})"
        if latest is not None:
            detail += (
                f" · {latest.arobases} @ en {latest.annee}"
                if latest.arobases
                else f" · mention en {latest.annee}"
            )
        docs.append(
            _doc(
                "collectivité",
                c.nom,
                detail,
                urls.commune(c),
                *c.anciens_noms,
                dept.nom,
                dept.code,
                dept.region.nom,
                c.code,
            )
        )
    for a in site.actions:
        commune = site.by_code[a.commune]
        domaines = [site.by_domaine[s].titre for s in a.domaines]
        docs.append(
            _doc(
                "action",
                a.titre,
                f"{commune.nom} · {a.annee}",
                urls.action(a),
                commune.nom,
                *domaines,
            )
        )
    for d in site.domaines:
        docs.append(_doc("domaine", d.titre, "Domaine", urls.domaine(d)))
    for e in site.editions:
        docs.append(
            _doc(
                "édition",
                f"Palmarès {e.annee}",
                f"{len(e.laureates)} collectivités",
                urls.edition(e.annee),
                str(e.annee),
            )
        )
    return docs


def script(site: Site) -> str:
    payload = json.dumps(index_documents(site), ensure_ascii=False, separators=(",", ":"))
    # `<` escaped so no title can close the script element or open a comment.
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f"window.PALMARES_INDEX={payload};\n"
