"""The learner's memory: fsrs cards and every answer, in SQLite (stdlib) under the data dir.

Rules:
- WAL mode and a busy timeout, so a second process (another terminal's quiz, `progress`) waits for
  a lock instead of failing, and readers never block the writer.
- One `BEGIN IMMEDIATE` transaction per answer: the card is read, rescheduled and written, and the
  review log row appended, all or nothing. Killing the process loses at most the answer being given.
- The schema version is SQLite's `user_version`; `MIGRATIONS[i]` takes version i to i + 1, inside a
  transaction that re-reads the version (two processes may open a new file at once). A file from a
  newer studyaws is refused, never downgraded.
- A file SQLite reports as corrupt or not a database is moved aside to
  `progress.sqlite3.corrupt-<UTC timestamp>` (with its -wal/-shm), the learner is warned through
  `warn`, and a fresh file is started. A *locked* file is never treated as corrupt.
- Export/import is plain JSON (`EXPORT_FORMAT`); import merges: a card is replaced only by one
  reviewed more recently, and a review already present (same question, same time) is not doubled.
- Times are passed in (UTC); this module never reads the clock.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from studyaws.study import scheduling
from studyaws.study.grading import JsonAnswer

DB_NAME = "progress.sqlite3"
EXPORT_FORMAT = "studyaws-progress"
EXPORT_VERSION = 1
BUSY_TIMEOUT_MS = 10_000
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 0 → 1: cards and the review log.
    (
        """CREATE TABLE cards (
            question_id TEXT PRIMARY KEY,
            topic TEXT NOT NULL,
            concepts TEXT NOT NULL,
            card TEXT NOT NULL,
            due TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE reviews (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            question_id TEXT NOT NULL,
            topic TEXT NOT NULL,
            concepts TEXT NOT NULL,
            answered_at TEXT NOT NULL,
            given TEXT NOT NULL,
            correct INTEGER NOT NULL,
            rating INTEGER NOT NULL,
            duration_ms INTEGER
        )""",
    ),
    # 1 → 2: hints and the mode of an answer (quiz, review, exam); indexes for review and stats.
    (
        "ALTER TABLE reviews ADD COLUMN hinted INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE reviews ADD COLUMN mode TEXT NOT NULL DEFAULT 'quiz'",
        "CREATE INDEX cards_due ON cards (due)",
        "CREATE INDEX cards_topic ON cards (topic)",
        "CREATE INDEX reviews_answered_at ON reviews (answered_at)",
        "CREATE INDEX reviews_question ON reviews (question_id, answered_at)",
    ),
    # 2 → 3: the learner's flags on questions ("ask me again", "this key looks wrong").
    (
        """CREATE TABLE flags (
            question_id TEXT PRIMARY KEY,
            topic TEXT NOT NULL,
            flagged_at TEXT NOT NULL
        )""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Exception):
    """The progress file can't be used as asked (newer schema, bad import file)."""


@dataclass(frozen=True, slots=True)
class CardRow:
    question_id: str
    topic: str
    concepts: tuple[str, ...]
    card: str
    due: datetime


@dataclass(frozen=True, slots=True)
class ReviewRow:
    question_id: str
    topic: str
    concepts: tuple[str, ...]
    answered_at: datetime
    given: JsonAnswer
    correct: bool
    rating: int
    duration_ms: int | None
    hinted: bool = False
    mode: str = "quiz"


def iso(when: datetime) -> str:
    """UTC, fixed width, so text order is time order in SQL."""
    if when.tzinfo is None:
        raise ValueError(f"times must be UTC-aware, got {when!r}")
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def from_iso(text: str) -> datetime:
    when = datetime.fromisoformat(text)
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
    if isinstance(exc, sqlite3.OperationalError):
        return False  # locked, busy, disk I/O: not the file's fault
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return True
    return (code & 0xFF) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _check(conn: sqlite3.Connection) -> None:
    """Raise sqlite3.DatabaseError when the file is not a sound database."""
    mode = None
    for _attempt in range(50):
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()
            break
        except sqlite3.OperationalError as exc:
            # Two processes creating the file at once: SQLite answers "locked" here without
            # calling the busy handler. Wait for the other one through a lock that does.
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
    if mode is None or str(mode[0]).lower() != "wal":
        raise sqlite3.DatabaseError(f"could not switch to WAL mode ({mode})")
    result = conn.execute("PRAGMA quick_check").fetchone()
    if result is None or result[0] != "ok":
        raise sqlite3.DatabaseError(f"quick_check: {result[0] if result else 'no answer'}")


