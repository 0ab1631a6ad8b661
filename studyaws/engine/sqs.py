"""Amazon SQS on the virtual clock: standard and FIFO queues, faithful to the AWS documentation.

The model is a state machine per message, not a set of polling loops (the behaviour cases of
docs/fidelity.md): a live message is in exactly one state of its queue — `DELAYED`, `VISIBLE` or
`IN_FLIGHT` — and leaves the queue by delete, expiry, purge or a move (to a DLQ, or back by a move
task). Its deadlines (end of delay, end of visibility timeout, end of retention) are clock timers,
so every change is an event at its own time; moves to a DLQ are lazy (they happen inside a receive).

Rules of the model, each cited again above the code that enforces it:

- Boundary: a message is available when `now >= deadline` (see `clock.py`).
- Receipt handles are `<message id>#<n>`, `n` counting the deliveries of that message (DESIGN §4).
  Standard: any handle issued in this queue deletes the message (AWS: "might not be deleted" —
  we pick "deleted", as moto does, and say so in docs/fidelity.md). FIFO: only the handle of the
  current, unexpired receive is valid.
- Standard queues are ordered by creation and never duplicate unless `world.chaos` says otherwise.
- FIFO: a receive walks the first `FIFO_LOOKAHEAD` messages in order; a group is available up to
  its first in-flight message; delayed messages do not block; it fills the batch from one group
  before taking the next.
- Rejected calls raise an `AwsError` before changing anything.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Final, NamedTuple, NotRequired, TypedDict

from studyaws.engine import events as ev
from studyaws.engine.clock import DELIVERY, STATE, Timer
from studyaws.engine.dedup import recent_duplicate
from studyaws.engine.errors import (
    InvalidMessageContents,
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    PurgeQueueInProgress,
    QueueAlreadyExists,
    QueueDeletedRecently,
    QueueDoesNotExist,
    ReceiptHandleIsInvalid,
    UnsupportedOperation,
    invalid_value,
)
from studyaws.engine.fair import FairQueues
from studyaws.engine.validation import (
    BODY_CHARS,
    ID_MAX,
    INVALID_BODY_CHAR_RE,
    attributes_size,
    check_attributes,
    check_id,
)

if TYPE_CHECKING:
    from studyaws.engine.sqs_batch import BatchResult, SendEntry
    from studyaws.engine.world import World

# -- limits (docs/fact-ids.md) ------------------------------------------------------------------
MAX_MESSAGE_BYTES: Final = 1_048_576  # sqs_max_message_size
MAX_ATTRIBUTES: Final = 10  # sqs_message_attributes
VISIBILITY_DEFAULT_S: Final = 30  # sqs_visibility_default
VISIBILITY_MAX_S: Final = 43_200  # sqs_visibility_range
DELAY_DEFAULT_S: Final = 0  # sqs_delay_range: "default (minimum) 0 s"
DELAY_MAX_S: Final = 900  # sqs_delay_range
RETENTION_DEFAULT_S: Final = 345_600  # sqs_retention_default
RETENTION_MIN_S: Final = 60  # sqs_retention_min
RETENTION_MAX_S: Final = 1_209_600  # sqs_retention_max
WAIT_DEFAULT_S: Final = 0  # sqs_long_poll_wait: "queue default is 0 (short polling)"
WAIT_MAX_S: Final = 20  # sqs_long_poll_wait
RECEIVE_DEFAULT: Final = 1  # sqs_receive_max_messages: "1-10, default 1 per call"
RECEIVE_MAX: Final = 10  # sqs_receive_max_messages
MAX_RECEIVE_COUNT: Final = 1000  # sqs_max_receive_count
DEDUP_INTERVAL_MS: Final = 300_000  # sqs_fifo_dedup_interval
GROUP_ID_MAX: Final = ID_MAX  # sqs_message_group_id (validation.check_id enforces it)
QUEUE_NAME_MAX: Final = 80  # sqs_queue_name
PURGE_INTERVAL_MS: Final = 60_000
QUEUE_REUSE_WAIT_MS: Final = 60_000  # sqs_queue_deleted_recently
MOVE_RATE_MAX: Final = 500
ATTEMPT_ID_TTL_MS: Final = 300_000
# "FIFO queues scan the first 120,000 messages to determine available message groups"
# https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/avoid-backlog-with-the-same-message-group-id.html
# (an older knowledge-center article said 20,000).
FIFO_LOOKAHEAD: Final = 120_000

DELAYED: Final = 0
VISIBLE: Final = 1
IN_FLIGHT: Final = 2
GONE: Final = 3
STATE_NAMES: Final = ("delayed", "visible", "in_flight", "gone")

_NAME_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
# The characters a message body may hold (SendMessage, MessageBody; cited in _check_message).
_BODY_CHARS: Final = BODY_CHARS
_INVALID_BODY_CHAR_RE: Final = INVALID_BODY_CHAR_RE


class RedrivePolicy(TypedDict):
    deadLetterTargetArn: str
    maxReceiveCount: int | None


class QueueAttributes(TypedDict):
    """GetQueueAttributes, with AWS's names; the counters only in GetQueueAttributes."""

    VisibilityTimeout: int
    DelaySeconds: int
    MessageRetentionPeriod: int
    ReceiveMessageWaitTimeSeconds: int
    FifoQueue: NotRequired[bool]
    ContentBasedDeduplication: NotRequired[bool]
    DeduplicationScope: NotRequired[str]
    RedrivePolicy: NotRequired[RedrivePolicy]
    ApproximateNumberOfMessages: NotRequired[int]
    ApproximateNumberOfMessagesNotVisible: NotRequired[int]
    ApproximateNumberOfMessagesDelayed: NotRequired[int]


class MessageSnapshot(TypedDict):
    message_id: str
    state: str  # one of STATE_NAMES
    body: str
    group: str | None
    receive_count: int
    available_at: int | float | None  # seconds; None while visible
    dead_letter_source: str | None


class QueueSnapshot(TypedDict):
    """One queue in `world.snapshot()["queues"]`: message ids by state, in arrival order."""

    fifo: bool
    attributes: QueueAttributes
    visible: list[str]
    in_flight: list[str]
    delayed: list[str]
    dead_letter_queue: str | None
    max_receive_count: int | None
    dead_letter_sources: list[str]
    waiting_polls: int
    messages: list[MessageSnapshot]


@dataclass(frozen=True, slots=True)
class QueueConfig:
    """The queue attributes the engine models (AWS names in `to_aws()`). The defaults are filled
    in by `create_queue` from the constants above, read at call time: one place for each."""

    fifo: bool
    visibility_timeout_s: int
    delay_s: int
    retention_s: int
    wait_s: int
    content_based_dedup: bool = False
    dedup_scope: str = "queue"  # or "messageGroup"
    dead_letter_queue: str | None = None
    max_receive_count: int | None = None

    def to_aws(self) -> QueueAttributes:
        out: QueueAttributes = {
            "VisibilityTimeout": self.visibility_timeout_s,
            "DelaySeconds": self.delay_s,
            "MessageRetentionPeriod": self.retention_s,
            "ReceiveMessageWaitTimeSeconds": self.wait_s,
        }
        if self.fifo:
            out["FifoQueue"] = True
            out["ContentBasedDeduplication"] = self.content_based_dedup
            out["DeduplicationScope"] = self.dedup_scope
        if self.dead_letter_queue is not None:
            out["RedrivePolicy"] = {
                "deadLetterTargetArn": self.dead_letter_queue,
                "maxReceiveCount": self.max_receive_count,
            }
        return out


