"""The site's configuration, palmares.toml (issue 15): parsed with tomllib, each mistake at
its `palmares.toml:line:col` in French, and what it sets (the title, the organisation, the
public address, a contact, a logo, footer links, the accessibility status) everywhere the
site shows it; the accessibility statement made from it when the content has none."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from palmares import cli
from palmares.content import config as configuration
from palmares.content.config import DEFAULT, read, scan
from palmares.pipeline import build, check
from tests.helpers import slipped, write_project

STATEMENT = "pages/accessibilite/index.html"
BASE = "https://palmares.exemple.fr/bretagne/"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n'

FULL = """\
#:schema ./schemas/config.schema.json
titre = "Palmarès de la Bretagne numérique"
organisation = "Bretagne numérique"
url = "https://palmares.exemple.fr/bretagne"
contact = "accessibilite@exemple.fr"
logo = "images/logo.svg"

[accessibilite]
etat = "partiellement conforme"
date_audit = 2026-03-15
referentiel = "RGAA 4.1.2"

[[liens]]
titre = "Mentions légales"
url = "https://www.exemple.fr/mentions-legales"

[[liens]]
titre = "Nous soutenir"
url = "https://www.exemple.fr/soutenir"
"""


def project(root: Path, toml: str | bytes | None, **files: str | bytes | None) -> Path:
    return write_project(root, {"palmares.toml": toml, **files})


def problems(root: Path, toml: str, **files: str | bytes | None) -> list[str]:
    return [str(p) for p in read(project(root, toml, **files)).problems]


def target(page: Path, href: object) -> Path:
    """The file a link of `page` leads to; absolute links (the 404 page) from the site's
    configured address, in the site `page` belongs to."""
    link = str(href)
    if link.startswith(BASE):
        root = next(p for p in page.parents if (p / ".palmares-site").exists())
        return root / link.removeprefix(BASE)
    return (page.parent / link).resolve()


def html(root: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((root / rel).read_text(encoding="utf-8"), "html.parser")


# --- reading --------------------------------------------------------------------------------


def test_no_file_gives_todays_texts(tmp_path: Path) -> None:
    loaded = read(write_project(tmp_path))
    assert loaded.config == DEFAULT
    assert (loaded.problems, loaded.digest) == ([], "")
    assert DEFAULT.titre == "Palmarès Villes Internet"
    assert DEFAULT.organisation == "Villes Internet"
    assert DEFAULT.accessibilite.etat == "non conforme"


def test_every_key_is_read(tmp_path: Path) -> None:
    loaded = read(project(tmp_path, FULL, **{"images/logo.svg": SVG.decode()}))
    assert loaded.problems == []
    c = loaded.config
    assert c.titre == "Palmarès de la Bretagne numérique"
    assert c.organisation == "Bretagne numérique"
    assert c.url == "https://palmares.exemple.fr/bretagne/"  # a root ends with /
    assert c.contact == "accessibilite@exemple.fr"
    assert c.logo is not None and (c.logo.suffix, c.logo.data) == (".svg", SVG)
    assert [(x.titre, x.url) for x in c.liens] == [
        ("Mentions légales", "https://www.exemple.fr/mentions-legales"),
        ("Nous soutenir", "https://www.exemple.fr/soutenir"),
    ]
    a = c.accessibilite
    assert (a.etat, a.date_audit, a.referentiel) == (
        "partiellement conforme",
        dt.date(2026, 3, 15),
        "RGAA 4.1.2",
    )


def test_schema_defaults_are_the_engines() -> None:
    schema = configuration.schema()
    props = schema["properties"]
    assert props["titre"]["default"] == DEFAULT.titre
    assert props["organisation"]["default"] == DEFAULT.organisation
    a11y = props["accessibilite"]["properties"]
    assert a11y["etat"]["default"] == DEFAULT.accessibilite.etat
    assert a11y["etat"]["enum"] == list(configuration.ETATS)
    assert a11y["referentiel"]["default"] == DEFAULT.accessibilite.referentiel


def test_scan_finds_every_key_and_value() -> None:
    text = (
        'titre = "a # pas un commentaire"  # un commentaire\n'
        "\n"
        '"organisation" = """deux\nlignes"""\n'
        "liens = [\n"
        '  { titre = "x", url = "https://x.fr" },\n'
        "  {titre='y',url='https://y.fr'},\n"
        "]\n"
        "accessibilite.etat = 'non conforme'\n"
        "[[autres]]\n"
        "a = 1979-05-27 07:32:00\n"
        "[[autres]]\n"
        "b.c = [1, 2]\n"
    )
    keys, values = scan(text)
    assert keys[("titre",)][:2] == (1, 1) and values[("titre",)][:2] == (1, 9)
    assert keys[("organisation",)][:2] == (3, 1) and values[("organisation",)][:2] == (3, 18)
    assert values[("liens", 0, "url")][:2] == (6, 24)
    assert keys[("liens", 1, "url")][:2] == (7, 14)
    assert keys[("accessibilite", "etat")][:2] == (9, 15)
    assert values[("accessibilite", "etat")][:2] == (9, 22)
    assert keys[("autres", 0)][:2] == (10, 1)
    assert values[("autres", 0, "a")][:2] == (11, 5)
    assert keys[("autres", 1)][:2] == (12, 1)
    assert values[("autres", 1, "b", "c", 1)][:2] == (13, 11)


# --- every mistake at its line and column ---------------------------------------------------


def test_unknown_keys_with_a_suggestion(tmp_path: Path) -> None:
    toml = 'titre = "Palmarès"\ntittle = "x"\n\n[accessibilite]\nrefrentiel = "RGAA"\n'
    toml += '\n[[liens]]\ntitre = "A"\nurl = "https://a.fr"\nlien = "b"\n'
    assert problems(tmp_path, toml) == [
        "palmares.toml:2:1: clé inconnue `tittle` dans palmares.toml : vouliez-vous écrire "
        "`titre` ? (clés possibles : `titre`, `organisation`, `url`, `contact`, `logo`, "
        "`liens`, `accessibilite`)",
        "palmares.toml:5:1: clé inconnue `refrentiel` dans `[accessibilite]` : vouliez-vous "
        "écrire `referentiel` ? (clés possibles : `etat`, `date_audit`, `referentiel`, "
        "`date_declaration`)",
        "palmares.toml:10:1: clé inconnue `lien` dans un lien de `[[liens]]` (clés possibles : "
        "`titre`, `url`)",
    ]


def test_wrong_types(tmp_path: Path) -> None:
    toml = 'organisation = 3\nliens = "https://a.fr"\naccessibilite = "non conforme"\n'
    assert problems(tmp_path, toml) == [
        "palmares.toml:1:16: `organisation` doit être un texte entre guillemets droits, par "
        'exemple `organisation = "Villes Internet"` ; trouvé : 3',
        "palmares.toml:2:9: `liens` doit être une liste de tables : pour chaque lien, une "
        'ligne `[[liens]]` puis `titre = "…"` et `url = "https://…"` en dessous ; trouvé : '
        "« https://a.fr »",
        "palmares.toml:3:17: `accessibilite` doit être une table : écrivez une ligne "
        '`[accessibilite]` puis `etat = "partiellement conforme"`, `date_audit = 2026-03-15` '
        "en dessous ; trouvé : « non conforme »",
    ]


def test_bad_etat_and_dates(tmp_path: Path) -> None:
    toml = '[accessibilite]\netat = "conforme partiellement"\ndate_audit = "hier"\n'
    toml += "date_declaration = 2026\n"
    assert problems(tmp_path, toml) == [
        "palmares.toml:2:8: `etat` (dans `[accessibilite]`) vaut « non conforme », "
        "« partiellement conforme » ou « totalement conforme » ; trouvé : « conforme "
        'partiellement » : écrivez par exemple `etat = "partiellement conforme"`',
        "palmares.toml:3:14: `date_audit` (dans `[accessibilite]`) doit être une date réelle, "
        "année-mois-jour sans guillemets, par exemple `date_audit = 2026-03-15` ; trouvé : "
        "« hier »",
        "palmares.toml:4:20: `date_declaration` (dans `[accessibilite]`) doit être une date "
        "réelle, année-mois-jour sans guillemets, par exemple `date_declaration = 2026-04-01` "
        "; trouvé : 2026",
    ]


def test_an_audit_date_written_day_first_gets_the_line_to_write(tmp_path: Path) -> None:
    toml = '[accessibilite]\netat = "non conforme"\ndate_audit = "12/06/2024"\n'
    assert problems(tmp_path, toml) == [
        "palmares.toml:3:14: `date_audit` (dans `[accessibilite]`) doit être une date réelle, "
        "année-mois-jour sans guillemets ; trouvé : « 12/06/2024 » : écrivez "
        "`date_audit = 2024-06-12` (12 juin 2024)"
    ]


def test_addresses_contact_and_blank_texts(tmp_path: Path) -> None:
    toml = 'titre = " "\nurl = "www.exemple.fr"\ncontact = "écrivez-nous"\n'
    toml += '[[liens]]\ntitre = "Sans adresse"\n'
    assert problems(tmp_path, toml) == [
        "palmares.toml:1:9: `titre` est vide : écrivez par exemple "
        '`titre = "Palmarès Villes Internet"`, ou retirez la ligne',
        "palmares.toml:2:7: `url` doit être une adresse web complète, commençant par https:// "
        'ou http:// ; trouvé : « www.exemple.fr » : écrivez `url = "https://www.exemple.fr"`',
        "palmares.toml:3:11: `contact` doit être une adresse électronique "
        '(`contact = "contact@exemple.fr"`) ou une adresse web '
        '(`contact = "https://www.exemple.fr/contact"`) ; trouvé : « écrivez-nous »',
        "palmares.toml:4:1: le lien 1 de `[[liens]]` n'a pas de `url` : ajoutez une ligne "
        '`url = "https://www.exemple.fr/mentions-legales"`',
    ]


def test_a_public_address_with_a_query_is_refused(tmp_path: Path) -> None:
    assert problems(tmp_path, 'url = "https://exemple.fr/palmares?x=1"\n') == [
        "palmares.toml:1:7: `url` : l'adresse publique du site ne peut pas avoir de `?` ni de "
        '`#` : écrivez `url = "https://exemple.fr/palmares"`'
    ]


@pytest.mark.parametrize(
    ("url", "fault", "instead"),
    [
        (
            "https://nom:secret@exemple.fr/palmares/",
            "ne doit pas contenir de nom ni de mot de passe (`nom:motdepasse@`) : ils seraient "
            "publiés dans chaque page",
            "https://exemple.fr/palmares/",
        ),
        (
            "https://exemple.fr:99999/",
            "a un port impossible (un port va de 1 à 65535)",
            "https://exemple.fr/",
        ),
        (
            "https://exemple.fr:0/",
            "a un port impossible (un port va de 1 à 65535)",
            "https://exemple.fr/",
        ),
    ],
)
def test_a_public_address_that_leads_nowhere_or_publishes_a_password_is_refused(
    tmp_path: Path, url: str, fault: str, instead: str
) -> None:
    """In palmares.toml and in --base-url alike, each time with the address to write (the
    option took them all, and a password went into every page's canonical link)."""
    assert problems(tmp_path / "toml", f'url = "{url}"\n') == [
        f"palmares.toml:1:7: `url` : l'adresse publique du site {fault} : écrivez "
        f'`url = "{instead}"`'
    ]
    source = project(tmp_path / "src", None)
    code, said = run("--source", str(source), "--out", str(tmp_path / "site"), "--base-url", url)
    assert code == 2
    assert said == (
        f"palmares : --base-url (ou PALMARES_BASE_URL) : l'adresse publique du site {fault} : "
        f"écrivez {instead}\n"
    )
    assert not (tmp_path / "site").exists()


def test_a_base_url_option_with_a_space_is_refused(tmp_path: Path) -> None:
    """palmares.toml's schema refuses it; the option published it in every canonical link."""
    source = project(tmp_path / "src", None)
    code, said = run(
        "--source",
        str(source),
        "--out",
        str(tmp_path / "site"),
        "--base-url",
        "https://exem ple.fr/",
    )
    assert code == 2
    assert "doit être une adresse http:// ou https:// sans espace" in said
    assert not (tmp_path / "site").exists()


def test_conformity_claimed_without_an_audit_is_a_warning(tmp_path: Path) -> None:
    found = read(project(tmp_path, '[accessibilite]\netat = "totalement conforme"\n'))
    assert [str(p) for p in found.problems] == [
        "palmares.toml:2:8: avertissement : `etat` : « totalement conforme » suppose un audit "
        "de conformité ; ajoutez sa date, par exemple `date_audit = 2026-03-15`, ou écrivez "
        '`etat = "non conforme"`'
    ]
    assert found.config.accessibilite.etat == "totalement conforme"


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (
            'titre = "a"\norganisation "b"\n',
            "palmares.toml:2:14: TOML invalide : il manque `=` après la clé : chaque ligne "
            's\'écrit `cle = valeur`, par exemple `titre = "Palmarès Villes Internet"`',
        ),
        (
            "titre = Palmarès # le nôtre\n",
            "palmares.toml:1:9: TOML invalide : un texte s'écrit entre guillemets droits : "
            'écrivez `titre = "Palmarès"`',
        ),
        (
            "liens = Mentions légales\n",
            "palmares.toml:1:9: TOML invalide : valeur illisible : un texte s'écrit entre "
            'guillemets droits, par exemple `titre = "Palmarès Villes Internet"`, une date '
            "sans guillemets, `date_audit = 2026-03-15`",
        ),
        (
            'titre = "a"\ntitre = "b"\n',
            "palmares.toml:2:12: TOML invalide : cette clé est déjà écrite plus haut : "
            "gardez-en une seule",
        ),
        (
            "[accessibilite]\ndate_audit = 2026-02-30\n",
            "palmares.toml:2:14: TOML invalide : date impossible : écrivez une date réelle, "
            "année-mois-jour, par exemple `2026-03-15`",
        ),
    ],
)
def test_toml_syntax_errors_in_french(tmp_path: Path, toml: str, expected: str) -> None:
    assert problems(tmp_path, toml) == [expected]


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        # Typographic quotes, from a word processor.
        (
            "titre = “Palmarès”\n",
            "1:9: TOML invalide : un texte s'écrit entre guillemets "
            'droits : écrivez `titre = "Palmarès"`',
        ),
        # Quotes inside the text: the text is closed at the second one.
        (
            '[[liens]]\ntitre = "Le "palmarès" 2026"\n',
            "2:14: TOML invalide : un texte "
            "s'écrit entre guillemets droits : écrivez `titre = 'Le \"palmarès\" 2026'`",
        ),
        (
            "organisation = 'Ville d'Ivry'\n",
            "1:25: TOML invalide : un texte s'écrit entre "
            'guillemets droits : écrivez `organisation = "Ville d\'Ivry"`',
        ),
        # A date as French writes it.
        (
            "[accessibilite]\ndate_audit = 15/03/2026\n",
            "2:16: TOML invalide : une date "
            "s'écrit année-mois-jour, sans guillemets : écrivez `date_audit = 2026-03-15` "
            "(15 mars 2026)",
        ),
        (
            "[accessibilite]\ndate_audit = 2026-13-01\n",
            "2:18: TOML invalide : une date s'écrit année-mois-jour, sans guillemets, par "
            "exemple `date_audit = 2026-03-15`",
        ),
        (
            "titre. = 1\n",
            "1:8: TOML invalide : un nom de clé manque ici : un nom s'écrit en lettres sans "
            "accent, chiffres, `_` ou `-`, par exemple `date_audit`, et un point le sépare "
            "de la table qui le contient",
        ),
        # An accent in a name: tomllib said `]` or `=` was missing.
        (
            "[accessibilité]\n",
            "1:14: TOML invalide : un nom de clé ou de table s'écrit sans "
            "accent : écrivez `accessibilite` pour `accessibilité`",
        ),
        (
            'titré = "Palmarès"\n',
            "1:5: TOML invalide : un nom de clé ou de table s'écrit "
            "sans accent : écrivez `titre` pour `titré`",
        ),
        # A Windows path: `\U` starts a character's code; tomllib said « Invalid hex value ».
        (
            'logo = "C:\\Users\\logo.svg"\n',
            "1:13: TOML invalide : une barre oblique "
            "inverse `\\` seule dans un texte entre guillemets : doublez-la (`\\\\`), ou "
            "écrivez le texte entre apostrophes droites `'`",
        ),
        (
            'titre = "a",\n',
            "1:12: TOML invalide : la ligne continue après sa valeur : une "
            "ligne porte une seule `cle = valeur`, sans signe après elle, et un commentaire "
            "commence par `#`",
        ),
        (
            "titre = 'Palmarès\norganisation = 'x'\n",
            "1:18: TOML invalide : texte non fermé : terminez-le sur la même ligne par le signe "
            "qui l'ouvre, `\"` ou `'`",
        ),
        (
            # No apostrophe after it: tomllib says so at the end of the document.
            "organisation = 'x'\ntitre = 'Palmarès\n[accessibilite]\n",
            "2:9: TOML invalide : texte non fermé : terminez-le par une apostrophe droite `'` "
            "sur la même ligne",
        ),
        (
            'titre = "Palmarès\n',
            "1:18: TOML invalide : texte non fermé : terminez-le sur "
            "la même ligne par le signe qui l'ouvre, `\"` ou `'`",
        ),
        (
            "titre = 'a' # \x07\n",
            "1:15: TOML invalide : un caractère invisible de contrôle "
            "(copié d'un autre document ?) est dans cette ligne : retirez-le",
        ),
        (
            'liens = [{titre = "a", url = "https://a.fr"}]\n[[liens]]\n',
            "2:8: TOML invalide : cette table est déjà écrite plus haut : gardez-en une seule",
        ),
    ],
)
def test_toml_line_meant_where_tomllib_gives_a_reason(
    tmp_path: Path, toml: str, expected: str
) -> None:
    # Each of these was tomllib's English, or a French message about another mistake.
    assert problems(tmp_path, toml) == [f"palmares.toml:{expected}"]


