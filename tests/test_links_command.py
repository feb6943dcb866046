"""`python build.py links --out DIR`: the link check of a built site, as CI runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def links(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "build.py", "links", "--out", str(out), *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_links_of_the_example_site_pass(example_site: Path) -> None:
    result = links(example_site)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"Liens vérifiés dans {example_site} : aucun lien cassé\n"


def test_a_broken_link_is_reported_and_exits_1(example_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(example_site, site)
    page = site / "index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "</main>", '<a href="absente/index.html">x</a></main>'
        ),
        encoding="utf-8",
    )
    result = links(site)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[-1] == "1 lien à corriger"
    assert lines[0].startswith("index.html:") and "absente/index.html" in lines[0]
    github = links(site, "--format", "github")
    assert github.returncode == 1
    assert github.stdout.startswith("::error file=index.html,line=")


def test_a_folder_without_a_site_is_a_usage_error(tmp_path: Path) -> None:
    result = links(tmp_path)
    assert result.returncode == 2
    assert "pas d'index.html" in result.stderr and "Traceback" not in result.stderr


def test_github_annotation_escapes_commas_and_colons_in_file_names(tmp_path: Path) -> None:
    # Regression: `file=a, b: c.md` ended the file property at the comma.
    from tests.helpers import action, write_project

    source = write_project(tmp_path, {"content/actions/2017/a, b: c.md": action(annee="1990")})
    result = subprocess.run(
        [sys.executable, "build.py", "check", "--source", str(source), "--format", "github"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.startswith(
        "::error file=content/actions/2017/a%2C b%3A c.md,line=4,col=8::`annee` doit être"
    )


def test_a_fifo_or_a_link_out_of_a_site_is_reported_never_opened(tmp_path: Path) -> None:
    """A named pipe in a site made `links` wait forever (it opened it to read), and a page
    symlinked from outside the site was read (an audit): each is reported, none opened. The
    subprocess's timeout makes a regression fail instead of hanging the suite."""
    site = tmp_path / "site"
    site.mkdir()
    page = '<!doctype html><html lang="fr"><body><a href="{}">x</a></body></html>\n'
    (site / "index.html").write_text(page.format("tube.html"), encoding="utf-8")
    os.mkfifo(site / "tube.html")
    outside = tmp_path / "dehors.html"
    outside.write_text(page.format("/racine"), encoding="utf-8")  # a problem if it were read
    (site / "lien.html").symlink_to(outside)
    (site / "dedans.html").symlink_to("index.html")  # inside the site: read as that page
    result = links(site)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "lien.html: lien symbolique vers l'extérieur du site : il n'a pas été suivi ; "
        "remplacez-le par le fichier lui-même",
        "tube.html: tube nommé (FIFO), pas un fichier ordinaire : il n'a pas été ouvert ; "
        "retirez-le du site (une construction n'en écrit pas)",
        "2 fichiers à corriger",
    ]


def test_the_last_line_counts_links_and_files_apart(tmp_path: Path) -> None:
    """A named pipe alone ended in « 1 lien à corriger » (an audit): the last line counts
    the links to fix and the files that are no regular file of the site, each as such."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<!doctype html><html lang="fr"><body><a href="absente.html">x</a></body></html>\n',
        encoding="utf-8",
    )
    os.mkfifo(site / "tube.html")
    assert links(site).stderr.splitlines()[-1] == "1 lien et 1 fichier à corriger"
    (site / "index.html").write_text("<!doctype html><p>Rien.</p>\n", encoding="utf-8")
    assert links(site).stderr.splitlines() == [
        "tube.html: tube nommé (FIFO), pas un fichier ordinaire : il n'a pas été ouvert ; "
        "retirez-le du site (une construction n'en écrit pas)",
        "1 fichier à corriger",
    ]
