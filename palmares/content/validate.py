"""Stage 2: SourceFile → typed records + Problems.

With validate/schema.py, the only place that knows the French field names of the content
contract. The shapes (types, required fields, values, bounds, unknown fields) are the JSON
Schemas of schemas/; this module keeps what a schema cannot say well: rules within a file
(one label per year, the code of a commune in its département, a domain's file name) and
rules across files (unique codes, references). Validators collect problems and never raise:
an editor sees every mistake of a run at once, each with the field, the value found and
what to write instead.
"""

from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any, TypeVar

from palmares.content import hygiene
from palmares.content.body import writeup
from palmares.content.load import SourceFile
from palmares.content.markup import limits
from palmares.content.model import (
    Action,
    Commune,
    Domaine,
    EditionText,
    Label,
    Page,
    Records,
    linking,
    sources,
)
from palmares.content.read import KeyPath, Kind
from palmares.content.schema import (
    Known,
    common,
    lists_of_texts,
    not_a_reference,
    properties,
    shape_problems,
)
from palmares.problems import Problem, Severity
from palmares.territory import DEPARTEMENTS, box, code_written, departement_of_insee, placed
from palmares.text import format_date, reserved, segment, slugify, words

T = TypeVar("T")

FIRST_YEAR: int = common("annee")["minimum"]
LAST_YEAR: int = common("annee")["maximum"]
MAX_TEXT: int = common("texte")["maxLength"]
"""The longest a text of a file may be (a title, a name, a mention), in characters."""

COMMUNE_FIELDS = tuple(properties(Kind.COMMUNE))
ACTION_FIELDS = tuple(properties(Kind.ACTION))
DOMAINE_FIELDS = tuple(properties(Kind.DOMAINE))
EDITION_FIELDS = tuple(properties(Kind.EDITION))
PAGE_FIELDS = tuple(properties(Kind.PAGE))

_INSEE = re.compile(common("insee")["pattern"])
_SIREN = re.compile(common("siren")["pattern"])


def is_code(text: str) -> bool:
    """Whether `text` has the shape of a collectivité's code: a commune's INSEE code or an
    intercommunalité's SIREN (the schemas' patterns)."""
    return bool(_INSEE.search(text) or _SIREN.search(text))


def _document(file: SourceFile, problems: list[Problem], what: str) -> bool:
    """Whether the file holds fields at all; if not, what it must describe."""
    from palmares.content.schema import bundled

    required: list[str] = bundled(file.kind).get("required", [])
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
        return False
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
        return False
    return True


def _report(
    file: SourceFile,
    problems: list[Problem],
    path: KeyPath,
    message: str,
    severity: Severity = Severity.ERROR,
) -> None:
    """A problem at the line and column of the field at `path`."""
    pos = file.pos(*path)
    problems.append(Problem(file.path, pos.line, pos.col, message, severity))


def _text(file: SourceFile, path: KeyPath, value: Any) -> str | None:
    """Free text as the editor wrote it (`titre: 2048` is the text 2048), stripped, in
    composed Unicode (NFC; `text_problems` warns about a value that was not)."""
    if value is None:
        return None
    if not isinstance(value, str):
        value = file.pos(*path).raw or str(value)
    value = value.strip()
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return value or None


def _texts(file: SourceFile, path: KeyPath, value: Any) -> tuple[str, ...]:
    """A list of texts; `domaines: teletravail` is what an editor means by a list of one."""
    if value is None:
        return ()
    if not isinstance(value, list):  # one text; or `.inf`, a date, which YAML did not read as one
        one = _text(file, path, value)
        return (one,) if one else ()
    found = (_text(file, (*path, i), item) for i, item in enumerate(value))
    return tuple(text for text in found if text)


NAMES: dict[Kind, dict[str, tuple[str, ...]]] = {
    Kind.COMMUNE: {"nom": hygiene.FORMULA_START, "anciens_noms": hygiene.FORMULA_START},
    Kind.ACTION: {"titre": ("=",)},
    Kind.DOMAINE: {"titre": ("=",)},
    Kind.PAGE: {"titre": ("=",)},
}
"""The names and titles, and the signs they may not start with: a spreadsheet opening the
open data would take them for a formula (content/hygiene.py says why a title may start with
`+`, `-` or `@`)."""


