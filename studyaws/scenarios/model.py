"""A scenario as typed, immutable data (`kind: scenario`; the reader is content/scenarios.py).

Pure: no engine, no UI. The loader builds these from YAML; `studyaws.scenarios.run` plays them on
the engine. Every object keeps the `Loc` it came from so a line that fails on the engine is
reported at its place in the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from studyaws.content.model import NOWHERE, Loc

# `{max-receives}` in a line is the value of setting `max-receives`. JSON (`{"a": 1}`) never
# matches: a placeholder is a bare lowercase name.
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9-]*)\}")

# How a checkpoint's answer is read from the engine (never the answer itself).
ANSWER_KINDS: tuple[str, ...] = (
    "messages",  # the messages the step's receive returns (ids), or nothing
    "receive_count",  # ApproximateReceiveCount of the message the step receives
    "count",  # `count: EventKind` — how many such events happen during the step
    "stat",  # `stat: visible|in_flight|delayed|consumers of QUEUE` — after the step
    "status",  # the status of the step's invoke (200, 202, 429)
    "now",  # the virtual time (seconds) when the step's command returns
    "location",  # `location: MESSAGE` — which queue holds the message after the step
    "message_id",  # the message id the step's send returns (a duplicate gets the old one)
    "outcome",  # how the step's last synchronous invoke ends: success, error, timeout, throttled
    "query",  # `query: KEY` — the value of KEY the function behind an ALB receives
    "version",  # the function version that served the step's last synchronous invoke
    "duration",  # how long (seconds) the step's last synchronous invoke ran before it returned
)
STATS: tuple[str, ...] = ("visible", "in_flight", "delayed", "consumers")
SettingValue = int | str


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: SettingValue
    about: str = ""
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class AnswerSpec:
    """`kind` from ANSWER_KINDS; `arg` is the event kind, message id or queue; `stat` for stat."""

    kind: str
    arg: str = ""
    stat: str = ""

    def __str__(self) -> str:
        if self.kind == "stat":
            return f"stat: {self.stat} of {self.arg}"
        return f"{self.kind}: {self.arg}" if self.arg else self.kind


@dataclass(frozen=True, slots=True)
class Checkpoint:
    id: str
    ask: str
    answer: AnswerSpec
    what_if: tuple[tuple[str, SettingValue], ...]  # the setting(s) that decide it, changed
    rule: str = ""
    fact: str | None = None
    concepts: tuple[str, ...] = ()
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class Line:
    """One sandbox line as written (placeholders not yet filled in)."""

    text: str
    loc: Loc = NOWHERE

    def filled(self, settings: Mapping[str, SettingValue]) -> str:
        return PLACEHOLDER.sub(
            lambda m: str(settings.get(m.group(1), m.group(0))),
            self.text,
        )


@dataclass(frozen=True, slots=True)
class Step:
    lines: tuple[Line, ...]
    say: str
    checkpoint: Checkpoint | None = None
    fails: str | None = None  # the AWS error code the step's last line is meant to get
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    title: str
    topic: str
    story: str
    settings: tuple[Setting, ...]
    setup: tuple[Line, ...]
    steps: tuple[Step, ...]
    section: str = ""
    loc: Loc = NOWHERE

    @property
    def checkpoints(self) -> tuple[Checkpoint, ...]:
        return tuple(s.checkpoint for s in self.steps if s.checkpoint is not None)

    def defaults(self) -> dict[str, SettingValue]:
        return {s.name: s.default for s in self.settings}

    def card_id(self, checkpoint: Checkpoint) -> str:
        """The question id a checkpoint's answers are remembered under (store, review)."""
        return f"scenario:{self.id}:{checkpoint.id}"
