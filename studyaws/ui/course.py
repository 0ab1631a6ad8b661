"""What a command opens: the course and the learner's progress store, errors as one line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from studyaws.content.model import Course, Question, Topic
from studyaws.content.problems import ContentError
from studyaws.errors import StudyawsError, UsageError
from studyaws.ui.env import Env

if TYPE_CHECKING:
    from studyaws.study.store import Store


def load(env: Env) -> Course:
    """The validated course (bundled + learner dirs), cached on disk while content is unchanged."""
    from studyaws.ui.cache import cached, content_fingerprint

    def build() -> Course:
        from studyaws.scenarios.check import load_course

        return load_course(env.content_dirs)

    fingerprint = content_fingerprint(env.content_dirs)
    name = f"course-{fingerprint}" if fingerprint is not None else None
    try:
        return cached(env, name, build, Course)
    except ContentError as exc:
        count = len(exc.problems)
        more = f" (and {count - 1} more; run 'studyaws validate')" if count > 1 else ""
        raise StudyawsError(f"{exc.problems[0]}{more}") from None


def find_topic(course: Course, topic_id: str) -> Topic:
    topic = course.topic(topic_id.lower())
    if topic is None:
        known = ", ".join(t.id for t in course.topics) or "none"
        raise UsageError(f"unknown topic '{topic_id}'; topics: {known}")
    return topic


def all_questions(env: Env, course: Course) -> tuple[Question, ...]:
    """The bank plus one `predict` question per scenario checkpoint, answered by the engine.

    Playing every scenario takes a few milliseconds each, so the result is cached with the course,
    under a key of the content files *and* the code that plays them (the engine, the sandbox, the
    scenario runner): an upgrade that changes a rule of the engine changes the answers at once.
    """
    from studyaws.ui.cache import cached, content_fingerprint

    def build() -> tuple[Question, ...]:
        from studyaws.scenarios.questions import predict_questions

        return tuple(predict_questions(course.scenarios.values()))

    fingerprint = content_fingerprint(env.content_dirs)
    name = f"predict-{fingerprint}" if fingerprint is not None else None
    predicted = cached(env, name, build, tuple[Question, ...])
    return course.questions + predicted


@dataclass(frozen=True, slots=True)
class Counts:
    """What a topic has to ask, counted one way everywhere (topics, welcome, progress)."""

    questions: int  # written in the bank
    predictions: int  # one per checkpoint of the topic's scenarios
    scenarios: int

    @property
    def total(self) -> int:
        return self.questions + self.predictions

    def text(self) -> str:
        """`86 questions + 21 predictions`."""
        words = [f"{self.questions} question{'' if self.questions == 1 else 's'}"]
        if self.predictions:
            words.append(f"{self.predictions} prediction{'' if self.predictions == 1 else 's'}")
        return " + ".join(words)


def counts(course: Course, topic_id: str) -> Counts:
    scenarios = [s for s in course.scenarios.values() if s.topic == topic_id]
    return Counts(
        questions=len(course.questions_for(topic_id)),
        predictions=sum(len(s.checkpoints) for s in scenarios),
        scenarios=len(scenarios),
    )


def topic_ids(course: Course) -> list[str]:
    """Topic ids in course order, then any topic only questions name (a learner's content)."""
    ids = [t.id for t in course.topics]
    return ids + sorted({q.topic for q in course.questions} - set(ids))


SHOW_BUSY_TIMEOUT_MS = 2_000


def open_store(env: Env, busy_timeout_ms: int | None = None) -> Store:
    """The progress store under `env.data_dir`; a problem opening it is a StoreError (one line,
    status 1)."""
    from studyaws.study.store import Store

    return Store.open(env.data_dir, env.now(), warn=env.warn, busy_timeout_ms=busy_timeout_ms)


def existing_store(env: Env, shown: str) -> Store | None:
    """The progress store for a command that only *shows* progress (`shown`: what of it).

    None before the learner's first answer (nothing is created), and None after one warning
    when the store can't be opened: the command goes on without it."""
    import os

    from studyaws.study.store import DB_NAME

    try:
        os.lstat(env.data_dir / DB_NAME)  # a dangling link is there, and worth a warning
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError):
        pass  # unreadable: opening it says why
    from studyaws.study import store

    try:
        # Only shown: waiting 2 s for another program's lock is enough before going on without.
        return open_store(env, min(store.BUSY_TIMEOUT_MS, SHOW_BUSY_TIMEOUT_MS))
    except StudyawsError as exc:
        env.warn(f"{shown} not shown: {exc.message}")
        return None
