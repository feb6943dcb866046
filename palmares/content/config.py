"""The site's configuration: `palmares.toml` at the root of the source, optional.

What a publisher changes without touching templates: the site's title, the organisation,
the public address, a contact, a logo, footer links and the accessibility status. Without
the file, today's texts are the defaults. The file is a source like the content: its
mistakes are problems at `palmares.toml:line:col`, in French, saying what to write.

Parsed with the standard library's tomllib, which keeps no positions: `scan` reads the text
once more (valid TOML by then, so a small lexer suffices) to find where each key and value
is written. The shape is schemas/config.schema.json, which editors' tools (Taplo, Even
Better TOML) read too, and docs/champs.md documents.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import functools
import hashlib
import json
import os
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urlsplit
from xml.etree import ElementTree

from palmares.content import hygiene
from palmares.content.meant import address_meant, uncommented
from palmares.content.read import KeyPath, Pos, decode, inside, read_source, unreadable
from palmares.problems import Problem, Severity, sort_problems
from palmares.text import format_date, written_date

FILE = "palmares.toml"
SCHEMA = "config.schema.json"
ETATS = ("non conforme", "partiellement conforme", "totalement conforme")
LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif")
LOGO_MAX_BYTES = 1_000_000
"""A logo is shown on every page: more than a megabyte is a photograph, not a logo."""


@dataclass(frozen=True, slots=True)
class Link:
    titre: str
    url: str


@dataclass(frozen=True, slots=True)
class Accessibility:
    etat: str = "non conforme"
    """The RGAA's honest default: no audit was made."""
    referentiel: str = "RGAA 4.1"
    date_audit: dt.date | None = None
    date_declaration: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Logo:
    source: str
    """Its path in the source, as written in the configuration."""
    suffix: str
    """Lower case, with its dot: the output's name keeps it (site/urls.py)."""
    data: bytes


@dataclass(frozen=True, slots=True)
class Config:
    """The site's configuration; every field has the default a site without the file gets
    (schemas/config.schema.json says the same: tests/test_config.py holds them equal)."""

    titre: str = "Palmarès Villes Internet"
    organisation: str = "Villes Internet"
    url: str = ""
    """The public address ending with `/`, or ""."""
    contact: str = ""
    """An e-mail address or an http(s) address, or ""."""
    logo: Logo | None = None
    liens: tuple[Link, ...] = ()
    accessibilite: Accessibility = Accessibility()


DEFAULT = Config()
"""A site without palmares.toml."""


@dataclass(frozen=True)
class Loaded:
    """The configuration read, its problems (on error, the defaults), and its digest: the
    file's bytes and the logo's, "" when there is no file (what every output's key holds)."""

    config: Config
    problems: list[Problem] = field(default_factory=list)
    digest: str = ""


def read(source: Path) -> Loaded:
    """The configuration of `source`: its defaults when it has no palmares.toml."""
    path = os.path.join(source, FILE)
    if not os.path.lexists(path):
        return Loaded(Config())
    raw, refused = read_source(path, FILE)
    if refused is not None:  # a link out of the source, an unreadable file: never read
        return Loaded(Config(), [refused], _digest(b"refused\0", refused.message.encode()))
    digest = _digest(raw)
    text, problem = decode(raw, FILE)
    if problem is not None:
        return Loaded(Config(), [problem], digest)
    try:
        data = tomllib.loads(text)
        keys, values = scan(text)
    except tomllib.TOMLDecodeError as err:
        return Loaded(Config(), [syntax_problem(str(err), text)], digest)
    except (RecursionError, ValueError) as err:  # nested beyond reason, or a number too long
        return Loaded(Config(), [_beyond_reason(text, err)], digest)
    problems = _Checker(data, keys, values).problems() + _address(data, values)
    problems += _hygiene(data, values)
    if any(p.severity is Severity.ERROR for p in problems):
        return Loaded(Config(), problems, digest)
    logo, logo_problem = _logo(source, data.get("logo"), values.get(("logo",)))
    if logo_problem is not None:
        return Loaded(Config(), [*problems, logo_problem], digest)
    config = _config(data, logo)
    problems += _warnings(config, values)
    return Loaded(config, problems, _digest(raw, logo.data) if logo else digest)


