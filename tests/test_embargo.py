"""An edition under embargo (`publie: false`) leaves no trace in the public site; a preview
(`build --brouillons`, `serve`) shows it with a banner on every page that shows it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from palmares.cli import main
from palmares.pipeline import build, check
from tests.helpers import action, commune, write_project

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
BANNER = "Brouillon&#8239;: non publié."

# What only the embargoed edition (2019) holds: none of it may reach the public site.
SECRETS = ("2019", "Bourg-en-Bresse", "Atelier confidentiel", "Salle secrète", "Brouillon")


def _project(root: Path, publie: str = "false") -> Path:
    return write_project(
        root,
        {
            # Labelled in 2017 only: nothing of 2019 on its page.
            "communes/01/amberieu.yaml": commune(),
            # Labelled in 2017 and 2019: its 2019 label is hidden.
            "communes/01/belley.yaml": commune(
                '"01034"',
                nom="Belley",
                labels="  - annee: 2017\n    arobases: 2\n  - annee: 2019\n    arobases: 4\n",
            ),
            # Labelled in 2019 alone: not on the public site at all.
            "communes/01/bourg.yaml": commune(
                '"01053"', nom="Bourg-en-Bresse", labels="  - annee: 2019\n    arobases: 3\n"
            ),
            "content/actions/2019/atelier.md": action(commune='"01034"', annee="2019").replace(
                "Une action", "Atelier confidentiel"
            ),
            "content/actions/2017/publique.md": action(commune='"01004"'),
            "content/palmares/2017.md": "---\nannee: 2017\nlieu: Lille\n---\nLa cérémonie.\n",
            "content/palmares/2019.md": (
                f"---\nannee: 2019\npublie: {publie}\nlieu: Salle secrète\n---\nÀ venir.\n"
            ),
        },
    )


def _texts(site: Path) -> dict[str, str]:
    """Every published file but the static ones (the same in every build) as text: not the
    build's own record, `.palmares-site`, which the publishing workflow leaves out (its
    warnings name every file of the content, tests/test_workflows.py)."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes().decode("utf-8", "replace")
        for p in sorted(site.rglob("*"))
        if p.is_file() and not p.relative_to(site).as_posix().startswith(("static/", "."))
    }


def test_the_public_site_has_no_trace_of_an_edition_under_embargo(tmp_path: Path) -> None:
    source = _project(tmp_path / "src")
    result = build(source, tmp_path / "site")
    assert result.errors == []
    texts = _texts(tmp_path / "site")
    assert any("Belley" in t for t in texts.values()), "the rest of the site is there"
    leaks = {(rel, s) for rel, text in texts.items() for s in SECRETS if s in text}
    assert leaks == set()
    assert not (tmp_path / "site" / "palmares" / "2019").exists()
    assert result.stats.communes == 3 and result.stats.actions == 1


def test_a_site_whose_only_edition_is_under_embargo_builds(tmp_path: Path) -> None:
    # The first edition of a new content repository, prepared under embargo: check said
    # « Contenu valide » and build ended in an IndexError (the open data's page named the
    # first and last editions of none). Found by building every odd value check accepts.
    source = write_project(
        tmp_path / "src",
        {"content/palmares/2017.md": "---\nannee: 2017\npublie: false\n---\nÀ venir.\n"},
    )
    assert check(source).errors == []
    out = tmp_path / "site"
    assert build(source, out).errors == []
    donnees = (out / "donnees" / "index.html").read_text(encoding="utf-8")
    assert "2017" not in donnees and "Palmarès du label" in donnees
    assert "2017" not in (out / "index.html").read_text(encoding="utf-8")
    assert build(source, tmp_path / "preview", drafts=True).errors == []


