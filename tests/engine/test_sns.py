"""SNS fan-out (docs/fidelity.md, SNS-01..08): copies, filters, raw delivery, FIFO topics, DLQ,
Lambda."""

from __future__ import annotations

import json

import pytest

from studyaws.engine.errors import InvalidParameter


def _fanout(sim, **sub2) -> None:
    sim.queue("q1")
    sim.queue("q2")
    sim.world.sns.create_topic("t")
    sim.world.sns.subscribe("t", "q1")
    sim.world.sns.subscribe("t", "q2", **sub2)


def test_sns_01_every_subscription_gets_its_own_copy(sim) -> None:
    """One publish, one copy per queue: same SNS MessageId inside, different SQS ids; deleting
    one copy leaves the other."""
    _fanout(sim)
    sns_id = sim.world.sns.publish("t", "m")
    [a] = sim.recv("q1")
    [b] = sim.recv("q2")
    assert a.message_id != b.message_id
    assert json.loads(a.body)["MessageId"] == json.loads(b.body)["MessageId"] == sns_id
    sim.sqs.delete_message("q1", a.receipt)
    assert sim.counts("q2") == (0, 1, 0)


def test_sns_02_no_filter_policy_receives_everything(sim) -> None:
    _fanout(sim)
    sim.world.sns.publish("t", "plain")
    sim.world.sns.publish("t", "with", attributes={"color": "red"})
    assert sim.counts("q1") == (2, 0, 0)


def test_sns_03_filter_policy_and_or_and_missing_attributes(sim) -> None:
    """AND across keys, OR within a key; no attributes ⇒ no match; other attributes ignored."""
    _fanout(sim, filter_policy='{"color":["red","blue"],"size":["L"]}')
    pub = sim.world.sns.publish
    pub("t", "a", attributes={"color": "red", "size": "L", "x": "1"})
    pub("t", "b", attributes={"color": "blue", "size": "L"})
    pub("t", "c", attributes={"color": "red"})
    pub("t", "d")
    pub("t", "e", attributes={"color": "green", "size": "L"})
    got = [json.loads(r.body)["Message"] for r in sim.recv("q2", max_number_of_messages=10)]
    assert got == ["a", "b"]
    assert len(sim.events("NotificationFilteredOut")) == 3


def test_sns_03_body_scope_filters_on_json_body(sim) -> None:
    _fanout(
        sim, filter_policy='{"order":{"total":[{"numeric":[">",100]}]}}', filter_scope="MessageBody"
    )
    sim.world.sns.publish("t", '{"order":{"total":250}}')
    sim.world.sns.publish("t", '{"order":{"total":5}}')
    sim.world.sns.publish("t", "not json")
    assert sim.counts("q2") == (1, 0, 0)


def test_sns_03_filter_policy_limit_is_five_keys(sim) -> None:
    _fanout(sim)
    policy = json.dumps({f"k{i}": ["v"] for i in range(6)})
    with pytest.raises(InvalidParameter, match="5 keys"):
        sim.world.sns.subscribe("t", "q1", filter_policy=policy)


def test_sns_05_raw_delivery_and_the_ten_attribute_limit(sim) -> None:
    """Raw: body as published, attributes as SQS attributes; >10 attributes ⇒ discarded."""
    _fanout(sim, raw=True)
    sim.world.sns.publish("t", "hello", attributes={"k": "v"})
    [r] = sim.recv("q2")
    assert (r.body, r.attributes) == ("hello", (("k", "v"),))
    sim.world.sns.publish("t", "many", attributes={f"a{i}": "v" for i in range(11)})
    assert sim.counts("q2") == (0, 1, 0)
    assert sim.counts("q1") == (2, 0, 0)
    assert sim.events("NotificationDiscarded")[0].cause == "sqs_message_attributes"


