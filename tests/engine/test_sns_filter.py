"""SNS filter policies (issue 15, item 2): the examples of AWS's filter-policy pages, the policy
constraints, and property tests against a small reference matcher written from those pages.

Pages (https://docs.aws.amazon.com/sns/latest/dg/…): and-or-logic.html,
string-value-matching.html, numeric-value-matching.html, attribute-key-matching.html,
subscription-filter-policy-constraints.html.
"""

from __future__ import annotations

import ipaddress
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyaws.engine.errors import InvalidParameter
from studyaws.engine.sns_filter import parse_policy


def _attrs(policy: dict[str, Any], attributes: dict[str, str]) -> bool:
    return parse_policy(json.dumps(policy), body_scope=False).matches_attributes(attributes)


def _body(policy: dict[str, Any], body: Any) -> bool:
    return parse_policy(json.dumps(policy), body_scope=True).matches_body(json.dumps(body))


# -- the pages' own examples ---------------------------------------------------------------------

# (policy, message attributes or None, message body or None, matches): each row is an example the
# page gives, with the verdict the page gives it.
EXAMPLES = [
    # string-value-matching, exact: "customer_interests": ["rugby", "tennis"]
    ({"customer_interests": ["rugby", "tennis"]}, {"customer_interests": "rugby"}, None, True),
    ({"customer_interests": ["rugby", "tennis"]}, None, {"customer_interests": "tennis"}, True),
    ({"customer_interests": ["rugby", "tennis"]}, {"customer_interests": "baseball"}, None, False),
    # anything-but: matches values that "don't include any of the policy property values"
    (
        {"customer_interests": [{"anything-but": ["rugby", "tennis"]}]},
        {"customer_interests": "baseball"},
        None,
        True,
    ),
    (
        {"customer_interests": [{"anything-but": ["rugby", "tennis"]}]},
        None,
        {"customer_interests": ["rugby", "baseball"]},
        True,
    ),
    (
        {"customer_interests": [{"anything-but": ["rugby", "tennis"]}]},
        {"customer_interests": "rugby"},
        None,
        False,
    ),
    (
        {"customer_interests": [{"anything-but": ["rugby", "tennis"]}]},
        None,
        {"customer_interests": ["rugby"]},
        False,
    ),
    # anything-but with a prefix: "denies the order- prefix"
    ({"event": [{"anything-but": {"prefix": "order-"}}]}, {"event": "data-entry"}, None, True),
    ({"event": [{"anything-but": {"prefix": "order-"}}]}, None, {"event": "order_number"}, True),
    (
        {"event": [{"anything-but": {"prefix": "order-"}}]},
        {"event": "order-cancelled"},
        None,
        False,
    ),
    # anything-but wildcard and suffix: ["hockey", "rugby", "soccer"] yes, ["baseball",
    # "basketball"] no
    (
        {"customer_interests": [{"anything-but": {"wildcard": "*ball"}}]},
        None,
        {"customer_interests": ["hockey", "rugby", "soccer"]},
        True,
    ),
    (
        {"customer_interests": [{"anything-but": {"wildcard": "*ball"}}]},
        None,
        {"customer_interests": ["baseball", "basketball"]},
        False,
    ),
    (
        {"customer_interests": [{"anything-but": {"suffix": "ball"}}]},
        None,
        {"customer_interests": ["baseball", "basketball"]},
        False,
    ),
    # equals-ignore-case: "tennis" matches TENNIS, Tennis, teNnis
    (
        {"customer_interests": [{"equals-ignore-case": "tennis"}]},
        {"customer_interests": "TENNIS"},
        None,
        True,
    ),
    (
        {"customer_interests": [{"equals-ignore-case": "tennis"}]},
        None,
        {"customer_interests": "teNnis"},
        True,
    ),
    # IP address matching: 10.0.0.0/24 matches 10.0.0.0 and 10.0.0.255, not 10.1.1.0
    ({"source_ip": [{"cidr": "10.0.0.0/24"}]}, {"source_ip": "10.0.0.0"}, None, True),
    ({"source_ip": [{"cidr": "10.0.0.0/24"}]}, None, {"source_ip": "10.0.0.255"}, True),
    ({"source_ip": [{"cidr": "10.0.0.0/24"}]}, {"source_ip": "10.1.1.0"}, None, False),
    # prefix and suffix: "bas" matches baseball and basketball, not rugby; "ball" likewise
    ({"customer_interests": [{"prefix": "bas"}]}, {"customer_interests": "basketball"}, None, True),
    ({"customer_interests": [{"prefix": "bas"}]}, None, {"customer_interests": "rugby"}, False),
    ({"customer_interests": [{"suffix": "ball"}]}, None, {"customer_interests": "baseball"}, True),
    ({"customer_interests": [{"suffix": "ball"}]}, {"customer_interests": "rugby"}, None, False),
    # wildcard: "*ball" matches baseball and basketball
    (
        {"customer_interests": [{"wildcard": "*ball"}]},
        None,
        {"customer_interests": ["baseball", "basketball"]},
        True,
    ),
    # numeric-value-matching: ["=", 301.5] matches 301.5 and 3.015e2
    ({"price_usd": [{"numeric": ["=", 301.5]}]}, {"price_usd": "3.015e2"}, None, True),
    ({"price_usd": [{"numeric": ["=", 301.5]}]}, None, {"price_usd": 3.015e2}, True),
    # anything-but numbers: [100, 500] matches 101 and 100.1, not 100
    ({"price": [{"anything-but": [100, 500]}]}, {"price": "100.1"}, None, True),
    ({"price": [{"anything-but": [100, 500]}]}, None, {"price": 101}, True),
    ({"price": [{"anything-but": [100, 500]}]}, None, {"price": 100}, False),
    # value range: [">", 0, "<=", 150]
    ({"price_usd": [{"numeric": [">", 0, "<=", 150]}]}, None, {"price_usd": 150}, True),
    ({"price_usd": [{"numeric": [">", 0, "<=", 150]}]}, None, {"price_usd": 0}, False),
    # and-or-logic: AND across keys, OR within a key
    (
        {"customer_interests": ["rugby"], "price_usd": [{"numeric": [">", 100]}]},
        {"customer_interests": "rugby", "price_usd": "101"},
        None,
        True,
    ),
    (
        {"customer_interests": ["rugby"], "price_usd": [{"numeric": [">", 100]}]},
        {"customer_interests": "rugby", "price_usd": "100"},
        None,
        False,
    ),
    # the "$or" operator: source && (metricName || namespace)
    (
        {
            "source": ["aws.cloudwatch"],
            "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}],
        },
        {"source": "aws.cloudwatch", "namespace": "AWS/EC2"},
        None,
        True,
    ),
    (
        {
            "source": ["aws.cloudwatch"],
            "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}],
        },
        {"source": "aws.cloudwatch", "namespace": "AWS/ES"},
        None,
        False,
    ),
    # attribute-key-matching: exists true / false
    ({"store": [{"exists": True}]}, {"store": "example_corp"}, None, True),
    ({"store": [{"exists": False}]}, {"other": "x"}, None, True),
    ({"store": [{"exists": False}]}, {"store": "example_corp"}, None, False),
]


