"""The preview server on its own: only public APIs of its libraries, and what it answers."""

from __future__ import annotations

import ast
import asyncio
import http.client
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from palmares import serve
from palmares.freshness import Stats
from palmares.serve import application

PROJECT = Path(__file__).resolve().parents[1]
LIBRARIES = ("livereload", "tornado", "watchfiles")


def private_uses(code: str) -> list[str]:
    """Where `code` reads or writes an attribute whose name starts with `_` (on a library's
    object or on one of ours that subclasses it: either way, not a public API), imports a
    private name from LIBRARIES, assigns an attribute of an imported name (a class or a module
    patched for the whole process), calls setattr/delattr, or subclasses a livereload class
    (not an extension point)."""
    tree = ast.parse(code)
    imported: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                imported[(alias.asname or alias.name).split(".")[0]] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                imported[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def root(node: ast.expr) -> str:
        while isinstance(node, ast.Attribute | ast.Subscript):
            node = node.value
        return node.id if isinstance(node, ast.Name) else ""

    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            found.append(f"{line}: reads or writes .{node.attr}")
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(LIBRARIES):
            found += [f"{line}: imports {a.name}" for a in node.names if a.name.startswith("_")]
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign | ast.Delete):
            targets = list(node.targets)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and root(target) in imported:
                found.append(f"{line}: assigns {root(target)}….{target.attr}")
        call = node.func if isinstance(node, ast.Call) else None
        if isinstance(call, ast.Name) and call.id in ("setattr", "delattr"):
            found.append(f"{line}: calls {call.id}")
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                if imported.get(root(base), "").startswith("livereload"):
                    found.append(f"{line}: subclasses {ast.unparse(base)}")
    return sorted(found, key=lambda text: int(text.split(":")[0]))


def test_serve_uses_only_public_apis_of_its_libraries() -> None:
    code = (PROJECT / "palmares/serve.py").read_text(encoding="utf-8")
    assert private_uses(code) == []


def test_the_check_finds_what_serve_used_to_do() -> None:
    """What serve.py did before issue 13, each caught."""
    old = """
from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
import tornado.web

class _Watcher(Watcher):
    def start(self, callback):
        folders = [path for path in self._tasks]

LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
tornado.web.StaticFileHandler.set_default_headers = None
setattr(Server, "x", 1)
"""
    found = private_uses(old)
    assert [f.split(":")[0] for f in found] == ["7", "9", "11", "12", "13"], found


def _site(root: Path) -> Path:
    (root / "pages").mkdir(parents=True)
    (root / "index.html").write_text("<html><head><title>Accueil</title></head></html>")
    (root / "pages/index.html").write_text("<html><head></head><body>Pages</body></html>")
    (root / "404.html").write_text(
        '<html><head lang="fr"><link rel="stylesheet" href="style.css"></head>'
        "<body><h1>Page introuvable</h1></body></html>"
    )
    (root / "style.css").write_text("body { color: black }")
    (root.parent / "secret.txt").write_text("secret")
    return root


@dataclass
class Response:
    code: int
    headers: dict[str, str]
    body: bytes


class TestSiteFiles:
    """The server on a port of its own, its loop in a thread of its own (the browser tests
    of the same session keep an event loop running in the main thread)."""

    @pytest.fixture(autouse=True)
    def _server(self, tmp_path: Path) -> Iterator[None]:
        app = application(_site(tmp_path / "site"), 8000, set())
        sockets = bind_sockets(0, "127.0.0.1")
        self.port = sockets[0].getsockname()[1]
        loop = asyncio.new_event_loop()
        started = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            HTTPServer(app).add_sockets(sockets)
            loop.call_soon(started.set)
            loop.run_forever()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        started.wait(5)
        yield
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)

    def fetch(self, path: str, follow_redirects: bool = True, method: str = "GET") -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request(method, path)
        answer = connection.getresponse()
        response = Response(answer.status, dict(answer.getheaders()), answer.read())
        connection.close()
        if follow_redirects and response.code in (301, 302) and "Location" in response.headers:
            return self.fetch(response.headers["Location"])
        return response

    def test_a_page_gets_livereload_js_and_is_never_cached(self) -> None:
        response = self.fetch("/")
        assert response.code == 200
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        assert response.headers["Cache-Control"] == "no-store"
        assert response.body.endswith(
            b'<script src="/livereload.js?port=8000"></script>'
            b'<script src="/_palmares/problemes.js"></script></head></html>'
        )

    def test_the_problems_script_is_served(self) -> None:
        response = self.fetch("/_palmares/problemes.js")
        assert response.code == 200
        assert response.headers["Content-Type"] == "application/javascript; charset=utf-8"
        assert b"/_palmares/problemes" in response.body and b"textContent" in response.body

    def test_other_files_are_sent_as_they_are(self) -> None:
        response = self.fetch("/style.css")
        assert response.body == b"body { color: black }"
        assert response.headers["Content-Type"] == "text/css; charset=utf-8"

    def test_a_folder_without_its_slash_is_redirected(self) -> None:
        response = self.fetch("/pages", follow_redirects=False)
        assert (response.code, response.headers["Location"]) == (302, "/pages/")
        assert b"Pages" in self.fetch("/pages/").body

    def test_a_missing_path_gets_the_sites_404_page_rooted_at_the_site(self) -> None:
        response = self.fetch("/nulle/part/index.html")
        assert response.code == 404
        assert b'<head lang="fr"><base href="/"><link rel="stylesheet"' in response.body
        assert b"<h1>Page introuvable</h1>" in response.body

    def test_nothing_outside_the_site(self) -> None:
        for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt"):
            response = self.fetch(path)
            assert response.code in (400, 403, 404), path
            assert b"secret" not in response.body

    def test_livereload_js_is_livereloads_own(self) -> None:
        response = self.fetch("/livereload.js")
        assert response.code == 200
        assert b"LiveReload" in response.body

    def test_a_path_the_system_cannot_name_is_missing_too(self) -> None:
        for path in ("/a%00b", "/" + "x" * 5000):
            response = self.fetch(path)
            assert response.code == 404, path
            assert b"<h1>Page introuvable</h1>" in response.body

    def test_head_is_answered_like_get_without_a_body(self) -> None:
        response = self.fetch("/", method="HEAD")
        assert (response.code, response.body) == (200, b"")
        assert self.fetch("/perdue", method="HEAD").code == 404

    def test_other_errors_are_in_french(self) -> None:
        response = self.fetch("/", method="DELETE")
        assert response.code == 405
        assert response.body.decode() == (
            "Méthode non autorisée : l’aperçu ne fait que montrer le site\n"
        )

    def test_without_404_html_a_french_line(self, tmp_path: Path) -> None:
        (tmp_path / "site/404.html").unlink()
        response = self.fetch("/perdue")
        assert (response.code, response.body) == (404, b"Page introuvable\n")


