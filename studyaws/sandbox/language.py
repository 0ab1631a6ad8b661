"""The sandbox language (DESIGN §4): one command a line, shell-style quoting, `#` starts a comment.

The grammar is data: `COMMANDS` maps a command name to its positional arguments and flags, and
the parser is generic over it (part 2 adds its commands to the same table). Parsing is the only
place a line can be *rejected as a line* — an unknown command, a missing argument, an unknown flag,
a bad duration or number — which raises `SandboxSyntaxError` (a script stops there: exit code 2).
Whether a value is *allowed* (a visibility timeout of 13 hours, a queue that does not exist) is the
engine's call and comes back as an AWS error object.

Durations: `45` or `45s` (seconds), `5m`, `2h`, `1d`; always whole seconds — except a Lambda
`--duration` and a consumer's `--process`, which also take milliseconds (`250ms`).

Part 2 adds SNS, Lambda, the event source mapping (`map`), S3, schedules, ALB, consumers, Auto
Scaling and CodeDeploy with the spellings of DESIGN §4 (contract and proposal). Additions beyond the
proposal are listed by `help` too: `update-function`, `delete-queue`, `delete-schedule`,
`send-batch`, `delete-batch` (entries `ID=VALUE`), and flags such as `subscribe --dlq`,
`map --max-concurrency`, `receive --extended-client`, `invoke --size`, `schedule --kind`. Issue 12
adds `map --filter`, `create-function --init/--snapstart/--output/--recursive-loop`,
`put-provisioned-concurrency`, `create-topic --archive-days`, `start-replay` and
`autoscale --lifecycle-hook`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final

_DURATION_RE: Final = re.compile(r"^(\d+)([smhd]?)$")
_DURATION_MS_RE: Final = re.compile(r"^(\d+)(ms|[smhd]?)$")
_UNIT_S: Final = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
# The longest `tick`: past the longest clock of the notes (SQS retention, 14 days) with room to
# spare. Without a bound, `tick 99999d` with a schedule or a mapping runs for hours and fills the
# memory with its event log.
MAX_TICK_S: Final = 30 * 86400


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


def _parse_tick(text: str) -> int:
    seconds = parse_duration(text)
    if seconds > MAX_TICK_S:
        raise SandboxSyntaxError(
            f"tick: at most 30d at a time (got '{text}'); write several ticks for longer"
        )
    return seconds


def parse_duration_ms(text: str) -> int:
    """`250ms`, `2`, `2s`, `5m` → milliseconds."""
    match = _DURATION_MS_RE.match(text.strip())
    if match is None:
        raise SandboxSyntaxError(f"bad duration '{text}' (use e.g. 250ms, 2s, 5m)")
    value, unit = int(match.group(1)), match.group(2)
    return value if unit == "ms" else value * _UNIT_S[unit] * 1000


def _parse_fail(text: str) -> str:
    from studyaws.engine.lambda_ import FailRule

    try:
        FailRule.parse(text)
    except ValueError as exc:
        raise SandboxSyntaxError(str(exc)) from None
    return text


def _parse_header(text: str) -> tuple[str, str]:
    key, sep, value = text.partition(":")
    if not sep or not key.strip():
        raise SandboxSyntaxError(f"bad header '{text}' (use KEY:VALUE)")
    return key.strip(), value.strip()


def _parse_weight(text: str) -> tuple[str, int]:
    version, sep, percent = text.partition("=")
    if not sep or not version or not percent.isdigit():
        raise SandboxSyntaxError(f"bad weight '{text}' (use VERSION=PERCENT, e.g. 2=10)")
    return version, int(percent)


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


def _parse_entry(text: str) -> tuple[str, str]:
    """A batch entry `ID=VALUE` (the entry's Id, then its body or receipt handle)."""
    entry_id, sep, value = text.partition("=")
    if not sep:
        raise SandboxSyntaxError(f"bad entry '{text}' (use ID=VALUE, e.g. 1=hello or 1=m1#1)")
    return entry_id, value


def _parse_recursive_loop(text: str) -> str:
    if text not in ("Allow", "Terminate"):
        raise SandboxSyntaxError(f"expected Allow or Terminate, got '{text}'")
    return text


def _parse_on_off(text: str) -> bool:
    if text not in ("on", "off"):
        raise SandboxSyntaxError(f"expected on or off, got '{text}'")
    return text == "on"


_CONVERTERS: Final = {
    "str": lambda text: text,
    "duration": parse_duration,
    "tick": _parse_tick,
    "int": _parse_int,
    "kv": _parse_kv,
    "entry": _parse_entry,
    "on-off": _parse_on_off,
    "recursive-loop": _parse_recursive_loop,
    "duration-ms": parse_duration_ms,
    "fail": _parse_fail,
    "header": _parse_header,
    "weight": _parse_weight,
}


@dataclass(frozen=True, slots=True)
class Flag:
    name: str  # without the leading dashes
    kind: str  # "switch" or a key of _CONVERTERS
    repeat: bool = False
    metavar: str = ""
    required: bool = False

    def usage(self) -> str:
        if self.required:
            return f"--{self.name} {self.metavar or self.kind.upper()}"
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
    positionals: tuple[tuple[str, str], ...]  # (NAME, kind); a last NAME... takes 0 or more
    flags: tuple[Flag, ...] = ()
    summary: str = ""
    group: str = "sqs"

    @property
    def variadic(self) -> bool:
        return bool(self.positionals) and self.positionals[-1][0].endswith("...")

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


def _f(name: str, kind: str = "str", metavar: str = "", *, required: bool = False) -> Flag:
    return Flag(name, kind, metavar=metavar, required=required)


_FUNCTION_FLAGS: Final = (
    Flag("duration", "duration-ms", metavar="D"),
    _d("timeout"),
    _f("fail", "fail", "never|always|first:N|body:TEXT|respond:JSON"),
    _f("reserved-concurrency", "int", "N"),
    _f("retries", "int", "0|1|2"),
    _d("max-event-age"),
    _f("on-success", "str", "TARGET"),
    _f("on-failure", "str", "TARGET"),
    _f("dlq", "str", "TARGET"),
    _f("memory", "int", "MB"),
    Flag("env", "kv", repeat=True, metavar="KEY=VALUE"),
    Flag("vpc", "switch"),
    Flag("nat", "switch"),
    Flag("init", "duration-ms", metavar="D"),
    Flag("snapstart", "switch"),
    _f("output", "str", "TARGET"),
    _f("recursive-loop", "recursive-loop", "Allow|Terminate"),
)

_PART2: Final = (
    Spec(
        "create-topic",
        (("NAME", "str"),),
        (
            Flag("fifo", "switch"),
            Flag("content-based-dedup", "switch"),
            _f("archive-days", "int", "DAYS"),
        ),
        "create an SNS topic (FIFO: --fifo and a name ending in .fifo; --archive-days: a FIFO "
        "topic keeps what is published, for replays)",
        "sns",
    ),
    Spec(
        "subscribe",
        (("TOPIC", "str"), ("TARGET", "str")),
        (
            Flag("raw", "switch"),
            _f("filter", "str", "JSON"),
            _f("filter-scope", "str", "attributes|body"),
            _f("dlq", "str", "QUEUE"),
        ),
        "subscribe a queue or a function (TARGET: NAME, sqs:NAME or lambda:NAME[:ALIAS])",
        "sns",
    ),
    Spec(
        "publish",
        (("TOPIC", "str"), ("BODY", "str")),
        (
            Flag("attr", "kv", repeat=True, metavar="KEY=VALUE"),
            _f("group", "str", "G"),
            _f("dedup-id", "str", "X"),
            _f("subject", "str", "S"),
        ),
        "publish a message: one copy per matching subscription",
        "sns",
    ),
    Spec(
        "start-replay",
        (("SUBSCRIPTION", "str"),),
        (_d("from", "T"), _d("to", "T")),
        "deliver a FIFO topic's archived messages published from T (to T) again, to one "
        "subscription (times in seconds since the start)",
        "sns",
    ),
    Spec(
        "create-function",
        (("NAME", "str"),),
        _FUNCTION_FLAGS,
        "create a simulated function (--duration at 128 MB, e.g. 250ms; --vpc without --nat "
        "cannot reach the internet and times out; --init: how long a cold start's Init takes; "
        "--output: where each successful run sends what it handled)",
        "lambda",
    ),
    Spec(
        "update-function",
        (("NAME", "str"),),
        _FUNCTION_FLAGS,
        "change $LATEST (published versions never change)",
        "lambda",
    ),
    Spec(
        "invoke",
        (("FUNCTION", "str"), ("BODY", "str")),
        (Flag("async", "switch"), _f("size", "int", "BYTES")),
        "invoke FUNCTION[:VERSION|:ALIAS]: 200 (with error when it failed), 202 async, 429 "
        "throttled; --size: the payload size BODY stands for (6 MB sync, 1 MB async at most)",
        "lambda",
    ),
    Spec(
        "map",
        (("QUEUE", "str"), ("FUNCTION", "str")),
        (
            _f("batch-size", "int", "N"),
            _d("window"),
            Flag("report-batch-item-failures", "switch"),
            _f("max-concurrency", "int", "N"),
            Flag("filter", "str", repeat=True, metavar="JSON"),
        ),
        "an SQS event source mapping: pollers receive batches and invoke FUNCTION (--filter: a "
        "pattern on the body, up to 5, ORed; a message matching none is deleted)",
        "lambda",
    ),
    Spec(
        "put-provisioned-concurrency",
        (("FUNCTION", "str"), ("QUALIFIER", "str"), ("N", "int")),
        (),
        "keep N execution environments of a version or alias initialised (no cold starts)",
        "lambda",
    ),
    Spec("publish-version", (("FUNCTION", "str"),), (), "snapshot $LATEST as a version", "lambda"),
    Spec(
        "create-alias",
        (("FUNCTION", "str"), ("ALIAS", "str"), ("VERSION", "str")),
        (_f("weight", "weight", "VERSION=PERCENT"),),
        "an alias on VERSION, optionally sending PERCENT to a second version",
        "lambda",
    ),
    Spec(
        "deploy",
        (("FUNCTION", "str"), ("ALIAS", "str"), ("VERSION", "str")),
        (
            _f(
                "config",
                "str",
                "Canary10Percent5Minutes|Linear10PercentEvery1Minute|AllAtOnce",
                required=True,
            ),
            _f("rollback-on-errors", "int", "N"),
        ),
        "CodeDeploy: shift ALIAS to VERSION; roll back after N errors of VERSION",
        "lambda",
    ),
    Spec(
        "alb-request",
        (("TARGET", "str"), ("REQUEST", "str")),
        (
            Flag("header", "header", repeat=True, metavar="KEY:VALUE"),
            Flag("multi-value", "switch"),
            _f("body", "str", "TEXT"),
            _f("body-size", "int", "BYTES"),
        ),
        "an HTTP request ('GET /path?q=1') through an ALB to a function",
        "alb",
    ),
    Spec("create-bucket", (("NAME", "str"),), (), "create an S3 bucket", "s3"),
    Spec(
        "notify",
        (("BUCKET", "str"), ("TARGET", "str")),
        (
            _f("events", "str", "created|removed|all"),
            _f("prefix", "str", "P"),
            _f("suffix", "str", "S"),
        ),
        "send the bucket's object events to a queue, topic or function",
        "s3",
    ),
    Spec(
        "put-object",
        (("BUCKET", "str"), ("KEY", "str")),
        (_f("size", "int", "BYTES"),),
        "store an object (ObjectCreated:Put)",
        "s3",
    ),
    Spec(
        "delete-object",
        (("BUCKET", "str"), ("KEY", "str")),
        (),
        "delete an object (ObjectRemoved:Delete)",
        "s3",
    ),
    Spec(
        "schedule",
        (("NAME", "str"), ("EXPRESSION", "str"), ("TARGET", "str")),
        (_f("kind", "str", "scheduler|rule"),),
        "an EventBridge Scheduler schedule (the default; a rate schedule runs at once, then every "
        "period) or, with --kind rule, a scheduled EventBridge rule (first run one period after "
        "creation): 'rate(2 minutes)', 'cron(0 20 * * ? *)' (UTC), or for Scheduler "
        "'at(2025-01-01T08:00:00)'",
        "events",
    ),
    Spec("delete-schedule", (("NAME", "str"),), (), "delete a schedule", "events"),
    Spec(
        "start-consumers",
        (("QUEUE", "str"),),
        (
            _f("count", "int", "N", required=True),
            Flag("process", "duration-ms", metavar="D"),
            _f("fail", "fail", "never|always|first:N|body:TEXT"),
            _f("max", "int", "N"),
            _d("wait"),
        ),
        "simulated EC2 consumers: poll, process D per message, delete (unless they fail)",
        "ec2",
    ),
    Spec(
        "stop-consumers",
        (("QUEUE", "str"),),
        (_f("count", "int", "N"),),
        "stop consumers (newest first); in-flight work finishes",
        "ec2",
    ),
    Spec(
        "autoscale",
        (("QUEUE", "str"),),
        (
            _f("min", "int", "N", required=True),
            _f("max", "int", "N", required=True),
            _f("backlog-per-instance", "int", "N", required=True),
            _d("cooldown"),
            Flag("lifecycle-hook", "switch"),
        ),
        "target tracking on backlog per instance: an Auto Scaling group of consumers (scale-in "
        "terminates mid-message; --lifecycle-hook lets an instance finish first)",
        "ec2",
    ),
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
                Flag("size", "int", metavar="BYTES"),
                Flag("extended-client", "str", metavar="BUCKET"),
            ),
            "send a message (SendMessage); --size: the size BODY stands for; "
            "--extended-client: a body over 1 MiB goes to the bucket and a pointer is sent",
        ),
        Spec(
            "receive",
            (("QUEUE", "str"),),
            (
                Flag("max", "int", metavar="N"),
                _d("wait"),
                _d("visibility-timeout"),
                Flag("attempt-id", "str", metavar="X"),
                Flag("extended-client", "switch"),
            ),
            "receive up to N messages; --wait is long polling on the virtual clock",
        ),
        Spec("delete", (("QUEUE", "str"), ("RECEIPT", "str")), (), "delete with a receipt"),
        Spec(
            "send-batch",
            (("QUEUE", "str"), ("ENTRY...", "entry")),
            (
                _d("delay"),
                Flag("group", "str", metavar="G"),
                Flag("dedup-id", "str", metavar="X"),
                Flag("attr", "kv", repeat=True, metavar="KEY=VALUE"),
                Flag("size", "int", metavar="BYTES"),
            ),
            "SendMessageBatch: up to 10 entries ID=BODY (e.g. 1=hello 2='big order'), each "
            "reported by its id; the flags apply to every entry",
        ),
        Spec(
            "delete-batch",
            (("QUEUE", "str"), ("ENTRY...", "entry")),
            (),
            "DeleteMessageBatch: up to 10 entries ID=RECEIPT (e.g. a=m1#1 b=m2#1)",
        ),
        Spec(
            "change-visibility",
            (("QUEUE", "str"), ("RECEIPT", "str"), ("D", "duration")),
            (),
            "set a received message's visibility timeout, counted from now",
        ),
        Spec("purge", (("QUEUE", "str"),), (), "delete every message (once per 60 s)"),
        Spec(
            "stats",
            (("QUEUE|FUNCTION", "str"),),
            (),
            "a queue's visible, in-flight and delayed counts; a function's invocations, errors, "
            "throttles, concurrency peak, GB-s and cost",
        ),
        Spec("delete-queue", (("QUEUE", "str"),), (), "delete a queue and its messages"),
        Spec(
            "start-message-move-task",
            (("DLQ", "str"),),
            (Flag("destination", "str", metavar="QUEUE"), Flag("rate", "int", metavar="N")),
            "redrive a DLQ's messages to their source queues (or --destination), N per second",
        ),
        *_PART2,
        Spec("tick", (("D", "tick"),), (), "let D of virtual time pass (at most 30d)", "world"),
        Spec(
            "log",
            (),
            (_d("since", "T"),),
            "the event log (since T seconds; the sandbox keeps the last 200,000 events)",
            "world",
        ),
        Spec(
            "chaos",
            (("MODE", "on-off"),),
            (),
            "standard-queue non-determinism (sampling, reordering, duplicates) on or off",
            "world",
        ),
        Spec("show", (), (), "the whole world: every resource and its state", "shell"),
        Spec("help", (), (), "this list; `help COMMAND` for one command", "shell"),
        Spec("undo", (), (), "take back the last command (replays the others)", "shell"),
        Spec("reset", (), (), "start again with an empty world (same seed)", "shell"),
    )
}


