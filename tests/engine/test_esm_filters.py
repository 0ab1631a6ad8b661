"""Event filtering (FilterCriteria) and MaximumConcurrency on an SQS event source mapping."""

from __future__ import annotations

import json

import pytest

from studyaws.engine.errors import InvalidParameterValueException

ORDER = '{"body": {"type": ["order"]}}'


def _mapped(sim, *filters: str, batch: int = 1, **kwargs) -> None:
    sim.queue("q", visibility_timeout_s=60)
    sim.world.lambda_.create_function("f", duration_ms=1000)
    sim.world.esm.create_event_source_mapping(
        "q", "f", batch_size=batch, filters=list(filters) or None, **kwargs
    )


def _send(sim, *bodies: str) -> dict[str, str]:
    return {sim.send("q", b): b for b in bodies}


def _invoked(sim, sent: dict[str, str]) -> list[str]:
    return [sent[i] for e in sim.events("BatchInvoked") for i in e.message_ids]


def test_a_message_matching_no_filter_is_deleted_and_never_invoked(sim) -> None:
    """ "If none of your filters are satisfied, Lambda discards the record."
    (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html) For SQS the
    record is removed from the queue: it is not returned after its visibility timeout and never
    reaches a DLQ (fact lambda_esm_filter_sqs)."""
    _mapped(sim, ORDER)
    sent = _send(sim, '{"type": "order"}', '{"type": "refund"}')
    sim.at(120)
    assert _invoked(sim, sent) == ['{"type": "order"}']
    [dropped] = sim.events("MessagesFilteredOut")
    assert sent[dropped.message_ids[0]] == '{"type": "refund"}'
    assert dropped.cause == "lambda_esm_filter_sqs"
    assert sim.counts("q") == (0, 0, 0)  # deleted: it never comes back
    assert len(sim.events("MessageReceived")) == 2


def test_filters_are_ored(sim) -> None:
    """ "Your filters are logically ORed together. If a record from your event source satisfies
    one or more of your filters, Lambda includes the record in the next event it sends to your
    function." (invocation-eventfiltering)"""
    _mapped(sim, ORDER, '{"body": {"type": ["refund"]}}')
    sent = _send(sim, '{"type": "order"}', '{"type": "refund"}', '{"type": "ping"}')
    sim.at(5)
    assert sorted(_invoked(sim, sent)) == ['{"type": "order"}', '{"type": "refund"}']


def test_a_json_body_is_matched_field_by_field_with_the_pattern_operators(sim) -> None:
    """ "To filter based on the contents of your Amazon SQS messages, use the body key in the
    Amazon SQS message record." (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs-filtering.html)
    A JSON body is matched property by property, with numeric ranges and prefixes."""
    _mapped(sim, '{"body": {"total": [{"numeric": [">", 100]}], "sku": [{"prefix": "A-"}]}}')
    sent = _send(
        sim,
        '{"total": 250, "sku": "A-1"}',
        '{"total": 50, "sku": "A-2"}',
        '{"total": 500, "sku": "B-3"}',
    )
    sim.at(5)
    assert _invoked(sim, sent) == ['{"total": 250, "sku": "A-1"}']


def test_a_plain_text_body_matches_only_a_pattern_on_the_whole_body(sim) -> None:
    """A body that is not JSON has no fields: a pattern on fields never matches it, a pattern on
    the body string does (with-sqs-filtering: SQS filters on the body key)."""
    _mapped(sim, ORDER, '{"body": ["ping"]}')
    sent = _send(sim, "ping", "pong")
    sim.at(5)
    assert _invoked(sim, sent) == ["ping"]


def test_a_batch_holds_only_the_matching_messages(sim) -> None:
    """Filtered records are left out of the event: a batch of ten received messages reaches the
    function with the matching ones only (invocation-eventfiltering)."""
    sim.queue("q", visibility_timeout_s=60)
    for i in range(6):
        sim.send("q", json.dumps({"type": "order" if i % 2 == 0 else "ping", "n": i}))
    sim.world.lambda_.create_function("f", duration_ms=1000)
    sim.world.esm.create_event_source_mapping("q", "f", batch_size=10, filters=[ORDER])
    [batch] = sim.events("BatchInvoked")
    assert batch.message_ids == ("m1", "m3", "m5")


