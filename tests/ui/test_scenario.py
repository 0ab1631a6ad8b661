"""`studyaws scenario`: predictions graded by the engine, remembered for review, played plain,
animated (with a recording sleep), as JSON, and with changed settings."""

from __future__ import annotations

import io
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console

from studyaws.cli import main
from studyaws.content.loader import check
from studyaws.content.model import Course
from studyaws.errors import UsageError
from studyaws.scenarios.run import run
from studyaws.ui.env import Env
from studyaws.ui.prompts import ScriptedPrompter
from studyaws.ui.quiz import review
from studyaws.ui.scenario import Player, _View, render_view, scenario

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


# dlq checkpoints, in order: third-receive (choices: nothing, m1), moved-now (a number),
# where-is-it (choices: orders-dlq, orders, deleted).


def test_right_and_wrong_predictions_are_said_in_words(course: Course, tmp_path: Path) -> None:
    """The third receive still delivers the poison message (maxReceiveCount 3), the fourth
    moves it to the DLQ: the engine decides, the transcript says right or wrong."""
    env = make_env(tmp_path, stdin="2\n0\n1\n")
    assert scenario(env, "dlq") == 0
    out = env.stdout.getvalue()
    assert "✓ Right: m1 “order 42, qty -1”" in out
    assert "✗ Wrong: you said 0; the engine says: 1" in out
    assert "because t=93s MessageMovedToDlq orders m1" in out
    assert "(sqs_max_receive_count)" in out
    assert "maxReceiveCount is 1 to 1,000" in out  # {fact:...} filled in
    assert "2 of 3 predictions right" in out


def test_an_unreadable_answer_is_asked_again(course: Course, tmp_path: Path) -> None:
    env = make_env(tmp_path, stdin="7\n2\n")
    scenario(env, "dlq")
    assert "“7” is not an answer here: one number, 1–2. Try again." in env.stdout.getvalue()


def test_wrong_prediction_reaches_review_through_the_cli(
    course: Course, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missed prediction becomes an fsrs card: `studyaws review` counts it, and asks it (with
    the engine's answer as the key) when it is due."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\n1\n1\n"))
    assert main(["scenario", "dlq", "--no-animate"]) == 0
    out = capsys.readouterr().out
    assert "✗ Wrong: you said nothing; the engine says: m1" in out
    assert main(["review"]) == 0
    assert "Next: 1 question tomorrow" in capsys.readouterr().out

    home = Path(Env.from_process().data_dir)
    later = datetime.now(UTC) + timedelta(days=3)
    env = Env.for_test(stdin="1\n2\n1\n", data_dir=home, now=lambda: later)
    assert review(env) == 0
    text = env.stdout.getvalue()
    assert "What does the third receive return?" in text
    assert "Score:" in text


def test_list_shows_topic_steps_and_done(course: Course, tmp_path: Path) -> None:
    env = make_env(tmp_path, stdin="2\n1\n1\n")
    scenario(env, "dlq")
    listing = make_env(tmp_path)
    assert scenario(listing, None) == 0
    lines = listing.stdout.getvalue().splitlines()
    dlq = next(line for line in lines if line.startswith("dlq "))
    assert "sqs" in dlq
    assert "8 steps" in dlq
    assert "✓ done" in dlq
    assert "new" in next(line for line in lines if line.startswith("fifo "))


def test_unknown_setting_is_one_line_naming_the_real_ones(course: Course, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"no setting 'retries'; settings: max-receives"):
        scenario(make_env(tmp_path), "dlq", settings=("retries=5",))
    with pytest.raises(UsageError, match="whole number"):
        scenario(make_env(tmp_path), "dlq", settings=("max-receives=five",))


def test_set_replays_with_one_change_and_does_not_save(course: Course, tmp_path: Path) -> None:
    env = make_env(tmp_path, stdin="2\n0\n2\n")
    scenario(env, "dlq", settings=("max-receives=5",))
    out = env.stdout.getvalue()
    assert "settings: max-receives=5" in out
    assert "3 of 3 predictions right" in out
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
    assert data["checkpoints"][1]["expected"] == 1


def test_animated_play_paces_with_the_injected_sleep(course: Course, tmp_path: Path) -> None:
    """On a terminal the play is animated: each event waits one beat through env.sleep (here a
    recorder), faster with --speed; checkpoints go through the prompter."""
    waits: list[float] = []
    env = make_env(tmp_path, tty=True, width=100)
    env.sleep = waits.append
    env.prompter = ScriptedPrompter(["m1", "1", "orders-dlq"])
    assert scenario(env, "dlq", speed=2.0) == 0
    timeline = run(course.scenarios["dlq"])  # type: ignore[arg-type]
    step_events = sum(len(s.events) for s in timeline.steps)
    assert len([w for w in waits if w == 0.35]) == step_events
    out = env.stdout.getvalue()
    assert "3 of 3 predictions right" in out
    assert "last events:" in out


def test_ctrl_c_stops_cleanly_with_130(course: Course, tmp_path: Path) -> None:
    env = make_env(tmp_path, tty=True)
    env.prompter = ScriptedPrompter([KeyboardInterrupt])
    assert scenario(env, "dlq") == 130
    assert "Interrupted." in env.stdout.getvalue()


def test_no_color_output_has_no_escape_codes(course: Course, tmp_path: Path) -> None:
    env = make_env(tmp_path, stdin="2\n", environ={"NO_COLOR": "1"})
    scenario(env, "fifo")
    assert "\x1b[" not in env.stdout.getvalue()


@pytest.mark.parametrize("width", [40, 120])
def test_a_frame_renders_within_the_width(course: Course, width: int) -> None:
    timeline = run(course.scenarios["fifo"])  # type: ignore[arg-type]
    view = _View()
    step = timeline.steps[5]
    view.step = step
    view.frame = step.lines[-1].frames[-1]
    view.say = "Step 6/7 · After 31 s consumer 1 is back and polls."
    for event in step.events:
        view.recent.append(event)
    view.at_ms = step.events[-1].at_ms
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(render_view(timeline, view, width, color=False))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert text.startswith("t=31s · fifo")
    assert "orders.fifo" in text
    assert "m1" in text
    assert "MessageReceived" in text
    assert all(len(line.rstrip()) <= width for line in text.splitlines())


def test_player_keeps_quiet_when_json_is_piped(course: Course, tmp_path: Path) -> None:
    env = make_env(tmp_path)
    player = Player(env, course, run(course.scenarios["dlq"]), json_output=True)  # type: ignore[arg-type]
    assert player.quiet


def test_the_quiz_asks_predictions_from_scenarios(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each checkpoint is also a `predict` question of `studyaws quiz`, keyed by the engine."""
    import json

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["quiz", "sqs", "-n", "500", "--seed", "1", "--json"]) == 0
    asked = [q["id"] for q in json.loads(capsys.readouterr().out)["questions"]]
    assert any(i.startswith("scenario:") for i in asked)
