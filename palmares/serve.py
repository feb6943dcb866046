"""Preview: build into a folder, serve it over HTTP, rebuild at each save, reload the browsers.

A failed rebuild prints the problems and keeps serving the last good site (the build only
swaps a complete site in); the open pages show the problems over it (data/serve-problems.js,
told by the `Problems` websocket), and reload once a good rebuild is in place.

A small tornado application of our own rather than livereload's `Server`, whose public API
cannot send every save to the browser (livereload 2.7.1): `LiveReloadHandler.poll_tasks`
ignores a change seen less than `DEFAULT_RELOAD_TIME` (3 s) after its last reload, or
`max(3 - delay, 1)` s with a float `delay`, which also postpones the reload by `delay`; and
`Watcher.examine` keeps only float delays, so `delay="forever"` never reaches it. livereload
still drives the browser side: its livereload.js (served by its `LiveReloadJSHandler`)
speaks the LiveReload protocol to `Browser` below.
"""

from __future__ import annotations

import asyncio
import errno
import json
import mimetypes
import os
import re
import shutil
import signal
import socket
import tempfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, NamedTuple

import watchfiles
from livereload.handlers import LiveReloadJSHandler
from tornado import httpserver, netutil, web, websocket

from palmares import resources
from palmares.console import Console
from palmares.content.config import FILE as CONFIG
from palmares.freshness import Stats, content_folders
from palmares.output.cache import ParseCache
from palmares.output.write import OutputError
from palmares.pipeline import build
from palmares.site import layouts, urls
from palmares.text import plain_spaces, plural, shown_path, system_reason

ROOT_FILES = frozenset({CONFIG})
"""The files at the top of the source that a save there rebuilds too."""
SETTLE_MS = 50
"""How long the folders must stay quiet after a change before the rebuild starts: an
editor's save (write, rename, chmod) arrives as a burst of events."""
BURST_MS = 200
"""The longest a burst of changes is gathered before the rebuild starts anyway."""
POLL_MS = 200
"""Where the system sends no notifications: how often the files are looked at."""
PROTOCOL = "http://livereload.com/protocols/official-7"
RELOAD = {"command": "reload", "path": "/", "liveCSS": False, "liveImg": False}
"""Always a full reload: a page's content may have changed with its style."""
_HEAD = re.compile(rb"<head(?:\s[^>]*)?>", re.IGNORECASE)


def send(page: websocket.WebSocketHandler, message: dict[str, Any]) -> bool:
    """`message` to an open page; False when it is closed already. One that closes while the
    message is on its way (a reload, a tab closed) is not an error: the write's outcome is
    collected, so asyncio does not print its traceback as « never retrieved »."""
    try:
        sent = page.write_message(message)
    except websocket.WebSocketClosedError:
        return False
    sent.add_done_callback(_collected)
    return True


def _collected(sent: asyncio.Future[None]) -> None:
    if not sent.cancelled():
        sent.exception()  # a page gone meanwhile: nothing to tell it


class Browser(websocket.WebSocketHandler):
    """An open page, through livereload.js: told to reload after each good rebuild."""

    def initialize(self, browsers: set[Browser]) -> None:
        self.browsers = browsers

    def on_message(self, message: str | bytes) -> None:
        try:
            command = json.loads(message).get("command")
        except (ValueError, AttributeError):
            return
        if command == "hello":
            hello = {"command": "hello", "protocols": [PROTOCOL], "serverName": "palmares"}
            if send(self, hello):
                self.browsers.add(self)

    def on_close(self) -> None:
        self.browsers.discard(self)


class Said(NamedTuple):
    """What a rebuild has to say: the errors that stopped it, or the new site's warnings."""

    errors: list[str]
    warnings: list[str]


class Shown:
    """The last build's problems, as every open page shows them: the errors that stopped
    it, or the warnings of a good one (the site is built; an editor previewing in the
    browser reads them there, not only in the terminal)."""

    def __init__(self) -> None:
        self.said = Said([], [])
        self.pages: set[Problems] = set()

    def message(self) -> dict[str, list[str]]:
        return {"problemes": self.said.errors, "avertissements": self.said.warnings}

    def tell(self, said: Said) -> None:
        self.said = said
        for page in list(self.pages):
            if not send(page, self.message()):
                self.pages.discard(page)


