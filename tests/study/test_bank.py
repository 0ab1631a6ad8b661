"""The shipped question bank: no broken answer key. Every question answered with its expected
answer scores 100%; every wrong choice is marked wrong and says why."""

from __future__ import annotations

import random

import pytest

from studyaws.content.loader import load_course
from studyaws.content.model import Course, NumericAnswer, Question
from studyaws.content.units import format_quantity
from studyaws.study.grading import Presented, grade, parse_answer
from studyaws.study.selection import present, quizzable


@pytest.fixture(scope="module")
def bank() -> Course:
    return load_course()


def expected_line(p: Presented) -> str:
    q = p.question
    if q.type == "single":
        return str(p.number_of(str(q.answer)))
    if q.type in ("multi", "order"):
        return ",".join(str(p.number_of(k)) for k in q.answer)  # type: ignore[union-attr]
    if q.type == "truefalse":
        return "true" if q.answer else "false"
    assert isinstance(q.answer, NumericAnswer)
    value = float(q.answer.value)
    return str(int(value)) if value.is_integer() else repr(value)


def shown(bank: Course) -> list[Presented]:
    rng = random.Random(0)
    return [present(q, rng) for q in quizzable(bank.questions)]


def test_the_bank_meets_the_counts(bank: Course) -> None:
    counts = {t: len(quizzable(bank.questions_for(t))) for t in ("sqs", "sns", "lambda")}
    assert counts["sqs"] >= 60
    assert counts["sns"] >= 25
    assert counts["lambda"] >= 60


def test_every_expected_answer_scores_100_percent(bank: Course) -> None:
    wrong = []
    for p in shown(bank):
        parsed = parse_answer(p, expected_line(p))
        if parsed.kind != "answer" or not grade(p.question, parsed.value).correct:
            wrong.append((p.question.id, expected_line(p), parsed))
    assert wrong == []


def test_numeric_answers_are_right_when_written_as_they_read(bank: Course) -> None:
    """`12 hours` for 43,200 s: the way the notes print a value is accepted as the answer."""
    misses = []
    for q in quizzable(bank.questions):
        if q.type != "numeric" or not isinstance(q.answer, NumericAnswer):
            continue
        text = format_quantity(q.answer.value, q.answer.unit)
        parsed = parse_answer(Presented(q), text)
        if parsed.kind != "answer" or not grade(q, parsed.value).correct:
            misses.append((q.id, text))
    assert misses == []


def wrong_keys(q: Question) -> list[str]:
    right = {q.answer} if isinstance(q.answer, str) else set(q.answer)  # type: ignore[arg-type]
    return [key for key, _text in q.choices if key not in right]


def test_every_wrong_choice_is_marked_wrong_and_says_why(bank: Course) -> None:
    problems = []
    for p in shown(bank):
        q = p.question
        if q.type not in ("single", "multi"):
            continue
        for key in wrong_keys(q):
            given = key if q.type == "single" else tuple(sorted({*q.answer, key}))  # type: ignore[misc]
            result = grade(q, given)
            if result.correct:
                problems.append((q.id, key, "graded right"))
            if not dict(result.why_not).get(key, "").strip():
                problems.append((q.id, key, "no why-not"))
    assert problems == []