# The tokenizer reads a line as `shlex.split` (POSIX mode) reads it after `#` comments are cut, in
# one left-to-right pass of a regular expression over runs of characters, so a 1 MiB body costs a
# few matches, not a million Python steps (shlex builds its tokens one character at a time).
# - whitespace is space, tab, CR and LF only (as shlex's: not every Unicode space);
# - '...' is literal; "..." is literal except that a backslash escapes `"` and `\\`; outside
#   quotes a backslash escapes any character;
# - `#` outside quotes and unescaped starts a comment when it starts the line or follows a
#   whitespace character (any Unicode space): `m3#2` is a receipt, `send q hi # note` has a note;
# - an unclosed quote is "No closing quotation", a backslash at the end "No escaped character".
_PLAIN_WORDS: Final = re.compile(r"[^ \t\r\n]+")
_SPECIAL: Final = re.compile(r"['\"\\#]")
_PARTS: Final = re.compile(
    r"""(?P<ws>[ \t\r\n]+)
    |(?P<plain>[^ \t\r\n'"\\\#]+)
    |'(?P<single>[^']*)'
    |"(?P<double>[^"\\]*(?:\\.[^"\\]*)*)"
    |\\(?P<escaped>.)
    |(?P<hash>\#)""",
    re.VERBOSE | re.DOTALL,
)
_DOUBLE_ESCAPE: Final = re.compile(r'\\(["\\])')
# A backslash with nothing after it, outside quotes or inside an unclosed "...".
_ENDS_IN_ESCAPE: Final = re.compile(r'(?:"[^"\\]*(?:\\.[^"\\]*)*)?\\', re.DOTALL)


