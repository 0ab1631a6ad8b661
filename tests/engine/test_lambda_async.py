"""Lambda asynchronous invocation (docs/fidelity.md, LAM-01..05)."""

from __future__ import annotations

import itertools
import json

import pytest

from studyaws.engine.errors import ValidationException


def test_lam_01_event_invoke_returns_at_once_and_runs_later(sim) -> None:
    lam = sim.world.lambda_
    lam.create_function("f", duration_ms=5000, timeout_s=10)
    rid = lam.invoke_async("f", "{}")
    assert rid == "r1"
    assert sim.kinds()[-1] == "AsyncEventQueued"  # nothing ran inside the call
    sim.at(0)
    assert sim.events("FunctionInvoked")[0].at_ms == 0
    sim.at(6)
    assert sim.events("AsyncEventFinished")[0].condition == "Success"


def test_lam_02_two_retries_one_then_two_minutes(sim) -> None:
    lam = sim.world.lambda_
    lam.create_function("f", fail="always", duration_ms=0)
    lam.invoke_async("f", "{}")
    sim.at(1000)
    assert [e.at_ms for e in sim.events("FunctionInvoked")] == [0, 60_000, 180_000]
    lam.create_function("g", fail="always", duration_ms=0, retries=0)
    lam.invoke_async("g", "{}")
    sim.at(2000)
    assert len([e for e in sim.events("FunctionInvoked") if e.resource == "g"]) == 1
    # Out of the API model's range: request validation, ValidationException.
    with pytest.raises(ValidationException, match="less than or equal to 2"):
        lam.create_function("h", retries=3)
    with pytest.raises(ValidationException, match="greater than or equal to 60"):
        lam.create_function("h", max_event_age_s=59)


def test_lam_03_throttles_retry_with_backoff_without_using_retries(sim) -> None:
    lam = sim.world.lambda_
    lam.create_function("f", reserved_concurrency=1, duration_ms=600_000, timeout_s=900)
    lam.invoke_async("f", "a")
    lam.invoke_async("f", "b")
    sim.at(1000)
    retries = [e for e in sim.events("AsyncRetryScheduled") if e.request_id == "r2"]
    gaps = [b.retry_at_ms - a.retry_at_ms for a, b in itertools.pairwise(retries)]
    assert all(r.reason == "Throttled" for r in retries)
    assert gaps[:3] == [2000, 4000, 8000]
    assert max(gaps) <= 300_000
    runs = [e for e in sim.events("FunctionInvoked") if e.request_id == "r2"]
    assert len(runs) == 1
    assert runs[0].at_ms >= 600_000


def test_lam_04_destination_record_and_dlq_bare_event(sim) -> None:
    sim.queue("fail-dest")
    sim.queue("dlq")
    sim.queue("ok-dest")
    lam = sim.world.lambda_
    lam.create_function("f", fail="always", on_failure="fail-dest", dlq="dlq", duration_ms=0)
    lam.create_function("g", on_success="ok-dest", duration_ms=0)
    lam.invoke_async("f", '{"order":7}')
    lam.invoke_async("g", '{"x":1}')
    sim.at(400)
    [record] = sim.recv("fail-dest")
    data = json.loads(record.body)
    assert data["requestContext"]["condition"] == "RetriesExhausted"
    assert data["requestContext"]["approximateInvokeCount"] == 3
    assert data["requestPayload"] == {"order": 7}
    assert data["responseContext"]["functionError"] == "Unhandled"
    [bare] = sim.recv("dlq")
    assert bare.body == '{"order":7}'
    [ok] = sim.recv("ok-dest")
    assert json.loads(ok.body)["requestContext"]["condition"] == "Success"


def test_lam_04_fifo_destination_fails_delivery(sim) -> None:
    sim.queue("d.fifo", fifo=True)
    lam = sim.world.lambda_
    lam.create_function("f", fail="always", retries=0, on_failure="d.fifo", duration_ms=0)
    lam.invoke_async("f", "{}")
    sim.at(1)
    assert sim.events("DestinationDeliveryFailed")


def test_lam_05_maximum_event_age_while_throttled(sim) -> None:
    sim.queue("dest")
    lam = sim.world.lambda_
    lam.create_function(
        "f",
        reserved_concurrency=1,
        duration_ms=120_000,
        timeout_s=900,
        max_event_age_s=60,
        on_failure="dest",
    )
    lam.invoke_async("f", "first")
    lam.invoke_async("f", "second")
    sim.at(200)
    finished = [e for e in sim.events("AsyncEventFinished") if e.request_id == "r2"]
    assert finished[0].condition == "EventAgeExceeded"
    assert finished[0].at_ms == 60_000
    [r] = sim.recv("dest")
    assert json.loads(r.body)["requestContext"]["condition"] == "EventAgeExceeded"


def test_reserved_zero_sends_async_events_straight_to_the_dlq(sim) -> None:
    sim.queue("dlq")
    sim.world.lambda_.create_function("f", reserved_concurrency=0, dlq="dlq")
    sim.world.lambda_.invoke_async("f", "x")
    sim.at(1)
    assert sim.counts("dlq") == (1, 0, 0)
    assert not sim.events("FunctionInvoked")
