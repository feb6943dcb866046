"""Check the links of a built site, the way a reader opening it from file:// would follow them.

The site must work from a USB stick (file://) and under any sub-path of a web server, so every
internal link is relative and names a file: a folder opened from file:// shows a directory
listing, a root-relative `/x` leads to the root of the disk. Each page is parsed once; the ids
of every page are kept for the `#fragment` checks, which run when all pages are read.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from palmares.output import built
from palmares.problems import Problem, sort_problems

# Attributes that make the browser load or navigate to a URL.
_URL_ATTRS = frozenset(
    {"href", "src", "srcset", "action", "formaction", "poster", "xlink:href", "data"}
)
# Where an image may be inlined as `data:image/…`.
_IMAGE_TAGS = frozenset({"img", "source", "input", "video", "link"})
_EXTERNAL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "[::1]", "::1"})
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_URL_NOISE = str.maketrans("", "", "\t\n\r")


def check_links(site: Path, *, own_urls: Iterable[str] = ()) -> list[Problem]:
    """Every broken or non-portable link of the HTML pages under `site`, sorted.

    `own_urls` are the addresses the site is published at (`https://example.org/palmares/`):
    an absolute link to them breaks the copy opened from file://. Links to localhost always do.
    A file that is not a regular one (a named pipe, which would make the check wait forever;
    a symlink out of the site) is reported, never opened.
    """
    tree = built.walk(site)
    files = frozenset(tree.files)
    # Hub pages (an A–Z, an edition) first: most links to an anchor then find its page read.
    pages = sorted(
        (rel for rel, entry in tree.files.items() if rel.endswith(".html") and not entry.odd),
        key=lambda rel: (rel.count("/"), rel),
    )
    checker = _PageChecker(
        files, tree.folders, tuple(_own_prefix(url) for url in own_urls), set(pages)
    )
    for rel, entry in tree.files.items():
        if entry.odd:
            checker.problems.append(Problem(rel, 0, 0, _odd(entry)))
    for page in pages:
        text = Path(tree.files[page].path).read_bytes().decode("utf-8", errors="replace")
        checker.check_page(page, text)
    return checker.finish()


def verdict(problems: Sequence[Problem]) -> str:
    """What `links` ends with: how many links to fix, and how many files that are no regular
    file of the site (reported for the whole file, at line 0: a link is always at its line)."""
    files = sum(1 for problem in problems if not problem.line)
    counts = ((len(problems) - files, "lien", "liens"), (files, "fichier", "fichiers"))
    shown = [f"{n} {one if n < 2 else many}" for n, one, many in counts if n]
    return f"{' et '.join(shown)} à corriger"


def _odd(entry: built.Entry) -> str:
    if entry.symlink:
        return f"{entry.odd} : il n'a pas été suivi ; remplacez-le par le fichier lui-même"
    return (
        f"{entry.odd}, pas un fichier ordinaire : il n'a pas été ouvert ; retirez-le du site "
        "(une construction n'en écrit pas)"
    )


def _own_prefix(url: str) -> tuple[str, str]:
    parts = urlsplit(url.strip())
    return parts.netloc.lower(), parts.path.rstrip("/")


def _has_anchor(ids: frozenset[str], fragment: str) -> bool:
    # An empty fragment and `#top` scroll to the top of any page (HTML, "scroll to the fragment").
    if not fragment or fragment.lower() == "top":
        return True
    return fragment in ids or unquote(fragment) in ids


def _srcset_urls(value: str) -> list[str]:
    """The URLs of a `srcset`, following the HTML parsing rules (URLs may contain commas)."""
    urls: list[str] = []
    i, n = 0, len(value)
    while i < n:
        while i < n and (value[i].isspace() or value[i] == ","):
            i += 1
        start = i
        while i < n and not value[i].isspace():
            i += 1
        url = value[start:i]
        if not url:
            break
        if url.endswith(","):
            urls.append(url.rstrip(","))
            continue
        urls.append(url)
        depth = 0
        while i < n:
            if value[i] == "(":
                depth += 1
            elif value[i] == ")":
                depth = max(0, depth - 1)
            elif value[i] == "," and depth == 0:
                break
            i += 1
    return urls


def _attribute_offsets(tag_text: str) -> list[int]:
    """Where each attribute of a start tag begins in the tag's text, in order."""
    found: list[int] = []
    n = len(tag_text)
    i = 1
    while i < n and not (tag_text[i].isspace() or tag_text[i] in "/>"):
        i += 1
    while i < n:
        while i < n and (tag_text[i].isspace() or tag_text[i] == "/"):
            i += 1
        if i >= n or tag_text[i] == ">":
            break
        found.append(i)
        while i < n and not (tag_text[i].isspace() or tag_text[i] in "=>"):
            i += 1
        while i < n and tag_text[i].isspace():
            i += 1
        if i < n and tag_text[i] == "=":
            i += 1
            while i < n and tag_text[i].isspace():
                i += 1
            if i < n and tag_text[i] in "\"'":
                end = tag_text.find(tag_text[i], i + 1)
                i = n if end < 0 else end + 1
            else:
                while i < n and not (tag_text[i].isspace() or tag_text[i] == ">"):
                    i += 1
    return found


