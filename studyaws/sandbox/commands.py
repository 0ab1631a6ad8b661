"""Run a parsed command against a `World` and return its JSON result object (DESIGN §4).

Each handler returns exactly the keys of the contract: `{"ok": true, ...}` on success; a rejected
call of the simulated API becomes `{"ok": false, "error": {"code": ..., "message": ...}}` — a
result, not a crash. `run_line(world, line)` is the whole pipeline for one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from studyaws.engine import CHAOS_ON, AwsError, Chaos, World
from studyaws.engine.errors import TooManyRequestsException
from studyaws.engine.events import ms_to_s
from studyaws.engine.sqs import Received
from studyaws.engine.sqs_batch import BatchResult, SendEntry
from studyaws.sandbox.language import Command, SandboxSyntaxError, help_text, parse
from studyaws.sandbox.results import (
    BatchDone,
    BatchEntryFailed,
    BatchEntryOk,
    ConsumersStarted,
    ConsumersStopping,
    DeploymentStarted,
    Done,
    Failed,
    FunctionCounts,
    FunctionCreated,
    Help,
    HttpResult,
    Invoked,
    LogEvents,
    MappingCreated,
    MessageJson,
    Messages,
    MessageSent,
    Now,
    ObjectPut,
    QueueCounts,
    Replayed,
    Result,
    ScheduleCreated,
    ShownWorld,
    Subscribed,
    TopicCreated,
    VersionPublished,
    done,
)

Args = dict[str, Any]  # a parsed command's arguments, by flag name (language.py)
Handler = Callable[[World, Args], Result]


def _given(a: Args, *same: str, **renamed: str) -> dict[str, Any]:
    """The engine's keyword arguments for the flags the user gave: `same` flags keep their name,
    `renamed` maps a flag to its keyword. A flag left out is not passed, so the engine applies
    its own default — never a copy of it here."""
    keywords = {**{flag: flag for flag in same}, **renamed}
    return {keywords[k]: v for k, v in a.items() if k in keywords}


_ATTR_FLAGS = {
    "visibility_timeout": "visibility_timeout_s",
    "delay": "delay_s",
    "retention": "retention_s",
    "wait": "wait_s",
    "content_based_dedup": "content_based_dedup",
    "dlq": "dead_letter_queue",
    "max_receives": "max_receive_count",
}


def _create_queue(world: World, a: Args) -> Done:
    kwargs = _given(a, "fifo", **_ATTR_FLAGS)
    scope = a.get("dedup_scope")
    if scope is not None:
        kwargs["dedup_scope"] = "messageGroup" if scope == "message-group" else scope
    world.sqs.create_queue(a["name"], **kwargs)
    return done()


def _set_queue_attributes(world: World, a: Args) -> Done:
    changes = _given(a, **_ATTR_FLAGS)
    if a.get("no_dlq"):
        changes["dead_letter_queue"] = None
        changes["max_receive_count"] = None
    world.sqs.set_queue_attributes(a["queue"], **changes)
    return done()


def _send(world: World, a: Args) -> MessageSent:
    kwargs = _given(a, "group", "dedup_id")
    if "attr" in a:
        kwargs["attributes"] = dict(a["attr"])
    if a.get("extended_client") is not None:
        mid = world.s3.send_extended(
            a["queue"], a["body"], a["extended_client"], **_given(a, "size"), **kwargs
        )
        return {"ok": True, "message_id": mid}
    result = world.sqs.send_message(
        a["queue"], a["body"], **_given(a, delay="delay_s", size="size_bytes"), **kwargs
    )
    return {"ok": True, "message_id": result.message_id}


def _batch_json(result: BatchResult) -> BatchDone:
    ok: list[BatchEntryOk] = []
    for r in result.successful:
        entry: BatchEntryOk = {"id": r.id}
        if r.message_id is not None:
            entry["message_id"] = r.message_id
        ok.append(entry)
    failed: list[BatchEntryFailed] = [
        {"id": f.id, "code": f.code, "message": f.message, "sender_fault": f.sender_fault}
        for f in result.failed
    ]
    return {"ok": True, "successful": ok, "failed": failed}


def _send_batch(world: World, a: Args) -> BatchDone:
    attrs = dict(a["attr"]) if "attr" in a else None
    entries = [
        SendEntry(
            entry_id,
            body,
            delay_s=a.get("delay"),
            group=a.get("group"),
            dedup_id=a.get("dedup_id"),
            attributes=attrs,
            size_bytes=a.get("size"),
        )
        for entry_id, body in a["entries"]
    ]
    return _batch_json(world.sqs.send_message_batch(a["queue"], entries))


def _delete_batch(world: World, a: Args) -> BatchDone:
    return _batch_json(world.sqs.delete_message_batch(a["queue"], a["entries"]))


def message_json(r: Received) -> MessageJson:
    return {
        "message_id": r.message_id,
        "body": r.body,
        "receipt": r.receipt,
        "receive_count": r.receive_count,
        "group": r.group,
    }


def _receive(world: World, a: Args) -> Messages:
    got = world.sqs.receive_message(
        a["queue"],
        **_given(
            a,
            max="max_number_of_messages",
            wait="wait_time_s",
            visibility_timeout="visibility_timeout_s",
            attempt_id="receive_request_attempt_id",
        ),
    )
    if a.get("extended_client"):
        got = [world.s3.resolve_extended(a["queue"], r) for r in got]
    return {"ok": True, "messages": [message_json(r) for r in got], "now": world.now_s}


def _delete(world: World, a: Args) -> Done:
    world.sqs.delete_message(a["queue"], a["receipt"])
    return done()


def _change_visibility(world: World, a: Args) -> Done:
    world.sqs.change_message_visibility(a["queue"], a["receipt"], a["d"])
    return done()


def _purge(world: World, a: Args) -> Done:
    world.sqs.purge_queue(a["queue"])
    return done()


def _stats(world: World, a: Args) -> QueueCounts | FunctionCounts:
    name = a["queue"]
    if name not in world.sqs.queues and name in world.lambda_.functions:
        return {"ok": True, **world.lambda_.get_function_stats(name)}
    attrs = world.sqs.get_queue_attributes(name)
    return {
        "ok": True,
        "visible": attrs["ApproximateNumberOfMessages"],
        "in_flight": attrs["ApproximateNumberOfMessagesNotVisible"],
        "delayed": attrs["ApproximateNumberOfMessagesDelayed"],
    }


def _move_task(world: World, a: Args) -> Done:
    world.sqs.start_message_move_task(
        a["dlq"], destination=a.get("destination"), max_per_second=a.get("rate")
    )
    return done()


def _tick(world: World, a: Args) -> Now:
    world.advance(a["d"])
    return {"ok": True, "now": world.now_s}


def _log(world: World, a: Args) -> LogEvents:
    since_ms = a.get("since", 0) * 1000
    return {"ok": True, "events": [e.to_dict() for e in world.events(since_ms)]}


def _chaos(world: World, a: Args) -> Done:
    world.chaos = CHAOS_ON if a["mode"] else Chaos()
    return done()


def _show(world: World, _a: Args) -> ShownWorld:
    return {"ok": True, "world": world.snapshot()}


def _help(_world: World, a: Args) -> Help:
    return {"ok": True, "help": help_text(a.get("command"))}


# -- part 2 -------------------------------------------------------------------------------------


def _delete_queue(world: World, a: Args) -> Done:
    world.sqs.delete_queue(a["queue"])
    return done()


def _create_topic(world: World, a: Args) -> TopicCreated:
    name = world.sns.create_topic(a["name"], **_given(a, "fifo", "content_based_dedup"))
    if "archive_days" in a:
        world.sns.archives.set_archive_policy(name, a["archive_days"])
    return {"ok": True, "topic": name}


def _replay(world: World, a: Args) -> Replayed:
    ending = a.get("to")
    count = world.sns.archives.replay(
        a["subscription"], a.get("from", 0) * 1000, None if ending is None else ending * 1000
    )
    return {"ok": True, "replayed": count}


def _subscribe(world: World, a: Args) -> Subscribed:
    kwargs = _given(a, "raw", "dlq", filter="filter_policy")
    scope = a.get("filter_scope")
    if scope is not None:
        # The sandbox's words for AWS's FilterPolicyScope values.
        kwargs["filter_scope"] = {"attributes": "MessageAttributes", "body": "MessageBody"}.get(
            scope, scope
        )
    sub = world.sns.subscribe(a["topic"], a["target"], **kwargs)
    return {"ok": True, "subscription": sub}


def _publish(world: World, a: Args) -> MessageSent:
    attrs = a.get("attr")
    mid = world.sns.publish(
        a["topic"],
        a["body"],
        attributes=dict(attrs) if attrs else None,
        group=a.get("group"),
        dedup_id=a.get("dedup_id"),
        subject=a.get("subject"),
    )
    return {"ok": True, "message_id": mid}


_FUNCTION_CONFIG = {
    "duration": "duration_ms",
    "timeout": "timeout_s",
    "memory": "memory_mb",
    "fail": "fail",
    "env": "env",
    "vpc": "vpc",
    "nat": "nat",
    "init": "init_ms",
    "snapstart": "snapstart",
    "output": "output",
}
_FUNCTION_OPTIONS = {
    "reserved_concurrency": "reserved_concurrency",
    "retries": "retries",
    "max_event_age": "max_event_age_s",
    "on_success": "on_success",
    "on_failure": "on_failure",
    "dlq": "dlq",
}


def _function_kwargs(a: Args) -> dict[str, Any]:
    return _given(a, **_FUNCTION_CONFIG, **_FUNCTION_OPTIONS)


def _create_function(world: World, a: Args) -> FunctionCreated:
    name = world.lambda_.create_function(a["name"], **_function_kwargs(a))
    if "recursive_loop" in a:
        world.lambda_.put_function_recursion_config(name, a["recursive_loop"])
    return {"ok": True, "function": name}


def _update_function(world: World, a: Args) -> Done:
    settings = _function_kwargs(a)
    if settings or "recursive_loop" not in a:
        world.lambda_.update_function(a["name"], **settings)
    if "recursive_loop" in a:
        world.lambda_.put_function_recursion_config(a["name"], a["recursive_loop"])
    return done()


def _provision(world: World, a: Args) -> Done:
    world.lambda_.put_provisioned_concurrency_config(a["function"], a["qualifier"], a["n"])
    return done()


def _invoke(world: World, a: Args) -> Invoked | Failed:
    size = _given(a, size="size_bytes")
    if a.get("async"):
        request_id = world.lambda_.invoke_async(a["function"], a["body"], **size)
        world.settle()
        return {"ok": True, "status": 202, "request_id": request_id}
    try:
        result = world.lambda_.invoke(a["function"], a["body"], **size)
    except TooManyRequestsException as exc:
        return {"ok": False, "status": 429, "error": exc.to_dict()}
    out: Invoked = {
        "ok": True,
        "status": result.status,
        "request_id": result.request_id,
        "version": result.version,
        "duration": ms_to_s(result.duration_ms),
    }
    # A cold start's Init (the REPORT line's "Init Duration"), or a SnapStart restore.
    if result.start == "cold":
        out["init_duration"] = ms_to_s(result.init_ms)
    elif result.start == "restored":
        out["restore_duration"] = ms_to_s(result.init_ms)
    if result.function_error is not None:
        out["error"] = {
            "code": result.function_error,
            "type": result.payload["errorType"],
            "message": result.payload["errorMessage"],
        }
    else:
        out["payload"] = result.payload
    return out


def _map(world: World, a: Args) -> MappingCreated:
    mapping = world.esm.create_event_source_mapping(
        a["queue"],
        a["function"],
        **_given(
            a,
            "batch_size",
            "report_batch_item_failures",
            "max_concurrency",
            window="window_s",
            filter="filters",
        ),
    )
    return {"ok": True, "mapping": mapping}


def _publish_version(world: World, a: Args) -> VersionPublished:
    return {"ok": True, "version": world.lambda_.publish_version(a["function"])}


def _create_alias(world: World, a: Args) -> Done:
    world.lambda_.create_alias(a["function"], a["alias"], a["version"], extra=a.get("weight"))
    return done()


def _deploy(world: World, a: Args) -> DeploymentStarted:
    deployment = world.deploy.deploy(
        a["function"],
        a["alias"],
        a["version"],
        config=a["config"],
        rollback_on_errors=a.get("rollback_on_errors"),
    )
    return {"ok": True, "deployment": deployment}


def _alb_request(world: World, a: Args) -> HttpResult:
    response = world.alb.request(
        a["target"],
        a["request"],
        **_given(a, "body", "body_size", "multi_value", header="headers"),
    )
    return {
        "ok": True,
        "status": response.status,
        "headers": response.headers,
        "body": response.body,
        "event": response.event,
    }


def _create_bucket(world: World, a: Args) -> Done:
    world.s3.create_bucket(a["name"])
    return done()


def _notify(world: World, a: Args) -> Done:
    world.s3.put_bucket_notification(
        a["bucket"],
        a["target"],
        **_given(a, "events", "prefix", "suffix"),
    )
    return done()


def _put_object(world: World, a: Args) -> ObjectPut:
    key = world.s3.put_object(a["bucket"], a["key"], **_given(a, "size"))
    return {"ok": True, "key": key}


def _delete_object(world: World, a: Args) -> Done:
    world.s3.delete_object(a["bucket"], a["key"])
    return done()


def _schedule(world: World, a: Args) -> ScheduleCreated:
    first_ms = world.schedules.create_schedule(
        a["name"], a["expression"], a["target"], **_given(a, "kind")
    )
    return {"ok": True, "next": ms_to_s(first_ms)}


def _delete_schedule(world: World, a: Args) -> Done:
    world.schedules.delete_schedule(a["name"])
    return done()


def _start_consumers(world: World, a: Args) -> ConsumersStarted:
    kwargs = _given(a, "fail", max="max_messages", wait="wait_s")
    if "process" in a:
        kwargs["process_s"] = a["process"] / 1000
    ids = world.consumers.start_consumers(a["queue"], a["count"], **kwargs)
    world.settle()
    return {"ok": True, "consumers": ids}


def _stop_consumers(world: World, a: Args) -> ConsumersStopping:
    ids = world.consumers.stop_consumers(a["queue"], a.get("count"))
    world.settle()
    return {"ok": True, "stopping": ids}


def _autoscale(world: World, a: Args) -> Done:
    world.autoscaling.autoscale(
        a["queue"],
        min_size=a["min"],
        max_size=a["max"],
        backlog_per_instance=a["backlog_per_instance"],
        **_given(a, "lifecycle_hook", cooldown="cooldown_s"),
    )
    world.settle()
    return done()


HANDLERS: dict[str, Handler] = {
    "delete-queue": _delete_queue,
    "create-topic": _create_topic,
    "subscribe": _subscribe,
    "publish": _publish,
    "create-function": _create_function,
    "update-function": _update_function,
    "invoke": _invoke,
    "map": _map,
    "put-provisioned-concurrency": _provision,
    "start-replay": _replay,
    "publish-version": _publish_version,
    "create-alias": _create_alias,
    "deploy": _deploy,
    "alb-request": _alb_request,
    "create-bucket": _create_bucket,
    "notify": _notify,
    "put-object": _put_object,
    "delete-object": _delete_object,
    "schedule": _schedule,
    "delete-schedule": _delete_schedule,
    "start-consumers": _start_consumers,
    "stop-consumers": _stop_consumers,
    "autoscale": _autoscale,
    "create-queue": _create_queue,
    "set-queue-attributes": _set_queue_attributes,
    "send": _send,
    "send-batch": _send_batch,
    "delete-batch": _delete_batch,
    "receive": _receive,
    "delete": _delete,
    "change-visibility": _change_visibility,
    "purge": _purge,
    "stats": _stats,
    "start-message-move-task": _move_task,
    "tick": _tick,
    "log": _log,
    "chaos": _chaos,
    "show": _show,
    "help": _help,
}


def run_command(world: World, command: Command) -> Result:
    """Run one parsed command; an AWS error is returned as an error object."""
    handler = HANDLERS.get(command.name)
    if handler is None:
        raise SandboxSyntaxError(f"'{command.name}' works only in the sandbox shell")
    try:
        return handler(world, command.args)
    except AwsError as exc:
        return {"ok": False, "error": exc.to_dict()}


def run_line(world: World, line: str) -> Result | None:
    """Parse and run one line: its JSON result object, or None for a blank/comment line.

    Raises `SandboxSyntaxError` when the line is not a command (a script stops there, exit 2).
    """
    command = parse(line)
    if command is None:
        return None
    return run_command(world, command)
