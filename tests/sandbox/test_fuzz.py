"""Bad input never crashes: any line is a result, an AWS error object, or a syntax error."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyaws.engine import World
from studyaws.sandbox import SandboxSyntaxError, run_line
from studyaws.sandbox.language import COMMANDS, parse_duration

WORDS = st.sampled_from(
    [
        *COMMANDS,
        "q",
        "q.fifo",
        "m1#1",
        "m1#x",
        "--max",
        "--wait",
        "--fifo",
        "--group",
        "g",
        "10",
        "-1",
        "99999999",
        "5m",
        "1d",
        "'",
        '"',
        "#",
        "--",
        "--attr",
        "k=v",
        "=",
        "é",
        "\x1b",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(WORDS | st.text(max_size=8), max_size=7).map(" ".join), max_size=8))
def test_random_lines_never_crash(lines: list[str]) -> None:
    world = World()
    run_line(world, "create-queue q")
    run_line(world, "create-queue q.fifo --fifo --content-based-dedup")
    run_line(world, "send q hello")
    for line in lines:
        try:
            result = run_line(world, line)
        except SandboxSyntaxError:
            continue
        if result is None:
            continue
        json.dumps(result)
        assert isinstance(result["ok"], bool)
        if not result["ok"]:
            assert set(result["error"]) == {"code", "message"}
            assert result["error"]["code"] != "InternalError"


def test_durations() -> None:
    assert [parse_duration(t) for t in ("45", "45s", "5m", "2h", "1d", "0")] == [
        45,
        45,
        300,
        7200,
        86400,
        0,
    ]
    for bad in ("", "5x", "-1", "1.5m", "m", "5 m"):
        with pytest.raises(SandboxSyntaxError):
            parse_duration(bad)


def test_tick_is_bounded_so_a_huge_duration_cannot_exhaust_the_machine(cli) -> None:
    """`tick 99999d` with a `rate(1 minute)` schedule ran for hours and filled ~20 GB with its
    event log. One tick is at most 30 days (longer than any clock of the notes: SQS retention is
    14 days); a longer one is a bad line: exit 2 with its line number, nothing after it runs."""
    run = cli(
        "sandbox",
        "--script",
        "-",
        "--json",
        stdin="create-queue q\nschedule s 'rate(1 minute)' q\ntick 30d\ntick 99999d\nstats q\n",
    )
    assert run.status == 2
    assert "line 4: tick: at most 30d" in run.err
    assert [r.get("now") for r in run.results] == [None, None, 30 * 86400]


def test_the_sandbox_log_is_bounded(monkeypatch) -> None:
    """The sandbox keeps the last LOG_LIMIT events, so memory stays flat however long it runs
    (100 consumers long-polling an empty queue for a day log ~2.5 million events)."""
    from studyaws.sandbox import session as session_module

    monkeypatch.setattr(session_module, "LOG_LIMIT", 50)
    s = session_module.Session()
    for line in ("create-queue q", "start-consumers q --count 5 --wait 1", "tick 1h"):
        s.execute(line)
    events = s.world.events()
    assert len(events) == 50
    assert events[-1].seq > 1000  # the sequence numbers go on; only old events are dropped


def test_bytes_that_are_not_utf8_are_a_bad_line_not_an_internal_error(cli) -> None:
    """Invalid UTF-8 on stdin arrives as lone surrogates; `send`/`publish`/`invoke` then failed
    with InternalError (UnicodeEncodeError). Such a line is not text: exit 2 with its number."""
    for line in ('send q "a\udcffb"', 'invoke f "\udcff"', "publish t x --attr k=\udcff"):
        run = cli("sandbox", "--script", "-", "--json", stdin=f"create-queue q\n{line}\nstats q\n")
        assert run.status == 2, line
        assert "line 2: the line is not valid UTF-8 text" in run.err
        assert run.results == [{"ok": True}]
