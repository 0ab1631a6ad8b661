"""Engine part 2 throughput: 100,000 SQS messages through an event source mapping into a function.

5 % of the messages are poison (the function reports them in batchItemFailures); the source queue
sends them to its DLQ after 3 receives. Reported: wall time, simulated events per second (every
event the log records), and the tracemalloc peak. A second run with the log off shows the engine
cost without building event objects.

Usage: python benchmarks/engine_lambda.py [--messages N]
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc

from studyaws.engine import World


def run(n: int, log: str) -> tuple[World, float, int]:
    world = World(log=log)  # type: ignore[arg-type]
    sqs = world.sqs
    sqs.create_queue("dlq", retention_s=1_209_600)
    sqs.create_queue("jobs", visibility_timeout_s=30, dead_letter_queue="dlq", max_receive_count=3)
    world.lambda_.create_function("worker", duration_ms=200, timeout_s=5, fail="body:poison")
    for i in range(n):
        sqs.send_message("jobs", "poison" if i % 20 == 0 else f"job {i}")
    world.esm.create_event_source_mapping(
        "jobs", "worker", batch_size=10, report_batch_item_failures=True
    )
    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    world.run(3_600_000)
    elapsed = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    jobs = sqs.get_queue_attributes("jobs")
    dlq = sqs.get_queue_attributes("dlq")["ApproximateNumberOfMessages"]
    assert jobs["ApproximateNumberOfMessages"] + jobs["ApproximateNumberOfMessagesNotVisible"] == 0
    assert dlq == n // 20, dlq
    return world, elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    args = parser.parse_args()
    n = args.messages
    world, elapsed, peak = run(n, "full")
    events = len(world.log)
    stats = world.lambda_.get_function_stats("worker")
    print(f"[ESM] {n:,} messages, 5 % poison, RBIF, DLQ after 3 receives (log full)")
    print(f"    virtual time {world.now_s} s; wall {elapsed:.2f} s (tracemalloc on)")
    print(f"    {events:,} events → {events / elapsed:,.0f} simulated events/s")
    print(f"    invocations {stats['invocations']:,}; in DLQ {n // 20:,}")
    print(f"    tracemalloc peak {peak / 2**20:.1f} MiB")
    _world, elapsed_off, peak_off = run(n, "off")
    print(
        f"    log off: wall {elapsed_off:.2f} s, peak {peak_off / 2**20:.1f} MiB "
        f"({events / elapsed_off:,.0f} events/s equivalent)"
    )


if __name__ == "__main__":
    main()
