"""Shared fixtures: a clean environment for every test (no colour overrides, private data dir)."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="session")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache directory holding the validated bundled course and its scenario questions, built
    once a session: tests that run the CLI many times copy it (`warm`) instead of validating the
    course on every run."""
    import contextlib
    import io
    import os

    from studyaws.cli import main

    home = tmp_path_factory.mktemp("warm-home")
    before = os.environ.get("STUDYAWS_HOME")
    os.environ["STUDYAWS_HOME"] = str(home)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            assert main(["progress", "--json"]) == 0  # caches the course and the predictions
            assert main(["learn", "sqs"]) == 0  # and the page most tests read
    finally:
        if before is None:
            del os.environ["STUDYAWS_HOME"]
        else:
            os.environ["STUDYAWS_HOME"] = before
    return home / "cache"


@pytest.fixture
def warm(warm_cache: Path) -> Callable[[Path], Path]:
    """`warm(home)` gives `home` a copy of the warm cache and returns it."""
    import shutil

    def copy(home: Path) -> Path:
        shutil.copytree(warm_cache, home / "cache", dirs_exist_ok=True)
        return home

    return copy


@dataclass
class Run:
    status: int
    out: str
    err: str

    @property
    def results(self) -> list[dict[str, Any]]:
        """One JSON document per output line (`--json` output of the sandbox and `verify`)."""
        return [json.loads(line) for line in self.out.splitlines()]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """`cli(*args, stdin="...")` runs `studyaws.cli.main(args)` and returns status and output."""

    def run(*args: str, stdin: str = "") -> Run:
        from studyaws.cli import main

        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        status = main(list(args))
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run
