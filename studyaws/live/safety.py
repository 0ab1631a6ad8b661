"""Safe on a real account: one prefix for everything, an estimate before, a cleanup after.

Rules:
- Every queue and topic a run creates is named `studyaws-verify-<random>-<name>`; the random
  part is new for every run, so two runs (or a run and the learner's own queues) never meet.
- Nothing without the prefix is ever deleted: `check_owned` stands in front of every delete.
- A run remembers each name *before* asking the endpoint to create it, so a Ctrl-C between the
  request and its answer still deletes it; the cleanup then also sweeps the endpoint for the run's
  prefix. `studyaws verify --cleanup` sweeps for `studyaws-verify-` (any run).
- Before a run against AWS the learner sees the number of requests it will make and their cost
  at list prices (`estimate`, `cost_usd`); the estimate is an upper bound (a test checks it
  against the requests a run really makes).

The estimate is pure. The cleanup takes boto3 clients but imports nothing (duck typing).
"""

from __future__ import annotations

import math
import secrets
import string
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from studyaws.sandbox import SandboxSyntaxError, parse

PREFIX_ROOT: Final = "studyaws-verify-"
_TOKEN_ALPHABET: Final = string.ascii_lowercase + string.digits

# List prices in US East (N. Virginia), per request, before the free tier (the first million
# requests a month are free, for SQS and for SNS):
# https://aws.amazon.com/sqs/pricing/ — standard queues $0.40 per million requests, FIFO queues
# $0.50 per million; "each 64 KB chunk of a payload is billed as 1 request".
# https://aws.amazon.com/sns/pricing/ — standard topics $0.50 per million publishes (each 64 KB
# chunk is one request); deliveries to SQS queues are not charged.
SQS_STANDARD_USD: Final = 0.40 / 1_000_000
SQS_FIFO_USD: Final = 0.50 / 1_000_000
SNS_PUBLISH_USD: Final = 0.50 / 1_000_000
CHUNK_BYTES: Final = 64 * 1024


class SafetyError(Exception):
    """A delete of something this tool did not create: refused."""


def new_prefix(token: str | None = None) -> str:
    """`studyaws-verify-k3f9x2-`: a fresh random part unless `token` is given (tests)."""
    if token is None:
        token = "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(6))
    return f"{PREFIX_ROOT}{token}-"


def check_owned(name: str, prefix: str) -> None:
    """Refuse to touch a resource whose name does not carry the prefix."""
    if not prefix.startswith(PREFIX_ROOT) or not name.startswith(prefix):
        raise SafetyError(f"refusing to delete '{name}': it does not start with '{prefix}'")


def queue_name_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def topic_name_of(arn: str) -> str:
    return arn.rsplit(":", 1)[-1]


@dataclass(frozen=True, slots=True)
class Resource:
    kind: str  # "queue" or "topic"
    name: str  # the real name, prefix included


@dataclass
class Tracker:
    """What a run asked the endpoint to create (thread-safe: cases run side by side)."""

    prefix: str
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _resources: dict[Resource, None] = field(default_factory=dict)

    def add(self, kind: str, name: str) -> None:
        check_owned(name, self.prefix)
        with self._lock:
            self._resources[Resource(kind, name)] = None

    def resources(self) -> list[Resource]:
        with self._lock:
            return list(self._resources)


@dataclass
class CleanupReport:
    deleted: list[Resource] = field(default_factory=list)
    absent: list[Resource] = field(default_factory=list)  # never created, or already deleted
    failed: list[tuple[Resource, str]] = field(default_factory=list)

    @property
    def left(self) -> list[Resource]:
        return [r for r, _ in self.failed]