@pytest.mark.parametrize(("policy", "attributes", "body", "expected"), EXAMPLES)
def test_the_documented_examples_match_as_the_pages_say(policy, attributes, body, expected) -> None:
    """Every example of the filter-policy pages matches (or not) as the page says, in the scope
    it is given for."""
    if attributes is not None:
        assert _attrs(policy, attributes) is expected
    else:
        assert _body(policy, body) is expected


def test_or_operator_is_accepted_and_joins_keys(sim) -> None:
    """and-or-logic: 'You can use the "$or" operator to explicitly define a filter policy to
    express the OR relationship between multiple attributes in the policy.' A subscription with
    an "$or" policy is created and receives the messages either side accepts."""
    sim.queue("q")
    sns = sim.world.sns
    sns.create_topic("t")
    sns.subscribe(
        "t", "q", raw=True, filter_policy='{"$or": [{"color": ["red"]}, {"size": ["L"]}]}'
    )
    sns.publish("t", "a", attributes={"color": "red"})
    sns.publish("t", "b", attributes={"size": "L"})
    sns.publish("t", "c", attributes={"color": "blue", "size": "S"})
    assert sim.bodies("q", max_number_of_messages=10) == ["a", "b"]


def test_or_with_one_object_is_an_ordinary_key() -> None:
    """'Amazon SNS only recognizes an "$or" relationship when the policy has met all of the
    following conditions. When all of these conditions are not met, "$or" is treated as a regular
    attribute name' — one object in the array is not an "$or"."""
    with pytest.raises(InvalidParameter, match="Unrecognized match type color"):
        parse_policy('{"$or": [{"color": ["red"]}]}', body_scope=False)


