"""`studyaws scenario`: list the scenarios, or play one on the engine and ask for predictions.

Rules:
- The scenario is run on the engine first (`scenarios.run`): every checkpoint's answer is the
  engine's. Then it is played back: at a checkpoint the play stops *before* the step, asks, and
  reveals by playing the step, with the events that decided it, the rule and the fact.
- Full screen (stdin and stdout are terminals of at least 60×16, no `--no-animate`, no `--json`,
  `TERM` not dumb): `ui/scenario_live.py` draws every moment on the alternate screen, composed to
  fit (`ui/scenario_screen.py`), and waits for a key where the learner must read: after each step
  and after each verdict. When the play ends, a transcript of every step (narration, commands,
  the events that teach, each prediction with its verdict and rule) is printed to the normal
  screen, where scrollback keeps it.
- Plain (otherwise): the same transcript, with each checkpoint asked on the way (numbered
  choices, one answer a line from stdin, read like the quiz's: `parse_answer` and `grade`). End of
  input plays the rest without asking. This is the golden transcript of the tests.
- The events shown are the digest of `scenarios/digest.py` (polling gathered, repeats counted);
  `--json` keeps every event of the log.
- Answers are saved to the progress store (mode `scenario`) under `scenario:<name>:<checkpoint>`,
  so a missed prediction comes back in `studyaws review` — but only when the scenario is played
  with its default settings and seed, where the card's answer is the one `review` will expect.
- `q` ends the play with its transcript (status 0); Ctrl-C too, with status 130. Right and wrong
  are said in words and a symbol, never by colour alone.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from studyaws.errors import ExitStatus, StudyawsError, UsageError
from studyaws.study.grading import AnswerValue, Presented, grade, parse_answer, to_json
from studyaws.study.scheduling import rating_for
from studyaws.words import plural

if TYPE_CHECKING:
    from rich.console import Console

    from studyaws.content.model import Course, Scenario
    from studyaws.engine.events import Event
    from studyaws.scenarios.result import Prediction
    from studyaws.scenarios.run import LineRun, StepRun, Timeline
    from studyaws.ui.env import Env

DEFAULT_SEED = 0
LIVE_MIN_WIDTH = 60
LIVE_MIN_HEIGHT = 16


# -- entry point ----------------------------------------------------------------------------------


def scenario(
    env: Env,
    name: str | None = None,
    *,
    speed: float = 1.0,
    step: bool = False,
    auto: bool = False,
    animate: bool = True,
    json_output: bool = False,
    settings: Sequence[str] = (),
    compare: bool = False,
    seed: int = DEFAULT_SEED,
    show_settings: bool = False,
) -> int:
    from studyaws.ui.course import load

    course = load(env)
    scenarios = sorted_scenarios(course)
    if name is None:
        return list_scenarios(env, scenarios, json_output=json_output)
    chosen = scenarios.get(name.lower())
    if chosen is None:
        known = ", ".join(scenarios) or "none"
        raise UsageError(f"unknown scenario '{name}'; scenarios: {known}")
    if not (0.1 <= speed <= 100):  # also refuses nan
        raise UsageError(f"--speed must be from 0.1 to 100, not {speed:g}")
    if show_settings:
        return list_settings(env, chosen, json_output=json_output)
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
    play = Play(env, course, timeline, json_output=json_output)
    if live_possible(env) and animate and not json_output:
        from studyaws.ui.scenario_live import LivePlayer

        return LivePlayer(play, speed=speed, step=step, auto=auto).run()
    return PlainPlayer(play).run()


def live_possible(env: Env) -> bool:
    """The full-screen player needs two terminals, a real TERM and room for its screen."""
    if not env.interactive or env.environ.get("TERM") in ("dumb", "unknown", ""):
        return False
    import os

    try:
        size = os.get_terminal_size(env.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return size.columns >= LIVE_MIN_WIDTH and size.lines >= LIVE_MIN_HEIGHT


def sorted_scenarios(course: Course) -> dict[str, Scenario]:
    """The scenarios in the course's topic order, then by id."""
    order = {t.id: i for i, t in enumerate(course.topics)}
    found = sorted(course.scenarios.values(), key=lambda s: (order.get(s.topic, len(order)), s.id))
    return {s.id: s for s in found}


