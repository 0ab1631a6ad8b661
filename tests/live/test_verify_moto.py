"""`studyaws verify` end to end against a real moto server on loopback (no AWS)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from studyaws.live.catalogue import CASES
from studyaws.live.safety import estimate, sweep_requests

pytestmark = pytest.mark.slow


def test_the_whole_catalogue_runs_against_moto(cli, moto_url, moto, no_other_host) -> None:
    """Every case runs on the model and on the moto server: each line either agrees, or differs
    where moto is documented to differ from AWS. The run makes no more requests than the estimate
    shown before a run on AWS, contacts nothing but the loopback server, and leaves no queue or
    topic behind."""
    run = cli("verify", "--against", moto_url, "--json")
    report: dict[str, Any] = json.loads(run.out)
    differing = [
        (c["id"], [ln for ln in c["lines"] if not ln.get("agree")])
        for c in report["cases"]
        if c["verdict"] not in ("agree", "moto")
    ]
    assert run.status == 0, (run.err, differing)
    assert report["moto"] is True
    verdicts = {case["id"]: case["verdict"] for case in report["cases"]}
    assert list(verdicts) == [case.id for case in CASES]
    assert set(verdicts.values()) <= {"agree", "moto"}, {
        k: v for k, v in verdicts.items() if v not in ("agree", "moto")
    }
    assert report["counts"]["agree"] >= 20
    # a documented divergence shows where it is expected, with its note
    dlq_range = next(c for c in report["cases"] if c["id"] == "sqs-dlq-max-receives")
    assert dlq_range["verdict"] == "moto"
    assert dlq_range["explained"] == [
        {
            "line": 2,
            "kind": "moto",
            "id": "SQS-10-range",
            "note": "SQS-10-range: AWS 1–1,000; moto accepts 0 and 1,001",
        }
    ]
    # the contract's JSON on both sides: same keys, real ids named like the model's
    fanout = next(c for c in report["cases"] if c["id"] == "sns-fanout")
    last = fanout["lines"][-1]
    assert last["agree"] is True
    assert last["real"]["messages"][0]["message_id"] == last["model"]["messages"][0]["message_id"]
    assert last["real"]["messages"][0]["receipt"].endswith("#1")
    # the estimate shown before a run on AWS is an upper bound of what a run sends
    est = sum(estimate(case.lines).requests for case in CASES) + sweep_requests()
    assert report["requests"]["total"] <= est
    assert report["cleanup"]["left"] == []
    assert moto.leftovers() == []
    assert no_other_host
    assert report["seconds"] < 60


def test_the_table_names_each_case_and_its_verdict(cli, moto_url, moto) -> None:
    """Without --json: a table (case, model, real, verdict), one line per explained difference,
    a summary with the counts and the requests, and the cleanup."""
    run = cli("verify", "--against", moto_url, "--only", "sqs-fifo-d")
    assert run.status == 0, run.err
    out = run.out
    header = next(line for line in out.splitlines() if "verdict" in line)
    assert [h.strip() for h in header.strip("┃│ ").split("┃")] == [
        "case",
        "model",
        "real",
        "verdict",
    ]
    assert "sqs-fifo-dlq" in out
    assert "= agree" in out
    assert "≈ moto differs (documented)" in out
    assert (
        "sqs-fifo-dedup-scope line 4 `stats q.fifo`: model 2 visible, 0 in flight, 0 delayed, "
        "real 1 visible, 0 in flight, 0 delayed (different visible) — FIFO-08: AWS dedup per "
        "group; moto queue-wide" in out
    )
    cases = [c for c in CASES if c.id.startswith("sqs-fifo-d")]
    assert f"{len(cases)} cases in " in out
    assert " 0 differ." in out
    assert "cleanup: deleted " in out
    assert "nothing left behind" in out
    assert moto.leftovers() == []


def test_verify_without_an_endpoint_lists_the_catalogue(cli) -> None:
    """`studyaws verify` alone says what it would check and how to run it (no request made)."""
    run = cli("verify")
    assert run.status == 0
    assert f"{len(CASES)} verification cases" in run.out
    assert "studyaws verify --against http://127.0.0.1:5000" in run.out
    assert "studyaws verify --against aws" in run.out
    listed = json.loads(cli("verify", "--json", "--only", "sns-raw").out)
    assert [c["id"] for c in listed["cases"]] == ["sns-raw-delivery", "sns-raw-eleven-attributes"]


def test_an_unknown_prefix_is_a_usage_error(cli) -> None:
    run = cli("verify", "--only", "kinesis")
    assert run.status == 2
    assert run.err.startswith("studyaws: error: no case starts with 'kinesis'")
    assert len(run.err.splitlines()) == 1


def test_cleanup_removes_leftovers_by_prefix_only(cli, moto_url, moto) -> None:
    """`verify --cleanup` deletes queues and topics named studyaws-verify-… (from a run that was
    killed, say) and leaves the learner's own resources alone."""
    mine = moto.sqs.create_queue(QueueName="my-orders")["QueueUrl"]
    my_topic = moto.sns.create_topic(Name="my-alerts")["TopicArn"]
    moto.sqs.create_queue(QueueName="studyaws-verify-old123-q")
    moto.sns.create_topic(Name="studyaws-verify-old123-t")
    assert sorted(moto.leftovers()) == ["studyaws-verify-old123-q", "studyaws-verify-old123-t"]
    run = cli("verify", "--cleanup", "--against", moto_url)
    assert run.status == 0, run.err
    assert "deleted queue studyaws-verify-old123-q" in run.out
    assert "deleted topic studyaws-verify-old123-t" in run.out
    assert moto.leftovers() == []
    assert mine in moto.sqs.list_queues()["QueueUrls"]
    assert my_topic in [t["TopicArn"] for t in moto.sns.list_topics()["Topics"]]
    moto.sqs.delete_queue(QueueUrl=mine)
    moto.sns.delete_topic(TopicArn=my_topic)
    again = cli("verify", "--cleanup", "--against", moto_url)
    assert "Nothing named studyaws-verify-…" in again.out


def test_an_unreachable_endpoint_is_one_line(cli) -> None:
    """Nothing listens on the port: one line on stderr, exit status 1, no traceback."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = cli("verify", "--against", f"http://127.0.0.1:{port}", "--only", "sqs-purge")
    assert run.status == 1
    assert "Traceback" not in run.err
    assert "studyaws: error: the endpoint did not answer" in run.err


def test_a_bad_endpoint_is_a_usage_error(cli) -> None:
    run = cli("verify", "--against", "localhost:5000")
    assert run.status == 2
    assert "--against takes 'aws' or an endpoint URL" in run.err
