"""Sandbox commands on a real SQS/SNS endpoint through boto3, answered in the sandbox's contract.

`connect(target)` opens an `Endpoint`: `aws` (the learner's default credentials and region) or a
URL (a moto server, LocalStack, ElasticMQ: fixed dummy credentials, so the learner's access key
is never sent to a host that is not AWS). boto3 is imported there and nowhere else.

A `RealBackend` runs one script's commands (already parsed by `studyaws.sandbox.parse`) and
returns each result as the model would: `{"ok": true, ...}` or `{"ok": false, "error": {"code",
"message"}}` with the endpoint's own error code (and `query_code`, the older query protocol's
name, when it differs). What the translation does, and nothing more:

- names: `q` is `<prefix>q` on the endpoint; results and messages say `q` again;
- ids: real message ids, receipt handles and subscription ARNs become `m1`, `m1#1`, `sub1`
  (`labels.py`), and ids inside bodies (an SNS envelope's MessageId) are rewritten the same way;
- time: `tick D` waits D seconds of real time (through the injected `sleep`, in slices so a
  cancelled run stops within a fraction of a second); `now` is the time the script waited;
- `send --size N` sends a body padded to N bytes (the size it stands for in the model) and a
  receive shows the original text again;
- a subscription also gives the topic the right to send to the queue (the queue policy AWS
  needs; emulators ignore it).

Lambda, S3, EventBridge, ALB and EC2 commands and the shell's own (`log`, `show`, `undo`…) are
not sent: their result is `{"ok": false, "skipped": true, "error": {"code": "Skipped", ...}}`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import urlparse

from studyaws.errors import StudyawsError, UsageError
from studyaws.live.diff import comparable_body
from studyaws.live.labels import Labels
from studyaws.live.safety import Tracker
from studyaws.sandbox.language import Command

Result = dict[str, Any]

INSTALL_HINT: Final = "pip install 'studyaws[aws]'"
# Requests run to the endpoint: a long poll takes up to 20 s, so the read timeout is longer.
_CONNECT_TIMEOUT_S: Final = 5
_READ_TIMEOUT_S: Final = 30
_SLICE_S: Final = 0.2  # a tick sleeps in slices this long, checking for a cancelled run
_DUMMY_KEY: Final = "studyaws"  # credentials for an emulator URL (they only need to be there)
_SQS_SYSTEM_ATTRIBUTES: Final = ["ApproximateReceiveCount", "MessageGroupId"]

RUNS_ON_ENDPOINT: Final = frozenset(
    {
        "create-queue",
        "set-queue-attributes",
        "send",
        "send-batch",
        "receive",
        "delete",
        "delete-batch",
        "change-visibility",
        "purge",
        "stats",
        "delete-queue",
        "start-message-move-task",
        "tick",
        "create-topic",
        "subscribe",
        "publish",
    }
)
_SHELL_ONLY: Final = frozenset({"log", "show", "help", "undo", "reset", "chaos"})
SKIP_OTHER: Final = (
    "runs only on the model: Lambda, S3, EventBridge, ALB and EC2 commands are not sent to the "
    "endpoint (a later step may add them with --with-lambda)"
)


class EndpointError(StudyawsError):
    """The endpoint cannot be reached or answers something that is not an AWS error."""


class Cancelled(Exception):  # noqa: N818 (a control-flow signal, not an error)
    """The run was interrupted (Ctrl-C): stop at the next command."""


@dataclass
class RequestCounter:
    sqs: int = 0
    sns: int = 0
    other: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, service: str) -> None:
        with self._lock:
            if service == "sqs":
                self.sqs += 1
            elif service == "sns":
                self.sns += 1
            else:
                self.other += 1

    @property
    def total(self) -> int:
        return self.sqs + self.sns + self.other


@dataclass
class Endpoint:
    """One connection: clients for SQS and SNS, the region, and what the requests counted."""

    target: str  # "aws" or the URL
    region: str
    sqs: Any
    sns: Any
    session: Any
    url: str | None
    requests: RequestCounter
    _arn_base: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def is_aws(self) -> bool:
        return self.target == "aws"

    def learn_account(self, arn: str) -> None:
        """Remember the account from an ARN the endpoint handed out."""
        parts = arn.split(":")
        if len(parts) >= 6:
            with self._lock:
                self._arn_base.setdefault("region", parts[3])
                self._arn_base.setdefault("account", parts[4])

    def account(self) -> str:
        with self._lock:
            known = self._arn_base.get("account")
        if known is not None:
            return known
        try:
            identity = self.identity()
        except EndpointError:
            identity = {"Account": "000000000000"}
        with self._lock:
            return self._arn_base.setdefault("account", str(identity["Account"]))

    def arn(self, service: str, name: str) -> str:
        with self._lock:
            region = self._arn_base.get("region", self.region)
        return f"arn:aws:{service}:{region}:{self.account()}:{name}"

    def ping(self) -> None:
        """One cheap read (ListQueues, at most one name): is anything there to answer?"""
        from botocore.exceptions import ClientError

        try:
            _call(lambda: self.sqs.list_queues(QueueNamePrefix="studyaws-verify-", MaxResults=1))
        except ClientError as exc:
            error = exc.response.get("Error", {})
            raise EndpointError(
                f"the endpoint refused to list queues: {error.get('Code')}: {error.get('Message')}"
            ) from None

    def identity(self) -> dict[str, Any]:
        """STS GetCallerIdentity: the account and the caller's ARN (free, read-only)."""
        client = self.session.client("sts", endpoint_url=self.url, region_name=self.region)
        return _call(lambda: client.get_caller_identity())  # type: ignore[no-any-return]

    def detect_moto(self) -> bool:
        """A moto server answers `/moto-api/data.json`; AWS is never asked."""
        if self.is_aws or self.url is None:
            return False
        import urllib.request

        try:
            with urllib.request.urlopen(
                self.url.rstrip("/") + "/moto-api/data.json", timeout=_CONNECT_TIMEOUT_S
            ) as response:
                return int(response.status) == 200 and response.read(1) == b"{"
        except (OSError, ValueError):
            return False


