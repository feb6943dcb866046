"""What open data, pictures, feeds and permanent links cost a build, on synthetic corpora.

    python bench/opendata.py [--corpus realistic|national|both] [--runs 5] [--work DIR]

For each corpus (bench/common.py: 2 000 collectivités, 6 000 actions, 20 editions; or the
national one): generate it, model it once, then time each part this work adds, in process,
median of `--runs`: the exports (every CSV, JSON and schema), the feeds, robots.txt and
sitemap, the home map, the 18 région maps, the edition charts, the redirect pages' jobs.
Then a whole cold build with a base URL (`palmares.pipeline.build`, no cache, both cores),
and the sizes of what a reader downloads. Prints Markdown for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Run as `python bench/opendata.py`, this file's folder comes first on the path, and
# bench/markdown.py would be imported as the `markdown` package: the project's root instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from palmares.dev.synth import generate  # noqa: E402
from palmares.pipeline import build, check  # noqa: E402
from palmares.site import exports as export  # noqa: E402
from palmares.site import feeds, pages, redirects, urls  # noqa: E402
from palmares.site.figures import pictures  # noqa: E402
from palmares.site.options import Options  # noqa: E402
from palmares.site.plan import plan  # noqa: E402

BASE_URL = "https://palmares.example.org/"


@dataclass(frozen=True)
class CorpusSpec:
    """The corpora of the issue-5 benchmark (bench/common.py), restated so that this
    script runs on its own."""

    name: str
    folder: str
    communes: int
    actions: int
    editions: int

    def describe(self) -> str:
        return (
            f"{self.name} ({self.communes} collectivités, {self.actions} actions, "
            f"{self.editions} éditions)"
        )


REALISTIC = CorpusSpec("réaliste", "realistic", 2000, 6000, 20)
NATIONAL = CorpusSpec("national", "national", 35000, 60000, 25)


def median_seconds(task: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        task()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms".replace(".", ",")


def kb(size: int) -> str:
    return f"{size / 1000:.0f} Ko"


def measure(spec: CorpusSpec, work: Path, runs: int) -> list[str]:
    source = work / spec.folder
    if not source.exists():
        generate(
            source,
            communes=spec.communes,
            actions=spec.actions,
            editions=spec.editions,
            seed=1,
        )
    content = check(source)
    site = content.site
    assert site is not None
    outputs = plan(site, content.digests, content.redirects, list, Options(BASE_URL), "")
    listed = sorted(
        o.id for o in outputs if o.id.endswith(".html") and o.id not in content.redirects
    )

    def to(path: str) -> str:
        return urls.link(urls.HOME, path)

    parts = {
        "exports (CSV, JSON, schémas)": lambda: export.files(site, BASE_URL),
        "flux Atom, robots.txt, sitemap.xml": lambda: feeds.files(site, listed, BASE_URL),
        "carte de France (accueil)": lambda: pictures.france_map(site, to),
        "cartes des régions": lambda: [pictures.region_map(r, m, to) for r, m in site.regions],
        "graphiques des éditions et de l'accueil": lambda: (
            [pictures.edition_charts(e, to) for e in site.editions],
            pictures.editions_chart(site, to),
        ),
        "pages de redirection (contextes)": lambda: [
            pages.redirect(site, old, c, nom, BASE_URL)
            for old, (c, nom) in redirects.plan(site.communes)[0].items()
        ],
    }
    rows = [f"### {spec.describe()}", "", "| étape | médiane |", "|---|---:|"]
    total = 0.0
    for name, task in parts.items():
        seconds = median_seconds(task, runs)
        total += seconds
        rows.append(f"| {name} | {ms(seconds)} |")
    rows.append(f"| **total de ces étapes** (un seul cœur) | **{ms(total)}** |")
    builds = []
    for i in range(max(1, runs // 2)):
        out = work / f"{spec.folder}-site-{i}"
        started = time.perf_counter()
        result = build(source, out, base_url=BASE_URL)
        builds.append(time.perf_counter() - started)
        assert result.errors == []
    out = work / f"{spec.folder}-site-0"
    data = export.files(site, BASE_URL)
    redirect_count = len(redirects.plan(site.communes)[0])
    rows += [
        "",
        f"Construction à froid complète avec `--base-url` (sans cache, deux cœurs), médiane de "
        f"{len(builds)} : **{statistics.median(builds):.2f} s**.".replace(".", ",", 1),
        "",
        "| fichier | taille |",
        "|---|---:|",
        f"| page d'accueil (graphique, carte de {len(site.communes)} marqueurs) | "
        f"{kb((out / 'index.html').stat().st_size)} |",
        *(
            f"| `{f.path}` | {kb(len(f.data))} |"
            for f in data
            if f.format in ("CSV", "JSON") and f.edition is None
        ),
        f"| `{urls.FEED_EDITIONS}` | {kb((out / urls.FEED_EDITIONS).stat().st_size)} |",
        f"| `{urls.FEED_ACTIONS}` | {kb((out / urls.FEED_ACTIONS).stat().st_size)} |",
        f"| `{urls.SITEMAP}` | {kb((out / urls.SITEMAP).stat().st_size)} |",
        "",
        f"{redirect_count} pages de redirection (anciens noms).",
        "",
    ]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("realistic", "national", "both"), default="realistic")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    specs = {"realistic": [REALISTIC], "national": [NATIONAL], "both": [REALISTIC, NATIONAL]}
    with tempfile.TemporaryDirectory(prefix="palmares-opendata-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for spec in specs[args.corpus]:
            print("\n".join(measure(spec, work, args.runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
