"""Output on terminals and pipes that can't show every character.

Where the output encoding has no box, arrow or tick characters (`PYTHONIOENCODING=ascii`, a
Latin-1 locale), each such character is written as an ASCII look-alike, one for one inside boxes
and tables so borders stay aligned, instead of a wall of '?' — and never a crash.
"""

from __future__ import annotations

import codecs
import unicodedata
from typing import TextIO

LOOK_ALIKE = "studyaws-look-alike"

# One character for one wherever it may sit inside a box or a table, so borders stay aligned.
_LOOK_ALIKES = {
    "░": "-", "█": "#", "·": ".", "–": "-", "−": "-", "•": "*", "▶": ">", "◀": "<", "▲": "^",
    "▼": "v", "⚠": "!", "✗": "x", "✓": "v", "“": '"', "”": '"', "‘": "'", "’": "'", "×": "x",
    "÷": "/", "±": "+", "⏱": "@", "↑": "^", "↓": "v", "○": "o", "●": "*",
    "→": "->", "←": "<-", "…": "...", "—": "--", "≤": "<=", "≥": ">=", "≠": "!=",
}  # fmt: skip


def _look_alike(char: str) -> str:
    if char in _LOOK_ALIKES:
        return _LOOK_ALIKES[char]
    name = unicodedata.name(char, "")
    if name.startswith("BOX DRAWINGS"):
        horizontal, vertical = "HORIZONTAL" in name, "VERTICAL" in name
        if horizontal and not vertical and " AND " not in name:
            return "=" if "HEAVY" in name and "LIGHT" not in name else "-"
        if vertical and not horizontal and " AND " not in name:
            return "|"
        return "+"
    plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
    return plain or "?"


def _replace_with_look_alikes(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return "".join(_look_alike(c) for c in exc.object[exc.start : exc.end]), exc.end


codecs.register_error(LOOK_ALIKE, _replace_with_look_alikes)


def readable_output(*streams: TextIO) -> None:
    """Let `streams` write look-alikes for what their encoding lacks (a no-op for UTF-8)."""
    for stream in streams:
        encoding = getattr(stream, "encoding", None)
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            "─│✓→".encode(encoding or "ascii")
        except (UnicodeEncodeError, LookupError):
            reconfigure(errors=LOOK_ALIKE)
        else:
            reconfigure(errors="replace")
