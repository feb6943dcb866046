"""build | serve | check: parse arguments, print problems, exit with a meaningful code.

0: all good; 1: content problems; 2: usage (bad arguments, unusable folders).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import io
import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn
from urllib.parse import urlsplit

from palmares import __version__, arguments, freshness
from palmares.console import (
    Console,
    append_step_summary,
    github_summary,
    interactive,
    system_error,
)
from palmares.content.config import address_fault
from palmares.freshness import Result, Stats
from palmares.output.cache import ParseCache, default_folder, folder_for
from palmares.output.write import OutputError
from palmares.site import urls
from palmares.text import format_int, plain_spaces, plural, shown_path

if TYPE_CHECKING:
    from palmares.pipeline import Content

COMMANDS = ("build", "serve", "check", "import", "new", "archive", "links", "diff", "init")
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 130, 141


def _port(text: str) -> int:
    """A TCP port, 0 to 65 535 (0: one the system finds free). A larger one was wrapped by
    the system's address lookup: --port 70000 listened on 4464 and said 70000."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"« {text} » n'est pas un nombre entier") from None
    if not 0 <= port <= 65_535:
        raise argparse.ArgumentTypeError(
            f"{text} n'est pas un port : choisissez un nombre de 1024 à 65535, ou 0 pour un "
            "port libre"
        )
    return port


def _seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " s"


def _summary(result: Result, verb: str) -> str:
    s = result.stats
    parts = [plural(s.communes, "collectivité"), plural(s.actions, "action")]
    if verb == "build":
        parts.append(plural(s.pages, "page"))
    return f"{plain_spaces(', '.join(parts))} en {_seconds(s.seconds)}"


def _report(console: Console, result: Result, fmt: str, *, publishes: bool = True) -> int:
    """Each problem, then how many must be fixed; `publishes`: the command would have
    published the site (build, archive), so the reader learns the old one is untouched."""
    for problem in result.problems:
        console.problem(problem, fmt)
    errors = len(result.errors)
    warnings = len(result.problems) - errors
    if errors:
        print(
            console.paint(f"{errors} problème{'s' if errors > 1 else ''} à corriger", "1;31")
            + (f", {warnings} avertissement{'s' if warnings > 1 else ''}" if warnings else "")
            + (
                " : rien n'a été publié, le site précédent est intact."
                if publishes
                else f" : corrigez-{'les' if errors > 1 else 'le'}, puis relancez la vérification."
            ),
            file=console.err,
        )
        return EXIT_PROBLEMS
    return EXIT_OK