def test_not_utf8(tmp_path: Path) -> None:
    found = problems(tmp_path, 'titre = "Palmar\xe8s"\n'.encode("latin-1"))  # type: ignore[arg-type]
    assert len(found) == 1 and found[0].startswith(
        "palmares.toml:1:16: le fichier n'est pas en UTF-8 (octet 0xe8)"
    )


# --- the logo: a file inside the source ----------------------------------------------------


@pytest.mark.parametrize(
    ("logo", "expected"),
    [
        (
            "../logo.svg",
            "« ../logo.svg » sort du dossier source : écrivez un chemin depuis le dossier "
            'source, par exemple `logo = "images/logo.svg"`',
        ),
        (
            "/etc/logo.svg",
            "« /etc/logo.svg » sort du dossier source : écrivez un chemin depuis le dossier "
            'source, par exemple `logo = "images/logo.svg"`',
        ),
        (
            "images/absent.png",
            "le fichier « images/absent.png » n'existe pas dans le dossier source",
        ),
        (
            "images/logo.html",
            "« images/logo.html » n'est pas une image : le logo est un fichier .svg, .png, "
            ".jpg, .jpeg, .webp ou .gif",
        ),
    ],
)
def test_logo_outside_or_missing(tmp_path: Path, logo: str, expected: str) -> None:
    source = tmp_path / "src"
    (tmp_path / "logo.svg").write_bytes(SVG)
    toml = f'titre = "Palmarès"\nlogo = "{logo}"\n'
    assert problems(source, toml, **{"images/logo.html": "<p>x</p>"}) == [
        f"palmares.toml:2:8: `logo` : {expected}"
    ]


