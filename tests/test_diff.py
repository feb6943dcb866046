"""`diff`: two builds of the example content that differ by one population and one new
write-up; the report lists exactly the files whose bytes differ, and says what changed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from palmares import cli
from palmares.diff import LINES_SHOWN, PAGES_SHOWN, compare, render_markdown, render_text
from palmares.output.cache import ParseCache
from palmares.output.write import MARKER
from palmares.pipeline import build, check
from palmares.site import urls
from tests.conftest import PROJECT_ROOT
from tests.helpers import tree, write_project

AIX = "communes/73/aix-les-bains.yaml"
NEW_ACTION = "content/actions/2017/aix-les-bains-atelier.md"
AIX_PAGE = "collectivites/aix-les-bains-73/index.html"
NEW_PAGE = "actions/2017/aix-les-bains-atelier/index.html"
# What the two changes may touch besides those two pages: the lists of actions (edition,
# domain, home, the editions' and domains' indexes), the open data and its page, the search
# index (any of its parts: SEARCH_PARTS), the actions' feed. Anything else changing would be
# a bug of the build, or of diff.
SEARCH_PARTS = "static/search-"
MAY_CHANGE = {
    AIX_PAGE,
    NEW_PAGE,
    "index.html",
    "palmares/index.html",
    "palmares/2017/index.html",
    "domaines/index.html",
    "domaines/teletravail/index.html",
    "donnees/index.html",
    "donnees/actions.csv",
    "donnees/actions.json",
    "donnees/palmares.csv",
    "donnees/palmares.json",
    "donnees/palmares-2017.csv",
    "donnees/datapackage.json",
    "flux/actions.xml",
}


def _plain(text: str) -> str:
    """No-break spaces as spaces: what the assertions compare."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _example(root: Path) -> Path:
    for folder in ("communes", "content"):
        shutil.copytree(PROJECT_ROOT / folder, root / folder)
    return root