def connect(target: str, environ: Mapping[str, str]) -> Endpoint:
    """`aws` or an http(s) URL → an `Endpoint`; one-line errors for what the learner can fix."""
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        raise StudyawsError(f"--against needs boto3, an optional extra: {INSTALL_HINT}") from None
    config = Config(
        retries={"max_attempts": 3, "mode": "standard"},
        connect_timeout=_CONNECT_TIMEOUT_S,
        read_timeout=_READ_TIMEOUT_S,
    )
    if target == "aws":
        session = boto3.session.Session()
        region = session.region_name
        if not region:
            raise UsageError(
                "no AWS region is configured: set AWS_REGION (or AWS_DEFAULT_REGION), or run "
                "'aws configure'"
            )
        if session.get_credentials() is None:
            raise UsageError(
                "no AWS credentials were found: run 'aws configure' (or set AWS_PROFILE)"
            )
        url = None
    else:
        parsed = urlparse(target)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise UsageError(
                f"--against takes 'aws' or an endpoint URL such as http://127.0.0.1:5000 "
                f"(got '{target}')"
            )
        region = (
            environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        ).strip()
        session = boto3.session.Session(
            aws_access_key_id=_DUMMY_KEY, aws_secret_access_key=_DUMMY_KEY, region_name=region
        )
        url = target
    counter = RequestCounter()
    clients = []
    for service in ("sqs", "sns"):
        client = session.client(service, endpoint_url=url, region_name=region, config=config)
        client.meta.events.register(
            "before-call", lambda service=service, **_: counter.count(service)
        )
        clients.append(client)
    return Endpoint(target, region, clients[0], clients[1], session, url, counter)


