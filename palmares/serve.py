"""Preview: build into a folder, serve it on 127.0.0.1 with livereload, rebuild on change.

A failed rebuild prints the problems and keeps serving the last good site (the build only
swaps a complete site in).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles
from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import ioloop

from palmares.console import Console
from palmares.output.write import OutputError
from palmares.pipeline import DEFAULT_LAYOUTS, build, source_cache

WATCHED = ("communes", "content", "layouts")
SETTLE_MS = 50
"""How long the folders must stay quiet after a change before the rebuild starts: an
editor's save (write, rename, chmod) arrives as a burst of events."""
POLL_MS = 200
"""Where the system sends no notifications: how often the files are looked at."""


class _Watcher(Watcher):  # type: ignore[misc]
    """livereload's watcher, told of changes by the operating system (watchfiles: inotify,
    FSEvents or ReadDirectoryChangesW) instead of walking every source file on a timer: a
    save is seen within about 50 ms, and an idle preview costs no CPU. livereload's own
    polling stats each of the 8 000 files of a realistic corpus twice per round (40 ms)."""

    def __init__(self) -> None:
        super().__init__()
        self._pending: set[str] = set()
        self._guard = threading.Lock()
        self.stop = threading.Event()

    def start(self, callback: Callable[[], None]) -> bool:
        loop = ioloop.IOLoop.current()
        folders = [path for path in self._tasks if os.path.isdir(path)]

        def listen(polling: bool) -> None:
            for changes in watchfiles.watch(
                *folders,
                debounce=SETTLE_MS * 4,
                step=SETTLE_MS,
                stop_event=self.stop,
                raise_interrupt=False,
                force_polling=polling or None,
                poll_delay_ms=POLL_MS,
            ):
                with self._guard:
                    self._pending.update(path for _change, path in changes)
                loop.add_callback(callback)

        def run() -> None:
            try:
                listen(polling=False)
            except (OSError, RuntimeError):
                # No notifications here (inotify's watch limit reached, a network file
                # system): watchfiles looks at the files itself instead.
                listen(polling=True)

        threading.Thread(target=run, name="palmares-watch", daemon=True).start()
        return True

    def examine(self) -> tuple[str | None, float | None]:
        """Called on the server's loop after a change: rebuild once, then tell livereload
        which file changed so that it reloads the browsers."""
        with self._guard:
            changed, self._pending = self._pending, set()
        if not changed:
            return None, None
        self.filepath = min(changed)
        tasks = {id(task["func"]): task["func"] for task in self._tasks.values() if task["func"]}
        for rebuild in tasks.values():
            rebuild()
        return self.filepath, None


def serve(
    source: Path, out: Path | None, *, host: str, port: int, strict: bool, console: Console
) -> int:
    temporary = out is None
    target = Path(tempfile.mkdtemp(prefix="palmares-serve-")) / "site" if out is None else out

    # Kept across rebuilds: each file's analysis is unpickled once, not at every save.
    cache = source_cache(source)

    def rebuild() -> None:
        try:
            result = build(source, target, strict=strict, cache=cache)
            # Saved once livereload has told the browsers (the next turn of its loop).
            ioloop.IOLoop.current().add_callback(cache.save)
        except OutputError as err:
            print(f"palmares: {err}", file=console.err)
            return
        for problem in result.problems:
            console.problem(problem, "text")
        if result.errors:
            print(
                "La construction a échoué : le dernier site valide reste affiché.", file=console.err
            )
        else:
            print(
                f"Reconstruit : {result.stats.pages} pages en {result.stats.seconds:.2f} s",
                file=console.err,
            )

    rebuild()
    if not target.is_dir():
        print(
            "palmares: le site n'a jamais pu être construit ; corrigez les problèmes ci-dessus.",
            file=console.err,
        )
        return 1
    # livereload ignores a change made less than 3 s after its last reload (it expects
    # bursts of saves): an editor's second quick fix would never show. The build is
    # incremental and the reload follows it, so there is no burst to absorb.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    watcher = _Watcher()
    server = Server(watcher=watcher)
    for name in WATCHED:
        folder = source / name
        if folder.is_dir():
            server.watch(str(folder), rebuild)
    if DEFAULT_LAYOUTS.is_dir() and (source / "layouts").resolve() != DEFAULT_LAYOUTS.resolve():
        server.watch(str(DEFAULT_LAYOUTS), rebuild)
    print(f"Aperçu sur http://{host}:{port}/ (Ctrl+C pour arrêter)", file=console.err)
    try:
        server.serve(
            root=str(target),
            host=host,
            port=port,
            open_url_delay=None,
            restart_delay=0,
            live_css=False,  # always a full reload: a page's content may have changed too
        )
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop.set()
        cache.save()
        if temporary:
            shutil.rmtree(target.parent, ignore_errors=True)
    return 0
