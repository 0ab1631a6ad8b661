"""Which events teach, and how a scenario shows them: weights, collapsed repeats, pinned events.

A step of `partial-batch` logs ninety events, most of them pollers starting long polls that find
nothing. Played one by one they drown the three that matter (the batch, the failure, the messages
left for retry) and take half a minute. So, for the scenario player and its transcript (never for
`--json` or `sandbox log`, which keep every event):

- Every event kind has a weight (`WEIGHTS`): `KEY` events are what a lesson is about (a DLQ move,
  a failure, a throttle), `NORMAL` ones move messages, `SETUP` ones create resources, and `NOISE`
  ones change nothing a learner can see (a long poll starting, a poll that ended, pollers scaled).
- Noise is gathered, never played: all events of one noise kind on one resource within a step
  become one row, `t=0–60s LongPollStarted orders wait=20s ×12`, at the place of the first.
  Other events that read exactly alike, one after the other, become one row with `×N`.
- Pinned events (the ones the step's checkpoint was decided by, or that its answer counts, or
  whose cause is its fact) stay in view when a screen has room for only a few rows.
- Pacing follows the weights: a step of idle polling takes well under a second at speed 1, a DLQ
  move gets a full beat.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from studyaws.content.model import Checkpoint
from studyaws.engine import events as ev
from studyaws.engine.events import Event, ms_to_s
from studyaws.sandbox.wording import event_line


class Weight(IntEnum):
    NOISE = 0
    SETUP = 1
    NORMAL = 2
    KEY = 3


_KEY: tuple[type[Event], ...] = (
    ev.MessageMovedToDlq,
    ev.VisibilityTimeoutExpired,
    ev.MessageExpired,
    ev.DuplicateMessageAccepted,
    ev.DuplicatePublishAccepted,
    ev.DeletedCopySurvived,
    ev.BatchReordered,
    ev.MessageRedriven,
    ev.NotificationFilteredOut,
    ev.NotificationDeliveryFailed,
    ev.NotificationSentToDlq,
    ev.NotificationDiscarded,
    ev.FunctionFailed,
    ev.InvocationThrottled,
    ev.NetworkCallTimedOut,
    ev.AsyncRetryScheduled,
    ev.AsyncEventFinished,
    ev.DestinationDeliveryFailed,
    ev.BatchDeleted,
    ev.BatchLeftForRetry,
    ev.S3EventSent,
    ev.ScheduleFired,
    ev.AlbResponded,
    ev.PayloadStoredInS3,
    ev.ConsumerFailed,
    ev.ConsumerStopping,
    ev.AlarmStateChanged,
    ev.GroupScaled,
    ev.ScalingBlockedByCooldown,
    ev.TrafficShifted,
    ev.DeploymentSucceeded,
    ev.DeploymentRolledBack,
    ev.AliasChanged,
)
_SETUP: tuple[type[Event], ...] = (
    ev.QueueCreated,
    ev.QueueAttributesChanged,
    ev.QueueDeleted,
    ev.TopicCreated,
    ev.Subscribed,
    ev.FunctionCreated,
    ev.FunctionUpdated,
    ev.VersionPublished,
    ev.EventSourceMappingCreated,
    ev.BucketCreated,
    ev.BucketNotificationConfigured,
    ev.ScheduleCreated,
    ev.ScheduleDeleted,
    ev.AutoScalingGroupCreated,
    ev.ConsumerStarted,
    ev.ConsumerStopped,
    ev.MessageMoveTaskStarted,
    ev.MessageMoveTaskCompleted,
    ev.DeploymentStarted,
)
_NOISE: tuple[type[Event], ...] = (
    ev.LongPollStarted,
    ev.LongPollEnded,
    ev.ShortPollSampled,
    ev.PollersScaled,
)


def weight(event: Event) -> Weight:
    """How much an event teaches (NORMAL for anything not listed: it moved something)."""
    if isinstance(event, _NOISE):
        return Weight.NOISE
    if isinstance(event, _KEY):
        return Weight.KEY
    if isinstance(event, _SETUP):
        return Weight.SETUP
    return Weight.NORMAL


def _body(line: str) -> str:
    """An event's line without its time: two events that read alike have the same body."""
    return line.split(" ", 1)[1] if line.startswith("t=") else line