def _call(request: Callable[[], Any]) -> Any:
    """Run one request; transport failures become an `EndpointError` (the run stops)."""
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        NoCredentialsError,
        ParamValidationError,
    )

    try:
        return request()
    except (ClientError, ParamValidationError):
        raise
    except NoCredentialsError:
        raise EndpointError("no AWS credentials were found: run 'aws configure'") from None
    except BotoCoreError as exc:
        raise EndpointError(f"the endpoint did not answer: {exc}") from None


# -- one script on the endpoint --------------------------------------------------------------------


class RealBackend:
    """Runs one script's commands on the endpoint (one instance per script: its own labels)."""

    def __init__(
        self,
        endpoint: Endpoint,
        prefix: str,
        tracker: Tracker,
        *,
        labels: Labels,
        sleep: Callable[[float], None],
        monotonic: Callable[[], float],
        cancelled: Callable[[], bool] = lambda: False,
    ) -> None:
        self.endpoint = endpoint
        self.prefix = prefix
        self.tracker = tracker
        self.labels = labels
        self.sleep = sleep
        self.monotonic = monotonic
        self.cancelled = cancelled
        self.now_s = 0.0
        self.urls: dict[str, str] = {}
        self.queue_arns: dict[str, str] = {}
        self.topic_arns: dict[str, str] = {}
        self.default_wait: dict[str, int] = {}
        self.functions: set[str] = set()
        self.policies: dict[str, list[str]] = {}  # queue → topic ARNs allowed to send
        self.stand_ins: dict[str, tuple[str, str]] = {}  # real id → (padded body, original)

    # -- the entry point --------------------------------------------------------------------------

    def run(self, command: Command, model: Mapping[str, Any] | None = None) -> Result:
        """The endpoint's answer to one command; `model` is the model's answer to the same
        command (its labels are used for the same messages, see labels.py)."""
        if self.cancelled():
            raise Cancelled
        if command.name in ("create-function", "update-function"):
            self.functions.add(command.args["name"])
        reason = self._skip_reason(command)
        if reason is not None:
            return skipped(reason)
        from botocore.exceptions import ClientError, ParamValidationError

        handler = getattr(self, "_" + command.name.replace("-", "_"))
        try:
            return handler(command.args, model or {})  # type: ignore[no-any-return]
        except ClientError as exc:
            return self._error(exc)
        except ParamValidationError as exc:
            return {
                "ok": False,
                "error": {
                    "code": "ParamValidationError",
                    "message": self._local(str(exc)) + " (boto3 refused it before sending)",
                },
            }

    def _skip_reason(self, command: Command) -> str | None:
        a = command.args
        name = command.name
        if name in _SHELL_ONLY:
            return f"{name}: the sandbox's own command, not an AWS request"
        if name not in RUNS_ON_ENDPOINT:
            return f"{name} {SKIP_OTHER}"
        if name in ("send", "receive") and a.get("extended_client"):
            return f"{name} --extended-client needs S3: it runs only on the model"
        if name == "subscribe":
            target = str(a["target"])
            if target.startswith("lambda:") or target in self.functions:
                return "a Lambda subscription runs only on the model"
        if name == "stats" and a["queue"] in self.functions and a["queue"] not in self.urls:
            return "a function's stats run only on the model"
        return None

    # -- translation helpers ---------------------------------------------------------------------

    def real(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def _local(self, text: str) -> str:
        """Text from the endpoint with the run's prefix taken out of every name."""
        return text.replace(self.prefix, "")

    def _error(self, exc: Any) -> Result:
        error = exc.response.get("Error", {})
        wire = str(error.get("Code", "InternalError"))
        json_code = error.get("QueryErrorCode")
        message = self._local(str(error.get("Message") or error.get("message") or ""))
        out: dict[str, str] = {"code": str(json_code or wire), "message": message}
        if json_code and json_code != wire:
            out["query_code"] = wire
        return {"ok": False, "error": out}

    def _url(self, queue: str) -> str:
        url = self.urls.get(queue)
        if url is None:
            url = _call(lambda: self.endpoint.sqs.get_queue_url(QueueName=self.real(queue)))[
                "QueueUrl"
            ]
            self.urls[queue] = url
        return url

    def _queue_arn(self, queue: str) -> str:
        return self.queue_arns.get(queue) or self.endpoint.arn("sqs", self.real(queue))

    def _topic_arn(self, topic: str) -> str:
        return self.topic_arns.get(topic) or self.endpoint.arn("sns", self.real(topic))

    def _queue_attributes(self, a: Mapping[str, Any]) -> dict[str, str]:
        attrs: dict[str, str] = {}
        for flag, attribute in (
            ("visibility_timeout", "VisibilityTimeout"),
            ("delay", "DelaySeconds"),
            ("retention", "MessageRetentionPeriod"),
            ("wait", "ReceiveMessageWaitTimeSeconds"),
        ):
            if flag in a:
                attrs[attribute] = str(a[flag])
        if a.get("fifo"):
            attrs["FifoQueue"] = "true"
        if "content_based_dedup" in a:
            attrs["ContentBasedDeduplication"] = "true" if a["content_based_dedup"] else "false"
        if "dedup_scope" in a:
            scope = a["dedup_scope"]
            attrs["DeduplicationScope"] = "messageGroup" if scope == "message-group" else scope
        if "dlq" in a or "max_receives" in a:
            policy: dict[str, Any] = {}
            if "dlq" in a:
                policy["deadLetterTargetArn"] = self._queue_arn(a["dlq"])
            if "max_receives" in a:
                policy["maxReceiveCount"] = a["max_receives"]
            attrs["RedrivePolicy"] = json.dumps(policy)
        if a.get("no_dlq"):
            attrs["RedrivePolicy"] = ""
        return attrs

    @staticmethod
    def _message_attributes(pairs: list[tuple[str, str]] | None) -> dict[str, Any]:
        return {k: {"DataType": "String", "StringValue": v} for k, v in (pairs or [])}

    def _now(self) -> int | float:
        value = round(self.now_s, 1)
        return int(value) if value == int(value) else value

    # -- SQS ---------------------------------------------------------------------------------------

    def _create_queue(self, a: Mapping[str, Any], _model: Mapping[str, Any]) -> Result:
        name = a["name"]
        attributes = self._queue_attributes(a)
        self.tracker.add("queue", self.real(name))
        sqs = self.endpoint.sqs
        url = _call(lambda: sqs.create_queue(QueueName=self.real(name), Attributes=attributes))[
            "QueueUrl"
        ]
        self.urls[name] = url
        arn = _call(lambda: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"]))[
            "Attributes"
        ]["QueueArn"]
        self.queue_arns[name] = arn
        self.endpoint.learn_account(arn)
        self.default_wait[name] = int(a.get("wait", 0))
        return {"ok": True}

    def _set_queue_attributes(self, a: Mapping[str, Any], _model: Mapping[str, Any]) -> Result:
        url = self._url(a["queue"])
        attributes = self._queue_attributes(a)
        _call(lambda: self.endpoint.sqs.set_queue_attributes(QueueUrl=url, Attributes=attributes))
        if "wait" in a:
            self.default_wait[a["queue"]] = int(a["wait"])
        return {"ok": True}

    def _send(self, a: Mapping[str, Any], model: Mapping[str, Any]) -> Result:
        url = self._url(a["queue"])
        body = a["body"]
        size = a.get("size")
        sent_body = body
        if size is not None and size > len(body.encode()):
            sent_body = body + "x" * (size - len(body.encode()))
        kw: dict[str, Any] = {"QueueUrl": url, "MessageBody": sent_body}
        if "delay" in a:
            kw["DelaySeconds"] = a["delay"]
        if "group" in a:
            kw["MessageGroupId"] = a["group"]
        if "dedup_id" in a:
            kw["MessageDeduplicationId"] = a["dedup_id"]
        if a.get("attr"):
            kw["MessageAttributes"] = self._message_attributes(a["attr"])
        real_id = _call(lambda: self.endpoint.sqs.send_message(**kw))["MessageId"]
        if sent_body != body:
            self.stand_ins[real_id] = (sent_body, body)
        label = self.labels.message(real_id, _str(model.get("message_id")))
        return {"ok": True, "message_id": label}

    def _send_batch(self, a: Mapping[str, Any], model: Mapping[str, Any]) -> Result:
        """SendMessageBatch: each entry `ID=BODY`, the flags applied to every entry."""
        url = self._url(a["queue"])
        entries = []
        for entry_id, body in a["entries"]:
            entry: dict[str, Any] = {"Id": entry_id, "MessageBody": body}
            if "delay" in a:
                entry["DelaySeconds"] = a["delay"]
            if "group" in a:
                entry["MessageGroupId"] = a["group"]
            if "dedup_id" in a:
                entry["MessageDeduplicationId"] = a["dedup_id"]
            if a.get("attr"):
                entry["MessageAttributes"] = self._message_attributes(a["attr"])
            entries.append(entry)
        answer = _call(lambda: self.endpoint.sqs.send_message_batch(QueueUrl=url, Entries=entries))
        by_id = {e["id"]: e.get("message_id") for e in model.get("successful") or []}
        successful = [
            {
                "id": ok["Id"],
                "message_id": self.labels.message(ok["MessageId"], _str(by_id.get(ok["Id"]))),
            }
            for ok in answer.get("Successful", [])
        ]
        return {"ok": True, "successful": successful, "failed": _failed(answer)}

    def _delete_batch(self, a: Mapping[str, Any], _model: Mapping[str, Any]) -> Result:
        """DeleteMessageBatch: each entry `ID=RECEIPT`, receipts named like the model's."""
        url = self._url(a["queue"])
        entries = [
            {"Id": entry_id, "ReceiptHandle": self._handle(receipt)}
            for entry_id, receipt in a["entries"]
        ]
        answer = _call(
            lambda: self.endpoint.sqs.delete_message_batch(QueueUrl=url, Entries=entries)
        )
        successful = [{"id": ok["Id"]} for ok in answer.get("Successful", [])]
        return {"ok": True, "successful": successful, "failed": _failed(answer)}

    def _receive(self, a: Mapping[str, Any], model: Mapping[str, Any]) -> Result:
        queue = a["queue"]
        url = self._url(queue)
        kw: dict[str, Any] = {
            "QueueUrl": url,
            "MaxNumberOfMessages": a.get("max", 1),
            "MessageSystemAttributeNames": _SQS_SYSTEM_ATTRIBUTES,
        }
        if "wait" in a:
            kw["WaitTimeSeconds"] = a["wait"]
        if "visibility_timeout" in a:
            kw["VisibilityTimeout"] = a["visibility_timeout"]
        if "attempt_id" in a:
            kw["ReceiveRequestAttemptId"] = a["attempt_id"]
        long_poll = a.get("wait", self.default_wait.get(queue, 0)) > 0
        started = self.monotonic()
        got = _call(lambda: self.endpoint.sqs.receive_message(**kw)).get("Messages", [])
        if long_poll:
            self.now_s += self.monotonic() - started
        unused = list(model.get("messages") or [])
        messages = []
        for m in got:
            body = self._rewrite(m["MessageId"], m["Body"])
            hint = _take_same_body(unused, body)
            label = self.labels.message(m["MessageId"], hint)
            attributes = m.get("Attributes", {})
            messages.append(
                {
                    "message_id": label,
                    "body": self._rewrite(m["MessageId"], m["Body"]),
                    "receipt": self.labels.receipt(label, m["ReceiptHandle"]),
                    "receive_count": int(attributes.get("ApproximateReceiveCount", 0)),
                    "group": attributes.get("MessageGroupId"),
                }
            )
        return {"ok": True, "messages": messages, "now": self._now()}

    def _rewrite(self, real_id: str, body: str) -> str:
        """The body as the script would see it: ids labelled, names without the prefix."""
        stand_in = self.stand_ins.get(real_id)
        if stand_in is not None and body == stand_in[0]:
            return stand_in[1]
        if body.startswith("{"):
            for real, label in self.labels.real_ids().items():
                if real in body:
                    body = body.replace(real, label)
        return self._local(body)

    def _handle(self, receipt: str) -> str:
        # A receipt the endpoint never handed out goes as written: the endpoint says what it
        # thinks of it (ReceiptHandleIsInvalid).
        return self.labels.handle(receipt) or receipt

    def _delete(self, a: Mapping[str, Any], _model: Mapping[str, Any]) -> Result:
        url = self._url(a["queue"])
        handle = self._handle(a["receipt"])
        _call(lambda: self.endpoint.sqs.delete_message(QueueUrl=url, ReceiptHandle=handle))
        return {"ok": True}

    def _change_visibility(self, a: Mapping[str, Any], _model: Mapping[str, Any]) -> Result:
        url = self._url(a["queue"])
        handle = self._handle(a["receipt"])
        _call(
            lambda: self.endpoint.sqs.change_message_visibility(
                QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=a["d"]
            )
        )
        return {"ok": True}

    def _purge(self, a: Mapping[str, Any], _model: Mapping[str, Any]) -> Result:
        url = self._url(a["queue"])
        _call(lambda: self.endpoint.sqs.purge_queue(QueueUrl=url))
        return {"ok": True}

    def _stats(self, a: Mapping[str, Any], _model: Mapping[str, Any]) -> Result:
        url = self._url(a["queue"])
        names = [
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
        ]
        attrs = _call(
            lambda: self.endpoint.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)
        )["Attributes"]
        visible, in_flight, delayed = (int(attrs.get(n, 0)) for n in names)
        return {"ok": True, "visible": visible, "in_flight": in_flight, "delayed": delayed}

    def _delete_queue(self, a: Mapping[str, Any], _model: Mapping[str, Any]) -> Result:
        url = self._url(a["queue"])
        _call(lambda: self.endpoint.sqs.delete_queue(QueueUrl=url))
        return {"ok": True}

    def _start_message_move_task(self, a: Mapping[str, Any], _model: Mapping[str, Any]) -> Result:
        kw: dict[str, Any] = {"SourceArn": self._queue_arn(a["dlq"])}
        if "destination" in a:
            kw["DestinationArn"] = self._queue_arn(a["destination"])
        if "rate" in a:
            kw["MaxNumberOfMessagesPerSecond"] = a["rate"]
        _call(lambda: self.endpoint.sqs.start_message_move_task(**kw))
        return {"ok": True}

    def _tick(self, a: Mapping[str, Any], _model: Mapping[str, Any]) -> Result:
        left = float(a["d"])
        while left > 0:
            if self.cancelled():
                raise Cancelled
            step = min(_SLICE_S, left)
            self.sleep(step)
            left -= step
        self.now_s += float(a["d"])
        return {"ok": True, "now": self._now()}

    # -- SNS ---------------------------------------------------------------------------------------

    def _create_topic(self, a: Mapping[str, Any], _model: Mapping[str, Any]) -> Result:
        name = a["name"]
        attributes: dict[str, str] = {}
        if a.get("fifo"):
            attributes["FifoTopic"] = "true"
        if a.get("content_based_dedup"):
            attributes["ContentBasedDeduplication"] = "true"
        self.tracker.add("topic", self.real(name))
        arn = _call(
            lambda: self.endpoint.sns.create_topic(Name=self.real(name), Attributes=attributes)
        )["TopicArn"]
        self.topic_arns[name] = arn
        self.endpoint.learn_account(arn)
        return {"ok": True, "topic": name}

    def _allow_topic(self, queue: str, topic_arn: str) -> None:
        """The queue policy AWS needs before SNS may deliver to the queue (one statement per
        topic). A queue that does not exist keeps no policy: SNS's deliveries to it fail."""
        allowed = self.policies.setdefault(queue, [])
        if topic_arn in allowed:
            return
        allowed.append(topic_arn)
        queue_arn = self._queue_arn(queue)
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": f"studyaws-topic-{i}",
                    "Effect": "Allow",
                    "Principal": {"Service": "sns.amazonaws.com"},
                    "Action": "sqs:SendMessage",
                    "Resource": queue_arn,
                    "Condition": {"ArnEquals": {"aws:SourceArn": arn}},
                }
                for i, arn in enumerate(allowed, start=1)
            ],
        }
        from botocore.exceptions import ClientError

        try:
            url = self._url(queue)
            _call(
                lambda: self.endpoint.sqs.set_queue_attributes(
                    QueueUrl=url, Attributes={"Policy": json.dumps(policy)}
                )
            )
        except ClientError:
            pass

    def _subscribe(self, a: Mapping[str, Any], model: Mapping[str, Any]) -> Result:
        topic_arn = self._topic_arn(a["topic"])
        queue = str(a["target"]).removeprefix("sqs:")
        attributes: dict[str, str] = {}
        if a.get("raw"):
            attributes["RawMessageDelivery"] = "true"
        if "filter" in a:
            attributes["FilterPolicy"] = a["filter"]
        if "filter_scope" in a:
            scope = a["filter_scope"]
            attributes["FilterPolicyScope"] = {
                "attributes": "MessageAttributes",
                "body": "MessageBody",
            }.get(scope, scope)
        if "dlq" in a:
            attributes["RedrivePolicy"] = json.dumps(
                {"deadLetterTargetArn": self._queue_arn(a["dlq"])}
            )
            self._allow_topic(a["dlq"], topic_arn)
        self._allow_topic(queue, topic_arn)
        arn = _call(
            lambda: self.endpoint.sns.subscribe(
                TopicArn=topic_arn,
                Protocol="sqs",
                Endpoint=self._queue_arn(queue),
                Attributes=attributes,
                ReturnSubscriptionArn=True,
            )
        )["SubscriptionArn"]
        return {
            "ok": True,
            "subscription": self.labels.subscription(arn, _str(model.get("subscription"))),
        }

    def _publish(self, a: Mapping[str, Any], model: Mapping[str, Any]) -> Result:
        kw: dict[str, Any] = {"TopicArn": self._topic_arn(a["topic"]), "Message": a["body"]}
        if a.get("attr"):
            kw["MessageAttributes"] = self._message_attributes(a["attr"])
        if "group" in a:
            kw["MessageGroupId"] = a["group"]
        if "dedup_id" in a:
            kw["MessageDeduplicationId"] = a["dedup_id"]
        if "subject" in a:
            kw["Subject"] = a["subject"]
        real_id = _call(lambda: self.endpoint.sns.publish(**kw))["MessageId"]
        return {
            "ok": True,
            "message_id": self.labels.message(real_id, _str(model.get("message_id"))),
        }


def _failed(answer: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A batch's failed entries in the model's shape."""
    return [
        {
            "id": bad["Id"],
            "code": bad.get("Code", ""),
            "message": bad.get("Message", ""),
            "sender_fault": bool(bad.get("SenderFault", False)),
        }
        for bad in answer.get("Failed", [])
    ]


def skipped(reason: str) -> Result:
    return {"ok": False, "skipped": True, "error": {"code": "Skipped", "message": reason}}


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _take_same_body(model_messages: list[Any], body: str) -> str | None:
    """The label of the first model message with the same (compared) body; it is used up."""
    wanted = comparable_body(body)
    for i, message in enumerate(model_messages):
        if isinstance(message, dict) and comparable_body(str(message.get("body", ""))) == wanted:
            del model_messages[i]
            return _str(message.get("message_id"))
    return None
