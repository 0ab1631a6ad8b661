"""`studyaws quiz` and `studyaws review`: ask, grade, explain, remember.

Rules:
- Interactive (stdin and stdout are terminals): questions are asked through the `Prompter`
  (questionary, or `env.prompter` in tests). Otherwise plain: each question is printed with numbered
  choices and one answer is read per line from stdin (`2`, `1,3`, `900`, `12h`, `t`; blank or `?`
  skips; `h` shows the hint). An unreadable line is said once and asked again; end of input skips
  the rest and the summary follows.
- Every answer is saved (one transaction) as it is given, so Ctrl-C or a crash loses at most the
  answer being given. Ctrl-C prints the summary so far and exits 130.
- A skipped question counts as not known: it is saved as a miss (fsrs Again) so it comes back.
- Right or wrong is always said in words and a symbol, never by colour alone. After each answer
  (at the end with --exam): the explanation, why the chosen wrong option is wrong, and the section
  to read.
- `--exam`: `EXAM_SECONDS_PER_QUESTION` per question for the whole exam, the time left shown with
  each question; an answer given after time is up does not count; then a report by topic and
  concept, weakest first.
- `--json`: stdout holds only the result object. Piped, nothing else is printed except problems
  with answer lines (stderr); interactive, the questions and feedback go to stderr.
"""

from __future__ import annotations

import json
import random
import re
import shlex
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from studyaws.content.model import Course, NumericAnswer, Question
from studyaws.errors import ExitStatus, StudyawsError, UsageError
from studyaws.study import selection
from studyaws.study.grading import (
    TYPE_NAMES,
    AnswerValue,
    Parsed,
    Presented,
    Result,
    answer_hint,
    expected_answer,
    grade,
    parse_answer,
    to_json,
)
from studyaws.study.scheduling import rating_for
from studyaws.ui import course as course_ui
from studyaws.ui.course import open_store, topic_ids

if TYPE_CHECKING:
    from rich.console import Console

    from studyaws.study.store import Store
    from studyaws.ui.env import Env
    from studyaws.ui.prompts import Prompter

EXAM_SECONDS_PER_QUESTION = 90


class _EndOfInputError(Exception):
    """Piped input (or the test script) ran out: skip the rest and summarise."""


class _TimeUpError(Exception):
    """The exam's time is over."""


@dataclass
class Outcome:
    """One question of this session: `result` is None when it was never answered."""

    presented: Presented
    result: Result | None = None
    hinted: bool = False
    duration_ms: int | None = None
    late: bool = False


# -- entry points ---------------------------------------------------------------------------------


def quiz(
    env: Env,
    topic: str,
    *,
    n: int = 10,
    seed: int | None = None,
    concept: str | None = None,
    exam: bool = False,
    json_output: bool = False,
) -> int:
    course = course_ui.load(env)
    topic = topic.lower()
    known_topics = topic_ids(course)
    if topic != "all" and topic not in known_topics:
        raise UsageError(f"unknown topic '{topic}'; topics: {', '.join([*known_topics, 'all'])}")
    everything = selection.quizzable(course_ui.all_questions(env, course))
    pool = tuple(q for q in everything if topic == "all" or q.topic == topic)
    if concept is not None:
        concepts = selection.concepts_of(pool)
        if concept not in concepts and concept.lower() in concepts:
            concept = concept.lower()  # ids are lower case, as topics are
        if concept not in concepts:
            elsewhere = sorted({q.topic for q in everything if concept in q.concepts})
            if elsewhere:
                raise UsageError(
                    f"no {topic} questions on '{concept}'; it is in {', '.join(elsewhere)}: "
                    f"try studyaws quiz {elsewhere[0] if len(elsewhere) == 1 else 'all'} "
                    f"--concept {concept}"
                )
            where = "any topic" if topic == "all" else topic
            names = ", ".join(concepts) or "none"
            raise UsageError(f"unknown concept '{concept}' for {where}; concepts: {names}")
    if not pool:
        raise StudyawsError(f"there are no questions for '{topic}' yet")
    if seed is None:
        seed = new_seed()
    presented = selection.pick(pool, n, seed, concept=concept)
    # A learner's own content is part of what makes the quiz; the replay line names it too.
    content = "".join(f"--content {shlex.quote(str(d))} " for d in env.content_dirs)
    replay = f"studyaws {content}quiz {topic} -n {n} --seed {seed}"
    if concept is not None:
        replay += f" --concept {concept}"
    if exam:
        replay += " --exam"
    session = _Session(
        env,
        course,
        presented,
        title=topic,
        seed=seed,
        mode="exam" if exam else "quiz",
        json_output=json_output,
        replay=replay,
    )
    return session.run()


