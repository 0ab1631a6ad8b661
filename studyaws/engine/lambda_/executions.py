"""Lambda executions: concurrency, what one run does, and the synchronous Invoke.

- An execution holds one unit of concurrency from its start to its end. A function with reserved
  concurrency N runs at most N at once; the others share the account pool (1,000) minus every
  reservation (lambda_account_concurrency, lambda_reserved_concurrency). No capacity ⇒ throttle.
- Every outcome is decided when an execution starts (from the function's configuration and the
  event) and lands at its end time.
- Synchronous (`invoke`): a throttle is `TooManyRequestsException` (429); a function error is a
  200 with `FunctionError` (LAM-16). The caller does not move the clock: the sandbox is many
  clients at once, and the execution ends at its own time.
- Duration scales with memory: the configured `duration_ms` is the run time at 128 MB and CPU
  grows in proportion to memory up to one vCPU at 1,769 MB (lambda_cpu_proportional).
- A function in a VPC without a NAT that calls the internet hangs until its timeout
  (lambda_vpc_access).
- Each execution runs in an execution environment (environments.py): a cold start waits for Init
  before the handler, a warm one doesn't. A successful run sends what it handled to the
  function's `output`, carrying its chain of requests (recursion.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Final, NamedTuple, TypedDict

from studyaws.engine import events as ev
from studyaws.engine.clock import STATE
from studyaws.engine.errors import LAMBDA_TIMEOUT_ERROR_TYPE, TooManyRequestsException
from studyaws.engine.lambda_.config import (
    MEMORY_MIN_MB,
    ONE_VCPU_MB,
    Function,
    FunctionConfig,
    RequestTooLargeException,
)
from studyaws.engine.lambda_.environments import Environment, Start
from studyaws.engine.lambda_.recursion import Chain, Loops, handled_bodies

PAYLOAD_SYNC_BYTES: Final = 6 * 1024 * 1024  # lambda_payload_sync
PRICE_PER_REQUEST: Final = 0.20 / 1_000_000  # lambda_pricing
PRICE_PER_GB_S: Final = 0.0000166667  # lambda_pricing (x86 list price)
FREE_REQUESTS: Final = 1_000_000  # lambda_free_tier_requests
FREE_GB_S: Final = 400_000  # lambda_free_tier_gbs


class Outcome(NamedTuple):
    """What one execution did: `error_type` None means success."""

    duration_ms: int
    error_type: str | None
    error_message: str
    response: Any  # the JSON value the handler returned
    vpc_timeout: bool

    @classmethod
    def ok(cls, duration_ms: int, response: Any = None) -> Outcome:
        return cls(duration_ms, None, "", response, False)

    @classmethod
    def error(cls, duration_ms: int, message: str) -> Outcome:
        """The handler raised (an `Unhandled` function error)."""
        return cls(duration_ms, "Error", message, None, False)

    @classmethod
    def timeout(cls, timeout_s: int, *, vpc: bool = False) -> Outcome:
        """Stopped at the timeout; `vpc` when a network call with no route out hung it."""
        return cls(
            timeout_s * 1000,
            LAMBDA_TIMEOUT_ERROR_TYPE,
            f"Task timed out after {timeout_s} seconds",
            None,
            vpc,
        )

    @property
    def failed(self) -> bool:
        return self.error_type is not None

    @property
    def timed_out(self) -> bool:
        return self.error_type == LAMBDA_TIMEOUT_ERROR_TYPE


class Payload:
    """The event an invocation hands the function, as JSON text. Subclasses say how the
    simulated handler treats their own kind of event (the SQS batch of `esm.py`)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def body_rule(self, run_ms: int, needle: str) -> Outcome:
        """What a handler with `--fail body:TEXT` does with this event: it fails when the event
        contains TEXT."""
        if needle in self.text:
            return Outcome.error(run_ms, f"body contains {needle!r}")
        return Outcome.ok(run_ms)

    def bodies(self) -> tuple[str, ...]:
        """What the handler passes on to its `output`, one message each."""
        return handled_bodies(self.text)


class Execution(NamedTuple):
    request_id: str
    function: Function
    version: str
    config: FunctionConfig
    outcome: Outcome
    on_end: Callable[[Execution], None] | None
    payload: Payload | None = None
    env: Environment | None = None
    start: Start | None = None
    chain: Chain = ()


class InvokeResult(NamedTuple):
    """A synchronous Invoke response: `status` 200 (202 for Event); `function_error` when the
    function failed (`Unhandled`), with the error object in `payload`."""

    status: int
    request_id: str
    version: str
    function_error: str | None
    payload: Any  # the function's JSON response, or the error object
    duration_ms: int
    start: str = "untracked"  # warm, cold, restored (environments.py)
    init_ms: int = 0  # a cold start's Init, or a SnapStart restore


class FunctionStats(TypedDict):
    """Invocations, Errors, Throttles, ConcurrentExecutions (peak) and the bill."""

    invocations: int
    errors: int
    throttles: int
    concurrent: int
    concurrency_peak: int
    queued_events: int
    billed_ms: int
    gb_seconds: float
    cost_usd: float
    cost_after_free_tier_usd: float


