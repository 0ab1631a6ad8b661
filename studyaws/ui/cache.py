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
- an entry is plain JSON data, never code: reading one builds only the dataclasses the caller asks
  for (`kind`), checking every field's type on the way, so a file planted in the cache can at worst
  be refused — it can't run anything (a pickle could). A missing, foreign, damaged or oversized
  entry is rebuilt and written again; a cache that can't be read or written is ignored: it is
  never a reason to fail, and a failed write leaves no temporary file behind;
- the directory is created 0700 and entries 0600: a shared machine's other users can't read or
  plant them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import stat
import time
import types
import typing
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from studyaws import __version__
from studyaws.content.files import ContentDirError, bundled_content_dir, content_files
from studyaws.ui.env import Env

T = TypeVar("T")
MAX_ENTRIES = 64
MAX_ENTRY_BYTES = 16 * 1024 * 1024
FORMAT = "studyaws-cache-1"
STALE_TEMPORARY_S = 3600
SUFFIX = ".json"

_CODE = Path(__file__).resolve().parent.parent  # the studyaws package


CODE_PACKAGES = ("content", "engine", "sandbox", "scenarios", "study", "ui")


def code_files() -> list[Path]:
    """The modules whose code decides what is cached: a change to any of them is a new key."""
    return [p for package in CODE_PACKAGES for p in sorted((_CODE / package).rglob("*.py"))]


def content_fingerprint(extra_dirs: Sequence[Path]) -> str | None:
    """What a cached course or page depends on: the content files and the code that reads and
    draws them (so a changed renderer in a checkout never serves an old page). None when the
    content can't be listed (a link loop, `--content /`): then nothing is cached, and loading the
    course says what is wrong."""
    digest = hashlib.sha256(__version__.encode())
    try:
        for path in code_files():
            info = path.stat()
            digest.update(f"\0{path}:{info.st_size}:{info.st_mtime_ns}".encode())
        for root in (bundled_content_dir(), *extra_dirs):
            digest.update(f"\0root:{os.path.abspath(root)}".encode())
            try:
                os.stat(root)
            except FileNotFoundError:
                continue
            for path in content_files(root):
                info = path.stat()
                digest.update(f"\0{path}:{info.st_size}:{info.st_mtime_ns}".encode())
    except (OSError, ValueError, ContentDirError):
        return None
    return digest.hexdigest()[:32]


def key(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def cached(env: Env, name: str | None, build: Callable[[], T], kind: Any) -> T:
    """`build()`, or its result from an earlier run stored under `name` (a key; None: don't
    cache). `kind` is the type of the result (`Course`, `str`, `tuple[Question, ...]`): an entry
    is read back only as that type."""
    directory = env.cache_dir
    if directory is None or name is None:
        return build()
    path = directory / f"{name}{SUFFIX}"
    try:
        found: T = _read(path, name, kind)
        return found
    except (OSError, ValueError, TypeError, KeyError, RecursionError, MemoryError, _BadEntryError):
        pass  # absent, foreign or damaged: build it again
    value = build()
    _write(directory, path, name, value)
    return value


# -- reading and writing an entry -----------------------------------------------------------------


class _BadEntryError(Exception):
    """The entry is not what this studyaws writes."""


def _read(path: Path, name: str, kind: Any) -> Any:
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)  # never follows a planted link, never waits on a FIFO
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
            raise _BadEntryError("not a regular file of a sensible size")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(MAX_ENTRY_BYTES + 1)
    finally:
        os.close(fd)
    if len(raw) > MAX_ENTRY_BYTES:
        raise _BadEntryError("too large")
    data = json.loads(raw)
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != name:
        raise _BadEntryError("not an entry of this cache")
    return _decoder(kind)(data.get("value"))


def _write(directory: Path, path: Path, name: str, value: object) -> None:
    try:
        text = json.dumps(
            {"format": FORMAT, "key": name, "value": _encode(value)},
            allow_nan=False,
            ensure_ascii=False,
            separators=(",", ":"),
        )
    except (TypeError, ValueError, RecursionError):
        return  # not plain data (a NaN, an unknown type): not cached
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", closefd=False) as handle:
                handle.write(text)
        finally:
            os.close(fd)
        temporary.replace(path)  # atomic: a reader never sees half a file
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()  # a full disk keeps no half-written entry
        return
    with contextlib.suppress(OSError):
        _prune(directory)


