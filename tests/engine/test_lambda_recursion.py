"""Recursive loop detection on Lambda → SQS / SNS / S3 → Lambda (docs/fidelity.md, "Recursive loop
detection")."""

from __future__ import annotations

import json

import pytest

from studyaws.engine import World
from studyaws.engine.errors import InvalidParameterValueException
from studyaws.engine.lambda_.recursion import RECURSION_THRESHOLD


def _sqs_loop(world: World, *, max_receives: int = 3) -> None:
    world.sqs.create_queue("tasks-dlq")
    world.sqs.create_queue(
        "tasks",
        visibility_timeout_s=30,
        dead_letter_queue="tasks-dlq",
        max_receive_count=max_receives,
    )
    world.lambda_.create_function("relay", duration_ms=1000, timeout_s=10, output="tasks")
    world.esm.create_event_source_mapping("tasks", "relay", batch_size=1)


def _kinds(world: World, kind: str) -> list:
    return [e for e in world.events() if e.kind == kind]


def test_a_loop_through_sqs_stops_after_16_invocations() -> None:
    """ "If your function is invoked more than 16 times in the same chain of requests, then Lambda
    automatically stops the next function invocation in that request chain and notifies you."
    (https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html, as quoted in
    DataBiosphere/azul#5368)"""
    world = World()
    _sqs_loop(world)
    world.sqs.send_message("tasks", "resize image 7")
    world.advance(60)
    assert len(_kinds(world, "FunctionInvoked")) == RECURSION_THRESHOLD == 16
    dropped = _kinds(world, "RecursiveInvocationDropped")[0]
    assert dropped.at_ms == 16_000
    assert (dropped.invocations, dropped.cause) == (16, "lambda_recursion_threshold")


def test_the_stopped_sqs_message_goes_back_to_the_queue_and_on_to_its_dlq() -> None:
    """For an SQS source the stopped invocation is an error for the mapping: the message is not
    deleted, comes back after its visibility timeout with a higher receive count, is stopped
    again, until the queue's redrive policy moves it to the DLQ (fact lambda_recursion_scope)."""
    world = World()
    _sqs_loop(world, max_receives=3)
    world.sqs.send_message("tasks", "resize image 7")
    world.advance(600)
    assert len(_kinds(world, "RecursiveInvocationDropped")) == 3
    [moved] = _kinds(world, "MessageMovedToDlq")
    assert (moved.message_id, moved.dlq) == ("m17", "tasks-dlq")
    assert len(_kinds(world, "FunctionInvoked")) == 16  # never run again


def test_other_events_of_the_same_function_are_not_stopped() -> None:
    """Lambda stops "the next function invocation in that request chain" (invocation-recursion):
    a new event starts a new chain, and only the chain that looped is stopped."""
    world = World()
    _sqs_loop(world)
    world.sqs.send_message("tasks", "first")
    world.advance(60)
    world.sqs.send_message("tasks", "second")
    world.advance(5)
    assert len(_kinds(world, "FunctionInvoked")) > 16
    result = world.lambda_.invoke("relay", "direct")
    assert result.function_error is None


def test_a_loop_through_sns_sends_the_stopped_event_to_the_functions_dlq() -> None:
    """Lambda "will stop the next invocation and send the event to a Dead-Letter Queue or
    on-failure destination, if configured" (AWS Health notice on recursive loop detection,
    June 2023, quoted in NordicSemiconductor/asset-tracker-cloud-aws-js#1457)."""
    world = World()
    world.sqs.create_queue("echo-dlq")
    world.sns.create_topic("news")
    world.lambda_.create_function("echo", duration_ms=500, output="news", dlq="echo-dlq")
    world.sns.subscribe("news", "lambda:echo")
    world.sns.publish("news", "hello")
    world.advance(60)
    assert len(_kinds(world, "FunctionInvoked")) == 16
    [finished] = [e for e in _kinds(world, "AsyncEventFinished") if e.condition != "Success"]
    assert finished.routed_to == ("sqs:echo-dlq",)
    assert finished.cause == "lambda_recursion_threshold"
    [kept] = world.sqs.receive_message("echo-dlq")
    assert json.loads(kept.body)["Records"][0]["Sns"]["Message"] == "hello"


def test_a_loop_through_s3_is_detected_too() -> None:
    """Loop detection covers "Lambda, SQS, SNS and S3" (fact lambda_recursion_scope): a function
    that writes into the bucket that triggers it is stopped the same way."""
    world = World()
    world.s3.create_bucket("photos")
    world.lambda_.create_function("thumb", duration_ms=500, output="s3:photos")
    world.s3.put_bucket_notification("photos", "lambda:thumb")
    world.s3.put_object("photos", "cat.jpg")
    world.advance(120)
    assert len(_kinds(world, "FunctionInvoked")) == 16
    assert len(_kinds(world, "RecursiveInvocationDropped")) == 1


def test_recursive_loop_allow_turns_detection_off() -> None:
    """ "If you set your function's recursive loop detection configuration to Allow, Lambda
    doesn't take any action when it detects your function being invoked as part of a recursive
    loop." "By default, Lambda sets your function's configuration to Terminate."
    (https://docs.aws.amazon.com/lambda/latest/dg/API_PutFunctionRecursionConfig.html)"""
    world = World()
    _sqs_loop(world)
    world.lambda_.put_function_recursion_config("relay", "Allow")
    world.sqs.send_message("tasks", "resize image 7")
    world.advance(60)
    assert len(_kinds(world, "FunctionInvoked")) > 50
    assert _kinds(world, "RecursiveInvocationDropped") == []
    world.lambda_.put_function_recursion_config("relay", "Terminate")
    with pytest.raises(InvalidParameterValueException):
        world.lambda_.put_function_recursion_config("relay", "Sometimes")


def test_the_output_target_must_exist() -> None:
    """The simulated code writes to a queue, a topic or a bucket of the world."""
    world = World()
    with pytest.raises(InvalidParameterValueException):
        world.lambda_.create_function("f", output="sqs:missing")
