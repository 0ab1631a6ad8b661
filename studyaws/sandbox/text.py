"""Human-readable lines for sandbox results (plain text; colour and tables belong to `ui/`)."""

from __future__ import annotations

from typing import Any

from studyaws.sandbox.language import Command


def seconds(value: float) -> str:
    return f"t={value}s"


def describe(command: Command, result: dict[str, Any]) -> list[str]:
    """One readable line per result (several for `receive`, `log`, `help`, `show`)."""
    if not result.get("ok"):
        error = result["error"]
        return [f"error: {error['code']}: {error['message']}"]
    a = command.args
    name = command.name
    if name == "create-queue":
        kind = "FIFO queue" if a.get("fifo") else "queue"
        return [f"created {kind} {a['name']}"]
    if name == "set-queue-attributes":
        return [f"attributes of {a['queue']} changed"]
    if name == "send":
        return [f"{result['message_id']} sent to {a['queue']}"]
    if name == "receive":
        return _received(result)
    if name == "delete":
        return [f"deleted (receipt {a['receipt']})"]
    if name == "change-visibility":
        return [f"visibility of {a['receipt']} set to {a['d']}s from now"]
    if name == "purge":
        return [f"purged {a['queue']}"]
    if name == "stats":
        return [
            f"{a['queue']}: {result['visible']} visible, {result['in_flight']} in flight, "
            f"{result['delayed']} delayed"
        ]
    if name == "start-message-move-task":
        return [f"message move task started on {a['dlq']}"]
    if name == "tick":
        return [seconds(result["now"])]
    if name == "log":
        return [event_line(e) for e in result["events"]] or ["(no events)"]
    if name == "chaos":
        return ["chaos " + ("on" if a["mode"] else "off")]
    if name == "help":
        return str(result["help"]).splitlines()
    if name == "show":
        return world_lines(result["world"])
    return [str(result)]


def _received(result: dict[str, Any]) -> list[str]:
    messages = result["messages"]
    if not messages:
        return [f"no messages ({seconds(result['now'])})"]
    lines = []
    for m in messages:
        group = f", group {m['group']}" if m["group"] is not None else ""
        lines.append(
            f"received {m['message_id']} (receipt {m['receipt']}, receive {m['receive_count']}"
            f"{group}): {m['body']}"
        )
    return lines


_SKIP = {"at", "kind", "seq", "cause", "resource", "message_id"}


def event_line(event: dict[str, Any]) -> str:
    """`t=31s VisibilityTimeoutExpired orders m1 (sqs_visibility_range)`."""
    parts = [seconds(event["at"]), event["kind"], event["resource"]]
    if event.get("message_id"):
        parts.append(event["message_id"])
    extras = [f"{k}={v}" for k, v in event.items() if k not in _SKIP and v not in (None, [], ())]
    if extras and event["kind"] not in ("QueueCreated", "QueueAttributesChanged"):
        parts.append(" ".join(extras))
    return " ".join(parts) + f" ({event['cause']})"


def world_lines(snapshot: dict[str, Any]) -> list[str]:
    """The world as plain text: one block per queue."""
    lines = [f"{seconds(snapshot['now'])}, seed {snapshot['seed']}"]
    if not snapshot["queues"]:
        lines.append("(no queues)")
    for name, q in snapshot["queues"].items():
        dlq = (
            f" → DLQ {q['dead_letter_queue']} after {q['max_receive_count']}"
            if (q["dead_letter_queue"])
            else ""
        )
        lines.append(f"{name}{' (FIFO)' if q['fifo'] else ''}{dlq}")
        for state in ("visible", "in_flight", "delayed"):
            ids = ", ".join(q[state]) or "-"
            lines.append(f"  {state.replace('_', ' ')}: {ids}")
    return lines
