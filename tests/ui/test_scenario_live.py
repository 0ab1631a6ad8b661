"""The full-screen scenario player, driven by keys as a learner would, on a recording terminal.

Every bundled scenario is played at 80×24 and 60×20 with every prediction answered right: each
screen fits (no line wider than the terminal, none cut with "…"), each verdict is still on screen
when the player waits for the next key, and the transcript printed after the play holds every
step's narration. The keys are scripted, so no test waits: `ScriptedKeys.waited` adds up how long
a real play would have paused (the `--auto` budget is checked on it).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studyaws.content.loader import check
from studyaws.content.model import Course
from studyaws.scenarios.run import Timeline, run
from studyaws.ui.env import Env
from studyaws.ui.keys import ScriptedKeys
from studyaws.ui.scenario import Play
from studyaws.ui.scenario_live import LivePlayer, RecordingTerminal

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NAMES = sorted(
    p.stem for p in (Path(__file__).resolve().parents[2] / "content/scenarios").glob("*.yaml")
)


@pytest.fixture(scope="module")
def bundled() -> Course:
    course, problems = check()
    assert problems == []
    return course


def plain_text(env: Env) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", env.stdout.getvalue())


def right_keys(timeline: Timeline) -> list[list[str]]:
    """For each checkpoint, the keys that answer it right: a number and Enter."""
    out = []
    for step in timeline.steps:
        answer = step.answer
        if answer is None:
            continue
        if answer.numeric:
            number = float(answer.value)
            typed = str(int(number)) if number.is_integer() else f"{number:g}"
            out.append([*typed, "enter"])
        else:
            out.append([str(answer.choices.index(str(answer.value)) + 1), "enter"])
    return out


def play(
    bundled: Course,
    name: str,
    keys: list[str],
    *,
    width: int = 80,
    height: int = 24,
    tmp_path: Path | None = None,
    **kw: object,
) -> tuple[Play, RecordingTerminal, ScriptedKeys, Env, int]:
    env = Env.for_test(
        tty=True,
        width=width,
        data_dir=(tmp_path / "home") if tmp_path else Path("/nonexistent-studyaws"),
        now=lambda: NOW,
    )
    timeline = run(bundled.scenarios[name])
    the_play = Play(env, bundled, timeline)
    if tmp_path is None:
        the_play.saving = False
    terminal = RecordingTerminal(width, height)
    scripted = ScriptedKeys(keys, screen=lambda: terminal.last)
    status = LivePlayer(the_play, keys=scripted, terminal=terminal, **kw).run()  # type: ignore[arg-type]
    return the_play, terminal, scripted, env, status


def full_play_keys(timeline: Timeline) -> list[str]:
    """Enter through the story, each step and verdict; the right answer at each checkpoint."""
    answers = iter(right_keys(timeline))
    keys = ["enter"]  # the story
    for step in timeline.steps:
        if step.checkpoint is not None:
            keys += next(answers)
        keys.append("enter")  # after the step (or its verdict)
    keys.append("enter")  # the summary
    return keys


@pytest.mark.parametrize(("width", "height"), [(80, 24), (60, 20)])
@pytest.mark.parametrize("name", NAMES)
def test_every_scenario_fits_and_keeps_each_verdict_until_a_key(
    name: str, width: int, height: int, bundled: Course
) -> None:
    timeline = run(bundled.scenarios[name])
    the_play, terminal, keys, env, status = play(
        bundled, name, full_play_keys(timeline), width=width, height=height
    )
    assert status == 0
    assert not keys.keys, "every scripted key was used"
    for screen in terminal.screens:
        lines = screen.split("\n")
        assert len(lines) <= height
        assert all(len(line) <= width for line in lines), screen
        assert "…" not in screen, screen
        assert "..." not in screen, screen
    total = len(timeline.scenario.checkpoints)
    verdicts = [s for s in keys.seen if "✓ Right:" in s]
    assert len(verdicts) == total  # each one was on screen while a key was awaited
    flat = " ".join(plain_text(env).split())
    assert f"{total} of {total} predictions right" in flat
    for step in timeline.steps:
        assert step.step is not None
        assert the_play.text(step.step.say) in flat  # the transcript keeps every narration


def test_enter_without_a_pick_never_answers(bundled: Course) -> None:
    """An Enter pressed for the next step lands on the prediction: it must not answer it."""
    timeline = run(bundled.scenarios["dlq"])
    keys = ["enter", "enter", "enter", "enter", "enter", "enter", "2", "enter", "q"]
    the_play, _terminal, scripted, _env, status = play(bundled, "dlq", keys)
    assert status == 0
    prediction = the_play.predictions[4]
    assert prediction.answered
    assert prediction.correct
    asked = [s for s in scripted.seen if "Pick one first" in s]
    assert asked, "the Enter without a pick said what to do"
    assert timeline.steps[3].answer is not None


def test_quit_prints_the_transcript_of_what_was_played(bundled: Course) -> None:
    _play, _t, _k, env, status = play(bundled, "dlq", ["enter", "enter", "q"])
    assert status == 0
    out = plain_text(env)
    assert "Step 1/8 · The shop sends an order the worker cannot handle." in out
    assert "Step 2/8" not in out
    assert "Stopped after step 1 of 8: 0 predictions made, 0 right." in out


def test_ctrl_c_stops_with_130_and_the_transcript(bundled: Course) -> None:
    _play, _t, _k, env, status = play(bundled, "dlq", ["enter", "c-c"])
    assert status == 130
    assert "Stopped after step 0 of 8" in plain_text(env)


def test_skipping_and_hints_on_a_prediction(bundled: Course) -> None:
    """`h` shows the checkpoint's hint; `s` skips: the verdict then gives the answer."""
    keys = ["enter", "enter", "enter", "enter", "h", "s", "enter", "q"]
    the_play, _t, scripted, _env, _ = play(bundled, "dlq", keys)
    assert any(
        "Hint: Is the receive count still within maxReceiveCount?" in s for s in scripted.seen
    )
    assert any("– Skipped. The answer: m1 “order 42, qty -1”" in s for s in scripted.seen)
    assert the_play.predictions[4].hinted


