"""Errors the shell turns into one line on stderr and an exit status (no traceback).

Every message that reaches the terminal passes through `printable`: a learner's file name, a YAML
key or an imported topic may hold terminal escapes or line breaks, and a message is one line of
plain text, so they are shown escaped (`\\x1b`, `\\n`), never obeyed.
"""

from __future__ import annotations

import re
from enum import IntEnum

# C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a terminal shows.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
MAX_MESSAGE_CHARS = 2_000


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    INTERRUPTED = 130


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """`text` as one line a terminal shows as it is: controls escaped, at most `limit` chars."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _UNPRINTABLE.sub(_escape, text)


def quoted(text: str, limit: int = 60) -> str:
    """A learner's value inside a message: in quotes, escaped, long ones cut short."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return "'" + _UNPRINTABLE.sub(_escape, text) + "'"


class StudyawsError(Exception):
    """A problem the learner can fix: printed as one line, exits with `status`."""

    def __init__(self, message: str, status: ExitStatus = ExitStatus.ERROR) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class ReaderGone(Exception):  # noqa: N818 (not an error: the learner closed the pipe)
    """The reader of our output went away (`studyaws learn sqs | head`): stop quietly."""


class OutputError(StudyawsError):
    """Our output can't be written (`> /dev/full`, a closed stdout): exit status 1."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"can't write the output: {reason}")


class UsageError(StudyawsError):
    """Bad input on the command line (unknown topic, bad option value): exit status 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message, ExitStatus.USAGE)
