"""Real ids, receipt handles and subscription ARNs named as the sandbox names them (pure)."""

from __future__ import annotations

from studyaws.live.labels import Labels, model_labels


def test_without_a_model_messages_are_numbered_in_the_order_they_appear() -> None:
    """Without a model to follow, the first real id seen is m1, the next m2; an id seen again
    keeps its label."""
    labels = Labels()
    assert labels.message("uuid-a") == "m1"
    assert labels.message("uuid-b") == "m2"
    assert labels.message("uuid-a") == "m1"


def test_a_real_message_takes_the_models_label_for_the_same_message() -> None:
    """SNS fan-out: the model numbers the copies at publish time (m1 published, m2 and m3 the
    copies, m4 the next publish); the endpoint shows the copies only at receive time. The same
    message gets the same name on both sides, so a script's m2#1 means one message."""
    labels = Labels({"m1", "m2", "m3", "m4"})
    assert labels.message("sns-1", hint="m1") == "m1"
    assert labels.message("sns-2", hint="m4") == "m4"
    assert labels.message("sqs-copy", hint="m2") == "m2"


def test_a_label_already_taken_is_never_given_twice() -> None:
    """FIFO-05 on moto: the model answers a duplicate send with the original id (m1), moto with
    a new id. The new id gets a fresh label, past every label the model uses."""
    labels = Labels({"m1", "m2"})
    assert labels.message("first", hint="m1") == "m1"
    assert labels.message("duplicate", hint="m1") == "m3"
    assert labels.message("other") == "m4"


def test_receipts_count_the_deliveries_of_each_message() -> None:
    """A receipt is <message>#<n>, the n-th delivery; each maps back to its own real handle, so a
    script can use an old handle on purpose."""
    labels = Labels()
    m = labels.message("uuid-a")
    assert labels.receipt(m, "handle-1") == "m1#1"
    assert labels.receipt(m, "handle-2") == "m1#2"
    assert labels.handle("m1#1") == "handle-1"
    assert labels.handle("m1#2") == "handle-2"
    assert labels.handle("m9#1") is None


def test_subscriptions_are_sub1_sub2() -> None:
    """Subscribe returns an ARN; the sandbox says sub1, sub2; subscribing the same endpoint again
    returns the same ARN and so the same name."""
    labels = Labels()
    assert labels.subscription("arn:...:t:aaa") == "sub1"
    assert labels.subscription("arn:...:t:bbb") == "sub2"
    assert labels.subscription("arn:...:t:aaa") == "sub1"


def test_model_labels_collects_every_message_and_subscription() -> None:
    results = [
        {"ok": True, "message_id": "m1"},
        {"ok": True, "subscription": "sub1"},
        {"ok": True, "messages": [{"message_id": "m2"}, {"message_id": "m3"}], "now": 0},
        {"ok": False, "error": {"code": "X", "message": ""}},
    ]
    assert model_labels(results) == ({"m1", "m2", "m3"}, {"sub1"})
