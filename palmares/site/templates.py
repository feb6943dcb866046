"""The templates and static files of `layouts/`, which are code: a source's own `layouts/`
may come from a stranger's pull request, like the rest of the source.

So templates render in Jinja's sandbox (no `''.__class__.__mro__` road to Python's
internals), a template or static file reached through a symlink out of its folder is
refused, and compiled templates are cached only where the build keeps its own cache, outside
the source (output/cache.py: a cache file planted in the source would be code that runs).
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import markupsafe
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from palmares.problems import Problem, Severity
from palmares.site.layouts import Bound, bounds, built_in, refusal, walk
from palmares.text import format_int


class UnsafeLayout(jinja2.TemplateSyntaxError):
    """A template or static file refused before it is read. A syntax error of the file, for
    whoever reports template errors: they name its file, here the link itself."""

    def __init__(self, message: str, name: str, filename: str) -> None:
        super().__init__(message, 0, name, filename)


MAX_REPEAT = 1_000_000
"""The longest text or list a template may make with `*` (a page is a few hundred KB)."""
MAX_POWER = 1000


class _Sandboxed(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, the one that also refuses to modify a list or dict (contexts share
    pieces across pages, and a page is a pure function of its context), with `a.b` looked
    up as a key first when `a` is a dict.

    Contexts are plain dicts, and Jinja's own order (attribute, then key) raises and catches
    an AttributeError for each of the million `{{ c.url }}` of a build. No context key is
    named after a dict method, so both orders give the same value. A key of a dict is what
    the sandbox's own `a["b"]` gives without a check; anything else goes through its checks
    (`is_safe_attribute`)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        return self.undefined(
            f"un gabarit ne peut pas lire l'attribut `{attribute}` d'un objet "
            f"`{type(obj).__name__}` : seules les valeurs préparées pour la page sont permises",
            name=attribute,
            obj=obj,
            exc=SecurityError,
        )

    # `*` and `**` checked: `'a' * 10**13` asks for terabytes, `9 ** 9 ** 9` for hours.
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_POWER:
            raise SecurityError(
                f"un gabarit ne peut pas élever à une puissance de plus de {MAX_POWER}"
            )
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if (
                    isinstance(sequence, (str, list, tuple))
                    and isinstance(times, int)
                    and len(sequence) * times > MAX_REPEAT
                ):
                    raise SecurityError(
                        "un gabarit ne peut pas répéter un texte ou une liste au-delà de "
                        f"{format_int(MAX_REPEAT)} éléments"
                    )
        return super().call_binop(context, operator, left, right)

    def call(
        __self,  # the sandbox's own names: no keyword of a template's call can clash
        __context: jinja2.runtime.Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        if not __self.is_safe_callable(__obj):
            raise SecurityError(
                f"un gabarit ne peut pas appeler `{getattr(__obj, '__name__', type(__obj).__name__)}`"
            )
        return super().call(__context, __obj, *args, **kwargs)


def _check(path: str, bound: Bound, name: str) -> None:
    """Refuse a file whose real path leaves `bound`, or a broken link, without reading it;
    named as the link that leads out, a folder's on its way when it is one."""
    refused = refusal(path, bound)
    if refused is not None:
        raise UnsafeLayout(refused[1], name, refused[0])


class _Loader(jinja2.FileSystemLoader):
    """Jinja's file loader (the first folder that has a template wins), refusing a template
    that a symlink leads out of its folder, before reading it."""

    def __init__(self, folders: Sequence[Bound]) -> None:
        super().__init__([folder for folder, _, _ in folders])
        self.bounds = list(folders)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = _split(template)
        for bound in self.bounds:
            path = os.path.join(bound[0], *pieces)
            if os.path.islink(path) or (os.path.exists(path) and not os.path.isdir(path)):
                _check(path, bound, template)  # a named pipe too: never opened
                break
        return super().get_source(environment, template)


