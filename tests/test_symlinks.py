"""Contributions are data: a symlink in the source is followed only when it stays inside
the source. One that leads out (to a private file, a home folder's credentials), that is
broken or that loops is a problem at the link's own path, and what it points at is never
read: no page, no file and no message can show it. So is a named pipe (FIFO), a socket or
a device named like a source file: never opened (a pipe would make the build wait forever),
and reported at its path rather than left out without a word."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from palmares.content.read import Kind, discover_paths
from palmares.pipeline import check
from tests.helpers import action, commune, write_project

PROJECT = Path(__file__).resolve().parent.parent
SECRET = "SECRET-A-NE-JAMAIS-PUBLIER-7431"
OUTSIDE = (
    "lien symbolique vers l'extérieur du dossier source : remplacez-le par le fichier lui-même"
)
LOOP = "lien symbolique en boucle (il mène à lui-même ou à un dossier qui le contient) : retirez-le"
BROKEN = (
    "lien symbolique cassé (sa cible n'existe pas) : retirez-le, ou remplacez-le par le "
    "fichier lui-même"
)


def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "build.py", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "PALMARES_JOBS": "1"},
    )


def link(source: Path, rel: str, target: str | Path) -> Path:
    """A symlink at `source/rel` to `target` (relative targets as written, like `ln -s`)."""
    path = source / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)
    return path


def private(tmp_path: Path, name: str, text: str) -> Path:
    """A file outside the source, as a stranger's pull request would like to publish."""
    path = tmp_path / "prive" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def leaked(result: subprocess.CompletedProcess[str], out: Path) -> list[str]:
    """Where SECRET shows: the messages, or any file written under `out` or its twin."""
    found = [
        name
        for name, text in (("stdout", result.stdout), ("stderr", result.stderr))
        if SECRET in text
    ]
    for folder in (out, out.parent / f".{out.name}.next"):
        if folder.is_dir():
            for path in folder.rglob("*"):
                if path.is_file() and SECRET.encode() in path.read_bytes():
                    found.append(str(path))
    return found


def build_fails_with(tmp_path: Path, source: Path, expected: str) -> None:
    """The build exits 1 with `expected` among its messages, publishes nothing, shows no
    traceback and no SECRET; `check` says the same."""
    out = tmp_path / "site"
    result = run("--source", str(source), "--out", str(out))
    assert result.returncode == 1, result.stderr
    assert expected in result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert not (out / "index.html").exists()
    assert leaked(result, out) == []
    checked = run("check", "--source", str(source))
    assert checked.returncode == 1
    assert expected in checked.stderr.splitlines()
    assert SECRET not in checked.stdout + checked.stderr


def test_page_linked_to_a_private_file_is_a_problem_and_nothing_is_published(
    tmp_path: Path,
) -> None:
    secret = private(tmp_path, "notes.md", f"---\ntitre: {SECRET}\n---\n{SECRET}\n")
    source = write_project(tmp_path / "projet")
    link(source, "content/pages/a-propos.md", secret)
    build_fails_with(tmp_path, source, f"content/pages/a-propos.md: {OUTSIDE}")


@pytest.mark.parametrize(
    "text",
    [
        f'{{"token": "{SECRET}", "password": [}}\n',  # not YAML: its text would be quoted
        commune(nom=SECRET),  # valid: it would become a page
    ],
    ids=["not-yaml", "valid-yaml"],
)
def test_collectivite_linked_to_a_private_file_is_never_read(tmp_path: Path, text: str) -> None:
    secret = private(tmp_path, "credentials.json", text)
    source = write_project(tmp_path / "projet")
    link(source, "communes/01/amberieu.yaml", secret)
    build_fails_with(tmp_path, source, f"communes/01/amberieu.yaml: {OUTSIDE}")


