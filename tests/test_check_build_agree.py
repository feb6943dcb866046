"""`check` and `build` agree: whatever `check` accepts, `build` builds, and neither ever
shows a traceback for anything a contribution holds (issue 14, item 1).

A small valid corpus is mutated the way careless editors and hostile contributors do
(years with no label, empty editions, domains removed but still cited, codes changed,
files renamed, emptied or removed, lists emptied, homonyms, reserved names…), then checked
and built through the command line, in this process, over a site built from the valid
corpus. Both commands exit with the same code; a failed build leaves that site as it was.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from palmares import cli
from tests.helpers import BASE_COMMUNE, action, tree, write_project

# --- the corpus, as data ------------------------------------------------------------------


@dataclass
class File:
    """A source file as fields (None: written as an empty file) and, for Markdown, a body."""

    data: dict[str, Any] | None
    body: str | None = None

    def text(self) -> str:
        fields = (
            ""
            if self.data is None
            else yaml.safe_dump(self.data, allow_unicode=True, sort_keys=False)
        )
        if self.body is None:
            return fields
        return f"---\n{fields}---\n{self.body}"


def _commune(code: str, nom: str, dept: str, *labels: tuple[int, int], **extra: Any) -> File:
    return File(
        {
            "code": code,
            "nom": nom,
            "departement": dept,
            **extra,
            "labels": [{"annee": y, "arobases": n} for y, n in labels],
        }
    )


def _action(titre: str, commune: str, annee: int, *domaines: str) -> File:
    return File(
        {"titre": titre, "commune": commune, "annee": annee, "domaines": list(domaines)},
        "Un texte.\n",
    )


def corpus() -> dict[str, File]:
    """Three collectivités over two editions, two domains, three actions, an edition's
    write-up and a page: valid, and every family of pages has something to show."""
    return {
        "communes/59/marcq.yaml": _commune(
            "59378", "Marcq-en-Barœul", "59", (2016, 4), (2017, 5), population=39000
        ),
        "communes/59/lille.yaml": _commune(
            "59350", "Lille", "59", (2017, 3), anciens_noms=["Lisle"]
        ),
        "communes/971/riviera.yaml": _commune(
            "200041507",
            "Communauté d'agglomération La Riviéra du Levant",
            "971",
            (2017, 2),
            type="intercommunalite",
        ),
        "content/domaines/teletravail.md": File(
            {"titre": "Télétravail", "ordre": 1, "editions": [2017]}, "Travailler autrement.\n"
        ),
        "content/domaines/accessibilite.md": File({"titre": "Accessibilité"}, "Pour tous.\n"),
        "content/actions/2017/bonne-appli.md": _action(
            "La bonne appli", "59378", 2017, "teletravail"
        ),
        "content/actions/2017/tiers-lieu.md": _action(
            "Un tiers-lieu", "59350", 2017, "teletravail", "accessibilite"
        ),
        "content/actions/2016/ateliers.md": _action("Ateliers", "59378", 2016, "accessibilite"),
        "content/palmares/2017.md": File(
            {"annee": 2017, "numero": 18, "date": "2017-02-01", "lieu": "Lille"}, "La cérémonie.\n"
        ),
        "content/pages/a-propos.md": File({"titre": "À propos"}, "Le label.\n"),
    }


# --- mutations -----------------------------------------------------------------------------

Mutation = tuple[str, Any, Any]
"""(what, which file or value, with what)."""

_COMMUNES = [p for p in corpus() if p.startswith("communes/")]
_ACTIONS = [p for p in corpus() if p.startswith("content/actions/")]
_MARKDOWN = [p for p in corpus() if p.endswith(".md")]
_PATHS = list(corpus())
_YEARS = [1999, 2015, 2016, 2017, 2018, 2030, 2100]
_CODES = ["59378", "59350", "59999", "2A004", "97105", "200041507", "123456789"]
_NAMES = [
    "Marcq-en-Barœul", "Lille", "Lisle", "Con", "nul", "AUX", "Com1", "lpt9", "prn.txt",
    "!!!", "Œ", "Saint-Étienne", "a" * 120, "Communauté d'agglomération La Riviéra du Levant",
]  # fmt: skip
_DEPTS = ["59", "62", "2A", "971", "75"]
_NEW_PATHS = [
    "communes/59/marcq.yml", "communes/autre.yaml", "communes/59/Lille copie.yaml",
    "content/actions/2017/con.md", "content/actions/2018/bonne-appli.md",
    "content/actions/2017/Bonne Appli.md", "content/actions/2017/tiers-lieu.md",
    "content/actions/x/y/z.md", "content/domaines/Télétravail.md", "content/domaines/nul.md",
    "content/palmares/2018.md", "content/palmares/2017.md", "content/pages/A propos.md",
    "content/pages/con.md", "content/pages/a-propos.md", "content/actions/seule.md",
    "content/actions/2017/a/b/c/d.md", "content/palmares/autre.md",
]  # fmt: skip

_FIELDS = [
    ("population", 0), ("population", 10**12), ("coordonnees", {"lat": 91, "lon": 0}),
    ("coordonnees", {"lat": 50.6, "lon": 3.1}), ("site_web", "javascript:alert(1)"),
    ("type", "intercommunalite"), ("anciens_noms", [f"Nom {n}" for n in range(60)]),
    ("anciens_noms", "Un seul"), ("lien", "https://exemple.fr/"), ("lien", "ftp://x"),
    ("mention_speciale", True), ("mention_speciale", "oui"), ("ordre", -1),
    ("editions", [2018, 2030]), ("editions", []), ("date", "2017-02-30"),
    ("date", "2019-01-01"), ("numero", 0), ("annee", 2016), ("inconnu", 1),
]  # fmt: skip

MUTATIONS = st.one_of(
    st.tuples(st.just("action_year"), st.sampled_from(_ACTIONS), st.sampled_from(_YEARS)),
    st.tuples(st.just("action_commune"), st.sampled_from(_ACTIONS), st.sampled_from(_CODES)),
    st.tuples(
        st.just("action_domains"),
        st.sampled_from(_ACTIONS),
        st.lists(st.sampled_from(["teletravail", "accessibilite", "absent"]), max_size=3),
    ),
    st.tuples(st.just("label_year"), st.sampled_from(_COMMUNES), st.sampled_from(_YEARS)),
    st.tuples(st.just("labels"), st.sampled_from(_COMMUNES), st.sampled_from([[], [(2017, 0)]])),
    st.tuples(st.just("code"), st.sampled_from(_COMMUNES), st.sampled_from(_CODES)),
    st.tuples(st.just("nom"), st.sampled_from(_COMMUNES), st.sampled_from(_NAMES)),
    st.tuples(st.just("departement"), st.sampled_from(_COMMUNES), st.sampled_from(_DEPTS)),
    st.tuples(
        st.just("anciens_noms"),
        st.sampled_from(_COMMUNES),
        st.lists(st.sampled_from(_NAMES), max_size=3),
    ),
    st.tuples(st.just("edition"), st.sampled_from(_YEARS), st.booleans()),
    st.tuples(st.just("homonym"), st.sampled_from(_COMMUNES), st.sampled_from(_CODES)),
    st.tuples(st.just("empty_lists"), st.sampled_from(_PATHS), st.none()),
    st.tuples(st.just("empty_header"), st.sampled_from(_MARKDOWN), st.none()),
    st.tuples(st.just("empty_file"), st.sampled_from(_PATHS), st.none()),
    st.tuples(st.just("remove"), st.sampled_from(_PATHS), st.none()),
    st.tuples(st.just("rename"), st.sampled_from(_PATHS), st.sampled_from(_NEW_PATHS)),
    st.tuples(st.just("title"), st.sampled_from(_MARKDOWN), st.sampled_from([*_NAMES, " "])),
    st.tuples(st.just("field"), st.sampled_from(_PATHS), st.sampled_from(_FIELDS)),
)


def _empty_lists(data: dict[str, Any]) -> None:
    for name, value in list(data.items()):
        if isinstance(value, list):
            data[name] = []
    for label in data.get("labels", ()) if isinstance(data.get("labels"), list) else ():
        label["distinctions"] = []


def mutate(files: dict[str, File], mutation: Mutation) -> None:
    """Apply one mutation to `files`; one whose file is gone already does nothing."""
    what, target, value = mutation
    if what == "edition":
        data = {"annee": target} if value else {"annee": target, "numero": 30, "lieu": "Paris"}
        files[f"content/palmares/{target}.md"] = File(data, "" if value else "Texte.\n")
        return
    file = files.get(target)
    if file is None:
        return
    if what == "remove":
        del files[target]
        return
    if what == "rename":
        files[value] = files.pop(target)
        return
    if what == "empty_file":
        files[target] = File(None, None)
        return
    if what == "empty_header":
        files[target] = File(None, file.body or "")
        return
    if what == "homonym":
        files[target.replace(".yaml", "-bis.yaml")] = File({**(file.data or {}), "code": value})
        return
    data = file.data
    if data is None:
        return
    if what == "empty_lists":
        _empty_lists(data)
    elif what == "labels":
        data["labels"] = [{"annee": y, "arobases": n} for y, n in value]
    elif what == "label_year" and data.get("labels"):
        data["labels"][0]["annee"] = value
    elif what in ("action_year", "action_commune", "action_domains"):
        data[{"action_year": "annee", "action_commune": "commune"}.get(what, "domaines")] = value
    elif what in ("code", "nom", "departement", "anciens_noms"):
        data[what] = value
    elif what == "title":
        data["titre"] = value
    elif what == "field":
        data[value[0]] = value[1]


# --- running the commands ------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    """The command line in this process: its exit code and everything it printed. An
    exception escaping it is the traceback a user would see: the test fails with it."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = cli.main([*args, "--no-cache"])
    return code, out.getvalue()


