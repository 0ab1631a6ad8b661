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
- A scenario's predictions within one quiz come in step order, in the places the shuffle gave
  them: a later checkpoint's story tells the earlier one's outcome, so it never comes first.
- A mock exam draws its questions by exam domain in the exam guide's proportions
  (`EXAM_DOMAIN_WEIGHTS`), as far as the bank has them; the rest come from any domain.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from studyaws.content.model import Question
from studyaws.study.grading import Presented

# The AWS Certified Developer - Associate (DVA-C02) exam: 65 questions in 130 minutes, and the
# share of each content domain in it. Source: the exam guide,
# https://d1.awsstatic.com/training-and-certification/docs-dev-associate/AWS-Certified-Developer-Associate_Exam-Guide.pdf
EXAM_QUESTIONS = 65
EXAM_MINUTES = 130
EXAM_DOMAIN_WEIGHTS: dict[str, float] = {
    "Development with AWS Services": 0.32,
    "Security": 0.26,
    "Deployment": 0.24,
    "Troubleshooting and Optimization": 0.18,
}
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
    return tuple(present(q, rng) for q in in_step_order(pool[: max(n, 0)]))


def pick_exam(questions: Iterable[Question], n: int, seed: int) -> tuple[Presented, ...]:
    """A mock exam of `n`: each domain's share as the exam guide weighs it, then shuffled."""
    rng = random.Random(seed)
    pool = list(quizzable(questions))
    rng.shuffle(pool)
    n = min(max(n, 0), len(pool))
    chosen: list[Question] = []
    for domain, share in EXAM_DOMAIN_WEIGHTS.items():
        of_domain = [q for q in pool if q.domain == domain]
        chosen.extend(of_domain[: round(n * share)])
    rest = [q for q in pool if q not in chosen]
    chosen = (chosen + rest)[:n]
    rng.shuffle(chosen)
    return tuple(present(q, rng) for q in in_step_order(chosen))


def in_step_order(questions: Sequence[Question]) -> list[Question]:
    """The same questions, each scenario's predictions put in step order in their own places."""
    out = list(questions)
    by_scenario: dict[str, list[int]] = {}
    for i, q in enumerate(out):
        if q.scenario is not None:
            by_scenario.setdefault(q.scenario, []).append(i)
    for places in by_scenario.values():
        ordered = sorted((out[i] for i in places), key=_step_of)
        for place, q in zip(places, ordered, strict=True):
            out[place] = q
    return out


def _step_of(question: Question) -> tuple[int, str]:
    return (question.step or 0, question.id)


def due_ids(dues: Mapping[str, datetime], now: datetime, n: int) -> tuple[str, ...]:
    """Question ids due at `now`, most overdue first."""
    due = sorted((when, qid) for qid, when in dues.items() if when <= now)
    return tuple(qid for _when, qid in due[: max(n, 0)])


def present_all(questions: Sequence[Question], seed: int) -> tuple[Presented, ...]:
    """Keep the given question order (a review's), shuffle only the choices."""
    rng = random.Random(seed)
    return tuple(present(q, rng) for q in questions)