class Executions(Loops):
    """The third layer of the Lambda API: capacity, executions and the synchronous Invoke."""

    def has_capacity(self, fn: Function) -> bool:
        # lambda_reserved_concurrency: reserved concurrency is "both the maximum and a guaranteed
        # minimum"; lambda_account_concurrency: the rest is shared by all other functions.
        if fn.reserved is not None:
            return fn.running < fn.reserved
        return self._unreserved_running < self.account_concurrency - self._reserved_total

    @staticmethod
    def _throttle_reason(fn: Function) -> str:
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
        payload: Payload,
        *,
        invocation_type: str,
        request_id: str,
        attempt: int = 1,
        on_end: Callable[[Execution], None] | None = None,
        chain: Chain = (),
    ) -> Execution | None:
        """Start an execution now if there is capacity (None if throttled — nothing logged)."""
        if not self.has_capacity(fn):
            return None
        cfg = self.config_of(fn, version)
        start, env = self.environments.acquire(fn, version, cfg, request_id)
        fn.running += 1
        if fn.reserved is None:
            self._unreserved_running += 1
        fn.peak = max(fn.peak, fn.running)
        fn.executions += 1
        fn.invocations += 1
        outcome = self._decide(fn, cfg, payload, start.init_in_invoke_ms)
        execution = Execution(
            request_id, fn, version, cfg, outcome, on_end, payload, env, start, chain
        )
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
        # lambda_lifecycle_phases: a cold start's Init (or a SnapStart restore) runs before the
        # handler; the request waits for it.
        end = self.clock.now_ms + start.wait_ms + outcome.duration_ms
        self.clock.schedule(end, STATE, self._ended, execution)
        return execution

    @staticmethod
    def _decide(
        fn: Function, cfg: FunctionConfig, payload: Payload, init_in_invoke_ms: int = 0
    ) -> Outcome:
        # lambda_vpc_access: a VPC function "never gets a public IP"; outbound internet needs a
        # NAT gateway — without one the call hangs until the function times out.
        if cfg.vpc and not cfg.nat and cfg.calls_internet:
            return Outcome.timeout(cfg.timeout_s, vpc=True)
        # lambda_cpu_proportional: CPU is allocated in proportion to memory (1,769 MB ≈ 1 vCPU);
        # `duration_ms` is the run time at 128 MB of a CPU-bound handler.
        run_ms = -(-cfg.duration_ms * MEMORY_MIN_MB // min(cfg.memory_mb, ONE_VCPU_MB))
        # lambda_init_timeout: an Init that timed out runs again "at the time of the first
        # function invocation with the configured function timeout".
        run_ms += init_in_invoke_ms
        # lambda_timeout_max: an execution longer than the timeout is stopped (a function error).
        if run_ms > cfg.timeout_s * 1000:
            return Outcome.timeout(cfg.timeout_s)
        rule = cfg.fail
        if rule.kind == "body":
            return payload.body_rule(run_ms, rule.text)
        if rule.fails(fn.executions - 1, payload.text):
            return Outcome.error(run_ms, f"simulated failure ({rule})")
        if rule.kind == "respond":
            return Outcome.ok(run_ms, json.loads(rule.text))
        return Outcome.ok(run_ms)

    def _ended(self, execution: Execution) -> None:
        fn = execution.function
        out = execution.outcome
        fn.running -= 1
        if fn.reserved is None:
            self._unreserved_running -= 1
        self.environments.release(execution.env)
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
                "lambda_timeout_max" if out.timed_out else "FunctionError",
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
            if execution.config.output and execution.payload is not None:
                self.recursion.send_output(
                    fn, execution.config.output, execution.payload.bodies(), execution.chain
                )
        if execution.on_end is not None:
            execution.on_end(execution)

    def invoke(self, ref: str, payload: str, *, size_bytes: int | None = None) -> InvokeResult:
        """Invoke (RequestResponse). Throttled: `TooManyRequestsException` (429); a function
        error is still a 200 with `FunctionError: Unhandled` (LAM-16). `size_bytes`: the size
        the payload stands for (a short text standing for a large event)."""
        fn, version, _alias = self.resolve(ref)
        # lambda_payload_sync: 6 MB request.
        size = len(payload.encode()) if size_bytes is None else size_bytes
        if size > PAYLOAD_SYNC_BYTES:
            raise RequestTooLargeException(
                f"Request must be smaller than {PAYLOAD_SYNC_BYTES} bytes for the Invoke operation"
            )
        request_id = self.next_request_id()
        execution = self.start(
            fn, version, Payload(payload), invocation_type="RequestResponse", request_id=request_id
        )
        if execution is None:
            # LAM-16: "Synchronous requests arriving in excess of the reserved concurrency limit
            # will fail with a throttling error" (TooManyRequestsException, HTTP 429).
            self.throttled(fn, request_id)
            reason = self._throttle_reason(fn)
            raise TooManyRequestsException(f"Rate Exceeded. (Reason: {reason})")
        out = execution.outcome
        self.world.settle()
        start = execution.start or Start(0, "untracked")
        how = (start.kind, start.wait_ms)
        if out.failed:
            error = {"errorType": out.error_type, "errorMessage": out.error_message}
            return InvokeResult(200, request_id, version, "Unhandled", error, out.duration_ms, *how)
        return InvokeResult(200, request_id, version, None, out.response, out.duration_ms, *how)

    def get_function_stats(self, name: str) -> FunctionStats:
        """Invocations, Errors, Throttles, ConcurrentExecutions (peak) and the bill."""
        fn = self.function(name)
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
