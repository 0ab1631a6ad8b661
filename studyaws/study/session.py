"""One quiz, exam or review as a unit: ask → grade → save → feedback → timer, with no UI in it.

`ui/quiz.py` drives a `Session`: it shows `session.current`, reads an answer however the terminal
allows, and hands it to `session.answer(...)`, which grades it, saves it and says what happened;
`session.report()` sums the session up. Everything here is pure: the clocks (a monotonic one for
the exam's time, a UTC one for the store) and the store are passed in.

Rules:
- Every answer is saved as it is given, in the store's own transaction: a crash loses at most the
  answer being given. A save that fails does not stop the quiz; the outcome says it was not saved,
  and the session remembers, so "your answers are saved" is said only when they were.
- A skipped question counts as not known: it is saved as a miss (fsrs Again), so it comes back.
- The rating (scheduling.rating_for): wrong or skipped ⇒ Again; right after a hint ⇒ Hard; right
  ⇒ Good; right and quick in an interactive session ⇒ Easy.
- An exam has a deadline: an answer given after it is graded (its explanation is in the report)
  but not counted, and not saved as a review of the learner's memory. `warn_now()` is true once,
  when a tenth of the time is left. Exams give no hints.
- Flags are a learner's own marks ("ask me again", "this key looks wrong"); they are saved at once
  and toggle.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from studyaws.content.model import Question
from studyaws.study.grading import AnswerValue, JsonAnswer, Presented, Result, grade, to_json
from studyaws.study.scheduling import Rating, rating_for
from studyaws.study.stats import Tally, tally
from studyaws.study.store import StoreError

Mode = Literal["quiz", "exam", "review"]
WARN_SHARE = 0.1  # the exam warns when this share of its time is left


class Recorder(Protocol):
    """What a session needs of the progress store (`study.store.Store` is one)."""

    def record(
        self,
        *,
        question_id: str,
        topic: str,
        concepts: Sequence[str],
        given: JsonAnswer,
        correct: bool,
        rating: Rating,
        now: datetime,
        duration_ms: int | None = None,
        hinted: bool = False,
        mode: str = "quiz",
    ) -> datetime: ...

    def set_flag(self, question_id: str, topic: str, flagged: bool, now: datetime) -> None: ...


@dataclass
class Item:
    """One question of the session and what became of it."""

    presented: Presented
    result: Result | None = None
    hinted: bool = False
    flagged: bool = False
    duration_ms: int | None = None
    late: bool = False
    saved: bool = False
    due: datetime | None = None  # when it comes back (fsrs), once saved

    @property
    def question(self) -> Question:
        return self.presented.question

    @property
    def counted(self) -> bool:
        """Answered (or skipped) in time."""
        return self.result is not None and not self.late

    @property
    def correct(self) -> bool:
        return self.counted and self.result is not None and self.result.correct


@dataclass(frozen=True)
class Report:
    total: int
    right: int
    skipped: int
    late: int
    unanswered: int
    saved: int
    save_failed: bool
    by_topic: tuple[Tally, ...] = ()
    by_concept: tuple[Tally, ...] = ()
    by_domain: tuple[Tally, ...] = ()
    missed_sections: tuple[tuple[str, str], ...] = ()

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.total) if self.total else 0


@dataclass
class Session:
    items: list[Item]
    mode: Mode = "quiz"
    clock: Callable[[], float] = field(default=lambda: 0.0)
    now: Callable[[], datetime] | None = None
    recorder: Recorder | None = None
    seconds: float | None = None  # the exam's time, from start()
    interactive: bool = False
    index: int = 0
    started: float | None = None
    deadline: float | None = None
    save_failed: bool = False
    save_error: str = ""  # why the first save that failed did
    _asked_at: float | None = None
    _warned: bool = False

    @classmethod
    def of(cls, presented: Iterable[Presented], **kw: object) -> Session:
        return cls([Item(p) for p in presented], **kw)  # type: ignore[arg-type]

    # -- time -----------------------------------------------------------------------------------

    def start(self) -> None:
        self.started = self.clock()
        if self.seconds is not None:
            self.deadline = self.started + self.seconds

    def time_left(self) -> float | None:
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - self.clock())

    def expired(self) -> bool:
        left = self.time_left()
        return left is not None and left <= 0

    def warn_now(self) -> bool:
        """True once, the first time it is asked with a tenth of the exam's time or less left."""
        left = self.time_left()
        if left is None or self._warned or self.seconds is None:
            return False
        if left <= WARN_SHARE * self.seconds:
            self._warned = True
            return True
        return False

    @property
    def hints_allowed(self) -> bool:
        return self.mode != "exam"

    # -- the questions ----------------------------------------------------------------------------

    @property
    def current(self) -> Item | None:
        return self.items[self.index] if self.index < len(self.items) else None

    @property
    def number(self) -> int:
        return self.index + 1

    def ask(self) -> Item:
        """The current question is being shown now (its answer time starts)."""
        item = self.current
        if item is None:
            raise IndexError("the session is over")
        self._asked_at = self.clock()
        return item

    def answer(self, value: AnswerValue | None, *, hinted: bool = False) -> Item:
        """Grade and save the current question's answer (None: skipped), and move on."""
        item = self.current
        if item is None:
            raise IndexError("the session is over")
        if self._asked_at is not None:
            item.duration_ms = round((self.clock() - self._asked_at) * 1000)
        item.hinted = hinted and self.hints_allowed
        item.result = grade(item.question, value)
        item.late = self.expired()
        if not item.late:
            self._save(item)
        self.index += 1
        self._asked_at = None
        return item

    def toggle_flag(self, item: Item) -> bool:
        """Flag or unflag a question (saved at once); returns whether it is flagged now."""
        item.flagged = not item.flagged
        if self.recorder is not None and self.now is not None:
            try:
                self.recorder.set_flag(
                    item.question.id, item.question.topic, item.flagged, self.now()
                )
            except _SAVE_ERRORS:
                self.save_failed = True
        return item.flagged

    def _save(self, item: Item) -> None:
        if self.recorder is None or self.now is None or item.result is None:
            return
        q = item.question
        rating = rating_for(
            item.result.correct,
            hinted=item.hinted,
            duration_ms=item.duration_ms if self.interactive else None,
        )
        try:
            item.due = self.recorder.record(
                question_id=q.id,
                topic=q.topic,
                concepts=q.concepts,
                given=to_json(item.result.given),
                correct=item.result.correct,
                rating=rating,
                now=self.now(),
                duration_ms=item.duration_ms,
                hinted=item.hinted,
                mode=self.mode,
            )
            item.saved = True
        except _SAVE_ERRORS as exc:
            self._failed(exc)

    def _failed(self, exc: BaseException) -> None:
        if not self.save_failed:
            self.save_error = str(exc) or type(exc).__name__
        self.save_failed = True

    # -- the end --------------------------------------------------------------------------------

    @property
    def done(self) -> bool:
        return self.index >= len(self.items) or self.expired()

    def report(self) -> Report:
        counted = [i for i in self.items if i.counted]
        right = sum(1 for i in counted if i.correct)
        skipped = sum(1 for i in counted if i.result is not None and i.result.status == "skipped")
        missed = sorted({(i.question.topic, i.question.section) for i in counted if not i.correct})
        answers = [(i.question, i.correct) for i in counted]
        return Report(
            total=len(self.items),
            right=right,
            skipped=skipped,
            late=sum(1 for i in self.items if i.late),
            unanswered=sum(1 for i in self.items if i.result is None),
            saved=sum(1 for i in self.items if i.saved),
            save_failed=self.save_failed,
            by_topic=tally(answers, lambda q: (q.topic,)),
            by_concept=tally(answers, lambda q: q.concepts),
            by_domain=tally(answers, lambda q: (q.domain,) if q.domain else ()),
            missed_sections=tuple(missed),
        )


_SAVE_ERRORS: tuple[type[BaseException], ...] = (StoreError, sqlite3.Error, OSError)
