"""The bundled checkpoints ask something to predict, and their rules read as sentences.

The player shows the world as it is *before* a checkpoint's step: the queues with their messages,
the consumers, each alias and the version it points to. A question about a queue's count, a
message's queue, the consumers running or the version an alias serves that the step doesn't
change is answered by the picture, so it is not worth asking.
"""

from __future__ import annotations

import re

from studyaws.content.model import Course, Scenario
from studyaws.content.text import render_facts
from studyaws.scenarios.answers import DELETED, where
from studyaws.scenarios.run import StepRun, run

# Asked on purpose although the state before the step already has the answer: the question is
# whether the step changes it (a success never reaches a DLQ).
STATE_KEPT_ON_PURPOSE = {"lambda-async:dlq-after-success"}


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
            if spec.kind == "stat" and spec.stat == "consumers":
                group = step.before.get("consumers", {}).get(spec.arg)
                before: object = float(group["consumers"]) if group else None
            elif spec.kind == "stat":
                assert spec.stat is not None
                before = float(len(step.before["queues"][spec.arg][spec.stat]))
            elif spec.kind == "location":
                before = where(step.before, spec.arg) or DELETED
            elif spec.kind == "version":
                before = _alias_version(step)
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


def _alias_version(step: StepRun) -> str | None:
    """The version the invoked alias points to before the step, when it has only one."""
    line = next(ln for ln in reversed(step.lines) if ln.command.name == "invoke")
    function, _, alias = str(line.command.args["function"]).partition(":")
    route = step.before.get("functions", {}).get(function, {}).get("aliases", {}).get(alias)
    if not route or route.get("additional_version"):
        return None
    return str(route["version"])
