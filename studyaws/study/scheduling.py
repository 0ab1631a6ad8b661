"""Spaced repetition with fsrs: one card per question, reviewed after every answer.

Rules:
- Ratings (a project decision, fsrs-notes §8): wrong or skipped ⇒ Again; right after a hint ⇒
  Hard; right ⇒ Good; right and quick (an interactive answer within `QUICK_MS`) ⇒ Easy. Piped
  answers have no meaningful duration, so they are never Easy.
- One learning step and one relearning step of `STEP` (5 minutes), as Anki and FSRS do for a
  miss: a question answered wrong (or skipped) is due again in 5 minutes, so `review` practises
  today's misses the same day (`review --ahead 30m` even sooner); right after a hint (Hard) it
  is due in 7.5 minutes. Right the first time (Good) goes straight to the Review state: 2 days,
  Easy 8 days with the default weights. A lapse of a learnt question relearns in 5 minutes too.
- No fuzzing: fsrs fuzzes with the module-level `random`, which would make schedules unreproducible.
- Card ids are stable ints derived from question ids (crc32), never fsrs's time-based default.
- Times are passed in and must be UTC. `fsrs` is imported on first use only (start-up time).
"""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime
from enum import IntEnum
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fsrs import Scheduler

QUICK_MS = 10_000
STEP_MINUTES = 5


class Rating(IntEnum):
    """fsrs's ratings, mirrored so callers needn't import fsrs."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


def rating_for(correct: bool, *, hinted: bool = False, duration_ms: int | None = None) -> Rating:
    if not correct:
        return Rating.AGAIN
    if hinted:
        return Rating.HARD
    if duration_ms is not None and duration_ms <= QUICK_MS:
        return Rating.EASY
    return Rating.GOOD


def card_id(question_id: str) -> int:
    return zlib.crc32(question_id.encode("utf-8"))


@cache
def scheduler() -> Scheduler:
    from datetime import timedelta

    from fsrs import Scheduler

    steps = (timedelta(minutes=STEP_MINUTES),)
    return Scheduler(learning_steps=steps, relearning_steps=steps, enable_fuzzing=False)


def _utc(when: datetime) -> datetime:
    if when.tzinfo is None or when.utcoffset() != UTC.utcoffset(None):
        raise ValueError(f"times must be UTC-aware, got {when!r}")
    return when.astimezone(UTC)


def review(
    card_json: str | None,
    question_id: str,
    rating: Rating,
    now: datetime,
    duration_ms: int | None = None,
) -> tuple[str, datetime]:
    """Review a question's card (a new one when `card_json` is None): the new card JSON and due."""
    from fsrs import Card
    from fsrs import Rating as FsrsRating

    at = _utc(now)
    card = Card.from_json(card_json) if card_json else Card(card_id=card_id(question_id), due=at)
    card, _log = scheduler().review_card(
        card, FsrsRating(int(rating)), review_datetime=at, review_duration=duration_ms
    )
    return card.to_json(), _utc(card.due)


def retrievability(card_json: str, now: datetime) -> float:
    """The chance (0–1) of recalling the card's question at `now`, by fsrs."""
    from fsrs import Card

    card = Card.from_json(card_json)
    return float(scheduler().get_card_retrievability(card, _utc(now)))


def card_due(card_json: str) -> datetime:
    data: dict[str, Any] = json.loads(card_json)
    return datetime.fromisoformat(str(data["due"])).astimezone(UTC)


def card_last_review(card_json: str) -> datetime | None:
    data: dict[str, Any] = json.loads(card_json)
    last = data.get("last_review")
    return None if last is None else datetime.fromisoformat(str(last)).astimezone(UTC)


def check_card(card_json: str) -> None:
    """Raise ValueError unless fsrs can schedule this card (one read from an import file).

    A card fsrs can't load, with a time that isn't UTC-aware or with a stability that gives no
    recall chance would otherwise be stored and break every later quiz and `progress`.
    """
    import math

    from fsrs import Card

    try:
        card = Card.from_json(card_json)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        name = type(exc).__name__
        raise ValueError(f"not an fsrs card ({name}: {exc})") from None
    for label, when in (("due", card.due), ("last_review", card.last_review)):
        if when is not None and (when.tzinfo is None or when.utcoffset() != UTC.utcoffset(None)):
            raise ValueError(
                f'"{label}" must be a UTC time with its offset, got {when.isoformat()}'
            )
    for label, number in (("stability", card.stability), ("difficulty", card.difficulty)):
        if number is not None and not (math.isfinite(number) and number > 0):
            raise ValueError(f'"{label}" must be a positive number, got {number!r}')
    if card.last_review is not None:
        chance = scheduler().get_card_retrievability(card, card.last_review)
        if not 0.0 <= chance <= 1.0:
            raise ValueError("its recall chance can't be computed")
