"""What changed between a baseline (the last briefing's data) and now: a pure function.

Entities are matched by id; an id that disappears and another that appears are a removal and an
addition (a rename looks like that too). Each change says whether it is a turn for the worse, so
the briefing can mark it in red or green, and which data tier it belongs to. Values that move get
▲/▼; events (a risk opened, a person left, a position filled, a new status report) get words only,
since a direction means nothing there. A colour that changed only because a threshold moved says
so: the current data is also judged with the baseline's thresholds, and if that gives the old
colour, the data did not change it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from itreport.analyse import Analysis
from itreport.analyse.portfolio import DIMENSIONS, Health, milestone_due
from itreport.analyse.rag import Rag
from itreport.models.base import Tier
from itreport.models.people import PositionStatus
from itreport.models.projects import DecisionState, IssueState, ItemState, ProjectState

Value = Any  # Rag | date | Decimal | int | str | None


@dataclass(frozen=True)
class Change:
    """One change. `kind` names the catalogue label (chg_<kind>); `worse` is None when neutral."""

    kind: str
    key: str  # the entity: project id, category, person id, …
    subject: str  # what a reader sees: project name, category, person name
    before: Value = None
    after: Value = None
    delta: Value = None
    worse: bool | None = None
    tier: Tier = Tier.INTERNAL
    context: str = ""  # e.g. the project a milestone belongs to, or the RAG dimension
    detail: str = ""
    """Extra fact for the wording: 'threshold' on a colour that changed only because a threshold
    moved; the reported colour on a new status report; the unit ('pct', 'days', 'score') of a
    threshold."""

    @property
    def arrow(self) -> str:
        """▲ the value went up (a status: towards green), ▼ down; '' for events, which get words."""
        if self.kind in EVENTS:
            return ""
        if self.kind == "rag":
            return "▲" if self.after.severity < self.before.severity else "▼"
        if isinstance(self.delta, int | Decimal) and self.delta != 0:
            return "▲" if self.delta > 0 else "▼"
        return ""


EVENTS = frozenset(
    {
        "project_added",
        "project_removed",
        "project_closed",
        "project_cancelled",
        "project_state",
        "status_reported",
        "milestone_done",
        "milestone_added",
        "risk_opened",
        "risk_closed",
        "issue_opened",
        "issue_closed",
        "decision_taken",
        "person_joined",
        "person_left",
        "person_moved",
        "position_opened",
        "position_filled",
    }
)
"""Changes without a meaningful direction: shown with words, not arrows."""

THRESHOLD_LABELS = {
    "schedule_slip_days": ("th_slip_days", "days"),
    "schedule_slip_pct": ("th_slip_pct", "pct"),
    "cost_overrun_pct": ("th_cost", "pct"),
    "budget_variance_pct": ("th_budget", "pct"),
    "risk_score": ("th_risk", "score"),
    "status_stale_days": ("th_stale", "days"),
    "certification_expiry_days": ("th_cert_expiry", "days"),
    "milestone_horizon_days": ("th_horizon", "days"),
}
"""Each threshold's label (catalogue key) and unit."""


@dataclass(frozen=True)
class Changes:
    baseline_label: str
    baseline_as_of: date
    items: tuple[Change, ...]

    def of(self, *kinds: str) -> tuple[Change, ...]:
        return tuple(c for c in self.items if c.kind in kinds)

    def find(self, kind: str, key: str, context: str = "") -> Change | None:
        return next((c for c in self.items if c.kind == kind and c.key == key and c.context == context), None)


def _by_id(items: Iterable[Any]) -> dict[str, Any]:
    return {item.id: item for item in items}


def _sev(rag: Rag) -> int:
    return rag.severity


def compare(
    before: Analysis, now: Analysis, baseline_label: str = "", now_old_rules: Analysis | None = None
) -> Changes:
    """`now_old_rules`: the current data judged with the baseline's thresholds (when they differ)."""
    out: list[Change] = []
    out += _thresholds(before, now)
    out += _projects(before, now, now_old_rules)
    out += _finance(before, now)
    out += _people(before, now)
    return Changes(baseline_label, before.content.division.as_of, tuple(out))


def _thresholds(before: Analysis, now: Analysis) -> list[Change]:
    out: list[Change] = []
    old, new = before.content.division.thresholds, now.content.division.thresholds
    for name, (label, unit) in THRESHOLD_LABELS.items():
        a, b = getattr(old, name), getattr(new, name)
        pairs = [("amber", a.amber, b.amber), ("red", a.red, b.red)] if hasattr(a, "red") else [("", a, b)]
        for level, x, y in pairs:
            if x != y:
                out.append(Change("threshold_moved", name, label, x, y, y - x, context=level, detail=unit))
    return out


