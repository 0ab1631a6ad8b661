"""`studyaws quiz` and `studyaws review`: ask, grade, explain, remember; a mock exam.

The flow of a session (ask → grade → save → feedback → timer) is `study.session.Session`; this
module shows it and reads the answers.

Rules:
- Interactive (stdin and stdout are terminals): the question is printed, then its choices are
  asked through the `Prompter` (prompt_toolkit, or `env.prompter` in tests), which draws each
  choice whole, wrapped at the terminal's width. A question longer than the screen is shown a
  screenful at a time, so nothing scrolls away before the learner has pressed a key. After the
  feedback the quiz waits for a key: Enter goes on, `w` shows why the other choices are wrong,
  `f` flags the question, `q` ends the quiz.
- Otherwise plain: each question with numbered choices, one answer read per line from stdin
  (`2`, `1,3`, `900`, `12h`, `t`; blank or `?` skips; `h` shows the hint; `f` flags). A line that
  can't be read is said and asked again, three times at most: then the question counts as skipped.
  End of input skips the rest and the summary follows.
- Every answer is saved as it is given (one transaction), so Ctrl-C or a crash loses at most the
  answer being given; "saved" is said only when it was. Ctrl-C prints the summary so far and
  exits 130.
- Right or wrong is said in words and a symbol, never by colour alone. The answer is said as
  `(3) 3 s`: the number the learner would pick, then the choice's text.
- `--exam`: a mock exam, timed for the whole (`--minutes`, by default the exam's own pace of two
  minutes a question), with no hints and no feedback until the end; the time left counts down
  while the learner thinks, turns yellow at a tenth, and ends the exam by itself. The report
  explains every question answered (one answered after the time is marked so and not counted)
  and scores it by topic, exam domain and concept, weakest first.
- `--json`: stdout holds only the result object, with each answer as text (`given`, `expected`)
  and as choice keys (`given_key`, `expected_key`). Piped, nothing else is printed except problems
  with answer lines (stderr); interactive, the questions and feedback go to stderr.
"""

from __future__ import annotations

import json
import random
import re
import shlex
import textwrap
from collections.abc import Sequence
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
    answer_hint,
    expected_answer,
    parse_answer,
    to_json,
)
from studyaws.study.session import Item, Mode, Session
from studyaws.ui import course as course_ui
from studyaws.ui.course import open_store, topic_ids
from studyaws.words import plural

if TYPE_CHECKING:
    from rich.console import Console

    from studyaws.study.store import Store
    from studyaws.ui.env import Env
    from studyaws.ui.prompts import Ask, Prompter

QUIZ_QUESTIONS = 10
UNREADABLE_LINES = 3
_CHOOSE = re.compile(r"\(choose (\w+)\.?\)", re.IGNORECASE)
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5}


class _EndOfInputError(Exception):
    """Piped input (or the test script) ran out: skip the rest and summarise."""


class _TimeUpError(Exception):
    """The exam's time is over."""


class _QuitError(Exception):
    """The learner pressed q after a question."""


# -- entry points ---------------------------------------------------------------------------------


