"""EventBridge schedules: `rate()` and 6-field `cron()` expressions, in UTC, invoking a target.

Rules (eb_rate_expression, eb_cron_expression), cited again above the code:

- `rate(value unit)`: unit `minute|minutes|hour|hours|day|days`, singular exactly when value is 1;
  the first run is one period after creation.
- `cron(minutes hours day-of-month month day-of-week year)`: six fields, UTC; `*`, `,`, `-`, `/`,
  month names, day names (`SUN`-`SAT` or 1-7 with 1 = Sunday); one of day-of-month and
  day-of-week must be `?`. Nothing faster than once a minute.
- Virtual time 0 is 2025-01-01T00:00:00Z (`targets.EPOCH`). Runs are exactly on the minute (AWS:
  within the minute, eb_scheduler_precision). A run sends the scheduled event to the target at
  ACTOR priority.
"""

from __future__ import annotations

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

    def matches_day(self, day: dt.date) -> bool:
        if day.month not in self.months or day.year not in self.years:
            return False
        if self.days is not None and day.day not in self.days:
            return False
        weekday = (day.isoweekday() % 7) + 1  # Sunday → 1
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


def _field(
    text: str, low: int, high: int, names: dict[str, int] | None, what: str
) -> frozenset[int]:
    out: set[int] = set()
    for part in text.split(","):
        base, _slash, step_text = part.partition("/")
        step = 1
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
    return Cron(
        _field(minutes, 0, 59, None, "minutes"),
        _field(hours, 0, 23, None, "hours"),
        None if dom == "?" else _field(dom, 1, 31, None, "day-of-month"),
        _field(month, 1, 12, _MONTHS, "month"),
        None if dow == "?" else _field(dow, 1, 7, _DAYS, "day-of-week"),
        _field(year, 1970, 2199, None, "year"),
    )


class Schedule:
    __slots__ = ("cron", "expression", "fired", "name", "period_ms", "target", "timer")

    def __init__(
        self, name: str, expression: str, target: Target, period_ms: int | None, cron: Cron | None
    ) -> None:
        self.name = name
        self.expression = expression
        self.target = target
        self.period_ms = period_ms
        self.cron = cron
        self.timer: Timer | None = None
        self.fired = 0

    def next_after(self, at_ms: int) -> int | None:
        if self.period_ms is not None:
            return at_ms + self.period_ms
        assert self.cron is not None
        return self.cron.next_after(at_ms)


class Schedules:
    """CreateSchedule / DeleteSchedule (EventBridge Scheduler; rules behave the same here)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.schedules: dict[str, Schedule] = {}

    def create_schedule(self, name: str, expression: str, target: str) -> int:
        """Returns the time (ms) of the first run."""
        if name in self.schedules:
            raise ConflictException(f"Schedule {name} already exists.")
        period_ms: int | None = None
        cron: Cron | None = None
        rate = _RATE_RE.match(expression.strip())
        cron_match = _CRON_RE.match(expression.strip())
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
        else:
            raise ValidationException(
                f"Invalid Schedule Expression {expression!r}: use rate(N unit) or cron(6 fields) "
                f"(nothing faster than 1 minute)."
            )
        dest = parse_target(self.world, target, ValidationException, ("sqs", "sns", "lambda"))
        schedule = Schedule(name, expression.strip(), dest, period_ms, cron)
        first = schedule.next_after(self.world.now_ms)
        if first is None:
            raise ValidationException(f"{expression} never runs in the next 5 years.")
        self.schedules[name] = schedule
        self.world.resources[("scheduler", name)] = schedule
        self.world.emit(
            ev.ScheduleCreated,
            "eb_cron_expression" if cron else "eb_rate_expression",
            name,
            expression=schedule.expression,
            target=str(dest),
            next_at_ms=first,
        )
        schedule.timer = self.world.clock.schedule(first, ACTOR, self._fire, schedule)
        return first

    def delete_schedule(self, name: str) -> None:
        schedule = self.schedules.pop(name, None)
        if schedule is None:
            raise ResourceNotFoundException(f"Schedule {name} does not exist.")
        self.world.clock.cancel(schedule.timer)
        self.world.resources.pop(("scheduler", name), None)
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
        event: dict[str, Any] = {
            "version": "0",
            "id": f"{schedule.name}-{schedule.fired}",
            "detail-type": "Scheduled Event",
            "source": "aws.scheduler",
            "account": ACCOUNT,
            "time": iso(now)[:-5] + "Z",
            "region": REGION,
            "resources": [f"arn:aws:scheduler:{REGION}:{ACCOUNT}:schedule/default/{schedule.name}"],
            "detail": {},
        }
        # A target that is gone loses this run (Scheduler would retry, then use its DLQ).
        fifo = is_fifo(self.world, schedule.target)
        with contextlib.suppress(AwsError):
            send_to(
                self.world,
                schedule.target,
                json.dumps(event, separators=(",", ":")),
                source=f"schedule:{schedule.name}",
                group=schedule.name if fifo else None,
                dedup_id=event["id"] if fifo else None,
            )
        if nxt is not None:
            schedule.timer = self.world.clock.schedule(nxt, ACTOR, self._fire, schedule)

    def snapshot(self) -> dict[str, ScheduleSnapshot]:
        return {
            name: {
                "expression": s.expression,
                "target": str(s.target),
                "runs": s.fired,
                "next_at": (
                    s.timer.at_ms / 1000 if s.timer is not None and not s.timer.cancelled else None
                ),
            }
            for name, s in self.schedules.items()
        }
