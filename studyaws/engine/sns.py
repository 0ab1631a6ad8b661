"""Amazon SNS on the virtual clock: standard and FIFO topics, SQS and Lambda subscriptions.

Rules of the model, each cited again above the code that enforces it:

- Publish gives the SNS message an id `m<n>`; every SQS copy is a new message with its own id
  (DESIGN §4, SNS-01). Deliveries happen at the instant of the publish, one per subscription, in
  subscription order.
- A subscription without a filter policy gets everything; with one, every key must match (AND) and
  one of a key's values is enough (OR); a message without the attributes does not match (SNS-02/03).
  Scope `MessageAttributes` (default) or `MessageBody` (a JSON body). A policy change applies at
  once (AWS: up to 15 minutes).
- Raw delivery sends the body as is and the attributes as SQS attributes; otherwise the body is the
  JSON envelope. A raw SQS delivery of a message with more than 10 attributes is discarded (SNS-05).
- FIFO topics: a group on every publish, 5-minute deduplication by id or body hash, the group and
  the dedup id passed on to FIFO queues; standard queues get neither (SNS-06, sns_fifo_topics).
- SNS → Lambda is an asynchronous invoke with `Records[0].Sns` (SNS-08).
- FIFO topics can archive what is published and replay it to one subscription
  (sns_archive.py).
- SNS-07, as AWS's retry and DLQ pages say: retries (100,015 attempts over 23 days for AWS
  endpoints) are for server-side errors; a client-side error — the endpoint deleted, a policy
  denying SNS — is not retried: the message goes to the subscription's DLQ, or is discarded.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, TypedDict

from studyaws.engine import events as ev
from studyaws.engine.dedup import recent_duplicate
from studyaws.engine.errors import AwsError, InvalidParameter, NotFound
from studyaws.engine.sns_archive import Archives
from studyaws.engine.sns_filter import FILTER_MAX_KEYS as FILTER_MAX_KEYS
from studyaws.engine.sns_filter import FilterPolicy, parse_policy
from studyaws.engine.targets import Target, arn, is_fifo, iso, parse_target
from studyaws.engine.validation import attributes_size, check_attributes, check_id, check_subject

if TYPE_CHECKING:
    from studyaws.engine.world import World

MAX_MESSAGE_BYTES: Final = 262_144  # sns_message_size
RAW_SQS_MAX_ATTRIBUTES: Final = 10  # SNS-05
DEDUP_INTERVAL_MS: Final = 300_000  # sns_fifo_topics: "dedup within 5 min"
_NAME_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class SubscriptionSnapshot(TypedDict):
    id: str
    protocol: str
    endpoint: str
    raw: bool
    filter_policy: str | None
    filter_scope: str
    dlq: str | None


class TopicSnapshot(TypedDict):
    """One topic in `world.snapshot()["topics"]`."""

    fifo: bool
    content_based_dedup: bool
    subscriptions: list[SubscriptionSnapshot]


@dataclass(slots=True)
class Subscription:
    id: str
    topic: str
    target: Target
    raw: bool
    filter_policy: FilterPolicy | None
    filter_text: str | None
    body_scope: bool
    dlq: str | None


@dataclass(slots=True)
class Topic:
    name: str
    fifo: bool
    content_based_dedup: bool
    subscriptions: list[Subscription] = field(default_factory=list)
    dedup: dict[str, tuple[int, str]] = field(default_factory=dict)
    sequence: int = 0


class Sns:
    """The SNS API of one world: CreateTopic, Subscribe, Publish."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.topics: dict[str, Topic] = {}
        self._subscriptions = 0
        self.archives = Archives(self)

    def create_topic(
        self, name: str, *, fifo: bool = False, content_based_dedup: bool = False
    ) -> str:
        """CreateTopic: idempotent for the same attributes. FIFO names end in `.fifo`."""
        base = name.removesuffix(".fifo")
        if not _NAME_RE.match(base) or len(name) > 256:
            raise InvalidParameter(
                "Invalid parameter: Topic Name (1-256 letters, digits, hyphens or underscores)"
            )
        if fifo != name.endswith(".fifo"):
            raise InvalidParameter(
                "Invalid parameter: Topic Name (a FIFO topic needs --fifo and a name ending in "
                ".fifo, and only a FIFO topic may end in .fifo)"
            )
        if content_based_dedup and not fifo:
            raise InvalidParameter(
                "Invalid parameter: Attributes Reason: ContentBasedDeduplication is for FIFO topics"
            )
        existing = self.topics.get(name)
        if existing is not None:
            if (existing.fifo, existing.content_based_dedup) != (fifo, content_based_dedup):
                raise InvalidParameter(
                    "Invalid parameter: Attributes Reason: Topic already exists with different "
                    "attributes"
                )
            return name
        self.topics[name] = Topic(name, fifo, content_based_dedup)
        self.world.resources[("sns", name)] = self.topics[name]
        self.world.emit(
            ev.TopicCreated, "CreateTopic", name, fifo=fifo, content_based_dedup=content_based_dedup
        )
        return name

    def _topic(self, name: str) -> Topic:
        topic = self.topics.get(name)
        if topic is None:
            raise NotFound("Topic does not exist")
        return topic

    # -- subscriptions ---------------------------------------------------------------------------

    def subscribe(
        self,
        topic_name: str,
        endpoint: str,
        *,
        raw: bool = False,
        filter_policy: str | None = None,
        filter_scope: str = "MessageAttributes",
        dlq: str | None = None,
    ) -> str:
        """Subscribe an SQS queue or a Lambda function (`endpoint` is a target, see targets.py).

        `sqs:NAME` may name a queue that does not exist (SNS does not check; deliveries fail)."""
        topic = self._topic(topic_name)
        target = parse_target(
            self.world,
            endpoint,
            lambda m: InvalidParameter(f"Invalid parameter: Endpoint: {m}"),
            ("sqs", "lambda"),
            must_exist=":" not in endpoint or not endpoint.startswith(("sqs:", "lambda:")),
        )
        # sns_fifo_topics: FIFO topics deliver to SQS queues (FIFO and standard) only.
        if topic.fifo and target.kind != "sqs":
            raise InvalidParameter(
                "Invalid parameter: Endpoint Reason: FIFO topics support only SQS subscriptions"
            )
        # A standard topic cannot keep a FIFO queue's order: AWS refuses the subscription.
        if not topic.fifo and is_fifo(self.world, target):
            raise InvalidParameter(
                "Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to "
                "standard SNS topics"
            )
        # sns_raw_delivery: "supported for SQS, HTTP/S and Firehose subscriptions".
        if raw and target.kind != "sqs":
            raise InvalidParameter(
                "Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [true]. "
                "Raw message delivery is not supported for lambda subscriptions"
            )
        if filter_scope not in ("MessageAttributes", "MessageBody"):
            raise InvalidParameter(
                f"Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid value "
                f"[{filter_scope}]. Please use either MessageBody or MessageAttributes"
            )
        policy = (
            parse_policy(filter_policy, body_scope=filter_scope == "MessageBody")
            if filter_policy is not None
            else None
        )
        if dlq is not None:
            queue = self.world.sqs.queues.get(dlq)
            if queue is None:
                raise InvalidParameter(
                    f"Invalid parameter: RedrivePolicy: deadLetterTargetArn {dlq} does not exist"
                )
            # A FIFO subscription needs a FIFO DLQ, a standard one a standard DLQ.
            if queue.config.fifo != topic.fifo:
                raise InvalidParameter(
                    "Invalid parameter: RedrivePolicy: the dead-letter queue must be of the same "
                    "type (FIFO or standard) as the topic"
                )
        for sub in topic.subscriptions:
            if sub.target == target:
                # Subscribe is idempotent for the same endpoint, but attributes the request sets
                # must match: otherwise "InvalidParameter: Invalid parameter: Attributes Reason:
                # Subscription already exists with different attributes" (seen on AWS:
                # localstack#8816; AWS-validated in localstack#8976 and #9167, which compare only
                # the attributes present in the request).
                if (
                    (raw and not sub.raw)
                    or (policy is not None and policy != sub.filter_policy)
                    or (dlq is not None and dlq != sub.dlq)
                ):
                    raise InvalidParameter(
                        "Invalid parameter: Attributes Reason: Subscription already exists with "
                        "different attributes"
                    )
                return sub.id
        self._subscriptions += 1
        sub = Subscription(
            f"sub{self._subscriptions}",
            topic_name,
            target,
            raw,
            policy,
            filter_policy,
            filter_scope == "MessageBody",
            dlq,
        )
        topic.subscriptions.append(sub)
        self.world.emit(
            ev.Subscribed,
            "Subscribe",
            topic_name,
            subscription=sub.id,
            protocol=target.kind,
            endpoint=target.function_ref,
            raw=raw,
            filter_policy=filter_policy,
            dlq=dlq,
        )
        return sub.id

    # -- publish ---------------------------------------------------------------------------------

    def publish(
        self,
        topic_name: str,
        body: str,
        *,
        attributes: dict[str, str] | None = None,
        group: str | None = None,
        dedup_id: str | None = None,
        subject: str | None = None,
    ) -> str:
        """Publish: the SNS message id; one delivery per matching subscription, now."""
        topic = self._topic(topic_name)
        attrs = dict(attributes or {})
        if not body:
            raise InvalidParameter("Invalid parameter: Empty message")
        self._check_publish(topic, attrs, group, dedup_id, subject)
        # sns_message_size: 256 KiB, body and attributes (name, type and value) together.
        size = len(body.encode()) + attributes_size(attrs.items())
        if size > MAX_MESSAGE_BYTES:
            raise InvalidParameter(
                f"Invalid parameter: Message too long (at most {MAX_MESSAGE_BYTES} bytes, this "
                f"one is {size})"
            )
        key: str | None = None
        if topic.fifo:
            # sns_fifo_topics: "MessageGroupId mandatory, dedup within 5 min".
            if not group:
                raise InvalidParameter(
                    "Invalid parameter: The MessageGroupId parameter is required for FIFO topics"
                )
            if dedup_id is None and not topic.content_based_dedup:
                raise InvalidParameter(
                    "Invalid parameter: The topic should either have ContentBasedDeduplication "
                    "enabled or MessageDeduplicationId provided explicitly"
                )
            key = dedup_id if dedup_id is not None else hashlib.sha256(body.encode()).hexdigest()
            original = self._duplicate_of(topic, key)
            if original is not None:
                self.world.emit(
                    ev.DuplicatePublishAccepted,
                    "sns_fifo_topics",
                    topic_name,
                    message_id=original,
                    dedup_id=key,
                )
                return original
        elif dedup_id is not None:
            raise InvalidParameter(
                "Invalid parameter: MessageDeduplicationId Reason: The request includes "
                "MessageDeduplicationId parameter that is not valid for this topic type"
            )
        mid = f"m{self.world.next_message_number()}"
        if key is not None:
            topic.dedup[key] = (self.world.now_ms, mid)
        topic.sequence += 1
        self.world.emit(
            ev.MessagePublished, "Publish", topic_name, message_id=mid, group=group, dedup_id=key
        )
        message = _Published(
            mid, body, attrs, group, key, subject, topic.sequence, self.world.now_ms
        )
        self.archives.keep(topic, message)
        for sub in list(topic.subscriptions):
            self._deliver(topic, sub, message)
        self.world.settle()
        return mid

    @staticmethod
    def _check_publish(
        topic: Topic,
        attrs: dict[str, str],
        group: str | None,
        dedup_id: str | None,
        subject: str | None,
    ) -> None:
        """Publish's request validation (validation.py holds the rules and their sources)."""
        if attrs:
            check_attributes(attrs.items(), InvalidParameter)
        if subject is not None:
            check_subject(subject, InvalidParameter)
        # Publish, MessageGroupId: "For standard topics: The MessageGroupId is optional and is
        # forwarded only to Amazon SQS standard subscriptions to activate fair queues. [...] When
        # provided, the same validation rules apply as for FIFO topics." (fact
        # sns_standard_message_group)
        if group is not None:
            check_id("MessageGroupId", group, InvalidParameter)
        if dedup_id is not None and topic.fifo:
            check_id("MessageDeduplicationId", dedup_id, InvalidParameter)

    def _duplicate_of(self, topic: Topic, key: str) -> str | None:
        # sns_fifo_topics: a duplicate within the interval is accepted but not delivered again.
        return recent_duplicate(topic.dedup, key, self.world.now_ms, DEDUP_INTERVAL_MS)

    def _deliver(self, topic: Topic, sub: Subscription, msg: _Published) -> None:
        world = self.world
        # SNS-02/03 (sns-subscription-filter-policies): no policy ⇒ everything; with one, AND
        # across keys, OR within a key; attributes missing ⇒ no match.
        if sub.filter_policy is not None and not self._matches(sub, msg):
            world.emit(
                ev.NotificationFilteredOut,
                "sns_filter_scope",
                topic.name,
                message_id=msg.id,
                subscription=sub.id,
            )
            return
        target = sub.target
        endpoint = target.function_ref
        if target.kind == "sqs" and sub.raw and len(msg.attributes) > RAW_SQS_MAX_ATTRIBUTES:
            # SNS-05: "Messages with more than 10 message attributes ... will be discarded" for
            # raw delivery to SQS (SQS allows 10 attributes).
            world.emit(
                ev.NotificationDiscarded,
                "sqs_message_attributes",
                topic.name,
                message_id=msg.id,
                subscription=sub.id,
                reason="more than 10 message attributes for a raw SQS delivery",
            )
            return
        try:
            if target.kind == "sqs":
                delivered = self._to_queue(topic, sub, msg)
            else:
                delivered = world.lambda_.invoke_async(
                    endpoint, self._lambda_event(topic, sub, msg), source=f"sns:{topic.name}"
                )
        except AwsError as exc:
            self._client_error(topic, sub, msg, exc)
            return
        # lambda_recursion_scope: a copy of a message a handler published stays in its chain.
        world.lambda_.recursion.carry(delivered)
        world.emit(
            ev.NotificationReplayed if msg.replayed else ev.NotificationDelivered,
            "sns_replay"
            if msg.replayed
            else "sns_fanout_sqs"
            if target.kind == "sqs"
            else "lambda_invocation_types",
            topic.name,
            message_id=msg.id,
            subscription=sub.id,
            endpoint=str(target),
            delivered_id=delivered,
        )

    def _to_queue(self, topic: Topic, sub: Subscription, msg: _Published) -> str:
        queue = self.world.sqs.queues.get(sub.target.name)
        fifo_queue = queue is not None and queue.config.fifo
        # SNS-06 / sns_fifo_topics: the group and the dedup id go on to a FIFO queue; "group ID
        # is not passed to standard queues, so no ordering there". A standard topic forwards its
        # optional group to standard queues, for fair queues (sns_standard_message_group).
        group = msg.group if fifo_queue or not topic.fifo else None
        dedup = msg.dedup_id if fifo_queue else None
        if sub.raw:
            # sns_raw_delivery: the body as published; attributes become SQS attributes.
            attributes = {**msg.attributes, "Replayed": "true"} if msg.replayed else msg.attributes
            return self.world.sqs.send_message(
                sub.target.name,
                msg.body,
                attributes=attributes or None,
                group=group,
                dedup_id=dedup,
            ).message_id
        return self.world.sqs.send_message(
            sub.target.name, self._envelope(topic, msg), group=group, dedup_id=dedup
        ).message_id

    def _client_error(
        self, topic: Topic, sub: Subscription, msg: _Published, exc: AwsError
    ) -> None:
        world = self.world
        world.emit(
            ev.NotificationDeliveryFailed,
            "sns_retry_aws_endpoints",
            topic.name,
            message_id=msg.id,
            subscription=sub.id,
            endpoint=str(sub.target),
            reason=exc.code,
        )
        # SNS-07 (sns-message-delivery-retries, sns-dead-letter-queues): client-side errors are
        # not retried; with a redrive policy the message goes to the subscription's DLQ,
        # otherwise it is discarded.
        if sub.dlq is not None:
            body = msg.body if sub.raw else self._envelope(topic, msg)
            try:
                world.sqs.send_message(
                    sub.dlq,
                    body,
                    attributes=(msg.attributes or None) if sub.raw else None,
                    group=msg.group if topic.fifo else None,
                    dedup_id=msg.dedup_id if topic.fifo else None,
                )
            except AwsError:
                pass
            else:
                world.emit(
                    ev.NotificationSentToDlq,
                    "sns_retry_aws_endpoints",
                    topic.name,
                    message_id=msg.id,
                    subscription=sub.id,
                    dlq=sub.dlq,
                )
                return
        world.emit(
            ev.NotificationDiscarded,
            "sns_retry_aws_endpoints",
            topic.name,
            message_id=msg.id,
            subscription=sub.id,
            reason=f"client-side error {exc.code}, no DLQ",
        )

    # -- message shapes --------------------------------------------------------------------------

    def envelope_dict(self, topic: Topic, msg: _Published) -> dict[str, Any]:
        out: dict[str, Any] = {"Type": "Notification", "MessageId": msg.id}
        if topic.fifo:
            out["SequenceNumber"] = f"{msg.sequence:020d}"
        out["TopicArn"] = arn("sns", topic.name)
        if msg.subject is not None:
            out["Subject"] = msg.subject
        out["Message"] = msg.body
        # sns_replay: a replayed message keeps its original Timestamp, and says it is replayed.
        out["Timestamp"] = iso(msg.published_ms if msg.published_ms >= 0 else self.world.now_ms)
        if msg.replayed:
            out["Replayed"] = True
        out["UnsubscribeURL"] = (
            f"https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&TopicArn={out['TopicArn']}"
        )
        if msg.attributes:
            out["MessageAttributes"] = {
                k: {"Type": "String", "Value": v} for k, v in msg.attributes.items()
            }
        return out

    def _envelope(self, topic: Topic, msg: _Published) -> str:
        return json.dumps(self.envelope_dict(topic, msg), separators=(",", ":"))

    def _lambda_event(self, topic: Topic, sub: Subscription, msg: _Published) -> str:
        # SNS-08: "The event shape is Records[0].Sns.{Message,MessageAttributes,...}".
        sns = self.envelope_dict(topic, msg)
        sns.setdefault("Subject", None)
        sns.setdefault("MessageAttributes", {})
        record = {
            "EventSource": "aws:sns",
            "EventVersion": "1.0",
            "EventSubscriptionArn": f"{arn('sns', topic.name)}:{sub.id}",
            "Sns": sns,
        }
        return json.dumps({"Records": [record]}, separators=(",", ":"))

    # -- filter policies -------------------------------------------------------------------------

    @staticmethod
    def _matches(sub: Subscription, msg: _Published) -> bool:
        policy = sub.filter_policy
        assert policy is not None
        # sns_filter_scope: MessageBody filters on the properties of a JSON body; the default,
        # MessageAttributes, on the message attributes (sns_filter.py holds the rules).
        if sub.body_scope:
            return policy.matches_body(msg.body)
        return policy.matches_attributes(msg.attributes)

    def snapshot(self) -> dict[str, TopicSnapshot]:
        return {
            name: {
                "fifo": t.fifo,
                "content_based_dedup": t.content_based_dedup,
                "subscriptions": [
                    {
                        "id": s.id,
                        "protocol": s.target.kind,
                        "endpoint": s.target.function_ref,
                        "raw": s.raw,
                        "filter_policy": s.filter_text,
                        "filter_scope": "MessageBody" if s.body_scope else "MessageAttributes",
                        "dlq": s.dlq,
                    }
                    for s in t.subscriptions
                ],
            }
            for name, t in self.topics.items()
        }


@dataclass(frozen=True, slots=True)
class _Published:
    id: str
    body: str
    attributes: dict[str, str]
    group: str | None
    dedup_id: str | None
    subject: str | None
    sequence: int
    published_ms: int = -1
    replayed: bool = False
