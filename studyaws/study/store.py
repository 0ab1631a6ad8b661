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
- A file that is not one (a directory, a FIFO, a dangling link), can't be opened (permissions, a
  read-only home, a path too long), is locked by another program or can't be written (a full disk)
  is a `StoreError` naming the file and what is wrong: every sqlite3 and OS error of this module
  surfaces as one, never as itself. Tables or columns missing from a file of the current schema
  count as damage (moved aside, like corruption). A row that can't be read back (not JSON, a wrong
  type) is skipped with one warning, never a crash; a damaged card is started afresh on its next
  answer.
- The data directory is created 0700 and the file 0600 (SQLite gives its -wal and -shm files the
  file's mode): progress is nobody else's business on a shared machine.
- Export/import is plain JSON (`EXPORT_FORMAT`); import merges: a card is replaced only by one
  reviewed more recently, and a review already present (same question, same time) is not doubled.
  An import is read up to `MAX_IMPORT_BYTES` and every field is checked — type, length, range,
  no control characters — before the transaction starts, so a bad file changes nothing.
- Times are passed in (UTC); this module never reads the clock.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import math
import os
import re
import sqlite3
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from studyaws.errors import StudyawsError
from studyaws.study import scheduling
from studyaws.study.grading import JsonAnswer

DB_NAME = "progress.sqlite3"
EXPORT_FORMAT = "studyaws-progress"
EXPORT_VERSION = 1
BUSY_TIMEOUT_MS = 10_000
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_MAX_PATH = 512  # SQLite's own limit on a file name (SQLITE_MAX_PATHNAME)

MODES = ("quiz", "review", "exam", "scenario")
MAX_IMPORT_BYTES = 32 * 1024 * 1024
MAX_ID_CHARS = 200
MAX_CONCEPTS = 50
MAX_GIVEN_CHARS = 1_000
MAX_DURATION_MS = 7 * 24 * 3600 * 1000
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)  # before any answer studyaws could have saved
LATEST_DUE = datetime(2200, 1, 1, tzinfo=UTC)  # fsrs's longest interval is 100 years
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

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


REQUIRED_COLUMNS: dict[str, frozenset[str]] = {
    "cards": frozenset({"question_id", "topic", "concepts", "card", "due", "updated_at"}),
    "reviews": frozenset(
        {
            "question_id",
            "topic",
            "concepts",
            "answered_at",
            "given",
            "correct",
            "rating",
            "duration_ms",
            "hinted",
            "mode",
        }
    ),
    "flags": frozenset({"question_id", "topic", "flagged_at"}),
}


class StoreError(StudyawsError):
    """The progress file can't be used as asked: not a file, unreadable, locked, full, from a
    newer studyaws, or a bad import file. The message names the file and what is wrong."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


class BadExportError(StoreError):
    """An export file that can't be imported; nothing was changed."""


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
    """A stored or imported time; ValueError when it is not one (year 1 with an offset, too)."""
    try:
        when = datetime.fromisoformat(text)
        return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"time out of range: {text}") from None


def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
    if isinstance(exc, sqlite3.OperationalError):
        return False  # locked, busy, disk I/O: not the file's fault
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return True
    return (code & 0xFF) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def _shown(path: Path | str) -> str:
    """A path in a message: a very long one is cut in its middle, so the message stays readable."""
    text = str(path)
    return text if len(text) <= 160 else f"{text[:60]}…{text[-90:]}"


