"""What a quiz leaves behind for the learner: misses due again within minutes (`review --ahead`,
`review --missed`), flags (`f`, `quiz --flagged`, `progress`), the count asked for by a
"choose two" question, the JSON of a review, and the Anki and CSV exports."""

from __future__ import annotations

import csv
import json
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from studyaws.content.model import Course
from studyaws.errors import StudyawsError
from studyaws.study.selection import pick, quizzable
from studyaws.ui.env import Env
from studyaws.ui.export import anki, csv_file
from studyaws.ui.progress import progress
from studyaws.ui.prompts import ScriptedPrompter
from studyaws.ui.quiz import quiz, review

MakeEnv = Callable[..., Env]


def wrong_lines(course: Course, n: int, seed: int) -> tuple[list[str], list[str]]:
    """Answer lines that get every question of `quiz sqs -n N --seed S` wrong, and their ids."""
    lines, ids = [], []
    for p in pick(course.questions_for("sqs"), n, seed):
        q = p.question
        ids.append(q.id)
        if q.type == "truefalse":
            lines.append("f" if q.answer else "t")
        elif q.type == "numeric":
            lines.append("1")
        elif q.type == "order":
            lines.append(" ".join(str(i) for i in range(len(p.order), 0, -1)))
        elif q.type == "multi":
            wrong = [k for k in p.order if k not in q.answer]  # type: ignore[operator]
            need = len(q.answer)  # type: ignore[arg-type]
            picks = (wrong + list(p.order))[:need]
            lines.append(",".join(str(p.number_of(k)) for k in picks))
        else:
            wrong = next(k for k in p.order if k != q.answer)
            lines.append(str(p.number_of(wrong)))
    return lines, ids


def test_misses_of_a_piped_quiz_come_back_with_review_ahead(
    sample: Course, make_env: MakeEnv, clock: Any
) -> None:
    """After a quiz with wrong answers, `review --ahead 30m -n 5 --json` asks those questions."""
    lines, ids = wrong_lines(sample, 3, 5)
    quiz(make_env("\n".join(lines) + "\n"), "sqs", n=3, seed=5)
    env = make_env()
    assert review(env, n=5, json_output=True) == 0  # nothing due this very minute
    assert json.loads(env.stdout.getvalue())["total"] == 0
    clock.advance(minutes=1)
    env = make_env("\n" * 5)
    assert review(env, n=5, ahead="30m", json_output=True) == 0
    data = json.loads(env.stdout.getvalue())
    assert data["mode"] == "review"
    assert "seed" not in data
    assert sorted(q["id"] for q in data["questions"]) == sorted(ids)


def test_review_missed_drills_todays_misses_now(sample: Course, make_env: MakeEnv) -> None:
    lines, ids = wrong_lines(sample, 2, 8)
    quiz(make_env("\n".join(lines) + "\n"), "sqs", n=2, seed=8)
    env = make_env("\n\n")
    assert review(env, missed=True) == 0
    out = env.stdout.getvalue()
    assert "Review: 2 questions" in out
    env = make_env()
    review(env, missed=True, json_output=True)
    assert sorted(q["id"] for q in json.loads(env.stdout.getvalue())["questions"]) == sorted(ids)


def test_nothing_due_says_when_in_minutes(sample: Course, make_env: MakeEnv) -> None:
    lines, _ids = wrong_lines(sample, 1, 5)
    quiz(make_env("\n".join(lines) + "\n"), "sqs", n=1, seed=5)
    env = make_env()
    review(env)
    out = " ".join(env.stdout.getvalue().split())
    assert "Nothing is due now. Next: 1 question in 5 minutes" in out
    assert "studyaws review --ahead 5m" in out


def test_f_flags_a_question_for_quiz_flagged_and_progress(
    sample: Course, make_env: MakeEnv
) -> None:
    [first] = pick(sample.questions_for("sqs"), 1, 4)
    env = make_env("flag\n\n")  # (a true-or-false question: there "f" means False)
    quiz(env, "sqs", n=1, seed=4)
    assert "⚑ Flagged" in env.stdout.getvalue()
    env = make_env("\n")
    assert quiz(env, "sqs", flagged=True, seed=1) == 0
    out = env.stdout.getvalue()
    assert "Quiz: sqs, 1 question" in out
    assert "⚑ flagged" in out
    env = make_env()
    progress(env)
    assert "Flagged (1): studyaws quiz all --flagged" in env.stdout.getvalue()
    assert first.question.id in env.stdout.getvalue()


def test_quiz_flagged_with_no_flags_says_how_to_flag(sample: Course, make_env: MakeEnv) -> None:
    with pytest.raises(StudyawsError, match="no flagged questions in sqs: press f"):
        quiz(make_env(), "sqs", flagged=True)


