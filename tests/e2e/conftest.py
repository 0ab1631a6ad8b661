"""Drive the real `studyaws` binary in a tmux pane, as a person at a terminal would."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

STUDYAWS = Path(sys.executable).parent / "studyaws"


class Tmux:
    """One tmux session running the real `studyaws`; its pane is what a person would see."""

    def __init__(self, width: int = 100, height: int = 30) -> None:
        self.name = f"studyaws-test-{uuid.uuid4().hex[:8]}"
        self.width = width
        self.height = height

    def start(self, args: str, env: dict[str, str] | None = None) -> None:
        """Run `studyaws ARGS`; when it ends, `STUDYAWS-EXIT=<status>` is printed below it."""
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        command = (
            f"env {exports} {shlex.quote(str(STUDYAWS))} {args}; echo STUDYAWS-EXIT=$?; sleep 120"
        )
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                str(self.width),
                "-y",
                str(self.height),
                command,
            ],
            check=True,
            env={**os.environ, "TERM": "xterm-256color"},
        )

    def send(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def screen(self, *, history: bool = False) -> str:
        """The pane as shown now (with `history`, its scrollback too)."""
        args = ["tmux", "capture-pane", "-p", "-t", self.name]
        if history:
            args += ["-S", "-5000"]
        return subprocess.run(args, check=True, capture_output=True, text=True).stdout

    def wait_for(self, text: str, timeout: float = 30.0, *, regex: bool = False) -> str:
        """The screen once `text` (or the `regex`) is on it; AssertionError after `timeout`."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if re.search(text, screen, re.M) if regex else text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; screen was:\n{screen}")

    def kill(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def _needs_tmux() -> None:
    if shutil.which("tmux") is None or not STUDYAWS.exists():
        pytest.skip("needs tmux and the installed studyaws script")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    _needs_tmux()
    session = Tmux()
    yield session
    session.kill()


@pytest.fixture
def panes() -> Iterator[Callable[[int, int], Tmux]]:
    """Make as many panes of a size as a test needs (they may run side by side)."""
    _needs_tmux()
    made: list[Tmux] = []

    def make(width: int, height: int) -> Tmux:
        pane = Tmux(width, height)
        made.append(pane)
        return pane

    yield make
    for pane in made:
        pane.kill()
