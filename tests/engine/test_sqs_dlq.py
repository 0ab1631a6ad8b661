"""Dead-letter queues: the lazy move, what moves, retention per type, checks, redrive back."""

from __future__ import annotations

import pytest

from studyaws.engine.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    UnsupportedOperation,
)


def _pair(sim, max_receives=2, **kwargs) -> None:
    sim.queue("dlq", **kwargs.get("dlq", {}))
    sim.queue(
        "src", dead_letter_queue="dlq", max_receive_count=max_receives, **kwargs.get("src", {})
    )


def test_sqs_10_moves_to_dlq_on_receive_after_max_receives(sim) -> None:
    """With maxReceiveCount 2 the message is delivered exactly twice; the third receive attempt
    moves it (and does not return it). No poll, no move: it stays visible on the source."""
    _pair(sim)
    sim.send("src", "m")
    assert sim.recv("src")[0].receive_count == 1
    sim.at(31)
    assert sim.recv("src")[0].receive_count == 2
    sim.at(62)
    assert sim.counts("dlq") == (0, 0, 0)
    assert sim.counts("src") == (1, 0, 0)  # lazy: still visible on the source
    sim.at(600)
    assert sim.counts("dlq") == (0, 0, 0)
    assert sim.recv("src") == []
    assert sim.counts("dlq") == (1, 0, 0)
    assert sim.counts("src") == (0, 0, 0)
    [moved] = sim.events("MessageMovedToDlq")
    assert (moved.at_ms, moved.cause, moved.dlq) == (600_000, "sqs_max_receive_count", "dlq")


def test_sqs_10_max_receive_count_range_is_1_to_1000(sim) -> None:
    sim.queue("dlq")
    for bad in (0, 1001):
        with pytest.raises(InvalidParameterValue, match="maxReceiveCount"):
            sim.queue("src", dead_letter_queue="dlq", max_receive_count=bad)
    sim.queue("src", dead_letter_queue="dlq", max_receive_count=1000)


def test_sqs_11_message_in_dlq_keeps_id_body_attributes_and_count(sim) -> None:
    """Same MessageId, body and attributes; RC carries on across queues (3 here); the source
    queue is recorded (DeadLetterQueueSourceArn)."""
    _pair(sim)
    sim.send("src", "m", attributes={"k": "v"})
    sim.recv("src")
    sim.at(31)
    sim.recv("src")
    sim.at(62)
    sim.recv("src")
    [r] = sim.recv("dlq")
    assert (r.message_id, r.body, r.attributes) == ("m1", "m", (("k", "v"),))
    assert r.receive_count == 3
    assert r.dead_letter_source == "src"


def test_sqs_12_standard_dlq_keeps_original_enqueue_time(sim) -> None:
    """Standard: expiry uses the original enqueue timestamp, so a message can expire in the DLQ
    sooner than the DLQ's own retention suggests."""
    _pair(sim, max_receives=1, dlq={"retention_s": 120})
    sim.send("src", "m")
    sim.recv("src")
    sim.at(100)
    sim.recv("src")  # moves at t=100; enqueued at 0, DLQ retention 120 ⇒ expires at 120
    assert sim.counts("dlq") == (1, 0, 0)
    sim.at(119)
    assert sim.counts("dlq") == (1, 0, 0)
    sim.at(120)
    assert sim.counts("dlq") == (0, 0, 0)
    assert [e.resource for e in sim.events("MessageExpired")] == ["dlq"]


def test_sqs_13_fifo_dlq_resets_enqueue_time(sim) -> None:
    """FIFO: the enqueue timestamp resets on the move; moved at 40 with DLQ retention 60, the
    message is still there at 65 and gone at 100."""
    sim.queue("dlq.fifo", fifo=True, retention_s=60)
    sim.queue(
        "src.fifo",
        fifo=True,
        retention_s=600,
        content_based_dedup=True,
        dead_letter_queue="dlq.fifo",
        max_receive_count=1,
    )
    sim.send("src.fifo", "m", group="g")
    sim.recv("src.fifo")
    sim.at(40)
    assert sim.recv("src.fifo") == []
    sim.at(65)
    assert sim.bodies("dlq.fifo", visibility_timeout_s=0) == ["m"]
    sim.at(99)
    assert sim.counts("dlq.fifo") == (1, 0, 0)
    sim.at(100)
    assert sim.counts("dlq.fifo") == (0, 0, 0)


