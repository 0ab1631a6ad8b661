"""`studyaws validate`: every content problem as `path:line:col: CODE message`, one a line."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from studyaws.content.loader import check
from studyaws.errors import ExitStatus
from studyaws.ui.env import Env


def validate(env: Env, path: Path | None) -> int:
    extra = (*env.content_dirs, path) if path is not None else env.content_dirs
    course, problems = check(tuple(extra))
    console = env.console
    for problem in problems:
        if env.color:
            # Built as Text, not markup: a message quotes the learner's file (`unknown key '[/x]'`).
            line = Text()
            line.append(f"{problem.loc}:", style="bold")
            line.append(" ")
            line.append(problem.code, style="red")
            line.append(f" {problem.message}")
            console.print(line, highlight=False, soft_wrap=True)
        else:
            env.stdout.write(f"{problem}\n")
    files = len({p.loc.path for p in problems})
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        env.stdout.write(f"{len(problems)} {noun} in {files} file{'s' if files != 1 else ''}\n")
        return int(ExitStatus.ERROR)
    env.stdout.write(
        f"ok: {len(course.topics)} topics, {len(course.facts)} facts, "
        f"{len(course.questions)} questions, {len(course.diagrams)} diagrams, "
        f"{len(course.scenarios)} scenarios; no problems\n"
    )
    return int(ExitStatus.OK)
