"""`diff`: what changes between two built sites, file by file, in words a reviewer reads.

Both folders are walked and their files compared by their bytes: the manifest only tells
which output made each file (its family), so a site built by another version of the engine
still compares. Only a file whose bytes differ is read further: the visible text of a page
(its `<main>`, without navigation, scripts or pictures), the rows of a table of the open
data, the values of a JSON file, each compared line by line. What is not a regular file (a
named pipe, a device, a symlink out of the site: output/built.py) is never opened, only
named for what it is.
"""

from __future__ import annotations

import csv
import difflib
import errno
import io
import json
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal, NamedTuple, TextIO

from palmares.console import append_step_summary, system_error
from palmares.output import built
from palmares.output.write import MARKER, Manifest
from palmares.site import urls
from palmares.text import NBSP, format_int, plural, shown_path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
PAGES_SHOWN = 50
"""Files listed, and read for a summary, in each family; the others are counted."""
LINES_SHOWN = 5
"""Changes shown for each file; the others are counted."""
_EXCERPT = 120
"""Characters of a changed line shown on either side of what changed."""

Kind = Literal["added", "removed", "changed"]
_KIND_ORDER: dict[Kind, int] = {"added": 0, "removed": 1, "changed": 2}
_KIND_WORDS: dict[Kind, str] = {
    "added": "ajout",
    "removed": "suppression",
    "changed": "modification",
}


class Family(NamedTuple):
    folder: str
    """The first folder of the outputs of this family ("" for the rest)."""
    title: str


def _top(path: str) -> str:
    return path.split("/", 1)[0]


FAMILIES = (
    Family(_top(urls.AZ), "Collectivités"),
    Family(urls.ACTIONS, "Actions"),
    Family(_top(urls.EDITIONS), "Éditions"),
    Family(_top(urls.DOMAINES), "Domaines"),
    Family(_top(urls.TERRITOIRES), "Territoires"),
    Family(_top(urls.DONNEES), "Données ouvertes"),
    Family(_top(urls.SEARCH), "Recherche"),
    Family(_top(urls.FEED_EDITIONS), "Flux et plan du site"),
    Family(_top(urls.ACCESSIBILITE), "Pages"),
    Family("", "Accueil et autres fichiers"),
)
_FAMILY_ORDER = {family.folder: index for index, family in enumerate(FAMILIES)}


@dataclass(frozen=True)
class Line:
    """One change of a file's text: a line removed (`new` is None), added (`old` is None)
    or replaced. `label` when both lines read `label : value` with the same label: `old`
    and `new` are then the values."""

    old: str | None
    new: str | None
    label: str = ""


@dataclass(frozen=True)
class Change:
    """A file that one site has and the other has not, or that differs between them."""

    path: str
    """Relative to the site's folder, with `/`."""
    kind: Kind
    family: str
    """The `folder` of its family in FAMILIES."""
    title: str = ""
    """A page's first heading (`<h1>`), or its `<title>`."""
    note: str = ""
    """A one-line summary: the rows of a table, a file's size."""
    lines: tuple[Line, ...] = ()
    """What changed in its text, in the order of the file."""


@dataclass(frozen=True)
class Report:
    old: str
    new: str
    changes: tuple[Change, ...]
    """By family, then added, removed, changed, then path."""
    same: int
    """Files with the same bytes in both sites."""

    def families(self) -> list[tuple[Family, list[Change]]]:
        """The families that have changes, in FAMILIES' order, with their changes."""
        found: dict[str, list[Change]] = {}
        for change in self.changes:
            found.setdefault(change.family, []).append(change)
        return [(family, found[family.folder]) for family in FAMILIES if family.folder in found]


# --- Comparing two sites ---------------------------------------------------------------


def not_a_site(folder: Path) -> str | None:
    """Why `folder` cannot be compared (in French), or None when it is a built site."""
    if not folder.is_dir():
        return (
            f"{shown_path(folder)} n’existe pas ou n’est pas un dossier{NBSP}: donnez le dossier "
            f"de sortie d’une construction (`python build.py --out {shown_path(folder)}`)"
        )
    # Read as any file of the site (output/built.py): a marker that is a link out of the
    # site, or a named pipe, is never opened.
    marker = built.entry(folder, MARKER)
    if marker is None or marker.odd:
        why = (
            f"il n’a pas de fichier {MARKER}"
            if marker is None
            else f"son fichier {MARKER} est un {marker.odd}, non lu"
        )
        return (
            f"{shown_path(folder)} n’est pas un site construit par Palmarès ({why}){NBSP}: donnez le "
            "dossier de sortie d’une construction, par exemple site/"
        )
    return None