def _digest(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def _config(data: Mapping[str, Any], logo: Logo | None) -> Config:
    """The configuration from a file that passed its schema."""
    default = Config()
    a11y = data.get("accessibilite", {})
    url = str(data.get("url", "")).strip()
    return Config(
        titre=str(data.get("titre", default.titre)).strip(),
        organisation=str(data.get("organisation", default.organisation)).strip(),
        url=url if not url or url.endswith("/") else url + "/",
        contact=str(data.get("contact", "")).strip(),
        logo=logo,
        liens=tuple(Link(str(x["titre"]).strip(), str(x["url"])) for x in data.get("liens", ())),
        accessibilite=Accessibility(
            etat=str(a11y.get("etat", default.accessibilite.etat)),
            referentiel=str(a11y.get("referentiel", default.accessibilite.referentiel)).strip(),
            date_audit=_date(a11y.get("date_audit")),
            date_declaration=_date(a11y.get("date_declaration")),
        ),
    )


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _warnings(config: Config, values: Mapping[KeyPath, Pos]) -> list[Problem]:
    """What is allowed but probably wrong: a conformity claimed without an audit."""
    a11y = config.accessibilite
    if a11y.etat == "non conforme" or a11y.date_audit is not None:
        return []
    pos = values.get(("accessibilite", "etat"), Pos(1, 1))
    message = (
        f"`etat` : « {a11y.etat} » suppose un audit de conformité ; ajoutez sa date, par exemple "
        '`date_audit = 2026-03-15`, ou écrivez `etat = "non conforme"`'
    )
    return [Problem(FILE, pos.line, pos.col, message, Severity.WARNING)]


def address_fault(url: str) -> tuple[str, str] | None:
    """What keeps `url`, an http(s) address, from being the site's public address, in French,
    with the address to write instead; None when it can be one. The public address is the
    root of every absolute link (canonical links, feeds, sitemap): a name and password
    would be published on every page, an impossible port leads nowhere, a query or a
    fragment would end up in the middle of each link. Its shape (http or https, no space)
    is checked first, by the schema or the command line."""
    parts = urlsplit(url)
    where = parts.netloc.rpartition("@")[2]  # host[:port], as written
    port_ok = _port_ok(parts)
    if not port_ok:
        where = where.rpartition(":")[0]
    if "@" in parts.netloc:
        fault = (
            "ne doit pas contenir de nom ni de mot de passe (`nom:motdepasse@`) : ils seraient "
            "publiés dans chaque page"
        )
    elif not port_ok:
        fault = "a un port impossible (un port va de 1 à 65535)"
    elif parts.query or parts.fragment:
        fault = "ne peut pas avoir de `?` ni de `#`"
    else:
        return None
    return fault, f"{parts.scheme}://{where}{parts.path}"


def _port_ok(parts: SplitResult) -> bool:
    try:
        return parts.port is None or parts.port > 0
    except ValueError:  # over 65 535, or not a number
        return False


def _address(data: Mapping[str, Any], values: Mapping[KeyPath, Pos]) -> list[Problem]:
    url = data.get("url")
    found = address_fault(url) if isinstance(url, str) else None
    if found is None:
        return []
    fault, instead = found
    pos = values.get(("url",), Pos(1, 1))
    message = f'`url` : l\'adresse publique du site {fault} : écrivez `url = "{instead}"`'
    return [Problem(FILE, pos.line, pos.col, message)]


def _hygiene(data: Any, values: Mapping[KeyPath, Pos], path: KeyPath = ()) -> list[Problem]:
    """Each text of the file checked as the content's texts are (content/hygiene.py): no
    control character (an escape sequence would reach every page's title), no invisible
    or direction-changing one."""
    if isinstance(data, str):
        what = f"`{'.'.join(str(k) for k in path)}`"
        pos = values.get(path, Pos(1, 1))
        return [
            Problem(FILE, pos.line, pos.col, message, severity)
            for message, severity in hygiene.value_problems(data, what, name=False)
        ]
    if isinstance(data, list):
        data = dict(enumerate(data))
    if not isinstance(data, dict):
        return []
    return [p for key, value in data.items() for p in _hygiene(value, values, (*path, key))]


# --- the logo ------------------------------------------------------------------------------

_SVG_ACTIVE = re.compile(rb"<script|<foreignobject|javascript:|\son[a-z]+\s*=", re.IGNORECASE)
_SVG_ACTIVE_ELEMENTS = {
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "handler",
    "listener",
}
_URL_BLANKS = str.maketrans("", "", "".join(map(chr, range(33))))


def _svg_active(data: bytes) -> str | None:
    """Why an SVG file could run something when opened at its own address, or None.

    Its bytes first (a script left in a comment is refused too), then the document as the
    browser reads it: every element and attribute by its local name, whatever prefix names
    its namespace (`<s:script>`), with the entities its DOCTYPE declares expanded (they can
    spell markup the bytes do not show). Expat (Python's XML parser) fetches nothing and
    refuses entities that expand out of measure (billion laughs)."""
    active = (
        "contient un script ou un gestionnaire d'événement : un logo SVG est une image sans "
        "script, enregistrez-le sans (ou en PNG)"
    )
    if _SVG_ACTIVE.search(data):
        return active
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, ValueError):
        return (
            "n'est pas un fichier SVG lisible (XML mal formé) : enregistrez-le de nouveau "
            "depuis votre logiciel de dessin (ou en PNG)"
        )
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.rpartition("}")[2].lower() in _SVG_ACTIVE_ELEMENTS:
            return active
        for name, value in element.attrib.items():
            if name.rpartition("}")[2].lower().startswith("on") or "javascript:" in (
                value.translate(_URL_BLANKS).lower()
            ):
                return active
    return None


