"""A CloudWatch alarm / target-tracking policy on queue backlog scaling an Auto Scaling group of
consumers (consumers.py) between a minimum and a maximum.

Rules of the model:

- The metric is the backlog per instance: `ApproximateNumberOfMessagesVisible` divided by the
  running instances, evaluated once a minute (SQS sends its metrics to CloudWatch every minute).
- Target tracking wants `ceil(visible / target)` instances, clamped to [min, max]. The alarm is
  `ALARM` while the backlog per instance is above the target, `OK` otherwise.
- After a scaling activity nothing else happens until the cooldown has passed (default 300 s).
- Scale-in terminates the newest instances at once: a message an instance was processing is never
  deleted and comes back after its visibility timeout. With a termination lifecycle hook
  (`lifecycle_hook`) an instance chosen for scale-in first finishes the messages it holds
  (autoscaling_scale_in).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, TypedDict

from studyaws.engine import events as ev
from studyaws.engine.clock import ACTOR, Timer
from studyaws.engine.consumers import MAX_CONSUMERS
from studyaws.engine.errors import InvalidParameterValue, QueueDoesNotExist, ValidationException

if TYPE_CHECKING:
    from studyaws.engine.world import World

EVALUATE_EVERY_MS: Final = 60_000
COOLDOWN_DEFAULT_S: Final = 300


class GroupSnapshot(TypedDict):
    """One Auto Scaling group in `world.snapshot()["groups"]`, by queue."""

    min: int
    max: int
    backlog_per_instance: int
    cooldown: int
    alarm: str
    instances: int


class Group:
    __slots__ = (
        "alarm",
        "cooldown_ms",
        "last_scaled_ms",
        "lifecycle_hook",
        "max_size",
        "min_size",
        "queue",
        "target",
        "timer",
    )

    def __init__(
        self, queue: str, min_size: int, max_size: int, target: int, cooldown_ms: int
    ) -> None:
        self.queue = queue
        self.min_size = min_size
        self.max_size = max_size
        self.target = target
        self.cooldown_ms = cooldown_ms
        self.last_scaled_ms: int | None = None
        self.alarm = "INSUFFICIENT_DATA"
        self.timer: Timer | None = None
        self.lifecycle_hook = False


class AutoScaling:
    def __init__(self, world: World) -> None:
        self.world = world
        self.groups: dict[str, Group] = {}

    def autoscale(
        self,
        queue: str,
        *,
        min_size: int,
        max_size: int,
        backlog_per_instance: int,
        cooldown_s: int | None = None,
        lifecycle_hook: bool = False,
    ) -> str:
        """PutScalingPolicy (target tracking on backlog per instance) for `queue`'s consumers;
        `lifecycle_hook`: a termination lifecycle hook lets an instance finish its messages."""
        if queue not in self.world.sqs.queues:
            raise QueueDoesNotExist(queue)
        if not 0 <= min_size <= max_size:
            raise ValidationException(
                f"MinSize ({min_size}) must be between 0 and MaxSize ({max_size})."
            )
        if max_size > MAX_CONSUMERS:
            raise ValidationException(
                f"MaxSize ({max_size}) is above the simulation's {MAX_CONSUMERS} consumers."
            )
        if backlog_per_instance < 1:
            raise ValidationException("The target backlog per instance must be at least 1.")
        if cooldown_s is None:
            cooldown_s = COOLDOWN_DEFAULT_S
        if cooldown_s < 0:
            raise ValidationException("The cooldown cannot be negative.")
        if queue in self.groups:
            raise InvalidParameterValue(f"{queue} already has an Auto Scaling group.")
        group = Group(queue, min_size, max_size, backlog_per_instance, cooldown_s * 1000)
        group.lifecycle_hook = lifecycle_hook
        self.groups[queue] = group
        self.world.resources[("autoscaling", queue)] = group
        self.world.emit(
            ev.AutoScalingGroupCreated,
            "CreateAutoScalingGroup",
            queue,
            min_size=min_size,
            max_size=max_size,
            backlog_per_instance=backlog_per_instance,
            cooldown_ms=cooldown_s * 1000,
        )
        consumers = self.world.consumers
        running = consumers.running(queue)
        if running < min_size:
            consumers.start_consumers(
                queue, min_size - running, **_fleet_settings(self.world, queue)
            )
        elif running > max_size:
            self._scale_in(group, running - max_size)
        clock = self.world.clock
        group.timer = clock.schedule(clock.now_ms + EVALUATE_EVERY_MS, ACTOR, self._evaluate, group)
        return queue

    def _evaluate(self, group: Group) -> None:
        world = self.world
        clock = world.clock
        now = clock.now_ms
        queue = world.sqs.queues.get(group.queue)
        if queue is None:
            return
        consumers = world.consumers
        running = consumers.running(group.queue)
        visible = queue.n_visible
        backlog = visible / max(running, 1)
        state = "ALARM" if backlog > group.target else "OK"
        if state != group.alarm:
            group.alarm = state
            world.emit(
                ev.AlarmStateChanged,
                "cloudwatch_backlog_per_instance",
                group.queue,
                alarm=f"{group.queue}-backlog",
                state=state,
                backlog_per_instance=round(backlog, 3),
            )
        wanted = -(-visible // group.target)
        desired = max(group.min_size, min(group.max_size, wanted))
        if desired != running:
            if group.last_scaled_ms is not None and now - group.last_scaled_ms < group.cooldown_ms:
                world.emit(
                    ev.ScalingBlockedByCooldown,
                    "autoscaling_cooldown",
                    group.queue,
                    desired=desired,
                    until_ms=group.last_scaled_ms + group.cooldown_ms,
                )
            else:
                group.last_scaled_ms = now
                world.emit(
                    ev.GroupScaled,
                    "target_tracking",
                    group.queue,
                    from_size=running,
                    to_size=desired,
                    visible=visible,
                    target=group.target,
                    wanted=wanted,
                )
                if desired > running:
                    consumers.start_consumers(
                        group.queue, desired - running, **_fleet_settings(world, group.queue)
                    )
                else:
                    self._scale_in(group, running - desired)
        group.timer = clock.schedule(now + EVALUATE_EVERY_MS, ACTOR, self._evaluate, group)

    def _scale_in(self, group: Group, count: int) -> None:
        consumers = self.world.consumers
        if group.lifecycle_hook:
            # autoscaling_scale_in: "A termination lifecycle hook extends the life of your
            # Amazon EC2 instance that's already selected for termination. It provides extra
            # time to complete in-progress work currently assigned to the instance"
            # (gracefully-handle-instance-termination).
            consumers.stop_consumers(group.queue, count)
        else:
            consumers.terminate_consumers(group.queue, count)

    def snapshot(self) -> dict[str, GroupSnapshot]:
        return {
            name: {
                "min": g.min_size,
                "max": g.max_size,
                "backlog_per_instance": g.target,
                "cooldown": g.cooldown_ms // 1000,
                "alarm": g.alarm,
                "instances": self.world.consumers.running(name),
            }
            for name, g in self.groups.items()
        }


def _fleet_settings(world: World, queue: str) -> dict[str, Any]:
    fleet = world.consumers.fleets.get(queue)
    if fleet is None:
        return {}
    return {
        "process_s": fleet.process_ms / 1000,
        "fail": fleet.fail,
        "max_messages": fleet.max_messages,
        "wait_s": fleet.wait_s,
    }
