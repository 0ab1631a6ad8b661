"""Recursive loop detection: a function that feeds its own trigger through SQS, SNS or S3.

Rules of the model, each cited again above the code that enforces it (docs/fidelity.md,
"Recursive loop detection"):

- A function's code may send what it handled on (`output`: a queue, a topic or a bucket). What it
  sends carries the chain of requests it belongs to: for each function, how many times this chain
  has invoked it (lambda_recursion_scope: Lambda keeps this count in the tracing metadata of
  the events). The metadata travels through SQS messages, SNS fan-out copies and S3 events to the
  next invocation.
- Before an invocation from SQS (the event source mapping), SNS or S3 (asynchronous), Lambda looks
  at the chain: when the event has already invoked this function `RECURSION_THRESHOLD` times, the
  invocation is stopped (`RecursiveInvocationDropped`) (lambda_recursion_threshold).
- What becomes of the stopped event: an asynchronous one goes to the function's on-failure
  destination or DLQ, if configured, otherwise it is dropped; an SQS batch is not deleted, so it
  comes back after its visibility timeout with a higher receive count, until the queue's redrive
  policy moves it to its DLQ.
- `RecursiveLoop` `Allow` (PutFunctionRecursionConfig) turns detection off for one function;
  `Terminate` is the default.
- Only the engine's SQS, SNS and S3 paths carry the chain; a direct invoke starts a new chain.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

from studyaws.engine import events as ev
from studyaws.engine.errors import AwsError, InvalidParameterValueException
from studyaws.engine.lambda_.config import ACCOUNT_CONCURRENCY
from studyaws.engine.lambda_.environments import Lifecycle
from studyaws.engine.targets import parse_target, send_to

if TYPE_CHECKING:
    from studyaws.engine.lambda_.config import Function
    from studyaws.engine.world import World

RECURSION_THRESHOLD: Final = 16  # lambda_recursion_threshold
RECURSIVE_LOOP_VALUES: Final = ("Allow", "Terminate")

# A chain of requests: (function, invocations of it so far), sorted by function name.
Chain = tuple[tuple[str, int], ...]


def _count(chain: Chain, function: str) -> int:
    return next((n for name, n in chain if name == function), 0)


def _merge(chains: Iterable[Chain]) -> Chain:
    merged: dict[str, int] = {}
    for chain in chains:
        for name, n in chain:
            merged[name] = max(n, merged.get(name, 0))
    return tuple(sorted(merged.items()))


class Recursion:
    """The tracing metadata of the world's messages and requests, and each function's setting."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.tags: dict[str, Chain] = {}  # a message or request id → the chain it belongs to
        self.sending: Chain | None = None  # the chain of what a handler is sending right now
        self.allowed: set[str] = set()  # functions with RecursiveLoop Allow

    def carry(self, item_id: str | None) -> None:
        """A message or request created while a handler sends: it belongs to that chain."""
        if self.sending is not None and item_id is not None:
            self.tags[item_id] = self.sending

    def chain_of(self, ids: Iterable[str]) -> Chain:
        """The chain of an invocation that handles these messages (the longest of theirs)."""
        return _merge(self.tags[i] for i in ids if i in self.tags)

    def stops(self, function: str, chain: Chain) -> bool:
        # lambda_recursion_threshold: "If your function is invoked more than 16 times in the same
        # chain of requests, then Lambda automatically stops the next function invocation in
        # that request chain and notifies you."
        # (https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html)
        return function not in self.allowed and _count(chain, function) >= RECURSION_THRESHOLD

    def dropped(self, fn: Function, request_id: str, chain: Chain, source: str) -> None:
        self.world.emit(
            ev.RecursiveInvocationDropped,
            "lambda_recursion_threshold",
            fn.name,
            request_id=request_id,
            invocations=_count(chain, fn.name),
            source=source,
        )

    def send_output(
        self, fn: Function, target_text: str, bodies: Iterable[str], chain: Chain
    ) -> None:
        """The handler sends each body it handled on to its output, in the next link of the chain.
        A send the target refuses is lost (the simulated code doesn't retry)."""
        world = self.world
        try:
            target = parse_target(
                world, target_text, InvalidParameterValueException, ("sqs", "sns", "s3")
            )
        except AwsError:
            return
        # lambda_recursion_scope: the function "updates this metadata" when it writes an event to
        # a supported service with the AWS SDK: the count of this function goes up by one.
        next_chain = tuple(sorted({**dict(chain), fn.name: _count(chain, fn.name) + 1}.items()))
        previous = self.sending
        self.sending = next_chain
        try:
            for body in bodies:
                try:
                    self.carry(send_to(world, target, body, source=f"lambda:{fn.name}"))
                except AwsError:
                    continue
        finally:
            self.sending = previous


def handled_bodies(text: str) -> tuple[str, ...]:
    """What a handler invoked with `text` passes on: an SNS notification's message, an S3 event's
    key, or the payload itself."""
    try:
        data: Any = json.loads(text)
    except ValueError:
        return (text,)
    records = data.get("Records") if isinstance(data, dict) else None
    if isinstance(records, list) and records and isinstance(records[0], dict):
        first = records[0]
        if isinstance(first.get("Sns"), dict):
            return (str(first["Sns"].get("Message", "")),)
        s3 = first.get("s3")
        if isinstance(s3, dict) and isinstance(s3.get("object"), dict):
            return (str(s3["object"].get("key", "")),)
    return (text,)


class Loops(Lifecycle):
    """PutFunctionRecursionConfig, and the recursion state of the Lambda API."""

    def __init__(self, world: World, account_concurrency: int = ACCOUNT_CONCURRENCY) -> None:
        super().__init__(world, account_concurrency)
        self.recursion = Recursion(world)

    def put_function_recursion_config(self, name: str, recursive_loop: str) -> None:
        """PutFunctionRecursionConfig: `Terminate` (the default) stops recursive loops; `Allow`
        lets this function loop."""
        self.function(name)
        if recursive_loop not in RECURSIVE_LOOP_VALUES:
            raise InvalidParameterValueException(
                f"RecursiveLoop must be one of {', '.join(RECURSIVE_LOOP_VALUES)} "
                f"(got {recursive_loop!r})."
            )
        # lambda_recursion_scope: "If you set your function's recursive loop detection
        # configuration to Allow, Lambda doesn't take any action when it detects your function
        # being invoked as part of a recursive loop." (PutFunctionRecursionConfig)
        if recursive_loop == "Allow":
            self.recursion.allowed.add(name)
        else:
            self.recursion.allowed.discard(name)
        self.world.emit(
            ev.FunctionUpdated,
            "PutFunctionRecursionConfig",
            name,
            changes=(("recursive_loop", recursive_loop),),
        )
