"""Differential tests for SNS fan-out to SQS: the engine and moto see the same deliveries.

Only the SNS behaviour cases (docs/fidelity.md) found reproduced by moto (SNS-01, 02, 03, 05; P23).
Each scenario publishes through a topic with SQS subscriptions and observes, per queue, what
arrived: which copies, the envelope's `Type`, `TopicArn`, `Subject`, `Message` and
`MessageAttributes` (the SNS `MessageId` as "equal to the id Publish returned", since the two sides
spell ids differently), or for raw delivery the body and the SQS message attributes. Signatures,
timestamps and the unsubscribe URL are left out: moto signs with its own certificate and stamps
wall-clock time.

Where moto departs from AWS (SNS-05 with more than 10 attributes, `exists: false` on a message
without attributes, equals-ignore-case with an upper-case policy value) the rows are in
test_moto_divergences.py and docs/fidelity.md. A numeric condition against a string property of a
JSON body makes moto's Publish raise `TypeError`, so no scenario here does that.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:t"  # both sides: account 123456789012, us-east-1
ENVELOPE_KEYS = ("Type", "TopicArn", "Subject", "Message", "MessageAttributes")


def envelope(body: str, published: dict[str, str]) -> dict[str, Any]:
    """The compared part of a JSON envelope; `MessageId` names the publish it came from."""
    data = json.loads(body)
    out = {k: data[k] for k in ENVELOPE_KEYS if k in data}
    out["MessageId"] = published.get(data["MessageId"], "?")
    return out


def arrived(d: Any, queue: str, published: dict[str, str]) -> list[Any]:
    """What one queue holds: envelopes (or raw bodies with their SQS attributes)."""
    out: list[Any] = []
    for _mid, body, _handle, attrs in d.deliveries(queue):
        if body.startswith("{") and '"Type"' in body:
            out.append(envelope(body, published))
        else:
            out.append((body, attrs))
    return out


def setup(d: Any, *subs: tuple[str, dict[str, Any]]) -> None:
    d.create_topic("t")
    for queue, options in subs:
        d.create(queue)
        d.subscribe("t", queue, **options)


def sns_01(d: Any) -> list[Any]:
    """One copy per subscription; the same SNS MessageId in both, different SQS MessageIds;
    deleting one copy leaves the other."""
    setup(d, ("q1", {}), ("q2", {}))
    sns_id = d.publish("t", "m", {"k": "v"}, subject="hello")
    [(id1, body1, handle1, attrs1)] = d.deliveries("q1")
    d.advance(31)  # both copies visible again
    [(id2, body2, _h, attrs2)] = d.deliveries("q2")
    published = {sns_id: "publish-1"}
    obs: list[Any] = [
        envelope(body1, published),
        envelope(body2, published),
        attrs1,
        attrs2,  # the envelope carries the attributes; the SQS message has none
        id1 != id2,
        json.loads(body1)["TopicArn"] == TOPIC_ARN,
    ]
    d.advance(31)
    [(_i, _b, handle1, _a)] = d.deliveries("q1")
    d.delete("q1", handle1)
    return [*obs, d.counts("q1"), d.counts("q2")]


def sns_02(d: Any) -> list[Any]:
    """Without a filter policy a subscription gets everything, with or without attributes."""
    setup(d, ("all", {}))
    published = {
        d.publish("t", "plain"): "plain",
        d.publish("t", "one", {"color": "red"}): "one",
        d.publish("t", "two", {"color": "blue", "size": "L"}): "two",
    }
    return [d.counts("all"), arrived(d, "all", published)]


FILTER_MESSAGES: list[tuple[str, dict[str, str] | None]] = [
    ("red", {"color": "red"}),
    ("blue", {"color": "blue"}),
    ("none", None),
    ("other-attribute", {"shape": "round"}),
    ("red-L", {"color": "red", "size": "L"}),
    ("red-M", {"color": "red", "size": "M"}),
    ("green-L", {"color": "green", "size": "L"}),
    ("red-extra", {"color": "red", "note": "ignored by the policy"}),
    ("RED-upper", {"color": "RED"}),
]


def sns_03(d: Any) -> list[Any]:
    """AND across keys, OR within a key; no attributes ⇒ not delivered to a filtered
    subscription; attributes the policy does not name are ignored."""
    setup(
        d,
        ("one-key", {"policy": {"color": ["red"]}}),
        ("or-values", {"policy": {"color": ["red", "blue"]}}),
        ("and-keys", {"policy": {"color": ["red"], "size": ["L"]}}),
        ("everything", {}),
    )
    published = {d.publish("t", body, attrs): body for body, attrs in FILTER_MESSAGES}
    return [
        (queue, [e["Message"] for e in arrived(d, queue, published)])
        for queue in ("one-key", "or-values", "and-keys", "everything")
    ]


def sns_03_operators(d: Any) -> list[Any]:
    """The filter operators on string attributes: prefix, suffix, anything-but, `exists: true`,
    equals-ignore-case with a lower-case policy value (`exists: false` and an upper-case
    equals-ignore-case value are divergences: test_moto_divergences.py)."""
    setup(
        d,
        ("prefix", {"policy": {"color": [{"prefix": "re"}]}}),
        ("anything-but", {"policy": {"color": [{"anything-but": ["red"]}]}}),
        ("exists", {"policy": {"size": [{"exists": True}]}}),
        ("suffix", {"policy": {"color": [{"suffix": "en"}]}}),
        ("ignore-case", {"policy": {"color": [{"equals-ignore-case": "red"}]}}),
    )
    published = {d.publish("t", body, attrs): body for body, attrs in FILTER_MESSAGES}
    return [
        (queue, [e["Message"] for e in arrived(d, queue, published)])
        for queue in ("prefix", "anything-but", "exists", "suffix", "ignore-case")
    ]


def sns_03_body_scope(d: Any) -> list[Any]:
    """`FilterPolicyScope=MessageBody`: the policy matches properties of a JSON body, nested
    objects included; a body that is not JSON does not match."""
    setup(
        d,
        (
            "orders",
            {"policy": {"kind": ["order"], "detail": {"region": ["eu", "us"]}}, "body_scope": True},
        ),
    )
    bodies = [
        '{"kind":"order","detail":{"region":"eu"}}',
        '{"kind":"order","detail":{"region":"ap"}}',
        '{"kind":"refund","detail":{"region":"us"}}',
        '{"kind":"order"}',
        "not json",
    ]
    published = {d.publish("t", body, {"kind": "order"}): body for body in bodies}
    return [e["Message"] for e in arrived(d, "orders", published)]


def sns_03_body_numeric(d: Any) -> list[Any]:
    """MessageBody scope with a numeric range (JSON numbers) and OR across a key's conditions."""
    setup(
        d,
        (
            "big",
            {"policy": {"total": [{"numeric": [">", 100, "<=", 500]}, 1000]}, "body_scope": True},
        ),
    )
    bodies = ['{"total":250}', '{"total":100}', '{"total":500}', '{"total":1000}', '{"total":5}']
    published = {d.publish("t", body): body for body in bodies}
    return [e["Message"] for e in arrived(d, "big", published)]