def test_cidr_is_a_match_type() -> None:
    """string-value-matching, IP address matching: "You can use the cidr operator to check
    whether an incoming message originates from a specific IP address or subnet." A malformed
    range is refused."""
    assert _attrs({"ip": [{"cidr": "2001:db8::/32"}]}, {"ip": "2001:db8::1"})
    with pytest.raises(InvalidParameter, match="CIDR"):
        parse_policy('{"ip": [{"cidr": "10.0.0.0"}]}', body_scope=False)


def test_a_nested_policy_is_refused_in_attribute_scope() -> None:
    """subscription-filter-policy-constraints: "Amazon SNS doesn't accept a nested filter policy
    for attribute-based filtering." (It is accepted for the body.)"""
    with pytest.raises(InvalidParameter, match="does not support nested"):
        parse_policy('{"order": {"total": [1]}}', body_scope=False)
    parse_policy('{"order": {"total": [1]}}', body_scope=True)


def test_more_than_150_value_combinations_are_refused() -> None:
    """subscription-filter-policy-constraints: "The total combination of values in a filter
    policy must not exceed 150. To calculate the total combination, multiply the number of values
    in each array in the filter policy." 6 x 5 x 5 = 150 is accepted, 6 x 5 x 6 = 180 is not."""
    ok = {"a": list(range(6)), "b": list(range(5)), "c": list(range(5))}
    parse_policy(json.dumps(ok), body_scope=False)
    with pytest.raises(InvalidParameter, match="too complex"):
        parse_policy(json.dumps({**ok, "c": list(range(6))}), body_scope=False)


def test_nested_levels_count_in_the_combinations() -> None:
    """The page's nested example: "4(match operators of key_c) x 3(nested level of key_c) x
    3(match operators of key_e) x 2(nested level of key_e) = 72"; one more value on key_e gives
    4 x 3 x 4 x 2 = 96, and on both 5 x 3 x 5 x 2 = 150, the most allowed; 6 x 3 x 5 x 2 is not."""

    def policy(c: int, e: int) -> str:
        return json.dumps(
            {"key_a": {"key_b": {"key_c": list(range(c))}}, "key_d": {"key_e": list(range(e))}}
        )

    parse_policy(policy(5, 5), body_scope=True)
    with pytest.raises(InvalidParameter, match="too complex"):
        parse_policy(policy(6, 5), body_scope=True)


def test_only_leaf_keys_count_towards_five_keys_in_a_body_policy() -> None:
    """subscription-filter-policy-constraints: "For a nested policy, only leaf keys are counted
    towards the five key limit." Five leaves under one parent fit; six do not."""
    five = {"order": {f"k{i}": ["v"] for i in range(5)}}
    parse_policy(json.dumps(five), body_scope=True)
    six = {"order": {f"k{i}": ["v"] for i in range(6)}}
    with pytest.raises(InvalidParameter, match="5 keys"):
        parse_policy(json.dumps(six), body_scope=True)


@pytest.mark.parametrize("number", [1_000_000_001, -1.5e9, 1e10])
def test_numbers_beyond_a_billion_are_refused(number: float) -> None:
    """subscription-filter-policy-constraints: "For numeric matching, the value can range from
    -10^9 to 10^9 (-1 billion to 1 billion), with five digits of accuracy after the decimal
    point." """
    policy = json.dumps({"price": [{"numeric": [">", number]}]})
    with pytest.raises(InvalidParameter, match="between"):
        parse_policy(policy, body_scope=False)
    with pytest.raises(InvalidParameter, match="between"):
        parse_policy(json.dumps({"price": [number]}), body_scope=False)


