"""Small-count suppression: no published number may single out fewer than K people.

Groups below K are merged into one "other" group; if that group is still below K, the smallest
shown group joins it, until every number shown is at least K (or zero). The shown numbers still
add up to the shown total, and no suppressed count can be recovered by subtraction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

K_MIN = 5


@dataclass(frozen=True)
class Cell:
    label: str
    count: int
    fte: Decimal
    merged: tuple[str, ...] = ()


def merge_small(groups: Sequence[Cell], k: int = K_MIN, other_label: str = "other") -> list[Cell]:
    """Merge groups with 0 < count < k (see module doc). Zero-count groups are dropped."""
    shown = [g for g in groups if g.count >= k]
    small = [g for g in groups if 0 < g.count < k]
    if not small:
        return shown
    while sum(g.count for g in small) < k and shown:
        smallest = min(shown, key=lambda g: (g.count, g.label))
        shown.remove(smallest)
        small.append(smallest)
    count = sum(g.count for g in small)
    if count < k:
        return []  # the whole population is below k: nothing can be published
    other = Cell(other_label, count, sum((g.fte for g in small), Decimal(0)), tuple(g.label for g in small))
    return [*shown, other]


def suppressed(count: int, k: int = K_MIN) -> int | None:
    """A single count, or None when it is below k (and not zero)."""
    return None if 0 < count < k else count