class _PageChecker(HTMLParser):
    """Reads the pages one after the other: checks their links, keeps their ids."""

    def __init__(
        self,
        files: frozenset[str],
        folders: frozenset[str],
        own: tuple[tuple[str, str], ...],
        pages: set[str],
    ) -> None:
        super().__init__(convert_charrefs=True)
        self.files = files
        self.folders = folders
        self.own = own
        self.pages = pages
        self.problems: list[Problem] = []
        self.ids_of: dict[str, frozenset[str]] = {}
        # Links to an anchor of a page not read yet, by (target page, fragment).
        self.pending: dict[tuple[str, str], list[_Link]] = {}
        # A page repeats links (menu, footer, pagination): resolve a path once per folder.
        self.resolved: dict[tuple[str, str], tuple[str, str]] = {}
        self.page = ""
        self.folder = ""
        self.ids: set[str] = set()
        self.same_page: list[tuple[_Link, str]] = []
        self._tag = ""
        self._attr_index = 0

    def check_page(self, page: str, text: str) -> None:
        self.reset()
        self.page = page
        self.folder = posixpath.dirname(page)
        self.ids = set()
        self.same_page = []
        self.feed(text)
        self.close()
        ids = frozenset(self.ids)
        self.ids_of[page] = ids
        for link, fragment in self.same_page:
            if not _has_anchor(ids, fragment):
                self.problems.append(link.anchor_problem(page, fragment))

    def finish(self) -> list[Problem]:
        for (target, fragment), links in self.pending.items():
            ids = self.ids_of.get(target)
            if ids is not None and not _has_anchor(ids, fragment):
                self.problems.extend(link.anchor_problem(target, fragment) for link in links)
        return sort_problems(self.problems)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for index, (name, value) in enumerate(attrs):
            if value is None:
                continue
            if name in _URL_ATTRS:
                self._tag = tag
                self._attr_index = index
                if name == "srcset":
                    for url in _srcset_urls(value):
                        self._check(name, url, attrs)
                elif name != "data" or tag == "object":
                    self._check(name, value, attrs)
            elif name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)

    def _check(self, attr: str, raw: str, attrs: list[tuple[str, str | None]]) -> None:
        url = raw.strip().translate(_URL_NOISE)
        if url.startswith("//"):
            self._report(
                attr,
                url,
                "lien sans protocole, depuis file:// il mène à un fichier local ; "
                "écrire https://… ou un lien relatif",
            )
        elif url.startswith("/"):
            self._report(
                attr,
                url,
                "lien depuis la racine du serveur ; le site doit s'ouvrir depuis file:// "
                "et sous un sous-chemin, écrire un lien relatif",
            )
        elif scheme := _SCHEME.match(url):
            self._check_absolute(attr, url, scheme.group(1).lower(), attrs)
        else:
            path, _, fragment = url.partition("#")
            path = path.partition("?")[0]
            if path:
                self._check_relative(attr, url, unquote(path), fragment)
            elif fragment:
                self.same_page.append((self._link(attr, url), fragment))

    def _check_absolute(
        self, attr: str, url: str, scheme: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        if scheme in ("http", "https"):
            try:
                parts = urlsplit(url)
            except ValueError:  # `http://[::1/x`: no browser can follow it either
                self._report(attr, url, "adresse illisible : son hôte est mal écrit")
                return
            host = parts.netloc.lower().rpartition("@")[2]
            hostname = host if host.endswith("]") else host.rsplit(":", 1)[0]
            own = hostname in _LOOPBACK_HOSTS or any(
                host == netloc and (parts.path + "/").startswith(path + "/")
                for netloc, path in self.own
            )
            if not own:
                return
            rels = next((v or "" for n, v in attrs if n == "rel"), "").lower().split()
            if "canonical" not in rels:
                self._report(
                    attr, url, "URL absolue vers le site lui-même ; écrire un lien relatif"
                )
        elif scheme == "file":
            self._report(
                attr, url, "lien file:, il ne mène nulle part ailleurs que sur cette machine"
            )
        elif scheme == "data":
            if not (url[5:].lower().startswith("image/") and self._tag in _IMAGE_TAGS):
                self._report(attr, url, "une URL data: n'est permise que pour une image")
        elif scheme not in _EXTERNAL_SCHEMES:
            self._report(
                attr, url, f"schéma « {scheme}: » non permis (seuls http, https, mailto et tel)"
            )

    def _check_relative(self, attr: str, url: str, path: str, fragment: str) -> None:
        key = (self.folder, path)
        resolved = self.resolved.get(key)
        if resolved is None:
            resolved = self.resolved[key] = self._resolve(path)
        kind, target = resolved
        if kind == "escape":
            self._report(attr, url, "le lien sort du dossier du site")
        elif kind == "folder":
            self._report(
                attr,
                url,
                "lien vers un dossier, qui depuis file:// affiche la liste de ses fichiers ; "
                f"viser « {_index_of(path)} »",
            )
        elif kind == "missing":
            self._report(attr, url, f"cible introuvable : « {target} » n'existe pas dans le site")
        elif fragment and target in self.pages:
            if target == self.page:
                self.same_page.append((self._link(attr, url), fragment))
            elif (ids := self.ids_of.get(target)) is None:
                self.pending.setdefault((target, fragment), []).append(self._link(attr, url))
            elif not _has_anchor(ids, fragment):
                self.problems.append(self._link(attr, url).anchor_problem(target, fragment))

    def _resolve(self, path: str) -> tuple[str, str]:
        target = posixpath.normpath(posixpath.join(self.folder, path))
        if target == ".." or target.startswith("../"):
            return "escape", target
        if target in self.folders:
            return "folder", target
        if path.endswith("/") or target not in self.files:
            return "missing", target
        return "file", target

    def _link(self, attr: str, url: str) -> _Link:
        line, offset = self.getpos()
        return _Link(
            self.page, line, offset, self.get_starttag_text() or "", self._attr_index, attr, url
        )

    def _report(self, attr: str, url: str, message: str) -> None:
        self.problems.append(self._link(attr, url).problem(message))


@dataclass(frozen=True, slots=True)
class _Link:
    """Where a link is, kept cheaply: the exact column is only worked out for a problem."""

    page: str
    line: int
    offset: int
    tag_text: str
    attr_index: int
    attr: str
    url: str

    def problem(self, message: str) -> Problem:
        line, col = self.position()
        return Problem(self.page, line, col, f"{self.attr}=« {self.url} » : {message}")

    def anchor_problem(self, target: str, fragment: str) -> Problem:
        return self.problem(
            f"ancre « #{fragment} » introuvable, aucun id « {unquote(fragment)} » dans « {target} »"
        )

    def position(self) -> tuple[int, int]:
        """Line and column (from 1) of the attribute, not of its tag."""
        offsets = _attribute_offsets(self.tag_text)
        if self.attr_index >= len(offsets):
            return self.line, self.offset + 1
        at = offsets[self.attr_index]
        newlines = self.tag_text.count("\n", 0, at)
        if not newlines:
            return self.line, self.offset + at + 1
        return self.line + newlines, at - self.tag_text.rfind("\n", 0, at)


def _index_of(path: str) -> str:
    return path.rstrip("/") + "/index.html" if path.rstrip("/") else "index.html"
