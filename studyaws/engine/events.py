"""The event log's vocabulary: frozen, past-tense facts about what happened in the world.

Every observable change appends one event. Each carries `at_ms` (virtual time), `seq` (its place in
the log, from 0), `cause` (the rule or fact id that made it happen, e.g. `sqs_visibility_default`)
and `resource` (the queue, topic or function it happened to). Events hold data only: the wording a
learner reads belongs to `ui/` and `sandbox/`.

Part 2 adds its own events here (SNS, Lambda, ...) the same way: a frozen dataclass with slots whose
name is a past-tense verb phrase.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class Event:
    at_ms: int
    seq: int
    cause: str
    resource: str

    @property
    def kind(self) -> str:
        return type(self).__name__

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: `at` in seconds, `kind`, then every field but `at_ms`."""
        out: dict[str, Any] = {"at": ms_to_s(self.at_ms), "kind": self.kind}
        for f in fields(self):
            if f.name != "at_ms":
                value = getattr(self, f.name)
                out[f.name] = list(value) if isinstance(value, tuple) else value
        return out


def ms_to_s(ms: int) -> int | float:
    """Milliseconds as seconds, an `int` when whole (`31000` → `31`, `1500` → `1.5`)."""
    return ms // 1000 if ms % 1000 == 0 else ms / 1000


# -- SQS: queues --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueueCreated(Event):
    fifo: bool
    attributes: tuple[tuple[str, Any], ...]


@dataclass(frozen=True, slots=True)
class QueueAttributesChanged(Event):
    attributes: tuple[tuple[str, Any], ...]


@dataclass(frozen=True, slots=True)
class QueueDeleted(Event):
    pass


@dataclass(frozen=True, slots=True)
class QueuePurged(Event):
    message_ids: tuple[str, ...]


# -- SQS: messages ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MessageSent(Event):
    message_id: str
    delay_ms: int
    group: str | None
    dedup_id: str | None


@dataclass(frozen=True, slots=True)
class DuplicateMessageAccepted(Event):
    """A FIFO send inside the deduplication interval: success, the original id, nothing stored."""

    message_id: str
    dedup_id: str


@dataclass(frozen=True, slots=True)
class MessageDelayEnded(Event):
    message_id: str


@dataclass(frozen=True, slots=True)
class MessageReceived(Event):
    message_id: str
    receipt: str
    receive_count: int
    visible_at_ms: int


@dataclass(frozen=True, slots=True)
class MessageDeleted(Event):
    message_id: str
    receipt: str


@dataclass(frozen=True, slots=True)
class VisibilityTimeoutChanged(Event):
    message_id: str
    receipt: str
    visible_at_ms: int


@dataclass(frozen=True, slots=True)
class VisibilityTimeoutExpired(Event):
    message_id: str


@dataclass(frozen=True, slots=True)
class MessageMovedToDlq(Event):
    message_id: str
    dlq: str
    receive_count: int


@dataclass(frozen=True, slots=True)
class MessageExpired(Event):
    message_id: str


@dataclass(frozen=True, slots=True)
class MessageMoveTaskStarted(Event):
    destination: str | None
    max_per_second: int | None


@dataclass(frozen=True, slots=True)
class MessageRedriven(Event):
    message_id: str
    destination: str


@dataclass(frozen=True, slots=True)
class MessageMoveTaskCompleted(Event):
    moved: int


# -- SQS: polling -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LongPollStarted(Event):
    wait_ms: int


@dataclass(frozen=True, slots=True)
class LongPollEnded(Event):
    message_ids: tuple[str, ...]


# -- SQS: simulated non-determinism (only with the chaos switches on) ---------------------------


@dataclass(frozen=True, slots=True)
class ShortPollSampled(Event):
    """A short poll looked at a sample of the servers and missed these visible messages."""

    missed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DeletedCopySurvived(Event):
    """A delete succeeded but a stored copy survived: the message will be delivered again."""

    message_id: str


@dataclass(frozen=True, slots=True)
class BatchReordered(Event):
    message_ids: tuple[str, ...]


# -- part 2: every field is plain data (str, int, bool, None or a tuple of those) ---------------


# -- SNS ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TopicCreated(Event):
    fifo: bool
    content_based_dedup: bool


@dataclass(frozen=True, slots=True)
class Subscribed(Event):
    subscription: str
    protocol: str
    endpoint: str
    raw: bool
    filter_policy: str | None
    dlq: str | None


@dataclass(frozen=True, slots=True)
class MessagePublished(Event):
    message_id: str
    group: str | None
    dedup_id: str | None


@dataclass(frozen=True, slots=True)
class DuplicatePublishAccepted(Event):
    """A FIFO-topic publish inside the deduplication interval: success, nothing delivered."""

    message_id: str
    dedup_id: str


@dataclass(frozen=True, slots=True)
class NotificationFilteredOut(Event):
    message_id: str
    subscription: str


@dataclass(frozen=True, slots=True)
class NotificationDelivered(Event):
    """One copy delivered: `delivered_id` is the new SQS message (or the async request)."""

    message_id: str
    subscription: str
    endpoint: str
    delivered_id: str | None


