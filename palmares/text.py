"""French text conventions: slugs, alphabetical order, numbers and dates as readers expect."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import unicodedata

from slugify import slugify as _slugify

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"

_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

# What NFKD does not decompose: ligatures and letters without a combining form.
_FOLD_TABLE = str.maketrans(
    {
        "œ": "oe",
        "Œ": "oe",
        "æ": "ae",
        "Æ": "ae",
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "ł": "l",
        "Ł": "l",
        "’": "'",
        "‘": "'",
    }
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d)")


def _slow_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_TABLE))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


# Latin letters fold through one translation table, built once from the slow path: the
# same result, without decomposing every character of every name (a build sorts and folds
# tens of thousands of them).
_LATIN_LIMIT = 0x250
_LATIN_TABLE = str.maketrans({chr(c): _slow_fold(chr(c)) for c in range(_LATIN_LIMIT)})
_LATIN_TABLE.update(_FOLD_TABLE)


def fold(text: str) -> str:
    """Lower case, no accents, no ligatures: `Marcq-en-Barœul` → `marcq-en-baroeul`."""
    if text.isascii():
        return text.lower()
    if max(text) < "\u0250" or all(ord(c) < _LATIN_LIMIT or c in "’‘" for c in text):
        return text.translate(_LATIN_TABLE)
    return _slow_fold(text)


def words(text: str) -> str:
    """Folded text with apostrophes, hyphens and punctuation as single spaces."""
    return _NON_ALNUM.sub(" ", fold(text)).strip()


def slugify(text: str, max_length: int = 80) -> str:
    """A readable ASCII slug: `Marcq-en-Barœul` → `marcq-en-baroeul`; never empty.

    French names fold to ASCII with `fold` (accents, œ, æ, ÿ, ß): that path gives the same
    slug as python-slugify, forty times faster, which counts at 100 000 pages. Anything
    else (another script, symbols) goes through python-slugify's transliteration. Unlike
    python-slugify, the typographic apostrophe counts as the plain one: « Villeneuve-d’Ascq »
    and « Villeneuve-d'Ascq » get the same address."""
    if fold(text).isascii():
        slug = words(_DIGIT_COMMA.sub("", text)).replace(" ", "-")  # 1,000 → 1000, like slugify
        if len(slug) > max_length:
            cut = slug[: max_length + 1].rfind("-")
            slug = slug[:cut] if cut > 0 else slug[:max_length]
        return slug or "sans-titre"
    text = text.replace("’", "'").replace("‘", "'")  # both apostrophes alike, as `fold` does
    slug = _slugify(text, max_length=max_length, word_boundary=True, save_order=True)
    return slug or "sans-titre"


# Windows keeps these names for devices, whatever the case and any extension: a file or
# folder so named cannot be made there, and the offline zip would not extract.
_RESERVED = re.compile(r"(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\..*)?", re.IGNORECASE)


def reserved(name: str) -> bool:
    """Whether Windows refuses `name` for a file or a folder (`con`, `NUL.txt`, `com1`…)."""
    return _RESERVED.fullmatch(name.rstrip(" .")) is not None


def segment(text: str) -> str:
    """A slug that is a whole file or folder name of the site: `-1` added when Windows
    reserves it (`Con` → `con-1`). Slugs with more after them (`con-59`) need none."""
    slug = slugify(text)
    return f"{slug}-1" if reserved(slug) else slug


def sort_key(text: str) -> tuple[str, str]:
    """French alphabetical order: accents and case ignored first (Écully files under E),
    then the exact text breaks ties so the order is total and stable."""
    return (words(text), text)


def initial(text: str) -> str:
    """The letter an A–Z index files a name under."""
    folded = words(text)
    first = folded[:1].upper()
    return first if first.isalpha() else "#"


_APOSTROPHE = "['’]"
_FILED_AFTER = re.compile(
    # The kind of an intercommunalité, spelt out or abbreviated as the official list does,
    # then the article or preposition that links it to the name.
    r"(?P<kind>communaut[ée] d['’] ?agglom[ée]ration|communaut[ée] de communes"
    r"|communaut[ée] urbaine|m[ée]tropole europ[ée]enne|eurom[ée]tropole|m[ée]tropole"
    r"|(?-i:CA|CC|CU|EPT))"
    rf"(?P<link>\s+(?:(?:de l|d|l){_APOSTROPHE}\s*|(?:de la|du|des|de|la|le|les)\s+)?)"
    r"(?P<name>\w.*)",
    re.IGNORECASE,
)


