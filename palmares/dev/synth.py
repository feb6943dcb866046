"""A deterministic synthetic corpus in the CONTENT.md format, for tests and benchmarks.

    python -m palmares.dev.synth --communes 2000 --actions 6000 --editions 20 --seed 1 OUT
    python -m palmares.dev.synth --preset writeups OUT   # the same, with 1–3 KB write-ups

The collectivités are real ones, drawn from the official geography shipped with the code
(palmares/data/geographie.zip, through palmares.content.geography): their codes, names,
départements and populations are the list's, so `python build.py check` finds nothing to say
about a synthetic corpus and homonyms, ligatures and apostrophes occur as they do in life.
Labels, actions and editions are invented.

The same arguments always give byte-identical files: every choice comes from one
`random.Random(seed)` over lists sorted by code, and nothing depends on set order, the
clock or the machine. YAML is written by hand rather than with `yaml.dump`, which is far
too slow for a national corpus (35 000 collectivités, 60 000 actions) and would not show
the quoting editors use.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import random
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from palmares.content.geography import Geography, Official, official
from palmares.territory import DEPARTEMENTS, Departement, box
from palmares.text import name_slug

FIRST_LABEL_YEAR = 2000
"""Edition 1 took place in 2000 (2023 was the 24th), so `numero` is `annee - 1999`."""

# ---------------------------------------------------------------------------------------
# Real collectivités every corpus starts with, in this order: the homonyms Saint-Denis 93
# and 974 first, then the spellings that break naive code (œ, ÿ, '), Corsica, each overseas
# département, and more homonyms (Montreuil, Valence, Saint-Pierre). Names and populations
# come from the official list; the coordinates are the real ones (None: drawn like others').

_NOTABLE_COMMUNES: tuple[tuple[str, tuple[float, float] | None], ...] = (
    ("93066", (48.9362, 2.3574)),  # Saint-Denis
    ("97411", (-20.8823, 55.4504)),  # Saint-Denis (La Réunion)
    ("59378", (50.6700, 3.1000)),  # Marcq-en-Barœul
    ("94038", (48.7797, 2.3375)),  # L'Haÿ-les-Roses
    ("59009", (50.6233, 3.1450)),  # Villeneuve-d'Ascq
    ("95313", (49.1111, 2.2228)),  # L'Isle-Adam
    ("69081", (45.7744, 4.7775)),  # Écully
    ("2A004", (41.9192, 8.7386)),  # Ajaccio
    ("2B033", (42.6970, 9.4503)),  # Bastia
    ("97101", (16.2710, -61.5045)),  # Les Abymes
    ("97209", (14.6161, -61.0588)),  # Fort-de-France
    ("97302", (4.9224, -52.3135)),  # Cayenne
    ("97416", (-21.3393, 55.4781)),  # Saint-Pierre (La Réunion)
    ("97611", (-12.7806, 45.2279)),  # Mamoudzou
    ("91228", (48.6290, 2.4410)),  # Évry-Courcouronnes, a commune nouvelle
    ("02201", (49.3333, 3.1667)),  # Cœuvres-et-Valsery
    ("93048", (48.8638, 2.4485)),  # Montreuil
    ("85148", None),  # Montreuil (Vendée)
    ("26362", (44.9334, 4.8924)),  # Valence
    ("82186", (44.1081, 0.8908)),  # Valence (Tarn-et-Garonne)
    ("97225", (14.7431, -61.1756)),  # Saint-Pierre (Martinique)
    ("92040", (48.8245, 2.2736)),  # Issy-les-Moulineaux
    ("54547", (48.6566, 6.1700)),  # Vandœuvre-lès-Nancy
    ("75056", (48.8566, 2.3522)),  # Paris
)

INTERCOMMUNALITE_SHARE = 10
"""One collectivité in ten is an intercommunalité, as long as the official list has enough."""

# Where a name's qualifier starts: `Marcq-en-Barœul` was plausibly once just `Marcq`.
_QUALIFIERS = re.compile(r"-(?:sur|sous|lès|lez|en|les|le|la|de|des|du|aux|au|et|près)-|-d'")
# The kind of intercommunalité an earlier one of the same territory plausibly was.
_EARLIER_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "CC": "Communauté de communes",
        "CA": "Communauté de communes",
        "CU": "Communauté d'agglomération",
        "METRO": "Communauté urbaine",
        "MET69": "Communauté urbaine",
        "EPT": "Communauté d'agglomération",
    }
)

# ---------------------------------------------------------------------------------------
# Labels.

_AROBASES = (1, 2, 3, 4, 5)
_AROBASE_WEIGHTS = (30, 34, 22, 10, 4)
_MENTIONS = ("Prix spécial du jury", "Coup de cœur du jury", "Mention « jeune territoire »")
_DISTINCTIONS = (
    "Territoire d'excellence numérique",
    "Mention gouvernement ouvert",
    "Arobase verte",
    "Prix de l'accessibilité",
)
_SIMPLE_MENTION = "Mention simple"

# ---------------------------------------------------------------------------------------
# Content: domains, actions, editions.


@dataclass(frozen=True, slots=True)
class _Domain:
    slug: str
    titre: str
    subject: str
    period: str = ""
    """Empty for every edition; "recent" or "middle" for an `editions` list."""


_DOMAINS = (
    _Domain("numerique-educatif", "Numérique éducatif", "l'école et la jeunesse"),
    _Domain("reseau-social", "Réseau social", "les réseaux sociaux locaux"),
    _Domain("gouvernement-ouvert", "Gouvernement ouvert", "la transparence de l'action"),
    _Domain(
        "cooperation-internationale",
        "Coopération internationale",
        "les jumelages et la solidarité internationale",
    ),
    _Domain("solidarite-numerique", "Solidarité numérique", "l'inclusion numérique"),
    _Domain("teletravail", "Télétravail", "le télétravail et les tiers-lieux"),
    _Domain("accessibilite", "Accessibilité", "l'accessibilité des services en ligne"),
    _Domain("donnees-ouvertes", "Données ouvertes", "l'ouverture des données publiques"),
    _Domain("democratie-participative", "Démocratie participative", "la participation"),
    _Domain("sante-connectee", "Santé connectée", "la santé et le maintien à domicile", "middle"),
    _Domain("sobriete-numerique", "Sobriété numérique", "un numérique responsable", "recent"),
    _Domain("services-en-ligne", "Services publics en ligne", "les démarches en ligne"),
)

_TITLE_HEADS = (
    "Atelier", "Espace public numérique", "Portail", "Plateforme", "Réseau",
    "Budget participatif", "Cartographie", "Application", "Médiathèque", "Fablab", "Café",
    "Parcours", "Tiers-lieu", "Permanence", "Observatoire", "Conseil", "Kit", "Guichet",
    "Maison", "Bus", "Semaine", "Forum", "Défi", "Hackathon", "Chantier", "Consultation",
    "Jumelage", "Classe", "Bibliothèque", "Écran", "Œil",
)  # fmt: skip
_TITLE_TAILS = (
    "numérique", "des données ouvertes", "d'initiation au codage", "de l'inclusion numérique",
    "du télétravail", "solidaire", "pour l'école", "des associations", "de l'open data",
    "« Bien vieillir connecté »", "« Ma ville en un clic »", "de la sobriété numérique",
    "d'accessibilité des démarches", "des aidants numériques", "« Zéro papier »",
    "pour les collégiens", "de quartier", "en ligne", "de la mémoire locale",
    "« Clic & Lien »", "des seniors", "citoyen·ne", "des élus", "du patrimoine",
    "des jeunes", "de l'emploi", "des parents", "en langue des signes",
)  # fmt: skip
_STANDALONE_TITLES = (
    "Vocabulons",
    "Numérique : mode d'emploi",
    "« Allô, le maire ? »",
    "Le #Réseau des habitants",
    "@ vos claviers !",
    "Cœur de village connecté",
    "L'Œil du quartier",
    "100 % accessible",
    "Ensemble, en ligne",
    "Zéro fracture",
)

_SENTENCES = (
    "{nom} a ouvert ce lieu en partenariat avec les associations locales.",
    "Les habitants y sont accueillis deux fois par semaine par un conseiller numérique.",
    "Le projet est né d'une consultation menée auprès des familles et des écoles.",
    "L'équipe municipale a choisi des logiciels libres et des formats ouverts.",
    "Les données collectées sont publiées sous licence ouverte.",
    "Le jury a salué une démarche sobre, accessible et reproductible.",
    "Les élus souhaitent étendre l'expérience aux communes voisines.",
    "Chaque séance se termine par un temps d'échange autour d'un café.",
    "Les documents sont rédigés en FALC (facile à lire et à comprendre).",
    "Un comité d'usagers évalue le service chaque année.",
    "Le coût, modeste, a été partagé avec l'intercommunalité.",
    "Les collégiens ont conçu l'interface avec leurs professeurs.",
    "L'accès est gratuit et ouvert à tous, sans inscription préalable.",
    "Les séances ont lieu à la médiathèque, le mercredi et le samedi matin.",
    "Une carte interactive recense les lieux d'accès à Internet de {nom}.",
    "Le dispositif a été présenté lors de la cérémonie de remise des labels.",
    "Les agents ont été formés à l'accueil des publics éloignés du numérique.",
    "À {nom}, **plus de {n} personnes** ont participé depuis le lancement.",
    "L'initiative s'appuie sur un réseau de *bénévoles* formés chaque trimestre.",
    "Le service fonctionne aussi hors connexion, pour les hameaux mal desservis.",
)
_LIST_INTROS = ("Les objectifs :", "Au programme :", "Ce qui a changé :", "Les partenaires :")
_LIST_ITEMS = (
    "accompagner les démarches en ligne",
    "prêter des tablettes aux familles",
    "former les agents d'accueil",
    "publier les délibérations en données ouvertes",
    "la médiathèque intercommunale",
    "le centre communal d'action sociale",
    "les écoles et le collège",
    "réduire l'empreinte du parc informatique",
    "ouvrir un créneau pour les aînés",
    "associer le conseil municipal des jeunes",
)

_CEREMONY_PLACES = (
    "Paris", "Issy-les-Moulineaux", "Martigues", "Hyères", "Brest", "Lille", "Rennes",
    "Lyon", "Nantes", "Strasbourg", "Montpellier", "Bordeaux", "Toulouse", "Marseille",
    "Grenoble", "Clermont-Ferrand", "Saint-Étienne", "Le Havre", "Dijon", "Nancy",
)  # fmt: skip

# ---------------------------------------------------------------------------------------
# Writing YAML by hand.

_PLAIN = re.compile(r"[^\W\d_][\w' .\-]*")
"""A string YAML reads back unchanged without quotes, in block and flow context alike."""
_YAML_WORDS = frozenset({"yes", "no", "true", "false", "on", "off", "null", "y", "n"})


def _str(value: str) -> str:
    """A YAML scalar for `value`: plain when that is safe, else a double-quoted string
    (JSON's escapes are a subset of YAML's)."""
    if _PLAIN.fullmatch(value) and not value.endswith(" ") and value.lower() not in _YAML_WORDS:
        return value
    return json.dumps(value, ensure_ascii=False)


def _quoted(code: str) -> str:
    """Always quoted: what YAML would otherwise read as a number. Only for the codes this
    module makes (digits and A/B), which need no escaping."""
    return f'"{code}"'


def _flow(values: Sequence[str]) -> str:
    return "[" + ", ".join(_str(v) for v in values) + "]"


_FOLD = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae", "ß": "ss"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@functools.cache
def _slug(text: str) -> str:
    """`Marcq-en-Barœul` → `marcq-en-baroeul`, cut at a hyphen before 60 characters."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_FOLD)).encode("ascii", "ignore")
    slug = _NON_ALNUM.sub("-", ascii_text.decode("ascii").lower()).strip("-")
    if len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0]
    return slug or "sans-titre"


