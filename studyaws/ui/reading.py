"""Reading commands: the welcome screen, `topics`, `learn` and `search`.

Rendering rules:
- A section reads top to bottom: its notes (Markdown with every `{fact:ID}` filled in), its
  diagrams, its limits table (each value with its history and a numbered link to the AWS page),
  then its misconceptions, each flagged in words and a symbol (✗ claim, ✓ truth), never by
  colour alone.
- Below 60 columns tables become lists; diagrams too wide for the terminal become arrow lists.
- Long output is paged only on a terminal; piped output is plain text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.markdown import CodeBlock, Markdown, MarkdownElement
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from studyaws.content.model import Course, Diagram, Fact, Misconception, Section, Topic
from studyaws.content.text import fact_display, render_facts, strip_control
from studyaws.content.units import format_quantity
from studyaws.errors import UsageError
from studyaws.ui.course import find_topic, load
from studyaws.ui.diagram import render_list, render_text
from studyaws.ui.env import Env

if TYPE_CHECKING:
    from studyaws.study.stats import Progress

NARROW = 60


class _PlainCodeBlock(CodeBlock):
    """A fenced block drawn without Pygments (start-up budget) and without colour."""

    def __rich_console__(self, console, options):  # type: ignore[no-untyped-def]
        code = str(self.text).rstrip()
        yield Panel(Text(code), border_style="dim", expand=False, padding=(0, 1))


class _Markdown(Markdown):
    elements: ClassVar[dict[str, type[MarkdownElement]]] = {
        **Markdown.elements,
        "fence": _PlainCodeBlock,
        "code_block": _PlainCodeBlock,
    }


def _markdown(text: str) -> Markdown:
    return _Markdown(text, hyperlinks=False)


# -- learn ------------------------------------------------------------------------------------


@dataclass
class _Sources:
    """Numbered AWS links of one section, in first-use order."""

    urls: list[str]

    def number(self, url: str) -> int:
        if url not in self.urls:
            self.urls.append(url)
        return self.urls.index(url) + 1


def _value_text(fact: Fact) -> str:
    text = fact_display(fact)
    for old in fact.history:
        was = old.display or format_quantity(old.value, fact.unit)
        text += f" (was {was} until {old.until})"
    return text


def _limits(facts: list[Fact], sources: _Sources, width: int) -> RenderableType:
    if width < NARROW:
        lines = Text()
        for fact in facts:
            lines.append("• ", style="bold")
            lines.append(strip_control(fact.statement))
            lines.append(f"\n  {_value_text(fact)} [{sources.number(fact.source)}]\n", style="bold")
        return Group(Text("Limits", style="bold underline"), lines)
    table = Table(title="Limits", title_justify="left", show_lines=False, expand=True)
    table.add_column("What", ratio=3)
    table.add_column("Value", ratio=2, style="bold")
    table.add_column("Src", justify="right", no_wrap=True)
    for fact in facts:
        table.add_row(
            strip_control(fact.statement),
            _value_text(fact),
            f"[{sources.number(fact.source)}]",
        )
    return table


def _misconception(item: Misconception, facts: dict[str, Fact]) -> RenderableType:
    origin = f"the notes said so ({item.ref})" if item.origin == "notes" else "a common mistake"
    if item.origin == "common" and item.ref:
        origin += f" ({item.ref})"
    body = Text()
    body.append("✗ Claim: ", style="bold red")
    body.append(strip_control(render_facts(item.claim, facts)) + "\n")
    body.append("✓ Truth: ", style="bold green")
    body.append(strip_control(render_facts(item.truth, facts)))
    return Panel(
        body,
        title=f"⚠ Misconception: {origin}",
        title_align="left",
        border_style="yellow",
        expand=True,
    )


def _diagram(diagram: Diagram, width: int) -> RenderableType:
    drawing = render_text(diagram)
    fits = max((len(line) for line in drawing), default=0) + 4 <= width
    lines = drawing if fits else render_list(diagram)
    art = Text("\n".join(lines), no_wrap=fits, overflow="ignore" if fits else "fold")
    caption = Text(strip_control(diagram.caption), style="italic")
    return Panel(
        Group(art, Text(""), caption),
        title=f"Diagram: {diagram.title}",
        title_align="left",
        border_style="cyan",
        expand=not fits,
    )


def section_view(
    course: Course, topic: Topic, section: Section, number: int, width: int
) -> Iterator[RenderableType]:
    sources = _Sources([])
    yield Rule(Text(f"{number}. {section.title}", style="bold"), align="left", style="blue")
    yield _markdown(strip_control(render_facts(section.body, course.facts)))
    for diagram_id in section.diagrams:
        diagram = course.diagrams.get(diagram_id)
        if diagram is not None:
            yield Text("")
            yield _diagram(diagram, width)
    facts = [course.facts[f] for f in section.facts if f in course.facts]
    if facts:
        yield Text("")
        yield _limits(facts, sources, width)
    for item in section.misconceptions:
        yield Text("")
        yield _misconception(item, course.facts)
    if sources.urls:
        refs = Text("Sources:\n", style="dim")
        for i, url in enumerate(sources.urls, 1):
            refs.append(f"[{i}] ", style="dim")
            refs.append(url + "\n", style=f"dim link {url}")
        yield Padding(refs, (1, 0, 0, 0))
    yield Text("")


def render_learn(env: Env, topic_id: str, section_id: str | None) -> str:
    """The whole page of a topic (or one section) as text for `env`'s console."""
    course = load(env)
    topic = find_topic(course, topic_id)
    width = env.output_width
    parts: list[RenderableType] = []
    if section_id is None:
        parts.append(Rule(Text(topic.title, style="bold"), style="blue"))
        parts.append(Text(strip_control(topic.summary)))
        parts.append(Text(""))
        for number, section in enumerate(topic.sections, 1):
            parts.extend(section_view(course, topic, section, number, width))
        parts.append(Text(f"Test yourself: studyaws quiz {topic.id}", style="bold"))
    else:
        index = next((i for i, s in enumerate(topic.sections) if s.id == section_id.lower()), None)
        if index is None:
            known = ", ".join(s.id for s in topic.sections)
            raise UsageError(f"unknown section '{section_id}' of {topic.id}; sections: {known}")
        section = topic.sections[index]
        parts.append(Text(topic.title, style="dim"))
        parts.extend(section_view(course, topic, section, index + 1, width))
        if index + 1 < len(topic.sections):
            following = topic.sections[index + 1]
            parts.append(Text(f"Next: studyaws learn {topic.id} {following.id}", style="bold"))
        parts.append(Text(f"Test yourself: studyaws quiz {topic.id}", style="bold"))
    console = env.console
    with console.capture() as capture:
        for part in parts:
            console.print(part)
    text = capture.get()
    if env.stdout_isatty:
        return text
    # Piped text: no padding spaces at the ends of lines.
    return "\n".join(line.rstrip() for line in text.split("\n"))