def _prune(directory: Path) -> None:
    """Keep the newest entries; remove stale temporaries and entries of older studyaws (pickles,
    which are never read)."""
    now = time.time()
    entries = []
    for item in directory.iterdir():
        with contextlib.suppress(OSError):
            if item.suffix == ".pickle":
                item.unlink()
            elif item.suffix == ".tmp":
                if now - item.lstat().st_mtime > STALE_TEMPORARY_S:
                    item.unlink()
            elif item.suffix == SUFFIX:
                entries.append((item.lstat().st_mtime, item))
    entries.sort(reverse=True)
    for _mtime, stale in entries[MAX_ENTRIES:]:
        with contextlib.suppress(OSError):
            stale.unlink()


# -- plain data <-> typed values ------------------------------------------------------------------
#
# Frozen dataclasses become JSON objects with a "$type" (their class name), tuples and lists become
# arrays, dicts with string keys objects. Reading goes the other way, driven by the type the caller
# expects and the dataclasses' own type hints: only those classes can come out, each field checked.


def _encode(value: object) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("only string keys")
        return {k: _encode(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {"$type": type(value).__name__}
        for item in dataclasses.fields(value):
            data[item.name] = _encode(getattr(value, item.name))
        return data
    raise TypeError(f"can't cache a {type(value).__name__}")


def _bad(what: str) -> _BadEntryError:
    return _BadEntryError(what)


@functools.cache
def _decoder(hint: Any) -> Callable[[Any], Any]:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is str or hint is int or hint is bool:
        exact = hint

        def scalar(value: Any) -> Any:
            if type(value) is not exact:
                raise _bad(f"expected {exact.__name__}")
            return value

        return scalar
    if hint is float:

        def number(value: Any) -> float:
            if type(value) not in (int, float):
                raise _bad("expected a number")
            return float(value)

        return number
    if hint is type(None):

        def none(value: Any) -> None:
            if value is not None:
                raise _bad("expected null")

        return none
    if origin is typing.Literal:
        allowed = args

        def literal(value: Any) -> Any:
            if value not in allowed or type(value) not in (str, int, bool):
                raise _bad("value not allowed")
            return value

        return literal
    if origin is typing.Union or origin is types.UnionType:
        options = [_decoder(arg) for arg in args]

        def union(value: Any) -> Any:
            for option in options:
                try:
                    return option(value)
                except _BadEntryError:
                    continue
            raise _bad("no type of the union fits")

        return union
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])

            def many(value: Any) -> tuple[Any, ...]:
                if not isinstance(value, list):
                    raise _bad("expected a list")
                return tuple(item(v) for v in value)

            return many
        fixed = [_decoder(arg) for arg in args]

        def pair(value: Any) -> tuple[Any, ...]:
            if not isinstance(value, list) or len(value) != len(fixed):
                raise _bad("expected a fixed list")
            return tuple(f(v) for f, v in zip(fixed, value, strict=True))

        return pair
    if origin is dict and args and args[0] is str:
        item = _decoder(args[1])

        def mapping(value: Any) -> dict[str, Any]:
            if not isinstance(value, dict):
                raise _bad("expected an object")
            return {k: item(v) for k, v in value.items()}

        return mapping
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass_decoder(hint)
    raise TypeError(f"the cache can't hold a {hint!r}")


def _dataclass_decoder(cls: type) -> Callable[[Any], Any]:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls) if f.init]
    expected = {"$type", *names}
    type_name = cls.__name__
    # (name, decoder); None for a plain string, the commonest field, checked inline.
    fields: list[tuple[str, Callable[[Any], Any] | None]] = []

    def decode(value: Any) -> Any:
        if not fields:  # resolved on first use: dataclasses may refer to each other
            fields.extend((n, None if hints[n] is str else _decoder(hints[n])) for n in names)
        if type(value) is not dict or value.get("$type") != type_name or value.keys() != expected:
            raise _bad(f"expected a {type_name}")
        kwargs = {}
        for name, field_decoder in fields:
            item = value[name]
            if field_decoder is None:
                if type(item) is not str:
                    raise _bad(f"{type_name}.{name} must be a string")
                kwargs[name] = item
            else:
                kwargs[name] = field_decoder(item)
        return cls(**kwargs)

    return decode
