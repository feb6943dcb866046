"""The search index, written as classic scripts so it loads from `file://` too (no fetch,
no module, no worker, no WebAssembly).

The index is data, not a prebuilt engine state: compact columns of plain values that
`layouts/static/search.js` hands to MiniSearch (vendored in `layouts/static/vendor/`), which
builds its inverted index in the page. That is smaller to download than a serialized index
(see docs/search.md for the figures) and keeps the one folding and stemming function in one
place, the page's script, for the documents and the queries alike.

Two parts, so the first results never wait for the biggest one:

- `search-index.js` (the main part, loaded by the search page): collectivités, territories,
  domains and editions, with the tables the facets need;
- `search-actions-1.js`, `-2`…, ACTIONS_PER_PART actions each, injected one after the other
  as `<script>` elements by the page once the first results are shown;
- `search-text-1.js`, `-2`…, the actions' write-ups as plain text (TEXT_CHARS at most
  each), TEXT_ACTIONS_PER_PART a part, injected after the actions: the biggest parts,
  never waited for.

Each part assigns one property of `window.PalmaresIndex`. Values that repeat (a
département, a year, a domain) are small integers into the main part's tables, and each
kind's URLs are stored without the prefix and suffix they all share.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator, Sequence
from html import unescape
from typing import Any

from palmares.content.model import Action, Commune, Site
from palmares.site import urls

LIBRARY = urls.static("vendor/minisearch-7.2.0/minisearch.js")
"""MiniSearch's UMD build, vendored unchanged with its licence (see its README.txt)."""
INDEX_FILE = urls.static("search-index.js")
ACTIONS_PER_PART = 2_000
"""Actions per part file: the page evaluates and indexes one part at a time, a few
milliseconds each, so a keystroke never waits long behind a national-size part."""
TEXT_ACTIONS_PER_PART = 500
"""Write-ups per full-text part. A write-up's change makes its part again, the plain text of
each of its write-ups: 2 000 long ones took 0,2 s, most of such a build (docs/benchmarks.md).
The page indexes the text parts in order after every actions part, the n-th text being the
n-th action's, whatever the parts' sizes."""


TEXT_CHARS = 1_000
"""Characters of each write-up the full-text parts keep, cut at a space: the opening
paragraphs, where a write-up names its place, its partners and what it does. Whole
write-ups of the "writeups" corpus (1–3 KB) would triple the parts for words that mostly
repeat the opening (docs/search.md)."""


def actions_file(number: int) -> str:
    """The path of the `number`th actions part, from 1."""
    return urls.static(f"search-actions-{number}.js")


def text_file(number: int) -> str:
    """The path of the `number`th full-text part, from 1."""
    return urls.static(f"search-text-{number}.js")


POPULATION_BANDS = (3_000, 20_000, 100_000)
"""Lower bounds of the population bands after the first: under 3 000, 3 000–20 000,
20 000–100 000, 100 000 and over. A collectivité of exactly 3 000 is in the second band."""

# What a part's JSON text must not contain for the script element to end only where it
# should: `</script>` and `<!--` need `<`; `&` and `>` follow for HTML parsers that
# look inside scripts; U+2028/U+2029 end a line in older JavaScript engines.
_SCRIPT_SAFE = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def population_band(population: int | None) -> int:
    """0..3 for the bands of POPULATION_BANDS, -1 when the population is not known."""
    return -1 if population is None else bisect.bisect_right(POPULATION_BANDS, population)


def split_common(paths: Sequence[str]) -> tuple[str, str, list[str]]:
    """(prefix, suffix, middles) with `prefix + middle + suffix` giving back each path: the
    leading and trailing path segments every path shares, and what is left of each."""
    if not paths:
        return "", "", []
    split = [p.split("/") for p in paths]
    first, shortest = split[0], min(len(s) for s in split)
    head = 0
    while head < shortest - 1 and all(s[head] == first[head] for s in split):
        head += 1
    tail = 0
    while head + tail < shortest - 1 and all(s[-1 - tail] == first[-1 - tail] for s in split):
        tail += 1
    prefix = "".join(part + "/" for part in first[:head])
    suffix = "".join("/" + part for part in first[len(first) - tail :])
    return prefix, suffix, ["/".join(s[head : len(s) - tail]) for s in split]