def _split(line: str) -> list[str]:
    """The words of a line as shell-style quoting reads them, comments cut (see above)."""
    if _SPECIAL.search(line) is None:  # the fast path: no quotes, escapes or comments
        return _PLAIN_WORDS.findall(line)
    words: list[str] = []
    pieces: list[str] = []
    in_word = False
    pos, end = 0, len(line)
    match_at = _PARTS.match
    while pos < end:
        m = match_at(line, pos)
        if m is None:
            # An opening quote or a backslash with no end: what shlex says about it.
            if _ENDS_IN_ESCAPE.fullmatch(line, pos):
                raise ValueError("No escaped character")
            raise ValueError("No closing quotation")
        kind = m.lastgroup or ""
        pos = m.end()
        if kind == "ws":
            if in_word:
                words.append("".join(pieces))
                pieces.clear()
                in_word = False
            continue
        if kind == "hash" and (m.start() == 0 or line[m.start() - 1].isspace()):
            break
        text = "#" if kind == "hash" else m.group(kind)
        if kind == "double" and "\\" in text:
            text = _DOUBLE_ESCAPE.sub(r"\1", text)
        pieces.append(text)
        in_word = True
    if in_word:
        words.append("".join(pieces))
    return words


def tokenize(line: str) -> list[str]:
    # Bytes that are not UTF-8 arrive as lone surrogates (surrogateescape): not text at all.
    if _SURROGATE.search(line):
        raise SandboxSyntaxError("the line is not valid UTF-8 text")
    try:
        return _split(line)
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
    fixed = spec.positionals[:-1] if spec.variadic else spec.positionals
    if len(positionals) != len(fixed) and not (spec.variadic and len(positionals) > len(fixed)):
        want = " ".join(p for p, _ in spec.positionals) or "no arguments"
        raise SandboxSyntaxError(
            f"{spec.name}: expected {want}, got {len(positionals)} argument(s) "
            f"(usage: {spec.usage()})"
        )
    for flag in spec.flags:
        if flag.required and flag.dest not in args:
            raise SandboxSyntaxError(
                f"{spec.name}: --{flag.name} is required (usage: {spec.usage()})"
            )
    for (pname, kind), text in zip(fixed, positionals[: len(fixed)], strict=True):
        args[pname.split("|")[0].lower()] = _CONVERTERS[kind](text)
    if spec.variadic:
        # `ENTRY...` collects the rest as `entries`.
        pname, kind = spec.positionals[-1]
        base = pname.removesuffix("...").lower()
        dest = base[:-1] + "ies" if base.endswith("y") else base + "s"
        args[dest] = [_CONVERTERS[kind](text) for text in positionals[len(fixed) :]]
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
