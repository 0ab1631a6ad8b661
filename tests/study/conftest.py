"""Fixtures for the pure study core: the sample course, a fixed UTC clock, a store in tmp."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sample_course import sample_course

from studyaws.content.model import Course
from studyaws.study.store import Store

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def course() -> Course:
    return sample_course()


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("STUDYAWS_HOME", str(home))
    return home


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    with Store.open(data_dir, NOW) as opened:
        yield opened
