"""`studyaws sandbox --script FILE --against URL` end to end against a moto server on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyaws.ui.env import Env

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"

pytestmark = pytest.mark.slow


def test_the_fanout_example_prints_the_contracts_json_from_the_endpoint(
    cli, moto_url, moto, no_other_host
) -> None:
    """docs/examples/sns-fanout.sandbox on moto: one JSON object per command, the contract's
    keys, SNS and SQS ids named as the model names them (the second publish is m4 because the
    model gave m2 and m3 to the first publish's copies), receipts m2#1; the side-by-side diff goes
    to stderr; nothing is left on the server."""
    run = cli(
        "sandbox", "--script", str(EXAMPLES / "sns-fanout.sandbox"), "--against", moto_url, "--json"
    )
    assert run.status == 0, run.err
    results = run.results
    assert len(results) == 13
    assert results[:4] == [{"ok": True}] * 3 + [{"ok": True, "topic": "shop"}]
    assert results[4:6] == [
        {"ok": True, "subscription": "sub1"},
        {"ok": True, "subscription": "sub2"},
    ]
    assert results[6:8] == [{"ok": True, "message_id": "m1"}, {"ok": True, "message_id": "m4"}]
    [envelope] = results[8]["messages"]
    assert set(envelope) == {"message_id", "body", "receipt", "receive_count", "group"}
    assert (envelope["message_id"], envelope["receipt"], envelope["receive_count"]) == (
        "m2",
        "m2#1",
        1,
    )
    assert '"MessageId": "m1"' in envelope["body"]  # the SNS id, labelled inside the body
    assert "studyaws-verify-" not in envelope["body"]  # names as the script wrote them
    assert [(m["message_id"], m["body"]) for m in results[9]["messages"]] == [
        ("m3", "order 7"),
        ("m5", "refund 3"),
    ]
    err = run.err
    assert "model vs " + moto_url in err
    for line in range(2, 13):
        row = next(r for r in err.splitlines() if r.startswith(f"│ {line} "))
        assert row.rstrip().endswith("│ = │"), row
    assert "cleanup: deleted 3 queue(s) and 1 topic(s)" in err
    assert moto.leftovers() == []


def test_text_mode_shows_results_then_the_diff(cli, moto_url, moto, tmp_path) -> None:
    """Without --json: each command and the endpoint's answer as it comes, then the table; a
    Lambda line is not sent and says why; a stale receipt goes to the endpoint as the real old
    handle."""
    script = tmp_path / "s.sandbox"
    script.write_text(
        "create-queue q --visibility-timeout 1\n"
        "send q hello\n"
        "receive q\n"
        "tick 2\n"
        "receive q --wait 1\n"
        "delete q m1#1   # the older handle still deletes (SQS-07)\n"
        "create-function fn\n"
        "stats q\n",
        encoding="utf-8",
    )
    run = cli("sandbox", "--script", str(script), "--against", moto_url)
    assert run.status == 0, run.err
    lines = run.out.splitlines()
    assert lines[:8] == [
        "create-queue q --visibility-timeout 1  →  ok",
        "send q hello  →  m1",
        "receive q  →  m1#1 'hello'",
        "tick 2  →  t=2s",
        "receive q --wait 1  →  m1#2 'hello'",
        "delete q m1#1   # the older handle still deletes (SQS-07)  →  ok",
        "create-function fn  →  (not sent)",
        "stats q  →  0 visible, 0 in flight, 0 delayed",
    ]
    assert "model vs " + moto_url + ": 7 =, 0 ≠, 1 not sent" in run.out
    assert "– line 7: create-function runs only on the model" in run.out
    assert moto.leftovers() == []


def test_a_bad_line_stops_before_any_request(cli, moto_url, moto, tmp_path) -> None:
    """The model runs the script first: a line that is not a command is exit status 2 with its
    line number, and the endpoint never sees a request."""
    script = tmp_path / "bad.sandbox"
    script.write_text("create-queue q\nsend q\n", encoding="utf-8")
    run = cli("sandbox", "--script", str(script), "--against", moto_url)
    assert run.status == 2
    assert run.err.startswith("studyaws: error: line 2: send: expected QUEUE BODY")
    assert run.out == ""
    assert moto.leftovers() == []


def test_ticks_wait_through_the_injected_sleep(moto_url, moto, tmp_path) -> None:
    """Virtual time becomes real time: `tick 1` waits one second through `env.sleep`, in slices
    of at most 0.2 s (a cancelled run stops within one)."""
    import time

    from studyaws.ui.verify import sandbox_against

    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        time.sleep(seconds)

    script = tmp_path / "t.sandbox"
    script.write_text("create-queue q\ntick 1\nstats q\n", encoding="utf-8")
    env = Env.for_test(environ={"AWS_REGION": "us-east-1"})
    env.sleep = sleep
    env.monotonic = time.monotonic
    status = sandbox_against(
        env, script=str(script), against=moto_url, json_output=True, seed=0, yes=False
    )
    assert status == 0, env.stderr.getvalue()
    assert sum(slept) == pytest.approx(1.0)
    assert max(slept) <= 0.2
    assert env.stdout.getvalue().splitlines()[1] == '{"ok": true, "now": 1}'
    assert moto.leftovers() == []


def test_without_boto3_against_says_how_to_install_it(cli, monkeypatch, tmp_path) -> None:
    """boto3 is an optional extra: without it, one line says how to get it."""
    import sys

    monkeypatch.setitem(sys.modules, "boto3", None)
    script = tmp_path / "s.sandbox"
    script.write_text("create-queue q\n", encoding="utf-8")
    run = cli("sandbox", "--script", str(script), "--against", "http://127.0.0.1:9")
    assert run.status == 1
    assert run.err == (
        "studyaws: error: --against needs boto3, an optional extra: pip install 'studyaws[aws]'\n"
    )


def test_against_needs_a_script(cli, monkeypatch) -> None:
    """--against runs a script; the interactive shell stays on the model."""
    import io
    import sys

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Tty(""))
    from studyaws.cli import main

    status = main(["sandbox", "--against", "http://127.0.0.1:9"])
    assert status == 2


def test_batches_go_to_the_endpoint_and_agree(cli, moto_url, moto, tmp_path) -> None:
    """SendMessageBatch and DeleteMessageBatch are SQS calls: sent to the endpoint, answered in
    the model's shape (each entry by its id; a receipt never handed out fails on its own)."""
    script = tmp_path / "batch.sandbox"
    script.write_text(
        "create-queue q\n"
        "send-batch q 1=a 2=b\n"
        "receive q --max 10\n"
        "delete-batch q 1=m1#1 2=m2#1\n"
        "stats q\n",
        encoding="utf-8",
    )
    run = cli("sandbox", "--script", str(script), "--against", moto_url, "--json")
    assert run.status == 0, run.err
    results = run.results
    assert results[1] == {
        "ok": True,
        "successful": [{"id": "1", "message_id": "m1"}, {"id": "2", "message_id": "m2"}],
        "failed": [],
    }
    assert results[3] == {"ok": True, "successful": [{"id": "1"}, {"id": "2"}], "failed": []}
    assert (results[4]["visible"], results[4]["in_flight"]) == (0, 0)
    assert "0 ≠, 0 not sent" in run.err
    assert moto.leftovers() == []
