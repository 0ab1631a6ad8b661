"""`studyaws sandbox`: the playground shell and the script runner around `studyaws.sandbox`.

- `--script FILE` (or `-`), or stdin that is not a terminal: run the lines in order. Each result is
  one line (one JSON object with `--json`). A line that is not a command stops the script: exit
  code 2 and `line N: ...` on stderr; nothing after it runs. Errors of the simulated API are
  results, and the exit code stays 0.
- A terminal: an interactive shell (prompt_toolkit, imported here only) with history, tab
  completion of command names, flags and queue names, `help`, `show` (rich), `undo`, `reset`.
  Ctrl-C at the prompt clears the line; during a long command it takes the command back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from studyaws.errors import ExitStatus
from studyaws.sandbox import Outcome, SandboxSyntaxError, Session, run_script
from studyaws.sandbox.language import COMMANDS
from studyaws.sandbox.text import describe

if TYPE_CHECKING:
    from prompt_toolkit.completion import CompleteEvent, Completion
    from prompt_toolkit.document import Document
    from rich.console import RenderableType

    from studyaws.ui.env import Env


def sandbox(env: Env, *, script: str | None, json_output: bool, seed: int) -> int:
    """Run the sandbox; returns the exit status."""
    session = Session(seed)
    if script is None and env.interactive:
        return _shell(env, session, json_output=json_output)
    if script is None or script == "-":
        lines: Iterable[str] = _bounded_lines(env.stdin)
    else:
        path = Path(script)
        try:
            # A file or `<(command)`, read up to a bound: `--script /dev/zero` ends here.
            with path.open("rb") as handle:
                raw = handle.read(MAX_SCRIPT_BYTES + 1)
            if len(raw) > MAX_SCRIPT_BYTES:
                raise ValueError(f"it is larger than {MAX_SCRIPT_BYTES // (1024 * 1024)} MiB")
            text = raw.decode("utf-8")
        except OSError as exc:
            env.error(f"cannot read script {script}: {exc.strerror or exc}")
            return int(ExitStatus.USAGE)
        except ValueError as exc:  # not UTF-8, or too large
            env.error(f"cannot read script {script}: {exc}")
            return int(ExitStatus.USAGE)
        lines = text.splitlines()
    try:
        failure = run_script(
            session, _strip(lines), lambda o: _print(env, o, json_output=json_output)
        )
    except _LineTooLongError as exc:
        env.error(f"line {exc.number}: longer than {MAX_LINE_CHARS:,} characters")
        return int(ExitStatus.USAGE)
    if failure is not None:
        env.error(f"line {failure.line_number}: {failure.message}")
        return int(ExitStatus.USAGE)
    return int(ExitStatus.OK)


MAX_SCRIPT_BYTES = 8 * 1024 * 1024
MAX_LINE_CHARS = 100_000


class _LineTooLongError(Exception):
    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


def _bounded_lines(stream: TextIO) -> Iterator[str]:
    """Lines of a stream (`--script -`), each read up to a bound: `< /dev/zero` is one endless
    line, and must end as an error, not fill the memory."""
    number = 0
    while line := stream.readline(MAX_LINE_CHARS + 1):
        number += 1
        if len(line) > MAX_LINE_CHARS:
            raise _LineTooLongError(number)
        yield line


def _strip(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        yield line.rstrip("\r\n")


def _print(env: Env, outcome: Outcome, *, json_output: bool) -> None:
    if json_output:
        env.stdout.write(json.dumps(outcome.result, ensure_ascii=False) + "\n")
    else:
        for line in describe(outcome.command, outcome.result):
            env.stdout.write(_safe(line) + "\n")
    env.stdout.flush()


def _safe(text: str) -> str:
    """Learner text can carry terminal control characters: show them, don't obey them."""
    return "".join(c if c.isprintable() or c == "\t" else repr(c)[1:-1] for c in text)


# -- the interactive shell ----------------------------------------------------------------------


def _shell(env: Env, session: Session, *, json_output: bool) -> int:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import InMemoryHistory

    prompt: PromptSession[str] = PromptSession(
        history=InMemoryHistory(), completer=_completer(session)
    )
    env.stdout.write(f"studyaws sandbox (seed {session.seed}) — type 'help', Ctrl-D to leave.\n")
    while True:
        try:
            line = prompt.prompt(f"[t={session.world.now_s}s] > ")
        except KeyboardInterrupt:
            continue
        except EOFError:
            return int(ExitStatus.OK)
        if line.strip() in ("exit", "quit"):
            return int(ExitStatus.OK)
        run_interruptibly(env, session, line, json_output=json_output)


def run_interruptibly(env: Env, session: Session, line: str, *, json_output: bool) -> None:
    """`shell_line`, but Ctrl-C during a long command (`tick 20d` with a schedule) takes the
    command back and keeps the session, instead of ending the shell with the world half-run."""
    before = list(session.history)
    try:
        shell_line(env, session, line, json_output=json_output)
    except KeyboardInterrupt:
        session.restore(before)
        env.error(
            f"interrupted: '{_safe(line.strip())}' was taken back "
            f"(the world is as it was, t={session.world.now_s}s)"
        )


def shell_line(env: Env, session: Session, line: str, *, json_output: bool) -> None:
    """One line typed in the shell: a bad line is a message, never the end of the session."""
    try:
        outcome = session.execute(line)
    except SandboxSyntaxError as exc:
        env.error(exc.message)
        return
    if outcome is None:
        return
    if outcome.command.name == "show" and not json_output:
        shown: Mapping[str, Any] = outcome.result
        env.console.print(render_world(shown["world"]))
        return
    _print(env, outcome, json_output=json_output)


