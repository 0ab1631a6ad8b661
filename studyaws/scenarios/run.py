"""Play a scenario on the engine into a `Timeline`, and read each checkpoint's answer from it.

Rules:
- The engine is deterministic (same lines, same seed ⇒ the same log), so the whole scenario is run
  *before* it is shown: every checkpoint's expected answer is read from the engine's results, log
  and snapshots of its step, never from the YAML. The player then replays the recorded timeline
  with pacing, asking at each checkpoint before the step's events are shown.
- Lines go through the sandbox language exactly as a learner would type them, except `tick D`,
  which is run one timer instant at a time (`clock.peek`) so the animation gets a snapshot after
  each instant — the same timers in the same order as one `world.advance(D)`.
- `--set NAME=VALUE` overrides a setting; an unknown name or a value of the wrong type is a
  `SettingsError` naming the real settings.
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

from studyaws.content.model import Loc
from studyaws.engine.events import Event
from studyaws.sandbox import SandboxSyntaxError, Session, parse
from studyaws.scenarios.model import AnswerSpec, Checkpoint, Line, Scenario, SettingValue, Step

NOTHING = "nothing"
DELETED = "deleted"
MAX_CHOICES = 8
# Events that never change how many messages a queue holds in each state: not a "because".
POLLING_EVENTS = frozenset({"LongPollStarted", "LongPollEnded", "ShortPollSampled"})
# Events that change how many consumers run (what a `stat: consumers` answer depends on).
SCALING_EVENTS = frozenset(
    {"AlarmStateChanged", "GroupScaled", "ConsumerStarted", "ConsumerStopping", "ConsumerStopped"}
)


class SettingsError(ValueError):
    """A bad `--set`: one line naming the real settings."""


class ScenarioRunError(Exception):
    def __init__(self, loc: Loc, code: str, message: str) -> None:
        super().__init__(f"{loc}: {code} {message}")
        self.loc = loc
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Frame:
    """One moment to draw: the events that happened at it and the world right after."""

    at_ms: int
    events: tuple[Event, ...]
    snapshot: dict[str, Any]


@dataclass(frozen=True, slots=True)
class LineRun:
    text: str  # with the settings filled in
    result: dict[str, Any]
    frames: tuple[Frame, ...]

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(e for f in self.frames for e in f.events)


@dataclass(frozen=True, slots=True)
class Answer:
    """A checkpoint's expected answer, read from the engine.

    `choices` holds the labels a learner picks from (`value` is one of them); a numeric answer
    has no choices and `value` is a number in `unit`. `deciding` are the events that decided it.
    """

    value: str | float
    choices: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()  # what each choice shows (a message id with its body)
    unit: str = "count"
    deciding: tuple[Event, ...] = ()

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


def parse_overrides(scenario: Scenario, items: Sequence[str]) -> dict[str, SettingValue]:
    """`["max-receives=5"]` → `{"max-receives": 5}`, checked against the scenario's settings."""
    defaults = scenario.defaults()
    known = ", ".join(f"{k} (default {v})" for k, v in defaults.items()) or "none"
    out: dict[str, SettingValue] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name, text = name.strip(), text.strip()
        if not sep or not name or not text:
            raise SettingsError(f"--set wants NAME=VALUE, not '{item}'; settings: {known}")
        if name not in defaults:
            raise SettingsError(
                f"scenario '{scenario.id}' has no setting '{name}'; settings: {known}"
            )
        if isinstance(defaults[name], int):
            if not re.fullmatch(r"-?\d+", text):
                raise SettingsError(f"setting '{name}' is a whole number, not '{text}'")
            out[name] = int(text)
        else:
            if not re.fullmatch(r"[A-Za-z0-9._:/&=-]+", text):
                raise SettingsError(f"setting '{name}' is one word, not '{text}'")
            out[name] = text
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
    settings = resolve(scenario, overrides or {})
    defaults = scenario.defaults()
    changed = tuple(k for k, v in settings.items() if defaults.get(k) != v)
    session = Session(seed)
    runner = _Runner(session)
    setup = StepRun(
        0, None, tuple(runner.line(line, settings, None) for line in scenario.setup), {}
    )
    steps: list[StepRun] = []
    for number, step in enumerate(scenario.steps, start=1):
        before = session.world.snapshot()
        created_before = session.world.message_count
        try:
            lines = tuple(
                runner.line(line, settings, step.fails if i == len(step.lines) - 1 else None)
                for i, line in enumerate(step.lines)
            )
            partial = StepRun(number, step, lines, before)
            answer = None
            if step.checkpoint is not None:
                answer = read_answer(step.checkpoint, partial, created_before, session)
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
        return Frame(world.now_ms, self._new_events(), world.snapshot())

    def line(self, line: Line, settings: Mapping[str, SettingValue], fails: str | None) -> LineRun:
        text = line.filled(settings)
        world = self.session.world
        try:
            command = parse(text)
            if command is None:
                raise SandboxSyntaxError("the line is empty")
            if command.name == "tick":
                frames = []
                target = world.now_ms + int(command.args["d"]) * 1000
                while (nxt := world.clock.peek()) is not None and nxt <= target:
                    world.run(nxt)
                    frames.append(self._frame())
                world.run(target)
                if not frames or frames[-1].at_ms != target:
                    frames.append(self._frame())
                return LineRun(text, {"ok": True, "now": world.now_s}, tuple(frames))
            outcome = self.session.execute(text)
        except SandboxSyntaxError as exc:
            raise ScenarioRunError(line.loc, "SA501", f"'{text}': {exc.message}") from None
        assert outcome is not None
        result = outcome.result
        error = result.get("error", {}).get("code") if not result.get("ok") else None
        if "status" in result and fails is None:
            error = None  # a throttled invoke (429) is an outcome to predict, not a bad line
        if error != fails:
            if error is None:
                message = f"'{text}' was meant to fail with {fails} but succeeded"
            else:
                message = f"'{text}' fails on the engine: {error}: {result['error']['message']}"
                if fails:
                    message += f" (the step expects {fails})"
            raise ScenarioRunError(line.loc, "SA501", message)
        return LineRun(text, result, (self._frame(),))


