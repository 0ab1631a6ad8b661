"""AWS Lambda on the virtual clock: functions, concurrency, sync and async invocation, versions.

A function here has no code: its behaviour is data (`FunctionConfig`) — how long it runs, when it
fails (`FailRule`), what it returns — so every outcome is decided when an execution starts and
lands at its end time. Rules of the model, each cited again above the code that enforces it:

- An execution holds one unit of concurrency from its start to its end. A function with reserved
  concurrency N runs at most N at once; the others share the account pool (1,000) minus every
  reservation (lambda_account_concurrency, lambda_reserved_concurrency). No capacity ⇒ throttle.
- Synchronous (`invoke`): a throttle is `TooManyRequestsException` (429); a function error is a
  200 with `FunctionError` (LAM-16, subtle semantics 9). The caller does not move the clock: the
  sandbox is many clients at once, and the execution ends at its own time.
- Asynchronous (`invoke_async`): 202 at once; the event waits in the function's internal queue
  and is attempted at ACTOR priority. Function errors are retried after 1 then 2 minutes
  (`retries` 0–2); throttles are retried with backoff 1 s → 5 min without using retries, until
  the maximum event age; then the on-failure destination gets a record and the DLQ the bare event
  (LAM-01..05, LAM-17). Reserved concurrency 0 sends events straight there.
- Duration scales with memory: the configured `duration_ms` is the run time at 128 MB and CPU
  grows in proportion to memory up to one vCPU at 1,769 MB (lambda_cpu_proportional).
- A function in a VPC without a NAT that calls the internet hangs until its timeout
  (lambda_vpc_access).
- Versions are immutable snapshots of `$LATEST`; an alias points at one version and may send a
  whole-percent share to a second one (lambda_alias_routing). The split is deterministic (smooth
  weighted round robin), not random: 10 % is exactly every tenth invocation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from studyaws.engine import events as ev
from studyaws.engine.clock import ACTOR, STATE
from studyaws.engine.errors import (
    AwsError,
    InvalidParameterValueException,
    ResourceConflictException,
    ResourceNotFoundException,
    TooManyRequestsException,
    ValidationException,
)
from studyaws.engine.targets import Target, arn, is_fifo, iso, parse_target, send_to

if TYPE_CHECKING:
    from studyaws.engine.world import World

# -- limits (docs/fact-ids.md) -------------------------------------------------------------------
ACCOUNT_CONCURRENCY: Final = 1000  # lambda_account_concurrency
UNRESERVED_MIN: Final = 100  # lambda_reserved_concurrency
MEMORY_MIN_MB: Final = 128  # lambda_memory_range
MEMORY_MAX_MB: Final = 10_240  # lambda_memory_range
ONE_VCPU_MB: Final = 1769  # lambda_cpu_proportional
TIMEOUT_DEFAULT_S: Final = 3  # lambda_timeout_default
TIMEOUT_MAX_S: Final = 900  # lambda_timeout_max
ENV_MAX_BYTES: Final = 4096  # lambda_env_vars
RETRIES_DEFAULT: Final = 2  # lambda_async_retries
EVENT_AGE_MIN_S: Final = 60  # lambda_async_event_age
EVENT_AGE_MAX_S: Final = 21_600  # lambda_async_event_age
PAYLOAD_SYNC_BYTES: Final = 6 * 1024 * 1024  # lambda_payload_sync
PAYLOAD_ASYNC_BYTES: Final = 1024 * 1024  # lambda_payload_async
PRICE_PER_REQUEST: Final = 0.20 / 1_000_000  # lambda_pricing
PRICE_PER_GB_S: Final = 0.0000166667  # lambda_pricing (x86 list price)
FREE_REQUESTS: Final = 1_000_000  # lambda_free_tier_requests
FREE_GB_S: Final = 400_000  # lambda_free_tier_gbs
DEFAULT_DURATION_MS: Final = 1000
RETRY_WAITS_MS: Final = (60_000, 120_000)  # lambda_async_retries: 1 minute, then 2 minutes
THROTTLE_BACKOFF_MAX_MS: Final = 300_000  # lambda_async_event_age: 1 s up to 5 minutes

_NAME_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_ALIAS_RE: Final = re.compile(r"^(?!^[0-9]+$)[A-Za-z0-9_-]{1,128}$")


class RequestTooLargeException(AwsError):  # noqa: N818
    code = "RequestTooLargeException"


@dataclass(frozen=True, slots=True)
class FailRule:
    """When the simulated handler fails: `never`, `always`, `first:N` (its first N executions),
    `body:TEXT` (the event contains TEXT), or `respond:JSON` (it returns that JSON)."""

    kind: str = "never"
    n: int = 0
    text: str = ""

    @classmethod
    def parse(cls, text: str) -> FailRule:
        kind, _sep, arg = text.partition(":")
        if kind in ("never", "always") and not arg:
            return cls(kind)
        if kind == "first" and arg.isdigit():
            return cls(kind, int(arg))
        if kind == "body" and arg:
            return cls(kind, 0, arg)
        if kind == "respond" and arg:
            try:
                json.loads(arg)
            except ValueError:
                raise ValueError(f"respond:JSON needs valid JSON, got {arg!r}") from None
            return cls(kind, 0, arg)
        raise ValueError(
            f"bad failure rule {text!r} (never, always, first:N, body:TEXT or respond:JSON)"
        )

    def fails(self, runs_before: int, text: str) -> bool:
        """Whether a run fails, given how many runs came before it and the text it handles
        (`respond` never fails: it returns its JSON)."""
        return (
            self.kind == "always"
            or (self.kind == "first" and runs_before < self.n)
            or (self.kind == "body" and self.text in text)
        )

    def __str__(self) -> str:
        if self.kind == "first":
            return f"first:{self.n}"
        if self.kind in ("body", "respond"):
            return f"{self.kind}:{self.text}"
        return self.kind


@dataclass(frozen=True, slots=True)
class FunctionConfig:
    """What a version freezes: the code's behaviour and the runtime settings."""

    duration_ms: int = DEFAULT_DURATION_MS
    timeout_s: int = TIMEOUT_DEFAULT_S
    memory_mb: int = MEMORY_MIN_MB
    fail: FailRule = field(default_factory=FailRule)
    env: tuple[tuple[str, str], ...] = ()
    vpc: bool = False
    nat: bool = False
    calls_internet: bool = True

    def items(self) -> tuple[tuple[str, Any], ...]:
        out = asdict(self)
        out["fail"] = str(self.fail)
        out["env"] = tuple(f"{k}={v}" for k, v in self.env)
        return tuple(out.items())


