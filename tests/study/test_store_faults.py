"""A progress store in trouble: every fault is one line, nothing is lost, and the commands that
only *show* mastery (`studyaws`, `topics`, the scenario list) go on without it, saying so once.

Faults, as an unlucky learner meets them: the progress file is a directory, a FIFO, a dangling
link, unreadable (mode 000, as a user who is not root), in a read-only home; the disk is full
(`ulimit -f`); the schema lost a table or a column; rows hold what is not JSON; another program
holds an exclusive lock; the home path is longer than SQLite or the system accept; an import file is
hostile. Permission faults run the real CLI in a subprocess as `nobody` (setpriv), because root
reads a mode-000 file as if nothing were wrong.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studyaws import cli
from studyaws.study import scheduling
from studyaws.study import store as store_module
from studyaws.study.scheduling import Rating
from studyaws.study.store import DB_NAME, Store

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SAMPLE_CLI = Path(__file__).resolve().parent / "sample_cli.py"
NOBODY = 65534


# -- helpers ---------------------------------------------------------------------------------------


def seed(home: Path, answers: int = 3) -> None:
    """A store with `answers` answers in it (what must never be lost)."""
    with Store.open(home, NOW) as store:
        for i in range(answers):
            store.record(
                question_id=f"sqs-q{i}",
                topic="sqs",
                concepts=("visibility",),
                given="a",
                correct=True,
                rating=Rating.GOOD,
                now=NOW + timedelta(minutes=i),
            )


def count_reviews(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(conn.execute("SELECT count(*) FROM reviews").fetchone()[0])
    finally:
        conn.close()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def one_error(err: str) -> str:
    """stderr holds exactly one line, `studyaws: error: ...`; returns it."""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("studyaws: error: "), err
    assert "Traceback" not in err
    return lines[0]


def lists_topics_with_one_warning(capsys: pytest.CaptureFixture[str]) -> str:
    """`topics` and bare `studyaws` list the topics; the store's trouble is one warning each."""
    for args in (("topics",), ()):
        status, out, err = run(capsys, *args)
        assert status == 0, err
        assert "Amazon SQS" in out
        assert "mastered" not in out
        lines = err.splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith("studyaws: warning: mastery is not shown: "), err
    status, out, err = run(capsys, "scenario", "--no-animate")
    assert status == 0, err
    assert "dlq" in out
    assert len(err.splitlines()) == 1, err
    return lines[0]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warm: Callable[[Path], Path]) -> Path:
    """The learner's home, with the course already cached (as after their first command)."""
    path = warm(tmp_path / "home")
    monkeypatch.setenv("STUDYAWS_HOME", str(path))
    return path


@pytest.fixture
def fresh_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home studyaws has never used: it creates everything in it."""
    path = tmp_path / "fresh"
    monkeypatch.setenv("STUDYAWS_HOME", str(path))
    return path


# -- the progress file is not a file ---------------------------------------------------------------


def test_progress_file_is_a_directory(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (home / DB_NAME).mkdir(parents=True)
    (home / DB_NAME / "keep.txt").write_text("mine")
    status, _, err = run(capsys, "progress")
    assert status == 1
    assert "is a directory" in one_error(err)
    lists_topics_with_one_warning(capsys)
    assert (home / DB_NAME / "keep.txt").read_text() == "mine"


def test_progress_file_is_a_fifo_and_nothing_waits_on_it(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home.mkdir(exist_ok=True)
    os.mkfifo(home / DB_NAME)
    status, _, err = run(capsys, "progress", "--json")
    assert status == 1
    assert "not a regular file" in one_error(err)
    lists_topics_with_one_warning(capsys)


def test_progress_file_is_a_dangling_link(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home.mkdir(exist_ok=True)
    (home / DB_NAME).symlink_to(home / "synced" / "progress.sqlite3")
    status, _, err = run(capsys, "quiz", "sqs", "-n", "1")
    assert status == 1
    assert "which can't be reached" in one_error(err)
    assert not (home / "synced").exists()  # the link's target was not created behind its back
    lists_topics_with_one_warning(capsys)


def test_home_is_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    home = tmp_path / "home"
    home.write_text("not a folder")
    monkeypatch.setenv("STUDYAWS_HOME", str(home))
    status, _, err = run(capsys, "progress")
    assert status == 1
    assert "not a folder" in one_error(err)
    # No store has ever been created here: the listings say nothing about one.
    status, _, err = run(capsys, "topics")
    assert (status, err) == (0, "")
    assert home.read_text() == "not a folder"


@pytest.mark.parametrize("length", [600, 5000])
def test_home_path_too_long(length: int, tmp_path: Path, monkeypatch, capsys) -> None:
    """600 characters: the system takes it, SQLite (512) doesn't; 5,000: neither does."""
    home = tmp_path
    while len(str(home)) < length:
        home = home / ("d" * 100)
    monkeypatch.setenv("STUDYAWS_HOME", str(home))
    status, _, err = run(capsys, "progress")
    assert status == 1
    line = one_error(err)
    assert "longer than SQLite accepts" in line or "File name too long" in line
    status, out, err = run(capsys, "topics")
    assert status == 0
    assert "Amazon SQS" in out


