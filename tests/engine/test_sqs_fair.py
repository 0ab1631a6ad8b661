"""SQS fair queues: MessageGroupId on a standard queue (docs/fidelity.md, "Fair queues")."""

from __future__ import annotations

from studyaws.engine.fair import NOISY_MIN_IN_FLIGHT, QUIET_AFTER_MS


def _noisy_backlog(sim, *, in_flight: int = 40, backlog: int = 20) -> None:
    """Tenant a sends `in_flight + backlog` messages and a consumer holds `in_flight` of them."""
    sim.queue("shared", visibility_timeout_s=3600)
    for i in range(in_flight + backlog):
        sim.send("shared", f"a{i}", group="tenant-a")
    for _ in range(in_flight // 10):
        sim.recv("shared", max_number_of_messages=10)


def test_a_noisy_tenants_backlog_waits_behind_quiet_tenants(sim) -> None:
    """ "When fair queues detect that one tenant is using a disproportionate share of the queue's
    consumer capacity, they prioritize delivery of messages from quiet tenants."
    (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-fair-queues-detailed.html)
    Tenant a holds all 40 in-flight messages: b's later messages are received before a's
    older backlog, which is not dropped, only delayed."""
    _noisy_backlog(sim)
    for i in range(3):
        sim.send("shared", f"b{i}", group="tenant-b")
    assert sim.bodies("shared", max_number_of_messages=5) == ["b0", "b1", "b2", "a40", "a41"]


def test_without_message_groups_a_standard_queue_keeps_its_order(sim) -> None:
    """A standard queue is fair only when producers set MessageGroupId; there is no queue
    setting (fact sqs_fair_queues). Without groups the oldest message comes first."""
    sim.queue("shared", visibility_timeout_s=3600)
    for i in range(60):
        sim.send("shared", f"a{i}")
    for _ in range(4):
        sim.recv("shared", max_number_of_messages=10)
    sim.send("shared", "b0")
    assert sim.bodies("shared", max_number_of_messages=2) == ["a40", "a41"]


def test_a_message_without_a_group_is_a_tenant_of_its_own(sim) -> None:
    """ "Each message without a MessageGroupId is treated as belonging to its own distinct
    tenant." (sqs-fair-queues-detailed) It is quiet, so it too passes a noisy backlog."""
    _noisy_backlog(sim)
    sim.send("shared", "loner")
    assert sim.bodies("shared") == ["loner"]


def test_a_tenant_with_few_messages_in_flight_is_not_noisy(sim) -> None:
    """A tenant is a noisy neighbour with more than 10 % of the in-flight messages and at least
    30 of its own in flight (fact sqs_fair_queue_noisy_share): with 20 in flight it is not, and
    the queue keeps its order."""
    _noisy_backlog(sim, in_flight=20)
    assert NOISY_MIN_IN_FLIGHT == 30
    sim.send("shared", "b0", group="tenant-b")
    assert sim.bodies("shared") == ["a20"]


def test_a_noisy_tenant_is_quiet_again_after_5_minutes_without_sending(sim) -> None:
    """A noisy tenant is treated as quiet again once its backlog is drained or after it has sent
    no message for 5 minutes (fact sqs_fair_queue_quiet_again)."""
    _noisy_backlog(sim)
    sim.at(QUIET_AFTER_MS / 1000 + 1)
    sim.send("shared", "b0", group="tenant-b")
    assert sim.bodies("shared") == ["a40"]


def test_messages_of_one_tenant_are_received_in_parallel_unlike_fifo(sim) -> None:
    """Fair queues keep standard-queue semantics: "messages of one group are still delivered in
    parallel, unordered, at standard-queue throughput" (fact sqs_fair_queues) — a group is never
    blocked by its own in-flight messages."""
    sim.queue("shared")
    sim.send("shared", "a0", group="tenant-a")
    sim.send("shared", "a1", group="tenant-a")
    assert sim.bodies("shared") == ["a0"]
    assert sim.bodies("shared") == ["a1"]
