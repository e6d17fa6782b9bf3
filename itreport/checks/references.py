"""Unique ids and references that resolve, with "did you mean" for near misses.

Ids are read file by file and the references of each file are checked file by file
(`Checker.each`, `Checker.per_entity`), against the sets of ids that file may name: a long-lived
preview reads the ids of a changed file only, and replays what an unchanged file gave while the
sets it is checked against stay the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from itreport.checks import Checker
from itreport.models.base import Model
from itreport.models.briefings import BriefingsFile
from itreport.models.budget import BudgetFile
from itreport.models.division import Division
from itreport.models.people import PeopleFile, PositionsFile, RolesFile, TeamsFile, TrainingFile
from itreport.models.projects import Project
from itreport.models.strategy import StrategyFile
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
    count: int = field(default=0, compare=False)
    """How many ids were read: more than `ids` holds when some are duplicates."""

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


def _ids(file_ids: Callable[[Any], Iterable[str]]) -> Callable[[Any], tuple[str, ...]]:
    return lambda source: tuple(file_ids(source))


def _refs(
    ctx: Checker,
    name: str,
    sources: Sequence[Any],
    ids_of: Callable[[Any], Iterable[str]],
    items: Callable[[], Iterable[Any]],
    what: str,
    defined_in: str,
    kind: str,
) -> Refs:
    """The ids of one kind, read file by file from `sources`; duplicates reported.

    In a preview the ids of an unchanged file are not read again, and the Refs is the very
    object of the last build while the ids and whether the kind loaded are the same: keys that
    hold it compare at once. Duplicates are looked for among `items()` only when there are any.
    """
    ids = ctx.each(f"refs.ids.{name}", sources, None, _ids(ids_of))
    skip = kind in ctx.content.incomplete
    refs: Refs = ctx.kept_for(
        f"refs.set.{name}", (ids, skip), lambda: Refs(frozenset(ids), what, defined_in, skip, len(ids))
    )
    if refs.count != len(refs.ids):
        _index(ctx, items(), what)
    return refs


def check(ctx: Checker) -> None:
    c = ctx.content
    division = [c.division]
    training = ctx.files_of(TrainingFile)
    strategy = [c.strategy]
    people = _refs(
        ctx,
        "people",
        ctx.files_of(PeopleFile),
        _person_ids,
        lambda: c.people,
        "person",
        "people.yaml",
        "people",
    )
    teams = _refs(
        ctx, "teams", ctx.files_of(TeamsFile), _team_ids, lambda: c.teams, "team", "teams.yaml", "teams"
    )
    roles = _refs(
        ctx, "roles", ctx.files_of(RolesFile), _role_ids, lambda: c.roles, "role", "roles.yaml", "roles"
    )
    certs = _refs(
        ctx,
        "certs",
        training,
        _cert_ids,
        lambda: c.certifications,
        "certification",
        "training.yaml",
        "training",
    )
    programmes = _refs(
        ctx,
        "programmes",
        training,
        _programme_ids,
        lambda: c.programmes,
        "training programme",
        "training.yaml",
        "training",
    )
    centres = _refs(
        ctx,
        "centres",
        division,
        _centre_ids,
        lambda: c.division.cost_centres,
        "cost centre",
        "division.yaml",
        "division",
    )
    units = _refs(
        ctx,
        "units",
        division,
        _unit_ids,
        lambda: c.division.business_units,
        "business unit",
        "division.yaml",
        "division",
    )
    projects = _refs(
        ctx, "projects", c.projects, _project_id, lambda: c.projects, "project", "projects/", "project"
    )
    objectives = _refs(
        ctx,
        "objectives",
        strategy,
        _objective_ids,
        lambda: c.strategy.objectives,
        "objective",
        "strategy.yaml",
        "strategy",
    )
    # Ids that nothing refers to, checked for duplicates only.
    _refs(
        ctx, "positions", ctx.files_of(PositionsFile), _position_ids, lambda: c.positions, "position", "", ""
    )
    _refs(ctx, "editions", ctx.files_of(BriefingsFile), _edition_ids, lambda: c.editions, "edition", "", "")
    _refs(
        ctx,
        "coordination",
        strategy,
        _coordination_ids,
        lambda: c.strategy.coordination,
        "coordination item",
        "",
        "",
    )
    _refs(ctx, "problems", strategy, _problem_ids, lambda: c.strategy.problems, "problem", "", "")

    # File by file, each against the kinds of ids it may name (its key): a preview replays what an
    # unchanged file gave while those are the same.
    ctx.per_entity("refs.division", division, people, partial(_division, people=people, centres=centres))
    ctx.per_entity(
        "refs.teams",
        ctx.files_of(TeamsFile),
        (teams, people, centres),
        partial(_teams, teams=teams, people=people, centres=centres),
    )
    ctx.per_entity(
        "refs.roles",
        ctx.files_of(RolesFile),
        (certs, programmes),
        partial(_roles, certs=certs, programmes=programmes),
    )
    ctx.per_entity("refs.training", training, certs, partial(_training, certs=certs))
    ctx.per_entity(
        "refs.positions",
        ctx.files_of(PositionsFile),
        (roles, teams, people),
        partial(_positions, roles=roles, teams=teams, people=people),
    )
    person_refs = _PersonRefs(roles, teams, people, certs, programmes)
    ctx.per_entity("refs.people", ctx.files_of(PeopleFile), person_refs, partial(_people, k=person_refs))
    project_refs = _ProjectRefs(people, units, objectives, projects)
    ctx.per_entity("refs.project", c.projects, project_refs, partial(_project, k=project_refs))
    budget_refs = _BudgetRefs(centres, projects, units, people)
    ctx.per_entity("refs.budget", c.budgets, budget_refs, partial(_budget, k=budget_refs))
    ctx.per_entity("refs.strategy", strategy, people, partial(_strategy, people=people))


@dataclass(frozen=True)
class _PersonRefs:
    roles: Refs
    teams: Refs
    people: Refs
    certs: Refs
    programmes: Refs


@dataclass(frozen=True)
class _ProjectRefs:
    people: Refs
    units: Refs
    objectives: Refs
    projects: Refs


@dataclass(frozen=True)
class _BudgetRefs:
    centres: Refs
    projects: Refs
    units: Refs
    people: Refs


def _person_ids(file: PeopleFile) -> Iterable[str]:
    return (person.id for person in file.people)


def _team_ids(file: TeamsFile) -> Iterable[str]:
    return (team.id for team in file.teams)


def _role_ids(file: RolesFile) -> Iterable[str]:
    return (role.id for role in file.roles)


def _cert_ids(file: TrainingFile) -> Iterable[str]:
    return (cert.id for cert in file.certifications)


def _programme_ids(file: TrainingFile) -> Iterable[str]:
    return (programme.id for programme in file.programmes)


def _centre_ids(division: Division) -> Iterable[str]:
    return (centre.id for centre in division.cost_centres)


def _unit_ids(division: Division) -> Iterable[str]:
    return (unit.id for unit in division.business_units)


def _project_id(project: Project) -> Iterable[str]:
    return (project.id,)


def _objective_ids(strategy: StrategyFile) -> Iterable[str]:
    return (objective.id for objective in strategy.objectives)


def _coordination_ids(strategy: StrategyFile) -> Iterable[str]:
    return (item.id for item in strategy.coordination)


def _problem_ids(strategy: StrategyFile) -> Iterable[str]:
    return (problem.id for problem in strategy.problems)


def _position_ids(file: PositionsFile) -> Iterable[str]:
    return (position.id for position in file.positions)


def _edition_ids(file: BriefingsFile) -> Iterable[str]:
    return (edition.id for edition in file.editions)


def _division(ctx: Checker, division: Division, people: Refs, centres: Refs) -> None:
    people.one(ctx, division, "head")
    for cc in division.cost_centres:
        people.one(ctx, cc, "owner")


def _teams(ctx: Checker, file: TeamsFile, teams: Refs, people: Refs, centres: Refs) -> None:
    for team in file.teams:
        teams.one(ctx, team, "parent")
        people.one(ctx, team, "lead")
        centres.one(ctx, team, "cost_centre")


def _roles(ctx: Checker, file: RolesFile, certs: Refs, programmes: Refs) -> None:
    for role in file.roles:
        certs.many(ctx, role, "required_certifications")
        programmes.many(ctx, role, "training")


def _training(ctx: Checker, file: TrainingFile, certs: Refs) -> None:
    for programme in file.programmes:
        certs.one(ctx, programme, "certification")


def _positions(ctx: Checker, file: PositionsFile, roles: Refs, teams: Refs, people: Refs) -> None:
    for pos in file.positions:
        roles.one(ctx, pos, "role")
        teams.one(ctx, pos, "team")
        people.one(ctx, pos, "hiring_manager")
        people.one(ctx, pos, "filled_by")


def _strategy(ctx: Checker, strategy: StrategyFile, people: Refs) -> None:
    for objective in strategy.objectives:
        people.one(ctx, objective, "owner")
    for item in strategy.coordination:
        people.one(ctx, item, "owner")
    for problem in strategy.problems:
        people.one(ctx, problem, "owner")


def _people(ctx: Checker, file: PeopleFile, k: _PersonRefs) -> None:
    for person in file.people:
        k.roles.one(ctx, person, "role")
        k.teams.one(ctx, person, "team")
        k.people.one(ctx, person, "manager")
        for held in person.certifications:
            k.certs.one(ctx, held, "certification")
        for assigned in person.training:
            k.programmes.one(ctx, assigned, "programme")


def _project(ctx: Checker, project: Project, k: _ProjectRefs) -> None:
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


def _budget(ctx: Checker, budget: BudgetFile, k: _BudgetRefs) -> None:
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
