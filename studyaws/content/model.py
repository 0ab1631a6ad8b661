"""The course as typed, immutable data.

Everything the loader builds from YAML is one of these frozen dataclasses. Each object keeps the
`Loc` (file, line, column) it came from, so any later check can point a learner at the exact spot.
No UI imports here: the content layer is pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

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
        return f"{self.path}:{self.line}:{self.col}"


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


@dataclass(frozen=True, slots=True)
class Course:
    """The whole merged course: bundled content plus any learner directories."""

    topics: tuple[Topic, ...] = ()
    facts: dict[str, Fact] = field(default_factory=dict)
    questions: tuple[Question, ...] = ()
    diagrams: dict[str, Diagram] = field(default_factory=dict)
    scenarios: dict[str, object] = field(default_factory=dict)

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def questions_for(self, topic_id: str) -> tuple[Question, ...]:
        if topic_id == "all":
            return self.questions
        return tuple(q for q in self.questions if q.topic == topic_id)