def _shared(written_after: bool) -> tuple[arguments.Parser, ...]:
    """The options several commands share, as parents: (source and cache, output, strict,
    offline). `written_after`: a command's own copy, which sets only what is written after
    the command's name: argparse lets a command's default replace what the main parser read,
    so `--source DIR check` checked the current folder and `--strict check` was not strict."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if written_after else value

    common = arguments.Parser(add_help=False)
    common.add_argument(
        "--source", type=Path, default=default(Path(".")), metavar="DIR",
        help="dossier qui contient communes/ et content/ (et layouts/ s'il en a) ; par défaut le dossier courant",
    )  # fmt: skip
    common.add_argument(
        "--cache-dir", type=Path, default=default(None), metavar="DIR",
        help="dossier du cache des fichiers déjà lus (par défaut PALMARES_CACHE_DIR, sinon "
        "$XDG_CACHE_HOME/palmares ou ~/.cache/palmares) ; jamais dans le dossier source",
    )  # fmt: skip
    common.add_argument(
        "--no-cache", action="store_true", default=default(False),
        help="ne lire ni écrire aucun cache : tout est relu",
    )  # fmt: skip
    outputs = arguments.Parser(add_help=False)
    outputs.add_argument(
        "--out",
        type=Path,
        default=default(None),  # each command's own: _OUT
        metavar="DIR",
        help="dossier du site produit (par défaut site/)",
    )
    outputs.add_argument(
        "--base-url",
        default=default(None),
        metavar="URL",
        help="adresse publique du site (https://…/) : liens canoniques absolus et sitemap.xml ; "
        "par défaut la variable d'environnement PALMARES_BASE_URL, sinon aucune",
    )
    strict = arguments.Parser(add_help=False)
    strict.add_argument(
        "--strict",
        action="store_true",
        default=default(False),
        help="traiter les avertissements comme des erreurs",
    )
    offline = arguments.Parser(add_help=False)
    offline.add_argument(
        "--archive",
        action="store_true",
        default=default(False),
        help=f"écrire aussi le site hors ligne en zip ({urls.ARCHIVE}, à la racine du site) "
        "et le proposer en pied de chaque page",
    )
    offline.add_argument(
        "--brouillons",
        action="store_true",
        default=default(False),
        help="montrer aussi les éditions sous embargo (publie: false), chaque page qui en "
        "parle marquée « Brouillon : non publié » : un aperçu, jamais le site public",
    )
    return common, outputs, strict, offline


def parser() -> argparse.ArgumentParser:
    common, outputs, strict, offline = _shared(written_after=True)
    main = arguments.Parser(
        prog="palmares",
        description="Construit le site du palmarès Villes Internet à partir de communes/ et content/.",
        epilog="Sans commande, construit le site (comme « build »).",
        parents=list(_shared(written_after=False)),
    )
    main.add_argument(
        "--version", action="version", version=f"palmares {__version__}", help=arguments.VERSION
    )
    sub = main.add_subparsers(dest="command", metavar="COMMANDE")
    sub.add_parser(
        "build",
        parents=[common, outputs, strict, offline],
        help="construire le site",
        description="Construit le site dans --out, sans toucher au site précédent en cas d'erreur.",
    )
    serve = sub.add_parser(
        "serve",
        parents=[common, strict],
        help="prévisualiser avec rechargement automatique",
        description="Construit, sert le site sur http://127.0.0.1:PORT et le reconstruit à chaque modification.",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="interface d'écoute (par défaut 127.0.0.1, seulement cette machine)",
    )
    serve.add_argument(
        "--port", type=_port, default=8000, help="port (par défaut 8000 ; 0 : un port libre)"
    )
    serve.add_argument(
        "--sans-brouillons",
        action="store_true",
        help="cacher les éditions sous embargo, comme le site public (par défaut serve les "
        "montre, marquées « Brouillon : non publié »)",
    )
    serve.add_argument(
        "--out",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="dossier où construire (par défaut un dossier temporaire)",
    )
    check = sub.add_parser(
        "check",
        parents=[common, strict],
        help="vérifier le contenu sans rien écrire",
        description="Vérifie tout le contenu et affiche chaque problème sous la forme fichier:ligne: message.",
    )
    check.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="text (par défaut) ou github (annotations GitHub Actions)",
    )
    check.add_argument(
        "--base",
        metavar="REF",
        help="révision git (origin/main) : signale aussi les fichiers de code (gabarits, "
        "scripts, workflows, moteur) modifiés depuis REF, à relire comme du code",
    )
    importer = sub.add_parser(
        "import",
        parents=[common],
        help="importer le palmarès d'une édition (tableau CSV ou .xlsx du jury)",
        description="Ajoute le label de l'édition au fichier de chaque collectivité du tableau "
        "(colonnes : code, ou nom et departement ; arobases ; mention et distinctions "
        "facultatives) et crée les fichiers des nouvelles. Sans --apply, montre seulement "
        "ce qui changerait.",
        epilog="Codes de sortie : 0 tout est importé, 1 des lignes non résolues ou des "
        "problèmes, 2 mauvaise utilisation.",
    )
    importer.add_argument("file", type=Path, metavar="FICHIER", help="le tableau (.csv ou .xlsx)")
    importer.add_argument(
        "--edition", type=int, required=True, metavar="ANNEE", help="l'année de l'édition"
    )
    importer.add_argument("--apply", action="store_true", help="écrire les changements")
    importer.add_argument(
        "--skip-unresolved",
        action="store_true",
        help="importer les lignes résolues même si d'autres ne le sont pas",
    )
    new = sub.add_parser(
        "new",
        parents=[common],
        help="créer le fichier d'une collectivité d'après la liste officielle",
        description="Écrit communes/<département>/<nom>.yaml depuis la liste officielle "
        "(code INSEE d'une commune ou SIREN d'une intercommunalité), prêt pour son premier label.",
    )
    new.add_argument("code", metavar="CODE", help='code INSEE ("59378") ou SIREN ("200093201")')
    archive = sub.add_parser(
        "archive",
        parents=[common, strict],
        help="écrire tout le site hors ligne dans un zip",
        description="Construit le site dans un dossier temporaire et l'écrit dans un zip qui "
        "se lit depuis file:// sans réseau ; les mêmes sources donnent les mêmes octets "
        "(dates : SOURCE_DATE_EPOCH si elle est définie).",
    )
    archive.add_argument(
        "--out",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="FICHIER.zip",
        help=f"le zip à écrire (par défaut {urls.ARCHIVE})",
    )
    links = sub.add_parser(
        "links",
        help="contrôler les liens d'un site construit",
        description="Suit chaque lien des pages de --out comme un lecteur depuis file:// et "
        "affiche les liens cassés ou non portables ; code de sortie 1 s'il y en a.",
    )
    links.add_argument(
        "--out", type=Path, default=argparse.SUPPRESS, metavar="DIR",
        help="dossier du site construit (par défaut site/)",
    )  # fmt: skip
    links.add_argument(
        "--format", choices=("text", "github"), default="text",
        help="text (par défaut) ou github (annotations GitHub Actions)",
    )  # fmt: skip
    diff = sub.add_parser(
        "diff",
        help="lister ce qui change entre deux sites construits",
        description="Compare le site de --out à celui de OLD_SITE (deux dossiers de sortie "
        "de constructions)\u00a0: les pages ajoutées, supprimées et modifiées par famille, avec "
        "le texte visible qui change. Code de sortie 0 qu'il y ait des différences ou non.",
    )
    diff.add_argument("old", type=Path, metavar="OLD_SITE", help="le site d'avant")
    diff.add_argument(
        "--out", type=Path, default=argparse.SUPPRESS, metavar="NEW_SITE",
        help="le site d'après (par défaut site/)",
    )  # fmt: skip
    diff.add_argument(
        "--format", choices=("text", "markdown", "github"), default="text",
        help="text (par défaut), markdown, ou github (Markdown, ajouté aussi au résumé "
        "de la tâche GitHub Actions, $GITHUB_STEP_SUMMARY)",
    )  # fmt: skip
    init = sub.add_parser(
        "init",
        help="créer un dépôt de contenu prêt à publier",
        description="Crée DIR, un dépôt de contenu prêt à vérifier, construire et publier : "
        "un exemple de chaque sorte de fichier, les schémas pour VS Code, .gitignore et les "
        "deux vérifications GitHub Actions. DIR doit être nouveau ou vide.",
    )
    init.add_argument("dir", type=Path, metavar="DIR", help="le dossier à créer")
    init.add_argument(
        "--package", default=f"palmares=={__version__}", metavar="PAQUET",
        help="ce que les vérifications GitHub installent (par défaut palmares=="
        f"{__version__} ; ou par exemple « palmares @ git+https://…@v{__version__} »)",
    )  # fmt: skip
    return main


def _links(console: Console, out: Path, fmt: str) -> int:
    """`links`: the problems of the built site's links, as `check` prints content problems."""
    from palmares.linkcheck import check_links, verdict

    if not (out / "index.html").is_file():
        print(
            f"palmares : {shown_path(out)} ne contient pas de site construit (pas d'index.html) : "
            f"construisez-le d'abord avec `python build.py --out {shown_path(out)}`",
            file=console.err,
        )
        return EXIT_USAGE
    problems = check_links(out)
    for problem in problems:
        console.problem(problem, fmt)
    if problems:
        print(console.paint(verdict(problems), "1;31"), file=console.err)
        return EXIT_PROBLEMS
    print(f"Liens vérifiés dans {shown_path(out)} : aucun lien cassé", file=console.out)
    return EXIT_OK


