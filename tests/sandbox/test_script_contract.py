"""The `--json` contract of DESIGN §4: one object a line, exact keys, error objects, exit codes."""

from __future__ import annotations

import json

import pytest


def test_send_receive_delete_json_objects_have_the_contract_keys(script) -> None:
    run = script(
        "create-queue q\n"
        "send q 'hello world' --attr k=v\n"
        "receive q --max 10\n"
        "stats q\n"
        "delete q m1#1\n"
        "tick 45s\n"
        "log --since 0\n",
        "--json",
    )
    assert run.status == 0, run.err
    created, sent, received, stats, deleted, tick, log = run.results
    assert created == {"ok": True}
    assert sent == {"ok": True, "message_id": "m1"}
    assert received == {
        "ok": True,
        "messages": [
            {
                "message_id": "m1",
                "body": "hello world",
                "receipt": "m1#1",
                "receive_count": 1,
                "group": None,
            }
        ],
        "now": 0,
    }
    assert stats == {"ok": True, "visible": 0, "in_flight": 1, "delayed": 0}
    assert deleted == {"ok": True}
    assert tick == {"ok": True, "now": 45}
    assert set(log) == {"ok", "events"}
    kinds = [e["kind"] for e in log["events"]]
    assert kinds == ["QueueCreated", "MessageSent", "MessageReceived", "MessageDeleted"]
    assert all({"at", "kind", "seq", "cause", "resource"} <= set(e) for e in log["events"])


def test_every_output_line_is_one_json_object(script) -> None:
    run = script("create-queue q\n# a comment\n\nsend q a\nreceive q\nreceive q\n", "--json")
    lines = run.out.splitlines()
    assert len(lines) == 4
    assert all(isinstance(json.loads(line), dict) for line in lines)


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("send nope hi", "QueueDoesNotExist"),
        ("receive q --max 11", "InvalidParameterValue"),
        ("receive q --wait 21", "InvalidParameterValue"),
        ("change-visibility q m1#1 13h", "InvalidParameterValue"),
        ("delete q m1#7", "ReceiptHandleIsInvalid"),
        ("send q ''", "MissingParameter"),
        ("create-queue orders --fifo", "InvalidParameterValue"),
        ("send f.fifo x --dedup-id d", "MissingParameter"),
        ("create-queue bad.fifo --fifo --dlq q --max-receives 3", "InvalidParameterCombination"),
    ],
)
def test_api_errors_are_objects_and_the_script_goes_on(script, line, code) -> None:
    run = script(
        f"create-queue q\ncreate-queue f.fifo --fifo\nsend q m\n{line}\nstats q\n", "--json"
    )
    assert run.status == 0
    error = run.results[3]
    assert error["ok"] is False
    assert error["error"]["code"] == code
    assert error["error"]["message"]
    assert run.results[4]["ok"] is True  # the script went on


def test_body_too_large_is_an_error_object(script, tmp_path) -> None:
    run = script(f"create-queue q\nsend q {'x' * 1_048_577}\n", "--json")
    assert run.status == 0
    assert run.results[1]["error"]["code"] == "InvalidParameterValue"


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ("sned q hi", "unknown command 'sned'"),
        ("send q", "expected QUEUE BODY"),
        ("receive q --bogus 3", "unknown flag '--bogus'"),
        ("receive q --max", "needs a value"),
        ("receive q --max lots", "bad number 'lots'"),
        ("tick 5y", "bad duration '5y'"),
        ("tick -5", "bad duration"),
        ("send q 'unclosed", "cannot read the line"),
        ("send q a --attr novalue", "bad KEY=VALUE"),
        ("publish t hi --bogus", "unknown flag"),
    ],
)
def test_a_bad_line_stops_the_script_with_exit_2_and_its_number(script, bad, words) -> None:
    run = script(f"create-queue q\nsend q first\n{bad}\nsend q never\n", "--json")
    assert run.status == 2
    assert run.err.startswith("studyaws: error: line 3: ")
    assert words in run.err
    assert len(run.results) == 2  # nothing after the bad line ran
    assert run.err.count("\n") == 1


def test_bad_line_in_human_mode_too(script) -> None:
    run = script("create-queue q\nfrobnicate\n")
    assert run.status == 2
    assert run.out == "created queue q\n"
    assert "line 2: unknown command 'frobnicate'" in run.err


def test_stdin_script_with_dash(cli) -> None:
    run = cli("sandbox", "--script", "-", "--json", stdin="create-queue q\nsend q hello\n")
    assert run.status == 0
    assert run.results == [{"ok": True}, {"ok": True, "message_id": "m1"}]


def test_stdin_without_script_and_without_tty_runs_like_a_script(cli) -> None:
    run = cli("sandbox", stdin="create-queue q\nsend q hello\nreceive q\n")
    assert run.status == 0
    assert run.out.splitlines() == [
        "created queue q",
        "m1 sent to q",
        "received m1 (receipt m1#1, receive 1): hello",
    ]


def test_missing_script_file_is_a_usage_error(cli, tmp_path) -> None:
    run = cli("sandbox", "--script", str(tmp_path / "nope.txt"))
    assert run.status == 2
    assert "cannot read script" in run.err


def test_human_output_lines(script) -> None:
    run = script(
        "create-queue q.fifo --fifo --content-based-dedup\n"
        "send q.fifo hi --group g\n"
        "receive q.fifo\n"
        "receive q.fifo\n"
        "change-visibility q.fifo m1#1 1m\n"
        "stats q.fifo\n"
        "tick 2m\n"
        "receive q.fifo --max 11\n"
        "purge q.fifo\n"
        "show\n"
        "log --since 120\n"
    )
    assert run.status == 0, run.err
    assert run.out.splitlines()[:8] == [
        "created FIFO queue q.fifo",
        "m1 sent to q.fifo",
        "received m1 (receipt m1#1, receive 1, group g): hi",
        "no messages (t=0s)",
        "visibility of m1#1 set to 60s from now",
        "q.fifo: 0 visible, 1 in flight, 0 delayed",
        "t=120s",
        "error: InvalidParameterValue: Value 11 for parameter MaxNumberOfMessages is invalid. "
        "Reason: Must be between 1 and 10, if provided.",
    ]
    assert "purged q.fifo" in run.out
    assert "q.fifo (FIFO)" in run.out
    assert "QueuePurged q.fifo" in run.out


def test_same_seed_same_output(script) -> None:
    text = "chaos on\ncreate-queue q\n" + "".join(f"send q {i}\n" for i in range(10))
    text += "receive q --max 10\ntick 31\nreceive q --max 10\nlog\n"
    a = script(text, "--json", "--seed", "5")
    b = script(text, "--json", "--seed", "5")
    assert a.out == b.out
    assert a.status == b.status == 0


def test_help_lists_the_commands(script) -> None:
    run = script("help\nhelp receive\n")
    assert "start-message-move-task DLQ" in run.out
    assert "set-queue-attributes QUEUE" in run.out
    assert "receive QUEUE [--max N] [--wait D]" in run.out


def test_undo_and_reset_in_a_script(script) -> None:
    run = script("create-queue q\nsend q a\nsend q b\nundo\nstats q\nreset\nstats q\n", "--json")
    assert run.results[4] == {"ok": True, "visible": 1, "in_flight": 0, "delayed": 0}
    assert run.results[6]["error"]["code"] == "QueueDoesNotExist"
