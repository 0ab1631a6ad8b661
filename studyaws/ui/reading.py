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
from rich.markdown import CodeBlock, Markdown, MarkdownElement, TableElement
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from studyaws.content.model import Course, Diagram, Fact, Misconception, Section, Topic
from studyaws.content.text import fact_display, render_facts, strip_control
from studyaws.content.units import format_quantity
from studyaws.errors import StudyawsError, UsageError
from studyaws.ui.course import counts, find_topic, load
from studyaws.ui.diagram import list_rows, render_text
from studyaws.ui.env import Env
from studyaws.ui.pages import plain_inline

if TYPE_CHECKING:
    from studyaws.study.stats import Progress

NARROW = 60


class _PlainCodeBlock(CodeBlock):
    """A fenced block drawn without Pygments (start-up budget) and without colour."""

    def __rich_console__(self, console, options):  # type: ignore[no-untyped-def]
        code = str(self.text).rstrip()
        yield Panel(Text(code), border_style="dim", expand=False, padding=(0, 1))


class _FoldingTable(TableElement):
    """A Markdown table whose long words wrap at 40 columns instead of ending in '…'."""

    def __rich_console__(self, console, options):  # type: ignore[no-untyped-def]
        for table in super().__rich_console__(console, options):
            if isinstance(table, Table):
                table.show_edge = False  # its top and bottom edges are blank lines
                for column in table.columns:
                    column.overflow = "fold"
            yield table


