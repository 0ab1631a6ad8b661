"""A played scenario as data: each prediction the learner made, and the JSON result of the play.

Pure: the players in `ui/` make the predictions; this says what a play's `--json` holds: every
event of the log with its cause id, and each checkpoint with the learner's answer and the
engine's, both as values that compare (`m1` and `m1`), beside the texts shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from studyaws.content.model import Question
from studyaws.scenarios.run import StepRun, Timeline
from studyaws.study.grading import AnswerValue, to_json


@dataclass
class Prediction:
    step: StepRun
    question: Question
    given: AnswerValue | None = None
    answered: bool = False  # False: never answered (end of input, --auto, quit)
    correct: bool = False
    hinted: bool = False


def play_result(
    timeline: Timeline,
    predictions: Mapping[int, Prediction],
    given_text: Callable[[Prediction], str],
    *,
    interrupted: bool,
) -> dict[str, Any]:
    """The `--json` object of a play (`given_text` says a learner's answer as it was shown)."""
    checkpoints = []
    for run in timeline.steps:
        cp = run.checkpoint
        if cp is None or run.answer is None:
            continue
        p = predictions.get(run.number)
        given: Any = None
        shown: str | None = None
        if p is not None and p.given is not None:
            shown = given_text(p)
            given = to_json(p.given)
            if p.question.type == "single" and isinstance(p.given, str):
                # The engine's value for the picked choice, comparable with `expected`.
                keys = [k for k, _ in p.question.choices]
                given = run.answer.choices[keys.index(p.given)]
        expected: Any = run.answer.value
        if run.answer.numeric:
            expected = to_json(float(run.answer.value))
        checkpoints.append(
            {
                "id": cp.id,
                "step": run.number,
                "ask": cp.ask,
                "answer_kind": str(cp.answer),
                "given": given,
                "expected": expected,
                "given_text": shown,
                "expected_text": run.answer.text(),
                "correct": bool(p is not None and p.correct),
                "decided_by": [e.to_dict() for e in run.answer.deciding],
            }
        )
    return {
        "scenario": timeline.scenario.id,
        "title": timeline.scenario.title,
        "seed": timeline.seed,
        "settings": timeline.settings,
        "interrupted": interrupted,
        "events": [e.to_dict() for e in timeline.events],
        "checkpoints": checkpoints,
        "correct": sum(1 for c in checkpoints if c["correct"]),
        "total": len(checkpoints),
    }
