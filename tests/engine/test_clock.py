"""The virtual clock: integer milliseconds, a documented order at the same instant, cancellation."""

from __future__ import annotations

import pytest

from studyaws.engine.clock import ACTOR, DELIVERY, STATE, Clock


def test_same_instant_runs_by_priority_then_schedule_order() -> None:
    """At one instant: state changes, then long-poll deliveries, then actors; ties by seq."""
    clock = Clock()
    seen: list[str] = []
    clock.schedule(1000, ACTOR, seen.append, "actor")
    clock.schedule(1000, DELIVERY, seen.append, "delivery")
    clock.schedule(1000, STATE, seen.append, "state-1")
    clock.schedule(1000, STATE, seen.append, "state-2")
    clock.schedule(999, ACTOR, seen.append, "earlier")
    clock.run(1000)
    assert seen == ["earlier", "state-1", "state-2", "delivery", "actor"]


def test_timer_scheduled_for_now_runs_in_the_same_instant() -> None:
    clock = Clock()
    seen: list[str] = []

    def first(_: object) -> None:
        seen.append("first")
        clock.schedule(clock.now_ms, STATE, seen.append, "late-but-same-instant")

    clock.schedule(500, ACTOR, first)
    clock.schedule(501, STATE, seen.append, "next-ms")
    clock.run(500)
    assert seen == ["first", "late-but-same-instant"]
    assert clock.now_ms == 500


def test_run_until_includes_the_boundary() -> None:
    """Boundary convention: a deadline d is reached when now >= d."""
    clock = Clock()
    seen: list[int] = []
    clock.schedule(30_000, STATE, seen.append, 1)
    clock.run(29_999)
    assert seen == []
    clock.run(30_000)
    assert seen == [1]


def test_cancelled_timers_never_run_and_are_compacted() -> None:
    clock = Clock()
    seen: list[int] = []
    timers = [clock.schedule(i, STATE, seen.append, i) for i in range(5000)]
    for timer in timers[:4000]:
        clock.cancel(timer)
    assert len(clock._heap) < 5000  # compacted once most entries were cancelled
    assert len(clock) == 1000
    clock.run(10_000)
    assert seen == list(range(4000, 5000))


def test_cannot_run_backwards() -> None:
    clock = Clock()
    clock.run(10)
    with pytest.raises(ValueError, match="back in time"):
        clock.run(5)


def test_step_and_peek() -> None:
    clock = Clock()
    assert clock.peek() is None
    assert clock.step() is False
    clock.schedule(7, STATE, lambda _: None)
    assert clock.peek() == 7
    assert clock.step() is True
    assert clock.now_ms == 7