def _de(name: str) -> str:
    """French elision and contraction of "de" before a name: du Havre, d'Évry, des Ulis."""
    for article, contracted in (("Le ", "du "), ("Les ", "des "), ("La ", "de la ")):
        if name.startswith(article):
            return contracted + name[len(article) :]
    if name.startswith("L'"):
        return "de l'" + name[2:]
    if name[0] in "AEIOUYÂÉÈÊÎÔŒÆaeiouy":
        return "d'" + name
    return "de " + name


# ---------------------------------------------------------------------------------------
# The corpus in memory, then on disk.


@dataclass(slots=True)
class _Label:
    annee: int
    arobases: int
    mention: str = ""
    distinctions: tuple[str, ...] = ()


@dataclass(slots=True)
class _Collectivite:
    code: str
    nom: str
    departement: str
    interco: bool
    population: int | None = None
    site_web: str = ""
    coordonnees: tuple[float, float] | None = None
    anciens_noms: tuple[str, ...] = ()
    explicit_type: bool = False
    labels: list[_Label] = field(default_factory=list)


class _Writer:
    """Creates each folder once and writes UTF-8 files with "\\n" line endings."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folders: dict[str, str] = {}

    def write(self, folder: str, name: str, text: str) -> None:
        # Plain strings, not Path objects: at 95 000 files, pathlib costs a second or two.
        prefix = self.folders.get(folder)
        if prefix is None:
            (self.root / folder).mkdir(parents=True, exist_ok=True)
            prefix = self.folders[folder] = os.path.join(self.root, folder, "")
        with open(prefix + name, "wb") as handle:
            handle.write(text.encode("utf-8"))


class _Generator:
    def __init__(self, rng: random.Random, years: list[int]) -> None:
        self.rng = rng
        self.years = years
        self.early = len(years) // 3
        self.hosts: set[str] = set()

    # -- collectivités -------------------------------------------------------------------

    def website(self, nom: str, departement: str, code: str) -> str:
        base = _slug(nom.removeprefix("Communauté de communes "))
        for host in (base, f"{base}-{departement.lower()}", f"{base}-{code}"):
            if host not in self.hosts:
                self.hosts.add(host)
                return f"https://www.{host}.fr"
        return f"https://www.{base}-{code}.fr"  # pragma: no cover - codes are unique

    def near(self, dept: Departement) -> tuple[float, float]:
        """A point near the département's centre, inside the box around its outline (small
        départements, 92 or 93, are narrower than the spread): `check` warns otherwise."""
        spread = 0.6 if dept.code == "973" else 0.1 if len(dept.code) == 3 else 0.3
        lat, lon = dept.centre
        lat += self.rng.uniform(-spread, spread)
        lon += self.rng.uniform(-spread, spread) * 1.4
        lon_min, lon_max, lat_min, lat_max = box(dept.code)
        return (
            round(min(max(lat, lat_min), lat_max), 4),
            round(min(max(lon, lon_min), lon_max), 4),
        )

    def labels(self) -> list[_Label]:
        rng = self.rng
        count = len(self.years)
        start = rng.randrange(count)
        level = rng.choices(_AROBASES, _AROBASE_WEIGHTS)[0]
        labels: list[_Label] = []
        for index in range(start, count):
            if index == start or rng.random() < 0.8:
                labels.append(self.label(self.years[index], index < self.early, level))
                step = rng.random()
                if step < 0.12 and level < 5:
                    level += 1
                elif step > 0.95 and level > 1:
                    level -= 1
            if rng.random() < 0.12:
                break
        return labels

    def label(self, year: int, early: bool, level: int) -> _Label:
        rng = self.rng
        if early and rng.random() < 0.03:
            return _Label(year, 0, _SIMPLE_MENTION)
        label = _Label(year, level)
        if rng.random() < 0.02:
            label.mention = rng.choice(_MENTIONS)
        if rng.random() < 0.04:
            label.distinctions = tuple(rng.sample(_DISTINCTIONS, rng.choice((1, 1, 2))))
        return label

    def earlier_names(self, official: Official, lists: _Lists) -> list[str]:
        """Names `official` may have had: the communes merged into a commune nouvelle (from
        the list), or a plausible shorter name, or the kind of intercommunalité its
        territory was before the 2017 mergers."""
        rng = self.rng
        real = [nom for nom in lists.merged.get(official.code, ()) if nom != official.nom]
        if real:
            if rng.random() < 0.6:
                return rng.sample(real, min(len(real), rng.choice((1, 1, 2, 3))))
            return []
        if rng.random() >= 0.08:
            return []
        if official.type == "commune":
            qualifier = _QUALIFIERS.search(official.nom)
            return [official.nom[: qualifier.start()]] if qualifier else []
        members = [lists.names[code] for code in sorted(official.members) if code in lists.names]
        if not members:
            return []
        kind = _EARLIER_KINDS.get(official.nature, "Communauté de communes")
        return [f"{kind} {_de(rng.choice(members))}"]

    def details(self, collectivite: _Collectivite) -> None:
        rng = self.rng
        if rng.random() < 0.6:
            collectivite.site_web = self.website(
                collectivite.nom, collectivite.departement, collectivite.code
            )
        if collectivite.coordonnees is None and rng.random() < 0.3:
            collectivite.coordonnees = self.near(DEPARTEMENTS[collectivite.departement])
        collectivite.explicit_type = collectivite.interco or rng.random() < 0.2
        collectivite.labels = self.labels()


@dataclass(frozen=True)
class _Lists:
    """What the corpus draws from the official list, each sorted by code."""

    communes: tuple[Official, ...]
    """Those of the départements CONTENT.md knows (not Saint-Pierre-et-Miquelon, the TAAF…)."""
    intercommunalites: tuple[Official, ...]
    merged: Mapping[str, tuple[str, ...]]
    """A commune nouvelle's code → the names of the communes merged into it."""
    names: Mapping[str, str]
    """A commune's code → its official name."""
    label: str

    @property
    def capacity(self) -> int:
        return len(self.communes) + len(self.intercommunalites)


