"""The Nu Html Checker (the W3C's validator, npm `vnu-jar`) finds no error in the built pages:
every page of the example site, and of the synthetic corpus one page of each family plus a
fixed sample of 300. The whole of a 2 000-collectivité corpus is checked by
`python -m scripts.check_a11y`, which CI runs after the tests (a few minutes of Java).

The checker takes seconds to start: all the files go through one run, shared by the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import a11y

SAMPLE = 300

# A page with two mistakes the checker must see, so that a silent checker cannot pass.
BROKEN = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>x</title></head>'
    '<body><main><h1 id="a">x</h1><p id="a">x</p><h3>saut</h3></main></body></html>\n'
)


@pytest.fixture(scope="session")
def checked(
    java_bin: str,
    example_site: Path,
    synth_site: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, list[Path]], dict[Path, list[a11y.VnuMessage]]]:
    """The files of each check, and the checker's errors by file, from one run of vnu."""
    broken = tmp_path_factory.mktemp("vnu") / "broken.html"
    broken.write_text(BROKEN, encoding="utf-8")
    synth_pages = a11y.html_pages(synth_site)
    groups = {
        "example": a11y.html_pages(example_site),
        "families": [f.file(synth_site) for f in a11y.families(synth_site)],
        "sample": a11y.sample(synth_pages, SAMPLE),
        "broken": [broken],
    }
    files = sorted({f.resolve() for group in groups.values() for f in group})
    by_file: dict[Path, list[a11y.VnuMessage]] = {f: [] for f in files}
    for message in a11y.vnu(files, java_bin=java_bin):
        by_file.setdefault(Path(message.file).resolve(), []).append(message)
    return groups, by_file


def _errors(
    checked: tuple[dict[str, list[Path]], dict[Path, list[a11y.VnuMessage]]], group: str
) -> list[str]:
    groups, by_file = checked
    return [str(m) for f in groups[group] for m in by_file[f.resolve()]]


def test_the_checker_reports_a_broken_page(
    checked: tuple[dict[str, list[Path]], dict[Path, list[a11y.VnuMessage]]],
) -> None:
    errors = _errors(checked, "broken")
    assert any("Duplicate ID" in e for e in errors), errors
    assert any("skipping" in e and "heading level" in e for e in errors), errors


def test_every_page_of_the_example_site_is_valid_html(
    checked: tuple[dict[str, list[Path]], dict[Path, list[a11y.VnuMessage]]],
) -> None:
    groups, _ = checked
    assert len(groups["example"]) > 30
    assert _errors(checked, "example") == []


def test_every_page_family_of_the_synthetic_corpus_is_valid_html(
    checked: tuple[dict[str, list[Path]], dict[Path, list[a11y.VnuMessage]]],
) -> None:
    assert _errors(checked, "families") == []


def test_a_sample_of_the_synthetic_corpus_is_valid_html(
    checked: tuple[dict[str, list[Path]], dict[Path, list[a11y.VnuMessage]]],
) -> None:
    groups, _ = checked
    assert len(groups["sample"]) == SAMPLE
    assert _errors(checked, "sample") == []
