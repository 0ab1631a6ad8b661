"""Scenarios waiting for part 2 of the engine: well-formed now, failing only on missing commands.

When part 2 lands a command, a pending file whose lines all run moves to content/scenarios/
(with its golden transcript); this test then tells which ones are ready.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from studyaws.content.loader import check

PENDING = sorted((Path(__file__).parent / "pending").glob("*.yaml"))


@pytest.mark.parametrize("path", PENDING, ids=[p.stem for p in PENDING])
def test_pending_scenario_is_well_formed(path: Path) -> None:
    course, problems = check((path,), include_bundled=False)
    assert path.stem in course.scenarios
    assert all(p.code == "SA501" for p in problems), problems