@dataclass(frozen=True, slots=True)
class NotificationDeliveryFailed(Event):
    message_id: str
    subscription: str
    endpoint: str
    reason: str


@dataclass(frozen=True, slots=True)
class NotificationSentToDlq(Event):
    message_id: str
    subscription: str
    dlq: str


@dataclass(frozen=True, slots=True)
class NotificationDiscarded(Event):
    message_id: str
    subscription: str
    reason: str


@dataclass(frozen=True, slots=True)
class TopicArchiveChanged(Event):
    """A FIFO topic's ArchivePolicy: published messages are kept `retention_days` (0: off)."""

    retention_days: int


@dataclass(frozen=True, slots=True)
class ReplayStarted(Event):
    """A subscription's ReplayPolicy: archived messages of the window are delivered again."""

    subscription: str
    starting_ms: int
    ending_ms: int | None
    messages: int


@dataclass(frozen=True, slots=True)
class NotificationReplayed(Event):
    """One archived message delivered again to one subscription (same MessageId, Replayed)."""

    message_id: str
    subscription: str
    endpoint: str
    delivered_id: str | None


@dataclass(frozen=True, slots=True)
class ReplayCompleted(Event):
    subscription: str
    replayed: int


# -- Lambda: functions, versions, aliases -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FunctionCreated(Event):
    configuration: tuple[tuple[str, Any], ...]


@dataclass(frozen=True, slots=True)
class FunctionUpdated(Event):
    changes: tuple[tuple[str, Any], ...]


@dataclass(frozen=True, slots=True)
class VersionPublished(Event):
    version: str


@dataclass(frozen=True, slots=True)
class AliasChanged(Event):
    alias: str
    version: str
    additional_version: str | None
    additional_weight: int  # percent


# -- Lambda: invocations ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FunctionInvoked(Event):
    request_id: str
    invocation_type: str  # RequestResponse, Event, EventSourceMapping
    version: str
    concurrent: int  # executions of this function running, this one included
    attempt: int


@dataclass(frozen=True, slots=True)
class FunctionSucceeded(Event):
    request_id: str
    version: str
    duration_ms: int


@dataclass(frozen=True, slots=True)
class FunctionFailed(Event):
    request_id: str
    version: str
    error_type: str
    duration_ms: int


@dataclass(frozen=True, slots=True)
class InvocationThrottled(Event):
    request_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class EnvironmentInitialized(Event):
    """A new execution environment ran its Init phase before the request (a cold start); for
    provisioned concurrency, before any request."""

    request_id: str | None
    version: str
    init_duration_ms: int
    environment: str  # on-demand or provisioned


@dataclass(frozen=True, slots=True)
class EnvironmentRestored(Event):
    """SnapStart: a new execution environment resumed from the version's snapshot."""

    request_id: str
    version: str
    restore_duration_ms: int


@dataclass(frozen=True, slots=True)
class InitPhaseTimedOut(Event):
    """Init took longer than an on-demand environment allows: it runs again in the invocation."""

    request_id: str
    version: str


@dataclass(frozen=True, slots=True)
class EnvironmentShutDown(Event):
    """An idle execution environment was removed (its Shutdown phase)."""

    version: str
    idle_ms: int


@dataclass(frozen=True, slots=True)
class SnapshotCreated(Event):
    """SnapStart: Init ran when the version was published; its memory and disk were saved."""

    version: str
    init_duration_ms: int


@dataclass(frozen=True, slots=True)
class ProvisionedConcurrencyConfigured(Event):
    version: str
    environments: int


@dataclass(frozen=True, slots=True)
class NetworkCallTimedOut(Event):
    """A function in a VPC without a NAT tried to reach the internet: no route, it hangs."""

    request_id: str


@dataclass(frozen=True, slots=True)
class AsyncEventQueued(Event):
    request_id: str
    source: str


@dataclass(frozen=True, slots=True)
class AsyncRetryScheduled(Event):
    request_id: str
    retry_at_ms: int
    reason: str  # FunctionError or Throttled


@dataclass(frozen=True, slots=True)
class AsyncEventFinished(Event):
    """The end of an asynchronous event: Success, RetriesExhausted or EventAgeExceeded."""

    request_id: str
    condition: str
    invocations: int
    routed_to: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DestinationDeliveryFailed(Event):
    request_id: str
    destination: str
    reason: str


# -- Lambda: SQS event source mapping -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventSourceMappingCreated(Event):
    mapping: str
    queue: str
    batch_size: int
    window_ms: int
    report_batch_item_failures: bool


@dataclass(frozen=True, slots=True)
class BatchInvoked(Event):
    mapping: str
    request_id: str
    message_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BatchDeleted(Event):
    mapping: str
    message_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BatchLeftForRetry(Event):
    """Messages not deleted: they reappear when their visibility timeout ends."""

    mapping: str
    message_ids: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class BatchTrimmedToPayloadLimit(Event):
    """The records that fit in one synchronous invocation go now; `deferred` go in the next."""

    mapping: str
    message_ids: tuple[str, ...]
    deferred: tuple[str, ...]
    payload_bytes: int


