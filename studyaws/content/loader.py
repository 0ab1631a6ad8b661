"""Load the course: the bundled content plus any learner directories, validated as one.

Rules:
- YAML is composed with the safe loader (libyaml when present) and walked node by node (schema.py).
- Every file is checked on its own first (shape), then the whole course is checked for references
  across files (facts, sections, topics, diagrams) and for answers that disagree with their fact.
- A learner's content is merged into the bundled course; an id defined twice is an error (SA401).
- All problems are collected and returned together; `load_course` raises `ContentError` with the
  errors among them. Warnings (SA6xx, see advice.py) are reported by `check` and never stop a load.
"""

from __future__ import annotations

import gc
import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from studyaws.content.advice import length_bias
from studyaws.content.files import ContentDirError, bundled_content_dir, content_files
from studyaws.content.limits import MAX_DEPTH, MAX_EXPANDED_NODES, MAX_FILE_BYTES, MAX_NODES
from studyaws.content.model import Course, Diagram, Fact, Loc, Question, Scenario, Topic
from studyaws.content.problems import ContentError, Problem, sort_problems
from studyaws.content.schema import (
    AliasBombError,
    Reader,
    read_diagrams,
    read_facts,
    read_header,
    read_questions,
    read_topic,
)
from studyaws.content.text import FACT_REF, fact_refs
from studyaws.content.units import family, parse_quantity, to_base
from studyaws.content.yamlnodes import PastLimitError, compose
from studyaws.errors import quoted

# What YAML does not allow in a stream (its `c-printable` complement): C0 controls but tab, line
# feed and carriage return; DEL; C1 controls but NEL; surrogates; U+FFFE and U+FFFF.
NOT_YAML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass
class _Parts:
    topics: list[Topic] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    diagrams: list[Diagram] = field(default_factory=list)
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def display_path(path: Path, bundled_root: Path | None = None) -> str:
    """A path as a learner reads it: relative to the working directory when below it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        relative = str(path)
    if not relative.startswith(".."):
        return relative
    if bundled_root is not None:
        try:
            return str(Path("content") / path.relative_to(bundled_root))
        except ValueError:
            pass
    return str(path)


def read_file(path: Path, shown: str, parts: _Parts) -> None:
    text = _read_text(path, shown, parts.problems)
    if text is None:
        return
    # One fast pass over the text (str.isprintable runs in C) spares both regex scans below and
    # the Reader's scan for control characters in the common case: a file with none.
    printable = text.replace("\n", "").replace("\t", " ").isprintable()
    bad = None if printable else NOT_YAML.search(text)
    if bad is not None:
        # libyaml would stop here with a message of two lines and no position; say where.
        line, col = _line_col(text, bad.start())
        char = f"U+{ord(bad.group()):04X}"
        parts.problems.append(
            Problem(Loc(shown, line, col), "SA101", f"the character {char} is not allowed in YAML")
        )
        return
    try:
        root = compose(text, MAX_NODES, MAX_DEPTH)
    except PastLimitError as exc:
        message = (
            f"more than {MAX_NODES:,} YAML nodes; split the file"
            if exc.which == "nodes"
            else f"nested more than {MAX_DEPTH} levels deep"
        )
        parts.problems.append(Problem(Loc(shown, exc.line, exc.col), "SA106", message))
        return
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        parts.problems.append(Problem(Loc(shown, line, col), "SA101", what or "YAML syntax error"))
        return
    except yaml.YAMLError as exc:
        first = str(exc).strip().split("\n", 1)[0]
        parts.problems.append(Problem(Loc(shown, 1, 1), "SA101", first or "YAML syntax error"))
        return
    except RecursionError:  # pragma: no cover - only the pure-Python parser recurses
        parts.problems.append(
            Problem(Loc(shown, 1, 1), "SA106", f"nested more than {MAX_DEPTH} levels deep")
        )
        return
    if root is None:
        parts.problems.append(Problem(Loc(shown, 1, 1), "SA102", "the file is empty"))
        return
    reader = Reader(shown, text, may_have_control="\\" in text or not printable)
    try:
        _read_kind(reader, root, path, parts)
    except AliasBombError as exc:
        parts.problems.append(
            Problem(
                reader.loc(exc.node),
                "SA107",
                f"aliases expand to more than {MAX_EXPANDED_NODES:,} YAML nodes",
            )
        )
        return
    parts.problems.extend(reader.problems)


def _read_kind(reader: Reader, root: yaml.Node, path: Path, parts: _Parts) -> None:
    kind = read_header(reader, root)
    if kind == "topic":
        topic = read_topic(reader, root)
        if topic is not None:
            parts.topics.append(topic)
    elif kind == "facts":
        parts.facts.extend(read_facts(reader, root))
    elif kind == "questions":
        parts.questions.extend(read_questions(reader, root))
    elif kind == "diagrams":
        parts.diagrams.extend(read_diagrams(reader, root))
    elif kind == "scenario":
        from studyaws.content.scenarios import read_scenario

        scenario = read_scenario(reader, root, path)
        if scenario is not None:
            parts.scenarios[scenario.id] = scenario


def _read_text(path: Path, shown: str, problems: list[Problem]) -> str | None:
    """The file's text, read without blocking (a FIFO) and never more than the size limit."""
    where = Loc(shown, 1, 1)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except (OSError, ValueError) as exc:
        problems.append(Problem(where, "SA104", f"can't read the file: {_reason(exc)}"))
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            problems.append(Problem(where, "SA104", "can't read the file: not a regular file"))
            return None
        if info.st_size > MAX_FILE_BYTES:
            problems.append(Problem(where, "SA105", _too_large(info.st_size)))
            return None
        data = os.read(fd, info.st_size + 1)
    except OSError as exc:
        problems.append(Problem(where, "SA104", f"can't read the file: {_reason(exc)}"))
        return None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:  # it grew while we looked
        problems.append(Problem(where, "SA105", _too_large(len(data))))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[start : exc.start].decode("utf-8", errors="replace")) + 1
        byte = data[exc.start]
        problems.append(
            Problem(Loc(shown, line, col), "SA104", f"the file is not UTF-8 (byte 0x{byte:02x})")
        )
        return None


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def _too_large(size: int) -> str:
    return (
        f"the file is {size / 1024:,.0f} KiB; content files are at most "
        f"{MAX_FILE_BYTES // 1024:,} KiB (split it)"
    )


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _unique(items: Iterable[tuple[str, Loc]], what: str, problems: list[Problem]) -> None:
    first: dict[str, Loc] = {}
    for item_id, loc in items:
        if item_id in first and first[item_id].path != loc.path:
            problems.append(
                Problem(loc, "SA401", f"{what} id '{item_id}' is also defined at {first[item_id]}")
            )
        elif item_id in first:
            problems.append(Problem(loc, "SA301", f"{what} id '{item_id}' is used twice"))
        else:
            first[item_id] = loc


