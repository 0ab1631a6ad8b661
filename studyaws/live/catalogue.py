"""The verification catalogue: short sandbox scripts that an SQS/SNS API can run for real.

Each case is a script in the sandbox language (DESIGN §4), run once on the model and once on the
endpoint, and compared line by line (`diff.py`). The cases are the fidelity cases of
docs/fidelity.md that a real API can show in a few seconds: visibility timeouts of 1–3 s, delays
of 2–4 s, long polls of at most 5 s. The whole catalogue waits about a minute in total, and its
cases run side by side.

Rules of the data:
- a script reads as a learner would type it; names are short (the endpoint sees them with the
  run's `studyaws-verify-<random>-NN-` prefix);
- a line whose difference is explained carries it in its comment:
  `# moto: ID` — a documented moto divergence (`divergences.MOTO_DIVERGENCES`), which applies only
  when the endpoint is a moto server;
  `# model: ID` — a known difference of the model from AWS (`MODEL_DIFFERENCES`), a bug for the
  engine to fix;
- a receive that expects a message long-polls (`--wait 1`: it returns at once when the message is
  there, and on AWS it asks every server, not a sample); one that expects nothing at a moment
  that matters short-polls.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Final

from studyaws.live.divergences import MOTO_DIVERGENCES

# Differences of the model from AWS found by `verify`, for the engine to fix (id → what differs).
MODEL_DIFFERENCES: Final[dict[str, str]] = {}


@dataclass(frozen=True, slots=True)
class Expectation:
    kind: str  # "moto" or "model"
    id: str

    @property
    def note(self) -> str:
        if self.kind == "moto":
            d = MOTO_DIVERGENCES[self.id]
            return f"{self.id}: AWS {d.aws}; moto {d.moto}"
        return f"{self.id}: {MODEL_DIFFERENCES[self.id]}"


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    title: str
    covers: tuple[str, ...]  # semantics cases (docs/fidelity.md, semantics-cases.md)
    script: str

    @property
    def lines(self) -> list[str]:
        return textwrap.dedent(self.script).strip("\n").splitlines()

    def expectations(self) -> dict[int, Expectation]:
        """Line number (1-based) → the explained difference on that line."""
        out: dict[int, Expectation] = {}
        for number, line in enumerate(self.lines, start=1):
            for kind in ("moto", "model"):
                marker = f"# {kind}:"
                if marker in line:
                    out[number] = Expectation(kind, line.split(marker, 1)[1].strip())
        return out


def command_text(line: str) -> str:
    """A catalogue line without its marker comment."""
    for kind in ("moto", "model"):
        line = line.split(f"# {kind}:", 1)[0]
    return line.rstrip()


CASES: Final[tuple[Case, ...]] = (
    # -- SQS: visibility -------------------------------------------------------------------------
    Case(
        "sqs-visibility-expiry",
        "a received message is hidden for the visibility timeout, then comes back (receive 2)",
        ("SQS-01",),
        """
        create-queue q --visibility-timeout 2
        send q a
        receive q
        receive q
        tick 3
        receive q --wait 1
        """,
    ),
    Case(
        "sqs-visibility-change",
        "ChangeMessageVisibility counts from the call, not from the receive",
        ("SQS-02",),
        """
        create-queue q --visibility-timeout 1
        send q a
        receive q
        change-visibility q m1#1 3
        tick 2
        receive q
        tick 2
        receive q --wait 1
        """,
    ),
    Case(
        "sqs-visibility-zero",
        "a visibility timeout of 0 makes the message visible again at once",
        ("SQS-03",),
        """
        create-queue q
        send q a
        receive q
        change-visibility q m1#1 0
        receive q --wait 1
        """,
    ),
    Case(
        "sqs-visibility-limits",
        "12 hours is the longest visibility timeout, for a queue and for a message",
        ("SQS-04", "SQS-05"),
        """
        create-queue q
        send q a
        receive q
        change-visibility q m1#1 43201
        create-queue long --visibility-timeout 43201   # moto: SQS-queue-attribute-range
        """,
    ),
    Case(
        "sqs-receive-count",
        "ApproximateReceiveCount counts every delivery",
        ("SQS-06",),
        """
        create-queue q --visibility-timeout 1
        send q a
        receive q
        tick 2
        receive q --wait 1
        tick 2
        receive q --wait 1
        """,
    ),
    Case(
        "sqs-old-receipt",
        "on a standard queue an older receipt handle still deletes",
        ("SQS-07",),
        """
        create-queue q --visibility-timeout 1
        send q a
        receive q
        tick 2
        receive q --wait 1
        delete q m1#1
        """,
    ),
    Case(
        "sqs-fifo-old-receipt",
        "on a FIFO queue a receipt handle from an expired receive is refused",
        ("SQS-08",),
        """
        create-queue q.fifo --fifo --content-based-dedup --visibility-timeout 1
        send q.fifo m --group g
        receive q.fifo
        tick 2
        delete q.fifo m1#1   # moto: SQS-08
        """,
    ),
    Case(
        "sqs-cmv-after-delete",
        "changing the visibility of a deleted message is an error",
        ("SQS-09",),
        """
        create-queue q
        send q a
        receive q
        delete q m1#1
        change-visibility q m1#1 10   # moto: SQS-09a
        """,
    ),
    Case(
        "sqs-cmv-visible-message",
        "changing the visibility of a message that is visible again changes nothing",
        ("SQS-09",),
        """
        create-queue q --visibility-timeout 1
        send q a
        receive q
        tick 2
        change-visibility q m1#1 30
        stats q   # moto: SQS-09b
        """,
    ),
    # -- SQS: dead-letter queues -----------------------------------------------------------------
    Case(
        "sqs-dlq",
        "after maxReceiveCount deliveries the next receive moves the message to the DLQ",
        ("SQS-10", "SQS-11"),
        """
        create-queue dlq
        create-queue src --visibility-timeout 1 --dlq dlq --max-receives 2
        send src a
        receive src
        tick 2
        receive src --wait 1
        tick 2
        receive src
        receive dlq --wait 1
        """,
    ),
    Case(
        "sqs-dlq-max-receives",
        "maxReceiveCount goes from 1 to 1,000",
        ("SQS-10",),
        """
        create-queue dlq
        create-queue src --dlq dlq --max-receives 1001   # moto: SQS-10-range
        """,
    ),
    Case(
        "sqs-dlq-type",
        "a queue and its DLQ are both FIFO or both standard",
        ("SQS-14",),
        """
        create-queue std
        create-queue f.fifo --fifo --dlq std --max-receives 3
        create-queue dlq.fifo --fifo
        create-queue plain --dlq dlq.fifo --max-receives 3   # moto: SQS-14-std-to-fifo
        """,
    ),
    # -- SQS: delays and polling ---------------------------------------------------------------------
    Case(
        "sqs-queue-delay",
        "a queue's delay hides each new message for that long",
        ("SQS-17",),
        """
        create-queue q --delay 2
        send q a
        receive q
        stats q
        tick 3
        receive q --wait 1
        """,
    ),
    Case(
        "sqs-delay-limits",
        "a delay is at most 15 minutes",
        ("SQS-17",),
        """
        create-queue q
        send q a --delay 901
        create-queue slow --delay 901   # moto: SQS-queue-attribute-range
        """,
    ),
    Case(
        "sqs-message-delay",
        "a message's own delay overrides the queue's",
        ("SQS-18",),
        """
        create-queue q --delay 2
        send q now --delay 0
        send q later --delay 4
        send q default
        receive q --max 10 --wait 1
        tick 3
        receive q --max 10 --wait 1
        tick 2
        receive q --max 10 --wait 1
        """,
    ),
    Case(
        "sqs-long-poll",
        "a long poll returns as soon as a message is visible, and waits at most 20 s",
        ("SQS-24",),
        """
        create-queue q --delay 2
        receive q --wait 1
        send q a
        receive q --wait 5
        receive q --wait 21
        """,
    ),
    Case(
        "sqs-queue-wait",
        "a queue's ReceiveMessageWaitTimeSeconds makes every receive a long poll",
        ("SQS-24",),
        """
        create-queue q --wait 1
        receive q
        send q a
        receive q
        """,
    ),
    Case(
        "sqs-receive-limits",
        "a receive asks for 1 to 10 messages",
        ("SQS-23",),
        """
        create-queue q
        send q a
        send q b
        receive q --max 11
        receive q --max 0
        receive q --max 10 --wait 1
        """,
    ),
    Case(
        "sqs-purge",
        "a purge removes every message, in flight too, and only once a minute",
        ("SQS-26",),
        """
        create-queue q
        send q a
        send q b
        receive q
        purge q
        stats q
        purge q
        """,
    ),
    Case(
        "sqs-message-size",
        "a message is at most 1 MiB (1,048,576 bytes)",
        ("sqs_max_message_size",),
        """
        create-queue q
        send q big --size 1048576
        send q too-big --size 1048577
        stats q
        """,
    ),
    Case(
        "sqs-missing-queue",
        "a queue that does not exist is an error, not an empty answer",
        (),
        """
        send nope hi
        receive nope
        """,
    ),
    # -- SQS FIFO ---------------------------------------------------------------------------------
    Case(
        "sqs-fifo-names",
        "a FIFO queue's name ends in .fifo; every message needs a group",
        ("FIFO-01",),
        """
        create-queue orders --fifo
        create-queue q.fifo --fifo
        send q.fifo x --dedup-id d
        """,
    ),
    Case(
        "sqs-fifo-groups",
        "one message group at a time: a group is blocked while a message of it is in flight",
        ("FIFO-03",),
        """
        create-queue q.fifo --fifo --content-based-dedup
        send q.fifo A1 --group A
        send q.fifo A2 --group A
        send q.fifo B1 --group B
        receive q.fifo
        receive q.fifo
        receive q.fifo
        delete q.fifo m1#1
        receive q.fifo --wait 1
        """,
    ),
    Case(
        "sqs-fifo-group-preference",
        "a receive of several messages takes them from one group first",
        ("FIFO-04",),
        """
        create-queue q.fifo --fifo --content-based-dedup
        send q.fifo A1 --group A
        send q.fifo B1 --group B
        send q.fifo A2 --group A
        receive q.fifo --max 2   # moto: FIFO-04
        """,
    ),
    Case(
        "sqs-fifo-dedup",
        "within 5 minutes a duplicate is accepted but not stored, and answers the original id",
        ("FIFO-05", "FIFO-07"),
        """
        create-queue q.fifo --fifo --content-based-dedup
        send q.fifo same --group g
        send q.fifo same --group g   # moto: FIFO-05
        stats q.fifo
        send q.fifo same --group g --dedup-id other
        stats q.fifo
        create-queue plain.fifo --fifo
        send plain.fifo x --group g
        """,
    ),
    Case(
        "sqs-fifo-dedup-after-delete",
        "a deleted message's deduplication id still counts for 5 minutes",
        ("FIFO-06",),
        """
        create-queue q.fifo --fifo
        send q.fifo a --group g --dedup-id X
        receive q.fifo
        delete q.fifo m1#1
        send q.fifo a --group g --dedup-id X   # moto: FIFO-06
        stats q.fifo   # moto: FIFO-06
        """,
    ),
    Case(
        "sqs-fifo-dedup-scope",
        "with DeduplicationScope=messageGroup the same id in two groups is two messages",
        ("FIFO-08",),
        """
        create-queue q.fifo --fifo --dedup-scope message-group
        send q.fifo a --group g1 --dedup-id X
        send q.fifo b --group g2 --dedup-id X
        stats q.fifo   # moto: FIFO-08
        """,
    ),
    Case(
        "sqs-fifo-dlq",
        "a FIFO message moved to its DLQ lets the next message of its group through",
        ("FIFO-09",),
        """
        create-queue dlq.fifo --fifo
        create-queue q.fifo --fifo --content-based-dedup --visibility-timeout 1 --dlq dlq.fifo --max-receives 1
        send q.fifo A1 --group A
        send q.fifo A2 --group A
        receive q.fifo
        tick 2
        receive q.fifo --wait 1
        stats dlq.fifo
        """,
    ),
    Case(
        "sqs-fifo-zero-delay",
        "on a FIFO queue an explicit DelaySeconds=0 does not skip the queue's delay",
        ("SQS-20",),
        """
        create-queue q.fifo --fifo --content-based-dedup --delay 2
        send q.fifo y --group g --delay 0
        stats q.fifo   # moto: SQS-20
        """,
    ),
    Case(
        "sqs-fifo-delay-change",
        "lowering a FIFO queue's delay applies to messages already waiting",
        ("SQS-21",),
        """
        create-queue q.fifo --fifo --content-based-dedup --delay 3
        send q.fifo m --group g
        tick 1
        set-queue-attributes q.fifo --delay 0
        receive q.fifo --wait 1   # moto: SQS-21
        """,
    ),
    # -- SNS ----------------------------------------------------------------------------------------
    Case(
        "sns-fanout",
        "one copy per subscription: the same SNS MessageId, a different SQS message each",
        ("SNS-01", "SNS-02"),
        """
        create-queue q1
        create-queue q2
        create-topic t
        subscribe t q1
        subscribe t q2
        publish t hello --attr k=v --subject hi
        tick 1
        receive q1 --wait 1
        receive q2 --wait 1
        """,
    ),
    Case(
        "sns-filter-and-or",
        "a filter policy: AND across keys, OR within a key; no attributes, no delivery",
        ("SNS-03",),
        """
        create-queue q
        create-topic t
        subscribe t q --filter '{"type":["order","refund"],"region":["eu"]}'
        publish t one --attr type=order --attr region=eu
        publish t two --attr type=order --attr region=us
        publish t three
        publish t four --attr type=refund --attr region=eu --attr extra=x
        tick 1
        receive q --max 10 --wait 1
        """,
    ),
    Case(
        "sns-filter-operators",
        "filter operators: prefix, anything-but, exists",
        ("SNS-03",),
        """
        create-queue pre
        create-queue but
        create-queue has
        create-topic t
        subscribe t pre --filter '{"colour":[{"prefix":"bl"}]}'
        subscribe t but --filter '{"colour":[{"anything-but":["red"]}]}'
        subscribe t has --filter '{"size":[{"exists":true}]}'
        publish t blue --attr colour=blue
        publish t red --attr colour=red --attr size=9
        tick 1
        receive pre --max 10 --wait 1
        receive but --max 10 --wait 1
        receive has --max 10 --wait 1
        """,
    ),
    Case(
        "sns-filter-body",
        "a MessageBody filter: nested keys and a numeric range on a JSON body",
        ("SNS-03",),
        """
        create-queue q
        create-topic t
        subscribe t q --filter '{"order":{"total":[{"numeric":[">",100]}]}}' --filter-scope body
        publish t '{"order":{"total":250}}'
        publish t '{"order":{"total":50}}'
        publish t 'not json'
        tick 1
        receive q --max 10 --wait 1
        """,
    ),
    Case(
        "sns-filter-exists-false",
        "exists:false matches only a message that has some attribute",
        ("SNS-03",),
        """
        create-queue q
        create-topic t
        subscribe t q --filter '{"store":[{"exists":false}]}'
        publish t no-attributes
        publish t other-attribute --attr colour=red
        tick 1
        receive q --max 10 --wait 1   # moto: SNS-03-exists-false
        """,
    ),
    Case(
        "sns-filter-ignore-case",
        "equals-ignore-case ignores the case of both the policy and the message",
        ("SNS-03",),
        """
        create-queue q
        create-topic t
        subscribe t q --filter '{"colour":[{"equals-ignore-case":"RED"}]}'
        publish t red --attr colour=red
        publish t Red --attr colour=Red
        publish t blue --attr colour=blue
        tick 1
        receive q --max 10 --wait 1   # moto: SNS-03-ignore-case
        """,
    ),
    Case(
        "sns-raw-delivery",
        "raw delivery sends the body itself; otherwise the queue gets the JSON envelope",
        ("SNS-05",),
        """
        create-queue raw
        create-queue wrapped
        create-topic t
        subscribe t raw --raw
        subscribe t wrapped
        publish t hello --attr k=v
        tick 1
        receive raw --wait 1
        receive wrapped --wait 1
        """,
    ),
    Case(
        "sns-raw-eleven-attributes",
        "a raw delivery of a message with more than 10 attributes is discarded",
        ("SNS-05",),
        """
        create-queue raw
        create-queue wrapped
        create-topic t
        subscribe t raw --raw
        subscribe t wrapped
        publish t many --attr a0=0 --attr a1=1 --attr a2=2 --attr a3=3 --attr a4=4 --attr a5=5 --attr a6=6 --attr a7=7 --attr a8=8 --attr a9=9 --attr a10=10
        tick 1
        receive raw --wait 1   # moto: SNS-05-11-attributes
        receive wrapped --wait 1
        """,
    ),
    Case(
        "sns-fifo-queue-standard-topic",
        "a FIFO queue cannot subscribe to a standard topic",
        ("SNS-06",),
        """
        create-queue q.fifo --fifo
        create-topic t
        subscribe t q.fifo
        """,
    ),
    Case(
        "sns-missing-topic",
        "publishing to a topic that does not exist is NotFound",
        (),
        """
        publish nope hi
        """,
    ),
)

CASE_IDS: Final = frozenset(case.id for case in CASES)


def select(only: str | None) -> list[Case]:
    """The cases whose id starts with `only` (all of them without it)."""
    return [case for case in CASES if only is None or case.id.startswith(only)]
