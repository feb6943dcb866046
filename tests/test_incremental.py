"""An incremental build gives exactly the bytes of a clean build, whatever was edited,
added, deleted or renamed; and it rewrites only what changed."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from palmares.dev.synth import generate
from palmares.output import cache as cache_module
from palmares.output.cache import ParseCache
from palmares.pipeline import build
from palmares.site import pages
from palmares.territory import DEPARTEMENTS

OPERATIONS = (
    "population",
    "one_more_inhabitant",
    "site_web",
    "coordonnees",
    "ancien_nom",
    "rename_commune",
    "edit_body",
    "link_commune",
    "edit_title",
    "delete_action",
    "add_action",
    "rename_action",
    "delete_commune",
    "edit_domain",
    "retitle_domain",
    "homonym",
    "edit_template",
    "add_page",
    "edit_config",
    "edit_arobases",
    "drop_label",
    "nothing",
)


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.blake2b(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def apply(source: Path, operation: str, pick: int) -> None:
    """One editor's change to the corpus (chosen by `pick`, deterministic)."""
    communes = sorted(source.glob("communes/**/*.yaml"))
    actions = sorted(source.glob("content/actions/**/*.md"))
    domains = sorted(source.glob("content/domaines/*.md"))
    if operation == "population" and communes:
        path = communes[pick % len(communes)]
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"^population: \d+", f"population: {1000 + pick}", text, flags=re.M)
        path.write_text(text, encoding="utf-8")
    elif operation == "one_more_inhabitant" and communes:
        # The same population band: its own page changes, no list (site/plan.py, LISTED).
        path = communes[pick % len(communes)]
        text = path.read_text(encoding="utf-8")
        bumped = re.sub(r"(?m)^population: (\d+)", lambda m: f"population: {int(m[1]) + 1}", text)
        path.write_text(bumped, encoding="utf-8")
    elif operation == "site_web" and communes:
        _set_field(communes[pick % len(communes)], "site_web", f"https://exemple-{pick}.fr")
    elif operation == "coordonnees" and communes:
        # Moved, or placed for the first time near its département's centre: maps show it.
        path = communes[pick % len(communes)]
        text = path.read_text(encoding="utf-8")
        dept = re.search(r'(?m)^departement: "([^"]+)"', text)
        lat, lon = DEPARTEMENTS[dept[1] if dept else "01"].centre
        found = re.search(r"lat: (-?\d+\.?\d*), lon: (-?\d+\.?\d*)", text)
        if found:
            lat, lon = float(found[1]), float(found[2])
        shift = (pick % 9 + 1) / 50
        _set_field(path, "coordonnees", f"{{lat: {lat + shift:.4f}, lon: {lon:.4f}}}")
    elif operation == "ancien_nom" and communes:
        _set_field(communes[pick % len(communes)], "anciens_noms", f"[Ancienne-{pick}]")
    elif operation == "rename_commune" and communes:
        path = communes[pick % len(communes)]
        text = path.read_text(encoding="utf-8")
        path.write_text(
            re.sub(r"^nom: .*$", f"nom: Nouvelle-Ville-{pick}", text, count=1, flags=re.M),
            encoding="utf-8",
        )
    elif operation == "edit_body" and actions:
        path = actions[pick % len(actions)]
        path.write_text(
            path.read_text(encoding="utf-8") + f"\nUn paragraphe de plus ({pick}).\n",
            encoding="utf-8",
        )
    elif operation == "link_commune" and actions and communes:
        # A write-up links to a collectivité's file: its page follows that collectivité's
        # address (renamed, a homonym) though its own file does not change.
        path = actions[pick % len(actions)]
        target = os.path.relpath(communes[pick % len(communes)], path.parent)
        path.write_text(
            path.read_text(encoding="utf-8") + f"\nVoir [la collectivité]({target}).\n",
            encoding="utf-8",
        )
    elif operation == "edit_title" and actions:
        path = actions[pick % len(actions)]
        text = path.read_text(encoding="utf-8")
        path.write_text(
            re.sub(r"^titre: .*$", f"titre: Titre revu {pick}", text, count=1, flags=re.M),
            encoding="utf-8",
        )
    elif operation == "delete_action" and actions:
        actions[pick % len(actions)].unlink()
    elif operation == "add_action" and actions:
        original = actions[pick % len(actions)]
        shutil.copy(original, original.with_name(f"copie-{pick}-{original.name}"))
    elif operation == "rename_action" and actions:
        original = actions[pick % len(actions)]
        original.rename(original.with_name(f"renommee-{pick}.md"))
    elif operation == "delete_commune" and len(communes) > 2:
        path = communes[pick % len(communes)]
        code = re.search(r'^code: "([^"]+)"', path.read_text(encoding="utf-8"), re.M)
        path.unlink()
        for action in actions:
            if code and f'commune: "{code.group(1)}"' in action.read_text(encoding="utf-8"):
                action.unlink()
    elif operation == "edit_domain" and domains:
        path = domains[pick % len(domains)]
        path.write_text(
            path.read_text(encoding="utf-8") + f"\nPrécision {pick}.\n", encoding="utf-8"
        )
    elif operation == "retitle_domain" and domains:
        path = domains[pick % len(domains)]
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^titre: .*$", f"titre: Domaine {pick}", text), "utf-8")
    elif operation == "homonym":
        # A collectivité takes the name of another of its département: both addresses
        # change (each gets its code), though one file only was edited.
        by_dept: dict[str, list[Path]] = {}
        for path in communes:
            dept = re.search(r'(?m)^departement: "([^"]+)"', path.read_text(encoding="utf-8"))
            by_dept.setdefault(dept.group(1) if dept else "", []).append(path)
        pairs = [paths for paths in by_dept.values() if len(paths) > 1]
        if pairs:
            first, other = pairs[pick % len(pairs)][:2]
            name = re.search(r"(?m)^nom: (.*)$", first.read_text(encoding="utf-8"))
            text = other.read_text(encoding="utf-8")
            if name:
                text = re.sub(r"(?m)^nom: .*$", f"nom: {name.group(1)}", text, count=1)
                other.write_text(text, encoding="utf-8")
    elif operation == "edit_template":
        layout = source / "layouts" / "page.html"
        layout.parent.mkdir(exist_ok=True)
        layout.write_text(
            '{% extends "base.html" %}{% block main %}<h1>{{ page.titre }}</h1>'
            f"<p>Version {pick}</p>{{{{ page.body|safe }}}}{{% endblock %}}\n",
            encoding="utf-8",
        )
    elif operation == "edit_config":
        # palmares.toml: the title and the footer of every page, the statement, a logo.
        (source / "logo.svg").write_text(
            f"<svg xmlns='http://www.w3.org/2000/svg' id='v{pick}'/>\n"
        )
        etat = ("non conforme", "partiellement conforme")[pick % 2]
        (source / "palmares.toml").write_text(
            f'titre = "Palmarès {pick}"\nlogo = "logo.svg"\n'
            f'[accessibilite]\netat = "{etat}"\ndate_audit = 2026-0{1 + pick % 9}-15\n',
            encoding="utf-8",
        )
    elif operation in ("edit_arobases", "drop_label"):
        # An earlier label of a collectivité: the progression of its later editions changes
        # (site/progression.py), on edition pages that show other labels of the same file.
        several = [p for p in communes if p.read_text(encoding="utf-8").count("  - annee:") > 1]
        if several:
            path = several[pick % len(several)]
            text = path.read_text(encoding="utf-8")
            if operation == "edit_arobases":
                found = re.search(r"(?m)^    arobases: (\d)$", text)
                if found:
                    n = int(found.group(1)) % 5 + 1
                    text = text[: found.start(1)] + str(n) + text[found.end(1) :]
            else:  # the first label, with its mention and distinctions
                text = re.sub(r"(?ms)^  - annee: .*?(?=^  - annee: )", "", text, count=1)
            path.write_text(text, encoding="utf-8")
    elif operation == "add_page":
        page = source / "content" / "pages" / f"page-{pick % 3}.md"
        page.write_text(f"---\ntitre: Page {pick}\n---\nTexte {pick}.\n", encoding="utf-8")


