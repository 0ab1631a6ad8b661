"""Every behaviour case a comment, docstring or test cites (`SQS-10`, `LAM-13`) is listed in
docs/fidelity.md, so a reader of the code can look it up in the repository."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CASE_ID = re.compile(r"\b((?:SQS|FIFO|SNS|LAM)-\d+)")


def test_every_cited_case_id_is_in_docs_fidelity() -> None:
    documented = set(
        re.findall(r"^\| ((?:SQS|FIFO|SNS|LAM)-\d+) \|", _read("docs/fidelity.md"), re.M)
    )
    cited: dict[str, str] = {}
    for folder in ("studyaws", "tests", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for case in CASE_ID.findall(path.read_text(encoding="utf-8")):
                cited.setdefault(case, str(path.relative_to(ROOT)))
    missing = {case: where for case, where in cited.items() if case not in documented}
    assert not missing, f"case ids cited but not in docs/fidelity.md: {missing}"


def _read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")
