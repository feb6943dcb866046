"""From saving a file to the browser showing the change, in `python build.py serve`.

    python -m bench.serve_latency [--source DIR] [--edits 5]

Starts the preview server on a corpus (by default a fresh realistic one), opens the page of
a collectivité's département in headless Chromium (Playwright driving /usr/bin/chromium),
then renames the collectivité in its YAML file several times and measures, each time, how
long until the page, reloaded by the server once it has rebuilt the site, shows the new name. The département page is
watched rather than the collectivité's own, whose address follows its name.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/serve_latency.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    CHROMIUM,
    CHROMIUM_ARGS,
    EDITED_CODE,
    REALISTIC,
    ROOT,
    commune_source,
    format_seconds,
    generate,
    missing_browser,
    missing_engine,
)

STARTUP_SECONDS = 900.0
"""The first build of a large corpus, on a busy machine, before the server answers."""
EDIT_TIMEOUT = 120.0
"""An edit not shown by then counts as missed (None), and the page is reloaded by hand."""
SETTLE_SECONDS = 1.0
"""Between edits: the reloaded page's livereload.js connects again to the server, which
tells only the pages connected when a rebuild ends."""

_SHOWS = "name => document.body !== null && document.body.textContent.includes(name)"
_NOM = re.compile(r"(?m)^nom:.*$")
_DEPARTEMENT = re.compile(r'(?m)^departement:\s*"?([0-9AB]+)"?\s*$')


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_http(url: str, deadline: float, server: subprocess.Popen[bytes]) -> None:
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"`build.py serve` exited {server.returncode} before serving")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer")


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Ctrl+C as a person would stop it (it then removes its temporary folder)."""
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


EDITS = ("rename", "body")
"""What is edited: the collectivité's `nom` (shown on its département's page, and on every
list that names it), or a line added to the body of one of its actions (its page only)."""


def action_of(source: Path, code: str) -> tuple[Path, str]:
    """One write-up of the collectivité `code` (the first by path) and its page's path."""
    from palmares.text import slugify

    root = source / "content" / "actions"
    for path in sorted(root.rglob("*.md")):
        if f'commune: "{code}"' in path.read_text(encoding="utf-8"):
            parts = path.relative_to(root).with_suffix("").parts
            return path, "actions/" + "/".join(slugify(p) for p in parts) + "/index.html"
    raise LookupError(f"no write-up of {code} in {source}")


def measure_latency(
    source: Path,
    *,
    edits: int = 5,
    code: str = EDITED_CODE,
    engine: Path = ROOT,
    log: Path | None = None,
    say: Callable[[str], None] = print,
    edit: str = "rename",
    env: dict[str, str] | None = None,
) -> list[float | None]:
    """Seconds from each save to the browser showing it (None if it did not show within
    EDIT_TIMEOUT), with the engine of `engine` (a folder holding build.py, palmares/ and
    layouts/) run in `env` (None: this process's environment): `edit` is one of EDITS. The
    edited file is put back as it was at the end."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from palmares.site import urls
    from palmares.territory import DEPARTEMENTS

    yaml_file = commune_source(source, code)
    text = yaml_file.read_text(encoding="utf-8")
    found = _DEPARTEMENT.search(text)
    nom = _NOM.search(text)
    if found is None or nom is None:
        raise LookupError(f"{yaml_file}: no `departement` or `nom`")
    original = json.loads(nom.group(0)[4:]) if '"' in nom.group(0) else nom.group(0)[4:].strip()
    port = _free_port()
    url = f"http://127.0.0.1:{port}/{urls.departement(DEPARTEMENTS[found.group(1)])}"
    edited, before = yaml_file, text
    if edit == "body":
        edited, page_path = action_of(source, code)
        before = edited.read_text(encoding="utf-8")
        url = f"http://127.0.0.1:{port}/{page_path}"
    command = [sys.executable, str(engine / "build.py"), "serve", "--source", str(source)]
    command += ["--port", str(port)]
    output = log.open("ab") if log is not None else subprocess.DEVNULL
    server = subprocess.Popen(command, cwd=engine, env=env, stdout=output, stderr=subprocess.STDOUT)
    latencies: list[float | None] = []
    try:
        _wait_http(url, time.monotonic() + STARTUP_SECONDS, server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            page = browser.new_page()
            page.goto(url, wait_until="load")
            time.sleep(1.0)  # livereload.js connects its websocket after the load
            for k in range(1, edits + 1):
                if edit == "body":
                    name = f"Modification {k} du banc d’essai."
                    new = before.rstrip("\n") + f"\n\n{name}\n"
                else:
                    name = f"{original} essai {k}"
                    line = "nom: " + json.dumps(name, ensure_ascii=False)
                    new = text[: nom.start()] + line + text[nom.end() :]
                started = time.perf_counter()
                edited.write_text(new, encoding="utf-8")
                deadline = started + EDIT_TIMEOUT
                shown: float | None = None
                while shown is None and time.perf_counter() < deadline:
                    try:
                        if page.evaluate(_SHOWS, name):
                            shown = time.perf_counter() - started
                    except PlaywrightError:
                        pass  # the page is being reloaded
                    time.sleep(0.02)
                latencies.append(shown)
                if shown is None:
                    say(f"serve, {edit} {k}/{edits}: not shown in {EDIT_TIMEOUT:.0f} s")
                    page.reload(wait_until="load")
                else:
                    say(f"serve, {edit} {k}/{edits}: {format_seconds(shown)}")
                time.sleep(SETTLE_SECONDS)
            browser.close()
    finally:
        _stop(server)
        edited.write_text(before, encoding="utf-8")
        if log is not None and not isinstance(output, int):
            output.close()
    return latencies


def summary(latencies: list[float | None]) -> str:
    shown = [v for v in latencies if v is not None]
    text = f"median: {format_seconds(statistics.median(shown))}" if shown else "never shown"
    missed = len(latencies) - len(shown)
    if missed:
        text += f" ({missed} of {len(latencies)} edits never shown within {EDIT_TIMEOUT:.0f} s)"
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.serve_latency",
        description="Measure the time from saving a file to the browser showing it, "
        "with `build.py serve`.",
    )
    parser.add_argument(
        "--source", type=Path, metavar="DIR",
        help="corpus to use (edited, then put back); default: a new realistic one",
    )  # fmt: skip
    parser.add_argument("--edits", type=int, default=5, help="edits measured (5)")
    parser.add_argument(
        "--edit", choices=EDITS, default="rename",
        help="rename the collectivité (default) or add a line to one of its write-ups",
    )  # fmt: skip
    args = parser.parse_args(argv)
    problems = missing_engine() + missing_browser()
    if problems:
        print("This benchmark needs:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    work = None
    source = args.source
    if source is None:
        work = Path(tempfile.mkdtemp(prefix="palmares-serve-bench-"))
        source = work / "corpus"
        generate(REALISTIC, source)
    try:
        latencies = measure_latency(source, edits=args.edits, edit=args.edit)
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    print(summary(latencies))
    return 0


if __name__ == "__main__":
    sys.exit(main())
