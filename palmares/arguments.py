"""argparse, in French: what an editor reads when a command is mistyped or `--help` asked.

Only argparse's public API: the parser's own `-h` and `--version` carry French help texts,
`format_usage` and `format_help` (whose results are plain text) get French headings, and
`error` (documented as the method to override) says argparse's English messages in French.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import Any, NoReturn

HELP = "afficher cette aide et quitter"
VERSION = "afficher la version et quitter"

_HEADINGS = (
    (re.compile(r"^usage: ", re.MULTILINE), "utilisation : "),
    (re.compile(r"^positional arguments:$", re.MULTILINE), "arguments :"),
    (re.compile(r"^options:$", re.MULTILINE), "options :"),
)

_TYPES = {"int": "un nombre entier", "float": "un nombre", "Path": "un chemin"}


def _choices(text: str) -> str:
    return ", ".join(part.strip().strip("'") for part in text.split(","))


_MESSAGES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"^argument (.+?): invalid choice: '(.*)' \(choose from (.*)\)$"),
        lambda m: f"{m[1]} : « {m[2]} » n'existe pas ; possibles : {_choices(m[3])}",
    ),
    (
        re.compile(r"^argument (.+?): invalid (\w+) value: '(.*)'$"),
        lambda m: f"{m[1]} : « {m[3]} » n'est pas {_TYPES.get(m[2], 'une valeur permise')}",
    ),
    (
        re.compile(r"^argument (.+?): expected one argument$"),
        lambda m: f"{m[1]} attend une valeur",
    ),
    (
        re.compile(r"^argument (.+?): not allowed with argument (.+)$"),
        lambda m: f"{m[1]} ne va pas avec {m[2]}",
    ),
    (
        re.compile(r"^argument (.+?): ignored explicit argument '(.*)'$"),
        lambda m: f"{m[1]} ne prend pas de valeur (« {m[2]} »)",
    ),
    (
        re.compile(r"^the following arguments are required: (.+)$"),
        lambda m: f"il manque : {m[1]}",
    ),
    (
        re.compile(r"^unrecognized arguments: (.+)$"),
        lambda m: f"arguments inconnus : {m[1]}",
    ),
    (
        re.compile(r"^ambiguous option: (\S+) could match (.+)$"),
        lambda m: f"option ambiguë : {m[1]} peut être {m[2]}",
    ),
    # Last: a value refused by the option's own type, whose message is French already.
    (re.compile(r"^argument (.+?): (.+)$"), lambda m: f"{m[1]} : {m[2]}"),
)


def french(message: str) -> str:
    """One of argparse's error messages, in French (as it is when it is not one of them)."""
    for pattern, say in _MESSAGES:
        found = pattern.match(message)
        if found:
            return say(found)
    return message


_BEFORE = re.compile(r" ([:;!?»])")
_AFTER = re.compile(r"« ")


def typeset(text: str) -> str:
    """French typography's no-break spaces in a help text: before `:` (U+00A0), `;`, `!`,
    `?` (U+202F), inside « » (U+00A0). argparse wraps lines at plain spaces only: a colon
    never starts a line."""
    text = _BEFORE.sub(lambda m: ("\u00a0" if m[1] in ":»" else "\u202f") + m[1], text)
    return _AFTER.sub("«\u00a0", text)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks French; its subcommands' parsers are of this class
    too (`add_subparsers` makes them so). Help texts are typeset (`typeset`)."""

    def __init__(self, prog: str | None = None, *, add_help: bool = True, **kwargs: Any) -> None:
        for key in ("description", "epilog"):
            if isinstance(kwargs.get(key), str):
                kwargs[key] = typeset(kwargs[key])
        super().__init__(prog, add_help=False, **kwargs)
        if add_help:
            self.add_argument("-h", "--help", action="help", help=HELP)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        if isinstance(kwargs.get("help"), str):
            kwargs["help"] = typeset(kwargs["help"])
        return super().add_argument(*args, **kwargs)

    def format_usage(self) -> str:
        return _french_headings(super().format_usage())

    def format_help(self) -> str:
        return _french_headings(super().format_help())

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : {french(message)}\n")


def _french_headings(text: str) -> str:
    for pattern, heading in _HEADINGS:
        text = pattern.sub(heading, text)
    return text