def _logo(source: Path, value: Any, pos: Pos | None) -> tuple[Logo | None, Problem | None]:
    """The logo's file, read, when it is an image inside the source; else the problem at
    the `logo` line. A link is followed only when it stays inside the source, as the
    content's and the templates' are."""
    if value is None:
        return None, None
    written = str(value).strip()
    where = pos or Pos(1, 1)

    def problem(message: str) -> tuple[None, Problem]:
        return None, Problem(FILE, where.line, where.col, f"`logo` : {message}")

    relative = written.replace("\\", "/")
    suffix = os.path.splitext(relative)[1].lower()
    if os.path.isabs(relative) or re.match(r"^[A-Za-z]:", relative) or ".." in relative.split("/"):
        return problem(
            f"« {written} » sort du dossier source : écrivez un chemin depuis le dossier source, "
            'par exemple `logo = "images/logo.svg"`'
        )
    if suffix not in LOGO_SUFFIXES:
        return problem(
            f"« {written} » n'est pas une image : le logo est un fichier "
            + ", ".join(LOGO_SUFFIXES[:-1])
            + f" ou {LOGO_SUFFIXES[-1]}"
        )
    path = os.path.join(source, *relative.split("/"))
    real_source = os.path.realpath(source)
    if not os.path.lexists(path):
        return problem(f"le fichier « {written} » n'existe pas dans le dossier source")
    try:
        real = os.path.realpath(path, strict=True)
    except OSError:
        return problem(
            f"« {written} » est un lien symbolique cassé ou en boucle : remplacez-le par "
            "le fichier lui-même"
        )
    if not inside(real, real_source):
        return problem(
            f"« {written} » mène par un lien symbolique hors du dossier source : remplacez "
            "le lien par le fichier lui-même"
        )
    if not os.path.isfile(real):
        return problem(f"« {written} » n'est pas un fichier")
    try:
        data = Path(real).read_bytes()
    except OSError as err:
        return problem(unreadable(real, written, err))
    if len(data) > LOGO_MAX_BYTES:
        size = f"{len(data) / 1_000_000:.1f}".replace(".", ",")
        return problem(
            f"« {written} » pèse {size} Mo : un logo pèse 1 Mo au plus, réduisez l'image"
        )
    active = _svg_active(data) if suffix == ".svg" else None
    if active is not None:
        return problem(f"« {written} » {active}")
    return Logo(relative, suffix, data), None


# --- where each key is written --------------------------------------------------------------


