"""Drive the real `studyaws` binary in a tmux pane, as a person at a terminal would."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

STUDYAWS = Path(sys.executable).parent / "studyaws"


class Tmux:
    def __init__(self, width: int = 100, height: int = 30) -> None:
        self.name = f"studyaws-test-{uuid.uuid4().hex[:8]}"
        self.width = width
        self.height = height

    def start(self, args: str, env: dict[str, str] | None = None) -> None:
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        command = f"env {exports} {shlex.quote(str(STUDYAWS))} {args}; sleep 30"
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

    def screen(self) -> str:
        result = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name],
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; screen was:\n{screen}")

    def kill(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    if shutil.which("tmux") is None or not STUDYAWS.exists():
        pytest.skip("needs tmux and the installed studyaws script")
    session = Tmux()
    yield session
    session.kill()
