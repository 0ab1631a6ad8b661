"""Request validation that several APIs share: identifiers, message attributes, sizes, subjects.

Each check raises the calling service's error (passed in as `error`) with AWS's wording where AWS
documents one, and changes nothing: it runs before the call does anything (errors.py). The rules
are quoted above the code, with their source; docs/fidelity.md lists every rule the engine checks
("Validation rules"), and where it still differs from AWS.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Final

from studyaws.engine.errors import AwsError

# The characters a message body (and a String attribute value) may hold. SendMessage, MessageBody
# (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html):
# "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF".
BODY_CHARS: Final = "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF"
INVALID_BODY_CHAR_RE: Final = re.compile(r"[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")

# The data type every attribute the simulation carries has (the sandbox's `--attr KEY=VALUE`).
ATTRIBUTE_TYPE: Final = "String"
ATTRIBUTE_NAME_MAX: Final = 256
ID_MAX: Final = 128  # sqs_message_group_id: MessageGroupId (and MessageDeduplicationId)
SUBJECT_MAX: Final = 100  # Publish, Subject: "less than 100 characters long"

# "alphanumeric characters (a-z, A-Z, 0-9) and punctuation (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~)":
# the printable ASCII characters but the space.
_ID_RE: Final = re.compile(r"^[\x21-\x7e]+$")
_ATTRIBUTE_NAME_RE: Final = re.compile(r"^[A-Za-z0-9_.-]+$")
_RESERVED_PREFIXES: Final = ("aws.", "amazon.")
# Subject: "ASCII text that begins with a letter, number, or punctuation mark".
_SUBJECT_RE: Final = re.compile(r"^[\x21-\x7e][\x20-\x7e]*$")

Error = Callable[[str], AwsError]


def check_id(name: str, value: str, error: Error) -> None:
    """MessageGroupId / MessageDeduplicationId of SQS SendMessage and SNS Publish."""
    # SQS SendMessage (API reference, as the SDKs carry it:
    # https://pub.dev/documentation/aws_sqs_api/latest/sqs-2012-11-05/SendMessageBatchRequestEntry/messageGroupId.html):
    # "The length of MessageGroupId is 128 characters. Valid values: alphanumeric characters and
    # punctuation (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~)." SNS Publish
    # (https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/sns/aws.sdk.kotlin.services.sns.model/-publish-request/message-group-id.html):
    # "The MessageGroupId can contain up to 128 alphanumeric characters (a-z, A-Z, 0-9) and
    # punctuation". MessageDeduplicationId follows the same rules in both APIs.
    if not value or len(value) > ID_MAX or _ID_RE.match(value) is None:
        raise error(
            f"Value {value} for parameter {name} is invalid. Reason: {name} can only include "
            f"alphanumeric and punctuation characters. 1 to {ID_MAX} in length."
        )


def check_attributes(attrs: Iterable[tuple[str, str]], error: Error) -> None:
    """Message attribute names and String values (SQS SendMessage, SNS Publish)."""
    seen: set[str] = set()
    for name, value in attrs:
        _check_attribute_name(name, error)
        # "The name is case-sensitive and must be unique among all attribute names for the
        # message." (ReceiveMessageRequest.MessageAttributeNames, same page as below)
        if name in seen:
            raise error(f"Message attribute name '{name}' is used more than once.")
        seen.add(name)
        # "Name, type, value and the message body must not be empty or null." and "For string
        # data types, the Value attribute has the same restrictions on the content as the
        # message body." (MessageAttributeValue,
        # https://boto3.amazonaws.com/v1/documentation/api/1.41.0/reference/services/sqs/message/message_attributes.html)
        if not value:
            raise error(
                f"Message attribute '{name}' must contain a non-empty value of type String."
            )
        bad = INVALID_BODY_CHAR_RE.search(value)
        if bad is not None:
            raise error(
                f"Message attribute '{name}' contains the invalid character {bad.group()!r} "
                f"(valid: {BODY_CHARS})."
            )


def _check_attribute_name(name: str, error: Error) -> None:
    # https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/sqs/aws.sdk.kotlin.services.sqs.model/-receive-message-request/message-attribute-names.html
    # "The name can contain alphanumeric characters and the underscore (_), hyphen (-), and period
    # (.)." / "The name must not start with AWS-reserved prefixes such as AWS. or Amazon. (or any
    # casing variants)." / "The name must not start or end with a period (.), and it should not
    # have periods in succession (..)." / "The name can be up to 256 characters long."
    # (SNS message attributes follow the same rules: sns-message-attributes.html.)
    reason = ""
    if not name or len(name) > ATTRIBUTE_NAME_MAX:
        reason = f"1 to {ATTRIBUTE_NAME_MAX} characters"
    elif _ATTRIBUTE_NAME_RE.match(name) is None:
        reason = "only letters, digits, underscores, hyphens and periods"
    elif name.lower().startswith(_RESERVED_PREFIXES):
        reason = "the prefixes AWS. and Amazon. are reserved"
    elif name.startswith(".") or name.endswith(".") or ".." in name:
        reason = "no period at the start or the end, and no two periods in a row"
    if reason:
        raise error(f"Message attribute name '{name}' is invalid ({reason}).")


def attributes_size(attrs: Iterable[tuple[str, str]]) -> int:
    """What message attributes add to a message's size: name, type and value of each."""
    # "All parts of the message attribute, including Name, Type, and Value, are part of the
    # message size restriction (1 MiB or 1,048,576 bytes)." (MessageAttributeValue, above; SNS
    # says the same of its own limit, sns-message-attributes.html)
    return sum(len(k.encode()) + len(ATTRIBUTE_TYPE) + len(v.encode()) for k, v in attrs)


def check_subject(subject: str, error: Error) -> None:
    """SNS Publish, Subject."""
    # https://docs.aws.amazon.com/sns/latest/api/API_Publish.html: "Constraints: Subjects must be
    # ASCII text that begins with a letter, number, or punctuation mark; must not include line
    # breaks or control characters; and must be less than 100 characters long."
    if len(subject) >= SUBJECT_MAX or _SUBJECT_RE.match(subject) is None:
        raise error(
            "Invalid parameter: Subject (ASCII text that begins with a letter, number or "
            "punctuation mark, without line breaks or control characters, less than 100 "
            "characters long)"
        )


def environment_size(env: Iterable[tuple[str, str]]) -> tuple[int, str]:
    """The size Lambda measures for a function's environment variables, and the string it
    measures: the variables as one compact JSON object."""
    # Lambda's error names the string it measured, a JSON object: "Lambda was unable to configure
    # your environment variables because the environment variables you have provided exceeded
    # the 4KB limit. String measured: {"PG_PASSWORD":"hunter2"}" (as AWS returns it; LocalStack
    # measures the same string in its AWS-validated provider).
    measured = json.dumps(dict(env), separators=(",", ":"), ensure_ascii=False)
    return len(measured.encode()), measured
