"""`studyaws learn TOPIC [SECTION]`: the notes, rendered, cached and paged.

The page is rendered once per (content, topic, section, width, colour) and kept in the disk cache
(`cache.py`); then it is written out, through a pager when stdout is a terminal and the page is
taller than the screen.

Rendering rules:
- A section reads top to bottom: its notes (Markdown with every `{fact:ID}` filled in), its
  diagrams, its limits table (each value with its history and a numbered link to the AWS page),
  then its misconceptions, each flagged in words and a symbol (✗ claim, ✓ truth), never by
  colour alone.
- Below 60 columns tables become lists; diagrams too wide for the terminal become arrow lists.
- Long output is paged only on a terminal; piped output is plain text.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.markdown import CodeBlock, Markdown, MarkdownElement, TableElement
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from studyaws.content.model import Course, Diagram, Fact, Misconception, Section, Topic
from studyaws.content.text import fact_display, plain_inline, render_facts, strip_control
from studyaws.content.units import format_quantity
from studyaws.errors import ReaderGone, UsageError
from studyaws.ui.cache import cached, content_fingerprint, key
from studyaws.ui.course import find_topic, load
from studyaws.ui.diagram import list_rows, render_text
from studyaws.ui.env import Env

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


# -- the command ---------------------------------------------------------------------------------


def learn(env: Env, topic_id: str, section_id: str | None) -> int:
    fingerprint = content_fingerprint(env.content_dirs)
    page_key = key(
        fingerprint,
        "learn",
        topic_id.lower(),
        (section_id or "").lower(),
        env.output_width,
        env.color,
        env.stdout_isatty,
    )

    def render() -> str:
        return render_learn(env, topic_id, section_id)

    name = f"page-{page_key}" if fingerprint is not None else None
    emit(env, cached(env, name, render, str))
    return 0


def emit(env: Env, text: str) -> None:
    if env.stdout_isatty and env.allow_pager and text.count("\n") > _screen_height(env):
        import pydoc

        os.environ.setdefault("LESS", "-R")
        pydoc.pager(text)
        return
    try:
        env.stdout.write(text)
        env.stdout.flush()
    except BrokenPipeError:
        raise ReaderGone from None


def _screen_height(env: Env) -> int:
    try:
        return os.get_terminal_size(env.stdout.fileno()).lines
    except (OSError, ValueError, AttributeError):
        return 24
