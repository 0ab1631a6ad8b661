"""The command line's promises about its streams and its errors, whatever the command.

- A reader that went away (`studyaws topics | head -1`) ends the command quietly with status 0.
- A closed or full stdout (`>&-`, `> /dev/full`) is one `studyaws: error:` line and status 1.
- A closed stdin (`<&-`) reads as an empty one.
- Every error is one line with terminal controls escaped; usage errors exit 2; a bug is one
  line too (`internal error`), never a traceback.
"""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from studyaws import cli

SCRIPT = "create-queue q\nsend q hello\nreceive q\nstats q\n" * 20

# Every command that writes to stdout, with what it reads on stdin.
COMMANDS: list[tuple[list[str], str]] = [
    ([], ""),
    (["--help"], ""),
    (["--version"], ""),
    (["topics"], ""),
    (["topics", "--json"], ""),
    (["learn", "sqs"], ""),
    (["search", "queue"], ""),
    (["search", "queue", "--json"], ""),
    (["progress"], ""),
    (["progress", "--json"], ""),
    (["scenario"], ""),
    (["scenario", "dlq", "--no-animate"], ""),
    (["scenario", "dlq", "--json"], ""),
    (["sandbox", "--script", "-"], SCRIPT),
    (["sandbox", "--script", "-", "--json"], SCRIPT),
    (["quiz", "sqs", "-n", "3", "--seed", "1"], "\n\n\n"),
    (["quiz", "sqs", "-n", "3", "--seed", "1", "--json"], "\n\n\n"),
    (["review"], ""),
    (["validate"], ""),
]


@pytest.fixture(autouse=True)
def _warm_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warm: Callable[[Path], Path]
) -> None:
    """Each command finds the course already validated and cached, as it would after the first
    run on a learner's machine."""
    monkeypatch.setenv("STUDYAWS_HOME", str(warm(tmp_path / "warm-home")))


class _Failing(io.StringIO):
    """A stdout whose writes fail after `after` characters, with `error`."""

    def __init__(self, error: OSError, after: int = 0) -> None:
        super().__init__()
        self.error = error
        self.after = after

    def write(self, text: str) -> int:
        if self.tell() + len(text) > self.after:
            raise self.error
        return super().write(text)

    def flush(self) -> None:
        if self.tell() > self.after:
            raise self.error


def _in_process(
    monkeypatch: pytest.MonkeyPatch, args: list[str], stdin: str, stdout: io.StringIO
) -> tuple[int, str]:
    err = io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stderr", err)
    status = cli.main(args)
    return status, err.getvalue()


