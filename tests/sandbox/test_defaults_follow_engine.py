"""Every default is the engine's one constant: the sandbox and the scenarios follow it.

Each AWS default (a queue's 30-second visibility timeout, 4-day retention, no delay, short polling,
one message a receive; a function's 3-second timeout, 128 MB, two async retries and six-hour event
age; a mapping's batch of 10 and no batching window) is set here to another value in the engine
only. A sandbox line that leaves the setting out, and a bundled scenario that does, must then show
the new value: a copy of a default anywhere outside the engine makes this test fail.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest

from studyaws.content.loader import load_course
from studyaws.engine import autoscaling, esm, sqs
from studyaws.engine.lambda_ import config as lambda_config
from studyaws.sandbox import Session
from studyaws.scenarios.run import run

Snapshot = Mapping[str, Any]


@dataclass(frozen=True)
class Default:
    module: ModuleType
    name: str
    other: int
    lines: tuple[str, ...]  # sandbox lines that leave the setting out (on a resource "q"/"f")
    read: Callable[[Snapshot, str], object]  # the setting of a resource, from `world.snapshot()`
    scenario: tuple[str, str] | None = None  # a bundled scenario leaving it out, and its resource


def _queue(attribute: str) -> Callable[[Snapshot, str], object]:
    return lambda snap, name: snap["queues"][name]["attributes"][attribute]


def _function(*keys: str) -> Callable[[Snapshot, str], object]:
    def read(snap: Snapshot, name: str) -> object:
        value: Any = snap["functions"][name]
        for key in keys:
            value = value[key]
        return value

    return read


_FUNCTION = ("create-function f",)
_MAPPING = ("create-queue q", "create-function f", "map q f")

DEFAULTS = [
    Default(
        sqs,
        "VISIBILITY_DEFAULT_S",
        45,
        ("create-queue q",),
        _queue("VisibilityTimeout"),
        ("long-polling", "tasks"),
    ),
    Default(
        sqs,
        "RETENTION_DEFAULT_S",
        7200,
        ("create-queue q",),
        _queue("MessageRetentionPeriod"),
        ("long-polling", "tasks"),
    ),
    Default(
        sqs,
        "DELAY_DEFAULT_S",
        5,
        ("create-queue q",),
        _queue("DelaySeconds"),
        ("long-polling", "tasks"),
    ),
    Default(
        sqs,
        "WAIT_DEFAULT_S",
        3,
        ("create-queue q",),
        _queue("ReceiveMessageWaitTimeSeconds"),
        ("long-polling", "tasks"),
    ),
    Default(
        lambda_config,
        "TIMEOUT_DEFAULT_S",
        7,
        _FUNCTION,
        _function("configuration", "timeout_s"),
        ("canary", "pay"),
    ),
    Default(
        lambda_config,
        "MEMORY_DEFAULT_MB",
        256,
        _FUNCTION,
        _function("configuration", "memory_mb"),
        ("canary", "pay"),
    ),
    Default(
        lambda_config,
        "DEFAULT_DURATION_MS",
        1500,
        _FUNCTION,
        _function("configuration", "duration_ms"),
        ("canary", "pay"),
    ),
    Default(
        lambda_config, "RETRIES_DEFAULT", 1, _FUNCTION, _function("retries"), ("canary", "pay")
    ),
    Default(
        lambda_config,
        "EVENT_AGE_DEFAULT_S",
        3600,
        _FUNCTION,
        _function("max_event_age"),
        ("canary", "pay"),
    ),
    Default(
        esm, "BATCH_DEFAULT", 5, _MAPPING, lambda snap, _: snap["mappings"]["esm1"]["batch_size"]
    ),
    Default(
        esm,
        "WINDOW_DEFAULT_S",
        2,
        _MAPPING,
        lambda snap, _: snap["mappings"]["esm1"]["window"],
        ("lambda-sqs", "esm1"),
    ),
    Default(
        autoscaling,
        "COOLDOWN_DEFAULT_S",
        120,
        ("create-queue q", "autoscale q --min 1 --max 2 --backlog-per-instance 5"),
        lambda snap, name: snap["groups"][name]["cooldown"],
    ),
]


def _session_snapshot(lines: tuple[str, ...]) -> Snapshot:
    session = Session(seed=1)
    for line in lines:
        outcome = session.execute(line)
        assert outcome is not None
        assert outcome.result["ok"], outcome.result
    return session.world.snapshot()


def _final_snapshot(scenario_id: str) -> Snapshot:
    timeline = run(load_course().scenarios[scenario_id], strict=False)
    last = timeline.steps[-1] if timeline.steps else timeline.setup
    return last.after


@pytest.mark.parametrize("default", DEFAULTS, ids=[d.name for d in DEFAULTS])
def test_sandbox_and_scenarios_take_the_engines_default(
    default: Default, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A setting left out takes the engine's default, whatever that default is."""
    sandbox = default.lines[-1].split()[1]  # the resource the last line sets up
    assert default.read(_session_snapshot(default.lines), sandbox) == getattr(
        default.module, default.name
    )
    monkeypatch.setattr(default.module, default.name, default.other)
    assert default.read(_session_snapshot(default.lines), sandbox) == default.other
    if default.scenario is not None:
        scenario, resource = default.scenario
        assert default.read(_final_snapshot(scenario), resource) == default.other


def test_a_receive_takes_the_engines_default_number_of_messages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ReceiveMessage without MaxNumberOfMessages returns at most the default (1) message."""
    monkeypatch.setattr(sqs, "RECEIVE_DEFAULT", 2)
    session = Session(seed=1)
    for line in ("create-queue q", "send q a", "send q b", "send q c"):
        session.execute(line)
    outcome = session.execute("receive q")
    assert outcome is not None
    assert [m["body"] for m in outcome.result["messages"]] == ["a", "b"]
