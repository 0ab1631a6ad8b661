"""The content checker: every problem as path:line:col: CODE message, all of them at once."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from studyaws.content.problems import CODES
from studyaws.scenarios.check import check

sys.path.insert(0, str(Path(__file__).resolve().parent))

BAD = Path(__file__).parent / "fixtures" / "bad"
MINI = Path(__file__).parent / "fixtures" / "mini"
FIXTURES = sorted(BAD.glob("SA*.yaml"))


def _expected(path: Path) -> tuple[int, int, str]:
    first = path.read_bytes().split(b"\n", 1)[0].decode()
    match = re.match(r"# expect: (\d+):(\d+) (SA\d+)", first)
    assert match, f"{path.name} has no '# expect: LINE:COL CODE' header"
    return int(match.group(1)), int(match.group(2)), match.group(3)


def test_the_mini_course_is_valid() -> None:
    course, problems = check((MINI,), include_bundled=False)
    assert problems == []
    assert [t.id for t in course.topics] == ["demo"]


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_each_code_is_reported_at_its_line(fixture: Path) -> None:
    """Each failing fixture yields its code at the exact line and column, and nothing in the
    valid course around it is blamed."""
    line, col, code = _expected(fixture)
    _, problems = check((MINI, fixture), include_bundled=False)
    found = [(p.loc.line, p.loc.col, p.code) for p in problems if p.loc.path.endswith(fixture.name)]
    assert (line, col, code) in found, problems
    assert all(p.loc.path.endswith(fixture.name) for p in problems), problems


def test_every_code_in_the_catalogue_has_a_fixture() -> None:
    """A fixture file per code; the codes of files too big to commit (SA105, SA108) are covered
    by cases the corpus generates at test time (corpus.py, test_corpus.py)."""
    from corpus import CASES

    generated = {code for case in CASES if not case.known for code in case.codes}
    covered = {_expected(p)[2] for p in FIXTURES}
    assert set(CODES) - covered <= generated
    assert set(CODES) <= covered | generated


def test_problems_print_as_path_line_col_code_message() -> None:
    _, problems = check((MINI, BAD / "SA302.yaml"), include_bundled=False)
    text = next(str(p) for p in problems if p.code == "SA302")
    assert re.match(r"^\S+SA302\.yaml:14:13: SA302 answer 'd' is not one of the choices", text)


def test_all_problems_are_collected_not_just_the_first(tmp_path: Path) -> None:
    for name in ("SA201.yaml", "SA203.yaml", "SA204.yaml"):
        (tmp_path / name).write_bytes((BAD / name).read_bytes())
    _, problems = check((MINI, tmp_path), include_bundled=False)
    assert {p.code for p in problems} >= {"SA201", "SA203", "SA204"}


def test_unknown_key_suggests_the_near_one() -> None:
    _, problems = check((MINI, BAD / "SA201.yaml"), include_bundled=False)
    unknown = next(p for p in problems if p.code == "SA201")
    assert "did you mean 'explanation'?" in unknown.message


def test_safe_loader_refuses_python_tags(tmp_path: Path) -> None:
    """A content file cannot run code: python object tags are not constructed."""
    evil = tmp_path / "evil.yaml"
    evil.write_text(
        "format_version: 1\nkind: facts\nfacts:\n  - !!python/object/apply:os.system ['true']\n"
    )
    _, problems = check((MINI, evil), include_bundled=False)
    assert problems
    assert problems[0].code in {"SA203", "SA101"}


def test_validating_the_bundled_directory_itself_reads_each_file_once() -> None:
    from studyaws.content.loader import bundled_content_dir

    _, problems = check((bundled_content_dir(),))
    assert not [p for p in problems if p.code in {"SA301", "SA401"}]


def test_an_installed_studyaws_finds_its_course_inside_the_package() -> None:
    """After a non-editable `pip install .` the course ships in the wheel (studyaws/_bundled)."""
    import studyaws
    from studyaws.content.files import bundled_content_dir, bundled_images_dir

    if "site-packages" not in studyaws.__file__:
        pytest.skip("running from a source checkout (editable install)")
    assert bundled_content_dir().parent.name == "_bundled"
    assert (bundled_content_dir() / "topics" / "sqs.yaml").is_file()
    assert any(bundled_images_dir().glob("*.svg"))


def test_a_length_bias_warning_does_not_stop_the_course_loading(tmp_path: Path) -> None:
    """SA601 is advice: the learner's bank still loads, and `validate` prints it and succeeds."""
    from studyaws.content.loader import load_course

    bank = tmp_path / "mine.yaml"
    bank.write_bytes((BAD / "SA601.yaml").read_bytes())
    _, problems = check((MINI, tmp_path), include_bundled=False)
    assert [(p.code, p.is_warning) for p in problems] == [("SA601", True)]
    assert "SA601 warning: the right choice is the longest in 3 of 5" in str(problems[0])
    course = load_course((MINI, tmp_path))
    assert "long-right-1" in {q.id for q in course.questions}


def test_validate_prints_a_warning_and_exits_zero(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from studyaws.cli import main

    (tmp_path / "mine.yaml").write_bytes((BAD / "SA601.yaml").read_bytes())
    status = main(["--content", str(MINI), "validate", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == 0, out
    assert re.search(r"mine\.yaml:6:5: SA601 warning: the right choice is the longest", out)
    assert re.search(r"; no problems \(\d+ warnings?\)$", out.splitlines()[-1])


def test_a_question_domain_must_be_one_of_the_exam_domains(tmp_path: Path) -> None:
    """The DVA-C02 guide names four content domains; a misspelt one is refused with the near one."""
    text = (MINI / "questions.yaml").read_text(encoding="utf-8")
    text = text.replace("Development with AWS Services", "troubleshooting & optimisation", 1)
    (tmp_path / "questions.yaml").write_text(text, encoding="utf-8")
    for name in ("topic.yaml", "facts.yaml", "diagrams.yaml"):
        (tmp_path / name).write_bytes((MINI / name).read_bytes())
    _, problems = check((tmp_path,), include_bundled=False)
    assert [p.code for p in problems] == ["SA204"]
    assert "did you mean 'Troubleshooting and Optimization'?" in problems[0].message


def test_a_question_carries_its_exam_domain() -> None:
    course, problems = check((MINI,), include_bundled=False)
    assert problems == []
    by_id = {q.id: q for q in course.questions}
    assert by_id["demo-max"].domain == "Development with AWS Services"
    assert by_id["demo-numeric"].domain is None
