"""Our corpus as a Hugo project: content files with YAML front matter, taxonomies for every
list a page needs (Hugo's own index, so no template scans the whole site), and the minimal
layouts of peers/hugo/layouts/.

Page for page, the same site as ours: home, A–Z (the `collectivites` section), one page per
collectivité and per action, and the term pages of the taxonomies `palmares` (editions),
`domaines`, `departements` and `regions`, with their list pages as the indexes. Two helper
taxonomies (`acteurs`: a collectivité's actions; `laureats`: one edition's collectivités
by number of @) are looked up and never rendered.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from bench.peers.corpus import Commune, Corpus
from palmares.territory import Departement, Region
from palmares.text import slugify

TEMPLATES = Path(__file__).resolve().parent / "hugo"
STYLESHEET = Path(__file__).resolve().parents[2] / "layouts" / "static" / "style.css"
BASE_TEMPLATE = "layouts/baseof.html"
"""The template the benchmark's template change edits."""


def _front_matter(fields: dict[str, Any]) -> str:
    # JSON values are valid YAML flow scalars: exact quoting without yaml.dump's cost.
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def departement_term(d: Departement) -> str:
    return f"{d.code.lower()}-{slugify(d.nom)}"


def region_term(r: Region) -> str:
    return slugify(r.nom)


def commune_file(c: Commune) -> str:
    return f"content/collectivites/{c.code.lower()}.md"


def action_file(key: str) -> str:
    return f"content/actions/{key}.md"


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def convert(corpus: Corpus, dest: Path) -> None:
    """Write the Hugo project into `dest` (created; must not exist)."""
    shutil.copytree(TEMPLATES, dest)
    (dest / "static").mkdir()
    shutil.copy2(STYLESHEET, dest / "static" / "style.css")
    by_code = {c.code: c for c in corpus.communes}

    _write(dest, "content/_index.md", _front_matter({"title": "Palmarès Villes Internet"}))
    _write(
        dest,
        "content/collectivites/_index.md",
        _front_matter({"title": "Toutes les collectivités de A à Z"}),
    )
    for c in corpus.communes:
        d = c.departement
        fields: dict[str, Any] = {
            "title": c.nom,
            "code": c.code,
            "collectivite_type": c.type,
            "url": f"/collectivites/{c.slug}/",
            "departement_nom": d.nom,
            "departement_code": d.code,
            "region_nom": d.region.nom,
            "departements": [departement_term(d)],
            "regions": [region_term(d.region)],
            "laureats": [f"{label.annee}-{label.arobases}" for label in c.labels],
            "labels": [
                {
                    "annee": label.annee,
                    "arobases": label.arobases,
                    "mention": label.mention or "",
                    "distinctions": list(label.distinctions),
                }
                for label in c.labels
            ],
        }
        if c.population is not None:
            fields["population"] = c.population
        if c.site_web:
            fields["site_web"] = c.site_web
        if c.anciens_noms:
            fields["anciens_noms"] = list(c.anciens_noms)
        _write(dest, commune_file(c), _front_matter(fields))

    # Our site has no page listing every action, nor one for the free pages.
    hidden = {"render": "never", "list": "always"}
    _write(dest, "content/actions/_index.md", _front_matter({"title": "Actions", "build": hidden}))
    _write(dest, "content/pages/_index.md", _front_matter({"title": "Pages", "build": hidden}))
    for a in corpus.actions:
        fields = {
            "title": a.titre,
            "commune": a.commune.lower(),
            "commune_nom": by_code[a.commune].nom,
            "annee": a.annee,
            # Hugo 0.168's GroupByParam finds no group on an integer parameter.
            "edition": str(a.annee),
            "url": f"/actions/{a.key}/",
            "palmares": [str(a.annee)],
            "domaines": list(a.domaines),
            "acteurs": [a.commune.lower()],
        }
        if a.mention_speciale:
            fields["mention_speciale"] = True
        if a.lien:
            fields["lien"] = a.lien
        _write(dest, action_file(a.key), _front_matter(fields) + a.body)

    _write(dest, "content/domaines/_index.md", _front_matter({"title": "Domaines"}))
    for i, dom in enumerate(corpus.domaines, 1):
        fields = {"title": dom.titre, "weight": i, "editions": list(dom.editions)}
        _write(dest, f"content/domaines/{dom.slug}/_index.md", _front_matter(fields) + dom.body)

    _write(dest, "content/palmares/_index.md", _front_matter({"title": "Toutes les éditions"}))
    for e in corpus.editions:
        fields = {"title": f"Palmarès {e.annee}", "annee": e.annee}
        if e.numero is not None:
            fields["numero"] = e.numero
        if e.date is not None:
            fields["ceremonie"] = e.date.isoformat()
        if e.lieu:
            fields["lieu"] = e.lieu
        _write(dest, f"content/palmares/{e.annee}/_index.md", _front_matter(fields) + e.body)

    _write(dest, "content/departements/_index.md", _front_matter({"title": "Départements"}))
    departements = corpus.departements()
    for d in departements:
        fields = {
            "title": f"{d.nom} ({d.code})",
            "region_nom": d.region.nom,
            "region": region_term(d.region),
        }
        _write(dest, f"content/departements/{departement_term(d)}/_index.md", _front_matter(fields))
    _write(dest, "content/regions/_index.md", _front_matter({"title": "Régions"}))
    regions: dict[str, list[Departement]] = {}
    for d in departements:
        regions.setdefault(d.region.code, []).append(d)
    for members in regions.values():
        r = members[0].region
        fields = {
            "title": r.nom,
            "departements": [
                {"nom": d.nom, "code": d.code, "term": departement_term(d)} for d in members
            ],
        }
        _write(dest, f"content/regions/{region_term(r)}/_index.md", _front_matter(fields))

    for p in corpus.pages:
        _write(dest, f"content/pages/{p.slug}.md", _front_matter({"title": p.titre}) + p.body)
    for name in ("acteurs", "laureats"):
        # Lookup tables only: never rendered, neither the list nor its terms.
        build = {"render": "never", "list": "always"}
        _write(
            dest,
            f"content/{name}/_index.md",
            _front_matter({"title": name, "build": build, "cascade": {"build": build}}),
        )