@dataclass(frozen=True, slots=True)
class PollersScaled(Event):
    mapping: str
    pollers: int


@dataclass(frozen=True, slots=True)
class MessagesFilteredOut(Event):
    """Received messages that matched none of the mapping's filters: deleted, never invoked."""

    mapping: str
    message_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RecursiveInvocationDropped(Event):
    """Lambda stopped an invocation: the event had already invoked the function too many times
    in one chain of requests (recursive loop detection)."""

    request_id: str
    invocations: int  # how many times the chain had invoked the function already
    source: str  # what would have invoked it: the mapping, or the async request


# -- S3, schedules, ALB, extended client --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BucketCreated(Event):
    pass


@dataclass(frozen=True, slots=True)
class BucketNotificationConfigured(Event):
    target: str
    events: str
    prefix: str
    suffix: str


@dataclass(frozen=True, slots=True)
class ObjectCreated(Event):
    key: str
    size: int


@dataclass(frozen=True, slots=True)
class ObjectRemoved(Event):
    key: str


@dataclass(frozen=True, slots=True)
class S3EventSent(Event):
    event_name: str
    key: str
    target: str


@dataclass(frozen=True, slots=True)
class ScheduleCreated(Event):
    expression: str
    target: str
    next_at_ms: int
    # "scheduler" (EventBridge Scheduler) or "rule" (EventBridge rule); not `kind`, the event's own
    schedule_type: str = "scheduler"


@dataclass(frozen=True, slots=True)
class ScheduleFired(Event):
    target: str
    next_at_ms: int


@dataclass(frozen=True, slots=True)
class ScheduleDeleted(Event):
    pass


@dataclass(frozen=True, slots=True)
class AlbRequestForwarded(Event):
    method: str
    path: str
    request_id: str | None


@dataclass(frozen=True, slots=True)
class AlbResponded(Event):
    status: int
    reason: str


@dataclass(frozen=True, slots=True)
class PayloadStoredInS3(Event):
    bucket: str
    key: str
    size: int


@dataclass(frozen=True, slots=True)
class PayloadFetchedFromS3(Event):
    message_id: str
    bucket: str
    key: str


# -- consumers and Auto Scaling -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConsumerStarted(Event):
    consumer: str


@dataclass(frozen=True, slots=True)
class ConsumerProcessed(Event):
    consumer: str
    message_id: str


@dataclass(frozen=True, slots=True)
class ConsumerFailed(Event):
    consumer: str
    message_id: str


@dataclass(frozen=True, slots=True)
class ConsumerStopping(Event):
    consumer: str
    in_flight: int


@dataclass(frozen=True, slots=True)
class ConsumerStopped(Event):
    consumer: str


@dataclass(frozen=True, slots=True)
class ConsumerTerminated(Event):
    """Scale-in terminated an instance at once: the messages it held were never deleted."""

    consumer: str
    abandoned: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AutoScalingGroupCreated(Event):
    min_size: int
    max_size: int
    backlog_per_instance: int
    cooldown_ms: int


@dataclass(frozen=True, slots=True)
class AlarmStateChanged(Event):
    alarm: str
    state: str
    backlog_per_instance: float


@dataclass(frozen=True, slots=True)
class GroupScaled(Event):
    """`wanted` = ceil(visible / target): the size before the group's min and max bound it."""

    from_size: int
    to_size: int
    visible: int
    target: int
    wanted: int


@dataclass(frozen=True, slots=True)
class ScalingBlockedByCooldown(Event):
    desired: int
    until_ms: int


# -- CodeDeploy ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeploymentStarted(Event):
    deployment: str
    alias: str
    from_version: str
    to_version: str
    config: str


@dataclass(frozen=True, slots=True)
class TrafficShifted(Event):
    deployment: str
    alias: str
    to_version: str
    percent: int


@dataclass(frozen=True, slots=True)
class DeploymentSucceeded(Event):
    deployment: str


@dataclass(frozen=True, slots=True)
class DeploymentRolledBack(Event):
    deployment: str
    errors: int


class EventLog:
    """The append-only log: full (`maxlen=None`), bounded (a ring of `maxlen`), or off."""

    __slots__ = ("_events", "_next_seq", "enabled")

    def __init__(self, *, enabled: bool = True, maxlen: int | None = None) -> None:
        self.enabled = enabled
        self._events: deque[Event] = deque(maxlen=maxlen)
        self._next_seq = 0

    def next_seq(self) -> int:
        seq = self._next_seq
        self._next_seq += 1
        return seq

    @property
    def emitted(self) -> int:
        """How many events were ever logged (a bounded log keeps only the last of them)."""
        return self._next_seq

    def append(self, event: Event) -> None:
        self._events.append(event)

    def since(self, at_ms: int = 0) -> list[Event]:
        return [e for e in self._events if e.at_ms >= at_ms]

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def __len__(self) -> int:
        return len(self._events)