def _base_url(option: str | None) -> str | None:
    """The site's public address ending with `/`, "" when none is given; None, with a
    message, when it cannot be one (as palmares.toml's `url` is checked)."""
    value = (option if option is not None else os.environ.get("PALMARES_BASE_URL", "")).strip()
    if not value:
        return ""
    parts = urlsplit(value)
    what = "palmares : --base-url (ou PALMARES_BASE_URL)"
    if parts.scheme not in ("http", "https") or not parts.netloc or any(map(str.isspace, value)):
        print(
            f"{what} doit être une adresse http:// ou https:// sans espace, par exemple "
            "https://palmares.villes-internet.net/",
            file=sys.stderr,
        )
        return None
    found = address_fault(value)
    if found is not None:
        fault, instead = found
        print(f"{what} : l'adresse publique du site {fault} : écrivez {instead}", file=sys.stderr)
        return None
    return value if value.endswith("/") else value + "/"


def _cache(args: argparse.Namespace, source: Path, site: Path | None) -> ParseCache | None:
    """The parse cache the options ask for (an empty one for --no-cache); None, with a
    message, when the folder asked for is inside the source (contributions are data, and
    nothing a build later unpickles may come with them) or inside `site`, the folder the
    command builds (each build swaps it whole, and what is in it is published)."""
    if args.no_cache:
        return ParseCache(None)
    root = args.cache_dir if args.cache_dir is not None else default_folder(os.environ)
    where = Path(os.path.realpath(root))
    for folder, what in ((source, "le dossier source"), (site, "le dossier du site")):
        if folder is not None and where.is_relative_to(os.path.realpath(folder)):
            print(
                f"palmares : le cache ({shown_path(root)}) ne peut pas être dans {what} "
                f"{shown_path(folder)} : choisissez un autre dossier avec --cache-dir, ou "
                "--no-cache",
                file=sys.stderr,
            )
            return None
    return ParseCache(folder_for(root, source))