# -- the list and the settings --------------------------------------------------------------------


def answered_checkpoints(env: Env) -> set[str]:
    """Card ids of every checkpoint answered at least once (from the progress store). The list
    only shows them: without a store it is shown without them (said once when it can't open)."""
    from studyaws.ui.course import existing_store

    store = existing_store(env, "which scenarios you have done is")
    if store is None:
        return set()
    try:
        with store:
            reviews = store.reviews()
    except StudyawsError as exc:
        env.warn(f"which scenarios you have done is not shown: {exc.message}")
        return set()
    return {r.question_id for r in reviews if r.question_id.startswith("scenario:")}


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
    out = env.console
    if not rows:
        out.print("No scenarios yet.")
        return int(ExitStatus.OK)
    mark = marks(env)
    width = env.output_width
    _wrapped(out, f"{len(rows)} scenarios · play one with: studyaws scenario NAME", width)
    id_width = max(len(s.id) for s, _ in rows)
    for s, done in rows:
        status = f"{mark['right']} done" if done else "new"
        head = f"{s.id:<{id_width}}  {s.topic:<6} {len(s.steps):>2} steps  {status:<6}"
        if width - len(head) >= 24:
            _wrapped(out, f"{head} {s.title}", width, hanging=len(head) + 1)
        else:
            _wrapped(out, head.rstrip(), width)
            _wrapped(out, s.title, width, indent=2, hanging=2)
    return int(ExitStatus.OK)


def list_settings(env: Env, chosen: Scenario, *, json_output: bool) -> int:
    if json_output:
        data = [
            {"name": s.name, "default": s.default, "about": s.about, "allowed": s.allowed()}
            for s in chosen.settings
        ]
        env.stdout.write(json.dumps({"scenario": chosen.id, "settings": data}) + "\n")
        return int(ExitStatus.OK)
    out = env.console
    width = env.output_width
    if not chosen.settings:
        _wrapped(out, f"Scenario {chosen.id} has no settings.", width)
        return int(ExitStatus.OK)
    _wrapped(out, f"Settings of {chosen.id} (change one with --set NAME=VALUE):", width)
    for line in settings_lines(chosen):
        _wrapped(out, line, width, indent=2, hanging=4)
    example = chosen.checkpoints[0].what_if[0] if chosen.checkpoints else None
    if example is not None:
        from rich.text import Text

        command = f"studyaws scenario {chosen.id} --set {example[0]}={example[1]} --compare"
        if len(command) + 5 <= width:
            _wrapped(out, f"Try: {command}", width)
        else:  # a command to copy stays whole, on a line of its own
            _wrapped(out, "Try:", width)
            out.print(Text(f"  {command}"), soft_wrap=True)
    return int(ExitStatus.OK)


def settings_lines(chosen: Scenario) -> list[str]:
    return [f"{s.name}={s.default}: {s.about} ({s.allowed()})" for s in chosen.settings]


def marks(env: Env) -> dict[str, str]:
    encoding = (getattr(env.stdout, "encoding", None) or "utf-8").lower()
    fancy = "utf" in encoding
    return {
        "right": "✓" if fancy else "+",
        "wrong": "✗" if fancy else "x",
        "skip": "–" if fancy else "-",
        "result": "→" if fancy else "->",
        "times": "×" if fancy else "x",
        "dash": "–" if fancy else "-",
        "dot": "·" if fancy else "|",
    }


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
        if "init_duration" in result:  # a cold start: the caller waited for Init first
            took = f"{result['init_duration']}s Init + {took}"
        elif "restore_duration" in result:
            took = f"{result['restore_duration']}s restore + {took}"
        if "error" in result:
            error = result["error"]
            return f"200 after {took}, {error['type']}: {error['message']}"
        payload = json.dumps(result.get("payload"), ensure_ascii=False)
        return f"200 after {took} (version {result.get('version')}): {payload}"
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
        _wrapped(out, "The two timelines are the same.", width)
        return int(ExitStatus.OK)
    _wrapped(out, f"The timelines part at step {first}:", width)
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


# -- one play, whatever shows it ------------------------------------------------------------------


