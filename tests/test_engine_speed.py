"""The shortcuts the engine takes for speed give the same results as the long way."""

from __future__ import annotations

import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jinja2

from palmares.content.load import Positions, load_file
from palmares.content.read import Kind, Pos
from palmares.dev.synth import generate
from palmares.output.cache import ParseCache
from palmares.output.parallel import Shares, run_split
from palmares.pipeline import build, check
from palmares.site import templates
from palmares.site.options import Options
from palmares.site.pages import Page
from palmares.site.plan import EVERYTHING, Keys, plan

DICT_ATTRIBUTES = set(dir(dict))


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return {str(k) for k in value} | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, (list, tuple)):
        return {k for v in value for k in _keys(v)}
    return set()


def test_no_context_key_is_named_after_a_dict_method(tmp_path: Path) -> None:
    """templates.environment looks `a.b` up as a key first; Jinja's own order (attribute
    first) would give a dict method instead for a key such as `items`."""
    generate(tmp_path / "src", communes=60, actions=120, editions=4, seed=3)
    content = check(tmp_path / "src")
    assert content.site is not None
    outputs = plan(content.site, content.digests, content.redirects, list, Options(), "")
    made = [o.make() for o in outputs]
    keys = {k for page in made if isinstance(page, Page) for k in _keys(page.context)}
    assert "url" in keys and "communes" in keys
    assert not keys & DICT_ATTRIBUTES


def test_keys_change_with_what_an_output_shows_and_only_that() -> None:
    """An output's key, read the quick way (every source has a digest) or the long one (a
    source with none, as an unknown domain): it changes with each digest it shows, with a
    source added, known or not, and with what every output shares; never with another."""
    digests = {"a.yaml": "1", "b.yaml": "2", "c.md": "3"}
    keys = Keys("shared", digests)
    base = keys("x.html", ["a.yaml", "b.yaml"])
    assert base == Keys("shared", dict(digests))("x.html", ("a.yaml", "b.yaml"))
    assert keys("y.html", ["a.yaml", "b.yaml"]) != base, "the id is in the key"
    assert Keys("shared", {**digests, "c.md": "4"})("x.html", ["a.yaml", "b.yaml"]) == base
    assert Keys("shared", {**digests, "b.yaml": "5"})("x.html", ["a.yaml", "b.yaml"]) != base
    assert Keys("other", digests)("x.html", ["a.yaml", "b.yaml"]) != base
    unknown = keys("x.html", ["a.yaml", "b.yaml", "d.yaml"])
    assert unknown not in (base, keys("x.html", ["a.yaml", "b.yaml", "c.md"]))
    assert unknown == keys("x.html", ["a.yaml", "b.yaml", "d.yaml"]), "the same, build after build"
    assert (
        Keys("shared", {**digests, "d.yaml": "6"})("x.html", ["a.yaml", "b.yaml", "d.yaml"])
        != unknown
    )
    everything = keys("x.html", EVERYTHING)
    assert Keys("shared", {**digests, "c.md": "4"})("x.html", EVERYTHING) != everything
    assert Keys("shared", {**digests, "c.md": "4"}, hidden=["c.md"])("x.html", EVERYTHING) == (
        Keys("shared", digests, hidden=["c.md"])("x.html", EVERYTHING)
    )


def test_dict_first_lookup_gives_what_jinja_gives() -> None:
    env = templates.environment([], None)
    stock = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    source = "{{ d.nom }} {{ d.url }} {{ s.upper() }} {{ n.real }} {{ l|length }}"
    values = {"d": {"nom": "Évry", "url": "../x/index.html"}, "s": "abc", "n": 3, "l": [1]}
    assert env.from_string(source).render(values) == stock.from_string(source).render(values)
    missing = env.from_string("{{ d.absent }}")
    try:
        missing.render(d={})
    except jinja2.UndefinedError:
        pass
    else:
        raise AssertionError("a missing key must still be an error (StrictUndefined)")


def test_shares_hand_every_index_out_exactly_once() -> None:
    shares = Shares(1000, chunk=7, singly=10)

    def task(k: int, n: int) -> list[int]:
        return list(shares)

    taken = [i for part in run_split(task, 2) for i in part]
    assert sorted(taken) == list(range(1000))


def test_a_first_build_leaves_no_temporary_file(tmp_path: Path) -> None:
    generate(tmp_path / "src", communes=20, actions=30, editions=2, seed=5)
    build(tmp_path / "src", tmp_path / "site")
    assert not [p for p in (tmp_path / "site").rglob("*") if p.name.endswith(".tmp")]


def test_a_cache_kept_across_builds_gives_what_a_clean_build_gives(tmp_path: Path) -> None:
    """What `serve` does: one ParseCache for every rebuild, each analysis unpickled once."""
    source = tmp_path / "src"
    generate(source, communes=30, actions=40, editions=2, seed=7)
    cache = ParseCache(tmp_path / "cache", warm=True)
    build(source, tmp_path / "warm", cache=cache)
    yaml = sorted((source / "communes").rglob("*.yaml"))[3]
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(re.sub(r"(?m)^population: \d+", "population: 123456", text), "utf-8")
    rel = yaml.relative_to(source).as_posix()
    before = cache.loaded[rel]
    assert build(source, tmp_path / "warm", cache=cache).stats.rendered > 0
    assert cache.loaded[rel].digest != before.digest
    assert build(source, tmp_path / "clean").stats.pages > 0
    assert _tree(tmp_path / "warm") == _tree(tmp_path / "clean")
    # A warm cache is saved by its owner, when it suits (serve: after the reload).
    assert cache.path is not None and not cache.path.exists()
    cache.save()
    assert cache.path.exists()


