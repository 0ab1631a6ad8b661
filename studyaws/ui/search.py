"""`studyaws search WORDS`: where the words occur across notes, facts and questions.

The ranking is the content's (`content/search.py`); this draws it: a heading per kind, each hit's
title wrapping under itself, its excerpt and the command that opens it. `--json` prints the hits.
"""

from __future__ import annotations

import json

from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from studyaws.content.search import find
from studyaws.content.text import strip_control
from studyaws.errors import UsageError
from studyaws.ui.course import load
from studyaws.ui.env import Env


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
