"""`studyaws quiz` at a real terminal (tmux), answered with the keys a learner presses.

- 30 questions of every type, at 80×24 and at 60×20: every choice's whole text (as the course
  has it) and the whole question appear on screen, a question longer than the screen a page at a
  time; nothing is cut with "…".
- A mock exam left alone ends by itself when its time is up, and reports.
- Choose-two takes exactly two, an order takes back its last pick, `f` flags, `w` says why not.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from studyaws.content.loader import check
from studyaws.content.model import Course, Question
from studyaws.content.text import plain_inline, render_facts, strip_control
from studyaws.scenarios.questions import predict_questions
from studyaws.study import selection

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

STUDYAWS = Path(sys.executable).parent / "studyaws"


def flat(text: str) -> str:
    return " ".join(text.split())


def shown(course: Course, text: str) -> str:
    """A text as the quiz shows it: facts filled in, no Markdown marks."""
    return flat(plain_inline(strip_control(render_facts(text, course.facts))))


@pytest.fixture(scope="module")
def course() -> Course:
    found, problems = check()
    assert problems == []
    return found


def _pool(course: Course) -> tuple[Question, ...]:
    return selection.quizzable(
        course.questions + tuple(predict_questions(course.scenarios.values()))
    )


def seed(course: Course) -> int:
    """The first seed whose 30 questions have every type and a prediction among them."""
    pool = _pool(course)
    for candidate in range(1, 500):
        picked = selection.pick(pool, 30, candidate)
        types = {p.question.type for p in picked}
        if len(types) == 5 and any(p.question.scenario for p in picked):
            return candidate
    raise AssertionError("no seed gives every type")


def the_quiz(course: Course) -> tuple[selection.Presented, ...]:
    """The 30 questions `quiz all -n 30 --seed <seed>` asks."""
    return selection.pick(_pool(course), 30, seed(course))


def walk(course: Course, pane: Any, home: Path) -> list[str]:
    """Skip through the 30 questions; the problems seen (empty: every choice was whole)."""
    problems: list[str] = []
    width, height = pane.width, pane.height
    pane.start(f"quiz all -n 30 --seed {seed(course)}", env={"STUDYAWS_HOME": str(home)})
    try:
        for number, presented in enumerate(the_quiz(course), start=1):
            q: Question = presented.question
            seen = pane.wait_for(rf"Question {number}/30", regex=True)
            while "Enter confirm" not in seen.split(f"Question {number}/30")[-1]:
                screen = pane.wait_for(r"(Enter confirm|── more: Enter ──)", regex=True)
                seen += "\n" + screen
                if "── more: Enter ──" in screen.rstrip().split("\n")[-1]:
                    pane.send("Enter")
                    time.sleep(0.2)
            if "…" in seen:
                problems.append(f"{width}x{height} q{number}: a line cut with …")
            if any(len(line) > width for line in seen.split("\n")):
                problems.append(f"{width}x{height} q{number}: a line wider than the screen")
            text = flat(seen)
            if shown(course, q.prompt)[-60:] not in text:
                problems.append(f"{width}x{height} q{number} {q.id}: the question's end is missing")
            for _key, choice in q.choices:
                if shown(course, choice) not in text:
                    problems.append(f"{width}x{height} q{number} {q.id}: not whole: {choice!r}")
            pane.send("Enter" if q.type == "numeric" else "s")
            pane.wait_for(r"Enter next")
            pane.send("Enter")
        pane.wait_for(r"STUDYAWS-EXIT=0")
    finally:
        pane.kill()
    return problems


def test_thirty_questions_of_every_type_show_every_choice_whole(
    course: Course, tmp_path: Path, panes: Any
) -> None:
    types = {p.question.type for p in the_quiz(course)}
    assert types >= {"single", "multi", "numeric", "order", "truefalse"}, types
    assert any(p.question.scenario for p in the_quiz(course))  # a prediction, with its story
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = [
            pool.submit(walk, course, panes(80, 24), tmp_path / "80"),
            pool.submit(walk, course, panes(60, 20), tmp_path / "60"),
        ]
        problems = [p for run in runs for p in run.result()]
    assert not problems, "\n".join(problems)


def test_an_exam_left_alone_ends_by_itself_with_a_report(tmp_path: Path, panes: Any) -> None:
    pane = panes(80, 24)
    pane.start("quiz sqs --exam -n 3 --minutes 0.2", env={"STUDYAWS_HOME": str(tmp_path)})
    try:
        started = time.monotonic()
        pane.wait_for(
            r"⏱ 0:1\d left|── more", timeout=10, regex=True
        )  # the clock, or a long question
        screen = pane.wait_for(r"STUDYAWS-EXIT=0", timeout=15)
        assert time.monotonic() - started < 15
        assert "⏱ Time is up." in screen
        assert "Score: 0/3 right" in screen
    finally:
        pane.kill()


def test_choose_two_takes_two_and_f_flags_without_losing_the_picks(
    course: Course, tmp_path: Path, panes: Any
) -> None:
    """Three picks for a "choose two" are refused; taking one back and flagging keeps the two
    picks; Enter then answers; the flag is saved; `w` shows why the other choices are wrong."""
    import sqlite3

    multi = next(q for q in course.questions if q.type == "multi" and "(Choose 2.)" in q.prompt)
    pane = panes(80, 24)
    pane.start(
        f"quiz {multi.topic} --concept {multi.concepts[0]} -n 40 --seed 1",
        env={"STUDYAWS_HOME": str(tmp_path)},
    )
    try:
        for _ in range(60):
            screen = pane.wait_for(r"Enter confirm|Score:", regex=True)
            if "Score:" in screen:
                raise AssertionError("no choose-two question was asked")
            footer = screen.rstrip().split("\n")[-1]
            if "pick 2" in footer:
                pane.send("1", "2", "3", "Enter")
                pane.wait_for("Pick exactly 2: you have 3.")
                pane.send("3", "f")
                pane.wait_for("⚑ flagged")
                pane.send("Enter")
                screen = pane.wait_for(r"Enter next")
                assert "Your answer: (1) " in screen
                if "w why not" in screen:
                    pane.send("w")
                    pane.wait_for(r"Why not \(3\)", regex=True)
                pane.send("q")
                break
            pane.send("Enter" if "? skip" in footer else "s")
            pane.wait_for(r"Enter next")
            pane.send("Enter")
        screen = pane.wait_for(r"STUDYAWS-EXIT=0")
        assert "Stopped." in screen
    finally:
        pane.kill()
    conn = sqlite3.connect(tmp_path / "progress.sqlite3")
    try:
        flagged = [row[0] for row in conn.execute("SELECT question_id FROM flags")]
    finally:
        conn.close()
    assert len(flagged) == 1
