"""Safe on a real account: the prefix, the refusal to touch anything else, the estimate (pure)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from studyaws.live.safety import (
    PREFIX_ROOT,
    Resource,
    SafetyError,
    Tracker,
    check_owned,
    cleanup,
    cost_usd,
    estimate,
    new_prefix,
)


def test_every_run_gets_a_new_random_prefix() -> None:
    prefixes = {new_prefix() for _ in range(50)}
    assert len(prefixes) == 50
    assert all(re.fullmatch(r"studyaws-verify-[a-z0-9]{6}-", p) for p in prefixes)
    assert new_prefix("abc123") == "studyaws-verify-abc123-"


def test_nothing_without_the_prefix_is_touched() -> None:
    prefix = new_prefix("abc123")
    check_owned("studyaws-verify-abc123-q", prefix)
    for name in ("orders", "studyaws-verify-zzz999-q", "my-studyaws-verify-abc123-q"):
        with pytest.raises(SafetyError):
            check_owned(name, prefix)
    with pytest.raises(SafetyError):
        check_owned("orders", "")
    with pytest.raises(SafetyError):
        Tracker(prefix).add("queue", "orders")


class FakeSqs:
    """Three queues: two of the run, one of the learner's."""

    def __init__(self) -> None:
        self.queues = {
            f"{PREFIX_ROOT}abc123-a": "u/a",
            f"{PREFIX_ROOT}abc123-b": "u/b",
            "orders": "u/orders",
        }
        self.deleted: list[str] = []

    def get_paginator(self, _name: str) -> Any:
        queues = self.queues

        class Pages:
            def paginate(self, QueueNamePrefix: str) -> list[dict[str, Any]]:  # noqa: N803
                # a careless endpoint that ignores the prefix filter
                return [{"QueueUrls": [f"http://x/{n}" for n in queues]}]

        return Pages()

    def get_queue_url(self, QueueName: str) -> dict[str, str]:  # noqa: N803
        return {"QueueUrl": f"http://x/{QueueName}"}

    def delete_queue(self, QueueUrl: str) -> None:  # noqa: N803
        self.deleted.append(QueueUrl.rsplit("/", 1)[-1])


class FakeSns:
    def __init__(self) -> None:
        self.deleted: list[str] = []

    def get_paginator(self, _name: str) -> Any:
        class Pages:
            def paginate(self) -> list[dict[str, Any]]:
                return [
                    {
                        "Topics": [
                            {"TopicArn": "arn:aws:sns:r:1:alerts"},
                            {"TopicArn": f"arn:aws:sns:r:1:{PREFIX_ROOT}abc123-t"},
                        ]
                    }
                ]

        return Pages()

    def delete_topic(self, TopicArn: str) -> None:  # noqa: N803
        self.deleted.append(TopicArn)


def test_cleanup_deletes_the_runs_resources_topics_first_and_nothing_else() -> None:
    """Even when the endpoint lists other queues and topics, only the run's prefix is deleted;
    topics go first, so nothing is delivered to a queue being deleted."""
    sqs, sns = FakeSqs(), FakeSns()
    prefix = new_prefix("abc123")
    report = cleanup(
        sqs,
        sns,
        prefix,
        [Resource("queue", f"{prefix}a")],
        topic_arn=lambda n: f"arn:aws:sns:r:1:{n}",
    )
    assert sorted(sqs.deleted) == [f"{prefix}a", f"{prefix}b"]
    assert sns.deleted == [f"arn:aws:sns:r:1:{prefix}t"]
    assert [r.kind for r in report.deleted] == ["topic", "queue", "queue"]
    assert report.failed == []


def test_estimate_counts_requests_per_queue_kind_and_the_waits() -> None:
    """The learner sees, before anything runs on AWS, how many requests a script makes (an upper
    bound: the cleanup counts too) and what they cost at list prices."""
    est = estimate(
        [
            "create-queue q --wait 2",
            "create-queue f.fifo --fifo",
            "send q hi",
            "send q big --size 200000",  # 4 chunks of 64 KiB
            "send f.fifo x --group g --dedup-id d",
            "receive q",
            "tick 3",
            "create-topic t",
            "subscribe t q",
            "publish t hello",
            "invoke fn x",  # Lambda: not sent
        ]
    )
    assert est.queues == {"q", "f.fifo"}
    assert est.topics == {"t"}
    assert est.sqs_standard == 4 + 2 + 5 + 2 + 2
    assert est.sqs_fifo == 4 + 2
    assert est.sns == 2 + 1 + 1
    assert est.wait_s == 2 + 3
    assert cost_usd(est) == pytest.approx(15 * 0.4e-6 + 6 * 0.5e-6 + 4 * 0.5e-6)


def test_estimate_stops_at_a_bad_line() -> None:
    """A script stops at a line that is not a command: nothing after it is sent."""
    est = estimate(["create-queue q", "no-such-command", "create-queue r"])
    assert est.queues == {"q"}
