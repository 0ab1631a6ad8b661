"""Fixtures for the engine tests: a fresh world and a small driver with absolute virtual time."""

from __future__ import annotations

from typing import Any

import pytest

from studyaws.engine import World
from studyaws.engine.sqs import Received


class Sim:
    """A world plus shorthands; `at(t)` moves the clock to absolute second `t`."""

    def __init__(self, seed: int = 0, **kwargs: Any) -> None:
        self.world = World(seed, **kwargs)
        self.sqs = self.world.sqs

    def at(self, t: float) -> None:
        self.world.run(round(t * 1000))

    def queue(self, name: str = "q", **kwargs: Any) -> str:
        return self.sqs.create_queue(name, **kwargs)

    def send(self, queue: str, body: str, **kwargs: Any) -> str:
        return self.sqs.send_message(queue, body, **kwargs).message_id

    def recv(self, queue: str, **kwargs: Any) -> list[Received]:
        return self.sqs.receive_message(queue, **kwargs)

    def bodies(self, queue: str, **kwargs: Any) -> list[str]:
        return [r.body for r in self.recv(queue, **kwargs)]

    def counts(self, queue: str) -> tuple[int, int, int]:
        """(visible, in flight, delayed): the three ApproximateNumberOf... counters."""
        a = self.sqs.get_queue_attributes(queue)
        return (
            a["ApproximateNumberOfMessages"],
            a["ApproximateNumberOfMessagesNotVisible"],
            a["ApproximateNumberOfMessagesDelayed"],
        )

    def kinds(self) -> list[str]:
        return [e.kind for e in self.world.events()]

    def events(self, kind: str) -> list[Any]:
        return [e for e in self.world.events() if e.kind == kind]


@pytest.fixture
def sim() -> Sim:
    return Sim()
