"""Scale-in of an Auto Scaling group of queue consumers: terminated mid-message, unless a
termination lifecycle hook lets the instance finish."""

from __future__ import annotations

import pytest


def _group(sim, *, hook: bool) -> None:
    sim.queue("work", visibility_timeout_s=120)
    sim.world.consumers.start_consumers("work", 2, process_s=90, max_messages=1)
    sim.world.autoscaling.autoscale(
        "work",
        min_size=1,
        max_size=2,
        backlog_per_instance=5,
        cooldown_s=0,
        lifecycle_hook=hook,
    )
    sim.send("work", "job1")
    sim.send("work", "job2")


def test_scale_in_terminates_an_instance_in_the_middle_of_a_message(sim) -> None:
    """ "By default, it's possible that Amazon EC2 Auto Scaling might terminate an instance that
    is 2.9 hours into processing a 3-hour long job, rather than an instance that's currently
    idle." (https://docs.aws.amazon.com/autoscaling/ec2/userguide/gracefully-handle-instance-termination.html)
    The message is never deleted: it comes back after its visibility timeout and is processed
    again from the start."""
    _group(sim, hook=False)
    sim.at(60)
    [terminated] = sim.events("ConsumerTerminated")
    assert (terminated.at_ms, terminated.abandoned) == (60_000, ("m2",))
    sim.at(300)
    [expired] = sim.events("VisibilityTimeoutExpired")
    assert (expired.message_id, expired.at_ms) == ("m2", 120_000)
    processed = [(e.message_id, e.at_ms) for e in sim.events("ConsumerProcessed")]
    assert processed == [("m1", 90_000), ("m2", 210_000)]


def test_a_termination_lifecycle_hook_lets_the_instance_finish_first(sim) -> None:
    """ "A termination lifecycle hook extends the life of your Amazon EC2 instance that's already
    selected for termination. It provides extra time to complete in-progress work currently
    assigned to the instance" (gracefully-handle-instance-termination)."""
    _group(sim, hook=True)
    sim.at(300)
    assert sim.events("ConsumerTerminated") == []
    [stopped] = sim.events("ConsumerStopped")
    assert stopped.at_ms == 90_000
    assert sim.events("VisibilityTimeoutExpired") == []
    assert sorted(e.message_id for e in sim.events("ConsumerProcessed")) == ["m1", "m2"]


@pytest.mark.parametrize("hook", [False, True])
def test_scale_in_still_reaches_the_groups_size(sim, hook: bool) -> None:
    """Either way the group scales in to the size target tracking asks for (sqs_asg_scaling)."""
    _group(sim, hook=hook)
    sim.at(300)
    assert sim.world.consumers.running("work") == 1
