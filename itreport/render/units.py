"""One unit per table or tile group, chosen so every non-zero figure keeps two significant digits.

A table in kSEK prints 40,000 SEK as "40" but 400 SEK as "0": a figure that exists reads as
nothing. So each table (and each group of headline tiles) takes the largest unit in which every
non-zero amount it shows is at least 10 (or at least 1.0 when the unit prints one decimal); when
no unit qualifies, the smallest is used. Tiles count their variance too (a headline "+40 kEUR"
must not read "±0.0 MEUR"); a table's variance columns do not choose its unit (they are the
printed amounts' differences, and a near-zero one prints "+0" or "−0" beside its percentage).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from itreport.render.formatting import MILLION, THOUSAND

ONE = Decimal(1)


@dataclass(frozen=True)
class Scale:
    """A display unit: amounts are divided by `factor` and printed with `places` decimals."""

    factor: Decimal
    places: int
    label: str
    """The unit as printed in captions and beside figures, e.g. 'kSEK' or 'MSEK'."""


TABLE = ((THOUSAND, 0), (ONE, 0))
"""Table cells: thousands, else the currency unit."""
TILES = ((MILLION, 1), (THOUSAND, 0), (ONE, 0))
"""Headline tiles and sentences: millions with one decimal, else thousands, else units."""


def choose(values: Iterable[Decimal | None], options: tuple[tuple[Decimal, int], ...]) -> tuple[Decimal, int]:
    """The first (largest) option in which every non-zero value shows two significant digits."""
    present = [abs(v) for v in values if v is not None and v != 0]
    for factor, places in options:
        least = Decimal(10) ** (1 - places)  # 10 with no decimals, 1.0 with one
        if all(v / factor >= least for v in present):
            return factor, places
    return options[-1]
