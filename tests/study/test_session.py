"""One quiz session as a unit, with no terminal: ask → grade → save → feedback → timer → report.

The clocks and the store are passed in, so every rule is checked by the numbers: what is saved
and when it comes back, what an exam's deadline does to a late answer, when the tenth-of-the-time
warning comes, and how the report counts by topic, exam domain and concept.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest

from studyaws.content.model import Course
from studyaws.study.grading import Presented
from studyaws.study.selection import pick
from studyaws.study.session import Session
from studyaws.study.store import Store


class Timer:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def right(p: Presented) -> object:
    q = p.question
    answer = q.answer
    if q.type == "numeric":
        return float(answer.value)  # type: ignore[union-attr]
    return answer


def test_each_answer_is_graded_saved_and_scheduled(
    course: Course, store: Store, now: datetime
) -> None:
    """A miss is saved as Again and comes back within minutes; a right answer in days."""
    presented = pick(course.questions_for("sqs"), 2, 7)
    timer = Timer()
    session = Session.of(presented, clock=timer, now=lambda: now, recorder=store)
    session.start()
    session.ask()
    first = session.answer(None)  # skipped: a miss
    session.ask()
    second = session.answer(right(presented[1]))  # type: ignore[arg-type]
    assert session.done
    assert first.saved
    assert second.saved
    assert first.due == now + timedelta(minutes=5)
    assert second.due is not None
    assert second.due >= now + timedelta(days=2)
    report = session.report()
    assert (report.total, report.right, report.skipped, report.saved) == (2, 1, 1, 2)
    assert report.missed_sections == ((first.question.topic, first.question.section),)


def test_a_failed_save_is_remembered_and_the_quiz_goes_on(course: Course, now: datetime) -> None:
    class Broken:
        def record(self, **_kw: object) -> datetime:
            raise sqlite3.OperationalError("disk I/O error")

        def set_flag(self, *_a: object) -> None:
            raise sqlite3.OperationalError("disk I/O error")

    presented = pick(course.questions_for("sqs"), 2, 7)
    session = Session.of(presented, now=lambda: now, recorder=Broken())  # type: ignore[arg-type]
    session.ask()
    item = session.answer(None)
    assert not item.saved
    assert session.save_failed
    assert session.report().saved == 0
    assert session.current is not None  # the quiz goes on


def test_an_exam_answer_after_the_deadline_is_graded_but_not_counted_or_saved(
    course: Course, store: Store, now: datetime
) -> None:
    presented = pick(course.questions_for("sqs"), 3, 7)
    timer = Timer()
    session = Session.of(
        presented, mode="exam", clock=timer, now=lambda: now, recorder=store, seconds=60.0
    )
    session.start()
    session.ask()
    session.answer(right(presented[0]))  # type: ignore[arg-type]
    timer.now += 61
    session.ask()
    late = session.answer(right(presented[1]))  # type: ignore[arg-type]
    assert late.late
    assert late.result is not None
    assert late.result.correct  # graded: the report explains it
    assert not late.saved
    assert session.done  # the time is up
    report = session.report()
    assert (report.right, report.late, report.unanswered) == (1, 1, 1)
    assert len(store.reviews()) == 1


def test_the_exam_warns_once_at_a_tenth_of_its_time(course: Course) -> None:
    timer = Timer()
    session = Session.of(pick(course.questions, 2, 1), mode="exam", clock=timer, seconds=100.0)
    session.start()
    timer.now += 89
    assert not session.warn_now()
    timer.now += 2  # 9 s left
    assert session.warn_now()
    assert not session.warn_now()


def test_no_hints_in_an_exam(course: Course) -> None:
    exam = Session.of(pick(course.questions, 1, 1), mode="exam", seconds=60.0)
    assert not exam.hints_allowed
    exam.ask()
    assert not exam.answer(None, hinted=True).hinted
    assert Session.of(pick(course.questions, 1, 1)).hints_allowed


def test_flags_toggle_and_are_saved_at_once(course: Course, store: Store, now: datetime) -> None:
    session = Session.of(pick(course.questions, 1, 1), now=lambda: now, recorder=store)
    item = session.ask()
    assert session.toggle_flag(item)
    assert set(store.flags()) == {item.question.id}
    assert not session.toggle_flag(item)
    assert store.flags() == {}


def test_the_report_counts_by_topic_domain_and_concept(course: Course) -> None:
    presented = pick(course.questions, 4, 2)
    session = Session.of(presented)
    for p in presented:
        session.ask()
        session.answer(right(p))  # type: ignore[arg-type]
    report = session.report()
    assert report.right == 4
    assert sum(t.asked for t in report.by_topic) == 4
    assert all(t.share == 1.0 for t in report.by_concept)


@pytest.mark.parametrize("answered", [0, 1])
def test_an_answer_time_is_measured_from_when_it_was_asked(course: Course, answered: int) -> None:
    timer = Timer()
    session = Session.of(pick(course.questions, 2, 1), clock=timer, interactive=True)
    for _ in range(answered):
        session.ask()
        session.answer(None)
    session.ask()
    timer.now += 4.2
    assert session.answer(None).duration_ms == 4200
