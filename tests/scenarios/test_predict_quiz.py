"""Every checkpoint is a `predict` question of the quiz: short, with choices from the world, and
keyed by the engine. Answering each with its key through `studyaws quiz all --json` (piped)
scores 100 % on them."""

from __future__ import annotations

import io
import json
import sys

import pytest

from studyaws.cli import main
from studyaws.content.model import Course, NumericAnswer, Scenario
from studyaws.scenarios.questions import predict_questions
from studyaws.study import selection

SEED = 5


def test_predict_questions_are_short_and_offer_world_choices(
    scenarios: dict[str, Scenario],
) -> None:
    questions = predict_questions(scenarios.values())
    assert len(questions) == sum(len(s.checkpoints) for s in scenarios.values())
    for q in questions:
        assert q.type in ("single", "numeric"), q.id
        assert len(q.prompt) <= 1200, (q.id, len(q.prompt))
        assert q.prompt.rstrip().endswith("?"), q.id
        # It stands alone: the set-up, and every earlier step with what its lines returned.
        assert "\nSet-up:\n" in q.prompt, q.id
        assert q.step is not None
        scenario = scenarios[str(q.scenario)]
        for earlier in scenario.steps[: q.step - 1]:
            assert f". {earlier.say}\n" in q.prompt, (q.id, earlier.say)
        assert "engine" not in q.explanation.lower(), q.id
        if q.type == "single":
            keys = [k for k, _ in q.choices]
            texts = [t for _, t in q.choices]
            assert 2 <= len(keys) <= 8, q.id
            assert q.answer in keys, q.id
            assert len(set(texts)) == len(texts), (q.id, texts)
        else:
            assert isinstance(q.answer, NumericAnswer)


def _line(presented: selection.Presented) -> str:
    q = presented.question
    if q.scenario is None:
        return ""  # a bank question: skipped
    if q.type == "single":
        return str(presented.order.index(str(q.answer)) + 1)
    assert isinstance(q.answer, NumericAnswer)
    value = q.answer.value
    shown = str(int(value)) if float(value).is_integer() else str(value)
    return shown + ("s" if q.answer.unit == "s" else "")


def test_answering_every_prediction_with_its_key_scores_all_of_them(
    course: Course,
    scenarios: dict[str, Scenario],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pool = selection.quizzable(course.questions + tuple(predict_questions(scenarios.values())))
    presented = selection.pick(pool, len(pool), SEED)
    lines = "".join(_line(p) + "\n" for p in presented)
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    assert main(["quiz", "all", "-n", str(len(pool)), "--seed", str(SEED), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    asked = [q for q in data["questions"] if q["id"].startswith("scenario:")]
    assert len(asked) == sum(len(s.checkpoints) for s in scenarios.values())
    wrong = [q["id"] for q in asked if not q["correct"]]
    assert wrong == []
