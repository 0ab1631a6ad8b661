"""Every shipped scenario runs on the engine, and every checkpoint's answer is the engine's."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyaws.content.model import Course, Scenario
from studyaws.scenarios.check import check_scenario
from studyaws.scenarios.questions import predict_questions
from studyaws.scenarios.run import run
from studyaws.study.grading import Presented, grade, parse_answer

SQS_ONLY = {"visibility", "dlq", "delay", "long-polling", "fifo", "dedup"}
ROOT = Path(__file__).resolve().parents[2]
NAMES = sorted(p.stem for p in (ROOT / "content" / "scenarios").glob("*.yaml"))


def test_the_sqs_scenarios_ship(scenarios: dict[str, Scenario]) -> None:
    assert set(scenarios) >= SQS_ONLY
    assert set(scenarios) == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_scenario_runs_and_every_what_if_decides(name: str, scenarios: dict[str, Scenario]) -> None:
    """The executable check a learner's file gets: runs clean, and each checkpoint's what_if
    setting changes the engine's answer (no answer is constant by accident)."""
    assert check_scenario(scenarios[name]) == []


@pytest.mark.parametrize("name", NAMES)
def test_each_checkpoint_answer_changes_with_its_deciding_setting(
    name: str, scenarios: dict[str, Scenario]
) -> None:
    scenario = scenarios[name]
    assert 2 <= len(scenario.checkpoints) <= 5
    base = run(scenario).answers()
    for cp in scenario.checkpoints:
        assert cp.what_if, f"{name}:{cp.id} names no deciding setting"
        other = run(scenario, dict(cp.what_if), strict=False).answers()
        assert other[cp.id].value != base[cp.id].value, (name, cp.id, cp.what_if)


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_timeline(name: str, scenarios: dict[str, Scenario]) -> None:
    a, b = run(scenarios[name]), run(scenarios[name])
    assert [e.to_dict() for e in a.events] == [e.to_dict() for e in b.events]


def test_scenarios_cite_real_facts_and_sections(
    course: Course, scenarios: dict[str, Scenario]
) -> None:
    from studyaws.content.text import fact_refs

    for s in scenarios.values():
        topic = course.topic(s.topic)
        assert topic is not None
        assert not s.section or topic.section(s.section) is not None, (s.id, s.section)
        for cp in s.checkpoints:
            assert cp.fact is None or cp.fact in course.facts, (s.id, cp.fact)
            for _, fact_id in fact_refs(cp.rule + cp.ask + s.story):
                assert fact_id in course.facts, (s.id, fact_id)


def test_predict_questions_are_graded_by_the_engines_answer(
    scenarios: dict[str, Scenario],
) -> None:
    """Each checkpoint yields a quiz question whose key is what the engine did."""
    questions = predict_questions(scenarios.values())
    assert len(questions) == sum(len(s.checkpoints) for s in scenarios.values())
    by_id = {q.id: q for q in questions}
    dlq = by_id["scenario:dlq:third-receive"]
    assert dlq.type == "single"
    assert dlq.scenario == "dlq"
    assert dlq.checkpoint == "third-receive"
    assert dict(dlq.choices)[str(dlq.answer)].startswith("m1")
    moved = by_id["scenario:partial-batch:plain-kept"]
    presented = Presented(moved)
    assert grade(moved, parse_answer(presented, "3").value).correct
    assert not grade(moved, parse_answer(presented, "0").value).correct
    when = by_id["scenario:long-polling:empty-wait"]
    assert grade(when, parse_answer(Presented(when), "20s").value).correct
