"""Where moto diverges from AWS: the engine follows AWS, and moto's behaviour is pinned here so
docs/fidelity.md stays true (if moto changes, this test says which row to update).

The list of divergences is data, `studyaws.live.divergences.MOTO_DIVERGENCES` (`studyaws verify`
reads it too); every row it marks `pinned` has a scenario here: what AWS does (asserted on the
engine), what moto 5.x does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from studyaws.live.divergences import MOTO_DIVERGENCES

from .test_moto_differential import bodies
from .test_moto_sns import arrived, setup


def sqs_05(d: Any) -> Any:
    d.create("q")
    d.send("q", "m")
    d.advance(6 * 3600)
    [(_, handle, _)] = d.recv("q")
    return d.error(lambda: d.cmv("q", handle, 11 * 3600))


def sqs_08(d: Any) -> Any:
    d.create("q.fifo", fifo=True, cbd=True)
    d.send("q.fifo", "m", group="g")
    [(_, handle, _)] = d.recv("q.fifo")
    d.advance(31)
    return d.error(lambda: d.delete("q.fifo", handle))


def sqs_09a(d: Any) -> Any:
    d.create("q")
    d.send("q", "m")
    [(_, handle, _)] = d.recv("q")
    d.delete("q", handle)
    return d.error(lambda: d.cmv("q", handle, 10))


def sqs_09b(d: Any) -> Any:
    d.create("q")
    d.send("q", "m")
    [(_, handle, _)] = d.recv("q")
    d.advance(31)
    d.cmv("q", handle, 300)
    return d.counts("q")


def sqs_10_range(d: Any) -> Any:
    d.create("dlq")
    return d.error(lambda: d.create("src", dlq="dlq", max_receives=1001))


def sqs_13(d: Any) -> Any:
    d.create("dlq.fifo", fifo=True, retention=60)
    d.create("src.fifo", fifo=True, retention=600, cbd=True, dlq="dlq.fifo", max_receives=1)
    d.send("src.fifo", "m", group="g")
    d.recv("src.fifo")
    d.advance(40)
    d.recv("src.fifo")
    d.advance(25)
    return bodies(d.recv("dlq.fifo"))


def sqs_14(d: Any) -> Any:
    d.create("f.fifo", fifo=True)
    return d.error(lambda: d.create("b", dlq="f.fifo", max_receives=3))


def sqs_20(d: Any) -> Any:
    d.create("q.fifo", fifo=True, delay=60, cbd=True)
    d.send("q.fifo", "y", group="g", delay=0)
    return d.counts("q.fifo")


def sqs_21(d: Any) -> Any:
    d.create("q.fifo", fifo=True, delay=60, cbd=True)
    d.send("q.fifo", "m", group="g")
    d.advance(1)
    d.set_attrs("q.fifo", delay=0)
    d.advance(1)
    return bodies(d.recv("q.fifo"))


def sqs_22(d: Any) -> Any:
    d.create("q", retention=60)
    d.send("q", "old")
    d.advance(30)
    d.send("q", "young")
    d.advance(31)
    return bodies(d.recv("q", 10))


def fifo_04(d: Any) -> Any:
    d.create("q.fifo", fifo=True, cbd=True)
    for body, group in (("A1", "A"), ("B1", "B"), ("A2", "A")):
        d.send("q.fifo", body, group=group)
    return [b for b, _ in bodies(d.recv("q.fifo", 2))]


def fifo_05(d: Any) -> Any:
    d.create("q.fifo", fifo=True)
    first = d.send("q.fifo", "first", group="g", dedup="X")
    d.advance(60)
    second = d.send("q.fifo", "second", group="g", dedup="X")
    return (first == second, d.counts("q.fifo"))


def fifo_06(d: Any) -> Any:
    d.create("q.fifo", fifo=True)
    d.send("q.fifo", "a", group="g", dedup="X")
    [(_, handle, _)] = d.recv("q.fifo")
    d.delete("q.fifo", handle)
    d.send("q.fifo", "a", group="g", dedup="X")
    return d.counts("q.fifo")


def fifo_08(d: Any) -> Any:
    d.create("q.fifo", fifo=True, scope="messageGroup")
    d.send("q.fifo", "a", group="g1", dedup="X")
    d.send("q.fifo", "b", group="g2", dedup="X")
    return d.counts("q.fifo")


def queue_attribute_range(d: Any) -> Any:
    """CreateQueue with a visibility timeout over 12 hours or a delay over 15 minutes."""
    return (
        d.error(lambda: d.create("a", vt=43_201)),
        d.error(lambda: d.create("b", delay=901)),
    )


def sns_03_exists_false(d: Any) -> Any:
    """`exists: false` never matches a message without any attributes."""
    setup(d, ("q", {"policy": {"store": [{"exists": False}]}}))
    published = {
        d.publish("t", "no-attributes"): "",
        d.publish("t", "other-attribute", {"colour": "red"}): "",
    }
    return [e["Message"] for e in arrived(d, "q", published)]


def sns_03_ignore_case(d: Any) -> Any:
    """equals-ignore-case ignores the case of both sides; moto lower-cases only the message's."""
    setup(d, ("q", {"policy": {"colour": [{"equals-ignore-case": "RED"}]}}))
    published = {d.publish("t", c, {"colour": c}): "" for c in ("red", "Red", "RED", "blue")}
    return [e["Message"] for e in arrived(d, "q", published)]


