"""The division's overall status: one colour per area and the worst of them.

- portfolio: red when more than a quarter of live projects are red, amber when any is red or more
  than a quarter are amber, grey (not assessed) when no project is live, else green. A live
  project without a current status report counts by what its facts say (its worst computed
  dimension) and at least as amber: not reporting neither hides a red nor passes for green;
- finance: full-year forecast variance against plan, by the budget-variance threshold (overspend
  only; an underspend is reported but does not colour the status);
- people: amber when more than a fifth of employees have an overdue review or any required
  certification is held by fewer than half of a role's holders.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from itreport.analyse.finance import Finance
from itreport.analyse.people import PeopleFigures
from itreport.analyse.portfolio import Health
from itreport.analyse.rag import Rag, by_threshold, worst
from itreport.models.division import Thresholds


@dataclass(frozen=True)
class Status:
    portfolio: Rag
    finance: Rag
    people: Rag

    @property
    def overall(self) -> Rag:
        return worst([self.portfolio, self.finance, self.people])


def portfolio_colour(h: Health) -> Rag:
    """How one live project counts towards the portfolio status (stale: assessed, at least amber)."""
    return worst([h.assessed, Rag.AMBER]) if h.stale else h.computed


def portfolio_status(health: tuple[Health, ...]) -> Rag:
    live = [h for h in health if h.live]
    if not live:
        return Rag.GREY  # nothing live to judge: "not assessed", never a green of zero projects
    colours = [portfolio_colour(h) for h in live]
    red = sum(1 for c in colours if c is Rag.RED)
    amber = sum(1 for c in colours if c is Rag.AMBER)
    if red * 4 > len(live):
        return Rag.RED
    if red or amber * 4 > len(live):
        return Rag.AMBER
    return Rag.GREEN


def finance_status(finance: Finance | None, t: Thresholds) -> Rag:
    if finance is None or finance.total.variance_fy_pct is None:
        return Rag.GREY
    return by_threshold(max(finance.total.variance_fy_pct, Decimal(0)), t.budget_variance_pct)


def people_status(people: PeopleFigures) -> Rag:
    employees = people.by_type.get("employee", 0)
    if employees and len(people.reviews_overdue) * 5 > employees:
        return Rag.AMBER
    if any(c.required and c.holders * 2 < c.required for c in people.coverage):
        return Rag.AMBER
    return Rag.GREEN


def division_status(
    health: tuple[Health, ...], finance: Finance | None, people: PeopleFigures, t: Thresholds
) -> Status:
    return Status(portfolio_status(health), finance_status(finance, t), people_status(people))
