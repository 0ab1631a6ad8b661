"""Event filtering on an SQS event source mapping (`FilterCriteria`).

Rules of the model, each cited again above the code that enforces it:

- A mapping has up to `FILTERS_MAX` filters; each is an EventBridge-style pattern (the operators
  of SNS filter policies: exact values, `prefix`, `suffix`, `anything-but`, `numeric`, `exists`,
  `equals-ignore-case`). The filters are ORed: a record that matches one of them goes into the
  next batch (lambda_esm_filters).
- An SQS mapping filters on the `body` key only (lambda_esm_filter_sqs). A JSON body is matched
  property by property (`{"body": {"type": ["order"]}}`); a body that is not JSON matches only a
  pattern on the whole string (`{"body": ["ping"]}`). A pattern on any other key is rejected when
  the mapping is created (the engine's choice: AWS says only that SQS filters on `body`).
- A message that matches no filter never reaches the function and is deleted from the queue at
  once: it is not returned, not retried and never reaches a DLQ (lambda_esm_filter_sqs).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Final

from studyaws.engine.errors import InvalidParameter, InvalidParameterValueException
from studyaws.engine.sns_filter import FilterPolicy, parse_policy

FILTERS_MAX: Final = 5  # lambda_esm_filters


class FilterCriteria:
    """The compiled `Filters` of one mapping: `matches(body)` is True when one pattern matches."""

    __slots__ = ("patterns", "texts")

    def __init__(self, texts: Sequence[str]) -> None:
        # lambda_esm_filters: "By default, you can define up to five different filters for a
        # single event source mapping" and "If you attempt to add more filters than your current
        # quota permits, Lambda will return an error when you try to create the event source
        # mapping" (invocation-eventfiltering).
        if len(texts) > FILTERS_MAX:
            raise InvalidParameterValueException(
                f"Number of filters ({len(texts)}) exceeds the quota of {FILTERS_MAX} filters per "
                f"event source mapping."
            )
        self.texts = tuple(texts)
        self.patterns = tuple(_parse(text) for text in texts)

    def matches(self, body: str) -> bool:
        # lambda_esm_filters: "Your filters are logically ORed together. If a record from your
        # event source satisfies one or more of your filters, Lambda includes the record in the
        # next event it sends to your function. If none of your filters are satisfied, Lambda
        # discards the record." (invocation-eventfiltering)
        return any(_matches(pattern, body) for pattern in self.patterns)


def _parse(text: str) -> tuple[bool, FilterPolicy]:
    try:
        pattern = json.loads(text)
    except ValueError:
        raise InvalidParameterValueException(
            f"Invalid filter pattern definition: {text!r} is not JSON."
        ) from None
    if not isinstance(pattern, dict) or not pattern:
        raise InvalidParameterValueException(
            "Invalid filter pattern definition: a pattern is a non-empty JSON object."
        )
    # lambda_esm_filter_sqs: "Amazon SQS event source mappings only support filtering on the
    # body key." (with-sqs-filtering)
    unknown = sorted(set(pattern) - {"body"})
    if unknown:
        raise InvalidParameterValueException(
            f"Invalid filter pattern definition: an SQS mapping filters on the body key only "
            f"(got {unknown[0]!r})."
        )
    body = pattern["body"]
    if not isinstance(body, dict | list) or not body:
        raise InvalidParameterValueException(
            "Invalid filter pattern definition: body must be an object or a non-empty array."
        )
    # One matcher for SNS filter policies and these patterns (sns_filter.py): a pattern on the
    # body's properties is a payload policy; a list matches the whole body, as one attribute.
    try:
        if isinstance(body, dict):
            return (False, parse_policy(json.dumps(body), body_scope=True))
        return (True, parse_policy(json.dumps({"body": body}), body_scope=False))
    except InvalidParameter as exc:
        raise InvalidParameterValueException(
            f"Invalid filter pattern definition: {exc.message}"
        ) from None


def _matches(pattern: tuple[bool, FilterPolicy], body: str) -> bool:
    whole, policy = pattern
    if whole:  # a pattern on the whole body: compared with the body as a string
        return policy.matches_attributes({"body": body})
    return policy.matches_body(body)  # a body that is not a JSON object matches no property
