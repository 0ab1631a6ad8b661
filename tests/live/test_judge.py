"""A case's verdict from its compared lines (pure)."""

from __future__ import annotations

from studyaws.live.catalogue import MODEL_DIFFERENCES, Case
from studyaws.live.diff import Comparison
from studyaws.live.verify import AGREE, DIFFERS, MODEL, MOTO, Step, judge

CASE = Case(
    "demo",
    "demo",
    (),
    """
    create-queue q
    send q a
    receive q   # moto: FIFO-04
    stats q
    """,
)


def steps(*agree: bool) -> list[Step]:
    return [
        Step(n, line, {"ok": True}, {"ok": True}, Comparison(a, "" if a else "different"))
        for n, (line, a) in enumerate(zip(CASE.lines, agree, strict=True), start=1)
    ]


def test_all_lines_agree() -> None:
    assert judge(CASE, steps(True, True, True, True), moto=True) == (AGREE, {})


def test_a_documented_moto_divergence_on_its_line_is_explained_on_moto_only() -> None:
    """Against a moto server the documented divergence explains the difference; against any
    other endpoint (AWS itself) the same difference is a failure."""
    verdict, explained = judge(CASE, steps(True, True, False, True), moto=True)
    assert verdict == MOTO
    assert explained[3].id == "FIFO-04"
    assert judge(CASE, steps(True, True, False, True), moto=False)[0] == DIFFERS


def test_a_difference_on_another_line_is_not_explained() -> None:
    """A documented divergence explains its own line, not a difference elsewhere in the case."""
    assert judge(CASE, steps(True, True, False, False), moto=True)[0] == DIFFERS


def test_a_known_model_difference_applies_everywhere(monkeypatch) -> None:
    monkeypatch.setitem(MODEL_DIFFERENCES, "demo-bug", "the model is wrong here")
    case = Case("d", "d", (), "create-queue q\nstats q   # model: demo-bug\n")
    two = [
        Step(1, case.lines[0], {"ok": True}, {"ok": True}, Comparison(True)),
        Step(2, case.lines[1], {"ok": True}, {"ok": False}, Comparison(False, "x")),
    ]
    assert judge(case, two, moto=False)[0] == MODEL