@dataclass(frozen=True, slots=True)
class Row:
    """One line of an events pane: an event, or several that read alike (`times` > 1)."""

    first: Event
    last: Event
    times: int
    weight: Weight
    pinned: bool = False

    def text(self, times_mark: str = "×", dash: str = "–") -> str:
        line = event_line(self.first)
        if self.times == 1:
            return line
        start, end = ms_to_s(self.first.at_ms), ms_to_s(self.last.at_ms)
        when = f"t={start}s" if start == end else f"t={start}{dash}{end}s"
        return f"{when} {_body(line)} {times_mark}{self.times}"


def pinned_seqs(checkpoint: Checkpoint | None, deciding: Iterable[Event]) -> frozenset[int]:
    """The events a step's checkpoint names: those that decided its answer."""
    if checkpoint is None:
        return frozenset()
    return frozenset(e.seq for e in deciding)


def rows(events: Sequence[Event], pinned: frozenset[int] = frozenset()) -> list[Row]:
    """The events of one step as rows: noise gathered per kind and resource, repeats collapsed."""
    out: list[Row] = []
    noise_at: dict[tuple[str, str, str], int] = {}  # (kind, resource, body) → row index
    for event in events:
        w = weight(event)
        is_pinned = event.seq in pinned
        if w is Weight.NOISE and not is_pinned:
            key = (event.kind, event.resource, _body(event_line(event)))
            index = noise_at.get(key)
            if index is not None:
                row = out[index]
                out[index] = Row(row.first, event, row.times + 1, w)
                continue
            noise_at[key] = len(out)
            out.append(Row(event, event, 1, w))
            continue
        if out and not is_pinned and not out[-1].pinned and out[-1].weight is not Weight.NOISE:
            previous = out[-1]
            if _body(event_line(previous.first)) == _body(event_line(event)):
                out[-1] = Row(previous.first, event, previous.times + 1, w)
                continue
        out.append(Row(event, event, 1, w, is_pinned))
    return out


def fit(all_rows: Sequence[Row], room: int) -> list[Row]:
    """At most `room` rows to show, newest last: every pinned row first, then the latest others,
    then noise (a summary of polling is the first thing to go)."""
    if len(all_rows) <= room:
        return list(all_rows)
    if room <= 0:
        return []
    order = sorted(
        range(len(all_rows)),
        key=lambda i: (
            not all_rows[i].pinned,
            all_rows[i].weight is Weight.NOISE,
            -i,
        ),
    )
    keep = sorted(order[:room])
    return [all_rows[i] for i in keep]


# -- pacing ---------------------------------------------------------------------------------------

# Seconds an event stays alone on screen before the next, at --speed 1, by weight; a step's
# events take at most STEP_BEATS_S in all (a busy step plays faster, never longer).
BEAT_S: dict[Weight, float] = {
    Weight.NOISE: 0.0,
    Weight.SETUP: 0.03,
    Weight.NORMAL: 0.15,
    Weight.KEY: 0.5,
}
STEP_BEATS_S = 2.0
RESULT_BEAT_S = 0.3  # a line's result (no messages, 200 after 2s) before the next line
# Reading time in --auto, which plays hands-off and leaves the reading to the transcript: this
# long per character newly shown (a skim), with a floor and a ceiling per pause.
READ_S_PER_CHAR = 0.007
READ_MIN_S = 0.5
READ_MAX_S = 2.5


def beat_s(event: Event) -> float:
    return BEAT_S[weight(event)]


def step_beats(events: Sequence[Event]) -> float:
    """How much each beat of this step is scaled so the whole step stays within STEP_BEATS_S."""
    total = sum(beat_s(e) for e in events)
    return 1.0 if total <= STEP_BEATS_S else STEP_BEATS_S / total


def reading_s(text: str) -> float:
    """How long `--auto` pauses on newly shown text at speed 1."""
    return min(READ_MAX_S, max(READ_MIN_S, len(" ".join(text.split())) * READ_S_PER_CHAR))
