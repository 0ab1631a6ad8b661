"""boto3 is imported only when a command talks to an endpoint: `studyaws --help` and every other
command start as fast as before (benchmarks/startup.py), with or without the `aws` extra."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import io, sys, contextlib
from studyaws.cli import main
for args in (["--help"], ["verify", "--help"], ["sandbox", "--help"], ["verify"],
             ["verify", "--json"], ["sandbox", "--script", "-"], ["topics", "--json"]):
    out = io.StringIO()
    sys.stdin = io.StringIO("create-queue q\\nsend q hi\\n")
    with contextlib.redirect_stdout(out):
        main(args)
    loaded = sorted(m for m in ("boto3", "botocore", "moto") if m in sys.modules)
    print(" ".join(args), "->", ",".join(loaded) or "none", file=sys.stderr)
"""


@pytest.mark.slow
def test_no_command_without_an_endpoint_imports_boto3(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "", "STUDYAWS_HOME": str(tmp_path), "PYTHONPATH": ":".join(sys.path)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 7, done.stderr
    assert all(line.endswith("-> none") for line in lines), done.stderr