def _by_threshold(old_rules: Health | None, dim: str, was: Rag) -> str:
    """'threshold' when the current data judged with the old thresholds still gives the old colour."""
    if old_rules is None:
        return ""
    colour = old_rules.computed if dim == "overall" else old_rules.dimensions[dim]
    return "threshold" if colour == was else ""


def _projects(before: Analysis, now: Analysis, now_old_rules: Analysis | None = None) -> list[Change]:
    out: list[Change] = []
    old_h: dict[str, Health] = {h.project.id: h for h in before.portfolio}
    new_h: dict[str, Health] = {h.project.id: h for h in now.portfolio}
    rules_h: dict[str, Health] = {h.project.id: h for h in now_old_rules.portfolio} if now_old_rules else {}
    for pid, h in new_h.items():
        p = h.project
        if pid not in old_h:
            out.append(Change("project_added", pid, p.name, after=p.state.value, context=pid))
            continue
        o = old_h[pid]
        if o.project.state != p.state:
            kind = {
                ProjectState.COMPLETED: "project_closed",
                ProjectState.CANCELLED: "project_cancelled",
            }.get(p.state, "project_state")
            out.append(Change(kind, pid, p.name, o.project.state.value, p.state.value))
        if h.live and o.live:
            rules = rules_h.get(pid)
            if o.computed != h.computed:
                out.append(
                    Change(
                        "rag",
                        pid,
                        p.name,
                        o.computed,
                        h.computed,
                        worse=_sev(h.computed) > _sev(o.computed),
                        context="overall",
                        detail=_by_threshold(rules, "overall", o.computed),
                    )
                )
            for dim in DIMENSIONS:
                a, b = o.dimensions[dim], h.dimensions[dim]
                if a != b:
                    why = _by_threshold(rules, dim, a)
                    out.append(
                        Change("rag", pid, p.name, a, b, worse=_sev(b) > _sev(a), context=dim, detail=why)
                    )
        seen = {r.date for r in o.project.status}
        for report in sorted((r for r in p.status if r.date not in seen), key=lambda r: r.date):
            out.append(
                Change("status_reported", pid, p.name, after=report.date, detail=report.overall.rag.value)
            )
        if o.project.percent_complete != p.percent_complete:
            a_pc, b_pc = o.project.percent_complete, p.percent_complete
            out.append(Change("percent_moved", pid, p.name, a_pc, b_pc, b_pc - a_pc, worse=b_pc < a_pc))
        a_cost, b_cost = o.project.budget.actual_to_date, p.budget.actual_to_date
        if a_cost != b_cost:
            out.append(Change("cost_moved", pid, p.name, a_cost, b_cost, b_cost - a_cost))
        if o.forecast_end and h.forecast_end and o.forecast_end != h.forecast_end:
            days = (h.forecast_end - o.forecast_end).days
            out.append(Change("end_moved", pid, p.name, o.forecast_end, h.forecast_end, days, worse=days > 0))
        if o.eac != h.eac:
            out.append(Change("eac_moved", pid, p.name, o.eac, h.eac, h.eac - o.eac, worse=h.eac > o.eac))
        out += _items(o, h)
    for pid, o in old_h.items():
        if pid not in new_h:
            out.append(
                Change("project_removed", pid, o.project.name, before=o.project.state.value, context=pid)
            )
    return out