def _check_course(parts: _Parts) -> list[Problem]:
    problems: list[Problem] = []
    _unique(((t.id, t.loc) for t in parts.topics), "topic", problems)
    _unique(((f.id, f.loc) for f in parts.facts), "fact", problems)
    _unique(((q.id, q.loc) for q in parts.questions), "question", problems)
    _unique(((d.id, d.loc) for d in parts.diagrams), "diagram", problems)
    topics = {t.id: t for t in parts.topics}
    facts = {f.id: f for f in parts.facts}
    diagrams = {d.id for d in parts.diagrams}

    def need_fact(fact_id: str, loc: Loc) -> None:
        if fact_id not in facts:
            problems.append(Problem(loc, "SA402", f"unknown fact '{fact_id}'"))

    def refs_in(text: str, loc: Loc) -> None:
        for _offset, fact_id in fact_refs(text):
            need_fact(fact_id, loc)

    for fact in parts.facts:
        if topics and fact.topic not in topics:
            problems.append(
                Problem(
                    fact.loc, "SA404", f"unknown topic {quoted(fact.topic)} ({', '.join(topics)})"
                )
            )
    for topic in parts.topics:
        for section in topic.sections:
            refs_in(section.body, section.loc)
            for fact_id in section.facts:
                need_fact(fact_id, section.loc)
            for diagram_id in section.diagrams:
                if diagram_id not in diagrams:
                    problems.append(
                        Problem(section.loc, "SA405", f"unknown diagram '{diagram_id}'")
                    )
            for item in section.misconceptions:
                refs_in(item.claim + item.truth, item.loc)
                for fact_id in item.facts:
                    need_fact(fact_id, item.loc)
    for diagram in parts.diagrams:
        refs_in(diagram.caption, diagram.loc)
    for question in parts.questions:
        problems.extend(_check_question(question, topics, facts))
    problems.extend(length_bias(parts.questions, facts))
    return problems


def _check_question(q: Question, topics: dict[str, Topic], facts: dict[str, Fact]) -> list[Problem]:
    problems: list[Problem] = []
    topic = topics.get(q.topic)
    if topic is None:
        problems.append(
            Problem(q.loc, "SA404", f"unknown topic {quoted(q.topic)} ({', '.join(topics)})")
        )
    elif topic.section(q.section) is None:
        known = ", ".join(s.id for s in topic.sections)
        problems.append(
            Problem(
                q.loc,
                "SA403",
                f"unknown section {quoted(q.section)} of topic '{q.topic}' ({known})",
            )
        )
    texts = [
        q.prompt,
        q.explanation,
        q.hint,
        *(t for _, t in q.choices),
        *(t for _, t in q.why_not),
    ]
    for text in texts:
        for _offset, fact_id in fact_refs(text):
            if fact_id not in facts:
                problems.append(Problem(q.loc, "SA402", f"unknown fact '{fact_id}'"))
    if q.fact is None:
        return problems
    fact = facts.get(q.fact)
    if fact is None:
        problems.append(Problem(q.loc, "SA402", f"unknown fact '{q.fact}'"))
        return problems
    problems.extend(_check_against_fact(q, fact))
    return problems


