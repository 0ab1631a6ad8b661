"""`studyaws progress`: mastery bars, counts, what is due, streak, weakest concepts, 30-day history.

Rules:
- One of: the view (default, or `--json`), `--export FILE`, `--import FILE`, `--reset [TOPIC]`.
- `--reset` asks for confirmation on a terminal; without one it needs `--yes` (never a silent wipe).
- Rows are two lines (name and bar, then counts) so the view reads at 40 columns; bars and the
  history chart fall back to ASCII where the output encoding has no block characters. Colour only on
  a terminal without NO_COLOR; the numbers are always written out.
"""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyaws.errors import ExitStatus, StudyawsError, UsageError, printable
from studyaws.ui import course as course_ui

if TYPE_CHECKING:
    from studyaws.study.stats import Mastery, Progress
    from studyaws.study.store import Store
    from studyaws.ui.env import Env

SPARKS = "▁▂▃▄▅▆▇█"
ASCII_SPARKS = ".:-=+*#%"


def progress(
    env: Env,
    *,
    json_output: bool = False,
    export: Path | None = None,
    import_: Path | None = None,
    reset: str | None = None,
    yes: bool = False,
) -> int:
    chosen = [name for name, v in (("--export", export), ("--import", import_)) if v is not None]
    if reset is not None:
        chosen.append("--reset")
    if len(chosen) > 1:
        raise UsageError(f"use one of {', '.join(chosen)} at a time")
    if reset is not None:
        return _reset(env, reset, yes=yes, json_output=json_output)
    if export is not None:
        return _export(env, export, json_output=json_output)
    if import_ is not None:
        return _import(env, import_, json_output=json_output)
    return _show(env, json_output=json_output)


# -- the view -------------------------------------------------------------------------------------


def summary(env: Env, store: Store | None = None) -> Progress:
    """The learner's progress, read from `store` (closed afterwards) or the one they have."""
    from studyaws.study.selection import quizzable
    from studyaws.study.stats import summarize
    from studyaws.ui import course as course_ui
    from studyaws.ui.course import open_store

    course = course_ui.load(env)
    with store if store is not None else open_store(env) as opened:
        cards, reviews = opened.cards(), opened.reviews()
    # The quiz's pool (the bank and the scenarios' predictions), so a topic's count of questions
    # doesn't grow as the learner meets the scenario ones.
    questions = quizzable(course_ui.all_questions(env, course))
    return summarize(cards, reviews, questions, env.now())


def _mastery_json(m: Mastery, key: str) -> dict[str, Any]:
    data: dict[str, Any] = {key: m.name}
    if key == "concept":
        data["topic"] = m.topic
    data.update(
        questions=m.questions,
        seen=m.seen,
        answered=m.answered,
        correct=m.correct,
        mastery=round(m.mastery, 3),
        due_now=m.due_now,
        due_week=m.due_week,
    )
    return data


def progress_json(p: Progress) -> dict[str, Any]:
    return {
        "answered": p.answered,
        "correct": p.correct,
        "due_now": p.due_now,
        "due_week": p.due_week,
        "next_due": p.next_due.isoformat() if p.next_due else None,
        "streak_days": p.streak_days,
        "topics": [_mastery_json(t, "topic") for t in p.topics],
        "concepts": [_mastery_json(c, "concept") for c in p.concepts],
        "weakest": [c.name for c in p.weakest],
        "history": [{"date": d.isoformat(), "answered": count} for d, count in p.history],
    }


