"""A disk cache for the shell: the validated course and rendered pages, keyed by content.

Start-up matters for a CLI (DESIGN §6). Parsing and validating ~400 KB of YAML and rendering a topic
with rich cost more than everything else `learn` does, and both depend only on the content files,
the studyaws version and the output settings. So the first run stores its result and later runs
reuse it, like `man` keeps formatted pages:

- the key is a hash of the studyaws version, the size and mtime of every module that computes
  what is cached (`code_files`: the content reader, the engine, the sandbox and the scenario
  runner that answer the predictions, the renderer), every content file's path, size and mtime,
  and (for pages) the topic, section, width and colour mode; any edit to content or to that code,
  an upgrade included, gives a new key;
- the cache lives in `env.cache_dir`: `STUDYAWS_HOME/cache` when that is set, else the platform's
  user cache dir; an `Env` built for a test caches nothing;
- a cache that can't be read or written is ignored: it is never a reason to fail.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from studyaws import __version__
from studyaws.content.files import bundled_content_dir, content_files
from studyaws.ui.env import Env

T = TypeVar("T")
MAX_ENTRIES = 64


_CODE = Path(__file__).resolve().parent.parent  # the studyaws package


CODE_PACKAGES = ("content", "engine", "sandbox", "scenarios", "study", "ui")


def code_files() -> list[Path]:
    """The modules whose code decides what is cached: a change to any of them is a new key."""
    return [p for package in CODE_PACKAGES for p in sorted((_CODE / package).rglob("*.py"))]


def content_fingerprint(extra_dirs: Sequence[Path]) -> str:
    """What a cached course or page depends on: the content files and the code that reads and
    draws them (so a changed renderer in a checkout never serves an old page)."""
    digest = hashlib.sha256(__version__.encode())
    for path in code_files():
        stat = path.stat()
        digest.update(f"\0{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    for root in (bundled_content_dir(), *extra_dirs):
        digest.update(f"\0root:{root.resolve()}".encode())
        if not root.exists():
            continue
        for path in content_files(root):
            stat = path.stat()
            digest.update(f"\0{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def key(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def cached(env: Env, name: str, build: Callable[[], T]) -> T:
    """`build()`, or its pickled result from an earlier run with the same `name` (a key)."""
    directory = env.cache_dir
    if directory is None:
        return build()
    path = directory / f"{name}.pickle"
    try:
        with path.open("rb") as handle:
            value: T = pickle.load(handle)
        return value
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
        pass
    value = build()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)  # atomic: a reader never sees half a file
        _prune(directory)
    except OSError:
        pass
    return value


def _prune(directory: Path) -> None:
    entries = sorted(directory.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in entries[MAX_ENTRIES:]:
        stale.unlink(missing_ok=True)
