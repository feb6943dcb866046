"""What rendering the write-ups' Markdown costs: palmares.content.markup.render_markdown.

    python bench/markdown.py [--repeat 5] [--presets realistic,writeups] [--source DIR]

The write-ups (content/actions/*/*.md) of the corpora of both presets of the synthesiser
(STYLE.md, habit 13; bench.common.PRESETS), generated in a temporary folder (--source names
one already generated, for a single preset):

- realistic: short paragraphs, the odd list and link;
- writeups: 1 to 3 KB of paragraphs, emphasis, links, lists, nested lists, the odd heading
  and table.

On each, --repeat runs of `render_markdown` (Python-Markdown with markup.EXTENSIONS, one
instance reset between documents, then heading nesting and nh3's cleaning), and of its two
halves: the Markdown conversion alone (`markup.convert`, and the same with the library's own
link processors, after checking that both give the same HTML for every write-up) and
`markup.clean_html` alone (on the conversion's output). CPU seconds of this process (time.process_time: other processes on the machine do
not count), medians printed as Markdown for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
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

from bench.common import (  # noqa: E402
    PRESETS,
    CorpusSpec,
    format_float,
    format_int,
    generate,
    source_files,
)
from palmares.content import markup  # noqa: E402
from palmares.content.read import Kind  # noqa: E402


def bodies(source: Path) -> list[str]:
    return [f.body for f in source_files(source) if f.kind is Kind.ACTION]


def cpu(work: Callable[[str], object], texts: list[str]) -> float:
    started = time.process_time()
    for text in texts:
        work(text)
    return time.process_time() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--presets", default=",".join(PRESETS), help="comma-separated")
    parser.add_argument("--source", type=Path, help="a corpus already generated (one preset)")
    args = parser.parse_args()
    specs = [PRESETS[name] for name in args.presets.split(",")]
    if args.source and len(specs) != 1:
        parser.error("--source needs a single preset")
    for spec in specs:
        measure(spec, write_ups(spec, args.source), args.repeat)
    return 0


def write_ups(spec: CorpusSpec, source: Path | None) -> list[str]:
    if source:
        return bodies(source)
    with tempfile.TemporaryDirectory() as tmp:
        generate(spec, Path(tmp) / "source")
        return bodies(Path(tmp) / "source")


def measure(spec: CorpusSpec, texts: list[str], repeat: int) -> None:
    parser = markup.stock_parser()

    def stock(text: str) -> str:
        return parser.reset().convert(text)

    converted = {text: markup.convert(text) for text in texts}
    different = sum(stock(text) != html for text, html in converted.items())
    if different:
        raise SystemExit(f"{different} write-ups convert otherwise than the library alone")
    steps: dict[str, Callable[[str], object]] = {
        "render_markdown (Markdown, headings, nh3)": markup.render_markdown,
        "Markdown conversion alone (markup.convert)": markup.convert,
        "the same, the library's link processors": stock,
        "clean_html alone (headings, nh3)": lambda text: markup.clean_html(converted[text]),
    }
    runs: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(repeat):
        for name, step in steps.items():
            runs[name].append(cpu(step, texts))

    size = sum(map(len, texts)) / len(texts)
    print(
        f"{format_int(len(texts))} write-ups of the {spec.describe()}, "
        f"{format_int(round(size))} characters on average; "
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
