"""Invoke payload sizes that a short body stands for (issue 15, item 10: `invoke --size`).

fact lambda_payload_sync (https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html): 6 MB for
a synchronous request; lambda_payload_async: 1 MB for an asynchronous one."""

from __future__ import annotations

import pytest

from studyaws.engine.lambda_ import (
    PAYLOAD_ASYNC_BYTES,
    PAYLOAD_SYNC_BYTES,
    RequestTooLargeException,
)


def test_a_synchronous_invoke_standing_for_more_than_6_mb_is_refused(sim) -> None:
    """A payload of the size limit runs; one byte more is RequestTooLargeException."""
    lam = sim.world.lambda_
    lam.create_function("f")
    assert lam.invoke("f", "{}", size_bytes=PAYLOAD_SYNC_BYTES).status == 200
    with pytest.raises(RequestTooLargeException):
        lam.invoke("f", "{}", size_bytes=PAYLOAD_SYNC_BYTES + 1)


def test_an_asynchronous_invoke_standing_for_more_than_1_mb_is_refused(sim) -> None:
    lam = sim.world.lambda_
    lam.create_function("f")
    lam.invoke_async("f", "{}", size_bytes=PAYLOAD_ASYNC_BYTES)
    with pytest.raises(RequestTooLargeException):
        lam.invoke_async("f", "{}", size_bytes=PAYLOAD_ASYNC_BYTES + 1)
