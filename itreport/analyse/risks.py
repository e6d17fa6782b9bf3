"""Risks, issues and decisions across the portfolio: top risks, heat map, critical issues, asks.

Risks and issues count for live projects only (active or on hold), like every portfolio count:
a proposed project's risks are not yet the division's, a closed project's no longer are.
"""

from __future__ import annotations

from dataclasses import dataclass

from itreport.analyse.portfolio import LIVE
from itreport.content import Content
from itreport.models.projects import (
    Decision,
    DecisionState,
    Issue,
    IssueState,
    ItemState,
    Priority,
    Project,
    Risk,
)


@dataclass(frozen=True)
class RiskView:
    project: Project
    risk: Risk

    @property
    def score(self) -> int:
        return self.risk.probability * self.risk.impact


@dataclass(frozen=True)
class IssueView:
    project: Project
    issue: Issue


@dataclass(frozen=True)
class DecisionView:
    project: Project
    decision: Decision


@dataclass(frozen=True)
class RiskRegister:
    top: tuple[RiskView, ...]
    open_count: int
    heatmap: dict[tuple[int, int], int]
    critical_issues: tuple[IssueView, ...]
    open_issues: int
    decisions: tuple[DecisionView, ...]


def analyse_risks(content: Content, top_n: int = 8) -> RiskRegister:
    live = [p for p in content.projects if p.state in LIVE]
    risks = [RiskView(p, r) for p in live for r in p.risks if r.state is ItemState.OPEN]
    risks.sort(key=lambda v: (-v.score, -v.risk.impact, v.project.id, v.risk.id))
    heat: dict[tuple[int, int], int] = {}
    for v in risks:
        cell = (v.risk.probability, v.risk.impact)
        heat[cell] = heat.get(cell, 0) + 1
    open_states = (IssueState.OPEN, IssueState.IN_PROGRESS)
    issues = [IssueView(p, i) for p in live for i in p.issues if i.state in open_states]
    rank = {Priority.CRITICAL: 0, Priority.HIGH: 1, Priority.MEDIUM: 2, Priority.LOW: 3}
    critical = sorted(
        (v for v in issues if v.issue.priority in (Priority.CRITICAL, Priority.HIGH)),
        key=lambda v: (
            rank[v.issue.priority],
            v.issue.due or content.division.as_of,
            v.project.id,
            v.issue.id,
        ),
    )
    decisions = sorted(
        (
            DecisionView(p, d)
            for p in content.projects
            for d in p.decisions
            if d.state is DecisionState.PENDING
        ),
        key=lambda v: (v.decision.needed_by or content.division.as_of, v.project.id, v.decision.id),
    )
    return RiskRegister(
        tuple(risks[:top_n]), len(risks), heat, tuple(critical), len(issues), tuple(decisions)
    )
