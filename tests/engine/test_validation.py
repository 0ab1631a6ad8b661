"""Identifier and attribute validation as AWS documents it (issue 15, item 9): group and
deduplication ids, message attribute names and values, SNS subjects and MessageGroupId on standard
topics, CodeDeploy configuration names, environment-variable size, message size with attribute
names and types. A rejected call changes nothing."""

from __future__ import annotations

import json
import re

import pytest

from studyaws.engine import sqs
from studyaws.engine.errors import (
    AwsError,
    DeploymentConfigDoesNotExistException,
    InvalidParameter,
    InvalidParameterValue,
    InvalidParameterValueException,
)


@pytest.mark.parametrize("group", ["has space", "é", "x" * 129, "tab\there"])
def test_a_fifo_group_id_outside_its_characters_is_rejected(sim, group: str) -> None:
    """SendMessage, MessageGroupId: "The length of MessageGroupId is 128 characters. Valid values:
    alphanumeric characters and punctuation (!"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~)."
    (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html)"""
    sim.queue("f.fifo", fifo=True, content_based_dedup=True)
    with pytest.raises(InvalidParameterValue, match="MessageGroupId"):
        sim.send("f.fifo", "x", group=group)
    assert sim.counts("f.fifo") == (0, 0, 0)


def test_a_group_id_of_punctuation_and_128_characters_is_accepted(sim) -> None:
    """The whole documented alphabet, at the longest length, is a valid group id."""
    sim.queue("f.fifo", fifo=True, content_based_dedup=True)
    group = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~" + "a" * 96
    assert len(group) == 128
    sim.send("f.fifo", "x", group=group)
    assert sim.recv("f.fifo")[0].group == group


@pytest.mark.parametrize("dedup", ["two words", "x" * 129, ""])
def test_a_deduplication_id_outside_its_characters_is_rejected(sim, dedup: str) -> None:
    """MessageDeduplicationId has the rules of MessageGroupId: 128 characters of alphanumerics
    and punctuation (SendMessage API reference)."""
    sim.queue("f.fifo", fifo=True)
    with pytest.raises(InvalidParameterValue, match="MessageDeduplicationId"):
        sim.send("f.fifo", "x", group="g", dedup_id=dedup)


@pytest.mark.parametrize(
    "name",
    ["AWS.trace", "amazon.x", ".start", "end.", "two..dots", "sp ace", "x" * 257, "ü"],
)
def test_message_attribute_names_follow_the_documented_rules(sim, name: str) -> None:
    """ "The name can contain alphanumeric characters and the underscore (_), hyphen (-), and
    period (.)." / "The name must not start with AWS-reserved prefixes such as AWS. or Amazon. (or
    any casing variants)." / "The name must not start or end with a period (.), and it should not
    have periods in succession (..)." / "The name can be up to 256 characters long."
    (https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/sqs/aws.sdk.kotlin.services.sqs.model/-receive-message-request/message-attribute-names.html)"""
    sim.queue()
    with pytest.raises(InvalidParameterValue, match="attribute name"):
        sim.send("q", "x", attributes={name: "v"})
    assert sim.counts("q") == (0, 0, 0)


def test_an_empty_attribute_value_is_rejected(sim) -> None:
    """ "Name, type, value and the message body must not be empty or null." (MessageAttributeValue,
    https://boto3.amazonaws.com/v1/documentation/api/1.41.0/reference/services/sqs/message/message_attributes.html)"""
    sim.queue()
    with pytest.raises(InvalidParameterValue, match="non-empty value"):
        sim.send("q", "x", attributes={"k": ""})


def test_an_attribute_value_has_the_body_s_characters(sim) -> None:
    """ "For string data types, the Value attribute has the same restrictions on the content as the
    message body." (MessageAttributeValue, same page)"""
    sim.queue()
    with pytest.raises(InvalidParameterValue, match="invalid character"):
        sim.send("q", "x", attributes={"k": "bell\x07"})


def test_the_size_counts_attribute_names_types_and_values(sim) -> None:
    """ "All parts of the message attribute, including Name, Type, and Value, are part of the
    message size restriction (1 MiB or 1,048,576 bytes)." (MessageAttributeValue, same page): a
    body 10 bytes under the limit and one attribute `k=v` (1 + 6 for "String" + 1 = 8 bytes) fits;
    `kk=vv` (10 bytes) does not fit in 9."""
    sim.queue()
    limit = sqs.MAX_MESSAGE_BYTES
    sim.send("q", "x", size_bytes=limit - 8, attributes={"k": "v"})
    with pytest.raises(InvalidParameterValue, match="shorter than"):
        sim.send("q", "x", size_bytes=limit - 9, attributes={"kk": "vv"})


def test_a_standard_queue_takes_a_group_id_with_the_same_rules(sim) -> None:
    """A MessageGroupId on a standard queue (fair queues) is validated like a FIFO one."""
    sim.queue()
    sim.send("q", "x", group="tenant-1")
    with pytest.raises(InvalidParameterValue, match="MessageGroupId"):
        sim.send("q", "x", group="tenant 1")


