"""The shipped course against its references: facts, the notes' errors, and the figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from studyaws.content.advice import BIAS_MAX, right_is_longest
from studyaws.content.loader import check, load_course
from studyaws.content.model import DVA_DOMAINS
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


def test_the_notes_fault_tolerance_claim_is_taught_as_a_misconception() -> None:
    """E22: the notes' "replaces failed executions" claim; synchronous errors are not retried."""
    overview = COURSE.topic("lambda").section("overview")  # type: ignore[union-attr]
    assert overview is not None
    flagged = [m for m in overview.misconceptions if m.ref == "E22"]
    assert flagged
    assert flagged[0].origin == "notes"
    assert "lambda_sync_no_retry" in flagged[0].facts


def test_questions_meet_the_bank_counts() -> None:
    """Issue 12: the bank at certification depth (authored questions, not scenario checkpoints)."""
    assert len(COURSE.questions_for("sqs")) >= 85
    assert len(COURSE.questions_for("sns")) >= 40
    assert len(COURSE.questions_for("lambda")) >= 110


# Each area the associate exams ask about beyond the original notes (issue 12), drilled by at
# least four questions: (topic or None for all, section, concepts any of which counts).
CERTIFICATION_AREAS = {
    "execution environment lifecycle, cold starts, SnapStart": ("lambda", "lifecycle", ()),
    "function URLs and response streaming": ("lambda", "function-urls", ()),
    "event filtering on event source mappings": (None, None, ("event-filtering",)),
    "MaximumConcurrency and provisioned mode of SQS mappings": (None, None, ("sqs-scaling",)),
    "SQS fair queues": (None, None, ("fair-queues",)),
    "SNS FIFO archive and replay": ("sns", "archive-replay", ()),
    "Lambda recursive loop detection": (None, None, ("recursion",)),
    "NAT devices, and what built-in fault tolerance doesn't do": (
        None,
        None,
        ("nat", "fault-tolerance"),
    ),
}


@pytest.mark.parametrize("area", sorted(CERTIFICATION_AREAS))
def test_each_certification_area_has_at_least_four_questions_of_two_types(area: str) -> None:
    topic, section, concepts = CERTIFICATION_AREAS[area]
    found = [
        q
        for q in COURSE.questions
        if (topic is None or q.topic == topic)
        and (section is None or q.section == section)
        and (not concepts or set(concepts) & set(q.concepts))
    ]
    assert len(found) >= 4, [q.id for q in found]
    assert len({q.type for q in found}) >= 2, [q.id for q in found]


def test_every_bundled_question_names_its_exam_domain() -> None:
    """The exam report groups answers by DVA-C02 domain, so no bundled question may lack one."""
    missing = [q.id for q in COURSE.questions if q.domain not in DVA_DOMAINS]
    assert missing == []
    assert {q.domain for q in COURSE.questions} == set(DVA_DOMAINS)


def test_the_right_choice_is_not_usually_the_longest() -> None:
    """A learner must not score by picking the longest choice: per topic at most 40 %."""
    for topic in ("sqs", "sns", "lambda"):
        single = [q for q in COURSE.questions_for(topic) if q.type == "single"]
        longest = [q.id for q in single if right_is_longest(q, COURSE.facts)]
        assert len(longest) <= BIAS_MAX * len(single), (topic, longest)


def test_the_bundled_course_has_no_warnings() -> None:
    _, problems = check()
    assert [str(p) for p in problems] == []


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


def test_no_text_calls_the_old_claims_the_notes() -> None:
    """In `learn`, "the notes" means the course: the seed notes' claims are "older study notes"
    or "a common claim", never "the notes" (and no catalogue id like E4 or M6 is shown)."""
    import re

    course, _problems = check()
    texts: list[str] = []
    for q in course.questions:
        texts += [q.prompt, q.explanation, q.hint, *(t for _, t in q.choices)]
        texts += [w for _, w in q.why_not]
    for topic in course.topics:
        for section in topic.sections:
            texts.append(section.body)
            for m in section.misconceptions:
                texts += [m.claim, m.truth]
    texts += [f.statement for f in course.facts.values()]
    for s in course.scenarios.values():
        texts += [s.story, *(step.say for step in s.steps)]
        texts += [t for cp in s.checkpoints for t in (cp.ask, cp.rule, cp.hint)]
    said = [t for t in texts if re.search(r"\b[Tt]he notes\b", t)]
    assert said == []
