"""The search index: what its parts hold, that every URL comes back whole, and that no title
can break the script element that loads it. The page's behaviour is tested in Chromium
(tests/browser/test_search.py)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from palmares.content import markup
from palmares.content.model import Site
from palmares.pipeline import build, check
from palmares.site import search, urls
from tests.helpers import commune, write_project

TRAP = "Titre </script><!-- <script>alert(1)</script> & fin"

FILES: dict[str, str | bytes | None] = {
    "communes/59/marcq-en-baroeul.yaml": commune(
        '"59378"',
        nom="Marcq-en-Barœul",
        departement='"59"',
        extra="population: 39000\nanciens_noms: [Marque-Bourg]\n",
        labels="  - annee: 2016\n    arobases: 4\n  - annee: 2017\n    arobases: 5\n",
    ),
    "communes/95/l-isle-adam.yaml": commune(
        '"95313"',
        nom="L'Isle-Adam",
        departement='"95"',
        extra="population: 3000\n",
        labels="  - annee: 2016\n    arobases: 2\n",
    ),
    "communes/59/mel.yaml": commune(
        '"200093201"',
        nom="Métropole Européenne de Lille",
        departement='"59"',
        extra="type: intercommunalite\n",
        labels="  - annee: 2017\n    arobases: 4\n",
    ),
    "content/actions/2017/piege.md": (
        f'---\ntitre: {json.dumps(TRAP)}\ncommune: "59378"\nannee: 2017\n'
        "domaines: [teletravail]\n---\nAteliers à la *Croix-Rousse* &amp; ailleurs.\n"
    ),
    "content/actions/2016/ateliers.md": (
        '---\ntitre: Ateliers numériques\ncommune: "95313"\nannee: 2016\n'
        "domaines: [teletravail]\n---\nTexte.\n"
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = write_project(tmp_path_factory.mktemp("search"), FILES)
    result = check(root)
    assert result.site is not None, result.problems
    return result.site


def _payload(script: str, name: str) -> Any:
    prefix = f'(window.PalmaresIndex=window.PalmaresIndex||{{}})["{name}"]='
    assert script.startswith(prefix) and script.endswith(";\n")
    return json.loads(script[len(prefix) : -2])


def _urls(table: dict[str, Any]) -> list[str]:
    u = table["url"]
    return [u["prefix"] + middle + u["suffix"] for middle in u["middles"]]


@pytest.mark.parametrize(
    ("population", "band"),
    [
        (None, -1),
        (1, 0),
        (2_999, 0),
        (3_000, 1),
        (19_999, 1),
        (20_000, 2),
        (99_999, 2),
        (100_000, 3),
    ],
)
def test_population_bands_start_at_their_lower_bound(population: int | None, band: int) -> None:
    assert search.population_band(population) == band


@pytest.mark.parametrize(
    "paths",
    [
        [],
        ["collectivites/a-59/index.html"],
        ["collectivites/a-59/index.html", "collectivites/b-59/index.html"],
        ["actions/2017/a/index.html", "actions/2016/b/index.html", "actions/2017/ab/index.html"],
        ["palmares/2016/index.html", "palmares/2017/index.html"],
        ["a/index.html", "b/c/index.html"],
    ],
)
def test_split_common_gives_every_path_back(paths: list[str]) -> None:
    prefix, suffix, middles = search.split_common(paths)
    assert [prefix + m + suffix for m in middles] == paths
    assert prefix == "" or prefix.endswith("/")
    assert suffix == "" or suffix.startswith("/")


def test_every_url_of_the_index_is_the_one_urls_gives(site: Site) -> None:
    main = search.main_part(site)
    assert _urls(main["communes"]) == [urls.commune(c) for c in site.communes]
    assert _urls(main["departements"]) == [urls.departement(d) for d, _ in site.departements]
    assert _urls(main["regions"]) == [urls.region(r) for r, _ in site.regions]
    assert _urls(main["domaines"]) == [urls.domaine(d) for d in site.domaines]
    assert _urls(main["editions"]) == [urls.edition(e.annee) for e in site.editions]
    assert _urls(search.actions_part(site)) == [urls.action(a) for a in site.actions]


def test_main_part_holds_labels_types_populations_and_former_names(site: Site) -> None:
    main = search.main_part(site)
    c = main["communes"]
    assert main["years"] == [2016, 2017]
    assert c["name"] == ["L'Isle-Adam", "Marcq-en-Barœul", "Métropole Européenne de Lille"]
    # year index × 6 + number of @
    assert c["labels"] == [[0 * 6 + 2], [0 * 6 + 4, 1 * 6 + 5], [1 * 6 + 4]]
    assert c["intercommunalite"] == [2]
    assert c["population"] == "12-"
    assert c["formerly"] == [[1, ["Marque-Bourg"]]]
    assert [main["departements"]["code"][d] for d in c["departement"]] == ["95", "59", "59"]
    assert main["parts"] == [
        ["actions", "../static/search-actions-1.js"],
        ["text", "../static/search-text-1.js"],
    ]


def test_actions_part_points_into_the_main_tables(site: Site) -> None:
    main, actions = search.main_part(site), search.actions_part(site)
    names = main["communes"]["name"]
    assert [(t, names[c]) for t, c in zip(actions["name"], actions["commune"], strict=True)] == [
        ("Ateliers numériques", "L'Isle-Adam"),
        (TRAP, "Marcq-en-Barœul"),
    ]
    assert [main["years"][y] for y in actions["year"]] == [2016, 2017]
    assert actions["domaines"] == [[0], [0]]


def test_actions_come_in_parts_that_add_up_to_the_whole(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "ACTIONS_PER_PART", 1)
    parts = search.actions_parts(site)
    assert len(parts) == len(site.actions) == 2
    assert [name for p in parts for name in p["name"]] == search.actions_part(site)["name"]
    assert [u for p in parts for u in _urls(p)] == [urls.action(a) for a in site.actions]
    assert [rel for rel, _ in search.files(site)] == [
        search.INDEX_FILE,
        "static/search-actions-1.js",
        "static/search-actions-2.js",
        "static/search-text-1.js",
    ], "the texts have parts of their own size (TEXT_ACTIONS_PER_PART)"
    monkeypatch.setattr(search, "TEXT_ACTIONS_PER_PART", 1)
    assert [rel for rel, _ in search.files(site)][-2:] == [
        "static/search-text-1.js",
        "static/search-text-2.js",
    ]
    assert search.main_part(site)["parts"] == [
        ["actions", "../static/search-actions-1.js"],
        ["actions", "../static/search-actions-2.js"],
        ["text", "../static/search-text-1.js"],
        ["text", "../static/search-text-2.js"],
    ]
    assert [t for p in search.text_parts(site) for t in p["text"]] == [
        search.plain_text(a.body_html) for a in site.actions
    ]


def test_no_title_can_end_the_script_element(site: Site) -> None:
    for _, data in search.files(site):
        text = data.decode("utf-8")
        assert "</script" not in text.lower() and "<!--" not in text
        assert "<" not in text and "\u2028" not in text
    script = dict(search.files(site))[search.actions_file(1)].decode("utf-8")
    assert TRAP in _payload(script, "actions")["name"]


def test_the_text_part_is_each_write_up_as_plain_text(site: Site) -> None:
    script = dict(search.files(site))[search.text_file(1)].decode("utf-8")
    assert _payload(script, "text") == {
        "text": ["Texte.", "Ateliers à la Croix-Rousse & ailleurs."]
    }


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Un</p><p>deux</p>", "Un deux"),
        ("<ul>\n<li>un</li>\n<li>deux</li>\n</ul>", "un deux"),
        ("le 1<sup>er</sup> <strong>atelier</strong>&nbsp;!", "le 1er atelier !"),
        ('<a href="https://example.org">la Croix-<em>Rousse</em></a>', "la Croix-Rousse"),
        ("&lt;script&gt; &amp; co", "<script> & co"),
    ],
)
def test_plain_text_drops_the_tags_and_keeps_the_words(html: str, text: str) -> None:
    assert search.plain_text(html) == text


class _Reference(HTMLParser):
    """What plain_text gives, by a real HTML parser: blocks a word apart, inline glued."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.chunks.append("" if tag in search._INLINE else " ")

    def handle_endtag(self, tag: str) -> None:
        self.chunks.append("" if tag in search._INLINE else " ")