def test_sqs_14_dlq_must_exist_and_match_type(sim) -> None:
    """A FIFO source needs a FIFO DLQ and vice versa; a missing DLQ is an error; SQS never
    creates it. Rejected at CreateQueue and at SetQueueAttributes."""
    sim.queue("std")
    sim.queue("f.fifo", fifo=True)
    with pytest.raises(InvalidParameterCombination):
        sim.queue("src.fifo", fifo=True, dead_letter_queue="std", max_receive_count=3)
    with pytest.raises(InvalidParameterCombination):
        sim.queue("src", dead_letter_queue="f.fifo", max_receive_count=3)
    with pytest.raises(InvalidParameterValue, match="does not exist"):
        sim.queue("src", dead_letter_queue="nope", max_receive_count=3)
    assert sim.sqs.list_queues() == ["std", "f.fifo"]
    sim.queue("src")
    with pytest.raises(InvalidParameterCombination):
        sim.sqs.set_queue_attributes("src", dead_letter_queue="f.fifo", max_receive_count=3)


def test_sqs_15_max_receive_count_1_dead_letters_an_unprocessed_message(sim) -> None:
    """With maxReceiveCount 1, one receive whose response was lost is enough: the next receive
    after the timeout moves the message, though no consumer ever processed it."""
    _pair(sim, max_receives=1)
    sim.send("src", "m")
    sim.recv("src")  # the response is "lost": nobody processes it
    sim.at(31)
    assert sim.recv("src") == []
    assert sim.counts("dlq") == (1, 0, 0)


def _dead_letter_three(sim) -> None:
    _pair(sim, max_receives=1)
    for body in ("a", "b", "c"):
        sim.send("src", body)
    sim.recv("src", max_number_of_messages=10)
    sim.at(31)
    assert sim.recv("src", max_number_of_messages=10) == []
    assert sim.counts("dlq") == (3, 0, 0)


def test_sqs_16_move_task_redrives_dlq_back_to_source(sim) -> None:
    """StartMessageMoveTask with no destination sends the messages back to their source queue."""
    _dead_letter_three(sim)
    sim.sqs.start_message_move_task("dlq")
    assert sim.counts("dlq") == (0, 0, 0)
    assert sim.counts("src") == (3, 0, 0)
    got = sim.recv("src", max_number_of_messages=10)
    assert [r.body for r in got] == ["a", "b", "c"]
    assert [r.receive_count for r in got] == [1, 1, 1]  # reset (unverified, see fidelity.md)
    assert [r.receipt for r in got] == ["m1#2", "m2#2", "m3#2"]


def test_sqs_16_move_task_rate_and_one_task_per_queue(sim) -> None:
    """At MaxNumberOfMessagesPerSecond=1 the three messages take three steps; a second task on
    the same DLQ while one runs is rejected."""
    _dead_letter_three(sim)
    sim.sqs.start_message_move_task("dlq", max_per_second=1)
    assert sim.counts("src") == (1, 0, 0)
    with pytest.raises(UnsupportedOperation):
        sim.sqs.start_message_move_task("dlq")
    sim.at(32)
    assert sim.counts("src") == (2, 0, 0)
    sim.at(33)
    assert sim.counts("src") == (3, 0, 0)
    assert len(sim.events("MessageMoveTaskCompleted")) == 1
    sim.sqs.start_message_move_task("dlq")  # the first one has finished


def test_sqs_16_only_dlqs_can_be_sources_and_custom_destination(sim) -> None:
    _dead_letter_three(sim)
    with pytest.raises(InvalidParameterValue, match="Dead Letter Queue"):
        sim.sqs.start_message_move_task("src")
    sim.queue("other")
    sim.sqs.start_message_move_task("dlq", destination="other")
    assert sim.counts("other") == (3, 0, 0)


def test_a_deleted_dlq_keeps_the_message_in_its_queue(sim) -> None:
    """A redrive policy whose DLQ was deleted loses nothing. AWS documents no outcome for this
    (the DeleteQueue and dead-letter queue pages are silent; docs/fidelity.md, "A DLQ that was
    deleted"), so the engine keeps the message in its source queue: past maxReceiveCount it is
    received again, its receive count going on, instead of vanishing."""
    sim.queue("dlq")
    sim.queue("q", visibility_timeout_s=10, dead_letter_queue="dlq", max_receive_count=1)
    sim.send("q", "poison")
    assert [r.receive_count for r in sim.recv("q")] == [1]
    sim.sqs.delete_queue("dlq")
    sim.at(11)
    assert [(r.body, r.receive_count) for r in sim.recv("q")] == [("poison", 2)]
    assert sim.counts("q") == (0, 1, 0)
    assert not sim.events("MessageMovedToDlq")


def test_a_deleted_dlq_keeps_the_message_in_its_fifo_queue(sim) -> None:
    """The same on a FIFO queue: the message stays at the head of its group."""
    sim.queue("dlq.fifo", fifo=True)
    sim.queue(
        "q.fifo",
        fifo=True,
        content_based_dedup=True,
        visibility_timeout_s=10,
        dead_letter_queue="dlq.fifo",
        max_receive_count=1,
    )
    sim.send("q.fifo", "poison", group="g")
    sim.recv("q.fifo")
    sim.sqs.delete_queue("dlq.fifo")
    sim.at(11)
    assert [(r.body, r.receive_count) for r in sim.recv("q.fifo")] == [("poison", 2)]
