"""A step's narration never claims what its events don't show.

`dlq` step 8 once said "the fixed worker handles the order and deletes it" while the step ran
only a receive: the learner was told of a delete that never happened, and m1 stayed in flight.
Each action a narration names (deletes, moves, invokes, retries, throttles, fails, sends,
receives, scales, rolls back, publishes) must have an event of its kind in the same step, unless
the narration denies it ("never deletes it", "without a NAT"). A receive that finds nothing logs
no event: its command shows it. A worker that "crashes" is the story's, played by not deleting.
"""

from __future__ import annotations

import re

import pytest

from studyaws.content.model import Scenario
from studyaws.engine import events as ev
from studyaws.engine.events import Event
from studyaws.scenarios.run import StepRun, run

# An action word → the events that show it happened.
ACTIONS: dict[str, tuple[type[Event], ...]] = {
    r"delet(e|es|ed|ing)": (
        ev.MessageDeleted,
        ev.BatchDeleted,
        ev.ConsumerProcessed,
        ev.ObjectRemoved,
        ev.QueueDeleted,
        ev.ScheduleDeleted,
    ),
    r"mov(e|es|ed|ing)": (ev.MessageMovedToDlq, ev.MessageRedriven),
    r"(invok(e|es|ed|ing)|triggers?)": (
        ev.FunctionInvoked,
        ev.BatchInvoked,
        ev.AsyncEventQueued,
        ev.InvocationThrottled,
    ),
    r"retr(y|ies|ied|ying)": (
        ev.AsyncRetryScheduled,
        ev.FunctionInvoked,
        ev.MessageReceived,
        ev.MessageSent,
        ev.DuplicateMessageAccepted,
    ),
    r"throttl(e|es|ed|ing)": (ev.InvocationThrottled,),
    r"(fail|fails|failed)": (
        ev.FunctionFailed,
        ev.ConsumerFailed,
        ev.BatchLeftForRetry,
        ev.NetworkCallTimedOut,
        ev.AsyncEventFinished,
        ev.DeploymentRolledBack,
    ),
    r"(send|sends|sent)": (
        ev.MessageSent,
        ev.MessagePublished,
        ev.NotificationDelivered,
        ev.S3EventSent,
        ev.DuplicateMessageAccepted,
        ev.MessageRedriven,
    ),
    r"(receiv(e|es|ed|ing)|polls?)": (
        ev.MessageReceived,
        ev.LongPollStarted,
        ev.LongPollEnded,
        ev.ShortPollSampled,
        ev.BatchInvoked,
        ev.MessageMovedToDlq,
    ),
    r"scal(e|es|ed|ing) (out|in|up|down)": (ev.GroupScaled, ev.PollersScaled),
    r"rolls? back": (ev.DeploymentRolledBack,),
    r"publish(es|ed)?": (ev.MessagePublished, ev.VersionPublished),
}
NEGATIONS = re.compile(r"\b(never|not|no|without|instead of|nor|n't|cannot|before)\b[^.;,]*$")


def claims(say: str) -> list[tuple[str, tuple[type[Event], ...]]]:
    """The actions the narration says happen in this step (a denied one is not claimed)."""
    found = []
    text = say.lower().replace("n't", " n't")
    for pattern, kinds in ACTIONS.items():
        for match in re.finditer(rf"\b{pattern}\b", text):
            before = text[max(0, match.start() - 40) : match.start()]
            if NEGATIONS.search(before):
                continue
            found.append((match.group(0), kinds))
            break
    return found


def unshown(step: StepRun) -> list[str]:
    assert step.step is not None
    failed = any(line.failed for line in step.lines)
    missing = []
    for word, kinds in claims(step.step.say):
        if any(isinstance(e, kinds) for e in step.events):
            continue
        if ev.MessageReceived in kinds and any(ln.command.name == "receive" for ln in step.lines):
            continue
        if failed and word.startswith(("fail", "crash")):
            continue  # a refused call (a 429, an error result) is a failure the step shows
        if any(line.result.get("status") == 429 for line in step.lines) and "thrott" in word:
            continue
        missing.append(word)
    return missing


def test_the_check_finds_a_claimed_delete_that_never_happens(
    scenarios: dict[str, Scenario],
) -> None:
    """The old `dlq` step 8: "handles the order and deletes it" with only a receive."""
    assert [w for w, _ in claims("The fixed worker polls, handles the order and deletes it.")] == [
        "deletes",
        "polls",
    ]
    assert [w for w, _ in claims("The worker receives it, crashes, and never deletes it.")] == [
        "receives"
    ]
    assert "deletes" not in [w for w, _ in claims("It never deletes it.")]


@pytest.mark.parametrize(
    "name",
    [
        "alb",
        "asg",
        "canary",
        "cold-start",
        "dedup",
        "delay",
        "dlq",
        "esm-filter",
        "extended-client",
        "fanout",
        "fifo",
        "lambda-async",
        "lambda-sqs",
        "long-polling",
        "max-concurrency",
        "partial-batch",
        "recursion",
        "s3-events",
        "schedule",
        "sns-replay",
        "throttling",
        "visibility",
        "vpc",
    ],
)
def test_every_step_shows_what_its_narration_claims(
    name: str, scenarios: dict[str, Scenario]
) -> None:
    timeline = run(scenarios[name])
    problems = {
        f"step {step.number}: {step.step.say if step.step else ''} → no event for {words}"
        for step in timeline.steps
        if (words := unshown(step))
    }
    assert not problems


def test_every_bundled_scenario_is_checked(scenarios: dict[str, Scenario]) -> None:
    assert len(scenarios) == 23
