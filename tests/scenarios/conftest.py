"""Fixtures for the scenario tests: the bundled course (with its scenarios), loaded once."""

from __future__ import annotations

import pytest

from studyaws.content.loader import check
from studyaws.content.model import Course, Scenario


@pytest.fixture(scope="session")
def course() -> Course:
    course, problems = check()
    assert problems == [], problems
    return course


@pytest.fixture(scope="session")
def scenarios(course: Course) -> dict[str, Scenario]:
    return {k: v for k, v in course.scenarios.items() if isinstance(v, Scenario)}
