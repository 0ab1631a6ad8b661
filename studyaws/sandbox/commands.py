"""Run a parsed command against a `World` and return its JSON result object (DESIGN §4).

Each handler returns exactly the keys of the contract: `{"ok": true, ...}` on success; a rejected
call of the simulated API becomes `{"ok": false, "error": {"code": ..., "message": ...}}` — a
result, not a crash. `run_line(world, line)` is the whole pipeline for one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from studyaws.engine import CHAOS_ON, AwsError, Chaos, World
from studyaws.engine.sqs import Received
from studyaws.sandbox.language import Command, SandboxSyntaxError, help_text, parse

Result = dict[str, Any]
Handler = Callable[[World, dict[str, Any]], Result]

_OK: Result = {"ok": True}


def _create_queue(world: World, a: dict[str, Any]) -> Result:
    scope = a.get("dedup_scope", "queue")
    world.sqs.create_queue(
        a["name"],
        fifo=a.get("fifo", False),
        visibility_timeout_s=a.get("visibility_timeout", 30),
        delay_s=a.get("delay", 0),
        retention_s=a.get("retention", 345_600),
        wait_s=a.get("wait", 0),
        content_based_dedup=a.get("content_based_dedup", False),
        dedup_scope="messageGroup" if scope in ("message-group", "messageGroup") else scope,
        dead_letter_queue=a.get("dlq"),
        max_receive_count=a.get("max_receives"),
    )
    return dict(_OK)


_ATTR_FLAGS = {
    "visibility_timeout": "visibility_timeout_s",
    "delay": "delay_s",
    "retention": "retention_s",
    "wait": "wait_s",
    "content_based_dedup": "content_based_dedup",
    "dlq": "dead_letter_queue",
    "max_receives": "max_receive_count",
}


def _set_queue_attributes(world: World, a: dict[str, Any]) -> Result:
    changes = {_ATTR_FLAGS[k]: v for k, v in a.items() if k in _ATTR_FLAGS}
    if a.get("no_dlq"):
        changes["dead_letter_queue"] = None
        changes["max_receive_count"] = None
    world.sqs.set_queue_attributes(a["queue"], **changes)
    return dict(_OK)


def _send(world: World, a: dict[str, Any]) -> Result:
    attrs = a.get("attr")
    result = world.sqs.send_message(
        a["queue"],
        a["body"],
        delay_s=a.get("delay"),
        group=a.get("group"),
        dedup_id=a.get("dedup_id"),
        attributes=dict(attrs) if attrs else None,
    )
    return {"ok": True, "message_id": result.message_id}


def message_json(r: Received) -> dict[str, Any]:
    return {
        "message_id": r.message_id,
        "body": r.body,
        "receipt": r.receipt,
        "receive_count": r.receive_count,
        "group": r.group,
    }


def _receive(world: World, a: dict[str, Any]) -> Result:
    got = world.sqs.receive_message(
        a["queue"],
        max_number_of_messages=a.get("max", 1),
        wait_time_s=a.get("wait"),
        visibility_timeout_s=a.get("visibility_timeout"),
        receive_request_attempt_id=a.get("attempt_id"),
    )
    return {"ok": True, "messages": [message_json(r) for r in got], "now": world.now_s}


def _delete(world: World, a: dict[str, Any]) -> Result:
    world.sqs.delete_message(a["queue"], a["receipt"])
    return dict(_OK)


def _change_visibility(world: World, a: dict[str, Any]) -> Result:
    world.sqs.change_message_visibility(a["queue"], a["receipt"], a["d"])
    return dict(_OK)


def _purge(world: World, a: dict[str, Any]) -> Result:
    world.sqs.purge_queue(a["queue"])
    return dict(_OK)


def _stats(world: World, a: dict[str, Any]) -> Result:
    attrs = world.sqs.get_queue_attributes(a["queue"])
    return {
        "ok": True,
        "visible": attrs["ApproximateNumberOfMessages"],
        "in_flight": attrs["ApproximateNumberOfMessagesNotVisible"],
        "delayed": attrs["ApproximateNumberOfMessagesDelayed"],
    }


def _move_task(world: World, a: dict[str, Any]) -> Result:
    world.sqs.start_message_move_task(
        a["dlq"], destination=a.get("destination"), max_per_second=a.get("rate")
    )
    return dict(_OK)


def _tick(world: World, a: dict[str, Any]) -> Result:
    world.advance(a["d"])
    return {"ok": True, "now": world.now_s}


def _log(world: World, a: dict[str, Any]) -> Result:
    since_ms = a.get("since", 0) * 1000
    return {"ok": True, "events": [e.to_dict() for e in world.events(since_ms)]}


def _chaos(world: World, a: dict[str, Any]) -> Result:
    world.chaos = CHAOS_ON if a["mode"] else Chaos()
    return dict(_OK)


def _show(world: World, _a: dict[str, Any]) -> Result:
    return {"ok": True, "world": world.snapshot()}


def _help(_world: World, a: dict[str, Any]) -> Result:
    return {"ok": True, "help": help_text(a.get("command"))}


HANDLERS: dict[str, Handler] = {
    "create-queue": _create_queue,
    "set-queue-attributes": _set_queue_attributes,
    "send": _send,
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
