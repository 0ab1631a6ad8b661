"""Choosing what to ask: a seeded quiz, and the due questions of a review.

Rules:
- One `random.Random(seed)` per quiz. The pool is sorted by id before shuffling, so the same seed
  gives the same questions in the same order with the same choice order, whatever order the
  content was loaded in.
- `predict` questions need the engine to compute their answer; they are played in scenarios, not
  here, and so are never picked.
- Choice order is shuffled for single and multi; the items of an order question are shuffled so
  they never start out already in the right order (when there are two or more).
- A review asks the due questions, most overdue first (ties by id), at most `n`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from studyaws.content.model import Question
from studyaws.study.grading import Presented

CHOICE_TYPES = frozenset({"single", "multi", "order"})
QUIZ_TYPES = frozenset({"single", "multi", "order", "numeric", "truefalse"})


def quizzable(questions: Iterable[Question]) -> tuple[Question, ...]:
    """The questions a quiz can ask on its own, sorted by id."""
    return tuple(
        sorted(
            (q for q in questions if q.type in QUIZ_TYPES and q.answer is not None),
            key=lambda q: q.id,
        )
    )


def concepts_of(questions: Iterable[Question]) -> tuple[str, ...]:
    return tuple(sorted({c for q in questions for c in q.concepts}))


def present(question: Question, rng: random.Random) -> Presented:
    """Shuffle the choices of one question with `rng`."""
    if question.type not in CHOICE_TYPES:
        return Presented(question)
    keys = [key for key, _text in question.choices]
    rng.shuffle(keys)
    if question.type == "order" and len(keys) > 1 and tuple(keys) == question.answer:
        # Already in the answer's order would give the answer away: rotate by one.
        keys = keys[1:] + keys[:1]
    return Presented(question, tuple(keys))


def pick(
    questions: Iterable[Question], n: int, seed: int, *, concept: str | None = None
) -> tuple[Presented, ...]:
    """N questions (fewer if the pool is smaller), shuffled under `seed`, choices shuffled too."""
    pool = [q for q in quizzable(questions) if concept is None or concept in q.concepts]
    rng = random.Random(seed)
    rng.shuffle(pool)
    return tuple(present(q, rng) for q in pool[: max(n, 0)])


def due_ids(dues: Mapping[str, datetime], now: datetime, n: int) -> tuple[str, ...]:
    """Question ids due at `now`, most overdue first."""
    due = sorted((when, qid) for qid, when in dues.items() if when <= now)
    return tuple(qid for _when, qid in due[: max(n, 0)])


def present_all(questions: Sequence[Question], seed: int) -> tuple[Presented, ...]:
    """Keep the given question order (a review's), shuffle only the choices."""
    rng = random.Random(seed)
    return tuple(present(q, rng) for q in questions)
