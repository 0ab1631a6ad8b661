"""The terminal prompts, driven through prompt_toolkit's pipe input: the keys a learner presses,
and what the prompt draws (every choice whole, wrapped at the terminal's width)."""

from __future__ import annotations

from typing import Any

import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from studyaws.ui.prompts import Action, Ask, ChoiceState, TerminalPrompter

DOWN = "\x1b[B"
UP = "\x1b[A"
ENTER = "\r"
BACKSPACE = "\x7f"
CHOICES = ("15 minutes", "12 hours", "20 seconds")


def press(keys: str, ask: Ask) -> Any:
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        return TerminalPrompter(input=pipe, output=DummyOutput()).ask(ask)


def test_a_number_picks_and_enter_confirms() -> None:
    assert press("2" + ENTER, Ask("single", CHOICES)) == 1


def test_enter_alone_never_answers() -> None:
    """An Enter pressed for the next question must not pick the first choice."""
    assert press(ENTER + ENTER + DOWN + DOWN + ENTER, Ask("single", CHOICES)) == 1


def test_arrow_keys_move_and_wrap() -> None:
    assert press(UP + ENTER, Ask("single", CHOICES)) == 2


def test_skip_hint_and_flag_are_actions() -> None:
    assert press("s", Ask("single", CHOICES, hint=True)) is Action.SKIP
    assert press("?", Ask("single", CHOICES, hint=True)) is Action.SKIP
    assert press("h", Ask("single", CHOICES, hint=True)) is Action.HINT
    assert press("f", Ask("multi", CHOICES, need=2)) is Action.FLAG


def test_h_without_a_hint_does_nothing() -> None:
    assert press("h2" + ENTER, Ask("single", CHOICES, hint=False)) == 1


def test_choose_two_takes_exactly_two() -> None:
    """Three picks for a "choose two" are refused; taking one back makes it two."""
    keys = "123" + ENTER + "3" + ENTER
    assert press(keys, Ask("multi", CHOICES, need=2)) == (0, 1)


def test_space_picks_the_choice_under_the_cursor() -> None:
    keys = DOWN + " " + DOWN + " " + ENTER
    assert press(keys, Ask("multi", CHOICES, need=2)) == (0, 1)


def test_an_order_is_picked_one_after_another_and_backspace_undoes() -> None:
    # 3, then 1 by mistake, take it back, 2, 1: the last one goes last by itself.
    keys = "31" + BACKSPACE + "21" + ENTER
    assert press(keys, Ask("order", ("a", "b", "c", "d"))) == (2, 1, 0, 3)


def test_true_or_false() -> None:
    assert press("2" + ENTER, Ask("truefalse", ("True", "False"))) is False
    assert press("1" + ENTER, Ask("truefalse", ("True", "False"))) is True


@pytest.mark.parametrize(
    ("keys", "reply"),
    [("12h\r", "12h"), ("?\r", Action.SKIP), ("\r", Action.SKIP), ("h\r", Action.HINT)],
)
def test_number_answers(keys: str, reply: object) -> None:
    ask = Ask("number", hint=True, validate=lambda _t: None)
    assert press(keys, ask) == reply


def test_a_number_that_does_not_read_is_asked_again() -> None:
    ask = Ask("number", validate=lambda t: None if t.isdigit() else "a number, please")
    assert press("abc\r" + "\x7f" * 3 + "42\r", ask) == "42"


def test_the_exam_prompt_ends_by_itself_at_its_deadline() -> None:
    clock = iter([0.0, 0.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0])
    ask = Ask("single", CHOICES, deadline=1.0, clock=lambda: next(clock, 5.0))
    with create_pipe_input() as pipe:  # nothing is typed
        reply = TerminalPrompter(input=pipe, output=DummyOutput()).ask(ask)
    assert reply is Action.TIMEUP


def test_confirm() -> None:
    with create_pipe_input() as pipe:
        pipe.send_text("y")
        assert TerminalPrompter(input=pipe, output=DummyOutput()).confirm("Forget?") is True


def test_ctrl_c_is_a_keyboard_interrupt_not_none() -> None:
    with pytest.raises(KeyboardInterrupt):
        press("\x03", Ask("single", CHOICES))


def test_a_key_after_the_feedback() -> None:
    with create_pipe_input() as pipe:
        pipe.send_text("xw")
        prompter = TerminalPrompter(input=pipe, output=DummyOutput())
        assert prompter.key("Enter next · w why not", ["enter", "w"]) == "w"


@pytest.mark.parametrize("width", [40, 60, 80])
def test_every_choice_is_drawn_whole_at_any_width(width: int) -> None:
    """A long choice wraps at word boundaries under itself; no word is lost or cut."""
    long = (
        "Lambda retries the batch with exponential backoff (1 second up to 5 minutes) until "
        "the record expires or the maximum retry attempts are reached"
    )
    state = ChoiceState(Ask("single", ("short", long)))
    state.press("2")
    lines = state.lines(width)
    assert all(len(line) <= width for line, _ in lines)
    drawn = " ".join(line[5:].strip() for line, _ in lines[1:])
    assert drawn == long
    assert lines[1][1]  # the picked one is marked (its lines drawn as the cursor's)
    assert lines[1][0].startswith("› 2. ")
    assert lines[2][0].startswith("     ")  # the hanging indent


def test_dummy_size_is_the_pipe_default() -> None:
    assert DummyOutput().get_size() == Size(rows=40, columns=80)
