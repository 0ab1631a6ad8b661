"""How an event reads: one line, the same in `sandbox log`, in a scenario and in `--compare`.

Rules:
- `t=31s MessageReceived orders m1 receipt=m1#2 receive_count=2 visible_at=61s (ReceiveMessage)`:
  the time, the kind, the resource, the message id, then every other field as `key=value`, then
  the cause in parentheses.
- Times are seconds with their unit (`visible_at=61s`, `duration=1.5s`): a field the engine keeps
  in milliseconds (`visible_at_ms`) reads without its `_ms`. `--json` keeps the engine's own data.
- Values are plain text (`true`, `m1,m2`, `env:RELEASE=2`), never Python reprs, and never cut:
  a screen that is too narrow wraps them.
- The cause is said in words: an AWS API action stays as it is (`ReceiveMessage`: the learner
  calls it), a rule the engine applied reads as what happened (`sqs_visibility_range` →
  `visibility timeout ran out`). The rule's id stays in `--json` (`"cause"`), where it names the
  fact behind the rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from studyaws.engine import events as ev
from studyaws.engine.events import Event, ms_to_s

# The rule behind an event, as a learner would say what happened. Every cause the engine emits
# that is not an AWS action name has a line here (tests/sandbox/test_wording.py holds them).
CAUSE_WORDS: Final[Mapping[str, str]] = {
    "alb_lambda_limits": "ALB and Lambda target",
    "autoscaling_cooldown": "cooldown not over",
    "autoscaling_scale_in": "scale-in",
    "cloudwatch_backlog_per_instance": "backlog per instance",
    "codedeploy_lambda_hooks": "alarm or hook failed: roll back",
    "codedeploy_lambda_predefined": "deployment configuration",
    "codedeploy_lambda_types": "CodeDeploy deployment",
    "eb_cron_expression": "cron schedule",
    "eb_rate_expression": "rate schedule",
    "eb_schedule_service_name": "schedule due",
    "lambda_account_concurrency": "account concurrency used up",
    "lambda_async_event_age": "retried until the maximum event age",
    "lambda_async_retries": "async retry policy",
    "lambda_destinations": "destination",
    "lambda_esm_filter_sqs": "matched no filter: deleted",
    "lambda_init_timeout": "Init took longer than 10 s",
    "lambda_invocation_types": "asynchronous invocation",
    "lambda_payload_sync": "6 MB synchronous payload limit",
    "lambda_lifecycle_phases": "execution environment",
    "lambda_provisioned_concurrency": "provisioned concurrency",
    "lambda_recursion_threshold": "recursive loop detected",
    "lambda_reserved_concurrency": "reserved concurrency reached",
    "lambda_snapstart_limits": "SnapStart snapshot",
    "lambda_snapstart_runtimes": "SnapStart restore",
    "lambda_sqs_batch_size": "batch from the event source mapping",
    "lambda_sqs_partial_batch": "batch result",
    "lambda_sqs_scaling": "pollers scale with the backlog",
    "lambda_timeout_max": "function timed out",
    "lambda_versions": "version published",
    "lambda_vpc_access": "no route out of the VPC",
    "s3_event_notifications": "S3 event notification",
    "sns_fanout_sqs": "fan-out",
    "sns_fifo_topics": "FIFO topic",
    "sns_filter_scope": "filter policy did not match",
    "sns_replay": "replay from the archive",
    "sns_retry_aws_endpoints": "delivery failed",
    "sqs_delay_range": "delay over",
    "sqs_delete_after_processing": "processed and deleted",
    "sqs_dlq_redrive": "DLQ redrive",
    "sqs_extended_client": "extended client: payload in S3",
    "sqs_fifo_dedup_interval": "deduplication interval",
    "sqs_long_poll_wait": "long polling",
    "sqs_max_receive_count": "maxReceiveCount reached",
    "sqs_message_attributes": "message attributes",
    "sqs_retention_default": "retention period over",
    "sqs_short_poll_sampling": "short poll sampled some servers",
    "sqs_standard_delivery": "standard queue: at-least-once",
    "sqs_visibility_range": "visibility timeout ran out",
    "stale_receipt_handle_accepted": "an older receipt handle still deletes",
    "target_tracking": "target tracking",
}
_API_ACTION = re.compile(r"^[A-Z][A-Za-z0-9.]*$")
# Fields every line shows in its own place, or that say nothing on their own.
_OWN_PLACE: Final = frozenset({"at", "at_ms", "seq", "kind", "resource", "message_id", "cause"})
# Creation events: their attributes are the command the learner just typed.
_QUIET_FIELDS: Final = frozenset(
    cls.__name__ for cls in (ev.QueueCreated, ev.QueueAttributesChanged, ev.FunctionCreated)
)


def cause_words(cause: str) -> str:
    """`sqs_visibility_range` → `visibility timeout ran out`; `ReceiveMessage` stays."""
    if _API_ACTION.match(cause):
        return cause
    return CAUSE_WORDS.get(cause, cause.replace("_", " "))


def value_text(value: Any) -> str:
    """A value as a learner reads it: `true`, `m1,m2`, `VisibilityTimeout:30`, `null`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, list | tuple):
        if value and all(isinstance(x, list | tuple) and len(x) == 2 for x in value):
            return ",".join(f"{k}:{value_text(v)}" for k, v in value)
        return ",".join(value_text(x) for x in value)
    if isinstance(value, dict):
        return ",".join(f"{k}:{value_text(v)}" for k, v in value.items())
    return str(value)


def _data(event: Event | Mapping[str, Any]) -> Mapping[str, Any]:
    return event.to_dict() if isinstance(event, Event) else event


def fields(event: Event | Mapping[str, Any]) -> list[tuple[str, str]]:
    """The event's own fields as (name, text), times in seconds (`visible_at`, `61s`)."""
    out = []
    for key, value in _data(event).items():
        if key in _OWN_PLACE or value in (None, [], ()):
            continue
        if key.endswith("_ms") and isinstance(value, int) and not isinstance(value, bool):
            out.append((key[:-3], f"{ms_to_s(value)}s"))
        else:
            out.append((key, value_text(value)))
    return out


def event_line(event: Event | Mapping[str, Any]) -> str:
    """`t=31s MessageReceived orders m1 receipt=m1#2 ... (ReceiveMessage)`, from an event or
    from its JSON form (`log --json`)."""
    data = _data(event)
    parts = [f"t={data['at']}s", str(data["kind"]), str(data["resource"])]
    if data.get("message_id"):
        parts.append(str(data["message_id"]))
    if data["kind"] not in _QUIET_FIELDS:
        parts.extend(f"{k}={v}" for k, v in fields(data))
    return " ".join(parts) + f" ({cause_words(str(data['cause']))})"