def test_logo_symlink_out_of_the_source_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "src"
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"\x89PNG secret")
    write_project(source)
    (source / "images").mkdir()
    (source / "images" / "logo.png").symlink_to(outside)
    (source / "images" / "casse.png").symlink_to(source / "nulle-part.png")
    (source / "dehors").symlink_to(tmp_path, target_is_directory=True)
    (source / "dedans.png").symlink_to("images/logo.png")
    for logo, message in [
        (
            "images/logo.png",
            "« images/logo.png » mène par un lien symbolique hors du dossier source : "
            "remplacez le lien par le fichier lui-même",
        ),
        (
            "dehors/secret.png",
            "« dehors/secret.png » mène par un lien symbolique hors du dossier source : "
            "remplacez le lien par le fichier lui-même",
        ),
        (
            "dedans.png",
            "« dedans.png » mène par un lien symbolique hors du dossier source : remplacez "
            "le lien par le fichier lui-même",
        ),
        (
            "images/casse.png",
            "« images/casse.png » est un lien symbolique cassé ou en boucle : remplacez-le "
            "par le fichier lui-même",
        ),
    ]:
        (source / "palmares.toml").write_text(f'logo = "{logo}"\n', encoding="utf-8")
        assert [str(p) for p in read(source).problems] == [f"palmares.toml:1:8: `logo` : {message}"]


