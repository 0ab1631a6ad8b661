"""Every scripted example under docs/examples runs through `studyaws sandbox --script --json`."""

from __future__ import annotations

from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parents[2] / "docs" / "examples").glob("*.sandbox"))


def test_every_example_is_listed_in_the_readme() -> None:
    readme = (EXAMPLES[0].parent / "README.md").read_text(encoding="utf-8")
    assert all(f"`{p.name}`" in readme for p in EXAMPLES)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs_without_errors(cli, path: Path) -> None:
    run = cli("sandbox", "--script", str(path), "--json")
    assert run.status == 0, run.err
    failures = [r for r in run.results if not r["ok"] and r.get("status") != 429]
    assert failures == []
