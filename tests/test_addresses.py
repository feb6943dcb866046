"""Addresses that survive (issue 14, item 6): a second collectivité of the same name in a
département never moves the first one's page, and the build says what happened; no output
bears a name Windows reserves, so the offline zip extracts everywhere; a file cannot ask
for thousands of addresses through `anciens_noms`."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from palmares.archive import write_offline
from palmares.pipeline import build, check
from palmares.problems import Severity
from palmares.text import reserved, segment
from tests.helpers import action, commune, problems, write_project
from tests.test_redirects import follow

LABEL_2016 = "  - annee: 2016\n    arobases: 2\n  - annee: 2017\n    arobases: 3\n"


def _saint_martin(code: str, labels: str = "  - annee: 2017\n    arobases: 3\n") -> str:
    return commune(f'"{code}"', nom="Saint-Martin", departement='"59"', labels=labels)


def _homonym_warnings(root: Path) -> list[str]:
    return [
        str(p)
        for p in check(root).problems
        if "a le même nom que" in p.message and p.severity is Severity.WARNING
    ]


# A newcomer whose file sorts first, then last: the order of the files decides nothing.
@pytest.mark.parametrize("newcomer", ["communes/59/a-nouvelle.yaml", "communes/59/z-nouvelle.yaml"])
def test_a_second_homonym_in_a_departement_never_moves_the_first_ones_page(
    tmp_path: Path, newcomer: str
) -> None:
    root = write_project(
        tmp_path / "p", {"communes/59/saint-martin.yaml": _saint_martin("59990", LABEL_2016)}
    )
    out = tmp_path / "site"
    assert build(root, out).errors == []
    page = "collectivites/saint-martin-59/index.html"
    assert "59990" in (out / page).read_text("utf-8")
    assert _homonym_warnings(root) == []

    write_project(root, {newcomer: _saint_martin("59991")})
    assert build(root, out).errors == []
    assert "59990" in (out / page).read_text("utf-8"), "the first one keeps its address"
    assert "59991" in (out / "collectivites/saint-martin-59-59991/index.html").read_text("utf-8")
    assert _homonym_warnings(root) == [
        f"{newcomer}: avertissement : Saint-Martin (59991) a le même nom que Saint-Martin "
        "(59990, communes/59/saint-martin.yaml) dans le département 59 : sa page est à "
        "l'adresse collectivites/saint-martin-59-59991/, l'adresse collectivites/saint-martin-59/ "
        "reste celle de Saint-Martin (59990), labellisée depuis 2016"
    ]


def test_between_homonyms_labelled_the_same_year_the_smaller_code_keeps_the_address(
    tmp_path: Path,
) -> None:
    root = write_project(
        tmp_path / "p",
        {
            "communes/59/b.yaml": _saint_martin("59992"),
            "communes/59/a.yaml": _saint_martin("59993"),
        },
    )
    site = check(root).site
    assert site is not None
    assert {c.code: c.slug for c in site.communes if c.nom == "Saint-Martin"} == {
        "59992": "saint-martin-59",
        "59993": "saint-martin-59-59993",
    }


def test_the_elders_address_with_its_code_leads_to_its_page(tmp_path: Path) -> None:
    """Where the elder lived when both homonyms had their code in their address."""
    root = write_project(
        tmp_path / "p",
        {
            "communes/59/a.yaml": _saint_martin("59990", LABEL_2016),
            "communes/59/b.yaml": _saint_martin("59991"),
        },
    )
    out = tmp_path / "site"
    assert build(root, out).errors == []
    target, html = follow(out, "collectivites/saint-martin-59-59990/index.html")
    assert target == "collectivites/saint-martin-59/index.html"
    assert "La page de Saint-Martin a désormais une autre adresse" in html.get_text()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("con", True), ("CON", True), ("Con.txt", True), ("nul", True), ("prn", True),
        ("aux", True), ("com1", True), ("COM9", True), ("lpt1", True), ("lpt9.md", True),
        ("nul ", True), ("con.", True), ("com10", False), ("console", False), ("con-1", False),
        ("auxerre", False), ("lpt", False), ("", False),
    ],
)  # fmt: skip
def test_names_windows_reserves(name: str, expected: bool) -> None:
    assert reserved(name) is expected


def test_segment_adds_a_suffix_to_a_reserved_name_only() -> None:
    assert [segment(n) for n in ("Con", "AUX", "Com1", "Lille", "con 59")] == [
        "con-1", "aux-1", "com1-1", "lille", "con-59",
    ]  # fmt: skip


def test_no_output_bears_a_name_windows_reserves(tmp_path: Path) -> None:
    root = write_project(
        tmp_path / "p",
        {
            "content/actions/2017/con.md": action(),
            "content/actions/Aux/NUL.md": action(),
            "content/actions/2017/com1.md": action(),
            "content/pages/prn.md": "---\ntitre: Une page\n---\nTexte.\n",
            "content/pages/LPT9.md": "---\ntitre: Une autre\n---\nTexte.\n",
            "communes/59/con.yaml": commune('"59991"', nom="Con", departement='"59"'),
        },
    )
    out = tmp_path / "site"
    assert build(root, out).errors == []
    names = {part for path in out.rglob("*") for part in path.relative_to(out).parts}
    assert not [n for n in names if reserved(n)]
    for made in ("actions/2017/con-1", "actions/aux-1/nul-1", "pages/prn-1", "pages/lpt9-1"):
        assert (out / made / "index.html").is_file(), made
    assert write_offline(root, tmp_path / "site.zip").errors == []
    with zipfile.ZipFile(tmp_path / "site.zip") as archive:
        assert not [n for n in archive.namelist() if any(reserved(p) for p in n.split("/"))]


def test_a_domain_file_with_a_name_windows_reserves_is_refused(tmp_path: Path) -> None:
    assert problems(tmp_path, {"content/domaines/con.md": "---\ntitre: Con\n---\n"}) == [
        "content/domaines/con.md: le nom du fichier « con » est réservé sous Windows (le site "
        "hors ligne ne s'y décompresserait pas) ; il sert d'identifiant au domaine : "
        "renommez-le, par exemple `con-1.md`, et changez-le dans `domaines:` des actions"
    ]


def test_a_hundred_thousand_former_names_are_refused_at_their_line(tmp_path: Path) -> None:
    names = "".join(f"  - Ancien nom {n}\n" for n in range(100_000))
    found = problems(tmp_path, {"communes/01/a.yaml": commune(extra=f"anciens_noms:\n{names}")})
    assert found == [
        "communes/01/a.yaml:5:3: `anciens_noms` compte 100000 noms, 50 au plus : gardez les "
        "noms sous lesquels la collectivité a vraiment été connue (chacun donne une adresse "
        "du site)"
    ]


def test_fifty_former_names_are_fine(tmp_path: Path) -> None:
    names = ", ".join(f"Ancien nom {n}" for n in range(50))
    found = problems(tmp_path, {"communes/01/a.yaml": commune(extra=f"anciens_noms: [{names}]\n")})
    assert [p for p in found if "anciens_noms" in p] == []
