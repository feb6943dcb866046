"""Both checkers on a whole generated corpus, as CI runs them after the tests:

    python -m scripts.check_a11y                        # 2 000 collectivités, 6 000 actions
    python -m scripts.check_a11y --communes 300 --editions 8 --work /tmp/a11y

Writes the corpus (`python -m palmares.dev.synth`), builds it (`python build.py --source`), then
- the Nu Html Checker (vnu.jar) on every HTML file of the site, in one Java run;
- axe-core in Debian's Chromium on one page of each family, at 390×844 and 1280×900, in the
  light and the dark colour scheme, and the page's width at 320 px.
Prints each problem and one summary line with the time of each step; exits 1 on any problem.
The tests (tests/a11y/, tests/browser/test_axe.py) check the example site, a 300-collectivité
corpus and a sample of its pages; this checks every page of the corpus of the issue.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tools import a11y

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def run(*args: str) -> None:
    subprocess.run([sys.executable, *args], cwd=ROOT, check=True, capture_output=True)


def axe_problems(site: Path) -> list[str]:
    from playwright.sync_api import sync_playwright

    source = a11y.AXE_JS.read_text(encoding="utf-8")
    families = a11y.families(site)
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for scheme in ("light", "dark"):
            for width, height in (a11y.PHONE, a11y.DESKTOP, (320, 700)):
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    color_scheme=scheme,
                )
                page = context.new_page()
                page.set_default_timeout(30_000)
                for family in families:
                    a11y.visit(page, site, family)
                    where = f"{family.path} ({width}×{height}, {scheme})"
                    if width == 320:
                        wide = page.evaluate("document.documentElement.scrollWidth")
                        if wide > width:
                            problems.append(f"{where}: {wide} px wide")
                        continue
                    page.add_script_tag(content=source)
                    result = page.evaluate(
                        a11y.RUN_AXE, [list(a11y.AXE_TAGS), list(a11y.AXE_EXTRA_RULES)]
                    )
                    problems += [f"{where}: {v}" for v in result["violations"]]
                context.close()
        browser.close()
    return problems


@dataclass
class Report:
    pages: int
    problems: list[str]
    seconds: dict[str, float]  # per step: "corpus and build", "vnu", "axe"


def check(communes: int, actions: int, editions: int, seed: int, work: Path) -> Report:
    """Write and build the corpus in `work`, then run both checkers on it."""
    source, site = work / "source", work / "site"
    seconds = {}
    start = time.perf_counter()
    run("-m", "palmares.dev.synth", "--communes", str(communes), "--actions", str(actions),
        "--editions", str(editions), "--seed", str(seed), str(source))  # fmt: skip
    run("build.py", "--source", str(source), "--out", str(site))
    seconds["corpus and build"] = time.perf_counter() - start
    start = time.perf_counter()
    problems = [str(m) for m in a11y.vnu([site])]
    seconds["vnu"] = time.perf_counter() - start
    start = time.perf_counter()
    problems += axe_problems(site)
    seconds["axe"] = time.perf_counter() - start
    return Report(len(a11y.html_pages(site)), problems, seconds)


def missing() -> list[str]:
    """What `npm ci` has not installed yet."""
    return [f"{p} manque : {a11y.INSTALL}" for p in (a11y.VNU_JAR, a11y.AXE_JS) if not p.exists()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=2_000)
    parser.add_argument("--actions", type=int, default=6_000)
    parser.add_argument("--editions", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, help="keep the corpus and the site here")
    args = parser.parse_args(argv)
    if missing():
        print("\n".join(missing()), file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        report = check(
            args.communes, args.actions, args.editions, args.seed, args.work or Path(tmp)
        )
    for problem in report.problems:
        print(problem)
    n = len(report.problems)
    spent = ", ".join(f"{step} {seconds:.0f} s" for step, seconds in report.seconds.items())
    print(
        f"{args.communes} collectivités, {report.pages} pages : "
        f"{n} problème{'s' if n > 1 else ''} ({spent})"
    )
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
