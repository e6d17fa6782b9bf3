"""Figures the narrative may cite by name, so the words and the tables cannot disagree.

Syntax (docs/content.md, "Citing figures"): `{name}` for a division figure, `{name:arg}` for a
figure of one project (`{eac:erp-s4hana}`), milestone (`{milestone:erp-s4hana/m8-golive}`) or
saving (`{saving_target:licence-harvest}`). `\\{` is a literal brace. The narrative is data from
anyone with a pull request: it is never evaluated as a template. Citations are found with one
strict regular expression and looked up in the fixed registry below; nothing else is substituted.

This module has no dependencies on the pipeline: `check` validates names with it, `edition`
resolves values per audience, `render` formats them in the edition's locale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

# `{...}` on one line, not preceded by a backslash; the inside is checked against the registry.
CITATION = re.compile(r"(?<!\\)\{([^{}\n]{0,120})\}")
_NAME = re.compile(r"[a-z][a-z0-9_]*")


class Kind(StrEnum):
    """How a figure is formatted."""

    COUNT = "count"
    MONEY = "money"
    PERCENT = "percent"
    SIGNED_PERCENT = "signed_percent"
    FTE = "fte"
    DAYS = "days"
    DATE = "date"


class Arg(StrEnum):
    """What a figure's argument names."""

    NONE = ""
    PROJECT = "project"
    MILESTONE = "milestone"
    SAVING = "saving"


@dataclass(frozen=True)
class Spec:
    name: str
    kind: Kind
    meaning: str
    arg: Arg = Arg.NONE
    people: bool = False
    """A people figure: printed as "<5" (or withheld) where the audience gets small counts suppressed."""


_P, _M, _S = Arg.PROJECT, Arg.MILESTONE, Arg.SAVING
SPECS: tuple[Spec, ...] = (
    # Finance: the fiscal year shown in the briefing (the one containing the reporting period).
    Spec("plan_fy", Kind.MONEY, "Full-year plan (budget) of the division."),
    Spec("forecast_fy", Kind.MONEY, "Full-year forecast: actuals to date plus forecast."),
    Spec("variance_fy", Kind.MONEY, "Full-year forecast minus plan (positive is overspend)."),
    Spec("variance_fy_pct", Kind.SIGNED_PERCENT, "Full-year variance as a share of the plan."),
    Spec("plan_ytd", Kind.MONEY, "Plan for the year to date."),
    Spec("actual_ytd", Kind.MONEY, "Actual spend for the year to date."),
    Spec("variance_ytd", Kind.MONEY, "Actual minus plan, year to date (positive is overspend)."),
    Spec("variance_ytd_pct", Kind.SIGNED_PERCENT, "Year-to-date variance as a share of the plan."),
    Spec("savings_target", Kind.MONEY, "Target of all savings initiatives of the year."),
    Spec("savings_realised", Kind.MONEY, "Savings realised so far."),
    # Portfolio: live projects are active or on hold.
    Spec("live_projects", Kind.COUNT, "Live projects (active or on hold)."),
    Spec("red_projects", Kind.COUNT, "Live projects whose computed status is red."),
    Spec("amber_projects", Kind.COUNT, "Live projects whose computed status is amber."),
    Spec("green_projects", Kind.COUNT, "Live projects whose computed status is green."),
    Spec("grey_projects", Kind.COUNT, "Live projects that cannot be assessed (status report too old)."),
    *(
        Spec(
            f"red_on_{dim}",
            Kind.COUNT,
            f"Red live projects that are red on {dim} (a project red on several dimensions counts "
            "under each).",
        )
        for dim in ("schedule", "cost", "scope", "resources", "risk")
    ),
    Spec("open_risks", Kind.COUNT, "Open risks in live projects."),
    Spec("open_issues", Kind.COUNT, "Open issues in live projects."),
    Spec("pending_decisions", Kind.COUNT, "Project decisions still pending."),
    Spec("missed_milestones", Kind.COUNT, "Milestones past due and not achieved."),
    Spec("milestones_achieved", Kind.COUNT, "Milestones achieved in the reporting period."),
    # People.
    Spec("headcount", Kind.COUNT, "People on staff (employees, contractors and consultants).", people=True),
    Spec("fte", Kind.FTE, "Full-time equivalents on staff.", people=True),
    Spec("employees", Kind.COUNT, "Employees on staff.", people=True),
    Spec("contractors", Kind.COUNT, "Contractors on staff.", people=True),
    Spec("consultants", Kind.COUNT, "Consultants on staff.", people=True),
    Spec("open_positions", Kind.COUNT, "Open positions (approved, advertised, interviewing, offer)."),
    Spec("open_fte", Kind.FTE, "Full-time equivalents of the open positions."),
    Spec("joiners", Kind.COUNT, "People who joined in the reporting period.", people=True),
    Spec("leavers", Kind.COUNT, "People who left in the reporting period.", people=True),
    Spec("leavers_12m", Kind.COUNT, "Employees who left in the last 12 months.", people=True),
    Spec("attrition_pct", Kind.PERCENT, "Attrition over 12 months (see the appendix).", people=True),
    Spec("reviews_overdue", Kind.COUNT, "Performance reviews overdue.", people=True),
    Spec("certs_expired", Kind.COUNT, "Certifications expired.", people=True),
    Spec("training_completion_pct", Kind.PERCENT, "Assigned training completed.", people=True),
    # One project: `{name:<project id>}`.
    Spec("budget", Kind.MONEY, "The project's approved budget (capex + opex).", _P),
    Spec("eac", Kind.MONEY, "The project's estimate at completion (EAC).", _P),
    Spec("eac_variance", Kind.MONEY, "EAC minus budget (positive is an overrun).", _P),
    Spec("eac_variance_pct", Kind.SIGNED_PERCENT, "EAC minus budget, as a share of the budget.", _P),
    Spec("cost_to_date", Kind.MONEY, "Cost booked to the project so far.", _P),
    Spec("percent_complete", Kind.PERCENT, "The project's percent complete.", _P),
    Spec("baseline_end", Kind.DATE, "The project's baseline end date.", _P),
    Spec("forecast_end", Kind.DATE, "The project's forecast end date.", _P),
    Spec("slip_days", Kind.DAYS, "Days the forecast end is after the baseline end.", _P),
    # One milestone: `{name:<project id>/<milestone id>}`.
    Spec(
        "milestone", Kind.DATE, "The milestone's date: actual if achieved, else forecast, else baseline.", _M
    ),
    Spec("milestone_baseline", Kind.DATE, "The milestone's baseline date.", _M),
    # One saving of the year's budget file: `{name:<saving id>}`.
    Spec("saving_target", Kind.MONEY, "The saving's target.", _S),
    Spec("saving_realised", Kind.MONEY, "The saving realised so far.", _S),
)
BY_NAME = {s.name: s for s in SPECS}


