"""Golden event logs: one end-to-end run of each part-2 feature (the docs/examples scripts).

The log of each example, one JSON event a line, must equal `tests/engine/golden/NAME.jsonl`.
Regenerate on purpose with `STUDYAWS_UPDATE_GOLDEN=1 pytest tests/engine/test_golden_logs.py`;
a mismatch is shown as a unified diff of the two logs.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest

from studyaws.sandbox import Session, run_script

EXAMPLES = sorted((Path(__file__).parents[2] / "docs" / "examples").glob("*.sandbox"))
GOLDEN = Path(__file__).parent / "golden"


def _log(path: Path, *, seed: int = 0, chaos: bool = False) -> str:
    session = Session(seed)
    lines = path.read_text(encoding="utf-8").splitlines()
    failure = run_script(session, ["chaos on", *lines] if chaos else lines, lambda _o: None)
    assert failure is None, failure
    lines = [
        json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True) for e in session.world.events()
    ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_event_log_matches_golden(path: Path) -> None:
    golden = GOLDEN / f"{path.stem}.jsonl"
    actual = _log(path)
    if os.environ.get("STUDYAWS_UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                str(golden),
                "actual",
                n=1,
            )
        )
        pytest.fail(f"event log differs from {golden.name}:\n{diff}")


def test_same_seed_same_log() -> None:
    """A sandbox session is replayable from its seed: an example run with chaos on gives the
    same log for the same seed and another log for another seed."""
    example = next(p for p in EXAMPLES if p.stem == "lambda-sqs")
    assert _log(example, seed=7, chaos=True) == _log(example, seed=7, chaos=True)
    assert _log(example, seed=7, chaos=True) != _log(example, seed=8, chaos=True)