def url_columns(paths: Sequence[str]) -> dict[str, Any]:
    """Addresses as split_common's prefix, suffix and middles, as the index writes them."""
    prefix, suffix, middles = split_common(paths)
    return {"prefix": prefix, "suffix": suffix, "middles": middles}


def label_codes(c: Commune, year_index: dict[int, int]) -> list[int]:
    """Each label as one integer, year index × 6 + number of @ (0 for a simple mention)."""
    return [year_index[label.annee] * 6 + label.arobases for label in c.labels]


def main_part(site: Site) -> dict[str, Any]:
    """Collectivités, territories, domains and editions: everything a first result needs."""
    years = [e.annee for e in site.editions]
    year_index = {year: i for i, year in enumerate(years)}
    departements = [dept for dept, _ in site.departements]
    dept_index = {dept.code: i for i, dept in enumerate(departements)}
    regions = [region for region, _ in site.regions]
    region_index = {region.code: i for i, region in enumerate(regions)}
    communes = site.communes
    return {
        "parts": [
            [name, urls.link(INDEX_FILE, path(n))]
            for name, path, size in (
                ("actions", actions_file, ACTIONS_PER_PART),
                ("text", text_file, TEXT_ACTIONS_PER_PART),
            )
            for n in range(1, _part_count(len(site.actions), size) + 1)
        ],
        "years": years,
        "editions": {
            "count": [len(e.laureates) for e in site.editions],
            "url": url_columns([urls.edition(year) for year in years]),
        },
        "regions": {
            "code": [r.code for r in regions],
            "name": [r.nom for r in regions],
            "count": [len(members) for _, members in site.regions],
            "url": url_columns([urls.region(r) for r in regions]),
        },
        "departements": {
            "code": [d.code for d in departements],
            "name": [d.nom for d in departements],
            "region": [region_index[d.region.code] for d in departements],
            "count": [len(members) for _, members in site.departements],
            "url": url_columns([urls.departement(d) for d in departements]),
        },
        "domaines": {
            "slug": [d.slug for d in site.domaines],
            "name": [d.titre for d in site.domaines],
            "count": [len(site.actions_by_domaine.get(d.slug, ())) for d in site.domaines],
            "url": url_columns([urls.domaine(d) for d in site.domaines]),
        },
        "communes": {
            "name": [c.nom for c in communes],
            "url": url_columns([urls.commune(c) for c in communes]),
            "departement": [dept_index[c.departement] for c in communes],
            "intercommunalite": [i for i, c in enumerate(communes) if c.type != "commune"],
            "population": "".join(
                "-" if band < 0 else str(band)
                for band in (population_band(c.population) for c in communes)
            ),
            "labels": [label_codes(c, year_index) for c in communes],
            "formerly": [
                [i, list(c.anciens_noms)] for i, c in enumerate(communes) if c.anciens_noms
            ],
        },
    }


def actions_part(site: Site) -> dict[str, Any]:
    """Every action: title, URL, its collectivité and edition, its domains."""
    commune_index = {c.code: i for i, c in enumerate(site.communes)}
    year_index = {e.annee: i for i, e in enumerate(site.editions)}
    domaine_index = {d.slug: i for i, d in enumerate(site.domaines)}
    actions = site.actions
    return {
        "name": [a.titre for a in actions],
        "url": url_columns([urls.action(a) for a in actions]),
        "commune": [commune_index[a.commune] for a in actions],
        "year": [year_index[a.annee] for a in actions],
        "domaines": [[domaine_index[s] for s in a.domaines] for a in actions],
    }


def _part_count(actions: int, size: int) -> int:
    return -(-actions // size)


def actions_parts(site: Site) -> list[dict[str, Any]]:
    """actions_part() cut into parts of ACTIONS_PER_PART, each with the URLs' shared prefix
    and suffix of the whole."""
    whole = actions_part(site)
    parts = []
    for start in range(0, len(site.actions), ACTIONS_PER_PART):
        cut = slice(start, start + ACTIONS_PER_PART)
        part = {key: value[cut] for key, value in whole.items() if key != "url"}
        parts.append({**part, "url": {**whole["url"], "middles": whole["url"]["middles"][cut]}})
    return parts


_INLINE = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins"}
    | {"kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u"}
    | {"var"}
)


