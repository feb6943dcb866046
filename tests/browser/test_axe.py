"""axe-core (npm `axe-core`, the engine of most accessibility checkers) finds no violation of
the WCAG 2.1 A and AA rules on any page family, in Debian's Chromium: on a phone (390×844) and
on a desktop (1280×900), in the light and the dark colour scheme, for the example site and
the synthetic corpus. Rules axe files as best practice but the RGAA asks for (landmarks, one
`h1`, headings in order, a skip link) run too."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tools import a11y

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not a11y.AXE_JS.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{a11y.AXE_JS} is missing ({a11y.INSTALL})", pytrace=False)
        pytest.skip(f"{a11y.AXE_JS} is missing ({a11y.INSTALL})")
    return a11y.AXE_JS.read_text(encoding="utf-8")


def axe(page: Page, source: str) -> dict[str, Any]:
    page.add_script_tag(content=source)
    result: dict[str, Any] = page.evaluate(
        a11y.RUN_AXE, [list(a11y.AXE_TAGS), list(a11y.AXE_EXTRA_RULES)]
    )
    return result


@pytest.fixture
def tab(chromium_browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A tab of the size and colour scheme of the test's parameters."""
    (width, height), scheme = request.param
    context = chromium_browser.new_context(
        viewport={"width": width, "height": height},
        color_scheme=scheme,
        service_workers="block",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


SETTINGS = [
    pytest.param((size, scheme), id=f"{size[0]}-{scheme}")
    for size in (a11y.PHONE, a11y.DESKTOP)
    for scheme in ("light", "dark")
]


@pytest.mark.parametrize("tab", SETTINGS, indirect=True)
@pytest.mark.parametrize("site_fixture", ["example_site", "synth_site"])
def test_axe_finds_no_violation_on_any_page_family(
    tab: Page, site_fixture: str, axe_source: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(site_fixture)
    families = a11y.families(site)
    assert {f.name for f in families} >= {
        "home", "edition", "editions", "commune", "intercommunalite", "action", "domaine",
        "domaines", "territoires", "region", "departement", "az", "page", "recherche",
        "donnees", "404",
    }  # fmt: skip
    found = []
    for family in families:
        a11y.visit(tab, site, family)
        result = axe(tab, axe_source)
        assert result["passes"] > 10, f"{family.path}: axe checked nothing"
        found += [f"{family.name} ({family.path}): {v}" for v in result["violations"]]
    assert found == [], "\n".join(found)


def test_axe_sees_what_it_looks_for(chromium_browser: Browser, axe_source: str) -> None:
    page = chromium_browser.new_page()
    page.set_content(
        "<html><head><title>t</title></head><body><main><h1>t</h1>"
        '<p style="color:#999;background:#fff">pâle</p><a href="x.html"></a>'
        '<svg role="img" viewBox="0 0 1 1"><rect width="1" height="1"/></svg></main></body></html>'
    )
    ids = {v.split(" ")[0] for v in axe(page, axe_source)["violations"]}
    page.close()
    assert {"html-has-lang", "color-contrast", "link-name", "svg-img-alt"} <= ids, ids
