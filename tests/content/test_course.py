"""The shipped course against its references: facts, the notes' errors, and the figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from studyaws.content.loader import load_course
from studyaws.content.units import to_base

ROOT = Path(__file__).resolve().parents[2]
COURSE = load_course()
FACT_IDS_TABLE = ROOT / "docs" / "fact-ids.md"


def _fixed_facts() -> list[tuple[str, str, str]]:
    rows = []
    for line in FACT_IDS_TABLE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and "_" in cells[0] and re.match(r"^[a-z][a-z0-9_]+$", cells[0]):
            rows.append((cells[0], cells[1].strip('"'), cells[2]))
    return rows


@pytest.mark.parametrize(("fact_id", "value", "unit"), _fixed_facts())
def test_fixed_fact_ids_have_their_agreed_value(fact_id: str, value: str, unit: str) -> None:
    """docs/fact-ids.md fixed these ids in advance; notes and questions rely on them."""
    fact = COURSE.facts[fact_id]
    assert fact.unit == unit
    if unit != "text":
        assert to_base(float(fact.value), fact.unit) == to_base(float(value), unit)


def test_every_fact_has_an_aws_source_and_a_checked_date() -> None:
    for fact in COURSE.facts.values():
        assert fact.source.startswith("https://"), fact.id
        assert re.match(r"^\d{4}-\d{2}-\d{2}$", fact.checked), fact.id


def test_every_error_of_the_notes_is_taught_as_a_flagged_misconception() -> None:
    """E1–E21 of aws-facts.md: each wrong or outdated claim of the notes is shown as one."""
    refs = {
        m.ref
        for topic in COURSE.topics
        for section in topic.sections
        for m in section.misconceptions
        if m.origin == "notes"
    }
    assert {f"E{n}" for n in range(1, 22)} <= refs


def test_the_figures_the_user_named_appear_with_their_status() -> None:
    """256 KB (old SQS limit), 14 days (max retention), 300 msg/s (FIFO per action), 3,008 MB."""
    size = COURSE.facts["sqs_max_message_size"]
    assert [h.value for h in size.history] == [262144]
    assert COURSE.facts["sqs_retention_max"].value == 14 * 86400
    assert COURSE.facts["sqs_fifo_throughput_default"].value == 300
    memory = COURSE.facts["lambda_memory_range"]
    assert memory.value == 10240
    assert [h.value for h in memory.history] == [3008]


def test_questions_meet_the_bank_counts() -> None:
    assert len(COURSE.questions_for("sqs")) >= 60
    assert len(COURSE.questions_for("sns")) >= 25
    assert len(COURSE.questions_for("lambda")) >= 60


def test_every_section_has_questions() -> None:
    asked = {(q.topic, q.section) for q in COURSE.questions}
    for topic in COURSE.topics:
        for section in topic.sections:
            assert (topic.id, section.id) in asked, f"{topic.id} {section.id}"


def test_question_types_are_all_used() -> None:
    used = {q.type for q in COURSE.questions}
    assert {"single", "multi", "numeric", "order", "truefalse"} <= used


LIMIT_IN_PROSE = re.compile(
    r"\b\d[\d,.]*\s*(?:seconds?|minutes?|hours?|days?|KB|MB|GB|KiB|MiB|GiB|bytes|messages"
    r"|TPS|msg/s|attempts|retries|layers)\b"
)


def test_notes_take_limits_from_facts_not_typed_in_prose() -> None:
    """A number is written once, in its fact; prose says {fact:ID} (code blocks are examples)."""
    typed = []
    for topic in COURSE.topics:
        for section in topic.sections:
            prose = re.sub(r"```.*?```", "", section.body, flags=re.DOTALL)
            prose = re.sub(r"`[^`]*`", "", prose)
            typed += [(topic.id, section.id, m.group()) for m in LIMIT_IN_PROSE.finditer(prose)]
    assert typed == []