def test_auto_plays_hands_off_within_its_budget(bundled: Course) -> None:
    """`--auto` (speed 1) plays partial-batch, 90 events, in under 15 s of pauses."""
    the_play, _t, keys, env, status = play(bundled, "partial-batch", [], auto=True)
    assert status == 0
    assert keys.asked == 0  # never waited for a key
    assert keys.waited < 15
    assert not the_play.predictions[2].answered  # shown and answered by the play, not graded
    assert "The answer: 3" in plain_text(env)


def test_auto_pauses_scale_with_speed(bundled: Course) -> None:
    _p, _t, slow, _e, _s = play(bundled, "dlq", [], auto=True)
    _p, _t, fast, _e, _s = play(bundled, "dlq", [], auto=True, speed=2.0)
    assert fast.waited == pytest.approx(slow.waited / 2)


def test_polling_is_gathered_in_the_events_pane(bundled: Course) -> None:
    """Five pollers' long polls are one row with a count, not a screenful."""
    timeline = run(bundled.scenarios["partial-batch"])
    keys = ["enter", "enter", *right_keys(timeline)[0], "q"]
    _p, terminal, scripted, _e, _s = play(bundled, "partial-batch", keys, width=100, height=40)
    assert any(re.search(r"LongPollStarted plain wait=20s .*×\d+", s) for s in terminal.screens)
    assert scripted.waited < 4.0  # two steps: three sends, then a batch that fails


def test_step_mode_waits_for_enter_at_every_event(bundled: Course) -> None:
    timeline = run(bundled.scenarios["dlq"])
    events_of_step_1 = len(timeline.steps[0].events)
    keys = ["enter", *(["enter"] * events_of_step_1), "q"]
    _p, _t, scripted, _e, status = play(bundled, "dlq", keys, step=True)
    assert status == 0
    assert any("Enter next event · q quit" in s for s in scripted.seen)


def test_a_prediction_is_saved_for_review(bundled: Course, tmp_path: Path) -> None:
    from studyaws.study.store import Store

    timeline = run(bundled.scenarios["dlq"])
    keys = ["enter", "enter", "enter", "enter", "1", "enter", "q"]  # "nothing": wrong
    play(bundled, "dlq", keys, tmp_path=tmp_path)
    with Store.open(tmp_path / "home", NOW) as store:
        reviews = store.reviews()
    assert [(r.question_id, r.correct) for r in reviews] == [("scenario:dlq:third-receive", False)]
    assert timeline.steps[3].answer is not None


def test_a_resize_redraws_at_the_new_size(bundled: Course) -> None:
    env = Env.for_test(tty=True, width=80)
    terminal = RecordingTerminal(80, 24)

    def grow() -> str:
        terminal.width, terminal.height = 100, 30
        return terminal.last

    keys = ScriptedKeys(["resize", "q"], screen=grow)
    LivePlayer(
        Play(env, bundled, run(bundled.scenarios["dlq"])), keys=keys, terminal=terminal
    ).run()
    assert len(terminal.screens[-1].split("\n")) == 30
