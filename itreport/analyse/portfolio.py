"""Project health: RAG per dimension computed from facts, earned value, milestones.

Rules (printed in the appendix):
- schedule: slip = forecast end − baseline end, in days and as % of the baseline duration;
  red/amber by the schedule thresholds; any key milestone past due without an actual is red.
- cost: overrun = (EAC − budget) / budget, by the cost threshold.
- scope: the latest report's scope assessment, and at least amber if a decision requested is
  past its needed-by date.
- resources: the latest report's resources assessment, and at least amber without a project
  manager; red if the project manager has left.
- a dimension's reason is the one that sets its colour: when the report is worse than the rule
  (red resources reported for a project without a manager, which the rule makes amber), the
  reason is the report's comment (or none), never "no project manager" beside a red that the
  appendix says it gives amber.
- risk: red for an open risk at or above the red score without mitigation, or an open critical
  issue past due; amber for an open risk at or above the amber score without mitigation, or any
  open critical issue.
- overall: the worst dimension; grey when the latest status report is older than the limit.
  A stale project keeps its computed dimensions and reasons (`assessed`): it stays in Exceptions,
  marked "status not reported", and counts towards the portfolio status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from itreport.analyse.finance import approved_budget, estimate_at_completion
from itreport.analyse.money import pct
from itreport.analyse.rag import Rag, better_than, by_threshold, worst
from itreport.content import Content
from itreport.models.division import Thresholds
from itreport.models.people import Person
from itreport.models.projects import (
    Assessment,
    DecisionState,
    InvestmentClass,
    IssueState,
    ItemState,
    Milestone,
    Priority,
    Project,
    ProjectState,
    StatusReport,
)

DIMENSIONS = ("schedule", "cost", "scope", "resources", "risk")
LIVE = (ProjectState.ACTIVE, ProjectState.ON_HOLD)


@dataclass(frozen=True)
class EarnedValue:
    bac: Decimal
    pv: Decimal
    ev: Decimal
    ac: Decimal
    cpi: Decimal | None
    spi: Decimal | None
    eac: Decimal | None


@dataclass(frozen=True)
class Reason:
    """Why a dimension is not green, as a message and its values, so each edition says it in its
    own language (`reason.<key>` in the catalogues). `comment` is the manager's own words."""

    key: str
    values: tuple[tuple[str, str | int | Decimal], ...] = ()


@dataclass(frozen=True)
class Health:
    project: Project
    live: bool
    latest: StatusReport | None
    report_age_days: int | None
    stale: bool
    dimensions: dict[str, Rag]
    reasons: dict[str, Reason]
    computed: Rag
    """The overall colour shown: the worst dimension, grey when stale or not live."""
    assessed: Rag
    """The worst dimension whatever the report's age: what the facts say, for Exceptions and the
    portfolio status, so that a red project cannot leave them by not reporting."""
    reported: Rag | None
    flagged: bool
    baseline_end: date | None
    forecast_end: date | None
    slip_days: int
    slip_pct: Decimal | None
    budget: Decimal
    eac: Decimal
    overrun_pct: Decimal | None
    earned_value: EarnedValue | None


@dataclass(frozen=True)
class MilestoneView:
    project: Project
    milestone: Milestone
    due: date
    slip_days: int


@dataclass(frozen=True)
class Milestones:
    completed: tuple[MilestoneView, ...]
    upcoming: tuple[MilestoneView, ...]
    missed: tuple[MilestoneView, ...]


