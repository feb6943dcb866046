"""Se comparer (issue 16): each edition's distributions of @ by population band, département
and région against counts made here independently; the « Se comparer » section of a
collectivité's page (its phrase, no ranking word, a collectivité without a population);
the keys of the pages that show the distributions (a population that moves band changes
exactly the pages whose counts changed, and an incremental build equals a clean one); the
comparison page's data file."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from palmares.content.model import Site
from palmares.dev.synth import generate
from palmares.output.cache import ParseCache
from palmares.pipeline import build, check
from palmares.site import compare, urls
from palmares.site.options import Options
from palmares.site.plan import plan
from palmares.territory import DEPARTEMENTS
from tests.helpers import commune, write_project
from tests.test_incremental import tree

RANKING = re.compile(
    r"\b(rangs?|premiers?|premières?|meilleurs?|meilleures?|classements?|top)\b", re.I
)


def _band(population: int) -> int:
    """The bands written out, not taken from the engine: under 3 000, 3 000–19 999,
    20 000–99 999, 100 000 and over."""
    if population < 3_000:
        return 0
    if population < 20_000:
        return 1
    if population < 100_000:
        return 2
    return 3


def _text(node: Tag) -> str:
    """Visible text, every kind of space as one plain space."""
    return re.sub(r"\s+", " ", node.get_text(" ", strip=True).replace("\u202f", " "))


def _section(page: Path) -> Tag | None:
    html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return html.select_one("section.comparer")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("compare") / "src"
    generate(root, communes=80, actions=20, editions=4, seed=5)
    return root


@pytest.fixture(scope="module")
def corpus_site(corpus: Path) -> Site:
    site = check(corpus).site
    assert site is not None
    return site


@pytest.fixture(scope="module")
def built(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("compare-out") / "site"
    assert build(corpus, out).errors == []
    return out


def test_distributions_match_counts_made_independently(corpus_site: Site) -> None:
    assert any(c.population is None for c in corpus_site.communes)  # the corpus has some
    for edition in corpus_site.editions:
        bands: Counter[tuple[int, int]] = Counter()
        depts: Counter[tuple[str, int]] = Counter()
        regions: Counter[tuple[str, int]] = Counter()
        for c in corpus_site.communes:
            for label in c.labels:
                if label.annee != edition.annee:
                    continue
                if c.population is not None:
                    bands[_band(c.population), label.arobases] += 1
                depts[c.departement, label.arobases] += 1
                regions[DEPARTEMENTS[c.departement].region.code, label.arobases] += 1
        found = compare.distributions(edition)
        assert found.annee == edition.annee
        for mine, theirs in ((bands, found.bands), (depts, found.departements)):
            assert {k for k, _ in mine} == set(theirs)
            for key, counts in theirs.items():
                assert list(counts) == [mine[key, n] for n in range(6)]
        assert {k for k, _ in regions} == set(found.regions)
        for key, counts in found.regions.items():
            assert list(counts) == [regions[key, n] for n in range(6)]
        assert sum(sum(c) for c in found.departements.values()) == len(edition.laureates)


def _label(year: int, n: int) -> str:
    return f"  - annee: {year}\n    arobases: {n}\n" + (
        "    mention: Mention simple\n" if n == 0 else ""
    )


# In 2026: five collectivités of 3 000 to 20 000 inhabitants (3, 3, 3, 4 and 2 @), four of
# them in the Nord, one in the Pas-de-Calais (both Hauts-de-France); one of the Nord without
# a population; one of 20 000 to 100 000 in the Somme. Marcq-en-Barœul (BASE): 2017 only.
PEOPLE = {
    "croix": ("59163", "Croix", "59", 12_000, 3),
    "hem": ("59299", "Hem", "59", 18_000, 3),
    "halluin": ("59279", "Halluin", "59", 3_000, 3),
    "lys": ("59367", "Lys-lez-Lannoy", "59", 13_000, 4),
    "arras": ("62041", "Arras", "62", 19_999, 2),
    "wasquehal": ("59646", "Wasquehal", "59", None, 3),
    "amiens": ("80021", "Amiens", "80", 20_000, 5),
}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files: dict[str, str | bytes | None] = {}
    for slug, (code, nom, dept, population, n) in PEOPLE.items():
        extra = f"population: {population}\n" if population is not None else ""
        files[f"communes/{dept}/{slug}.yaml"] = commune(
            f'"{code}"',
            nom=nom,
            departement=f'"{dept}"',
            extra=extra,
            labels=_label(2025, 1) + _label(2026, n),
        )
    source = write_project(tmp_path_factory.mktemp("small") / "src", files)
    out = source.parent / "site"
    assert build(source, out).errors == []
    return out


def _page(site: Path, name: str) -> Path:
    found = list(site.glob(f"collectivites/{name}-*/index.html"))
    assert len(found) == 1, found
    return found[0]


def test_the_section_says_how_many_got_the_same(small: Path) -> None:
    section = _section(_page(small, "croix"))
    assert section is not None
    heading = section.find("h2")
    assert heading is not None and _text(heading) == "Se comparer"
    text = _text(section)
    assert (
        "Croix : @@@ 3 arobases , comme 3 des 5 collectivités de 3 000 à 20 000 habitants labellisées en 2026."
        in text
    )
    # The Nord: Croix, Hem, Halluin (3 @), Lys-lez-Lannoy (4 @), Wasquehal (3 @, no population).
    assert "comme 4 des 5 collectivités du département labellisées en 2026." in text
    # Hauts-de-France: the Nord's five, Arras (2 @), Amiens (5 @).
    assert "comme 4 des 7 collectivités de la région labellisées en 2026." in text
    # Each distribution as a table, rows 5 @ to 1 @ (no mention simple that year).
    tables = {
        figure["id"]: [
            (_text(row.th), int(row.td["data-value"])) for row in figure.select("tbody tr")
        ]
        for figure in section.select("figure.chart")
    }
    assert tables == {
        "graphique-comparer-population": [
            ("@@@@@ 5 arobases", 0),
            ("@@@@ 4 arobases", 1),
            ("@@@ 3 arobases", 3),
            ("@@ 2 arobases", 1),
            ("@ 1 arobase", 0),
        ],
        "graphique-comparer-departement": [
            ("@@@@@ 5 arobases", 0),
            ("@@@@ 4 arobases", 1),
            ("@@@ 3 arobases", 4),
            ("@@ 2 arobases", 0),
            ("@ 1 arobase", 0),
        ],
        "graphique-comparer-region": [
            ("@@@@@ 5 arobases", 1),
            ("@@@@ 4 arobases", 1),
            ("@@@ 3 arobases", 4),
            ("@@ 2 arobases", 1),
            ("@ 1 arobase", 0),
        ],
    }
    for figure in section.select("figure.chart"):
        assert figure.select_one("svg[role=img] title") is not None
        assert figure.select_one("details.chart-data table caption") is not None
    link = section.select_one('a[href$="comparer/index.html?c=59163"]')
    assert link is not None


def test_the_only_one_is_said_so(small: Path) -> None:
    text = _text(_section(_page(small, "amiens")) or Tag(name="x"))
    assert (
        "Amiens est la seule collectivité de 20 000 à 100 000 habitants labellisée en 2026." in text
    )
    assert "Amiens est la seule collectivité du département labellisée en 2026." in text
    assert (
        "Amiens est la seule des 7 collectivités de la région labellisées en 2026 à avoir obtenu @@@@@ 5 arobases ."
        in text
    )


def test_without_a_population_the_band_is_left_out_and_said_so(small: Path) -> None:
    section = _section(_page(small, "wasquehal"))
    assert section is not None
    text = _text(section)
    assert (
        "La population de Wasquehal n’est pas renseignée : pas de comparaison avec les collectivités de même taille."
        in text
    )
    assert "habitants labellisées" not in text
    assert [f["id"] for f in section.select("figure.chart")] == [
        "graphique-comparer-departement",
        "graphique-comparer-region",
    ]
    assert "comme 4 des 5 collectivités du département labellisées en 2026." in text


def test_a_collectivite_is_compared_in_the_year_of_its_latest_label(small: Path) -> None:
    text = _text(_section(_page(small, "marcq-en-baroeul")) or Tag(name="x"))
    assert "Au palmarès 2017 , Marcq-en-Barœul a obtenu @@@@@ 5 arobases ." in text
    assert "Marcq-en-Barœul est la seule collectivité du département labellisée en 2017." in text


def test_no_ranking_word_in_any_section(built: Path, small: Path) -> None:
    pages = [*built.glob("collectivites/*/index.html"), *small.glob("collectivites/*/index.html")]
    seen = 0
    for page in pages:
        section = _section(page)
        if section is None:
            continue
        seen += 1
        text = _text(section)
        assert not RANKING.search(text), (page, RANKING.search(text))
        assert "comme " in text or "seule" in text
    assert seen > 50


# --- keys: the section is keyed by the distributions it shows ---------------------------


def _commune_keys(source: Path) -> dict[str, str]:
    content = check(source)
    assert content.site is not None
    outputs = plan(content.site, content.digests, content.redirects, list, Options(), "salt")
    pages = {urls.commune(c) for c in content.site.communes}
    return {o.id: o.key for o in outputs if o.id in pages}


def _set_population(source: Path, code: str, population: int) -> None:
    for path in source.glob("communes/**/*.yaml"):
        text = path.read_text(encoding="utf-8")
        if f'code: "{code}"' in text:
            text = re.sub(r"(?m)^population: \d+$", f"population: {population}", text)
            path.write_text(text, encoding="utf-8")
            return
    raise AssertionError(code)


def test_a_population_change_rekeys_only_the_pages_whose_counts_changed(
    corpus: Path, corpus_site: Site, tmp_path: Path
) -> None:
    source = tmp_path / "src"
    shutil.copytree(corpus, source)
    latest = corpus_site.editions[-1].annee
    movers = [
        c
        for c in corpus_site.communes
        if c.population is not None and c.latest is not None and c.latest.annee == latest
    ]
    mover = max(movers, key=lambda c: c.population or 0)
    old_band = _band(mover.population or 0)
    before = _commune_keys(source)

    # Within its band: its own page only.
    _set_population(source, mover.code, (mover.population or 0) + 1)
    within = _commune_keys(source)
    assert {k for k in before if before[k] != within[k]} == {urls.commune(mover)}

    # To the smallest band: also every page comparing itself with the old or the new band.
    _set_population(source, mover.code, 10)
    moved = _commune_keys(source)
    changed = {k for k in within if within[k] != moved[k]}
    # Every year it is labelled in: a page shows the year of its own latest label.
    years = {label.annee for label in mover.labels}
    expected = {
        urls.commune(c)
        for c in corpus_site.communes
        if c.latest is not None
        and c.latest.annee in years
        and c.population is not None
        and _band(c.population) in (old_band, 0)
    }
    assert old_band != 0 and expected - {urls.commune(mover)}
    assert changed == expected | {urls.commune(mover)}


def test_incremental_build_equals_clean_after_a_population_change(
    corpus: Path, corpus_site: Site, tmp_path: Path
) -> None:
    source = tmp_path / "src"
    shutil.copytree(corpus, source)
    out = tmp_path / "out"
    assert build(source, out, cache=ParseCache(tmp_path / "cache")).errors == []
    latest = corpus_site.editions[-1].annee
    mover = next(
        c
        for c in corpus_site.communes
        if c.population is not None
        and c.population < 3_000
        and c.latest is not None
        and c.latest.annee == latest
    )
    before = (out / urls.commune(mover)).read_text(encoding="utf-8")
    _set_population(source, mover.code, 150_000)
    assert build(source, out, cache=ParseCache(tmp_path / "cache")).errors == []
    assert build(source, tmp_path / "clean").errors == []
    assert tree(out) == tree(tmp_path / "clean")
    after = (out / urls.commune(mover)).read_text(encoding="utf-8")
    assert "100 000 habitants et plus" in after.replace("\u202f", " ").replace("\xa0", " ")
    assert before != after


# --- the comparison page's data ------------------------------------------------------------


def test_the_data_file_holds_every_label_history(built: Path, corpus_site: Site) -> None:
    script = (built / urls.COMPARER_DATA).read_text(encoding="utf-8")
    prefix = '(window.PalmaresIndex=window.PalmaresIndex||{})["comparer"]='
    assert script.startswith(prefix)
    data = json.loads(script[len(prefix) :].rstrip().rstrip(";"))
    years = data["years"]
    assert years == [e.annee for e in corpus_site.editions]
    communes = data["communes"]
    assert communes["code"] == [c.code for c in corpus_site.communes]
    for i, c in enumerate(corpus_site.communes):
        assert communes["name"][i] == c.nom
        assert data["departements"]["code"][communes["departement"][i]] == c.departement
        labels = [(years[v // 6], v % 6) for v in communes["labels"][i]]
        assert labels == [(label.annee, label.arobases) for label in c.labels]
        page = communes["url"]["prefix"] + communes["url"]["middles"][i] + communes["url"]["suffix"]
        assert (built / "comparer" / page).resolve() == (built / urls.commune(c)).resolve()


def test_the_comparison_page_works_without_a_server_and_says_what_it_needs(built: Path) -> None:
    html = BeautifulSoup((built / urls.COMPARER).read_text(encoding="utf-8"), "html.parser")
    scripts = [s["src"] for s in html.select("script[src]")]
    assert scripts == ["../comparer/collectivites.js", "../static/comparer.js"]
    assert not html.select("script[type=module]")
    fallback = html.select_one("noscript")
    assert fallback is not None
    assert "a besoin de JavaScript" in fallback.get_text()
    assert "../collectivites/index.html" in str(fallback)
    # Every page's footer leads to it.
    home = BeautifulSoup((built / urls.HOME).read_text(encoding="utf-8"), "html.parser")
    assert home.select_one('footer a[href="comparer/index.html"]') is not None