def test_a_pickled_file_keeps_its_positions() -> None:
    """A file's positions travel as a pickle of their own (load.Positions), read when a
    problem asks: the same positions, the same file, pickled again as they came."""
    raw = b'code: "59378"\nnom: Marcq\ndepartement: "59"\n'
    file, problems = load_file(raw, "communes/59/marcq.yaml", Kind.COMMUNE)
    assert file is not None and not problems
    back = pickle.loads(pickle.dumps(file))
    assert isinstance(back.positions, Positions)
    assert back == file
    assert back.pos("nom") == file.pos("nom") == Pos(2, 6, "Marcq", False)
    assert back.pos("absent") == file.pos()
    again = pickle.loads(pickle.dumps(back))
    assert again == file and dict(again.positions) == dict(file.positions)


def test_problems_across_files_from_the_cache_point_where_a_fresh_check_does(
    tmp_path: Path,
) -> None:
    """Two files with one code, an action pointing at nothing: reported from cached results
    (their positions unpickled on demand) at the lines and columns a check without a cache
    gives."""
    source = tmp_path / "src"
    generate(source, communes=12, actions=10, editions=2, seed=9)
    first = sorted((source / "communes").rglob("*.yaml"))[0]
    copy = first.with_name(f"doublon-{first.name}")
    copy.write_text("# le même code\n" + first.read_text(encoding="utf-8"), "utf-8")
    action = sorted((source / "content" / "actions").rglob("*.md"))[0]
    text = action.read_text(encoding="utf-8")
    action.write_text(re.sub(r"(?m)^commune: .*$", 'commune: "99999"', text), "utf-8")
    fresh = check(source).problems
    where = {(p.path, p.line, p.col) for p in fresh if p.severity.name == "ERROR"}
    duplicate = copy.relative_to(source).as_posix()
    assert (duplicate, 2, 7) in where, "at the duplicate's `code`, below its comment"
    assert (action.relative_to(source).as_posix(), 3, 10) in where, "at the action's `commune`"
    check(source, cache=ParseCache(tmp_path / "cache"))
    cached = ParseCache(tmp_path / "cache")
    assert cached.entries, "the first check saved the cache"
    assert check(source, cache=cached).problems == fresh


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".palmares-site"
    }


def test_a_build_with_other_options_does_not_hash_the_sources_to_decide(tmp_path: Path) -> None:
    """The site's key starts with what is not the sources (engine, templates, options):
    when that part differs, the build knows it must work without reading every source's
    digest first (at national scale, a full read of 95 000 files)."""
    source = tmp_path / "src"
    generate(source, communes=12, actions=10, editions=2, seed=4)
    cache = ParseCache(tmp_path / "cache")
    assert build(source, tmp_path / "site", cache=cache).stats.pages > 0

    class Watched(ParseCache):
        asked = 0

        def digests(self, found: Any) -> Any:
            Watched.asked += 1
            return super().digests(found)

    unchanged = build(source, tmp_path / "site", cache=Watched(tmp_path / "cache"))
    assert Watched.asked == 1 and unchanged.stats.rendered == 0
    other = build(
        source, tmp_path / "site", cache=Watched(tmp_path / "cache"), base_url="https://x.fr/"
    )
    assert Watched.asked == 1, "the options changed: no need to read the sources' digests"
    assert other.stats.rendered > 0
    assert 'href="https://x.fr/' in (tmp_path / "site" / "index.html").read_text("utf-8")


STAGES = ("palmares.pipeline", "palmares.site.render", "palmares.content.model")
LIBRARIES = ("jinja2", "yaml", "markdown", "PIL", "nh3", "frontmatter")


def test_a_build_that_finds_nothing_changed_imports_no_stage(tmp_path: Path) -> None:
    """freshness.py answers before the stages are imported: a no-op build costs a Python
    start, a walk over the source and the manifest's first line (docs/benchmarks.md), not
    the 0,2 s of importing Jinja, PyYAML, Markdown, Pillow and the stages. The second run
    says what it found and exits 0; the first one imported them all."""
    source = tmp_path / "src"
    generate(source, communes=12, actions=10, editions=2, seed=4)
    probe = (
        "import sys\n"
        "from palmares import cli\n"
        f"code = cli.main(['--source', {str(source)!r}, '--out', {str(tmp_path / 'site')!r},"
        f" '--cache-dir', {str(tmp_path / 'cache')!r}])\n"
        f"print(code, sorted(m for m in {STAGES + LIBRARIES!r} if m in sys.modules))\n"
    )

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        )
        return done.stdout.strip().splitlines()[-1]

    assert run() == f"0 {sorted(STAGES + LIBRARIES)}"
    assert run() == "0 []"
    (source / "communes").joinpath("nouvelle.yaml").write_text("nom: [\n", encoding="utf-8")
    assert run().startswith("1 "), "a source changed: the stages run, and report the mistake"
