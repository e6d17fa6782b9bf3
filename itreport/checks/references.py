"""Unique ids and references that resolve, with "did you mean" for near misses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from itreport.checks import Checker
from itreport.models.base import Model
from itreport.problems import did_you_mean


def _index(ctx: Checker, items: Iterable[Any], what: str) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for item in items:
        if item.id in seen:
            first_file, first = ctx.content.where(seen[item.id], "id")
            ctx.error(
                item,
                "id",
                message=f"duplicate {what} id '{item.id}'",
                hint=f"first defined at {first_file}:{first.line}; ids must be unique",
                rule="ids.unique",
            )
        else:
            seen[item.id] = item
    return seen


class Refs:
    """Checks that a value names an existing entity of one kind."""

    def __init__(self, ctx: Checker, index: dict[str, Any], what: str, defined_in: str, kind: str) -> None:
        self.ctx, self.index, self.what, self.defined_in = ctx, index, what, defined_in
        self.skip = kind in ctx.content.incomplete

    def one(self, entity: Model, *keys: str | int) -> None:
        value: Any = entity
        for k in keys:
            value = value[k] if isinstance(k, int) else getattr(value, k)
        if self.skip or value is None or value in self.index:
            return
        self.ctx.error(
            entity,
            *keys,
            message=f"unknown {self.what} '{value}'{did_you_mean(value, self.index)}",
            hint=f"{self.what} ids are defined in {self.defined_in}",
            rule="refs.resolve",
        )

    def many(self, entity: Model, key: str) -> None:
        values: Sequence[str] = getattr(entity, key)
        for i in range(len(values)):
            self.one(entity, key, i)


def check(ctx: Checker) -> None:
    c = ctx.content
    people = Refs(ctx, _index(ctx, c.people, "person"), "person", "people.yaml", "people")
    teams = Refs(ctx, _index(ctx, c.teams, "team"), "team", "teams.yaml", "teams")
    roles = Refs(ctx, _index(ctx, c.roles, "role"), "role", "roles.yaml", "roles")
    certs = Refs(
        ctx, _index(ctx, c.certifications, "certification"), "certification", "training.yaml", "training"
    )
    programmes = Refs(
        ctx,
        _index(ctx, c.programmes, "training programme"),
        "training programme",
        "training.yaml",
        "training",
    )
    centres = Refs(
        ctx, _index(ctx, c.division.cost_centres, "cost centre"), "cost centre", "division.yaml", "division"
    )
    units = Refs(
        ctx,
        _index(ctx, c.division.business_units, "business unit"),
        "business unit",
        "division.yaml",
        "division",
    )
    projects = Refs(ctx, _index(ctx, c.projects, "project"), "project", "projects/", "project")
    objectives = Refs(
        ctx, _index(ctx, c.strategy.objectives, "objective"), "objective", "strategy.yaml", "strategy"
    )
    _index(ctx, c.positions, "position")
    _index(ctx, c.editions, "edition")
    _index(ctx, c.strategy.coordination, "coordination item")
    _index(ctx, c.strategy.problems, "problem")

    people.one(c.division, "head")
    for cc in c.division.cost_centres:
        people.one(cc, "owner")
    for team in c.teams:
        teams.one(team, "parent")
        people.one(team, "lead")
        centres.one(team, "cost_centre")
    for person in c.people:
        roles.one(person, "role")
        teams.one(person, "team")
        people.one(person, "manager")
        for held in person.certifications:
            certs.one(held, "certification")
        for assigned in person.training:
            programmes.one(assigned, "programme")
    for role in c.roles:
        certs.many(role, "required_certifications")
        programmes.many(role, "training")
    for programme in c.programmes:
        certs.one(programme, "certification")
    for pos in c.positions:
        roles.one(pos, "role")
        teams.one(pos, "team")
        people.one(pos, "hiring_manager")
        people.one(pos, "filled_by")
    for project in c.projects:
        people.one(project, "owner")
        people.one(project, "manager")
        units.many(project, "business_units")
        objectives.many(project, "objectives")
        for report in project.status:
            people.one(report, "author")
            if report.recovery is not None:
                people.one(report.recovery, "owner")
        for what, items in (
            ("milestone", project.milestones),
            ("risk", project.risks),
            ("issue", project.issues),
            ("decision", project.decisions),
            ("benefit", project.benefits),
        ):
            _index(ctx, items, what)
        for risk in project.risks:
            people.one(risk, "owner")
        for issue in project.issues:
            people.one(issue, "owner")
        for dep in project.dependencies:
            projects.one(dep, "project")
            if dep.project == project.id:
                ctx.error(dep, "project", message="a project cannot depend on itself", rule="refs.self")
            if dep.project is None and dep.division is None:
                ctx.error(
                    dep,
                    message="a dependency needs a project or a division",
                    hint="add 'project: <id>' or 'division: <name>'",
                    rule="refs.dependency",
                )
    for budget in c.budgets:
        _index(ctx, budget.lines, "budget line")
        _index(ctx, budget.revenue, "revenue line")
        _index(ctx, budget.savings, "saving")
        for line in budget.lines:
            centres.one(line, "cost_centre")
            projects.one(line, "project")
        for rev in budget.revenue:
            units.one(rev, "business_unit")
        for saving in budget.savings:
            people.one(saving, "owner")
    for objective in c.strategy.objectives:
        people.one(objective, "owner")
    for item in c.strategy.coordination:
        people.one(item, "owner")
    for problem in c.strategy.problems:
        people.one(problem, "owner")
