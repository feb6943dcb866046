"""Sites built once per test session, through the command line as a user builds them."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _cache_of_the_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The commands the tests run keep their parse cache in a folder of the session, never
    in the developer's own ~/.cache."""
    saved = os.environ.get("PALMARES_CACHE_DIR")
    os.environ["PALMARES_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if saved is None:
        del os.environ["PALMARES_CACHE_DIR"]
    else:
        os.environ["PALMARES_CACHE_DIR"] = saved


def run_or_fail(*args: str) -> None:
    """Run a command of the project from its root; fail the test with its output if it fails."""
    done = subprocess.run(
        [sys.executable, *args], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        pytest.fail(
            f"`python {' '.join(args)}` exited {done.returncode}\n"
            f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped example content (communes/, content/), built with `python build.py`."""
    out = tmp_path_factory.mktemp("example") / "site"
    run_or_fail("build.py", "--out", str(out))
    return out


@pytest.fixture(scope="session")
def synth_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic corpus of 300 collectivités over 8 editions, built with `--source`."""
    tmp = tmp_path_factory.mktemp("synth")
    source, out = tmp / "source", tmp / "site"
    run_or_fail(
        "-m",
        "palmares.dev.synth",
        "--communes",
        "300",
        "--actions",
        "600",
        "--editions",
        "8",
        "--seed",
        "3",
        str(source),
    )
    run_or_fail("build.py", "--source", str(source), "--out", str(out))
    return out
