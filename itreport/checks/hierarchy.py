"""No cycles in the reporting line (person → manager) or the team tree (team → parent)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from itreport.checks import Checker


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


def _report(ctx: Checker, items: Sequence[Any], key: str, what: str, hint: str) -> None:
    by_id = {item.id: item for item in items}
    parent_of = {item.id: getattr(item, key) for item in items}
    # Kept while nobody's parent changes: 2,000 people are walked again only after such an edit.
    cycles = ctx.kept(f"hierarchy.{key}", tuple(parent_of.items()), lambda: find_cycles(parent_of))
    for cycle in cycles:
        chain = " → ".join([*cycle, cycle[0]])
        ctx.error(
            by_id[cycle[0]], key, message=f"{what} forms a cycle: {chain}", hint=hint, rule="hierarchy.cycle"
        )


def check(ctx: Checker) -> None:
    _report(
        ctx,
        ctx.content.people,
        "manager",
        "reporting line",
        "someone in this chain must report to a manager outside it (or to nobody)",
    )
    _report(
        ctx,
        ctx.content.teams,
        "parent",
        "team hierarchy",
        "one team in this chain must have another parent (or none)",
    )
