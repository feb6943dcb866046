"""The built sites have no broken or non-portable link (see palmares/linkcheck.py)."""

from __future__ import annotations

from pathlib import Path

from palmares.linkcheck import check_links


def test_example_site_links(example_site: Path) -> None:
    assert [str(problem) for problem in check_links(example_site)] == []


def test_synthetic_site_links(synth_site: Path) -> None:
    assert [str(problem) for problem in check_links(synth_site)] == []
