"""What people write for a value, read as what they mean: a number of @ as the label shows
it (`@@@@`), a population as French writes it (`14.000`, `14 000 habitants`), an edition's
number as an ordinal (`24e`), years as a range (`2017-2020`), a kind of collectivité by its
name (`communauté de communes`), coordinates as a map gives them, a web address with its
start mistyped (`http//…`), a value on its line without the comment after it. For the
messages that say the value meant (content/schema.py, content/config.py, content/load.py)
and for the import of the jury's table, which reads its cells so.

Codes and départements as people write them are territory's (`code_written`,
`departement_written`): facts of the territory, which the import reads too.
"""

from __future__ import annotations

import re
from typing import Any

from palmares.text import words

PAIR = re.compile(
    r"\s*[([]?\s*(-?[0-9]+(?:\.[0-9]+)?)\s*[,;\s]\s*(-?[0-9]+(?:\.[0-9]+)?)\s*[)\]]?\s*"
)
"""Two decimal numbers as a map or a GPS gives them: `50.67, 3.10`, `(50.67; 3.10)`, or as
a YAML list `[50.67, 3.10]`."""
_ORDINAL = re.compile(r"([0-9]+)(?:e|è|ème|eme|ième|ieme|ᵉ|er|re)", re.IGNORECASE)
"""A French ordinal as written in a text: 18e, 18ème, 1er."""


_AROBASES = re.compile(r"(\d)\s*(?:@|arobases?)?|(?:@\s*)+", re.IGNORECASE)


def arobases_written(text: str) -> int | None:
    """The number of @ a text gives as people write it (`3`, `3 @`, `3 arobases`, `@@@`, the
    label as it is shown), None when it gives none: the jury's table and a mistyped
    `arobases` are read alike."""
    match = _AROBASES.fullmatch(text.strip())
    if match is None:
        return None
    return int(match.group(1)) if match.group(1) else text.count("@")


def integer_meant(instance: Any, key: str | int, raw: str | None = None) -> int | None:
    """The whole number a value not written as one means, when it says: `16 000` and
    `16.000` (French spaces and points between thousands: YAML reads the second as 16.0),
    `3.0`, `14 000 habitants` for `population`, `@@@` or `3 @` for `arobases`, `18e` for an
    edition's `numero`; None otherwise. `raw` is the value as written, when known."""
    digits = re.sub(r"[\s\u00a0\u202f]", "", raw if raw is not None else str(instance))
    if key == "population":
        digits = re.sub(r"(?:habitants?|hab\.?)$", "", digits, flags=re.IGNORECASE)
    if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+", digits):
        return int(digits.replace(".", ""))
    if digits.isdigit():
        return int(digits)
    ordinal = _ORDINAL.fullmatch(digits)
    if key == "numero" and ordinal:
        return int(ordinal.group(1))
    if isinstance(instance, float) and instance.is_integer():
        return int(instance)
    if key == "arobases":
        return arobases_written(str(instance))
    return None


_YEARS = re.compile(r"([0-9]{4})(?:\s*(?:-|–|—|\.\.|à|au)\s*([0-9]{4}))?")


def years_meant(text: str) -> list[int] | None:
    """The years a text lists as people write them: `2017, 2019`, `2017 et 2019`,
    `2017-2020`, `2017 à 2020`; None when a part of it is no year nor range of years."""
    if len(text) > 300:
        return None  # no list of years is that long; and splitting stays linear
    years: list[int] = []
    for part in re.split(r"\s*(?:[,;]|\bet\b)\s*", text.strip().strip("[]")):
        found = _YEARS.fullmatch(part)
        if found is None:
            return None
        first, last = int(found.group(1)), int(found.group(2) or found.group(1))
        if not 0 <= last - first <= 50:
            return None
        years += range(first, last + 1)
    return years


_GROUPINGS = re.compile(
    r"\b(communaute|metropole|epci|agglomeration|intercommunal|syndicat|pays|territoire)", re.I
)
_TOWNS = re.compile(r"\b(commune|ville|village|municipalite|mairie)\b", re.IGNORECASE)


def type_meant(written: str) -> str | None:
    """The `type` a collectivité's kind as people name it means: `communauté de communes`,
    `métropole`, `EPCI` → `intercommunalite`; `ville`, `commune nouvelle` → `commune`."""
    folded = words(written)
    if _GROUPINGS.search(folded):
        return "intercommunalite"
    return "commune" if _TOWNS.search(folded) else None


_BROKEN_SCHEME = re.compile(r"h?t+p(s?)(?:[:;]\s*[/\\]*|[/\\]+)", re.IGNORECASE)
"""The start of a web address mistyped: `http//`, `https:/`, `htps://`, `http:\\\\`,
`https:`."""


def address_meant(written: str) -> str | None:
    """The web address a text not written as one means: `amberieu.fr` →
    `https://amberieu.fr`, `http//www.amberieu.fr` → `http://www.amberieu.fr`; None when it
    says none (a space inside, no dot, or already an address)."""
    if re.match(r"https?://", written, re.IGNORECASE) or " " in written or "." not in written:
        return None
    broken = _BROKEN_SCHEME.match(written)
    if broken is None:
        host = written.split("/", 1)[0]
        if "://" in written or host.rsplit(".", 1)[-1].lower() in _FILE_ENDINGS:
            return None
        return f"https://{written}"
    rest = written[broken.end() :]
    if "." not in rest or rest.startswith("."):
        return None
    return f"{'https' if broken.group(1) else 'http'}://{rest}"


_FILE_ENDINGS = frozenset({
    "html", "htm", "md", "markdown", "php", "asp", "aspx", "jsp", "pdf", "doc", "docx", "odt",
    "txt", "png", "jpg", "jpeg", "gif", "svg",
})  # fmt: skip
"""What a file's name ends with, which no site's name does: `mentions.html` is a page's
file, not a host."""


def uncommented(value: str) -> str:
    """A value as written on its line of YAML or TOML, its comment (from a space and `#`)
    and its trailing spaces left out. A search, not a regular expression: linear in the
    line's length whatever it holds."""
    cut = min((i for i in (value.find(" #"), value.find("\t#")) if i >= 0), default=None)
    return value[:cut].rstrip()
