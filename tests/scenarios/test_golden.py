"""Golden transcripts: the plain narration of every scenario, compared line by line.

A transcript is the play with no answers given (stdin at its end), at 80 columns: the story,
every line and event with its cause, each checkpoint's question and the engine's answer with the
events that decided it. Regenerate on purpose, then read the diff before committing:

    STUDYAWS_UPDATE_GOLDEN=1 pytest tests/scenarios/test_golden.py
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from studyaws.content.model import Course
from studyaws.ui.env import Env
from studyaws.ui.scenario import scenario

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
NAMES = sorted(p.stem for p in (ROOT / "content" / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("name", NAMES)
def test_plain_narration_matches_its_golden_transcript(
    name: str, course: Course, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("studyaws.ui.course.load", lambda env: course)
    env = Env.for_test(width=80, data_dir=tmp_path)
    assert scenario(env, name) == 0
    actual = env.stdout.getvalue()
    golden = GOLDEN / f"{name}.txt"
    if os.environ.get("STUDYAWS_UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden for {name}: run with STUDYAWS_UPDATE_GOLDEN=1"
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=f"golden/{name}.txt",
                tofile="this run",
            )
        )
        pytest.fail(
            f"{name}: the narration differs from its golden transcript "
            f"(STUDYAWS_UPDATE_GOLDEN=1 to accept):\n{diff}"
        )


def test_every_golden_belongs_to_a_shipped_scenario() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.txt")) == NAMES
