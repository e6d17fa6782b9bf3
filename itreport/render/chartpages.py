"""How charts meet the page: rows split into page-sized charts, and one readable unit per chart.

A chart is an image: it cannot break across pages like a table. A timeline or bar chart with one
row per milestone or team grows with the division, and past about a page it would be clipped and
print over the footer. So long charts are drawn as several charts of at most `MAX_ROWS` rows each,
of balanced size, each titled with its part ("Key milestones (2/3)").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TypeVar

from itreport.render.formatting import MILLION, THOUSAND, Formatter

T = TypeVar("T")

# 24 rows of 22–26 units plus title and axes print about 190 mm tall at the full text width:
# with the section heading above it, one part fits an A4 page body.
MAX_ROWS = 24


def in_parts(rows: Sequence[T], most: int = MAX_ROWS) -> list[Sequence[T]]:
    """`rows` in consecutive parts of at most `most` rows, as even in size as possible."""
    if not rows:
        return [rows]
    count = math.ceil(len(rows) / most)
    size = math.ceil(len(rows) / count)
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def part_title(title: str, index: int, count: int) -> str:
    return title if count == 1 else f"{title} ({index + 1}/{count})"


def money_unit(fmt: Formatter, values: Iterable[Decimal]) -> Callable[[Decimal], str]:
    """One unit for every label in a chart, so that no non-zero amount prints as zero.

    Millions with one decimal while every non-zero amount is at least 1 million (two significant
    digits), else whole thousands while every one is at least 10 thousand, else whole units.
    """
    smallest = min((abs(v) for v in values if v != 0), default=MILLION)
    if smallest >= MILLION:
        return fmt.mega
    if smallest >= 10 * THOUSAND:
        return lambda v: f"{fmt.number(v / THOUSAND)}\u00a0{fmt.kilo_unit}"
    return lambda v: f"{fmt.number(v)}\u00a0{fmt.currency}"