def compare(old: Path, new: Path) -> Report:
    """Every file added, removed or changed from the site in `old` to the one in `new`."""
    old_files, new_files = built.walk(old, hidden=False).files, built.walk(new, hidden=False).files
    old_owners, new_owners = _owners(old), _owners(new)
    found: list[tuple[str, Kind]] = []
    same = 0
    for rel in sorted(old_files.keys() | new_files.keys()):
        if rel not in old_files:
            found.append((rel, "added"))
        elif rel not in new_files:
            found.append((rel, "removed"))
        elif _same(old_files[rel], new_files[rel]):
            same += 1
        else:
            found.append((rel, "changed"))

    def family(rel: str, kind: Kind) -> str:
        owner = (old_owners if kind == "removed" else new_owners).get(rel, rel)
        top = _top(owner) if "/" in owner else ""
        return top if top in _FAMILY_ORDER else ""

    ordered = sorted(
        ((family(rel, kind), kind, rel) for rel, kind in found),
        key=lambda item: (_FAMILY_ORDER[item[0]], _KIND_ORDER[item[1]], item[2]),
    )
    changes: list[Change] = []
    shown: Counter[str] = Counter()
    for fam, kind, rel in ordered:
        shown[fam] += 1
        if shown[fam] > PAGES_SHOWN:  # counted only: not worth reading
            changes.append(Change(rel, kind, fam))
            continue
        before, after = old_files.get(rel), new_files.get(rel)
        if (before and before.odd) or (after and after.odd):
            changes.append(Change(rel, kind, fam, "", _odd_note(before, after)))
            continue
        old_bytes = Path(before.path).read_bytes() if before else None
        new_bytes = Path(after.path).read_bytes() if after else None
        changes.append(_describe(rel, kind, fam, old_bytes, new_bytes))
    return Report(shown_path(old), shown_path(new), tuple(changes), same)


def _owners(root: Path) -> dict[str, str]:
    """Each file of the site → the output of the plan that made it, from its manifest (the
    marker, when it may be read: never through a link out of the site)."""
    marker = built.entry(root, MARKER)
    if marker is None or marker.odd:
        return {}
    manifest = Manifest.read(root)
    if manifest is None:
        return {}
    return {rel: ident for ident, record in manifest.outputs.items() for rel in record.files}


def _same(a: built.Entry, b: built.Entry) -> bool:
    """Whether two files have the same bytes; two files that may not be read (a FIFO, a
    symlink out of the site), whether they are the same kind of thing, leading to the same
    place."""
    if a.odd or b.odd:
        return (a.odd, a.stat.st_rdev, _link(a)) == (b.odd, b.stat.st_rdev, _link(b))
    if a.stat.st_size != b.stat.st_size:
        return False
    if (a.stat.st_dev, a.stat.st_ino) == (b.stat.st_dev, b.stat.st_ino):
        return True  # hard-linked by an incremental build
    with open(a.path, "rb") as one, open(b.path, "rb") as other:
        while True:
            chunk = one.read(1 << 16)
            if chunk != other.read(1 << 16):
                return False
            if not chunk:
                return True


def _link(entry: built.Entry) -> str:
    return os.readlink(entry.path) if entry.symlink else ""


def _odd_note(old: built.Entry | None, new: built.Entry | None) -> str:
    """A file that may not be read, on either side, as what it is: never opened."""
    before, after = ((entry.odd or "fichier ordinaire") if entry else "" for entry in (old, new))
    if before and after and before != after:
        return f"{before} → {after}, non lu"
    return f"{after or before}, non lu"


# --- What changed inside a file --------------------------------------------------------


class TextLine(NamedTuple):
    """A line of a file's text; a table row's also has its cells and its table's headings."""

    text: str
    cells: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()


