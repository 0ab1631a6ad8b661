"""Content problems: `path:line:col: CODE message`, collected, never raised one at a time.

The codes, grouped by kind (yamllint's and tldr-lint's practice: a catalogue, one failing
fixture per code under tests/content/fixtures/bad/):

SA1xx  syntax         the file can't be read as YAML at all, or is past a limit (limits.py)
SA2xx  shape          the YAML is not the shape its `kind` allows
SA3xx  one file       the shape is right but the content contradicts itself
SA4xx  cross-file     a reference to something defined elsewhere is wrong
SA5xx  executable     running the content (a scenario on the engine) fails
SA6xx  advice         a warning, not an error: the content is valid but teaches less well than
                      it could (printed by `studyaws validate`, never a reason to refuse the course)
"""

from __future__ import annotations

from dataclasses import dataclass

from studyaws.content.model import Loc
from studyaws.errors import printable

CODES: dict[str, str] = {
    "SA101": "YAML syntax error",
    "SA102": "the file is not a YAML mapping",
    "SA103": "duplicate key in a mapping",
    "SA104": "the file can't be read (missing, not UTF-8, not a regular file)",
    "SA105": "the file is too large",
    "SA106": "too many YAML nodes, or nested too deeply",
    "SA107": "aliases expand to too many nodes",
    "SA108": "too many files under a content directory",
    "SA201": "unknown key",
    "SA202": "missing required key",
    "SA203": "wrong type",
    "SA204": "value not allowed (format, range or choice)",
    "SA205": "unsupported format_version",
    "SA206": "unknown kind",
    "SA301": "duplicate id within the file",
    "SA302": "answer is not among the choices",
    "SA303": "a wrong choice has no why_not",
    "SA304": "why_not names a choice that is not wrong",
    "SA305": "order answer is not a permutation of the items",
    "SA306": "answer and its fact have incompatible units",
    "SA307": "diagram edge names an unknown node",
    "SA308": "two diagram nodes share a cell",
    "SA309": "control characters in text",
    "SA310": "question type and its keys don't fit",
    "SA401": "id defined in two files",
    "SA402": "unknown fact",
    "SA403": "unknown section",
    "SA404": "unknown topic",
    "SA405": "unknown diagram",
    "SA406": "answer disagrees with its fact",
    "SA407": "unknown scenario or checkpoint",
    "SA501": "the scenario does not run on the engine",
    "SA601": "the right choice is the longest one too often (warning)",
}

# Codes that warn: `validate` prints them and still succeeds, and the course loads with them.
WARNINGS: frozenset[str] = frozenset({"SA601"})


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    loc: Loc
    code: str
    message: str

    @property
    def is_warning(self) -> bool:
        return self.code in WARNINGS

    def __str__(self) -> str:
        level = "warning: " if self.is_warning else ""
        return f"{self.loc}: {self.code} {level}{printable(self.message)}"


class ContentError(Exception):
    """Raised when content has errors; `problems` are all of them, in file order (no warnings)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_sort_key)
        first = self.problems[0] if self.problems else "no problems"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(f"{first}{more}")


def _sort_key(problem: Problem) -> tuple[str, int, int, str]:
    return (problem.loc.path, problem.loc.line, problem.loc.col, problem.code)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=_sort_key)