@pytest.fixture(scope="module")
def previous_site() -> Iterator[Path]:
    """The site of the valid corpus, built once: each example builds over a copy of it."""
    root = Path(tempfile.mkdtemp(prefix="palmares-agree-"))
    source, out = root / "source", root / "site"
    _write(source, {rel: f.text() for rel, f in corpus().items()})
    code, printed = run("build", "--source", str(source), "--out", str(out))
    assert code == 0, printed
    yield out
    shutil.rmtree(root, ignore_errors=True)


def _write(source: Path, files: dict[str, str]) -> None:
    """Exactly these files (helpers.write_project would add its BASE)."""
    for rel, text in files.items():
        path = source / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def check_and_build(files: dict[str, str], previous: Path, strict: bool = False) -> None:
    root = Path(tempfile.mkdtemp(prefix="palmares-agree-"))
    try:
        source = root / "source"
        _write(source, files)
        out = root / "site"
        shutil.copytree(previous, out)
        before = tree(out)
        options = ["--strict"] if strict else []
        checked, check_output = run("check", "--source", str(source), *options)
        built, build_output = run("build", "--source", str(source), "--out", str(out), *options)
        for printed in (check_output, build_output):
            assert "Traceback" not in printed, printed
        assert checked == built, f"check: {check_output}\nbuild: {build_output}"
        if built != 0:
            assert tree(out) == before, "a failed build left the previous site as it was"
    finally:
        shutil.rmtree(root, ignore_errors=True)


