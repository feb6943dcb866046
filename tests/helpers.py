"""Real projects in a temporary folder, from a dict of files, for tests of any stage.

    root = write_project(tmp_path, {"communes/01/amberieu.yaml": 'code: "01004"\n…'})

Every project starts from BASE: one valid collectivité (Marcq-en-Barœul, 59378, labelled
in 2017) and one domain (`teletravail`), so a test only writes the file it is about and an
action can point at something real. A path given in `files` replaces the BASE file of the
same path; `None` leaves that path out.
"""

from __future__ import annotations

import hashlib
import random
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from palmares.content.read import Kind
from palmares.pipeline import check
from palmares.problems import Problem

BASE_COMMUNE = "communes/59/marcq-en-baroeul.yaml"
BASE_DOMAINE = "content/domaines/teletravail.md"

BASE: dict[str, str] = {
    BASE_COMMUNE: (
        'code: "59378"\n'
        "nom: Marcq-en-Barœul\n"
        'departement: "59"\n'
        "labels:\n"
        "  - annee: 2017\n"
        "    arobases: 5\n"
    ),
    BASE_DOMAINE: "---\ntitre: Télétravail\n---\nTravailler autrement.\n",
}


def write_project(root: Path, files: dict[str, str | bytes | None] | None = None) -> Path:
    """Write BASE overlaid with `files` under `root`; str as UTF-8, bytes exactly as given."""
    merged: dict[str, str | bytes | None] = {**BASE, **(files or {})}
    for rel, content in merged.items():
        if content is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            # newline="" keeps "\r\n" a test writes: the file holds exactly these characters
            with path.open("w", encoding="utf-8", newline="") as handle:
                handle.write(content)
    return root


def commune(
    code: str = '"01004"',
    *,
    nom: str = "Ambérieu-en-Bugey",
    departement: str = '"01"',
    extra: str = "",
    labels: str = "  - annee: 2017\n    arobases: 3\n",
) -> str:
    """A collectivité file, values written exactly as given (quotes included): lines 1-3 are
    `code`, `nom`, `departement`, then `extra`'s lines, then `labels:` and its entries."""
    return f"code: {code}\nnom: {nom}\ndepartement: {departement}\n{extra}labels:\n{labels}"


def label_entries(*pairs: tuple[int, int]) -> str:
    """`labels:` entries for `commune(labels=…)`, one (year, number of @) a label; 0 @ is the
    mention simple of the early editions, which asks for a mention."""
    return "".join(
        f"  - annee: {year}\n    arobases: {n}\n"
        + ("    mention: Mention simple\n" if n == 0 else "")
        for year, n in pairs
    )


def action(
    *,
    commune: str = '"59378"',
    annee: str = "2017",
    domaines: str = "[teletravail]",
    extra: str = "",
    body: str = "Le texte.\n",
) -> str:
    """An action file: `---` on line 1, then `titre` (2), `commune` (3), `annee` (4),
    `domaines` (5), `extra`'s lines, `---`, the body."""
    return (
        f"---\ntitre: Une action\ncommune: {commune}\nannee: {annee}\n"
        f"domaines: {domaines}\n{extra}---\n{body}"
    )


def problems(root: Path, files: dict[str, str | bytes | None] | None = None) -> list[str]:
    """Every problem of the project BASE + `files`, as `check` prints them, in order."""
    return [str(problem) for problem in check(write_project(root, files)).problems]


def tree(root: Path) -> dict[str, str]:
    """Every file and folder under `root` → a hash of its bytes ("dir" for a folder)."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        found[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def check_one(raw: bytes, rel: str, kind: Kind) -> tuple[bool, list[Problem]]:
    """One file read and checked as a build does (files.check_file, then the rules across
    files on its record alone): whether it could be read as a file at all, and its problems."""
    from palmares.content import geography
    from palmares.content.files import check_file
    from palmares.content.validate import cross_check

    result = check_file(raw, rel, kind, "", geography.FileCheck())
    valid = [(result.file, result.record)] if result.file and result.record else []
    _records, across = cross_check(valid, {result.claims} if result.claims else set())
    return result.file is not None, [*result.problems, *result.geography, *across]


def free_port() -> int:
    """A TCP port nothing listens on now, for a preview server under test."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_for(predicate: Callable[[], object], timeout: float = 20.0) -> bool:
    """Whether `predicate` came true within `timeout` seconds (asked every 0,2 s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def slipped(valid: str, signs: list[str], seeds: int, each: int) -> Iterator[tuple[str, str]]:
    """`valid` with random slips, reproducible: for each of `seeds` seeds, `each` texts with
    one or two of `signs` inserted, or a character deleted or replaced by one. Each as (a
    name for its folder, the text)."""
    for seed in range(1, seeds + 1):
        rng = random.Random(seed)
        for i in range(each):
            text = list(valid)
            for _ in range(rng.randint(1, 2)):
                at, what = rng.randrange(len(text)), rng.random()
                if what < 0.5:
                    text.insert(at, rng.choice(signs))
                elif what < 0.8:
                    del text[at]
                else:
                    text[at] = rng.choice(signs)
            yield f"{seed}-{i}", "".join(text)
