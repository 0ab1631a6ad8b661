"""Reading a checkpoint's answer from its step's run: one small reader per answer kind.

`READERS` maps every `AnswerKind` (content/model.py) to the function that reads it from the step's
results, events and snapshots; a test holds the two to each other, so a kind is added in one place
and read in one. A reader never decides what AWS does: it reads what the engine did, and offers
the choices a learner picks from (the queues, message ids or statuses the world has).
A reader that can't find what it needs (no receive in a `messages` step) raises `AnswerError`,
which the runner reports as SA407 at the checkpoint.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from studyaws.content.model import AnswerKind, AnswerSpec
from studyaws.engine.errors import LAMBDA_TIMEOUT_ERROR_TYPE
from studyaws.engine.events import (
    AlarmStateChanged,
    BatchDeleted,
    BatchLeftForRetry,
    ConsumerStarted,
    ConsumerStopped,
    ConsumerStopping,
    ConsumerTerminated,
    DuplicateMessageAccepted,
    Event,
    GroupScaled,
    LongPollEnded,
    LongPollStarted,
    MessageMovedToDlq,
    MessageReceived,
    MessageSent,
    ShortPollSampled,
)
from studyaws.scenarios.run import Answer, StepRun

NOTHING = "nothing"
DELETED = "deleted"
MAX_CHOICES = 8
# Events that never change how many messages a queue holds in each state: not a "because".
POLLING_EVENTS: tuple[type[Event], ...] = (LongPollStarted, LongPollEnded, ShortPollSampled)
# Events that change how many consumers run (what a `stat: consumers` answer depends on).
SCALING_EVENTS: tuple[type[Event], ...] = (
    AlarmStateChanged,
    GroupScaled,
    ConsumerStarted,
    ConsumerStopping,
    ConsumerStopped,
    ConsumerTerminated,
)
OUTCOME_LABELS = {
    "success": "success: the function's result",
    "error": "a function error (status 200, FunctionError set)",
    "timeout": "a timeout error (Sandbox.Timedout)",
    "throttled": "429 TooManyRequestsException (throttled)",
}


class AnswerError(Exception):
    """The step doesn't run what its checkpoint's answer needs."""


@dataclass(frozen=True, slots=True)
class StepView:
    """What a reader may look at: the step's run and how many messages existed before and after."""

    run: StepRun
    created_before: int
    created_after: int

    def last(self, key: str) -> Any:
        """The last value of `key` among the step's results (None when no result has it)."""
        return next((r[key] for r in reversed(self.run.results) if key in r), None)

    def last_with(self, key: str) -> tuple[str, dict[str, Any]] | None:
        """The last line whose result has `key`: (its text, the result)."""
        for line in reversed(self.run.lines):
            if key in line.result:
                return line.text, line.result
        return None

    def line_with(self, key: str) -> Any:
        for line in reversed(self.run.lines):
            if key in line.result:
                return line
        return None


Reader = Callable[[AnswerSpec, StepView], Answer]


def read_answer(spec: AnswerSpec, run: StepRun, created_before: int, created_after: int) -> Answer:
    """What the engine says the checkpoint's answer is, from its step's run."""
    return READERS[spec.kind](spec, StepView(run, created_before, created_after))


# -- helpers ------------------------------------------------------------------------------------


def message_number(message_id: str) -> int:
    return int(message_id[1:]) if message_id[1:].isdigit() else 0


def where(snapshot: Mapping[str, Any], message_id: str) -> str | None:
    """The queue that holds the message in `snapshot` (None: deleted, or never created)."""
    for name, queue in snapshot.get("queues", {}).items():
        for state in ("visible", "in_flight", "delayed"):
            if message_id in queue.get(state, ()):
                return str(name)
    return None


def _bodies(*snapshots: Mapping[str, Any]) -> dict[str, str]:
    bodies: dict[str, str] = {}
    for snap in snapshots:
        for queue in snap.get("queues", {}).values():
            for m in queue.get("messages", ()):
                bodies.setdefault(m["message_id"], m["body"])
    return bodies


def _label(message_id: str, bodies: Mapping[str, str]) -> str:
    body = bodies.get(message_id)
    return f"{message_id} “{body}”" if body else message_id


