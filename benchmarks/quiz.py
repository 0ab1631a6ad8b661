"""Quiz speed, as ratios on this machine in this run (DESIGN §6, issue 4):

(a) time until the first question of `studyaws quiz sqs` appears (piped, subprocess), over the
    `--help` time of a minimal two-command Typer app in the same venv: budget ≤ 2×;
(b) grading one answer line and saving it (one SQLite transaction with fsrs rescheduling):
    budget ≤ 10 ms.

Run: /work/venv/bin/python benchmarks/quiz.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import select
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

MINIMAL_APP = textwrap.dedent(
    """
    import typer

    app = typer.Typer()

    @app.command()
    def hello(name: str) -> None:
        print(name)

    @app.command()
    def bye(name: str) -> None:
        print(name)

    app()
    """
)


def time_help(app_file: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, str(app_file), "--help"], check=True, capture_output=True)
    return time.perf_counter() - start


def time_first_question(home: Path) -> float:
    """Seconds until 'Question 1/' is on the quiz's stdout (answers would be typed after)."""
    env = {**os.environ, "STUDYAWS_HOME": str(home)}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "studyaws", "quiz", "sqs", "-n", "1", "--seed", "1"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None
    assert proc.stdin is not None
    seen = b""
    try:
        while b"Question 1/" not in seen:
            select.select([proc.stdout], [], [], 30)
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise SystemExit(f"the quiz ended before its first question:\n{err}")
            seen += chunk
        elapsed = time.perf_counter() - start
    finally:
        proc.stdin.close()
        proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    return elapsed


def time_grade_and_save(runs: int) -> list[float]:
    from studyaws.content.model import NumericAnswer, Question
    from studyaws.study.grading import Presented, grade, parse_answer
    from studyaws.study.scheduling import rating_for
    from studyaws.study.store import Store

    question = Question(
        id="bench-visibility-max",
        topic="sqs",
        type="numeric",
        prompt="Longest visibility timeout?",
        section="visibility",
        concepts=("visibility-timeout",),
        explanation="12 hours.",
        answer=NumericAnswer(43200, "s"),
    )
    presented = Presented(question)
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    times = []
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp), now) as store:
        store.record(  # warm up: fsrs imported, tables cached
            question_id="warm",
            topic="sqs",
            concepts=(),
            given=None,
            correct=False,
            rating=rating_for(False),
            now=now,
        )
        for i in range(runs):
            at = now + timedelta(days=i)
            start = time.perf_counter()
            parsed = parse_answer(presented, "12h")
            result = grade(question, parsed.value)
            store.record(
                question_id=question.id,
                topic=question.topic,
                concepts=question.concepts,
                given=43200,
                correct=result.correct,
                rating=rating_for(result.correct, duration_ms=4000),
                now=at,
                duration_ms=4000,
            )
            times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app_file = Path(tmp) / "minimal_app.py"
        app_file.write_text(MINIMAL_APP)
        home = Path(tmp) / "home"
        time_help(app_file)  # warm the file cache for both
        time_first_question(home)
        helps, firsts = [], []
        for _ in range(args.runs):  # interleaved, so machine noise hits both alike
            helps.append(time_help(app_file))
            firsts.append(time_first_question(home))
    help_s, first_s = statistics.median(helps), statistics.median(firsts)
    ratio = first_s / help_s
    saves = time_grade_and_save(200)
    save_ms = statistics.median(saves) * 1000
    p95_ms = sorted(saves)[int(len(saves) * 0.95)] * 1000
    ok_a, ok_b = ratio <= 2.0, save_ms <= 10.0
    print(f"minimal Typer app --help:     {help_s * 1000:7.1f} ms (median of {args.runs})")
    print(f"first question of quiz sqs:   {first_s * 1000:7.1f} ms (median of {args.runs})")
    verdict_a, verdict_b = ("OK" if ok_a else "OVER"), ("OK" if ok_b else "OVER")
    print(f"(a) ratio:                    {ratio:7.2f} x   budget <= 2.0 x   {verdict_a}")
    print(f"(b) grade + save one answer:  {save_ms:7.2f} ms  (p95 {p95_ms:.2f} ms)")
    print(f"                              budget <= 10 ms   {verdict_b}")
    return 0 if ok_a and ok_b else 1


if __name__ == "__main__":
    raise SystemExit(main())