SHOWN_AS_WRITTEN = frozenset({"titre", "mention", "distinctions", "lieu"})
"""The free texts of the front matter and of a label, which pages show as they are written
(no Markdown, no HTML: hygiene.markup_message)."""


def text_problems(file: SourceFile) -> list[Problem]:
    """What is wrong with the characters of a file's values (content/hygiene.py): control,
    invisible and bidirectional characters, decomposed Unicode, names and titles that a
    spreadsheet would run."""
    found: list[Problem] = []
    if not isinstance(file.data, dict):
        return found
    names = NAMES.get(file.kind, {})
    for path, value in _strings(file.data, ()):
        signs = names.get(str(path[0]))
        if path[-1] in lists_of_texts(file.kind) and "," in value:
            _report(file, found, path, *_one_text_with_commas(path, value))
        if path[-1 if isinstance(path[-1], str) else -2] in SHOWN_AS_WRITTEN:
            markup = hygiene.markup_message(value, _what(path))
            if markup is not None:
                _report(file, found, path, markup, Severity.WARNING)
        if hygiene.clean(value) and not (signs and value.lstrip().startswith(signs)):
            continue
        what = _what(path)
        pos = file.pos(*path)
        is_name = file.kind is Kind.COMMUNE and signs is not None
        for message, severity in hygiene.value_problems(value, what, name=is_name):
            found.append(Problem(file.path, pos.line, pos.col, message, severity))
        if signs and (formula := hygiene.formula_start(value, what, signs)):
            found.append(Problem(file.path, pos.line, pos.col, formula))
    return found


def _one_text_with_commas(path: KeyPath, value: str) -> tuple[str, Severity]:
    """A list of texts written as one text with commas (`domaines: a, b`): YAML reads one
    text, the list of one. Domains are names without commas, so an error with the list to
    write; another list's text may hold a comma, so a warning saying how to keep it."""
    field = path[-1]
    parts = [part.strip() for part in value.split(",") if part.strip()]
    listed = f"`{field}: [{', '.join(parts)}]`"
    if field == "domaines":
        return f"`domaines` est une liste : écrivez {listed}", Severity.ERROR
    message = (
        f"{_what(path)} est lu comme un seul texte, « {value.strip()} » : pour plusieurs, "
        f"écrivez {listed} ; pour un seul qui contient une virgule, écrivez-le entre crochets "
        f'et guillemets, `{field}: ["{value.strip()}"]`'
    )
    return message, Severity.WARNING