# A check and a build of this corpus take about 0.15 s: 60 examples in 10 to 20 s.
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(mutations=st.lists(MUTATIONS, min_size=1, max_size=4), strict=st.booleans())
@example(mutations=[("action_year", "content/actions/2017/bonne-appli.md", 2018)], strict=False)
@example(mutations=[("edition", 2030, True)], strict=False)
@example(mutations=[("remove", "content/domaines/teletravail.md", None)], strict=False)
@example(mutations=[("nom", "communes/59/lille.yaml", "Marcq-en-Barœul")], strict=False)
@example(mutations=[("nom", "communes/59/lille.yaml", "Con")], strict=False)
@example(mutations=[("empty_lists", "content/actions/2017/tiers-lieu.md", None)], strict=False)
@example(
    mutations=[("rename", "content/actions/2016/ateliers.md", "content/actions/2017/con.md")],
    strict=False,
)
@example(mutations=[("homonym", "communes/59/lille.yaml", "59999")], strict=True)
@example(mutations=[("field", "communes/59/lille.yaml", _FIELDS[6])], strict=False)
def test_check_and_build_agree_on_any_mutated_corpus(
    mutations: list[Mutation], strict: bool, previous_site: Path
) -> None:
    files = corpus()
    for mutation in mutations:
        mutate(files, mutation)
    check_and_build({rel: f.text() for rel, f in files.items()}, previous_site, strict)


