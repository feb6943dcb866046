"""Search in real Chromium on synthetic corpora: what a reader downloads before the first
result, and how long each keystroke takes to show its results.

    python bench/search.py [--corpus realistic|national|both] [--work DIR] [--seed 3]

For each corpus: `python -m palmares.dev.synth`, `python build.py`, then for each query a fresh
tab opens the search page from file:// (the USB key; a web server adds only transfer time),
waits for it to load, and types the query one key every 120 ms, as a quick typist does;
once every part is indexed, it types the query again. The
page measures each keystroke itself, from the input event to the results in the page
(`performance.measure("search")` in layouts/static/search.js), so the figures hold no
Playwright overhead. Bytes are the gzip (level 6, as web servers use) of every file the
page had requested when the first results appeared.

Budgets (issue 4): realistic ≤ 300 KB before the first result, national ≤ 1 MB; first
results ≤ 300 ms after the first keystroke; then ≤ 30 ms per keystroke. Prints Markdown
for docs/benchmarks.md. The national build takes a few minutes: it stays out of the tests.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from palmares.site import search, urls  # noqa: E402
from palmares.text import format_int  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
CORPORA = {
    "realistic": ("réaliste", 2_000, 6_000, 20, 300_000),
    "national": ("national", 35_000, 60_000, 25, 1_000_000),
}
QUERIES = (
    "marcq en baroeul",
    "saint denis",
    "numériques",
    "teletravial",
    "villeneuve d ascq",
    "isle adam",
    "nord",
    "marq en bareul",  # typos in short words (issue 15)
    "ateliers intergenerationnels",  # in write-ups only
    "logiciels libres saint",
)
KEY_DELAY_MS = 120
FIRST_BUDGET_MS, KEY_BUDGET_MS = 300.0, 30.0


@dataclass
class Run:
    query: str
    first_ms: float
    during_ms: list[float]
    """Keystrokes after the first while the actions and text parts were loaded and indexed."""
    after_ms: list[float]
    bytes_gzip: int
    files: list[str]


@dataclass
class Corpus:
    name: str
    budget: int
    parts: dict[str, tuple[int, int]] = field(default_factory=dict)
    ready_ms: list[float] = field(default_factory=list)
    parts_ready_ms: list[float] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def build(key: str, work: Path, seed: int, reuse: bool) -> Corpus:
    name, communes, actions, editions, budget = CORPORA[key]
    source, site = work / key / "source", work / key / "site"
    if not source.exists():
        subprocess.run(
            [sys.executable, "-m", "palmares.dev.synth", "--communes", str(communes),
             "--actions", str(actions), "--editions", str(editions), "--seed", str(seed),
             str(source)],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    log = work / key / "build.log"
    if reuse and (site / urls.SEARCH).is_file():
        for rel in (search.LIBRARY, urls.static("search.js")):  # this checkout's scripts
            (site / rel).write_bytes((ROOT / "layouts" / rel).read_bytes())
        return _corpus(name, budget, site)
    with log.open("w") as out:
        done = subprocess.run(
            [sys.executable, "build.py", "--source", str(source), "--out", str(site)],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, check=False,
        )  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"the {name} build failed: see {log}")
    return _corpus(name, budget, site)


def _corpus(name: str, budget: int, site: Path) -> Corpus:
    corpus = Corpus(name, budget)
    for label, rel in (
        ("MiniSearch", search.LIBRARY),
        ("search.js", urls.static("search.js")),
        ("partie principale", search.INDEX_FILE),
    ):
        corpus.parts[label] = ((site / rel).stat().st_size, gzip_size(site / rel))
    for label, pattern in (("actions", "search-actions-*.js"), ("texte", "search-text-*.js")):
        parts = sorted(site.glob(f"static/{pattern}"))
        corpus.parts[f"parties {label} ({len(parts)})"] = (
            sum(p.stat().st_size for p in parts),
            sum(gzip_size(p) for p in parts),
        )
    return corpus


def measure(corpus: Corpus, site: Path, browser: object, query: str) -> Run:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto((site / urls.SEARCH).as_uri(), wait_until="load")
    page.wait_for_function("performance.getEntriesByName('search-ready').length > 0")
    corpus.ready_ms.append(
        page.evaluate("performance.getEntriesByName('search-ready')[0].startTime")
    )
    page.focus("#q")
    # The first results are shown by the first key's input handler itself, which asks for
    # the actions part only after them: what loads before the first result is what the
    # page requested before that key.
    before_first = list(requested)
    page.keyboard.type(query[0])
    page.wait_for_function("performance.getEntriesByName('search').length > 0")
    for key in query[1:]:
        page.wait_for_timeout(KEY_DELAY_MS)
        page.keyboard.type(key)
    page.wait_for_function(
        f"performance.getEntriesByName('search').length >= {len(query)}"
        " && performance.getEntriesByName('search-parts-ready').length > 0",
        timeout=60_000,
    )
    # Once everything is indexed (the write-ups take seconds at national scale), the same
    # query typed again: the keystrokes of a reader who comes back to the field.
    page.fill("#q", "")
    for key in query:
        page.wait_for_timeout(KEY_DELAY_MS)
        page.keyboard.type(key)
    page.wait_for_function(f"performance.getEntriesByName('search').length >= {2 * len(query) + 1}")
    times = page.evaluate("performance.getEntriesByName('search').map(m => m.duration)")
    starts = page.evaluate("performance.getEntriesByName('search').map(m => m.startTime)")
    ready = page.evaluate("performance.getEntriesByName('search-parts-ready')[0].startTime")
    corpus.parts_ready_ms.append(ready)
    context.close()
    files = sorted({unquote(urlsplit(u).path) for u in before_first if u.startswith("file:")})
    measured = list(zip(starts, times, strict=True))
    keys = measured[1 : len(query)] + measured[len(query) + 1 :]  # not the field cleared
    return Run(
        query,
        times[0],
        [t for start, t in keys if start < ready],
        [t for start, t in keys if start >= ready],
        sum(gzip_size(Path(f)) for f in files),
        files,
    )


def ms(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + "\u00a0ms"


def kb(value: int) -> str:
    return format_int(round(value / 1000)) + "\u00a0Ko"


def spread(values: list[float]) -> str:
    if not values:
        return "–"
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    verdict = "✓" if p95 <= KEY_BUDGET_MS else "✗"
    return f"{ms(statistics.median(values))} / {ms(p95)} / {ms(values[-1])} {verdict}"


def report(corpora: list[Corpus]) -> str:
    lines = [
        "| corpus | avant le 1er résultat (gzip) | 1re frappe (max) | frappes suivantes, "
        "actions en cours d'indexation (médiane / p95 / max) | frappes suivantes, tout indexé "
        "| index prêt après | actions prêtes après |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in corpora:
        first = [r.first_ms for r in c.runs]
        loaded = max(r.bytes_gzip for r in c.runs)
        verdict = "✓" if loaded <= c.budget else "✗"
        lines.append(
            f"| {c.name} | {kb(loaded)} {verdict} (budget {kb(c.budget)}) "
            f"| {ms(max(first))} {'✓' if max(first) <= FIRST_BUDGET_MS else '✗'} "
            f"| {spread([k for r in c.runs for k in r.during_ms])} "
            f"| {spread([k for r in c.runs for k in r.after_ms])} "
            f"| {ms(statistics.median(c.ready_ms))} | {ms(statistics.median(c.parts_ready_ms))} |"
        )
    lines += ["", "| corpus | fichier | octets | gzip |", "|---|---|---|---|"]
    for c in corpora:
        for label, (raw, packed) in c.parts.items():
            lines.append(f"| {c.name} | {label} | {kb(raw)} | {kb(packed)} |")
    lines += ["", "| corpus | fichiers chargés avant le 1er résultat |", "|---|---|"]
    for c in corpora:
        files = {f for r in c.runs for f in r.files}
        site = os.path.commonpath(sorted(files))
        names = ", ".join(sorted(os.path.relpath(f, site) for f in files))
        lines.append(f"| {c.name} | {names} |")
    lines += [
        "",
        "| corpus | requête | 1re frappe | frappes suivantes (max) |",
        "|---|---|---|---|",
    ]
    for c in corpora:
        for r in c.runs:
            keys = r.during_ms + r.after_ms
            lines.append(f"| {c.name} | « {r.query} » | {ms(r.first_ms)} | {ms(max(keys))} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=("realistic", "national", "both"), default="both")
    parser.add_argument("--work", type=Path, help="keep corpora and sites here (reused)")
    parser.add_argument("--seed", type=int, default=3, help="palmares.dev.synth seed")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep a site already built in --work, with this checkout's search scripts",
    )
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    work = args.work or Path(tempfile.mkdtemp(prefix="bench-search-"))
    keys = ("realistic", "national") if args.corpus == "both" else (args.corpus,)
    corpora = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for key in keys:
            corpus = build(key, work, args.seed, args.reuse)
            for query in QUERIES:
                corpus.runs.append(measure(corpus, work / key / "site", browser, query))
            corpora.append(corpus)
            print(f"{corpus.name}: {len(corpus.runs)} requêtes mesurées", file=sys.stderr)
        browser.close()
    print(f"Chromium headless, {os.cpu_count()} cœurs, une frappe toutes les {KEY_DELAY_MS} ms\n")
    print(report(corpora))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
