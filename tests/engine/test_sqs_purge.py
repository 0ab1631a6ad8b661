"""PurgeQueue (case SQS-26)."""

from __future__ import annotations

import pytest

from studyaws.engine.errors import PurgeQueueInProgress


def test_sqs_26_purge_deletes_everything_including_in_flight(sim) -> None:
    """Two messages, one in flight: after the purge nothing comes back."""
    sim.queue()
    sim.send("q", "a")
    sim.send("q", "b")
    sim.recv("q")
    sim.sqs.purge_queue("q")
    assert sim.counts("q") == (0, 0, 0)
    sim.at(61)
    assert sim.recv("q") == []


def test_sqs_26_one_purge_per_60_seconds(sim) -> None:
    """A purge at 0, another at 61 is fine, one more at 71 is PurgeQueueInProgress."""
    sim.queue()
    sim.sqs.purge_queue("q")
    sim.at(61)
    sim.sqs.purge_queue("q")
    sim.at(71)
    with pytest.raises(PurgeQueueInProgress):
        sim.sqs.purge_queue("q")


def test_sqs_26_messages_sent_after_the_purge_are_kept(sim) -> None:
    sim.queue()
    sim.send("q", "before")
    sim.sqs.purge_queue("q")
    sim.send("q", "after")
    assert sim.bodies("q") == ["after"]
