"""Loading the course for a command: content problems become one line and exit status 1."""

from __future__ import annotations

from studyaws.content.model import Course, Topic
from studyaws.content.problems import ContentError
from studyaws.errors import StudyawsError, UsageError
from studyaws.ui.env import Env


def load(env: Env) -> Course:
    """The validated course (bundled + learner dirs), cached on disk while content is unchanged."""
    from studyaws.ui.cache import cached, content_fingerprint

    def build() -> Course:
        from studyaws.content.loader import load_course

        return load_course(env.content_dirs)

    try:
        return cached(env, f"course-{content_fingerprint(env.content_dirs)}", build)
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
