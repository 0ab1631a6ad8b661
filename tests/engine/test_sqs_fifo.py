"""FIFO queues (cases FIFO-01..11): names, groups, ordering, blocking, deduplication."""

from __future__ import annotations

import pytest

from studyaws.engine.errors import InvalidParameterValue, MissingParameter

from .conftest import Sim


@pytest.fixture
def fifo(sim) -> Sim:
    sim.queue("q.fifo", fifo=True, content_based_dedup=True)
    return sim


def _send(sim, *pairs: str) -> None:
    """`_send(sim, "A1:A", "B1:B")` sends body A1 in group A, then B1 in group B."""
    for pair in pairs:
        body, group = pair.split(":")
        sim.send("q.fifo", body, group=group)


def test_fifo_01_group_id_is_mandatory(sim) -> None:
    sim.queue("q.fifo", fifo=True)
    with pytest.raises(MissingParameter, match="MessageGroupId"):
        sim.send("q.fifo", "x", dedup_id="d")


def test_fifo_01_fifo_names_end_in_dot_fifo_and_only_then(sim) -> None:
    with pytest.raises(InvalidParameterValue, match=r"\.fifo"):
        sim.queue("orders", fifo=True)
    with pytest.raises(InvalidParameterValue):
        sim.queue("orders.fifo")
    with pytest.raises(InvalidParameterValue):
        sim.queue("x" * 76 + ".fifo", fifo=True)  # 81 characters with the suffix
    sim.queue("x" * 75 + ".fifo", fifo=True)


def test_fifo_02_order_is_kept_within_a_group(fifo) -> None:
    """Messages of one group come out in the order they were sent, one batch or many."""
    _send(fifo, "A1:A", "A2:A", "A3:A")
    got = fifo.bodies("q.fifo", max_number_of_messages=10)
    assert got == ["A1", "A2", "A3"]


def test_fifo_03_group_blocked_while_a_message_is_in_flight(fifo) -> None:
    """A1 in flight blocks A2; B1 flows; deleting A1 frees A2."""
    _send(fifo, "A1:A", "A2:A", "B1:B")
    [a1] = fifo.recv("q.fifo")
    assert a1.body == "A1"
    assert fifo.bodies("q.fifo") == ["B1"]
    assert fifo.recv("q.fifo") == []
    fifo.sqs.delete_message("q.fifo", a1.receipt)
    assert fifo.bodies("q.fifo") == ["A2"]


def test_fifo_03a_availability_is_the_prefix_up_to_the_first_in_flight(fifo) -> None:
    """A1..A3 received together, only A1 extended: when A2, A3 expire nothing of group A is
    returned, because A1 (earlier in the group) is still in flight."""
    _send(fifo, "A1:A", "A2:A", "A3:A")
    got = fifo.recv("q.fifo", max_number_of_messages=10)
    fifo.sqs.change_message_visibility("q.fifo", got[0].receipt, 300)
    fifo.at(31)
    assert fifo.counts("q.fifo") == (2, 1, 0)
    assert fifo.recv("q.fifo", max_number_of_messages=10) == []


def test_fifo_03b_a_delayed_message_does_not_block_its_group(sim) -> None:
    sim.queue("q.fifo", fifo=True, content_based_dedup=True)
    sim.send("q.fifo", "A1", group="A")
    sim.sqs.set_queue_attributes("q.fifo", delay_s=60)
    sim.send("q.fifo", "A2", group="A")
    assert sim.bodies("q.fifo", max_number_of_messages=10) == ["A1"]


def test_fifo_04_one_receive_prefers_messages_of_the_same_group(fifo) -> None:
    """Sent A1, B1, A2: a receive of 2 returns [A1, A2], not [A1, B1]."""
    _send(fifo, "A1:A", "B1:B", "A2:A")
    assert fifo.bodies("q.fifo", max_number_of_messages=2) == ["A1", "A2"]
    assert fifo.bodies("q.fifo", max_number_of_messages=2) == ["B1"]


def test_fifo_05_duplicate_within_5_minutes_accepted_not_delivered(sim) -> None:
    """Same dedup id within the interval: success, the original MessageId, nothing stored; after
    5 minutes it is a new message."""
    sim.queue("q.fifo", fifo=True)
    first = sim.send("q.fifo", "first", group="g", dedup_id="X")
    sim.at(60)
    again = sim.sqs.send_message("q.fifo", "second", group="g", dedup_id="X")
    assert again == (first, True)
    assert sim.counts("q.fifo") == (1, 0, 0)
    sim.at(301)
    third = sim.send("q.fifo", "third", group="g", dedup_id="X")
    assert third != first
    assert sim.counts("q.fifo") == (2, 0, 0)
    assert len(sim.events("DuplicateMessageAccepted")) == 1


def test_fifo_05_interval_boundary_is_300_seconds(sim) -> None:
    sim.queue("q.fifo", fifo=True)
    sim.send("q.fifo", "a", group="g", dedup_id="X")
    sim.at(299.999)
    assert sim.sqs.send_message("q.fifo", "a", group="g", dedup_id="X").duplicate
    sim.at(300)
    assert not sim.sqs.send_message("q.fifo", "a", group="g", dedup_id="X").duplicate


