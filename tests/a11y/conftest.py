"""The Nu Html Checker, installed by `cd tools && npm ci --ignore-scripts` and run with Java."""

from __future__ import annotations

import os
import shutil

import pytest

from tools import a11y


def _unavailable(reason: str) -> None:
    # As for the browser tests: a laptop without the checker may skip, CI must not.
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: these checks cannot be skipped)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def java_bin() -> str:
    """The `java` that runs vnu.jar (Java 11 or later; Debian's openjdk-17-jre-headless)."""
    java = shutil.which("java")
    if java is None:
        _unavailable("java is missing (apt-get install openjdk-17-jre-headless)")
    if not a11y.VNU_JAR.exists():
        _unavailable(f"{a11y.VNU_JAR} is missing ({a11y.INSTALL})")
    assert java is not None
    return java
