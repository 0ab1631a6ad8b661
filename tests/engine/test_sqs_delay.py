"""Delay queues and message timers (cases SQS-17..21)."""

from __future__ import annotations

import pytest

from studyaws.engine.errors import InvalidParameterValue


def test_sqs_17_queue_delay_hides_new_messages(sim) -> None:
    """DelaySeconds=10: at t=5 the message is Delayed (neither visible nor in flight), at 11 it
    is received with RC=1."""
    sim.queue(delay_s=10)
    sim.send("q", "a")
    sim.at(5)
    assert sim.recv("q") == []
    assert sim.counts("q") == (0, 0, 1)
    sim.at(11)
    [r] = sim.recv("q")
    assert (r.body, r.receive_count) == ("a", 1)


def test_sqs_17_delay_maximum_is_900s(sim) -> None:
    with pytest.raises(InvalidParameterValue):
        sim.queue(delay_s=901)
    sim.queue(delay_s=900)
    with pytest.raises(InvalidParameterValue):
        sim.send("q", "x", delay_s=901)


def test_sqs_18_message_timer_overrides_queue_delay_even_zero(sim) -> None:
    """A per-message DelaySeconds, including 0, overrides the queue's delay."""
    sim.queue(delay_s=10)
    sim.send("q", "t0", delay_s=0)
    sim.send("q", "t20", delay_s=20)
    sim.send("q", "default")
    assert sim.bodies("q", max_number_of_messages=10) == ["t0"]
    sim.at(11)
    assert sim.bodies("q", max_number_of_messages=10) == ["default"]
    sim.at(21)
    assert sim.bodies("q", max_number_of_messages=10) == ["t20"]


def test_sqs_19_standard_delay_change_is_not_retroactive(sim) -> None:
    """Standard: lowering DelaySeconds does not affect messages already delayed."""
    sim.queue(delay_s=60)
    sim.send("q", "m")
    sim.at(1)
    sim.sqs.set_queue_attributes("q", delay_s=0)
    sim.at(2)
    assert sim.recv("q") == []
    sim.at(60)
    assert sim.bodies("q") == ["m"]


def test_sqs_20_fifo_rejects_per_message_timers(sim) -> None:
    """FIFO: DelaySeconds=5 on a send is InvalidParameterValue; an explicit 0 is accepted and the
    queue delay still applies."""
    sim.queue("q.fifo", fifo=True, delay_s=60, content_based_dedup=True)
    with pytest.raises(InvalidParameterValue):
        sim.send("q.fifo", "x", group="g", delay_s=5)
    sim.send("q.fifo", "y", group="g", delay_s=0)
    assert sim.counts("q.fifo") == (0, 0, 1)
    sim.at(59)
    assert sim.recv("q.fifo") == []
    sim.at(60)
    assert sim.bodies("q.fifo") == ["y"]


def test_sqs_21_fifo_delay_change_is_retroactive(sim) -> None:
    """FIFO: lowering the queue delay applies to messages already waiting."""
    sim.queue("q.fifo", fifo=True, delay_s=60, content_based_dedup=True)
    sim.send("q.fifo", "m", group="g")
    sim.at(1)
    sim.sqs.set_queue_attributes("q.fifo", delay_s=0)
    sim.at(2)
    assert sim.bodies("q.fifo") == ["m"]


def test_sqs_21_fifo_delay_raise_is_retroactive_for_waiting_messages(sim) -> None:
    sim.queue("q.fifo", fifo=True, delay_s=10, content_based_dedup=True)
    sim.send("q.fifo", "m", group="g")
    sim.sqs.set_queue_attributes("q.fifo", delay_s=30)
    sim.at(11)
    assert sim.recv("q.fifo") == []
    sim.at(30)
    assert sim.bodies("q.fifo") == ["m"]
