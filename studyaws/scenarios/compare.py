"""Two timelines of one scenario side by side: the same steps, each side's events and answers.

`--compare` plays the scenario with its defaults and with the `--set` changes; a row per step
says what each side's engine did, and whether it did the same. Lines are the sandbox's own
wording of an event (`t=31s VisibilityTimeoutExpired orders m1 (visibility timeout ran out)`).
"""

from __future__ import annotations

from dataclasses import dataclass

from studyaws.sandbox.wording import event_line
from studyaws.scenarios.run import StepRun, Timeline


@dataclass(frozen=True, slots=True)
class Row:
    number: int
    say: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    left_answer: str = ""
    right_answer: str = ""

    @property
    def same(self) -> bool:
        return self.left == self.right and self.left_answer == self.right_answer


def _lines(step: StepRun) -> tuple[str, ...]:
    return tuple(event_line(e) for e in step.events)


def _answer(step: StepRun) -> str:
    return step.answer.text() if step.answer is not None else ""


def compare(left: Timeline, right: Timeline) -> list[Row]:
    """One row per step (setup first, as step 0), in order."""
    rows = [Row(0, "Setup", _lines(left.setup), _lines(right.setup))]
    for i, step in enumerate(left.scenario.steps):
        a = left.steps[i] if i < len(left.steps) else None
        b = right.steps[i] if i < len(right.steps) else None
        rows.append(
            Row(
                i + 1,
                step.say,
                _lines(a) if a is not None else (f"(stopped: {left.stopped})",),
                _lines(b) if b is not None else (f"(stopped: {right.stopped})",),
                _answer(a) if a is not None else "",
                _answer(b) if b is not None else "",
            )
        )
        if a is None and b is None:
            break
    return rows


def first_difference(rows: list[Row]) -> int | None:
    return next((r.number for r in rows if not r.same), None)
