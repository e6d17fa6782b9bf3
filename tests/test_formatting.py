"""render/formatting.py: printed percentages agree with the exact value's side of every threshold."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from itreport.render.formatting import Formatter

EN = Formatter("en_GB", "EUR")
SV = Formatter("sv_SE", "SEK")


@pytest.mark.parametrize(
    ("value", "signed", "en", "sv"),
    [
        ("4.9998", True, "+4.9%", "+4,9\u00a0%"),  # below a 5 % threshold: never printed as 5.0
        ("5", True, "+5.0%", "+5,0\u00a0%"),  # exactly at the threshold
        ("5.04", True, "+5.0%", "+5,0\u00a0%"),  # above it, cut to one place
        ("9.96", False, "9.9%", "9,9\u00a0%"),  # not 10.0 % beside an amber colour
        ("0.04", True, "+<0.1%", "+<0,1\u00a0%"),  # non-zero never prints as zero
        ("-0.04", True, "−<0.1%", "−<0,1\u00a0%"),
        ("0.04", False, "<0.1%", "<0,1\u00a0%"),
        ("0", True, "±0.0%", "±0,0\u00a0%"),  # only a true zero is ±0
        ("-3.55", False, "−3.5%", "−3,5\u00a0%"),  # a true minus sign, toward zero
    ],
)
def test_percent_is_cut_toward_zero_and_never_zero_when_non_zero(
    value: str, signed: bool, en: str, sv: str
) -> None:
    assert EN.percent(D(value), 1, signed) == en
    assert SV.percent(D(value), 1, signed) == sv


def test_percent_none_is_a_dash() -> None:
    assert EN.percent(None) == "–"
