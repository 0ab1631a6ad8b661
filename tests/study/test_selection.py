"""Picking questions: same seed, same quiz; choices shuffled; review most overdue first."""

from __future__ import annotations

from datetime import datetime, timedelta

from studyaws.content.model import Course
from studyaws.study.selection import due_ids, pick, quizzable


def snapshot(course: Course, seed: int, n: int = 10) -> list[tuple[str, tuple[str, ...]]]:
    return [(p.question.id, p.order) for p in pick(course.questions, n, seed)]


def test_same_seed_same_quiz_whatever_the_load_order(course: Course) -> None:
    reversed_course = Course(course.topics, course.facts, tuple(reversed(course.questions)))
    assert snapshot(course, 7) == snapshot(course, 7) == snapshot(reversed_course, 7)


def test_different_seeds_shuffle_questions_and_choices(course: Course) -> None:
    seen = {tuple(snapshot(course, seed)) for seed in range(20)}
    assert len(seen) > 10
    orders = {dict(snapshot(course, seed))["sqs-visibility-max"] for seed in range(20)}
    assert len(orders) > 1


def test_predict_questions_are_left_to_scenarios(course: Course) -> None:
    ids = {q.id for q in quizzable(course.questions)}
    assert "sqs-predict-redrive" not in ids
    assert all(qid != "sqs-predict-redrive" for qid, _ in snapshot(course, 1))


def test_n_and_concept_limit_the_pick(course: Course) -> None:
    assert len(pick(course.questions, 2, 1)) == 2
    assert len(pick(course.questions, 100, 1)) == len(quizzable(course.questions))
    picked = pick(course.questions, 10, 1, concept="visibility-timeout")
    assert {p.question.id for p in picked} == {
        "sqs-visibility-max",
        "sqs-visibility-max-numeric",
        "sqs-send-visibility-tf",
    }


def test_order_items_never_start_in_the_right_order(course: Course) -> None:
    for seed in range(50):
        for p in pick(course.questions, 10, seed):
            if p.question.type == "order":
                assert p.order != p.question.answer


def test_review_takes_due_cards_most_overdue_first(now: datetime) -> None:
    dues = {
        "a": now - timedelta(days=1),
        "b": now - timedelta(days=3),
        "c": now + timedelta(minutes=1),
        "d": now,
    }
    assert due_ids(dues, now, 10) == ("b", "a", "d")
    assert due_ids(dues, now, 2) == ("b", "a")
