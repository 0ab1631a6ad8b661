"""SNS subscription filter policies: read and check a policy, then match messages against it.

The rules come from the SNS developer guide's filter-policy pages, each cited again above its code:
sns-subscription-filter-policies, and-or-logic, string-value-matching, numeric-value-matching,
attribute-key-matching and subscription-filter-policy-constraints (all under
https://docs.aws.amazon.com/sns/latest/dg/).

- A policy is a JSON object of property names, each with an array of match conditions: every
  property must match (AND), one of its conditions is enough (OR). `"$or"` joins whole objects.
- Scope `MessageAttributes` (the default) matches the message's attributes and takes no nested
  object; scope `MessageBody` matches the properties of a JSON body and may nest objects. In a
  body, strings match string conditions and numbers numeric ones (a `prefix` never matches 1234);
  the simulation's attributes are all of type String, and a numeric condition reads one that
  parses as a number (docs/fidelity.md, "SNS numeric filters").
- A policy is checked when it is set: five keys, 150 value combinations, numbers within ±10⁹,
  wildcard complexity. A bad policy is `InvalidParameter`; the subscription is not changed.

`parse_policy` returns a `FilterPolicy`: the policy expanded into its `$or` branches, each a tuple
of (property path, conditions); matching is a plain walk over it.
"""

from __future__ import annotations

import ipaddress
import json
import math
import re
from dataclasses import dataclass
from typing import Any, Final

from studyaws.engine.errors import InvalidParameter

FILTER_MAX_KEYS: Final = 5  # sns_filter_limits
FILTER_MAX_COMBINATIONS: Final = 150  # sns_filter_limits_combinations
NUMERIC_MAX: Final = 1_000_000_000  # sns_filter_numeric_range: -10^9 to 10^9
NUMERIC_DECIMALS: Final = 5  # sns_filter_numeric_range: "five digits of accuracy"
WILDCARDS_PER_PATTERN_MAX: Final = 3  # sns_filter_wildcards
WILDCARD_COMPLEXITY_MAX: Final = 100  # sns_filter_wildcard_complexity
POLICY_MAX_BYTES: Final = 256 * 1024  # sns_filter_limits_policy_size

OR_KEY: Final = "$or"
OPERATORS: Final = frozenset(
    {
        "prefix",
        "suffix",
        "anything-but",
        "exists",
        "numeric",
        "equals-ignore-case",
        "cidr",
        "wildcard",
    }
)
_ANYTHING_BUT_PATTERNS: Final = frozenset({"prefix", "suffix", "wildcard"})
_RANGE_LOW: Final = frozenset({">", ">="})
_RANGE_HIGH: Final = frozenset({"<", "<="})
_COMPARE: Final = frozenset({"=", *_RANGE_LOW, *_RANGE_HIGH})
_TEXT_TYPES: Final = (str,)

Path = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Condition:
    """One match condition: `kind` is `exact` or an operator name; `arg` its checked argument."""

    kind: str
    arg: Any


Branch = tuple[tuple[Path, tuple[Condition, ...]], ...]


@dataclass(frozen=True, slots=True)
class FilterPolicy:
    """A checked policy: its `$or` branches (a message matches when one branch matches)."""

    branches: tuple[Branch, ...]
    body_scope: bool

    def matches_attributes(self, attributes: dict[str, str]) -> bool:
        # attribute-key-matching: '"exists": false only matches if at least one attribute is
        # present. An empty set of attributes results in the filter not matching.'
        if not attributes:
            return False
        return any(
            all(
                _key_matches(conds, [attributes[p[0]]] if p[0] in attributes else [], False)
                for p, conds in branch
            )
            for branch in self.branches
        )

    def matches_body(self, body: str) -> bool:
        # message-filtering: "Filter policies for the message body assume that the message
        # payload is a well-formed JSON object."
        try:
            data = json.loads(body)
        except ValueError:
            return False
        if not isinstance(data, dict):
            return False
        return any(
            all(_key_matches(conds, _values_at(data, p), True) for p, conds in branch)
            for branch in self.branches
        )