# --- the cases found, each pinned ---------------------------------------------------------


def test_an_action_in_a_year_no_label_names_builds(tmp_path: Path) -> None:
    """Regression: `check` warned and said valid, `build` ended in KeyError in search.py
    (`year_index[a.annee]`). The year is an edition of the site, with its action."""
    source = write_project(tmp_path / "source", {"content/actions/2018/x.md": action(annee="2018")})
    checked, check_output = run("check", "--source", str(source))
    built, build_output = run("build", "--source", str(source), "--out", str(tmp_path / "site"))
    assert (checked, built) == (0, 0), build_output
    assert "n'a pas de label en 2018" in check_output
    assert (tmp_path / "site/palmares/2018/index.html").is_file()
    assert "Palmarès 2018" in (tmp_path / "site/actions/2018/x/index.html").read_text("utf-8")


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "a\n{{ 1/0 }}",
            "layouts/page.html:2: le gabarit échoue ici (ZeroDivisionError : division by zero)",
        ),
        (
            "a\n{{ range(10**9)|list|length }}",
            "layouts/page.html:2: le gabarit échoue ici (OverflowError : Range too big. The "
            "sandbox blocks ranges larger than MAX_RANGE (100000).)",
        ),
        (
            'a\n{% extends "page.html" %}',
            "layouts/page.html:2: le gabarit échoue ici (RecursionError : maximum recursion "
            "depth exceeded in comparison) : un gabarit qui s'étend ou s'inclut lui-même ?",
        ),
        (
            '{% include "absent.html" %}',
            "layouts/page.html:1: le gabarit « absent.html » n'existe pas, ni dans layouts/ ni "
            "parmi ceux du moteur : vérifiez son nom",
        ),
        (
            "a\n{{ titre_inconnu }}",
            "layouts/page.html:2: le gabarit lit « titre_inconnu », que la page n'a pas : "
            "vérifiez son nom, ou testez-la d'abord (`{% if valeur is defined %}`)",
        ),
        (
            "{{ 'a' * 10**13 }}",
            "layouts/page.html:1: erreur de gabarit : un gabarit ne peut pas répéter un texte "
            "ou une liste au-delà de 1\u202f000\u202f000 éléments",
        ),
        (
            # The built-in base.html is the innermost template: the source's is named.
            '{% extends "base.html" %}{% block main %}{% include "page.html" %}{% endblock %}',
            "layouts/page.html:1: le gabarit échoue ici (RecursionError : maximum recursion",
        ),
        (
            "caf\xe9".encode("latin-1"),
            "layouts/page.html: le gabarit n'est pas en UTF-8 (octet 0xe9) : enregistrez-le "
            "en UTF-8",
        ),
    ],
)
def test_a_contributed_template_that_fails_is_a_problem_not_a_traceback(
    tmp_path: Path, template: str | bytes, expected: str
) -> None:
    """Regression: a template of the source's layouts/ raising while rendering ended the
    build in a traceback; one not found was reported as a folder that cannot be written.
    And check, which compiles templates but had no page to run them on, said « Contenu
    valide » where build failed (an audit): it now renders them too, writing nothing."""
    source = write_project(
        tmp_path / "source",
        {"layouts/page.html": template, "content/pages/p.md": "---\ntitre: P\n---\n"},
    )
    checked, said = run("check", "--source", str(source))
    built, printed = run("build", "--source", str(source), "--out", str(tmp_path / "site"))
    assert checked == built == 1
    assert "Traceback" not in printed + said
    assert printed.splitlines()[0].startswith(expected), printed
    assert said.splitlines()[0] == printed.splitlines()[0]
    assert not (tmp_path / "site").exists()


