"""The official geography: today's communes and intercommunalités, and what old codes became.

The data file `palmares/data/geographie.zip` is made by `scripts/geographie.py` from the
npm package @etalab/decoupage-administratif (Licence Ouverte; see palmares/data/GEOGRAPHIE.md).
It ships with the code: nothing is ever downloaded to check or build a site. It is read by
part, each a member of the ZIP: a build that re-checks one collectivité's file reads its
département's part only, not the 35 000 communes (`pack` writes the file, `parse` reads it).

Two uses: `check` warns when a collectivité's file disagrees with the official list (one dict
lookup per collectivité), and `import` finds a collectivité from a name as a person writes it,
within its département (`NameIndex`).
"""

from __future__ import annotations

import difflib
import functools
import io
import json
import re
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from palmares import resources
from palmares.content.load import SourceFile
from palmares.content.model import Commune, CommuneType
from palmares.content.read import KeyPath, Kind
from palmares.problems import Problem, Severity
from palmares.territory import DEPARTEMENTS
from palmares.text import de, words

DATA_FILE = resources.data("geographie.zip")
FORMAT = 2
"""The data file's format, in its `meta.json`: 2 is the ZIP read by part."""
EPCI = "epci"
"""The part that holds the intercommunalités (the others are named after a département)."""

# The prefixes of the official intercommunalité names, and how editors write them in full.
ABBREVIATIONS: Mapping[str, str] = MappingProxyType(
    {
        "CA": "Communauté d'agglomération",
        "CC": "Communauté de communes",
        "CU": "Communauté urbaine",
    }
)
NATURES: Mapping[str, str] = MappingProxyType(
    {
        "commune": "commune",
        "CA": "communauté d'agglomération",
        "CC": "communauté de communes",
        "CU": "communauté urbaine",
        "METRO": "métropole",
        "MET69": "métropole",
        "EPT": "établissement public territorial",
    }
)


@dataclass(frozen=True, slots=True)
class Official:
    """One collectivité as the official list names it."""

    code: str
    """INSEE code of a commune, SIREN of an intercommunalité."""
    nom: str
    """Exactly as the list writes it: `CA La Riviéra du Levant`."""
    type: CommuneType
    nature: str
    """"commune", or the intercommunalité's kind: CA, CC, CU, METRO, MET69, EPT."""
    departement: str
    """The commune's; for an intercommunalité, the one holding most of its population."""
    departements: tuple[str, ...]
    region: str | None
    population: int | None
    members: tuple[str, ...] = ()

    @property
    def nom_usuel(self) -> str:
        """The name as a file writes it: abbreviations in full (`Communauté d'agglomération …`)."""
        return expand(self.nom)

    def names(self) -> tuple[str, ...]:
        """Every spelling `check` takes as the official name."""
        return (self.nom,) if self.nom_usuel == self.nom else (self.nom_usuel, self.nom)


@dataclass(frozen=True, slots=True)
class Former:
    """A code that names no commune any more (or a commune déléguée's name)."""

    code: str
    nom: str | None
    """The old commune's name when the list gives it (communes déléguées and associées)."""
    successor: str
    """The code of the commune it became part of: the commune nouvelle."""
    merged: bool
    """True when the list says it is a commune déléguée or associée of `successor`."""


