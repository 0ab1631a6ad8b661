"""Where things can be sent: a queue, a topic, a function (with a qualifier) or a bucket.

Several services deliver to "a target" (SNS subscriptions, Lambda destinations and DLQs, S3 event
notifications, schedules). A target is written `sqs:NAME`, `sns:NAME`, `lambda:NAME[:QUALIFIER]`
or `s3:NAME`; a bare `NAME` (or `NAME:QUALIFIER`) is looked up in that order among the resources
that exist. Delivery goes through the services' own public calls, so every rule of the receiving
service applies (a FIFO queue needs a group, a message is at most 1 MiB, ...).

Also here: the fixed account, Region and epoch of the simulated world (ARNs and timestamps).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from studyaws.engine.errors import AwsError

if TYPE_CHECKING:
    from studyaws.engine.world import World

ACCOUNT: Final = "123456789012"
REGION: Final = "us-east-1"
# Virtual time 0 is this instant (UTC): schedules (cron) and timestamps count from it.
EPOCH: Final = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
KINDS: Final = ("sqs", "sns", "lambda", "s3")


def iso(at_ms: int) -> str:
    """`2025-01-01T00:00:31.000Z` for virtual time 31 s."""
    moment = EPOCH + dt.timedelta(milliseconds=at_ms)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at_ms % 1000:03d}Z"


def arn(kind: str, name: str) -> str:
    if kind == "sqs":
        return f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"
    if kind == "sns":
        return f"arn:aws:sns:{REGION}:{ACCOUNT}:{name}"
    if kind == "lambda":
        return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"
    if kind == "s3":
        return f"arn:aws:s3:::{name}"
    return f"arn:aws:{kind}:{REGION}:{ACCOUNT}:{name}"


@dataclass(frozen=True, slots=True)
class Target:
    kind: str
    name: str
    qualifier: str | None = None

    def __str__(self) -> str:
        return f"{self.kind}:{self.function_ref}"

    @property
    def function_ref(self) -> str:
        return self.name if self.qualifier is None else f"{self.name}:{self.qualifier}"


def parse_target(
    world: World,
    text: str,
    error: Callable[[str], AwsError],
    allowed: tuple[str, ...] = ("sqs", "sns", "lambda"),
    *,
    must_exist: bool = True,
) -> Target:
    """Resolve `text` to a target of one of the `allowed` kinds, or raise `error(message)`."""
    kind, sep, rest = text.partition(":")
    if sep and kind in KINDS:
        name, _s, qualifier = rest.partition(":")
        target = Target(kind, name, qualifier or None)
        if target.kind not in allowed:
            raise error(
                f"A {kind} target is not supported here (use one of: {', '.join(allowed)})."
            )
        if must_exist and not exists(world, target):
            raise error(f"The target {text} does not exist.")
        return target
    name, _s, qualifier = text.partition(":")
    for kind in allowed:
        target = Target(kind, name, qualifier or None if kind == "lambda" else None)
        if (qualifier and kind != "lambda") or not exists(world, target):
            continue
        return target
    raise error(
        f"No {' or '.join(allowed)} resource named {text} (create it first, or write "
        f"KIND:NAME, e.g. sqs:{name})."
    )


def exists(world: World, target: Target) -> bool:
    if target.kind == "sqs":
        return target.name in world.sqs.queues
    if target.kind == "sns":
        return target.name in world.sns.topics
    if target.kind == "lambda":
        return target.name in world.lambda_.functions
    if target.kind == "s3":
        return target.name in world.s3.buckets
    return False


def is_fifo(world: World, target: Target) -> bool:
    if target.kind == "sqs":
        queue = world.sqs.queues.get(target.name)
        return queue is not None and queue.config.fifo
    if target.kind == "sns":
        topic = world.sns.topics.get(target.name)
        return topic is not None and topic.fifo
    return False


def send_to(
    world: World,
    target: Target,
    body: str,
    *,
    source: str,
    attributes: dict[str, str] | None = None,
    group: str | None = None,
    dedup_id: str | None = None,
) -> str:
    """Deliver `body` through the target service's own API; its id (message or request).

    Raises the receiving service's `AwsError` when it refuses (e.g. the queue is gone)."""
    if target.kind == "sqs":
        message_id = world.sqs.send_message(
            target.name, body, attributes=attributes, group=group, dedup_id=dedup_id
        ).message_id
        # lambda_recursion_scope: a message sent while a handler writes is in its chain.
        world.lambda_.recursion.carry(message_id)
        return message_id
    if target.kind == "sns":
        return world.sns.publish(
            target.name, body, attributes=attributes, group=group, dedup_id=dedup_id
        )
    if target.kind == "lambda":
        return world.lambda_.invoke_async(target.function_ref, body, source=source)
    if target.kind == "s3":
        return world.s3.put_object(target.name, f"{source}/{world.now_ms}", size=len(body))
    raise ValueError(target.kind)
