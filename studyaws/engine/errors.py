"""Errors of the simulated AWS API, named with AWS's own error codes.

A command that breaks a rule raises one of these *before* it changes anything: the world's state and
its event log are exactly as they were (h11's rule: a rejected input leaves state unchanged). The
sandbox turns an `AwsError` into `{"ok": false, "error": {"code": ..., "message": ...}}`; it is a
result of the simulated API, not a crash.

The class names are the AWS error codes (hence no `Error` suffix); `code` is what the wire says.
"""

from __future__ import annotations

from typing import TypedDict

# lambda_timeout_max: the errorType of a function that ran past its timeout, in a synchronous
# invoke's result.
LAMBDA_TIMEOUT_ERROR_TYPE = "Sandbox.Timedout"


class ErrorObject(TypedDict):
    """An error response as data: AWS's code and its message."""

    code: str
    message: str


class AwsError(Exception):
    """An error response of the simulated AWS API: `code` is AWS's error code."""

    code = "InternalError"

    def __init__(self, message: str) -> None:
        super().__init__(f"{self.code}: {message}")
        self.message = message

    def to_dict(self) -> ErrorObject:
        return {"code": self.code, "message": self.message}


class QueueDoesNotExist(AwsError):  # noqa: N818 (AWS's name)
    code = "QueueDoesNotExist"

    def __init__(self, name: str) -> None:
        super().__init__(f"The specified queue {name} does not exist.")


class QueueAlreadyExists(AwsError):  # noqa: N818
    code = "QueueAlreadyExists"


class InvalidParameterValue(AwsError):  # noqa: N818
    code = "InvalidParameterValue"


class InvalidParameterCombination(AwsError):  # noqa: N818
    code = "InvalidParameterCombination"


class MissingParameter(AwsError):  # noqa: N818
    code = "MissingParameter"


class ReceiptHandleIsInvalid(AwsError):  # noqa: N818
    code = "ReceiptHandleIsInvalid"


class PurgeQueueInProgress(AwsError):  # noqa: N818
    code = "PurgeQueueInProgress"


class UnsupportedOperation(AwsError):  # noqa: N818
    code = "UnsupportedOperation"


class InvalidMessageContents(AwsError):  # noqa: N818
    code = "InvalidMessageContents"


class ResourceNotFoundException(AwsError):  # noqa: N818
    code = "ResourceNotFoundException"


class TooManyRequestsException(AwsError):  # noqa: N818
    code = "TooManyRequestsException"


def invalid_value(name: str, value: object, reason: str) -> InvalidParameterValue:
    """AWS's wording: `Value 11 for parameter MaxNumberOfMessages is invalid. Reason: ...`."""
    return InvalidParameterValue(f"Value {value} for parameter {name} is invalid. Reason: {reason}")


# -- SNS (the wire codes of NotFoundException, InvalidParameterException) -------------------------


class NotFound(AwsError):  # noqa: N818
    code = "NotFound"


class InvalidParameter(AwsError):  # noqa: N818
    code = "InvalidParameter"


# -- Lambda -------------------------------------------------------------------------------------


class InvalidParameterValueException(AwsError):  # noqa: N818
    code = "InvalidParameterValueException"


class ResourceConflictException(AwsError):  # noqa: N818
    code = "ResourceConflictException"


# -- S3, EventBridge, CodeDeploy ------------------------------------------------------------------


class NoSuchBucket(AwsError):  # noqa: N818
    code = "NoSuchBucket"


class BucketAlreadyOwnedByYou(AwsError):  # noqa: N818
    code = "BucketAlreadyOwnedByYou"


class InvalidArgument(AwsError):  # noqa: N818
    code = "InvalidArgument"


class ValidationException(AwsError):  # noqa: N818
    code = "ValidationException"


class ConflictException(AwsError):  # noqa: N818
    code = "ConflictException"


class DeploymentAlreadyStartedException(AwsError):  # noqa: N818
    code = "DeploymentAlreadyStartedException"


# -- added with issue 15 (fidelity, round 2) ------------------------------------------------------


class QueueDeletedRecently(AwsError):  # noqa: N818
    code = "QueueDeletedRecently"


class EmptyBatchRequest(AwsError):  # noqa: N818
    code = "EmptyBatchRequest"


class TooManyEntriesInBatchRequest(AwsError):  # noqa: N818
    code = "TooManyEntriesInBatchRequest"


class BatchEntryIdsNotDistinct(AwsError):  # noqa: N818
    code = "BatchEntryIdsNotDistinct"


class BatchRequestTooLong(AwsError):  # noqa: N818
    code = "BatchRequestTooLong"


class InvalidBatchEntryId(AwsError):  # noqa: N818
    code = "InvalidBatchEntryId"


class DeploymentConfigDoesNotExistException(AwsError):  # noqa: N818
    code = "DeploymentConfigDoesNotExistException"