def _choices(
    expected: str, options: Sequence[str], labels: Mapping[str, str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    ordered = list(dict.fromkeys(options))
    if expected not in ordered:
        ordered.append(expected)
    if len(ordered) > MAX_CHOICES:  # keep the right one, and the first others in natural order
        others = [o for o in ordered if o != expected][: MAX_CHOICES - 1]
        ordered = [o for o in ordered if o in others or o == expected]
    return tuple(ordered), tuple(labels.get(o, o) for o in ordered)


def _picked(expected: str, options: Sequence[str], labels: Mapping[str, str], **kw: Any) -> Answer:
    choices, shown = _choices(expected, options, labels)
    return Answer(expected, choices, shown, **kw)


def _message_groups(view: StepView) -> list[tuple[str, ...]]:
    """Sets of messages a receive of several could plausibly return, besides single ones.

    When the step's receive asks for more than one message, a learner must be able to answer
    "several": offered are the messages visible when the step starts and every message the
    queue holds then, each when it is two or more and no more than the receive takes.
    """
    line = view.line_with("messages")
    if line is None:
        return []
    most = int(line.command.args.get("max", 1))
    queue = view.run.before.get("queues", {}).get(str(line.command.args.get("queue")), {})
    if most < 2 or not queue:
        return []
    visible = sorted(queue.get("visible", ()), key=message_number)
    held = sorted(
        {*visible, *queue.get("in_flight", ()), *queue.get("delayed", ())}, key=message_number
    )
    groups = []
    for group in (tuple(visible[:most]), tuple(held[:most])):
        if len(group) >= 2 and group not in groups:
            groups.append(group)
    return groups


def _query_text(value: object) -> str:
    if value is None:
        return "(missing)"
    if isinstance(value, list):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    return f'"{value}"'


def _sync_result(view: StepView) -> dict[str, Any] | None:
    """The result of the step's last synchronous invoke (not an ALB request)."""
    for line in reversed(view.run.lines):
        if line.command.name == "invoke" and line.result.get("status") in (200, 429):
            return line.result
    return None


# -- one reader per kind --------------------------------------------------------------------------


def _messages(spec: AnswerSpec, view: StepView) -> Answer:
    got = view.last("messages")
    if got is None:
        raise AnswerError("answer messages needs a receive in its step")
    deciding = tuple(
        e
        for e in view.run.events
        if isinstance(e, MessageReceived | MessageMovedToDlq | LongPollEnded)
    )
    ids = [m["message_id"] for m in got]
    value = ", ".join(ids) if ids else NOTHING
    bodies = _bodies(view.run.before, view.run.after)
    for m in got:
        bodies.setdefault(m["message_id"], m["body"])
    existing = sorted(
        {*bodies, *ids, *(f"m{n}" for n in range(1, view.created_before + 1))}, key=message_number
    )
    labels = {i: _label(i, bodies) for i in existing}
    groups = _message_groups(view)
    for group in (tuple(ids), *groups):
        labels[", ".join(group) or NOTHING] = ", ".join(_label(i, bodies) for i in group) or NOTHING
    options = [NOTHING, *existing, *(", ".join(g) for g in groups)]
    return _picked(value, options, labels, deciding=deciding)


def _receive_count(spec: AnswerSpec, view: StepView) -> Answer:
    got = view.last("messages")
    if got is None:
        raise AnswerError("answer receive_count needs a receive in its step")
    if not got:
        raise AnswerError("answer receive_count needs the receive to return a message")
    deciding = tuple(e for e in view.run.events if isinstance(e, MessageReceived))
    return Answer(float(got[0]["receive_count"]), deciding=deciding)


def _count(spec: AnswerSpec, view: StepView) -> Answer:
    # A count of 0 is decided by what did *not* happen: no event to point at.
    matching = tuple(e for e in view.run.events if e.kind == spec.arg)
    return Answer(float(len(matching)), deciding=matching)


def _stat(spec: AnswerSpec, view: StepView) -> Answer:
    after = view.run.after
    queue = after.get("queues", {}).get(spec.arg)
    if queue is None:
        raise AnswerError(f"there is no queue '{spec.arg}' after the step")
    events = view.run.events
    if spec.stat == "consumers":  # the running consumers (instances) of the queue
        group = after.get("consumers", {}).get(spec.arg)
        if group is None:
            raise AnswerError(f"queue '{spec.arg}' has no consumers after the step")
        scaling = tuple(
            e for e in events if e.resource == spec.arg and isinstance(e, SCALING_EVENTS)
        )
        working = _scaling_working(scaling)
        return Answer(float(group["consumers"]), deciding=scaling, working=working)
    assert spec.stat is not None
    # The events that moved this queue's messages, latest last (a poller's empty long poll
    # moves none), with a mapping's verdict on a batch of them; the last few decided it.
    touched = {getattr(e, "message_id", None) for e in events if e.resource == spec.arg}
    moved = tuple(
        e
        for e in events
        if (e.resource == spec.arg and not isinstance(e, POLLING_EVENTS))
        or (isinstance(e, BatchDeleted | BatchLeftForRetry) and touched.intersection(e.message_ids))
    )
    return Answer(float(len(queue[spec.stat])), deciding=moved[-4:])


def _scaling_working(events: Sequence[Event]) -> str:
    """`9 visible ÷ 4 per instance, rounded up: 3` from the group's last scaling in the step."""
    scaled = next((e for e in reversed(events) if isinstance(e, GroupScaled)), None)
    if scaled is None:
        return ""
    text = f"{scaled.visible} visible ÷ {scaled.target} per instance, rounded up: {scaled.wanted}"
    if scaled.wanted != scaled.to_size:
        text += f"; the group's bounds make it {scaled.to_size}"
    return text + f" (from {scaled.from_size} to {scaled.to_size} instances)"


def _status(spec: AnswerSpec, view: StepView) -> Answer:
    status = view.last("status")
    if status is None:
        raise AnswerError("answer status needs an invoke in its step")
    alb = view.last("event") is not None or any(
        line.command.name == "alb-request" for line in view.run.lines
    )
    known = ["200", "413", "502"] if alb else ["200", "202", "429"]
    return _picked(str(status), known, {}, deciding=view.run.events)


def _now(spec: AnswerSpec, view: StepView) -> Answer:
    nows = [r["now"] for r in view.run.results if "now" in r]
    if not nows:
        raise AnswerError("answer now needs a receive or tick in its step")
    return Answer(float(nows[-1]), unit="s", deciding=view.run.events)


def _outcome(spec: AnswerSpec, view: StepView) -> Answer:
    result = _sync_result(view)
    if result is None:
        raise AnswerError("answer outcome needs a synchronous invoke in its step")
    if result.get("status") == 429:
        value = "throttled"
    elif result.get("error") is None:
        value = "success"
    else:
        value = "timeout" if result["error"].get("type") == LAMBDA_TIMEOUT_ERROR_TYPE else "error"
    return _picked(value, list(OUTCOME_LABELS), OUTCOME_LABELS, deciding=view.run.events)


def _duration(spec: AnswerSpec, view: StepView) -> Answer:
    line = view.line_with("duration")
    if line is None:
        raise AnswerError("answer duration needs a synchronous invoke that runs, in its step")
    result = line.result
    # The caller waits for a cold start's Init (or a SnapStart restore) before the handler.
    waited = result.get("init_duration", result.get("restore_duration", 0))
    took = round(float(result["duration"]) + float(waited), 3)
    return Answer(took, unit="s", deciding=view.run.events)


def _version(spec: AnswerSpec, view: StepView) -> Answer:
    line = view.line_with("version")
    if line is None:
        raise AnswerError("answer version needs a synchronous invoke that runs, in its step")
    served = str(line.result["version"])
    function = str(line.command.args.get("function", "")).partition(":")[0]
    versions = view.run.after.get("functions", {}).get(function, {}).get("versions", [])
    labels = {v: f"version {v}" for v in versions}
    return _picked(served, [*versions, "$LATEST"], labels, deciding=view.run.events)


def _query(spec: AnswerSpec, view: StepView) -> Answer:
    line = view.line_with("event")
    if line is None:
        raise AnswerError("answer query needs an alb-request in its step")
    event = line.result["event"] or {}
    single = event.get("queryStringParameters") or {}
    multi = event.get("multiValueQueryStringParameters") or {}
    got = multi.get(spec.arg) if spec.arg in multi else single.get(spec.arg)
    request = str(line.command.args.get("request", ""))
    query = request.split(" ", 1)[-1].partition("?")[2]
    asked = [v for k, v in parse_qsl(query, keep_blank_values=True) if k == spec.arg]
    options = [*(_query_text(v) for v in asked), _query_text(asked), "(missing)"]
    return _picked(_query_text(got), options, {}, deciding=view.run.events)


def _location(spec: AnswerSpec, view: StepView) -> Answer:
    number = message_number(spec.arg)
    if number == 0 or number > view.created_after:
        raise AnswerError(f"there is no message '{spec.arg}' in this scenario by then")
    after = view.run.after
    value = where(after, spec.arg) or DELETED
    labels = {DELETED: "deleted (in no queue)"}
    deciding = (
        tuple(e for e in view.run.events if getattr(e, "message_id", None) == spec.arg)
        or view.run.events
    )
    return _picked(value, [*after.get("queues", {}), DELETED], labels, deciding=deciding)


def _message_id(spec: AnswerSpec, view: StepView) -> Answer:
    sent = view.last("message_id")
    if sent is None:
        raise AnswerError("answer message_id needs a send in its step")
    new_id = f"m{view.created_before + 1}"
    bodies = _bodies(view.run.before, view.run.after)
    existing = [f"m{n}" for n in range(1, view.created_before + 1)]
    labels = {i: _label(i, bodies) for i in existing}
    labels[new_id] = f"{new_id} (a new message)"
    sends = tuple(
        e for e in view.run.events if isinstance(e, MessageSent | DuplicateMessageAccepted)
    )
    return _picked(str(sent), [*existing, new_id], labels, deciding=sends[-1:] or view.run.events)


READERS: dict[AnswerKind, Reader] = {
    "messages": _messages,
    "receive_count": _receive_count,
    "count": _count,
    "stat": _stat,
    "status": _status,
    "now": _now,
    "location": _location,
    "message_id": _message_id,
    "outcome": _outcome,
    "query": _query,
    "version": _version,
    "duration": _duration,
}
