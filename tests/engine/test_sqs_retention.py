"""Retention (case SQS-22): expired messages are deleted — not dead-lettered — and stop counting."""

from __future__ import annotations

import pytest

from studyaws.engine.errors import InvalidParameterValue


def test_sqs_22_expired_messages_are_deleted_and_stop_counting(sim) -> None:
    """Retention 60 s: at t=61 only the young message is returned and counted."""
    sim.queue(retention_s=60)
    sim.send("q", "old")
    sim.at(30)
    sim.send("q", "young")
    sim.at(61)
    assert sim.counts("q") == (1, 0, 0)
    assert sim.bodies("q", max_number_of_messages=10) == ["young"]
    assert [e.message_id for e in sim.events("MessageExpired")] == ["m1"]


def test_sqs_22_in_flight_message_expires_and_is_not_dead_lettered(sim) -> None:
    sim.queue("dlq")
    sim.queue(
        retention_s=60, visibility_timeout_s=600, dead_letter_queue="dlq", max_receive_count=1
    )
    sim.send("q", "m")
    sim.recv("q")
    sim.at(60)
    assert sim.counts("q") == (0, 0, 0)
    assert sim.counts("dlq") == (0, 0, 0)


def test_sqs_22_retention_range_and_default(sim) -> None:
    """60 s to 14 days; default 4 days."""
    for bad in (59, 1_209_601):
        with pytest.raises(InvalidParameterValue):
            sim.queue(retention_s=bad)
    sim.queue()
    assert sim.sqs.get_queue_attributes("q")["MessageRetentionPeriod"] == 345_600
    sim.send("q", "m")
    sim.at(345_599)
    assert sim.counts("q") == (1, 0, 0)
    sim.at(345_600)
    assert sim.counts("q") == (0, 0, 0)


def test_sqs_22_lowering_retention_affects_stored_messages(sim) -> None:
    sim.queue()
    sim.send("q", "m")
    sim.at(100)
    sim.sqs.set_queue_attributes("q", retention_s=60)
    assert sim.counts("q") == (0, 0, 0)
