"""Engine throughput and memory (DESIGN §6), printed as numbers and ratios from one run.

1. Send + receive + delete of 100,000 messages through the engine (log off), against a bare
   `collections.deque` + dict loop doing the same bookkeeping (ids, receipt handles, receive counts,
   visibility deadlines, in-flight map). Budget: engine rate ≥ 1/8 of the bare loop's.
2. 1,000,000 messages through 100 simulated consumers (long polling, 10 per receive, 1 % poison
   messages that are never deleted, a 5 s visibility timeout and a DLQ after 3 receives), log off:
   wall time and tracemalloc peak; the traced memory is sampled as the run goes, to show it follows
   the live messages, not the history.

Usage: python benchmarks/engine.py [--messages N] [--quick]
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from collections import deque
from typing import Any

from studyaws.engine import World
from studyaws.engine.clock import ACTOR
from studyaws.engine.sqs import Received

BODY = "x" * 64


def engine_cycle(n: int, log: Any = "off") -> float:
    world = World(log=log)
    sqs = world.sqs
    sqs.create_queue("q")
    send, receive, delete = sqs.send_message, sqs.receive_message, sqs.delete_message
    start = time.perf_counter()
    for _ in range(n):
        send("q", BODY)
    while True:
        batch = receive("q", max_number_of_messages=10)
        if not batch:
            break
        for r in batch:
            delete("q", r.receipt)
    elapsed = time.perf_counter() - start
    assert sqs.get_queue_attributes("q")["ApproximateNumberOfMessages"] == 0
    return elapsed


def bare_cycle(n: int) -> float:
    """The same bookkeeping with a deque and dicts: no validation, no timers, no events."""
    ready: deque[str] = deque()
    store: dict[str, list[Any]] = {}
    in_flight: dict[str, list[Any]] = {}
    now_ms = 0
    start = time.perf_counter()
    for count in range(1, n + 1):
        mid = f"m{count}"
        store[mid] = [BODY, 0, 0]  # body, receives, visible-at
        ready.append(mid)
    while ready:
        batch = []
        for _ in range(10):
            if not ready:
                break
            mid = ready.popleft()
            rec = store[mid]
            rec[1] += 1
            rec[2] = now_ms + 30_000
            in_flight[mid] = rec
            batch.append((mid, rec[0], f"{mid}#{rec[1]}", rec[1]))
        for _mid, _body, receipt, _rc in batch:
            mid, _, _n = receipt.partition("#")
            del in_flight[mid]
            del store[mid]
    return time.perf_counter() - start


def throughput(n: int) -> None:
    gc.collect()
    engine_s = min(engine_cycle(n) for _ in range(3))
    bare_s = min(bare_cycle(n) for _ in range(3))
    logged_s = engine_cycle(n, log="full")
    ratio = bare_s / engine_s
    print(f"[1] send+receive+delete of {n:,} messages")
    print(f"    bare deque+dict loop : {n / bare_s:>12,.0f} msg/s ({bare_s:.3f} s)")
    print(f"    engine, log off      : {n / engine_s:>12,.0f} msg/s ({engine_s:.3f} s)")
    print(f"    engine, full log     : {n / logged_s:>12,.0f} msg/s ({logged_s:.3f} s)")
    verdict = "meets" if ratio >= 1 / 8 else "MISSES"
    print(f"    ratio engine/bare    : 1/{1 / ratio:.2f} = {ratio:.3f} ({verdict} the 1/8 budget)")


class Consumer:
    """Polls (long, 10 at a time), works 200 ms per batch, deletes all but poison messages."""

    __slots__ = ("stats", "world")

    def __init__(self, world: World, stats: dict[str, int]) -> None:
        self.world = world
        self.stats = stats

    def poll(self, _: object = None) -> None:
        self.world.sqs.begin_receive(
            "work", self.received, max_number_of_messages=10, wait_time_s=20
        )

    def received(self, messages: list[Received]) -> None:
        clock = self.world.clock
        if not messages:
            clock.schedule(clock.now_ms, ACTOR, self.poll)
            return
        clock.schedule(clock.now_ms + 200, ACTOR, self.finish, messages)

    def finish(self, messages: list[Received]) -> None:
        sqs = self.world.sqs
        for m in messages:
            if m.body != "poison":
                sqs.delete_message("work", m.receipt)
                self.stats["deleted"] += 1
        self.poll()


def consumers(total: int, n_consumers: int = 100, rate: int = 4000) -> None:
    world = World(log="off")
    sqs = world.sqs
    sqs.create_queue("dlq", retention_s=1_209_600)
    sqs.create_queue("work", visibility_timeout_s=5, dead_letter_queue="dlq", max_receive_count=3)
    stats = {"sent": 0, "deleted": 0}
    samples: list[tuple[int, int, int]] = []

    def produce(_: object) -> None:
        for _i in range(min(rate, total - stats["sent"])):
            stats["sent"] += 1
            sqs.send_message("work", "poison" if stats["sent"] % 100 == 0 else BODY)
        if stats["sent"] % (total // 10) == 0 or stats["sent"] == total:
            live = sum(len(q.messages) for q in sqs.queues.values())
            samples.append((stats["sent"], live, tracemalloc.get_traced_memory()[0]))
        if stats["sent"] < total:
            world.clock.schedule(world.now_ms + 1000, ACTOR, produce)

    for _ in range(n_consumers):
        Consumer(world, stats).poll()
    world.clock.schedule(0, ACTOR, produce)
    end_ms = (total // rate + 60) * 1000

    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    world.run(end_ms)
    elapsed = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    a_work = sqs.get_queue_attributes("work")
    in_dlq = sqs.get_queue_attributes("dlq")["ApproximateNumberOfMessages"]
    left = sum(a_work[k] for k in a_work if k.startswith("ApproximateNumberOf"))
    assert stats["sent"] == stats["deleted"] + in_dlq + left, (stats, in_dlq, left)
    print(f"[2] {total:,} messages, {n_consumers} consumers, VT 5 s, DLQ after 3, log off")
    print(f"    virtual time {world.now_s} s; wall {elapsed:.1f} s (tracemalloc on)")
    print(f"    deleted {stats['deleted']:,}, in DLQ {in_dlq:,}, left {left}")
    print(f"    tracemalloc peak {peak / 2**20:.1f} MiB")
    print("    memory as the run goes (sent, live messages, traced MiB):")
    for sent, live, mem in samples:
        print(f"      {sent:>10,}  {live:>8,}  {mem / 2**20:7.1f}")
    per_live = [mem / max(live, 1) for _s, live, mem in samples[1:]]
    if per_live:
        print(f"    bytes per live message: {min(per_live):,.0f} – {max(per_live):,.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="10x fewer messages everywhere")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    throughput(100_000 // scale)
    consumers(args.messages // scale)


if __name__ == "__main__":
    main()
