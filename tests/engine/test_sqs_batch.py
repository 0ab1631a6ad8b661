"""SendMessageBatch and DeleteMessageBatch (issue 15, item 10).

Sources: SendMessageBatch (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html)
and the batch errors of the SQS API (AWS SDK for Kotlin reference,
https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/sqs/aws.sdk.kotlin.services.sqs.model/).
"""

from __future__ import annotations

import pytest

from studyaws.engine import sqs
from studyaws.engine.errors import (
    BatchEntryIdsNotDistinct,
    BatchRequestTooLong,
    EmptyBatchRequest,
    InvalidBatchEntryId,
    QueueDoesNotExist,
    TooManyEntriesInBatchRequest,
)
from studyaws.engine.sqs_batch import SendEntry


def _entries(n: int, **kwargs) -> list[SendEntry]:
    return [SendEntry(str(i), f"body{i}", **kwargs) for i in range(n)]


def test_a_batch_sends_each_entry_and_reports_it_by_id(sim) -> None:
    """ "The result of sending each message is reported individually in the response." Each
    entry becomes a message of its own, in the order of the entries."""
    sim.queue()
    result = sim.sqs.send_message_batch("q", _entries(3))
    assert [(r.id, r.message_id) for r in result.successful] == [
        ("0", "m1"),
        ("1", "m2"),
        ("2", "m3"),
    ]
    assert result.failed == []
    assert sim.bodies("q", max_number_of_messages=10) == ["body0", "body1", "body2"]


def test_a_failing_entry_does_not_stop_the_others(sim) -> None:
    """ "Because the batch request can result in a combination of successful and unsuccessful
    actions, you should check for batch errors even when the call returns an HTTP status code of
    200." An entry with a delay over 15 minutes fails on its own, with SendMessage's code."""
    sim.queue()
    entries = [SendEntry("ok", "a"), SendEntry("late", "b", delay_s=901), SendEntry("ok2", "c")]
    result = sim.sqs.send_message_batch("q", entries)
    assert [r.id for r in result.successful] == ["ok", "ok2"]
    [failed] = result.failed
    assert (failed.id, failed.code, failed.sender_fault) == ("late", "InvalidParameterValue", True)
    assert sim.counts("q") == (2, 0, 0)


def test_more_than_ten_entries_are_refused(sim) -> None:
    """TooManyEntriesInBatchRequest: "The batch request contains more entries than permissible.
    For Amazon SQS, the maximum number of entries you can include in a single SendMessageBatch,
    DeleteMessageBatch, or ChangeMessageVisibilityBatch request is 10." Nothing is sent."""
    sim.queue()
    sim.sqs.send_message_batch("q", _entries(10))
    with pytest.raises(TooManyEntriesInBatchRequest):
        sim.sqs.send_message_batch("q", _entries(11))
    assert sim.counts("q") == (10, 0, 0)


def test_ids_must_be_distinct(sim) -> None:
    """BatchEntryIdsNotDistinct: "Two or more batch entries in the request have the same Id." """
    sim.queue()
    with pytest.raises(BatchEntryIdsNotDistinct):
        sim.sqs.send_message_batch("q", [SendEntry("a", "x"), SendEntry("a", "y")])
    assert sim.counts("q") == (0, 0, 0)


def test_an_empty_batch_is_refused(sim) -> None:
    """EmptyBatchRequest: "The batch request doesn't contain any entries." """
    sim.queue()
    with pytest.raises(EmptyBatchRequest):
        sim.sqs.send_message_batch("q", [])


@pytest.mark.parametrize("entry_id", ["has space", "x" * 81, "dot.ted"])
def test_ids_are_80_letters_digits_hyphens_or_underscores(sim, entry_id: str) -> None:
    """InvalidBatchEntryId: "The Id of a batch entry in a batch request doesn't abide by the
    specification." (An Id is up to 80 alphanumerics, hyphens and underscores.)"""
    sim.queue()
    with pytest.raises(InvalidBatchEntryId):
        sim.sqs.send_message_batch("q", [SendEntry(entry_id, "x")])


def test_the_whole_batch_is_at_most_1_mib(sim) -> None:
    """BatchRequestTooLong: "The length of all the messages put together is more than the limit."
    — "the maximum total payload size (the sum of the individual lengths of all of the batched
    messages)" is the single message limit, 1 MiB: two entries of 600,000 bytes are refused
    together, though each would fit alone."""
    sim.queue()
    half = sqs.MAX_MESSAGE_BYTES // 2
    sim.sqs.send_message_batch("q", _entries(2, size_bytes=half))
    with pytest.raises(BatchRequestTooLong):
        sim.sqs.send_message_batch("q", _entries(2, size_bytes=600_000))
    assert sim.counts("q") == (2, 0, 0)


def test_a_batch_to_a_missing_queue(sim) -> None:
    with pytest.raises(QueueDoesNotExist):
        sim.sqs.send_message_batch("nope", _entries(1))


def test_delete_batch_reports_each_receipt(sim) -> None:
    """DeleteMessageBatch deletes each entry's message and reports an invalid receipt as that
    entry's failure (ReceiptHandleIsInvalid); the rules on entries are SendMessageBatch's."""
    sim.queue()
    sim.sqs.send_message_batch("q", _entries(2))
    first, second = sim.recv("q", max_number_of_messages=10)
    result = sim.sqs.delete_message_batch(
        "q", [("a", first.receipt), ("b", "m9#1"), ("c", second.receipt)]
    )
    assert [r.id for r in result.successful] == ["a", "c"]
    assert [(f.id, f.code) for f in result.failed] == [("b", "ReceiptHandleIsInvalid")]
    assert sim.counts("q") == (0, 0, 0)
    with pytest.raises(BatchEntryIdsNotDistinct):
        sim.sqs.delete_message_batch("q", [("a", first.receipt), ("a", second.receipt)])
    with pytest.raises(TooManyEntriesInBatchRequest):
        sim.sqs.delete_message_batch("q", [(str(i), first.receipt) for i in range(11)])
