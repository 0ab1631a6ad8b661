"""`studyaws scenario`: list the scenarios, or play one on the engine and ask for predictions.

Rules:
- The scenario is run on the engine first (`scenarios.run`): every checkpoint's answer is the
  engine's. Then it is played back: at a checkpoint the play stops *before* the step, asks, and
  reveals by playing the step, with the events that decided it and their causes (and the rule,
  with `{fact:ID}` values filled in).
- Animated (both stdin and stdout terminals, no `--no-animate`, no `--json`): a rich `Live`
  (`auto_refresh=False`, one refresh per beat) with the clock, the queues and their message ids
  by state, the DLQ links and the last events with their causes; paced by `ui/animate.py`
  (`--speed`, `--step`). Checkpoints are asked through the `Prompter`.
- Plain (otherwise): the narration, one event a line, and the checkpoints with numbered choices,
  read one answer a line from stdin exactly like the quiz (its `parse_answer` and `grade`). End of
  input plays the rest without asking. This is the golden transcript of the tests.
- `--json`: stdout holds one object: the event log and each checkpoint with the learner's answer
  and the engine's.
- Answers are saved to the progress store (mode `scenario`) under `scenario:<name>:<checkpoint>`,
  so a missed prediction comes back in `studyaws review` — but only when the scenario is played
  with its default settings and seed, where the card's answer is the one `review` will expect.
- Ctrl-C stops the play with the summary so far: exit 130. Right and wrong are said in words and a
  symbol, never by colour alone.
"""

from __future__ import annotations

import json
import textwrap
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from studyaws.errors import ExitStatus, StudyawsError, UsageError
from studyaws.study.grading import AnswerValue, Presented, grade, parse_answer, to_json
from studyaws.study.scheduling import rating_for

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from studyaws.content.model import Course, Question
    from studyaws.engine.events import Event
    from studyaws.scenarios.model import Scenario
    from studyaws.scenarios.run import Frame, StepRun, Timeline
    from studyaws.ui.env import Env
    from studyaws.ui.prompts import Prompter

RECENT_EVENTS = 6
DEFAULT_SEED = 0


# -- entry point ----------------------------------------------------------------------------------


def scenario(
    env: Env,
    name: str | None = None,
    *,
    speed: float = 1.0,
    step: bool = False,
    animate: bool = True,
    json_output: bool = False,
    settings: Sequence[str] = (),
    compare: bool = False,
    seed: int = DEFAULT_SEED,
) -> int:
    from studyaws.ui.course import load

    course = load(env)
    scenarios = _scenarios(course)
    if name is None:
        return list_scenarios(env, scenarios, json_output=json_output)
    chosen = scenarios.get(name.lower())
    if chosen is None:
        known = ", ".join(scenarios) or "none"
        raise UsageError(f"unknown scenario '{name}'; scenarios: {known}")
    if speed <= 0:
        raise UsageError(f"--speed must be more than 0, not {speed:g}")
    from studyaws.scenarios.run import ScenarioRunError, SettingsError, parse_overrides, run

    try:
        overrides = parse_overrides(chosen, settings)
    except SettingsError as exc:
        raise UsageError(str(exc)) from None
    try:
        if compare:
            if not overrides and chosen.checkpoints:
                overrides = dict(chosen.checkpoints[0].what_if)
            return show_compare(
                env,
                run(chosen, {}, seed),
                run(chosen, overrides, seed, strict=False),
                json_output=json_output,
            )
        timeline = run(chosen, overrides, seed, strict=not overrides)
    except ScenarioRunError as exc:
        if overrides:  # the learner's value, not the file, is what the engine rejects
            changed = " ".join(f"--set {k}={v}" for k, v in overrides.items())
            raise UsageError(f"{changed}: the scenario can't start: {exc.message}") from None
        raise StudyawsError(f"{exc.loc}: {exc.code} {exc.message}") from None
    player = Player(env, course, timeline, speed=speed, step=step, json_output=json_output)
    player.animated = animate and env.interactive and not json_output
    return player.play()


def _scenarios(course: Course) -> dict[str, Scenario]:
    from studyaws.scenarios.model import Scenario

    found = [s for s in course.scenarios.values() if isinstance(s, Scenario)]
    order = {"sqs": 0, "sns": 1, "lambda": 2}
    found.sort(key=lambda s: (order.get(s.topic, 9), s.id))
    return {s.id: s for s in found}


