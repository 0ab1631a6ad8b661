"""The bad-content corpus: files an attacker or an unlucky learner could hand to studyaws.

Each case writes its files into a fresh directory (the big ones are generated here, at test time,
never committed) and names the command to run on them and the problem codes it must produce.
`test_corpus.py` runs them all under a memory limit and a clock: every case must end in
`file:line:col: CODE message` lines (or, for a command other than `validate`, one
`studyaws: error:` line that quotes the first of them), with no traceback, no hang and no code run.

`MARKER` is what a case that tries to run code would create; it must never exist.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from studyaws.content.limits import (
    MAX_CONTENT_FILES,
    MAX_DEPTH,
    MAX_DIAGRAM_CELLS,
    MAX_DIAGRAM_ITEMS,
    MAX_FILE_BYTES,
    MAX_NODES,
)

MARKER = "RAN-CODE"

Build = Callable[[Path], list[str]]


@dataclass(frozen=True)
class Case:
    name: str
    codes: frozenset[str]
    build: Build  # writes the files under a directory, returns the command's arguments
    validate: bool = True  # False: a command that reports the first problem on one line
    known: str = ""  # why it fails today (an xfail, strict: fixing it makes the mark go)


CASES: list[Case] = []


def case(
    name: str, *codes: str, validate: bool = True, known: str = ""
) -> Callable[[Build], Build]:
    def register(build: Build) -> Build:
        CASES.append(Case(name, frozenset(codes), build, validate, known))
        return build

    return register


def write(directory: Path, name: str, text: str | bytes) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = textwrap.dedent(text).lstrip("\n").encode("utf-8")
    path.write_bytes(text)
    return path


def validate(path: Path) -> list[str]:
    return ["validate", str(path)]


def one_file(name: str, text: str | bytes, *codes: str, known: str = "") -> None:
    """The commonest case: one file, `studyaws validate` on it."""

    def build(directory: Path) -> list[str]:
        return validate(write(directory, "bad.yaml", text))

    case(name, *codes, known=known)(build)


FACT = """\
  - id: corpus_fact
    topic: sqs
    statement: A statement.
    value: 30
    unit: s
    source: https://docs.aws.amazon.com/example
    checked: 2026-01-01