def _set_field(path: Path, key: str, value: str) -> None:
    """A collectivité's `key` set to `value` (YAML), on the line after its name."""
    text = re.sub(rf"(?m)^{key}: .*\n", "", path.read_text(encoding="utf-8"))
    text = re.sub(r"(?m)^(nom: .*\n)", lambda m: f"{m[1]}{key}: {value}\n", text, count=1)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus") / "src"
    generate(root, communes=40, actions=60, editions=4, seed=11)
    return root


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(OPERATIONS), st.integers(min_value=0, max_value=10_000)),
        min_size=1,
        max_size=5,
    )
)
def test_incremental_build_equals_clean_build(
    corpus: Path, tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[str, int]]
) -> None:
    work = tmp_path_factory.mktemp("run")
    source = work / "src"
    shutil.copytree(corpus, source)
    out = work / "out"
    cache = ParseCache(work / "cache")
    assert build(source, out, cache=cache).errors == []
    for number, (operation, pick) in enumerate(steps):
        apply(source, operation, pick)
        incremental = build(source, out, cache=ParseCache(work / "cache"))
        clean_out = work / f"clean-{number}"
        clean = build(source, clean_out)
        assert [str(p) for p in incremental.problems] == [str(p) for p in clean.problems]
        if clean.errors:
            continue
        assert tree(out) == tree(clean_out), f"after {operation} {pick}"


