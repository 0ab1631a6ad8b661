"""Visibility timeout, ChangeMessageVisibility, ApproximateReceiveCount (SQS-01..06, 09)."""

from __future__ import annotations

import pytest

from studyaws.engine.errors import InvalidParameterValue, ReceiptHandleIsInvalid


def test_sqs_01_default_visibility_30s_message_reappears_with_new_handle(sim) -> None:
    """The default visibility timeout is 30 s; an unacknowledged message comes back with a new
    receipt handle and ApproximateReceiveCount 2; while in flight it is NotVisible."""
    sim.queue()
    sim.send("q", "m")
    [first] = sim.recv("q")
    assert first.receipt == "m1#1"
    assert sim.counts("q") == (0, 1, 0)
    sim.at(29)
    assert sim.recv("q") == []
    sim.at(31)
    [second] = sim.recv("q")
    assert second.receipt == "m1#2" != first.receipt
    assert second.receive_count == 2


def test_sqs_01_visibility_boundary_is_inclusive(sim) -> None:
    """Engine convention: visible again exactly when now >= receive time + timeout."""
    sim.queue()
    sim.send("q", "m")
    sim.recv("q")
    sim.at(29.999)
    assert sim.recv("q") == []
    sim.at(30)
    assert sim.bodies("q") == ["m"]


def test_sqs_01_visibility_range_is_0_to_12_hours(sim) -> None:
    """Valid visibility timeouts are 0-43,200 s, on the queue and per receive."""
    with pytest.raises(InvalidParameterValue):
        sim.queue(visibility_timeout_s=43_201)
    sim.queue()
    with pytest.raises(InvalidParameterValue):
        sim.recv("q", visibility_timeout_s=43_201)


def test_sqs_02_change_visibility_counts_from_the_call(sim) -> None:
    """CMV(60) at t=20 makes the message visible at 80 — not 60, not 110."""
    sim.queue()
    sim.send("q", "m")
    [r] = sim.recv("q")
    sim.at(20)
    sim.sqs.change_message_visibility("q", r.receipt, 60)
    sim.at(79)
    assert sim.recv("q") == []
    sim.at(81)
    assert sim.bodies("q") == ["m"]


def test_sqs_03_change_visibility_zero_releases_at_once(sim) -> None:
    """CMV(0) makes the message receivable immediately; the next receive has RC=2."""
    sim.queue()
    sim.send("q", "m")
    [r] = sim.recv("q")
    sim.sqs.change_message_visibility("q", r.receipt, 0)
    assert sim.counts("q") == (1, 0, 0)
    [again] = sim.recv("q")
    assert again.receive_count == 2


def test_sqs_04_change_visibility_is_not_sticky(sim) -> None:
    """A visibility change lasts for one receive; the next receive uses the queue's timeout."""
    sim.queue()
    sim.send("q", "m")
    [r] = sim.recv("q")
    sim.sqs.change_message_visibility("q", r.receipt, 100)
    sim.at(101)
    sim.recv("q")
    sim.at(131)
    assert sim.bodies("q") == ["m"]


def test_sqs_04_receive_visibility_parameter_overrides_queue(sim) -> None:
    """VisibilityTimeout on ReceiveMessage overrides the queue attribute for that receive."""
    sim.queue(visibility_timeout_s=300)
    sim.send("q", "m")
    sim.recv("q", visibility_timeout_s=5)
    sim.at(5)
    assert sim.bodies("q") == ["m"]
    sim.at(304)
    assert sim.recv("q") == []
    sim.at(305)
    assert sim.bodies("q") == ["m"]


def test_sqs_05_twelve_hour_cap_counts_from_this_receive(sim) -> None:
    """Received 6 h after sending, a CMV of 11 h is fine: the 12 h cap is per receive."""
    sim.queue()
    sim.send("q", "m")
    sim.at(21_600)
    [r] = sim.recv("q")
    sim.sqs.change_message_visibility("q", r.receipt, 11 * 3600)
    assert sim.counts("q") == (0, 1, 0)


def test_sqs_05_over_long_change_is_rejected_not_clamped(sim) -> None:
    """After 30 min in flight a 12 h CMV would exceed 12 h in total: rejected, state unchanged."""
    sim.queue()
    sim.send("q", "m")
    [r] = sim.recv("q", visibility_timeout_s=3600)
    sim.at(1800)
    log_before = len(sim.world.log)
    with pytest.raises(InvalidParameterValue, match="beyond the limit"):
        sim.sqs.change_message_visibility("q", r.receipt, 43_200)
    assert len(sim.world.log) == log_before
    sim.sqs.change_message_visibility("q", r.receipt, 43_200 - 1800)  # exactly 12 h: allowed
    sim.at(43_199)
    assert sim.recv("q") == []
    sim.at(43_200)
    assert sim.bodies("q") == ["m"]


def test_sqs_06_receive_count_counts_every_delivery(sim) -> None:
    """RC counts receives, including ones nobody processed; delay time does not count."""
    sim.queue(delay_s=10)
    sim.send("q", "m")
    counts = []
    for t in (10, 41, 72):
        sim.at(t)
        [r] = sim.recv("q")
        counts.append(r.receive_count)
    assert counts == [1, 2, 3]


def test_sqs_09a_change_visibility_after_delete_is_invalid_parameter(sim) -> None:
    """CMV on a deleted message: InvalidParameterValue, "Message does not exist or is not
    available for visibility timeout change"."""
    sim.queue()
    sim.send("q", "m")
    [r] = sim.recv("q")
    sim.sqs.delete_message("q", r.receipt)
    with pytest.raises(InvalidParameterValue, match="does not exist or is not available"):
        sim.sqs.change_message_visibility("q", r.receipt, 10)


def test_sqs_09b_change_visibility_on_visible_message_is_a_no_op(sim) -> None:
    """CMV with a handle whose timeout has passed succeeds but does not hide the message."""
    sim.queue()
    sim.send("q", "m")
    [r] = sim.recv("q")
    sim.at(31)
    sim.sqs.change_message_visibility("q", r.receipt, 300)
    assert sim.counts("q") == (1, 0, 0)
    assert sim.bodies("q") == ["m"]


def test_change_visibility_with_unknown_handle_is_receipt_handle_invalid(sim) -> None:
    sim.queue()
    sim.send("q", "m")
    sim.recv("q")
    for bad in ("nonsense", "m1#2", "m99#1", "m1#0"):
        with pytest.raises(ReceiptHandleIsInvalid):
            sim.sqs.change_message_visibility("q", bad, 10)
