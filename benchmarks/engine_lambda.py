"""Engine part 2 throughput: 100,000 SQS messages through an event source mapping into a function.

5 % of the messages are poison (the function reports them in batchItemFailures); the source queue
sends them to its DLQ after 3 receives. The simulation runs timer by timer and **stops when the work
is done** — the source queue empty (nothing visible, in flight or delayed), no execution running,
the DLQ holding every poison message — instead of simulating a fixed stretch of virtual time whose
idle long polls would inflate the wall time.

Each configuration (log full, log off) runs twice: once for the wall time (tracemalloc off, as it
slows Python down several times) and once for the tracemalloc peak. Reported:

- simulated events per second: the events of the run (MessageReceived, FunctionInvoked,
  MessageDeleted, MovedToDeadLetterQueue, ...; the sends before the mapping starts are not
  counted). The run is deterministic, so the run with the log off simulates exactly the events the
  full log recorded, it just does not build them. Also the clock's timers per second (a timer is one
  scheduled action — a poll, an execution ending, a visibility timeout — that emits several events);
- the tracemalloc peak during the run (the messages are sent before tracing starts).

Usage: python benchmarks/engine_lambda.py [--messages N]
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from dataclasses import dataclass

from studyaws.engine import World
from studyaws.engine.world import LogMode

POISON_EVERY = 20  # 5 %


@dataclass(frozen=True)
class Result:
    log: LogMode
    wall_s: float
    timers: int  # timers the clock ran
    events: int  # events of the run (counted by the full log; the same run with the log off)
    virtual_s: float
    invocations: int
    in_dlq: int
    peak_bytes: int

    @property
    def timers_per_s(self) -> float:
        return self.timers / self.wall_s

    @property
    def events_per_s(self) -> float:
        return self.events / self.wall_s


def build(n: int, log: LogMode) -> World:
    world = World(log=log)
    sqs = world.sqs
    sqs.create_queue("dlq", retention_s=1_209_600)
    sqs.create_queue("jobs", visibility_timeout_s=30, dead_letter_queue="dlq", max_receive_count=3)
    world.lambda_.create_function("worker", duration_ms=200, timeout_s=5, fail="body:poison")
    for i in range(n):
        sqs.send_message("jobs", "poison" if i % POISON_EVERY == 0 else f"job {i}")
    world.esm.create_event_source_mapping(
        "jobs", "worker", batch_size=10, report_batch_item_failures=True
    )
    return world


def simulate(world: World, poison: int) -> int:
    """Run timers until the work is done; the number of timers run."""
    jobs = world.sqs.queues["jobs"]
    dlq = world.sqs.queues["dlq"]
    worker = world.lambda_.functions["worker"]
    step = world.clock.step
    timers = 0
    while (
        jobs.n_visible
        or jobs.n_in_flight
        or jobs.n_delayed
        or worker.running
        or dlq.n_visible < poison
    ):
        if not step():
            raise AssertionError("the clock ran dry before the work was done")
        timers += 1
    return timers


@dataclass(frozen=True)
class Run:
    world: World
    wall_s: float
    timers: int
    logged: int  # events the log recorded during the run
    peak_bytes: int  # 0 unless traced


def run(n: int, log: LogMode, *, trace: bool) -> Run:
    world = build(n, log)
    before = len(world.log)
    gc.collect()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    timers = simulate(world, n // POISON_EVERY)
    elapsed = time.perf_counter() - start
    peak = 0
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return Run(world, elapsed, timers, len(world.log) - before, peak)


def measure(n: int, log: LogMode, events: int | None = None) -> Result:
    """Time one run, trace another; `events` is the full log's count for a run with the log off."""
    timed = run(n, log, trace=False)
    traced = run(n, log, trace=True)
    assert traced.timers == timed.timers  # deterministic: the same run both times
    sqs = timed.world.sqs
    jobs = sqs.get_queue_attributes("jobs")
    in_dlq = int(sqs.get_queue_attributes("dlq")["ApproximateNumberOfMessages"])
    assert jobs["ApproximateNumberOfMessages"] + jobs["ApproximateNumberOfMessagesNotVisible"] == 0
    assert in_dlq == n // POISON_EVERY, in_dlq
    stats = timed.world.lambda_.get_function_stats("worker")
    return Result(
        log=log,
        wall_s=timed.wall_s,
        timers=timed.timers,
        events=timed.logged if events is None else events,
        virtual_s=float(timed.world.now_s),
        invocations=int(stats["invocations"]),
        in_dlq=in_dlq,
        peak_bytes=traced.peak_bytes,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    args = parser.parse_args()
    n = args.messages
    full = measure(n, "full")
    off = measure(n, "off", events=full.events)
    assert (off.timers, off.virtual_s) == (full.timers, full.virtual_s)
    print(f"[ESM] {n:,} messages, 5 % poison, ReportBatchItemFailures, DLQ after 3 receives")
    print(
        f"    done at virtual t={full.virtual_s:,.1f} s: {full.invocations:,} invocations, "
        f"{full.in_dlq:,} in the DLQ, {full.events:,} events ({full.timers:,} timers)"
    )
    print("    log  | wall (s) | simulated events/s | timers/s | tracemalloc peak")
    for r in (full, off):
        print(
            f"    {r.log!s:<4} | {r.wall_s:>8.2f} | {r.events_per_s:>18,.0f} | "
            f"{r.timers_per_s:>8,.0f} | {r.peak_bytes / 2**20:>12.1f} MiB"
        )
    print("    (wall times from runs without tracemalloc; the peaks from a second, traced run)")


if __name__ == "__main__":
    main()
