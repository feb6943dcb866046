"""One collectivité file's text with an edition's label set, through ruamel.yaml's round trip:
comments, key order, quoting and layout stay as the editor wrote them. And the text of a new
file, filled from the official list."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from palmares.content.geography import Official
from palmares.territory import DEPARTEMENTS
from palmares.text import segment


@dataclass(frozen=True, slots=True)
class LabelValues:
    annee: int
    arobases: int
    mention: str | None
    distinctions: tuple[str, ...]
    set_mention: bool = True
    """False when the table has no `mention` column: an existing mention is kept."""
    set_distinctions: bool = True


class LabelError(Exception):
    pass


_PLACEHOLDER = re.compile(
    r"^[ \t]*# Premier label.*\n[ \t]*# - annee: \d+\n[ \t]*#   arobases: \d+\n", re.MULTILINE
)


def set_label(text: str, values: LabelValues) -> tuple[str, Literal["added", "changed", "same"]]:
    """The file's text with the label of `values.annee` set; everything else kept as written."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.util import load_yaml_guess_indent

    bom = text.startswith("\ufeff")
    crlf = "\r\n" in text
    body = text.lstrip("\ufeff").replace("\r\n", "\n")
    if body and not body.endswith("\n"):
        body += "\n"
    body, trailing = _split_trailing(body)
    try:
        _, indent, offset = load_yaml_guess_indent(body)
        loader = YAML()
        loader.preserve_quotes = True
        loader.width = 4096
        loader.indent(mapping=2, sequence=indent or 4, offset=offset if indent else 2)
        data = loader.load(body)
    except YAMLError as err:
        raise LabelError(f"YAML illisible : {err}") from err
    if not isinstance(data, CommentedMap):
        raise LabelError("le fichier ne décrit pas une collectivité (`code:`, `nom:`…)")
    labels = data.get("labels")
    if labels is None or (isinstance(labels, list) and not labels):
        labels = CommentedSeq()
        data["labels"] = labels
        trailing = _PLACEHOLDER.sub("", trailing)
    if not isinstance(labels, CommentedSeq):
        raise LabelError("`labels` n'est pas une liste : corrigez-le avant d'importer")
    index = next(
        (
            i
            for i, item in enumerate(labels)
            if isinstance(item, dict) and _year(item.get("annee")) == values.annee
        ),
        None,
    )
    if index is not None:
        item = labels[index]
        if not _update(item, values):
            return text, "same"
        outcome: Literal["added", "changed"] = "changed"
    else:
        item = CommentedMap()
        item["annee"] = values.annee
        _update(item, values)
        if any(isinstance(other, CommentedMap) and other.fa.flow_style() for other in labels):
            item.fa.set_flow_style()  # `- {annee: 2017, arobases: 5}`: written like its siblings
        position = sum(
            1
            for other in labels
            if isinstance(other, dict) and (_year(other.get("annee")) or 0) < values.annee
        )
        if position > 0:
            _move_comment_after(labels[position - 1], item)
        labels.insert(position, item)
        outcome = "added"
    out = io.StringIO()
    loader.dump(data, out)
    result = out.getvalue() + trailing
    if crlf:
        result = result.replace("\n", "\r\n")
    return ("\ufeff" if bom else "") + result, outcome


def _year(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _update(item: Any, values: LabelValues) -> bool:
    """Set arobases, mention and distinctions as the table says; True if anything changed."""
    from ruamel.yaml.comments import CommentedSeq

    changed = False
    if item.get("arobases") != values.arobases or isinstance(item.get("arobases"), bool):
        _put(item, "arobases", values.arobases, after="annee")
        changed = True
    if values.set_mention and item.get("mention") != values.mention:
        if values.mention is None:
            del item["mention"]
        else:
            _put(item, "mention", values.mention, after="arobases")
        changed = True
    if values.set_distinctions:
        current = item.get("distinctions")
        now = list(current) if isinstance(current, list) else current
        wanted = list(values.distinctions)
        if (now or []) != wanted:
            if not wanted:
                del item["distinctions"]
            elif isinstance(current, CommentedSeq):
                current.clear()
                current.extend(wanted)
            else:
                seq = CommentedSeq(wanted)
                seq.fa.set_flow_style()
                _put(item, "distinctions", seq, after="mention")
            changed = True
    return changed


def _put(item: Any, key: str, value: Any, *, after: str) -> None:
    """Set a key in place, or insert a new one after the key it follows in CONTENT.md."""
    if key in item:
        item[key] = value
        return
    keys = list(item)
    order = ["annee", "arobases", "mention", "distinctions"]
    previous = [k for k in order[: order.index(key)] if k in keys]
    position = keys.index(previous[-1]) + 1 if previous else len(keys)
    item.insert(position, key, value)


def _move_comment_after(previous: Any, item: Any) -> None:
    """Comment lines written between two labels stay before the label that follows them:
    ruamel attaches them to the end of the earlier label, so hand them to the new one."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    if not isinstance(previous, CommentedMap) or not previous:
        return
    last = list(previous)[-1]
    entry = previous.ca.items.get(last)
    if not entry or len(entry) < 3 or entry[2] is None:
        return
    token = entry[2]
    head, newline, rest = token.value.partition("\n")
    if not rest.strip():
        return
    if head.strip():
        token.value = head + newline
    else:
        entry[2] = None
    new_last = list(item)[-1]
    item.ca.items[new_last] = [None, None, CommentToken("\n" + rest, CommentMark(0), None), None]


def _split_trailing(body: str) -> tuple[str, str]:
    """The file's last comment and blank lines, kept apart so they stay at the end."""
    lines = body.splitlines(keepends=True)
    cut = len(lines)
    while cut > 0 and (not lines[cut - 1].strip() or lines[cut - 1].lstrip().startswith("#")):
        cut -= 1
    if cut == 0:
        return body, ""
    return "".join(lines[:cut]), "".join(lines[cut:])


def new_file_text(official: Official, year: int) -> str:
    """A collectivité file filled from the official list, `labels` ready for the first one."""
    dept = DEPARTEMENTS.get(official.departement)
    nom = official.nom_usuel
    lines = [
        f"# {nom}" + (f" ({dept.nom})" if dept else ""),
        f'code: "{official.code}"',
        f"nom: {_scalar(nom)}",
        f"type: {official.type}",
        f'departement: "{official.departement}"',
    ]
    if official.population:
        lines.append(f"population: {official.population}")
    lines += [
        "labels:",
        "  # Premier label : retirez les « # » des deux lignes suivantes et complétez.",
        f"  # - annee: {year}",
        "  #   arobases: 3",
    ]
    return "\n".join(lines) + "\n"


def _scalar(text: str) -> str:
    """Plain when YAML reads it back unchanged, double-quoted otherwise."""
    try:
        plain = yaml.safe_load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        plain = False
    return text if plain and " #" not in text else json.dumps(text, ensure_ascii=False)


def new_path(official: Official, taken: set[str], source: Path) -> str:
    folder = f"communes/{official.departement or 'autres'}"
    slug = segment(official.nom_usuel)  # a file name: never one Windows reserves
    for candidate in (f"{folder}/{slug}.yaml", f"{folder}/{slug}-{official.code.lower()}.yaml"):
        if candidate not in taken and not (source / candidate).exists():
            return candidate
    raise LabelError(f"{folder}/{slug}.yaml existe déjà")  # pragma: no cover - codes are unique
