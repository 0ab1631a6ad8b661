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
        "cross-account", "s3-events", "visibility", "dlq", "lambda-consumers", "delay",
        "long-polling", "extended-client", "fifo", "fair-queues",
    ],
    "sns": ["overview", "topics-subscribers", "protocols", "fanout", "filtering", "delivery",
            "fifo-topics", "archive-replay"],
    "lambda": [
        "overview", "examples", "invocation", "alb", "function-urls", "eventbridge",
        "s3-triggers", "event-source-mapping", "esm-filter-scale", "destinations", "recursion",
        "environment", "vpc", "performance", "lifecycle", "layers", "concurrency", "deployment",
        "container-images", "versions-aliases", "codedeploy",
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
    """Every line fits, except a source link, which is never cut (it could not be clicked)."""
    monkeypatch.setenv("COLUMNS", str(columns))
    link = re.compile(r"\[\d+\] https://\S+")
    for topic in NOTES_SECTIONS:
        status, out, _ = run(capsys, "learn", topic)
        assert status == 0
        lines = out.splitlines()
        too_long = [line for line in lines if len(line) > columns and not link.fullmatch(line)]
        assert too_long == [], too_long[:3]
        assert "…" not in out  # nothing cut short: long words and titles wrap
        urls = {f.source for f in COURSE.facts.values() if f.topic == topic}
        shown = {line.split(" ", 1)[1] for line in lines if link.fullmatch(line)}
        assert shown <= urls
        assert shown


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
    assert re.search(
        r"sqs\s+Amazon SQS \(16 sections, \d+ questions \+ \d+ predictions, \d+% mastered\)", after
    )
    _, listing, _ = run(capsys, "topics")
    assert "% mastered)" in listing


def test_search_for_rich_markup_is_taken_literally(capsys: pytest.CaptureFixture[str]) -> None:
    """A query like `[/bold]` is text to look for, never console markup (it used to crash)."""
    status, out, err = run(capsys, "search", "[/bold]")
    assert (status, err) == (1, "")
    assert out == "No notes, facts or questions mention: [/bold]\n"


def test_search_splits_a_quoted_phrase_into_words(capsys: pytest.CaptureFixture[str]) -> None:
    _, apart, _ = run(capsys, "search", "--json", "visibility", "timeout")
    status, together, _ = run(capsys, "search", "--json", "VISIBILITY   timeout")
    assert status == 0
    assert json.loads(together) == json.loads(apart)


def test_search_never_matches_the_fact_markup_of_the_content(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Choices are written `{fact:ID}` in the files; the learner sees values: only those match."""
    status, out, _ = run(capsys, "search", "{fact:")
    assert status == 1
    assert out.startswith("No notes, facts or questions mention")


def test_search_snippets_have_no_markdown_marks(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "search", "--json", "protocol", "endpoint")
    assert status == 0
    snippet = json.loads(out)[0]["snippet"]
    assert snippet.startswith("A subscription names a protocol and an endpoint. SNS supports")
    assert "`" not in snippet


def test_an_ascii_only_output_gets_look_alikes_not_question_marks(tmp_path: Path) -> None:
    """PYTHONIOENCODING=ascii (or a Latin-1 locale): boxes, arrows and ticks become ASCII art."""
    import os
    import subprocess
    import sys

    def learn(encoding: str) -> str:
        environ = {**os.environ, "PYTHONIOENCODING": encoding, "STUDYAWS_HOME": str(tmp_path)}
        done = subprocess.run(
            [sys.executable, "-m", "studyaws", "learn", "sqs", "visibility"],
            capture_output=True,
            env=environ,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.decode(encoding)

    out = learn("ascii")
    assert out.count("?") == learn("utf-8").count("?")  # no replacement marks
    assert "+- Diagram: A received message is hidden" in out
    assert "|-- ReceiveMessage -->|" in out
    assert "| What " in out
    assert "x Claim: " in out
    assert "v Truth: " in out


def test_at_40_columns_limits_are_a_list_whose_items_wrap_under_themselves(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    status, out, _ = run(capsys, "learn", "sqs", "visibility")
    assert status == 0
    block = out.split("\nLimits\n", 1)[1].split("\n\n╭", 1)[0]
    assert block.startswith("• ")
    items = block.strip().split("\n• ")
    assert len(items) >= 3
    for item in items:
        first, *rest = item.splitlines()
        assert not first.startswith(" ")
        assert rest
        assert all(line.startswith("  ") for line in rest), item
        assert re.search(r" \[\d+\]$", rest[-1])  # the value, then its source number


def test_a_narrow_diagram_keeps_its_title_and_labels_whole(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    _, out, _ = run(capsys, "learn", "sqs", "visibility")
    diagram = COURSE.diagrams[COURSE.topic("sqs").section("visibility").diagrams[0]]  # type: ignore[union-attr]
    box = out.split("╭", 1)[1].split("╰", 1)[0]
    inside = " ".join(line.strip("│ ") for line in box.splitlines()[1:])
    assert f"Diagram: {diagram.title}" in inside
    for node in diagram.nodes:
        assert node.label in inside


def test_validate_in_colour_prints_a_key_that_looks_like_markup(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """On a terminal the report is coloured; a learner's key `[/red]` is text, not a crash."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    mine = tmp_path / "mine.yaml"
    mine.write_text('format_version: 1\nkind: facts\nfacts:\n  - id: x\n    "[/red]": 3\n')
    status, out, err = run(capsys, "validate", str(tmp_path))
    assert (status, err) == (1, "")
    plain = ANSI.sub("", re.sub(r"\x1b\[[0-9;]*m", "", out))
    assert re.search(r"mine\.yaml:5:5: SA201 unknown key '\[/red\]' in a fact", plain)


def test_a_learners_titles_are_text_not_markup(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, mini_course_dir: Path
) -> None:
    """A diagram titled `Queues [/b]` used to crash `learn` (rich read the title as markup)."""
    import shutil

    mine = tmp_path / "mine"
    shutil.copytree(mini_course_dir, mine)
    diagrams = mine / "diagrams.yaml"
    diagrams.write_text(diagrams.read_text().replace("title: Demo flow", "title: Demo [/b] flow"))
    status, out, err = run(capsys, "--content", str(mine), "learn", "demo", "basics")
    assert (status, err) == (0, "")
    assert "Diagram: Demo [/b] flow" in out
    assert "⚠ Misconception: older notes say so" in out
    assert "(E4)" not in out


def test_topics_and_welcome_wrap_inside_their_columns_at_40(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long section title continues under itself, not at the left edge under the bullets."""
    monkeypatch.setenv("COLUMNS", "40")
    _, listing, _ = run(capsys, "topics")
    lines = listing.splitlines()
    assert all(len(line) <= 40 for line in lines)
    ids = {t.id for t in COURSE.topics}
    at_edge = [line for line in lines if line and not line.startswith(" ")]
    assert all(line.split()[0] in ids or line.startswith("Read one") for line in at_edge), at_edge
    bullets = [line for line in lines if line.startswith("  • ")]
    assert len(bullets) == sum(len(t.sections) for t in COURSE.topics)
    _, welcome, _ = run(capsys)
    assert "  studyaws review     answer what is due\n" in welcome


def test_no_markdown_marks_in_captions_and_call_outs(capsys: pytest.CaptureFixture[str]) -> None:
    """Diagram captions and misconceptions are plain text: `protocol` shows as protocol."""
    for topic in NOTES_SECTIONS:
        _, out, _ = run(capsys, "learn", topic)
        assert "`" not in out
        assert "**" not in out


def test_output_piped_into_head_ends_quietly(tmp_path: Path) -> None:
    """`studyaws search visibility | head -1`: the reader leaves early; no traceback, status 0."""
    import subprocess
    import sys

    script = Path(sys.executable).parent / "studyaws"
    if not script.exists():
        pytest.skip("needs the installed studyaws script")
    env = {"PATH": "/usr/bin:/bin", "STUDYAWS_HOME": str(tmp_path), "COLUMNS": "80"}
    for args in (["search", "visibility"], ["learn", "lambda", "--no-pager"], ["topics"]):
        with subprocess.Popen(
            [str(script), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        ) as proc:
            assert proc.stdout is not None
            assert proc.stderr is not None
            proc.stdout.readline()
            proc.stdout.close()
            err = proc.stderr.read().decode()
            status = proc.wait(timeout=30)
        assert (status, err) == (0, ""), args
