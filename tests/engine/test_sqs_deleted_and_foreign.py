"""A queue name after DeleteQueue (issue 15, item 7) and a receipt handle used on another queue
(item 8)."""

from __future__ import annotations

import pytest

from studyaws.engine.errors import QueueDeletedRecently, ReceiptHandleIsInvalid


def test_a_deleted_queue_name_is_free_again_after_60_seconds(sim) -> None:
    """QueueDeletedRecently: "You must wait 60 seconds after deleting a queue before you can
    create another queue with the same name."
    (https://docs.aws.amazon.com/botocore/latest/reference/services/sqs/client/exceptions/QueueDeletedRecently.html)"""
    sim.queue("orders")
    sim.sqs.delete_queue("orders")
    sim.at(59.999)
    with pytest.raises(QueueDeletedRecently):
        sim.queue("orders")
    assert "orders" not in sim.sqs.queues
    sim.at(60)
    sim.queue("orders")
    assert sim.counts("orders") == (0, 0, 0)


def test_other_names_are_not_held(sim) -> None:
    sim.queue("orders")
    sim.sqs.delete_queue("orders")
    sim.queue("invoices")


def test_a_receipt_handle_of_another_queue_is_invalid(sim) -> None:
    """Deleting with a receipt handle of another queue is ReceiptHandleIsInvalid. The knowledge
    center's page on receipt-handle errors (read in its Japanese edition,
    https://aws.amazon.com/jp/premiumsupport/knowledge-center/sqs-receipt-handle-error/) gives the
    error as (ReceiptHandleIsInvalid): 受信ハンドル "YOUR RECEIPT HANDLE" は、このキューでは無効です
    ("the receipt handle is not valid for this queue"), and says:
    このエラーは、別の SQS キューからの受信ハンドルを持つメッセージを
    削除しようとしたときに発生します
    ("this error occurs when you try to delete a message with a receipt handle from another SQS
    queue"). The message stays in its own queue."""
    sim.queue("a")
    sim.queue("b")
    sim.send("a", "hello")
    [got] = sim.recv("a")
    with pytest.raises(ReceiptHandleIsInvalid, match="not valid for this queue"):
        sim.sqs.delete_message("b", got.receipt)
    assert sim.counts("a") == (0, 1, 0)
    with pytest.raises(ReceiptHandleIsInvalid):
        sim.sqs.change_message_visibility("b", got.receipt, 0)
    sim.sqs.delete_message("a", got.receipt)
    assert sim.counts("a") == (0, 0, 0)


def test_a_handle_the_queue_issued_before_a_move_to_the_dlq_still_succeeds(sim) -> None:
    """A message moved to its DLQ is gone from the source queue: the source's own handle deletes
    nothing there and succeeds (deleting a message that is gone succeeds), while the DLQ does not
    take that handle."""
    sim.queue("dlq")
    sim.queue("src", dead_letter_queue="dlq", max_receive_count=1, visibility_timeout_s=5)
    sim.send("src", "poison")
    [first] = sim.recv("src")
    sim.at(5)
    assert sim.recv("src") == []  # moved to the DLQ on this receive
    sim.sqs.delete_message("src", first.receipt)
    with pytest.raises(ReceiptHandleIsInvalid):
        sim.sqs.delete_message("dlq", first.receipt)
    assert sim.counts("dlq") == (1, 0, 0)
