"""What "the model and the real endpoint agree" means for one command (pure).

Both sides answer in the sandbox's JSON contract (DESIGN §4). Two results agree when:

- both succeeded and say the same thing, ignoring what no two endpoints share: the parts of an
  SNS envelope that are stamped or signed (`Timestamp`, `Signature…`, `SigningCertURL`,
  `UnsubscribeURL`, a FIFO topic's `SequenceNumber`), and the account and region in ARNs;
- or both failed with the same AWS error code; the wording of messages is not compared. SQS
  answers each error under two names (the JSON protocol's `QueueDoesNotExist` and the older query
  protocol's `AWS.SimpleQueueService.NonExistentQueue`): either name matches;
- and `now` (seconds since the start) is within `NOW_TOLERANCE_S`: on the real side it is the time
  the script waited (ticks and long polls, measured), which a request's latency can move by a
  fraction of a second.

A command the real side did not run (Lambda, S3, the shell's `log`) is not compared.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

NOW_TOLERANCE_S: Final = 1.0
ENVELOPE_KEYS: Final = ("Type", "MessageId", "TopicArn", "Subject", "Message", "MessageAttributes")
_ARN_RE: Final = re.compile(r"arn:aws:(sns|sqs):[a-z0-9-]*:\d{12}:")
_QUERY_PREFIX: Final = "AWS.SimpleQueueService."

Result = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Comparison:
    agree: bool | None  # None: not compared (the real side skipped the command)
    reason: str = ""  # why not, in a few words


def normalize_arns(text: str) -> str:
    """`arn:aws:sns:eu-west-1:210987654321:t` → `arn:aws:sns:REGION:ACCOUNT:t`."""
    return _ARN_RE.sub(lambda m: f"arn:aws:{m.group(1)}:REGION:ACCOUNT:", text)


def comparable_body(body: str) -> Any:
    """A message body as compared: an SNS envelope reduced to what both sides share."""
    if body.startswith("{") and '"Type"' in body:
        try:
            data = json.loads(body)
        except ValueError:
            return body
        if isinstance(data, dict) and data.get("Type") == "Notification":
            out = {k: data[k] for k in ENVELOPE_KEYS if k in data}
            if isinstance(out.get("TopicArn"), str):
                out["TopicArn"] = normalize_arns(out["TopicArn"])
            return out
    return body


def is_skipped(result: Result) -> bool:
    return bool(result.get("skipped"))


def error_codes(result: Result) -> set[str]:
    """Every name the result's error goes by (see the module docstring)."""
    error = result.get("error") or {}
    codes = set()
    for key in ("code", "query_code"):
        code = error.get(key)
        if isinstance(code, str):
            codes.add(code)
            codes.add(code.removeprefix(_QUERY_PREFIX))
    return codes


def comparable(result: Result) -> dict[str, Any]:
    """The result without what is compared separately (`now`, error wording)."""
    if not result.get("ok"):
        return {"ok": False, "error": sorted(error_codes(result))}
    out: dict[str, Any] = {}
    for key, value in result.items():
        if key == "now":
            continue
        if key == "messages":
            value = [{**m, "body": comparable_body(str(m.get("body", "")))} for m in value]
        out[key] = value
    return out


def compare(model: Result, real: Result, *, now_tolerance_s: float = NOW_TOLERANCE_S) -> Comparison:
    if is_skipped(real):
        return Comparison(None, "not run on the endpoint")
    if bool(model.get("ok")) != bool(real.get("ok")):
        if model.get("ok"):
            return Comparison(False, f"the endpoint refused: {shown_code(real)}")
        return Comparison(False, f"the model refused: {shown_code(model)}")
    if not model.get("ok"):
        code = shown_code(model)
        if code in error_codes(real):
            return Comparison(True)
        return Comparison(False, f"error code {code} vs {shown_code(real)}")
    if comparable(model) != comparable(real):
        return Comparison(False, _what_differs(comparable(model), comparable(real)))
    if "now" in model and "now" in real:
        gap = abs(float(model["now"]) - float(real["now"]))
        if gap > now_tolerance_s:
            return Comparison(False, f"at t={model['now']}s in the model, t={real['now']}s real")
    return Comparison(True)


def shown_code(result: Result) -> str:
    error = result.get("error") or {}
    return str(error.get("code", "?"))


def matching_code(model: Result, real: Result) -> str:
    """The real error's name to show next to the model's: the model's own name when the real
    error goes by it too (`QueueDoesNotExist` rather than the query protocol's name)."""
    code = shown_code(model)
    if not model.get("ok") and code in error_codes(real):
        return code
    return shown_code(real)


def _what_differs(model: dict[str, Any], real: dict[str, Any]) -> str:
    keys = [k for k in dict.fromkeys([*model, *real]) if model.get(k) != real.get(k)]
    if keys == ["messages"]:
        m, r = model["messages"], real["messages"]
        if len(m) != len(r):
            return f"{len(m)} message(s) in the model, {len(r)} real"
        fields = sorted(
            {k for a, b in zip(m, r, strict=True) for k in {*a, *b} if a.get(k) != b.get(k)}
        )
        return "different " + ", ".join(fields)
    return "different " + ", ".join(keys)
