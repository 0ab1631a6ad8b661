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


# -- SQS: queues ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueueCreated(Event):
    fifo: bool
    attributes: tuple[tuple[str, Any], ...]


@dataclass(frozen=True, slots=True)
class QueueAttributesChanged(Event):
    attributes: tuple[tuple[str, Any], ...]


@dataclass(frozen=True, slots=True)
class QueuePurged(Event):
    message_ids: tuple[str, ...]


# -- SQS: messages ----------------------------------------------------------------------------


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


# -- SQS: polling -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LongPollStarted(Event):
    wait_ms: int


@dataclass(frozen=True, slots=True)
class LongPollEnded(Event):
    message_ids: tuple[str, ...]


# -- SQS: simulated non-determinism (only with the chaos switches on) -------------------------


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

    def append(self, event: Event) -> None:
        self._events.append(event)

    def since(self, at_ms: int = 0) -> list[Event]:
        return [e for e in self._events if e.at_ms >= at_ms]

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def __len__(self) -> int:
        return len(self._events)