def test_sns_06_fifo_topic_to_fifo_queue_group_and_dedup(sim) -> None:
    sim.queue("q.fifo", fifo=True)
    sim.queue("std")
    sns = sim.world.sns
    sns.create_topic("t.fifo", fifo=True, content_based_dedup=True)
    sns.subscribe("t.fifo", "q.fifo")
    sns.subscribe("t.fifo", "std")
    first = sns.publish("t.fifo", "m", group="g1")
    sim.at(60)
    assert sns.publish("t.fifo", "m", group="g1") == first  # duplicate inside 5 minutes
    [r] = sim.recv("q.fifo")
    assert r.group == "g1"
    [s] = sim.recv("std")
    assert s.group is None  # a standard queue gets no group
    with pytest.raises(InvalidParameter, match="MessageGroupId"):
        sns.publish("t.fifo", "x")


def test_sns_06_standard_topic_cannot_subscribe_a_fifo_queue(sim) -> None:
    sim.queue("q.fifo", fifo=True)
    sim.world.sns.create_topic("t")
    with pytest.raises(InvalidParameter, match="FIFO"):
        sim.world.sns.subscribe("t", "q.fifo")


def test_sns_07_deleted_endpoint_goes_to_subscription_dlq_without_retries(sim) -> None:
    """Client-side errors (endpoint deleted) are not retried (AWS retry/DLQ pages): DLQ or
    discard."""
    sim.queue("gone")
    sim.queue("gone2")
    sim.queue("sub-dlq")
    sns = sim.world.sns
    sns.create_topic("t")
    sns.subscribe("t", "gone", dlq="sub-dlq")
    sns.subscribe("t", "gone2")
    sim.sqs.delete_queue("gone")
    sim.sqs.delete_queue("gone2")
    sns.publish("t", "m")
    assert sim.counts("sub-dlq") == (1, 0, 0)
    assert [e.kind for e in sim.world.events() if e.kind.startswith("Notification")] == [
        "NotificationDeliveryFailed",
        "NotificationSentToDlq",
        "NotificationDeliveryFailed",
        "NotificationDiscarded",
    ]


def test_sns_08_lambda_subscription_is_an_async_invoke(sim) -> None:
    sim.world.lambda_.create_function("f", fail="always", retries=2)
    sim.world.sns.create_topic("t")
    sim.world.sns.subscribe("t", "f")
    sim.world.sns.publish("t", "m", attributes={"k": "v"})
    [queued] = sim.events("AsyncEventQueued")
    assert queued.source == "sns:t"
    sim.at(400)
    assert [e.at_ms for e in sim.events("FunctionInvoked")] == [0, 61_000, 182_000]


def test_sns_03_exists_false_needs_at_least_one_attribute(sim) -> None:
    """attribute-key-matching: '"exists": false only matches if at least one attribute is
    present. An empty set of attributes results in the filter not matching.' (Found by the moto
    differential tests: moto, and the engine before the fix, delivered the message without
    attributes.)"""
    _fanout(sim, filter_policy='{"store":[{"exists":false}]}')
    pub = sim.world.sns.publish
    pub("t", "no-attributes")
    pub("t", "other-attribute", attributes={"colour": "red"})
    pub("t", "has-store", attributes={"store": "fans"})
    got = [json.loads(r.body)["Message"] for r in sim.recv("q2", max_number_of_messages=10)]
    assert got == ["other-attribute"]


def test_sns_03_subscribing_again_with_other_attributes_is_rejected(sim) -> None:
    """AWS: Subscribe is idempotent for the same endpoint (the same subscription comes back), but
    when the request sets attributes that differ from the existing subscription's (a filter
    policy, raw delivery, a redrive policy) it fails with InvalidParameter "Subscription already
    exists with different attributes" — the new filter is not silently ignored."""
    sim.queue("q")
    sim.queue("d")
    sns = sim.world.sns
    sns.create_topic("t")
    sub = sns.subscribe("t", "q", filter_policy='{"color":["red"]}')
    assert sns.subscribe("t", "q") == sub  # no attributes in the request: nothing to compare
    assert sns.subscribe("t", "q", filter_policy='{"color": ["red"]}') == sub
    for kwargs in (
        {"filter_policy": '{"color":["blue"]}'},
        {"raw": True},
        {"dlq": "d"},
    ):
        with pytest.raises(InvalidParameter, match="already exists with different attributes"):
            sns.subscribe("t", "q", **kwargs)
    assert len(sns.topics["t"].subscriptions) == 1
