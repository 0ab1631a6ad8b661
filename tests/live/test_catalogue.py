"""The verification catalogue is data checked like code: it parses, it runs on the model, and
every explained difference names a documented one."""

from __future__ import annotations

import pytest

from studyaws.live.catalogue import CASES, MODEL_DIFFERENCES, command_text, select
from studyaws.live.divergences import MOTO_DIVERGENCES
from studyaws.live.safety import estimate
from studyaws.live.verify import run_model


def test_at_least_25_cases_with_unique_ids() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) >= 25
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_every_case_runs_on_the_model(case) -> None:
    """Each script is sandbox language: every line parses and runs (an AWS error is a result)."""
    steps = run_model(case.lines)
    assert steps, "a case with no command"
    assert all("ok" in step.result for step in steps)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_every_explained_difference_is_documented(case) -> None:
    """`# moto: ID` names a row of the documented moto divergences, `# model: ID` a known model
    difference; the marker is a comment, so the command is unchanged."""
    for number, expectation in case.expectations().items():
        known = MOTO_DIVERGENCES if expectation.kind == "moto" else MODEL_DIFFERENCES
        assert expectation.id in known, f"{case.id} line {number}: unknown {expectation.id}"
        line = case.lines[number - 1]
        assert command_text(line) == line.split("#  ", 1)[0].split(" # ", 1)[0].rstrip()


def test_the_catalogue_covers_what_the_issue_lists() -> None:
    """Visibility expiry, DLQ, delay, long polling, FIFO order and groups, the dedup window,
    purge, batch limits, size limits, SNS filter policies, raw delivery and fan-out."""
    ids = {case.id for case in CASES}
    for wanted in (
        "sqs-visibility-expiry",
        "sqs-dlq",
        "sqs-queue-delay",
        "sqs-long-poll",
        "sqs-fifo-groups",
        "sqs-fifo-dedup",
        "sqs-purge",
        "sqs-receive-limits",
        "sqs-message-size",
        "sns-filter-and-or",
        "sns-raw-delivery",
        "sns-fanout",
    ):
        assert wanted in ids


def test_the_timeouts_are_short() -> None:
    """Ticks and long polls of a few seconds (the upper bound counts every long poll whole, and
    sqs-long-poll asks for a refused 21 s one), so the catalogue runs in seconds."""
    waits = {case.id: estimate(case.lines).wait_s for case in CASES}
    assert max(waits.values()) <= 30
    assert sorted(waits.values())[-2] <= 10
    assert sum(waits.values()) <= 180


def test_select_by_prefix() -> None:
    assert {c.id for c in select("sns-filter")} == {
        c.id for c in CASES if c.id.startswith("sns-filter")
    }
    assert select("nothing-like-this") == []
    assert len(select(None)) == len(CASES)
