"""Grading: a learner's answer line (or prompter reply) against a question's key.

Rules:
- Choices are shown numbered from 1 in a shuffled order (`Presented.order`); an answer line names
  them by number: `2` (single), `1,3` or `1 3` (multi), `3 1 2` (order, every item once).
- Numeric answers are parsed in the answer's unit (`12h`, `43200`, `43,200 s` are one answer) and
  are right within the question's absolute `tolerance` (plus float noise).
- True/false: `t`, `f`, `true`, `false`, `y`, `n`, `yes`, `no`, or `1` (true) / `2` (false).
- A blank line or `?` is a skip; `h` or `hint` asks for the hint. Anything else that can't be read
  is *invalid*: never graded as wrong, so the UI can say so and ask again.
- Given and expected answers are reported by stable choice key (`b`, `["a", "c"]`), never by the
  shuffled number, so a result means the same under any seed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from studyaws.content.model import NumericAnswer, Question
from studyaws.content.units import SIZE_FACT_UNITS, TIME_FACT_UNITS, parse_quantity

Status = Literal["correct", "wrong", "skipped"]
AnswerValue = str | tuple[str, ...] | float | bool
JsonAnswer = str | list[str] | float | bool | None

_SPLIT = re.compile(r"[\s,;]+")
_GROUPED = re.compile(r"^\s*[-+]?\d{1,3}(,\d{3})+(\.\d*)?(\s*[^\d,\s].*)?$")
_TRUE = frozenset({"t", "true", "y", "yes", "1"})
_FALSE = frozenset({"f", "false", "n", "no", "2"})
SKIP_WORDS = frozenset({"", "?", "skip"})
HINT_WORDS = frozenset({"h", "hint"})
_EPSILON = 1e-9

TYPE_NAMES: dict[str, str] = {
    "single": "one answer",
    "multi": "choose all that apply",
    "numeric": "a number",
    "order": "put in order",
    "truefalse": "true or false",
    "predict": "predict",
}


@dataclass(frozen=True, slots=True)
class Presented:
    """A question as this quiz shows it: `order` is the choice keys in display order (1, 2, …)."""

    question: Question
    order: tuple[str, ...] = ()

    def key_of(self, number: int) -> str:
        return self.order[number - 1]

    def number_of(self, key: str) -> int:
        return self.order.index(key) + 1


@dataclass(frozen=True, slots=True)
class Parsed:
    """What an answer line meant: an answer, a skip, a hint request, or unreadable (`problem`)."""

    kind: Literal["answer", "skip", "hint", "invalid"]
    value: AnswerValue | None = None
    problem: str = ""


@dataclass(frozen=True, slots=True)
class Result:
    """The verdict on one answer. `why_not` holds (choice key, why that choice is wrong)."""

    question_id: str
    status: Status
    given: AnswerValue | None
    expected: AnswerValue
    why_not: tuple[tuple[str, str], ...] = ()
    missed: tuple[str, ...] = ()

    @property
    def correct(self) -> bool:
        return self.status == "correct"


def expected_answer(question: Question) -> AnswerValue:
    answer = question.answer
    if isinstance(answer, NumericAnswer):
        return answer.value
    if answer is None:
        raise ValueError(f"question {question.id} has no stored answer (type {question.type})")
    return answer


def answer_hint(presented: Presented) -> str:
    """How to answer this question, in a few words (with the prompt, and after a bad line)."""
    q = presented.question
    count = len(presented.order)
    if q.type == "single":
        return f"one number, 1–{count}"
    if q.type == "multi":
        return f"every right number, e.g. 1,3 (1–{count})"
    if q.type == "order":
        example = " ".join(str(i) for i in range(1, count + 1))
        return f"all {count} numbers in order, e.g. {example}"
    if q.type == "truefalse":
        return "t or f"
    unit = q.answer.unit if isinstance(q.answer, NumericAnswer) else ""
    return "a number" + _UNIT_EXAMPLES.get(family_name(unit), f" ({unit})" if unit else "")


_UNIT_EXAMPLES = {"time": ", e.g. 90, 90s, 15m or 12h", "size": ", e.g. 262144 or 256 KiB"}


def family_name(unit: str) -> str:
    if unit in TIME_FACT_UNITS:
        return "time"
    if unit in SIZE_FACT_UNITS:
        return "size"
    return "count"


def _numbers(text: str, count: int) -> list[int] | None:
    parts = [p for p in _SPLIT.split(text.strip().rstrip(".")) if p]
    if not parts or not all(p.isdigit() for p in parts):
        return None
    numbers = [int(p) for p in parts]
    if any(not 1 <= n <= count for n in numbers):
        return None
    return numbers


def parse_answer(presented: Presented, line: str) -> Parsed:
    """Read one answer line for `presented`. Never raises; unreadable lines are `invalid`."""
    text = line.strip()
    lowered = text.lower()
    if lowered in SKIP_WORDS:
        return Parsed("skip")
    if lowered in HINT_WORDS:
        return Parsed("hint")
    q = presented.question
    invalid = Parsed("invalid", problem=f"“{text}” is not an answer here: {answer_hint(presented)}")
    count = len(presented.order)
    if q.type == "single":
        numbers = _numbers(text, count)
        if numbers is None or len(numbers) != 1:
            return invalid
        return Parsed("answer", presented.key_of(numbers[0]))
    if q.type == "multi":
        numbers = _numbers(text, count)
        if numbers is None:
            return invalid
        return Parsed("answer", tuple(sorted({presented.key_of(n) for n in numbers})))
    if q.type == "order":
        numbers = _numbers(text, count)
        if numbers is None or sorted(numbers) != list(range(1, count + 1)):
            return invalid
        return Parsed("answer", tuple(presented.key_of(n) for n in numbers))
    if q.type == "truefalse":
        if lowered in _TRUE:
            return Parsed("answer", True)
        if lowered in _FALSE:
            return Parsed("answer", False)
        return invalid
    if q.type == "numeric":
        unit = q.answer.unit if isinstance(q.answer, NumericAnswer) else "count"
        if "," in text and not _GROUPED.match(text):
            return invalid  # `1,3` is a list, not 13; `43,200` is fine
        value = parse_quantity(text, unit)
        return invalid if value is None else Parsed("answer", value)
    return invalid


def grade(question: Question, given: AnswerValue | None) -> Result:
    """Grade an already-parsed answer (`None` = skipped)."""
    expected = expected_answer(question)
    if given is None:
        return Result(question.id, "skipped", None, expected)
    if question.type == "numeric":
        if not isinstance(given, int | float) or isinstance(given, bool):
            raise TypeError(f"numeric answer expected, got {given!r}")
        if not isinstance(expected, int | float) or isinstance(expected, bool):
            raise TypeError(f"question {question.id}: numeric key expected, got {expected!r}")
        right = abs(float(given) - float(expected)) <= question.tolerance + _EPSILON * max(
            1.0, abs(float(expected))
        )
        return Result(question.id, "correct" if right else "wrong", float(given), expected)
    if question.type == "multi":
        chosen = tuple(sorted(set(_keys(given))))
        want = tuple(sorted(set(_keys(expected))))
        wrong_picks = tuple(k for k in chosen if k not in want)
        missed = tuple(k for k in want if k not in chosen)
        status: Status = "correct" if chosen == want else "wrong"
        why = tuple((k, question.why_not_for(k)) for k in wrong_picks)
        return Result(question.id, status, chosen, want, why, missed)
    if question.type == "order":
        chosen = _keys(given)
        return Result(
            question.id, "correct" if chosen == _keys(expected) else "wrong", chosen, expected
        )
    if question.type == "single":
        if not isinstance(given, str):
            raise TypeError(f"a choice key expected, got {given!r}")
        if given == expected:
            return Result(question.id, "correct", given, expected)
        return Result(
            question.id, "wrong", given, expected, ((given, question.why_not_for(given)),)
        )
    if question.type == "truefalse":
        right = bool(given) is expected
        return Result(question.id, "correct" if right else "wrong", bool(given), expected)
    raise ValueError(f"question {question.id}: type {question.type} is not graded here")


def _keys(value: AnswerValue) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, tuple):
        return value
    raise TypeError(f"choice keys expected, got {value!r}")


def to_json(value: AnswerValue | None) -> JsonAnswer:
    """An answer as JSON: a key, a list of keys, a number, a bool or null."""
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
