"""SQS batch actions: SendMessageBatch and DeleteMessageBatch, built on SendMessage and
DeleteMessage (every rule of those applies to each entry).

Rules (SendMessageBatch and DeleteMessageBatch in the SQS API reference; the error texts are the
API's own, as the AWS SDKs carry them), cited again above the code:

- A request has 1 to 10 entries, each with an Id unique in the request (up to 80 letters, digits,
  hyphens and underscores); otherwise the whole request fails and nothing is sent or deleted.
- SendMessageBatch: the messages together are at most the size of one message (1 MiB).
- Each entry succeeds or fails on its own: "The result of sending each message is reported
  individually in the response."
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, NamedTuple

from studyaws.engine.errors import (
    AwsError,
    BatchEntryIdsNotDistinct,
    BatchRequestTooLong,
    EmptyBatchRequest,
    InvalidBatchEntryId,
    QueueDoesNotExist,
    TooManyEntriesInBatchRequest,
)
from studyaws.engine.sqs import MAX_MESSAGE_BYTES
from studyaws.engine.validation import attributes_size

if TYPE_CHECKING:
    from studyaws.engine.sqs import Sqs

BATCH_MAX_ENTRIES: Final = 10  # sqs_batch_entries
_ENTRY_ID_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


@dataclass(frozen=True, slots=True)
class SendEntry:
    """One SendMessageBatchRequestEntry: SendMessage's parameters and the entry's Id."""

    id: str
    body: str
    delay_s: int | None = None
    group: str | None = None
    dedup_id: str | None = None
    attributes: dict[str, str] | None = None
    size_bytes: int | None = None

    def size(self) -> int:
        body = len(self.body.encode()) if self.size_bytes is None else self.size_bytes
        return body + attributes_size((self.attributes or {}).items())


class Succeeded(NamedTuple):
    id: str
    message_id: str | None  # None for DeleteMessageBatch


class Failed(NamedTuple):
    """A BatchResultErrorEntry: the entry's Id, the error's code and message, and whether the
    caller is at fault (SenderFault: always here, the simulation has no server faults)."""

    id: str
    code: str
    message: str
    sender_fault: bool


class BatchResult(NamedTuple):
    successful: list[Succeeded]
    failed: list[Failed]


def check_entry_ids(ids: Sequence[str]) -> None:
    """The rules every batch request follows before any entry is looked at."""
    # EmptyBatchRequest: "The batch request doesn't contain any entries."
    if not ids:
        raise EmptyBatchRequest("There should be at least one entry in the request.")
    # TooManyEntriesInBatchRequest: "The batch request contains more entries than permissible.
    # For Amazon SQS, the maximum number of entries you can include in a single SendMessageBatch,
    # DeleteMessageBatch, or ChangeMessageVisibilityBatch request is 10."
    if len(ids) > BATCH_MAX_ENTRIES:
        raise TooManyEntriesInBatchRequest(
            f"Maximum number of entries per request are {BATCH_MAX_ENTRIES}. You have sent "
            f"{len(ids)}."
        )
    # InvalidBatchEntryId: "The Id of a batch entry in a batch request doesn't abide by the
    # specification." (An Id: up to 80 alphanumerics, hyphens and underscores.)
    for entry_id in ids:
        if not _ENTRY_ID_RE.match(entry_id):
            raise InvalidBatchEntryId(
                f"A batch entry id can only contain alphanumeric characters, hyphens and "
                f"underscores. It can be at most 80 letters long ({entry_id!r})."
            )
    # BatchEntryIdsNotDistinct: "Two or more batch entries in the request have the same Id."
    seen: set[str] = set()
    for entry_id in ids:
        if entry_id in seen:
            raise BatchEntryIdsNotDistinct(f"Id {entry_id} repeated.")
        seen.add(entry_id)


def send_message_batch(sqs: Sqs, queue_name: str, entries: Sequence[SendEntry]) -> BatchResult:
    """SendMessageBatch: each entry is a SendMessage, reported by its Id."""
    if queue_name not in sqs.queues:
        raise QueueDoesNotExist(queue_name)
    check_entry_ids([e.id for e in entries])
    # SendMessageBatch: "The maximum allowed individual message size and the maximum total payload
    # size (the sum of the individual lengths of all of the batched messages) are both" the
    # message size limit (sqs_max_message_size, 1 MiB). BatchRequestTooLong: "The length of all
    # the messages put together is more than the limit."
    total = sum(e.size() for e in entries)
    if total > MAX_MESSAGE_BYTES:
        raise BatchRequestTooLong(
            f"Batch requests cannot be longer than {MAX_MESSAGE_BYTES} bytes. You have sent "
            f"{total} bytes."
        )
    result = BatchResult([], [])
    for e in entries:
        try:
            sent = sqs.send_message(
                queue_name,
                e.body,
                delay_s=e.delay_s,
                group=e.group,
                dedup_id=e.dedup_id,
                attributes=e.attributes,
                size_bytes=e.size_bytes,
            )
        except AwsError as exc:
            result.failed.append(Failed(e.id, exc.code, exc.message, True))
        else:
            result.successful.append(Succeeded(e.id, sent.message_id))
    return result


def delete_message_batch(
    sqs: Sqs, queue_name: str, entries: Sequence[tuple[str, str]]
) -> BatchResult:
    """DeleteMessageBatch: `entries` are (Id, ReceiptHandle); each is a DeleteMessage."""
    if queue_name not in sqs.queues:
        raise QueueDoesNotExist(queue_name)
    check_entry_ids([entry_id for entry_id, _receipt in entries])
    result = BatchResult([], [])
    for entry_id, receipt in entries:
        try:
            sqs.delete_message(queue_name, receipt)
        except AwsError as exc:
            result.failed.append(Failed(entry_id, exc.code, exc.message, True))
        else:
            result.successful.append(Succeeded(entry_id, None))
    return result
