"""`studyaws quiz` at a real terminal (tmux): arrow keys, space, enter; what the screen shows."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

SAMPLE_CLI = Path(__file__).resolve().parents[1] / "study" / "sample_cli.py"
DOWN = "Down"


def start(tmux: Any, args: str, home: Path) -> None:
    """Like the e2e `tmux.start`, but the sample course's CLI (the bank is written elsewhere)."""
    command = (
        f"env STUDYAWS_HOME={shlex.quote(str(home))} {shlex.quote(sys.executable)} "
        f"{shlex.quote(str(SAMPLE_CLI))} {args}; echo EXIT=$?; sleep 30"
    )
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", tmux.name, "-x", "80", "-y", "40", command],
        check=True,
    )


def test_single_choice_with_arrow_keys_and_feedback(tmux: Any, tmp_path: Path) -> None:
    # seed 1, concept visibility-timeout: "sqs-visibility-max"; find the 12 hours row by screen.
    start(tmux, "quiz sqs -n 1 --seed 1 --concept visibility-timeout", tmp_path)
    screen = tmux.wait_for("Your answer")
    assert "Question 1/1 · sqs · one answer" in screen
    rows = [
        line
        for line in screen.splitlines()
        if line.strip().endswith(("15 minutes", "12 hours", "20 seconds"))
    ]
    position = next(i for i, row in enumerate(rows) if row.strip().endswith("12 hours"))
    tmux.send(*([DOWN] * position), "Enter")
    screen = tmux.wait_for("EXIT=")
    assert "✓ Correct" in screen
    assert "Read more: studyaws learn sqs visibility" in screen
    assert "Score: 1/1 right, 100%" in screen
    assert "EXIT=0" in screen


def test_space_picks_several_and_h_shows_the_hint(tmux: Any, tmp_path: Path) -> None:
    start(tmux, "quiz sqs -n 1 --seed 1 --concept dlq", tmp_path)
    screen = tmux.wait_for("Pick all that apply")
    assert "space pick" in screen
    rows = [line for line in screen.splitlines() if "○" in line or "●" in line]
    wanted = [
        i
        for i, row in enumerate(rows)
        if "FIFO queue's DLQ" in row or "maxReceiveCount decides" in row
    ]
    keys: list[str] = []
    for i in range(len(rows)):
        if i in wanted:
            keys.append("Space")
        keys.append(DOWN)
    tmux.send(*keys[:-1], "Enter")
    screen = tmux.wait_for("EXIT=")
    assert "✓ Correct" in screen


def test_ctrl_c_ends_with_the_summary_and_130(tmux: Any, tmp_path: Path) -> None:
    start(tmux, "quiz sqs -n 3 --seed 2", tmp_path)
    tmux.wait_for("Question 1/3")
    tmux.send("C-c")
    screen = tmux.wait_for("EXIT=")
    assert "Interrupted." in screen
    assert "Score: 0/3 right" in screen
    assert "EXIT=130" in screen