def test_five_digits_of_accuracy_after_the_decimal_point() -> None:
    """Numbers compare with five digits after the decimal point (same page): 1.000001 is 1."""
    assert _body({"x": [{"numeric": ["=", 1]}]}, {"x": 1.000001})
    assert not _body({"x": [{"numeric": ["=", 1]}]}, {"x": 1.00001})


def test_a_prefix_never_matches_a_json_number() -> None:
    """numeric-value-matching: "Prefixes are supported for string matching only." A body number
    1234 does not have the prefix "12"; the string "1234" does."""
    assert not _body({"code": [{"prefix": "12"}]}, {"code": 1234})
    assert _body({"code": [{"prefix": "12"}]}, {"code": "1234"})


def test_wildcards_are_limited_to_three_a_pattern() -> None:
    """subscription-filter-policy-constraints, wildcards: "Maximum 3 wildcards per pattern"."""
    parse_policy('{"f": [{"wildcard": "*a*b*"}]}', body_scope=False)
    with pytest.raises(InvalidParameter, match="wildcards"):
        parse_policy('{"f": [{"wildcard": "*a*b*c*"}]}', body_scope=False)


def test_wildcard_complexity_is_limited_to_100_points() -> None:
    """Same page: "Total wildcard complexity across all fields must not exceed 100 points";
    "Field complexity = (Sum of pattern points) x (Number of patterns)", a pattern with multiple
    wildcards being 3 points: 6 such patterns are 18 x 6 = 108 points."""
    five = [{"wildcard": f"*{i}*"} for i in range(5)]  # 15 x 5 = 75
    parse_policy(json.dumps({"f": five}), body_scope=False)
    with pytest.raises(InvalidParameter, match="complexity"):
        parse_policy(json.dumps({"f": [*five, {"wildcard": "*5*"}]}), body_scope=False)


def test_a_policy_is_at_most_256_kb() -> None:
    """subscription-filter-policy-constraints: "The maximum size of a filter policy is 256 KB." """
    value = "v" * 1000
    small = json.dumps({"k": [value] * 100})  # about 100 KB
    parse_policy(small, body_scope=False)
    with pytest.raises(InvalidParameter, match="larger than"):
        parse_policy(json.dumps({"k": [value] * 150, "pad": ["x" * 120_000]}), body_scope=False)


def test_a_bad_policy_leaves_the_topic_unchanged(sim) -> None:
    """A refused policy is an error of Subscribe: no subscription is created."""
    sim.queue("q")
    sim.world.sns.create_topic("t")
    with pytest.raises(InvalidParameter):
        sim.world.sns.subscribe("t", "q", filter_policy='{"n": {"nested": ["x"]}}')
    assert sim.world.snapshot()["topics"]["t"]["subscriptions"] == []


# -- property tests against a reference matcher ---------------------------------------------------


def _ref_number(value: Any, body: bool) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if not body and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _ref_condition(cond: Any, present: bool, value: Any, body: bool) -> bool:
    """One condition of one key, written from the pages' definitions, one operator at a time."""
    if not isinstance(cond, dict):
        if not present:
            return False
        if isinstance(cond, str):
            return value == cond and isinstance(value, str)
        return _ref_number(value, body) == float(cond)
    ((op, arg),) = cond.items()
    if op == "exists":  # "exists": true matches a present key, false an absent one
        return present == arg
    if not present:
        return False
    number = _ref_number(value, body)
    if op == "numeric":  # one comparison, or a low and a high bound
        if number is None:
            return False
        checks = {
            "=": number.__eq__,
            "<": number.__lt__,
            "<=": number.__le__,
            ">": number.__gt__,
            ">=": number.__ge__,
        }
        return all(checks[o](float(n)) for o, n in zip(arg[::2], arg[1::2], strict=True))
    if op == "anything-but":  # none of the listed values (or not the prefix)
        if isinstance(arg, dict):
            return not (isinstance(value, str) and value.startswith(arg["prefix"]))
        return not any(
            (isinstance(x, str) and value == x) or (not isinstance(x, str) and number == x)
            for x in arg
        )
    if not isinstance(value, str):  # the rest are string operations
        return False
    if op == "prefix":
        return value.startswith(arg)
    if op == "suffix":
        return value.endswith(arg)
    if op == "equals-ignore-case":
        return value.lower() == arg.lower()
    if op == "cidr":
        try:
            return ipaddress.ip_address(value) in ipaddress.ip_network(arg)
        except ValueError:
            return False
    raise AssertionError(op)


