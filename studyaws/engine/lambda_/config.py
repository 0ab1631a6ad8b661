"""Lambda functions and their configuration: what a function is, its limits and defaults, and the
CreateFunction / UpdateFunctionConfiguration / reserved-concurrency calls that change it.

A function here has no code: its behaviour is data (`FunctionConfig`) — how long it runs, when it
fails (`FailRule`), what it returns. `$LATEST` is mutable; published versions (`versions.py`) are
snapshots of it. Every default below is read when a call needs it, never copied.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Final, TypedDict, Unpack

from studyaws.engine import events as ev
from studyaws.engine.errors import (
    AwsError,
    InvalidParameterValueException,
    ResourceConflictException,
    ResourceNotFoundException,
    ValidationException,
)
from studyaws.engine.targets import Target, arn, parse_target
from studyaws.engine.validation import environment_size

if TYPE_CHECKING:
    from studyaws.engine.lambda_.versions import Alias
    from studyaws.engine.world import World

# -- limits and defaults (docs/fact-ids.md) -------------------------------------------------------
ACCOUNT_CONCURRENCY: Final = 1000  # lambda_account_concurrency
UNRESERVED_MIN: Final = 100  # lambda_reserved_concurrency
MEMORY_MIN_MB: Final = 128  # lambda_memory_range
MEMORY_DEFAULT_MB: Final = 128  # lambda_memory_range: the console's and the API's default
MEMORY_MAX_MB: Final = 10_240  # lambda_memory_range
ONE_VCPU_MB: Final = 1769  # lambda_cpu_proportional
TIMEOUT_DEFAULT_S: Final = 3  # lambda_timeout_default
TIMEOUT_MAX_S: Final = 900  # lambda_timeout_max
ENV_MAX_BYTES: Final = 4096  # lambda_env_vars
RETRIES_DEFAULT: Final = 2  # lambda_async_retries
RETRIES_MAX: Final = 2  # lambda_async_retries: MaximumRetryAttempts 0-2
EVENT_AGE_MIN_S: Final = 60  # lambda_async_event_age
EVENT_AGE_MAX_S: Final = 21_600  # lambda_async_event_age
EVENT_AGE_DEFAULT_S: Final = 21_600  # lambda_async_event_age: "default 6 h"
# Not an AWS number: how long the simulated handler runs at 128 MB when nothing is configured.
DEFAULT_DURATION_MS: Final = 1000

_NAME_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


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


_SHOWN_WHEN_SET: Final = ("init_ms", "snapstart", "output")
# A setting as the event log shows it: `fail` as its rule text, `env` as `KEY=VALUE` strings.
ConfigValue = int | bool | str | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FunctionConfig:
    """What a version freezes: the code's behaviour and the runtime settings."""

    duration_ms: int
    timeout_s: int
    memory_mb: int
    fail: FailRule = field(default_factory=FailRule)
    env: tuple[tuple[str, str], ...] = ()
    vpc: bool = False
    nat: bool = False
    calls_internet: bool = True
    # The execution environment (environments.py): how long Init (the code outside the handler)
    # takes, and SnapStart. `output` is what the handler sends with the AWS SDK after each
    # successful run: a queue, topic or bucket, one message per record it handled (recursion.py).
    init_ms: int = 0
    snapstart: bool = False
    output: str = ""

    @classmethod
    def default(cls) -> FunctionConfig:
        """A new function's configuration: the defaults as they are now."""
        return cls(DEFAULT_DURATION_MS, TIMEOUT_DEFAULT_S, MEMORY_DEFAULT_MB)

    def items(self) -> tuple[tuple[str, ConfigValue], ...]:
        out: dict[str, ConfigValue] = asdict(self)
        out["fail"] = str(self.fail)
        out["env"] = tuple(f"{k}={v}" for k, v in self.env)
        # The settings of the execution-environment model show only when they are set.
        for key in _SHOWN_WHEN_SET:
            if not out[key]:
                del out[key]
        return tuple(out.items())


