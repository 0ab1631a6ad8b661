"""Run the real `studyaws` entry point in-process with captured stdio."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@dataclass
class Run:
    status: int
    out: str
    err: str

    @property
    def results(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.out.splitlines()]


@pytest.fixture(autouse=True)
def _plain_env(monkeypatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def cli(monkeypatch, capsys, tmp_path) -> Callable[..., Run]:
    """`cli(*args, stdin="...")` runs `studyaws.cli.main(args)` and returns status and output."""
    monkeypatch.setenv("STUDYAWS_HOME", str(tmp_path / "home"))

    def run(*args: str, stdin: str = "") -> Run:
        from studyaws.cli import main

        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        status = main(list(args))
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run


@pytest.fixture
def script(cli, tmp_path) -> Callable[..., Run]:
    """`script(text, "--json")` writes a script file and runs `studyaws sandbox --script FILE`."""

    def run(text: str, *flags: str) -> Run:
        path = Path(tmp_path) / "script.txt"
        path.write_text(text, encoding="utf-8")
        return cli("sandbox", "--script", str(path), *flags)

    return run
