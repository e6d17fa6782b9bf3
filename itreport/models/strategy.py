"""strategy.yaml and narrative.yaml: objectives, coordination, problems and the manager's words."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from itreport.models.base import Date, Id, Label, Markdown, Measure, Model, Text


class Kpi(Model):
    name: Label
    unit: Label | None = None
    baseline: Measure | None = None
    target: Measure
    current: Measure | None = None
    due: Date | None = None
    higher_is_better: bool = True


class Objective(Model):
    id: Id
    title: Label
    description: Markdown | None = None
    horizon: Label = Field(description="e.g. '2026' or '2026–2028'.")
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
    topic: Label
    counterpart: Label = Field(description="The other division (and contact).")
    owner: Id
    next_date: Date | None = None
    state: CoordinationState = CoordinationState.OPEN
    notes: Text | None = None


class ProblemState(StrEnum):
    OPEN = "open"
    MITIGATING = "mitigating"
    RESOLVED = "resolved"


class LoggedProblem(Model):
    id: Id
    title: Label
    impact: Text
    action: Text = Field(description="The action taken to solve it.")
    owner: Id
    raised: Date
    state: ProblemState = ProblemState.OPEN
    resolved: Date | None = None


class StrategyFile(Model):
    objectives: list[Objective] = []
    coordination: list[Coordination] = []
    problems: list[LoggedProblem] = []


class Ask(Model):
    title: Label
    detail: Markdown | None = None
    decide_by: Date | None = None
    decision: Label | None = Field(
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
