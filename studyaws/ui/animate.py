"""Pacing of an animation on the wall clock: how long to wait between beats, and `--step`.

The engine's virtual clock never waits; this layer does (SimPy's `rt.py` kept apart from its
core in the same way). It waits only through the injected `sleep` (`env.sleep`), so tests pass
one that records the waits and nothing is slow or flaky. With `step` on, each beat waits for a
key instead (Enter, or any key on a terminal: read in cbreak mode so the key is not echoed into
the animation). Ctrl-C comes through as `KeyboardInterrupt` either way.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

EVENT_BEAT_S = 0.7  # one event on screen, at --speed 1
QUIET_BEAT_S = 0.35  # a moment where the clock moved and nothing happened
MIN_SPEED = 0.1
MAX_SPEED = 100.0


def read_key(stream: TextIO) -> str:
    """One key from a terminal without echo (cbreak), or one line from anything else."""
    try:
        fd = stream.fileno()
        import termios
        import tty

        if not stream.isatty():
            raise OSError
        old = termios.tcgetattr(fd)
    except (OSError, ValueError, AttributeError, ImportError, Exception):
        line = stream.readline()
        if line == "":
            raise EOFError from None
        return line
    try:
        tty.setcbreak(fd)
        char = stream.read(1)
    finally:
        with contextlib.suppress(Exception):
            termios.tcsetattr(fd, termios.TCSADRAIN, old)
    if char == "":
        raise EOFError
    return char


def discard_typeahead(stream: TextIO) -> None:
    """Drop keys pressed ahead on a terminal: with --step, an Enter meant to advance the play
    must not answer the checkpoint question that appears after it."""
    try:
        import termios

        if stream.isatty():
            termios.tcflush(stream.fileno(), termios.TCIFLUSH)
    except (OSError, ValueError, AttributeError, ImportError):
        return


@dataclass
class Pacer:
    """Waits between beats: `beat(quiet)` after each event drawn."""

    sleep: Callable[[float], None]
    speed: float = 1.0
    step: bool = False
    key: Callable[[], str] | None = None  # --step: waits for this; EOF ends stepping
    waited: float = 0.0

    def __post_init__(self) -> None:
        self.speed = min(MAX_SPEED, max(MIN_SPEED, self.speed))

    def beat(self, *, quiet: bool = False) -> None:
        if self.step and self.key is not None:
            try:
                self.key()
                return
            except EOFError:
                self.step = False  # input is over: play the rest on the clock
        seconds = (QUIET_BEAT_S if quiet else EVENT_BEAT_S) / self.speed
        self.waited += seconds
        self.sleep(seconds)