class Problems(websocket.WebSocketHandler):
    """An open page, through data/serve-problems.js: told the last build's problems."""

    def initialize(self, shown: Shown) -> None:
        self.shown = shown

    def open(self, *args: str, **kwargs: str) -> None:
        self.shown.pages.add(self)
        send(self, self.shown.message())

    def on_close(self) -> None:
        self.shown.pages.discard(self)


class SiteFile(web.RequestHandler):
    """A file of the built site, read at each request (a rebuild may have changed it), with
    livereload.js added to each page; the site's own 404.html for a missing one. Whatever
    goes wrong is told in French: never tornado's English "404: Not Found"."""

    def initialize(self, root: Path, script: bytes) -> None:
        self.root = root
        self.script = script

    def compute_etag(self) -> None:
        return None

    def head(self, path: str) -> None:
        self.get(path)

    def get(self, path: str) -> None:
        root = self.root.resolve()
        try:
            file = (root / path).resolve()
            inside = file.is_relative_to(root)
            if inside and file.is_dir():
                if path and not path.endswith("/"):
                    # Relative links resolve from the folder, not from its parent.
                    self.redirect(f"/{path}/")
                    return
                file = file / "index.html"
            found = inside and file.is_file()
        except (OSError, ValueError):  # a NUL byte, a name too long for the system
            found = False
        if not found:
            self.send_error(404)
            return
        self.send_file(file)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        page = self.root / urls.NOT_FOUND
        if status_code == 404 and page.is_file():
            self.send_file(page)
            return
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish_unless_head((_ERRORS.get(status_code, f"Erreur {status_code}") + "\n").encode())

    def send_file(self, file: Path) -> None:
        body = file.read_bytes()
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind == "text/html":
            body = body.replace(b"</head>", self.script + b"</head>", 1)
            if self.get_status() == 404:
                # 404.html's links are relative to the site's root, wherever it is shown.
                body = _HEAD.sub(lambda head: head[0] + b'<base href="/">', body, count=1)
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        self.set_header("Content-Type", kind)
        self.set_header("Cache-Control", "no-store")
        self.finish_unless_head(body)

    def finish_unless_head(self, body: bytes) -> None:
        self.finish(None if self.request.method == "HEAD" else body)


_ERRORS = {
    404: "Page introuvable",
    405: "Méthode non autorisée : l’aperçu ne fait que montrer le site",
    500: "Erreur interne de l’aperçu : voyez le terminal",
}


def _quiet(handler: web.RequestHandler) -> None:
    """No access log: the terminal shows the editors' problems, not every request."""


