"""Simulated EC2 consumers of a queue: poll, process for a while, fail by a rule, delete.

Rules of the model (sqs_delete_after_processing, sqs_long_poll_wait):

- A consumer loops: ReceiveMessage (up to `max` messages, long polling when `wait` > 0), then
  processes the messages one after another for `process` each, deleting each one that succeeds
  as soon as it is done. A failed message is not deleted: it comes back after its visibility
  timeout (and reaches the queue's DLQ after `maxReceiveCount` receives).
- An empty short poll costs a request and the consumer polls again one second later; an empty
  long poll polls again at once (it already waited).
- Stopping a consumer (`stop-consumers`, or scale-in with a termination lifecycle hook) lets its
  in-flight work finish: a busy consumer stops after its current messages; an idle one stops at
  once (its pending long poll is abandoned).
- Terminating a consumer (scale-in without a hook, autoscaling.py) ends it at once, even in the
  middle of a message: what it held is never deleted and comes back after its visibility timeout.
- Consumers act at ACTOR priority, after the instant's state changes and deliveries.
"""

from __future__ import annotations

import contextlib
from collections import deque
from typing import TYPE_CHECKING, Final, NotRequired, TypedDict

from studyaws.engine import events as ev
from studyaws.engine.clock import ACTOR
from studyaws.engine.errors import AwsError, InvalidParameterValue, QueueDoesNotExist
from studyaws.engine.lambda_ import FailRule
from studyaws.engine.sqs import RECEIVE_MAX, WAIT_MAX_S, LongPoll, Received

if TYPE_CHECKING:
    from studyaws.engine.world import World

SHORT_POLL_PAUSE_MS: Final = 1000
# Not AWS numbers: what a simulated worker does unless told otherwise — process a message for a
# second, and poll the way AWS recommends (as many messages and as long a wait as SQS allows).
PROCESS_DEFAULT_S: Final = 1.0
# A bound of the simulation, not of AWS (an account's EC2 quota is in vCPUs): every consumer is a
# polling actor, and 10^8 of them would exhaust the memory before the first message moved.
MAX_CONSUMERS: Final = 100


class FleetStats(TypedDict):
    consumers: int
    stopping: NotRequired[int]
    processed: int
    failed: int
    receives: int
    empty_receives: int


class FleetSnapshot(FleetStats):
    """One queue's consumers in `world.snapshot()["consumers"]`."""

    process: float  # seconds per message
    wait: int
    fail: str
    busy: list[str]
    idle: list[str]


class Consumer:
    __slots__ = ("fleet", "id", "pending", "poll", "processed", "stopping", "working")

    def __init__(self, fleet: Fleet, cid: str) -> None:
        self.fleet = fleet
        self.id = cid
        self.pending: deque[Received] = deque()
        self.poll: LongPoll | None = None
        self.working = False
        self.stopping = False
        self.processed = 0


class Fleet:
    """The consumers of one queue and their shared settings."""

    __slots__ = (
        "consumers",
        "empty_receives",
        "fail",
        "failed",
        "max_messages",
        "process_ms",
        "processed",
        "queue",
        "receives",
        "wait_s",
    )

    def __init__(
        self, queue: str, process_ms: int, fail: FailRule, max_messages: int, wait_s: int
    ) -> None:
        self.queue = queue
        self.process_ms = process_ms
        self.fail = fail
        self.max_messages = max_messages
        self.wait_s = wait_s
        self.consumers: list[Consumer] = []
        self.processed = 0
        self.failed = 0
        self.receives = 0
        self.empty_receives = 0


