"""What the accessibility checks share: the external checkers (installed by `npm ci
--ignore-scripts` in this folder), the page families of a built site, and the rules.

Used by tests/a11y/, tests/browser/test_axe.py, test_keyboard.py, scripts/check_a11y.py and
scripts/screenshots.py, so every check looks at the same pages.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Page

HERE = Path(__file__).resolve().parent
VNU_JAR = HERE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
INSTALL = "npm ci --ignore-scripts --prefix tools/a11y"

# WCAG 2.1 levels A and AA, as the RGAA 4.1 asks.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
# Rules axe files under "best-practice" that the issue asks for by name: landmarks, one h1,
# headings in order, nothing outside a landmark.
AXE_EXTRA_RULES = (
    "heading-order",
    "page-has-heading-one",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "region",
    "skip-link",
    "empty-heading",
    "empty-table-header",
)
# In the page, after axe.min.js: both runs, each violation as one line per element.
RUN_AXE = """async ([tags, rules]) => {
    const describe = (v) => v.nodes.map((n) =>
        `${v.id} (${v.impact}): ${v.help} at ${n.target.join(" ")}: ` +
        (n.failureSummary || "").replace(/\\s+/g, " "));
    const wcag = await axe.run(document, {runOnly: {type: "tag", values: tags}});
    const extra = await axe.run(document, {runOnly: {type: "rule", values: rules}});
    return {
        violations: [...wcag.violations, ...extra.violations].flatMap(describe),
        passes: wcag.passes.length + extra.passes.length,
    };
}"""
PHONE = (390, 844)
DESKTOP = (1280, 900)

_REFRESH = re.compile(rb'<meta http-equiv="refresh"')
_INTERCO = re.compile(rb"<dd>intercommunalit\xc3\xa9</dd>")


@dataclass(frozen=True)
class Family:
    """One kind of page and the page of a built site that stands for it."""

    name: str
    path: str  # relative to the site's root, may end with ?query
    label: str  # in French, for screenshots and reports

    def file(self, site: Path) -> Path:
        return site / self.path.partition("?")[0]

    def url(self, site: Path) -> str:
        path, sep, query = self.path.partition("?")
        return (site / path).as_uri() + sep + query


def is_redirect(page: Path) -> bool:
    """A former name's address: a meta refresh to the collectivité's page, no header or footer."""
    return bool(_REFRESH.search(page.read_bytes()[:2048]))


def html_pages(site: Path) -> list[Path]:
    """Every HTML file of a built site, by path."""
    return sorted(site.rglob("*.html"))


def sample(pages: list[Path], size: int, seed: int = 0) -> list[Path]:
    """The same `size` pages at every run (all of them when there are fewer)."""
    if len(pages) <= size:
        return list(pages)
    return sorted(random.Random(seed).sample(pages, size))


def _pages(site: Path, pattern: str) -> list[Path]:
    """Real pages (no redirect of a former name) matching `pattern`, by path."""
    return sorted(p for p in site.glob(pattern) if not is_redirect(p))


def _biggest(pages: list[Path]) -> Path:
    # The fullest page of a family shows the most: longest lists, widest tables.
    return max(pages, key=lambda p: (p.stat().st_size, str(p)))


def _compared(communes: list[Path]) -> str:
    """Two collectivités to compare, as the comparison page's address names them (the
    codes their own « Se comparer » links give)."""
    codes = []
    for page in sorted(communes, key=lambda p: -p.stat().st_size):
        found = re.search(rb"comparer/index\.html\?c=([0-9AB]+)", page.read_bytes())
        if found and found.group(1).decode() not in codes:
            codes.append(found.group(1).decode())
        if len(codes) == 2:
            break
    return ",".join(codes)


def families(site: Path) -> list[Family]:
    """One page per family of `site`, the fullest where there is a choice."""

    def rel(p: Path) -> str:
        return p.relative_to(site).as_posix()

    collectivites = _pages(site, "collectivites/*/index.html")
    communes = [p for p in collectivites if not _INTERCO.search(p.read_bytes())]
    intercos = [p for p in collectivites if _INTERCO.search(p.read_bytes())]
    editions = _pages(site, "palmares/[0-9]*/index.html")
    departements = [
        p for p in _pages(site, "territoires/*/index.html") if "/region-" not in p.as_posix()
    ]
    commune = _biggest(communes)
    name = re.search(rb"<h1>([^<]+)</h1>", commune.read_bytes())
    query = name.group(1).decode().split("-")[0].split(" ")[0].lower() if name else "saint"
    found = [
        Family("home", "index.html", "Accueil"),
        Family("editions", "palmares/index.html", "Toutes les éditions"),
        Family("edition", rel(max(editions)), "Palmarès d’une édition"),
        Family("commune", rel(commune), "Commune"),
        Family("intercommunalite", rel(_biggest(intercos)), "Intercommunalité")
        if intercos
        else None,
        Family("action", rel(_biggest(_pages(site, "actions/*/*/index.html"))), "Action"),
        Family("domaines", "domaines/index.html", "Domaines"),
        Family("domaine", rel(_biggest(_pages(site, "domaines/*/index.html"))), "Domaine"),
        Family("territoires", "territoires/index.html", "Territoires"),
        Family(
            "region",
            rel(_biggest(_pages(site, "territoires/region-*/index.html"))),
            "Région",
        ),
        Family("departement", rel(_biggest(departements)), "Département"),
        Family("az", "collectivites/index.html", "Collectivités de A à Z"),
        Family("page", rel(_pages(site, "pages/*/index.html")[0]), "Page libre"),
        Family("accessibilite", "pages/accessibilite/index.html", "Déclaration d’accessibilité")
        if (site / "pages/accessibilite/index.html").exists()
        else None,
        Family("recherche", f"recherche/index.html?q={query}", "Recherche avec résultats"),
        Family("donnees", "donnees/index.html", "Données ouvertes"),
        Family(
            "comparer", f"comparer/index.html?c={_compared(communes)}", "Comparer des collectivités"
        )
        if (site / "comparer/index.html").exists()
        else None,
        Family("404", "404.html", "Page introuvable"),
    ]
    return [f for f in found if f is not None]


def visit(page: Page, site: Path, family: Family) -> None:
    """Open a family's page in a Playwright tab; the search page shows its results first."""
    page.goto(family.url(site), wait_until="load")
    if family.name == "recherche":
        page.wait_for_selector("#search-results li a")


