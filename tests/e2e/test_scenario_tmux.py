"""`studyaws scenario` animated at a real terminal (tmux), advanced one event a key with --step."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def test_step_mode_advances_one_event_per_key_and_asks_at_checkpoints(
    tmux: Any, tmp_path: Path
) -> None:
    """Each key shows the next event (the clock and the queues follow); a checkpoint stops the
    animation for a prediction; the play ends with the summary."""
    tmux.start("scenario dlq --step", env={"STUDYAWS_HOME": str(tmp_path)})
    screen = tmux.wait_for("last events:")
    assert "t=0s · dlq" in screen
    assert "orders-dlq" in screen
    tmux.send("Enter")  # step 1: m1 sent
    screen = tmux.wait_for("MessageSent")
    assert "m1" in screen
    tmux.send("Enter")  # step 2: m1 received
    tmux.wait_for("MessageReceived")
    seen_prediction = False
    deadline = time.monotonic() + 25
    while time.monotonic() < deadline:
        screen = tmux.screen()
        if "Summary:" in screen:
            break
        if "Your prediction" in screen:
            seen_prediction = True
        tmux.send("Enter")
        time.sleep(0.25)
    assert "Summary:" in screen, screen
    assert seen_prediction
    assert "predictions right" in screen
