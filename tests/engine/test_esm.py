"""The Lambda SQS event source mapping (docs/fidelity.md, LAM-08..15)."""

from __future__ import annotations

import pytest

from studyaws.engine.errors import InvalidParameterValueException


def _setup(sim, *, fail="never", vt=30, rbif=False, batch=10, window=0, fifo=False, **queue):
    name = "src.fifo" if fifo else "src"
    sim.queue(name, fifo=fifo, visibility_timeout_s=vt, **queue)
    sim.world.lambda_.create_function("f", fail=fail, duration_ms=1000)
    sim.world.esm.create_event_source_mapping(
        name, "f", batch_size=batch, window_s=window, report_batch_item_failures=rbif
    )
    return name


def test_lam_08_one_invoke_per_batch(sim) -> None:
    _setup(sim)
    for b in ("a", "b", "c"):
        sim.send("src", b)
    sim.at(5)
    [batch] = sim.events("BatchInvoked")
    assert batch.message_ids == ("m1", "m2", "m3")
    assert sim.events("FunctionInvoked")[0].invocation_type == "EventSourceMapping"


def test_lam_08_batching_window_gathers_a_larger_batch(sim) -> None:
    _setup(sim, batch=100, window=5)
    for i in range(25):
        sim.send("src", str(i))
    sim.at(10)
    batches = sim.events("BatchInvoked")
    assert {e.at_ms for e in batches} == {5000}  # the window passed before the invoke
    assert sum(len(e.message_ids) for e in batches) == 25


def test_lam_09_success_deletes_the_batch(sim) -> None:
    _setup(sim)
    sim.send("src", "a")
    sim.at(2)
    assert sim.counts("src") == (0, 0, 0)


def test_lam_10_failure_returns_whole_batch_after_visibility_timeout(sim) -> None:
    _setup(sim, fail="always", vt=60)
    sim.send("src", "a")
    sim.at(1.5)
    assert sim.counts("src") == (0, 1, 0)
    sim.at(59)
    assert sim.counts("src") == (0, 1, 0)
    sim.at(61)
    invokes = sim.events("BatchInvoked")
    assert [e.at_ms for e in invokes] == [0, 60_000]


@pytest.mark.parametrize(
    ("response", "left"),
    [
        ('{"batchItemFailures":[{"itemIdentifier":"m2"}]}', 1),
        ('{"batchItemFailures":[]}', 0),
        ("null", 0),
        ('{"batchItemFailures":[{"itemIdentifier":""}]}', 3),
        ('{"batchItemFailures":[{"itemIdentifier":"bogus"}]}', 3),
    ],
)
def test_lam_11_report_batch_item_failures_edge_cases(sim, response, left) -> None:
    sim.queue("src")
    sim.world.lambda_.create_function("f", fail=f"respond:{response}")
    for b in ("a", "b", "c"):
        sim.send("src", b)
    sim.world.esm.create_event_source_mapping("src", "f", report_batch_item_failures=True)
    sim.at(2)
    assert sim.counts("src")[1] == left


def test_lam_11_list_without_the_feature_is_ignored(sim) -> None:
    sim.queue("src")
    sim.world.lambda_.create_function(
        "f", fail='respond:{"batchItemFailures":[{"itemIdentifier":"m1"}]}'
    )
    sim.send("src", "a")
    sim.world.esm.create_event_source_mapping("src", "f")
    sim.at(2)
    assert sim.counts("src") == (0, 0, 0)


def test_lam_12_max_receive_count_governs_retries_not_function_dlq(sim) -> None:
    sim.queue("dlq")
    sim.queue("fdlq")
    sim.queue("src", visibility_timeout_s=30, dead_letter_queue="dlq", max_receive_count=3)
    sim.world.lambda_.create_function("f", fail="always", dlq="fdlq")
    sim.world.esm.create_event_source_mapping("src", "f")
    sim.send("src", "poison")
    sim.at(200)
    assert [e.at_ms for e in sim.events("BatchInvoked")] == [0, 30_000, 60_000]
    assert sim.counts("dlq") == (1, 0, 0)
    assert sim.counts("fdlq") == (0, 0, 0)


