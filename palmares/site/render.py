"""Outputs of the plan → their files, made only when what they show changed.

An output whose key (what it shows: site/plan.py) is the one the previous build recorded is
not made at all. A page whose key changed has its context prepared; when that context and
its template are the ones the previous build rendered, the page is not rendered again.
Either way `Rendered.files` is None: the previous build's files are still right."""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import traceback
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import jinja2

from palmares import resources
from palmares.site.pages import Page
from palmares.site.plan import Output


@dataclass(frozen=True, slots=True)
class Rendered:
    """An output of the plan, made or not."""

    id: str
    key: str
    made: str
    """A page's template and context, as a digest ("" for other outputs)."""
    files: list[tuple[str, bytes]] | None
    """None when the previous build's files are still right."""


def render(
    outputs: Iterable[Output],
    env: jinja2.Environment,
    previous: Mapping[str, tuple[str, str]],
    salt: str,
) -> Iterator[Rendered]:
    """`previous`: each output's key and digest as the last build made it; `salt`: what
    every page depends on besides its context (the engine, the templates, the options)."""
    for output in outputs:
        key, made = previous.get(output.id, ("", ""))
        if key == output.key:
            yield Rendered(output.id, output.key, made, None)
            continue
        page = output.make()
        if not isinstance(page, Page):
            yield Rendered(output.id, output.key, "", page)
            continue
        digest = page_digest(page, salt)
        if digest == made:
            yield Rendered(output.id, output.key, digest, None)
        else:
            yield Rendered(
                output.id, output.key, digest, [(page.path, html(env, page)), *page.files]
            )


def page_digest(page: Page, salt: str) -> str:
    h = hashlib.blake2b(salt.encode(), digest_size=16)
    h.update(page.template.encode())
    # marshal version 2 writes values without back-references: equal contexts give equal
    # bytes, whatever objects they share (pickle's memo does not).
    h.update(marshal.dumps(page.context, 2))
    h.update(marshal.dumps(page.files, 2))
    return h.hexdigest()


def html(env: jinja2.Environment, page: Page) -> bytes:
    try:
        return env.get_template(page.template).render(page.context).encode("utf-8")
    except (jinja2.TemplateSyntaxError, MemoryError):
        raise  # the file's own mistake, at its line; the machine's memory
    except Exception as err:
        failure = TemplateFailure.of(err)
        if failure is None:
            raise
        raise failure from err


_BUILT_IN = os.path.realpath(resources.layouts())


class TemplateFailure(jinja2.TemplateError):
    """A template of the source that raised while rendering (a division by zero, a range
    the sandbox refuses, a template that extends itself): a problem at its line, not a
    traceback. Templates are code a contribution may bring; ours failing is our bug."""

    def __init__(self, message: str, filename: str, lineno: int) -> None:
        super().__init__(message)
        self.filename = filename
        self.lineno = lineno

    @classmethod
    def of(cls, err: Exception) -> TemplateFailure | None:
        """`err` at the innermost line of the source's templates it went through (Jinja
        puts the templates' own lines in a traceback; one of ours may be deeper, when the
        source's includes it); None when it went through none of them: our bug."""
        frames = [
            frame
            for frame in traceback.extract_tb(err.__traceback__)
            if frame.filename.endswith(".html")
            and os.path.isfile(frame.filename)
            and not os.path.realpath(frame.filename).startswith(_BUILT_IN + os.sep)
        ]
        if not frames:
            return None
        return cls(_failure(err), frames[-1].filename, frames[-1].lineno or 0)


_UNDEFINED = re.compile(r"^'([^']+)' is undefined$")
_NO_ATTRIBUTE = re.compile(r"^'[^']+' has no attribute '([^']+)'$")


def _failure(err: Exception) -> str:
    """What a template's failure means, in French where Jinja's own words are English."""
    if isinstance(err, jinja2.TemplateNotFound):
        return (
            f"le gabarit « {err.name} » n'existe pas, ni dans layouts/ ni parmi ceux du "
            "moteur : vérifiez son nom"
        )
    if isinstance(err, jinja2.UndefinedError):
        said = str(err.message)
        missing = _UNDEFINED.match(said) or _NO_ATTRIBUTE.match(said)
        what = f"« {missing.group(1)} »" if missing else f"une valeur ({said})"
        return (
            f"le gabarit lit {what}, que la page n'a pas : vérifiez son nom, ou testez-la "
            "d'abord (`{% if valeur is defined %}`)"
        )
    if isinstance(err, jinja2.TemplateError):  # the sandbox's refusals, already in French
        return f"erreur de gabarit : {err.message}"
    hint = (
        " : un gabarit qui s'étend ou s'inclut lui-même ?"
        if isinstance(err, RecursionError)
        else ""
    )
    return f"le gabarit échoue ici ({type(err).__name__} : {err}){hint}"
