"""`studyaws verify` and `studyaws sandbox --against`: the model next to a real SQS/SNS API.

- `verify` alone lists the catalogue and says how to run it; `--against URL|aws` runs it and
  prints a table (case, model, real, verdict) and what every difference was; `--json` prints one
  JSON object instead. Exit status 1 when a case differs without an explanation, or the endpoint
  failed.
- `sandbox --script FILE --against URL|aws` prints the endpoint's result of each command as it
  comes (one JSON object a line with `--json`, the sandbox's contract), then the model and the
  endpoint side by side (on stderr with `--json`, so stdout stays JSON).
- Against `aws`, nothing runs before the learner has seen the account, the region, what will be
  created and what it costs, and said yes (`--yes` skips; no terminal and no `--yes`: refused).
- Ctrl-C and SIGTERM stop the run, delete what it created, and exit 130.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyaws.errors import ExitStatus, UsageError
from studyaws.live import catalogue
from studyaws.live.catalogue import Case, command_text
from studyaws.live.diff import comparable_body, matching_code
from studyaws.live.safety import (
    PREFIX_ROOT,
    SNS_PUBLISH_USD,
    SQS_FIFO_USD,
    SQS_STANDARD_USD,
    CleanupReport,
    Estimate,
    cost_usd,
    estimate,
    sweep_requests,
)

if TYPE_CHECKING:
    from rich.console import RenderableType

    from studyaws.live.backend import Endpoint
    from studyaws.live.verify import CaseOutcome, Step
    from studyaws.ui.env import Env

VERDICT_TEXT = {
    "agree": "= agree",
    "moto": "≈ moto differs (documented)",
    "model": "! model differs (known)",
    "differs": "≠ DIFFERS",
    "error": "✗ endpoint error",
    "not run": "– not run",
}
MOTO_HINT = "a moto server: pip install 'moto[server]' && moto_server -p 5000"


# -- short forms of results ------------------------------------------------------------------------


def _clip(text: str, width: int = 28) -> str:
    text = "".join(c if c.isprintable() else " " for c in text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _body(body: str) -> str:
    data = comparable_body(body)
    if isinstance(data, dict):
        return f"✉({data.get('MessageId', '?')}: {_clip(str(data.get('Message', '')), 16)})"
    return repr(_clip(body, 20))


def short(result: dict[str, Any], *, code: str | None = None) -> str:
    """A result in a few words, for a table cell."""
    if result.get("skipped"):
        return "(not sent)"
    if not result.get("ok"):
        return "✗ " + (code or str((result.get("error") or {}).get("code", "?")))
    if "messages" in result:
        messages = result["messages"]
        if not messages:
            return f"nothing (t={result.get('now')}s)"
        return ", ".join(f"{m['receipt']} {_body(str(m['body']))}" for m in messages)
    if "message_id" in result:
        return str(result["message_id"])
    if "visible" in result:
        r = result
        return f"{r['visible']} visible, {r['in_flight']} in flight, {r['delayed']} delayed"
    if "subscription" in result:
        return str(result["subscription"])
    if set(result) == {"ok", "now"}:
        return f"t={result['now']}s"
    return "ok"


def _real_short(step: Step) -> str:
    return short(step.real, code=matching_code(step.model, step.real))


def _mark(step: Step) -> str:
    agree = step.comparison.agree
    return "–" if agree is None else ("=" if agree else "≠")


# -- the run's safety: confirmation, cleanup report ------------------------------------------------


def _money(usd: float) -> str:
    return f"${usd:.4f}" if usd >= 0.0001 else f"${usd:.6f}"


def _estimate_lines(est: Estimate, prefix: str, seconds: float) -> list[str]:
    return [
        f"  creates   {len(est.queues)} queue(s) and {len(est.topics)} topic(s), named "
        f"{prefix}…, all deleted at the end",
        f"  requests  at most {est.requests + sweep_requests()} "
        f"(SQS {est.sqs_standard + est.sqs_fifo}, SNS {est.sns}): "
        f"about {_money(cost_usd(est))} at list prices "
        f"(per million: SQS ${SQS_STANDARD_USD * 1e6:.2f}, FIFO ${SQS_FIFO_USD * 1e6:.2f}, "
        f"SNS ${SNS_PUBLISH_USD * 1e6:.2f}; the first million a month are free)",
        f"  time      up to {seconds:.0f} s",
    ]


def _confirm(env: Env, endpoint: Endpoint, what: str, details: list[str], *, yes: bool) -> bool:
    """Show the account, region and what a run will do on AWS; True when the learner agrees."""
    if not endpoint.is_aws:
        return True
    if not yes and not env.interactive:
        raise UsageError("a run on AWS needs your go-ahead: add --yes (no terminal to ask)")
    identity = endpoint.identity()
    lines = [
        f"{what} on AWS:",
        f"  account   {identity.get('Account')} ({identity.get('Arn')})",
        f"  region    {endpoint.region}",
        *details,
    ]
    env.err_console.print("\n".join(lines), markup=False, highlight=False)
    if yes:
        return True
    prompter = env.prompter
    if prompter is None:
        from studyaws.ui.prompts import TerminalPrompter

        prompter = TerminalPrompter()
    return prompter.confirm("Run it?", default=False)


def _cleanup_line(report: CleanupReport, prefix: str, against: str) -> str:
    queues = sum(1 for r in report.deleted if r.kind == "queue")
    topics = sum(1 for r in report.deleted if r.kind == "topic")
    text = f"cleanup: deleted {queues} queue(s) and {topics} topic(s) named {prefix}…"
    if report.failed:
        left = ", ".join(f"{r.name} ({why})" for r, why in report.failed)
        return (
            f"{text}; NOT deleted: {left}. Remove them with: "
            f"studyaws verify --cleanup --against {against}"
        )
    return text + "; nothing left behind"


def _safe_cleanup(env: Env, run: Any) -> CleanupReport:
    """The cleanup, not to be cut short by a second Ctrl-C: it is asked to wait."""
    while True:
        try:
            return run.cleanup()  # type: ignore[no-any-return]
        except KeyboardInterrupt:
            env.warn("still deleting what this run created; one moment")


# -- studyaws verify -------------------------------------------------------------------------------


def verify(
    env: Env,
    *,
    against: str | None,
    only: str | None,
    json_output: bool,
    cleanup_only: bool,
    yes: bool,
) -> int:
    if cleanup_only:
        if against is None:
            raise UsageError("--cleanup needs --against URL|aws: where to look for leftovers")
        return _cleanup_only(env, against, json_output=json_output, yes=yes)
    cases = catalogue.select(only)
    if not cases:
        families = sorted({c.id.split("-")[0] for c in catalogue.CASES})
        raise UsageError(
            f"no case starts with '{only}' (cases start with {', '.join(families)}; "
            "`studyaws verify` lists them)"
        )
    if against is None:
        return _list(env, cases, json_output=json_output)
    return _run(env, cases, against, json_output=json_output, yes=yes)


def _catalogue_estimate(cases: Sequence[Case]) -> tuple[Estimate, float]:
    from studyaws.live.verify import JOBS

    total = Estimate()
    longest = 0.0
    for i, case in enumerate(cases, start=1):
        est = estimate(case.lines, names=functools.partial("{0:02d}-{1}".format, i))
        longest = max(longest, est.wait_s)
        total.add(est)
    return total, max(longest, total.wait_s / JOBS) + 0.1 * len(cases)


def _list(env: Env, cases: Sequence[Case], *, json_output: bool) -> int:
    if json_output:
        data = [
            {"id": c.id, "title": c.title, "covers": list(c.covers), "script": c.lines}
            for c in cases
        ]
        env.stdout.write(json.dumps({"cases": data}, ensure_ascii=False) + "\n")
        return int(ExitStatus.OK)
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"{len(cases)} verification cases", expand=False)
    for header in ("case", "covers", "what it checks"):
        table.add_column(header, overflow="fold")
    for case in cases:
        table.add_row(*(Text(t) for t in (case.id, " ".join(case.covers) or "-", case.title)))
    env.console.print(table)
    est, seconds = _catalogue_estimate(cases)
    env.console.print(
        "Run them against a real SQS/SNS API, side by side with the model:\n"
        "  studyaws verify --against http://127.0.0.1:5000   "
        f"({MOTO_HINT})\n"
        "  studyaws verify --against aws   (your default credentials and region; "
        f"at most {est.requests + sweep_requests()} requests, about {_money(cost_usd(est))} "
        f"at list prices, up to {seconds:.0f} s; it asks first)",
        markup=False,
        highlight=False,
    )
    return int(ExitStatus.OK)


def _run(env: Env, cases: Sequence[Case], against: str, *, json_output: bool, yes: bool) -> int:
    from studyaws.live.backend import EndpointError, connect
    from studyaws.live.verify import LiveRun, run_catalogue, terminate_as_interrupt

    endpoint = connect(against, env.environ)
    run = LiveRun(endpoint, env.sleep, env.monotonic)
    est, seconds = _catalogue_estimate(cases)
    what = f"studyaws verify runs {len(cases)} case(s)"
    if not _confirm(env, endpoint, what, _estimate_lines(est, run.prefix, seconds), yes=yes):
        env.console.print("Nothing was run.")
        return int(ExitStatus.OK)
    endpoint.ping()
    moto = endpoint.detect_moto()
    where = "AWS" if endpoint.is_aws else against + (" (a moto server)" if moto else "")
    env.err_console.print(
        f"verify: {len(cases)} cases against {where}, up to {seconds:.0f} s …",
        markup=False,
        highlight=False,
    )
    started = env.monotonic()
    outcomes: list[CaseOutcome] = []
    interrupted = False
    failure: str | None = None
    try:
        with terminate_as_interrupt():
            try:
                outcomes = run_catalogue(run, cases, moto=moto)
            except KeyboardInterrupt:
                interrupted = True
                env.error("interrupted: deleting what this run created")
            except EndpointError as exc:
                failure = exc.message
    finally:
        report = _safe_cleanup(env, run)
    elapsed = env.monotonic() - started
    cleanup_text = _cleanup_line(report, run.prefix, against)
    if interrupted:
        env.stderr.write(cleanup_text + "\n")
        return int(ExitStatus.INTERRUPTED)
    if failure is not None:
        env.stderr.write(cleanup_text + "\n")
        env.error(failure)
        return int(ExitStatus.ERROR)
    if json_output:
        env.stdout.write(
            json.dumps(
                _report_json(outcomes, against, moto, elapsed, endpoint, report, run.prefix),
                ensure_ascii=False,
            )
            + "\n"
        )
    else:
        env.console.print(_table(outcomes))
        for line in _details(outcomes):
            env.console.print(line, markup=False, highlight=False, soft_wrap=True)
        env.console.print(
            _summary(outcomes, where, elapsed, endpoint) + "\n" + cleanup_text,
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    bad = any(o.verdict in ("differs", "error") for o in outcomes)
    return int(ExitStatus.ERROR if bad or report.failed else ExitStatus.OK)


def _key_step(outcome: CaseOutcome) -> Step | None:
    for step in outcome.steps:
        if step.comparison.agree is False:
            return step
    return outcome.steps[-1] if outcome.steps else None


def _table(outcomes: Sequence[CaseOutcome]) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    table = Table(expand=False)
    table.add_column("case", no_wrap=True, min_width=max(len(o.case.id) for o in outcomes))
    table.add_column("model", overflow="fold")
    table.add_column("real", overflow="fold")
    table.add_column("verdict", overflow="fold")
    for o in outcomes:
        step = _key_step(o)
        model = short(step.model) if step else "-"
        real = _real_short(step) if step else (o.error or "-")
        table.add_row(*(Text(_safe(t)) for t in (o.case.id, model, real, VERDICT_TEXT[o.verdict])))
    return table


def _details(outcomes: Sequence[CaseOutcome]) -> list[str]:
    """One line per differing line of a case: the command, both answers, why."""
    out: list[str] = []
    for o in outcomes:
        if o.error:
            out.append(f"{o.case.id}: {o.error}")
        for step in o.steps:
            if step.comparison.agree is not False:
                continue
            why = o.explained.get(step.number)
            tail = f" — {why.note}" if why else " — not explained: a difference to look into"
            out.append(
                f"{VERDICT_TEXT[o.verdict].split(' ')[0]} {o.case.id} line {step.number} "
                f"`{command_text(step.line).strip()}`: model {short(step.model)}, "
                f"real {_real_short(step)} ({step.comparison.reason}){tail}"
            )
    return out


def _counts(outcomes: Sequence[CaseOutcome]) -> dict[str, int]:
    counts = dict.fromkeys(VERDICT_TEXT, 0)
    for o in outcomes:
        counts[o.verdict] += 1
    return counts


def _summary(outcomes: Sequence[CaseOutcome], where: str, seconds: float, endpoint: Any) -> str:
    counts = _counts(outcomes)
    parts = [f"{counts['agree']} agree"]
    if counts["moto"]:
        parts.append(f"{counts['moto']} moto differs (documented)")
    if counts["model"]:
        parts.append(f"{counts['model']} model differs (known)")
    parts.append(f"{counts['differs']} differ")
    for verdict in ("error", "not run"):
        if counts[verdict]:
            parts.append(f"{counts[verdict]} {verdict}")
    r = endpoint.requests
    return (
        f"{len(outcomes)} cases in {seconds:.1f} s against {where}: {', '.join(parts)}. "
        f"{r.total} requests (SQS {r.sqs}, SNS {r.sns})."
    )


def _step_json(step: Step) -> dict[str, Any]:
    return {
        "line": step.number,
        "command": command_text(step.line).strip(),
        "model": step.model,
        "real": step.real,
        "agree": step.comparison.agree,
        "reason": step.comparison.reason,
    }


def _report_json(
    outcomes: Sequence[CaseOutcome],
    against: str,
    moto: bool,
    seconds: float,
    endpoint: Any,
    report: CleanupReport,
    prefix: str,
) -> dict[str, Any]:
    return {
        "endpoint": against,
        "moto": moto,
        "prefix": prefix,
        "seconds": round(seconds, 1),
        "requests": {
            "total": endpoint.requests.total,
            "sqs": endpoint.requests.sqs,
            "sns": endpoint.requests.sns,
        },
        "counts": _counts(outcomes),
        "cases": [
            {
                "id": o.case.id,
                "title": o.case.title,
                "covers": list(o.case.covers),
                "verdict": o.verdict,
                "seconds": round(o.seconds, 1),
                "error": o.error,
                "explained": [
                    {"line": n, "kind": e.kind, "id": e.id, "note": e.note}
                    for n, e in sorted(o.explained.items())
                ],
                "lines": [_step_json(s) for s in o.steps],
            }
            for o in outcomes
        ],
        "cleanup": {
            "deleted": [r.name for r in report.deleted],
            "left": [r.name for r in report.left],
        },
    }


def _cleanup_only(env: Env, against: str, *, json_output: bool, yes: bool) -> int:
    from studyaws.live.backend import connect
    from studyaws.live.safety import cleanup, sweep

    endpoint = connect(against, env.environ)
    endpoint.ping()
    found = sweep(endpoint.sqs, endpoint.sns, PREFIX_ROOT)
    if found and endpoint.is_aws:
        names = [f"  {r.kind} {r.name}" for r in found]
        if not _confirm(env, endpoint, f"delete {len(found)} leftover(s)", names, yes=yes):
            env.console.print("Nothing was deleted.")
            return int(ExitStatus.OK)
    report = cleanup(
        endpoint.sqs,
        endpoint.sns,
        PREFIX_ROOT,
        found,
        topic_arn=lambda name: endpoint.arn("sns", name),
        swept=False,
    )
    if json_output:
        env.stdout.write(
            json.dumps(
                {
                    "deleted": [r.name for r in report.deleted],
                    "left": [r.name for r in report.left],
                }
            )
            + "\n"
        )
    elif not found:
        env.console.print(f"Nothing named {PREFIX_ROOT}… on {against}.", markup=False)
    else:
        for r in report.deleted:
            env.console.print(f"deleted {r.kind} {r.name}", markup=False, highlight=False)
        for r, why in report.failed:
            env.console.print(f"NOT deleted {r.kind} {r.name}: {why}", markup=False)
    return int(ExitStatus.ERROR if report.failed else ExitStatus.OK)


# -- studyaws sandbox --against --------------------------------------------------------------------


def sandbox_against(
    env: Env, *, script: str | None, against: str, json_output: bool, seed: int, yes: bool
) -> int:
    from studyaws.live.backend import EndpointError, connect
    from studyaws.live.verify import (
        LiveRun,
        ScriptLineError,
        run_model,
        run_steps,
        terminate_as_interrupt,
    )

    if script is None and env.stdin_isatty:
        raise UsageError("--against runs a script: add --script FILE (or '-' for stdin)")
    if script is None or script == "-":
        lines = [line.rstrip("\r\n") for line in env.stdin]
    else:
        try:
            lines = Path(script).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read script {script}: {exc}") from None
    try:
        model = run_model(lines, seed)
    except ScriptLineError as exc:
        env.error(f"line {exc.number}: {exc.message}")
        return int(ExitStatus.USAGE)
    endpoint = connect(against, env.environ)
    run = LiveRun(endpoint, env.sleep, env.monotonic)
    est = estimate(lines)
    if not _confirm(
        env,
        endpoint,
        f"studyaws sandbox runs {len(model)} command(s) of {script or 'stdin'}",
        _estimate_lines(est, run.prefix, est.wait_s),
        yes=yes,
    ):
        env.console.print("Nothing was run.")
        return int(ExitStatus.OK)
    endpoint.ping()
    steps: list[Step] = []

    def emit(step: Step) -> None:
        steps.append(step)
        if json_output:
            env.stdout.write(json.dumps(step.real, ensure_ascii=False) + "\n")
        else:
            env.stdout.write(
                _safe(f"{command_text(step.line).strip()}  →  {short(step.real)}") + "\n"
            )
        env.stdout.flush()

    interrupted = False
    failure: str | None = None
    try:
        with terminate_as_interrupt():
            try:
                run_steps(model, run.backend(model), emit)
            except KeyboardInterrupt:
                interrupted = True
                env.error("interrupted: deleting what this run created")
            except EndpointError as exc:
                failure = exc.message
    finally:
        report = _safe_cleanup(env, run)
    out = env.err_console if json_output else env.console
    if steps:
        out.print(_diff_table(steps, against))
        for step in steps:
            if step.comparison.agree is False:
                out.print(
                    f"≠ line {step.number}: {step.comparison.reason}",
                    markup=False,
                    highlight=False,
                    soft_wrap=True,
                )
        skipped = [s for s in steps if s.real.get("skipped")]
        for step in skipped:
            out.print(
                f"– line {step.number}: {step.real['error']['message']}",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
    env.stderr.write(_cleanup_line(report, run.prefix, against) + "\n")
    if interrupted:
        return int(ExitStatus.INTERRUPTED)
    if failure is not None:
        env.error(failure)
        return int(ExitStatus.ERROR)
    return int(ExitStatus.OK)


def _diff_table(steps: Sequence[Step], against: str) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    same = sum(1 for s in steps if s.comparison.agree)
    differ = sum(1 for s in steps if s.comparison.agree is False)
    table = Table(
        title=f"model vs {against}: {same} =, {differ} ≠, {len(steps) - same - differ} not sent",
        expand=False,
    )
    for header in ("line", "command", "model", "real", ""):
        table.add_column(header, overflow="fold")
    for s in steps:
        cells = (str(s.number), command_text(s.line).strip(), short(s.model), _real_short(s))
        table.add_row(*(Text(_safe(c)) for c in (*cells, _mark(s))))
    return table


def _safe(text: str) -> str:
    """Learner and endpoint text can carry terminal control characters: show, don't obey."""
    return "".join(c if c.isprintable() or c == "\t" else repr(c)[1:-1] for c in text)
