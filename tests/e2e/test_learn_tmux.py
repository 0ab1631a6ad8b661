"""`learn` at a real terminal: long notes open in a pager; `--no-pager` prints them straight."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def test_long_notes_open_in_a_pager_at_a_terminal(tmux: Any, tmp_path: Path) -> None:
    tmux.start("learn sqs", env={"PAGER": "less", "LESS": "-R", "STUDYAWS_HOME": str(tmp_path)})
    screen = tmux.wait_for("Amazon SQS")
    assert screen.rstrip().splitlines()[-1] == ":"  # less is waiting for a key
    assert "Test yourself" not in screen  # the rest waits in the pager
    tmux.send("G")  # jump to the end, as a reader would
    screen = tmux.wait_for("Test yourself: studyaws quiz sqs")
    tmux.send("q")


def test_no_pager_prints_everything(tmux: Any, tmp_path: Path) -> None:
    tmux.start("learn sqs visibility --no-pager", env={"STUDYAWS_HOME": str(tmp_path)})
    screen = tmux.wait_for("Test yourself: studyaws quiz sqs")
    assert "Visibility" in screen
