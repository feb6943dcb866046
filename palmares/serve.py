"""Preview: build into a folder, serve it on 127.0.0.1 with livereload, rebuild on change.

A failed rebuild prints the problems and keeps serving the last good site (the build only
swaps a complete site in).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from livereload import Server

from palmares.pipeline import DEFAULT_LAYOUTS, build
from palmares.write import OutputError

if TYPE_CHECKING:
    from palmares.cli import Console

WATCHED = ("communes", "content", "layouts")


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
    server = Server()
    for name in WATCHED:
        folder = source / name
        if folder.is_dir():
            server.watch(str(folder), rebuild, delay=0.2)
    if DEFAULT_LAYOUTS.is_dir() and (source / "layouts").resolve() != DEFAULT_LAYOUTS.resolve():
        server.watch(str(DEFAULT_LAYOUTS), rebuild, delay=0.2)
    print(f"Aperçu sur http://{host}:{port}/ (Ctrl+C pour arrêter)", file=console.err)
    try:
        server.serve(root=str(target), host=host, port=port, open_url_delay=None, restart_delay=0)
    except KeyboardInterrupt:
        pass
    finally:
        if temporary:
            shutil.rmtree(target.parent, ignore_errors=True)
    return 0
