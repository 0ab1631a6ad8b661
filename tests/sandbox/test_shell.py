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


def test_undo_and_reset_are_described_in_words() -> None:
    """They printed the raw result dict (`{'ok': True, 'now': 0}`) in the shell."""
    env = Env.for_test(tty=True)
    session = Session()
    for line in ("create-queue q", "tick 10", "undo", "reset"):
        shell_line(env, session, line, json_output=False)
    out = env.stdout.getvalue().splitlines()
    assert out[-2:] == ["took back the last command (t=0s)", "an empty world again (t=0s)"]
    assert "{" not in env.stdout.getvalue()


def test_ctrl_c_during_a_long_command_takes_it_back_and_keeps_the_session(monkeypatch) -> None:
    """Ctrl-C during `tick 20d` ended the whole shell (exit 130) and lost the session. Now the
    interrupted command is taken back (the world is rebuilt from the lines before it) and the
    shell goes on."""
    from studyaws.engine import World
    from studyaws.ui.sandbox import run_interruptibly

    env = Env.for_test(tty=True)
    session = Session()
    for line in ("create-queue q", "send q a", "tick 5"):
        run_interruptibly(env, session, line, json_output=True)
    real_advance = World.advance

    def interrupted(self: World, seconds: float) -> None:
        monkeypatch.setattr(World, "advance", real_advance)  # one Ctrl-C only
        real_advance(self, 1)  # the world is half-way through the command
        raise KeyboardInterrupt

    monkeypatch.setattr(World, "advance", interrupted)
    run_interruptibly(env, session, "tick 20d", json_output=True)
    assert "interrupted: 'tick 20d' was taken back (the world is as it was, t=5s)" in (
        env.stderr.getvalue()
    )
    assert session.world.now_s == 5
    assert session.history == ["create-queue q", "send q a", "tick 5"]
    run_interruptibly(env, session, "stats q", json_output=True)
    assert env.stdout.getvalue().splitlines()[-1] == (
        '{"ok": true, "visible": 1, "in_flight": 0, "delayed": 0}'
    )
