"""Our corpus as a Pelican project: actions as articles, collectivités as pages, and a page
with its own template for each edition, domain, département and région; the minimal theme
and settings of peers/pelican/. Metadata is Pelican's Markdown `Key: value` header, so
nested data (a collectivité's labels) travels as JSON in one field.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bench.peers.corpus import Commune, Corpus
from palmares.territory import Departement, Region
from palmares.text import slugify

TEMPLATES = Path(__file__).resolve().parent / "pelican"
STYLESHEET = Path(__file__).resolve().parents[2] / "layouts" / "static" / "style.css"
BASE_TEMPLATE = "theme/templates/base.html"
"""The template the benchmark's template change edits."""


def _document(meta: dict[str, object], body: str = "") -> str:
    lines = [f"{key}: {value}" for key, value in meta.items() if value not in (None, "")]
    return "\n".join(lines) + "\n\n" + body


def _where(path: str) -> dict[str, str]:
    return {
        "Slug": path.strip("/").replace("/", "-"),
        "Url": path + "index.html",
        "Save_as": path + "index.html",
    }


def departement_term(d: Departement) -> str:
    return f"{d.code.lower()}-{slugify(d.nom)}"


def region_term(r: Region) -> str:
    return f"region-{slugify(r.nom)}"


def commune_file(c: Commune) -> str:
    return f"content/pages/collectivites/{c.code.lower()}.md"


def action_file(key: str) -> str:
    return f"content/actions/{key}.md"


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def convert(corpus: Corpus, dest: Path) -> None:
    """Write the Pelican project into `dest` (created; must not exist)."""
    shutil.copytree(TEMPLATES, dest)
    (dest / "theme" / "static").mkdir(parents=True)
    shutil.copy2(STYLESHEET, dest / "theme" / "static" / "style.css")

    for c in corpus.communes:
        d = c.departement
        labels = [
            {
                "annee": label.annee,
                "arobases": label.arobases,
                "mention": label.mention or "",
                "distinctions": list(label.distinctions),
            }
            for label in c.labels
        ]
        meta: dict[str, object] = {
            "Title": c.nom,
            "Template": "commune",
            "Code": c.code,
            "Nature": c.type,
            "Departement": departement_term(d),
            "Departement_nom": d.nom,
            "Departement_code": d.code,
            "Region": region_term(d.region),
            "Region_nom": d.region.nom,
            "Population": c.population,
            "Site_web": c.site_web,
            "Anciens_noms": ", ".join(c.anciens_noms),
            "Laureats": ", ".join(f"{label.annee}-{label.arobases}" for label in c.labels),
            "Labels": json.dumps(labels, ensure_ascii=False),
            **_where(f"collectivites/{c.slug}/"),
        }
        _write(dest, commune_file(c), _document(meta))

    for a in corpus.actions:
        meta = {
            "Title": a.titre,
            "Date": f"{a.annee}-01-01",
            "Commune": a.commune,
            "Annee": a.annee,
            "Domaines": ", ".join(a.domaines),
            "Mention_speciale": "oui" if a.mention_speciale else None,
            "Lien": a.lien,
            **_where(f"actions/{a.key}/"),
        }
        _write(dest, action_file(a.key), _document(meta, a.body))

    for i, dom in enumerate(corpus.domaines, 1):
        meta = {
            "Title": dom.titre,
            "Template": "domaine",
            "Domaine": dom.slug,
            "Ordre": f"{i:03d}",
            "Editions": ", ".join(str(y) for y in dom.editions),
            **_where(f"domaines/{dom.slug}/"),
        }
        _write(dest, f"content/pages/domaines/{dom.slug}.md", _document(meta, dom.body))

    for e in corpus.editions:
        meta = {
            "Title": f"Palmarès {e.annee}",
            "Template": "edition",
            "Edition": e.annee,
            "Numero": e.numero,
            "Ceremonie": e.date.isoformat() if e.date else None,
            "Lieu": e.lieu,
            **_where(f"palmares/{e.annee}/"),
        }
        _write(dest, f"content/pages/palmares/{e.annee}.md", _document(meta, e.body))

    departements = corpus.departements()
    regions: dict[str, list[Departement]] = {}
    for d in departements:
        regions.setdefault(d.region.code, []).append(d)
        meta = {
            "Title": f"{d.nom} ({d.code})",
            "Template": "departement",
            "Territoire": departement_term(d),
            "Parent": region_term(d.region),
            "Parent_nom": d.region.nom,
            **_where(f"territoires/{departement_term(d)}/"),
        }
        _write(dest, f"content/pages/territoires/{departement_term(d)}.md", _document(meta))
    for members in regions.values():
        r = members[0].region
        listed = [{"nom": d.nom, "code": d.code, "term": departement_term(d)} for d in members]
        meta = {
            "Title": r.nom,
            "Template": "region",
            "Territoire": region_term(r),
            "Departements": json.dumps(listed, ensure_ascii=False),
            **_where(f"territoires/{region_term(r)}/"),
        }
        _write(dest, f"content/pages/territoires/{region_term(r)}.md", _document(meta))

    for p in corpus.pages:
        meta = {"Title": p.titre, **_where(f"pages/{p.slug}/")}
        _write(dest, f"content/pages/pages/{p.slug}.md", _document(meta, p.body))