# -- topics and welcome -----------------------------------------------------------------------


def _progress(env: Env) -> Progress | None:
    """The learner's progress, or None before their first answer (no store is created here)."""
    from studyaws.study.store import DB_NAME

    if not (env.data_dir / DB_NAME).exists():
        return None
    from studyaws.ui.progress import summary

    return summary(env)


def _mastery(progress: Progress | None, topic_id: str) -> str:
    if progress is None:
        return ""
    found = next((m for m in progress.topics if m.name == topic_id), None)
    return f", {round(found.mastery * 100)}% mastered" if found is not None else ""


def _counts(course: Course, topic: Topic) -> tuple[int, int]:
    questions = len(course.questions_for(topic.id))
    scenarios = sum(1 for s in course.scenarios.values() if getattr(s, "topic", None) == topic.id)
    return questions, scenarios


def topics(env: Env, *, json_output: bool) -> int:
    course = load(env)
    if json_output:
        rows = []
        for topic in course.topics:
            questions, scenarios = _counts(course, topic)
            rows.append(
                {
                    "id": topic.id,
                    "title": topic.title,
                    "summary": topic.summary,
                    "sections": [{"id": s.id, "title": s.title} for s in topic.sections],
                    "questions": questions,
                    "scenarios": scenarios,
                }
            )
        env.stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")
        return 0
    console = env.console
    progress = _progress(env)
    for topic in course.topics:
        questions, scenarios = _counts(course, topic)
        head = Text()
        head.append(f"{topic.id}", style="bold cyan")
        head.append(f"  {topic.title}", style="bold")
        head.append(
            f"  ({len(topic.sections)} sections, {questions} questions, {scenarios} scenarios"
            f"{_mastery(progress, topic.id)})",
            style="dim",
        )
        console.print(head)
        console.print(Padding(Text(strip_control(topic.summary)), (0, 0, 0, 2)))
        width = max((len(s.id) for s in topic.sections), default=0)
        for section in topic.sections:
            line = Text("  • ")
            line.append(section.id.ljust(width), style="cyan")
            line.append(f"  {section.title}")
            console.print(line)
        console.print("")
    console.print(Text("Read one: studyaws learn TOPIC [SECTION]", style="bold"))
    return 0