def test_flag_in_the_prompt_keeps_the_question(sample: Course, make_env: MakeEnv) -> None:
    """Interactive: the prompter toggles the flag and the same question is still asked."""
    from studyaws.ui.prompts import Action

    prompter = ScriptedPrompter([Action.FLAG, Action.SKIP])
    env = make_env(tty=True, prompter=prompter)
    quiz(env, "sqs", n=1, seed=4)
    assert len(prompter.asked) == 2
    assert prompter.asked[1].flagged


def test_choose_two_takes_exactly_two_piped(sample: Course, make_env: MakeEnv) -> None:
    [p] = pick(sample.questions, 1, 1, concept="redrive")
    assert p.question.type == "multi"
    env = make_env("1,2,3\n" + ",".join(str(p.number_of(k)) for k in p.question.answer) + "\n")  # type: ignore[union-attr]
    quiz(env, "sqs", n=1, seed=1, concept="redrive")
    out = env.stdout.getvalue()
    assert "this question takes 2 choices, not 3. Try again." in out
    assert "✓ Correct" in out


def test_a_piped_quiz_gives_up_on_a_line_that_never_fits(sample: Course, make_env: MakeEnv) -> None:
    """`yes 9 | studyaws quiz sqs -n 3` ends: three unreadable lines skip a question."""
    env = make_env("9\n" * 50)
    assert quiz(env, "sqs", n=3, seed=2) == 0
    out = env.stdout.getvalue()
    assert out.count("skipped after 3 unreadable answers") <= 3
    assert "Score: " in out


def test_after_a_right_answer_w_shows_why_not_the_others(sample: Course, make_env: MakeEnv) -> None:
    prompter = ScriptedPrompter(["12 hours", "w"])
    env = make_env(tty=True, prompter=prompter)
    quiz(env, "sqs", n=1, seed=1, concept="visibility-timeout")
    out = " ".join(env.stdout.getvalue().split())
    assert "✓ Correct" in out
    assert "15 minutes is the maximum delay (DelaySeconds)" in out  # a why-not, on request
    assert any("w why not the others" in keys for keys in prompter.keys_shown)


# -- export ---------------------------------------------------------------------------------------


def _notes(path: Path, tmp_path: Path) -> list[tuple[str, str]]:
    with zipfile.ZipFile(path) as deck:
        deck.extract("collection.anki2", tmp_path)
    conn = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        return [(r[0], r[1]) for r in conn.execute("SELECT guid, flds FROM notes ORDER BY guid")]
    finally:
        conn.close()


def test_the_anki_deck_holds_every_question_once_and_keeps_its_guids(
    sample: Course, make_env: MakeEnv, tmp_path: Path
) -> None:
    """An .apkg is a zip with a SQLite collection: one note per question; exporting again gives
    the same GUIDs, so Anki updates the notes instead of adding copies."""
    deck = tmp_path / "deck.apkg"
    assert anki(make_env(), deck) == 0
    first = _notes(deck, tmp_path / "a")
    assert len(first) == len(quizzable(sample.questions))
    assert len({guid for guid, _ in first}) == len(first)
    visibility = next(f for _g, f in first if "longest visibility timeout" in f)
    assert "12 hours" in visibility
    assert "Why not" not in visibility  # the field holds text; the label is in the template
    assert anki(make_env(), deck) == 0
    assert [g for g, _ in _notes(deck, tmp_path / "b")] == [g for g, _ in first]
    assert anki(make_env(), tmp_path / "sns.apkg", ["sns"]) == 0
    sns = quizzable(sample.questions_for("sns"))
    assert len(_notes(tmp_path / "sns.apkg", tmp_path / "c")) == len(sns)


def test_the_csv_has_a_row_per_question(sample: Course, make_env: MakeEnv, tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    assert csv_file(make_env(), path, ["sqs"]) == 0
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(quizzable(sample.questions_for("sqs")))
    row = next(r for r in rows if r["id"] == "sqs-visibility-max")
    assert row["answer"].endswith("12 hours")
    assert row["read_more"] == "studyaws learn sqs visibility"


def test_an_export_to_a_missing_directory_is_one_line(
    sample: Course, make_env: MakeEnv, tmp_path: Path
) -> None:
    with pytest.raises(StudyawsError, match="is not a directory"):
        csv_file(make_env(), tmp_path / "nope" / "q.csv")


def test_a_failing_save_is_said_once_and_the_summary_never_claims_it_saved(
    sample: Course, make_env: MakeEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studyaws.study.store import Store, StoreError

    def broken(*_a: object, **_kw: object) -> None:
        raise StoreError("the disk is full")

    monkeypatch.setattr(Store, "record", broken)
    env = make_env("\n\n")
    assert quiz(env, "sqs", n=2, seed=3) == 0
    err = env.stderr.getvalue()
    assert err.count("could not save your answer (the disk is full); the quiz goes on") == 1
    out = env.stdout.getvalue()
    assert "Only 0 answers could be saved" in out
    assert "comes back in review" not in out
