"""Bounds of the simulation itself (not AWS limits): a command cannot ask for unbounded work."""

from __future__ import annotations

import pytest

from studyaws.engine.consumers import MAX_CONSUMERS
from studyaws.engine.errors import InvalidParameterValue, ValidationException


def test_consumers_are_capped_per_queue(sim) -> None:
    """`start-consumers q --count 100000000` used to build 10^8 polling actors (minutes, GBs).
    The simulation allows MAX_CONSUMERS per queue; a bigger request is rejected and changes
    nothing, and so is an Auto Scaling group that could grow past it."""
    sim.queue("q")
    consumers = sim.world.consumers
    before = len(sim.world.events())
    with pytest.raises(InvalidParameterValue, match=f"At most {MAX_CONSUMERS}"):
        consumers.start_consumers("q", 100_000_000)
    assert len(sim.world.events()) == before
    assert len(consumers.start_consumers("q", MAX_CONSUMERS)) == MAX_CONSUMERS
    with pytest.raises(InvalidParameterValue):
        consumers.start_consumers("q", 1)
    sim.queue("w")
    with pytest.raises(ValidationException, match="MaxSize"):
        sim.world.autoscaling.autoscale(
            "w", min_size=1, max_size=MAX_CONSUMERS + 1, backlog_per_instance=5
        )
