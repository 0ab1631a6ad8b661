"""Hypothesis stateful tests of the engine's invariants.

- A live message is in exactly one place: one queue, one state (visible, in flight or delayed), and
  the counters agree with the lists.
- Conservation, per queue: arrived (sent + moved in) = deleted + expired + purged + moved out +
  visible + in flight + delayed; and for the world: sent = deleted + expired + purged + live.
- Same seed ⇒ same log: the operations replayed on a fresh world give the identical log.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from studyaws.engine import AwsError, Chaos, World

QUEUES = ("src", "dlq", "f.fifo", "fdlq.fifo")


def _build(seed: int, chaos: Chaos) -> World:
    world = World(seed, chaos=chaos)
    sqs = world.sqs
    sqs.create_queue("dlq", retention_s=200)
    sqs.create_queue("src", dead_letter_queue="dlq", max_receive_count=2, retention_s=300)
    sqs.create_queue("fdlq.fifo", fifo=True)
    sqs.create_queue(
        "f.fifo",
        fifo=True,
        content_based_dedup=True,
        dead_letter_queue="fdlq.fifo",
        max_receive_count=3,
        retention_s=400,
    )
    return world


class SqsMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.chaos = Chaos(short_poll_sample=0.7, delete_survival=0.2, reorder=True)
        self.world = _build(3, self.chaos)
        self.ops: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
        self.receipts: list[tuple[str, str]] = []

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        self.ops.append((name, args, kwargs))
        return _apply(self.world, name, args, kwargs)

    @rule(
        queue=st.sampled_from(QUEUES),
        body=st.sampled_from(["a", "b", "c", "d"]),
        delay=st.one_of(st.none(), st.integers(0, 40)),
        group=st.sampled_from(["g1", "g2"]),
    )
    def send(self, queue: str, body: str, delay: int | None, group: str) -> None:
        if queue.endswith(".fifo"):
            self._call("send_message", queue, body, group=group)
        else:
            self._call("send_message", queue, body, delay_s=delay)

    @rule(
        queue=st.sampled_from(QUEUES),
        max_n=st.integers(1, 10),
        vt=st.one_of(st.none(), st.integers(0, 50)),
        wait=st.sampled_from([0, 0, 5]),
    )
    def receive(self, queue: str, max_n: int, vt: int | None, wait: int) -> None:
        got = self._call(
            "receive_message",
            queue,
            max_number_of_messages=max_n,
            visibility_timeout_s=vt,
            wait_time_s=wait,
        )
        self.receipts += [(queue, r.receipt) for r in got or ()]

    @precondition(lambda self: self.receipts)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        queue, receipt = data.draw(st.sampled_from(self.receipts))
        self._call("delete_message", queue, receipt)

    @precondition(lambda self: self.receipts)
    @rule(data=st.data(), seconds=st.integers(0, 60))
    def change_visibility(self, data: st.DataObject, seconds: int) -> None:
        queue, receipt = data.draw(st.sampled_from(self.receipts))
        self._call("change_message_visibility", queue, receipt, seconds)

    @rule(seconds=st.integers(0, 90))
    def tick(self, seconds: int) -> None:
        self._call("advance", seconds)

    @rule(
        action=st.sampled_from(["purge", "fifo-delay", "redrive", "none", "none", "none"]),
        queue=st.sampled_from(QUEUES),
        delay=st.integers(0, 30),
    )
    def admin(self, action: str, queue: str, delay: int) -> None:
        """Rarer operations, folded into one rule so they don't crowd out the data path."""
        if action == "purge":
            self._call("purge_queue", queue)
        elif action == "fifo-delay":
            self._call("set_queue_attributes", "f.fifo", delay_s=delay)
        elif action == "redrive":
            self._call("start_message_move_task", queue, max_per_second=2)

    @rule(queue=st.sampled_from(QUEUES), max_n=st.integers(1, 10))
    def receive_again(self, queue: str, max_n: int) -> None:
        got = self._call("receive_message", queue, max_number_of_messages=max_n)
        self.receipts += [(queue, r.receipt) for r in got or ()]

    @invariant()
    def a_message_is_in_exactly_one_place(self) -> None:
        snap = self.world.snapshot()["queues"]
        places = Counter()
        for name, q in snap.items():
            for state in ("visible", "in_flight", "delayed"):
                places.update(q[state])
            counts = self.world.sqs.get_queue_attributes(name)
            assert counts["ApproximateNumberOfMessages"] == len(q["visible"])
            assert counts["ApproximateNumberOfMessagesNotVisible"] == len(q["in_flight"])
            assert counts["ApproximateNumberOfMessagesDelayed"] == len(q["delayed"])
        assert all(n == 1 for n in places.values()), places

    @invariant()
    def messages_are_conserved(self) -> None:
        snap = self.world.snapshot()["queues"]
        arrived: Counter[str] = Counter()
        left: Counter[str] = Counter()
        for e in self.world.events():
            if e.kind == "MessageSent":
                arrived[e.resource] += 1
            elif e.kind in ("MessageDeleted", "MessageExpired"):
                left[e.resource] += 1
            elif e.kind == "QueuePurged":
                left[e.resource] += len(e.message_ids)
            elif e.kind == "MessageMovedToDlq":
                left[e.resource] += 1
                arrived[e.dlq] += 1
            elif e.kind == "MessageRedriven":
                left[e.resource] += 1
                arrived[e.destination] += 1
        live_total = 0
        for name, q in snap.items():
            live = len(q["visible"]) + len(q["in_flight"]) + len(q["delayed"])
            live_total += live
            assert arrived[name] == left[name] + live, name
        sent = sum(1 for e in self.world.events() if e.kind == "MessageSent")
        gone = sum(
            1 if e.kind in ("MessageDeleted", "MessageExpired") else len(e.message_ids)
            for e in self.world.events()
            if e.kind in ("MessageDeleted", "MessageExpired", "QueuePurged")
        )
        assert sent == gone + live_total

    @invariant()
    def log_is_ordered_in_time(self) -> None:
        times = [e.at_ms for e in self.world.events()]
        assert times == sorted(times)

    def teardown(self) -> None:
        again = _build(3, self.chaos)
        for name, args, kwargs in self.ops:
            _apply(again, name, args, kwargs)
        assert [e.to_dict() for e in again.events()] == [e.to_dict() for e in self.world.events()]