def _step_summary(result: Result) -> None:
    """Every problem on the job's summary page, when GitHub Actions gives one."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    errors = len(result.errors)
    warnings = len(result.problems) - errors
    if errors:
        verdict = f"**{plural(errors, 'problème')} à corriger**"
    else:
        verdict = f"**Contenu valide** : {_summary(result, 'check')}"
    if warnings:
        verdict += f", {plural(warnings, 'avertissement')}"
    append_step_summary(github_summary(result.problems, verdict + "."), sys.stderr)


def _embargo_notice(years: Sequence[int]) -> str:
    """What `check` says of the editions under embargo."""
    files = ", ".join(f"content/palmares/{year}.md" for year in years)
    if len(years) == 1:
        return (
            f"L'édition {years[0]} est sous embargo ({files} : publie: false) : le site public "
            "ne la montre pas ; « build --brouillons » et « serve » la montrent, marquée "
            "« Brouillon : non publié »."
        )
    return (
        f"Les éditions {', '.join(map(str, years))} sont sous embargo ({files} : publie: "
        "false) : le site public ne les montre pas ; « build --brouillons » et « serve » les "
        "montrent, marquées « Brouillon : non publié »."
    )


def _content_stats(content: Content, started: float) -> Stats:
    site = content.site
    communes, actions = (len(site.communes), len(site.actions)) if site else (0, 0)
    return Stats(communes, actions, 0, time.perf_counter() - started)


def run() -> NoReturn:
    """The program's entry point."""
    # A build holds hundreds of thousands of small objects until it ends (the records, the
    # model's indexes, the plan); at CPython's default threshold (a collection every 700
    # allocations) the collector walks them again and again looking for cycles a build
    # hardly makes: loading the cached records took twice as long (docs/benchmarks.md).
    gc.set_threshold(100_000, 50, 100)
    _escape_unencodable()
    try:
        try:
            code = main()
        finally:
            _done_with_ctrl_c()
    except KeyboardInterrupt:
        # Ctrl+C: the person stopped the command, which needs no traceback. Whatever it was
        # writing is left as a failed run leaves it (a site, a zip and an import are swapped
        # in whole or not at all). 130: killed by SIGINT, as shells report it.
        _done_with_ctrl_c()
        print("\npalmares : interrompu (Ctrl+C)", file=sys.stderr)
        code = EXIT_INTERRUPTED
    except BrokenPipeError:
        # What reads the output went away (`palmares check | head`): stop without a word,
        # as a tool that SIGPIPE ends does (141), and let nothing more reach the closed
        # pipe: Python would try again, and complain, as it exits.
        devnull = os.open(os.devnull, os.O_WRONLY)
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                os.dup2(devnull, stream.fileno())
        code = EXIT_BROKEN_PIPE
    # What is left when the command is done (the official list of 35 000 communes, the
    # parsers, the templates) is walked by the collector again as the interpreter shuts
    # down: 0,10-0,15 s of a one-change build that takes 1,3 s. Frozen, it is not walked
    # (gc.freeze: the permanent generation), and the process ends as it would anyway.
    gc.freeze()
    sys.exit(code)


