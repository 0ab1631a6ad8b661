"""The page and course cache holds plain data: a planted or broken entry is rebuilt, never run,
never fatal, and a write that fails leaves nothing behind."""

from __future__ import annotations

import json
import os
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from studyaws import cli
from studyaws.content.loader import load_course
from studyaws.content.model import Course, Question
from studyaws.ui import cache
from studyaws.ui.env import Env


class _RunsCode:
    """Unpickling this runs `touch <marker>`: what the old pickle cache would have done."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch {self.marker}",)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warm: Callable[[Path], Path]) -> Path:
    """A home whose cache holds the course, as after a first run."""
    path = warm(tmp_path / "home")
    monkeypatch.setenv("STUDYAWS_HOME", str(path))
    return path


def course_entry(home: Path) -> Path:
    fingerprint = cache.content_fingerprint(())
    assert fingerprint is not None
    return home / "cache" / f"course-{fingerprint}{cache.SUFFIX}"


def topics(capsys: pytest.CaptureFixture[str]) -> str:
    status = cli.main(["topics"])
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    return out


def test_a_planted_pickle_is_never_run(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A synced or group-writable cache is writable by someone else: whatever they put there
    (a pickle that calls os.system, under the old name or the new one) is data at most."""
    clean = topics(capsys)
    entry = course_entry(home)
    marker = tmp_path / "ran"
    payload = pickle.dumps(_RunsCode(marker))
    entry.write_bytes(payload)
    entry.with_suffix(".pickle").write_bytes(payload)
    assert topics(capsys) == clean
    assert not marker.exists()
    assert json.loads(entry.read_text())["format"] == cache.FORMAT  # rebuilt in place
    assert not entry.with_suffix(".pickle").exists()  # old pickles are removed, never read


def _plant(entry: Path, how: str) -> None:
    good = json.loads(entry.read_text())
    entry.unlink()
    if how == "truncated":
        entry.write_text(json.dumps(good)[:1000])
    elif how == "not-utf8":
        entry.write_bytes(b"\xff\xfe" * 100)
    elif how == "null":
        entry.write_text("null")
    elif how == "other-key":
        entry.write_text(json.dumps({**good, "key": "course-0"}))
    elif how == "wrong-type-name":
        good["value"]["$type"] = "Scenario"
        entry.write_text(json.dumps(good))
    elif how == "extra-field":
        good["value"]["topics"][0]["evil"] = 1
        entry.write_text(json.dumps(good))
    elif how == "field-of-the-wrong-type":
        good["value"]["topics"][0]["order"] = "first"
        entry.write_text(json.dumps(good))
    elif how == "deeply-nested":
        entry.write_text("[" * 100_000 + "]" * 100_000)
    elif how == "huge":
        with entry.open("w") as handle:
            handle.write(" " * (cache.MAX_ENTRY_BYTES + 1))
    elif how == "directory":
        entry.mkdir()
    elif how == "fifo":
        os.mkfifo(entry)
    elif how == "link-to-dev-zero":
        entry.symlink_to("/dev/zero")
    else:  # pragma: no cover
        raise AssertionError(how)


BROKEN = [
    "truncated",
    "not-utf8",
    "null",
    "other-key",
    "wrong-type-name",
    "extra-field",
    "field-of-the-wrong-type",
    "deeply-nested",
    "huge",
    "directory",
    "fifo",
    "link-to-dev-zero",
]


@pytest.mark.parametrize("how", BROKEN)
def test_a_broken_entry_is_rebuilt_not_fatal(
    how: str, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = topics(capsys)
    entry = course_entry(home)
    _plant(entry, how)
    assert topics(capsys) == clean
    if how not in ("directory",):
        assert json.loads(entry.read_text())["format"] == cache.FORMAT
    assert not list(entry.parent.glob("*.tmp"))


def test_entries_round_trip_as_the_types_asked_for(tmp_path: Path) -> None:
    env = Env.for_test()
    env.cache_dir = tmp_path
    course = load_course()
    assert cache.cached(env, "c", lambda: course, Course) is course
    again = cache.cached(env, "c", lambda: pytest.fail("rebuilt"), Course)
    assert again == course
    assert again is not course
    questions = course.questions[:5]
    cache.cached(env, "q", lambda: questions, tuple[Question, ...])
    assert cache.cached(env, "q", lambda: (), tuple[Question, ...]) == questions
    # An entry is only ever read as what the caller asks for.
    assert cache.cached(env, "q", lambda: "page", str) == "page"


def test_a_failed_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = Env.for_test()
    env.cache_dir = tmp_path
    real_replace = Path.replace

    def full_disk(self: Path, target: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", full_disk)
    assert cache.cached(env, "page", lambda: "text", str) == "text"
    monkeypatch.setattr(Path, "replace", real_replace)
    assert list(tmp_path.iterdir()) == []


def test_the_cache_is_private(tmp_path: Path) -> None:
    env = Env.for_test()
    env.cache_dir = tmp_path / "cache"
    old = os.umask(0)
    try:
        cache.cached(env, "page", lambda: "text", str)
    finally:
        os.umask(old)
    assert (env.cache_dir.stat().st_mode & 0o777) == 0o700
    assert [p.stat().st_mode & 0o777 for p in env.cache_dir.iterdir()] == [0o600]