@dataclass(frozen=True, slots=True)
class AsyncConfig:
    """The event-invoke configuration (PutFunctionEventInvokeConfig, DeadLetterConfig)."""

    retries: int = RETRIES_DEFAULT
    max_event_age_s: int = EVENT_AGE_MAX_S
    on_success: Target | None = None
    on_failure: Target | None = None
    dlq: Target | None = None


class Alias:
    __slots__ = ("credit", "extra_version", "extra_weight", "name", "version")

    def __init__(self, name: str, version: str, extra: tuple[str, int] | None) -> None:
        self.name = name
        self.version = version
        self.extra_version = extra[0] if extra else None
        self.extra_weight = extra[1] if extra else 0  # percent
        self.credit = 0

    def route(self) -> str:
        # Smooth weighted round robin: exactly `extra_weight` in every 100 invocations.
        if self.extra_version is None or self.extra_weight <= 0:
            return self.version
        self.credit += self.extra_weight
        if self.credit >= 100:
            self.credit -= 100
            return self.extra_version
        return self.version


class Function:
    __slots__ = (
        "aliases",
        "async_config",
        "billed_ms",
        "errors",
        "executions",
        "gb_ms",
        "invocations",
        "last_published",
        "latest",
        "name",
        "peak",
        "queued",
        "reserved",
        "running",
        "throttles",
        "version_errors",
        "versions",
    )

    def __init__(self, name: str, config: FunctionConfig, async_config: AsyncConfig) -> None:
        self.name = name
        self.latest = config
        self.async_config = async_config
        self.versions: dict[str, FunctionConfig] = {}
        self.aliases: dict[str, Alias] = {}
        self.last_published: FunctionConfig | None = None
        self.reserved: int | None = None
        self.running = 0
        self.peak = 0
        self.executions = 0  # for `first:N`
        self.invocations = 0
        self.errors = 0
        self.throttles = 0
        self.billed_ms = 0
        self.gb_ms = 0.0  # GB x ms
        self.queued = 0  # async events waiting in the internal queue
        self.version_errors: dict[str, int] = {}


class Outcome(NamedTuple):
    """What one execution did: `error_type` None means success."""

    duration_ms: int
    error_type: str | None
    error_message: str
    response: Any
    vpc_timeout: bool

    @property
    def failed(self) -> bool:
        return self.error_type is not None


class Execution(NamedTuple):
    request_id: str
    function: Function
    version: str
    config: FunctionConfig
    outcome: Outcome
    on_end: Callable[[Execution], None] | None


class InvokeResult(NamedTuple):
    """A synchronous Invoke response: `status` 200 (202 for Event); `function_error` when the
    function failed (`Unhandled`), with the error object in `payload`."""

    status: int
    request_id: str
    version: str
    function_error: str | None
    payload: Any
    duration_ms: int


class AsyncEvent:
    __slots__ = (
        "enqueued_ms",
        "function",
        "invocations",
        "last",
        "payload",
        "ref",
        "request_id",
        "retries_used",
        "source",
        "throttles",
    )

    def __init__(
        self, request_id: str, function: Function, ref: str, payload: str, now: int, source: str
    ) -> None:
        self.request_id = request_id
        self.function = function
        self.ref = ref
        self.payload = payload
        self.enqueued_ms = now
        self.source = source
        self.invocations = 0
        self.retries_used = 0
        self.throttles = 0
        self.last: Execution | None = None


