"""The Lambda SQS event source mapping: pollers that receive batches and invoke a function.

Rules of the model, each cited again above the code that enforces it:

- Each poller long-polls the queue (ReceiveMessage, up to 10 a call, 20 s), gathers a batch (with a
  batching window it keeps receiving until the batch is full or the window has passed), invokes
  the function synchronously once per batch, then deletes what succeeded (LAM-08/09).
- A failed invocation deletes nothing: the messages come back when their visibility timeout ends
  — the clock of each message started at the poller's receive (LAM-10, LAM-14), with the queue's
  visibility timeout at that receive (a `set-queue-attributes` later changes later receives).
- `ReportBatchItemFailures`: only the listed messages are kept; an empty or null list (or
  response) is full success; a null/empty/unknown id fails the whole batch; a list returned
  without the feature is ignored (LAM-11).
- Retries are the queue's business: its `maxReceiveCount` moves a message to its DLQ; the
  function's own DLQ and destinations never apply (LAM-12).
- A throttled invoke is retried with backoff while the batch is still invisible; then the poller
  lets it go and the messages come back with a higher receive count (LAM-13).
- Pollers: 5 at first, up to 300 more a minute while messages wait, at most 1,000 or the mapping's
  maximum concurrency (lambda_sqs_scaling); back to 5 after an idle minute. A poller invokes once
  per batch, so `MaximumConcurrency` caps the invocations the mapping starts: messages wait in the
  queue instead of being received and throttled (lambda_sqs_max_concurrency). Reserved
  concurrency is not seen by the pollers (lambda_sqs_reserved_vs_max).
- `FilterCriteria` (esm_filters.py): a received message that matches no filter is deleted at once
  and never reaches the function (lambda_esm_filter_sqs).
- Recursive loop detection (lambda_/recursion.py): a batch whose messages have already invoked the
  function too often in one chain is not invoked; it comes back like a failed batch.
- FIFO: one receive returns one group's in-order prefix and the group stays blocked while it is in
  flight, so order per group holds (LAM-15).
- A batch is capped by the synchronous payload limit (6 MB): the records that fit go in one call,
  the rest (still in flight) in the poller's next call (lambda_payload_sync).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final, TypedDict

from studyaws.engine import events as ev
from studyaws.engine.clock import ACTOR
from studyaws.engine.errors import (
    AwsError,
    InvalidParameterValueException,
    ResourceConflictException,
    ResourceNotFoundException,
)
from studyaws.engine.esm_filters import FilterCriteria
from studyaws.engine.lambda_ import PAYLOAD_SYNC_BYTES, Execution, Outcome, Payload
from studyaws.engine.sqs import RECEIVE_MAX, WAIT_MAX_S, Received
from studyaws.engine.targets import REGION, arn

if TYPE_CHECKING:
    from studyaws.engine.sqs import LongPoll
    from studyaws.engine.world import World

BATCH_DEFAULT: Final = 10  # lambda_sqs_batch_size
BATCH_MAX_STANDARD: Final = 10_000  # lambda_sqs_batch_size
BATCH_MAX_FIFO: Final = 10  # lambda_sqs_batch_size_fifo
WINDOW_DEFAULT_S: Final = 0  # lambda_sqs_batching_window: "default 0 for SQS"
WINDOW_MAX_S: Final = 300  # lambda_sqs_batching_window
POLLERS_START: Final = 5  # lambda_sqs_scaling
POLLERS_PER_MINUTE: Final = 300  # lambda_sqs_scaling
POLLERS_MAX: Final = 1000  # lambda_sqs_scaling
MAX_CONCURRENCY_MIN: Final = 2  # lambda_sqs_max_concurrency
MAX_CONCURRENCY_MAX: Final = 1000  # lambda_sqs_max_concurrency
SCALE_EVERY_MS: Final = 60_000
# The event the function receives, `{"Records":[...]}`, built from each record's JSON text.
_EVENT_OPEN: Final = '{"Records":['
_EVENT_CLOSE: Final = "]}"


class BatchPayload(Payload):
    """An SQS batch as the function receives it, with how the simulated handler treats it."""

    __slots__ = ("fifo", "records", "report_failures")

    def __init__(
        self, text: str, records: tuple[Received, ...], report_failures: bool, fifo: bool
    ) -> None:
        super().__init__(text)
        self.records = records
        self.report_failures = report_failures
        self.fifo = fifo

    def bodies(self) -> tuple[str, ...]:
        return tuple(r.body for r in self.records)

    def body_rule(self, run_ms: int, needle: str) -> Outcome:
        """A handler with `--fail body:TEXT` fails on each record whose body holds TEXT: it
        raises (the whole batch fails) unless the mapping reports batch item failures, when it
        returns them instead."""
        bad = [i for i, r in enumerate(self.records) if needle in r.body]
        if not bad:
            return Outcome.ok(run_ms)
        if not self.report_failures:
            return Outcome.error(run_ms, f"a record contains {needle!r}")
        # LAM-15: on a FIFO source a handler "should stop processing messages after the first
        # failure and return all failed and unprocessed messages in batchItemFailures".
        failed = self.records[bad[0] :] if self.fifo else [self.records[i] for i in bad]
        return Outcome.ok(
            run_ms, {"batchItemFailures": [{"itemIdentifier": r.message_id} for r in failed]}
        )


class MappingSnapshot(TypedDict):
    """One mapping in `world.snapshot()["mappings"]`."""

    queue: str
    function: str
    batch_size: int
    window: int
    report_batch_item_failures: bool
    pollers: int
    batches_in_progress: int
    max_concurrency: int
    filters: list[str]


class Poller:
    __slots__ = (
        "batch",
        "deadline_ms",
        "index",
        "mapping",
        "overflow",
        "poll",
        "started_ms",
        "throttles",
    )

    def __init__(self, mapping: Mapping, index: int) -> None:
        self.mapping = mapping
        self.index = index
        self.batch: list[Received] = []
        self.overflow: list[Received] = []  # received, past the payload limit of the last call
        self.started_ms = 0
        self.deadline_ms = 0  # the earliest end of visibility of the batch's messages
        self.throttles = 0
        self.poll: LongPoll | None = None


class Mapping:
    __slots__ = (
        "batch_size",
        "busy",
        "fifo",
        "filters",
        "function",
        "id",
        "idle_since_ms",
        "max_concurrency",
        "pollers",
        "queue",
        "report_failures",
        "window_ms",
    )

    def __init__(
        self,
        mid: str,
        queue: str,
        function: str,
        batch_size: int,
        window_ms: int,
        report_failures: bool,
        max_concurrency: int,
        fifo: bool,
        filters: FilterCriteria | None = None,
    ) -> None:
        self.id = mid
        self.queue = queue
        self.function = function
        self.batch_size = batch_size
        self.window_ms = window_ms
        self.report_failures = report_failures
        self.max_concurrency = max_concurrency
        self.fifo = fifo
        self.filters = filters
        self.pollers: list[Poller] = []
        self.busy = 0
        self.idle_since_ms: int | None = None


class EventSourceMappings:
    """CreateEventSourceMapping for SQS sources, and the pollers behind it."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.clock = world.clock
        self.mappings: dict[str, Mapping] = {}

    def create_event_source_mapping(
        self,
        queue_name: str,
        function: str,
        *,
        batch_size: int | None = None,
        window_s: int | None = None,
        report_batch_item_failures: bool = False,
        max_concurrency: int | None = None,
        filters: Sequence[str] | None = None,
    ) -> str:
        """CreateEventSourceMapping for an SQS queue; a setting left out takes its default.
        `filters` are the patterns of `FilterCriteria` (JSON text, at most 5)."""
        world = self.world
        fn, version, _alias = world.lambda_.resolve(function, route=False)
        if batch_size is None:
            batch_size = BATCH_DEFAULT
        if window_s is None:
            window_s = WINDOW_DEFAULT_S
        queue = world.sqs.queues.get(queue_name)
        if queue is None:
            raise InvalidParameterValueException(
                f"Error occurred while ReceiveMessage. SQS Error Code: "
                f"AWS.SimpleQueueService.NonExistentQueue ({queue_name})"
            )
        fifo = queue.config.fifo
        # lambda_sqs_batch_size: default 10, max 10,000 (standard) or 10 (FIFO).
        top = BATCH_MAX_FIFO if fifo else BATCH_MAX_STANDARD
        if not 1 <= batch_size <= top:
            raise InvalidParameterValueException(
                f"BatchSize must be between 1 and {top} for {'FIFO' if fifo else 'standard'} "
                f"queues (got {batch_size})."
            )
        # lambda_sqs_batching_window: 0-300 s; "not supported for FIFO queues"; "If BatchSize
        # > 10 you must set the window to >= 1 s".
        if not 0 <= window_s <= WINDOW_MAX_S:
            raise InvalidParameterValueException(
                f"MaximumBatchingWindowInSeconds must be between 0 and {WINDOW_MAX_S}."
            )
        if fifo and window_s:
            raise InvalidParameterValueException(
                "Batching window is not supported for FIFO queues."
            )
        if batch_size > BATCH_MAX_FIFO and window_s < 1:
            raise InvalidParameterValueException(
                "Maximum batch window in seconds must be greater than 0 if maximum batch size "
                "is greater than 10"
            )
        # LAM-14 / lambda_sqs_visibility: "Lambda validates this requirement when you create or
        # update an event source mapping and will return an error".
        timeout_s = world.lambda_.config_of(fn, version).timeout_s
        vt_s = queue.config.visibility_timeout_s
        if timeout_s > vt_s:
            raise InvalidParameterValueException(
                f"Queue visibility timeout: {vt_s} seconds is less than Function timeout: "
                f"{timeout_s} seconds"
            )
        # lambda_sqs_max_concurrency: MaximumConcurrency "Limits the number of concurrent
        # instances that the Amazon SQS event source can invoke. Minimum: 2, Maximum: 1000"
        # (API_ScalingConfig).
        if max_concurrency is not None and not (
            MAX_CONCURRENCY_MIN <= max_concurrency <= MAX_CONCURRENCY_MAX
        ):
            raise InvalidParameterValueException(
                f"ScalingConfig.MaximumConcurrency must be between {MAX_CONCURRENCY_MIN} and "
                f"{MAX_CONCURRENCY_MAX}."
            )
        criteria = FilterCriteria(filters) if filters else None
        for m in self.mappings.values():
            if m.queue == queue_name and m.function == function:
                raise ResourceConflictException(
                    f"An event source mapping with SQS arn {arn('sqs', queue_name)} and function "
                    f"{function} already exists. Please update or delete the existing mapping "
                    f"with UUID {m.id}"
                )
        mid = f"esm{len(self.mappings) + 1}"
        mapping = Mapping(
            mid,
            queue_name,
            function,
            batch_size,
            window_s * 1000,
            report_batch_item_failures,
            max_concurrency or POLLERS_MAX,
            fifo,
            criteria,
        )
        self.mappings[mid] = mapping
        world.resources[("esm", mid)] = mapping
        world.emit(
            ev.EventSourceMappingCreated,
            "CreateEventSourceMapping",
            function,
            mapping=mid,
            queue=queue_name,
            batch_size=batch_size,
            window_ms=window_s * 1000,
            report_batch_item_failures=report_batch_item_failures,
        )
        self._scale_to(mapping, min(POLLERS_START, mapping.max_concurrency))
        self.clock.schedule(self.clock.now_ms + SCALE_EVERY_MS, ACTOR, self._rescale, mapping)
        world.settle()
        return mid

    # -- pollers ------------------------------------------------------------------------------

    def _scale_to(self, mapping: Mapping, n: int) -> None:
        current = len(mapping.pollers)
        if n == current:
            return
        if n > current:
            for i in range(current, n):
                poller = Poller(mapping, i)
                mapping.pollers.append(poller)
                self.clock.schedule(self.clock.now_ms, ACTOR, self._poll, poller)
        else:
            for poller in mapping.pollers[n:]:
                if poller.poll is not None and not poller.batch:
                    self.world.sqs.cancel_receive(poller.poll)
                    poller.poll = None
            del mapping.pollers[n:]
        self.world.emit(
            ev.PollersScaled, "lambda_sqs_scaling", mapping.function, mapping=mapping.id, pollers=n
        )

    def _rescale(self, mapping: Mapping) -> None:
        queue = self.world.sqs.queues.get(mapping.queue)
        if queue is None:
            self._scale_to(mapping, 0)
            return
        now = self.clock.now_ms
        n = len(mapping.pollers)
        # lambda_sqs_scaling: "starts with 5 concurrent batches, adds up to 300 more instances
        # per minute, up to 1,000 concurrent batches per ESM" (or MaximumConcurrency).
        if queue.n_visible > 0:
            mapping.idle_since_ms = None
            if n < mapping.max_concurrency:
                self._scale_to(mapping, min(mapping.max_concurrency, n + POLLERS_PER_MINUTE))
        elif queue.n_in_flight == 0:
            if mapping.idle_since_ms is None:
                mapping.idle_since_ms = now
            elif n > POLLERS_START and now - mapping.idle_since_ms >= SCALE_EVERY_MS:
                self._scale_to(mapping, min(POLLERS_START, mapping.max_concurrency))
        self.clock.schedule(now + SCALE_EVERY_MS, ACTOR, self._rescale, mapping)

    def _alive(self, poller: Poller) -> bool:
        mapping = poller.mapping
        return poller.index < len(mapping.pollers) and mapping.pollers[poller.index] is poller

    def _poll(self, poller: Poller) -> None:
        poller.poll = None
        if not self._alive(poller):
            return
        mapping = poller.mapping
        # lambda_sqs_scaling: the pollers use long polling, for as long as SQS allows.
        wait_s = WAIT_MAX_S
        if poller.batch:
            left_ms = poller.started_ms + mapping.window_ms - self.clock.now_ms
            if left_ms <= 0:
                self._invoke(poller)
                return
            wait_s = min(WAIT_MAX_S, -(-left_ms // 1000))
        want = min(RECEIVE_MAX, mapping.batch_size - len(poller.batch))
        try:
            poller.poll = self.world.sqs.begin_receive(
                mapping.queue,
                lambda got: self._received(poller, got),
                max_number_of_messages=want,
                wait_time_s=wait_s,
            )
        except AwsError:
            return  # the queue is gone: this poller stops

    def _received(self, poller: Poller, got: list[Received]) -> None:
        poller.poll = None
        if not self._alive(poller) and not got:
            return
        mapping = poller.mapping
        now = self.clock.now_ms
        if got and mapping.filters is not None:
            got = self._filter(mapping, got)
        if got:
            # Each message is hidden until its own end of visibility, set by the receive that
            # returned it (with the queue's visibility timeout at that moment).
            deadline = min(r.visible_at_ms for r in got)
            if not poller.batch:
                poller.started_ms = now
                poller.deadline_ms = deadline
            else:
                poller.deadline_ms = min(poller.deadline_ms, deadline)
            poller.batch.extend(got)
        if not poller.batch:
            self.clock.schedule(now, ACTOR, self._poll, poller)
            return
        full = len(poller.batch) >= mapping.batch_size
        if mapping.window_ms == 0 or full or now >= poller.started_ms + mapping.window_ms:
            self._invoke(poller)
        else:
            self.clock.schedule(now, ACTOR, self._poll, poller)

    def _filter(self, mapping: Mapping, got: list[Received]) -> list[Received]:
        """The received messages that match a filter; the others are deleted (FilterCriteria)."""
        criteria = mapping.filters
        assert criteria is not None
        verdicts = [criteria.matches(r.body) for r in got]
        if all(verdicts):
            return got
        kept = [r for r, ok in zip(got, verdicts, strict=True) if ok]
        dropped = [r for r, ok in zip(got, verdicts, strict=True) if not ok]
        sqs = self.world.sqs
        gone: list[str] = []
        for r in dropped:
            # lambda_esm_filter_sqs: a message that matches no filter is discarded, and for SQS
            # that means removed from the queue: it never reaches the function, a retry or the
            # DLQ ("If none of your filters are satisfied, Lambda discards the record",
            # invocation-eventfiltering).
            try:
                sqs.delete_message(mapping.queue, r.receipt)
            except AwsError:
                continue
            gone.append(r.message_id)
        if gone:
            self.world.emit(
                ev.MessagesFilteredOut,
                "lambda_esm_filter_sqs",
                mapping.function,
                mapping=mapping.id,
                message_ids=tuple(gone),
            )
        return kept

    def _invoke(self, poller: Poller, _arg: object = None) -> None:
        mapping = poller.mapping
        world = self.world
        lam = world.lambda_
        try:
            fn, version, _alias = lam.resolve(mapping.function)
        except ResourceNotFoundException:
            self._release(poller, tuple(r.message_id for r in poller.batch), "function not found")
            return
        batch, text = self._fit(poller)
        request_id = lam.next_request_id()
        chain = lam.recursion.chain_of(r.message_id for r in batch)
        if lam.recursion.stops(fn.name, chain):
            # lambda_recursion_threshold: the invocation is stopped; the mapping gets an error,
            # so the batch is not deleted and comes back after its visibility timeout.
            lam.recursion.dropped(fn, request_id, chain, mapping.id)
            self._release(poller, tuple(r.message_id for r in batch), "recursive loop detected")
            return
        execution = lam.start(
            fn,
            version,
            BatchPayload(text, batch, mapping.report_failures, mapping.fifo),
            invocation_type="EventSourceMapping",
            request_id=request_id,
            on_end=lambda ex: self._done(poller, ex),
            chain=chain,
        )
        if execution is None:
            lam.throttled(fn, request_id)
            poller.throttles += 1
            now = self.clock.now_ms
            at = now + 1000 * 2 ** min(poller.throttles - 1, 20)
            # LAM-13: "Lambda continues to retry the message until the message's timestamp
            # exceeds your queue's visibility timeout, at which point Lambda drops the message"
            # — it comes back with its receive count raised, unseen by the function.
            if at >= poller.deadline_ms:
                self._release(poller, tuple(r.message_id for r in batch), "throttled")
                return
            self.clock.schedule(at, ACTOR, self._invoke, poller)
            return
        mapping.busy += 1
        if world.log.enabled:
            world.emit(
                ev.BatchInvoked,
                "lambda_sqs_batch_size",
                fn.name,
                mapping=mapping.id,
                request_id=request_id,
                message_ids=tuple(r.message_id for r in batch),
            )

    def _release(self, poller: Poller, kept: tuple[str, ...], reason: str) -> None:
        """The poller is done with its batch and polls again; the `kept` messages stay in the
        queue, to come back when their visibility timeout ends."""
        mapping = poller.mapping
        if kept:
            self.world.emit(
                ev.BatchLeftForRetry,
                "lambda_sqs_partial_batch",
                mapping.function,
                mapping=mapping.id,
                message_ids=kept,
                reason=reason,
            )
        poller.batch = []
        poller.throttles = 0
        if poller.overflow:
            # The records left over by the payload limit are the next batch (still in flight).
            poller.batch, poller.overflow = poller.overflow, []
            poller.started_ms = self.clock.now_ms
            poller.deadline_ms = min(r.visible_at_ms for r in poller.batch)
        self.clock.schedule(self.clock.now_ms, ACTOR, self._poll, poller)

    def _done(self, poller: Poller, execution: Execution) -> None:
        mapping = poller.mapping
        mapping.busy -= 1
        batch = poller.batch
        failed = self._failed_ids(mapping, batch, execution)
        world = self.world
        sqs = world.sqs
        deleted: list[str] = []
        lost: list[str] = []
        for r in batch:
            if r.message_id in failed:
                continue
            try:
                sqs.delete_message(mapping.queue, r.receipt)
            except AwsError:
                lost.append(r.message_id)  # e.g. a FIFO handle that expired meanwhile
            else:
                deleted.append(r.message_id)
        if deleted and world.log.enabled:
            # LAM-09: "after a successful invoke ... Lambda deletes the messages".
            world.emit(
                ev.BatchDeleted,
                "lambda_sqs_partial_batch",
                mapping.function,
                mapping=mapping.id,
                message_ids=tuple(deleted),
            )
        # LAM-10: "After your queue's visibility timeout runs out, the message will again
        # reappear in the queue".
        kept = tuple(r.message_id for r in batch if r.message_id in failed) + tuple(lost)
        if lost:
            reason = "receipt handle expired"
        else:
            reason = "function error" if execution.outcome.failed else "batchItemFailures"
        self._release(poller, kept, reason)

    @staticmethod
    def _failed_ids(mapping: Mapping, batch: list[Received], execution: Execution) -> set[str]:
        """The ids of the batch's messages that stay in the queue for another try."""
        everything = {r.message_id for r in batch}
        out = execution.outcome
        if out.failed:
            return everything
        # LAM-11: returning batchItemFailures without the feature is ignored (full success).
        if not mapping.report_failures:
            return set()
        # LAM-11 (services-kinesis-batchfailurereporting, same rules): an empty or null
        # response or list is complete success; a null/empty/unknown itemIdentifier is complete
        # failure.
        response = out.response
        if not isinstance(response, dict):
            return set()
        items = response.get("batchItemFailures")
        if not items:
            return set()
        if not isinstance(items, list):
            return everything
        failed: set[str] = set()
        for item in items:
            ident = item.get("itemIdentifier") if isinstance(item, dict) else None
            if not ident or ident not in everything:
                return everything
            failed.add(ident)
        return failed

    def _fit(self, poller: Poller) -> tuple[tuple[Received, ...], str]:
        """The records of the poller's batch that go in this call, and the event text.

        BatchSize (CreateEventSourceMapping): "Lambda passes all of the records in the batch to
        the function in a single call, up to the payload limit for synchronous invocation
        (6 MB)." The records past the limit stay with the poller, in flight, for its next call
        (AWS does not say what it does with them: docs/fidelity.md)."""
        mapping = poller.mapping
        texts = [self._record(mapping, r) for r in poller.batch]
        size = len(_EVENT_OPEN) + len(_EVENT_CLOSE)
        cut = len(texts)
        for i, (r, text) in enumerate(zip(poller.batch, texts, strict=True)):
            # A body that stands for a larger payload (`send --size`) counts at its declared size.
            extra = max(0, (r.declared_size or 0) - len(r.body.encode()))
            add = len(text.encode()) + extra + (1 if i else 0)
            if i and size + add > PAYLOAD_SYNC_BYTES:
                cut = i
                break
            size += add
        if cut < len(texts):
            kept, rest = poller.batch[:cut], poller.batch[cut:]
            poller.batch, poller.overflow = kept, rest + poller.overflow
            self.world.emit(
                ev.BatchTrimmedToPayloadLimit,
                "lambda_payload_sync",
                mapping.function,
                mapping=mapping.id,
                message_ids=tuple(r.message_id for r in kept),
                deferred=tuple(r.message_id for r in rest),
                payload_bytes=size,
            )
        return tuple(poller.batch), _EVENT_OPEN + ",".join(texts[:cut]) + _EVENT_CLOSE

    @staticmethod
    def _record(mapping: Mapping, r: Received) -> str:
        attributes: dict[str, str] = {"ApproximateReceiveCount": str(r.receive_count)}
        if r.group is not None:
            attributes["MessageGroupId"] = r.group
        record = {
            "messageId": r.message_id,
            "receiptHandle": r.receipt,
            "body": r.body,
            "attributes": attributes,
            "messageAttributes": {
                k: {"stringValue": v, "dataType": "String"} for k, v in r.attributes
            },
            "eventSource": "aws:sqs",
            "eventSourceARN": arn("sqs", mapping.queue),
            "awsRegion": REGION,
        }
        return json.dumps(record, separators=(",", ":"))

    def snapshot(self) -> dict[str, MappingSnapshot]:
        return {
            mid: {
                "queue": m.queue,
                "function": m.function,
                "batch_size": m.batch_size,
                "window": m.window_ms // 1000,
                "report_batch_item_failures": m.report_failures,
                "pollers": len(m.pollers),
                "batches_in_progress": m.busy,
                "max_concurrency": m.max_concurrency,
                "filters": list(m.filters.texts) if m.filters else [],
            }
            for mid, m in self.mappings.items()
        }
