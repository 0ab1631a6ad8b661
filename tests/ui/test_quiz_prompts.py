"""questionary's adapter, driven through prompt_toolkit's pipe input: the keys a learner presses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from studyaws.ui.prompts import Action, QuestionaryPrompter

DOWN = "\x1b[B"
ENTER = "\r"
CHOICES = ["15 minutes", "12 hours", "20 seconds"]


def press(keys: str, ask: Callable[[QuestionaryPrompter], Any]) -> Any:
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        return ask(QuestionaryPrompter(input=pipe, output=DummyOutput()))


def test_select_with_arrow_keys() -> None:
    assert press(DOWN + ENTER, lambda p: p.choose("?", CHOICES, hint=True)) == 1


def test_question_mark_skips_and_h_asks_for_the_hint() -> None:
    assert press("?", lambda p: p.choose("m", CHOICES, hint=True)) is Action.SKIP
    assert press("h", lambda p: p.choose("m", CHOICES, hint=True)) is Action.HINT
    assert press("?", lambda p: p.choose_many("m", CHOICES, hint=False)) is Action.SKIP


def test_space_picks_several() -> None:
    keys = " " + DOWN + DOWN + " " + ENTER
    assert press(keys, lambda p: p.choose_many("m", CHOICES, hint=False)) == (0, 2)


def test_ordering_by_picking_one_after_another() -> None:
    keys = DOWN + DOWN + ENTER + ENTER  # third item first, then the first of the rest
    assert press(keys, lambda p: p.arrange("m", ["a", "b", "c"], hint=False)) == (2, 0, 1)


@pytest.mark.parametrize(
    ("keys", "reply"), [("12h\r", "12h"), ("?\r", Action.SKIP), ("h\r", Action.HINT)]
)
def test_text_answers(keys: str, reply: object) -> None:
    assert press(keys, lambda p: p.enter("m", hint=True, validate=lambda _t: None)) == reply


def test_confirm() -> None:
    assert press("y", lambda p: p.confirm("Forget?")) is True
    assert press("n", lambda p: p.confirm("Forget?")) is False


def test_ctrl_c_is_a_keyboard_interrupt_not_none() -> None:
    with pytest.raises(KeyboardInterrupt):
        press("\x03", lambda p: p.choose("m", CHOICES, hint=False))