def _describe(rel: str, kind: Kind, family: str, old: bytes | None, new: bytes | None) -> Change:
    suffix = rel.rsplit(".", 1)[-1].lower() if "." in rel.rsplit("/", 1)[-1] else ""
    if suffix in ("html", "htm"):
        before, after = (_page(data) if data is not None else None for data in (old, new))
        title = next((page.title for page in (after, before) if page and page.title), "")
        if before is None or after is None:
            return Change(rel, kind, family, title)
        lines = _text_changes(before.lines(), after.lines())
        note = "" if lines else "texte visible inchangé (balisage ou métadonnées)"
        return Change(rel, kind, family, title, note, lines)
    if old is None or new is None:
        return Change(rel, kind, family)
    if suffix == "csv":
        table = _csv(old), _csv(new)
        if table[0] is not None and table[1] is not None:
            note, lines = _table_changes(*table[0], *table[1])
            return Change(rel, kind, family, "", note, lines)
    if suffix == "json":
        note, lines = _json_changes(old, new)
        return Change(rel, kind, family, "", note, lines)
    if suffix in ("xml", "svg"):
        return Change(rel, kind, family, "", "", _text_changes(_xml(old), _xml(new)))
    if suffix in ("txt", "csv"):
        return Change(rel, kind, family, "", "", _text_changes(_plain(old), _plain(new)))
    return Change(rel, kind, family, "", _size_note(len(old), len(new)))


def _plain(data: bytes) -> list[TextLine]:
    return [TextLine(line) for line in data.decode("utf-8-sig", errors="replace").splitlines()]


def _size_note(old: int, new: int) -> str:
    if old == new:
        return f"même taille ({plural(new, 'octet')}), contenu différent"
    return f"taille{NBSP}: {format_int(old)} → {plural(new, 'octet')}"


_LABELLED = re.compile(r"(?P<label>[^:]{1,60}?)\s*:\s+(?P<value>.+)", re.S)


def _text_changes(old: Sequence[TextLine], new: Sequence[TextLine]) -> tuple[Line, ...]:
    """The lines that differ, a replaced line paired with the line that replaced it."""
    found: list[Line] = []
    matcher = difflib.SequenceMatcher(None, old, new)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        before, after = old[i1:i2], new[j1:j2]
        for k in range(max(len(before), len(after))):
            a = before[k] if k < len(before) else None
            b = after[k] if k < len(after) else None
            found.extend(_line(a, b))
    return tuple(found)


def _line(old: TextLine | None, new: TextLine | None) -> list[Line]:
    """A replaced table row as its cells that changed, named by the row's first cell and
    the column's heading; a replaced `label : value` line as its values; else as is."""
    if old is None or new is None:
        return [Line(old.text if old else None, new.text if new else None)]
    if len(old.cells) == len(new.cells) > 1 and old.cells[0] == new.cells[0]:
        headers = new.headers if len(new.headers) == len(new.cells) else ()
        cells = [
            Line(a, b, f"{old.cells[0]} · {headers[i] if headers else f'colonne {i + 1}'}")
            for i, (a, b) in enumerate(zip(old.cells, new.cells, strict=True))
            if a != b
        ]
        if cells:
            return cells
    a, b = _LABELLED.fullmatch(old.text), _LABELLED.fullmatch(new.text)
    if a and b and a["label"] == b["label"]:
        return [Line(a["value"], b["value"], a["label"])]
    return [Line(old.text, new.text)]


# Pages: their visible text, one line per block.

_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})  # fmt: skip
_HIDDEN = frozenset({"head", "script", "style", "template", "svg", "nav", "header", "footer"})
"""Not the page's own content: navigation and header repeat on every page, and a chart's
text is also in the table beside it."""
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "legend", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
})  # fmt: skip
_CELL = "\x00"
_SPACES = re.compile(r"[ \t\n\r\f]+")  # HTML's white space: a no-break space is text