def test_logo_link_inside_the_source_is_followed(tmp_path: Path) -> None:
    source = project(tmp_path, 'logo = "logo.svg"\n', **{"images/vrai.svg": SVG.decode()})
    (source / "logo.svg").symlink_to("images/vrai.svg")
    loaded = read(source)
    assert loaded.problems == [] and loaded.config.logo is not None
    assert loaded.config.logo.data == SVG


def test_svg_logo_with_a_script_is_refused(tmp_path: Path) -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    assert problems(tmp_path, 'logo = "logo.svg"\n', **{"logo.svg": svg}) == [
        "palmares.toml:1:8: `logo` : « logo.svg » contient un script ou un gestionnaire "
        "d'événement : un logo SVG est une image sans script, enregistrez-le sans (ou en PNG)"
    ]


@pytest.mark.parametrize(
    "svg",
    [
        # A prefix for SVG's namespace: the element is a script all the same.
        '<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:script>alert(1)</s:script></s:svg>',
        # Markup spelt by an entity of the DOCTYPE, expanded by the browser.
        '<!DOCTYPE svg [<!ENTITY x "&#60;script&#62;alert(1)&#60;/script&#62;">]>'
        '<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
        # An attribute whose value a browser reads as javascript: once the blanks are gone.
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
        '<a x:href="java&#10;script:alert(1)"><rect width="5" height="5"/></a></svg>',
        # An event handler whose name a prefix hides from the bytes.
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:e="urn:e"><g e:onclick="x()"/></svg>',
    ],
)
def test_svg_logo_with_a_script_in_disguise_is_refused(tmp_path: Path, svg: str) -> None:
    """What a hostile contributor's audit ran in Chromium from /logo.svg: refused."""
    assert problems(tmp_path, 'logo = "logo.svg"\n', **{"logo.svg": svg}) == [
        "palmares.toml:1:8: `logo` : « logo.svg » contient un script ou un gestionnaire "
        "d'événement : un logo SVG est une image sans script, enregistrez-le sans (ou en PNG)"
    ]


