"""The interactive shell: completion, `show`, `undo`, bad lines that don't end the session."""

from __future__ import annotations

import pytest

from studyaws.sandbox import Session
from studyaws.ui.env import Env
from studyaws.ui.sandbox import completions, sandbox, shell_line


def test_completion_of_commands_flags_and_queue_names() -> None:
    session = Session()
    session.execute("create-queue orders")
    session.execute("create-queue orders-dlq")
    assert completions(session, "re") == ["receive", "reset"]
    assert completions(session, "receive ord") == ["orders", "orders-dlq"]
    assert completions(session, "receive orders --vi") == ["--visibility-timeout"]
    assert completions(session, "nonsense x") == []


def test_show_renders_the_world_with_rich() -> None:
    env = Env.for_test(tty=True, width=100)
    session = Session()
    for line in ("create-queue q", "send q a", "send q b", "receive q"):
        shell_line(env, session, line, json_output=False)
    shell_line(env, session, "show", json_output=False)
    out = env.stdout.getvalue()
    assert "m1 sent to q" in out
    assert "in flight" in out
    assert "m2" in out


def test_bad_line_is_a_message_and_the_session_goes_on() -> None:
    env = Env.for_test(tty=True)
    session = Session()
    shell_line(env, session, "sned q", json_output=False)
    shell_line(env, session, "create-queue q", json_output=False)
    assert "unknown command 'sned'" in env.stderr.getvalue()
    assert env.stdout.getvalue() == "created queue q\n"


def test_undo_replays_all_but_the_last_line() -> None:
    env = Env.for_test(tty=True)
    session = Session(seed=4)
    for line in ("create-queue q", "send q a", "tick 10", "send q b", "undo", "stats q"):
        shell_line(env, session, line, json_output=True)
    assert env.stdout.getvalue().splitlines()[-1] == (
        '{"ok": true, "visible": 1, "in_flight": 0, "delayed": 0}'
    )
    assert session.world.now_s == 10
    shell_line(env, session, "reset", json_output=False)
    shell_line(env, session, "undo", json_output=False)
    assert "nothing to undo" in env.stderr.getvalue()


def test_interactive_session_through_prompt_toolkit() -> None:
    """The real shell, fed through a pipe: history and completion objects are built, lines run,
    Ctrl-D (end of input) leaves with status 0."""
    pytest.importorskip("prompt_toolkit")
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    env = Env.for_test(tty=True)
    with create_pipe_input() as pipe:
        pipe.send_text("create-queue q\rsend q hello\rreceive q\rbogus\r")
        pipe.close()
        with create_app_session(input=pipe, output=DummyOutput()):
            status = sandbox(env, script=None, json_output=False, seed=0)
    assert status == 0
    out = env.stdout.getvalue()
    assert "received m1 (receipt m1#1, receive 1): hello" in out
    assert "unknown command 'bogus'" in env.stderr.getvalue()
