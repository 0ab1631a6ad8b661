"""The sandbox reads a line as a shell does (DESIGN §4: a BODY with spaces is quoted, `#` starts a
comment), exactly as `shlex.split` read it after the comment was cut — and in linear time, so a
1 MiB message body or a 6 MiB invoke payload is read at once."""

from __future__ import annotations

import shlex
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyaws.sandbox.language import SandboxSyntaxError, parse, tokenize


def _strip_comment(line: str) -> str:
    """The reference: the sandbox's comment rule before the tokenizer was rewritten."""
    quote = ""
    escaped = False
    for i, char in enumerate(line):
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i]
    return line


def _reference(line: str) -> list[str] | str:
    try:
        return shlex.split(_strip_comment(line))
    except ValueError as exc:
        return f"cannot read the line: {exc}"


def _ours(line: str) -> list[str] | str:
    try:
        return tokenize(line)
    except SandboxSyntaxError as exc:
        return exc.message


# The characters that matter to quoting, with spaces shlex does and does not split on.
_ALPHABET = st.sampled_from([*"ab#'\"\\ \t\n\r\x0b\xa0\u2003-=", "m3#2", "é", "\x00"])


@settings(max_examples=600, deadline=None)
@given(st.lists(_ALPHABET, max_size=24).map("".join))
def test_lines_read_as_shlex_read_them(line: str) -> None:
    """Words, quotes, escapes, comments and the two errors agree with `shlex.split`."""
    assert _ours(line) == _reference(line)


@pytest.mark.parametrize(
    "line",
    [
        "send q 'hello world' # a note",
        'send q "say \\"hi\\" \\\\ \\n" --attr k=v',
        "delete q m3#2",
        "send q ''",
        "send q a\\ b",
        "send q 'unclosed",
        'send q "ends in \\',
        "send q ends in \\",
        "#only a comment",
        "send q it\xa0#is cut after a no-break space",
    ],
)
def test_known_lines(line: str) -> None:
    """Hand-picked lines with each quoting rule, read as shlex reads them."""
    assert _ours(line) == _reference(line)


def _fastest(parse_line: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        parse(parse_line)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("quote", ["", "'", '"'])
def test_a_1_mib_body_is_read_in_under_a_tenth_of_a_second(quote: str) -> None:
    """Reading a line is linear: a 1 MiB body (bare or quoted) takes well under 0.1 s."""
    body = "x" * 1_048_576
    assert _fastest(f"send q {quote}{body}{quote} --delay 5") < 0.1


def test_a_6_mib_invoke_line_is_read_in_under_half_a_second() -> None:
    """The largest synchronous payload (6 MiB), quoted JSON with spaces, reads in under 0.5 s."""
    payload = '{"k": "' + "v " * (3 * 1_048_576) + '"}'
    line = f"invoke f {shlex.quote(payload)}"
    assert _fastest(line) < 0.5
