"""`studyaws export anki FILE.apkg [TOPIC…]` and `studyaws export csv FILE [TOPIC…]`.

Rules:
- One note (row) per question, the scenarios' predictions included: the prompt, the choices in
  the course's own order, the answer as text, the explanation, why each wrong choice is wrong, the
  section to read and the AWS pages behind the facts the question uses.
- The Anki deck is written by genanki (imported only here, only for this command). Its note type
  and deck ids are fixed numbers and each note's GUID comes from its question id, so exporting
  again and importing into Anki updates the notes already there instead of adding copies.
- Text is escaped for Anki's HTML fields; facts are filled in (`{fact:ID}` → its value).
- The file is written next to its final name and moved into place, so a failed export never
  leaves half a deck; a path that can't be written is one line and status 1.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyaws.content.model import Course, NumericAnswer, Question
from studyaws.errors import ExitStatus, StudyawsError, UsageError
from studyaws.ui import course as course_ui

if TYPE_CHECKING:
    from studyaws.ui.env import Env

# Fixed ids: Anki recognises the note type and the deck on every later import.
MODEL_ID = 1_607_392_319
DECK_ID = 2_059_400_110
_FACT = re.compile(r"\{fact:([a-z0-9_]+)\}")


@dataclass(frozen=True)
class Card:
    """A question as plain text fields, ready for a deck or a spreadsheet."""

    id: str
    topic: str
    type: str
    prompt: str
    choices: tuple[str, ...]
    answer: str
    explanation: str
    why_not: tuple[str, ...]
    read_more: str
    sources: tuple[str, ...]


def cards(course: Course, questions: Sequence[Question]) -> list[Card]:
    from studyaws.content.text import plain_inline, render_facts, strip_control

    def text(raw: str) -> str:
        return plain_inline(strip_control(render_facts(raw, course.facts))).strip()

    out = []
    for q in questions:
        keys = [k for k, _ in q.choices]
        choices = tuple(f"{i}. {text(t)}" for i, (_k, t) in enumerate(q.choices, start=1))
        out.append(
            Card(
                id=q.id,
                topic=q.topic,
                type=q.type,
                prompt=text(q.prompt),
                choices=choices,
                answer=_answer(q, keys, text),
                explanation=text(q.explanation),
                why_not=tuple(
                    f"{keys.index(k) + 1}. {text(q.choice_text(k))}: {text(why)}"
                    for k, why in q.why_not
                    if why and k in keys
                ),
                read_more=f"studyaws learn {q.topic} {q.section}",
                sources=_sources(course, q),
            )
        )
    return out


def _answer(q: Question, keys: list[str], text: Any) -> str:
    answer = q.answer
    if isinstance(answer, NumericAnswer):
        from studyaws.content.units import format_quantity

        shown = format_quantity(answer.value, answer.unit)
        return shown + (f" (± {format_quantity(q.tolerance, answer.unit)})" if q.tolerance else "")
    if isinstance(answer, bool):
        return "True" if answer else "False"
    if isinstance(answer, str):
        return f"{keys.index(answer) + 1}. {text(q.choice_text(answer))}"
    if isinstance(answer, tuple):
        joiner = " → " if q.type == "order" else "; "
        return joiner.join(f"{keys.index(k) + 1}. {text(q.choice_text(k))}" for k in answer)
    return ""


def _sources(course: Course, q: Question) -> tuple[str, ...]:
    texts = [q.prompt, q.explanation, *(t for _, t in q.choices), *(w for _, w in q.why_not)]
    ids = [*([q.fact] if q.fact else []), *(m for t in texts for m in _FACT.findall(t))]
    urls = [course.facts[i].source for i in dict.fromkeys(ids) if i in course.facts]
    return tuple(dict.fromkeys(urls))


def chosen(env: Env, course: Course, topics: Sequence[str]) -> list[Question]:
    known = course_ui.topic_ids(course)
    wanted = [t.lower() for t in topics] or known
    unknown = [t for t in wanted if t not in known]
    if unknown:
        raise UsageError(f"unknown topic '{unknown[0]}'; topics: {', '.join(known)}")
    from studyaws.study.selection import quizzable

    return [q for q in quizzable(course_ui.all_questions(env, course)) if q.topic in wanted]


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _write(path: Path, write: Any) -> None:
    """Write through a temporary file in the same directory, then move it into place."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise StudyawsError(f"can't write {path}: {directory} is not a directory")
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    os.close(handle)
    try:
        write(Path(temp))
        os.replace(temp, path)
    except OSError as exc:
        raise StudyawsError(f"can't write {path}: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def anki(env: Env, path: Path, topics: Sequence[str] = ()) -> int:
    import genanki

    course = course_ui.load(env)
    rows = cards(course, chosen(env, course, topics))
    model = genanki.Model(
        MODEL_ID,
        "studyaws question",
        fields=[{"name": n} for n in ("Question", "Answer", "Explanation", "WhyNot", "More", "Id")],
        templates=[
            {
                "name": "Card",
                "qfmt": "{{Question}}",
                "afmt": (
                    "{{FrontSide}}<hr id=answer><b>{{Answer}}</b><br><br>{{Explanation}}"
                    "{{#WhyNot}}<br><br><i>Why not:</i><br>{{WhyNot}}{{/WhyNot}}"
                    "<br><br><small>{{More}}</small>"
                ),
            }
        ],
        css=".card { font-family: sans-serif; font-size: 18px; text-align: left; }",
    )
    name = "studyaws" + (f"::{'+'.join(t.lower() for t in topics)}" if topics else "")
    deck = genanki.Deck(DECK_ID, name)
    for card in rows:
        question = _html(card.prompt)
        if card.choices:
            question += "<br><br>" + "<br>".join(_html(c) for c in card.choices)
        more = "<br>".join(
            [_html(card.read_more), *(f'<a href="{_html(u)}">{_html(u)}</a>' for u in card.sources)]
        )
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[
                    question,
                    _html(card.answer),
                    _html(card.explanation),
                    "<br>".join(_html(w) for w in card.why_not),
                    more,
                    _html(card.id),
                ],
                guid=genanki.guid_for(card.id),
                tags=[f"studyaws::{card.topic}", f"type::{card.type}"],
            )
        )
    _write(path, lambda temp: genanki.Package(deck).write_to_file(str(temp)))
    env.console.print(f"Wrote {len(rows)} notes to {path} (deck {name}).", markup=False)
    return int(ExitStatus.OK)


def csv_file(env: Env, path: Path, topics: Sequence[str] = ()) -> int:
    course = course_ui.load(env)
    rows = cards(course, chosen(env, course, topics))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "id",
            "topic",
            "type",
            "prompt",
            "choices",
            "answer",
            "explanation",
            "why_not",
            "read_more",
            "sources",
        ]
    )
    for card in rows:
        writer.writerow(
            [
                card.id,
                card.topic,
                card.type,
                card.prompt,
                "\n".join(card.choices),
                card.answer,
                card.explanation,
                "\n".join(card.why_not),
                card.read_more,
                "\n".join(card.sources),
            ]
        )
    _write(path, lambda temp: temp.write_text(buffer.getvalue(), encoding="utf-8"))
    env.console.print(f"Wrote {len(rows)} questions to {path}.", markup=False)
    return int(ExitStatus.OK)