def parse_policy(text: str, *, body_scope: bool) -> FilterPolicy:
    """Read and check a filter policy (Subscribe's FilterPolicy); InvalidParameter if bad."""
    # subscription-filter-policy-constraints: "The maximum size of a filter policy is 256 KB."
    if len(text.encode()) > POLICY_MAX_BYTES:
        raise _bad(f"Filter policy is larger than {POLICY_MAX_BYTES} bytes")
    try:
        policy = json.loads(text)
    except ValueError:
        raise _bad("failed to parse JSON.") from None
    if not isinstance(policy, dict) or not policy:
        raise _bad("must be a non-empty JSON object")
    branches = _expand(policy, (), body_scope)
    # subscription-filter-policy-constraints: "A filter policy can have a maximum of five keys."
    # and, for payload-based filtering, "For a nested policy, only leaf keys are counted towards
    # the five key limit." (Keys inside "$or" branches count once each.)
    keys = {path for branch in branches for path, _conds in branch}
    if len(keys) > FILTER_MAX_KEYS:
        raise _bad(f"Filter policy can not have more than {FILTER_MAX_KEYS} keys")
    # "The total combination of values in a filter policy must not exceed 150. To calculate the
    # total combination, multiply the number of values in each array in the filter policy." For
    # a nested policy the page multiplies each key's match operators by its nested level
    # (4 x 3 x 3 x 2 = 72); an "$or" adds up its branches.
    if _combinations(policy, 1) > FILTER_MAX_COMBINATIONS:
        raise _bad("Filter policy is too complex")
    _check_wildcard_complexity(branches)
    return FilterPolicy(branches, body_scope)


def _bad(reason: str) -> InvalidParameter:
    return InvalidParameter(f"Invalid parameter: Attributes Reason: FilterPolicy: {reason}")


# -- reading a policy --------------------------------------------------------------------------


def _is_or(key: str, value: Any) -> bool:
    # and-or-logic: 'Amazon SNS only recognizes an "$or" relationship when the policy has met all
    # of the following conditions. When all of these conditions are not met, "$or" is treated as
    # a regular attribute name'. The conditions (those of AWS's event-ruler, which the page
    # follows): an array after "$or", at least two objects in it, and no match-operator keyword
    # as a field name in those objects.
    return (
        key == OR_KEY
        and isinstance(value, list)
        and len(value) >= 2
        and all(isinstance(v, dict) and v and not (set(v) & OPERATORS) for v in value)
    )


def _expand(obj: dict[str, Any], prefix: Path, body_scope: bool) -> tuple[Branch, ...]:
    """The policy object `obj` (at `prefix`) as its `$or` branches."""
    branches: list[list[tuple[Path, tuple[Condition, ...]]]] = [[]]
    for key, value in obj.items():
        if _is_or(key, value):
            alternatives = [b for item in value for b in _expand(item, prefix, body_scope)]
            branches = [old + list(alt) for old in branches for alt in alternatives]
            continue
        path = (*prefix, key)
        if isinstance(value, dict):
            # subscription-filter-policy-constraints: "Amazon SNS doesn't accept a nested filter
            # policy for attribute-based filtering." / "Amazon SNS accepts a nested filter policy
            # for payload-based filtering."
            if not body_scope:
                raise _bad(
                    "Filter policy scope MessageAttributes does not support nested filter policy"
                )
            if not value:
                raise _bad(f'"{key}" must be an object or an array')
            nested = _expand(value, path, body_scope)
            branches = [old + list(alt) for old in branches for alt in nested]
            continue
        if not isinstance(value, list):
            raise _bad(f'"{key}" must be an object or an array')
        if not value:
            raise _bad("Empty arrays are not allowed")
        conds = tuple(_condition(item) for item in value)
        branches = [[*old, (path, conds)] for old in branches]
    return tuple(tuple(b) for b in branches)


def _combinations(obj: dict[str, Any], depth: int) -> int:
    total = 1
    for key, value in obj.items():
        if _is_or(key, value):
            total *= sum(_combinations(item, depth) for item in value)
        elif isinstance(value, dict):
            total *= _combinations(value, depth + 1)
        elif isinstance(value, list):
            total *= len(value) * depth
    return total


def _condition(item: Any) -> Condition:
    if item is None or isinstance(item, str | bool):
        return Condition("exact", item)
    if isinstance(item, int | float):
        return Condition("exact", _policy_number(item))
    if not isinstance(item, dict):
        raise _bad("Match value must be String, number, true, false, or null")
    if len(item) != 1:
        raise _bad("Only one key allowed in match expression")
    [(name, arg)] = item.items()
    if name not in OPERATORS:
        raise _bad(f"Unrecognized match type {name}")
    if name in ("prefix", "suffix", "equals-ignore-case"):
        if not isinstance(arg, str):
            raise _bad(f"{name} match pattern must be a string")
        return Condition(name, arg)
    if name == "wildcard":
        return Condition(name, _wildcard(arg))
    if name == "exists":
        # attribute-key-matching: "exists" takes true or false.
        if not isinstance(arg, bool):
            raise _bad("exists match pattern must be either true or false.")
        return Condition(name, arg)
    if name == "numeric":
        return Condition(name, _numeric_range(arg))
    if name == "cidr":
        return Condition(name, _network(arg))
    return Condition(name, _anything_but(arg))


