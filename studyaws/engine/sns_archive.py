"""SNS message archiving and replay for FIFO topics.

Rules of the model, each cited again above the code that enforces it (docs/fidelity.md,
"SNS archive and replay"):

- The topic owner sets an `ArchivePolicy` on a FIFO topic (`MessageRetentionPeriod` in days,
  1–365): from then on every published message is kept that long (sns_archive_retention). A
  standard topic can't archive. Messages published before the policy was set are not in the
  archive; `BeginningArchiveTime` is the earliest moment a replay may start from.
- A subscriber sets a `ReplayPolicy` on one subscription (a starting point and an optional ending
  point): the archived messages published in that window are delivered again to that
  subscription only, through its filter policy, with their original `MessageId` and
  `Timestamp` and a `Replayed` attribute (sns_replay). A subscription created after the messages
  were published can replay them. The engine delivers a replay at the instant it starts, in
  publish order, then the subscription goes on with new messages (`ReplayCompleted`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final

from studyaws.engine import events as ev
from studyaws.engine.errors import InvalidParameter, NotFound

if TYPE_CHECKING:
    from studyaws.engine.sns import Sns, Topic, _Published

DAY_MS: Final = 86_400_000
ARCHIVE_MIN_DAYS: Final = 1  # sns_archive_retention
ARCHIVE_MAX_DAYS: Final = 365  # sns_archive_retention


@dataclass(slots=True)
class TopicArchive:
    retention_days: int
    beginning_ms: int  # BeginningArchiveTime
    messages: list[_Published]


class Archives:
    """The archives of one world's FIFO topics."""

    def __init__(self, sns: Sns) -> None:
        self.sns = sns
        self.world = sns.world
        self.archives: dict[str, TopicArchive] = {}

    def set_archive_policy(self, topic_name: str, retention_days: int | None) -> None:
        """SetTopicAttributes ArchivePolicy: keep published messages `retention_days` (None
        removes the policy and the archive)."""
        topic = self.sns._topic(topic_name)
        if retention_days is None:
            self.archives.pop(topic_name, None)
            self.world.emit(
                ev.TopicArchiveChanged, "SetTopicAttributes", topic_name, retention_days=0
            )
            return
        # sns_archive_retention: archiving "allows topic owners to store messages directly
        # within the topic archive for up to 365 days" (fifo-message-archiving-replay), and it
        # is "specifically designed for FIFO (First-In-First-Out) topics".
        if not topic.fifo:
            raise InvalidParameter(
                "Invalid parameter: Attributes Reason: ArchivePolicy is only supported for FIFO "
                "topics"
            )
        if not ARCHIVE_MIN_DAYS <= retention_days <= ARCHIVE_MAX_DAYS:
            raise InvalidParameter(
                f"Invalid parameter: ArchivePolicy Reason: MessageRetentionPeriod must be between "
                f"{ARCHIVE_MIN_DAYS} and {ARCHIVE_MAX_DAYS} days"
            )
        current = self.archives.get(topic_name)
        if current is None:
            self.archives[topic_name] = TopicArchive(retention_days, self.world.now_ms, [])
        else:
            current.retention_days = retention_days
        self.world.emit(
            ev.TopicArchiveChanged,
            "SetTopicAttributes",
            topic_name,
            retention_days=retention_days,
        )

    def keep(self, topic: Topic, msg: _Published) -> None:
        archive = self.archives.get(topic.name)
        if archive is not None:
            archive.messages.append(msg)

    def _live(self, archive: TopicArchive) -> list[_Published]:
        """The archive without what its retention period has removed."""
        oldest = self.world.now_ms - archive.retention_days * DAY_MS
        if archive.messages and archive.messages[0].published_ms < oldest:
            archive.messages = [m for m in archive.messages if m.published_ms >= oldest]
        return archive.messages

    def replay(self, subscription: str, starting_ms: int, ending_ms: int | None = None) -> int:
        """SetSubscriptionAttributes ReplayPolicy: deliver the archived messages published
        between the two points again, to this subscription only; how many were replayed."""
        sns = self.sns
        found = next(
            (
                (topic, sub)
                for topic in sns.topics.values()
                for sub in topic.subscriptions
                if sub.id == subscription
            ),
            None,
        )
        if found is None:
            raise NotFound("Subscription does not exist")
        topic, sub = found
        archive = self.archives.get(topic.name)
        if archive is None:
            raise InvalidParameter(
                "Invalid parameter: ReplayPolicy Reason: the topic has no ArchivePolicy"
            )
        now = self.world.now_ms
        # sns_replay: the starting point may not be before the topic's BeginningArchiveTime,
        # nor in the future; the ending point, when given, comes after it.
        if starting_ms < archive.beginning_ms or starting_ms > now:
            raise InvalidParameter(
                f"Invalid parameter: ReplayPolicy Reason: StartingPoint must be between the "
                f"BeginningArchiveTime ({archive.beginning_ms / 1000:g}s) and now"
            )
        if ending_ms is not None and ending_ms < starting_ms:
            raise InvalidParameter(
                "Invalid parameter: ReplayPolicy Reason: EndingPoint must be after StartingPoint"
            )
        end = now if ending_ms is None else min(ending_ms, now)
        chosen = [m for m in self._live(archive) if starting_ms <= m.published_ms <= end]
        self.world.emit(
            ev.ReplayStarted,
            "sns_replay",
            topic.name,
            subscription=sub.id,
            starting_ms=starting_ms,
            ending_ms=ending_ms,
            messages=len(chosen),
        )
        for msg in chosen:
            # sns_replay: "A replayed message retains the same content, MessageId, and Timestamp
            # as the original. The message includes a Replayed attribute to indicate that it is a
            # replayed message." Replayed messages still go through the subscription's filter
            # policy ("To replay only specific messages, apply a filter policy to your
            # subscription", message-archiving-and-replay-subscriber).
            sns._deliver(topic, sub, replace(msg, replayed=True))
        self.world.emit(
            ev.ReplayCompleted, "sns_replay", topic.name, subscription=sub.id, replayed=len(chosen)
        )
        self.world.settle()
        return len(chosen)

    def beginning_ms(self, topic: str) -> int | None:
        archive = self.archives.get(topic)
        return None if archive is None else archive.beginning_ms
