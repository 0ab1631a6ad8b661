"""Fixtures for the quiz and progress flows: the sample course in place of the bundled one, an
`Env` writing to StringIO with a private data dir, a settable clock and a fake monotonic timer."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

STUDY_TESTS = Path(__file__).resolve().parents[1] / "study"
if str(STUDY_TESTS) not in sys.path:
    sys.path.insert(0, str(STUDY_TESTS))

from sample_course import sample_course  # noqa: E402

from studyaws.content.model import Course  # noqa: E402
from studyaws.ui.env import Env  # noqa: E402

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class Clock:
    """Wall clock (UTC) and monotonic timer the tests move by hand."""

    now: datetime = START
    mono: float = 1000.0
    step_s: float = 0.0  # added to the timer every time it is read (a slow learner)
    reads: list[float] = field(default_factory=list)

    def wall(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        self.mono += self.step_s
        self.reads.append(self.mono)
        return self.mono

    def advance(self, **kwargs: float) -> None:
        delta = timedelta(**kwargs)
        self.now += delta
        self.mono += delta.total_seconds()


@pytest.fixture
def sample(monkeypatch: pytest.MonkeyPatch) -> Course:
    """Commands load the sample course instead of the bundled one."""
    course = sample_course()
    monkeypatch.setattr("studyaws.ui.course.load", lambda env: course)
    return course


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "studyaws-home"
    monkeypatch.setenv("STUDYAWS_HOME", str(path))
    return path


@pytest.fixture
def make_env(home: Path, clock: Clock) -> Callable[..., Env]:
    def make(
        stdin: str = "", *, tty: bool = False, width: int = 80, prompter: object = None
    ) -> Env:
        env = Env.for_test(
            stdin=stdin,
            tty=tty,
            width=width,
            environ={"NO_COLOR": "1"},
            data_dir=home,
            now=clock.wall,
        )
        env.monotonic = clock.monotonic
        env.prompter = prompter  # type: ignore[assignment]
        return env

    return make
