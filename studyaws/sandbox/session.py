"""A sandbox session: a world plus the lines that built it, so `undo` and `reset` are replays.

The engine is deterministic, so `undo` rebuilds the world from the seed and runs every line but the
last again; `reset` starts from an empty world with the same seed. Scripts and the interactive
shell both go through `Session.execute`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from studyaws.engine import World
from studyaws.sandbox.commands import run_command
from studyaws.sandbox.language import Command, SandboxSyntaxError, parse
from studyaws.sandbox.results import Result

# The sandbox keeps the last LOG_LIMIT events (`log` shows those): a long `tick` with many pollers
# must not fill the memory with history (the engine's bounded log, issue 3).
LOG_LIMIT: Final = 200_000

# Commands that never change the world: not kept for `undo`.
_READ_ONLY = frozenset({"stats", "log", "show", "help"})


@dataclass(frozen=True, slots=True)
class Outcome:
    command: Command
    result: Result


class Session:
    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.world = World(seed, log=LOG_LIMIT)
        self.history: list[str] = []  # the lines that changed the world, in order

    def execute(self, line: str) -> Outcome | None:
        """Run one line; None for a blank or comment line. Raises `SandboxSyntaxError`."""
        command = parse(line)
        if command is None:
            return None
        if command.name == "reset":
            self.world = World(self.seed, log=LOG_LIMIT)
            self.history.clear()
            return Outcome(command, {"ok": True, "now": self.world.now_s})
        if command.name == "undo":
            if not self.history:
                raise SandboxSyntaxError("nothing to undo")
            self._replay(self.history[:-1])
            return Outcome(command, {"ok": True, "now": self.world.now_s})
        try:
            result = run_command(self.world, command)
        except SandboxSyntaxError:
            raise
        except Exception as exc:  # a bug must not kill the learner's session
            result = {"ok": False, "error": {"code": "InternalError", "message": repr(exc)}}
        if command.name not in _READ_ONLY:
            self.history.append(line)
        return Outcome(command, result)

    def restore(self, lines: list[str]) -> None:
        """Rebuild the world from the seed and `lines`: after a command was interrupted midway
        (Ctrl-C), the world is as it was before that command."""
        self._replay(list(lines))

    def _replay(self, lines: list[str]) -> None:
        self.world = World(self.seed, log=LOG_LIMIT)
        self.history = []
        for line in lines:
            self.execute(line)

    def resource_names(self) -> list[str]:
        """Queues, topics, functions, buckets and schedules, for tab completion."""
        w = self.world
        return [
            *w.sqs.list_queues(),
            *w.sns.topics,
            *w.lambda_.functions,
            *w.s3.buckets,
            *w.schedules.schedules,
        ]


@dataclass(frozen=True, slots=True)
class ScriptError:
    line_number: int
    message: str


def run_script(
    session: Session,
    lines: Iterable[str],
    emit: Callable[[Outcome], None],
) -> ScriptError | None:
    """Run lines in order, `emit` each outcome; stop at the first bad line and return it."""
    for number, line in enumerate(lines, start=1):
        try:
            outcome = session.execute(line)
        except SandboxSyntaxError as exc:
            return ScriptError(number, exc.message)
        if outcome is not None:
            emit(outcome)
    return None
