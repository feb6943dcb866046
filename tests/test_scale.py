"""The realistic archive of issue #2 builds: 2 000 collectivités, 6 000 actions, 20 editions.

Not a timed test: the figures live in docs/benchmarks.md; this one checks that the whole
corpus builds, every page family is there in the expected numbers, and no link is broken.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from palmares.dev.synth import generate
from palmares.linkcheck import check_links
from palmares.pipeline import build


@pytest.fixture(scope="module")
def realistic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("realistic")
    generate(root / "src", communes=2000, actions=6000, editions=20, seed=1)
    return root / "src", root / "site"


def test_realistic_corpus_builds_with_every_page(realistic: tuple[Path, Path]) -> None:
    source, out = realistic
    result = build(source, out)
    assert result.errors == []
    assert result.stats.communes == 2000
    assert result.stats.actions == 6000
    assert len(list((out / "collectivites").glob("*/index.html"))) >= 2000
    assert len(list((out / "actions").glob("*/*/index.html"))) == 6000
    assert len(list((out / "palmares").glob("*/index.html"))) == 20
    assert check_links(out) == []