def test_svg_logo_that_is_not_xml_is_refused(tmp_path: Path) -> None:
    assert problems(tmp_path, 'logo = "logo.svg"\n', **{"logo.svg": "<svg><g></svg>"}) == [
        "palmares.toml:1:8: `logo` : « logo.svg » n'est pas un fichier SVG lisible (XML mal "
        "formé) : enregistrez-le de nouveau depuis votre logiciel de dessin (ou en PNG)"
    ]


def test_configuration_linked_out_of_the_source_is_never_read(tmp_path: Path) -> None:
    source = write_project(tmp_path / "src")
    outside = tmp_path / "ailleurs.toml"
    outside.write_text('titre = "secret"\n', encoding="utf-8")
    (source / "palmares.toml").symlink_to(outside)
    assert [str(p) for p in read(source).problems] == [
        "palmares.toml: lien symbolique vers l'extérieur du dossier source : remplacez-le par "
        "le fichier lui-même"
    ]


# --- check and build agree ------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = cli.main([*args, "--no-cache"])
    return code, out.getvalue()


def test_check_and_build_report_the_same_problems_and_exit_codes(tmp_path: Path) -> None:
    source = project(tmp_path / "src", 'titre = "Palmarès"\ncouleur = "bleu"\n')
    out = tmp_path / "site"
    checked = run("check", "--source", str(source))
    built = run("--source", str(source), "--out", str(out))
    line = "palmares.toml:2:1: clé inconnue `couleur` dans palmares.toml"
    assert checked[0] == built[0] == 1
    assert line in checked[1] and line in built[1]
    assert not out.exists()
    assert check(source).site is None
    # Fixed: both pass.
    (source / "palmares.toml").write_text('titre = "Palmarès"\n', encoding="utf-8")
    assert run("check", "--source", str(source))[0] == 0
    assert run("--source", str(source), "--out", str(out))[0] == 0


