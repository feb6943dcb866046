"""Characters that have no place in what editors write, and how deep a YAML file may nest.

Everything here is a pure function of a file's text: the parse cache keeps its results per
file (output/cache.py). The rules, and why:

- C0 and C1 control characters (DEL included) are refused in a file's text, tab and newline
  excepted, and in every YAML value, tab and line breaks included (a value is one line of
  text): they are invisible, and XML (the feeds) cannot even carry them.
- Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the invisible
  U+200B, U+2060 and U+FEFF are refused in YAML values: no field is running text in another
  script, and they make a name show otherwise than it is written (in search, the exports and
  the addresses it gives). The joiners U+200C and U+200D are refused in names and only warned
  about in other values, where an emoji sequence or a word in Persian may need them. Bodies
  keep them: a write-up may quote text in any script, and the Unicode bidirectional algorithm
  ends an override at the end of its paragraph.
- A value in decomposed Unicode (NFD, as some Mac applications save) is used in its composed
  form (NFC), with a warning, so that search, sorting and the comparison with the official
  names see one spelling.
- A title, a mention, a distinction or a place is shown as it is written: Markdown or HTML
  in it (`La *bonne* appli`, `<b>`) would show with its signs, a warning.
- A name never starts with `=`, `+`, `-` or `@`, nor a title with `=`: a spreadsheet opening
  the open data would take it for a formula (OWASP, CSV injection). A title may start with
  the others (« @ vos claviers ! », « + de services », « -50 % de papier »): the open data
  puts a `'` before it, as before any other text so written (site/exports.py).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from palmares.problems import Severity, shown
from palmares.text import format_int

CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters in a file's text (its line ends already made `\\n`): tab and newline
are the only ones an editor types."""
_CONTROL_IN_VALUE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_INVISIBLE = re.compile("[\u200b\u2060\ufeff]")
_JOINER = re.compile("[\u200c\u200d]")
_SUSPECT = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff]"
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, CSV injection)."""

MAX_YAML_DEPTH = 20
"""Lists and fields nested deeper than this are refused: the deepest the contract needs is 4
(`labels`, a label, its `distinctions`, one of them)."""


def control_message(char: str) -> str:
    return (
        f"caractère de contrôle invisible {shown(char)} : retirez-le (il vient souvent d’un "
        "copier-coller depuis un traitement de texte ou un terminal)"
    )


def clean(value: str) -> bool:
    """Whether `value_problems` has nothing to say of a value (the case of almost all)."""
    return _SUSPECT.search(value) is None and unicodedata.is_normalized("NFC", value)


def value_problems(value: str, what: str, *, name: bool) -> Iterator[tuple[str, Severity]]:
    """What is wrong with one YAML text value, named `what` in the messages (`titre`…); `name`
    for the fields that name a collectivité, where a joiner is refused too."""
    if _SUSPECT.search(value) is not None:
        control = _CONTROL_IN_VALUE.search(value.strip("\n"))
        if control is not None:
            char = control.group()
            if char in "\n\u2028\u2029":
                yield (
                    f"{what} tient sur une ligne : retirez le saut de ligne "
                    f"({shown(char)}) qu’il contient",
                    Severity.ERROR,
                )
            else:
                yield f"{what} contient un {control_message(char)}", Severity.ERROR
        for pattern, kind in ((_BIDI, "de direction d’écriture"), (_INVISIBLE, "invisible")):
            found = pattern.search(value)
            if found is not None:
                yield (
                    f"{what} contient un caractère {kind} ({shown(found.group())}) : "
                    "retirez-le ; retapez le texte s’il a été copié d’une autre application",
                    Severity.ERROR,
                )
        joiner = _JOINER.search(value)
        if joiner is not None:
            yield (
                f"{what} contient un caractère de liaison invisible "
                f"({shown(joiner.group())}) : retirez-le"
                + (
                    ""
                    if name
                    else " s’il ne sert pas à une suite d’émojis ou à une écriture qui en a besoin"
                ),
                Severity.ERROR if name else Severity.WARNING,
            )
    if not unicodedata.is_normalized("NFC", value):
        composed = unicodedata.normalize("NFC", value).strip()
        yield (
            f"{what} est écrit en Unicode décomposé (NFD : chaque accent est un caractère "
            f"à part, comme l’enregistrent certaines applications du Mac) ; le site utilise la "
            f"forme composée (NFC) « {composed} » : retapez la valeur ou enregistrez le fichier "
            "en NFC pour ne plus voir cet avertissement",
            Severity.WARNING,
        )


def too_long(value: str, what: str, limit: int, advice: str = "raccourcissez-le") -> str:
    """The message for a text over its schema's `maxLength` (counted in characters, as
    JSON Schema counts them)."""
    return f"{what} fait {format_int(len(value))} caractères, {limit} au plus : {advice}"


def formula_start(value: str, what: str, signs: tuple[str, ...]) -> str | None:
    """The message for a name or a title starting with one of `signs`, which a spreadsheet
    would take for a formula; or None."""
    text = value.strip()
    if not text.startswith(signs):
        return None
    rest = text.lstrip("".join(FORMULA_START) + " ")
    example = f"`{rest}`" if rest else "un texte qui commence par une lettre ou un chiffre"
    return (
        f"{what} commence par « {text[0]} » : un tableur qui ouvre les données ouvertes "
        f"(donnees/*.csv) le prendrait pour une formule ; commencez par une lettre ou un "
        f"chiffre, par exemple {example}"
        + (" (« Plus de… » pour « + de… »)" if text[0] == "+" else "")
    )


_MARKUP = re.compile(
    r"(\*{1,2}|__)(?=\S)[^*_]+?(?<=\S)\1"  # *emphase*, **gras**, __gras__
    r"|\[([^\]]+)\]\([^)\s]+\)"  # [texte](adresse)
    r"|</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>"  # <b>, </i>, <br/>
)


def markup_message(value: str, what: str) -> str | None:
    """The message for a value shown as it is written (a title, a mention) that holds
    Markdown or HTML, which would show with its signs: `La *bonne* appli` keeps its `*`
    on the page. None for a value without."""
    found = _MARKUP.search(value)
    if found is None:
        return None
    plain = " ".join(_MARKUP.sub(_unmarked, value).split())
    return (
        f"{what} s’affiche tel quel, sans mise en forme : « {found.group()} » y garderait ses "
        f"signes ; écrivez « {plain} »"
    )


def _unmarked(found: re.Match[str]) -> str:
    """What a piece of markup says: the text between the signs, a link's text, no tag."""
    text = found.group()
    if found.group(1):
        return text[len(found.group(1)) : -len(found.group(1))]
    return found.group(2) or ""


