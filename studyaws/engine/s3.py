"""Amazon S3 as far as the notes need it: buckets, objects, event notifications, and the SQS
extended client that parks large bodies in a bucket.

Rules of the model, each cited again above the code that enforces it:

- A notification rule sends `ObjectCreated:*` and/or `ObjectRemoved:*` events for keys with a
  prefix and a suffix to an SQS queue, an SNS topic or a Lambda function (async invoke); a FIFO
  queue or topic is refused. Two
  rules for the same event type with overlapping prefixes and suffixes are refused — hence the
  S3 → SNS → many SQS fan-out (s3_single_destination_vs_fanout).
- When a queue or topic destination is configured, S3 sends it an `s3:TestEvent` message.
- Deleting a key that does not exist succeeds and sends no event.
- Extended client (sqs_extended_client): a body over the SQS limit (1 MiB) is stored as an object
  and a small pointer message is sent instead; a consumer using the client fetches the object.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, TypedDict

from studyaws.engine import events as ev
from studyaws.engine.errors import (
    AwsError,
    BucketAlreadyOwnedByYou,
    InvalidArgument,
    InvalidParameterValue,
    NoSuchBucket,
)
from studyaws.engine.sqs import MAX_MESSAGE_BYTES, Received
from studyaws.engine.targets import REGION, Target, is_fifo, iso, parse_target, send_to

if TYPE_CHECKING:
    from studyaws.engine.world import World

_BUCKET_RE: Final = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
EVENT_KINDS: Final[dict[str, tuple[str, ...]]] = {
    "created": ("ObjectCreated",),
    "removed": ("ObjectRemoved",),
    "all": ("ObjectCreated", "ObjectRemoved"),
}
POINTER_CLASS: Final = "software.amazon.payloadoffloading.PayloadS3Pointer"
EXTENDED_SIZE_ATTRIBUTE: Final = "ExtendedPayloadSize"
EXTENDED_MAX_BYTES: Final = 2 * 1024**3  # sqs_extended_client: up to 2 GB


class NotificationSnapshot(TypedDict):
    target: str
    events: str
    prefix: str
    suffix: str


class BucketSnapshot(TypedDict):
    """One bucket in `world.snapshot()["buckets"]`: object sizes by key, and notifications."""

    objects: dict[str, int]
    notifications: list[NotificationSnapshot]


@dataclass(frozen=True, slots=True)
class Notification:
    target: Target
    events: str  # created, removed or all
    prefix: str
    suffix: str

    def wants(self, kind: str, key: str) -> bool:
        return (
            kind in EVENT_KINDS[self.events]
            and key.startswith(self.prefix)
            and key.endswith(self.suffix)
        )


@dataclass(slots=True)
class Bucket:
    name: str
    objects: dict[str, tuple[int, str]] = field(default_factory=dict)  # key → (size, content)
    notifications: list[Notification] = field(default_factory=list)
    sequencer: int = 0


def _overlap(a: str, b: str, *, suffix: bool) -> bool:
    if suffix:
        return a.endswith(b) or b.endswith(a)
    return a.startswith(b) or b.startswith(a)


class S3:
    """CreateBucket, PutBucketNotificationConfiguration, PutObject, DeleteObject, GetObject."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.buckets: dict[str, Bucket] = {}
        self._pointers = 0

    def create_bucket(self, name: str) -> str:
        if not _BUCKET_RE.match(name):
            raise InvalidArgument(
                f"The specified bucket {name!r} is not valid (3-63 lowercase letters, digits, "
                f"dots and hyphens)."
            )
        if name in self.buckets:
            raise BucketAlreadyOwnedByYou(
                "Your previous request to create the named bucket succeeded and you already own it."
            )
        self.buckets[name] = Bucket(name)
        self.world.resources[("s3", name)] = self.buckets[name]
        self.world.emit(ev.BucketCreated, "CreateBucket", name)
        return name

    def _bucket(self, name: str) -> Bucket:
        bucket = self.buckets.get(name)
        if bucket is None:
            raise NoSuchBucket(f"The specified bucket does not exist: {name}")
        return bucket

    def put_bucket_notification(
        self,
        bucket_name: str,
        target: str,
        *,
        events: str = "all",
        prefix: str = "",
        suffix: str = "",
    ) -> None:
        bucket = self._bucket(bucket_name)
        if events not in EVENT_KINDS:
            raise InvalidArgument(f"Unsupported event {events!r} (created, removed or all).")
        dest = parse_target(self.world, target, InvalidArgument, ("sqs", "sns", "lambda"))
        # QueueConfiguration: "FIFO queues are not allowed when enabling an SQS queue as the event
        # notification destination."; "Currently, Standard SNS is only allowed as an S3 event
        # notification destination, whereas SNS FIFO is not allowed." (S3 user guide)
        if is_fifo(self.world, dest):
            raise InvalidArgument(
                f"Unable to validate the following destination configurations: {dest} is FIFO "
                f"(S3 event notifications go to standard queues and topics only)."
            )
        new = Notification(dest, events, prefix, suffix)
        # s3_single_destination_vs_fanout: configurations for the same event type with
        # overlapping prefixes and suffixes are refused ("Configurations overlap").
        for old in bucket.notifications:
            same_type = set(EVENT_KINDS[old.events]) & set(EVENT_KINDS[events])
            if (
                same_type
                and _overlap(old.prefix, prefix, suffix=False)
                and _overlap(old.suffix, suffix, suffix=True)
            ):
                raise InvalidArgument(
                    "Configurations overlap. Configurations on the same bucket cannot share a "
                    "common event type (send the events to one SNS topic to fan out)."
                )
        bucket.notifications.append(new)
        self.world.emit(
            ev.BucketNotificationConfigured,
            "PutBucketNotificationConfiguration",
            bucket_name,
            target=str(dest),
            events=events,
            prefix=prefix,
            suffix=suffix,
        )
        # S3 checks a queue or topic destination by sending it a test message.
        if dest.kind in ("sqs", "sns"):
            test = {
                "Service": "Amazon S3",
                "Event": "s3:TestEvent",
                "Time": iso(self.world.now_ms),
                "Bucket": bucket_name,
                "RequestId": f"test-{len(bucket.notifications)}",
            }
            self._send(
                dest, json.dumps(test, separators=(",", ":")), bucket_name, "s3:TestEvent", ""
            )

    def put_object(self, bucket_name: str, key: str, *, size: int = 0, content: str = "") -> str:
        """PutObject; returns the key. Sends `ObjectCreated:Put` to the matching rules."""
        bucket = self._bucket(bucket_name)
        if not key or len(key.encode()) > 1024:
            raise InvalidArgument("Object keys are 1 to 1,024 bytes long.")
        if size < 0:
            raise InvalidArgument("The size of an object cannot be negative.")
        bucket.objects[key] = (size or len(content.encode()), content)
        self.world.emit(
            ev.ObjectCreated, "PutObject", bucket_name, key=key, size=bucket.objects[key][0]
        )
        self._notify(bucket, "ObjectCreated", "Put", key, bucket.objects[key][0])
        self.world.settle()
        return key

    def delete_object(self, bucket_name: str, key: str) -> None:
        bucket = self._bucket(bucket_name)
        if key not in bucket.objects:
            return  # succeeds, nothing happened, nothing to tell
        del bucket.objects[key]
        self.world.emit(ev.ObjectRemoved, "DeleteObject", bucket_name, key=key)
        self._notify(bucket, "ObjectRemoved", "Delete", key, 0)
        self.world.settle()

    def get_object(self, bucket_name: str, key: str) -> tuple[int, str]:
        bucket = self._bucket(bucket_name)
        found = bucket.objects.get(key)
        if found is None:
            raise InvalidArgument(f"NoSuchKey: The specified key does not exist: {key}")
        return found

    def _notify(self, bucket: Bucket, kind: str, action: str, key: str, size: int) -> None:
        for rule in bucket.notifications:
            if not rule.wants(kind, key):
                continue
            bucket.sequencer += 1
            obj: dict[str, Any] = {"key": key}
            if kind == "ObjectCreated":
                obj["size"] = size
            obj["sequencer"] = f"{bucket.sequencer:016X}"
            record = {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": REGION,
                "eventTime": iso(self.world.now_ms),
                "eventName": f"{kind}:{action}",
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "bucket": {"name": bucket.name, "arn": f"arn:aws:s3:::{bucket.name}"},
                    "object": obj,
                },
            }
            body = json.dumps({"Records": [record]}, separators=(",", ":"))
            self._send(rule.target, body, bucket.name, f"{kind}:{action}", key)

    def _send(self, target: Target, body: str, bucket: str, name: str, key: str) -> None:
        try:
            send_to(self.world, target, body, source=f"s3:{bucket}")
        except AwsError:
            return  # the destination is gone: S3 drops the event
        self.world.emit(
            ev.S3EventSent,
            "s3_event_notifications",
            bucket,
            event_name=name,
            key=key,
            target=str(target),
        )

    # -- the extended client --------------------------------------------------------------------

    def send_extended(
        self,
        queue: str,
        body: str,
        bucket_name: str,
        *,
        size: int | None = None,
        group: str | None = None,
        dedup_id: str | None = None,
        attributes: dict[str, str] | None = None,
    ) -> str:
        """SendMessage through the extended client: over the SQS limit, the body goes to S3."""
        self._bucket(bucket_name)
        size = len(body.encode()) if size is None else size
        if size > EXTENDED_MAX_BYTES:
            raise InvalidParameterValue(
                f"The extended client stores at most {EXTENDED_MAX_BYTES} bytes."
            )
        if size <= MAX_MESSAGE_BYTES:
            return self.world.sqs.send_message(
                queue, body, group=group, dedup_id=dedup_id, attributes=attributes, size_bytes=size
            ).message_id
        if queue not in self.world.sqs.queues:
            self.world.sqs.send_message(queue, body)  # raises QueueDoesNotExist
        # sqs_extended_client: "stores the payload in S3 and sends a reference".
        self._pointers += 1
        key = f"payload-{self._pointers}"
        self.put_object(bucket_name, key, size=size, content=body)
        self.world.emit(
            ev.PayloadStoredInS3,
            "sqs_extended_client",
            queue,
            bucket=bucket_name,
            key=key,
            size=size,
        )
        pointer = json.dumps(
            [POINTER_CLASS, {"s3BucketName": bucket_name, "s3Key": key}], separators=(",", ":")
        )
        attrs = dict(attributes or {})
        attrs[EXTENDED_SIZE_ATTRIBUTE] = str(size)
        return self.world.sqs.send_message(
            queue, pointer, group=group, dedup_id=dedup_id, attributes=attrs
        ).message_id

    def resolve_extended(self, queue: str, received: Received) -> Received:
        """What a consumer using the extended client sees: the payload fetched from S3."""
        try:
            data = json.loads(received.body)
        except ValueError:
            return received
        if not (isinstance(data, list) and len(data) == 2 and data[0] == POINTER_CLASS):
            return received
        ref = data[1]
        _size, content = self.get_object(ref["s3BucketName"], ref["s3Key"])
        self.world.emit(
            ev.PayloadFetchedFromS3,
            "sqs_extended_client",
            queue,
            message_id=received.message_id,
            bucket=ref["s3BucketName"],
            key=ref["s3Key"],
        )
        return received._replace(body=content)

    def snapshot(self) -> dict[str, BucketSnapshot]:
        return {
            name: {
                "objects": {k: size for k, (size, _c) in b.objects.items()},
                "notifications": [
                    {
                        "target": str(n.target),
                        "events": n.events,
                        "prefix": n.prefix,
                        "suffix": n.suffix,
                    }
                    for n in b.notifications
                ],
            }
            for name, b in self.buckets.items()
        }
