"""Every shipped scenario plays animated (right answers from the engine, through the prompter)
and its busiest frame renders within 40 and 120 columns."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console

from studyaws.content.loader import check
from studyaws.content.model import Course
from studyaws.scenarios.model import Scenario
from studyaws.scenarios.run import run
from studyaws.ui.env import Env
from studyaws.ui.prompts import ScriptedPrompter
from studyaws.ui.scenario import _View, render_view, scenario

ROOT = Path(__file__).resolve().parents[2]
NAMES = sorted(p.stem for p in (ROOT / "content" / "scenarios").glob("*.yaml"))
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def bundled() -> Course:
    course, problems = check()
    assert problems == []
    return course


@pytest.mark.parametrize("name", NAMES)
def test_every_scenario_plays_animated_with_all_predictions_right(
    name: str, bundled: Course, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("studyaws.ui.course.load", lambda env: bundled)
    chosen = bundled.scenarios[name]
    assert isinstance(chosen, Scenario)
    timeline = run(chosen)
    script: list[object] = []
    for step in timeline.steps:
        if step.answer is None:
            continue
        answer = step.answer
        script.append(answer.text() if answer.numeric is False else str(answer.text()).split()[0])
    env = Env.for_test(tty=True, width=100, data_dir=tmp_path / "home", now=lambda: NOW)
    env.sleep = lambda seconds: None
    env.prompter = ScriptedPrompter(script)  # type: ignore[arg-type]
    assert scenario(env, name, speed=100.0) == 0
    out = env.stdout.getvalue()
    total = len(chosen.checkpoints)
    assert f"{total} of {total} predictions right" in out
    assert "last events:" in out


@pytest.mark.parametrize("width", [40, 120])
@pytest.mark.parametrize("name", NAMES)
def test_the_busiest_frame_fits_the_width(name: str, width: int, bundled: Course) -> None:
    chosen = bundled.scenarios[name]
    assert isinstance(chosen, Scenario)
    timeline = run(chosen)
    step = max(timeline.steps, key=lambda s: len(s.events))
    view = _View(step=step, frame=step.lines[-1].frames[-1], say=f"Step {step.number}")
    for event in step.events:
        view.recent.append(event)
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(render_view(timeline, view, width, color=False))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert text.startswith("t=")
    assert all(len(line.rstrip()) <= width for line in text.splitlines()), text
