"""Differential tests: the same operations on the engine and on moto give the same observations.

Only for the behaviour cases (docs/fidelity.md) that were found reproduced by moto (✅). Receipt
handles differ in form (moto's are opaque), so scenarios observe bodies, receive counts, counters
and error codes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

Scenario = Callable[[Any], list[Any]]


def bodies(msgs: list[tuple[str, str, int]]) -> list[tuple[str, int]]:
    return [(body, rc) for body, _h, rc in msgs]


def sqs_01(d: Any) -> list[Any]:
    """Default 30 s visibility; the message reappears with RC 2."""
    d.create("q")
    d.send("q", "m")
    obs: list[Any] = [bodies(first := d.recv("q")), d.counts("q")]
    d.advance(29)
    obs.append(bodies(d.recv("q")))
    d.advance(2)
    second = d.recv("q")
    obs += [bodies(second), second[0][1] != first[0][1]]
    return obs


def sqs_02(d: Any) -> list[Any]:
    """CMV counts from the call."""
    d.create("q")
    d.send("q", "m")
    [(_, handle, _)] = d.recv("q")
    d.advance(20)
    d.cmv("q", handle, 60)
    d.advance(59)
    obs: list[Any] = [bodies(d.recv("q"))]
    d.advance(2)
    return [*obs, bodies(d.recv("q"))]


def sqs_03(d: Any) -> list[Any]:
    """CMV(0) releases the message (moto needs 1 ms of clock movement: strict `>`)."""
    d.create("q")
    d.send("q", "m")
    [(_, handle, _)] = d.recv("q")
    d.cmv("q", handle, 0)
    d.advance(0.001)
    return [bodies(d.recv("q"))]


def sqs_06(d: Any) -> list[Any]:
    """RC counts every delivery."""
    d.create("q")
    d.send("q", "m")
    out = []
    for _ in range(3):
        out.append(bodies(d.recv("q")))
        d.advance(31)
    return out


def sqs_10(d: Any) -> list[Any]:
    """Delivered maxReceiveCount times, moved on the next receive."""
    d.create("dlq")
    d.create("src", dlq="dlq", max_receives=2)
    d.send("src", "m")
    obs: list[Any] = [bodies(d.recv("src"))]
    d.advance(31)
    obs.append(bodies(d.recv("src")))
    d.advance(31)
    obs.append(d.counts("dlq"))
    obs.append(bodies(d.recv("src")))
    obs.append(d.counts("dlq"))
    obs.append(bodies(d.recv("dlq")))  # SQS-11: RC carries on (3)
    return obs


def sqs_14(d: Any) -> list[Any]:
    """A FIFO source needs a FIFO DLQ (the other direction: see test_moto_divergences.py)."""
    d.create("std")
    return [d.error(lambda: d.create("a.fifo", fifo=True, dlq="std", max_receives=3))]


def sqs_17(d: Any) -> list[Any]:
    d.create("q", delay=10)
    d.send("q", "a")
    d.advance(5)
    obs: list[Any] = [bodies(d.recv("q")), d.counts("q")]
    d.advance(6)
    return [*obs, bodies(d.recv("q")), d.error(lambda: d.send("q", "x", delay=901))]


def sqs_18(d: Any) -> list[Any]:
    d.create("q", delay=10)
    d.send("q", "t0", delay=0)
    d.send("q", "t20", delay=20)
    d.send("q", "default")
    obs = [bodies(d.recv("q", 10))]
    d.advance(11)
    obs.append(bodies(d.recv("q", 10)))
    d.advance(10)
    return [*obs, bodies(d.recv("q", 10))]


def sqs_19(d: Any) -> list[Any]:
    d.create("q", delay=60)
    d.send("q", "m")
    d.advance(1)
    d.set_attrs("q", delay=0)
    d.advance(1)
    obs = [bodies(d.recv("q"))]
    d.advance(59)
    return [*obs, bodies(d.recv("q"))]


def sqs_23(d: Any) -> list[Any]:
    d.create("q")
    for i in range(5):
        d.send("q", str(i))
    return [
        bodies(d.recv("q")),
        bodies(d.recv("q", 10)),
        d.error(lambda: d.recv("q", 11)),
    ]


def sqs_24(d: Any) -> list[Any]:
    """The parts of SQS-24 that need no wall clock: a long poll returns at once when a message
    is there; a wait over 20 s is rejected."""
    d.create("q")
    d.send("q", "m")
    return [bodies(d.recv("q", wait=20)), d.error(lambda: d.recv("q", wait=21))]


def sqs_26(d: Any) -> list[Any]:
    """Purge removes in-flight messages too; one purge per 60 s (moto 5.2.5 enforces it too)."""
    d.create("q")
    d.send("q", "a")
    d.send("q", "b")
    d.recv("q")
    d.purge("q")
    obs: list[Any] = [d.counts("q")]
    d.advance(61)
    obs += [bodies(d.recv("q")), d.error(lambda: d.purge("q"))]
    d.advance(10)
    return [*obs, d.error(lambda: d.purge("q"))]


def fifo_01(d: Any) -> list[Any]:
    d.create("q.fifo", fifo=True)
    return [
        d.error(lambda: d.send("q.fifo", "x", dedup="d")),
        d.error(lambda: d.create("orders", fifo=True)),
    ]


def fifo_03(d: Any) -> list[Any]:
    d.create("q.fifo", fifo=True, cbd=True)
    d.send("q.fifo", "A1", group="A")
    d.send("q.fifo", "A2", group="A")
    d.send("q.fifo", "B1", group="B")
    [a1] = d.recv("q.fifo")
    obs = [a1[0], bodies(d.recv("q.fifo")), bodies(d.recv("q.fifo"))]
    d.delete("q.fifo", a1[1])
    return [*obs, bodies(d.recv("q.fifo"))]


def fifo_07(d: Any) -> list[Any]:
    d.create("q.fifo", fifo=True, cbd=True)
    d.send("q.fifo", "same", group="g", attrs={"a": "1"})
    d.send("q.fifo", "same", group="g", attrs={"a": "2"})
    obs: list[Any] = [d.counts("q.fifo")]
    d.send("q.fifo", "same", group="g", dedup="explicit")
    obs.append(d.counts("q.fifo"))
    d.create("plain.fifo", fifo=True)
    return [*obs, d.error(lambda: d.send("plain.fifo", "x", group="g"))]


def fifo_09(d: Any) -> list[Any]:
    d.create("dlq.fifo", fifo=True)
    d.create("q.fifo", fifo=True, cbd=True, dlq="dlq.fifo", max_receives=1)
    d.send("q.fifo", "A1", group="A")
    d.send("q.fifo", "A2", group="A")
    obs: list[Any] = [bodies(d.recv("q.fifo"))]
    d.advance(31)
    return [*obs, bodies(d.recv("q.fifo")), d.counts("dlq.fifo")]


SCENARIOS: dict[str, Scenario] = {
    "SQS-01": sqs_01,
    "SQS-02": sqs_02,
    "SQS-03": sqs_03,
    "SQS-06": sqs_06,
    "SQS-10": sqs_10,
    "SQS-14": sqs_14,
    "SQS-17": sqs_17,
    "SQS-18": sqs_18,
    "SQS-19": sqs_19,
    "SQS-23": sqs_23,
    "SQS-24": sqs_24,
    "SQS-26": sqs_26,
    "FIFO-01": fifo_01,
    "FIFO-03": fifo_03,
    "FIFO-07": fifo_07,
    "FIFO-09": fifo_09,
}


@pytest.mark.parametrize("case", list(SCENARIOS))
def test_engine_agrees_with_moto(case: str, engine: Any, moto: Any) -> None:
    scenario = SCENARIOS[case]
    assert scenario(engine) == scenario(moto)
