"""EventBridge schedules: EventBridge Scheduler schedules and scheduled EventBridge rules, with
`rate()`, 6-field `cron()` (UTC) and, for Scheduler, one-time `at()` expressions.

Rules (eb_rate_expression, eb_cron_expression, eb_schedule_service_name), cited again above the
code:

- Two kinds, as AWS documents each: a Scheduler schedule (CreateSchedule; the sandbox's default)
  and a rule (PutRule with a schedule expression, `--kind rule`). A Scheduler rate schedule
  without a start date runs at once, then every period; a rule's rate "starts when you create the
  scheduled event rule": its first run is one period later (AWS does not say which instant is
  the first: docs/fidelity.md).
- `rate(value unit)`: unit `minute|minutes|hour|hours|day|days`, singular exactly when value is 1.
- `cron(minutes hours day-of-month month day-of-week year)`: six fields, UTC; `*`, `,`, `-`, `/`,
  month names, day names (`SUN`-`SAT` or 1-7 with 1 = Sunday); one of day-of-month and
  day-of-week must be `?`; `L` and `W` in day-of-month, `L` and `#` in day-of-week (no `/`
  there). Nothing faster than once a minute.
- `at(yyyy-mm-ddThh:mm:ss)` (Scheduler only): one run at that time (UTC).
- A Scheduler schedule that targets a FIFO queue needs content-based deduplication; it sends
  with the schedule's name as message group.
- Virtual time 0 is 2025-01-01T00:00:00Z (`targets.EPOCH`). Runs are exactly on the minute (AWS:
  within the minute, eb_scheduler_precision). A run sends the scheduled event to the target at
  ACTOR priority.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, TypedDict

from studyaws.engine import events as ev
from studyaws.engine.clock import ACTOR, Timer
from studyaws.engine.errors import (
    AwsError,
    ConflictException,
    ResourceNotFoundException,
    ValidationException,
)
from studyaws.engine.targets import (
    ACCOUNT,
    EPOCH,
    REGION,
    Target,
    is_fifo,
    iso,
    parse_target,
    send_to,
)

if TYPE_CHECKING:
    from studyaws.engine.world import World

_RATE_RE: Final = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_CRON_RE: Final = re.compile(r"^cron\((.*)\)$")
_AT_RE: Final = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")
# CreateSchedule / PutRule, Name: 1 to 64 characters of [0-9a-zA-Z-_.] (API references).
_NAME_RE: Final = re.compile(r"^[0-9A-Za-z._-]{1,64}$")
KINDS: Final = ("scheduler", "rule")
_LAST_DAY_OF_WEEK: Final = 7  # Saturday: "L" alone in day-of-week
_UNIT_MS: Final = {"minute": 60_000, "hour": 3_600_000, "day": 86_400_000}
_MONTHS: Final = {
    m: i + 1
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    )
}
_DAYS: Final = {d: i + 1 for i, d in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"])}
_SEARCH_DAYS: Final = 366 * 5


class ScheduleSnapshot(TypedDict):
    """One schedule in `world.snapshot()["schedules"]`."""

    kind: str  # "scheduler" or "rule"
    expression: str
    target: str
    runs: int
    next_at: float | None  # seconds


@dataclass(frozen=True, slots=True)
class Cron:
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int] | None  # None: `?`
    months: frozenset[int]
    weekdays: frozenset[int] | None  # 1 = Sunday
    years: frozenset[int]
    day_rule: str = ""  # "L" (last day of the month) or "W<n>" (the weekday nearest day n)
    weekday_rule: tuple[int, int] = (0, 0)  # (d, k): the k-th day d; k = -1: the last one

    def matches_day(self, day: dt.date) -> bool:
        if day.month not in self.months or day.year not in self.years:
            return False
        last = calendar.monthrange(day.year, day.month)[1]
        if self.day_rule == "L":
            if day.day != last:
                return False
        elif self.day_rule:
            if day.day != _nearest_weekday(day.year, day.month, int(self.day_rule[1:]), last):
                return False
        elif self.days is not None and day.day not in self.days:
            return False
        weekday = (day.isoweekday() % 7) + 1  # Sunday → 1
        d, k = self.weekday_rule
        if d:
            if weekday != d:
                return False
            return day.day + 7 > last if k == -1 else (day.day - 1) // 7 + 1 == k
        return self.weekdays is None or weekday in self.weekdays

    def next_after(self, at_ms: int) -> int | None:
        """The first run strictly after `at_ms`, in ms of virtual time (None within 5 years)."""
        now = EPOCH + dt.timedelta(milliseconds=at_ms)
        start = now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
        day = start.date()
        for _ in range(_SEARCH_DAYS):
            if self.matches_day(day):
                for hour in sorted(self.hours):
                    for minute in sorted(self.minutes):
                        moment = dt.datetime(
                            day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC
                        )
                        if moment >= start:
                            return int((moment - EPOCH).total_seconds() * 1000)
            day += dt.timedelta(days=1)
        return None


def _nearest_weekday(year: int, month: int, n: int, last: int) -> int:
    """The day of the month of "the weekday closest to" day `n`, in the same month (0: none)."""
    if n > last:
        return 0
    weekday = dt.date(year, month, n).weekday()  # Monday 0 ... Sunday 6
    if weekday == 5:  # Saturday: the Friday before, or the Monday after the 1st
        return n - 1 if n > 1 else n + 2
    if weekday == 6:  # Sunday: the Monday after, or the Friday before the last day
        return n + 1 if n < last else n - 2
    return n


def _field(
    text: str,
    low: int,
    high: int,
    names: dict[str, int] | None,
    what: str,
    *,
    steps: bool = True,
) -> frozenset[int]:
    out: set[int] = set()
    for part in text.split(","):
        base, _slash, step_text = part.partition("/")
        step = 1
        if _slash and not steps:
            raise ValidationException(f"'/' is not allowed in the {what} field: {part!r}")
        if step_text:
            if not step_text.isdigit() or int(step_text) == 0:
                raise ValidationException(f"Invalid step in the {what} field: {part!r}")
            step = int(step_text)
        if base == "*":
            first, last = low, high
        else:
            lo_text, dash, hi_text = base.partition("-")
            first = _value(lo_text, names, what, low, high)
            last = (
                _value(hi_text, names, what, low, high) if dash else (high if step_text else first)
            )
        if first > last:
            raise ValidationException(f"Invalid range in the {what} field: {part!r}")
        out.update(range(first, last + 1, step))
    return frozenset(out)


def _value(text: str, names: dict[str, int] | None, what: str, low: int, high: int) -> int:
    if names is not None and text.upper() in names:
        return names[text.upper()]
    if not text.isdigit() or not low <= int(text) <= high:
        raise ValidationException(f"Invalid value {text!r} in the {what} field ({low}-{high}).")
    return int(text)


def parse_cron(body: str) -> Cron:
    # eb_cron_expression: "Cron expressions have 6 required fields ... you can't specify both
    # day-of-month and day-of-week (use ? in one)".
    fields = body.split()
    if len(fields) != 6:
        raise ValidationException(
            f"cron() needs 6 fields (minutes hours day-of-month month day-of-week year), got "
            f"{len(fields)}: a 5-field Unix cron is not accepted."
        )
    minutes, hours, dom, month, dow, year = fields
    if (dom == "?") == (dow == "?"):
        raise ValidationException(
            "Use ? in exactly one of day-of-month and day-of-week (they cannot both be set)."
        )
    # eb-cron-expressions.html: Day-of-month takes ", - * ? / L W", Day-of-week ", - * ? L #":
    # "The L wildcard in the Day-of-month or Day-of-week fields specifies the last day of the
    # month or week." / "The W wildcard in the Day-of-month field specifies a weekday. In the
    # Day-of-month field, 3W specifies the weekday closest to the third day of the month." / "#"
    # in Day-of-week names one instance of a day in the month (6#3: the third Friday). Each of
    # these stands alone in its field.
    day_rule = ""
    days: frozenset[int] | None = None
    nearest = re.fullmatch(r"(\d{1,2})W", dom)
    if dom == "L":
        day_rule = "L"
    elif nearest is not None:
        day_rule = f"W{_value(nearest.group(1), None, 'day-of-month', 1, 31)}"
    elif dom != "?":
        if "L" in dom.upper() or "W" in dom.upper():
            raise ValidationException(f"L and W stand alone in the day-of-month field: {dom!r}")
        days = _field(dom, 1, 31, None, "day-of-month")
    weekday_rule = (0, 0)
    weekdays: frozenset[int] | None = None
    nth = re.fullmatch(r"([^#]+)#(\d)", dow)
    last_of = re.fullmatch(r"(.+)L", dow, re.IGNORECASE)
    if dow.upper() == "L":
        weekdays = frozenset({_LAST_DAY_OF_WEEK})
    elif nth is not None:
        k = int(nth.group(2))
        if not 1 <= k <= 5:
            raise ValidationException(f"Invalid week {k} in the day-of-week field (1-5).")
        weekday_rule = (_value(nth.group(1), _DAYS, "day-of-week", 1, 7), k)
    elif last_of is not None:
        weekday_rule = (_value(last_of.group(1), _DAYS, "day-of-week", 1, 7), -1)
    elif dow != "?":
        weekdays = _field(dow, 1, 7, _DAYS, "day-of-week", steps=False)
    return Cron(
        _field(minutes, 0, 59, None, "minutes"),
        _field(hours, 0, 23, None, "hours"),
        days,
        _field(month, 1, 12, _MONTHS, "month"),
        weekdays,
        _field(year, 1970, 2199, None, "year"),
        day_rule,
        weekday_rule,
    )


def parse_at(body: str) -> int:
    """`at(yyyy-mm-ddThh:mm:ss)` → the run's time in ms of virtual time (UTC)."""
    try:
        moment = dt.datetime.strptime(body, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.UTC)
    except ValueError:
        raise ValidationException(
            f"Invalid date in at({body}): use at(yyyy-mm-ddThh:mm:ss)."
        ) from None
    return int((moment - EPOCH).total_seconds() * 1000)