def test_strict_turns_the_warning_into_an_error_in_both(tmp_path: Path) -> None:
    source = project(tmp_path / "src", '[accessibilite]\netat = "totalement conforme"\n')
    assert run("check", "--source", str(source))[0] == 0
    assert run("check", "--source", str(source), "--strict")[0] == 1
    assert run("--source", str(source), "--out", str(tmp_path / "a"), "--strict")[0] == 1
    assert run("--source", str(source), "--out", str(tmp_path / "b"))[0] == 0


# --- what the site shows --------------------------------------------------------------------


@pytest.fixture
def configured(tmp_path: Path) -> Path:
    source = project(
        tmp_path / "src",
        FULL,
        **{
            "images/logo.svg": SVG.decode(),
            "communes/59/lille.yaml": (
                'code: "59350"\nnom: Lille\ndepartement: "59"\nanciens_noms: [Lisle]\n'
                "labels:\n  - annee: 2017\n    arobases: 3\n"
            ),
            "content/actions/2017/a.md": (
                '---\ntitre: Une action\ncommune: "59378"\nannee: 2017\n'
                "domaines: [teletravail]\n---\nTexte.\n"
            ),
            "content/pages/a-propos.md": "---\ntitre: À propos\n---\nTexte.\n",
        },
    )
    out = tmp_path / "site"
    assert build(source, out).errors == []
    return out


def test_pages_show_the_configured_title_links_and_logo(configured: Path) -> None:
    pages = sorted(p for p in configured.rglob("*.html") if "lisle" not in p.parent.name)
    assert len(pages) > 10
    for page in pages:
        rel = page.relative_to(configured).as_posix()
        soup = html(configured, rel)
        text = soup.decode()
        # The label's name, and who awards it (the home page), are facts about the label.
        facts = ("Villes et Villages Internet", "l’association Villes Internet labellise")
        assert "Villes Internet" not in functools.reduce(
            lambda t, fact: t.replace(fact, ""), facts, text
        ), rel
        assert soup.title is not None
        assert "Palmarès de la Bretagne numérique" in soup.title.get_text(), rel
        site_name = soup.find("meta", property="og:site_name")
        assert site_name is not None and site_name["content"] == "Palmarès de la Bretagne numérique"
        brand = soup.select_one("a.brand")
        assert brand is not None
        assert " ".join(brand.get_text().split()) == "Palmarès de la Bretagne numérique"
        logo = brand.select_one("img.brand-logo")
        assert logo is not None and target(page, logo["src"]) == configured / "logo.svg"
        footer = soup.select_one("footer")
        assert footer is not None
        links = {a.get_text(): a["href"] for a in footer.select("a")}
        assert links["Mentions légales"] == "https://www.exemple.fr/mentions-legales"
        assert links["Nous soutenir"] == "https://www.exemple.fr/soutenir"
        assert links["Contact"] == "mailto:accessibilite@exemple.fr"
        status = footer.find("a", string="Accessibilité\u202f: partiellement conforme")
        assert status is not None, rel
        assert target(page, status["href"]) == configured / STATEMENT
        canonical = soup.find("link", rel="canonical")
        if rel != "404.html":
            assert canonical is not None
            assert str(canonical["href"]).startswith("https://palmares.exemple.fr/bretagne/")
    assert (configured / "logo.svg").read_bytes() == SVG
    redirect = html(configured, "collectivites/lisle-59/index.html")
    assert redirect.title is not None
    assert redirect.title.get_text() == "Lille · Palmarès de la Bretagne numérique"


def test_feeds_json_ld_and_datapackage_carry_the_configuration(configured: Path) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    for name, title in [
        ("editions", "Palmarès de la Bretagne numérique : les éditions"),
        ("actions", "Palmarès de la Bretagne numérique : les actions distinguées"),
    ]:
        feed = ET.parse(configured / "flux" / f"{name}.xml").getroot()
        assert feed.findtext(f"{atom}title") == title
        assert feed.findtext(f"{atom}author/{atom}name") == "Bretagne numérique"
        self_link = feed.find(f"{atom}link[@rel='self']")
        assert self_link is not None
        assert self_link.get("href", "").startswith("https://palmares.exemple.fr/bretagne/")
    donnees = html(configured, "donnees/index.html")
    script = donnees.find("script", type="application/ld+json")
    assert script is not None
    dataset = json.loads(script.get_text())
    assert dataset["name"] == "Palmarès de la Bretagne numérique"
    assert dataset["creator"]["name"] == "Bretagne numérique"
    citation = donnees.select_one("blockquote.citation")
    assert citation is not None and citation.get_text().startswith("Bretagne numérique, ")
    package = json.loads((configured / "donnees" / "datapackage.json").read_text("utf-8"))
    assert package["name"] == "palmares-de-la-bretagne-numerique"
    assert package["title"] == "Palmarès de la Bretagne numérique"
    assert package["contributors"] == [{"title": "Bretagne numérique", "role": "publisher"}]
    assert "https://palmares.exemple.fr/bretagne/" in (configured / "sitemap.xml").read_text()


