"""Unique ids and references that resolve, with "did you mean" for near misses.

Ids are read file by file and the references of each file are checked file by file
(`Checker.each`, `Checker.per_entity`), against the sets of ids that file may name: a long-lived
preview reads the ids of a changed file only, and replays what an unchanged file gave while the
sets it is checked against stay the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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


def _ids(attr: str | None, source: Any) -> tuple[str, ...]:
    return (source.id,) if attr is None else tuple(item.id for item in getattr(source, attr))


def _refs(
    ctx: Checker, sources: Sequence[Any], attr: str | None, what: str, defined_in: str = "", kind: str = ""
) -> Refs:
    """The ids of one kind: of the items under `attr` in each source file (of the sources
    themselves when None), duplicates reported.

    In a preview the ids of an unchanged file are not read again, and the Refs is the very
    object of the last build while the ids and whether the kind loaded are the same: keys that
    hold it compare at once. Duplicates are looked for item by item only when there are any.
    """
    ids = ctx.each(f"refs.ids.{what}", sources, attr, partial(_ids, attr))
    skip = kind in ctx.content.incomplete
    refs: Refs = ctx.kept_for(
        f"refs.set.{what}", (ids, skip), lambda: Refs(frozenset(ids), what, defined_in, skip, len(ids))
    )
    if refs.count != len(refs.ids):
        items = sources if attr is None else [item for source in sources for item in getattr(source, attr)]
        _index(ctx, items, what)
    return refs


@dataclass(frozen=True)
class _Singles:
    """The kinds of ids read from files of which there is one (people.yaml, teams.yaml, …)."""

    people: Refs
    teams: Refs
    roles: Refs
    certs: Refs
    programmes: Refs
    centres: Refs
    units: Refs
    objectives: Refs


def check(ctx: Checker) -> None:
    c = ctx.content
    division, strategy = [c.division], [c.strategy]
    files = (
        ctx.files_of(PeopleFile),
        ctx.files_of(TeamsFile),
        ctx.files_of(RolesFile),
        ctx.files_of(TrainingFile),
        ctx.files_of(PositionsFile),
        ctx.files_of(BriefingsFile),
    )
    # All but the projects and budgets, in one: a preview after a project edit replays the lot.
    parts = (*division, *strategy, *(file for kind in files for file in kind))
    loaded = tuple(
        kind in c.incomplete for kind in ("people", "teams", "roles", "training", "division", "strategy")
    )
    k = ctx.kept_with_findings(
        "refs.singles", parts, partial(_singles, ctx, division, strategy, *files), loaded
    )
    projects = _refs(ctx, c.projects, None, "project", "projects/", "project")
    project_refs = _ProjectRefs(k.people, k.units, k.objectives, projects)
    ctx.per_entity("refs.project", c.projects, project_refs, partial(_project, k=project_refs))
    budget_refs = _BudgetRefs(k.centres, projects, k.units, k.people)
    ctx.per_entity("refs.budget", c.budgets, budget_refs, partial(_budget, k=budget_refs))


def _singles(
    ctx: Checker,
    division: list[Division],
    strategy: list[StrategyFile],
    people_files: list[PeopleFile],
    teams_files: list[TeamsFile],
    roles_files: list[RolesFile],
    training: list[TrainingFile],
    positions_files: list[PositionsFile],
    briefings_files: list[BriefingsFile],
) -> _Singles:
    """The ids of every kind but projects, and the references of their files, each file against
    the kinds of ids it may name (its key): after an edit to one of them, the others' findings
    are replayed while those are the same."""
    people = _refs(ctx, people_files, "people", "person", "people.yaml", "people")
    teams = _refs(ctx, teams_files, "teams", "team", "teams.yaml", "teams")
    roles = _refs(ctx, roles_files, "roles", "role", "roles.yaml", "roles")
    certs = _refs(ctx, training, "certifications", "certification", "training.yaml", "training")
    programmes = _refs(ctx, training, "programmes", "training programme", "training.yaml", "training")
    centres = _refs(ctx, division, "cost_centres", "cost centre", "division.yaml", "division")
    units = _refs(ctx, division, "business_units", "business unit", "division.yaml", "division")
    objectives = _refs(ctx, strategy, "objectives", "objective", "strategy.yaml", "strategy")
    # Ids that nothing refers to, checked for duplicates only.
    _refs(ctx, positions_files, "positions", "position")
    _refs(ctx, briefings_files, "editions", "edition")
    _refs(ctx, strategy, "coordination", "coordination item")
    _refs(ctx, strategy, "problems", "problem")

    ctx.per_entity("refs.division", division, people, partial(_division, people=people))
    ctx.per_entity(
        "refs.teams",
        teams_files,
        (teams, people, centres),
        partial(_teams, teams=teams, people=people, centres=centres),
    )
    ctx.per_entity(
        "refs.roles", roles_files, (certs, programmes), partial(_roles, certs=certs, programmes=programmes)
    )
    ctx.per_entity("refs.training", training, certs, partial(_training, certs=certs))
    ctx.per_entity(
        "refs.positions",
        positions_files,
        (roles, teams, people),
        partial(_positions, roles=roles, teams=teams, people=people),
    )
    person_refs = _PersonRefs(roles, teams, people, certs, programmes)
    ctx.per_entity("refs.people", people_files, person_refs, partial(_people, k=person_refs))
    ctx.per_entity("refs.strategy", strategy, people, partial(_strategy, people=people))
    return _Singles(people, teams, roles, certs, programmes, centres, units, objectives)


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


def _division(ctx: Checker, division: Division, people: Refs) -> None:
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
