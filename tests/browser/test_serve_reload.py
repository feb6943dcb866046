"""The preview in a real browser: a saved file shows in the open page, every time, even two
saves 1 s apart; a broken save keeps the last good page; a missing path shows the site's 404."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.helpers import free_port

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PROJECT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser

_H1_IS = "t => document.querySelector('h1')?.textContent.trim() === t"


@dataclass
class Preview:
    source: Path
    url: str
    log: Path

    def says(self, text: str, timeout: float = 15) -> bool:
        """Whether the server's terminal shows `text` within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log.read_text(encoding="utf-8"):
                return True
            time.sleep(0.1)
        return False


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    """`build.py serve` on a copy of the example content, its terminal in a file."""
    source = tmp_path / "depot"
    shutil.copytree(PROJECT / "communes", source / "communes")
    shutil.copytree(PROJECT / "content", source / "content")
    port = free_port()
    log = tmp_path / "terminal.txt"
    with log.open("wb") as terminal:
        server = subprocess.Popen(
            [sys.executable, str(PROJECT / "build.py"), "serve", "--source", str(source),
             "--port", str(port)],
            stdout=terminal, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(PROJECT)},
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, log.read_text(encoding="utf-8")
                assert time.monotonic() < deadline, "the preview never answered"
                time.sleep(0.2)
        yield Preview(source, url, log)
    finally:
        server.terminate()
        server.wait(timeout=15)
    assert "Traceback" not in log.read_text(encoding="utf-8")


def _open(browser: Browser, url: str) -> Page:
    page = browser.new_page()
    page.goto(url)
    # livereload.js connects its websocket once the page has loaded.
    page.wait_for_function("() => document.readyState === 'complete'")
    page.wait_for_timeout(500)
    return page


def _save_about(preview: Preview, title: str, body: str = "Texte.") -> None:
    page = preview.source / "content/pages/a-propos.md"
    page.write_text(f"---\ntitre: {title}\n---\n{body}\n", encoding="utf-8")


def test_two_saves_one_second_apart_both_reach_the_browser(
    chromium_browser: Browser, preview: Preview
) -> None:
    page = _open(chromium_browser, preview.url + "pages/a-propos/index.html")
    saved = time.monotonic()
    _save_about(preview, "Première version")
    page.wait_for_function(_H1_IS, arg="Première version", timeout=15_000)
    # The second save 1 s after the first: livereload's Server ignored a change seen less
    # than 3 s after its last reload.
    time.sleep(max(0.0, 1.0 - (time.monotonic() - saved)))
    _save_about(preview, "Seconde version")
    page.wait_for_function(_H1_IS, arg="Seconde version", timeout=15_000)
    page.close()


def test_a_broken_save_keeps_the_last_good_page_and_prints_the_problem(
    chromium_browser: Browser, preview: Preview
) -> None:
    page = _open(chromium_browser, preview.url + "pages/a-propos/index.html")
    _save_about(preview, "Version correcte")
    page.wait_for_function(_H1_IS, arg="Version correcte", timeout=15_000)
    (preview.source / "content/pages/a-propos.md").write_text(
        "---\ntitre: [cassé\n---\n", encoding="utf-8"
    )
    assert preview.says("le dernier site valide reste affiché")
    assert preview.says("content/pages/a-propos.md:2:")
    assert page.locator("h1").inner_text().strip() == "Version correcte"
    page.reload()  # what the server has is still the last good site
    assert page.locator("h1").inner_text().strip() == "Version correcte"
    _save_about(preview, "Version réparée")
    page.wait_for_function(_H1_IS, arg="Version réparée", timeout=15_000)
    page.close()


def test_a_missing_path_shows_the_sites_own_404_page(
    chromium_browser: Browser, preview: Preview
) -> None:
    page = chromium_browser.new_page()
    response = page.goto(preview.url + "nulle/part/index.html")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text().strip() == "Page introuvable"
    # Its links are relative to the site's root, wherever the reader mistyped.
    styled = "() => [...document.styleSheets].some(s => s.cssRules.length > 0)"
    assert page.evaluate(styled)
    page.get_by_role("link", name="page d’accueil").click()
    page.wait_for_url(preview.url + "index.html")
    page.close()


