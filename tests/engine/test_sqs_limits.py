"""Message limits and the rule that a rejected command changes nothing."""

from __future__ import annotations

import pytest

from studyaws.engine.errors import (
    AwsError,
    InvalidMessageContents,
    InvalidParameterValue,
    MissingParameter,
    QueueAlreadyExists,
    QueueDoesNotExist,
)


def test_message_size_limit_is_1_mib_body_plus_attributes(sim) -> None:
    sim.queue()
    sim.send("q", "x" * 1_048_576)
    with pytest.raises(InvalidParameterValue, match="1048576"):
        sim.send("q", "x" * 1_048_577)
    with pytest.raises(InvalidParameterValue):
        sim.send("q", "x" * 1_048_570, attributes={"key": "value"})


def test_at_most_10_message_attributes(sim) -> None:
    sim.queue()
    sim.send("q", "m", attributes={f"k{i}": "v" for i in range(10)})
    with pytest.raises(InvalidParameterValue, match="10"):
        sim.send("q", "m", attributes={f"k{i}": "v" for i in range(11)})


def test_empty_body_is_missing_parameter(sim) -> None:
    sim.queue()
    with pytest.raises(MissingParameter):
        sim.send("q", "")


def test_standard_queue_rejects_dedup_id(sim) -> None:
    sim.queue()
    with pytest.raises(InvalidParameterValue):
        sim.send("q", "m", dedup_id="x")


def test_missing_queue_is_queue_does_not_exist(sim) -> None:
    with pytest.raises(QueueDoesNotExist):
        sim.send("nope", "m")
    with pytest.raises(QueueDoesNotExist):
        sim.recv("nope")


def test_create_queue_is_idempotent_for_same_attributes(sim) -> None:
    sim.queue(visibility_timeout_s=10)
    sim.queue(visibility_timeout_s=10)
    with pytest.raises(QueueAlreadyExists):
        sim.queue(visibility_timeout_s=20)
    assert sim.kinds() == ["QueueCreated"]


def test_queue_names_are_checked(sim) -> None:
    for bad in ("", "has space", "x" * 81, "semi;colon"):
        with pytest.raises(InvalidParameterValue):
            sim.queue(bad)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.sqs.send_message("q", "x" * 2_000_000),
        lambda s: s.sqs.send_message("q", "m", delay_s=901),
        lambda s: s.sqs.receive_message("q", max_number_of_messages=11),
        lambda s: s.sqs.receive_message("q", wait_time_s=21),
        lambda s: s.sqs.change_message_visibility("q", "m1#1", 43_201),
        lambda s: s.sqs.delete_message("q", "m1#9"),
        lambda s: s.sqs.set_queue_attributes("q", delay_s=1000),
        lambda s: s.sqs.set_queue_attributes("q", dead_letter_queue="nope", max_receive_count=1),
        lambda s: s.sqs.start_message_move_task("q"),
        lambda s: s.sqs.create_queue("q", visibility_timeout_s=1),
    ],
)
def test_rejected_commands_leave_state_and_log_untouched(sim, call) -> None:
    sim.queue()
    sim.send("q", "m")
    sim.recv("q")
    before = (sim.world.snapshot(), [e.to_dict() for e in sim.world.events()])
    with pytest.raises(AwsError):
        call(sim)
    assert (sim.world.snapshot(), [e.to_dict() for e in sim.world.events()]) == before


@pytest.mark.parametrize("body", ["a\x01b", "nul\x00", "\ufffe", "lone \udcff surrogate"])
def test_sqs_limits_body_outside_the_allowed_characters_is_invalid_message_contents(
    sim, body: str
) -> None:
    """AWS (SendMessage, MessageBody): a body may hold only #x9 | #xA | #xD | #x20-#xD7FF |
    #xE000-#xFFFD | #x10000-#x10FFFF; "If a message contains characters outside the allowed set,
    Amazon SQS rejects the message and returns an InvalidMessageContents error". The send changes
    nothing (no message id is used up, no event)."""
    sim.queue()
    before = len(sim.world.events())
    with pytest.raises(InvalidMessageContents, match="Invalid characters found"):
        sim.send("q", body)
    assert len(sim.world.events()) == before
    assert sim.send("q", "tab\tnewline\ncr\r é 😀 \ud7ff \U0010ffff") == "m1"