def scan(text: str) -> tuple[dict[KeyPath, Pos], dict[KeyPath, Pos]]:
    """Where each key and each value of a valid TOML text is written, by path: `("titre",)`,
    `("accessibilite", "etat")`, `("liens", 1, "url")`. A table's header is its key."""
    return _Scanner(text).run()


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.keys: dict[KeyPath, Pos] = {}
        self.values: dict[KeyPath, Pos] = {}
        self.arrays: dict[KeyPath, int] = {}
        """Each array of tables, and its last element's index."""

    def pos(self, index: int) -> Pos:
        line = bisect.bisect_right(self.starts, index)
        return Pos(line, index - self.starts[line - 1] + 1)

    def at(self, token: str) -> bool:
        return self.text.startswith(token, self.i)

    def skip(self) -> None:
        """Spaces, newlines and comments."""
        text = self.text
        while self.i < len(text):
            c = text[self.i]
            if c in " \t\r\n":
                self.i += 1
            elif c == "#":
                end = text.find("\n", self.i)
                self.i = len(text) if end < 0 else end
            else:
                return

    def run(self) -> tuple[dict[KeyPath, Pos], dict[KeyPath, Pos]]:
        table: KeyPath = ()
        while True:
            self.skip()
            if self.i >= len(self.text):
                return self.keys, self.values
            start = self.pos(self.i)
            if self.at("[["):
                self.i += 2
                names = self.key()
                self.skip()
                self.i += 2
                path = (*self.resolve(names[:-1]), names[-1][0])
                index = self.arrays[path] = self.arrays.get(path, -1) + 1
                self.keys.setdefault(path, start)
                table = (*path, index)
                self.keys[table] = start
            elif self.at("["):
                self.i += 1
                names = self.key()
                self.skip()
                self.i += 1
                table = self.resolve(names)
                self.keys.setdefault(table, start)
            else:
                self.pair(table)

    def resolve(self, names: list[tuple[str, Pos]]) -> KeyPath:
        """A header's names as a path: an array of tables stands for its last element."""
        path: KeyPath = ()
        for name, _ in names:
            path = (*path, name)
            if path in self.arrays:
                path = (*path, self.arrays[path])
        return path

    def pair(self, table: KeyPath) -> None:
        names = self.key()
        path = table
        for name, where in names:
            path = (*path, name)
            self.keys.setdefault(path, where)
        self.skip()
        self.i += 1  # =
        self.skip()
        self.value(path)

    def key(self) -> list[tuple[str, Pos]]:
        """A dotted key's parts, each with its position."""
        names = []
        while True:
            self.skip()
            where = self.pos(self.i)
            if self.at('"') or self.at("'"):
                end = self.string_end()
                quoted = self.text[self.i : end]
                names.append((tomllib.loads(f"k = {quoted}")["k"], where))
                self.i = end
            else:
                match = _BARE_KEY.match(self.text, self.i)
                end = match.end() if match else self.i + 1
                names.append((self.text[self.i : end], where))
                self.i = end
            self.skip()
            if not self.at("."):
                return names
            self.i += 1

    def string_end(self) -> int:
        """The index after the string that starts here."""
        text, i = self.text, self.i
        for quote in ('"""', "'''"):
            if text.startswith(quote, i):
                i += 3
                while not text.startswith(quote, i):
                    i += 2 if quote == '"""' and text[i] == "\\" else 1
                i += 3
                # Up to two quotes right before the closing ones belong to the string.
                for _ in range(2):
                    if i < len(text) and text[i] == quote[0]:
                        i += 1
                return i
        quote = text[i]
        i += 1
        while text[i] != quote:
            i += 2 if quote == '"' and text[i] == "\\" else 1
        return i + 1

    def value(self, path: KeyPath) -> None:
        self.values[path] = self.pos(self.i)
        text = self.text
        if self.at('"') or self.at("'"):
            self.i = self.string_end()
        elif self.at("["):
            self.i += 1
            index = 0
            while True:
                self.skip()
                if self.at("]"):
                    self.i += 1
                    return
                self.value((*path, index))
                index += 1
                self.skip()
                if self.at(","):
                    self.i += 1
        elif self.at("{"):
            self.i += 1
            while True:
                self.skip()
                if self.at("}"):
                    self.i += 1
                    return
                self.pair(path)
                self.skip()
                if self.at(","):
                    self.i += 1
        else:
            while self.i < len(text) and text[self.i] not in ",]}\n#":
                self.i += 1


# --- what the file must look like ----------------------------------------------------------

