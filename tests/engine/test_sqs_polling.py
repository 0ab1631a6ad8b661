"""Short and long polling (cases SQS-23..25)."""

from __future__ import annotations

import pytest

from studyaws.engine.clock import ACTOR
from studyaws.engine.errors import InvalidParameterValue


def test_sqs_23_max_number_of_messages_is_1_to_10_default_1(sim) -> None:
    sim.queue()
    for i in range(5):
        sim.send("q", f"m{i}")
    assert len(sim.recv("q")) == 1
    assert len(sim.recv("q", max_number_of_messages=10)) == 4
    for bad in (0, 11):
        with pytest.raises(InvalidParameterValue, match="MaxNumberOfMessages"):
            sim.recv("q", max_number_of_messages=bad)


def test_sqs_24_long_poll_returns_as_soon_as_a_message_is_sent(sim) -> None:
    """A 20 s long poll on an empty queue returns at t=5 when a message is sent then."""
    sim.queue()
    sim.world.clock.schedule(5000, ACTOR, lambda _: sim.send("q", "m"))
    got = sim.recv("q", wait_time_s=20, max_number_of_messages=10)
    assert [r.body for r in got] == ["m"]
    assert sim.world.now_ms == 5000


def test_sqs_24_long_poll_without_messages_waits_the_full_time(sim) -> None:
    sim.queue()
    assert sim.recv("q", wait_time_s=20) == []
    assert sim.world.now_ms == 20_000
    with pytest.raises(InvalidParameterValue, match="WaitTimeSeconds"):
        sim.recv("q", wait_time_s=21)


def test_sqs_24_queue_wait_time_applies_and_explicit_zero_short_polls(sim) -> None:
    sim.queue(wait_s=10)
    assert sim.recv("q") == []
    assert sim.world.now_ms == 10_000
    assert sim.recv("q", wait_time_s=0) == []
    assert sim.world.now_ms == 10_000


def test_sqs_25_long_poll_is_woken_by_a_delay_ending(sim) -> None:
    """Timers wake long polls too: a delayed message visible at t=7 ends a poll started at 0."""
    sim.queue(delay_s=7)
    sim.send("q", "m")
    assert sim.bodies("q", wait_time_s=20) == ["m"]
    assert sim.world.now_ms == 7000


def test_sqs_25_long_poll_is_woken_by_a_visibility_timeout(sim) -> None:
    sim.queue(visibility_timeout_s=12)
    sim.send("q", "m")
    sim.recv("q")
    [r] = sim.recv("q", wait_time_s=20)
    assert (r.receipt, sim.world.now_ms) == ("m1#2", 12_000)


def test_begin_receive_calls_back_when_the_poll_ends(sim) -> None:
    """The asynchronous form used by simulated consumers (part 2)."""
    sim.queue()
    got: list[list[str]] = []
    sim.sqs.begin_receive("q", lambda rs: got.append([r.body for r in rs]), wait_time_s=20)
    sim.at(3)
    sim.send("q", "m")
    sim.at(3)
    assert got == [["m"]]
    sim.sqs.begin_receive("q", lambda rs: got.append([r.body for r in rs]), wait_time_s=5)
    sim.at(8)
    assert got == [["m"], []]


def test_a_long_poll_hides_its_messages_for_the_queues_timeout_when_it_returns(sim) -> None:
    """ "If you do not specify a VisibilityTimeout in the request, the overall visibility timeout
    for the queue is used for the returned messages" (ReceiveMessageRequest): a long poll waiting
    across a SetQueueAttributes hides the message it returns for the new value, while a request
    that named its own VisibilityTimeout keeps it."""
    sim.queue("q", visibility_timeout_s=30)
    sim.queue("own", visibility_timeout_s=30)
    got: list = []
    sim.sqs.begin_receive("q", got.extend, wait_time_s=20)
    sim.sqs.begin_receive("own", got.extend, wait_time_s=20, visibility_timeout_s=40)
    sim.at(1)
    sim.sqs.set_queue_attributes("q", visibility_timeout_s=5)
    sim.sqs.set_queue_attributes("own", visibility_timeout_s=5)
    sim.at(2)
    sim.send("q", "a")
    sim.send("own", "b")
    sim.at(3)
    assert [(r.body, r.visible_at_ms) for r in got] == [("a", 7_000), ("b", 42_000)]
    sim.at(7)
    assert sim.counts("q") == (1, 0, 0)
