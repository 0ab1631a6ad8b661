"""Quiz questions of type `predict` from scenarios: one per checkpoint, the answer from the engine.

A checkpoint becomes a `Question` the quiz's grading already knows: `single` when the answer is
picked from choices the world offers (message ids, queue names, statuses), `numeric` when it is a
number (a count, a receive count, seconds). Its id is `scenario:<scenario>:<checkpoint>` — the card
id the player saves answers under, so `studyaws review` brings a missed prediction back — and it
keeps `scenario`, `checkpoint` and `step` so a quiz asks a scenario's predictions in step order.

Asked outside the play, a prediction must stand alone. Its prompt tells the story so far in
separate lines, never run together: the set-up commands, then each earlier step's narration with
its commands and what each returned (the message id a send got, what a receive got, the events
that teach), then the step to predict and its commands, then the question. The explanation says
the rule, the working in numbers when the rule is a formula, and what happened.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from studyaws.content.model import NumericAnswer, Question, Scenario
from studyaws.scenarios.run import Answer, LineRun, StepRun, Timeline, run

KEYS = "abcdefghijklmnopqrstuvwxyz"
DOMAIN = "Development with AWS Services"
INDENT = "    "


def outcome(line: LineRun) -> str:
    """What a line returned, in a few words: `m1`, `m1 (receive 2)`, `429`, or its key events."""
    from studyaws.scenarios.digest import Weight, weight

    result = line.result
    name = line.command.name
    if not result.get("ok", True) and "error" in result:
        error = result["error"]
        status = f"{result['status']} " if "status" in result else ""
        return f"{status}{error['code']}: {error['message']}"
    if name in ("send", "publish") and "message_id" in result:
        return str(result["message_id"])
    if name == "receive":
        got = result.get("messages") or []
        return (
            ", ".join(f"{m['message_id']} (receive {m['receive_count']})" for m in got) or "nothing"
        )
    if name == "invoke" and "status" in result:
        error = result.get("error")
        return f"{result['status']}" + (f" ({error['type']})" if error else "")
    if name == "stats" and "visible" in result:
        return (
            f"{result['visible']} visible, {result['in_flight']} in flight, "
            f"{result['delayed']} delayed"
        )
    taught = [e for e in line.events if weight(e) is Weight.KEY]
    shown = [f"{e.kind} {getattr(e, 'message_id', '') or e.resource}" for e in taught[:3]]
    if len(taught) > 3:
        shown.append(f"and {len(taught) - 3} more")
    return ", ".join(shown)


def _command(line: LineRun) -> str:
    said = outcome(line)
    return f"{INDENT}{line.text}" + (f"  → {said}" if said else "")


def _commands(lines: Sequence[LineRun]) -> list[str]:
    """Each line with its outcome; a run of more than three lines alike but for their last word
    (ten payments, nine jobs) is one line: `invoke pay:live a, b, …` with the outcomes counted."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        head = lines[i].text.rsplit(" ", 1)[0]
        j = i
        while j < len(lines) and " " in lines[j].text and lines[j].text.rsplit(" ", 1)[0] == head:
            j += 1
        if j - i > 3:
            group = lines[i:j]
            lasts = ", ".join(line.text.rsplit(" ", 1)[1] for line in group)
            counted = Counter(outcome(line) for line in group)
            said = ", ".join(
                f"{text} ×{n}" if n > 1 else text for text, n in counted.items() if text
            )
            out.append(f"{INDENT}{head} {lasts}" + (f"  → {said}" if said else ""))
            i = j
        else:
            out.append(_command(lines[i]))
            i += 1
    return out


def story_so_far(timeline: Timeline, step_run: StepRun) -> str:
    """The set-up, every earlier step with its outcomes, and the step to predict."""
    scenario = timeline.scenario
    step = step_run.step
    assert step is not None
    parts = [f"{scenario.title}.", "", "Set-up:"]
    parts += [f"{INDENT}{line.text}" for line in timeline.setup.lines]
    earlier = [r for r in timeline.steps if r.number < step_run.number and r.step is not None]
    if earlier:
        parts.append("So far:")
        for run_ in earlier:
            assert run_.step is not None
            parts.append(f"  {run_.number}. {run_.step.say}")
            parts += _commands(run_.lines)
    parts.append(f"Now, step {step_run.number}: {step.say}")
    parts += [line.split("  → ")[0] for line in _commands(step_run.lines)]
    return "\n".join(parts)


def explanation(step_run: StepRun) -> str:
    """The rule, the working in numbers, and the events that decided the answer."""
    from studyaws.sandbox.wording import event_line

    cp = step_run.checkpoint
    answer = step_run.answer
    assert cp is not None
    assert answer is not None
    parts = [cp.rule.strip()] if cp.rule else []
    if answer.working:
        parts.append(f"Worked out: {answer.working}.")
    if answer.deciding:
        happened = "; ".join(event_line(e) for e in answer.deciding[-3:])
        parts.append(f"What happened: {happened}.")
    else:
        parts.append(f"When played, the step gave {answer.text()}.")
    return "\n\n".join(parts)


def checkpoint_question(timeline: Timeline, step_run: StepRun) -> Question:
    """The question a checkpoint asks, with the engine's answer as its key."""
    scenario = timeline.scenario
    cp = step_run.checkpoint
    answer = step_run.answer
    assert cp is not None
    assert answer is not None
    prompt = f"{story_so_far(timeline, step_run)}\n\n{cp.ask}"
    common = {
        "id": scenario.card_id(cp),
        "topic": scenario.topic,
        "prompt": prompt,
        "section": scenario.section,
        "concepts": cp.concepts or (scenario.id,),
        "explanation": explanation(step_run),
        "loc": cp.loc,
        "fact": cp.fact,
        "hint": cp.hint,
        "scenario": scenario.id,
        "checkpoint": cp.id,
        "step": step_run.number,
        "domain": DOMAIN,
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
            (k, f"Played out, the step gives {answer.text()}.") for k in keys if k != right
        ),
        **common,  # type: ignore[arg-type]
    )


def predict_questions(
    scenarios: Iterable[Scenario], ids: Iterable[str] | None = None
) -> list[Question]:
    """Every checkpoint of every scenario as a question (only those in `ids` when given)."""
    wanted = set(ids) if ids is not None else None
    out = []
    for scenario in scenarios:
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
