"""The executable check of a scenario: run it on the engine, report what fails as content problems.

SA501 — a line is not a command, or the engine rejects it without the step saying `fails:`;
SA407 — a checkpoint's answer names something the scenario never has (a queue, a message) or
needs a command its step doesn't run. The what-if runs are checked too: with its `what_if`
settings, every checkpoint's step must still be reached and its answer must change (else the
setting decides nothing). Steps after it may fail in the what-if world: that is allowed, but a
what-if world whose setup fails is a problem of the checkpoint (SA501 at the failing line), never
an exception: bad content must not crash `studyaws validate`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from studyaws.content.model import Course, Scenario
from studyaws.content.problems import ContentError, Problem, sort_problems
from studyaws.scenarios.run import ScenarioRunError, run


def check_scenario(scenario: Scenario) -> list[Problem]:
    try:
        base = run(scenario).answers()
    except ScenarioRunError as exc:
        return [Problem(exc.loc, exc.code, exc.message)]
    problems: list[Problem] = []
    for cp in scenario.checkpoints:
        changed = ", ".join(f"{k}={v}" for k, v in cp.what_if)
        try:
            timeline = run(scenario, dict(cp.what_if), strict=False)
        except ScenarioRunError as exc:  # the setup itself fails with these settings
            problems.append(
                Problem(exc.loc, exc.code, f"checkpoint '{cp.id}' with {changed}: {exc.message}")
            )
            continue
        other = timeline.answers()
        if cp.id not in other:
            problems.append(
                Problem(cp.loc, "SA501", f"checkpoint '{cp.id}' with {changed}: {timeline.stopped}")
            )
            continue
        if other[cp.id].value == base[cp.id].value:
            problems.append(
                Problem(
                    cp.loc,
                    "SA407",
                    f"checkpoint '{cp.id}': its answer ({base[cp.id].text()}) stays the same "
                    f"with {changed}, so what_if names nothing that decides it",
                )
            )
    return problems


def executable_problems(scenario: Scenario) -> list[Problem]:
    """Run the scenario on the engine: its SA501 and SA407 problems.

    Whatever the engine raises on bad content becomes an SA501 problem at the scenario: bad
    content never crashes `studyaws validate` or any other command.
    """
    try:
        return check_scenario(scenario)
    except ScenarioRunError as exc:
        return [Problem(exc.loc, exc.code, exc.message)]
    except Exception as exc:  # an engine failure must not crash a command
        message = f"the engine could not play this scenario: {type(exc).__name__}: {exc}"
        return [Problem(scenario.loc, "SA501", message)]


def check(
    extra: Sequence[Path] = (), *, include_bundled: bool = True
) -> tuple[Course, list[Problem]]:
    """The content check (`content.loader.check`) and the executable one: every learner
    scenario without a problem of its own is played, what-ifs included."""
    from studyaws.content.files import ContentDirError, bundled_content_dir, content_files
    from studyaws.content.loader import check as check_content
    from studyaws.content.loader import display_path
    from studyaws.content.scenarios import is_bundled

    course, problems = check_content(extra, include_bundled=include_bundled)
    bundled = bundled_content_dir()
    learners: set[str] = set()
    for root in extra:
        try:
            files = content_files(root) if root.exists() else []
        except (ContentDirError, OSError):
            continue  # the content check has said what is wrong with it
        learners.update(display_path(p, bundled) for p in files if not is_bundled(p))
    with_problems = {p.loc.path for p in problems}
    for scenario in course.scenarios.values():
        path = scenario.loc.path
        if path in learners and path not in with_problems:
            problems.extend(executable_problems(scenario))
    return course, sort_problems(problems)


def load_course(extra_dirs: Sequence[Path] = ()) -> Course:
    """The bundled course plus learner directories, their scenarios played; raises ContentError
    on any error (warnings pass)."""
    course, problems = check(extra_dirs)
    errors = [p for p in problems if not p.is_warning]
    if errors:
        raise ContentError(errors)
    return course