# -- the list -------------------------------------------------------------------------------------


def answered_checkpoints(env: Env) -> set[str]:
    """Card ids of every checkpoint answered at least once (from the progress store)."""
    from studyaws.ui.course import open_store

    with open_store(env) as store:
        return {r.question_id for r in store.reviews() if r.question_id.startswith("scenario:")}


def list_scenarios(env: Env, scenarios: dict[str, Scenario], *, json_output: bool) -> int:
    answered = answered_checkpoints(env)
    rows = []
    for s in scenarios.values():
        cards = [s.card_id(cp) for cp in s.checkpoints]
        done = bool(cards) and all(c in answered for c in cards)
        rows.append((s, done))
    if json_output:
        data = [
            {
                "id": s.id,
                "title": s.title,
                "topic": s.topic,
                "steps": len(s.steps),
                "checkpoints": len(s.checkpoints),
                "done": done,
            }
            for s, done in rows
        ]
        env.stdout.write(json.dumps({"scenarios": data}, ensure_ascii=False) + "\n")
        return int(ExitStatus.OK)
    if not rows:
        env.console.print("No scenarios yet.")
        return int(ExitStatus.OK)
    mark = _marks(env)
    out = env.console
    width = env.output_width
    out.print(f"{len(rows)} scenarios · play one with: studyaws scenario NAME", markup=False)
    for s, done in rows:
        status = f"{mark['done']} done" if done else "  new"
        head = f"{s.id:<16} {s.topic:<6} {len(s.steps):>2} steps  {status}"
        if width >= 60:
            out.print(f"{head}  {s.title}", markup=False, soft_wrap=True)
        else:
            out.print(head, markup=False)
            for part in textwrap.wrap(s.title, max(20, width - 2)):
                out.print(f"  {part}", markup=False)
    return int(ExitStatus.OK)


def _marks(env: Env) -> dict[str, str]:
    encoding = (getattr(env.stdout, "encoding", None) or "utf-8").lower()
    fancy = "utf" in encoding
    return {
        "right": "✓" if fancy else "+",
        "wrong": "✗" if fancy else "x",
        "skip": "–" if fancy else "-",
        "done": "✓" if fancy else "+",
        "result": "→" if fancy else "->",
        "times": "×" if fancy else "x",
    }


def _runs(texts: Sequence[str]) -> list[tuple[str, int]]:
    """Consecutive equal lines as (line, how many): five pollers starting at once are one line."""
    out: list[tuple[str, int]] = []
    for text in texts:
        if out and out[-1][0] == text:
            out[-1] = (text, out[-1][1] + 1)
        else:
            out.append((text, 1))
    return out


# The results a line's events don't already say: an error, an empty receive, the counts of
# `stats`, how a synchronous invoke or an ALB request ended. A send or a create says it all in
# its event, so it gets no result line.
_RESULT_COMMANDS = ("receive", "stats", "invoke", "alb-request")


def result_text(line: str, result: dict[str, Any]) -> str:
    """What a scenario line returned, when its events don't say it (else "")."""
    from studyaws.sandbox import parse

    command = parse(line)
    if command is None:
        return ""
    if not result.get("ok") and "error" in result:
        error = result["error"]
        status = f"{result['status']} " if "status" in result else ""
        return f"{status}{error['code']}: {error['message']}"
    if command.name not in _RESULT_COMMANDS:
        return ""
    if command.name == "receive":
        return "" if result.get("messages") else "no messages"
    if command.name == "invoke" and result.get("status") == 200:
        took = f"{result.get('duration')}s"
        if "error" in result:
            error = result["error"]
            return f"200 after {took}, {error['type']}: {error['message']}"
        payload = result.get("payload")
        shown = "" if payload is None else f": {json.dumps(payload, ensure_ascii=False)}"
        return f"200 after {took} (version {result.get('version')}){shown}"
    from studyaws.sandbox.text import describe

    return "; ".join(describe(command, result))


# -- compare --------------------------------------------------------------------------------------


