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

from studyaws.content.model import Scenario
from studyaws.content.problems import Problem
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
