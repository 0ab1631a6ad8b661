"""The SNS and Lambda behaviour cases (docs/fidelity.md) through
`studyaws sandbox --script FILE --json`.

Each case is a script; the expectations pick fields out of the JSON result of one line (by its
index among the lines that produce a result).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

CASES: dict[str, tuple[str, dict[int, dict[str, Any]]]] = {
    "SNS-01": (
        "create-queue a\ncreate-queue b\ncreate-topic t\nsubscribe t a\nsubscribe t b\n"
        "publish t m\nreceive a\nreceive b\n",
        {5: {"message_id": "m1"}, 6: {"ids": ["m2"]}, 7: {"ids": ["m3"]}},
    ),
    "SNS-02": (
        "create-queue a\ncreate-topic t\nsubscribe t a\npublish t x\npublish t y --attr k=v\n"
        "stats a\n",
        {5: {"visible": 2}},
    ),
    "SNS-03": (
        'create-queue a\ncreate-topic t\nsubscribe t a --filter \'{"color":["red"]}\'\n'
        "publish t x --attr color=blue\npublish t y --attr color=red\npublish t z\nstats a\n",
        {6: {"visible": 1}},
    ),
    "SNS-05": (
        "create-queue a\ncreate-topic t\nsubscribe t a --raw\npublish t hello --attr k=v\n"
        "receive a\n",
        {4: {"bodies": ["hello"]}},
    ),
    "SNS-06": (
        "create-queue q.fifo --fifo\ncreate-topic t.fifo --fifo --content-based-dedup\n"
        "subscribe t.fifo q.fifo\npublish t.fifo m --group g1\npublish t.fifo m --group g1\n"
        "receive q.fifo --max 10\npublish t.fifo x\n",
        {
            3: {"message_id": "m1"},
            4: {"message_id": "m1"},
            5: {"groups": ["g1"]},
            6: {"code": "InvalidParameter"},
        },
    ),
    "SNS-07": (
        "create-queue d\ncreate-queue gone\ncreate-topic t\nsubscribe t gone --dlq d\n"
        "delete-queue gone\npublish t m\nstats d\n",
        {6: {"visible": 1}},
    ),
    "SNS-08": (
        "create-function f\ncreate-topic t\nsubscribe t f\npublish t m\ntick 5\nstats f\n",
        {5: {"invocations": 1}},
    ),
    "LAM-01": ("create-function f\ninvoke f x --async\n", {1: {"status": 202}}),
    "LAM-02": (
        "create-function f --fail always --duration 0\ninvoke f x --async\ntick 10m\nstats f\n",
        {3: {"invocations": 3}},
    ),
    "LAM-03": (
        "create-function f --reserved-concurrency 1 --duration 30s --timeout 60\n"
        "invoke f a --async\ninvoke f b --async\ntick 2m\nstats f\n",
        {4: {"invocations": 2, "errors": 0}},
    ),
    "LAM-04": (
        "create-queue dest\ncreate-queue dlq\ncreate-function f --fail always --on-failure dest "
        "--dlq dlq\ninvoke f '{\"a\":1}' --async\ntick 5m\nreceive dlq\nstats dest\n",
        {5: {"bodies": ['{"a":1}']}, 6: {"visible": 1}},
    ),
    "LAM-05": (
        "create-queue dest\ncreate-function f --reserved-concurrency 1 --duration 120s "
        "--timeout 900 --max-event-age 60 --on-failure dest\ninvoke f a --async\n"
        "invoke f b --async\ntick 100\nstats dest\n",
        {5: {"visible": 1}},
    ),
    "LAM-08": (
        "create-queue q\ncreate-function f\nsend q a\nsend q b\nsend q c\nmap q f\ntick 5\n"
        "stats f\n",
        {7: {"invocations": 1}},
    ),
    "LAM-09": (
        "create-queue q\ncreate-function f\nsend q a\nmap q f\ntick 5\nstats q\n",
        {5: {"visible": 0, "in_flight": 0}},
    ),
    "LAM-10": (
        "create-queue q --visibility-timeout 60\ncreate-function f --fail always\nsend q a\n"
        "map q f\ntick 5\nstats q\ntick 60\nstats f\n",
        {5: {"in_flight": 1}, 7: {"invocations": 2}},
    ),
    "LAM-11": (
        "create-queue q\ncreate-function f --fail body:bad\nsend q a\nsend q bad\nsend q c\n"
        "map q f --report-batch-item-failures\ntick 5\nstats q\n",
        {7: {"in_flight": 1}},
    ),
    "LAM-12": (
        "create-queue dlq\ncreate-queue q --dlq dlq --max-receives 3\n"
        "create-function f --fail always\nsend q a\nmap q f\ntick 3m\nstats f\nstats dlq\n",
        {6: {"invocations": 3}, 7: {"visible": 1}},
    ),
    "LAM-13": (
        "create-queue dlq\ncreate-queue q --visibility-timeout 10 --dlq dlq --max-receives 1\n"
        "create-function f --reserved-concurrency 0\nsend q a\nmap q f\ntick 1m\nstats dlq\n"
        "stats f\n",
        {6: {"visible": 1}, 7: {"invocations": 0}},
    ),
    "LAM-14": (
        "create-queue q --visibility-timeout 30\ncreate-function f --timeout 120\nmap q f\n",
        {2: {"code": "InvalidParameterValueException"}},
    ),
    "LAM-15": (
        "create-queue q.fifo --fifo --content-based-dedup\ncreate-function f --fail body:bad\n"
        "send q.fifo A1 --group A\nsend q.fifo 'A2 bad' --group A\nsend q.fifo A3 --group A\n"
        "map q.fifo f --report-batch-item-failures\ntick 5\nstats q.fifo\n",
        {7: {"in_flight": 2}},
    ),
    "LAM-16": (
        "create-function f --reserved-concurrency 1 --duration 10s --timeout 15\ninvoke f a\n"
        "tick 1\ninvoke f b\ntick 10\ninvoke f c\n",
        {
            1: {"status": 200},
            3: {"status": 429, "code": "TooManyRequestsException"},
            5: {"status": 200},
        },
    ),
    "LAM-17": (
        "create-function f --reserved-concurrency 1 --duration 2s\ninvoke f a --async\n"
        "invoke f b --async\ninvoke f c --async\ntick 2m\nstats f\n",
        {1: {"status": 202}, 5: {"invocations": 3, "concurrency_peak": 1}},
    ),
    "LAM-18": (
        "create-function f --reserved-concurrency 950\n"
        "create-function g --reserved-concurrency 900\n",
        {0: {"code": "InvalidParameterValueException"}, 1: {"ok": True}},
    ),
}


def _check(result: dict[str, Any], want: dict[str, Any]) -> None:
    for key, value in want.items():
        if key == "code":
            assert result["error"]["code"] == value
        elif key == "ids":
            assert [m["message_id"] for m in result["messages"]] == value
        elif key == "bodies":
            assert [m["body"] for m in result["messages"]] == value
        elif key == "groups":
            assert [m["group"] for m in result["messages"]] == value
        else:
            assert result[key] == value, (key, result)


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_via_script(script, case: str) -> None:
    text, expectations = CASES[case]
    run = script(text, "--json")
    assert run.status == 0, run.err
    results = run.results
    for index, want in expectations.items():
        _check(results[index], want)
    json.dumps(results)


def test_lam_02_retry_times_via_script(script) -> None:
    """AWS (invocation-async-error-handling): "a one-minute wait between the first two attempts,
    and two minutes between the second and third" — waits from the end of an attempt. With a
    2-second function the attempts start at 0, 2+60 = 62 and 64+120 = 184; then the on-failure
    destination gets the record (approximateInvokeCount 3) and the DLQ the bare event."""
    run = script(
        "create-queue dest\ncreate-queue dlq\n"
        "create-function f --fail always --duration 2s --on-failure dest --dlq dlq\n"
        "invoke f '{\"a\":1}' --async\ntick 10m\nlog\nreceive dest\nreceive dlq\n",
        "--json",
    )
    assert run.status == 0, run.err
    invoke, _tick, log, dest, dlq = run.results[3:]
    assert invoke == {"ok": True, "status": 202, "request_id": "r1"}
    events = log["events"]
    assert [e["at"] for e in events if e["kind"] == "FunctionInvoked"] == [0, 62, 184]
    [finished] = [e for e in events if e["kind"] == "AsyncEventFinished"]
    assert (finished["at"], finished["condition"]) == (186, "RetriesExhausted")
    record = json.loads(dest["messages"][0]["body"])
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 3
    assert record["responseContext"]["functionError"] == "Unhandled"
    assert [m["body"] for m in dlq["messages"]] == ['{"a":1}']
