"""budget/<year>.yaml: one fiscal year's budget lines, actuals, revenue and savings."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from itreport.models.base import Currency, Date, Id, Label, Model, Money, Month


class Category(StrEnum):
    PERSONNEL = "personnel"
    CONTRACTORS = "contractors"
    LICENCES = "licences"
    CLOUD = "cloud"
    HARDWARE = "hardware"
    TELECOM = "telecom"
    FACILITIES = "facilities"
    TRAINING = "training"
    OTHER = "other"


class Nature(StrEnum):
    CAPEX = "capex"
    OPEX = "opex"


class BudgetLine(Model):
    id: Id
    name: Label
    category: Category
    nature: Nature = Field(description="capex or opex.")
    cost_centre: Id
    project: Id | None = None
    annual_plan: Money | None = Field(default=None, description="If given, must equal the sum of `plan`.")
    plan: dict[Month, Money] = Field(description="Planned spend per month (YYYY-MM: amount).")
    forecast: dict[Month, Money] = Field(default={}, description="Forecast for months without actuals.")
    actual: dict[Month, Money] = Field(default={}, description="Booked cost per month, up to as-of.")


class RevenueKind(StrEnum):
    CHARGEBACK = "chargeback"
    SHOWBACK = "showback"


class Revenue(Model):
    id: Id
    business_unit: Id
    kind: RevenueKind
    service: Label
    plan: dict[Month, Money] = {}
    actual: dict[Month, Money] = {}


class SavingState(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    AT_RISK = "at_risk"
    DROPPED = "dropped"


class Saving(Model):
    id: Id
    title: Label
    category: Label | None = None
    target: Money = Field(ge=0)
    realised: Money = Field(default=Decimal(0), ge=0)
    owner: Id
    due: Date
    state: SavingState = SavingState.PLANNED


class BudgetFile(Model):
    fiscal_year: int = Field(ge=1900, le=2199, description="The calendar year the fiscal year starts in.")
    currency: Currency
    lines: list[BudgetLine]
    revenue: list[Revenue] = []
    savings: list[Saving] = []