def _reference(policy: dict[str, Any], message: dict[str, Any], body: bool) -> bool:
    """AND across keys, OR within a key; a top-level "$or" is any of its objects with the other
    keys; with no attributes at all an attribute policy never matches."""
    if "$or" in policy:
        rest = {k: v for k, v in policy.items() if k != "$or"}
        return any(_reference({**rest, **branch}, message, body) for branch in policy["$or"])
    if not body and not message:
        return False
    return all(
        any(_ref_condition(c, key in message, message.get(key), body) for c in conds)
        for key, conds in policy.items()
    )


_KEYS = ["color", "size", "ip"]
_STRINGS = ["red", "Red", "ball", "baseball", "10.0.0.7", "10.1.0.0", "5", "100", "-3.5", ""]
_NUMBERS = [0, 5, 100, -3.5, 100.5]


def _conditions() -> st.SearchStrategy[Any]:
    text = st.sampled_from([s for s in _STRINGS if s])
    number = st.sampled_from(_NUMBERS)
    return st.one_of(
        text,
        number,
        text.map(lambda s: {"prefix": s[:2]}),
        text.map(lambda s: {"suffix": s[-2:]}),
        text.map(lambda s: {"equals-ignore-case": s.upper()}),
        st.lists(st.one_of(text, number), min_size=1, max_size=3).map(
            lambda xs: {"anything-but": xs}
        ),
        text.map(lambda s: {"anything-but": {"prefix": s[:1]}}),
        st.booleans().map(lambda b: {"exists": b}),
        st.tuples(st.sampled_from(["=", "<", "<=", ">", ">="]), number).map(
            lambda t: {"numeric": list(t)}
        ),
        st.tuples(number, number)
        .filter(lambda t: t[0] < t[1])
        .map(lambda t: {"numeric": [">=", t[0], "<", t[1]]}),
        st.sampled_from(["10.0.0.0/24", "10.0.0.0/8", "::/0"]).map(lambda c: {"cidr": c}),
    )


_POLICIES = st.dictionaries(
    st.sampled_from(_KEYS), st.lists(_conditions(), min_size=1, max_size=3), min_size=1
)
_OR_POLICIES = st.tuples(
    st.dictionaries(st.just("color"), st.lists(_conditions(), min_size=1, max_size=2)),
    st.lists(
        st.dictionaries(
            st.sampled_from(["size", "ip"]),
            st.lists(_conditions(), min_size=1, max_size=2),
            min_size=1,
        ),
        min_size=2,
        max_size=3,
    ),
).map(lambda t: {**t[0], "$or": t[1]})


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(_POLICIES, _OR_POLICIES),
    st.dictionaries(st.sampled_from(_KEYS), st.sampled_from([s for s in _STRINGS if s])),
)
def test_attribute_matching_agrees_with_the_reference(policy, attributes) -> None:
    """For any policy of the documented operators and any message attributes, the engine and the
    reference matcher agree."""
    assert _attrs(policy, attributes) is _reference(policy, attributes, body=False)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(_POLICIES, _OR_POLICIES),
    st.dictionaries(
        st.sampled_from(_KEYS),
        st.one_of(st.sampled_from(_STRINGS), st.sampled_from(_NUMBERS), st.booleans()),
    ),
)
def test_body_matching_agrees_with_the_reference(policy, body) -> None:
    """The same for a JSON body: strings meet string operations, numbers numeric ones."""
    assert _body(policy, body) is _reference(policy, body, body=True)
