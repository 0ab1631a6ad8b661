"""EventBridge schedules (issue 15, item 6, and issue 12's Scheduler rate start): EventBridge
Scheduler schedules and EventBridge rules, each as AWS documents it; the cron wildcards L, W and #;
one-time `at()` schedules; FIFO queue targets.

Virtual time 0 is 2025-01-01T00:00:00Z, a Wednesday.
"""

from __future__ import annotations

import datetime as dt

import pytest

from studyaws.engine.errors import ValidationException
from studyaws.engine.targets import EPOCH


def _fired_at(sim, name: str) -> list[dt.datetime]:
    return [
        EPOCH + dt.timedelta(milliseconds=e.at_ms)
        for e in sim.events("ScheduleFired")
        if e.resource == name
    ]


@pytest.fixture
def world(sim):
    sim.queue("ticks")
    return sim


def test_a_scheduler_rate_schedule_without_a_start_date_runs_at_once(world) -> None:
    """Scheduler, schedule types: "If you do not provide a StartDate for a rate-based schedule,
    your schedule starts invoking the target immediately."
    (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html) rate(2 minutes)
    created at t=0 runs at 0, 2, 4, 6 and 8 minutes: five runs in nine minutes."""
    first = world.world.schedules.create_schedule("s", "rate(2 minutes)", "ticks")
    assert first == 0
    world.at(9 * 60)
    assert [t.minute for t in _fired_at(world, "s")] == [0, 2, 4, 6, 8]


def test_a_rule_rate_counts_its_first_period_from_creation(world) -> None:
    """Rules, schedule expressions: "A rate expression starts when you create the scheduled event
    rule, and then it runs on a defined schedule."
    (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html)
    Whether the first run is at creation the page does not say; the engine starts the period
    at creation (docs/fidelity.md): runs at 2, 4, 6 and 8 minutes."""
    first = world.world.schedules.create_schedule("r", "rate(2 minutes)", "ticks", kind="rule")
    assert first == 120_000
    world.at(9 * 60)
    assert [t.minute for t in _fired_at(world, "r")] == [2, 4, 6, 8]


def test_a_rule_sends_a_scheduled_event_of_eventbridge(world) -> None:
    """A scheduled rule's event comes from "aws.events" and names the rule; a Scheduler
    schedule's from "aws.scheduler"."""
    import json

    world.world.schedules.create_schedule("r", "rate(1 minute)", "ticks", kind="rule")
    world.at(60)
    event = json.loads(world.recv("ticks")[0].body)
    assert event["source"] == "aws.events"
    assert event["resources"] == ["arn:aws:events:us-east-1:123456789012:rule/r"]


@pytest.mark.parametrize(
    ("expression", "first_runs"),
    [
        # "The L wildcard in the Day-of-month or Day-of-week fields specifies the last day of the
        # month or week."
        ("cron(0 12 L * ? *)", ["2025-01-31 12:00", "2025-02-28 12:00", "2025-03-31 12:00"]),
        # "The W wildcard in the Day-of-month field specifies a weekday. In the Day-of-month
        # field, 3W specifies the weekday closest to the third day of the month." 15 Feb 2025 is a
        # Saturday (→ Friday 14), 15 Mar a Saturday (→ 14), 15 Jan a Wednesday.
        ("cron(0 9 15W * ? *)", ["2025-01-15 09:00", "2025-02-14 09:00", "2025-03-14 09:00"]),
        # "#" in the Day-of-week field: 6#3 is the third Friday of the month.
        ("cron(0 8 ? * 6#3 *)", ["2025-01-17 08:00", "2025-02-21 08:00", "2025-03-21 08:00"]),
        # "L" after a day of the week: 6L is the last Friday of the month.
        ("cron(15 10 ? * 6L *)", ["2025-01-31 10:15", "2025-02-28 10:15", "2025-03-28 10:15"]),
        # "L" alone in the Day-of-week field: the last day of the week, Saturday.
        ("cron(0 0 ? * L *)", ["2025-01-04 00:00", "2025-01-11 00:00", "2025-01-18 00:00"]),
    ],
)
def test_cron_wildcards_l_w_and_hash(world, expression: str, first_runs: list[str]) -> None:
    """The wildcards of the cron reference (https://docs.aws.amazon.com/eventbridge/latest/
    userguide/eb-cron-expressions.html): Day-of-month takes ", - * ? / L W", Day-of-week
    ", - * ? L #"."""
    world.world.schedules.create_schedule("c", expression, "ticks")
    world.at(90 * 86400)
    assert [t.strftime("%Y-%m-%d %H:%M") for t in _fired_at(world, "c")[:3]] == first_runs