class Script(web.RequestHandler):
    """The script that shows the problems in the page."""

    def get(self) -> None:
        self.set_header("Content-Type", "application/javascript; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(resources.data("serve-problems.js").read_bytes())


def application(
    root: Path, port: int, browsers: set[Browser], shown: Shown | None = None
) -> web.Application:
    script = (
        f'<script src="/livereload.js?port={port}"></script>'
        '<script src="/_palmares/problemes.js"></script>'
    ).encode()
    return web.Application(
        [
            (r"/livereload", Browser, {"browsers": browsers}),
            (r"/livereload\.js", LiveReloadJSHandler),
            (r"/_palmares/problemes", Problems, {"shown": shown or Shown()}),
            (r"/_palmares/problemes\.js", Script),
            (r"/(.*)", SiteFile, {"root": root, "script": script}),
        ],
        log_function=_quiet,
    )


Burst = set[tuple[watchfiles.Change, str]]


async def changes(folders: list[Path], root: Path | None = None) -> AsyncIterator[Burst]:
    """Each burst of changes in `folders`, and of the files at the top of `root` named in
    ROOT_FILES (the site's configuration), told by the operating system (inotify, FSEvents
    or ReadDirectoryChangesW): a save is seen within about 50 ms, and an idle preview costs
    no CPU. watchfiles waits for them in threads of its own; `root` is watched alone, not
    its subfolders (the site built inside it, a .git)."""
    told: asyncio.Queue[Burst | BaseException] = asyncio.Queue()

    async def tell(bursts: AsyncIterator[Burst]) -> None:
        try:
            async for burst in bursts:
                await told.put(burst)
        except BaseException as err:  # to the reader, which raises it
            await told.put(err)
            raise

    def top(_change: watchfiles.Change, path: str) -> bool:
        return Path(path).name in ROOT_FILES

    watchers = [asyncio.create_task(tell(_bursts(folders, recursive=True)))]
    if root is not None:
        watchers.append(asyncio.create_task(tell(_bursts([root], recursive=False, only=top))))
    try:
        while True:
            burst = await told.get()
            if isinstance(burst, BaseException):
                raise burst
            yield burst
    finally:
        for watcher in watchers:
            watcher.cancel()


async def _bursts(
    paths: list[Path],
    *,
    recursive: bool,
    only: Callable[[watchfiles.Change, str], bool] | None = None,
) -> AsyncIterator[Burst]:
    def watch(polling: bool | None) -> AsyncIterator[Burst]:
        return watchfiles.awatch(
            *paths,
            watch_filter=only,
            recursive=recursive,
            debounce=BURST_MS,
            step=SETTLE_MS,
            force_polling=polling,
            poll_delay_ms=POLL_MS,
        )

    polling: bool | None = None
    while True:
        try:
            async for burst in watch(polling):
                yield burst
            return
        except Exception as err:
            odd = _undecodable(err)
            if odd is not None:
                # A file whose name is not UTF-8 changed (copied from a Latin-1 zip, say):
                # watchfiles cannot tell it and stops. The rebuild names it as a problem,
                # and a new watcher goes on.
                yield {(watchfiles.Change.modified, odd)}
            elif polling is None and isinstance(err, (OSError, RuntimeError)):
                # No notifications here (inotify's watch limit reached, a network file
                # system): watchfiles looks at the files itself instead.
                polling = True
            else:
                raise


def _undecodable(err: BaseException) -> str | None:
    """watchfiles' message when it met a path it cannot decode as UTF-8 (raised alone, or in
    the group of its threads' errors); None for any other error."""
    if isinstance(err, BaseExceptionGroup):
        return next(filter(None, map(_undecodable, err.exceptions)), None)
    message = str(err)
    return message if "Unable to decode path" in message else None


async def preview(
    sockets: list[socket.socket],
    app: web.Application,
    folders: list[Path],
    rebuild: Callable[[], Said],
    browsers: set[Browser],
    save: Callable[[], None],
    shown: Shown,
    root: Path | None = None,
) -> None:
    """Serve the site until cancelled (Ctrl+C), rebuilding at each change of `folders` or of
    the configuration at the top of `root`; after each rebuild, tell the open pages its
    problems (`rebuild` returns them); after a good one, reload the browsers and then save
    the parse cache."""
    task = asyncio.current_task()
    if task is not None:  # `kill` (a test, a supervisor) ends it as cleanly as Ctrl+C
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    server = httpserver.HTTPServer(app)
    server.add_sockets(sockets)
    try:
        async for _burst in changes(folders, root):
            said = rebuild()
            shown.tell(said)
            if not said.errors:
                for browser in list(browsers):
                    if not send(browser, RELOAD):
                        browsers.discard(browser)
                save()
    finally:
        server.stop()


def _refusal(err: OSError) -> str:
    """Why the preview cannot listen, in French, and what to do."""
    if err.errno == errno.EADDRINUSE:
        return "ce port est déjà pris (un autre aperçu ?) : arrêtez-le, ou choisissez-en un autre avec --port"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "ce port est réservé : choisissez-en un au-dessus de 1024 avec --port"
    if err.errno == errno.EADDRNOTAVAIL:
        return (
            "cette adresse n'est pas celle de cette machine : choisissez-en une autre avec --host"
        )
    if isinstance(err, socket.gaierror):  # a name no resolver knows (a typo, a stray key)
        return (
            "cette adresse est inconnue : donnez avec --host 127.0.0.1 (cette machine seule), "
            "0.0.0.0 (les autres appareils du réseau aussi) ou le nom de cette machine"
        )
    return f"{system_reason(err)} : choisissez une autre adresse avec --host, ou un autre port avec --port"


def _unwatchable(folders: list[Path]) -> str | None:
    """Why the preview cannot watch one of `folders`, in French; None when it can. The
    operating system's watcher (watchfiles) takes a path as text: a folder whose name is not
    UTF-8 (written in Latin-1, from an old Windows machine's USB key or zip) cannot be given
    to it, though build and check read it."""
    for folder in folders:
        try:
            os.path.realpath(folder).encode("utf-8")  # the watcher tells changes by real path
        except UnicodeEncodeError:
            return (
                f"l'aperçu ne peut pas surveiller {shown_path(folder)} : son nom n'est pas en "
                "UTF-8 (il a été écrit dans un autre encodage, Latin-1 par exemple) : renommez "
                "le dossier en retapant ses lettres accentuées (build et check le lisent tel "
                "quel)"
            )
    return None


def address(host: str, port: int) -> str:
    """Where a browser finds the preview: on this machine when it listens on every interface
    (0.0.0.0 is no address to open), an IPv6 address in brackets."""
    if host in ("", "0.0.0.0", "::"):
        here = "127.0.0.1" if host != "::" else "[::1]"
        return (
            f"http://{here}:{port}/, et depuis les autres appareils du réseau à l'adresse de "
            "cette machine"
        )
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def rebuilt(stats: Stats) -> str:
    """The line each successful rebuild prints: the pages counted as the build's own summary
    counts them, the time to the hundredth (a rebuild often takes a tenth)."""
    seconds = f"{stats.seconds:.2f}".replace(".", ",")
    return f"Reconstruit : {plain_spaces(plural(stats.pages, 'page'))} en {seconds} s"


def serve(
    source: Path,
    out: Path | None,
    *,
    host: str,
    port: int,
    strict: bool,
    console: Console,
    cache: ParseCache,
    drafts: bool = True,
) -> int:
    """`cache` is kept warm across rebuilds: each file's result is unpickled once.
    `drafts`: the editions under embargo are shown, marked as drafts (a preview)."""
    folders = [folder for folder in content_folders(source) if folder.is_dir()]
    if layouts.DEFAULT.is_dir() and os.path.realpath(source / "layouts") != os.path.realpath(
        layouts.DEFAULT
    ):  # realpath: a `layouts` link in a loop is a problem of the build, not a traceback
        folders.append(layouts.DEFAULT)
    unwatchable = _unwatchable([source, *folders])
    if unwatchable is not None:
        print(f"palmares : {unwatchable}", file=console.err)
        return 2
    try:
        sockets = netutil.bind_sockets(port, host)
    except OSError as err:
        print(
            f"palmares : impossible d'écouter sur {shown_path(host)}:{port} : {_refusal(err)}",
            file=console.err,
        )
        return 2
    port = sockets[0].getsockname()[1]  # the one the system chose, for --port 0
    temporary = out is None
    target = Path(tempfile.mkdtemp(prefix="palmares-serve-")) / "site" if out is None else out

    def rebuild(workers: int | None = 1) -> Said:
        """What stops the build (no error when a new site is in place), or the warnings of
        the new site. One process (`workers=1`) once the watcher's threads run: forking a
        process that has threads may deadlock the children."""
        try:
            result = build(
                source, target, strict=strict, cache=cache, workers=workers, drafts=drafts
            )
        except OutputError as err:
            print(f"palmares : {err}", file=console.err)
            return Said([str(err)], [])
        for problem in result.problems:
            console.problem(problem, "text")
        if result.errors:
            print(
                "La construction a échoué : le dernier site valide reste affiché.", file=console.err
            )
            return Said([str(problem) for problem in result.errors], [])
        print(rebuilt(result.stats), file=console.err)
        return Said([], [str(problem) for problem in result.problems])

    try:
        first = rebuild(workers=None)  # no thread yet: the first build uses every core
        if not target.is_dir():
            print(
                "palmares : le site n'a jamais pu être construit ; corrigez les problèmes ci-dessus.",
                file=console.err,
            )
            return 1
        cache.save()
        browsers: set[Browser] = set()
        shown = Shown()
        shown.tell(first)  # an earlier site, from --out: its pages show why it is not new
        app = application(target, port, browsers, shown)
        print(f"Aperçu sur {address(host, port)} (Ctrl+C pour arrêter)", file=console.err)
        asyncio.run(preview(sockets, app, folders, rebuild, browsers, cache.save, shown, source))
    except (KeyboardInterrupt, asyncio.CancelledError):
        pass
    finally:
        for sock in sockets:
            sock.close()
        cache.save()
        if temporary:
            shutil.rmtree(target.parent, ignore_errors=True)
    return 0
