"""Errors the shell turns into one line on stderr and an exit status (no traceback)."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    INTERRUPTED = 130


class StudyawsError(Exception):
    """A problem the learner can fix: printed as one line, exits with `status`."""

    def __init__(self, message: str, status: ExitStatus = ExitStatus.ERROR) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class ReaderGone(Exception):  # noqa: N818 (not an error: the learner closed the pipe)
    """The reader of our output went away (`studyaws learn sqs | head`): stop quietly."""


class UsageError(StudyawsError):
    """Bad input on the command line (unknown topic, bad option value): exit status 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message, ExitStatus.USAGE)
