"""Reading the course: `studyaws`, `topics`, `learn`, `search` as a learner sees them."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from studyaws.cli import main
from studyaws.content.loader import load_course

ANSI = re.compile(r"\x1b\[")
COURSE = load_course()
NOTES_SECTIONS = {
    "sqs": [
        "overview", "producers", "consumers", "scaling-asg", "decoupling", "security",
        "cross-account", "s3-events", "visibility", "dlq", "delay", "long-polling",
        "extended-client", "fifo",
    ],
    "sns": ["overview", "topics-subscribers", "protocols", "fanout", "filtering", "delivery",
            "fifo-topics"],
    "lambda": [
        "overview", "examples", "invocation", "alb", "eventbridge", "s3-triggers",
        "event-source-mapping", "destinations", "environment", "vpc", "performance", "layers",
        "concurrency", "deployment", "container-images", "versions-aliases", "codedeploy",
    ],
}  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_every_section_of_the_notes_is_reachable(capsys: pytest.CaptureFixture[str]) -> None:
    """Each part of the seed notes has a section that `learn TOPIC SECTION` renders."""
    for topic, sections in NOTES_SECTIONS.items():
        assert [s.id for s in COURSE.topic(topic).sections] == sections  # type: ignore[union-attr]
        for section in sections:
            status, out, err = run(capsys, "learn", topic, section)
            assert status == 0, (topic, section, err)
            title = COURSE.topic(topic).section(section).title  # type: ignore[union-attr]
            assert title in out


def test_learn_sqs_piped_is_plain_text_with_facts_filled_in(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(capsys, "learn", "sqs")
    assert status == 0
    assert err == ""
    assert not ANSI.search(out)
    assert "{fact:" not in out
    assert "1 MiB" in out  # the size limit today
    assert "256 KiB" in out  # ... and what it was
    assert "✗ Claim:" in out
    assert "✓ Truth:" in out
    assert "https://docs.aws.amazon.com/" in out  # each fact linked to its AWS page
    assert all(line == line.rstrip() for line in out.splitlines())


@pytest.mark.parametrize("columns", [40, 200])
def test_learn_fits_narrow_and_wide_terminals(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    for topic in NOTES_SECTIONS:
        status, out, _ = run(capsys, "learn", topic)
        assert status == 0
        too_long = [line for line in out.splitlines() if len(line) > columns]
        assert too_long == [], too_long[:3]


def test_no_color_and_dumb_terminals_get_no_escape_codes(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    _, coloured, _ = run(capsys, "learn", "sqs", "visibility")
    assert ANSI.search(coloured)
    monkeypatch.setenv("NO_COLOR", "1")
    _, plain, _ = run(capsys, "learn", "sqs", "visibility")
    assert not ANSI.search(plain)
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    _, dumb, _ = run(capsys, "learn", "sqs", "visibility")
    assert not ANSI.search(dumb)


def test_unknown_topic_is_one_line_naming_the_real_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(capsys, "learn", "kinesis")
    assert status == 2
    assert out == ""
    assert err == "studyaws: error: unknown topic 'kinesis'; topics: sqs, sns, lambda\n"


def test_unknown_section_is_one_line_naming_the_sections(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, _, err = run(capsys, "learn", "sqs", "visibilty")
    assert status == 2
    assert err.count("\n") == 1
    assert "unknown section 'visibilty' of sqs; sections: overview, producers" in err


def test_a_section_points_to_the_next_one_and_the_quiz(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(capsys, "learn", "sqs", "visibility")
    assert "Next: studyaws learn sqs dlq" in out
    assert "Test yourself: studyaws quiz sqs" in out


def test_topics_json_lists_sections_questions_and_scenarios(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "topics", "--json")
    assert status == 0
    rows = json.loads(out)
    assert [r["id"] for r in rows] == ["sqs", "sns", "lambda"]
    for row in rows:
        assert {"id", "title", "sections", "questions", "scenarios"} <= row.keys()
        assert [s["id"] for s in row["sections"]] == NOTES_SECTIONS[row["id"]]
        assert row["questions"] == len(COURSE.questions_for(row["id"]))


def test_topics_lists_every_section(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "topics")
    assert status == 0
    for sections in NOTES_SECTIONS.values():
        for section in sections:
            assert f"• {section}" in out


def test_welcome_points_to_the_next_step(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys)
    assert status == 0
    assert "studyaws learn sqs" in out
    assert "studyaws quiz sqs" in out


def test_search_finds_notes_facts_and_questions(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "search", "--json", "visibility", "timeout")
    assert status == 0
    hits = json.loads(out)
    kinds = {h["kind"] for h in hits}
    assert kinds == {"note", "fact", "question"}
    assert hits[0]["command"] == "studyaws learn sqs visibility"


def test_search_with_no_match_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "search", "xylophone")
    assert status == 1
    assert "No notes, facts or questions mention: xylophone" in out


def test_a_learners_broken_file_is_reported_with_file_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "mine.yaml"
    broken.write_text("format_version: 1\nkind: facts\nfacts:\n  - id: x\n    valu: 3\n")
    status, out, _ = run(capsys, "validate", str(tmp_path))
    assert status == 1
    lines = out.splitlines()
    assert any(re.search(r"mine\.yaml:5:5: SA201 unknown key 'valu'", line) for line in lines)
    assert any(re.search(r"mine\.yaml:4:5: SA202 .* 'statement'", line) for line in lines)
    assert lines[-1].endswith("problems in 1 file")
    status, _, err = run(capsys, "--content", str(tmp_path), "learn", "sqs")
    assert status == 1
    assert err.startswith("studyaws: error: ")
    assert "mine.yaml:" in err
    assert err.count("\n") == 1


def test_the_shipped_course_validates_clean(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "validate")
    assert status == 0, out
    assert out.startswith("ok: 3 topics")


def test_a_learners_directory_adds_a_topic(
    capsys: pytest.CaptureFixture[str], mini_course_dir: Path
) -> None:
    status, out, _ = run(capsys, "--content", str(mini_course_dir), "learn", "demo", "basics")
    assert status == 0
    assert "0 seconds – 12 hours" in out


def test_welcome_and_topics_show_mastery_once_the_learner_has_answered(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, before, _ = run(capsys)
    assert "mastered" not in before
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n"))
    run(capsys, "quiz", "sqs", "-n", "1", "--seed", "3")
    _, after, _ = run(capsys)
    assert re.search(r"sqs\s+Amazon SQS \(14 sections, \d+ questions, \d+% mastered\)", after)
    _, listing, _ = run(capsys, "topics")
    assert "% mastered)" in listing
