"""The bad-content corpus (corpus.py) through the real CLI: one line per problem, nothing else.

Every case is a file or directory an attacker or an unlucky learner could hand to `studyaws
validate` or `--content`: YAML bombs, python tags, 50 MB files, NUL bytes, impossible dates,
diagrams a billion cells wide, terminal escapes in keys and file names, link loops, `/` itself.
The cases run in two worker processes at once (corpus_worker.py), each limited to `MEMORY_MIB` of
address space, each case to 20 seconds. A case passes when studyaws exits 1 with its problems as
`file:line:col: CODE message` lines (or, for another command, one `studyaws: error:` line quoting
the first), the expected codes among them, no control character in the output, and no code run.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import CASES, MARKER, Case

WORKER = Path(__file__).resolve().parent / "corpus_worker.py"
WORKERS = 2
MEMORY_MIB = 500
TIMEOUT_S = 20
MAX_LINE = 2_200
PROBLEM = re.compile(r"^(?P<path>.+):(?P<line>[1-9]\d*):(?P<col>[1-9]\d*): (?P<code>SA\d{3}) \S.*$")
SUMMARY = re.compile(r"^\d+ problems? in \d+ files?$")
ERROR = re.compile(
    r"^studyaws: error: (?P<problem>.+?)( \(and \d+ more; run 'studyaws validate'\))?$"
)
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _limit_memory() -> None:
    limit = MEMORY_MIB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    out = tmp_path_factory.mktemp("corpus")
    # Spread over the workers; cases known to fail last (their memory peak is not the others').
    names = [c.name for c in CASES if not c.known] + [c.name for c in CASES if c.known]
    chunks = [names[i::WORKERS] for i in range(WORKERS)]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NO_COLOR", "FORCE_COLOR"))}
    env["COLUMNS"] = "100"
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(out), *chunk],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=out,  # a case that manages to run `touch` leaves its marker here
            preexec_fn=_limit_memory,
        )
        for chunk in chunks
    ]
    found: dict[str, dict[str, Any]] = {}
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=TIMEOUT_S * len(names))
        assert proc.returncode == 0, stderr[-3000:]
        for line in stdout.splitlines():
            result = json.loads(line)
            found[result["name"]] = result
    found["__dir__"] = {"path": str(out)}
    return found


def _param(case: Case) -> Any:
    if not case.known:
        return case
    return pytest.param(case, marks=pytest.mark.xfail(strict=True, reason=case.known))


@pytest.mark.parametrize("case", [_param(c) for c in CASES], ids=[c.name for c in CASES])
def test_bad_content_gives_one_line_per_problem(case: Any, results: dict[str, Any]) -> None:
    """Content a learner or an attacker wrote can only ever produce located problems: never a
    traceback, a hang, a memory blow-up, a terminal escape or code run."""
    result = results[case.name]
    assert result["status"] == 1, result
    assert result["seconds"] < TIMEOUT_S, result["seconds"]
    for text in (result["stdout"], result["stderr"]):
        assert "Traceback" not in text
        assert "MemoryError" not in text  # it hit the limit: a graceful line is not enough
        assert "out of memory" not in text
        assert not UNPRINTABLE.search(text.replace("\n", "")), text[:500]
        assert all(len(line) <= MAX_LINE for line in text.splitlines())
    if case.validate:
        lines = result["stdout"].splitlines()
        assert result["stderr"] == ""
        assert lines, result
        assert SUMMARY.match(lines[-1]), lines[-1]
        assert all(PROBLEM.match(line) for line in lines[:-1]), lines[:5]
        codes = {PROBLEM.match(line).group("code") for line in lines[:-1]}  # type: ignore[union-attr]
    else:
        lines = result["stderr"].splitlines()
        assert len(lines) == 1, result["stderr"]
        error = ERROR.match(lines[0])
        assert error is not None, lines[0]
        problem = PROBLEM.match(error.group("problem"))
        assert problem is not None, lines[0]
        codes = {problem.group("code")}
    assert case.codes <= codes, (codes, result["stdout"][:2000], result["stderr"])


def test_no_case_ran_code(results: dict[str, Any]) -> None:
    """`!!python/object/apply:os.system` and friends are never constructed: no marker anywhere."""
    out = Path(results["__dir__"]["path"])
    assert not list(out.rglob(MARKER))


def test_the_corpus_stays_within_its_budget(results: dict[str, Any]) -> None:
    """The whole corpus, big cases included, in bounded memory (the workers' peak). A case known
    to fail runs last in its worker, so it can't raise the peak of the others."""
    known = {c.name for c in CASES if c.known}
    cases = [r for name, r in results.items() if name != "__dir__"]
    assert len(cases) == len(CASES) >= 70
    assert max(r["peak_mib"] for r in cases if r["name"] not in known) < MEMORY_MIB