def _explain(exc: sqlite3.Error, path: Path) -> str:
    """What an sqlite3 error means for the learner, in one line naming the file."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(exc)
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in text:
        return (
            f"your progress file {_shown(path)} is locked by another program (another studyaws?); "
            "try again when it is done"
        )
    if code == _SQLITE_FULL or "full" in text:
        return f"the disk is full: can't save your progress in {_shown(path)}"
    if code == _SQLITE_READONLY or "readonly" in text:
        return f"your progress file {_shown(path)} is read-only; studyaws needs to write it"
    if code == _SQLITE_CANTOPEN or "unable to open" in text:
        if len(str(path.absolute())) >= _SQLITE_MAX_PATH:
            return (
                f"can't open your progress file: its path is longer than SQLite accepts "
                f"({_SQLITE_MAX_PATH} characters); set STUDYAWS_HOME to a shorter one"
            )
        return (
            f"can't open your progress file {_shown(path)} (can studyaws create files next to it?)"
        )
    if code == _SQLITE_IOERR or "I/O" in text:
        return f"can't read or write your progress file {_shown(path)} (disk I/O error: {text})"
    return f"your progress file {_shown(path)} can't be used: {text}"


@contextlib.contextmanager
def _errors(path: Path) -> Iterator[None]:
    """Every sqlite3 and OS error inside becomes a StoreError (one line, no traceback)."""
    try:
        yield
    except sqlite3.Error as exc:
        raise StoreError(_explain(exc, path)) from None
    except OSError as exc:
        raise StoreError(f"can't use your progress file {_shown(path)}: {_reason(exc)}") from None


P = ParamSpec("P")
R = TypeVar("R")


def _translated(method: Callable[Concatenate[Store, P], R]) -> Callable[Concatenate[Store, P], R]:
    """A Store method whose sqlite3 and OS errors surface as StoreError."""

    @functools.wraps(method)
    def wrapper(self: Store, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with _errors(self.path):
            return method(self, *args, **kwargs)

    return wrapper


def _reason(exc: OSError) -> str:
    if exc.errno == errno.EFBIG:
        return "the file size limit is reached (ulimit -f)"
    return exc.strerror or str(exc)


def _prepare(data_dir: Path, path: Path) -> None:
    """Make sure `path` is, or can become, an ordinary file we may read and write.

    Done with plain system calls first because SQLite's own answer for every one of these cases
    is "unable to open database file", and because opening a FIFO or following a dangling link
    would hang or create a file somewhere else.
    """
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except FileExistsError:
        raise StoreError(
            f"can't keep your progress in {_shown(data_dir)}: it exists and is not a folder"
        ) from None
    except OSError as exc:
        raise StoreError(
            f"can't create the folder for your progress {_shown(data_dir)}: {_reason(exc)}"
        ) from None
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        link = None
    except OSError as exc:
        raise StoreError(f"can't open your progress file {_shown(path)}: {_reason(exc)}") from None
    if link is not None and stat.S_ISLNK(link.st_mode):
        try:
            os.stat(path)
        except OSError:
            target = os.readlink(path)
            raise StoreError(
                f"your progress file {_shown(path)} is a link to {_shown(target)}, "
                "which can't be reached"
            ) from None
    flags = os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except IsADirectoryError:
        raise StoreError(
            f"your progress file {_shown(path)} is a directory; move it away to start afresh"
        ) from None
    except OSError as exc:
        raise StoreError(f"can't open your progress file {_shown(path)}: {_reason(exc)}") from None
    try:
        mode = os.fstat(fd).st_mode
    finally:
        os.close(fd)
    if not stat.S_ISREG(mode):
        raise StoreError(
            f"your progress file {_shown(path)} is not a regular file (a FIFO or a device); "
            "move it away to start afresh"
        )


def _connect(path: Path, busy_timeout_ms: int | None = None) -> sqlite3.Connection:
    wait_ms = BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms
    conn = sqlite3.connect(path, timeout=wait_ms / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
    return conn


def _rollback(conn: sqlite3.Connection) -> None:
    """Undo the open transaction, if SQLite has not already (it may, on a full disk)."""
    with contextlib.suppress(sqlite3.Error):
        if conn.in_transaction:
            conn.execute("ROLLBACK")


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

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        warn: Callable[[str], None] = lambda _message: None,
    ) -> None:
        self.conn = conn
        self.path = path
        self.warn = warn
        self.skipped = 0  # rows that could not be read back (warned about once)

    # -- opening --------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        data_dir: Path,
        now: datetime,
        warn: Callable[[str], None] = lambda _message: None,
        *,
        busy_timeout_ms: int | None = None,
    ) -> Store:
        """The store under `data_dir`, created when absent. `busy_timeout_ms` (default
        BUSY_TIMEOUT_MS) is how long to wait for another program's lock."""
        path = data_dir / DB_NAME
        _prepare(data_dir, path)
        with _errors(path):
            store = cls._open(path, now, warn, busy_timeout_ms)
            missing = store._missing_schema()
            if missing:
                store.close()
                cls._start_afresh(path, now, warn, f"{missing} is missing")
                store = cls._open(path, now, warn, busy_timeout_ms)
            return store

    @classmethod
    def _open(
        cls, path: Path, now: datetime, warn: Callable[[str], None], busy_timeout_ms: int | None
    ) -> Store:
        conn = _connect(path, busy_timeout_ms)
        try:
            _check(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            if not _is_corruption(exc):
                raise
            cls._start_afresh(path, now, warn, str(exc))
            conn = _connect(path, busy_timeout_ms)
            _check(conn)
        store = cls(conn, path, warn)
        try:
            store._migrate()
        except BaseException:
            conn.close()
            raise
        return store

    @staticmethod
    def _start_afresh(path: Path, now: datetime, warn: Callable[[str], None], why: str) -> None:
        moved = _move_aside(path, now)
        warn(
            f"your progress file was damaged ({why}); it was moved to {moved.name} "
            "and a fresh one was started"
        )
        _prepare(path.parent, path)

    def _missing_schema(self) -> str | None:
        """The first table or column the current schema needs that the file lacks."""
        for table, needed in REQUIRED_COLUMNS.items():
            columns = {r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")}
            if not columns:
                return f"table '{table}'"
            for column in sorted(needed - columns):
                return f"column '{table}.{column}'"
        return None

    def _migrate(self) -> None:
        version = self.schema_version()
        if version == SCHEMA_VERSION:
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            version = self.schema_version()
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{_shown(self.path)} was written by a newer studyaws (schema {version}; "
                    "this one "
                    f"knows {SCHEMA_VERSION}); upgrade studyaws to use it"
                )
            for step in MIGRATIONS[version:]:
                for statement in step:
                    self.conn.execute(statement)
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.conn.execute("COMMIT")
        except BaseException:
            _rollback(self.conn)
            raise

    @_translated
    def schema_version(self) -> int:
        row = self.conn.execute("PRAGMA user_version").fetchone()
        return int(row[0])

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------------------

    @_translated
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
        """Save one answer and reschedule its card, in one transaction. Returns the new due time.

        Raises StoreError when it can't be saved (then nothing of it is saved)."""
        concepts_json = json.dumps(list(concepts))
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            row = self.conn.execute(
                "SELECT card FROM cards WHERE question_id = ?", (question_id,)
            ).fetchone()
            try:
                card_json, due = scheduling.review(
                    row[0] if row else None, question_id, rating, now, duration_ms
                )
            except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
                # A damaged card (planted, or from an old import): this answer starts it afresh.
                card_json, due = scheduling.review(None, question_id, rating, now, duration_ms)
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
            _rollback(self.conn)
            raise
        return due

    @_translated
    def set_flag(self, question_id: str, topic: str, flagged: bool, now: datetime) -> None:
        """Flag a question (or take the flag off): one statement, so one transaction."""
        if flagged:
            self.conn.execute(
                "INSERT OR REPLACE INTO flags (question_id, topic, flagged_at) VALUES (?, ?, ?)",
                (question_id, topic, iso(now)),
            )
        else:
            self.conn.execute("DELETE FROM flags WHERE question_id = ?", (question_id,))

    @_translated
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
            _rollback(self.conn)
            raise
        return int(count)

    # -- reading ----------------------------------------------------------------------------------

    @_translated
    def cards(self) -> list[CardRow]:
        rows = self.conn.execute(
            "SELECT question_id, topic, concepts, card, due FROM cards ORDER BY question_id"
        ).fetchall()
        out = []
        for r in rows:
            try:
                card = _text(r[3])
                scheduling.check_card(card)
                out.append(CardRow(_text(r[0]), _text(r[1]), _concepts(r[2]), card, _time(r[4])))
            except (ValueError, TypeError, KeyError, OverflowError):
                self._skip()
        return out

    @_translated
    def reviews(self, since: datetime | None = None) -> list[ReviewRow]:
        sql = """SELECT question_id, topic, concepts, answered_at, given, correct, rating,
                   duration_ms, hinted, mode FROM reviews"""
        args: tuple[str, ...] = ()
        if since is not None:
            sql += " WHERE answered_at >= ?"
            args = (iso(since),)
        rows = self.conn.execute(sql + " ORDER BY answered_at, id", args).fetchall()
        out = []
        for r in rows:
            try:
                out.append(
                    ReviewRow(
                        _text(r[0]),
                        _text(r[1]),
                        _concepts(r[2]),
                        _time(r[3]),
                        _given(json.loads(_text(r[4]))),
                        bool(_whole(r[5])),
                        _whole(r[6]),
                        None if r[7] is None else _whole(r[7]),
                        bool(_whole(r[8])),
                        _text(r[9]),
                    )
                )
            except (ValueError, TypeError, OverflowError):
                self._skip()
        return out

    @_translated
    def flags(self) -> dict[str, datetime]:
        """Flagged question ids, with when they were flagged."""
        return self._times("SELECT question_id, flagged_at FROM flags")

    @_translated
    def dues(self) -> dict[str, datetime]:
        return self._times("SELECT question_id, due FROM cards")

    def _times(self, sql: str) -> dict[str, datetime]:
        """(question id, time) rows as a dict; an unreadable row is skipped (and said once)."""
        out = {}
        for r in self.conn.execute(sql).fetchall():
            try:
                out[_text(r[0])] = _time(r[1])
            except (ValueError, TypeError):
                self._skip()
        return out

    def _skip(self) -> None:
        """One more row that can't be read back: left in the file, left out of the answer."""
        self.skipped += 1
        if self.skipped == 1:
            self.warn(
                f"some rows of your progress file {_shown(self.path)} are damaged and were "
                "skipped; "
                "the rest is shown"
            )

    # -- export / import -------------------------------------------------------------------------

    @_translated
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

    @_translated
    def import_(self, data: object, now: datetime) -> tuple[int, int]:
        """Merge an export into this store. Returns (cards written, reviews added).

        Raises StoreError, and changes nothing, when any field of `data` is wrong."""
        cards, reviews = _validate_export(data, now)
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
                    try:
                        existing = scheduling.card_last_review(_text(row[0]))
                    except (ValueError, TypeError, KeyError):
                        existing = None  # a damaged card: the imported one replaces it
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
            _rollback(self.conn)
            raise
        return cards_written, reviews_added


# -- reading rows back -----------------------------------------------------------------------------


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


def _whole(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("not an integer")
    return value


def _time(value: object) -> datetime:
    return from_iso(_text(value))


def _concepts(value: object) -> tuple[str, ...]:
    items = json.loads(_text(value))
    if not isinstance(items, list) or not all(isinstance(c, str) for c in items):
        raise TypeError("concepts must be a list of strings")
    return tuple(items)


def _given(value: object) -> JsonAnswer:
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, int | float):
        return float(value) if isinstance(value, float) else value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise TypeError("not an answer")


# -- import ---------------------------------------------------------------------------------------


def load_export(path: Path) -> object:
    """The JSON data of an export file, read up to MAX_IMPORT_BYTES (`/dev/zero` ends there)."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise BadExportError(f"can't read {_shown(path)}: {_reason(exc)}") from None
    if len(raw) > MAX_IMPORT_BYTES:
        raise BadExportError(
            f"{_shown(path)} is larger than an export can be "
            f"({MAX_IMPORT_BYTES // (1024 * 1024)} MiB)"
        )
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise BadExportError(f"{_shown(path)} is not JSON: not UTF-8 at byte {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise BadExportError(f"{_shown(path)} is not JSON: {exc}") from None
    except RecursionError:
        raise BadExportError(f"{_shown(path)} is not an export: nested too deeply") from None


def _validate_export(
    data: object, now: datetime
) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise BadExportError(f'not a studyaws progress export (no "format": "{EXPORT_FORMAT}")')
    if data.get("version") != EXPORT_VERSION:
        version = data.get("version")
        shown = version if isinstance(version, int) and not isinstance(version, bool) else "?"
        raise BadExportError(f"export version {shown} is not supported")
    cards, reviews = data.get("cards"), data.get("reviews")
    if not isinstance(cards, list) or not isinstance(reviews, list):
        raise BadExportError('an export needs "cards" and "reviews" lists')
    latest_answer = now + timedelta(days=1)  # another machine's clock may run a little ahead
    for i, card in enumerate(cards):
        where = f"cards[{i}]"
        _require(card, where, {"question_id": str, "topic": str, "concepts": list})
        _check_ids(card, where)
        if not isinstance(card.get("card"), dict) or "due" not in card["card"]:
            raise BadExportError(f'{where}: "card" must be an fsrs card object with a due time')
        card_json = json.dumps(card["card"])
        try:
            due = scheduling.card_due(card_json)
            last = scheduling.card_last_review(card_json)
        except (ValueError, TypeError, OverflowError) as exc:
            raise BadExportError(f'{where}: bad time in "card": {_short(exc)}') from None
        for label, when, latest in (("due", due, LATEST_DUE), ("last_review", last, latest_answer)):
            if when is not None and not EARLIEST <= when <= latest:
                raise BadExportError(
                    f'{where}: "{label}" {when:%Y-%m-%d} is not between '
                    f"{EARLIEST:%Y-%m-%d} and {latest:%Y-%m-%d}"
                )
        try:
            scheduling.check_card(card_json)
        except (ValueError, OverflowError) as exc:
            raise BadExportError(f'{where}: "card" is unusable: {_short(exc)}') from None
    for i, review in enumerate(reviews):
        where = f"reviews[{i}]"
        _require(
            review,
            where,
            {"question_id": str, "topic": str, "concepts": list, "answered_at": str},
        )
        _check_ids(review, where)
        rating = review.get("rating")
        if (
            not isinstance(review.get("correct"), bool)
            or not isinstance(rating, int)
            or isinstance(rating, bool)
            or not 1 <= rating <= 4
        ):
            raise BadExportError(f'{where}: needs "correct" (bool) and "rating" (1–4)')
        try:
            at = from_iso(review["answered_at"])
        except ValueError:
            raise BadExportError(f'{where}: bad "answered_at" time') from None
        if not EARLIEST <= at <= latest_answer:
            raise BadExportError(
                f'{where}: "answered_at" {at:%Y-%m-%d} is not between {EARLIEST:%Y-%m-%d} and today'
            )
        duration = review.get("duration_ms")
        if duration is not None and (
            not isinstance(duration, int)
            or isinstance(duration, bool)
            or not 0 <= duration <= MAX_DURATION_MS
        ):
            raise BadExportError(
                f'{where}: "duration_ms" must be a whole number of milliseconds from 0 to '
                f"{MAX_DURATION_MS:,}"
            )
        if not isinstance(review.get("hinted", False), bool):
            raise BadExportError(f'{where}: "hinted" must be true or false')
        if review.get("mode", "quiz") not in MODES:
            raise BadExportError(f'{where}: "mode" must be one of {", ".join(MODES)}')
        _check_given(review.get("given"), where)
    return cards, reviews


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) <= 120 else text[:119] + "…"


def _check_ids(item: Mapping[str, Any], where: str) -> None:
    """Ids, topics and concepts are short single-line text: they are shown on the terminal."""
    concepts = item["concepts"]
    if len(concepts) > MAX_CONCEPTS:
        raise BadExportError(f'{where}: "concepts" has more than {MAX_CONCEPTS} entries')
    named = [("question_id", item["question_id"]), ("topic", item["topic"])]
    named += [("concepts", c) for c in concepts]
    for name, value in named:
        if not isinstance(value, str):
            raise BadExportError(f'{where}: "{name}" must hold strings')
        if not value or len(value) > MAX_ID_CHARS:
            raise BadExportError(f'{where}: "{name}" must be 1 to {MAX_ID_CHARS} characters')
        if _CONTROL.search(value):
            raise BadExportError(f'{where}: "{name}" contains a control character')


def _check_given(given: object, where: str) -> None:
    """The learner's answer as the quiz saves it (grading.JsonAnswer)."""
    if given is None or isinstance(given, bool):
        return
    if isinstance(given, int | float):
        if isinstance(given, float) and not math.isfinite(given):
            raise BadExportError(f'{where}: "given" must be a finite number')
        return
    texts = given if isinstance(given, list) else [given]
    if isinstance(given, list) and len(given) > MAX_CONCEPTS:
        raise BadExportError(f'{where}: "given" lists more than {MAX_CONCEPTS} choices')
    for text in texts:
        if not isinstance(text, str):
            raise BadExportError(f'{where}: "given" must be an answer (text, number, list or null)')
        if len(text) > MAX_GIVEN_CHARS or _CONTROL.search(text):
            raise BadExportError(f'{where}: "given" is too long or contains a control character')


def _require(item: object, where: str, fields: Mapping[str, type]) -> None:
    if not isinstance(item, dict):
        raise BadExportError(f"{where}: must be an object")
    for name, kind in fields.items():
        if not isinstance(item.get(name), kind):
            noun = "string" if kind is str else kind.__name__
            raise BadExportError(f'{where}: "{name}" must be a {noun}')
