"""Asking the learner: the `Prompter` protocol, the terminal's prompts, a scripted one for tests.

Rules:
- The terminal prompts are prompt_toolkit applications, imported here only and only when a
  question is actually asked interactively: `studyaws --help` and piped quizzes never pay for
  them. questionary is used for a yes/no confirmation only.
- A question's choices are drawn by the prompt itself, each one whole: wrapped at word boundaries
  to the terminal's width with a hanging indent, never cut. The picked one is marked, and what the
  prompt drew stays on the screen when it is answered, so scrollback keeps question and answer.
- Nothing is answered by accident: Enter confirms only a choice the learner picked (a number, the
  arrows or space). A "choose two" question takes exactly two; an order question takes every item
  once, and Backspace takes back the last one placed.
- Every prompt offers a skip (`s` or `?`), a flag (`f`) and, when the question has one and the
  quiz allows it, a hint (`h`). They come back as `Action`s, never as an answer. A number is typed:
  there the words `?`, `h` and `f` (alone on the line) do the same.
- With a deadline (an exam), the prompt shows the time left, updated while the learner thinks; at
  the deadline it ends by itself with `Action.TIMEUP`.
- Ctrl-C is a `KeyboardInterrupt`, never a silent `None`.
- Indexes are 0-based positions in the `choices` given (the quiz's shuffled display order).
- The scripted prompter answers from a list and records what it was asked; when the list runs out
  it raises `EOFError`, which the quiz treats like the end of piped input.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from prompt_toolkit.formatted_text import StyleAndTextTuples
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output


class Action(Enum):
    SKIP = "skip"
    HINT = "hint"
    FLAG = "flag"
    TIMEUP = "timeup"


Validator = Callable[[str], "str | None"]
Kind = Literal["single", "multi", "order", "truefalse", "number"]
Reply = int | tuple[int, ...] | str | bool | Action

SKIP_KEYS = ("s", "?")
HINT_KEY = "h"
FLAG_KEY = "f"


@dataclass(frozen=True)
class Ask:
    """What to ask: the kind, the choices (shown whole), and which actions are offered."""

    kind: Kind
    choices: tuple[str, ...] = ()
    need: int | None = None  # multi: how many to pick ("choose two")
    hint: bool = False
    flagged: bool = False
    deadline: float | None = None  # on `clock`: the prompt ends by itself then
    clock: Callable[[], float] | None = None
    warn_at: float | None = None  # seconds left from which the time is shown as short
    number_help: str = ""
    validate: Validator | None = None
    on_flag: Callable[[], bool] | None = None  # flags or unflags at once; None: Action.FLAG


def time_text(seconds: float) -> str:
    whole = max(0, int(seconds + 0.999))
    return f"{whole // 60}:{whole % 60:02d}"


class Prompter(Protocol):
    def ask(self, ask: Ask) -> Reply:
        """The learner's answer to `ask` (an index, indexes, a bool, a text) or an Action."""
        ...

    def key(
        self,
        keys: str,
        allowed: Sequence[str],
        *,
        deadline: float | None = None,
        clock: Callable[[], float] | None = None,
    ) -> str:
        """Show `keys` (what each key does) and wait for one of `allowed` (`enter` for Enter);
        `timeup` when the deadline on `clock` passes first."""
        ...

    def confirm(self, message: str, *, default: bool = False) -> bool: ...


# -- the choices, as the prompt draws them -------------------------------------------------------


