"""teams.yaml, people.yaml, roles.yaml, training.yaml and positions.yaml: the division's people."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from itreport.models.base import Date, Id, Label, Markdown, Model, Money, Text, Tier, tier

Fte = Annotated[Decimal, Field(gt=0, le=1, decimal_places=4, allow_inf_nan=False)]


class Team(Model):
    id: Id
    name: Label
    parent: Id | None = Field(default=None, description="Team id of the parent team.")
    lead: Id | None = Field(default=None, description="Person id of the team lead.")
    cost_centre: Id | None = Field(default=None, description="Cost centre id (division.yaml).")
    mission: Text | None = None


class TeamsFile(Model):
    teams: list[Team]


class Employment(StrEnum):
    EMPLOYEE = "employee"
    CONTRACTOR = "contractor"
    CONSULTANT = "consultant"


class Review(Model):
    cycle_months: Annotated[int, Field(ge=1, le=36)] = 12
    last: Date | None = Field(default=None, json_schema_extra=tier(Tier.MANAGEMENT))


class HeldCertification(Model):
    certification: Id = Field(description="Certification id (training.yaml).")
    issued: Date
    expires: Date | None = None


class AssignedTraining(Model):
    programme: Id = Field(description="Training programme id (training.yaml).")
    assigned: Date
    due: Date | None = None
    completed: Date | None = None


class Person(Model):
    id: Id
    name: Label = Field(json_schema_extra=tier(Tier.INTERNAL))
    title: Label = Field(json_schema_extra=tier(Tier.INTERNAL))
    role: Id | None = Field(default=None, description="Role id (roles.yaml).")
    team: Id
    manager: Id | None = Field(default=None, description="Person id of the line manager.")
    employment: Employment = Employment.EMPLOYEE
    fte: Fte = Decimal(1)
    start: Date
    end: Date | None = Field(default=None, description="Last day (leavers, contract end).")
    location: Label | None = None
    review: Review = Field(default_factory=Review, json_schema_extra=tier(Tier.MANAGEMENT))
    certifications: list[HeldCertification] = Field(default=[], json_schema_extra=tier(Tier.MANAGEMENT))
    training: list[AssignedTraining] = Field(default=[], json_schema_extra=tier(Tier.MANAGEMENT))
    # Restricted: only ever read from the private folder (issue 4), never from tracked files.
    performance_rating: Annotated[int, Field(ge=1, le=5)] | None = Field(
        default=None, json_schema_extra=tier(Tier.RESTRICTED)
    )
    disciplinary: Text | None = Field(default=None, json_schema_extra=tier(Tier.RESTRICTED))
    salary: Money | None = Field(default=None, json_schema_extra=tier(Tier.RESTRICTED))


class PeopleFile(Model):
    people: list[Person]


class Role(Model):
    id: Id
    title: Label
    family: Label | None = None
    summary: Markdown | None = None
    responsibilities: list[Text] = []
    skills: list[Label] = []
    required_certifications: list[Id] = Field(default=[], description="Certification ids.")
    training: list[Id] = Field(default=[], description="Training programme ids every holder should take.")


class RolesFile(Model):
    roles: list[Role]


class Certification(Model):
    id: Id
    name: Label
    issuer: Label | None = None
    validity_months: Annotated[int, Field(ge=1, le=600)] | None = None


class Programme(Model):
    id: Id
    name: Label
    provider: Label | None = None
    hours: Annotated[Decimal, Field(gt=0, le=10000, decimal_places=2, allow_inf_nan=False)] | None = None
    skills: list[Label] = []
    certification: Id | None = Field(default=None, description="Certification the programme leads to.")


class TrainingFile(Model):
    certifications: list[Certification] = []
    programmes: list[Programme] = []


class PositionStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    ADVERTISED = "advertised"
    INTERVIEWING = "interviewing"
    OFFER = "offer"
    FILLED = "filled"
    CANCELLED = "cancelled"


class Position(Model):
    id: Id
    role: Id
    team: Id
    fte: Fte = Decimal(1)
    status: PositionStatus
    opened: Date
    target_start: Date | None = None
    hiring_manager: Id | None = None
    filled_by: Id | None = Field(default=None, description="Person id, once filled.")
    reason: Text | None = None


class PositionsFile(Model):
    positions: list[Position]


RESTRICTED_FIELDS = ("performance_rating", "disciplinary", "salary")


class PrivatePerson(Model):
    """Restricted fields for one person, kept outside the repository and merged by id."""

    id: Id = Field(description="Person id (people.yaml in the content folder).")
    performance_rating: Annotated[int, Field(ge=1, le=5)] | None = Field(
        default=None, json_schema_extra=tier(Tier.RESTRICTED)
    )
    disciplinary: Text | None = Field(default=None, json_schema_extra=tier(Tier.RESTRICTED))
    salary: Money | None = Field(default=None, json_schema_extra=tier(Tier.RESTRICTED))


class PrivatePeopleFile(Model):
    """people.yaml in the private folder (`--private DIR` or ITREPORT_PRIVATE)."""

    people: list[PrivatePerson]
