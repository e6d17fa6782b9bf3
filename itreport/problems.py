"""Problems found in the data: one type for YAML, model and cross-file errors alike.

Every stage that finds something wrong with the user's data yields `Problem`s; the CLI reports
them all at once. A `ProblemsFound` exception carries a list of them out of the library.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


NoteValue = str | int | Decimal | date


@dataclass(frozen=True)
class Note:
    """A warning worded for the briefing's readers: a catalogue key (`dq_<name>` in
    itreport/locale/*.yaml) and the values it names. No file or line: those are for `validate`.
    """

    key: str
    values: tuple[tuple[str, NoteValue], ...] = ()


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, located in a file (line and column are 1-based; 0 means "whole file")."""

    file: str
    line: int
    col: int
    severity: Severity = field(compare=False)
    message: str = field(compare=False)
    hint: str = field(default="", compare=False)
    width: int = field(default=1, compare=False)
    rule: str = field(default="", compare=False)
    note: Note | None = field(default=None, compare=False)
    """How the briefing's data-quality list words this warning (None: counted, not described)."""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class ProblemsFound(Exception):
    """Raised by library entry points when the data has errors (the CLI maps it to exit 1)."""

    def __init__(self, problems: Sequence[Problem], sources: dict[str, str] | None = None) -> None:
        super().__init__(f"{len(problems)} problem(s) in the data")
        self.problems = list(problems)
        self.sources = sources or {}


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Sorted by file and position, duplicates (same place, same message) removed."""
    seen: set[tuple[str, int, int, str]] = set()
    out: list[Problem] = []
    for p in sorted(problems, key=lambda p: (p.file, p.line, p.col, p.severity != Severity.ERROR, p.message)):
        key = (p.file, p.line, p.col, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A " (did you mean 'x'?)" suffix for the closest choice, or ""."""
    close = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""
