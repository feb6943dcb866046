"""Headless Chromium (Debian's, driven by Playwright) and the two ways a reader opens the site:
from the disk with no network, and from a web server under a sub-path."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response, Route

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SUB_PATH = "/palmares/"


def _unavailable(reason: str) -> None:
    # A laptop without Chromium may skip; CI must not pass by skipping everything.
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: browser tests cannot be skipped)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Browser]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@dataclass
class RecordedPage:
    """A browser tab and what went wrong in it: a test asserts `problems()` is empty."""

    page: Page
    allowed: str
    blocked_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [
            *(f"blocked request: {url}" for url in self.blocked_requests),
            *(f"failed request: {text}" for text in self.failed_requests),
            *(f"console error: {text}" for text in self.console_errors),
        ]

    def requests_outside(self, prefix: str) -> list[str]:
        """Requests that left `prefix` (the site's folder); inline data: and blob: stay inside."""
        return [
            url
            for url in self.requests
            if not url.startswith((prefix, "data:", "blob:", "about:blank"))
        ]

    def clear(self) -> None:
        for log in (
            self.blocked_requests,
            self.failed_requests,
            self.console_errors,
            self.requests,
        ):
            log.clear()


def _record(browser: Browser, allowed: str) -> RecordedPage:
    """A tab in a fresh context where every request not starting with `allowed` is aborted."""
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15_000)
    tab = RecordedPage(page, allowed)

    def route(route: Route) -> None:
        url = route.request.url
        if url.startswith((allowed, "data:", "blob:")):
            route.continue_()
        else:
            tab.blocked_requests.append(url)
            route.abort("blockedbyclient")

    def on_failed(request: Request) -> None:
        # ERR_ABORTED is what leaving a page does to what it still loads (a favicon); a real
        # failure shows as ERR_FILE_NOT_FOUND, an HTTP status or a blocked request.
        if request.url not in tab.blocked_requests and request.failure != "net::ERR_ABORTED":
            tab.failed_requests.append(f"{request.url} ({request.failure})")

    def on_response(response: Response) -> None:
        if response.status >= 400:
            tab.failed_requests.append(f"{response.url} (HTTP {response.status})")

    def on_console(message: ConsoleMessage) -> None:
        # "Failed to load resource" repeats a failed request, already recorded with its URL.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            tab.console_errors.append(f"{message.text} at {message.location}")

    context.route("**/*", route)
    page.on("request", lambda request: tab.requests.append(request.url))
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: tab.console_errors.append(f"uncaught: {error}"))
    return tab


@pytest.fixture
def offline_page(chromium_browser: Browser) -> Iterator[RecordedPage]:
    """A tab that can only read files (file://): the network is cut."""
    tab = _record(chromium_browser, "file://")
    yield tab
    tab.page.context.close()


@pytest.fixture
def recorded_page(chromium_browser: Browser) -> Iterator[Callable[[str], RecordedPage]]:
    """Factory: a tab whose only reachable URLs start with the given prefix."""
    tabs: list[RecordedPage] = []

    def make(allowed: str) -> RecordedPage:
        tabs.append(_record(chromium_browser, allowed))
        return tabs[-1]

    yield make
    for tab in tabs:
        tab.page.context.close()


class _SubPathHandler(SimpleHTTPRequestHandler):
    """A static host that publishes the folder under /palmares/ and nothing at the root, like
    a project page: a root-relative link gets a 404. No directory listing."""

    def send_head(self) -> Any:
        if not urlsplit(self.path).path.startswith(SUB_PATH):
            self.send_error(404, "outside /palmares/")
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + path[len(SUB_PATH) :])

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(404, "no directory listing")
        return None

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def http_site() -> Iterator[Callable[[Path], str]]:
    """Factory: serve a folder on 127.0.0.1 (a free port) under /palmares/; gives its base URL."""
    running: list[tuple[ThreadingHTTPServer, threading.Thread]] = []

    def serve(site_dir: Path) -> str:
        handler = functools.partial(_SubPathHandler, directory=str(site_dir))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        running.append((server, thread))
        return f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"

    yield serve
    for server, thread in running:
        server.shutdown()
        server.server_close()
        thread.join()
