"""Play a scenario on the engine into a `Timeline`, and read each checkpoint's answer from it.

Rules:
- The engine is deterministic (same lines, same seed ⇒ the same log), so the whole scenario is run
  *before* it is shown: every checkpoint's expected answer is read from the engine's results, log
  and snapshots of its step (`scenarios/answers.py`), never from the YAML. The player then replays
  the recorded timeline with pacing, asking at each checkpoint before the step's events are shown.
- Lines go through the sandbox language exactly as a learner would type them, except `tick D`,
  which is run one stretch of timers at a time (`clock.peek`) so the animation gets the world as it
  is after each: the same timers in the same order as one `world.advance(D)`. A tick keeps at most
  `MAX_FRAMES` pictures of the world, whatever its length: timers closer together than
  D / MAX_FRAMES share one (a four-day tick with a schedule firing every minute is 120 pictures, not
  5,760), so a scenario's memory is bounded by its lines, not by its simulated time.
- A scenario's work is bounded (`MAX_EVENTS`, `MAX_MESSAGES`): past it, the line that went over is
  an SA501 problem, so `validate` of a learner's file ends in bounded time and memory.
- `--set NAME=VALUE` overrides a setting; an unknown name or a value the setting doesn't allow is a
  `SettingsError` naming the real settings and their allowed values.
- A line that is not a command, an AWS error the step doesn't expect (`fails:`), or an answer that
  can't be read from the engine raises `ScenarioRunError` with the line's place in the file. An
  invoke answered with a status (a 429 throttle) is not an error of the line: the status is what
  a checkpoint asks about, and a what-if setting may turn it into a 200.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from studyaws.content.model import Checkpoint, Line, Loc, Scenario, SettingValue, Step
from studyaws.engine.events import Event
from studyaws.sandbox import SandboxSyntaxError, Session, parse
from studyaws.sandbox.language import Command

MAX_FRAMES = 120  # pictures of the world one `tick` keeps at most
# A scenario tells a short story, not a load test: its work is bounded, whatever its ticks say
# (13 ticks of 30 days with a schedule every minute would keep half a million messages). The
# events stay within the sandbox's log, so no frame ever misses one.
MAX_EVENTS = 200_000
MAX_MESSAGES = 100_000


class SettingsError(ValueError):
    """A bad `--set`: one line naming the real settings."""


class _OverBudgetError(Exception):
    """A scenario that does more work than a story needs."""


class ScenarioRunError(Exception):
    def __init__(self, loc: Loc, code: str, message: str) -> None:
        super().__init__(f"{loc}: {code} {message}")
        self.loc = loc
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Frame:
    """One moment to draw: the events that happened up to it and the world right after."""

    at_ms: int
    events: tuple[Event, ...]
    snapshot: dict[str, Any]


@dataclass(frozen=True, slots=True)
class LineRun:
    text: str  # with the settings filled in
    command: Command
    result: dict[str, Any]
    frames: tuple[Frame, ...]

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(e for f in self.frames for e in f.events)

    @property
    def failed(self) -> bool:
        return not self.result.get("ok", True) and "error" in self.result


@dataclass(frozen=True, slots=True)
class Answer:
    """A checkpoint's expected answer, read from the engine.

    `choices` holds the values a learner picks from (`value` is one of them) and `labels` what each
    shows (a message id with its body); a numeric answer has no choices and `value` is a number in
    `unit`. `deciding` are the events that decided it; `working` says in numbers how the engine got
    there, when a rule is a formula (`ceil(6 / 4) = 2 instances`).
    """

    value: str | float
    choices: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    unit: str = "count"
    deciding: tuple[Event, ...] = ()
    working: str = ""

    @property
    def numeric(self) -> bool:
        return not self.choices

    def text(self) -> str:
        if self.numeric:
            number = float(self.value)
            shown = str(int(number)) if number.is_integer() else f"{number:g}"
            return f"{shown} s" if self.unit == "s" else shown
        return self.labels[self.choices.index(str(self.value))]


@dataclass(frozen=True, slots=True)
class StepRun:
    number: int  # 1-based; 0 for the setup
    step: Step | None
    lines: tuple[LineRun, ...]
    before: dict[str, Any]
    answer: Answer | None = None

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(e for line in self.lines for e in line.events)

    @property
    def after(self) -> dict[str, Any]:
        for line in reversed(self.lines):
            if line.frames:
                return line.frames[-1].snapshot
        return self.before

    @property
    def checkpoint(self) -> Checkpoint | None:
        return self.step.checkpoint if self.step is not None else None

    @property
    def results(self) -> list[dict[str, Any]]:
        return [line.result for line in self.lines]


@dataclass(frozen=True, slots=True)
class Timeline:
    scenario: Scenario
    settings: dict[str, SettingValue]
    seed: int
    setup: StepRun
    steps: tuple[StepRun, ...]
    changed: tuple[str, ...] = field(default=())  # settings that differ from the defaults
    stopped: str = ""  # non-strict runs: why the play ended early (a line failed)

    @property
    def events(self) -> tuple[Event, ...]:
        return self.setup.events + tuple(e for s in self.steps for e in s.events)

    def answers(self) -> dict[str, Answer]:
        return {
            s.checkpoint.id: s.answer
            for s in self.steps
            if s.checkpoint is not None and s.answer is not None
        }


# -- settings ---------------------------------------------------------------------------------


def settings_help(scenario: Scenario) -> str:
    return (
        ", ".join(f"{s.name} ({s.allowed()}; default {s.default})" for s in scenario.settings)
        or "none"
    )


def parse_overrides(scenario: Scenario, items: Sequence[str]) -> dict[str, SettingValue]:
    """`["max-receives=5"]` → `{"max-receives": 5}`, checked against the scenario's settings."""
    out: dict[str, SettingValue] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name, text = name.strip(), text.strip()
        if not sep or not name or not text:
            raise SettingsError(
                f"--set wants NAME=VALUE, not '{item}'; settings: {settings_help(scenario)}"
            )
        setting = scenario.setting(name)
        if setting is None:
            raise SettingsError(
                f"scenario '{scenario.id}' has no setting '{name}'; "
                f"settings: {settings_help(scenario)}"
            )
        value: SettingValue
        if isinstance(setting.default, int):
            if not re.fullmatch(r"-?\d{1,12}", text):
                raise SettingsError(f"setting '{name}' is a whole number, not '{text}'")
            value = int(text)
        else:
            if not re.fullmatch(r"[A-Za-z0-9._:/&=-]{1,200}", text):
                raise SettingsError(f"setting '{name}' is one word, not '{text}'")
            value = text
        if not setting.allows(value):
            raise SettingsError(f"setting '{name}' is {setting.allowed()}, not '{text}'")
        out[name] = value
    return out


