"""division.yaml: who the division is, its calendar, currency, locale and thresholds."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field

from itreport.models.base import Currency, Date, Days, Id, Label, LocaleName, Model

ThresholdValue = Annotated[Decimal, Field(ge=0, le=10000, decimal_places=4, allow_inf_nan=False)]


class Threshold(Model):
    """A two-step limit: at or above `amber` is amber, at or above `red` is red."""

    amber: ThresholdValue
    red: ThresholdValue


class Thresholds(Model):
    """Limits that turn facts into RAG colours; every briefing prints them in its appendix."""

    schedule_slip_days: Threshold = Threshold(amber=Decimal(10), red=Decimal(30))
    schedule_slip_pct: Threshold = Threshold(amber=Decimal(5), red=Decimal(15))
    cost_overrun_pct: Threshold = Threshold(amber=Decimal(5), red=Decimal(10))
    budget_variance_pct: Threshold = Threshold(amber=Decimal(3), red=Decimal(8))
    risk_score: Threshold = Field(
        default=Threshold(amber=Decimal(12), red=Decimal(16)),
        description="Probability × impact at which an open risk counts as high (amber) or severe (red).",
    )
    status_stale_days: Days = 45
    certification_expiry_days: Days = 90
    milestone_horizon_days: Days = 90


class Period(Model):
    start: Date
    end: Date
    label: Label | None = Field(default=None, description="Shown on the cover, e.g. 'October 2026'.")


class CostCentre(Model):
    id: Id
    name: Label
    owner: Id | None = Field(default=None, description="Person id.")


class BusinessUnit(Model):
    id: Id
    name: Label
    head: Label | None = Field(
        default=None, description="Name of the business unit's head (outside the division)."
    )


class Division(Model):
    name: Label
    organisation: Label = Field(description="The company the division belongs to.")
    head: Id = Field(description="Person id of the division's head (the senior IT manager).")
    as_of: Date = Field(
        description="The briefing's 'today': every age, overdue and forecast is computed from it."
    )
    period: Period
    fiscal_year_start: Annotated[
        int, Field(ge=1, le=12, description="Month number the fiscal year starts in.")
    ] = 1
    currency: Currency
    locale: LocaleName = "en_GB"
    classification: Label = Field(default="Internal", description="Default classification label.")
    thresholds: Thresholds = Thresholds()
    cost_centres: list[CostCentre] = []
    business_units: list[BusinessUnit] = []
