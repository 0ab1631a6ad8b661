"""`learn` without rich on the fast path: a rendered page comes from the cache when it can.

The page is rendered once per (content, topic, section, width, colour) by `reading.render_learn`
and kept in the disk cache (`cache.py`); then it is written out, through a pager when stdout is a
terminal and the page is taller than the screen.
"""

from __future__ import annotations

import os
import re

from studyaws.errors import ReaderGone
from studyaws.ui.cache import cached, content_fingerprint, key
from studyaws.ui.env import Env

_INLINE_MARKS = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|`([^`\n]+)`")


def plain_inline(text: str) -> str:
    """Text shown outside Markdown (captions, quiz prompts): `code` and **bold** lose their
    marks, not their words."""
    return _INLINE_MARKS.sub(lambda m: m.group(1) or m.group(2), text)


def learn(env: Env, topic_id: str, section_id: str | None) -> int:
    fingerprint = content_fingerprint(env.content_dirs)
    page_key = key(
        fingerprint,
        "learn",
        topic_id.lower(),
        (section_id or "").lower(),
        env.output_width,
        env.color,
        env.stdout_isatty,
    )

    def render() -> str:
        from studyaws.ui.reading import render_learn

        return render_learn(env, topic_id, section_id)

    name = f"page-{page_key}" if fingerprint is not None else None
    emit(env, cached(env, name, render, str))
    return 0


def emit(env: Env, text: str) -> None:
    if env.stdout_isatty and env.allow_pager and text.count("\n") > _screen_height(env):
        import pydoc

        os.environ.setdefault("LESS", "-R")
        pydoc.pager(text)
        return
    try:
        env.stdout.write(text)
        env.stdout.flush()
    except BrokenPipeError:
        raise ReaderGone from None


def _screen_height(env: Env) -> int:
    try:
        return os.get_terminal_size(env.stdout.fileno()).lines
    except (OSError, ValueError, AttributeError):
        return 24