@dataclass
class ChoiceState:
    """A choice prompt's state, apart from the terminal (tested on its own)."""

    ask: Ask
    cursor: int | None = None
    picked: list[int] = field(default_factory=list)  # multi: the set; order: in order
    message: str = ""
    flagged: bool = False

    def __post_init__(self) -> None:
        self.flagged = self.ask.flagged

    @property
    def count(self) -> int:
        return len(self.ask.choices)

    def press(self, key: str) -> Reply | None:
        """One key: the reply when the prompt is answered, else None (the state changed)."""
        self.message = ""
        kind = self.ask.kind
        if key in SKIP_KEYS:
            return Action.SKIP
        if key == HINT_KEY and self.ask.hint:
            return Action.HINT
        if key == FLAG_KEY:
            if self.ask.on_flag is None:
                return Action.FLAG
            self.flagged = self.ask.on_flag()
            self.message = (
                "⚑ Flagged: it comes back with studyaws quiz --flagged."
                if (self.flagged)
                else "Flag taken off."
            )
            return None
        if key.isdigit() and 1 <= int(key) <= self.count:
            self.cursor = int(key) - 1
            if kind in ("multi", "order"):
                self.pick(self.cursor)
            return None
        if key in ("down", "j", "tab"):
            self.cursor = 0 if self.cursor is None else (self.cursor + 1) % self.count
        elif key in ("up", "k", "s-tab"):
            self.cursor = self.count - 1 if self.cursor is None else (self.cursor - 1) % self.count
        elif key == "space":
            if self.cursor is None:
                self.message = "Move to a choice first (↑↓ or its number)."
            elif kind in ("multi", "order"):
                self.pick(self.cursor)
        elif key == "backspace" and kind == "order" and self.picked:
            self.picked.pop()
        elif key == "enter":
            return self.confirm()
        elif key == HINT_KEY:
            self.message = "No hint here."
        else:
            self.message = self.keys()
        return None

    def pick(self, index: int) -> None:
        if self.ask.kind == "multi":
            if index in self.picked:
                self.picked.remove(index)
            else:
                self.picked.append(index)
        elif index not in self.picked:
            self.picked.append(index)
            if len(self.picked) == self.count - 1:  # the last one can only go last
                self.picked.append(next(i for i in range(self.count) if i not in self.picked))

    def confirm(self) -> Reply | None:
        kind = self.ask.kind
        if kind in ("single", "truefalse"):
            if self.cursor is None:
                self.message = f"Pick one first: a number 1–{self.count} or ↑↓, then Enter."
                return None
            return self.cursor == 0 if kind == "truefalse" else self.cursor
        if kind == "multi":
            need = self.ask.need
            if not self.picked or (need is not None and len(self.picked) != need):
                want = f"exactly {need}" if need else "at least one"
                self.message = f"Pick {want}: you have {len(self.picked)}."
                return None
            return tuple(sorted(self.picked))
        if len(self.picked) != self.count:
            self.message = f"Place every item: {len(self.picked)} of {self.count} so far."
            return None
        return tuple(self.picked)

    def keys(self) -> str:
        parts = []
        kind = self.ask.kind
        if kind in ("single", "truefalse"):
            parts.append(f"1–{self.count} or ↑↓ pick · Enter confirm")
        elif kind == "multi":
            need = f"{self.ask.need} " if self.ask.need else ""
            parts.append(f"pick {need}(number or space) · Enter confirm")
        else:
            parts.append("numbers in order (or space) · Backspace undo · Enter confirm")
        if self.ask.hint:
            parts.append("h hint")
        parts.append("s skip")
        parts.append("f unflag" if self.flagged else "f flag")
        return " · ".join(parts)

    def status(self) -> str:
        if self.ask.kind == "multi" and self.picked:
            return "Picked: " + ", ".join(str(i + 1) for i in sorted(self.picked))
        if self.ask.kind == "order" and self.picked:
            return "Order so far: " + " → ".join(str(i + 1) for i in self.picked)
        return ""

    def lines(self, width: int) -> list[tuple[str, bool]]:
        """The choices as (line, is the cursor's), each wrapped whole with a hanging indent."""
        out: list[tuple[str, bool]] = []
        for i, text in enumerate(self.ask.choices):
            mark = "›" if i == self.cursor else " "
            box = ""
            if self.ask.kind == "multi":
                box = "[x] " if i in self.picked else "[ ] "
            elif self.ask.kind == "order":
                box = f"[{self.picked.index(i) + 1}] " if i in self.picked else "[ ] "
            head = f"{mark} {i + 1}. {box}"
            wrapped = textwrap.wrap(
                text,
                max(10, width - len(head) - 1),
                break_on_hyphens=False,
                break_long_words=True,
            ) or [""]
            out.append((head + wrapped[0], i == self.cursor))
            out.extend((" " * len(head) + rest, i == self.cursor) for rest in wrapped[1:])
        return out


