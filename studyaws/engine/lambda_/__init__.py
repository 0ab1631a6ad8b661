"""AWS Lambda on the virtual clock: functions, concurrency, sync and async invocation, versions.

The API is built in layers, one module a concept, each layer using the ones before it:

- `config.py` — a function and its configuration (CreateFunction, UpdateFunctionConfiguration,
  reserved concurrency), the limits and defaults;
- `versions.py` — versions, aliases and weighted routing, and the one resolver of a function
  reference (`f`, `f:3`, `f:alias`);
- `executions.py` — concurrency and throttles, what one execution does (`Outcome`), synchronous
  Invoke and the bill;
- `delivery.py` — asynchronous Invoke: the internal queue, retries, destinations and the DLQ.

`Lambda` is the whole API; `world.lambda_` is one.
"""

from __future__ import annotations

from typing import TypedDict

from studyaws.engine.lambda_.config import (
    ACCOUNT_CONCURRENCY,
    DEFAULT_DURATION_MS,
    EVENT_AGE_DEFAULT_S,
    EVENT_AGE_MAX_S,
    EVENT_AGE_MIN_S,
    MEMORY_DEFAULT_MB,
    MEMORY_MAX_MB,
    MEMORY_MIN_MB,
    RETRIES_DEFAULT,
    TIMEOUT_DEFAULT_S,
    TIMEOUT_MAX_S,
    AsyncConfig,
    ConfigValue,
    FailRule,
    Function,
    FunctionConfig,
    RequestTooLargeException,
)
from studyaws.engine.lambda_.delivery import PAYLOAD_ASYNC_BYTES, AsyncDelivery
from studyaws.engine.lambda_.executions import (
    PAYLOAD_SYNC_BYTES,
    Execution,
    FunctionStats,
    InvokeResult,
    Outcome,
    Payload,
)
from studyaws.engine.lambda_.versions import LATEST, Alias, Resolved

__all__ = [
    "ACCOUNT_CONCURRENCY",
    "DEFAULT_DURATION_MS",
    "EVENT_AGE_DEFAULT_S",
    "EVENT_AGE_MAX_S",
    "EVENT_AGE_MIN_S",
    "LATEST",
    "MEMORY_DEFAULT_MB",
    "MEMORY_MAX_MB",
    "MEMORY_MIN_MB",
    "PAYLOAD_ASYNC_BYTES",
    "PAYLOAD_SYNC_BYTES",
    "RETRIES_DEFAULT",
    "TIMEOUT_DEFAULT_S",
    "TIMEOUT_MAX_S",
    "Alias",
    "AsyncConfig",
    "Execution",
    "FailRule",
    "Function",
    "FunctionConfig",
    "FunctionSnapshot",
    "FunctionStats",
    "InvokeResult",
    "Lambda",
    "Outcome",
    "Payload",
    "RequestTooLargeException",
    "Resolved",
]


class AliasSnapshot(TypedDict):
    version: str
    additional_version: str | None
    additional_weight: int


class FunctionSnapshot(TypedDict):
    """One function in `world.snapshot()["functions"]`."""

    configuration: dict[str, ConfigValue]
    reserved_concurrency: int | None
    running: int
    concurrency_peak: int
    queued_events: int
    retries: int
    max_event_age: int
    on_success: str | None
    on_failure: str | None
    dlq: str | None
    versions: list[str]
    aliases: dict[str, AliasSnapshot]
    invocations: int
    errors: int
    throttles: int


class Lambda(AsyncDelivery):
    """The Lambda API of one world (CreateFunction, Invoke, PublishVersion, CreateAlias, ...)."""

    def snapshot(self) -> dict[str, FunctionSnapshot]:
        out: dict[str, FunctionSnapshot] = {}
        for name, fn in self.functions.items():
            a = fn.async_config
            out[name] = {
                "configuration": dict(fn.latest.items()),
                "reserved_concurrency": fn.reserved,
                "running": fn.running,
                "concurrency_peak": fn.peak,
                "queued_events": fn.queued,
                "retries": a.retries,
                "max_event_age": a.max_event_age_s,
                "on_success": str(a.on_success) if a.on_success else None,
                "on_failure": str(a.on_failure) if a.on_failure else None,
                "dlq": str(a.dlq) if a.dlq else None,
                "versions": list(fn.versions),
                "aliases": {
                    al.name: {
                        "version": al.version,
                        "additional_version": al.extra_version,
                        "additional_weight": al.extra_weight,
                    }
                    for al in fn.aliases.values()
                },
                "invocations": fn.invocations,
                "errors": fn.errors,
                "throttles": fn.throttles,
            }
        return out
