"""Stage 2: SourceFile → typed records + Problems.

The only module that knows the French field names of the content contract. Validators
collect problems and never raise: an editor sees every mistake of a run at once, each with
the field, the value found and what to write instead.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, TypeVar

from palmares.load import KeyPath, Kind, Loaded, SourceFile
from palmares.markup import render_markdown
from palmares.model import Action, Commune, CommuneType, Domaine, EditionText, Label, Page, Records
from palmares.problems import Problem, Severity
from palmares.territory import DEPARTEMENTS
from palmares.text import slugify

T = TypeVar("T")

FIRST_YEAR = 1999
LAST_YEAR = 2100
TYPES: tuple[CommuneType, ...] = ("commune", "intercommunalite")

COMMUNE_FIELDS = (
    "code",
    "nom",
    "type",
    "departement",
    "population",
    "site_web",
    "coordonnees",
    "anciens_noms",
    "labels",
)
LABEL_FIELDS = ("annee", "arobases", "mention", "distinctions")
ACTION_FIELDS = ("titre", "commune", "annee", "domaines", "mention_speciale", "lien")
DOMAINE_FIELDS = ("titre", "ordre", "editions")
EDITION_FIELDS = ("annee", "numero", "date", "lieu")
PAGE_FIELDS = ("titre",)

_INSEE = re.compile(r"^(?:\d{2}|2[AB])\d{3}$")
_SIREN = re.compile(r"^\d{9}$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]*$|^https?://[^\s/$.?#][^\s]*$", re.I)


@dataclass
class _Checker:
    """Reads the fields of one file (or one nested mapping), collecting problems."""

    file: SourceFile
    problems: list[Problem]
    prefix: KeyPath = ()
    data: dict[str, Any] = field(default_factory=dict)
    misspelt: dict[str, str] = field(default_factory=dict)
    """Known field → the unknown field that looks like it (`arobases` → `arobase`)."""

    def report(
        self, key: str | int | None, message: str, severity: Severity = Severity.ERROR
    ) -> None:
        self.report_at(() if key is None else (key,), message, severity)

    def report_at(self, keys: KeyPath, message: str, severity: Severity = Severity.ERROR) -> None:
        pos = self.file.pos(*self.prefix, *keys)
        self.problems.append(Problem(self.file.path, pos.line, pos.col, message, severity))

    def label(self, key: str) -> str:
        return f"`{key}`"

    def found(self, key: str) -> str:
        pos = self.file.positions.get((*self.prefix, key))
        raw = pos.raw if pos is not None and pos.raw is not None else None
        if raw is None:
            value = self.data.get(key)
            return "une liste" if isinstance(value, list) else "un ensemble de champs"
        return f"« {raw} »" if raw != "" else "une valeur vide"

    def unknown_fields(self, known: Iterable[str], where: str) -> None:
        known = tuple(known)
        for key in self.data:
            if key in known:
                continue
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f" : vouliez-vous écrire `{close[0]}` ?" if close else ""
            if close and close[0] not in self.data:
                self.misspelt[close[0]] = key
            allowed = ", ".join(f"`{k}`" for k in known)
            pos = self.file.key_pos(*self.prefix, key)
            self.problems.append(
                Problem(
                    self.file.path,
                    pos.line,
                    pos.col,
                    f"champ inconnu `{key}` {where}{hint} (champs possibles : {allowed})",
                )
            )

    def missing(self, key: str, example: str) -> None:
        if key in self.misspelt:
            return  # the misspelt field is reported, with this name as the suggestion
        if key in self.data:  # `nom:` with nothing after it
            self.report(key, f"{self.label(key)} est vide : écrivez par exemple `{example}`")
            return
        self.report(
            None, f"le champ {self.label(key)} est obligatoire : ajoutez une ligne `{example}`"
        )

    def text(self, key: str, *, required: bool = False, example: str = "") -> str | None:
        if key not in self.data or self.data[key] is None:
            if required:
                self.missing(key, example or f"{key}: …")
            return None
        value = self.data[key]
        if isinstance(value, (list, dict)):
            self.report(key, f"{self.label(key)} doit être un texte, pas {self.found(key)}")
            return None
        if not isinstance(value, str):
            value = self.file.positions[(*self.prefix, key)].raw or str(value)
        value = value.strip()
        if not value:
            self.missing(key, example or f"{key}: …")
            return None
        return value

    def integer(
        self, key: str, lo: int, hi: int | None, *, required: bool = False, example: str = ""
    ) -> int | None:
        if key not in self.data or self.data[key] is None:
            if required:
                self.missing(key, example or f"{key}: 1")
            return None
        value = self.data[key]
        bounds = f"de {lo} à {hi}" if hi is not None else f"supérieur ou égal à {lo}"
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(
                key,
                f"{self.label(key)} doit être un nombre entier {bounds}, sans guillemets ni "
                f"espaces ; trouvé : {self.found(key)}"
                + (f" : écrivez `{example}`" if example else ""),
            )
            return None
        if value < lo or (hi is not None and value > hi):
            self.report(
                key, f"{self.label(key)} doit être un nombre entier {bounds} ; trouvé : {value}"
            )
            return None
        return value

    def url(self, key: str) -> str | None:
        value = self.text(key, example=f"{key}: https://…")
        if value is not None and not _URL.match(value):
            hint = ""
            if "://" not in value and " " not in value and "." in value:
                hint = f" : écrivez `{key}: https://{value}`"
            self.report(
                key,
                f"{self.label(key)} doit être une adresse web commençant par https:// ou http:// ; "
                f"trouvé : {self.found(key)}{hint}",
            )
            return None
        return value

    def boolean(self, key: str) -> bool:
        value = self.data.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.report(
                key, f"{self.label(key)} vaut `true` ou `false` ; trouvé : {self.found(key)}"
            )
            return False
        return value

    def text_list(self, key: str, *, required: bool = False, example: str = "") -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            if required:
                self.missing(key, example)
            return ()
        if isinstance(value, str):
            value = [value]  # `domaines: teletravail` is what an editor means by a list of one
        if not isinstance(value, list):
            self.report(key, f"{self.label(key)} doit être une liste, par exemple `{example}`")
            return ()
        items: list[str] = []
        for index, item in enumerate(value):
            if isinstance(item, (list, dict)) or item is None:
                self.report_at(
                    (key, index),
                    f"{self.label(key)} : l'élément {index + 1} doit être un texte, "
                    f"par exemple `{example}`",
                )
                continue
            text = item if isinstance(item, str) else self.file.pos(*self.prefix, key, index).raw
            if text and text.strip():
                items.append(text.strip())
        if required and not items:
            self.report(key, f"{self.label(key)} ne peut pas être vide : écrivez `{example}`")
        return tuple(items)

    def mapping(self, key: str | int, value: Any) -> _Checker | None:
        if not isinstance(value, dict):
            self.report(key, "cet élément doit être un ensemble de champs `nom: valeur`")
            return None
        return _Checker(self.file, self.problems, (*self.prefix, key), value)


def _document(
    file: SourceFile, problems: list[Problem], what: str, required: tuple[str, ...]
) -> _Checker | None:
    fields = ", ".join(f"`{name}`" for name in required[:-1])
    fields = f"{fields} et `{required[-1]}`" if fields else f"`{required[-1]}`"
    if file.data is None:
        where = "le fichier est vide" if file.kind is Kind.COMMUNE else "l'en-tête est vide"
        problems.append(
            Problem(
                file.path,
                1,
                0,
                f"{where} : il doit décrire {what}, avec au moins {fields} "
                "(un champ `nom: valeur` par ligne)",
            )
        )
        return None
    if not isinstance(file.data, dict):
        kind = "une liste" if isinstance(file.data, list) else "un texte seul, sans champs"
        problems.append(
            Problem(
                file.path,
                file.pos().line,
                file.pos().col,
                f"le fichier contient {kind} : il doit décrire {what} par des champs `nom: valeur`, "
                f"un par ligne, sans tiret au début (au moins {fields})",
            )
        )
        return None
    return _Checker(file, problems, (), file.data)


def _shown(c: _Checker, keys: KeyPath) -> str:
    """A value as the editor wrote it, for messages."""
    pos = c.file.positions.get((*c.prefix, *keys))
    if pos is None or pos.raw is None:
        return "une liste ou un ensemble de champs"
    return f"« {pos.raw} »" if pos.raw else "une valeur vide"


def _quoted_code_hint(checker: _Checker, key: str, value: Any, what: str) -> None:
    if isinstance(value, (list, dict)):
        checker.report(
            key,
            f"`{key}` doit être un texte entre guillemets ({what}) ; trouvé : {checker.found(key)}",
        )
        return
    pos = checker.file.positions.get((key,))
    raw = pos.raw if pos is not None and pos.raw else str(value)
    note = ""
    if isinstance(value, int) and raw != str(value):
        note = f" ; YAML lit {raw} comme le nombre {value}"
    checker.report(
        key,
        f'`{key}` doit être un texte entre guillemets ({what}) : écrivez `{key}: "{raw}"`{note}',
    )


def validate_commune(file: SourceFile, problems: list[Problem]) -> Commune | None:
    c = _document(file, problems, "une collectivité", ("code", "nom", "departement", "labels"))
    if c is None:
        return None
    before = len(problems)
    c.unknown_fields(COMMUNE_FIELDS, "dans une collectivité")

    kind = c.text("type") or "commune"
    if kind not in TYPES:
        close = difflib.get_close_matches(kind, TYPES, n=1, cutoff=0.5)
        hint = f" : vouliez-vous écrire `type: {close[0]}` ?" if close else ""
        c.report("type", f"`type` vaut `commune` ou `intercommunalite` ; trouvé : « {kind} »{hint}")
        kind = "commune"

    code = _code(c, kind)
    nom = c.text("nom", required=True, example="nom: Marcq-en-Barœul")
    departement = _departement(c)
    population = c.integer("population", 1, None, example="population: 39000")
    site_web = c.url("site_web")
    coordonnees = _coordinates(c)
    anciens_noms = c.text_list("anciens_noms", example="anciens_noms: [Ancien nom]")
    labels = _labels(c)
    if (
        kind == "commune"
        and code is not None
        and departement is not None
        and not code.startswith(departement)
    ):
        c.report(
            "code",
            f"le code INSEE « {code} » n'est pas celui d'une commune du département "
            f"« {departement} » (il commencerait par {departement}) : "
            "corrigez `code` ou `departement`",
        )
    if len(problems) > before or code is None or nom is None or departement is None:
        return None
    return Commune(
        code=code,
        nom=nom,
        departement=departement,
        type="intercommunalite" if kind == "intercommunalite" else "commune",
        population=population,
        site_web=site_web,
        coordonnees=coordonnees,
        anciens_noms=anciens_noms,
        labels=labels,
        source=file.path,
    )


def _code(c: _Checker, kind: str) -> str | None:
    if c.data.get("code") is None:
        c.missing("code", 'code: "59378"')
        return None
    value = c.data["code"]
    if isinstance(value, str) and not value.strip():
        c.missing("code", 'code: "59378"')
        return None
    what = (
        "SIREN de neuf chiffres" if kind == "intercommunalite" else "code INSEE de cinq caractères"
    )
    if not isinstance(value, str):
        _quoted_code_hint(c, "code", value, what)
        return None
    code = value.strip().upper()
    pattern = _SIREN if kind == "intercommunalite" else _INSEE
    if not pattern.match(code):
        example = '"200093201"' if kind == "intercommunalite" else '"59378"'
        extra = ""
        if kind == "commune" and _SIREN.match(code):
            extra = " ; pour une intercommunalité, ajoutez `type: intercommunalite`"
        c.report(
            "code",
            f"`code` doit être un {what}, par exemple `code: {example}` ; trouvé : « {value} »{extra}",
        )
        return None
    return code


def _departement(c: _Checker) -> str | None:
    if c.data.get("departement") is None:
        c.missing("departement", 'departement: "59"')
        return None
    value = c.data["departement"]
    if isinstance(value, str) and not value.strip():
        c.missing("departement", 'departement: "59"')
        return None
    if not isinstance(value, str):
        guess = (
            f"{value:02d}" if isinstance(value, int) and not isinstance(value, bool) else str(value)
        )
        if guess in DEPARTEMENTS:
            c.report(
                "departement",
                f'`departement` doit être un texte entre guillemets : écrivez `departement: "{guess}"`',
            )
        else:
            c.report(
                "departement",
                f"`departement` : département inconnu {c.found('departement')} ; écrivez entre guillemets "
                'un code de "01" à "95", "2A", "2B" ou de "971" à "976"',
            )
        return None
    code = value.strip().upper()
    if code not in DEPARTEMENTS:
        if code.isdigit() and len(code) == 1 and f"0{code}" in DEPARTEMENTS:
            hint = f' ; écrivez `departement: "0{code}"`'
        else:
            hint = ' ; écrivez un code de "01" à "95", "2A", "2B" ou de "971" à "976"'
        c.report("departement", f"`departement` : département inconnu « {value} »{hint}")
        return None
    return code


def _coordinates(c: _Checker) -> tuple[float, float] | None:
    value = c.data.get("coordonnees")
    if value is None:
        return None
    example = "coordonnees: {lat: 50.67, lon: 3.10}"
    sub = c.mapping("coordonnees", value)
    if sub is None:
        return None
    sub.unknown_fields(("lat", "lon"), "dans `coordonnees`")
    result: list[float] = []
    for key, limit in (("lat", 90), ("lon", 180)):
        number = sub.data.get(key)
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            sub.report(
                key if key in sub.data else None,
                f"`coordonnees` : `{key}` doit être un nombre décimal : écrivez `{example}`",
            )
            return None
        if not -limit <= number <= limit:
            sub.report(
                key,
                f"`coordonnees` : `{key}` doit être entre -{limit} et {limit} ; trouvé : {number}",
            )
            return None
        result.append(float(number))
    return (result[0], result[1])


def _labels(c: _Checker) -> tuple[Label, ...]:
    example = "labels: [{annee: 2017, arobases: 3}]"
    value = c.data.get("labels")
    if value is None or value == []:
        if "labels" in c.data:
            c.report(
                "labels",
                "`labels` est vide : ajoutez au moins l'édition où la collectivité a été "
                f"labellisée, par exemple `{example}`",
            )
        else:
            c.missing("labels", example)
        return ()
    if not isinstance(value, list):
        c.report(
            "labels",
            f"`labels` doit être une liste d'éditions, chacune commençant par `- annee:` ; par exemple `{example}`",
        )
        return ()
    labels: list[Label] = []
    years: dict[int, int] = {}
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            c.report_at(
                ("labels", index),
                f"`labels` : l'élément {index + 1} doit être une édition avec ses champs, "
                f"`- annee: 2017` puis `arobases: 3` en dessous ; trouvé : {_shown(c, ('labels', index))}",
            )
            continue
        sub = _Checker(c.file, c.problems, ("labels", index), item)
        sub.unknown_fields(LABEL_FIELDS, "dans un label")
        annee = sub.integer("annee", FIRST_YEAR, LAST_YEAR, required=True, example="annee: 2017")
        arobases = sub.integer("arobases", 0, 5, required=True, example="arobases: 3")
        mention = sub.text("mention")
        distinctions = sub.text_list(
            "distinctions", example="distinctions: [Mention gouvernement ouvert]"
        )
        if arobases == 0 and mention is None:
            sub.report(
                "arobases",
                "`arobases: 0` est réservé à la mention simple sans @ : ajoutez `mention: Mention simple` "
                "ou donnez un nombre d'@ de 1 à 5",
            )
            continue
        if annee is None or arobases is None:
            continue
        if annee in years:
            sub.report(
                "annee",
                f"l'année {annee} figure deux fois dans `labels` (déjà ligne {years[annee]}) : "
                "une collectivité n'a qu'un label par édition",
            )
            continue
        years[annee] = c.file.pos("labels", index, "annee").line
        labels.append(Label(annee, arobases, mention, distinctions))
    return tuple(sorted(labels, key=lambda label: label.annee))


def validate_action(file: SourceFile, problems: list[Problem]) -> Action | None:
    c = _document(file, problems, "une action", ("titre", "commune", "annee", "domaines"))
    if c is None:
        return None
    before = len(problems)
    c.unknown_fields(ACTION_FIELDS, "dans une action")
    titre = c.text("titre", required=True, example="titre: Vocabulons")
    commune = _reference_code(c)
    annee = c.integer("annee", FIRST_YEAR, LAST_YEAR, required=True, example="annee: 2017")
    domaines = c.text_list("domaines", required=True, example="domaines: [solidarite-numerique]")
    mention = c.boolean("mention_speciale")
    lien = c.url("lien")
    if len(problems) > before or titre is None or commune is None or annee is None:
        return None
    return Action(
        key=_action_key(file.path),
        titre=titre,
        commune=commune,
        annee=annee,
        domaines=domaines,
        body_html=render_markdown(file.body),
        mention_speciale=mention,
        lien=lien,
        source=file.path,
    )


def _action_key(path: str) -> str:
    parts = PurePosixPath(path).relative_to("content/actions").with_suffix("").parts
    return "/".join(slugify(part) for part in parts)


def _reference_code(c: _Checker) -> str | None:
    if c.data.get("commune") is None:
        c.missing("commune", 'commune: "94033"')
        return None
    value = c.data["commune"]
    if isinstance(value, str) and not value.strip():
        c.missing("commune", 'commune: "94033"')
        return None
    if not isinstance(value, str):
        _quoted_code_hint(c, "commune", value, "le `code` d'une collectivité de communes/")
        return None
    return value.strip().upper()


def validate_domaine(file: SourceFile, problems: list[Problem]) -> Domaine | None:
    c = _document(file, problems, "un domaine", ("titre",))
    if c is None:
        return None
    before = len(problems)
    c.unknown_fields(DOMAINE_FIELDS, "dans un domaine")
    titre = c.text("titre", required=True, example="titre: Télétravail")
    ordre = c.integer("ordre", 0, None)
    editions = _years(c, "editions")
    stem = PurePosixPath(file.path).stem
    if slugify(stem) != stem:
        # The stem is what actions cite in `domaines:` and the domain's URL.
        problems.append(
            Problem(
                file.path,
                0,
                0,
                f"le nom du fichier « {stem} » sert d'identifiant au domaine (dans `domaines:` "
                f"des actions et dans son adresse) : renommez-le `{slugify(stem)}.md` "
                "(minuscules, sans accents ni espaces)",
            )
        )
    if len(problems) > before or titre is None:
        return None
    return Domaine(
        slug=stem,
        titre=titre,
        body_html=render_markdown(file.body),
        ordre=ordre,
        editions=editions,
        source=file.path,
    )


def _years(c: _Checker, key: str) -> tuple[int, ...]:
    value = c.data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and FIRST_YEAR <= v <= LAST_YEAR
        for v in value
    ):
        c.report(key, f"`{key}` doit être une liste d'années, par exemple `{key}: [2016, 2017]`")
        return ()
    return tuple(sorted(set(value)))


def validate_edition(file: SourceFile, problems: list[Problem]) -> EditionText | None:
    c = _document(file, problems, "une édition", ("annee",))
    if c is None:
        return None
    before = len(problems)
    c.unknown_fields(EDITION_FIELDS, "dans une édition")
    annee = c.integer("annee", FIRST_YEAR, LAST_YEAR, required=True, example="annee: 2017")
    stem = PurePosixPath(file.path).stem
    if annee is not None and stem != str(annee):
        c.report(
            "annee",
            f"`annee: {annee}` ne correspond pas au nom du fichier : renommez-le `{annee}.md`",
        )
    numero = c.integer("numero", 1, None, example="numero: 18")
    date = _date(c, "date")
    lieu = c.text("lieu")
    if len(problems) > before or annee is None:
        return None
    return EditionText(
        annee=annee,
        body_html=render_markdown(file.body),
        numero=numero,
        date=date,
        lieu=lieu,
        source=file.path,
    )


def _date(c: _Checker, key: str) -> dt.date | None:
    value = c.data.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    c.report(
        key,
        f"`{key}` doit être une date réelle écrite `{key}: 2017-02-01` (année-mois-jour) ; trouvé : {c.found(key)}",
    )
    return None


def validate_page(file: SourceFile, problems: list[Problem]) -> Page | None:
    c = _document(file, problems, "une page", ("titre",))
    if c is None:
        return None
    before = len(problems)
    c.unknown_fields(PAGE_FIELDS, "dans une page")
    titre = c.text("titre", required=True, example="titre: À propos")
    if len(problems) > before or titre is None:
        return None
    return Page(
        slug=slugify(PurePosixPath(file.path).stem),
        titre=titre,
        body_html=render_markdown(file.body),
        source=file.path,
    )


_VALIDATORS: dict[Kind, Callable[[SourceFile, list[Problem]], Any]] = {
    Kind.COMMUNE: validate_commune,
    Kind.ACTION: validate_action,
    Kind.DOMAINE: validate_domaine,
    Kind.EDITION: validate_edition,
    Kind.PAGE: validate_page,
}


CROSS_FILE_FIELDS = frozenset({"code", "nom", "departement", "commune", "annee", "domaines"})
"""The fields whose positions the checks across files (and against the official geography)
report at."""


def validate_file(file: SourceFile) -> tuple[Any, list[Problem]]:
    """One file on its own: its record (None if it has errors) and its problems."""
    problems: list[Problem] = []
    return _VALIDATORS[file.kind](file, problems), problems


def validate(loaded: Loaded) -> tuple[Records, list[Problem]]:
    """Every file on its own, then the rules across files (unique codes, references)."""
    problems = list(loaded.problems)
    validated: list[tuple[SourceFile, Any]] = []
    for file in loaded.files:
        record, found = validate_file(file)
        problems.extend(found)
        if record is not None:
            validated.append((file, record))
    records, across = cross_check(validated)
    return records, problems + across


def cross_check(
    validated: list[tuple[SourceFile, Any]], claimed: set[str] | frozenset[str] = frozenset()
) -> tuple[Records, list[Problem]]:
    """The rules across files: unique codes and addresses, references that point at something.

    `claimed` holds the codes of collectivité files that have errors of their own: an action
    pointing at one of them is not reported again (the editor fixes that file first)."""
    problems: list[Problem] = []
    by_kind: dict[Kind, list[tuple[SourceFile, Any]]] = defaultdict(list)
    for file, record in validated:
        by_kind[file.kind].append((file, record))
    communes = _unique(
        by_kind[Kind.COMMUNE],
        lambda c: c.code,
        "code",
        problems,
        lambda value, other: (
            f"`code` : « {value} » est déjà le code de {other} ; chaque collectivité a son propre fichier et son propre code"
        ),
    )
    actions = _unique(
        by_kind[Kind.ACTION],
        lambda a: a.key,
        None,
        problems,
        lambda value, other: (
            f"cette action aurait la même adresse que {other} : renommez l'un des deux fichiers"
        ),
    )
    domaines = [record for _, record in by_kind[Kind.DOMAINE]]
    editions = [record for _, record in by_kind[Kind.EDITION]]
    pages = _unique(
        by_kind[Kind.PAGE],
        lambda p: p.slug,
        None,
        problems,
        lambda value, other: (
            f"cette page aurait la même adresse que {other} : renommez l'un des deux fichiers"
        ),
    )
    broken = _check_references(by_kind[Kind.ACTION], communes, domaines, problems, claimed)
    _check_editions(by_kind[Kind.EDITION], communes, problems)
    records = Records(
        communes=tuple(communes),
        actions=tuple(a for a in actions if a.source not in broken),
        domaines=tuple(domaines),
        editions=tuple(editions),
        pages=tuple(pages),
    )
    return records, problems


def _unique(
    items: list[tuple[SourceFile, T]],
    key: Callable[[T], str],
    field_name: str | None,
    problems: list[Problem],
    message: Callable[[str, str], str],
) -> list[T]:
    seen: dict[str, SourceFile] = {}
    kept: list[T] = []
    for file, record in items:
        value = key(record)
        if value in seen:
            pos = file.pos(field_name) if field_name else file.pos()
            line = pos.line if field_name else 1
            problems.append(
                Problem(
                    file.path, line, pos.col if field_name else 0, message(value, seen[value].path)
                )
            )
            continue
        seen[value] = file
        kept.append(record)
    return kept


def _check_editions(
    editions: list[tuple[SourceFile, EditionText]],
    communes: list[Commune],
    problems: list[Problem],
) -> None:
    """A write-up whose year no label names describes an edition no list will show."""
    years = {label.annee for commune in communes for label in commune.labels}
    for file, edition in editions:
        if edition.annee not in years:
            pos = file.pos("annee")
            problems.append(
                Problem(
                    file.path,
                    pos.line,
                    pos.col,
                    f"aucune collectivité n'a de label en {edition.annee} : vérifiez `annee` "
                    f"ici, ou ajoutez les labels {edition.annee} dans communes/",
                    Severity.WARNING,
                )
            )


def _check_references(
    actions: list[tuple[SourceFile, Action]],
    communes: list[Commune],
    domaines: list[Domaine],
    problems: list[Problem],
    claimed: set[str] | frozenset[str] = frozenset(),
) -> set[str]:
    """Report actions pointing at nothing; return the sources of those that cannot be built."""
    broken: set[str] = set()
    by_code = {c.code: c for c in communes}
    slugs = sorted(d.slug for d in domaines)
    for file, action in actions:
        commune = by_code.get(action.commune)
        if commune is None and action.commune in claimed:
            broken.add(file.path)  # its collectivité's own file is reported already
        elif commune is None:
            broken.add(file.path)
            pos = file.pos("commune")
            problems.append(
                Problem(
                    file.path,
                    pos.line,
                    pos.col,
                    f'`commune: "{action.commune}"` ne désigne aucune collectivité : '
                    "écrivez le `code` d'un fichier de communes/ (ou créez ce fichier)",
                )
            )
        elif commune.label(action.annee) is None:
            pos = file.pos("annee")
            problems.append(
                Problem(
                    file.path,
                    pos.line,
                    pos.col,
                    f"{commune.nom} n'a pas de label en {action.annee} : vérifiez `annee` ici "
                    f"ou ajoutez le label {action.annee} dans {commune.source}",
                    Severity.WARNING,
                )
            )
        for index, slug in enumerate(action.domaines):
            if slug not in slugs:
                broken.add(file.path)
                pos = file.pos("domaines", index)
                close = difflib.get_close_matches(slug, slugs, n=1, cutoff=0.5)
                hint = f" : vouliez-vous écrire `{close[0]}` ?" if close else ""
                problems.append(
                    Problem(
                        file.path,
                        pos.line,
                        pos.col,
                        f"`domaines` : le domaine « {slug} » n'existe pas{hint} (domaines : {', '.join(slugs) or 'aucun'} ; "
                        "un domaine est un fichier de content/domaines/)",
                    )
                )
    return broken
