"""What "the model and the endpoint agree" means for one command (pure)."""

from __future__ import annotations

import json

from studyaws.live.diff import comparable_body, compare, matching_code


def envelope(**fields: object) -> str:
    base = {
        "Type": "Notification",
        "MessageId": "m1",
        "TopicArn": "arn:aws:sns:us-east-1:123456789012:t",
        "Message": "hello",
        "Timestamp": "2025-01-01T00:00:00.000Z",
        "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe",
    }
    base.update(fields)
    return json.dumps(base)


def received(body: str, now: float = 0) -> dict[str, object]:
    message = {"message_id": "m2", "body": body, "receipt": "m2#1", "receive_count": 1}
    return {"ok": True, "messages": [{**message, "group": None}], "now": now}


def test_envelopes_agree_whatever_their_stamps_and_signatures() -> None:
    """An SNS envelope is compared on Type, MessageId, TopicArn, Subject, Message and
    MessageAttributes; the timestamp, the signature and the account and region of the ARN are
    the endpoint's own."""
    model = received(envelope())
    real = received(
        envelope(
            TopicArn="arn:aws:sns:eu-west-1:210987654321:t",
            Timestamp="2026-12-04T16:29:50.065Z",
            Signature="abc",
            SigningCertURL="https://x",
        )
    )
    assert compare(model, real).agree is True
    assert comparable_body(envelope())["TopicArn"] == "arn:aws:sns:REGION:ACCOUNT:t"


def test_a_different_message_in_the_envelope_differs() -> None:
    comparison = compare(received(envelope()), received(envelope(Message="other")))
    assert comparison.agree is False
    assert comparison.reason == "different body"


def test_an_error_agrees_under_either_of_its_names() -> None:
    """SQS names each error twice (QueueDoesNotExist in the JSON protocol,
    AWS.SimpleQueueService.NonExistentQueue in the query protocol): either matches, and the
    endpoint's answer is shown under the model's name."""
    model = {"ok": False, "error": {"code": "QueueDoesNotExist", "message": "The queue q…"}}
    real = {
        "ok": False,
        "error": {
            "code": "QueueDoesNotExist",
            "query_code": "AWS.SimpleQueueService.NonExistentQueue",
            "message": "other words",
        },
    }
    assert compare(model, real).agree is True
    missing = {"ok": False, "error": {"code": "MissingParameter", "message": ""}}
    moto_missing = {
        "ok": False,
        "error": {"code": "MissingRequiredParameterException", "query_code": "MissingParameter"},
    }
    assert compare(missing, moto_missing).agree is True
    assert matching_code(missing, moto_missing) == "MissingParameter"


def test_a_different_error_code_differs() -> None:
    model = {"ok": False, "error": {"code": "InvalidParameterValue", "message": ""}}
    real = {"ok": False, "error": {"code": "ReceiptHandleIsInvalid", "message": ""}}
    comparison = compare(model, real)
    assert comparison.agree is False
    assert "InvalidParameterValue vs ReceiptHandleIsInvalid" in comparison.reason


def test_success_against_refusal_differs() -> None:
    ok = {"ok": True}
    refused = {"ok": False, "error": {"code": "InvalidParameterValue", "message": ""}}
    assert compare(refused, ok).reason == "the model refused: InvalidParameterValue"
    assert compare(ok, refused).reason == "the endpoint refused: InvalidParameterValue"


def test_now_agrees_within_a_second() -> None:
    """On the endpoint `now` is measured: a long poll that waited 2.3 s agrees with the model's
    2 s, one that returned after 4 s does not."""
    assert compare(received("a", now=2), received("a", now=2.3)).agree is True
    late = compare(received("a", now=2), received("a", now=4))
    assert late.agree is False
    assert late.reason == "at t=2s in the model, t=4s real"


def test_a_command_not_sent_is_not_compared() -> None:
    skipped = {"ok": False, "skipped": True, "error": {"code": "Skipped", "message": "..."}}
    assert compare({"ok": True, "status": 202}, skipped).agree is None


def test_message_count_differences_are_named() -> None:
    empty = {"ok": True, "messages": [], "now": 1}
    assert compare(received("a", 1), empty).reason == "1 message(s) in the model, 0 real"
