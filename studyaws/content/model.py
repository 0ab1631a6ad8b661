"""The course as typed, immutable data.

Everything the loader builds from YAML is one of these frozen dataclasses. Each object keeps the
`Loc` (file, line, column) it came from, so any later check can point a learner at the exact spot.
No UI imports here: the content layer is pure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

from studyaws.errors import printable

FORMAT_VERSION = 1

QuestionType = Literal["single", "multi", "numeric", "order", "truefalse", "predict"]
QUESTION_TYPES: tuple[QuestionType, ...] = (
    "single",
    "multi",
    "numeric",
    "order",
    "truefalse",
    "predict",
)
# The four content domains of the AWS Certified Developer - Associate exam (DVA-C02 exam guide),
# spelled as the guide spells them: a question's optional `domain:` is one of these.
DVA_DOMAINS: tuple[str, ...] = (
    "Development with AWS Services",
    "Security",
    "Deployment",
    "Troubleshooting and Optimization",
)
Verdict = Literal["correct", "outdated", "wrong", "incomplete", "unverified", "new"]
VERDICTS: tuple[Verdict, ...] = ("correct", "outdated", "wrong", "incomplete", "unverified", "new")
FactValue = int | float | str | bool


@dataclass(frozen=True, slots=True)
class Loc:
    """Where a piece of content came from: 1-based line and column."""

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{printable(self.path)}:{self.line}:{self.col}"


NOWHERE = Loc("<built-in>", 0, 0)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """A value a fact used to have, until a date (`2025-08`, `2020-12`)."""

    value: FactValue
    until: str
    display: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    topic: str
    statement: str
    value: FactValue
    unit: str
    source: str
    checked: str
    loc: Loc = NOWHERE
    display: str | None = None
    min: FactValue | None = None
    sources: tuple[str, ...] = ()
    confidence: str = "H"
    history: tuple[HistoryEntry, ...] = ()
    notes_claim: str = ""
    verdict: Verdict = "new"


@dataclass(frozen=True, slots=True)
class Misconception:
    """A wrong or outdated claim, shown flagged, never as fact.

    `origin` is "notes" when the seed notes made the claim (then `ref` is its E-number) or
    "common" for a common exam distractor (then `ref` is its M-number).
    """

    claim: str
    truth: str
    origin: Literal["notes", "common"] = "common"
    ref: str = ""
    facts: tuple[str, ...] = ()
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    body: str
    loc: Loc = NOWHERE
    facts: tuple[str, ...] = ()
    diagrams: tuple[str, ...] = ()
    misconceptions: tuple[Misconception, ...] = ()


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str
    summary: str
    order: int
    sections: tuple[Section, ...]
    loc: Loc = NOWHERE

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)


@dataclass(frozen=True, slots=True)
class NumericAnswer:
    value: float
    unit: str


@dataclass(frozen=True, slots=True)
class Question:
    """One quiz item. `answer` depends on `type`:

    single → a choice key; multi → a tuple of choice keys; numeric → NumericAnswer;
    order → a tuple of choice keys in the right order; truefalse → bool;
    predict → None (the engine computes it from `scenario`/`checkpoint`).

    `domain` is the DVA-C02 exam domain the question belongs to (one of `DVA_DOMAINS`), or None
    when the content doesn't say (a learner's own question, a scenario checkpoint).
    """

    id: str
    topic: str
    type: QuestionType
    prompt: str
    section: str
    concepts: tuple[str, ...]
    explanation: str
    loc: Loc = NOWHERE
    choices: tuple[tuple[str, str], ...] = ()
    answer: str | tuple[str, ...] | NumericAnswer | bool | None = None
    why_not: tuple[tuple[str, str], ...] = ()
    fact: str | None = None
    hint: str = ""
    tolerance: float = 0.0
    scenario: str | None = None
    checkpoint: str | None = None
    step: int | None = None  # predict: the scenario step the checkpoint is asked at
    replaces: str | None = None
    domain: str | None = None

    def choice_text(self, key: str) -> str:
        return dict(self.choices)[key]

    def why_not_for(self, key: str) -> str:
        return dict(self.why_not).get(key, "")


@dataclass(frozen=True, slots=True)
class DiagramNode:
    id: str
    label: str
    col: int
    row: int
    kind: str = "box"
    note: str = ""


@dataclass(frozen=True, slots=True)
class DiagramEdge:
    source: str
    target: str
    label: str = ""
    style: Literal["solid", "dashed"] = "solid"


@dataclass(frozen=True, slots=True)
class Diagram:
    id: str
    title: str
    caption: str
    original: str
    nodes: tuple[DiagramNode, ...]
    edges: tuple[DiagramEdge, ...]
    loc: Loc = NOWHERE


# -- scenarios (`kind: scenario`; the reader is content/scenarios.py, the player scenarios/) --
# `{max-receives}` in a line is the value of setting `max-receives`. JSON (`{"a": 1}`) never
# matches: a placeholder is a bare lowercase name.
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9-]*)\}")
_FILLED = re.compile(r"( ?)\{([a-z][a-z0-9-]*)\}")

# How a checkpoint's answer is read from the engine (never the answer itself). The readers, one
# per kind, are in `studyaws/scenarios/answers.py`; a test holds them to this list.
AnswerKind = Literal[
    "messages",  # the messages the step's receive returns (ids), or nothing
    "receive_count",  # ApproximateReceiveCount of the message the step receives
    "count",  # `count: EventKind` — how many such events happen during the step
    "stat",  # `stat: visible|in_flight|delayed|consumers of QUEUE` — after the step
    "status",  # the status of the step's invoke (200, 202, 429)
    "now",  # the virtual time (seconds) when the step's command returns
    "location",  # `location: MESSAGE` — which queue holds the message after the step
    "message_id",  # the message id the step's send returns (a duplicate gets the old one)
    "outcome",  # how the step's last synchronous invoke ends: success, error, timeout, throttled
    "query",  # `query: KEY` — the value of KEY the function behind an ALB receives
    "version",  # the function version that served the step's last synchronous invoke
    "duration",  # how long (seconds) the step's last synchronous invoke ran before it returned
]
ANSWER_KINDS: tuple[AnswerKind, ...] = get_args(AnswerKind)
# What the value after a kind names (`{count: MessageMovedToDlq}`); kinds not here take none.
ANSWER_ARGS: dict[AnswerKind, str] = {
    "count": "an event kind",
    "stat": "'<stat> of QUEUE'",
    "location": "a message id",
    "query": "a query-string key",
}
Stat = Literal["visible", "in_flight", "delayed", "consumers"]
STATS: tuple[Stat, ...] = get_args(Stat)
SettingValue = int | str


@dataclass(frozen=True, slots=True)
class Setting:
    """A value a learner may change with `--set NAME=VALUE` (and a checkpoint's `what_if`).

    `about` says what it is, in one line. A setting allows `values` only when it lists them; each
    may stand for other text in the lines (`means`: `nat` → `--nat`). A whole-number setting
    allows `low` to `high`; a free word says in `free` what it may be ("an object key").
    """

    name: str
    default: SettingValue
    about: str = ""
    values: tuple[SettingValue, ...] = ()
    means: tuple[tuple[str, str], ...] = ()
    low: int | None = None
    high: int | None = None
    free: str = ""
    loc: Loc = NOWHERE

    def allows(self, value: SettingValue) -> bool:
        if self.values:
            return value in self.values
        if isinstance(value, int) and isinstance(self.default, int):
            low = self.low if self.low is not None else value
            high = self.high if self.high is not None else value
            return low <= value <= high
        return isinstance(value, str) and isinstance(self.default, str)

    def allowed(self) -> str:
        """The allowed values in words: `1 to 1000`, `nat or none`."""
        if self.values:
            words = [str(v) for v in self.values]
            return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]
        if self.low is not None and self.high is not None:
            return f"{self.low} to {self.high}"
        if self.free:
            return self.free
        return "a whole number" if isinstance(self.default, int) else "a word"

    def text(self, value: SettingValue) -> str:
        """What `value` puts in a line where `{name}` stands."""
        return dict(self.means).get(str(value), str(value))


@dataclass(frozen=True, slots=True)
class AnswerSpec:
    """How to read an answer: `arg` is what ANSWER_ARGS says (the queue for `stat`)."""

    kind: AnswerKind
    arg: str = ""
    stat: Stat | None = None

    def __str__(self) -> str:
        if self.kind == "stat":
            return f"stat: {self.stat} of {self.arg}"
        return f"{self.kind}: {self.arg}" if self.arg else self.kind


@dataclass(frozen=True, slots=True)
class Checkpoint:
    id: str
    ask: str
    answer: AnswerSpec
    what_if: tuple[tuple[str, SettingValue], ...]  # the setting(s) that decide it, changed
    rule: str = ""
    fact: str | None = None
    concepts: tuple[str, ...] = ()
    hint: str = ""
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class Line:
    """One sandbox line as written (placeholders not yet filled in)."""

    text: str
    loc: Loc = NOWHERE

    def filled(self, settings: Mapping[str, str]) -> str:
        """The line with each `{name}` replaced by its setting's text (others left as they are);
        a setting that stands for nothing takes the space before it along."""

        def put(match: re.Match[str]) -> str:
            text = settings.get(match.group(2))
            if text is None:
                return match.group(0)
            return match.group(1) + text if text else ""

        return _FILLED.sub(put, self.text)


@dataclass(frozen=True, slots=True)
class Step:
    lines: tuple[Line, ...]
    say: str
    checkpoint: Checkpoint | None = None
    fails: str | None = None  # the AWS error code the step's last line is meant to get
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    title: str
    topic: str
    story: str
    settings: tuple[Setting, ...]
    setup: tuple[Line, ...]
    steps: tuple[Step, ...]
    section: str = ""
    loc: Loc = NOWHERE

    @property
    def checkpoints(self) -> tuple[Checkpoint, ...]:
        return tuple(s.checkpoint for s in self.steps if s.checkpoint is not None)

    def defaults(self) -> dict[str, SettingValue]:
        return {s.name: s.default for s in self.settings}

    def setting(self, name: str) -> Setting | None:
        return next((s for s in self.settings if s.name == name), None)

    def texts(self, values: Mapping[str, SettingValue]) -> dict[str, str]:
        """What each setting puts in the lines, for these values."""
        return {s.name: s.text(values.get(s.name, s.default)) for s in self.settings}

    def card_id(self, checkpoint: Checkpoint) -> str:
        """The question id a checkpoint's answers are remembered under (store, review)."""
        return f"scenario:{self.id}:{checkpoint.id}"


@dataclass(frozen=True, slots=True)
class Course:
    """The whole merged course: bundled content plus any learner directories."""

    topics: tuple[Topic, ...] = ()
    facts: dict[str, Fact] = field(default_factory=dict)
    questions: tuple[Question, ...] = ()
    diagrams: dict[str, Diagram] = field(default_factory=dict)
    scenarios: dict[str, Scenario] = field(default_factory=dict)

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def questions_for(self, topic_id: str) -> tuple[Question, ...]:
        if topic_id == "all":
            return self.questions
        return tuple(q for q in self.questions if q.topic == topic_id)
