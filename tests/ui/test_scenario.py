"""`studyaws scenario`: predictions graded by the engine, remembered for review, played plain,
as JSON, listed, with their settings explained and changed (the full-screen player is in
test_scenario_live.py)."""

from __future__ import annotations

import io
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studyaws.cli import main
from studyaws.content.loader import check
from studyaws.content.model import Course
from studyaws.errors import UsageError
from studyaws.scenarios.run import run
from studyaws.ui.env import Env
from studyaws.ui.quiz import review
from studyaws.ui.scenario import PlainPlayer, Play, scenario

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def bundled() -> Course:
    course, problems = check()
    assert problems == []
    return course


@pytest.fixture
def course(bundled: Course, monkeypatch: pytest.MonkeyPatch) -> Course:
    monkeypatch.setattr("studyaws.ui.course.load", lambda env: bundled)
    return bundled


def make_env(tmp_path: Path, stdin: str = "", **kw: object) -> Env:
    return Env.for_test(stdin=stdin, data_dir=tmp_path / "home", now=lambda: NOW, **kw)  # type: ignore[arg-type]


# dlq checkpoints, in order: third-receive (choices: nothing, m1), where-is-it (choices:
# orders-dlq, orders, deleted).


def test_right_and_wrong_predictions_are_said_in_words(course: Course, tmp_path: Path) -> None:
    """The third receive still delivers the poison message (maxReceiveCount 3), the fourth
    moves it to the DLQ: the engine decides, the transcript says right or wrong."""
    env = make_env(tmp_path, stdin="2\n2\n", width=200)
    assert scenario(env, "dlq") == 0
    out = env.stdout.getvalue()
    assert "✓ Right: m1 “order 42, qty -1”" in out
    assert "✗ Wrong: you said orders; it was orders-dlq" in out
    assert "because t=93s MessageMovedToDlq orders m1" in out
    assert "(maxReceiveCount reached)" in out  # the cause in words, not its fact id
    assert "sqs_max_receive_count" not in out
    assert "maxReceiveCount is 1 to 1,000" in out  # {fact:...} filled in
    assert "1 of 2 predictions right" in out
    for words in ("the engine", "The play stops", "`"):
        assert words not in out


def test_an_unreadable_answer_is_asked_again(course: Course, tmp_path: Path) -> None:
    env = make_env(tmp_path, stdin="7\n2\n")
    scenario(env, "dlq")
    assert "“7” is not an answer here: one number, 1–2. Try again." in env.stdout.getvalue()


def test_three_unreadable_answers_skip_the_prediction(course: Course, tmp_path: Path) -> None:
    """`yes 7 | studyaws scenario dlq` must end, not ask forever."""
    env = make_env(tmp_path, stdin="7\n" * 100, width=200)
    assert scenario(env, "dlq") == 0
    out = env.stdout.getvalue()
    assert out.count("Try again") == 4  # two for each of the two checkpoints
    assert "skipped after 3 unreadable answers" in out
    assert "– Skipped. The answer: m1" in out


