"""Regenerate palmares/data/geographie.zip from the npm package @etalab/decoupage-administratif.

    python scripts/geographie.py 6.0.0            # fetch with `npm pack`, then write the file
    python scripts/geographie.py 6.0.0 --from DIR # use an unpacked package/ folder instead

The package's data (Licence Ouverte, from INSEE's Code officiel géographique, DGCL's list of
EPCI and INSEE's legal populations) is reduced to what Palmarès needs: each commune's code,
name, département, région, population and SIREN; each disappeared code and what it became;
each intercommunalité's SIREN, name, type, population, départements and members.

The file's format is palmares.content.geography's (`pack` writes it, `parse` reads it): a
ZIP with one part a département, read as lookups need them. The output is deterministic
(sorted, no date in the archive): the same version gives the same bytes, so a regeneration
that changes nothing shows no diff. Run it once a year, when the package publishes the new
millésime, then update palmares/data/GEOGRAPHIE.md.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from palmares.content import geography

PACKAGE = "@etalab/decoupage-administratif"
OUT = Path(__file__).resolve().parent.parent / "palmares" / "data" / "geographie.zip"


def fetch(version: str, into: Path) -> Path:
    """`npm pack` the package (the registry's tarball, no install script run) and unpack it."""
    subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{version}", "--silent", "--pack-destination", str(into)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tarball = next(into.glob("*.tgz"))
    with tarfile.open(tarball) as archive:
        archive.extractall(into, filter="data")
    return into / "package"


def millesime(package: Path, version: str) -> int | None:
    """The year the package's README table gives for this version (`| 2026 | 6.0.0 |`)."""
    readme = (package / "README.md").read_text(encoding="utf-8")
    for line in readme.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[1] == version and re.fullmatch(r"\d{4}", cells[0]):
            return int(cells[0])
    return None


def read(package: Path, name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((package / "data" / name).read_text(encoding="utf-8"))
    return data


def groupement(item: dict[str, Any], departements: dict[str, str]) -> list[Any]:
    """[siren, nom, type, population, [départements, the most populous first], [members]]."""
    weight: dict[str, int] = defaultdict(int)
    for member in item["membres"]:
        dept = departements.get(member["code"])
        if dept is not None:
            weight[dept] += int(member.get("populationMunicipale") or 0)
    depts = sorted(weight, key=lambda d: (-weight[d], d))
    members = sorted(member["code"] for member in item["membres"])
    population = item.get("populationMunicipale") or None
    return [item["code"], item["nom"], item["type"], population, depts, members]


def reduce(package: Path, version: str) -> dict[str, Any]:
    communes = read(package, "communes.json")
    actuelles = [c for c in communes if c["type"] == "commune-actuelle"]
    current = {c["code"] for c in actuelles}
    departements = {c["code"]: c["departement"] for c in actuelles}

    rows = sorted(
        [c["code"], c["nom"], c["departement"], c["region"], c.get("population"), c.get("siren")]
        for c in actuelles
    )
    arrondissements = sorted(
        [c["code"], c["nom"], c["commune"]]
        for c in communes
        if c["type"] == "arrondissement-municipal"
    )
    # Codes that no longer name a commune: the communes déléguées and associées (their
    # `chefLieu` is the commune nouvelle) and the `anciensCodes` of today's communes. A
    # déléguée that kept its code is today's commune: its row only gives its old name.
    anciens: dict[tuple[str, str], list[Any]] = {}
    for c in communes:
        if c["type"] in ("commune-deleguee", "commune-associee") and c.get("chefLieu"):
            anciens[(c["code"], c["nom"])] = [c["code"], c["nom"], c["chefLieu"]]
    named = {code for code, _ in anciens}
    for c in actuelles:
        for old in c.get("anciensCodes", ()):
            if old not in current and old not in named:
                anciens[(old, "")] = [old, None, c["code"]]
    deleguees = [anciens[key] for key in sorted(anciens)]

    epci = sorted(groupement(item, departements) for item in read(package, "epci.json"))
    ept_path = package / "data" / "ept.json"
    ept = (
        sorted(groupement(item, departements) for item in read(package, "ept.json"))
        if ept_path.exists()
        else []
    )
    return {
        "source": PACKAGE,
        "version": version,
        "millesime": millesime(package, version),
        "licence": "Licence Ouverte / Open Licence (Etalab)",
        "communes": rows,
        "arrondissements": arrondissements,
        "anciens": deleguees,
        "epci": epci + ept,
    }


def write(data: dict[str, Any], out: Path) -> int:
    raw = geography.pack(data)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(raw)
    return len(raw)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("version", help=f"version of {PACKAGE}, for example 6.0.0")
    parser.add_argument(
        "--from", dest="source", type=Path, help="an unpacked package/ folder (no npm call)"
    )
    parser.add_argument("--out", type=Path, default=OUT, help=f"output file (default {OUT})")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        package = args.source or fetch(args.version, Path(tmp))
        data = reduce(package, args.version)
        size = write(data, args.out)
    print(
        f"{args.out}: {len(data['communes'])} communes, {len(data['anciens'])} anciens codes, "
        f"{len(data['epci'])} intercommunalités, {size} octets (millésime {data['millesime']})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
