"""A reader follows an old link in a real browser: from the disk with the network cut, the
address of a collectivité's earlier name lands on its page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from palmares.pipeline import build

if TYPE_CHECKING:
    from tests.browser.conftest import RecordedPage

pytestmark = pytest.mark.browser

COMMUNE = (
    'code: "50129"\nnom: Cherbourg-en-Cotentin\ndepartement: "50"\n'
    "anciens_noms: [Cherbourg-Octeville]\nlabels:\n  - annee: 2017\n    arobases: 4\n"
)


def test_an_old_address_opened_from_the_disk_lands_on_the_page(
    tmp_path: Path, offline_page: RecordedPage
) -> None:
    source = tmp_path / "source"
    (source / "communes/50").mkdir(parents=True)
    (source / "communes/50/cherbourg.yaml").write_text(COMMUNE, encoding="utf-8")
    out = tmp_path / "site"
    assert build(source, out).errors == []
    old = out / "collectivites/cherbourg-octeville-50/index.html"
    page = offline_page.page
    page.goto(old.as_uri())
    page.wait_for_url("**/cherbourg-en-cotentin-50/index.html")
    assert page.locator("h1").inner_text() == "Cherbourg-en-Cotentin"
    assert offline_page.problems() == []
