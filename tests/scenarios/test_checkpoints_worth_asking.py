"""The bundled checkpoints ask something to predict, and their rules read as sentences.

The animated view shows the queues as they are *before* a checkpoint's step: a question about a
queue's count or a message's queue that the step doesn't change is answered by the picture.
"""

from __future__ import annotations

import re

from studyaws.content.model import Course
from studyaws.content.text import render_facts
from studyaws.scenarios.model import Scenario
from studyaws.scenarios.run import DELETED, _where, run

# Asked on purpose although the state before the step already has the answer: the question is
# whether the step changes it (a success never reaches a DLQ; a moved message keeps its id).
STATE_KEPT_ON_PURPOSE = {"lambda-async:dlq-after-success", "dlq:where-is-it"}


def test_no_checkpoint_is_answered_by_the_picture_before_it(
    scenarios: dict[str, Scenario],
) -> None:
    shown = []
    for scenario in scenarios.values():
        for step in run(scenario).steps:
            cp, answer = step.checkpoint, step.answer
            if cp is None or answer is None:
                continue
            spec = cp.answer
            if spec.kind == "stat" and spec.stat != "consumers":
                before: object = float(len(step.before["queues"][spec.arg][spec.stat]))
            elif spec.kind == "location":
                before = _where(step.before, spec.arg) or DELETED
            else:
                continue
            if before == answer.value:
                shown.append(f"{scenario.id}:{cp.id}")
    assert sorted(shown) == sorted(STATE_KEPT_ON_PURPOSE)


# A range fact renders as "0 seconds to 15 minutes": after "up to" or "at most" it is nonsense.
GARBLED = re.compile(r"\b(up to|at most|past|is a) \d[\d,]*( \w+)? to \d")


def test_rules_read_as_sentences_once_facts_are_filled_in(
    course: Course, scenarios: dict[str, Scenario]
) -> None:
    for scenario in scenarios.values():
        for cp in scenario.checkpoints:
            text = " ".join(render_facts(cp.rule, course.facts).split())
            assert not GARBLED.search(text), f"{scenario.id}:{cp.id}: {text}"
            assert "minutes window" not in text, f"{scenario.id}:{cp.id}: {text}"
