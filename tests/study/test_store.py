"""The progress database: WAL, a transaction per answer, migrations, corruption, two writers."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from studyaws.study.scheduling import Rating
from studyaws.study.store import (
    DB_NAME,
    MIGRATIONS,
    SCHEMA_VERSION,
    Store,
    StoreError,
)


def record(store: Store, qid: str, correct: bool, at: datetime, topic: str = "sqs") -> datetime:
    return store.record(
        question_id=qid,
        topic=topic,
        concepts=("visibility-timeout",),
        given="b" if not correct else "a",
        correct=correct,
        rating=Rating.GOOD if correct else Rating.AGAIN,
        now=at,
        duration_ms=1234,
    )


def test_wal_mode_busy_timeout_and_schema_version(store: Store) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert store.schema_version() == SCHEMA_VERSION


def test_an_answer_is_a_card_and_a_review_log(store: Store, now: datetime) -> None:
    due = record(store, "sqs-visibility-max", False, now)
    assert due == now + timedelta(minutes=5)
    [card] = store.cards()
    assert (card.question_id, card.topic, card.concepts, card.due) == (
        "sqs-visibility-max",
        "sqs",
        ("visibility-timeout",),
        due,
    )
    [log] = store.reviews()
    assert (log.answered_at, log.given, log.correct, log.rating, log.duration_ms) == (
        now,
        "b",
        False,
        int(Rating.AGAIN),
        1234,
    )


def test_a_second_answer_reschedules_the_same_card(store: Store, now: datetime) -> None:
    first = record(store, "q", True, now)
    second = record(store, "q", True, first)
    assert second > first + timedelta(days=2)
    assert len(store.cards()) == 1
    assert len(store.reviews()) == 2


def test_a_version_1_file_is_migrated_keeping_its_answers(data_dir: Path, now: datetime) -> None:
    data_dir.mkdir(parents=True)
    conn = sqlite3.connect(data_dir / DB_NAME)
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute(
        "INSERT INTO reviews (question_id, topic, concepts, answered_at, given, correct, rating,"
        " duration_ms) VALUES ('q', 'sqs', '[]', ?, '\"a\"', 1, 3, 10)",
        (now.isoformat(),),
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store.open(data_dir, now) as store:
        assert store.schema_version() == SCHEMA_VERSION == 3
        [log] = store.reviews()
        assert (log.question_id, log.hinted, log.mode) == ("q", False, "quiz")
        indexes = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
        assert {"cards_due", "reviews_answered_at"} <= indexes


def test_a_file_from_a_newer_studyaws_is_refused_not_touched(data_dir: Path, now: datetime) -> None:
    data_dir.mkdir(parents=True)
    conn = sqlite3.connect(data_dir / DB_NAME)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer studyaws"):
        Store.open(data_dir, now)
    assert list(data_dir.glob("*.corrupt-*")) == []


def test_a_corrupt_file_is_moved_aside_with_a_warning(data_dir: Path, now: datetime) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / DB_NAME).write_bytes(b"this is not a database, it is a shopping list\n" * 200)
    warnings: list[str] = []
    with Store.open(data_dir, now, warn=warnings.append) as store:
        assert store.cards() == []
        record(store, "q", True, now)
    aside = data_dir / f"{DB_NAME}.corrupt-20260302T090000Z"
    assert aside.read_bytes().startswith(b"this is not a database")
    assert len(warnings) == 1
    assert aside.name in warnings[0]
    assert "fresh one" in warnings[0]


def test_a_damaged_page_is_detected(data_dir: Path, now: datetime) -> None:
    with Store.open(data_dir, now) as store:
        for i in range(300):
            record(store, f"q{i}", True, now)
    path = data_dir / DB_NAME
    raw = bytearray(path.read_bytes())
    raw[4096 * 2 : 4096 * 2 + 200] = b"\xff" * 200  # a b-tree page, not the header
    path.write_bytes(bytes(raw))
    warnings: list[str] = []
    with Store.open(data_dir, now, warn=warnings.append) as store:
        assert store.cards() == []
    assert warnings
    assert list(data_dir.glob(f"{DB_NAME}.corrupt-*"))


def test_a_locked_file_is_waited_for_not_moved_aside(data_dir: Path, now: datetime) -> None:
    with Store.open(data_dir, now) as store:
        record(store, "q", True, now)
    other = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with Store.open(data_dir, now) as store:
            assert len(store.cards()) == 1  # readers are not blocked in WAL mode
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert list(data_dir.glob("*.corrupt-*")) == []


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime, timedelta
    from pathlib import Path
    from studyaws.study.scheduling import Rating
    from studyaws.study.store import Store

    name, count = sys.argv[2], int(sys.argv[3])
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with Store.open(Path(sys.argv[1]), start) as store:
        for i in range(count):
            store.record(
                question_id=f"shared-{i % 5}", topic="sqs", concepts=["c"], given=name,
                correct=i % 2 == 0, rating=Rating.GOOD if i % 2 == 0 else Rating.AGAIN,
                now=start + timedelta(seconds=i), duration_ms=i,
            )
    """
)


