"""Worst first, then a bounded number: how long lists stay readable at 400 projects.

A board reads the few items that need it, not a directory. Lists are ranked by severity and cut
to a limit by pure functions here, so that every edition counts the same way and the figures it
prints ("10 shown, and 215 more") add up to the totals shown elsewhere.

Project severity, worst first:
1. colour: red, then amber, then grey, then green. A live project without a current report ranks
   by what its facts say and at least as amber (as it counts towards the portfolio status);
2. size of the problem: the larger of cost overrun (% of budget) and schedule slip (% of the
   baseline duration); a project with neither figure known ranks after those with one;
3. slip in days, larger first; then by name (and id), so that the order is total and stable.

Project costs: the largest overspend (EAC − budget) first, then by name.

Decisions: the head of IT's asks first (they are put to the reader on purpose), then the
projects' pending decisions by their project's severity, each group by date needed (undated
last).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Generic, TypeVar

from itreport.analyse.decisions import DecisionRow
from itreport.analyse.finance import ProjectCost
from itreport.analyse.portfolio import Health
from itreport.analyse.rag import Rag
from itreport.analyse.summary import portfolio_colour

T = TypeVar("T")


@dataclass(frozen=True)
class Bounded(Generic[T]):
    """The first items of a ranked list and how many more there are."""

    shown: tuple[T, ...]
    more: int

    @property
    def total(self) -> int:
        return len(self.shown) + self.more


def bounded(items: Iterable[T], limit: int | None) -> Bounded[T]:
    """At most `limit` items (None: all); `more` counts the rest, so shown + more = all."""
    every = tuple(items)
    if limit is not None and limit < 0:
        raise ValueError("limit must not be negative")
    if limit is None or len(every) <= limit:
        return Bounded(every, 0)
    return Bounded(every[:limit], len(every) - limit)


def severity_colour(h: Health) -> Rag:
    """The colour a project ranks by: a live one as it counts towards the portfolio status."""
    return portfolio_colour(h) if h.live else h.computed


def problem_size(h: Health) -> Decimal | None:
    """The larger of cost overrun % and schedule slip %; None when neither is known."""
    known = [v for v in (h.overrun_pct, h.slip_pct) if v is not None]
    return max(known) if known else None


def project_key(h: Health) -> tuple[int, bool, Decimal, int, str, str]:
    """Sort key, worst project first (see the module doc)."""
    size = problem_size(h)
    return (
        -severity_colour(h).severity,
        size is None,
        -(size if size is not None else Decimal(0)),
        -h.slip_days,
        h.project.name,
        h.project.id,
    )


def rank_projects(health: Iterable[Health]) -> tuple[Health, ...]:
    return tuple(sorted(health, key=project_key))


def is_exception(h: Health) -> bool:
    """Live and red or amber, or without a current report: it stays here until it reports."""
    return h.live and (h.stale or h.computed in (Rag.RED, Rag.AMBER))


def exceptions(health: Iterable[Health]) -> tuple[Health, ...]:
    """The projects that need attention, worst first."""
    return rank_projects(h for h in health if is_exception(h))


def exception_counts(rows: Iterable[Health]) -> dict[str, int]:
    """Exceptions by the colour shown: red, amber and not reported (stale); they sum to the total."""
    counts = {"red": 0, "amber": 0, "stale": 0}
    for h in rows:
        counts["stale" if h.stale else h.computed.value] += 1
    return counts


def decision_key(
    colours: Mapping[str, Rag], as_of: date
) -> Callable[[DecisionRow], tuple[bool, int, bool, date, str]]:
    """Sort key for decision rows: asks first, then by project colour, then by date needed."""

    def key(r: DecisionRow) -> tuple[bool, int, bool, date, str]:
        colour = None if r.ask else colours.get(r.project_id)
        return (
            not r.ask,
            -(colour.severity if colour is not None else 0),
            r.needed_by is None,
            r.needed_by or as_of,
            str(r.title),
        )

    return key


def rank_decisions(
    rows: Sequence[DecisionRow], colours: Mapping[str, Rag], as_of: date
) -> tuple[DecisionRow, ...]:
    """`rows` most pressing first (see the module doc); `colours` maps project id to colour."""
    return tuple(sorted(rows, key=decision_key(colours, as_of)))


def rank_costs(costs: Iterable[ProjectCost]) -> tuple[ProjectCost, ...]:
    """Project cost rows, the largest overspend first (see the module doc)."""
    return tuple(sorted(costs, key=lambda c: (-c.variance, c.project.name, c.project.id)))