@dataclass(frozen=True, slots=True)
class AsyncConfig:
    """The event-invoke configuration (PutFunctionEventInvokeConfig, DeadLetterConfig)."""

    retries: int
    max_event_age_s: int
    on_success: Target | None = None
    on_failure: Target | None = None
    dlq: Target | None = None

    @classmethod
    def default(cls) -> AsyncConfig:
        return cls(RETRIES_DEFAULT, EVENT_AGE_DEFAULT_S)


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


def check_range(name: str, value: int, low: int, high: int) -> None:
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


def _change_text(value: object) -> str:
    """A changed setting as plain text: `RELEASE=2` for environment pairs, `true`, else `str()`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple) and all(
        isinstance(pair, list | tuple) and len(pair) == 2 for pair in value
    ):
        return " ".join(f"{k}={v}" for k, v in value)
    return str(value)


class FunctionSettings(TypedDict, total=False):
    """The settings CreateFunction and UpdateFunctionConfiguration take: `FunctionConfig`'s
    fields (`fail` may be its text), then the reservation and the event-invoke configuration."""

    duration_ms: int
    timeout_s: int
    memory_mb: int
    fail: str | FailRule
    env: Mapping[str, str] | Sequence[tuple[str, str]]
    vpc: bool
    nat: bool
    calls_internet: bool
    reserved_concurrency: int | None
    retries: int | None
    max_event_age_s: int | None
    on_success: str | None
    on_failure: str | None
    dlq: str | None


# The settings that are not `FunctionConfig` fields, in the order an update logs them.
_OPTIONS: Final = (
    "retries",
    "max_event_age_s",
    "on_success",
    "on_failure",
    "dlq",
    "reserved_concurrency",
)


class Functions:
    """The first layer of the Lambda API: functions, their settings and reservations."""

    def __init__(self, world: World, account_concurrency: int = ACCOUNT_CONCURRENCY) -> None:
        self.world = world
        self.clock = world.clock
        self.functions: dict[str, Function] = {}
        self.account_concurrency = account_concurrency
        self._unreserved_running = 0
        self._reserved_total = 0
        self._requests = 0  # request ids r1, r2, ... in the order Lambda accepts requests
        self.pending_async = 0  # accepted async events not finished yet (the invariant's count)

    def create_function(self, name: str, **settings: Unpack[FunctionSettings]) -> str:
        """CreateFunction (+ PutFunctionConcurrency and PutFunctionEventInvokeConfig); a setting
        left out takes its default."""
        if not _NAME_RE.match(name):
            raise InvalidParameterValueException(
                f"Function name {name!r} must be 1-64 letters, digits, hyphens or underscores."
            )
        if name in self.functions:
            raise ResourceConflictException(f"Function already exist: {name}")
        self._apply(None, name, settings)
        return name

    def update_function(self, name: str, **settings: Unpack[FunctionSettings]) -> None:
        """UpdateFunctionConfiguration/Code on `$LATEST` (published versions never change)."""
        self._apply(self.function(name), name, settings)

    def _apply(self, fn: Function | None, name: str, settings: FunctionSettings) -> None:
        """Check every setting, then create the function (`fn` None) or change `$LATEST`."""
        config = {k: v for k, v in settings.items() if k not in _OPTIONS}
        options = {k: v for k, v in settings.items() if k in _OPTIONS and v is not None}
        reserved = settings.get("reserved_concurrency")
        cfg = self._config(FunctionConfig.default() if fn is None else fn.latest, config)
        if cfg.output and "output" in config:
            # Where the handler writes must exist when the code is deployed (a queue, a topic or
            # a bucket of this world).
            parse_target(
                self.world, cfg.output, InvalidParameterValueException, ("sqs", "sns", "s3")
            )
        acfg = self._async_config(
            AsyncConfig.default() if fn is None else fn.async_config,
            settings.get("retries"),
            settings.get("max_event_age_s"),
            settings.get("on_success"),
            settings.get("on_failure"),
            settings.get("dlq"),
        )
        if reserved is not None:
            self._check_reservation(fn, reserved)
        if fn is None:
            fn = Function(name, cfg, acfg)
            self.functions[name] = fn
            self.world.resources[("lambda", name)] = fn
            self.world.emit(ev.FunctionCreated, "CreateFunction", name, configuration=cfg.items())
        else:
            fn.latest = cfg
            fn.async_config = acfg
            changes = tuple(sorted((k, _change_text(v)) for k, v in config.items()))
            changes += tuple((k, str(options[k])) for k in _OPTIONS if k in options)
            self.world.emit(
                ev.FunctionUpdated, "UpdateFunctionConfiguration", name, changes=changes
            )
        if reserved is not None:
            self._set_reservation(fn, reserved)

    @staticmethod
    def _config(base: FunctionConfig, changes: dict[str, object]) -> FunctionConfig:
        unknown = set(changes) - set(FunctionConfig.__dataclass_fields__)
        if unknown:
            raise InvalidParameterValueException(f"Unknown parameter {sorted(unknown)[0]}.")
        fail = changes.get("fail")
        if isinstance(fail, str):
            try:
                changes = {**changes, "fail": FailRule.parse(fail)}
            except ValueError as exc:
                raise InvalidParameterValueException(str(exc)) from None
        env = changes.get("env")
        if isinstance(env, dict | list | tuple):
            changes = {**changes, "env": tuple(dict(env).items())}
        cfg = replace(base, **changes)  # type: ignore[arg-type]
        # lambda_timeout_max: "900 s (15 minutes)", adjustable in 1-s increments.
        check_range("timeout", cfg.timeout_s, 1, TIMEOUT_MAX_S)
        # lambda_memory_range: "128 MB - 10,240 MB in 1-MB increments".
        check_range("memorySize", cfg.memory_mb, MEMORY_MIN_MB, MEMORY_MAX_MB)
        if cfg.duration_ms < 0 or cfg.init_ms < 0:
            raise InvalidParameterValueException("A duration cannot be negative.")
        # lambda_env_vars: "Total size of all environment variables of a function: 4 KB", as
        # Lambda measures it: the variables as one JSON object (validation.environment_size).
        size, measured = environment_size(cfg.env)
        if size > ENV_MAX_BYTES:
            raise InvalidParameterValueException(
                f"Lambda was unable to configure your environment variables because the "
                f"environment variables you have provided exceeded the 4KB limit. "
                f"String measured: {measured}"
            )
        if cfg.nat and not cfg.vpc:
            raise InvalidParameterValueException("A NAT gateway route needs a VPC (--vpc).")
        return cfg

    def _async_config(
        self,
        base: AsyncConfig,
        retries: int | None,
        max_event_age_s: int | None,
        on_success: str | None,
        on_failure: str | None,
        dlq: str | None,
    ) -> AsyncConfig:
        """`base` with the given settings changed (None keeps a setting)."""
        retries = base.retries if retries is None else retries
        max_event_age_s = base.max_event_age_s if max_event_age_s is None else max_event_age_s
        # lambda_async_retries: MaximumRetryAttempts 0-2; lambda_async_event_age: 60 s - 6 h.
        check_range("maximumRetryAttempts", retries, 0, RETRIES_MAX)
        check_range("maximumEventAgeInSeconds", max_event_age_s, EVENT_AGE_MIN_S, EVENT_AGE_MAX_S)

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

    def _set_reservation(self, fn: Function, n: int | None) -> None:
        if fn.reserved is None:
            self._unreserved_running -= fn.running
        self._reserved_total += (n or 0) - (fn.reserved or 0)
        fn.reserved = n
        if n is None:
            self._unreserved_running += fn.running

    def function(self, name: str) -> Function:
        """The function called `name`, or ResourceNotFoundException."""
        fn = self.functions.get(name)
        if fn is None:
            raise ResourceNotFoundException(f"Function not found: {arn('lambda', name)}")
        return fn
