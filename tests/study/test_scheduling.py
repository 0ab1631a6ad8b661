"""fsrs ratings from quiz answers, and what each does to the next review date."""

from __future__ import annotations

import json
import zlib
from datetime import datetime, timedelta, timezone

import pytest

from studyaws.study.scheduling import Rating, card_id, rating_for, retrievability, review


@pytest.mark.parametrize(
    ("correct", "hinted", "duration_ms", "rating"),
    [
        (False, False, 1000, Rating.AGAIN),
        (False, True, None, Rating.AGAIN),
        (True, True, 1000, Rating.HARD),
        (True, False, 60_000, Rating.GOOD),
        (True, False, None, Rating.GOOD),
        (True, False, 4_000, Rating.EASY),
    ],
)
def test_rating_for_answers(
    correct: bool, hinted: bool, duration_ms: int | None, rating: Rating
) -> None:
    assert rating_for(correct, hinted=hinted, duration_ms=duration_ms) is rating


@pytest.mark.parametrize(
    ("rating", "after", "state"),
    [
        (Rating.AGAIN, timedelta(minutes=5), 1),  # Learning: due again in minutes
        (Rating.HARD, timedelta(minutes=7, seconds=30), 1),
        (Rating.GOOD, timedelta(days=2), 2),  # Review
        (Rating.EASY, timedelta(days=8), 2),
    ],
)
def test_a_miss_comes_back_in_minutes_a_right_answer_in_days(
    now: datetime, rating: Rating, after: timedelta, state: int
) -> None:
    """One learning step of 5 minutes: a miss is practised again the same day."""
    card, due = review(None, "sqs-visibility-max", rating, now, 5000)
    assert due == now + after
    data = json.loads(card)
    assert data["card_id"] == card_id("sqs-visibility-max")
    assert data["state"] == state


def test_a_lapse_relearns_in_minutes_then_returns_to_days(now: datetime) -> None:
    card, due = review(None, "q", Rating.GOOD, now)
    card, due2 = review(card, "q", Rating.AGAIN, due)
    assert due2 - due == timedelta(minutes=5)
    card, due3 = review(card, "q", Rating.GOOD, due2)
    assert due3 - due2 >= timedelta(days=1)


def test_schedules_are_deterministic(now: datetime) -> None:
    assert review(None, "q", Rating.GOOD, now) == review(None, "q", Rating.GOOD, now)


def test_card_ids_are_stable_ints() -> None:
    """Derived from the question id (crc32), never from the time a card was made."""
    assert card_id("sqs-visibility-max") == zlib.crc32(b"sqs-visibility-max")
    assert card_id("a") != card_id("b")


def test_only_utc_times(now: datetime) -> None:
    with pytest.raises(ValueError, match="UTC"):
        review(None, "q", Rating.GOOD, now.replace(tzinfo=None))
    with pytest.raises(ValueError, match="UTC"):
        review(None, "q", Rating.GOOD, now.astimezone(timezone(timedelta(hours=1))))


def test_recall_drops_with_time(now: datetime) -> None:
    card, due = review(None, "q", Rating.GOOD, now)
    assert retrievability(card, now) == pytest.approx(1.0)
    assert retrievability(card, now + timedelta(days=30)) < 0.8
    assert due.utcoffset() == timedelta(0)