def show_compare(env: Env, left: Timeline, right: Timeline, *, json_output: bool) -> int:
    from studyaws.scenarios.compare import compare, first_difference

    rows = compare(left, right)
    a_name = _settings_text(left, left.changed or right.changed)
    b_name = _settings_text(right, right.changed)
    if json_output:
        data = {
            "scenario": left.scenario.id,
            "left": left.settings,
            "right": right.settings,
            "first_difference": first_difference(rows),
            "steps": [
                {
                    "step": r.number,
                    "say": r.say,
                    "left": list(r.left),
                    "right": list(r.right),
                    "left_answer": r.left_answer or None,
                    "right_answer": r.right_answer or None,
                    "same": r.same,
                }
                for r in rows
            ],
        }
        env.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        return int(ExitStatus.OK)
    out = env.console
    width = env.output_width
    _wrapped(out, f"What if: {left.scenario.title}", width, hanging=2)
    _wrapped(out, f"A: {a_name}", width, indent=2, hanging=2)
    _wrapped(out, f"B: {b_name}", width, indent=2, hanging=2)
    first = first_difference(rows)
    if first is None:
        out.print("The two timelines are the same.", markup=False)
        return int(ExitStatus.OK)
    out.print(f"The timelines part at step {first}:", markup=False)
    if width >= 100:
        from rich.table import Table

        table = Table(show_header=True, header_style="bold", expand=True, box=None)
        table.add_column("step", no_wrap=True, width=4)
        table.add_column("A", ratio=1, overflow="fold")
        table.add_column("B", ratio=1, overflow="fold")
        for r in rows:
            if r.same:
                continue
            table.add_row(str(r.number), r.say, "")
            table.add_row("", "\n".join(r.left) or "(no events)", "\n".join(r.right) or "(none)")
            if r.left_answer != r.right_answer:
                table.add_row("", f"answer: {r.left_answer}", f"answer: {r.right_answer}")
        out.print(table)
        return int(ExitStatus.OK)
    for r in rows:
        if r.same:
            continue
        _wrapped(out, f"Step {r.number} · {r.say}", width, style="bold")
        for label, lines in (("A", r.left), ("B", r.right)):
            for line in lines or ("(no events)",):
                _wrapped(out, f"{label} {line}", width, indent=2, hanging=4)
        if r.left_answer != r.right_answer:
            _wrapped(out, f"answer A: {r.left_answer} · B: {r.right_answer}", width, indent=2)
    return int(ExitStatus.OK)


def _settings_text(timeline: Timeline, names: Sequence[str]) -> str:
    shown = [f"{k}={timeline.settings[k]}" for k in names] or ["defaults"]
    return ", ".join(shown)


def _wrapped(
    out: Console, text: str, width: int, *, indent: int = 0, hanging: int = 0, style: str = ""
) -> None:
    from rich.text import Text

    lines = textwrap.wrap(
        text,
        max(20, width - indent),
        subsequent_indent=" " * hanging,
        break_on_hyphens=False,
        break_long_words=True,
    ) or [""]
    out.print(Text("\n".join(" " * indent + part for part in lines), style=style), soft_wrap=True)


# -- playing --------------------------------------------------------------------------------------


class _EndOfInputError(Exception):
    pass


@dataclass
class Prediction:
    step: StepRun
    question: Question
    given: AnswerValue | None = None
    answered: bool = False  # False: never asked an answer (end of input)
    correct: bool = False


@dataclass
class _View:
    """What the animation shows now."""

    step: StepRun | None = None
    frame: Frame | None = None
    at_ms: int = 0
    say: str = ""
    recent: deque[Event] = field(default_factory=lambda: deque(maxlen=RECENT_EVENTS))
    note: str = ""