def _lists(geo: Geography) -> _Lists:
    communes: list[Official] = []
    intercommunalites: list[Official] = []
    for entry in sorted(geo.all(), key=lambda o: o.code):
        if entry.departement in DEPARTEMENTS:
            if entry.type == "commune":
                communes.append(entry)
            else:
                intercommunalites.append(entry)
    merged: dict[str, list[str]] = defaultdict(list)
    for former in geo.all_formers():
        if former.merged and former.nom:
            merged[former.successor].append(former.nom)
    return _Lists(
        communes=tuple(communes),
        intercommunalites=tuple(intercommunalites),
        merged={code: tuple(dict.fromkeys(names)) for code, names in merged.items()},
        names={c.code: c.nom for c in communes},
        label=geo.label,
    )


def _collectivites(
    gen: _Generator, rng: random.Random, count: int, lists: _Lists
) -> list[_Collectivite]:
    if count > lists.capacity:
        raise ValueError(
            f"--communes {count} is too large: the official list ({lists.label}) holds "
            f"{len(lists.communes)} communes and {len(lists.intercommunalites)} "
            f"intercommunalités in the départements of CONTENT.md, {lists.capacity} "
            "collectivités in all"
        )
    # One in ten, as far as the list has intercommunalités; more when it lacks communes.
    intercos = max(
        min(count // INTERCOMMUNALITE_SHARE, len(lists.intercommunalites)),
        count - len(lists.communes),
    )
    plain = count - intercos
    by_code = {c.code: c for c in lists.communes}
    chosen: list[tuple[Official, tuple[float, float] | None, bool]] = [
        (by_code[code], coordonnees, True)
        for code, coordonnees in _NOTABLE_COMMUNES
        if code in by_code
    ][:plain]
    taken = {entry.code for entry, _, _ in chosen}
    others = [c for c in lists.communes if c.code not in taken]
    chosen += [(c, None, False) for c in rng.sample(others, plain - len(chosen))]
    chosen += [(c, None, False) for c in rng.sample(lists.intercommunalites, intercos)]

    # An earlier name must not give the address of a page, nor one another name claims:
    # the build would warn (redirects.plan).
    claimed = {name_slug(_written(entry), entry.departement) for entry, _, _ in chosen}
    result: list[_Collectivite] = []
    for entry, coordonnees, always in chosen:
        interco = entry.type == "intercommunalite"
        collectivite = _Collectivite(
            entry.code, _written(entry), entry.departement, interco, coordonnees=coordonnees
        )
        # The six villages of Verdun « morts pour la France » have no inhabitants, and a
        # file's population is positive: theirs is left out.
        if (always or rng.random() < (0.95 if interco else 0.92)) and entry.population:
            collectivite.population = entry.population
        collectivite.anciens_noms = _unclaimed(
            gen.earlier_names(entry, lists), entry.departement, claimed
        )
        gen.details(collectivite)
        result.append(collectivite)
    return result


def _written(entry: Official) -> str:
    """The name as a file writes it: an intercommunalité's kind in full (`Communauté de
    communes …` for `CC …`), a commune's exactly as the list does."""
    return entry.nom_usuel if entry.type == "intercommunalite" else entry.nom


def _unclaimed(names: list[str], departement: str, claimed: set[str]) -> tuple[str, ...]:
    """The names whose address no page nor other earlier name has; they claim it."""
    kept: list[str] = []
    for nom in names:
        slug = name_slug(nom, departement)
        if slug not in claimed:
            claimed.add(slug)
            kept.append(nom)
    return tuple(kept)


def _commune_yaml(c: _Collectivite) -> str:
    lines = [f"code: {_quoted(c.code)}", f"nom: {_str(c.nom)}"]
    if c.explicit_type:
        lines.append("type: intercommunalite" if c.interco else "type: commune")
    lines.append(f"departement: {_quoted(c.departement)}")
    if c.population is not None:
        lines.append(f"population: {c.population}")
    if c.site_web:
        lines.append(f"site_web: {c.site_web}")
    if c.coordonnees is not None:
        lat, lon = c.coordonnees
        lines.append(f"coordonnees: {{lat: {lat}, lon: {lon}}}")
    if c.anciens_noms:
        lines.append(f"anciens_noms: {_flow(c.anciens_noms)}")
    lines.append("labels:")
    for label in c.labels:
        lines.append(f"  - annee: {label.annee}")
        lines.append(f"    arobases: {label.arobases}")
        if label.mention:
            lines.append(f"    mention: {_str(label.mention)}")
        if label.distinctions:
            lines.append(f"    distinctions: {_flow(label.distinctions)}")
    lines.append("")
    return "\n".join(lines)


def _paragraph(rng: random.Random, nom: str) -> str:
    sentences = rng.sample(_SENTENCES, rng.randint(2, 4))
    return " ".join(
        s.format(nom=nom, n=rng.randrange(30, 2000)) if "{" in s else s for s in sentences
    )


def _action_body(rng: random.Random, nom: str, site: str) -> str:
    paragraphs = [_paragraph(rng, nom) for _ in range(rng.randint(2, 4))]
    if rng.random() < 0.25:
        items = rng.sample(_LIST_ITEMS, rng.randint(2, 4))
        block = rng.choice(_LIST_INTROS) + "\n\n" + "\n".join(f"- {i}" for i in items)
        paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), block)
    if site and rng.random() < 0.2:
        paragraphs.append(f"Pour en savoir plus : [le site de {nom}]({site}).")
    return "\n\n".join(paragraphs) + "\n"