@dataclass(frozen=True)
class Said:
    """One line of a transcript: text, style, indent and hanging indent."""

    text: str
    style: str = ""
    indent: int = 0
    hanging: int = 0


class Play:
    """What every way of playing shares: the predictions, grading and saving, and the words of
    the transcript (narration, events, verdicts, the summary)."""

    def __init__(
        self, env: Env, course: Course, timeline: Timeline, *, json_output: bool = False
    ) -> None:
        self.env = env
        self.course = course
        self.timeline = timeline
        self.json_output = json_output
        self.marks = marks(env)
        self.predictions: dict[int, Prediction] = {}
        self.saving = not timeline.changed and timeline.seed == DEFAULT_SEED
        self.save_failed = False
        self.saved = 0
        self.played = 0  # steps played so far (the setup not counted)
        self.quit = False

    # -- words ---------------------------------------------------------------------------------

    def text(self, raw: str) -> str:
        from studyaws.content.text import plain_inline, render_facts, strip_control

        return " ".join(plain_inline(strip_control(render_facts(raw, self.course.facts))).split())

    def step_title(self, run: StepRun) -> str:
        total = len(self.timeline.steps)
        assert run.step is not None
        return f"Step {run.number}/{total} · {self.text(run.step.say)}"

    def prediction(self, run: StepRun) -> Prediction:
        from studyaws.scenarios.questions import checkpoint_question
        from studyaws.scenarios.result import Prediction

        found = self.predictions.get(run.number)
        if found is None:
            found = Prediction(run, checkpoint_question(self.timeline, run))
            self.predictions[run.number] = found
        return found

    def choices(self, prediction: Prediction) -> list[str]:
        return [self.text(t) for _, t in prediction.question.choices]

    def presented(self, prediction: Prediction) -> Presented:
        q = prediction.question
        return Presented(q, tuple(k for k, _ in q.choices))

    def unit(self, prediction: Prediction) -> str:
        answer = prediction.step.answer
        return "seconds" if answer is not None and answer.unit == "s" else ""

    def answer(self, prediction: Prediction, value: AnswerValue | None, *, hinted: bool) -> None:
        """Grade and save a learner's prediction (None: skipped)."""
        prediction.answered = True
        prediction.given = value
        prediction.hinted = hinted
        prediction.correct = grade(prediction.question, value).correct
        self.save(prediction)

    def given_text(self, prediction: Prediction) -> str:
        q = prediction.question
        given = prediction.given
        if q.type == "single" and isinstance(given, str):
            return self.text(q.choice_text(given))
        if isinstance(given, float):
            shown = str(int(given)) if given.is_integer() else f"{given:g}"
            return f"{shown} s" if self.unit(prediction) else shown
        return str(given)

    def verdict(self, prediction: Prediction) -> list[Said]:
        """The verdict on a prediction, what decided it, the working, the rule and the fact."""
        from studyaws.sandbox.wording import event_line

        run = prediction.step
        answer = run.answer
        cp = run.checkpoint
        assert answer is not None
        assert cp is not None
        right = self.text(answer.text())
        m = self.marks
        if not prediction.answered:
            head, style = f"{m['skip']} The answer: {right}", "bold"
        elif prediction.given is None:
            head, style = f"{m['skip']} Skipped. The answer: {right}", "bold yellow"
        elif prediction.correct:
            head, style = f"{m['right']} Right: {right}", "bold green"
        else:
            given = self.given_text(prediction)
            head, style = f"{m['wrong']} Wrong: you said {given}; it was {right}", "bold red"
        out = [Said(head, style, hanging=2)]
        if answer.working:
            out.append(Said(f"Worked out: {answer.working}", indent=2, hanging=4))
        for event in teaching(answer.deciding, 3):
            out.append(Said(f"because {event_line(event)}", indent=2, hanging=4))
        if cp.rule:
            out.append(Said(f"Rule: {self.text(cp.rule)}", indent=2, hanging=4))
        if cp.fact and cp.fact in self.course.facts:
            fact = self.course.facts[cp.fact]
            said = f"Fact: {self.text(fact.statement)}"
            if not isinstance(fact.value, str):  # a text fact's value restates its statement
                said += f" ({self.text('{fact:' + cp.fact + '}')})"
            out.append(Said(said, indent=2, hanging=4))
        return out

    def line_said(self, line: LineRun) -> list[Said]:
        """A line of the step, the events that teach, and what it returned."""
        from studyaws.scenarios.digest import rows

        out = [Said(f"$ {line.text}", indent=2, hanging=4)]
        for row in rows(line.events):
            out.append(Said(row.text(self.marks["times"], self.marks["dash"]), indent=4, hanging=2))
        result = result_text(line.text, line.result)
        if result:
            out.append(Said(f"{self.marks['result']} {result}", indent=4, hanging=2))
        return out

    def step_said(self, run: StepRun) -> list[Said]:
        out: list[Said] = []
        for line in run.lines:
            out.extend(self.line_said(line))
        return out

    def transcript_step(self, run: StepRun) -> list[Said]:
        """A played step as the transcript keeps it: title, lines, then the prediction."""
        out = [Said(""), Said(self.step_title(run), "bold")]
        out.extend(self.step_said(run))
        if run.checkpoint is not None and run.number in self.predictions:
            prediction = self.predictions[run.number]
            out.append(Said(f"? {self.text(run.checkpoint.ask)}", "bold cyan", hanging=2))
            out.extend(self.verdict(prediction))
        return out

    def header_said(self) -> list[Said]:
        t = self.timeline
        s = t.scenario
        settings = ", ".join(f"{k}={v}" for k, v in t.settings.items()) or "none"
        out = [
            Said(f"Scenario {s.id}: {s.title}", "bold"),
            Said(f"topic {s.topic} · {len(s.steps)} steps · seed {t.seed} · settings: {settings}"),
        ]
        if not self.saving:
            out.append(Said("(changed settings or seed: predictions are not saved for review)"))
        out.append(Said(""))
        out.append(Said(self.text(s.story)))
        return out

    def summary_said(self, *, interrupted: bool) -> list[Said]:
        t = self.timeline
        answered = [p for p in self.predictions.values() if p.answered and p.given is not None]
        right = sum(1 for p in answered if p.correct)
        total = len(t.scenario.checkpoints)
        out = [Said("")]
        if t.stopped and not interrupted and not self.quit:
            out.append(Said(f"From here on the scenario can't go on: {t.stopped}", "bold yellow"))
        if interrupted or self.quit:
            out.append(
                Said(
                    f"Stopped after step {self.played} of {len(t.steps)}: "
                    f"{plural(len(answered), 'prediction')} made, {right} right.",
                    "bold",
                )
            )
        else:
            end = t.steps[-1].after.get("now", 0) if t.steps else 0
            scored = (
                f"{right} of {total} predictions right"
                if answered or not self.predictions
                else f"the answers to its {plural(total, 'prediction')} are above"
            )
            out.append(
                Said(
                    f"Summary: {plural(len(t.events), 'event')} over {end} s of virtual time; "
                    f"{scored}.",
                    "bold",
                )
            )
        missed = [p for p in answered if not p.correct]
        if self.save_failed:
            out.append(Said("Your predictions could not be saved (see the warning above)."))
        elif missed and self.saving:
            out.append(Said("Missed predictions come back in: studyaws review"))
        if t.scenario.section:
            out.append(Said(f"Read more: studyaws learn {t.scenario.topic} {t.scenario.section}"))
        if t.scenario.settings:
            out.append(
                Said(f"Change a setting and compare: studyaws scenario {t.scenario.id} --settings")
            )
        return out

    # -- saving --------------------------------------------------------------------------------

    def save(self, prediction: Prediction) -> None:
        if not self.saving or not prediction.answered:
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
                    rating=rating_for(prediction.correct, hinted=prediction.hinted),
                    now=self.env.now(),
                    mode="scenario",
                )
            self.saved += 1
        except StudyawsError as exc:  # the store's errors included
            if not self.save_failed:
                self.env.warn(f"could not save your prediction ({exc}); the play goes on")
            self.save_failed = True

    # -- JSON ------------------------------------------------------------------------------------

    def json_data(self, *, interrupted: bool) -> dict[str, Any]:
        from studyaws.scenarios.result import play_result

        return play_result(
            self.timeline, self.predictions, self.given_text, interrupted=interrupted
        )


