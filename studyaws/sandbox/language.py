"""The sandbox language (DESIGN §4): one command a line, shell-style quoting, `#` starts a comment.

The grammar is data: `COMMANDS` maps a command name to its positional arguments and flags, and
the parser is generic over it (part 2 adds its commands to the same table). Parsing is the only
place a line can be *rejected as a line* — an unknown command, a missing argument, an unknown flag,
a bad duration or number — which raises `SandboxSyntaxError` (a script stops there: exit code 2).
Whether a value is *allowed* (a visibility timeout of 13 hours, a queue that does not exist) is the
engine's call and comes back as an AWS error object.

Durations: `45` or `45s` (seconds), `5m`, `2h`, `1d`; always whole seconds.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from typing import Any, Final

_DURATION_RE: Final = re.compile(r"^(\d+)([smhd]?)$")
_UNIT_S: Final = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


class SandboxSyntaxError(Exception):
    """A line that is not a command of the language (script exit code 2)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_duration(text: str) -> int:
    """`45`, `45s`, `5m`, `2h`, `1d` → whole seconds."""
    match = _DURATION_RE.match(text.strip())
    if match is None:
        raise SandboxSyntaxError(f"bad duration '{text}' (use e.g. 45, 45s, 5m, 2h or 1d)")
    return int(match.group(1)) * _UNIT_S[match.group(2)]


def _parse_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise SandboxSyntaxError(f"bad number '{text}'") from None


def _parse_kv(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise SandboxSyntaxError(f"bad KEY=VALUE '{text}'")
    return key, value


def _parse_on_off(text: str) -> bool:
    if text not in ("on", "off"):
        raise SandboxSyntaxError(f"expected on or off, got '{text}'")
    return text == "on"


_CONVERTERS: Final = {
    "str": lambda text: text,
    "duration": parse_duration,
    "int": _parse_int,
    "kv": _parse_kv,
    "on-off": _parse_on_off,
}


@dataclass(frozen=True, slots=True)
class Flag:
    name: str  # without the leading dashes
    kind: str  # "switch" or a key of _CONVERTERS
    repeat: bool = False
    metavar: str = ""

    def usage(self) -> str:
        if self.kind == "switch":
            text = f"[--{self.name}]"
        else:
            text = f"[--{self.name} {self.metavar or self.kind.upper()}]"
        return text + ("..." if self.repeat else "")

    @property
    def dest(self) -> str:
        return self.name.replace("-", "_")


@dataclass(frozen=True, slots=True)
class Spec:
    name: str
    positionals: tuple[tuple[str, str], ...]  # (NAME, kind)
    flags: tuple[Flag, ...] = ()
    summary: str = ""
    group: str = "sqs"

    def usage(self) -> str:
        parts = [self.name, *(p for p, _ in self.positionals), *(f.usage() for f in self.flags)]
        return " ".join(parts)

    def flag(self, name: str) -> Flag | None:
        return next((f for f in self.flags if f.name == name), None)


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    args: dict[str, Any] = field(default_factory=dict)


def _d(name: str, metavar: str = "D") -> Flag:
    return Flag(name, "duration", metavar=metavar)


_QUEUE_ATTRS: Final = (
    _d("visibility-timeout"),
    _d("delay"),
    _d("retention"),
    _d("wait"),
)

COMMANDS: dict[str, Spec] = {
    spec.name: spec
    for spec in (
        Spec(
            "create-queue",
            (("NAME", "str"),),
            (
                Flag("fifo", "switch"),
                *_QUEUE_ATTRS,
                Flag("content-based-dedup", "switch"),
                Flag("dedup-scope", "str", metavar="queue|message-group"),
                Flag("dlq", "str", metavar="NAME"),
                Flag("max-receives", "int", metavar="N"),
            ),
            "create a queue (a FIFO queue needs --fifo and a name ending in .fifo)",
        ),
        Spec(
            "set-queue-attributes",
            (("QUEUE", "str"),),
            (
                *_QUEUE_ATTRS,
                Flag("content-based-dedup", "on-off", metavar="on|off"),
                Flag("dlq", "str", metavar="NAME"),
                Flag("max-receives", "int", metavar="N"),
                Flag("no-dlq", "switch"),
            ),
            "change a queue's attributes (FIFO delay changes are retroactive)",
        ),
        Spec(
            "send",
            (("QUEUE", "str"), ("BODY", "str")),
            (
                _d("delay"),
                Flag("group", "str", metavar="G"),
                Flag("dedup-id", "str", metavar="X"),
                Flag("attr", "kv", repeat=True, metavar="KEY=VALUE"),
            ),
            "send a message (SendMessage)",
        ),
        Spec(
            "receive",
            (("QUEUE", "str"),),
            (
                Flag("max", "int", metavar="N"),
                _d("wait"),
                _d("visibility-timeout"),
                Flag("attempt-id", "str", metavar="X"),
            ),
            "receive up to N messages; --wait is long polling on the virtual clock",
        ),
        Spec("delete", (("QUEUE", "str"), ("RECEIPT", "str")), (), "delete with a receipt"),
        Spec(
            "change-visibility",
            (("QUEUE", "str"), ("RECEIPT", "str"), ("D", "duration")),
            (),
            "set a received message's visibility timeout, counted from now",
        ),
        Spec("purge", (("QUEUE", "str"),), (), "delete every message (once per 60 s)"),
        Spec("stats", (("QUEUE", "str"),), (), "visible, in-flight and delayed counts"),
        Spec(
            "start-message-move-task",
            (("DLQ", "str"),),
            (Flag("destination", "str", metavar="QUEUE"), Flag("rate", "int", metavar="N")),
            "redrive a DLQ's messages to their source queues (or --destination), N per second",
        ),
        Spec("tick", (("D", "duration"),), (), "let D of virtual time pass", "world"),
        Spec("log", (), (_d("since", "T"),), "the event log (since T seconds)", "world"),
        Spec(
            "chaos",
            (("MODE", "on-off"),),
            (),
            "standard-queue non-determinism (sampling, reordering, duplicates) on or off",
            "world",
        ),
        Spec("show", (), (), "the whole world: queues and their messages", "shell"),
        Spec("help", (), (), "this list; `help COMMAND` for one command", "shell"),
        Spec("undo", (), (), "take back the last command (replays the others)", "shell"),
        Spec("reset", (), (), "start again with an empty world (same seed)", "shell"),
    )
}

# Commands of the contract that arrive with part 2 of the engine.
LATER: Final = frozenset(
    {"create-topic", "subscribe", "publish", "create-function", "invoke", "map"}
)


def strip_comment(line: str) -> str:
    """Cut the line at a `#` that starts a word outside quotes (as a shell does): `m3#2` is a
    receipt, `# note` and `send q hi # note` carry comments."""
    quote = ""
    escaped = False
    for i, char in enumerate(line):
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i]
    return line