@pytest.mark.parametrize(
    "expression",
    [
        "cron(0 12 ? * 1/2 *)",
        "cron(0 12 L,5 * ? *)",
        "cron(0 12 ? * 8#1 *)",
        "cron(0 12 ? * 6#6 *)",
    ],
)
def test_wildcards_outside_their_fields_are_refused(world, expression: str) -> None:
    """The same table: no "/" in Day-of-week, L and W alone in Day-of-month, # on a day 1-7."""
    with pytest.raises(ValidationException):
        world.world.schedules.create_schedule("c", expression, "ticks")


def test_a_one_time_schedule_runs_once(world) -> None:
    """CreateSchedule, ScheduleExpression: "at expression - at(yyyy-mm-ddThh:mm:ss)"; "You can use
    at expressions to create one-time schedules that invoke a target once, at the time and in the
    time zone, that you specify."
    (https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/scheduler/aws.sdk.kotlin.services.scheduler.model/-get-schedule-response/schedule-expression.html)"""
    first = world.world.schedules.create_schedule("once", "at(2025-01-01T00:10:00)", "ticks")
    assert first == 600_000
    world.at(86400)
    assert [t.strftime("%H:%M") for t in _fired_at(world, "once")] == ["00:10"]
    assert world.world.snapshot()["schedules"]["once"]["next_at"] is None


def test_a_rule_takes_no_at_expression(world) -> None:
    """at() is a Scheduler expression; a rule's ScheduleExpression is rate() or cron()
    (eb-scheduled-rule-pattern.html)."""
    with pytest.raises(ValidationException):
        world.world.schedules.create_schedule(
            "once", "at(2025-01-01T00:10:00)", "ticks", kind="rule"
        )


def test_a_fifo_queue_target_needs_content_based_deduplication(sim) -> None:
    """Scheduler SqsParameters: "If you specify an Amazon SQS FIFO queue as a target, the queue
    must have content-based deduplication enabled."
    (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_SqsParameters.html)"""
    sim.queue("plain.fifo", fifo=True)
    sim.queue("hashed.fifo", fifo=True, content_based_dedup=True)
    with pytest.raises(ValidationException, match="content-based deduplication"):
        sim.world.schedules.create_schedule("s", "rate(1 minute)", "plain.fifo")
    sim.world.schedules.create_schedule("s", "rate(1 minute)", "hashed.fifo")
    sim.at(120)
    assert [r.group for r in sim.recv("hashed.fifo", max_number_of_messages=10)] == ["s"] * 3


@pytest.mark.parametrize("name", ["has space", "x" * 65, "slash/name"])
def test_schedule_names_are_1_to_64_of_letters_digits_and_dot_dash_underscore(sim, name) -> None:
    """A schedule's name (CreateSchedule, and PutRule for a rule) is 1 to 64 letters, digits,
    periods, hyphens and underscores (the API references' length and pattern for Name:
    API_CreateSchedule.html, API_PutRule.html)."""
    sim.queue("ticks")
    with pytest.raises(ValidationException, match="name"):
        sim.world.schedules.create_schedule(name, "rate(1 minute)", "ticks")