def test_folder_linked_out_of_the_source_is_a_problem(tmp_path: Path) -> None:
    private(tmp_path, "01.yaml", commune(nom=SECRET))
    source = write_project(tmp_path / "projet")
    link(source, "communes/ailleurs", tmp_path / "prive")
    expected = "communes/ailleurs: lien symbolique vers l'extérieur du dossier source : "
    build_fails_with(tmp_path, source, expected + "remplacez-le par le dossier lui-même")


def test_content_folder_linked_out_of_the_source_is_a_problem(tmp_path: Path) -> None:
    private(tmp_path, "pages/x.md", f"---\ntitre: {SECRET}\n---\n")
    source = write_project(tmp_path / "projet")
    link(source, "content/pages", tmp_path / "prive" / "pages")
    expected = "content/pages: lien symbolique vers l'extérieur du dossier source : "
    build_fails_with(tmp_path, source, expected + "remplacez-le par le dossier lui-même")


def test_link_to_the_parent_folder_is_a_loop_not_a_crash(tmp_path: Path) -> None:
    source = write_project(tmp_path / "projet")
    link(source, "communes/loop", "..")
    build_fails_with(tmp_path, source, f"communes/loop: {LOOP}")


def test_two_folders_linking_each_other_are_problems_not_a_crash(tmp_path: Path) -> None:
    source = write_project(tmp_path / "projet")
    link(source, "communes/a", "b")
    link(source, "communes/b", "a")
    found = [str(p) for p in check(source).problems]
    assert found == [f"communes/a: {LOOP}", f"communes/b: {LOOP}"]
    build_fails_with(tmp_path, source, f"communes/a: {LOOP}")


def test_link_to_a_folder_read_already_is_read_once(tmp_path: Path) -> None:
    source = write_project(tmp_path / "projet")
    link(source, "communes/nord", "59")
    link(source, "communes/59/encore", "..")
    assert [str(p) for p in check(source).problems] == [
        "communes/59/encore: " + LOOP,
        "communes/nord: lien symbolique vers le dossier `communes/59`, déjà lu : retirez-le, "
        "ses fichiers sont déjà pris en compte",
    ]


def test_broken_link_is_a_problem(tmp_path: Path) -> None:
    source = write_project(tmp_path / "projet")
    link(source, "communes/01/amberieu.yaml", "../../nulle-part.yaml")
    build_fails_with(tmp_path, source, f"communes/01/amberieu.yaml: {BROKEN}")