def tokenize(line: str) -> list[str]:
    try:
        return shlex.split(strip_comment(line))
    except ValueError as exc:  # "No closing quotation", "No escaped character"
        raise SandboxSyntaxError(f"cannot read the line: {exc}") from None


def parse(line: str) -> Command | None:
    """One line → a `Command`, or None for a blank or comment-only line."""
    tokens = tokenize(line)
    if not tokens:
        return None
    name, rest = tokens[0], tokens[1:]
    if name == "help" and len(rest) == 1:
        return Command("help", {"command": rest[0]})
    spec = COMMANDS.get(name)
    if spec is None:
        if name in LATER:
            raise SandboxSyntaxError(f"'{name}' is not available yet (SNS and Lambda come later)")
        raise SandboxSyntaxError(f"unknown command '{name}' (type 'help' for the list)")
    return Command(name, _bind(spec, rest))


def _bind(spec: Spec, tokens: list[str]) -> dict[str, Any]:
    args: dict[str, Any] = {}
    positionals: list[str] = []
    i = 0
    only_positionals = False
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if only_positionals or not tok.startswith("--") or tok == "--":
            if tok == "--" and not only_positionals:
                only_positionals = True
            else:
                positionals.append(tok)
            continue
        flag = spec.flag(tok[2:])
        if flag is None:
            raise SandboxSyntaxError(f"{spec.name}: unknown flag '{tok}' (usage: {spec.usage()})")
        if flag.kind == "switch":
            value: Any = True
        else:
            if i >= len(tokens):
                raise SandboxSyntaxError(f"{spec.name}: flag {tok} needs a value")
            value = _CONVERTERS[flag.kind](tokens[i])
            i += 1
        if flag.repeat:
            args.setdefault(flag.dest, []).append(value)
        elif flag.dest in args:
            raise SandboxSyntaxError(f"{spec.name}: flag {tok} given twice")
        else:
            args[flag.dest] = value
    if len(positionals) != len(spec.positionals):
        want = " ".join(p for p, _ in spec.positionals) or "no arguments"
        raise SandboxSyntaxError(
            f"{spec.name}: expected {want}, got {len(positionals)} argument(s) "
            f"(usage: {spec.usage()})"
        )
    for (pname, kind), text in zip(spec.positionals, positionals, strict=True):
        args[pname.lower()] = _CONVERTERS[kind](text)
    return args


def help_text(command: str | None = None) -> str:
    """The command list (or one command's usage), as plain text."""
    if command is not None:
        spec = COMMANDS.get(command)
        if spec is None:
            raise SandboxSyntaxError(f"unknown command '{command}' (type 'help' for the list)")
        return f"{spec.usage()}\n    {spec.summary}"
    lines = ["Commands (one a line; quote a BODY with spaces; durations: 45, 45s, 5m, 2h, 1d):"]
    for spec in COMMANDS.values():
        lines.append(f"  {spec.usage()}")
        lines.append(f"      {spec.summary}")
    lines.append("Receipts look like m3#2 (the 2nd receive of m3). '#' starts a comment.")
    return "\n".join(lines)