def _items(o: Health, h: Health) -> list[Change]:
    """Milestones, risks, issues and decisions inside one project."""
    out: list[Change] = []
    p = h.project
    old_ms, new_ms = _by_id(o.project.milestones), _by_id(p.milestones)
    for mid, ms in new_ms.items():
        if mid not in old_ms:
            out.append(Change("milestone_added", mid, ms.name, after=milestone_due(ms), context=p.name))
            continue
        was = old_ms[mid]
        if ms.actual is not None and was.actual is None:
            out.append(
                Change(
                    "milestone_done",
                    mid,
                    ms.name,
                    after=ms.actual,
                    context=p.name,
                    worse=ms.actual > ms.baseline,
                )
            )
        elif ms.actual is None and milestone_due(ms) != milestone_due(was):
            days = (milestone_due(ms) - milestone_due(was)).days
            out.append(
                Change(
                    "milestone_moved",
                    mid,
                    ms.name,
                    milestone_due(was),
                    milestone_due(ms),
                    days,
                    worse=days > 0,
                    context=p.name,
                )
            )
    old_r, new_r = _by_id(o.project.risks), _by_id(p.risks)
    for rid, r in new_r.items():
        score = r.probability * r.impact
        was_r = old_r.get(rid)
        if r.state is ItemState.OPEN and (was_r is None or was_r.state is not ItemState.OPEN):
            out.append(Change("risk_opened", rid, r.title, after=score, worse=True, context=p.name))
        elif r.state is ItemState.CLOSED and was_r is not None and was_r.state is ItemState.OPEN:
            out.append(
                Change(
                    "risk_closed",
                    rid,
                    r.title,
                    before=was_r.probability * was_r.impact,
                    worse=False,
                    context=p.name,
                )
            )
        elif was_r is not None and r.state is ItemState.OPEN:
            old_score = was_r.probability * was_r.impact
            if old_score != score:
                out.append(
                    Change(
                        "risk_rescored",
                        rid,
                        r.title,
                        old_score,
                        score,
                        score - old_score,
                        worse=score > old_score,
                        context=p.name,
                    )
                )
    for rid, was_r in old_r.items():
        if rid not in new_r and was_r.state is ItemState.OPEN:
            out.append(
                Change(
                    "risk_closed",
                    rid,
                    was_r.title,
                    before=was_r.probability * was_r.impact,
                    worse=False,
                    context=p.name,
                )
            )
    open_states = (IssueState.OPEN, IssueState.IN_PROGRESS)
    old_i, new_i = _by_id(o.project.issues), _by_id(p.issues)
    for iid, i in new_i.items():
        was_i = old_i.get(iid)
        if i.state in open_states and (was_i is None or was_i.state not in open_states):
            out.append(
                Change("issue_opened", iid, i.title, after=i.priority.value, worse=True, context=p.name)
            )
        elif i.state not in open_states and was_i is not None and was_i.state in open_states:
            out.append(Change("issue_closed", iid, i.title, after=i.state.value, worse=False, context=p.name))
    old_d = _by_id(o.project.decisions)
    for did, d in _by_id(p.decisions).items():
        was_d = old_d.get(did)
        if d.state is not DecisionState.PENDING and (was_d is None or was_d.state is DecisionState.PENDING):
            out.append(Change("decision_taken", did, d.title, after=d.state.value, context=p.name))
    return out


def _finance(before: Analysis, now: Analysis) -> list[Change]:
    out: list[Change] = []
    if before.finance is None or now.finance is None:
        return out
    old = {g.key: g.figures for g in before.finance.by_category}
    for g in now.finance.by_category:
        was = old.get(g.key)
        if was is None:
            continue
        if was.plan_fy != g.figures.plan_fy:
            delta = g.figures.plan_fy - was.plan_fy
            out.append(Change("plan_moved", g.key, g.key, was.plan_fy, g.figures.plan_fy, delta))
        if was.forecast_fy != g.figures.forecast_fy:
            delta = g.figures.forecast_fy - was.forecast_fy
            out.append(
                Change(
                    "forecast_moved",
                    g.key,
                    g.key,
                    was.forecast_fy,
                    g.figures.forecast_fy,
                    delta,
                    worse=delta > 0,
                )
            )
    a, b = before.finance.total.forecast_fy, now.finance.total.forecast_fy
    if a != b:
        out.append(Change("forecast_moved", "total", "total", a, b, b - a, worse=b > a))
    return out


def _people(before: Analysis, now: Analysis) -> list[Change]:
    """Joiners, leavers and team moves are named: management tier. Positions are not personal."""
    out: list[Change] = []
    as_of = now.content.division.as_of
    old_p, new_p = _by_id(before.content.people), _by_id(now.content.people)
    teams = {t.id: t.name for t in now.content.teams}
    for pid, person in new_p.items():
        was = old_p.get(pid)
        left_now = person.end is not None and person.end <= as_of
        if was is None and not left_now:
            out.append(Change("person_joined", pid, person.name, after=person.start, tier=Tier.MANAGEMENT))
        elif was is not None and left_now and (was.end is None or was.end > before.content.division.as_of):
            out.append(Change("person_left", pid, person.name, after=person.end, tier=Tier.MANAGEMENT))
        elif was is not None and was.team != person.team:
            out.append(
                Change(
                    "person_moved",
                    pid,
                    person.name,
                    teams.get(was.team, was.team),
                    teams.get(person.team, person.team),
                    tier=Tier.MANAGEMENT,
                )
            )
    for pid, was in old_p.items():
        if pid not in new_p:
            out.append(Change("person_left", pid, was.name, after=None, tier=Tier.MANAGEMENT))
    roles = {r.id: r.title for r in now.content.roles}
    old_pos = _by_id(before.content.positions)
    closed = (PositionStatus.FILLED, PositionStatus.CANCELLED)
    for pos in now.content.positions:
        was_pos = old_pos.get(pos.id)
        title = roles.get(pos.role, pos.role)
        if pos.status not in closed and (was_pos is None or was_pos.status in closed):
            out.append(Change("position_opened", pos.id, title, after=pos.opened))
        elif (
            pos.status is PositionStatus.FILLED
            and was_pos is not None
            and was_pos.status is not PositionStatus.FILLED
        ):
            out.append(Change("position_filled", pos.id, title, worse=False))
    return out
