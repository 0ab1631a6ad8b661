"""`studyaws scenario` as a learner plays it: what each line returned, repeated events folded,
multi-message choices, the events a reveal points at, the JSON answers, a `--set` value the
engine rejects, an interrupted summary, and Enter pressed ahead of a checkpoint."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from studyaws.cli import main
from studyaws.content.loader import check
from studyaws.content.model import Course
from studyaws.scenarios.run import run
from studyaws.ui.env import Env
from studyaws.ui.scenario import result_text, scenario


@pytest.fixture(scope="module")
def bundled() -> Course:
    course, problems = check()
    assert problems == []
    return course


@pytest.fixture
def course(bundled: Course, monkeypatch: pytest.MonkeyPatch) -> Course:
    monkeypatch.setattr("studyaws.ui.course.load", lambda env: bundled)
    return bundled


def plain(tmp_path: Path, name: str, stdin: str = "", width: int = 200, **kw: object) -> str:
    env = Env.for_test(stdin=stdin, data_dir=tmp_path / "home", width=width)
    assert scenario(env, name, **kw) == 0  # type: ignore[arg-type]
    return env.stdout.getvalue()


def test_a_line_the_engine_rejects_shows_its_aws_error(course: Course, tmp_path: Path) -> None:
    """CreateEventSourceMapping with a function timeout above the queue's visibility timeout
    fails with InvalidParameterValueException: the learner must see why, not an empty line."""
    out = plain(tmp_path, "lambda-sqs")
    assert (
        "  $ map jobs worker --batch-size 2\n"
        "    → InvalidParameterValueException: Queue visibility timeout: 20 seconds is less "
        "than Function timeout: 30 seconds\n"
    ) in out
    schedule = plain(tmp_path, "schedule")
    assert "→ ValidationException: rate(1 minutes): use the singular unit" in schedule


def test_results_the_events_dont_say_are_shown(course: Course, tmp_path: Path) -> None:
    """An empty receive, the counts of `stats`, how a synchronous invoke ended (a VPC function
    without a NAT times out: 200 with Sandbox.Timedout) and an ALB status each get a line."""
    assert "  $ receive tasks\n    → no messages\n" in plain(tmp_path, "long-polling")
    assert "→ plain: 0 visible, 3 in flight, 0 delayed" in plain(tmp_path, "partial-batch")
    vpc = plain(tmp_path, "vpc")
    assert "→ 200 after 6s, Sandbox.Timedout: Task timed out after 6 seconds" in vpc
    assert "→ 200 after 2s (version $LATEST)" in vpc
    assert "→ HTTP 413: 413 Request Entity Too Large" in plain(tmp_path, "alb")
    assert "→ 429 TooManyRequestsException: Rate Exceeded." in plain(tmp_path, "throttling")
    assert result_text("send q hello", {"ok": True, "message_id": "m1"}) == ""


def test_repeated_events_are_one_line_with_a_count(course: Course, tmp_path: Path) -> None:
    """Five pollers of an event source mapping start long polls at once: one line, ×5."""
    out = plain(tmp_path, "lambda-sqs")
    assert "    t=0s LongPollStarted jobs wait=20s (long polling) ×5\n" in out


def test_a_receive_of_several_offers_several_messages(bundled: Course) -> None:
    """A FIFO receive of up to 10 while Alice's first message is in flight returns only Bob's:
    the tempting "Alice paid and Bob" must be a choice, as must "everything"."""
    timeline = run(bundled.scenarios["fifo"])  # type: ignore[arg-type]
    answer = timeline.answers()["third-consumer"]
    assert answer.value == "m3"
    assert "m2, m3" in answer.choices
    assert "m1, m2, m3" in answer.choices
    assert "m2 “alice paid”, m3 “bob created”" in answer.labels
    delay = run(bundled.scenarios["delay"]).answers()["long-poll"]  # type: ignore[arg-type]
    assert delay.choices == ("nothing", "m1", "m2", "m1, m2")


def test_a_reveal_points_at_events_that_decided_it(bundled: Course) -> None:
    """Pollers' empty long polls never decide how many messages are in flight; scaling events
    decide how many consumers run; a count of 0 has no event to point at."""
    pb = run(bundled.scenarios["partial-batch"]).answers()  # type: ignore[arg-type]
    kinds = [e.kind for e in pb["reported-kept"].deciding]
    assert kinds == ["MessageDeleted", "MessageDeleted", "BatchDeleted", "BatchLeftForRetry"]
    asg = run(bundled.scenarios["asg"]).answers()  # type: ignore[arg-type]
    assert [e.kind for e in asg["scaled-out"].deciding] == [
        "AlarmStateChanged",
        "GroupScaled",
        "ConsumerStarted",
    ]
    s3 = run(bundled.scenarios["s3-events"]).answers()  # type: ignore[arg-type]
    assert s3["gif-copies"].value == 0.0
    assert s3["gif-copies"].deciding == ()


def test_json_given_is_the_engine_value_of_the_choice(course: Course, tmp_path: Path) -> None:
    """`given` and `expected` compare as values (m1 and m1); the labels are beside them."""
    env = Env.for_test(stdin="2\n1\n1\n", data_dir=tmp_path / "home")
    assert scenario(env, "dlq", json_output=True) == 0
    first = json.loads(env.stdout.getvalue())["checkpoints"][0]
    assert first["given"] == first["expected"] == "m1"
    assert first["given_text"] == first["expected_text"] == "m1 “order 42, qty -1”"
    assert first["correct"] is True


def test_a_set_value_the_setup_rejects_is_a_usage_error(
    course: Course,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A value the setting allows but AWS refuses (an alias of a query string the ALB can't
    take, an object key with a space) is the learner's mistake, said in one line with the
    engine's reason and exit 2, not a content error of the file."""
    monkeypatch.setenv("STUDYAWS_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(sys, "stdin", open(os.devnull))  # noqa: SIM115
    assert main(["scenario", "dlq", "--set", "max-receives=1001", "--no-animate"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "setting 'max-receives' is 1 to 10, not '1001'" in err
    sys.stdin.close()


def test_an_interrupted_play_sums_up_what_was_played(
    course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the second prediction is asked: the summary says what was played."""

    class _Stdin(io.StringIO):
        def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
            if self.tell() >= len(self.getvalue()):
                raise KeyboardInterrupt
            return super().readline()

    env = Env.for_test(data_dir=tmp_path / "home")
    env.stdin = _Stdin("2\n")
    assert scenario(env, "dlq") == 130
    out = env.stdout.getvalue()
    assert "Stopped after step 4 of 8: 1 prediction made, 1 right." in out
    assert "events over" not in out


def test_terminal_keys_name_keys_and_drop_what_was_pressed_ahead() -> None:
    """Arrows, Enter and digits arrive named; keys pressed ahead of a prediction are dropped,
    so an Enter meant for the step before never answers it."""
    from studyaws.ui.keys import TerminalKeys

    master, follower = os.openpty()
    try:
        with (
            open(follower, encoding="utf-8", closefd=False) as stream,
            TerminalKeys(stream) as keys,
        ):
            os.write(master, b"2\x1b[B\r")
            assert [keys.read(1.0), keys.read(1.0), keys.read(1.0)] == ["2", "down", "enter"]
            assert keys.read(0.01) is None
            os.write(master, b"\r\r")
            keys.discard()
            assert keys.read(0.05) is None
            os.write(master, b"q")
            assert keys.read(1.0) == "q"
            os.write(master, b"\x03")
            with pytest.raises(KeyboardInterrupt):
                keys.read(1.0)
    finally:
        os.close(master)
        os.close(follower)