_TABLE_TWICE = "cette table est déjà écrite plus haut : gardez-en une seule"
_BACKSLASH = (
    "une barre oblique inverse `\\` seule dans un texte entre guillemets : doublez-la "
    "(`\\\\`), ou écrivez le texte entre apostrophes droites `'`"
)
_SYNTAX = {
    "Expected '=' after a key in a key/value pair": (
        "il manque `=` après la clé : chaque ligne s'écrit `cle = valeur`, "
        'par exemple `titre = "Palmarès Villes Internet"`'
    ),
    "Invalid value": (
        "valeur illisible : un texte s'écrit entre guillemets droits, "
        'par exemple `titre = "Palmarès Villes Internet"`, une date sans guillemets, '
        "`date_audit = 2026-03-15`"
    ),
    "Invalid statement": (
        "ligne illisible : chaque ligne est `cle = valeur`, une table `[accessibilite]` "
        "ou `[[liens]]`, ou un commentaire commençant par `#`"
    ),
    "Unterminated string": 'texte non fermé : terminez-le par un guillemet droit `"` sur la même ligne',
    "Unclosed array": "liste non fermée : terminez-la par `]`",
    "Unclosed inline table": "table non fermée : terminez-la par `}` sur la même ligne",
    "Cannot overwrite a value": "cette clé est déjà écrite plus haut : gardez-en une seule",
    "Cannot declare": _TABLE_TWICE,
    "Duplicate inline table key": "cette clé est déjà écrite dans la table : gardez-en une seule",
    "Invalid date or datetime": "date impossible : écrivez une date réelle, année-mois-jour, par exemple `2026-03-15`",
    "Expected ']' at the end of a table declaration": "il manque `]` à la fin du nom de la table, par exemple `[accessibilite]`",
    "Expected ']]' at the end of an array declaration": "il manque `]]` à la fin du nom de la table, par exemple `[[liens]]`",
    "Unescaped '\\' in a string": _BACKSLASH,
    "Invalid hex value": _BACKSLASH,  # `"C:\\Users"`: `\\U` starts a character's code
    "Escaped character is not a Unicode scalar value": _BACKSLASH,
    "Invalid initial character for a key part": (
        "un nom de clé manque ici : un nom s'écrit en lettres sans accent, chiffres, `_` ou "
        "`-`, par exemple `date_audit`, et un point le sépare de la table qui le contient"
    ),
    "Cannot mutate immutable namespace": _TABLE_TWICE,
    "Cannot redefine namespace": _TABLE_TWICE,
    "Expected \"'''\"": "texte non fermé : terminez-le par `'''`, comme il commence",
    'Expected "\'"': "texte non fermé : terminez-le par une apostrophe droite `'` sur la même ligne",
    "Expected newline or end of document after a statement": (
        "la ligne continue après sa valeur : une ligne porte une seule `cle = valeur`, sans "
        "signe après elle, et un commentaire commence par `#`"
    ),
}
_CONTROL = (
    "un caractère invisible de contrôle (copié d'un autre document ?) est dans cette ligne : "
    "retirez-le"
)
_UNCLOSED = "texte non fermé : terminez-le sur la même ligne par le signe qui l'ouvre, `\"` ou `'`"
_VALUE_MEANT = ("Invalid value", "Expected newline or end of document after a statement")
"""tomllib's reasons for a value written as a text is not: the line meant can be said."""
_NAMED = ("Expected '=' after a key", "Expected ']' at the end", "Expected ']]' at the end")
"""tomllib's reasons for a name that stops at a sign it cannot hold (an accent, a space)."""
_LINE = re.compile(r"[ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*(.*)")
_AT = re.compile(r" \(at (?:line (\d+), column (\d+)|end of document)\)$")


def syntax_problem(message: str, text: str) -> Problem:
    """tomllib's error, at its place, in French when it is a common one."""
    found = _AT.search(message)
    reason = message[: found.start()] if found else message
    if found and found.group(1):
        line, col = int(found.group(1)), int(found.group(2))
    elif reason.startswith("Expected \"'") and "'" in text:
        # No apostrophe after the one that opens the text: it is the document's last.
        at = text.rindex("'")
        line, col = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
    else:  # at the end of the document
        line, col = text.count("\n") + 1, 0
    french = next((v for k, v in _SYNTAX.items() if reason.startswith(k)), None)
    lines = text.split("\n")
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    char = source_line[col - 1] if 0 < col <= len(source_line) else ""
    if reason.startswith(("Illegal character", "Found invalid character")):
        french = _UNCLOSED if reason.endswith("'\\n'") else _CONTROL
    elif reason.startswith(_VALUE_MEANT):
        french = _value_meant(source_line) or french
    elif reason.startswith(_NAMED) and not char.isascii():
        french = _name_meant(source_line, col) or french
    return Problem(FILE, line, col, f"TOML invalide : {french or reason}")


