"""Ctrl-C (SIGINT) or SIGTERM in the middle of a run against a moto server: the run stops, deletes
everything it created, and exits 130. The real CLI in a subprocess, the server on loopback."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import subprocess_env

pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def start(args: list[str], home: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "studyaws", *args],
        env=subprocess_env(home),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_resources(proc: subprocess.Popen[str], moto) -> None:
    deadline = time.monotonic() + 30
    while not moto.leftovers():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the run never created anything"
        time.sleep(0.05)
    time.sleep(0.5)  # well inside the run: cases are creating, waiting, receiving


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_verify_run_stopped_midway_leaves_nothing_behind(sig, moto_url, moto, tmp_path) -> None:
    """The catalogue is interrupted while its cases have queues and topics on the server: every
    one of them is deleted before the process exits, and it says so."""
    proc = start(["verify", "--against", moto_url], tmp_path)
    wait_for_resources(proc, moto)
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "studyaws: error: interrupted: deleting what this run created" in err
    assert "nothing left behind" in err
    assert "Traceback" not in err
    assert moto.leftovers() == []


def test_a_sandbox_script_stopped_during_a_tick_leaves_nothing_behind(
    moto_url, moto, tmp_path
) -> None:
    """Ctrl-C while `sandbox --against` waits out a long tick: the queue and topic are deleted."""
    script = tmp_path / "long.sandbox"
    script.write_text("create-queue q\ncreate-topic t\ntick 60\nstats q\n", encoding="utf-8")
    proc = start(["sandbox", "--script", str(script), "--against", moto_url], tmp_path)
    deadline = time.monotonic() + 30
    while len(moto.leftovers()) < 2:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.3)
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    assert time.monotonic() - started < 10  # the tick stops at once, not after 60 s
    assert proc.returncode == 130, err
    assert "cleanup: deleted 1 queue(s) and 1 topic(s)" in err
    assert moto.leftovers() == []
