"""A build killed with SIGKILL at any moment leaves the output folder either the old site or
the new one, byte for byte, never a mix; and the next build still works.

Two versions of a synthetic corpus of 300 collectivités (the second with every population
changed and one collectivité renamed, so most pages differ) are built alternately into the
same folder, each build killed after a random delay, many times over.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from palmares.dev.synth import generate
from tests.helpers import tree

PROJECT = Path(__file__).resolve().parent.parent
ITERATIONS = 16
MAX_ITERATIONS = 48


def build_command(source: Path, out: Path) -> list[str]:
    return [sys.executable, "build.py", "--source", str(source), "--out", str(out)]


def build(source: Path, out: Path) -> float:
    started = time.monotonic()
    subprocess.run(build_command(source, out), cwd=PROJECT, check=True, capture_output=True)
    return time.monotonic() - started


def build_signalled(source: Path, out: Path, signum: int, delay: float) -> tuple[int, str]:
    """A build of `source` into `out`, sent `signum` with its workers after `delay` seconds
    (a kill, or a terminal's Ctrl+C): its exit status and what it wrote on stderr."""
    process = subprocess.Popen(
        build_command(source, out),
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(delay)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)  # the build and its workers
    _out, err = process.communicate(timeout=120)
    return process.returncode, err


def _second_version(first: Path, second: Path) -> None:
    shutil.copytree(first, second, ignore=shutil.ignore_patterns(".cache"))
    for path in sorted(second.glob("communes/**/*.yaml")):
        text = path.read_text(encoding="utf-8")
        path.write_text(
            re.sub(
                r"^population: (\d+)", lambda m: f"population: {int(m[1]) + 1}", text, flags=re.M
            ),
            encoding="utf-8",
        )


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("kill")
    first, second = root / "v1", root / "v2"
    generate(first, communes=300, actions=600, editions=8, seed=3)
    _second_version(first, second)
    return root, first, second


def test_a_killed_build_leaves_the_old_site_or_the_new_one(
    versions: tuple[Path, Path, Path],
) -> None:
    root, first, second = versions
    out = root / "site"
    # The two complete sites, each built from scratch.
    # A build after a killed one may have to write every file again: the cold build's
    # duration bounds the random delays.
    duration = max(build(first, root / "ref1"), build(second, root / "ref2"))
    expected = {"v1": tree(root / "ref1"), "v2": tree(root / "ref2")}
    assert expected["v1"] != expected["v2"]

    build(first, out)
    assert tree(out) == expected["v1"]
    current = "v1"
    rng = random.Random(20261126)
    outcomes = {"kept": 0, "replaced": 0}
    for iteration in range(MAX_ITERATIONS):
        if iteration >= ITERATIONS and min(outcomes.values()) > 0:
            break
        target = "v2" if current == "v1" else "v1"
        source = second if target == "v2" else first
        build_signalled(source, out, signal.SIGKILL, rng.uniform(0.0, duration * 1.3))
        now = tree(out)
        assert now in (expected["v1"], expected["v2"]), "a killed build left a mixed site"
        state = "v1" if now == expected["v1"] else "v2"
        outcomes["replaced" if state == target else "kept"] += 1
        current = state
    # The folder still builds after all that, to exactly the site a clean build gives.
    other = "v2" if current == "v1" else "v1"
    build(second if other == "v2" else first, out)
    assert tree(out) == expected[other]
    # Both outcomes happened: the kills fell before and after the swap.
    assert outcomes["kept"] > 0 and outcomes["replaced"] > 0, outcomes


def test_a_killed_first_build_leaves_no_site_or_the_whole_site(
    versions: tuple[Path, Path, Path],
) -> None:
    root, first, _second = versions
    reference = root / "first-ref"
    duration = build(first, reference)
    expected = tree(reference)
    rng = random.Random(7)
    for attempt in range(4):
        out = root / f"first-{attempt}"
        build_signalled(first, out, signal.SIGKILL, rng.uniform(0.0, duration))
        assert not out.exists() or tree(out) == expected
        build(first, out)  # and the next build completes it
        assert tree(out) == expected


def test_ctrl_c_stops_a_build_in_one_line_and_keeps_a_whole_site(
    versions: tuple[Path, Path, Path],
) -> None:
    """Ctrl+C in a terminal sends SIGINT to the build and its workers: one French line and
    exit 130 (killed by SIGINT, as shells say it), no traceback, and the site as a killed
    build leaves it: the old one or the new one. Repeated until a signal falls mid-build."""
    root, first, second = versions
    out = root / "interrupted"
    build(first, out)
    # The builds to interrupt go from one version to the other, with the cache: timed as
    # the first one (cold) they all ended before most signals on a fast machine.
    duration = build(second, out)
    build(first, out)
    expected = {"v1": tree(out)}
    rng = random.Random(130)
    interrupted = 0
    for attempt in range(12):
        source = second if attempt % 2 == 0 else first
        code, err = build_signalled(source, out, signal.SIGINT, rng.uniform(0.2, 0.8) * duration)
        assert "Traceback" not in err, err
        if code == 130:
            interrupted += 1
            assert err.endswith("palmares : interrompu (Ctrl+C)\n"), err
        else:
            assert code == 0, err
        now = tree(out)
        if "v2" not in expected and now != expected["v1"]:
            reference = root / "interrupted-v2"
            build(second, reference)
            expected["v2"] = tree(reference)
        assert now in expected.values(), "an interrupted build left a mixed site"
        if interrupted >= 3:
            break
    assert interrupted > 0
    build(first, out)
    assert tree(out) == expected["v1"]


# --- Ctrl+C and the workers, one moment at a time -------------------------------------------


def test_a_worker_stopped_by_ctrl_c_stops_the_build_as_ctrl_c_does() -> None:
    """The worker takes SIGINT as any program does: it ends, with no exception unwinding
    into the command line the fork copied, and the parent raises KeyboardInterrupt (it
    raised « build worker failed » with the worker's KeyboardInterrupt traceback)."""
    from palmares.output.parallel import run_split

    def task(k: int, n: int) -> int:
        if k == 1:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)  # never reached: SIGINT ends the worker
        return k

    with pytest.raises(KeyboardInterrupt):
        run_split(task, 2)


def test_a_result_cut_short_is_an_error_not_an_exception() -> None:
    """A worker stopped while writing its result leaves part of it in the pipe: CI saw
    `pickle data was truncated` raised while Ctrl+C's KeyboardInterrupt was handled, and a
    traceback under « palmares : interrompu (Ctrl+C) »."""
    import pickle

    from palmares.output.parallel import result_of, run_split

    whole = pickle.dumps(("ok", list(range(1000))), protocol=pickle.HIGHEST_PROTOCOL)
    assert result_of(whole) == ("ok", list(range(1000)))
    status, why = result_of(whole[: len(whole) // 2])
    assert status == "error" and "cut short" in why
    assert result_of(b"") == ("error", "a build worker died without a result")

    def interrupted(k: int, n: int) -> int:
        if k == 0:
            raise KeyboardInterrupt
        return k

    with pytest.raises(KeyboardInterrupt):
        run_split(interrupted, 2)