# A tag as nh3 writes it (content/markup.py sanitizes every write-up): attribute values
# double-quoted, `<` and `>` escaped in text and in values, no comment. Matching that much
# is not parsing any HTML, only what our sanitizer gives (tests/test_search.py compares it
# with html.parser over the sanitizer's output). Six times faster than html.parser (2,3 →
# 0,4 s for 6 000 write-ups): a write-up's change makes its part of 2 000 again.
_ATTRIBUTES = r"""(?:\s+[^\s"'>/=]+(?:="[^"]*")?)*\s*/?>"""
_INLINE_TAG = re.compile(
    rf"</?(?:{'|'.join(sorted(_INLINE, key=len, reverse=True))})(?![a-zA-Z0-9]){_ATTRIBUTES}"
)
_TAG = re.compile(rf"</?[a-zA-Z][a-zA-Z0-9]*{_ATTRIBUTES}")
_SPACES = re.compile(r"\s+")


def plain_text(html: str, limit: int = TEXT_CHARS) -> str:
    """The words of a write-up's sanitized `html` without its tags, spaces collapsed, cut at
    the last space before `limit` characters (at `limit` when one word is longer). A block's
    text stays a word apart from the next block's; an inline element's is glued to its
    neighbours (`1<sup>er</sup>` is `1er`)."""
    text = unescape(_TAG.sub(" ", _INLINE_TAG.sub("", html)))
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit + 1)
    return text[: cut if cut > 0 else limit]


def text_chunks(site: Site) -> list[Sequence[Action]]:
    """The actions of each text part, in the actions' order: a part shows their write-ups
    and nothing else, so each is an output of its own (site/plan.py), made again only when
    one of its actions changed."""
    actions = site.actions
    size = TEXT_ACTIONS_PER_PART
    return [actions[start : start + size] for start in range(0, len(actions), size)]


def text_part(actions: Sequence[Action]) -> dict[str, Any]:
    """Each action's write-up as plain text."""
    return {"text": [plain_text(a.body_html) for a in actions]}


def text_parts(site: Site) -> list[dict[str, Any]]:
    """Each action's write-up as plain text, in the actions' order and parts."""
    return [text_part(chunk) for chunk in text_chunks(site)]


def text_file_of(number: int, actions: Sequence[Action]) -> list[tuple[str, bytes]]:
    """The `number`th text part, as an output file."""
    return [(text_file(number), part_script("text", text_part(actions)).encode("utf-8"))]


def part_script(name: str, data: dict[str, Any]) -> str:
    """`window.PalmaresIndex[name] = data`, safe inside a script element whatever the data."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)
    return f"(window.PalmaresIndex=window.PalmaresIndex||{{}})[{json.dumps(name)}]={payload};\n"


def main_files(site: Site) -> Iterator[tuple[str, bytes]]:
    """The index's main part and its actions parts, as output files: made from the whole
    site (the actions point into the collectivités' list)."""
    yield INDEX_FILE, part_script("main", main_part(site)).encode("utf-8")
    for number, part in enumerate(actions_parts(site), 1):
        yield actions_file(number), part_script("actions", part).encode("utf-8")


def files(site: Site) -> Iterator[tuple[str, bytes]]:
    """The index's parts, as output files."""
    yield from main_files(site)
    for number, chunk in enumerate(text_chunks(site), 1):
        yield from text_file_of(number, chunk)


def facets(site: Site) -> dict[str, list[dict[str, str]]]:
    """The values each facet of the search page offers, as `value` (what the index
    says) and `label` (what the reader sees), in reading order."""
    return {
        "edition": [
            {"value": str(e.annee), "label": str(e.annee)} for e in reversed(site.editions)
        ],
        "departement": [
            {"value": d.code, "label": f"{d.nom} ({d.code})"} for d, _ in site.departements
        ],
        "region": [{"value": r.code, "label": r.nom} for r, _ in site.regions],
        "domaine": [{"value": d.slug, "label": d.titre} for d in site.domaines],
    }
