"""strategy.yaml and narrative.yaml: objectives, coordination, problems and the manager's words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from itreport.models.base import Id, Markdown, Model


class Kpi(Model):
    name: str
    unit: str | None = None
    baseline: Decimal | None = None
    target: Decimal
    current: Decimal | None = None
    due: date | None = None
    higher_is_better: bool = True


class Objective(Model):
    id: Id
    title: str
    description: Markdown | None = None
    horizon: str = Field(description="e.g. '2026' or '2026–2028'.")
    owner: Id
    kpis: list[Kpi] = []


class CoordinationState(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    AGREED = "agreed"
    BLOCKED = "blocked"
    CLOSED = "closed"


class Coordination(Model):
    id: Id
    topic: str
    counterpart: str = Field(description="The other division (and contact).")
    owner: Id
    next_date: date | None = None
    state: CoordinationState = CoordinationState.OPEN
    notes: str | None = None


class ProblemState(StrEnum):
    OPEN = "open"
    MITIGATING = "mitigating"
    RESOLVED = "resolved"


class LoggedProblem(Model):
    id: Id
    title: str
    impact: str
    action: str = Field(description="The action taken to solve it.")
    owner: Id
    raised: date
    state: ProblemState = ProblemState.OPEN
    resolved: date | None = None


class StrategyFile(Model):
    objectives: list[Objective] = []
    coordination: list[Coordination] = []
    problems: list[LoggedProblem] = []


class Ask(Model):
    title: str
    detail: Markdown | None = None
    decide_by: date | None = None
    decision: str | None = Field(
        default=None,
        description="The project decision this ask is about, as '<project id>/<decision id>'; "
        "the briefing then lists that decision once, as this ask.",
    )


def split_ref(ref: str) -> tuple[str, str] | None:
    """'erp-s4hana/d1-funding' → ('erp-s4hana', 'd1-funding'); None when it is not of that form."""
    project, sep, decision = ref.partition("/")
    return (project, decision) if sep and project and decision and "/" not in decision else None


class NarrativeFile(Model):
    executive_summary: Markdown
    key_messages: list[Markdown] = Field(default=[], max_length=5)
    asks: list[Ask] = []