def _move_aside(path: Path, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    path.replace(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.replace(target.with_name(target.name + suffix))
    return target


class Store:
    """An open progress database. Use `Store.open(...)`; close it (or use `with`)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    # -- opening --------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        data_dir: Path,
        now: datetime,
        warn: Callable[[str], None] = lambda _message: None,
    ) -> Store:
        data_dir.mkdir(parents=True, exist_ok=True)
        path = data_dir / DB_NAME
        conn = _connect(path)
        try:
            _check(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            if not _is_corruption(exc):
                raise
            moved = _move_aside(path, now)
            warn(
                f"your progress file was damaged ({exc}); it was moved to {moved.name} "
                "and a fresh one was started"
            )
            conn = _connect(path)
            _check(conn)
        store = cls(conn, path)
        try:
            store._migrate()
        except BaseException:
            conn.close()
            raise
        return store

    def _migrate(self) -> None:
        version = self.schema_version()
        if version == SCHEMA_VERSION:
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            version = self.schema_version()
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} was written by a newer studyaws (schema {version}; this one "
                    f"knows {SCHEMA_VERSION}); upgrade studyaws to use it"
                )
            for step in MIGRATIONS[version:]:
                for statement in step:
                    self.conn.execute(statement)
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def schema_version(self) -> int:
        row = self.conn.execute("PRAGMA user_version").fetchone()
        return int(row[0])

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------------------

    def record(
        self,
        *,
        question_id: str,
        topic: str,
        concepts: Sequence[str],
        given: JsonAnswer,
        correct: bool,
        rating: scheduling.Rating,
        now: datetime,
        duration_ms: int | None = None,
        hinted: bool = False,
        mode: str = "quiz",
    ) -> datetime:
        """Save one answer and reschedule its card, in one transaction. Returns the new due time."""
        concepts_json = json.dumps(list(concepts))
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            row = self.conn.execute(
                "SELECT card FROM cards WHERE question_id = ?", (question_id,)
            ).fetchone()
            card_json, due = scheduling.review(
                row[0] if row else None, question_id, rating, now, duration_ms
            )
            self.conn.execute(
                """INSERT INTO cards (question_id, topic, concepts, card, due, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (question_id) DO UPDATE SET topic = excluded.topic,
                     concepts = excluded.concepts, card = excluded.card, due = excluded.due,
                     updated_at = excluded.updated_at""",
                (question_id, topic, concepts_json, card_json, iso(due), iso(now)),
            )
            self.conn.execute(
                """INSERT INTO reviews (question_id, topic, concepts, answered_at, given, correct,
                     rating, duration_ms, hinted, mode)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    question_id,
                    topic,
                    concepts_json,
                    iso(now),
                    json.dumps(given),
                    int(correct),
                    int(rating),
                    duration_ms,
                    int(hinted),
                    mode,
                ),
            )
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return due

    def set_flag(self, question_id: str, topic: str, flagged: bool, now: datetime) -> None:
        """Flag a question (or take the flag off): one statement, so one transaction."""
        if flagged:
            self.conn.execute(
                "INSERT OR REPLACE INTO flags (question_id, topic, flagged_at) VALUES (?, ?, ?)",
                (question_id, topic, iso(now)),
            )
        else:
            self.conn.execute("DELETE FROM flags WHERE question_id = ?", (question_id,))

    def reset(self, topic: str | None = None) -> int:
        """Forget the cards and answers of one topic (or all). Returns how many cards went."""
        where, args = ("", ()) if topic is None else (" WHERE topic = ?", (topic,))
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            count = self.conn.execute(f"SELECT count(*) FROM cards{where}", args).fetchone()[0]
            self.conn.execute(f"DELETE FROM cards{where}", args)
            self.conn.execute(f"DELETE FROM reviews{where}", args)
            self.conn.execute(f"DELETE FROM flags{where}", args)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return int(count)

    # -- reading ----------------------------------------------------------------------------------

    def cards(self) -> list[CardRow]:
        rows = self.conn.execute(
            "SELECT question_id, topic, concepts, card, due FROM cards ORDER BY question_id"
        ).fetchall()
        return [CardRow(r[0], r[1], tuple(json.loads(r[2])), r[3], from_iso(r[4])) for r in rows]

    def reviews(self, since: datetime | None = None) -> list[ReviewRow]:
        sql = """SELECT question_id, topic, concepts, answered_at, given, correct, rating,
                   duration_ms, hinted, mode FROM reviews"""
        args: tuple[str, ...] = ()
        if since is not None:
            sql += " WHERE answered_at >= ?"
            args = (iso(since),)
        rows = self.conn.execute(sql + " ORDER BY answered_at, id", args).fetchall()
        return [
            ReviewRow(
                r[0],
                r[1],
                tuple(json.loads(r[2])),
                from_iso(r[3]),
                json.loads(r[4]),
                bool(r[5]),
                int(r[6]),
                r[7],
                bool(r[8]),
                r[9],
            )
            for r in rows
        ]

    def flags(self) -> dict[str, datetime]:
        """Flagged question ids, with when they were flagged."""
        rows = self.conn.execute("SELECT question_id, flagged_at FROM flags").fetchall()
        return {r[0]: from_iso(r[1]) for r in rows}

    def dues(self) -> dict[str, datetime]:
        rows = self.conn.execute("SELECT question_id, due FROM cards").fetchall()
        return {r[0]: from_iso(r[1]) for r in rows}

    # -- export / import -------------------------------------------------------------------------

    def export(self, now: datetime) -> dict[str, Any]:
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": iso(now),
            "cards": [
                {
                    "question_id": c.question_id,
                    "topic": c.topic,
                    "concepts": list(c.concepts),
                    "card": json.loads(c.card),
                }
                for c in self.cards()
            ],
            "reviews": [
                {
                    "question_id": r.question_id,
                    "topic": r.topic,
                    "concepts": list(r.concepts),
                    "answered_at": iso(r.answered_at),
                    "given": r.given,
                    "correct": r.correct,
                    "rating": r.rating,
                    "duration_ms": r.duration_ms,
                    "hinted": r.hinted,
                    "mode": r.mode,
                }
                for r in self.reviews()
            ],
        }

    def import_(self, data: object, now: datetime) -> tuple[int, int]:
        """Merge an export into this store. Returns (cards written, reviews added)."""
        cards, reviews = _validate_export(data)
        cards_written = reviews_added = 0
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for card in cards:
                card_json = json.dumps(card["card"])
                incoming = scheduling.card_last_review(card_json)
                row = self.conn.execute(
                    "SELECT card FROM cards WHERE question_id = ?", (card["question_id"],)
                ).fetchone()
                if row is not None:
                    existing = scheduling.card_last_review(row[0])
                    if existing is not None and (incoming is None or incoming <= existing):
                        continue
                self.conn.execute(
                    """INSERT OR REPLACE INTO cards
                         (question_id, topic, concepts, card, due, updated_at)
                       VALUES (?, ?, ?, ?, ?, ?)""",
                    (
                        card["question_id"],
                        card["topic"],
                        json.dumps(card["concepts"]),
                        card_json,
                        iso(scheduling.card_due(card_json)),
                        iso(now),
                    ),
                )
                cards_written += 1
            for review in reviews:
                at = iso(from_iso(review["answered_at"]))
                seen = self.conn.execute(
                    "SELECT 1 FROM reviews WHERE question_id = ? AND answered_at = ?",
                    (review["question_id"], at),
                ).fetchone()
                if seen is not None:
                    continue
                self.conn.execute(
                    """INSERT INTO reviews (question_id, topic, concepts, answered_at, given,
                         correct, rating, duration_ms, hinted, mode)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (
                        review["question_id"],
                        review["topic"],
                        json.dumps(review["concepts"]),
                        at,
                        json.dumps(review.get("given")),
                        int(bool(review["correct"])),
                        int(review["rating"]),
                        review.get("duration_ms"),
                        int(bool(review.get("hinted", False))),
                        str(review.get("mode", "quiz")),
                    ),
                )
                reviews_added += 1
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return cards_written, reviews_added


def _validate_export(data: object) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise StoreError(f'not a studyaws progress export (no "format": "{EXPORT_FORMAT}")')
    if data.get("version") != EXPORT_VERSION:
        raise StoreError(f"export version {data.get('version')!r} is not supported")
    cards, reviews = data.get("cards"), data.get("reviews")
    if not isinstance(cards, list) or not isinstance(reviews, list):
        raise StoreError('an export needs "cards" and "reviews" lists')
    for i, card in enumerate(cards):
        _require(card, f"cards[{i}]", {"question_id": str, "topic": str, "concepts": list})
        if not isinstance(card.get("card"), dict) or "due" not in card["card"]:
            raise StoreError(f'cards[{i}]: "card" must be an fsrs card object with a due time')
        try:
            scheduling.card_due(json.dumps(card["card"]))
            scheduling.card_last_review(json.dumps(card["card"]))
        except (ValueError, TypeError) as exc:
            raise StoreError(f'cards[{i}]: bad time in "card": {exc}') from None
        try:
            scheduling.check_card(json.dumps(card["card"]))
        except ValueError as exc:
            raise StoreError(f'cards[{i}]: "card" is unusable: {exc}') from None
    for i, review in enumerate(reviews):
        _require(
            review,
            f"reviews[{i}]",
            {"question_id": str, "topic": str, "concepts": list, "answered_at": str},
        )
        rating = review.get("rating")
        if (
            not isinstance(review.get("correct"), bool)
            or not isinstance(rating, int)
            or isinstance(rating, bool)
            or not 1 <= rating <= 4
        ):
            raise StoreError(f'reviews[{i}]: needs "correct" (bool) and "rating" (1–4)')
        try:
            from_iso(review["answered_at"])
        except ValueError:
            raise StoreError(f'reviews[{i}]: bad "answered_at" time') from None
    return cards, reviews


def _require(item: object, where: str, fields: Mapping[str, type]) -> None:
    if not isinstance(item, dict):
        raise StoreError(f"{where}: must be an object")
    for name, kind in fields.items():
        if not isinstance(item.get(name), kind):
            raise StoreError(f'{where}: "{name}" must be a {kind.__name__}')
