"""Nothing lost, nothing unsafe published: output folders the build refuses, names that cannot
lead outside the output, hostile titles and write-ups, the preview server's root, big and
oddly named files, and the same bytes whatever the machine."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from palmares.content.markup import MAX_BYTES
from palmares.linkcheck import check_links
from palmares.output.write import MARKER, OutputError, check_output
from palmares.pipeline import build
from tests.helpers import BASE_COMMUNE, action, commune, free_port, tree, write_project

PROJECT = Path(__file__).resolve().parent.parent
HOSTILE = '</script><script>alert(1)</script> « l\'"A" & <!-- B --> » <b>gras</b>'


def run(
    *args: str, env: dict[str, str] | None = None, cwd: Path = PROJECT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "build.py", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Like `tree`, with each modification time: "nothing touched" means neither changed."""
    return {rel: (digest, (root / rel).stat().st_mtime_ns) for rel, digest in tree(root).items()}


# --- output folders the build refuses ----------------------------------------------------


@pytest.mark.parametrize(
    "out",
    [".", "communes", "content", "layouts", "communes/59", "content/actions/sous-dossier", ".."],
    ids=["source", "communes", "content", "layouts", "inside-communes", "inside-content", "parent"],
)
def test_output_over_the_sources_is_refused_and_nothing_is_touched(
    tmp_path: Path, out: str
) -> None:
    source = write_project(tmp_path / "projet", {"layouts/page.html": "{{ titre }}"})
    before = snapshot(tmp_path)
    result = run("--source", str(source), "--out", str(source / out))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("palmares : le dossier de sortie ")
    assert "recouvre le dossier source" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before


def test_home_folder_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "home"
    source = write_project(home / "projet")
    before = snapshot(tmp_path)
    result = run("--source", str(source), "--out", str(home), env={**os.environ, "HOME": str(home)})
    assert result.returncode == 2
    assert "la racine ou le dossier personnel" in result.stderr
    assert snapshot(tmp_path) == before


def test_root_folder_is_refused(tmp_path: Path) -> None:
    # In-process first: were the refusal broken, the command below would write into `/`.
    with pytest.raises(OutputError, match="la racine ou le dossier personnel"):
        check_output(Path("/"), [])
    source = write_project(tmp_path / "projet")
    before = sorted(os.listdir("/"))
    result = run("--source", str(source), "--out", "/")
    assert result.returncode == 2
    assert "la racine ou le dossier personnel" in result.stderr
    assert sorted(os.listdir("/")) == before


def test_non_empty_folder_not_made_by_the_tool_is_refused(tmp_path: Path) -> None:
    source = write_project(tmp_path / "projet")
    mine = tmp_path / "mes-documents"
    mine.mkdir()
    (mine / "rapport.txt").write_text("important", encoding="utf-8")
    before = snapshot(tmp_path)
    result = run("--source", str(source), "--out", str(mine))
    assert result.returncode == 2
    assert "n'a pas été créé par Palmarès" in result.stderr
    assert snapshot(tmp_path) == before


def test_folder_made_by_the_tool_is_replaced(tmp_path: Path) -> None:
    source = write_project(tmp_path / "projet")
    out = tmp_path / "site"
    assert run("--source", str(source), "--out", str(out)).returncode == 0
    assert (out / MARKER).is_file()
    assert run("--source", str(source), "--out", str(out)).returncode == 0


# --- nothing written outside the output folder -------------------------------------------

HOSTILE_NAMES = [
    "../../../../tmp/evade",
    "/etc/passwd",
    "..",
    "Ville\\..\\..\\x",
    "a" * 300,
    "!!!",
    "« — »",
    "...",
    "/",
]


