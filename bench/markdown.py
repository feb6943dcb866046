"""What rendering the write-ups' Markdown costs: stock Python-Markdown against palmares.content.markup.

    python bench/markdown.py [--repeat 5] [--source DIR]

The write-ups (content/actions/*/*.md) of the realistic corpus (bench.common.REALISTIC,
generated in a temporary folder unless --source names one), each rendered:

- stock: `markdown.Markdown(extensions=["extra", "sane_lists"])`, one instance reset between
  documents (what render_markdown did before its fast paths), then the same heading nesting
  and nh3 cleaning (`markup.clean_html`);
- fast: `markup.render_markdown`, the fast paths on.

Every output is compared first (they must be identical). Then --repeat runs of each,
alternated, in CPU seconds of this process (time.process_time: other processes on the machine
do not count), for the whole rendering and for the Markdown conversion alone. Medians printed
as Markdown for docs/benchmarks.md.
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
    args = parser.parse_args()
    if args.source:
        texts = bodies(args.source)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            generate(REALISTIC, Path(tmp) / "source")
            texts = bodies(Path(tmp) / "source")

    stock_md = markdown.Markdown(extensions=markup.EXTENSIONS, output_format="html")
    fast_md = markup._parser()

    def stock_convert(text: str) -> str:
        return stock_md.reset().convert(text)

    def fast_convert(text: str) -> str:
        return fast_md.reset().convert(text)

    def stock_render(text: str) -> str:
        return markup.clean_html(stock_convert(text))

    different = sum(stock_render(t) != markup.render_markdown(t) for t in texts)
    different += sum(stock_convert(t) != fast_convert(t) for t in texts)
    if different:
        print(f"{different} outputs differ: the fast paths are wrong", file=sys.stderr)
        return 1

    pairs = {
        "render_markdown (Markdown, headings, nh3)": (stock_render, markup.render_markdown),
        "Markdown conversion alone": (stock_convert, fast_convert),
    }
    runs: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in pairs}
    for _ in range(args.repeat):
        for name, (stock, fast) in pairs.items():
            runs[name][0].append(cpu(stock, texts))
            runs[name][1].append(cpu(fast, texts))

    print(
        f"{format_int(len(texts))} write-ups of the {REALISTIC.describe()}; "
        f"Python-Markdown {markdown.__version__}, Python {platform.python_version()}, "
        f"fast paths: {', '.join(markup.fast_paths()) or 'none'}; "
        f"load average {os.getloadavg()[0]:.1f}; medians of {args.repeat} runs, CPU time\n"
    )
    print("| measure | stock | fast | fast / stock | saved |\n|---|---:|---:|---:|---:|")
    for name, (stock_runs, fast_runs) in runs.items():
        stock, fast = statistics.median(stock_runs), statistics.median(fast_runs)
        print(
            f"| {name} | {format_float(stock, 2)} s | {format_float(fast, 2)} s "
            f"| {format_float(fast / stock, 2)} | {format_float(100 * (1 - fast / stock), 0)} % |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