@dataclass(frozen=True)
class Citation:
    """One `{...}` in a text: where it is, and what it names (or why it names nothing)."""

    start: int
    end: int
    raw: str
    spec: Spec | None
    arg: str
    error: str = ""
    hint: str = ""


def _arg_shape(arg: Arg) -> str:
    return {
        Arg.PROJECT: "<project id>",
        Arg.MILESTONE: "<project id>/<milestone id>",
        Arg.SAVING: "<saving id>",
    }.get(arg, "")


def _close(word: str) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(BY_NAME), n=1, cutoff=0.6)
    return close[0] if close else ""


def parse(text: str) -> list[Citation]:
    """Every citation in `text`, in order, each resolved against the registry or with an error."""
    out = []
    for m in CITATION.finditer(text):
        inner = m.group(1)
        name, _, arg = inner.partition(":")
        spec = BY_NAME.get(name) if _NAME.fullmatch(name) else None
        error = hint = ""
        doubled = m.start() > 0 and text[m.start() - 1] == "{" and text[m.end() : m.end() + 1] == "}"
        if doubled or inner != inner.strip():
            stripped = inner.strip().strip("{}").strip()
            error = f"'{{{inner}}}' is not a citation"
            hint = f"write {{{stripped}}}: one pair of braces, no spaces (a literal brace is \\{{)"
        elif spec is None:
            guess = _close(name)
            error = f"unknown figure '{name}'" + (f" (did you mean '{guess}'?)" if guess else "")
            hint = (
                "the figures that can be cited are listed in docs/content.md, 'Citing figures'; "
                "write \\{ for a literal brace"
            )
        elif spec.arg is Arg.NONE and arg:
            error = f"figure '{name}' takes no argument"
            hint = f"write {{{name}}}"
        elif spec.arg is not Arg.NONE and not arg:
            error = f"figure '{name}' needs a {spec.arg.value}"
            hint = f"write {{{name}:{_arg_shape(spec.arg)}}}"
        elif spec.arg is Arg.MILESTONE and arg.count("/") != 1:
            error = f"'{arg}' is not a milestone reference"
            hint = f"write {{{name}:{_arg_shape(spec.arg)}}}"
        out.append(Citation(m.start(), m.end(), m.group(0), None if error else spec, arg, error, hint))
    return out


Value = Decimal | int | date | None


@dataclass(frozen=True)
class Figure:
    """A cited figure's value for one edition (plain data; the renderer formats it)."""

    kind: str
    value: Value
    withheld_below: int | None = None
    """Set when the value is hidden from this audience: a count below this many is not shown."""
    operands: tuple[Decimal, Decimal] | None = None
    """For a difference (a variance), the amounts it is the difference of, so that it can be
    printed as the difference of the two amounts as printed (see `render.cited`)."""


@dataclass(frozen=True)
class Cited:
    """Markdown with its citations resolved for one edition: literal text and figures, in order."""

    parts: tuple[str | Figure, ...]

    def __bool__(self) -> bool:
        return bool(self.parts)