_PIECES = [
    " ", " ", "mot", "é", "&", "<", ">", "<b>x</b>", '"', "'", "*em*", "**fort**", "`code`",
    "[lien](https://a.fr/?q=1&r=<2>)", '[lien](https://a.fr "titre > et <")', "1^er^",
    "<abbr title=\"a > b\">AB</abbr>", "<span lang=en>x</span>", "&nbsp;", "&amp;lt;",
    "\n\n", "\n- ", "\n1. ", "\n> ", "\n## ", "\n\n| a | b |\n|---|---|\n| c | d |\n\n",
    "![image](/i.png \"t>\")", "<br>", "<!-- commentaire -->", "<script>x</script>",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_plain_text_reads_what_the_sanitizer_writes_as_an_html_parser_does(body: str) -> None:
    """plain_text matches tags with a pattern, which holds for nh3's output only (values
    double-quoted, `<` and `>` escaped in text): over write-ups through the real sanitizer,
    it gives what html.parser gives."""
    html = markup.render_markdown(body)
    reference = _Reference()
    reference.feed(html)
    reference.close()
    expected = " ".join("".join(reference.chunks).split())
    assert search.plain_text(html, limit=10**6) == expected


def test_plain_text_is_cut_at_a_space_before_the_limit() -> None:
    assert search.plain_text("<p>abc def ghi</p>", limit=9) == "abc def"
    assert search.plain_text("<p>abcdefghij</p>", limit=4) == "abcd"
    long = "<p>" + "mot " * 1000 + "</p>"
    assert len(search.plain_text(long)) <= search.TEXT_CHARS


def test_the_parts_are_the_same_bytes_for_the_same_content(site: Site) -> None:
    assert list(search.files(site)) == list(search.files(site))


def test_facets_list_the_values_the_site_has(site: Site) -> None:
    facets = search.facets(site)
    assert facets["edition"] == [
        {"value": "2017", "label": "2017"},
        {"value": "2016", "label": "2016"},
    ]
    assert [v["label"] for v in facets["departement"]] == ["Nord (59)", "Val-d'Oise (95)"]
    assert [v["value"] for v in facets["domaine"]] == ["teletravail"]


def test_the_built_site_has_the_parts_the_library_and_the_facets(tmp_path: Path) -> None:
    root = write_project(tmp_path / "src", FILES)
    assert build(root, tmp_path / "out").errors == []
    out = tmp_path / "out"
    for rel in (search.INDEX_FILE, search.actions_file(1), search.text_file(1), search.LIBRARY):
        assert (out / rel).is_file(), rel
    assert (out / search.LIBRARY).parent.joinpath("LICENSE.txt").is_file()
    html = (out / urls.SEARCH).read_text(encoding="utf-8")
    assert '<script src="../static/vendor/minisearch-7.2.0/minisearch.js"></script>' in html
    assert '<script id="search-index" src="../static/search-index.js"></script>' in html
    assert 'name="edition" value="2016"' in html and 'name="departement" value="95"' in html
    assert "moins de 3\u202f000 habitants" in html
    assert 'type="module"' not in html


def test_a_write_up_edited_makes_only_its_text_part_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text parts are outputs of their own, each keyed by its actions (site/plan.py): at
    national scale, parsing 60 000 write-ups again for one edit took seconds."""
    from palmares.dev.synth import generate

    monkeypatch.setattr(search, "TEXT_ACTIONS_PER_PART", 6)
    source = tmp_path / "src"
    generate(source, communes=15, actions=24, editions=2, seed=11)
    site = tmp_path / "site"
    assert build(source, site, workers=1).errors == []
    parts = sorted((site / "static").glob("search-text-*.js"))
    assert len(parts) == 4
    before = {p.name: (p.stat().st_ino, p.read_bytes()) for p in parts}
    model = check(source).site
    assert model is not None
    edited = source / model.actions[8].source  # in the second part
    edited.write_text(edited.read_text("utf-8") + "\nUn mot ajouté : zygomatique.\n", "utf-8")
    converted: list[str] = []
    plain_text = search.plain_text
    monkeypatch.setattr(
        search, "plain_text", lambda html: converted.append(html) or plain_text(html)
    )
    assert build(source, site, workers=1).errors == []
    assert len(converted) == 6, "only the edited write-up's part is made again"
    after = {
        p.name: (p.stat().st_ino, p.read_bytes())
        for p in sorted((site / "static").glob("search-text-*.js"))
    }
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"search-text-2.js"}
    assert b"zygomatique" in after["search-text-2.js"][1]
    clean = tmp_path / "clean"
    assert build(source, clean, workers=1).errors == []
    assert all((clean / "static" / name).read_bytes() == data for name, (_, data) in after.items())
