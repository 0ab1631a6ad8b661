"""The real CLI in a subprocess, answers through a pipe: the documented `printf | studyaws quiz`
usage, and a kill -9 in the middle of a quiz that must leave the database whole."""

from __future__ import annotations

import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studyaws.study.store import DB_NAME

SAMPLE_CLI = Path(__file__).resolve().parents[1] / "study" / "sample_cli.py"

pytestmark = pytest.mark.e2e


def run_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    env["STUDYAWS_HOME"] = str(home)
    return env


def test_printf_into_quiz_works(home: Path) -> None:
    """`printf '2\\n1,3\\n' | studyaws quiz sqs -n 2 --seed 7` answers two questions."""
    done = subprocess.run(
        [sys.executable, str(SAMPLE_CLI), "quiz", "sqs", "-n", "2", "--seed", "7"],
        input="2\n1,3\n",
        capture_output=True,
        text=True,
        env=run_env(home),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Question 1/2" in done.stdout
    assert "Question 2/2" in done.stdout
    assert "Score: " in done.stdout
    assert "\x1b[" not in done.stdout
    conn = sqlite3.connect(home / DB_NAME)
    assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] >= 1
    conn.close()


def read_until(proc: subprocess.Popen[bytes], text: str, timeout: float = 30) -> str:
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    seen = b""
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"{text!r} never came; got:\n{seen.decode(errors='replace')}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                raise AssertionError(f"output ended before {text!r}:\n{seen.decode()}")
            seen += chunk
    return seen.decode()


def test_kill_9_mid_quiz_keeps_every_answer_given(home: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, str(SAMPLE_CLI), "quiz", "sqs", "-n", "6", "--seed", "7"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=run_env(home),
    )
    assert proc.stdin is not None
    try:
        read_until(proc, "Question 1/6")
        for number, line in ((2, b"1\n"), (3, b"\n"), (4, b"2\n")):
            proc.stdin.write(line)
            proc.stdin.flush()
            read_until(proc, f"Question {number}/6")
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                stream.close()
    conn = sqlite3.connect(home / DB_NAME)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT question_id, given FROM reviews ORDER BY id").fetchall()
        assert len(rows) == 3
        assert rows[1][1] == "null"  # the skipped one
        assert conn.execute("SELECT count(*) FROM cards").fetchone()[0] == 3
    finally:
        conn.close()
