"""Unique ids and references that resolve, with "did you mean" for near misses.

The references of a people file, a project file and a budget file are checked file by file
(`Checker.per_entity`), against the sets of ids they may name: a long-lived preview replays what
an unchanged file gave while those sets stay the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from itreport.checks import Checker
from itreport.models.base import Model
from itreport.models.budget import BudgetFile
from itreport.models.people import PeopleFile
from itreport.models.projects import Project
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


@dataclass(frozen=True)
class Refs:
    """The ids one kind of reference may name: a value outside them is an error.

    Hashable and compared by its id set: it is part of the key a file's findings are kept under.
    """

    ids: frozenset[str]
    what: str
    defined_in: str
    skip: bool
    """The kind has a file that did not load: its references are not checked (they would all
    look unknown)."""

    def one(self, ctx: Checker, entity: Model, *keys: str | int) -> None:
        value: Any = entity
        for k in keys:
            value = value[k] if isinstance(k, int) else getattr(value, k)
        if self.skip or value is None or value in self.ids:
            return
        ctx.error(
            entity,
            *keys,
            message=f"unknown {self.what} '{value}'{did_you_mean(value, self.ids)}",
            hint=f"{self.what} ids are defined in {self.defined_in}",
            rule="refs.resolve",
        )

    def many(self, ctx: Checker, entity: Model, key: str) -> None:
        values: Sequence[str] = getattr(entity, key)
        for i in range(len(values)):
            self.one(ctx, entity, key, i)


@dataclass(frozen=True)
class _Kinds:
    people: Refs
    teams: Refs
    roles: Refs
    certs: Refs
    programmes: Refs
    centres: Refs
    units: Refs
    projects: Refs
    objectives: Refs


def _refs(ctx: Checker, name: str, items: Iterable[Any], what: str, defined_in: str, kind: str) -> Refs:
    """The ids of one kind (duplicates reported), kept equal to the last build's object when the
    ids are the same, so that keys holding it compare by identity (see `Checker.stable`)."""
    ids = ctx.stable(f"refs.{name}", frozenset(_index(ctx, items, what)))
    return Refs(ids, what, defined_in, kind in ctx.content.incomplete)


def check(ctx: Checker) -> None:
    c = ctx.content
    k = _Kinds(
        people=_refs(ctx, "people", c.people, "person", "people.yaml", "people"),
        teams=_refs(ctx, "teams", c.teams, "team", "teams.yaml", "teams"),
        roles=_refs(ctx, "roles", c.roles, "role", "roles.yaml", "roles"),
        certs=_refs(ctx, "certs", c.certifications, "certification", "training.yaml", "training"),
        programmes=_refs(ctx, "programmes", c.programmes, "training programme", "training.yaml", "training"),
        centres=_refs(ctx, "centres", c.division.cost_centres, "cost centre", "division.yaml", "division"),
        units=_refs(ctx, "units", c.division.business_units, "business unit", "division.yaml", "division"),
        projects=_refs(ctx, "projects", c.projects, "project", "projects/", "project"),
        objectives=_refs(ctx, "objectives", c.strategy.objectives, "objective", "strategy.yaml", "strategy"),
    )
    k = ctx.stable("refs.kinds", k)  # the same object while no id set changed: keys compare at once
    _index(ctx, c.positions, "position")
    _index(ctx, c.editions, "edition")
    _index(ctx, c.strategy.coordination, "coordination item")
    _index(ctx, c.strategy.problems, "problem")

    k.people.one(ctx, c.division, "head")
    for cc in c.division.cost_centres:
        k.people.one(ctx, cc, "owner")
    for team in c.teams:
        k.teams.one(ctx, team, "parent")
        k.people.one(ctx, team, "lead")
        k.centres.one(ctx, team, "cost_centre")
    for role in c.roles:
        k.certs.many(ctx, role, "required_certifications")
        k.programmes.many(ctx, role, "training")
    for programme in c.programmes:
        k.certs.one(ctx, programme, "certification")
    for pos in c.positions:
        k.roles.one(ctx, pos, "role")
        k.teams.one(ctx, pos, "team")
        k.people.one(ctx, pos, "hiring_manager")
        k.people.one(ctx, pos, "filled_by")
    for file in c.files:
        if isinstance(file, PeopleFile):
            ctx.per_entity("refs.people", file, k, partial(_people, file=file, k=k))
        elif isinstance(file, Project):
            ctx.per_entity("refs.project", file, k, partial(_project, project=file, k=k))
        elif isinstance(file, BudgetFile):
            ctx.per_entity("refs.budget", file, k, partial(_budget, budget=file, k=k))
    for objective in c.strategy.objectives:
        k.people.one(ctx, objective, "owner")
    for item in c.strategy.coordination:
        k.people.one(ctx, item, "owner")
    for problem in c.strategy.problems:
        k.people.one(ctx, problem, "owner")


def _people(ctx: Checker, file: PeopleFile, k: _Kinds) -> None:
    for person in file.people:
        k.roles.one(ctx, person, "role")
        k.teams.one(ctx, person, "team")
        k.people.one(ctx, person, "manager")
        for held in person.certifications:
            k.certs.one(ctx, held, "certification")
        for assigned in person.training:
            k.programmes.one(ctx, assigned, "programme")


def _project(ctx: Checker, project: Project, k: _Kinds) -> None:
    k.people.one(ctx, project, "owner")
    k.people.one(ctx, project, "manager")
    k.units.many(ctx, project, "business_units")
    k.objectives.many(ctx, project, "objectives")
    for report in project.status:
        k.people.one(ctx, report, "author")
        if report.recovery is not None:
            k.people.one(ctx, report.recovery, "owner")
    for what, items in (
        ("milestone", project.milestones),
        ("risk", project.risks),
        ("issue", project.issues),
        ("decision", project.decisions),
        ("benefit", project.benefits),
    ):
        _index(ctx, items, what)
    for risk in project.risks:
        k.people.one(ctx, risk, "owner")
    for issue in project.issues:
        k.people.one(ctx, issue, "owner")
    for dep in project.dependencies:
        k.projects.one(ctx, dep, "project")
        if dep.project == project.id:
            ctx.error(dep, "project", message="a project cannot depend on itself", rule="refs.self")
        if dep.project is None and dep.division is None:
            ctx.error(
                dep,
                message="a dependency needs a project or a division",
                hint="add 'project: <id>' or 'division: <name>'",
                rule="refs.dependency",
            )


def _budget(ctx: Checker, budget: BudgetFile, k: _Kinds) -> None:
    _index(ctx, budget.lines, "budget line")
    _index(ctx, budget.revenue, "revenue line")
    _index(ctx, budget.savings, "saving")
    for line in budget.lines:
        k.centres.one(ctx, line, "cost_centre")
        k.projects.one(ctx, line, "project")
    for rev in budget.revenue:
        k.units.one(ctx, rev, "business_unit")
    for saving in budget.savings:
        k.people.one(ctx, saving, "owner")
