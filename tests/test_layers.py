"""The layers of studyaws, held by reading every module's imports (AST), not by convention.

    engine      → nothing of studyaws but itself
    sandbox     → engine
    content     → nothing of studyaws but itself
    scenarios   → content, engine, sandbox, study (grading a prediction)
    study       → content
    live        → sandbox, engine (the shell's side of a real endpoint)
    ui          → all of the above (never cli)
    cli         → ui
    (errors and words, the exit statuses and English, go anywhere but the engine)

And the libraries: rich only in ui/ and cli, typer only in cli, questionary only in
ui/prompts.py, prompt_toolkit only in ui/ (prompts, keys, the sandbox shell), boto3 only in live/,
genanki only in ui/export.py; the clock and sleep (`time`) only in ui/env.py, which hands them to
everything else (and ui/cache.py, which ages its files), and `time.sleep` is called nowhere
else. `test_a_planted_violation_is_caught` shows each rule failing once.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "studyaws"
CORE = ("engine", "sandbox", "content", "scenarios", "study")
LEAVES = {"errors", "words"}  # exit statuses and English: anywhere but the engine
ALLOWED: dict[str, set[str]] = {
    "engine": {"engine"},
    "sandbox": {"sandbox", "engine", *LEAVES},
    "content": {"content", *LEAVES},
    "scenarios": {"scenarios", "content", "engine", "sandbox", "study", *LEAVES},
    "study": {"study", "content", *LEAVES},
    "live": {"live", "sandbox", "engine", *LEAVES},
    "ui": {"ui", "content", "engine", "sandbox", "scenarios", "study", "live", "__init__", *LEAVES},
    "cli": {"ui", "__init__", *LEAVES},
}
LIBRARIES: dict[str, tuple[str, ...]] = {
    "rich": ("ui/", "cli.py"),
    "typer": ("cli.py",),
    "click": ("cli.py",),
    "questionary": ("ui/prompts.py",),
    "prompt_toolkit": ("ui/prompts.py", "ui/keys.py", "ui/sandbox.py"),
    "boto3": ("live/",),
    "botocore": ("live/",),
    "genanki": ("ui/export.py",),
    "time": ("ui/env.py", "ui/cache.py"),  # the clock and sleep; the cache's file ages
}


def imports(source: str) -> Iterator[tuple[int, str]]:
    """(line, module) for every import in `source`, lazy ones inside functions included."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def layer_of(relative: str) -> str:
    first = relative.split("/", 1)[0]
    return first.removesuffix(".py")


def violations(relative: str, source: str) -> list[str]:
    found = []
    layer = layer_of(relative)
    for line, module in imports(source):
        top = module.split(".")[0]
        if top == "studyaws":
            parts = module.split(".")
            target = parts[1] if len(parts) > 1 else "__init__"
            allowed = ALLOWED.get(layer)
            if allowed is not None and target not in allowed:
                found.append(f"{relative}:{line}: {layer} imports {module}")
            continue
        places = LIBRARIES.get(top)
        if places is not None and not relative.startswith(places):
            found.append(f"{relative}:{line}: {top} imported outside {', '.join(places)}")
    return found


def modules() -> list[tuple[str, str]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        out.append((relative, path.read_text(encoding="utf-8")))
    return out


def test_every_module_keeps_to_its_layer() -> None:
    problems = [v for relative, source in modules() for v in violations(relative, source)]
    assert problems == []


def test_nothing_sleeps_but_through_the_env() -> None:
    """Waiting goes through `env.sleep`, so tests pass one that records and nothing is slow."""
    for relative, source in modules():
        if relative == "ui/env.py":
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Attribute) and node.attr == "sleep":
                value = node.value
                assert not (isinstance(value, ast.Name) and value.id == "time"), relative


def test_the_pure_core_never_reads_a_clock_or_draws() -> None:
    for relative, source in modules():
        if layer_of(relative) in CORE:
            names = {module.split(".")[0] for _line, module in imports(source)}
            assert not names & {"rich", "typer", "questionary", "prompt_toolkit", "time"}, relative


@pytest.mark.parametrize(
    ("relative", "planted"),
    [
        ("engine/sqs.py", "from studyaws.ui.env import Env"),
        ("engine/sqs.py", "from studyaws.study.store import Store"),
        ("content/loader.py", "from studyaws.scenarios.run import run"),
        ("study/session.py", "from studyaws.ui.quiz import quiz"),
        ("study/session.py", "from studyaws.scenarios.run import run"),
        ("scenarios/run.py", "import rich"),
        ("ui/quiz.py", "import questionary"),
        ("ui/scenario.py", "import time\ntime.sleep(1)"),
        ("engine/clock.py", "from time import time"),
        ("cli.py", "from studyaws.engine import World"),
    ],
)
def test_a_planted_violation_is_caught(relative: str, planted: str) -> None:
    source = (PACKAGE / relative).read_text(encoding="utf-8") + "\n" + planted + "\n"
    assert violations(relative, source), f"{planted!r} in {relative} went unnoticed"