# ---------------------------------------------------------------------------------------
# The "writeups" preset: longer write-ups (1–3 KB) in all the Markdown editors use.

PRESETS = ("realistic", "writeups")
"""realistic: short write-ups of two to four plain paragraphs (the shape the engine's fast
paths were tuned on); writeups: the same corpus, each write-up 1–3 KB of paragraphs, bulleted,
numbered and nested lists, emphasis, links, the odd `##` heading and pipe table."""

WRITEUP_BYTES = (1024, 3000)
"""The size of a "writeups" body in UTF-8 bytes, its final newline included."""

_W_SUBJECTS = (
    "conseillers numériques", "agents d'accueil", "bénévoles du club informatique",
    "secrétaires de mairie", "élus délégués", "animateurs de la médiathèque",
    "travailleurs sociaux", "enseignants", "membres du conseil municipal des jeunes",
    "commerçants du centre-bourg", "aidants familiaux", "volontaires du service civique",
)  # fmt: skip
"""Plural, without article: the sentences say `les {s}` or `des {s}`."""
_W_OBJECTS = (
    "les démarches en ligne", "la messagerie", "les réseaux sociaux", "les outils libres",
    "la carte des équipements", "le budget participatif", "les données ouvertes",
    "la visioconférence", "les tablettes prêtées", "le portail famille",
    "l'agenda partagé", "les délibérations publiées", "la prise de rendez-vous",
    "l'espace de stockage", "le signalement des incidents de voirie",
)  # fmt: skip
_W_SENTENCES = (
    "{nom} a lancé le projet en {annee}, après une enquête menée par des {s}.",
    "Le dispositif repose sur des {s}, qui accompagnent les habitants pour {o}.",
    "Chaque mois, {n} personnes découvrent {o} avec les {s}.",
    "L'idée est venue des {s} : simplifier {o} pour toutes et tous.",
    "Le budget, {n} euros la première année, a été partagé avec l'intercommunalité.",
    "Les habitants peuvent désormais utiliser {o} sans se déplacer en mairie.",
    "Un guide en FALC explique pas à pas {o}.",
    "Les séances ont lieu le mercredi après-midi et le samedi matin, sans inscription.",
    "Le jury a relevé la sobriété de la démarche et le soin porté à l'accessibilité.",
    "À {nom}, les {s} ont formé {n} habitants en un an.",
    "La collectivité a choisi des logiciels libres et des formats ouverts pour {o}.",
    "Les retours des usagers sont recueillis à la fin de chaque atelier.",
    "Un comité de suivi réunit les {s} deux fois par an.",
    "Le service fonctionne aussi hors connexion, pour les hameaux mal desservis.",
    "Les documents produits sont publiés sous licence ouverte.",
    "{nom} partage son expérience avec les communes voisines lors de rencontres régulières.",
    "Les plus jeunes aident les aînés : des {s} animent des ateliers intergénérationnels.",
    "La fréquentation a doublé depuis l'ouverture d'un second créneau.",
    "Le projet a été présenté lors de la cérémonie de remise des labels.",
    "Rien n'est facturé aux familles ; le matériel reste propriété de la commune.",
    "Après une phase de test, le service a été ouvert à l'ensemble de la population.",
    "Les agents ont suivi une formation de trois jours à l'accueil des publics éloignés.",
    "La démarche s'inscrit dans le schéma départemental d'inclusion numérique.",
    "Selon l'adjointe chargée du numérique, « le plus dur était de commencer ».",
    "Les {s} tiennent une permanence pour {o} chaque premier lundi du mois.",
)
_W_EXTERNAL = (
    "https://www.service-public.fr",
    "https://www.data.gouv.fr/fr/datasets",
    "https://www.legifrance.gouv.fr",
    "https://www.culture.gouv.fr/thematiques",
    "https://labo.societenumerique.gouv.fr",
    "http://www.villes-internet.net",
    "https://www.cnil.fr/fr/rgpd-de-quoi-parle-t-on",
    "https://accessibilite.numerique.gouv.fr",
)
_W_LINK_TEXTS = (
    "la fiche pratique", "le guide national", "le texte de référence", "la documentation",
    "le retour d'expérience", "les données publiées", "le cadre réglementaire",
)  # fmt: skip
_W_HEADINGS = (
    "Le contexte", "Ce qui a été fait", "Les résultats", "Et après ?", "Les chiffres clés",
    "Comment ça marche", "Les partenaires", "Ce qu'en disent les habitants",
)  # fmt: skip
_W_INTROS = (
    "Les objectifs du projet :", "Au programme des ateliers :", "Ce qui a changé :",
    "Les partenaires réunis :", "Les étapes, dans l'ordre :", "Concrètement :",
)  # fmt: skip
_W_ITEMS = (
    "accompagner les démarches en ligne", "prêter des tablettes aux familles",
    "former les agents d'accueil", "publier les délibérations en données ouvertes",
    "ouvrir un créneau pour les aînés", "associer le conseil municipal des jeunes",
    "réduire l'empreinte du parc informatique", "recenser les lieux d'accès à Internet",
    "traduire les pages principales en FALC", "mesurer la satisfaction des usagers",
    "reconditionner les ordinateurs réformés", "ouvrir les horaires du samedi",
    "créer une adresse électronique", "sauvegarder ses documents", "reconnaître un courriel frauduleux",
    "remplir sa déclaration en ligne", "prendre rendez-vous chez le médecin",
)  # fmt: skip
_W_PUBLICS = (
    "Seniors", "Familles", "Collégiens", "Demandeurs d'emploi", "Associations", "Agents",
    "Élus", "Commerçants", "Lycéens", "Aidants",
)  # fmt: skip
_W_COLUMNS = (
    ("Public", "Séances", "Participants"),
    ("Année", "Ateliers", "Personnes accompagnées"),
    ("Lieu", "Créneaux par semaine", "Postes"),
)
_W_PLACES = (
    "Médiathèque", "Mairie annexe", "Centre social", "Maison France services", "Espace jeunes",
    "École du bourg", "Foyer rural",
)  # fmt: skip