def teaching(events: Sequence[Event], most: int) -> list[Event]:
    """The `most` events that teach most (a failure before a receive), in the order they came."""
    from studyaws.scenarios.digest import weight

    ranked = sorted(range(len(events)), key=lambda i: (-weight(events[i]), -i))[:most]
    return [events[i] for i in sorted(ranked)]


# -- plain: the transcript, asking on the way -----------------------------------------------------


class _EndOfInputError(Exception):
    pass


class PlainPlayer:
    """Piped or `--no-animate`: the transcript, each checkpoint asked before its step's events."""

    def __init__(self, play: Play) -> None:
        self.play = play
        self.env = play.env
        self.quiet = play.json_output and not self.env.interactive
        self.console: Console = self.env.err_console if play.json_output else self.env.console
        self.input_over = False

    def say(self, lines: Sequence[Said]) -> None:
        if self.quiet:
            return
        width = self.console.width
        for line in lines:
            _wrapped(
                self.console,
                line.text,
                width,
                indent=line.indent,
                hanging=line.hanging,
                style=line.style,
            )

    def run(self) -> int:
        status = ExitStatus.OK
        play = self.play
        try:
            self.say(play.header_said())
            self.say([Said(""), Said("Setup", "bold"), *play.step_said(play.timeline.setup)])
            for run in play.timeline.steps:
                self.step(run)
                play.played = run.number
                self.console.file.flush()
        except KeyboardInterrupt:
            status = ExitStatus.INTERRUPTED
            self.say([Said(""), Said("Interrupted.", "bold")])
        interrupted = status == ExitStatus.INTERRUPTED
        self.say(play.summary_said(interrupted=interrupted))
        self.console.file.flush()
        if play.json_output:
            self.env.stdout.write(
                json.dumps(play.json_data(interrupted=interrupted), ensure_ascii=False) + "\n"
            )
            self.env.stdout.flush()
        return int(status)

    def step(self, run: StepRun) -> None:
        play = self.play
        self.say([Said(""), Said(play.step_title(run), "bold")])
        prediction = None
        if run.checkpoint is not None:
            prediction = play.prediction(run)
            self.say([Said(f"? {play.text(run.checkpoint.ask)}", "bold cyan", hanging=2)])
            self.ask(prediction)
        self.say(play.step_said(run))
        if prediction is not None:
            self.say(play.verdict(prediction))

    def ask(self, prediction: Prediction) -> None:
        from studyaws.study.grading import answer_hint

        play = self.play
        if self.input_over:
            self.say([Said("(no answer: input is over)", indent=2)])
            return
        presented = play.presented(prediction)
        for number, text in enumerate(play.choices(prediction), start=1):
            self.say([Said(f"{number}. {text}", indent=2, hanging=3)])
        how = answer_hint(presented)
        cp = prediction.step.checkpoint
        hint = bool(cp is not None and cp.hint)
        extras = "h hint, blank skips" if hint else "blank skips"
        hinted = False
        bad_lines = 0
        while True:
            if not self.quiet:
                self.console.print(f"Answer [{how}; {extras}]:", end=" ", markup=False)
                self.console.file.flush()
            line = self.env.stdin.readline()
            if line == "":
                if not self.quiet:
                    self.console.print("")
                self.input_over = True
                return
            if not self.quiet and not self.env.stdin_isatty:
                self.console.print(line.strip(), markup=False, highlight=False)
            parsed = parse_answer(presented, line)
            if parsed.kind == "hint" and hint and cp is not None:
                hinted = True
                self.say([Said(f"Hint: {play.text(cp.hint)}", "italic", indent=2, hanging=2)])
                continue
            if parsed.kind in ("invalid", "hint"):
                bad_lines += 1
                message = parsed.problem or "this checkpoint has no hint"
                if bad_lines >= 3:
                    self.note(f"{message}; skipped after 3 unreadable answers")
                    play.answer(prediction, None, hinted=hinted)
                    return
                self.note(f"{message}. Try again")
                continue
            play.answer(
                prediction, parsed.value if parsed.kind == "answer" else None, hinted=hinted
            )
            return

    def note(self, message: str) -> None:
        if self.quiet:
            self.env.warn(message)
        else:
            self.say([Said(f"! {message}.", "yellow", hanging=2)])