def resolve(scenario: Scenario, overrides: Mapping[str, SettingValue]) -> dict[str, SettingValue]:
    values = scenario.defaults()
    for name, value in overrides.items():
        if name not in values:
            raise SettingsError(f"scenario '{scenario.id}' has no setting '{name}'")
        values[name] = value
    return values


# -- running ----------------------------------------------------------------------------------


def run(
    scenario: Scenario,
    overrides: Mapping[str, SettingValue] | None = None,
    seed: int = 0,
    *,
    strict: bool = True,
) -> Timeline:
    """Run the whole scenario on a fresh world and read every checkpoint's answer.

    `strict=False` (a what-if run): a step that fails ends the timeline there, with the reason in
    `stopped`, instead of raising — a changed setting may make a later line meaningless (a
    receipt that was never handed out), which says nothing about the steps before it.
    """
    from studyaws.scenarios.answers import AnswerError, read_answer

    settings = resolve(scenario, overrides or {})
    texts = scenario.texts(settings)
    defaults = scenario.defaults()
    changed = tuple(k for k, v in settings.items() if defaults.get(k) != v)
    session = Session(seed)
    runner = _Runner(session)
    setup = StepRun(0, None, tuple(runner.line(line, texts, None) for line in scenario.setup), {})
    steps: list[StepRun] = []
    for number, step in enumerate(scenario.steps, start=1):
        before = dict(session.world.snapshot())  # the JSON edge: plain data from here on
        created_before = session.world.message_count
        try:
            lines = tuple(
                runner.line(line, texts, step.fails if i == len(step.lines) - 1 else None)
                for i, line in enumerate(step.lines)
            )
            partial = StepRun(number, step, lines, before)
            answer = None
            if step.checkpoint is not None:
                cp = step.checkpoint
                try:
                    answer = read_answer(
                        cp.answer, partial, created_before, session.world.message_count
                    )
                except AnswerError as exc:
                    raise ScenarioRunError(
                        cp.loc, "SA407", f"checkpoint '{cp.id}': {exc}"
                    ) from None
        except ScenarioRunError as exc:
            if strict:
                raise
            stopped = f"step {number} can't run with these settings: {exc.message}"
            return Timeline(scenario, settings, seed, setup, tuple(steps), changed, stopped)
        steps.append(StepRun(number, step, lines, before, answer))
    return Timeline(scenario, settings, seed, setup, tuple(steps), changed)