def test_base_url_option_overrides_the_configuration(tmp_path: Path) -> None:
    source = project(tmp_path / "src", 'url = "https://config.exemple.fr/"\n')
    assert build(source, tmp_path / "a", base_url="https://option.exemple.fr/").errors == []
    index = html(tmp_path / "a", "index.html")
    canonical = index.find("link", rel="canonical")
    assert canonical is not None and canonical["href"] == "https://option.exemple.fr/"


# --- the accessibility statement -------------------------------------------------------------


def _text(soup: BeautifulSoup) -> str:
    main = soup.find("main")
    assert main is not None
    return " ".join(main.get_text(" ").split())


def test_statement_made_from_the_configuration(configured: Path) -> None:
    soup = html(configured, STATEMENT)
    text = _text(soup)
    assert soup.h1 is not None and soup.h1.get_text() == "Déclaration d’accessibilité"
    headings = [h.get_text() for h in soup.select("main h2")]
    assert headings == [
        "État de conformité",
        "Contenus non accessibles",
        "Établissement de cette déclaration",
        "Retour d’information et contact",
        "Voies de recours",
    ]
    assert (
        "Le site « Palmarès de la Bretagne numérique » est partiellement conforme avec le "
        "RGAA 4.1.2, d’après l’audit de conformité du 15 mars 2026." in text
    )
    assert "Cette déclaration a été établie le 15 mars 2026." in text
    assert "Bretagne numérique s’engage" in text
    mail = soup.select_one('main a[href="mailto:accessibilite@exemple.fr"]')
    assert mail is not None and mail.get_text() == "accessibilite@exemple.fr"
    assert soup.select_one('main a[href="https://formulaire.defenseurdesdroits.fr/"]')
    assert "Libre réponse 71120, 75342 Paris CEDEX 07" in text


def test_statement_without_configuration_says_non_conforme_and_why(tmp_path: Path) -> None:
    source = write_project(tmp_path / "src")
    out = tmp_path / "site"
    assert build(source, out).errors == []
    soup = html(out, STATEMENT)
    text = _text(soup)
    assert "Le site « Palmarès Villes Internet » est non conforme avec le RGAA 4.1." in text
    assert "Aucun audit de conformité n’a encore mesuré" in text
    assert "le référentiel impose de déclarer le site non conforme" in text
    assert "elle n’est pas encore datée" in text
    assert "Environnement des tests" in text
    assert "contactez Villes Internet pour être orienté" in text
    assert "Défenseur des droits" in text
    for page in out.rglob("*.html"):
        rel = page.relative_to(out).as_posix()
        if rel.startswith("collectivites/") and "http-equiv" in page.read_text("utf-8"):
            continue  # a redirect has no footer
        footer = html(out, rel).select_one("footer")
        assert footer is not None, rel
        status = footer.find("a", string="Accessibilité\u202f: non conforme")
        assert status is not None, rel
        assert (page.parent / str(status["href"])).resolve() == (out / STATEMENT).resolve()


def test_the_contents_own_statement_wins(tmp_path: Path) -> None:
    own = "---\ntitre: Déclaration d’accessibilité\n---\nNotre propre déclaration.\n"
    source = project(
        tmp_path / "src",
        '[accessibilite]\netat = "partiellement conforme"\ndate_audit = 2026-01-10\n',
        **{"content/pages/accessibilite.md": own},
    )
    out = tmp_path / "site"
    assert build(source, out).errors == []
    soup = html(out, STATEMENT)
    assert "Notre propre déclaration." in _text(soup)
    footer = soup.select_one("footer")
    assert footer is not None
    assert footer.find("a", string="Accessibilité\u202f: partiellement conforme") is not None
    # Listed once in the footer, as the status link, not again among the free pages.
    assert len(footer.select('a[href$="accessibilite/index.html"]')) == 1


def test_editing_the_configuration_rebuilds_every_page(tmp_path: Path) -> None:
    source = write_project(tmp_path / "src")
    out = tmp_path / "site"
    assert build(source, out).errors == []
    assert build(source, out).stats.rendered == 0
    (source / "palmares.toml").write_text('titre = "Autre titre"\n', encoding="utf-8")
    result = build(source, out)
    pages = list(out.rglob("*.html"))
    assert result.stats.rendered >= len(pages)
    for page in pages:
        assert "Autre titre" in page.read_text("utf-8"), page
    os.remove(source / "palmares.toml")
    assert build(source, out).errors == []
    assert "Palmarès Villes Internet" in (out / "index.html").read_text("utf-8")