class Schedule:
    __slots__ = ("cron", "expression", "fired", "kind", "name", "period_ms", "target", "timer")

    def __init__(
        self,
        name: str,
        expression: str,
        target: Target,
        period_ms: int | None,
        cron: Cron | None,
        kind: str = "scheduler",
    ) -> None:
        self.name = name
        self.expression = expression
        self.target = target
        self.period_ms = period_ms
        self.cron = cron
        self.kind = kind
        self.timer: Timer | None = None
        self.fired = 0

    def next_after(self, at_ms: int) -> int | None:
        if self.period_ms is not None:
            return at_ms + self.period_ms
        if self.cron is None:
            return None  # a one-time schedule runs once
        return self.cron.next_after(at_ms)


class Schedules:
    """CreateSchedule / DeleteSchedule of EventBridge Scheduler, and PutRule / DeleteRule of
    scheduled EventBridge rules (`kind`)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.schedules: dict[str, Schedule] = {}

    def create_schedule(
        self, name: str, expression: str, target: str, *, kind: str = "scheduler"
    ) -> int:
        """CreateSchedule (`kind="scheduler"`) or PutRule + PutTargets (`kind="rule"`); returns
        the time (ms) of the first run."""
        if kind not in KINDS:
            raise ValidationException(f"A schedule is a scheduler schedule or a rule, not {kind}.")
        if not _NAME_RE.match(name):
            raise ValidationException(
                f"Invalid name {name!r}: 1 to 64 letters, digits, periods, hyphens or underscores."
            )
        if name in self.schedules:
            raise ConflictException(f"Schedule {name} already exists.")
        period_ms: int | None = None
        cron: Cron | None = None
        at_ms: int | None = None
        text = expression.strip()
        rate = _RATE_RE.match(text)
        cron_match = _CRON_RE.match(text)
        at_match = _AT_RE.match(text) if kind == "scheduler" else None
        if rate is not None:
            value, unit = int(rate.group(1)), rate.group(2)
            # eb_rate_expression: "unit = minute/minutes ... (singular when value is 1)".
            if value < 1:
                raise ValidationException("The rate value must be a positive number.")
            if (value == 1) != (not unit.endswith("s")):
                raise ValidationException(
                    f"rate({value} {unit}): use the singular unit exactly when the value is 1."
                )
            period_ms = value * _UNIT_MS[unit.rstrip("s")]
        elif cron_match is not None:
            cron = parse_cron(cron_match.group(1))
        elif at_match is not None:
            # CreateSchedule, ScheduleExpression: "You can use at expressions to create one-time
            # schedules that invoke a target once, at the time and in the time zone, that you
            # specify." A time already past runs at once (AWS does not say: docs/fidelity.md).
            at_ms = max(parse_at(at_match.group(1)), self.world.now_ms)
        else:
            forms = "rate(N unit), cron(6 fields)" + (
                " or at(yyyy-mm-ddThh:mm:ss)" if kind == "scheduler" else " (a rule has no at())"
            )
            raise ValidationException(
                f"Invalid Schedule Expression {expression!r}: use {forms} (nothing faster than "
                f"1 minute)."
            )
        dest = parse_target(self.world, target, ValidationException, ("sqs", "sns", "lambda"))
        self._check_target(kind, dest)
        schedule = Schedule(name, text, dest, period_ms, cron, kind)
        now = self.world.now_ms
        if at_ms is not None:
            first: int | None = at_ms
        elif period_ms is not None and kind == "scheduler":
            # Scheduler, schedule types: "If you do not provide a StartDate for a rate-based
            # schedule, your schedule starts invoking the target immediately."
            first = now
        else:
            # A rule: "A rate expression starts when you create the scheduled event rule, and
            # then it runs on a defined schedule" (eb-scheduled-rule-pattern.html); cron: the
            # first matching minute after now.
            first = schedule.next_after(now)
        if first is None:
            raise ValidationException(f"{expression} never runs in the next 5 years.")
        self.schedules[name] = schedule
        self.world.resources[("scheduler" if kind == "scheduler" else "events", name)] = schedule
        self.world.emit(
            ev.ScheduleCreated,
            "eb_cron_expression"
            if cron
            else "eb_rate_expression"
            if period_ms is not None
            else "CreateSchedule",
            name,
            expression=schedule.expression,
            target=str(dest),
            next_at_ms=first,
            schedule_type=kind,
        )
        schedule.timer = self.world.clock.schedule(first, ACTOR, self._fire, schedule)
        self.world.settle()
        return first

    def _check_target(self, kind: str, dest: Target) -> None:
        if kind != "scheduler" or dest.kind != "sqs" or not is_fifo(self.world, dest):
            return
        # Scheduler SqsParameters: "If you specify an Amazon SQS FIFO queue as a target, the
        # queue must have content-based deduplication enabled."
        # (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_SqsParameters.html)
        queue = self.world.sqs.queues[dest.name]
        if not queue.config.content_based_dedup:
            raise ValidationException(
                f"The FIFO queue {dest.name} must have content-based deduplication enabled to be "
                f"a schedule's target."
            )

    def delete_schedule(self, name: str) -> None:
        schedule = self.schedules.pop(name, None)
        if schedule is None:
            raise ResourceNotFoundException(f"Schedule {name} does not exist.")
        self.world.clock.cancel(schedule.timer)
        self.world.resources.pop(
            ("scheduler" if schedule.kind == "scheduler" else "events", name), None
        )
        self.world.emit(ev.ScheduleDeleted, "DeleteSchedule", name)

    def _fire(self, schedule: Schedule) -> None:
        now = self.world.now_ms
        schedule.fired += 1
        nxt = schedule.next_after(now)
        self.world.emit(
            ev.ScheduleFired,
            "eb_schedule_service_name",
            schedule.name,
            target=str(schedule.target),
            next_at_ms=nxt if nxt is not None else -1,
        )
        rule = schedule.kind == "rule"
        event: dict[str, Any] = {
            "version": "0",
            "id": f"{schedule.name}-{schedule.fired}",
            "detail-type": "Scheduled Event",
            "source": "aws.events" if rule else "aws.scheduler",
            "account": ACCOUNT,
            "time": iso(now)[:-5] + "Z",
            "region": REGION,
            "resources": [
                f"arn:aws:events:{REGION}:{ACCOUNT}:rule/{schedule.name}"
                if rule
                else f"arn:aws:scheduler:{REGION}:{ACCOUNT}:schedule/default/{schedule.name}"
            ],
            "detail": {},
        }
        # A target that is gone loses this run (Scheduler would retry, then use its DLQ). A FIFO
        # target gets the schedule's name as message group; Scheduler's FIFO queue deduplicates
        # by content (_check_target), a rule's message carries the event id as its dedup id.
        fifo = is_fifo(self.world, schedule.target)
        with contextlib.suppress(AwsError):
            send_to(
                self.world,
                schedule.target,
                json.dumps(event, separators=(",", ":")),
                source=f"schedule:{schedule.name}",
                group=schedule.name if fifo else None,
                dedup_id=event["id"] if fifo and (rule or schedule.target.kind != "sqs") else None,
            )
        if nxt is not None:
            schedule.timer = self.world.clock.schedule(nxt, ACTOR, self._fire, schedule)

    def snapshot(self) -> dict[str, ScheduleSnapshot]:
        return {
            name: {
                "kind": s.kind,
                "expression": s.expression,
                "target": str(s.target),
                "runs": s.fired,
                "next_at": (
                    s.timer.at_ms / 1000 if s.timer is not None and not s.timer.cancelled else None
                ),
            }
            for name, s in self.schedules.items()
        }