def sns_05_eleven_attributes(d: Any) -> Any:
    """A raw SQS delivery of a message with more than 10 attributes is discarded; the envelope
    subscription next to it still gets it."""
    setup(d, ("raw", {"raw": True}), ("wrapped", {}))
    d.publish("t", "many", {f"a{i}": str(i) for i in range(11)})
    raw = [(body, len(attrs)) for body, attrs in arrived(d, "raw", {})]
    return (raw, d.counts("wrapped"))


ROWS: dict[str, tuple[Callable[[Any], Any], Any, Any]] = {
    # case: (scenario, AWS (and the engine), moto)
    "SQS-05": (sqs_05, None, "InvalidParameterValue"),
    "SQS-queue-attribute-range": (
        queue_attribute_range,
        ("InvalidParameterValue", "InvalidParameterValue"),
        (None, None),
    ),
    "SQS-08": (sqs_08, "InvalidParameterValue", None),
    "SQS-09a": (sqs_09a, "InvalidParameterValue", "ReceiptHandleIsInvalid"),
    "SQS-09b": (sqs_09b, (1, 0, 0), (0, 1, 0)),
    "SQS-10-range": (sqs_10_range, "InvalidParameterValue", None),
    "SQS-13": (sqs_13, [("m", 2)], []),
    "SQS-14-std-to-fifo": (sqs_14, "InvalidParameterCombination", None),
    "SQS-20": (sqs_20, (0, 0, 1), (1, 0, 0)),
    "SQS-21": (sqs_21, [("m", 1)], []),
    "SQS-22": (sqs_22, [("young", 1)], []),
    "FIFO-04": (fifo_04, ["A1", "A2"], ["A1", "B1"]),
    "FIFO-05": (fifo_05, (True, (1, 0, 0)), (False, (1, 0, 0))),
    "FIFO-06": (fifo_06, (0, 0, 0), (1, 0, 0)),
    "FIFO-08": (fifo_08, (2, 0, 0), (1, 0, 0)),
    "SNS-03-exists-false": (
        sns_03_exists_false,
        ["other-attribute"],
        ["no-attributes", "other-attribute"],
    ),
    "SNS-03-ignore-case": (sns_03_ignore_case, ["red", "Red", "RED"], []),
    "SNS-05-11-attributes": (
        sns_05_eleven_attributes,
        ([], (1, 0, 0)),
        ([("many", 11)], (1, 0, 0)),
    ),
}


PINNED = [d.id for d in MOTO_DIVERGENCES.values() if d.pinned]
FIDELITY = Path(__file__).resolve().parents[2] / "docs" / "fidelity.md"


def test_every_pinned_divergence_has_a_scenario() -> None:
    """The one list of documented moto divergences and the scenarios here name the same rows."""
    assert set(ROWS) == set(PINNED)


def test_fidelity_table_shows_the_divergence_list() -> None:
    """docs/fidelity.md's "Where moto diverges" table has one row per documented divergence."""
    text = FIDELITY.read_text(encoding="utf-8")
    section = text.split("## Where moto diverges", 1)[1].split("\n## ", 1)[0]
    rows = [
        line.split("|")[1].strip()
        for line in section.splitlines()
        if line.startswith("| ") and not line.startswith("| case") and "---" not in line
    ]
    assert sorted(rows) == sorted(d.row for d in MOTO_DIVERGENCES.values())


@pytest.mark.parametrize("case", PINNED)
def test_engine_follows_aws_where_moto_diverges(case: str, engine: Any, moto: Any) -> None:
    scenario, aws, moto_does = ROWS[case]
    assert scenario(engine) == aws
    assert scenario(moto) == moto_does
