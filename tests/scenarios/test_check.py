"""The executable check of a learner's scenario reports problems; it never raises."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyaws.cli import main
from studyaws.content.scenarios import is_bundled
from studyaws.scenarios.check import check

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_what_if_whose_setup_fails_is_sa501_at_the_line_not_a_crash() -> None:
    path = FIXTURES / "setup-fails-in-what-if.yaml"
    _course, problems = check((path,), include_bundled=False)
    assert [p.code for p in problems] == ["SA501"]
    problem = problems[0]
    assert problem.loc.path.endswith("setup-fails-in-what-if.yaml")
    assert (problem.loc.line, problem.loc.col) == (15, 5)  # the setup line that fails
    assert "rate(1 minutes)" in problem.message
    assert "every=1" in problem.message


def test_validate_reports_it_as_file_line_col(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["validate", str(FIXTURES / "setup-fails-in-what-if.yaml")])
    out = capsys.readouterr()
    assert status != 0
    assert "setup-fails-in-what-if.yaml:15:5: SA501" in out.out + out.err
    assert "SA501" in out.out + out.err


def test_is_bundled_decides_by_the_real_path(tmp_path: Path) -> None:
    from studyaws.content.files import bundled_content_dir

    bundled = bundled_content_dir() / "scenarios" / "dlq.yaml"
    assert is_bundled(bundled)
    assert not is_bundled(FIXTURES / "setup-fails-in-what-if.yaml")
    # A learner's file shown as `content/...` is not bundled just because of its name.
    mine = tmp_path / "content" / "scenarios" / "dlq.yaml"
    mine.parent.mkdir(parents=True)
    mine.write_text("x", encoding="utf-8")
    assert not is_bundled(mine)
