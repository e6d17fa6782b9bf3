"""Figures that cannot both be true: spend above the estimate, a fraction where a percent belongs."""

from __future__ import annotations

from itreport.checks import Checker
from itreport.models.projects import Project, ProjectState
from itreport.problems import Note


def check(ctx: Checker) -> None:
    # Project by project: a preview replays what an unchanged project gave.
    ctx.per_entity("plausibility", ctx.content.projects, None, _project)


def _project(ctx: Checker, project: Project) -> None:
    _cost_within_estimate(ctx, project)
    _percent_not_fraction(ctx, project)


def _cost_within_estimate(ctx: Checker, project: Project) -> None:
    """The estimate at completion includes what is already spent, so it is never below it.

    Without a stated estimate, a running project's estimate is its budget (analyse/finance.py), so
    spend above the budget needs an estimate that says so; completed and cancelled projects take
    their spend as the estimate and cannot contradict it.
    """
    money = project.budget
    spent = money.actual_to_date
    if money.estimate_at_completion is not None:
        if spent > money.estimate_at_completion:
            ctx.error(
                money,
                "estimate_at_completion",
                message=f"estimate_at_completion {money.estimate_at_completion} is below the cost to date "
                f"(actual_to_date {spent})",
                hint="the estimate at completion includes what is already spent: raise it to at least "
                f"{spent}, or correct actual_to_date",
                rule="figures.eac-below-actual",
            )
        return
    if project.state in (ProjectState.COMPLETED, ProjectState.CANCELLED):
        return
    budget = money.total if money.total is not None else money.capex + money.opex
    if spent > budget:
        ctx.error(
            money,
            "actual_to_date",
            message=f"cost to date {spent} is above the budget {budget}, which is the estimate at "
            "completion while none is given",
            hint=f"add estimate_at_completion: the expected final cost, at least {spent}",
            rule="figures.eac-below-actual",
        )


def _percent_not_fraction(ctx: Checker, project: Project) -> None:
    """0.6 is far more often a fraction meaning 60 % than a project 0.6 % done.

    A plain `1` is read as 1 % (a project just started) and passes; `1.0` or anything between 0 and
    1 is warned about. 0 means the same either way.
    """
    value = project.percent_complete
    exponent = value.as_tuple().exponent
    written_with_point = isinstance(exponent, int) and exponent < 0
    if 0 < value < 1 or (value == 1 and written_with_point):
        percent = (value * 100).normalize()
        shown = f"{percent:f}"
        ctx.warning(
            project,
            "percent_complete",
            message=f"percent_complete {value} looks like a fraction; it is read as {value} %",
            hint=f"percent_complete is 0 to 100: write {shown} for {shown} %",
            rule="figures.percent-fraction",
            note=Note("dq_percent_fraction", (("project", project.name), ("value", value))),
        )
