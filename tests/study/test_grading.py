"""Grading answer lines for every question type, as a learner types them."""

from __future__ import annotations

import pytest
from sample_course import (
    DELAY_MAX,
    DLQ_FACTS,
    LIFECYCLE,
    SEND_VISIBILITY,
    VISIBILITY_MAX,
    VISIBILITY_MAX_NUMERIC,
)

from studyaws.study.grading import Presented, grade, parse_answer, to_json

SINGLE = Presented(VISIBILITY_MAX, ("b", "c", "a"))
MULTI = Presented(DLQ_FACTS, ("c", "a", "d", "b"))
ORDER = Presented(LIFECYCLE, ("delete", "send", "process", "receive"))


def answer(presented: Presented, line: str):  # type: ignore[no-untyped-def]
    parsed = parse_answer(presented, line)
    assert parsed.kind == "answer", parsed
    return grade(presented.question, parsed.value)


def test_single_choice_is_read_by_its_shown_number() -> None:
    result = answer(SINGLE, "3")
    assert result.correct
    assert (result.given, result.expected) == ("a", "a")


def test_a_wrong_single_choice_says_why_it_is_wrong() -> None:
    """Choosing 15 minutes confuses the max delay with the max visibility timeout."""
    result = answer(SINGLE, " 1 ")
    assert result.status == "wrong"
    assert result.given == "b"
    assert result.why_not == (("b", VISIBILITY_MAX.why_not_for("b")),)
    assert "maximum delay" in result.why_not[0][1]


@pytest.mark.parametrize("line", ["2,4", "2 4", "4, 2", "2;4", "4 2 2"])
def test_multi_accepts_commas_spaces_and_any_order(line: str) -> None:
    result = answer(MULTI, line)
    assert result.correct
    assert to_json(result.given) == ["a", "b"]


def test_multi_wrong_pick_and_missed_choice_are_both_reported() -> None:
    result = answer(MULTI, "1,2")
    assert result.status == "wrong"
    assert [key for key, _ in result.why_not] == ["c"]
    assert result.missed == ("b",)


def test_multi_partial_answer_is_wrong() -> None:
    assert answer(MULTI, "2").status == "wrong"


@pytest.mark.parametrize("line", ["12h", "43200", "43,200 s", "720 min", "0.5d", "43200s"])
def test_numeric_answers_in_any_time_unit(line: str) -> None:
    """12 hours is the longest visibility timeout, however the learner writes it."""
    assert answer(Presented(VISIBILITY_MAX_NUMERIC), line).correct


@pytest.mark.parametrize("line", ["15m", "900", "900 seconds", "0.25 h"])
def test_numeric_delay(line: str) -> None:
    assert answer(Presented(DELAY_MAX), line).correct


@pytest.mark.parametrize("line", ["14 days", "1000", "12m"])
def test_numeric_wrong_values(line: str) -> None:
    result = answer(Presented(VISIBILITY_MAX_NUMERIC), line)
    assert result.status == "wrong"
    assert result.why_not == ()


def test_numeric_tolerance_is_absolute_in_the_answers_unit() -> None:
    from dataclasses import replace

    loose = Presented(replace(DELAY_MAX, tolerance=60))
    assert answer(loose, "960").correct
    assert not answer(loose, "961").correct


def test_order_is_read_as_shown_numbers() -> None:
    result = answer(ORDER, "2 4 3 1")
    assert result.correct
    assert to_json(result.given) == ["send", "receive", "process", "delete"]
    assert answer(ORDER, "2,4,1,3").status == "wrong"


@pytest.mark.parametrize(
    ("line", "right"),
    [("f", True), ("false", True), ("No", True), ("t", False), ("TRUE", False), ("2", True)],
)
def test_true_false_words(line: str, right: bool) -> None:
    assert answer(Presented(SEND_VISIBILITY), line).correct is right


@pytest.mark.parametrize("line", ["", "   ", "?", "skip"])
def test_blank_or_question_mark_skips(line: str) -> None:
    assert parse_answer(SINGLE, line).kind == "skip"
    assert grade(VISIBILITY_MAX, None).status == "skipped"


@pytest.mark.parametrize(
    ("presented", "line"),
    [
        (SINGLE, "4"),
        (SINGLE, "0"),
        (SINGLE, "1,2"),
        (SINGLE, "a"),
        (MULTI, "1,9"),
        (MULTI, "one"),
        (ORDER, "1 2 3"),
        (ORDER, "1 1 2 3"),
        (Presented(SEND_VISIBILITY), "maybe"),
        (Presented(DELAY_MAX), "soon"),
        (Presented(DELAY_MAX), "1,3"),
        (Presented(DELAY_MAX), "15 bytes"),
    ],
)
def test_unreadable_lines_are_invalid_not_wrong(presented: Presented, line: str) -> None:
    parsed = parse_answer(presented, line)
    assert parsed.kind == "invalid"
    assert parsed.problem.startswith(f"“{line.strip()}” is not an answer here")


def test_h_asks_for_the_hint() -> None:
    assert parse_answer(SINGLE, "h").kind == "hint"
    assert parse_answer(Presented(DELAY_MAX), "hint").kind == "hint"
