"""A deterministic synthetic corpus in the CONTENT.md format, for tests and benchmarks.

    python -m palmares.synth --communes 2000 --actions 6000 --editions 20 --seed 1 OUT

The same arguments always give byte-identical files: every choice comes from one
`random.Random(seed)`, and nothing depends on set order, the clock or the machine.
YAML is written by hand rather than with `yaml.dump`, which is far too slow for a national
corpus (35 000 collectivités, 60 000 actions) and would not show the quoting editors use.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import math
import os
import random
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from palmares.territory import DEPARTEMENTS, Departement

FIRST_LABEL_YEAR = 2000
"""Edition 1 took place in 2000 (2023 was the 24th), so `numero` is `annee - 1999`."""

# ---------------------------------------------------------------------------------------
# Real collectivités every corpus starts with: the homonyms (Saint-Denis 93 and 974 first),
# Corsica, each overseas département, and the spellings that break naive code (œ, ÿ, ').

# code, name, département, population, (lat, lon)
_REAL_COMMUNES: tuple[tuple[str, str, str, int, tuple[float, float]], ...] = (
    ("93066", "Saint-Denis", "93", 113_942, (48.9362, 2.3574)),
    ("97411", "Saint-Denis", "974", 153_810, (-20.8823, 55.4504)),
    ("2A004", "Ajaccio", "2A", 71_361, (41.9192, 8.7386)),
    ("2B033", "Bastia", "2B", 48_503, (42.6970, 9.4503)),
    ("97101", "Les Abymes", "971", 53_514, (16.2710, -61.5045)),
    ("97209", "Fort-de-France", "972", 76_512, (14.6161, -61.0588)),
    ("97302", "Cayenne", "973", 63_468, (4.9224, -52.3135)),
    ("97611", "Mamoudzou", "976", 71_437, (-12.7806, 45.2279)),
    ("59378", "Marcq-en-Barœul", "59", 39_000, (50.6700, 3.1000)),
    ("94038", "L'Haÿ-les-Roses", "94", 31_000, (48.7797, 2.3375)),
    ("59009", "Villeneuve-d'Ascq", "59", 62_000, (50.6233, 3.1450)),
    ("95313", "L'Isle-Adam", "95", 12_000, (49.1111, 2.2228)),
    ("69081", "Écully", "69", 18_500, (45.7744, 4.7775)),
    ("91228", "Évry-Courcouronnes", "91", 67_000, (48.6290, 2.4410)),
    ("02204", "Cœuvres-et-Valsery", "02", 420, (49.3333, 3.1667)),
    ("93048", "Montreuil", "93", 111_000, (48.8638, 2.4485)),
    ("62588", "Montreuil", "62", 2_000, (50.4638, 1.7631)),
    ("26362", "Valence", "26", 64_000, (44.9334, 4.8924)),
    ("82186", "Valence", "82", 5_300, (44.1081, 0.8908)),
    ("97416", "Saint-Pierre", "974", 84_000, (-21.3393, 55.4781)),
    ("97225", "Saint-Pierre", "972", 4_000, (14.7431, -61.1756)),
    ("92040", "Issy-les-Moulineaux", "92", 68_000, (48.8245, 2.2736)),
    ("54547", "Vandœuvre-lès-Nancy", "54", 29_000, (48.6566, 6.1700)),
    ("75056", "Paris", "75", 2_100_000, (48.8566, 2.3522)),
)

# code, name, département, population
_REAL_INTERCOMMUNALITES: tuple[tuple[str, str, str, int], ...] = (
    ("200093201", "Métropole Européenne de Lille", "59", 1_180_000),
)

# How many communes a département draws, relative to an average one: Paris is a single
# commune, the inner suburbs and overseas départements have few, Corsica about half.
_DEPARTEMENT_WEIGHTS: dict[str, float] = {
    "75": 0.0,
    "92": 0.12,
    "93": 0.12,
    "94": 0.14,
    "2A": 0.5,
    "2B": 0.6,
    "971": 0.09,
    "972": 0.09,
    "973": 0.06,
    "974": 0.07,
    "976": 0.05,
}
_METROPOLITAN_NUMBERS = 899
_OVERSEAS_NUMBERS = 59

# ---------------------------------------------------------------------------------------
# Parts of French place names.

_SAINTS = (
    "Martin", "Germain", "Jean", "Pierre", "Étienne", "Aubin", "Hilaire", "Julien",
    "Laurent", "Médard", "Ouen", "Éloi", "Amand", "Omer", "Quentin", "Brieuc", "Malo",
    "Cyr", "Gervais", "Maurice", "Denis", "Georges", "Jacques", "Vincent", "André",
    "Michel", "Sébastien", "Priest", "Genest", "Symphorien", "Avold", "Herblain",
    "Nazaire", "Émilion", "Affrique", "Flour", "Lô", "Dié", "Hippolyte", "Yrieix",
    "Junien", "Léonard", "Benoît", "Barthélemy", "Chamond", "Égrève", "Gaudens", "Girons",
    "Pol", "Raphaël", "Tropez", "Avertin", "Brevin", "Paul", "Rémy", "Cloud", "Maur",
)  # fmt: skip
_SAINTES = (
    "Marie", "Anne", "Geneviève", "Foy", "Menehould", "Luce", "Colombe", "Hélène",
    "Cécile", "Maxime", "Savine", "Livrade", "Eulalie", "Lætitia", "Radegonde",
    "Marguerite", "Agnès", "Catherine", "Gemme", "Croix", "Mère-Église", "Œuvre",
)  # fmt: skip
_BASES = (
    "Villeneuve", "Montreuil", "Beaumont", "Châteauneuf", "Fontenay", "Neuville",
    "Villers", "Fontaine", "Bourg", "Champagné", "Marcq", "Cœuvres", "Œuilly", "Évry",
    "Écully", "Aÿ", "Vandœuvre", "Lœuilly", "Œting", "Aubigny", "Chaumont", "Clermont",
    "Rougemont", "Montigny", "Savigny", "Juvigny", "Martigny", "Brécy", "Quincy",
    "Épinay", "Éragny", "Orly", "Écouen", "Ézy", "Bar", "Bourbon", "Condé", "Corbeil",
    "Crécy", "Dampierre", "Dommartin", "Étrépagny", "Gournay", "Jouy", "Lagny",
    "Louvigny", "Marly", "Meulan", "Nogent", "Pont", "Rosny", "Sablé", "Sully", "Thury",
    "Vaux", "Verneuil", "Vic", "Noisy", "Choisy", "Vitry", "Ivry", "Bry", "Champigny",
    "Mortagne", "Bazoches", "Longchamp", "Belleville", "Orgelet", "Ussel", "Yzeure",
    "Aigueperse", "Baume", "Chevreuse", "Épernon", "Houdan", "Illiers", "Maintenon",
    "Provins", "Quimperlé", "Ribérac", "Sarlat", "Thiers", "Uzès", "Vienne", "Wissant",
    "Zuydcoote", "Ploërmel", "Guémené", "Hœrdt", "Crœttwiller", "Bœrsch",
)  # fmt: skip
_ARTICLE_BASES = (
    "Le Plessis", "Le Mesnil", "Le Pré", "Le Bourg", "Le Pin", "Le Vaudreuil", "Le Puy",
    "La Ferté", "La Chapelle", "La Roche", "La Celle", "La Motte", "La Tour", "La Selle",
    "Les Mureaux", "Les Lilas", "Les Essarts", "Les Ulis", "Les Andelys", "L'Isle",
    "L'Haÿ", "L'Hôpital", "L'Étang", "L'Île", "L'Abergement", "L'Aigle", "L'Œuf",
)  # fmt: skip
_RIVERS = (
    "Seine", "Loire", "Marne", "Oise", "Saône", "Mer", "Yvette", "Orge", "Lot",
    "Dordogne", "Aisne", "Meuse", "Vienne", "Isère", "Rhône", "Allier", "Cher", "Eure",
    "Sarthe", "Somme", "Moselle", "Garonne", "Charente", "Creuse", "Indre", "Vilaine",
    "Ourcq", "Yonne", "Aube", "Têt", "Aude", "Tarn", "Sèvre", "Ognon", "Semois",
)  # fmt: skip
_CITIES = (
    "Lille", "Nancy", "Dijon", "Tours", "Metz", "Rouen", "Valence", "Avignon", "Reims",
    "Troyes", "Arras", "Cambrai", "Béthune", "Nîmes", "Montpellier", "Aix", "Toul",
)  # fmt: skip
_PAYS = (
    "Barœul", "Bresse", "Bray", "Brie", "Champagne", "Vexin", "Forez", "Laye", "Auxois",
    "Argonne", "Provence", "Weppes", "Artois", "Velay", "Pévèle", "Yvelines", "Caux",
    "Gâtinais", "Hurepoix", "Josas", "Ternois", "Thiérache", "Vercors", "Beauce",
    "Woëvre", "Goële", "Mantois", "Morvan", "Sologne", "Auge", "Bocage", "Retz",
)  # fmt: skip
_PLURALS = (
    "Roses", "Bains", "Moulineaux", "Vignes", "Pins", "Prés", "Bois", "Mines", "Ponts",
    "Eaux", "Dames", "Fontaines", "Châteaux", "Forges", "Granges", "Saules",
)  # fmt: skip
_ELIDED = (
    "Ascq", "Ornon", "Olonne", "Allier", "Isère", "Azergues", "Oise", "Auge", "Ozon",
    "Yerres", "Hérault", "Aveyron", "Armagnac", "Avre", "Ouche", "Anjou", "Écouves",
    "Hères", "Arvor",
)  # fmt: skip
_LE = ("Château", "Grand", "Vieux", "Haut", "Roi", "Comte", "Sec", "Petit", "Bas", "Noble")
_LA = ("Forêt", "Rivière", "Garenne", "Ville", "Vallée", "Montagne", "Reine", "Romaine")
_DE = ("Bretagne", "Provence", "Lévis", "Bigorre", "Béarn", "Gascogne", "Grâce", "Ré")
_SOUS = ("Bois", "Jouarre", "Montmorency", "Roche", "Biches", "Ballon")
_ET = ("Valsery", "Ménil", "Villers", "Ormesson", "Chambry", "Courcouronnes", "Fresnoy")
_SUFFIX_KINDS: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("-sur-", _RIVERS, 26),
    ("-lès-", _CITIES, 8),
    ("-en-", _PAYS, 16),
    ("-les-", _PLURALS, 10),
    ("-d'", _ELIDED, 8),
    ("-le-", _LE, 9),
    ("-la-", _LA, 7),
    ("-de-", _DE, 6),
    ("-sous-", _SOUS, 4),
    ("-et-", _ET, 6),
)
_SUFFIX_WEIGHTS = tuple(weight for _, _, weight in _SUFFIX_KINDS)

_INTERCO_KINDS = (
    "Communauté de communes",
    "Communauté d'agglomération",
    "Communauté urbaine",
    "Métropole",
)
_INTERCO_WEIGHTS = (70, 22, 4, 4)
_INTERCO_SCALE = (math.log(18_000), math.log(90_000), math.log(250_000), math.log(600_000))

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

    # -- names ---------------------------------------------------------------------------

    def commune_name(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.18:
            name = "Saint-" + rng.choice(_SAINTS)
        elif roll < 0.24:
            name = "Sainte-" + rng.choice(_SAINTES)
        elif roll < 0.36:
            name = rng.choice(_ARTICLE_BASES)
        else:
            name = rng.choice(_BASES)
        if rng.random() < 0.55:
            joiner, parts, _ = rng.choices(_SUFFIX_KINDS, _SUFFIX_WEIGHTS)[0]
            name += joiner + rng.choice(parts)
        return name

    def interco_name(self, kind: int) -> str:
        rng = self.rng
        place = self.commune_name() if rng.random() < 0.7 else rng.choice(_PAYS + _RIVERS)
        if kind == 0:
            pattern = rng.choice(("Pays", "Val", "Monts", "Vallée", "Cœur", "Portes", ""))
            if pattern == "Pays":
                return f"Communauté de communes du Pays {_de(place)}"
            if pattern == "Val":
                return f"Communauté de communes du Val {_de(place)}"
            if pattern == "Monts":
                return f"Communauté de communes des Monts {_de(place)}"
            if pattern == "Vallée":
                return f"Communauté de communes de la Vallée {_de(place)}"
            if pattern == "Cœur":
                return f"Communauté de communes Cœur {_de(place)}"
            if pattern == "Portes":
                return f"Communauté de communes des Portes {_de(place)}"
            return f"Communauté de communes {place}"
        if kind == 1:
            if rng.random() < 0.6:
                return f"Communauté d'agglomération du Pays {_de(place)}"
            return f"Communauté d'agglomération {_de(place)}"
        if kind == 2:
            return f"Communauté urbaine {_de(place)}"
        return f"Métropole {place}" if rng.random() < 0.5 else f"{place} Métropole"

    # -- collectivités -------------------------------------------------------------------

    def website(self, nom: str, departement: str, code: str) -> str:
        base = _slug(nom.removeprefix("Communauté de communes "))
        for host in (base, f"{base}-{departement.lower()}", f"{base}-{code}"):
            if host not in self.hosts:
                self.hosts.add(host)
                return f"https://www.{host}.fr"
        return f"https://www.{base}-{code}.fr"  # pragma: no cover - codes are unique

    def near(self, dept: Departement) -> tuple[float, float]:
        spread = 0.6 if dept.code == "973" else 0.1 if len(dept.code) == 3 else 0.3
        lat, lon = dept.centre
        return (
            round(lat + self.rng.uniform(-spread, spread), 4),
            round(lon + self.rng.uniform(-spread, spread) * 1.4, 4),
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

    def commune(self, code: str, dept: str, taken: set[str]) -> _Collectivite:
        rng = self.rng
        nom = self.commune_name()
        for _ in range(20):
            if nom not in taken:
                break
            nom = self.commune_name()
        taken.add(nom)
        commune = _Collectivite(code, nom, dept, interco=False)
        if rng.random() < 0.92:
            commune.population = max(12, int(rng.lognormvariate(math.log(600), 1.55)))
        self.details(commune)
        return commune

    def details(self, collectivite: _Collectivite) -> None:
        rng = self.rng
        if rng.random() < 0.6:
            collectivite.site_web = self.website(
                collectivite.nom, collectivite.departement, collectivite.code
            )
        if collectivite.coordonnees is None and rng.random() < 0.3:
            collectivite.coordonnees = self.near(DEPARTEMENTS[collectivite.departement])
        if rng.random() < 0.05:
            earlier = [self.commune_name() for _ in range(rng.choice((1, 1, 2)))]
            collectivite.anciens_noms = tuple(
                dict.fromkeys(n for n in earlier if n != collectivite.nom)
            )
        collectivite.explicit_type = collectivite.interco or rng.random() < 0.2
        collectivite.labels = self.labels()


def _collectivites(gen: _Generator, rng: random.Random, communes: int) -> list[_Collectivite]:
    intercos = communes // 10
    plain = communes - intercos
    result: list[_Collectivite] = []
    used_codes: set[str] = set()
    names: dict[str, set[str]] = {code: set() for code in DEPARTEMENTS}

    for code, nom, dept, population, coords in _REAL_COMMUNES[:plain]:
        commune = _Collectivite(code, nom, dept, False, population, coordonnees=coords)
        gen.details(commune)
        names[dept].add(nom)
        used_codes.add(code)
        result.append(commune)

    # Draw each remaining commune's département, then distinct commune numbers in it.
    capacity = {
        code: (_OVERSEAS_NUMBERS if len(code) == 3 else _METROPOLITAN_NUMBERS)
        if _DEPARTEMENT_WEIGHTS.get(code, 1.0) > 0
        else 0
        for code in DEPARTEMENTS
    }
    for code in used_codes:
        dept = code[:3] if code.startswith("97") else code[:2]
        capacity[dept] = max(0, capacity[dept] - 1)
    remaining = plain - len(result)
    if remaining > sum(capacity.values()):
        limit = sum(capacity.values()) + len(result)
        raise ValueError(
            f"--communes is too large: at most {limit} communes (not counting "
            "intercommunalités) fit in the INSEE codes this generator draws"
        )
    dept_codes = list(DEPARTEMENTS)
    weights = [_DEPARTEMENT_WEIGHTS.get(code, 1.0) for code in dept_codes]
    drawn = rng.choices(dept_codes, weights, k=remaining)
    counts = dict.fromkeys(dept_codes, 0)
    for index, dept in enumerate(drawn):
        while counts[dept] >= capacity[dept]:
            dept = rng.choice(dept_codes)
        drawn[index] = dept
        counts[dept] += 1
    numbers: dict[str, list[str]] = {}
    for dept in dept_codes:
        if counts[dept]:
            width = 2 if len(dept) == 3 else 3
            limit = _OVERSEAS_NUMBERS if width == 2 else _METROPOLITAN_NUMBERS
            free = [
                f"{dept}{n:0{width}d}"
                for n in range(1, limit + 1)
                if f"{dept}{n:0{width}d}" not in used_codes
            ]
            numbers[dept] = rng.sample(free, counts[dept])
    for dept in drawn:
        code = numbers[dept].pop()
        result.append(gen.commune(code, dept, names[dept]))

    interco_names: set[str] = set()
    for code, nom, dept, population in _REAL_INTERCOMMUNALITES[:intercos]:
        interco = _Collectivite(code, nom, dept, True, population)
        gen.details(interco)
        interco_names.add(nom)
        used_codes.add(code)
        result.append(interco)
    for _ in range(intercos - min(intercos, len(_REAL_INTERCOMMUNALITES))):
        code = f"2{rng.randrange(10**8):08d}"
        while code in used_codes:
            code = f"2{rng.randrange(10**8):08d}"
        used_codes.add(code)
        dept = rng.choices(dept_codes, [w or 0.1 for w in weights])[0]
        kind = rng.choices(range(len(_INTERCO_KINDS)), _INTERCO_WEIGHTS)[0]
        nom = gen.interco_name(kind)
        if nom in interco_names:
            nom = f"{nom} ({DEPARTEMENTS[dept].nom})"
        while nom in interco_names:
            nom = gen.interco_name(kind)
        interco_names.add(nom)
        interco = _Collectivite(code, nom, dept, True)
        if rng.random() < 0.95:
            interco.population = int(rng.lognormvariate(_INTERCO_SCALE[kind], 0.5))
        gen.details(interco)
        result.append(interco)
    return result


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
        lines += ["---", _action_body(rng, c.nom, c.site_web)]
        taken = slugs.setdefault(year, set())
        base = f"{_slug(titre)}-{_slug(c.nom)}"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
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
    out: Path, *, communes: int, actions: int, editions: int, seed: int, last_year: int = 2026
) -> None:
    """Write a synthetic corpus (communes/ and content/) into `out`, which must be empty
    or absent. Raises ValueError for impossible arguments, FileExistsError for `out`."""
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
    collectivites = _collectivites(gen, rng, communes)

    writer = _Writer(out)
    out.mkdir(parents=True, exist_ok=True)
    labelled: dict[int, int] = {}
    for c in collectivites:
        writer.write(f"communes/{c.departement}", f"{_slug(c.nom)}-{c.code}.yaml", _commune_yaml(c))
        for label in c.labels:
            labelled[label.annee] = labelled.get(label.annee, 0) + 1
    restricted, pools = _domain_pools(years)
    _write_domains(writer, restricted)
    _write_actions(writer, rng, collectivites, pools, actions)
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
        prog="python -m palmares.synth",
        description="Write a deterministic synthetic corpus (communes/ and content/) "
        "in the CONTENT.md format, for tests and benchmarks.",
    )
    parser.add_argument("--communes", type=_count(1), default=2000, help="collectivités")
    parser.add_argument("--actions", type=_count(0), default=6000, help="action write-ups")
    parser.add_argument("--editions", type=_count(1), default=20, help="editions (years)")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--last-year", type=int, default=2026, help="year of the last edition")
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
        )
    except (ValueError, FileExistsError) as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    sys.exit(main())
