"""Edition stage: the value of each figure the narrative cites, as this audience may see it.

People figures come from the edition's own `PeopleView`, so a count that the tables suppress for
a totals-only audience (board, executive) is withheld in the narrative too: the renderer prints
"<5" for it, exactly like the tables. Everything else comes from the analysis.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from itreport.analyse import Analysis
from itreport.analyse.portfolio import Health, milestone_due, rag_counts, red_causes
from itreport.citations import Arg, Cited, Figure, Spec, Value, parse

if TYPE_CHECKING:
    from itreport.edition import PeopleView


# The division's variances and the figures they are the difference of (minuend, subtrahend).
DIFFERENCES = {"variance_fy": ("forecast_fy", "plan_fy"), "variance_ytd": ("actual_ytd", "plan_ytd")}


def _finance(a: Analysis, attr: str) -> Value:
    if a.finance is None:
        return None
    if attr.startswith("savings_"):
        return Decimal(getattr(a.finance, attr))
    return getattr(a.finance.total, attr)  # type: ignore[no-any-return]


def _type_count(p: PeopleView, kind: str) -> Figure:
    """A count by employment type; absent when merged into 'other' for a totals-only audience."""
    cell = next((c for c in p.types if c.label == kind), None)
    if cell is None:
        return Figure("count", None, p.k_min) if p.totals_only else Figure("count", 0)
    return Figure("count", cell.count)


def _people(p: PeopleView, name: str) -> Figure:
    if name in ("employees", "contractors", "consultants"):
        return _type_count(p, name.removesuffix("s"))
    values: dict[str, Value] = {
        "headcount": p.headcount,
        "fte": p.fte,
        "joiners": p.joiners,
        "leavers": p.leavers,
        "leavers_12m": p.leavers_12m,
        "attrition_pct": p.attrition_pct,
        "reviews_overdue": p.reviews_overdue,
        "certs_expired": p.certs_expired,
        "training_completion_pct": p.training_completion_pct,
    }
    value = values[name]
    kind = "percent" if name.endswith("_pct") else "fte" if name == "fte" else "count"
    # None here means suppressed for this audience (the analysis itself always has a value,
    # except a percentage of nothing, which only a totals-only view turns into None too).
    return Figure(kind, value, p.k_min if value is None and p.totals_only else None)


def _project(h: Health, name: str) -> Value:
    p = h.project
    values: dict[str, Callable[[], Value]] = {
        "budget": lambda: h.budget,
        "eac": lambda: h.eac,
        "eac_variance": lambda: h.eac - h.budget,
        "eac_variance_pct": lambda: h.overrun_pct,
        "cost_to_date": lambda: p.budget.actual_to_date,
        "percent_complete": lambda: p.percent_complete,
        "baseline_end": lambda: h.baseline_end,
        "forecast_end": lambda: h.forecast_end,
        "slip_days": lambda: h.slip_days,
    }
    return values[name]()


def figure(spec: Spec, arg: str, a: Analysis, people: PeopleView) -> Figure:
    """One cited figure for one edition. Unknown arguments (not possible after validation) → None."""
    kind = spec.kind.value
    if spec.people:
        return _people(people, spec.name)
    if spec.arg is Arg.PROJECT:
        h = next((h for h in a.portfolio if h.project.id == arg), None)
        if h is not None and spec.name == "eac_variance":
            return Figure(kind, h.eac - h.budget, operands=(h.eac, h.budget))
        return Figure(kind, _project(h, spec.name) if h else None)
    if spec.arg is Arg.MILESTONE:
        pid, _, mid = arg.partition("/")
        h = next((h for h in a.portfolio if h.project.id == pid), None)
        m = next((m for m in h.project.milestones if m.id == mid), None) if h else None
        if m is None:
            return Figure(kind, None)
        return Figure(kind, m.baseline if spec.name == "milestone_baseline" else m.actual or milestone_due(m))
    if spec.arg is Arg.SAVING:
        s = next((s for s in a.finance.savings if s.id == arg), None) if a.finance else None
        return Figure(kind, None if s is None else s.target if spec.name == "saving_target" else s.realised)
    counts = rag_counts(a.portfolio)
    live = [h for h in a.portfolio if h.live]
    division: dict[str, Callable[[], Value]] = {
        "live_projects": lambda: len(live),
        "red_projects": lambda: counts["red"],
        "amber_projects": lambda: counts["amber"],
        "green_projects": lambda: counts["green"],
        "grey_projects": lambda: counts["grey"],
        "open_risks": lambda: a.risks.open_count,
        "open_issues": lambda: a.risks.open_issues,
        "pending_decisions": lambda: len(a.risks.decisions),
        "missed_milestones": lambda: len(a.milestones.missed),
        "milestones_achieved": lambda: len(a.milestones.completed),
        "open_positions": lambda: len(people.open_positions),
        "open_fte": lambda: people.open_fte,
    }
    if spec.name in division:
        return Figure(kind, division[spec.name]())
    if spec.name.startswith("red_on_"):
        return Figure(kind, red_causes(a.portfolio)[spec.name.removeprefix("red_on_")])
    if spec.name in DIFFERENCES and a.finance is not None:
        minuend, subtrahend = DIFFERENCES[spec.name]
        t = a.finance.total
        return Figure(kind, _finance(a, spec.name), operands=(getattr(t, minuend), getattr(t, subtrahend)))
    return Figure(kind, _finance(a, spec.name))


def cite(text: str | None, a: Analysis, people: PeopleView) -> Cited:
    """`text` split into literal parts and the figures it cites; a bad citation stays literal."""
    if not text:
        return Cited(())
    parts: list[str | Figure] = []
    at = 0
    for c in parse(text):
        if c.spec is None:
            continue
        parts.append(text[at : c.start])
        parts.append(figure(c.spec, c.arg, a, people))
        at = c.end
    parts.append(text[at:])
    return Cited(tuple(p for p in parts if p != ""))