def _hostile_project(root: Path) -> Path:
    files: dict[str, str | bytes | None] = {}
    for i, name in enumerate(HOSTILE_NAMES):
        code = f"59{i:03d}"
        quoted = json.dumps(name, ensure_ascii=False)
        files[f"communes/59/c{i}.yaml"] = commune(f'"{code}"', nom=quoted, departement='"59"')
        files[f"content/actions/2017/a{i}.md"] = action(
            commune=f'"{code}"', extra="", body=f"{name}\n"
        ).replace("titre: Une action", f"titre: {quoted}")
    # A NUL character written in YAML as an escape (`"Ville\\0../../nul"`) no longer reaches
    # the build: validation refuses control characters (tests/test_hygiene.py).
    files["content/pages/!!!.md"] = f"---\ntitre: {json.dumps(HOSTILE_NAMES[0])}\n---\nTexte.\n"
    files["content/actions/2017/" + "é" * 120 + ".md"] = action()
    return write_project(root, files)


def test_nothing_is_written_outside_the_output_whatever_names_hold(tmp_path: Path) -> None:
    source = _hostile_project(tmp_path / "projet")
    out = tmp_path / "sortie" / "site"
    watched = tmp_path.parent
    before = {p for p in watched.rglob("*")}
    result = build(source, out)
    assert result.errors == [], [str(p) for p in result.errors]
    created = {p for p in watched.rglob("*")} - before
    staging = out.parent / f".{out.name}.next"
    for path in created:
        inside = path.is_relative_to(out) or path.is_relative_to(staging)
        assert inside or path == out.parent, path
    for path in out.rglob("*"):
        assert path.resolve().is_relative_to(out.resolve()), path
        assert len(path.name.encode()) <= 255 and "\x00" not in str(path)
        assert not path.is_symlink()
    assert not Path("/tmp/evade").exists()
    assert check_links(out) == []


# --- hostile titles break no page --------------------------------------------------------


def test_titles_with_script_quotes_and_comments_break_no_page(tmp_path: Path) -> None:
    quoted = json.dumps(HOSTILE, ensure_ascii=False)
    source = write_project(
        tmp_path / "projet",
        {
            BASE_COMMUNE: commune('"59378"', nom=quoted, departement='"59"'),
            "content/actions/2017/a.md": action(commune='"59378"').replace(
                "titre: Une action", f"titre: {quoted}"
            ),
            "content/domaines/teletravail.md": f"---\ntitre: {quoted}\n---\nTexte.\n",
            "content/pages/p.md": f"---\ntitre: {quoted}\n---\nTexte.\n",
            "content/palmares/2017.md": f"---\nannee: 2017\nlieu: {quoted}\n---\nTexte.\n",
        },
    )
    out = tmp_path / "site"
    assert build(source, out).errors == []
    pages = sorted(out.rglob("*.html"))
    seen_in_title = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        rel = page.relative_to(out).as_posix()
        # What the hostile text would open, were it not escaped:
        assert "<script>alert(1)" not in html, rel
        assert "<b>gras</b>" not in html, rel
        assert html.count("<script") == html.count("</script>"), rel
        soup = BeautifulSoup(html, "html.parser")
        for script in soup.find_all("script"):
            text = script.string or ""
            assert "</script" not in text.lower() and "<!--" not in text, rel
            if script.get("type") == "application/ld+json":
                json.loads(text)  # inline JSON stays JSON
        for tag in soup.find_all(True):
            for name in tag.attrs:
                assert not name.lower().startswith("on"), (rel, tag.name, name)
        title = soup.title.string if soup.title else ""
        if title and HOSTILE in title:
            seen_in_title += 1
    assert seen_in_title >= 4  # the commune, the action, the domain and the page show it whole
    commune_pages = [p for p in pages if "<h1" in p.read_text(encoding="utf-8")]
    assert commune_pages
    for path in out.rglob("*.js"):
        text = path.read_text(encoding="utf-8")
        if "PalmaresIndex" in text:
            assert "</script" not in text.lower() and "<!--" not in text, path


def test_hostile_title_is_shown_verbatim_in_the_json_ld(tmp_path: Path) -> None:
    quoted = json.dumps(HOSTILE, ensure_ascii=False)
    source = write_project(
        tmp_path / "projet", {BASE_COMMUNE: commune('"59378"', nom=quoted, departement='"59"')}
    )
    out = tmp_path / "site"
    assert build(source, out).errors == []
    found = []
    for page in out.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script", type="application/ld+json"):
            found.append(json.loads(script.string or ""))
    assert any(f'"name": {json.dumps(HOSTILE)}' in json.dumps(data) for data in found)


