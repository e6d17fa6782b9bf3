"""Strategy: spend by objective and investment class, benefits, coordination, problem log.

A project that serves several objectives has its budget and cost split equally among them, so
the objective totals add up to the portfolio total.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from itreport.analyse.finance import approved_budget
from itreport.analyse.money import ZERO, pct
from itreport.content import Content
from itreport.models.projects import InvestmentClass, ProjectState
from itreport.models.strategy import Coordination, CoordinationState, LoggedProblem, Objective, ProblemState

UNASSIGNED = "unassigned"


@dataclass(frozen=True)
class Spend:
    key: str
    label: str
    budget: Decimal
    actual: Decimal
    projects: int


@dataclass(frozen=True)
class StrategyFigures:
    by_objective: tuple[Spend, ...]
    by_class: tuple[Spend, ...]
    benefits_planned: Decimal
    benefits_realised: Decimal
    objectives: tuple[Objective, ...]
    coordination: tuple[Coordination, ...]
    problems_open: tuple[LoggedProblem, ...]
    problems_resolved: tuple[LoggedProblem, ...]

    @property
    def benefits_pct(self) -> Decimal | None:
        return pct(self.benefits_realised, self.benefits_planned)


def _split(amount: Decimal, parts: int) -> list[Decimal]:
    """Split into `parts` cent amounts that add up exactly (remainder to the first parts)."""
    cents = (amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    base, rest = divmod(cents, parts)
    return [(base + (1 if i < rest else 0)) / 100 for i in range(parts)]


def analyse_strategy(content: Content) -> StrategyFigures:
    funded = [p for p in content.projects if p.state is not ProjectState.PROPOSED]
    titles = {o.id: o.title for o in content.strategy.objectives}
    sums: dict[str, list[Decimal]] = {key: [ZERO, ZERO, ZERO] for key in [*titles, UNASSIGNED]}
    classes: dict[str, list[Decimal]] = {c.value: [ZERO, ZERO, ZERO] for c in InvestmentClass}
    planned = realised = ZERO
    for p in funded:
        budget = approved_budget(p)
        keys = p.objectives or [UNASSIGNED]
        for key, b, a in zip(
            keys, _split(budget, len(keys)), _split(p.budget.actual_to_date, len(keys)), strict=True
        ):
            sums[key][0] += b
            sums[key][1] += a
            sums[key][2] += 1
        c = classes[p.investment_class.value]
        c[0] += budget
        c[1] += p.budget.actual_to_date
        c[2] += 1
        for benefit in p.benefits:
            if benefit.financial:
                planned += benefit.planned or ZERO
                realised += benefit.realised
    by_objective = tuple(
        Spend(k, titles.get(k, UNASSIGNED), v[0], v[1], int(v[2]))
        for k, v in sums.items()
        if k != UNASSIGNED or v[2]
    )
    by_class = tuple(Spend(k, k, v[0], v[1], int(v[2])) for k, v in classes.items())
    s = content.strategy
    return StrategyFigures(
        by_objective=by_objective,
        by_class=by_class,
        benefits_planned=planned,
        benefits_realised=realised,
        objectives=tuple(s.objectives),
        coordination=tuple(
            sorted(
                (c for c in s.coordination if c.state is not CoordinationState.CLOSED),
                key=lambda c: (c.next_date is None, c.next_date, c.id),
            )
        ),
        problems_open=tuple(p for p in s.problems if p.state is not ProblemState.RESOLVED),
        problems_resolved=tuple(
            p
            for p in s.problems
            if p.state is ProblemState.RESOLVED
            and p.resolved is not None
            and content.division.period.start <= p.resolved <= content.division.period.end
        ),
    )