class Geography:
    """The official list, looked up by code. It is read by part, the first time a lookup
    needs one: a commune's code and a code that disappeared are in their département's
    part, an intercommunalité's SIREN in the `epci` part. Rows become `Official` on demand
    only, so a lookup stays one dict access once its part is read."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self._archive = archive
        self._members = frozenset(archive.namelist())
        meta = json.loads(archive.read(_META))
        if meta.get("format") != FORMAT:
            raise ValueError(f"geography: format {meta.get('format')}, expected {FORMAT}")
        self.version: str = meta["version"]
        self.millesime: int | None = meta.get("millesime")
        self.arrondissements: Mapping[str, tuple[str, str]] = MappingProxyType(
            {code: (nom, commune) for code, nom, commune in meta["arrondissements"]}
        )
        """Municipal arrondissement code → (its name, its commune's code)."""
        self.by_departement: Mapping[str, tuple[str, ...]] = _ByDepartement(self)
        """The codes of each département's communes and intercommunalités (reading a
        département's reads its part and the intercommunalités')."""
        self._parts: dict[str, _Part] = {}

    @property
    def label(self) -> str:
        year = f"millésime {self.millesime}" if self.millesime else f"version {self.version}"
        return f"liste officielle, {year}"

    @property
    def loaded(self) -> frozenset[str]:
        """The parts read so far: départements (`59`, `2A`, `971`) and `epci`."""
        return frozenset(self._parts)

    def get(self, code: str) -> Official | None:
        row = self._part(_part_of(code)).rows.get(code)
        return None if row is None else _official(row)

    def former(self, code: str) -> Former | None:
        """What an old code became, if it names no collectivité today."""
        part = self._part(_part_of(code))
        if code in part.rows:
            return None
        found = part.formers.get(code, ())
        return found[0] if found else None

    def successor(self, code: str) -> Official | None:
        found = self.former(code)
        return None if found is None else self.get(found.successor)

    def all(self) -> Iterable[Official]:
        """Every commune by code, then every intercommunalité (reads every part)."""
        return (_official(row) for part in self._every_part() for row in part.rows.values())

    def all_formers(self) -> Iterable[Former]:
        """Every code that names no commune any more, by code (reads every part)."""
        return (
            former
            for part in self._every_part()
            for found in part.formers.values()
            for former in found
        )

    def formers_in(self, departement: str) -> Iterable[Former]:
        return [former for found in self._part(departement).formers.values() for former in found]

    def by_siren(self, siren: str) -> Official | None:
        """The commune whose SIREN this is: for explaining a SIREN given as an
        intercommunalité's (the index is built the first time it is needed, from every part)."""
        code = self._communes_by_siren.get(siren)
        return None if code is None else self.get(code)

    @functools.cached_property
    def _communes_by_siren(self) -> Mapping[str, str]:
        return {
            row[5]: code
            for part in self._every_part()
            for code, row in part.rows.items()
            if not isinstance(row[4], list) and row[5]
        }

    def _part(self, name: str) -> _Part:
        part = self._parts.get(name)
        if part is None:
            member = _member(name)
            part = _Part.of(self._archive.read(member) if member in self._members else b"{}")
            self._parts[name] = part
        return part

    def _every_part(self) -> list[_Part]:
        """The départements' parts in the order of their codes, then the intercommunalités'."""
        names = sorted(
            name.removeprefix("communes/").removesuffix(".json")
            for name in self._members
            if name.startswith("communes/")
        )
        return [self._part(name) for name in (*names, EPCI)]


_META = "meta.json"


def _member(part: str) -> str:
    return "epci.json" if part == EPCI else f"communes/{part}.json"


def _part_of(code: str) -> str:
    """The part a code's row is in: a SIREN's (nine characters) or a commune's département."""
    return EPCI if len(code) == 9 else _departement_of(code)


@dataclass(frozen=True)
class _Part:
    rows: Mapping[str, Sequence[Any]]
    formers: Mapping[str, tuple[Former, ...]]

    @staticmethod
    def of(raw: bytes) -> _Part:
        data = json.loads(raw)
        rows = {row[0]: row for row in (*data.get("communes", ()), *data.get("epci", ()))}
        formers: dict[str, list[Former]] = defaultdict(list)
        for code, nom, successor in data.get("anciens", ()):
            formers[code].append(Former(code, nom, successor, nom is not None))
        return _Part(rows, {code: tuple(found) for code, found in formers.items()})


class _ByDepartement(Mapping[str, tuple[str, ...]]):
    """`Geography.by_departement`: a département's codes read from its part and the
    intercommunalités'; going over every département reads every part."""

    def __init__(self, geography: Geography) -> None:
        self._geography = geography

    def __getitem__(self, departement: str) -> tuple[str, ...]:
        if departement == EPCI:
            raise KeyError(departement)
        geography = self._geography
        codes = (
            *geography._part(departement).rows,
            *(code for code, row in geography._part(EPCI).rows.items() if departement in row[4]),
        )
        if not codes:
            raise KeyError(departement)
        return codes

    def __iter__(self) -> Iterator[str]:
        return iter(self._everything)

    def __len__(self) -> int:
        return len(self._everything)

    @functools.cached_property
    def _everything(self) -> Mapping[str, tuple[str, ...]]:
        by_departement: dict[str, list[str]] = defaultdict(list)
        for official in self._geography.all():
            for departement in official.departements:
                by_departement[departement].append(official.code)
        return {departement: tuple(codes) for departement, codes in by_departement.items()}


def _official(row: Sequence[Any]) -> Official:
    if not isinstance(row[4], list):  # commune: code, nom, département, région, population, SIREN
        code, nom, dept, region, population, _siren = row
        return Official(code, nom, "commune", "commune", dept, (dept,), region, population)
    # intercommunalité: SIREN, nom, nature, population, départements, members
    code, nom, nature, population, depts, members = row
    main = depts[0] if depts else ""
    region = DEPARTEMENTS[main].region.code if main in DEPARTEMENTS else None
    return Official(
        code, nom, "intercommunalite", nature, main, tuple(depts), region, population,
        tuple(members),
    )  # fmt: skip


@functools.cache
def official(path: Path = DATA_FILE) -> Geography:
    """The shipped list, opened once per process: it is constant data, like territory.py's.
    Its parts are read as lookups need them."""
    return parse(path.read_bytes())


def parse(raw: bytes) -> Geography:
    """The list in a data file's bytes (`pack`'s); nothing but its `meta.json` read yet."""
    return Geography(zipfile.ZipFile(io.BytesIO(raw)))


def pack(data: Mapping[str, Any]) -> bytes:
    """The data file of a list as scripts/geographie.py reduces it (`source`, `version`,
    `millesime`, `licence`, and the rows of `communes`, `anciens`, `arrondissements`,
    `epci`, sorted): a ZIP with `meta.json`, one `communes/<département>.json` a
    département (its communes and the codes that disappeared from it) and `epci.json`.
    The same data gives the same bytes: members sorted, no date, each row on its line."""
    parts: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for row in data["communes"]:
        if _part_of(row[0]) != row[2]:
            # by_departement reads a département's communes from its part only.
            raise ValueError(f"geography: commune {row[0]} of département {row[2]}")
        parts[row[2]]["communes"].append(row)
    for row in data["anciens"]:
        parts[_part_of(row[0])]["anciens"].append(row)
    for row in data["epci"]:
        if _part_of(row[0]) != EPCI:
            raise ValueError(f"geography: intercommunalité {row[0]} is not a SIREN")
        parts[EPCI]["epci"].append(row)
    meta = {
        "format": FORMAT,
        **{key: data[key] for key in ("source", "version", "millesime", "licence")},
        "arrondissements": data["arrondissements"],
    }
    members = {_META: meta} | {_member(name): part for name, part in parts.items()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in sorted(members.items()):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, wherever it runs: the same bytes everywhere
            info.external_attr = 0o644 << 16
            archive.writestr(info, _lines(content), compresslevel=9)
    return buffer.getvalue()


def _lines(content: Any) -> bytes:
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    # One row per line: a regeneration's diff stays readable once unzipped.
    return re.sub(r"\],\[\"", '],\n["', text).encode("utf-8")


# ---------------------------------------------------------------------------------------
# Names as people write them


def expand(nom: str) -> str:
    """`CA La Riviéra du Levant` → `Communauté d'agglomération La Riviéra du Levant`."""
    prefix, _, rest = nom.partition(" ")
    full = ABBREVIATIONS.get(prefix)
    return f"{full} {rest}" if full and rest else nom


_SAINTS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_KINDS = (
    ("communaute d agglomeration", "ca"),
    ("communaute de communes", "cc"),
    ("communaute urbaine", "cu"),
    ("communaute d agglo", "ca"),
    ("agglomeration", "ca"),
    ("agglo", "ca"),
)
_STOP = frozenset(["l", "le", "la", "les", "d", "de", "du", "des", "et", "a", "au", "aux"])
_KIND_WORDS = frozenset(
    ["ca", "cc", "cu", "communaute", "communes", "agglomeration", "agglo", "urbaine", "metropole"]
)


def name_key(text: str) -> str:
    """What two spellings of one name share: case, accents, ligatures, apostrophes and
    hyphens ignored, `St`/`Ste` read as `Saint`/`Sainte`, an intercommunalité's kind as its
    abbreviation. `Villeneuve-D'Ascq` and `Villeneuve-d'Ascq` give `villeneuve d ascq`."""
    key = " ".join(_SAINTS.get(token, token) for token in words(text).split())
    if "communaute" in key or "agglo" in key:
        key = f" {key} "
        for long, short in _KINDS:
            key = key.replace(f" {long} ", f" {short} ")
        key = key.strip()
    return key


def loose_key(text: str) -> str:
    """A looser key, tried when `name_key` finds nothing: the significant words in any order,
    without articles nor the intercommunalité's kind (`Métropole de Toulouse` is
    `Toulouse Métropole`, `Communauté de communes Pays de Fayence` is `CC du Pays de Fayence`)."""
    return _loose(name_key(text))


def _loose(key: str) -> str:
    return " ".join(sorted(set(key.split()) - _STOP - _KIND_WORDS))


def _names_intercommunalite(key: str) -> bool:
    """True when a name says it is an intercommunalité (`CA …`, `… Métropole`)."""
    return not _KIND_WORDS.isdisjoint(key.split())


def same_name(written: str, official: Official) -> bool:
    """True when `written` is the official name, typographic apostrophes aside."""
    text = unicodedata.normalize("NFC", written.strip()).replace("’", "'")
    return text in official.names()


@dataclass(frozen=True)
class Match:
    found: tuple[Official, ...]
    """One: resolved; several: ambiguous; none: unknown."""
    candidates: tuple[str, ...] = ()
    """When nothing matched: close names and communes déléguées, as a person reads them."""


class NameIndex:
    """The collectivités of the list by département and name key, for an import. A
    département's names are keyed the first time a line names it."""

    def __init__(self, geography: Geography, extra: Iterable[Official] = ()) -> None:
        self.geography = geography
        self.extra: dict[str, list[Official]] = defaultdict(list)
        """Collectivités as the editors' files name them: found by those names too (an old
        name, a collectivité the list no longer knows)."""
        for official in extra:
            for dept in official.departements:
                self.extra[dept].append(official)
        self._indexes: dict[str, _Departement] = {}

    def _index(self, departement: str) -> _Departement:
        index = self._indexes.get(departement)
        if index is None:
            index = _Departement()
            officials = [
                *self.extra.get(departement, ()),
                *(
                    official
                    for code in self.geography.by_departement.get(departement, ())
                    if (official := self.geography.get(code)) is not None
                ),
            ]
            for official in officials:
                for name in dict.fromkeys((official.nom, official.nom_usuel)):
                    key = name_key(name)
                    _add(index.exact[key], official)
                    _add(index.loose[_loose(key)], official)
            for former in self.geography.formers_in(departement):
                if former.nom is not None:
                    index.formers[name_key(former.nom)].append(former)
            self._indexes[departement] = index
        return index

    def find(self, nom: str, departement: str, *, candidates: bool = True) -> Match:
        """What `nom` designates in the département; when nothing, the close names (unless
        `candidates` is False: finding them compares the name with each of the département's)."""
        index = self._index(departement)
        key = name_key(nom)
        exact = index.exact.get(key)
        if exact:
            return Match(tuple(exact))
        loose = index.loose.get(_loose(key), [])
        if _names_intercommunalite(key):
            # « Métropole de Toulouse » is the métropole, never the commune of Toulouse.
            loose = [official for official in loose if official.type == "intercommunalite"]
        if loose:
            return Match(tuple(loose))
        return Match((), self._candidates(index, key) if candidates else ())

    def _candidates(self, index: _Departement, key: str) -> tuple[str, ...]:
        notes: list[str] = []
        for former in index.formers.get(key, ()):
            nouvelle = self.geography.get(former.successor)
            if nouvelle is None:
                continue
            if nouvelle.code != former.code:
                notes.append(
                    f"{former.nom} est une commune déléguée ou associée de {nouvelle.nom} "
                    f"(code {nouvelle.code})"
                )
            else:
                notes.append(
                    f"{former.nom} fait partie de la commune nouvelle {nouvelle.nom} "
                    f"(code {nouvelle.code})"
                )
        # Longer official names the line shortens (« Montreuil » for Montreuil-sur-Mer),
        # then spellings a letter or two away.
        longer = sorted(other for other in index.exact if other.startswith(f"{key} "))[:3]
        close = difflib.get_close_matches(key, list(index.exact), n=3, cutoff=0.75)
        for other in dict.fromkeys((*longer, *close)):
            for official in index.exact[other]:
                notes.append(f"{official.nom_usuel} (code {official.code})")
        return tuple(dict.fromkeys(notes))


@dataclass
class _Departement:
    exact: dict[str, list[Official]] = field(default_factory=lambda: defaultdict(list))
    loose: dict[str, list[Official]] = field(default_factory=lambda: defaultdict(list))
    formers: dict[str, list[Former]] = field(default_factory=lambda: defaultdict(list))


def _add(bucket: list[Official], official: Official) -> None:
    if all(other.code != official.code for other in bucket):
        bucket.append(official)


def _departement_of(code: str) -> str:
    """`59378` → `59`, `2A004` → `2A`; overseas, three characters (`97411` → `974`, and
    the collectivités of the list whose codes start with 98: `98735` → `987`)."""
    if code.startswith(("97", "98")):
        return code[:3]
    return code[:2]


# ---------------------------------------------------------------------------------------
# `check`: each collectivité's file against the list


def check(
    validated: Iterable[tuple[SourceFile, Any]],
    problems: Iterable[Problem] = (),
    geography: Geography | None = None,
) -> list[Problem]:
    """Warnings for the collectivités among validated (file, record) pairs: codes the list
    does not know, names it spells otherwise, départements that do not match, codes that
    disappeared in a merger. A file that already has an error gets none (fix that first).
    One lookup per collectivité; the list is read only if there is a collectivité, and a
    département's names only to explain a code the list does not know."""
    broken = {p.path for p in problems if p.severity is Severity.ERROR}
    pairs = [
        (file, record)
        for file, record in validated
        if isinstance(record, Commune) and file.path not in broken
    ]
    one = FileCheck(geography)
    return [problem for file, record in pairs for problem in one(file, record)]


class FileCheck:
    """`check` for one file at a time, so that its warnings can be kept with the file's
    own analysis (in the parse cache): the list is opened on the first collectivité, each
    file reads only the part its code is in (its département's, or the intercommunalités'),
    and a département's names are keyed the first time one is needed, once for all the
    files this checker sees. It says nothing of a file's errors: the caller drops its warnings
    for a file that has any."""

    def __init__(self, geography: Geography | None = None) -> None:
        self._geography = geography
        self._guesses: _Guesses | None = None

    def examples(self, file: SourceFile) -> dict[KeyPath, Any]:
        """What the list says of a collectivité file's code, for the examples of its
        messages (`nom: Aix-les-Bains` in the file of 73008, not the schema's example):
        nothing for another file, or a code the list does not know."""
        data = file.data
        code = data.get("code") if isinstance(data, dict) else None
        if file.kind is not Kind.COMMUNE or not isinstance(code, str):
            return {}
        found = (self._geography or official()).get(code.strip().upper())
        if found is None:
            return {}
        return {
            ("nom",): found.nom_usuel,
            ("type",): found.type,
            ("departement",): found.departement,
        }

    def __call__(self, file: SourceFile, record: Any) -> list[Problem]:
        if not isinstance(record, Commune):
            return []
        if self._guesses is None:
            self._guesses = _Guesses(self._geography or official())
        return _check_one(record, file, self._guesses.geography, self._guesses)


def _warning(file: SourceFile, key: str, message: str) -> Problem:
    pos = file.pos(key)
    return Problem(file.path, pos.line, pos.col, message, Severity.WARNING)


def _check_one(
    commune: Commune, file: SourceFile, geography: Geography, guesses: _Guesses
) -> list[Problem]:
    found = geography.get(commune.code)
    if found is None or found.type != commune.type:
        return [_warning(file, "code", _unknown(commune, geography, guesses))]
    problems: list[Problem] = []
    renamed = not same_name(commune.nom, found) and not any(
        loose_key(commune.nom) == loose_key(name) for name in found.names()
    )
    guess = guesses.find(commune) if renamed else None
    if guess is not None and guess.code != commune.code:
        # The name is another collectivité's of the département: the code was mistyped.
        problems.append(
            _warning(
                file,
                "code",
                f"`code` : « {commune.code} » est le code {de(found.nom_usuel)} ; celui "
                f'{de(guess.nom_usuel)} est « {guess.code} » : écrivez `code: "{guess.code}"` '
                f"(ou corrigez `nom`) ({geography.label})",
            )
        )
    elif not same_name(commune.nom, found):
        problems.append(
            _warning(
                file,
                "nom",
                f"`nom` : le nom officiel de « {commune.code} » est « {found.nom_usuel} » "
                f"(trouvé : « {commune.nom} ») : écrivez `nom: {found.nom_usuel}`"
                + (
                    ", et gardez l'ancien nom dans `anciens_noms`"
                    if _renamed(commune, found)
                    else ""
                )
                + f" ({geography.label})",
            )
        )
    if commune.departement not in found.departements:
        where = ", ".join(f"« {dept} »" for dept in found.departements) or "aucun"
        problems.append(
            _warning(
                file,
                "departement",
                f"`departement` : {found.nom_usuel} (« {found.code} ») est dans le département "
                f"{where}, pas « {commune.departement} » : écrivez "
                f'`departement: "{found.departement}"` ({geography.label})',
            )
        )
    return problems


def _renamed(commune: Commune, found: Official) -> bool:
    """A name far from the official one is an old name (`Montreuil` for Montreuil-sur-Mer),
    one close to it a slip of the keyboard (`Lile`)."""
    written = name_key(commune.nom)
    return all(
        difflib.SequenceMatcher(None, written, name_key(name)).ratio() < 0.8
        for name in found.names()
    )


def _unknown(commune: Commune, geography: Geography, guesses: _Guesses) -> str:
    code = commune.code
    if commune.type == "intercommunalite":
        other = geography.by_siren(code)
        if other is not None:
            return (
                f"« {code} » est le SIREN de la commune {other.nom} : pour une commune, "
                f'écrivez son code INSEE, `code: "{other.code}"`, et `type: commune`'
            )
        guess = guesses.find(commune)
        return (
            f"aucune intercommunalité à fiscalité propre (ni aucun EPT) n'a le SIREN « {code} » "
            f"dans la {geography.label}"
            + (
                f" : celui {de(guess.nom_usuel)} est « {guess.code} »"
                if guess
                else " : vérifiez le code ; une intercommunalité dissoute ou fusionnée depuis "
                "n'y figure plus"
            )
        )
    arrondissement = geography.arrondissements.get(code)
    if arrondissement is not None:
        nom, parent = arrondissement
        parent_official = geography.get(parent)
        parent_nom = parent_official.nom if parent_official else parent
        return (
            f"« {code} » est le code {de(nom)}, un arrondissement municipal : la commune est "
            f'{parent_nom}, `code: "{parent}"`'
        )
    former = geography.former(code)
    if former is not None:
        nouvelle = geography.get(former.successor)
        nouvelle_nom = nouvelle.nom if nouvelle else former.successor
        if former.merged:
            return (
                f"le code « {code} » ({former.nom}) a disparu dans une fusion : la commune "
                f"nouvelle est {nouvelle_nom}, code « {former.successor} » ; écrivez "
                f'`code: "{former.successor}"` et `nom: {nouvelle_nom}`, et gardez '
                f"« {former.nom} » dans `anciens_noms` ({geography.label})"
            )
        return (
            f"le code « {code} » n'existe plus : il a été remplacé par « {former.successor} » "
            f'({nouvelle_nom}) ; écrivez `code: "{former.successor}"` ({geography.label})'
        )
    guess = guesses.find(commune)
    return f"le code INSEE « {code} » n'existe pas dans la {geography.label}" + (
        f" : celui {de(guess.nom)} ({guess.departement}) est « {guess.code} »"
        if guess
        else " : vérifiez-le (cinq caractères, ceux du département d'abord)"
    )


class _Guesses:
    """The collectivité a file's name designates in its département, when its code is not
    in the list: the names of a département are keyed the first time one is needed."""

    def __init__(self, geography: Geography) -> None:
        self.geography = geography
        self.index: NameIndex | None = None

    def find(self, commune: Commune) -> Official | None:
        if self.index is None:
            self.index = NameIndex(self.geography)
        match = self.index.find(commune.nom, commune.departement, candidates=False)
        found = [official for official in match.found if official.type == commune.type]
        return found[0] if len(found) == 1 else None