def test_fifo_06_deleting_the_original_does_not_reopen_the_window(sim) -> None:
    """Deduplication is a 5-minute history, not a check against the queue's contents."""
    sim.queue("q.fifo", fifo=True)
    sim.send("q.fifo", "a", group="g", dedup_id="X")
    [r] = sim.recv("q.fifo")
    sim.sqs.delete_message("q.fifo", r.receipt)
    assert sim.sqs.send_message("q.fifo", "a", group="g", dedup_id="X").duplicate
    assert sim.counts("q.fifo") == (0, 0, 0)


def test_fifo_07_content_based_dedup_hashes_the_body_only(fifo) -> None:
    """Same body, different attributes: one message; an explicit id overrides the hash."""
    fifo.send("q.fifo", "same", group="g", attributes={"a": "1"})
    fifo.send("q.fifo", "same", group="g", attributes={"a": "2"})
    assert fifo.counts("q.fifo") == (1, 0, 0)
    fifo.send("q.fifo", "same", group="g", dedup_id="explicit")
    assert fifo.counts("q.fifo") == (2, 0, 0)


def test_fifo_07_without_cbd_a_dedup_id_is_required(sim) -> None:
    sim.queue("q.fifo", fifo=True)
    with pytest.raises(InvalidParameterValue, match="ContentBasedDeduplication"):
        sim.send("q.fifo", "x", group="g")


def test_fifo_08_dedup_scope_message_group(sim) -> None:
    """DeduplicationScope=messageGroup: the same dedup id in two groups stores both."""
    sim.queue("q.fifo", fifo=True, dedup_scope="messageGroup")
    sim.send("q.fifo", "a", group="g1", dedup_id="X")
    sim.send("q.fifo", "b", group="g2", dedup_id="X")
    assert sim.counts("q.fifo") == (2, 0, 0)
    sim.send("q.fifo", "c", group="g1", dedup_id="X")
    assert sim.counts("q.fifo") == (2, 0, 0)


def test_fifo_08_queue_scope_is_queue_wide(sim) -> None:
    sim.queue("q.fifo", fifo=True)
    sim.send("q.fifo", "a", group="g1", dedup_id="X")
    sim.send("q.fifo", "b", group="g2", dedup_id="X")
    assert sim.counts("q.fifo") == (1, 0, 0)


def test_fifo_09_a_dlq_breaks_fifo_order(sim) -> None:
    """maxReceiveCount 1: at t=31 one receive moves A1 to the DLQ and returns A2, in one call."""
    sim.queue("dlq.fifo", fifo=True)
    sim.queue(
        "q.fifo",
        fifo=True,
        content_based_dedup=True,
        dead_letter_queue="dlq.fifo",
        max_receive_count=1,
    )
    _send(sim, "A1:A", "A2:A")
    assert sim.bodies("q.fifo") == ["A1"]
    sim.at(31)
    assert sim.bodies("q.fifo") == ["A2"]
    assert sim.counts("dlq.fifo") == (1, 0, 0)


def test_fifo_10_receive_request_attempt_id_makes_a_retry_idempotent(fifo) -> None:
    """A retry with the same ReceiveRequestAttemptId within the visibility timeout returns the
    same messages and receipt handles, without counting another receive."""
    _send(fifo, "A1:A", "A2:A")
    first = fifo.recv("q.fifo", max_number_of_messages=10, receive_request_attempt_id="r1")
    fifo.at(10)
    retry = fifo.recv("q.fifo", max_number_of_messages=10, receive_request_attempt_id="r1")
    assert retry == first
    assert [r.receipt for r in retry] == ["m1#1", "m2#1"]
    assert len(fifo.events("MessageReceived")) == 2


def test_fifo_10_attempt_id_after_the_timeout_is_a_new_receive(fifo) -> None:
    _send(fifo, "A1:A")
    fifo.recv("q.fifo", receive_request_attempt_id="r1")
    fifo.at(31)
    [r] = fifo.recv("q.fifo", receive_request_attempt_id="r1")
    assert r.receipt == "m1#2"


def test_fifo_11_deep_backlog_in_one_group_hides_other_groups(sim, monkeypatch) -> None:
    """A FIFO receive looks at the first 120,000 messages for available groups (scaled down to
    50 here): behind a blocked group of 50 the other group is never reached."""
    monkeypatch.setattr("studyaws.engine.sqs.FIFO_LOOKAHEAD", 50)
    sim.queue("q.fifo", fifo=True)
    for i in range(50):
        sim.send("q.fifo", f"g1-{i}", group="g1", dedup_id=str(i))
    sim.send("q.fifo", "g2", group="g2", dedup_id="g2")
    assert sim.bodies("q.fifo") == ["g1-0"]
    assert sim.recv("q.fifo") == []


def test_fifo_11_lookahead_constant_is_120000() -> None:
    """ "FIFO queues scan the first 120,000 messages to determine available message groups. If
    a large backlog builds up in a single message group, messages from other groups sent later
    will remain blocked until the backlog is processed."
    (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/avoid-backlog-with-the-same-message-group-id.html)
    """
    from studyaws.engine.sqs import FIFO_LOOKAHEAD

    assert FIFO_LOOKAHEAD == 120_000
