"""Each line of the table → the collectivité it names: by code, or by name within its
département, among the official list and the files already under communes/."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from palmares.content.geography import Geography, NameIndex, Official, loose_key, name_key
from palmares.content.load import load_file
from palmares.content.read import Kind, discover, misnamed, read_source
from palmares.content.validate import claim
from palmares.importer.table import Line
from palmares.problems import Problem
from palmares.territory import DEPARTEMENTS


@dataclass(frozen=True, slots=True)
class Existing:
    """A collectivité file of communes/, as far as the import needs it."""

    path: str
    text: str
    code: str
    nom: str
    type: str
    departement: str
    unquoted: int = 0
    """The line of a `code` written without quotes (`code: 01004`, which YAML reads as the
    number 516), read from the line itself: the file is this collectivité's all the same,
    and is not touched until the code is quoted."""


@dataclass(frozen=True, slots=True)
class Target:
    line: Line
    code: str
    official: Official | None
    existing: Existing | None

    @property
    def nom(self) -> str:
        if self.existing is not None:
            return self.existing.nom
        assert self.official is not None
        return self.official.nom_usuel


def existing_files(source: Path) -> tuple[dict[str, Existing], list[Problem]]:
    """Every collectivité file by code. A file YAML cannot read, or whose code cannot be
    read, stops the import: it could be the one a line names, and a second file with the
    same code would follow. A code written unquoted is read from its `code:` line, as
    `check` reads a file it cannot parse (validate.claim)."""
    found: dict[str, Existing] = {}
    problems: list[Problem] = []
    for path, rel, kind in discover(source):
        if kind is not Kind.COMMUNE or misnamed(rel, kind) is not None:
            continue  # a file check does not read (`lille.yaml.txt`)
        raw, unreadable = read_source(path, rel)  # a link out of the source is never read
        if unreadable is not None:
            problems.append(unreadable)
            continue
        file, errors = load_file(raw, rel, kind)
        if file is None:
            problems.extend(errors)
            continue
        data = file.data if isinstance(file.data, dict) else {}
        code = data.get("code")
        unquoted = 0
        if not isinstance(code, str):
            named = claim(rel, kind, None, raw)  # not the data: its code is 516, not 01004
            if named is None:
                problems.append(Problem(rel, file.pos("code").line, 0, _NO_CODE))
                continue
            code, unquoted = named[1], file.pos("code").line
        code = code.strip().upper()
        found.setdefault(
            code,
            Existing(
                rel,
                raw.decode("utf-8-sig"),
                code,
                str(data.get("nom") or ""),
                str(data.get("type") or "commune"),
                str(data.get("departement") or ""),
                unquoted,
            ),
        )
    return found, problems


_NO_CODE = (
    "ce fichier ne dit pas de quelle collectivité il est : écrivez son `code` entre "
    'guillemets, par exemple `code: "59378"`'
)


def _as_official(existing: Existing) -> Official:
    kind: Any = "intercommunalite" if existing.type == "intercommunalite" else "commune"
    return Official(
        existing.code, existing.nom, kind, kind, existing.departement, (existing.departement,),
        None, None,
    )  # fmt: skip


class Resolver:
    def __init__(self, geography: Geography, existing: dict[str, Existing]) -> None:
        self.geography = geography
        self.existing = existing
        self.names = NameIndex(geography, [_as_official(e) for e in existing.values()])

    def resolve(self, line: Line, name: str) -> Target | Problem:
        if line.code is not None:
            return self._by_code(line, name, line.code)
        assert line.nom is not None and line.departement is not None
        match = self.names.find(line.nom, line.departement)
        where = _in_departement(line.departement)
        if len(match.found) > 1:
            listed = "; ".join(f"{o.nom_usuel} (code {o.code})" for o in match.found)
            return Problem(
                name,
                line.number,
                0,
                f"« {line.nom} » désigne plusieurs collectivités {where} : {listed} ; "
                "ajoutez la colonne `code` pour dire laquelle",
            )
        if not match.found:
            hint = (
                f" ; vouliez-vous dire : {'; '.join(match.candidates)} ?"
                if match.candidates
                else ""
            )
            return Problem(
                name,
                line.number,
                0,
                f"aucune collectivité nommée « {line.nom} » {where}{hint}",
            )
        official = match.found[0]
        return self._target(line, official.code)

    def _by_code(self, line: Line, name: str, code: str) -> Target | Problem:
        official = self.geography.get(code)
        existing = self.existing.get(code)
        if official is None and existing is None:
            return Problem(name, line.number, 0, self.unknown(line, code))
        target = Target(line, code, official, existing)
        names = [n for n in (official.names() if official else ()) if n] + (
            [existing.nom] if existing else []
        )
        if line.nom is not None and not _designates(line.nom, names):
            by_name = self.names.find(line.nom, line.departement) if line.departement else None
            others = (
                f" ; « {line.nom} » est "
                + " ou ".join(f"{o.nom_usuel} (code {o.code})" for o in by_name.found)
                if by_name and by_name.found
                else ""
            )
            return Problem(
                name,
                line.number,
                0,
                f"le code « {code} » est celui de {target.nom}, pas de « {line.nom} »{others} : "
                "corrigez le code ou le nom",
            )
        departements = (
            official.departements if official else (existing.departement,) if existing else ()
        )
        if line.departement is not None and line.departement not in departements:
            return Problem(
                name,
                line.number,
                0,
                f"{target.nom} (code « {code} ») n'est pas {_in_departement(line.departement)} "
                f"mais {', '.join(departements)} : corrigez le code ou le département",
            )
        return target

    def _target(self, line: Line, code: str) -> Target:
        return Target(line, code, self.geography.get(code), self.existing.get(code))

    def unknown(self, line: Line, code: str) -> str:
        """Why a code names nothing, and what it became if the list knows."""
        geography = self.geography
        former = geography.former(code)
        if former is not None:
            nouvelle = geography.get(former.successor)
            what = f"{nouvelle.nom} (code « {nouvelle.code} »)" if nouvelle else former.successor
            if former.merged:
                return (
                    f"le code « {code} » ({former.nom}) a disparu dans une fusion : la commune "
                    f"nouvelle est {what} ; écrivez son code"
                )
            return f"le code « {code} » n'existe plus : il a été remplacé par {what}"
        arrondissement = geography.arrondissements.get(code)
        if arrondissement is not None:
            return (
                f"« {code} » est le code de {arrondissement[0]}, un arrondissement municipal : "
                f"écrivez celui de la commune, « {arrondissement[1]} »"
            )
        message = f"le code « {code} » n'existe pas dans la {geography.label}"
        if line.nom is not None and line.departement is not None:
            match = self.names.find(line.nom, line.departement)
            found = [f"{o.nom_usuel} (code {o.code})" for o in match.found] or list(
                match.candidates
            )
            if found:
                message += f" ; « {line.nom} » : {'; '.join(found)}"
        return message


def named(geography: Geography, nom: str) -> list[Official]:
    """The collectivités of the list that `nom` designates, in every département (a name
    given where a code was expected: `new Lille`), each once, by département."""
    index = NameIndex(geography)
    found = (
        official
        for departement in sorted(DEPARTEMENTS)
        for official in index.find(nom, departement, candidates=False).found
    )
    return list({official.code: official for official in found}.values())


def _in_departement(code: str) -> str:
    dept = DEPARTEMENTS.get(code)
    return f"dans le département {code}" + (f" ({dept.nom})" if dept else "")


def _designates(written: str, names: Iterable[str]) -> bool:
    key, loose = name_key(written), loose_key(written)
    return any(name_key(n) == key or loose_key(n) == loose for n in names)
