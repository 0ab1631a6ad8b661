"""Run corpus cases in this process, one after another: `corpus_worker.py OUT_DIR NAME...`.

Started by test_corpus.py under a memory limit (RLIMIT_AS). For each case it builds the files under
OUT_DIR/NAME, runs the real CLI entry point (`studyaws.cli.main`) in-process with its own
STUDYAWS_HOME, stops it after `TIMEOUT_S` (SIGALRM), and prints one JSON line: the exit status,
stdout, stderr, the seconds taken and the process's peak resident memory so far.
"""

from __future__ import annotations

import io
import json
import os
import resource
import signal
import sys
import time
from pathlib import Path
from types import FrameType

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import CASES

from studyaws.cli import main
from studyaws.content import loader
from studyaws.content.files import bundled_content_dir

TIMEOUT_S = 20


def _read_bundled_once() -> None:
    """`validate PATH` checks the bundled course with PATH, every case again; it is not what the
    corpus tests, and reading it 100 times would cost seconds of CI. So each bundled file is
    read once per worker and its result replayed (the cross-file checks still run every case)."""
    bundled = bundled_content_dir()
    real = loader.read_file
    seen: dict[Path, object] = {}

    def read_file(path: Path, shown: str, parts: loader._Parts) -> None:
        if not path.is_relative_to(bundled):
            real(path, shown, parts)
            return
        if path not in seen:
            alone = loader._Parts()
            real(path, shown, alone)
            seen[path] = alone
        alone = seen[path]
        assert isinstance(alone, loader._Parts)
        parts.topics += alone.topics
        parts.facts += alone.facts
        parts.questions += alone.questions
        parts.diagrams += alone.diagrams
        parts.scenarios.update(alone.scenarios)
        parts.problems += alone.problems

    loader.read_file = read_file


class CaseTimeoutError(BaseException):
    """Raised by the alarm: a BaseException, so no `except Exception` in studyaws swallows it."""


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise CaseTimeoutError


def run(out_dir: Path, name: str) -> dict[str, object]:
    chosen = next(c for c in CASES if c.name == name)
    directory = out_dir / name
    directory.mkdir(parents=True)
    args = chosen.build(directory / "files")
    os.environ["STUDYAWS_HOME"] = str(directory / "home")
    os.environ.pop("STUDYAWS_CONTENT", None)
    stdout, stderr = io.StringIO(), io.StringIO()
    real = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(""), stdout, stderr
    started = time.perf_counter()
    signal.alarm(TIMEOUT_S)
    status: int | str
    try:
        status = main(args)
    except CaseTimeoutError:
        status = "timeout"
    except BaseException as exc:  # a traceback is what the corpus must never see
        status = f"raised {type(exc).__name__}: {exc}"
    finally:
        signal.alarm(0)
        sys.stdin, sys.stdout, sys.stderr = real
    return {
        "name": name,
        "status": status,
        "stdout": stdout.getvalue(),
        "stderr": stderr.getvalue(),
        "seconds": time.perf_counter() - started,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


if __name__ == "__main__":
    _read_bundled_once()
    signal.signal(signal.SIGALRM, _alarm)
    target = Path(sys.argv[1])
    for case_name in sys.argv[2:]:
        print(json.dumps(run(target, case_name)), flush=True)