def render_world(snapshot: Mapping[str, Any]) -> RenderableType:
    """The world as rich tables: queues (message ids by state), then every other resource."""
    from rich.console import Group
    from rich.table import Table

    tables: list[RenderableType] = [_queue_table(snapshot)]
    functions = snapshot.get("functions", {})
    if functions:
        t = Table(title="functions", expand=False)
        for header in (
            "function",
            "running",
            "queued",
            "reserved",
            "calls",
            "errors",
            "throttles",
            "aliases",
        ):
            t.add_column(header, overflow="fold")
        for name, f in functions.items():
            aliases = " ".join(
                f"{a}→{al['version']}"
                + (
                    f"+{al['additional_weight']}%{al['additional_version']}"
                    if al["additional_version"]
                    else ""
                )
                for a, al in f["aliases"].items()
            )
            reserved = f["reserved_concurrency"]
            t.add_row(
                name,
                str(f["running"]),
                str(f["queued_events"]),
                "-" if reserved is None else str(reserved),
                str(f["invocations"]),
                str(f["errors"]),
                str(f["throttles"]),
                aliases or "-",
            )
        tables.append(t)
    rows = _other_rows(snapshot)
    if rows:
        t = Table(title="topics, mappings, buckets, schedules, consumers", expand=False)
        t.add_column("resource", overflow="fold")
        t.add_column("state", overflow="fold")
        for resource, state in rows:
            t.add_row(resource, state)
        tables.append(t)
    return Group(*tables)


def _other_rows(snapshot: Mapping[str, Any]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for name, t in snapshot.get("topics", {}).items():
        subs = ", ".join(
            f"{s['id']}→{s['protocol']}:{s['endpoint']}{' raw' if s['raw'] else ''}"
            + (" filtered" if s["filter_policy"] else "")
            for s in t["subscriptions"]
        )
        rows.append((f"topic {name}" + (" [FIFO]" if t["fifo"] else ""), subs or "-"))
    for mid, m in snapshot.get("mappings", {}).items():
        rows.append(
            (
                f"mapping {mid}",
                f"{m['queue']} → {m['function']}, batch {m['batch_size']}, "
                f"{m['pollers']} pollers, {m['batches_in_progress']} running",
            )
        )
    for name, b in snapshot.get("buckets", {}).items():
        notes = ", ".join(
            f"{n['events']} {n['prefix']}*{n['suffix']}→{n['target']}" for n in b["notifications"]
        )
        rows.append((f"bucket {name}", f"{len(b['objects'])} objects; {notes or 'no events'}"))
    for name, s in snapshot.get("schedules", {}).items():
        rows.append(
            (f"schedule {name}", f"{s['expression']} → {s['target']}, next t={s['next_at']}s")
        )
    for queue, c in snapshot.get("consumers", {}).items():
        rows.append(
            (
                f"consumers {queue}",
                f"{c['consumers']} running, busy "
                f"{' '.join(c['busy']) or '-'}, {c['processed']} done, {c['failed']} failed",
            )
        )
    for queue, g in snapshot.get("groups", {}).items():
        rows.append(
            (
                f"auto scaling {queue}",
                f"{g['instances']} of {g['min']}-{g['max']}, alarm {g['alarm']}",
            )
        )
    for did, d in snapshot.get("deployments", {}).items():
        rows.append((f"deployment {did}", d["status"]))
    return rows


def _queue_table(snapshot: Mapping[str, Any]) -> RenderableType:
    from rich.table import Table

    table = Table(title=f"t={snapshot['now']}s · seed {snapshot['seed']}", expand=False)
    for header in ("queue", "visible", "in flight", "delayed", "DLQ"):
        table.add_column(header, overflow="fold")
    for name, q in snapshot["queues"].items():
        dlq = f"{q['dead_letter_queue']} (after {q['max_receive_count']})"
        table.add_row(
            name + (" [FIFO]" if q["fifo"] else ""),
            " ".join(q["visible"]) or "-",
            " ".join(q["in_flight"]) or "-",
            " ".join(q["delayed"]) or "-",
            dlq if q["dead_letter_queue"] else "-",
            style=None,
        )
    return table


def _completer(session: Session) -> Any:
    from prompt_toolkit.completion import Completer, Completion

    class SandboxCompleter(Completer):
        def get_completions(
            self, document: Document, complete_event: CompleteEvent
        ) -> Iterator[Completion]:
            for word in completions(session, document.text_before_cursor):
                yield Completion(word, start_position=-len(_last_word(document.text_before_cursor)))

    return SandboxCompleter()


def _last_word(text: str) -> str:
    return "" if not text or text[-1].isspace() else text.split()[-1]


def completions(session: Session, text: str) -> list[str]:
    """What may come next: command names first, then flags and queue names."""
    words = text.split()
    current = _last_word(text)
    if len(words) == 0 or (len(words) == 1 and current):
        return sorted(n for n in COMMANDS if n.startswith(current))
    spec = COMMANDS.get(words[0])
    if spec is None:
        return []
    if current.startswith("-"):
        return [f"--{f.name}" for f in spec.flags if f"--{f.name}".startswith(current)]
    return [q for q in session.resource_names() if q.startswith(current)]
