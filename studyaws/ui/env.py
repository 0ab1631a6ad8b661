"""The one injectable environment of the shell (httpie's `Environment`, trimmed to our needs).

Every command receives an `Env`: the streams, whether they are terminals, the consoles, the data and
content directories, and the clock and sleep it may use. Tests build their own with `Env.for_test`
and read what was written; nothing in a command reaches for `sys.stdout` or `os.environ` directly.

Rules:
- Decoration, colour and animation only when stdout is a terminal; `NO_COLOR` (any value) and
  `TERM=dumb` turn colour off; piped output is plain text, one item a line.
- Long output goes through a pager only when stdout is a terminal and `pager` is allowed.
- Characters the output encoding can't take are replaced, never a crash (non-UTF-8 locales).
"""

from __future__ import annotations

import io
import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from studyaws.errors import ReaderGone, printable

if TYPE_CHECKING:
    from rich.console import Console

    from studyaws.ui.prompts import Prompter

APP_NAME = "studyaws"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def default_data_dir(environ: Mapping[str, str]) -> Path:
    """`STUDYAWS_HOME` if set, else the platform's user data dir (platformdirs)."""
    home = environ.get("STUDYAWS_HOME")
    if home:
        return Path(home).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_cache_dir(environ: Mapping[str, str]) -> Path:
    """`STUDYAWS_HOME/cache` if set, else the platform's user cache dir (platformdirs)."""
    home = environ.get("STUDYAWS_HOME")
    if home:
        return Path(home).expanduser() / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


def content_dirs_from(environ: Mapping[str, str], extra: tuple[Path, ...] = ()) -> tuple[Path, ...]:
    """Learner content directories: `--content` options first, then `STUDYAWS_CONTENT` entries."""
    dirs = list(extra)
    for part in environ.get("STUDYAWS_CONTENT", "").split(os.pathsep):
        if part.strip():
            dirs.append(Path(part.strip()).expanduser())
    return tuple(dirs)


@dataclass
class Env:
    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    stdin_isatty: bool
    stdout_isatty: bool
    environ: Mapping[str, str]
    data_dir: Path
    content_dirs: tuple[Path, ...] = ()
    cache_dir: Path | None = None  # None: nothing is cached (tests)
    sleep: Callable[[float], None] = time.sleep
    now: Callable[[], datetime] = _utc_now
    monotonic: Callable[[], float] = time.monotonic
    width: int | None = None
    allow_pager: bool = True
    prompter: Prompter | None = None
    _console: Console | None = field(default=None, repr=False)
    _err_console: Console | None = field(default=None, repr=False)

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_process(cls, content_dirs: tuple[Path, ...] = ()) -> Env:
        from studyaws.ui.encoding import readable_output

        readable_output(sys.stdout, sys.stderr)
        environ = dict(os.environ)
        return cls(
            stdin=sys.stdin,
            stdout=sys.stdout,
            stderr=sys.stderr,
            stdin_isatty=_isatty(sys.stdin),
            stdout_isatty=_isatty(sys.stdout),
            environ=environ,
            data_dir=default_data_dir(environ),
            cache_dir=default_cache_dir(environ),
            content_dirs=content_dirs_from(environ, content_dirs),
        )

    @classmethod
    def for_test(
        cls,
        *,
        stdin: str = "",
        tty: bool = False,
        width: int = 80,
        environ: Mapping[str, str] | None = None,
        data_dir: Path | None = None,
        content_dirs: tuple[Path, ...] = (),
        now: Callable[[], datetime] | None = None,
    ) -> Env:
        """An environment writing to StringIO; read `env.stdout.getvalue()` afterwards."""
        env = cls(
            stdin=io.StringIO(stdin),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
            stdin_isatty=tty,
            stdout_isatty=tty,
            environ=dict(environ or {}),
            data_dir=data_dir or Path(os.devnull),
            content_dirs=content_dirs,
            sleep=lambda _s: None,
            width=width,
            allow_pager=False,
        )
        if now is not None:
            env.now = now
        return env

    # -- properties ---------------------------------------------------------------------------

    @property
    def interactive(self) -> bool:
        """Prompts and animation are allowed: both stdin and stdout are terminals."""
        return self.stdin_isatty and self.stdout_isatty

    @property
    def color(self) -> bool:
        if "NO_COLOR" in self.environ or self.environ.get("TERM") == "dumb":
            return False
        return self.stdout_isatty or "FORCE_COLOR" in self.environ

    @property
    def output_width(self) -> int:
        if self.width is not None:
            return self.width
        columns = self.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            return int(columns)
        if self.stdout_isatty:
            try:
                return os.get_terminal_size(self.stdout.fileno()).columns
            except (OSError, ValueError, AttributeError):
                return 80
        return 80

    @property
    def console(self) -> Console:
        if self._console is None:
            self._console = self._make_console(self.stdout, self.stdout_isatty)
        return self._console

    @property
    def err_console(self) -> Console:
        if self._err_console is None:
            self._err_console = self._make_console(self.stderr, _isatty(self.stderr))
        return self._err_console

    def _make_console(self, file: TextIO, isatty: bool) -> Console:
        from rich.console import Console

        class _Console(Console):
            def on_broken_pipe(self) -> None:
                # `studyaws search x | head -1`: the reader left. main() ends quietly, status 0.
                self.quiet = True
                raise ReaderGone

        plain = not self.color
        return _Console(
            file=file if isatty else cast(TextIO, _LineEndTrimmer(file)),
            width=self.output_width,
            force_terminal=(isatty or "FORCE_COLOR" in self.environ) and not plain,
            no_color=plain,
            color_system=None if plain else "auto",
            highlight=False,
            emoji=False,
            markup=True,
            soft_wrap=False,
            force_interactive=isatty if isatty else False,
            legacy_windows=False,
        )

    # -- output helpers -----------------------------------------------------------------------

    def error(self, message: str) -> None:
        """One line on stderr, plain: `studyaws: error: ...` (controls escaped)."""
        self._say(f"{APP_NAME}: error: {printable(message)}\n")

    def warn(self, message: str) -> None:
        self._say(f"{APP_NAME}: warning: {printable(message)}\n")

    def _say(self, line: str) -> None:
        try:
            self.stderr.write(line)
            self.stderr.flush()
        except (OSError, ValueError, AttributeError):
            pass  # stderr closed or full: nowhere left to say it


class _LineEndTrimmer(io.TextIOBase):
    """Piped output without the padding spaces rich adds to fill the width."""

    def __init__(self, target: TextIO) -> None:
        self.target = target
        self.pending = ""

    def write(self, text: str) -> int:
        lines = (self.pending + text).split("\n")
        self.pending = lines.pop()
        if lines:
            self.target.write("".join(line.rstrip() + "\n" for line in lines))
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.target.write(self.pending)
            self.pending = ""
        self.target.flush()

    def isatty(self) -> bool:
        return False


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (ValueError, OSError):
        return False
