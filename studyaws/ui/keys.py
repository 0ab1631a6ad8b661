"""Keys from the learner's terminal, one at a time, with a timeout: for the full-screen player.

Rules:
- The terminal is put in raw mode for as long as the `TerminalKeys` context lasts (no echo, keys
  arrive one by one) and restored on the way out, exceptions included. prompt_toolkit's own vt100
  parser turns the bytes into keys (arrows, Enter, Backspace, a pasted text), so no escape
  sequence is decoded by hand; it is imported only when a play is interactive.
- Keys are named as prompt_toolkit names them, with the few the player uses made plain:
  `enter`, `backspace`, `up`, `down`, `left`, `right`, `escape`, `pageup`, `pagedown`, `space`,
  or the character typed (`q`, `2`, `h`).
- Ctrl-C arrives as a key in raw mode; it is raised as `KeyboardInterrupt`, as everywhere else.
- `read(timeout)` returns None when no key came in time (the animation moves on), and the key
  `resize` when the terminal changed size (SIGWINCH wakes the wait through a pipe), so the caller
  redraws at once. `discard()` drops keys pressed ahead: an Enter meant to move the play on must
  not answer the question that appears after it.
- `ScriptedKeys` answers from a list, for tests: a read that would wait for the learner takes the
  next key; a read with a timeout (a beat of the animation) times out and records how long it
  would have waited, unless the next key is written `!key` (pressed during the animation).
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
from collections import deque
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from prompt_toolkit.input.vt100 import Vt100Input

_NAMES = {
    "c-m": "enter",
    "c-j": "enter",
    "c-h": "backspace",
    "c-?": "backspace",
    " ": "space",
}


class Keys(Protocol):
    def read(self, timeout: float | None) -> str | None:
        """The next key, or None when none came within `timeout` seconds (None: wait)."""
        ...

    def discard(self) -> None:
        """Drop every key pressed ahead."""
        ...


class TerminalKeys:
    """Keys from a terminal's stdin, in raw mode while the context lasts."""

    def __init__(self, stdin: TextIO) -> None:
        from prompt_toolkit.input.vt100 import Vt100Input

        self._input: Vt100Input = Vt100Input(stdin)
        self._pending: deque[str] = deque()
        self._raw: AbstractContextManager[None] | None = None
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        self._old_winch: object = None

    def __enter__(self) -> TerminalKeys:
        self._raw = self._input.raw_mode()
        self._raw.__enter__()
        with contextlib.suppress(ValueError, OSError):  # not the main thread: no resize wake-up
            self._old_winch = signal.signal(signal.SIGWINCH, self._on_resize)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._old_winch is not None:
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(signal.SIGWINCH, self._old_winch)  # type: ignore[arg-type]
            self._old_winch = None
        if self._raw is not None:
            raw, self._raw = self._raw, None
            raw.__exit__(None, None, None)
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)

    def _on_resize(self, _signum: int, _frame: object) -> None:
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"r")

    def _fill(self, timeout: float | None) -> None:
        fd = self._input.fileno()
        ready, _, _ = select.select([fd, self._wake_r], [], [], timeout)
        if self._wake_r in ready:
            with contextlib.suppress(OSError):
                os.read(self._wake_r, 64)
            self._pending.append("resize")
        if fd not in ready:
            return
        presses = self._input.read_keys()
        if not presses:
            # A lone Escape waits in the parser for what may follow it; nothing follows.
            presses = self._input.flush_keys()
        for press in presses:
            key = str(getattr(press.key, "value", press.key))
            if key == "<bracketed-paste>":
                self._pending.extend(_NAMES.get(c, c) for c in press.data if c.isprintable())
                continue
            self._pending.append(_NAMES.get(key, key))

    def read(self, timeout: float | None) -> str | None:
        if not self._pending:
            self._fill(timeout)
        if not self._pending:
            return None
        key = self._pending.popleft()
        if key == "c-c":
            raise KeyboardInterrupt
        if key == "c-d":
            raise EOFError
        return key

    def discard(self) -> None:
        self._pending.clear()
        while True:
            ready, _, _ = select.select([self._input.fileno()], [], [], 0)
            if not ready:
                return
            if not self._input.read_keys() and not self._input.flush_keys():
                return


class ScriptedKeys:
    """Keys from a list, for tests (see the module's rules); the end of the list is EOF.

    `waited` adds up the timeouts that ran out: the wall-clock time the play would have taken.
    """

    def __init__(self, keys: Iterable[str], *, screen: Callable[[], str] | None = None) -> None:
        self.keys = deque(keys)
        self.waited = 0.0
        self.asked = 0  # reads that waited for the learner
        self.screen = screen
        self.seen: list[str] = []  # with `screen`: what was on screen at each wait for a key

    def read(self, timeout: float | None) -> str | None:
        pressed_early = bool(self.keys) and self.keys[0].startswith("!") and len(self.keys[0]) > 1
        if timeout is not None and not pressed_early:
            self.waited += timeout
            return None
        if timeout is None:
            self.asked += 1
            if self.screen is not None:
                self.seen.append(self.screen())
        if not self.keys:
            raise EOFError("the script has no more keys")
        key = self.keys.popleft().removeprefix("!") if pressed_early else self.keys.popleft()
        if key == "c-c":
            raise KeyboardInterrupt
        return key

    def discard(self) -> None:
        return
