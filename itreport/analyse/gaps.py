"""What a division has not recorded yet, so a briefing says "no projects yet" instead of
presenting an empty portfolio as a green one."""

from __future__ import annotations

from itreport.content import Content
from itreport.models.base import fiscal_year_of

# In the order the briefing lists them.
GAPS = ("projects", "budget", "team", "objectives")


def missing(content: Content) -> tuple[str, ...]:
    """The areas with nothing recorded: no project files, no budget lines for the current
    fiscal year, nobody but the head, no IT objectives."""
    div = content.division
    budget = content.budget_for(fiscal_year_of(div.as_of, div.fiscal_year_start))
    found = {
        "projects": not content.projects,
        "budget": budget is None or not budget.lines,
        "team": len(content.people) <= 1,
        "objectives": not content.strategy.objectives,
    }
    return tuple(gap for gap in GAPS if found[gap])
