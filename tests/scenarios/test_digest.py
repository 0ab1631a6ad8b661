"""What the player shows of a step's events: repeats gathered, the lesson's events kept, and
pacing by what teaches (a step of idle polling costs no time; a DLQ move gets a full beat)."""

from __future__ import annotations

from studyaws.engine import events as ev
from studyaws.sandbox import Session
from studyaws.scenarios.digest import (
    BEAT_S,
    STEP_BEATS_S,
    Weight,
    beat_s,
    fit,
    rows,
    step_beats,
    weight,
)


def _events(*lines: str) -> list[ev.Event]:
    session = Session(0)
    for line in lines:
        session.execute(line)
    return list(session.world.log)


def test_a_minute_of_idle_polling_is_one_row_per_queue_and_costs_no_time() -> None:
    """Five pollers of a mapping long-poll an empty queue for a minute: nothing happens."""
    events = _events(
        "create-queue jobs",
        "create-function worker --duration 1s",
        "map jobs worker",
        "tick 1m",
    )
    polling = [e for e in events if isinstance(e, ev.LongPollStarted | ev.LongPollEnded)]
    assert len(polling) > 10
    assert sum(beat_s(e) for e in polling) == 0
    shown = rows(polling)
    assert len(shown) == 2  # started ×N, ended ×N
    assert shown[0].times + shown[1].times == len(polling)
    assert "×" in shown[0].text()


def test_a_dlq_move_gets_a_full_beat() -> None:
    events = _events(
        "create-queue dlq",
        "create-queue q --visibility-timeout 1 --dlq dlq --max-receives 1",
        "send q poison",
        "receive q",
        "tick 2",
        "receive q",
    )
    moved = next(e for e in events if isinstance(e, ev.MessageMovedToDlq))
    assert weight(moved) is Weight.KEY
    assert beat_s(moved) == BEAT_S[Weight.KEY]


def test_a_busy_step_is_squeezed_into_its_budget() -> None:
    sends = _events("create-queue q", *(f"send q m{i}" for i in range(40)))
    scale = step_beats(sends)
    assert sum(beat_s(e) for e in sends) * scale <= STEP_BEATS_S + 1e-9


def test_pinned_rows_stay_when_the_pane_is_small() -> None:
    events = _events("create-queue q", *(f"send q m{i}" for i in range(10)))
    pinned = frozenset({events[3].seq})
    shown = fit(rows(events, pinned), 3)
    assert events[3] in [r.first for r in shown]
    assert [r.first for r in shown][-1] == events[-1]  # then the latest