def quiz(
    env: Env,
    topic: str,
    *,
    n: int | None = None,
    seed: int | None = None,
    concept: str | None = None,
    exam: bool = False,
    minutes: float | None = None,
    flagged: bool = False,
    json_output: bool = False,
) -> int:
    course = course_ui.load(env)
    topic = topic.lower()
    known_topics = topic_ids(course)
    if topic != "all" and topic not in known_topics:
        raise UsageError(f"unknown topic '{topic}'; topics: {', '.join([*known_topics, 'all'])}")
    if minutes is not None and not (0 < minutes <= 600):  # also refuses nan
        raise UsageError(f"--minutes must be more than 0 and at most 600, not {minutes:g}")
    if minutes is not None and not exam:
        raise UsageError("--minutes goes with --exam")
    if n is not None and n < 1:
        raise UsageError(f"-n must be 1 or more, not {n}")
    everything = selection.quizzable(course_ui.all_questions(env, course))
    pool = tuple(q for q in everything if topic == "all" or q.topic == topic)
    if concept is not None:
        concept = _concept(concept, topic, pool, everything)
        pool = tuple(q for q in pool if concept in q.concepts)
    if flagged:
        with open_store(env) as store:
            marked = set(store.flags())
        pool = tuple(q for q in pool if q.id in marked)
        if not pool:
            where = "" if topic == "all" else f" in {topic}"
            raise StudyawsError(
                f"no flagged questions{where}: press f on a question in a quiz to flag it"
            )
    if not pool:
        raise StudyawsError(f"there are no questions for '{topic}' yet")
    if seed is None:
        seed = new_seed()
    if exam:
        count = min(n or selection.EXAM_QUESTIONS, len(pool))
        presented = selection.pick_exam(pool, count, seed)
        per_question = selection.EXAM_MINUTES / selection.EXAM_QUESTIONS
        seconds = 60 * (minutes if minutes is not None else per_question * count)
    else:
        presented = selection.pick(pool, n or QUIZ_QUESTIONS, seed)
        seconds = None
    # A learner's own content is part of what makes the quiz; the replay line names it too.
    content = "".join(f"--content {shlex.quote(str(d))} " for d in env.content_dirs)
    replay = f"studyaws {content}quiz {topic} -n {len(presented)} --seed {seed}"
    if concept is not None:
        replay += f" --concept {concept}"
    if flagged:
        replay += " --flagged"
    if exam:
        replay += f" --exam --minutes {seconds / 60:g}" if seconds is not None else " --exam"
    ui = QuizUI(
        env,
        course,
        presented,
        mode="exam" if exam else "quiz",
        title=topic,
        seed=seed,
        seconds=seconds,
        json_output=json_output,
        replay=replay,
    )
    return ui.run()


def _concept(
    concept: str, topic: str, pool: Sequence[Question], everything: Sequence[Question]
) -> str:
    concepts = selection.concepts_of(pool)
    if concept not in concepts and concept.lower() in concepts:
        concept = concept.lower()  # ids are lower case, as topics are
    if concept in concepts:
        return concept
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


def parse_ahead(text: str) -> timedelta:
    """`30m`, `2h`, `1d`, `90` (seconds) → a timedelta, for `review --ahead`."""
    match = re.fullmatch(r"\s*(\d{1,6})\s*([smhd]?)\s*", text)
    if match is None:
        raise UsageError(f"--ahead takes a duration like 30m, 2h or 1d, not '{text}'")
    unit = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]
    return timedelta(seconds=int(match.group(1)) * unit)


def review(
    env: Env,
    *,
    n: int = 20,
    ahead: str | None = None,
    missed: bool = False,
    json_output: bool = False,
) -> int:
    course = course_ui.load(env)
    now = env.now()
    window = parse_ahead(ahead) if ahead is not None else timedelta(0)
    by_id = {q.id: q for q in selection.quizzable(course_ui.all_questions(env, course))}
    with open_store(env) as store:
        all_dues = store.dues()
        today = store.reviews(since=now.replace(hour=0, minute=0, second=0, microsecond=0))
    dues = {qid: due for qid, due in all_dues.items() if qid in by_id}
    if missed:
        wrong_today = [r.question_id for r in today if not r.correct and r.question_id in by_id]
        ids = tuple(dict.fromkeys(reversed(wrong_today)))[:n]
    else:
        ids = selection.due_ids(dues, now + window, n)
    if not ids:
        return _nothing_due(env, all_dues, dues, now, missed=missed, json_output=json_output)
    presented = selection.present_all([by_id[qid] for qid in ids], new_seed())
    ui = QuizUI(
        env,
        course,
        presented,
        mode="review",
        title="review",
        seed=None,
        seconds=None,
        json_output=json_output,
        replay="",
    )
    return ui.run()


