"""Scenario budgets (issues 6 and 9), printed in one run on one machine.

    python benchmarks/scenario.py [--runs N]

- one screen of the busiest scenario (the most events) composes and renders in ≤ 20 ms at 120
  columns, so the animation stays smooth at any --speed;
- `--no-animate` plays a whole scenario (run on the engine + plain narration) in well under a
  second (budget here: ≤ 250 ms in-process, warm imports);
- `scenario partial-batch --auto` at speed 1 finishes in under 15 s of real time: the pauses the
  player asks for (counted by scripted keys, which never wait) plus the time it takes to compose
  and draw every screen (measured).
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

from rich.console import Console

from studyaws.content.loader import check
from studyaws.scenarios.digest import rows
from studyaws.scenarios.run import run
from studyaws.ui.env import Env
from studyaws.ui.keys import ScriptedKeys
from studyaws.ui.scenario import PlainPlayer, Play
from studyaws.ui.scenario_live import LivePlayer, RecordingTerminal
from studyaws.ui.scenario_screen import Marks, View, compose


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    course, problems = check()
    assert not problems, problems
    timelines = [run(s) for s in course.scenarios.values()]
    busiest = max(timelines, key=lambda t: len(t.events))

    # The fullest screen: the last step, with every event of the play in the pane.
    last = busiest.steps[-1]
    view = View(
        title=busiest.scenario.id,
        step_label=f"step {last.number}/{len(busiest.steps)}",
        at_ms=busiest.events[-1].at_ms,
        say=last.step.say if last.step else "",
        commands=[line.text for line in last.lines],
        snapshot=last.after,
        rows=rows(busiest.events),
    )
    frame_ms = []
    for _ in range(args.runs):
        console = Console(file=io.StringIO(), width=120, height=40, color_system="truecolor")
        start = time.perf_counter()
        for line in compose(view, 120, 40, color=True, marks=Marks()):
            console.print(line)
        frame_ms.append((time.perf_counter() - start) * 1000)

    play_ms = []
    for _ in range(max(3, args.runs // 4)):
        start = time.perf_counter()
        timeline = run(busiest.scenario)
        env = Env.for_test(width=80)
        PlainPlayer(Play(env, course, timeline)).run()
        play_ms.append((time.perf_counter() - start) * 1000)

    auto_s = []
    for _ in range(3):
        env = Env.for_test(tty=True, width=80)
        play = Play(env, course, run(course.scenarios["partial-batch"]))
        keys = ScriptedKeys([])
        start = time.perf_counter()
        LivePlayer(play, auto=True, keys=keys, terminal=_RichRecorder(80, 24)).run()
        auto_s.append(keys.waited + time.perf_counter() - start)

    frame = statistics.median(frame_ms)
    whole = statistics.median(play_ms)
    auto = statistics.median(auto_s)
    print(f"busiest scenario: {busiest.scenario.id} ({len(busiest.events)} events)")
    print(f"one screen at 120x40: {frame:.2f} ms (budget <= 20 ms)")
    print(f"--no-animate, whole scenario: {whole:.1f} ms (budget <= 250 ms)")
    print(f"partial-batch --auto at speed 1: {auto:.1f} s (budget < 15 s)")
    ok = frame <= 20 and whole <= 250 and auto < 15
    print("ok" if ok else "OVER BUDGET")
    return 0 if ok else 1


class _RichRecorder(RecordingTerminal):
    """Renders each screen with rich as the real terminal would, to time the drawing too."""

    def draw(self, lines: list) -> None:  # type: ignore[type-arg]
        console = Console(file=io.StringIO(), width=self.width, height=self.height)
        for line in lines:
            console.print(line)
        super().draw(lines)


if __name__ == "__main__":
    raise SystemExit(main())