# -- answers ----------------------------------------------------------------------------------


def _message_number(message_id: str) -> int:
    return int(message_id[1:]) if message_id[1:].isdigit() else 0


def _bodies(*snapshots: Mapping[str, Any]) -> dict[str, str]:
    bodies: dict[str, str] = {}
    for snap in snapshots:
        for queue in snap.get("queues", {}).values():
            for m in queue.get("messages", ()):
                bodies.setdefault(m["message_id"], m["body"])
    return bodies


def _label(message_id: str, bodies: Mapping[str, str]) -> str:
    body = bodies.get(message_id)
    return f"{message_id} “{body}”" if body else message_id


def _choices(
    expected: str, options: Sequence[str], labels: Mapping[str, str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    ordered = list(dict.fromkeys(options))
    if expected not in ordered:
        ordered.append(expected)
    if len(ordered) > MAX_CHOICES:  # keep the right one, and the first others in natural order
        others = [o for o in ordered if o != expected][: MAX_CHOICES - 1]
        ordered = [o for o in ordered if o in others or o == expected]
    return tuple(ordered), tuple(labels.get(o, o) for o in ordered)


def _message_groups(run: StepRun) -> list[tuple[str, ...]]:
    """Sets of messages a receive of several could plausibly return, besides single ones.

    When the step's receive asks for more than one message, a learner must be able to answer
    "several": offered are the messages visible when the step starts and every message the
    queue holds then, each when it is two or more and no more than the receive takes.
    """
    line = next((ln for ln in reversed(run.lines) if "messages" in ln.result), None)
    command = parse(line.text) if line is not None else None
    if command is None:
        return []
    most = int(command.args.get("max", 1))
    queue = run.before.get("queues", {}).get(str(command.args.get("queue")), {})
    if most < 2 or not queue:
        return []
    visible = sorted(queue.get("visible", ()), key=_message_number)
    held = sorted(
        {*visible, *queue.get("in_flight", ()), *queue.get("delayed", ())}, key=_message_number
    )
    groups = []
    for group in (tuple(visible[:most]), tuple(held[:most])):
        if len(group) >= 2 and group not in groups:
            groups.append(group)
    return groups


def _where(snapshot: Mapping[str, Any], message_id: str) -> str | None:
    for name, queue in snapshot.get("queues", {}).items():
        for state in ("visible", "in_flight", "delayed"):
            if message_id in queue.get(state, ()):
                return str(name)
    return None


def _outcome(result: Mapping[str, Any]) -> str:
    if result.get("status") == 429:
        return "throttled"
    error = result.get("error")
    if error is None:
        return "success"
    return "timeout" if error.get("type") == "Sandbox.Timedout" else "error"


def _query_values(line: str, key: str) -> list[str]:
    """The values of `key` in the query string of an `alb-request` line, in order."""
    from urllib.parse import parse_qsl

    command = parse(line)
    request = str(command.args.get("request", "")) if command is not None else ""
    query = request.split(" ", 1)[-1].partition("?")[2]
    return [v for k, v in parse_qsl(query, keep_blank_values=True) if k == key]


def _query_text(value: object) -> str:
    if value is None:
        return "(missing)"
    if isinstance(value, list):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    return f'"{value}"'


def read_answer(cp: Checkpoint, run: StepRun, created_before: int, session: Session) -> Answer:
    """What the engine says the checkpoint's answer is, from its step's run."""
    spec: AnswerSpec = cp.answer
    events = run.events
    after = run.after
    results = [line.result for line in run.lines]

    def fail(message: str) -> ScenarioRunError:
        return ScenarioRunError(cp.loc, "SA407", f"checkpoint '{cp.id}': {message}")

    if spec.kind in ("messages", "receive_count"):
        got = next((r["messages"] for r in reversed(results) if "messages" in r), None)
        if got is None:
            raise fail(f"answer {spec.kind} needs a receive in its step")
        deciding = tuple(
            e for e in events if e.kind in ("MessageReceived", "MessageMovedToDlq", "LongPollEnded")
        )
        if spec.kind == "receive_count":
            if not got:
                raise fail("answer receive_count needs the receive to return a message")
            return Answer(float(got[0]["receive_count"]), deciding=deciding)
        ids = [m["message_id"] for m in got]
        value = ", ".join(ids) if ids else NOTHING
        bodies = _bodies(run.before, after)
        for m in got:
            bodies.setdefault(m["message_id"], m["body"])
        existing = sorted(
            {*bodies, *ids, *(f"m{n}" for n in range(1, created_before + 1))}, key=_message_number
        )
        labels = {i: _label(i, bodies) for i in existing}
        groups = _message_groups(run)
        for group in (tuple(ids), *groups):
            labels[", ".join(group) or NOTHING] = (
                ", ".join(_label(i, bodies) for i in group) or NOTHING
            )
        options = [NOTHING, *existing, *(", ".join(g) for g in groups)]
        choices, shown = _choices(value, options, labels)
        return Answer(value, choices, shown, deciding=deciding)
    if spec.kind == "count":
        # A count of 0 is decided by what did *not* happen: no event to point at.
        matching = tuple(e for e in events if e.kind == spec.arg)
        return Answer(float(len(matching)), deciding=matching)
    if spec.kind == "stat":
        queue = after.get("queues", {}).get(spec.arg)
        if queue is None:
            raise fail(f"there is no queue '{spec.arg}' after the step")
        if spec.stat == "consumers":  # the running consumers (instances) of the queue
            group = after.get("consumers", {}).get(spec.arg)
            if group is None:
                raise fail(f"queue '{spec.arg}' has no consumers after the step")
            scaling = tuple(
                e for e in events if e.resource == spec.arg and e.kind in SCALING_EVENTS
            )
            return Answer(float(group["consumers"]), deciding=scaling)
        # The events that moved this queue's messages, latest last (a poller's empty long poll
        # moves none), with a mapping's verdict on a batch of them; the last few decided it.
        touched = {getattr(e, "message_id", None) for e in events if e.resource == spec.arg}
        moved = tuple(
            e
            for e in events
            if (e.resource == spec.arg and e.kind not in POLLING_EVENTS)
            or (
                e.kind in ("BatchDeleted", "BatchLeftForRetry")
                and touched.intersection(getattr(e, "message_ids", ()) or ())
            )
        )
        return Answer(float(len(queue[spec.stat])), deciding=moved[-4:])
    if spec.kind == "now":
        nows = [r["now"] for r in results if "now" in r]
        if not nows:
            raise fail("answer now needs a receive or tick in its step")
        return Answer(float(nows[-1]), unit="s", deciding=events)
    if spec.kind == "status":
        status = next((r["status"] for r in reversed(results) if "status" in r), None)
        if status is None:
            raise fail("answer status needs an invoke in its step")
        value = str(status)
        alb = any("event" in r for r in results)  # an ALB answers for its target
        known = ["200", "413", "502"] if alb else ["200", "202", "429"]
        choices, shown = _choices(value, known, {})
        return Answer(value, choices, shown, deciding=events)
    if spec.kind == "outcome":
        result = next((r for r in reversed(results) if "status" in r and "event" not in r), None)
        if result is None or result["status"] == 202:
            raise fail("answer outcome needs a synchronous invoke in its step")
        value = _outcome(result)
        labels = {
            "success": "success: the function's result",
            "error": "a function error (status 200, FunctionError set)",
            "timeout": "a timeout error (Sandbox.Timedout)",
            "throttled": "429 TooManyRequestsException (throttled)",
        }
        choices, shown = _choices(value, list(labels), labels)
        return Answer(value, choices, shown, deciding=events)
    if spec.kind == "duration":
        took = next((r["duration"] for r in reversed(results) if "duration" in r), None)
        if took is None:
            raise fail("answer duration needs a synchronous invoke that runs, in its step")
        return Answer(float(took), unit="s", deciding=events)
    if spec.kind == "version":
        served = next((r["version"] for r in reversed(results) if "version" in r), None)
        if served is None:
            raise fail("answer version needs a synchronous invoke that runs, in its step")
        function = run.lines[-1].text.split()[1].split(":")[0] if run.lines else ""
        versions = after.get("functions", {}).get(function, {}).get("versions", [])
        labels = {v: f"version {v}" for v in versions}
        choices, shown = _choices(str(served), [*versions, "$LATEST"], labels)
        return Answer(str(served), choices, shown, deciding=events)
    if spec.kind == "query":
        request = next((r for r in reversed(results) if "event" in r), None)
        if request is None:
            raise fail("answer query needs an alb-request in its step")
        event = request["event"] or {}
        single = event.get("queryStringParameters") or {}
        multi = event.get("multiValueQueryStringParameters") or {}
        got = multi.get(spec.arg) if spec.arg in multi else single.get(spec.arg)
        value = _query_text(got)
        asked = _query_values(run.lines[-1].text, spec.arg)
        options = [*(_query_text(v) for v in asked), _query_text(asked), "(missing)"]
        choices, shown = _choices(value, options, {})
        return Answer(value, choices, shown, deciding=events)
    if spec.kind == "location":
        if _message_number(spec.arg) == 0 or _message_number(spec.arg) > (
            session.world.message_count
        ):
            raise fail(f"there is no message '{spec.arg}' in this scenario by then")
        value = _where(after, spec.arg) or DELETED
        queues = list(after.get("queues", {}))
        labels = {DELETED: "deleted (in no queue)"}
        choices, shown = _choices(value, [*queues, DELETED], labels)
        deciding = tuple(e for e in events if getattr(e, "message_id", None) == spec.arg)
        return Answer(value, choices, shown, deciding=deciding or events)
    if spec.kind == "message_id":
        sent = next((r["message_id"] for r in reversed(results) if "message_id" in r), None)
        if sent is None:
            raise fail("answer message_id needs a send in its step")
        new_id = f"m{created_before + 1}"
        bodies = _bodies(run.before, after)
        existing = [f"m{n}" for n in range(1, created_before + 1)]
        labels = {i: _label(i, bodies) for i in existing}
        labels[new_id] = f"{new_id} (a new message)"
        choices, shown = _choices(sent, [*existing, new_id], labels)
        sends = tuple(e for e in events if e.kind in ("MessageSent", "DuplicateMessageAccepted"))
        return Answer(sent, choices, shown, deciding=sends[-1:] or events)
    raise fail(f"answer kind '{spec.kind}' is not known")  # pragma: no cover - schema checks it