class Consumers:
    def __init__(self, world: World) -> None:
        self.world = world
        self.clock = world.clock
        self.fleets: dict[str, Fleet] = {}
        self._count = 0

    def start_consumers(
        self,
        queue: str,
        count: int,
        *,
        process_s: float | None = None,
        fail: str | FailRule = "never",
        max_messages: int | None = None,
        wait_s: int | None = None,
    ) -> list[str]:
        if queue not in self.world.sqs.queues:
            raise QueueDoesNotExist(queue)
        if count < 1:
            raise InvalidParameterValue("Start at least one consumer.")
        if self.running(queue) + count > MAX_CONSUMERS:
            raise InvalidParameterValue(
                f"At most {MAX_CONSUMERS} consumers per queue in the simulation "
                f"({self.running(queue)} running, {count} asked for)."
            )
        process_s = PROCESS_DEFAULT_S if process_s is None else process_s
        max_messages = RECEIVE_MAX if max_messages is None else max_messages
        wait_s = WAIT_MAX_S if wait_s is None else wait_s
        # sqs_receive_max_messages and sqs_long_poll_wait, checked when the consumers start
        # rather than at their first receive.
        if not 1 <= max_messages <= RECEIVE_MAX:
            raise InvalidParameterValue(f"MaxNumberOfMessages must be between 1 and {RECEIVE_MAX}.")
        if not 0 <= wait_s <= WAIT_MAX_S:
            raise InvalidParameterValue(f"WaitTimeSeconds must be between 0 and {WAIT_MAX_S}.")
        rule = fail
        if isinstance(rule, str):
            try:
                rule = FailRule.parse(rule)
            except ValueError as exc:
                raise InvalidParameterValue(str(exc)) from None
        fleet = self.fleets.get(queue)
        if fleet is None:
            fleet = Fleet(queue, round(process_s * 1000), rule, max_messages, wait_s)
            self.fleets[queue] = fleet
        else:
            fleet.process_ms = round(process_s * 1000)
            fleet.fail = rule
            fleet.max_messages = max_messages
            fleet.wait_s = wait_s
        return [self._launch(fleet) for _ in range(count)]

    def _launch(self, fleet: Fleet) -> str:
        self._count += 1
        consumer = Consumer(fleet, f"c{self._count}")
        fleet.consumers.append(consumer)
        self.world.emit(ev.ConsumerStarted, "RunInstances", fleet.queue, consumer=consumer.id)
        self.clock.schedule(self.clock.now_ms, ACTOR, self._poll, consumer)
        return consumer.id

    def running(self, queue: str) -> int:
        fleet = self.fleets.get(queue)
        return 0 if fleet is None else sum(1 for c in fleet.consumers if not c.stopping)

    def stop_consumers(self, queue: str, count: int | None = None) -> list[str]:
        """Stop `count` consumers (all by default), newest first; in-flight work finishes."""
        fleet = self.fleets.get(queue)
        live = [c for c in fleet.consumers if not c.stopping] if fleet is not None else []
        if fleet is None or not live:
            raise InvalidParameterValue(f"No running consumers on {queue}.")
        chosen = live[::-1][: len(live) if count is None else max(0, count)]
        for consumer in chosen:
            consumer.stopping = True
            self.world.emit(
                ev.ConsumerStopping,
                "autoscaling_scale_in",
                queue,
                consumer=consumer.id,
                in_flight=len(consumer.pending),  # the message being processed included
            )
            if not consumer.working:
                self._stop(consumer)
        return [c.id for c in chosen]

    def terminate_consumers(self, queue: str, count: int) -> list[str]:
        """Terminate `count` consumers at once, newest first: their messages are abandoned."""
        fleet = self.fleets.get(queue)
        live = [c for c in fleet.consumers if not c.stopping] if fleet is not None else []
        chosen = live[::-1][: max(0, count)]
        for consumer in chosen:
            # autoscaling_scale_in: "By default, it's possible that Amazon EC2 Auto Scaling might
            # terminate an instance that is 2.9 hours into processing a 3-hour long job, rather
            # than an instance that's currently idle" (gracefully-handle-instance-termination).
            # The message it held is not deleted: it comes back after its visibility timeout.
            abandoned = tuple(r.message_id for r in consumer.pending)
            consumer.pending.clear()
            consumer.working = False
            consumer.stopping = True
            if consumer.poll is not None:
                self.world.sqs.cancel_receive(consumer.poll)
                consumer.poll = None
            consumer.fleet.consumers.remove(consumer)
            self.world.emit(
                ev.ConsumerTerminated,
                "autoscaling_scale_in",
                queue,
                consumer=consumer.id,
                abandoned=abandoned,
            )
        return [c.id for c in chosen]

    def _stop(self, consumer: Consumer) -> None:
        if consumer.poll is not None:
            self.world.sqs.cancel_receive(consumer.poll)
            consumer.poll = None
        fleet = consumer.fleet
        if consumer in fleet.consumers:
            fleet.consumers.remove(consumer)
            self.world.emit(
                ev.ConsumerStopped, "TerminateInstances", fleet.queue, consumer=consumer.id
            )

    def _poll(self, consumer: Consumer) -> None:
        if consumer.stopping:
            self._stop(consumer)
            return
        fleet = consumer.fleet
        fleet.receives += 1
        try:
            consumer.poll = self.world.sqs.begin_receive(
                fleet.queue,
                lambda got: self._received(consumer, got),
                max_number_of_messages=fleet.max_messages,
                wait_time_s=fleet.wait_s,
            )
        except AwsError:
            consumer.stopping = True
            self._stop(consumer)

    def _received(self, consumer: Consumer, got: list[Received]) -> None:
        consumer.poll = None
        fleet = consumer.fleet
        now = self.clock.now_ms
        if not got:
            fleet.empty_receives += 1
            pause = SHORT_POLL_PAUSE_MS if fleet.wait_s == 0 else 0
            self.clock.schedule(now + pause, ACTOR, self._poll, consumer)
            return
        consumer.pending.extend(got)
        consumer.working = True
        self.clock.schedule(now + fleet.process_ms, ACTOR, self._processed, consumer)

    def _processed(self, consumer: Consumer) -> None:
        fleet = consumer.fleet
        if not consumer.pending:
            return  # terminated in the middle of its work (terminate_consumers)
        msg = consumer.pending.popleft()
        rule = fleet.fail
        failed = rule.fails(fleet.processed + fleet.failed, msg.body)
        world = self.world
        if failed:
            fleet.failed += 1
            world.emit(
                ev.ConsumerFailed,
                "sqs_delete_after_processing",
                fleet.queue,
                consumer=consumer.id,
                message_id=msg.message_id,
            )
        else:
            # An expired FIFO handle makes the delete fail: the message will come back.
            with contextlib.suppress(AwsError):
                world.sqs.delete_message(fleet.queue, msg.receipt)
            fleet.processed += 1
            consumer.processed += 1
            world.emit(
                ev.ConsumerProcessed,
                "sqs_delete_after_processing",
                fleet.queue,
                consumer=consumer.id,
                message_id=msg.message_id,
            )
        now = self.clock.now_ms
        if consumer.pending:
            self.clock.schedule(now + fleet.process_ms, ACTOR, self._processed, consumer)
            return
        consumer.working = False
        if consumer.stopping:
            self._stop(consumer)
            return
        self.clock.schedule(now, ACTOR, self._poll, consumer)

    def stats(self, queue: str) -> FleetStats:
        fleet = self.fleets.get(queue)
        if fleet is None:
            return {"consumers": 0, "processed": 0, "failed": 0, "receives": 0, "empty_receives": 0}
        return {
            "consumers": sum(1 for c in fleet.consumers if not c.stopping),
            "stopping": sum(1 for c in fleet.consumers if c.stopping),
            "processed": fleet.processed,
            "failed": fleet.failed,
            "receives": fleet.receives,
            "empty_receives": fleet.empty_receives,
        }

    def snapshot(self) -> dict[str, FleetSnapshot]:
        return {
            queue: {
                **self.stats(queue),
                "process": fleet.process_ms / 1000,
                "wait": fleet.wait_s,
                "fail": str(fleet.fail),
                "busy": [c.id for c in fleet.consumers if c.working],
                "idle": [c.id for c in fleet.consumers if not c.working],
            }
            for queue, fleet in self.fleets.items()
        }