def refused(tmp_path: Path, *options: str) -> tuple[int, str]:
    """`serve` with `options` on a small project, which must refuse to start: its exit
    status and the line it printed."""
    import subprocess
    import sys

    from tests.helpers import write_project

    source = write_project(tmp_path / "source")
    done = subprocess.run(
        [sys.executable, "build.py", "serve", "--source", str(source), *options],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stderr.strip()


def test_a_busy_port_is_said_in_french(tmp_path: Path) -> None:
    """« Address already in use » was printed as the system says it (an audit)."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        found = refused(tmp_path, "--port", str(port))
    assert found == (
        2,
        f"palmares : impossible d'écouter sur 127.0.0.1:{port} : ce port est déjà pris (un autre "
        "aperçu ?) : arrêtez-le, ou choisissez-en un autre avec --port",
    )


def test_an_unknown_host_is_named_as_such_not_as_a_port_to_change(tmp_path: Path) -> None:
    # It said the system's English words, then « choisissez un autre port avec --port »,
    # and sent the escape character of a stray paste to the terminal as it was.
    assert refused(tmp_path, "--host", "nulle\x1bpart") == (
        2,
        "palmares : impossible d'écouter sur nulle\\x1bpart:8000 : cette adresse est inconnue : "
        "donnez avec --host 127.0.0.1 (cette machine seule), 0.0.0.0 (les autres appareils du "
        "réseau aussi) ou le nom de cette machine",
    )


def test_a_page_closed_while_told_to_reload_prints_no_traceback() -> None:
    """A write to a page that closes meanwhile fails later, in its future: uncollected,
    asyncio printed « exception was never retrieved » and a traceback in the terminal (seen
    in CI). `send` collects it. In a thread of its own: its event loop is the only one
    there (the browser tests may leave one running in this thread)."""
    import gc

    from tornado.websocket import WebSocketClosedError

    from palmares.serve import send

    reported: list[str] = []

    class Page:
        def write_message(self, _message: object) -> asyncio.Future[None]:
            return writes[-1]

    writes: list[asyncio.Future[None]] = []

    def body() -> None:
        loop = asyncio.new_event_loop()
        loop.set_exception_handler(lambda _loop, context: reported.append(context["message"]))
        try:
            writes.append(loop.create_future())
            assert send(Page(), {"command": "reload"})  # type: ignore[arg-type]
            writes[-1].set_exception(WebSocketClosedError())
            loop.run_until_complete(asyncio.sleep(0))
            writes.clear()
            gc.collect()
            reported.append("collected")
            # The same failure, not collected: what asyncio says (the test can fail).
            writes.append(loop.create_future())
            writes[-1].set_exception(WebSocketClosedError())
            writes.clear()
            gc.collect()
        finally:
            loop.close()

    thread = threading.Thread(target=body)
    thread.start()
    thread.join(timeout=30)
    assert reported[0] == "collected", reported
    assert len(reported) == 2 and "never retrieved" in reported[1], reported


def test_the_rebuild_line_counts_pages_as_the_build_does() -> None:
    """« 96 663 pages », as build's summary says it (the line said « 96663 pages »)."""
    assert serve.rebuilt(Stats(pages=96_663, seconds=21.157)) == (
        "Reconstruit : 96 663 pages en 21,16 s"
    )
    assert serve.rebuilt(Stats(pages=1, seconds=0.1)) == "Reconstruit : 1 page en 0,10 s"


@pytest.mark.parametrize(
    ("host", "said"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000/"),
        ("::1", "http://[::1]:8000/"),
        ("0.0.0.0", "http://127.0.0.1:8000/, et depuis les autres appareils du réseau"),
        ("::", "http://[::1]:8000/, et depuis les autres appareils du réseau"),
    ],
)
def test_the_address_said_is_one_a_browser_opens(host: str, said: str) -> None:
    """Every interface (0.0.0.0) is no address to open; an IPv6 one takes brackets."""
    assert serve.address(host, 8000).startswith(said)