class _Runner:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.seen = 0  # events of the log already put in a frame

    def _new_events(self) -> tuple[Event, ...]:
        log = self.session.world.log
        events = tuple(islice(log, self.seen, None))
        self.seen = len(log)
        return events

    def _frame(self) -> Frame:
        world = self.session.world
        return Frame(world.now_ms, self._new_events(), dict(world.snapshot()))

    def _tick(self, text: str, command: Command) -> LineRun:
        world = self.session.world
        duration_ms = int(command.args["d"]) * 1000
        target = world.now_ms + duration_ms
        stretch_ms = max(1, -(-duration_ms // MAX_FRAMES))
        frames = []
        while (first := world.clock.peek()) is not None and first <= target:
            end = min(target, first + stretch_ms - 1)
            while (nxt := world.clock.peek()) is not None and nxt <= end:
                world.run(nxt)
                self.within_budget(text)
            frames.append(self._frame())
        world.run(target)
        if not frames or frames[-1].at_ms != target:
            frames.append(self._frame())
        return LineRun(text, command, {"ok": True, "now": world.now_s}, tuple(frames))

    def within_budget(self, text: str) -> None:
        world = self.session.world
        if world.log.emitted > MAX_EVENTS or world.message_count > MAX_MESSAGES:
            raise _OverBudgetError(
                f"'{text}': the scenario goes past {MAX_EVENTS:,} events or {MAX_MESSAGES:,} "
                f"messages (at t={world.now_s}s); a scenario is a short story: shorten its "
                "ticks or slow its schedules"
            )

    def line(self, line: Line, settings: Mapping[str, str], fails: str | None) -> LineRun:
        try:
            return self._line(line, settings, fails)
        except _OverBudgetError as exc:
            raise ScenarioRunError(line.loc, "SA501", str(exc)) from None

    def _line(self, line: Line, settings: Mapping[str, str], fails: str | None) -> LineRun:
        text = line.filled(settings)
        try:
            command = parse(text)
            if command is None:
                raise SandboxSyntaxError("the line is empty")
            if command.name == "tick":
                return self._tick(text, command)
            outcome = self.session.execute(text)
        except SandboxSyntaxError as exc:
            raise ScenarioRunError(line.loc, "SA501", f"'{text}': {exc.message}") from None
        assert outcome is not None
        result: dict[str, Any] = dict(outcome.result)
        error = result.get("error", {}).get("code") if not result.get("ok") else None
        if "status" in result and fails is None:
            error = None  # a throttled invoke (429) is an outcome to predict, not a bad line
        if error != fails:
            if error is None:
                message = f"'{text}' was meant to fail with {fails} but succeeded"
            else:
                message = f"'{text}' is refused: {error}: {result['error']['message']}"
                if fails:
                    message += f" (the step expects {fails})"
            raise ScenarioRunError(line.loc, "SA501", message)
        self.within_budget(text)
        return LineRun(text, command, result, (self._frame(),))