# -- SNS ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("subject", [" leading space", "two\nlines", "x" * 100, "naïve"])
def test_an_sns_subject_outside_its_rules_is_rejected(sim, subject: str) -> None:
    """Publish, Subject: "Constraints: Subjects must be ASCII text that begins with a letter,
    number, or punctuation mark; must not include line breaks or control characters; and must be
    less than 100 characters long." (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html)"""
    sim.world.sns.create_topic("t")
    with pytest.raises(InvalidParameter, match="Subject"):
        sim.world.sns.publish("t", "m", subject=subject)


def test_an_sns_subject_of_99_ascii_characters_is_accepted(sim) -> None:
    sim.queue()
    sim.world.sns.create_topic("t")
    sim.world.sns.subscribe("t", "q")
    sim.world.sns.publish("t", "m", subject="!" + "a" * 98)
    assert json.loads(sim.recv("q")[0].body)["Subject"] == "!" + "a" * 98


def test_a_standard_topic_forwards_a_group_id_to_standard_queues_only(sim) -> None:
    """Publish, MessageGroupId: "For standard topics: The MessageGroupId is optional and is
    forwarded only to Amazon SQS standard subscriptions to activate fair queues. The
    MessageGroupId is not used for, or sent to, any other endpoint types. When provided, the same
    validation rules apply as for FIFO topics."
    (https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/sns/aws.sdk.kotlin.services.sns.model/-publish-request/message-group-id.html)"""
    sim.queue("q")
    sim.world.lambda_.create_function("f")
    sim.world.sns.create_topic("t")
    sim.world.sns.subscribe("t", "q")
    sim.world.sns.subscribe("t", "lambda:f")
    sim.world.sns.publish("t", "m", group="tenant-7")
    assert sim.recv("q")[0].group == "tenant-7"
    with pytest.raises(InvalidParameter, match="MessageGroupId"):
        sim.world.sns.publish("t", "m", group="tenant 7")


@pytest.mark.parametrize("name", ["AWS.x", "a..b"])
def test_sns_message_attribute_names_follow_the_same_rules(sim, name: str) -> None:
    """SNS message attribute names have SQS's rules (sns-message-attributes.html)."""
    sim.world.sns.create_topic("t")
    with pytest.raises(InvalidParameter, match="attribute name"):
        sim.world.sns.publish("t", "m", attributes={name: "v"})


def test_the_sns_size_counts_attribute_types_too(sim) -> None:
    """SNS counts "all parts of the message attribute (including name, type, and value)" in its
    256 KiB limit (sns-message-attributes.html): 1 + 6 + 1 bytes for `k=v`."""
    from studyaws.engine import sns

    sim.world.sns.create_topic("t")
    sim.world.sns.publish("t", "x" * (sns.MAX_MESSAGE_BYTES - 8), attributes={"k": "v"})
    with pytest.raises(InvalidParameter, match="too long"):
        sim.world.sns.publish("t", "x" * (sns.MAX_MESSAGE_BYTES - 7), attributes={"k": "v"})


# -- Lambda and CodeDeploy ------------------------------------------------------------------------


def test_environment_size_is_measured_as_the_json_lambda_measures(sim) -> None:
    """Lambda measures the variables as one JSON object, as its error says: "Lambda was unable to
    configure your environment variables because the environment variables you have provided
    exceeded the 4KB limit. String measured: {"PG_PASSWORD":"hunter2"}". Keys and values of
    4,090 bytes fit as plain text but not with the quotes, colon and braces."""
    lam = sim.world.lambda_
    with pytest.raises(InvalidParameterValueException, match=re.escape('String measured: {"K":')):
        lam.create_function("f", env={"K": "v" * 4090})
    lam.create_function("g", env={"K": "v" * 4088})  # {"K":"…"} is 4088 + 8 = 4096 bytes


@pytest.mark.parametrize(
    "config", ["Canary20Percent7Minutes", "Linear50PercentEvery1Minute", "HalfAtATime"]
)
def test_codedeploy_takes_only_the_predefined_lambda_configurations(sim, config: str) -> None:
    """The predefined Lambda deployment configurations are CodeDeployDefault.LambdaCanary10Percent
    5/10/15/30Minutes, LambdaLinear10PercentEvery1/2/3/10Minute(s) and LambdaAllAtOnce (fact
    codedeploy_lambda_predefined, deployment-configurations.html); any other name is a
    configuration that does not exist."""
    lam = sim.world.lambda_
    lam.create_function("f")
    lam.publish_version("f")
    lam.update_function("f", timeout_s=5)
    lam.publish_version("f")
    lam.create_alias("f", "live", "1")
    with pytest.raises(DeploymentConfigDoesNotExistException):
        sim.world.deploy.deploy("f", "live", "2", config=config)


@pytest.mark.parametrize(
    "config",
    [
        "Canary10Percent30Minutes",
        "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes",
        "LambdaAllAtOnce",
    ],
)
def test_codedeploy_takes_the_predefined_names_with_or_without_the_prefix(sim, config) -> None:
    lam = sim.world.lambda_
    lam.create_function("f")
    lam.publish_version("f")
    lam.update_function("f", timeout_s=5)
    lam.publish_version("f")
    lam.create_alias("f", "live", "1")
    assert sim.world.deploy.deploy("f", "live", "2", config=config)


def test_a_rejected_call_is_an_aws_error() -> None:
    """Every validation error is an error object of the simulated API, never a crash."""
    assert issubclass(DeploymentConfigDoesNotExistException, AwsError)
