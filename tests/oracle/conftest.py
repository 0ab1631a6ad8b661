"""Two drivers for the same operation sequence: the engine and moto (on a virtual clock).

moto's clock is controlled by replacing `moto.core.utils.utcnow`: every SQS timestamp in moto goes
through `unix_time()`/`unix_time_millis()`, which look that function up at call time
(the technique the behaviour cases of docs/fidelity.md were probed with). moto tests visibility
with a strict `now > deadline`, the engine with `now >= deadline`: scenarios stay at least 1 ms away
from boundaries.

The SNS part (topics, SQS subscriptions with raw delivery and filter policies, Publish, reading
what arrived with its message attributes) needs no clock: SNS delivers at the publish on both
sides.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any, Protocol

import pytest

from studyaws.engine import AwsError, World

Msg = tuple[str, str, int]  # body, receipt handle, ApproximateReceiveCount
Delivered = tuple[str, str, str, dict[str, str]]  # SQS MessageId, body, handle, message attributes


class Driver(Protocol):
    name: str

    def create(self, name: str, **attrs: Any) -> None: ...
    def send(self, queue: str, body: str, **kw: Any) -> str: ...
    def recv(
        self, queue: str, max_n: int = 1, vt: int | None = None, wait: int = 0
    ) -> list[Msg]: ...
    def delete(self, queue: str, handle: str) -> None: ...
    def cmv(self, queue: str, handle: str, seconds: int) -> None: ...
    def set_attrs(self, queue: str, **attrs: Any) -> None: ...
    def counts(self, queue: str) -> tuple[int, int, int]: ...
    def advance(self, seconds: float) -> None: ...
    def purge(self, queue: str) -> None: ...
    def error(self, call: Callable[[], object]) -> str | None: ...
    # SNS (section H): topics publishing to SQS subscriptions
    def create_topic(self, name: str) -> None: ...
    def subscribe(
        self,
        topic: str,
        queue: str,
        *,
        raw: bool = False,
        policy: dict[str, Any] | None = None,
        body_scope: bool = False,
    ) -> None: ...
    def publish(
        self, topic: str, body: str, attrs: dict[str, str] | None = None, subject: str | None = None
    ) -> str: ...
    def deliveries(self, queue: str) -> list[Delivered]: ...


# attribute keywords shared by both drivers → (engine keyword, AWS attribute name)
ATTRS = {
    "fifo": ("fifo", "FifoQueue"),
    "vt": ("visibility_timeout_s", "VisibilityTimeout"),
    "delay": ("delay_s", "DelaySeconds"),
    "retention": ("retention_s", "MessageRetentionPeriod"),
    "cbd": ("content_based_dedup", "ContentBasedDeduplication"),
    "scope": ("dedup_scope", "DeduplicationScope"),
}


class EngineDriver:
    name = "engine"

    def __init__(self) -> None:
        self.world = World()
        self.sqs = self.world.sqs

    def _kwargs(self, attrs: dict[str, Any]) -> dict[str, Any]:
        out = {ATTRS[k][0]: v for k, v in attrs.items() if k in ATTRS}
        if "dlq" in attrs:
            out["dead_letter_queue"] = attrs["dlq"]
            out["max_receive_count"] = attrs["max_receives"]
        return out

    def create(self, name: str, **attrs: Any) -> None:
        self.sqs.create_queue(name, **self._kwargs(attrs))

    def send(self, queue: str, body: str, **kw: Any) -> str:
        return self.sqs.send_message(
            queue,
            body,
            delay_s=kw.get("delay"),
            group=kw.get("group"),
            dedup_id=kw.get("dedup"),
            attributes=kw.get("attrs"),
        ).message_id

    def recv(self, queue: str, max_n: int = 1, vt: int | None = None, wait: int = 0) -> list[Msg]:
        got = self.sqs.receive_message(
            queue, max_number_of_messages=max_n, visibility_timeout_s=vt, wait_time_s=wait
        )
        return [(r.body, r.receipt, r.receive_count) for r in got]

    def delete(self, queue: str, handle: str) -> None:
        self.sqs.delete_message(queue, handle)

    def cmv(self, queue: str, handle: str, seconds: int) -> None:
        self.sqs.change_message_visibility(queue, handle, seconds)

    def set_attrs(self, queue: str, **attrs: Any) -> None:
        self.sqs.set_queue_attributes(queue, **self._kwargs(attrs))

    def counts(self, queue: str) -> tuple[int, int, int]:
        a = self.sqs.get_queue_attributes(queue)
        return (
            a["ApproximateNumberOfMessages"],
            a["ApproximateNumberOfMessagesNotVisible"],
            a["ApproximateNumberOfMessagesDelayed"],
        )

    def advance(self, seconds: float) -> None:
        self.world.advance(seconds)

    def purge(self, queue: str) -> None:
        self.sqs.purge_queue(queue)

    def error(self, call: Callable[[], object]) -> str | None:
        try:
            call()
        except AwsError as exc:
            return exc.code
        return None

    def create_topic(self, name: str) -> None:
        self.world.sns.create_topic(name)

    def subscribe(
        self,
        topic: str,
        queue: str,
        *,
        raw: bool = False,
        policy: dict[str, Any] | None = None,
        body_scope: bool = False,
    ) -> None:
        self.world.sns.subscribe(
            topic,
            f"sqs:{queue}",
            raw=raw,
            filter_policy=None if policy is None else json.dumps(policy),
            filter_scope="MessageBody" if body_scope else "MessageAttributes",
        )

    def publish(
        self, topic: str, body: str, attrs: dict[str, str] | None = None, subject: str | None = None
    ) -> str:
        return self.world.sns.publish(topic, body, attributes=attrs, subject=subject)

    def deliveries(self, queue: str) -> list[Delivered]:
        got = self.sqs.receive_message(queue, max_number_of_messages=10)
        return [(r.message_id, r.body, r.receipt, dict(r.attributes)) for r in got]


class MotoDriver:
    name = "moto"

    def __init__(self, client: Any, clock: VirtualClock, sns: Any = None) -> None:
        self.client = client
        self.sns = sns
        self.clock = clock
        self.urls: dict[str, str] = {}
        self.topics: dict[str, str] = {}

    def _attributes(self, attrs: dict[str, Any]) -> dict[str, str]:
        out = {
            ATTRS[k][1]: str(v).lower() if isinstance(v, bool) else str(v)
            for k, v in attrs.items()
            if k in ATTRS
        }
        if "dlq" in attrs:
            arn = self.client.get_queue_attributes(
                QueueUrl=self.urls[attrs["dlq"]], AttributeNames=["QueueArn"]
            )["Attributes"]["QueueArn"]
            out["RedrivePolicy"] = json.dumps(
                {"deadLetterTargetArn": arn, "maxReceiveCount": attrs["max_receives"]}
            )
        return out

    def create(self, name: str, **attrs: Any) -> None:
        url = self.client.create_queue(QueueName=name, Attributes=self._attributes(attrs))
        self.urls[name] = url["QueueUrl"]

    def send(self, queue: str, body: str, **kw: Any) -> str:
        args: dict[str, Any] = {"QueueUrl": self.urls[queue], "MessageBody": body}
        if kw.get("delay") is not None:
            args["DelaySeconds"] = kw["delay"]
        if kw.get("group") is not None:
            args["MessageGroupId"] = kw["group"]
        if kw.get("dedup") is not None:
            args["MessageDeduplicationId"] = kw["dedup"]
        if kw.get("attrs"):
            args["MessageAttributes"] = {
                k: {"DataType": "String", "StringValue": v} for k, v in kw["attrs"].items()
            }
        return str(self.client.send_message(**args)["MessageId"])

    def recv(self, queue: str, max_n: int = 1, vt: int | None = None, wait: int = 0) -> list[Msg]:
        args: dict[str, Any] = {
            "QueueUrl": self.urls.get(queue, queue),
            "MaxNumberOfMessages": max_n,
            "WaitTimeSeconds": wait,
            "MessageSystemAttributeNames": ["ApproximateReceiveCount"],
        }
        if vt is not None:
            args["VisibilityTimeout"] = vt
        got = self.client.receive_message(**args).get("Messages", [])
        return [
            (m["Body"], m["ReceiptHandle"], int(m["Attributes"]["ApproximateReceiveCount"]))
            for m in got
        ]

    def delete(self, queue: str, handle: str) -> None:
        self.client.delete_message(QueueUrl=self.urls[queue], ReceiptHandle=handle)

    def cmv(self, queue: str, handle: str, seconds: int) -> None:
        self.client.change_message_visibility(
            QueueUrl=self.urls[queue], ReceiptHandle=handle, VisibilityTimeout=seconds
        )

    def set_attrs(self, queue: str, **attrs: Any) -> None:
        self.client.set_queue_attributes(
            QueueUrl=self.urls[queue], Attributes=self._attributes(attrs)
        )

    def counts(self, queue: str) -> tuple[int, int, int]:
        a = self.client.get_queue_attributes(QueueUrl=self.urls[queue], AttributeNames=["All"])
        a = a["Attributes"]
        return (
            int(a["ApproximateNumberOfMessages"]),
            int(a["ApproximateNumberOfMessagesNotVisible"]),
            int(a["ApproximateNumberOfMessagesDelayed"]),
        )

    def advance(self, seconds: float) -> None:
        self.clock.now += dt.timedelta(seconds=seconds)

    def purge(self, queue: str) -> None:
        self.client.purge_queue(QueueUrl=self.urls[queue])

    def error(self, call: Callable[[], object]) -> str | None:
        from botocore.exceptions import ClientError

        try:
            call()
        except ClientError as exc:
            return str(exc.response["Error"]["Code"]).rsplit(".", 1)[-1]
        return None

    def create_topic(self, name: str) -> None:
        self.topics[name] = self.sns.create_topic(Name=name)["TopicArn"]

    def subscribe(
        self,
        topic: str,
        queue: str,
        *,
        raw: bool = False,
        policy: dict[str, Any] | None = None,
        body_scope: bool = False,
    ) -> None:
        queue_arn = self.client.get_queue_attributes(
            QueueUrl=self.urls[queue], AttributeNames=["QueueArn"]
        )["Attributes"]["QueueArn"]
        attributes = {"RawMessageDelivery": "true"} if raw else {}
        if policy is not None:
            attributes["FilterPolicy"] = json.dumps(policy)
            if body_scope:
                attributes["FilterPolicyScope"] = "MessageBody"
        self.sns.subscribe(
            TopicArn=self.topics[topic], Protocol="sqs", Endpoint=queue_arn, Attributes=attributes
        )

    def publish(
        self, topic: str, body: str, attrs: dict[str, str] | None = None, subject: str | None = None
    ) -> str:
        args: dict[str, Any] = {"TopicArn": self.topics[topic], "Message": body}
        if attrs:
            args["MessageAttributes"] = {
                k: {"DataType": "String", "StringValue": v} for k, v in attrs.items()
            }
        if subject is not None:
            args["Subject"] = subject
        return str(self.sns.publish(**args)["MessageId"])

    def deliveries(self, queue: str) -> list[Delivered]:
        got = self.client.receive_message(
            QueueUrl=self.urls[queue], MaxNumberOfMessages=10, MessageAttributeNames=["All"]
        ).get("Messages", [])
        return [
            (
                m["MessageId"],
                m["Body"],
                m["ReceiptHandle"],
                {k: v["StringValue"] for k, v in m.get("MessageAttributes", {}).items()},
            )
            for m in got
        ]


class VirtualClock:
    def __init__(self) -> None:
        self.now = dt.datetime(2024, 1, 1)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def moto(monkeypatch: pytest.MonkeyPatch) -> Iterator[MotoDriver]:
    """moto's SQS and SNS backends in-process, the clock frozen and moved only by `advance`."""
    pytest.importorskip("moto")
    import boto3
    import moto.core.utils
    from moto import mock_aws

    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(key, value)
    clock = VirtualClock()
    monkeypatch.setattr(moto.core.utils, "utcnow", clock)
    with mock_aws():
        yield MotoDriver(
            boto3.client("sqs", region_name="us-east-1"),
            clock,
            boto3.client("sns", region_name="us-east-1"),
        )


@pytest.fixture
def engine() -> EngineDriver:
    return EngineDriver()