def _payload_json(payload: str) -> Any:
    try:
        return json.loads(payload)
    except ValueError:
        return payload


def _check_range(name: str, value: int, low: int, high: int) -> None:
    # A value outside the API model's range is rejected by request validation, before Lambda
    # looks at it: ValidationException "1 validation error detected: Value '5' at
    # 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or
    # equal to 2" (cfn-lint#1926; boto3 on MemorySize: parrotfish#38).
    if not low <= value <= high:
        bound = (
            f"less than or equal to {high}" if value > high else f"greater than or equal to {low}"
        )
        raise ValidationException(
            f"1 validation error detected: Value '{value}' at '{name}' failed to satisfy "
            f"constraint: Member must have value {bound}"
        )


class Lambda:
    """The Lambda API of one world (CreateFunction, Invoke, PutFunctionConcurrency, ...)."""

    def __init__(self, world: World, account_concurrency: int = ACCOUNT_CONCURRENCY) -> None:
        self.world = world
        self.clock = world.clock
        self.functions: dict[str, Function] = {}
        self.account_concurrency = account_concurrency
        self._requests = 0
        self._unreserved_running = 0
        self._reserved_total = 0
        self.pending_async = 0  # accepted async events not finished yet (the invariant's count)

    # -- functions -------------------------------------------------------------------------------

    def create_function(
        self,
        name: str,
        *,
        reserved_concurrency: int | None = None,
        retries: int = RETRIES_DEFAULT,
        max_event_age_s: int = EVENT_AGE_MAX_S,
        on_success: str | None = None,
        on_failure: str | None = None,
        dlq: str | None = None,
        **config: Any,
    ) -> str:
        """CreateFunction (+ PutFunctionConcurrency and PutFunctionEventInvokeConfig)."""
        if not _NAME_RE.match(name):
            raise InvalidParameterValueException(
                f"Function name {name!r} must be 1-64 letters, digits, hyphens or underscores."
            )
        if name in self.functions:
            raise ResourceConflictException(f"Function already exist: {name}")
        cfg = self._config(FunctionConfig(), config)
        acfg = self._async_config(
            AsyncConfig(), retries, max_event_age_s, on_success, on_failure, dlq
        )
        if reserved_concurrency is not None:
            self._check_reservation(None, reserved_concurrency)
        fn = Function(name, cfg, acfg)
        self.functions[name] = fn
        self.world.resources[("lambda", name)] = fn
        self.world.emit(ev.FunctionCreated, "CreateFunction", name, configuration=cfg.items())
        if reserved_concurrency is not None:
            self._set_reservation(fn, reserved_concurrency)
        return name

    def update_function(
        self,
        name: str,
        *,
        reserved_concurrency: int | None = None,
        retries: int | None = None,
        max_event_age_s: int | None = None,
        on_success: str | None = None,
        on_failure: str | None = None,
        dlq: str | None = None,
        **config: Any,
    ) -> None:
        """UpdateFunctionConfiguration/Code on `$LATEST` (published versions never change)."""
        fn = self._function(name)
        cfg = self._config(fn.latest, config)
        a = fn.async_config
        acfg = self._async_config(
            a,
            a.retries if retries is None else retries,
            a.max_event_age_s if max_event_age_s is None else max_event_age_s,
            on_success,
            on_failure,
            dlq,
        )
        if reserved_concurrency is not None:
            self._check_reservation(fn, reserved_concurrency)
        fn.latest = cfg
        fn.async_config = acfg
        changes = tuple(sorted((k, _change_text(v)) for k, v in config.items()))
        changes += tuple(
            (k, str(v))
            for k, v in (
                ("retries", retries),
                ("max_event_age_s", max_event_age_s),
                ("on_success", on_success),
                ("on_failure", on_failure),
                ("dlq", dlq),
                ("reserved_concurrency", reserved_concurrency),
            )
            if v is not None
        )
        self.world.emit(ev.FunctionUpdated, "UpdateFunctionConfiguration", name, changes=changes)
        if reserved_concurrency is not None:
            self._set_reservation(fn, reserved_concurrency)

    def _config(self, base: FunctionConfig, changes: dict[str, Any]) -> FunctionConfig:
        unknown = set(changes) - set(FunctionConfig.__dataclass_fields__)
        if unknown:
            raise InvalidParameterValueException(f"Unknown parameter {sorted(unknown)[0]}.")
        if isinstance(changes.get("fail"), str):
            try:
                changes = {**changes, "fail": FailRule.parse(changes["fail"])}
            except ValueError as exc:
                raise InvalidParameterValueException(str(exc)) from None
        if "env" in changes:
            changes = {**changes, "env": tuple(dict(changes["env"]).items())}
        cfg = replace(base, **changes)
        # lambda_timeout_max: "900 s (15 minutes)", adjustable in 1-s increments.
        _check_range("timeout", cfg.timeout_s, 1, TIMEOUT_MAX_S)
        # lambda_memory_range: "128 MB - 10,240 MB in 1-MB increments".
        _check_range("memorySize", cfg.memory_mb, MEMORY_MIN_MB, MEMORY_MAX_MB)
        if cfg.duration_ms < 0:
            raise InvalidParameterValueException("A duration cannot be negative.")
        # lambda_env_vars: "Total size of all environment variables of a function: 4 KB".
        size = sum(len(k.encode()) + len(v.encode()) for k, v in cfg.env)
        if size > ENV_MAX_BYTES:
            raise InvalidParameterValueException(
                f"Lambda was unable to configure your environment variables because the "
                f"environment variables you have provided exceeded the 4KB limit. "
                f"String measured: {size} bytes"
            )
        if cfg.nat and not cfg.vpc:
            raise InvalidParameterValueException("A NAT gateway route needs a VPC (--vpc).")
        return cfg

    def _async_config(
        self,
        base: AsyncConfig,
        retries: int,
        max_event_age_s: int,
        on_success: str | None,
        on_failure: str | None,
        dlq: str | None,
    ) -> AsyncConfig:
        # lambda_async_retries: MaximumRetryAttempts 0-2; lambda_async_event_age: 60 s - 6 h.
        _check_range("maximumRetryAttempts", retries, 0, 2)
        _check_range("maximumEventAgeInSeconds", max_event_age_s, EVENT_AGE_MIN_S, EVENT_AGE_MAX_S)

        def target(text: str | None, allowed: tuple[str, ...], old: Target | None) -> Target | None:
            if text is None:
                return old
            # lambda_destinations: SQS queue, SNS topic, Lambda function (EventBridge and S3
            # are not modelled); lambda_async_dlq: an SQS queue or an SNS topic.
            return parse_target(self.world, text, InvalidParameterValueException, allowed)

        return AsyncConfig(
            retries,
            max_event_age_s,
            target(on_success, ("sqs", "sns", "lambda"), base.on_success),
            target(on_failure, ("sqs", "sns", "lambda"), base.on_failure),
            target(dlq, ("sqs", "sns"), base.dlq),
        )

    def _check_reservation(self, fn: Function | None, n: int) -> None:
        if n < 0:
            raise InvalidParameterValueException("ReservedConcurrentExecutions must be >= 0.")
        # LAM-18 / lambda_reserved_concurrency: "leave at least 100 simultaneous executions
        # unreserved" — the reservation is carved out of the account pool.
        others = self._reserved_total - (fn.reserved or 0 if fn is not None else 0)
        if self.account_concurrency - others - n < UNRESERVED_MIN:
            raise InvalidParameterValueException(
                f"Specified ReservedConcurrentExecutions for function decreases account's "
                f"UnreservedConcurrentExecution below its minimum value of [{UNRESERVED_MIN}]."
            )

    def put_function_concurrency(self, name: str, reserved: int) -> None:
        fn = self._function(name)
        self._check_reservation(fn, reserved)
        self._set_reservation(fn, reserved)
        self.world.emit(
            ev.FunctionUpdated,
            "lambda_reserved_concurrency",
            name,
            changes=(("reserved_concurrency", str(reserved)),),
        )

    def _set_reservation(self, fn: Function, n: int | None) -> None:
        if fn.reserved is None:
            self._unreserved_running -= fn.running
        self._reserved_total += (n or 0) - (fn.reserved or 0)
        fn.reserved = n
        if n is None:
            self._unreserved_running += fn.running

    def _function(self, name: str) -> Function:
        fn = self.functions.get(name)
        if fn is None:
            raise ResourceNotFoundException(f"Function not found: {arn('lambda', name)}")
        return fn

    def function_names(self) -> list[str]:
        return list(self.functions)

    # -- versions and aliases --------------------------------------------------------------------

    def publish_version(self, name: str) -> str:
        """PublishVersion: an immutable snapshot of `$LATEST` (lambda_versions); publishing
        again with nothing changed returns the existing latest version."""
        fn = self._function(name)
        if fn.versions and fn.last_published == fn.latest:
            return next(reversed(fn.versions))
        version = str(len(fn.versions) + 1)
        fn.versions[version] = fn.latest
        fn.last_published = fn.latest
        self.world.emit(ev.VersionPublished, "lambda_versions", name, version=version)
        return version

    def create_alias(
        self, name: str, alias: str, version: str, *, extra: tuple[str, int] | None = None
    ) -> None:
        """CreateAlias, optionally with AdditionalVersionWeights (one extra version)."""
        fn = self._function(name)
        if not _ALIAS_RE.match(alias) or alias == "$LATEST":
            raise InvalidParameterValueException(f"Alias name {alias!r} is not valid.")
        if alias in fn.aliases:
            raise ResourceConflictException(f"Alias already exists: {arn('lambda', name)}:{alias}")
        self._check_alias_target(fn, version, extra)
        fn.aliases[alias] = Alias(alias, version, extra)
        self._emit_alias(fn, fn.aliases[alias], "CreateAlias")

    def update_alias(
        self,
        name: str,
        alias: str,
        version: str,
        *,
        extra: tuple[str, int] | None = None,
        cause: str = "UpdateAlias",
    ) -> None:
        fn = self._function(name)
        current = fn.aliases.get(alias)
        if current is None:
            raise ResourceNotFoundException(f"Alias not found: {arn('lambda', name)}:{alias}")
        self._check_alias_target(fn, version, extra)
        current.version = version
        current.extra_version = extra[0] if extra else None
        current.extra_weight = extra[1] if extra else 0
        current.credit = 0
        self._emit_alias(fn, current, cause)

    def _check_alias_target(
        self, fn: Function, version: str, extra: tuple[str, int] | None
    ) -> None:
        # lambda_alias_routing: an alias points to a version (not another alias); weighted
        # routing splits between two versions, weight 0.0-1.0 (here whole percent).
        for v in (version, *(extra[:1] if extra else ())):
            if v != "$LATEST" and v not in fn.versions:
                raise ResourceNotFoundException(f"Function not found: {arn('lambda', fn.name)}:{v}")
        if extra is not None:
            if extra[0] == version or extra[0] == "$LATEST" or version == "$LATEST":
                raise InvalidParameterValueException(
                    "Alias routing needs two different published versions."
                )
            if not 0 <= extra[1] <= 100:
                raise InvalidParameterValueException("Additional version weight must be 0-100 %.")

    def _emit_alias(self, fn: Function, alias: Alias, cause: str) -> None:
        self.world.emit(
            ev.AliasChanged,
            cause,
            fn.name,
            alias=alias.name,
            version=alias.version,
            additional_version=alias.extra_version,
            additional_weight=alias.extra_weight,
        )

    def resolve(self, ref: str) -> tuple[Function, str, str | None]:
        """`f`, `f:3`, `f:$LATEST` or `f:alias` → (function, version, alias) — routing applied."""
        name, _sep, qualifier = ref.partition(":")
        fn = self._function(name)
        if not qualifier or qualifier == "$LATEST":
            return fn, "$LATEST", None
        if qualifier in fn.versions:
            return fn, qualifier, None
        alias = fn.aliases.get(qualifier)
        if alias is None:
            raise ResourceNotFoundException(
                f"Function not found: {arn('lambda', name)}:{qualifier}"
            )
        return fn, alias.route(), alias.name

    def resolve_for_config(self, ref: str) -> tuple[Function, str, str | None]:
        """Like `resolve`, without routing a request: an alias gives its main version."""
        self.resolve_check(ref)
        name, _sep, qualifier = ref.partition(":")
        fn = self.functions[name]
        alias = fn.aliases.get(qualifier) if qualifier else None
        if alias is not None:
            return fn, alias.version, alias.name
        return fn, qualifier if qualifier in fn.versions else "$LATEST", None

    @staticmethod
    def config_of(fn: Function, version: str) -> FunctionConfig:
        return fn.latest if version == "$LATEST" else fn.versions[version]

    # -- executions ------------------------------------------------------------------------------

    def has_capacity(self, fn: Function) -> bool:
        # lambda_reserved_concurrency: reserved concurrency is "both the maximum and a guaranteed
        # minimum"; lambda_account_concurrency: the rest is shared by all other functions.
        if fn.reserved is not None:
            return fn.running < fn.reserved
        return self._unreserved_running < self.account_concurrency - self._reserved_total

    def _throttle_reason(self, fn: Function) -> str:
        if fn.reserved is not None:
            return "ReservedFunctionConcurrentInvocationLimitExceeded"
        return "ConcurrentInvocationLimitExceeded"

    def next_request_id(self) -> str:
        self._requests += 1
        return f"r{self._requests}"

    def throttled(self, fn: Function, request_id: str) -> None:
        fn.throttles += 1
        self.world.emit(
            ev.InvocationThrottled,
            "lambda_reserved_concurrency"
            if fn.reserved is not None
            else "lambda_account_concurrency",
            fn.name,
            request_id=request_id,
            reason=self._throttle_reason(fn),
        )

    def start(
        self,
        fn: Function,
        version: str,
        payload: str,
        *,
        invocation_type: str,
        request_id: str,
        attempt: int = 1,
        on_end: Callable[[Execution], None] | None = None,
        batch: tuple[tuple[str, str], ...] | None = None,
        report_failures: bool = False,
        fifo: bool = False,
    ) -> Execution | None:
        """Start an execution now if there is capacity (None if throttled — nothing logged)."""
        if not self.has_capacity(fn):
            return None
        cfg = self.config_of(fn, version)
        fn.running += 1
        if fn.reserved is None:
            self._unreserved_running += 1
        fn.peak = max(fn.peak, fn.running)
        fn.executions += 1
        fn.invocations += 1
        outcome = self._decide(fn, cfg, payload, batch, report_failures, fifo)
        execution = Execution(request_id, fn, version, cfg, outcome, on_end)
        self.world.emit(
            ev.FunctionInvoked,
            "Invoke",
            fn.name,
            request_id=request_id,
            invocation_type=invocation_type,
            version=version,
            concurrent=fn.running,
            attempt=attempt,
        )
        self.clock.schedule(self.clock.now_ms + outcome.duration_ms, STATE, self._ended, execution)
        return execution

    def _decide(
        self,
        fn: Function,
        cfg: FunctionConfig,
        payload: str,
        batch: tuple[tuple[str, str], ...] | None,
        report_failures: bool,
        fifo: bool,
    ) -> Outcome:
        timeout_ms = cfg.timeout_s * 1000
        # lambda_vpc_access: a VPC function "never gets a public IP"; outbound internet needs a
        # NAT gateway — without one the call hangs until the function times out.
        if cfg.vpc and not cfg.nat and cfg.calls_internet:
            return Outcome(
                timeout_ms,
                "Sandbox.Timedout",
                f"Task timed out after {cfg.timeout_s} seconds",
                None,
                True,
            )
        # lambda_cpu_proportional: CPU is allocated in proportion to memory (1,769 MB ≈ 1 vCPU);
        # `duration_ms` is the run time at 128 MB of a CPU-bound handler.
        run_ms = -(-cfg.duration_ms * MEMORY_MIN_MB // min(cfg.memory_mb, ONE_VCPU_MB))
        # lambda_timeout_max: an execution longer than the timeout is stopped (a function error).
        if run_ms > timeout_ms:
            return Outcome(
                timeout_ms,
                "Sandbox.Timedout",
                f"Task timed out after {cfg.timeout_s} seconds",
                None,
                False,
            )
        rule = cfg.fail
        if rule.kind != "body" and rule.fails(fn.executions - 1, payload):
            return Outcome(run_ms, "Error", f"simulated failure ({rule})", None, False)
        if rule.kind == "respond":
            return Outcome(run_ms, None, "", json.loads(rule.text), False)
        if rule.kind == "body":
            if batch is None:
                if rule.text in payload:
                    return Outcome(run_ms, "Error", f"body contains {rule.text!r}", None, False)
                return Outcome(run_ms, None, "", None, False)
            bad = [i for i, (_mid, body) in enumerate(batch) if rule.text in body]
            if not bad:
                return Outcome(run_ms, None, "", None, False)
            if not report_failures:
                return Outcome(run_ms, "Error", f"a record contains {rule.text!r}", None, False)
            # LAM-15: on a FIFO source a handler "should stop processing messages after the first
            # failure and return all failed and unprocessed messages in batchItemFailures".
            ids = [mid for mid, _b in batch[bad[0] :]] if fifo else [batch[i][0] for i in bad]
            response = {"batchItemFailures": [{"itemIdentifier": mid} for mid in ids]}
            return Outcome(run_ms, None, "", response, False)
        return Outcome(run_ms, None, "", None, False)

    def _ended(self, execution: Execution) -> None:
        fn = execution.function
        out = execution.outcome
        fn.running -= 1
        if fn.reserved is None:
            self._unreserved_running -= 1
        # lambda_pricing: duration "rounded up to the nearest 1 ms", GB-seconds by memory.
        fn.billed_ms += out.duration_ms
        fn.gb_ms += execution.config.memory_mb / 1024 * out.duration_ms
        if out.vpc_timeout:
            self.world.emit(
                ev.NetworkCallTimedOut,
                "lambda_vpc_access",
                fn.name,
                request_id=execution.request_id,
            )
        if out.failed:
            fn.errors += 1
            fn.version_errors[execution.version] = fn.version_errors.get(execution.version, 0) + 1
            self.world.emit(
                ev.FunctionFailed,
                "lambda_timeout_max" if out.error_type == "Sandbox.Timedout" else "FunctionError",
                fn.name,
                request_id=execution.request_id,
                version=execution.version,
                error_type=out.error_type or "",
                duration_ms=out.duration_ms,
            )
            if self.world.deploy.active:
                self.world.deploy.invocation_failed(fn.name, execution.version)
        else:
            self.world.emit(
                ev.FunctionSucceeded,
                "Invoke",
                fn.name,
                request_id=execution.request_id,
                version=execution.version,
                duration_ms=out.duration_ms,
            )
        if execution.on_end is not None:
            execution.on_end(execution)

    # -- synchronous invoke ----------------------------------------------------------------------

    def invoke(self, ref: str, payload: str) -> InvokeResult:
        """Invoke (RequestResponse). Throttled: `TooManyRequestsException` (429); a function
        error is still a 200 with `FunctionError: Unhandled` (subtle semantics 9)."""
        fn, version, _alias = self.resolve(ref)
        # lambda_payload_sync: 6 MB request.
        if len(payload.encode()) > PAYLOAD_SYNC_BYTES:
            raise RequestTooLargeException(
                f"Request must be smaller than {PAYLOAD_SYNC_BYTES} bytes for the Invoke operation"
            )
        request_id = self.next_request_id()
        execution = self.start(
            fn, version, payload, invocation_type="RequestResponse", request_id=request_id
        )
        if execution is None:
            # LAM-16: "Synchronous requests arriving in excess of the reserved concurrency limit
            # will fail with a throttling error" (TooManyRequestsException, HTTP 429).
            self.throttled(fn, request_id)
            reason = self._throttle_reason(fn)
            raise TooManyRequestsException(f"Rate Exceeded. (Reason: {reason})")
        out = execution.outcome
        self.world.settle()
        if out.failed:
            error = {"errorType": out.error_type, "errorMessage": out.error_message}
            return InvokeResult(200, request_id, version, "Unhandled", error, out.duration_ms)
        return InvokeResult(200, request_id, version, None, out.response, out.duration_ms)

    # -- asynchronous invoke ---------------------------------------------------------------------

    def invoke_async(self, ref: str, payload: str, *, source: str = "Invoke") -> str:
        """Invoke (Event): 202 at once, the event waits in the internal queue (LAM-01)."""
        name = ref.partition(":")[0]
        fn = self._function(name)
        self.resolve_check(ref)
        # lambda_payload_async: 1 MB.
        if len(payload.encode()) > PAYLOAD_ASYNC_BYTES:
            raise RequestTooLargeException(
                f"Request must be smaller than {PAYLOAD_ASYNC_BYTES} bytes for the Invoke operation"
            )
        request_id = self.next_request_id()
        event = AsyncEvent(request_id, fn, ref, payload, self.clock.now_ms, source)
        fn.queued += 1
        self.pending_async += 1
        self.world.emit(
            ev.AsyncEventQueued,
            "lambda_invocation_types",
            fn.name,
            request_id=request_id,
            source=source,
        )
        self.clock.schedule(self.clock.now_ms, ACTOR, self._attempt, event)
        return request_id

    def resolve_check(self, ref: str) -> None:
        """Raise if `ref` names no function, version or alias (without routing a request)."""
        name, _sep, qualifier = ref.partition(":")
        fn = self._function(name)
        known = qualifier in fn.versions or qualifier in fn.aliases
        if qualifier and qualifier != "$LATEST" and not known:
            raise ResourceNotFoundException(
                f"Function not found: {arn('lambda', name)}:{qualifier}"
            )

    def _attempt(self, event: AsyncEvent) -> None:
        fn = event.function
        acfg = fn.async_config
        now = self.clock.now_ms
        deadline = event.enqueued_ms + acfg.max_event_age_s * 1000
        # LAM-05 / lambda_async_event_age: an event that "stays in the asynchronous invocation
        # queue for too long" is discarded (to the on-failure destination / DLQ).
        if now >= deadline:
            self._finish(event, "EventAgeExceeded", "lambda_async_event_age")
            return
        # Subtle semantics 9: reserved concurrency 0 throttles everything, and the event goes
        # straight to the DLQ / on-failure destination without retries.
        if fn.reserved == 0:
            self.throttled(fn, event.request_id)
            self._finish(event, "RetriesExhausted", "lambda_reserved_concurrency")
            return
        try:
            _fn, version, _alias = self.resolve(event.ref)
        except ResourceNotFoundException:
            self._finish(event, "RetriesExhausted", "ResourceNotFoundException")
            return
        execution = self.start(
            fn,
            version,
            event.payload,
            invocation_type="Event",
            request_id=event.request_id,
            attempt=event.invocations + 1,
            on_end=lambda ex: self._attempt_ended(event, ex),
        )
        if execution is None:
            # LAM-03/LAM-17: throttles are retried "with an exponential backoff from 1 second to
            # a maximum of 5 minutes" until the maximum event age, without using retries.
            self.throttled(fn, event.request_id)
            event.throttles += 1
            wait = min(THROTTLE_BACKOFF_MAX_MS, 1000 * 2 ** min(event.throttles - 1, 20))
            at = min(now + wait, deadline)
            self.world.emit(
                ev.AsyncRetryScheduled,
                "lambda_async_event_age",
                fn.name,
                request_id=event.request_id,
                retry_at_ms=at,
                reason="Throttled",
            )
            self.clock.schedule(at, ACTOR, self._attempt, event)
            return
        event.invocations += 1

    def _attempt_ended(self, event: AsyncEvent, execution: Execution) -> None:
        event.last = execution
        fn = event.function
        if not execution.outcome.failed:
            self._finish(event, "Success", "Invoke")
            return
        acfg = fn.async_config
        # LAM-02 / lambda_async_retries: "a one-minute wait between the first two attempts, and
        # two minutes between the second and third"; MaximumRetryAttempts 0-2.
        if event.retries_used < acfg.retries:
            wait = RETRY_WAITS_MS[event.retries_used]
            event.retries_used += 1
            deadline = event.enqueued_ms + acfg.max_event_age_s * 1000
            at = min(self.clock.now_ms + wait, deadline)
            self.world.emit(
                ev.AsyncRetryScheduled,
                "lambda_async_retries",
                fn.name,
                request_id=event.request_id,
                retry_at_ms=at,
                reason="FunctionError",
            )
            self.clock.schedule(at, ACTOR, self._attempt, event)
            return
        self._finish(event, "RetriesExhausted", "lambda_async_retries")

    def _finish(self, event: AsyncEvent, condition: str, cause: str) -> None:
        fn = event.function
        acfg = fn.async_config
        fn.queued -= 1
        self.pending_async -= 1
        routes: list[tuple[Target, str, dict[str, str] | None]] = []
        # LAM-04 / lambda_destinations: on-success and on-failure destinations get a record
        # with request and response details; lambda_async_dlq: the DLQ gets "only the event".
        # Destinations can be configured "in addition to" a DLQ: both receive (M confidence).
        if condition == "Success":
            if acfg.on_success is not None:
                routes.append((acfg.on_success, self._record(event, condition), None))
        else:
            if acfg.on_failure is not None:
                routes.append((acfg.on_failure, self._record(event, condition), None))
            if acfg.dlq is not None:
                last = event.last
                message = last.outcome.error_message if last is not None else condition
                attrs: dict[str, str] | None = {
                    "RequestID": event.request_id,
                    "ErrorCode": "200",
                    "ErrorMessage": message,
                }
                routes.append((acfg.dlq, event.payload, attrs))
        self.world.emit(
            ev.AsyncEventFinished,
            cause,
            fn.name,
            request_id=event.request_id,
            condition=condition,
            invocations=event.invocations,
            routed_to=tuple(str(t) for t, _b, _a in routes),
        )
        for target, body, attrs in routes:
            self._deliver(event, target, body, attrs)

    def _deliver(
        self, event: AsyncEvent, target: Target, body: str, attrs: dict[str, str] | None
    ) -> None:
        # lambda_destinations: "FIFO queues/topics are not supported" — the delivery fails
        # (DestinationDeliveryFailures metric).
        if is_fifo(self.world, target):
            reason = "FIFO queues and topics are not supported as destinations"
        else:
            try:
                send_to(
                    self.world,
                    target,
                    body,
                    source=f"lambda:{event.function.name}",
                    attributes=attrs,
                )
                return
            except AwsError as exc:
                reason = exc.code
        self.world.emit(
            ev.DestinationDeliveryFailed,
            "lambda_destinations",
            event.function.name,
            request_id=event.request_id,
            destination=str(target),
            reason=reason,
        )

    def _record(self, event: AsyncEvent, condition: str) -> str:
        fn = event.function
        last = event.last
        version = last.version if last is not None else "$LATEST"
        record: dict[str, Any] = {
            "version": "1.0",
            "timestamp": iso(self.clock.now_ms),
            "requestContext": {
                "requestId": event.request_id,
                "functionArn": f"{arn('lambda', fn.name)}:{version}",
                "condition": condition,
                "approximateInvokeCount": event.invocations,
            },
            "requestPayload": _payload_json(event.payload),
        }
        if last is not None:
            out = last.outcome
            context: dict[str, Any] = {"statusCode": 200, "executedVersion": version}
            if out.failed:
                context["functionError"] = "Unhandled"
                response: Any = {"errorType": out.error_type, "errorMessage": out.error_message}
            else:
                response = out.response
            record["responseContext"] = context
            record["responsePayload"] = response
        return json.dumps(record, separators=(",", ":"))

    # -- numbers ---------------------------------------------------------------------------------

    def get_function_stats(self, name: str) -> dict[str, Any]:
        """Invocations, Errors, Throttles, ConcurrentExecutions (peak) and the bill."""
        fn = self._function(name)
        gb_s = fn.gb_ms / 1000
        # lambda_pricing / lambda_free_tier_*: $0.20 per million requests and $0.0000166667 per
        # GB-s, after 1 million requests and 400,000 GB-s free per month.
        cost = fn.invocations * PRICE_PER_REQUEST + gb_s * PRICE_PER_GB_S
        after = (
            max(0, fn.invocations - FREE_REQUESTS) * PRICE_PER_REQUEST
            + max(0.0, gb_s - FREE_GB_S) * PRICE_PER_GB_S
        )
        return {
            "invocations": fn.invocations,
            "errors": fn.errors,
            "throttles": fn.throttles,
            "concurrent": fn.running,
            "concurrency_peak": fn.peak,
            "queued_events": fn.queued,
            "billed_ms": fn.billed_ms,
            "gb_seconds": round(gb_s, 6),
            "cost_usd": round(cost, 10),
            "cost_after_free_tier_usd": round(after, 10),
        }

    def snapshot(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
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


def _change_text(value: Any) -> str:
    """A changed setting as plain text: `RELEASE=2` for environment pairs, `true`, else `str()`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple) and all(
        isinstance(pair, list | tuple) and len(pair) == 2 for pair in value
    ):
        return " ".join(f"{k}={v}" for k, v in value)
    return str(value)
