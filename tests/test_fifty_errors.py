"""`check` on a synthetic corpus corrupted in 50 distinct ways and places reports exactly those
50 problems, each at its file and line, in one run.

Each corruption edits one file (or adds one) and expects one error. Collectivité files that
the corruption may make unreadable are taken among those no action points at, so no error
hides or repeats another.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from palmares.dev.synth import generate
from palmares.pipeline import check
from palmares.problems import Severity

PROJECT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Expected:
    path: str
    line: int
    fragment: str


class Corpus:
    def __init__(self, root: Path) -> None:
        self.root = root
        used = {
            m.group(1)
            for path in root.glob("content/actions/**/*.md")
            if (m := re.search(r'^commune: "(\w+)"', path.read_text(encoding="utf-8"), re.M))
        }
        communes = sorted(p.relative_to(root).as_posix() for p in root.glob("communes/**/*.yaml"))
        self.free: Iterator[str] = iter(
            [
                rel
                for rel in communes
                if re.search(r'^code: "(\w+)"', self.read(rel), re.M).group(1) not in used  # type: ignore[union-attr]
                and re.match(r'code: "\d{5}"\nnom: .+\ndepartement: "\d\d"\n', self.read(rel))
            ]
        )
        self.actions: Iterator[str] = iter(
            sorted(p.relative_to(root).as_posix() for p in root.glob("content/actions/**/*.md"))
        )
        self.editions: Iterator[str] = iter(
            sorted(p.relative_to(root).as_posix() for p in root.glob("content/palmares/*.md"))
        )

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def write(self, rel: str, text: str | bytes) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")

    def sub(self, rel: str, pattern: str, replacement: str) -> int:
        """Replace the first line matching `pattern`; return its line number."""
        text = self.read(rel)
        match = re.search(pattern, text, re.M)
        assert match is not None, (rel, pattern)
        self.write(rel, text[: match.start()] + match.expand(replacement) + text[match.end() :])
        return text.count("\n", 0, match.start()) + 1

    def line(self, rel: str, pattern: str) -> int:
        text = self.read(rel)
        match = re.search(pattern, text, re.M)
        assert match is not None, (rel, pattern)
        return text.count("\n", 0, match.start()) + 1


Corruption = Callable[[Corpus], Expected | list[Expected]]
CORRUPTIONS: list[Corruption] = []


def corruption(function: Corruption) -> Corruption:
    CORRUPTIONS.append(function)
    return function


# --- collectivités ---------------------------------------------------------------------------


@corruption
def unquoted_code(c: Corpus) -> Expected:
    rel = next(c.free)
    line = c.sub(rel, r'^code: "(\d+)"', "code: 59378")
    return Expected(rel, line, "`code` doit être un texte entre guillemets")


@corruption
def unknown_departement(c: Corpus) -> Expected:
    rel = next(c.free)
    return Expected(rel, c.sub(rel, r"^departement: .*$", 'departement: "96"'), "inconnu « 96 »")


@corruption
def six_arobases(c: Corpus) -> Expected:
    rel = next(c.free)
    return Expected(rel, c.sub(rel, r"^    arobases: \d$", "    arobases: 6"), "de 0 à 5")


@corruption
def zero_arobases_without_mention(c: Corpus) -> Expected:
    rel = next(c.free)
    return Expected(rel, c.sub(rel, r"^    arobases: \d$", "    arobases: 0"), "mention simple")


@corruption
def same_year_twice(c: Corpus) -> Expected:
    rel = next(c.free)
    text = c.read(rel)
    year = re.search(r"^  - annee: (\d+)$", text, re.M).group(1)  # type: ignore[union-attr]
    c.write(rel, text + f"  - annee: {year}\n    arobases: 1\n")
    return Expected(rel, len(text.splitlines()) + 1, "figure deux fois")


@corruption
def misspelt_field(c: Corpus) -> Expected:
    rel = next(c.free)
    return Expected(
        rel, c.sub(rel, r"^    arobases:", "    arobase:"), "vouliez-vous écrire `arobases`"
    )


@corruption
def tab_indentation(c: Corpus) -> Expected:
    rel = next(c.free)
    return Expected(rel, c.sub(rel, r"^    arobases:", "\tarobases:"), "tabulation")


@corruption
def duplicate_key(c: Corpus) -> Expected:
    rel = next(c.free)
    line = c.sub(rel, r"^(departement: .*)$", r"\g<1>\nnom: Doublon")
    return Expected(rel, line + 1, "apparaît deux fois")


@corruption
def ftp_web_site(c: Corpus) -> Expected:
    rel = next(c.free)
    c.write(rel, re.sub(r"^site_web: .*\n", "", c.read(rel), flags=re.M))
    line = c.sub(rel, r"^(departement: .*)$", r"\g<1>\nsite_web: ftp://a.fr")
    return Expected(rel, line + 1, "https://")


@corruption
def type_outside_the_list(c: Corpus) -> Expected:
    rel = next(c.free)
    line = c.sub(rel, r"^(departement: .*)$", r"\g<1>\ntype: village")
    return Expected(rel, line + 1, "`type` vaut")


@corruption
def population_with_a_space(c: Corpus) -> Expected:
    rel = next(c.free)
    text = c.read(rel)
    text = re.sub(r"^population: .*\n", "", text, flags=re.M)
    c.write(rel, text)
    line = c.sub(rel, r"^(departement: .*)$", r"\g<1>\npopulation: 16 000")
    return Expected(rel, line + 1, "`population` doit être un nombre entier")


@corruption
def latitude_out_of_range(c: Corpus) -> Expected:
    rel = next(c.free)
    text = re.sub(r"^coordonnees: .*\n", "", c.read(rel), flags=re.M)
    c.write(rel, text)
    line = c.sub(rel, r"^(departement: .*)$", r"\g<1>\ncoordonnees: {lat: 95, lon: 2}")
    return Expected(rel, line + 1, "entre -90 et 90")


@corruption
def empty_labels(c: Corpus) -> Expected:
    rel = next(c.free)
    text = c.read(rel)
    head, _, _labels = text.partition("labels:\n")
    c.write(rel, head + "labels: []\n")
    return Expected(rel, head.count("\n") + 1, "`labels` est vide")


@corruption
def code_of_the_wrong_shape(c: Corpus) -> Expected:
    rel = next(c.free)
    return Expected(rel, c.sub(rel, r'^code: ".*"$', 'code: "0100"'), "trouvé : « 0100 »")


@corruption
def departement_unquoted(c: Corpus) -> Expected:
    rel = next(c.free)
    line = c.line(rel, r"^departement:")
    departement = re.search(r'^departement: "(\d\d)"', c.read(rel), re.M).group(1)  # type: ignore[union-attr]
    c.sub(rel, r"^departement: .*$", f"departement: {int(departement)}")
    return Expected(rel, line, "`departement` doit être un texte entre guillemets")


@corruption
def latin1_file(c: Corpus) -> Expected:
    rel = next(c.free)
    text = c.read(rel)
    c.write(rel, text.replace("nom: ", "nom: é", 1).encode("latin-1", errors="replace"))
    return Expected(rel, 2, "n'est pas en UTF-8")


@corruption
def empty_file(c: Corpus) -> Expected:
    rel = next(c.free)
    c.write(rel, "")
    return Expected(rel, 1, "le fichier est vide")


@corruption
def document_that_is_a_list(c: Corpus) -> Expected:
    rel = next(c.free)
    c.write(rel, "\n".join(f"- {line}" for line in c.read(rel).splitlines()[:3]) + "\n")
    return Expected(rel, 1, "le fichier contient une liste")


@corruption
def yaml_alias(c: Corpus) -> Expected:
    rel = next(c.free)
    line = c.sub(rel, r"^nom: (.*)$", r"nom: &n \g<1>\nanciens_noms: [*n]")
    return Expected(rel, line + 1, "l'alias YAML `*n`")


@corruption
def empty_mention(c: Corpus) -> Expected:
    rel = next(c.free)
    c.write(rel, re.sub(r"^    mention: .*\n", "", c.read(rel), flags=re.M))
    line = c.sub(rel, r"^(    arobases: \d)$", r"\g<1>\n    mention:")
    return Expected(rel, line + 1, "`mention` est vide")


@corruption
def two_files_with_the_same_code(c: Corpus) -> list[Expected]:
    rel = next(c.free)
    copy = rel.replace(".yaml", "-copie.yaml")
    c.write(copy, c.read(rel))
    return [Expected(rel, 1, "est déjà le code de"), Expected(copy, 1, "est déjà le code de")]


@corruption
def code_of_another_departement(c: Corpus) -> Expected:
    rel = next(c.free)
    departement = re.search(r'^departement: "(\d\d)"', c.read(rel), re.M).group(1)  # type: ignore[union-attr]
    other = "59" if departement != "59" else "62"
    c.sub(rel, r"^departement: .*$", f'departement: "{other}"')
    return Expected(rel, 1, "n'est pas celui d'une commune du département")


@corruption
def empty_name(c: Corpus) -> Expected:
    rel = next(c.free)
    return Expected(rel, c.sub(rel, r"^nom: .*$", "nom:"), "`nom` est vide")


@corruption
def quoted_year(c: Corpus) -> Expected:
    rel = next(c.free)
    return Expected(
        rel, c.sub(rel, r"^  - annee: (\d+)$", r'  - annee: "\g<1>"'), "sans guillemets"
    )


@corruption
def labels_as_fields(c: Corpus) -> Expected:
    rel = next(c.free)
    text = c.read(rel)
    head, _, _labels = text.partition("labels:\n")
    c.write(rel, head + "labels:\n  annee: 2017\n  arobases: 3\n")
    return Expected(rel, head.count("\n") + 2, "`labels` doit être une liste")


@corruption
def colon_in_a_value(c: Corpus) -> Expected:
    rel = next(c.free)
    return Expected(rel, c.sub(rel, r"^nom: (.*)$", r"nom: \g<1>: la ville"), "contient « : »")


@corruption
def nul_byte(c: Corpus) -> Expected:
    rel = next(c.free)
    c.write(rel, c.read(rel).replace("nom: ", "nom: \x00", 1))
    return Expected(rel, 2, "caractère nul")


@corruption
def unclosed_bracket(c: Corpus) -> Expected:
    rel = next(c.free)
    line = c.sub(rel, r"^(departement: .*)$", r"\g<1>\nanciens_noms: [Ancien nom")
    return Expected(rel, line + 1, "n'est pas fermée")


# --- actions -------------------------------------------------------------------------------


@corruption
def action_pointing_at_nothing(c: Corpus) -> Expected:
    rel = next(c.actions)
    return Expected(rel, c.sub(rel, r"^commune: .*$", 'commune: "99999"'), "ne désigne aucune")


@corruption
def action_with_an_unknown_domain(c: Corpus) -> Expected:
    rel = next(c.actions)
    return Expected(rel, c.sub(rel, r"^domaines: .*$", "domaines: [potager]"), "« potager »")


@corruption
def action_with_unquoted_commune(c: Corpus) -> Expected:
    rel = next(c.actions)
    return Expected(rel, c.sub(rel, r"^commune: .*$", "commune: 59378"), "entre guillemets")


@corruption
def action_without_title(c: Corpus) -> Expected:
    rel = next(c.actions)
    c.sub(rel, r"^titre: .*\n", "")
    return Expected(rel, 2, "le champ `titre` est obligatoire")


@corruption
def action_year_out_of_range(c: Corpus) -> Expected:
    rel = next(c.actions)
    return Expected(rel, c.sub(rel, r"^annee: .*$", "annee: 1990"), "de 1999 à 2100")


@corruption
def action_link_javascript(c: Corpus) -> Expected:
    rel = next(c.actions)
    c.write(rel, re.sub(r"^lien: .*\n", "", c.read(rel), flags=re.M))
    line = c.sub(rel, r"^(annee: .*)$", r"\g<1>\nlien: javascript:alert(1)")
    return Expected(rel, line + 1, "`lien` doit être une adresse web")


@corruption
def action_special_mention_not_boolean(c: Corpus) -> Expected:
    rel = next(c.actions)
    line = c.sub(rel, r"^(annee: .*)$", r"\g<1>\nmention_speciale: oui merci")
    return Expected(rel, line + 1, "`true` ou `false`")


@corruption
def action_without_front_matter(c: Corpus) -> Expected:
    rel = next(c.actions)
    c.write(rel, c.read(rel).split("---\n", 2)[2])
    return Expected(rel, 1, "l'en-tête manque")


@corruption
def action_front_matter_not_closed(c: Corpus) -> Expected:
    rel = next(c.actions)
    head, _, _body = c.read(rel)[4:].partition("---\n")
    c.write(rel, "---\n" + head)
    return Expected(rel, 1, "l'en-tête n'est pas fermé")


@corruption
def action_misspelt_title(c: Corpus) -> Expected:
    rel = next(c.actions)
    return Expected(rel, c.sub(rel, r"^titre:", "titel:"), "vouliez-vous écrire `titre`")


@corruption
def action_empty_domain_list(c: Corpus) -> Expected:
    rel = next(c.actions)
    return Expected(rel, c.sub(rel, r"^domaines: .*$", "domaines: []"), "ne peut pas être vide")


@corruption
def two_actions_with_the_same_address(c: Corpus) -> list[Expected]:
    rel = next(c.actions)
    folder, name = rel.rsplit("/", 1)
    copy = f"{folder}/{name[:1].upper()}{name[1:]}"
    c.write(copy, c.read(rel))
    return [Expected(rel, 1, "aurait la même adresse"), Expected(copy, 1, "aurait la même adresse")]


@corruption
def action_title_a_list(c: Corpus) -> Expected:
    rel = next(c.actions)
    return Expected(rel, c.sub(rel, r"^titre: .*$", "titre: [a, b]"), "`titre` doit être un texte")


# --- domains, editions, pages ------------------------------------------------------------


@corruption
def domain_file_name_not_a_slug(c: Corpus) -> Expected:
    rel = "content/domaines/Télé Travail.md"
    c.write(rel, "---\ntitre: Télé travail\n---\n")
    return Expected(rel, 0, "renommez-le `tele-travail.md`")


@corruption
def domain_editions_not_a_list(c: Corpus) -> Expected:
    rel = "content/domaines/jardinage.md"
    c.write(rel, "---\ntitre: Jardinage\neditions: 2017\n---\n")
    return Expected(rel, 3, "liste d'années")


@corruption
def edition_date_that_is_not_a_date(c: Corpus) -> Expected:
    rel = next(c.editions)
    return Expected(rel, c.sub(rel, r"^date: .*$", "date: 2017-02-30"), "date réelle")


@corruption
def edition_year_differs_from_file_name(c: Corpus) -> Expected:
    rel = next(c.editions)
    year = int(Path(rel).stem)
    return Expected(rel, c.sub(rel, r"^annee: .*$", f"annee: {year + 50}"), "nom du fichier")


@corruption
def edition_number_zero(c: Corpus) -> Expected:
    rel = next(c.editions)
    return Expected(rel, c.sub(rel, r"^numero: .*$", "numero: 0"), "supérieur ou égal à 1")


@corruption
def edition_misspelt_place(c: Corpus) -> Expected:
    rel = next(c.editions)
    return Expected(rel, c.sub(rel, r"^lieu:", "lieux:"), "vouliez-vous écrire `lieu`")


@corruption
def page_in_english(c: Corpus) -> Expected:
    rel = "content/pages/about.md"
    c.write(rel, "---\ntitle: About\n---\nText.\n")
    return Expected(rel, 2, "vouliez-vous écrire `titre`")


@corruption
def page_with_empty_front_matter(c: Corpus) -> Expected:
    rel = "content/pages/vide.md"
    c.write(rel, "---\n---\nTexte.\n")
    return Expected(rel, 1, "l'en-tête est vide")


@corruption
def page_with_unclosed_quote(c: Corpus) -> Expected:
    rel = "content/pages/guillemets.md"
    c.write(rel, '---\ntitre: "Méthode\n---\nTexte.\n')
    return Expected(rel, 2, "guillemets ne sont jamais refermés")


def test_there_are_fifty_distinct_corruptions() -> None:
    assert len(CORRUPTIONS) == 50
    assert len({f.__name__ for f in CORRUPTIONS}) == 50


@pytest.fixture(scope="module")
def corrupted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Expected]]:
    root = tmp_path_factory.mktemp("fifty") / "source"
    generate(root, communes=120, actions=60, editions=4, seed=7)
    assert [p for p in check(root).problems if p.severity is Severity.ERROR] == []
    corpus = Corpus(root)
    expected: list[Expected] = []
    for corrupt in CORRUPTIONS:  # a conflict between two files is reported on both
        made = corrupt(corpus)
        expected += made if isinstance(made, list) else [made]
    shutil.rmtree(root / ".cache", ignore_errors=True)
    return root, expected


def test_check_reports_exactly_the_fifty_problems_in_one_run(
    corrupted: tuple[Path, list[Expected]],
) -> None:
    root, expected = corrupted
    errors = [p for p in check(root).problems if p.severity is Severity.ERROR]
    found = sorted((p.path, p.line) for p in errors)
    assert found == sorted((e.path, e.line) for e in expected), "\n".join(map(str, errors))
    by_place = {(p.path, p.line): p.message for p in errors}
    for e in expected:
        assert e.fragment in by_place[(e.path, e.line)], (e, by_place[(e.path, e.line)])


def test_check_command_counts_fifty(corrupted: tuple[Path, list[Expected]]) -> None:
    root, _expected = corrupted
    result = subprocess.run(
        [sys.executable, "build.py", "check", "--source", str(root)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # Fifty mistakes; the two that are conflicts between two files are reported on both.
    assert result.stderr.splitlines()[-1].startswith("52 problèmes à corriger")
