"""Outputs of the plan → their files. An output whose key is the one the previous build
recorded is not made at all: its files are still right (`Rendered.files` None)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import jinja2

from palmares.site.pages import Page
from palmares.site.plan import Output


@dataclass(frozen=True, slots=True)
class Rendered:
    """An output of the plan, made or not: `files` is None when its key says that the
    previous build's files are still right."""

    id: str
    key: str
    files: list[tuple[str, bytes]] | None


def render(
    outputs: Iterable[Output], env: jinja2.Environment, known: Mapping[str, str]
) -> Iterator[Rendered]:
    for output in outputs:
        if known.get(output.id) == output.key:
            yield Rendered(output.id, output.key, None)
            continue
        made = output.make()
        if isinstance(made, Page):
            yield Rendered(output.id, output.key, [(made.path, html(env, made))])
        else:
            yield Rendered(output.id, output.key, made)


def html(env: jinja2.Environment, page: Page) -> bytes:
    return env.get_template(page.template).render(page.context).encode("utf-8")
