"""Long charts split into page-sized parts; one unit per chart in which no amount prints as zero."""

from __future__ import annotations

from decimal import Decimal as D

from itreport.render.chartpages import MAX_ROWS, in_parts, money_unit, part_title
from itreport.render.formatting import Formatter


def test_parts_are_even_and_never_longer_than_a_page() -> None:
    rows = list(range(49))
    parts = in_parts(rows)
    # 49 rows need 3 parts of at most 24: 17 + 17 + 15, in order, nothing lost.
    assert [len(p) for p in parts] == [17, 17, 15]
    assert [r for p in parts for r in p] == rows
    assert [len(p) for p in in_parts(list(range(MAX_ROWS)))] == [MAX_ROWS]
    assert [len(p) for p in in_parts(list(range(MAX_ROWS + 1)))] == [13, 12]
    assert in_parts([]) == [[]]


def test_part_titles_count_only_when_split() -> None:
    assert part_title("Key milestones", 0, 1) == "Key milestones"
    assert part_title("Key milestones", 1, 3) == "Key milestones (2/3)"


def test_money_unit_keeps_two_significant_digits() -> None:
    fmt = Formatter("en_GB", "SEK")
    # Every non-zero amount at least 1 million: millions with one decimal.
    mega = money_unit(fmt, [D(1_000_000), D(-2_500_000), D(0)])
    assert mega(D(1_000_000)) == "1.0\u00a0MSEK"
    # 40,000 would print "0.0 MSEK" in millions: thousands instead, for every label of the chart.
    kilo = money_unit(fmt, [D(1_822_000), D(40_000), D(-140_000)])
    assert kilo(D(40_000)) == "40\u00a0kSEK" and kilo(D(1_822_000)) == "1,822\u00a0kSEK"
    # 9,999 would print "10 kSEK" with one digit of information lost at 10,000: whole units.
    unit = money_unit(fmt, [D(9_999), D(2_000_000)])
    assert unit(D(9_999)) == "9,999\u00a0SEK"
    assert money_unit(fmt, [D(10_000)])(D(10_000)) == "10\u00a0kSEK"
    assert money_unit(fmt, [])(D(0)) == "0.0\u00a0MSEK"
    # In Swedish the chart says "tSEK", as the tables beside it do.
    swedish = Formatter("sv_SE", "SEK")
    assert money_unit(swedish, [D(1_822_000), D(40_000)])(D(1_822_000)) == "1\u00a0822\u00a0tSEK"
    assert money_unit(swedish, [D(2_500_000)])(D(2_500_000)) == "2,5\u00a0MSEK"
