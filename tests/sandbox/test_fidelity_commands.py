"""The sandbox commands and flags of issue 15: `send-batch`, `delete-batch`, `schedule --kind`,
`schedule … 'at(…)'`, `invoke --size`; and lines of 1 MiB and 6 MiB read and run at once."""

from __future__ import annotations

import shlex
import time

from studyaws.engine.lambda_ import PAYLOAD_SYNC_BYTES
from studyaws.engine.sqs import MAX_MESSAGE_BYTES
from studyaws.sandbox import Session


def test_send_batch_and_delete_batch_report_each_entry(script) -> None:
    """SendMessageBatch reports each entry by its Id, failures included, and the script goes on
    (exit 0); DeleteMessageBatch the same."""
    run = script(
        "create-queue q\n"
        "send-batch q 1=hello '2=big order' 3=x --delay 5\n"
        "send-batch q a=ok b=late --delay 901\n"
        "tick 5\n"
        "receive q --max 10\n"
        "delete-batch q x=m1#1 y=m9#1\n",
        "--json",
    )
    assert run.status == 0, run.err
    _created, sent, late, _tick, received, deleted = run.results
    assert sent == {
        "ok": True,
        "successful": [
            {"id": "1", "message_id": "m1"},
            {"id": "2", "message_id": "m2"},
            {"id": "3", "message_id": "m3"},
        ],
        "failed": [],
    }
    assert late["successful"] == []
    assert [(f["id"], f["code"], f["sender_fault"]) for f in late["failed"]] == [
        ("a", "InvalidParameterValue", True),
        ("b", "InvalidParameterValue", True),
    ]
    assert [m["body"] for m in received["messages"]] == ["hello", "big order", "x"]
    assert deleted["successful"] == [{"id": "x"}]
    assert [f["code"] for f in deleted["failed"]] == ["ReceiptHandleIsInvalid"]


def test_batch_request_errors_are_error_objects(script) -> None:
    run = script(
        "create-queue q\n"
        "send-batch q\n"
        "send-batch q a=1 a=2\n"
        f"send-batch q {' '.join(f'{i}=x' for i in range(11))}\n",
        "--json",
    )
    assert [r["error"]["code"] for r in run.results[1:]] == [
        "EmptyBatchRequest",
        "BatchEntryIdsNotDistinct",
        "TooManyEntriesInBatchRequest",
    ]


def test_an_entry_without_an_id_is_a_bad_line(script) -> None:
    """An entry is ID=VALUE; a bare word is not a command line of the language (exit 2)."""
    run = script("create-queue q\nsend-batch q hello\nstats q\n", "--json")
    assert run.status == 2
    assert "line 2" in run.err
    assert "ID=VALUE" in run.err


def test_schedule_kinds_and_one_time_schedules(script) -> None:
    """A Scheduler rate schedule (the default) runs at once; a rule one period later; `at()` at
    its time (virtual time 0 is 2025-01-01T00:00:00Z)."""
    run = script(
        "create-queue q\n"
        "schedule now 'rate(5 minutes)' q\n"
        "schedule later 'rate(5 minutes)' q --kind rule\n"
        "schedule once 'at(2025-01-01T00:02:00)' q\n"
        "schedule nope 'at(2025-01-01T00:02:00)' q --kind rule\n",
        "--json",
    )
    assert [r.get("next") for r in run.results[1:4]] == [0, 300, 120]
    assert run.results[4]["error"]["code"] == "ValidationException"


def test_invoke_size_stands_for_a_large_payload(script) -> None:
    run = script(
        "create-function f\n"
        f"invoke f '{{}}' --size {PAYLOAD_SYNC_BYTES}\n"
        f"invoke f '{{}}' --size {PAYLOAD_SYNC_BYTES + 1}\n",
        "--json",
    )
    assert run.results[1]["status"] == 200
    assert run.results[2]["error"]["code"] == "RequestTooLargeException"


def _fastest(line: str, setup: list[str], runs: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        session = Session(0)
        for s in setup:
            session.execute(s)
        start = time.perf_counter()
        outcome = session.execute(line)
        best = min(best, time.perf_counter() - start)
        result = outcome.result if outcome is not None else None
    return best, result


def test_a_6_mib_invoke_line_parses_and_runs_in_under_half_a_second() -> None:
    """The largest synchronous payload, typed on one line (quoted JSON with spaces), is read and
    invoked in under 0.5 s (measured: 0.04 s)."""
    payload = '{"k": "' + "v " * ((PAYLOAD_SYNC_BYTES - 16) // 2) + '"}'
    assert len(payload.encode()) <= PAYLOAD_SYNC_BYTES
    seconds, result = _fastest(f"invoke f {shlex.quote(payload)}", ["create-function f"])
    assert isinstance(result, dict)
    assert result["status"] == 200
    assert seconds < 0.5


def test_a_1_mib_send_line_parses_and_runs_in_under_half_a_second() -> None:
    """The largest message body on one line is read and sent in under 0.5 s (measured: about
    0.01 s)."""
    body = "x" * (MAX_MESSAGE_BYTES - 1)
    seconds, result = _fastest(f"send q '{body}'", ["create-queue q"])
    assert result == {"ok": True, "message_id": "m1"}
    assert seconds < 0.5
