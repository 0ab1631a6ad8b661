"""Progress figures from the store's rows: mastery, counts, due, streak, weakest concepts, history.

Rules:
- A question's mastery is fsrs's chance of recalling it now when its last answer was right, and 0
  when it was wrong, skipped or never seen. A topic's or concept's mastery is the mean over all of
  its questions in the course, so unseen questions count as not yet known.
- Weakest concepts are among those answered at least once: lowest mastery of the questions seen,
  then lowest share of right answers; concepts fully known (≥ 90 %, never missed) are left out.
- Days are UTC calendar days. The streak counts consecutive days with at least one answer, ending
  today, or yesterday when today has none yet (the streak is not lost before the day is over).
- `due_week` counts questions due within the next 7 days, overdue ones included.
- `now` is passed in; nothing here reads the clock.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from studyaws.content.model import Question
from studyaws.study import scheduling
from studyaws.study.store import CardRow, ReviewRow

HISTORY_DAYS = 30
WEAKEST = 5
KNOWN = 0.9


@dataclass(frozen=True, slots=True)
class Mastery:
    name: str
    questions: int
    seen: int
    answered: int
    correct: int
    mastery: float
    seen_mastery: float
    due_now: int
    due_week: int
    topic: str = ""
    topics: tuple[str, ...] = ()  # for a concept: every topic that has questions on it

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True, slots=True)
class Progress:
    answered: int
    correct: int
    topics: tuple[Mastery, ...]
    concepts: tuple[Mastery, ...]
    weakest: tuple[Mastery, ...]
    due_now: int
    due_week: int
    next_due: datetime | None
    streak_days: int
    history: tuple[tuple[date, int], ...]


@dataclass(frozen=True, slots=True)
class Tally:
    """Right answers out of asked, for one topic or concept of a finished quiz."""

    name: str
    right: int
    asked: int

    @property
    def share(self) -> float:
        return self.right / self.asked if self.asked else 0.0


def summarize(
    cards: Sequence[CardRow],
    reviews: Sequence[ReviewRow],
    questions: Sequence[Question],
    now: datetime,
    recall: Callable[[str, datetime], float] = scheduling.retrievability,
) -> Progress:
    by_id = {c.question_id: c for c in cards}
    last_right: dict[str, bool] = {}
    answered: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for r in reviews:  # oldest first: the last one wins
        last_right[r.question_id] = r.correct
        answered[r.question_id] += 1
        right[r.question_id] += int(r.correct)

    # Every question of the course, plus any card whose question has left the course.
    members: dict[str, tuple[str, tuple[str, ...]]] = {
        q.id: (q.topic, q.concepts) for q in questions
    }
    for c in cards:
        members.setdefault(c.question_id, (c.topic, c.concepts))

    def known(qid: str) -> float:
        card = by_id.get(qid)
        if card is None or not last_right.get(qid, False):
            return 0.0
        return recall(card.card, now)

    week = now + timedelta(days=7)

    def measure(
        name: str, ids: list[str], topic: str = "", topics: tuple[str, ...] = ()
    ) -> Mastery:
        seen = [qid for qid in ids if qid in by_id]
        scores = {qid: known(qid) for qid in ids}
        return Mastery(
            name=name,
            topic=topic,
            topics=topics,
            questions=len(ids),
            seen=len(seen),
            answered=sum(answered[q] for q in ids),
            correct=sum(right[q] for q in ids),
            mastery=sum(scores.values()) / len(ids) if ids else 0.0,
            seen_mastery=sum(scores[q] for q in seen) / len(seen) if seen else 0.0,
            due_now=sum(1 for q in seen if by_id[q].due <= now),
            due_week=sum(1 for q in seen if by_id[q].due <= week),
        )

    topic_ids: dict[str, list[str]] = defaultdict(list)
    concept_ids: dict[str, list[str]] = defaultdict(list)
    concept_topics: dict[str, Counter[str]] = defaultdict(Counter)
    for qid, (topic, tags) in sorted(members.items()):
        topic_ids[topic].append(qid)
        for concept in tags:
            concept_ids[concept].append(qid)
            concept_topics[concept][topic] += 1
    # A concept shared by topics is listed under the topic with most of its questions.
    concept_topic = {
        c: min(counts.items(), key=lambda item: (-item[1], item[0]))[0]
        for c, counts in concept_topics.items()
    }

    topics = tuple(measure(t, ids) for t, ids in topic_ids.items())
    concepts = tuple(
        measure(c, ids, concept_topic[c], tuple(sorted(concept_topics[c])))
        for c, ids in sorted(concept_ids.items())
    )
    weakest = tuple(
        sorted(
            (
                c
                for c in concepts
                if c.answered and (c.seen_mastery < KNOWN or c.correct < c.answered)
            ),
            key=lambda c: (c.seen_mastery, c.accuracy, c.name),
        )[:WEAKEST]
    )
    future = [c.due for c in cards if c.due > now]
    return Progress(
        answered=len(reviews),
        correct=sum(1 for r in reviews if r.correct),
        topics=topics,
        concepts=concepts,
        weakest=weakest,
        due_now=sum(1 for c in cards if c.due <= now),
        due_week=sum(1 for c in cards if c.due <= week),
        next_due=min(future) if future else None,
        streak_days=streak((r.answered_at for r in reviews), now.date()),
        history=history(reviews, now),
    )


def streak_from(days: set[date], today: date) -> int:
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def streak(times: Iterable[datetime], today: date | None = None) -> int:
    days = {t.date() for t in times}
    if not days:
        return 0
    return streak_from(days, today if today is not None else max(days))


def history(reviews: Sequence[ReviewRow], now: datetime) -> tuple[tuple[date, int], ...]:
    """Answers per UTC day for the last `HISTORY_DAYS` days, oldest first, today last."""
    per_day = Counter(r.answered_at.date() for r in reviews)
    today = now.date()
    return tuple(
        (day, per_day.get(day, 0))
        for day in (today - timedelta(days=i) for i in range(HISTORY_DAYS - 1, -1, -1))
    )


def tally(
    results: Iterable[tuple[Question, bool]], keys: Callable[[Question], Iterable[str]]
) -> tuple[Tally, ...]:
    """Right/asked for each key of the questions answered (`lambda q: (q.topic,)`, concepts,
    exam domains), weakest first."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for question, correct in results:
        for key in keys(question):
            counts[key][0] += int(correct)
            counts[key][1] += 1
    tallies = [Tally(name, r, a) for name, (r, a) in counts.items()]
    return tuple(sorted(tallies, key=lambda t: (t.share, -t.asked, t.name)))
