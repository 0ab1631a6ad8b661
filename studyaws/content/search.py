"""Search across the course: notes, facts and questions that mention all the words (pure).

A hit's score counts the words' occurrences; a section title counts twice and notes come first,
then facts, then questions. A snippet is a one-line excerpt around the first word found, whole
words only, with `…` where it leaves text out on either side (it is an excerpt, not a cut line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studyaws.content.model import Course
from studyaws.content.text import fact_display, render_facts


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str
    id: str
    topic: str
    title: str
    snippet: str
    command: str
    score: int


def _snippet(text: str, words: list[str], size: int = 110) -> str:
    flat = re.sub(r"\*\*|__|`", "", text)  # inline Markdown marks read badly in one line
    flat = re.sub(r"[*#|]+|-{3,}", " ", flat)
    flat = re.sub(r" +([.,;:!?)])", r"\1", flat)
    flat = re.sub(r"\s+", " ", flat).strip()
    lower = flat.lower()
    first = min((lower.find(w) for w in words if w in lower), default=0)
    start = max(0, first - size // 3)
    if start:  # begin and end on whole words
        space = flat.find(" ", start, first)
        start = space + 1 if space != -1 else start
    piece = flat[start : start + size]
    if start + size < len(flat) and " " in piece:
        piece = piece[: piece.rindex(" ")].rstrip(" ,;:")
    return ("…" if start else "") + piece + ("…" if start + size < len(flat) else "")


def find(course: Course, query: list[str]) -> list[Hit]:
    # `studyaws search "visibility  timeout"` is two words, however the shell split them.
    words = [w.lower() for part in query for w in part.split()]
    hits: list[Hit] = []

    def score(*texts: str) -> int:
        joined = " ".join(texts).lower()
        if not all(w in joined for w in words):
            return 0
        return sum(joined.count(w) for w in words)

    for topic in course.topics:
        for section in topic.sections:
            body = render_facts(section.body, course.facts)
            s = score(section.title, section.title, body)
            if s:
                hits.append(
                    Hit(
                        "note",
                        section.id,
                        topic.id,
                        f"{topic.title}: {section.title}",
                        _snippet(body, words),
                        f"studyaws learn {topic.id} {section.id}",
                        s + 5,
                    )
                )
    for fact in course.facts.values():
        s = score(fact.id, fact.statement, fact_display(fact))
        if s:
            hits.append(
                Hit(
                    "fact",
                    fact.id,
                    fact.topic,
                    fact.statement,
                    f"{fact_display(fact)} (source: {fact.source})",
                    f"studyaws learn {fact.topic}",
                    s,
                )
            )
    for question in course.questions:
        prompt = render_facts(question.prompt, course.facts)
        choices = " ".join(render_facts(t, course.facts) for _, t in question.choices)
        s = score(prompt, choices, " ".join(question.concepts))
        if s:
            hits.append(
                Hit(
                    "question",
                    question.id,
                    question.topic,
                    _snippet(prompt, words, 80),
                    "",
                    f"studyaws learn {question.topic} {question.section}",
                    s,
                )
            )
    order = {"note": 0, "fact": 1, "question": 2}
    return sorted(hits, key=lambda h: (order[h.kind], -h.score, h.topic, h.id))