class _Text(HTMLParser):
    """The text of a page as lines, one per block (a table row's cells joined by « · »);
    in an XML file (`xml`), one per element."""

    def __init__(self, *, xml: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.xml = xml
        self.open: list[tuple[str, bool]] = []
        """The open elements, and whether each hides its content."""
        self.hidden = 0
        self.in_main = 0
        self.saw_main = False
        self.parts: list[str] = []
        self.row: list[str] = []
        """The tags of the cells of the table row being read."""
        self.headers: list[tuple[str, ...]] = []
        """The column headings of each open table."""
        self.found: list[tuple[str, TextLine, bool]] = []
        """Each block's tag, text, and whether it is inside `<main>`."""
        self.title = ""
        self.head_title = ""

    def _block(self, tag: str) -> bool:
        return self.xml or tag in _BLOCKS

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.xml and tag in _VOID:
            if tag in _BLOCKS:
                self._flush()
            return
        if self._block(tag):
            self._flush()
        elif tag in ("td", "th"):
            self.parts.append(_CELL)
            self.row.append(tag)
        if tag == "table" and not self.xml:
            self.headers.append(())
        values = dict(attrs)
        hides = not self.xml and (
            tag in _HIDDEN or values.get("aria-hidden") == "true" or "hidden" in values
        )
        self.open.append((tag, hides))
        self.hidden += hides
        if tag == "main" and not self.xml:
            self.in_main += 1
            self.saw_main = True

    def handle_endtag(self, tag: str) -> None:
        if not any(name == tag for name, _ in self.open):
            return  # a void element, or an end tag without its start
        if self._block(tag):
            self._flush()
        while self.open:
            name, hides = self.open.pop()
            self.hidden -= hides
            if name == "main" and not self.xml:
                self.in_main -= 1
            if name == "table" and self.headers and not self.xml:
                self.headers.pop()
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.xml and self.open and self.open[-1][0] == "title":
            self.head_title += data
        elif not self.hidden:
            self.parts.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        before, *cells = (
            _SPACES.sub(" ", part).strip() for part in "".join(self.parts).split(_CELL)
        )
        text = " · ".join(part for part in (before, *cells) if part)
        kinds, self.parts, self.row = self.row, [], []
        if not text:
            return
        kind = next((name for name, _ in reversed(self.open) if self._block(name)), "")
        line = TextLine(text)
        if kind == "tr" and self.headers and not before:
            if all(cell == "th" for cell in kinds) and not self.headers[-1]:
                self.headers[-1] = tuple(cells)  # the first row of headings: the columns'
            else:
                line = TextLine(text, tuple(cells), self.headers[-1])
        self.found.append((kind, line, self.in_main > 0))
        if kind == "h1" and not self.title:
            self.title = text

    def lines(self) -> list[TextLine]:
        """The lines of `<main>` if the page has one, a term and its definitions as
        `term : definition`."""
        chosen = [(kind, line) for kind, line, main in self.found if main or not self.saw_main]
        lines: list[TextLine] = []
        term: TextLine | None = None
        used = False
        for kind, line in chosen:
            if kind == "dd" and term is not None:
                lines.append(TextLine(f"{term.text}{NBSP}: {line.text}"))
                used = True
                continue
            if term is not None and not used:
                lines.append(term)
            term, used = (line if kind == "dt" else None), False
            if kind != "dt":
                lines.append(line)
        if term is not None and not used:
            lines.append(term)
        return lines


def _page(data: bytes) -> _Text:
    parser = _Text()
    parser.feed(data.decode("utf-8", errors="replace"))
    parser.close()
    if not parser.title:
        parser.title = _SPACES.sub(" ", parser.head_title).strip()
    return parser


def _xml(data: bytes) -> list[TextLine]:
    parser = _Text(xml=True)
    parser.feed(data.decode("utf-8", errors="replace"))
    parser.close()
    return parser.lines()


# Tables of the open data: rows added, removed, changed.

Row = dict[str, str]


def _csv(data: bytes) -> tuple[list[str], list[Row]] | None:
    try:
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        header, *rows = list(reader)
    except (UnicodeDecodeError, csv.Error, ValueError):
        return None
    return header, [dict(zip(header, row, strict=False)) for row in rows]


def _json_changes(old: bytes, new: bytes) -> tuple[str, tuple[Line, ...]]:
    # As text when it is not JSON, or JSON nested beyond Python's recursion (an audit: a
    # file of 100 000 brackets ended in RecursionError).
    try:
        before, after = json.loads(old), json.loads(new)
        tables = _json_rows(before), _json_rows(after)
        if tables[0] is not None and tables[1] is not None:
            return _table_changes(*tables[0], *tables[1])
        flat = [[TextLine(line) for line in _flatten(value)] for value in (before, after)]
    except (UnicodeDecodeError, ValueError, RecursionError):
        return "", _text_changes(_plain(old), _plain(new))
    return "", _text_changes(*flat)


def _json_rows(value: object) -> tuple[list[str], list[Row]] | None:
    """A list of objects as a table: its keys are the columns."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        return None
    columns = list(dict.fromkeys(key for item in value for key in item))
    rows = [{key: _scalar(item.get(key)) for key in columns} for item in value]
    return columns, rows


def _scalar(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _flatten(value: object, prefix: str = "") -> Iterator[str]:
    """`{"a": {"b": [1]}}` → `a.b[0] : 1`, one line per value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from _flatten(item, f"{prefix}[{index}]")
    else:
        yield f"{prefix or '.'}{NBSP}: {_scalar(value)}"


def _table_changes(
    old_columns: list[str], old_rows: list[Row], new_columns: list[str], new_rows: list[Row]
) -> tuple[str, tuple[Line, ...]]:
    """How many rows were added, removed and changed; each change, a changed row's cells
    named by the row's key (the first columns that tell the rows apart) and the column."""
    lines: list[Line] = []
    if old_columns != new_columns:
        lines.append(Line(", ".join(old_columns), ", ".join(new_columns), "colonnes"))
    columns = [column for column in new_columns if column in old_columns]
    key = _key(columns, old_rows, new_rows)
    added = removed = changed = 0
    if key is None:  # no key: rows compared as wholes
        text = [
            Counter(" · ".join(row.get(c, "") for c in columns) for row in rows)
            for rows in (old_rows, new_rows)
        ]
        for gone in (text[0] - text[1]).elements():
            lines.append(Line(gone, None))
            removed += 1
        for made in (text[1] - text[0]).elements():
            lines.append(Line(None, made))
            added += 1
    else:

        def name(row: Row) -> str:
            return " · ".join(row.get(c, "") for c in key)

        before = {name(row): row for row in old_rows}
        after = {name(row): row for row in new_rows}
        for ident, row in after.items():
            if ident not in before:
                lines.append(Line(None, ident))
                added += 1
                continue
            cells = [
                Line(before[ident].get(c, ""), row.get(c, ""), f"{ident} · {c}")
                for c in columns
                if before[ident].get(c, "") != row.get(c, "")
            ]
            lines.extend(cells)
            changed += bool(cells)
        for ident in before.keys() - after.keys():
            lines.append(Line(ident, None))
            removed += 1
    counts = [
        plural(added, "ligne ajoutée", "lignes ajoutées") if added else "",
        plural(removed, "ligne supprimée", "lignes supprimées") if removed else "",
        plural(changed, "ligne modifiée", "lignes modifiées") if changed else "",
    ]
    note = ", ".join(part for part in counts if part)
    return note or "aucune ligne ajoutée, supprimée ni modifiée", tuple(lines)


def _key(columns: list[str], *tables: list[Row]) -> list[str] | None:
    """The first column, or else the shortest run of first columns, whose values tell the
    rows of every table apart."""
    candidates = [[column] for column in columns]
    candidates += [columns[:size] for size in range(2, len(columns) + 1)]
    for candidate in candidates:
        if all(_distinct(candidate, rows) for rows in tables):
            return candidate
    return None


def _distinct(columns: list[str], rows: list[Row]) -> bool:
    seen: set[tuple[str | None, ...]] = set()
    for row in rows:
        values = tuple(row.get(c) for c in columns)
        if values in seen:
            return False  # most candidates fail early: no need to read the whole table
        seen.add(values)
    return True


# --- Rendering -------------------------------------------------------------------------


def _totals(report: Report) -> str:
    kinds = Counter(change.kind for change in report.changes)
    parts = [plural(kinds[kind], _KIND_WORDS[kind]) for kind in ("added", "removed", "changed")]
    same = plural(report.same, "fichier identique", "fichiers identiques")
    return f"{', '.join(parts)}{NBSP}; {same}"


def _shown(line: Line) -> list[str]:
    """A change as one line (`label : avant → après`) or two (`− avant`, `+ après`)."""
    if line.label:
        old, new = (_cut(value) if value else "(vide)" for value in (line.old, line.new))
        return [f"{line.label}{NBSP}: {old} → {new}"]
    if line.old is not None and line.new is not None:
        old, new = _excerpts(line.old, line.new)
        return [f"− {old}", f"+ {new}"]
    if line.old is not None:
        return [f"− {_cut(line.old)}"]
    return [f"+ {_cut(line.new or '')}"]


def _cut(text: str) -> str:
    return text if len(text) <= 2 * _EXCERPT else text[: 2 * _EXCERPT].rstrip() + "…"


def _excerpts(old: str, new: str) -> tuple[str, str]:
    """Two long lines cut to what differs between them, with some words on either side."""
    if max(len(old), len(new)) <= 2 * _EXCERPT:
        return old, new
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1

    def excerpt(text: str) -> str:
        left = max(0, text.rfind(" ", 0, max(0, start - 40)) + 1) if start > 40 else 0
        stop = len(text) - end
        right = text.find(" ", stop + 40) if stop + 40 < len(text) else -1
        right = len(text) if right == -1 else right
        shown = text[left:right]
        if len(shown) > 2 * _EXCERPT:
            shown = shown[: 2 * _EXCERPT].rstrip() + "…"
        return ("…" if left else "") + shown + ("…" if right < len(text) else "")

    return excerpt(old), excerpt(new)


def _more(count: int, singular: str, plural_form: str) -> str:
    return f"… et {plural(count, singular, plural_form)}"


def render_text(report: Report) -> str:
    """The report for a terminal."""
    if not report.changes:
        same = plural(report.same, "fichier identique", "fichiers identiques")
        return f"Aucune différence entre {report.old} et {report.new}{NBSP}: {same}.\n"
    out = [f"Du site {report.old} au site {report.new}{NBSP}: {_totals(report)}."]
    for family, changes in report.families():
        out.append("")
        out.append(f"{family.title} ({format_int(len(changes))})")
        for change in changes[:PAGES_SHOWN]:
            name = f"{change.title} — {change.path}" if change.title else change.path
            out.append(f"  {_KIND_WORDS[change.kind]}{NBSP}: {name}")
            out.extend(f"      {line}" for line in _details(change))
        if len(changes) > PAGES_SHOWN:
            out.append(f"  {_more(len(changes) - PAGES_SHOWN, 'autre fichier', 'autres fichiers')}")
    return "\n".join(out) + "\n"


def _details(change: Change) -> list[str]:
    shown = [change.note] if change.note else []
    for line in change.lines[:LINES_SHOWN]:
        shown.extend(_shown(line))
    if len(change.lines) > LINES_SHOWN:
        rest = len(change.lines) - LINES_SHOWN
        shown.append(_more(rest, "autre changement", "autres changements"))
    return shown


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}#|~!])")
_LIST_MARKER = re.compile(r"^(\d*)([-+.)])(?=\s|$)")