def sns_05(d: Any) -> list[Any]:
    """Raw delivery: the body as published and the SNS attributes as SQS attributes; the
    subscription next to it gets the JSON envelope, the same string in its `Message`."""
    setup(d, ("raw", {"raw": True}), ("wrapped", {}))
    text = '{"order": 7, "note": "a JSON string stays a string"}'
    published = {
        d.publish("t", text, {"k": "v", "n": "10"}): "with-attributes",
        d.publish("t", "plain text"): "no-attributes",
        d.publish("t", "ten", {f"a{i}": str(i) for i in range(10)}): "ten-attributes",
    }
    return [arrived(d, "raw", published), arrived(d, "wrapped", published)]


SCENARIOS: dict[str, Callable[[Any], list[Any]]] = {
    "SNS-01": sns_01,
    "SNS-02": sns_02,
    "SNS-03": sns_03,
    "SNS-03-operators": sns_03_operators,
    "SNS-03-body-scope": sns_03_body_scope,
    "SNS-03-body-numeric": sns_03_body_numeric,
    "SNS-05": sns_05,
}


@pytest.mark.parametrize("case", list(SCENARIOS))
def test_engine_agrees_with_moto_sns(case: str, engine: Any, moto: Any) -> None:
    scenario = SCENARIOS[case]
    assert scenario(engine) == scenario(moto)


def test_sns_03_expected_deliveries(engine: Any) -> None:
    """The AWS outcome of SNS-03 spelled out, so agreement is not agreement on a wrong answer."""
    assert sns_03(engine) == [
        ("one-key", ["red", "red-L", "red-M", "red-extra"]),
        ("or-values", ["red", "blue", "red-L", "red-M", "red-extra"]),
        ("and-keys", ["red-L"]),
        ("everything", [body for body, _ in FILTER_MESSAGES]),
    ]


def test_sns_05_expected_raw_deliveries(engine: Any) -> None:
    raw, wrapped = sns_05(engine)
    assert raw[0] == ('{"order": 7, "note": "a JSON string stays a string"}', {"k": "v", "n": "10"})
    assert raw[1] == ("plain text", {})
    assert [e["Message"] for e in wrapped] == [
        '{"order": 7, "note": "a JSON string stays a string"}',
        "plain text",
        "ten",
    ]
    assert wrapped[0]["MessageAttributes"] == {
        "k": {"Type": "String", "Value": "v"},
        "n": {"Type": "String", "Value": "10"},
    }