def review(env: Env, *, n: int = 20, json_output: bool = False) -> int:
    course = course_ui.load(env)
    now = env.now()
    by_id = {q.id: q for q in selection.quizzable(course_ui.all_questions(env, course))}
    with open_store(env) as store:
        all_dues = store.dues()
    dues = {qid: due for qid, due in all_dues.items() if qid in by_id}
    ids = selection.due_ids(dues, now, n)
    seed = new_seed()
    if not ids:
        later = sorted(due for due in dues.values() if due > now)
        if json_output:
            result: dict[str, Any] = _json_result("review", seed, [])
            result["next_due"] = later[0].isoformat() if later else None
            _print_json(env, result)
            return int(ExitStatus.OK)
        out = env.console
        if not all_dues:
            out.print(
                "Nothing to review yet: answer a few questions first, e.g. studyaws quiz sqs."
            )
        elif not dues:
            # Cards whose questions left the course (a changed meaning gets a new id).
            out.print("Nothing is due now: the questions you answered are no longer in the course.")
        else:
            first = later[0]
            same_day = sum(1 for due in later if due.date() == first.date())
            out.print(
                f"Nothing is due now. Next: {_count(same_day, 'question')} "
                f"{_when(first, now)} ({first:%Y-%m-%d %H:%M} UTC)."
            )
        return int(ExitStatus.OK)
    presented = selection.present_all([by_id[qid] for qid in ids], seed)
    session = _Session(
        env,
        course,
        presented,
        title="review",
        seed=seed,
        mode="review",
        json_output=json_output,
        replay="",
    )
    return session.run()


def new_seed() -> int:
    """A fresh, short seed (shown, so the quiz can be replayed)."""
    return random.SystemRandom().randrange(1, 10_000)


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def _when(due: datetime, now: datetime) -> str:
    days = (due.date() - now.date()).days
    if days <= 0:
        hours = max(1, round((due - now) / timedelta(hours=1)))
        return (
            f"in {_count(hours, 'hour')}" if due - now >= timedelta(hours=1) else "within the hour"
        )
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


def _print_json(env: Env, data: dict[str, Any]) -> None:
    env.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    env.stdout.flush()


def _json_result(title: str, seed: int, outcomes: Sequence[Outcome]) -> dict[str, Any]:
    questions = []
    for o in outcomes:
        result = o.result
        expected = expected_answer(o.presented.question)
        questions.append(
            {
                "id": o.presented.question.id,
                "given": to_json(result.given) if result is not None and not o.late else None,
                "expected": to_json(expected),
                "correct": bool(result is not None and result.correct and not o.late),
            }
        )
    return {
        "topic": title,
        "seed": seed,
        "total": len(outcomes),
        "correct": sum(1 for q in questions if q["correct"]),
        "questions": questions,
    }


# -- the session ----------------------------------------------------------------------------------