def _q(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def latest_report(project: Project) -> StatusReport | None:
    return max(project.status, key=lambda r: r.date, default=None)


def milestone_due(ms: Milestone) -> date:
    return ms.forecast or ms.baseline


def schedule_dates(project: Project) -> tuple[date | None, date | None]:
    """(baseline end, forecast end): the actual end when finished, else forecast, else baseline."""
    s = project.schedule
    base = s.baseline.end
    fc = (
        (s.actual.end if s.actual and s.actual.end else None)
        or (s.forecast.end if s.forecast else None)
        or base
    )
    return base, fc


def earned_value(project: Project, bac: Decimal, as_of: date) -> EarnedValue | None:
    """PV from a straight line over the baseline; EV from % complete; indicative EAC = BAC / CPI."""
    start, end = project.schedule.baseline.start, project.schedule.baseline.end
    if bac <= 0 or start is None or end is None or end <= start:
        return None
    elapsed = min(max((as_of - start).days, 0), (end - start).days)
    planned_fraction = Decimal(elapsed) / Decimal((end - start).days)
    pv = _q(bac * planned_fraction)
    ev = _q(bac * project.percent_complete / 100)
    ac = project.budget.actual_to_date
    cpi = _q(ev / ac) if ac > 0 else None
    spi = _q(ev / pv) if pv > 0 else None
    eac = _q(bac * ac / ev) if ev > 0 and ac > 0 else None  # BAC / CPI with the unrounded CPI
    return EarnedValue(bac, pv, ev, ac, cpi, spi, eac)


def _reported(assessment: Assessment | None) -> Rag:
    return Rag(assessment.rag.value) if assessment is not None else Rag.GREEN


def assess(project: Project, people: dict[str, Person], t: Thresholds, as_of: date) -> Health:
    live = project.state in LIVE
    latest = latest_report(project)
    age = (as_of - latest.date).days if latest else None
    stale = live and (age is None or age > t.status_stale_days)
    base_end, fc_end = schedule_dates(project)
    slip_days = (fc_end - base_end).days if base_end and fc_end else 0
    base_start = project.schedule.baseline.start
    duration = (base_end - base_start).days if base_start and base_end else 0
    slip_pct = pct(Decimal(slip_days), Decimal(duration)) if duration > 0 else None
    budget = approved_budget(project)
    eac = estimate_at_completion(project)
    overrun = pct(eac - budget, budget)

    dims: dict[str, Rag] = {}
    why: dict[str, Reason] = {}
    # schedule
    overdue_key = [m for m in project.milestones if m.key and m.actual is None and milestone_due(m) < as_of]
    by_days = by_threshold(slip_days, t.schedule_slip_days)
    by_share = by_threshold(slip_pct, t.schedule_slip_pct)
    sched = worst([by_days, by_share])
    if overdue_key:
        sched = Rag.RED
        why["schedule"] = Reason("milestone_overdue", (("name", overdue_key[0].name),))
    elif slip_days and slip_pct is not None and by_share.severity > by_days.severity:
        # The share of the duration sets the colour: "+20 days" alone beside a red that the
        # thresholds give from 30 days would contradict them.
        why["schedule"] = Reason("slip_share", (("days", slip_days), ("pct", slip_pct)))
    elif slip_days:
        why["schedule"] = Reason("slip", (("days", slip_days),))
    dims["schedule"] = sched
    # cost
    dims["cost"] = by_threshold(overrun, t.cost_overrun_pct) if overrun is not None else Rag.GREEN
    if overrun:
        why["cost"] = Reason("overrun", (("pct", overrun),))
    # scope
    scope = _reported(latest.scope if latest else None)
    late_decisions = [
        d
        for d in project.decisions
        if d.state is DecisionState.PENDING and d.needed_by is not None and d.needed_by < as_of
    ]
    if late_decisions and scope.severity <= Rag.AMBER.severity:
        why["scope"] = Reason("decision_overdue", (("title", late_decisions[0].title),))
    if late_decisions:
        scope = worst([scope, Rag.AMBER])
    dims["scope"] = scope
    # resources
    res = _reported(latest.resources if latest else None)
    pm = people.get(project.manager) if project.manager else None
    if project.manager is None:
        if res.severity <= Rag.AMBER.severity:
            why["resources"] = Reason("no_manager")
        res = worst([res, Rag.AMBER])
    elif pm is not None and pm.end is not None and pm.end < as_of:
        res = Rag.RED
        why["resources"] = Reason("manager_left", (("name", pm.name),))
    dims["resources"] = res
    # risk
    open_risks = [r for r in project.risks if r.state is ItemState.OPEN]
    unmitigated = [r for r in open_risks if not (r.mitigation or "").strip()]
    critical = [
        i
        for i in project.issues
        if i.priority is Priority.CRITICAL and i.state in (IssueState.OPEN, IssueState.IN_PROGRESS)
    ]
    critical_late = [i for i in critical if i.due is not None and i.due < as_of]
    red_risk = [r for r in unmitigated if r.probability * r.impact >= t.risk_score.red]
    amber_risk = [r for r in unmitigated if r.probability * r.impact >= t.risk_score.amber]
    if red_risk or critical_late:
        dims["risk"] = Rag.RED
    elif amber_risk or critical:
        dims["risk"] = Rag.AMBER
    else:
        dims["risk"] = Rag.GREEN
    # The reason is what sets the colour: a critical issue past due makes it red, and an
    # amber-scoring risk named beside that red would contradict the appendix.
    if red_risk or (amber_risk and not critical_late):
        r = (red_risk or amber_risk)[0]
        why["risk"] = Reason("risk", (("title", r.title), ("score", r.probability * r.impact)))
    elif critical:
        why["risk"] = Reason("critical_issue", (("title", (critical_late or critical)[0].title),))

    for dim in ("schedule", "cost", "scope", "resources"):
        reported_dim: Assessment | None = getattr(latest, dim) if latest else None
        if (
            dim not in why
            and dims[dim] is not Rag.GREEN
            and reported_dim is not None
            and reported_dim.comment
        ):
            # The manager's own explanation of a colour we did not compute.
            why[dim] = Reason("comment", (("text", reported_dim.comment),))
    computed = Rag.GREY if stale else worst(dims.values())
    reported = Rag(latest.overall.rag.value) if latest else None
    flagged = live and reported is not None and better_than(reported, computed)
    ev = earned_value(project, budget, as_of) if live else None
    return Health(
        project=project,
        live=live,
        latest=latest,
        report_age_days=age,
        stale=stale,
        dimensions=dims,
        reasons=why,
        computed=computed if live else Rag.GREY,
        assessed=worst(dims.values()),
        reported=reported,
        flagged=flagged,
        baseline_end=base_end,
        forecast_end=fc_end,
        slip_days=slip_days,
        slip_pct=slip_pct,
        budget=budget,
        eac=eac,
        overrun_pct=overrun,
        earned_value=ev,
    )


def analyse_portfolio(content: Content) -> tuple[Health, ...]:
    people = {p.id: p for p in content.people}
    div = content.division
    return tuple(assess(p, people, div.thresholds, div.as_of) for p in content.projects)


def analyse_milestones(content: Content) -> Milestones:
    div = content.division
    as_of, start, end = div.as_of, div.period.start, div.period.end
    horizon = as_of + timedelta(days=div.thresholds.milestone_horizon_days)
    completed, upcoming, missed = [], [], []
    for project in content.projects:
        if project.state is ProjectState.CANCELLED:
            continue
        for ms in project.milestones:
            due = milestone_due(ms)
            view = MilestoneView(project, ms, ms.actual or due, ((ms.actual or due) - ms.baseline).days)
            if ms.actual is not None:
                if start <= ms.actual <= end:  # achieved this period: the reporting period only
                    completed.append(view)
            elif due < as_of:
                missed.append(view)
            elif due <= horizon:
                upcoming.append(view)
    key = lambda v: (v.due, v.project.id, v.milestone.id)  # noqa: E731
    return Milestones(
        tuple(sorted(completed, key=key)), tuple(sorted(upcoming, key=key)), tuple(sorted(missed, key=key))
    )


def rag_counts(health: tuple[Health, ...]) -> dict[str, int]:
    counts = {r.value: 0 for r in (Rag.GREEN, Rag.AMBER, Rag.RED, Rag.GREY)}
    for h in health:
        if h.live:
            counts[h.computed.value] += 1
    return counts


def red_causes(health: tuple[Health, ...]) -> dict[str, int]:
    """How many of the live projects shown red are red on each dimension.

    What a sentence about why projects are red may say: "4 are red on schedule and 2 on cost",
    not "all because of schedule slips" when two are also red on cost. A project red on several
    dimensions counts under each, so the counts may add up to more than the red projects; every
    red project counts under at least one (its colour is its worst dimension).
    """
    red = [h for h in health if h.live and h.computed is Rag.RED]
    return {d: sum(1 for h in red if h.dimensions[d] is Rag.RED) for d in DIMENSIONS}


def rag_counts_by_class(health: tuple[Health, ...]) -> tuple[tuple[str, dict[str, int]], ...]:
    """Live projects per investment class (run, grow, transform) by the colour shown.

    Each class's counts sum across to its row; each colour's counts sum down to `rag_counts`.
    Classes without a live project are left out.
    """
    rows = []
    for kind in InvestmentClass:
        counts = rag_counts(tuple(h for h in health if h.project.investment_class is kind))
        if sum(counts.values()):
            rows.append((kind.value, counts))
    return tuple(rows)