def test_check_reads_the_static_files_build_would_publish(tmp_path: Path) -> None:
    source = write_project(tmp_path / "source")
    (tmp_path / "secret.css").write_text("secret", encoding="utf-8")
    (source / "layouts" / "static").mkdir(parents=True)
    (source / "layouts" / "static" / "x.css").symlink_to(tmp_path / "secret.css")
    checked, said = run("check", "--source", str(source))
    built, printed = run("build", "--source", str(source), "--out", str(tmp_path / "site"))
    assert checked == built == 1
    assert (
        said.splitlines()[0]
        == printed.splitlines()[0]
        == (
            "layouts/static/x.css: gabarit invalide : lien symbolique vers l'extérieur du dossier "
            "source : remplacez-le par le fichier lui-même"
        )
    )
    assert "secret" not in said + printed


def test_a_layouts_link_to_the_built_in_templates_is_a_warning_of_check_and_build(
    tmp_path: Path,
) -> None:
    """A source's `layouts` linked to the engine's own layouts/ was silently left out (an
    audit): it overrides nothing, and its author may believe it does. check and build warn
    alike, a build that finds nothing changed says it again, --strict refuses it."""
    from palmares.site.layouts import DEFAULT

    source = write_project(tmp_path / "source")
    (source / "layouts").symlink_to(DEFAULT)
    warning = (
        "layouts: avertissement : lien symbolique vers les gabarits intégrés de Palmarès "
        "eux-mêmes : il ne remplace aucun gabarit, retirez-le (sans dossier layouts/, ce sont "
        "ces gabarits qui servent)"
    )
    site = str(tmp_path / "site")
    for command in (["check"], ["build", "--out", site], ["build", "--out", site]):
        code, printed = run(*command, "--source", str(source))
        assert (code, printed.splitlines()[0]) == (0, warning), command
    for command in (["check"], ["build", "--out", site]):
        code, printed = run(*command, "--strict", "--source", str(source))
        assert code == 1 and printed.startswith(warning.replace("avertissement : ", "")), command
    (source / "layouts").unlink()
    code, printed = run("build", "--out", site, "--source", str(source))
    assert code == 0 and "avertissement" not in printed


def test_a_layouts_link_out_of_the_source_is_named_at_layouts(tmp_path: Path) -> None:
    """Regression: a source's `layouts` linked to a folder outside was reported at each
    template read through it (« layouts/404.html: gabarit invalide : lien symbolique vers
    l'extérieur … remplacez-le par le fichier lui-même »), naming a file that is no link,
    and not at all when that folder held no template. check and build now name `layouts`,
    once, and read nothing through it; a build over the last site says it again, that site
    built with `layouts` linked to the built-in templates (a warning, not this error)."""
    from palmares.site.layouts import DEFAULT

    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    (elsewhere / "404.html").write_text("secret", encoding="utf-8")
    source = write_project(tmp_path / "source")
    site = str(tmp_path / "site")
    (source / "layouts").symlink_to(DEFAULT)
    assert run("build", "--source", str(source), "--out", site)[0] == 0
    (source / "layouts").unlink()
    (source / "layouts").symlink_to(elsewhere)
    expected = [
        "layouts: lien symbolique vers l'extérieur du dossier source : aucun de ses gabarits "
        "n'est lu ; remplacez-le par un vrai dossier layouts/ qui contient les gabarits "
        "eux-mêmes"
    ]
    for command in (["check"], ["build", "--out", site], ["build", "--out", site]):
        code, printed = run(*command, "--source", str(source))
        assert (code, printed.splitlines()[:-1]) == (1, expected), command
        assert "secret" not in printed
    (elsewhere / "404.html").unlink()  # a folder with no template is no better
    code, printed = run("build", "--out", site, "--source", str(source))
    assert (code, printed.splitlines()[:-1]) == (1, expected)


