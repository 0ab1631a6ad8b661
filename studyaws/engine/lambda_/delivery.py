"""Lambda asynchronous invocation: the internal queue, retries, and where a finished event goes.

- `invoke_async` answers 202 at once; the event waits in the function's internal queue and is
  attempted at ACTOR priority (LAM-01).
- Function errors are retried after 1 then 2 minutes (`retries` 0–2, LAM-02); throttles are
  retried with backoff 1 s → 5 min without using retries, until the maximum event age (LAM-03,
  LAM-17); then the on-failure destination gets a record and the DLQ the bare event (LAM-04,
  LAM-05). Reserved concurrency 0 sends events straight there.
"""

from __future__ import annotations

import json
from typing import Any, Final

from studyaws.engine import events as ev
from studyaws.engine.clock import ACTOR
from studyaws.engine.errors import AwsError, ResourceNotFoundException
from studyaws.engine.lambda_.config import Function, RequestTooLargeException
from studyaws.engine.lambda_.executions import Execution, Executions, Payload
from studyaws.engine.targets import Target, arn, is_fifo, iso, send_to

PAYLOAD_ASYNC_BYTES: Final = 1024 * 1024  # lambda_payload_async
RETRY_WAITS_MS: Final = (60_000, 120_000)  # lambda_async_retries: 1 minute, then 2 minutes
THROTTLE_BACKOFF_MAX_MS: Final = 300_000  # lambda_async_event_age: 1 s up to 5 minutes


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


class AsyncDelivery(Executions):
    """The fourth layer of the Lambda API: Invoke with InvocationType Event."""

    def invoke_async(
        self, ref: str, payload: str, *, source: str = "Invoke", size_bytes: int | None = None
    ) -> str:
        """Invoke (Event): 202 at once, the event waits in the internal queue (LAM-01).
        `size_bytes`: the size the payload stands for."""
        fn = self.resolve(ref, route=False).function
        # lambda_payload_async: 1 MB.
        size = len(payload.encode()) if size_bytes is None else size_bytes
        if size > PAYLOAD_ASYNC_BYTES:
            raise RequestTooLargeException(
                f"Request must be smaller than {PAYLOAD_ASYNC_BYTES} bytes for the Invoke operation"
            )
        request_id = self.next_request_id()
        event = AsyncEvent(request_id, fn, ref, payload, self.clock.now_ms, source)
        fn.queued += 1
        self.pending_async += 1
        # recursion.py: an event sent while a handler writes to SNS or S3 is in its chain.
        self.recursion.carry(request_id)
        self.world.emit(
            ev.AsyncEventQueued,
            "lambda_invocation_types",
            fn.name,
            request_id=request_id,
            source=source,
        )
        self.clock.schedule(self.clock.now_ms, ACTOR, self._attempt, event)
        return request_id

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
        # LAM-04 / lambda_reserved_concurrency: reserved concurrency 0 throttles everything, and
        # the event goes straight to the DLQ / on-failure destination without retries.
        if fn.reserved == 0:
            self.throttled(fn, event.request_id)
            self._finish(event, "RetriesExhausted", "lambda_reserved_concurrency")
            return
        try:
            _fn, version, _alias = self.resolve(event.ref)
        except ResourceNotFoundException:
            self._finish(event, "RetriesExhausted", "ResourceNotFoundException")
            return
        chain = self.recursion.chain_of((event.request_id,))
        if self.recursion.stops(fn.name, chain):
            # lambda_recursion_threshold: Lambda "will stop the next invocation and send the
            # event to a Dead-Letter Queue or on-failure destination, if configured" (AWS's
            # notice of June 2023 on recursive loop detection).
            self.recursion.dropped(fn, event.request_id, chain, event.source)
            self._finish(event, "RecursiveInvocationException", "lambda_recursion_threshold")
            return
        execution = self.start(
            fn,
            version,
            Payload(event.payload),
            invocation_type="Event",
            request_id=event.request_id,
            attempt=event.invocations + 1,
            on_end=lambda ex: self._attempt_ended(event, ex),
            chain=chain,
        )
        if execution is None:
            # LAM-03/LAM-17: throttles are retried "with an exponential backoff from 1 second to
            # a maximum of 5 minutes" until the maximum event age, without using retries.
            self.throttled(fn, event.request_id)
            event.throttles += 1
            wait = min(THROTTLE_BACKOFF_MAX_MS, 1000 * 2 ** min(event.throttles - 1, 20))
            self._retry_later(event, wait, "lambda_async_event_age", "Throttled")
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
            self._retry_later(event, wait, "lambda_async_retries", "FunctionError")
            return
        self._finish(event, "RetriesExhausted", "lambda_async_retries")

    def _retry_later(self, event: AsyncEvent, wait_ms: int, cause: str, reason: str) -> None:
        """Attempt the event again after `wait_ms`, or at its maximum age if that comes first
        (then the attempt finds it too old: lambda_async_event_age)."""
        deadline = event.enqueued_ms + event.function.async_config.max_event_age_s * 1000
        at = min(self.clock.now_ms + wait_ms, deadline)
        self.world.emit(
            ev.AsyncRetryScheduled,
            cause,
            event.function.name,
            request_id=event.request_id,
            retry_at_ms=at,
            reason=reason,
        )
        self.clock.schedule(at, ACTOR, self._attempt, event)

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