def _nothing_due(
    env: Env,
    all_dues: dict[str, datetime],
    dues: dict[str, datetime],
    now: datetime,
    *,
    missed: bool,
    json_output: bool,
) -> int:
    later = sorted(due for due in dues.values() if due > now)
    if json_output:
        result: dict[str, Any] = {"mode": "review", "total": 0, "correct": 0, "questions": []}
        result["next_due"] = later[0].isoformat() if later else None
        _print_json(env, result)
        return int(ExitStatus.OK)
    out = env.console
    if missed:
        out.print("No misses today: nothing to drill. (studyaws review asks what is due.)")
    elif not all_dues:
        out.print("Nothing to review yet: answer a few questions first, e.g. studyaws quiz sqs.")
    elif not dues:
        # Cards whose questions left the course (a changed meaning gets a new id).
        out.print("Nothing is due now: the questions you answered are no longer in the course.")
    else:
        first = later[0]
        soon = sum(1 for due in later if due - first <= timedelta(minutes=1))
        ahead = max(1, -(-int((first - now).total_seconds()) // 60))
        tip = (
            f" Practise it now: studyaws review --ahead {ahead}m"
            if first - now < timedelta(hours=1)
            else ""
        )
        out.print(
            f"Nothing is due now. Next: {plural(soon, 'question')} {_when(first, now)} "
            f"({first:%Y-%m-%d %H:%M} UTC).{tip}",
            soft_wrap=False,
        )
    return int(ExitStatus.OK)


def new_seed() -> int:
    """A fresh, short seed (shown, so the quiz can be replayed)."""
    return random.SystemRandom().randrange(1, 10_000)


def _when(due: datetime, now: datetime) -> str:
    left = due - now
    if left < timedelta(hours=1):
        return f"in {plural(max(1, -(-int(left.total_seconds()) // 60)), 'minute')}"
    days = (due.date() - now.date()).days
    if days <= 0:
        return f"in {plural(round(left / timedelta(hours=1)), 'hour')}"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


def _print_json(env: Env, data: dict[str, Any]) -> None:
    env.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    env.stdout.flush()


# -- the session on screen -------------------------------------------------------------------------


class QuizUI:
    def __init__(
        self,
        env: Env,
        course: Course,
        presented: Sequence[Presented],
        *,
        mode: Mode,
        title: str,
        seed: int | None,
        seconds: float | None,
        json_output: bool,
        replay: str,
    ) -> None:
        self.env = env
        self.course = course
        self.mode = mode
        self.exam = mode == "exam"
        self.title = title
        self.seed = seed
        self.json_output = json_output
        self.replay = replay
        self.interactive = env.interactive
        self.session = Session.of(
            presented,
            mode=mode,
            clock=env.monotonic,
            now=env.now,
            seconds=seconds,
            interactive=self.interactive,
        )
        self.prompter: Prompter | None = None
        # Piped --json: only the JSON on stdout, and no questions at all (nobody reads them).
        self.quiet = json_output and not self.interactive
        self.console: Console = env.err_console if json_output else env.console
        self.symbols = _symbols(env)
        self.store: Store | None = None

    # -- text --------------------------------------------------------------------------------

    def text(self, raw: str) -> str:
        from studyaws.content.text import plain_inline, render_facts, strip_control

        return plain_inline(strip_control(render_facts(raw, self.course.facts))).strip()

    def lines(self, line: str, indent: int = 0, hanging: int = 0) -> list[str]:
        """Wrap to the console's width ourselves: no trailing blanks, hanging indents."""
        width = max(20, self.console.width - indent)
        out: list[str] = []
        for paragraph in _reflow(line):
            # An indented line (a command, a policy) continues under its own indent.
            own = len(paragraph) - len(paragraph.lstrip(" "))
            wrapped = textwrap.wrap(
                paragraph.lstrip(" "),
                width,
                initial_indent=" " * own,
                subsequent_indent=" " * (max(hanging, own + 2) if own else hanging),
                break_on_hyphens=False,
                drop_whitespace=True,
            )
            out.extend(" " * indent + part for part in wrapped or [""])
        return out

    def say(
        self, line: str = "", style: str | None = None, indent: int = 0, hanging: int = 0
    ) -> None:
        if self.quiet:
            return
        from rich.text import Text

        text = "\n".join(self.lines(line, indent, hanging))
        self.console.print(Text(text, style=style or ""), soft_wrap=True)

    def flush(self) -> None:
        self.console.file.flush()  # the console may wrap the stream (trimming line ends)
        stream = self.env.stderr if self.json_output else self.env.stdout
        stream.flush()

    # -- the loop ------------------------------------------------------------------------------

    def run(self) -> int:
        self.store = open_store(self.env)
        self.session.recorder = self.store
        try:
            flags = set(self.store.flags())
        except Exception:  # a store that can't list flags still quizzes
            flags = set()
        for item in self.session.items:
            item.flagged = item.question.id in flags
        status = ExitStatus.OK
        self.session.start()
        try:
            self.header()
            while self.session.current is not None:
                self.ask(self.session.current)
        except _EndOfInputError:
            pass
        except _QuitError:
            self.say()
            self.say("Stopped.", "bold")
        except _TimeUpError:
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
        total = len(self.session.items)
        if self.mode == "review":
            self.say(f"Review: {plural(total, 'question')}, most overdue first.", "bold")
        else:
            kind = "Exam" if self.exam else "Quiz"
            self.say(
                f"{kind}: {self.title}, {plural(total, 'question')} · seed {self.seed}", "bold"
            )
        if self.exam and self.session.seconds is not None:
            minutes = self.session.seconds / 60
            self.say(
                f"Timed: {minutes:g} minutes in all. No hints; the feedback and explanations "
                "come at the end. The exam ends by itself when the time is up."
            )
        self.flush()

    def heading(self, item: Item) -> str:
        q = item.question
        total = len(self.session.items)
        heading = f"Question {self.session.number}/{total} · {q.topic} · {TYPE_NAMES[q.type]}"
        need = self.need(q)
        if q.type == "multi" and need:
            heading += f" ({need})"
        if item.flagged:
            heading += " · ⚑ flagged"
        left = self.session.time_left()
        if left is not None and not self.interactive:
            heading += f" · ⏱ {_clock(left)} left"
        return heading

    def ask(self, item: Item) -> None:
        session = self.session
        if session.expired():
            raise _TimeUpError
        if session.warn_now():
            left = session.time_left() or 0
            self.say(f"⏱ {_clock(left)} left: a tenth of the time.", "bold yellow")
        q = item.question
        self.say()
        lines = [*self.lines(self.heading(item)), *self.lines(self.text(q.prompt))]
        self.show(lines, first_style="bold cyan", below=self.choices_height(item))
        session.ask()
        if self.interactive:
            given, hinted = self.ask_prompter(item)
        else:
            given, hinted = self.ask_plain(item)
        failed_before = session.save_failed
        done = session.answer(given, hinted=hinted)
        if session.save_failed and not failed_before:
            self.env.warn(f"could not save your answer ({session.save_error}); the quiz goes on")
        if done.late:
            self.say("⏱ That answer came after the time was up: it is not counted.", "yellow")
            raise _TimeUpError
        if not self.exam:
            self.feedback(done)
            self.after_feedback(done)
        self.flush()

    def show(self, lines: list[str], *, first_style: str, below: int = 0) -> None:
        """Print the question. Interactive, when it and the `below` lines of its choices are
        taller than the screen, a screenful at a time, each waiting for Enter: its start never
        scrolls away before the learner has read it."""
        if self.quiet:
            return
        from rich.text import Text

        height = self._screen_height()
        paged = self.interactive and height >= 8 and len(lines) + below + 3 > height
        page = height - 1 if paged else len(lines)
        for start in range(0, len(lines), max(1, page)):
            for n, line in enumerate(lines[start : start + page], start=start):
                self.console.print(Text(line, style=first_style if n == 0 else ""), soft_wrap=True)
            if paged:
                self.flush()
                reply = self._prompter().key(
                    "── more: Enter ──",
                    ["enter", "space"],
                    deadline=self.session.deadline,
                    clock=self.env.monotonic,
                )
                if reply == "timeup":
                    raise _TimeUpError

    def _screen_height(self) -> int:
        import os

        try:
            return os.get_terminal_size(self.env.stdout.fileno()).lines
        except (OSError, ValueError, AttributeError):
            return 24

    def choices_height(self, item: Item) -> int:
        """How many lines the choices take when the prompt draws them (wrapped whole)."""
        q = item.question
        if q.type not in ("single", "multi", "order"):
            return 2
        width = max(20, self.console.width - 10)
        return sum(
            len(textwrap.wrap(self.text(q.choice_text(k)), width) or [""])
            for k in item.presented.order
        )

    @staticmethod
    def need(q: Question) -> int | None:
        """How many a multi question asks for: its "(Choose two.)", else its key's size."""
        if q.type != "multi":
            return None
        match = _CHOOSE.search(q.prompt)
        if match is not None:
            word = match.group(1).lower()
            if word.isdigit():
                return int(word)
            if word in _NUMBER_WORDS:
                return _NUMBER_WORDS[word]
        return len(q.answer) if isinstance(q.answer, tuple) else None

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

    def ask_plain(self, item: Item) -> tuple[AnswerValue | None, bool]:
        presented = item.presented
        q = presented.question
        self.choice_lines(presented)
        hinted = False
        how = answer_hint(presented)
        need = self.need(q)
        if need:
            how = f"{need} numbers, e.g. 1,3 (1–{len(presented.order)})"
        hint_ok = bool(q.hint) and self.session.hints_allowed
        extras = "h hint, " if hint_ok else ""
        extras += "flag to flag, " if q.type == "truefalse" else "f flag, "
        extras += "blank skips"
        unreadable = 0
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
            if not self.quiet and not self.env.stdin_isatty:
                self.console.print(line.strip(), markup=False, highlight=False)
            word = line.strip().lower()
            if word == "flag" or (word == "f" and q.type != "truefalse"):
                self.flag(item)
                continue
            parsed: Parsed = parse_answer(presented, line)
            value = parsed.value
            if parsed.kind == "answer" and need and isinstance(value, tuple) and len(value) != need:
                parsed = Parsed(
                    "invalid", problem=f"this question takes {need} choices, not {len(value)}"
                )
            if parsed.kind == "hint" and hint_ok:
                hinted = True
                self.show_hint(q)
                continue
            if parsed.kind in ("invalid", "hint"):
                unreadable += 1
                problem = parsed.problem or "no hint for this one"
                if unreadable >= UNREADABLE_LINES:
                    self.problem(f"{problem}; skipped after {UNREADABLE_LINES} unreadable answers")
                    return None, hinted
                self.problem(f"{problem}. Try again")
                continue
            return (parsed.value if parsed.kind == "answer" else None), hinted

    def problem(self, message: str) -> None:
        if self.quiet:
            self.env.warn(message)
        else:
            self.say(f"! {message}.", "yellow", hanging=2)
        self.flush()

    def show_hint(self, q: Question) -> None:
        if q.hint and self.session.hints_allowed:
            self.say(f"Hint: {self.text(q.hint)}", "italic")
        else:
            self.say("No hint for this one.", "italic")
        self.flush()

    def flag(self, item: Item) -> None:
        failed_before = self.session.save_failed
        on = self.session.toggle_flag(item)
        if self.session.save_failed and not failed_before:
            self.env.warn(f"could not save the flag ({self.session.save_error})")
        where = "studyaws quiz --flagged" if on else ""
        self.say(f"⚑ Flagged: it comes back with {where}." if on else "Flag taken off.", "yellow")
        self.flush()

    # -- asking: interactive ----------------------------------------------------------------------

    def _prompter(self) -> Prompter:
        if self.prompter is None:
            if self.env.prompter is not None:
                self.prompter = self.env.prompter
            else:
                from studyaws.ui.prompts import TerminalPrompter

                self.prompter = TerminalPrompter()
        return self.prompter

    def _ask_for(self, item: Item, hinted: bool) -> Ask:
        from studyaws.ui.prompts import Ask

        q = item.question
        presented = item.presented
        session = self.session
        common: dict[str, Any] = {
            "hint": bool(q.hint) and session.hints_allowed and not hinted,
            "flagged": item.flagged,
            "on_flag": lambda: session.toggle_flag(item),
            "deadline": session.deadline,
            "clock": self.env.monotonic,
            "warn_at": 0.1 * session.seconds if session.seconds is not None else None,
        }
        if q.type == "truefalse":
            return Ask("truefalse", ("True", "False"), **common)
        if q.type in ("single", "multi", "order"):
            choices = tuple(self.text(q.choice_text(k)) for k in presented.order)
            return Ask(q.type, choices, need=self.need(q), **common)

        def check(text: str) -> str | None:
            return parse_answer(presented, text).problem or None

        return Ask("number", number_help=answer_hint(presented), validate=check, **common)

    def ask_prompter(self, item: Item) -> tuple[AnswerValue | None, bool]:
        from studyaws.ui.prompts import Action

        prompter = self._prompter()
        presented = item.presented
        q = presented.question
        hinted = False
        while True:
            try:
                reply = prompter.ask(self._ask_for(item, hinted))
            except EOFError:
                raise _EndOfInputError from None
            if reply is Action.TIMEUP:
                raise _TimeUpError
            if reply is Action.HINT:
                hinted = True
                self.show_hint(q)
                continue
            if reply is Action.FLAG:
                self.flag(item)
                continue
            if reply is Action.SKIP or isinstance(reply, Action):
                self.say("Your answer: skipped", "dim", indent=2)
                return None, hinted
            value = self.value_of(item, reply)
            if value is None:
                continue
            self.say(f"Your answer: {self.describe(presented, value)}", indent=2, hanging=4)
            return value, hinted

    def value_of(self, item: Item, reply: int | tuple[int, ...] | str | bool) -> AnswerValue | None:
        presented = item.presented
        q = presented.question
        if q.type == "truefalse":
            return bool(reply)
        if q.type == "single" and isinstance(reply, int):
            return presented.order[reply]
        if q.type == "multi" and isinstance(reply, tuple):
            return tuple(sorted(presented.order[i] for i in reply))
        if q.type == "order" and isinstance(reply, tuple):
            return tuple(presented.order[i] for i in reply)
        parsed = parse_answer(presented, str(reply))
        return parsed.value if parsed.kind == "answer" else None

    def after_feedback(self, item: Item) -> None:
        """Interactive: wait for a key, so the feedback stays until the learner moves on."""
        if not self.interactive or self.quiet:
            return
        result = item.result
        shown_why = {k for k, _ in result.why_not} if result is not None else set()
        while True:
            others = self.why_nots(item, exclude=shown_why)
            offered = ["enter", "f", "q"] + (["w"] if others else [])
            parts = ["Enter next"]
            if others:
                parts.append("w why not the others")
            parts.append("f unflag" if item.flagged else "f flag")
            parts.append("q stop")
            self.flush()
            key = self._prompter().key(" · ".join(parts), offered)
            if key == "w":
                for key_, why in others:
                    self.say_why(item.question, key_, why, item.presented)
                shown_why |= {k for k, _ in others}
                continue
            if key == "f":
                self.flag(item)
                continue
            if key == "q":
                raise _QuitError
            return

    def why_nots(self, item: Item, *, exclude: set[str]) -> list[tuple[str, str]]:
        q = item.question
        if q.type not in ("single", "multi"):
            return []
        right = set(q.answer) if isinstance(q.answer, tuple) else {q.answer}
        return [
            (k, q.why_not_for(k))
            for k in item.presented.order
            if k not in right and k not in exclude and q.why_not_for(k)
        ]

    # -- feedback -------------------------------------------------------------------------------

    def describe(self, presented: Presented, value: AnswerValue) -> str:
        """An answer as the learner would pick it: `(3) 3 s`, `(1) A; (4) D`, `12 hours`."""
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
            return " → ".join(
                f"({presented.number_of(k)}) {self.text(q.choice_text(k))}" for k in keys
            )
        numbered = sorted((presented.number_of(k), k) for k in keys)
        return "; ".join(f"({n}) {self.text(q.choice_text(k))}" for n, k in numbered)

    def say_answer(self, label: str, presented: Presented, value: AnswerValue) -> None:
        """One line, or for an order question one numbered step a line (a long chain of
        arrows is hard to follow)."""
        q = presented.question
        if q.type != "order" or isinstance(value, str | int | float | bool):
            self.say(f"{label} {self.describe(presented, value)}", indent=2, hanging=4)
            return
        self.say(label, indent=2)
        for number, key in enumerate(value, start=1):
            step = f"{number}. "
            choice = f"({presented.number_of(str(key))}) {self.text(q.choice_text(str(key)))}"
            self.say(step + choice, indent=4, hanging=len(step) + 4)

    def say_why(self, q: Question, key: str, why: str, presented: Presented) -> None:
        chosen = f"({presented.number_of(key)}) {self.text(q.choice_text(key))}"
        reason = self.text(why) if why else "it is not right here."
        self.say(f"Why not {chosen}: {reason}", indent=2, hanging=4)

    def feedback(self, item: Item, *, recap: bool = False) -> None:
        """Right or wrong, the answer, why not, the explanation. `recap` (the exam's report):
        the learner's own answer is said too, as they haven't seen it since."""
        result = item.result
        if result is None:
            return
        presented = item.presented
        q = presented.question
        s = self.symbols
        if item.late:
            self.say(f"{s['skip']} Answered after the time was up: not counted.", "yellow")
            self.say_answer("The answer:", presented, result.expected)
        elif result.status == "correct":
            self.say(f"{s['good']} Correct", "bold green")
        elif result.status == "skipped":
            back = " (it comes back in review)" if item.saved else ""
            self.say(f"{s['skip']} Skipped{back}.", "yellow")
            self.say_answer("The answer:", presented, result.expected)
        else:
            self.say(f"{s['bad']} Wrong", "bold red")
            said = recap or (q.type != "single" and not self.interactive)
            if result.given is not None and said:
                self.say_answer("You said:", presented, result.given)
            self.say_answer("The answer:", presented, result.expected)
        for key, why in result.why_not:
            self.say_why(q, key, why, presented)
        expected = result.expected
        all_missed = isinstance(expected, tuple) and set(result.missed) >= set(expected)
        if result.missed and result.status == "wrong" and not all_missed:
            # Only when some picks were right: missing all of them is "The answer" again.
            self.say(f"You missed: {self.describe(presented, result.missed)}", indent=2)
        self.say(self.text(q.explanation), indent=2)
        self.say(f"Read more: studyaws learn {q.topic} {q.section}", "dim", indent=2)

    # -- the end -----------------------------------------------------------------------------

    def finish(self, *, interrupted: bool) -> None:
        session = self.session
        report = session.report()
        if self.exam:
            answered = [i for i in session.items if i.result is not None]
            if answered:
                self.say()
                self.say("Your answers", "bold")
            for number, item in enumerate(session.items, start=1):
                if item.result is None:
                    continue
                self.say()
                prompt = self.text(item.question.prompt).split("\n")[0]
                self.say(f"Question {number}: {prompt}", "bold", hanging=2)
                self.feedback(item, recap=True)
        self.say()
        extra = []
        if report.skipped:
            extra.append(f"{report.skipped} skipped")
        if report.late:
            extra.append(f"{report.late} after the time")
        if report.unanswered:
            extra.append(f"{report.unanswered} not reached")
        tail = f" ({', '.join(extra)})" if extra else ""
        self.say(f"Score: {report.right}/{report.total} right, {report.percent}%{tail}", "bold")
        if self.exam and (report.by_topic or report.by_domain):
            self.exam_report(report)
        if report.missed_sections:
            if len(report.missed_sections) <= 3:
                self.say("To read:", "bold")
                for topic, section in report.missed_sections:
                    self.say(f"studyaws learn {topic} {section}", indent=2)
            else:
                self.say("To read (studyaws learn TOPIC SECTION):", "bold")
                by_topic: dict[str, list[str]] = {}
                for topic, section in report.missed_sections:
                    by_topic.setdefault(topic, []).append(section)
                for topic, sections in by_topic.items():
                    self.say(f"{topic}: {', '.join(sections)}", indent=2, hanging=4)
            if not report.save_failed:
                self.say("What you missed comes back in review within minutes.")
                self.say("Practise it now: studyaws review --missed")
        if self.replay:
            line = f"Same quiz again: {self.replay}"
            if len(line) <= self.console.width:
                self.say(line, "dim")
            else:  # a command to copy stays whole, on a line of its own
                from rich.text import Text

                self.say("Same quiz again:", "dim")
                if not self.quiet:
                    self.console.print(Text(f"  {self.replay}", style="dim"), soft_wrap=True)
        if report.save_failed:
            self.say(
                f"Only {plural(report.saved, 'answer')} could be saved: "
                "your progress file could not be written (see the warning above).",
                "yellow",
            )
        elif interrupted and report.saved:
            verb = "is" if report.saved == 1 else "are"
            self.say(f"Your {plural(report.saved, 'answer')} so far {verb} saved.")
        elif interrupted:
            self.say("No answer was given, so nothing was saved.")
        self.flush()
        if self.json_output:
            _print_json(self.env, self.json_result())

    def exam_report(self, report: Any) -> None:
        for label, rows in (
            ("By topic", report.by_topic),
            ("By exam domain", report.by_domain),
            ("By concept, weakest first", report.by_concept),
        ):
            if not rows:
                continue
            self.say(label, "bold")
            for row in rows:
                self.say(
                    f"{row.right}/{row.asked} {round(100 * row.share):>3}%  {row.name}", indent=2
                )

    def json_result(self) -> dict[str, Any]:
        questions = []
        for item in self.session.items:
            result = item.result
            presented = item.presented
            expected = expected_answer(item.question)
            given = result.given if result is not None and not item.late else None
            questions.append(
                {
                    "id": item.question.id,
                    "given": self.describe(presented, given) if given is not None else None,
                    "expected": self.describe(presented, expected),
                    "given_key": to_json(given),
                    "expected_key": to_json(expected),
                    "correct": item.correct,
                    "late": item.late,
                    "flagged": item.flagged,
                }
            )
        data: dict[str, Any] = {"mode": self.mode}
        if self.mode != "review":
            data["topic"] = self.title
            data["seed"] = self.seed
        report = self.session.report()
        data.update(
            {
                "total": report.total,
                "correct": report.right,
                "saved": report.saved,
                "questions": questions,
            }
        )
        if self.exam:
            data["by_domain"] = {t.name: [t.right, t.asked] for t in report.by_domain}
            data["by_topic"] = {t.name: [t.right, t.asked] for t in report.by_topic}
        return data


def _clock(seconds: float) -> str:
    whole = max(0, int(seconds + 0.999))
    return f"{whole // 60}:{whole % 60:02d}"


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


def _symbols(env: Env) -> dict[str, str]:
    """✓ ✗ – where the output encoding has them, else ASCII (the words are always there too)."""
    encoding = getattr(env.stdout, "encoding", None) or "utf-8"
    try:
        "✓✗–⏱→“”⚑".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return {"good": "[ok]", "bad": "[x]", "skip": "[-]"}
    return {"good": "✓", "bad": "✗", "skip": "–"}