class Player:
    def __init__(
        self,
        env: Env,
        course: Course,
        timeline: Timeline,
        *,
        speed: float = 1.0,
        step: bool = False,
        json_output: bool = False,
    ) -> None:
        from studyaws.ui.animate import Pacer, read_key

        self.env = env
        self.course = course
        self.timeline = timeline
        self.json_output = json_output
        self.animated = False
        self.quiet = json_output and not env.interactive
        self.console: Console = env.err_console if json_output else env.console
        self.marks = _marks(env)
        self.predictions: list[Prediction] = []
        self.input_over = False
        self.prompter: Prompter | None = None
        self.pacer = Pacer(env.sleep, speed, step, key=lambda: read_key(env.stdin))
        self.view = _View()
        self.live: Any = None
        self.saving = not timeline.changed and timeline.seed == DEFAULT_SEED
        self.save_failed = False

    # -- text ----------------------------------------------------------------------------------

    def text(self, raw: str) -> str:
        from studyaws.content.text import render_facts, strip_control

        return strip_control(render_facts(raw, self.course.facts)).strip()

    def say(self, line: str = "", style: str = "", indent: int = 0, hanging: int = 0) -> None:
        if self.quiet:
            return
        if self.live is not None:
            return
        for paragraph in line.split("\n\n") if line else [""]:
            _wrapped(
                self.console,
                " ".join(paragraph.split()),
                self.console.width,
                indent=indent,
                hanging=hanging,
                style=style,
            )

    def flush(self) -> None:
        self.console.file.flush()

    # -- the play ------------------------------------------------------------------------------

    def play(self) -> int:
        status = ExitStatus.OK
        try:
            self.header()
            if self.animated:
                self.play_animated()
            else:
                self.play_plain()
        except KeyboardInterrupt:
            status = ExitStatus.INTERRUPTED
            self.stop_live()
            self.say()
            self.say("Interrupted.", "bold")
        self.finish(interrupted=status == ExitStatus.INTERRUPTED)
        return int(status)

    def header(self) -> None:
        t = self.timeline
        s = t.scenario
        self.say(f"Scenario {s.id}: {s.title}", "bold")
        settings = ", ".join(f"{k}={v}" for k, v in t.settings.items()) or "none"
        self.say(f"topic {s.topic} · {len(s.steps)} steps · seed {t.seed} · settings: {settings}")
        if not self.saving:
            self.say("(changed settings or seed: predictions are not saved for review)")
        self.say()
        self.say(self.text(s.story))
        self.flush()

    # -- plain -----------------------------------------------------------------------------------

    def play_plain(self) -> None:
        self.say()
        self.say("Setup", "bold")
        self.show_step(self.timeline.setup)
        total = len(self.timeline.steps)
        for run in self.timeline.steps:
            assert run.step is not None
            self.say()
            self.say(f"Step {run.number}/{total} · {self.text(run.step.say)}", "bold")
            if run.checkpoint is not None:
                self.ask(run)
            self.show_step(run)
            if run.checkpoint is not None:
                self.reveal(self.predictions[-1])
            self.flush()
        if self.timeline.stopped:
            self.say()
            self.say(f"The play stops here: {self.timeline.stopped}", "bold yellow")

    def show_step(self, run: StepRun) -> None:
        from studyaws.scenarios.compare import event_text

        for line in run.lines:
            self.say(f"$ {line.text}", indent=2, hanging=4)
            texts = [event_text(e) for frame in line.frames for e in frame.events]
            for text, times in _runs(texts):
                suffix = f" {self.marks['times']}{times}" if times > 1 else ""
                self.say(text + suffix, indent=4, hanging=2)
            result = result_text(line.text, line.result)
            if result:
                self.say(f"{self.marks['result']} {result}", indent=4, hanging=2)

    def ask(self, run: StepRun) -> None:
        from studyaws.scenarios.questions import checkpoint_question

        question = checkpoint_question(self.timeline, run)
        prediction = Prediction(run, question)
        self.predictions.append(prediction)
        cp = run.checkpoint
        assert cp is not None
        self.say(f"? Checkpoint: {self.text(cp.ask)}", "bold cyan", hanging=2)
        if self.input_over:
            self.say("(no answer: input is over)", indent=2)
            return
        presented = Presented(question, tuple(k for k, _ in question.choices))
        try:
            ask = self.ask_prompter if self.animated else self.ask_plain
            value = ask(presented)
        except _EndOfInputError:
            self.input_over = True
            return
        prediction.answered = True
        prediction.given = value
        result = grade(question, value)
        prediction.correct = result.correct
        self.save(prediction)

    def ask_plain(self, presented: Presented) -> AnswerValue | None:
        from studyaws.study.grading import answer_hint

        q = presented.question
        for number, (_key, text) in enumerate(q.choices, start=1):
            self.say(f"{number}. {text}", indent=2, hanging=3)
        how = answer_hint(presented)
        while True:
            if not self.quiet:
                self.console.print(f"Answer [{how}; blank skips]:", end=" ", markup=False)
                self.flush()
            line = self.env.stdin.readline()
            if line == "":
                if not self.quiet:
                    self.console.print("")
                raise _EndOfInputError
            if not self.quiet and not self.env.stdin_isatty:
                self.console.print(line.strip(), markup=False, highlight=False)
            parsed = parse_answer(presented, line)
            if parsed.kind in ("invalid", "hint"):
                message = parsed.problem or "no hints in a scenario; the play is the hint"
                if self.quiet:
                    self.env.warn(message)
                else:
                    self.say(f"! {message}. Try again.", "yellow", hanging=2)
                continue
            return parsed.value if parsed.kind == "answer" else None

    def ask_prompter(self, presented: Presented) -> AnswerValue | None:
        from studyaws.ui.animate import discard_typeahead
        from studyaws.ui.prompts import Action

        if self.prompter is None:
            from studyaws.ui.quiz import _questionary_prompter

            self.prompter = self.env.prompter or _questionary_prompter()
        q = presented.question
        discard_typeahead(self.env.stdin)
        try:
            if q.type == "single":
                reply = self.prompter.choose(
                    "Your prediction", [t for _, t in q.choices], hint=False
                )
                return None if isinstance(reply, Action) else presented.order[reply]

            def check(text: str) -> str | None:
                return parse_answer(presented, text).problem or None

            entered = self.prompter.enter("Your prediction (a number)", hint=False, validate=check)
        except EOFError:
            raise _EndOfInputError from None
        if isinstance(entered, Action):
            return None
        parsed = parse_answer(presented, entered)
        return parsed.value if parsed.kind == "answer" else None

    def reveal(self, prediction: Prediction) -> None:
        from studyaws.scenarios.compare import event_text

        run = prediction.step
        answer = run.answer
        cp = run.checkpoint
        assert answer is not None
        assert cp is not None
        engine = answer.text()
        m = self.marks
        if not prediction.answered:
            verdict = f"{m['skip']} The engine says: {engine}"
        elif prediction.given is None:
            verdict = f"{m['skip']} Skipped. The engine says: {engine}"
        elif prediction.correct:
            verdict = f"{m['right']} Right: {engine}"
        else:
            given = self.given_text(prediction)
            verdict = f"{m['wrong']} Wrong: you said {given}; the engine says: {engine}"
        style = "green" if prediction.correct else ("red" if prediction.answered else "")
        self.say(verdict, f"bold {style}".strip(), hanging=2)
        for event in answer.deciding[:4]:
            self.say(f"because {event_text(event)}", indent=2, hanging=4)
        if cp.rule:
            self.say(f"Rule: {self.text(cp.rule)}", indent=2, hanging=4)
        if cp.fact and cp.fact in self.course.facts:
            fact = self.course.facts[cp.fact]
            self.say(
                f"Fact: {self.text(fact.statement)} ({self.text('{fact:' + cp.fact + '}')})",
                indent=2,
                hanging=4,
            )

    def given_text(self, prediction: Prediction) -> str:
        q = prediction.question
        given = prediction.given
        if q.type == "single" and isinstance(given, str):
            return q.choice_text(given)
        if isinstance(given, float):
            shown = str(int(given)) if given.is_integer() else f"{given:g}"
            unit = q.answer.unit if q.answer is not None and hasattr(q.answer, "unit") else ""
            return f"{shown} s" if unit == "s" else shown
        return str(given)

    # -- animated --------------------------------------------------------------------------------

    def start_live(self) -> None:
        from rich.live import Live

        self.live = Live(
            self.render(),
            console=self.console,
            auto_refresh=False,
            transient=False,
            redirect_stdout=False,
            redirect_stderr=False,
            vertical_overflow="visible",
        )
        self.live.start(refresh=True)

    def stop_live(self) -> None:
        if self.live is not None:
            live, self.live = self.live, None
            live.stop()

    def refresh(self) -> None:
        if self.live is not None:
            self.live.update(self.render(), refresh=True)

    def play_animated(self) -> None:
        total = len(self.timeline.steps)
        self.say()
        self.view.say = "Setup"
        self.start_live()
        self.animate_step(self.timeline.setup, fast=True)
        for run in self.timeline.steps:
            assert run.step is not None
            self.view.step = run
            self.view.say = f"Step {run.number}/{total} · {self.text(run.step.say)}"
            self.view.note = ""
            if self.live is None:  # after a reveal: the picture starts again below it
                self.start_live()
            else:
                self.refresh()
            if run.checkpoint is not None:
                self.stop_live()
                self.say()
                self.say(self.view.say, "bold")
                self.ask(run)
                self.start_live()
            self.animate_step(run)
            if run.checkpoint is not None:
                self.stop_live()
                self.reveal(self.predictions[-1])
        end = self.timeline.stopped or "The end."
        if self.live is not None:
            self.view.note = end
            self.refresh()
            self.stop_live()
        else:  # the last picture is right above the reveal: don't draw it twice
            self.say()
            self.say(end, "bold")

    def animate_step(self, run: StepRun, *, fast: bool = False) -> None:
        for line in run.lines:
            self.view.note = f"$ {line.text}"
            for frame in line.frames:
                self.view.frame = frame
                if not frame.events:
                    self.view.at_ms = frame.at_ms
                    self.refresh()
                    if not fast:
                        self.pacer.beat(quiet=True)
                for event in frame.events:
                    self.view.at_ms = event.at_ms
                    self.view.recent.append(event)
                    self.refresh()
                    if not fast:
                        self.pacer.beat()
            result = result_text(line.text, line.result)
            if result:
                self.view.note = f"$ {line.text}  {self.marks['result']} {result}"
                self.refresh()
                if not fast:
                    self.pacer.beat(quiet=True)

    def render(self) -> RenderableType:
        return render_view(self.timeline, self.view, self.console.width, color=self.env.color)

    # -- saving and the end ---------------------------------------------------------------------

    def save(self, prediction: Prediction) -> None:
        import sqlite3

        if not self.saving:
            return
        q = prediction.question
        try:
            from studyaws.ui.course import open_store

            with open_store(self.env) as store:
                store.record(
                    question_id=q.id,
                    topic=q.topic,
                    concepts=q.concepts,
                    given=to_json(prediction.given),
                    correct=prediction.correct,
                    rating=rating_for(prediction.correct),
                    now=self.env.now(),
                    mode="scenario",
                )
        except (sqlite3.Error, StudyawsError) as exc:
            if not self.save_failed:
                self.env.warn(f"could not save your prediction ({exc}); the play goes on")
            self.save_failed = True

    def finish(self, *, interrupted: bool) -> None:
        answered = [p for p in self.predictions if p.answered and p.given is not None]
        right = sum(1 for p in answered if p.correct)
        total = len(self.timeline.scenario.checkpoints)
        if self.json_output:
            self.print_json(interrupted=interrupted)
        if self.quiet:
            return
        self.say()
        t = self.timeline
        if interrupted:  # say what was played, not what the whole scenario would have done
            self.say(
                f"Summary so far: {len(answered)} of {total} predictions made, {right} right.",
                "bold",
            )
        else:
            end = t.steps[-1].after.get("now", 0) if t.steps else 0
            self.say(
                f"Summary: {len(t.events)} events over {end} s of virtual time; "
                f"{right} of {total} predictions right.",
                "bold",
            )
        missed = [p for p in self.predictions if p.answered and not p.correct]
        if missed and self.saving:
            self.say("Missed predictions come back in: studyaws review")
        if t.scenario.section:
            self.say(f"Read more: studyaws learn {t.scenario.topic} {t.scenario.section}")
        self.flush()

    def print_json(self, *, interrupted: bool) -> None:
        t = self.timeline
        checkpoints = []
        by_step = {p.step.number: p for p in self.predictions}
        for run in t.steps:
            cp = run.checkpoint
            if cp is None or run.answer is None:
                continue
            p = by_step.get(run.number)
            given: Any = None
            given_text: str | None = None
            if p is not None and p.given is not None:
                given_text = self.given_text(p)
                given = to_json(p.given)
                if p.question.type == "single" and isinstance(p.given, str):
                    # The engine's value for the picked choice, comparable with `expected`.
                    keys = [k for k, _ in p.question.choices]
                    given = run.answer.choices[keys.index(p.given)]
            expected: Any = run.answer.value
            if run.answer.numeric:
                expected = to_json(float(run.answer.value))
            checkpoints.append(
                {
                    "id": cp.id,
                    "step": run.number,
                    "ask": cp.ask,
                    "answer_kind": str(cp.answer),
                    "given": given,
                    "expected": expected,
                    "given_text": given_text,
                    "expected_text": run.answer.text(),
                    "correct": bool(p is not None and p.correct),
                    "decided_by": [e.to_dict() for e in run.answer.deciding],
                }
            )
        data = {
            "scenario": t.scenario.id,
            "title": t.scenario.title,
            "seed": t.seed,
            "settings": t.settings,
            "interrupted": interrupted,
            "events": [e.to_dict() for e in t.events],
            "checkpoints": checkpoints,
            "correct": sum(1 for c in checkpoints if c["correct"]),
            "total": len(checkpoints),
        }
        self.env.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        self.env.stdout.flush()


