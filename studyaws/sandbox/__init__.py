"""The sandbox: the command language of DESIGN §4 run against the engine (pure: no UI imports).

- `language.py` — the grammar as data and the parser (`parse`, `SandboxSyntaxError`, durations);
- `commands.py` — `run_line(world, line)` → the JSON result object of the contract;
- `session.py` — `Session` (undo/reset by replay) and `run_script`;
- `text.py` — one readable line per result for humans.
"""

from studyaws.sandbox.commands import run_command, run_line
from studyaws.sandbox.language import SandboxSyntaxError, parse, parse_duration
from studyaws.sandbox.session import Outcome, ScriptError, Session, run_script

__all__ = [
    "Outcome",
    "SandboxSyntaxError",
    "ScriptError",
    "Session",
    "parse",
    "parse_duration",
    "run_command",
    "run_line",
    "run_script",
]
