"""What rendering the write-ups' Markdown costs: palmares.content.markup.render_markdown.

    python bench/markdown.py [--repeat 5] [--source DIR] [--corpus realistic|writeups|both]

Two corpora of another shape (STYLE.md, habit 13):

- realistic: the write-ups (content/actions/*/*.md) of the realistic corpus
  (bench.common.REALISTIC, generated in a temporary folder unless --source names one): short
  paragraphs, the odd list and link;
- writeups: `WRITEUPS` long write-ups (1 to 3 KB, seeded) made of what editors write at
  length: paragraphs with emphasis, links and inline code, lists, nested lists, ordered
  lists, headings, quotes and the odd table.

On each, --repeat runs of `render_markdown` (Python-Markdown with markup.EXTENSIONS, one
instance reset between documents, then heading nesting and nh3's cleaning), and of its two
halves: the Markdown conversion alone and `markup.clean_html` alone (on the conversion's
output). CPU seconds of this process (time.process_time: other processes on the machine do
not count), medians printed as Markdown for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as `python bench/markdown.py`, this file's folder comes first on the path, and this file
# would be imported as the `markdown` package: the project's root instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import markdown  # noqa: E402

from bench.common import REALISTIC, format_float, format_int, generate  # noqa: E402
from palmares.content import markup  # noqa: E402
from palmares.content.load import Kind, load  # noqa: E402

WRITEUPS = 2000

_WORDS = (
    "la commune", "les habitants", "le conseil municipal", "la médiathèque", "les agents",
    "un atelier", "les aînés", "le collège", "les associations", "un tiers-lieu",
    "les données ouvertes", "le portail citoyen", "la démarche", "l'intercommunalité",
    "les familles", "un conseiller numérique", "le jury", "les bénévoles", "le réseau",
)  # fmt: skip
_VERBS = (
    "accompagne", "ouvre", "publie", "forme", "équipe", "associe", "relie", "soutient",
    "présente", "réunit", "évalue", "prête", "développe", "anime",
)  # fmt: skip
_TAILS = (
    "chaque semaine", "depuis 2016", "sans inscription", "en logiciel libre",
    "avec l’intercommunalité", "au plus près des hameaux", "« hors connexion »",
    "pour 1\u202f441 personnes", "à la rentrée", "en format ouvert", "le samedi matin",
)  # fmt: skip
_CELLS = ("Ateliers", "Prêts", "Démarches", "Visites", "Inscrits", "Séances")


def _sentence(rng: random.Random, end: str = ".") -> str:
    subject, verb, obj = rng.choice(_WORDS), rng.choice(_VERBS), rng.choice(_WORDS)
    tail = rng.choice(_TAILS) if end else ""
    roll = rng.random()
    if roll < 0.15:
        obj = f"**{obj}**"
    elif roll < 0.3:
        tail = f"*{tail}*"
    elif roll < 0.4:
        obj = f"[{obj}](https://www.exemple-{rng.randrange(100)}.fr/{verb})"
    elif roll < 0.45:
        obj = f"`{obj.split()[-1]}`"
    return f"{subject[0].upper()}{subject[1:]} {verb} {obj} {tail}".rstrip() + end


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))


def _item(rng: random.Random) -> str:
    return _sentence(rng, rng.choice(["", ".", ";"]))


def _block(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.45:
        return _paragraph(rng)
    if roll < 0.6:
        return "\n".join(f"- {_item(rng)}" for _ in range(rng.randint(2, 5)))
    if roll < 0.7:  # a nested list: Python-Markdown indents by four spaces
        lines = []
        for _ in range(rng.randint(2, 4)):
            lines.append(f"- {_item(rng)}")
            lines += [f"    - {_item(rng)}" for _ in range(rng.randint(0, 3))]
        return "\n".join(lines)
    if roll < 0.8:
        return "\n".join(f"{i}. {_item(rng)}" for i in range(1, rng.randint(3, 6)))
    if roll < 0.88:
        return f"{rng.choice(['##', '###'])} {_item(rng).capitalize()}"
    if roll < 0.94:
        return "> " + _paragraph(rng)
    rows = [
        f"| {c} | {rng.randrange(10, 3000)} | {rng.randrange(2010, 2025)} |"
        for c in rng.sample(_CELLS, rng.randint(2, 5))
    ]
    return "\n".join(["| Action | Nombre | Depuis |", "|---|--:|---|", *rows])


def writeups(count: int = WRITEUPS, seed: int = 1) -> list[str]:
    """`count` write-ups of 1 to 3 KB, the same for the same seed."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        size, blocks = rng.randint(900, 2600), [_paragraph(rng)]
        while sum(map(len, blocks)) < size:
            blocks.append(_block(rng))
        texts.append("\n\n".join(blocks) + "\n")
    return texts


def bodies(source: Path) -> list[str]:
    return [f.body for f in load(source).files if f.kind is Kind.ACTION]


def cpu(work: Callable[[str], object], texts: list[str]) -> float:
    started = time.process_time()
    for text in texts:
        work(text)
    return time.process_time() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--source", type=Path, help="a corpus already generated")
    parser.add_argument("--corpus", choices=["realistic", "writeups", "both"], default="both")
    args = parser.parse_args()
    if args.corpus in ("realistic", "both"):
        if args.source:
            texts = bodies(args.source)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                generate(REALISTIC, Path(tmp) / "source")
                texts = bodies(Path(tmp) / "source")
        measure(f"write-ups of the {REALISTIC.describe()}", texts, args.repeat)
    if args.corpus in ("writeups", "both"):
        measure("long write-ups (lists, nested lists, tables…)", writeups(), args.repeat)
    return 0


def measure(what: str, texts: list[str], repeat: int) -> None:
    parser = markdown.Markdown(extensions=markup.EXTENSIONS, output_format="html")

    def convert(text: str) -> str:
        return parser.reset().convert(text)

    converted = {text: convert(text) for text in texts}
    steps: dict[str, Callable[[str], object]] = {
        "render_markdown (Markdown, headings, nh3)": markup.render_markdown,
        "Markdown conversion alone": convert,
        "clean_html alone (headings, nh3)": lambda text: markup.clean_html(converted[text]),
    }
    runs: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(repeat):
        for name, step in steps.items():
            runs[name].append(cpu(step, texts))

    size = sum(map(len, texts)) / len(texts)
    print(
        f"{format_int(len(texts))} {what}, {format_int(round(size))} characters on average; "
        f"Python-Markdown {markdown.__version__}, nh3 {version('nh3')}, "
        f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.1f}; "
        f"medians of {repeat} runs, CPU time\n"
    )
    print("| measure | total | per write-up |\n|---|---:|---:|")
    for name, times in runs.items():
        total = statistics.median(times)
        print(
            f"| {name} | {format_float(total, 2)} s "
            f"| {format_float(1e3 * total / len(texts), 2)} ms |"
        )
    print()


if __name__ == "__main__":
    raise SystemExit(main())
