"""Screenshots of every page family, on a phone and on a desktop, to review changes to the look.

    python -m scripts.screenshots                       # the example site → docs/screenshots/
    python -m scripts.screenshots --source DIR --out D  # another project, another folder
    python -m scripts.screenshots --dark                # the dark theme too
    python -m scripts.screenshots --png --out /tmp/s    # lossless, to look at closely

Builds the site into a temporary folder, opens each family's page (tools/a11y.py picks
them) in Debian's Chromium from file://, and saves a full-page JPEG per viewport:
`<family>-390.jpg` (390×844, a phone) and `<family>-1280.jpg` (1280×900), small enough to
commit (see QUALITY).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from tools import a11y

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
# JPEG quality: the example site's 34 full-page captures weigh about 3 MB, text still legible.
QUALITY = 40


def build(source: Path | None, out: Path) -> None:
    command = [sys.executable, "build.py", "--out", str(out)]
    if source is not None:
        command += ["--source", str(source)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)


def shoot(site: Path, out: Path, *, dark: bool, png: bool = False) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    schemes = ["light", "dark"] if dark else ["light"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for scheme in schemes:
            for width, height in (a11y.PHONE, a11y.DESKTOP):
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    color_scheme=scheme,  # type: ignore[arg-type]
                    reduced_motion="reduce",
                )
                page = context.new_page()
                for family in a11y.families(site):
                    page.goto(family.url(site), wait_until="load")
                    if family.name == "recherche":
                        page.wait_for_selector("#search-results li", timeout=10_000)
                    suffix = "-dark" if scheme == "dark" else ""
                    if png:
                        path = out / f"{family.name}-{width}{suffix}.png"
                        page.screenshot(path=str(path), full_page=True)
                    else:
                        path = out / f"{family.name}-{width}{suffix}.jpg"
                        page.screenshot(
                            path=str(path), full_page=True, type="jpeg", quality=QUALITY
                        )
                    written.append(path)
                context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="project folder (default: this one)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--dark", action="store_true", help="also the dark colour scheme")
    parser.add_argument("--png", action="store_true", help="PNG instead of JPEG")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(args.source, site)
        for old in [*args.out.glob("*.jpg"), *args.out.glob("*.png")]:
            old.unlink()
        written = shoot(site, args.out, dark=args.dark, png=args.png)
    total = sum(p.stat().st_size for p in written)
    print(f"{len(written)} captures dans {args.out}, {total / 1_000_000:.1f} Mo".replace(".", ","))
    return 0


if __name__ == "__main__":
    sys.exit(main())
