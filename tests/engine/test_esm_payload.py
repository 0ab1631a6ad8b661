"""The SQS event source mapping and the synchronous payload limit (issue 15, item 4).

BatchSize (CreateEventSourceMapping, https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/lambda/aws.sdk.kotlin.services.lambda.model/-get-event-source-mapping-response/batch-size.html):
"Lambda passes all of the records in the batch to the function in a single call, up to the
payload limit for synchronous invocation (6 MB)."
"""

from __future__ import annotations

from studyaws.engine.lambda_ import PAYLOAD_SYNC_BYTES


def _batches(sim) -> list[tuple[str, ...]]:
    return [e.message_ids for e in sim.events("BatchInvoked")]


def test_ten_1_mb_messages_are_not_one_10_mb_invocation(sim) -> None:
    """Ten messages of 1,000,000 bytes with batch size 10: the first call takes the six that fit
    in 6 MB, the next call the other four; every message is processed once and deleted."""
    sim.queue("q", visibility_timeout_s=60)
    for i in range(10):
        sim.send("q", f"big{i}", size_bytes=1_000_000)
    sim.world.lambda_.create_function("f", duration_ms=1000, timeout_s=30)
    sim.world.esm.create_event_source_mapping("q", "f", batch_size=10)
    sim.at(30)
    batches = _batches(sim)
    assert [len(b) for b in batches] == [6, 4]
    assert sorted(m for b in batches for m in b) == sorted(f"m{i}" for i in range(1, 11))
    assert sim.counts("q") == (0, 0, 0)
    trimmed = sim.events("BatchTrimmedToPayloadLimit")
    assert len(trimmed) == 1
    assert trimmed[0].payload_bytes <= PAYLOAD_SYNC_BYTES


def test_small_messages_fill_the_whole_batch(sim) -> None:
    """Below the limit a batch is as large as BatchSize allows: ten small messages, one call."""
    sim.queue("q")
    for i in range(10):
        sim.send("q", f"small{i}")
    sim.world.lambda_.create_function("f")
    sim.world.esm.create_event_source_mapping("q", "f", batch_size=10)
    sim.at(5)
    assert [len(b) for b in _batches(sim)] == [10]
    assert sim.events("BatchTrimmedToPayloadLimit") == []


def test_fifo_order_holds_across_the_split(sim) -> None:
    """A FIFO group split by the payload limit is still processed in order: m1..m6, then m7, m8."""
    sim.queue("q.fifo", fifo=True, content_based_dedup=True, visibility_timeout_s=60)
    for i in range(8):
        sim.send("q.fifo", f"big{i}", group="g", size_bytes=1_000_000)
    sim.world.lambda_.create_function("f", timeout_s=30)
    sim.world.esm.create_event_source_mapping("q.fifo", "f", batch_size=10)
    sim.at(30)
    assert [m for b in _batches(sim) for m in b] == [f"m{i}" for i in range(1, 9)]
    assert [len(b) for b in _batches(sim)] == [6, 2]
