"""The Nu Html Checker on the pages of « se comparer » (issue 16): the comparison page as
built, and collectivité pages with their « Se comparer » section (with and without a
population). The comparison page once its script has drawn is checked in
tests/browser/test_compare_in_browser.py, which has the browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from palmares.pipeline import build
from tests.browser.test_compare_in_browser import FILES
from tests.helpers import commune, write_project
from tools import a11y


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {
        **FILES,
        "communes/59/wasquehal.yaml": commune(
            '"59646"',
            nom="Wasquehal",
            departement='"59"',
            labels="  - annee: 2017\n    arobases: 3\n",
        ),
    }
    source = write_project(tmp_path_factory.mktemp("vnu-comparer") / "src", files)
    out = source.parent / "site"
    assert build(source, out).errors == []
    return out


def test_the_comparison_and_collectivite_pages_are_valid_html(java_bin: str, site: Path) -> None:
    pages = [
        site / "comparer" / "index.html",
        site / "collectivites" / "marcq-en-baroeul-59" / "index.html",
        site / "collectivites" / "wasquehal-59" / "index.html",
    ]
    assert all(p.is_file() for p in pages)
    errors = [str(m) for m in a11y.vnu(pages, java_bin=java_bin)]
    assert errors == []
