"""How a question reads on the page: laid-out blocks kept, no raw Markdown marks, long answers."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from studyaws.content.model import Course
from studyaws.errors import UsageError
from studyaws.study.selection import pick
from studyaws.ui.env import Env
from studyaws.ui.prompts import ScriptedPrompter
from studyaws.ui.quiz import quiz

MakeEnv = Callable[..., Env]

POLICY_PROMPT = """A subscription has this filter policy; `price_usd` is a **Number** attribute.
  {
    "store": ["example_corp"],
    "price_usd": [{"numeric": [">=", 100]}]
  }
Which messages are delivered?"""


@pytest.fixture
def policy_course(sample: Course, monkeypatch: pytest.MonkeyPatch) -> Course:
    """The sample course with its visibility question reworded to hold an indented JSON block."""
    questions = tuple(
        dataclasses.replace(q, prompt=POLICY_PROMPT) if q.id == "sqs-visibility-max" else q
        for q in sample.questions
    )
    course = dataclasses.replace(sample, questions=questions)
    monkeypatch.setattr("studyaws.ui.course.load", lambda env: course)
    return course


def test_an_indented_block_in_a_prompt_keeps_its_lines(
    policy_course: Course, make_env: MakeEnv
) -> None:
    """A filter policy shown in a question must read as JSON, not as one run-on sentence."""
    env = make_env("\n")
    quiz(env, "sqs", n=1, seed=1, concept="visibility-timeout")
    out = env.stdout.getvalue()
    assert (
        "A subscription has this filter policy; price_usd is a Number attribute.\n"
        "  {\n"
        '    "store": ["example_corp"],\n'
        '    "price_usd": [{"numeric": [">=", 100]}]\n'
        "  }\n"
        "Which messages are delivered?\n"
    ) in out


def test_no_markdown_marks_reach_the_quiz(policy_course: Course, make_env: MakeEnv) -> None:
    env = make_env("\n")
    quiz(env, "sqs", n=1, seed=1, concept="visibility-timeout")
    out = env.stdout.getvalue()
    assert "`" not in out
    assert "**" not in out


def test_the_answer_to_an_order_question_is_one_step_a_line(
    sample: Course, make_env: MakeEnv
) -> None:
    """A chain of arrows is hard to follow: the right order is listed, each step with the
    number it had in the list, so "(2) 3 s" never reads as one number."""
    [presented] = pick(sample.questions, 1, 1, concept="message-lifecycle")
    wrong = " ".join(str(n) for n in range(4, 0, -1))
    env = make_env(wrong + "\n")
    quiz(env, "sqs", n=1, seed=1, concept="message-lifecycle")
    out = env.stdout.getvalue()
    n = presented.number_of
    assert (
        "  The answer:\n"
        f"    1. ({n('send')}) SendMessage\n"
        f"    2. ({n('receive')}) ReceiveMessage\n"
        f"    3. ({n('process')}) Process\n"
        f"    4. ({n('delete')}) DeleteMessage\n"
    ) in out
    assert "✗ Wrong\n  You said:\n    1. (4) " in out
    assert "→" not in out.split("✗ Wrong")[1].split("Read more")[0]


def test_you_missed_is_not_the_answer_said_twice(sample: Course, make_env: MakeEnv) -> None:
    """Only wrong picks: the answer is said once. A half-right pick hears what it missed."""
    [presented] = pick(sample.questions, 1, 1, concept="redrive")
    wrong = ",".join(str(presented.number_of(k)) for k in ("c", "d"))
    half = ",".join(str(presented.number_of(k)) for k in ("a", "c"))
    env = make_env(wrong + "\n")
    quiz(env, "sqs", n=1, seed=1, concept="redrive")
    assert "You missed" not in env.stdout.getvalue()
    env = make_env(half + "\n")
    quiz(env, "sqs", n=1, seed=1, concept="redrive")
    missed = f"({presented.number_of('b')}) maxReceiveCount decides when a message moves"
    assert f"  You missed: {missed}" in env.stdout.getvalue()


def test_ctrl_c_before_any_answer_does_not_claim_zero_answers_were_saved(
    sample: Course, make_env: MakeEnv
) -> None:
    env = make_env(tty=True, prompter=ScriptedPrompter([KeyboardInterrupt]))
    assert quiz(env, "sqs", n=2, seed=3) == 130
    out = env.stdout.getvalue()
    assert "Your 0 answers" not in out
    assert out.endswith("No answer was given, so nothing was saved.\n")


def test_a_concept_of_another_topic_says_where_it_is(sample: Course, make_env: MakeEnv) -> None:
    with pytest.raises(UsageError) as raised:
        quiz(make_env(), "sqs", n=1, seed=1, concept="fanout")
    assert str(raised.value.message) == (
        "no sqs questions on 'fanout'; it is in sns: try studyaws quiz sns --concept fanout"
    )


def test_a_concept_in_capitals_is_found(sample: Course, make_env: MakeEnv) -> None:
    env = make_env("\n")
    assert quiz(env, "sqs", n=1, seed=1, concept="Visibility-Timeout") == 0
    assert "--concept visibility-timeout" in env.stdout.getvalue()


def test_the_number_prompt_says_what_kind_of_number(sample: Course, make_env: MakeEnv) -> None:
    """At the interactive prompt as in a pipe, a numeric question says which unit it takes."""
    seed = next(
        s
        for s in range(100)
        if pick(sample.questions, 1, s, concept="visibility-timeout")[0].question.type == "numeric"
    )
    prompter = ScriptedPrompter(["12h"])
    env = make_env(tty=True, prompter=prompter)
    quiz(env, "sqs", n=1, seed=seed, concept="visibility-timeout")
    kinds = [(ask.kind, ask.number_help) for ask in prompter.asked]
    assert kinds == [("number", "a number, e.g. 90, 90s, 15m or 12h")]


def test_the_replay_line_names_the_learners_own_content(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`Same quiz again:` must work as printed, so it keeps `--content DIR`."""
    import io
    import shutil
    import sys

    from studyaws.cli import main

    mine = tmp_path / "my notes"
    shutil.copytree(Path(__file__).resolve().parents[1] / "content" / "fixtures" / "mini", mine)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["--content", str(mine), "quiz", "demo", "-n", "1", "--seed", "4"]) == 0
    out = capsys.readouterr().out
    assert f"Same quiz again:\n  studyaws --content '{mine}' quiz demo -n 1 --seed 4\n" in out


def test_review_with_only_cards_of_removed_questions_says_so(tmp_path: Path) -> None:
    """A learner's answers to questions that left the course (their notes were removed) are not
    "nothing answered yet"."""
    from datetime import UTC, datetime, timedelta

    from studyaws.ui.quiz import review

    mini = Path(__file__).resolve().parents[1] / "content" / "fixtures" / "mini"
    home = tmp_path / "home"
    first = Env.for_test(stdin="1\n", data_dir=home, content_dirs=(mini,))
    assert quiz(first, "demo", n=1, seed=1) == 0
    later = datetime.now(UTC) + timedelta(days=30)
    env = Env.for_test(data_dir=home, now=lambda: later)
    assert review(env) == 0
    assert env.stdout.getvalue() == (
        "Nothing is due now: the questions you answered are no longer in the course.\n"
    )