class _Writer:
    def __init__(self, env: Env) -> None:
        self.env = env
        self.console = env.console
        encoding = getattr(env.stdout, "encoding", None) or "utf-8"
        try:
            (SPARKS + "░·").encode(encoding)
            self.unicode = True
        except (UnicodeEncodeError, LookupError):
            self.unicode = False

    def say(
        self, line: str = "", style: str = "", indent: int = 0, hanging: int = 0, wrap: bool = True
    ) -> None:
        """`wrap=False` for a command to copy: one line, even past the edge of a narrow screen."""
        from rich.text import Text

        line = printable(line)  # topic and concept names may come from an imported file
        width = max(20, self.console.width - indent) if wrap else len(line) + 1
        lines = textwrap.wrap(
            line, width, subsequent_indent=" " * hanging, break_on_hyphens=False
        ) or [""]
        body = "\n".join(" " * indent + part for part in lines)
        self.console.print(Text(body, style=style), soft_wrap=True)

    def bar(self, share: float, width: int) -> str:
        filled = round(max(0.0, min(1.0, share)) * width)
        full, empty = ("█", "░") if self.unicode else ("#", "-")
        return full * filled + empty * (width - filled)

    def spark(self, counts: Sequence[int]) -> str:
        marks = SPARKS if self.unicode else ASCII_SPARKS
        top = max(counts) if counts else 0
        zero = "·" if self.unicode else " "
        if top == 0:
            return zero * len(counts)
        return "".join(
            zero if c == 0 else marks[min(len(marks) - 1, (c * len(marks) - 1) // top)]
            for c in counts
        )

    def row(self, name: str, m: Mastery, name_width: int, indent: int = 0, of: str = "") -> None:
        """A bar and its counts; `of` says what they count (`86 questions + 21 predictions`)."""
        from rich.text import Text

        name = printable(name)
        width = self.console.width - indent
        bar_width = max(5, min(20, width - name_width - 7))
        if name_width + bar_width + 7 > width:
            self.say(name, "bold", indent)
            head = ""
        else:
            head = name.ljust(name_width) + " "
        line = Text(" " * indent + head)
        line.append(self.bar(m.mastery, bar_width), style="green")
        line.append(f" {round(100 * m.mastery):>3}%")
        self.console.print(line, soft_wrap=True)
        counts = f"{m.seen}/{m.questions} seen{f' ({of})' if of else ''}"
        counts += f" · {m.correct}/{m.answered} right"
        if m.due_now or m.due_week:
            counts += f" · due {m.due_now} now, {m.due_week} this week"
        self.say(counts, "dim", indent + 2)


def _show(env: Env, *, json_output: bool) -> int:
    p = summary(env)
    if json_output:
        env.stdout.write(json.dumps(progress_json(p)) + "\n")
        return int(ExitStatus.OK)
    out = _Writer(env)
    if not p.answered:
        out.say("No answers yet. Start with: studyaws quiz sqs")
        return int(ExitStatus.OK)
    days = f"{p.streak_days} day{'' if p.streak_days == 1 else 's'}"
    out.say(f"Progress: {p.correct}/{p.answered} answers right · streak {days}", "bold")
    due = f"Due now: {p.due_now} · within 7 days: {p.due_week}"
    if p.next_due is not None and not p.due_now:
        due += f" · next {p.next_due:%Y-%m-%d %H:%M} UTC"
    out.say(due + (" · studyaws review" if p.due_now else ""))
    out.say()
    out.say("Mastery by topic", "bold")
    name_width = max(len(t.name) for t in p.topics) if p.topics else 0
    course = course_ui.load(env)
    for topic in p.topics:
        out.row(
            topic.name, topic, name_width, indent=2, of=course_ui.counts(course, topic.name).text()
        )
    started = [c for c in p.concepts if c.answered]
    if started:
        out.say()
        out.say("Mastery by concept", "bold")
        width = min(24, max(len(c.name) for c in started))
        for topic in p.topics:
            rows = [c for c in started if c.topic == topic.name]
            if not rows:
                continue
            out.say(topic.name, "bold", 2)
            for concept in rows:
                out.row(concept.name, concept, width, indent=4)
        left = len(p.concepts) - len(started)
        if left:
            out.say(f"{left} more concept{'' if left == 1 else 's'} not started yet.", "dim", 2)
    if p.weakest:
        out.say()
        out.say("Weakest concepts", "bold")
        for number, c in enumerate(p.weakest, start=1):
            label = f"{number}. "
            out.say(
                f"{label}{c.name}: {c.correct}/{c.answered} right, "
                f"{round(100 * c.seen_mastery)}% recalled now",
                indent=2,
                hanging=len(label),
            )
            # A concept asked in several topics is practised across all of them.
            where = c.topic if len(c.topics) <= 1 else "all"
            command = f"studyaws quiz {where} --concept {c.name}"
            out.say(command, "dim", indent=2 + len(label), wrap=False)
    _flags(env, out)
    out.say()
    counts = [count for _day, count in p.history]
    out.say(f"Last {len(counts)} days (most {max(counts)} answers a day)", "bold")
    out.say(out.spark(counts), "cyan", 2)
    first = p.history[0][0]
    out.say(f"{first:%b %d}".ljust(len(counts) - 5) + "today", "dim", 2)
    return int(ExitStatus.OK)


def flagged(env: Env) -> list[tuple[str, str]]:
    """The flagged questions still in the course: (id, prompt's first line), oldest flag first."""
    from studyaws.ui.course import open_store

    course = course_ui.load(env)
    by_id = {q.id: q for q in course_ui.all_questions(env, course)}
    with open_store(env) as store:
        flags = store.flags()
    out = []
    for qid, _when in sorted(flags.items(), key=lambda item: item[1]):
        if qid in by_id:
            out.append((qid, by_id[qid].prompt.strip().split("\n")[-1]))
    return out


def _flags(env: Env, out: _Writer) -> None:
    rows = flagged(env)
    if not rows:
        return
    out.say()
    out.say(f"Flagged ({len(rows)}): studyaws quiz all --flagged", "bold")
    for qid, prompt in rows:
        out.say(f"{qid}: {prompt}", indent=2, hanging=4)


# -- export / import / reset ----------------------------------------------------------------------


def _export(env: Env, path: Path, *, json_output: bool) -> int:
    from studyaws.ui.course import open_store

    with open_store(env) as store:
        data = store.export(env.now())
    try:
        # 0600 like the store itself: an export is the learner's history, not the world's.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(data, indent=1) + "\n")
    except OSError as exc:
        raise StudyawsError(f"can't write {path}: {exc.strerror or exc}") from None
    cards, reviews = len(data["cards"]), len(data["reviews"])
    if json_output:
        env.stdout.write(json.dumps({"exported": str(path), "cards": cards, "reviews": reviews}))
        env.stdout.write("\n")
    else:
        env.console.print(
            f"Wrote {cards} cards and {reviews} answers to {printable(str(path))}.",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    return int(ExitStatus.OK)


def _import(env: Env, path: Path, *, json_output: bool) -> int:
    from studyaws.study.store import BadExportError, load_export
    from studyaws.ui.course import open_store

    data = load_export(path)
    with open_store(env) as store:
        try:
            cards, reviews = store.import_(data, env.now())
        except BadExportError as exc:
            raise StudyawsError(f"{path}: {exc.message}") from None
    if json_output:
        env.stdout.write(json.dumps({"imported": str(path), "cards": cards, "reviews": reviews}))
        env.stdout.write("\n")
    else:
        env.console.print(
            f"Imported {cards} cards and {reviews} answers from {printable(str(path))}.",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    return int(ExitStatus.OK)


def _reset(env: Env, topic: str, *, yes: bool, json_output: bool) -> int:
    from studyaws.ui import course as course_ui
    from studyaws.ui.course import open_store, topic_ids

    topic = topic.lower()
    if topic != "all":
        known = topic_ids(course_ui.load(env))
        if topic not in known:
            raise UsageError(f"unknown topic '{topic}'; topics: {', '.join([*known, 'all'])}")
    what = "all your progress" if topic == "all" else f"your progress on {topic}"
    if not yes:
        if not env.interactive:
            raise UsageError(f"--reset forgets {what}: add --yes to confirm (no terminal to ask)")
        prompter = env.prompter
        if prompter is None:
            from studyaws.ui.prompts import TerminalPrompter

            prompter = TerminalPrompter()
        if not prompter.confirm(f"Forget {what}? This can't be undone.", default=False):
            env.console.print("Nothing was reset.")
            return int(ExitStatus.OK)
    with open_store(env) as store:
        removed = store.reset(None if topic == "all" else topic)
    if json_output:
        env.stdout.write(json.dumps({"reset": topic, "cards": removed}) + "\n")
    else:
        env.console.print(
            f"Forgot {what} ({removed} cards).", markup=False, highlight=False, soft_wrap=True
        )
    return int(ExitStatus.OK)