def welcome(env: Env) -> int:
    course = load(env)
    progress = _progress(env)
    console = env.console
    console.print(Text("studyaws: AWS messaging and serverless, in your terminal", style="bold"))
    console.print("")
    for topic in course.topics:
        questions, _ = _counts(course, topic)
        line = Text(f"  {topic.id:<8}", style="bold cyan")
        line.append(
            f"{topic.title} ({len(topic.sections)} sections, {questions} questions"
            f"{_mastery(progress, topic.id)})"
        )
        console.print(line)
    console.print("")
    if progress is not None and progress.due_now:
        due = f"{progress.due_now} question{'s' if progress.due_now != 1 else ''}"
        console.print(Text(f"Due for review now: {due}", style="bold yellow"))
        console.print("")
    first = course.topics[0].id if course.topics else "sqs"
    steps = [
        (f"studyaws learn {first}", "read the notes"),
        (f"studyaws quiz {first}", "test yourself"),
        ("studyaws review", "answer what is due"),
        ("studyaws topics", "see every section"),
    ]
    if progress is not None and progress.due_now:
        steps.insert(0, steps.pop(2))  # what is due comes first
    console.print(Text("Next steps:", style="bold"))
    for command, what in steps:
        line = Text(f"  {command:<24}", style="bold")
        line.append(what)
        console.print(line)
    return 0


# -- search -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str
    id: str
    topic: str
    title: str
    snippet: str
    command: str
    score: int


def _snippet(text: str, words: list[str], size: int = 110) -> str:
    flat = re.sub(r"[*`#|]+|-{3,}", " ", text)  # Markdown marks read badly in one line
    flat = re.sub(r"\s+", " ", flat).strip()
    lower = flat.lower()
    first = min((lower.find(w) for w in words if w in lower), default=0)
    start = max(0, first - size // 3)
    piece = flat[start : start + size]
    return ("…" if start else "") + piece + ("…" if start + size < len(flat) else "")


def find(course: Course, query: list[str]) -> list[Hit]:
    words = [w.lower() for w in query if w.strip()]
    hits: list[Hit] = []

    def score(*texts: str) -> int:
        joined = " ".join(texts).lower()
        if not all(w in joined for w in words):
            return 0
        return sum(joined.count(w) for w in words)

    for topic in course.topics:
        for section in topic.sections:
            body = render_facts(section.body, course.facts)
            s = score(section.title, section.title, body)
            if s:
                hits.append(
                    Hit(
                        "note",
                        section.id,
                        topic.id,
                        f"{topic.title}: {section.title}",
                        _snippet(body, words),
                        f"studyaws learn {topic.id} {section.id}",
                        s + 5,
                    )
                )
    for fact in course.facts.values():
        s = score(fact.id, fact.statement, fact_display(fact))
        if s:
            hits.append(
                Hit(
                    "fact",
                    fact.id,
                    fact.topic,
                    fact.statement,
                    f"{fact_display(fact)} (source: {fact.source})",
                    f"studyaws learn {fact.topic}",
                    s,
                )
            )
    for question in course.questions:
        prompt = render_facts(question.prompt, course.facts)
        s = score(prompt, " ".join(t for _, t in question.choices), " ".join(question.concepts))
        if s:
            hits.append(
                Hit(
                    "question",
                    question.id,
                    question.topic,
                    _snippet(prompt, words, 80),
                    "",
                    f"studyaws learn {question.topic} {question.section}",
                    s,
                )
            )
    order = {"note": 0, "fact": 1, "question": 2}
    return sorted(hits, key=lambda h: (order[h.kind], -h.score, h.topic, h.id))


def search(env: Env, words: list[str], *, json_output: bool) -> int:
    if not any(w.strip() for w in words):
        raise UsageError("search needs at least one word")
    course = load(env)
    hits = find(course, words)
    if json_output:
        env.stdout.write(
            json.dumps(
                [
                    {
                        "kind": h.kind,
                        "id": h.id,
                        "topic": h.topic,
                        "title": h.title,
                        "snippet": h.snippet,
                        "command": h.command,
                    }
                    for h in hits
                ],
                ensure_ascii=False,
            )
            + "\n"
        )
        return 0
    console = env.console
    if not hits:
        console.print(f"No notes, facts or questions mention: {' '.join(words)}")
        return 1
    headings = {"note": "Notes", "fact": "Facts", "question": "Questions"}
    current = ""
    for hit in hits:
        if hit.kind != current:
            current = hit.kind
            console.print(Text(headings[hit.kind], style="bold underline"))
        console.print(Text("• ").append(strip_control(hit.title), style="bold"))
        detail = Text(strip_control(hit.snippet) + "\n") if hit.snippet else Text()
        detail.append(f"→ {hit.command}", style="cyan")
        console.print(Padding(detail, (0, 0, 0, 2)))
    return 0