# -- the terminal ---------------------------------------------------------------------------------


class TerminalPrompter:
    """The real prompts. `input`/`output` are for tests (`create_pipe_input()`, `DummyOutput()`)."""

    def __init__(self, *, input: Input | None = None, output: Output | None = None) -> None:
        self._io: dict[str, Any] = {}
        if input is not None:
            self._io["input"] = input
        if output is not None:
            self._io["output"] = output

    def ask(self, ask: Ask) -> Reply:
        if ask.kind == "number":
            return self._number(ask)
        return self._choices(ask)

    def _app(self, body: Any, bindings: Any, ask: Ask, *, focus: Any = None) -> Any:
        from prompt_toolkit.application import Application
        from prompt_toolkit.layout import Layout
        from prompt_toolkit.styles import Style

        style = Style.from_dict(
            {"cursor": "reverse", "keys": "fg:ansibrightblack", "warn": "fg:ansiyellow bold"}
        )
        app: Any = Application(
            layout=Layout(body, focused_element=focus),
            key_bindings=bindings,
            style=style,
            full_screen=False,
            erase_when_done=False,
            refresh_interval=0.5 if ask.deadline is not None else None,
            **self._io,
        )
        if ask.deadline is not None and ask.clock is not None:
            deadline, clock = ask.deadline, ask.clock

            def check_time(app: Any) -> None:
                if clock() >= deadline and not app.is_done and not app.future.done():
                    app.exit(result=Action.TIMEUP)

            app.before_render += check_time
        return app

    def _footer(
        self,
        ask: Ask,
        keys: Callable[[], str],
        extra: Callable[[], str],
        flagged: Callable[[], bool] | None = None,
    ) -> Any:
        from prompt_toolkit.application import get_app
        from prompt_toolkit.layout import Window
        from prompt_toolkit.layout.controls import FormattedTextControl

        def text() -> StyleAndTextTuples:
            if get_app().is_done:
                return []
            out: StyleAndTextTuples = []
            status = extra()
            if status:
                out.append(("", status + "\n"))
            if flagged() if flagged is not None else ask.flagged:
                out.append(("class:warn", "⚑ flagged  "))
            if ask.deadline is not None and ask.clock is not None:
                left = ask.deadline - ask.clock()
                short = ask.warn_at is not None and left <= ask.warn_at
                out.append(("class:warn" if short else "", f"⏱ {time_text(left)} left  "))
            out.append(("class:keys", keys()))
            return out

        from prompt_toolkit.filters import is_done
        from prompt_toolkit.layout import ConditionalContainer

        window = Window(FormattedTextControl(text), wrap_lines=True, dont_extend_height=True)
        return ConditionalContainer(window, filter=~is_done)

    def _choices(self, ask: Ask) -> Reply:
        from prompt_toolkit.application import get_app
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.keys import Keys
        from prompt_toolkit.layout import HSplit, Window
        from prompt_toolkit.layout.controls import FormattedTextControl

        state = ChoiceState(ask)

        def body() -> StyleAndTextTuples:
            width = get_app().output.get_size().columns
            out: StyleAndTextTuples = []
            for line, current in state.lines(width):
                out.append(("class:cursor" if current and not get_app().is_done else "", line))
                out.append(("", "\n"))
            return out[:-1]

        bindings = KeyBindings()

        def handle(name: str) -> Callable[[Any], None]:
            def press(event: Any) -> None:
                reply = state.press(name)
                if reply is not None:
                    event.app.exit(result=reply)

            return press

        names = {
            Keys.Up: "up",
            Keys.Down: "down",
            Keys.Tab: "tab",
            Keys.BackTab: "s-tab",
            Keys.Enter: "enter",
            Keys.Backspace: "backspace",
            " ": "space",
        }
        for key, name in names.items():
            bindings.add(key)(handle(name))
        for char in "0123456789jkhfs?":
            bindings.add(char)(handle(char))

        @bindings.add(Keys.ControlC)
        def _interrupt(event: Any) -> None:
            event.app.exit(exception=KeyboardInterrupt)

        @bindings.add(Keys.Any)
        def _other(event: Any) -> None:
            state.message = state.keys()

        footer = self._footer(
            ask, state.keys, lambda: state.message or state.status(), lambda: state.flagged
        )
        layout = HSplit(
            [Window(FormattedTextControl(body), wrap_lines=False, dont_extend_height=True), footer]
        )
        reply: Reply = self._app(layout, bindings, ask).run()
        return reply

    def _number(self, ask: Ask) -> Reply:
        from prompt_toolkit.buffer import Buffer
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.keys import Keys
        from prompt_toolkit.layout import HSplit, VSplit, Window
        from prompt_toolkit.layout.controls import BufferControl, FormattedTextControl

        message = [""]
        flagged = [ask.flagged]
        buffer = Buffer(multiline=False)
        bindings = KeyBindings()

        @bindings.add(Keys.Enter)
        def _enter(event: Any) -> None:
            text = buffer.text.strip()
            word = text.lower()
            if word in ("", *SKIP_KEYS, "skip"):
                event.app.exit(result=Action.SKIP)
            elif word in (HINT_KEY, "hint") and ask.hint:
                event.app.exit(result=Action.HINT)
            elif word in (FLAG_KEY, "flag"):
                if ask.on_flag is None:
                    event.app.exit(result=Action.FLAG)
                else:
                    flagged[0] = ask.on_flag()
                    message[0] = "⚑ Flagged." if flagged[0] else "Flag taken off."
                    buffer.reset()
            else:
                problem = ask.validate(text) if ask.validate is not None else None
                if problem is None:
                    event.app.exit(result=text)
                else:
                    message[0] = problem

        @bindings.add(Keys.ControlC)
        def _interrupt(event: Any) -> None:
            event.app.exit(exception=KeyboardInterrupt)

        def keys() -> str:
            parts = [ask.number_help or "a number", "Enter confirm", "? skip"]
            if ask.hint:
                parts.append("h hint")
            parts.append("f unflag" if flagged[0] else "f flag")
            return " · ".join(parts)

        control = BufferControl(buffer=buffer)
        line = VSplit(
            [
                Window(FormattedTextControl("Your answer: "), dont_extend_width=True),
                Window(control, height=1),
            ]
        )
        layout = HSplit([line, self._footer(ask, keys, lambda: message[0], lambda: flagged[0])])
        reply: Reply = self._app(layout, bindings, ask, focus=control).run()
        return reply

    def key(
        self,
        keys: str,
        allowed: Sequence[str],
        *,
        deadline: float | None = None,
        clock: Callable[[], float] | None = None,
    ) -> str:
        from prompt_toolkit.application import Application, get_app
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.keys import Keys
        from prompt_toolkit.layout import Layout, Window
        from prompt_toolkit.layout.controls import FormattedTextControl

        bindings = KeyBindings()
        for name in allowed:
            key: Any = Keys.Enter if name == "enter" else name

            def press(event: Any, name: str = name) -> None:
                event.app.exit(result=name)

            bindings.add(key)(press)

        @bindings.add(Keys.ControlC)
        def _interrupt(event: Any) -> None:
            event.app.exit(exception=KeyboardInterrupt)

        @bindings.add(Keys.Any)
        def _other(event: Any) -> None:
            return

        def text() -> StyleAndTextTuples:
            return [] if get_app().is_done else [("fg:ansibrightblack", keys)]

        window = Window(FormattedTextControl(text), wrap_lines=True, dont_extend_height=True)
        app: Any = Application(
            layout=Layout(window),
            key_bindings=bindings,
            full_screen=False,
            erase_when_done=True,
            refresh_interval=0.5 if deadline is not None else None,
            **self._io,
        )
        if deadline is not None and clock is not None:
            due, now = deadline, clock

            def check_time(app: Any) -> None:
                if now() >= due and not app.is_done and not app.future.done():
                    app.exit(result="timeup")

            app.before_render += check_time
        return str(app.run())

    def confirm(self, message: str, *, default: bool = False) -> bool:
        import questionary

        return bool(questionary.confirm(message, default=default, **self._io).unsafe_ask())


