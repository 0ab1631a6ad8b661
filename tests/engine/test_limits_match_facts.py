"""The engine's limits are the course's facts: a number the learner reads in `learn` and the
number the simulation enforces can never drift apart.

The engine is pure and does not read YAML, so each limit it enforces is a constant naming its fact
id in a comment; this test holds every such constant to that fact's value.
"""

from __future__ import annotations

import pytest

from studyaws.content.loader import load_course
from studyaws.content.units import to_base
from studyaws.engine import (
    alb,
    esm,
    esm_filters,
    fair,
    s3,
    sns,
    sns_archive,
    sns_filter,
    sqs,
    sqs_batch,
    validation,
)
from studyaws.engine.lambda_ import config as lambda_config
from studyaws.engine.lambda_ import delivery as lambda_delivery
from studyaws.engine.lambda_ import environments as lambda_environments
from studyaws.engine.lambda_ import executions as lambda_executions
from studyaws.engine.lambda_ import recursion as lambda_recursion

FACTS = load_course().facts

# (the engine's constant, its unit, the fact, which end of the fact: "value" or "min")
LIMITS = [
    (sqs.MAX_MESSAGE_BYTES, "bytes", "sqs_max_message_size", "value"),
    (sqs.MAX_ATTRIBUTES, "count", "sqs_message_attributes", "value"),
    (sqs.VISIBILITY_DEFAULT_S, "s", "sqs_visibility_default", "value"),
    (sqs.VISIBILITY_MAX_S, "s", "sqs_visibility_range", "value"),
    (sqs.DELAY_MAX_S, "s", "sqs_delay_range", "value"),
    (sqs.RETENTION_DEFAULT_S, "s", "sqs_retention_default", "value"),
    (sqs.RETENTION_MIN_S, "s", "sqs_retention_min", "value"),
    (sqs.RETENTION_MAX_S, "s", "sqs_retention_max", "value"),
    (sqs.WAIT_MAX_S, "s", "sqs_long_poll_wait", "value"),
    (sqs.RECEIVE_MAX, "messages", "sqs_receive_max_messages", "value"),
    (sqs.MAX_RECEIVE_COUNT, "receives", "sqs_max_receive_count", "value"),
    (sqs.DEDUP_INTERVAL_MS, "ms", "sqs_fifo_dedup_interval", "value"),
    (sqs.GROUP_ID_MAX, "chars", "sqs_message_group_id", "value"),
    (sqs.QUEUE_NAME_MAX, "chars", "sqs_queue_name", "value"),
    (s3.EXTENDED_MAX_BYTES, "bytes", "sqs_extended_client", "value"),
    (sns.MAX_MESSAGE_BYTES, "bytes", "sns_message_size", "value"),
    (sns.FILTER_MAX_KEYS, "keys", "sns_filter_limits", "value"),
    (sns.DEDUP_INTERVAL_MS, "ms", "sns_fifo_topics_dedup_interval", "value"),
    (lambda_config.ACCOUNT_CONCURRENCY, "executions", "lambda_account_concurrency", "value"),
    (lambda_config.UNRESERVED_MIN, "executions", "lambda_reserved_concurrency", "value"),
    (lambda_config.MEMORY_MIN_MB, "MB", "lambda_memory_range", "min"),
    (lambda_config.MEMORY_MAX_MB, "MB", "lambda_memory_range", "value"),
    (lambda_config.ONE_VCPU_MB, "MB", "lambda_cpu_proportional", "value"),
    (lambda_config.TIMEOUT_DEFAULT_S, "s", "lambda_timeout_default", "value"),
    (lambda_config.TIMEOUT_MAX_S, "s", "lambda_timeout_max", "value"),
    (lambda_config.ENV_MAX_BYTES, "bytes", "lambda_env_vars", "value"),
    (lambda_config.RETRIES_DEFAULT, "attempts", "lambda_async_retries", "value"),
    (lambda_config.EVENT_AGE_MIN_S, "s", "lambda_async_event_age", "min"),
    (lambda_config.EVENT_AGE_MAX_S, "s", "lambda_async_event_age", "value"),
    (lambda_executions.PAYLOAD_SYNC_BYTES, "bytes", "lambda_payload_sync", "value"),
    (lambda_delivery.PAYLOAD_ASYNC_BYTES, "bytes", "lambda_payload_async", "value"),
    (lambda_executions.FREE_REQUESTS, "requests", "lambda_free_tier_requests", "value"),
    (lambda_executions.FREE_GB_S, "GB-s", "lambda_free_tier_gbs", "value"),
    (lambda_executions.PRICE_PER_REQUEST * 1_000_000, "USD", "lambda_pricing", "value"),
    (esm.BATCH_MAX_STANDARD, "messages", "lambda_sqs_batch_size", "value"),
    (esm.BATCH_MAX_FIFO, "messages", "lambda_sqs_batch_size_fifo", "value"),
    (esm.WINDOW_MAX_S, "s", "lambda_sqs_batching_window", "value"),
    (alb.LIMIT_BYTES, "bytes", "alb_lambda_limits", "value"),
    # issue 15: the rules of validation, filter policies, batches and queue names
    (sqs.QUEUE_REUSE_WAIT_MS, "ms", "sqs_queue_deleted_recently", "value"),
    (sqs_batch.BATCH_MAX_ENTRIES, "messages", "sqs_batch_entries", "value"),
    (validation.ID_MAX, "chars", "sqs_message_group_id", "value"),
    (validation.ATTRIBUTE_NAME_MAX, "chars", "sqs_message_attribute_name", "value"),
    (validation.SUBJECT_MAX, "chars", "sns_subject_length", "value"),
    (sns_filter.FILTER_MAX_COMBINATIONS, "count", "sns_filter_limits_combinations", "value"),
    (sns_filter.NUMERIC_MAX, "count", "sns_filter_numeric_range", "value"),
    (-sns_filter.NUMERIC_MAX, "count", "sns_filter_numeric_range", "min"),
    (sns_filter.WILDCARDS_PER_PATTERN_MAX, "count", "sns_filter_wildcards", "value"),
    (sns_filter.WILDCARD_COMPLEXITY_MAX, "count", "sns_filter_wildcard_complexity", "value"),
    (sns_filter.POLICY_MAX_BYTES, "bytes", "sns_filter_limits_policy_size", "value"),
    # issue 12: the engine learns what behaves
    (esm_filters.FILTERS_MAX, "count", "lambda_esm_filters", "value"),
    (esm.MAX_CONCURRENCY_MIN, "executions", "lambda_sqs_max_concurrency", "min"),
    (esm.MAX_CONCURRENCY_MAX, "executions", "lambda_sqs_max_concurrency", "value"),
    (lambda_environments.INIT_MAX_MS, "ms", "lambda_init_timeout", "value"),
    (lambda_recursion.RECURSION_THRESHOLD, "count", "lambda_recursion_threshold", "value"),
    (sns_archive.ARCHIVE_MIN_DAYS, "days", "sns_archive_retention", "min"),
    (sns_archive.ARCHIVE_MAX_DAYS, "days", "sns_archive_retention", "value"),
    (fair.NOISY_SHARE_PERCENT, "percent", "sqs_fair_queue_noisy_share", "value"),
    (fair.QUIET_AFTER_MS, "ms", "sqs_fair_queue_quiet_again", "value"),
]


@pytest.mark.parametrize(
    ("constant", "unit", "fact_id", "end"),
    LIMITS,
    ids=[f"{fact_id}.{end}" for _, _, fact_id, end in LIMITS],
)
def test_the_engine_enforces_the_fact_the_notes_teach(
    constant: float, unit: str, fact_id: str, end: str
) -> None:
    fact = FACTS[fact_id]
    value = fact.min if end == "min" else fact.value
    assert isinstance(value, int | float)
    assert to_base(constant, unit) == pytest.approx(to_base(value, fact.unit))