def test_the_open_page_shows_the_problems_and_they_go_away_once_fixed(
    chromium_browser: Browser, preview: Preview
) -> None:
    """Issue 15: the browser, not only the terminal, says why the page did not change."""
    page = _open(chromium_browser, preview.url + "pages/a-propos/index.html")
    box = page.locator("#palmares-problemes")
    assert box.count() == 0
    (preview.source / "content/pages/a-propos.md").write_text(
        "---\ntitre: [cassé\n---\n", encoding="utf-8"
    )
    box.wait_for(state="visible", timeout=15_000)
    assert box.get_attribute("role") == "alert"
    text = box.inner_text()
    assert "1 problème empêche la construction" in text
    assert "content/pages/a-propos.md:2:" in text
    assert "<" not in box.locator("code").first.inner_html().replace("&lt;", "")
    # A page opened while the content is broken shows it too.
    other = _open(chromium_browser, preview.url + "index.html")
    other.locator("#palmares-problemes").wait_for(state="visible", timeout=15_000)
    _save_about(preview, "Version réparée")
    page.wait_for_function(_H1_IS, arg="Version réparée", timeout=15_000)
    page.locator("#palmares-problemes").wait_for(state="detached", timeout=15_000)
    other.locator("#palmares-problemes").wait_for(state="detached", timeout=15_000)
    page.close()
    other.close()


def test_the_warnings_of_a_good_build_show_folded_and_may_be_hidden(
    chromium_browser: Browser, preview: Preview
) -> None:
    """An editor previewing in the browser reads the warnings there, not only in the
    terminal: folded at the bottom of the page, which is the new site; hidden on request
    until they change."""
    page = _open(chromium_browser, preview.url + "pages/a-propos/index.html")
    box = page.locator("#palmares-avertissements")
    assert box.count() == 0  # the example content has none
    notes = preview.source / "content/pages/notes.txt"  # a file not read: a warning
    notes.write_text("À faire\n", encoding="utf-8")
    box.wait_for(state="visible", timeout=15_000)
    assert box.get_attribute("role") == "status"
    summary = box.locator("summary")
    assert summary.inner_text() == (
        "1 avertissement\u202f: le site est construit, lisez-le avant de publier."
    )
    warning = box.locator("code")
    assert not warning.is_visible()  # folded: the page stays readable
    summary.click()
    assert warning.inner_text().startswith("content/pages/notes.txt: avertissement : ce fichier")
    assert page.locator("#palmares-problemes").count() == 0
    # Hidden, it stays so after a reload while the warnings are the same…
    box.get_by_role("button", name="Masquer jusqu’au prochain changement").click()
    assert box.count() == 0
    page.reload()
    page.wait_for_timeout(1500)
    assert page.locator("#palmares-avertissements").count() == 0
    # …and comes back when they change.
    (preview.source / "content/pages/autres.markdown").write_text("x\n", encoding="utf-8")
    page.locator("#palmares-avertissements").wait_for(state="visible", timeout=15_000)
    assert "2 avertissements" in page.locator("#palmares-avertissements summary").inner_text()
    notes.unlink()
    (preview.source / "content/pages/autres.markdown").unlink()
    page.locator("#palmares-avertissements").wait_for(state="detached", timeout=15_000)
    page.close()


def test_a_hundred_warnings_are_shown_and_the_rest_counted(
    chromium_browser: Browser, preview: Preview
) -> None:
    page = _open(chromium_browser, preview.url + "index.html")
    for n in range(103):
        (preview.source / f"content/pages/note-{n:03}.txt").write_text("x\n", encoding="utf-8")
    box = page.locator("#palmares-avertissements")
    box.wait_for(state="visible", timeout=15_000)
    page.wait_for_function(
        "() => document.querySelector('#palmares-avertissements summary')"
        ".textContent.startsWith('103 avertissements')",
        timeout=15_000,
    )
    box.locator("summary").click()
    assert box.locator("code").count() == 100
    assert (
        box.locator("li").last.inner_text() == "… et 3 autres\u202f: le terminal les montre tous."
    )
    page.close()


def test_a_saved_configuration_reaches_the_browser(
    chromium_browser: Browser, preview: Preview
) -> None:
    """palmares.toml, at the top of the source, is watched too (and saved as editors save:
    a new file renamed over the old one)."""
    page = _open(chromium_browser, preview.url + "index.html")
    config = preview.source / "palmares.toml"
    for title in ("Palmarès de démonstration", "Palmarès renommé"):
        draft = preview.source / ".palmares.toml.tmp"
        draft.write_text(f'titre = "{title}"\n', encoding="utf-8")
        os.replace(draft, config)
        page.wait_for_function("t => document.title.includes(t)", arg=title, timeout=15_000)
    page.close()