def _code(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        error = response.get("Error", {})
        return str(error.get("QueryErrorCode") or error.get("Code") or "")
    return ""


_GONE: Final = frozenset(
    {
        "QueueDoesNotExist",
        "AWS.SimpleQueueService.NonExistentQueue",
        "NotFound",
        "NotFoundException",
    }
)


def sweep(sqs: Any, sns: Any, prefix: str) -> list[Resource]:
    """Every queue and topic on the endpoint whose name starts with `prefix`."""
    if not prefix.startswith(PREFIX_ROOT):
        raise SafetyError(f"refusing to sweep for '{prefix}'")
    found: list[Resource] = []
    for page in sqs.get_paginator("list_queues").paginate(QueueNamePrefix=prefix):
        for url in page.get("QueueUrls", []):
            if queue_name_of(url).startswith(prefix):
                found.append(Resource("queue", queue_name_of(url)))
    for page in sns.get_paginator("list_topics").paginate():
        for topic in page.get("Topics", []):
            if topic_name_of(topic["TopicArn"]).startswith(prefix):
                found.append(Resource("topic", topic_name_of(topic["TopicArn"])))
    return found


def cleanup(
    sqs: Any,
    sns: Any,
    prefix: str,
    resources: Iterable[Resource],
    *,
    topic_arn: Callable[[str], str],
    swept: bool = True,
) -> CleanupReport:
    """Delete `resources` (topics first, so nothing is delivered to a queue being deleted), then
    whatever else carries `prefix` on the endpoint (when `swept`). Each name is checked against
    the prefix before its delete; a resource already gone counts as deleted."""
    report = CleanupReport()
    todo = dict.fromkeys(resources)
    if swept:
        try:
            todo.update(dict.fromkeys(sweep(sqs, sns, prefix)))
        except Exception as exc:  # the tracked list still gets deleted
            report.failed.append((Resource("sweep", prefix), str(exc)))
    ordered = sorted(todo, key=lambda r: (r.kind != "topic", r.name))
    for resource in ordered:
        check_owned(resource.name, prefix)
        try:
            if resource.kind == "topic":
                sns.delete_topic(TopicArn=topic_arn(resource.name))
            else:
                url = sqs.get_queue_url(QueueName=resource.name)["QueueUrl"]
                check_owned(queue_name_of(url), prefix)
                sqs.delete_queue(QueueUrl=url)
        except Exception as exc:
            if _code(exc) in _GONE:
                report.absent.append(resource)
            else:
                report.failed.append((resource, _code(exc) or str(exc)))
            continue
        report.deleted.append(resource)
    return report


# -- the estimate (pure) ---------------------------------------------------------------------------


@dataclass
class Estimate:
    sqs_standard: int = 0
    sqs_fifo: int = 0
    sns: int = 0
    queues: set[str] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)
    wait_s: float = 0.0  # the longest the script can wait (ticks and long polls)

    @property
    def requests(self) -> int:
        return self.sqs_standard + self.sqs_fifo + self.sns

    def add(self, other: Estimate) -> None:
        self.sqs_standard += other.sqs_standard
        self.sqs_fifo += other.sqs_fifo
        self.sns += other.sns
        self.queues |= other.queues
        self.topics |= other.topics
        self.wait_s += other.wait_s


def cost_usd(estimate: Estimate) -> float:
    return (
        estimate.sqs_standard * SQS_STANDARD_USD
        + estimate.sqs_fifo * SQS_FIFO_USD
        + estimate.sns * SNS_PUBLISH_USD
    )


def _chunks(body: str, size: int | None) -> int:
    return max(1, math.ceil((size if size is not None else len(body.encode())) / CHUNK_BYTES))


# Requests the backend makes per command (see backend.py), counting a queue-URL lookup every time
# (it happens only for a queue the script did not create): an upper bound.
_SQS_SIMPLE: Final = frozenset(
    {"receive", "delete", "change-visibility", "purge", "stats", "delete-queue"}
)


def estimate(lines: Iterable[str], *, names: Callable[[str], str] = lambda n: n) -> Estimate:
    """The requests a script makes on a real endpoint, its cleanup included. Lines that do not
    parse count nothing (the script stops there before anything is sent)."""
    est = Estimate()
    default_wait: dict[str, int] = {}

    def sqs(queue: str, n: int) -> None:
        if queue.endswith(".fifo"):
            est.sqs_fifo += n
        else:
            est.sqs_standard += n

    for line in lines:
        try:
            command = parse(line)
        except SandboxSyntaxError:
            break
        if command is None:
            continue
        a = command.args
        name = command.name
        if name == "create-queue":
            est.queues.add(names(a["name"]))
            default_wait[a["name"]] = a.get("wait", 0)
            sqs(a["name"], 2 + 2)  # CreateQueue, GetQueueAttributes; cleanup: lookup, delete
        elif name == "set-queue-attributes":
            sqs(a["queue"], 2)
        elif name == "send" and a.get("extended_client") is None:
            sqs(a["queue"], 1 + _chunks(a["body"], a.get("size")))
        elif name in ("send-batch", "delete-batch"):
            # one request, billed in chunks of the whole batch, and the queue's URL
            batch = "".join(str(value) for _id, value in a["entries"])
            sqs(a["queue"], 1 + _chunks(batch, None))
        elif name in _SQS_SIMPLE and not (name == "receive" and a.get("extended_client")):
            sqs(a["queue"], 2)
            if name == "receive":
                est.wait_s += a.get("wait", default_wait.get(a["queue"], 0))
        elif name == "start-message-move-task":
            sqs(a["dlq"], 2)
        elif name == "create-topic":
            est.topics.add(names(a["name"]))
            est.sns += 2  # CreateTopic; cleanup: DeleteTopic
        elif name == "subscribe" and not str(a["target"]).startswith("lambda:"):
            est.sns += 1
            sqs(str(a["target"]).removeprefix("sqs:"), 2)  # the queue policy
            if a.get("dlq") is not None:
                sqs(a["dlq"], 2)
        elif name == "publish":
            est.sns += _chunks(a["body"], None)
        elif name == "tick":
            est.wait_s += a["d"]
    return est


def sweep_requests() -> int:
    """The check that the endpoint answers (ListQueues), and the cleanup's sweep (ListQueues and
    ListTopics, one page each for a run's few resources)."""
    return 3
