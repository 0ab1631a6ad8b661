"""The full-screen scenario player: one screen at a time on the alternate screen, keys to move on.

Rules:
- Every screen is composed to fit the terminal (`scenario_screen.compose`) and redrawn whole on a
  resize. Nothing a learner must read goes away by itself: the story waits for Enter, a
  prediction for its answer, a step's end and a verdict for Enter (`--auto` plays hands-off,
  pausing by the length of what it shows and `--speed`).
- A prediction is never answered by accident: keys pressed before it appears are dropped, and
  Enter confirms only a choice the learner picked (a number, or the arrows) or a number typed.
- Within a step the events are played one by one, paced by what they teach (`digest.beat_s`,
  divided by `--speed`): idle polling is gathered and costs nothing, a DLQ move gets a full beat.
  Enter skips to the end of the step; with `--step` every event waits for Enter instead.
- The keys that work are always on the last line (`Enter next step · q quit`).
- `q` stops the play (status 0), Ctrl-C too (status 130); either way the alternate screen is left
  and the transcript of what was played is printed to the normal screen.
- Time passes only through `Keys.read(timeout)`: tests pass `ScriptedKeys`, which records how long
  a real play would have waited (the `--auto` budget is measured that way).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from studyaws.errors import ExitStatus
from studyaws.scenarios.digest import (
    RESULT_BEAT_S,
    beat_s,
    pinned_seqs,
    reading_s,
    rows,
    step_beats,
)
from studyaws.scenarios.result import Prediction
from studyaws.ui.scenario import Play, Said, result_text, settings_lines
from studyaws.ui.scenario_screen import Marks, Panel, Prompt, View, compose
from studyaws.words import plural

if TYPE_CHECKING:
    from rich.console import Console
    from rich.live import Live
    from rich.text import Text

    from studyaws.engine.events import Event
    from studyaws.scenarios.digest import Row
    from studyaws.scenarios.run import StepRun
    from studyaws.ui.keys import Keys

PAGE_KEYS = ("down", "pagedown", "j")
BACK_KEYS = ("up", "pageup", "k")


class _QuitError(Exception):
    """The learner pressed q."""


class Terminal(Protocol):
    def size(self) -> tuple[int, int]: ...

    def draw(self, lines: list[Text]) -> None: ...


class RichTerminal:
    """The alternate screen, drawn whole by rich's `Live(screen=True)`."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.live: Live | None = None

    def __enter__(self) -> RichTerminal:
        from rich.live import Live

        self.live = Live(
            console=self.console,
            screen=True,
            auto_refresh=False,
            redirect_stdout=False,
            redirect_stderr=False,
            transient=True,
        )
        self.live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            live, self.live = self.live, None
            live.stop()

    def size(self) -> tuple[int, int]:
        import os

        try:
            size = os.get_terminal_size(self.console.file.fileno())
        except (OSError, ValueError, AttributeError):
            return self.console.width, self.console.height
        self.console.size = (size.columns, size.lines)
        return size.columns, size.lines

    def draw(self, lines: list[Text]) -> None:
        from rich.console import Group

        assert self.live is not None
        self.live.update(Group(*lines), refresh=True)


@dataclass
class RecordingTerminal:
    """A terminal for tests: every screen drawn, as plain text."""

    width: int = 80
    height: int = 24

    def __post_init__(self) -> None:
        self.screens: list[str] = []

    def size(self) -> tuple[int, int]:
        return self.width, self.height

    def draw(self, lines: list[Text]) -> None:
        self.screens.append("\n".join(line.plain for line in lines))

    @property
    def last(self) -> str:
        return self.screens[-1] if self.screens else ""