# --- how deep a YAML text nests --------------------------------------------------------------

_BLOCK_UNIT = r"(?:[ \t]|[-?:](?=[ \t]|$))"
"""One column of a line's indentation and of the `- `, `? `, `: ` indicators after it: those
columns are where the lists and mappings of that line may start."""


def yaml_too_deep(text: str, loader: type) -> tuple[int, int] | None:
    """Where (line, column from 1) a YAML text nests lists and fields more than
    MAX_YAML_DEPTH levels deep, or None.

    PyYAML composes recursively: a few thousand levels raise RecursionError, a hundred
    thousand crash the interpreter, and parsing them is quadratic. So this never composes:
    a bound read off the text clears every ordinary file (nested lists or fields start each
    further right than the one holding them, or after an indicator on its line, or at a
    bracket), and only a file the bound does not clear is parsed, as events, stopping at the
    first level too deep."""
    brackets = text.count("[") + text.count("{")
    # A mapping's value may be a list written at the mapping's own indentation (two levels a
    # column), and a line may open one more mapping after its indicators (`- &a b: c`): a
    # text whose lines all start a collection before column `columns` is shallow enough.
    columns = (MAX_YAML_DEPTH - 1 - brackets) // 2
    if columns > 0:
        first, others = _wide(columns)
        if first.match(text) is None and others.search(text) is None:
            return None
    # Imported here, where a YAML file is parsed: palmares.toml's texts are checked by this
    # module too, and a build that finds nothing changed imports no parser.
    import yaml

    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    mark = event.start_mark
                    return (mark.line + 1, mark.column + 1) if mark else (1, 0)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None  # composing reports it, at the same place, before any deeper level
    return None


@functools.cache
def _wide(columns: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The first line, and the others: `\\n` rather than `^` with re.MULTILINE, so that the
    search jumps from line to line (several times faster)."""
    units = f"{_BLOCK_UNIT}{{{columns}}}"
    return re.compile(units), re.compile(f"\n{units}")


def depth_message() -> str:
    return (
        f"les listes et les champs s’imbriquent ici sur plus de {MAX_YAML_DEPTH} niveaux : "
        "aucun fichier du palmarès n’en a besoin (le plus profond, `labels` puis "
        "`distinctions`, en compte quatre) ; vérifiez les crochets `[` et l’indentation"
    )
