"""Asking the learner: the `Prompter` protocol, questionary's adapter, and a scripted one for tests.

Rules:
- questionary (and prompt_toolkit) are imported here only, and only when a question is actually
  asked interactively: `studyaws --help` and piped quizzes never pay for them.
- `unsafe_ask()` everywhere, so Ctrl-C is a `KeyboardInterrupt` the quiz turns into its summary and
  exit 130, never a silent `None`.
- Every prompt offers a skip (`?`) and, when the question has one, a hint (`h`). They come back as
  `Action.SKIP` / `Action.HINT`, never as an answer.
- Indexes are 0-based positions in the `choices` given (the quiz's shuffled display order).
- The scripted prompter answers from a list and records what it was asked; when the list runs out
  it raises `EOFError`, which the quiz treats like the end of piped input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output


class Action(Enum):
    SKIP = "skip"
    HINT = "hint"


Validator = Callable[[str], "str | None"]

SKIP_KEY = "?"
HINT_KEY = "h"


def keys_help(*, hint: bool, multi: bool = False) -> str:
    parts = ["↑↓ move", "space pick, enter done" if multi else "enter choose"]
    if hint:
        parts.append(f"{HINT_KEY} hint")
    parts.append(f"{SKIP_KEY} skip")
    return "(" + " · ".join(parts) + ")"


class Prompter(Protocol):
    def choose(self, message: str, choices: Sequence[str], *, hint: bool) -> int | Action:
        """One of `choices` (arrow keys + enter)."""
        ...

    def choose_many(
        self, message: str, choices: Sequence[str], *, hint: bool
    ) -> tuple[int, ...] | Action:
        """Any number (at least one) of `choices` (space to pick, enter when done)."""
        ...

    def arrange(
        self, message: str, items: Sequence[str], *, hint: bool
    ) -> tuple[int, ...] | Action:
        """Every item once, in an order: picked one after another."""
        ...

    def enter(self, message: str, *, hint: bool, validate: Validator) -> str | Action:
        """A line of text; `validate` returns a problem to show, or None when the text is fine."""
        ...

    def confirm(self, message: str, *, default: bool = False) -> bool: ...


class QuestionaryPrompter:
    """The real prompts. `input`/`output` are for tests (`create_pipe_input()`, `DummyOutput()`)."""

    def __init__(self, *, input: Input | None = None, output: Output | None = None) -> None:
        self._io: dict[str, Any] = {}
        if input is not None:
            self._io["input"] = input
        if output is not None:
            self._io["output"] = output

    # questionary's question objects are untyped; keep Any at this edge only.
    def _ask(self, question: Any, *, hint: bool) -> Any:
        bindings = question.application.key_bindings

        @bindings.add(SKIP_KEY, eager=True)  # type: ignore[untyped-decorator]
        def _skip(event: Any) -> None:
            event.app.exit(result=Action.SKIP)

        if hint:

            @bindings.add(HINT_KEY, eager=True)  # type: ignore[untyped-decorator]
            def _hint(event: Any) -> None:
                event.app.exit(result=Action.HINT)

        return question.unsafe_ask()

    def choose(self, message: str, choices: Sequence[str], *, hint: bool) -> int | Action:
        import questionary

        question = questionary.select(
            message,
            choices=[questionary.Choice(title=text, value=i) for i, text in enumerate(choices)],
            instruction=keys_help(hint=hint),
            use_shortcuts=False,
            **self._io,
        )
        result = self._ask(question, hint=hint)
        return result if isinstance(result, Action) else int(result)

    def choose_many(
        self, message: str, choices: Sequence[str], *, hint: bool
    ) -> tuple[int, ...] | Action:
        import questionary

        question = questionary.checkbox(
            message,
            choices=[questionary.Choice(title=text, value=i) for i, text in enumerate(choices)],
            instruction=keys_help(hint=hint, multi=True),
            validate=lambda picked: (
                bool(picked) or f"Pick at least one (space), or {SKIP_KEY} to skip"
            ),
            **self._io,
        )
        result = self._ask(question, hint=hint)
        return result if isinstance(result, Action) else tuple(sorted(int(i) for i in result))

    def arrange(
        self, message: str, items: Sequence[str], *, hint: bool
    ) -> tuple[int, ...] | Action:
        import questionary

        order: list[int] = []
        remaining = list(range(len(items)))
        while len(remaining) > 1:
            placed = "".join(f"\n   {n}. {items[i]}" for n, i in enumerate(order, start=1))
            step = f"{message} — position {len(order) + 1} of {len(items)}:"
            question = questionary.select(
                (f"So far:{placed}\n  " if placed else "") + step,
                choices=[questionary.Choice(title=items[i], value=i) for i in remaining],
                instruction=keys_help(hint=hint and not order),
                use_shortcuts=False,
                **self._io,
            )
            result = self._ask(question, hint=hint and not order)
            if isinstance(result, Action):
                return result
            order.append(int(result))
            remaining.remove(int(result))
        return (*order, *remaining)

    def enter(self, message: str, *, hint: bool, validate: Validator) -> str | Action:
        import questionary

        def check(text: str) -> bool | str:
            word = text.strip().lower()
            if word in ("", SKIP_KEY) or (hint and word in ("h", "hint")):
                return True
            problem = validate(text)
            return True if problem is None else problem

        extra = f" ({HINT_KEY} hint, {SKIP_KEY} skip)" if hint else f" ({SKIP_KEY} skip)"
        question = questionary.text(message + extra, validate=check, **self._io)
        text = str(question.unsafe_ask())
        word = text.strip().lower()
        if word in ("", SKIP_KEY):
            return Action.SKIP
        if hint and word in ("h", "hint"):
            return Action.HINT
        return text

    def confirm(self, message: str, *, default: bool = False) -> bool:
        import questionary

        return bool(questionary.confirm(message, default=default, **self._io).unsafe_ask())


ScriptItem = Any


class ScriptedPrompter:
    """Answers from a script, for tests. Each item answers one prompt:

    - `choose`: a 0-based index, or a choice's text (exact, else a unique substring);
    - `choose_many` / `arrange`: a list or tuple of those;
    - `enter`: a string (validated as the real prompt would: an invalid one is recorded in
      `rejected` and the next item is used);
    - `confirm`: a bool;
    - any prompt: `Action.SKIP`, `Action.HINT`, or an exception (class or instance) to raise,
      e.g. `KeyboardInterrupt`.
    """

    def __init__(self, script: Iterable[ScriptItem]) -> None:
        self.script = list(script)
        self.asked: list[tuple[str, str, tuple[str, ...]]] = []
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
        if isinstance(item, int):
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

    def choose(self, message: str, choices: Sequence[str], *, hint: bool) -> int | Action:
        self.asked.append(("choose", message, tuple(choices)))
        item = self._next()
        return item if isinstance(item, Action) else self._index(item, choices)

    def choose_many(
        self, message: str, choices: Sequence[str], *, hint: bool
    ) -> tuple[int, ...] | Action:
        self.asked.append(("choose_many", message, tuple(choices)))
        item = self._next()
        if isinstance(item, Action):
            return item
        return tuple(sorted(self._index(i, choices) for i in item))

    def arrange(
        self, message: str, items: Sequence[str], *, hint: bool
    ) -> tuple[int, ...] | Action:
        self.asked.append(("arrange", message, tuple(items)))
        item = self._next()
        if isinstance(item, Action):
            return item
        return tuple(self._index(i, items) for i in item)

    def enter(self, message: str, *, hint: bool, validate: Validator) -> str | Action:
        self.asked.append(("enter", message, ()))
        while True:
            item = self._next()
            if isinstance(item, Action):
                return item
            problem = validate(str(item))
            if problem is None:
                return str(item)
            self.rejected.append((str(item), problem))

    def confirm(self, message: str, *, default: bool = False) -> bool:
        self.asked.append(("confirm", message, ()))
        return bool(self._next())
