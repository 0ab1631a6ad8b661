"""`studyaws scenario` as a learner plays it: what each line returned, repeated events folded,
multi-message choices, the events a reveal points at, the JSON answers, a `--set` value the
engine rejects, an interrupted summary, and Enter pressed ahead of a checkpoint."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from studyaws.cli import main
from studyaws.content.loader import check
from studyaws.content.model import Course
from studyaws.errors import UsageError
from studyaws.scenarios.run import run
from studyaws.ui.animate import discard_typeahead
from studyaws.ui.env import Env
from studyaws.ui.prompts import ScriptedPrompter
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
    assert "    t=0s LongPollStarted jobs wait=20s (sqs_long_poll_wait) ×5\n" in out


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
    """maxReceiveCount must be 1 to 1,000: `--set max-receives=0` is the learner's mistake, said
    in one line with the engine's reason and exit 2, not a content error of the file."""
    with pytest.raises(UsageError, match=r"^--set max-receives=0: the scenario can't start: "):
        scenario(Env.for_test(data_dir=tmp_path), "dlq", settings=("max-receives=0",))
    monkeypatch.setenv("STUDYAWS_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(sys, "stdin", open(os.devnull))  # noqa: SIM115
    assert main(["scenario", "dlq", "--set", "max-receives=1001", "--no-animate"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "valid values are from 1 to 1000" in err
    sys.stdin.close()


def test_an_interrupted_play_sums_up_what_was_played(course: Course, tmp_path: Path) -> None:
    env = Env.for_test(tty=True, data_dir=tmp_path / "home")
    env.prompter = ScriptedPrompter(["m1", KeyboardInterrupt])
    assert scenario(env, "dlq") == 130
    out = env.stdout.getvalue()
    assert "Summary so far: 1 of 3 predictions made, 1 right." in out
    assert "events over" not in out


def test_the_animation_ends_without_drawing_the_last_picture_twice(
    course: Course, tmp_path: Path
) -> None:
    """vpc ends on a checkpoint: "The end." follows its reveal, with no picture after it."""
    env = Env.for_test(tty=True, width=100, data_dir=tmp_path / "home", environ={"NO_COLOR": "1"})
    env.prompter = ScriptedPrompter(["6", "success: the function's result"])
    assert scenario(env, "vpc") == 0
    out = env.stdout.getvalue()
    tail = out[out.rindex("Rule: A NAT gateway") :]
    assert "last events:" not in tail
    assert "\nThe end.\n\nSummary:" in tail


def test_keys_pressed_ahead_are_dropped_before_a_checkpoint() -> None:
    """With --step, an Enter pressed once too often must not pick the first choice."""
    master, follower = os.openpty()
    try:
        os.write(master, b"\n\n")
        with open(follower, encoding="utf-8", closefd=False) as stream:
            discard_typeahead(stream)
            os.write(master, b"x\n")
            assert stream.readline() == "x\n"
    finally:
        os.close(master)
        os.close(follower)
    with open(os.devnull, encoding="utf-8") as not_a_tty:
        discard_typeahead(not_a_tty)  # nothing to drop, no error
