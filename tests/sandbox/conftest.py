"""The sandbox language run through the real entry point (`cli` is in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def script(cli: Callable[..., Any], tmp_path: Path) -> Callable[..., Any]:
    """`script(text, "--json")` writes a script file and runs `studyaws sandbox --script FILE`."""

    def run(text: str, *flags: str) -> Any:
        path = tmp_path / "script.txt"
        path.write_text(text, encoding="utf-8")
        return cli("sandbox", "--script", str(path), *flags)

    return run
