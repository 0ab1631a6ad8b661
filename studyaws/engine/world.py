"""The world: one virtual clock, one seeded random, the resources and the event log.

Everything the scenarios, the sandbox and the renderer see comes from here: the services hang off
the world (`world.sqs`, `world.sns`, `world.lambda_`, `world.esm`, `world.s3`, `world.schedules`,
`world.alb`, `world.consumers`, `world.autoscaling`, `world.deploy`), share its clock, its
`random.Random(seed)` and its log, and register their resources in `world.resources`.

- `step()` runs the next timer, `run(until_ms)` every timer due up to and including `until_ms`
  (the boundary convention is in `clock.py`: a deadline `d` is reached when `now_ms >= d`),
  `advance(seconds)` is `run(now + seconds)`.
- Same inputs and seed ⇒ the same log, byte for byte: nothing reads the wall clock, iteration is
  over insertion-ordered dicts only, and the only randomness is `world.random`.
- The log is `"full"`, `"off"`, or bounded (an `int`: keep the last N events). With the log off no
  event object is even built, and memory follows the live messages, not history.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

from studyaws.engine.alb import Alb
from studyaws.engine.autoscaling import AutoScaling, GroupSnapshot
from studyaws.engine.clock import Clock
from studyaws.engine.consumers import Consumers, FleetSnapshot
from studyaws.engine.deploy import CodeDeploy, DeploymentSnapshot
from studyaws.engine.esm import EventSourceMappings, MappingSnapshot
from studyaws.engine.events import Event, EventLog, ms_to_s
from studyaws.engine.lambda_ import FunctionSnapshot, Lambda
from studyaws.engine.s3 import S3, BucketSnapshot
from studyaws.engine.schedules import Schedules, ScheduleSnapshot
from studyaws.engine.sns import Sns, TopicSnapshot
from studyaws.engine.sqs import QueueSnapshot, Sqs

LogMode = Literal["full", "off"] | int


@dataclass(frozen=True, slots=True)
class Chaos:
    """Switches for the non-determinism of standard queues; all off by default.

    - `short_poll_sample`: the fraction of servers a short poll looks at (1.0 = all). "Amazon SQS
      samples a subset of its servers (based on a weighted random distribution)" and with few
      messages "you most likely get fewer messages than you requested" (ReceiveMessage API docs).
    - `delete_survival`: the chance that a deleted message survives on one server and is delivered
      again: "It is possible you will receive a message even after you have deleted it"
      (DeleteMessage API docs; fact `sqs_standard_delivery`).
    - `reorder`: receives may return messages out of send order ("best-effort ordering").
    """

    short_poll_sample: float = 1.0
    delete_survival: float = 0.0
    reorder: bool = False

    @property
    def enabled(self) -> bool:
        return self.short_poll_sample < 1.0 or self.delete_survival > 0.0 or self.reorder


class WorldSnapshot(TypedDict):
    """`world.snapshot()`: plain JSON data, one mapping of resources by name per service."""

    now: int | float  # seconds
    now_ms: int
    seed: int
    chaos: bool
    queues: dict[str, QueueSnapshot]
    topics: dict[str, TopicSnapshot]
    functions: dict[str, FunctionSnapshot]
    mappings: dict[str, MappingSnapshot]
    buckets: dict[str, BucketSnapshot]
    schedules: dict[str, ScheduleSnapshot]
    consumers: dict[str, FleetSnapshot]
    groups: dict[str, GroupSnapshot]
    deployments: dict[str, DeploymentSnapshot]


CHAOS_ON = Chaos(short_poll_sample=0.5, delete_survival=0.1, reorder=True)


class World:
    """The simulated AWS account: clock, seeded random, resources, event log and the services."""

    def __init__(self, seed: int = 0, *, log: LogMode = "full", chaos: Chaos | None = None) -> None:
        self.seed = seed
        self.clock = Clock()
        self.random = random.Random(seed)
        self.chaos = chaos or Chaos()
        if log == "off":
            self.log = EventLog(enabled=False)
        elif log == "full":
            self.log = EventLog()
        else:
            self.log = EventLog(maxlen=int(log))
        self.resources: dict[tuple[str, str], Any] = {}
        self._message_count = 0
        self.sqs = Sqs(self)
        self.sns = Sns(self)
        self.lambda_ = Lambda(self)
        self.esm = EventSourceMappings(self)
        self.s3 = S3(self)
        self.schedules = Schedules(self)
        self.alb = Alb(self)
        self.consumers = Consumers(self)
        self.autoscaling = AutoScaling(self)
        self.deploy = CodeDeploy(self)

    # -- time -------------------------------------------------------------------------------

    @property
    def now_ms(self) -> int:
        return self.clock.now_ms

    @property
    def now_s(self) -> int | float:
        return ms_to_s(self.clock.now_ms)

    def step(self) -> bool:
        """Run the next scheduled timer; False when nothing is scheduled."""
        return self.clock.step()

    def run(self, until_ms: int) -> None:
        """Run every timer due at or before `until_ms` and stand at `until_ms`."""
        self.clock.run(until_ms)

    def advance(self, seconds: float) -> None:
        """Let `seconds` of virtual time pass (every timer in between runs, in order)."""
        self.clock.run(self.clock.now_ms + round(seconds * 1000))

    def settle(self) -> None:
        """Run what is due *now* (e.g. a visibility timeout of 0 set by the last command)."""
        self.clock.settle()

    # -- identity and log -------------------------------------------------------------------

    def next_message_number(self) -> int:
        """Message `m<n>` gets the next `n`: ids follow creation order (DESIGN §4); a fan-out
        copy is a new message, a move to a DLQ keeps its id."""
        self._message_count += 1
        return self._message_count

    @property
    def message_count(self) -> int:
        return self._message_count

    def emit(self, cls: type[Event], cause: str, resource: str, **fields: Any) -> None:
        """Append a `cls` event at the current time (nothing is built when the log is off)."""
        log = self.log
        if log.enabled:
            log.append(cls(self.clock.now_ms, log.next_seq(), cause, resource, **fields))

    def events(self, since_ms: int = 0) -> list[Event]:
        return self.log.since(since_ms)

    # -- the picture ------------------------------------------------------------------------

    def snapshot(self) -> WorldSnapshot:
        """Plain data a renderer can draw: now, the seed, and every resource's contents."""
        return {
            "now": self.now_s,
            "now_ms": self.now_ms,
            "seed": self.seed,
            "chaos": self.chaos.enabled,
            "queues": self.sqs.snapshot(),
            "topics": self.sns.snapshot(),
            "functions": self.lambda_.snapshot(),
            "mappings": self.esm.snapshot(),
            "buckets": self.s3.snapshot(),
            "schedules": self.schedules.snapshot(),
            "consumers": self.consumers.snapshot(),
            "groups": self.autoscaling.snapshot(),
            "deployments": self.deploy.snapshot(),
        }
