"""The result object of each sandbox command: the `--json` contract of DESIGN §4, as types.

One line of `--json` output is exactly one of these, dumped as it is. `ok` is True on success;
a rejected call of the simulated API is a `Failed` with AWS's error code (a result, not a crash).

(No `from __future__ import annotations` here: `NotRequired` must be seen when each class is built,
so that `__required_keys__` is right on Python 3.11 — the contract test reads it.)
"""

from typing import Any, Literal, NotRequired, TypedDict

from studyaws.engine.errors import ErrorObject
from studyaws.engine.lambda_ import FunctionStats
from studyaws.engine.world import WorldSnapshot


class Failed(TypedDict):
    """A rejected call: `status` only for a throttled `invoke` (429)."""

    ok: Literal[False]
    status: NotRequired[int]
    error: ErrorObject


class Done(TypedDict):
    """Success with nothing more to say (`create-queue`, `delete`, `purge`, ...)."""

    ok: Literal[True]


class Now(TypedDict):
    """`tick`, `undo`, `reset`: the virtual time afterwards, in seconds."""

    ok: Literal[True]
    now: int | float


class MessageSent(TypedDict):
    ok: Literal[True]
    message_id: str


class BatchEntryOk(TypedDict):
    id: str
    message_id: NotRequired[str]  # send-batch only


class BatchEntryFailed(TypedDict):
    id: str
    code: str
    message: str
    sender_fault: bool


class BatchDone(TypedDict):
    """`send-batch`, `delete-batch`: each entry reported by its id, in `successful` or `failed`
    (the call itself succeeded: an entry's failure is not the request's)."""

    ok: Literal[True]
    successful: list[BatchEntryOk]
    failed: list[BatchEntryFailed]


class MessageJson(TypedDict):
    message_id: str
    body: str
    receipt: str
    receive_count: int
    group: str | None


class Messages(TypedDict):
    ok: Literal[True]
    messages: list[MessageJson]
    now: int | float


class QueueCounts(TypedDict):
    ok: Literal[True]
    visible: int
    in_flight: int
    delayed: int


class FunctionCounts(FunctionStats):
    ok: Literal[True]


class LogEvents(TypedDict):
    ok: Literal[True]
    events: list[dict[str, Any]]  # Event.to_dict(): `at`, `kind`, and the event's own fields


class ShownWorld(TypedDict):
    ok: Literal[True]
    world: WorldSnapshot


class Help(TypedDict):
    ok: Literal[True]
    help: str


class TopicCreated(TypedDict):
    ok: Literal[True]
    topic: str


class Subscribed(TypedDict):
    ok: Literal[True]
    subscription: str


class FunctionCreated(TypedDict):
    ok: Literal[True]
    function: str


class InvokeError(TypedDict):
    code: str  # FunctionError: "Unhandled"
    type: str  # errorType, e.g. "Sandbox.Timedout"
    message: str


class Invoked(TypedDict):
    """`invoke`: 202 for `--async`; 200 with `error` (the function failed) or `payload`."""

    ok: Literal[True]
    status: int
    request_id: str
    version: NotRequired[str]
    duration: NotRequired[int | float]
    error: NotRequired[InvokeError]
    payload: NotRequired[Any]  # the function's JSON response
    init_duration: NotRequired[int | float]  # a cold start: how long Init ran first (s)
    restore_duration: NotRequired[int | float]  # SnapStart: how long the restore took (s)


class MappingCreated(TypedDict):
    ok: Literal[True]
    mapping: str


class VersionPublished(TypedDict):
    ok: Literal[True]
    version: str


class DeploymentStarted(TypedDict):
    ok: Literal[True]
    deployment: str


class HttpResult(TypedDict):
    ok: Literal[True]
    status: int
    headers: dict[str, Any]
    body: str
    event: dict[str, Any] | None


class ObjectPut(TypedDict):
    ok: Literal[True]
    key: str


class ScheduleCreated(TypedDict):
    ok: Literal[True]
    next: int | float  # seconds


class Replayed(TypedDict):
    """`replay`: how many archived messages the subscription got again."""

    ok: Literal[True]
    replayed: int


class ConsumersStarted(TypedDict):
    ok: Literal[True]
    consumers: list[str]


class ConsumersStopping(TypedDict):
    ok: Literal[True]
    stopping: list[str]


Result = (
    Failed
    | Done
    | Now
    | MessageSent
    | BatchDone
    | Messages
    | QueueCounts
    | FunctionCounts
    | LogEvents
    | ShownWorld
    | Help
    | TopicCreated
    | Subscribed
    | FunctionCreated
    | Invoked
    | MappingCreated
    | VersionPublished
    | DeploymentStarted
    | HttpResult
    | ObjectPut
    | ScheduleCreated
    | ConsumersStarted
    | ConsumersStopping
    | Replayed
)


def done() -> Done:
    return {"ok": True}
