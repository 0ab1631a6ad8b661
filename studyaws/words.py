"""English for every layer: a count with its noun (`1 run`, `2 runs`)."""

from __future__ import annotations


def plural(number: int, word: str, many: str = "") -> str:
    """`1 invocation`, `2 invocations`; `many` for a noun that doesn't take an s."""
    return f"{number} {word if number == 1 else (many or word + 's')}"