def _same(a: float, b: float, tolerance: float = 0.0) -> bool:
    return abs(a - b) <= max(tolerance, 1e-9 * max(abs(a), abs(b), 1.0))


def _check_against_fact(q: Question, fact: Fact) -> list[Problem]:
    """The answer of a question that names a fact must be that fact's value (SA406)."""
    problems: list[Problem] = []
    numeric_fact = isinstance(fact.value, int | float) and not isinstance(fact.value, bool)
    if q.type == "numeric":
        if not numeric_fact:
            return [
                Problem(q.loc, "SA306", f"fact '{fact.id}' has no numeric value to answer with")
            ]
        answer = q.answer
        if answer is None:
            return problems
        assert not isinstance(answer, str | tuple | bool)
        if family(answer.unit) is not family(fact.unit) or (
            family(fact.unit) is None and answer.unit != fact.unit
        ):
            return [
                Problem(
                    q.loc,
                    "SA306",
                    f"answer unit '{answer.unit}' can't be compared with fact '{fact.id}' "
                    f"in '{fact.unit}'",
                )
            ]
        given = to_base(answer.value, answer.unit)
        expected = to_base(float(fact.value), fact.unit)
        if not _same(given, expected, to_base(q.tolerance, answer.unit)):
            problems.append(
                Problem(
                    q.loc,
                    "SA406",
                    f"answer {answer.value:g} {answer.unit} disagrees with fact '{fact.id}' "
                    f"({fact.value} {fact.unit})",
                )
            )
        return problems
    if q.type == "single" and isinstance(q.answer, str):
        choices = dict(q.choices)
        right = choices.get(q.answer, "")
        if f"{{fact:{fact.id}}}" not in right and numeric_fact:
            parsed = parse_quantity(FACT_REF.sub("", right), fact.unit)
            if parsed is None or not _same(parsed, float(fact.value)):
                problems.append(
                    Problem(
                        q.loc,
                        "SA406",
                        f"right choice {quoted(q.answer)} ({quoted(right)}) is not fact "
                        f"'{fact.id}' "
                        f"({fact.value} {fact.unit}); write it as {{fact:{fact.id}}}",
                    )
                )
        if numeric_fact:
            for key, text in q.choices:
                if key == q.answer or FACT_REF.search(text):
                    continue
                parsed = parse_quantity(text, fact.unit)
                if parsed is not None and _same(parsed, float(fact.value)):
                    problems.append(
                        Problem(
                            q.loc,
                            "SA406",
                            f"wrong choice {quoted(key)} ({quoted(text)}) equals fact '{fact.id}'",
                        )
                    )
    return problems


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Tens of thousands of node objects, none in a cycle: the cyclic GC would only walk them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def collect(
    roots: Sequence[Path], bundled_root: Path | None = None
) -> tuple[_Parts, list[Problem]]:
    with _no_cycle_collection():
        return _collect(roots, bundled_root)


def _collect(roots: Sequence[Path], bundled_root: Path | None) -> tuple[_Parts, list[Problem]]:
    parts = _Parts()
    seen: set[Path] = set()  # `validate content/` in a checkout names the bundled files again
    for root in roots:
        try:
            files = content_files(root)
        except ContentDirError as exc:
            where = Loc(display_path(root, bundled_root), 1, 1)
            parts.problems.append(Problem(where, exc.code, exc.message))
            continue
        for path in files:
            try:
                resolved = path.resolve()
            except (OSError, RuntimeError):  # gone, or a link loop, since the walk
                resolved = path
            if resolved in seen:
                continue
            seen.add(resolved)
            read_file(path, display_path(path, bundled_root), parts)
    problems = parts.problems + _check_course(parts)
    return parts, sort_problems(problems)


def build_course(parts: _Parts) -> Course:
    return Course(
        topics=tuple(sorted(parts.topics, key=lambda t: (t.order, t.id))),
        facts={f.id: f for f in parts.facts},
        questions=tuple(parts.questions),
        diagrams={d.id: d for d in parts.diagrams},
        scenarios=dict(parts.scenarios),
    )


def check(
    extra: Sequence[Path] = (), *, include_bundled: bool = True
) -> tuple[Course, list[Problem]]:
    """The merged course and every problem found in it (empty when all is well)."""
    bundled = bundled_content_dir()
    roots = ([bundled] if include_bundled else []) + list(extra)
    parts, problems = collect(roots, bundled)
    return build_course(parts), problems


def load_course(extra_dirs: Sequence[Path] = ()) -> Course:
    """The bundled course plus learner directories; raises ContentError on any error."""
    course, problems = check(extra_dirs)
    errors = [p for p in problems if not p.is_warning]
    if errors:
        raise ContentError(errors)
    return course
