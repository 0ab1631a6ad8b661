"""A deduplication history: ids seen within an interval, for SQS FIFO queues and SNS FIFO topics.

AWS keeps a *history* of deduplication ids, not a check against what is stored: a duplicate inside
the interval is accepted and answered with the original message id, even if the original has been
deleted since (FIFO-05/06, SNS-06 in docs/fidelity.md). Entries are kept in insertion order, so
expired ones are dropped from the front as time passes.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def recent_duplicate(
    history: dict[K, tuple[int, str]], key: K, now_ms: int, interval_ms: int
) -> str | None:
    """The message id first sent under `key` within `interval_ms` before `now_ms`, else None."""
    while history:
        oldest = next(iter(history))
        if now_ms - history[oldest][0] < interval_ms:
            break
        del history[oldest]
    seen = history.get(key)
    return seen[1] if seen is not None else None
