"""Start-up budgets (DESIGN §6), measured as ratios in one run on one machine.

    python benchmarks/startup.py [--runs N]

- `studyaws --help`                ≤ 1.1 × the `--help` of a minimal two-command Typer app
- `studyaws learn sqs > file`      ≤ 1.5 × that same minimal `--help` (the rendered page is
  cached by content, so this is every run but the first after an install or a content change;
  the first run is printed too)
- loading and validating all bundled content (in-process, warm imports) ≤ 40 ms

Each command runs N times (after one warm-up); the median wall time is used.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MINIMAL_APP = """
import typer

app = typer.Typer()


@app.command()
def hello(name: str) -> None:
    print(name)


@app.command()
def bye(name: str) -> None:
    print(name)


if __name__ == "__main__":
    app()
"""


def studyaws_command() -> list[str]:
    script = Path(sys.executable).parent / "studyaws"
    if script.exists():
        return [str(script)]
    found = shutil.which("studyaws")
    return [found] if found else [sys.executable, "-m", "studyaws"]


def median_seconds(
    command: list[str], runs: int, stdout_path: Path | None = None, *, cold: bool = False
) -> float:
    """Median wall time; `cold` gives every run an empty STUDYAWS_HOME (no cache, no store)."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    times = []
    for i in range(runs + 1):
        if cold:
            env["STUDYAWS_HOME"] = tempfile.mkdtemp(prefix="studyaws-cold-")
        with open(stdout_path or os.devnull, "w") as out:
            start = time.perf_counter()
            subprocess.run(command, stdout=out, stderr=subprocess.DEVNULL, env=env, check=True)
            elapsed = time.perf_counter() - start
        if i:  # the first run only warms the file cache
            times.append(elapsed)
    return statistics.median(times)


def content_load_ms(runs: int) -> float:
    from studyaws.content.loader import check

    check()  # warm imports
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        _, problems = check()
        times.append(time.perf_counter() - start)
        assert not problems, problems[:3]
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = Path(tmp) / "minimal_app.py"
        app.write_text(MINIMAL_APP)
        baseline = median_seconds([sys.executable, str(app), "--help"], args.runs)
        help_time = median_seconds([*studyaws_command(), "--help"], args.runs)
        learn_time = median_seconds(
            [*studyaws_command(), "learn", "sqs"], args.runs, Path(tmp) / "learn.txt"
        )
        cold_time = median_seconds(
            [*studyaws_command(), "learn", "sqs"], args.runs, Path(tmp) / "cold.txt", cold=True
        )
    load_ms = content_load_ms(max(5, args.runs))
    rows = [
        ("minimal Typer app --help", f"{baseline * 1000:.0f} ms", "", ""),
        (
            "studyaws --help",
            f"{help_time * 1000:.0f} ms",
            f"{help_time / baseline:.2f}x",
            "<= 1.10x",
        ),
        (
            "studyaws learn sqs > file",
            f"{learn_time * 1000:.0f} ms",
            f"{learn_time / baseline:.2f}x",
            "<= 1.50x",
        ),
        (
            "  first run (empty cache)",
            f"{cold_time * 1000:.0f} ms",
            f"{cold_time / baseline:.2f}x",
            "(info)",
        ),
        ("load + validate all content", f"{load_ms:.1f} ms", "", "<= 40 ms"),
    ]
    ok = help_time / baseline <= 1.1 and learn_time / baseline <= 1.5 and load_ms <= 40
    for name, value, ratio, budget in rows:
        print(f"{name:<30} {value:>9} {ratio:>7} {budget:>9}")
    print("budgets: " + ("met" if ok else "NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