def test_links_inside_the_source_are_followed(tmp_path: Path) -> None:
    source = write_project(
        tmp_path / "projet",
        {
            "partage/amberieu.yaml": commune(),
            "partage/actions/vocabulons.md": action(commune='"01004"'),
        },
    )
    link(source, "communes/01/amberieu.yaml", "../../partage/amberieu.yaml")
    link(source, "content/actions/partagees", "../../partage/actions")
    found = [(rel, kind) for _, rel, kind in discover_paths(source)]
    assert found == [
        ("communes/01/amberieu.yaml", Kind.COMMUNE),
        ("communes/59/marcq-en-baroeul.yaml", Kind.COMMUNE),
        ("content/actions/partagees/vocabulons.md", Kind.ACTION),
        ("content/domaines/teletravail.md", Kind.DOMAINE),
    ]
    out = tmp_path / "site"
    result = run("--source", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    pages = "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert "Ambérieu-en-Bugey" in pages and "Une action" in pages


def test_a_link_leading_out_is_never_read_even_by_read_source(tmp_path: Path) -> None:
    # Discovery hands the link itself to its callers: reading it must refuse, not follow.
    from palmares.content.read import read_source

    secret = private(tmp_path, "x.yaml", SECRET)
    source = write_project(tmp_path / "projet")
    path = link(source, "communes/x.yaml", secret)
    raw, problem = read_source(str(path), "communes/x.yaml")
    assert raw == b"" and problem is not None and SECRET not in problem.message


def test_template_linked_out_of_the_source_is_refused(tmp_path: Path) -> None:
    secret = private(tmp_path, "base.html", f"{SECRET} {{{{ title }}}}")
    source = write_project(tmp_path / "projet")
    link(source, "layouts/base.html", secret)
    out = tmp_path / "site"
    result = run("--source", str(source), "--out", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "layouts/base.html: gabarit invalide : lien symbolique vers l'extérieur du dossier" in (
        result.stderr
    )
    assert leaked(result, out) == []
    assert not (out / "index.html").exists()


def test_static_file_linked_out_of_the_source_is_refused(tmp_path: Path) -> None:
    secret = private(tmp_path, "id_rsa", SECRET)
    source = write_project(tmp_path / "projet")
    link(source, "layouts/static/cle.txt", secret)
    out = tmp_path / "site"
    result = run("--source", str(source), "--out", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "lien symbolique vers l'extérieur du dossier" in result.stderr
    assert leaked(result, out) == []
    assert not (out / "index.html").exists()


def test_templates_and_static_files_linked_inside_the_source_are_used(tmp_path: Path) -> None:
    from palmares.site import templates

    source = write_project(tmp_path / "projet", {"partage/page.html": "Page : {{ titre }}"})
    (source / "partage" / "logo.svg").write_text("<svg/>", encoding="utf-8")
    link(source, "layouts/page.html", "../partage/page.html")
    link(source, "layouts/static/logo.svg", "../../partage/logo.svg")
    layouts = [source / "layouts"]
    env = templates.environment(layouts, source)
    assert env.get_template("page.html").render(titre="À propos") == "Page : À propos"
    assert templates.static_files(layouts, source) == [("static/logo.svg", b"<svg/>")]
    # Without the source, the layouts folder bounds its own links.
    with pytest.raises(templates.UnsafeLayout):
        templates.environment(layouts, None).get_template("page.html")


def test_import_reads_no_collectivite_linked_out_of_the_source(tmp_path: Path) -> None:
    from palmares.importer.resolve import existing_files

    secret = private(tmp_path, "credentials.json", f'{{"token": "{SECRET}", [}}\n')
    source = write_project(tmp_path / "projet")
    link(source, "communes/01/amberieu.yaml", secret)
    link(source, "communes/boucle", "..")
    found, problems = existing_files(source)
    assert list(found) == ["59378"]
    assert [str(p) for p in problems] == [
        f"communes/01/amberieu.yaml: {OUTSIDE}",
        f"communes/boucle: {LOOP}",
    ]


PIPE = "tube nommé (FIFO) et non un fichier ordinaire : remplacez-le par le fichier lui-même"


def test_named_pipes_named_like_source_files_are_problems_of_check_and_build(
    tmp_path: Path,
) -> None:
    """Regression: a named pipe named like a source file (a folder from a zip or a USB key
    may hold one) was left out without a word; palmares.toml as a pipe made check and build
    wait forever. Each is now an error at its path, like a link out of the source, never
    opened; a build over the last good site says it again, then builds once it is gone."""
    source = write_project(tmp_path / "projet")
    out = tmp_path / "site"
    assert run("--source", str(source), "--out", str(out)).returncode == 0
    for rel in ("communes/01/x.yaml", "content/actions/2017/a.md", "tube", "palmares.toml"):
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(source / rel)
    link(source, "content/pages/lien.md", "../../tube")
    os.mkfifo(source / "communes/01/notes.csv")  # named like no source file: not one
    expected = [
        f"communes/01/x.yaml: {PIPE}",
        f"content/actions/2017/a.md: {PIPE}",
        "content/pages/lien.md: lien symbolique vers un tube nommé (FIFO), et non vers un "
        "fichier ordinaire : remplacez-le par le fichier lui-même",
        f"palmares.toml: {PIPE}",
    ]
    before = (out / "index.html").read_bytes()
    for command in (["check"], ["build", "--out", str(out)], ["build", "--out", str(out)]):
        result = run(*command, "--source", str(source), timeout=60)
        assert result.returncode == 1, command
        assert result.stderr.splitlines()[:-1] == expected, command
    assert (out / "index.html").read_bytes() == before
    for rel in ("communes/01/x.yaml", "content/actions/2017/a.md", "palmares.toml"):
        (source / rel).unlink()
    (source / "content/pages/lien.md").unlink()
    assert run("--source", str(source), "--out", str(out)).returncode == 0


@pytest.mark.parametrize("linked", [False, True], ids=["pipe", "link-to-a-pipe"])
def test_a_named_pipe_among_the_templates_is_a_problem_never_opened(
    tmp_path: Path, linked: bool
) -> None:
    """Regression: a named pipe in layouts/ was left out without a word (the built-in
    template served instead), and a template linked to one made check and build wait
    forever."""
    source = write_project(tmp_path / "projet")
    (source / "layouts" / "static").mkdir(parents=True)
    if linked:
        os.mkfifo(source / "tube")
        link(source, "layouts/page.html", "../tube")
        why = (
            "lien symbolique vers un tube nommé (FIFO), et non vers un fichier ordinaire : "
            "remplacez-le par le fichier lui-même"
        )
    else:
        os.mkfifo(source / "layouts" / "page.html")
        why = PIPE
    expected = f"layouts/page.html: gabarit invalide : {why}"
    for command in (["check"], ["build", "--out", str(tmp_path / "site")]):
        result = run(*command, "--source", str(source), timeout=60)
        assert (result.returncode, result.stderr.splitlines()[0]) == (1, expected), command
    (source / "layouts" / "page.html").unlink()
    os.mkfifo(source / "layouts" / "static" / "x.css")
    expected = f"layouts/static/x.css: gabarit invalide : {PIPE}"
    for command in (["check"], ["build", "--out", str(tmp_path / "site")]):
        result = run(*command, "--source", str(source), timeout=60)
        assert (result.returncode, result.stderr.splitlines()[0]) == (1, expected), command


def test_templates_and_static_files_read_through_a_folder_link_inside_the_source(
    tmp_path: Path,
) -> None:
    """A link to a folder inside the source is followed in layouts/ as in content/: its
    templates and static files are used, and a change to one of them makes the pages again
    (they were read through the link, but left out of the templates' fingerprint: a build
    found nothing changed and kept the old page)."""
    source = write_project(
        tmp_path / "projet",
        {
            "content/pages/a-propos.md": "---\ntitre: À propos\n---\nLe texte.\n",
            "layouts/page.html": (
                '{% extends "base.html" %}{% block main %}'
                '{% include "partiels/pied.html" %}{% endblock %}'
            ),
            "partage/gabarits/pied.html": "Version 1",
            "partage/images/logo.svg": "<svg/>",
        },
    )
    link(source, "layouts/partiels", "../partage/gabarits")
    link(source, "layouts/static/images", "../../partage/images")
    out = tmp_path / "site"
    first = run("--source", str(source), "--out", str(out))
    assert first.returncode == 0, first.stderr
    page = out / "pages" / "a-propos" / "index.html"
    assert "Version 1" in page.read_text(encoding="utf-8")
    assert (out / "static" / "images" / "logo.svg").read_text(encoding="utf-8") == "<svg/>"
    (source / "partage" / "gabarits" / "pied.html").write_text("Version 2", encoding="utf-8")
    second = run("--source", str(source), "--out", str(out))
    assert second.returncode == 0, second.stderr
    assert "Version 2" in page.read_text(encoding="utf-8")
    assert run("--source", str(source), "check").returncode == 0


def test_a_folder_link_that_loops_in_layouts_is_walked_once(tmp_path: Path) -> None:
    source = write_project(tmp_path / "projet", {"layouts/static/a/b.txt": "b"})
    link(source, "layouts/static/a/encore", "..")
    out = tmp_path / "site"
    result = run("--source", str(source), "--out", str(out), timeout=60)
    assert result.returncode == 0, result.stderr
    assert (out / "static" / "a" / "b.txt").read_text(encoding="utf-8") == "b"
    assert not (out / "static" / "a" / "encore").exists()