# -- tests ----------------------------------------------------------------------------------------

ScriptItem = Any


class ScriptedPrompter:
    """Answers from a script, for tests. Each item answers one prompt:

    - a choice question: a 0-based index or a choice's text (exact, else a unique substring);
      several of those in a list for multi and order; True/False for true or false;
    - a number: a string (validated as the real prompt would: an invalid one is recorded in
      `rejected` and the next item is used);
    - `key`: one of the keys offered (`enter`, `w`, `q`); when the next item is not one, the
      prompter presses Enter and leaves the item for the next question;
    - `confirm`: a bool;
    - any prompt: an `Action`, or an exception (class or instance) to raise, e.g. KeyboardInterrupt.

    The multi and order replies are checked as the real prompt checks them (a "choose two" takes
    exactly two): a reply the prompt would refuse raises AssertionError.
    """

    def __init__(self, script: Iterable[ScriptItem]) -> None:
        self.script = list(script)
        self.asked: list[Ask] = []
        self.keys_shown: list[str] = []
        self.confirms: list[str] = []
        self.rejected: list[tuple[str, str]] = []

    def _next(self) -> ScriptItem:
        if not self.script:
            raise EOFError("the script has no more answers")
        item = self.script.pop(0)
        if isinstance(item, BaseException) or (
            isinstance(item, type) and issubclass(item, BaseException)
        ):
            raise item
        return item

    @staticmethod
    def _index(item: ScriptItem, choices: Sequence[str]) -> int:
        if isinstance(item, int) and not isinstance(item, bool):
            if not 0 <= item < len(choices):
                raise AssertionError(f"index {item} out of range for {list(choices)}")
            return item
        text = str(item)
        if text in choices:
            return list(choices).index(text)
        matches = [i for i, c in enumerate(choices) if text in c]
        if len(matches) != 1:
            raise AssertionError(f"{text!r} matches {len(matches)} of {list(choices)}")
        return matches[0]

    def ask(self, ask: Ask) -> Reply:
        self.asked.append(ask)
        if ask.kind == "number":
            while True:
                item = self._next()
                if isinstance(item, Action):
                    return item
                problem = ask.validate(str(item)) if ask.validate is not None else None
                if problem is None:
                    return str(item)
                self.rejected.append((str(item), problem))
        item = self._next()
        if isinstance(item, Action):
            return item
        if ask.kind == "truefalse":
            return bool(item) if isinstance(item, bool) else self._index(item, ask.choices) == 0
        if ask.kind == "single":
            return self._index(item, ask.choices)
        picks = tuple(self._index(i, ask.choices) for i in item)
        if ask.kind == "multi":
            if ask.need is not None and len(set(picks)) != ask.need:
                raise AssertionError(f"the prompt takes exactly {ask.need} picks, not {picks}")
            return tuple(sorted(set(picks)))
        if sorted(picks) != list(range(len(ask.choices))):
            raise AssertionError(f"an order needs every item once, not {picks}")
        return picks

    def key(
        self,
        keys: str,
        allowed: Sequence[str],
        *,
        deadline: float | None = None,
        clock: Callable[[], float] | None = None,
    ) -> str:
        """The next scripted item when it is one of the keys offered; else Enter (not taken)."""
        self.keys_shown.append(keys)
        if self.script and isinstance(self.script[0], str) and self.script[0] in allowed:
            return str(self.script.pop(0))
        if self.script and (
            isinstance(self.script[0], BaseException)
            or (isinstance(self.script[0], type) and issubclass(self.script[0], BaseException))
        ):
            self._next()
        return "enter"

    def confirm(self, message: str, *, default: bool = False) -> bool:
        self.confirms.append(message)
        return bool(self._next())