def _strings(value: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _what(path: KeyPath) -> str:
    """How a message names a value: `titre`, `anciens_noms` (élément 2), `mention` (label 1)."""
    details: list[str] = []
    if len(path) >= 3 and path[0] == "labels" and isinstance(path[1], int):
        details.append(f"label {path[1] + 1}")
        path = path[2:]
    details += [f"élément {k + 1}" if isinstance(k, int) else f"`{k}`" for k in path[1:]]
    return f"`{path[0]}` ({', '.join(details)})" if details else f"`{path[0]}`"


def _placed(
    file: SourceFile, problems: list[Problem], departement: str, coordonnees: dict[str, Any]
) -> None:
    """A warning at `coordonnees` when they are not in the collectivité's département
    (territory.placed): the map puts it at the département's centre instead. Latitude and
    longitude swapped, the usual slip, is said with the line to write."""
    if placed(departement, float(coordonnees["lat"]), float(coordonnees["lon"])):
        return
    lat, lon = (file.pos("coordonnees", k).raw or str(coordonnees[k]) for k in ("lat", "lon"))
    where = f"`coordonnees` : lat {lat}, lon {lon} n'est pas dans le département {departement}"
    where += f" ({DEPARTEMENTS[departement].nom})"
    if placed(departement, float(coordonnees["lon"]), float(coordonnees["lat"])):
        advice = (
            "la latitude et la longitude semblent inversées : écrivez "
            f"`coordonnees: {{lat: {lon}, lon: {lat}}}`"
        )
    else:
        lon_min, lon_max, lat_min, lat_max = box(departement)
        advice = (
            f"il va de lat {lat_min:.2f} à {lat_max:.2f} et de lon {lon_min:.2f} à "
            f"{lon_max:.2f} : vérifiez-les (en degrés décimaux)"
        )
    _report(
        file,
        problems,
        ("coordonnees",),
        f"{where} ; {advice} ; en attendant, la carte place la collectivité au centre du "
        "département",
        Severity.WARNING,
    )


def validate_commune(
    file: SourceFile, problems: list[Problem], known: Known | None = None
) -> Commune | None:
    what = "une collectivité"
    if not _document(file, problems, what):
        return None
    found = shape_problems(file, what, known)
    data: dict[str, Any] = file.data
    _one_label_per_year(file, found)
    kind = data.get("type", "commune")
    code, departement = data.get("code"), data.get("departement")
    if (
        kind == "commune"
        and isinstance(code, str)
        and isinstance(departement, str)
        and _INSEE.search(code)
        and departement.strip().upper() in DEPARTEMENTS
        and not code.strip().upper().startswith(departement.strip().upper())
    ):
        code, departement = code.strip().upper(), departement.strip().upper()
        _report(
            file,
            found,
            ("code",),
            f"le code INSEE « {code} » n'est pas celui d'une commune du département "
            f"« {departement} » (il commencerait par {departement}) : " + _which_departement(code),
        )
    problems.extend(found)
    if found:
        return None
    coordonnees = data.get("coordonnees")
    if coordonnees:
        _placed(file, problems, data["departement"].strip().upper(), coordonnees)
    return Commune(
        code=data["code"].strip().upper(),
        nom=_text(file, ("nom",), data["nom"]) or "",
        departement=data["departement"].strip().upper(),
        type="intercommunalite" if kind == "intercommunalite" else "commune",
        population=data.get("population"),
        site_web=_text(file, ("site_web",), data.get("site_web")),
        coordonnees=(float(coordonnees["lat"]), float(coordonnees["lon"])) if coordonnees else None,
        anciens_noms=_texts(file, ("anciens_noms",), data.get("anciens_noms")),
        labels=tuple(
            sorted(
                (
                    Label(
                        item["annee"],
                        item["arobases"],
                        _text(file, ("labels", i, "mention"), item.get("mention")),
                        _texts(file, ("labels", i, "distinctions"), item.get("distinctions")),
                    )
                    for i, item in enumerate(data["labels"])
                ),
                key=lambda label: label.annee,
            )
        ),
        source=file.path,
    )


def _one_label_per_year(file: SourceFile, problems: list[Problem]) -> None:
    labels = file.data.get("labels")
    if not isinstance(labels, list):
        return
    years: dict[int, int] = {}
    for index, item in enumerate(labels):
        annee = item.get("annee") if isinstance(item, dict) else None
        if not isinstance(annee, int) or isinstance(annee, bool):
            continue
        if annee in years:
            _report(
                file,
                problems,
                ("labels", index, "annee"),
                f"l'année {annee} figure deux fois dans `labels` (déjà ligne {years[annee]}) : "
                "une collectivité n'a qu'un label par édition",
            )
            continue
        years[annee] = file.pos("labels", index, "annee").line


def validate_action(file: SourceFile, problems: list[Problem]) -> Action | None:
    what = "une action"
    if not _document(file, problems, what):
        return None
    # A `commune` that is no code (`Marcq-en-Barœul`, the file's name) is told by
    # _check_references, which knows the collectivités and so the code meant.
    found = shape_problems(file, what, deferred=frozenset({("commune",)}))
    problems.extend(found)
    if found:
        return None
    data: dict[str, Any] = file.data
    _year_of_folder(file, problems)
    body, links = writeup(file, problems)
    return Action(
        key=_action_key(file.path),
        titre=_text(file, ("titre",), data["titre"]) or "",
        commune=_reference(_text(file, ("commune",), data["commune"]) or ""),
        annee=data["annee"],
        domaines=_texts(file, ("domaines",), data["domaines"]),
        body_html=body,
        mention_speciale=bool(data.get("mention_speciale", False)),
        lien=_text(file, ("lien",), data.get("lien")),
        source=file.path,
        links=links,
    )


def _reference(written: str) -> str:
    """An action's `commune` as the code it is (`2a004` is `2A004`), or as written when it
    is none (`_text`: `.inf`, a date, as their line writes them): _check_references names
    the collectivité it may be the name of."""
    code = written.strip().upper()
    return code if is_code(code) else written.strip()


def _year_of_folder(file: SourceFile, problems: list[Problem]) -> None:
    """A warning when the action is filed under a year's folder (`content/actions/2018/`,
    as the README has editors file them) and `annee` gives another: a write-up copied from
    last year's to start this year's keeps its `annee`, and would be published in the old
    edition."""
    annee = file.data["annee"]
    folder = PurePosixPath(file.path).relative_to("content/actions").parts[:-1]
    if not folder or not _YEAR.fullmatch(folder[0]) or folder[0] == str(annee):
        return
    _report(
        file,
        problems,
        ("annee",),
        f"`annee: {annee}` mais le fichier est dans le dossier {folder[0]} : écrivez "
        f"`annee: {folder[0]}`, ou déplacez le fichier dans content/actions/{annee}/",
        Severity.WARNING,
    )


_YEAR = re.compile(r"(19|20)[0-9]{2}")


def _action_key(path: str) -> str:
    parts = PurePosixPath(path).relative_to("content/actions").with_suffix("").parts
    return "/".join(segment(part) for part in parts)


def validate_domaine(file: SourceFile, problems: list[Problem]) -> Domaine | None:
    what = "un domaine"
    if not _document(file, problems, what):
        return None
    found = shape_problems(file, what)
    stem = PurePosixPath(file.path).stem
    if reserved(stem):
        found.append(
            Problem(
                file.path,
                0,
                0,
                f"le nom du fichier « {stem} » est réservé sous Windows (le site hors ligne "
                "ne s'y décompresserait pas) ; il sert d'identifiant au domaine : renommez-le, "
                f"par exemple `{segment(stem)}.md`, et changez-le dans `domaines:` des actions",
            )
        )
    elif slugify(stem) != stem:
        # The stem is what actions cite in `domaines:` and the domain's URL.
        found.append(
            Problem(
                file.path,
                0,
                0,
                f"le nom du fichier « {stem} » sert d'identifiant au domaine (dans `domaines:` "
                f"des actions et dans son adresse) : renommez-le `{slugify(stem)}.md` "
                "(minuscules, sans accents ni espaces)",
            )
        )
    problems.extend(found)
    if found:
        return None
    data: dict[str, Any] = file.data
    body, links = writeup(file, problems)
    return Domaine(
        slug=stem,
        titre=_text(file, ("titre",), data["titre"]) or "",
        body_html=body,
        ordre=data.get("ordre"),
        editions=tuple(sorted(set(data.get("editions") or ()))),
        source=file.path,
        links=links,
    )


def validate_edition(file: SourceFile, problems: list[Problem]) -> EditionText | None:
    what = "une édition"
    if not _document(file, problems, what):
        return None
    found = shape_problems(file, what)
    data: dict[str, Any] = file.data
    annee = data.get("annee")
    stem = PurePosixPath(file.path).stem
    if isinstance(annee, int) and not isinstance(annee, bool) and stem != str(annee):
        # A file named after a year was most often copied from last year's to start this
        # year's: its `annee` is what to change; the name, if the year is right.
        fix = (
            f"écrivez `annee: {stem}`, ou renommez-le " if _YEAR.fullmatch(stem) else "renommez-le "
        )
        _report(
            file,
            found,
            ("annee",),
            f"`annee: {annee}` ne correspond pas au nom du fichier : {fix}`{annee}.md`",
        )
    problems.extend(found)
    if found:
        return None
    date = data.get("date")
    if isinstance(date, dt.datetime):
        date = date.date()
    elif isinstance(date, str):
        date = dt.date.fromisoformat(date)
    if date is not None and abs(date.year - data["annee"]) > 1:
        _far_ceremony(file, problems, data["annee"], date)
    body, links = writeup(file, problems)
    return EditionText(
        annee=data["annee"],
        body_html=body,
        numero=data.get("numero"),
        date=date,
        lieu=_text(file, ("lieu",), data.get("lieu")),
        source=file.path,
        publie=data.get("publie", True),
        links=links,
    )


def _far_ceremony(file: SourceFile, problems: list[Problem], annee: int, date: dt.date) -> None:
    """A warning at `date` when it is further than a year from the edition's: a ceremony is
    held in its edition's year, or at the end of the year before; the year mistyped, most
    often (2071 for 2017)."""
    try:
        meant = f" (`date: {date.replace(year=annee).isoformat()}` ?)"
    except ValueError:  # 29 February
        meant = ""
    _report(
        file,
        problems,
        ("date",),
        f"la cérémonie de l'édition {annee} serait le {format_date(date)} : vérifiez l'année "
        f"de `date`{meant}",
        Severity.WARNING,
    )


def validate_page(file: SourceFile, problems: list[Problem]) -> Page | None:
    what = "une page"
    if not _document(file, problems, what):
        return None
    found = shape_problems(file, what)
    problems.extend(found)
    if found:
        return None
    body, links = writeup(file, problems)
    return Page(
        slug=segment(PurePosixPath(file.path).stem),
        titre=_text(file, ("titre",), file.data["titre"]) or "",
        body_html=body,
        source=file.path,
        links=links,
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


def validate_file(file: SourceFile, known: Known | None = None) -> tuple[Any, list[Problem]]:
    """One file on its own: its record (None if it has errors) and its problems; `known`:
    what the official list says of a collectivité file's code, for the examples of its
    messages (schema.Known)."""
    problems = text_problems(file)
    over = limits(file.body) if file.body else []
    for limit in over:
        problems.append(
            Problem(file.path, file.body_line + limit.line - 1, limit.col, limit.message)
        )
    if over:
        file = replace(file, body="")  # what goes over the limits is never rendered
    if file.kind is Kind.COMMUNE:
        record: Any = validate_commune(file, problems, known)
    else:
        record = _VALIDATORS[file.kind](file, problems)
    if record is not None and any(p.severity is Severity.ERROR for p in problems):
        return None, problems
    return record, problems


def _which_departement(code: str) -> str:
    """What to write when a code and its `departement` disagree: the département the code
    names, if it names one, or the code to correct."""
    named = departement_of_insee(code)
    if named is None:
        return "corrigez `code` ou `departement`"
    return (
        f"il est d'une commune du département « {named} » ({DEPARTEMENTS[named].nom}) : "
        f'écrivez `departement: "{named}"` si le code est le bon, sinon corrigez `code`'
    )


Claim = tuple[Kind, str]
"""What a file with errors of its own still names: a collectivité file its code, a domain
file its slug (see `cross_check`)."""

_CODE_LINE = re.compile(r"""^code:[ \t]*["']?(\w+)["']?[ \t]*(?:#.*)?\r?$""", re.M)


def claim(rel: str, kind: Kind, data: object, raw: bytes = b"") -> Claim | None:
    """What a file that has errors of its own names (`claims`): a collectivité file its code,
    from its `code:` line when YAML did not read it as a text (`code: 01004` is the number
    516) or the file cannot be read as YAML at all; a domain file its slug, its name.
    Actions pointing at it are not reported a second time, as if it did not exist: the
    editor fixes that file first (and does not create it again)."""
    if kind is Kind.DOMAINE:
        return kind, PurePosixPath(rel).stem
    if kind is not Kind.COMMUNE:
        return None
    written = data.get("code") if isinstance(data, dict) else None
    if isinstance(written, str):
        code = written.strip().upper()
    else:
        found = _CODE_LINE.search(raw.decode("utf-8", "replace"))
        code = found[1].upper() if found and is_code(found[1]) else ""
    return (kind, code) if code else None


def cross_check(
    validated: list[tuple[SourceFile, Any]],
    claimed: set[Claim] | frozenset[Claim] = frozenset(),
    read: Collection[str] = (),
) -> tuple[Records, list[Problem]]:
    """The rules across files: unique codes and addresses, no action twice, references that
    point at something, links to files that have a page.

    `claimed` holds what files that have errors of their own name (`claim`): an action
    pointing at one of them is not reported again (the editor fixes that file first);
    `read`: every file read, those with errors of their own too (a link to one of them is
    not reported either)."""
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
    addressed = {a.source for a in actions}  # those reported for their address are not again
    _unique(
        [(file, a) for file, a in by_kind[Kind.ACTION] if a.source in addressed],
        _same_action,
        None,
        problems,
        lambda _value, other: (
            f"cette action est déjà décrite dans {other} (même collectivité, même édition, "
            "même titre) : supprimez l'un des deux fichiers, ou donnez à celui-ci le titre de "
            "l'action qu'il décrit"
        ),
        Severity.WARNING,  # a judgement: two actions may share a title, rarely
    )
    domaines = _unique(
        by_kind[Kind.DOMAINE],
        lambda d: d.slug,
        None,
        problems,
        lambda value, other: (
            f"le domaine « {value} » est déjà décrit dans {other} : gardez un seul des deux "
            "fichiers"
        ),
    )
    editions = _unique(
        by_kind[Kind.EDITION],
        lambda e: str(e.annee),
        None,
        problems,
        lambda value, other: (
            f"l'édition {value} est déjà décrite dans {other} : gardez un seul des deux fichiers"
        ),
    )
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
    _check_links(records, read, problems)
    return records, problems


def _closest(target: str, paths: set[str]) -> str | None:
    """The path whose file name is closest to `target`'s (a typo, another case), the
    nearest folder first."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for path in sorted(paths):
        by_name[posixpath.basename(path).casefold()].append(path)
    name = posixpath.basename(target).casefold()
    close = difflib.get_close_matches(name, list(by_name), n=1, cutoff=0.8)
    if not close:
        return None
    return max(by_name[close[0]], key=lambda path: len(posixpath.commonprefix([target, path])))


def _check_links(records: Records, read: Collection[str], problems: list[Problem]) -> None:
    """A link to a file that has no page (content/markup.py, `Link`), with the closest one
    that has; a file with errors of its own is reported already."""
    linking_records = linking(records)
    if not linking_records:
        return
    pages = sources(records)
    for record in linking_records:
        folder = posixpath.dirname(record.source)
        for link in record.links:
            if link.target in pages or link.target in read:
                continue
            close = _closest(link.target, pages - {record.source})
            hint = f" ; vouliez-vous écrire `{posixpath.relpath(close, folder)}` ?" if close else ""
            problems.append(
                Problem(
                    record.source,
                    link.line,
                    link.col,
                    f"le lien « {link.written} » mène à {link.target}, qui n’a pas de page "
                    "sur le site : un lien nomme le fichier d’un texte de content/ ou d’une "
                    f"collectivité de communes/, depuis ce fichier{hint}",
                )
            )


def _unique(
    items: list[tuple[SourceFile, T]],
    key: Callable[[T], str],
    field_name: str | None,
    problems: list[Problem],
    message: Callable[[str, str], str],
    severity: Severity = Severity.ERROR,
) -> list[T]:
    """The records whose key no earlier one has. Two files with the same key are each
    reported, each naming the other: the one a pull request adds may come first or last in
    path order, and its review must show the problem."""
    seen: dict[str, SourceFile] = {}
    reported: set[str] = set()
    kept: list[T] = []

    def report(file: SourceFile, value: str, other: SourceFile) -> None:
        pos = file.pos(field_name) if field_name else file.pos()
        line = pos.line if field_name else 1
        problems.append(
            Problem(
                file.path, line, pos.col if field_name else 0, message(value, other.path), severity
            )
        )

    for file, record in items:
        value = key(record)
        first = seen.get(value)
        if first is None:
            seen[value] = file
            kept.append(record)
            continue
        report(file, value, first)
        if first.path not in reported:
            reported.add(first.path)
            report(first, value, file)
    return kept


def _same_action(action: Action) -> str:
    """What makes two files the same action: its collectivité, edition and title (a file
    copied to start another, and left as it was)."""
    return f"{action.commune}\0{action.annee}\0{' '.join(action.titre.casefold().split())}"


def _check_editions(
    editions: list[tuple[SourceFile, EditionText]],
    communes: list[Commune],
    problems: list[Problem],
) -> None:
    """A write-up whose year no label names describes an edition no list will show."""
    years = {label.annee for commune in communes for label in commune.labels}
    for file, edition in editions:
        if edition.annee not in years:
            _report(
                file,
                problems,
                ("annee",),
                f"aucune collectivité n'a de label en {edition.annee} : vérifiez `annee` "
                f"ici, ou ajoutez les labels {edition.annee} dans communes/",
                Severity.WARNING,
            )


def _check_references(
    actions: list[tuple[SourceFile, Action]],
    communes: list[Commune],
    domaines: list[Domaine],
    problems: list[Problem],
    claimed: set[Claim] | frozenset[Claim] = frozenset(),
) -> set[str]:
    """Report actions pointing at nothing; return the sources of those that cannot be built."""
    broken: set[str] = set()
    by_code = {c.code: c for c in communes}
    by_slug = {d.slug: d for d in domaines}
    slugs = sorted(by_slug)
    for file, action in actions:
        commune = by_code.get(action.commune)
        if commune is None and (Kind.COMMUNE, action.commune) in claimed:
            broken.add(file.path)  # its collectivité's own file is reported already
        elif commune is None:
            broken.add(file.path)
            pos = file.pos("commune")
            problems.append(
                Problem(file.path, pos.line, pos.col, _no_collectivite(action, communes))
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
                if (Kind.DOMAINE, slug) in claimed:
                    continue  # its own file is reported already
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
            elif by_slug[slug].editions and action.annee not in by_slug[slug].editions:
                _outside_referential(file, problems, index, action, by_slug[slug])
    return broken


def _no_collectivite(action: Action, communes: list[Commune]) -> str:
    """What to write for an action's `commune` that names no collectivité: the code of the
    one it names by its name, a former name or its file's name, when one does."""
    if is_code(action.commune):
        return (
            f'`commune: "{action.commune}"` ne désigne aucune collectivité : écrivez le `code` '
            "d'un fichier de communes/ (ou créez ce fichier)"
        )
    written = action.commune
    folded, code = words(written), code_written(written)  # `59 378`
    named = [
        c
        for c in communes
        if folded
        in {words(c.nom), words(PurePosixPath(c.source).stem), *map(words, c.anciens_noms)}
        or c.code == code
    ]
    if len(named) == 1:
        c = named[0]
        return (
            "`commune` attend le code de la collectivité, cinq caractères ou neuf chiffres : "
            f'écrivez `commune: "{c.code}"` ({c.nom}, {c.source})'
        )
    return not_a_reference(Kind.ACTION, "commune", written) + (
        f" ; {len(named)} collectivités portent ce nom : "
        + ", ".join(f'`commune: "{c.code}"` ({c.source})' for c in named)
        if named
        else ""
    )


def _outside_referential(
    file: SourceFile, problems: list[Problem], index: int, action: Action, d: Domaine
) -> None:
    """An action in a domain its edition's referential did not hold (the domain's
    `editions`): the list of domains says « éditions 2017 » beside an action of 2016."""
    years = ", ".join(map(str, d.editions))
    _report(
        file,
        problems,
        ("domaines", index),
        f"`domaines` : le domaine « {d.titre} » (`{d.slug}`) n'est au référentiel que des "
        f"éditions {years} (`editions` de {d.source}), pas de {action.annee} : vérifiez "
        f"`annee` ou `domaines` ici, ou ajoutez {action.annee} à ses `editions`",
        Severity.WARNING,
    )