def _apply(world: World, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    target = world if name == "advance" else world.sqs
    try:
        return getattr(target, name)(*args, **kwargs)
    except AwsError:
        return None


SqsMachine.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestSqsInvariants = SqsMachine.TestCase


def test_invariants_hold_on_long_seeded_random_walks() -> None:
    """Hypothesis favours short programs; long walks reach DLQ moves, expiry and redrive too."""
    import random

    kinds: Counter[str] = Counter()
    for seed in range(4):
        rng = random.Random(seed)
        machine = SqsMachine()
        for _ in range(400):
            roll = rng.random()
            queue = rng.choice(QUEUES)
            if roll < 0.3:
                machine.send(
                    queue, rng.choice("abcd"), rng.choice([None, 0, 5]), rng.choice(["g1", "g2"])
                )
            elif roll < 0.6:
                machine.receive(
                    queue, rng.randint(1, 10), rng.choice([None, 0, 10]), rng.choice([0, 5])
                )
            elif roll < 0.7 and machine.receipts:
                q, r = rng.choice(machine.receipts)
                machine._call("delete_message", q, r)
            elif roll < 0.75 and machine.receipts:
                q, r = rng.choice(machine.receipts)
                machine._call("change_message_visibility", q, r, rng.randint(0, 60))
            elif roll < 0.95:
                machine.tick(rng.randint(0, 60))
            else:
                machine.admin(
                    rng.choice(["purge", "fifo-delay", "redrive"]), queue, rng.randint(0, 30)
                )
            machine.a_message_is_in_exactly_one_place()
            machine.messages_are_conserved()
        machine.log_is_ordered_in_time()
        machine.teardown()
        kinds.update(e.kind for e in machine.world.events())
    for kind in ("MessageMovedToDlq", "MessageExpired", "MessageRedriven", "DeletedCopySurvived"):
        assert kinds[kind] > 0, kind
