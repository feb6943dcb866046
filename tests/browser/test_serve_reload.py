"""The preview: a saved file shows in the open browser, every time, even two saves in a row."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

PROJECT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_two_quick_saves_both_reach_the_browser(chromium_browser: Browser, tmp_path: Path) -> None:
    source = tmp_path / "depot"
    shutil.copytree(PROJECT / "communes", source / "communes")
    shutil.copytree(PROJECT / "content", source / "content")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, str(PROJECT / "build.py"), "serve", "--source", str(source), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/pages/a-propos/index.html"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        page = chromium_browser.new_page()
        page.goto(url)
        page.wait_for_timeout(500)  # livereload's script connects its websocket
        about = source / "content/pages/a-propos.md"
        for title in ("Première version", "Seconde version"):
            about.write_text(f"---\ntitre: {title}\n---\nTexte.\n", encoding="utf-8")
            page.wait_for_function(
                "t => document.querySelector('h1')?.textContent.trim() === t",
                arg=title,
                timeout=15_000,
            )
        page.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
