"""The welcome screen (`studyaws`) and `studyaws topics`: what the course holds, and how far the
learner is. Both work without a progress store: mastery is left out, and said why, once."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from studyaws.content.text import strip_control
from studyaws.errors import StudyawsError
from studyaws.ui.course import counts, load
from studyaws.ui.env import Env

if TYPE_CHECKING:
    from studyaws.study.stats import Progress


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