def test_wrong_prediction_reaches_review_through_the_cli(
    course: Course, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missed prediction becomes an fsrs card: `studyaws review` counts it, and asks it (with
    the engine's answer as the key) when it is due."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\n1\n1\n"))
    assert main(["scenario", "dlq", "--no-animate"]) == 0
    out = capsys.readouterr().out
    assert "✗ Wrong: you said nothing; it was m1" in out
    assert main(["review"]) == 0
    assert "Next: 1 question in 5 minutes" in capsys.readouterr().out

    home = Path(Env.from_process().data_dir)
    later = datetime.now(UTC) + timedelta(days=3)
    env = Env.for_test(stdin="1\n2\n1\n1\n", data_dir=home, now=lambda: later)
    assert review(env) == 0
    text = env.stdout.getvalue()
    assert "What does the third receive return?" in text
    assert "Score:" in text


def test_list_shows_topic_steps_and_done(course: Course, tmp_path: Path) -> None:
    env = make_env(tmp_path, stdin="2\n1\n")
    scenario(env, "dlq")
    listing = make_env(tmp_path)
    assert scenario(listing, None) == 0
    lines = listing.stdout.getvalue().splitlines()
    dlq = next(line for line in lines if line.startswith("dlq "))
    assert "sqs" in dlq
    assert "8 steps" in dlq
    assert "✓ done" in dlq
    assert "new" in next(line for line in lines if line.startswith("fifo "))


@pytest.mark.parametrize("width", [40, 60, 80])
def test_the_list_fits_the_width_and_keeps_every_title_whole(
    course: Course, tmp_path: Path, width: int
) -> None:
    env = make_env(tmp_path, width=width)
    assert scenario(env, None) == 0
    out = env.stdout.getvalue()
    assert all(len(line) <= width for line in out.splitlines())
    flat = " ".join(out.split())
    for s in course.scenarios.values():
        assert s.title in flat


def test_settings_are_explained_with_their_allowed_values(course: Course, tmp_path: Path) -> None:
    env = make_env(tmp_path)
    assert scenario(env, "vpc", show_settings=True) == 0
    out = " ".join(env.stdout.getvalue().split())
    assert "timeout=6: the function's timeout, in seconds (1 to 60)" in out
    assert "fix=nat: what the team changes" in out
    assert "(nat or none)" in out
    assert "--" not in out.replace("--set", "").replace("--compare", "")  # no raw CLI flag
    assert "Try: studyaws scenario vpc --set timeout=10 --compare" in out


def test_unknown_setting_is_one_line_naming_the_real_ones(course: Course, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"no setting 'retries'; settings: max-receives \(1 to 10"):
        scenario(make_env(tmp_path), "dlq", settings=("retries=5",))
    with pytest.raises(UsageError, match="whole number"):
        scenario(make_env(tmp_path), "dlq", settings=("max-receives=five",))
    with pytest.raises(UsageError, match=r"setting 'max-receives' is 1 to 10, not '11'"):
        scenario(make_env(tmp_path), "dlq", settings=("max-receives=11",))
    with pytest.raises(UsageError, match=r"setting 'fix' is nat or none, not '--nat'"):
        scenario(make_env(tmp_path), "vpc", settings=("fix=--nat",))


def test_a_word_setting_stands_for_its_flag(course: Course, tmp_path: Path) -> None:
    """`fix=none` changes nothing on the function (--vpc), so the call still times out."""
    env = make_env(tmp_path, stdin="6\n2\n", width=200)
    scenario(env, "vpc", settings=("fix=none",))
    out = env.stdout.getvalue()
    assert "$ update-function fetch --vpc" in out
    assert "✓ Right: a function error" not in out


def test_speed_must_be_a_sensible_number(course: Course, tmp_path: Path) -> None:
    for speed in (float("nan"), 0.0, 1000.0):
        with pytest.raises(UsageError, match=r"--speed must be from 0\.1 to 100"):
            scenario(make_env(tmp_path), "dlq", speed=speed)


def test_set_replays_with_one_change_and_does_not_save(course: Course, tmp_path: Path) -> None:
    env = make_env(tmp_path, stdin="2\n2\n")
    scenario(env, "dlq", settings=("max-receives=5",))
    out = env.stdout.getvalue()
    assert "settings: max-receives=5" in out
    assert "2 of 2 predictions right" in out
    assert "not saved" in out


def test_compare_shows_where_the_timelines_part(course: Course, tmp_path: Path) -> None:
    env = make_env(tmp_path, width=120)
    assert scenario(env, "dlq", settings=("max-receives=2",), compare=True) == 0
    out = env.stdout.getvalue()
    assert "A: max-receives=3" in out
    assert "B: max-receives=2" in out
    assert "The timelines part at step 4" in out
    narrow = make_env(tmp_path, width=40)
    scenario(narrow, "dlq", compare=True)
    assert all(len(line) <= 40 for line in narrow.stdout.getvalue().splitlines())


def test_json_has_the_event_log_and_both_answers(course: Course, tmp_path: Path) -> None:
    env = make_env(tmp_path, stdin="1\n")
    assert scenario(env, "dlq", json_output=True) == 0
    data = json.loads(env.stdout.getvalue())
    assert data["scenario"] == "dlq"
    assert data["events"][0]["kind"] == "QueueCreated"
    first = data["checkpoints"][0]
    assert first["id"] == "third-receive"
    assert first["given"] == "nothing"
    assert first["expected"] == "m1"
    assert first["correct"] is False
    assert data["checkpoints"][1]["expected"] == "orders-dlq"


def test_no_color_output_has_no_escape_codes(course: Course, tmp_path: Path) -> None:
    env = make_env(tmp_path, stdin="2\n", environ={"NO_COLOR": "1"})
    scenario(env, "fifo")
    assert "\x1b[" not in env.stdout.getvalue()


def test_player_keeps_quiet_when_json_is_piped(course: Course, tmp_path: Path) -> None:
    env = make_env(tmp_path)
    play = Play(env, course, run(course.scenarios["dlq"]), json_output=True)
    assert PlainPlayer(play).quiet


def test_the_quiz_asks_predictions_from_scenarios(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each checkpoint is also a `predict` question of `studyaws quiz`, keyed by the engine."""
    import json

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["quiz", "sqs", "-n", "500", "--seed", "1", "--json"]) == 0
    asked = [q["id"] for q in json.loads(capsys.readouterr().out)["questions"]]
    assert any(i.startswith("scenario:") for i in asked)
