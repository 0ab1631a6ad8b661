"""`studyaws validate`: every content problem as `path:line:col: CODE message`, one a line.

Warnings (SA6xx) are printed like errors, marked `warning:`, and don't fail the command.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from studyaws.errors import ExitStatus, printable
from studyaws.scenarios.check import check
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
            line.append(problem.code, style="yellow" if problem.is_warning else "red")
            line.append(f" {printable(problem.message)}")
            console.print(line, highlight=False, soft_wrap=True)
        else:
            env.stdout.write(f"{problem}\n")
    errors = [p for p in problems if not p.is_warning]
    warnings = len(problems) - len(errors)
    also = f" ({warnings} warning{'s' if warnings != 1 else ''})" if warnings else ""
    if errors:
        files = len({p.loc.path for p in errors})
        noun = "problem" if len(errors) == 1 else "problems"
        env.stdout.write(f"{len(errors)} {noun} in {files} file{'s' if files != 1 else ''}{also}\n")
        return int(ExitStatus.ERROR)
    env.stdout.write(
        f"ok: {len(course.topics)} topics, {len(course.facts)} facts, "
        f"{len(course.questions)} questions, {len(course.diagrams)} diagrams, "
        f"{len(course.scenarios)} scenarios; no problems{also}\n"
    )
    return int(ExitStatus.OK)