# -- the schema and the rows -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    ["DROP TABLE cards", "ALTER TABLE reviews DROP COLUMN mode"],
    ids=["missing-table", "missing-column"],
)
def test_missing_schema_is_moved_aside_not_lost(
    damage: str, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(home)
    conn = sqlite3.connect(home / DB_NAME)
    conn.execute(damage)
    conn.commit()
    conn.close()
    status, out, err = run(capsys, "progress")
    assert status == 0, err
    assert "No answers yet" in out
    assert "was moved to progress.sqlite3.corrupt-" in err
    assert len(err.splitlines()) == 1
    [aside] = home.glob(f"{DB_NAME}.corrupt-*[0-9Z]")
    assert count_reviews(aside) == 3  # moved aside whole: nothing lost
    status, out, err = run(capsys, "topics")
    assert (status, err) == (0, "")


def test_rows_that_are_not_json_are_skipped_with_one_warning(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(home, answers=4)
    conn = sqlite3.connect(home / DB_NAME)
    conn.execute("UPDATE reviews SET concepts = 'not json' WHERE question_id = 'sqs-q0'")
    conn.execute("UPDATE reviews SET given = '{' WHERE question_id = 'sqs-q1'")
    conn.execute("UPDATE cards SET card = 'garbage' WHERE question_id = 'sqs-q2'")
    conn.execute("UPDATE cards SET concepts = '[1, 2]' WHERE question_id = 'sqs-q3'")
    conn.commit()
    conn.close()
    for args in (("progress", "--json"), ("topics",), ("progress", "--export", str(home / "x"))):
        status, _, err = run(capsys, *args)
        assert status == 0, err
        assert "Traceback" not in err
        assert err.count("damaged and were skipped") == 1, err
    data = json.loads((home / "x").read_text())
    assert len(data["reviews"]) == 2
    assert len(data["cards"]) == 2
    assert count_reviews(home / DB_NAME) == 4  # skipped, not deleted


def test_a_damaged_card_starts_afresh_on_its_next_answer(home: Path) -> None:
    seed(home, answers=1)
    conn = sqlite3.connect(home / DB_NAME)
    conn.execute("UPDATE cards SET card = '{\"due\": 7}'")
    conn.commit()
    conn.close()
    with Store.open(home, NOW) as store:
        due = store.record(
            question_id="sqs-q0",
            topic="sqs",
            concepts=("visibility",),
            given="a",
            correct=False,
            rating=Rating.AGAIN,
            now=NOW + timedelta(days=1),
        )
        assert due == scheduling.review(None, "sqs-q0", Rating.AGAIN, NOW + timedelta(days=1))[1]
        assert [c.question_id for c in store.cards()] == ["sqs-q0"]
        assert len(store.reviews()) == 2


# -- another program holds the file ----------------------------------------------------------------


def test_an_exclusive_lock_is_one_line_and_the_listing_goes_on(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(home)
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(home / DB_NAME, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        status, _, err = run(capsys, "progress")
        assert status == 1
        assert "locked by another program" in one_error(err)
        lists_topics_with_one_warning(capsys)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert count_reviews(home / DB_NAME) == 3
    assert not list(home.glob("*.corrupt-*"))  # a locked file is never taken for a damaged one


# -- imports ---------------------------------------------------------------------------------------


def _export_with(**review: object) -> dict[str, object]:
    base: dict[str, object] = {
        "question_id": "sqs-q9",
        "topic": "sqs",
        "concepts": ["visibility"],
        "answered_at": "2026-03-01T09:00:00+00:00",
        "given": "a",
        "correct": True,
        "rating": 3,
        "duration_ms": 1200,
    }
    base.update(review)
    return {"format": "studyaws-progress", "version": 1, "cards": [], "reviews": [base]}


BAD_IMPORTS = {
    "concepts-of-numbers": (_export_with(concepts=[1, 2]), '"concepts" must hold strings'),
    "year-1": (_export_with(answered_at="0001-01-01T00:00:00+01:00"), "answered_at"),
    "year-9999": (_export_with(answered_at="9999-12-31T23:59:59-01:00"), "answered_at"),
    "duration-1e30": (_export_with(duration_ms=1e30), "duration_ms"),
    "duration-negative": (_export_with(duration_ms=-1), "duration_ms"),
    "escape-in-topic": (_export_with(topic="\x1b[2Jsqs"), "control character"),
    "newline-in-concept": (_export_with(concepts=["a\nb"]), "control character"),
    "huge-question-id": (_export_with(question_id="q" * 10_000), "1 to 200 characters"),
    "unknown-mode": (_export_with(mode="hack"), '"mode" must be one of'),
    "given-an-object": (_export_with(given={"a": 1}), '"given"'),
    "given-infinite": (_export_with(given=float("inf")), "finite"),
    "card-due-in-year-3000": (
        {
            "format": "studyaws-progress",
            "version": 1,
            "reviews": [],
            "cards": [
                {
                    "question_id": "q",
                    "topic": "sqs",
                    "concepts": [],
                    "card": {
                        "card_id": 1,
                        "state": 2,
                        "step": None,
                        "stability": 3.0,
                        "difficulty": 5.0,
                        "due": "3000-01-01T00:00:00+00:00",
                        "last_review": "2026-01-01T00:00:00+00:00",
                    },
                }
            ],
        },
        '"due" 3000-01-01',
    ),
}


@pytest.mark.parametrize("name", BAD_IMPORTS)
def test_a_hostile_import_changes_nothing(
    name: str, home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, message = BAD_IMPORTS[name]
    seed(home)
    file = tmp_path / "import.json"
    file.write_text(json.dumps(data))
    status, _, err = run(capsys, "progress", "--import", str(file))
    assert status == 1
    line = one_error(err)
    assert message in line
    assert "\x1b" not in line
    assert count_reviews(home / DB_NAME) == 3
    for args in (("progress", "--json"), ("topics",)):
        status, _, err = run(capsys, *args)
        assert (status, err) == (0, "")


@pytest.mark.parametrize(
    "source",
    ["/dev/zero", "huge", "deep", "not-utf8"],
)
def test_an_import_file_is_read_within_bounds(
    source: str, home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--import /dev/zero` stops at the size cap instead of reading forever."""
    seed(home)
    path = Path(source)
    if source == "huge":
        path = tmp_path / "huge.json"
        with path.open("w") as handle:
            handle.write('{"pad": "')
            handle.write("x" * (store_module.MAX_IMPORT_BYTES + 10))
            handle.write('"}')
    elif source == "deep":
        path = tmp_path / "deep.json"
        path.write_text("[" * 200_000 + "]" * 200_000)
    elif source == "not-utf8":
        path = tmp_path / "bad.json"
        path.write_bytes(b'{"format": "\xff"}')
    status, _, err = run(capsys, "progress", "--import", str(path))
    assert status == 1
    one_error(err)
    assert count_reviews(home / DB_NAME) == 3


# -- the data directory and the file are private ---------------------------------------------------


def test_data_dir_is_0700_and_files_0600(fresh_home: Path, capsys, tmp_path: Path) -> None:
    home = fresh_home
    old = os.umask(0o002)  # a group-writable umask, as on many shared machines
    try:
        seed(home)
        status, _, err = run(capsys, "progress", "--export", str(tmp_path / "export.json"))
        assert status == 0, err
        status, _, err = run(capsys, "learn", "sqs", "visibility")
        assert status == 0, err
        with Store.open(home, NOW):  # the -wal and -shm files exist while a store is open
            modes = {p.name: p.stat().st_mode & 0o777 for p in home.iterdir() if p.is_file()}
    finally:
        os.umask(old)
    assert (home.stat().st_mode & 0o777) == 0o700
    assert modes == {DB_NAME: 0o600, f"{DB_NAME}-wal": 0o600, f"{DB_NAME}-shm": 0o600}
    assert ((tmp_path / "export.json").stat().st_mode & 0o777) == 0o600
    cache = home / "cache"
    assert (cache.stat().st_mode & 0o777) == 0o700
    assert all((p.stat().st_mode & 0o777) == 0o600 for p in cache.iterdir())


# -- as a user who is not root: permissions mean something -----------------------------------------


def _unprivileged() -> tuple[list[str], int]:
    """A command prefix that runs a subprocess without root's power over file modes, and the uid
    whose files it may write: `nobody` when it can run our interpreter, else root stripped of
    every capability (then modes bind root too)."""
    if os.geteuid() != 0:
        return [], os.geteuid()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: no way to drop privileges")
    nobody = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"]
    probe = subprocess.run(
        [*nobody, sys.executable, "-c", "import studyaws.cli"], capture_output=True, check=False
    )
    if probe.returncode == 0:
        return nobody, NOBODY
    return [setpriv, "--inh-caps=-all", "--bounding-set=-all", "--"], 0


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A directory an unprivileged user can reach (pytest's own tmp is private to root)."""
    path = Path(tempfile.mkdtemp(prefix="studyaws-faults-"))
    path.chmod(0o755)
    yield path
    for root, dirs, _files in os.walk(path):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)
    shutil.rmtree(path, ignore_errors=True)


def run_as_user(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    prefix, _uid = _unprivileged()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["STUDYAWS_HOME"] = str(home)
    return subprocess.run(
        [*prefix, sys.executable, "-m", "studyaws", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=home.parent,
        timeout=60,
        check=False,
    )


def test_an_unreadable_progress_file_as_a_user(shared_dir: Path) -> None:
    """Mode 000: `progress` is one line; `topics` lists the topics and says why no mastery."""
    _, uid = _unprivileged()
    home = shared_dir / "home"
    seed(home)
    os.chown(home, uid, uid)
    (home / DB_NAME).chmod(0)
    done = run_as_user(home, "progress")
    assert done.returncode == 1
    assert "Permission denied" in one_error(done.stderr)
    done = run_as_user(home, "topics")
    assert done.returncode == 0, done.stderr
    assert "Amazon SQS" in done.stdout
    assert done.stderr.startswith("studyaws: warning: mastery is not shown: ")
    assert len(done.stderr.splitlines()) == 1
    (home / DB_NAME).chmod(0o600)
    assert count_reviews(home / DB_NAME) == 3


def test_a_read_only_home_as_a_user(shared_dir: Path) -> None:
    """A home nobody may write in: no store can be created (one line for the commands that
    need it); the listings work and, with no store ever made, have nothing to warn about."""
    home = shared_dir / "readonly" / "studyaws"
    home.parent.mkdir(mode=0o555)
    home.parent.chmod(0o555)
    done = run_as_user(home, "quiz", "sqs", "-n", "1", stdin="1\n")
    assert done.returncode == 1
    assert "can't create the folder for your progress" in one_error(done.stderr)
    done = run_as_user(home, "topics")
    assert (done.returncode, done.stderr) == (0, "")
    assert "Amazon SQS" in done.stdout
    assert not home.exists()


def test_a_read_only_folder_around_an_existing_store(shared_dir: Path) -> None:
    """The file is the user's but its folder is not writable (SQLite can't add its -wal)."""
    _, uid = _unprivileged()
    home = shared_dir / "home"
    seed(home)
    for name in (f"{DB_NAME}-wal", f"{DB_NAME}-shm"):
        (home / name).unlink(missing_ok=True)
    os.chown(home / DB_NAME, uid, uid)
    home.chmod(0o555)
    done = run_as_user(home, "progress")
    assert done.returncode == 1
    one_error(done.stderr)
    done = run_as_user(home, "topics")
    assert done.returncode == 0
    assert "Amazon SQS" in done.stdout
    assert len(done.stderr.splitlines()) == 1
    home.chmod(0o755)
    assert count_reviews(home / DB_NAME) == 3


# -- a full disk (ulimit -f) -----------------------------------------------------------------------


def _file_size_limit(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_full_disk_during_a_quiz_loses_nothing_saved(home: Path) -> None:
    """Writing stops at `ulimit -f`: the quiz goes on, says so on one line, exits normally,
    and every answer saved before is still there, in a sound file."""
    seed(home, answers=3)
    size = max(p.stat().st_size for p in home.iterdir())
    env = {**os.environ, "STUDYAWS_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, str(SAMPLE_CLI), "quiz", "sqs", "-n", "4", "--seed", "7"],
        input="1\n2\n1\n1\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        preexec_fn=lambda: _file_size_limit(size),
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert all(line.startswith("studyaws: ") for line in done.stderr.splitlines()), done.stderr
    assert "could not" in done.stdout + done.stderr  # the learner is told
    assert count_reviews(home / DB_NAME) >= 3


def test_a_full_disk_leaves_no_half_written_cache_entry(fresh_home: Path) -> None:
    """`learn` still prints its page when the cache can't be written, and leaves no .tmp."""
    home = fresh_home
    home.mkdir()
    env = {**os.environ, "STUDYAWS_HOME": str(home), "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-m", "studyaws", "learn", "sqs", "visibility"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        preexec_fn=lambda: _file_size_limit(4096),
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert "Visibility timeout" in done.stdout
    cache = home / "cache"
    assert not list(cache.glob("*.tmp")) if cache.exists() else True
