"""Run a script, or the catalogue, on the model and on a real endpoint, and compare line by line.

- The model side is `studyaws.sandbox.Session`, run first and whole: a line that is not a command
  stops everything before the endpoint sees a single request.
- The endpoint side is a `RealBackend` per script, each with its own name prefix
  (`studyaws-verify-<random>-` for a sandbox script, `…-NN-` for catalogue case NN), so the cases
  of the catalogue run side by side (`JOBS` at a time) without meeting.
- Whatever happens — the end, an error, Ctrl-C, SIGTERM — the caller runs `LiveRun.cleanup()`;
  a cancelled run stops each script at its next command (a tick within a fifth of a second).
- A case's verdict (`judge`) is pure: `agree` when every compared line agrees; a line that differs
  is `moto` when its catalogue comment names a documented moto divergence and the endpoint is a
  moto server, `model` when it names a known model difference, and otherwise the case `differs`.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Final

from studyaws.live.backend import Cancelled, Endpoint, EndpointError, RealBackend
from studyaws.live.catalogue import Case, Expectation
from studyaws.live.diff import Comparison, compare
from studyaws.live.labels import Labels, model_labels
from studyaws.live.safety import CleanupReport, Tracker, cleanup, new_prefix
from studyaws.sandbox import SandboxSyntaxError, Session, parse

JOBS: Final = 8  # catalogue cases running side by side

AGREE: Final = "agree"
MOTO: Final = "moto"  # differs where moto is documented to differ from AWS
MODEL: Final = "model"  # differs where the model is known to differ from AWS
DIFFERS: Final = "differs"
ERROR: Final = "error"  # the endpoint failed (not an AWS error result)
NOT_RUN: Final = "not run"  # the run was interrupted first
VERDICTS: Final = (AGREE, MOTO, MODEL, DIFFERS, ERROR, NOT_RUN)

Result = dict[str, Any]


class ScriptLineError(Exception):
    """A line of the script is not a command (exit status 2, nothing sent)."""

    def __init__(self, number: int, message: str) -> None:
        super().__init__(f"line {number}: {message}")
        self.number = number
        self.message = message


@dataclass(frozen=True, slots=True)
class ModelStep:
    number: int  # line number in the script
    line: str
    result: Result


@dataclass(frozen=True, slots=True)
class Step:
    number: int
    line: str
    model: Result
    real: Result
    comparison: Comparison


def run_model(lines: Sequence[str], seed: int = 0) -> list[ModelStep]:
    """Every command of the script on the model, in order (blank and comment lines skipped)."""
    session = Session(seed)
    steps: list[ModelStep] = []
    for number, line in enumerate(lines, start=1):
        try:
            outcome = session.execute(line)
        except SandboxSyntaxError as exc:
            raise ScriptLineError(number, exc.message) from None
        if outcome is not None:
            steps.append(ModelStep(number, line, dict(outcome.result)))
    return steps


def run_steps(
    model: Sequence[ModelStep],
    backend: RealBackend,
    emit: Callable[[Step], None] = lambda _s: None,
) -> list[Step]:
    """The same commands on the endpoint, each compared with the model's answer."""
    steps: list[Step] = []
    for m in model:
        command = parse(m.line)
        assert command is not None  # the model ran it
        real = backend.run(command, m.result)
        step = Step(m.number, m.line, m.result, real, compare(m.result, real))
        steps.append(step)
        emit(step)
    return steps


@dataclass
class LiveRun:
    """One run against an endpoint: its prefix, what it created, and how to stop it."""

    endpoint: Endpoint
    sleep: Callable[[float], None]
    monotonic: Callable[[], float]
    prefix: str = field(default_factory=new_prefix)
    cancel: threading.Event = field(default_factory=threading.Event)
    tracker: Tracker = field(init=False)

    def __post_init__(self) -> None:
        self.tracker = Tracker(self.prefix)

    def backend(self, model: Sequence[ModelStep], name_prefix: str | None = None) -> RealBackend:
        messages, subs = model_labels(step.result for step in model)
        return RealBackend(
            self.endpoint,
            name_prefix or self.prefix,
            self.tracker,
            labels=Labels(messages, subs),
            sleep=self.sleep,
            monotonic=self.monotonic,
            cancelled=self.cancel.is_set,
        )

    def cleanup(self) -> CleanupReport:
        """Delete everything the run created (and anything else with its prefix)."""
        return cleanup(
            self.endpoint.sqs,
            self.endpoint.sns,
            self.prefix,
            self.tracker.resources(),
            topic_arn=lambda name: self.endpoint.arn("sns", name),
        )


# -- the catalogue ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    case: Case
    steps: list[Step]
    verdict: str
    explained: dict[int, Expectation]  # line → the documented difference that showed there
    seconds: float
    error: str | None = None


def judge(case: Case, steps: Sequence[Step], *, moto: bool) -> tuple[str, dict[int, Expectation]]:
    expected = case.expectations()
    explained: dict[int, Expectation] = {}
    unexplained = False
    for step in steps:
        if step.comparison.agree is not False:
            continue
        expectation = expected.get(step.number)
        if expectation is not None and (expectation.kind == "model" or moto):
            explained[step.number] = expectation
        else:
            unexplained = True
    if unexplained:
        return DIFFERS, explained
    if any(e.kind == "model" for e in explained.values()):
        return MODEL, explained
    if explained:
        return MOTO, explained
    return AGREE, explained


def run_case(run: LiveRun, case: Case, index: int, *, moto: bool, seed: int = 0) -> CaseOutcome:
    started = run.monotonic()
    model = run_model(case.lines, seed)
    backend = run.backend(model, f"{run.prefix}{index:02d}-")
    try:
        steps = run_steps(model, backend)
    except Cancelled:
        return CaseOutcome(case, [], NOT_RUN, {}, run.monotonic() - started)
    except EndpointError as exc:
        return CaseOutcome(case, [], ERROR, {}, run.monotonic() - started, exc.message)
    verdict, explained = judge(case, steps, moto=moto)
    return CaseOutcome(case, steps, verdict, explained, run.monotonic() - started)


def run_catalogue(
    run: LiveRun,
    cases: Sequence[Case],
    *,
    moto: bool,
    jobs: int = JOBS,
    on_done: Callable[[CaseOutcome], None] = lambda _o: None,
) -> list[CaseOutcome]:
    """Every case, `jobs` at a time; outcomes in catalogue order. Ctrl-C cancels the run (the
    caller cleans up): running cases stop at their next command, queued ones never start."""
    outcomes: dict[int, CaseOutcome] = {}
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="verify")
    futures: dict[Future[CaseOutcome], int] = {
        pool.submit(run_case, run, case, i, moto=moto): i for i, case in enumerate(cases, 1)
    }
    try:
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                outcome = future.result()
                outcomes[futures[future]] = outcome
                on_done(outcome)
    except BaseException:
        run.cancel.set()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [outcomes[i] for i in sorted(outcomes)]


# -- signals ---------------------------------------------------------------------------------------


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: stop, clean up, exit."""


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """While a run talks to an endpoint, SIGTERM stops it the way Ctrl-C does (cleanup first).
    Only the main thread can set signal handlers; elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(_signum: int, _frame: object) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
