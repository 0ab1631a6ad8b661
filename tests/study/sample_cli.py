"""Run the real studyaws CLI against the sample course: `python tests/study/sample_cli.py quiz sqs`.

Subprocess tests (pipes, kill -9, tmux) use it so they don't depend on the bundled question bank.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sample_course

import studyaws.ui.course
from studyaws.cli import main

studyaws.ui.course.load = lambda env: sample_course.sample_course()  # type: ignore[assignment]

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
