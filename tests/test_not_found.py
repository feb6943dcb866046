"""The 404 page on a web host that shows 404.html at any depth: with the public address,
its links and styles are absolute (serve's answers are in tests/test_serve.py, the page at
a deep address over HTTP in tests/browser/test_reading.py)."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from palmares.pipeline import build
from tests.helpers import write_project

BASE_URL = "https://example.org/palmares/"


def _links(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = [str(tag.get("href")) for tag in soup.find_all(["a", "link"]) if tag.get("href")]
    found += [str(tag.get("src")) for tag in soup.find_all(["script", "img"]) if tag.get("src")]
    found += [str(tag.get("action")) for tag in soup.find_all("form")]
    return found


def test_with_a_public_address_every_link_of_the_404_page_is_absolute(tmp_path: Path) -> None:
    source = write_project(tmp_path / "source")
    assert build(source, tmp_path / "site", base_url=BASE_URL).errors == []
    links = [link for link in _links((tmp_path / "site/404.html").read_text()) if link[0] != "#"]
    assert f"{BASE_URL}static/style.css" in links
    assert f"{BASE_URL}index.html" in links
    assert f"{BASE_URL}recherche/index.html" in links
    assert [link for link in links if not link.startswith(BASE_URL)] == []
    # The other pages keep their relative links: the site still works from file://.
    home = _links((tmp_path / "site/index.html").read_text())
    assert "static/style.css" in home


def test_without_a_public_address_the_404_page_links_from_the_sites_root(tmp_path: Path) -> None:
    source = write_project(tmp_path / "source")
    assert build(source, tmp_path / "site").errors == []
    links = _links((tmp_path / "site/404.html").read_text())
    assert "static/style.css" in links
    assert [link for link in links if "://" in link] == []