class _Session:
    def __init__(
        self,
        env: Env,
        course: Course,
        presented: Sequence[Presented],
        *,
        title: str,
        seed: int,
        mode: str,
        json_output: bool,
        replay: str,
    ) -> None:
        self.env = env
        self.course = course
        self.outcomes = [Outcome(p) for p in presented]
        self.title = title
        self.seed = seed
        self.mode = mode
        self.exam = mode == "exam"
        self.json_output = json_output
        self.replay = replay
        self.interactive = env.interactive
        self.prompter: Prompter | None = None
        # Piped --json: only the JSON on stdout, and no questions at all (nobody reads them).
        self.quiet = json_output and not self.interactive
        self.console: Console = env.err_console if json_output else env.console
        self.symbols = _symbols(env)
        self.store: Store | None = None
        self.save_failed = False
        self.deadline: float | None = None
        self.started = 0.0

    # -- text --------------------------------------------------------------------------------

    def text(self, raw: str) -> str:
        from studyaws.content.text import render_facts, strip_control
        from studyaws.ui.pages import plain_inline

        return plain_inline(strip_control(render_facts(raw, self.course.facts))).strip()

    def say(
        self, line: str = "", style: str | None = None, indent: int = 0, hanging: int = 0
    ) -> None:
        """Wrap to the console's width ourselves: no trailing blanks, hanging indents."""
        if self.quiet:
            return
        from rich.text import Text

        width = max(20, self.console.width - indent)
        lines: list[str] = []
        for paragraph in _reflow(line):
            wrapped = textwrap.wrap(
                paragraph,
                width,
                subsequent_indent=" " * hanging,
                break_on_hyphens=False,
                drop_whitespace=True,
            )
            lines.extend(" " * indent + part for part in wrapped or [""])
        self.console.print(Text("\n".join(lines), style=style or ""), soft_wrap=True)

    def flush(self) -> None:
        self.console.file.flush()  # the console may wrap the stream (trimming line ends)
        stream = self.env.stderr if self.json_output else self.env.stdout
        stream.flush()

    # -- the loop ------------------------------------------------------------------------------

    def run(self) -> int:
        self.store = open_store(self.env)
        self.started = self.env.monotonic()
        if self.exam:
            self.deadline = self.started + EXAM_SECONDS_PER_QUESTION * len(self.outcomes)
        status = ExitStatus.OK
        try:
            self.header()
            for number, outcome in enumerate(self.outcomes, start=1):
                self.ask(number, outcome)
        except (_EndOfInputError, _TimeUpError) as stop:
            if isinstance(stop, _TimeUpError):
                self.say()
                self.say("⏱ Time is up.", "bold")
        except KeyboardInterrupt:
            status = ExitStatus.INTERRUPTED
            self.say()
            self.say("Interrupted.", "bold")
        finally:
            self.store.close()
        self.finish(interrupted=status == ExitStatus.INTERRUPTED)
        return int(status)

    def header(self) -> None:
        total = len(self.outcomes)
        if self.mode == "review":
            self.say(f"Review: {_count(total, 'question')} due, most overdue first.", "bold")
        else:
            kind = "Exam" if self.exam else "Quiz"
            self.say(
                f"{kind}: {self.title}, {_count(total, 'question')} · seed {self.seed}", "bold"
            )
        if self.exam:
            minutes = EXAM_SECONDS_PER_QUESTION * total / 60
            self.say(
                f"Timed: {minutes:g} minutes in all ({EXAM_SECONDS_PER_QUESTION} s a question). "
                "Feedback comes at the end."
            )
        self.flush()

    def ask(self, number: int, outcome: Outcome) -> None:
        presented = outcome.presented
        q = presented.question
        self.check_time()
        self.say()
        heading = f"Question {number}/{len(self.outcomes)} · {q.topic} · {TYPE_NAMES[q.type]}"
        if self.deadline is not None:
            left = max(0, round(self.deadline - self.env.monotonic()))
            heading += f" · ⏱ {left // 60}:{left % 60:02d} left"
        self.say(heading, "bold cyan")
        self.say(self.text(q.prompt))
        start = self.env.monotonic()
        if self.interactive:
            given, hinted = self.ask_prompter(presented)
        else:
            given, hinted = self.ask_plain(presented)
        outcome.duration_ms = round((self.env.monotonic() - start) * 1000)
        outcome.hinted = hinted
        outcome.result = grade(q, given)
        if self.deadline is not None and self.env.monotonic() > self.deadline:
            outcome.late = True
            self.say("⏱ That answer came after the time was up; it does not count.")
            raise _TimeUpError
        self.save(outcome)
        if not self.exam:
            self.feedback(outcome)
        self.flush()

    def check_time(self) -> None:
        if self.deadline is not None and self.env.monotonic() >= self.deadline:
            raise _TimeUpError

    # -- asking: plain --------------------------------------------------------------------------

    def choice_lines(self, presented: Presented) -> None:
        q = presented.question
        if q.type == "truefalse":
            self.say("t. True", indent=2)
            self.say("f. False", indent=2)
            return
        for number, key in enumerate(presented.order, start=1):
            label = f"{number}. "
            self.say(label + self.text(q.choice_text(key)), indent=2, hanging=len(label))

    def ask_plain(self, presented: Presented) -> tuple[AnswerValue | None, bool]:
        q = presented.question
        self.choice_lines(presented)
        hinted = False
        how = answer_hint(presented)
        extras = "h hint, blank skips" if q.hint else "blank skips"
        while True:
            if not self.quiet:
                self.console.print(
                    f"Answer [{how}; {extras}]:", end=" ", markup=False, soft_wrap=True
                )
                self.flush()
            line = self.env.stdin.readline()
            if line == "":
                if not self.quiet:
                    self.console.print("")
                raise _EndOfInputError
            if not self.quiet:
                if self.env.stdin_isatty:
                    pass  # the terminal already echoed it
                else:
                    self.console.print(line.strip(), markup=False, highlight=False)
            parsed: Parsed = parse_answer(presented, line)
            if parsed.kind == "invalid":
                self.problem(parsed.problem)
                continue
            if parsed.kind == "hint":
                hinted = True
                self.show_hint(q)
                continue
            return (parsed.value if parsed.kind == "answer" else None), hinted

    def problem(self, message: str) -> None:
        if self.quiet:
            self.env.warn(message)
        else:
            self.say(f"! {message}. Try again.", "yellow", hanging=2)
        self.flush()

    def show_hint(self, q: Question) -> None:
        if q.hint:
            self.say(f"Hint: {self.text(q.hint)}", "italic")
        else:
            self.say("No hint for this one.", "italic")
        self.flush()

    # -- asking: interactive ----------------------------------------------------------------------

    def ask_prompter(self, presented: Presented) -> tuple[AnswerValue | None, bool]:
        from studyaws.ui.prompts import Action

        if self.prompter is None:
            self.prompter = self.env.prompter or _questionary_prompter()
        prompter = self.prompter
        q = presented.question
        hinted = False
        choices = [self.text(q.choice_text(key)) for key in presented.order]
        while True:
            hint = bool(q.hint) and not hinted
            reply: Any
            if q.type == "single":
                reply = prompter.choose("Your answer", choices, hint=hint)
                value: AnswerValue | Action | None = (
                    reply if isinstance(reply, Action) else presented.order[reply]
                )
            elif q.type == "truefalse":
                reply = prompter.choose("True or false?", ["True", "False"], hint=hint)
                value = reply if isinstance(reply, Action) else reply == 0
            elif q.type == "multi":
                reply = prompter.choose_many("Pick all that apply", choices, hint=hint)
                value = (
                    reply
                    if isinstance(reply, Action)
                    else tuple(sorted(presented.order[i] for i in reply))
                )
            elif q.type == "order":
                reply = prompter.arrange("Put in order", choices, hint=hint)
                value = (
                    reply if isinstance(reply, Action) else tuple(presented.order[i] for i in reply)
                )
            else:

                def check(text: str, presented: Presented = presented) -> str | None:
                    parsed = parse_answer(presented, text)
                    return parsed.problem or None

                how = answer_hint(presented)
                reply = prompter.enter(f"Your answer, {how}", hint=hint, validate=check)
                if isinstance(reply, Action):
                    value = reply
                else:
                    parsed = parse_answer(presented, reply)
                    value = parsed.value if parsed.kind == "answer" else Action.SKIP
            if value is Action.HINT:
                hinted = True
                self.show_hint(q)
                continue
            if value is Action.SKIP:
                return None, hinted
            return value, hinted

    # -- saving and feedback ----------------------------------------------------------------------

    def save(self, outcome: Outcome) -> None:
        import sqlite3

        result = outcome.result
        if result is None or self.store is None:
            return
        q = outcome.presented.question
        rating = rating_for(
            result.correct,
            hinted=outcome.hinted,
            duration_ms=outcome.duration_ms if self.interactive else None,
        )
        try:
            self.store.record(
                question_id=q.id,
                topic=q.topic,
                concepts=q.concepts,
                given=to_json(result.given),
                correct=result.correct,
                rating=rating,
                now=self.env.now(),
                duration_ms=outcome.duration_ms,
                hinted=outcome.hinted,
                mode=self.mode,
            )
        except sqlite3.Error as exc:
            if not self.save_failed:
                self.env.warn(f"could not save your answer ({exc}); the quiz goes on")
            self.save_failed = True

    def describe(self, presented: Presented, value: AnswerValue) -> str:
        q = presented.question
        if q.type == "numeric":
            from studyaws.content.units import format_quantity

            unit = q.answer.unit if isinstance(q.answer, NumericAnswer) else "count"
            number = value if isinstance(value, int | float) else 0.0
            text = format_quantity(number, unit)
            if q.tolerance:
                text += f" (± {format_quantity(q.tolerance, unit)})"
            return text
        if q.type == "truefalse":
            return "True" if value else "False"
        keys = (value,) if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]
        if q.type == "order":
            return " → ".join(self.text(q.choice_text(k)) for k in keys)
        numbered = sorted((presented.number_of(k), k) for k in keys)
        return "; ".join(f"{n}. {self.text(q.choice_text(k))}" for n, k in numbered)

    def say_answer(self, label: str, presented: Presented, value: AnswerValue) -> None:
        """One line, or for an order question one numbered step a line (a long chain of
        arrows is hard to follow)."""
        q = presented.question
        if q.type != "order" or isinstance(value, str | int | float | bool):
            self.say(f"{label} {self.describe(presented, value)}", indent=2)
            return
        keys = [str(k) for k in value]
        if not self.interactive:  # the choices were numbered: say it as it would be typed
            typed = " ".join(str(presented.number_of(k)) for k in keys)
            if label == "You said:":
                self.say(f"{label} {typed}", indent=2)  # their own lines are just above
                return
            label = f"{label.rstrip(':')} ({typed}):"
        self.say(label, indent=2)
        for number, key in enumerate(keys, start=1):
            step = f"{number}. "
            self.say(step + self.text(q.choice_text(key)), indent=4, hanging=len(step))

    def feedback(self, outcome: Outcome) -> None:
        result = outcome.result
        if result is None:
            return
        presented = outcome.presented
        q = presented.question
        if outcome.late:
            self.say(f"{self.symbols['skip']} Too late: the time was up.", "yellow")
        elif result.status == "correct":
            self.say(f"{self.symbols['good']} Correct", "bold green")
        elif result.status == "skipped":
            skipped = f"{self.symbols['skip']} Skipped (it will come back in review)."
            if q.type == "order":
                self.say(skipped, "yellow")
                self.say_answer("The answer:", presented, result.expected)
            else:
                answer = self.describe(presented, result.expected)
                self.say(f"{skipped} The answer: {answer}", "yellow")
        else:
            self.say(f"{self.symbols['bad']} Wrong", "bold red")
            if result.given is not None and q.type != "single":
                self.say_answer("You said:", presented, result.given)
            self.say_answer("The answer:", presented, result.expected)
        for key, why in result.why_not:
            chosen = self.text(q.choice_text(key))
            reason = self.text(why) if why else "it is not right here."
            self.say(f"Why not “{chosen}”: {reason}", indent=2)
        expected = result.expected
        all_missed = isinstance(expected, tuple) and set(result.missed) >= set(expected)
        if result.missed and result.status == "wrong" and not all_missed:
            # Only when some picks were right: missing all of them is "The answer" again.
            missed = self.describe(presented, result.missed)
            self.say(f"You missed: {missed}", indent=2)
        self.say(self.text(q.explanation), indent=2)
        self.say(f"Read more: studyaws learn {q.topic} {q.section}", "dim", indent=2)

    # -- the end -----------------------------------------------------------------------------

    def finish(self, *, interrupted: bool) -> None:
        answered = [o for o in self.outcomes if o.result is not None and not o.late]
        right = sum(1 for o in answered if o.result is not None and o.result.correct)
        total = len(self.outcomes)
        if self.exam and answered:
            self.say()
            self.say("Your answers", "bold")
            for number, o in enumerate(self.outcomes, start=1):
                if o.result is None:
                    continue
                self.say()
                self.say(f"Question {number}: {self.text(o.presented.question.prompt)}", "bold")
                self.feedback(o)
        self.say()
        percent = round(100 * right / total) if total else 0
        skipped = sum(1 for o in answered if o.result is not None and o.result.status == "skipped")
        unanswered = total - len(answered)
        extra = []
        if skipped:
            extra.append(f"{skipped} skipped")
        if unanswered:
            extra.append(f"{unanswered} not reached")
        tail = f" ({', '.join(extra)})" if extra else ""
        self.say(f"Score: {right}/{total} right, {percent}%{tail}", "bold")
        if self.exam and answered:
            self.exam_report(answered)
        missed = [o for o in answered if o.result is not None and not o.result.correct]
        if missed:
            sections = sorted(
                {(o.presented.question.topic, o.presented.question.section) for o in missed}
            )
            self.say("To read:", "bold")
            for topic, section in sections:
                self.say(f"studyaws learn {topic} {section}", indent=2)
            self.say("What you missed comes back in: studyaws review")
        if self.replay:
            line = f"Same quiz again: {self.replay}"
            if len(line) <= self.console.width:
                self.say(line, "dim")
            else:  # a command to copy stays whole, on a line of its own
                from rich.text import Text

                self.say("Same quiz again:", "dim")
                self.console.print(Text(f"  {self.replay}", style="dim"), soft_wrap=True)
        if interrupted and answered:
            verb = "is" if len(answered) == 1 else "are"
            self.say(f"Your {_count(len(answered), 'answer')} so far {verb} saved.")
        elif interrupted:
            self.say("No answer was given, so nothing was saved.")
        self.flush()
        if self.json_output:
            _print_json(self.env, _json_result(self.title, self.seed, self.outcomes))

    def exam_report(self, answered: Sequence[Outcome]) -> None:
        from studyaws.study.stats import tally

        topics, concepts = tally(
            (o.presented.question, bool(o.result and o.result.correct)) for o in answered
        )
        for label, rows in (("By topic", topics), ("By concept, weakest first", concepts)):
            self.say(label, "bold")
            for row in rows:
                self.say(
                    f"{row.right}/{row.asked} {round(100 * row.share):>3}%  {row.name}", indent=2
                )


# An indented line is a block the author laid out (a JSON policy, a sandbox command): kept as is.
_KEEP_BREAK = re.compile(r"^(\s|\s*([-*+] |\d+[.)] |\||```))")


def _reflow(text: str) -> list[str]:
    """Content's hard line breaks inside a paragraph are joined (the width is ours to choose);
    blank lines, list items, tables and indented code keep their lines."""
    out: list[str] = []
    for line in text.splitlines() or [""]:
        joinable = out and out[-1].strip() and line.strip() and not _KEEP_BREAK.match(line)
        if joinable and not _KEEP_BREAK.match(out[-1]):
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
    return out


def _questionary_prompter() -> Prompter:
    from studyaws.ui.prompts import QuestionaryPrompter

    return QuestionaryPrompter()


def _symbols(env: Env) -> dict[str, str]:
    """✓ ✗ – where the output encoding has them, else ASCII (the words are always there too)."""
    encoding = getattr(env.stdout, "encoding", None) or "utf-8"
    try:
        "✓✗–⏱→“”".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return {"good": "[ok]", "bad": "[x]", "skip": "[-]"}
    return {"good": "✓", "bad": "✗", "skip": "–"}