def _split(template: str) -> list[str]:
    """A template's name as path components; `..` and separators are no template's name."""
    pieces = []
    for piece in template.split("/"):
        if os.sep in piece or (os.altsep and os.altsep in piece) or piece == os.pardir:
            raise jinja2.TemplateNotFound(template)
        if piece and piece != ".":
            pieces.append(piece)
    return pieces


def environment(
    layouts: Sequence[Path],
    source: Path | None,
    bytecode: jinja2.BytecodeCache | None = None,
) -> jinja2.Environment:
    """Templates from the first folder that has them: a source's own layouts/ may override
    any template of the default ones. `source` is the folder their symlinks may not leave
    (None: each layouts folder is its own); `bytecode`: where compiled templates are kept
    between builds (never in the source)."""
    env = _Sandboxed(
        loader=_Loader(bounds(layouts, source)),
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["nombre"] = format_int
    env.filters["exposants"] = superscripts
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    return env


def unused(env: jinja2.Environment, own: Sequence[str]) -> list[Problem]:
    """A warning for each template of a source's layouts/ (`own`) that changes nothing (a
    name mistyped, most often), with the name it may have meant."""
    ours = built_in()
    # Compared by their names without `.html`, which every name shares.
    stems = {template.removesuffix(".html"): template for template in ours}
    found = []
    for name in _unreached(env, own, ours):
        same = next((t for t in ours if t.casefold() == name.casefold()), None)
        close = difflib.get_close_matches(name.removesuffix(".html"), stems, n=1)
        if same:
            # Used on a Mac or Windows disk, which mix up the cases; not by the server.
            hint = (
                f"vouliez-vous le nommer `{same}` ? (les majuscules comptent : le serveur "
                "qui construit le site public ne le prend pas pour lui, même si un Mac ou "
                "Windows le fait)"
            )
        elif close:
            hint = f"vouliez-vous le nommer `{stems[close[0]]}` ?"
        else:
            hint = "les gabarits qu'il peut remplacer sont " + ", ".join(ours)
        found.append(
            Problem(
                f"layouts/{name}",
                0,
                0,
                "ce gabarit ne remplace aucun de ceux de Palmarès et aucun gabarit ne "
                f"l'utilise (extends, include, import) : il est sans effet ; {hint}",
                Severity.WARNING,
            )
        )
    return found


def _unreached(env: jinja2.Environment, own: Sequence[str], ours: Sequence[str]) -> list[str]:
    """The templates of `own` neither one of `ours`, which they would replace, nor named
    (extends, include, import) by a template that is used; none when a used template names
    another by a variable: which one it takes cannot be told."""
    reached = set(ours)
    pending = [name for name in own if name in reached]
    while pending:
        text = env.loader.get_source(env, pending.pop())[0]  # type: ignore[union-attr]
        for name in jinja2.meta.find_referenced_templates(env.parse(text)):
            if name is None:
                return []
            if name not in reached:
                reached.add(name)
                if name in own:
                    pending.append(name)
    return [name for name in own if name not in reached]


_FIRST = re.compile(r"\b1er\b")


def superscripts(text: str) -> markupsafe.Markup:
    """The `exposants` filter: text escaped, its ordinals in superscript as French typography
    wants (`1er février 2017` → `1<sup>er</sup> février 2017`)."""
    return markupsafe.Markup(_FIRST.sub("1<sup>er</sup>", str(markupsafe.escape(text))))


def static_files(layouts: Sequence[Path], source: Path | None) -> list[tuple[str, bytes]]:
    """Assets from each layouts' `static/`, the first folder winning for a given name, sorted.
    A link to a folder is followed when it stays in the source (or its layouts folder), as
    one to a file is; a file or folder whose real path leaves it is refused before it is
    read."""
    found: dict[str, tuple[str, Bound]] = {}
    for bound in reversed(bounds(layouts, source)):
        static = os.path.join(bound[0], "static")
        if os.path.isdir(static):
            for rel, path in walk(static, "", bound[1]):
                found[f"static/{rel}"] = (path, bound)
    files = []
    for rel in sorted(found):
        path, bound = found[rel]
        _check(path, bound, rel)
        files.append((rel, Path(path).read_bytes()))
    return files
