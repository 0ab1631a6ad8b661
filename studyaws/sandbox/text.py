"""Human-readable lines for sandbox results (plain text; colour and tables belong to `ui/`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from studyaws.sandbox.language import Command
from studyaws.sandbox.wording import event_line
from studyaws.words import plural


def seconds(value: float) -> str:
    return f"t={value}s"


def describe(command: Command, result: Mapping[str, Any]) -> list[str]:
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
    if name in ("send-batch", "delete-batch"):
        return _batch_lines(name, a, result)
    if name == "delete":
        return [f"deleted (receipt {a['receipt']})"]
    if name == "change-visibility":
        return [f"visibility of {a['receipt']} set to {a['d']}s from now"]
    if name == "purge":
        return [f"purged {a['queue']}"]
    if name in _PART2:
        return _PART2[name](a, result)
    if name == "stats" and "invocations" in result:
        r = result
        return [
            f"{a['queue']}: {plural(r['invocations'], 'invocation')}, "
            f"{plural(r['errors'], 'error')}, {plural(r['throttles'], 'throttle')}, "
            f"concurrency peak {r['concurrency_peak']}, "
            f"{r['gb_seconds']} GB-s, ${r['cost_usd']:.8f} (${r['cost_after_free_tier_usd']:.8f} "
            f"after the free tier)"
        ]
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
    if name == "undo":
        return [f"took back the last command ({seconds(result['now'])})"]
    if name == "reset":
        return [f"an empty world again ({seconds(result['now'])})"]
    return [json.dumps(result, ensure_ascii=False)]


def _invoke_line(a: Mapping[str, Any], r: Mapping[str, Any]) -> list[str]:
    if r["status"] == 202:
        return [f"202 accepted: {a['function']} will run {r['request_id']} from its queue"]
    start = ""
    if "init_duration" in r:
        start = f", cold start: Init {r['init_duration']}s first"
    elif "restore_duration" in r:
        start = f", SnapStart restore {r['restore_duration']}s first"
    if "error" in r:
        e = r["error"]
        return [
            f"200 from {a['function']} ({r['request_id']}, {r['duration']}s{start}): "
            f"{e['code']} {e['type']}: {e['message']}"
        ]
    return [
        f"200 from {a['function']} ({r['request_id']}, version {r['version']}, "
        f"{r['duration']}s{start}): {json.dumps(r['payload'], ensure_ascii=False)}"
    ]


_Lines = Callable[[Mapping[str, Any], Mapping[str, Any]], list[str]]
_PART2: dict[str, _Lines] = {
    "delete-queue": lambda a, r: [f"deleted queue {a['queue']}"],
    "create-topic": lambda a, r: [f"created {'FIFO ' if a.get('fifo') else ''}topic {r['topic']}"],
    "subscribe": lambda a, r: [f"{r['subscription']}: {a['target']} subscribed to {a['topic']}"],
    "publish": lambda a, r: [f"{r['message_id']} published to {a['topic']}"],
    "create-function": lambda a, r: [f"created function {r['function']}"],
    "update-function": lambda a, r: [f"updated {a['name']} ($LATEST)"],
    "invoke": _invoke_line,
    "map": lambda a, r: [f"{r['mapping']}: {a['queue']} → {a['function']}"],
    "put-provisioned-concurrency": lambda a, r: [
        f"{a['function']}:{a['qualifier']}: {plural(a['n'], 'environment')} kept initialised"
    ],
    "start-replay": lambda a, r: [
        f"{a['subscription']}: {plural(r['replayed'], 'archived message')} delivered again"
    ],
    "publish-version": lambda a, r: [f"{a['function']} version {r['version']}"],
    "create-alias": lambda a, r: [f"alias {a['function']}:{a['alias']} → version {a['version']}"],
    "deploy": lambda a, r: [
        f"deployment {r['deployment']} of {a['function']}:{a['alias']} "
        f"to version {a['version']} started"
    ],
    "alb-request": lambda a, r: [f"HTTP {r['status']}: {r['body']}"],
    "create-bucket": lambda a, r: [f"created bucket {a['name']}"],
    "notify": lambda a, r: [f"{a['bucket']} events → {a['target']}"],
    "put-object": lambda a, r: [f"put {a['bucket']}/{r['key']}"],
    "delete-object": lambda a, r: [f"deleted {a['bucket']}/{a['key']}"],
    "schedule": lambda a, r: [
        f"{'rule' if a.get('kind') == 'rule' else 'schedule'} {a['name']}: first run at "
        f"{seconds(r['next'])}"
    ],
    "delete-schedule": lambda a, r: [f"deleted schedule {a['name']}"],
    "start-consumers": lambda a, r: [f"started {', '.join(r['consumers'])} on {a['queue']}"],
    "stop-consumers": lambda a, r: [
        f"stopping {', '.join(r['stopping'])} (in-flight work finishes)"
    ],
    "autoscale": lambda a, r: [
        f"{a['queue']}: {a['min']}-{a['max']} consumers, target "
        f"{a['backlog_per_instance']} messages per instance"
    ],
}


def _batch_lines(name: str, a: Mapping[str, Any], result: Mapping[str, Any]) -> list[str]:
    """One line per entry: what it became, or its error (the batch call itself succeeded)."""
    done = "sent to" if name == "send-batch" else "deleted from"
    lines = []
    for r in result["successful"]:
        what = f"{r['message_id']} " if "message_id" in r else ""
        lines.append(f"entry {r['id']}: {what}{done} {a['queue']}")
    for f in result["failed"]:
        lines.append(f"entry {f['id']} failed: {f['code']}: {f['message']}")
    return lines


def _received(result: Mapping[str, Any]) -> list[str]:
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


def world_lines(snapshot: Mapping[str, Any]) -> list[str]:
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
    for name, t in snapshot.get("topics", {}).items():
        lines.append(f"topic {name}{' (FIFO)' if t['fifo'] else ''}")
        for s in t["subscriptions"]:
            extra = " raw" if s["raw"] else ""
            extra += f" filter {s['filter_policy']}" if s["filter_policy"] else ""
            lines.append(f"  {s['id']} → {s['protocol']}:{s['endpoint']}{extra}")
    for name, f in snapshot.get("functions", {}).items():
        reserved = f["reserved_concurrency"]
        lines.append(
            f"function {name}: running {f['running']}, queued {f['queued_events']}, "
            f"reserved {'-' if reserved is None else reserved}, "
            f"{plural(f['invocations'], 'invocation')}, {plural(f['errors'], 'error')}, "
            f"{plural(f['throttles'], 'throttle')}"
        )
        for alias, al in f["aliases"].items():
            split = (
                f" + {al['additional_weight']}% → {al['additional_version']}"
                if al["additional_version"]
                else ""
            )
            lines.append(f"  alias {alias} → {al['version']}{split}")
    for mid, m in snapshot.get("mappings", {}).items():
        lines.append(
            f"mapping {mid}: {m['queue']} → {m['function']}, batch {m['batch_size']}, "
            f"{m['pollers']} pollers, {m['batches_in_progress']} batches running"
        )
    for name, b in snapshot.get("buckets", {}).items():
        lines.append(f"bucket {name}: {len(b['objects'])} objects")
        for n in b["notifications"]:
            lines.append(f"  {n['events']} {n['prefix']}*{n['suffix']} → {n['target']}")
    for name, s in snapshot.get("schedules", {}).items():
        kind = "rule" if s.get("kind") == "rule" else "schedule"
        lines.append(f"{kind} {name}: {s['expression']} → {s['target']}, next t={s['next_at']}s")
    for queue, c in snapshot.get("consumers", {}).items():
        lines.append(
            f"consumers of {queue}: {c['consumers']} running ({len(c['busy'])} busy), "
            f"{c['processed']} processed, {c['failed']} failed"
        )
    for queue, g in snapshot.get("groups", {}).items():
        lines.append(
            f"auto scaling {queue}: {plural(g['instances'], 'instance')} ({g['min']}-{g['max']}), "
            f"alarm {g['alarm']}"
        )
    return lines