def _policy_number(value: float) -> float:
    # subscription-filter-policy-constraints: "For numeric matching, the value can range from
    # -10^9 to 10^9 (-1 billion to 1 billion), with five digits of accuracy after the decimal
    # point."
    if isinstance(value, bool) or not math.isfinite(value) or abs(value) > NUMERIC_MAX:
        raise _bad(f"numeric values must be between -{NUMERIC_MAX} and {NUMERIC_MAX} (got {value})")
    return round(float(value), NUMERIC_DECIMALS)


def _numeric_range(arg: Any) -> tuple[tuple[str, float], ...]:
    # numeric-value-matching: ["=", 301.5], [">", 0], [">", 0, "<=", 150] — one comparison, or a
    # lower bound then an upper bound (the wording of each error is AWS's, as LocalStack's
    # AWS-validated tests record it).
    if not isinstance(arg, list) or not arg:
        raise _bad("Invalid member in numeric match: ]")
    if len(arg) > 4:
        raise _bad("Too many terms in numeric range expression")
    pairs: list[tuple[str, float]] = []
    for i in range(0, len(arg), 2):
        op = arg[i]
        if not isinstance(op, str) or op not in _COMPARE:
            raise _bad(f"Unrecognized numeric range operator: {op}")
        limit = arg[i + 1] if i + 1 < len(arg) else None
        if not isinstance(limit, int | float) or isinstance(limit, bool):
            raise _bad(f"Value of {'equals' if op == '=' else op} must be numeric")
        pairs.append((op, _policy_number(limit)))
    if len(pairs) == 2:
        (low_op, low), (high_op, high) = pairs
        if low_op not in _RANGE_LOW:
            raise _bad("Too many elements in numeric expression")
        if high_op not in _RANGE_HIGH:
            raise _bad(f"Bad numeric range operator: {high_op}")
        if high <= low:
            raise _bad("Bottom must be less than top")
    return tuple(pairs)


def _network(arg: Any) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    # string-value-matching, IP address matching: "You can use the cidr operator to check whether
    # an incoming message originates from a specific IP address or subnet."
    # ("source_ip":[{"cidr": "10.0.0.0/24"}] matches 10.0.0.0 and 10.0.0.255, not 10.1.1.0.)
    if not isinstance(arg, str):
        raise _bad("cidr match pattern must be a string")
    address, sep, mask = arg.partition("/")
    if not sep or "/" in mask:
        raise _bad("Malformed CIDR, one '/' required")
    if not mask.isdigit():
        raise _bad("Malformed CIDR, mask bits must be an integer")
    try:
        return ipaddress.ip_network(arg, strict=False)
    except ValueError:
        raise _bad(f"Nonstandard IP address: {address}") from None


def _wildcard(arg: Any) -> tuple[str, re.Pattern[str]]:
    """A wildcard pattern: its text and the expression it stands for."""
    # string-value-matching: "You can use the wildcard character (*) to match string values";
    # subscription-filter-policy-constraints: "Maximum 3 wildcards per pattern".
    if not isinstance(arg, str):
        raise _bad("wildcard match pattern must be a string")
    if arg.count("*") > WILDCARDS_PER_PATTERN_MAX:
        raise _bad(f"wildcard pattern {arg!r} has more than {WILDCARDS_PER_PATTERN_MAX} wildcards")
    return arg, re.compile(".*".join(re.escape(part) for part in arg.split("*")), re.DOTALL)


def _anything_but(arg: Any) -> tuple[str, Any]:
    # string-value-matching: anything-but takes values ("anything-but": ["rugby", "tennis"]), or
    # a prefix, a suffix or a wildcard ({"anything-but": {"prefix": "order-"}}); numeric-value-
    # matching: numbers ({"anything-but": [100, 500]}).
    if isinstance(arg, dict):
        if len(arg) != 1 or next(iter(arg)) not in _ANYTHING_BUT_PATTERNS:
            raise _bad(f"Unsupported anything-but pattern: {', '.join(map(str, arg)) or '{}'}")
        [(name, inner)] = arg.items()
        if name == "wildcard":
            return name, _wildcard(inner)
        if not isinstance(inner, str):
            raise _bad(f"{name} match pattern must be a string")
        return name, inner
    values = arg if isinstance(arg, list) else [arg]
    if not values:
        raise _bad("Empty arrays are not allowed")
    out: list[str | float] = []
    for v in values:
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, int | float) and not isinstance(v, bool):
            out.append(_policy_number(v))
        else:
            raise _bad("Inside anything but list, start|null|boolean is not supported.")
    return "values", tuple(out)