def test_a_preview_shows_it_and_marks_every_page_that_shows_it(tmp_path: Path) -> None:
    source = _project(tmp_path / "src")
    assert build(source, tmp_path / "site", drafts=True).errors == []
    texts = _texts(tmp_path / "site")
    pages = {rel: t for rel, t in texts.items() if rel.endswith(".html")}
    marked = {rel for rel, t in pages.items() if BANNER in t}
    assert {
        "palmares/2019/index.html",
        "collectivites/bourg-en-bresse-01/index.html",
        "collectivites/belley-01/index.html",
        "actions/2019/atelier/index.html",
        "index.html",
        "territoires/index.html",
    } <= marked
    assert "L’édition 2019 est sous embargo" in pages["palmares/2019/index.html"]
    # The mark follows the files a page is made of: the 2017 edition lists Belley, also
    # labelled in 2019, so it is marked too; a page made of none of them is not.
    for unmarked in (
        "collectivites/amberieu-en-bugey-01/index.html",
        "collectivites/marcq-en-baroeul-59/index.html",
        "actions/2017/publique/index.html",
    ):
        assert BANNER not in pages[unmarked], unmarked
    assert "Salle secrète" in pages["palmares/2019/index.html"]
    # Published by mistake (a preview's folder sent by hand), a marked page asks search
    # engines not to keep it; an unmarked one does not.
    noindex = '<meta name="robots" content="noindex, nofollow">'
    assert {rel for rel, t in pages.items() if noindex in t} == marked


def test_publishing_it_later_gives_the_site_a_clean_build_gives(tmp_path: Path) -> None:
    """Incremental builds follow the flag both ways, byte for byte."""
    source = _project(tmp_path / "src")
    site = tmp_path / "site"
    assert build(source, site).errors == []
    for publie in ("true", "false"):
        _project(source, publie)
        assert build(source, site).errors == []
        clean = tmp_path / f"clean-{publie}"
        assert build(_project(tmp_path / f"src-{publie}", publie), clean).errors == []
        assert _texts(site) == _texts(clean)
    assert not any("Bourg-en-Bresse" in t for t in _texts(site).values())


def test_check_says_which_edition_is_under_embargo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _project(tmp_path / "src")
    assert main(["check", "--strict", "--source", str(source), "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert "L'édition 2019 est sous embargo (content/palmares/2019.md : publie: false)" in out
    assert "« build --brouillons » et « serve » la montrent" in out
    assert check(source).embargoed == (2019,)
    _project(source, "true")
    assert main(["check", "--source", str(source), "--no-cache"]) == 0
    assert "embargo" not in capsys.readouterr().out


def test_build_brouillons_from_the_command_line(tmp_path: Path) -> None:
    source = _project(tmp_path / "src")
    site = tmp_path / "site"
    assert main(["build", "--source", str(source), "--out", str(site), "--brouillons"]) == 0
    assert BANNER in (site / "palmares" / "2019" / "index.html").read_text("utf-8")
    assert main(["build", "--source", str(source), "--out", str(site)]) == 0
    assert not (site / "palmares" / "2019").exists()


def test_a_wrong_value_is_a_problem_at_its_line(tmp_path: Path) -> None:
    source = _project(tmp_path / "src", '"non"')
    assert [str(p) for p in check(source).errors] == [
        "content/palmares/2019.md:3:9: `publie` vaut `true` ou `false` ; trouvé : « non » : "
        "écrivez `publie: false`"
    ]


def test_import_takes_an_edition_under_embargo_like_any_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "project"
    shutil.copytree(FIXTURES / "before", source)
    text = "---\nannee: 2018\npublie: false\n---\n"
    (source / "content" / "palmares").mkdir(parents=True, exist_ok=True)
    (source / "content" / "palmares" / "2018.md").write_text(text, encoding="utf-8")
    table = FIXTURES / "jury-2018.csv"
    args = ["import", str(table), "--edition", "2018", "--source", str(source)]
    assert main([*args, "--apply", "--skip-unresolved"]) == 1  # one line left out, as always
    capsys.readouterr()
    for path in sorted((FIXTURES / "after" / "communes").rglob("*.yaml")):
        rel = path.relative_to(FIXTURES / "after")
        assert (source / rel).read_bytes() == path.read_bytes(), rel
    assert check(source).embargoed == (2018,)