@dataclass(frozen=True)
class VnuMessage:
    file: str
    line: int | None
    message: str
    extract: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message} [{self.extract.strip()[:120]}]"


def _path_of(url: str) -> str:
    """vnu names a file `file:/tmp/a%20b.html`: give back `/tmp/a b.html`."""
    return unquote(urlsplit(url).path) if url.startswith("file:") else url


def vnu(paths: list[Path], *, java_bin: str = "java") -> list[VnuMessage]:
    """The Nu Html Checker's errors on `paths` (files, or folders: every .html file in them),
    in one JVM run: it takes seconds to start."""
    if not paths:
        return []
    command = [java_bin, "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html"]
    done = subprocess.run(
        [*command, "--format", "json", "--stdout", *(str(p) for p in paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError as error:
        raise RuntimeError(
            f"vnu exited {done.returncode} without a JSON report: {done.stdout[-2000:]}"
            f"{done.stderr[-2000:]}"
        ) from error
    return [
        VnuMessage(
            file=_path_of(m.get("url", "")),
            line=m.get("lastLine"),
            message=m.get("message", ""),
            extract=m.get("extract", ""),
        )
        for m in report.get("messages", [])
        if m.get("type") in ("error", "non-document-error") or m.get("subType") == "fatal"
    ]