def test_at_most_five_filters(sim) -> None:
    """ "By default, you can define up to five different filters for a single event source
    mapping." "If you attempt to add more filters than your current quota permits, Lambda will
    return an error when you try to create the event source mapping." (invocation-eventfiltering)"""
    sim.queue("q")
    sim.world.lambda_.create_function("f")
    six = [json.dumps({"body": {"n": [i]}}) for i in range(6)]
    with pytest.raises(InvalidParameterValueException, match="5 filters"):
        sim.world.esm.create_event_source_mapping("q", "f", filters=six)
    assert sim.world.esm.mappings == {}
    sim.world.esm.create_event_source_mapping("q", "f", filters=six[:5])


@pytest.mark.parametrize(
    "pattern",
    ['{"attributes": {"SenderId": ["x"]}}', "not json", "[]", '{"body": 5}'],
)
def test_an_sqs_filter_is_a_pattern_on_the_body_key(sim, pattern: str) -> None:
    """ "Amazon SQS event source mappings only support filtering on the body key."
    (with-sqs-filtering) Any other pattern is refused when the mapping is created."""
    sim.queue("q")
    sim.world.lambda_.create_function("f")
    with pytest.raises(InvalidParameterValueException):
        sim.world.esm.create_event_source_mapping("q", "f", filters=[pattern])


@pytest.mark.parametrize(("value", "ok"), [(1, False), (2, True), (1000, True), (1001, False)])
def test_maximum_concurrency_is_2_to_1000(sim, value: int, ok: bool) -> None:
    """ScalingConfig.MaximumConcurrency "Limits the number of concurrent instances that the Amazon
    SQS event source can invoke." Minimum 2, maximum 1000.
    (https://docs.aws.amazon.com/lambda/latest/api/API_ScalingConfig.html)"""
    sim.queue("q")
    sim.world.lambda_.create_function("f")
    if ok:
        sim.world.esm.create_event_source_mapping("q", "f", max_concurrency=value)
    else:
        with pytest.raises(InvalidParameterValueException, match="between 2 and 1000"):
            sim.world.esm.create_event_source_mapping("q", "f", max_concurrency=value)


def _six_jobs(sim, **mapping) -> None:
    sim.queue("q", visibility_timeout_s=30)
    sim.world.lambda_.create_function("f", duration_ms=20_000, timeout_s=25, reserved_concurrency=2)
    sim.world.esm.create_event_source_mapping("q", "f", batch_size=1, **mapping)
    for i in range(6):
        sim.send("q", f"job {i}")


def test_reserved_concurrency_alone_throttles_the_pollers_batches(sim) -> None:
    """ "Event source mappings don't account for reserved concurrency and can process more
    messages off your queue than can be sent to your function."
    (https://repost.aws/knowledge-center/lambda-sqs-scaling) The extra batches are received,
    throttled, and come back with a higher receive count (fact lambda_sqs_reserved_vs_max)."""
    _six_jobs(sim)
    sim.at(10)
    assert sim.events("InvocationThrottled")
    assert sim.counts("q") == (1, 5, 0)  # five pollers took five, though only two can run
    sim.at(60)
    assert max(e.receive_count for e in sim.events("MessageReceived")) >= 2


def test_maximum_concurrency_keeps_the_extra_messages_waiting_in_the_queue(sim) -> None:
    """MaximumConcurrency caps the invocations the mapping starts: no more pollers than it
    allows, so no throttles, and the other messages stay visible with their receive count
    untouched (fact lambda_sqs_max_concurrency)."""
    _six_jobs(sim, max_concurrency=2)
    sim.at(10)
    assert sim.events("InvocationThrottled") == []
    assert sim.counts("q") == (4, 2, 0)
    sim.at(300)
    assert sim.events("InvocationThrottled") == []
    assert sim.world.lambda_.get_function_stats("f")["invocations"] == 6
    assert {e.receive_count for e in sim.events("MessageReceived")} == {1}