def _check_wildcard_complexity(branches: tuple[Branch, ...]) -> None:
    # subscription-filter-policy-constraints, wildcards: "Total wildcard complexity across all
    # fields must not exceed 100 points"; "Field complexity = (Sum of pattern points) x (Number
    # of patterns)"; a single wildcard is 1 point, multiple wildcards 3 points, anything-but
    # 1 point. (Counted for the fields that use a wildcard.)
    fields = {path: conds for branch in branches for path, conds in branch}
    total = 0
    for conds in fields.values():
        if not any(_is_wildcard(c) for c in conds):
            continue
        points = sum(_points(c) for c in conds)
        total += points * len(conds)
    if total > WILDCARD_COMPLEXITY_MAX:
        raise _bad(
            f"wildcard complexity {total} is over {WILDCARD_COMPLEXITY_MAX} points (use fewer "
            f"wildcards or fewer patterns)"
        )


def _is_wildcard(c: Condition) -> bool:
    return c.kind == "wildcard" or (c.kind == "anything-but" and c.arg[0] == "wildcard")


def _points(c: Condition) -> int:
    if c.kind == "anything-but":
        return 1
    if c.kind == "wildcard":
        return 1 if c.arg[0].count("*") <= 1 else 3
    return 0


# -- matching ----------------------------------------------------------------------------------


def _values_at(node: Any, path: Path) -> list[Any]:
    """The values a message body holds at `path`; arrays (of values or objects) give each of
    their items ("customer_interests": ["rugby", "baseball"] holds two values)."""
    if isinstance(node, list):
        return [v for item in node for v in _values_at(item, path)]
    if not path:
        return [node]
    if isinstance(node, dict) and path[0] in node:
        return _values_at(node[path[0]], path[1:])
    return []


def _key_matches(conds: tuple[Condition, ...], values: list[Any], body: bool) -> bool:
    """OR over one property's conditions; `values` is empty when the property is absent."""
    return any(_condition_matches(c, values, body) for c in conds)


def _condition_matches(c: Condition, values: list[Any], body: bool) -> bool:
    kind = c.kind
    if kind == "exists":
        # attribute-key-matching: exists true matches a present property, false an absent one.
        return bool(values) is bool(c.arg)
    if kind == "anything-but":
        # string-value-matching: it "matches any message attribute or message body values that
        # don't include any of the policy property values" — an array holding one value that
        # isn't excluded matches (["rugby", "baseball"] against ["rugby", "tennis"]); an absent
        # property does not (combine with "exists": false for that).
        return any(not _excluded(c.arg, v, body) for v in values)
    return any(_value_matches(c, v, body) for v in values)


def _value_matches(c: Condition, value: Any, body: bool) -> bool:
    kind, arg = c.kind, c.arg
    if kind == "exact":
        if isinstance(arg, float):
            number = _message_number(value, body)
            return number is not None and number == arg
        if isinstance(value, bool) or arg is None or isinstance(arg, bool):
            return value is arg if body else False
        return isinstance(value, str) and value == arg
    if kind == "numeric":
        number = _message_number(value, body)
        return number is not None and all(_compare(number, op, limit) for op, limit in arg)
    # numeric-value-matching: "Prefixes are supported for string matching only." The string
    # operators below read strings only: a JSON number 1234 never has the prefix "12".
    if not isinstance(value, str):
        return False
    if kind == "prefix":
        return value.startswith(arg)
    if kind == "suffix":
        return value.endswith(arg)
    if kind == "equals-ignore-case":
        return bool(value.casefold() == arg.casefold())
    if kind == "wildcard":
        return arg[1].fullmatch(value) is not None
    if kind == "cidr":
        try:
            return ipaddress.ip_address(value) in arg
        except ValueError:
            return False
    return False


def _excluded(arg: tuple[str, Any], value: Any, body: bool) -> bool:
    how, what = arg
    if how == "values":
        for excluded in what:
            if isinstance(excluded, float):
                number = _message_number(value, body)
                if number is not None and number == excluded:
                    return True
            elif isinstance(value, str) and value == excluded:
                return True
        return False
    if not isinstance(value, str):
        return False
    if how == "prefix":
        return bool(value.startswith(what))
    if how == "suffix":
        return bool(value.endswith(what))
    return bool(what[1].fullmatch(value) is not None)


def _message_number(value: Any, body: bool) -> float | None:
    """A message value as a number for numeric matching, or None. In a body only a JSON number is
    one; an attribute (all of type String here) is one when its text parses as a number. Values
    beyond ±10⁹ are outside what numeric matching covers and never match."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif not body and isinstance(value, _TEXT_TYPES):
        try:
            number = float(value)
        except ValueError:
            return None
    else:
        return None
    if not math.isfinite(number) or abs(number) > NUMERIC_MAX:
        return None
    return round(number, NUMERIC_DECIMALS)


def _compare(number: float, op: str, limit: float) -> bool:
    if op == "=":
        return number == limit
    if op == "<":
        return number < limit
    if op == "<=":
        return number <= limit
    if op == ">":
        return number > limit
    return number >= limit
