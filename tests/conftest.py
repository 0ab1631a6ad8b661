"""Shared fixtures: a clean environment for every test (no colour overrides, private data dir)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "content" / "fixtures"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "STUDYAWS_CONTENT", "TERM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STUDYAWS_HOME", str(tmp_path / "studyaws-home"))


@pytest.fixture
def mini_course_dir() -> Path:
    """A small valid course (topic `demo`) used where the bundled one would be too big."""
    return FIXTURES / "mini"
