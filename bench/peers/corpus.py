"""Our corpus (communes/ and content/) read into plain records, for the converters.

Deliberately independent of the engine's load/validate/model stages, which the benchmark
measures and which may change under it: this reads the synthetic corpus the way a one-off
migration script would, and trusts it (it is generated, hence valid). Only the stable
tables are shared: départements and régions (palmares.territory), slugs (palmares.text).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from palmares.territory import DEPARTEMENTS, Departement
from palmares.text import slugify, sort_key

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n?(.*)\Z", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Label:
    annee: int
    arobases: int
    mention: str | None
    distinctions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Commune:
    code: str
    nom: str
    type: str
    departement: Departement
    population: int | None
    site_web: str | None
    anciens_noms: tuple[str, ...]
    labels: tuple[Label, ...]
    """Oldest first."""
    slug: str
    source: str
    """Path relative to the corpus, e.g. `communes/59/marcq-en-baroeul-59378.yaml`."""


@dataclass(frozen=True, slots=True)
class Action:
    key: str
    """`2017/vocabulons`: the file's place under content/actions/, without `.md`."""
    titre: str
    commune: str
    annee: int
    domaines: tuple[str, ...]
    mention_speciale: bool
    lien: str | None
    body: str
    """Markdown."""
    source: str


@dataclass(frozen=True, slots=True)
class Domaine:
    slug: str
    titre: str
    ordre: int | None
    editions: tuple[int, ...]
    body: str


@dataclass(frozen=True, slots=True)
class Edition:
    annee: int
    numero: int | None
    date: dt.date | None
    lieu: str | None
    body: str


@dataclass(frozen=True, slots=True)
class FreePage:
    slug: str
    titre: str
    body: str


@dataclass(frozen=True, slots=True)
class Corpus:
    communes: tuple[Commune, ...]
    """In French alphabetical order."""
    actions: tuple[Action, ...]
    domaines: tuple[Domaine, ...]
    editions: tuple[Edition, ...]
    """Every year that has a label or a write-up, oldest first."""
    pages: tuple[FreePage, ...]

    def departements(self) -> list[Departement]:
        """The départements that have a collectivité, in INSEE order."""
        used = {c.departement.code for c in self.communes}
        return [d for code, d in DEPARTEMENTS.items() if code in used]


def _markdown(path: Path) -> tuple[dict[str, Any], str]:
    match = _FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    if match is None:
        raise ValueError(f"{path}: no front matter")
    return yaml.load(match.group(1), Loader=_Loader) or {}, match.group(2)


def _files(folder: Path, *patterns: str) -> list[Path]:
    return sorted(p for pattern in patterns for p in folder.glob(pattern) if p.is_file())


def read(source: Path) -> Corpus:
    communes: list[Commune] = []
    for path in _files(source / "communes", "**/*.yaml", "**/*.yml"):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
        labels = tuple(
            sorted(
                (
                    Label(
                        int(item["annee"]),
                        int(item["arobases"]),
                        item.get("mention"),
                        tuple(item.get("distinctions") or ()),
                    )
                    for item in data.get("labels") or ()
                ),
                key=lambda label: label.annee,
            )
        )
        communes.append(
            Commune(
                code=str(data["code"]),
                nom=str(data["nom"]),
                type=str(data.get("type") or "commune"),
                departement=DEPARTEMENTS[str(data["departement"])],
                population=data.get("population"),
                site_web=data.get("site_web"),
                anciens_noms=tuple(data.get("anciens_noms") or ()),
                labels=labels,
                slug="",
                source=path.relative_to(source).as_posix(),
            )
        )
    communes = _with_slugs(communes)

    actions: list[Action] = []
    root = source / "content" / "actions"
    for path in _files(root, "**/*.md"):
        meta, body = _markdown(path)
        actions.append(
            Action(
                key=path.relative_to(root).with_suffix("").as_posix(),
                titre=str(meta["titre"]),
                commune=str(meta["commune"]),
                annee=int(meta["annee"]),
                domaines=tuple(str(d) for d in meta["domaines"]),
                mention_speciale=bool(meta.get("mention_speciale")),
                lien=meta.get("lien"),
                body=body,
                source=path.relative_to(source).as_posix(),
            )
        )

    domaines = []
    for path in _files(source / "content" / "domaines", "*.md"):
        meta, body = _markdown(path)
        domaines.append(
            Domaine(
                path.stem,
                str(meta["titre"]),
                meta.get("ordre"),
                tuple(int(y) for y in meta.get("editions") or ()),
                body,
            )
        )
    domaines.sort(key=lambda d: (d.ordre if d.ordre is not None else 10**6, sort_key(d.titre)))

    texts: dict[int, Edition] = {}
    for path in _files(source / "content" / "palmares", "*.md"):
        meta, body = _markdown(path)
        year = int(meta["annee"])
        texts[year] = Edition(year, meta.get("numero"), meta.get("date"), meta.get("lieu"), body)
    years = sorted({label.annee for c in communes for label in c.labels} | set(texts))
    editions = tuple(texts.get(y, Edition(y, None, None, None, "")) for y in years)

    pages = []
    for path in _files(source / "content" / "pages", "*.md"):
        meta, body = _markdown(path)
        pages.append(FreePage(path.stem, str(meta["titre"]), body))

    return Corpus(tuple(communes), tuple(actions), tuple(domaines), editions, tuple(pages))


def _with_slugs(communes: list[Commune]) -> list[Commune]:
    """`nom-département`, with the code added for homonyms of one département, as ours."""
    base = {
        c.code: f"{slugify(c.nom, max_length=70)}-{c.departement.code.lower()}" for c in communes
    }
    seen: dict[str, int] = {}
    for slug in base.values():
        seen[slug] = seen.get(slug, 0) + 1
    named = [
        replace(c, slug=base[c.code] if seen[base[c.code]] == 1 else f"{base[c.code]}-{c.code}")
        for c in communes
    ]
    return sorted(named, key=lambda c: (sort_key(c.nom), c.code))
