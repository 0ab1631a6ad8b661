"""Receipt handles: one per receive (`m3#2`), and how stale ones behave per queue type."""

from __future__ import annotations

import pytest

from studyaws.engine.errors import InvalidParameterValue, ReceiptHandleIsInvalid


def test_sqs_07_standard_delete_with_older_handle_succeeds(sim) -> None:
    """Standard queue: DeleteMessage with an older handle "will still succeed"; whether it deletes
    is unspecified by AWS — the engine deletes, and labels the event with its cause."""
    sim.queue()
    sim.send("q", "m")
    [h1] = sim.recv("q")
    sim.at(31)
    [h2] = sim.recv("q")
    assert (h1.receipt, h2.receipt) == ("m1#1", "m1#2")
    sim.sqs.delete_message("q", h1.receipt)
    assert sim.counts("q") == (0, 0, 0)
    [deleted] = sim.events("MessageDeleted")
    assert deleted.cause == "stale_receipt_handle_accepted"


def test_sqs_07_delete_twice_succeeds(sim) -> None:
    """Deleting a message that is already gone succeeds and changes nothing."""
    sim.queue()
    sim.send("q", "m")
    [r] = sim.recv("q")
    sim.sqs.delete_message("q", r.receipt)
    sim.sqs.delete_message("q", r.receipt)
    assert len(sim.events("MessageDeleted")) == 1


def test_sqs_08_fifo_handle_expires_with_visibility_timeout(sim) -> None:
    """FIFO: a handle whose visibility timeout has passed gives InvalidParameterValue, "The
    receipt handle has expired", and the message stays."""
    sim.queue("q.fifo", fifo=True, content_based_dedup=True)
    sim.send("q.fifo", "m", group="g")
    [r] = sim.recv("q.fifo")
    sim.at(31)
    with pytest.raises(InvalidParameterValue, match="has expired"):
        sim.sqs.delete_message("q.fifo", r.receipt)
    assert sim.counts("q.fifo") == (1, 0, 0)


def test_sqs_08_fifo_older_handle_is_expired_after_redelivery(sim) -> None:
    sim.queue("q.fifo", fifo=True, content_based_dedup=True)
    sim.send("q.fifo", "m", group="g")
    [h1] = sim.recv("q.fifo")
    sim.at(31)
    [h2] = sim.recv("q.fifo")
    with pytest.raises(InvalidParameterValue, match="has expired"):
        sim.sqs.delete_message("q.fifo", h1.receipt)
    sim.sqs.delete_message("q.fifo", h2.receipt)
    assert sim.counts("q.fifo") == (0, 0, 0)


@pytest.mark.parametrize("handle", ["garbage", "m1", "m1#", "m1#2", "m0#1", "m7#1", "m1#0"])
def test_malformed_or_never_issued_handle_is_invalid(sim, handle) -> None:
    """A handle the queue never issued is ReceiptHandleIsInvalid, and nothing changes."""
    sim.queue()
    sim.send("q", "m")
    sim.recv("q")
    before = sim.world.snapshot(), len(sim.world.log)
    with pytest.raises(ReceiptHandleIsInvalid):
        sim.sqs.delete_message("q", handle)
    assert (sim.world.snapshot(), len(sim.world.log)) == before


def test_handle_from_the_source_queue_is_invalid_in_the_dlq(sim) -> None:
    """Receipt handles belong to the queue that issued them."""
    sim.queue("dlq")
    sim.queue("src", dead_letter_queue="dlq", max_receive_count=1)
    sim.send("src", "m")
    [r] = sim.recv("src")
    sim.at(31)
    assert sim.recv("src") == []
    with pytest.raises(ReceiptHandleIsInvalid):
        sim.sqs.delete_message("dlq", r.receipt)
    [in_dlq] = sim.recv("dlq")
    assert in_dlq.receipt == "m1#2"