def test_lists_are_not_prepared_again_for_what_they_do_not_show(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A collectivité's new population in the same band, or a new website, shows on its
    own page (and in the open data): the pages that list it are not even prepared (their
    keys name it by LISTED, site/plan.py); a new name prepares them again."""
    source = tmp_path / "src"
    shutil.copytree(corpus, source)
    out = tmp_path / "out"
    assert build(source, out, workers=1).errors == []
    prepared: list[str] = []
    for family in (
        "edition", "domaine", "region", "departement", "az_index", "commune", "home",
        "editions_index", "domaines_index", "territoires_index", "search_page",
    ):  # fmt: skip
        made = getattr(pages, family)

        def counted(*args: object, _made: Any = made, _family: str = family, **kw: Any) -> Any:
            prepared.append(_family)
            return _made(*args, **kw)

        monkeypatch.setattr(pages, family, counted)
    for operation in ("one_more_inhabitant", "site_web"):
        apply(source, operation, 1)
        assert build(source, out, workers=1).errors == []
        assert prepared == ["commune"], operation
        prepared.clear()
    apply(source, "rename_commune", 1)
    assert build(source, out, workers=1).errors == []
    assert {"commune", "edition", "region", "departement", "az_index", "home"} <= set(prepared)
    # A write-up's text shows on its action's page only (and in its full-text search part):
    # the lists of actions key them by what they show (LISTED), not by their write-up.
    prepared.clear()
    apply(source, "edit_body", 3)
    assert build(source, out, workers=1).errors == []
    assert prepared == [], "no page family that lists actions"
    apply(source, "edit_title", 3)
    assert build(source, out, workers=1).errors == []
    assert {"commune", "edition", "domaine", "home"} <= set(prepared)


def test_one_change_rewrites_only_the_pages_that_changed(corpus: Path, tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(corpus, source)
    out = tmp_path / "out"
    assert build(source, out).errors == []
    assert build(source, out).stats.rendered == 0  # no-op: nothing rendered, nothing written
    before = {
        p: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in out.rglob("*.html")
    }
    apply(source, "edit_body", 7)
    result = build(source, out)
    after = {
        p: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in out.rglob("*.html")
    }
    assert set(before) == set(after)
    changed = {p for p in after if after[p][2] != before[p][2]}
    touched = {p for p in after if after[p][:2] != before[p][:2]}
    assert changed, "the edited write-up's page must change"
    assert touched == changed, "a page whose bytes did not change keeps its inode and mtime"
    assert result.stats.rendered >= len(changed)
    assert result.stats.rendered < len(after) // 4


def test_deleted_source_leaves_no_stale_page(corpus: Path, tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(corpus, source)
    out = tmp_path / "out"
    assert build(source, out).errors == []
    victim = sorted(source.glob("content/actions/**/*.md"))[0]
    page = out / "actions" / victim.parent.name / victim.stem / "index.html"
    assert page.is_file()
    victim.unlink()
    assert build(source, out).errors == []
    assert not page.exists()
    assert not page.parent.exists()


def test_cache_is_safe_to_delete_and_versioned(corpus: Path, tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(corpus, source)
    cache = tmp_path / "cache"
    assert build(source, tmp_path / "a", cache=ParseCache(cache)).errors == []
    assert any(cache.glob("parse-*.pickle"))
    assert not (source / ".cache").exists()  # nothing is written into the source
    shutil.rmtree(cache)
    apply(source, "edit_title", 3)
    assert build(source, tmp_path / "a", cache=ParseCache(cache)).errors == []
    assert build(source, tmp_path / "b").errors == []
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    # A damaged cache is only a slower build.
    for path in cache.glob("parse-*.pickle"):
        path.write_bytes(b"not a pickle")
    os.utime(next(source.glob("communes/**/*.yaml")))
    assert build(source, tmp_path / "a", cache=ParseCache(cache)).errors == []


def test_an_upgraded_dependency_builds_everything_again(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new Markdown (or Jinja, nh3, Pillow…) may render the same sources otherwise: the
    pages and the cached results made with the old one are not kept. The engine's
    fingerprint covered its own code only, so a build after `pip install -U` did nothing."""
    source = tmp_path / "src"
    shutil.copytree(corpus, source)
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(source, out, cache=ParseCache(cache), workers=1).errors == []
    prepared: list[str] = []
    made = pages.commune

    def counted(*args: object, **kw: Any) -> Any:
        prepared.append("commune")
        return made(*args, **kw)

    monkeypatch.setattr(pages, "commune", counted)
    assert build(source, out, cache=ParseCache(cache), workers=1).errors == []
    assert prepared == []  # the same engine and dependencies: nothing to do
    old = sorted(cache.glob("parse-*.pickle"))
    real = cache_module.metadata.version
    monkeypatch.setattr(
        cache_module.metadata, "version", lambda name: "99.0" if name == "markdown" else real(name)
    )
    cache_module.engine_fingerprint.cache_clear()
    try:
        result = build(source, out, cache=ParseCache(cache), workers=1)
        assert result.errors == []
        assert len(prepared) == result.stats.communes  # every page made again
        assert sorted(cache.glob("parse-*.pickle")) != old  # cached results not reused
    finally:
        cache_module.engine_fingerprint.cache_clear()


def test_the_dependencies_that_shape_the_site_are_the_project_s() -> None:
    # SHAPING names distributions: each must be a runtime dependency of pyproject.toml.
    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    runtime = {re.split(r"[<>=;\[ ]", r)[0].lower() for r in project["project"]["dependencies"]}
    assert set(cache_module.SHAPING) <= runtime


@pytest.mark.parametrize("operation", [op for op in OPERATIONS if op != "nothing"])
def test_each_kind_of_change_built_incrementally_equals_clean(
    corpus: Path, tmp_path: Path, operation: str
) -> None:
    """Every kind of change at least once (hypothesis draws only a few of them)."""
    source = tmp_path / "src"
    shutil.copytree(corpus, source)
    out = tmp_path / "out"
    assert build(source, out, cache=ParseCache(tmp_path / "cache")).errors == []
    for pick in (1, 2):
        apply(source, operation, pick)
        incremental = build(source, out, cache=ParseCache(tmp_path / "cache"))
        clean = build(source, tmp_path / f"clean-{pick}")
        assert [str(p) for p in incremental.problems] == [str(p) for p in clean.problems]
        if not clean.errors:
            assert tree(out) == tree(tmp_path / f"clean-{pick}"), f"after {operation} {pick}"