def test_lam_13_throttled_receives_burn_receive_count(sim) -> None:
    sim.queue("dlq")
    sim.queue("src", visibility_timeout_s=10, dead_letter_queue="dlq", max_receive_count=1)
    sim.world.lambda_.create_function("f", reserved_concurrency=0)
    sim.world.esm.create_event_source_mapping("src", "f")
    sim.send("src", "m")
    sim.at(60)
    assert sim.counts("dlq") == (1, 0, 0)
    assert not sim.events("FunctionInvoked")  # the function never saw it
    assert sim.events("InvocationThrottled")


def test_lam_14_timeout_longer_than_visibility_is_rejected(sim) -> None:
    sim.queue("src", visibility_timeout_s=30)
    sim.world.lambda_.create_function("f", timeout_s=120)
    before = len(sim.world.events())
    with pytest.raises(InvalidParameterValueException, match="less than Function timeout"):
        sim.world.esm.create_event_source_mapping("src", "f")
    assert len(sim.world.events()) == before


def test_lam_14_batch_size_and_window_limits(sim) -> None:
    sim.queue("src")
    sim.queue("f.fifo", fifo=True)
    sim.world.lambda_.create_function("f")
    esm = sim.world.esm
    with pytest.raises(InvalidParameterValueException, match="greater than 0"):
        esm.create_event_source_mapping("src", "f", batch_size=11)
    with pytest.raises(InvalidParameterValueException):
        esm.create_event_source_mapping("f.fifo", "f", batch_size=11, window_s=1)
    with pytest.raises(InvalidParameterValueException, match="FIFO"):
        esm.create_event_source_mapping("f.fifo", "f", window_s=1)


def test_lam_15_fifo_partial_failure_keeps_order(sim) -> None:
    sim.queue("src.fifo", fifo=True, content_based_dedup=True, visibility_timeout_s=30)
    sim.world.lambda_.create_function("f", fail="first:0")
    for b in ("A1", "A2 bad", "A3"):
        sim.send("src.fifo", b, group="A")
    sim.world.lambda_.update_function("f", fail="body:bad")
    sim.world.esm.create_event_source_mapping("src.fifo", "f", report_batch_item_failures=True)
    sim.at(2)
    assert sim.events("BatchDeleted")[0].message_ids == ("m1",)
    assert sim.events("BatchLeftForRetry")[0].message_ids == ("m2", "m3")
    sim.at(31)
    assert sim.events("BatchInvoked")[1].message_ids == ("m2", "m3")


def test_pollers_scale_up_by_300_a_minute_with_a_backlog(sim) -> None:
    sim.queue("src")
    sim.world.lambda_.create_function("f", duration_ms=600_000, timeout_s=900)
    sim.queue("big", visibility_timeout_s=3600)
    sim.world.esm.create_event_source_mapping("big", "f")
    for i in range(4000):
        sim.send("big", str(i))
    sim.at(121)
    assert [e.pollers for e in sim.events("PollersScaled")] == [5, 305, 605]


def test_retry_deadline_follows_the_visibility_the_queue_gave_each_message(sim) -> None:
    """A throttled batch is retried only while its messages are still hidden: "Lambda continues
    to retry the message until the message's timestamp exceeds your queue's visibility timeout"
    (LAM-13). After SetQueueAttributes lowers the visibility timeout from 30 s to 10 s, a message
    received at 0 is visible again at 10, so the throttled poller holding it lets it go at 7 s
    (its next retry would be at 15 s) instead of still holding it at 10 s, when another poller
    receives it: one message, one holder at a time."""
    sim.queue("src", visibility_timeout_s=30)
    sim.world.lambda_.create_function("f", reserved_concurrency=1, duration_ms=8_000, timeout_s=10)
    sim.world.esm.create_event_source_mapping("src", "f", batch_size=1)
    sim.sqs.set_queue_attributes("src", visibility_timeout_s=10)
    sim.send("src", "a")
    sim.send("src", "b")
    sim.at(60)
    [let_go] = [e for e in sim.events("BatchLeftForRetry") if e.reason == "throttled"]
    assert (let_go.at_ms, let_go.message_ids) == (7_000, ("m2",))
    received = [e for e in sim.events("MessageReceived") if e.message_id == "m2"]
    assert [(e.at_ms, e.visible_at_ms) for e in received] == [(0, 10_000), (10_000, 20_000)]
    assert [e.message_ids for e in sim.events("BatchInvoked")] == [("m1",), ("m2",)]
    assert sim.counts("src") == (0, 0, 0)
