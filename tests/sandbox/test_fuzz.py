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
