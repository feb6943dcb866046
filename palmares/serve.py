"""Preview: build into a folder, serve it on 127.0.0.1 with livereload, rebuild on change.

A failed rebuild prints the problems and keeps serving the last good site (the build only
swaps a complete site in).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import ioloop

from palmares.pipeline import DEFAULT_LAYOUTS, build
from palmares.write import OutputError

if TYPE_CHECKING:
    from palmares.cli import Console

WATCHED = ("communes", "content", "layouts")
POLL_MS = 200
"""How often the watched folders are looked at (livereload's own default is 0,8 s)."""


class _Watcher(Watcher):  # type: ignore[misc]
    """livereload's polling watcher, polled more often so a save shows within a second."""

    def start(self, callback: Callable[[], None]) -> bool:
        ioloop.PeriodicCallback(callback, POLL_MS).start()
        return True


def serve(
    source: Path, out: Path | None, *, host: str, port: int, strict: bool, console: Console
) -> int:
    temporary = out is None
    target = Path(tempfile.mkdtemp(prefix="palmares-serve-")) / "site" if out is None else out

    def rebuild() -> None:
        try:
            result = build(source, target, strict=strict)
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
    server = Server(watcher=_Watcher())
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
        if temporary:
            shutil.rmtree(target.parent, ignore_errors=True)
    return 0
