"""Every `--json` result object is one of the typed results of `studyaws.sandbox.results`: the
DESIGN §4 contract (exactly the keys of its kind, `ok` first) as the code declares it."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from studyaws.sandbox import Session, run_script
from studyaws.sandbox.results import Result

EXAMPLES = sorted((Path(__file__).parents[2] / "docs" / "examples").glob("*.sandbox"))
KINDS = typing.get_args(Result)


def _fits(result: dict[str, object]) -> bool:
    keys = set(result)
    return any(
        kind.__required_keys__ <= keys <= kind.__required_keys__ | kind.__optional_keys__
        for kind in KINDS
    )


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_result_of_the_examples_has_a_declared_shape(path: Path) -> None:
    """Each result, success or AWS error, has exactly the keys of one declared result type."""
    results: list[dict[str, object]] = []
    lines = [*path.read_text(encoding="utf-8").splitlines(), "show", "log", "help", "stats q"]
    failure = run_script(Session(0), lines, lambda o: results.append(dict(o.result)))
    assert failure is None
    odd = [r for r in results if not _fits(r) or next(iter(r)) != "ok"]
    assert not odd, odd[:3]
