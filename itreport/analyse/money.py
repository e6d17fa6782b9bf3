"""Decimal helpers: percentages and rounding that keeps table columns adding up to their totals."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def pct(part: Decimal, whole: Decimal, places: int | None = None) -> Decimal | None:
    """part / whole as a percentage, or None when whole is zero.

    Exact by default, because thresholds compare this value: a 4.9998 % overrun is below a 5 %
    threshold. Pass `places` only to round half-up for a printed text.
    """
    if whole == 0:
        return None
    exact = part * HUNDRED / whole
    if places is None:
        return exact
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def toward_zero(value: Decimal, places: int = 1) -> Decimal:
    """Cut a percentage to `places` decimals toward zero, for display next to a threshold.

    Thresholds have at most `places` decimals, so the shown value is always on the same side of
    every threshold as the exact one (9.96 % shows as 9.9 %, never as 10.0 % beside an amber).
    """
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)


def round_half_up(value: Decimal, unit: Decimal) -> Decimal:
    """Round to a multiple of `unit` (e.g. 1000 for kSEK), halves away from zero."""
    return (value / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) * unit


def round_to_total(values: Sequence[Decimal], unit: Decimal) -> list[Decimal]:
    """Round each value to `unit` so that the rounded values sum to the rounded total.

    Largest-remainder method: start from each value rounded toward zero, then hand out the
    units still missing to the values that lost the most. Ties go to the earlier row, so the
    result is deterministic.
    """
    if not values:
        return []
    target = round_half_up(sum(values, ZERO), unit) / unit
    scaled = [v / unit for v in values]
    floors = [s.to_integral_value(rounding="ROUND_FLOOR") for s in scaled]
    missing = int(target - sum(floors, ZERO))
    remainders = sorted(range(len(values)), key=lambda i: (-(scaled[i] - floors[i]), i))
    # Floors never exceed the half-up total, so `missing` is never negative.
    out = list(floors)
    for i in remainders[:missing]:
        out[i] += 1
    return [o * unit for o in out]


def shown_difference(minuend: Decimal, subtrahend: Decimal, factor: Decimal, places: int) -> Decimal:
    """`minuend - subtrahend` as a reader computes it from the two printed amounts, in currency units.

    The rule of the finance tables (their rounded forecast less their rounded plan): each amount
    rounded half-up to `places` decimals of `factor`, then subtracted. Tiles reading "plan
    107.2 MSEK, forecast 108.6 MSEK" print a variance of +1.4 MSEK, not the exact +1.487 rounded
    to +1.5, which the reader's own subtraction would contradict. For display only: thresholds
    compare the exact variance.
    """
    step = factor * Decimal(10) ** -places
    return round_half_up(minuend, step) - round_half_up(subtrahend, step)