def _md(text: str) -> str:
    """Text from a page as Markdown that shows it as it is (GitHub renders HTML in it)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _LIST_MARKER.sub(r"\1\\\2", text)  # `+ added` is text, not a nested list


def render_markdown(report: Report) -> str:
    """The report for a pull request's job summary: a heading per family, a list per file,
    long lists folded."""
    out = ["## Ce qui change sur le site", ""]
    if not report.changes:
        same = plural(report.same, "fichier identique", "fichiers identiques")
        out.append(f"Aucune différence entre `{report.old}` et `{report.new}`{NBSP}: {same}.")
        return "\n".join(out) + "\n"
    out.append(f"Du site `{report.old}` au site `{report.new}`{NBSP}: {_totals(report)}.")
    for family, changes in report.families():
        out += ["", f"### {family.title} ({format_int(len(changes))})", ""]
        items: list[str] = []
        for change in changes[:PAGES_SHOWN]:
            name = f"{_md(change.title)} — `{change.path}`" if change.title else f"`{change.path}`"
            items.append(f"- **{_KIND_WORDS[change.kind]}**{NBSP}: {name}")
            items.extend(f"  - {_md(line)}" for line in _details(change))
        if len(changes) > PAGES_SHOWN:
            items.append(
                f"- {_more(len(changes) - PAGES_SHOWN, 'autre fichier', 'autres fichiers')}"
            )
        if len(changes) > 10:
            summary = plural(len(changes), "fichier")
            out += ["<details>", f"<summary>{summary}</summary>", "", *items, "", "</details>"]
        else:
            out += items
    return "\n".join(out) + "\n"


# --- The command -----------------------------------------------------------------------


def run(
    old: Path,
    new: Path,
    fmt: str,
    out: TextIO,
    err: TextIO,
    environ: Mapping[str, str] = os.environ,
) -> int:
    """`diff OLD --out NEW`: the report in `fmt` (text, markdown, or github: Markdown also
    appended to the job summary, $GITHUB_STEP_SUMMARY, when there is one)."""
    try:
        for folder in (old, new):
            problem = not_a_site(folder)
            if problem is not None:
                print(f"palmares : {problem}", file=err)
                return EXIT_USAGE
        report = compare(old, new)
    except OSError as error:  # a file or folder one may not read, say: named, in French
        print(
            f"palmares : comparaison impossible{NBSP}: {system_error(error, NBSP + ': ')}", file=err
        )
        return EXIT_USAGE if error.errno == errno.ENAMETOOLONG else EXIT_FAILED
    text = render_text(report) if fmt == "text" else render_markdown(report)
    out.write(text)
    if fmt == "github":
        append_step_summary(text, err, environ)
    return EXIT_OK
