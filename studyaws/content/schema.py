"""The schema of each content kind, checked by walking YAML nodes (so every value keeps its line).

`yaml.compose` with the safe loader gives nodes with positions; `safe_load` would silently keep the
last of two duplicate keys and lose every line number. A `Reader` walks one file's nodes, collects
every problem (it never stops at the first) and builds the frozen dataclasses of `model.py`.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import yaml

from studyaws.content.limits import (
    MAX_DIAGRAM_CELLS,
    MAX_DIAGRAM_ITEMS,
    MAX_DIAGRAM_LABEL,
    MAX_EXPANDED_NODES,
)
from studyaws.content.model import (
    DVA_DOMAINS,
    FORMAT_VERSION,
    QUESTION_TYPES,
    VERDICTS,
    Diagram,
    DiagramEdge,
    DiagramNode,
    Fact,
    HistoryEntry,
    Loc,
    Misconception,
    NumericAnswer,
    Question,
    Section,
    Topic,
)
from studyaws.content.problems import Problem
from studyaws.content.units import KNOWN_UNITS, is_answer_unit
from studyaws.errors import quoted

T = TypeVar("T")

FACT_ID = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
ITEM_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
CHOICE_KEY = re.compile(r"^[a-z0-9]{1,3}$")
# Controls a terminal obeys (C0 but tab and line feed, DEL, C1) and the bidirectional overrides
# that make it show text in another order than it is stored.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
KINDS = ("topic", "facts", "questions", "diagrams", "scenario")
NODE_KINDS = (
    "client",
    "queue",
    "topic",
    "function",
    "compute",
    "bucket",
    "service",
    "group",
    "box",
    "note",
)

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_DATE = "tag:yaml.org,2002:timestamp"

_constructor = yaml.SafeLoader("")
_CHARS_PER_VISIT = 256


class AliasBombError(Exception):
    """Reading a file visited more nodes than it can hold: its aliases expand (a YAML bomb)."""

    def __init__(self, node: yaml.Node) -> None:
        super().__init__("aliases expand too far")
        self.node = node


class BadScalarError(ValueError):
    """A scalar whose tag matched but whose value is impossible (`2026-02-30`, `0x_`)."""


def _scalar_value(node: yaml.ScalarNode) -> Any:
    try:
        return _constructor.construct_object(node, deep=True)
    except (ValueError, OverflowError, TypeError, yaml.YAMLError) as exc:
        raise BadScalarError(str(exc)) from None


@dataclass(frozen=True, slots=True)
class Field:
    required: bool = False


REQ = Field(required=True)
OPT = Field()


class Reader:
    """Walks one file's node tree; `problems` collects everything wrong with it."""

    def __init__(
        self, display_path: str, text: str | None = None, *, may_have_control: bool | None = None
    ) -> None:
        self.path = display_path
        self.problems: list[Problem] = []
        self.visits = 0  # nodes read so far, aliases expanded (limits.MAX_EXPANDED_NODES)
        # One scan of the whole file spares a scan of every string when it is clean (the loader
        # has made it already and says so).
        if may_have_control is None:
            may_have_control = text is None or "\\" in text or CONTROL.search(text) is not None
        self.may_have_control = may_have_control

    # -- positions and problems ---------------------------------------------------------------

    def loc(self, node: yaml.Node) -> Loc:
        return Loc(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def visit(self, node: yaml.Node, count: int) -> None:
        """Count `count` more nodes read; a file whose aliases multiply them stops here."""
        self.visits += count
        if self.visits > MAX_EXPANDED_NODES:
            raise AliasBombError(node)

    def problem(self, node: yaml.Node | Loc, code: str, message: str) -> None:
        loc = node if isinstance(node, Loc) else self.loc(node)
        self.problems.append(Problem(loc, code, message))

    def text_loc(self, node: yaml.Node, offset: int) -> Loc:
        """The position of character `offset` inside a scalar's text (block scalars span lines)."""
        value = node.value if isinstance(node.value, str) else ""
        before = value[:offset]
        line_in_text = before.count("\n")
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            col = len(before) - (before.rfind("\n") + 1)
            indent = node.start_mark.column + 3
            return Loc(self.path, node.start_mark.line + 2 + line_in_text, indent + col)
        return Loc(self.path, node.start_mark.line + 1, node.start_mark.column + 2 + offset)

    # -- containers ---------------------------------------------------------------------------

    def mapping(
        self, node: yaml.Node, fields: dict[str, Field], what: str
    ) -> dict[str, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, "SA203", f"{what} must be a mapping, not {_describe(node)}")
            return None
        self.visit(node, len(node.value))
        # Fast path for the common case, a well-formed mapping: string keys, no duplicate, all
        # known, all required present. Anything else takes the loop below, which says what is off.
        try:
            quick = {k.value: v for k, v in node.value if k.tag == _STR}
        except TypeError:  # a key that is itself a list or a mapping
            quick = {}
        if (
            len(quick) == len(node.value)
            and quick.keys() <= fields.keys()
            and all(key in quick for key, field in fields.items() if field.required)
        ):
            return quick
        out: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.problem(key_node, "SA203", f"keys of {what} must be strings")
                continue
            if key in out:
                self.problem(key_node, "SA103", f"key '{key}' appears twice in {what}")
                continue
            if key not in fields:
                near = difflib.get_close_matches(key, list(fields), n=1)
                hint = f" (did you mean '{near[0]}'?)" if near else ""
                allowed = ", ".join(fields)
                self.problem(
                    key_node,
                    "SA201",
                    f"unknown key {quoted(key)} in {what}{hint}; allowed: {allowed}",
                )
                continue
            out[key] = value_node
        for key, field in fields.items():
            if field.required and key not in out:
                self.problem(node, "SA202", f"{what} is missing required key '{key}'")
        return out

    def free_mapping(self, node: yaml.Node, what: str) -> list[tuple[yaml.Node, yaml.Node]]:
        """A mapping with caller-defined keys (choices, why_not); duplicates still reported."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, "SA203", f"{what} must be a mapping, not {_describe(node)}")
            return []
        self.visit(node, len(node.value))
        seen: set[str] = set()
        pairs: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "SA203", f"keys of {what} must be strings")
                continue
            key = str(key_node.value)
            if key in seen:
                self.problem(key_node, "SA103", f"key {quoted(key)} appears twice in {what}")
                continue
            seen.add(key)
            pairs.append((key_node, value_node))
        return pairs

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, "SA203", f"{what} must be a list, not {_describe(node)}")
            return []
        self.visit(node, len(node.value))
        return list(node.value)

    # -- scalars ------------------------------------------------------------------------------

    def string(self, node: yaml.Node, what: str, *, allow_empty: bool = False) -> str:
        if node.tag != _STR or not isinstance(node, yaml.ScalarNode):
            self.problem(node, "SA203", f"{what} must be a string, not {_describe(node)}")
            return ""
        value: str = node.value
        if len(value) > _CHARS_PER_VISIT:
            self.visit(node, len(value) // _CHARS_PER_VISIT)
        if not allow_empty and not value.strip():
            self.problem(node, "SA204", f"{what} must not be empty")
        match = CONTROL.search(value) if self.may_have_control else None
        if match is not None:
            self.problem(
                self.text_loc(node, match.start()),
                "SA309",
                f"{what} contains a control character ({match.group()!r})",
            )
        return value

    def text(self, node: yaml.Node, what: str) -> str:
        """Any scalar read as text (a choice may be `30` or `true`)."""
        if isinstance(node, yaml.ScalarNode) and node.tag in (_INT, _FLOAT, _BOOL):
            return str(node.value)
        return self.string(node, what)

    def ident(self, node: yaml.Node, what: str, pattern: re.Pattern[str] = ITEM_ID) -> str:
        value = self.string(node, what)
        if value and not pattern.match(value):
            style = "snake_case" if pattern is FACT_ID else "lowercase-with-hyphens"
            self.problem(node, "SA204", f"{what} {quoted(value)} is not a valid id ({style})")
        return value

    def integer(
        self, node: yaml.Node, what: str, low: int | None = None, high: int | None = None
    ) -> int:
        if not isinstance(node, yaml.ScalarNode) or node.tag != _INT:
            self.problem(node, "SA203", f"{what} must be an integer, not {_describe(node)}")
            return 0
        try:
            value = int(_scalar_value(node))
        except BadScalarError:
            self.problem(node, "SA204", f"{what} {quoted(node.value)} is not a usable integer")
            return 0
        if low is not None and value < low:
            self.problem(node, "SA204", f"{what} must be at least {low}, not {value}")
        if high is not None and value > high:
            self.problem(node, "SA204", f"{what} must be at most {high}, not {quoted(str(value))}")
        return value

    def number(self, node: yaml.Node, what: str) -> float:
        if not isinstance(node, yaml.ScalarNode) or node.tag not in (_INT, _FLOAT):
            self.problem(node, "SA203", f"{what} must be a number, not {_describe(node)}")
            return 0.0
        try:
            value = float(_scalar_value(node))
        except (BadScalarError, OverflowError):
            value = math.nan
        if not math.isfinite(value):
            self.problem(node, "SA204", f"{what} {quoted(node.value)} is not a finite number")
            return 0.0
        return value

    def value(self, node: yaml.Node, what: str) -> int | float | str | bool:
        if not isinstance(node, yaml.ScalarNode) or node.tag not in (_INT, _FLOAT, _STR, _BOOL):
            self.problem(
                node, "SA203", f"{what} must be a number, string or boolean, not {_describe(node)}"
            )
            return ""
        if node.tag == _STR:
            return self.string(node, what, allow_empty=True)
        try:
            result = _scalar_value(node)
        except BadScalarError:
            self.problem(node, "SA204", f"{what} {quoted(node.value)} is not a usable number")
            return ""
        if isinstance(result, float) and not math.isfinite(result):
            self.problem(node, "SA204", f"{what} {quoted(node.value)} is not a finite number")
            return ""
        assert isinstance(result, int | float | str | bool)
        return result

    def date_text(self, node: yaml.Node, what: str) -> str:
        """`2026-11-27` (a YAML date) or `2025-08` (a string)."""
        if isinstance(node, yaml.ScalarNode) and node.tag == _DATE:
            try:
                result = _scalar_value(node)
            except BadScalarError:
                self.problem(node, "SA204", f"{what} {quoted(node.value)} is not a real date")
                return ""
            return result.isoformat() if isinstance(result, date) else str(result)
        value = self.string(node, what)
        match = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", value)
        if value and not match:
            self.problem(
                node, "SA204", f"{what} {quoted(value)} is not a date (YYYY, YYYY-MM, YYYY-MM-DD)"
            )
        elif match and match.group(2) is not None:
            try:
                date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))
            except ValueError:
                self.problem(node, "SA204", f"{what} {quoted(value)} is not a real date")
        return value

    def choice(self, node: yaml.Node, what: str, allowed: tuple[str, ...]) -> str:
        value = self.string(node, what)
        if value and value not in allowed:
            self.problem(
                node, "SA204", f"{what} {quoted(value)} is not one of: {', '.join(allowed)}"
            )
        return value

    def string_list(
        self, node: yaml.Node, what: str, pattern: re.Pattern[str] | None = None
    ) -> tuple[str, ...]:
        items = []
        for item in self.sequence(node, what):
            value = self.ident(item, f"an entry of {what}", pattern) if pattern else None
            items.append(value if value is not None else self.string(item, f"an entry of {what}"))
        return tuple(items)

    def url(self, node: yaml.Node, what: str) -> str:
        value = self.string(node, what)
        if value and not re.match(r"^https://\S+$", value):
            self.problem(node, "SA204", f"{what} must be an https:// URL, not {quoted(value)}")
        return value

    def each(
        self, node: yaml.Node, what: str, build: Callable[[yaml.Node], T | None]
    ) -> tuple[T, ...]:
        built = (build(item) for item in self.sequence(node, what))
        return tuple(item for item in built if item is not None)


def _describe(node: yaml.Node) -> str:
    """What a node is, in words; never its repr (a node's repr expands every alias in it)."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _NULL:
        return "nothing"
    names = {_STR: "a string", _INT: "an integer", _FLOAT: "a number", _BOOL: "a boolean"}
    kind = names.get(node.tag) or f"a {quoted(str(node.tag).rsplit(':', 1)[-1], 40)}"
    return f"{kind} ({quoted(str(node.value))})"


# -- the kinds --------------------------------------------------------------------------------

HEADER = {"format_version": REQ, "kind": REQ}


def read_header(reader: Reader, root: yaml.Node) -> str | None:
    """The file's `kind`, after checking `format_version`; None when unusable."""
    if not isinstance(root, yaml.MappingNode):
        reader.problem(root, "SA102", f"a content file must be a mapping, not {_describe(root)}")
        return None
    keys = {k.value: (k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    if "format_version" not in keys:
        reader.problem(root, "SA202", "the file is missing required key 'format_version'")
    else:
        version_node = keys["format_version"][1]
        if not isinstance(version_node, yaml.ScalarNode) or version_node.value != str(
            FORMAT_VERSION
        ):
            given = (
                quoted(version_node.value)
                if isinstance(version_node, yaml.ScalarNode)
                else _describe(version_node)
            )
            reader.problem(
                version_node,
                "SA205",
                f"format_version {given} is not supported (this studyaws reads {FORMAT_VERSION})",
            )
    if "kind" not in keys:
        reader.problem(
            root, "SA202", f"the file is missing required key 'kind' ({', '.join(KINDS)})"
        )
        return None
    kind_node = keys["kind"][1]
    kind = str(kind_node.value) if isinstance(kind_node, yaml.ScalarNode) else ""
    if kind not in KINDS:
        reader.problem(
            kind_node, "SA206", f"unknown kind {quoted(kind)}; known: {', '.join(KINDS)}"
        )
        return None
    return kind


def read_facts(reader: Reader, root: yaml.Node) -> tuple[Fact, ...]:
    top = reader.mapping(root, {**HEADER, "facts": REQ}, "a facts file")
    if top is None or "facts" not in top:
        return ()
    return reader.each(top["facts"], "facts", lambda node: _read_fact(reader, node))


_FACT_FIELDS = {
    "id": REQ,
    "topic": REQ,
    "statement": REQ,
    "value": REQ,
    "min": OPT,
    "unit": REQ,
    "display": OPT,
    "source": REQ,
    "sources": OPT,
    "checked": REQ,
    "confidence": OPT,
    "verdict": OPT,
    "notes_claim": OPT,
    "history": OPT,
}


def _read_fact(reader: Reader, node: yaml.Node) -> Fact | None:
    m = reader.mapping(node, _FACT_FIELDS, "a fact")
    if m is None or not {"id", "topic", "statement", "value", "unit", "source"} <= m.keys():
        return None
    fact_id = reader.ident(m["id"], "fact id", FACT_ID)
    unit = reader.string(m["unit"], "unit")
    if unit and unit not in KNOWN_UNITS:
        reader.problem(
            m["unit"],
            "SA204",
            f"unit {quoted(unit)} is not known; use one of {', '.join(sorted(KNOWN_UNITS))}",
        )
    value = reader.value(m["value"], "value")
    if unit == "text" and not isinstance(value, str):
        reader.problem(m["value"], "SA203", "a fact with unit 'text' must have a string value")
    if unit not in ("text", "bool") and (
        isinstance(value, bool) or not isinstance(value, int | float)
    ):
        reader.problem(m["value"], "SA203", f"a fact in '{unit}' must have a numeric value")
    history = (
        reader.each(m["history"], "history", lambda n: _read_history(reader, n))
        if "history" in m
        else ()
    )
    verdict = reader.choice(m["verdict"], "verdict", VERDICTS) if "verdict" in m else "new"
    return Fact(
        id=fact_id,
        topic=reader.ident(m["topic"], "topic"),
        statement=reader.string(m["statement"], "statement"),
        value=value,
        unit=unit,
        source=reader.url(m["source"], "source"),
        checked=reader.date_text(m["checked"], "checked") if "checked" in m else "",
        loc=reader.loc(node),
        display=reader.string(m["display"], "display") if "display" in m else None,
        min=reader.value(m["min"], "min") if "min" in m else None,
        sources=tuple(
            reader.url(n, "an entry of sources") for n in reader.sequence(m["sources"], "sources")
        )
        if "sources" in m
        else (),
        confidence=reader.choice(m["confidence"], "confidence", ("H", "M", "L"))
        if "confidence" in m
        else "H",
        history=history,
        notes_claim=reader.string(m["notes_claim"], "notes_claim") if "notes_claim" in m else "",
        verdict=verdict,  # type: ignore[arg-type]
    )


def _read_history(reader: Reader, node: yaml.Node) -> HistoryEntry | None:
    m = reader.mapping(
        node, {"value": REQ, "until": REQ, "display": OPT, "note": OPT}, "a history entry"
    )
    if m is None or not {"value", "until"} <= m.keys():
        return None
    return HistoryEntry(
        value=reader.value(m["value"], "value"),
        until=reader.date_text(m["until"], "until"),
        display=reader.string(m["display"], "display") if "display" in m else None,
        note=reader.string(m["note"], "note") if "note" in m else "",
    )


_TOPIC_FIELDS = {**HEADER, "id": REQ, "title": REQ, "order": OPT, "summary": REQ, "sections": REQ}
_SECTION_FIELDS = {
    "id": REQ,
    "title": REQ,
    "body": REQ,
    "facts": OPT,
    "diagrams": OPT,
    "misconceptions": OPT,
}
_MISCONCEPTION_FIELDS = {"claim": REQ, "truth": REQ, "origin": OPT, "ref": OPT, "facts": OPT}


def read_topic(reader: Reader, root: yaml.Node) -> Topic | None:
    m = reader.mapping(root, _TOPIC_FIELDS, "a topic file")
    if m is None or not {"id", "title", "summary", "sections"} <= m.keys():
        return None
    sections = reader.each(m["sections"], "sections", lambda n: _read_section(reader, n))
    seen: set[str] = set()
    for section in sections:
        if section.id in seen:
            reader.problem(section.loc, "SA301", f"section id '{section.id}' is used twice")
        seen.add(section.id)
    return Topic(
        id=reader.ident(m["id"], "topic id"),
        title=reader.string(m["title"], "title"),
        summary=reader.string(m["summary"], "summary"),
        order=reader.integer(m["order"], "order") if "order" in m else 100,
        sections=sections,
        loc=reader.loc(root),
    )


def _read_section(reader: Reader, node: yaml.Node) -> Section | None:
    m = reader.mapping(node, _SECTION_FIELDS, "a section")
    if m is None or not {"id", "title", "body"} <= m.keys():
        return None
    return Section(
        id=reader.ident(m["id"], "section id"),
        title=reader.string(m["title"], "title"),
        body=reader.string(m["body"], "body"),
        loc=reader.loc(node),
        facts=reader.string_list(m["facts"], "facts", FACT_ID) if "facts" in m else (),
        diagrams=reader.string_list(m["diagrams"], "diagrams", ITEM_ID) if "diagrams" in m else (),
        misconceptions=reader.each(
            m["misconceptions"], "misconceptions", lambda n: _read_misconception(reader, n)
        )
        if "misconceptions" in m
        else (),
    )


def _read_misconception(reader: Reader, node: yaml.Node) -> Misconception | None:
    m = reader.mapping(node, _MISCONCEPTION_FIELDS, "a misconception")
    if m is None or not {"claim", "truth"} <= m.keys():
        return None
    origin = (
        reader.choice(m["origin"], "origin", ("notes", "common")) if "origin" in m else "common"
    )
    ref = reader.string(m["ref"], "ref") if "ref" in m else ""
    if ref and not re.match(r"^[EM]\d+$", ref):
        reader.problem(
            m["ref"], "SA204", f"ref {quoted(ref)} must be E<n> (notes) or M<n> (common)"
        )
    if origin == "notes" and ref and not ref.startswith("E"):
        reader.problem(
            m["ref"], "SA204", f"a misconception from the notes has an E<n> ref, not {quoted(ref)}"
        )
    return Misconception(
        claim=reader.string(m["claim"], "claim"),
        truth=reader.string(m["truth"], "truth"),
        origin=origin,  # type: ignore[arg-type]
        ref=ref,
        facts=reader.string_list(m["facts"], "facts", FACT_ID) if "facts" in m else (),
        loc=reader.loc(node),
    )


_QUESTION_FIELDS = {
    "id": REQ,
    "type": REQ,
    "section": REQ,
    "concepts": REQ,
    "prompt": REQ,
    "choices": OPT,
    "answer": OPT,
    "fact": OPT,
    "why_not": OPT,
    "explanation": REQ,
    "hint": OPT,
    "tolerance": OPT,
    "scenario": OPT,
    "checkpoint": OPT,
    "replaces": OPT,
    "domain": OPT,
}


def read_questions(reader: Reader, root: yaml.Node) -> tuple[Question, ...]:
    m = reader.mapping(root, {**HEADER, "topic": REQ, "questions": REQ}, "a questions file")
    if m is None or not {"topic", "questions"} <= m.keys():
        return ()
    topic = reader.ident(m["topic"], "topic")
    questions = reader.each(m["questions"], "questions", lambda n: _read_question(reader, n, topic))
    seen: set[str] = set()
    for question in questions:
        if question.id in seen:
            reader.problem(question.loc, "SA301", f"question id '{question.id}' is used twice")
        seen.add(question.id)
    return questions


def _read_question(reader: Reader, node: yaml.Node, topic: str) -> Question | None:
    m = reader.mapping(node, _QUESTION_FIELDS, "a question")
    if m is None or not {"id", "type", "section", "concepts", "prompt", "explanation"} <= m.keys():
        return None
    qid = reader.ident(m["id"], "question id")
    qtype = reader.choice(m["type"], "type", QUESTION_TYPES)
    choices: tuple[tuple[str, str], ...] = ()
    if "choices" in m:
        pairs = reader.free_mapping(m["choices"], "choices")
        for key_node, _ in pairs:
            if not CHOICE_KEY.match(str(key_node.value)):
                reader.problem(
                    key_node,
                    "SA204",
                    f"choice key {quoted(str(key_node.value))} must be a-z or 1-3 characters",
                )
        choices = tuple(
            (str(k.value), reader.text(v, f"choice {quoted(str(k.value), 10)}")) for k, v in pairs
        )
    why_not: tuple[tuple[str, str], ...] = ()
    if "why_not" in m:
        why_not = tuple(
            (str(k.value), reader.string(v, f"why_not {quoted(str(k.value), 10)}"))
            for k, v in reader.free_mapping(m["why_not"], "why_not")
        )
    answer = _read_answer(reader, m, qtype, choices)
    question = Question(
        id=qid,
        topic=topic,
        type=qtype or "single",  # type: ignore[arg-type]
        prompt=reader.string(m["prompt"], "prompt"),
        section=reader.ident(m["section"], "section"),
        concepts=reader.string_list(m["concepts"], "concepts", ITEM_ID),
        explanation=reader.string(m["explanation"], "explanation"),
        loc=reader.loc(node),
        choices=choices,
        answer=answer,
        why_not=why_not,
        fact=reader.ident(m["fact"], "fact", FACT_ID) if "fact" in m else None,
        hint=reader.string(m["hint"], "hint") if "hint" in m else "",
        tolerance=reader.number(m["tolerance"], "tolerance") if "tolerance" in m else 0.0,
        scenario=reader.ident(m["scenario"], "scenario") if "scenario" in m else None,
        checkpoint=reader.ident(m["checkpoint"], "checkpoint") if "checkpoint" in m else None,
        replaces=reader.ident(m["replaces"], "replaces") if "replaces" in m else None,
        domain=_read_domain(reader, m["domain"]) if "domain" in m else None,
    )
    if not question.concepts and "concepts" in m:
        reader.problem(m["concepts"], "SA204", "a question needs at least one concept")
    _check_question_shape(reader, question, m)
    return question


def _read_domain(reader: Reader, node: yaml.Node) -> str | None:
    """One of the exam's content domains, spelled as the exam guide spells it."""
    value = reader.string(node, "domain")
    if not value or value in DVA_DOMAINS:
        return value or None
    by_lower = {d.lower(): d for d in DVA_DOMAINS}
    near = by_lower.get(value.lower()) or next(
        iter(difflib.get_close_matches(value, DVA_DOMAINS, n=1, cutoff=0.5)), None
    )
    hint = f" (did you mean '{near}'?)" if near else ""
    allowed = "; ".join(DVA_DOMAINS)
    reader.problem(
        node, "SA204", f"domain '{value}' is not a DVA-C02 domain{hint}; allowed: {allowed}"
    )
    return None


def _read_answer(
    reader: Reader,
    m: dict[str, yaml.Node],
    qtype: str,
    choices: tuple[tuple[str, str], ...],
) -> str | tuple[str, ...] | NumericAnswer | bool | None:
    node = m.get("answer")
    if node is None:
        return None
    keys = [k for k, _ in choices]
    if qtype == "single":
        key = reader.text(node, "answer")
        if keys and key not in keys:
            reader.problem(
                node, "SA302", f"answer {quoted(key)} is not one of the choices ({', '.join(keys)})"
            )
        return key
    if qtype in ("multi", "order"):
        given = tuple(reader.text(n, "an answer") for n in reader.sequence(node, "answer"))
        for item_node, key in zip(
            node.value if isinstance(node, yaml.SequenceNode) else [], given, strict=False
        ):
            if keys and key not in keys:
                reader.problem(
                    item_node,
                    "SA302",
                    f"answer {quoted(key)} is not one of the choices ({', '.join(keys)})",
                )
        return given
    if qtype == "truefalse":
        if not isinstance(node, yaml.ScalarNode) or node.tag != _BOOL:
            reader.problem(
                node, "SA203", f"a truefalse answer must be true or false, not {_describe(node)}"
            )
            return None
        return bool(_scalar_value(node))
    if qtype == "numeric":
        a = reader.mapping(node, {"value": REQ, "unit": REQ}, "a numeric answer")
        if a is None or not {"value", "unit"} <= a.keys():
            return None
        unit = reader.string(a["unit"], "unit")
        if unit and not is_answer_unit(unit):
            reader.problem(a["unit"], "SA204", f"unit {quoted(unit)} is not known")
        return NumericAnswer(reader.number(a["value"], "value"), unit)
    return None


def _check_question_shape(reader: Reader, q: Question, m: dict[str, yaml.Node]) -> None:
    where = m.get("type") or m["id"]
    keys = [k for k, _ in q.choices]
    if q.type in ("single", "multi", "order"):
        if len(keys) < 2:
            reader.problem(where, "SA310", f"a {q.type} question needs at least two choices")
        if q.answer is None:
            reader.problem(where, "SA310", f"a {q.type} question needs an answer")
    if q.type == "multi" and isinstance(q.answer, tuple) and len(q.answer) < 1:
        reader.problem(m["answer"], "SA310", "a multi question needs at least one right choice")
    if q.type == "order" and isinstance(q.answer, tuple) and sorted(q.answer) != sorted(keys):
        reader.problem(
            m.get("answer", where), "SA305", "an order answer must list every item exactly once"
        )
    if q.type in ("numeric", "truefalse") and q.choices:
        reader.problem(m["choices"], "SA310", f"a {q.type} question has no choices")
    if q.type == "numeric" and q.answer is None and q.fact is None:
        reader.problem(where, "SA310", "a numeric question needs an answer or a fact")
    if q.type == "truefalse" and q.answer is None and "answer" not in m:
        reader.problem(where, "SA310", "a truefalse question needs answer: true or false")
    if q.type == "predict" and (q.scenario is None or q.checkpoint is None):
        reader.problem(where, "SA310", "a predict question needs scenario and checkpoint")
    if q.type in ("single", "multi"):
        right = {q.answer} if isinstance(q.answer, str) else set(q.answer or ())  # type: ignore[arg-type]
        explained = dict(q.why_not)
        for key in keys:
            if key not in right and not explained.get(key, "").strip():
                reader.problem(where, "SA303", f"wrong choice {quoted(key)} has no why_not")
        for key, _ in q.why_not:
            if key not in keys or key in right:
                node = m.get("why_not", where)
                reader.problem(node, "SA304", f"why_not {quoted(key)} is not a wrong choice")


_DIAGRAM_FIELDS = {
    "id": REQ,
    "title": REQ,
    "caption": REQ,
    "original": OPT,
    "nodes": REQ,
    "edges": REQ,
}


def read_diagrams(reader: Reader, root: yaml.Node) -> tuple[Diagram, ...]:
    m = reader.mapping(root, {**HEADER, "diagrams": REQ}, "a diagrams file")
    if m is None or "diagrams" not in m:
        return ()
    return reader.each(m["diagrams"], "diagrams", lambda n: _read_diagram(reader, n))


def _read_diagram(reader: Reader, node: yaml.Node) -> Diagram | None:
    m = reader.mapping(node, _DIAGRAM_FIELDS, "a diagram")
    if m is None or not {"id", "title", "caption", "nodes", "edges"} <= m.keys():
        return None
    nodes = reader.each(m["nodes"], "nodes", lambda n: _read_node(reader, n))
    edges = reader.each(m["edges"], "edges", lambda n: _read_edge(reader, n))
    for items, key in ((nodes, "nodes"), (edges, "edges")):
        if len(items) > MAX_DIAGRAM_ITEMS:
            reader.problem(
                m[key],
                "SA204",
                f"a diagram has at most {MAX_DIAGRAM_ITEMS} {key}, not {len(items)}",
            )
    ids = [n.id for n in nodes]
    cells: dict[tuple[int, int], str] = {}
    for item, diagram_node in zip(nodes, reader.sequence(m["nodes"], "nodes"), strict=False):
        if (item.col, item.row) in cells:
            reader.problem(
                diagram_node,
                "SA308",
                f"nodes '{cells[(item.col, item.row)]}' and '{item.id}' are both at "
                f"col {item.col}, row {item.row}",
            )
        cells[(item.col, item.row)] = item.id
    edge_nodes = m["edges"].value if isinstance(m["edges"], yaml.SequenceNode) else []
    for edge, edge_node in zip(edges, edge_nodes, strict=False):
        for end in (edge.source, edge.target):
            if end not in ids:
                reader.problem(
                    edge_node,
                    "SA307",
                    f"edge names unknown node {quoted(end)} (nodes: {', '.join(ids)})",
                )
    return Diagram(
        id=reader.ident(m["id"], "diagram id"),
        title=reader.string(m["title"], "title"),
        caption=reader.string(m["caption"], "caption"),
        original=reader.string(m["original"], "original") if "original" in m else "",
        nodes=nodes,
        edges=edges,
        loc=reader.loc(node),
    )


def _read_node(reader: Reader, node: yaml.Node) -> DiagramNode | None:
    m = reader.mapping(
        node,
        {"id": REQ, "label": REQ, "col": REQ, "row": REQ, "kind": OPT, "note": OPT},
        "a diagram node",
    )
    if m is None or not {"id", "label", "col", "row"} <= m.keys():
        return None
    last = MAX_DIAGRAM_CELLS - 1
    return DiagramNode(
        id=reader.ident(m["id"], "node id"),
        label=_label(reader, m["label"]),
        col=reader.integer(m["col"], "col", 0, last),
        row=reader.integer(m["row"], "row", 0, last),
        kind=reader.choice(m["kind"], "kind", NODE_KINDS) if "kind" in m else "box",
        note=reader.string(m["note"], "note") if "note" in m else "",
    )


def _read_edge(reader: Reader, node: yaml.Node) -> DiagramEdge | None:
    m = reader.mapping(node, {"from": REQ, "to": REQ, "label": OPT, "style": OPT}, "a diagram edge")
    if m is None or not {"from", "to"} <= m.keys():
        return None
    return DiagramEdge(
        source=reader.string(m["from"], "from"),
        target=reader.string(m["to"], "to"),
        label=_label(reader, m["label"]) if "label" in m else "",
        style=reader.choice(m["style"], "style", ("solid", "dashed")) if "style" in m else "solid",  # type: ignore[arg-type]
    )


def _label(reader: Reader, node: yaml.Node) -> str:
    """A diagram label: drawn inside a box or along an arrow, so one short line."""
    label = reader.text(node, "label")
    if len(label) > MAX_DIAGRAM_LABEL or "\n" in label:
        reader.problem(
            node, "SA204", f"a label is one line of at most {MAX_DIAGRAM_LABEL} characters"
        )
        return label[:MAX_DIAGRAM_LABEL].split("\n", 1)[0]
    return label