class _Writeups:
    """Long write-ups, drawn from an RNG of their own: a "writeups" corpus is the realistic
    one of the same seed (same files, same front matter), only the bodies differ."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"{seed}:writeups")
        self.context: tuple[str, str, int, Sequence[str]] = ("", "", 0, ())
        """The write-up being written: its collectivité's name and site, year, domains."""

    def body(self, nom: str, site: str, year: int, domaines: Sequence[str]) -> str:
        rng = self.rng
        self.context = (nom, site, year, domaines)
        low, high = WRITEUP_BYTES
        target = rng.randint(low + 100, high - 100)
        blocks = [self.paragraph()]
        size = len(blocks[0].encode("utf-8")) + 1
        headings = tables = 0
        while size < target:
            kind = rng.choices(
                ("paragraph", "bullets", "numbered", "heading", "table", "more"),
                (40, 20, 12, 5 if headings < 2 else 0, 3 if tables < 1 else 0, 3),
            )[0]
            block = getattr(self, kind)()
            added = len(block.encode("utf-8")) + 2
            if size + added > high:
                if size >= low:
                    break
                continue  # too long for what is left: draw another
            headings += kind == "heading"
            tables += kind == "table"
            blocks.append(block)
            size += added
        return "\n\n".join(blocks) + "\n"

    # -- inline ---------------------------------------------------------------------------

    def link(self, text: str) -> str:
        rng = self.rng
        _nom, site, year, domaines = self.context
        kind = rng.random()
        if kind < 0.35:
            url = rng.choice(_W_EXTERNAL)
        elif kind < 0.5 and site:
            url = f"{site}/{rng.choice(('numerique', 'demarches', 'actualites'))}"
        elif kind < 0.7:
            url = f"../../../palmares/{year}/index.html"
        elif kind < 0.9:
            url = f"../../../domaines/{rng.choice(domaines)}/index.html"
        else:
            url = "../../../pages/a-propos/index.html"
        return f"[{text}]({url})"

    def phrase(self, text: str) -> str:
        """`text` as it is, or in italics, in bold, or as a link."""
        roll = self.rng.random()
        if roll < 0.12:
            return f"*{text}*"
        if roll < 0.2:
            return f"**{text}**"
        if roll < 0.28:
            return self.link(text)
        return text

    def sentence(self, template: str) -> str:
        rng = self.rng
        nom, _site, year, _domaines = self.context
        return template.format(
            nom=nom,
            annee=year - rng.randint(0, 3),
            n=_thousands(rng.randrange(12, 2400)),
            s=self.phrase(rng.choice(_W_SUBJECTS)),
            o=self.phrase(rng.choice(_W_OBJECTS)),
        )

    # -- blocks ---------------------------------------------------------------------------

    def paragraph(self) -> str:
        templates = self.rng.sample(_W_SENTENCES, self.rng.randint(2, 5))
        sentences = [self.sentence(template) for template in templates]
        if self.rng.random() < 0.2:
            sentences.append(f"Voir {self.link(self.rng.choice(_W_LINK_TEXTS))}.")
        return " ".join(sentences)

    def items(self, count: int, capital: bool = True) -> list[str]:
        chosen = self.rng.sample(_W_ITEMS, count)
        return [self.phrase(item[0].upper() + item[1:] if capital else item) for item in chosen]

    def bullets(self) -> str:
        rng = self.rng
        marker = rng.choice("-*")
        items = self.items(rng.randint(3, 6))
        lines = [f"{marker} {item} ;" for item in items]
        lines[-1] = lines[-1].removesuffix(" ;") + "."
        if rng.random() < 0.45:  # a nested list under one item (four spaces: Python-Markdown)
            at = rng.randrange(len(lines))
            nested = [f"    - {item}" for item in self.items(rng.randint(2, 3), capital=False)]
            lines[at + 1 : at + 1] = nested
        return rng.choice(_W_INTROS) + "\n\n" + "\n".join(lines)

    def numbered(self) -> str:
        rng = self.rng
        items = self.items(rng.randint(3, 5))
        lines = [f"{i}. {item}." for i, item in enumerate(items, 1)]
        if rng.random() < 0.3:
            at = rng.randrange(len(lines))
            lines[at + 1 : at + 1] = [f"    - {item}" for item in self.items(2, capital=False)]
        return rng.choice(_W_INTROS) + "\n\n" + "\n".join(lines)

    def heading(self) -> str:
        return f"## {self.rng.choice(_W_HEADINGS)}\n\n{self.paragraph()}"

    def table(self) -> str:
        rng = self.rng
        columns = rng.choice(_W_COLUMNS)
        _nom, _site, year, _domaines = self.context
        if columns[0] == "Année":
            firsts = [str(y) for y in range(year - rng.randint(2, 4), year + 1)]
        else:
            firsts = rng.sample(_W_PUBLICS if columns[0] == "Public" else _W_PLACES, 3)
        rows = [
            f"| {first} | {rng.randint(2, 60)} | {_thousands(rng.randrange(8, 3000))} |"
            for first in firsts
        ]
        head = f"| {' | '.join(columns)} |\n| --- | ---: | ---: |"
        return "Quelques chiffres :\n\n" + head + "\n" + "\n".join(rows)

    def more(self) -> str:
        nom, site, _year, _domaines = self.context
        if site:
            return f"Pour en savoir plus : [le site de {nom}]({site})."
        return f"Pour en savoir plus : {self.link('le palmarès de l’édition')}."


