"""projects/<id>.yaml: one project per file so edits merge cleanly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from itreport.models.base import RAG, Id, Markdown, Model, Money, Percent, Score


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
    start: date | None = None
    end: date | None = None


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
    comment: str | None = None


class Recovery(Model):
    """What is being done to bring an amber or red project back on track."""

    action: str
    owner: Id
    due: date


class StatusReport(Model):
    date: date
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
    name: str
    baseline: date
    forecast: date | None = None
    actual: date | None = None
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
    title: str
    description: str | None = None
    probability: Score
    impact: Score
    response: RiskResponse = RiskResponse.REDUCE
    mitigation: str | None = None
    owner: Id | None = None
    due: date | None = None
    state: ItemState = ItemState.OPEN
    raised: date | None = None


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
    title: str
    priority: Priority = Priority.MEDIUM
    raised: date | None = None
    action: str | None = Field(default=None, description="The action taken or planned to resolve it.")
    owner: Id | None = None
    due: date | None = None
    state: IssueState = IssueState.OPEN
    resolved: date | None = None


class DecisionState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    DEFERRED = "deferred"


class Decision(Model):
    id: Id
    title: str
    context: Markdown | None = None
    requested_of: str = Field(description="Who must decide, e.g. 'Executive committee'.")
    needed_by: date | None = None
    state: DecisionState = DecisionState.PENDING
    decided: date | None = None
    outcome: str | None = None


class DependencyState(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BLOCKED = "blocked"
    DONE = "done"


class Dependency(Model):
    project: Id | None = Field(default=None, description="Project id this one depends on.")
    division: str | None = Field(default=None, description="Another division this one depends on.")
    description: str
    needed_by: date | None = None
    state: DependencyState = DependencyState.ON_TRACK


class Benefit(Model):
    id: Id
    description: str
    financial: bool = True
    planned: Money | None = None
    realised: Money = Field(default=Decimal(0))
    measure: str | None = None
    due: date | None = None


class Project(Model):
    id: Id
    name: str
    summary: Markdown | None = None
    sponsor: str = Field(description="The business sponsor (name and title).")
    owner: Id = Field(description="Person id of the accountable owner in the division.")
    manager: Id | None = Field(default=None, description="Person id of the delegated project manager.")
    business_units: list[Id] = Field(default=[], description="Business unit ids (division.yaml).")
    business_users: list[str] = Field(default=[], description="Named key users or user groups.")
    objectives: list[Id] = Field(default=[], description="Objective ids (strategy.yaml).")
    investment_class: InvestmentClass
    phase: Phase
    state: ProjectState
    specification: str | None = Field(default=None, description="Link or path to the specification.")
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