class Message:
    """One stored message; mutable state belongs to the engine, never to callers."""

    __slots__ = (
        "attributes",
        "body",
        "dead_letter_source",
        "deadline_ms",
        "declared_size",
        "dedup_id",
        "enqueued_at_ms",
        "expiry_token",
        "first_handle",
        "gen",
        "group",
        "id",
        "number",
        "past_homes",
        "queue",
        "receive_count",
        "received_at_ms",
        "receives",
        "sent_at_ms",
        "state",
        "timer",
    )

    def __init__(
        self,
        mid: str,
        number: int,
        body: str,
        queue: Queue,
        now_ms: int,
        group: str | None = None,
        dedup_id: str | None = None,
        attributes: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.id = mid
        self.number = number
        self.body = body
        self.attributes = attributes
        self.group = group
        self.dedup_id = dedup_id
        self.queue = queue
        self.sent_at_ms = now_ms  # arrival in the current queue (delay is measured from here)
        self.enqueued_at_ms = now_ms  # the retention clock (kept or reset by a DLQ move)
        self.state = VISIBLE
        self.gen = 0  # bumped on every state change: stale heap entries are skipped
        self.deadline_ms = now_ms
        self.receives = 0  # deliveries so far: the `n` of the receipt handle `m3#n`
        self.receive_count = 0  # ApproximateReceiveCount
        self.first_handle = 1  # handles below this were issued by another queue
        self.received_at_ms = -1
        self.timer: Timer | None = None  # end of delay or of visibility timeout
        self.expiry_token = -1  # names this message's live entry in its queue's `expiries` heap
        self.dead_letter_source: str | None = None
        self.declared_size: int | None = None  # `size_bytes`: the size the body stands for
        # The queues it left (to a DLQ, or back by a move task) and the handles each issued.
        self.past_homes: tuple[tuple[str, int, int], ...] = ()


class Received(NamedTuple):
    """One message in a ReceiveMessage response."""

    message_id: str
    body: str
    receipt: str
    receive_count: int
    group: str | None
    attributes: tuple[tuple[str, str], ...]
    dead_letter_source: str | None
    visible_at_ms: int  # when this receive's visibility timeout ends (unless changed)
    declared_size: int | None = None  # the body's size when it stands for a larger payload


class SendResult(NamedTuple):
    message_id: str
    duplicate: bool


class LongPoll:
    """A ReceiveMessage waiting on an empty queue (long polling). `vt_s` is the request's own
    VisibilityTimeout, None when it gave none (the queue's applies when messages are returned)."""

    __slots__ = ("done", "max_n", "on_done", "queue", "result", "timer", "vt_s")

    def __init__(
        self,
        queue: Queue,
        max_n: int,
        vt_s: int | None,
        on_done: Callable[[list[Received]], None],
    ) -> None:
        self.queue = queue
        self.max_n = max_n
        self.vt_s = vt_s
        self.on_done = on_done
        self.done = False
        self.result: list[Received] = []
        self.timer: Timer | None = None


class MoveTask:
    __slots__ = ("destination", "moved", "rate")

    def __init__(self, destination: str | None, rate: int | None) -> None:
        self.destination = destination
        self.rate = rate
        self.moved = 0


class Queue:
    """One queue: its configuration, its live messages and the structures that index them."""

    __slots__ = (
        "attempts",
        "config",
        "dedup",
        "expiries",
        "expiry_timer",
        "last_purge_ms",
        "messages",
        "move_task",
        "n_delayed",
        "n_in_flight",
        "n_visible",
        "name",
        "ready",
        "stale_expiries",
        "waiters",
        "wake_pending",
    )

    def __init__(self, name: str, config: QueueConfig) -> None:
        self.name = name
        self.config = config
        self.messages: dict[str, Message] = {}  # live messages in arrival order
        self.ready: list[tuple[int, int, Message]] = []  # standard: heap of visible (number, gen)
        # Retention: one heap per queue of (expires_at_ms, number, message) and one clock timer for
        # its head, instead of a timer per message; entries of messages that left are skipped, and
        # the heap is rebuilt when most of it is stale (memory follows live messages).
        self.expiries: list[tuple[int, int, Message]] = []  # (expires_at_ms, token, message)
        self.expiry_timer: Timer | None = None
        self.stale_expiries = 0
        self.n_visible = 0
        self.n_in_flight = 0
        self.n_delayed = 0
        self.dedup: dict[tuple[str, str], tuple[int, str]] = {}  # FIFO history, oldest first
        self.waiters: deque[LongPoll] = deque()
        self.wake_pending = False
        self.last_purge_ms: int | None = None
        self.move_task: MoveTask | None = None
        self.attempts: dict[str, tuple[int, list[tuple[Message, int]]]] = {}

    @property
    def fifo(self) -> bool:
        return self.config.fifo


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise invalid_value(name, value, f"Must be between {low} and {high}.")


class Sqs:
    """The SQS API of one world; method names are the AWS actions in snake_case."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.clock = world.clock
        self.queues: dict[str, Queue] = {}
        self._deleted_at: dict[str, int] = {}  # queue name → when DeleteQueue deleted it (ms)
        self._tokens = itertools.count()
        self._on_visibility_expired = self._visibility_expired
        self.fair = FairQueues(self)

    # -- queues -----------------------------------------------------------------------------

    def create_queue(
        self,
        name: str,
        *,
        fifo: bool = False,
        visibility_timeout_s: int | None = None,
        delay_s: int | None = None,
        retention_s: int | None = None,
        wait_s: int | None = None,
        content_based_dedup: bool = False,
        dedup_scope: str = "queue",
        dead_letter_queue: str | None = None,
        max_receive_count: int | None = None,
    ) -> str:
        """CreateQueue: idempotent for identical attributes, `QueueAlreadyExists` otherwise. An
        attribute left out (None) takes the AWS default."""
        config = QueueConfig(
            fifo,
            VISIBILITY_DEFAULT_S if visibility_timeout_s is None else visibility_timeout_s,
            DELAY_DEFAULT_S if delay_s is None else delay_s,
            RETENTION_DEFAULT_S if retention_s is None else retention_s,
            WAIT_DEFAULT_S if wait_s is None else wait_s,
            content_based_dedup,
            dedup_scope,
            dead_letter_queue,
            max_receive_count,
        )
        self._check_name(name, fifo)
        self._check_recently_deleted(name)
        self._check_config(name, config)
        existing = self.queues.get(name)
        if existing is not None:
            if existing.config != config:
                raise QueueAlreadyExists(
                    f"A queue already exists with the same name and a different value for "
                    f"attribute(s): {name}"
                )
            return name
        queue = Queue(name, config)
        self.queues[name] = queue
        self.world.resources[("sqs", name)] = queue
        self.world.emit(
            ev.QueueCreated, "CreateQueue", name, fifo=fifo, attributes=_attr_items(config)
        )
        return name

    def _check_name(self, name: str, fifo: bool) -> None:
        # "FIFO queue names must end in .fifo; the suffix counts toward the 80-character name
        # limit" (sqs_fifo_name); "up to 80 characters, alphanumeric, hyphen, underscore"
        # (sqs_queue_name).
        base = name.removesuffix(".fifo")
        if len(name) > QUEUE_NAME_MAX or not _NAME_RE.match(base):
            raise InvalidParameterValue(
                "Can only include alphanumeric characters, hyphens, or underscores. "
                "1 to 80 in length"
            )
        if fifo and not name.endswith(".fifo"):
            raise InvalidParameterValue(
                "The name of a FIFO queue can only include alphanumeric characters, hyphens, or "
                "underscores, must end with .fifo suffix and be 1 to 80 in length."
            )
        if not fifo and name.endswith(".fifo"):
            raise InvalidParameterValue(
                "Can only include alphanumeric characters, hyphens, or underscores. "
                "1 to 80 in length (a name ending in .fifo needs FifoQueue=true)"
            )

    def _check_recently_deleted(self, name: str) -> None:
        # QueueDeletedRecently: "You must wait 60 seconds after deleting a queue before you can
        # create another queue with the same name." (botocore's SQS exceptions; DeleteQueue says
        # the same)
        now = self.clock.now_ms
        for old in [n for n, at in self._deleted_at.items() if now - at >= QUEUE_REUSE_WAIT_MS]:
            del self._deleted_at[old]
        if name in self._deleted_at:
            raise QueueDeletedRecently(
                f"You must wait 60 seconds after deleting a queue before you can create another "
                f"queue with the same name ({name})."
            )

    def _check_config(self, name: str, c: QueueConfig) -> None:
        # sqs_visibility_range: "0 s to 12 hours"
        _check_range("VisibilityTimeout", c.visibility_timeout_s, 0, VISIBILITY_MAX_S)
        # sqs_delay_range: "default (minimum) 0 s, maximum 15 minutes"
        _check_range("DelaySeconds", c.delay_s, 0, DELAY_MAX_S)
        # sqs_retention_min / sqs_retention_max: 60 s to 14 days
        _check_range("MessageRetentionPeriod", c.retention_s, RETENTION_MIN_S, RETENTION_MAX_S)
        # sqs_long_poll_wait: 0-20 seconds
        _check_range("ReceiveMessageWaitTimeSeconds", c.wait_s, 0, WAIT_MAX_S)
        if not c.fifo and (c.content_based_dedup or c.dedup_scope != "queue"):
            raise InvalidParameterValue(
                "Unknown Attribute ContentBasedDeduplication/DeduplicationScope (FIFO queues only)."
            )
        if c.dedup_scope not in ("queue", "messageGroup"):
            raise invalid_value("DeduplicationScope", c.dedup_scope, "queue or messageGroup.")
        self._check_redrive(name, c)

    def _check_redrive(self, name: str, c: QueueConfig) -> None:
        if c.dead_letter_queue is None and c.max_receive_count is None:
            return
        if c.dead_letter_queue is None:
            raise InvalidParameterValue(
                "Value for parameter RedrivePolicy is invalid. Reason: Redrive policy does not "
                "contain mandatory attribute: deadLetterTargetArn."
            )
        if c.max_receive_count is None:
            raise InvalidParameterValue(
                "Value for parameter RedrivePolicy is invalid. Reason: Redrive policy does not "
                "contain mandatory attribute: maxReceiveCount."
            )
        # sqs_max_receive_count: 1-1,000
        if not 1 <= c.max_receive_count <= MAX_RECEIVE_COUNT:
            raise InvalidParameterValue(
                f"Value {c.max_receive_count} for parameter RedrivePolicy is invalid. Reason: "
                f"Invalid value for maxReceiveCount: {c.max_receive_count}, valid values are from "
                f"1 to {MAX_RECEIVE_COUNT} both inclusive."
            )
        # sqs_dlq_type_match: "A DLQ must be the same type as its source ... SQS does not create
        # the DLQ for you."
        dlq = self.queues.get(c.dead_letter_queue)
        if dlq is None:
            raise InvalidParameterValue(
                "Value for parameter RedrivePolicy is invalid. Reason: Dead-letter target "
                f"{c.dead_letter_queue} does not exist."
            )
        if dlq.fifo != c.fifo:
            raise InvalidParameterCombination(
                "Dead-letter queue must be same type of queue as the source."
            )
        if dlq.name == name:
            raise InvalidParameterValue("A queue cannot be its own dead-letter queue.")

    def set_queue_attributes(self, queue_name: str, **changes: Any) -> None:
        """SetQueueAttributes for the modelled attributes (keyword names as in `QueueConfig`).

        `dead_letter_queue=None` together with `max_receive_count=None` removes the redrive policy.
        """
        queue = self._queue(queue_name)
        unknown = set(changes) - set(QueueConfig.__dataclass_fields__) | {"fifo"} & set(changes)
        if unknown:
            raise InvalidParameterValue(f"Unknown Attribute {sorted(unknown)[0]}.")
        old = queue.config
        new = replace(old, **changes)
        self._check_config(queue_name, new)
        queue.config = new
        self.world.emit(
            ev.QueueAttributesChanged,
            "SetQueueAttributes",
            queue_name,
            attributes=tuple(sorted((k, v) for k, v in changes.items())),
        )
        if new.delay_s != old.delay_s and new.fifo:
            self._retime_fifo_delays(queue)
        if new.retention_s != old.retention_s:
            self._rebuild_expiries(queue)
        self.world.settle()

    def _retime_fifo_delays(self, queue: Queue) -> None:
        # sqs_delay_fifo: "For FIFO queues, the per-queue delay setting is retroactive—changing
        # the setting affects the delay of messages already in the queue." (sqs-delay-queues.html)
        # Standard queues are not touched: "not retroactive".
        delay_ms = queue.config.delay_s * 1000
        for msg in queue.messages.values():
            if msg.state == DELAYED:
                self.clock.cancel(msg.timer)
                msg.deadline_ms = msg.sent_at_ms + delay_ms
                msg.timer = self.clock.schedule(msg.deadline_ms, STATE, self._delay_ended, msg)

    def get_queue_attributes(self, queue_name: str) -> QueueAttributes:
        queue = self._queue(queue_name)
        out = queue.config.to_aws()
        out["ApproximateNumberOfMessages"] = queue.n_visible
        out["ApproximateNumberOfMessagesNotVisible"] = queue.n_in_flight
        out["ApproximateNumberOfMessagesDelayed"] = queue.n_delayed
        return out

    def delete_queue(self, queue_name: str) -> None:
        """DeleteQueue: the queue and its messages go at once (AWS: "up to 60 seconds"); long
        polls waiting on it end empty."""
        queue = self._queue(queue_name)
        for msg in list(queue.messages.values()):
            self._remove(queue, msg)
        self.clock.cancel(queue.expiry_timer)
        queue.expiry_timer = None
        queue.expiries = []
        del self.queues[queue_name]
        self._deleted_at[queue_name] = self.clock.now_ms
        self.world.resources.pop(("sqs", queue_name), None)
        self.world.emit(ev.QueueDeleted, "DeleteQueue", queue_name)
        for poll in list(queue.waiters):
            queue.waiters.remove(poll)
            self._finish_poll(poll, [])

    def cancel_receive(self, poll: LongPoll) -> None:
        """Forget a simulated client's pending long poll (the client went away)."""
        if poll.done:
            return
        poll.done = True
        self.clock.cancel(poll.timer)
        if poll in poll.queue.waiters:
            poll.queue.waiters.remove(poll)

    def list_queues(self) -> list[str]:
        return list(self.queues)

    def _queue(self, name: str) -> Queue:
        queue = self.queues.get(name)
        if queue is None:
            raise QueueDoesNotExist(name)
        return queue

    # -- send -------------------------------------------------------------------------------

    def send_message(
        self,
        queue_name: str,
        body: str,
        *,
        delay_s: int | None = None,
        group: str | None = None,
        dedup_id: str | None = None,
        attributes: dict[str, str] | None = None,
        size_bytes: int | None = None,
    ) -> SendResult:
        """SendMessage; on FIFO a duplicate inside the interval returns the original id.

        `size_bytes` says how big the body stands for (a short text standing for a large payload),
        so the size limit can be taught without building a megabyte string."""
        queue = self.queues.get(queue_name)
        if queue is None:
            raise QueueDoesNotExist(queue_name)
        attrs = tuple(attributes.items()) if attributes else ()
        self._check_message(queue, body, attrs, delay_s, group, dedup_id, size_bytes)
        now = self.clock.now_ms
        key: tuple[str, str] | None = None
        if queue.config.fifo:
            key = self._dedup_key(queue, body, group, dedup_id)
            original = self._duplicate_of(queue, key, now)
            if original is not None:
                self.world.emit(
                    ev.DuplicateMessageAccepted,
                    "sqs_fifo_dedup_interval",
                    queue_name,
                    message_id=original,
                    dedup_id=key[1],
                )
                return SendResult(original, True)
        world = self.world
        number = world.next_message_number()
        msg = Message(f"m{number}", number, body, queue, now, group, dedup_id, attrs)
        if size_bytes is not None:
            msg.declared_size = size_bytes
        if key is not None:
            queue.dedup[key] = (now, msg.id)
        elif group is not None:
            self.fair.note_send(queue_name, group, now)  # fair.py: a standard queue's tenant
        # sqs_delay_fifo: "A message timer setting for an individual message overrides any
        # DelaySeconds value on an Amazon SQS delay queue" — even 0; "FIFO queues don't support
        # timers on individual messages", so there the queue delay always applies.
        delay = queue.config.delay_s if delay_s is None or queue.config.fifo else delay_s
        if world.log.enabled:
            world.emit(
                ev.MessageSent,
                "SendMessage",
                queue_name,
                message_id=msg.id,
                delay_ms=delay * 1000,
                group=group,
                dedup_id=key[1] if key else None,
            )
        self._admit(queue, msg, delay * 1000)
        return SendResult(msg.id, False)

    def _check_message(
        self,
        queue: Queue,
        body: str,
        attrs: tuple[tuple[str, str], ...],
        delay_s: int | None,
        group: str | None,
        dedup_id: str | None,
        size_bytes: int | None = None,
    ) -> None:
        if not body:
            raise MissingParameter("The request must contain the parameter MessageBody.")
        # SendMessage MessageBody (https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/sqs/
        # aws.sdk.kotlin.services.sqs.model/-send-message-request/-builder/message-body.html):
        # only #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF; "If a message
        # contains characters outside the allowed set, Amazon SQS rejects the message and returns
        # an InvalidMessageContents error" (current API text; an older text said they were
        # replaced with U+FFFD).
        bad = _INVALID_BODY_CHAR_RE.search(body)
        if bad is not None:
            raise InvalidMessageContents(
                f"Invalid characters found ({bad.group()!r} at offset {bad.start()}). "
                f"Valid values: {_BODY_CHARS}"
            )
        # sqs_message_attributes: up to 10
        if len(attrs) > MAX_ATTRIBUTES:
            raise InvalidParameterValue(
                f"Number of message attributes [{len(attrs)}] exceeds the allowed maximum "
                f"[{MAX_ATTRIBUTES}]."
            )
        if attrs:
            check_attributes(attrs, InvalidParameterValue)
        # A group id is validated wherever it is given (a standard queue takes one for fair
        # queues); a deduplication id is checked below, once the queue type allows it.
        if group is not None:
            check_id("MessageGroupId", group, InvalidParameterValue)
        # sqs_max_message_size: "body + attributes counted together", at most 1 MiB; an attribute
        # counts its name, its type and its value (validation.attributes_size).
        size = len(body.encode()) if size_bytes is None else size_bytes
        if attrs:
            size += attributes_size(attrs)
        if size > MAX_MESSAGE_BYTES:
            raise InvalidParameterValue(
                f"One or more parameters are invalid. Reason: Message must be shorter than "
                f"{MAX_MESSAGE_BYTES} bytes (this one is {size})."
            )
        if delay_s is not None:
            _check_range("DelaySeconds", delay_s, 0, DELAY_MAX_S)
        if not queue.config.fifo:
            if dedup_id is not None:
                raise InvalidParameterValue(
                    "The request include parameter MessageDeduplicationId that is not valid for "
                    "this queue type"
                )
            return
        # sqs_delay_fifo: "FIFO queues don't support timers on individual messages"
        if delay_s:
            raise invalid_value(
                "DelaySeconds",
                delay_s,
                "The request include parameter that is not valid for this queue type.",
            )
        # sqs_message_group_id: "required on every FIFO send ... up to 128 chars"
        if not group:
            raise MissingParameter("The request must contain the parameter MessageGroupId.")
        if dedup_id is not None:
            check_id("MessageDeduplicationId", dedup_id, InvalidParameterValue)
        # sqs_fifo_dedup_interval: "If there is no dedup ID and content-based dedup is off, the
        # send fails."
        if dedup_id is None and not queue.config.content_based_dedup:
            raise InvalidParameterValue(
                "The queue should either have ContentBasedDeduplication enabled or "
                "MessageDeduplicationId provided explicitly"
            )

    def _dedup_key(
        self, queue: Queue, body: str, group: str | None, dedup_id: str | None
    ) -> tuple[str, str]:
        # sqs_fifo_dedup_interval: with ContentBasedDeduplication "the ID is a SHA-256 hash of the
        # body (not attributes)"; an explicit id overrides it. FIFO-08: DeduplicationScope
        # messageGroup makes the key per group (validated on AWS by LocalStack PR #10274).
        key = dedup_id if dedup_id is not None else hashlib.sha256(body.encode()).hexdigest()
        scope = group or "" if queue.config.dedup_scope == "messageGroup" else ""
        return scope, key

    def _duplicate_of(self, queue: Queue, key: tuple[str, str], now: int) -> str | None:
        # sqs_fifo_dedup_interval: messages with the same id "are accepted successfully but aren't
        # delivered during the 5-minute deduplication interval" — a history, not the contents:
        # deleting the original does not reopen the window (FIFO-06).
        return recent_duplicate(queue.dedup, key, now, DEDUP_INTERVAL_MS)

    def _admit(self, queue: Queue, msg: Message, delay_ms: int) -> None:
        """Put a new (or moved) message in `queue`: delayed, or visible at once."""
        msg.queue = queue
        queue.messages[msg.id] = msg
        self._schedule_expiry(queue, msg)
        if delay_ms > 0:
            msg.state = DELAYED
            msg.deadline_ms = msg.sent_at_ms + delay_ms
            queue.n_delayed += 1
            msg.timer = self.clock.schedule(msg.deadline_ms, STATE, self._delay_ended, msg)
        else:
            msg.state = VISIBLE
            msg.timer = None
            queue.n_visible += 1
            if not queue.config.fifo:
                heapq.heappush(queue.ready, (msg.number, msg.gen, msg))
            if queue.waiters:
                self._wake_later(queue)

    def _schedule_expiry(self, queue: Queue, msg: Message) -> None:
        # sqs_retention_default: "Amazon SQS automatically deletes messages that have been in a
        # queue for more than the maximum message retention period" — in flight or not (SQS-22).
        # Lowering retention "affects messages already in the queue" (we apply it at once; AWS
        # may take up to 15 minutes).
        at = msg.enqueued_at_ms + queue.config.retention_s * 1000
        token = next(self._tokens)
        msg.expiry_token = token
        heapq.heappush(queue.expiries, (at, token, msg))
        timer = queue.expiry_timer
        if timer is None or at < timer.at_ms:
            if timer is not None:
                self.clock.cancel(timer)
            queue.expiry_timer = self.clock.schedule(at, STATE, self._retention_due, queue)

    def _rebuild_expiries(self, queue: Queue) -> None:
        self.clock.cancel(queue.expiry_timer)
        queue.expiry_timer = None
        queue.expiries = []
        queue.stale_expiries = 0
        for msg in queue.messages.values():
            self._schedule_expiry(queue, msg)

    def _retention_due(self, queue: Queue) -> None:
        queue.expiry_timer = None
        heap = queue.expiries
        now = self.clock.now_ms
        while heap and heap[0][0] <= now:
            _at, token, msg = heapq.heappop(heap)
            if msg.expiry_token == token and msg.state != GONE:
                self._remove(queue, msg)  # counts the entry as stale...
                self.world.emit(
                    ev.MessageExpired, "sqs_retention_default", queue.name, message_id=msg.id
                )
            queue.stale_expiries -= 1  # ...and here it leaves the heap
        if heap:
            queue.expiry_timer = self.clock.schedule(heap[0][0], STATE, self._retention_due, queue)

    # -- timers -----------------------------------------------------------------------------

    def _delay_ended(self, msg: Message) -> None:
        # sqs_delay_range: a delayed message becomes visible when its delay is over.
        msg.queue.n_delayed -= 1
        queue = self._make_visible(msg)
        self.world.emit(ev.MessageDelayEnded, "sqs_delay_range", queue.name, message_id=msg.id)
        if queue.waiters:
            self._wake_later(queue)

    def _visibility_expired(self, msg: Message) -> None:
        # sqs_delete_after_processing: "A received message stays in the queue until the consumer
        # deletes it; otherwise it reappears after the visibility timeout."
        msg.queue.n_in_flight -= 1
        queue = self._make_visible(msg)
        if self.world.log.enabled:
            self.world.emit(
                ev.VisibilityTimeoutExpired, "sqs_visibility_range", queue.name, message_id=msg.id
            )
        if queue.waiters:
            self._wake_later(queue)

    def _make_visible(self, msg: Message) -> Queue:
        """A delayed or in-flight message is visible again (the caller has left its old state)."""
        queue = msg.queue
        msg.state = VISIBLE
        msg.gen += 1
        msg.timer = None
        queue.n_visible += 1
        if not queue.config.fifo:
            heapq.heappush(queue.ready, (msg.number, msg.gen, msg))
        return queue

    def _remove(self, queue: Queue, msg: Message) -> None:
        """Take a live message out of its queue (delete, expiry, purge, move)."""
        state = msg.state
        if state == VISIBLE:
            queue.n_visible -= 1
        elif state == IN_FLIGHT:
            queue.n_in_flight -= 1
        elif state == DELAYED:
            queue.n_delayed -= 1
        msg.state = GONE
        msg.gen += 1
        del queue.messages[msg.id]
        clock = self.clock
        if msg.timer is not None:
            clock.cancel(msg.timer)
            msg.timer = None
        msg.expiry_token = -1
        queue.stale_expiries += 1

    @staticmethod
    def _compact_expiries(queue: Queue) -> None:
        """Drop the retention entries of messages that left, once they are most of the heap."""
        if queue.stale_expiries > 1024 and queue.stale_expiries * 2 > len(queue.expiries):
            queue.expiries = [e for e in queue.expiries if e[2].expiry_token == e[1]]
            heapq.heapify(queue.expiries)
            queue.stale_expiries = 0

    # -- receive ----------------------------------------------------------------------------

    def receive_message(
        self,
        queue_name: str,
        *,
        max_number_of_messages: int | None = None,
        wait_time_s: int | None = None,
        visibility_timeout_s: int | None = None,
        receive_request_attempt_id: str | None = None,
    ) -> list[Received]:
        """ReceiveMessage. With a wait (long polling) the virtual clock runs until a message is
        available or the wait is over, whichever comes first (DESIGN §4)."""
        queue, max_n, wait_s = self._check_receive(
            queue_name, max_number_of_messages, wait_time_s, visibility_timeout_s
        )
        attempt = receive_request_attempt_id if queue.config.fifo else None
        if attempt is not None:
            replay = self._replay_attempt(queue, attempt)
            if replay is not None:
                return replay
        got = self._collect(queue, max_n, visibility_timeout_s, short_poll=wait_s == 0)
        if not got and wait_s > 0:
            poll = self._start_poll(queue, max_n, visibility_timeout_s, wait_s, lambda _got: None)
            self.clock.run_while(lambda: not poll.done)
            got = poll.result
        if attempt is not None:
            self._remember_attempt(queue, attempt, got)
        self.world.settle()
        return got

    def begin_receive(
        self,
        queue_name: str,
        on_done: Callable[[list[Received]], None],
        *,
        max_number_of_messages: int | None = None,
        wait_time_s: int | None = None,
        visibility_timeout_s: int | None = None,
    ) -> LongPoll | None:
        """ReceiveMessage for simulated clients (part 2): `on_done(messages)` is called now if
        messages are available (or on a short poll), else when the long poll ends."""
        queue, max_n, wait_s = self._check_receive(
            queue_name, max_number_of_messages, wait_time_s, visibility_timeout_s
        )
        got = self._collect(queue, max_n, visibility_timeout_s, short_poll=wait_s == 0)
        if got or wait_s == 0:
            on_done(got)
            return None
        return self._start_poll(queue, max_n, visibility_timeout_s, wait_s, on_done)

    def _check_receive(
        self, queue_name: str, max_n: int | None, wait_s: int | None, vt_s: int | None
    ) -> tuple[Queue, int, int]:
        """The queue, the batch size and the wait of a ReceiveMessage, or raise."""
        queue = self.queues.get(queue_name)
        if queue is None:
            raise QueueDoesNotExist(queue_name)
        # sqs_receive_max_messages: "1-10, default 1 per call"
        if max_n is None:
            max_n = RECEIVE_DEFAULT
        if not 1 <= max_n <= RECEIVE_MAX:
            raise invalid_value(
                "MaxNumberOfMessages", max_n, "Must be between 1 and 10, if provided."
            )
        # sqs_long_poll_wait: 0-20 s; without one, ReceiveMessageWaitTimeSeconds applies.
        wait = queue.config.wait_s if wait_s is None else wait_s
        if not 0 <= wait <= WAIT_MAX_S:
            raise invalid_value("WaitTimeSeconds", wait, "Must be >= 0 and <= 20, if provided.")
        if vt_s is not None and not 0 <= vt_s <= VISIBILITY_MAX_S:
            raise invalid_value("VisibilityTimeout", vt_s, "Must be between 0 and 43200.")
        return queue, max_n, wait

    @staticmethod
    def _visibility_ms(queue: Queue, vt_s: int | None) -> int:
        # sqs_visibility_where_set: per receive, else the queue's VisibilityTimeout. The queue's
        # value is read when the messages are returned, not when the request arrived: "If you do
        # not specify a VisibilityTimeout in the request, the overall visibility timeout for the
        # queue is used for the returned messages" (ReceiveMessageRequest,
        # https://docs.aws.amazon.com/sdkfornet1/latest/apidocs/html/T_Amazon_SQS_Model_ReceiveMessageRequest.htm)
        # — so a long poll that waits across a SetQueueAttributes hides its messages for the new
        # value (docs/fidelity.md, "Visibility timeout of a long poll").
        return (queue.config.visibility_timeout_s if vt_s is None else vt_s) * 1000

    def _collect(
        self, queue: Queue, max_n: int, vt_s: int | None, *, short_poll: bool
    ) -> list[Received]:
        vt_ms = self._visibility_ms(queue, vt_s)
        if queue.config.fifo:
            return self._collect_fifo(queue, max_n, vt_ms)
        chaos = self.world.chaos
        if not chaos.enabled:
            if self.fair.is_fair(queue):
                return self.fair.collect(queue, max_n, vt_ms)
            out: list[Received] = []
            for msg in self._visible_in_order(queue):
                out.append(self._deliver(queue, msg, vt_ms))
                if len(out) >= max_n:
                    break
            return out
        rng = self.world.random
        want = max_n * 2 if chaos.reorder else max_n
        picked: list[Message] = []
        missed: list[Message] = []
        for msg in self._visible_in_order(queue):
            if short_poll and rng.random() >= chaos.short_poll_sample:
                missed.append(msg)
                continue
            picked.append(msg)
            if len(picked) >= want:
                break
        if chaos.reorder and len(picked) > 1:
            rng.shuffle(picked)
            self.world.emit(
                ev.BatchReordered,
                "sqs_standard_delivery",
                queue.name,
                message_ids=tuple(m.id for m in picked),
            )
        self._push_back(queue, picked[max_n:] + missed)
        if missed:
            self.world.emit(
                ev.ShortPollSampled,
                "sqs_short_poll_sampling",
                queue.name,
                missed=tuple(m.id for m in missed),
            )
        return [self._deliver(queue, msg, vt_ms) for msg in picked[:max_n]]

    @staticmethod
    def _push_back(queue: Queue, messages: list[Message]) -> None:
        """Visible messages taken off the ready heap but not delivered go back on it."""
        for msg in messages:
            heapq.heappush(queue.ready, (msg.number, msg.gen, msg))

    def _visible_in_order(self, queue: Queue) -> Iterator[Message]:
        """A standard queue's visible messages in send order, each taken off the ready heap;
        one past its maxReceiveCount goes to the DLQ on the way instead."""
        ready = queue.ready
        max_rc = queue.config.max_receive_count
        while ready:
            _n, gen, msg = heapq.heappop(ready)
            if msg.gen != gen:
                continue
            if max_rc is not None and msg.receive_count >= max_rc and self._move_to_dlq(queue, msg):
                continue
            yield msg

    def _collect_fifo(self, queue: Queue, max_n: int, vt_ms: int) -> list[Received]:
        # "Inflight messages block delivery of available messages within the same message group"
        # and "FIFO queues scan the first 120,000 messages to determine available message
        # groups" (avoid-backlog-with-the-same-message-group-id); it "returns as many messages
        # with the same message group ID as possible"
        # (knowledge-center/sqs-fifo-messages-not-returned). Availability is the prefix of a group
        # up to its first in-flight message (LocalStack PR #13386); delayed messages do not block
        # (FIFO-03b).
        blocked: set[str | None] = set()
        by_group: dict[str | None, list[Message]] = {}
        for seen, msg in enumerate(queue.messages.values()):
            if seen >= FIFO_LOOKAHEAD:
                break
            group = msg.group
            if msg.state == IN_FLIGHT:
                blocked.add(group)
            elif msg.state == VISIBLE and group not in blocked:
                by_group.setdefault(group, []).append(msg)
        out: list[Received] = []
        max_rc = queue.config.max_receive_count
        for msgs in by_group.values():
            for msg in msgs:
                if len(out) >= max_n:
                    return out
                # sqs_dlq_fifo_order: "Using a DLQ with a FIFO queue can break exact ordering" —
                # the group goes on with the next message in this same call (FIFO-09).
                if (
                    max_rc is not None
                    and msg.receive_count >= max_rc
                    and self._move_to_dlq(queue, msg)
                ):
                    continue
                out.append(self._deliver(queue, msg, vt_ms))
        return out

    def _deliver(self, queue: Queue, msg: Message, vt_ms: int) -> Received:
        # SQS-06: "ApproximateReceiveCount ... number of times a message has been received across
        # all queues but not deleted" — every delivery counts, seen by a consumer or not.
        now = self.clock.now_ms
        msg.receives += 1
        msg.receive_count += 1
        msg.state = IN_FLIGHT
        msg.gen += 1
        msg.received_at_ms = now
        deadline = msg.deadline_ms = now + vt_ms
        msg.timer = self.clock.schedule(deadline, STATE, self._on_visibility_expired, msg)
        queue.n_visible -= 1
        queue.n_in_flight += 1
        receipt = f"{msg.id}#{msg.receives}"
        if self.world.log.enabled:
            self.world.emit(
                ev.MessageReceived,
                "ReceiveMessage",
                queue.name,
                message_id=msg.id,
                receipt=receipt,
                receive_count=msg.receive_count,
                visible_at_ms=deadline,
            )
        return Received(
            msg.id,
            msg.body,
            receipt,
            msg.receive_count,
            msg.group,
            msg.attributes,
            msg.dead_letter_source,
            deadline,
            msg.declared_size,
        )

    def _move_to_dlq(self, queue: Queue, msg: Message) -> bool:
        """Move a message past its maxReceiveCount to the queue's DLQ; False (and the message
        stays, to be delivered as usual) when the DLQ no longer exists."""
        # SQS-10: the source queue "moves messages after the value of maxReceiveCount is
        # exceeded" — lazily, during the receive after the last delivery (verified on AWS by
        # LocalStack issue #8234); that receive does not return it.
        dlq_name = queue.config.dead_letter_queue
        dlq = self.queues.get(dlq_name) if dlq_name is not None else None
        if dlq is None:
            # A DLQ deleted after the redrive policy named it: AWS documents no outcome (the
            # DeleteQueue and dead-letter pages say nothing of it). The message is not lost: it
            # stays in its queue and is received again (docs/fidelity.md, "A DLQ that was
            # deleted").
            return False
        self.world.emit(
            ev.MessageMovedToDlq,
            "sqs_max_receive_count",
            queue.name,
            message_id=msg.id,
            dlq=dlq.name,
            receive_count=msg.receive_count,
        )
        # SQS-11: same MessageId, body and attributes; the receive count carries on "across all
        # queues"; DeadLetterQueueSourceArn names the source.
        # sqs_dlq_retention_standard: the original enqueue timestamp is kept on standard queues;
        # sqs_dlq_retention_fifo: "the enqueue timestamp resets" on FIFO queues.
        self._rehome(msg, dlq, dead_letter_source=queue.name, restart_retention=dlq.config.fifo)
        return True

    def _rehome(
        self,
        msg: Message,
        target: Queue,
        *,
        dead_letter_source: str | None,
        restart_retention: bool,
        reset_receive_count: bool = False,
    ) -> None:
        """Move a live message to another queue (to a DLQ, or back by a move task): same id and
        body, visible at once there; the receipt handles the old queue issued no longer work."""
        source = msg.queue
        self._remove(source, msg)
        self._compact_expiries(source)
        now = self.clock.now_ms
        if reset_receive_count:
            msg.receive_count = 0
        if restart_retention:
            msg.enqueued_at_ms = now
        msg.sent_at_ms = now
        msg.dead_letter_source = dead_letter_source
        msg.past_homes += ((source.name, msg.first_handle, msg.receives),)
        msg.first_handle = msg.receives + 1
        msg.gen += 1
        self._admit(target, msg, 0)

    # -- long polling -------------------------------------------------------------------------

    def _start_poll(
        self,
        queue: Queue,
        max_n: int,
        vt_s: int | None,
        wait_s: int,
        on_done: Callable[[list[Received]], None],
    ) -> LongPoll:
        # SQS-24/25: "If a message is available, the call returns sooner than WaitTimeSeconds" —
        # woken by sends and by timers (delay end, visibility expiry), at most 20 s.
        poll = LongPoll(queue, max_n, vt_s, on_done)
        poll.timer = self.clock.schedule(
            self.clock.now_ms + wait_s * 1000, DELIVERY, self._poll_timed_out, poll
        )
        queue.waiters.append(poll)
        self.world.emit(ev.LongPollStarted, "sqs_long_poll_wait", queue.name, wait_ms=wait_s * 1000)
        return poll

    def _wake_later(self, queue: Queue) -> None:
        if not queue.wake_pending:
            queue.wake_pending = True
            self.clock.schedule(self.clock.now_ms, DELIVERY, self._wake, queue)

    def _wake(self, queue: Queue) -> None:
        queue.wake_pending = False
        while queue.waiters:
            poll = queue.waiters[0]
            got = self._collect(queue, poll.max_n, poll.vt_s, short_poll=False)
            if not got:
                return
            queue.waiters.popleft()
            self._finish_poll(poll, got)

    def _poll_timed_out(self, poll: LongPoll) -> None:
        if poll.done:
            return
        poll.queue.waiters.remove(poll)
        poll.timer = None
        self._finish_poll(poll, self._collect(poll.queue, poll.max_n, poll.vt_s, short_poll=False))

    def _finish_poll(self, poll: LongPoll, got: list[Received]) -> None:
        poll.done = True
        poll.result = got
        self.clock.cancel(poll.timer)
        self.world.emit(
            ev.LongPollEnded,
            "sqs_long_poll_wait",
            poll.queue.name,
            message_ids=tuple(r.message_id for r in got),
        )
        poll.on_done(got)

    # -- FIFO receive request attempt ids -----------------------------------------------------

    def _replay_attempt(self, queue: Queue, attempt: str) -> list[Received] | None:
        # FIFO-10: "During the visibility timeout, subsequent calls with the same
        # ReceiveRequestAttemptId return the same messages and receipt handles" (FIFO-key-terms,
        # receive request attempt ID), for 5 minutes.
        now = self.clock.now_ms
        for key in [k for k, (at, _) in queue.attempts.items() if now - at >= ATTEMPT_ID_TTL_MS]:
            del queue.attempts[key]
        cached = queue.attempts.get(attempt)
        if cached is None:
            return None
        pairs = cached[1]
        if not all(m.state == IN_FLIGHT and m.receives == n and m.queue is queue for m, n in pairs):
            return None
        return [
            Received(
                m.id,
                m.body,
                f"{m.id}#{n}",
                m.receive_count,
                m.group,
                m.attributes,
                m.dead_letter_source,
                m.deadline_ms,
                m.declared_size,
            )
            for m, n in pairs
        ]

    def _remember_attempt(self, queue: Queue, attempt: str, got: list[Received]) -> None:
        # Each message was just delivered: its delivery count is the `n` of its handle.
        pairs = [(m, m.receives) for m in (queue.messages[r.message_id] for r in got)]
        queue.attempts[attempt] = (self.clock.now_ms, pairs)

    # -- delete and visibility ------------------------------------------------------------------

    def _handle_target(self, queue: Queue, receipt: str) -> tuple[Message | None, int]:
        """Read a receipt handle `m<number>#<n>` (DESIGN §4): the live message it names in `queue`
        (None if that message is gone) and its `n`, or raise ReceiptHandleIsInvalid."""
        mid, _sep, n_text = receipt.partition("#")
        msg = queue.messages.get(mid)
        n = int(n_text) if n_text.isdigit() and n_text.isascii() else 0  # "" when no "#"
        if msg is not None:
            if msg.first_handle <= n <= msg.receives:
                return msg, n  # the common case: a handle of a live message of this queue
        elif n >= 1:
            # A message that is gone (deleted, expired, moved): the handle is still well formed.
            number = mid[1:]
            if (
                mid[:1] == "m"
                and number.isdigit()
                and number.isascii()
                and 1 <= int(number) <= self.world.message_count
            ):
                self._check_issued_here(queue, mid, n, receipt)
                return None, n
        raise ReceiptHandleIsInvalid(f'The input receipt handle "{receipt}" is not valid.')

    def _check_issued_here(self, queue: Queue, mid: str, n: int, receipt: str) -> None:
        """A handle of a message that lives in another queue is valid here only if this queue
        issued it before the message moved (docs/fidelity.md: a message gone from every queue
        leaves no record, so its handles are not checked)."""
        # Knowledge center, sqs-receipt-handle-error (Japanese edition): ReceiptHandleIsInvalid,
        # 受信ハンドル "…" は、このキューでは無効です (not valid for this queue), when a message is
        # deleted with a receipt handle from another SQS queue.
        for other in self.queues.values():
            msg = other.messages.get(mid)
            if msg is None:
                continue
            if any(q == queue.name and lo <= n <= hi for q, lo, hi in msg.past_homes):
                return
            raise ReceiptHandleIsInvalid(
                f'The receipt handle "{receipt}" is not valid for this queue.'
            )

    @staticmethod
    def _check_fifo_handle(queue: Queue, msg: Message, n: int, receipt: str) -> None:
        # SQS-08 (knowledge-center/sqs-receipt-handle-error): on FIFO queues an expired receipt
        # handle gives InvalidParameterValue "The receipt handle has expired"; old handles "might
        # work" only on standard queues.
        if queue.config.fifo and not (msg.state == IN_FLIGHT and n == msg.receives):
            raise invalid_value("ReceiptHandle", receipt, "The receipt handle has expired.")

    def delete_message(self, queue_name: str, receipt: str) -> None:
        """DeleteMessage. Standard: any handle this queue issued deletes (see module header)."""
        queue = self.queues.get(queue_name)
        if queue is None:
            raise QueueDoesNotExist(queue_name)
        msg, n = self._handle_target(queue, receipt)
        if msg is None:
            # Deleting a message that is already gone succeeds and changes nothing.
            return
        if queue.config.fifo:
            self._check_fifo_handle(queue, msg, n, receipt)
        chaos = self.world.chaos
        if (
            not queue.config.fifo
            and chaos.delete_survival > 0.0
            and self.world.random.random() < chaos.delete_survival
        ):
            # sqs_standard_delivery: "It is possible you will receive a message even after you
            # have deleted it" — a copy on another server survives this delete.
            self.world.emit(
                ev.DeletedCopySurvived, "sqs_standard_delivery", queue.name, message_id=msg.id
            )
            return
        stale = n != msg.receives or msg.state != IN_FLIGHT
        self._remove(queue, msg)
        if queue.stale_expiries > 1024:
            self._compact_expiries(queue)
        if self.world.log.enabled:
            # SQS-07: with an older handle on a standard queue "the request will still succeed,
            # but the message might not be deleted" — we delete (as moto does), cause says so.
            cause = "stale_receipt_handle_accepted" if stale else "DeleteMessage"
            self.world.emit(
                ev.MessageDeleted, cause, queue.name, message_id=msg.id, receipt=receipt
            )

    def send_message_batch(self, queue_name: str, entries: Sequence[SendEntry]) -> BatchResult:
        """SendMessageBatch: up to 10 SendMessage calls, each reported by its Id (sqs_batch.py)."""
        from studyaws.engine import sqs_batch  # it builds on this module

        return sqs_batch.send_message_batch(self, queue_name, entries)

    def delete_message_batch(
        self, queue_name: str, entries: Sequence[tuple[str, str]]
    ) -> BatchResult:
        """DeleteMessageBatch: (Id, ReceiptHandle) entries, each a DeleteMessage (sqs_batch.py)."""
        from studyaws.engine import sqs_batch

        return sqs_batch.delete_message_batch(self, queue_name, entries)

    def change_message_visibility(
        self, queue_name: str, receipt: str, visibility_timeout_s: int
    ) -> None:
        """ChangeMessageVisibility: the new timeout counts from now (SQS-02), not sticky."""
        queue = self._queue(queue_name)
        # sqs_visibility_range: 0 s to 12 hours
        _check_range("VisibilityTimeout", visibility_timeout_s, 0, VISIBILITY_MAX_S)
        msg, n = self._handle_target(queue, receipt)
        if msg is None:
            # SQS-09(a): "Message does not exist or is not available for visibility timeout
            # change" (InvalidParameterValue, seen on real AWS: data-prepper issue #3861).
            raise invalid_value(
                "ReceiptHandle",
                receipt,
                "Message does not exist or is not available for visibility timeout change.",
            )
        self._check_fifo_handle(queue, msg, n, receipt)
        if msg.state != IN_FLIGHT:
            # SQS-09(b): on a message that is visible again the call succeeds and changes nothing
            # (LocalStack's AWS-validated fix, PR #9632).
            return
        now = self.clock.now_ms
        # SQS-05: the 12-hour maximum is a total for the current receive; a longer request is
        # rejected — SQS "will not automatically recalculate and increase the timeout to the
        # maximum time remaining".
        total_ms = now - msg.received_at_ms + visibility_timeout_s * 1000
        if total_ms > VISIBILITY_MAX_S * 1000:
            raise invalid_value(
                "VisibilityTimeout",
                visibility_timeout_s,
                f"Total VisibilityTimeout for the message is beyond the limit "
                f"[{VISIBILITY_MAX_S} seconds].",
            )
        # sqs_change_visibility: "the new value counts from the time of the call".
        self.clock.cancel(msg.timer)
        msg.deadline_ms = now + visibility_timeout_s * 1000
        msg.timer = self.clock.schedule(msg.deadline_ms, STATE, self._visibility_expired, msg)
        self.world.emit(
            ev.VisibilityTimeoutChanged,
            "ChangeMessageVisibility",
            queue.name,
            message_id=msg.id,
            receipt=receipt,
            visible_at_ms=msg.deadline_ms,
        )
        self.world.settle()

    # -- purge and redrive ----------------------------------------------------------------------

    def purge_queue(self, queue_name: str) -> None:
        """PurgeQueue: every message goes, in flight or not; once per 60 s."""
        queue = self._queue(queue_name)
        now = self.clock.now_ms
        # SQS-26: "Only one PurgeQueue operation on a queue is allowed every 60 seconds"; the
        # deletion "takes up to 60 seconds" — here it is immediate and messages sent after the
        # call are kept (both deterministic choices, see docs/fidelity.md).
        if queue.last_purge_ms is not None and now - queue.last_purge_ms < PURGE_INTERVAL_MS:
            raise PurgeQueueInProgress(
                f"Only one PurgeQueue operation on {queue_name} is allowed every 60 seconds."
            )
        queue.last_purge_ms = now
        ids = tuple(queue.messages)
        for msg in list(queue.messages.values()):
            self._remove(queue, msg)
        queue.ready.clear()
        self._compact_expiries(queue)
        self.world.emit(ev.QueuePurged, "PurgeQueue", queue_name, message_ids=ids)

    def dead_letter_sources(self, queue_name: str) -> list[str]:
        """The queues whose redrive policy names `queue_name` as their DLQ."""
        return [q.name for q in self.queues.values() if q.config.dead_letter_queue == queue_name]

    def start_message_move_task(
        self,
        source: str,
        *,
        destination: str | None = None,
        max_per_second: int | None = None,
    ) -> None:
        """StartMessageMoveTask: move a DLQ's messages back to their sources (or `destination`)."""
        queue = self._queue(source)
        # sqs_dlq_redrive: "Only for DLQs of other SQS queues"; "one active move task per queue";
        # MaxNumberOfMessagesPerSecond at most 500.
        if not self.dead_letter_sources(source):
            raise InvalidParameterValue("Source queue must be configured as a Dead Letter Queue.")
        if queue.move_task is not None:
            raise UnsupportedOperation(
                f"There is already a message movement task running on {source}."
            )
        if destination is not None:
            dest = self._queue(destination)
            if dest.config.fifo != queue.config.fifo:
                raise InvalidParameterCombination(
                    "The destination queue must be of the same type as the source queue."
                )
        if max_per_second is not None:
            _check_range("MaxNumberOfMessagesPerSecond", max_per_second, 1, MOVE_RATE_MAX)
        queue.move_task = MoveTask(destination, max_per_second)
        self.world.emit(
            ev.MessageMoveTaskStarted,
            "StartMessageMoveTask",
            source,
            destination=destination,
            max_per_second=max_per_second,
        )
        self.clock.schedule(self.clock.now_ms, STATE, self._move_step, queue)
        self.world.settle()

    def _move_step(self, queue: Queue) -> None:
        task = queue.move_task
        if task is None:
            return
        budget = task.rate if task.rate is not None else len(queue.messages)
        batch = [m for m in queue.messages.values() if m.state == VISIBLE][:budget]
        for msg in batch:
            target = self.queues.get(task.destination or msg.dead_letter_source or "")
            if target is None:
                continue
            task.moved += 1
            self.world.emit(
                ev.MessageRedriven,
                "sqs_dlq_redrive",
                queue.name,
                message_id=msg.id,
                destination=target.name,
            )
            # SQS-16: whether the receive count is reset is unverified (floci#900 says AWS
            # resets it); we reset it and the retention clock, and keep the id (DESIGN §4).
            self._rehome(
                msg,
                target,
                dead_letter_source=None,
                restart_retention=True,
                reset_receive_count=True,
            )
        remaining = any(m.state == VISIBLE for m in queue.messages.values())
        if task.rate is not None and remaining:
            self.clock.schedule(self.clock.now_ms + 1000, STATE, self._move_step, queue)
            return
        queue.move_task = None
        self.world.emit(
            ev.MessageMoveTaskCompleted, "sqs_dlq_redrive", queue.name, moved=task.moved
        )

    # -- the picture ------------------------------------------------------------------------

    def snapshot(self) -> dict[str, QueueSnapshot]:
        """Per queue: ids by state (arrival order), the DLQ link and every message's details."""
        out: dict[str, QueueSnapshot] = {}
        for name, queue in self.queues.items():
            by_state: tuple[list[str], list[str], list[str]] = ([], [], [])  # by state number
            details: list[MessageSnapshot] = []
            for msg in queue.messages.values():
                by_state[msg.state].append(msg.id)
                details.append(
                    {
                        "message_id": msg.id,
                        "state": STATE_NAMES[msg.state],
                        "body": msg.body,
                        "group": msg.group,
                        "receive_count": msg.receive_count,
                        "available_at": (
                            ev.ms_to_s(msg.deadline_ms) if msg.state != VISIBLE else None
                        ),
                        "dead_letter_source": msg.dead_letter_source,
                    }
                )
            out[name] = {
                "fifo": queue.config.fifo,
                "attributes": queue.config.to_aws(),
                "visible": by_state[VISIBLE],
                "in_flight": by_state[IN_FLIGHT],
                "delayed": by_state[DELAYED],
                "dead_letter_queue": queue.config.dead_letter_queue,
                "max_receive_count": queue.config.max_receive_count,
                "dead_letter_sources": self.dead_letter_sources(name),
                "waiting_polls": len(queue.waiters),
                "messages": details,
            }
        return out


def _attr_items(config: QueueConfig) -> tuple[tuple[str, Any], ...]:
    return tuple((k, v) for k, v in config.to_aws().items() if k != "RedrivePolicy") + (
        (("RedrivePolicy", (config.dead_letter_queue, config.max_receive_count)),)
        if config.dead_letter_queue
        else ()
    )