def _value_meant(line: str) -> str | None:
    """What to write for `titre = Palmarès`, `titre = “Palmarès”`, `titre = "Le "prix""` or
    `date_audit = 15/03/2026`, as tomllib refuses them: the line meant, for a key whose
    value is a text or a date."""
    found = _LINE.match(line)
    kind = _value_kinds().get(found.group(1)) if found else None
    if found is None or kind is None:
        return None
    key, value = found.group(1), found.group(2).rstrip()
    if value[:1] in ("'", '"'):
        if len(value) < 2 or value[-1] != value[0]:
            return None  # a text, closed, then something else: `titre = "a",`
        value = value[1:-1]  # its own quotes, around a text that holds one
    else:
        value = uncommented(value)
        if len(value) >= 2 and value[0] == "“" and value[-1] == "”":
            value = value[1:-1]  # a word processor's quotes
    if not value:
        return None
    if kind == "date":
        read = written_date(value)
        if read is None:
            return (
                "une date s'écrit année-mois-jour, sans guillemets, par exemple "
                f"`{key} = 2026-03-15`"
            )
        return (
            f"une date s'écrit année-mois-jour, sans guillemets : écrivez `{key} = "
            f"{read.isoformat()}` ({format_date(read)})"
        )
    quoted = f"'{value}'" if '"' in value and "'" not in value else toml(value)
    return f"un texte s'écrit entre guillemets droits : écrivez `{key} = {quoted}`"


def _name_meant(line: str, col: int) -> str | None:
    """What to write for `[accessibilité]` or `dâte_audit = …`: a key or a table is named
    in ASCII, the name our schema gives when it gives one."""
    start = max(line.rfind(c, 0, col - 1) for c in " [.\t") + 1
    end = next((i for i in range(col - 1, len(line)) if line[i] in " =].\t"), len(line))
    name = line[start:end]
    bare = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    if not bare or bare == name:
        return None
    return f"un nom de clé ou de table s'écrit sans accent : écrivez `{bare}` pour `{name}`"


@functools.cache
def _value_kinds() -> dict[str, str]:
    """Each key of the configuration whose value is a text or a date, and which."""
    from palmares.content.schema import fields

    return {
        name: "date" if node.get("format") == "date" else "text"
        for name, node in fields(schema())
        if node.get("type") == "string"
    }


_NESTED = re.compile(r"(?:[\[{]\s*){100}")
_LONG_NUMBER = re.compile(r"[0-9_]{1000}")


def _beyond_reason(text: str, err: Exception) -> Problem:
    """What tomllib cannot read although it is TOML: lists or tables nested hundreds deep
    (Python's recursion), a number of thousands of digits (Python's limit on converting
    them); at the line where it starts."""
    if isinstance(err, RecursionError):
        found, message = (
            _NESTED.search(text),
            (
                "des listes ou des tables imbriquées des centaines de fois : la configuration "
                "n'en a besoin que de deux niveaux, par exemple `[[liens]]`"
            ),
        )
    else:
        found, message = (
            _LONG_NUMBER.search(text),
            (
                "un nombre de milliers de chiffres : écrivez un nombre, ou un texte entre "
                'guillemets droits, par exemple `titre = "Palmarès Villes Internet"`'
            ),
        )
    at = found.start() if found else 0
    line = text.count("\n", 0, at) + 1
    return Problem(FILE, line, at - (text.rfind("\n", 0, at) + 1) + 1, f"TOML invalide : {message}")


