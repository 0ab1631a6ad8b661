"""`studyaws progress`: mastery, due, streak, weakest, history; export/import; reset."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from studyaws.cli import main
from studyaws.content.model import Course
from studyaws.errors import UsageError
from studyaws.ui.env import Env
from studyaws.ui.progress import progress
from studyaws.ui.prompts import ScriptedPrompter
from studyaws.ui.quiz import quiz

MakeEnv = Callable[..., Env]


def take_quiz(make_env: MakeEnv, topic: str = "sqs", answers: str = "1\n1\n1\n1\n1\n1\n") -> None:
    quiz(make_env(answers), topic, n=6, seed=7)


def test_no_answers_yet(sample: Course, make_env: MakeEnv) -> None:
    env = make_env()
    assert progress(env) == 0
    assert env.stdout.getvalue() == "No answers yet. Start with: studyaws quiz sqs\n"


def test_the_view_after_a_quiz(sample: Course, make_env: MakeEnv, clock: Any) -> None:
    take_quiz(make_env)
    clock.advance(days=1)
    take_quiz(make_env, "sns", "1\n")
    env = make_env()
    progress(env)
    out = env.stdout.getvalue()
    assert "Progress: " in out
    assert "streak 2 days" in out
    assert "Mastery by topic" in out
    assert "sqs" in out
    assert "sns" in out
    assert "█" in out or "░" in out
    assert "Mastery by concept" in out
    assert "Last 30 days" in out
    assert "\x1b[" not in out


def test_json(sample: Course, make_env: MakeEnv) -> None:
    take_quiz(make_env)
    env = make_env()
    progress(env, json_output=True)
    data = json.loads(env.stdout.getvalue())
    assert data["answered"] >= 1
    assert {t["topic"] for t in data["topics"]} == {"sqs", "sns"}
    assert len(data["history"]) == 30
    assert set(data) >= {"due_now", "due_week", "streak_days", "weakest", "concepts"}


def test_readable_at_40_columns(sample: Course, make_env: MakeEnv) -> None:
    """Every line fits, but a command to copy, which stays whole on a line of its own."""
    take_quiz(make_env)
    env = make_env(width=40)
    progress(env)
    lines = env.stdout.getvalue().splitlines()
    command = re.compile(r" *studyaws quiz [a-z]+ --concept [a-z-]+")
    assert [line for line in lines if len(line) > 40 and not command.fullmatch(line)] == []


def test_export_then_import_on_another_machine(
    sample: Course, make_env: MakeEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    take_quiz(make_env)
    file = tmp_path / "progress.json"
    env = make_env()
    assert progress(env, export=file) == 0
    assert re.fullmatch(r"Wrote \d+ cards and \d+ answers to .*\.\n", env.stdout.getvalue())
    exported = json.loads(file.read_text())
    other = make_env()
    other.data_dir = tmp_path / "other-machine"
    assert progress(other, import_=file) == 0
    assert "Imported" in other.stdout.getvalue()
    again = make_env()
    again.data_dir = tmp_path / "other-machine"
    progress(again, json_output=True)
    assert json.loads(again.stdout.getvalue())["answered"] == len(exported["reviews"])


def test_import_of_a_bad_file_is_one_line_exit_1(
    sample: Course, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    assert main(["progress", "--import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("studyaws: error: ")
    assert "is not JSON" in err
    assert err.count("\n") == 1


def test_reset_needs_yes_without_a_terminal(sample: Course, make_env: MakeEnv) -> None:
    take_quiz(make_env)
    with pytest.raises(UsageError, match="add --yes"):
        progress(make_env(), reset="sqs")
    env = make_env()
    assert progress(env, reset="sqs", yes=True) == 0
    assert "Forgot your progress on sqs" in env.stdout.getvalue()
    env = make_env()
    progress(env)
    assert "No answers yet" in env.stdout.getvalue()


def test_reset_asks_on_a_terminal(sample: Course, make_env: MakeEnv) -> None:
    take_quiz(make_env)
    prompter = ScriptedPrompter([False])
    env = make_env(tty=True, prompter=prompter)
    progress(env, reset="all")
    assert prompter.confirms == ["Forget all your progress? This can't be undone."]
    assert "Nothing was reset." in env.stdout.getvalue()
    env = make_env(tty=True, prompter=ScriptedPrompter([True]))
    progress(env, reset="all")
    assert "Forgot all your progress" in env.stdout.getvalue()


def test_reset_of_an_unknown_topic(sample: Course, make_env: MakeEnv) -> None:
    with pytest.raises(UsageError, match="unknown topic 'ec2'"):
        progress(make_env(), reset="ec2", yes=True)


def test_one_action_at_a_time(sample: Course, make_env: MakeEnv, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="one of --export, --reset"):
        progress(make_env(), export=tmp_path / "x.json", reset="all")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"stability": "x"}, "not an fsrs card"),
        ({"state": 99}, "not an fsrs card"),
        ({"due": "2026-03-05T09:00:00", "last_review": "2026-03-02T09:00:00"}, "UTC time"),
        ({"stability": float("nan")}, "positive number"),
    ],
)
def test_import_of_a_damaged_card_is_refused_and_the_quiz_still_works(
    sample: Course,
    make_env: MakeEnv,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    change: dict[str, object],
    problem: str,
) -> None:
    """A hand-edited export used to be stored as is, then crash every quiz and `progress`."""
    take_quiz(make_env)
    file = tmp_path / "progress.json"
    progress(make_env(), export=file)
    data = json.loads(file.read_text())
    data["cards"][0]["card"].update(change)
    file.write_text(json.dumps(data))
    monkeypatch.setenv("STUDYAWS_HOME", str(tmp_path / "other-machine"))
    assert main(["progress", "--import", str(file)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f'studyaws: error: {file}: cards[0]: "card" is unusable: ')
    assert problem in err
    assert err.count("\n") == 1
    assert main(["progress", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["answered"] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n"))
    assert main(["quiz", "sqs", "-n", "1", "--seed", "7"]) == 0  # nothing half-imported


def test_import_refuses_a_rating_out_of_range(
    sample: Course, make_env: MakeEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    take_quiz(make_env)
    file = tmp_path / "progress.json"
    progress(make_env(), export=file)
    data = json.loads(file.read_text())
    data["reviews"][0]["rating"] = 17
    file.write_text(json.dumps(data))
    assert main(["progress", "--import", str(file)]) == 1
    assert 'reviews[0]: needs "correct" (bool) and "rating" (1–4)' in capsys.readouterr().err


def test_weakest_concepts_say_what_to_run_on_a_line_of_its_own(
    sample: Course, make_env: MakeEnv
) -> None:
    """The command to practise is never cut in two, even at 40 columns (it is copied)."""
    take_quiz(make_env, answers="\n\n\n\n\n\n")  # every question skipped: all missed
    env = make_env(width=40)
    progress(env)
    out = env.stdout.getvalue()
    weakest = out.split("Weakest concepts\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert weakest[0].startswith("  1. ")
    first = weakest[: weakest.index(next(w for w in weakest if "studyaws quiz" in w)) + 1]
    assert " ".join(line.strip() for line in first[:-1]).endswith(" recalled now")
    assert all(line.startswith("     ") for line in first[1:])  # wrapped under the name
    assert re.fullmatch(r"     studyaws quiz sqs --concept [a-z-]+", first[-1])
    assert all(len(line) <= 40 for line in weakest if "studyaws quiz" not in line)


def test_a_topic_counts_the_questions_its_quiz_can_ask(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scenario predictions are asked by `quiz sqs` too: counted from the start, so "seen of N"
    doesn't grow when the learner first meets one."""
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["quiz", "sqs", "-n", "1000", "--json"]) == 0
    pool = json.loads(capsys.readouterr().out)["total"]
    assert main(["progress", "--json"]) == 0
    topics = {t["topic"]: t for t in json.loads(capsys.readouterr().out)["topics"]}
    assert topics["sqs"]["questions"] == pool
