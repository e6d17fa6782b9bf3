"""projects/<id>.yaml: one project per file so edits merge cleanly."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from itreport.models.base import RAG, Date, Id, Label, Markdown, Model, Money, Percent, Score, Text


class InvestmentClass(StrEnum):
    RUN = "run"
    GROW = "grow"
    TRANSFORM = "transform"


class Phase(StrEnum):
    INITIATION = "initiation"
    PLANNING = "planning"
    EXECUTION = "execution"
    CLOSURE = "closure"


class ProjectState(StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class DateRange(Model):
    start: Date | None = None
    end: Date | None = None


class Schedule(Model):
    baseline: DateRange
    forecast: DateRange | None = None
    actual: DateRange | None = None


class Budget(Model):
    capex: Money = Field(ge=0)
    opex: Money = Field(ge=0)
    total: Money | None = Field(default=None, description="If given, must equal capex + opex.")
    actual_to_date: Money = Field(default=Decimal(0), ge=0, description="Cost booked so far.")
    estimate_at_completion: Money | None = Field(
        default=None, ge=0, description="EAC; defaults to the budget."
    )


class Assessment(Model):
    rag: RAG
    comment: Text | None = None


class Recovery(Model):
    """What is being done to bring an amber or red project back on track."""

    action: Text
    owner: Id
    due: Date


class StatusReport(Model):
    date: Date
    author: Id | None = None
    summary: Markdown | None = None
    recovery: Recovery | None = Field(default=None, description="Recovery action when not green.")
    overall: Assessment
    schedule: Assessment | None = None
    cost: Assessment | None = None
    scope: Assessment | None = None
    resources: Assessment | None = None


class Milestone(Model):
    id: Id
    name: Label
    baseline: Date
    forecast: Date | None = None
    actual: Date | None = None
    key: bool = False


class RiskResponse(StrEnum):
    AVOID = "avoid"
    REDUCE = "reduce"
    TRANSFER = "transfer"
    ACCEPT = "accept"


class ItemState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Risk(Model):
    id: Id
    title: Label
    description: Text | None = None
    probability: Score
    impact: Score
    response: RiskResponse = RiskResponse.REDUCE
    mitigation: Text | None = None
    owner: Id | None = None
    due: Date | None = None
    state: ItemState = ItemState.OPEN
    raised: Date | None = None


class Priority(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class IssueState(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Issue(Model):
    id: Id
    title: Label
    priority: Priority = Priority.MEDIUM
    raised: Date | None = None
    action: Text | None = Field(default=None, description="The action taken or planned to resolve it.")
    owner: Id | None = None
    due: Date | None = None
    state: IssueState = IssueState.OPEN
    resolved: Date | None = None


class DecisionState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    DEFERRED = "deferred"


class Decision(Model):
    id: Id
    title: Label
    context: Markdown | None = None
    requested_of: Label = Field(description="Who must decide, e.g. 'Executive committee'.")
    needed_by: Date | None = None
    state: DecisionState = DecisionState.PENDING
    decided: Date | None = None
    outcome: Text | None = None


class DependencyState(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BLOCKED = "blocked"
    DONE = "done"


class Dependency(Model):
    project: Id | None = Field(default=None, description="Project id this one depends on.")
    division: Label | None = Field(default=None, description="Another division this one depends on.")
    description: Text
    needed_by: Date | None = None
    state: DependencyState = DependencyState.ON_TRACK


class Benefit(Model):
    id: Id
    description: Text
    financial: bool = True
    planned: Money | None = None
    realised: Money = Field(default=Decimal(0))
    measure: Label | None = None
    due: Date | None = None


class Project(Model):
    id: Id
    name: Label
    summary: Markdown | None = None
    sponsor: Label = Field(description="The business sponsor (name and title).")
    owner: Id = Field(description="Person id of the accountable owner in the division.")
    manager: Id | None = Field(default=None, description="Person id of the delegated project manager.")
    business_units: list[Id] = Field(default=[], description="Business unit ids (division.yaml).")
    business_users: list[Label] = Field(default=[], description="Named key users or user groups.")
    objectives: list[Id] = Field(default=[], description="Objective ids (strategy.yaml).")
    investment_class: InvestmentClass
    phase: Phase
    state: ProjectState
    specification: Text | None = Field(default=None, description="Link or path to the specification.")
    schedule: Schedule
    percent_complete: Percent = Field(default=Decimal(0))
    budget: Budget
    status: list[StatusReport] = Field(default=[], description="Dated status reports, any order.")
    milestones: list[Milestone] = []
    risks: list[Risk] = []
    issues: list[Issue] = []
    decisions: list[Decision] = []
    dependencies: list[Dependency] = []
    benefits: list[Benefit] = []
