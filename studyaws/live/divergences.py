"""Where moto departs from AWS, as data: the one list of documented moto divergences.

docs/fidelity.md shows this list as a table ("Where moto diverges"); `tests/oracle/
test_moto_divergences.py` executes every pinned row in-process (the engine must do what AWS does,
moto must still do what the row says); `studyaws verify` against a moto server shows a catalogue
case whose difference is one of these as "moto differs (documented)" instead of a failure.

A row is `pinned` when the oracle tests can show it on moto in-process; the others (an attribute
moto leaves out, an action it lacks, a limit too large to reach in a test) are documented only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class Divergence:
    id: str  # the semantics case, e.g. "SQS-09a" (a suffix when one case has several rows)
    row: str  # the first cell of its row in docs/fidelity.md
    aws: str  # what AWS does (and the engine)
    moto: str  # what moto 5.2 does
    pinned: bool = True  # executed by tests/oracle/test_moto_divergences.py


_ROWS: Final = (
    Divergence(
        "SQS-05",
        "SQS-05 12 h cap",
        "total for the current receive: CMV 11 h after a receive at 6 h is OK",
        "counts from SentTimestamp: InvalidParameterValue",
    ),
    Divergence(
        "SQS-queue-attribute-range",
        "queue attributes out of range at CreateQueue",
        "rejected: `VisibilityTimeout` 0–43,200, `DelaySeconds` 0–900 (API_CreateQueue)",
        "accepted (43,201 and 901 make a queue)",
    ),
    Divergence(
        "SQS-08",
        "SQS-08 FIFO stale handle",
        'InvalidParameterValue "The receipt handle has expired"',
        "delete succeeds",
    ),
    Divergence(
        "SQS-09a",
        "SQS-09a CMV after delete",
        'InvalidParameterValue "Message does not exist or is not available…"',
        "ReceiptHandleIsInvalid",
    ),
    Divergence(
        "SQS-09b",
        "SQS-09b CMV on a visible message",
        "success, no-op (stays visible)",
        "re-hides the message for the new timeout",
    ),
    Divergence(
        "SQS-10-range",
        "SQS-10 `maxReceiveCount` range",
        "1–1,000",
        "accepts 0 and 1,001",
    ),
    Divergence(
        "SQS-11",
        "SQS-11 `DeadLetterQueueSourceArn`",
        "set in the DLQ",
        "absent",
        pinned=False,  # an attribute the sandbox's results do not carry
    ),
    Divergence(
        "SQS-13",
        "SQS-13 FIFO DLQ retention",
        "enqueue time resets on the move",
        "keeps the original time",
    ),
    Divergence(
        "SQS-14-std-to-fifo",
        "SQS-14 standard source, FIFO DLQ",
        "rejected",
        "accepted",
    ),
    Divergence(
        "SQS-16",
        "SQS-16 StartMessageMoveTask",
        "implemented",
        "not implemented",
        pinned=False,  # moto answers that the action does not exist
    ),
    Divergence(
        "SQS-20",
        "SQS-20 FIFO explicit `DelaySeconds=0`",
        "queue delay still applies",
        "skips the queue delay",
    ),
    Divergence(
        "SQS-21",
        "SQS-21 FIFO delay change",
        "retroactive",
        "not retroactive",
    ),
    Divergence(
        "SQS-22",
        "SQS-22 retention",
        "expired messages deleted, in flight or not, and stop counting",
        "checked only at delivery; the expired message blocks the receive and is never removed",
    ),
    Divergence(
        "FIFO-04",
        "FIFO-04 group preference",
        "fills a receive from one group first: [A1, A2]",
        "send order: [A1, B1]",
    ),
    Divergence(
        "FIFO-05",
        "FIFO-05 duplicate's MessageId",
        "the original id",
        "a new id",
    ),
    Divergence(
        "FIFO-06",
        "FIFO-06 dedup after delete",
        "still a duplicate (5-minute history)",
        "stored again",
    ),
    Divergence(
        "FIFO-08",
        "FIFO-08 `DeduplicationScope=messageGroup`",
        "dedup per group",
        "queue-wide",
    ),
    Divergence(
        "FIFO-10",
        "FIFO-10 `ReceiveRequestAttemptId`",
        "same messages and handles within the timeout",
        "not implemented",
        pinned=False,  # needs a lost response to show
    ),
    Divergence(
        "FIFO-11",
        "FIFO-11 120,000-message lookahead",
        "other groups can be hidden",
        "scans everything",
        pinned=False,  # needs 120,000 messages
    ),
    Divergence(
        "SNS-03-exists-false",
        "SNS-03 `exists: false`, message without attributes",
        "not delivered: `exists: false` only matches if at least one attribute is present",
        "delivered",
    ),
    Divergence(
        "SNS-03-ignore-case",
        'SNS-03 `equals-ignore-case` with an upper-case value (`"RED"`)',
        "matches red, Red, RED",
        "lower-cases only the message's value: matches nothing",
    ),
    Divergence(
        "SNS-05-11-attributes",
        "SNS-05 raw delivery, 11 message attributes",
        "discarded for the raw SQS subscription",
        "delivered with all 11 attributes",
    ),
)

MOTO_DIVERGENCES: Final[dict[str, Divergence]] = {d.id: d for d in _ROWS}