# --- big and oddly named files -----------------------------------------------------------


def test_a_write_up_just_under_the_size_limit_builds(tmp_path: Path) -> None:
    # Until issue 14 a 5 MB write-up built; 100 KB is now the limit (markup.MAX_BYTES).
    paragraph = (
        "Un paragraphe d'une action, avec *un peu* de mise en forme et [un lien](https://a.fr).\n\n"
    )
    body = paragraph * (MAX_BYTES // len(paragraph.encode()) - 1) + "La toute dernière ligne.\n"
    assert MAX_BYTES - 200 < len(body.encode()) <= MAX_BYTES
    source = write_project(tmp_path / "projet", {"content/actions/2017/long.md": action(body=body)})
    out = tmp_path / "site"
    result = build(source, out)
    assert result.errors == []
    page = (out / "actions" / "2017" / "long" / "index.html").read_text(encoding="utf-8")
    assert "La toute dernière ligne." in page


def test_a_five_megabyte_write_up_is_refused_where_it_goes_over_the_limit(
    tmp_path: Path,
) -> None:
    paragraph = "Un paragraphe d'une action.\n\n"
    body = paragraph * (5 * 1024 * 1024 // len(paragraph.encode()))
    source = write_project(tmp_path / "projet", {"content/actions/2017/long.md": action(body=body)})
    result = build(source, tmp_path / "site")
    line = 7 + 2 * (MAX_BYTES // len(paragraph.encode()))
    assert [str(p) for p in result.errors] == [
        f"content/actions/2017/long.md:{line}:1: le texte dépasse 100 ko à partir d’ici : "
        "gardez l’essentiel, ou répartissez-le en plusieurs pages"
    ]
    assert not (tmp_path / "site").exists()


def test_file_names_with_spaces_and_accents_work(tmp_path: Path) -> None:
    source = write_project(
        tmp_path / "projet",
        {
            "communes/59 Nord/Marcq en Barœul.yaml": None,
            BASE_COMMUNE: None,
            "communes/59 Nord/Ville à l'Été.yaml": commune(
                '"59378"', nom="Marcq-en-Barœul", departement='"59"'
            ),
            "content/actions/2017 été/Une Action à Évry.md": action(),
            "content/pages/À propos de nous.md": "---\ntitre: À propos\n---\nTexte.\n",
        },
    )
    out = tmp_path / "site"
    assert build(source, out).errors == []
    assert (out / "actions" / "2017-ete" / "une-action-a-evry" / "index.html").is_file()
    assert check_links(out) == []


# --- same input, same bytes --------------------------------------------------------------


def _env(**changes: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH",)}
    env.update(changes)
    return env


def test_two_builds_are_byte_identical_whatever_hash_seed_timezone_and_locale(
    tmp_path: Path,
) -> None:
    gen = subprocess.run(
        [sys.executable, "-m", "palmares.dev.synth", "--communes", "40", "--actions", "80",
         "--editions", "3", "--seed", "11", str(tmp_path / "a")],
        cwd=PROJECT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert gen.returncode == 0
    # The same files created in the opposite order: another order on disk.
    for path in sorted((tmp_path / "a").rglob("*"), reverse=True):
        target = tmp_path / "b" / path.relative_to(tmp_path / "a")
        if path.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    first = run(
        "--source", str(tmp_path / "a"), "--out", str(tmp_path / "out1"),
        env=_env(PYTHONHASHSEED="1", TZ="UTC", LANG="C.UTF-8", LC_ALL="C.UTF-8"),
    )  # fmt: skip
    second = run(
        "--source", str(tmp_path / "b"), "--out", str(tmp_path / "out2"),
        env=_env(PYTHONHASHSEED="4242", TZ="Pacific/Kiritimati", LANG="fr_FR.UTF-8",
                 LC_ALL="fr_FR.UTF-8"),
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert tree(tmp_path / "out1") == tree(tmp_path / "out2")


_CLOCK_CALLS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
    ("time", "ctime"),
    ("time", "strftime"),
}
_CLOCK_ALLOWED = {
    # `new CODE` writes a source file for this year's label: content, not output.
    "palmares/importer/__init__.py",
    # The parse cache's own time stamp, in the source's .cache/: not part of the site.
    "palmares/output/cache.py",
}


def test_the_engine_never_reads_the_clock_for_its_output() -> None:
    """Dates in the output come from the content or SOURCE_DATE_EPOCH: no module reads the
    wall clock (time.perf_counter, for the summary line's duration, is not a date)."""
    found = []
    for path in sorted((PROJECT / "palmares").rglob("*.py")):
        rel = path.relative_to(PROJECT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
                if (name, node.func.attr) in _CLOCK_CALLS and rel not in _CLOCK_ALLOWED:
                    found.append(f"{rel}:{node.lineno}: {name}.{node.func.attr}()")
    assert found == []


# --- the preview server ------------------------------------------------------------------


def _raw_get(port: int, target: str) -> tuple[str, bytes]:
    """A request sent as is (like `curl --path-as-is`): no client normalises the path."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    status, _, rest = data.partition(b"\r\n")
    return status.decode(), rest


def test_preview_serves_nothing_outside_the_built_folder(tmp_path: Path) -> None:
    source = write_project(tmp_path / "projet")
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0", encoding="utf-8")
    out = tmp_path / "apercu" / "site"
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "build.py", "serve", "--source", str(source), "--out", str(out),
         "--port", str(port)],
        cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _ = _raw_get(port, "/index.html")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert status.endswith("200 OK")
        for target in [
            "/../../etc/passwd",
            "/../../../secret.txt",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E%2F%2E%2E%2Fsecret.txt",
            "/..%2f..%2f..%2fsecret.txt",
            "//etc/passwd",
            "/static/../../../secret.txt",
            "/..\\..\\secret.txt",
        ]:
            status, body = _raw_get(port, target)
            assert re.search(r" (400|403|404) ", status + " "), (target, status)
            assert b"root:x" not in body, target
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_python_file_beside_build_py_is_never_imported(tmp_path: Path) -> None:
    """The README's setup builds the checkout itself (`--source .`): a `yaml.py` added beside
    build.py by a pull request was imported in place of the library (an audit). build.py
    takes its folder off Python's path and imports the engine from `palmares/` only."""
    repo = tmp_path / "depot"
    ignore = shutil.ignore_patterns("__pycache__")
    for folder in ("palmares", "layouts", "schemas", "communes", "content"):
        shutil.copytree(PROJECT / folder, repo / folder, ignore=ignore)
    for name in ("build.py", "pyproject.toml"):
        shutil.copy(PROJECT / name, repo / name)
    marker = tmp_path / "execute"
    for name in ("yaml.py", "jinja2.py", "markdown.py"):
        (repo / name).write_text(f"open({str(marker)!r}, 'w').write({name!r})\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH")}
    env["PALMARES_CACHE_DIR"] = str(tmp_path / "cache")
    for args in (["check"], ["--out", str(tmp_path / "site")]):
        done = run(*args, env=env, cwd=repo)
        assert done.returncode == 0, done.stderr
        assert not marker.exists(), marker.read_text()
    assert (tmp_path / "site" / "index.html").is_file()


def test_a_file_name_that_is_not_utf8_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    """A name saved in Latin-1 (an audit): `check` passed it and `build` crashed."""
    source = write_project(tmp_path / "source")
    page = os.fsencode(source / "content" / "pages") + b"/caf\xe9.md"
    os.makedirs(os.path.dirname(page), exist_ok=True)
    with open(page, "wb") as stream:
        stream.write("---\ntitre: Café\n---\nTexte.\n".encode())
    expected = (
        "content/pages/caf\\xe9.md: le nom de ce fichier n'est pas en UTF-8 (il a été écrit "
        "dans un autre encodage, Latin-1 par exemple) : renommez-le en retapant ses lettres "
        "accentuées"
    )
    env = {**os.environ, "PALMARES_CACHE_DIR": str(tmp_path / "cache")}
    for args in (
        ["check", "--source", str(source)],
        ["--source", str(source), "--out", str(tmp_path / "site")],
    ):
        done = run(*args, env=env)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert expected in done.stderr.splitlines()
