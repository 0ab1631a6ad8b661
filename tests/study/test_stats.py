"""Progress figures: mastery, due counts, streak, weakest concepts, 30-day history, exam tally."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from studyaws.content.model import Course
from studyaws.study.scheduling import Rating
from studyaws.study.selection import quizzable
from studyaws.study.stats import streak, summarize, tally
from studyaws.study.store import Store


def answer(store: Store, course: Course, qid: str, correct: bool, at: datetime) -> None:
    q = next(q for q in course.questions if q.id == qid)
    store.record(
        question_id=q.id,
        topic=q.topic,
        concepts=q.concepts,
        given=None,
        correct=correct,
        rating=Rating.GOOD if correct else Rating.AGAIN,
        now=at,
    )


def test_mastery_counts_unseen_questions_as_unknown(
    store: Store, course: Course, now: datetime
) -> None:
    answer(store, course, "sqs-visibility-max", True, now)
    answer(store, course, "sqs-delay-max", False, now)
    p = summarize(store.cards(), store.reviews(), quizzable(course.questions), now)
    sqs = next(t for t in p.topics if t.name == "sqs")
    assert (sqs.questions, sqs.seen, sqs.answered, sqs.correct) == (6, 2, 2, 1)
    assert sqs.mastery == 1 / 6  # one of six known today, recall 1.0 on the same day
    assert p.answered == 2
    assert p.correct == 1
    weakest = [c.name for c in p.weakest]
    assert weakest == ["delay-queue"]  # visibility-timeout was answered right


def test_due_now_and_this_week(store: Store, course: Course, now: datetime) -> None:
    answer(store, course, "sqs-visibility-max", False, now - timedelta(days=2))  # due yesterday
    answer(store, course, "sqs-delay-max", True, now)  # due in 2 days
    p = summarize(store.cards(), store.reviews(), quizzable(course.questions), now)
    assert (p.due_now, p.due_week) == (1, 2)
    assert p.next_due == now + timedelta(days=2)


def test_streak_counts_consecutive_days_ending_today_or_yesterday() -> None:
    def at(day: int) -> datetime:
        return datetime(2026, 3, day, 12)

    today = date(2026, 3, 10)
    assert streak([at(10), at(9), at(8), at(6)], today) == 3
    assert streak([at(9), at(8)], today) == 2  # today not over yet
    assert streak([at(7)], today) == 0
    assert streak([], today) == 0


def test_history_is_thirty_days_ending_today(store: Store, course: Course, now: datetime) -> None:
    answer(store, course, "sqs-visibility-max", True, now)
    answer(store, course, "sqs-delay-max", True, now - timedelta(days=29))
    answer(store, course, "sns-fanout", True, now - timedelta(days=30))
    p = summarize(store.cards(), store.reviews(), quizzable(course.questions), now)
    assert len(p.history) == 30
    assert p.history[-1] == (now.date(), 1)
    assert p.history[0] == ((now - timedelta(days=29)).date(), 1)
    assert sum(count for _day, count in p.history) == 2


def test_exam_tally_is_weakest_first(course: Course) -> None:
    by_id = {q.id: q for q in course.questions}
    answers = [
        (by_id["sqs-visibility-max"], True),
        (by_id["sqs-send-visibility-tf"], False),
        (by_id["sqs-dlq-multi"], False),
        (by_id["sns-fanout"], True),
    ]
    topics = tally(answers, lambda q: (q.topic,))
    concepts = tally(answers, lambda q: q.concepts)
    assert [(t.name, t.right, t.asked) for t in topics] == [("sqs", 1, 3), ("sns", 1, 1)]
    assert [c.name for c in concepts] == ["dlq", "redrive", "visibility-timeout", "fanout"]


def test_a_concept_knows_every_topic_that_asks_about_it(
    store: Store, course: Course, now: datetime
) -> None:
    """A concept tagged in SQS and SNS questions is listed under one topic but spans both."""
    import dataclasses

    shared = tuple(
        dataclasses.replace(q, concepts=(*q.concepts, "delivery"))
        if q.id in ("sqs-visibility-max", "sns-fanout")
        else q
        for q in course.questions
    )
    answer(store, course, "sqs-visibility-max", False, now)
    p = summarize(store.cards(), store.reviews(), quizzable(shared), now)
    delivery = next(c for c in p.concepts if c.name == "delivery")
    assert delivery.topics == ("sns", "sqs")
    dlq = next(c for c in p.concepts if c.name == "delay-queue")
    assert dlq.topics == ("sqs",)
