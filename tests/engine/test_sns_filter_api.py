"""Issue 15, item 2, through Subscribe and Publish: the filter-policy rules a learner meets in the
sandbox (`subscribe --filter`). The rules and their sources are in test_sns_filter.py."""

from __future__ import annotations

import json

import pytest

from studyaws.engine.errors import InvalidParameter


def _topic(sim, policy: str | None = None, scope: str = "MessageAttributes") -> None:
    sim.queue("q")
    sim.world.sns.create_topic("t")
    if policy is not None:
        sim.world.sns.subscribe("t", "q", raw=True, filter_policy=policy, filter_scope=scope)


def test_an_or_policy_is_accepted_and_delivers_either_side(sim) -> None:
    """and-or-logic.html: 'You can use the "$or" operator to explicitly define a filter policy to
    express the OR relationship between multiple attributes in the policy.'"""
    _topic(sim, '{"$or": [{"color": ["red"]}, {"size": ["L"]}]}')
    sim.world.sns.publish("t", "a", attributes={"size": "L"})
    sim.world.sns.publish("t", "b", attributes={"size": "S"})
    assert sim.bodies("q", max_number_of_messages=10) == ["a"]


def test_a_cidr_policy_is_accepted_and_matches_the_subnet(sim) -> None:
    """string-value-matching.html: "You can use the cidr operator to check whether an incoming
    message originates from a specific IP address or subnet." 10.0.0.0/24 takes 10.0.0.255, not
    10.1.1.0."""
    _topic(sim, '{"source_ip": [{"cidr": "10.0.0.0/24"}]}')
    sim.world.sns.publish("t", "in", attributes={"source_ip": "10.0.0.255"})
    sim.world.sns.publish("t", "out", attributes={"source_ip": "10.1.1.0"})
    assert sim.bodies("q", max_number_of_messages=10) == ["in"]


def test_a_nested_attribute_policy_is_refused(sim) -> None:
    """subscription-filter-policy-constraints.html: "Amazon SNS doesn't accept a nested filter
    policy for attribute-based filtering." (It used to be accepted and match nothing.)"""
    _topic(sim)
    with pytest.raises(InvalidParameter, match="nested"):
        sim.world.sns.subscribe("t", "q", filter_policy='{"order": {"total": ["1"]}}')


def test_a_policy_over_150_combinations_is_refused(sim) -> None:
    """Same page: "The total combination of values in a filter policy must not exceed 150."
    (7 x 5 x 5 = 175 values.)"""
    _topic(sim)
    policy = json.dumps({"a": list(range(7)), "b": list(range(5)), "c": list(range(5))})
    with pytest.raises(InvalidParameter, match="too complex"):
        sim.world.sns.subscribe("t", "q", filter_policy=policy)


def test_a_number_beyond_a_billion_is_refused(sim) -> None:
    """Same page: "For numeric matching, the value can range from -10^9 to 10^9 (-1 billion to 1
    billion)"."""
    _topic(sim)
    with pytest.raises(InvalidParameter, match="between"):
        sim.world.sns.subscribe(
            "t", "q", filter_policy='{"price": [{"numeric": [">", 2000000000]}]}'
        )


def test_a_prefix_does_not_match_a_number_in_the_body(sim) -> None:
    """numeric-value-matching.html: "Prefixes are supported for string matching only." A body
    {"code": 1234} has no prefix "12"."""
    _topic(sim, '{"code": [{"prefix": "12"}]}', scope="MessageBody")
    sim.world.sns.publish("t", '{"code": 1234}')
    sim.world.sns.publish("t", '{"code": "1234"}')
    assert sim.bodies("q", max_number_of_messages=10) == ['{"code": "1234"}']