class LivePlayer:
    def __init__(
        self,
        play: Play,
        *,
        speed: float = 1.0,
        step: bool = False,
        auto: bool = False,
        keys: Keys | None = None,
        terminal: Terminal | None = None,
    ) -> None:
        self.play = play
        self.env = play.env
        self.speed = speed
        self.stepping = step
        self.auto = auto
        self.keys = keys
        self.terminal = terminal
        fancy = play.marks["right"] == "✓"
        self.marks = Marks() if fancy else Marks.ascii()
        self.color = self.env.color
        scenario = play.timeline.scenario
        self.view = View(title=scenario.id, step_label="")
        self.history: list[Row] = []  # rows of the steps already played
        self.waited = 0.0

    # -- the frame -----------------------------------------------------------------------------

    def draw(self) -> None:
        assert self.terminal is not None
        width, height = self.terminal.size()
        self.terminal.draw(compose(self.view, width, height, color=self.color, marks=self.marks))

    def key(self, timeout: float | None = None) -> str | None:
        """The next key (None: the timeout ran out). A resize redraws and waits on."""
        assert self.keys is not None
        while True:
            key = self.keys.read(timeout)
            if key == "resize":
                self.draw()
                continue
            if key in ("q", "Q"):
                raise _QuitError
            return key

    def pause(self, seconds: float) -> bool:
        """Wait up to `seconds` (scaled by --speed); True when the learner pressed Enter."""
        if seconds <= 0:
            return False
        scaled = seconds / self.speed
        self.waited += scaled
        return self.key(scaled) in ("enter", "space")

    def wait_enter(self, keys: str, *, panel: Panel | None = None) -> None:
        """Show `keys` and wait for Enter; a panel longer than the screen pages with ↓/↑."""
        if self.auto:
            text = self.view.say
            if panel is not None:  # the verdict and its rule; the rest waits in the transcript
                text = " ".join(
                    s.text for s in panel.lines if s is panel.lines[0] or s.text.startswith("Rule:")
                )
            self.view.keys = f"--auto {self.marks.dot} q quit"
            self.draw()
            self.pause(reading_s(text))
            return
        self.view.keys = keys
        self.draw()
        if self.view.overflow and "scroll" not in keys:
            self.view.keys = f"↓↑ scroll {self.marks.dot} {keys}"
            self.draw()
        while True:
            key = self.key()
            if key in ("enter", "space"):
                return
            if key in PAGE_KEYS + BACK_KEYS and self.view.panel is not None:
                step = 3 if key in PAGE_KEYS else -3
                self.view.panel_from = max(0, self.view.panel_from + step)
                self.draw()

    # -- the play ------------------------------------------------------------------------------

    def run(self) -> int:
        from studyaws.ui.keys import TerminalKeys

        status = ExitStatus.OK
        own_keys = self.keys is None
        try:
            if self.terminal is None:
                terminal = RichTerminal(self._console())
                self.terminal = terminal
                with TerminalKeys(self.env.stdin) as keys, terminal:
                    self.keys = keys
                    self._play()
            else:
                if own_keys:
                    raise RuntimeError("a test terminal needs its keys")
                self._play()
        except _QuitError:
            self.play.quit = True
        except EOFError:
            self.play.quit = True
        except KeyboardInterrupt:
            status = ExitStatus.INTERRUPTED
        self.transcript(interrupted=status == ExitStatus.INTERRUPTED)
        return int(status)

    def _console(self) -> Console:
        from rich.console import Console

        return Console(
            file=self.env.stdout,
            force_terminal=True,
            no_color=not self.color,
            color_system="auto" if self.color else None,
            highlight=False,
            emoji=False,
            markup=False,
        )

    def _play(self) -> None:
        self.intro()
        setup = self.play.timeline.setup
        self.history.extend(rows(setup.events))
        self.view.snapshot = setup.after
        self.view.at_ms = setup.events[-1].at_ms if setup.events else 0
        for run in self.play.timeline.steps:
            self.step(run)
            self.play.played = run.number
        self.ending()

    def intro(self) -> None:
        play = self.play
        t = play.timeline
        s = t.scenario
        lines = [Said(play.text(s.story))]
        if s.settings:
            lines.append(Said(""))
            lines.append(Said("Settings (change with --set NAME=VALUE):", "bold"))
            lines.extend(Said(line, indent=2, hanging=2) for line in settings_lines(s))
        if t.changed:
            changed = ", ".join(f"{k}={t.settings[k]}" for k in t.changed)
            lines.append(Said(f"Playing with {changed}: predictions are not saved.", "italic"))
        lines.append(Said(""))
        lines.append(
            Said(
                f"At each ? predict what happens next, then watch it happen: "
                f"{plural(len(s.checkpoints), 'prediction')} in {len(s.steps)} steps.",
                "bold",
            )
        )
        self.view.step_label = s.title
        self.view.say = ""
        self.view.intro = True
        self.view.panel = Panel(lines)
        self.wait_enter(f"Enter start {self.marks.dot} q quit")
        self.view.intro = False
        self.view.panel = None
        self.view.panel_from = 0

    def step(self, run: StepRun) -> None:
        play = self.play
        total = len(play.timeline.steps)
        assert run.step is not None
        self.view.step_label = f"step {run.number}/{total}"
        self.view.say = play.text(run.step.say)
        self.view.commands = [line.text for line in run.lines]
        self.view.current = None
        self.view.result = ""
        self.view.snapshot = run.before
        self.view.rows = list(self.history)
        self.view.panel = None
        prediction = None
        if run.checkpoint is not None:
            prediction = play.prediction(run)
            self.predict(prediction)
        self.animate(run, prediction)
        self.history.extend(rows(run.events, self._pinned(run)))
        if prediction is not None:
            panel = Panel(play.verdict(prediction), title="the answer")
            self.view.prompt = None
            self.view.panel = panel
            self.view.panel_from = 0
            self.wait_enter(self._next_keys(), panel=panel)
        else:
            self.wait_enter(self._next_keys())
        self.view.panel = None

    def _next_keys(self) -> str:
        more = self.play.played + 1 < len(self.play.timeline.steps)
        return f"{'Enter next step' if more else 'Enter end'} {self.marks.dot} q quit"

    def _pinned(self, run: StepRun) -> frozenset[int]:
        answer = run.answer
        return pinned_seqs(run.checkpoint, answer.deciding if answer is not None else ())

    # -- predicting ----------------------------------------------------------------------------

    def predict(self, prediction: Prediction) -> None:
        play = self.play
        cp = prediction.step.checkpoint
        assert cp is not None
        choices = play.choices(prediction)
        prompt = Prompt(play.text(cp.ask), choices, unit=play.unit(prediction))
        self.view.prompt = prompt
        if self.auto:
            self.view.keys = f"--auto {self.marks.dot} q quit"
            self.draw()
            self.pause(reading_s(prompt.ask + " ".join(choices)))
            return
        assert self.keys is not None
        self.keys.discard()
        hinted = False
        dot = self.marks.dot
        while True:
            hint = f" {dot} h hint" if cp.hint else ""
            if choices:
                pick = f"1{self.marks.dash}{len(choices)} or ↑↓ pick"
                self.view.keys = f"{pick} {dot} Enter confirm{hint} {dot} s skip {dot} q quit"
            else:
                self.view.keys = (
                    f"type a number {dot} Enter confirm{hint} {dot} s skip {dot} q quit"
                )
            self.draw()
            key = self.key()
            prompt.message = ""
            if key is None:
                continue
            if key == "h":
                if cp.hint:
                    hinted = True
                    prompt.hint = play.text(cp.hint)
                else:
                    prompt.message = "No hint for this one: the story so far is the hint."
                continue
            if key in ("s", "?"):
                play.answer(prediction, None, hinted=hinted)
                return
            if choices:
                value: str | float | None = self._choose(prompt, key)
            else:
                value = self._type(prompt, key, prediction)
            if value is not None:
                play.answer(prediction, value, hinted=hinted)
                return

    def _choose(self, prompt: Prompt, key: str) -> str | None:
        count = len(prompt.choices)
        if key.isdigit() and 1 <= int(key) <= count:
            prompt.selected = int(key) - 1
        elif key in ("down", "j", "tab"):
            prompt.selected = 0 if prompt.selected is None else (prompt.selected + 1) % count
        elif key in ("up", "k", "s-tab"):
            prompt.selected = (
                count - 1 if prompt.selected is None else (prompt.selected - 1) % count
            )
        elif key == "enter":
            if prompt.selected is None:
                prompt.message = (
                    f"Pick one first: a number 1{self.marks.dash}{count} or ↑↓, then Enter."
                )
                return None
            return "abcdefghijklmnopqrstuvwxyz"[prompt.selected]
        elif key != "space":
            prompt.message = f"Keys: 1{self.marks.dash}{count} or ↑↓ to pick, Enter to confirm."
        return None

    def _type(self, prompt: Prompt, key: str, prediction: Prediction) -> float | None:
        if len(key) == 1 and (key.isdigit() or key in ".,"):
            if len(prompt.typed) < 12:
                prompt.typed += key
            return None
        if key == "backspace":
            prompt.typed = prompt.typed[:-1]
            return None
        if key == "enter":
            if not prompt.typed:
                prompt.message = "Type a number first, then Enter (s skips)."
                return None
            from studyaws.study.grading import parse_answer

            parsed = parse_answer(self.play.presented(prediction), prompt.typed)
            if parsed.kind == "answer" and isinstance(parsed.value, float | int):
                return float(parsed.value)
            prompt.message = parsed.problem or "That is not a number."
            return None
        prompt.message = "Type digits, then Enter."
        return None

    # -- animating -----------------------------------------------------------------------------

    def animate(self, run: StepRun, prediction: Prediction | None) -> None:
        pinned = self._pinned(run)
        scale = step_beats(run.events)
        done: list[Event] = []
        skipping = False
        dot = self.marks.dot
        self.view.keys = (
            f"Enter next event {dot} q quit" if self.stepping else f"Enter skip ahead {dot} q quit"
        )
        if prediction is not None and self.view.prompt is not None:
            self.view.prompt = None  # the question stays in the panel until the verdict
            self.view.panel = Panel(self._asked(prediction), title="your prediction")
        for index, line in enumerate(run.lines):
            self.view.current = index
            self.view.result = ""
            for frame in line.frames:
                for event in frame.events:
                    done.append(event)
                    self.view.at_ms = event.at_ms
                    self.view.snapshot = frame.snapshot
                    self.view.rows = [*self.history, *rows(done, pinned)]
                    beat = beat_s(event) * scale
                    if skipping or (beat == 0 and not self.stepping):
                        continue
                    self.draw()
                    skipping = self._beat(beat)
                self.view.at_ms = frame.at_ms
                self.view.snapshot = frame.snapshot
            self.view.result = result_text(line.text, line.result)
            if not skipping:
                self.draw()
                if self.view.result:
                    skipping = self._beat(RESULT_BEAT_S)
        self.view.current = None

    def _beat(self, seconds: float) -> bool:
        """One beat of the animation; True when the learner asked to skip to the step's end."""
        if self.stepping and not self.auto:
            self.key()
            return False
        return self.pause(seconds)

    def _asked(self, prediction: Prediction) -> list[Said]:
        play = self.play
        cp = prediction.step.checkpoint
        assert cp is not None
        if not prediction.answered:
            given = "(watching)"
        elif prediction.given is None:
            given = "skipped"
        else:
            given = play.given_text(prediction)
        return [
            Said(f"? {play.text(cp.ask)}", "bold", hanging=2),
            Said(f"your prediction: {given}", indent=2, hanging=4),
        ]

    # -- the end -------------------------------------------------------------------------------

    def ending(self) -> None:
        said = self.play.summary_said(interrupted=False)
        self.view.step_label = "the end"
        self.view.say = ""
        self.view.commands = []
        self.view.result = ""
        self.view.panel = Panel([s for s in said if s.text], title="summary")
        self.view.panel_from = 0
        self.wait_enter(f"Enter finish (the transcript stays on screen) {self.marks.dot} q quit")

    def transcript(self, *, interrupted: bool) -> None:
        """What was played, on the normal screen where scrollback keeps it."""
        from studyaws.ui.scenario import PlainPlayer

        writer = PlainPlayer(self.play)
        play = self.play
        said: list[Said] = [*play.header_said(), Said("")]
        said.append(Said("Setup", "bold"))
        said.extend(play.step_said(play.timeline.setup))
        for run in play.timeline.steps[: play.played]:
            said.extend(play.transcript_step(run))
        said.extend(play.summary_said(interrupted=interrupted))
        writer.say(said)
        writer.console.file.flush()
        if play.json_output:  # pragma: no cover - --json never plays live
            self.env.stdout.write(json.dumps(play.json_data(interrupted=interrupted)) + "\n")