def _thousands(value: int) -> str:
    """1234 → `1 234`, with a no-break space as French typesetting has it."""
    return f"{value:,}".replace(",", "\u00a0")


def _title(rng: random.Random) -> str:
    if rng.random() < 0.12:
        return rng.choice(_STANDALONE_TITLES)
    return f"{rng.choice(_TITLE_HEADS)} {rng.choice(_TITLE_TAILS)}"


def _domain_pools(years: list[int]) -> tuple[dict[str, list[int]], dict[int, list[str]]]:
    """Which editions each restricted domain belongs to, and the domains open each year."""
    third = max(1, len(years) // 3)
    editions = {
        "recent": years[-min(5, len(years)) :],
        "middle": years[third : 2 * third] or years[:1],
    }
    restricted = {d.slug: editions[d.period] for d in _DOMAINS if d.period}
    pools = {
        year: [d.slug for d in _DOMAINS if not d.period or year in restricted[d.slug]]
        for year in years
    }
    return restricted, pools


def _write_domains(writer: _Writer, restricted: dict[str, list[int]]) -> None:
    for ordre, domain in enumerate(_DOMAINS, start=1):
        lines = ["---", f"titre: {_str(domain.titre)}", f"ordre: {ordre}"]
        if domain.slug in restricted:
            lines.append(f"editions: [{', '.join(map(str, restricted[domain.slug]))}]")
        body = (
            f"Ce domaine distingue les actions consacrées à {domain.subject}. Il rassemble "
            "des initiatives de collectivités de toutes tailles, du village à la métropole. "
            "Chaque fiche dit ce qui a été fait, avec qui, et pour quels habitants."
        )
        lines += ["---", body, ""]
        writer.write("content/domaines", f"{domain.slug}.md", "\n".join(lines))


def _write_actions(
    writer: _Writer,
    rng: random.Random,
    collectivites: list[_Collectivite],
    pools: dict[int, list[str]],
    actions: int,
    writeups: _Writeups | None,
) -> None:
    # Better-rated collectivités have more of their actions written up.
    pairs: list[tuple[_Collectivite, int]] = []
    cumulative: list[float] = []
    total = 0.0
    for c in collectivites:
        for label in c.labels:
            pairs.append((c, label.annee))
            total += label.arobases + 1
            cumulative.append(total)
    slugs: dict[int, set[str]] = {}
    for c, year in rng.choices(pairs, cum_weights=cumulative, k=actions):
        titre = _title(rng)
        pool = pools[year]
        domaines = rng.sample(pool, 1 if rng.random() < 0.7 else 2)
        lines = [
            "---",
            f"titre: {_str(titre)}",
            f"commune: {_quoted(c.code)}",
            f"annee: {year}",
            f"domaines: {_flow(domaines)}",
        ]
        if rng.random() < 0.06:
            lines.append("mention_speciale: true")
        if rng.random() < 0.3:
            host = c.site_web or f"https://www.{_slug(c.nom)}.fr"
            lines.append(f"lien: {host}/{_slug(titre)}")
        body = _action_body(rng, c.nom, c.site_web)  # drawn in both presets: same corpus
        if writeups is not None:
            body = writeups.body(c.nom, c.site_web, year, domaines)
        lines += ["---", body]
        taken = slugs.setdefault(year, set())
        # The title and the code: unique with few numbers, and short whatever the name.
        base = f"{_slug(titre)}-{c.code.lower()}"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        if n > 1:  # the same title drawn again for the same collectivité and edition
            lines[1] = f"titre: {_str(f'{titre}, volet {n}')}"
        writer.write(f"content/actions/{year}", f"{slug}.md", "\n".join(lines))


def _write_editions(
    writer: _Writer, rng: random.Random, years: list[int], labelled: dict[int, int]
) -> None:
    for year in years:
        numero = year - FIRST_LABEL_YEAR + 1
        date = dt.date(year, 1, 20) + dt.timedelta(days=rng.randrange(38))
        lieu = rng.choice(_CEREMONY_PLACES)
        ordinal = "1re" if numero == 1 else f"{numero}e"
        body = (
            f"La cérémonie de la {ordinal} édition du label Territoires, Villes et Villages "
            f"Internet s'est tenue à {lieu}. Elle a distingué {labelled.get(year, 0)} collectivités, "
            "de la plus petite commune rurale à la métropole. "
            "Le label n'est ni un concours ni un classement : chaque collectivité est "
            "évaluée sur ce qu'elle fait pour ses habitants."
        )
        text = "\n".join(
            [
                "---",
                f"annee: {year}",
                f"numero: {numero}",
                f"date: {date.isoformat()}",
                f"lieu: {_str(lieu)}",
                "---",
                body,
                "",
            ]
        )
        writer.write("content/palmares", f"{year}.md", text)


_ABOUT = """---
titre: À propos
---
Le label Territoires, Villes et Villages Internet distingue chaque année les collectivités
qui mettent le numérique au service de leurs habitants. Il est attribué de une à cinq @.

Ce site présente le palmarès de chaque édition, par territoire et par nombre d'@ :
ce n'est ni un concours ni un classement.
"""


def generate(
    out: Path,
    *,
    communes: int,
    actions: int,
    editions: int,
    seed: int,
    last_year: int = 2026,
    geography: Geography | None = None,
    preset: str = "realistic",
) -> None:
    """Write a synthetic corpus (communes/ and content/) into `out`, which must be empty
    or absent, drawing its collectivités from `geography` (the shipped official list by
    default); `preset` is one of PRESETS. Raises ValueError for impossible arguments (more
    collectivités than the list holds, an unknown preset), FileExistsError for `out`."""
    if preset not in PRESETS:
        raise ValueError(f"--preset must be one of {', '.join(PRESETS)}; got {preset}")
    if communes < 1:
        raise ValueError("--communes must be at least 1")
    if actions < 0:
        raise ValueError("--actions must not be negative")
    if editions < 1:
        raise ValueError("--editions must be at least 1")
    first_year = last_year - editions + 1
    if first_year < FIRST_LABEL_YEAR:
        raise ValueError(f"the first edition was in {FIRST_LABEL_YEAR}; got {first_year}")
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(f"{out} exists and is not an empty folder")

    rng = random.Random(seed)
    years = list(range(first_year, last_year + 1))
    gen = _Generator(rng, years)
    lists = _lists(geography or official())
    collectivites = _collectivites(gen, rng, communes, lists)

    writer = _Writer(out)
    out.mkdir(parents=True, exist_ok=True)
    labelled: dict[int, int] = {}
    for c in collectivites:
        writer.write(f"communes/{c.departement}", f"{_slug(c.nom)}-{c.code}.yaml", _commune_yaml(c))
        for label in c.labels:
            labelled[label.annee] = labelled.get(label.annee, 0) + 1
    restricted, pools = _domain_pools(years)
    _write_domains(writer, restricted)
    writeups = _Writeups(seed) if preset == "writeups" else None
    _write_actions(writer, rng, collectivites, pools, actions, writeups)
    _write_editions(writer, rng, years, labelled)
    writer.write("content/pages", "a-propos.md", _ABOUT)


def _count(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m palmares.dev.synth",
        description="Write a deterministic synthetic corpus (communes/ and content/) "
        "in the CONTENT.md format, for tests and benchmarks.",
    )
    parser.add_argument("--communes", type=_count(1), default=2000, help="collectivités")
    parser.add_argument("--actions", type=_count(0), default=6000, help="action write-ups")
    parser.add_argument("--editions", type=_count(1), default=20, help="editions (years)")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--last-year", type=int, default=2026, help="year of the last edition")
    parser.add_argument(
        "--preset",
        choices=PRESETS,
        default="realistic",
        help="realistic: short plain write-ups (default); writeups: the same corpus with "
        "1–3 KB write-ups (lists, nested lists, links, emphasis, headings, tables)",
    )
    parser.add_argument("out", type=Path, help="output folder (created; must be empty)")
    args = parser.parse_args(argv)
    try:
        generate(
            args.out,
            communes=args.communes,
            actions=args.actions,
            editions=args.editions,
            seed=args.seed,
            last_year=args.last_year,
            preset=args.preset,
        )
    except (ValueError, FileExistsError) as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    sys.exit(main())
