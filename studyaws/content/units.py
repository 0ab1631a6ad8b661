"""Quantities: formatting a fact's value for reading, and parsing a learner's numeric answer.

Rules:
- Time is stored in seconds (`s`) or `ms`; a learner may answer in any time unit (`12h`, `720 min`,
  `43200`, `43,200 s` are one answer for 43,200 s).
- Sizes use AWS's binary reading: 1 KB = 1 KiB = 1,024 bytes (256 KB = 262,144 bytes, as the SQS
  and Lambda quotas pages count them), so `1 MiB`, `1024 KB` and `1048576` are one answer.
- Any other unit is a plain count: the answer is a number, optionally followed by that unit's word.
"""

from __future__ import annotations

import math
import re

TIME_UNITS: dict[str, float] = {
    "ms": 0.001,
    "millisecond": 0.001,
    "milliseconds": 0.001,
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
}

SIZE_UNITS: dict[str, float] = {
    "b": 1,
    "byte": 1,
    "bytes": 1,
    "kb": 1024,
    "kib": 1024,
    "k": 1024,
    "mb": 1024**2,
    "mib": 1024**2,
    "gb": 1024**3,
    "gib": 1024**3,
    "tb": 1024**4,
    "tib": 1024**4,
}

COUNT_UNITS: frozenset[str] = frozenset(
    {
        "messages",
        "count",
        "attempts",
        "receives",
        "layers",
        "requests",
        "executions",
        "TPS",
        "msg/s",
        "percent",
        "USD",
        "GB-s",
        "chars",
        "keys",
        "subscriptions",
    }
)
OTHER_UNITS: frozenset[str] = frozenset({"text", "bool"})
TIME_FACT_UNITS: frozenset[str] = frozenset({"s", "ms"})
SIZE_FACT_UNITS: frozenset[str] = frozenset({"bytes", "KB", "MB", "GB", "KiB", "MiB", "GiB"})
KNOWN_UNITS: frozenset[str] = COUNT_UNITS | OTHER_UNITS | TIME_FACT_UNITS | SIZE_FACT_UNITS

_NUMBER = re.compile(r"^([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*([A-Za-z/%$-]*)\.?$")


def family(unit: str) -> dict[str, float] | None:
    """The conversion table a unit belongs to (`s`, `h`, `MB`, `KiB`...), or None for a count."""
    if unit in TIME_FACT_UNITS or (unit not in COUNT_UNITS and unit.lower() in TIME_UNITS):
        return TIME_UNITS
    if unit in SIZE_FACT_UNITS or (unit not in COUNT_UNITS and unit.lower() in SIZE_UNITS):
        return SIZE_UNITS
    return None


def is_answer_unit(unit: str) -> bool:
    """A unit a numeric answer key may be written in: a fact unit or any time or size unit."""
    return unit in KNOWN_UNITS or family(unit) is not None


def to_base(value: float, unit: str) -> float:
    """`value` in `unit` expressed in its family's base unit (seconds, bytes) — counts unchanged."""
    table = family(unit)
    if table is None:
        return value
    return value * table[unit.lower()]


def parse_quantity(text: str, unit: str) -> float | None:
    """Parse a learner's answer into `unit`; None when it is not a number in a compatible unit.

    >>> parse_quantity("12h", "s"), parse_quantity("43,200 s", "s")
    (43200.0, 43200.0)
    """
    cleaned = text.strip().replace(",", "").replace("_", "").replace("\u202f", "")
    cleaned = cleaned.replace("\u00a0", "").replace(" ", "")
    if cleaned.startswith("$"):
        cleaned = cleaned[1:] + ("USD" if unit == "USD" else "")
    match = _NUMBER.match(cleaned)
    if match is None:
        return None
    number = float(match.group(1))
    given = match.group(2)
    if not math.isfinite(number):
        return None
    if not given:
        return number
    table = family(unit)
    if table is None:
        accepted = {unit.lower(), unit.lower().rstrip("s"), "x", "%" if unit == "percent" else ""}
        return number if given.lower() in accepted - {""} else None
    factor = table.get(given.lower())
    if factor is None:
        return None
    return number * factor / table[unit.lower()]


def _group(number: float) -> str:
    if float(number).is_integer():
        return f"{int(number):,}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def _plural(number: float, word: str) -> str:
    return f"{_group(number)} {word}{'' if number == 1 else 's'}"


def format_seconds(seconds: float) -> str:
    """The largest whole unit: 43200 → '12 hours', 90 → '90 seconds', 1209600 → '14 days'."""
    for size, word in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size and seconds % size == 0:
            return _plural(seconds / size, word)
    return _plural(seconds, "second")


def format_bytes(count: float) -> str:
    """Binary units, as AWS writes SQS sizes: 1048576 → '1 MiB', 262144 → '256 KiB'."""
    for size, word in ((1024**3, "GiB"), (1024**2, "MiB"), (1024, "KiB")):
        if count >= size and count % size == 0:
            return f"{_group(count / size)} {word}"
    return _plural(count, "byte")


_UNIT_WORDS = {
    "messages": "message",
    "attempts": "attempt",
    "receives": "receive",
    "layers": "layer",
    "requests": "request",
    "executions": "execution",
    "chars": "character",
    "keys": "key",
    "subscriptions": "subscription",
}


def format_quantity(value: int | float | str | bool, unit: str) -> str:
    """How a value reads in prose and tables."""
    if isinstance(value, bool) or unit == "bool":
        return "yes" if value else "no"
    if isinstance(value, str) or unit == "text":
        return str(value)
    if unit == "s":
        return format_seconds(value)
    if unit == "ms":
        return _plural(value, "millisecond") if value < 1000 else format_seconds(value / 1000)
    if unit == "bytes":
        return format_bytes(value)
    if unit in SIZE_FACT_UNITS:
        return f"{_group(value)} {unit}"
    if unit == "USD":
        return f"${value:,.2f}"
    if unit == "percent":
        return f"{_group(value)}%"
    if unit == "count":
        return _group(value)
    word = _UNIT_WORDS.get(unit)
    if word is not None:
        return _plural(value, word)
    return f"{_group(value)} {unit}"


def format_range(low: int | float | str | bool, high: int | float | str | bool, unit: str) -> str:
    """'0 seconds – 12 hours', '128 – 10,240 MB'."""
    if unit in SIZE_FACT_UNITS - {"bytes"} or unit in COUNT_UNITS:
        low_text = _group(float(low)) if isinstance(low, int | float) else str(low)
        return f"{low_text} – {format_quantity(high, unit)}"
    return f"{format_quantity(low, unit)} – {format_quantity(high, unit)}"
