"""Scenario budgets (issue 6), printed in one run on one machine.

    python benchmarks/scenario.py [--runs N]

- one frame of the busiest scenario (the most events) renders in ≤ 20 ms at 120 columns, so the
  animation stays smooth at any --speed;
- `--no-animate` plays a whole scenario (run on the engine + plain narration) in well under a
  second (budget here: ≤ 250 ms in-process, warm imports).
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

from rich.console import Console

from studyaws.content.loader import check
from studyaws.content.model import Scenario
from studyaws.scenarios.run import run
from studyaws.ui.env import Env
from studyaws.ui.scenario import RECENT_EVENTS, Player, _View, render_view


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    course, problems = check()
    assert not problems, problems
    scenarios = [s for s in course.scenarios.values() if isinstance(s, Scenario)]
    timelines = [run(s) for s in scenarios]
    busiest = max(timelines, key=lambda t: len(t.events))

    # The fullest frame: the last one, with the most recent events.
    view = _View()
    last = busiest.steps[-1]
    view.step = last
    view.frame = next(f for line in reversed(last.lines) for f in reversed(line.frames))
    view.say = f"Step {last.number}/{len(busiest.steps)} · {last.step.say if last.step else ''}"
    for event in busiest.events[-RECENT_EVENTS:]:
        view.recent.append(event)
    frame_ms = []
    for _ in range(args.runs):
        console = Console(file=io.StringIO(), width=120, color_system="truecolor")
        start = time.perf_counter()
        console.print(render_view(busiest, view, 120, color=True))
        frame_ms.append((time.perf_counter() - start) * 1000)

    play_ms = []
    for _ in range(max(3, args.runs // 4)):
        start = time.perf_counter()
        timeline = run(busiest.scenario)
        env = Env.for_test(width=80)
        Player(env, course, timeline).play()
        play_ms.append((time.perf_counter() - start) * 1000)

    frame = statistics.median(frame_ms)
    play = statistics.median(play_ms)
    print(f"busiest scenario: {busiest.scenario.id} ({len(busiest.events)} events)")
    print(f"one frame at 120 columns: {frame:.2f} ms (budget <= 20 ms)")
    print(f"--no-animate, whole scenario: {play:.1f} ms (budget <= 250 ms)")
    ok = frame <= 20 and play <= 250
    print("ok" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