def _done_with_ctrl_c() -> None:
    """The command is done: a Ctrl+C now changes nothing, and would end the interpreter as
    it shuts down (it gives SIGINT back to the system's default action), without a word and
    with the status of a killed program, whatever the command did. Called where a Ctrl+C
    that comes while it runs is still caught, and again after that one."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _escape_unencodable() -> None:
    """Every message is French (accents, « », no-break spaces) and may quote a path the system
    gave as bytes that are not UTF-8: on a stream that cannot encode a character (a pipe
    or file in ASCII or cp1252, or a strict UTF-8 stdout meeting such a path, as in a
    fr_FR.UTF-8 locale), it is shown escaped (\\xe9) instead of ending the command in a
    traceback. Python does so already for stderr; stdout is strict but in the C locale."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _command(argv)
    except BrokenPipeError:
        raise  # not the system refusing a file: see run()
    except OSError as err:
        # What the system refused and no stage foresaw (a template one may not read, say):
        # a message naming the file, not a traceback.
        print(f"palmares : {system_error(err)}", file=sys.stderr)
        # A name too long is one the command was given (nothing else is made that long).
        return EXIT_USAGE if err.errno == errno.ENAMETOOLONG else EXIT_PROBLEMS


_OUT: dict[str, Path | None] = {
    "build": Path("site"),
    "links": Path("site"),
    "diff": Path("site"),
    "archive": Path(urls.ARCHIVE),
    "serve": None,  # a temporary folder
}
"""Each command's --out when none is written: one value for all the places a command's
--out may be written (before the command's name or after it)."""