def test_two_processes_answering_at_once_lose_nothing(data_dir: Path, now: datetime) -> None:
    """Two terminals quizzing at once: every answer of both is kept, the file stays sound."""
    count = 150
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(data_dir), name, str(count)])
        for name in ("left", "right")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    with Store.open(data_dir, now) as store:
        reviews = store.reviews()
        assert len(reviews) == 2 * count
        assert {r.given for r in reviews} == {"left", "right"}
        assert {c.question_id for c in store.cards()} == {f"shared-{i}" for i in range(5)}
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_export_import_round_trip(tmp_path: Path, now: datetime) -> None:
    with Store.open(tmp_path / "a", now) as source:
        due = record(source, "q1", True, now)
        record(source, "q2", False, now + timedelta(minutes=1), topic="sns")
        exported = json.loads(json.dumps(source.export(now)))
        cards, reviews = source.cards(), source.reviews()
    assert exported["format"] == "studyaws-progress"
    with Store.open(tmp_path / "b", now) as target:
        assert target.import_(exported, now) == (2, 2)
        assert target.cards() == cards
        assert target.reviews() == reviews
        assert target.dues()["q1"] == due
        # Importing the same file again changes nothing.
        assert target.import_(exported, now) == (0, 0)
        assert len(target.reviews()) == 2


def test_import_keeps_the_more_recently_reviewed_card(tmp_path: Path, now: datetime) -> None:
    with Store.open(tmp_path / "old", now) as old:
        record(old, "q", False, now)
        stale = old.export(now)
    with Store.open(tmp_path / "new", now) as new:
        record(new, "q", True, now + timedelta(days=3))
        before = new.cards()
        assert new.import_(stale, now) == (0, 1)
        assert new.cards() == before
        assert len(new.reviews()) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "not a studyaws progress export"),
        ({"format": "studyaws-progress", "version": 9}, "version 9"),
        ({"format": "studyaws-progress", "version": 1, "cards": {}}, "lists"),
        (
            {
                "format": "studyaws-progress",
                "version": 1,
                "cards": [{"question_id": 1}],
                "reviews": [],
            },
            r"cards\[0\]: \"question_id\" must be a str",
        ),
    ],
)
def test_a_bad_import_is_refused_and_changes_nothing(
    store: Store, now: datetime, data: object, message: str
) -> None:
    record(store, "q", True, now)
    with pytest.raises(StoreError, match=message):
        store.import_(data, now)
    assert len(store.reviews()) == 1


def test_reset_one_topic_or_all(store: Store, now: datetime) -> None:
    record(store, "q1", True, now, topic="sqs")
    record(store, "q2", True, now, topic="sns")
    assert store.reset("sqs") == 1
    assert [c.topic for c in store.cards()] == ["sns"]
    assert [r.topic for r in store.reviews()] == ["sns"]
    assert store.reset() == 1
    assert store.cards() == []
    assert store.reviews() == []
