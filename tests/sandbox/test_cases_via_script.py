"""Every SQS and FIFO behaviour case (docs/fidelity.md), played through
`studyaws sandbox --script FILE --json`.

Each case is a list of lines; a line may carry an expectation on its JSON result:
`bodies`, `receipts`, `rc` (receive counts), `stats` (visible, in flight, delayed), `code` (the AWS
error code), `id` (message id), `now` (seconds).
"""

from __future__ import annotations

from typing import Any

import pytest

Step = str | tuple[str, dict[str, Any]]

CASES: dict[str, list[Step]] = {
    "SQS-01": [
        "create-queue q",
        "send q m",
        ("receive q", {"receipts": ["m1#1"]}),
        ("stats q", {"stats": (0, 1, 0)}),
        "tick 29",
        ("receive q", {"bodies": []}),
        "tick 2",
        ("receive q", {"receipts": ["m1#2"], "rc": [2]}),
        ("change-visibility q m1#2 43201", {"code": "InvalidParameterValue"}),
    ],
    "SQS-02": [
        "create-queue q",
        "send q m",
        "receive q",
        "tick 20",
        ("change-visibility q m1#1 60", {}),
        "tick 59",
        ("receive q", {"bodies": []}),
        "tick 2",
        ("receive q", {"bodies": ["m"], "now": 81}),
    ],
    "SQS-03": [
        "create-queue q",
        "send q m",
        "receive q",
        "change-visibility q m1#1 0",
        ("receive q", {"rc": [2]}),
    ],
    "SQS-04": [
        "create-queue q",
        "send q m",
        "receive q",
        "change-visibility q m1#1 100",
        "tick 101",
        ("receive q", {"rc": [2]}),
        "tick 30",
        ("receive q", {"rc": [3]}),
    ],
    "SQS-05": [
        "create-queue q",
        "send q m",
        "tick 6h",
        "receive q",
        ("change-visibility q m1#1 11h", {}),
        ("stats q", {"stats": (0, 1, 0)}),
        "tick 1h",
        ("change-visibility q m1#1 11h", {}),  # 1 h + 11 h = exactly 12 h: allowed
        "tick 1h",
        ("change-visibility q m1#1 11h", {"code": "InvalidParameterValue"}),  # 2 h + 11 h
    ],
    "SQS-06": [
        "create-queue q",
        "send q m",
        "receive q",
        "tick 31",
        "receive q",
        "tick 31",
        ("receive q", {"rc": [3]}),
    ],
    "SQS-07": [
        "create-queue q",
        "send q m",
        "receive q",
        "tick 31",
        "receive q",
        ("delete q m1#1", {}),
        ("stats q", {"stats": (0, 0, 0)}),
    ],
    "SQS-08": [
        "create-queue q.fifo --fifo --content-based-dedup",
        "send q.fifo m --group g",
        "receive q.fifo",
        "tick 31",
        ("delete q.fifo m1#1", {"code": "InvalidParameterValue"}),
        ("stats q.fifo", {"stats": (1, 0, 0)}),
    ],
    "SQS-09": [
        "create-queue q",
        "send q a",
        "send q b",
        "receive q",
        "delete q m1#1",
        ("change-visibility q m1#1 10", {"code": "InvalidParameterValue"}),
        "receive q",
        "tick 31",
        ("change-visibility q m2#1 300", {}),
        ("stats q", {"stats": (1, 0, 0)}),
    ],
    "SQS-10": [
        "create-queue dlq",
        "create-queue src --dlq dlq --max-receives 2",
        "send src m",
        ("receive src", {"rc": [1]}),
        "tick 31",
        ("receive src", {"rc": [2]}),
        "tick 31",
        ("stats dlq", {"stats": (0, 0, 0)}),
        ("receive src", {"bodies": []}),
        ("stats dlq", {"stats": (1, 0, 0)}),
    ],
    "SQS-11": [
        "create-queue dlq",
        "create-queue src --dlq dlq --max-receives 2",
        "send src m",
        "receive src",
        "tick 31",
        "receive src",
        "tick 31",
        "receive src",
        ("receive dlq", {"bodies": ["m"], "rc": [3], "ids": ["m1"]}),
    ],
    "SQS-12": [
        "create-queue dlq --retention 2m",
        "create-queue src --dlq dlq --max-receives 1",
        "send src m",
        "receive src",
        "tick 100",
        "receive src",
        ("stats dlq", {"stats": (1, 0, 0)}),
        "tick 20",
        ("stats dlq", {"stats": (0, 0, 0)}),
    ],
    "SQS-13": [
        "create-queue dlq.fifo --fifo --retention 60",
        "create-queue src.fifo --fifo --retention 600 --content-based-dedup"
        " --dlq dlq.fifo --max-receives 1",
        "send src.fifo m --group g",
        "receive src.fifo",
        "tick 40",
        "receive src.fifo",
        "tick 25",
        ("receive dlq.fifo --visibility-timeout 0", {"bodies": ["m"]}),
        "tick 35",
        ("stats dlq.fifo", {"stats": (0, 0, 0)}),
    ],
    "SQS-14": [
        "create-queue std",
        "create-queue fifo.fifo --fifo",
        (
            "create-queue a.fifo --fifo --dlq std --max-receives 3",
            {"code": "InvalidParameterCombination"},
        ),
        (
            "create-queue b --dlq fifo.fifo --max-receives 3",
            {"code": "InvalidParameterCombination"},
        ),
        ("create-queue c --dlq missing --max-receives 3", {"code": "InvalidParameterValue"}),
        ("create-queue d --dlq std --max-receives 0", {"code": "InvalidParameterValue"}),
        ("create-queue e --dlq std --max-receives 1001", {"code": "InvalidParameterValue"}),
        ("stats c", {"code": "QueueDoesNotExist"}),
    ],
    "SQS-15": [
        "create-queue dlq",
        "create-queue src --dlq dlq --max-receives 1",
        "send src m",
        "receive src",
        "tick 31",
        ("receive src", {"bodies": []}),
        ("stats dlq", {"stats": (1, 0, 0)}),
    ],
    "SQS-16": [
        "create-queue dlq",
        "create-queue src --dlq dlq --max-receives 1",
        "send src a",
        "send src b",
        "send src c",
        "receive src --max 10",
        "tick 31",
        "receive src --max 10",
        ("stats dlq", {"stats": (3, 0, 0)}),
        ("start-message-move-task src", {"code": "InvalidParameterValue"}),
        ("start-message-move-task dlq --rate 1", {}),
        ("start-message-move-task dlq", {"code": "UnsupportedOperation"}),
        ("stats src", {"stats": (1, 0, 0)}),
        "tick 2",
        ("stats src", {"stats": (3, 0, 0)}),
        ("receive src --max 10", {"bodies": ["a", "b", "c"]}),
    ],
    "SQS-17": [
        "create-queue q --delay 10",
        "send q a",
        "tick 5",
        ("receive q", {"bodies": []}),
        ("stats q", {"stats": (0, 0, 1)}),
        "tick 6",
        ("receive q", {"bodies": ["a"], "rc": [1]}),
        ("create-queue r --delay 901", {"code": "InvalidParameterValue"}),
    ],
    "SQS-18": [
        "create-queue q --delay 10",
        "send q t0 --delay 0",
        "send q t20 --delay 20",
        "send q default",
        ("receive q --max 10", {"bodies": ["t0"]}),
        "tick 11",
        ("receive q --max 10", {"bodies": ["default"]}),
        "tick 10",
        ("receive q --max 10", {"bodies": ["t20"]}),
    ],
    "SQS-19": [
        "create-queue q --delay 60",
        "send q m",
        "tick 1",
        "set-queue-attributes q --delay 0",
        "tick 1",
        ("receive q", {"bodies": []}),
        "tick 58",
        ("receive q", {"bodies": ["m"]}),
    ],
    "SQS-20": [
        "create-queue q.fifo --fifo --delay 60 --content-based-dedup",
        ("send q.fifo x --group g --delay 5", {"code": "InvalidParameterValue"}),
        ("send q.fifo y --group g --delay 0", {"id": "m1"}),
        ("stats q.fifo", {"stats": (0, 0, 1)}),
        "tick 60",
        ("receive q.fifo", {"bodies": ["y"]}),
    ],
    "SQS-21": [
        "create-queue q.fifo --fifo --delay 60 --content-based-dedup",
        "send q.fifo m --group g",
        "tick 1",
        "set-queue-attributes q.fifo --delay 0",
        "tick 1",
        ("receive q.fifo", {"bodies": ["m"]}),
    ],
    "SQS-22": [
        "create-queue q --retention 60",
        "send q old",
        "tick 30",
        "send q young",
        "tick 31",
        ("stats q", {"stats": (1, 0, 0)}),
        ("receive q --max 10", {"bodies": ["young"]}),
        ("create-queue r --retention 59", {"code": "InvalidParameterValue"}),
    ],
    "SQS-23": [
        "create-queue q",
        "send q 1",
        "send q 2",
        "send q 3",
        "send q 4",
        "send q 5",
        ("receive q", {"bodies": ["1"]}),
        ("receive q --max 10", {"bodies": ["2", "3", "4", "5"]}),
        ("receive q --max 11", {"code": "InvalidParameterValue"}),
    ],
    "SQS-24": [
        "create-queue q",
        ("receive q --wait 20", {"bodies": [], "now": 20}),
        ("receive q --wait 21", {"code": "InvalidParameterValue"}),
        "create-queue slow --delay 5",
        "send slow m",
        ("receive slow --wait 20", {"bodies": ["m"], "now": 25}),
    ],
    "SQS-25": [
        "create-queue q --visibility-timeout 12",
        "send q m",
        "receive q",
        ("receive q --wait 20", {"receipts": ["m1#2"], "now": 12}),
    ],
    "SQS-26": [
        "create-queue q",
        "send q a",
        "send q b",
        "receive q",
        ("purge q", {}),
        "tick 61",
        ("receive q", {"bodies": []}),
        ("purge q", {}),
        "tick 10",
        ("purge q", {"code": "PurgeQueueInProgress"}),
    ],
    "SQS-27": [
        "create-queue q",
        "send q a",
        "send q b",
        "send q c",
        ("receive q --max 10", {"bodies": ["a", "b", "c"]}),
    ],
    "FIFO-01": [
        ("create-queue orders --fifo", {"code": "InvalidParameterValue"}),
        ("create-queue orders.fifo", {"code": "InvalidParameterValue"}),
        "create-queue orders.fifo --fifo",
        ("send orders.fifo x --dedup-id d", {"code": "MissingParameter"}),
        ("send orders.fifo x --group g", {"code": "InvalidParameterValue"}),
    ],
    "FIFO-02": [
        "create-queue q.fifo --fifo --content-based-dedup",
        "send q.fifo A1 --group A",
        "send q.fifo A2 --group A",
        "send q.fifo A3 --group A",
        ("receive q.fifo --max 10", {"bodies": ["A1", "A2", "A3"]}),
    ],
    "FIFO-03": [
        "create-queue q.fifo --fifo --content-based-dedup",
        "send q.fifo A1 --group A",
        "send q.fifo A2 --group A",
        "send q.fifo B1 --group B",
        ("receive q.fifo", {"bodies": ["A1"]}),
        ("receive q.fifo", {"bodies": ["B1"]}),
        ("receive q.fifo", {"bodies": []}),
        "delete q.fifo m1#1",
        ("receive q.fifo", {"bodies": ["A2"]}),
    ],
    "FIFO-04": [
        "create-queue q.fifo --fifo --content-based-dedup",
        "send q.fifo A1 --group A",
        "send q.fifo B1 --group B",
        "send q.fifo A2 --group A",
        ("receive q.fifo --max 2", {"bodies": ["A1", "A2"]}),
    ],
    "FIFO-05": [
        "create-queue q.fifo --fifo",
        ("send q.fifo first --group g --dedup-id X", {"id": "m1"}),
        "tick 60",
        ("send q.fifo second --group g --dedup-id X", {"id": "m1"}),
        ("stats q.fifo", {"stats": (1, 0, 0)}),
        "tick 241",
        ("send q.fifo third --group g --dedup-id X", {"id": "m2"}),
        ("stats q.fifo", {"stats": (2, 0, 0)}),
    ],
    "FIFO-06": [
        "create-queue q.fifo --fifo",
        "send q.fifo a --group g --dedup-id X",
        "receive q.fifo",
        "delete q.fifo m1#1",
        ("send q.fifo a --group g --dedup-id X", {"id": "m1"}),
        ("stats q.fifo", {"stats": (0, 0, 0)}),
    ],
    "FIFO-07": [
        "create-queue q.fifo --fifo --content-based-dedup",
        "send q.fifo same --group g --attr a=1",
        ("send q.fifo same --group g --attr a=2", {"id": "m1"}),
        ("send q.fifo same --group g --dedup-id explicit", {"id": "m2"}),
        ("stats q.fifo", {"stats": (2, 0, 0)}),
    ],
    "FIFO-08": [
        "create-queue q.fifo --fifo --dedup-scope message-group",
        "send q.fifo a --group g1 --dedup-id X",
        "send q.fifo b --group g2 --dedup-id X",
        ("stats q.fifo", {"stats": (2, 0, 0)}),
    ],
    "FIFO-09": [
        "create-queue dlq.fifo --fifo",
        "create-queue q.fifo --fifo --content-based-dedup --dlq dlq.fifo --max-receives 1",
        "send q.fifo A1 --group A",
        "send q.fifo A2 --group A",
        ("receive q.fifo", {"bodies": ["A1"]}),
        "tick 31",
        ("receive q.fifo", {"bodies": ["A2"]}),
        ("stats dlq.fifo", {"stats": (1, 0, 0)}),
    ],
    "FIFO-10": [
        "create-queue q.fifo --fifo --content-based-dedup",
        "send q.fifo A1 --group A",
        "send q.fifo A2 --group A",
        ("receive q.fifo --max 10 --attempt-id r1", {"receipts": ["m1#1", "m2#1"]}),
        "tick 10",
        ("receive q.fifo --max 10 --attempt-id r1", {"receipts": ["m1#1", "m2#1"], "rc": [1, 1]}),
    ],
}


def _simplify(result: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"code": result["error"]["code"] if not result["ok"] else None}
    if "messages" in result:
        msgs = result["messages"]
        out["bodies"] = [m["body"] for m in msgs]
        out["receipts"] = [m["receipt"] for m in msgs]
        out["rc"] = [m["receive_count"] for m in msgs]
        out["ids"] = [m["message_id"] for m in msgs]
    if "visible" in result:
        out["stats"] = (result["visible"], result["in_flight"], result["delayed"])
    if "message_id" in result:
        out["id"] = result["message_id"]
    if "now" in result:
        out["now"] = result["now"]
    return out


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_holds_through_the_sandbox_script(script, case) -> None:
    steps = CASES[case]
    lines = [s if isinstance(s, str) else s[0] for s in steps]
    run = script("\n".join(lines) + "\n", "--json")
    assert run.status == 0, run.err
    results = run.results
    assert len(results) == len(steps)
    for step, result in zip(steps, results, strict=True):
        if isinstance(step, str):
            continue
        line, expect = step
        got = _simplify(result)
        expect = {"code": None, **expect}
        assert {k: got.get(k) for k in expect} == expect, f"{case}: {line}"