@pytest.mark.parametrize(("args", "stdin"), COMMANDS, ids=[" ".join(a) or "-" for a, _ in COMMANDS])
def test_a_reader_that_left_is_status_0_for_every_command(
    args: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdout = _Failing(BrokenPipeError(errno.EPIPE, "Broken pipe"), after=10)
    status, err = _in_process(monkeypatch, args, stdin, stdout)
    assert (status, err) == (0, "")


@pytest.mark.parametrize(("args", "stdin"), COMMANDS, ids=[" ".join(a) or "-" for a, _ in COMMANDS])
def test_a_full_stdout_is_one_line_and_status_1_for_every_command(
    args: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdout = _Failing(OSError(errno.ENOSPC, "No space left on device"))
    status, err = _in_process(monkeypatch, args, stdin, stdout)
    assert status == 1
    assert err == "studyaws: error: can't write the output: No space left on device\n"


def _real(args: list[str], stdin: str, home: Path, **popen: object) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["STUDYAWS_HOME"] = str(home)
    proc = subprocess.Popen(
        [sys.executable, "-m", "studyaws", *args],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        **popen,  # type: ignore[call-overload]
    )
    assert proc.stdin is not None
    try:
        proc.stdin.write(stdin.encode())
        proc.stdin.close()
    except BrokenPipeError:
        pass
    return proc


REAL = [
    (["topics"], ""),
    (["learn", "sqs"], ""),
    (["sandbox", "--script", "-"], SCRIPT),
    (["quiz", "sqs", "-n", "3", "--seed", "1"], "\n\n\n"),
]


def test_real_pipes_closed_and_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same through real file descriptors, all at once: a pipe whose reader is gone (EPIPE
    at the first write), /dev/full, a closed stdout (`>&-`) and a closed stdin (`<&-`)."""
    home = Path(os.environ["STUDYAWS_HOME"])  # the course cached, for every process below
    runs = []
    for args, stdin in REAL:
        read_end, write_end = os.pipe()
        os.close(read_end)  # the reader left before the first line
        runs.append(("epipe", args, _real(args, stdin, home, stdout=write_end)))
        os.close(write_end)
    with open("/dev/full", "wb") as full:
        for args, stdin in REAL[:2]:
            runs.append(("full", args, _real(args, stdin, home, stdout=full)))
    closed = _real(["topics"], "", home, preexec_fn=lambda: os.close(1))
    runs.append(("closed-stdout", ["topics"], closed))
    closed_stdin = subprocess.Popen(
        [sys.executable, "-m", "studyaws", "quiz", "sqs", "-n", "2"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "STUDYAWS_HOME": str(home)},
        preexec_fn=lambda: os.close(0),
    )
    for kind, args, proc in runs:
        assert proc.stderr is not None
        err = proc.stderr.read().decode()
        status = proc.wait(timeout=60)
        proc.stderr.close()
        if kind == "epipe":
            assert (status, err) == (0, ""), args
        elif kind == "full":
            assert status == 1, args
            assert err == "studyaws: error: can't write the output: No space left on device\n"
        else:
            assert status == 1
            assert err == "studyaws: error: can't write the output: standard output is closed\n"
    out, err_bytes = closed_stdin.communicate(timeout=60)
    assert closed_stdin.returncode == 0, err_bytes
    assert b"Question 1/2" in out
    assert b"Traceback" not in err_bytes


@pytest.mark.parametrize("speed", ["nan", "inf", "-1", "0"])
def test_speed_must_be_a_positive_number(speed: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["scenario", "dlq", "--speed", speed, "--no-animate"]) == 2
    _, err = capsys.readouterr()
    assert len(err.splitlines()) == 1
    assert "Invalid value for '--speed'" in err


def test_controls_in_an_argument_are_escaped_in_the_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["learn", "\x1b]0;pwned\x07\x1b[2Jsqs\nx"]) == 2
    _, err = capsys.readouterr()
    assert err.startswith("studyaws: error: unknown topic '\\x1b]0;pwned\\x07\\x1b[2Jsqs\\nx'")
    assert err.count("\n") == 1
    assert "\x1b" not in err


def test_a_bug_is_one_line_not_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from studyaws.ui import overview

    def broken(*_args: object, **_kwargs: object) -> int:
        raise KeyError("oops")

    monkeypatch.setattr(overview, "topics", broken)
    monkeypatch.delenv("STUDYAWS_DEBUG", raising=False)
    assert cli.main(["topics"]) == 1
    _, err = capsys.readouterr()
    assert err.startswith("studyaws: error: internal error (KeyError: 'oops'); ")
    assert err.count("\n") == 1
    monkeypatch.setenv("STUDYAWS_DEBUG", "1")
    with pytest.raises(KeyError):
        cli.main(["topics"])


def test_a_sandbox_script_is_read_within_bounds(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--script /dev/zero` and an endless line on stdin end as one error line, not a hang."""
    assert cli.main(["sandbox", "--script", "/dev/zero"]) == 2
    _, err = capsys.readouterr()
    assert err == "studyaws: error: cannot read script /dev/zero: it is larger than 8 MiB\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO("create-queue q\n" + "\0" * 200_000))
    assert cli.main(["sandbox", "--script", "-"]) == 2
    out, err = capsys.readouterr()
    assert out == "created queue q\n"
    assert err == "studyaws: error: line 2: longer than 100,000 characters\n"