# -- one frame of the animation -------------------------------------------------------------------


def render_view(timeline: Timeline, view: _View, width: int, *, color: bool) -> RenderableType:
    """The animation's picture: clock and step, queues by state, the last events and causes."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from studyaws.engine.events import ms_to_s
    from studyaws.scenarios.compare import event_text

    snapshot = view.frame.snapshot if view.frame is not None else {"queues": {}}
    head = Text(f"t={ms_to_s(view.at_ms)}s · {timeline.scenario.id}", style="bold")
    parts: list[RenderableType] = [head, Text(view.say, style="bold cyan" if color else "")]
    if view.note:
        parts.append(Text(view.note, style="dim" if color else ""))
    queues = snapshot.get("queues", {})
    narrow = width < 70
    if queues:
        table = Table(box=None, show_header=True, header_style="bold", pad_edge=False, expand=False)
        table.add_column("queue", overflow="fold")
        if narrow:
            table.add_column("vis / flight / delay", overflow="fold")
        else:
            table.add_column("visible", overflow="fold")
            table.add_column("in flight", overflow="fold")
            table.add_column("delayed", overflow="fold")
        for name, q in queues.items():
            label = name + (f" → {q['dead_letter_queue']}" if q.get("dead_letter_queue") else "")
            cells = [
                ", ".join(q.get(state, ())) or "-" for state in ("visible", "in_flight", "delayed")
            ]
            if narrow:
                table.add_row(label, " / ".join(cells))
            else:
                table.add_row(label, *cells)
        parts.append(table)
    for line in _resource_lines(snapshot):
        parts.append(Text(line, overflow="fold"))
    parts.append(Text("last events:", style="bold"))
    for event in list(view.recent)[-RECENT_EVENTS:]:
        parts.append(Text("  " + event_text(event), overflow="fold", no_wrap=False))
    if not view.recent:
        parts.append(Text("  (none yet)"))
    return Group(*parts)


def _resource_lines(snapshot: dict[str, Any]) -> list[str]:
    """One line per topic, function, consumer group and schedule, with its state."""
    out = []
    for name, topic in (snapshot.get("topics") or {}).items():
        subs = ", ".join(str(sub.get("endpoint")) for sub in topic.get("subscriptions", ()))
        out.append(f"topic {name} → {subs or 'no subscribers'}")
    for name, fn in (snapshot.get("functions") or {}).items():
        state = [f"running {fn.get('running', 0)}"]
        if fn.get("reserved_concurrency") is not None:
            state[0] += f"/{fn['reserved_concurrency']}"
        if fn.get("queued_events"):
            state.append(f"queued {fn['queued_events']}")
        state.append(f"{fn.get('invocations', 0)} runs, {fn.get('errors', 0)} errors")
        if fn.get("throttles"):
            state.append(f"{fn['throttles']} throttles")
        aliases = fn.get("aliases") or {}
        for alias, route in aliases.items():
            extra = route.get("additional_version")
            weight = f" +{route.get('additional_weight')}% → {extra}" if extra else ""
            state.append(f"{alias} → {route.get('version')}{weight}")
        out.append(f"function {name}: " + " · ".join(state))
    for queue, group in (snapshot.get("consumers") or {}).items():
        busy = len(group.get("busy", ()))
        out.append(f"consumers of {queue}: {group.get('consumers', 0)} running ({busy} busy)")
    for queue, asg in (snapshot.get("groups") or {}).items():
        out.append(
            f"auto scaling {queue}: {asg.get('instances')} instances "
            f"({asg.get('min')}-{asg.get('max')}), alarm {asg.get('alarm')}"
        )
    for name, sched in (snapshot.get("schedules") or {}).items():
        out.append(f"schedule {name}: {sched.get('expression')}, {sched.get('runs', 0)} runs")
    return out