def _command(argv: Sequence[str] | None) -> int:
    args = parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    console = Console(sys.stdout, sys.stderr)
    command = args.command or "build"
    if args.out is None:  # written neither before the command nor after it
        args.out = _OUT.get(command)
    if command == "links":
        return _links(console, args.out, args.format)
    if command == "diff":
        from palmares.diff import run as diff_sites

        return diff_sites(args.old, args.out, args.format, console.out, console.err)
    if command == "init":
        from palmares.init import init

        return init(args.dir, package=args.package, out=console.out, err=console.err)
    source: Path = args.source
    if not source.is_dir():
        what = "n'est pas un dossier" if source.exists() else "n'existe pas"
        print(f"palmares : le dossier source {shown_path(source)} {what}", file=sys.stderr)
        return EXIT_USAGE
    empty = freshness.no_content(source)
    if empty is not None and command in ("build", "check", "serve", "archive"):
        print(f"palmares : {empty}", file=sys.stderr)
        return EXIT_USAGE
    if command in ("import", "new"):
        from palmares import importer
        from palmares.content import geography

        output = importer.Output(console.out, console.err, interactive(console.out))
        if command == "new":
            return importer.run_new(
                source, args.code, output=output, geography=geography.official()
            )
        return importer.run_import(
            source, args.file, args.edition, apply_changes=args.apply,
            skip_unresolved=args.skip_unresolved, output=output, geography=geography.official(),
        )  # fmt: skip
    site = args.out if command in ("build", "serve") else None
    if site is not None:
        try:  # first: an output folder that cannot be one is the first thing to say
            freshness.check_out(source, site)
        except OutputError as err:
            print(f"palmares : {err}", file=sys.stderr)
            return EXIT_USAGE if err.usage else EXIT_PROBLEMS
    cache = _cache(args, source, site)
    if cache is None:
        return EXIT_USAGE
    if command == "check":
        from palmares.pipeline import check, rehearse

        started = time.perf_counter()
        content = check(source, strict=args.strict, cache=cache)
        content = rehearse(source, content, bytecode=cache.bytecode())
        result = Result(content.problems, _content_stats(content, started))
        code = _report(console, result, args.format, publishes=False)
        if code == EXIT_OK:
            print(f"Contenu valide : {_summary(result, 'check')}", file=console.out)
        if args.format == "github":
            _step_summary(result)
        if content.embargoed:
            print(_embargo_notice(content.embargoed), file=console.out)
        if args.base is not None:
            from palmares import review

            review.report(source, args.base, args.format, console.out)
        return code
    if command == "archive":
        return _archive(console, source, args.out, args.strict, cache, quiet=False)
    if command == "serve":
        from palmares.serve import serve

        return serve(
            source, args.out, host=args.host, port=args.port, strict=args.strict,
            console=console, cache=ParseCache(cache.folder, warm=True),
            drafts=not args.sans_brouillons,
        )  # fmt: skip
    base_url = _base_url(args.base_url)
    if base_url is None:
        return EXIT_USAGE
    try:
        result = _build(console, args, source, base_url, cache)
    except OutputError as err:
        print(f"palmares : {err}", file=sys.stderr)
        return EXIT_USAGE if err.usage else EXIT_PROBLEMS
    code = _report(console, result, "text")
    if code == EXIT_OK:
        built_in = shown_path(args.out)
        print(f"Site construit dans {built_in} : {_summary(result, 'build')}", file=console.out)
        if args.archive:
            code = _archive(
                console, source, args.out / urls.ARCHIVE, args.strict, cache, quiet=True
            )
    return code


def _build(
    console: Console, args: argparse.Namespace, source: Path, base_url: str, cache: ParseCache
) -> Result:
    """The build command: the last build's result when nothing changed since (freshness.py
    answers without importing the stages), else a build."""
    started = time.perf_counter()
    sources = freshness.read(
        source, args.out, strict=args.strict, base_url=base_url, archive=args.archive,
        drafts=args.brouillons,
    )  # fmt: skip
    unchanged = freshness.unchanged(args.out, sources, cache)
    if unchanged is not None:
        return freshness.timed(unchanged, started)
    from palmares.pipeline import build  # the stages: imported when there is work

    progress = console.progress if interactive(sys.stderr) else None
    result = build(source, args.out, cache=cache, stale=sources, progress=progress)
    return freshness.timed(result, started)


def _archive(
    console: Console, source: Path, zip_path: Path, strict: bool, cache: ParseCache, quiet: bool
) -> int:
    """The offline site into `zip_path`; `quiet` when a build just printed the same problems."""
    from palmares.archive import write_offline

    try:
        result = write_offline(source, zip_path, strict=strict, cache=cache)
    except OutputError as err:
        print(f"palmares : {err}", file=sys.stderr)
        return EXIT_USAGE if err.usage else EXIT_PROBLEMS
    code = _report(console, result if not quiet or result.errors else Result(), "text")
    if code == EXIT_OK:
        size = plain_spaces(format_int(round(zip_path.stat().st_size / 1000)))
        print(
            f"Archive hors ligne écrite dans {shown_path(zip_path)} : {size} Ko", file=console.out
        )
    return code


if __name__ == "__main__":
    raise SystemExit(main())
