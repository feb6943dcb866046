"""A write-up's body as its page shows it: its HTML, its links to other files of the
source (which lead to their pages), and the problems of what it holds that the page would
not show or that would lead nowhere: an image of another site, a player or a script (left
out), a link out of the source, a photo or a document beside the write-up (which the site
does not publish), another site's or an e-mail address written without its start.

Part of stage 2 (validate.py): a pure function of one file, kept by the parse cache.
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse

from palmares.content.load import SourceFile
from palmares.content.markup import (
    ID_PREFIX,
    address_at,
    link_to_source,
    relative_images,
    relative_links,
    render,
)
from palmares.content.model import Link
from palmares.problems import Problem, Severity
from palmares.text import slugify


def writeup(file: SourceFile, problems: list[Problem]) -> tuple[str, tuple[Link, ...]]:
    """A write-up as HTML, and its links to other files of the source (see `_source_links`);
    each image it pulls from another site is an error at its line (left out of the page: it
    would not show offline, and tell that site who reads); what else the page leaves out
    (markup.dropped: a player, a script, a `javascript:` link) a warning."""
    html, external, dropped = render(file.body)
    for left_out in dropped:
        line, col, _ = _find(file.body, left_out.written)
        problems.append(
            Problem(file.path, file.body_line + line - 1, col, left_out.message, Severity.WARNING)
        )
    start = 0
    for src in external:
        line, col, start = address_at(file.body, src, start)
        problems.append(
            Problem(
                file.path,
                file.body_line + line - 1,
                col,
                f"l’image « {src} » vient d’un autre site : elle ne s’afficherait pas hors "
                "ligne, et ce site saurait qui lit la page ; retirez-la, ou faites-en un lien "
                f"(`[description de l’image]({src})`)",
            )
        )
    _repeated_title(file, problems)
    for line, col, message in preview_slips(file.body):
        problems.append(
            Problem(file.path, file.body_line + line - 1, col, message, Severity.WARNING)
        )
    return _source_links(file, html, problems)


_ATX = re.compile(r"#{1,6}[ \t]+(\S.*)")
_UNDERLINE = re.compile(r"(?:=+|-+)[ \t]*")


def _first_heading(body: str) -> str | None:
    """The heading on the first line of a text, as Markdown writes one: `# Titre` (and its
    closing `#`s), or `Titre` underlined with `===` or `---`. Lines read with string methods
    and anchored patterns, linear in their length (a lazy pattern took 62 s for one line of
    90 000 spaces and tabs)."""
    first, _, rest = body.partition("\n")
    atx = _ATX.match(first)
    if atx is not None:
        heading = atx.group(1).rstrip(" \t")
        closed = heading.rstrip("#")
        if closed != heading and (not closed or closed[-1] in " \t"):
            heading = closed.rstrip(" \t")  # `# Titre ##`
        return heading
    second = rest.partition("\n")[0]
    return first.strip() if first.strip() and _UNDERLINE.fullmatch(second) else None


def _repeated_title(file: SourceFile, problems: list[Problem]) -> None:
    """A warning when a write-up starts with a heading that says its `titre` again (pasted
    from a document with its title): the page shows the title above the text already, and
    would show it twice."""
    titre = file.data.get("titre")  # a valid file's fields: an edition's text has none
    heading = _first_heading(file.body)
    if not isinstance(titre, str) or not heading:
        return
    if slugify(heading) != slugify(titre):
        return
    problems.append(
        Problem(
            file.path,
            file.body_line,
            1,
            f"le texte commence par un titre, « {heading} », qui répète `titre` : la page "
            "l’affiche déjà au-dessus du texte ; retirez cette ligne",
            Severity.WARNING,
        )
    )


_ITEM = re.compile(r"( *)([-*+]|[0-9]{1,9}[.)])[ \t]+\S")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_INTERRUPTS = ("-", "*", "+", "1.", "1)")
"""The items that start a list right under a line of text in GitHub's preview (CommonMark:
a bullet, or an ordered list from 1)."""
_GLUED_LIST = (
    "une liste collée à la ligne du dessus : GitHub l’affiche en liste, le site en texte à la "
    "suite de cette ligne, « {marker} » compris ; ajoutez une ligne vide avant la liste"
)
_GLUED_TABLE = (
    "un tableau collé à la ligne du dessus : GitHub l’affiche en tableau, le site en texte, "
    "ses « | » compris ; ajoutez une ligne vide avant le tableau"
)
_DELIMITER_ROW = re.compile(r" {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?")
"""A table's delimiter row (`|---|--:|`), read with its trailing spaces stripped: each run of
spaces has one quantifier that can take it, so a long line is read in linear time."""
_SHALLOW_ITEM = (
    "élément décalé de {shift} sous le précédent : GitHub en fait une sous-liste, le site "
    "non (il lui faut 4 espaces) ; décalez-le de 4 espaces, ou d’une tabulation"
)


def preview_slips(body: str) -> list[tuple[int, int, str]]:
    """Where a write-up's lists and tables show otherwise on the page than in GitHub's
    preview, where editors read them: Python-Markdown starts a list or a table only after a
    blank line (GitHub also right under a line of text: a bullet, `1.`, a table's header)
    and nests an item only 4 spaces in (GitHub from 2). Each as (line, column, message),
    outside code blocks."""
    found: list[tuple[int, int, str]] = []
    fence = ""
    previous = ""  # the line above, "" when blank
    above = ""  # the line above that one
    indent: int | None = None  # of the last item of the list the lines are in
    for number, written in enumerate(body.split("\n"), 1):
        line = written.expandtabs(4)
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1).startswith(fence):
                fence = ""
            continue
        if opening:
            fence, indent, above, previous = opening.group(1), None, previous, line
            continue
        if not line.strip():
            above, previous = previous, ""
            continue
        if (
            above
            and "|" not in above
            and "|" in previous
            and _DELIMITER_ROW.fullmatch(line.rstrip())
            and not above.lstrip().startswith("#")
        ):
            found.append((number - 1, 1, _GLUED_TABLE))  # at the table's header row
        item = _ITEM.match(line)
        at = len(item.group(1)) if item else len(line) - len(line.lstrip())
        if item and indent is None and at <= 3:
            marker = item.group(2)
            if previous and not previous.lstrip().startswith("#") and marker in _INTERRUPTS:
                found.append((number, at + 1, _GLUED_LIST.format(marker=marker)))
            indent = at
        elif item and indent is not None and indent < at < indent + 4:
            shift = f"{at - indent} espace{'s' if at - indent > 1 else ''}"
            found.append((number, at + 1, _SHALLOW_ITEM.format(shift=shift)))
        elif item and indent is not None:
            indent = at
        elif not previous and at < 2:
            indent = None  # a paragraph after a blank line ends the list
        above, previous = previous, line
    return found


def _find(body: str, written: str) -> tuple[int, int, int]:
    """Where a write-up writes `written` (`<iframe` in any case, an address)."""
    if written.startswith("<"):
        found = re.search(re.escape(written), body, re.IGNORECASE)
        written = found.group() if found else written
    return address_at(body, written)


SOURCE_SUFFIXES = (".md", ".yaml", ".yml")
"""What a link to another file of the source names: a write-up, a collectivité's file."""


def _source_links(
    file: SourceFile, html: str, problems: list[Problem]
) -> tuple[str, tuple[Link, ...]]:
    """A write-up's links to other files of the source, written from this file's folder as
    on GitHub (`[Méthode](../pages/methode.md)`), or from the source's root (`[Marcq](/
    communes/59/marcq.yaml)`): each is kept as a `Link` for the page to lead to that file's
    page (site/sourcelinks.py), once `_check_links` has found that it has one. A link out
    of the source is an error at its line, and so is a link or an image that would lead
    nowhere on the page (`_leads_nowhere`). Other relative addresses are the site's own
    (`../../../palmares/2017/index.html`): kept as written, `links` checks them."""
    links: list[Link] = []
    folder = posixpath.dirname(file.path)
    found = _Positions(file)
    for address in relative_links(html):
        wrong = _leads_nowhere(folder, address.written, image=False)
        if wrong is not None:
            problems.append(found.problem(address.written, wrong))
            continue
        path, fragment = _file_of(address.written)
        if not path.lower().endswith(SOURCE_SUFFIXES):
            continue  # the site's own address
        line, col = found.at(address.written)
        target = _in_source(folder, path)
        if target == ".." or target.startswith("../"):
            example = posixpath.relpath("content/pages/methode.md", folder)
            problems.append(
                Problem(
                    file.path,
                    line,
                    col,
                    f"le lien « {address.written} » sort du dossier source : un lien vers une "
                    "page du site nomme un fichier de content/ ou de communes/, depuis ce "
                    f"fichier (`[Méthode]({example})`)",
                )
            )
            continue
        if fragment and not target.startswith("communes/"):
            fragment = ID_PREFIX + fragment  # the write-up's ids are prefixed on its page
        html = link_to_source(html, address.raw, target, fragment)
        links.append(Link(line, col, address.written, target))
    found = _Positions(file)
    for address in relative_images(html):
        wrong = _leads_nowhere(folder, address.written, image=True)
        if wrong is not None:
            problems.append(found.problem(address.written, wrong))
    return html, tuple(links)


def _leads_nowhere(folder: str, written: str, *, image: bool) -> str | None:
    """Why a relative address of a link or an image of a write-up of `folder` would lead
    nowhere on its page, and what to write instead: another site's or an e-mail address
    written without its start (`_elsewhere`), a file of the source that the site does not
    publish (`_unpublished`). None for a link to a write-up's or a collectivité's file (it
    leads to its page) and for the site's own addresses."""
    what = f"l’image « {written} »" if image else f"le lien « {written} »"
    meant = _elsewhere(written)
    if meant is not None and image:
        return (
            f"{what} est l’adresse d’un autre site sans `https://` : une page ne montre pas "
            "les images d’autres sites (elles ne s’afficheraient pas hors ligne) ; faites-en "
            f"un lien, `[description de l’image]({meant[1]})`"
        )
    if meant is not None:
        return (
            f"{what} est {meant[0]} : la page le prendrait pour un fichier posé à côté de ce "
            f"texte ; écrivez `({meant[1]})`"
        )
    path = _file_of(written)[0]
    if not image and path.lower().endswith(SOURCE_SUFFIXES):
        return None
    unpublished = _unpublished(folder, path)
    if unpublished is None:
        return None
    if image:
        return (
            f"{what} est {unpublished}, un fichier que le site ne publie pas : une page ne "
            "montre que le texte de son fichier ; retirez l’image, ou faites-en un lien vers "
            "la page d’un site qui la montre "
            "(`[description de l’image](https://www.exemple.fr/page-de-la-photo)`)"
        )
    return (
        f"{what} mène à {unpublished}, un fichier que le site ne publie pas : seuls les "
        "textes de content/ et les collectivités de communes/ y ont une page ; liez plutôt le "
        "document là où il est en ligne (`[Le document](https://www.exemple.fr/document.pdf)`)"
    )


class _Positions:
    """Where a write-up writes each of its addresses, in order (the same address twice is
    found twice), as lines of its file."""

    def __init__(self, file: SourceFile) -> None:
        self.file = file
        self.start = 0

    def at(self, written: str) -> tuple[int, int]:
        line, col, self.start = address_at(self.file.body, written, self.start)
        return line + self.file.body_line - 1, col

    def problem(self, written: str, message: str) -> Problem:
        return Problem(self.file.path, *self.at(written), message)


def _file_of(written: str) -> tuple[str, str]:
    """A relative address as the path of a file (its query left out, its %-escapes decoded,
    `\\` read as `/`), and its fragment."""
    path, _, fragment = written.partition("#")
    path = urllib.parse.unquote(path.partition("?")[0].strip(" \t\n"))
    return path.replace("\\", "/"), fragment


def _in_source(folder: str, path: str) -> str:
    """Where the address `path` of a file of `folder` leads in the source: from that folder,
    or from the source's root when it starts with `/`; `..` first when it leads out."""
    return posixpath.normpath(
        path.lstrip("/") if path.startswith("/") else posixpath.join(folder, path)
    )


_HOST = re.compile(
    r"(www\.[^/]+|[a-z0-9-]+(\.[a-z0-9-]+)*\.(fr|com|org|net|eu|info|bzh|re|gp|mq|gf|yt|pm"
    r"|nc|pf|be|ch|lu|ca|de|es|it|uk|io|coop))(/.*)?",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[^/@\s]+@[^/@\s]+\.[a-z]{2,}", re.IGNORECASE)


def _elsewhere(written: str) -> tuple[str, str] | None:
    """What a relative address that reads as another site's or as an e-mail address is,
    and the address it was meant to be: `www.exemple.fr/page` → « l'adresse d'un site sans
    `https://` », `https://www.exemple.fr/page`; `contact@exemple.fr` → `mailto:…`. A
    web address's host ends with a domain (.fr, .org…) no file of a write-up's folder
    ends with. None for any other address."""
    if _EMAIL.fullmatch(written):
        return "une adresse électronique sans `mailto:`", f"mailto:{written}"
    if _HOST.fullmatch(written):
        return "l’adresse d’un site sans `https://`", f"https://{written}"
    return None


_NOT_A_FILE = ("", ".html", ".htm")
"""What a relative address ends with when it may be a page of the site (its folder, its
`index.html`), not a file of the source."""


def _unpublished(folder: str, path: str) -> str | None:
    """The file of content/ or communes/ that the address `path` of a write-up of `folder`
    names, when it names one the site does not publish: a photo or a document beside the
    write-up (`photo.jpg`, `../dossier.pdf`), which GitHub shows in its preview of the file
    and a build would leave as a broken image or link. Other addresses lead where the site's
    own pages and files are (`../../../static/logo.png`, the site's root from an action's
    page as from its file): None."""
    if posixpath.splitext(path)[1].lower() in _NOT_A_FILE:
        return None
    target = _in_source(folder, path)
    return target if target.startswith(("content/", "communes/")) else None