def test_a_logo_too_heavy_is_named_as_written_and_weighed_in_french(tmp_path: Path) -> None:
    """The decimal comma goes into the weight, never into the file's name."""
    source = tmp_path / "src"
    toml = 'titre = "Palmarès"\nlogo = "images/logo.png"\n'
    heavy = b"\x89PNG\r\n\x1a\n" + b"\0" * 1_500_000
    assert problems(source, toml, **{"images/logo.png": heavy}) == [
        "palmares.toml:2:8: `logo` : « images/logo.png » pèse 1,5 Mo : un logo pèse 1 Mo au "
        "plus, réduisez l'image"
    ]


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (
            "a = " + "[" * 3000 + "\n",
            "palmares.toml:1:5: TOML invalide : des listes ou des tables imbriquées des "
            "centaines de fois : la configuration n'en a besoin que de deux niveaux, par "
            "exemple `[[liens]]`",
        ),
        (
            'organisation = "Villes Internet"\ntitre = ' + "9" * 5000 + "\n",
            "palmares.toml:2:9: TOML invalide : un nombre de milliers de chiffres : écrivez un "
            'nombre, ou un texte entre guillemets droits, par exemple `titre = "Palmarès '
            'Villes Internet"`',
        ),
        (
            'titre = "a\\q"\n',
            "palmares.toml:1:13: TOML invalide : une barre oblique inverse `\\` seule dans un "
            "texte entre guillemets : doublez-la (`\\\\`), ou écrivez le texte entre "
            "apostrophes droites `'`",
        ),
    ],
)
def test_toml_python_cannot_read_is_a_problem_not_a_traceback(
    tmp_path: Path, toml: str, expected: str
) -> None:
    """What an audit found: tomllib's RecursionError and int's ValueError escaped as
    tracebacks, and an escape mistake came out in English."""
    assert problems(tmp_path, toml) == [expected]


def test_a_control_character_in_a_value_is_refused_as_in_content(tmp_path: Path) -> None:
    """An escape sequence in `titre` reached every page's title and the terminal (an audit)."""
    toml = 'titre = "a\\u001b[31mb"\n[accessibilite]\nreferentiel = "RGAA\\u202e 4"\n'
    assert problems(tmp_path, toml) == [
        "palmares.toml:1:9: `titre` contient un caractère de contrôle invisible U+001B : "
        "retirez-le (il vient souvent d’un copier-coller depuis un traitement de texte ou un "
        "terminal)",
        "palmares.toml:3:15: `accessibilite.referentiel` contient un caractère de direction "
        "d’écriture (U+202E) : retirez-le ; retapez le texte s’il a été copié d’une autre "
        "application",
    ]


def test_a_title_over_300_characters(tmp_path: Path) -> None:
    assert problems(tmp_path, 'titre = "' + "a" * 301 + '"\n') == [
        "palmares.toml:1:9: `titre` fait 301 caractères, 300 au plus : raccourcissez-le"
    ]


def test_a_public_address_mistyped_is_told_as_meant(tmp_path: Path) -> None:
    assert problems(tmp_path, 'url = "http//palmares.exemple.fr"\n') == [
        "palmares.toml:1:7: `url` doit être une adresse web complète, commençant par https:// "
        "ou http:// ; trouvé : « http//palmares.exemple.fr » : écrivez `url = "
        '"http://palmares.exemple.fr"`'
    ]


def test_a_very_long_line_is_told_at_once(tmp_path: Path) -> None:
    # As in content (tests/test_load.py): quadratic patterns took seconds, then minutes.
    found = problems(tmp_path, "titre = Pal" + " \t" * 200_000 + "mares\n")
    assert found[0].startswith("palmares.toml:1:9: TOML invalide : un texte s'écrit entre ")


@pytest.mark.parametrize("written", ["/mentions-legales", "mentions.html"])
def test_a_footer_link_to_a_page_of_this_site(tmp_path: Path, written: str) -> None:
    # `mentions.html` was told `url = "https://mentions.html"`, a file's name for a host.
    toml = f'[[liens]]\ntitre = "Mentions légales"\nurl = "{written}"\n'
    assert problems(tmp_path, toml) == [
        "palmares.toml:3:7: `url` (dans le lien 1 de `[[liens]]`) doit être une adresse web "
        f"complète, commençant par https:// ou http:// ; trouvé : « {written} » ; une page de "
        "ce site s'écrit dans content/pages/ (par exemple content/pages/mentions-legales.md) : "
        "le pied de page la lie déjà"
    ]


def test_random_slips_in_a_valid_configuration_are_said_in_french(tmp_path: Path) -> None:
    """900 seeded random slips (a TOML sign inserted, replaced or deleted, once or twice):
    none falls through to tomllib's English (« TOML invalide : Invalid … »)."""
    valid = (
        'titre = "Palmarès"\norganisation = "Villes Internet"\nurl = "https://x.fr/"\n'
        'contact = "a@b.fr"\n\n[accessibilite]\netat = "non conforme"\n'
        'date_audit = 2026-03-15\nreferentiel = "RGAA 4.1"\n\n[[liens]]\ntitre = "Mentions"\n'
        'url = "https://x.fr/m"\n'
    )
    signs = [*"=[]{},'\"#.\\\t :", "\n", "  ", "“", "«", "\u00a0", "é", "1", "-"]
    english = []
    for name, text in slipped(valid, signs, seeds=6, each=150):
        found = problems(tmp_path / name, text)
        english += [p for p in found if re.search(r"TOML invalide : [A-Z][a-z]+ ", p)]
    assert english == []
