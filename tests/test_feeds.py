"""Feeds and addresses: Atom feeds read by a real feed parser, sitemap.xml by an XML parser,
robots.txt, canonical links, OpenGraph and JSON-LD."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
from bs4 import BeautifulSoup

from palmares.content.model import Site
from palmares.pipeline import build, check
from palmares.site import feeds, urls
from palmares.site.figures import panels

BASE_URL = "https://palmares.example.org/archive/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _synth(source: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "palmares.dev.synth",
            "--communes",
            "120",
            "--actions",
            "240",
            "--editions",
            "5",
            "--seed",
            "11",
            str(source),
        ],
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Site]:
    """The same corpus built with a base URL (`absolute`) and without (`relative`)."""
    tmp = tmp_path_factory.mktemp("feeds")
    source = tmp / "source"
    _synth(source)
    absolute, relative = tmp / "absolute", tmp / "relative"
    assert build(source, absolute, base_url=BASE_URL).errors == []
    assert build(source, relative).errors == []
    site = check(source).site
    assert site is not None
    return absolute, relative, site


def html_pages(out: Path) -> set[str]:
    """Every page a reader can land on: not the 404 page, not a redirect."""
    pages = set()
    for path in out.rglob("*.html"):
        rel = path.relative_to(out).as_posix()
        if rel == urls.NOT_FOUND or 'http-equiv="refresh"' in path.read_text(encoding="utf-8"):
            continue
        pages.add(rel)
    return pages


def test_editions_feed_lists_every_edition(built: tuple[Path, Path, Site]) -> None:
    absolute, relative, site = built
    for out in (absolute, relative):
        feed = feedparser.parse((out / urls.FEED_EDITIONS).read_bytes())
        assert feed.bozo == 0, feed.get("bozo_exception")
        assert feed.version == "atom10"
        assert feed.feed.language == "fr"
        titles = [entry.title for entry in feed.entries]
        assert titles == [f"Palmarès {e.annee}" for e in reversed(site.editions)]
        assert len({entry.id for entry in feed.entries}) == len(feed.entries)
        for entry, e in zip(feed.entries, reversed(site.editions), strict=True):
            assert entry.updated.startswith(str(e.annee)), entry.updated
            assert str(len(e.laureates)) in entry.summary.replace("\u202f", "")


def test_feed_links_lead_to_pages(built: tuple[Path, Path, Site]) -> None:
    absolute, relative, _ = built
    for name in (urls.FEED_EDITIONS, urls.FEED_ACTIONS):
        feed = feedparser.parse((absolute / name).read_bytes())
        for entry in feed.entries:
            assert entry.link.startswith(BASE_URL)
            rel = entry.link.removeprefix(BASE_URL)
            assert (absolute / rel / "index.html").is_file(), entry.link
        # Without a base URL, links are relative to the feed's own address.
        feed = feedparser.parse(
            (relative / name).read_bytes(), response_headers={"content-location": BASE_URL + name}
        )
        for entry in feed.entries:
            rel = entry.link.removeprefix(BASE_URL)
            assert (relative / rel).is_file(), entry.link


def test_actions_feed_holds_the_latest_editions_actions(built: tuple[Path, Path, Site]) -> None:
    absolute, _, site = built
    feed = feedparser.parse((absolute / urls.FEED_ACTIONS).read_bytes())
    assert feed.bozo == 0
    latest = max(a.annee for a in site.actions)
    expected = [a for a in site.actions if a.annee == latest]
    assert [entry.title for entry in feed.entries] == [a.titre for a in expected]
    for entry, a in zip(feed.entries, expected, strict=True):
        assert {tag.term for tag in entry.tags} == {site.by_domaine[d].titre for d in a.domaines}


def test_feeds_do_not_change_when_nothing_changed(built: tuple[Path, Path, Site]) -> None:
    _, relative, site = built
    assert feeds.editions_feed(site) == (relative / urls.FEED_EDITIONS).read_bytes()
    assert feeds.actions_feed(site) == (relative / urls.FEED_ACTIONS).read_bytes()


def test_sitemap_lists_every_page_with_absolute_urls(built: tuple[Path, Path, Site]) -> None:
    absolute, relative, _ = built
    root = ET.parse(absolute / urls.SITEMAP).getroot()
    assert root.tag == f"{SITEMAP}urlset"
    locs = [loc.text or "" for loc in root.iter(f"{SITEMAP}loc")]
    assert len(locs) == len(set(locs))
    assert all(loc.startswith(BASE_URL) for loc in locs)
    expected = {urljoin(BASE_URL, urls.public(p)) for p in html_pages(absolute)}
    assert set(locs) == expected
    assert urljoin(BASE_URL, "donnees/") in locs
    # Sitemaps require absolute URLs: without a base URL there is none.
    assert not (relative / urls.SITEMAP).exists()


def test_sitemap_becomes_an_index_past_the_protocol_limit(
    built: tuple[Path, Path, Site], monkeypatch: pytest.MonkeyPatch
) -> None:
    absolute, _, _ = built
    pages = sorted(html_pages(absolute))
    monkeypatch.setattr(feeds, "SITEMAP_LIMIT", 100)
    files = dict(feeds.sitemaps(pages, BASE_URL))
    index = ET.fromstring(files[urls.SITEMAP])
    assert index.tag == f"{SITEMAP}sitemapindex"
    parts = [loc.text or "" for loc in index.iter(f"{SITEMAP}loc")]
    assert len(parts) == -(-len(pages) // 100)
    listed = []
    for part in parts:
        listed += [
            loc.text
            for loc in ET.fromstring(files[part.removeprefix(BASE_URL)]).iter(f"{SITEMAP}loc")
        ]
    assert len(listed) == len(pages)


def test_robots_txt_allows_all_and_names_the_sitemap(built: tuple[Path, Path, Site]) -> None:
    absolute, relative, _ = built
    text = (absolute / urls.ROBOTS).read_text(encoding="utf-8")
    assert "User-agent: *" in text
    assert f"Sitemap: {BASE_URL}sitemap.xml" in text
    assert "Sitemap" not in (relative / urls.ROBOTS).read_text(encoding="utf-8")


def soup(out: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html.parser")


def test_canonical_and_opengraph_on_every_page(built: tuple[Path, Path, Site]) -> None:
    absolute, relative, _ = built
    for rel in html_pages(absolute):
        page = soup(absolute, rel)
        canonical = page.select_one('link[rel="canonical"]')
        assert canonical is not None and canonical["href"] == urljoin(BASE_URL, urls.public(rel))
        og = {m["property"]: m["content"] for m in page.select("meta[property]")}
        assert og["og:url"] == canonical["href"]
        assert og["og:title"] and og["og:description"] and og["og:locale"] == "fr_FR"
        feeds_links = page.select('link[rel="alternate"][type="application/atom+xml"]')
        assert len(feeds_links) == 2
    page = soup(relative, "index.html")
    assert page.select_one('link[rel="canonical"]') is None
    assert page.select_one('meta[property="og:url"]') is None
    assert page.select_one('meta[property="og:description"]')["content"]
    assert soup(absolute, urls.NOT_FOUND).select_one('link[rel="canonical"]') is None


def test_a_collectivite_page_shared_shows_its_latest_panel(
    built: tuple[Path, Path, Site],
) -> None:
    # « S'afficher »: a link to the page on a social network shows the label's panel. Only
    # with a base URL: OpenGraph takes an absolute address.
    absolute, relative, site = built
    for c in [c for c in site.communes if c.labels][:40]:
        page = soup(absolute, urls.commune(c))
        og = {m["property"]: m["content"] for m in page.select("meta[property]")}
        latest = c.labels[-1]
        png = urls.panel(c, latest.annee, "png")
        assert og["og:image"] == urljoin(BASE_URL, png)
        assert (absolute / png).read_bytes().startswith(b"\x89PNG")
        assert (og["og:image:width"], og["og:image:height"]) == ("600", "300")
        assert og["og:image:alt"] == panels.alt_text(latest)
        assert page.select_one('meta[name="twitter:card"]')["content"] == "summary_large_image"
        shown = soup(relative, urls.commune(c))
        assert shown.select_one('meta[property="og:image"]') is None
        assert shown.select_one('meta[name="twitter:card"]')["content"] == "summary"
    home = soup(absolute, "index.html")
    assert home.select_one('meta[property="og:image"]') is None
    assert home.select_one('meta[name="twitter:card"]')["content"] == "summary"


def test_collectivite_pages_carry_json_ld_with_their_awards(
    built: tuple[Path, Path, Site],
) -> None:
    absolute, _, site = built
    for c in site.communes[:40]:
        page = soup(absolute, urls.commune(c))
        data = json.loads(page.select_one('script[type="application/ld+json"]').string)
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "GovernmentOrganization"
        assert data["name"] == c.nom
        assert data["identifier"]["value"] == c.code
        assert len(data["award"]) == len(c.labels)
        for award, label in zip(data["award"], c.labels, strict=True):
            assert str(label.annee) in award
        if c.anciens_noms:
            assert data["alternateName"] == list(c.anciens_noms)


def test_base_url_from_the_command_line_and_the_environment(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "site"
    env = {"PALMARES_BASE_URL": "https://from-env.example.org", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "build.py", "--out", str(out)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "https://from-env.example.org/sitemap.xml" in (out / urls.ROBOTS).read_text()
    done = subprocess.run(
        [sys.executable, "build.py", "--out", str(out), "--base-url", "ftp://nope"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "--base-url" in done.stderr