"""


def facts(*extra_lines: str, fact: str = FACT) -> str:
    return "format_version: 1\nkind: facts\nfacts:\n" + fact + "".join(extra_lines)


def question(**fields: str) -> str:
    base = {
        "id": "corpus-q",
        "type": "single",
        "section": "visibility",
        "concepts": "[visibility]",
        "prompt": "A prompt?",
        "choices": "{a: one, b: two}",
        "answer": "a",
        "why_not": "{b: Because.}",
        "explanation": "Because.",
    }
    base.update(fields)
    body = "".join(f"    {k}: {v}\n" for k, v in base.items() if v != "")
    return "format_version: 1\nkind: questions\ntopic: sqs\nquestions:\n  - " + body[4:]


def diagram(nodes: str, edges: str = "[]") -> str:
    return (
        "format_version: 1\nkind: diagrams\ndiagrams:\n"
        "  - id: corpus-diagram\n    title: T\n    caption: C\n"
        f"    nodes: {nodes}\n    edges: {edges}\n"
    )


def scenario(steps: str, setup: str = "[create-queue q]", settings: str = "") -> str:
    text = (
        "format_version: 1\nkind: scenario\nid: corpus-scenario\ntitle: T\ntopic: sqs\n"
        f"story: S.\nsetup: {setup}\n"
    )
    if settings:
        text += f"settings: {settings}\n"
    return text + "steps:\n" + steps


# -- SA1xx: the file can't be read as YAML, or is past a limit -------------------------------------

one_file("nul-byte", b"format_version: 1\nkind: facts\nfacts: [a\x00b]\n", "SA101")
one_file("raw-escape-sequence", b"format_version: 1\nkind: \x1b[31mfacts\n", "SA101")
one_file("raw-c1-csi", "format_version: 1\nkind: facts\ntitle: \x9b2J\n".encode(), "SA101")
one_file("delete-character", b"format_version: 1\nkind: facts\x7f\n", "SA101")
one_file("not-utf8", b"format_version: 1\nkind: facts\nfacts: ['\xff\xfe']\n", "SA104")
one_file("utf16-file", "format_version: 1\nkind: facts\n".encode("utf-16"), "SA104")
one_file("tab-indentation", "format_version: 1\nkind: facts\nfacts:\n\t- x\n", "SA101")
one_file("unclosed-flow-list", "format_version: 1\nkind: facts\nfacts: [a, b\n", "SA101")
one_file("unclosed-quote", 'format_version: 1\nkind: "facts\n', "SA101")
one_file("mapping-in-scalar", "format_version: 1\nkind: facts: x\n", "SA101")
one_file("two-documents", "format_version: 1\nkind: facts\n---\nformat_version: 1\n", "SA101")
one_file("undefined-alias", "format_version: 1\nkind: facts\nfacts: [*nowhere]\n", "SA101")
one_file("empty-file", "", "SA102")
one_file("only-comments", "# nothing here\n# at all\n", "SA102")
one_file("top-level-list", "- format_version: 1\n- kind: facts\n", "SA102")
one_file("top-level-scalar", "just some words\n", "SA102")
one_file("duplicate-key", "format_version: 1\nkind: facts\nkind: facts\nfacts: []\n", "SA103")
one_file(
    "too-deep",
    "format_version: 1\nkind: facts\nfacts:\n  - " + "[" * 40 + "x" + "]" * 40 + "\n",
    "SA106",
)
one_file(
    "libyaml-depth-limit",
    "format_version: 1\nkind: facts\nfacts: " + "[" * 5000 + "]" * 5000 + "\n",
    "SA101",
)
one_file(
    "deep-block-mapping",
    "format_version: 1\nkind: facts\nfacts:\n"
    + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(MAX_DEPTH + 5))
    + "  " * (MAX_DEPTH + 6)
    + "x\n",
    "SA106",
)


@case("file-just-over-the-size-limit", "SA105")
def _just_over(directory: Path) -> list[str]:
    filler = "# " + "x" * 78 + "\n"
    text = "format_version: 1\nkind: facts\nfacts: []\n"
    text += filler * (MAX_FILE_BYTES // len(filler) + 1)
    return validate(write(directory, "big.yaml", text))


@case("fifty-megabyte-flow-sequence", "SA105")
def _fifty_mb(directory: Path) -> list[str]:
    path = directory / "huge.yaml"
    directory.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("format_version: 1\nkind: facts\nfacts: [")
        chunk = "a, " * 100_000
        for _ in range(50 * 1024 * 1024 // len(chunk)):
            handle.write(chunk)
        handle.write("a]\n")
    return validate(path)


@case("too-many-nodes-under-the-size-limit", "SA106")
def _many_nodes(directory: Path) -> list[str]:
    count = MAX_NODES + 10_000
    text = "format_version: 1\nkind: facts\nfacts: [" + "a," * count + "a]\n"
    assert len(text) < MAX_FILE_BYTES
    return validate(write(directory, "many.yaml", text))


@case("a-million-byte-flow-of-one-character-items", "SA106")
def _dense(directory: Path) -> list[str]:
    head = "format_version: 1\nkind: facts\nfacts: ["
    count = (MAX_FILE_BYTES - len(head) - 3) // 2
    return validate(write(directory, "dense.yaml", head + "a," * count + "a]\n"))


@case("too-many-files", "SA108")
def _many_files(directory: Path) -> list[str]:
    for i in range(MAX_CONTENT_FILES + 1):
        (directory / f"f{i:04d}.yaml").parent.mkdir(parents=True, exist_ok=True)
        (directory / f"f{i:04d}.yaml").write_text("format_version: 1\n")
    return validate(directory)


# `/` stops at SA108 on any ordinary machine; on a bare container with fewer files the walk ends
# and every YAML file found is reported instead, so no code is required here, only the format.
@case("the-root-of-the-filesystem")
def _root(directory: Path) -> list[str]:
    return validate(Path("/"))


@case("a-symlink-loop", "SA104")
def _loop(directory: Path) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    os.symlink(directory / "b", directory / "a")
    os.symlink(directory / "a", directory / "b")
    return validate(directory / "a")


@case("a-fifo-and-a-dangling-link-among-the-files", "SA102")
def _fifo(directory: Path) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    os.mkfifo(directory / "pipe.yaml")  # never opened: reading it would wait forever
    os.symlink(directory / "gone.yaml", directory / "dangling.yaml")
    write(directory, "empty.yaml", "")
    return validate(directory)


@case("a-device-as-the-path", "SA104")
def _device(directory: Path) -> list[str]:
    return validate(Path("/dev/zero"))


@case("a-missing-path", "SA104")
def _missing(directory: Path) -> list[str]:
    return validate(directory / "not-there")


# -- YAML tags and aliases: nothing is ever constructed, nothing expands ---------------------------

BILLION_LAUGHS = """\
format_version: 1
kind: facts
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
facts: *i
"""
one_file("billion-laughs", BILLION_LAUGHS, "SA201", "SA203")
one_file(
    "billion-laughs-as-format-version",
    BILLION_LAUGHS.replace("facts: *i", "facts: []").replace("format_version: 1\n", "")
    + "format_version: *i\n",
    "SA205",
)
one_file(
    "billion-laughs-as-a-key",
    BILLION_LAUGHS.replace("facts: *i", "facts: []\nwhy: {? *i : x}"),
    "SA201",
)
one_file(
    "billion-laughs-as-choices-key",
    BILLION_LAUGHS.split("facts: *i")[0].replace("format_version: 1\nkind: facts\n", "")
    + question(choices="{? *i : x, b: two}").replace(
        "format_version: 1\n", "format_version: 1\n", 1
    ),
    "SA203",
)
one_file(
    "aliases-multiplied-by-the-schema",
    (Path(__file__).parent / "fixtures" / "bad" / "SA107.yaml").read_text(),
    "SA107",
)


@case("a-long-string-aliased-many-times", "SA107")
def _long_alias(directory: Path) -> list[str]:
    long = "x" * 500_000
    text = question(concepts="[" + ", ".join(["&s " + long] + ["*s"] * 20_000) + "]")
    return validate(write(directory, "long.yaml", text))


one_file("a-list-that-contains-itself", "format_version: 1\nkind: facts\nfacts: &a [*a]\n", "SA203")
one_file(
    "a-mapping-that-contains-itself",
    facts(fact=FACT + "    history: &h [{value: 1, until: 2020, note: *h}]\n"),
    "SA203",
)
one_file(
    "python-object-apply",
    facts(f"  - !!python/object/apply:os.system ['touch {MARKER}']\n"),
    "SA203",
)
one_file(
    "python-object-apply-as-a-value",
    facts(
        fact=FACT.replace("value: 30", f"value: !!python/object/apply:os.system ['touch {MARKER}']")
    ),
    "SA203",
)
one_file(
    "python-object-new-as-kind",
    f"format_version: 1\nkind: !!python/object/new:os.system ['touch {MARKER}']\n",
    "SA206",
)
one_file(
    "python-name-and-module",
    facts(fact=FACT.replace("unit: s", "unit: !!python/name:os.system")),
    "SA203",
)
one_file(
    "python-subprocess-in-a-key",
    facts(f"  - {{? !!python/object/apply:subprocess.call [['touch', '{MARKER}']] : x}}\n"),
    "SA203",
)
one_file(
    "custom-local-tag", facts(fact=FACT.replace("statement: A", "statement: !shout A")), "SA203"
)
one_file(
    "binary-tag",
    facts(fact=FACT.replace("statement: A statement.", "statement: !!binary aGVsbG8=")),
    "SA203",
)
one_file(
    "set-tag",
    facts(fact=FACT.replace("statement: A statement.", "statement: !!set {a, b}")),
    "SA203",
)


# -- SA2xx: shape ----------------------------------------------------------------------------------

one_file(
    "escape-sequence-in-an-unknown-key",
    facts(fact=FACT + '    "\\e[2J\\e[31mred": 1\n'),
    "SA201",
)


@case("a-100-kb-unknown-key", "SA201")
def _long_key(directory: Path) -> list[str]:
    return validate(
        write(directory, "bad.yaml", facts(fact=FACT + "    ? " + "k" * 100_000 + "\n    : 1\n"))
    )


@case("terminal-escapes-in-the-file-name", "SA102")
def _escaped_name(directory: Path) -> list[str]:
    return validate(write(directory, "evil\x1b]0;pwned\x07\x1b[2J.yaml", ""))


@case("a-line-break-in-the-file-name", "SA102")
def _newline_name(directory: Path) -> list[str]:
    return validate(write(directory, "two\nlines.yaml", ""))


one_file("format-version-2", "format_version: 2\nkind: facts\nfacts: []\n", "SA205")
one_file("format-version-as-a-list", "format_version: [1]\nkind: facts\nfacts: []\n", "SA205")
one_file("format-version-missing", "kind: facts\nfacts: []\n", "SA202")
one_file("kind-unknown", "format_version: 1\nkind: recipes\n", "SA206")
one_file("kind-as-a-mapping", "format_version: 1\nkind: {a: b}\n", "SA206")
one_file("facts-as-a-string", "format_version: 1\nkind: facts\nfacts: lots\n", "SA203")
one_file("fact-missing-keys", facts(fact="  - id: corpus_fact\n"), "SA202")
one_file("fact-value-nan", facts(fact=FACT.replace("value: 30", "value: .nan")), "SA204")
one_file("fact-value-infinite", facts(fact=FACT.replace("value: 30", "value: -.inf")), "SA204")
one_file(
    "fact-value-overflowing-float",
    facts(fact=FACT.replace("value: 30", "value: 1.0e+400")),
    "SA204",
)
one_file("checked-february-30", facts(fact=FACT.replace("2026-01-01", "2026-02-30")), "SA204")
one_file("checked-month-13-as-text", facts(fact=FACT.replace("2026-01-01", "'2025-13'")), "SA204")
one_file("checked-year-zero", facts(fact=FACT.replace("2026-01-01", "0000-01-01")), "SA204")
one_file(
    "history-until-a-bad-timestamp",
    facts(fact=FACT + "    history: [{value: 1, until: 2026-01-01 25:61:00}]\n"),
    "SA204",
)
one_file(
    "topic-order-0x-underscore",
    "format_version: 1\nkind: topic\nid: t\ntitle: T\nsummary: S\norder: 0x_\nsections: []\n",
    "SA204",
)
one_file(
    "topic-order-5000-digits",
    "format_version: 1\nkind: topic\nid: t\ntitle: T\nsummary: S\n"
    f"order: {'9' * 5000}\nsections: []\n",
    "SA204",
)
one_file(
    "topic-order-as-a-float",
    "format_version: 1\nkind: topic\nid: t\ntitle: T\nsummary: S\norder: 1e400\nsections: []\n",
    "SA203",
)
one_file(
    "tolerance-nan",
    question(
        type="numeric", choices="", answer="{value: 30, unit: s}", why_not="", tolerance=".nan"
    ),
    "SA204",
)
one_file(
    "numeric-answer-infinite",
    question(type="numeric", choices="", why_not="", answer="{value: 1.0e+999, unit: s}"),
    "SA204",
)
one_file("bell-character-in-a-prompt", question(prompt='"Ring \\a ring"'), "SA309")
one_file("bidi-override-in-a-prompt", question(prompt='"price \\u202e 01$"'), "SA309")
one_file("escape-in-a-choice", question(choices='{a: "\\e[8mhidden", b: two}'), "SA309")
one_file("question-id-with-spaces", question(id="'not an id'"), "SA204")
one_file("why-not-as-a-list", question(why_not="[b]"), "SA203")
one_file("choices-with-a-list-key", question(choices="{? [a, b] : one, b: two}"), "SA203")
one_file("answer-not-a-choice", question(answer="z"), "SA302")
one_file(
    "diagram-node-at-column-one-billion",
    diagram("[{id: a, label: A, col: 1000000000, row: 0}]"),
    "SA204",
)
one_file("diagram-node-at-row-minus-one", diagram("[{id: a, label: A, col: 0, row: -1}]"), "SA204")
one_file(
    "diagram-node-just-past-the-grid",
    diagram(f"[{{id: a, label: A, col: {MAX_DIAGRAM_CELLS}, row: {MAX_DIAGRAM_CELLS}}}]"),
    "SA204",
)
one_file(
    "diagram-label-of-ten-thousand-characters",
    diagram("[{id: a, label: " + "L" * 10_000 + ", col: 0, row: 0}]"),
    "SA204",
)
one_file(
    "diagram-with-too-many-nodes",
    diagram(
        "["
        + ", ".join(
            f"{{id: n{i}, label: N, col: {i % MAX_DIAGRAM_CELLS}, row: {i // MAX_DIAGRAM_CELLS}}}"
            for i in range(MAX_DIAGRAM_ITEMS + 1)
        )
        + "]"
    ),
    "SA204",
)
one_file(
    "diagram-edge-to-nowhere",
    diagram("[{id: a, label: A, col: 0, row: 0}]", "[{from: a, to: b}]"),
    "SA307",
)


# -- SA4xx: across files ---------------------------------------------------------------------------

one_file("unknown-topic", facts(fact=FACT.replace("topic: sqs", "topic: kafka")), "SA404")
one_file("unknown-fact", question(fact="no_such_fact"), "SA402")
one_file("unknown-section", question(section="no-such-section"), "SA403")
one_file(
    "fact-defined-in-the-bundled-course-too",
    facts(fact=FACT.replace("corpus_fact", "sqs_visibility_default")),
    "SA401",
)


# -- SA5xx and scenarios: run on the engine ------------------------------------------------------

one_file("scenario-misspelled-command", scenario("  - {do: recieve q, say: S.}\n"), "SA501")
one_file(
    "scenario-setting-with-5000-digits",
    scenario(
        "  - {do: 'send q {n}', say: S.}\n",
        settings="{n: {about: N, default: " + "7" * 5000 + ", min: 1, max: 9}}",
    ),
    "SA204",
)
one_file(
    "scenario-unknown-placeholder",
    scenario("  - {do: 'send q {nope}', say: S.}\n"),
    "SA407",
)
one_file(
    "scenario-huge-message-size",
    scenario("  - {do: 'send q body --size 99999999999999999999', say: S.}\n"),
    "SA501",
)
one_file(
    "scenario-answer-naming-a-queue-it-never-has",
    scenario(
        "  - do: receive q\n    say: S.\n    checkpoint:\n      id: c\n      ask: A?\n"
        "      answer: {stat: visible of elsewhere}\n      what_if: {n: 2}\n",
        settings="{n: {default: 1, values: [1, 2], about: N}}",
    ),
    "SA407",
)
one_file(
    "scenario-thirty-days-of-a-minute-schedule",
    scenario(
        "  - do: [tick 30d, receive nowhere]\n    say: A month passes.\n",
        setup="[create-queue q, \"schedule s 'rate(1 minute)' q\"]",
    ),
    "SA501",
)
one_file(
    "scenario-a-year-of-a-minute-schedule",
    scenario(
        "  - do: [" + "tick 30d, " * 13 + "receive nowhere]\n    say: A year passes.\n",
        setup="[create-queue q, \"schedule s 'rate(1 minute)' q\"]",
    ),
    "SA501",
)
one_file(
    "scenario-four-days-of-a-minute-schedule",
    scenario(
        "  - do: [tick 4d, receive nowhere]\n    say: Four days pass.\n",
        setup="[create-queue q, \"schedule s 'rate(1 minute)' q\"]",
    ),
    "SA501",
)


# -- every command that loads content reports the first problem on one line ----------------------


def _command(*args: str, files: dict[str, str]) -> Build:
    def build(directory: Path) -> list[str]:
        for name, text in files.items():
            write(directory, name, text)
        return ["--content", str(directory), *args]

    return build


for _args, _codes, _files in (
    (("topics",), ("SA203",), {"bad.yaml": "format_version: 1\nkind: facts\nfacts: x\n"}),
    (
        ("learn", "sqs"),
        ("SA204",),
        {"d.yaml": diagram("[{id: a, label: A, col: 1000000000, row: 0}]")},
    ),
    (("quiz", "sqs", "-n", "1"), ("SA101",), {"nul.yaml": "format_version: 1\nkind: \0facts\n"}),
    (
        ("search", "queue"),
        ("SA107",),
        {"b.yaml": (Path(__file__).parent / "fixtures" / "bad" / "SA107.yaml").read_text()},
    ),
    (("scenario",), ("SA105",), {"big.yaml": "#" * (MAX_FILE_BYTES + 1)}),
):
    case(f"command-{'-'.join(_args[:2])}", *_codes, validate=False)(_command(*_args, files=_files))


@case("command-topics-with-content-in-a-symlink-loop", "SA104", validate=False)
def _loop_topics(directory: Path) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    os.symlink(directory / "y", directory / "x")
    os.symlink(directory / "x", directory / "y")
    return ["--content", str(directory / "x"), "topics"]


@case("command-topics-with-the-root-as-content", validate=False)
def _root_topics(directory: Path) -> list[str]:
    return ["--content", "/", "topics"]


@case("command-diagrams-with-a-huge-grid", "SA204", validate=False)
def _huge_svg(directory: Path) -> list[str]:
    write(directory, "d.yaml", diagram("[{id: a, label: A, col: 99999999999, row: 99999999999}]"))
    return ["--content", str(directory), "diagrams", "--out", str(directory / "out")]
