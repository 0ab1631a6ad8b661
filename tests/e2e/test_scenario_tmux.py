"""`studyaws scenario` at a real terminal (tmux), played as a learner plays it.

Every bundled scenario at 80×24, and dlq, fifo and partial-batch at 60×20: the test presses Enter
through the story and each step, answers each prediction right (a number and Enter), and checks
that the verdict is still on screen 3 s later, that no screen line is cut with "…", and that the
transcript left on the normal screen when the play ends holds every step's narration. The plays
run side by side (one tmux session each), so the whole file takes about as long as its longest
scenario.
"""

from __future__ import annotations

import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from studyaws.content.loader import check
from studyaws.content.model import Course
from studyaws.scenarios.run import Timeline, run
from studyaws.ui.env import Env
from studyaws.ui.scenario import Play

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

STUDYAWS = Path(sys.executable).parent / "studyaws"
NAMES = sorted(
    p.stem for p in (Path(__file__).resolve().parents[2] / "content/scenarios").glob("*.yaml")
)
CASES = [(n, 80, 24) for n in NAMES] + [(n, 60, 20) for n in ("dlq", "fifo", "partial-batch")]
VERDICT = re.compile(r"^[✓✗–] (Right|Wrong|Skipped)", re.M)


def answer_keys(timeline: Timeline) -> list[list[str]]:
    out = []
    for step in timeline.steps:
        answer = step.answer
        if answer is None:
            continue
        if answer.numeric:
            number = float(answer.value)
            out.append(list(str(int(number)) if number.is_integer() else f"{number:g}"))
        else:
            out.append([str(answer.choices.index(str(answer.value)) + 1)])
    return out


def play_one(pane: Any, name: str, home: Path, course: Course, timeline: Timeline) -> list[str]:
    """Play `name` in its own pane; the problems found (empty: all well)."""
    problems: list[str] = []
    width, height = pane.width, pane.height
    pane.start(f"scenario {name}", env={"STUDYAWS_HOME": str(home)})
    answers = iter(answer_keys(timeline))
    try:
        pane.wait_for("Enter start")
        pane.send("Enter")
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline:
            screen = pane.screen()
            if "…" in screen:
                problems.append(f"{name} {width}x{height}: a line cut with …:\n{screen}")
            last = " ".join(screen.rstrip("\n").split("\n")[-2:])
            if "STUDYAWS-EXIT=" in screen:
                break
            if "pick" in last or "type a number" in last:
                pane.send(*next(answers))
                pane.send("Enter")
                shown = pane.wait_for(r"Enter (next step|end) · q quit\s*$", regex=True)
                if not VERDICT.search(shown):
                    problems.append(f"{name}: no verdict after the answer:\n{shown}")
                time.sleep(3)
                later = pane.screen()
                if VERDICT.search(later) is None or "✓ Right" not in later:
                    problems.append(
                        f"{name} {width}x{height}: the verdict left the screen:\n{later}"
                    )
                pane.send("Enter")
            elif re.search(r"Enter (next step|end|finish)", last):
                pane.send("Enter")
            time.sleep(0.15)
        else:
            problems.append(f"{name}: the play never ended:\n{pane.screen()}")
        final = pane.screen(history=True)
        if "STUDYAWS-EXIT=0" not in final:
            problems.append(f"{name}: exit status not 0:\n{final[-2000:]}")
        flat = " ".join(final.split())
        play = Play(Env.for_test(), course, timeline)
        for step in timeline.steps:
            assert step.step is not None
            if play.text(step.step.say) not in flat:
                problems.append(f"{name}: step {step.number} missing from the transcript")
        total = len(timeline.scenario.checkpoints)
        if f"{total} of {total} predictions right" not in flat:
            problems.append(f"{name}: the summary is not all right:\n{final[-1500:]}")
    finally:
        pane.kill()
    return problems


def test_every_scenario_is_played_whole_at_80x24_and_60x20(tmp_path: Path, panes: Any) -> None:
    course, found = check()
    assert found == []
    timelines = {name: run(course.scenarios[name]) for name in NAMES}
    with ThreadPoolExecutor(max_workers=len(CASES)) as pool:
        futures = [
            pool.submit(
                play_one, panes(w, h), name, tmp_path / f"{name}-{w}", course, timelines[name]
            )
            for name, w, h in CASES
        ]
        problems = [p for f in futures for p in f.result()]
    assert not problems, f"{len(problems)} problems:\n\n" + "\n\n".join(problems)
