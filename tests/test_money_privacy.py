"""money.py (pct, round_half_up, round_to_total) and privacy.py (merge_small, suppressed).

Every expected value is worked out by hand in the comment beside it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from itreport.analyse.money import pct, round_half_up, round_to_total, toward_zero
from itreport.privacy import K_MIN, Cell, merge_small, suppressed

# --- pct ------------------------------------------------------------------------------------


def test_pct_is_exact_by_default() -> None:
    # Thresholds compare this value, so nothing is rounded: 4.9998 % stays below 5 %.
    assert pct(Decimal("49998"), Decimal(1_000_000)) == Decimal("4.9998")  # 4,999,800/1,000,000
    assert pct(Decimal(1), Decimal(16)) == Decimal("6.25")  # 100/16 = 6.25 exactly
    assert pct(Decimal(30), Decimal(1200)) == Decimal("2.5")  # 3000/1200 = 2.5 exactly
    assert pct(Decimal(1), Decimal(3)) == Decimal(100) / Decimal(3)  # 33.33… to 28 digits


def test_pct_rounds_half_up_when_places_given() -> None:
    assert pct(Decimal(1), Decimal(3), places=1) == Decimal("33.3")  # 33.33… → 33.3
    assert pct(Decimal(1), Decimal(16), places=1) == Decimal("6.3")  # 6.25 → half up 6.3
    assert pct(Decimal(-1), Decimal(16), places=1) == Decimal("-6.3")  # -6.25 → away from zero
    assert str(pct(Decimal(1), Decimal(4), places=1)) == "25.0"  # 100/4 = 25, one place


def test_toward_zero_never_crosses_a_threshold() -> None:
    assert toward_zero(Decimal("4.9998")) == Decimal("4.9")  # not 5.0: below a 5 % threshold
    assert toward_zero(Decimal("9.96")) == Decimal("9.9")  # not 10.0 beside an amber colour
    assert toward_zero(Decimal("5")) == Decimal("5.0")  # exactly at the threshold stays at it
    assert toward_zero(Decimal("5.04")) == Decimal("5.0")  # one step above still shows 5.0 (≥ 5)
    assert toward_zero(Decimal("-2.57")) == Decimal("-2.5")  # toward zero for negatives too
    assert toward_zero(Decimal("12.345"), 2) == Decimal("12.34")


def test_pct_other_places() -> None:
    assert pct(Decimal(1), Decimal(8), places=0) == Decimal("13")  # 12.5 → 13
    assert pct(Decimal(2), Decimal(3), places=2) == Decimal("66.67")  # 66.666… → 66.67
    assert str(pct(Decimal(1), Decimal(3), places=2)) == "33.33"  # 33.333… → 33.33


def test_pct_of_zero_whole_is_none() -> None:
    assert pct(Decimal(5), Decimal(0)) is None
    assert pct(Decimal(0), Decimal(0)) is None
    assert pct(Decimal(0), Decimal(7)) == Decimal(0)  # 0/7 = 0


# --- round_half_up ----------------------------------------------------------------------------


def test_round_half_up_to_unit() -> None:
    k = Decimal(1000)
    assert round_half_up(Decimal(1500), k) == Decimal(2000)  # 1.5 k → 2 k
    assert round_half_up(Decimal(2500), k) == Decimal(3000)  # 2.5 k → 3 k (half-even would give 2 k)
    assert round_half_up(Decimal("1499.99"), k) == Decimal(1000)  # 1.49999 k → 1 k
    assert round_half_up(Decimal(-1500), k) == Decimal(-2000)  # -1.5 k → -2 k (away from zero)
    assert round_half_up(Decimal("0.125"), Decimal("0.01")) == Decimal("0.13")  # 12.5 cents → 13 cents


# --- round_to_total -------------------------------------------------------------------------


def test_round_to_total_empty() -> None:
    assert round_to_total([], Decimal(1)) == []


def test_round_to_total_equal_thirds_of_1000_units() -> None:
    third = Decimal(1000) / 3  # 333.333…
    out = round_to_total([third, third, third], Decimal(1))
    # total 999.99…9 → 1000; floors 333+333+333 = 999; 1 unit missing; equal remainders → first row
    assert out == [Decimal(334), Decimal(333), Decimal(333)]
    assert sum(out) == Decimal(1000)


def test_round_to_total_thirds_in_thousands_goes_to_largest_remainder() -> None:
    values = [Decimal("333333.33"), Decimal("333333.33"), Decimal("333333.34")]
    out = round_to_total(values, Decimal(1000))
    # total 1 000 000 → 1000 k; floors 333+333+333 = 999 k; remainders .33333, .33333, .33334 → third row
    assert out == [Decimal(333000), Decimal(333000), Decimal(334000)]
    assert sum(out) == Decimal(1000000)


def test_round_to_total_ties_go_to_earlier_rows() -> None:
    out = round_to_total([Decimal("1.5"), Decimal("2.5")], Decimal(1))
    # total 4; floors 1+2 = 3; 1 missing; remainders .5, .5 → row 0. (rounding each half-up: 2+3 = 5 ≠ 4)
    assert out == [Decimal(2), Decimal(2)]
    assert sum(out) == Decimal(4)

    out = round_to_total([Decimal("1.5")] * 4, Decimal(1))
    # total 6; floors 4×1 = 4; 2 missing; all remainders .5 → rows 0 and 1
    assert out == [Decimal(2), Decimal(2), Decimal(1), Decimal(1)]
    assert sum(out) == Decimal(6)


def test_round_to_total_largest_remainder_not_first() -> None:
    out = round_to_total([Decimal("1.2"), Decimal("1.3"), Decimal("1.4"), Decimal("1.1")], Decimal(1))
    # total 5.0 → 5; floors 4×1 = 4; 1 missing; largest remainder .4 is row 2 (each rounded alone: 4 ≠ 5)
    assert out == [Decimal(1), Decimal(1), Decimal(2), Decimal(1)]
    assert sum(out) == Decimal(5)


def test_round_to_total_kilo_units_with_half_up_total() -> None:
    out = round_to_total([Decimal(1499), Decimal(1499), Decimal(1002)], Decimal(1000))
    # total 4000 → 4 k; floors 1+1+1 = 3 k; remainders .499, .499, .002 → row 0 gets the missing 1 k
    assert out == [Decimal(2000), Decimal(1000), Decimal(1000)]
    assert sum(out) == Decimal(4000)


def test_round_to_total_negatives() -> None:
    out = round_to_total([Decimal("-1.4"), Decimal("-1.4")], Decimal(1))
    # total -2.8 → -3; floors -2 + -2 = -4; 1 missing; remainders .6, .6 (above the floor) → row 0 → -1
    assert out == [Decimal(-1), Decimal(-2)]
    assert sum(out) == Decimal(-3)

    out = round_to_total([Decimal("-2.5")], Decimal(1))
    # total -2.5 → half away from zero → -3; floor -3; nothing missing
    assert out == [Decimal(-3)]

    out = round_to_total([Decimal("2.6"), Decimal("-1.4")], Decimal(1))
    # total 1.2 → 1; floors 2 + -2 = 0; 1 missing; remainders .6, .6 → row 0 → [3, -2]
    assert out == [Decimal(3), Decimal(-2)]
    assert sum(out) == Decimal(1)


def test_round_to_total_exact_multiples_unchanged() -> None:
    out = round_to_total([Decimal(2000), Decimal(-1000), Decimal(0)], Decimal(1000))
    assert out == [Decimal(2000), Decimal(-1000), Decimal(0)]  # already whole thousands, total 1000


# --- merge_small / suppressed -----------------------------------------------------------------


def cell(label: str, count: int, fte: str) -> Cell:
    return Cell(label, count, Decimal(fte))


def assert_publishable(cells: list[Cell]) -> None:
    """No published count singles out 1..4 people."""
    assert not any(1 <= c.count < K_MIN for c in cells), cells


def test_k_min_is_five() -> None:
    assert K_MIN == 5


def test_merge_small_nothing_small() -> None:
    out = merge_small([cell("a", 7, "6.5"), cell("b", 5, "5"), cell("c", 0, "0")])
    # a and b are at least 5; c (count 0) is dropped
    assert out == [cell("a", 7, "6.5"), cell("b", 5, "5")]
    assert_publishable(out)


def test_merge_small_groups_below_five_merge_into_other() -> None:
    out = merge_small([cell("a", 10, "9.5"), cell("b", 6, "6"), cell("c", 2, "1.5"), cell("d", 3, "2.8")])
    # small: c (2) + d (3) = 5 ≥ 5 → one "other" of 5 people, 1.5 + 2.8 = 4.3 FTE
    assert out == [
        cell("a", 10, "9.5"),
        cell("b", 6, "6"),
        Cell("other", 5, Decimal("4.3"), ("c", "d")),
    ]
    assert_publishable(out)
    assert sum(c.count for c in out) == 21  # 10 + 6 + 2 + 3


def test_merged_group_still_small_absorbs_smallest_shown() -> None:
    out = merge_small(
        [cell("a", 10, "10"), cell("b", 6, "5.5"), cell("c", 2, "2"), cell("d", 1, "0.5")],
        other_label="övriga",
    )
    # small: c (2) + d (1) = 3 < 5 → smallest shown b (6) joins: 3 + 6 = 9; FTE 2 + 0.5 + 5.5 = 8.0
    assert out == [cell("a", 10, "10"), Cell("övriga", 9, Decimal("8.0"), ("c", "d", "b"))]
    assert_publishable(out)
    assert sum(c.count for c in out) == 19  # 10 + 6 + 2 + 1


def test_smallest_shown_tie_broken_by_label() -> None:
    out = merge_small([cell("zeta", 6, "6"), cell("alpha", 6, "6"), cell("x", 4, "4")])
    # small: x (4) < 5 → shown zeta and alpha both 6 → the lower label "alpha" joins: 4 + 6 = 10
    assert out == [cell("zeta", 6, "6"), Cell("other", 10, Decimal(10), ("x", "alpha"))]
    assert_publishable(out)


def test_whole_population_below_five_publishes_nothing() -> None:
    assert merge_small([cell("a", 2, "2"), cell("b", 2, "1.6")]) == []  # 2 + 2 = 4 < 5, nothing to absorb
    assert merge_small([cell("a", 4, "4")]) == []  # 4 < 5
    assert merge_small([cell("a", 0, "0")]) == []  # only an empty group: dropped, nothing left


def test_other_of_exactly_five_needs_no_absorption() -> None:
    out = merge_small([cell("a", 5, "5"), cell("b", 4, "4"), cell("c", 1, "1")])
    # small: b (4) + c (1) = 5 ≥ 5 → a stays as it is
    assert out == [cell("a", 5, "5"), Cell("other", 5, Decimal(5), ("b", "c"))]
    assert_publishable(out)


def test_merge_small_with_other_k() -> None:
    out = merge_small([cell("a", 3, "3"), cell("b", 2, "2"), cell("c", 1, "1")], k=3)
    # k = 3: a (3) shown; small b (2) + c (1) = 3 ≥ 3
    assert out == [cell("a", 3, "3"), Cell("other", 3, Decimal(3), ("b", "c"))]


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, 0), (1, None), (2, None), (3, None), (4, None), (5, 5), (6, 6), (120, 120)],
)
def test_suppressed(count: int, expected: int | None) -> None:
    assert suppressed(count) == expected  # 1..4 hidden; 0 and ≥ 5 shown


def test_suppressed_other_k() -> None:
    assert suppressed(2, k=3) is None  # 0 < 2 < 3
    assert suppressed(3, k=3) == 3  # 3 is not below 3