def filing_name(nom: str) -> str:
    """The name an A–Z index files an intercommunalité under, its distinctive words first
    and the rest of the name after them: `Communauté d'agglomération de la Riviera du
    Levant` → `Riviera du Levant (Communauté d'agglomération de la)`, filed under R with
    the library's inversion rather than all of them under C. Other names are unchanged."""
    found = _FILED_AFTER.fullmatch(nom.strip())
    if found is None:
        return nom
    name = found["name"]
    link = " ".join(found["link"].split())
    return f"{name[0].upper()}{name[1:]} ({found['kind']}{' ' + link if link else ''})"


def format_int(value: int) -> str:
    """`39000` → `39 000` with a narrow no-break space, as French typography wants."""
    return f"{value:,}".replace(",", NARROW_NBSP)


def format_date(value: dt.date) -> str:
    """`2017-02-01` → `1er février 2017`."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {_MONTHS[value.month - 1]} {value.year}"


_FOLDED_MONTHS = tuple(fold(m) for m in _MONTHS)
_WRITTEN_DATE = re.compile(
    r"(?:[a-z]+\s+)?(\d{1,2})(?:er)?\s*(?:[/.-]\s*(\d{1,2})\s*[/.-]|\s([a-z]+)\s)\s*(\d{4})"
)


def written_date(value: object) -> dt.date | None:
    """The date a French reader reads in a text (`12/06/2017`, `12.06.2017`, `1er février
    2017`, `mercredi 1er février 2017`: day first), or None (for any other value too): what
    to suggest to an editor whose date is not written year-month-day."""
    found = _WRITTEN_DATE.fullmatch(fold(value.strip())) if isinstance(value, str) else None
    if found is None:
        return None
    day, number, name, year = found.groups()
    months = _FOLDED_MONTHS
    month = int(number) if number else months.index(name) + 1 if name in months else 0
    try:
        return dt.date(int(year), month, int(day))
    except ValueError:
        return None


_VOWELS = "aeiouyàâäéèêëîïôöùûüœæ"


def de(word: str, *, mute_h: bool = False) -> str:
    """`de` before `word` as French writes it: `d'Aix-les-Bains`, `du Havre` (le),
    `des Mureaux` (les), `de La Rochelle`, `de Marcq-en-Barœul`; `mute_h`: an h that elides
    too (`d'heures`; town names keep theirs: `de Haguenau`)."""
    for article, contracted in (("le ", "du "), ("les ", "des ")):
        if word[: len(article)].lower() == article:
            return contracted + word[len(article) :]
    first = word[:1].lower()
    if first and (first in _VOWELS or (mute_h and first == "h")):
        return f"d'{word}"
    return f"de {word}"


def plain_spaces(value: str) -> str:
    """`value` with plain spaces for its no-break ones: what a terminal shows, easier to read
    in a log and to search (the pages keep French typography's)."""
    return value.replace(NBSP, " ").replace(NARROW_NBSP, " ")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """`1 collectivité`, `2 collectivités` (French: 0 and 1 take the singular)."""
    word = singular if count < 2 else (plural_form or singular + "s")
    return f"{format_int(count)}{NBSP}{word}"


def name_slug(nom: str, departement: str) -> str:
    """`Marcq-en-Barœul`, `59` → `marcq-en-baroeul-59`: the address a name gives in a
    département (also the one an earlier name gave, which redirects.py keeps alive)."""
    return f"{slugify(nom, max_length=70)}-{departement.lower()}"


def homonym_slug(nom: str, departement: str, code: str) -> str:
    """The address of a collectivité that shares its name with an elder in its département
    (content/model.py says which is the elder): its code added."""
    return f"{name_slug(nom, departement)}-{code}"


_SYSTEM_REASONS = {
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.ENOSPC: "plus de place sur le disque",
    errno.EDQUOT: "plus de place sur le disque (quota atteint)",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.EIO: "erreur d'entrée-sortie du disque",
    errno.EEXIST: "existe déjà",
    errno.ENOTDIR: "n'est pas un dossier",
    errno.EISDIR: "est un dossier",
    errno.ENAMETOOLONG: "nom trop long",
}


def system_reason(err: OSError) -> str:
    """What the system refused, in French (its own words when the refusal is a rare one)."""
    return _SYSTEM_REASONS.get(err.errno or 0, err.strerror or str(err))


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path as a message shows it, on one line and as text: a byte that is not UTF-8 (a
    name written in Latin-1, from an old Windows machine's USB key or zip) as `\\xe9`, a line
    break or another invisible character as `\\n`, `\\x1b`. The path itself is left as the
    bytes it is: only what is printed, or written into a UTF-8 file, is escaped."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    if text.isprintable():
        return text
    return "".join(c.encode("unicode_escape").decode() if _invisible(c) else c for c in text)


def _invisible(char: str) -> bool:
    """A control or format character (a line break, an escape, a right-to-left override), or
    a line or paragraph separator: what a message may not print as it is."""
    return unicodedata.category(char) in ("Cc", "Cf", "Co", "Cn", "Zl", "Zp")
