"""Standard-queue delivery guarantees (case SQS-27): deterministic by default, chaos on request."""

from __future__ import annotations

from studyaws.engine import CHAOS_ON, Chaos

from .conftest import Sim


def test_sqs_27_default_is_ordered_and_exactly_once(sim) -> None:
    sim.queue()
    for body in "abc":
        sim.send("q", body)
    assert sim.bodies("q", max_number_of_messages=10) == ["a", "b", "c"]


def test_sqs_27_reordering_under_a_seed_is_logged_and_replayable() -> None:
    """With chaos on, receives may come out of send order; the same seed repeats it."""

    def run(seed: int) -> list[str]:
        s = Sim(seed, chaos=Chaos(reorder=True))
        s.queue()
        for i in range(20):
            s.send("q", str(i))
        out = []
        while got := s.bodies("q", max_number_of_messages=3):
            out += got
        return out

    orders = {tuple(run(seed)) for seed in range(5)}
    assert any(list(o) != [str(i) for i in range(20)] for o in orders)
    assert all(sorted(o, key=int) == [str(i) for i in range(20)] for o in orders)
    assert run(3) == run(3)


def test_sqs_27_deleted_message_may_be_delivered_again() -> None:
    """ "It is possible you will receive a message even after you have deleted it": with chaos on,
    a delete can leave a copy that comes back after the visibility timeout."""
    s = Sim(1, chaos=Chaos(delete_survival=1.0))
    s.queue()
    s.send("q", "m")
    [r] = s.recv("q")
    s.sqs.delete_message("q", r.receipt)
    s.at(30)
    assert s.bodies("q") == ["m"]
    assert s.kinds().count("DeletedCopySurvived") == 1


def test_sqs_23_short_poll_sampling_can_return_fewer_or_none() -> None:
    """Short polling samples servers: fewer messages than available, even none; long polling
    (wait > 0) is not sampled."""
    s = Sim(7, chaos=Chaos(short_poll_sample=0.3))
    s.queue()
    for i in range(5):
        s.send("q", str(i))
    sizes = [len(s.recv("q", max_number_of_messages=10, visibility_timeout_s=0)) for _ in range(20)]
    assert min(sizes) < 5
    assert 0 in sizes
    assert len(s.recv("q", max_number_of_messages=10, wait_time_s=1)) == 5


def test_chaos_on_preset_is_seeded() -> None:
    def log(seed: int) -> list[dict]:
        s = Sim(seed, chaos=CHAOS_ON)
        s.queue()
        for i in range(10):
            s.send("q", str(i))
        for _ in range(10):
            for r in s.recv("q", max_number_of_messages=4):
                s.sqs.delete_message("q", r.receipt)
            s.at(s.world.now_ms / 1000 + 31)
        return [e.to_dict() for e in s.world.events()]

    assert log(11) == log(11)
    assert log(11) != log(12)
