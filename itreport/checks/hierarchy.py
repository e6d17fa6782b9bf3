"""No cycles in the reporting line (person → manager) or the team tree (team → parent)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from itreport.checks import Checker
from itreport.models.people import PeopleFile, TeamsFile


def find_cycles(parent_of: dict[str, str | None]) -> list[list[str]]:
    """Every cycle in a parent map, each listed once, starting from its first member in map order."""
    order = {key: i for i, key in enumerate(parent_of)}
    done: set[str] = set()
    cycles: list[list[str]] = []
    for start in parent_of:
        path: list[str] = []
        on_path: dict[str, int] = {}
        node: str | None = start
        while node is not None and node in parent_of and node not in done:
            if node in on_path:
                cycle = path[on_path[node] :]
                first = min(cycle, key=order.__getitem__)
                i = cycle.index(first)
                cycles.append(cycle[i:] + cycle[:i])
                break
            on_path[node] = len(path)
            path.append(node)
            node = parent_of[node]
        done.update(path)
    return cycles


def _report(
    ctx: Checker,
    sources: Sequence[Any],
    pairs_of: Callable[[Any], tuple[tuple[str, str | None], ...]],
    items: Callable[[], Sequence[Any]],
    key: str,
    what: str,
    hint: str,
) -> None:
    """The cycles among (id, parent) pairs read file by file. In a preview the pairs of an
    unchanged file are not read again, and the cycles are kept while no pair changed: 2,000
    people are walked again only after an edit to their file."""
    pairs = ctx.each(f"hierarchy.{key}.pairs", sources, None, pairs_of)
    cycles: list[list[str]] = ctx.kept_for(f"hierarchy.{key}", (pairs,), lambda: find_cycles(dict(pairs)))
    for cycle in cycles:
        # The last item with the id, as a map from id to item holds it (there is seldom a cycle).
        first = next(item for item in reversed(items()) if item.id == cycle[0])
        chain = " → ".join([*cycle, cycle[0]])
        ctx.error(first, key, message=f"{what} forms a cycle: {chain}", hint=hint, rule="hierarchy.cycle")


def _managers(file: PeopleFile) -> tuple[tuple[str, str | None], ...]:
    return tuple((person.id, person.manager) for person in file.people)


def _parents(file: TeamsFile) -> tuple[tuple[str, str | None], ...]:
    return tuple((team.id, team.parent) for team in file.teams)


def check(ctx: Checker) -> None:
    c = ctx.content
    _report(
        ctx,
        ctx.files_of(PeopleFile),
        _managers,
        lambda: c.people,
        "manager",
        "reporting line",
        "someone in this chain must report to a manager outside it (or to nobody)",
    )
    _report(
        ctx,
        ctx.files_of(TeamsFile),
        _parents,
        lambda: c.teams,
        "parent",
        "team hierarchy",
        "one team in this chain must have another parent (or none)",
    )
