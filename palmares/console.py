"""What a person at a terminal sees: problems, colours and a progress bar, only where they
make sense (never in CI or a pipe)."""

from __future__ import annotations

import errno
import os
from collections.abc import Mapping, Sequence
from typing import TextIO

from palmares.problems import Problem, Severity
from palmares.text import plural, shown_path, system_reason


def interactive(stream: TextIO) -> bool:
    """Colours and progress bars only for a person at a terminal, never in CI or a pipe."""
    in_ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return stream.isatty() and not in_ci and not os.environ.get("NO_COLOR")


class Console:
    def __init__(self, out: TextIO, err: TextIO) -> None:
        self.out = out
        self.err = err
        self.colour = interactive(err)

    def paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.colour else text

    def problem(self, problem: Problem, fmt: str) -> None:
        if fmt == "github":
            level = "error" if problem.severity is Severity.ERROR else "warning"
            message = github_message(problem.message)
            place = f"file={github_property(problem.path)}"
            if problem.line:
                place += f",line={problem.line}"
                if problem.col:
                    place += f",col={problem.col}"
            print(f"::{level} {place}::{message}", file=self.out)
            return
        text = str(problem)
        code = "31" if problem.severity is Severity.ERROR else "33"
        print(self.paint(text, code), file=self.err)

    def progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        bar = "█" * filled + "·" * (width - filled)
        end = "\n" if done == total else ""
        # The plan's outputs, not only its pages (a page's pictures, the search index…):
        # « pages » would not match the summary's count of pages.
        print(f"\r  construction {bar} {done}/{total}", end=end, file=self.err, flush=True)


def github_message(value: str) -> str:
    """A GitHub Actions workflow command's message, escaped."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(value: str) -> str:
    """A workflow command's property value: its message's escapes, and `:` and `,` too (a
    file named `a, b.md` is allowed)."""
    return github_message(value).replace(":", "%3A").replace(",", "%2C")


def append_step_summary(text: str, err: TextIO, environ: Mapping[str, str] = os.environ) -> None:
    """`text` added to the job's summary page, $GITHUB_STEP_SUMMARY, when GitHub Actions
    names one. When it cannot be written (a folder, a missing folder, no right to), one line
    in French says so on `err`, and the command's output and exit code stand: the summary
    only repeats them."""
    target = environ.get("GITHUB_STEP_SUMMARY", "")
    if not target:
        return
    try:
        with open(target, "a", encoding="utf-8") as summary:
            summary.write(text)
    except OSError as error:
        print(
            f"palmares : résumé GitHub non écrit ({shown_path(target)} : {system_reason(error)})",
            file=err,
        )


def system_error(err: OSError, colon: str = " : ") -> str:
    """An error of the system, in French, naming its file or folder and what to do; `colon`:
    what stands before each « : » (a no-break space in a report meant for Markdown)."""
    reason = system_reason(err)
    if not err.filename:
        return reason
    if err.errno == errno.ENAMETOOLONG:  # a path given too long: no right would help
        return f"{shown_path(err.filename)}{colon}{reason}{colon}choisissez un chemin plus court"
    what = "dossier" if os.path.isdir(err.filename) else "fichier"
    return (
        f"{shown_path(err.filename)}{colon}{reason}{colon}vérifiez ce {what} et ses droits, "
        "puis relancez"
    )


SUMMARY_ROWS = 500
"""Problems a job summary lists at most: GitHub refuses a step's summary over 1 MiB (with
an error of its own, and no summary at all), and a row takes up to 700 bytes."""


def github_summary(problems: Sequence[Problem], verdict: str) -> str:
    """The problems of a check as Markdown for the job's summary page ($GITHUB_STEP_SUMMARY):
    the annotations GitHub shows stop at ten a step. The first SUMMARY_ROWS, and how many
    more the step's log lists."""
    lines = ["## Vérification du contenu", "", verdict, ""]
    if problems:
        lines += ["| fichier | ligne | gravité | problème |", "| --- | --- | --- | --- |"]
        for p in problems[:SUMMARY_ROWS]:
            where = f"{p.line}:{p.col}" if p.col else (str(p.line) if p.line else "")
            lines.append(
                f"| `{_cell(p.path)}` | {where} | {p.severity.value} | {_cell(p.message)} |"
            )
        lines.append("")
        if len(problems) > SUMMARY_ROWS:
            more = plural(len(problems) - SUMMARY_ROWS, "autre problème", "autres problèmes")
            lines += [f"Et {more} : le journal de l'étape les donne tous.", ""]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text in a Markdown table cell: no line break, no column break, no HTML."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")
