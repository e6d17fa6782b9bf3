"""render/units.py and the table helpers: one unit per table, two significant digits, sums that add up."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from itreport.models.budget import Saving
from itreport.render.formatting import MILLION, THOUSAND, Formatter
from itreport.render.html import _kilo_delta, fiscal_year_label, saving_rows
from itreport.render.i18n import Translator
from itreport.render.units import ONE, TABLE, TILES, Scale, choose


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([D(2_000_000), D(10_000)], (THOUSAND, 0)),  # smallest non-zero is exactly 10 k: two digits
        ([D(2_000_000), D(9_999)], (ONE, 0)),  # one unit below: "10" would be a rounded 9.999 k
        ([D(2_000_000), D(-10_001)], (THOUSAND, 0)),  # one unit above, negative counts by size
        ([D(2_000_000), D(0)], (THOUSAND, 0)),  # zero needs no digits
        ([D(5)], (ONE, 0)),  # nothing qualifies: the smallest unit
        ([], (THOUSAND, 0)),
    ],
)
def test_table_unit_keeps_two_significant_digits(values: list[D], expected: tuple[D, int]) -> None:
    assert choose(values, TABLE) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([D(2_000_000), D(1_000_000)], (MILLION, 1)),  # 1.0 M: two digits with one decimal
        ([D(2_000_000), D(999_999)], (THOUSAND, 0)),  # 0.999… M would print "1.0" rounded, so kSEK
        ([D(2_000_000), D(40_000)], (THOUSAND, 0)),  # the +40,000 EUR variance: never "±0.0 MEUR"
        ([D(2_000_000), D(9_000)], (ONE, 0)),  # 9 k is one digit: units
    ],
)
def test_tile_unit_keeps_two_significant_digits(values: list[D], expected: tuple[D, int]) -> None:
    assert choose(values, TILES) == expected


def test_forty_thousand_variance_prints_beside_its_percentage() -> None:
    # Plan 2,000,000 EUR, forecast 2,040,000 EUR: variance +40,000 = +2.0 %.
    fmt = Formatter("en_GB", "EUR")
    factor, places = choose([D(2_000_000), D(2_040_000), D(40_000)], TILES)
    scale = Scale(factor, places, "kEUR")
    assert fmt.amount_unit(D(40_000), scale, signed=True) == "+40\u00a0kEUR"  # was "±0.0 MEUR"
    assert fmt.amount_unit(D(2_040_000), scale) == "2,040\u00a0kEUR"
    assert fmt.percent(D(40_000) * 100 / D(2_000_000), 1, True) == "+2.0%"


def saving(id: str, target: str, realised: str, state: str = "in_progress") -> Saving:
    return Saving.model_validate(
        {
            "id": id,
            "title": id,
            "target": target,
            "realised": realised,
            "owner": "x",
            "due": "2026-12-31",
            "state": state,
        }
    )


def test_savings_columns_add_up_to_their_totals() -> None:
    # Targets 1,400 ×3 = 4,200 → 4 k; each alone rounds to 1 k, which would print 1 + 1 + 1 ≠ 4.
    # Largest remainder: floors 1, 1, 1 (3), one unit missing → the first (equal remainders) → 2, 1, 1.
    savings = (saving("a", "1400", "600"), saving("b", "1400", "600", "dropped"), saving("c", "1400", "600"))
    rows, total = saving_rows(savings, THOUSAND)
    assert [(r.title, r.state, r.target, r.realised) for r in rows] == [
        ("a", "in_progress", D(2), D(1)),  # realised 1,800 → 2 k: floors 0, 0, 0, two units to hand out
        ("b", "dropped", D(1), D(1)),  # the dropped saving stays, with its state and its target
        ("c", "in_progress", D(1), D(0)),
    ]
    assert (total.target, total.realised) == (D(4), D(2))  # 4,200 → 4; 1,800 → 2


@pytest.mark.parametrize(
    ("year", "start", "locale", "expected"),
    [
        (2026, 1, "en_GB", "Full year 2026"),
        (2026, 4, "en_GB", "FY 2026/27"),  # April–March
        (2026, 4, "sv_SE", "Räkenskapsår 2026/27"),
        (2026, 1, "sv_SE", "Helår 2026"),
        (2099, 7, "en_GB", "FY 2099/00"),  # the year after 2099 is written 00
    ],
)
def test_fiscal_year_label(year: int, start: int, locale: str, expected: str) -> None:
    assert fiscal_year_label(year, start, Translator(locale)) == expected


@pytest.mark.parametrize(
    ("delta", "mega", "text"),
    [
        (D(499), False, "+499 SEK"),  # 0.499 kSEK would print "±0 kSEK" beside a red ▲
        (D(-499), False, "−499 SEK"),
        (D(500), False, "+1 kSEK"),  # 0.5 rounds half up
        (D(150_000), False, "+150 kSEK"),
        (D(49_999), True, "+50 kSEK"),  # 0.049999 MSEK would print "±0.0 MSEK"
        (D(50_000), True, "+0.1\u00a0MSEK"),
        (D(-2_340_000), True, "−2.3\u00a0MSEK"),
    ],
)
def test_trend_tooltip_never_shows_a_change_as_zero(delta: D, mega: bool, text: str) -> None:
    assert _kilo_delta(Formatter("en", "SEK"), Translator("en"), delta, "SEK", mega=mega) == text
