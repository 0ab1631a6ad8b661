"""Facts written once: `{fact:ID}` in any text is replaced by the fact's value when read."""

from __future__ import annotations

import re
from collections.abc import Mapping

from studyaws.content.model import Fact
from studyaws.content.units import format_quantity, format_range

FACT_REF = re.compile(r"\{fact:([A-Za-z0-9_]+)\}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def fact_display(fact: Fact) -> str:
    """How a fact's value reads: its `display` if given, else formatted from value and unit."""
    if fact.display:
        return fact.display
    if fact.min is not None:
        return format_range(fact.min, fact.value, fact.unit)
    return format_quantity(fact.value, fact.unit)


def fact_refs(text: str) -> list[tuple[int, str]]:
    """(offset, fact id) of every `{fact:ID}` in `text`."""
    return [(m.start(), m.group(1)) for m in FACT_REF.finditer(text)]


def render_facts(text: str, facts: Mapping[str, Fact]) -> str:
    """Replace each `{fact:ID}` with the fact's display value (unknown ids are left visible)."""

    def replace(match: re.Match[str]) -> str:
        fact = facts.get(match.group(1))
        return fact_display(fact) if fact is not None else match.group(0)

    return FACT_REF.sub(replace, text)


def strip_control(text: str) -> str:
    """Terminal control characters in content never reach the terminal."""
    return _CONTROL.sub("", text)


_INLINE_MARKS = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|`([^`\n]+)`")


def plain_inline(text: str) -> str:
    """Text shown outside Markdown (captions, quiz prompts): `code` and **bold** lose their
    marks, not their words."""
    return _INLINE_MARKS.sub(lambda m: m.group(1) or m.group(2), text)