def toml(value: Any) -> str:
    """A value as TOML writes it: `"texte"`, `2026-03-15`, `true`, `[1, 2]`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, dt.date, dt.time)):
        return value.isoformat() if not isinstance(value, (int, float)) else repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml(v)}" for k, v in value.items()) + " }"
    return json.dumps(str(value), ensure_ascii=False)


def written(node: Mapping[str, Any], value: Any) -> str:
    """An example of the schema as TOML: a date without quotes."""
    return str(value) if node.get("format") == "date" else toml(value)


def _json_view(value: Any) -> Any:
    """The data as JSON Schema sees it: dates and times as their ISO text."""
    if isinstance(value, dict):
        return {k: _json_view(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_view(v) for v in value]
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


@functools.cache
def schema() -> dict[str, Any]:
    from palmares.content.schema import bundled_file

    return bundled_file(SCHEMA)


@functools.cache
def _validator() -> Any:
    import jsonschema

    return jsonschema.Draft202012Validator(
        schema(), format_checker=jsonschema.FormatChecker(formats=("date",))
    )


class _Checker:
    """The file's departures from its schema, in French, each at its place."""

    def __init__(
        self, data: dict[str, Any], keys: Mapping[KeyPath, Pos], values: Mapping[KeyPath, Pos]
    ) -> None:
        self.data = data
        self.keys = keys
        self.values = values
        self.found: list[Problem] = []

    def problems(self) -> list[Problem]:
        errors = _validator().iter_errors(_json_view(self.data))
        for error in errors:
            path: KeyPath = tuple(error.absolute_path)
            getattr(self, f"_{error.validator}", self._other)(error, path)
        return sort_problems(self.found)

    # -- naming and placing

    def at(self, path: KeyPath) -> dict[str, Any]:
        node = schema()
        for key in path:
            node = node.get("items", {}) if isinstance(key, int) else node["properties"][key]
        return node

    def value(self, path: KeyPath) -> Any:
        node: Any = self.data
        for key in path:
            node = node[key]
        return node

    @staticmethod
    def name(path: KeyPath) -> str:
        """`titre`, `etat` (dans [accessibilite]), `url` (dans le lien 2 de [[liens]])."""
        last = path[-1]
        if isinstance(last, int):
            return f"le lien {last + 1} de `[[{path[-2]}]]`"
        if len(path) == 3 and isinstance(path[1], int):
            return f"`{last}` (dans le lien {path[1] + 1} de `[[{path[0]}]]`)"
        if len(path) == 2:
            return f"`{last}` (dans `[{path[0]}]`)"
        return f"`{last}`"

    def example(self, path: KeyPath) -> str:
        node = self.at(path)
        return f"{path[-1]} = {written(node, (node.get('examples') or ['…'])[0])}"

    def report(self, path: KeyPath, message: str, *, key: bool = False) -> None:
        where = (self.keys if key else self.values).get(path)
        if where is None:
            where = self.keys.get(path) or self.values.get(path) or Pos(1, 1)
        self.found.append(Problem(FILE, where.line, where.col, message))  # problems() dedups

    def shown(self, path: KeyPath) -> str:
        value = self.value(path)
        if isinstance(value, str):
            return f"« {value} »" if value else "un texte vide"
        if isinstance(value, dict):
            return "une table"
        if isinstance(value, list):
            return "une liste"
        return toml(value)

    # -- one method per JSON Schema keyword

    def _additionalProperties(self, error: Any, path: KeyPath) -> None:
        known = tuple(self.at(path).get("properties", {}))
        if not path:
            where = f"dans {FILE}"
        elif len(path) == 1:
            where = f"dans `[{path[0]}]`"
        else:
            where = f"dans un lien de `[[{path[0]}]]`"
        for key in error.instance:
            if key in known:
                continue
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f" : vouliez-vous écrire `{close[0]}` ?" if close else ""
            allowed = ", ".join(f"`{k}`" for k in known)
            self.report(
                (*path, key),
                f"clé inconnue `{key}` {where}{hint} (clés possibles : {allowed})",
                key=True,
            )

    def _type(self, error: Any, path: KeyPath) -> None:
        expected = error.validator_value
        node = self.at(path)
        name = self.name(path)
        if node.get("format") == "date":
            self._format(error, path)
        elif expected == "string":
            self.report(
                path,
                f"{name} doit être un texte entre guillemets droits, par exemple "
                f"`{self.example(path)}` ; trouvé : {self.shown(path)}",
            )
        elif expected == "array":
            self.report(
                path,
                f"{name} doit être une liste de tables : pour chaque lien, une ligne "
                f'`[[{path[-1]}]]` puis `titre = "…"` et `url = "https://…"` en dessous ; '
                f"trouvé : {self.shown(path)}",
            )
        elif expected == "object" and isinstance(path[-1], int):
            self.report(
                path,
                f'{name} doit être une table : `{{ titre = "…", url = "https://…" }}` ; '
                f"trouvé : {self.shown(path)}",
            )
        elif expected == "object":
            example = self.at(path).get("examples", [{}])[0]
            below = " puis " + ", ".join(
                f"`{k} = {written(self.at((*path, k)), v)}`" for k, v in example.items()
            )
            self.report(
                path,
                f"{name} doit être une table : écrivez une ligne `[{path[-1]}]`{below} en "
                f"dessous ; trouvé : {self.shown(path)}",
            )
        else:  # pragma: no cover - a type our schema does not use
            self._other(error, path)

    def _format(self, error: Any, path: KeyPath) -> None:
        read = written_date(self.value(path))
        what = f"{self.name(path)} doit être une date réelle, année-mois-jour sans guillemets"
        found = f"trouvé : {self.shown(path)}"
        self.report(
            path,
            f"{what} ; {found} : écrivez `{path[-1]} = {read.isoformat()}` ({format_date(read)})"
            if read
            else f"{what}, par exemple `{self.example(path)}` ; {found}",
        )

    def _pattern(self, error: Any, path: KeyPath) -> None:
        value = self.value(path)
        if not str(value).strip():
            remove = "" if len(path) == 3 else ", ou retirez la ligne"  # a link's part
            self.report(
                path,
                f"{self.name(path)} est vide : écrivez par exemple `{self.example(path)}`{remove}",
            )
            return
        # A date or a time (`url = 2026-03-15`) is shown as its text, which no address is.
        meant = address_meant(value) if isinstance(value, str) else None
        hint = f' : écrivez `{path[-1]} = "{meant}"`' if meant else ""
        if not meant and path[0] == "liens" and "://" not in str(value):
            # `/mentions-legales`, `mentions.html`: a page of this site, which the footer
            # links already when it is a text of content/pages/.
            hint = (
                " ; une page de ce site s'écrit dans content/pages/ (par exemple "
                "content/pages/mentions-legales.md) : le pied de page la lie déjà"
            )
        self.report(
            path,
            f"{self.name(path)} doit être une adresse web complète, commençant par https:// ou "
            f"http:// ; trouvé : {self.shown(path)}{hint}",
        )

    def _maxLength(self, error: Any, path: KeyPath) -> None:
        self.report(path, hygiene.too_long(error.instance, self.name(path), error.validator_value))

    def _anyOf(self, error: Any, path: KeyPath) -> None:
        value = error.instance
        if isinstance(value, str) and not value.strip():
            self.report(
                path, f"{self.name(path)} est vide : écrivez par exemple `{self.example(path)}`"
            )
            return
        choices = " ou ".join(
            f"une {s['title']} (`{path[-1]} = {toml(s['examples'][0])}`)"
            for s in error.validator_value
        )
        self.report(path, f"{self.name(path)} doit être {choices} ; trouvé : {self.shown(path)}")

    def _enum(self, error: Any, path: KeyPath) -> None:
        values = [str(v) for v in error.validator_value]
        listed = ", ".join(f"« {v} »" for v in values[:-1]) + f" ou « {values[-1]} »"
        found = str(error.instance)
        close = difflib.get_close_matches(found, values, n=1, cutoff=0.5)
        hint = f" : écrivez par exemple `{path[-1]} = {toml(close[0])}`" if close else ""
        self.report(path, f"{self.name(path)} vaut {listed} ; trouvé : {self.shown(path)}{hint}")

    def _required(self, error: Any, path: KeyPath) -> None:
        for key in error.validator_value:
            if key not in error.instance:
                self.report(
                    path,
                    f"{self.name(path)} n'a pas de `{key}` : ajoutez une ligne "
                    f"`{self.example((*path, key))}`",
                    key=True,
                )

    def _other(self, error: Any, path: KeyPath) -> None:  # pragma: no cover - defensive
        label = self.name(path) if path else FILE
        self.report(path, f"{label} : valeur refusée ({error.message})")
