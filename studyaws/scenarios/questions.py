"""Quiz questions of type `predict` from scenarios: one per checkpoint, the answer from the engine.

A checkpoint becomes a `Question` the quiz's grading already knows: `single` when the answer is
picked from choices the world offers (message ids, queue names, statuses), `numeric` when it is a
number (a count, a receive count, seconds). Its id is `scenario:<scenario>:<checkpoint>` — the card
id the player saves answers under, so `studyaws review` brings a missed prediction back — and it
keeps `scenario` and `checkpoint` so a UI can say where it comes from. The prompt carries the
story so far: the step's narration and the lines it runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from studyaws.content.model import NumericAnswer, Question, Scenario
from studyaws.scenarios.run import Answer, StepRun, Timeline, run

KEYS = "abcdefghijklmnopqrstuvwxyz"


def checkpoint_question(timeline: Timeline, step_run: StepRun) -> Question:
    """The question a checkpoint asks, with the engine's answer as its key."""
    scenario = timeline.scenario
    step = step_run.step
    cp = step_run.checkpoint
    answer = step_run.answer
    assert step is not None
    assert cp is not None
    assert answer is not None
    # Asked out of the play (in `quiz` or `review`), a checkpoint needs the story so far: the
    # set-up as it was typed and each earlier step in one line of narration.
    setup = "; ".join(line.text for line in timeline.setup.lines)
    earlier = [
        f"  {run.number}. {run.step.say}"
        for run in timeline.steps
        if run.number < step_run.number and run.step is not None
    ]
    lines = "\n".join(f"    {line.text}" for line in step_run.lines)
    story = "\n".join([f"Set-up: {setup}", *(["So far:", *earlier] if earlier else [])])
    prompt = (
        f"{scenario.title}.\n{story}\nNow, step {step_run.number}: {step.say}\n{lines}\n\n{cp.ask}"
    )
    explanation = cp.rule or f"The engine decides it: {cp.answer}."
    common = {
        "id": scenario.card_id(cp),
        "topic": scenario.topic,
        "prompt": prompt,
        "section": scenario.section,
        "concepts": cp.concepts or (scenario.id,),
        "explanation": explanation,
        "loc": cp.loc,
        "fact": cp.fact,
        "scenario": scenario.id,
        "checkpoint": cp.id,
    }
    return as_question(answer, common)


def as_question(answer: Answer, common: Mapping[str, object]) -> Question:
    if answer.numeric:
        return Question(
            type="numeric",
            answer=NumericAnswer(float(answer.value), answer.unit),
            **common,  # type: ignore[arg-type]
        )
    keys = KEYS[: len(answer.choices)]
    right = keys[answer.choices.index(str(answer.value))]
    return Question(
        type="single",
        choices=tuple(zip(keys, answer.labels, strict=True)),
        answer=right,
        why_not=tuple(
            (k, "The engine played it out differently: see the answer above.")
            for k in keys
            if k != right
        ),
        **common,  # type: ignore[arg-type]
    )


def predict_questions(
    scenarios: Iterable[object], ids: Iterable[str] | None = None
) -> list[Question]:
    """Every checkpoint of every scenario as a question (only those in `ids` when given)."""
    wanted = set(ids) if ids is not None else None
    out = []
    for scenario in scenarios:
        if not isinstance(scenario, Scenario):
            continue
        cps = [
            cp for cp in scenario.checkpoints if wanted is None or scenario.card_id(cp) in wanted
        ]
        if not cps:
            continue
        timeline = run(scenario)
        for step_run in timeline.steps:
            if step_run.checkpoint in cps:
                out.append(checkpoint_question(timeline, step_run))
    return out
