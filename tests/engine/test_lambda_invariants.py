"""Hypothesis invariants of Lambda: no async event is lost, concurrency never exceeds its limits.

- Every accepted async event ends exactly once: Success, RetriesExhausted or EventAgeExceeded
  (routed to a destination / DLQ or dropped) — after enough virtual time, nothing is pending.
- An execution never starts above the function's reserved concurrency, nor above the account
  pool left after every reservation.
"""

from __future__ import annotations

import contextlib
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from studyaws.engine import World
from studyaws.engine.errors import TooManyRequestsException

FAILS = st.sampled_from(["never", "always", "first:2", "body:x"])
CALL = st.tuples(
    st.sampled_from(["a", "b", "c"]),
    st.sampled_from(["x", "y"]),
    st.booleans(),
    st.integers(0, 30),
)


@settings(max_examples=40, deadline=None)
@given(
    reserved=st.tuples(st.none() | st.integers(0, 3), st.none() | st.integers(0, 3)),
    fails=st.tuples(FAILS, FAILS, FAILS),
    retries=st.integers(0, 2),
    calls=st.lists(CALL, max_size=25),
)
def test_no_async_event_is_lost_and_concurrency_holds(reserved, fails, retries, calls) -> None:
    world = World()
    world.lambda_.account_concurrency = 106
    world.sqs.create_queue("dlq")
    world.sqs.create_queue("dest")
    lam = world.lambda_
    lam.create_function(
        "a",
        fail=fails[0],
        retries=retries,
        reserved_concurrency=reserved[0],
        duration_ms=5000,
        timeout_s=10,
        dlq="dlq",
        max_event_age_s=120,
    )
    lam.create_function(
        "b",
        fail=fails[1],
        reserved_concurrency=reserved[1],
        duration_ms=20_000,
        timeout_s=30,
        on_failure="dest",
        on_success="dest",
    )
    lam.create_function("c", fail=fails[2], duration_ms=60_000, timeout_s=90)
    accepted = 0
    for fn, body, is_async, wait in calls:
        if is_async:
            lam.invoke_async(fn, body)
            accepted += 1
        else:
            with contextlib.suppress(TooManyRequestsException):  # a 429 is a result here
                lam.invoke(fn, body)
        world.advance(wait)
    world.advance(8 * 3600)
    finished = Counter(e.request_id for e in world.events() if e.kind == "AsyncEventFinished")
    assert len(finished) == accepted
    assert all(n == 1 for n in finished.values())
    assert lam.pending_async == 0
    limits = {name: fn.reserved for name, fn in lam.functions.items()}
    pool = 106 - sum(r or 0 for r in limits.values())
    running: Counter[str] = Counter()
    for e in world.events():
        if e.kind == "FunctionInvoked":
            running[e.resource] += 1
            if limits[e.resource] is not None:
                assert running[e.resource] <= limits[e.resource]
            unreserved = sum(n for f, n in running.items() if limits[f] is None)
            assert unreserved <= pool
        elif e.kind in ("FunctionSucceeded", "FunctionFailed"):
            running[e.resource] -= 1