def _build(source: Path, out: Path) -> Path:
    assert build(source, out, cache=ParseCache(None), workers=1).errors == []
    return out


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example site, and the same after one population and one new write-up."""
    tmp = tmp_path_factory.mktemp("diff")
    source = _example(tmp / "source")
    old = _build(source, tmp / "old")
    aix = source / AIX
    text = aix.read_text(encoding="utf-8")
    assert "population: 30000\n" in text
    aix.write_text(text.replace("population: 30000\n", "population: 30500\n"), encoding="utf-8")
    (source / NEW_ACTION).write_text(
        '---\ntitre: Un atelier numérique pour tous\ncommune: "73008"\nannee: 2017\n'
        "domaines: [teletravail]\n---\nDes ateliers ouverts à tous les habitants.\n",
        encoding="utf-8",
    )
    return old, _build(source, tmp / "new")


def _differing(old: Path, new: Path) -> set[str]:
    """The files whose bytes differ, computed without diff: hashes of both trees."""
    before, after = tree(old), tree(new)
    return {
        rel
        for rel in before.keys() | after.keys()
        if before.get(rel) != after.get(rel)
        and before.get(rel, after.get(rel)) != "dir"
        and not rel.startswith(".")
    }


def test_diff_lists_exactly_the_files_whose_bytes_differ(sites: tuple[Path, Path]) -> None:
    old, new = sites
    report = compare(old, new)
    listed = {change.path: change.kind for change in report.changes}
    assert set(listed) == _differing(old, new)
    assert listed[AIX_PAGE] == "changed"
    assert listed[NEW_PAGE] == "added"
    assert {rel for rel in listed if not rel.startswith(SEARCH_PARTS)} <= MAY_CHANGE
    assert {kind for rel, kind in listed.items() if rel != NEW_PAGE} == {"changed"}
    old_files = [rel for rel, h in tree(old).items() if h != "dir" and rel != MARKER]
    assert report.same == len(old_files) - len(listed) + 1  # the new page is not in old


def test_diff_groups_by_family(sites: tuple[Path, Path]) -> None:
    report = compare(*sites)
    families = {family.title: [c.path for c in changes] for family, changes in report.families()}
    assert families["Collectivités"] == [AIX_PAGE]
    assert families["Actions"] == [NEW_PAGE]
    assert "palmares/2017/index.html" in families["Éditions"]
    assert "domaines/teletravail/index.html" in families["Domaines"]
    assert "donnees/palmares.csv" in families["Données ouvertes"]
    # The search index's files live in static/, but the search's output made them.
    assert "static/search-index.js" in families["Recherche"]
    assert "index.html" in families["Accueil et autres fichiers"]
    assert "Territoires" not in families  # no territory page shows a population or an action


def test_diff_says_what_changed_in_words(sites: tuple[Path, Path]) -> None:
    text = _plain(render_text(compare(*sites)))
    assert "modification : Aix-les-Bains — collectivites/aix-les-bains-73/index.html" in text
    assert "Population : 30 000 habitants → 30 500 habitants" in text
    assert f"ajout : Un atelier numérique pour tous — {NEW_PAGE}" in text
    # the edition page lists the new write-up; the editions' table counts it
    assert "+ Un atelier numérique pour tous Aix-les-Bains · Télétravail" in text
    assert "Palmarès 2017 (18e édition) · Actions décrites : 5 → 6" in text
    # the open data, as rows
    assert "1 ligne modifiée\n      73008 · population : 30000 → 30500" in text
    assert "1 ligne ajoutée\n      + Un atelier numérique pour tous" in text
    assert text.startswith(f"Du site {sites[0]} au site {sites[1]} : 1 ajout, 0 suppression, ")


def test_diff_of_two_builds_of_the_same_content_lists_nothing(
    sites: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, _ = sites
    again = _build(_example(tmp_path / "source"), tmp_path / "again")
    assert compare(old, again).changes == ()
    assert cli.main(["diff", str(old), "--out", str(again)]) == 0
    out = _plain(capsys.readouterr().out)
    assert out.startswith(f"Aucune différence entre {old} et {again} : ")
    assert "modification" not in out


def test_diff_of_a_folder_that_is_not_a_site_is_a_usage_error(
    sites: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "pas-un-site"
    (folder / "collectivites").mkdir(parents=True)
    (folder / "index.html").write_text("<p>bonjour</p>", encoding="utf-8")
    assert cli.main(["diff", str(folder), "--out", str(sites[1])]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert _plain(captured.err) == (
        f"palmares : {folder} n’est pas un site construit par Palmarès (il n’a pas de fichier "
        f".palmares-site) : donnez le dossier de sortie d’une construction, par exemple site/\n"
    )
    assert cli.main(["diff", str(sites[0]), "--out", str(tmp_path / "absent")]) == 2
    assert "absent n’existe pas" in capsys.readouterr().err


def test_diff_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        cli.main(["diff", "--help"])
    assert exit.value.code == 0
    assert "OLD_SITE" in capsys.readouterr().out


def test_github_format_writes_the_job_summary(
    sites: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("Déjà là\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    old, new = sites
    assert cli.main(["diff", str(old), "--out", str(new), "--format", "github"]) == 0
    out = capsys.readouterr().out
    assert summary.read_text(encoding="utf-8") == "Déjà là\n" + out
    assert out == render_markdown(compare(old, new))
    lines = _plain(out).splitlines()
    assert lines[0] == "## Ce qui change sur le site"
    assert "### Collectivités (1)" in lines
    assert f"- **modification** : Aix\\-les\\-Bains — `{AIX_PAGE}`" not in lines  # not escaped
    assert f"- **modification** : Aix-les-Bains — `{AIX_PAGE}`" in lines
    assert "  - Population : 30 000 habitants → 30 500 habitants" in lines
    # a line that begins with « + » stays text, not a nested list
    assert "  - \\+ Un atelier numérique pour tous 2017 · Télétravail" in lines
    # markdown alone does not touch the job summary
    assert cli.main(["diff", str(old), "--out", str(new), "--format", "markdown"]) == 0
    assert summary.read_text(encoding="utf-8") == "Déjà là\n" + out


# Hand-made sites: the caps, and what a page's text is.


def _site(root: Path, files: dict[str, str]) -> Path:
    root.mkdir()
    (root / MARKER).write_text("", encoding="utf-8")  # a marker without a readable manifest
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _page(main: str, *, h1: str = "Une page") -> str:
    return (
        "<!DOCTYPE html><html lang=fr><head><title>T</title><script>var x = 1;</script></head>"
        "<body><header><nav><a href=#>Menu</a></nav></header>"
        f"<main><nav>Fil</nav><h1>{h1}</h1>{main}</main><footer>Pied</footer></body></html>"
    )


def test_changes_per_page_and_pages_per_family_are_capped(tmp_path: Path) -> None:
    count = PAGES_SHOWN + 3
    many = "".join(f"<p>ligne {n}</p>" for n in range(LINES_SHOWN + 2))
    old = _site(
        tmp_path / "old",
        {f"collectivites/c{n:03}/index.html": _page("<p>avant</p>") for n in range(count)}
        | {"actions/2017/a/index.html": _page("")},
    )
    new = _site(
        tmp_path / "new",
        {f"collectivites/c{n:03}/index.html": _page("<p>après</p>") for n in range(count)}
        | {"actions/2017/a/index.html": _page(many)},
    )
    text = _plain(render_text(compare(old, new)))
    assert f"Collectivités ({count})" in text
    assert text.count("\n  modification : Une page — collectivites/") == PAGES_SHOWN
    assert "  … et 3 autres fichiers" in text
    assert text.count("      − avant\n      + après\n") == PAGES_SHOWN
    assert "      + ligne 4\n      … et 2 autres changements\n" in text


def test_page_text_is_the_main_content_with_labels_and_table_cells(tmp_path: Path) -> None:
    def page(population: str, hidden: str, arobases: int, mention: str, tail: str) -> str:
        return _page(
            f"<dl><dt>Population</dt><dd>{population} habitants</dd></dl>"
            f"<svg><text>{hidden}</text></svg><p hidden>{hidden}</p><script>{hidden}()</script>"
            "<table><thead><tr><th>Édition</th><th>Nombre d’@</th><th>Mention</th></tr>"
            "</thead><tbody><tr><th>2017</th><td><span aria-hidden=true>@@@</span>"
            f"{arobases} arobases</td><td>{mention}</td></tr></tbody></table>"
            f"<p>Un texte qui reste.</p>{tail}"
        )

    old = _site(
        tmp_path / "old",
        {"p/index.html": page("1 000", "a", 3, "", "<p>Un paragraphe retiré.</p>")},
    )
    new = _site(tmp_path / "new", {"p/index.html": page("1 200", "b", 4, "Mention spéciale", "")})
    (change,) = compare(old, new).changes
    assert change.title == "Une page"
    text = _plain(render_text(compare(old, new)))
    assert text.splitlines()[3:] == [
        "  modification : Une page — p/index.html",
        "      Population : 1 000 habitants → 1 200 habitants",
        "      2017 · Nombre d’@ : 3 arobases → 4 arobases",
        "      2017 · Mention : (vide) → Mention spéciale",
        "      − Un paragraphe retiré.",
    ]


def test_a_change_only_in_markup_says_so(tmp_path: Path) -> None:
    old = _site(tmp_path / "old", {"p/index.html": _page('<p><a href="a.html">Lien</a></p>')})
    new = _site(tmp_path / "new", {"p/index.html": _page('<p><a href="b.html">Lien</a></p>')})
    (change,) = compare(old, new).changes
    assert (change.note, change.lines) == ("texte visible inchangé (balisage ou métadonnées)", ())


def test_diff_on_a_generated_corpus_lists_exactly_what_differs(tmp_path: Path) -> None:
    """The same, on a corpus the example does not resemble (palmares.dev.synth): a
    population and a new write-up; the collectivité's page and the new action's are listed
    with the words that changed, and nothing whose bytes are the same."""
    from palmares.dev.synth import generate

    source = tmp_path / "source"
    generate(source, communes=40, actions=60, editions=3, seed=21)
    old = _build(source, tmp_path / "old")
    commune = sorted((source / "communes").rglob("*.yaml"))[5]
    text = commune.read_text(encoding="utf-8")
    population = next(line for line in text.splitlines() if line.startswith("population: "))
    before = int(population.split(": ")[1])
    commune.write_text(text.replace(population, f"population: {before + 17}"), encoding="utf-8")
    code = next(line for line in text.splitlines() if line.startswith("code: ")).split(": ")[1]
    year = sorted(p.name for p in (source / "content" / "actions").iterdir())[-1]
    domaine = sorted((source / "content" / "domaines").glob("*.md"))[0].stem
    (source / "content" / "actions" / year / "atelier-genere.md").write_text(
        f"---\ntitre: Un atelier généré\ncommune: {code}\nannee: {year}\n"
        f"domaines: [{domaine}]\n---\nUn texte.\n",
        encoding="utf-8",
    )
    new = _build(source, tmp_path / "new")
    report = compare(old, new)
    listed = {change.path: change.kind for change in report.changes}
    assert set(listed) == _differing(old, new)
    site = check(source).site
    assert site is not None
    assert listed[urls.commune(site.by_code[code.strip('"')])] == "changed"
    added = [rel for rel, kind in listed.items() if kind == "added" and rel.endswith(".html")]
    assert added == [f"actions/{year}/atelier-genere/index.html"]
    text_report = _plain(render_text(report))
    assert f"{before:,}".replace(",", " ") in text_report
    assert f"{before + 17:,}".replace(",", " ") in text_report


def test_json_nested_beyond_python_s_recursion_is_compared_as_text() -> None:
    """A file of 100 000 brackets ended `diff` in RecursionError (an audit)."""
    from palmares.diff import _json_changes

    deep = ("[" * 100_000 + "]" * 100_000).encode()
    _kind, lines = _json_changes(b"[1]", deep)
    assert lines  # a change, shown as text


def test_a_fifo_or_a_link_out_of_a_site_is_named_never_opened(tmp_path: Path) -> None:
    """A named pipe in a site made `diff` wait forever (it opened it to read), and a symlink
    out of the site was read and shown (an audit): they are named for what they are, never
    opened. A subprocess with a timeout: a regression fails instead of hanging the suite."""
    outside = tmp_path / "secret.html"
    outside.write_text(_page("<p>mot de passe</p>", h1="Secret"), encoding="utf-8")
    old = _site(tmp_path / "old", {"a.html": _page("<p>a</p>"), "b.html": _page("<p>b</p>")})
    new = _site(tmp_path / "new", {"b.html": _page("<p>b</p>")})
    for site in (old, new):
        os.mkfifo(site / "tube.html")  # the same on both sides: no difference
    os.mkfifo(new / "a.html")
    os.mkfifo(new / "nouveau.html")
    (new / "lien.html").symlink_to(outside)
    (new / "casse.html").symlink_to(tmp_path / "absent.html")
    (new / "dedans.html").symlink_to("b.html")  # inside the site: read as the page it names
    result = subprocess.run(
        [sys.executable, "build.py", "diff", str(old), "--out", str(new)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert "Secret" not in result.stdout
    lines = _plain(result.stdout).splitlines()
    assert lines[0].endswith(": 4 ajouts, 0 suppression, 1 modification ; 2 fichiers identiques.")
    assert lines[3:] == [
        "  ajout : casse.html",
        "      lien symbolique cassé, non lu",
        "  ajout : Une page — dedans.html",
        "  ajout : lien.html",
        "      lien symbolique vers l'extérieur du site, non lu",
        "  ajout : nouveau.html",
        "      tube nommé (FIFO), non lu",
        "  modification : a.html",
        "      fichier ordinaire → tube nommé (FIFO), non lu",
    ]


def test_a_job_summary_that_cannot_be_written_is_said_alike_by_diff_and_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """$GITHUB_STEP_SUMMARY naming a folder: diff said « comparaison impossible : [Errno 21]
    Is a directory » and exit 1 though its report was printed, check « Is a directory » (an
    audit). Both say it in one French line and keep their own exit code."""
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path))
    said = f"palmares : résumé GitHub non écrit ({tmp_path} : est un dossier)\n"
    old = _site(tmp_path / "old", {"index.html": _page("<p>avant</p>")})
    new = _site(tmp_path / "new", {"index.html": _page("<p>après</p>")})
    assert cli.main(["diff", str(old), "--out", str(new), "--format", "github"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("## Ce qui change sur le site\n") and err == said
    source = write_project(tmp_path / "source")
    assert cli.main(["check", "--source", str(source), "--no-cache", "--format", "github"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Contenu valide") and err == said


@pytest.mark.parametrize("rel", ["index.html", "collectivites"])
def test_a_file_or_folder_one_may_not_read_is_named_in_french(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, rel: str
) -> None:
    """An unreadable file made `diff` say Python's « [Errno 13] Permission denied: … », and an
    unreadable folder was left out, its files told removed (`links`: their links broken);
    both now end in one French line naming what may not be read (an audit)."""
    from tests.test_system_failures import _unreadable

    files = {"collectivites/a/index.html": _page("<p>a</p>")}
    old = _site(tmp_path / "old", {"index.html": _page("<p>avant</p>")} | files)
    new = _site(tmp_path / "new", {"index.html": _page("<p>après, plus long</p>")} | files)
    _unreadable(monkeypatch, new / rel)
    try:
        diffed = cli.main(["diff", str(old), "--out", str(new)])
        diff_out, diff_err = capsys.readouterr()
        checked = cli.main(["links", "--out", str(new)])
        links_out, links_err = capsys.readouterr()
    finally:
        (new / rel).chmod(0o755)
    what = "ce dossier" if rel == "collectivites" else "ce fichier"
    assert (diffed, diff_out) == (1, "")
    assert _plain(diff_err) == (
        f"palmares : comparaison impossible : {new / rel} : permission refusée : vérifiez {what} "
        "et ses droits, puis relancez\n"
    )
    assert (checked, links_out) == (1, "")
    assert links_err.startswith(f"palmares : {new / rel} : permission refusée : ")


def test_a_marker_that_is_a_link_out_of_the_site_is_never_read(
    sites: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`.palmares-site` a symlink to a file elsewhere: diff read its JSON, here one that
    files the home page under Actions (an audit). The marker is now found like any file of
    the site (output/built.py): a link out of it is never opened, and the folder is refused
    as one without marker."""
    old, new = sites
    site = tmp_path / "site"
    shutil.copytree(new, site)
    outside = tmp_path / "manifeste"
    outside.write_text(
        'Dossier\n{"inputs": "x", "summary": {}}\n'
        '{"actions/x/index.html": ["k", "m", ["index.html"]]}\n',
        encoding="utf-8",
    )
    (site / MARKER).unlink()
    (site / MARKER).symlink_to(outside)
    assert cli.main(["diff", str(old), "--out", str(site)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert _plain(captured.err) == (
        f"palmares : {site} n’est pas un site construit par Palmarès (son fichier "
        ".palmares-site est un lien symbolique vers l'extérieur du site, non lu) : donnez le "
        "dossier de sortie d’une construction, par exemple site/\n"
    )
    home = next(change for change in compare(old, site).changes if change.path == "index.html")
    assert home.family == ""
