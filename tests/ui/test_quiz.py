"""`studyaws quiz` and `review`: what a learner sees, what is remembered, and the exit status."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from studyaws.cli import main
from studyaws.content.model import Course, NumericAnswer
from studyaws.errors import UsageError
from studyaws.study.grading import Presented
from studyaws.study.selection import pick, pick_exam
from studyaws.study.store import DB_NAME
from studyaws.ui.env import Env
from studyaws.ui.prompts import Action, ScriptedPrompter
from studyaws.ui.quiz import quiz, review

MakeEnv = Callable[..., Env]


def right_reply(p: Presented) -> Any:
    """What a learner who knows the answer picks at the prompt."""
    q = p.question
    if q.type == "single":
        return p.order.index(str(q.answer))
    if q.type in ("multi", "order"):
        return [p.order.index(k) for k in q.answer]  # type: ignore[union-attr]
    if q.type == "truefalse":
        return 0 if q.answer else 1
    assert isinstance(q.answer, NumericAnswer)
    return f"{q.answer.value:g}"


def visibility_max(sample: Course) -> Presented:
    """The first (only) question of `quiz sqs -n 1 --seed 1 --concept visibility-timeout`."""
    [p] = pick(sample.questions, 1, 1, concept="visibility-timeout")
    assert p.question.id == "sqs-visibility-max"
    return p


def wrong_line(p: Presented) -> str:
    return str(p.order.index("b") + 1)  # 15 minutes


def right_line(p: Presented) -> str:
    """The same as a piped answer line (choices numbered from 1)."""
    reply = right_reply(p)
    q = p.question
    if q.type == "truefalse":
        return "t" if q.answer else "f"
    if isinstance(reply, int):
        return str(reply + 1)
    if isinstance(reply, list):
        return ",".join(str(i + 1) for i in reply)
    return str(reply)


def prompter_choices(env: Env) -> tuple[str, ...]:
    assert isinstance(env.prompter, ScriptedPrompter)
    return env.prompter.asked[0].choices


def db_rows(home: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(home / DB_NAME)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# -- interactive, through the scripted prompter ------------------------------------------------


def test_all_right_answers_score_100_and_are_remembered(
    sample: Course, make_env: MakeEnv, home: Path
) -> None:
    presented = pick(sample.questions_for("sqs"), 6, 7)
    prompter = ScriptedPrompter([right_reply(p) for p in presented])
    env = make_env(tty=True, prompter=prompter)
    assert quiz(env, "sqs", n=6, seed=7) == 0
    out = env.stdout.getvalue()
    assert out.count("✓ Correct") == 6
    assert "✗" not in out
    assert "Score: 6/6 right, 100%" in out
    assert "Same quiz again: studyaws quiz sqs -n 6 --seed 7" in out
    assert db_rows(home, "SELECT count(*), sum(correct) FROM reviews") == [(6, 6)]
    kinds = [ask.kind for ask in prompter.asked]
    assert sorted(kinds) == sorted(["single", "multi", "number", "number", "order", "truefalse"])
    assert len(prompter.keys_shown) == 6  # each feedback waited for a key


def test_a_wrong_choice_is_said_in_words_with_why_not_and_what_to_read(
    sample: Course, make_env: MakeEnv
) -> None:
    """Picking 15 minutes confuses the maximum delay with the maximum visibility timeout."""
    env = make_env(tty=True, prompter=ScriptedPrompter(["15 minutes"]))
    quiz(env, "sqs", n=1, seed=1, concept="visibility-timeout")
    out = env.stdout.getvalue()
    first = pick(sample.questions, 1, 1, concept="visibility-timeout")[0].question.id
    assert first == "sqs-visibility-max"
    assert "✗ Wrong" in out
    shown = prompter_choices(env)
    number = shown.index("12 hours") + 1
    assert f"The answer: ({number}) 12 hours" in out  # the number to pick, then the text
    picked = shown.index("15 minutes") + 1
    assert f"Why not ({picked}) 15 minutes: 15 minutes is the maximum delay (DelaySeconds)" in out
    assert "The visibility timeout ranges from 0 seconds to 12 hours." in out
    assert "Read more: studyaws learn sqs visibility" in out
    assert "Score: 0/1 right, 0%" in out


def test_the_choices_shown_are_rendered_and_shuffled_by_seed(
    sample: Course, make_env: MakeEnv
) -> None:
    prompter = ScriptedPrompter([0])
    quiz(make_env(tty=True, prompter=prompter), "sqs", n=1, seed=1, concept="visibility-timeout")
    choices = prompter.asked[0].choices
    assert sorted(choices) == ["12 hours", "15 minutes", "20 seconds"]
    assert "{fact:" not in "".join(choices)


def test_a_hint_on_request_then_a_right_answer_is_rated_hard(
    sample: Course, make_env: MakeEnv, home: Path
) -> None:
    prompter = ScriptedPrompter([Action.HINT, "12 hours"])
    env = make_env(tty=True, prompter=prompter)
    quiz(env, "sqs", n=1, seed=1, concept="visibility-timeout")
    out = env.stdout.getvalue()
    assert "Hint: Think in hours, not minutes." in out
    assert "✓ Correct" in out
    assert db_rows(home, "SELECT correct, rating, hinted FROM reviews") == [(1, 2, 1)]


def test_a_quick_right_answer_is_easy_a_slow_one_good(
    sample: Course, make_env: MakeEnv, home: Path, clock: Any
) -> None:
    quiz(
        make_env(tty=True, prompter=ScriptedPrompter(["12 hours"])),
        "sqs",
        n=1,
        seed=1,
        concept="visibility-timeout",
    )
    clock.step_s = 30
    quiz(
        make_env(tty=True, prompter=ScriptedPrompter(["12 hours"])),
        "sqs",
        n=1,
        seed=1,
        concept="visibility-timeout",
    )
    assert db_rows(home, "SELECT rating FROM reviews ORDER BY id") == [(4,), (3,)]


def test_skip_is_saved_as_not_known(sample: Course, make_env: MakeEnv, home: Path) -> None:
    env = make_env(tty=True, prompter=ScriptedPrompter([Action.SKIP]))
    quiz(env, "sqs", n=1, seed=1, concept="visibility-timeout")
    out = env.stdout.getvalue()
    assert "– Skipped (it comes back in review)." in out
    assert re.search(r"The answer: \(\d\) 12 hours", out)
    assert "Score: 0/1 right, 0% (1 skipped)" in out
    assert db_rows(home, "SELECT given, correct, rating FROM reviews") == [("null", 0, 1)]


def test_ctrl_c_prints_the_summary_keeps_answers_and_exits_130(
    sample: Course, make_env: MakeEnv, home: Path
) -> None:
    presented = pick(sample.questions_for("sqs"), 4, 3)
    prompter = ScriptedPrompter([right_reply(presented[0]), KeyboardInterrupt])
    env = make_env(tty=True, prompter=prompter)
    assert quiz(env, "sqs", n=4, seed=3) == 130
    out = env.stdout.getvalue()
    assert "Interrupted." in out
    assert "Score: 1/4 right, 25% (3 not reached)" in out
    assert "Your 1 answer so far is saved." in out
    assert db_rows(home, "SELECT question_id FROM reviews") == [(presented[0].question.id,)]


# -- plain, answers read from piped stdin --------------------------------------------------------


def test_piped_quiz_prints_numbered_choices_and_reads_lines(
    sample: Course, make_env: MakeEnv
) -> None:
    presented = pick(sample.questions_for("sqs"), 6, 7)
    env = make_env("\n".join(right_line(p) for p in presented) + "\n")
    assert quiz(env, "sqs", n=6, seed=7) == 0
    out = env.stdout.getvalue()
    assert "Quiz: sqs, 6 questions · seed 7" in out
    assert "Question 1/6 · sqs ·" in out
    assert "  1. " in out
    assert out.count("✓ Correct") == 6
    assert "Score: 6/6 right, 100%" in out
    assert "\x1b[" not in out


def test_same_seed_same_transcript(sample: Course, make_env: MakeEnv) -> None:
    """The same seed asks the same questions with the same choice order; another seed doesn't.
    (It once passed when the quiz asked nothing: each transcript must ask three questions.)"""
    outs = []
    for seed in (42, 42, 43):
        env = make_env("\n\n\n")
        quiz(env, "all", n=3, seed=seed)
        outs.append(env.stdout.getvalue().replace(f"seed {seed}", "seed S"))
    assert all(out.count("Question ") == 3 for out in outs)
    assert outs[0] == outs[1]
    assert outs[0] != outs[2]


def test_a_bad_line_is_said_once_and_asked_again(sample: Course, make_env: MakeEnv) -> None:
    env = make_env(f"9\nthree\n{right_line(visibility_max(sample))}\n")
    quiz(env, "sqs", n=1, seed=1, concept="visibility-timeout")
    out = env.stdout.getvalue()
    assert out.count("“9” is not an answer here: one number, 1–3. Try again.") == 1
    assert out.count("“three” is not an answer here") == 1
    assert out.count("Answer [") == 3
    assert "✓ Correct" in out


def test_end_of_input_skips_the_rest_and_summarises(
    sample: Course, make_env: MakeEnv, home: Path
) -> None:
    presented = pick(sample.questions_for("sqs"), 5, 11)
    env = make_env(right_line(presented[0]) + "\n")
    assert quiz(env, "sqs", n=5, seed=11) == 0
    assert "Score: 1/5 right, 20% (4 not reached)" in env.stdout.getvalue()
    assert db_rows(home, "SELECT count(*) FROM reviews") == [(1,)]


def test_json_prints_exactly_the_result(sample: Course, make_env: MakeEnv) -> None:
    presented = pick(sample.questions_for("sqs"), 3, 5)
    lines = [right_line(presented[0]), "", "bad", right_line(presented[2])]
    env = make_env("\n".join(lines) + "\n")
    assert quiz(env, "sqs", n=3, seed=5, json_output=True) == 0
    data = json.loads(env.stdout.getvalue())
    assert list(data) == ["mode", "topic", "seed", "total", "correct", "saved", "questions"]
    assert (data["mode"], data["topic"], data["seed"]) == ("quiz", "sqs", 5)
    assert (data["total"], data["correct"]) == (3, 2)
    keys = ["id", "given", "expected", "given_key", "expected_key", "correct", "late", "flagged"]
    assert [list(q) for q in data["questions"]] == [keys] * 3
    assert [q["id"] for q in data["questions"]] == [p.question.id for p in presented]
    assert data["questions"][1]["given"] is None
    first = data["questions"][0]
    assert first["given"] == first["expected"]  # the text a person answered, "(2) …"
    assert (
        first["given"].startswith("(")
        or first["given"][0].isdigit()
        or first["given"]
        in (
            "True",
            "False",
        )
    )
    assert [q["correct"] for q in data["questions"]] == [True, False, True]
    assert "“bad” is not an answer here" in env.stderr.getvalue()


def test_readable_at_40_columns(sample: Course, make_env: MakeEnv) -> None:
    env = make_env("1\n2\n1 2 3 4\nt\n5m\n\n", width=40)
    quiz(env, "sqs", n=6, seed=2)
    lines = env.stdout.getvalue().splitlines()
    too_wide = [line for line in lines if len(line) > 40 and not line.startswith("Answer [")]
    assert too_wide == []
    assert all(line == line.rstrip() for line in lines if not line.startswith("Answer ["))


# -- exam ----------------------------------------------------------------------------------------


def test_exam_gives_no_feedback_until_the_end_then_a_report(
    sample: Course, make_env: MakeEnv
) -> None:
    presented = pick_exam(sample.questions_for("sqs"), 3, 9)
    lines = [right_line(presented[0]), "", right_line(presented[2])]
    env = make_env("\n".join(lines) + "\n")
    quiz(env, "sqs", n=3, seed=9, exam=True)
    out = env.stdout.getvalue()
    asking, _, report = out.partition("Your answers")
    assert "Timed: 6 minutes in all. No hints" in asking  # the exam's pace: 2 minutes a question
    assert "⏱ 6:00 left" in asking
    assert "Correct" not in asking
    assert "Wrong" not in asking
    assert report.count("✓ Correct") == 2
    assert "By topic" in report
    assert "2/3  67%  sqs" in report
    assert "By concept, weakest first" in report


def test_exam_time_runs_out(sample: Course, make_env: MakeEnv, clock: Any) -> None:
    clock.step_s = 100  # each read of the timer: 100 s later (a very slow learner)
    env = make_env("1\n1\n1\n")
    quiz(env, "sqs", n=2, seed=9, exam=True)
    out = env.stdout.getvalue()
    assert "Time is up." in out
    assert "Score: 0/2 right" in out


# -- review ----------------------------------------------------------------------------------------


def test_review_before_any_quiz(sample: Course, make_env: MakeEnv) -> None:
    env = make_env()
    assert review(env) == 0
    assert "Nothing to review yet" in env.stdout.getvalue()


def test_a_miss_comes_back_in_review_within_minutes(
    sample: Course, make_env: MakeEnv, clock: Any
) -> None:
    env = make_env(wrong_line(visibility_max(sample)) + "\n")
    quiz(env, "sqs", n=1, seed=1, concept="visibility-timeout")
    env = make_env()
    review(env)
    assert "Nothing is due now. Next: 1 question in 5 minutes" in env.stdout.getvalue()
    assert "studyaws review --ahead 5m" in env.stdout.getvalue()
    clock.advance(minutes=6)
    env = make_env("\n")
    assert review(env) == 0
    out = env.stdout.getvalue()
    assert "Review: 1 question, most overdue first." in out
    assert "A consumer needs up to 10 hours per message." in out


def test_review_most_overdue_first(sample: Course, make_env: MakeEnv, clock: Any) -> None:
    quiz(make_env("1\n"), "sqs", n=1, seed=1, concept="visibility-timeout")
    first = "sqs-visibility-max"
    clock.advance(minutes=2)
    quiz(make_env("1\n"), "sns", n=1, seed=1)
    clock.advance(days=3)
    env = make_env("\n\n", width=200)
    review(env, json_output=True)
    ids = [q["id"] for q in json.loads(env.stdout.getvalue())["questions"]]
    assert ids == [first, "sns-fanout"]


# -- errors and the real CLI entry -----------------------------------------------------------------


def test_unknown_topic_names_the_real_ones(sample: Course, make_env: MakeEnv) -> None:
    with pytest.raises(UsageError, match=r"unknown topic 'ec2'; topics: sqs, sns, all"):
        quiz(make_env(), "ec2")


def test_unknown_concept_names_the_real_ones(sample: Course, make_env: MakeEnv) -> None:
    with pytest.raises(UsageError, match=r"unknown concept 'vis'.*visibility-timeout"):
        quiz(make_env(), "sqs", concept="vis")


def test_cli_unknown_topic_is_one_line_and_exit_2(
    sample: Course, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["quiz", "ec2"]) == 2
    err = capsys.readouterr().err
    assert err == "studyaws: error: unknown topic 'ec2'; topics: sqs, sns, all\n"


def test_cli_piped_quiz_in_process(
    sample: Course, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(right_line(visibility_max(sample)) + "\n"))
    assert main(["quiz", "sqs", "-n", "1", "--seed", "1", "--concept", "visibility-timeout"]) == 0
    out = capsys.readouterr().out
    assert "✓ Correct" in out


def test_cli_quiz_all_mixes_topics(
    sample: Course, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["quiz", "all", "-n", "7", "--seed", "4", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {q["id"].split("-")[0] for q in data["questions"]} == {"sqs", "sns"}