class _Markdown(Markdown):
    elements: ClassVar[dict[str, type[MarkdownElement]]] = {
        **Markdown.elements,
        "fence": _PlainCodeBlock,
        "code_block": _PlainCodeBlock,
        "table_open": _FoldingTable,
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
        # A bullet list whose items wrap under themselves, the value on its own line.
        items = Table.grid(padding=(0, 1, 0, 0))
        items.add_column(no_wrap=True)
        items.add_column(overflow="fold")
        for fact in facts:
            item = Text(strip_control(fact.statement) + "\n")
            item.append(f"{_value_text(fact)} [{sources.number(fact.source)}]", style="bold")
            items.add_row(Text("•", style="bold"), item)
        return Group(Text("Limits", style="bold underline"), items)
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


def _misconception(item: Misconception, facts: dict[str, Fact], width: int) -> RenderableType:
    # Where the claim comes from, in words: never the catalogue's id (E4, M6), and never "the
    # notes", which in `learn` means the course itself.
    origin = "older notes say so" if item.origin == "notes" else "a common claim"
    title = f"⚠ Misconception: {origin}"
    body = Text()
    if len(title) + 6 > width:  # a border would cut the title: say where it comes from inside
        title = "⚠ Misconception"
        body.append(f"{origin[:1].upper()}{origin[1:]}.\n", style="italic")
    body.append("✗ Claim: ", style="bold red")
    body.append(plain_inline(strip_control(render_facts(item.claim, facts))) + "\n")
    body.append("✓ Truth: ", style="bold green")
    body.append(plain_inline(strip_control(render_facts(item.truth, facts))))
    return Panel(
        body,
        title=Text(title),  # never markup: the reference is content
        title_align="left",
        border_style="yellow",
        expand=True,
    )


def _diagram(diagram: Diagram, width: int) -> RenderableType:
    drawing = render_text(diagram)
    fits = max((len(line) for line in drawing), default=0) + 4 <= width
    caption = Text(plain_inline(strip_control(diagram.caption)), style="italic")
    title = f"Diagram: {strip_control(diagram.title)}"
    if fits:
        art = Text("\n".join(drawing), no_wrap=True, overflow="ignore")
        # As wide as the drawing (or its title), not as the terminal: a 200-column box around a
        # 70-column picture reads badly.
        box_width = max(max(len(line) for line in drawing), len(title) + 2) + 4
        return Panel(
            Group(art, Text(""), caption),
            title=Text(title),  # never markup: the title is the learner's text
            title_align="left",
            border_style="cyan",
            width=min(width, box_width),
        )
    # Too narrow for the drawing: its arrows as a list, the title inside (a border would cut it).
    inner = width - 4
    lines = []
    for source, rest in list_rows(diagram):
        if len(source + rest) <= inner or not rest:
            lines.append(source + rest)
        else:
            lines.extend((source, "  " + rest.strip()))
    art = Text("\n".join(lines), overflow="fold")
    return Panel(
        Group(Text(title, style="bold"), Text(""), art, Text(""), caption),
        border_style="cyan",
        expand=True,
    )


class _Links(Text):
    """One link a line, printed without wrapping: a URL cut in two can't be clicked or copied."""


def section_view(
    course: Course, topic: Topic, section: Section, number: int, width: int
) -> Iterator[RenderableType]:
    sources = _Sources([])
    heading = Text(f"{number}. {strip_control(section.title)}", style="bold")
    if len(heading) + 6 <= width:
        yield Rule(heading, align="left", style="blue")
    else:  # a rule would cut a long title short: the title, then the rule under it
        yield heading
        yield Rule(style="blue")
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
        yield _misconception(item, course.facts, width)
    if sources.urls:
        yield Text("")
        refs = _Links("Sources:\n", style="dim")
        for i, url in enumerate(sources.urls, 1):
            refs.append(f"[{i}] ", style="dim")
            refs.append(url + "\n", style=f"dim link {url}")
        yield refs
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
            console.print(part, soft_wrap=isinstance(part, _Links))
    text = capture.get()
    if env.stdout_isatty:
        return text
    # Piped text: no padding spaces at the ends of lines.
    return "\n".join(line.rstrip() for line in text.split("\n"))


# -- topics and welcome -----------------------------------------------------------------------


def _progress(env: Env) -> Progress | None:
    """The learner's progress, or None before their first answer (no store is created here) or
    when the store can't be read (said once: these commands only show mastery)."""
    from studyaws.ui.course import existing_store

    store = existing_store(env, "mastery is")
    if store is None:
        return None
    from studyaws.ui.progress import summary

    try:
        return summary(env, store)
    except StudyawsError as exc:  # the store's errors included
        env.warn(f"mastery is not shown: {exc.message}")
        return None


def _mastery(progress: Progress | None, topic_id: str) -> str:
    if progress is None:
        return ""
    found = next((m for m in progress.topics if m.name == topic_id), None)
    return f", {round(found.mastery * 100)}% mastered" if found is not None else ""


def topics(env: Env, *, json_output: bool) -> int:
    course = load(env)
    if json_output:
        rows = []
        for topic in course.topics:
            n = counts(course, topic.id)
            rows.append(
                {
                    "id": topic.id,
                    "title": topic.title,
                    "summary": topic.summary,
                    "sections": [{"id": s.id, "title": s.title} for s in topic.sections],
                    "questions": n.questions,
                    "predictions": n.predictions,
                    "scenarios": n.scenarios,
                }
            )
        env.stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")
        return 0
    console = env.console
    progress = _progress(env)
    for topic in course.topics:
        n = counts(course, topic.id)
        # Grids, so that at 40 columns a long title wraps inside its own column.
        head = Table.grid(padding=(0, 2, 0, 0))
        head.add_column(no_wrap=True)
        head.add_column()
        title = Text(strip_control(topic.title), style="bold")
        title.append(
            f"  ({len(topic.sections)} sections, {n.text()}, {n.scenarios} scenarios"
            f"{_mastery(progress, topic.id)})",
            style="dim",
        )
        head.add_row(Text(topic.id, style="bold cyan"), title)
        console.print(head)
        console.print(Padding(Text(strip_control(topic.summary)), (0, 0, 0, 2)))
        sections = Table.grid(padding=(0, 2, 0, 0))
        sections.add_column(no_wrap=True)
        sections.add_column()
        for section in topic.sections:
            sections.add_row(
                Text("• ").append(section.id, style="cyan"), Text(strip_control(section.title))
            )
        console.print(Padding(sections, (0, 0, 0, 2)))
        console.print("")
    console.print(Text("Read one: studyaws learn TOPIC [SECTION]", style="bold"))
    return 0


def welcome(env: Env) -> int:
    course = load(env)
    progress = _progress(env)
    console = env.console
    console.print(Text("studyaws: AWS messaging and serverless, in your terminal", style="bold"))
    console.print("")
    rows = Table.grid(padding=(0, 2, 0, 0))
    rows.add_column(no_wrap=True, style="bold cyan")
    rows.add_column()
    for topic in course.topics:
        n = counts(course, topic.id)
        rows.add_row(
            topic.id,
            Text(
                f"{strip_control(topic.title)} ({len(topic.sections)} sections, "
                f"{n.text()}{_mastery(progress, topic.id)})"
            ),
        )
    console.print(Padding(rows, (0, 0, 0, 2)))
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
    commands = Table.grid(padding=(0, 2, 0, 0))
    commands.add_column(no_wrap=True, style="bold")
    commands.add_column()
    for command, what in steps:
        commands.add_row(command, what)
    console.print(Padding(commands, (0, 0, 0, 2)))
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
    flat = re.sub(r"\*\*|__|`", "", text)  # inline Markdown marks read badly in one line
    flat = re.sub(r"[*#|]+|-{3,}", " ", flat)
    flat = re.sub(r" +([.,;:!?)])", r"\1", flat)
    flat = re.sub(r"\s+", " ", flat).strip()
    lower = flat.lower()
    first = min((lower.find(w) for w in words if w in lower), default=0)
    start = max(0, first - size // 3)
    if start:  # begin and end on whole words
        space = flat.find(" ", start, first)
        start = space + 1 if space != -1 else start
    piece = flat[start : start + size]
    if start + size < len(flat) and " " in piece:
        piece = piece[: piece.rindex(" ")].rstrip(" ,;:")
    return ("…" if start else "") + piece + ("…" if start + size < len(flat) else "")


def find(course: Course, query: list[str]) -> list[Hit]:
    # `studyaws search "visibility  timeout"` is two words, however the shell split them.
    words = [w.lower() for part in query for w in part.split()]
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
        choices = " ".join(render_facts(t, course.facts) for _, t in question.choices)
        s = score(prompt, choices, " ".join(question.concepts))
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
        console.print(Text(f"No notes, facts or questions mention: {' '.join(words)}"))
        return 1
    headings = {"note": "Notes", "fact": "Facts", "question": "Questions"}
    current = ""
    for hit in hits:
        if hit.kind != current:
            current = hit.kind
            console.print(Text(headings[hit.kind], style="bold underline"))
        title = Table.grid()
        title.add_column(width=2, no_wrap=True)
        title.add_column()
        title.add_row("•", Text(strip_control(hit.title), style="bold"))
        console.print(title)  # a long title wraps under itself, not under the bullet
        detail = Text(strip_control(hit.snippet) + "\n") if hit.snippet else Text()
        detail.append(f"→ {hit.command}", style="cyan")
        console.print(Padding(detail, (0, 0, 0, 2)))
    return 0