@pytest.mark.parametrize("target", ["layouts", "../nulle-part", BASE_COMMUNE])
def test_a_layouts_link_that_is_broken_loops_or_leads_to_a_file_is_an_error(
    tmp_path: Path, target: str
) -> None:
    """A `layouts` link in a loop ended check and build in Python's RuntimeError (pathlib's
    resolve); a broken one, or one to a file, was left out without a word, the built-in
    templates serving. Now an error at `layouts` for both commands, and no site."""
    source = write_project(tmp_path / "source")
    (source / "layouts").symlink_to(target)
    expected = [
        "layouts: lien symbolique cassé, en boucle ou vers un fichier : aucun gabarit n'est lu "
        "par lui ; remplacez-le par un vrai dossier layouts/ qui contient les gabarits "
        "eux-mêmes, ou retirez-le"
    ]
    site = tmp_path / "site"
    for command in (["check"], ["build", "--out", str(site)]):
        code, printed = run(*command, "--source", str(source))
        assert (code, printed.splitlines()[:-1]) == (1, expected), command
    assert not site.exists()


def test_a_folder_linked_out_of_layouts_is_named_at_the_link(tmp_path: Path) -> None:
    """Regression: a template read through a folder of layouts/ linked out of the source
    was reported at its own path, layouts/partials/x.html, which is no link."""
    (tmp_path / "ailleurs").mkdir()
    (tmp_path / "ailleurs" / "x.html").write_text("secret", encoding="utf-8")
    source = write_project(
        tmp_path / "source",
        {
            "layouts/page.html": '{% include "partials/x.html" %}',
            "content/pages/p.md": "---\ntitre: P\n---\n",
        },
    )
    (source / "layouts" / "partials").symlink_to(tmp_path / "ailleurs")
    expected = [
        "layouts/partials: gabarit invalide : lien symbolique vers l'extérieur du dossier "
        "source : remplacez-le par le dossier lui-même"
    ]
    for command in (["check"], ["build", "--out", str(tmp_path / "site")]):
        code, printed = run(*command, "--source", str(source))
        assert (code, printed.splitlines()[:-1]) == (1, expected), command
        assert "secret" not in printed


def test_a_folder_linked_out_of_layouts_is_named_even_when_no_template_reads_it(
    tmp_path: Path,
) -> None:
    """A link out of the source in layouts/ was reported only when a template read through
    it: one that nothing includes yet (or a static folder, whose files build refused) went
    unsaid by check. Every one is now named at the link, by check and build alike."""
    (tmp_path / "ailleurs").mkdir()
    (tmp_path / "ailleurs" / "x.html").write_text("secret", encoding="utf-8")
    source = write_project(tmp_path / "source", {"layouts/page.html": "{{ page.titre }}"})
    (source / "layouts" / "partials").symlink_to(tmp_path / "ailleurs")
    (source / "layouts" / "static").mkdir()
    (source / "layouts" / "static" / "images").symlink_to(tmp_path / "ailleurs")
    outside = (
        "gabarit invalide : lien symbolique vers l'extérieur du dossier source : remplacez-le "
        "par le dossier lui-même"
    )
    expected = [f"layouts/partials: {outside}", f"layouts/static/images: {outside}"]
    for command in (["check"], ["build", "--out", str(tmp_path / "site")]):
        code, printed = run(*command, "--source", str(source))
        assert (code, printed.splitlines()[:-1]) == (1, expected), command
        assert "secret" not in printed
